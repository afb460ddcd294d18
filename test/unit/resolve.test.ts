import { describe, expect, test } from 'vitest';
import { backendSelection } from '../../src/backend-selection.js';
import { sslOption } from '../../src/cluster/conn-uri.js';
import { parseResolve, resolveAddress } from '../../src/cluster/resolve.js';
import { parseFlags } from '../../src/config/flags.js';
import { UserError } from '../../src/lib/errors.js';

const M = 'postgres://watch@mon:6000/pg_auto_failover';

describe('--resolve', () => {
  test('parses REGISTERED[:PORT]=ADDRESS[:PORT], IPv6 in brackets', () => {
    expect(parseResolve('postgres-primary=127.0.0.1:5432')).toEqual({ from: { host: 'postgres-primary', port: null }, to: { host: '127.0.0.1', port: 5432 } });
    expect(parseResolve('10.0.0.5:5433=tunnel')).toEqual({ from: { host: '10.0.0.5', port: 5433 }, to: { host: 'tunnel', port: null } });
    expect(parseResolve('[fd00::1]:5432=[::1]:6432')).toEqual({ from: { host: 'fd00::1', port: 5432 }, to: { host: '::1', port: 6432 } });
  });

  test.each(['node1', 'node1=', '=127.0.0.1', 'a=b:0', 'a=b:70000', 'a=b:x', 'a:b:c=d', 'a=b=c', 'user@a=b'])('%s is bad input (exit 2, one line)', (spec) => {
    let err: unknown;
    try {
      parseResolve(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toMatch(/^--resolve .*expected REGISTERED\[:PORT\]=ADDRESS\[:PORT\]/);
    expect((err as UserError).message).not.toContain('\n');
  });

  test('host and port beat host alone; the registered port stays when the address names none; no rule, no change', () => {
    const rules = ['n=10.0.0.9', 'n:5433=127.0.0.1:6433', 'm=127.0.0.1:7000'].map(parseResolve);
    expect(resolveAddress(rules, 'n', 5433)).toEqual({ host: '127.0.0.1', port: 6433 });
    expect(resolveAddress(rules, 'n', 5432)).toEqual({ host: '10.0.0.9', port: 5432 });
    expect(resolveAddress(rules, 'm', 5432)).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(resolveAddress(rules, 'other', 5432)).toBeNull();
    expect(resolveAddress([], 'n', 5432)).toBeNull();
  });

  test('repeatable, with --monitor only, carried to the attach backend in order', () => {
    const c = parseFlags(['status', '--monitor', M, '--resolve', 'a=127.0.0.1:1', '--resolve', 'b=127.0.0.1:2']);
    expect(backendSelection(c).attach!.resolve.map((r) => r.from.host)).toEqual(['a', 'b']);
    expect(() => parseFlags(['status', '--resolve', 'a=b'])).toThrow(/--resolve goes with --monitor/);
    expect(() => parseFlags(['status', '--monitor', M, '--resolve', 'nonsense'])).toThrow(UserError);
  });

  test('verify-full still checks the registered name when the node is reached at another address', () => {
    const ci = { host: '127.0.0.1', port: 5432, user: 'u', database: 'd', sslmode: 'verify-full' as const, registeredHost: 'db1.example' };
    const opts = sslOption(ci);
    expect(opts && opts.servername).toBe('db1.example');
    const cert = { subject: { CN: 'db1.example' }, subjectaltname: 'DNS:db1.example' } as never;
    expect(opts && opts.checkServerIdentity!('127.0.0.1', cert)).toBeUndefined();
    const other = { subject: { CN: '127.0.0.1' }, subjectaltname: 'IP Address:127.0.0.1' } as never;
    expect(opts && opts.checkServerIdentity!('127.0.0.1', other)).toBeInstanceOf(Error);
  });
});
