import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { PhotoseekError } from '../../shared/errors';
import type { InstalledModel } from '../models/installed-model';
import { modelFilePath } from '../models/installed-model';
import type { ModelFile, TextInputSpec, TextTower } from '../models/model-spec';

/** One query as the text tower's fixed-length inputs (length = spec.text.contextLength). */
export interface TokenizedText {
  inputIds: BigInt64Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  /** How many of the positions hold real tokens (the rest is padding). */
  tokenCount: number;
}

export interface TextTokenizer {
  encode(text: string): TokenizedText;
}

/**
 * Loads the model's `tokenizer.json` (and `tokenizer_config.json` when the spec lists it) into
 * @huggingface/tokenizers, the maintained pure-JS port of the Rust tokenizers used by
 * transformers.js (DESIGN.md: never hand-write BPE). The library adds the model's special tokens
 * (CLIP: <|startoftext|> … <|endoftext|>); this module only fits the result to the graph's input.
 */
export async function loadTokenizer(
  model: InstalledModel,
  tower: TextTower,
): Promise<TextTokenizer> {
  const text = tower.input;
  const tokenizerJson = await readModelJson(model, tower.tokenizer);
  const tokenizerConfig = tower.tokenizerConfig
    ? await readModelJson(model, tower.tokenizerConfig)
    : {};
  const tokenizer = createTokenizer(model, tower.tokenizer, tokenizerJson, tokenizerConfig);
  return {
    encode(query) {
      if (query.trim() === '') {
        throw new PhotoseekError(
          'BAD_ARGUMENT',
          'Type some words to search for: the query is empty.',
        );
      }
      const ids = tokenizer.encode(text.lowercase ? query.toLowerCase() : query).ids;
      return fitToContext(ids, text);
    },
  };
}

/**
 * [Note: Query truncation] A query longer than the context is cut to contextLength tokens but keeps
 * its final token: CLIP's text tower pools the embedding at the <|endoftext|> position, so a query
 * truncated without it would embed from an arbitrary word. Shorter queries are padded with
 * padTokenId and masked out.
 */
function fitToContext(ids: number[], spec: TextInputSpec): TokenizedText {
  const length = spec.contextLength;
  const kept = ids.length <= length ? ids : [...ids.slice(0, length - 1), ids[ids.length - 1]!];
  const inputIds = new BigInt64Array(length).fill(BigInt(spec.padTokenId));
  const attentionMask = new BigInt64Array(length);
  kept.forEach((id, position) => {
    inputIds[position] = BigInt(id);
    attentionMask[position] = 1n;
  });
  return { inputIds, attentionMask, tokenCount: kept.length };
}

function createTokenizer(
  model: InstalledModel,
  file: ModelFile,
  tokenizerJson: object,
  config: object,
): Tokenizer {
  try {
    return new Tokenizer(tokenizerJson, config);
  } catch (error) {
    const filePath = modelFilePath(model, file);
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The tokenizer ${filePath} cannot be used: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function readModelJson(model: InstalledModel, file: ModelFile): Promise<object> {
  const filePath = modelFilePath(model, file);
  let source: string;
  try {
    source = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new PhotoseekError('MODEL_MISSING', `The model file ${filePath} cannot be read.`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(source) as object;
  } catch (error) {
    throw new PhotoseekError('MODEL_INVALID', `The tokenizer file ${filePath} is not valid JSON.`, {
      cause: error,
    });
  }
}
