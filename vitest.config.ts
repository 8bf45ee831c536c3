import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60000,
    hookTimeout: 60000,
    // Tests open real sockets and spawn the real sidecar: keep files in one worker at a time so
    // their sockets and timings do not disturb each other on a 2-core machine.
    fileParallelism: false,
  },
});
