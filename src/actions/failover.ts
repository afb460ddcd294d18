// Controlled failover through the monitor's SQL API: works on every backend.
import { performFailover } from '../cluster/monitor.js';
import { connect, type Connect } from '../cluster/pg.js';
import type { ConnInfo } from '../cluster/types.js';

export async function controlledFailover(monitor: ConnInfo, formation = 'default', connectTo: Connect = connect): Promise<void> {
  const c = await connectTo(monitor, { connectTimeoutMs: 2000, queryTimeoutMs: 10_000 });
  try {
    await performFailover(c, formation);
  } finally {
    await c.end().catch(() => undefined);
  }
}
