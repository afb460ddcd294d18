// Controlled failover and promotion through the monitor's SQL API: work on every backend.
import { performFailover, performPromotion } from '../cluster/monitor.js';
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

/** Promote this node (perform_promotion); false when it already is the primary. */
export async function controlledPromotion(monitor: ConnInfo, formation: string, node: string, connectTo: Connect = connect): Promise<boolean> {
  const c = await connectTo(monitor, { connectTimeoutMs: 2000, queryTimeoutMs: 10_000 });
  try {
    return await performPromotion(c, formation, node);
  } finally {
    await c.end().catch(() => undefined);
  }
}
