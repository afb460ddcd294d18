// Event lines in plain words, on what a real monitor said: the event table and the LISTEN
// notifications recorded from one local lab (fast profile) through a controlled failover, a kill,
// the victim's restart and three `drill --fault kill` runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapLastEvent, parseNotification } from '../../src/cluster/monitor.js';
import { plainEvents, progressWords, sentenceWords, shortened } from '../../src/cluster/event-words.js';
import type { ClusterEvent } from '../../src/cluster/types.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const tableEvents: ClusterEvent[] = (JSON.parse(fixture('monitor-events.json')) as Record<string, unknown>[]).map(mapLastEvent);
const notes = fixture('monitor-notifications.jsonl')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { at: number; channel: string; payload: string });
const liveEvents: ClusterEvent[] = notes.map((n) => parseNotification(n.channel, n.payload, n.at)!);

const NODE_REF = /node \d+ "[^"]*" \(/;
const brief = (es: ReturnType<typeof plainEvents>) => es.map((e) => `${e.node ?? '-'}  ${e.words}`);

describe('sentenceWords', () => {
  it('says who did what in two or three words, states taken from the event row', () => {
    const none = { reportedState: null, goalState: null };
    expect(sentenceWords('New state is reported by node 3 "node2" (127.0.0.1:23462): "primary"', none)).toEqual({ words: 'reported primary', state: 'primary' });
    expect(sentenceWords('New state is reported by node 1 "node1" (127.0.0.1:23461) with LSN 0/5003168: report_lsn', none)).toEqual({
      words: 'reported report_lsn at LSN 0/5003168',
      state: 'report_lsn',
    });
    expect(sentenceWords('Node node 2 "node3" (127.0.0.1:23463) is marked as unhealthy by the monitor', none)?.words).toBe('marked unhealthy');
    expect(sentenceWords('Updating candidate priority back to 100 for node 1 "node1" (127.0.0.1:23461)', none)?.words).toBe('candidate priority 100');
    // One sentence sets two nodes' goals: each event row names its own.
    const both = 'Setting goal state of node 3 "node2" (127.0.0.1:23462) to demote_timeout and node 1 "node1" (127.0.0.1:23461) to stop_replication after node 1 "node1" (127.0.0.1:23461) converged to prepare_promotion.';
    expect(sentenceWords(both, { reportedState: 'primary', goalState: 'demote_timeout' })?.words).toBe('assigned demote_timeout');
    expect(sentenceWords(both, { reportedState: 'prepare_promotion', goalState: 'stop_replication' })?.words).toBe('assigned stop_replication');
    expect(sentenceWords('Setting goal state of node 1 "node1" (127.0.0.1:23461) to draining', none)).toBeNull();
  });

  it('reads the election progress that only the log channel carries', () => {
    expect(progressWords('Failover still in progress after 1 nodes reported their LSN and we are waiting for 1 nodes to report')?.words).toBe(
      'election: 1 LSNs reported, waiting for 1',
    );
    expect(
      progressWords('Active node 2 "node3" (127.0.0.1:23463) found failover candidate node 3 "node2" (127.0.0.1:23462) being promoted (currently "report_lsn"/"prepare_promotion")'),
    ).toEqual({ node: 'node3', words: 'waits for node2 (report_lsn → prepare_promotion)' });
    expect(progressWords('New state is reported by node 3 "node2" (127.0.0.1:23462): "primary"')).toBeNull();
    expect(shortened('Something new about node 3 "node2" (127.0.0.1:23462) happened')).toBe('Something new about happened');
  });
});

