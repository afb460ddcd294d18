import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/lib/errors.js';
import { KNOWN_KEYS, networkOf, parseEnvText, reservedRole, validateEnv, validCidr } from '../../src/backends/compose/env-file.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const TEST_ENV = {
  LAB_ENV: 'test', LOAD_SCHEMA: 'true', LOAD_TEST_DATA: 'true', APP_USER: 'admin', APP_PASSWORD: 'admin',
  POSTGRES_PASSWORD: 'postgres_password', PG_HBA_CIDR: '0.0.0.0/0', LOG_LEVEL: 'all', GRAFANA_ADMIN_PASSWORD: 'admin',
};
const PROD_ENV = {
  ...TEST_ENV, LAB_ENV: 'prod', APP_USER: 'clinic_app', APP_PASSWORD: 'Xk3-long-app-pw', POSTGRES_PASSWORD: 'Yz9-long-pg-pw',
  GRAFANA_ADMIN_PASSWORD: 'Gr4-long-grafana', PG_HBA_CIDR: '172.28.0.0/24', LOG_LEVEL: 'ddl',
};

function err(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    return e as UserError;
  }
  throw new Error('expected a failure');
}

function oneLineExit2(fn: () => unknown, msg: RegExp): void {
  const e = err(fn);
  expect(e).toBeInstanceOf(UserError);
  expect(e.exitCode).toBe(2);
  expect(e.message).toMatch(msg);
  expect(e.message).not.toContain('\n');
}

describe('.env syntax: only what Compose v1 and v2 read the same way', () => {
  test('accepted forms', () => {
    expect(parseEnvText("# c\n\nA=1\nB='two words'\nC=\"x y\"\nD=secret # comment\nE='pa$word'\nF=\nG=a=b\n")).toEqual({
      A: '1', B: 'two words', C: 'x y', D: 'secret', E: 'pa$word', F: '', G: 'a=b',
    });
  });

  test.each([
    ['P=pa$word', /quote it with single quotes: P='...'/],
    ['P=abc#def', /quote it with single quotes/],
    ['P=two words', /space or tab.*single quotes/],
    ['P=x\t# tab comment', /space or tab/],
    ['P="pa$word"', /double-quoted.*single quotes/],
    ['P="a\\nb"', /double-quoted/],
    ["P='it''s'", /single-quoted value must end the line/],
    ["P='x' # comment", /single-quoted value must end the line/],
    ["P='pa${X}word'", /expanded by Compose v1 but not by v2/],
    ['P=a\\b', /quote it/],
    ['export P=1', /drop "export"/],
    ['P = 1', /no spaces/],
    ['P= # comment', /no spaces after "="/],
    ['P= x', /no spaces after/],
    ['  P=1', /no spaces before the name/],
    ['nonsense', /expected NAME=value/],
    ['P=1\r', /LF line endings/],
    ['\uFEFFP=1', /byte-order mark/],
  ])('%j is refused with a hint', (line, msg) => {
    expect(() => parseEnvText(`${line}\n`)).toThrow(msg);
  });

  test('a duplicate key is an error naming both lines', () => {
    expect(() => parseEnvText('A=1\nB=2\nA=3\n')).toThrow(/line 3: A is set again \(first on line 1\)/);
  });

  test('an unknown key is an error before its value is looked at', () => {
    expect(() => parseEnvText('NODE_OPTIONS=--require ./evil.cjs\n', KNOWN_KEYS)).toThrow(/line 1: unknown key NODE_OPTIONS/);
    expect(() => parseEnvText('PG_HBA_CDIR=10.0.0.0/8\n', KNOWN_KEYS)).toThrow(/unknown key PG_HBA_CDIR/);
  });

  test('the shipped files parse', () => {
    for (const f of ['.env.test', '.env.prod']) expect(() => parseEnvText(readFileSync(join(ROOT, f), 'utf8'), KNOWN_KEYS)).not.toThrow();
  });
});

