// A key right after an arrow, faster than a render, acts on the node the cursor moved to.
import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { healthySnapshot, NOW } from './fixtures.js';
import { KEYS, renderApp } from './harness.js';
import { FakeController } from './fake-controller.js';

afterEach(() => cleanup());

it.each([
  ['z', 'Freeze node2 (pause its processes)?'],
  ['s', 'Stop node2?'],
  ['r', 'Restart node2?'],
])('↓ then %s with no render in between names node2', async (key, question) => {
  const controller = new FakeController();
  const app = renderApp(healthySnapshot(), () => NOW, controller);
  await app.waitFor((f) => f.includes('node3'));
  // Two writes in one tick: Ink handles both before React renders the moved cursor.
  app.stdin.write(KEYS.down);
  app.stdin.write(key);
  const f = await app.waitFor((fr) => fr.includes('y = yes, Esc = cancel'));
  expect(f).toContain(question);
});
