// What both monitoring suites (local processes, the compose stack) read from monitoring/: the
// alert rules and the dashboard, plus a small client for a Prometheus's HTTP API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './lab.js';

export const ALERTS = [
  ...readFileSync(join(ROOT, 'monitoring/alerts.yml'), 'utf8').matchAll(/- alert: (\w+)\n\s+(?:#.*\n\s+)*expr: (\|\n((?:\s{10}.*\n)+)|(.*)\n)/g),
].map((m) => ({ name: m[1]!, expr: (m[3] ?? m[4]!).trim() }));

/** Metric names an expression reads (identifiers followed by `{`, `[`, `)` or a comparison, not functions). */
export function metricNames(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b([a-z_]+_[a-z_]+|up)\b(?=\s*[{)\[]|\s*[=!<>]|\s*$)/g)].map((m) => m[1]!))].filter((n) => !['on', 'by', 'vector', 'absent'].includes(n));
}

/** Panels fed only by the console's own /metrics. */
export const isConsolePanel = (title: string) => title.startsWith('Client RTO');

export interface PromClient {
  api(path: string, params?: Record<string, string>): Promise<{ status: string; data: any; error?: string }>;
  /** An instant query that must succeed; its result vector. */
  instant(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

export function promClient(base: () => string): PromClient {
  const api: PromClient['api'] = async (path, params = {}) => {
    const res = await fetch(`${base()}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
    return (await res.json()) as { status: string; data: any; error?: string };
  };
  return {
    api,
    async instant(expr) {
      const r = await api('/api/v1/query', { query: expr });
      expect(r.status, `${expr}: ${r.error}`).toBe('success');
      return r.data.result;
    },
  };
}
