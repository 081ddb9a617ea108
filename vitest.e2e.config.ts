import { defineConfig } from 'vitest/config';

/**
 * The full-stack tests ([Note: Full-stack test]): the built renderer in Chromium against the real
 * core over the loopback bridge. One file, one Chromium, one core.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // [Note: Native modules in tests] The real core (sharp, onnxruntime, better-sqlite3) runs here.
    pool: 'forks',
  },
});
