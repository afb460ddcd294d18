// A signal in the middle of a drill's fault: the fault is undone before the process exits, the
// load stops, the ledger verdict is printed, and the cluster returns to 1 primary + 2 secondaries
// with no process of the lab left stopped (state T).
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { LocalBackend } from '../../src/backends/local/local-backend.js';
import { isReady, type ReadinessRow } from '../../src/cluster/readiness.js';
import { readStat } from '../../src/lib/proc-stat.js';
import { CLI, processesOf, runCli, sleep, useLab } from '../helpers/lab.js';

const lab = useLab(['--profile', 'fast']);
let backend: LocalBackend;

beforeAll(() => {
  backend = new LocalBackend({ labDir: lab.dir, basePort: lab.port, basePortExplicit: true, scale: 0.2 });
});

const SIGNO = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

const stateOf = (pid: number): string | null => readStat(pid)?.state ?? null;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null> | T | null): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function healthyTriple(): Promise<boolean> {
  const r = await runCli(['status', '--json', ...lab.flags]);
  if (r.code !== 0) return false;
  const s = JSON.parse(r.stdout) as { primary: string | null; nodes: ReadinessRow[] };
  return s.primary !== null && isReady(s.nodes);
}

describe('signals during drill', () => {
  test.each([
    ['SIGINT', 'kill'],
    ['SIGTERM', 'freeze'],
    ['SIGHUP', 'kill'],
    ['SIGINT', 'freeze'],
  ] as const)('%s during a %s fault undoes it and prints the ledger verdict', async (sig, fault) => {
    await until('1 primary + 2 secondaries before the drill', 90_000, async () => ((await healthyTriple()) ? true : null));
    const child = spawn(process.execPath, [CLI, 'drill', '--fault', fault, '--runs', '3', '--json', ...lab.flags], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const victim = await until('run 1 starting', 90_000, () => /run 1\/3: \w+ (node\d)/.exec(stderr)?.[1] ?? null);
      const faulted = fault === 'kill' ? 'stopped' : 'frozen';
      await until(`${victim} ${faulted}`, 30_000, async () => ((await backend.processState(victim)) === faulted ? true : null));
      child.kill(sig);
      const code = await Promise.race([exited, sleep(120_000).then(() => 'timeout' as const)]);
      expect(code, stderr).toBe(128 + SIGNO[sig]);
      // Undone before the exit, not later by someone else.
      expect(await backend.processState(victim)).toBe('running');
      expect(processesOf(lab.dir).filter((pid) => stateOf(pid) === 'T')).toEqual([]);
      const summary = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { summary: { interruptedBy: string; acknowledged: number; lost: number; ok: boolean } }).summary;
      expect(summary.interruptedBy).toBe(sig);
      expect(summary.acknowledged).toBeGreaterThan(0);
      expect(summary.lost).toBe(0);
      expect(summary.ok).toBe(false);
      expect(stderr).toContain(`interrupted by ${sig}: fault undone, ledger ok (0 lost of ${summary.acknowledged} acknowledged)`);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      await until('1 primary + 2 secondaries after the drill', 90_000, async () => ((await healthyTriple()) ? true : null));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 300_000);
});
