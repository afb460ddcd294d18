import { primaryOf } from '../conditions.js';
import type { Lesson } from '../types.js';

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
      text: () => ['Stop the load and check the ledger: every acknowledged write is', 'read back from the primary. Press l.'],
      key: 'l',
      done: (v) => (v.console?.verdict?.checkedAt ?? 0) >= v.since,
    },
  ],
};
