// Attach to a running local lab by its monitor URI, as the least-privilege role the README
// describes (never a superuser), with the password from a passfile or PGPASSWORD, never argv.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freeRange } from '../../src/lib/ports.js';
import { queryOnce } from '../../src/cluster/pg.js';
import type { ConnInfo } from '../../src/cluster/types.js';
import { CLI, labPasswords, runCli, sleep, useLab } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';
import { ATTACH_ROLE, monitorGrants, nodeGrants } from '../helpers/attach-role.js';

const lab = useLab(['--profile', 'fast']);
const password = randomBytes(12).toString('hex');
let secretsDir = '';
let monitorUri = '';
/** The attach role's password only through a passfile: nothing in argv. */
let env: NodeJS.ProcessEnv = {};

interface Status {
  backend: string;
  monitorUri: string;
  formation: string;
  primary: string | null;
  monitorReachable: boolean;
  nodes: Array<Record<string, unknown>>;
}

const superuser = (port: number, database: string): ConnInfo => ({ host: '127.0.0.1', port, user: 'postgres', database, password: labPasswords(lab.dir).superuser });
const attach = (...args: string[]) => runCli([...args, '--monitor', monitorUri], 240_000, env);
const local = (...args: string[]) => runCli([...args, ...lab.flags]);

async function statusOf(r: Promise<{ code: number; stdout: string; stderr: string }>): Promise<Status> {
  const out = await r;
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Status;
}

/** What both backends must agree on: everything but the moving LSNs and lags. */
const table = (s: Status) => ({
  formation: s.formation,
  primary: s.primary,
  monitorReachable: s.monitorReachable,
  nodes: s.nodes.map(({ lsn: _l, lagBytes: _b, lagSeconds: _s, ...rest }) => rest),
});

/** The attached status once it satisfies `ok` (within 120 s). */
async function waitStatus(ok: (s: Status) => boolean): Promise<Status> {
  const until = Date.now() + 120_000;
  let last: Status | null = null;
  while (Date.now() < until) {
    const r = await attach('status', '--json');
    if (r.code === 0) {
      last = JSON.parse(r.stdout) as Status;
      if (ok(last)) return last;
    }
    await sleep(1000);
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  for (const sql of monitorGrants(password)) await queryOnce(superuser(lab.port, 'pg_auto_failover'), sql);
  const primary = (await statusOf(local('status', '--json'))).primary!;
  const port = lab.port + Number(primary.replace('node', ''));
  for (const sql of nodeGrants(password)) await queryOnce(superuser(port, 'healthcare_db'), sql);
  secretsDir = mkdtempSync(join(tmpdir(), 'pgha-attach-'));
  const passfile = join(secretsDir, 'pgpass');
  writeFileSync(passfile, `127.0.0.1:*:*:${ATTACH_ROLE}:${password}\n`, { mode: 0o600 });
  env = { PGPASSFILE: passfile, PGPASSWORD: '' };
  monitorUri = `postgres://${ATTACH_ROLE}@127.0.0.1:${lab.port}/pg_auto_failover`;
});

const tmux = new Tmux('pgha-attach');

afterAll(() => {
  tmux.kill();
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
});

