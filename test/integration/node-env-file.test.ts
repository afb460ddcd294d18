// Node 20 reads --env-file from anywhere in its argv and applies the file, NODE_OPTIONS included,
// before any of our code runs. The real CLI, started as a user starts it (the bin, through its
// shebang, and `node dist/cli.js`), must never let that happen, and must say so in one line.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { CLI } from '../helpers/lab.js';

const dir = mkdtempSync(join(tmpdir(), 'pgha-node-env-'));
const marker = join(dir, 'MARKER');
const payload = join(dir, 'payload.cjs');
const evil = join(dir, 'evil.env');
writeFileSync(payload, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
writeFileSync(evil, `NODE_OPTIONS=--require ${payload}\n`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => rmSync(marker, { force: true }));

interface Run {
  code: number;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd: dir, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
}

function oneLine(r: Run): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe('an env file never reaches Node', () => {
  test('the payload is live: plain Node with --env-file runs it', async () => {
    const r = await run(process.execPath, [`--env-file=${evil}`, '-e', '0']);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  test('the bin: --env-file is ours to refuse (exit 2, one line), and nothing ran', async () => {
    const r = await run(CLI, ['up', '--env-file', evil]);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/--env-file is read by Node itself.*--compose-env/);
    expect(existsSync(marker)).toBe(false);
  });

  test('the bin: up --env-file missing is our line and exit 2, not Node\'s exit 9', async () => {
    const r = await run(CLI, ['up', '--env-file', 'missing']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/^pgha-tui: --env-file/);
  });

  test.each([
    ['the bin', CLI, [] as string[]],
    ['node dist/cli.js', process.execPath, [CLI]],
  ])('%s with --compose-env: the file is validated, NODE_OPTIONS refused, nothing ran', async (_name, file, pre) => {
    const r = await run(file, [...pre, 'up', '--compose-env', evil]);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/evil\.env: line 1: unknown key NODE_OPTIONS/);
    expect(existsSync(marker)).toBe(false);
  });

  test('node dist/cli.js up --compose-env missing: one line, exit 2', async () => {
    const r = await run(process.execPath, [CLI, 'up', '--compose-env', join(dir, 'missing')]);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/env file .*missing not found/);
  });
});
