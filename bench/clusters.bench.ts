/**
 * Clusters at library scale: computing them from scratch (read every vector, two-level k-means
 * trained on a sample, names, store) and the read after 1,000 new photos were indexed (they join
 * the nearest stored centroids), through ClusterService on a real SQLite library.
 *
 *   npx tsx bench/clusters.bench.ts [--size 100000] [--dim 512] [--reps 3] [--json out.json]
 *
 * The library's rows are written through the core's store classes like the indexer writes them
 * (photos, files, vectors), with CLIP-like clustered vectors ([Note: Synthetic CLIP-like
 * embeddings], 300 centres); no image files are needed. Names are made the image-only way (folder
 * and years): naming by the text tower costs one text-tower pass over the vocabulary once per
 * model (cached in term_vectors), then k × terms dot products. Reported: the median over reps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ClusterService, type ClusterSource } from '../src-main/core/explore/cluster-service';
import { ClusterStore } from '../src-main/core/explore/cluster-store';
import { loadVocabulary } from '../src-main/core/explore/vocabulary';
import { findResourcesDir } from '../src-main/core/models/registry';
import { openDatabase } from '../src-main/core/store/database';
import { LibraryStore } from '../src-main/core/store/library-store';
import { VectorIndex } from '../src-main/core/vectors/vector-index';
import { positiveInt, writeJson } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { writeClusteredLibrary } from './lib/clustered-library';

const MODEL_ID = 'bench-clusters';
const ADDED = 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100000' },
      dim: { type: 'string', default: '512' },
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
    },
  });
  const size = positiveInt(values.size, '--size');
  const dim = positiveInt(values.dim, '--dim');
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Clusters bench: ${machineLine(machine)}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-clusters-bench-'));
  const db = openDatabase(path.join(work, 'library.db'));
  try {
    const library = new LibraryStore(db);
    const vectors = VectorIndex.open(db, MODEL_ID, dim);
    const started = performance.now();
    const photos = writeClusteredLibrary(db, library, vectors, work, size + ADDED, dim, ADDED);
    console.log(`built ${size + ADDED} photos in ${seconds(performance.now() - started)} s`);
    const added = photos.slice(size);
    const clusters = new ClusterStore(db);
    const service = new ClusterService({
      library,
      clusters,
      vocabulary: () => loadVocabulary(findResourcesDir()),
    });
    const source: ClusterSource = { modelId: MODEL_ID, dim, vectors, textTower: null };
    const runs: { fromScratchMs: number; add1000Ms: number; readMs: number; clusters: number }[] =
      [];
    for (let rep = 0; rep < reps; rep++) {
      db.transaction(() => added.forEach((photo) => vectors.delete(photo.photoId)))();
      clusters.drop(MODEL_ID);
      let time = performance.now();
      const phaseStarts = new Map<string, number>();
      const computed = await service.clusters(source, {
        onProgress: ({ phase }) => {
          if (!phaseStarts.has(phase)) phaseStarts.set(phase, performance.now());
        },
      });
      const fromScratchMs = performance.now() - time;
      const marks = [...phaseStarts.values(), time + fromScratchMs];
      const phases = [...phaseStarts.keys()]
        .map((phase, i) => `${phase} ${seconds(marks[i + 1]! - marks[i]!)}`)
        .join(', ');
      console.log(`  phases (s): ${phases} (saving includes reading the result)`);
      db.transaction(() =>
        added.forEach((photo) => vectors.upsert(photo.photoId, photo.embedding, photo.attributes)),
      )();
      time = performance.now();
      const joined = await service.clusters(source);
      const add1000Ms = performance.now() - time;
      time = performance.now();
      await service.clusters(source);
      const readMs = performance.now() - time;
      const total = joined.reduce((sum, cluster) => sum + cluster.size, 0);
      if (total !== size + ADDED)
        throw new Error(`${total} photos in clusters, not ${size + ADDED}`);
      runs.push({ fromScratchMs, add1000Ms, readMs, clusters: computed.length });
      console.log(
        `rep ${rep + 1}: from scratch ${seconds(fromScratchMs)} s (${computed.length} top clusters, ` +
          `${computed.reduce((sum, cluster) => sum + cluster.children.length, 0)} sub-clusters), ` +
          `+${ADDED} photos ${seconds(add1000Ms)} s, read again ${seconds(readMs)} s`,
      );
    }
    const result = {
      machine,
      size,
      dim,
      reps,
      fromScratchS: median(runs.map((run) => run.fromScratchMs)) / 1000,
      add1000S: median(runs.map((run) => run.add1000Ms)) / 1000,
      readS: median(runs.map((run) => run.readMs)) / 1000,
    };
    console.log(
      `median of ${reps}: from scratch ${result.fromScratchS.toFixed(2)} s, ` +
        `+${ADDED} photos ${result.add1000S.toFixed(2)} s, read ${result.readS.toFixed(2)} s`,
    );
    if (values.json) await writeJson(values.json, result);
  } finally {
    db.close();
    await rm(work, { recursive: true, force: true });
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

await main();
