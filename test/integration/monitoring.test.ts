// Monitoring on the local backend with the real exporter, Prometheus and Alertmanager: configs pass
// promtool, every dashboard and alert expression runs through Prometheus's API against real
// series, and a hard kill of the primary (the console's `t`, default profile) drives "no writable
// primary" pending -> firing -> resolved, delivered to a webhook, while the console's RTO
// histogram gains its run; meanwhile the promoted node is shown held read-only until
// primary_demote_timeout has passed (status --json, the node itself, the RTO pane).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pidRuns } from '../../src/backends/proc.js';
import { freeRange } from '../../src/lib/ports.js';
import { resolveRunAs, superuserName } from '../../src/backends/local/env.js';
import { queryOnce } from '../../src/cluster/pg.js';
import { CLI, labPasswords, processesOf, removeLabParent, ROOT, runCli, sleep, tmpLab, type TestLab } from '../helpers/lab.js';
import { ALERTS, isConsolePanel, metricNames, promClient } from '../helpers/monitoring-rules.js';
import { Tmux } from '../helpers/tmux.js';

const lab: TestLab = { dir: '', port: 0, flags: [] };
const received: { status: string; alerts: { status: string; labels: Record<string, string> }[] }[] = [];
let webhook: Server | null = null;
const tmux = new Tmux('pgha-mon');
const prom = () => `http://127.0.0.1:${lab.port + 11}`;

beforeAll(async () => {
  // Monitor, nodes, then monitoring on base+10..12 and the default webhook on base+13.
  const port = await freeRange(14, 24000);
  Object.assign(lab, { dir: tmpLab(), port, flags: ['--backend', 'local', '--lab-dir', '', '--base-port', String(port)] });
  lab.flags[3] = lab.dir;
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((r) => webhook!.listen(port + 13, '127.0.0.1', r));
  // A lab made without monitoring, as before it existed: no exporter role, no password for it.
  const plain = await runCli(['up', ...lab.flags]);
  if (plain.code !== 0) throw new Error(`up failed (${plain.code}): ${plain.stderr}`);
  const su = { host: '127.0.0.1', user: superuserName(resolveRunAs()), password: labPasswords(lab.dir).superuser };
  await queryOnce({ ...su, port: port + 1, database: 'postgres' }, 'DROP ROLE pgha_exporter');
  await queryOnce({ ...su, port, database: 'pg_auto_failover' }, 'DROP ROLE pgha_exporter');
  rmSync(join(lab.dir, 'secrets', 'exporter-password'));
  const r = await runCli(['up', '--monitoring', ...lab.flags]);
  if (r.code !== 0) throw new Error(`up --monitoring failed (${r.code}): ${r.stderr}`);
}, 300_000);

afterAll(async () => {
  tmux.kill();
  webhook?.close();
  if (!lab.dir) return;
  await runCli(['down', '--volumes', ...lab.flags]);
  removeLabParent(lab);
});

const { api, instant } = promClient(prom);

