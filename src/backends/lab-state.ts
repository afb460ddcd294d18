// Which lab a command found and whether it runs: a lab forgotten from earlier changes what plain
// commands mean (status of a stopped lab reports every node `unknown`), so every command says so.
import type { ProcessState } from '../cluster/types.js';
import type { ClusterBackend } from './backend.js';

export type LabState = 'none' | 'running' | 'partial' | 'stopped';

export interface LabReport {
  state: LabState;
  /** Nodes whose processes are not running / are frozen (SIGSTOP, docker pause). */
  stopped: string[];
  frozen: string[];
}

/** Pure: the lab's state from its per-node process states and whether `up` has work to do. */
export function classifyLab(exists: boolean, needsUp: boolean, processes: Record<string, ProcessState>): LabReport {
  const names = Object.keys(processes);
  const stopped = names.filter((n) => processes[n] === 'stopped');
  const frozen = names.filter((n) => processes[n] === 'frozen');
  if (!exists) return { state: 'none', stopped: [], frozen: [] };
  if (names.length > 0 && stopped.length === names.length) return { state: 'stopped', stopped, frozen };
  // needsUp also covers the monitor, which has no per-node process state.
  const state = needsUp || stopped.length > 0 || frozen.length > 0 ? 'partial' : 'running';
  return { state, stopped, frozen };
}

export async function labReport(backend: ClusterBackend): Promise<LabReport> {
  if (!(await backend.exists())) return classifyLab(false, true, {});
  const names = backend.nodeNames();
  const states = await Promise.all(names.map((n) => backend.processState(n)));
  return classifyLab(true, await backend.needsUp(), Object.fromEntries(names.map((n, i) => [n, states[i]!])));
}

/** "lab /x: stopped (pgha-tui up starts it)"; `starting` when this command brings it up itself. */
export function labText(where: string, r: LabReport, starting: boolean): string {
  const hint = starting ? 'starting it' : 'pgha-tui up starts it';
  switch (r.state) {
    case 'none':
      return `lab ${where}: none yet (${starting ? 'creating it' : 'pgha-tui up creates it'})`;
    case 'running':
      return `lab ${where}: running`;
    case 'stopped':
      return `lab ${where}: stopped (${hint})`;
    case 'partial': {
      const parts = [
        ...(r.stopped.length > 0 ? [`${r.stopped.join(', ')} stopped`] : []),
        ...(r.frozen.length > 0 ? [`${r.frozen.join(', ')} frozen (pgha-tui thaw <node>)`] : []),
      ];
      const startHint = r.stopped.length > 0 || parts.length === 0 ? ` (${hint})` : '';
      return `lab ${where}: partly running${parts.length > 0 ? `: ${parts.join('; ')}` : ''}${startHint}`;
    }
  }
}
