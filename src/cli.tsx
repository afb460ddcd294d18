#!/usr/bin/env node
// Entry point: parse argv, run one command, map failures to one line and an exit code
// (0 ok, 1 a failed start or check, 2 bad input). No stack traces reach the user.
import { writeFileSync } from 'node:fs';
import { render } from 'ink';
import type { ClusterBackend } from './backends/backend.js';
import { UserError } from './backends/backend.js';
import { makeBackend } from './backends/select.js';
import { ClusterPoller } from './cluster/poller.js';
import { statusJson } from './cluster/status.js';
import { HELP, parseFlags, type Config } from './config/flags.js';
import { App } from './ui/App.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Run fn with an AbortSignal that fires on Ctrl+C / SIGTERM, so a start is rolled back. */
async function abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSignal = () => {
    say('interrupted: cleaning up…');
    ac.abort(new UserError('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function up(backend: ClusterBackend): Promise<number> {
  const t0 = Date.now();
  await abortable((signal) => backend.up((s) => say(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`), signal));
  return 0;
}

function poller(backend: ClusterBackend, endpoints: Awaited<ReturnType<ClusterBackend['endpoints']>>, events: boolean) {
  return new ClusterPoller({ endpoints, backend: backend.kind, profile: () => 'default', events, tickBudgetMs: events ? 900 : 3000 });
}

async function status(cfg: Config, backend: ClusterBackend): Promise<number> {
  if (!backend.exists()) throw new UserError(`no lab in ${backend.where}: start one with pgha-tui up`);
  const endpoints = await backend.endpoints();
  const p = poller(backend, endpoints, false);
  try {
    const snap = await p.tick();
    const json = statusJson(snap, endpoints);
    if (cfg.json) {
      process.stdout.write(`${JSON.stringify(json)}\n`);
    } else {
      process.stdout.write(`formation ${json.formation}  primary ${json.primary ?? '(none)'}  monitor ${json.monitorReachable ? 'reachable' : 'UNREACHABLE'}\n`);
      for (const n of json.nodes) {
        process.stdout.write(`${n.name.padEnd(8)} ${String(n.port).padEnd(6)} ${n.reportedState.padEnd(14)} ${n.assignedState.padEnd(14)} ${n.health.padEnd(8)} ${n.readWrite === null ? 'down' : n.readWrite ? 'read-write' : 'read-only'}\n`);
      }
    }
    return 0;
  } finally {
    p.stop();
  }
}

async function consoleCmd(backend: ClusterBackend): Promise<number> {
  if (backend.needsUp()) await up(backend);
  const endpoints = await backend.endpoints();
  const p = poller(backend, endpoints, true);
  p.start();
  // Ctrl+C must reach the keymap (it quits like q), so Ink must not exit on it by itself.
  await new Promise<void>((resolve) => {
    const app = render(<App source={p} backend={backend.kind} profile="default" onQuit={() => app.unmount()} />, {
      exitOnCtrlC: false,
    });
    void app.waitUntilExit().then(() => resolve());
  });
  p.stop();
  // bench:tui reads how many queries the console sent per tick.
  const statsFile = process.env.PGHA_TUI_STATS;
  if (statsFile) writeFileSync(statsFile, JSON.stringify({ ticks: p.ticks, queries: p.queries }));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const cfg = parseFlags(argv);
  if (cfg.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const backend = makeBackend(cfg);
  switch (cfg.command) {
    case 'up':
      return up(backend);
    case 'down':
      await backend.down({ volumes: cfg.volumes }, say);
      return 0;
    case 'status':
      return status(cfg, backend);
    case 'console':
      return consoleCmd(backend);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const code = err instanceof UserError ? err.exitCode : 1;
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    say(`pgha-tui: ${msg}`);
    process.exitCode = code;
  },
);
