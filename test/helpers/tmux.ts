// Drive the real console in a real terminal: tmux gives it a TTY, send-keys types, capture-pane reads.
import { execFileSync } from 'node:child_process';
import { sleep } from './lab.js';

export class Tmux {
  readonly session: string;

  constructor(name: string) {
    this.session = `${name}-${process.pid}-${Date.now()}`;
  }

  start(command: string, cols = 160, rows = 45): void {
    execFileSync('tmux', ['new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), command]);
  }

  capture(): string {
    try {
      return execFileSync('tmux', ['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  panePid(): number {
    return Number(execFileSync('tmux', ['display-message', '-p', '-t', this.session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  }

  alive(): boolean {
    try {
      execFileSync('tmux', ['has-session', '-t', this.session], { stdio: 'ignore' });
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
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}
