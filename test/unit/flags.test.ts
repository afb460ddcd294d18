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

describe('maintenance enable|disable <node>', () => {
  test('takes a direction and a node', () => {
    expect(parseFlags(['maintenance', 'enable', 'node2']).args).toEqual(['enable', 'node2']);
    expect(parseFlags(['maintenance', 'disable', 'node1']).args).toEqual(['disable', 'node1']);
  });
  test('anything else is exit 2 with one line', () => {
    for (const argv of [['maintenance'], ['maintenance', 'node2'], ['maintenance', 'on', 'node2'], ['maintenance', 'enable', 'node2', 'node3']]) {
      const e = fails(argv);
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe('maintenance takes two arguments: maintenance enable|disable <node>');
    }
  });
});

describe('learn [lesson]', () => {
  test('no lesson resumes; 1 to 9 picks one', () => {
    expect(parseFlags(['learn']).args).toEqual([]);
    expect(parseFlags(['learn', '9']).args).toEqual(['9']);
  });
  test('anything else is exit 2 with one line', () => {
    for (const argv of [['learn', '0'], ['learn', '10'], ['learn', 'three'], ['learn', '3', '4']]) {
      const e = fails(argv);
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe('learn takes at most one argument: learn [lesson], a lesson from 1 to 9');
    }
  });
});
