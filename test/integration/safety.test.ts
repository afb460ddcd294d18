// Safe by construction, on a real cluster: the lab directory is ours or untouched, root never
// acts on what the user running PostgreSQL can write, and nobody but the lab's user gets in.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LocalBackend } from '../../src/backends/local/local-backend.js';
import { resolveRunAs, superuserName } from '../../src/backends/local/env.js';
import { CLI, newLab, processesOf, runCli, sleep, useLab } from '../helpers/lab.js';

const lab = useLab();
const runAs = resolveRunAs();
const asRoot = runAs !== null;

/** A scratch parent for directories these tests make; removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'pgha-safety-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function decoy(name: string): { dir: string; files: Record<string, string> } {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  const files = { 'notes.txt': 'a user file\n', 'sub/keep.me': 'another\n', 'lab.json': '{"version":1}\n' };
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  return { dir, files };
}

function intact(d: { dir: string; files: Record<string, string> }): void {
  for (const [f, body] of Object.entries(d.files)) expect(readFileSync(join(d.dir, f), 'utf8')).toBe(body);
  expect(statSync(d.dir).uid).toBe(process.geteuid!());
}

/** Run a command as another user; returns its exit status and output. */
function as(uid: number, gid: number, argv: string[]): { status: number | null; out: string } {
  const r = spawnSync('setpriv', ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', '--', ...argv], { encoding: 'utf8', cwd: '/' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the lab directory is ours or untouched', () => {
  test('a non-empty directory that is not a lab: exit 2, one line, nothing changed (even with a lab.json in it)', async () => {
    const d = decoy('foreign');
    for (const cmd of [['up'], ['down', '--volumes'], ['status']]) {
      const r = await runCli([...cmd, '--backend', 'local', '--lab-dir', d.dir, '--base-port', String(lab.port + 50)]);
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('not a pgha-tui lab');
      intact(d);
    }
  });

  test('a file, /, a system directory and the home directory are refused with one line', async () => {
    const file = join(scratch, 'afile');
    writeFileSync(file, 'x');
    const up = await runCli(['up', '--backend', 'local', '--lab-dir', file]);
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/not a directory/);
    expect(up.stderr).not.toMatch(/EEXIST|at .*\.js/);
    for (const dir of ['/', '/etc', '/var/lib', process.env.HOME ?? '/root']) {
      const r = await runCli(['down', '--volumes', '--backend', 'local', '--lab-dir', dir]);
      expect(r.code, dir).toBe(2);
      expect(r.stderr).toMatch(/refusing to remove|never makes, uses or removes a lab there/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('an interrupted fresh up in a new directory under missing parents removes all it made, parents included', async () => {
    const other = await newLab();
    const parent = join(scratch, 'np');
    const dir = join(parent, 'a', 'lab');
    const child = spawn(process.execPath, [CLI, 'up', '--backend', 'local', '--lab-dir', dir, '--base-port', String(other.port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    const until = Date.now() + 60_000;
    while (!/starting node1/.test(stderr) && Date.now() < until) await sleep(50);
    child.kill('SIGINT');
    expect(await exited, stderr).not.toBe(0);
    expect(existsSync(parent), stderr).toBe(false);
    expect(readdirSync(scratch).filter((f) => f.includes('failed-up'))).toEqual([]);
    expect(processesOf(dir)).toEqual([]);
  });

  test('a failed fresh up in an existing empty directory leaves that directory as it was, owner and mode', async () => {
    const other = await newLab();
    const dir = join(scratch, 'empty');
    mkdirSync(dir, { mode: 0o755 });
    const before = statSync(dir);
    // A start that cannot finish in time: everything it created must go, the directory stays.
    const backend = new LocalBackend({ labDir: dir, basePort: other.port, basePortExplicit: true, scale: 0.2, upTimeoutMs: 1500 });
    const lines: string[] = [];
    await expect(backend.up((l) => lines.push(l), new AbortController().signal)).rejects.toThrow(/in time|did not/);
    expect(readdirSync(dir)).toEqual([]);
    const after = statSync(dir);
    expect([after.uid, after.gid, after.mode]).toEqual([before.uid, before.gid, before.mode]);
    expect(processesOf(dir)).toEqual([]);
  });

  test('a lab carries the marker pgha-tui wrote: format tag, version and a random id', async () => {
    const st = lstatSync(join(lab.dir, 'lab.json'));
    expect(st.isFile()).toBe(true);
    const marker = JSON.parse(readFileSync(join(lab.dir, 'lab.json'), 'utf8'));
    expect(marker).toMatchObject({ format: 'pgha-tui-lab', version: 2 });
    expect(marker.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe.runIf(asRoot)('root never trusts what the postgres user can write', () => {
  test('the lab dir, pids/, logs/ and secrets/ are root-only; postgres cannot rename or plant anything there', () => {
    const pg = runAs!;
    for (const d of ['', 'pids', 'logs', 'secrets']) {
      const st = statSync(join(lab.dir, d));
      expect(st.uid, d).toBe(0);
      expect(st.mode & 0o022, d).toBe(0);
    }
    expect(statSync(join(lab.dir, 'pg')).uid).toBe(pg.uid);
    // pg_autoctl's pid files stay inside the lab (without XDG_RUNTIME_DIR they go to /tmp).
    expect(readdirSync(join(lab.dir, 'pg', 'xdg', 'run', 'pg_autoctl')).length).toBeGreaterThan(0);
    expect(existsSync(join(tmpdir(), 'pg_autoctl', lab.dir.slice(1)))).toBe(false);
    expect(as(pg.uid, pg.gid, ['mv', join(lab.dir, 'pids'), join(lab.dir, 'pids.x')]).status).not.toBe(0);
    expect(as(pg.uid, pg.gid, ['sh', '-c', `echo '{"pid":1,"startTime":0}' > ${join(lab.dir, 'pids', 'node9.json')}`]).status).not.toBe(0);
    expect(as(pg.uid, pg.gid, ['ln', '-sf', '/etc/shadow', join(lab.dir, 'logs', 'node1.log')]).status).not.toBe(0);
    expect(as(pg.uid, pg.gid, ['cat', join(lab.dir, 'secrets', 'passwords.json')]).status).not.toBe(0);
    expect(existsSync(join(lab.dir, 'pids.x'))).toBe(false);
  });

  test('a postmaster.pid naming a root process and a pid-file symlink to a root file, planted by postgres, change nothing root does', async () => {
    const pg = runAs!;
    const victim = spawn('sleep', ['300'], { stdio: 'ignore' });
    const rootFile = join(scratch, 'root-only');
    writeFileSync(rootFile, 'root data\n', { mode: 0o600 });
    try {
      const stop = await runCli(['stop', 'node3', ...lab.flags]);
      expect(stop.code, stop.stderr).toBe(0);
      const pgdata = join(lab.dir, 'pg', 'node3');
      // As postgres: a postmaster.pid that names root's process, and pg_autoctl's pid file as a link.
      expect(as(pg.uid, pg.gid, ['sh', '-c', `printf '%s\\n' ${victim.pid} > ${pgdata}/postmaster.pid`]).status).toBe(0);
      const runDir = join(lab.dir, 'pg', 'xdg', 'run', 'pg_autoctl', lab.dir, 'pg', 'node3');
      expect(as(pg.uid, pg.gid, ['sh', '-c', `mkdir -p ${runDir} && ln -sf ${rootFile} ${runDir}/pg_autoctl.pid`]).status).toBe(0);
      // Root's down looks for orphans through postmaster.pid; root's start clears stale pid files.
      const down = await runCli(['down', ...lab.flags]);
      expect(down.code, down.stderr).toBe(0);
      const start = await runCli(['start', 'node3', ...lab.flags]);
      expect(start.code, start.stderr).toBe(0);
      await sleep(1500);
      const again = await runCli(['down', ...lab.flags]);
      expect(again.code, again.stderr).toBe(0);
      expect(victim.exitCode).toBeNull();
      expect(victim.signalCode).toBeNull();
      expect(readFileSync(rootFile, 'utf8')).toBe('root data\n');
      expect(as(pg.uid, pg.gid, ['rm', '-f', `${pgdata}/postmaster.pid`, `${runDir}/pg_autoctl.pid`]).status).toBe(0);
    } finally {
      victim.kill('SIGKILL');
      const up = await runCli(['up', ...lab.flags]);
      expect(up.code, up.stderr).toBe(0);
    }
  });
});

describe('nobody but the lab’s own user gets in', () => {
  test('as nobody (and another uid), every connection to the monitor and each node is refused, over TCP and the socket', () => {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const ports = [lab.port, lab.port + 1, lab.port + 2, lab.port + 3];
    for (const uid of [nobody, 54321]) {
      for (const port of ports) {
        for (const host of ['127.0.0.1', '/var/run/postgresql']) {
          for (const user of ['postgres', 'autoctl_node', 'pgautofailover_replicator', 'pgautofailover_monitor']) {
            const r = as(uid, 65534, ['psql', '-X', '-w', '-h', host, '-p', String(port), '-U', user, '-d', 'postgres', '-c', 'SELECT 1']);
            expect(r.status, `${uid} ${host}:${port} as ${user}: ${r.out}`).not.toBe(0);
            expect(r.out).toMatch(/password|Peer authentication|rejects|no pg_hba/);
          }
        }
      }
    }
  });

  test('the monitor and the nodes listen on loopback only', () => {
    const ss = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
    for (const port of [lab.port, lab.port + 1, lab.port + 2, lab.port + 3]) {
      const local = ss.split('\n').map((l) => l.split(/\s+/)[3] ?? '').filter((a) => a.endsWith(`:${port}`));
      expect(local.length, String(port)).toBeGreaterThan(0);
      expect(local.every((a) => a === `127.0.0.1:${port}`), local.join(' ')).toBe(true);
    }
  });

  test('the user who started the lab keeps an easy way in: pgha-tui psql, with no password in argv', async () => {
    const st = JSON.parse((await runCli(['status', '--json', ...lab.flags])).stdout) as { primary: string; nodes: { name: string }[] };
    const standby = st.nodes.find((n) => n.name !== st.primary)!.name;
    const r = await runCli(['psql', standby, ...lab.flags, '--', '-Atc', 'SELECT pg_is_in_recovery()']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('t');
    const p = await runCli(['psql', ...lab.flags, '--', '-Atc', 'SELECT pg_is_in_recovery(), current_user']);
    expect(p.stdout.trim()).toBe(`f|${superuserName(runAs)}`);
    const m = await runCli(['psql', 'monitor', ...lab.flags, '--', '-Atc', 'SELECT count(*) FROM pgautofailover.node']);
    expect(m.stdout.trim()).toBe('3');
    const pw = JSON.parse(readFileSync(join(lab.dir, 'secrets', 'passwords.json'), 'utf8')) as Record<string, string>;
    for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      for (const secret of Object.values(pw)) expect(cmd.includes(secret)).toBe(false);
    }
    for (const f of readdirSync(join(lab.dir, 'logs'))) {
      const log = readFileSync(join(lab.dir, 'logs', f), 'utf8');
      for (const secret of Object.values(pw)) expect(log.includes(secret), f).toBe(false);
    }
    for (const f of ['passwords.json', 'pgpass']) expect(statSync(join(lab.dir, 'secrets', f)).mode & 0o777).toBe(0o600);
  });

  test('up on a lab with a frozen node names it at once instead of waiting out its time limit', async () => {
    const f = await runCli(['freeze', 'node3', ...lab.flags]);
    expect(f.code, f.stderr).toBe(0);
    try {
      const t0 = Date.now();
      const r = await runCli(['up', ...lab.flags]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/node3 is frozen \(SIGSTOP\): thaw with pgha-tui thaw node3/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await runCli(['thaw', 'node3', ...lab.flags]);
    }
  });
});
