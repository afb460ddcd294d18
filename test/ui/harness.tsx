// Rendering helpers: wait for React/Ink to flush, strip colours, fake a terminal resize.
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import { App, type AppProps } from '../../src/ui/App.js';
import { ManualSnapshotSource } from './manual-source.js';
import type { ClusterSnapshot } from '../../src/cluster/types.js';
import type { ConsoleController } from '../../src/actions/types.js';
import { NOW } from './fixtures.js';

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*[A-Za-z]/g;

export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}

export const KEYS = { up: '\u001B[A', down: '\u001B[B', esc: '\u001B', ctrlC: '\u0003' };

/** `controller` is optional: older tests render the App without one. */
export function renderApp(first: ClusterSnapshot | null = null, now: () => number = () => NOW, controller?: ConsoleController, learn?: AppProps['learn']) {
  const source = new ManualSnapshotSource();
  if (first) source.push(first);
  const onQuit = vi.fn();
  const ui = render(<App source={source} backend="local" profile="default" onQuit={onQuit} now={now} controller={controller} learn={learn} />);
  const frame = () => plain(ui.lastFrame());

  /** Poll the frame until `check` passes (React and Ink flush asynchronously). */
  async function waitFor(check: (frame: string) => boolean, timeoutMs = 1000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (check(f)) return f;
      if (Date.now() > until) throw new Error(`frame never matched:\n${f}`);
      await delay(10);
    }
  }

  /** Send a key and give Ink a moment to handle it (Esc is flushed on the next tick). */
  async function press(data: string): Promise<void> {
    ui.stdin.write(data);
    await delay(50);
  }

  /** ink-testing-library's stdout has a fixed getter for columns; shadow it, then emit 'resize'. */
  function resize(columns: number, rows?: number): void {
    Object.defineProperty(ui.stdout, 'columns', { value: columns, configurable: true });
    if (rows !== undefined) Object.defineProperty(ui.stdout, 'rows', { value: rows, configurable: true });
    ui.stdout.emit('resize');
  }

  return { ...ui, source, onQuit, frame, waitFor, press, resize };
}

/** The table line of one node (the line that starts with the marker column). */
export function rowOf(frame: string, node: string): string {
  return frame.split('\n').find((l) => new RegExp(`^[ ›] ${node} `).test(l)) ?? '';
}
