// What a person without a usable Docker sees: one line naming what is missing, a non-zero exit,
// and no container of the lab created. Runs with the engine up (after scripts/ci/docker-setup.sh)
// and the lab down, so each failure below is caused only by what the test takes away.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ComposeBackend } from '../../src/backends/compose/compose-backend.js';
import { PROJECT } from '../../src/backends/compose/project.js';
import { portFree } from '../../src/lib/ports.js';
import { ROOT, runCli } from '../helpers/lab.js';

const ENV = join(ROOT, '.env.test');
const FLAGS = ['up', '--backend', 'compose', '--offline', '--compose-env', ENV];
const docker = new Docker();
const LABEL = { label: [`com.docker.compose.project=${PROJECT}`] };
const labContainers = async () => (await docker.listContainers({ all: true, filters: LABEL })).length;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'pgha-docker-errors-'));
  await docker.ping(); // the engine is up: every failure below is the one the test causes
  expect(await labContainers()).toBe(0);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  return lines[0]!;
}

describe('compose backend without a usable Docker', () => {
  test('docker not on PATH: "Docker not installed", exit 1, nothing created', async () => {
    // The CLI itself runs from process.execPath; an empty PATH hides docker and docker-compose.
    const r = await runCli(FLAGS, 60_000, { PATH: scratch });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toContain('Docker not installed');
    expect(await labContainers()).toBe(0);
  });

  test('engine not answering: "the Docker engine is not running", exit 1, nothing created', async () => {
    const r = await runCli(FLAGS, 60_000, { DOCKER_HOST: `unix://${join(scratch, 'no-engine.sock')}` });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toContain('the Docker engine is not running');
    expect(await labContainers()).toBe(0);
  });

  test('a published port taken: exit 2 naming the port, nothing created', async () => {
    expect(await portFree(5433)).toBe(true); // ours to take for this test only
    const server: Server = createServer();
    await new Promise<void>((res) => server.listen(5433, '127.0.0.1', res));
    try {
      const r = await runCli(FLAGS, 60_000);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toContain('port 5433 is already in use');
      expect(await labContainers()).toBe(0);
    } finally {
      await new Promise((res) => server.close(res));
    }
  });
});

describe('fixed names, checked labels', () => {
  test('a decoy container named like a node is never touched, and up refuses to start around it', async () => {
    // Same name as a lab node, no project label: what another project or a user may well have.
    const decoy = await docker.createContainer({ name: 'postgres-primary', Image: 'debian:bookworm-slim', Cmd: ['sleep', '600'], Labels: { purpose: 'pgha-decoy' } });
    try {
      await decoy.start();
      const backend = new ComposeBackend({ envFile: ENV, offline: true });
      for (const act of [() => backend.kill('postgres-primary'), () => backend.stop('postgres-primary'), () => backend.freeze('postgres-primary', true), () => backend.partition('postgres-primary', true)]) {
        await expect(act()).rejects.toThrow(/postgres-primary is not part of the pgha-lab lab/);
      }
      const state = (await decoy.inspect()).State;
      expect(state.Running && !state.Paused).toBe(true);
      expect(await backend.processState('postgres-primary')).toBe('stopped');
      const r = await runCli(FLAGS, 60_000);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toContain('container postgres-primary holds a name of the pgha-lab lab without being part of it');
      expect(await labContainers()).toBe(0);
      expect((await decoy.inspect()).State.Running).toBe(true);
    } finally {
      await decoy.remove({ force: true });
    }
  });

  test('an up that fails after Compose created the lab leaves no container, network or volume', async () => {
    // Fails in the wait for the cluster, after `compose up` made everything: the cleanup path.
    const backend = new ComposeBackend({ envFile: ENV, offline: true, upTimeoutMs: 1 });
    const steps: string[] = [];
    await expect(backend.up((s) => steps.push(s), new AbortController().signal)).rejects.toThrow(/did not reach 1 primary \+ 2 secondaries/);
    expect(steps.some((s) => /Creating network/.test(s))).toBe(true);
    expect(await labContainers()).toBe(0);
    expect((await docker.listVolumes({ filters: LABEL })).Volumes ?? []).toEqual([]);
    expect(await docker.listNetworks({ filters: LABEL })).toEqual([]);
  });
});
