// The real console, in a real terminal (tmux), against a real cluster.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI, runCli, sleep, useLab } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';

const lab = useLab();
const tmux = new Tmux('pgha-e2e');
afterAll(() => tmux.kill());

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('the console shows the primary row within 5 s and q exits 0 leaving no process behind', async () => {
  const exitFile = join(lab.dir, '..', 'console-exit');
  const started = Date.now();
  tmux.start(`${process.execPath} ${CLI} ${lab.flags.join(' ')}; echo $? > ${exitFile}; sleep 30`);
  const screen = await tmux.waitFor((s) => /node1\s.*primary/.test(s) && s.includes('read-write'), 5_000);
  const shownAfterMs = Date.now() - started;
  expect(shownAfterMs).toBeLessThan(5_000);
  expect(screen).toMatch(/node2\s.*secondary/);
  expect(screen).toMatch(/node3\s.*secondary/);
  // Redraws replace the frame in place: after a few seconds of redraws the screen still holds one
  // header, one row per node and the whole frame fits (nothing scrolled or left behind).
  await sleep(3_500);
  const later = tmux.capture();
  expect(later.match(/^pgha-tui\s+primary/gm), later).toHaveLength(1);
  expect(later.match(/^.{0,3}node1\s/gm), later).toHaveLength(1);
  // Above the frame, only the line that says which backend and lab (stderr, before the TUI).
  expect(later.split('\n')[0]).toMatch(/^backend local: --backend local · lab .*: running$/);
  expect(later.split('\n')[1]).toMatch(/^pgha-tui\s+primary node1/);

  const shell = tmux.panePid();
  const consolePids = childPids(shell);
  expect(consolePids.length).toBe(1);
  const consolePid = consolePids[0]!;

  tmux.keys('?');
  await tmux.waitFor((s) => /help/i.test(s) && s.includes('quit'), 3_000);
  tmux.keys('?');
  tmux.keys('q');
  const until = Date.now() + 5_000;
  while (!existsSync(exitFile) && Date.now() < until) await sleep(100);
  expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  expect(existsSync(`/proc/${consolePid}`)).toBe(false);
  // The cluster keeps running after q.
  const st = await runCli(['status', '--json', ...lab.flags]);
  expect(JSON.parse(st.stdout).primary).toBe('node1');
});
