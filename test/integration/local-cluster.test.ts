// The local backend against a real pg_auto_failover cluster: up, status, data, restart, down.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, test } from 'vitest';
import { LocalBackend } from '../../src/backends/local/local-backend.js';
import { queryOnce } from '../../src/cluster/pg.js';
import { GUC_NAMES, PROFILES } from '../../src/cluster/profiles.js';
import { ClusterPoller } from '../../src/cluster/poller.js';
import { superuserName, resolveRunAs } from '../../src/backends/local/env.js';
import { CLI, labPasswords, newLab, processesOf, removeLabParent, runCli, sleep, useLab } from '../helpers/lab.js';

const lab = useLab();
const su = superuserName(resolveRunAs());
const node = (port: number, database = 'healthcare_db') => ({ host: '127.0.0.1', port, user: su, database, password: labPasswords(lab.dir).superuser });

async function status() {
  const r = await runCli(['status', '--json', ...lab.flags]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    formation: string;
    primary: string | null;
    monitorReachable: boolean;
    nodes: Array<{ name: string; port: number; reportedState: string; assignedState: string; health: string; readWrite: boolean | null; lsn: string | null; lagBytes: number | null; candidatePriority: number }>;
  };
}

describe('local backend on a real cluster', () => {
  test('up gives 1 primary + 2 secondaries with priorities 100/90/80, and status --json matches the monitor', async () => {
    const s = await status();
    expect(s.monitorReachable).toBe(true);
    expect(s.primary).toBe('node1');
    expect(s.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
    expect(s.nodes.map((n) => n.candidatePriority)).toEqual([100, 90, 80]);
    expect(s.nodes.filter((n) => n.reportedState === 'primary')).toHaveLength(1);
    expect(s.nodes.filter((n) => n.reportedState === 'secondary')).toHaveLength(2);
    expect(s.nodes.map((n) => n.readWrite)).toEqual([true, false, false]);
    expect(s.nodes.map((n) => n.port)).toEqual([lab.port + 1, lab.port + 2, lab.port + 3]);

    const monitor = await queryOnce(
      { host: '127.0.0.1', port: lab.port, user: 'autoctl_node', database: 'pg_auto_failover', password: labPasswords(lab.dir).autoctlNode },
      `SELECT nodename, nodeport, current_group_state::text AS rs, assigned_group_state::text AS gs, candidate_priority, health
         FROM pgautofailover.current_state('default') ORDER BY node_id`,
    );
    for (const m of monitor) {
      const n = s.nodes.find((x) => x.name === m.nodename)!;
      expect(n.port).toBe(m.nodeport);
      expect(n.candidatePriority).toBe(m.candidate_priority);
      expect(n.health).toBe(m.health === 1 ? 'good' : m.health === 0 ? 'bad' : 'unknown');
      // States may move between the two reads only during a transition, which a healthy lab has not.
      expect(n.reportedState).toBe(m.rs);
      expect(n.assignedState).toBe(m.gs);
    }
  });

  test("the default profile is pg_auto_failover's own, and it is what the monitor runs", async () => {
    // boot_val is the extension's compiled-in default, whatever ALTER SYSTEM set since.
    const rows = (await queryOnce(
      { host: '127.0.0.1', port: lab.port, user: su, database: 'pg_auto_failover', password: labPasswords(lab.dir).superuser },
      "SELECT name, boot_val, setting FROM pg_settings WHERE name LIKE 'pgautofailover.%'",
    )) as Array<{ name: string; boot_val: string; setting: string }>;
    for (const g of GUC_NAMES) {
      const row = rows.find((r) => r.name === `pgautofailover.${g}`);
      expect(row, g).toBeDefined();
      expect(Number(row!.boot_val), g).toBe(PROFILES.default!.gucs[g]);
      expect(Number(row!.setting), g).toBe(PROFILES.default!.gucs[g]);
    }
  });

  test('the healthcare database is on all three nodes, identical', async () => {
    const s = await status();
    const primary = s.nodes.find((n) => n.name === s.primary)!;
    const [{ lsn }] = (await queryOnce(node(primary.port), 'SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
    const sums = [];
    for (const n of s.nodes) {
      // A standby may trail by a moment: wait until it has replayed what the primary had.
      if (n.name !== primary.name) {
        const until = Date.now() + 15_000;
        for (;;) {
          const [r] = await queryOnce(node(n.port), 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up', [lsn]);
          if ((r as { caught_up: boolean }).caught_up) break;
          if (Date.now() > until) throw new Error(`${n.name} did not replay up to ${lsn} within 15 s`);
          await sleep(200);
        }
      }
      const rows = await queryOnce(node(n.port), `
        SELECT (SELECT count(*) FROM patients)::int AS patients,
               (SELECT count(*) FROM appointments)::int AS appointments,
               (SELECT count(*) FROM medical_facilities)::int AS facilities,
               (SELECT md5(string_agg(medical_record_number || last_name, ',' ORDER BY patient_id)) FROM patients) AS sum`);
      sums.push(rows[0]);
    }
    expect(sums[0]!.patients).toBeGreaterThan(0);
    expect(sums[0]!.appointments).toBeGreaterThan(0);
    expect(sums[0]!.facilities).toBeGreaterThan(0);
    expect(sums[1]).toEqual(sums[0]);
    expect(sums[2]).toEqual(sums[0]);
  });

  test('the dataset was loaded exactly once', async () => {
    const s = await status();
    const rows = await queryOnce(node(s.nodes[0]!.port), "SELECT count(*)::int AS n FROM lab_meta WHERE key = 'schema_version'");
    expect(rows[0]!.n).toBe(1);
  });

  test('a port in use: exit 2, one line, nothing started, nothing created', async () => {
    const other = await newLab();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(other.port + 2, '127.0.0.1', () => r()));
    try {
      const r = await runCli(['up', ...other.flags]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`port ${other.port + 2}`);
      expect(r.stderr).toContain('--base-port');
      expect(existsSync(other.dir)).toBe(false);
      expect(processesOf(other.dir)).toEqual([]);
    } finally {
      blocker.close();
      removeLabParent(other);
    }
  });

  test('a node that dies during up: exit 1, everything stopped, the end of its log shown, everything this up made removed', async () => {
    const other = await newLab();
    try {
      const child = spawn(process.execPath, [CLI, 'up', ...other.flags], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      // Kill node3's pg_autoctl (a process this up started, by the pid it recorded) once it runs.
      const record = join(other.dir, 'pids', 'node3.json');
      const until = Date.now() + 60_000;
      while (!existsSync(record) && Date.now() < until) await sleep(100);
      await sleep(300);
      process.kill((JSON.parse(readFileSync(record, 'utf8')) as { pid: number }).pid, 'SIGKILL');
      expect(await exited, stderr).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines.at(-1)).toBe(`pgha-tui: node3 exited during start; see ${other.dir}/logs/node3.log`);
      // The log goes with the lab, so its last lines are printed before it is removed.
      expect(lines.some((l) => /^\[[\d.]+s\]   \S/.test(l) && /INFO|WARN|ERROR|FATAL/.test(l)), stderr).toBe(true);
      expect(existsSync(other.dir)).toBe(false);
      expect(readdirSync(join(other.dir, '..'))).toEqual([]);
      expect(processesOf(other.dir)).toEqual([]);
    } finally {
      removeLabParent(other);
    }
  });

  test('an explicit base port that differs from the lab’s is refused with exit 2', async () => {
    const r = await runCli(['status', '--json', '--lab-dir', lab.dir, '--base-port', String(lab.port + 100)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`uses base port ${lab.port}`);
  });

  test('monitor down: the snapshot says so while the nodes still report; up restarts it', async () => {
    const backend = new LocalBackend({ labDir: lab.dir, basePort: lab.port, basePortExplicit: true, scale: 0.2 });
    await backend.kill('monitor');
    const poller = new ClusterPoller({ endpoints: await backend.endpoints(), backend: 'local', profile: () => 'default', events: false, tickBudgetMs: 3000 });
    try {
      const snap = await poller.tick();
      expect(snap.monitor.reachable).toBe(false);
      expect(snap.monitor.unreachableSince).not.toBeNull();
      expect(snap.monitor.error).toMatch(/ECONNREFUSED|refused/);
      // What the nodes say about themselves does not depend on the monitor.
      expect(snap.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
      expect(snap.primary).toBe('node1');
      expect(snap.nodes.map((n) => n.probe.readWrite)).toEqual([true, false, false]);
    } finally {
      poller.stop();
    }
    const st = await runCli(['status', '--json', ...lab.flags]);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ monitorReachable: false, primary: 'node1' });
    const u = await runCli(['up', ...lab.flags]);
    expect(u.code, u.stderr).toBe(0);
    expect((await status()).monitorReachable).toBe(true);
  });

  test('down keeps the data and up restarts the nodes from it, the last primary first', async () => {
    // node2 the primary, so the restart order is not simply the names' order.
    expect((await runCli(['promote', 'node2', ...lab.flags])).code).toBe(0);
    for (let i = 0; i < 120 && !((await status()).primary === 'node2' && (await status()).nodes.every((n) => ['primary', 'secondary'].includes(n.reportedState))); i++) await sleep(500);
    const s0 = await status();
    expect(s0.primary).toBe('node2');
    const before = await queryOnce(node(s0.nodes[0]!.port), 'SELECT system_identifier::text AS id FROM pg_control_system()');
    const d = await runCli(['down', ...lab.flags]);
    expect(d.code, d.stderr).toBe(0);
    expect(processesOf(lab.dir)).toEqual([]);
    expect(existsSync(lab.dir)).toBe(true);

    const u = await runCli(['up', ...lab.flags]);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stderr).toContain('restarting the lab');
    // The monitor fails a primary over as soon as its keeper says Postgres is not running while a
    // standby looks healthy: the last primary runs before its standbys start.
    const at = (l: string) => u.stderr.indexOf(l);
    expect(at('waiting for node2, the last primary, to run its Postgres')).toBeGreaterThan(at('starting node2'));
    expect(at('starting node1')).toBeGreaterThan(at('waiting for node2, the last primary'));
    expect(at('starting node3')).toBeGreaterThan(at('waiting for node2, the last primary'));
    const s1 = await status();
    expect(s1.primary).toBe('node2');
    expect(s1.nodes.filter((n) => n.reportedState === 'primary')).toHaveLength(1);
    const after = await queryOnce(node(s1.nodes.find((n) => n.readWrite)!.port), 'SELECT system_identifier::text AS id FROM pg_control_system()');
    expect(after[0]!.id).toBe(before[0]!.id);
    const meta = await queryOnce(node(s1.nodes[0]!.port), "SELECT count(*)::int AS n FROM lab_meta WHERE key = 'schema_version'");
    expect(meta[0]!.n).toBe(1);
  });

  test('down --volumes leaves no process and no directory', async () => {
    const r = await runCli(['down', '--volumes', ...lab.flags]);
    expect(r.code, r.stderr).toBe(0);
    expect(processesOf(lab.dir)).toEqual([]);
    expect(existsSync(lab.dir)).toBe(false);
    const again = await runCli(['status', '--json', ...lab.flags]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no lab in');
  });
});
