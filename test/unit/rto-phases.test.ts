import { describe, expect, test } from 'vitest';
import { applyAck, applyEvent, newRun, phaseAt, summarize } from '../../src/actions/rto-phases.js';
import type { ClusterEvent } from '../../src/cluster/types.js';

const T0 = 1_000_000;
const state = (at: number, nodeName: string, reportedState: string, goalState: string, health = 'good'): ClusterEvent => ({
  at, kind: 'state', nodeName, nodeId: null, reportedState, goalState, health, text: '',
});

describe('RTO phases from monitor notifications', () => {
  test('a hard kill: detection, election, promotion, first write, rejoin', () => {
    let run = newRun(1, 'kill', 'node1', T0);
    expect(phaseAt(run, 'fault')).toBe(T0);
    run = applyEvent(run, state(T0 - 10, 'node1', 'primary', 'draining')); // before the fault: ignored
    expect(phaseAt(run, 'detected')).toBeNull();
    run = applyEvent(run, state(T0 + 800, 'node1', 'primary', 'primary', 'bad'));
    run = applyEvent(run, state(T0 + 1900, 'node1', 'primary', 'draining'));
    run = applyEvent(run, state(T0 + 1900, 'node2', 'secondary', 'report_lsn'));
    run = applyEvent(run, state(T0 + 2500, 'node2', 'report_lsn', 'prepare_promotion'));
    run = applyEvent(run, state(T0 + 4400, 'node2', 'wait_primary', 'wait_primary'));
    // A write acknowledged by the victim itself does not end the outage.
    run = applyAck(run, { at: T0 + 100, node: 'node1' });
    expect(run.clientRtoS).toBeNull();
    run = applyAck(run, { at: T0 + 4826, node: 'node2' });
    run = applyAck(run, { at: T0 + 5000, node: 'node2' });
    run = applyEvent(run, state(T0 + 6100, 'node1', 'secondary', 'secondary'));
    expect(phaseAt(run, 'detected')).toBe(T0 + 800);
    expect(phaseAt(run, 'election')).toBe(T0 + 1900);
    expect(phaseAt(run, 'promotion')).toBe(T0 + 4400);
    expect(phaseAt(run, 'first-write')).toBe(T0 + 4826);
    expect(phaseAt(run, 'rejoined')).toBe(T0 + 6100);
    expect(run.clientRtoS).toBeCloseTo(4.826);
    expect(run.newPrimary).toBe('node2');
  });

  test('the victim reported as secondary before any new write is not a rejoin', () => {
    let run = newRun(1, 'failover', 'node1', T0);
    run = applyEvent(run, state(T0 + 500, 'node1', 'secondary', 'secondary'));
    expect(phaseAt(run, 'rejoined')).toBeNull();
  });

  test('a log line naming the victim as unhealthy marks detection', () => {
    let run = newRun(1, 'freeze', 'node1', T0);
    run = applyEvent(run, { at: T0 + 1200, kind: 'log', nodeName: null, nodeId: null, reportedState: null, goalState: null, text: 'Node node 1 "node1" (127.0.0.1:5432) is marked as unhealthy by the monitor' });
    run = applyEvent(run, { at: T0 + 1300, kind: 'log', nodeName: null, nodeId: null, reportedState: null, goalState: null, text: 'Node node 2 "node10" is marked as unhealthy' });
    expect(phaseAt(run, 'detected')).toBe(T0 + 1200);
  });

  test('summary over finished runs', () => {
    const mk = (s: number | null) => ({ ...newRun(1, 'kill', 'n', 0), clientRtoS: s, status: 'done' as const });
    expect(summarize([])).toEqual({ runs: 0, minS: null, medianS: null, maxS: null });
    expect(summarize([mk(5), mk(3), mk(9)])).toEqual({ runs: 3, minS: 3, medianS: 5, maxS: 9 });
    expect(summarize([mk(5), mk(3), mk(null), mk(4), mk(8)]).medianS).toBe(4.5);
  });
});
