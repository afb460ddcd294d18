// Which backend a command talks to, and why (every command says both on stderr). An explicit
// --backend wins. Otherwise: local when a local-only flag was given or a local lab already exists
// (so status/down find what up started), else compose when a Docker engine and a Compose CLI
// answer, else local. The compose backend (dockerode, execa: ~45 MB of RSS) is only loaded when
// it is used.
import { existsSync } from 'node:fs';
import type { AttachOptions } from './attach/attach-backend.js';
import type { ClusterBackend } from './backend.js';
import type { ComposeOptions } from './compose/compose-backend.js';
import { LocalBackend } from './local/local-backend.js';
import type { LocalOptions } from './local/lab.js';

/** What the selection needs to know, as plain options (the caller maps its flags onto them). */
export interface BackendSelection {
  backend: 'local' | 'compose' | 'attach' | 'auto';
  /** The compose-only flag that chose the compose backend, when --backend was not given. */
  backendBy?: string;
  labDirExplicit: boolean;
  local: LocalOptions;
  compose: ComposeOptions;
  /** Set when --monitor was given. */
  attach: AttachOptions | null;
}

async function compose(opts: ComposeOptions): Promise<ClusterBackend> {
  const { ComposeBackend } = await import('./compose/compose-backend.js');
  return new ComposeBackend(opts);
}

/** A Docker engine answers on its socket and a Compose CLI is installed. */
async function dockerAnswers(): Promise<boolean> {
  // No socket, no engine: decide without loading the Docker client at all.
  const host = process.env.DOCKER_HOST;
  if (!host && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { default: Docker } = await import('dockerode');
    const { findComposeCli } = await import('./compose/cli.js');
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

export async function chooseBackend(cfg: BackendSelection): Promise<BackendChoice> {
  if (cfg.backend === 'attach' && cfg.attach) {
    const { AttachBackend } = await import('./attach/attach-backend.js');
    const b = new AttachBackend(cfg.attach);
    await b.load();
    return { backend: b, why: `--monitor (${cfg.attach.allowActions ? 'actions allowed' : 'read-only'})` };
  }
  if (cfg.backend === 'local') return { backend: new LocalBackend(cfg.local), why: '--backend local' };
  if (cfg.backend === 'compose') return { backend: await compose(cfg.compose), why: cfg.backendBy ? `${cfg.backendBy} is a compose flag` : '--backend compose' };
  const l = new LocalBackend(cfg.local);
  if (cfg.local.basePortExplicit) return { backend: l, why: `--base-port is a local flag (${TO_COMPOSE})` };
  if (cfg.labDirExplicit) return { backend: l, why: `--lab-dir is a local flag (${TO_COMPOSE})` };
  if (await l.exists()) return { backend: l, why: `a local lab exists (${TO_COMPOSE})` };
  if (!(await dockerAnswers())) return { backend: l, why: 'no Docker engine answers' };
  return { backend: await compose(cfg.compose), why: `a Docker engine answers and no local lab exists (${TO_LOCAL})` };
}
