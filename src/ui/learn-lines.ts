// The walkthrough pane's lines: where you are (lesson n of m, step k of l), the step's text,
// the key it asks for, and the glossary entries for the states on screen. Pure.
import type { StepView } from '../learn/engine.js';
import type { Line, PaneDetail } from './panes.js';

/**
 * Lessons break their sentences for an 80-column pane; in a narrower one those breaks would
 * leave ragged half-lines, so a line that ends mid-sentence runs on into the next (to be wrapped
 * at the pane's width). Sentence ends and indented lines (commands, a setting under its phase)
 * stay where the lesson put them.
 */
export function joinSentences(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    if (prev !== undefined && !/^\s/.test(l) && !/^\s/.test(prev) && !/[.:?!]\)?$/.test(prev)) out[out.length - 1] = `${prev} ${l}`;
    else out.push(l);
  }
  return out;
}

/** `narrow`: the pane is narrower than the lessons' lines (beside the table): sentences run on. */
export function learnLines(v: StepView, glossary: readonly string[], detail: PaneDetail, narrow = false): Line[] {
  const head: Line = [
    { text: 'Learn ', bold: true },
    { text: v.finished ? 'all lessons done' : `lesson ${v.lessonNo} of ${v.lessons}: ${v.title} · step ${v.stepNo} of ${v.steps}`, color: 'cyan' },
  ];
  const text = (narrow ? joinSentences(v.lines) : v.lines).map((t): Line => [{ text: `  ${t}` }]);
  const keyPart: Line = v.key ? [{ text: '  press ', dim: true }, { text: v.key, bold: true, color: 'yellow' }, { text: ' · ', dim: true }] : [{ text: '  ' }];
  const hint: Line[] = v.finished ? [] : [[...keyPart, { text: `${v.predict ? '1…9 answers · ' : ''}Tab skips · w closes`, dim: true }]];
  if (detail === 'compact') return [head, ...text, ...hint];
  const gloss = glossary.slice(0, 3).map((g): Line => [{ text: `  ${g}`, dim: true }]);
  return [head, ...text, ...hint, ...gloss];
}
