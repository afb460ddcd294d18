// The faults a local lab can be put through and their undoing: hard kill of a node's whole
// process tree, stop, start, freeze and thaw (SIGSTOP / SIGCONT), and the state each leaves.
import type { ProcessState } from '../../cluster/types.js';
import { UserError } from '../../lib/errors.js';
import { isStopped, processTree, signalTree, waitGone, type ProcId } from '../proc.js';
import { findTools, resolveRunAs } from './env.js';
import type { LocalLab } from './lab.js';
import { checkPortsFree, launch, stopAll } from './launcher.js';

/** A frozen process of the lab cannot start or answer: say so now instead of timing out. */
export function refuseFrozen(lab: LocalLab, names: string[]): void {
  const frozen = names.filter((n) => {
    const id = lab.pids.running(n);
    return id !== null && isStopped(id);
  });
  if (frozen.length > 0) {
    throw new UserError(`${frozen.join(', ')} ${frozen.length > 1 ? 'are' : 'is'} frozen (SIGSTOP): thaw with ${frozen.map((n) => `pgha-tui thaw ${n}`).join('; ')}`);
  }
}

function mustRun(lab: LocalLab, node: string): ProcId {
  lab.portOf(node); // validates the name
  const id = lab.pids.running(node);
  if (!id) throw new UserError(`${node} is not running`);
  return id;
}

export async function kill(lab: LocalLab, node: string): Promise<void> {
  const id = mustRun(lab, node);
  const tree = processTree(id.pid).filter(lab.pids.ours);
  signalTree(id, 'SIGKILL', lab.pids.ours);
  await waitGone(tree, 5_000);
}

export async function stop(lab: LocalLab, node: string): Promise<void> {
  mustRun(lab, node);
  await stopAll(lab, [node]);
}

export async function start(lab: LocalLab, node: string): Promise<void> {
  lab.portOf(node);
  if (lab.pids.running(node)) return;
  await checkPortsFree(lab, [node]);
  await launch(lab, node, findTools(), resolveRunAs());
}

export function processState(lab: LocalLab, node: string): ProcessState {
  lab.portOf(node);
  const id = lab.pids.running(node);
  if (!id) return 'stopped';
  return isStopped(id) ? 'frozen' : 'running';
}

export function freeze(lab: LocalLab, node: string, on: boolean): void {
  const id = mustRun(lab, node);
  signalTree(id, on ? 'SIGSTOP' : 'SIGCONT', lab.pids.ours);
}
