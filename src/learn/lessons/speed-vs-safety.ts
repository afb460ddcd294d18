import type { RtoRun } from '../../actions/types.js';
import { gucValues } from '../../actions/phase-bounds.js';
import type { Lesson, NumberQuestion, View } from '../types.js';

/** The last finished run started after the step began, with this profile. */
function finishedRun(v: View): RtoRun | undefined {
  return v.console?.rto.history.filter((r) => r.startedAt >= v.since && r.status === 'done').at(-1);
}

/** The last two finished runs' client RTOs as the history line prints them (one decimal). */
function lastTwo(v: View): [number, number] | null {
  const runs = (v.console?.rto.history ?? []).filter((r) => r.status === 'done' && r.clientRtoS !== null).slice(-2);
  return runs.length === 2 ? [Number(runs[0]!.clientRtoS!.toFixed(1)), Number(runs[1]!.clientRtoS!.toFixed(1))] : null;
}

const secs = (ms: number | undefined) => (ms === undefined ? '?' : `${ms / 1000} s`);

/** How much longer the default run took than the fast one, from the RTO pane's history line. */
const differenceRead: NumberQuestion = {
  shown: (v) => {
    const two = lastTwo(v);
    return two ? `${(two[1] - two[0]).toFixed(1)} s` : null;
  },
  windowMs: Infinity,
  // Two figures read and subtracted: a second either way is reading them right.
  tolerance: () => 1,
  what: () => 'the default run took longer by',
  explain: (v) => {
    const g = gucValues(v.console?.gucs ?? []);
    return `With default the monitor waits ${secs(g.node_considered_unhealthy_timeout)} of keeper silence before the election, and the promotion waits out primary_demote_timeout (${secs(g.primary_demote_timeout)}).`;
  },
};

export const speedVsSafety: Lesson = {
  title: 'Speed vs safety',
  steps: [
    {
      text: () => ['Switch the monitor to the fast profile: press P until the header', 'says profile fast. It shortens how long the monitor waits.'],
      key: 'P',
      done: (v) => v.console?.profile === 'fast',
    },
    {
      text: () => ['Time a failure with fast: press t, then y, and wait for the', 'killed node to rejoin.'],
      key: 't',
      enter: () => ({}),
      done: (v) => v.console?.profile === 'fast' && finishedRun(v) !== undefined,
    },
    {
      text: () => ['Now the default profile: press P, then t and y again.', 'This one takes about a minute.'],
      key: 'P',
      done: (v) => v.console?.profile === 'default' && finishedRun(v) !== undefined,
    },
    {
      text: () => [
        "Both runs are on the RTO pane's history line. How many seconds",
        'longer did the default run take than the fast one?',
        'Type it, then Enter. Tab: skip the question.',
      ],
      key: 'Enter',
      ask: differenceRead,
      done: () => false,
    },
    {
      text: (v) => {
        const runs = (v.console?.rto.history ?? []).filter((r) => r.clientRtoS !== null).slice(-2);
        return [
          `Your last two runs: ${runs.map((r) => `${r.clientRtoS!.toFixed(1)} s`).join(' and ') || 'none'}.`,
          'node_considered_unhealthy_timeout guards against false alarms:',
          'a slow node is not a dead one. primary_demote_timeout gives an',
          'old primary time to stop itself, so two never take writes.',
          'Shorter is faster, and riskier. Tab: next lesson.',
        ];
      },
      done: () => false,
    },
  ],
};
