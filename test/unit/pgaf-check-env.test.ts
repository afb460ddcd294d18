// The containers' own check of the .env values (scripts/pgaf/lib.sh check_env), for Compose run
// directly without pgha-tui: a bad value is one FATAL line and a non-zero exit, before anything
// is written into pg_hba.conf or SQL. Runs the real script with bash.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const LIB = join(fileURLToPath(new URL('../..', import.meta.url)), 'scripts/pgaf/lib.sh');
const GOOD = { PGAF_ROLE: 'node', PG_HBA_CIDR: '172.28.0.0/24', LOG_LEVEL: 'ddl', PGHA_SCALE: '0.2', APP_USER: 'admin', APP_PASSWORD: 'x' };

function checkEnv(env: Record<string, string>): { code: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', `. ${JSON.stringify(LIB)}; check_env && echo ok`], { env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env }, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('check_env in the containers', () => {
  test('the test values pass', () => {
    expect(checkEnv(GOOD).code).toBe(0);
    expect(checkEnv({ ...GOOD, PG_HBA_CIDR: '0.0.0.0/0' }).code).toBe(0);
  });

  test.each([
    [{ PG_HBA_CIDR: '10.1.2.3/8' }, /PG_HBA_CIDR=10\.1\.2\.3\/8 is not an IPv4 network/],
    [{ PG_HBA_CIDR: '172.28.0.0/24 trust\nhost all all 0.0.0.0/0' }, /PG_HBA_CIDR=/],
    [{ PG_HBA_CIDR: '300.0.0.0/8' }, /PG_HBA_CIDR/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL=verbose/],
    [{ PGHA_SCALE: 'lots' }, /PGHA_SCALE=lots must be a number/],
    [{ PGHA_SCALE: '500' }, /PGHA_SCALE=500/],
    [{ APP_USER: 'pg_monitor' }, /APP_USER=pg_monitor is a reserved or system role/],
    [{ APP_USER: 'autoctl_node' }, /reserved/],
    [{ APP_USER: 'Admin' }, /lower-case SQL identifier/],
    [{ APP_PASSWORD: '' }, /APP_PASSWORD is empty/],
  ])('%j: one FATAL line, exit 1', (patch, msg) => {
    const r = checkEnv({ ...GOOD, ...patch });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/FATAL: /);
    expect(lines[0]).toMatch(msg);
  });

  test('the monitor checks only what it reads', () => {
    expect(checkEnv({ PGAF_ROLE: 'monitor', PG_HBA_CIDR: '172.28.0.0/24' }).code).toBe(0);
    expect(checkEnv({ PGAF_ROLE: 'monitor', PG_HBA_CIDR: '172.28.0.1/24' }).code).toBe(1);
  });
});
