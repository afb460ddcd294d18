// One reader of /proc/<pid>/stat and /proc/<pid>/status for the process helpers, benches and tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface StatLine {
  pid: number;
  ppid: number;
  session: number;
  /** R, S, D, T, Z, … */
  state: string;
  /** Clock ticks after boot: with the pid, names one process for good (pids are recycled). */
  startTime: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
}

/** Clock ticks per second (sysconf(_SC_CLK_TCK)); 100 on every Linux we know of. */
export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export function readStat(pid: number): StatLine | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      state: f[0] ?? '?',
      ppid: Number(f[1]),
      session: Number(f[3]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      startTime: Number(f[19]),
    };
  } catch {
    return null;
  }
}

/** Resident set size in MB; 0 once the process is gone. */
export function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
