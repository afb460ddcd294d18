// The README's Quick start and Commands, as written, from a fresh clone: `git clone`, `npm ci`,
// then every `npx pgha-tui …` line with a temporary --lab-dir and a free --base-port appended
// (README: every command takes the selection flags). Synopsis lines are expanded by fixed rules:
// [optional] parts are included, `a|b` in a command or argument runs each, `a|b` as a flag's
// value takes the first, and placeholders get a value (<node> a standby, N 1 run, C 2 clients,
// S 60 s, URL a loopback port of the test's range that nothing listens on). Between lines the test waits for the cluster to settle, as a person would.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freeRange } from '../../src/lib/ports.js';
import { ROOT, sleep, type CliResult } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';

interface Status {
  lab: string;
  labState: string;
  primary: string | null;
  nodes: Array<{ name: string; reportedState: string; assignedState: string; health: string }>;
}

const parent = mkdtempSync(join(tmpdir(), 'pgha-readme-'));
chmodSync(parent, 0o755); // as root the lab runs as postgres, which must enter every parent
const clone = join(parent, 'clone');
const labDir = join(parent, 'lab');
let flags: string[] = [];
let webhook = '';
const tmux = new Tmux('pgha-readme');

function run(file: string, args: string[], timeoutMs = 300_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: clone, timeout: timeoutMs, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A README line as argv, run in the clone; `npx pgha-tui` lines get the selection flags. */
function runLine(argv: string[]): Promise<CliResult> {
  const withFlags = argv[0] === 'npx' && argv[1] === 'pgha-tui' ? [...argv, ...flags] : argv;
  return run(withFlags[0]!, withFlags.slice(1));
}

/** The clone's own CLI, for the test's own status checks between README lines. */
async function status(): Promise<Status | null> {
  const r = await run(process.execPath, [join(clone, 'dist', 'cli.js'), 'status', '--json', ...flags], 30_000);
  try {
    return JSON.parse(r.stdout) as Status;
  } catch {
    return null;
  }
}

async function settle(what: string, ok: (s: Status) => boolean, limitMs = 120_000): Promise<Status> {
  const end = Date.now() + limitMs;
  for (;;) {
    const s = await status();
    if (s && ok(s)) return s;
    if (Date.now() > end) throw new Error(`never reached: ${what}; last status ${JSON.stringify(s)}`);
    await sleep(1_000);
  }
}

const healthy = (s: Status) =>
  s.primary !== null &&
  s.nodes.length === 3 &&
  s.nodes.every((n) => n.health === 'good' && n.reportedState === n.assignedState && ['primary', 'secondary'].includes(n.reportedState));

/** The shell lines of the first ```sh block after a heading, comments dropped. */
function shBlock(readme: string, heading: string): string[] {
  const from = readme.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from))![1]!;
  return block
    .split('\n')
    .map((l) => l.replace(/\s#.*$/, '').trim())
    .filter(Boolean);
}

/** A synopsis line as the argv lists it stands for (rules in the header comment). */
function expand(line: string, fill: Record<string, string>): string[][] {
  const tokens = line.replace(/\[([^\]]*)\]/g, '$1').split(/\s+/);
  let variants: string[][] = [[]];
  tokens.forEach((tok, i) => {
    const isValue = (tokens[i - 1] ?? '').startsWith('--');
    let choices: string[];
    if (/^<.+>$/.test(tok) || (isValue && /^[A-Z]+$/.test(tok))) {
      const v = fill[tok];
      if (v === undefined) throw new Error(`no value for placeholder ${tok} in: ${line}`);
      choices = [v];
    } else if (tok.includes('|')) {
      choices = isValue ? [tok.split('|')[0]!] : tok.split('|');
    } else choices = [tok];
    variants = variants.flatMap((v) => choices.map((c) => [...v, c]));
  });
  return variants;
}

/** A README line that opens the console: in a real terminal until `shows` holds, then q leaves it with 0. */
async function consoleLine(argv: string[], shows: (screen: string) => boolean): Promise<void> {
  const exitFile = join(parent, 'console-exit');
  rmSync(exitFile, { force: true });
  tmux.start(`cd ${clone} && ${[...argv, ...flags].join(' ')}; echo $? > ${exitFile}; sleep 30`);
  await tmux.waitFor(shows, 30_000);
  tmux.keys('q');
  const until = Date.now() + 10_000;
  while (!existsSync(exitFile) && Date.now() < until) await sleep(100);
  expect(existsSync(exitFile), tmux.capture()).toBe(true);
  expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  tmux.kill();
}

