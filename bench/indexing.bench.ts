/**
 * Indexing throughput: decode stage alone, inference stage alone and the full pipeline
 * (core.index), for each precision of the bench model and each photo set, in one run.
 *
 *   npx tsx bench/indexing.bench.ts [--photos 64] [--large 24] [--heic 12] [--reps 5]
 *                                   [--precisions int8,fp32] [--json out.json]
 *
 * "photos": real photos from ../shared/data/photos-cc0 (test split); "large": generated 12 MP
 * JPEGs; "heic": copies of a real 12 MP iPhone HEIC, each a photo of its own
 * (bench/lib/bench-photos.ts); 0 leaves a set out, and a set needs more photos than one batch (8)
 * for a steady rate. Each repetition measures, per model and photo set, both stages alone and then
 * the pipeline, back to back, so that a load change on a shared machine hits them alike; the
 * tables give the median of the repetitions.
 *
 * [Note: Pipeline limit] Decode and inference share the same cores, so with perfect overlap the
 * pipeline reaches 1 / (1/decode + 1/inference) (each stage's rate alone on all cores). The ratio
 * pipeline / limit is computed per repetition and its median reported, for the whole run and for
 * the steady state (first to last finished batch; bench/lib/pipeline-run.ts). The target is ≥ 0.9.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../src-main/core/inference/embedder';
import { INDEXER_DEFAULTS } from '../src-main/core/library/indexer';
import type { Precision } from './lib/bench-models';
import { ensureBenchModels } from './lib/bench-models';
import { openBenchCore } from './lib/bench-core';
import {
  cc0Photos,
  iphoneHeicCopies,
  linkPhotosInto,
  twelveMegapixelPhotos,
} from './lib/bench-photos';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { indexFolderOnce } from './lib/pipeline-run';
import { decodeStage, inferenceStage } from './lib/stage-rates';
import { parsePrecisions, positiveInt, writeJson } from './lib/args';
import type { IndexingResult, IndexingRow } from './lib/results';
import { indexingTable } from './lib/tables';

const { decodeConcurrency: DECODE_CONCURRENCY, batchSize: BATCH_SIZE } = INDEXER_DEFAULTS;
/** Images the inference stage alone runs per measurement. */
const INFERENCE_IMAGES = 48;

