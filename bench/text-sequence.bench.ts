/**
 * The text tower on the real token count ([Note: Text tower on the real token count]) with the
 * ViT-B/32-shaped bench towers: does the embedding stay the same, and what does it save?
 *
 *   npx tsx bench/text-sequence.bench.ts [--precisions int8,fp32] [--queries 40] [--reps 3]
 *                                         [--json out.json]
 *
 * Per precision: the built tower (fixed 77-token axis) and its copy with a dynamic axis
 * ([Note: Bench text tower with a dynamic sequence axis]) on the same 77-token inputs (the copy
 * must compute exactly the same), then the copy on the real token count against its 77-token
 * answer (cosine, largest difference of a unit vector's component). Timing: tokenise + text tower
 * through the core's embedder, the fixed and the dynamic model interleaved query by query; p50
 * over the queries of a repetition, median over repetitions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { createEmbedder } from '../src-main/core/inference/embedder';
import { modelFilePath } from '../src-main/core/models/installed-model';
import { textTowerOf } from '../src-main/core/models/model-spec';
import { normalizedRows } from '../src-main/core/inference/normalize';
import { loadTokenizer } from '../src-main/core/inference/tokenizer';
import { parsePrecisions, positiveInt, writeJson } from './lib/args';
import type { Precision } from './lib/bench-models';
import { writeBenchModelFolder } from './lib/bench-models';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { percentile } from './lib/percentile';
import { queryTexts } from './lib/query-texts';

interface SequenceRow {
  precision: Precision;
  queries: number;
  /** Tokens per query (with the start and end tokens): median and largest. */
  tokensMedian: number;
  tokensMax: number;
  /** Largest |difference| between the built tower and the dynamic copy, both on 77 tokens. */
  copyMaxDiff: number;
  /** The copy on the real token count against its 77-token answer (unit vectors). */
  cosineMin: number;
  cosineMedian: number;
  maxDiff: number;
  /** Tokenise + text tower p50, ms: 77 positions (fixed axis) and the real token count. */
  paddedP50Ms: number;
  trimmedP50Ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      precisions: { type: 'string', default: 'int8,fp32' },
      queries: { type: 'string', default: '40' },
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
    },
  });
  const precisions = parsePrecisions(values.precisions);
  const queries = positiveInt(values.queries, '--queries');
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Text sequence bench: ${machineLine(machine)}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-text-sequence-'));
  try {
    const rows: SequenceRow[] = [];
    for (const precision of precisions) {
      rows.push(await benchPrecision(work, precision, queries, reps));
    }
    console.log(
      '\n| model | queries | tokens median / max | copy vs built, max diff | trimmed vs padded: cosine min / median, max diff | text p50 ms: 77 positions / real count |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      console.log(
        `| ${row.precision} | ${row.queries} | ${row.tokensMedian} / ${row.tokensMax} | ${row.copyMaxDiff.toExponential(1)} | ` +
          `${row.cosineMin.toFixed(6)} / ${row.cosineMedian.toFixed(6)}, ${row.maxDiff.toExponential(1)} | ` +
          `${row.paddedP50Ms.toFixed(1)} / ${row.trimmedP50Ms.toFixed(1)} |`,
      );
    }
    if (values.json) await writeJson(values.json, { machine, reps, rows });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchPrecision(
  work: string,
  precision: Precision,
  queries: number,
  reps: number,
): Promise<SequenceRow> {
  const fixed = await writeBenchModelFolder(path.join(work, `fixed-${precision}`), precision);
  const dynamic = await writeBenchModelFolder(
    path.join(work, `dynamic-${precision}`),
    precision,
    'dynamic',
  );
  const tower = textTowerOf(fixed.spec)!;
  const tokenizer = await loadTokenizer(fixed, tower);
  const texts = queryTexts(queries * reps);
  const encoded = texts.map((text) => tokenizer.encode(text));
  const tokenCounts = encoded.map((tokens) => tokens.tokenCount);

  const open = (model: typeof fixed) =>
    InferenceSession.create(modelFilePath(model, textTowerOf(model.spec)!.file), {
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  const [built, copy] = await Promise.all([open(fixed), open(dynamic)]);
  const embed = async (session: InferenceSession, ids: BigInt64Array) => {
    const out = await session.run({ input_ids: new Tensor('int64', ids, [1, ids.length]) });
    return normalizedRows(out['text_embeds']!.data as Float32Array, 1, 512)[0]!;
  };
  let copyMaxDiff = 0;
  let maxDiff = 0;
  const cosines: number[] = [];
  for (const { inputIds, tokenCount } of encoded.slice(0, queries)) {
    const original = await embed(built, inputIds);
    const padded = await embed(copy, inputIds);
    const trimmed = await embed(copy, inputIds.slice(0, tokenCount));
    let dot = 0;
    for (let d = 0; d < 512; d++) {
      copyMaxDiff = Math.max(copyMaxDiff, Math.abs(original[d]! - padded[d]!));
      maxDiff = Math.max(maxDiff, Math.abs(trimmed[d]! - padded[d]!));
      dot += trimmed[d]! * padded[d]!;
    }
    cosines.push(dot);
  }
  await Promise.all([built.release(), copy.release()]);

  const paddedEmbedder = createEmbedder(fixed);
  const trimmedEmbedder = createEmbedder(dynamic);
  await paddedEmbedder.embedTexts(['a first query']);
  await trimmedEmbedder.embedTexts(['a first query']);
  const paddedP50: number[] = [];
  const trimmedP50: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const padded: number[] = [];
    const trimmed: number[] = [];
    for (const text of texts.slice(rep * queries, (rep + 1) * queries)) {
      let started = performance.now();
      await paddedEmbedder.embedTexts([text]);
      padded.push(performance.now() - started);
      started = performance.now();
      await trimmedEmbedder.embedTexts([text]);
      trimmed.push(performance.now() - started);
    }
    paddedP50.push(percentile(padded, 50));
    trimmedP50.push(percentile(trimmed, 50));
    console.log(
      `[${precision}] rep ${rep + 1}: text p50 ${percentile(padded, 50).toFixed(1)} ms on 77 positions, ${percentile(trimmed, 50).toFixed(1)} ms on the real count`,
    );
  }
  await Promise.all([paddedEmbedder.dispose(), trimmedEmbedder.dispose()]);
  return {
    precision,
    queries,
    tokensMedian: median(tokenCounts),
    tokensMax: Math.max(...tokenCounts),
    copyMaxDiff,
    cosineMin: Math.min(...cosines),
    cosineMedian: median(cosines),
    maxDiff,
    paddedP50Ms: median(paddedP50),
    trimmedP50Ms: median(trimmedP50),
  };
}

await main();
