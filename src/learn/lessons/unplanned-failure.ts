import { primaryOf } from '../conditions.js';
import { predictStep, verdictLines } from '../prediction.js';
import type { Lesson, NumberQuestion, View } from '../types.js';
import type { RtoPhaseName, RtoRun } from '../../actions/types.js';
import { gucValues, phaseBounds } from '../../actions/phase-bounds.js';

/** The RTO run of a hard kill (`t`) started during this lesson, if any. */
function run(v: View): RtoRun | null {
  const cur = v.console?.rto.current ?? null;
  return cur && cur.fault === 'kill' && cur.startedAt >= Number(v.mem.lessonStart ?? Infinity) ? cur : null;
}

/** Seconds from the fault to a phase, as the RTO pane prints it ("+2.03 s"); null before it. */
function phaseSeconds(r: RtoRun | null, phase: RtoPhaseName): number | null {
  const fault = r?.phases.find((p) => p.name === 'fault')?.at ?? null;
  const at = r?.phases.find((p) => p.name === phase)?.at ?? null;
  return fault === null || at === null ? null : (at - fault) / 1000;
}

/** The detected phase of the run, read off the RTO pane's timeline. */
const detectionRead: NumberQuestion = {
  shown: (v) => {
    const s = phaseSeconds(run(v), 'detected');
    return s === null ? null : `${s.toFixed(2)} s`;
  },
  // The run is over: its figure no longer moves.
  windowMs: Infinity,
  tolerance: () => 0.5,
  what: () => "the run's detection took",
  explain: (v) => `Detection is bounded by the monitor's health checks: ${phaseBounds(gucValues(v.console?.gucs ?? [])).detected ?? '?'}.`,
};

const gucOf = (v: View, name: string) => v.console?.gucs.find((g) => g.name === name)?.value ?? '?';

export const unplannedFailure: Lesson = {
  title: 'Unplanned failure',
  steps: [
    predictStep('a hard kill of the primary', (v) => run(v) !== null),
    {
      text: () => ['Time a real failure: press t, then y. The load starts, the', 'primary is killed (SIGKILL), and the clock runs until the first', 'write is acknowledged on another node.'],
      key: 't',
      highlight: (v) => (primaryOf(v) ? [primaryOf(v)!] : []),
      done: (v) => run(v) !== null,
    },
    {
      text: (v) => [
        'Detected: health checks fail for',
        `  node_considered_unhealthy_timeout (${gucOf(v, 'node_considered_unhealthy_timeout')} ms).`,
        'Election: standbys report_lsn; the best one is picked.',
        'Promotion: stop_replication, read-only for',
        `  primary_demote_timeout (${gucOf(v, 'primary_demote_timeout')} ms).`,
        'First write: the clients reconnect to the new primary.',
      ],
      done: (v) => run(v)?.clientRtoS != null,
    },
    {
      text: (v) => [
        ...(verdictLines({ ...v, mem: { ...v.mem, promoted: run(v)?.newPrimary ?? null } }) ?? []),
        `Client RTO ${run(v)?.clientRtoS?.toFixed(1) ?? '?'} s: the RTO pane shows where each second went.`,
        'The killed node is started again and rejoins as a standby.',
      ],
      highlight: (v) => [run(v)?.victim, run(v)?.newPrimary].filter((x): x is string => typeof x === 'string'),
      done: (v) => run(v)?.status === 'done',
    },
    {
      text: () => [
        'How many seconds did detection take? Read the detected line of',
        'the RTO pane (seconds after the fault), type it, then Enter.',
        'Tab: skip the question.',
      ],
      key: 'Enter',
      ask: detectionRead,
      done: () => false,
    },
  ],
};