interface PhotoSet {
  name: string;
  files: string[];
  folder: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      photos: { type: 'string', default: '64' },
      large: { type: 'string', default: '24' },
      heic: { type: 'string', default: '12' },
      reps: { type: 'string', default: '5' },
      precisions: { type: 'string', default: 'int8,fp32' },
      json: { type: 'string' },
    },
  });
  const reps = positiveInt(values.reps, '--reps');
  const precisions = parsePrecisions(values.precisions);
  const machine = describeMachine();
  console.log(`Indexing bench: ${machineLine(machine)}`);
  ensureBenchModels();
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-indexing-bench-'));
  try {
    const sets = await photoSets(work, {
      photos: positiveInt(values.photos, '--photos'),
      large: count(values.large, '--large'),
      heic: count(values.heic, '--heic'),
    });
    const rows = await measure(work, sets, precisions, reps);
    console.log(`\n${indexingTable(rows).join('\n')}`);
    if (values.json) await writeJson(values.json, { machine, reps, rows } satisfies IndexingResult);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function photoSets(
  work: string,
  counts: { photos: number; large: number; heic: number },
): Promise<PhotoSet[]> {
  const real = await cc0Photos(counts.photos);
  const sets: PhotoSet[] = [
    {
      name: `photos-cc0 (${real.length}, 400–900 px)`,
      files: real,
      folder: await linkPhotosInto(path.join(work, 'cc0'), real),
    },
  ];
  if (counts.large > 0) {
    const generated = await twelveMegapixelPhotos(counts.large, console.log);
    sets.push({
      name: `12 MP JPEG (${generated.length})`,
      files: generated,
      folder: await linkPhotosInto(path.join(work, 'large'), generated),
    });
  }
  if (counts.heic > 0) {
    const folder = path.join(work, 'heic');
    const heic = await iphoneHeicCopies(folder, counts.heic);
    sets.push({ name: `12 MP HEIC (${heic.length}, iPhone 7)`, files: heic, folder });
  }
  return sets;
}

/** A count that may be 0 (the set is left out). */
function count(value: string, flag: string): number {
  return value === '0' ? 0 : positiveInt(value, flag);
}

/** One repetition's figures; a steady rate is NaN for a set of one batch. */
type Sample = Record<Exclude<keyof IndexingRow, 'set' | 'precision' | 'images'>, number>;

async function measure(
  work: string,
  sets: readonly PhotoSet[],
  precisions: readonly Precision[],
  reps: number,
): Promise<IndexingRow[]> {
  const cores = await Promise.all(
    precisions.map((precision) => openBenchCore(path.join(work, precision), precision)),
  );
  const embedders = cores.map(({ model }) => createEmbedder(model));
  const spec = cores[0]!.model.spec.image;
  const samples = new Map<string, Sample[]>();
  try {
    // Warm-up: model sessions created, first inferences done, files in the page cache.
    const { rgb } = await decodeStage(
      sets[0]!.files.slice(0, INFERENCE_IMAGES),
      spec,
      DECODE_CONCURRENCY,
    );
    for (const [index, { core }] of cores.entries()) {
      await core.searchByImage(sets[0]!.files[0]!);
      await inferenceStage(embedders[index]!, rgb.slice(0, BATCH_SIZE), spec, BATCH_SIZE);
    }
    for (let rep = 1; rep <= reps; rep++) {
      for (const [index, precision] of precisions.entries()) {
        for (const [setIndex, set] of sets.entries()) {
          // Both stages alone right before the pipeline, so that the three see the same load.
          const inference = await inferenceStage(embedders[index]!, rgb, spec, BATCH_SIZE);
          const decode = (await decodeStage(set.files, spec, DECODE_CONCURRENCY)).imagesPerSecond;
          const run = await indexFolderOnce(cores[index]!.core, set.folder);
          const limit = 1 / (1 / decode + 1 / inference);
          const sample = {
            decode,
            inference,
            limit,
            pipeline: run.imagesPerSecond,
            pipelineSteady: run.steadyImagesPerSecond,
            ratio: run.imagesPerSecond / limit,
            ratioSteady: run.steadyImagesPerSecond / limit,
          };
          const key = `${setIndex}/${precision}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          console.log(
            `rep ${rep} ${precision} ${set.name}: decode ${decode.toFixed(1)}, inference ${inference.toFixed(1)}, ` +
              `pipeline ${run.imagesPerSecond.toFixed(1)} (steady ${run.steadyImagesPerSecond.toFixed(1)}) img/s, ` +
              `ratio ${sample.ratio.toFixed(2)} (steady ${sample.ratioSteady.toFixed(2)})`,
          );
        }
      }
    }
  } finally {
    await Promise.all(embedders.map((embedder) => embedder.dispose()));
    await Promise.all(cores.map(({ core }) => core.dispose()));
  }
  return precisions.flatMap((precision) =>
    sets.map((set, setIndex) =>
      summarise(set, precision, samples.get(`${setIndex}/${precision}`)!),
    ),
  );
}

function summarise(set: PhotoSet, precision: Precision, runs: readonly Sample[]): IndexingRow {
  const of = (key: keyof Sample) => median(runs.map((run) => run[key]));
  return {
    set: set.name,
    precision,
    images: set.files.length,
    decode: of('decode'),
    inference: of('inference'),
    limit: of('limit'),
    pipeline: of('pipeline'),
    pipelineSteady: of('pipelineSteady'),
    ratio: of('ratio'),
    ratioSteady: of('ratioSteady'),
  };
}

await main();
