// SIGINT, SIGTERM and SIGHUP all mean the same to a command that changed the cluster: undo what
// it did, stop its clients, report, then exit. One guard turns them into one AbortSignal.
import { UserError } from './lib/errors.js';

export const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type ExitSignal = (typeof EXIT_SIGNALS)[number];

const SIGNO: Record<ExitSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The shell's convention for "ended by a signal": 128 + its number. */
export function exitCodeFor(sig: ExitSignal): number {
  return 128 + SIGNO[sig];
}

export class SignalGuard {
  private readonly ac = new AbortController();
  private got: ExitSignal | null = null;
  private readonly handlers = new Map<ExitSignal, () => void>();

  /** onFirst runs on the first signal; later ones only say that cleaning up goes on. */
  constructor(
    onFirst: (sig: ExitSignal) => void,
    private readonly say: (line: string) => void,
  ) {
    this.onFirst = onFirst;
    for (const sig of EXIT_SIGNALS) {
      const h = () => this.trigger(sig);
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
    // A closed terminal can fail a write (EIO) before its SIGHUP arrives. Unhandled, that error
    // would end the process at once and skip the clean-up; it means the same as the hang-up.
    for (const s of [process.stdin, process.stdout, process.stderr]) s.on('error', this.onStdioError);
  }

  private readonly onFirst: (sig: ExitSignal) => void;
  private readonly onStdioError = () => this.trigger('SIGHUP');

  private trigger(sig: ExitSignal): void {
    if (this.got) {
      if (sig !== 'SIGHUP' || this.got !== 'SIGHUP') this.say(`${sig}: still undoing what this command did (SIGKILL abandons it)`);
      return;
    }
    this.got = sig;
    this.onFirst(sig);
    this.ac.abort(new UserError(`interrupted by ${sig}`));
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  /** The first signal received, if any. */
  get received(): ExitSignal | null {
    return this.got;
  }

  dispose(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
    // The terminal may still be gone: keep swallowing its write errors until the process ends.
    if (this.got !== 'SIGHUP') for (const s of [process.stdin, process.stdout, process.stderr]) s.off('error', this.onStdioError);
  }
}

/**
 * After SIGHUP the terminal is usually gone, and Node's own exit then fails to restore the tty's
 * modes (an assertion with a native stack trace). Once the clean-up is done, die of the signal
 * itself instead, as an unhandled SIGHUP would: the shell sees the same status, 128 + 1.
 */
export async function leaveAfterHangup(sig: ExitSignal | null): Promise<void> {
  if (sig !== 'SIGHUP' || !(process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY)) return;
  await new Promise<void>((r) => process.stdout.write('', () => process.stderr.write('', () => r())));
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
  await new Promise((r) => setTimeout(r, 1000));
}
