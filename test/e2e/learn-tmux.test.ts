// The walkthrough on the real console, on a real local cluster (fast profile): lessons 3, 4 and 8
// are completed by pressing only the keys the pane names (the row digits, f, t, m, y, ↑/↓, the
// number lesson 4 asks for read off the screen and Enter, and Tab and l in lessons 5-7), and every
// prediction verdict is checked against the node the monitor really promoted, as
// `pgha-tui status --json` reports it. At the end a wider window moves the pane beside the table
// and back.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI, runCli, sleep, useLab } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';

const lab = useLab(['--profile', 'fast']);
const tmux = new Tmux('pgha-e2e-learn');
afterAll(() => tmux.kill());

interface Status {
  primary: string | null;
  nodes: Array<{ name: string; reportedState: string }>;
}
async function status(): Promise<Status> {
  return JSON.parse((await runCli(['status', '--json', ...lab.flags])).stdout) as Status;
}

const step = (lesson: number, k: number) => (s: string) => s.includes(`lesson ${lesson} of 9`) && s.includes(`step ${k} of`);
/** The node the verdict says was promoted, and the one the user named. */
function verdict(screen: string): { said: string; promoted: string } {
  const right = /You said (node\d): right, (node\d) was promoted\./.exec(screen);
  if (right) return { said: right[1]!, promoted: right[2]! };
  const wrong = /You said (node\d); the monitor promoted (node\d)\./.exec(screen);
  if (!wrong) throw new Error(`no verdict on screen:\n${screen}`);
  return { said: wrong[1]!, promoted: wrong[2]! };
}
/** Row of the cursor (›) in the node table. */
const cursorRow = (screen: string) => Number(/›\s+node(\d)/.exec(screen)?.[1] ?? 0);

async function selectNode(name: string) {
  const want = Number(name.replace('node', ''));
  for (let i = 0; i < 4; i++) {
    const row = cursorRow(tmux.capture());
    if (row === want) return;
    tmux.keys(row < want ? 'Down' : 'Up');
    await tmux.waitFor((s) => cursorRow(s) !== row, 3_000);
  }
  expect(cursorRow(tmux.capture())).toBe(want);
}

