// The Compose CLI: `docker compose` (v2) when present, else `docker-compose` (v1.29, the only
// one in Debian bookworm), and how the lab runs it. Build/up/down go through it; everything
// finer-grained (kill, pause, network, inspect) goes through the Docker API (dockerode).
import { execa } from 'execa';
import { UserError } from '../../lib/errors.js';
import type { Progress } from '../backend.js';
import { KNOWN_KEYS } from './env-file.js';
import { PROJECT, ROOT } from './project.js';

export interface ComposeCli {
  command: string;
  prefix: string[];
  version: string;
}

let cached: ComposeCli | null = null;

export async function findComposeCli(): Promise<ComposeCli> {
  if (cached) return cached;
  const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  if (v2.exitCode === 0) {
    cached = { command: 'docker', prefix: ['compose'], version: String(v2.stdout).trim() };
    return cached;
  }
  const v1 = await execa('docker-compose', ['version', '--short'], { reject: false });
  if (v1.exitCode === 0) {
    cached = { command: 'docker-compose', prefix: [], version: String(v1.stdout).trim() };
    return cached;
  }
  throw new UserError('Docker Compose not found: sudo apt-get install -y docker-compose (or the docker compose v2 plugin)');
}

/** Which lab a Compose command acts on: its .env file, and whether it builds without a registry. */
export interface ComposeTarget {
  envFile: string;
  offline: boolean;
}

function files(offline: boolean): string[] {
  const f = ['-f', `${ROOT}compose/docker-compose.yml`];
  if (offline) f.push('-f', `${ROOT}compose/docker-compose.offline.yml`);
  return f;
}

/** Run one Compose command on the lab, its output as progress; a failure names its last line. */
export async function runCompose(target: ComposeTarget, args: string[], progress?: Progress, signal?: AbortSignal): Promise<void> {
  const cli = await findComposeCli();
  const proc = execa(cli.command, [...cli.prefix, '-p', PROJECT, '--env-file', target.envFile, ...files(target.offline), ...args], {
    cwd: ROOT,
    all: true,
    reject: false,
    cancelSignal: signal,
    env: composeEnv(),
    extendEnv: false,
  });
  let tail = '';
  proc.all?.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      const l = line.trim();
      if (!l) continue;
      tail = l;
      progress?.(l);
    }
  });
  const res = await proc;
  signal?.throwIfAborted();
  if (res.exitCode !== 0) throw new UserError(`docker compose ${args[0]} failed: ${tail}`);
}

/**
 * The Compose CLI's environment: ours, minus every lab key and COMPOSE_* setting inherited from
 * the shell. A shell variable would beat the validated .env file inside Compose.
 */
export function composeEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || k.startsWith('COMPOSE_') || (KNOWN_KEYS as readonly string[]).includes(k)) continue;
    env[k] = v;
  }
  env.COMPOSE_PROJECT_NAME = PROJECT;
  return env;
}
