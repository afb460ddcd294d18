// The walkthrough of one console session: where it resumes (the saved position, or the lesson
// `pgha-tui learn N` names) and where each move is saved.
import { inspectLabDir } from '../backends/local/lab-dir.js';
import { Walkthrough, type Position } from './engine.js';
import { LESSONS } from './lessons/index.js';
import { progressPath, readProgress, writeProgress } from './progress.js';

export interface LearnSession {
  walkthrough: Walkthrough;
  open: boolean;
  save: (p: Position) => void;
}

/** lesson: 1-based, from `pgha-tui learn N`; null resumes the saved position. */
export function learnSession(backend: string, labDir: string, lesson: number | null, open: boolean): LearnSession {
  const path = progressPath(backend, labDir);
  // A local lab directory is written to only when it carries our marker (it is ours).
  const writable = backend !== 'local' || inspectLabDir(labDir).kind === 'lab';
  const saved = writable ? readProgress(path) : null;
  const start = lesson !== null ? { lesson: lesson - 1, step: 0 } : (saved ?? { lesson: 0, step: 0 });
  const walkthrough = new Walkthrough(LESSONS, backend, start);
  const save = (p: Position) => {
    if (writable) writeProgress(path, p, { createDir: backend !== 'local' });
  };
  if (lesson !== null) save(walkthrough.position());
  return { walkthrough, open, save };
}
