/**
 * The two stages of the indexer measured alone, doing what its decode workers and its inference
 * consumer do (src-main/core/library/indexer.ts), so that their rates bound the pipeline:
 * - decode: content hash + decodeImage (model input and thumbnail), `concurrency` at a time;
 * - inference: toPixelTensor + one embedImages call per batch, on images decoded beforehand.
 */
import type { Embedder } from '../../src-main/core/inference/embedder';
import type { ImageInputSpec } from '../../src-main/core/models/model-spec';
import { toPixelTensor } from '../../src-main/core/inference/preprocess';
import { contentHash } from '../../src-main/core/library/content-hash';
import { INDEXER_DEFAULTS } from '../../src-main/core/library/indexer';
import { decodeImage } from '../../src-main/core/media';
import { stat } from 'node:fs/promises';

export interface DecodeStageResult {
  imagesPerSecond: number;
  /** Each file's model input (size × size RGB), in file order. */
  rgb: Uint8Array[];
}

export async function decodeStage(
  files: readonly string[],
  spec: ImageInputSpec,
  concurrency: number,
): Promise<DecodeStageResult> {
  const rgb: Uint8Array[] = new Array<Uint8Array>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      await contentHash(file, (await stat(file)).size);
      rgb[index] = (
        await decodeImage(file, { input: spec, thumbnailSize: INDEXER_DEFAULTS.thumbnailSize })
      ).rgb;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { imagesPerSecond: files.length / ((performance.now() - started) / 1000), rgb };
}

/** Images per second through the image tower, in batches of `batchSize`. */
export async function inferenceStage(
  embedder: Embedder,
  rgb: readonly Uint8Array[],
  spec: ImageInputSpec,
  batchSize: number,
): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < rgb.length; from += batchSize) {
    const batch = rgb.slice(from, from + batchSize).map((image) => toPixelTensor(image, spec));
    await embedder.embedImages(batch);
  }
  return rgb.length / ((performance.now() - started) / 1000);
}
