import { describe, expect, test } from 'vitest';
import { lsnDiff, parseLsn, standbyNodeId } from '../../src/cluster/lsn.js';

describe('LSN arithmetic', () => {
  test('parses both halves as hex', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/4082578')).toBe(0x4082578n);
    expect(parseLsn('1/0')).toBe(1n << 32n);
    expect(parseLsn('A/FF')).toBe((10n << 32n) + 255n);
  });
  test('rejects what is not an LSN', () => {
    expect(parseLsn('')).toBeNull();
    expect(parseLsn('0-1')).toBeNull();
    expect(parseLsn('G/1')).toBeNull();
  });
  test('diff crosses the 4 GiB boundary exactly', () => {
    expect(lsnDiff('1/10', '0/FFFFFFF0')).toBe(0x20);
    expect(lsnDiff('0/2000', '0/1000')).toBe(4096);
  });
  test('diff is never negative and null when unknown', () => {
    expect(lsnDiff('0/1000', '0/2000')).toBe(0);
    expect(lsnDiff(null, '0/1')).toBeNull();
    expect(lsnDiff('0/1', 'junk')).toBeNull();
  });
  test('standby node id from pg_auto_failover application names', () => {
    expect(standbyNodeId('pgautofailover_standby_3')).toBe(3);
    expect(standbyNodeId('psql')).toBeNull();
  });
});
