// An empty flag value is bad input (exit 2), not "the default"; a relative --lab-dir is made
// absolute once, up front.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/lib/errors.js';
import { parseFlags } from '../../src/config/flags.js';

function failure(argv: string[]): UserError {
  try {
    parseFlags(argv);
  } catch (err) {
    return err as UserError;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

describe('empty flag values', () => {
  test.each(['--runs=', '--scale=', '--base-port=', '--clients=', '--max-rto=', '--lab-dir=', '--lab-dir= '])('%s exits 2 with one line naming the flag', (flag) => {
    const err = failure(['drill', flag]);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(flag.replace(/=.*$/, ''));
    expect(err.message).not.toContain('\n');
  });

  test('the same flags with values still parse', () => {
    const c = parseFlags(['drill', '--runs=3', '--scale=1', '--base-port=25431', '--clients=2', '--max-rto=8']);
    expect(c).toMatchObject({ runs: 3, scale: 1, basePort: 25431, clients: 2, maxRtoS: 8 });
    expect(parseFlags(['drill']).maxRtoS).toBeNull();
  });
});

describe('--lab-dir', () => {
  test('a relative dir is resolved against the working directory', () => {
    expect(parseFlags(['status', '--lab-dir', 'labs/one']).labDir).toBe(join(process.cwd(), 'labs/one'));
    expect(parseFlags(['status', '--lab-dir', '/tmp/a/../b']).labDir).toBe('/tmp/b');
  });
});
