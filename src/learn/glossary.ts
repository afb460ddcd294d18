// Every pg_auto_failover state in one line of plain words (names as the monitor spells them).
// The help overlay and the walkthrough show the entries for the states on screen.

export const GLOSSARY: Readonly<Record<string, string>> = {
  init: 'the keeper is setting the node up and has not joined the group yet',
  single: 'the only node of its group: read-write, nobody to replicate to',
  wait_primary: 'primary that accepts writes without waiting for a standby (none is ready to confirm them)',
  primary: 'read-write, commits wait for a standby of the quorum to confirm them',
  draining: 'old primary refusing new writes so it can hand over (a planned failover)',
  demote_timeout: 'old primary given primary_demote_timeout to shut itself down before another is promoted',
  demoted: 'old primary stopped as a primary; it waits to rejoin as a standby',
  catchingup: 'standby replaying WAL to catch up; not yet counted for quorum or promotion',
  secondary: 'standby in sync: counted for the quorum and a candidate for promotion',
  prepare_promotion: 'the chosen standby gets ready to be promoted',
  stop_replication: 'promoted standby cut from the old primary, still read-only until it is safe',
  wait_standby: 'primary waiting for its first standby to register',
  maintenance: 'node taken out by an operator: not replicating for quorum, never promoted',
  join_primary: 'primary re-reading its settings as a standby joins or leaves',
  apply_settings: 'primary applying a changed replication setting (priority, quorum)',
  prepare_maintenance: 'primary going into maintenance: the monitor fails over first',
  wait_maintenance: 'standby waiting for the primary to stop counting on it before maintenance',
  report_lsn: 'standby telling the monitor how much WAL it has, so the most advanced one is elected',
  fast_forward: 'elected standby fetching missing WAL from a more advanced peer before promotion',
  join_secondary: 'standby rejoining behind the new primary after an election',
  dropped: 'node removed from the formation',
  unknown: 'the monitor has no state for this node',
};

/** One line per state among those given, in first-seen order, known states only. */
export function glossaryLines(states: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of states) {
    if (seen.has(s) || !(s in GLOSSARY)) continue;
    seen.add(s);
    out.push(`${s}: ${GLOSSARY[s]}`);
  }
  return out;
}

/** The states a node table shows: reported and assigned, per node. */
export function statesOnScreen(nodes: readonly { reportedState: string; assignedState: string }[]): string[] {
  return nodes.flatMap((n) => [n.reportedState, n.assignedState]);
}
