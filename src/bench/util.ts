// Shared bits of the npm run bench:* scripts. Benches print JSON on stdout, progress on stderr.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeRange } from '../lib/ports.js';

export const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

export const log = (line: string) => process.stderr.write(`${line}\n`);

export const round = (x: number | null, digits = 2) => (x === null ? null : Number(x.toFixed(digits)));

export function benchLab(): { dir: string; flags: (port: number) => string[]; cleanup: () => void } {
  const parent = mkdtempSync(join(tmpdir(), 'pgha-bench-'));
  chmodSync(parent, 0o755); // as root the lab runs as postgres, which must enter it
  const dir = join(parent, 'lab');
  return {
    dir,
    flags: (port) => ['--backend', 'local', '--lab-dir', dir, '--base-port', String(port)],
    cleanup: () => rmSync(parent, { recursive: true, force: true }),
  };
}

export interface Run {
  code: number;
  stderr: string;
  seconds: number;
}

/** Run the CLI, timing it from spawn to exit. */
export function runCli(args: string[]): Promise<Run> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

/** A fresh local lab on free ports, up and ready; exits the bench with the reason if it is not. */
export async function upBenchLab(): Promise<{ lab: ReturnType<typeof benchLab>; port: number; flags: string[] }> {
  const lab = benchLab();
  const port = await freeRange();
  const flags = lab.flags(port);
  const up = await runCli(['up', ...flags]);
  if (up.code !== 0) {
    log(up.stderr);
    lab.cleanup();
    process.exit(1);
  }
  return { lab, port, flags };
}
