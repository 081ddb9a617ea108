import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // [Note: Native modules in tests] sharp, onnxruntime-node and better-sqlite3 are native:
    // forks isolate them per file, the way the app isolates the core in its own process.
    pool: 'forks',
  },
});
