import { newPrimary, primaryOf, str } from '../conditions.js';
import type { Lesson } from '../types.js';

export const dataSafety: Lesson = {
  title: 'Data safety',
  steps: [
    {
      text: () => ['Every write the load test gets an answer for goes in a ledger.', 'Start it: press l.'],
      key: 'l',
      done: (v) => v.console?.load?.running === true,
    },
    {
      text: () => ['Kill the primary while it writes: press k, then y.', 'Commits in flight when it dies get no answer at all.'],
      key: 'k',
      enter: (v) => ({ before: primaryOf(v) }),
      done: (v) => v.console?.load?.running === true && newPrimary(v, str(v.mem.before)) !== null,
    },
    {
      text: () => ['Writes go on to the new primary. Stop the load and check the', 'ledger: press l. (s on the old primary starts it again.)'],
      key: 'l',
      done: (v) => (v.console?.verdict?.checkedAt ?? 0) >= v.since,
    },
    {
      text: (v) => {
        const d = v.console?.verdict;
        return [
          d ? `${d.acknowledged} acknowledged, ${d.lost} lost, ${d.unknown} unknown outcome (${d.unknownCommitted} of them committed).` : 'No ledger yet.',
          'Lost must be 0: the quorum had every acknowledged commit.',
          'Unknown: the connection broke after COMMIT was sent. The',
          'server may have committed; no driver can know. Tab: next lesson.',
        ];
      },
      done: () => false,
    },
  ],
};
