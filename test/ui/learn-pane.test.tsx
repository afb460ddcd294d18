// The walkthrough pane in the console: w opens and closes it with the node table (which stays),
// steps advance on the live state, Tab skips, a digit answers a prediction, progress is saved.
import { describe, expect, it, vi } from 'vitest';
import { Walkthrough } from '../../src/learn/engine.js';
import { LESSONS } from '../../src/learn/lessons/index.js';
import { FakeController } from './fake-controller.js';
import { healthySnapshot, NOW } from './fixtures.js';
import { renderApp } from './harness.js';

function setup(start = { lesson: 0, step: 0 }, open = false) {
  const walkthrough = new Walkthrough(LESSONS, 'local', start, () => NOW);
  const save = vi.fn();
  const app = renderApp(healthySnapshot(), () => NOW, new FakeController(), { walkthrough, open, save });
  return { app, walkthrough, save };
}

describe('walkthrough pane', () => {
  it('w opens it under the table and closes it; the node table stays', async () => {
    const { app } = setup();
    await app.waitFor((f) => f.includes('node3'));
    expect(app.frame()).not.toContain('Learn lesson');
    await app.press('w');
    // The cursor starts on node1, the primary: step 1 ("select the primary") is done at once.
    const open = await app.waitFor((f) => f.includes('Learn lesson 1 of 9: Meet the cluster · step 2 of 3'));
    for (const n of ['node1', 'node2', 'node3']) expect(open).toContain(n);
    expect(open).toContain('press ↑/↓ · Tab skips · w closes');
    expect(open).toContain('primary: read-write'); // the glossary for the states on screen
    await app.press('w');
    await app.waitFor((f) => !f.includes('Learn lesson'));
  });

  it('a step advances on the selection, and the move is saved', async () => {
    const { app, save } = setup({ lesson: 0, step: 0 }, true);
    await app.waitFor((f) => f.includes('step 1 of 3'));
    // The cursor starts on node1, the primary: the first step holds at once.
    await app.waitFor((f) => f.includes('step 2 of 3'));
    expect(save).toHaveBeenLastCalledWith({ lesson: 0, step: 1 });
    await app.press('\u001B[B'); // ↓ to node2, a standby
    await app.waitFor((f) => f.includes('step 3 of 3'));
  });

  it('Tab skips; a digit answers the prediction with the node in that row', async () => {
    const { app, walkthrough } = setup({ lesson: 1, step: 3 }, true);
    await app.waitFor((f) => f.includes('lesson 2 of 9'));
    await app.press('\t');
    const predict = await app.waitFor((f) => f.includes('lesson 3 of 9'));
    expect(predict).toContain('Press the row number: 1 node1, 2 node2, 3 node3.');
    expect(predict).toContain('1…9 answers');
    await app.press('3');
    await app.waitFor((f) => f.includes('step 2 of 4'));
    expect(walkthrough.current().lines.join(' ')).toContain('press f');
  });

  it('fits 80x24 with the walkthrough open, the table whole', async () => {
    const { app } = setup({ lesson: 3, step: 2 }, true);
    app.resize(80, 24);
    await new Promise((r) => setTimeout(r, 50)); // the resize re-renders asynchronously
    // Under load the resize may land after the first frame: wait for the one drawn at 80x24.
    const f = await app.waitFor((fr) => fr.includes('Learn lesson 4 of 9') && fr.split('\n').every((l) => [...l].length <= 80));
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    for (const n of ['node1', 'node2', 'node3']) expect(f).toContain(n);
  });

  it('the help overlay shows the glossary of the states on screen when it has rows to spare', async () => {
    const { app } = setup();
    app.resize(100, 50);
    await new Promise((r) => setTimeout(r, 50));
    await app.waitFor((f) => f.includes('node3'));
    await app.press('?');
    const f = await app.waitFor((fr) => fr.includes('Profile'));
    expect(f).toContain('primary: read-write, commits wait for a standby of the quorum to confirm them');
    expect(f).toContain('secondary: standby in sync');
    expect(f).not.toContain('demoted:'); // not on screen
  });
});
