// Postgres connection URIs as libpq users write them: the monitor's (single host) and the
// formation's multi-host one. Parsing never echoes the URI back, and every line we print about
// one goes through redactUri first.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { UserError } from '../lib/errors.js';
import type { ConnInfo, SslMode } from './types.js';

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Replace the password of every URI and every `password=` keyword in a line with ****. */
export function redactUri(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1****@')
    .replace(/(password\s*=\s*)('[^']*'|[^\s&]+)/gi, '$1****');
}

/** A monitor URI: postgres:// or postgresql://, one host, a database; bad input is exit 2. */
export function parseMonitorUri(uri: string): ConnInfo {
  let u: URL;
  try {
    if (!/^postgres(ql)?:\/\//i.test(uri)) throw new Error('scheme');
    u = new URL(uri);
  } catch {
    throw new UserError(`--monitor: expected a postgres://user@host:port/dbname URI, got ${JSON.stringify(redactUri(uri.slice(0, 200)))}`, 2);
  }
  if (u.hostname === '') throw new UserError('--monitor: the URI names no host (Unix sockets are not supported: give host:port)', 2);
  if (u.hostname.includes(',') || u.host.includes(',')) throw new UserError('--monitor: give the monitor\'s single host, not a multi-host list', 2);
  const port = u.port === '' ? 5432 : Number(u.port);
  const q = u.searchParams;
  for (const key of q.keys()) {
    if (!['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name'].includes(key)) {
      throw new UserError(`--monitor: the URI parameter ${JSON.stringify(key)} is not supported (sslmode, sslrootcert, sslcert, sslkey are)`, 2);
    }
  }
  const sslmode = (q.get('sslmode') ?? process.env.PGSSLMODE ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new UserError(`--monitor: sslmode ${JSON.stringify(sslmode)}: expected one of ${SSL_MODES.join(', ')}`, 2);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'pg_auto_failover';
  const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres';
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  const tls = { rootcert: q.get('sslrootcert') ?? process.env.PGSSLROOTCERT ?? null, cert: q.get('sslcert'), key: q.get('sslkey') };
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port, user, database, password, sslmode, tls, passwordFromEnv: true };
}

/**
 * node-postgres' ssl option for a libpq sslmode. `prefer` and `allow` try without TLS (node-postgres
 * cannot fall back), `require` encrypts without checking, verify-ca checks the chain, verify-full
 * the chain and the host name.
 */
export function sslOption(ci: ConnInfo): false | ConnectionOptions {
  const mode = ci.sslmode ?? 'disable';
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const read = (p: string | null | undefined) => (p ? readFileSync(p, 'utf8') : undefined);
  const opts: ConnectionOptions = { rejectUnauthorized: mode !== 'require', ca: read(ci.tls?.rootcert), cert: read(ci.tls?.cert), key: read(ci.tls?.key) };
  if (mode === 'verify-ca') opts.checkServerIdentity = () => undefined;
  return opts;
}

/** The URI of one endpoint, without its password. */
export function uriOf(ci: ConnInfo): string {
  const user = encodeURIComponent(ci.user);
  return `postgres://${user}@${hostPart(ci.host)}:${ci.port}/${encodeURIComponent(ci.database)}?sslmode=${ci.sslmode ?? 'prefer'}`;
}

const hostPart = (h: string) => (h.includes(':') ? `[${h}]` : h);

/** The formation's multi-host URI, as `pg_autoctl show uri --formation` prints it (no password). */
export function formationUri(hosts: Array<{ host: string; port: number }>, user: string, database: string, sslmode: SslMode): string {
  const list = hosts.map((h) => `${hostPart(h.host)}:${h.port}`).join(',');
  return `postgres://${encodeURIComponent(user)}@${list}/${encodeURIComponent(database)}?target_session_attrs=read-write&sslmode=${sslmode}`;
}

/** The formation's multi-host URI from the nodes' endpoints, in the order given. */
export function formationUriOf(nodes: ConnInfo[]): string {
  const first = nodes[0];
  if (!first) return '';
  return formationUri(nodes, first.user, first.database, first.sslmode ?? 'prefer');
}
