// Entry point: parse argv, run one command, map failures to one line and an exit code
// (0 ok, 1 a failed start or check, 2 bad input). No stack traces reach the user.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink';
import type { ClusterBackend, Permission } from './backends/backend.js';
import { formationUriOf, redactUri, uriOf } from './cluster/conn-uri.js';
import type { RouteHost } from './cluster/multi-host.js';
import { ensureOwnTable } from './actions/own-table.js';
import { UserError } from './lib/errors.js';
import { labReport, labText, type LabReport } from './backends/lab-state.js';
import { findTools, which } from './backends/local/env.js';
import { chooseBackend } from './backends/select.js';
import { errorLine } from './cluster/pg.js';
import { backendSelection } from './backend-selection.js';
import { ClusterPoller } from './cluster/poller.js';
import type { Endpoints } from './cluster/types.js';
import { statusJson } from './cluster/status.js';
import { HELP, parseFlags, type Config } from './config/flags.js';
import { App } from './ui/App.js';
import { consoleKeysHelp } from './ui/key-help.js';
import { LiveController } from './actions/controller.js';
import { drill } from './actions/drill.js';
import { exitLines } from './actions/exit-report.js';
import { controlledFailover, controlledPromotion } from './actions/failover.js';
import { setMaintenance, waitForMaintenance } from './actions/maintenance.js';
import { learnSession } from './learn/session.js';
import { applyProfile } from './actions/profile.js';
import { exitCodeFor, leaveAfterHangup, SignalGuard } from './exit-signals.js';
import { ConsoleMetrics } from './actions/console-metrics.js';
import { AlertsPoller } from './cluster/alerts-poller.js';

/**
 * Which backend and lab this command uses, and why. Printed once, before the command's first
 * output or when it ends; a command refused with a UserError prints only its one-line reason.
 */
let startLine: string | null = null;
function announce(): void {
  if (startLine !== null) process.stderr.write(`${startLine}\n`);
  startLine = null;
}

const say = (line: string) => {
  announce();
  process.stderr.write(`${redactUri(line)}\n`);
};

/** Run fn with an AbortSignal that fires on SIGINT, SIGTERM or SIGHUP, so a start is rolled back. */
async function abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const guard = new SignalGuard((sig) => say(`${sig}: cleaning up…`), say);
  try {
    return await fn(guard.signal);
  } finally {
    guard.dispose();
  }
}

