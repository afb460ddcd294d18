#!/usr/bin/env node
// Records what the walkthrough sees during a scripted run on a real lab: one JSON line per
// snapshot (node states, priorities, LSNs, timelines, state events), while the CLI performs a
// controlled failover, maintenance on a standby and back, on the primary and back, and a hard
// kill + start. The lessons' unit tests replay these lines. Needs `npm run build` first.
// Usage: node scripts/learn/record-fixture.mjs OUT.jsonl [selection flags of an existing lab]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../../dist/config/flags.js';
import { chooseBackend } from '../../dist/backends/select.js';
import { backendSelection } from '../../dist/backend-selection.js';
import { ClusterPoller } from '../../dist/cluster/poller.js';

const [out, ...flags] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: record-fixture.mjs OUT.jsonl [--lab-dir DIR --base-port P]\n');
  process.exit(2);
}
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
// Asynchronous: the poller must keep ticking while a command waits (maintenance does).
const run = async (...args) => {
  process.stderr.write(`$ pgha-tui ${args.join(' ')}\n`);
  await promisify(execFile)(process.execPath, [cli, ...args, ...flags]);
};
const { backend } = await chooseBackend(backendSelection(parseFlags(['status', ...flags])));
const poller = new ClusterPoller({ endpoints: await backend.endpoints(), backend: backend.kind, profile: () => 'fast', events: true });
const lines = [];
let lastEvent = 0;
poller.subscribe((s) => {
  const events = s.events.filter((e) => e.kind === 'state' && e.at > lastEvent);
  lastEvent = Math.max(lastEvent, ...events.map((e) => e.at));
  lines.push({
    at: s.at,
    primary: s.primary,
    monitorReachable: s.monitor.reachable,
    nodes: s.nodes.map((n) => ({
      name: n.name, reportedState: n.reportedState, assignedState: n.assignedState, health: n.health,
      candidatePriority: n.candidatePriority, reportedLsn: n.reportedLsn, reportedTli: n.reportedTli,
    })),
    events: events.map((e) => ({ at: e.at, nodeName: e.nodeName, reportedState: e.reportedState, goalState: e.goalState })),
  });
});
poller.start();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const settle = async () => {
  for (let i = 0; i < 240; i++) {
    const s = poller.current();
    if (s?.primary && s.nodes.every((n) => n.reportedState === n.assignedState && ['primary', 'secondary'].includes(n.reportedState))) return s;
    await sleep(500);
  }
  throw new Error('the lab did not settle');
};
let s = await settle();
await sleep(2000);
await run('failover');
await sleep(3000);
s = await settle();
const standby = s.nodes.find((n) => n.name !== s.primary).name;
await run('maintenance', 'enable', standby);
await run('maintenance', 'disable', standby);
s = await settle();
const primary = s.primary;
await run('maintenance', 'enable', primary);
await run('maintenance', 'disable', primary);
s = await settle();
const victim = s.primary;
await run('kill', victim);
for (let i = 0; i < 240 && (poller.current()?.primary ?? victim) === victim; i++) await sleep(500);
await run('start', victim);
await sleep(3000);
await settle();
await sleep(2000);
poller.stop();
writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
process.stderr.write(`${lines.length} snapshots written to ${out}\n`);