describe('plainEvents on the recorded event table (last_events rows)', () => {
  const plain = plainEvents(tableEvents);

  it('has a line for every row, none naming a node by its long reference', () => {
    expect(plain).toHaveLength(tableEvents.length);
    for (const e of plain) expect(e.words).not.toMatch(NODE_REF);
    expect(plain.map((e) => e.full)).toEqual(tableEvents.map((e) => e.text));
  });

  it('tells the controlled failover as it happened', () => {
    const start = plain.findIndex((e) => e.full.includes('user-initiated failover'));
    const end = plain.findIndex((e, i) => i > start && e.node === 'node2' && e.words === 'reported primary');
    expect(brief(plain.slice(start, end + 1))).toEqual([
      'node1  assigned draining',
      'node1  candidate priority -1',
      'node1  reported draining',
      'node1  assigned report_lsn',
      'node3  assigned report_lsn',
      'node2  assigned report_lsn',
      'node1  marked unhealthy',
      'node3  reported report_lsn at LSN 0/50010A0',
      'node1  marked healthy',
      'node2  reported report_lsn at LSN 0/50010A0',
      'node1  reported report_lsn at LSN 0/5001028',
      'node1  candidate priority 100',
      'node2  assigned prepare_promotion',
      'node2  reported prepare_promotion',
      'node2  assigned wait_primary',
      'node3  assigned join_secondary',
      'node1  assigned join_secondary',
      'node2  reported wait_primary',
      'node3  reported join_secondary',
      'node3  assigned secondary',
      'node1  reported join_secondary',
      'node1  assigned secondary',
      'node3  reported secondary',
      'node2  assigned primary',
      'node1  reported secondary',
      'node2  reported primary',
    ]);
  });

  it('a row seen again live (seeded after LISTEN) is shown once', () => {
    const row = tableEvents.find((e) => e.text.includes('to catchingup'))!;
    const liveLog: ClusterEvent = { ...row, at: row.at + 40, nodeName: null, nodeId: null, reportedState: null, goalState: null };
    const liveState: ClusterEvent = { ...row, at: row.at + 41, kind: 'state', text: 'x', health: 'good' };
    expect(brief(plainEvents([row, liveLog, liveState]))).toEqual([`${row.nodeName}  assigned catchingup`]);
  });
});

describe('plainEvents on the recorded notifications (LISTEN state and log)', () => {
  const plain = plainEvents(liveEvents);
  const states = liveEvents.filter((e) => e.kind === 'state');

  it('joins each state notification to the sentence sent just before it: one line per transition', () => {
    const transitions = plain.filter((e) => e.full !== e.words && /^(New state|Setting goal|Node |Updating)/.test(e.full));
    expect(transitions).toHaveLength(states.length);
    // No line repeats the notification's own "a -> b (health …)" form or a bare sentence.
    for (const e of plain) {
      expect(e.words).not.toMatch(/->|\(health/);
      expect(e.words).not.toMatch(NODE_REF);
    }
  });

  it('tells each transition in the same words as the event table does', () => {
    const from = liveEvents[0]!.at - 50;
    const fromTable = brief(plainEvents(tableEvents).filter((e) => e.at >= from));
    const transitions = brief(plain.filter((e) => e.node !== null && !e.words.startsWith('waits for') && !e.words.startsWith('has the most')));
    expect(transitions).toEqual(fromTable.slice(0, transitions.length));
    expect(transitions).toHaveLength(liveEvents.filter((e) => e.kind === 'state').length);
  });

  it('shows the election progress once per wording, not once per keeper loop', () => {
    const progress = liveEvents.filter((e) => e.text.startsWith('Failover still in progress'));
    const shown = plain.filter((e) => e.words.startsWith('election:'));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(progress.length);
  });

  it('without its sentence, a state notification says what changed since the last one', () => {
    const base = { kind: 'state' as const, nodeName: 'node2', nodeId: 3, text: '' };
    const seq: ClusterEvent[] = [
      { ...base, at: 1000, reportedState: 'primary', goalState: 'primary', health: 'good' },
      { ...base, at: 5000, reportedState: 'primary', goalState: 'primary', health: 'bad' },
      { ...base, at: 9000, reportedState: 'primary', goalState: 'draining', health: 'bad' },
      { ...base, at: 13000, reportedState: 'draining', goalState: 'draining', health: 'bad' },
    ];
    expect(brief(plainEvents(seq))).toEqual(['node2  reported primary', 'node2  marked unhealthy', 'node2  assigned draining', 'node2  reported draining']);
  });

  it('a sentence about another node, or sent long before, is not joined', () => {
    const log: ClusterEvent = { at: 1000, kind: 'log', nodeName: null, nodeId: null, reportedState: null, goalState: null, text: 'Setting goal state of node 1 "node1" (h:1) to draining' };
    const other: ClusterEvent = { at: 1001, kind: 'state', nodeName: 'node10', nodeId: 10, reportedState: 'secondary', goalState: 'report_lsn', health: 'good', text: '' };
    const late: ClusterEvent = { ...other, at: 2500, nodeName: 'node1', nodeId: 1, reportedState: 'primary', goalState: 'draining' };
    const out = plainEvents([log, other, late]);
    expect(out.map((e) => e.full)).toEqual([log.text, '', '']);
  });
});
