// argv -> one validated Config. Bad input is a UserError with exit code 2 and one line.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../lib/errors.js';
import { defaultLabDir } from '../backends/local/env.js';
import type { Fault } from '../actions/types.js';
import { PROFILE_NAMES } from '../cluster/profiles.js';
import { parseResolve, type ResolveRule } from '../cluster/resolve.js';

export const COMMANDS = [
  'console', 'up', 'status', 'down',
  'uri', 'failover', 'promote', 'kill', 'stop', 'start', 'restart', 'freeze', 'thaw', 'partition', 'heal', 'rebuild', 'profile', 'maintenance', 'learn', 'drill', 'psql',
] as const;

/** Commands that take exactly one positional argument, and what it is. */
const ONE_ARG: Partial<Record<Command, string>> = {
  promote: '<node>',
  kill: '<node|primary>',
  stop: '<node>',
  start: '<node>',
  restart: '<node>',
  freeze: '<node>',
  thaw: '<node>',
  partition: '<node>',
  heal: '<node>',
  rebuild: '<node>',
  profile: `<${PROFILE_NAMES.join('|')}>`,
};

export const FAULTS = ['kill', 'stop', 'freeze', 'failover'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Config {
  command: Command;
  args: string[];
  backend: 'local' | 'compose' | 'attach' | 'auto';
  /** --monitor: attach to the formation behind this monitor URI (never printed as given). */
  monitorUri: string | null;
  formation: string;
  nodeUser: string | null;
  nodeDbname: string | null;
  /** attach: the database the load test's own schema lives in; null: the nodes' database. */
  db: string | null;
  allowActions: boolean;
  allowProfile: boolean;
  /** --resolve REGISTERED[:PORT]=ADDRESS[:PORT], in the order given. */
  resolve: ResolveRule[];
  /** How load clients find the primary: ask the monitor, or a multi-host read-write URI; null: the backend's default. */
  route: 'monitor' | 'multi-host' | null;
  envFile: string;
  offline: boolean;
  labDir: string;
  /** --lab-dir was given: like --base-port, it means the local backend. */
  labDirExplicit: boolean;
  basePort: number;
  basePortExplicit: boolean;
  scale: number;
  json: boolean;
  volumes: boolean;
  help: boolean;
  /** Tuning profile to apply (console, up, drill); null keeps the monitor's current one. */
  profile: string | null;
  clients: number;
  fault: Fault;
  runs: number;
  maxRtoS: number | null;
  /** The compose-only flag that chose the compose backend, when --backend was not given. */
  backendBy?: string;
  /** psql: the arguments after `--`, handed to psql as they are. */
  passthrough: string[];
  /** local: run postgres_exporter, Prometheus and Alertmanager beside the lab (up, console). */
  monitoring: boolean;
  /** Where Alertmanager posts alerts; null: base port + 13. */
  alertWebhook: string | null;
  /** Serve the console's own /metrics on 127.0.0.1:P; null: off. */
  metricsPort: number | null;
}

const OPTIONS = {
  backend: { type: 'string' },
  'compose-env': { type: 'string' },
  // Never ours: Node 20 reads --env-file itself from anywhere in its argv. Declared only so that
  // it is refused with a pointer to --compose-env instead of "unknown option".
  'env-file': { type: 'string' },
  offline: { type: 'boolean' },
  'lab-dir': { type: 'string' },
  'base-port': { type: 'string' },
  scale: { type: 'string' },
  json: { type: 'boolean' },
  volumes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  profile: { type: 'string' },
  clients: { type: 'string' },
  fault: { type: 'string' },
  runs: { type: 'string' },
  'max-rto': { type: 'string' },
  monitoring: { type: 'boolean' },
  'alert-webhook': { type: 'string' },
  'metrics-port': { type: 'string' },
  monitor: { type: 'string' },
  formation: { type: 'string' },
  'node-user': { type: 'string' },
  'node-dbname': { type: 'string' },
  db: { type: 'string' },
  'allow-actions': { type: 'boolean' },
  'allow-profile': { type: 'boolean' },
  route: { type: 'string' },
  resolve: { type: 'string', multiple: true },
} as const;

/** Where compose/, sql/ and the .env files live (the package root). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Small hand-written checks: a schema library would cost the console ~10 MB of RSS at start-up.
type Check = (n: number) => boolean;
const int = (min: number, max: number): Check => (n) => Number.isInteger(n) && n >= min && n <= max;
const portSchema = int(1024, 65532);
const scaleSchema: Check = (n) => n > 0 && n <= 100;
const clientsSchema = int(1, 64);
const runsSchema = int(1, 1000);
const secondsSchema: Check = (n) => n > 0 && Number.isFinite(n);

export const HELP = `pgha-tui — a terminal lab console for PostgreSQL high availability (pg_auto_failover)

Usage:
  pgha-tui [options]                 create the lab if none exists and open the console (on an
                                     existing lab at once; it offers to thaw/start what is down)
  pgha-tui up [options]              start the lab; exits 0 at 1 primary + 2 secondaries
  pgha-tui status --json [options]   print the cluster state as one JSON object (exit 1 when
                                     the lab is stopped)
  pgha-tui down [--volumes]          stop every process of the lab; --volumes also removes its data
  pgha-tui learn [lesson]            the console with the walkthrough open (lessons 1-9 on the
                                     live cluster; without a lesson it resumes where you were)
  pgha-tui uri                       the monitor's URI and the formation's multi-host URI (no
                                     password): what --monitor and applications connect to

Break it (every command also takes the selection flags below):
  pgha-tui failover                  controlled failover through the monitor (perform_failover)
  pgha-tui promote <node>            controlled failover to this standby (perform_promotion)
  pgha-tui kill <node|primary>       SIGKILL a node's whole process tree (keeper + postgres)
  pgha-tui stop|start|restart <node> stop cleanly / start / both
  pgha-tui freeze|thaw <node>        SIGSTOP / SIGCONT a node's whole process tree (compose: pause)
  pgha-tui partition|heal <node>     compose: cut a node off the lab network / reconnect it
  pgha-tui rebuild <node>            compose: make a standby again from a fresh clone of the primary
  pgha-tui profile <default|fast>    set the monitor's failure-detection GUCs (ALTER SYSTEM + reload)
  pgha-tui maintenance enable|disable <node>
                                     through the monitor (a primary fails over first); waits
                                     until the node is in maintenance / a secondary again
  pgha-tui psql [node|monitor] [-- ARGS]
                                     psql as the lab's superuser on a node (default: the primary)
                                     or the monitor; the password never appears in argv
  pgha-tui drill [--fault F] [--runs N] [--profile P] [--clients C] [--max-rto S] [--json]
                                     inject F (kill|stop|freeze|failover; default kill) into the
                                     primary under load N times (default 5); per-run JSON lines and
                                     a summary; exit 1 if an acknowledged write is lost or RTO > S

Selection (every command; status and down find the lab that up started):
  --backend compose|local            compose: the Docker Compose lab (default when a Docker engine
                                     answers); local: pg_autoctl processes on this host (default
                                     otherwise). Without the flag an existing lab is found
                                     first, and --lab-dir or --base-port mean local.
  --compose-env F                    compose: the lab's .env file (default .env.test; LAB_ENV=prod
                                     refuses default passwords); implies --backend compose. Not
                                     --env-file: Node itself would read that one
  --offline                          compose: build exporter, Prometheus and Alertmanager from
                                     Debian packages (automatic when no registry answers); Grafana
                                     is left out
  --lab-dir DIR                      local: lab directory (default: $XDG_STATE_HOME/pgha-tui/lab;
                                     as root: /var/lib/pgha-tui/lab)
  --base-port P                      local: monitor port; nodes use P+1..P+3 (default 5431)

Attach (every command but up and down; read-only unless allowed):
  --monitor URI                      attach to the formation behind this monitor
                                     (postgres://user@host:port/pg_auto_failover?sslmode=…); the
                                     password from PGPASSWORD or ~/.pgpass, not the URI
  --formation NAME                   the formation to watch (default: default)
  --node-user U, --node-dbname D     role and database on the nodes, where they differ from the
                                     URI's user and the formation's database
  --allow-actions                    allow failover, promote, the load test, drill --fault failover
                                     (writes go only to pgha_tui.writes, a table of its own)
  --db D                             with --allow-actions: the database of that table
                                     (default: the nodes' database)
  --allow-profile                    allow profile changes (the monitor's GUCs: formation-wide)
  --resolve REG[:PORT]=ADDR[:PORT]   reach the node registered as REG (:PORT) at ADDR (:PORT)
                                     instead: probes and the multi-host route (repeatable)
  --route monitor|multi-host         console, drill: load clients ask the monitor for the primary
                                     (labs' default) or connect as applications do, through the
                                     multi-host URI with target_session_attrs=read-write (attach)

Other options:
  --scale S                          healthcare dataset size on first start (default 0.2;
                                     10 = about 100k patients and 1M appointments)
  --json                             machine-readable output (status, drill)
  --profile P                        apply tuning profile P first (console, up, drill)
  --clients C                        load-test clients (default 4)
  --volumes                          with down: also delete the lab directory
  --monitoring                       local, up or console: also run postgres_exporter, Prometheus
                                     and Alertmanager on P+10..P+12 (kept on by later ups)
  --alert-webhook URL                with --monitoring: where Alertmanager posts alerts
                                     (default http://127.0.0.1:P+13/alerts)
  --metrics-port M                   console: serve its own /metrics on 127.0.0.1:M (off by default)
  -h, --help                         this text

Exit codes: 0 ok, 1 a check or start failed, 2 bad input, 128+N ended by signal N.`;

function parseOrExit(check: Check, value: string, flag: string, what: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!check(n)) throw new UserError(`${flag} ${JSON.stringify(value)}: expected ${what}`, 2);
  return n;
}

export function parseFlags(fullArgv: string[]): Config {
  // Everything after the first `--` belongs to psql (pgha-tui psql node1 -- -c 'SELECT 1').
  const cut = fullArgv.indexOf('--');
  const argv = cut < 0 ? fullArgv : fullArgv.slice(0, cut);
  const passthrough = cut < 0 ? [] : fullArgv.slice(cut + 1);
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
  if (values['env-file'] !== undefined) {
    throw new UserError('--env-file is read by Node itself before pgha-tui starts; name the lab\'s .env file with --compose-env FILE', 2);
  }
  const given = values.backend ?? 'auto';
  if (given !== 'local' && given !== 'compose' && given !== 'auto') {
    throw new UserError(`--backend ${JSON.stringify(given)}: expected compose or local`, 2);
  }
  let backend: Config['backend'] = given;
  const attachFlag = (['formation', 'node-user', 'node-dbname', 'db', 'allow-actions', 'allow-profile', 'resolve'] as const).find((f) => values[f] !== undefined);
  if (values.monitor !== undefined) {
    const other = values.backend !== undefined ? '--backend' : values['compose-env'] !== undefined ? '--compose-env' : values.offline ? '--offline' : values['lab-dir'] !== undefined ? '--lab-dir' : values['base-port'] !== undefined ? '--base-port' : null;
    if (other) throw new UserError(`--monitor attaches to a formation: it does not go with ${other}`, 2);
    if (values.monitor.trim() === '') throw new UserError('--monitor "": expected a postgres:// URI', 2);
    if (command === 'up' || command === 'down') throw new UserError(`${command} is for the labs: an attached formation is neither started nor stopped by pgha-tui`, 2);
    for (const f of ['formation', 'node-user', 'node-dbname', 'db'] as const) {
      if (values[f] !== undefined && values[f].trim() === '') throw new UserError(`--${f} "": expected a name`, 2);
    }
    backend = 'attach';
  } else if (attachFlag) throw new UserError(`--${attachFlag} goes with --monitor`, 2);
  // Compose-only flags choose compose: a prod .env file must never start a local lab instead.
  const composeFlag = values['compose-env'] !== undefined ? '--compose-env' : values.offline ? '--offline' : null;
  const localFlag = values['lab-dir'] !== undefined ? '--lab-dir' : values['base-port'] !== undefined ? '--base-port' : null;
  if (composeFlag && (backend === 'local' || localFlag)) {
    throw new UserError(`${composeFlag} goes with the compose backend, ${backend === 'local' ? '--backend local' : localFlag} with the local one`, 2);
  }
  if (composeFlag) backend = 'compose';
  if (passthrough.length > 0 && command !== 'psql') throw new UserError(`arguments after -- go with psql only (see pgha-tui --help)`, 2);
  const wantsArg = ONE_ARG[command];
  if (command === 'maintenance') {
    if (args.length !== 2 || (args[0] !== 'enable' && args[0] !== 'disable')) throw new UserError('maintenance takes two arguments: maintenance enable|disable <node>', 2);
  } else if (command === 'learn') {
    if (args.length > 1 || (args.length === 1 && !/^[1-9]$/.test(args[0]!))) throw new UserError(`learn takes at most one argument: learn [lesson], a lesson from 1 to 9`, 2);
  } else if (command === 'psql') {
    if (args.length > 1) throw new UserError('psql takes at most one argument: psql [node|monitor] [-- psql options]', 2);
  } else if (wantsArg && args.length !== 1) throw new UserError(`${command} takes one argument: ${command} ${wantsArg}`, 2);
  if (!wantsArg && command !== 'psql' && command !== 'maintenance' && command !== 'learn' && args.length > 0) throw new UserError(`unexpected argument "${args[0]}" for ${command} (see pgha-tui --help)`, 2);
  if (command === 'profile' && !PROFILE_NAMES.includes(args[0]!)) {
    throw new UserError(`unknown profile "${args[0]}" (profiles: ${PROFILE_NAMES.join(', ')})`, 2);
  }
  if (values.profile !== undefined && !PROFILE_NAMES.includes(values.profile)) {
    throw new UserError(`--profile ${JSON.stringify(values.profile)}: expected one of ${PROFILE_NAMES.join(', ')}`, 2);
  }
  const fault = values.fault ?? 'kill';
  if (!(FAULTS as readonly string[]).includes(fault)) throw new UserError(`--fault ${JSON.stringify(fault)}: expected one of ${FAULTS.join(', ')}`, 2);
  if (values.volumes && command !== 'down') throw new UserError('--volumes goes with down', 2);
  // `--runs=` is an empty value, not "use the default".
  const num = (flag: keyof typeof values, check: Check, what: string, fallback: number): number => {
    const v = values[flag];
    return typeof v === 'string' ? parseOrExit(check, v, `--${flag}`, what) : fallback;
  };
  const labDir = values['lab-dir'];
  if (labDir !== undefined && labDir.trim() === '') throw new UserError('--lab-dir "": expected a directory', 2);
  if ((values.monitoring || values['alert-webhook'] !== undefined) && command !== 'up' && command !== 'console') throw new UserError('--monitoring and --alert-webhook go with up or the console', 2);
  if (values.monitoring && backend === 'compose') throw new UserError('--monitoring is for the local backend (the compose lab always runs its own)', 2);
  if (values['alert-webhook'] !== undefined && !values.monitoring) throw new UserError('--alert-webhook goes with --monitoring', 2);
  const webhook = values['alert-webhook'];
  if (webhook !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(webhook)) throw new UserError(`--alert-webhook ${JSON.stringify(webhook)}: expected an http:// or https:// URL`, 2);
  if (values.monitoring && values['base-port'] !== undefined && Number(values['base-port']) > 65522) {
    throw new UserError(`--monitoring needs ports up to --base-port + 13: pick a base port of at most 65522`, 2);
  }
  const route = values.route;
  if (route !== undefined && route !== 'monitor' && route !== 'multi-host') throw new UserError(`--route ${JSON.stringify(route)}: expected monitor or multi-host`, 2);
  if (route !== undefined && command !== 'console' && command !== 'drill') throw new UserError('--route goes with the console or drill', 2);
  if (values['metrics-port'] !== undefined && command !== 'console') throw new UserError('--metrics-port goes with the console', 2);
  return {
    command,
    args,
    backend,
    envFile: resolve(values['compose-env'] ?? join(PACKAGE_ROOT, '.env.test')),
    offline: values.offline ?? false,
    // Resolved once, here: every later path (and a message naming it) is absolute.
    labDir: resolve(labDir ?? defaultLabDir()),
    labDirExplicit: labDir !== undefined,
    basePort: num('base-port', portSchema, 'a port from 1024 to 65532', 5431),
    basePortExplicit: values['base-port'] !== undefined,
    scale: num('scale', scaleSchema, 'a number above 0 and at most 100', 0.2),
    json: values.json ?? false,
    volumes: values.volumes ?? false,
    help: values.help ?? false,
    profile: values.profile ?? null,
    clients: num('clients', clientsSchema, 'a whole number from 1 to 64', 4),
    fault: fault as Fault,
    runs: num('runs', runsSchema, 'a whole number from 1 to 1000', 5),
    maxRtoS: values['max-rto'] === undefined ? null : num('max-rto', secondsSchema, 'seconds above 0', 0),
    passthrough,
    monitoring: values.monitoring ?? false,
    alertWebhook: webhook ?? null,
    metricsPort: values['metrics-port'] !== undefined ? parseOrExit(int(1024, 65535), values['metrics-port'], '--metrics-port', 'a port from 1024 to 65535') : null,
    monitorUri: values.monitor ?? null,
    formation: values.formation ?? 'default',
    nodeUser: values['node-user'] ?? null,
    nodeDbname: values['node-dbname'] ?? null,
    db: values.db ?? null,
    allowActions: values['allow-actions'] ?? false,
    allowProfile: values['allow-profile'] ?? false,
    route: route ?? null,
    resolve: (values.resolve ?? []).map(parseResolve),
    ...(composeFlag && given === 'auto' ? { backendBy: composeFlag } : {}),
  };
}
