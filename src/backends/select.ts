// Which backend a command talks to, and why (every command says both on stderr). An explicit
// --backend wins. Otherwise: local when a local-only flag was given or a local lab already exists
// (so status/down find what up started), else compose when a Docker engine and a Compose CLI
// answer, else local. The compose backend (dockerode, execa: ~45 MB of RSS) is only loaded when
// it is used.
import { existsSync } from 'node:fs';
import type { Config } from '../config/flags.js';
import type { ClusterBackend } from './backend.js';
import { LocalBackend } from './local.js';

function local(cfg: Config): LocalBackend {
  return new LocalBackend({ labDir: cfg.labDir, basePort: cfg.basePort, basePortExplicit: cfg.basePortExplicit, scale: cfg.scale, monitoring: cfg.monitoring, alertWebhook: cfg.alertWebhook });
}

async function compose(cfg: Config): Promise<ClusterBackend> {
  const { ComposeBackend } = await import('./compose.js');
  return new ComposeBackend({ envFile: cfg.envFile, offline: cfg.offline });
}

/** A Docker engine answers on its socket and a Compose CLI is installed. */
async function dockerAnswers(): Promise<boolean> {
  // No socket, no engine: decide without loading the Docker client at all.
  const host = process.env.DOCKER_HOST;
  if (!host && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { default: Docker } = await import('dockerode');
    const { findComposeCli } = await import('./compose-cli.js');
    await Promise.race([new Docker().ping(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 1500))]);
    await findComposeCli();
    return true;
  } catch {
    return false;
  }
}

export interface BackendChoice {
  backend: ClusterBackend;
  /** Why this backend, and how to pick the other one. */
  why: string;
}

const TO_COMPOSE = '--backend compose for the Docker lab';
const TO_LOCAL = '--backend local for processes on this host';

export async function chooseBackend(cfg: Config): Promise<BackendChoice> {
  if (cfg.backend === 'local') return { backend: local(cfg), why: '--backend local' };
  if (cfg.backend === 'compose') return { backend: await compose(cfg), why: cfg.backendBy ? `${cfg.backendBy} is a compose flag` : '--backend compose' };
  const l = local(cfg);
  if (cfg.basePortExplicit) return { backend: l, why: `--base-port is a local flag (${TO_COMPOSE})` };
  if (cfg.labDirExplicit) return { backend: l, why: `--lab-dir is a local flag (${TO_COMPOSE})` };
  if (await l.exists()) return { backend: l, why: `a local lab exists (${TO_COMPOSE})` };
  if (!(await dockerAnswers())) return { backend: l, why: 'no Docker engine answers' };
  return { backend: await compose(cfg), why: `a Docker engine answers and no local lab exists (${TO_LOCAL})` };
}

export async function makeBackend(cfg: Config): Promise<ClusterBackend> {
  return (await chooseBackend(cfg)).backend;
}