const dashboard = JSON.parse(readFileSync(join(ROOT, 'monitoring/grafana/dashboards/pg_auto_failover.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

describe('monitoring on the local backend', () => {
  test('promtool accepts the rendered Prometheus config and the rules; the stack listens on loopback only, as the lab user, without a password in argv or environment', () => {
    const dir = join(lab.dir, 'monitoring');
    expect(execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    expect(execFileSync('promtool', ['check', 'rules', join(ROOT, 'monitoring/alerts.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS: 9 rules/);
    expect(ALERTS).toHaveLength(9);
    // Made again by the first up --monitoring, with a new password nobody else holds.
    const password = readFileSync(join(lab.dir, 'secrets', 'exporter-password'), 'utf8').trim();
    expect(password.length).toBeGreaterThan(20);
    for (const log of readdirSync(join(lab.dir, 'logs'))) expect(readFileSync(join(lab.dir, 'logs', log), 'utf8'), log).not.toContain(password);
    for (const name of ['exporter', 'prometheus', 'alertmanager']) {
      const { pid } = JSON.parse(readFileSync(join(lab.dir, 'pids', `${name}.json`), 'utf8')) as { pid: number };
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(password);
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(password);
      if (process.getuid?.() === 0) expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+(\d+)\s+\1\s+\1\s+\1$/m);
      const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`pid=${pid},`));
      expect(listening.length, name).toBeGreaterThan(0);
      for (const l of listening) expect(l, name).toMatch(/ 127\.0\.0\.1:\d+ /);
    }
  });

  test('after two scrapes every dashboard panel returns data and every alert expression parses, reads existing series and is quiet on a healthy cluster', async () => {
    const until = Date.now() + 60_000;
    while ((await instant('count_over_time(up{job="postgres-exporter"}[2m]) >= 2')).length === 0) {
      if (Date.now() > until) throw new Error('Prometheus did not scrape the exporter twice');
      await sleep(1000);
    }
    await sleep(6000); // one rule evaluation after the second scrape
    for (const panel of dashboard.panels.filter((p) => !isConsolePanel(p.title))) {
      for (const t of panel.targets) expect((await instant(t.expr)).length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
    }
    // The exporter logs in on every node, standbys included (its role reached them by replication).
    const nodes = await instant('pgha_node_writable{nodename=~"node.*"}');
    expect(nodes.map((s) => `${s.metric.nodename}=${s.value[1]}`).sort()).toEqual(['node1=1', 'node2=0', 'node3=0']);
    for (const rule of ALERTS) {
      expect(await instant(rule.expr), rule.name).toEqual([]);
      for (const name of metricNames(rule.expr)) expect((await instant(`count(${name})`)).length, `${rule.name} reads ${name}`).toBe(1);
    }
    const firing = (await api('/api/v1/alerts')).data.alerts.filter((a: { state: string }) => a.state === 'firing');
    expect(firing).toEqual([]);
  }, 90_000);

  test('a hard kill of the primary under t: no-writable-primary goes pending, fires, reaches the webhook and resolves; writable moves; the RTO histogram gains the run', async () => {
    const metricsPort = await freeRange(1, 26000);
    tmux.start(`${process.execPath} ${CLI} --metrics-port ${metricsPort} ${lab.flags.join(' ')}`, 160, 45);
    await tmux.waitFor((s) => /node1\s.*primary/.test(s) && /alerts 0 firing/.test(s), 20_000);
    // Prometheus picks the console up from the targets file within its 5 s refresh.
    const until = Date.now() + 30_000;
    while ((await instant('up{job="pgha-console"} == 1')).length === 0) {
      if (Date.now() > until) throw new Error('Prometheus did not scrape the console');
      await sleep(1000);
    }
    tmux.keys('t');
    await tmux.waitFor((s) => s.includes('kill node1 (the primary) hard?'), 3_000);
    tmux.keys('y');
    const states: string[] = [];
    let headerShowedFiring = false;
    // Meanwhile (default profile): the promoted node is out of recovery yet refuses writes until
    // primary_demote_timeout has passed; status --json, the node itself and the RTO pane say so.
    let held: { name: string; reportedState: string; readWrite: boolean | null } | null = null;
    let paneNamedWait = false;
    const deadline = Date.now() + 150_000;
    const resolved = () => received.some((m) => m.status === 'resolved' && m.alerts.some((a) => a.labels.alertname === 'PghaNoWritablePrimary' && a.status === 'resolved'));
    while (!resolved()) {
      if (Date.now() > deadline) throw new Error(`no resolved notification; states seen: ${states.join(' ')}; received: ${JSON.stringify(received)}`);
      const a = (await api('/api/v1/alerts')).data.alerts.find((x: { labels: { alertname: string } }) => x.labels.alertname === 'PghaNoWritablePrimary');
      if (a && states.at(-1) !== a.state) states.push(a.state);
      const screen = tmux.capture();
      if (/alerts [1-9]\d* firing/.test(screen)) headerShowedFiring = true;
      if (!held) {
        const st = JSON.parse((await runCli(['status', '--json', ...lab.flags])).stdout) as { nodes: { name: string; access: string; reportedState: string; readWrite: boolean | null }[] };
        const h = st.nodes.find((n) => n.name !== 'node1' && n.access === 'promoted-read-only');
        if (h) {
          held = h;
          const node = { host: '127.0.0.1', port: lab.port + Number(h.name.slice(4)), user: superuserName(resolveRunAs()), database: 'healthcare_db', password: labPasswords(lab.dir).superuser };
          const [row] = await queryOnce(node, `SELECT pg_is_in_recovery() AS rec, current_setting('default_transaction_read_only') AS dro`);
          expect(row).toEqual({ rec: false, dro: 'on' });
          await expect(queryOnce(node, `INSERT INTO audit_log (actor, action) VALUES ('pgha-tui test', 'probe')`)).rejects.toThrow(/read-only transaction/);
        }
      }
      if (held && /promoted but read-only: writes wait for primary_demote_timeout/.test(tmux.capture().replace(/\s+/g, ' '))) paneNamedWait = true;
      await sleep(500);
    }
    expect(held, 'a promoted, read-only node in status --json').not.toBeNull();
    expect(held!.readWrite).toBe(false);
    expect(['prepare_promotion', 'stop_replication']).toContain(held!.reportedState);
    expect(paneNamedWait).toBe(true);
    expect(states.slice(0, 2)).toEqual(['pending', 'firing']);
    expect(headerShowedFiring).toBe(true);
    const fired = received.find((m) => m.alerts.some((a) => a.labels.alertname === 'PghaNoWritablePrimary' && a.status === 'firing'));
    expect(fired).toBeDefined();
    // Once resolved, a node other than node1 is writable.
    const writable = await instant('pgha_node_writable{nodename=~"node.*"} == 1');
    expect(writable).toHaveLength(1);
    expect(writable[0]!.metric.nodename).not.toBe('node1');

    // The run ends once node1 is back as a secondary.
    await tmux.waitFor((s) => /\(1 runs?\)/.test(s), 150_000);
    const direct = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(direct).toMatch(/pgha_console_client_rto_seconds_count\{profile="default",fault="kill"\} 1\n/);
    expect(direct).toMatch(/pgha_console_load_acknowledged_total \d*[1-9]/);
    const scraped = Date.now() + 20_000;
    while ((await instant('sum(pgha_console_client_rto_seconds_count{profile="default",fault="kill"}) == 1')).length === 0) {
      if (Date.now() > scraped) throw new Error('Prometheus did not scrape the RTO observation');
      await sleep(1000);
    }
    for (const panel of dashboard.panels.filter((p) => isConsolePanel(p.title))) {
      for (const t of panel.targets) expect((await instant(t.expr)).length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
    }
    tmux.keys('q');
    await tmux.waitFor(() => !tmux.alive(), 20_000);
    expect(readFileSync(join(lab.dir, 'monitoring', 'console-targets.json'), 'utf8').trim()).toBe('[]');
  }, 330_000);

  test('down stops the monitoring processes with the cluster', async () => {
    const pids = ['exporter', 'prometheus', 'alertmanager'].map((n) => (JSON.parse(readFileSync(join(lab.dir, 'pids', `${n}.json`), 'utf8')) as { pid: number }).pid);
    const r = await runCli(['down', ...lab.flags]);
    expect(r.code, r.stderr).toBe(0);
    // A zombie waiting for init to reap it does not count (kill(pid, 0) would still succeed).
    for (const pid of pids) expect(pidRuns(pid)).toBe(false);
    expect(processesOf(lab.dir)).toEqual([]);
  }, 60_000);
});
