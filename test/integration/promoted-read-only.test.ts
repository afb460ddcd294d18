// Default profile, hard kill of the primary: the promoted standby is out of recovery but refuses
// writes until primary_demote_timeout has passed. status --json must say so while it happens.
import { beforeAll, describe, expect, test } from 'vitest';
import { LocalBackend } from '../../src/backends/local.js';
import { queryOnce } from '../../src/cluster/pg.js';
import type { Endpoints } from '../../src/cluster/types.js';
import { runCli, sleep, useLab } from '../helpers/lab.js';

interface Status {
  primary: string | null;
  nodes: Array<{ name: string; reportedState: string; readWrite: boolean | null; access: string }>;
}

const lab = useLab();
let endpoints: Endpoints;

beforeAll(async () => {
  endpoints = await new LocalBackend({ labDir: lab.dir, basePort: lab.port, basePortExplicit: true, scale: 0.2 }).endpoints();
});

async function status(): Promise<Status> {
  const r = await runCli(['status', '--json', ...lab.flags]);
  return JSON.parse(r.stdout) as Status;
}

async function until<T>(what: string, limitMs: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

describe('after a hard kill with the default profile', () => {
  test('the promoted node is shown promoted-read-only while it refuses writes, then read-write', async () => {
    const victim = (await status()).primary;
    expect(victim).not.toBeNull();
    expect((await runCli(['kill', 'primary', ...lab.flags])).code).toBe(0);

    const held = await until('a promoted, read-only node', 90_000, async () => {
      const s = await status();
      return s.nodes.find((n) => n.name !== victim && n.access === 'promoted-read-only') ?? null;
    });
    expect(held.readWrite).toBe(false);
    // The keeper reports stop_replication once that transition is done; it promotes within it.
    expect(['prepare_promotion', 'stop_replication']).toContain(held.reportedState);

    // Ask the node itself: out of recovery, read-only by default, and a write is refused.
    const node = endpoints.nodes[held.name]!;
    const [row] = await queryOnce(node, `SELECT pg_is_in_recovery() AS rec, current_setting('default_transaction_read_only') AS dro`);
    expect(row).toEqual({ rec: false, dro: 'on' });
    await expect(queryOnce(node, `INSERT INTO audit_log (actor, action) VALUES ('pgha-tui test', 'probe')`)).rejects.toThrow(/read-only transaction/);

    const after = await until('the promoted node to accept writes', 60_000, async () => {
      const s = await status();
      return s.primary === held.name ? s : null;
    });
    expect(after.nodes.find((n) => n.name === held.name)!.access).toBe('read-write');
  }, 240_000);
});
