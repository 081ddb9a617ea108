/**
 * The similarity map at library scale, through MapService on a real SQLite library: the layout
 * from scratch (read every vector, UMAP on the sample, place the rest, store), the read after
 * 1,000 new photos were indexed (placed near their most similar laid-out photos), a plain read,
 * and the size of the answer (JSON, as the full-stack bridge sends it, and structured clone, as
 * Electron's IPC does). The clusters the map is coloured by are computed once before the timed
 * runs (bench/clusters.bench.ts measures them) and reported separately.
 *
 *   npx tsx bench/map.bench.ts [--size 100000] [--dim 512] [--reps 3] [--json out.json]
 *
 * Rows are written through the core's store classes like the indexer writes them (photos, files,
 * vectors), with CLIP-like clustered vectors ([Note: Synthetic CLIP-like embeddings], 300
 * centres). Reported: the median over reps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serialize } from 'node:v8';
import { ClusterService, type ClusterSource } from '../src-main/core/explore/cluster-service';
import { ClusterStore } from '../src-main/core/explore/cluster-store';
import { MapService } from '../src-main/core/explore/map-service';
import { MapStore } from '../src-main/core/explore/map-store';
import { loadVocabulary } from '../src-main/core/explore/vocabulary';
import { findResourcesDir } from '../src-main/core/models/registry';
import { openDatabase } from '../src-main/core/store/database';
import { LibraryStore } from '../src-main/core/store/library-store';
import { VectorIndex } from '../src-main/core/vectors/vector-index';
import type { MapProgress } from '../src-main/shared/types';
import { positiveInt, writeJson } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { writeClusteredLibrary } from './lib/clustered-library';

const MODEL_ID = 'bench-map';
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
  console.log(`Map bench: ${machineLine(machine)}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-map-bench-'));
  const db = openDatabase(path.join(work, 'library.db'));
  try {
    const library = new LibraryStore(db);
    const vectors = VectorIndex.open(db, MODEL_ID, dim);
    let time = performance.now();
    const added = writeClusteredLibrary(db, library, vectors, work, size + ADDED, dim, ADDED).slice(
      size,
    );
    console.log(`built ${size + ADDED} photos in ${seconds(performance.now() - time)} s`);
    const clusterStore = new ClusterStore(db);
    const clusters = new ClusterService({
      library,
      clusters: clusterStore,
      vocabulary: () => loadVocabulary(findResourcesDir()),
    });
    const maps = new MapStore(db);
    const service = new MapService({ map: maps, clusters, clusterStore });
    const source: ClusterSource = { modelId: MODEL_ID, dim, vectors, textTower: null };
    time = performance.now();
    await clusters.clusters(source, { level: 1, photosPerCluster: 0 });
    const clustersS = (performance.now() - time) / 1000;
    console.log(`clusters first (not timed below): ${clustersS.toFixed(2)} s`);

    const runs: {
      layoutMs: number;
      phases: Record<string, number>;
      add1000Ms: number;
      readMs: number;
      jsonBytes: number;
      cloneBytes: number;
    }[] = [];
    for (let rep = 0; rep < reps; rep++) {
      db.transaction(() => added.forEach((photo) => vectors.delete(photo.photoId)))();
      maps.drop(MODEL_ID);
      const starts = new Map<MapProgress['phase'], number>();
      time = performance.now();
      const laidOut = await service.map(source, {
        onProgress: ({ phase }) => {
          if (!starts.has(phase)) starts.set(phase, performance.now());
        },
      });
      const layoutMs = performance.now() - time;
      if (laidOut.photoIds.length !== size) throw new Error(`${laidOut.photoIds.length} points`);
      const marks = [...starts.values(), time + layoutMs];
      const phases = Object.fromEntries(
        [...starts.keys()].map((phase, i) => [phase, marks[i + 1]! - marks[i]!]),
      );
      db.transaction(() =>
        added.forEach((photo) => vectors.upsert(photo.photoId, photo.embedding, photo.attributes)),
      )();
      time = performance.now();
      const joined = await service.map(source);
      const add1000Ms = performance.now() - time;
      if (joined.photoIds.length !== size + ADDED) throw new Error('new photos not placed');
      time = performance.now();
      const read = await service.map(source);
      const readMs = performance.now() - time;
      const run = {
        layoutMs,
        phases,
        add1000Ms,
        readMs,
        jsonBytes: Buffer.byteLength(JSON.stringify(read)),
        cloneBytes: serialize(read).length,
      };
      runs.push(run);
      console.log(
        `rep ${rep + 1}: layout ${seconds(layoutMs)} s (` +
          Object.entries(phases)
            .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
            .join(', ') +
          `), +${ADDED} photos ${seconds(add1000Ms)} s, read ${seconds(readMs)} s, ` +
          `answer ${mib(run.jsonBytes)} MiB JSON, ${mib(run.cloneBytes)} MiB structured clone`,
      );
    }
    const phaseNames = Object.keys(runs[0]!.phases);
    const result = {
      machine,
      size,
      dim,
      reps,
      clustersS,
      layoutS: median(runs.map((run) => run.layoutMs)) / 1000,
      phasesS: Object.fromEntries(
        phaseNames.map((phase) => [phase, median(runs.map((run) => run.phases[phase]!)) / 1000]),
      ),
      add1000S: median(runs.map((run) => run.add1000Ms)) / 1000,
      readS: median(runs.map((run) => run.readMs)) / 1000,
      jsonMiB: runs[0]!.jsonBytes / 2 ** 20,
      cloneMiB: runs[0]!.cloneBytes / 2 ** 20,
    };
    console.log(
      `median of ${reps}: layout ${result.layoutS.toFixed(2)} s, +${ADDED} photos ` +
        `${result.add1000S.toFixed(2)} s, read ${result.readS.toFixed(2)} s; phases ` +
        JSON.stringify(result.phasesS),
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

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(2);
}

await main();
