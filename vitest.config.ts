import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Integration and e2e suites share one real cluster per file; run files one after another so
    // two clusters never compete for the 2 cores (and for ports).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
