// Process bookkeeping on real processes this test starts (and kills, by pid, on every way out).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  asUser,
  clearStalePidFile,
  cwdOf,
  isAlive,
  isLabProcess,
  isStopped,
  ownedBy,
  pidRuns,
  postmasterOf,
  procId,
  processTree,
  readSmallFile,
  sessionMembers,
  signal,
  signalTree,
  spawnDetached,
  waitGone,
  type ProcId,
} from '../../src/backends/proc.js';
import { readStat } from '../../src/lib/proc-stat.js';

const dir = mkdtempSync(join(tmpdir(), 'pgha-proc-'));
const uid = process.getuid!();
const started: ProcId[] = [];

/** A shell (session leader) with two sleeping children, in its own session under `cwd`. */
function family(cwd: string): { id: ProcId; all: () => number[] } {
  mkdirSync(cwd, { recursive: true });
  const id = spawnDetached({ command: 'sh', args: ['-c', 'sleep 300 & sleep 300 & wait'], env: { PATH: process.env.PATH }, cwd, logFile: join(dir, 'family.log') });
  started.push(id);
  return { id, all: () => sessionMembers(id) };
}

async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  for (const id of started.splice(0)) {
    const pids = [id.pid, ...sessionMembers(id)];
    for (const p of pids) signal(p, 'SIGKILL');
    await waitGone(pids, 5000);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('proc: processes the lab started', () => {
  it('finds a started process, its tree and its session; knows it by pid and start time', async () => {
    const { id, all } = family(join(dir, 'lab'));
    await until(() => all().length === 3);
    expect(isAlive(id)).toBe(true);
    expect(procId(id.pid)).toEqual(id);
    const tree = processTree(id.pid);
    expect(tree[0]).toBe(id.pid);
    expect(tree.sort()).toEqual(all().sort());
    for (const p of tree.slice(1)) expect(readStat(p)?.ppid).toBe(id.pid);
    // A recycled pid (same number, another start time) is not ours.
    expect(isAlive({ pid: id.pid, startTime: id.startTime + 1 })).toBe(false);
    expect(procId(2 ** 22 + 1)).toBeNull();
    expect(pidRuns(2 ** 22 + 1)).toBe(false);
  });

  it('tells a lab process by every uid and by its working directory inside the lab', async () => {
    const lab = join(dir, 'lab');
    const { id } = family(join(lab, 'node1'));
    const sibling = family(join(dir, 'lab2'));
    expect(cwdOf(id.pid)).toBe(join(lab, 'node1'));
    expect(ownedBy(id.pid, uid)).toBe(true);
    expect(ownedBy(id.pid, uid + 4242)).toBe(false);
    expect(isLabProcess(id.pid, uid, lab)).toBe(true);
    expect(isLabProcess(id.pid, uid + 4242, lab)).toBe(false);
    // A directory whose name merely starts with the lab's is not inside it.
    expect(isLabProcess(sibling.id.pid, uid, lab)).toBe(false);
    expect(ownedBy(2 ** 22 + 1, uid)).toBe(false);
    expect(cwdOf(2 ** 22 + 1)).toBeNull();
  });

  it('freezes and thaws a whole tree, signalling only what passes the ownership test', async () => {
    const { id, all } = family(join(dir, 'lab'));
    await until(() => all().length === 3);
    const [child1, child2] = all().filter((p) => p !== id.pid);
    expect(signalTree(id, 'SIGSTOP', (p) => p !== child2)).toBe(2);
    await until(() => isStopped(id) && readStat(child1!)?.state === 'T');
    expect(readStat(child2!)?.state).not.toBe('T');
    expect(signalTree(id, 'SIGCONT', () => true)).toBe(3);
    await until(() => !isStopped(id) && readStat(child1!)?.state !== 'T');
    // Not ours: nothing at all is signalled.
    expect(signalTree(id, 'SIGKILL', () => false)).toBe(0);
    expect(isAlive(id)).toBe(true);
  });

  it('kills a tree, waits until it is gone, and signals nothing once the process is no longer ours', async () => {
    const { id, all } = family(join(dir, 'lab'));
    await until(() => all().length === 3);
    const pids = all();
    expect(await waitGone(pids, 200)).toBe(false);
    expect(signalTree(id, 'SIGKILL', () => true)).toBe(3);
    expect(await waitGone(pids, 5000)).toBe(true);
    expect(isAlive(id)).toBe(false);
    expect(sessionMembers(id)).toEqual([]);
    expect(signalTree(id, 'SIGKILL', () => true)).toBe(0);
    expect(() => signal(id.pid, 'SIGTERM')).not.toThrow();
  });

  it('finds the session members after their leader died (reparented children)', async () => {
    const { id, all } = family(join(dir, 'lab'));
    await until(() => all().length === 3);
    const children = all().filter((p) => p !== id.pid);
    signal(id.pid, 'SIGKILL');
    await until(() => !isAlive(id));
    expect(sessionMembers(id).sort()).toEqual(children.sort());
    expect(processTree(id.pid)).not.toEqual(expect.arrayContaining(children));
  });

  it('finds a postmaster by its pid file only when it runs in that data directory', async () => {
    const pgdata = join(dir, 'pgdata');
    const elsewhere = join(dir, 'elsewhere');
    const { id } = family(pgdata);
    writeFileSync(join(pgdata, 'postmaster.pid'), `${id.pid}\n${pgdata}\n`);
    expect(postmasterOf(pgdata, uid)).toBe(id.pid);
    expect(postmasterOf(pgdata, uid + 4242)).toBeNull();
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'postmaster.pid'), `${id.pid}\n`);
    expect(postmasterOf(elsewhere, uid)).toBeNull();
  });
});

