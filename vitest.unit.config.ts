import { defineConfig } from 'vitest/config';

// npm run test:unit: the pure and fake-backed tests alone (no cluster, no Docker, no tmux). They
// share nothing but the CPU, so they run in parallel threads that keep loaded modules between
// files (importing Ink and the sources once per worker instead of once per file halves the time);
// each file that fakes the clock restores the real one after every test.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx'],
    pool: 'threads',
    isolate: false,
    testTimeout: 20_000,
  },
});
