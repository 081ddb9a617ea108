import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/renderer/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/renderer/global-setup.ts'],
    // Each file drives its own Chromium; one at a time keeps a 2-core machine responsive.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // [Note: Conditions, not clocks] in vitest.e2e.config.ts.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
