import type { TextInputSpec } from '../models/model-spec';
import type { TokenizedText } from './tokenizer';
import type { TowerSession } from './tower-worker';

/**
 * [Note: Text tower on the real token count] The tokenizer pads every query to contextLength (77
 * for CLIP), but "a photo of a cat" is 7 tokens: a text tower run on 77 positions spends most of
 * its time on padding. CLIP reads its embedding at the end-of-text token, and its causal mask
 * keeps every position from seeing the ones after it, so the padding after that token cannot
 * change the embedding: the tower may run on the longest query of the batch instead (a batch of
 * several queries pads the shorter ones only to that length). The result is the same within float
 * rounding; with dynamically quantised (int8) towers the activations' quantisation range is taken
 * over the positions present, so it moves by a rounding step (measured on the int8 bench tower:
 * docs/benchmarks.md § Text tower on the real token count; identity on a causal graph:
 * test/core/inference/text-sequence.test.ts). Two things must hold, and neither is guessed:
 * - the spec says so (`text.pooling: "causal-eot"`): SigLIP reads the last position of a sequence
 *   padded to 64, where trimming would change the result, and a model that does not say is padded;
 * - the graph's sequence axis is dynamic (read from the session's input metadata): an export with
 *   a fixed 77 (like the bench towers from ../shared/tools/bench-models) takes only 77.
 * Measured with the int8 ViT-B/32-shaped bench tower on 2 cores: see docs/benchmarks.md.
 */
export function textSequenceLength(
  input: TextInputSpec,
  session: Pick<TowerSession, 'inputMetadata'>,
  fedInputs: readonly string[],
  tokens: readonly TokenizedText[],
): number {
  if (input.pooling !== 'causal-eot') return input.contextLength;
  if (!fedInputs.every((name) => hasDynamicSequenceAxis(session, name))) return input.contextLength;
  return Math.max(1, ...tokens.map((text) => text.tokenCount));
}

/** True when the input's second axis (the sequence) is symbolic or unknown in the graph. */
export function hasDynamicSequenceAxis(
  session: Pick<TowerSession, 'inputMetadata'>,
  inputName: string,
): boolean {
  const input = session.inputMetadata.find((meta) => meta.name === inputName);
  if (!input?.isTensor || input.shape.length !== 2) return false;
  const sequence = input.shape[1];
  return typeof sequence === 'string' || (typeof sequence === 'number' && sequence < 0);
}
