// libpq's connection service file (pg_service.conf), read the way libpq reads it: the service
// named by PGSERVICE (or `service=` in the URI) is looked up in PGSERVICEFILE, else
// ~/.pg_service.conf, and only when not found there in PGSYSCONFDIR/pg_service.conf. Its keywords
// fill in what the URI leaves out. A file another user owns, or others may write, could point the
// console at someone else's server or hand it their password: it is refused, not read.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';

/** The keywords pgha-tui uses; libpq's others (e.g. options, krbsrvname) are refused by name. */
export const SERVICE_KEYWORDS = ['host', 'port', 'user', 'dbname', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name'] as const;
export type ServiceKeyword = (typeof SERVICE_KEYWORDS)[number];
export type ServiceParams = Partial<Record<ServiceKeyword, string>>;

/** Debian's libpq is built with this sysconfdir (pg_config --sysconfdir). */
export const DEFAULT_SYSCONFDIR = '/etc/postgresql-common';

/** Every service in a file's text: `[name]` sections of `keyword=value` lines, `#` comments. */
export function parseServiceText(text: string, file: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = {};
      // libpq uses the first section of a name.
      if (!out.has(section[1]!)) out.set(section[1]!, current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UserError(`service file ${file}, line ${i + 1}: expected [service] or keyword=value`, 2);
    if (current === null) throw new UserError(`service file ${file}, line ${i + 1}: keyword=value before any [service]`, 2);
    (current as Record<string, string>)[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return out;
}

/** The files libpq would search for a service, in order. */
export function serviceFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const user = env.PGSERVICEFILE || join(env.HOME || homedir(), '.pg_service.conf');
  return [user, join(env.PGSYSCONFDIR || DEFAULT_SYSCONFDIR, 'pg_service.conf')];
}

/** The file's text, or null when it does not exist; refused when it is not safe to trust. */
function readTrusted(file: string): string | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  const me = process.getuid?.() ?? 0;
  if (!st.isFile()) throw new UserError(`service file ${file} is not a regular file`, 2);
  if (st.uid !== me && st.uid !== 0) throw new UserError(`service file ${file} belongs to another user (uid ${st.uid}): not read`, 2);
  if ((st.mode & 0o022) !== 0) throw new UserError(`service file ${file} is writable by others (mode ${(st.mode & 0o777).toString(8)}): not read`, 2);
  return readFileSync(file, 'utf8');
}

/** The named service's keywords from the first file that defines it; exit 2 when none does. */
export function lookupService(name: string, env: NodeJS.ProcessEnv = process.env): ServiceParams {
  const files = serviceFiles(env);
  for (const file of files) {
    const text = readTrusted(file);
    if (text === null) continue;
    const params = parseServiceText(text, file).get(name);
    if (!params) continue;
    for (const key of Object.keys(params)) {
      if (!(SERVICE_KEYWORDS as readonly string[]).includes(key)) {
        throw new UserError(`service "${name}" in ${file}: keyword ${JSON.stringify(key)} is not supported (${SERVICE_KEYWORDS.join(', ')} are)`, 2);
      }
    }
    return params as ServiceParams;
  }
  throw new UserError(`definition of service "${name}" not found (looked in ${files.join(', ')})`, 2);
}
