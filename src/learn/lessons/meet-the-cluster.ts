import { healthy, primaryOf } from '../conditions.js';
import type { Lesson, View } from '../types.js';

/** The healthy standby with the highest candidate priority: who the monitor would promote. */
function firstCandidate(v: View): string | null {
  const p = primaryOf(v);
  const standbys = (v.snap?.nodes ?? []).filter((n) => n.name !== p && n.reportedState === 'secondary' && n.health !== 'bad' && n.candidatePriority > 0);
  standbys.sort((a, b) => b.candidatePriority - a.candidatePriority);
  return standbys[0]?.name ?? null;
}

export const meetTheCluster: Lesson = {
  title: 'Meet the cluster',
  steps: [
    {
      text: () => [
        'A monitor watches three PostgreSQL nodes; on each, a keeper',
        '(pg_autoctl) reports to the monitor and applies the state it assigns.',
        'One node is the primary: it takes writes (read-write).',
        'Select it with ↑/↓.',
      ],
      key: '↑/↓',
      highlight: (v) => (primaryOf(v) ? [primaryOf(v)!] : []),
      done: (v) => healthy(v) && v.selected !== null && v.selected === primaryOf(v),
    },
    {
      text: () => [
        'The other two are standbys (secondary): they replay its WAL and',
        'refuse writes (read-only). A commit on the primary waits until one',
        'standby has it (synchronous quorum): a failover loses no',
        'acknowledged write. Select a standby.',
      ],
      key: '↑/↓',
      done: (v) => v.selected !== null && v.snap?.nodes.find((n) => n.name === v.selected)?.reportedState === 'secondary',
    },
    {
      text: () => [
        'Each node has a candidate priority (the prio column).',
        'If the primary failed now, the monitor would promote the healthy',
        'standby with the highest priority. Select that node.',
      ],
      key: '↑/↓',
      done: (v) => v.selected !== null && v.selected === firstCandidate(v),
    },
  ],
};
