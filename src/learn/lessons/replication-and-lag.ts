import { formatBytes } from '../../lib/bytes.js';
import { primaryOf, str } from '../conditions.js';
import type { Lesson, NumberQuestion, View } from '../types.js';

/** The first standby in table order: the one whose lag the user reads. */
const firstStandby = (v: View) => (v.snap?.nodes ?? []).find((n) => n.name !== primaryOf(v))?.name ?? null;

/** The Lag column of the standby the step named, as the table prints it. */
const lagRead: NumberQuestion = {
  shown: (v) => {
    const n = v.snap?.nodes.find((x) => x.name === str(v.mem.node));
    return n && n.lagBytes !== null ? formatBytes(n.lagBytes) : null;
  },
  // The lag moves every second: what the table showed in the last few seconds counts.
  windowMs: 5000,
  // One digit of what the table prints, or a tenth of the value, whichever is more.
  tolerance: (value, text) => Math.max(/\.\d/.test(text) ? 0.1 : 1, value * 0.1),
  what: (v) => `${str(v.mem.node) ?? 'the standby'}'s Lag column showed`,
  explain: (v) =>
    `That is WAL ${str(v.mem.node) ?? 'the standby'} has not replayed yet. Commits wait for a standby to store WAL, not to replay it: lag moves with the load and says nothing of time.`,
};

export const replicationAndLag: Lesson = {
  title: 'Replication and lag',
  steps: [
    {
      text: () => ['Start the load test: clients write appointments to the primary.', 'Press l.'],
      key: 'l',
      done: (v) => v.console?.load?.running === true,
    },
    {
      text: () => [
        'Watch the LSN column: the WAL position grows on every node.',
        'Lag in bytes: WAL the standby has not replayed yet.',
        'Lag in seconds: how old the last replayed commit is; it says',
        'nothing while the primary is idle, and bytes say nothing of time.',
        'Wait for the primary to write 1000 transactions.',
      ],
      enter: (v) => ({ acked: v.console?.load?.acknowledged ?? 0 }),
      highlight: (v) => (v.snap?.nodes ?? []).filter((n) => n.name !== primaryOf(v)).map((n) => n.name),
      done: (v) => v.console?.load?.running === true && (v.console.load.acknowledged - Number(v.mem.acked ?? 0)) >= 1000,
    },
    {
      text: (v) => [
        `How many bytes behind is ${str(v.mem.node) ?? 'the standby'} right now? Read its Lag column`,
        'and type the number as it shows it (1.5 for 1.5 kB), then Enter.',
        'Tab: skip the question.',
      ],
      key: 'Enter',
      ask: lagRead,
      enter: (v) => ({ node: firstStandby(v) }),
      highlight: (v) => (str(v.mem.node) ? [str(v.mem.node)!] : []),
      done: () => false,
    },
    {
      text: () => ['Stop the load and check the ledger: every acknowledged write is', 'read back from the primary. Press l.'],
      key: 'l',
      done: (v) => (v.console?.verdict?.checkedAt ?? 0) >= v.since,
    },
  ],
};
