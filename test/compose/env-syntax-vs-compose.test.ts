// Our .env parser against the Compose CLI on this machine, row by row: every value we accept must
// be the value Compose itself puts into the compose file; every form on which Compose v1 and v2
// disagree must be refused by us, with a hint, whatever this machine's Compose makes of it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findComposeCli } from '../../src/backends/compose/cli.js';
import { parseEnvText } from '../../src/backends/compose/env-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pgha-env-syntax-'));
const yml = join(dir, 'docker-compose.yml');
writeFileSync(yml, 'version: "3.8"\nservices:\n  s:\n    image: scratch\n    environment:\n      V: "${V}"\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Compose makes of V in this env file, read back from `config`. */
async function composeValue(envLine: string): Promise<string> {
  const cli = await findComposeCli();
  const file = join(dir, 'row.env');
  writeFileSync(file, `${envLine}\n`);
  const out = execFileSync(cli.command, [...cli.prefix, '--env-file', file, '-f', yml, 'config'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const raw = /^\s+V: ?(.*)$/m.exec(out)?.[1] ?? '';
  // YAML scalar as `config` prints it; a literal $ is printed as $$.
  const unquoted = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("''", "'") : raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return unquoted.replaceAll('$$', '$');
}

const ACCEPTED: Array<[string, string]> = [
  ['V=plain', 'plain'],
  ['V=12345', '12345'],
  ['V=secret # comment', 'secret'],
  ['V=secret   # two spaces', 'secret'],
  ['V=', ''],
  ["V='pa$word'", 'pa$word'],
  ["V='two words # not a comment'", 'two words # not a comment'],
  ['V="double quoted"', 'double quoted'],
  ['V=a=b:c/d@e', 'a=b:c/d@e'],
  ['V=Xk3.long_pw~9-z', 'Xk3.long_pw~9-z'],
];

const REFUSED: Array<[string, RegExp]> = [
  ['V=pa$word', /quote it with single quotes/],
  ['V=pa${HOME}word', /quote it with single quotes/],
  ['V=abc#def', /quote it with single quotes/],
  ['V=two words', /single quotes/],
  ['V="pa$word"', /single quotes/],
  ['V="a\\nb"', /double-quoted/],
  ["V='pa${HOME}'", /Compose v1 but not by v2/],
  ["V='x' # comment", /must end the line/],
  ['export V=1', /drop "export"/],
  ['V = 1', /no spaces/],
  ['V= # only a comment', /no spaces after "="/],
];

describe('.env values: our parser and the Compose CLI agree', () => {
  test.each(ACCEPTED)('%s -> %j, as Compose reads it', async (line, want) => {
    expect(parseEnvText(`${line}\n`).V).toBe(want);
    expect(await composeValue(line)).toBe(want);
  });

  test.each(REFUSED)('%s is refused (Compose versions differ on it)', async (line, hint) => {
    expect(() => parseEnvText(`${line}\n`)).toThrow(hint);
    // Whatever this Compose makes of it, the file must not silently pass through us.
    await composeValue(line).catch(() => undefined);
  });
});
