// The folder graph of src/ has no cycles and only the edges the table below allows; the domain
// (cluster, backends, actions) never imports React or Ink; no file-level cycle; tests never lean on
// src/bench. The checker reads the import statements as text, so it runs in milliseconds.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Which folder of src/ may import which; files directly in src/ are `root`. Read bottom-up:
 * lib ← cluster ← backends ← actions ← learn ← config, ui ← root (config and ui do not import
 * each other); bench may import anything and nothing imports bench. An edge not listed here fails the
 * test, even when it makes no cycle.
 */
const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  cluster: ['lib'],
  backends: ['lib', 'cluster'],
  actions: ['lib', 'cluster', 'backends'],
  learn: ['lib', 'cluster', 'backends', 'actions'],
  config: ['lib', 'cluster', 'backends', 'actions'],
  ui: ['lib', 'cluster', 'actions', 'learn'],
  root: ['lib', 'cluster', 'backends', 'actions', 'learn', 'config', 'ui'],
  bench: ['lib', 'cluster', 'backends', 'actions', 'learn', 'config', 'ui', 'root'],
};

/** Folders that hold the domain: no React, no Ink, no .tsx. */
const NO_UI = ['cluster', 'backends', 'actions', 'learn'];
const UI_PACKAGE = /^(react|ink)(\/.*)?$|^ink-/;

interface Import {
  from: string;
  /** A repo-relative file for a relative import, else the package name as written. */
  to: string;
  external: boolean;
}

/** Every import of a file: static, type-only, re-exports, side effects and import(). */
export function importsOf(file: string, source: string): Import[] {
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\s+[\w*\s{},]*?\sfrom\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((spec) => {
    if (!spec.startsWith('.')) return { from: file, to: spec, external: true };
    const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '');
    return { from: file, to: target, external: false };
  });
}

/** `src/cluster/x.ts` -> `cluster`; `src/main.tsx` -> `root`; outside src/: null. */
export function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'src') return null;
  return parts.length === 2 ? 'root' : parts[1]!;
}

/** Resolve an extension-less target to the file that exists (x.ts, x.tsx, x/index.ts). */
function resolveTarget(target: string, files: Map<string, string>): string {
  for (const ext of ['.ts', '.tsx', '/index.ts', '']) if (files.has(target + ext)) return target + ext;
  return target;
}

/** Every cycle of a directed graph, one per strongly connected component, as a closed path. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1 || edges.get(v)?.has(v)) found.push(pathThrough(v, new Set(scc), edges));
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * Every elementary cycle, each once (starting at its smallest node in insertion order): for the
 * folder graph, a handful of nodes, where every cycle is worth naming.
 */
export function allCycles(edges: Map<string, Set<string>>): string[][] {
  const order = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])];
  const rank = new Map(order.map((v, i) => [v, i]));
  const found: string[][] = [];
  for (const start of order) {
    const walk = (v: string, path: string[]) => {
      for (const w of edges.get(v) ?? []) {
        if (w === start) found.push([...path, start]);
        else if (rank.get(w)! > rank.get(start)! && !path.includes(w)) walk(w, [...path, w]);
      }
    };
    walk(start, [start]);
  }
  return found;
}

/** One concrete cycle from start back to start, inside its component (breadth-first). */
function pathThrough(start: string, scc: Set<string>, edges: Map<string, Set<string>>): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Every problem in a set of files (repo-relative path -> source); empty when the house is clean. */
export function layeringProblems(files: Map<string, string>): string[] {
  const problems: string[] = [];
  const folderEdges = new Map<string, Set<string>>();
  const fileEdges = new Map<string, Set<string>>();
  const why = new Map<string, string[]>(); // "a -> b" (folders) -> the file imports behind it
  for (const [file, source] of files) {
    const from = folderOf(file);
    for (const imp of importsOf(file, source)) {
      if (imp.external) {
        if (from && NO_UI.includes(from) && UI_PACKAGE.test(imp.to)) problems.push(`${file} imports ${imp.to}: src/${from} must not use React or Ink`);
        continue;
      }
      const target = resolveTarget(imp.to, files);
      const to = folderOf(target);
      if (from === null) {
        if (to === 'bench') problems.push(`${file} imports ${target}: tests must not depend on src/bench`);
        continue;
      }
      if (to === null) continue;
      if (NO_UI.includes(from) && target.endsWith('.tsx')) problems.push(`${file} imports ${target}: src/${from} must not use React or Ink`);
      if (!fileEdges.has(file)) fileEdges.set(file, new Set());
      fileEdges.get(file)!.add(target);
      if (from === to) continue;
      if (!folderEdges.has(from)) folderEdges.set(from, new Set());
      folderEdges.get(from)!.add(to);
      const key = `${from} -> ${to}`;
      why.set(key, [...(why.get(key) ?? []), `${file} -> ${target}`]);
      if (!(ALLOWED[from] ?? []).includes(to)) problems.push(`${file} imports ${target}: ${from} may not import ${to} (allowed: ${(ALLOWED[from] ?? []).join(', ') || 'nothing'})`);
    }
  }
  for (const cycle of allCycles(folderEdges)) {
    const steps = cycle.slice(1).map((to, i) => `${cycle[i]} -> ${to} (${why.get(`${cycle[i]} -> ${to}`)!.join(', ')})`);
    problems.push(`folder cycle ${cycle.join(' -> ')}: ${steps.join('; ')}`);
  }
  for (const cycle of cycles(fileEdges)) problems.push(`file cycle ${cycle.join(' -> ')}`);
  return problems;
}

function sourcesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) out.set(relative(ROOT, p), readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

describe('layering', () => {
  it('src/ and test/ keep the allowed folder graph, without cycles or React in the domain', () => {
    const files = new Map([...sourcesUnder('src'), ...sourcesUnder('test')]);
    expect(files.size).toBeGreaterThan(50);
    expect(layeringProblems(files)).toEqual([]);
  });

  it('sees every kind of import', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../lib/b.js';",
      "export { c } from './c.js';",
      "import './side.js';",
      'import {\n  d,\n  e,\n} from "./de.js";',
      "const { f } = await import('../cluster/f.js');",
    ].join('\n');
    expect(importsOf('src/actions/x.ts', src).map((i) => i.to)).toEqual(['src/actions/a', 'src/lib/b', 'src/actions/c', 'src/actions/de', 'src/actions/side', 'src/cluster/f']);
  });

  it('fails on a folder cycle and names the imports that make it', () => {
    const files = new Map([
      ['src/cluster/a.ts', "import { b } from '../actions/b.js';\nexport const a = 1;"],
      ['src/actions/b.ts', "import { a } from '../cluster/a.js';\nexport const b = a;"],
    ]);
    const problems = layeringProblems(files);
    expect(problems).toContain('src/cluster/a.ts imports src/actions/b.ts: cluster may not import actions (allowed: lib)');
    expect(problems.find((p) => p.startsWith('folder cycle'))).toMatch(/cluster -> actions \(src\/cluster\/a\.ts -> src\/actions\/b\.ts\)/);
    expect(problems.find((p) => p.startsWith('file cycle'))).toMatch(/src\/cluster\/a\.ts|src\/actions\/b\.ts/);
  });

  it('names every folder cycle, not one per tangle', () => {
    const files = new Map([
      ['src/cluster/a.ts', "import { b } from '../backends/b.js';"],
      ['src/backends/b.ts', "import { c } from '../actions/c.js';\nimport { a } from '../cluster/a.js';"],
      ['src/actions/c.ts', "import { a } from '../cluster/a.js';"],
    ]);
    expect(layeringProblems(files).filter((p) => p.startsWith('folder cycle')).map((p) => p.split(':')[0])).toEqual([
      'folder cycle cluster -> backends -> actions -> cluster',
      'folder cycle cluster -> backends -> cluster',
    ]);
  });

  it('fails on a cycle between folders the table does not know, through import()', () => {
    const files = new Map([
      ['src/x/a.ts', "export const a = async () => (await import('../y/b.js')).b;"],
      ['src/y/b.ts', "import { a } from '../x/a.js';\nexport const b = a;"],
    ]);
    expect(layeringProblems(files).filter((p) => p.startsWith('folder cycle'))).toHaveLength(1);
  });

  it('fails on a file cycle inside one folder', () => {
    const files = new Map([
      ['src/actions/target.ts', "import type { T } from './types.js';"],
      ['src/actions/types.ts', "import type { U } from './target.js';"],
    ]);
    expect(layeringProblems(files)).toEqual([expect.stringMatching(/^file cycle src\/actions\/(target|types)\.ts -> .* -> src\/actions\/\1\.ts$/)]);
  });

  it('fails on React, Ink or a .tsx file imported into the domain', () => {
    const files = new Map([
      ['src/backends/a.ts', "import React from 'react';"],
      ['src/cluster/b.ts', "import { Box } from 'ink';\nimport Spinner from 'ink-spinner';"],
      ['src/actions/c.ts', "import { App } from '../ui/App.js';"],
      ['src/ui/App.tsx', "import { Box } from 'ink';"],
    ]);
    const problems = layeringProblems(files);
    expect(problems.filter((p) => /must not use React or Ink/.test(p))).toEqual([
      'src/backends/a.ts imports react: src/backends must not use React or Ink',
      'src/cluster/b.ts imports ink: src/cluster must not use React or Ink',
      'src/cluster/b.ts imports ink-spinner: src/cluster must not use React or Ink',
      'src/actions/c.ts imports src/ui/App.tsx: src/actions must not use React or Ink',
    ]);
  });

  it('fails on a test helper that imports src/bench, and on anything importing bench', () => {
    const files = new Map([
      ['test/helpers/lab.ts', "import { freeRange } from '../../src/bench/util.js';"],
      ['src/bench/util.ts', 'export const freeRange = 1;'],
      ['src/main.tsx', "import { freeRange } from './bench/util.js';"],
    ]);
    expect(layeringProblems(files)).toEqual([
      'test/helpers/lab.ts imports src/bench/util.ts: tests must not depend on src/bench',
      'src/main.tsx imports src/bench/util.ts: root may not import bench (allowed: lib, cluster, backends, actions, learn, config, ui)',
    ]);
  });
});
