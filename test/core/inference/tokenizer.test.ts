import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstalledModel } from '../../../src-main/core/models/installed-model';
import { ModelSpecSchema, textTowerOf } from '../../../src-main/core/models/model-spec';
import type { TextTokenizer } from '../../../src-main/core/inference/tokenizer';
import { loadTokenizer } from '../../../src-main/core/inference/tokenizer';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import { CLIP_IMAGE_INPUT } from '../../fixtures/clip-image-input';

const TOKENIZER = ['models', 'clip-vit-b32-tokenizer'] as const;
const START = 49406n;
const END = 49407n;

/** The shared CLIP tokenizer folder as an installed model (only the tokenizer files are read). */
/** loadTokenizer's arguments for a model with a text tower. */
function tokenizerOf(model: InstalledModel) {
  return [model, textTowerOf(model.spec)!] as const;
}

function clipTokenizerModel(files: { tokenizer?: string } = {}): InstalledModel {
  const spec = ModelSpecSchema.parse({
    id: 'clip-tokenizer-only',
    name: 'CLIP tokenizer',
    family: 'clip',
    embeddingDim: 512,
    files: {
      vision: { path: 'vision.onnx' },
      text: { path: 'text.onnx' },
      tokenizer: { path: files.tokenizer ?? 'tokenizer.json' },
      tokenizerConfig: { path: 'tokenizer_config.json' },
    },
    image: CLIP_IMAGE_INPUT,
    text: { contextLength: 77, padTokenId: 49407 },
  });
  return { spec, dir: sharedPath(...TOKENIZER) };
}

describe.skipIf(!hasShared(...TOKENIZER))('loadTokenizer (CLIP ViT-B/32)', () => {
  let tokenizer: TextTokenizer;
  let reference: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

  beforeAll(async () => {
    tokenizer = await loadTokenizer(...tokenizerOf(clipTokenizerModel()));
    // transformers.js loaded offline from the same folder: the reference for padding/truncation.
    env.allowRemoteModels = false;
    env.localModelPath = sharedPath('models');
    reference = await AutoTokenizer.from_pretrained(TOKENIZER[1]);
  });

  function referenceEncoding(text: string) {
    const encoded = reference(text, { padding: 'max_length', max_length: 77, truncation: true });
    return {
      inputIds: Array.from(encoded.input_ids.data as BigInt64Array),
      attentionMask: Array.from(encoded.attention_mask.data as BigInt64Array),
    };
  }

  it('gives the canonical CLIP ids for "a photo of a cat", padded to 77 with <|endoftext|>', () => {
    const { inputIds, attentionMask } = tokenizer.encode('a photo of a cat');

    const canonical = [START, 320n, 1125n, 539n, 320n, 2368n, END];
    expect(Array.from(inputIds)).toEqual([...canonical, ...Array<bigint>(70).fill(END)]);
    expect(Array.from(attentionMask)).toEqual([
      ...Array<bigint>(7).fill(1n),
      ...Array<bigint>(70).fill(0n),
    ]);
  });

  it.each([
    'A Photo of a DOG on the Beach',
    'sunset   over\tthe\nmountains',
    "it's my friend's 30th birthday party!!!",
    'café crème brûlée, naïve façade',
    '🐶 dog with a 🎾 ball',
    'Shinjuku 東京 at night',
    'red car, blue sky; 2024-07-14 #roadtrip @home',
  ])('matches transformers.js for %j', (text) => {
    const ours = tokenizer.encode(text);

    const expected = referenceEncoding(text);
    expect(Array.from(ours.inputIds)).toEqual(expected.inputIds);
    expect(Array.from(ours.attentionMask)).toEqual(expected.attentionMask);
  });

  // transformers.js 4 cuts the sequence after adding special tokens, so its 77th id is a word; the
  // Python CLIPTokenizer and OpenAI's clip.tokenize(truncate=True) keep <|endoftext|> last, as we do.
  it('truncates an overlong query to 77 ids that still end with <|endoftext|>', () => {
    const words = Array.from({ length: 200 }, (_, i) => ['red', 'car', 'tree', 'house'][i % 4]);
    const text = words.join(' ');

    const { inputIds, attentionMask } = tokenizer.encode(text);

    expect(inputIds).toHaveLength(77);
    expect(inputIds[0]).toBe(START);
    expect(inputIds[76]).toBe(END);
    expect(attentionMask.every((bit) => bit === 1n)).toBe(true);
    expect(Array.from(inputIds.subarray(0, 76))).toEqual(
      referenceEncoding(text).inputIds.slice(0, 76),
    );
  });

  it.each(['', '   \n\t '])('rejects the empty query %j with BAD_ARGUMENT', (text) => {
    expect(() => tokenizer.encode(text)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it('reports a missing tokenizer file as MODEL_MISSING with its path', async () => {
    const model = clipTokenizerModel({ tokenizer: 'no-such-tokenizer.json' });

    await expect(loadTokenizer(...tokenizerOf(model))).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining('no-such-tokenizer.json'),
    });
  });
});
