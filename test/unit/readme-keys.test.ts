// The README's key table must say what the bindings do: same keys, same order, same text.
// Normalization: a key cell is read as its backticked keys (`q`, `Ctrl+C` is q and Ctrl+C); the
// text cell must equal the binding's `doc` exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../src/ui/bindings.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the first table under `## Keys`, as [keys, text]. */
function readmeKeyRows(markdown: string): [string[], string][] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Keys\n'));
  if (!section) throw new Error('README.md has no "## Keys" section');
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| key |'));
  if (start < 0) throw new Error('the Keys section has no "| key |" table');
  const rows: [string[], string][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Only the first " | " separates the cells: the text may hold anything but a newline.
    const m = /^\| (.*?) \| (.*) \|$/.exec(line);
    if (!m) throw new Error(`not a table row: ${line}`);
    rows.push([[...m[1]!.matchAll(/`([^`]+)`/g)].map((k) => k[1]!), m[2]!]);
  }
  return rows;
}

const row = (keys: readonly string[], text: string) => `| ${keys.map((k) => `\`${k}\``).join(', ')} | ${text} |`;

describe("README's key table", () => {
  it('lists every binding with its doc, in the bindings order', () => {
    const expected = KEYMAP.map((b): [string[], string] => [[...b.keys], b.doc]);
    const actual = readmeKeyRows(README);
    // On drift, the message is the table to paste.
    expect(actual.map(([k, t]) => row(k, t)).join('\n'), `README.md ## Keys should read:\n${expected.map(([k, t]) => row(k, t)).join('\n')}`).toBe(
      expected.map(([k, t]) => row(k, t)).join('\n'),
    );
  });

  it('the reader finds a drift: a missing row, a changed text, a swapped key', () => {
    const table = readmeKeyRows(README);
    expect(table.length).toBe(KEYMAP.length);
    const missing = README.replace(/^\| `z` \|.*\n/m, '');
    expect(readmeKeyRows(missing).map(([k]) => k.join())).not.toContain('z');
    const changed = README.replace('restart the selected node — asks first', 'restart the selected node');
    expect(readmeKeyRows(changed).find(([k]) => k[0] === 'r')?.[1]).toBe('restart the selected node');
    expect(readmeKeyRows('## Keys\n\n| key | what it does |\n| --- | --- |\n| `q`, `Ctrl+C` | quit |\n\nmore')).toEqual([[['q', 'Ctrl+C'], 'quit']]);
  });
});
