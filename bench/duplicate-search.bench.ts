/**
 * The whole near-duplicate search at library scale: `findDuplicates` (src-main/core/explore/
 * duplicates.ts) as `photoseek duplicates` runs it, on a real SQLite library, from scratch
 * (calibration measured and stored) and again (calibration read).
 *
 *   npx tsx bench/duplicate-search.bench.ts [--size 100000] [--planted 2000] [--reps 3] [--json out.json]
 *
 * The library: `size` photos written through the core's store classes (bench/lib/clustered-
 * library.ts: folders, capture times, CLIP-like clustered 512-d vectors), the last `planted` of
 * them near-copies of the first `planted` (find-similar query noise on the vector; the source's
 * fingerprint with a brightness shift and pixel noise). Fingerprints are stored as indexing
 * stores them ([Note: Stored fingerprints]): smooth random 24 × 24 grey fields, so strangers
 * correlate as photos do rather than as white noise. No image files: the search reads none when
 * every fingerprint is stored. Reported: the median over reps, the pair recall of the planted
 * copies, and the similar groups found.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DuplicateGroup, PhotoId } from '../src-main/shared/types';
import { calibrateDuplicateThreshold } from '../src-main/core/explore/duplicate-threshold';
import { findDuplicates } from '../src-main/core/explore/duplicates';
import { FingerprintStore } from '../src-main/core/explore/fingerprint-store';
import { FINGERPRINT_SIDE } from '../src-main/core/explore/image-fingerprint';
import { seededRandom } from '../src-main/core/seeded-random';
import { openDatabase } from '../src-main/core/store/database';
import { LibraryStore } from '../src-main/core/store/library-store';
import { VectorIndex } from '../src-main/core/vectors/vector-index';
import { positiveInt, writeJson } from './lib/args';
import { ClusteredEmbeddings } from './lib/clustered-embeddings';
import { writeClusteredLibrary } from './lib/clustered-library';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const MODEL_ID = 'bench-duplicates';
const DIM = 512;

interface Run {
  fromScratchMs: number;
  againMs: number;
  phases: Record<string, number>;
  groups: number;
  pairRecall: number;
  strangerPairs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100000' },
      planted: { type: 'string', default: '2000' },
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
    },
  });
  const size = positiveInt(values.size, '--size');
  const planted = positiveInt(values.planted, '--planted');
  const reps = positiveInt(values.reps, '--reps');
  if (2 * planted > size) throw new Error('--planted must be at most half of --size');
  const machine = describeMachine();
  console.log(`Duplicate search bench: ${machineLine(machine)}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-duplicates-bench-'));
  const db = openDatabase(path.join(work, 'library.db'));
  try {
    const store = new LibraryStore(db);
    const vectors = VectorIndex.open(db, MODEL_ID, DIM);
    const fingerprints = new FingerprintStore(db);
    const started = performance.now();
    const photos = writeClusteredLibrary(db, store, vectors, work, size, DIM, planted);
    const copyOf = plantCopies(db, vectors, fingerprints, photos, planted);
    console.log(`built ${size} photos in ${seconds(performance.now() - started)} s`);

    const search = (phases?: Map<string, number>) =>
      findDuplicates({
        store,
        fingerprints,
        modelId: MODEL_ID,
        vectors,
        dim: DIM,
        thumbnailPath: () => null,
        calibrate: (photoIds, library, byContent) =>
          calibrateDuplicateThreshold(
            {
              modelId: MODEL_ID,
              vectors,
              onProgress: () => {
                if (phases && !phases.has('calibrating'))
                  phases.set('calibrating', performance.now());
              },
            },
            photoIds,
            library,
            byContent,
          ),
        write: (action) => action(),
        onProgress: ({ phase }) => {
          if (phases && !phases.has(phase)) phases.set(phase, performance.now());
        },
      });
    const runs: Run[] = [];
    for (let rep = 0; rep < reps; rep++) {
      store.setSetting(`duplicate-threshold:${MODEL_ID}`, '{}');
      const phaseStarts = new Map<string, number>([['reading', performance.now()]]);
      const groups = await search(phaseStarts);
      const end = performance.now();
      const fromScratchMs = end - phaseStarts.get('reading')!;
      const marks = [...phaseStarts.values(), end];
      const phases = Object.fromEntries(
        [...phaseStarts.keys()].map((phase, i) => [phase, marks[i + 1]! - marks[i]!]),
      );
      const again = performance.now();
      await search();
      const againMs = performance.now() - again;
      const { pairRecall, strangerPairs } = score(groups, copyOf);
      runs.push({
        fromScratchMs,
        againMs,
        phases,
        groups: groups.length,
        pairRecall,
        strangerPairs,
      });
      console.log(
        `rep ${rep + 1}: from scratch ${seconds(fromScratchMs)} s (` +
          Object.entries(phases)
            .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
            .join(', ') +
          `), again ${seconds(againMs)} s; ${groups.length} groups, planted pair recall ` +
          `${pairRecall.toFixed(3)}, ${strangerPairs} other pairs`,
      );
    }
    const result = {
      machine,
      date: new Date().toISOString(),
      size,
      planted,
      reps,
      fromScratchS: median(runs.map((run) => run.fromScratchMs)) / 1000,
      againS: median(runs.map((run) => run.againMs)) / 1000,
      pairRecall: median(runs.map((run) => run.pairRecall)),
      strangerPairs: median(runs.map((run) => run.strangerPairs)),
      runs,
    };
    console.log(
      `median of ${reps}: from scratch ${result.fromScratchS.toFixed(2)} s, again ` +
        `${result.againS.toFixed(2)} s, planted pair recall ${result.pairRecall.toFixed(3)}`,
    );
    if (values.json) await writeJson(values.json, result);
  } finally {
    db.close();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Stores every photo's fingerprint and gives the last `planted` photos (written without a
 * vector) a near-copy of the first ones' vector and fingerprint. Returns copy → source photo id.
 */
