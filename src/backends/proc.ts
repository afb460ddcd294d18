// Process bookkeeping by id, never by name: pg_autoctl renames its children, and other people's
// PostgreSQL may run on the same host. A process is identified by (pid, start time) so a recycled
// pid is never mistaken for ours.
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { readStat } from '../lib/proc-stat.js';
import { sleep } from '../lib/time.js';

export interface ProcId {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot). */
  startTime: number;
}

export function procId(pid: number): ProcId | null {
  const st = readStat(pid);
  return st ? { pid, startTime: st.startTime } : null;
}

/** True while the very process we started is alive (not a zombie, not a recycled pid). */
export function isAlive(id: ProcId): boolean {
  const st = readStat(id.pid);
  return st !== null && st.startTime === id.startTime && st.state !== 'Z' && st.state !== 'X';
}

/** A pid that exists and is not a zombie. */
export function pidRuns(pid: number): boolean {
  const st = readStat(pid);
  return st !== null && st.state !== 'Z' && st.state !== 'X';
}

/**
 * Remove a pid file (pg_autoctl's, or Postgres's postmaster.pid) whose process is gone or a zombie.
 * After a SIGKILL the dead processes are reparented to init, and an init that reaps slowly leaves
 * zombies behind; pg_autoctl and Postgres test their pid files with kill(pid, 0), which succeeds
 * on a zombie, and then refuse to start ("already running").
 */
export function clearStalePidFile(path: string, unlink: (path: string) => void): boolean {
  const pid = Number(readSmallFile(path)?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pidRuns(pid)) return false;
  try {
    unlink(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Read a small regular file that someone else may control (a pid file in a data directory): no
 * symlink at the last step, no FIFO to block on, at most 4 KiB. Null when it is anything else.
 */
export function readSmallFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** True when the process is stopped by a signal (SIGSTOP): state T in /proc. */
export function isStopped(id: ProcId): boolean {
  return readStat(id.pid)?.state === 'T';
}

/** The process and all its descendants, parents first. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStat(Number(entry));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(st.pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (!readStat(pid)) continue;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/**
 * Live members of the session a process we started leads (we start each in its own session),
 * found even after the leader died: its children are reparented but keep its session id. Only
 * processes started no earlier than the leader count, so a recycled session id is not ours.
 */
export function sessionMembers(leader: ProcId): number[] {
  return allPids().filter((pid) => {
    const st = readStat(pid);
    return st !== null && st.session === leader.pid && st.startTime >= leader.startTime && st.state !== 'Z' && st.state !== 'X';
  });
}

/**
 * The postmaster running on a data dir, by its own record (postmaster.pid), checked against the
 * process's working directory (a postmaster runs in its data dir). pg_ctl starts it in a session
 * of its own, so it is not found through the session of the pg_autoctl that started it.
 */
export function postmasterOf(pgdata: string, uid: number): number | null {
  const pid = Number(readSmallFile(join(pgdata, 'postmaster.pid'))?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !pidRuns(pid)) return null;
  return ownedBy(pid, uid) && cwdOf(pid) === pgdata ? pid : null;
}

/** Real, effective, saved and filesystem uid all equal uid: a setuid child of ours does not pass. */
export function ownedBy(pid: number, uid: number): boolean {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Uid:'));
    const ids = line?.split(/\s+/).slice(1, 5).map(Number) ?? [];
    return ids.length === 4 && ids.every((i) => i === uid);
  } catch {
    return false;
  }
}

export function cwdOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/**
 * A process that is provably the lab's: it runs as the lab's user and works inside the lab
 * (pg_autoctl runs in the lab's data root, PostgreSQL in its data directory, and their children
 * inherit one or the other). Everything we signal passes this first.
 */
export function isLabProcess(pid: number, uid: number, root: string): boolean {
  if (!ownedBy(pid, uid)) return false;
  const cwd = cwdOf(pid);
  return cwd !== null && (cwd === root || cwd.startsWith(`${root}/`));
}

/** Send a signal to one pid we know to be ours; a process that exited meanwhile is fine. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* exited meanwhile */
  }
}

/** Signal a process we started and every descendant (postgres backends run in their own sessions). */
export function signalTree(id: ProcId, signal: NodeJS.Signals, ours: (pid: number) => boolean): number {
  if (!isAlive(id) || !ours(id.pid)) return 0;
  const pids = processTree(id.pid).filter(ours);
  // Stop/kill the parent first so it cannot spawn replacements while we walk its children.
  let n = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      n += 1;
    } catch {
      /* exited meanwhile */
    }
  }
  return n;
}

/** The command line that runs argv as `user` (setpriv execs, so the pid stays), or as ourselves. */
export function asUser(user: { uid: number; gid: number } | null | undefined, argv: string[]): [string, string[]] {
  return user ? ['setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]] : [argv[0]!, argv.slice(1)];
}

export interface SpawnSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** Run as this user (setpriv keeps the pid: it execs, it does not fork). */
  runAs?: { uid: number; gid: number } | null;
}

/** Start a long-lived process in its own session, detached from us, logging to a file. */
export function spawnDetached(spec: SpawnSpec): ProcId {
  // O_NOFOLLOW: the log dir is ours, but a planted link must never make us open another file.
  const fd = openSync(spec.logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const [cmd, args] = asUser(spec.runAs, [spec.command, ...spec.args]);
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env,
      cwd: spec.cwd,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.on('error', () => undefined);
    child.unref();
    const id = procId(child.pid);
    if (!id) throw new Error(`${spec.command} exited at once; see ${spec.logFile}`);
    return id;
  } finally {
    closeSync(fd);
  }
}


/** Wait until none of the given processes is alive; false on timeout. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const alive = () => pids.filter((p) => {
    const st = readStat(p);
    return st !== null && st.state !== 'Z';
  });
  while (alive().length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
