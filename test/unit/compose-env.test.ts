// The Compose CLI's environment: a lab variable or COMPOSE_* setting in the caller's shell would
// beat the validated .env file inside Compose, so none may reach it.
import { describe, expect, test } from 'vitest';
import { composeEnv } from '../../src/backends/compose/cli.js';

describe('composeEnv', () => {
  test('drops lab keys and COMPOSE_* from the shell, keeps the rest, fixes the project', () => {
    const env = composeEnv({
      PATH: '/usr/bin', DOCKER_HOST: 'unix:///x.sock', HOME: '/root',
      POSTGRES_PASSWORD: 'from-shell', PG_HBA_CIDR: '0.0.0.0/0', GRAFANA_ADMIN_PASSWORD: 'admin', LAB_ENV: 'test',
      COMPOSE_FILE: 'other.yml', COMPOSE_PROFILES: 'online', COMPOSE_PROJECT_NAME: 'other',
    });
    expect(env).toEqual({ PATH: '/usr/bin', DOCKER_HOST: 'unix:///x.sock', HOME: '/root', COMPOSE_PROJECT_NAME: 'pgha-lab' });
  });
});
