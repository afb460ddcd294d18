// What the console finds when it opens on an existing lab: faults left by an earlier session (or
// a crash), said in one line with the key or command that undoes them, and one offer to fix them.
export interface LabFindings {
  frozen: string[];
  stopped: string[];
  /** The monitor does not answer (not running, typically after `down` or a reboot). */
  monitorDown: boolean;
  partitioned: string[];
  primary: string | null;
}

export interface LabAdvice {
  /** What is wrong and what fixes it; null when nothing is. */
  text: string | null;
  /** A yes/no question the console asks at once (y runs repairLab); null when no offer. */
  offer: string | null;
}

const list = (names: string[]) => names.join(', ');
const be = (names: string[]) => (names.length === 1 ? 'is' : 'are');

export function labAdvice(f: LabFindings): LabAdvice {
  const wrong: string[] = [];
  const fixes: string[] = [];
  if (f.frozen.length > 0) {
    wrong.push(`${list(f.frozen)} ${be(f.frozen)} frozen`);
    fixes.push('thaw');
  }
  if (f.stopped.length > 0) wrong.push(`${list(f.stopped)} ${be(f.stopped)} stopped`);
  if (f.monitorDown) wrong.push('the monitor does not answer');
  if (f.stopped.length > 0 || f.monitorDown) fixes.push('start');
  if (wrong.length > 0) {
    const what = wrong.join(', ');
    const count = f.frozen.length + f.stopped.length + Number(f.monitorDown);
    return { text: `${what}: ${declined(f)}`, offer: `${what}: ${fixes.join(' and ')} ${count === 1 ? 'it' : 'them'}?` };
  }
  if (f.partitioned.length > 0) return { text: `${list(f.partitioned)} ${be(f.partitioned)} cut off the lab network: p on the node (or pgha-tui heal <node>) reconnects it`, offer: null };
  if (f.primary === null) return { text: 'no node reports read-write: a failover may be under way (watch the states); f, k and t need a primary', offer: null };
  return { text: null, offer: null };
}

/** After Esc on the offer: how to undo each fault by hand. */
export function declined(f: LabFindings): string {
  const how: string[] = [];
  if (f.frozen.length > 0) how.push('z thaws a frozen node');
  if (f.stopped.length > 0) how.push('s starts a stopped one');
  if (f.stopped.length > 0 || f.monitorDown) how.push('pgha-tui up starts what is not running');
  return how.join(', ');
}
