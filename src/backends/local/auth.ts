// Local authentication: nobody but the lab's own user gets in. pg_autoctl always runs initdb with
// trust, so we make the monitor's and the first node's data directories ourselves (initdb with
// peer + scram-sha-256, our own pg_hba.conf, the roles pg_autoctl needs with generated passwords)
// and start pg_autoctl with --skip-pg-hba on them. Standbys are cloned from the first node and so
// inherit its pg_hba.conf. Passwords live in two 0600 files: one for the console (its owner's), one
// for the processes that run PostgreSQL (a libpq passfile, PGPASSFILE), never in argv or logs.
import { spawn } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chownSync, closeSync, constants, fstatSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';
import type { LocalTools, RunAs } from './env.js';
import { asUser } from '../proc.js';

export interface LabPasswords {
  /** The database superuser (the OS user that runs PostgreSQL). */
  superuser: string;
  /** autoctl_node on the monitor: what keepers and the console's watch connect as. */
  autoctlNode: string;
  /** pgautofailover_replicator on the nodes: streaming replication and pg_rewind. */
  replicator: string;
}

export const REPLICATOR = 'pgautofailover_replicator';
export const HEALTH_USER = 'pgautofailover_monitor';

/** URL- and passfile-safe: letters, digits, - and _ only. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

export function newPasswords(): LabPasswords {
  return { superuser: newPassword(), autoctlNode: newPassword(), replicator: newPassword() };
}

/**
 * Write a file only the owner can read, refusing to follow a symlink or reuse a file: O_EXCL, so a
 * planted link or file makes this fail instead of writing somewhere else.
 */
export function writePrivate(path: string, text: string, owner?: { uid: number; gid: number } | null): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
    if (owner) chownSync(path, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
}

/** Read a file we wrote for ourselves; it must be a regular file we own that nobody else can read. */
export function readPrivate(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== process.geteuid?.() || (st.mode & 0o077) !== 0) {
      throw new UserError(`${path} is not a private file of yours (owner or mode changed): the lab's secrets cannot be trusted`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** libpq passfile for the processes that run the lab (keepers, walreceivers, pg_basebackup, pg_rewind). */
export function passfile(p: LabPasswords, superuser: string): string {
  return [
    `127.0.0.1:*:*:${superuser}:${p.superuser}`,
    `127.0.0.1:*:*:autoctl_node:${p.autoctlNode}`,
    `127.0.0.1:*:*:${REPLICATOR}:${p.replicator}`,
    '',
  ].join('\n');
}

/**
 * First match wins. Over the socket only the lab's own OS user (peer); over loopback TCP every
 * role needs its password. The monitor's health checks log in as pgautofailover_monitor with a
 * password everyone knows (it is in pg_auto_failover's source); they only need an answer from the
 * server, and a rejection is one, so that role is rejected outright.
 */
export function pgHba(superuser: string): string {
  return `# Written by pgha-tui: only the lab's own clients get in (see README, Security).
# TYPE  DATABASE     USER                    ADDRESS         METHOD
local   all          ${superuser.padEnd(23)}                 peer
local   replication  ${superuser.padEnd(23)}                 peer
host    all          ${HEALTH_USER}  127.0.0.1/32    reject
host    all          all                     127.0.0.1/32    scram-sha-256
host    replication  all                     127.0.0.1/32    scram-sha-256
`;
}

function runChecked(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; runAs: RunAs | null; input?: string; cwd: string }, what: string): Promise<void> {
  const [c, a] = asUser(opts.runAs, [cmd, ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => reject(new UserError(`${what} failed: ${err.message}`)));
    child.on('close', (code, sig) => {
      if (code === 0) return resolve();
      const why = out.trim().split('\n').filter(Boolean).pop() ?? String(sig);
      reject(new UserError(`${what} failed: ${why}`));
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface DataDirSpec {
  pgdata: string;
  /** Roles to create with these passwords before pg_autoctl first starts the server. */
  roles: { name: string; password: string; replication?: boolean; inRoles?: string[] }[];
}

/**
 * initdb (peer locally, scram over TCP, the superuser's password from a private file that is
 * removed at once), our pg_hba.conf, and the roles, created in single-user mode from stdin.
 */
export async function initDataDir(spec: DataDirSpec, tools: LocalTools, runAs: RunAs | null, superuser: string, passwords: LabPasswords, env: NodeJS.ProcessEnv, workDir: string): Promise<void> {
  const pwfile = join(workDir, `.initdb-pw-${randomBytes(6).toString('hex')}`);
  writePrivate(pwfile, `${passwords.superuser}\n`, runAs);
  try {
    await runChecked(
      join(tools.pgBinDir, 'initdb'),
      ['-D', spec.pgdata, '--username', superuser, '--pwfile', pwfile, '--auth-local', 'peer', '--auth-host', 'scram-sha-256', '--encoding', 'UTF8', '--no-sync', '--no-instructions'],
      { env, runAs, cwd: workDir },
      `initdb of ${spec.pgdata}`,
    );
  } finally {
    try {
      unlinkSync(pwfile);
    } catch {
      /* already gone */
    }
  }
  writeAsOwner(join(spec.pgdata, 'pg_hba.conf'), pgHba(superuser));
  const sql = spec.roles
    .map((r) => `CREATE ROLE ${r.name} WITH LOGIN${r.replication ? ' REPLICATION' : ''} PASSWORD '${r.password}'${r.inRoles?.length ? ` IN ROLE ${r.inRoles.join(', ')}` : ''};`)
    .join('\n');
  if (sql) await runChecked(join(tools.pgBinDir, 'postgres'), ['--single', '-D', spec.pgdata, '-c', 'log_statement=none', 'postgres'], { env, runAs, cwd: workDir, input: `${sql}\n` }, `creating roles in ${spec.pgdata}`);
}

/**
 * Overwrite a file inside a data directory initdb just made. The directory belongs to the user
 * that runs PostgreSQL; truncating in place keeps the owner and mode, and O_NOFOLLOW refuses a link.
 */
function writeAsOwner(path: string, text: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677). Sent instead of the
 * password in CREATE/ALTER ROLE over a connection, so no statement log can ever hold the password.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
