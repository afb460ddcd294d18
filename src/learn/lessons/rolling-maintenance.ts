import { inMaintenance } from '../../actions/maintenance.js';
import { assigned, newPrimary, primaryOf, reported, settledAs, str } from '../conditions.js';
import { predictStep, verdictLines } from '../prediction.js';
import type { Lesson, View } from '../types.js';

/** A standby (not the primary as the step began) that reached maintenance during the step. */
function standbyInMaintenance(v: View): string | null {
  const e = reported(v, 'maintenance', { not: str(v.mem.primary) });
  return e?.nodeName && settledAs(v, e.nodeName, 'maintenance') ? e.nodeName : null;
}

export const rollingMaintenance: Lesson = {
  title: 'Rolling maintenance',
  steps: [
    {
      text: () => [
        'Patch one node at a time. Select a standby (↑/↓) and press m,',
        'then y: it leaves the quorum and stops counting for promotion,',
        'then reports maintenance. You may now stop it and patch it.',
      ],
      key: 'm',
      enter: (v) => ({ primary: primaryOf(v) }),
      done: (v) => standbyInMaintenance(v) !== null,
    },
    {
      text: (v) => [
        `Bring ${str(v.mem.node) ?? 'it'} back: press m again on it.`,
        'It goes catchingup, then secondary. Nobody knows what happened',
        'during maintenance, so its keeper first rewinds it onto the',
        'primary (pg_rewind): under heavy load that can take a while.',
      ],
      key: 'm',
      enter: (v) => ({ node: (v.snap?.nodes ?? []).find((n) => n.name !== str(v.mem.primary) && inMaintenance(n))?.name ?? null }),
      highlight: (v) => (str(v.mem.node) ? [str(v.mem.node)!] : []),
      done: (v) => reported(v, 'secondary', { node: str(v.mem.node) }) !== undefined && settledAs(v, str(v.mem.node), 'secondary'),
    },
    predictStep('maintenance on the primary', (v) => assigned(v, 'prepare_maintenance') !== undefined),
    {
      text: () => ['Now the primary: select it and press m, then y. The monitor', 'fails over first (prepare_maintenance), then the old primary', 'reports maintenance.'],
      key: 'm',
      keepEvents: true,
      enter: (v) => ({ before: str(v.mem.before) ?? primaryOf(v) }),
      highlight: (v) => (str(v.mem.before) ? [str(v.mem.before)!] : []),
      done: (v) => newPrimary(v, str(v.mem.before)) !== null && reported(v, 'maintenance', { node: str(v.mem.before) }) !== undefined,
    },
    {
      text: (v) => [...(verdictLines(v) ?? []), `Bring ${str(v.mem.before) ?? 'it'} back: press m on it.`, 'It goes report_lsn, join_secondary, then secondary.'],
      key: 'm',
      enter: (v) => ({ promoted: newPrimary(v, str(v.mem.before)) }),
      highlight: (v) => (str(v.mem.before) ? [str(v.mem.before)!] : []),
      done: (v) => reported(v, 'secondary', { node: str(v.mem.before) }) !== undefined && settledAs(v, str(v.mem.before), 'secondary'),
    },
  ],
};
