// Every way out of the real console (q, SIGINT, SIGTERM, SIGHUP) undoes what the console itself
// injected and reports the ledger; a confirmed kill refuses a primary that moved; and a lab left
// frozen and stopped opens at once and is repaired on request. One real cluster, fast profile.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalBackend } from '../../src/backends/local/local-backend.js';
import { isReady, type ReadinessRow } from '../../src/cluster/readiness.js';
import { readStat } from '../../src/lib/proc-stat.js';
import { CLI, processesOf, runCli, sleep, useLab } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';

const lab = useLab(['--profile', 'fast']);
let backend: LocalBackend;
let tmux: Tmux | null = null;
let exitFile = '';

beforeAll(() => {
  backend = new LocalBackend({ labDir: lab.dir, basePort: lab.port, basePortExplicit: true, scale: 0.2 });
  exitFile = join(lab.dir, '..', 'console-exit');
});
afterAll(() => tmux?.kill());

const SIGNO = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

interface Status {
  primary: string | null;
  nodes: ReadinessRow[];
}

async function status(): Promise<Status | null> {
  const r = await runCli(['status', '--json', ...lab.flags]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Status) : null;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** 1 primary + 2 secondaries by the shared rule, and a node answering read-write; returns it. */
const healthy = () =>
  until('1 primary + 2 secondaries', 120_000, async () => {
    const s = await status();
    return s && s.primary && isReady(s.nodes) ? s.primary : null;
  });

function stoppedProcesses(): number[] {
  return processesOf(lab.dir).filter((pid) => readStat(pid)?.state === 'T');
}

/** Start the console in a fresh tmux session; the shell keeps the screen after it exits. */
function startConsole(stderrFile?: string): Tmux {
  tmux?.kill();
  rmSync(exitFile, { force: true });
  tmux = new Tmux('pgha-e2e-exits');
  const redirect = stderrFile ? ` 2>${stderrFile}` : '';
  tmux.start(`${process.execPath} ${CLI} ${lab.flags.join(' ')}${redirect}; echo $? > ${exitFile}; sleep 120`, 150, 45);
  return tmux;
}

function consolePid(t: Tmux): number {
  const kids = readFileSync(`/proc/${t.panePid()}/task/${t.panePid()}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  expect(kids).toHaveLength(1);
  return kids[0]!;
}

const exitCode = () => until('the console to exit', 120_000, () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() || null : null));
const tableWith = (primary: string) => (s: string) => new RegExp(`^pgha-tui\\s+primary ${primary}`, 'm').test(s) && s.includes('profile fast');

/** Start the console, press t, confirm, and wait until the RTO run has killed the primary; returns the console's pid. */
async function startRtoKill(victim: string, stderrFile?: string): Promise<{ t: Tmux; pid: number }> {
  const t = startConsole(stderrFile);
  await t.waitFor(tableWith(victim), 10_000);
  const pid = consolePid(t);
  t.keys('t');
  await t.waitFor((s) => s.includes(`kill ${victim} (the primary) hard?`), 5_000);
  t.keys('y');
  await until(`${victim} killed by the RTO run`, 30_000, async () => (await backend.processState(victim)) === 'stopped');
  return { t, pid };
}

describe('leaving the console', () => {
  test('q during a load test prints the ledger verdict after the screen is gone', async () => {
    const primary = await healthy();
    const t = startConsole();
    await t.waitFor(tableWith(primary), 10_000);
    t.keys('l');
    await t.waitFor((s) => /acknowledged\s+[1-9]\d{2,}/.test(s), 20_000);
    t.keys('q');
    expect(await exitCode()).toBe('0');
    const screen = t.capture();
    const line = /load test stopped, ledger ok: 0 lost of (\d+) acknowledged \(read back from node\d/.exec(screen);
    expect(line, screen).not.toBeNull();
    expect(Number(line![1])).toBeGreaterThan(100);
  }, 120_000);

  test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s during a t run undoes the kill, checks the ledger and exits 128 + its number', async (sig) => {
    const victim = await healthy();
    const { t, pid } = await startRtoKill(victim);
    process.kill(pid, sig);
    expect(await exitCode()).toBe(String(128 + SIGNO[sig]));
    // Undone before the console exited.
    expect(await backend.processState(victim)).toBe('running');
    expect(stoppedProcesses()).toEqual([]);
    const screen = t.capture();
    expect(screen).toContain(`RTO run aborted: ${victim} started again`);
    expect(screen).toMatch(/load test stopped, ledger ok: 0 lost of [1-9]\d* acknowledged/);
    expect(screen).not.toMatch(/^\s+at /m);
    await healthy();
  }, 240_000);

  test('closing the terminal during a t run: the write errors and the hang-up still undo the kill', async () => {
    const victim = await healthy();
    const errFile = join(lab.dir, '..', 'console-stderr');
    const { t, pid } = await startRtoKill(victim, errFile);
    t.kill(); // the pty goes away: EIO on the next frame, then SIGHUP
    await until('the console to finish and exit', 90_000, () => !existsSync(`/proc/${pid}`));
    const err = readFileSync(errFile, 'utf8');
    expect(err).toContain(`RTO run aborted: ${victim} started again`);
    expect(err).toMatch(/load test stopped, ledger ok: 0 lost/);
    expect(err).not.toMatch(/Error|Assertion|^\s+at /m);
    expect(await backend.processState(victim)).toBe('running');
    expect(stoppedProcesses()).toEqual([]);
    await healthy();
  }, 240_000);
});

describe('confirmed targets', () => {
  test('a primary change between the k prompt and y refuses the kill', async () => {
    const before = await healthy();
    const t = startConsole();
    await t.waitFor(tableWith(before), 10_000);
    t.keys('k');
    await t.waitFor((s) => s.includes(`Kill ${before} (the primary) hard?`), 5_000);
    const f = await runCli(['failover', ...lab.flags]);
    expect(f.code, f.stderr).toBe(0);
    const after = await until('a new primary', 60_000, async () => {
      const s = await status();
      return s?.primary && s.primary !== before ? s.primary : null;
    });
    // The console has seen it too; the prompt is still open.
    const screen = await t.waitFor(tableWith(after), 10_000);
    expect(screen).toContain(`Kill ${before} (the primary) hard?`);
    t.keys('y');
    await t.waitFor((s) => s.includes(`the primary moved from ${before} to ${after} since the prompt: nothing done`), 5_000);
    await sleep(2_000);
    expect(await backend.processState(after)).toBe('running');
    expect(await backend.processState(before)).toBe('running');
    expect((await status())?.primary).toBe(after);
    t.keys('q');
    expect(await exitCode()).toBe('0');
  }, 180_000);
});

describe('a broken lab', () => {
  test('two frozen nodes and a stopped one: the table within 5 s, the offer, y repairs', async () => {
    const primary = await healthy();
    const [frozenStandby, stoppedStandby] = backend.nodeNames().filter((n) => n !== primary);
    for (const args of [['stop', stoppedStandby!], ['freeze', frozenStandby!], ['freeze', primary]]) {
      const r = await runCli([...args, ...lab.flags]);
      expect(r.code, r.stderr).toBe(0);
    }
    const frozen = [primary, frozenStandby!].sort((a, b) => a.localeCompare(b));
    const started = Date.now();
    const t = startConsole();
    const offer = `${frozen.join(', ')} are frozen, ${stoppedStandby} is stopped: thaw and start them?`;
    const screen = await t.waitFor((s) => s.includes(offer) && s.includes(stoppedStandby!), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(screen).toMatch(/^pgha-tui\s+primary/m);
    // q works from the first frame; here y accepts the offer.
    t.keys('y');
    await until('the nodes thawed', 10_000, async () => (await backend.processState(primary)) === 'running' && (await backend.processState(frozenStandby!)) === 'running');
    expect(stoppedProcesses()).toEqual([]);
    await t.waitFor((s) => s.includes('the lab is up: 1 primary + 2 secondaries'), 150_000);
    expect(await backend.processState(stoppedStandby!)).toBe('running');
    t.keys('q');
    expect(await exitCode()).toBe('0');
    await healthy();
  }, 240_000);

  test('a lab that is off (after down) opens at once and y starts it', async () => {
    const d = await runCli(['down', ...lab.flags]);
    expect(d.code, d.stderr).toBe(0);
    const started = Date.now();
    const t = startConsole();
    await t.waitFor((s) => s.includes('node1, node2, node3 are stopped, the monitor does not answer: start them?'), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    t.keys('y');
    await t.waitFor((s) => s.includes('the lab is up: 1 primary + 2 secondaries'), 150_000);
    t.keys('q');
    expect(await exitCode()).toBe('0');
    await healthy();
  }, 240_000);
});
