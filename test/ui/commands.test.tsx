// The confirmation rules as data: which key runs, asks, or explains, in which state, and which
// controller call its plan makes.
import { describe, expect, it } from 'vitest';
import { KEYMAP, type AnyActionBinding, type BindingId } from '../../src/ui/bindings.js';
import { planAction, promptText, type ActionContext, type ActionPlan } from '../../src/ui/commands.js';
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
  maintenance: false,
  ...overrides,
});

function binding(id: BindingId): AnyActionBinding {
  const b = KEYMAP.find((k) => k.id === id);
  if (b?.kind !== 'action') throw new Error(`${id} is not an action key`);
  return b;
}
const plan = (id: BindingId, c: Partial<ActionContext> = {}) => planAction(binding(id), ctx(c));

/** Run the plan's call on a fake controller; return the one call it made as [method, args]. */
async function callOf(p: ActionPlan): Promise<[string, unknown[]]> {
  if (p.kind === 'message') throw new Error(`no call: ${p.text}`);
  const c = new FakeController();
  await p.call.run(c);
  const made = Object.entries(c.mocks()).flatMap(([name, fn]) => fn.mock.calls.map((args) => [name, args] as [string, unknown[]]));
  expect(made).toHaveLength(1);
  return made[0]!;
}

describe('planAction', () => {
  it('asks before every fault, naming the node, and y calls the action on what was named', async () => {
    const primary = { node: 'node1', asPrimary: true };
    const f = plan('failover');
    expect(f).toMatchObject({ kind: 'confirm', question: 'Fail over from node1 (the primary) to a standby?' });
    expect(await callOf(f)).toEqual(['failover', [primary]]);
    const k = plan('kill');
    expect(k).toMatchObject({ kind: 'confirm', question: 'Kill node1 (the primary) hard?' });
    expect(await callOf(k)).toEqual(['killPrimary', [primary]]);
    const r = plan('restart');
    expect(r).toMatchObject({ kind: 'confirm', question: 'Restart node2?' });
    expect(await callOf(r)).toEqual(['restart', ['node2', { node: 'node2', asPrimary: false }]]);
    expect(plan('stop', { selected: 'node1' })).toMatchObject({ kind: 'confirm', question: 'Stop node1 (the primary)?' });
    const z = plan('freeze');
    expect(z).toMatchObject({ kind: 'confirm', question: 'Freeze node2 (pause its processes)?' });
    expect(await callOf(z)).toEqual(['toggleFreeze', ['node2', { node: 'node2', asPrimary: false, process: 'running' }]]);
    const t = plan('rto');
    expect(t).toMatchObject({ kind: 'confirm', question: 'Time an RTO run: kill node1 (the primary) hard?' });
    expect(await callOf(t)).toEqual(['toggleRto', [primary]]);
  });

  it('stop and freeze record the process state their question was decided on', async () => {
    expect(await callOf(plan('stop', { process: 'frozen' }))).toEqual(['toggleStop', ['node2', { node: 'node2', asPrimary: false, process: 'frozen' }]]);
    expect(await callOf(plan('freeze'))).toEqual(['toggleFreeze', ['node2', { node: 'node2', asPrimary: false, process: 'running' }]]);
    expect(await callOf(plan('stop', { process: undefined }))).toEqual(['toggleStop', ['node2', { node: 'node2', asPrimary: false }]]);
  });

  it('undoing needs no question: start a stopped node, thaw a frozen one, abort a running RTO', async () => {
    const s = plan('stop', { process: 'stopped' });
    expect(s.kind).toBe('run');
    expect(await callOf(s)).toEqual(['toggleStop', ['node2', undefined]]);
    const z = plan('freeze', { process: 'frozen' });
    expect(z.kind).toBe('run');
    expect(await callOf(z)).toEqual(['toggleFreeze', ['node2', undefined]]);
    const t = plan('rto', { rtoRunning: true, busy: 'RTO run' });
    expect(t.kind).toBe('run');
    expect(await callOf(t)).toEqual(['toggleRto', []]);
  });

  it('stopping a frozen node, freezing a stopped one, or an unknown process state still asks', () => {
    expect(plan('stop', { process: 'frozen' }).kind).toBe('confirm');
    expect(plan('freeze', { process: 'stopped' }).kind).toBe('confirm');
    expect(plan('stop', { process: undefined }).kind).toBe('confirm');
  });

  it('load and profile never ask and work while busy', async () => {
    const l = plan('load', { busy: 'kill node1' });
    expect(l.kind).toBe('run');
    expect(await callOf(l)).toEqual(['toggleLoad', []]);
    const p = plan('profile', { busy: 'kill node1' });
    expect(p.kind).toBe('run');
    expect(await callOf(p)).toEqual(['nextProfile', []]);
  });

  it('while busy every node action waits, starting and thawing included', () => {
    for (const a of ['failover', 'kill', 'restart', 'stop', 'freeze', 'rto'] as const) {
      expect(plan(a, { busy: 'kill node1' })).toEqual({ kind: 'message', text: 'waiting: kill node1 is still running' });
    }
    expect(plan('stop', { busy: 'x', process: 'stopped' }).kind).toBe('message');
  });

  it('explains what is missing: controller, primary, selection', () => {
    expect(plan('kill', { available: false })).toEqual({ kind: 'message', text: 'kill: not available here' });
    expect(plan('load', { available: false }).kind).toBe('message');
    expect(plan('failover', { primary: null })).toEqual({ kind: 'message', text: 'no primary known: nothing to fail over' });
    expect(plan('kill', { primary: null })).toEqual({ kind: 'message', text: 'no primary known: nothing to kill' });
    expect(plan('rto', { primary: null })).toEqual({ kind: 'message', text: 'no primary known: nothing to kill' });
    expect(plan('restart', { selected: null })).toEqual({ kind: 'message', text: 'no node selected' });
    expect(plan('restart', { primary: null })).toMatchObject({ kind: 'confirm', question: 'Restart node2?' });
  });

  it('promptText appends the answer keys', () => {
    expect(promptText('Kill node1 (the primary) hard?')).toBe('Kill node1 (the primary) hard? y = yes, Esc = cancel');
  });
});