describe('attach to a local lab by its monitor URI', () => {
  test('status --json gives the same node table as the local backend, with monitorUri and no password', async () => {
    const viaLocal = await statusOf(local('status', '--json'));
    const viaAttach = await statusOf(attach('status', '--json'));
    expect(viaAttach.backend).toBe('attach');
    expect(viaLocal.backend).toBe('local');
    expect(table(viaAttach)).toEqual(table(viaLocal));
    expect(viaAttach.nodes).toHaveLength(3);
    expect(viaAttach.monitorUri).toBe(`postgres://${ATTACH_ROLE}@127.0.0.1:${lab.port}/pg_auto_failover?sslmode=prefer`);
    expect(viaLocal.monitorUri).toMatch(new RegExp(`^postgres://[a-z_]+@127\\.0\\.0\\.1:${lab.port}/pg_auto_failover\\?sslmode=prefer$`));
  });

  test('PGPASSWORD works as well as the passfile', async () => {
    const r = await runCli(['status', '--json', '--monitor', monitorUri], 60_000, { PGPASSWORD: password, PGPASSFILE: join(secretsDir, 'none') });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Status).primary).toMatch(/^node\d$/);
  });

  test('PGSERVICE: host, port, user and password from a service file, the URI left bare', async () => {
    const file = join(secretsDir, 'pg_service.conf');
    writeFileSync(file, `# the monitor\n[pgha-mon]\nhost=127.0.0.1\nport=${lab.port}\nuser=${ATTACH_ROLE}\ndbname=pg_auto_failover\npassword=${password}\n`, { mode: 0o600 });
    const svcEnv = { PGSERVICEFILE: file, PGSYSCONFDIR: secretsDir, PGPASSFILE: join(secretsDir, 'none'), PGPASSWORD: '' };
    const r = await runCli(['status', '--json', '--monitor', 'postgres://'], 60_000, { ...svcEnv, PGSERVICE: 'pgha-mon' });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Status;
    expect(s.monitorUri).toBe(`postgres://${ATTACH_ROLE}@127.0.0.1:${lab.port}/pg_auto_failover?sslmode=prefer`);
    expect(s.primary).toMatch(/^node\d$/);
    expect(s.nodes.every((n) => n.readWrite !== null)).toBe(true);
    const viaParam = await runCli(['uri', '--monitor', 'postgres://?service=pgha-mon'], 60_000, svcEnv);
    expect(viaParam.code, viaParam.stderr).toBe(0);
    expect(`${viaParam.stdout}${viaParam.stderr}${r.stderr}`).not.toContain(password);
    const missing = await runCli(['status', '--monitor', 'postgres://?service=nope'], 60_000, svcEnv);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pgha-tui: definition of service "nope" not found \(looked in .*\)\n$/);
  });

  test('uri prints the monitor URI and the multi-host URI, without a password', async () => {
    const r = await attach('uri');
    expect(r.code, r.stderr).toBe(0);
    const ports = [1, 2, 3].map((i) => `127.0.0.1:${lab.port + i}`).join(',');
    expect(r.stdout).toBe(
      `monitor    postgres://${ATTACH_ROLE}@127.0.0.1:${lab.port}/pg_auto_failover?sslmode=prefer\n` +
        `formation  postgres://${ATTACH_ROLE}@${ports}/healthcare_db?target_session_attrs=read-write&sslmode=prefer\n`,
    );
    const l = await local('uri');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toContain(`/healthcare_db?target_session_attrs=read-write`);
    expect(l.stdout).not.toContain(labPasswords(lab.dir).superuser);
  });

  test('a password in the URI is never echoed, bad input is one line', async () => {
    const withPw = `postgres://${ATTACH_ROLE}:${password}@127.0.0.1:${lab.port}/pg_auto_failover`;
    const nope = await runCli(['status', '--monitor', withPw, '--formation', 'nope']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/^pgha-tui: formation "nope" is not on this monitor \(formations: default\)\n$/);
    const bad = await runCli(['status', '--monitor', `mysql://${ATTACH_ROLE}:${password}@x/y`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toContain(password);
    expect(bad.stderr).toContain('****');
    const free = await freeRange(1, 30000);
    const gone = await runCli(['status', '--monitor', `postgres://${ATTACH_ROLE}:${password}@127.0.0.1:${free}/pg_auto_failover`]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^pgha-tui: monitor postgres:\/\/pgha_watch@127\.0\.0\.1:\d+\/pg_auto_failover\?sslmode=prefer does not answer: .*\n$/);
    expect(gone.stderr).not.toContain(password);
    const typo = await attach('status', '--resolve', 'nosuch=127.0.0.1:1');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(new RegExp(`^pgha-tui: --resolve nosuch=127\\.0\\.0\\.1:1: no node of formation default registered as nosuch \\(registered: (127\\.0\\.0\\.1:\\d+(, )?){3}\\)\\n$`));
    const mixed = await runCli(['status', '--monitor', monitorUri, '--lab-dir', lab.dir]);
    expect(mixed.code).toBe(2);
  });

  test('host commands are refused with the reason, and nothing changes', async () => {
    const before = (await statusOf(attach('status', '--json'))).primary;
    for (const args of [['kill', 'primary'], ['stop', 'node2'], ['freeze', 'node2'], ['restart', 'node2'], ['start', 'node2'], ['partition', 'node2'], ['drill', '--fault', 'kill']]) {
      const r = await runCli([...args, '--monitor', monitorUri, '--allow-actions'], 60_000, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^pgha-tui: .*needs host access: attached through the monitor only.*\n$/);
    }
    expect(await local('status', '--json').then((r) => JSON.parse(r.stdout).primary)).toBe(before);
  });

  test('without --allow-actions every action is refused, and nothing changes', async () => {
    const before = (await statusOf(attach('status', '--json'))).primary;
    for (const args of [['failover'], ['promote', 'node3'], ['drill', '--fault', 'failover', '--runs', '1'], ['profile', 'default']]) {
      const r = await attach(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^pgha-tui: .*: read-only: .*\n$/);
    }
    const profile = await runCli(['profile', 'default', '--monitor', monitorUri, '--allow-actions'], 60_000, env);
    expect(profile.stderr).toMatch(/needs --allow-profile/);
    expect(profile.code).toBe(2);
    const tables = await queryOnce(superuser(lab.port + Number(before!.replace('node', '')), 'healthcare_db'), "SELECT to_regclass('pgha_tui.writes')::text AS t");
    expect(tables[0]!.t).toBeNull();
    expect((await statusOf(attach('status', '--json'))).primary).toBe(before);
  });

  test('the console, read-only: header says so, refused keys say why, the overlay lists them unavailable', async () => {
    const exitFile = join(secretsDir, 'console-exit');
    tmux.start(`PGPASSFILE=${env.PGPASSFILE} ${process.execPath} ${CLI} --monitor ${monitorUri}; echo $? > ${exitFile}; sleep 30`);
    const first = await tmux.waitFor((s) => /node3\s/.test(s) && s.includes('read-write'), 15_000);
    expect(first).toContain('backend attach (read-only)');
    tmux.keys('k');
    await tmux.waitFor((s) => s.includes('k (kill): needs host access'), 3_000);
    tmux.keys('f');
    await tmux.waitFor((s) => s.includes('f (failover): read-only: attached without --allow-actions'), 3_000);
    tmux.keys('l');
    await tmux.waitFor((s) => s.includes('l (load): read-only'), 3_000);
    tmux.keys('?');
    const help = await tmux.waitFor((s) => s.includes('unavailable: needs host access'), 3_000);
    expect(help).toContain('unavailable: read-only: attached without --allow-actions');
    tmux.keys('Escape');
    // Esc and q in one read are Alt+q to Ink: one key per read.
    await sleep(300);
    tmux.keys('q');
    const until = Date.now() + 10_000;
    while (!existsSync(exitFile) && Date.now() < until) await sleep(100);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    tmux.kill();
  }, 60_000);

  test('the console with --allow-actions runs the load over the multi-host route, 0 lost', async () => {
    const tm = new Tmux('pgha-attach-load');
    try {
      tm.start(`PGPASSFILE=${env.PGPASSFILE} ${process.execPath} ${CLI} --monitor ${monitorUri} --allow-actions`);
      await tm.waitFor((s) => /node3\s/.test(s) && s.includes('read-write'), 15_000);
      tm.keys('l');
      const running = await tm.waitFor((s) => /acknowledged [1-9]\d{2,}/.test(s), 20_000);
      expect(running).toContain(`route postgres://${ATTACH_ROLE}@127.0.0.1:${lab.port + 1},127.0.0.1:${lab.port + 2},127.0.0.1:${lab.port + 3}/healthcare_db?target_session_attrs=read-write`);
      tm.keys('l');
      await tm.waitFor((s) => /0 lost of \d+ acknowledged/.test(s), 30_000);
      tm.keys('q');
    } finally {
      tm.kill();
    }
  }, 90_000);

  test('with --allow-actions, F promotes the selected standby (asks first); promote does it from the command line, on the lab too', async () => {
    const before = await statusOf(attach('status', '--json'));
    const target = before.nodes.map((n) => n.name as string).find((n) => n !== before.primary)!;
    const tm = new Tmux('pgha-attach-promote');
    try {
      tm.start(`PGPASSFILE=${env.PGPASSFILE} ${process.execPath} ${CLI} --monitor ${monitorUri} --allow-actions`);
      await tm.waitFor((s) => /node3\s/.test(s) && s.includes('read-write'), 15_000);
      // Rows are sorted by name and the first starts selected. One key per read.
      for (let i = 0; i < before.nodes.findIndex((n) => n.name === target); i++) {
        tm.keys('Down');
        await sleep(300);
      }
      tm.keys('F');
      await tm.waitFor((s) => s.includes(`Promote ${target} to primary (perform_promotion)?`), 5_000);
      tm.keys('y');
      await tm.waitFor((s) => s.includes(`promotion of ${target} requested`), 10_000);
      // The table itself shows the promoted node read-write.
      await tm.waitFor((s) => new RegExp(`${target}\\s.*read-write`).test(s), 60_000);
      tm.keys('q');
    } finally {
      tm.kill();
    }
    const after = await waitStatus((s) => s.primary === target && s.nodes.every((n) => ['primary', 'secondary'].includes(n.reportedState as string)));
    expect(after.primary).toBe(target);
    // From the command line, on the local backend: to another standby, then a no-op on the primary.
    const next = after.nodes.map((n) => n.name as string).find((n) => n !== target)!;
    const r = await local('promote', next);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`promotion of ${next} requested`);
    await waitStatus((s) => s.primary === next && s.nodes.every((n) => ['primary', 'secondary'].includes(n.reportedState as string)));
    const again = await attach('promote', next, '--allow-actions');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${next} is the primary already: nothing done`);
    const unknown = await attach('promote', 'node9', '--allow-actions');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^pgha-tui: no node named "node9" \(nodes: .*\)\n$/);
  }, 180_000);

  test('a lab offers the same route: drill --route multi-host writes only the own table, 0 lost', async () => {
    const r = await local('drill', '--fault', 'failover', '--runs', '1', '--json', '--route', 'multi-host');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!).summary;
    expect(summary).toMatchObject({ runs: 1, failedRuns: 0, lost: 0 });
    const refused = await attach('drill', '--fault', 'failover', '--route', 'monitor', '--allow-actions');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^pgha-tui: --route monitor writes the lab's healthcare tables/);
  }, 120_000);

  test('with --allow-actions, drill --fault failover --runs 3 loses nothing over the multi-host route', async () => {
    const drilling = runCli(['drill', '--fault', 'failover', '--runs', '3', '--json', '--monitor', monitorUri, '--allow-actions'], 400_000, env);
    // While it runs, no process on this host has the password in its command line.
    let done = false;
    void drilling.then(() => (done = true));
    let scans = 0;
    while (!done) {
      for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
        let cmd = '';
        try {
          cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue; // gone
        }
        expect(cmd.includes(password), `pid ${pid}`).toBe(false);
      }
      scans += 1;
      await sleep(500);
    }
    expect(scans).toBeGreaterThan(3);
    const r = await drilling;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.at(-1).summary;
    expect(summary.runs).toBe(3);
    expect(summary.failedRuns).toBe(0);
    expect(summary.lost).toBe(0);
    expect(summary.acknowledged).toBeGreaterThan(50);
    const runs = lines.slice(0, 3);
    for (const run of runs) {
      expect(run.status).toBe('done');
      expect(run.newPrimary).not.toBe(run.victim);
      expect(run.clientRtoS).toBeGreaterThan(0);
    }
    // Only the console's own table was written: its rows cover every acknowledged write, and the
    // healthcare tables got none.
    const s = await statusOf(attach('status', '--json'));
    const conn = superuser(lab.port + Number(s.primary!.replace('node', '')), 'healthcare_db');
    const own = await queryOnce(conn, 'SELECT count(*)::int AS n FROM pgha_tui.writes');
    expect(own[0]!.n).toBeGreaterThanOrEqual(summary.acknowledged);
    const theirs = await queryOnce(conn, 'SELECT count(*)::int AS n FROM appointments WHERE load_id IS NOT NULL');
    expect(theirs[0]!.n).toBe(0);
    expect(r.stderr).not.toContain(password);
  }, 420_000);
});
