// Which processes are the lab's: the pid and start time we recorded when we started each one,
// believed only while pids/ is ours alone and the process still provably belongs to the lab.
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { isAlive, isLabProcess, type ProcId } from '../proc.js';

export class PidRecords {
  constructor(
    private readonly labDir: string,
    private readonly path: (...p: string[]) => string,
    private readonly labUid: () => number,
  ) {}

  private file(name: string): string {
    return this.path('pids', `${name}.json`);
  }

  /** pids/ must be our own directory that nobody else can write, or its records mean nothing. */
  private trusted(): boolean {
    try {
      const st = lstatSync(this.path('pids'));
      return st.isDirectory() && st.uid === process.geteuid?.() && (st.mode & 0o022) === 0;
    } catch {
      return false;
    }
  }

  recorded(name: string): ProcId | null {
    if (!this.trusted()) return null;
    try {
      const id = JSON.parse(readFileSync(this.file(name), 'utf8')) as ProcId;
      return Number.isInteger(id.pid) && id.pid > 1 && Number.isInteger(id.startTime) ? id : null;
    } catch {
      return null;
    }
  }

  record(name: string, id: ProcId): void {
    writeFileSync(this.file(name), JSON.stringify(id), { mode: 0o600 });
  }

  /** Provably the lab's: the lab's user, working inside the lab. */
  readonly ours = (pid: number): boolean => isLabProcess(pid, this.labUid(), this.labDir);

  /** Our running process for a node (or the monitor), or null. */
  running(name: string): ProcId | null {
    const id = this.recorded(name);
    return id && isAlive(id) && this.ours(id.pid) ? id : null;
  }
}
