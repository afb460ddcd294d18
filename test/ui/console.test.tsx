// The action keys, confirmation prompts, busy and message lines, with a FakeController.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConsoleState } from '../../src/actions/types.js';
import type { ClusterSnapshot } from '../../src/cluster/types.js';
import { healthySnapshot, NOW, nodeDown } from './fixtures.js';
import { delay, KEYS, renderApp, rowOf } from './harness.js';
import { FakeController } from './fake-controller.js';

afterEach(() => cleanup());

const hasTable = (f: string) => f.includes('node3');
const HINT = 'y = yes, Esc = cancel';

async function setup(state: Partial<ConsoleState> = {}, snapshot: ClusterSnapshot = healthySnapshot(), now = () => NOW) {
  const controller = new FakeController(state);
  const app = renderApp(snapshot, now, controller);
  await app.waitFor(hasTable);
  return { app, controller };
}

type App = Awaited<ReturnType<typeof setup>>['app'];

async function selectNode2(app: App) {
  await app.press(KEYS.down);
  await app.waitFor((f) => rowOf(f, 'node2').startsWith('›'));
}

const noneCalled = (c: FakeController) => {
  for (const fn of c.actions()) expect(fn).not.toHaveBeenCalled();
};

describe('destructive keys ask first', () => {
  it.each([
    // Each call carries the node its prompt named, so the controller can refuse a changed cluster.
    { key: 'f', action: 'failover', node2: false, question: 'Fail over from node1 (the primary) to a standby?', args: [{ node: 'node1', asPrimary: true }] },
    { key: 'k', action: 'killPrimary', node2: false, question: 'Kill node1 (the primary) hard?', args: [{ node: 'node1', asPrimary: true }] },
    { key: 'r', action: 'restart', node2: true, question: 'Restart node2?', args: ['node2', { node: 'node2', asPrimary: false }] },
    { key: 's', action: 'toggleStop', node2: true, question: 'Stop node2?', args: ['node2', { node: 'node2', asPrimary: false, process: 'running' }] },
    { key: 'z', action: 'toggleFreeze', node2: true, question: 'Freeze node2 (pause its processes)?', args: ['node2', { node: 'node2', asPrimary: false, process: 'running' }] },
    { key: 't', action: 'toggleRto', node2: false, question: 'Time an RTO run: kill node1 (the primary) hard?', args: [{ node: 'node1', asPrimary: true }] },
  ] as const)('$key: prompt, Esc cancels, then y calls $action once', async ({ key, action, node2, question, args }) => {
    const { app, controller } = await setup();
    if (node2) await selectNode2(app);

    await app.press(key);
    let f = await app.waitFor((fr) => fr.includes(question));
    expect(f).toContain(`${question} ${HINT}`);
    noneCalled(controller);

    await app.press(KEYS.esc);
    f = await app.waitFor((fr) => !fr.includes(question));
    expect(f).not.toContain(HINT);
    noneCalled(controller);

    await app.press(key);
    await app.waitFor((fr) => fr.includes(question));
    await app.press('y');
    f = await app.waitFor((fr) => !fr.includes(question));
    expect(controller[action]).toHaveBeenCalledTimes(1);
    expect(controller[action]).toHaveBeenCalledWith(...args);
    for (const fn of controller.actions()) if (fn !== controller[action]) expect(fn).not.toHaveBeenCalled();
  });

  it('n cancels too', async () => {
    const { app, controller } = await setup();
    await app.press('k');
    await app.waitFor((f) => f.includes('Kill node1'));
    await app.press('n');
    await app.waitFor((f) => !f.includes('Kill node1'));
    noneCalled(controller);
  });

  it('while the prompt is open every other key is ignored', async () => {
    const { app, controller } = await setup();
    await app.press('k');
    await app.waitFor((f) => f.includes('Kill node1'));
    for (const k of ['l', 'P', 'f', '?', KEYS.down]) await app.press(k);
    const f = app.frame();
    expect(f).toContain(`Kill node1 (the primary) hard? ${HINT}`);
    expect(rowOf(f, 'node1')).toMatch(/^›/);
    expect(app.onQuit).not.toHaveBeenCalled();
    noneCalled(controller);
    await app.press('y');
    await app.waitFor((fr) => !fr.includes('Kill node1'));
    expect(controller.killPrimary).toHaveBeenCalledTimes(1);
  });

  it('quitting still works with a prompt open, and runs nothing', async () => {
    for (const quitKey of ['q', KEYS.ctrlC]) {
      const { app, controller } = await setup();
      await app.press('k');
      await app.waitFor((f) => f.includes('Kill node1'));
      await app.press(quitKey);
      expect(app.onQuit).toHaveBeenCalledTimes(1);
      noneCalled(controller);
    }
  });

  it('typed ahead "ky" confirms in one chunk', async () => {
    const { app, controller } = await setup();
    await app.press('ky');
    expect(controller.killPrimary).toHaveBeenCalledTimes(1);
    expect(app.frame()).not.toContain('Kill node1');
  });

  it('names the primary when the selected node is the primary', async () => {
    const { app } = await setup();
    await app.press('s');
    await app.waitFor((f) => f.includes(`Stop node1 (the primary)? ${HINT}`));
  });

  it('y and n do nothing without a prompt', async () => {
    const { app, controller } = await setup();
    const before = app.frame();
    await app.press('y');
    await app.press('n');
    noneCalled(controller);
    expect(app.frame()).toBe(before);
  });
});

