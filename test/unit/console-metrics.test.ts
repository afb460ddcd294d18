// The console's metrics follow its state: load counters by delta (a new load test starts from 0),
// one RTO observation per finished run, lost writes once per verdict, staleness at scrape time.
import { describe, expect, test } from 'vitest';
import { ConsoleMetrics } from '../../src/actions/console-metrics.js';
import { countAlerts } from '../../src/cluster/alerts-poller.js';
import type { ConsoleState, LoadStats, RtoRun } from '../../src/actions/types.js';

const load = (o: Partial<LoadStats>): LoadStats => ({ running: true, clients: 4, startedAt: 1, tps: 0, acknowledged: 0, errors: 0, reconnects: 0, unknown: 0, lastError: null, target: null, lastAckAt: null, perSecond: [], ...o });
const run = (o: Partial<RtoRun>): RtoRun => ({ id: 1, fault: 'kill', victim: 'node1', newPrimary: 'node2', startedAt: 1000, clientRtoS: 6.5, status: 'done', error: null, phases: [{ name: 'fault', at: 1000, detail: null }, { name: 'promotion', at: 5000, detail: null }], ...o });
const state = (o: Partial<ConsoleState>): ConsoleState => ({
  profile: 'fast', gucs: [], busy: null, message: null, load: null, verdict: null,
  rto: { current: null, history: [], summary: { runs: 0, minS: null, medianS: null, maxS: null } },
  processes: {}, canPartition: false, partitioned: [], splitBrain: null, offer: null, ...o,
});
const value = async (m: ConsoleMetrics, name: string, labels?: Record<string, string>) => {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name)!;
  return metric.values.find((v) => !labels || Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
};

describe('console metrics', () => {
  test('load counters add what changed, and restart counting with a new load test', async () => {
    const m = new ConsoleMetrics(() => null);
    m.update(state({ load: load({ acknowledged: 10, errors: 1 }) }));
    m.update(state({ load: load({ acknowledged: 25, errors: 1, reconnects: 2 }) }));
    m.update(state({ load: load({ startedAt: 2, acknowledged: 5 }) }));
    expect(await value(m, 'pgha_console_load_acknowledged_total')).toBe(30);
    expect(await value(m, 'pgha_console_load_errors_total')).toBe(1);
    expect(await value(m, 'pgha_console_load_reconnects_total')).toBe(2);
  });

  test('each finished run is observed once with its profile and fault; running and failed runs are not', async () => {
    const m = new ConsoleMetrics(() => null);
    const history = [run({}), run({ id: 2, startedAt: 2000, status: 'failed', clientRtoS: null })];
    m.update(state({ rto: { current: run({ id: 3, status: 'running', clientRtoS: null }), history, summary: { runs: 1, minS: 6.5, medianS: 6.5, maxS: 6.5 } } }));
    m.update(state({ rto: { current: null, history, summary: { runs: 1, minS: 6.5, medianS: 6.5, maxS: 6.5 } } }));
    const text = await m.registry.metrics();
    expect(text).toContain('pgha_console_client_rto_seconds_bucket{le="8",profile="fast",fault="kill"} 1');
    expect(text).toContain('pgha_console_client_rto_seconds_bucket{le="6",profile="fast",fault="kill"} 0');
    expect(text).toContain('pgha_console_client_rto_seconds_count{profile="fast",fault="kill"} 1');
    expect(text).toContain('pgha_console_rto_phase_seconds_sum{phase="promotion",profile="fast",fault="kill"} 4');
  });

  test('lost writes count once per ledger check; staleness is the snapshot age at scrape time', async () => {
    let at: number | null = null;
    const m = new ConsoleMetrics(() => at, () => 10_000);
    expect(await value(m, 'pgha_console_snapshot_staleness_seconds')).toBe(-1);
    at = 7_500;
    expect(await value(m, 'pgha_console_snapshot_staleness_seconds')).toBe(2.5);
    const verdict = { checkedAt: 5, readFrom: 'node2', acknowledged: 10, present: 8, lost: 2, lostSample: [], unknown: 0, unknownCommitted: 0, ok: false };
    m.update(state({ verdict }));
    m.update(state({ verdict }));
    expect(await value(m, 'pgha_console_load_lost_total')).toBe(2);
  });

  test('alert counts from the Prometheus API answer', () => {
    const body = { status: 'success', data: { alerts: [
      { state: 'firing', labels: { alertname: 'B' } }, { state: 'firing', labels: { alertname: 'A' } },
      { state: 'firing', labels: { alertname: 'A' } }, { state: 'pending', labels: { alertname: 'C' } },
    ] } };
    expect(countAlerts(body)).toEqual({ firing: 3, pending: 1, names: ['A', 'B'] });
    expect(countAlerts({ status: 'error' })).toBeNull();
    expect(countAlerts(null)).toBeNull();
  });
});
