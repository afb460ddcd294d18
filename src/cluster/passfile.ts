// libpq's password file (~/.pgpass or PGPASSFILE), read the way libpq reads it: the first line
// whose host:port:database:user match (`*` matches anything) gives the password. A file others
// can read is ignored, as libpq does, and so is one another user owns.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PassfileKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Split one line on unescaped colons, unescaping `\:` and `\\`. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function passwordFromText(text: string, key: PassfileKey): string | undefined {
  const want = [key.host, String(key.port), key.database, key.user];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = fields(line);
    if (f.length < 5) continue;
    const pattern = f.slice(0, 4);
    // libpq treats "localhost" as matching a Unix-socket connection too; we only speak TCP.
    if (pattern.every((p, i) => p === '*' || p === want[i])) return f.slice(4).join(':');
  }
  return undefined;
}

export function passfilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGPASSFILE || join(homedir(), '.pgpass');
}

/** The password for this key from the password file, or undefined (no file, no line, or unsafe mode). */
export function passwordFromPassfile(key: PassfileKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = passfilePath(env);
  try {
    const st = statSync(path);
    // Also someone else's file: as root, a file the postgres user owns is not ours to trust.
    if (!st.isFile() || (st.mode & 0o077) !== 0 || st.uid !== process.getuid?.()) return undefined;
    return passwordFromText(readFileSync(path, 'utf8'), key);
  } catch {
    return undefined;
  }
}
