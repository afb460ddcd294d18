#!/usr/bin/env node
// Records what the walkthrough sees while the console's own controller (LiveController, no Ink)
// drives a real lab: the load started, run and stopped (ledger verdict), the profile switched to
// fast and an RTO run (`t`), the profile switched back and a second run, the load stopped again.
// One JSON line per snapshot: the snapshot fields the lessons read, its new state events, and the
// parts of the console state the lessons read that changed since the previous line (the replay
// carries the others forward). Needs `npm run build`.
// With --partition (compose only) it records lesson 9 instead: the fast profile, the primary cut
// off (split-brain watch and load on), another node promoted, the cut healed, the lab settled.
// Usage: node scripts/learn/record-console.mjs OUT.jsonl [--partition] [selection flags of an existing lab]
// (the usual flags choose the backend: --backend compose records on the compose lab).
import { writeFileSync } from 'node:fs';
import { parseFlags } from '../../dist/config/flags.js';
import { chooseBackend } from '../../dist/backends/select.js';
import { backendSelection } from '../../dist/backend-selection.js';
import { ClusterPoller } from '../../dist/cluster/poller.js';
import { LiveController } from '../../dist/actions/controller.js';

const [out, ...rest] = process.argv.slice(2);
const partitionRun = rest.includes('--partition');
const flags = rest.filter((f) => f !== '--partition');
if (!out || out.startsWith('-')) {
  process.stderr.write('usage: record-console.mjs OUT.jsonl [--partition] [--backend local|compose --lab-dir DIR --base-port P ...]\n');
  process.exit(2);
}
const say = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Bad flags or no lab: one line, exit 2 for what the user typed (as the CLI does). */
const fail = (err) => {
  say(err.message.split('\n')[0]);
  process.exit(err.exitCode ?? 1);
};
let selection;
try {
  selection = backendSelection(parseFlags(['status', ...flags]));
} catch (err) {
  fail(err);
}
const { backend } = await chooseBackend(selection).catch(fail);
if (partitionRun && typeof backend.partition !== 'function') fail(Object.assign(new Error('--partition needs the compose lab (--backend compose)'), { exitCode: 2 }));
if (!(await backend.exists())) fail(new Error(`no lab in ${backend.where}: start one with pgha-tui up (same flags)`));
const endpoints = await backend.endpoints();
let profile = 'default';
const poller = new ClusterPoller({ endpoints, backend: backend.kind, profile: () => profile, events: true });
const controller = new LiveController({ backend, endpoints, poller, clients: 4 });
controller.subscribe((s) => {
  profile = s.profile;
});

/** An RTO run as the lessons read it: phases by name and time only. */
const runOf = (r) =>
  r && {
    id: r.id, fault: r.fault, victim: r.victim, newPrimary: r.newPrimary, startedAt: r.startedAt, clientRtoS: r.clientRtoS, status: r.status,
    phases: r.phases.map((p) => ({ name: p.name, at: p.at })),
  };
const consoleOf = (c) => ({
  profile: c.profile,
  gucs: c.gucs.map((g) => ({ name: g.name, value: g.value })),
  load: c.load && { running: c.load.running, acknowledged: c.load.acknowledged },
  verdict: c.verdict && { checkedAt: c.verdict.checkedAt, acknowledged: c.verdict.acknowledged, lost: c.verdict.lost, unknown: c.verdict.unknown, unknownCommitted: c.verdict.unknownCommitted },
  rto: { current: runOf(c.rto.current), history: c.rto.history.map(runOf) },
  processes: c.processes,
  partitioned: c.partitioned,
  splitBrain: c.splitBrain && { node: c.splitBrain.node, running: c.splitBrain.running, promotedAt: c.splitBrain.promotedAt, promoted: c.splitBrain.promoted, afterPromotion: c.splitBrain.afterPromotion },
});

