// Rebuilding a compose standby from scratch: the way back for an old primary that cannot rejoin.
// pg_auto_failover 2.0 (Debian's) sometimes brings a new primary up after a fast_forward without
// a timeline switch (its keeper restarts Postgres without standby.signal instead of promoting it),
// so the old primary's pg_rewind finds "the same timeline", rewinds nothing, and the node stays in
// catchingup for good. A fresh data directory cloned from the primary is then the only way back.
import type Docker from 'dockerode';
import type { ConnInfo } from '../../cluster/types.js';
import { queryOnce } from '../../cluster/pg.js';
import { monitorRows, waitUntil } from '../../cluster/readiness.js';
import { UserError } from '../../lib/errors.js';
import type { Progress } from '../backend.js';
import { runCompose, type ComposeTarget } from './cli.js';
import type { OwnedContainer } from './partition.js';
import { PROJECT, PROJECT_LABEL } from './project.js';

export interface RebuildDeps {
  docker: Docker;
  target: ComposeTarget;
  monitorAdmin: ConnInfo;
  owned: (node: string) => Promise<OwnedContainer>;
  timeoutMs?: number;
}

/** Remove the standby from the monitor, delete its container and volume, and let Compose make it again. */
export async function rebuildStandby(deps: RebuildDeps, node: string, progress: Progress, signal?: AbortSignal): Promise<void> {
  const { container } = await deps.owned(node);
  const rows = await monitorRows(deps.monitorAdmin, 'default').catch((err: Error) => {
    throw new UserError(`the monitor does not answer (${err.message.split('\n')[0]}): a rebuild needs it to forget ${node}`);
  });
  const row = rows.find((r) => r.name === node);
  const primary = rows.find((r) => r.reportedState === 'primary' || r.reportedState === 'wait_primary' || r.assignedState === 'primary');
  if (row && primary?.name === node) throw new UserError(`${node} is the primary: only a standby is rebuilt (fail over first)`, 2);
  if (!primary) throw new UserError(`no primary to clone ${node} from: the lab needs one before a rebuild`);
  const volume = deps.docker.getVolume(`${PROJECT}_${node}`);
  const labels = (await volume.inspect().catch(() => null))?.Labels ?? {};
  if (labels[PROJECT_LABEL] !== PROJECT || labels['com.docker.compose.volume'] !== node) {
    throw new UserError(`volume ${PROJECT}_${node} is not the ${PROJECT} lab's volume for ${node}: not touching it`);
  }
  progress(`removing container ${node} (its keeper must not register it again)`);
  await container.remove({ force: true });
  if (row) {
    progress(`removing ${node} from the monitor`);
    await queryOnce(deps.monitorAdmin, "SELECT pgautofailover.remove_node(nodeid, true) FROM pgautofailover.node WHERE formationid = 'default' AND nodename = $1", [node]);
  }
  progress(`removing volume ${PROJECT}_${node}`);
  await volume.remove();
  progress(`creating ${node} again: pg_autoctl clones it from ${primary.name}`);
  await runCompose(deps.target, ['up', '-d', '--no-deps', node], progress, signal);
  let last = '';
  await waitUntil(
    async () => {
      const r = (await monitorRows(deps.monitorAdmin, 'default').catch(() => [])).find((x) => x.name === node);
      const line = r ? `${node}: ${r.reportedState} -> ${r.assignedState}` : `${node}: not registered yet`;
      if (line !== last) progress(line);
      last = line;
      return r?.reportedState === 'secondary' && r.assignedState === 'secondary' ? true : null;
    },
    { timeoutMs: deps.timeoutMs ?? 300_000, intervalMs: 1000, signal, timedOut: () => new UserError(`${node} was recreated but is not a secondary in time (${last})`) },
  );
}
