// The lost-write ledger: every id whose COMMIT was acknowledged, and apart from them the ids whose
// outcome is unknown (the connection broke while the COMMIT was in flight), as Jepsen does.
// Verification reads the ids back from the current primary: lost = acknowledged − present.
import type { PgClient } from '../cluster/pg.js';
import type { LedgerVerdict } from './types.js';

const CHUNK = 20_000;

export class Ledger {
  readonly acknowledged: number[] = [];
  readonly unknown: number[] = [];

  ack(id: number): void {
    this.acknowledged.push(id);
  }

  indeterminate(id: number): void {
    this.unknown.push(id);
  }
}

/** Ids (of the given ones) whose appointment AND audit_log row are both present. */
export async function presentIds(client: PgClient, ids: number[]): Promise<Set<number>> {
  const present = new Set<number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const res = await client.query<{ id: string }>(
      `SELECT a.load_id::text AS id FROM appointments a
        WHERE a.load_id = ANY($1::bigint[])
          AND EXISTS (SELECT 1 FROM audit_log l WHERE l.load_id = a.load_id)`,
      [ids.slice(i, i + CHUNK)],
    );
    for (const r of res.rows) present.add(Number(r.id));
  }
  return present;
}

export function verdict(ledger: Ledger, present: Set<number>, unknownPresent: Set<number>, readFrom: string, at: number): LedgerVerdict {
  const lostIds = ledger.acknowledged.filter((id) => !present.has(id));
  return {
    checkedAt: at,
    readFrom,
    acknowledged: ledger.acknowledged.length,
    present: ledger.acknowledged.length - lostIds.length,
    lost: lostIds.length,
    lostSample: lostIds.slice(0, 10),
    unknown: ledger.unknown.length,
    unknownCommitted: unknownPresent.size,
    ok: lostIds.length === 0,
  };
}

/**
 * Was this failure a definite "not committed"? Only a clean SQL error inside the transaction is:
 * then Postgres rolled it back and never ran the COMMIT. Anything else (connection reset, timeout,
 * admin shutdown — which can arrive after a local commit while waiting for a sync standby) leaves
 * the outcome unknown.
 */
export function isDefiniteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  const cls = code.slice(0, 2);
  return ['22', '23', '25', '40', '42'].includes(cls);
}
