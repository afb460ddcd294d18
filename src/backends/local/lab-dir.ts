// A lab directory is ours or untouched. A lab is created only where nothing is (a missing or
// empty directory), carries a marker we wrote (format tag + id), and only a directory with a
// valid marker is ever reused or removed. Nothing here chowns or deletes what it did not create.
import { randomUUID } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { UserError } from '../../lib/errors.js';

export const LAB_FORMAT = 'pgha-tui-lab';
export const LAB_VERSION = 2;
export const MARKER = 'lab.json';
/** The walkthrough's progress in a local lab: ours too, so `down --volumes` removes it. */
export const LEARN_PROGRESS = 'learn.json';

export interface LabMarker {
  format: typeof LAB_FORMAT;
  version: typeof LAB_VERSION;
  /** Random id, so a lab is never mistaken for another one at the same path. */
  id: string;
  basePort: number;
  formation: string;
  scale: number;
  createdAt: string;
}

export type LabDirState =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'lab'; marker: LabMarker }
  | { kind: 'foreign'; reason: string };

const uid = () => process.geteuid?.() ?? -1;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The marker, if it is a regular file we own that nobody else can write, holding our format. */
export function readMarker(dir: string): LabMarker | { invalid: string } {
  const path = join(dir, MARKER);
  const st = lstatOrNull(path);
  if (!st) return { invalid: 'no lab.json' };
  if (!st.isFile()) return { invalid: 'lab.json is not a regular file' };
  if (st.uid !== uid() || (st.mode & 0o022) !== 0) return { invalid: 'lab.json is not ours (owner or mode)' };
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Omit<Partial<LabMarker>, 'version'> & { version?: number };
    if (m.format !== LAB_FORMAT) {
      return { invalid: m.version === 1 ? 'it was made by an older pgha-tui (trust authentication, no marker)' : 'lab.json has no pgha-tui format tag' };
    }
    if (m.version !== LAB_VERSION || typeof m.id !== 'string' || typeof m.basePort !== 'number') return { invalid: 'lab.json is from another version' };
    return m as LabMarker;
  } catch {
    return { invalid: 'lab.json is not readable JSON' };
  }
}

export function inspectLabDir(dir: string): LabDirState {
  const st = lstatOrNull(dir);
  if (!st) return { kind: 'absent' };
  if (st.isSymbolicLink()) return { kind: 'foreign', reason: 'it is a symbolic link' };
  if (!st.isDirectory()) return { kind: 'foreign', reason: 'it is not a directory' };
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return { kind: 'foreign', reason: 'it cannot be read' };
  }
  if (entries.length === 0) return { kind: 'empty' };
  const marker = readMarker(dir);
  if ('invalid' in marker) return { kind: 'foreign', reason: `it is not empty and not a pgha-tui lab (${marker.invalid})` };
  if (st.uid !== uid()) return { kind: 'foreign', reason: 'the directory is owned by another user' };
  return { kind: 'lab', marker };
}

/** One line for a directory we will not use as a lab. */
export function foreignError(dir: string, reason: string): UserError {
  return new UserError(`lab directory ${dir}: ${reason}; pick a new or empty one with --lab-dir`, 2);
}

/** What a fresh `up` made, so a failed start removes exactly that and nothing else. */
export interface CreatedDirs {
  /** Directories created (parents first), the lab dir included when it did not exist. */
  dirs: string[];
  labDirExisted: boolean;
}

/**
 * Make the lab dir (and missing parents) for a fresh lab. The nearest existing ancestor must be a
 * directory; an existing lab dir must be empty (checked by the caller through inspectLabDir).
 */
export function createLabDir(dir: string, mode = 0o711): CreatedDirs {
  if (!isAbsolute(dir)) throw new UserError(`--lab-dir ${dir}: expected an absolute path`, 2);
  const missing: string[] = [];
  let cur = dir;
  while (!lstatOrNull(cur)) {
    missing.unshift(cur);
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  const anchor = lstatOrNull(cur);
  if (!anchor?.isDirectory()) throw new UserError(`--lab-dir ${dir}: ${cur} is not a directory`, 2);
  const made: string[] = [];
  try {
    for (const d of missing) {
      mkdirSync(d, { mode: d === dir ? mode : 0o755 });
      made.push(d);
    }
  } catch (err) {
    removeCreated({ dirs: made, labDirExisted: false });
    throw new UserError(`--lab-dir ${dir}: cannot create it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 2);
  }
  return { dirs: made, labDirExisted: missing.length === 0 };
}

/** Remove the directories a fresh start made, newest first, each only if it is empty by then. */
export function removeCreated(created: CreatedDirs): void {
  for (const d of [...created.dirs].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      /* not empty (someone else's files) or already gone: leave it */
    }
  }
}

export function newMarker(basePort: number, formation: string, scale: number): LabMarker {
  return { format: LAB_FORMAT, version: LAB_VERSION, id: randomUUID(), basePort, formation, scale, createdAt: new Date().toISOString() };
}

// Directories whose loss would break the machine: never removed, whatever they contain.
const SYSTEM_DIRS = new Set([
  '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin',
  '/srv', '/sys', '/tmp', '/usr', '/var', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/usr/share', '/var/lib', '/var/log',
  '/var/tmp', '/var/cache', '/var/run', '/var/lib/postgresql', '/var/lib/pgha-tui',
]);

/** Why `down --volumes` must not remove this directory, or null when it may (marker checked apart). */
export function protectedDir(dir: string): string | null {
  const clean = dir.length > 1 && dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  if (clean === '/' || clean === '') return 'it is the root directory';
  if (clean === homedir()) return 'it is your home directory';
  if (SYSTEM_DIRS.has(clean)) return 'it is a system directory';
  if (clean.split(sep).filter(Boolean).length < 2) return 'it is a top-level directory';
  return null;
}

/** True when `user` (uid/gid) could write into dir: then it could swap what root later trusts. */
export function writableBy(dir: string, user: { uid: number; gid: number }): boolean {
  const st = statSync(dir);
  if (st.uid === user.uid) return true;
  if (st.gid === user.gid && (st.mode & 0o020) !== 0) return true;
  return (st.mode & 0o002) !== 0;
}
