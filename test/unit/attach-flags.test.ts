import { describe, expect, test } from 'vitest';
import { backendSelection } from '../../src/backend-selection.js';
import { parseFlags } from '../../src/config/flags.js';
import { UserError } from '../../src/lib/errors.js';

function fails(argv: string[]): UserError {
  try {
    backendSelection(parseFlags(argv));
  } catch (err) {
    return err as UserError;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

const M = 'postgres://watch@mon:6000/pg_auto_failover';

describe('attach flags', () => {
  test('--monitor means the attach backend, read-only, formation default', () => {
    const c = parseFlags(['status', '--json', '--monitor', M]);
    expect(c).toMatchObject({ backend: 'attach', monitorUri: M, formation: 'default', allowActions: false, allowProfile: false, db: null });
    const sel = backendSelection(c);
    expect(sel.attach).toMatchObject({ formation: 'default', allowActions: false, monitor: { host: 'mon', port: 6000, user: 'watch' } });
    expect(backendSelection(parseFlags(['status'])).attach).toBeNull();
  });

  test('every attach option is taken on every command', () => {
    const c = parseFlags(['drill', '--fault', 'failover', '--monitor', M, '--formation', 'app', '--node-user', 'n', '--node-dbname', 'appdb', '--db', 'scratch', '--allow-actions', '--allow-profile']);
    expect(c).toMatchObject({ formation: 'app', nodeUser: 'n', nodeDbname: 'appdb', db: 'scratch', allowActions: true, allowProfile: true });
    expect(parseFlags(['uri', '--monitor', M]).command).toBe('uri');
  });

  test('--route picks how load clients connect, on the console and drill only', () => {
    expect(parseFlags(['drill', '--route', 'multi-host']).route).toBe('multi-host');
    expect(parseFlags([]).route).toBeNull();
    expect(fails(['drill', '--route', 'dns']).message).toMatch(/expected monitor or multi-host/);
    expect(fails(['status', '--route', 'monitor']).message).toMatch(/goes with the console or drill/);
  });

  test.each([
    [['--monitor', M, '--lab-dir', '/tmp/x'], /does not go with --lab-dir/],
    [['--monitor', M, '--backend', 'local'], /does not go with --backend/],
    [['--monitor', M, '--compose-env', 'x'], /does not go with --compose-env/],
    [['up', '--monitor', M], /up is for the labs/],
    [['down', '--monitor', M], /down is for the labs/],
    [['--monitor', ''], /expected a postgres:\/\/ URI/],
    [['--formation', 'x'], /--formation goes with --monitor/],
    [['--allow-actions'], /--allow-actions goes with --monitor/],
    [['--monitor', M, '--formation', ''], /--formation "": expected a name/],
    [['--monitor', 'http://u:pw@h/x'], /expected a postgres:\/\/user@host:port\/dbname URI/],
  ])('%j is refused with exit 2', (argv, message) => {
    const err = fails(argv);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(':pw@');
  });
});
