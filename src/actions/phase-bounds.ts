// What bounds each phase of a failover, in words with the monitor's live settings: the RTO pane
// shows it beside the measured times. Pure; the values are the GUCs in milliseconds.
import type { GucName } from '../cluster/profiles.js';
import { PRIMARY_CACHE_MS, RETRY_MS } from './loadtest.js';
import type { RtoPhaseName } from './types.js';

export type GucValues = Partial<Record<GucName, number>>;

/** "0.5 s", "20 s", "?" when the setting is not known. */
function secs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(2))} s`;
}

/** The keepers' main loop (pg_autoctl's PG_AUTOCTL_KEEPER_SLEEP_TIME): it is compiled in. */
export const KEEPER_LOOP_MS = 1000;

/**
 * Per phase, the time from the previous phase to this one is bounded by:
 * detected — the monitor's health checks; election — the unhealthy timeout (keeper silence)
 * before the monitor asks the standbys for their LSN; promotion — the keepers' transitions,
 * one loop each, and primary_demote_timeout; first write — our clients' reconnect.
 */
export function phaseBounds(g: GucValues): Partial<Record<RtoPhaseName, string>> {
  const retries = g.health_check_max_retries;
  const retry = retries === undefined ? '' : `, ${retries} ${retries === 1 ? 'retry' : 'retries'} after ${secs(g.health_check_retry_delay)}`;
  return {
    detected: `health checks every ${secs(g.health_check_period)}, timeout ${secs(g.health_check_timeout)}${retry}`,
    election: `after ${secs(g.node_considered_unhealthy_timeout)} of keeper silence (node_considered_unhealthy_timeout); the standbys then report their LSN`,
    promotion: `keeper transitions, ${secs(KEEPER_LOOP_MS)} loop: report_lsn, prepare_promotion, stop_replication, then primary_demote_timeout ${secs(g.primary_demote_timeout)}`,
    'first-write': `client reconnect: retry every ${secs(RETRY_MS.first)}–${secs(RETRY_MS.max)}, the primary asked of the monitor (cached ${secs(PRIMARY_CACHE_MS)})`,
  };
}

/** Live GUC values as the console holds them ("500"), as numbers. */
export function gucValues(settings: readonly { name: string; value: string }[]): GucValues {
  const out: GucValues = {};
  for (const s of settings) {
    const n = Number(s.value);
    if (s.value !== '' && Number.isFinite(n)) out[s.name as GucName] = n;
  }
  return out;
}
