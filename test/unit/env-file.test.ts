import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/backends/backend.js';
import { parseEnvText, validateEnv, validCidr } from '../../src/config/env-file.js';

const TEST_ENV = {
  LOAD_SCHEMA: 'true', LOAD_TEST_DATA: 'true', APP_USER: 'admin', APP_PASSWORD: 'admin',
  POSTGRES_PASSWORD: 'postgres_password', PG_HBA_CIDR: '0.0.0.0/0', LOG_LEVEL: 'all',
};

function err(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    return e as UserError;
  }
  throw new Error('expected a failure');
}

describe('.env files', () => {
  test('parse: comments, quotes, export', () => {
    expect(parseEnvText('# c\nA=1\nexport B="two words"\n\nC=\'x\'\n')).toEqual({ A: '1', B: 'two words', C: 'x' });
    expect(() => parseEnvText('nonsense')).toThrow(/line 1/);
  });

  test('the seed’s test values pass', () => {
    const env = validateEnv('.env.test', TEST_ENV);
    expect(env).toMatchObject({ prod: false, postgresPassword: 'postgres_password', hbaCidr: '0.0.0.0/0' });
  });

  test.each([
    [{ PG_HBA_CIDR: '172.28.0.0/33' }, /PG_HBA_CIDR/],
    [{ PG_HBA_CIDR: '300.1.1.1/8' }, /PG_HBA_CIDR/],
    [{ PG_HBA_CIDR: 'everywhere' }, /PG_HBA_CIDR/],
    [{ POSTGRES_PASSWORD: '' }, /POSTGRES_PASSWORD is empty/],
    [{ APP_PASSWORD: '' }, /APP_PASSWORD is empty/],
    [{ LOAD_SCHEMA: 'yes' }, /LOAD_SCHEMA/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
    [{ APP_USER: 'Robert"); DROP' }, /APP_USER/],
    [{ GRAFANA_PORT: '70000' }, /GRAFANA_PORT=70000 is not a port/],
  ])('bad value %j: exit 2, one line', (patch, msg) => {
    const e = err(() => validateEnv('.env.test', { ...TEST_ENV, ...patch }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(msg);
    expect(e.message).not.toContain('\n');
  });

  test('a missing variable is named', () => {
    const { LOG_LEVEL: _, ...rest } = TEST_ENV;
    expect(err(() => validateEnv('.env.test', rest)).message).toContain('LOG_LEVEL is missing');
  });

  test('prod refuses default passwords, and accepts real ones', () => {
    const prod = { ...TEST_ENV, APP_USER: 'root', APP_PASSWORD: 'root', POSTGRES_PASSWORD: 'change_me_prod', PG_HBA_CIDR: '172.28.0.0/24', LOG_LEVEL: 'ddl' };
    expect(err(() => validateEnv('.env.prod', prod)).message).toMatch(/default password/);
    expect(validateEnv('.env.prod', { ...prod, APP_PASSWORD: 'Xk3!long-app', POSTGRES_PASSWORD: 'Yz9!long-pg' }).prod).toBe(true);
  });

  test('CIDR check', () => {
    expect(validCidr('172.28.0.0/24')).toBe(true);
    expect(validCidr('0.0.0.0/0')).toBe(true);
    expect(validCidr('172.28.0.0')).toBe(false);
  });
});
