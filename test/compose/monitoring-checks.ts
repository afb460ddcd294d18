// What the compose suite checks on the stack's Prometheus and Alertmanager (published on
// 127.0.0.1:9090 and :9093), and the webhook receiver the stack's Alertmanager posts to: it
// listens on the lab network's gateway, the host's own address on that bridge.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ROOT, sleep } from '../helpers/lab.js';
import { ALERTS, isConsolePanel, metricNames, promClient } from '../helpers/monitoring-rules.js';

export const PROMETHEUS = 'http://127.0.0.1:9090';
export const ALERTMANAGER = 'http://127.0.0.1:9093';

export interface Notification {
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** The receiver alertmanager.compose.yml names; returns what it got so far. */
export async function startWebhook(): Promise<{ received: Notification[]; close: () => void }> {
  const url = new URL(/url: (\S+)/.exec(readFileSync(join(ROOT, 'monitoring/alertmanager/alertmanager.compose.yml'), 'utf8'))![1]!);
  const received: Notification[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === url.pathname) received.push(JSON.parse(body) as Notification);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(url.port), url.hostname, resolve);
  });
  return { received, close: () => server.close() };
}

export const { api, instant } = promClient(() => PROMETHEUS);

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos?: unknown;
  datasource?: { type?: string; uid?: string };
  targets: { expr: string; datasource?: { type?: string; uid?: string } }[];
}

export const DASHBOARD_FILE = join(ROOT, 'monitoring/grafana/dashboards/pg_auto_failover.json');
export const dashboard = () => JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { uid: string; title: string; panels: Panel[] };
export { ALERTS, isConsolePanel, metricNames };

/** Until Prometheus has scraped the exporter twice and evaluated the rules once more. */
export async function twoScrapes(): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await instant('count_over_time(up{job="postgres-exporter"}[2m]) >= 2')).length === 0) {
    if (Date.now() > until) throw new Error('Prometheus did not scrape the exporter twice');
    await sleep(1000);
  }
  await sleep(6000);
}

/** The alert expressions that return something now. */
export async function loudRules(): Promise<string[]> {
  const loud: string[] = [];
  for (const rule of ALERTS) if ((await instant(rule.expr)).length > 0) loud.push(rule.name);
  return loud;
}

export async function alertState(name: string): Promise<string | null> {
  const alerts = (await api('/api/v1/alerts')).data.alerts as { state: string; labels: { alertname: string } }[];
  return alerts.find((a) => a.labels.alertname === name)?.state ?? null;
}

/** Watch one alert's state in Prometheus every 500 ms until stopped: the distinct states in order. */
export function watchAlert(name: string): { states: string[]; stop: () => Promise<string[]> } {
  const states: string[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const s = (await alertState(name).catch(() => 'unreachable')) ?? 'inactive';
      if (states.at(-1) !== s) states.push(s);
      await sleep(500);
    }
  })();
  return {
    states,
    stop: async () => {
      on = false;
      await loop;
      return states;
    },
  };
}

export const notified = (received: Notification[], alert: string, status: 'firing' | 'resolved') =>
  received.some((m) => m.alerts.some((a) => a.labels.alertname === alert && a.status === status));
