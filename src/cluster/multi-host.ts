// A multi-host connect with target_session_attrs=read-write, as libpq does it: node-postgres takes
// one host only, so try the hosts in the URI's order and keep the first session that is not
// read-only. This is how applications reach a pg_auto_failover formation without the monitor.
import { connect as pgConnect, destroy, errorLine, type ClientOptions, type Connect, type PgClient } from './pg.js';
import type { ConnInfo } from './types.js';

export interface RouteHost {
  name: string;
  ci: ConnInfo;
}

export interface ReadWriteSession {
  client: PgClient;
  /** The node it landed on. */
  node: string;
}

/** libpq's read-write check: the session's transaction_read_only is off. */
export async function isReadWrite(client: PgClient): Promise<boolean> {
  const res = await client.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
  return res.rows[0]?.ro === 'off';
}

export async function connectReadWrite(hosts: RouteHost[], opts: ClientOptions = {}, connect: Connect = pgConnect): Promise<ReadWriteSession> {
  const tried: string[] = [];
  for (const h of hosts) {
    let client: PgClient | null = null;
    try {
      client = await connect(h.ci, opts);
      if (await isReadWrite(client)) return { client, node: h.name };
      tried.push(`${h.name}: read-only`);
    } catch (err) {
      tried.push(`${h.name}: ${errorLine(err)}`);
    }
    if (client) destroy(client);
  }
  throw new Error(`no read-write host (${tried.join('; ')})`);
}