describe('.env values', () => {
  test('the shipped test values pass; the shipped prod file is refused until its passwords change', () => {
    const test = validateEnv('.env.test', parseEnvText(readFileSync(join(ROOT, '.env.test'), 'utf8')));
    expect(test).toMatchObject({ prod: false, postgresPassword: 'postgres_password', hbaCidr: '0.0.0.0/0' });
    expect(() => validateEnv('.env.prod', parseEnvText(readFileSync(join(ROOT, '.env.prod'), 'utf8')))).toThrow(/known default password/);
  });

  test.each([
    [{ PG_HBA_CIDR: '172.28.0.0/33' }, /PG_HBA_CIDR/],
    [{ PG_HBA_CIDR: '300.1.1.1/8' }, /PG_HBA_CIDR/],
    [{ PG_HBA_CIDR: 'everywhere' }, /PG_HBA_CIDR/],
    [{ PG_HBA_CIDR: '10.1.2.3/8' }, /host bits set; did you mean 10\.0\.0\.0\/8/],
    [{ POSTGRES_PASSWORD: '' }, /POSTGRES_PASSWORD is empty/],
    [{ APP_PASSWORD: '' }, /APP_PASSWORD is empty/],
    [{ GRAFANA_ADMIN_PASSWORD: '' }, /GRAFANA_ADMIN_PASSWORD is empty/],
    [{ POSTGRES_PASSWORD: 'p@ss/word' }, /POSTGRES_PASSWORD may hold only letters, digits/],
    [{ POSTGRES_PASSWORD: 'a,b' }, /connection URLs/],
    [{ LOAD_SCHEMA: 'yes' }, /LOAD_SCHEMA/],
    [{ LOAD_SCHEMA: 'false', LOAD_TEST_DATA: 'true' }, /LOAD_TEST_DATA=true needs LOAD_SCHEMA=true/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
    [{ APP_USER: 'Robert"); DROP' }, /APP_USER.*identifier/],
    [{ PGHA_SCALE: 'lots' }, /PGHA_SCALE=lots must be a number/],
    [{ PGHA_SCALE: '0' }, /PGHA_SCALE/],
    [{ PGHA_SCALE: '101' }, /PGHA_SCALE/],
    [{ PGHA_SCALE: '1e3' }, /PGHA_SCALE/],
    [{ LAB_ENV: 'staging' }, /LAB_ENV=staging must be test or prod/],
    [{ COMPOSE_PROJECT_NAME: 'other' }, /always pgha-lab/],
    [{ COMPOSE_FILE: 'docker-compose.yml' }, /COMPOSE_FILE/],
    [{ GRAFANA_PORT: '3001' }, /unknown key GRAFANA_PORT/],
  ])('bad value %j: exit 2, one line', (patch, msg) => {
    oneLineExit2(() => validateEnv('.env.test', { ...TEST_ENV, ...patch }), msg);
  });

  test.each(['postgres', 'pg_monitor', 'pg_anything', 'autoctl_node', 'pgautofailover_replicator', 'public', 'none', 'current_user'])(
    'APP_USER=%s is reserved',
    (role) => {
      expect(reservedRole(role)).toBe(true);
      oneLineExit2(() => validateEnv('.env.test', { ...TEST_ENV, APP_USER: role }), /reserved or system role/);
    },
  );

  test('ordinary role names are not reserved', () => {
    for (const role of ['admin', 'root', 'clinic_app', 'app_pg']) expect(reservedRole(role)).toBe(false);
  });

  test.each(['LAB_ENV', 'LOG_LEVEL', 'GRAFANA_ADMIN_PASSWORD'])('a missing %s is named', (key) => {
    const vars: Record<string, string> = { ...TEST_ENV };
    delete vars[key];
    oneLineExit2(() => validateEnv('.env.test', vars), new RegExp(`${key} is missing`));
  });

  test('PGHA_SCALE is optional and numeric', () => {
    expect(validateEnv('.env.test', { ...TEST_ENV, PGHA_SCALE: '2.5' }).vars.PGHA_SCALE).toBe('2.5');
    expect(validateEnv('.env.test', TEST_ENV).prod).toBe(false);
  });

  test('CIDR helpers', () => {
    expect(validCidr('172.28.0.0/24')).toBe(true);
    expect(validCidr('0.0.0.0/0')).toBe(true);
    expect(validCidr('172.28.0.0')).toBe(false);
    expect(networkOf('172.28.0.77/24')).toBe('172.28.0.0/24');
    expect(networkOf('10.1.2.3/32')).toBe('10.1.2.3/32');
    expect(networkOf('255.255.255.255/0')).toBe('0.0.0.0/0');
  });
});

describe('prod is decided by LAB_ENV, whatever the file is called', () => {
  test('real passwords, a named network: accepted', () => {
    expect(validateEnv('my-settings.env', PROD_ENV).prod).toBe(true);
  });

  test.each([
    ['postgres_password', 'POSTGRES_PASSWORD'],
    ['change_me_prod', 'POSTGRES_PASSWORD'],
    ['admin', 'APP_PASSWORD'],
    ['admin', 'GRAFANA_ADMIN_PASSWORD'],
  ])('the default %s in %s is refused for prod', (value, key) => {
    oneLineExit2(() => validateEnv('lab.env', { ...PROD_ENV, [key]: value }), new RegExp(`${key} is a known default password`));
  });

  test('whatever .env.test holds counts as a default', () => {
    const shipped = parseEnvText(readFileSync(join(ROOT, '.env.test'), 'utf8'));
    expect(shipped.POSTGRES_PASSWORD).toBeTruthy();
    oneLineExit2(() => validateEnv('lab.env', { ...PROD_ENV, POSTGRES_PASSWORD: shipped.POSTGRES_PASSWORD! }), /known default password/);
  });

  test('short passwords, a /0 network, a missing Grafana password: refused for prod', () => {
    oneLineExit2(() => validateEnv('lab.env', { ...PROD_ENV, APP_PASSWORD: 'Short-pw-11' }), /APP_PASSWORD is shorter than 12 characters/);
    oneLineExit2(() => validateEnv('lab.env', { ...PROD_ENV, PG_HBA_CIDR: '0.0.0.0/0' }), /admits every address/);
    const { GRAFANA_ADMIN_PASSWORD: _, ...noGrafana } = PROD_ENV;
    oneLineExit2(() => validateEnv('lab.env', noGrafana), /GRAFANA_ADMIN_PASSWORD is missing/);
  });

  test('a file named like prod that says test is refused, so renaming never weakens a prod file', () => {
    oneLineExit2(() => validateEnv('.env.prod', { ...PROD_ENV, LAB_ENV: 'test' }), /named like a prod file/);
  });
});
