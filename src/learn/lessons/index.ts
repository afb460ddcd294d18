// The lessons, in order. `pgha-tui learn N` opens lesson N (1-based).
import type { Lesson } from '../types.js';
import { dataSafety } from './data-safety.js';
import { meetTheCluster } from './meet-the-cluster.js';
import { partition } from './partition.js';
import { plannedSwitchover } from './planned-switchover.js';
import { rejoin } from './rejoin.js';
import { replicationAndLag } from './replication-and-lag.js';
import { rollingMaintenance } from './rolling-maintenance.js';
import { speedVsSafety } from './speed-vs-safety.js';
import { unplannedFailure } from './unplanned-failure.js';

export const LESSONS: readonly Lesson[] = [
  meetTheCluster,
  replicationAndLag,
  plannedSwitchover,
  unplannedFailure,
  rejoin,
  speedVsSafety,
  dataSafety,
  rollingMaintenance,
  partition,
];
