// argv -> one validated Config. Bad input is a UserError with exit code 2 and one line.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UserError } from '../backends/backend.js';
import { defaultLabDir } from '../backends/local-env.js';

export const COMMANDS = ['console', 'up', 'status', 'down'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Config {
  command: Command;
  args: string[];
  backend: 'local' | 'auto';
  labDir: string;
  basePort: number;
  basePortExplicit: boolean;
  scale: number;
  json: boolean;
  volumes: boolean;
  help: boolean;
}

const OPTIONS = {
  backend: { type: 'string' },
  'lab-dir': { type: 'string' },
  'base-port': { type: 'string' },
  scale: { type: 'string' },
  json: { type: 'boolean' },
  volumes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const portSchema = z.coerce.number().int().min(1024).max(65532);
const scaleSchema = z.coerce.number().positive().max(100);

export const HELP = `pgha-tui — a terminal lab console for PostgreSQL high availability (pg_auto_failover)

Usage:
  pgha-tui [options]                 start the lab if needed and open the console
  pgha-tui up [options]              start the lab; exits 0 at 1 primary + 2 secondaries
  pgha-tui status --json [options]   print the cluster state as one JSON object
  pgha-tui down [--volumes]          stop every process of the lab; --volumes also removes its data

Selection (every command; status and down find the lab that up started):
  --backend local                    pg_autoctl processes on this host (default)
  --lab-dir DIR                      lab directory (default: $XDG_STATE_HOME/pgha-tui/lab;
                                     as root: /var/lib/pgha-tui/lab)
  --base-port P                      monitor port; nodes use P+1..P+3 (default 5431)

Other options:
  --scale S                          healthcare dataset size on first start (default 0.2;
                                     10 = about 100k patients and 1M appointments)
  --json                             machine-readable output (status)
  --volumes                          with down: also delete the lab directory
  -h, --help                         this text

Console keys: ? help, ↑/↓ select a node, q quit (the cluster keeps running; pgha-tui down stops it).
Exit codes: 0 ok, 1 a check or start failed, 2 bad input.`;

function parseOrExit<T>(schema: z.ZodType<T>, value: string, flag: string, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UserError(`${flag} ${JSON.stringify(value)}: expected ${what}`, 2);
  return r.data;
}

export function parseFlags(argv: string[]): Config {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message goes on about positionals after '--'; its first sentence is the reason.
    const reason = ((err as Error).message.split('\n')[0] ?? '').split('. ')[0];
    throw new UserError(`${reason} (see pgha-tui --help)`, 2);
  }
  const { values, positionals } = parsed;
  const [first, ...args] = positionals;
  const command = (first ?? 'console') as Command;
  if (!COMMANDS.includes(command)) throw new UserError(`unknown command "${first}" (see pgha-tui --help)`, 2);
  const backend = values.backend ?? 'auto';
  if (backend !== 'local' && backend !== 'auto') {
    throw new UserError(`--backend ${JSON.stringify(backend)}: this build supports "local" (the compose backend is not built yet)`, 2);
  }
  if (args.length > 0) throw new UserError(`unexpected argument "${args[0]}" for ${command} (see pgha-tui --help)`, 2);
  if (values.volumes && command !== 'down') throw new UserError('--volumes goes with down', 2);
  return {
    command,
    args,
    backend,
    labDir: values['lab-dir'] ?? defaultLabDir(),
    basePort: values['base-port'] ? parseOrExit(portSchema, values['base-port'], '--base-port', 'a port from 1024 to 65532') : 5431,
    basePortExplicit: values['base-port'] !== undefined,
    scale: values.scale ? parseOrExit(scaleSchema, values.scale, '--scale', 'a number above 0 and at most 100') : 0.2,
    json: values.json ?? false,
    volumes: values.volumes ?? false,
    help: values.help ?? false,
  };
}
