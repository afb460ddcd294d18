// What a person without a usable Docker sees: one line naming what is missing, a non-zero exit,
// and no container of the lab created. Runs with the engine up (after scripts/ci/docker-setup.sh)
// and the lab down, so each failure below is caused only by what the test takes away.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT } from '../../src/backends/compose.js';
import { portFree } from '../../src/backends/local.js';
import { ROOT, runCli } from '../helpers/lab.js';

const FLAGS = ['up', '--backend', 'compose', '--offline', '--env-file', join(ROOT, '.env.test')];
const docker = new Docker();
const labContainers = async () => (await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${PROJECT}`] } })).length;
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
