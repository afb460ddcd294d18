// Rendering the repository's monitoring configs for a local lab, and the exporter's password
// verifier (pure functions; the real stack is exercised in test/integration/monitoring.test.ts).
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { scramVerifier } from '../../src/backends/local/auth.js';
import { consoleTargets, monitoringPorts, renderAlertmanager, renderPrometheus, renderQueries } from '../../src/backends/local/monitoring-config.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, 'monitoring', p), 'utf8');
const names = { ports: { monitor: 6000, node1: 6001, node2: 6002, node3: 6003 }, ids: { node1: 1, node2: 3, node3: 2 } };

describe('local monitoring configs', () => {
  test('queries name servers by port and standbys by application_name, leaving no compose address', () => {
    const out = renderQueries(read('postgres-exporter/queries.yaml'), names);
    expect(out).not.toMatch(/172\.28\./);
    expect(out.match(/CASE inet_server_port\(\)/g)).toHaveLength(2);
    expect(out).toContain("WHEN 6002 THEN 'node2'");
    expect(out).toContain("WHEN 'pgautofailover_standby_3' THEN 'node2'");
  });

  test('a queries file without the mappings is refused instead of rendered wrong', () => {
    expect(() => renderQueries('pgha_node:\n  query: SELECT 1\n', names)).toThrow(/3 address mappings/);
  });

  test('prometheus.yml scrapes the lab ports and adds rules, Alertmanager and the console targets file', () => {
    const p = monitoringPorts(6000);
    expect(p).toEqual({ exporter: 6010, prometheus: 6011, alertmanager: 6012, webhook: 6013 });
    const out = renderPrometheus(read('prometheus.yml'), p, '/lab/monitoring');
    expect(out).toContain('127.0.0.1:6010');
    expect(out).toContain('127.0.0.1:6011');
    expect(out).not.toContain('postgres-exporter:9187');
    expect(out).toContain('rule_files:\n  - "/lab/monitoring/alerts.yml"');
    expect(out).toContain('files: ["/lab/monitoring/console-targets.json"]');
    expect(out).toMatch(/alertmanagers:\n\s+- static_configs:\n\s+- targets: \["127\.0\.0\.1:6012"\]/);
  });

  test('rules and Alertmanager the compose file may carry are replaced, not duplicated', () => {
    const src = `${read('prometheus.yml')}\nrule_files:\n  - /etc/prometheus/alerts.yml\n\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ["alertmanager:9093"]\n`;
    const out = renderPrometheus(src, monitoringPorts(6000), '/lab/monitoring');
    expect(out.match(/^rule_files:/gm)).toHaveLength(1);
    expect(out.match(/^alerting:/gm)).toHaveLength(1);
    expect(out).not.toContain('alertmanager:9093');
    expect(out).not.toContain('/etc/prometheus/alerts.yml');
  });

  test('alertmanager posts to the given webhook; console targets file is empty when off', () => {
    expect(renderAlertmanager(read('alertmanager/alertmanager.yml'), 'http://127.0.0.1:7000/x')).toContain('url: "http://127.0.0.1:7000/x"');
    expect(JSON.parse(consoleTargets(null))).toEqual([]);
    expect(JSON.parse(consoleTargets(9464))[0].targets).toEqual(['127.0.0.1:9464']);
  });

  test('the SCRAM verifier matches RFC 7677 arithmetic and never contains the password', () => {
    const salt = Buffer.from('0123456789abcdef');
    const v = scramVerifier('pencil-secret', salt, 4096);
    const [head, keys] = v.split('$').slice(1);
    expect(head).toBe(`4096:${salt.toString('base64')}`);
    const salted = pbkdf2Sync('pencil-secret', salt, 4096, 32, 'sha256');
    const stored = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
    expect(keys!.split(':')[0]).toBe(stored);
    expect(v).not.toContain('pencil-secret');
    expect(v.startsWith('SCRAM-SHA-256$')).toBe(true);
  });
});
