/**
 * Why the indexing pipeline reaches the speed it does, and what to change: the product's indexer
 * run with other batch sizes, decode concurrencies, onnxruntime thread counts and spinning, sharp
 * concurrency, and with inference on a worker thread ([Note: onnxruntime-node runs on the main
 * thread] in bench/lib/sweep-embedders.ts). Opt-in (several minutes), not part of `npm run bench`:
 *
 *   npx tsx bench/pipeline-sweep.ts [--rounds 3] [--photos 64] [--large 24] [--precision int8]
 *                                   [--configs "ORT 1,decode 4"] [--json out.json]
 *
 * `--configs` keeps the configurations whose names start with one of the given prefixes (the
 * defaults always run: they are the reference).
 *
 * Every round measures every configuration on each photo set, in a rotated order: its two stages
 * alone (decode with its concurrency and sharp threads, inference with its session and batch
 * size), giving its own limit ([Note: Pipeline limit] in indexing.bench.ts), then the pipeline.
 * Reported per configuration: medians over rounds of the rates, of pipeline / own limit, and of
 * pipeline / the defaults' pipeline in the same round. Interleaving spreads load from other work
 * on a shared machine over all configurations. UV_THREADPOOL_SIZE (default 4) is read once per
 * process: run the script again with it set to compare.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Embedder } from '../src-main/core/inference/embedder';
import type { InstalledModel } from '../src-main/core/models/installed-model';
import { INDEXER_DEFAULTS } from '../src-main/core/library/indexer';
import { parsePrecisions, positiveInt, writeJson } from './lib/args';
import { writeBenchModelFolder } from './lib/bench-models';
import { cc0Photos, linkPhotosInto, twelveMegapixelPhotos } from './lib/bench-photos';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { indexWithOptions } from './lib/pipeline-run';
import { decodeStage, inferenceStage } from './lib/stage-rates';
import type { SweepSessionOptions } from './lib/sweep-embedders';
import { sessionEmbedder, workerEmbedder } from './lib/sweep-embedders';

interface SweepConfig {
  name: string;
  batchSize: number;
  decodeConcurrency: number;
  session: SweepSessionOptions;
  /** sharp.concurrency(): libvips threads per image operation (default: one per core). */
  sharpThreads?: number;
  worker?: boolean;
}

const defaults = { ...INDEXER_DEFAULTS, session: {} };
const noSpinning = { intraOpNumThreads: 2, allowSpinning: false };
const CONFIGS: SweepConfig[] = [
  { name: 'indexer defaults (batch 8, decode 2, ORT defaults)', ...defaults },
  { name: 'ORT 1 thread', ...defaults, session: { intraOpNumThreads: 1 } },
  { name: 'ORT 2 threads, no spinning', ...defaults, session: noSpinning },
  {
    name: 'ORT 1 thread, decode 1',
    ...defaults,
    decodeConcurrency: 1,
    session: { intraOpNumThreads: 1 },
  },
  { name: 'ORT no spinning, decode 4', ...defaults, decodeConcurrency: 4, session: noSpinning },
  { name: 'decode 4', ...defaults, decodeConcurrency: 4 },
  { name: 'batch 16', ...defaults, batchSize: 16 },
  { name: 'sharp 1 thread', ...defaults, sharpThreads: 1 },
  { name: 'inference on a worker thread', ...defaults, worker: true },
  { name: 'worker thread, ORT no spinning', ...defaults, worker: true, session: noSpinning },
];

interface PhotoSet {
  name: string;
  files: string[];
  folder: string;
}

