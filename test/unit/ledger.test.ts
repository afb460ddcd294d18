import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isDefiniteFailure, Ledger, verdict } from '../../src/actions/ledger.js';
import { transactionSql } from '../../src/actions/loadtest.js';
import { GUC_NAMES, matchProfile, nextProfileName, PROFILES } from '../../src/cluster/profiles.js';

describe('ledger', () => {
  test('lost = acknowledged − present; unknown kept apart', () => {
    const l = new Ledger();
    [1, 2, 3, 4].forEach((id) => l.ack(id));
    l.indeterminate(5);
    l.indeterminate(6);
    const v = verdict(l, new Set([1, 2, 4]), new Set([6]), 'node2', 7);
    expect(v).toMatchObject({ acknowledged: 4, present: 3, lost: 1, lostSample: [3], unknown: 2, unknownCommitted: 1, ok: false, readFrom: 'node2' });
    expect(verdict(l, new Set([1, 2, 3, 4]), new Set(), 'node2', 7).ok).toBe(true);
  });

  test('only a clean SQL error is a definite "not committed"', () => {
    expect(isDefiniteFailure({ code: '25006' })).toBe(true); // read-only transaction
    expect(isDefiniteFailure({ code: '23505' })).toBe(true); // unique violation
    expect(isDefiniteFailure({ code: '40001' })).toBe(true);
    expect(isDefiniteFailure({ code: '57P01' })).toBe(false); // admin shutdown: may follow a local commit
    expect(isDefiniteFailure({ code: '08006' })).toBe(false);
    expect(isDefiniteFailure({ code: 'ECONNRESET' })).toBe(false);
    expect(isDefiniteFailure(new Error('Query read timeout'))).toBe(false);
  });

  test('the transaction writes both rows under the same id in one round trip', () => {
    const sql = transactionSql(123456789, { patients: 100, providers: 10, facilities: 3 });
    expect(sql.startsWith('BEGIN;')).toBe(true);
    expect(sql.trim().endsWith('COMMIT;')).toBe(true);
    expect(sql.match(/123456789/g)).toHaveLength(2);
    expect(sql).toContain('VALUES (123456789, 90, 10, 1,');
  });
});

describe('profiles', () => {
  test('live values map back to a profile name, or custom', () => {
    expect(matchProfile(PROFILES.default!.gucs)).toBe('default');
    expect(matchProfile(PROFILES.fast!.gucs)).toBe('fast');
    expect(matchProfile({ ...PROFILES.fast!.gucs, primary_demote_timeout: 1 })).toBe('custom');
  });
  test('P cycles through the profiles', () => {
    expect(nextProfileName('default')).toBe('fast');
    expect(nextProfileName('fast')).toBe('default');
    expect(nextProfileName('custom')).toBe('default');
  });
  test("README's profile table is the code's: every setting, both profiles", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\w+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(rows).toEqual(GUC_NAMES.map((g) => [g, PROFILES.default!.gucs[g], PROFILES.fast!.gucs[g]]));
  });
});
