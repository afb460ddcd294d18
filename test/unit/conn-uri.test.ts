import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formationUri, parseMonitorUri, redactUri, sslOption, uriOf } from '../../src/cluster/conn-uri.js';
import { passwordFromPassfile, passwordFromText } from '../../src/cluster/passfile.js';
import { UserError } from '../../src/lib/errors.js';

const bad = (uri: string) => {
  try {
    parseMonitorUri(uri);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error(`accepted ${uri}`);
};

describe('monitor URI', () => {
  test('user, password, host, port, database and sslmode come from the URI', () => {
    const ci = parseMonitorUri('postgresql://watch:p%40ss@mon.example:6000/pg_auto_failover?sslmode=require');
    expect(ci).toMatchObject({ host: 'mon.example', port: 6000, user: 'watch', password: 'p@ss', database: 'pg_auto_failover', sslmode: 'require', passwordFromEnv: true });
  });

  test('defaults: port 5432, database pg_auto_failover, no password (PGPASSWORD or the passfile then)', () => {
    const ci = parseMonitorUri('postgres://watch@mon');
    expect(ci).toMatchObject({ port: 5432, database: 'pg_auto_failover', password: undefined });
  });

  test('bad input is exit 2 and never echoes the password', () => {
    expect(bad('mysql://u:secret@h/db')).not.toContain('secret');
    expect(bad('postgres://u:secret@h/db?sslmode=maybe')).toContain('sslmode "maybe"');
    expect(bad('postgres://u@h/db?options=-c%20x')).toContain('"options"');
    expect(bad('postgres:///db')).toContain('no host');
  });

  test('redactUri hides the password of every URI and keyword in a line', () => {
    expect(redactUri('a postgres://u:s3cret@h:1/d and postgresql://v:x@y/z')).toBe('a postgres://u:****@h:1/d and postgresql://v:****@y/z');
    expect(redactUri("host=h password='a b' user=u")).toBe('host=h password=**** user=u');
    expect(redactUri('postgres://u@h/d')).toBe('postgres://u@h/d');
  });

  test('uriOf and formationUri carry no password; the formation URI asks for read-write', () => {
    const ci = parseMonitorUri('postgres://watch:secret@mon:6000/pg_auto_failover?sslmode=verify-full');
    expect(uriOf(ci)).toBe('postgres://watch@mon:6000/pg_auto_failover?sslmode=verify-full');
    expect(formationUri([{ host: 'a', port: 1 }, { host: 'b', port: 2 }], 'watch', 'app', 'require')).toBe(
      'postgres://watch@a:1,b:2/app?target_session_attrs=read-write&sslmode=require',
    );
  });

  test('sslmode maps onto node-postgres: prefer plain, require unchecked, verify-* checked', () => {
    expect(sslOption({ ...parseMonitorUri('postgres://u@h/d?sslmode=prefer') })).toBe(false);
    expect(sslOption(parseMonitorUri('postgres://u@h/d?sslmode=require'))).toMatchObject({ rejectUnauthorized: false });
    const full = sslOption(parseMonitorUri('postgres://u@h/d?sslmode=verify-full'));
    expect(full).toMatchObject({ rejectUnauthorized: true });
    expect((full as { checkServerIdentity?: unknown }).checkServerIdentity).toBeUndefined();
    const ca = sslOption(parseMonitorUri('postgres://u@h/d?sslmode=verify-ca')) as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
    expect(ca.rejectUnauthorized).toBe(true);
    expect(ca.checkServerIdentity()).toBeUndefined();
  });
});

describe('password file', () => {
  const key = { host: 'mon', port: 6000, database: 'pg_auto_failover', user: 'watch' };

  test('first matching line wins; * matches anything; \\: escapes a colon', () => {
    const text = '# comment\nother:6000:*:watch:no\nmon:*:*:watch:pa\\:ss\n*:*:*:*:fallback\n';
    expect(passwordFromText(text, key)).toBe('pa:ss');
    expect(passwordFromText(text, { ...key, user: 'x' })).toBe('fallback');
    expect(passwordFromText('mon:6000:other:watch:x\n', key)).toBeUndefined();
  });

  test('a file others can read is ignored, as libpq does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgpass-'));
    try {
      const f = join(dir, 'pgpass');
      writeFileSync(f, 'mon:6000:*:watch:secret\n', { mode: 0o600 });
      expect(passwordFromPassfile(key, { PGPASSFILE: f })).toBe('secret');
      writeFileSync(join(dir, 'open'), 'mon:6000:*:watch:secret\n', { mode: 0o644 });
      expect(passwordFromPassfile(key, { PGPASSFILE: join(dir, 'open') })).toBeUndefined();
      expect(passwordFromPassfile(key, { PGPASSFILE: join(dir, 'missing') })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('password file ownership', () => {
  test('a 0600 file owned by another user is ignored', () => {
    if (process.getuid?.() !== 0) return; // only root can give a file away
    const dir = mkdtempSync(join(tmpdir(), 'pgpass-'));
    try {
      const f = join(dir, 'pgpass');
      writeFileSync(f, 'mon:6000:*:watch:secret\n', { mode: 0o600 });
      chownSync(f, 65534, 65534);
      expect(passwordFromPassfile({ host: 'mon', port: 6000, database: 'd', user: 'watch' }, { PGPASSFILE: f })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
