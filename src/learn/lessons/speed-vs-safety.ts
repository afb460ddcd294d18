import type { RtoRun } from '../../actions/types.js';
import type { Lesson, View } from '../types.js';

/** The last finished run started after the step began, with this profile. */
function finishedRun(v: View): RtoRun | undefined {
  return v.console?.rto.history.filter((r) => r.startedAt >= v.since && r.status === 'done').at(-1);
}

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
