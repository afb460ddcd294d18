// Which backend the compose-only flags choose, and the flag Node would read itself.
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/lib/errors.js';
import { parseFlags } from '../../src/config/flags.js';

function refused(argv: string[]): UserError {
  try {
    parseFlags(argv);
  } catch (e) {
    return e as UserError;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('compose-only flags', () => {
  test('--compose-env and --offline choose compose when no backend is given', () => {
    expect(parseFlags(['up', '--compose-env', '.env.prod']).backend).toBe('compose');
    expect(parseFlags(['up', '--offline']).backend).toBe('compose');
    expect(parseFlags(['up']).backend).toBe('auto');
    expect(parseFlags(['up', '--compose-env', 'x.env']).envFile).toMatch(/\/x\.env$/);
  });

  test.each([
    [['up', '--backend', 'local', '--compose-env', '.env.prod'], /--compose-env goes with the compose backend, --backend local/],
    [['up', '--backend', 'local', '--offline'], /--offline goes with the compose backend/],
    [['up', '--compose-env', '.env.prod', '--base-port', '6000'], /--base-port with the local one/],
    [['up', '--offline', '--lab-dir', '/tmp/x'], /--lab-dir with the local one/],
    [['up', '--env-file', 'missing'], /--env-file is read by Node itself.*--compose-env/],
    [['up', '--env-file=.env.test'], /--compose-env/],
  ])('%j: exit 2, one line', (argv, msg) => {
    const e = refused(argv);
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(msg);
    expect(e.message).not.toContain('\n');
  });
});
