// A question the controller asks on its own (faults found at start) opens as a prompt: y accepts,
// Esc declines; q still quits, and the table is drawn behind it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { healthySnapshot, NOW } from './fixtures.js';
import { KEYS, renderApp } from './harness.js';
import { FakeController } from './fake-controller.js';

afterEach(() => cleanup());

const QUESTION = 'node1, node2 are frozen: thaw them?';

async function withOffer() {
  const controller = new FakeController({ processes: { node1: 'frozen', node2: 'frozen', node3: 'running' } });
  const app = renderApp(healthySnapshot(), () => NOW, controller);
  await app.waitFor((f) => f.includes('node3'));
  controller.set({ offer: QUESTION });
  await app.waitFor((f) => f.includes(`${QUESTION} y = yes, Esc = cancel`));
  return { app, controller };
}

describe('start-up offer', () => {
  it('y accepts it once', async () => {
    const { app, controller } = await withOffer();
    expect(app.frame()).toContain('node1');
    await app.press('y');
    await app.waitFor((f) => !f.includes(QUESTION));
    expect(controller.acceptOffer).toHaveBeenCalledTimes(1);
    expect(controller.declineOffer).not.toHaveBeenCalled();
  });

  it('Esc declines it and it is not asked again', async () => {
    const { app, controller } = await withOffer();
    await app.press(KEYS.esc);
    await app.waitFor((f) => !f.includes(QUESTION));
    expect(controller.declineOffer).toHaveBeenCalledTimes(1);
    expect(controller.acceptOffer).not.toHaveBeenCalled();
    controller.set({ message: { level: 'info', text: 'left as they are', at: NOW } });
    await app.waitFor((f) => f.includes('left as they are'));
    expect(app.frame()).not.toContain(QUESTION);
  });

  it('q quits with the offer open and accepts nothing', async () => {
    const { app, controller } = await withOffer();
    await app.press('q');
    expect(app.onQuit).toHaveBeenCalledTimes(1);
    expect(controller.acceptOffer).not.toHaveBeenCalled();
  });
});
