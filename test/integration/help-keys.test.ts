// `pgha-tui --help` through the real CLI: the console's keys are listed from the bindings, every
// one of them (p included, which the hand-written list had lost), after the commands.
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/lab.js';

describe('--help', () => {
  test('lists every console key with its overlay text, exit 0, nothing on stderr', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const from = lines.findIndex((l) => l.startsWith('Console keys'));
    expect(from).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Usage:')));
    const keys = lines.slice(from + 1).filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(keys).toEqual(['?/w', 'Tab/0…9', '⌫/Enter', 'f/F', 'k', 'r', 's', 'z', 'p', 'm', 'l', 't', 'P', 'e', '↑/↓', 'y/n/Esc', 'q/Ctrl+C']);
    expect(r.stdout).toContain('  p         Cut the selected node off the lab network (asks first), or reconnect it (compose only)');
  });
});
