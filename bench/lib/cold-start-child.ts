/**
 * Child process of the cold-start benchmark: opens a library and answers one text query, as the
 * app's core host does on launch. Prints one JSON line (ColdStartTimes) the moment the first
 * result is there, then measures the resting memory and exits.
 *
 *   node --expose-gc --import tsx bench/lib/cold-start-child.ts <dataDir> <databasePath>
 */
import type { ColdStartTimes } from './results';

const bootMs = performance.now(); // Node start-up and the tsx loader, before any project module.
const { createCore } = await import('../../src-main/core');
const importMs = performance.now() - bootMs;

const [dataDir, databasePath] = process.argv.slice(2);
if (!dataDir || !databasePath)
  throw new Error('usage: cold-start-child.ts <dataDir> <databasePath>');
let started = performance.now();
const core = createCore({ dataDir, databasePath });
const openMs = performance.now() - started;
started = performance.now();
const hits = await core.search('a photo of a dog on the beach', { limit: 20 });
const firstQueryMs = performance.now() - started;
const times: Omit<ColdStartTimes, 'restRssMB'> = {
  bootMs,
  importMs,
  openMs,
  firstQueryMs,
  hits: hits.length,
};
process.stdout.write(`${JSON.stringify(times)}\n`);

// [Note: Memory at rest] RSS a few seconds after the first answer, after a full GC: the core as
// it sits idle with the library open, the text session loaded and the vector codes in memory
// (the image session loads on the first find-similar by file or the first indexing).
await new Promise((resolve) => setTimeout(resolve, 2000));
(globalThis as { gc?: () => void }).gc?.();
const restRssMB = process.memoryUsage().rss / 2 ** 20;
await core.dispose();
process.stdout.write(`${JSON.stringify({ restRssMB })}\n`);