describe('keys that do not ask', () => {
  it('s on a stopped node starts it at once', async () => {
    const { app, controller } = await setup({ processes: { node1: 'running', node2: 'stopped', node3: 'running' } });
    await selectNode2(app);
    await app.press('s');
    expect(controller.toggleStop).toHaveBeenCalledTimes(1);
    expect(controller.toggleStop).toHaveBeenCalledWith('node2', undefined); // nothing was asked: no target
    expect(app.frame()).not.toContain(HINT);
  });

  it('z on a frozen node thaws it at once', async () => {
    const { app, controller } = await setup({ processes: { node1: 'running', node2: 'frozen', node3: 'running' } });
    await selectNode2(app);
    await app.press('z');
    expect(controller.toggleFreeze).toHaveBeenCalledTimes(1);
    expect(controller.toggleFreeze).toHaveBeenCalledWith('node2', undefined); // nothing was asked: no target
    expect(app.frame()).not.toContain(HINT);
  });

  it('l toggles the load test, P switches profile', async () => {
    const { app, controller } = await setup();
    await app.press('l');
    expect(controller.toggleLoad).toHaveBeenCalledTimes(1);
    await app.press('P');
    expect(controller.nextProfile).toHaveBeenCalledTimes(1);
    expect(app.frame()).not.toContain(HINT);
    expect(controller.killPrimary).not.toHaveBeenCalled();
  });

  it('t during a run aborts it without asking, even while busy', async () => {
    const { app, controller } = await setup({
      busy: { label: 'RTO run #1', since: NOW - 2_000 },
      rto: {
        current: { id: 1, fault: 'kill', victim: 'node1', newPrimary: null, startedAt: NOW - 2_000, clientRtoS: null, phases: [], status: 'running', error: null },
        history: [],
        summary: { runs: 0, minS: null, medianS: null, maxS: null },
      },
    });
    await app.press('t');
    expect(controller.toggleRto).toHaveBeenCalledTimes(1);
    expect(app.frame()).not.toContain(HINT);
    expect(app.frame()).not.toContain('waiting:');
  });
});

describe('busy, messages and missing pieces', () => {
  it('while busy: a busy line counting up, destructive keys say wait, l still works', async () => {
    let now = NOW;
    const { app, controller } = await setup({ busy: { label: 'kill node1', since: NOW - 3_000 } }, healthySnapshot(), () => now);
    await app.waitFor((f) => f.includes('⏳ kill node1 … 3s'));
    await app.press('k');
    const f = await app.waitFor((fr) => fr.includes('waiting: kill node1 is still running'));
    expect(f).not.toContain(HINT);
    for (const k of ['f', 'r', 's', 'z', 't']) {
      await app.press(k);
      expect(app.frame()).not.toContain(HINT);
    }
    noneCalled(controller);
    await app.press('l');
    expect(controller.toggleLoad).toHaveBeenCalledTimes(1);
    expect(app.frame()).not.toContain('waiting:'); // the next key cleared it
    now = NOW + 2_000;
    await app.waitFor((fr) => fr.includes('⏳ kill node1 … 5s'), 2500);
  });

  it('busy ends: the busy line goes and keys prompt again', async () => {
    const { app, controller } = await setup({ busy: { label: 'failover', since: NOW } });
    await app.waitFor((f) => f.includes('⏳ failover'));
    controller.set({ busy: null });
    await app.waitFor((f) => !f.includes('⏳'));
    await app.press('k');
    await app.waitFor((f) => f.includes(HINT));
  });

  it('the controller message shows; a UI-local one overrides it until the next key', async () => {
    const { app, controller } = await setup();
    controller.set({ message: { level: 'error', text: 'restart node2 failed: container not found', at: NOW } });
    await app.waitFor((f) => f.includes('restart node2 failed: container not found'));
    controller.set({ busy: { label: 'restart node2', since: NOW } });
    await app.press('f');
    let f = await app.waitFor((fr) => fr.includes('waiting: restart node2 is still running'));
    expect(f).not.toContain('container not found');
    await app.press('x');
    f = await app.waitFor((fr) => fr.includes('container not found'));
    expect(f).not.toContain('waiting:');
  });

  it('no known primary: f, k and t explain instead of asking', async () => {
    const { app, controller } = await setup({}, nodeDown(healthySnapshot(), 'node1', NOW - 5_000));
    for (const k of ['f', 'k', 't']) {
      await app.press(k);
      const f = await app.waitFor((fr) => fr.includes('no primary known'));
      expect(f).not.toContain(HINT);
    }
    noneCalled(controller);
  });

  it('the header shows the profile from the controller', async () => {
    const { app, controller } = await setup();
    expect(app.frame().split('\n')[0]).toContain('profile fast');
    controller.set({ profile: 'default' });
    await app.waitFor((f) => (f.split('\n')[0] ?? '').includes('profile default'));
  });

  it('without a controller the action keys say "not available here"', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    for (const k of ['f', 'k', 'r', 's', 'z', 'l', 't', 'P']) {
      await app.press(k);
      const f = await app.waitFor((fr) => fr.includes('not available here'));
      expect(f).not.toContain(HINT);
    }
    await app.press(KEYS.down);
    expect(app.frame()).not.toContain('not available here');
  });

  it('unsubscribes from the controller on unmount', async () => {
    const { app, controller } = await setup();
    app.unmount();
    await delay(20);
    const frames = app.frames.length;
    controller.set({ profile: 'default' });
    await delay(50);
    expect(app.frames.length).toBe(frames);
  });
});
