// Bad input through the real CLI: one line, exit 2, nothing created — with or without a lab.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/lab.js';

const parent = mkdtempSync(join(tmpdir(), 'pgha-input-'));
const noLab = join(parent, 'lab');
const sel = ['--backend', 'local', '--lab-dir', noLab];
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function oneLine(r: { stderr: string }) {
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('bad input exits 2 with one line', () => {
  test.each(['kill', 'stop', 'freeze', 'thaw', 'restart'])('%s with a bad node name and no lab', async (cmd) => {
    const r = await runCli([cmd, 'node9', ...sel]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no node named "node9"');
    oneLine(r);
  });

  test('a good node name with no lab is a failed check (exit 1), not bad input', async () => {
    const r = await runCli(['stop', 'node1', ...sel]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no lab in ${noLab}`);
  });

  test.each([['drill', '--runs='], ['up', '--scale='], ['status', '--base-port='], ['drill', '--clients='], ['drill', '--max-rto='], ['status', '--lab-dir=']])('%s %s', async (cmd, flag) => {
    const r = await runCli(cmd === 'status' && flag === '--lab-dir=' ? [cmd, '--backend', 'local', flag] : [cmd, flag, ...sel]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag.slice(0, -1));
    oneLine(r);
    expect(existsSync(noLab)).toBe(false);
  });
});
