// The Docker Compose lab the user described, on a real Docker engine: created with README's own
// Compose command, then brought to 1 primary + 2 secondaries and driven by the console's compose
// backend. Without a registry (as on CI) the exporter, Prometheus and Alertmanager are built from
// Debian packages and Grafana is left out.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { drill } from '../../src/actions/drill.js';
import { LoadTest } from '../../src/actions/loadtest.js';
import { SplitBrainWatcher } from '../../src/actions/split-brain.js';
import { applyProfile } from '../../src/actions/profile.js';
import { ComposeBackend } from '../../src/backends/compose/compose-backend.js';
import { COMPOSE_NODES, PROJECT } from '../../src/backends/compose/project.js';
import { findComposeCli } from '../../src/backends/compose/cli.js';
import { loadEnvFile } from '../../src/backends/compose/env-file.js';
import { freeRange } from '../../src/lib/ports.js';
import { ClusterPoller } from '../../src/cluster/poller.js';
import { queryOnce } from '../../src/cluster/pg.js';
import { isReady } from '../../src/cluster/readiness.js';
import type { SplitBrainWatch } from '../../src/actions/types.js';
import type { ConnInfo, Endpoints } from '../../src/cluster/types.js';
import { CLI, ROOT, runCli, sleep } from '../helpers/lab.js';
import { Tmux } from '../helpers/tmux.js';
import { ALERTS, api, dashboard, instant, isConsolePanel, loudRules, metricNames, notified, startWebhook, twoScrapes, watchAlert, type Notification } from './monitoring-checks.js';

const ENV = join(ROOT, '.env.test');
// No --offline: `up` finds out by itself whether a registry answers.
const FLAGS = ['--backend', 'compose', '--compose-env', ENV];
const docker = new Docker();
let backend: ComposeBackend;
let endpoints: Endpoints;

interface Status {
  primary: string | null;
  nodes: Array<{ name: string; port: number; reportedState: string; assignedState: string; readWrite: boolean | null }>;
}

