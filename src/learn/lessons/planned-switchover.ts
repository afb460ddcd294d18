import { assigned, newPrimary, primaryOf, reported, settledAs, str } from '../conditions.js';
import { predictStep, verdictLines } from '../prediction.js';
import type { Lesson, View } from '../types.js';

// Asked for, not forced: a killed primary is also assigned draining, but only once it is unhealthy.
const draining = (v: View) => assigned(v, 'draining', { node: str(v.mem.before) })?.health === 'good';

export const plannedSwitchover: Lesson = {
  title: 'Planned switchover',
  steps: [
    predictStep('a controlled failover', draining),
    {
      text: () => ['Ask the monitor for a controlled failover: press f, then y.', 'The primary is told to drain: stop taking writes.'],
      key: 'f',
      keepEvents: true,
      highlight: (v) => (str(v.mem.before) ? [str(v.mem.before)!] : []),
      enter: (v) => ({ before: str(v.mem.before) ?? primaryOf(v) }),
      done: draining,
    },
    {
      text: () => [
        'Follow the states: every node reports its LSN (report_lsn), the',
        'monitor picks a winner: prepare_promotion, then wait_primary:',
        'writes are accepted again, before any standby has caught up.',
      ],
      highlight: (v) => (v.snap?.nodes ?? []).map((n) => n.name),
      done: (v) => {
        const p = newPrimary(v, str(v.mem.before));
        return p !== null && reported(v, 'wait_primary', { node: p }) !== undefined;
      },
    },
    {
      text: (v) => [
        ...(verdictLines(v) ?? []),
        `The old primary ${str(v.mem.before) ?? ''} goes join_secondary, then`,
        'secondary: no data to undo, it follows the new primary.',
      ],
      enter: (v) => ({ promoted: newPrimary(v, str(v.mem.before)) }),
      highlight: (v) => [str(v.mem.before), str(v.mem.promoted)].filter((x): x is string => x !== null),
      // A snapshot taken after the step began: the old primary cannot be a settled secondary then
      // unless it went through the rejoin.
      done: (v) => (v.snap?.at ?? 0) >= v.since && settledAs(v, str(v.mem.before), 'secondary'),
    },
  ],
};
