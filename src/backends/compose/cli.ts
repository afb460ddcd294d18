// Which Compose CLI this host has: `docker compose` (v2) when present, else `docker-compose`
// (v1.29, the only one in Debian bookworm). Build/up/down go through it; everything finer-grained
// (kill, pause, network, inspect) goes through the Docker API (dockerode).
import { execa } from 'execa';
import { UserError } from '../../lib/errors.js';

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
