// What the console says after its screen is gone: the load test's verdict, the RTO run it undid,
// and the faults set with keys that it leaves in place (every exit path leaves them alike).
import type { Fault, LedgerVerdict } from './types.js';

export interface ExitReport {
  /** The verdict of a load test still running at quit (checked on the way out). */
  verdict: LedgerVerdict | null;
  verdictError: string | null;
  /** The RTO run in progress at quit: aborted; restored = its victim runs again, as checked last. */
  abortedRun: { victim: string; fault: Fault; restored: boolean } | null;
  frozen: string[];
  stopped: string[];
  partitioned: string[];
}

const UNDONE: Record<Fault, string> = { kill: 'started again', stop: 'started again', freeze: 'thawed', failover: 'left as the new standby' };

export function verdictLine(v: LedgerVerdict): string {
  const head = v.ok ? `ledger ok: 0 lost of ${v.acknowledged} acknowledged` : `ledger NOT ok: ${v.lost} LOST of ${v.acknowledged} acknowledged`;
  return `load test stopped, ${head} (read back from ${v.readFrom}; ${v.unknown} unknown, ${v.unknownCommitted} of them committed)`;
}

export function exitLines(r: ExitReport): string[] {
  const lines: string[] = [];
  const a = r.abortedRun;
  if (a) {
    // Said as checked, not as attempted: a start can be accepted and the node still die at once.
    lines.push(a.restored ? `RTO run aborted: ${a.victim} ${UNDONE[a.fault]}` : `RTO run aborted, but ${a.victim} is not running again: pgha-tui start ${a.victim} (its log in the lab's logs/ says why)`);
  }
  if (r.verdict) lines.push(verdictLine(r.verdict));
  if (r.verdictError) lines.push(`load test stopped, but the ledger check failed: ${r.verdictError}`);
  const stays = (nodes: string[], what: string, cmd: string, key: string) => {
    if (nodes.length === 0) return;
    const verb = nodes.length === 1 ? 'stays' : 'stay';
    lines.push(`${nodes.join(', ')} ${verb} ${what}: ${nodes.map((n) => `pgha-tui ${cmd} ${n}`).join(', ')} (or ${key} in the console) undoes it`);
  };
  stays(r.frozen, 'frozen', 'thaw', 'z');
  stays(r.stopped, 'stopped', 'start', 's');
  stays(r.partitioned, 'cut off the lab network', 'heal', 'p');
  return lines;
}
