import { defineConfig } from 'vitest/config';

// npm run test:compose: the Docker Compose lab on a real engine (see .ci/run for the engine).
export default defineConfig({
  test: {
    include: ['test/compose/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