test('lessons 3, 4 and 8 complete on the live cluster; predictions are judged by what the monitor did', async () => {
  const exitFile = join(lab.dir, '..', 'learn-console-exit');
  tmux.start(`${process.execPath} ${CLI} learn 3 ${lab.flags.join(' ')}; echo $? > ${exitFile}; sleep 30`, 120, 45);

  // Lesson 3: predict, f, follow the states, verdict, old primary back as a secondary.
  await tmux.waitFor((s) => step(3, 1)(s) && s.includes('Press the row number') && /node1\s.*primary/.test(s), 15_000);
  tmux.keys('3');
  await tmux.waitFor((s) => step(3, 2)(s) && s.includes('press f'), 5_000);
  tmux.keys('f');
  await tmux.waitFor((s) => s.includes('Fail over from node1 (the primary)'), 5_000);
  tmux.keys('y');
  const v3 = verdict(await tmux.waitFor((s) => step(3, 4)(s) && s.includes('You said'), 60_000));
  expect(v3.said).toBe('node3');
  await tmux.waitFor(step(4, 1), 90_000);
  const after3 = await status();
  expect(after3.primary).toBe(v3.promoted);
  expect(after3.nodes.find((n) => n.name === 'node1')!.reportedState).toBe('secondary');

  // Lesson 4: predict, t, y; the RTO run ends once the killed node has rejoined.
  tmux.keys('1');
  await tmux.waitFor((s) => step(4, 2)(s) && s.includes('press t'), 5_000);
  tmux.keys('t');
  await tmux.waitFor((s) => s.includes(`Time an RTO run: kill ${v3.promoted} (the primary) hard?`), 5_000);
  tmux.keys('y');
  const s4 = await tmux.waitFor((s) => step(4, 4)(s) && s.includes('You said'), 90_000);
  const v4 = verdict(s4);
  expect(v4.said).toBe('node1');
  expect(s4).toMatch(/Client RTO \d+\.\d s/);
  // How long detection took: read off the RTO pane's timeline, as the step asks of a person.
  const asked = await tmux.waitFor((s) => step(4, 5)(s) && s.includes('How many seconds did detection take?') && /detected\s+\+\d+\.\d+ s/.test(s), 120_000);
  const detected = /detected\s+\+(\d+\.\d+) s/.exec(asked)![1]!;
  tmux.keys(detected);
  await tmux.waitFor((s) => s.includes(`your answer: ${detected}_`), 5_000);
  tmux.keys('Enter');
  const read = await tmux.waitFor(step(5, 1), 10_000);
  expect(read).toContain(`You read ${Number(detected)} s; the run's detection took ${detected} s: right (within 0.5 s).`);
  expect(read).toContain("Detection is bounded by the monitor's health checks");
  const after4 = await status();
  expect(after4.primary).toBe(v4.promoted);
  expect(after4.nodes.find((n) => n.name === v3.promoted)!.reportedState).toBe('secondary');

  // Lessons 5 to 7 are passed over with Tab. Some of their steps hold at once (the load and the
  // fast profile are already on) and advance by themselves, so Tab until lesson 8 shows; lesson 7's
  // "press l" is answered with l: the load the RTO run started stops and its ledger is checked
  // (a standby leaving maintenance is rewound by its keeper, slow under 1000 writes/s).
  const header = (s: string) => /lesson \d of 9: .* step \d of \d/.exec(s)?.[0] ?? '';
  // A loaded machine may take a while to draw the next step: a Tab that shows nothing new within
  // 15 s is pressed again (the lesson-8 wait below fails if Tab never gets there).
  for (let i = 0; i < 20 && !step(8, 1)(tmux.capture()); i++) {
    const screen = tmux.capture();
    if (step(7, 3)(screen)) {
      tmux.keys('l');
      expect(await tmux.waitFor(step(7, 4), 60_000)).toMatch(/\d+ acknowledged, 0 lost/);
      continue;
    }
    tmux.keys('Tab');
    await tmux.waitFor((s) => header(s) !== header(screen), 15_000).catch(() => undefined);
  }

  // Lesson 8: a standby into maintenance and back, then the primary (fails over first) and back.
  await tmux.waitFor((s) => step(8, 1)(s) && s.includes('press m'), 5_000);
  const standby = after4.nodes.find((n) => n.name !== after4.primary)!.name;
  await selectNode(standby);
  tmux.keys('m');
  await tmux.waitFor((s) => s.includes(`Put ${standby} into maintenance?`), 5_000);
  tmux.keys('y');
  await tmux.waitFor((s) => step(8, 2)(s) && s.includes(`Bring ${standby} back`), 60_000);
  expect((await status()).nodes.find((n) => n.name === standby)!.reportedState).toBe('maintenance');
  tmux.keys('m'); // out of maintenance: not asked
  await tmux.waitFor((s) => step(8, 3)(s) && s.includes('Press the row number'), 180_000);
  tmux.keys('2');
  await tmux.waitFor(step(8, 4), 5_000);
  const primary = (await status()).primary!;
  await selectNode(primary);
  tmux.keys('m');
  await tmux.waitFor((s) => s.includes(`Put ${primary} (the primary) into maintenance? The monitor fails over first.`), 5_000);
  tmux.keys('y');
  const v8 = verdict(await tmux.waitFor((s) => step(8, 5)(s) && s.includes('You said'), 60_000));
  expect(v8.said).toBe('node2');
  const mid = await status();
  expect(mid.primary).toBe(v8.promoted);
  expect(mid.nodes.find((n) => n.name === primary)!.reportedState).toBe('maintenance');
  tmux.keys('m');
  await tmux.waitFor((s) => s.includes('lesson 9 of 9'), 180_000);
  expect((await status()).nodes.find((n) => n.name === primary)!.reportedState).toBe('secondary');

  // A wide window puts the pane beside the table: a node row and the pane share screen lines;
  // back at 120 columns it is below the table again.
  tmux.resize(170, 45);
  const wide = await tmux.waitFor((s) => s.split('\n').some((l) => /^Nodes\s{2,}Learn lesson 9 of 9/.test(l)), 5_000);
  const rows = wide.split('\n').filter((l) => /^[ ›*] node\d\s/.test(l));
  expect(rows).toHaveLength(3);
  expect(rows.some((l) => /\d+s\s{2,}\S/.test(l) && l.length > 120), wide).toBe(true);
  tmux.resize(120, 45);
  await tmux.waitFor((s) => s.split('\n').some((l) => l.startsWith('Learn lesson 9 of 9')), 5_000);

  // Progress is kept in the lab directory.
  expect(JSON.parse(readFileSync(join(lab.dir, 'learn.json'), 'utf8'))).toEqual({ lesson: 8, step: 0 });
  tmux.keys('q');
  for (let i = 0; i < 150 && !existsSync(exitFile); i++) await sleep(100);
  expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  // The progress file is the lab's: down --volumes takes it with the rest.
  const down = await runCli(['down', '--volumes', ...lab.flags]);
  expect(down.code, down.stderr).toBe(0);
  expect(existsSync(lab.dir), down.stderr).toBe(false);
}, 600_000);
