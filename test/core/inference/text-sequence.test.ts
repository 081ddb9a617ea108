import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../../src-main/core/models/installed-model';
import { modelFilePath } from '../../../src-main/core/models/installed-model';
import { textTowerOf } from '../../../src-main/core/models/model-spec';
import { normalizedRows } from '../../../src-main/core/inference/normalize';
import { hasDynamicSequenceAxis } from '../../../src-main/core/inference/text-sequence';
import type { TextTokenizer } from '../../../src-main/core/inference/tokenizer';
import { loadTokenizer } from '../../../src-main/core/inference/tokenizer';
import { hasShared } from '../../fixtures/shared-data';
import type { CausalText } from '../../fixtures/synthetic-model';
import {
  buildSyntheticModel,
  COLOUR_WORDS,
  expectedColourEmbedding,
  SYNTHETIC_DIM,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../../fixtures/synthetic-model';

/** Short and long queries; the last is longer than the 77-token context (truncated, EOT kept). */
const QUERIES = [
  'red',
  'a photo of something blue',
  'a yellow taxi parked in front of an old green house on a rainy afternoon',
  Array.from({ length: 90 }, (_, i) => (i % 2 === 0 ? 'magenta' : 'flower')).join(' '),
];

/** The text tower of `model` run directly on each query, padded to 77 or cut to its own tokens. */
async function directEmbeddings(
  model: InstalledModel,
  tokenizer: TextTokenizer,
  texts: string[],
  length: 'padded' | 'trimmed',
): Promise<Float32Array[]> {
  const session = await InferenceSession.create(
    modelFilePath(model, textTowerOf(model.spec)!.file),
  );
  try {
    const rows: Float32Array[] = [];
    for (const text of texts) {
      const { inputIds, tokenCount } = tokenizer.encode(text);
      const ids = length === 'padded' ? inputIds : inputIds.slice(0, tokenCount);
      const out = await session.run({ input_ids: new Tensor('int64', ids, [1, ids.length]) });
      rows.push(normalizedRows(out['text_embeds']!.data as Float32Array, 1, SYNTHETIC_DIM)[0]!);
    }
    return rows;
  } finally {
    await session.release();
  }
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((x, d) => (worst = Math.max(worst, Math.abs(x - b[i]![d]!)))));
  return worst;
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'the text tower on the real token count ([Note: Text tower on the real token count])',
  () => {
    let dir: string;
    let tokenizer: TextTokenizer;
    const models = new Map<string, InstalledModel>();

    async function causalModel(causalText: CausalText): Promise<InstalledModel> {
      const name = `${causalText.readAt}-${causalText.pooling}`;
      const known = models.get(name);
      if (known) return known;
      const model = await buildSyntheticModel(path.join(dir, name), { causalText });
      models.set(name, model);
      return model;
    }

    async function embedWithEmbedder(model: InstalledModel, texts: string[]) {
      const embedder = createEmbedder(model, { providers: ['cpu'] });
      try {
        return await embedder.embedTexts(texts);
      } finally {
        await embedder.dispose();
      }
    }

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-text-sequence-'));
      const model = await causalModel({ readAt: 'end-of-text', pooling: 'causal-eot' });
      tokenizer = await loadTokenizer(model, textTowerOf(model.spec)!);
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('the causal graph has a dynamic sequence axis, the plain synthetic graph a fixed 77', async () => {
      const causal = await causalModel({ readAt: 'end-of-text', pooling: 'causal-eot' });
      const plain = await buildSyntheticModel(path.join(dir, 'plain'));
      const open = (model: InstalledModel) =>
        InferenceSession.create(modelFilePath(model, textTowerOf(model.spec)!.file));
      const [causalSession, plainSession] = await Promise.all([open(causal), open(plain)]);
      expect(hasDynamicSequenceAxis(causalSession, 'input_ids')).toBe(true);
      expect(hasDynamicSequenceAxis(plainSession, 'input_ids')).toBe(false);
      expect(hasDynamicSequenceAxis(plainSession, 'no_such_input')).toBe(false);
      await Promise.all([causalSession.release(), plainSession.release()]);
    });

    it('pooled at the end-of-text token under a causal mask, trimming the padding changes nothing', async () => {
      const model = await causalModel({ readAt: 'end-of-text', pooling: 'causal-eot' });
      const padded = await directEmbeddings(model, tokenizer, QUERIES, 'padded');
      const trimmed = await directEmbeddings(model, tokenizer, QUERIES, 'trimmed');
      expect(maxDifference(trimmed, padded)).toBeLessThan(1e-6);
      const embedded = await embedWithEmbedder(model, QUERIES);
      expect(maxDifference(embedded, padded)).toBeLessThan(1e-6);
      // …and it is still the colour model: "red" embeds like a red photo.
      expect(
        maxDifference([embedded[0]!], [expectedColourEmbedding(COLOUR_WORDS['red']!)]),
      ).toBeLessThan(1e-6);
    });

    it('a spec that says causal-eot is run on the longest query of the batch, not on 77 positions', async () => {
      // The graph reads the LAST position, so its answer shows how many positions it was fed.
      const model = await causalModel({ readAt: 'last', pooling: 'causal-eot' });
      const padded = await directEmbeddings(model, tokenizer, ['red'], 'padded');
      const trimmed = await directEmbeddings(model, tokenizer, ['red'], 'trimmed');
      expect(maxDifference(trimmed, padded)).toBeGreaterThan(0.1);
      const [alone] = await embedWithEmbedder(model, ['red']);
      expect(maxDifference([alone!], trimmed)).toBeLessThan(1e-6);
      // In a batch with a longer query, "red" is padded to that query's length only.
      const longer = 'a photo of something red';
      const width = tokenizer.encode(longer).tokenCount;
      const { inputIds } = tokenizer.encode('red');
      const session = await InferenceSession.create(
        modelFilePath(model, textTowerOf(model.spec)!.file),
      );
      const out = await session.run({
        input_ids: new Tensor('int64', inputIds.slice(0, width), [1, width]),
      });
      await session.release();
      const atWidth = normalizedRows(out['text_embeds']!.data as Float32Array, 1, SYNTHETIC_DIM);
      const [inBatch] = await embedWithEmbedder(model, ['red', longer]);
      expect(maxDifference([inBatch!], atWidth)).toBeLessThan(1e-6);
    });

    it('a model that reads the last position (SigLIP) and says so is always given the padded length', async () => {
      const model = await causalModel({ readAt: 'last', pooling: 'padded' });
      const short = QUERIES.slice(0, 3); // none of them fills the context
      const padded = await directEmbeddings(model, tokenizer, short, 'padded');
      const embedded = await embedWithEmbedder(model, short);
      expect(maxDifference(embedded, padded)).toBeLessThan(1e-6);
    });

    it('a graph with a fixed 77-token axis gets 77 even when its spec says causal-eot', async () => {
      const plain = await buildSyntheticModel(path.join(dir, 'fixed-causal-eot'));
      const spec = { ...plain.spec, text: { ...plain.spec.text!, pooling: 'causal-eot' as const } };
      // onnxruntime refuses any other width for a fixed axis, so an answer means 77 was fed.
      const embedded = await embedWithEmbedder({ ...plain, spec }, ['a photo of something green']);
      expect(
        maxDifference(embedded, [expectedColourEmbedding(COLOUR_WORDS['green']!)]),
      ).toBeLessThan(1e-6);
    });
  },
);