interface Sample {
  decode: number;
  inference: number;
  limit: number;
  pipeline: number;
  pipelineSteady: number;
  ratio: number;
  vsDefaults: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      photos: { type: 'string', default: '64' },
      large: { type: 'string', default: '24' },
      precision: { type: 'string', default: 'int8' },
      configs: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const rounds = positiveInt(values.rounds, '--rounds');
  const [precision] = parsePrecisions(values.precision);
  const prefixes = values.configs?.split(',').map((prefix) => prefix.trim());
  const configs = CONFIGS.filter(
    (config, index) =>
      index === 0 || !prefixes || prefixes.some((prefix) => config.name.startsWith(prefix)),
  );
  const machine = describeMachine();
  const threadpool = process.env['UV_THREADPOOL_SIZE'] ?? '4 (default)';
  console.log(
    `Pipeline sweep (${precision}, UV_THREADPOOL_SIZE=${threadpool}): ${machineLine(machine)}`,
  );
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-sweep-'));
  try {
    const model = await writeBenchModelFolder(path.join(work, 'model'), precision!);
    const real = await cc0Photos(positiveInt(values.photos, '--photos'));
    const large = await twelveMegapixelPhotos(positiveInt(values.large, '--large'), console.log);
    const sets: PhotoSet[] = [
      {
        name: 'photos-cc0',
        files: real,
        folder: await linkPhotosInto(path.join(work, 'cc0'), real),
      },
      {
        name: '12 MP',
        files: large,
        folder: await linkPhotosInto(path.join(work, 'large'), large),
      },
    ];
    const samples = await sweep(model, sets, configs, rounds, work);
    const rows = configs.flatMap((config) =>
      sets.map((set) => {
        const runs = samples.get(`${config.name}\u0000${set.name}`)!;
        const of = (key: keyof Sample) => median(runs.map((run) => run[key]));
        return {
          config: config.name,
          set: set.name,
          ...Object.fromEntries(
            (Object.keys(runs[0]!) as (keyof Sample)[]).map((key) => [key, of(key)]),
          ),
        } as { config: string; set: string } & Sample;
      }),
    );
    console.log(
      '\n| configuration | photos | decode img/s | inference img/s | own limit | pipeline img/s (steady) | pipeline / own limit | vs defaults |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      console.log(
        `| ${row.config} | ${row.set} | ${row.decode.toFixed(1)} | ${row.inference.toFixed(1)} | ${row.limit.toFixed(1)} | ` +
          `${row.pipeline.toFixed(1)} (${row.pipelineSteady.toFixed(1)}) | ${row.ratio.toFixed(2)} | ${row.vsDefaults.toFixed(2)} |`,
      );
    }
    if (values.json) await writeJson(values.json, { machine, precision, rounds, threadpool, rows });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Samples per configuration and set ("name\0set"), one per round. */
async function sweep(
  model: InstalledModel,
  sets: readonly PhotoSet[],
  configs: readonly SweepConfig[],
  rounds: number,
  work: string,
): Promise<Map<string, Sample[]>> {
  const defaultSharp = sharp.concurrency();
  const embedders = new Map<string, Embedder>();
  const embedderFor = async (config: SweepConfig): Promise<Embedder> => {
    const key = JSON.stringify([config.worker ?? false, config.session]);
    if (!embedders.has(key)) {
      embedders.set(
        key,
        await (config.worker ? workerEmbedder : sessionEmbedder)(model, config.session),
      );
    }
    return embedders.get(key)!;
  };
  const samples = new Map<string, Sample[]>();
  // Model inputs for the inference-alone measurement, decoded once per set.
  const inputs = new Map<string, Uint8Array[]>();
  for (const set of sets) {
    inputs.set(set.name, (await decodeStage(set.files.slice(0, 48), model.spec.image, 2)).rgb);
  }
  try {
    for (const config of configs) await warmUp(model, await embedderFor(config), sets[0]!.files);
    for (let round = 0; round < rounds; round++) {
      const defaultsPipeline = new Map<string, number>();
      // Defaults first in every round (the reference for "vs defaults"), the rest rotated.
      const rest = configs.slice(1);
      const order = [configs[0]!, ...rest.map((_, index) => rest[(index + round) % rest.length]!)];
      for (const config of order) {
        sharp.concurrency(config.sharpThreads ?? defaultSharp);
        const embedder = await embedderFor(config);
        for (const set of sets) {
          const decode = (await decodeStage(set.files, model.spec.image, config.decodeConcurrency))
            .imagesPerSecond;
          const rgb = inputs.get(set.name)!;
          const inference = await inferenceStage(embedder, rgb, model.spec.image, config.batchSize);
          const run = await indexWithOptions(model, embedder, set.folder, work, {
            batchSize: config.batchSize,
            decodeConcurrency: config.decodeConcurrency,
          });
          const limit = 1 / (1 / decode + 1 / inference);
          if (config === configs[0]) defaultsPipeline.set(set.name, run.imagesPerSecond);
          const key = `${config.name}\u0000${set.name}`;
          samples.set(key, [
            ...(samples.get(key) ?? []),
            {
              decode,
              inference,
              limit,
              pipeline: run.imagesPerSecond,
              pipelineSteady: run.steadyImagesPerSecond,
              ratio: run.imagesPerSecond / limit,
              vsDefaults: run.imagesPerSecond / defaultsPipeline.get(set.name)!,
            },
          ]);
          console.log(
            `round ${round + 1} ${set.name} ${config.name}: decode ${decode.toFixed(1)}, inference ${inference.toFixed(1)}, ` +
              `pipeline ${run.imagesPerSecond.toFixed(1)} img/s (limit ${limit.toFixed(1)})`,
          );
        }
      }
      sharp.concurrency(defaultSharp);
    }
  } finally {
    await Promise.all([...embedders.values()].map((embedder) => embedder.dispose()));
  }
  return samples;
}

async function warmUp(
  model: InstalledModel,
  embedder: Embedder,
  files: readonly string[],
): Promise<void> {
  const { rgb } = await decodeStage(files.slice(0, 8), model.spec.image, 2);
  await inferenceStage(embedder, rgb, model.spec.image, 8);
}

await main();
