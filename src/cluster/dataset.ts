// The healthcare database: schema + generated data, applied exactly once on the first primary.
// "Exactly once" is decided inside the database (lab_meta), under an advisory lock, so two
// loaders (a restarted `up`, two containers) cannot both load it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect } from './pg.js';
import type { ConnInfo } from './types.js';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const LOCK_KEY = 4_242_001;

export function sqlFile(name: string): string {
  return readFileSync(`${SQL_DIR}${name}`, 'utf8');
}

export type DatasetResult = 'loaded' | 'present';

export async function ensureDataset(
  primary: ConnInfo,
  opts: { scale: number; schema?: boolean; data?: boolean },
): Promise<DatasetResult> {
  const client = await connect(primary, { connectTimeoutMs: 5000, applicationName: 'pgha-tui loader' });
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const present = await client.query<{ t: string | null }>("SELECT to_regclass('public.lab_meta')::text AS t");
    if (present.rows[0]?.t) return 'present';
    if (opts.schema === false) return 'present';
    await client.query(sqlFile('01-schema.sql'));
    if (opts.data !== false) {
      await client.query(`SET pgha.scale = '${Number(opts.scale)}'`);
      await client.query(sqlFile('02-test-data.sql'));
    }
    return 'loaded';
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
