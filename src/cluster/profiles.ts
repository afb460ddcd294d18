// Tuning profiles: the monitor's failure-detection GUCs (milliseconds, retries). `default` is
// pg_auto_failover's own; `fast` was found by measurement (npm run bench:rto), see README.

export const GUC_PREFIX = 'pgautofailover.';

export const GUC_NAMES = [
  'health_check_period',
  'health_check_timeout',
  'health_check_max_retries',
  'health_check_retry_delay',
  'node_considered_unhealthy_timeout',
  'primary_demote_timeout',
] as const;

export type GucName = (typeof GUC_NAMES)[number];

export const TRADEOFFS: Record<GucName, string> = {
  health_check_period: 'how often the monitor probes each node: lower detects sooner, costs more connections',
  health_check_timeout: 'how long one probe may take: lower detects sooner, but a busy node may look dead',
  health_check_max_retries: 'failed probes before a node is unhealthy: fewer is faster, more forgiving of blips',
  health_check_retry_delay: 'pause between retries: lower is faster, less patient with a slow restart',
  node_considered_unhealthy_timeout: 'silence from a keeper before failover starts: the main false-alarm guard',
  // Below the keepers' network_partition_timeout (20 s) a cut-off primary still runs when another
  // is promoted; only synchronous replication keeps it from acknowledging writes (README).
  primary_demote_timeout: 'wait for an unreachable primary to demote itself; below 20 s a cut-off primary runs on, held back by sync replication',
};

export interface Profile {
  name: string;
  description: string;
  gucs: Record<GucName, number>;
}

export const PROFILES: Record<string, Profile> = {
  default: {
    name: 'default',
    description: "pg_auto_failover's defaults: cautious, about a minute to recover from a dead primary",
    gucs: {
      health_check_period: 5000,
      health_check_timeout: 5000,
      health_check_max_retries: 2,
      health_check_retry_delay: 2000,
      node_considered_unhealthy_timeout: 20000,
      primary_demote_timeout: 30000,
    },
  },
  fast: {
    name: 'fast',
    description: 'seconds to recover; checked for false failovers under load (bench:rto)',
    // Measured (bench:rto, 2 cores): the seed values 1000/1000/1/500/2000/3000 gave a 9.3 s
    // median client RTO; these give 6.3 s (local) and 5.8 s (compose), detection under 2 s.
    // Demote 500 measured 5.3 s (7 local runs): no clear gain for a weaker guard. What remains
    // is the keepers' 1 s loop: report_lsn, prepare_promotion, stop_replication, wait_primary.
    gucs: {
      health_check_period: 500,
      health_check_timeout: 500,
      health_check_max_retries: 1,
      health_check_retry_delay: 250,
      node_considered_unhealthy_timeout: 1500,
      primary_demote_timeout: 1500,
    },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

export function nextProfileName(current: string): string {
  const i = PROFILE_NAMES.indexOf(current);
  return PROFILE_NAMES[(i + 1) % PROFILE_NAMES.length]!;
}

/** Which profile a set of live values is, or 'custom'. */
export function matchProfile(values: Partial<Record<GucName, number>>): string {
  for (const p of Object.values(PROFILES)) {
    if (GUC_NAMES.every((g) => values[g] === p.gucs[g])) return p.name;
  }
  return 'custom';
}