describe('partition key (compose only)', () => {
  const base = { primary: 'n1', selected: 'n2' };
  it('says it needs compose on other backends', () => {
    expect(plan('partition', { ...base, canPartition: false })).toEqual({ kind: 'message', text: 'network partitions need the compose backend' });
  });
  it('asks before cutting a node off, heals without asking', async () => {
    const ask = plan('partition', { ...base, canPartition: true, partitioned: false });
    expect(ask).toMatchObject({ kind: 'confirm', question: 'Cut n2 off the lab network?' });
    expect(await callOf(ask)).toEqual(['togglePartition', ['n2', { node: 'n2', asPrimary: false, cut: false }]]);
    const heal = plan('partition', { ...base, canPartition: true, partitioned: true });
    expect(heal.kind).toBe('run');
    expect(await callOf(heal)).toEqual(['togglePartition', ['n2', undefined]]);
  });
});

describe('maintenance key', () => {
  it('asks before a secondary goes into maintenance, and names the failover for the primary', async () => {
    const ask = plan('maintenance', { primary: 'node1', selected: 'node2' });
    expect(ask).toMatchObject({ kind: 'confirm', question: 'Put node2 into maintenance?' });
    expect(await callOf(ask)).toEqual(['toggleMaintenance', ['node2', { node: 'node2', asPrimary: false, maintenance: false }]]);
    expect(plan('maintenance', { primary: 'node1', selected: 'node1' })).toMatchObject({
      kind: 'confirm',
      question: 'Put node1 (the primary) into maintenance? The monitor fails over first.',
    });
  });
  it('takes a node out of maintenance without asking, but not while another action runs', async () => {
    const out = plan('maintenance', { selected: 'node3', maintenance: true });
    expect(out.kind).toBe('run');
    expect(await callOf(out)).toEqual(['toggleMaintenance', ['node3', undefined]]);
    expect(plan('maintenance', { busy: 'kill node1' })).toEqual({ kind: 'message', text: 'waiting: kill node1 is still running' });
  });
});
