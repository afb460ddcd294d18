// Helpers for tests that run the real CLI against a real cluster. Every test lab gets its own
// directory and a port range nobody else uses, and is torn down by the test that made it.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { freeRange } from '../../src/lib/ports.js';
import { readStat } from '../../src/lib/proc-stat.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], timeoutMs = 240_000, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs, env: { ...process.env, FORCE_COLOR: '0', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}


/** Remove the temporary parent a test lab was created in (the lab itself goes with down --volumes). */
export function removeLabParent(lab: TestLab): void {
  rmSync(join(lab.dir, '..'), { recursive: true, force: true });
}

export function tmpLab(): string {
  // Under /tmp: as root the lab runs as `postgres`, which must be able to enter every parent.
  const parent = mkdtempSync(join(tmpdir(), 'pgha-lab-'));
  chmodSync(parent, 0o755); // mkdtemp makes it 0700
  return join(parent, 'lab');
}

export interface TestLab {
  dir: string;
  port: number;
  flags: string[];
}

export async function newLab(): Promise<TestLab> {
  const dir = tmpLab();
  const port = await freeRange(4, 20000);
  return { dir, port, flags: ['--backend', 'local', '--lab-dir', dir, '--base-port', String(port)] };
}

/**
 * One real cluster for a test file: beforeAll makes a fresh lab and runs `up` (with upFlags),
 * afterAll runs `down --volumes` and removes its directory, whatever the tests did. The returned
 * object is filled in by beforeAll. Register other afterAll hooks after this call: they run first.
 */
export function useLab(upFlags: string[] = []): TestLab {
  const lab: TestLab = { dir: '', port: 0, flags: [] };
  beforeAll(async () => {
    Object.assign(lab, await newLab());
    const r = await runCli(['up', ...upFlags, ...lab.flags]);
    if (r.code !== 0) throw new Error(`up failed (${r.code}): ${r.stderr}`);
  });
  afterAll(async () => {
    if (!lab.dir) return;
    await runCli(['down', '--volumes', ...lab.flags]);
    removeLabParent(lab);
  });
  return lab;
}

/** The lab's generated passwords (root reads the 0600 file the CLI wrote as root). */
export function labPasswords(dir: string): { superuser: string; autoctlNode: string; replicator: string } {
  return JSON.parse(readFileSync(join(dir, 'secrets', 'passwords.json'), 'utf8'));
}

/** Pids of live processes whose command line or working directory mentions the lab dir. */
export function processesOf(labDir: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = readStat(Number(e))?.state;
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${e}/cwd`);
      } catch {
        /* not ours to read */
      }
      // Postgres renames its children but every one of them runs with PGDATA as its cwd.
      if (state !== 'Z' && (cmd.includes(labDir) || cwd.startsWith(labDir))) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

export { sleep } from '../../src/lib/time.js';
