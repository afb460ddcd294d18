// Making and unmaking a lab directory: the checks a new lab needs, our own directories, the
// generated passwords, the monitor's and node1's data directories, the marker; and their removal.
import { accessSync, chownSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { initDataDir, newPassword, newPasswords, passfile, REPLICATOR, writePrivate } from './auth.js';
import { resolveRunAs, type LocalTools, type RunAs } from './env.js';
import { MONITOR, type LocalLab } from './lab.js';
import { LEARN_PROGRESS, MARKER, newMarker, removeCreated, writableBy, type CreatedDirs } from './lab-dir.js';
import { created, processEnv, runAsLab } from './launcher.js';
import { EXPORTER_ROLE } from './monitoring-config.js';

const SOCKET_DIR = '/var/run/postgresql';

/**
 * The checks a fresh lab needs before anything is created: as root, the user that runs
 * PostgreSQL must be able to enter the lab dir but not write into it or rename it.
 */
export function checkPlace(lab: LocalLab, runAs: RunAs | null, existing: boolean): void {
  if (!runAs) return;
  if (existing && writableBy(lab.labDir, runAs)) {
    throw new UserError(`--lab-dir ${lab.labDir}: user ${runAs.name} can write into it; as root the lab needs a directory only root can write`, 2);
  }
  // The nearest existing ancestor: a place where runAs could swap our directory for its own.
  let anc = dirname(lab.labDir);
  while (!existsSync(anc)) anc = dirname(anc);
  const st = statSync(anc);
  if (writableBy(anc, runAs) && (st.mode & 0o1000) === 0) {
    throw new UserError(`--lab-dir ${lab.labDir}: user ${runAs.name} can write into ${anc}; pick a directory under one only root can write (or /tmp)`, 2);
  }
  checkTraversable(runAs, existing ? lab.labDir : anc);
}

/** `postgres` must be able to reach the lab dir through every existing parent. */
function checkTraversable(runAs: RunAs, from: string): void {
  let dir = from;
  for (;;) {
    const st = statSync(dir);
    const ok = (st.mode & 0o001) !== 0 || (st.uid === runAs.uid && (st.mode & 0o100) !== 0) || (st.gid === runAs.gid && (st.mode & 0o010) !== 0);
    if (!ok) throw new UserError(`user ${runAs.name} cannot enter ${dir}, on the way to the lab dir: pick another --lab-dir (default for root: /var/lib/pgha-tui/lab)`, 2);
    if (dir === '/') break;
    dir = dirname(dir);
  }
}

export function checkSocketDir(runAs: RunAs | null): void {
  if (runAs) {
    // Debian creates the socket dir at boot; containers and fresh CI machines may not have it.
    // Only ever created here, never chowned when it exists: it is the system's.
    if (!existsSync(SOCKET_DIR)) {
      mkdirSync(SOCKET_DIR, { recursive: true, mode: 0o2775 });
      chownSync(SOCKET_DIR, runAs.uid, runAs.gid);
    }
    return;
  }
  try {
    accessSync(SOCKET_DIR, constants.W_OK);
  } catch {
    throw new UserError(`PostgreSQL's socket directory ${SOCKET_DIR} is not writable by you: run as root, or add yourself to the postgres group (sudo adduser $USER postgres) and log in again`);
  }
}

/**
 * pg_autoctl would initdb a missing data dir with trust for everyone: the monitor's and node1's
 * must be the ones we made (standbys are cloned from a primary, pg_hba.conf included).
 */
export function checkComplete(lab: LocalLab): void {
  for (const n of [MONITOR, 'node1']) {
    if (!created(lab, n) && !existsSync(lab.pg(n, 'PG_VERSION'))) {
      throw new UserError(`the lab in ${lab.labDir} is incomplete (${n}'s data directory is missing): remove it with pgha-tui down --volumes and start again`);
    }
  }
}

/**
 * Everything a fresh lab needs before the first process starts: marker, our own directories,
 * generated passwords, and the monitor's and node1's data directories (initdb + pg_hba + roles).
 */
export async function createLab(lab: LocalLab, tools: LocalTools, runAs: RunAs | null): Promise<void> {
  const owner = runAs ? { uid: runAs.uid, gid: runAs.gid } : null;
  for (const d of ['pids', 'logs', 'secrets']) mkdirSync(lab.path(d), { mode: 0o700 });
  mkdirSync(lab.pg(), { mode: 0o700 });
  if (owner) chownSync(lab.pg(), owner.uid, owner.gid); // made by us a moment ago: ours to give
  ensureXdgDirs(lab);
  const su = lab.superuser();
  const pw = newPasswords();
  writePrivate(lab.path('secrets', 'passwords.json'), `${JSON.stringify(pw)}\n`);
  writePrivate(lab.path('secrets', 'pgpass'), passfile(pw, su));
  writePrivate(lab.pg('pgpass'), passfile(pw, su), owner);
  lab.rememberPasswords(pw);
  const env = processEnv(lab, tools);
  const exporterPw = newPassword();
  writePrivate(lab.path('secrets', 'exporter-password'), `${exporterPw}\n`);
  const exporter = { name: EXPORTER_ROLE, password: exporterPw, inRoles: ['pg_monitor'] };
  // Both at once: initdb is most of a fresh lab's set-up time.
  await Promise.all([
    initDataDir({ pgdata: lab.pg(MONITOR), roles: [{ name: 'autoctl_node', password: pw.autoctlNode }, exporter] }, tools, runAs, su, pw, env, lab.pg()),
    initDataDir({ pgdata: lab.pg('node1'), roles: [{ name: REPLICATOR, password: pw.replicator, replication: true }, exporter] }, tools, runAs, su, pw, env, lab.pg()),
  ]);
  // The marker goes last: a directory holds a lab only once everything above exists.
  const marker = newMarker(lab.opts.basePort, lab.formation, lab.opts.scale);
  writeFileSync(lab.path(MARKER), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o644, flag: 'wx' });
}

/**
 * pg_autoctl's XDG dirs, made by the lab's user inside pg/. Without XDG_RUNTIME_DIR pg_autoctl
 * puts its pid file in /tmp/pg_autoctl, outside the lab, where a stale one is never cleared.
 */
export function ensureXdgDirs(lab: LocalLab): void {
  runAsLab(resolveRunAs(), ['mkdir', '-p', '-m', '0700', lab.pg('xdg', 'config'), lab.pg('xdg', 'data'), lab.pg('xdg', 'run')]);
}

/** Undo a fresh lab: pg/ is removed as the user that owns it, the rest by us, then our dirs. */
export function removeFreshLab(lab: LocalLab, dirs: CreatedDirs): void {
  removeContents(lab);
  removeCreated(dirs);
}

/** Remove what a lab holds; only the names we create, nothing else found in the directory. */
export function removeContents(lab: LocalLab): void {
  // pg/'s contents go with the privileges of the user who could have put links in there; pg/
  // itself sits in our directory, so we remove it (rmdir follows nothing).
  if (existsSync(lab.pg())) {
    runAsLab(resolveRunAs(), ['find', lab.pg(), '-xdev', '-mindepth', '1', '-delete']);
    rmdirSync(lab.pg());
  }
  for (const name of [MARKER, LEARN_PROGRESS, 'pids', 'logs', 'secrets', 'monitoring']) rmSync(lab.path(name), { recursive: true, force: true });
}

/** The last lines of a log file of ours (logs/ is not writable by the lab's user). */
export function tailOf(file: string, n: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}
