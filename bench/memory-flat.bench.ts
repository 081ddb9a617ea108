/**
 * Does memory stay flat while indexing a large folder? Indexes `--photos` real photos (hard
 * links to photos-cc0, so nothing is copied) with the int8 bench model and samples the RSS as it
 * goes; prints the RSS at points of the run and the growth per 1,000 photos over the second half
 * (after the model, caches and thread pools have warmed up), by least squares.
 *
 *   npx tsx bench/memory-flat.bench.ts [--photos 1200]
 */
import { link, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchCore } from './lib/bench-core';
import { sharedRoot } from './lib/bench-models';
import { describeMachine, machineLine } from './lib/machine';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '1200' } } });
const wanted = Number(values.photos);
const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-memory-'));
const folder = path.join(work, 'photos');
await mkdir(folder);
const source = path.join(sharedRoot, 'data', 'photos-cc0', 'train');
let count = 0;
for (const category of await readdir(source)) {
  for (const name of await readdir(path.join(source, category))) {
    if (count >= wanted) break;
    await link(path.join(source, category, name), path.join(folder, `${category}-${name}`));
    count++;
  }
}

const { core } = await openBenchCore(work, 'int8');
await core.addFolder(folder);
const samples: { done: number; rssMiB: number }[] = [];
await core.index({
  onProgress: (progress) => {
    if (progress.phase === 'indexing')
      samples.push({ done: progress.done, rssMiB: process.memoryUsage().rss / 2 ** 20 });
  },
});
await core.dispose();
await rm(work, { recursive: true, force: true });

const second = samples.filter((sample) => sample.done >= count / 2);
const meanX = second.reduce((sum, s) => sum + s.done, 0) / second.length;
const meanY = second.reduce((sum, s) => sum + s.rssMiB, 0) / second.length;
const slope =
  second.reduce((sum, s) => sum + (s.done - meanX) * (s.rssMiB - meanY), 0) /
  second.reduce((sum, s) => sum + (s.done - meanX) ** 2, 0);
const at = (fraction: number): string => {
  const sample = samples.find((s) => s.done >= fraction * count) ?? samples.at(-1)!;
  return `${sample.rssMiB.toFixed(0)} MiB at ${sample.done}`;
};
console.log(`${machineLine(describeMachine())}`);
console.log(`Indexed ${count} photos (int8 bench model), ${samples.length} RSS samples.`);
console.log(`RSS: ${at(0.1)}, ${at(0.25)}, ${at(0.5)}, ${at(0.75)}, ${at(1)} photos`);
console.log(`Growth over the second half: ${(slope * 1000).toFixed(1)} MiB per 1,000 photos`);