function plantCopies(
  db: ReturnType<typeof openDatabase>,
  vectors: VectorIndex,
  fingerprints: FingerprintStore,
  photos: readonly { photoId: PhotoId; embedding: Float32Array; attributes: object }[],
  planted: number,
): Map<PhotoId, PhotoId> {
  const random = seededRandom(photos.length);
  const noise = new ClusteredEmbeddings({ dim: DIM, seed: photos.length + 1 });
  const originals = photos.length - planted;
  const made: Uint8Array[] = [];
  const copyOf = new Map<PhotoId, PhotoId>();
  db.transaction(() => {
    for (const [index, photo] of photos.entries()) {
      const source = index - originals;
      if (source < 0) {
        const fingerprint = smoothField(random);
        made.push(fingerprint);
        fingerprints.set(photo.photoId, fingerprint);
        continue;
      }
      const original = photos[source]!;
      const attributes = photo.attributes as { dirId: number; takenAt: number };
      vectors.upsert(photo.photoId, noise.imageQueryNear(original.embedding), attributes);
      fingerprints.set(photo.photoId, edited(made[source]!, random));
      copyOf.set(photo.photoId, original.photoId);
    }
  })();
  return copyOf;
}

/** A photo-like grey picture: a random 4 × 4 grid, bilinearly enlarged, with a little grain. */
function smoothField(random: () => number): Uint8Array {
  const grid = Array.from({ length: 16 }, () => random() * 255);
  const side = FINGERPRINT_SIDE;
  const field = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const gx = (x / (side - 1)) * 3;
      const gy = (y / (side - 1)) * 3;
      const x0 = Math.min(2, Math.floor(gx));
      const y0 = Math.min(2, Math.floor(gy));
      const ax = gx - x0;
      const ay = gy - y0;
      const at = (i: number, j: number) => grid[(y0 + j) * 4 + x0 + i]!;
      const value =
        (1 - ax) * (1 - ay) * at(0, 0) +
        ax * (1 - ay) * at(1, 0) +
        (1 - ax) * ay * at(0, 1) +
        ax * ay * at(1, 1);
      field[y * side + x] = clampByte(value + (random() - 0.5) * 16);
    }
  }
  return field;
}

/** The same picture brighter and re-grained, as a re-saved, brightened copy. */
function edited(fingerprint: Uint8Array, random: () => number): Uint8Array {
  return fingerprint.map((value) => clampByte(value * 0.9 + 30 + (random() - 0.5) * 12));
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** Pair recall of the planted copies among the similar groups, and the other pairs in them. */
function score(groups: readonly DuplicateGroup[], copyOf: ReadonlyMap<PhotoId, PhotoId>) {
  const together = new Set<string>();
  for (const group of groups.filter((candidate) => candidate.kind === 'similar')) {
    const ids = group.photos.map((photo) => photo.photoId).sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) together.add(`${ids[i]}:${ids[j]}`);
  }
  let found = 0;
  for (const [copy, source] of copyOf)
    if (together.has(`${Math.min(copy, source)}:${Math.max(copy, source)}`)) found++;
  return { pairRecall: found / copyOf.size, strangerPairs: together.size - found };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

await main();
