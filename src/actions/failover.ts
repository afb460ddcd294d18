// Controlled failover through the monitor's SQL API: works on every backend.
import { performFailover } from '../cluster/monitor.js';
import { connect } from '../cluster/pg.js';
import type { ConnInfo } from '../cluster/types.js';

export async function controlledFailover(monitor: ConnInfo, formation = 'default'): Promise<void> {
  const c = await connect(monitor, { connectTimeoutMs: 2000, queryTimeoutMs: 10_000 });
  try {
    await performFailover(c, formation);
  } finally {
    await c.end().catch(() => undefined);
  }
}
