// Attach mode in the console: refused keys say why and do nothing, on the controller and in the
// key table (overlay lists them as unavailable with the reason, the help bar drops them).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveController } from '../../src/actions/controller.js';
import type { Permission } from '../../src/backends/backend.js';
import { HOST_REFUSAL } from '../../src/backends/attach/attach-backend.js';
import { ClusterPoller } from '../../src/cluster/poller.js';
import { KEYMAP, withRefusals, type ActionContext, type AnyActionBinding } from '../../src/ui/bindings.js';
import { planAction } from '../../src/ui/commands.js';
import { fakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

const READ_ONLY = 'read-only: attached without --allow-actions';
const PROFILE = 'read-only: needs --allow-profile';

function attachRefusals(allowActions: boolean) {
  return (p: Permission): string | null => (p === 'host' ? HOST_REFUSAL : p === 'actions' && !allowActions ? READ_ONLY : p === 'profile' ? PROFILE : null);
}

async function attachedConsole(allowActions: boolean) {
  const lab = fakeLab();
  Object.assign(lab.backend, { refusal: attachRefusals(allowActions) });
  const poller = new ClusterPoller({ endpoints: lab.endpoints, backend: 'attach', profile: () => 'default', connect: lab.connect });
  poller.start();
  await lab.advance(1000);
  const ctl = new LiveController({ backend: lab.backend, endpoints: lab.endpoints, poller, clients: 2, connect: lab.connect });
  const run = async (action: Promise<void>) => {
    await Promise.all([action, lab.advance(200)]);
    return ctl.state();
  };
  const close = async () => {
    const closing = ctl.close();
    await lab.advance(2000);
    await closing;
    poller.stop();
  };
  return { lab, ctl, run, close };
}

describe('controller in attach mode', () => {
  it('read-only: failover, load, profile and every host action are refused with the reason, nothing sent', async () => {
    const { lab, ctl, run, close } = await attachedConsole(false);
    expect((await run(ctl.failover())).message).toMatchObject({ level: 'error', text: READ_ONLY });
    expect((await run(ctl.toggleLoad())).message?.text).toBe(READ_ONLY);
    expect(ctl.state().load).toBeNull();
    expect((await run(ctl.nextProfile())).message?.text).toBe(PROFILE);
    for (const act of [ctl.killPrimary(), ctl.restart('node2'), ctl.toggleStop('node2'), ctl.toggleFreeze('node2'), ctl.togglePartition('node2'), ctl.toggleRto()]) {
      expect((await run(act)).message?.text).toBe(HOST_REFUSAL);
    }
    expect(lab.cluster.failovers).toBe(0);
    expect(lab.backend.calls).toEqual([]);
    await close();
  });

  it('--allow-actions: failover goes to the monitor, host actions stay refused', async () => {
    const { lab, ctl, run, close } = await attachedConsole(true);
    await run(ctl.failover());
    expect(lab.cluster.failovers).toBe(1);
    expect((await run(ctl.killPrimary())).message?.text).toBe(HOST_REFUSAL);
    expect(lab.backend.calls).toEqual([]);
    await close();
  });

  it('promotion of the selected standby: refused read-only, sent to the monitor with --allow-actions, never for the primary', async () => {
    const ro = await attachedConsole(false);
    expect((await ro.run(ro.ctl.promote('node3'))).message).toMatchObject({ level: 'error', text: READ_ONLY });
    expect(ro.lab.cluster.promotions).toEqual([]);
    await ro.close();
    const { lab, ctl, run, close } = await attachedConsole(true);
    expect((await run(ctl.promote('node1'))).message?.text).toBe('node1 is the primary already: nothing to promote');
    expect((await run(ctl.promote('node3', { node: 'node3', asPrimary: false }))).message?.text).toBe('promotion of node3 requested: watch the states move');
    expect(lab.cluster.promotions).toEqual(['node3']);
    expect(lab.cluster.failovers).toBe(0);
    await close();
  });
});

describe('key table in attach mode', () => {
  const refusals = { host: HOST_REFUSAL, actions: READ_ONLY };
  const ctx: ActionContext = { available: true, primary: 'node1', selected: 'node2', process: 'running', busy: null, rtoRunning: false, canPartition: false, partitioned: false, maintenance: false, refusals };
  const binding = (id: string) => KEYMAP.find((b) => b.id === id) as AnyActionBinding;

  it('a refused key plans a one-line message with the reason, never a prompt', () => {
    expect(planAction(binding('kill'), ctx)).toEqual({ kind: 'message', text: `k (kill): ${HOST_REFUSAL}` });
    expect(planAction(binding('failover'), ctx)).toMatchObject({ kind: 'message', text: expect.stringContaining(READ_ONLY) });
    expect(planAction(binding('load'), ctx)).toMatchObject({ kind: 'message' });
    expect(planAction(binding('failover'), { ...ctx, refusals: { host: HOST_REFUSAL } })).toMatchObject({ kind: 'confirm' });
  });

  it('F plans a prompt for a selected standby, a message for the primary, the reason when read-only', () => {
    const allowed = { ...ctx, refusals: { host: HOST_REFUSAL } };
    expect(planAction(binding('promote'), { ...allowed, selected: 'node3' })).toMatchObject({ kind: 'confirm', question: 'Promote node3 to primary (perform_promotion)?' });
    expect(planAction(binding('promote'), { ...allowed, selected: 'node1' })).toEqual({ kind: 'message', text: 'node1 is the primary already: select a standby to promote' });
    expect(planAction(binding('promote'), ctx)).toEqual({ kind: 'message', text: `F (promote): ${READ_ONLY}` });
  });

  it('the overlay lists refused keys as unavailable with the reason; the bar drops them', () => {
    const keys = withRefusals(KEYMAP, refusals);
    const kill = keys.find((b) => b.id === 'kill')!;
    expect(kill.description).toBe(`unavailable: ${HOST_REFUSAL}`);
    expect(kill.bar).toBe(false);
    expect(keys.find((b) => b.id === 'profile')!.description).toBe(KEYMAP.find((b) => b.id === 'profile')!.description);
    expect(keys.find((b) => b.id === 'quit')!.bar).toBe(true);
    expect(withRefusals(KEYMAP, undefined)).toEqual([...KEYMAP]);
  });
});