async function status(): Promise<Status> {
  const r = await runCli(['status', '--json', ...FLAGS]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Status;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(1000);
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ''}`);
}

interface OldPrimarySample {
  at: number;
  /** false: the node did not accept the connection or did not answer. */
  answered: boolean;
  primary: boolean;
  writeWaiting: boolean;
}

/** Every 250 ms until stopped: does the node answer, as a primary, and is the watch's write waiting? */
function sampleOldPrimary(ci: ConnInfo, watch: () => SplitBrainWatch): { samples: OldPrimarySample[]; stop: () => Promise<OldPrimarySample[]> } {
  const out: OldPrimarySample[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const r = await queryOnce(ci, 'SELECT NOT pg_is_in_recovery() AS primary', [], { connectTimeoutMs: 2000, queryTimeoutMs: 2000 }).catch(() => null);
      out.push({ at: Date.now(), answered: r !== null, primary: r?.[0]!.primary === true, writeWaiting: watch().pending === 1 });
      await sleep(250);
    }
  })();
  return {
    samples: out,
    stop: async () => {
      on = false;
      await loop;
      return out;
    },
  };
}

/** The first moment after which the node never answered again, or null while it still does. */
function downSince(samples: OldPrimarySample[]): number | null {
  let lastOk = samples.length - 1;
  while (lastOk >= 0 && !samples[lastOk]!.answered) lastOk--;
  const next = samples[lastOk + 1];
  return next && samples.length - lastOk > 4 ? next.at : null;
}

/** README's lines that start with this text, exactly as written there. */
function readmeLine(start: string): string {
  const line = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').find((l) => l.startsWith(start));
  if (!line) throw new Error(`README has no line starting with ${start}`);
  return line;
}

/** Run a README command from the repository root; only Compose v1 here means docker-compose, as README says. */
async function runReadme(line: string): Promise<{ code: number; out: string }> {
  const cli = await findComposeCli();
  const cmd = cli.command === 'docker' ? line : line.replaceAll('docker compose ', 'docker-compose ');
  return new Promise((resolve) => {
    execFile('sh', ['-c', cmd], { cwd: ROOT, timeout: 1_200_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

const README_OFFLINE_UP = 'COMPOSE_FILE=compose/docker-compose.yml:compose/docker-compose.offline.yml docker compose --env-file .env.test up -d --build';

/** For a failure message: the monitor's view and the nodes' last log lines. */
function diagnose(...nodes: string[]): string {
  const run = (cmd: string) => {
    try {
      return execFileSync('sh', ['-c', `${cmd} 2>&1`], { encoding: 'utf8' });
    } catch (err) {
      return String(err);
    }
  };
  const logs = (nodes.length > 0 ? nodes : COMPOSE_NODES.map((n) => n.name)).map((n) => `--- ${n}:\n${run(`docker logs --tail 60 ${n}`)}`);
  return [`--- show-state:\n${run('docker exec pgaf-monitor bash /opt/pgaf/show-state.sh')}`, ...logs].join('\n');
}

/** 1 primary + 2 secondaries within the time; otherwise fail with the monitor's view and every node's log. */
const waitTriple = () =>
  waitFor('1 primary + 2 secondaries', healthyTriple).catch((err: Error) => {
    throw new Error(`${err.message}\n${diagnose()}`);
  });

const healthyTriple = async () => {
  const s = await status();
  return isReady(s.nodes) ? s : null;
};

/**
 * pg_auto_failover 2.0's own ways of leaving an old primary unable to rejoin after a failover that
 * went through fast_forward (README Troubleshooting): the new primary kept the old timeline, so
 * pg_rewind finds nothing to rewind; or the keeper writes a stale recovery target and every start
 * stops before consistency.
 */
const UPSTREAM_STUCK = /pg_rewind: no rewind required|requested recovery stop point is before consistent recovery point|lock file "postmaster.pid" already exists/;

/**
 * The old primary back as a secondary. If after 2 min it is not, and its log since the heal shows
 * one of the upstream failures above, the README's remedy (`pgha-tui rebuild`) must bring it back;
 * anything else fails with every node's log.
 */
async function rejoined(old: string, healedAt: number): Promise<Status> {
  const back = (ms: number) =>
    waitFor('the old primary back as secondary', async () => {
      const st = await healthyTriple();
      return st && st.nodes.find((n) => n.name === old)!.reportedState === 'secondary' ? st : null;
    }, ms);
  try {
    return await back(120_000);
  } catch (err) {
    const since = Math.floor(healedAt / 1000) - 5;
    const log = execFileSync('sh', ['-c', `docker logs --since ${since} ${old} 2>&1 | grep -v 'LOG:  statement'`], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const seen = UPSTREAM_STUCK.exec(log)?.[0];
    if (!seen || (await backend.isPartitioned(old))) throw new Error(`${(err as Error).message}\n${diagnose()}`);
    process.stderr.write(`${old} did not rejoin by itself ("${seen}", pg_auto_failover 2.0): pgha-tui rebuild ${old}, as README Troubleshooting says\n`);
    const r = await runCli(['rebuild', old, ...FLAGS], 600_000);
    expect(r.code, r.stderr).toBe(0);
    return back(60_000).catch((e: Error) => {
      throw new Error(`${e.message} after pgha-tui rebuild\n${diagnose()}`);
    });
  }
}

let upStderr = '';
let webhook: { received: Notification[]; close: () => void } | null = null;

beforeAll(async () => {
  // README's command for a machine without a registry, verbatim: it must create the lab by itself.
  const readme = await runReadme(readmeLine(README_OFFLINE_UP));
  if (readme.code !== 0) throw new Error(`README's offline command failed (${readme.code}): ${readme.out.split('\n').slice(-15).join('\n')}`);
  const r = await runCli(['up', ...FLAGS], 1_200_000);
  upStderr = r.stderr;
  if (r.code !== 0) throw new Error(`compose up failed (${r.code}): ${r.stderr.split('\n').slice(-15).join('\n')}`);
  backend = new ComposeBackend({ envFile: ENV, offline: true });
  endpoints = await backend.endpoints();
  // On the lab gateway, which exists from now on: where the stack's Alertmanager posts.
  webhook = await startWebhook();
});

afterAll(async () => {
  webhook?.close();
  await runCli(['down', '--volumes', ...FLAGS]);
});

