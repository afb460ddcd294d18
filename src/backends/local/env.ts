// Where the local backend finds pg_autoctl and PostgreSQL, and as whom it runs them.
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';

export const INSTALL_HINT =
  'install them with: sudo apt-get install -y postgresql-15-auto-failover pg-auto-failover-cli';

export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface LocalTools {
  pgAutoctl: string;
  pgBinDir: string;
  version: number;
}

/** First executable named `name` on PATH or in the usual system dirs. */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** pg_autoctl plus the newest PostgreSQL whose pgautofailover extension is installed. */
export function findTools(): LocalTools {
  const pgAutoctl = which('pg_autoctl');
  if (!pgAutoctl) throw new UserError(`pg_autoctl not found: ${INSTALL_HINT}`);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .map(Number)
        .filter((v) => Number.isFinite(v))
        .sort((a, b) => b - a)
    : [];
  for (const v of versions) {
    const bin = join(root, String(v), 'bin');
    const ext = `/usr/share/postgresql/${v}/extension/pgautofailover.control`;
    if (existsSync(join(bin, 'pg_ctl')) && existsSync(ext)) return { pgAutoctl, pgBinDir: bin, version: v };
  }
  throw new UserError(`PostgreSQL with the pgautofailover extension not found: ${INSTALL_HINT}`);
}

function passwdEntry(name: string): RunAs | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name) return { name, uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    /* no passwd file */
  }
  return null;
}

/**
 * PostgreSQL refuses to run as root: as root we run everything as `postgres` (created by the
 * Debian packages); as anyone else, as that user.
 */
export function resolveRunAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const pg = passwdEntry('postgres');
  if (!pg) throw new UserError(`running as root needs the "postgres" user to run PostgreSQL: ${INSTALL_HINT}`);
  return pg;
}

/** The database superuser initdb creates: the OS user that runs it. */
export function superuserName(runAs: RunAs | null): string {
  return runAs?.name ?? userInfo().username;
}

/** Default lab dir: the XDG state dir, except for root, whose home `postgres` cannot enter. */
export function defaultLabDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/pgha-tui/lab';
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'pgha-tui', 'lab');
}
