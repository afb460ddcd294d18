// Starting and stopping the lab's pg_autoctl processes: their environment and command lines, each
// in a session of its own, and the stop that also finds what a dead pg_autoctl left behind.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { portFree } from '../../lib/ports.js';
import { sleep } from '../../lib/time.js';
import { asUser, clearStalePidFile, isAlive, postmasterOf, processTree, sessionMembers, signal, signalTree, spawnDetached, waitGone, type ProcId } from '../proc.js';
import { resolveRunAs, type LocalTools, type RunAs } from './env.js';
import { MONITOR, NODE_SPECS, type LocalLab } from './lab.js';

export function processEnv(lab: LocalLab, tools: LocalTools): NodeJS.ProcessEnv {
  return {
    // A minimal PATH: root's PATH may hold dirs that `postgres` cannot read.
    PATH: `${tools.pgBinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: lab.pg(),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    // Keepers, walreceivers, pg_basebackup and pg_rewind find their passwords here.
    PGPASSFILE: lab.pg('pgpass'),
    XDG_CONFIG_HOME: lab.pg('xdg', 'config'),
    XDG_DATA_HOME: lab.pg('xdg', 'data'),
    XDG_RUNTIME_DIR: lab.pg('xdg', 'run'),
  };
}

/** pg_autoctl keeps its config per PGDATA under XDG_CONFIG_HOME; present once `create` has run. */
export function created(lab: LocalLab, name: string): boolean {
  return existsSync(join(lab.pg('xdg', 'config', 'pg_autoctl'), lab.pg(name), 'pg_autoctl.cfg'));
}

function commandFor(lab: LocalLab, name: string, tools: LocalTools): string[] {
  const pgdata = lab.pg(name);
  if (created(lab, name)) return ['run', '--pgdata', pgdata];
  // --skip-pg-hba: pg_hba.conf is ours (auth.ts); pg_autoctl would add trust lines.
  const common = ['--pgdata', pgdata, '--pgport', String(lab.portOf(name)), '--pgctl', join(tools.pgBinDir, 'pg_ctl'), '--hostname', '127.0.0.1', '--skip-pg-hba', '--no-ssl'];
  if (name === MONITOR) return ['create', 'monitor', ...common];
  const spec = NODE_SPECS.find((n) => n.name === name)!;
  const monitorUri = `postgres://autoctl_node@127.0.0.1:${lab.portOf(MONITOR)}/pg_auto_failover?sslmode=disable`;
  return [
    'create', 'postgres', ...common,
    '--listen', '127.0.0.1',
    '--name', name,
    '--formation', lab.formation,
    '--monitor', monitorUri,
    '--dbname', 'healthcare_db',
    '--candidate-priority', String(spec.priority),
    '--replication-quorum', 'true',
    '--run',
  ];
}

/**
 * `create monitor` has no --listen and starts PostgreSQL with -h '*' (its pg_hba.conf, ours,
 * admits loopback only, but nothing should listen beyond it): create it without --run, set its
 * listen address in its own config, then run it like every other node.
 */
export function createMonitor(lab: LocalLab, tools: LocalTools, runAs: RunAs | null): void {
  const log = lab.logFile(MONITOR);
  const env = processEnv(lab, tools);
  runLogged(runAs, [tools.pgAutoctl, ...commandFor(lab, MONITOR, tools)], env, lab.pg(), log, `creating the monitor failed; see ${log}`);
  runLogged(runAs, [tools.pgAutoctl, 'config', 'set', '--pgdata', lab.pg(MONITOR), 'postgresql.listen_addresses', '127.0.0.1'], env, lab.pg(), log, `configuring the monitor failed; see ${log}`);
}

export async function launch(lab: LocalLab, name: string, tools: LocalTools, runAs: RunAs | null): Promise<ProcId> {
  // Stale pid files in pg/ are removed with the privileges of the user who owns pg/, never root's.
  const unlinkAsLab = (path: string) => runAsLab(resolveRunAs(), ['rm', '-f', '--', path]);
  clearStalePidFile(join(lab.pg('xdg', 'run', 'pg_autoctl'), lab.pg(name), 'pg_autoctl.pid'), unlinkAsLab);
  clearStalePidFile(join(lab.pg(name), 'postmaster.pid'), unlinkAsLab);
  const id = spawnDetached({
    command: tools.pgAutoctl,
    args: commandFor(lab, name, tools),
    env: processEnv(lab, tools),
    cwd: lab.pg(),
    logFile: lab.logFile(name),
    runAs,
  });
  lab.pids.record(name, id);
  // setpriv starts as root and execs pg_autoctl as the lab's user a moment later; until then the
  // process would fail the ownership test and look like one that is not ours (or exited).
  const until = Date.now() + 5_000;
  while (isAlive(id) && !lab.pids.ours(id.pid) && Date.now() < until) await sleep(5);
  return id;
}

export async function checkPortsFree(lab: LocalLab, names: string[]): Promise<void> {
  for (const name of names) {
    const port = lab.portOf(name);
    if (!(await portFree(port))) {
      throw new UserError(`port ${port} (for ${name}) is already in use: stop what uses it or pick another range with --base-port`, 2);
    }
  }
}

/** Stop the given processes cleanly (SIGTERM: pg_autoctl stops Postgres fast), then hard. */
export async function stopAll(lab: LocalLab, names: string[]): Promise<void> {
  const ours = lab.pids.ours;
  const leaders = names.map((n) => lab.pids.running(n)).filter((x): x is ProcId => x !== null);
  const orphans = names.filter((n) => !lab.pids.running(n)).flatMap((n) => orphansOf(lab, n));
  const everything = [...leaders.flatMap((id) => processTree(id.pid).filter(ours)), ...orphans];
  for (const id of leaders) {
    signalTree(id, 'SIGCONT', ours); // a frozen process cannot act on SIGTERM
    signal(id.pid, 'SIGTERM');
  }
  for (const pid of orphans) {
    signal(pid, 'SIGCONT');
    signal(pid, 'SIGTERM');
  }
  if (!(await waitGone(everything, 30_000))) {
    for (const id of leaders) signalTree(id, 'SIGKILL', ours);
    for (const pid of orphans.filter(ours)) signal(pid, 'SIGKILL');
    await waitGone(everything, 5_000);
  }
}

/**
 * What is left of a node whose pg_autoctl died (killed, or crashed during start): its children
 * keep its session, and its postmaster runs in a session of its own.
 */
function orphansOf(lab: LocalLab, name: string): number[] {
  const id = lab.pids.recorded(name);
  const pids = id ? sessionMembers(id) : [];
  const pm = postmasterOf(lab.pg(name), lab.labUid());
  if (pm) pids.push(...processTree(pm));
  return [...new Set(pids)].filter(lab.pids.ours);
}

/** Run a short command as the lab's user (as root) or as ourselves; failures are errors. */
export function runAsLab(runAs: RunAs | null, argv: string[]): void {
  const [cmd, args] = asUser(runAs, argv);
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) throw new Error(`${argv.join(' ')}: ${(res.stderr ?? '').trim() || res.signal}`);
}

/** Run a pg_autoctl step to completion as the lab's user, appending its output to a log of ours. */
function runLogged(runAs: RunAs | null, argv: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string, failure: string): void {
  const fd = openSync(logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const [cmd, args] = asUser(runAs, argv);
    const res = spawnSync(cmd, args, { stdio: ['ignore', fd, fd], env, cwd, timeout: 120_000 });
    if (res.status !== 0) throw new UserError(failure);
  } finally {
    closeSync(fd);
  }
}
