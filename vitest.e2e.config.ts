import { defineConfig } from 'vitest/config';

/**
 * The full-stack tests ([Note: Full-stack test]): the built renderer in Chromium against the real
 * core over the loopback bridge. One file, one Chromium, one core.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // [Note: Conditions, not clocks] expect.poll gives up after 1 s by default: on a loaded
    // 2-core CI machine an index run the test waits for took longer, and the full-stack test
    // failed 2 runs in 3. A poll is a condition, so it waits as long as a person would (15 s);
    // a test that passes only gets there sooner.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    // [Note: Native modules in tests] The real core (sharp, onnxruntime, better-sqlite3) runs here.
    pool: 'forks',
  },
});
