import { describe, expect, test } from 'vitest';
import { connectReadWrite } from '../../src/cluster/multi-host.js';
import type { PgClient } from '../../src/cluster/pg.js';
import type { ConnInfo } from '../../src/cluster/types.js';

/** Port 1 refuses, 2 is a standby (read-only), 3 and 4 are writable. */
function stubConnect(ended: number[]) {
  return async (ci: ConnInfo): Promise<PgClient> => {
    if (ci.port === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const client = {
      query: async () => ({ rows: [{ ro: ci.port === 2 ? 'on' : 'off' }] }),
      end: async () => {
        ended.push(ci.port);
      },
    };
    return client as unknown as PgClient;
  };
}

const host = (name: string, port: number) => ({ name, ci: { host: '127.0.0.1', port, user: 'u', database: 'd' } });

describe('multi-host read-write connect', () => {
  test('tries the hosts in order and keeps the first read-write one, closing the others', async () => {
    const ended: number[] = [];
    const s = await connectReadWrite([host('a', 1), host('b', 2), host('c', 3), host('d', 4)], {}, stubConnect(ended));
    expect(s.node).toBe('c');
    expect(ended).toEqual([2]);
  });

  test('no read-write host: one error naming each host and why', async () => {
    await expect(connectReadWrite([host('a', 1), host('b', 2)], {}, stubConnect([]))).rejects.toThrow('no read-write host (a: connect ECONNREFUSED; b: read-only)');
  });
});
