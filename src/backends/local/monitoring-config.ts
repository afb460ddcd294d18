// Monitoring beside a local lab: postgres_exporter, Prometheus and Alertmanager from Debian's
// packages, run as lab processes (the lab's user, working inside the lab, recorded by pid + start
// time) with the repository's configuration files rendered for this lab's ports. Everything listens
// on 127.0.0.1. The exporter logs in as its own role (pg_monitor, plus SELECT on the monitor's node
// table) with a generated password it reads from a 0600 passfile, never from argv or its environment.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { which } from './env.js';
import type { ProcId } from '../proc.js';

export const EXPORTER_ROLE = 'pgha_exporter';

/** Processes of the monitoring stack, in start order (the exporter first: Prometheus scrapes it). */
export const MONITORING_PROCS = ['exporter', 'alertmanager', 'prometheus'] as const;
export type MonitoringProc = (typeof MONITORING_PROCS)[number];

/** Ports beside the lab's: monitor on base, nodes on base+1..3, monitoring from base+10. */
export interface MonitoringPorts {
  exporter: number;
  prometheus: number;
  alertmanager: number;
  /** Where alerts go unless --alert-webhook says otherwise: nothing listens there by default. */
  webhook: number;
}

export function monitoringPorts(base: number): MonitoringPorts {
  return { exporter: base + 10, prometheus: base + 11, alertmanager: base + 12, webhook: base + 13 };
}

export interface MonitoringTools {
  exporter: string;
  prometheus: string;
  alertmanager: string;
}

const PACKAGES: Record<keyof MonitoringTools, [binary: string, pkg: string]> = {
  exporter: ['prometheus-postgres-exporter', 'prometheus-postgres-exporter'],
  prometheus: ['prometheus', 'prometheus'],
  alertmanager: ['prometheus-alertmanager', 'prometheus-alertmanager'],
};

/** The three binaries, or one line naming the packages to install. */
export function findMonitoringTools(): MonitoringTools {
  const found: Partial<MonitoringTools> = {};
  const missing: string[] = [];
  for (const [key, [bin, pkg]] of Object.entries(PACKAGES) as [keyof MonitoringTools, [string, string]][]) {
    const path = which(bin);
    if (path) found[key] = path;
    else missing.push(pkg);
  }
  if (missing.length > 0) throw new UserError(`--monitoring needs ${missing.join(', ')}: sudo apt-get install -y ${missing.join(' ')}`);
  return found as MonitoringTools;
}

/** The repository's monitoring/ directory (the package root's, next to dist/). */
export const MONITORING_SOURCE = fileURLToPath(new URL('../../../monitoring/', import.meta.url));

export interface LabNames {
  /** Node name -> its port (the monitor included, under `monitor`). */
  ports: Record<string, number>;
  /** Node name -> its node id on the monitor (standbys' application_name is pgautofailover_standby_<id>). */
  ids: Record<string, number>;
}

/**
 * queries.yaml names servers by their compose addresses; here every server is 127.0.0.1, so the
 * server is named by its port and a standby by its application_name.
 */
export function renderQueries(src: string, names: LabNames): string {
  const byPort = Object.entries(names.ports).map(([n, p]) => `WHEN ${p} THEN '${n}'`);
  const byApp = Object.entries(names.ids).map(([n, id]) => `WHEN 'pgautofailover_standby_${id}' THEN '${n}'`);
  let hits = 0;
  const out = src
    .replace(/CASE host\(inet_server_addr\(\)\)\n((\s+)WHEN '[^']+' THEN '[^']+'\n)+/g, (_m, _l, indent: string) => {
      hits += 1;
      return `CASE inet_server_port()\n${byPort.map((w) => `${indent}${w}\n`).join('')}`;
    })
    .replace(/CASE host\(r\.client_addr\)\n((\s+)WHEN '[^']+' THEN '[^']+'\n)+/g, (_m, _l, indent: string) => {
      hits += 1;
      return `CASE r.application_name\n${byApp.map((w) => `${indent}${w}\n`).join('')}`;
    });
  if (hits !== 3) throw new Error(`queries.yaml: expected 3 address mappings to render, found ${hits}`);
  return out;
}

/**
 * prometheus.yml with the lab's ports, plus the alert rules, Alertmanager, and the console's own
 * metrics through a targets file the console fills in while it serves /metrics.
 */
export function renderPrometheus(src: string, ports: MonitoringPorts, dir: string): string {
  if (!src.includes('postgres-exporter:9187') || !src.includes('127.0.0.1:9090')) throw new Error('prometheus.yml: scrape targets not found');
  const body = src
    .replace('postgres-exporter:9187', `127.0.0.1:${ports.exporter}`)
    .replace('127.0.0.1:9090', `127.0.0.1:${ports.prometheus}`)
    // The compose file's own rules and Alertmanager (container paths and names) make way for ours.
    .replace(/^(rule_files|alerting):[^\n]*\n(?:(?:[ \t][^\n]*|[ \t]*)\n)*/gm, '')
    .trimEnd();
  return `${body}

  - job_name: alertmanager
    static_configs:
      - targets: ["127.0.0.1:${ports.alertmanager}"]

  # The console's /metrics (pgha-tui --metrics-port P) while it runs.
  - job_name: pgha-console
    file_sd_configs:
      - files: [${JSON.stringify(join(dir, CONSOLE_TARGETS))}]
        refresh_interval: 5s

rule_files:
  - ${JSON.stringify(join(dir, 'alerts.yml'))}

alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:${ports.alertmanager}"]
`;
}