async function up(backend: ClusterBackend, profile: string | null = null): Promise<number> {
  const t0 = Date.now();
  await abortable((signal) => backend.up((s) => say(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`), signal));
  if (profile) {
    await applyProfile((await backend.endpoints()).monitorAdmin, profile);
    say(`profile ${profile} applied on the monitor`);
  }
  return 0;
}

/** Refuse, in one line and with exit 2, what this backend does not allow (attach: read-only, no host). */
function permit(backend: ClusterBackend, p: Permission, what: string): void {
  const reason = backend.refusal?.(p);
  if (reason) throw new UserError(`${what}: ${reason}`, 2);
}

/**
 * How the load clients reach the formation when they connect as applications do: the nodes in the
 * order of its multi-host URI. Always in attach mode; on a lab with --route multi-host.
 */
function routeOf(cfg: Config, backend: ClusterBackend, endpoints: Endpoints): RouteHost[] | undefined {
  if (backend.kind === 'attach' && cfg.route === 'monitor') throw new UserError('--route monitor writes the lab\'s healthcare tables: attached, the load uses the multi-host route only', 2);
  if (backend.kind !== 'attach' && cfg.route !== 'multi-host') return undefined;
  return backend.nodeNames().map((name) => ({ name, ci: { ...endpoints.nodes[name]!, ...(cfg.db ? { database: cfg.db } : {}) } }));
}

/** The own table exists (or can be made) before any load starts: one line if the role may not. */
async function prepareRoute(route: RouteHost[]): Promise<void> {
  await ensureOwnTable(route).catch((err: unknown) => {
    throw new UserError(`cannot write the console's own table pgha_tui.writes through the formation's route: ${redactUri((err as Error).message)} (see README "Attach to your own formation")`, 1);
  });
}

function poller(cfg: Config, backend: ClusterBackend, endpoints: Endpoints, events: boolean) {
  return new ClusterPoller({ endpoints, formation: cfg.formation, backend: backend.kind, profile: () => 'default', events, tickBudgetMs: events ? 900 : 3000 });
}

/** Exits 1 on a stopped lab: its JSON still prints, but every node in it is `unknown`. */
async function status(cfg: Config, backend: ClusterBackend, lab: LabReport): Promise<number> {
  if (lab.state === 'none') throw new UserError(`no lab in ${backend.where}: start one with pgha-tui up`);
  const endpoints = await backend.endpoints();
  const p = poller(cfg, backend, endpoints, false);
  try {
    const snap = await p.tick();
    const json = statusJson(snap, endpoints, { where: backend.where, state: lab.state });
    announce();
    if (cfg.json) {
      process.stdout.write(`${JSON.stringify(json)}\n`);
    } else {
      process.stdout.write(`monitor ${json.monitorUri}\n`);
      process.stdout.write(`formation ${json.formation}  primary ${json.primary ?? '(none)'}  monitor ${json.monitorReachable ? 'reachable' : 'UNREACHABLE'}\n`);
      const w = Math.max(8, ...json.nodes.map((n) => n.name.length));
      for (const n of json.nodes) {
        process.stdout.write(`${n.name.padEnd(w)} ${String(n.port).padEnd(6)} ${n.reportedState.padEnd(14)} ${n.assignedState.padEnd(14)} ${n.health.padEnd(8)} ${n.access}\n`);
      }
    }
    return lab.state === 'stopped' ? 1 : 0;
  } finally {
    p.stop();
  }
}

async function consoleCmd(cfg: Config, backend: ClusterBackend): Promise<number> {
  if (cfg.profile) permit(backend, 'profile', `--profile ${cfg.profile}`);
  // Only a brand-new lab is created first (or monitoring asked for and not running yet). An
  // existing one opens as it is, however broken: the console names what is wrong and offers the
  // fix, instead of waiting on a start that cannot end.
  if (!(await backend.exists()) || (cfg.monitoring && !backend.monitoring?.())) await up(backend);
  const endpoints = await backend.endpoints();
  announce();
  let profile = cfg.profile ?? 'default';
  const p = new ClusterPoller({ endpoints, formation: cfg.formation, backend: backend.kind, profile: () => profile, events: true });
  const urls = backend.monitoring?.() ?? null;
  const alerts = urls ? new AlertsPoller(urls) : null;
  const route = routeOf(cfg, backend, endpoints);
  if (route && backend.kind !== 'attach') await prepareRoute(route);
  const controller = new LiveController({ backend, endpoints, poller: p, clients: cfg.clients, alerts, route });
  controller.subscribe((s) => {
    profile = s.profile;
  });
  const learn = learnSession(backend.kind, cfg.labDir, cfg.command === 'learn' && cfg.args[0] ? Number(cfg.args[0]) : null, cfg.command === 'learn');
  const metrics = cfg.metricsPort === null ? null : await serveMetrics(cfg.metricsPort, backend, () => p.current()?.at ?? null);
  if (metrics) controller.subscribe((s) => metrics.metrics.update(s));
  p.start();
  alerts?.start();
  let quit = () => undefined as void;
  // A signal leaves by the same way as q: the screen goes, then the controller cleans up.
  const guard = new SignalGuard(() => quit(), say);
  try {
    // Ctrl+C must reach the key bindings (it quits like q), so Ink must not exit on it by itself.
    await new Promise<void>((resolve) => {
      const app = render(<App source={p} controller={controller} backend={backend.kind} profile={profile} onQuit={() => app.unmount()} learn={learn} />, {
        exitOnCtrlC: false,
        // No incrementalRendering: in Ink 6.8 it moves the cursor up one line too few after a frame
        // that ends in a newline (log-update.js: cursorUp(previousVisible - 1)), so every redraw
        // left the previous header behind. The e2e test counts header lines on the real screen.
      });
      quit = () => app.unmount();
      if (guard.received) quit(); // a signal that came while the first frame was drawn
      void app.waitUntilExit().then(() => resolve());
      void controller.init(cfg.profile ?? undefined).then(() => controller.inspectLab());
    });
    if (guard.received) say(`${guard.received}: leaving the console`);
    const report = await controller.close(say);
    for (const line of exitLines(report)) say(line);
  } finally {
    p.stop();
    alerts?.stop();
    await metrics?.close();
    guard.dispose();
  }
  // bench:tui reads how many queries the console sent per tick.
  const statsFile = process.env.PGHA_TUI_STATS;
  if (statsFile) writeFileSync(statsFile, JSON.stringify({ ticks: p.ticks, queries: p.queries, memory: process.memoryUsage() }));
  await leaveAfterHangup(guard.received);
  return guard.received ? exitCodeFor(guard.received) : 0;
}

/** The console's own /metrics, announced to the lab's Prometheus while it is served. */
async function serveMetrics(port: number, backend: ClusterBackend, snapshotAt: () => number | null) {
  const metrics = new ConsoleMetrics(snapshotAt);
  const srv = await metrics.serve(port).catch((err: Error) => {
    throw new UserError(err.message, 2);
  });
  backend.announceConsoleMetrics?.(port);
  return {
    metrics,
    close: async () => {
      backend.announceConsoleMetrics?.(null);
      await new Promise((r) => srv.close(r));
    },
  };
}

/** The node a command names; `primary` means whichever node reports read-write now. */
async function resolveNode(cfg: Config, backend: ClusterBackend, name: string, allowPrimary: boolean): Promise<string> {
  if (allowPrimary && name === 'primary') {
    const p = poller(cfg, backend, await backend.endpoints(), false);
    try {
      const snap = await p.tick();
      if (!snap.primary) throw new UserError('no node reports read-write right now: there is no primary to kill');
      return snap.primary;
    } finally {
      p.stop();
    }
  }
  if (!backend.nodeNames().includes(name)) {
    throw new UserError(`no node named "${name}" (nodes: ${backend.nodeNames().join(', ')}${allowPrimary ? ', or primary' : ''})`, 2);
  }
  return name;
}

async function requireLab(backend: ClusterBackend): Promise<void> {
  if (!(await backend.exists())) throw new UserError(`no lab in ${backend.where}: start one with pgha-tui up`);
}

function partition(backend: ClusterBackend, node: string, on: boolean): Promise<void> {
  if (!backend.partition) throw new UserError(`network partitions need the compose backend (this lab is ${backend.kind})`, 2);
  return backend.partition(node, on);
}

async function nodeAction(cfg: Config, backend: ClusterBackend): Promise<number> {
  // A name no lab could have is bad input (exit 2), lab or no lab.
  const named = cfg.args[0]!;
  permit(backend, 'host', cfg.command);
  if (!(cfg.command === 'kill' && named === 'primary')) await resolveNode(cfg, backend, named, cfg.command === 'kill');
  await requireLab(backend);
  const node = await resolveNode(cfg, backend, named, cfg.command === 'kill');
  const act: Record<string, () => Promise<void>> = {
    kill: () => backend.kill(node),
    stop: () => backend.stop(node),
    start: () => backend.start(node),
    restart: async () => {
      if ((await backend.processState(node)) !== 'stopped') await backend.stop(node);
      await backend.start(node);
    },
    freeze: () => backend.freeze(node, true),
    thaw: () => backend.freeze(node, false),
    partition: () => partition(backend, node, true),
    heal: () => partition(backend, node, false),
  };
  await act[cfg.command]!();
  say(`${cfg.command} ${node}: done`);
  return 0;
}

/** A standby that cannot rejoin by itself, made again from the primary (compose only). */
async function rebuildCmd(cfg: Config, backend: ClusterBackend): Promise<number> {
  permit(backend, 'host', 'rebuild');
  const node = await resolveNode(cfg, backend, cfg.args[0]!, false);
  if (!backend.rebuild) throw new UserError(`rebuild needs the compose backend (this lab is ${backend.kind}): on a local lab, pgha-tui down --volumes and up make every node again`, 2);
  await requireLab(backend);
  await backend.rebuild(node, say);
  say(`rebuild ${node}: a secondary again`);
  return 0;
}

async function maintenanceCmd(cfg: Config, backend: ClusterBackend, on: boolean, named: string): Promise<number> {
  permit(backend, 'actions', 'maintenance');
  const node = await resolveNode(cfg, backend, named, false);
  await requireLab(backend);
  const { monitor } = await backend.endpoints();
  try {
    await setMaintenance(monitor, cfg.formation, node, on);
  } catch (err) {
    // The monitor's own reason (e.g. too few secondaries left for the quorum) is the line to show.
    throw new UserError(`maintenance ${on ? 'enable' : 'disable'} ${node}: ${errorLine(err)}`, 1);
  }
  say(`maintenance ${on ? 'enable' : 'disable'} ${node}: requested, waiting for ${on ? 'maintenance' : 'secondary'}`);
  await waitForMaintenance(monitor, cfg.formation, node, on, { timeoutMs: 180_000, onChange: (s) => say(`${node}: ${s.reportedState} -> ${s.assignedState}`) });
  say(`${node} is ${on ? 'in maintenance' : 'a secondary again'}`);
  return 0;
}

/** psql as the lab's superuser; the password goes to psql through its environment, not argv. */
async function psqlCmd(cfg: Config, backend: ClusterBackend): Promise<number> {
  if (backend.kind === 'attach') throw new UserError('psql is the lab\'s superuser shell: with your own formation run psql with the URI pgha-tui uri prints', 2);
  await requireLab(backend);
  const endpoints = await backend.endpoints();
  const target = cfg.args[0] ?? 'primary';
  const conn = target === 'monitor' ? endpoints.monitorAdmin : endpoints.nodes[await resolveNode(cfg, backend, target, true)]!;
  const bin = backend.kind === 'local' ? join(findTools().pgBinDir, 'psql') : which('psql');
  if (!bin) throw new UserError('psql not found: sudo apt-get install -y postgresql-client');
  announce();
  const child = spawn(bin, ['-h', conn.host, '-p', String(conn.port), '-U', conn.user, '-d', conn.database, ...cfg.passthrough], {
    stdio: 'inherit',
    env: { ...process.env, ...(conn.password ? { PGPASSWORD: conn.password } : {}) },
  });
  // psql handles Ctrl+C itself (it cancels the query); we only wait for it.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', ignore);
  }
}

async function drillCmd(cfg: Config, backend: ClusterBackend): Promise<number> {
  permit(backend, cfg.fault === 'failover' ? 'actions' : 'host', `drill --fault ${cfg.fault}`);
  permit(backend, 'actions', 'drill (the load test writes)');
  if (cfg.profile) permit(backend, 'profile', `--profile ${cfg.profile}`);
  await requireLab(backend);
  const endpoints = await backend.endpoints();
  const route = routeOf(cfg, backend, endpoints);
  if (route) await prepareRoute(route);
  const guard = new SignalGuard((sig) => say(`${sig}: undoing the fault, stopping the load and checking the ledger…`), say);
  const summary = await drill({
    signal: guard.signal,
    backend,
    endpoints,
    formation: cfg.formation,
    route,
    fault: cfg.fault,
    runs: cfg.runs,
    clients: cfg.clients,
    profile: cfg.profile ?? undefined,
    maxRtoS: cfg.maxRtoS ?? undefined,
    progress: say,
    onRun: (line) => {
      if (cfg.json) process.stdout.write(`${JSON.stringify(line)}\n`);
      else say(`run ${line.run}: ${line.status} client RTO ${line.clientRtoS ?? '–'} s (${line.victim} -> ${line.newPrimary ?? '?'})${line.error ? `: ${line.error}` : ''}`);
    },
  }).finally(() => guard.dispose());
  const { verdict, acknowledgedIds: _ids, runsDetail: _runs, ...rest } = summary;
  const out = { summary: { ...rest, unknownCommitted: verdict.unknownCommitted, interruptedBy: guard.received } };
  if (cfg.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  if (summary.lost > 0) say(`${summary.lost} acknowledged writes LOST`);
  if (cfg.maxRtoS !== null && (summary.maxRtoS ?? Infinity) > cfg.maxRtoS) say(`max client RTO ${summary.maxRtoS} s exceeds --max-rto ${cfg.maxRtoS}`);
  if (guard.received) {
    // Said as checked, not as attempted: a start can be accepted and the node still die at once.
    const victim = summary.runsDetail.at(-1)?.victim;
    const state = victim ? await backend.processState(victim).catch(() => 'unknown') : 'running';
    const undone = state === 'running' || cfg.fault === 'failover' ? 'fault undone' : `fault NOT undone: ${victim} is ${state} (pgha-tui ${state === 'frozen' ? 'thaw' : 'start'} ${victim})`;
    say(`interrupted by ${guard.received}: ${undone}, ledger ${verdict.lost === 0 ? 'ok' : 'NOT ok'} (${verdict.lost} lost of ${verdict.acknowledged} acknowledged); exit ${exitCodeFor(guard.received)}`);
    await leaveAfterHangup(guard.received);
    return exitCodeFor(guard.received);
  }
  return summary.ok ? 0 : 1;
}

/** The monitor's URI and the formation's multi-host URI, without passwords (as pg_autoctl show uri). */
async function uriCmd(backend: ClusterBackend): Promise<number> {
  await requireLab(backend);
  const endpoints = await backend.endpoints();
  const nodes = backend.nodeNames().map((n) => endpoints.nodes[n]!);
  const registered = backend.registeredNodes?.() ?? nodes;
  announce();
  process.stdout.write(`monitor    ${uriOf(endpoints.monitor)}\nformation  ${formationUriOf(registered)}\n`);
  // With --resolve: also the route as pgha-tui takes it from this host.
  if (formationUriOf(nodes) !== formationUriOf(registered)) process.stdout.write(`from here  ${formationUriOf(nodes)}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const cfg = parseFlags(argv);
  if (cfg.help) {
    // The key lines come from the console's bindings, which config does not import.
    process.stdout.write(`${HELP}\n\n${consoleKeysHelp()}\n`);
    return 0;
  }
  const { backend, why } = await chooseBackend(backendSelection(cfg));
  const lab = await labReport(backend);
  const starting = cfg.command === 'up' || cfg.command === 'console' || cfg.command === 'learn';
  startLine = `backend ${backend.kind}: ${why} · ${labText(backend.where, lab, starting)}`;
  switch (cfg.command) {
    case 'up':
      return up(backend, cfg.profile);
    case 'down':
      await backend.down({ volumes: cfg.volumes }, say);
      return 0;
    case 'status':
      return status(cfg, backend, lab);
    case 'console':
    case 'learn':
      return consoleCmd(cfg, backend);
    case 'uri':
      return uriCmd(backend);
    case 'failover':
      permit(backend, 'actions', 'failover');
      await requireLab(backend);
      await controlledFailover((await backend.endpoints()).monitor, cfg.formation);
      say('failover requested: the monitor is moving the primary');
      return 0;
    case 'promote': {
      permit(backend, 'actions', 'promote');
      const node = await resolveNode(cfg, backend, cfg.args[0]!, false);
      await requireLab(backend);
      if (!(await controlledPromotion((await backend.endpoints()).monitor, cfg.formation, node))) {
        say(`${node} is the primary already: nothing done`);
        return 0;
      }
      say(`promotion of ${node} requested: the monitor is moving the primary there`);
      return 0;
    }
    case 'kill':
    case 'stop':
    case 'start':
    case 'restart':
    case 'freeze':
    case 'thaw':
    case 'partition':
    case 'heal':
      return nodeAction(cfg, backend);
    case 'rebuild':
      return rebuildCmd(cfg, backend);
    case 'profile': {
      permit(backend, 'profile', `profile ${cfg.args[0]}`);
      await requireLab(backend);
      const live = await applyProfile((await backend.endpoints()).monitorAdmin, cfg.args[0]!);
      const scope = backend.kind === 'attach' ? ' (formation-wide: every formation on this monitor)' : '';
      say(`profile ${live.name}${scope}: ${live.gucs.map((g) => `${g.name}=${g.value}`).join(' ')}`);
      return 0;
    }
    case 'maintenance':
      return maintenanceCmd(cfg, backend, cfg.args[0] === 'enable', cfg.args[1]!);
    case 'drill':
      return drillCmd(cfg, backend);
    case 'psql':
      return psqlCmd(cfg, backend);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    announce();
    process.exitCode = code;
  },
  (err: unknown) => {
    const code = err instanceof UserError ? err.exitCode : 1;
    if (!(err instanceof UserError)) announce();
    const msg = redactUri(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
    process.stderr.write(`pgha-tui: ${msg}\n`);
    process.exitCode = code;
  },
);
