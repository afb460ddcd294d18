// A Citus-like formation as the monitor and the nodes would report it: group 0 (coordinator,
// coord-a primary) and group 1 (a worker, worker1-b primary), nodes registered in mixed order.
import type { AssembleInput } from '../../src/cluster/assemble.js';
import { probe, rep, row } from './fixtures.js';

export function twoGroups(): AssembleInput {
  return {
    at: 5_000,
    formation: 'default',
    backend: 'attach',
    profile: 'default',
    monitor: { reachable: true, unreachableSince: null, error: null },
    rows: [
      row('worker1-c', 5, { groupId: 1 }),
      row('coord-b', 2),
      row('worker1-b', 4, { groupId: 1, reportedState: 'primary', assignedState: 'primary' }),
      row('coord-a', 1, { reportedState: 'primary', assignedState: 'primary' }),
      row('worker1-a', 3, { groupId: 1 }),
    ],
    probes: {
      'coord-a': probe({ inRecovery: false, readWrite: true, lsn: '0/5000200', replication: [rep(2, { replayLagBytes: 512 })] }),
      'coord-b': probe({ lsn: '0/5000000' }),
      // The worker's standbys are node ids 3 and 5; id 2 (coord-b) is not its to report.
      'worker1-b': probe({ inRecovery: false, readWrite: true, lsn: '0/7001000', replication: [rep(3, { replayLagBytes: 4096 }), rep(5)] }),
      'worker1-a': probe({ lsn: '0/7000000' }),
      'worker1-c': probe({ lsn: '0/7001000' }),
    },
    events: [],
  };
}
