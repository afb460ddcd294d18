// The compose lab's .env files (.env.test, .env.prod): parsed and validated before anything
// starts, so a typo is one line and exit 2, never a half-started stack or a container that dies.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../lib/errors.js';

export interface LabEnv {
  file: string;
  prod: boolean;
  vars: Record<string, string>;
  postgresPassword: string;
  appUser: string;
  appPassword: string;
  hbaCidr: string;
}

/** Every key the compose files and the container scripts read; anything else is a typo. */
export const KNOWN_KEYS = [
  'LAB_ENV', 'COMPOSE_PROJECT_NAME', 'COMPOSE_FILE',
  'LOAD_SCHEMA', 'LOAD_TEST_DATA', 'PGHA_SCALE', 'APP_USER', 'APP_PASSWORD',
  'POSTGRES_PASSWORD', 'PG_HBA_CIDR', 'LOG_LEVEL', 'GRAFANA_ADMIN_PASSWORD',
] as const;

const REQUIRED = ['LAB_ENV', 'LOAD_SCHEMA', 'LOAD_TEST_DATA', 'APP_USER', 'APP_PASSWORD', 'POSTGRES_PASSWORD', 'PG_HBA_CIDR', 'LOG_LEVEL', 'GRAFANA_ADMIN_PASSWORD'] as const;
const PASSWORDS = ['APP_PASSWORD', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'] as const;
export const PROD_MIN_PASSWORD_LENGTH = 12;

/** Passwords from the original lab's docs and common placeholders: refused for prod. */
export const DEFAULT_PASSWORDS = new Set(['postgres_password', 'change_me_prod', 'admin', 'root', 'postgres', 'password', '']);

/**
 * Only the syntax on which docker-compose 1.29 (python-dotenv) and Compose v2 (compose-go) agree:
 * KEY=value with an optional " # comment", KEY='value' (no $ followed by {, no \\ or '), and
 * KEY="value" without $, \\ or `. The rest is refused with a hint instead of being read one way
 * by us and another by Compose: e.g. an unquoted pa$word is "pa$word" to v1 and "pa" to v2.
 */
export function parseEnvText(text: string, known?: readonly string[]): Record<string, string> {
  if (text.startsWith('\uFEFF')) throw new Error('line 1: starts with a byte-order mark; save the file as plain UTF-8');
  const vars: Record<string, string> = {};
  const firstLine: Record<string, number> = {};
  text.split('\n').forEach((line, i) => {
    const at = `line ${i + 1}`;
    if (line.includes('\r')) throw new Error(`${at}: carriage return (Windows line ending); save the file with LF line endings`);
    if (/^\s*(#.*)?$/.test(line)) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) {
      if (/^\s*export\s/.test(line)) throw new Error(`${at}: drop "export" (write NAME=value)`);
      if (/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) throw new Error(`${at}: no spaces before the name or around "=" (write NAME=value)`);
      throw new Error(`${at}: expected NAME=value`);
    }
    const key = m[1]!;
    if (known && !known.includes(key)) throw new Error(`${at}: unknown key ${key}: nothing reads it (keys: ${known.join(', ')})`);
    if (firstLine[key] !== undefined) throw new Error(`${at}: ${key} is set again (first on line ${firstLine[key]}); keep one`);
    firstLine[key] = i + 1;
    vars[key] = parseValue(key, m[2]!, at);
  });
  return vars;
}

function parseValue(key: string, raw: string, at: string): string {
  const hint = `quote it with single quotes: ${key}='...'`;
  if (raw.startsWith("'")) {
    const q = /^'([^'\\]*)'$/.exec(raw);
    if (!q) throw new Error(`${at}: ${key}: a single-quoted value must end the line and hold no ' or \\`);
    if (q[1]!.includes('${')) throw new Error(`${at}: ${key}: "\${" inside quotes is expanded by Compose v1 but not by v2; remove it`);
    return q[1]!;
  }
  if (raw.startsWith('"')) {
    const q = /^"([^"\\$`]*)"$/.exec(raw);
    if (!q) throw new Error(`${at}: ${key}: a double-quoted value must end the line and hold no $, \\, \` or "; ${hint}`);
    return q[1]!;
  }
  // Compose v1 reads "V= # x" as "# x": a value never starts with a blank.
  if (/^\s/.test(raw)) throw new Error(`${at}: ${key}: no spaces after "="; an empty value is ${key}= alone`);
  // Unquoted: an inline comment needs a space before "#" (both Compose versions agree on that).
  const value = raw.replace(/ +#.*$/, '');
  if (/\s/.test(value)) throw new Error(`${at}: ${key} has a space or tab in its value; ${hint}`);
  if (/[$#'"\\`]/.test(value)) throw new Error(`${at}: ${key} holds one of $ # ' " \\ \` that Compose v1 and v2 read differently; ${hint}`);
  return value;
}

const PROJECT = 'pgha-lab';
const COMPOSE_FILES = ['compose/docker-compose.yml', 'compose/docker-compose.yml:compose/docker-compose.offline.yml'];

/** The shipped .env.test's passwords: whatever it holds is public, so never good enough for prod. */
function testFilePasswords(): string[] {
  try {
    const vars = parseEnvText(readFileSync(fileURLToPath(new URL('../../../.env.test', import.meta.url)), 'utf8'));
    return PASSWORDS.map((k) => vars[k]).filter((v): v is string => v !== undefined);
  } catch {
    return [];
  }
}

export function validCidr(cidr: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o >= 0 && o <= 255) && Number(m[5]) <= 32;
}

/** The CIDR with its host bits cleared (pg_hba wants the network address). */
export function networkOf(cidr: string): string {
  const [addr, bits] = cidr.split('/') as [string, string];
  const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  const net = Number((BigInt(n) & BigInt(mask)).toString());
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

/** Role names PostgreSQL reserves or the lab itself uses: APP_USER must be none of them. */
export function reservedRole(name: string): boolean {
  return (
    ['postgres', 'public', 'none', 'current_user', 'session_user', 'current_role', 'user'].includes(name) ||
    /^(pg_|autoctl|pgautofailover)/.test(name)
  );
}

/** Characters that survive unescaped in the exporter's postgresql:// URLs (RFC 3986 unreserved). */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

/** Validate parsed vars; every problem is a UserError with exit code 2. */
export function validateEnv(file: string, vars: Record<string, string>): LabEnv {
  const name = basename(file);
  const bad = (msg: string) => new UserError(`${name}: ${msg}`, 2);
  for (const k of Object.keys(vars)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(k)) throw bad(`unknown key ${k}: nothing reads it (keys: ${KNOWN_KEYS.join(', ')})`);
  }
  for (const k of REQUIRED) if (vars[k] === undefined) throw bad(`${k} is missing`);
  if (!/^(test|prod)$/.test(vars.LAB_ENV!)) throw bad(`LAB_ENV=${vars.LAB_ENV} must be test or prod`);
  const prod = vars.LAB_ENV === 'prod';
  if (!prod && /prod/i.test(name)) throw bad(`the file is named like a prod file but says LAB_ENV=${vars.LAB_ENV}; set LAB_ENV=prod`);
  if (vars.COMPOSE_PROJECT_NAME !== undefined && vars.COMPOSE_PROJECT_NAME !== PROJECT) {
    throw bad(`COMPOSE_PROJECT_NAME=${vars.COMPOSE_PROJECT_NAME}: the lab's project is always ${PROJECT}`);
  }
  if (vars.COMPOSE_FILE !== undefined && !COMPOSE_FILES.includes(vars.COMPOSE_FILE)) {
    throw bad(`COMPOSE_FILE=${vars.COMPOSE_FILE} must be ${COMPOSE_FILES.join(' or ')}`);
  }
  for (const k of ['LOAD_SCHEMA', 'LOAD_TEST_DATA']) {
    if (!/^(true|false)$/.test(vars[k]!)) throw bad(`${k}=${vars[k]} must be true or false`);
  }
  if (vars.LOAD_TEST_DATA === 'true' && vars.LOAD_SCHEMA !== 'true') throw bad('LOAD_TEST_DATA=true needs LOAD_SCHEMA=true (the data goes into the schema)');
  if (vars.PGHA_SCALE !== undefined) {
    const s = Number(vars.PGHA_SCALE);
    if (!/^\d+(\.\d+)?$/.test(vars.PGHA_SCALE) || !(s > 0 && s <= 100)) throw bad(`PGHA_SCALE=${vars.PGHA_SCALE} must be a number above 0 and at most 100`);
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(vars.APP_USER!)) throw bad(`APP_USER=${vars.APP_USER} must be a lower-case SQL identifier`);
  if (reservedRole(vars.APP_USER!)) throw bad(`APP_USER=${vars.APP_USER} is a reserved or system role; pick an application role name`);
  for (const k of PASSWORDS) if (!vars[k]) throw bad(`${k} is empty`);
  if (!URL_SAFE.test(vars.POSTGRES_PASSWORD!)) {
    throw bad('POSTGRES_PASSWORD may hold only letters, digits and . _ ~ - (it goes into the exporter\'s connection URLs)');
  }
  if (!validCidr(vars.PG_HBA_CIDR!)) throw bad(`PG_HBA_CIDR=${vars.PG_HBA_CIDR} is not an IPv4 CIDR like 172.28.0.0/24`);
  if (networkOf(vars.PG_HBA_CIDR!) !== vars.PG_HBA_CIDR) throw bad(`PG_HBA_CIDR=${vars.PG_HBA_CIDR} has host bits set; did you mean ${networkOf(vars.PG_HBA_CIDR!)}?`);
  if (!/^(none|ddl|mod|all)$/.test(vars.LOG_LEVEL!)) throw bad(`LOG_LEVEL=${vars.LOG_LEVEL} must be none, ddl, mod or all`);
  if (prod) {
    const known = new Set([...DEFAULT_PASSWORDS, ...testFilePasswords()]);
    for (const k of PASSWORDS) {
      if (known.has(vars[k]!)) throw bad(`${k} is a known default password; a prod lab needs a real one (edit the file, never the command line)`);
      if (vars[k]!.length < PROD_MIN_PASSWORD_LENGTH) throw bad(`${k} is shorter than ${PROD_MIN_PASSWORD_LENGTH} characters; a prod lab needs a longer one`);
    }
    if (vars.PG_HBA_CIDR!.endsWith('/0')) throw bad(`PG_HBA_CIDR=${vars.PG_HBA_CIDR} admits every address; a prod lab names its client network`);
  }
  return {
    file,
    prod,
    vars,
    postgresPassword: vars.POSTGRES_PASSWORD!,
    appUser: vars.APP_USER!,
    appPassword: vars.APP_PASSWORD!,
    hbaCidr: vars.PG_HBA_CIDR!,
  };
}

export function loadEnvFile(file: string): LabEnv {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`env file ${file} not found (use --compose-env .env.test or .env.prod)`, 2);
  }
  let vars: Record<string, string>;
  try {
    vars = parseEnvText(text, KNOWN_KEYS);
  } catch (err) {
    throw new UserError(`${basename(file)}: ${(err as Error).message}`, 2);
  }
  return validateEnv(file, vars);
}
