// Thin helpers over node-postgres. Every client gets an 'error' listener: an idle client whose
// server dies emits 'error', and without a listener the whole process crashes.
import pg from 'pg';
import { sslOption } from './conn-uri.js';
import { passwordFromPassfile } from './passfile.js';
import type { ConnInfo } from './types.js';

export type PgClient = pg.Client;

export interface ClientOptions {
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  applicationName?: string;
}

export function clientConfig(ci: ConnInfo, opts: ClientOptions = {}): pg.ClientConfig {
  return {
    host: ci.host,
    port: ci.port,
    user: ci.user,
    database: ci.database,
    password: ci.password ?? (ci.passwordFromEnv ? envPassword(ci) : undefined),
    ...(ci.sslmode ? { ssl: sslOption(ci) } : {}),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
    query_timeout: opts.queryTimeoutMs,
    application_name: opts.applicationName ?? 'pgha-tui',
    keepAlive: true,
  };
}

/** PGPASSWORD, else the password file's line for this endpoint (as libpq resolves it). */
function envPassword(ci: ConnInfo): string | undefined {
  return process.env.PGPASSWORD || passwordFromPassfile({ ...ci, host: ci.registeredHost ?? ci.host });
}

/** How a class opens a connection; tests pass a fake one. */
export type Connect = (ci: ConnInfo, opts?: ClientOptions) => Promise<PgClient>;

/** Connect a client that never crashes the process on a later server error. */
export async function connect(ci: ConnInfo, opts: ClientOptions = {}): Promise<PgClient> {
  const client = new pg.Client(clientConfig(ci, opts));
  client.on('error', () => {
    /* handled by whoever awaits the next query; the client is dropped then */
  });
  try {
    await client.connect();
  } catch (err) {
    destroy(client);
    throw err;
  }
  return client;
}

/** Drop a client without waiting for a server that may be frozen or gone. */
export function destroy(client: PgClient): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  try {
    stream?.destroy();
  } catch {
    /* already gone */
  }
  client.end().catch(() => undefined);
}

/** Run one query on a fresh connection and close it. */
export async function queryOnce<T extends pg.QueryResultRow = pg.QueryResultRow>(
  ci: ConnInfo,
  sql: string,
  params: unknown[] = [],
  opts: ClientOptions = {},
): Promise<T[]> {
  const client = await connect(ci, opts);
  try {
    const res = await client.query<T>(sql, params);
    return res.rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One line describing a connection error, without stack or password. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    const msg = err.message.split('\n')[0] ?? String(err);
    return code && !msg.includes(code) ? `${msg} (${code})` : msg;
  }
  return String(err);
}
