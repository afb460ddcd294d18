// Postgres connection URIs as libpq users write them: the monitor's (single host) and the
// formation's multi-host one. Parsing never echoes the URI back, and every line we print about
// one goes through redactUri first.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { UserError } from '../lib/errors.js';
import { lookupService, type ServiceParams } from './service-file.js';
import type { ConnInfo, SslMode } from './types.js';

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Replace the password of every URI and every `password=` keyword in a line with ****. */
export function redactUri(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1****@')
    .replace(/(password\s*=\s*)('[^']*'|[^\s&]+)/gi, '$1****');
}

/**
 * A monitor URI: postgres:// or postgresql://, one host, a database; bad input is exit 2. A
 * service (`?service=NAME`, else PGSERVICE) fills in what the URI leaves out, as in libpq: the URI
 * first, then the service file, then PGUSER / PGSSLMODE / PGSSLROOTCERT, then the defaults.
 */
export function parseMonitorUri(uri: string, env: NodeJS.ProcessEnv = process.env): ConnInfo {
  let u: URL;
  try {
    if (!/^postgres(ql)?:\/\//i.test(uri)) throw new Error('scheme');
    u = new URL(uri);
  } catch {
    throw new UserError(`--monitor: expected a postgres://user@host:port/dbname URI, got ${JSON.stringify(redactUri(uri.slice(0, 200)))}`, 2);
  }
  if (u.hostname.includes(',') || u.host.includes(',')) throw new UserError('--monitor: give the monitor\'s single host, not a multi-host list', 2);
  const q = u.searchParams;
  for (const key of q.keys()) {
    if (!['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name', 'service'].includes(key)) {
      throw new UserError(`--monitor: the URI parameter ${JSON.stringify(key)} is not supported (sslmode, sslrootcert, sslcert, sslkey, service are)`, 2);
    }
  }
  const serviceName = q.get('service') ?? (env.PGSERVICE || null);
  const svc: ServiceParams = serviceName ? lookupService(serviceName, env) : {};
  const host = u.hostname.replace(/^\[|\]$/g, '') || svc.host || '';
  if (host === '') throw new UserError('--monitor: the URI names no host (Unix sockets are not supported: give host:port)', 2);
  if (host.includes(',')) throw new UserError(`--monitor: service "${serviceName}" names several hosts: give the monitor's single host`, 2);
  const portText = u.port || svc.port || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`--monitor: port ${JSON.stringify(portText)} of service "${serviceName}" is not a port`, 2);
  const sslmode = (q.get('sslmode') ?? svc.sslmode ?? env.PGSSLMODE ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new UserError(`--monitor: sslmode ${JSON.stringify(sslmode)}: expected one of ${SSL_MODES.join(', ')}`, 2);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || svc.dbname || 'pg_auto_failover';
  const user = decodeURIComponent(u.username) || svc.user || env.PGUSER || env.USER || 'postgres';
  const password = u.password !== '' ? decodeURIComponent(u.password) : svc.password;
  const tls = { rootcert: q.get('sslrootcert') ?? svc.sslrootcert ?? env.PGSSLROOTCERT ?? null, cert: q.get('sslcert') ?? svc.sslcert ?? null, key: q.get('sslkey') ?? svc.sslkey ?? null };
  return { host, port, user, database, password, sslmode, tls, passwordFromEnv: true };
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
  else if (ci.registeredHost) {
    // Reached at another address: the certificate must still name the registered host.
    const name = ci.registeredHost;
    if (isIP(name) === 0) opts.servername = name;
    opts.checkServerIdentity = (_host, cert) => checkServerIdentity(name, cert);
  }
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
