// Files the code finds relative to its own module: they must still be found after a file moves
// to another folder (the same relative path holds in src/ and in dist/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../../src/backends/compose/project.js';
import { MONITORING_SOURCE } from '../../src/backends/local/monitoring-config.js';

test('the compose files and the shipped .env.test are under the compose backend\'s ROOT', () => {
  expect(existsSync(join(ROOT, 'compose', 'docker-compose.yml'))).toBe(true);
  expect(existsSync(join(ROOT, 'compose', 'docker-compose.offline.yml'))).toBe(true);
  expect(existsSync(join(ROOT, '.env.test'))).toBe(true);
});

test('the monitoring sources are where the local backend looks for them', () => {
  expect(existsSync(join(MONITORING_SOURCE, 'postgres-exporter', 'queries.yaml'))).toBe(true);
});
