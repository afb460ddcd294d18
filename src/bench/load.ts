// npm run bench:load [-- --clients 4 --seconds 20 --rounds 2] — our load generator against pgbench
// running the same transaction (appointment + audit_log row, one round trip), same clients, same
// cluster, alternating rounds in the same run. Prints both throughputs and their ratio.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LoadTest, REFS_SQL } from '../actions/loadtest.js';
import { findTools } from '../backends/local/env.js';
import { LocalBackend } from '../backends/local/local-backend.js';
import { queryOnce } from '../cluster/pg.js';
import { median } from '../lib/stats.js';
import { log, round, runCli, upBenchLab } from './util.js';

const { values } = parseArgs({ options: { clients: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' } } });
const clients = Number(values.clients ?? 4);
const seconds = Number(values.seconds ?? 20);
const rounds = Number(values.rounds ?? 2);

/** The same statements as transactionSql(), as a pgbench script sent as one simple query. */
function pgbenchScript(refs: { patients: number; providers: number; facilities: number }): string {
  return [
    '\\set id random(9000000000000000, 9100000000000000)',
    `\\set patient 1 + :id % ${refs.patients}`,
    `\\set provider 1 + :id % ${refs.providers}`,
    `\\set facility 1 + :id % ${refs.facilities}`,
    "BEGIN \\; INSERT INTO appointments (load_id, patient_id, provider_id, facility_id, appointment_date, appointment_time, duration_minutes, appointment_type, status, chief_complaint) VALUES (:id, :patient, :provider, :facility, current_date, '09:00', 30, 'consultation', 'scheduled', 'pgha-tui load test') \\; INSERT INTO audit_log (actor, action, context, load_id) VALUES ('pgbench', 'insert_appointment', '{\"source\": \"pgbench\"}', :id) \\; COMMIT;",
    '',
  ].join('\n');
}

function pgbench(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(join(findTools().pgBinDir, 'pgbench'), args, { env }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout)));
  });
}

const { lab, port, flags } = await upBenchLab();
try {
  const backend = new LocalBackend({ labDir: lab.dir, basePort: port, basePortExplicit: true, scale: 0.2 });
  const endpoints = await backend.endpoints();
  const primary = endpoints.nodes.node1!;
  const refs = (await queryOnce(primary, REFS_SQL))[0] as {
    patients: number; providers: number; facilities: number;
  };
  const scriptDir = mkdtempSync(join(tmpdir(), 'pgha-pgbench-'));
  const scriptFile = join(scriptDir, 'insert.sql');
  writeFileSync(scriptFile, pgbenchScript(refs));

  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r}/${rounds}: pgha-tui load test, ${clients} clients, ${seconds} s…`);
    const load = new LoadTest({ endpoints, clients });
    load.start();
    await new Promise((res) => setTimeout(res, seconds * 1000));
    const verdict = await load.stop();
    if (!verdict.ok) throw new Error(`load test lost ${verdict.lost} writes without a fault`);
    ours.push(verdict.acknowledged / seconds);

    log(`round ${r}/${rounds}: pgbench, ${clients} clients, ${seconds} s…`);
    const out = await pgbench(
      ['-n', '-M', 'simple', '-c', String(clients), '-j', String(clients), '-T', String(seconds), '-f', scriptFile, '-h', primary.host, '-p', String(primary.port), '-U', primary.user, primary.database],
      { ...process.env, ...(primary.password ? { PGPASSWORD: primary.password } : {}) },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    if (!tps) throw new Error(`could not read pgbench's tps:\n${out}`);
    theirs.push(Number(tps[1]));
  }
  rmSync(scriptDir, { recursive: true, force: true });
  const oursTps = median(ours)!;
  const pgbenchTps = median(theirs)!;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'load',
      clients,
      secondsPerRound: seconds,
      rounds,
      oursTps: round(oursTps, 1),
      pgbenchTps: round(pgbenchTps, 1),
      ratio: round(oursTps / pgbenchTps, 3),
      oursRounds: ours.map((x) => round(x, 1)),
      pgbenchRounds: theirs.map((x) => round(x, 1)),
      goalRatio: 0.8,
      metGoal: oursTps / pgbenchTps >= 0.8,
      note: 'same transaction (appointment + audit_log row, one round trip, synchronous commit to a quorum standby), same clients, same cluster, alternating rounds',
    })}\n`,
  );
} finally {
  await runCli(['down', '--volumes', ...flags]);
  lab.cleanup();
}
