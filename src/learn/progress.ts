// Where the walkthrough is (lesson n, step k), kept across runs: in the local lab's directory,
// or for compose in the user's state directory. Read only from a regular file we own that no one
// else can write; written to a fresh temporary file (never through a link), then renamed.
import { randomUUID } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LEARN_PROGRESS } from '../backends/local/lab-dir.js';
import type { Position } from './engine.js';

export const PROGRESS_FILE = LEARN_PROGRESS;

/** Local: the lab directory itself; compose (or attach): $XDG_STATE_HOME/pgha-tui/ (the user's own). */
export function progressPath(backend: string, labDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (backend === 'local') return join(labDir, PROGRESS_FILE);
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'pgha-tui', `${backend}-${PROGRESS_FILE}`);
}

const uid = () => process.geteuid?.() ?? -1;

export function readProgress(path: string): Position | null {
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.uid !== uid() || (st.mode & 0o022) !== 0) return null;
    const p = JSON.parse(readFileSync(path, 'utf8')) as Partial<Position>;
    return typeof p.lesson === 'number' && typeof p.step === 'number' ? { lesson: p.lesson, step: p.step } : null;
  } catch {
    return null;
  }
}

/** Best effort: progress that cannot be saved is not worth failing the console for. */
export function writeProgress(path: string, p: Position, opts: { createDir: boolean }): boolean {
  const dir = dirname(path);
  try {
    // Only the compose state dir is ours to create; a local lab directory must already exist.
    if (opts.createDir) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid() || (st.mode & 0o022) !== 0) return false;
    const tmp = join(dir, `.${PROGRESS_FILE}.${randomUUID()}`);
    // 'wx': fails rather than following a link or reusing a file someone put there.
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ lesson: p.lesson, step: p.step })}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return true;
  } catch {
    return false;
  }
}
