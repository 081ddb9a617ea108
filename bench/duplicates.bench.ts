/**
 * Near-duplicate candidate pairs (src-main/core/explore/similar-pairs.ts, [Note: Near-duplicate
 * candidates]) on synthetic CLIP-like vectors with planted near-copies.
 *
 *   npx tsx bench/duplicates.bench.ts [--size 100000] [--planted 2000] [--reps 3] [--threshold 0.88]
 *
 * Data: bench/lib/clustered-embeddings.ts (a narrow cone of 300 clusters, unrelated photos at
 * cosine ≈ 0.4, same-cluster ≈ 0.7), `size - planted` photos plus, for the first `planted` of
 * them, a copy with find-similar query noise (cosine ≈ 0.9 to its source). Pair recall: planted
 * pairs at or above the threshold that were found. Other pairs found are counted too. Time: the
 * whole similarPairs call (centring, hashing, 24 tables, exact verification), median of reps.
 */
import { parseArgs } from 'node:util';
import { similarPairs } from '../src-main/core/explore/similar-pairs';
import { positiveInt } from './lib/args';
import { ClusteredEmbeddings } from './lib/clustered-embeddings';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const DIM = 512;

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    planted: { type: 'string', default: '2000' },
    reps: { type: 'string', default: '3' },
    threshold: { type: 'string', default: '0.88' },
  },
});
const size = positiveInt(values.size, '--size');
const planted = positiveInt(values.planted, '--planted');
const reps = positiveInt(values.reps, '--reps');
const threshold = Number(values.threshold);

const machine = describeMachine();
const embeddings = new ClusteredEmbeddings({ dim: DIM, seed: 11 });
const originals = size - planted;
const vectors = new Float32Array(size * DIM);
for (let i = 0; i < originals; i++) vectors.set(embeddings.nextPhoto().embedding, i * DIM);
const plantedCosines: number[] = [];
for (let p = 0; p < planted; p++) {
  const copy = embeddings.imageQueryNear(vectors.subarray(p * DIM, (p + 1) * DIM));
  vectors.set(copy, (originals + p) * DIM);
  let cosine = 0;
  for (let d = 0; d < DIM; d++) cosine += copy[d]! * vectors[p * DIM + d]!;
  plantedCosines.push(cosine);
}
const wanted = new Set(
  plantedCosines.flatMap((cosine, p) => (cosine >= threshold ? [p * size + originals + p] : [])),
);

const seconds: number[] = [];
let recall = 0;
let others = 0;
for (let rep = 0; rep < reps; rep++) {
  const start = performance.now();
  const pairs = similarPairs(vectors, DIM, threshold, { seed: rep + 1 });
  seconds.push((performance.now() - start) / 1000);
  const found = new Set(pairs.map(({ a, b }) => a * size + b));
  recall = [...wanted].filter((key) => found.has(key)).length / wanted.size;
  others = [...found].filter((key) => !wanted.has(key)).length;
  console.error(
    `rep ${rep + 1}: ${seconds.at(-1)!.toFixed(1)} s, pair recall ${recall.toFixed(4)}`,
  );
}
const sorted = [...plantedCosines].sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      machine: machineLine(machine),
      date: new Date().toISOString().slice(0, 10),
      size,
      planted,
      plantedAtThreshold: wanted.size,
      plantedCosine: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] },
      threshold,
      secondsMedian: median(seconds),
      seconds,
      pairRecallLastRep: recall,
      otherPairsLastRep: others,
    },
    null,
    2,
  ),
);
