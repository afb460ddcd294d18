#!/usr/bin/env node
// Makes sure the Debian packages a purpose needs are installed: installs them when we are root
// with apt-get (a fresh lab machine), otherwise prints the one line that installs them.
//   node scripts/ensure-deps.mjs local   -> pg_autoctl + PostgreSQL for the local backend
//   node scripts/ensure-deps.mjs test    -> the above + tmux (the end-to-end tests drive the TUI in it)
//                                           + postgres_exporter, Prometheus, Alertmanager (--monitoring)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, unlinkSync, writeSync } from 'node:fs';

const purpose = process.argv[2] ?? 'local';
const wanted = {
  local: { 'pg_autoctl': 'pg-auto-failover-cli', '/usr/share/postgresql/15/extension/pgautofailover.control': 'postgresql-15-auto-failover' },
  test: {
    'pg_autoctl': 'pg-auto-failover-cli',
    '/usr/share/postgresql/15/extension/pgautofailover.control': 'postgresql-15-auto-failover',
    tmux: 'tmux',
    pgbench: 'postgresql-contrib',
    'prometheus-postgres-exporter': 'prometheus-postgres-exporter',
    prometheus: 'prometheus',
    promtool: 'prometheus',
    'prometheus-alertmanager': 'prometheus-alertmanager',
  },
}[purpose];
if (!wanted) {
  console.error(`ensure-deps: unknown purpose ${purpose}`);
  process.exit(2);
}

const has = (what) =>
  what.startsWith('/') ? existsSync(what) : spawnSync('sh', ['-c', `command -v ${what}`], { stdio: 'ignore' }).status === 0;
const missing = [...new Set(Object.entries(wanted).filter(([what]) => !has(what)).map(([, pkg]) => pkg))];
if (missing.length === 0) process.exit(0);

const line = `sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(`pgha-tui needs Debian packages that are not installed: ${line}`);
  // The console itself can still explain and exit cleanly; tests cannot run without them.
  process.exit(purpose === 'test' ? 1 : 0);
}
console.error(`installing ${missing.join(' ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
// Debian's prometheus packages start system services on install (Prometheus on *:9090, the
// exporter on *:9187), which would hold the compose lab's ports; the lab runs its own. A
// policy-rc.d that we create (only when there is none) and remove tells dpkg to start nothing.
const policy = '/usr/sbin/policy-rc.d';
let ours = false;
try {
  const fd = openSync(policy, 'wx', 0o755);
  writeSync(fd, '#!/bin/sh\n# pgha-tui ensure-deps: no service starts during this install\nexit 101\n');
  closeSync(fd);
  ours = true;
} catch {
  /* one exists: it is the machine's policy, leave it */
}
try {
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
} finally {
  if (ours) unlinkSync(policy);
}
