import { newPrimary, primaryOf, settledAs, str } from '../conditions.js';
import type { Lesson, View } from '../types.js';

const tliOf = (v: View, node: string | null) => v.snap?.nodes.find((n) => n.name === node)?.reportedTli ?? null;

export const rejoin: Lesson = {
  title: 'Rejoin',
  steps: [
    {
      text: () => ['Kill the primary hard: press k, then y.', 'Nothing restarts it: watch the monitor promote a standby.'],
      key: 'k',
      enter: (v) => ({ before: primaryOf(v), tli: tliOf(v, primaryOf(v)) }),
      highlight: (v) => (str(v.mem.before) ? [str(v.mem.before)!] : []),
      done: (v) => newPrimary(v, str(v.mem.before)) !== null && v.console?.processes[str(v.mem.before) ?? ''] === 'stopped',
    },
    {
      text: (v) => [
        `Now select ${str(v.mem.before) ?? 'the old primary'} (↑/↓) and start it: press s.`,
        'It comes back as demoted, then catchingup, then secondary.',
        'The new primary started a new timeline (the tli column): the',
        'keeper rewinds the old one onto it (pg_rewind), no manual step.',
      ],
      key: 's',
      highlight: (v) => (str(v.mem.before) ? [str(v.mem.before)!] : []),
      done: (v) => {
        const before = str(v.mem.before);
        const tli = tliOf(v, before);
        return (v.snap?.at ?? 0) >= v.since && settledAs(v, before, 'secondary') && tli !== null && tli > Number(v.mem.tli ?? Infinity);
      },
    },
  ],
};
