// The confirmation rules as data: which key runs, asks, or explains, in which state.
import { describe, expect, it } from 'vitest';
import { invoke, planAction, promptText, type ActionContext } from '../../src/ui/commands.js';
import { FakeController } from './fake-controller.js';

const ctx = (overrides: Partial<ActionContext> = {}): ActionContext => ({
  available: true,
  primary: 'node1',
  selected: 'node2',
  process: 'running',
  busy: null,
  rtoRunning: false,
  canPartition: false,
  partitioned: false,
  ...overrides,
});

describe('planAction', () => {
  it('asks before every fault, naming the node', () => {
    const primary = { node: 'node1', asPrimary: true };
    expect(planAction('failover', ctx())).toEqual({ kind: 'confirm', question: 'Fail over from node1 (the primary) to a standby?', call: { method: 'failover', target: primary } });
    expect(planAction('kill', ctx())).toEqual({ kind: 'confirm', question: 'Kill node1 (the primary) hard?', call: { method: 'killPrimary', target: primary } });
    expect(planAction('restart', ctx())).toEqual({ kind: 'confirm', question: 'Restart node2?', call: { method: 'restart', node: 'node2', target: { node: 'node2', asPrimary: false } } });
    expect(planAction('stop', ctx({ selected: 'node1' }))).toMatchObject({ kind: 'confirm', question: 'Stop node1 (the primary)?' });
    expect(planAction('freeze', ctx())).toMatchObject({ kind: 'confirm', call: { method: 'toggleFreeze', node: 'node2' } });
    expect(planAction('rto', ctx())).toMatchObject({ kind: 'confirm', call: { method: 'toggleRto', target: primary } });
  });

  it('stop and freeze record the process state their question was decided on', () => {
    expect(planAction('stop', ctx({ process: 'frozen' }))).toMatchObject({ call: { target: { node: 'node2', process: 'frozen' } } });
    expect(planAction('freeze', ctx())).toMatchObject({ call: { target: { node: 'node2', process: 'running' } } });
    expect(planAction('stop', ctx({ process: undefined }))).toMatchObject({ call: { target: { node: 'node2', asPrimary: false } } });
  });

  it('undoing needs no question: start a stopped node, thaw a frozen one, abort a running RTO', () => {
    expect(planAction('stop', ctx({ process: 'stopped' }))).toEqual({ kind: 'run', call: { method: 'toggleStop', node: 'node2' } });
    expect(planAction('freeze', ctx({ process: 'frozen' }))).toEqual({ kind: 'run', call: { method: 'toggleFreeze', node: 'node2' } });
    expect(planAction('rto', ctx({ rtoRunning: true, busy: 'RTO run' }))).toEqual({ kind: 'run', call: { method: 'toggleRto' } });
  });

  it('stopping a frozen node, freezing a stopped one, or an unknown process state still asks', () => {
    expect(planAction('stop', ctx({ process: 'frozen' })).kind).toBe('confirm');
    expect(planAction('freeze', ctx({ process: 'stopped' })).kind).toBe('confirm');
    expect(planAction('stop', ctx({ process: undefined })).kind).toBe('confirm');
  });

  it('load and profile never ask and work while busy', () => {
    expect(planAction('load', ctx({ busy: 'kill node1' }))).toEqual({ kind: 'run', call: { method: 'toggleLoad' } });
    expect(planAction('profile', ctx({ busy: 'kill node1' }))).toEqual({ kind: 'run', call: { method: 'nextProfile' } });
  });

  it('while busy every node action waits, starting and thawing included', () => {
    for (const a of ['failover', 'kill', 'restart', 'stop', 'freeze', 'rto'] as const) {
      expect(planAction(a, ctx({ busy: 'kill node1' }))).toEqual({ kind: 'message', text: 'waiting: kill node1 is still running' });
    }
    expect(planAction('stop', ctx({ busy: 'x', process: 'stopped' })).kind).toBe('message');
  });

  it('explains what is missing: controller, primary, selection', () => {
    expect(planAction('kill', ctx({ available: false }))).toEqual({ kind: 'message', text: 'kill: not available here' });
    expect(planAction('load', ctx({ available: false })).kind).toBe('message');
    expect(planAction('failover', ctx({ primary: null }))).toEqual({ kind: 'message', text: 'no primary known: nothing to fail over' });
    expect(planAction('rto', ctx({ primary: null })).kind).toBe('message');
    expect(planAction('restart', ctx({ selected: null }))).toEqual({ kind: 'message', text: 'no node selected' });
    expect(planAction('restart', ctx({ primary: null }))).toMatchObject({ kind: 'confirm', question: 'Restart node2?' });
  });

  it('promptText appends the answer keys', () => {
    expect(promptText('Kill node1 (the primary) hard?')).toBe('Kill node1 (the primary) hard? y = yes, Esc = cancel');
  });
});

describe('invoke', () => {
  it('passes the node only to per-node actions, and the target only when asked', async () => {
    const c = new FakeController();
    await invoke(c, { method: 'killPrimary' });
    await invoke(c, { method: 'killPrimary', target: { node: 'node1', asPrimary: true } });
    await invoke(c, { method: 'restart', node: 'node3' });
    await invoke(c, { method: 'restart', node: 'node3', target: { node: 'node3', asPrimary: false } });
    expect(c.killPrimary.mock.calls).toEqual([[], [{ node: 'node1', asPrimary: true }]]);
    expect(c.restart.mock.calls).toEqual([['node3'], ['node3', { node: 'node3', asPrimary: false }]]);
  });
});

describe('partition key (compose only)', () => {
  const base = { available: true, primary: 'n1', selected: 'n2', process: 'running' as const, busy: null, rtoRunning: false };
  it('says it needs compose on other backends', () => {
    expect(planAction('partition', { ...base, canPartition: false, partitioned: false })).toEqual({ kind: 'message', text: 'network partitions need the compose backend' });
  });
  it('asks before cutting a node off, heals without asking', () => {
    const ask = planAction('partition', { ...base, canPartition: true, partitioned: false });
    expect(ask).toMatchObject({ kind: 'confirm', question: 'Cut n2 off the lab network?', call: { method: 'togglePartition', node: 'n2' } });
    expect(planAction('partition', { ...base, canPartition: true, partitioned: true })).toEqual({ kind: 'run', call: { method: 'togglePartition', node: 'n2' } });
  });
});
