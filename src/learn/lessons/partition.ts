import { primaryOf } from '../conditions.js';
import type { Lesson } from '../types.js';

export const partition: Lesson = {
  title: 'Network partition and split brain',
  composeOnly: true,
  steps: [
    {
      text: (v) =>
        v.backend === 'compose'
          ? ['Cut the primary off the lab network: select it and press p, then y.', 'The load starts, and a client keeps writing to the cut-off', 'primary: the split-brain watch counts what it still acknowledges.']
          : ['This lesson needs the compose lab: a partition cuts a container', 'off its network. With a Docker engine:', '  pgha-tui up --backend compose', '  pgha-tui learn 9 --backend compose', 'Tab: skip it here.'],
      key: 'p',
      highlight: (v) => (primaryOf(v) ? [primaryOf(v)!] : []),
      done: (v) => v.backend === 'compose' && v.console?.splitBrain?.running === true,
    },
    {
      text: () => ['Another node is promoted. Writes the old primary acknowledges after', 'that would be split brain: with synchronous replication no standby', 'confirms them, so the count stays 0.'],
      done: (v) => v.console?.splitBrain?.promotedAt != null,
    },
    {
      text: (v) => [
        `Writes after the promotion: ${v.console?.splitBrain?.afterPromotion ?? 0}. With the fast profile the monitor`,
        'promotes before the old primary stops itself (20 s): two primaries',
        'exist for a while, yet quorum keeps the count at 0.',
        'Reconnect it: press p on it.',
      ],
      key: 'p',
      done: (v) => v.console !== null && v.console.partitioned.length === 0 && v.console.splitBrain?.running === false,
    },
  ],
};
