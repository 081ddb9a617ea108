import { defineConfig } from 'vitest/config';

/** The Electron glue's smoke test: builds with electron-vite and runs the bundles on Node. */
export default defineConfig({
  test: {
    include: ['test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