export function renderAlertmanager(src: string, webhookUrl: string): string {
  const re = /url: http:\/\/127\.0\.0\.1:9099\/alerts/;
  if (!re.test(src)) throw new Error('alertmanager.yml: webhook url not found');
  return src.replace(re, `url: ${JSON.stringify(webhookUrl)}`);
}

export const CONSOLE_TARGETS = 'console-targets.json';

/** The file_sd targets file: the console's metrics address, or nothing. */
export function consoleTargets(port: number | null): string {
  return `${JSON.stringify(port === null ? [] : [{ targets: [`127.0.0.1:${port}`], labels: { lab: 'pgha-lab' } }])}\n`;
}

/** Write a world-readable config file of ours atomically (Prometheus may re-read it any time). */
export function writeConfig(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644, flag: 'w' });
  renameSync(tmp, path);
}

/** Render the four files into dir (ours, root-owned as root; no secret in any of them). */
export function renderAll(dir: string, names: LabNames, ports: MonitoringPorts, webhookUrl: string): void {
  const read = (p: string) => readFileSync(join(MONITORING_SOURCE, p), 'utf8');
  writeConfig(join(dir, 'queries.yaml'), renderQueries(read('postgres-exporter/queries.yaml'), names));
  writeConfig(join(dir, 'alerts.yml'), read('alerts.yml'));
  writeConfig(join(dir, 'alertmanager.yml'), renderAlertmanager(read('alertmanager/alertmanager.yml'), webhookUrl));
  writeConfig(join(dir, 'prometheus.yml'), renderPrometheus(read('prometheus.yml'), ports, dir));
  if (!existsSync(join(dir, CONSOLE_TARGETS))) writeConfig(join(dir, CONSOLE_TARGETS), consoleTargets(null));
}

export interface ProcSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The exporter's libpq passfile: its password for every server of the lab. */
export function exporterPassfile(password: string): string {
  return `127.0.0.1:*:*:${EXPORTER_ROLE}:${password}\n`;
}

/** Command lines for the three processes; state dirs under `state`, configs under `dir`. */
export function procSpecs(tools: MonitoringTools, dir: string, state: string, ports: MonitoringPorts, uris: string[]): Record<MonitoringProc, ProcSpec> {
  const base = { PATH: '/usr/bin:/bin', HOME: state, LANG: 'C.UTF-8' };
  return {
    exporter: {
      command: tools.exporter,
      // bgwriter and database are single-server collectors: with several DSNs exporter 0.11
      // reports them once per DSN with identical labels and /metrics fails.
      args: ['--web.listen-address', `127.0.0.1:${ports.exporter}`, '--no-collector.bgwriter', '--no-collector.database', '--extend.query-path', join(dir, 'queries.yaml')],
      env: {
        ...base,
        // Exporter 0.11 splits only DATA_SOURCE_NAME into several servers; its driver (lib/pq)
        // takes the password from a libpq passfile, so none is in the environment either.
        DATA_SOURCE_NAME: uris.map((u) => `postgresql://${EXPORTER_ROLE}@${u}`).join(','),
        PGPASSFILE: join(state, 'exporter.pgpass'),
        PG_EXPORTER_DISABLE_SETTINGS_METRICS: 'true',
      },
    },
    prometheus: {
      command: tools.prometheus,
      args: [
        '--config.file', join(dir, 'prometheus.yml'),
        '--storage.tsdb.path', join(state, 'prometheus'),
        '--storage.tsdb.retention.time', '2d',
        '--web.listen-address', `127.0.0.1:${ports.prometheus}`,
      ],
      env: base,
    },
    alertmanager: {
      command: tools.alertmanager,
      args: [
        '--config.file', join(dir, 'alertmanager.yml'),
        '--storage.path', join(state, 'alertmanager'),
        '--web.listen-address', `127.0.0.1:${ports.alertmanager}`,
        // An empty address turns the gossip cluster off: nothing else listens.
        '--cluster.listen-address=',
      ],
      env: base,
    },
  };
}

/** Where a process answers once it is ready. */
export function readyUrl(proc: MonitoringProc, ports: MonitoringPorts): string {
  if (proc === 'exporter') return `http://127.0.0.1:${ports.exporter}/metrics`;
  if (proc === 'prometheus') return `http://127.0.0.1:${ports.prometheus}/-/ready`;
  return `http://127.0.0.1:${ports.alertmanager}/-/ready`;
}

export type { ProcId };
