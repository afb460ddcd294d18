// SIGINT, SIGTERM and SIGHUP all mean the same to a command that changed the cluster: undo what
// it did, stop its clients, report, then exit. One guard turns them into one AbortSignal.
import { UserError } from './backends/backend.js';

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
    for (const sig of EXIT_SIGNALS) {
      const h = () => {
        if (this.got) {
          this.say(`${sig}: still undoing what this command did (SIGKILL abandons it)`);
          return;
        }
        this.got = sig;
        // A hung-up terminal makes writes fail with EIO; that must not crash the clean-up.
        if (sig === 'SIGHUP') for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
        onFirst(sig);
        this.ac.abort(new UserError(`interrupted by ${sig}`));
      };
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
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
  }
}
