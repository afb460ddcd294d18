// The compose lab's .env files (.env.test, .env.prod): parsed and validated before anything
// starts, so a typo is one line and exit 2, never a half-started stack.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../backends/backend.js';

export interface LabEnv {
  file: string;
  prod: boolean;
  vars: Record<string, string>;
  postgresPassword: string;
  appUser: string;
  appPassword: string;
  hbaCidr: string;
}

const REQUIRED = ['LOAD_SCHEMA', 'LOAD_TEST_DATA', 'APP_USER', 'APP_PASSWORD', 'POSTGRES_PASSWORD', 'PG_HBA_CIDR', 'LOG_LEVEL'] as const;

/** Passwords from the original lab's docs: fine for a test lab, refused for prod. */
export const DEFAULT_PASSWORDS = new Set(['postgres_password', 'change_me_prod', 'admin', 'root', 'postgres', 'password', '']);

export function parseEnvText(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: expected NAME=value`);
    let value = m[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    vars[m[1]!] = value;
  });
  return vars;
}

export function validCidr(cidr: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o >= 0 && o <= 255) && Number(m[5]) <= 32;
}

/** Validate parsed vars; every problem is a UserError with exit code 2. */
export function validateEnv(file: string, vars: Record<string, string>, prodHint = false): LabEnv {
  const bad = (msg: string) => new UserError(`${basename(file)}: ${msg}`, 2);
  for (const k of REQUIRED) if (vars[k] === undefined) throw bad(`${k} is missing`);
  for (const k of ['LOAD_SCHEMA', 'LOAD_TEST_DATA']) {
    if (!/^(true|false)$/.test(vars[k]!)) throw bad(`${k}=${vars[k]} must be true or false`);
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(vars.APP_USER!)) throw bad(`APP_USER=${vars.APP_USER} must be a lower-case SQL identifier`);
  for (const k of ['APP_PASSWORD', 'POSTGRES_PASSWORD']) if (!vars[k]) throw bad(`${k} is empty`);
  if (!validCidr(vars.PG_HBA_CIDR!)) throw bad(`PG_HBA_CIDR=${vars.PG_HBA_CIDR} is not an IPv4 CIDR like 172.28.0.0/24`);
  if (!/^(none|ddl|mod|all)$/.test(vars.LOG_LEVEL!)) throw bad(`LOG_LEVEL=${vars.LOG_LEVEL} must be none, ddl, mod or all`);
  for (const [k, v] of Object.entries(vars)) {
    if (!k.endsWith('_PORT')) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw bad(`${k}=${v} is not a port (1-65535)`);
  }
  const prod = prodHint || /prod/.test(basename(file)) || vars.LAB_ENV === 'prod';
  if (prod) {
    for (const k of ['APP_PASSWORD', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD']) {
      if (vars[k] !== undefined && DEFAULT_PASSWORDS.has(vars[k]!)) {
        throw bad(`${k} is a default password; a prod lab needs a real one (edit the file, do not pass it on the command line)`);
      }
    }
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
    throw new UserError(`env file ${file} not found (use --env-file .env.test or .env.prod)`, 2);
  }
  let vars: Record<string, string>;
  try {
    vars = parseEnvText(text);
  } catch (err) {
    throw new UserError(`${basename(file)}: ${(err as Error).message}`, 2);
  }
  return validateEnv(file, vars);
}
