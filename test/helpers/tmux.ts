// Drive the real console in a real terminal: tmux gives it a TTY, send-keys types, capture-pane reads.
// Each session gets its own tmux server (-L): test files run in parallel, and a shared default server
// that exits as one file's last session closes makes another file's new-session fail
// ("server exited unexpectedly").
import { execFileSync } from 'node:child_process';
import { sleep } from './lab.js';

export class Tmux {
  readonly session: string;

  constructor(name: string) {
    this.session = `${name}-${process.pid}-${Date.now()}`;
  }

  private tmux(args: string[], opts: { encoding?: 'utf8'; stdio?: 'ignore' } = {}): string {
    return String(execFileSync('tmux', ['-L', this.session, ...args], opts) ?? '');
  }

  start(command: string, cols = 160, rows = 45): void {
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), command]);
  }

  /** The window's size, as a user dragging the terminal would change it (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.tmux(['resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows)]);
  }

  capture(): string {
    try {
      return this.tmux(['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  panePid(): number {
    return Number(this.tmux(['display-message', '-p', '-t', this.session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  }

  alive(): boolean {
    try {
      this.tmux(['has-session', '-t', this.session], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  async waitFor(pred: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = this.capture();
      if (pred(screen)) return screen;
      await sleep(100);
    }
    throw new Error(`screen did not match within ${timeoutMs} ms; last screen:\n${screen}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server'], { stdio: 'ignore' }); // this session's own server only
    } catch {
      /* already gone */
    }
  }
}
