// Read and apply a tuning profile on the monitor: ALTER SYSTEM + pg_reload_conf(), so it lasts
// across monitor restarts and takes effect without one.
import { connect, type Connect } from '../cluster/pg.js';
import type { ConnInfo } from '../cluster/types.js';
import { GUC_NAMES, GUC_PREFIX, matchProfile, PROFILES, TRADEOFFS, type GucName } from '../cluster/profiles.js';
import { UserError } from '../lib/errors.js';
import type { GucSetting } from './types.js';

export interface LiveProfile {
  name: string;
  gucs: GucSetting[];
}

export async function readProfile(monitorAdmin: ConnInfo, connectTo: Connect = connect): Promise<LiveProfile> {
  const c = await connectTo(monitorAdmin, { connectTimeoutMs: 2000, queryTimeoutMs: 3000 });
  try {
    const res = await c.query<{ name: string; setting: string }>(
      'SELECT name, setting FROM pg_settings WHERE name = ANY($1)',
      [GUC_NAMES.map((g) => GUC_PREFIX + g)],
    );
    const values: Partial<Record<GucName, number>> = {};
    for (const r of res.rows) values[r.name.slice(GUC_PREFIX.length) as GucName] = Number(r.setting);
    return {
      name: matchProfile(values),
      gucs: GUC_NAMES.map((g) => ({ name: g, value: String(values[g] ?? '?'), tradeoff: TRADEOFFS[g] })),
    };
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function applyProfile(monitorAdmin: ConnInfo, name: string, connectTo: Connect = connect): Promise<LiveProfile> {
  const profile = PROFILES[name];
  if (!profile) throw new UserError(`unknown profile "${name}" (profiles: ${Object.keys(PROFILES).join(', ')})`, 2);
  const c = await connectTo(monitorAdmin, { connectTimeoutMs: 2000, queryTimeoutMs: 5000 });
  try {
    for (const g of GUC_NAMES) {
      // ALTER SYSTEM takes no parameters; the values are our own integers.
      await c.query(`ALTER SYSTEM SET ${GUC_PREFIX}${g} = ${Math.trunc(profile.gucs[g])}`);
    }
    await c.query('SELECT pg_reload_conf()');
  } finally {
    await c.end().catch(() => undefined);
  }
  // The reload is asynchronous: wait until the backend sees the new values.
  for (let i = 0; i < 50; i++) {
    const live = await readProfile(monitorAdmin, connectTo);
    if (live.name === name) return live;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`profile ${name} did not take effect on the monitor`);
}
