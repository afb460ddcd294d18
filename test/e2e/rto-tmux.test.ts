// Press t on the real console (fast profile): it asks, y kills the primary under load, and a
// measured client RTO appears on screen; the killed node is restarted and rejoins.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI, runCli, sleep, useLab } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';

const lab = useLab(['--profile', 'fast']);
const tmux = new Tmux('pgha-e2e-rto');
afterAll(() => tmux.kill());

test('t measures a client RTO on the real console', async () => {
  const exitFile = join(lab.dir, '..', 'rto-console-exit');
  tmux.start(`${process.execPath} ${CLI} ${lab.flags.join(' ')}; echo $? > ${exitFile}; sleep 30`, 120, 40);
  await tmux.waitFor((s) => /node1\s.*primary/.test(s) && s.includes('profile fast'), 10_000);
  tmux.keys('t');
  await tmux.waitFor((s) => s.includes('kill node1 (the primary) hard?'), 3_000);
  tmux.keys('y');
  const screen = await tmux.waitFor((s) => /client RTO \d+\.\d s/.test(s), 90_000);
  const rto = Number(/client RTO (\d+\.\d) s/.exec(screen)![1]);
  expect(rto).toBeGreaterThan(0);
  expect(rto).toBeLessThan(90);
  // The run completes once node1 is back as a secondary; the history then has one run.
  const done = await tmux.waitFor((s) => /\(1 runs?\)/.test(s), 90_000);
  expect(done).toMatch(/node1\s.*secondary/);
  // The outage is a run of zero seconds in the writes picture, about as long as the RTO.
  const writes = /^writes\/s +(.*?) {2}max \d+$/m.exec(done);
  expect(writes, done).not.toBeNull();
  const zeros = Math.max(...(writes![1]!.match(/·+/g) ?? ['']).map((r) => r.length));
  expect(zeros, done).toBeGreaterThanOrEqual(Math.floor(rto) - 1);
  expect(zeros, done).toBeLessThanOrEqual(Math.ceil(rto) + 1);
  // The RTO pane names what bounds detection, with the fast profile's values.
  expect(done).toContain('← health checks every 0.5 s, timeout 0.5 s, 1 retry after 0.25 s');
  // Events in short lines; e shows the monitor's sentences.
  expect(done).toMatch(/^\d\d:\d\d:\d\d node\d {2}(assigned|reported|marked) \w+/m);
  expect(done).not.toContain('New state is reported by');
  tmux.keys('e');
  await tmux.waitFor((s) => s.includes('New state is reported by') || s.includes('Setting goal state of'), 5_000);
  tmux.keys('q');
  // q leaves the console with exit 0 (the shell records it); a hang or a failed exit fails here.
  for (let i = 0; i < 150 && !existsSync(exitFile); i++) await sleep(100);
  expect(existsSync(exitFile), tmux.capture()).toBe(true);
  expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  const st = await runCli(['status', '--json', ...lab.flags]);
  const json = JSON.parse(st.stdout) as { primary: string; nodes: Array<{ name: string; reportedState: string }> };
  expect(json.primary).not.toBe('node1');
  expect(json.nodes.find((n) => n.name === 'node1')!.reportedState).toBe('secondary');
}, 240_000);
