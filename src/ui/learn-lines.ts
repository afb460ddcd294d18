// The walkthrough pane's lines: where you are (lesson n of m, step k of l), the step's text,
// the key it asks for, and the glossary entries for the states on screen. Pure.
import type { StepView } from '../learn/engine.js';
import type { Line, PaneDetail } from './panes.js';

export function learnLines(v: StepView, glossary: readonly string[], detail: PaneDetail): Line[] {
  const head: Line = [
    { text: 'Learn ', bold: true },
    { text: v.finished ? 'all lessons done' : `lesson ${v.lessonNo} of ${v.lessons}: ${v.title} · step ${v.stepNo} of ${v.steps}`, color: 'cyan' },
  ];
  const text = v.lines.map((t): Line => [{ text: `  ${t}` }]);
  const keyPart: Line = v.key ? [{ text: '  press ', dim: true }, { text: v.key, bold: true, color: 'yellow' }, { text: ' · ', dim: true }] : [{ text: '  ' }];
  const hint: Line[] = v.finished ? [] : [[...keyPart, { text: `${v.predict ? '1…9 answers · ' : ''}Tab skips · w closes`, dim: true }]];
  if (detail === 'compact') return [head, ...text, ...hint];
  const gloss = glossary.slice(0, 3).map((g): Line => [{ text: `  ${g}`, dim: true }]);
  return [head, ...text, ...hint, ...gloss];
}
