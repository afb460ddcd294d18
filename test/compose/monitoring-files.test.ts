// The compose stack's monitoring files, checked without an engine: Prometheus's config and rules
// with promtool, Alertmanager's with amtool, Grafana's provisioning against the dashboard and the
// compose file's mounts (Grafana itself is only there when its image can be pulled).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/lab.js';
import { ALERTS, dashboard } from './monitoring-checks.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const COMPOSE = read('compose/docker-compose.yml');

/** The `key: value` scalars of a provisioning file's list items, one object per `- ` item. */
function items(yaml: string, list: string): Record<string, string>[] {
  const body = new RegExp(`^${list}:\\n((?:[ \\t]+.*\\n|\\n)*)`, 'm').exec(yaml);
  if (!body) throw new Error(`no ${list}: list`);
  return body[1]!.split(/^\s{2}- /m).slice(1).map((item) => Object.fromEntries([...item.matchAll(/^\s*(\w+): (.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()])));
}

/** host:container of each bind mount of a service in docker-compose.yml. */
function mounts(service: string): Map<string, string> {
  const block = new RegExp(`^  ${service}:\\n((?:    .*\\n|\\n)*)`, 'm').exec(COMPOSE)![1]!;
  const vols = /^    volumes:\n((?:      - .*\n)*)/m.exec(block)![1]!;
  return new Map([...vols.matchAll(/- (\.\.\/[^:]+):([^:\n]+)/g)].map((m) => [m[1]!.replace(/^\.\.\//, ''), m[2]!]));
}

describe('the compose stack’s monitoring files', () => {
  test('promtool accepts the compose Prometheus config, which loads the 9 rules and sends to the stack’s Alertmanager', () => {
    const out = execFileSync('promtool', ['check', 'config', join(ROOT, 'monitoring/prometheus.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    expect(out).toMatch(/SUCCESS: 9 rules found/);
    expect(execFileSync('promtool', ['check', 'rules', join(ROOT, 'monitoring/alerts.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS: 9 rules/);
    expect(ALERTS).toHaveLength(9);
    // Inside the container the rules sit beside the config, as they do in the repository.
    const prom = mounts('prometheus');
    expect(prom.get('monitoring/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(prom.get('monitoring/alerts.yml')).toBe('/etc/prometheus/alerts.yml');
    expect(read('monitoring/prometheus.yml')).toMatch(/^rule_files:\n(?:\s+#.*\n)*\s+- alerts\.yml$/m);
    expect(read('monitoring/prometheus.yml')).toMatch(/targets: \["alertmanager:9093"\]/);
  });

  test('amtool accepts both Alertmanager configs; the compose one differs only in where it posts, a host address containers reach', () => {
    for (const f of ['alertmanager.yml', 'alertmanager.compose.yml']) {
      expect(execFileSync('amtool', ['check-config', join(ROOT, 'monitoring/alertmanager', f)], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    }
    const strip = (s: string) => s.replace(/^#.*\n/gm, '').replace(/url: \S+/, 'url: X');
    expect(strip(read('monitoring/alertmanager/alertmanager.compose.yml'))).toBe(strip(read('monitoring/alertmanager/alertmanager.yml')));
    const url = new URL(/url: (\S+)/.exec(read('monitoring/alertmanager/alertmanager.compose.yml'))![1]!);
    // The lab network's gateway: the Docker host's own address on that bridge.
    const gateway = /^  lab:\n(?:    .*\n)*?\s+gateway: (\S+)/m.exec(COMPOSE)![1]!;
    expect(url.hostname).toBe(gateway);
    expect(mounts('alertmanager').get('monitoring/alertmanager/alertmanager.compose.yml')).toBe('/etc/alertmanager/alertmanager.yml');
    expect(COMPOSE).toMatch(/"127\.0\.0\.1:9093:9093"/);
  });

  test('Grafana provisioning: the datasource is the stack’s Prometheus, every panel and target uses its uid, the dashboards directory is the one mounted', () => {
    const ds = read('monitoring/grafana/provisioning/datasources/prometheus.yml');
    expect(ds).toMatch(/^apiVersion: 1$/m);
    const sources = items(ds, 'datasources');
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: 'true' });
    const uids = new Set(sources.map((s) => s.uid));
    expect(uids.has(undefined as unknown as string)).toBe(false);

    const d = dashboard();
    expect(d.uid).toMatch(/^[\w-]{1,40}$/);
    expect(d.title.length).toBeGreaterThan(0);
    expect(d.panels.length).toBeGreaterThan(0);
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    for (const p of d.panels) {
      expect(p.type, p.title).toMatch(/^(stat|timeseries|state-timeline|table|gauge)$/);
      expect(p.gridPos, p.title).toBeDefined();
      expect(p.datasource?.type, p.title).toBe('prometheus');
      expect(uids.has(p.datasource!.uid!), `${p.title}: datasource uid ${p.datasource?.uid}`).toBe(true);
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) {
        expect(t.expr.trim().length, p.title).toBeGreaterThan(0);
        if (t.datasource) expect(uids.has(t.datasource.uid!), `${p.title}: target datasource uid ${t.datasource.uid}`).toBe(true);
      }
    }

    const prov = read('monitoring/grafana/provisioning/dashboards/pgha.yml');
    expect(prov).toMatch(/^apiVersion: 1$/m);
    const [provider] = items(prov, 'providers');
    expect(provider).toMatchObject({ type: 'file' });
    const grafana = mounts('grafana');
    expect(grafana.get('monitoring/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    expect(grafana.get('monitoring/grafana/dashboards')).toBe(provider!.path);
  });
});
