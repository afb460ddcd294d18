// Which backend a command talks to. An explicit --backend wins. Otherwise: the backend whose lab
// already exists (so status/down find what up started), else compose when a Docker engine and a
// Compose CLI answer, else local. The compose backend (dockerode, execa: ~45 MB of RSS) is only
// loaded when it is used.
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

export async function makeBackend(cfg: Config): Promise<ClusterBackend> {
  if (cfg.backend === 'local') return local(cfg);
  if (cfg.backend === 'compose') return compose(cfg);
  const l = local(cfg);
  if (cfg.basePortExplicit || (await l.exists())) return l;
  if (!(await dockerAnswers())) return l;
  return compose(cfg);
}
