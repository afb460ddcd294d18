// The monitor's events in plain words: one short line per transition ("node2  assigned
// catchingup") instead of its sentences, which name the node three times. Pure, so the wording is
// tested on event texts recorded from a real monitor.
import type { ClusterEvent } from './types.js';

export interface PlainEvent {
  at: number;
  node: string | null;
  /** "assigned catchingup", "reported primary", "marked unhealthy", … */
  words: string;
  /** The state or health the words name (for colour); null when they name none. */
  state: string | null;
  /** The monitor's own sentence. */
  full: string;
}

interface Fields {
  reportedState: string | null;
  goalState: string | null;
}

const NODE_REF = /node \d+ "[^"]*" \([^)]*\)\s*/g;

/** Words for one monitor sentence, with the states its event row (or notification) carries. */
export function sentenceWords(text: string, f: Fields): { words: string; state: string | null } | null {
  let m = /^New state is reported by .* with LSN ([0-9A-F]+\/[0-9A-F]+): (\w+)$/.exec(text);
  if (m) return { words: `reported ${m[2]} at LSN ${m[1]}`, state: m[2]! };
  m = /^New state is reported by .*: "(\w+)"$/.exec(text);
  if (m) return { words: `reported ${m[1]}`, state: m[1]! };
  m = /is marked as (unhealthy|healthy) by the monitor$/.exec(text);
  if (m) return { words: `marked ${m[1]}`, state: m[1] === 'healthy' ? 'good' : 'bad' };
  m = /^Updating candidate priority (?:back )?to (-?\d+) for /.exec(text);
  if (m) return { words: `candidate priority ${m[1]}`, state: null };
  // One sentence may set the goal of two nodes; the event row says which one it is.
  if (text.startsWith('Setting goal state of ') && f.goalState) return { words: `assigned ${f.goalState}`, state: f.goalState };
  return null;
}

/**
 * The election's progress lines: sent on `log` only (no event row, no state notification), and
 * the node they are about is in the sentence.
 */
export function progressWords(text: string): { node: string | null; words: string } | null {
  let m = /^Failover still in progress after (\d+) nodes reported their LSN and we are waiting for (\d+) nodes/.exec(text);
  if (m) return { node: null, words: `election: ${m[1]} LSNs reported, waiting for ${m[2]}` };
  m = /^The current most advanced reported LSN is (\S+), as reported by node \d+ "([^"]*)"/.exec(text);
  if (m) return { node: m[2]!, words: `has the most advanced LSN ${m[1]}` };
  m = /^Active node \d+ "([^"]*)" .*found failover candidate node \d+ "([^"]*)" .*being promoted \(currently "(\w+)"\/"(\w+)"\)/.exec(text);
  if (m) return { node: m[1]!, words: `waits for ${m[2]} (${m[3]} → ${m[4]})` };
  return null;
}

/** A sentence we have no words for, without the node references that make it long. */
export function shortened(text: string): string {
  return text.replace(NODE_REF, '').replace(/\s+/g, ' ').trim();
}

interface Known {
  reported: string | null;
  goal: string | null;
  health: string | null;
}

/** A `state` notification without its sentence: what changed since the node's last event. */
function changeWords(ev: ClusterEvent, prev: Known | undefined): { words: string; state: string | null } {
  const health = ev.health ?? null;
  if (prev && health !== null && prev.health !== null && health !== prev.health && health !== 'unknown') {
    return { words: `marked ${health === 'good' ? 'healthy' : 'unhealthy'}`, state: health };
  }
  if (ev.goalState && ev.goalState !== ev.reportedState && ev.goalState !== prev?.goal) {
    return { words: `assigned ${ev.goalState}`, state: ev.goalState };
  }
  return { words: `reported ${ev.reportedState ?? '?'}`, state: ev.reportedState };
}

/** Live `log` notifications carry no node: they are a state notification's sentence. */
const isBareLog = (e: ClusterEvent) => e.kind === 'log' && e.nodeName === null;

/** How far apart a sentence and its state notification may arrive (same transaction). */
const PAIR_MS = 1000;
/** The same words for the same node this close together: one event seen twice (seed and live). */
const REPEAT_MS = 2000;

/**
 * The events as plain lines, oldest first. The monitor sends each transition twice when it
 * happens — its sentence on `log`, then the node's states on `state` — so a sentence is joined
 * to the state notifications that follow it and name its node, and is not shown again. Rows
 * from `last_events` carry both and stand alone.
 */
export function plainEvents(events: readonly ClusterEvent[]): PlainEvent[] {
  const sentenceOf = new Map<ClusterEvent, string>();
  const joined = new Set<ClusterEvent>();
  events.forEach((ev, i) => {
    if (ev.kind !== 'state' || ev.nodeName === null) return;
    for (let j = i - 1; j >= 0; j--) {
      const before = events[j]!;
      if (ev.at - before.at > PAIR_MS) break;
      if (isBareLog(before) && before.text.includes(`"${ev.nodeName}"`)) {
        sentenceOf.set(ev, before.text);
        joined.add(before);
        break;
      }
    }
  });

  const known = new Map<string, Known>();
  const out: PlainEvent[] = [];
  for (const ev of events) {
    if (joined.has(ev)) continue;
    const fields = { reportedState: ev.reportedState, goalState: ev.goalState };
    const full = sentenceOf.get(ev) ?? ev.text;
    let said: { words: string; state: string | null };
    let node = ev.nodeName;
    let progress: ReturnType<typeof progressWords>;
    if (ev.kind === 'state') {
      said = (sentenceOf.has(ev) ? sentenceWords(full, fields) : null) ?? changeWords(ev, ev.nodeName ? known.get(ev.nodeName) : undefined);
    } else if (isBareLog(ev) && (progress = progressWords(ev.text))) {
      node = progress.node;
      said = { words: progress.words, state: null };
    } else {
      said = sentenceWords(ev.text, fields) ?? { words: shortened(ev.text), state: null };
    }
    if (ev.nodeName) {
      const prev = known.get(ev.nodeName);
      known.set(ev.nodeName, { reported: ev.reportedState, goal: ev.goalState, health: ev.health ?? prev?.health ?? null });
    }
    // Keepers repeat the progress lines every loop; one per node and wording is news enough.
    const repeat = out.slice(-8).some((o) => o.node === node && o.words === said.words && ev.at - o.at <= REPEAT_MS);
    if (repeat) continue;
    out.push({ at: ev.at, node, words: said.words, state: said.state, full });
  }
  return out;
}
