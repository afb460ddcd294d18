// The attach-mode workload: one row per id in a table of the console's own (pgha_tui.writes), never
// a user's table. The schema is created only when missing, so a role that owns a pre-made
// pgha_tui schema needs no CREATE right on the database.
import { connectReadWrite, type RouteHost } from '../cluster/multi-host.js';
import type { PgClient } from '../cluster/pg.js';

export const OWN_SCHEMA = 'pgha_tui';
export const OWN_TABLE = `${OWN_SCHEMA}.writes`;

export async function prepareOwnTable(client: PgClient): Promise<void> {
  const has = await client.query<{ s: string | null }>(`SELECT to_regnamespace('${OWN_SCHEMA}')::text AS s`);
  if (!has.rows[0]?.s) await client.query(`CREATE SCHEMA ${OWN_SCHEMA}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${OWN_TABLE} (load_id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())`);
}

/** One autocommit INSERT; ids are our own integers, so the literal is safe. */
export function ownTableSql(id: number): string {
  return `INSERT INTO ${OWN_TABLE} (load_id) VALUES (${Math.trunc(id)})`;
}

export async function ownTablePresent(client: PgClient, ids: number[]): Promise<Set<number>> {
  const present = new Set<number>();
  for (let i = 0; i < ids.length; i += 20_000) {
    const res = await client.query<{ id: string }>(`SELECT load_id::text AS id FROM ${OWN_TABLE} WHERE load_id = ANY($1::bigint[])`, [ids.slice(i, i + 20_000)]);
    for (const r of res.rows) present.add(Number(r.id));
  }
  return present;
}

/** Make the table on whichever node of the route takes writes now; returns that node. */
export async function ensureOwnTable(route: RouteHost[]): Promise<string> {
  const s = await connectReadWrite(route, { connectTimeoutMs: 3000, queryTimeoutMs: 10_000 });
  try {
    await prepareOwnTable(s.client);
    return s.node;
  } finally {
    await s.client.end().catch(() => undefined);
  }
}
