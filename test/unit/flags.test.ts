import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/lib/errors.js';
import { parseFlags } from '../../src/config/flags.js';

function fails(argv: string[]): UserError {
  try {
    parseFlags(argv);
  } catch (err) {
    return err as UserError;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

describe('flags', () => {
  test('defaults: console on base port 5431', () => {
    const c = parseFlags([]);
    expect(c).toMatchObject({ command: 'console', basePort: 5431, basePortExplicit: false, json: false });
  });

  test('selection flags on every command', () => {
    const c = parseFlags(['status', '--json', '--backend', 'local', '--lab-dir', '/tmp/x', '--base-port', '25431']);
    expect(c).toMatchObject({ command: 'status', json: true, backend: 'local', labDir: '/tmp/x', basePort: 25431, basePortExplicit: true });
    expect(parseFlags(['down', '--volumes']).volumes).toBe(true);
  });

  test.each([
    [['--base-port', 'abc'], /--base-port "abc"/],
    [['--base-port', '80'], /1024 to 65532/],
    [['--base-port', '70000'], /1024 to 65532/],
    [['--scale', '0'], /--scale/],
    [['--nope'], /Unknown option/],
    [['fly'], /unknown command "fly"/],
    [['up', 'extra'], /unexpected argument/],
    [['up', '--volumes'], /--volumes goes with down/],
    [['--backend', 'k8s'], /--backend "k8s"/],
    [['down', '--monitoring'], /--monitoring and --alert-webhook go with up or the console/],
    [['up', '--monitoring', '--backend', 'compose'], /--monitoring is for the local backend/],
    [['up', '--alert-webhook', 'http://127.0.0.1:1/x'], /--alert-webhook goes with --monitoring/],
    [['up', '--monitoring', '--alert-webhook', 'ftp://x'], /expected an http/],
    [['up', '--monitoring', '--base-port', '65530'], /--monitoring needs ports up to --base-port \+ 13/],
    [['--metrics-port', 'x'], /--metrics-port "x"/],
    [['status', '--metrics-port', '9464'], /--metrics-port goes with the console/],
  ])('bad input %j exits 2 with one line', (argv, msg) => {
    const err = fails(argv as string[]);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(msg);
    expect(err.message).not.toContain('\n');
  });
});