describe('the compose lab on a real engine', () => {
  test('bad .env values: exit 2, one line, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-env-'));
    const bad = join(dir, '.env.test');
    writeFileSync(bad, 'LAB_ENV=test\nGRAFANA_ADMIN_PASSWORD=x\nLOAD_SCHEMA=true\nLOAD_TEST_DATA=true\nAPP_USER=admin\nAPP_PASSWORD=admin\nPOSTGRES_PASSWORD=x\nPG_HBA_CIDR=10.0.0.0/99\nLOG_LEVEL=all\n');
    const before = (await docker.listContainers({ all: true })).length;
    const r = await runCli(['up', '--compose-env', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('PG_HBA_CIDR');
    expect((await docker.listContainers({ all: true })).length).toBe(before);
    const prod = await runCli(['up', '--compose-env', join(ROOT, '.env.prod')]);
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('known default password');
    rmSync(dir, { recursive: true, force: true });
  });

  test('without a registry, up says so in one line and builds the exporter, Prometheus and Alertmanager itself', async () => {
    const registry = await docker.getImage('grafana/grafana:10.4.5').inspect().then(() => true, () => false);
    const grafana = (await docker.listContainers({ all: true, filters: { name: ['^/grafana$'] } })).length > 0;
    if (registry) {
      expect(grafana).toBe(true);
    } else {
      expect(upStderr.split('\n').filter((l) => /no registry .*building the exporter, Prometheus and Alertmanager from Debian packages/.test(l))).toHaveLength(1);
      expect(grafana).toBe(false);
      const exporter = await docker.getContainer('postgres-exporter').inspect();
      expect(exporter.Config.Image).toBe('pgha-lab-postgres-exporter:debian');
      expect((await docker.getContainer('alertmanager').inspect()).Config.Image).toBe('pgha-lab-alertmanager:debian');
    }
  });

  test('up gave 1 primary + 2 secondaries with the seed’s names and priorities', async () => {
    const s = await healthyTriple();
    expect(s).not.toBeNull();
    expect(s!.nodes.map((n) => n.name)).toEqual(['postgres-primary', 'postgres-replica1', 'postgres-replica2']);
    expect(s!.nodes.map((n) => n.port)).toEqual([5432, 5433, 5434]);
    const prio = await queryOnce(endpoints.monitor, 'SELECT nodename, candidatepriority FROM pgautofailover.node ORDER BY nodename');
    expect(prio.map((r) => r.candidatepriority)).toEqual([100, 90, 80]);
  });

  test('after two scrapes every dashboard panel returns data; every alert expression parses, reads existing series and is quiet; Prometheus sends to the stack’s Alertmanager', async () => {
    await twoScrapes();
    for (const panel of dashboard().panels.filter((p) => !isConsolePanel(p.title))) {
      for (const t of panel.targets) expect((await instant(t.expr)).length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
    }
    const nodes = await instant('pgha_node_writable{nodename=~"postgres-.*"}');
    const primary = (await status()).primary;
    expect(nodes.map((n) => `${n.metric.nodename}=${n.value[1]}`).sort()).toEqual(
      ['postgres-primary', 'postgres-replica1', 'postgres-replica2'].map((n) => `${n}=${n === primary ? 1 : 0}`),
    );
    // A fresh lab may still show a standby catching up on the dataset for a scrape or two.
    await waitFor('every alert expression empty', async () => (await loudRules()).length === 0, 60_000).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${(await loudRules()).join(', ')}`);
    });
    for (const rule of ALERTS) {
      for (const name of metricNames(rule.expr)) expect((await instant(`count(${name})`)).length, `${rule.name} reads ${name}`).toBe(1);
    }
    const firing = (await api('/api/v1/alerts')).data.alerts.filter((a: { state: string }) => a.state === 'firing');
    expect(firing).toEqual([]);
    const ams = (await api('/api/v1/alertmanagers')).data.activeAlertmanagers as { url: string }[];
    expect(ams.map((a) => new URL(a.url).port)).toEqual(['9093']);
    expect((await fetch('http://127.0.0.1:9093/-/ready')).status).toBe(200);
  }, 120_000);

  test('healthcare data identical on all three nodes, loaded once', async () => {
    const sums = [];
    for (const name of backend.nodeNames()) {
      const rows = await waitFor(`data on ${name}`, async () => {
        const r = await queryOnce(endpoints.nodes[name]!, `SELECT (SELECT count(*) FROM patients)::int AS patients,
          (SELECT md5(string_agg(medical_record_number, ',' ORDER BY patient_id)) FROM patients) AS sum,
          (SELECT count(*) FROM lab_meta WHERE key = 'schema_version')::int AS loads`);
        return r[0]!.patients > 0 ? r : null;
      });
      sums.push(rows[0]);
    }
    expect(sums[0]!.loads).toBe(1);
    expect(sums[1]).toEqual(sums[0]);
    expect(sums[2]).toEqual(sums[0]);
  });

  test('host clients need the password: no trust from outside the lab network', async () => {
    const noPassword = { ...endpoints.nodes['postgres-primary']!, password: undefined };
    await expect(queryOnce(noPassword, 'SELECT 1')).rejects.toThrow(/password/);
    const wrong = { ...endpoints.nodes['postgres-primary']!, password: 'wrong' };
    await expect(queryOnce(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  test('the seed’s show-state command prints the three nodes', async () => {
    const cli = await findComposeCli();
    const out = execFileSync(cli.command, [...cli.prefix, '-p', PROJECT, '--env-file', ENV, '-f', join(ROOT, 'compose/docker-compose.yml'), '-f', join(ROOT, 'compose/docker-compose.offline.yml'), 'exec', '-T', 'pgaf-monitor', 'bash', '/opt/pgaf/show-state.sh'], { cwd: ROOT, encoding: 'utf8' });
    const state = JSON.parse(out) as Array<{ nodename: string; current_group_state: string }>;
    expect(state.map((n) => n.nodename).sort()).toEqual(['postgres-primary', 'postgres-replica1', 'postgres-replica2']);
    expect(state.filter((n) => n.current_group_state === 'primary')).toHaveLength(1);
  });

  test('perform-failover.sh: a new primary and not one error line on a healthy lab; a refused one fails loudly', async () => {
    const before = (await waitTriple()).primary!;
    const line = readmeLine('docker compose --env-file .env.test exec pgaf-monitor bash /opt/pgaf/perform-failover.sh');
    // No terminal here: `exec -T`, as README's troubleshooting says.
    const cmd = line.replace(' exec ', ' exec -T ');
    const first = runReadme(cmd);
    await sleep(300);
    // A second request while the first failover runs: the monitor must refuse it, and we must say so.
    const second = await runReadme(cmd);
    const ok = await first;
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).not.toMatch(/ERROR|WARN|FATAL/);
    expect(ok.out).toMatch(/is the new primary after \d+ s/);
    expect(second.code, second.out).not.toBe(0);
    expect(second.out).toMatch(/FATAL: (the monitor refused the failover: .+|no node of formation default group 0 is primary right now)/);
    const s = await waitTriple();
    expect(s.primary).not.toBe(before);
  });

  test('the exporter’s metrics reach Prometheus', async () => {
    const metrics = await (await fetch('http://127.0.0.1:9187/metrics')).text();
    expect(metrics).toMatch(/pg_auto_failover_node_state_health_code/);
    const series = await waitFor('pg_auto_failover series in Prometheus', async () => {
      const res = (await (await fetch('http://127.0.0.1:9090/api/v1/query?query=pg_auto_failover_node_state_health_code')).json()) as { data: { result: unknown[] } };
      return res.data.result.length >= 3 ? res.data.result : null;
    });
    expect(series.length).toBeGreaterThanOrEqual(3);
  });

  test('kill of the primary under load (default profile): a new primary, 0 lost, the old one back as secondary; no-writable-primary goes pending, fires, reaches the webhook and resolves', async () => {
    const before = (await status()).primary!;
    // The default profile's failover (about a minute) outlasts the alert's `for: 10s`; fast's does not.
    const alert = watchAlert('PghaNoWritablePrimary');
    const d = await drill({ backend, endpoints, fault: 'kill', runs: 1, clients: 4, profile: 'default', healthyTimeoutMs: 120_000, rtoTimeoutMs: 150_000, rejoinTimeoutMs: 120_000 });
    const received = webhook!.received;
    await waitFor('a resolved notification', async () => notified(received, 'PghaNoWritablePrimary', 'resolved'), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; states seen: ${alert.states.join(' ')}; received: ${JSON.stringify(received)}`);
    });
    const states = await alert.stop();
    expect(states.slice(0, 3)).toEqual(['inactive', 'pending', 'firing']);
    expect(states.at(-1)).toBe('inactive');
    expect(notified(received, 'PghaNoWritablePrimary', 'firing')).toBe(true);
    expect(d.failedRuns).toBe(0);
    expect(d.acknowledged).toBeGreaterThan(20);
    expect(d.lost).toBe(0);
    const run = d.runsDetail[0]!;
    expect(run.victim).toBe(before);
    expect(run.newPrimary).not.toBe(before);
    expect(run.phasesS.rejoined).not.toBeNull();
    const s = await waitTriple();
    expect(s.nodes.find((n) => n.name === before)!.reportedState).toBe('secondary');
    // The writable series moved with the primary (within a scrape of the rejoin).
    const writable = await waitFor('one writable node in Prometheus', async () => {
      const w = await instant('pgha_node_writable{nodename=~"postgres-.*"} == 1');
      return w.length === 1 ? w : null;
    }, 15_000);
    expect(writable[0]!.metric.nodename).toBe(run.newPrimary);
  });

  test('partition of the primary under load (fast): failover, 0 split-brain writes, down after network_partition_timeout, heal -> rejoin', async () => {
    const s0 = await waitTriple();
    const old = s0.primary!;
    await applyProfile(endpoints.monitorAdmin, 'fast');
    const poller = new ClusterPoller({ endpoints, backend: 'compose', profile: () => 'fast' });
    const load = new LoadTest({ endpoints, clients: 4 });
    const watcher = new SplitBrainWatcher(old, endpoints.nodes[old]!);
    poller.onEvent((ev) => watcher.onEvent(ev));
    poller.start();
    load.start();
    try {
      await sleep(2000);
      await watcher.start();
      await sleep(1000);
      expect(watcher.state().acknowledged).toBeGreaterThan(0); // the watch really writes
      await backend.partition(old, true);
      const cutAt = Date.now();
      // The check must be able to fail: through its published port (the "clients" network) the
      // cut-off primary stays reachable and still says it is a primary after another node was
      // promoted, with the watch's write waiting for a standby. Only synchronous replication
      // keeps that write from being acknowledged.
      const samples = sampleOldPrimary(endpoints.nodes[old]!, () => watcher.state());
      const promoted = await waitFor('another node promoted', async () => watcher.state().promotedAt !== null && watcher.state().promoted);
      expect(promoted).not.toBe(old);
      // Monitoring keeps working while a node is cut off: the exporter gives up on that node after
      // ~3 s (tcp_retries2) and 2 s dials, instead of hanging every scrape for ~15 min. 20 s
      // leaves room for queueing behind Prometheus's own scrape (measured 4-8 s).
      const scrape = await fetch('http://127.0.0.1:9187/metrics', { signal: AbortSignal.timeout(20_000) });
      expect(await scrape.text()).toMatch(/pg_auto_failover_node_state_health_code/);
      // The keeper shuts the cut-off primary down once it has seen neither the monitor nor a
      // standby for network_partition_timeout (20 s): that, and nothing later, ends the window.
      const down = await waitFor('the cut-off primary stops accepting connections', async () => downSince(samples.samples), 90_000);
      const seen = await samples.stop();
      const windowS = (down - cutAt) / 1000;
      expect(windowS, JSON.stringify(seen.filter((x) => !x.answered).slice(0, 3))).toBeGreaterThanOrEqual(20);
      expect(windowS).toBeLessThanOrEqual(25);
      const promotedAt = watcher.state().promotedAt!;
      const twoPrimaries = seen.filter((x) => x.at > promotedAt && x.answered && x.primary && x.writeWaiting);
      expect(twoPrimaries.length, JSON.stringify(seen.slice(-5))).toBeGreaterThan(0);
      expect(watcher.state().afterPromotion).toBe(0);
    } finally {
      await backend.partition(old, false).catch(() => undefined);
    }
    const healedAt = Date.now();
    const final = await watcher.stop();
    expect(final.afterPromotion).toBe(0);
    const verdict = await load.stop();
    poller.stop();
    expect(verdict.lost).toBe(0);
    const s = await rejoined(old, healedAt);
    expect(s.primary).not.toBe(old);
  });

  test('the real console on this lab, opened on lesson 9: the pane names p, p asks and cuts the primary off, the split-brain watch counts 0, p heals, the lesson completes', async () => {
    const s0 = await waitTriple();
    const old = s0.primary!;
    const tmux = new Tmux('pgha-compose-e2e');
    // The walkthrough keeps its progress under $XDG_STATE_HOME: a directory of this test's own.
    const state = mkdtempSync(join(tmpdir(), 'pgha-compose-learn-'));
    const step = (k: number) => (sc: string) => sc.includes('lesson 9 of 9') && sc.includes(`step ${k} of 3`);
    let healedAt = Date.now();
    try {
      // 110 columns: the walkthrough sits under the table, so a wrapped watch line reads as one.
      tmux.start(`env XDG_STATE_HOME=${state} ${process.execPath} ${CLI} learn 9 ${FLAGS.join(' ')}`, 110, 50);
      await tmux.waitFor((sc) => sc.includes('read-write') && step(1)(sc) && sc.includes('press p'), 30_000);
      // The header counts the stack's firing alerts, read from its Prometheus.
      await tmux.waitFor((sc) => /alerts \d+ firing/.test(sc), 15_000);
      // The step marks the primary's row (*); rows are sorted by name, like status --json, and the
      // first row starts selected. One key per read: Ink may take "\x1b[Bp" together as one sequence.
      const marked = new RegExp(`[*›]\\s+${old}\\s`);
      await tmux.waitFor((sc) => marked.test(sc), 10_000);
      for (let i = 0; i < s0.nodes.findIndex((n) => n.name === old); i++) {
        tmux.keys('Down');
        await sleep(300);
      }
      tmux.keys('p');
      await tmux.waitFor((sc) => sc.includes(`Cut ${old}`) && sc.includes('off the lab network?'), 5_000);
      tmux.keys('y');
      // Step 2 waits for the monitor to promote another node; step 3 reads the watch's count.
      await tmux.waitFor((sc) => step(2)(sc) || step(3)(sc), 30_000);
      const watch = new RegExp(`split-brain watch on ${old}: 0 writes acknowledged after the promotion.*promoted \\d+ s ago`);
      // The watch line wraps at the terminal's width once its numbers grow: read the screen as one line.
      await tmux.waitFor((sc) => watch.test(sc.replace(/\s+/g, ' ')), 120_000);
      await tmux.waitFor((sc) => step(3)(sc) && sc.replace(/\s+/g, ' ').includes('Writes after the promotion: 0.') && sc.includes('press p'), 30_000);
      tmux.keys('p');
      await tmux.waitFor((sc) => sc.includes(`${old} reconnected; split-brain writes: 0`), 30_000);
      healedAt = Date.now();
      // Healing ends the lesson: the last one, so the walkthrough is through.
      await tmux.waitFor((sc) => sc.includes('Every lesson is done.'), 30_000);
      const progress = JSON.parse(readFileSync(join(state, 'pgha-tui', 'compose-learn.json'), 'utf8')) as { lesson: number };
      expect(progress.lesson).toBeGreaterThanOrEqual(8);
      tmux.keys('q');
      await tmux.waitFor(() => !tmux.alive(), 15_000);
    } finally {
      tmux.kill();
      rmSync(state, { recursive: true, force: true });
    }
    const s = await rejoined(old, healedAt);
    expect(s.primary).not.toBe(old);
    expect(await backend.isPartitioned(old)).toBe(false);
  });

  test('rebuild: a standby is made again from the primary (same name, priority and data); the primary and a bad name are refused', async () => {
    const s0 = await waitTriple();
    const standby = s0.nodes.find((n) => n.name !== s0.primary)!.name;
    const refused = await runCli(['rebuild', s0.primary!, ...FLAGS]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${s0.primary} is the primary: only a standby is rebuilt`);
    expect((await runCli(['rebuild', 'nodeX', ...FLAGS])).code).toBe(2);
    const nodeId = async () => (await queryOnce<{ nodeid: string }>(endpoints.monitor, 'SELECT nodeid::text FROM pgautofailover.node WHERE nodename = $1', [standby]))[0]?.nodeid;
    const created = async () => ((await docker.getVolume(`${PROJECT}_${standby}`).inspect()) as unknown as { CreatedAt: string }).CreatedAt;
    const [idBefore, volumeBefore] = [await nodeId(), await created()];
    const r = await runCli(['rebuild', standby, ...FLAGS], 600_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rebuild ${standby}: a secondary again`);
    // A new volume and a new registration: a fresh clone, not a restart of the old node.
    expect(await created()).not.toBe(volumeBefore);
    expect(await nodeId()).not.toBe(idBefore);
    const s = await waitTriple();
    expect(s.primary).toBe(s0.primary);
    const again = (await queryOnce<{ candidate_priority: number }>(endpoints.monitor, 'SELECT candidatepriority AS candidate_priority FROM pgautofailover.node WHERE nodename = $1', [standby]))[0];
    expect(again?.candidate_priority).toBe(({ 'postgres-primary': 100, 'postgres-replica1': 90, 'postgres-replica2': 80 } as Record<string, number>)[standby]);
    // It replays the primary's data: the dataset's row count is the same on both.
    const count = async (n: string) => (await queryOnce<{ n: string }>(endpoints.nodes[n]!, 'SELECT count(*)::text AS n FROM lab_meta'))[0]!.n;
    await waitFor('the rebuilt standby has the primary’s rows', async () => (await count(standby)) === (await count(s0.primary!)));
  });

  test('README’s compose Quick start, verbatim, from a fresh clone: npm ci, up on this lab, the console', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const from = readme.indexOf('The compose lab on a machine with Docker and no registry');
    expect(from).toBeGreaterThan(0);
    const lines = /```sh\n([\s\S]*?)```/.exec(readme.slice(from))![1]!.split('\n').map((l) => l.replace(/\s#.*$/, '').trim()).filter(Boolean);
    // The first line sets up an engine; README: "skip the first line where an engine already runs".
    expect(lines[0]).toBe('bash scripts/ci/docker-setup.sh');
    expect(lines.slice(1)).toEqual(['npx pgha-tui up --compose-env .env.test', 'npx pgha-tui --compose-env .env.test']);
    const parent = mkdtempSync(join(tmpdir(), 'pgha-compose-readme-'));
    const clone = join(parent, 'clone');
    const tmux = new Tmux('pgha-compose-readme');
    const sh = (cmd: string, timeout: number) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile('sh', ['-c', cmd], { cwd: clone, timeout, maxBuffer: 64 << 20, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
        });
      });
    try {
      execFileSync('git', ['clone', '--quiet', ROOT, clone]);
      const ci = await sh('npm ci --no-audit --no-fund', 600_000);
      expect(ci.code, ci.out.split('\n').slice(-15).join('\n')).toBe(0);
      const up = await sh(lines[1]!, 900_000);
      expect(up.code, up.out.split('\n').slice(-15).join('\n')).toBe(0);
      expect(up.out).toMatch(/^backend compose: /m);
      const exitFile = join(parent, 'console-exit');
      tmux.start(`cd ${clone} && ${lines[2]}; echo $? > ${exitFile}; sleep 30`, 160, 45);
      await tmux.waitFor((sc) => sc.includes('read-write') && COMPOSE_NODES.every((n) => sc.includes(n.name)), 60_000);
      tmux.keys('q');
      await waitFor('the console to exit', async () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : null), 30_000);
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    } finally {
      tmux.kill();
      rmSync(parent, { recursive: true, force: true });
    }
    await waitTriple();
  }, 1_200_000);

  // Attached as a user would be from this host: the monitor through its published port, as
  // postgres with the .env file's password (scram through the Docker gateway), no Docker API.
  describe('attach to the compose lab through its published monitor port', () => {
    const MONITOR_URI = 'postgres://postgres@127.0.0.1:5431/pg_auto_failover';
    // The password only in the environment; no password file of this host's user gets a say.
    const attachEnv = () => ({ PGPASSWORD: loadEnvFile(ENV).postgresPassword, PGPASSFILE: join(tmpdir(), 'pgha-no-passfile') });
    const attach = (args: string[], env: NodeJS.ProcessEnv = attachEnv()) => runCli([...args, '--monitor', MONITOR_URI], 300_000, env);
    /** --resolve for every node: its registered address to the port it publishes on 127.0.0.1. */
    let published: string[] = [];
    const table = (s: Status & Record<string, unknown>, ports = true) => ({
      primary: s.primary,
      nodes: s.nodes.map(({ lsn: _l, lagBytes: _b, lagSeconds: _s, port, ...rest }: Record<string, unknown>) => (ports ? { port, ...rest } : rest)),
    });

    beforeAll(async () => {
      await waitTriple();
      const rows = await queryOnce(endpoints.monitor, 'SELECT nodename, nodehost, nodeport FROM pgautofailover.node ORDER BY nodename');
      published = rows.map((r) => `${r.nodehost}:${r.nodeport}=127.0.0.1:${endpoints.nodes[r.nodename]!.port}`);
    });

    test('nodes at their registered lab addresses (the bridge is this host’s): the same table as the compose backend', async () => {
      const viaCompose = await status();
      const r = await attach(['status', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const viaAttach = JSON.parse(r.stdout) as Status & Record<string, unknown>;
      expect(viaAttach.backend).toBe('attach');
      expect(table(viaAttach, false)).toEqual(table(viaCompose as Status & Record<string, unknown>, false));
      // Registered as 172.28.0.10-12, each on 5432: not the ports published on the host.
      expect(viaAttach.nodes.map((n) => n.port)).toEqual([5432, 5432, 5432]);
      expect(r.stderr).toMatch(/^backend attach: --monitor \(read-only\)/);
    });

    test('--resolve: nodes through their published ports, the same table with the same ports; uri names both routes', async () => {
      const flags = published.flatMap((p) => ['--resolve', p]);
      const r = await attach(['status', '--json', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      expect(table(JSON.parse(r.stdout))).toEqual(table((await status()) as Status & Record<string, unknown>));
      const u = await attach(['uri', ...flags]);
      expect(u.code, u.stderr).toBe(0);
      expect(u.stdout).toMatch(/^formation  postgres:\/\/postgres@172\.28\.0\.1\d:5432,172\.28\.0\.1\d:5432,172\.28\.0\.1\d:5432\/healthcare_db\?target_session_attrs=read-write/m);
      expect(u.stdout).toMatch(/^from here  postgres:\/\/postgres@127\.0\.0\.1:543\d,127\.0\.0\.1:543\d,127\.0\.0\.1:543\d\/healthcare_db\?target_session_attrs=read-write/m);
      expect(`${u.stdout}${u.stderr}${r.stderr}`).not.toContain(loadEnvFile(ENV).postgresPassword);
    });

    test('--resolve is what the probes use: a node resolved to a closed port is down, the others answer', async () => {
      const closed = await freeRange(1, 31000);
      const [first, ...rest] = published;
      const wrong = first!.replace(/=.*$/, `=127.0.0.1:${closed}`);
      const r = await attach(['status', '--json', '--resolve', wrong, ...rest.flatMap((p) => ['--resolve', p])]);
      expect(r.code, r.stderr).toBe(0);
      const nodes = (JSON.parse(r.stdout) as { nodes: Array<{ port: number; access: string; readWrite: boolean | null }> }).nodes;
      expect(nodes.filter((n) => n.port === closed).map((n) => [n.access, n.readWrite])).toEqual([['down', null]]);
      expect(nodes.filter((n) => n.port !== closed).every((n) => n.readWrite !== null)).toBe(true);
    });

    test('without the password: exit 1, one line (host clients need scram)', async () => {
      const r = await attach(['status', '--json'], { PGPASSWORD: '', PGPASSFILE: join(tmpdir(), 'pgha-no-passfile') });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^pgha-tui: monitor postgres:\/\/postgres@127\.0\.0\.1:5431\/pg_auto_failover\?sslmode=prefer does not answer: .*password/);
    });

    test('--allow-actions: drill --fault failover over the multi-host route through the published ports, 0 lost', async () => {
      const before = (await waitTriple()).primary!;
      const r = await attach(['drill', '--fault', 'failover', '--runs', '1', '--json', '--allow-actions', ...published.flatMap((p) => ['--resolve', p])]);
      expect(r.code, r.stderr.split('\n').slice(-10).join('\n')).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const run = lines[0] as { status: string; victim: string; newPrimary: string };
      const summary = (lines.at(-1) as { summary: { runs: number; lost: number; acknowledged: number } }).summary;
      expect(run.victim).toBe(before);
      expect(run.newPrimary).not.toBe(before);
      expect(summary).toMatchObject({ runs: 1, lost: 0 });
      expect(summary.acknowledged).toBeGreaterThan(0);
      const s = await waitTriple();
      expect(s.primary).toBe(run.newPrimary);
    });
  });

  test('down --volumes leaves no container, volume or network of the lab', async () => {
    const r = await runCli(['down', '--volumes', ...FLAGS]);
    expect(r.code, r.stderr).toBe(0);
    const label = { label: [`com.docker.compose.project=${PROJECT}`] };
    expect(await docker.listContainers({ all: true, filters: label })).toEqual([]);
    expect((await docker.listVolumes({ filters: label })).Volumes ?? []).toEqual([]);
    expect(await docker.listNetworks({ filters: label })).toEqual([]);
  });

  test('Ctrl+C in the middle of up: exit 1, and nothing of the lab is left', async () => {
    const child = spawn(process.execPath, [CLI, 'up', ...FLAGS], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait until compose is creating containers, then interrupt.
    await waitFor('compose creating containers', async () => /Creating|Starting|health/.test(stderr), 120_000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('interrupted');
    const label = { label: [`com.docker.compose.project=${PROJECT}`] };
    // Nothing left now, and nothing that was still being created turns up later either.
    for (let i = 0; i < 10; i++) {
      expect(await docker.listContainers({ all: true, filters: label })).toEqual([]);
      await sleep(1000);
    }
    expect((await docker.listVolumes({ filters: label })).Volumes ?? []).toEqual([]);
    expect(await docker.listNetworks({ filters: label })).toEqual([]);
  });
});
