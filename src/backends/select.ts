// Which backend a command talks to. An explicit --backend wins. Otherwise: the backend whose lab
// already exists (so status/down find what up started), else compose when a Docker engine and a
// Compose CLI answer, else local.
import Docker from 'dockerode';
import type { Config } from '../config/flags.js';
import type { ClusterBackend } from './backend.js';
import { ComposeBackend } from './compose.js';
import { findComposeCli } from './compose-cli.js';
import { LocalBackend } from './local.js';

function local(cfg: Config): LocalBackend {
  return new LocalBackend({ labDir: cfg.labDir, basePort: cfg.basePort, basePortExplicit: cfg.basePortExplicit, scale: cfg.scale });
}

function compose(cfg: Config): ComposeBackend {
  return new ComposeBackend({ envFile: cfg.envFile, offline: cfg.offline });
}

async function dockerAnswers(): Promise<boolean> {
  try {
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
  const c = compose(cfg);
  return c;
}