describe('proc: files someone else may control', () => {
  it('reads a small regular file, and nothing through a link, from a FIFO or a directory', () => {
    const f = join(dir, 'pidfile');
    writeFileSync(f, '123\nmore\n');
    expect(readSmallFile(f)).toBe('123\nmore\n');
    const link = join(dir, 'link');
    symlinkSync(f, link);
    expect(readSmallFile(link)).toBeNull();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(readSmallFile(fifo)).toBeNull();
    expect(readSmallFile(dir)).toBeNull();
    expect(readSmallFile(join(dir, 'missing'))).toBeNull();
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(10_000));
    expect(readSmallFile(big)).toHaveLength(4096);
  });

  it('removes a pid file only when its process is gone', async () => {
    const f = join(dir, 'stale.pid');
    const child = spawn('true');
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    await until(() => !pidRuns(pid));
    writeFileSync(f, `${pid}\n`);
    expect(clearStalePidFile(f, unlinkSync)).toBe(true);
    expect(existsSync(f)).toBe(false);
    writeFileSync(f, `${process.pid}\n`);
    expect(clearStalePidFile(f, unlinkSync)).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe(`${process.pid}\n`);
    writeFileSync(f, 'garbage\n');
    expect(clearStalePidFile(f, unlinkSync)).toBe(false);
    expect(clearStalePidFile(join(dir, 'none.pid'), unlinkSync)).toBe(false);
  });

  it('builds the setpriv line for another user and runs argv as is for ourselves', () => {
    expect(asUser(null, ['pg_autoctl', 'run'])).toEqual(['pg_autoctl', ['run']]);
    expect(asUser({ uid: 105, gid: 110 }, ['pg_autoctl', 'run'])).toEqual(['setpriv', ['--reuid', '105', '--regid', '110', '--init-groups', '--', 'pg_autoctl', 'run']]);
  });

  it('spawnDetached logs to its file and refuses a log path that is a link', () => {
    const log = join(dir, 'echo.log');
    const target = join(dir, 'not-ours');
    writeFileSync(target, '');
    symlinkSync(target, join(dir, 'planted.log'));
    expect(() => spawnDetached({ command: 'sh', args: ['-c', 'echo hi'], env: {}, cwd: dir, logFile: join(dir, 'planted.log') })).toThrow(/ELOOP/);
    expect(readFileSync(target, 'utf8')).toBe('');
    const id = spawnDetached({ command: 'sh', args: ['-c', 'echo hello; sleep 300'], env: { PATH: process.env.PATH }, cwd: dir, logFile: log });
    started.push(id);
    return until(() => readFileSync(log, 'utf8') === 'hello\n');
  });
});
