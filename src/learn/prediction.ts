// Prediction steps: before a failover the user names the node they expect the monitor to promote;
// afterwards the verdict is checked against the node that really became primary, and explained
// with what the monitor weighs: health, state, candidate priority, then the most advanced LSN.
import type { NodeSnapshot } from '../cluster/types.js';
import { lsnDiff } from '../cluster/lsn.js';
import { newPrimary, primaryOf, str } from './conditions.js';
import type { Memory, Step, View } from './types.js';

/** The standbys as the monitor saw them before the failover, frozen in memory as text. */
export function candidatesNote(nodes: readonly NodeSnapshot[], primary: string | null): string {
  return nodes
    .filter((n) => n.name !== primary)
    .map((n) => `${n.name}:${n.candidatePriority}:${n.reportedState}:${n.health}:${n.reportedLsn ?? '-'}`)
    .join(' ');
}

interface Candidate {
  name: string;
  priority: number;
  state: string;
  health: string;
  lsn: string | null;
}

function parseCandidates(note: string | null): Candidate[] {
  if (!note) return [];
  return note.split(' ').map((c) => {
    const [name = '', priority = '0', state = '', health = '', lsn = '-'] = c.split(':');
    return { name, priority: Number(priority), state, health, lsn: lsn === '-' ? null : lsn };
  });
}

/** Why the monitor picked `promoted`, in one line, from the standbys as they were. */
export function whyPromoted(note: string | null, promoted: string): string {
  const all = parseCandidates(note);
  const eligible = all.filter((c) => c.state === 'secondary' && c.health !== 'bad' && c.priority > 0);
  const chosen = all.find((c) => c.name === promoted);
  if (!chosen) return `${promoted} was promoted.`;
  const others = eligible.filter((c) => c.name !== promoted);
  const out = all.filter((c) => !eligible.includes(c)).map((c) => `${c.name} was ${c.priority === 0 ? 'priority 0' : c.health === 'bad' ? 'unhealthy' : c.state}`);
  const top = Math.max(...eligible.map((c) => c.priority), chosen.priority);
  if (others.every((c) => c.priority < chosen.priority)) {
    return [`${promoted} had the highest candidate priority (${chosen.priority}) of the healthy standbys`, ...out].join('; ') + '.';
  }
  const tied = others.filter((c) => c.priority === chosen.priority);
  if (chosen.priority === top && tied.length > 0) {
    const ahead = tied.every((c) => c.lsn === null || chosen.lsn === null || lsnDiff(c.lsn, chosen.lsn) === 0);
    return `${promoted} tied on priority ${chosen.priority} and ${ahead ? 'had the most advanced LSN' : 'was elected by the monitor in report_lsn'}.`;
  }
  return `${promoted} was elected although another standby had a higher priority: in report_lsn the most advanced standby is preferred when the others lag.`;
}

/** The step that asks, before the fault. Done once answered, or once the failover began anyway. */
export function predictStep(what: string, begun: (v: View) => boolean): Step {
  return {
    predict: true,
    text: (v) => {
      const rows = (v.snap?.nodes ?? []).map((n, i) => `${i + 1} ${n.name}`).join(', ');
      const said = str(v.mem.prediction);
      return [
        `Before ${what}: which node will the monitor promote?`,
        `Press the row number: ${rows}.`,
        said ? `You said ${said}. Now go on.` : 'Look at priority, state and health. Tab: no guess.',
      ];
    },
    enter: (v): Memory => ({ before: primaryOf(v), candidates: candidatesNote(v.snap?.nodes ?? [], primaryOf(v)) }),
    done: (v) => str(v.mem.prediction) !== null || begun(v),
  };
}

/** Verdict lines once a new primary is known; null before. */
export function verdictLines(v: View): string[] | null {
  const promoted = str(v.mem.promoted) ?? newPrimary(v, str(v.mem.before));
  if (!promoted) return null;
  const said = str(v.mem.prediction);
  const head = said === null ? `The monitor promoted ${promoted} (no guess given).` : said === promoted ? `You said ${said}: right, ${promoted} was promoted.` : `You said ${said}; the monitor promoted ${promoted}.`;
  return [head, `Why: ${whyPromoted(str(v.mem.candidates), promoted)}`];
}
