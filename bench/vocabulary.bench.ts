/**
 * Naming clusters with a text tower: embedding the vocabulary once per model (termVectorsFor:
 * "a photo of {term}" in batches, saved to term_vectors), reading it back from that cache, and
 * picking names for 40 siblings from all of it (termsForClusters).
 *
 *   npx tsx bench/vocabulary.bench.ts [--terms 3000] [--precision int8] [--reps 3]
 *
 * The text tower is the ViT-B/32-shaped random-weight bench tower ([Note: Bench models]): its
 * cost is the real tower's, its vectors are noise, so the names it picks mean nothing; only the
 * times do. Each repetition embeds into a fresh SQLite library. Reported: the median over reps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../src-main/core/inference/embedder';
import { findResourcesDir } from '../src-main/core/models/registry';
import { termsForClusters } from '../src-main/core/explore/cluster-names';
import { ClusterStore } from '../src-main/core/explore/cluster-store';
import { loadVocabulary, termVectorsFor } from '../src-main/core/explore/vocabulary';
import { seededRandom } from '../src-main/core/seeded-random';
import { openDatabase } from '../src-main/core/store/database';
import { parsePrecisions, positiveInt } from './lib/args';
import { writeBenchModelFolder } from './lib/bench-models';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const SIBLINGS = 40;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      terms: { type: 'string', default: '3000' },
      precision: { type: 'string', default: 'int8' },
      reps: { type: 'string', default: '3' },
    },
  });
  const [precision] = parsePrecisions(values.precision);
  const reps = positiveInt(values.reps, '--reps');
  const everyTerm = loadVocabulary(findResourcesDir());
  const count = Math.min(positiveInt(values.terms, '--terms'), everyTerm.terms.length);
  const vocabulary = { ...everyTerm, terms: everyTerm.terms.slice(0, count) };
  console.log(`Vocabulary bench: ${machineLine(describeMachine())}`);
  console.log(`${count} of ${everyTerm.terms.length} terms, ${precision} text tower`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-vocabulary-bench-'));
  const embedder = createEmbedder(
    await writeBenchModelFolder(path.join(work, 'model'), precision!),
  );
  try {
    await embedder.embedTexts(['a photo of warming up']);
    const runs: { embedMs: number; cachedMs: number; namingMs: number }[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const db = openDatabase(path.join(work, `library-${rep}.db`));
      try {
        const store = new ClusterStore(db);
        let time = performance.now();
        const vectors = await termVectorsFor(embedder, store, vocabulary);
        const embedMs = performance.now() - time;
        time = performance.now();
        await termVectorsFor(embedder, store, vocabulary);
        const cachedMs = performance.now() - time;
        const centroids = randomCentroids(SIBLINGS, embedder.dim, rep);
        time = performance.now();
        termsForClusters(centroids, vectors);
        const namingMs = performance.now() - time;
        runs.push({ embedMs, cachedMs, namingMs });
        console.log(
          `rep ${rep + 1}: embed ${(embedMs / 1000).toFixed(1)} s ` +
            `(${(embedMs / count).toFixed(1)} ms/term), cached read ${cachedMs.toFixed(0)} ms, ` +
            `names for ${SIBLINGS} siblings ${namingMs.toFixed(0)} ms`,
        );
      } finally {
        db.close();
      }
    }
    const embedMs = median(runs.map((run) => run.embedMs));
    console.log(
      `median of ${reps}: embed ${(embedMs / 1000).toFixed(1)} s (${(embedMs / count).toFixed(1)} ms/term), ` +
        `cached read ${median(runs.map((run) => run.cachedMs)).toFixed(0)} ms, ` +
        `names ${median(runs.map((run) => run.namingMs)).toFixed(0)} ms`,
    );
  } finally {
    await embedder.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

function randomCentroids(count: number, dim: number, seed: number): Float32Array[] {
  const next = seededRandom(0xc1 + seed);
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: dim }, () => next() * 2 - 1);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

await main();
