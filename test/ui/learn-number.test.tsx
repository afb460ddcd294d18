// A number question in the console: digits, '.' and Backspace edit the answer shown in the pane,
// Enter judges it against what the table showed and the verdict heads the next step; Esc passes
// the question over; a row digit still answers a prediction elsewhere.
import { describe, expect, it } from 'vitest';
import { Walkthrough } from '../../src/learn/engine.js';
import { LESSONS } from '../../src/learn/lessons/index.js';
import { FakeController } from './fake-controller.js';
import { healthySnapshot, NOW } from './fixtures.js';
import { KEYS, renderApp } from './harness.js';

/** Frames come slowly on a busy machine: the verdict is what is tested, not the speed. */
const WAIT = 5000;

/** Lesson 2, step 3: "How many bytes behind is node2?" The fixture's node2 shows 1.5 kB. */
function setup() {
  const walkthrough = new Walkthrough(LESSONS, 'local', { lesson: 1, step: 2 }, () => NOW);
  const app = renderApp(healthySnapshot(), () => NOW, new FakeController(), { walkthrough, open: true });
  return { app, walkthrough };
}

describe('a number read off the screen', () => {
  it('typing digits, erasing one, then Enter shows the verdict and moves on', async () => {
    const { app, walkthrough } = setup();
    const asked = await app.waitFor((f) => f.includes('How many bytes behind is node2 right now?'), WAIT);
    expect(asked).toContain('your answer: _');
    expect(asked).toContain('press Enter');
    await app.press('1');
    await app.press('.');
    await app.press('7');
    await app.waitFor((f) => f.includes('your answer: 1.7_'), WAIT);
    await app.press('\u007F'); // Backspace
    await app.press('5');
    await app.waitFor((f) => f.includes('your answer: 1.5_'), WAIT);
    await app.press('\r');
    const after = await app.waitFor((f) => f.includes('step 4 of 4'), WAIT);
    expect(after).toContain("You read 1.5 kB; node2's Lag column showed 1.5 kB: right (within 0.15 kB).");
    expect(after).toContain('That is WAL node2 has not replayed yet.');
    expect(walkthrough.position()).toEqual({ lesson: 1, step: 3 });
  });

  it('a far-off number is judged wrong, and still moves on (an answer never blocks)', async () => {
    const { app } = setup();
    await app.waitFor((f) => f.includes('your answer: _'), WAIT);
    await app.press('1536');
    await app.press('\r');
    const after = await app.waitFor((f) => f.includes('step 4 of 4'), WAIT);
    expect(after).toContain("You read 1536 kB; node2's Lag column showed 1.5 kB: wrong (right is within 0.15 kB).");
  });

  it('Enter with nothing typed does nothing; Esc passes the question over without a verdict', async () => {
    const { app, walkthrough } = setup();
    await app.waitFor((f) => f.includes('your answer: _'), WAIT);
    await app.press('\r');
    expect(walkthrough.position()).toEqual({ lesson: 1, step: 2 });
    await app.press(KEYS.esc);
    const after = await app.waitFor((f) => f.includes('step 4 of 4'), WAIT);
    expect(after).not.toContain('You read');
  });
});

describe('at 80x24', () => {
  it('the question and then its verdict fit with the table whole', async () => {
    const { app } = setup();
    app.resize(80, 24);
    await new Promise((r) => setTimeout(r, 50)); // the resize re-renders asynchronously
    const asked = await app.waitFor((f) => f.includes('your answer: _'), WAIT);
    await app.press('1.5');
    await app.press('\r');
    const after = await app.waitFor((f) => f.includes('step 4 of 4'), WAIT);
    for (const f of [asked, after]) {
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
      for (const n of ['node1', 'node2', 'node3']) expect(f).toContain(n);
    }
    expect(after).toContain("You read 1.5 kB; node2's Lag column showed 1.5 kB: right");
  });
});