const lines = [];
let lastEvent = 0;
let lastConsole = {};
poller.subscribe((s) => {
  const events = s.events.filter((e) => e.kind === 'state' && e.at > lastEvent);
  lastEvent = Math.max(lastEvent, ...events.map((e) => e.at));
  const line = {
    at: s.at,
    primary: s.primary,
    monitorReachable: s.monitor.reachable,
    nodes: s.nodes.map((n) => ({
      name: n.name, reportedState: n.reportedState, assignedState: n.assignedState, health: n.health,
      candidatePriority: n.candidatePriority, reportedLsn: n.reportedLsn, reportedTli: n.reportedTli, lagBytes: n.lagBytes,
    })),
    events: events.map((e) => ({ at: e.at, nodeName: e.nodeName, reportedState: e.reportedState, goalState: e.goalState })),
  };
  // Only what changed: the gucs, the history and the processes change a few times in a run.
  const changed = {};
  for (const [k, v] of Object.entries(consoleOf(controller.state()))) {
    const text = JSON.stringify(v);
    if (text !== lastConsole[k]) changed[k] = v;
    lastConsole[k] = text;
  }
  if (Object.keys(changed).length > 0) line.console = changed;
  lines.push(line);
});

const settle = async () => {
  for (let i = 0; i < 240; i++) {
    step();
    const s = poller.current();
    if (s?.primary && s.nodes.every((n) => n.reportedState === n.assignedState && ['primary', 'secondary'].includes(n.reportedState))) return s;
    await sleep(500);
  }
  throw new Error('the lab did not settle');
};
/** Fails loudly when an action ended in an error message (the recording would be wrong). */
const check = (what) => {
  const m = controller.state().message;
  if (m?.level === 'error') throw new Error(`${what}: ${m.text}`);
  say(`${what}: ${m?.text ?? 'done'}`);
};

let failed = null;
// Ctrl+C or a kill mid-run: the same way out as an error (the run's victim is restored).
let interrupted = null;
const interrupt = (signal) => {
  interrupted = signal;
  say(`${signal}: stopping`);
  // t again aborts a running measurement; with none running it would start one.
  if (controller.state().rto.current?.status === 'running') controller.toggleRto().catch(() => undefined);
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);
const step = () => {
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
};
/** Lessons 2, 4, 6 and 7: load and ledger, then an RTO run with each profile. */
async function loadAndRtoRuns() {
  await controller.toggleLoad();
  check('load started');
  step();
  // Long enough to watch the lag move for a while after the first 1000 writes.
  for (let i = 0; i < 60 && (controller.state().load?.acknowledged ?? 0) < 2000; i++) await sleep(500);
  await sleep(12000);
  await controller.toggleLoad();
  check('load stopped, ledger checked');
  step();
  await sleep(3000);
  for (const want of ['fast', 'default']) {
    await controller.nextProfile();
    if (controller.state().profile !== want) throw new Error(`the profile is ${controller.state().profile}, not ${want}`);
    check(`profile ${want}`);
    await sleep(2000);
    await settle();
    step();
    await controller.toggleRto();
    step();
    check(`RTO run with ${want}`);
    await sleep(3000);
  }
  await controller.toggleLoad();
  check('load stopped, ledger checked');
  await sleep(3000);
}

/** Lesson 9 (compose): the primary cut off with the fast profile, a promotion, the heal. */
async function partitionOfThePrimary() {
  while (controller.state().profile !== 'fast') await controller.nextProfile();
  check('profile fast');
  await sleep(2000);
  const victim = (await settle()).primary;
  await controller.togglePartition(victim);
  check(`${victim} cut off`);
  for (let i = 0; i < 240 && controller.state().splitBrain?.promotedAt == null; i++) {
    step();
    await sleep(500);
  }
  if (controller.state().splitBrain?.promotedAt == null) throw new Error('no node was promoted');
  // Past the 20 s in which the cut-off primary stops itself: both sides of the window recorded.
  await sleep(25000);
  step();
  await controller.togglePartition(victim);
  check(`${victim} healed`);
  // Lesson 9 ends at the heal; its rejoin is not waited for (pg_auto_failover 2.0 sometimes needs
  // `pgha-tui rebuild` for it, see README Troubleshooting).
  await sleep(8000);
  if (controller.state().load?.running) await controller.toggleLoad();
  await sleep(2000);
}

try {
  poller.start();
  await settle();
  await controller.init('default');
  check('profile default');
  step();
  await sleep(3000);
  await (partitionRun ? partitionOfThePrimary() : loadAndRtoRuns());
} catch (err) {
  failed = err;
} finally {
  // Whatever happened: the run is aborted (its victim restored) and the clients stop.
  const report = await controller.close(say);
  if (report.abortedRun && !report.abortedRun.restored) say(`the RTO victim ${report.abortedRun.victim} was not restored`);
  poller.stop();
}
if (failed) {
  say(`recording failed: ${failed.message}`);
  process.exit(1);
}
writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
say(`${lines.length} snapshots written to ${out}`);
process.exit(0);
