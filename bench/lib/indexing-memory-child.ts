/**
 * Child process of the memory benchmark: indexes a folder of photos from scratch with the bench
 * model and reports the process's peak RSS (the whole life of the process, so model loading is
 * included), its RSS at rest afterwards, and the bytes the library takes per photo.
 *
 *   node --expose-gc --import tsx bench/lib/indexing-memory-child.ts <workDir> <precision> <folder>
 */
import { thumbnailDirFor } from '../../src-main/core/paths';
import type { Precision } from './bench-models';
import { openBenchCore } from './bench-core';
import { databaseBytes, treeBytes } from './disk-usage';

const [workDir, precision, folder] = process.argv.slice(2);
if (!workDir || !folder || (precision !== 'int8' && precision !== 'fp32')) {
  throw new Error('usage: indexing-memory-child.ts <workDir> <int8|fp32> <folder>');
}
const { core } = await openBenchCore(workDir, precision as Precision);
await core.addFolder(folder);
const report = await core.index();
const peakRssMB = process.resourceUsage().maxRSS / 1024;
await new Promise((resolve) => setTimeout(resolve, 2000));
(globalThis as { gc?: () => void }).gc?.();
const restRssMB = process.memoryUsage().rss / 2 ** 20;
const databasePath = core.databasePath;
await core.dispose();
process.stdout.write(
  `${JSON.stringify({
    photos: report.indexed,
    seconds: report.seconds,
    peakRssMB,
    restRssMB,
    databaseBytes: databaseBytes(databasePath),
    thumbnailBytes: treeBytes(thumbnailDirFor(databasePath)),
  })}\n`,
);
