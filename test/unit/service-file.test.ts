import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseMonitorUri } from '../../src/cluster/conn-uri.js';
import { lookupService, parseServiceText, serviceFiles } from '../../src/cluster/service-file.js';
import { UserError } from '../../src/lib/errors.js';

let dir = '';
let home = '';
let sys = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgha-svc-'));
  home = join(dir, 'home');
  sys = join(dir, 'etc');
  mkdirSync(home);
  mkdirSync(sys);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string, mode = 0o600) => {
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
};
const userError = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).not.toContain('\n');
    return err as UserError;
  }
  throw new Error('expected a UserError');
};

describe('pg_service.conf', () => {
  test('sections, keywords, comments and blank lines; the first section of a name wins', () => {
    const m = parseServiceText('# mine\n\n[mon]\nhost=db1\n port = 6000 \n[mon]\nhost=ignored\n[other]\nuser=x\r\n', 'f');
    expect(m.get('mon')).toEqual({ host: 'db1', port: '6000' });
    expect(m.get('other')).toEqual({ user: 'x' });
    expect(userError(() => parseServiceText('host=x\n', 'f')).message).toMatch(/line 1: keyword=value before any \[service\]/);
    expect(userError(() => parseServiceText('[a]\nnonsense\n', 'f')).message).toMatch(/line 2: expected/);
  });

  test('PGSERVICEFILE, else ~/.pg_service.conf; then PGSYSCONFDIR/pg_service.conf (Debian: /etc/postgresql-common)', () => {
    expect(serviceFiles({ HOME: home, PGSYSCONFDIR: sys })).toEqual([join(home, '.pg_service.conf'), join(sys, 'pg_service.conf')]);
    expect(serviceFiles({ HOME: home, PGSERVICEFILE: '/x/svc' })).toEqual(['/x/svc', '/etc/postgresql-common/pg_service.conf']);
  });

  test('the user file first; the system file only for a service the user file does not define', () => {
    write(join(home, '.pg_service.conf'), '[mon]\nhost=from-user\n');
    write(join(sys, 'pg_service.conf'), '[mon]\nhost=from-system\n[sysonly]\nhost=sys\nport=7000\n', 0o644);
    const env = { HOME: home, PGSYSCONFDIR: sys };
    expect(lookupService('mon', env)).toEqual({ host: 'from-user' });
    expect(lookupService('sysonly', env)).toEqual({ host: 'sys', port: '7000' });
    const named = write(join(dir, 'named.conf'), '[mon]\nhost=from-named\n');
    expect(lookupService('mon', { ...env, PGSERVICEFILE: named })).toEqual({ host: 'from-named' });
    expect(userError(() => lookupService('nope', env)).message).toMatch(/^definition of service "nope" not found \(looked in .*\.pg_service\.conf, .*pg_service\.conf\)$/);
  });

  test('a file others may write, or another user owns, is refused, not read', () => {
    const f = write(join(dir, 'svc.conf'), '[mon]\nhost=db1\n', 0o666);
    chmodSync(f, 0o666);
    expect(userError(() => lookupService('mon', { PGSERVICEFILE: f, PGSYSCONFDIR: sys })).message).toMatch(/writable by others \(mode 666\): not read/);
    chmodSync(f, 0o644);
    if (process.getuid?.() === 0) {
      chownSync(f, 4242, 4242);
      expect(userError(() => lookupService('mon', { PGSERVICEFILE: f, PGSYSCONFDIR: sys })).message).toMatch(/belongs to another user \(uid 4242\): not read/);
    }
  });

  test('a keyword pgha-tui does not use is named, not ignored', () => {
    const f = write(join(dir, 'svc.conf'), '[mon]\nhost=db1\noptions=-c x=1\n');
    expect(userError(() => lookupService('mon', { PGSERVICEFILE: f, PGSYSCONFDIR: sys })).message).toMatch(/keyword "options" is not supported/);
  });

  test('--monitor with a service: the URI first, then the service, then PGUSER/PGSSLMODE, then the defaults', () => {
    const f = write(join(dir, 'svc.conf'), '[mon]\nhost=db1.example\nport=6000\nuser=watch\ndbname=pg_auto_failover\nsslmode=verify-full\nsslrootcert=/ca.pem\npassword=s3cret\n[bare]\nhost=db2\n');
    const env = { PGSERVICEFILE: f, PGSYSCONFDIR: sys, PGUSER: 'envuser', PGSSLMODE: 'require' };
    expect(parseMonitorUri('postgres://?service=mon', env)).toMatchObject({ host: 'db1.example', port: 6000, user: 'watch', database: 'pg_auto_failover', sslmode: 'verify-full', password: 's3cret', tls: { rootcert: '/ca.pem' } });
    expect(parseMonitorUri('postgres://other@db9:7000/x?sslmode=disable', { ...env, PGSERVICE: 'mon' })).toMatchObject({ host: 'db9', port: 7000, user: 'other', database: 'x', sslmode: 'disable', password: 's3cret' });
    expect(parseMonitorUri('postgres://?service=bare', env)).toMatchObject({ host: 'db2', port: 5432, user: 'envuser', sslmode: 'require', database: 'pg_auto_failover', password: undefined });
    expect(userError(() => parseMonitorUri('postgres://?service=none', env)).message).toMatch(/definition of service "none" not found/);
    expect(userError(() => parseMonitorUri('postgres://', env)).message).toMatch(/names no host/);
  });
});