function oneLineError(r: CliResult) {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

beforeAll(async () => {
  execFileSync('git', ['clone', '--quiet', ROOT, clone]);
  // Four ports for the lab, ten beside them for --monitoring (exporter, Prometheus, Alertmanager).
  const port = await freeRange(14, 20000);
  webhook = `http://127.0.0.1:${port + 13}/`;
  flags = ['--lab-dir', labDir, '--base-port', String(port)];
});

afterAll(async () => {
  tmux.kill();
  if (existsSync(join(clone, 'dist', 'cli.js'))) await run(process.execPath, [join(clone, 'dist', 'cli.js'), 'down', '--volumes', ...flags]);
  rmSync(parent, { recursive: true, force: true });
}, 120_000);

describe('README, verbatim, from a fresh clone', () => {
  test('Quick start and Commands', async () => {
    const readme = readFileSync(join(clone, 'README.md'), 'utf8');
    const quick = shBlock(readme, '## Quick start').map((l) => l.split(/\s+/));
    const commands = shBlock(readme, '## Commands');
    expect(quick.map((q) => q.join(' '))).toEqual(['npm ci', 'npx pgha-tui up', 'npx pgha-tui', 'npx pgha-tui down --volumes']);

    // npm ci leaves a built CLI.
    const ci = await runLine(quick[0]!);
    expect(ci.code, ci.stderr).toBe(0);
    expect(existsSync(join(clone, 'dist', 'cli.js'))).toBe(true);

    const up = await runLine(quick[1]!);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(new RegExp(`^backend local: .* · lab ${labDir}: none yet \\(creating it\\)$`, 'm'));
    expect(healthy((await status())!)).toBe(true);

    // The console, in a real terminal: the table, then q leaves it with 0.
    await consoleLine(quick[2]!, (s) => s.includes('read-write') && /node3\s/.test(s));

    let standby = '';
    const fill = () => ({ '<node|primary>': 'primary', '<node>': standby, '<lesson>': '3', N: '1', C: '2', S: '60', URL: webhook });
    for (const line of commands) {
      if (line.split(/\s+/)[2] === 'down') continue; // after the stopped-lab check below
      const before = await settle(`healthy before "${line}"`, healthy);
      standby = before.nodes.find((n) => n.name !== before.primary)!.name;
      for (const argv of expand(line, fill())) {
        const command = argv[2]!;
        if (command === 'learn') {
          // The console with the walkthrough open, at the lesson asked for.
          // From 140 columns the pane sits beside the table and wraps its own header.
          await consoleLine(argv, (s) => s.includes('lesson 3 of 9: Planned switchover') && /step 1 of \d+/.test(s) && /node3\s/.test(s));
          continue;
        }
        const r = await runLine(argv);
        const what = `${argv.join(' ')}: ${r.stderr}`;
        if (command === 'partition' || command === 'heal' || command === 'rebuild') {
          expect(r.code, what).toBe(2); // compose only
          oneLineError(r);
          continue;
        }
        expect(r.stderr, what).toMatch(/^backend local: /);
        expect(r.code, what).toBe(0);
        if (command === 'status') {
          const s = JSON.parse(r.stdout) as Status;
          expect(s).toMatchObject({ lab: labDir, labState: 'running', primary: before.primary });
        }
        if (command === 'kill') {
          // Bring the victim back (not a README line: the lab must be whole for the next ones).
          await settle('a new primary', (s) => s.primary !== null && s.primary !== before.primary);
          expect((await run(process.execPath, [join(clone, 'dist', 'cli.js'), 'start', before.primary!, ...flags])).code).toBe(0);
        }
        if (command === 'drill') expect(r.stdout).toMatch(/"lost":0/);
        if (command === 'promote') await settle(`${standby} promoted`, (s) => s.primary === standby);
        if (command === 'failover') await settle('the primary moved', (s) => s.primary !== null && s.primary !== before.primary);
        // A stopped, frozen or maintained node is the point of those lines; the next form undoes it.
        if (command === 'stop' || command === 'freeze' || (command === 'maintenance' && argv[3] === 'enable')) continue;
        await settle(`healthy after "${argv.join(' ')}"`, healthy, 180_000);
      }
    }

    // A stopped lab from earlier: status names it, says it is stopped, prints the JSON, exits 1.
    const stop = await run(process.execPath, [join(clone, 'dist', 'cli.js'), 'down', ...flags]);
    expect(stop.code, stop.stderr).toBe(0);
    const st = await runLine(['npx', 'pgha-tui', 'status', '--json']);
    expect(st.code).toBe(1);
    expect(st.stderr).toContain(`lab ${labDir}: stopped (pgha-tui up starts it)`);
    expect(JSON.parse(st.stdout)).toMatchObject({ lab: labDir, labState: 'stopped', primary: null, monitorReachable: false });

    const down = commands.find((l) => l.split(/\s+/)[2] === 'down')!;
    for (const argv of expand(down, fill())) {
      const r = await runLine(argv);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(existsSync(labDir)).toBe(false);

    const last = await runLine(quick[3]!);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toContain(`lab ${labDir}: none yet`);
  }, 900_000);
});
