import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { PhotoseekError } from '../../shared/errors';
import type { PhotoId } from '../../shared/types';
import type { Embedder } from '../embed/embedder';
import type { ImageInputSpec } from '../embed/model-spec';
import { toPixelTensor } from '../embed/preprocess';
import { decodeImageBuffer } from '../media';
import type { VectorIndex } from '../store/vector-index';
import { evenlySpread } from '../../shared/evenly-spread';
import { dot, quantile } from '../vector-math';

/** What a model's calibration found; stored per model so it runs once. */
export interface DuplicateCalibration {
  modelId: string;
  /** Cosine at or above which two photos are the same shot, for this model. */
  threshold: number;
  /** Library photos sampled, and the cosines measured (quantiles used). */
  sampled: number;
  sameShotLow: number;
  differentHigh: number;
}

export interface CalibrationDeps {
  modelId: string;
  vectors: VectorIndex;
  embedder: Embedder;
  imageSpec: ImageInputSpec;
  /** The JPEG thumbnail of an indexed photo, or null when it has none. */
  thumbnailPath(photoId: PhotoId): string | null;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const CALIBRATION_SAMPLE = 24;

/**
 * [Note: Duplicate threshold per model] Cosines mean different things per model (CLIP's photos
 * of one scene sit near 0.9, MobileNetV2's unrelated photos already near 0.6), so the threshold
 * is measured on the library itself, once per model. Up to CALIBRATION_SAMPLE photos, spread over
 * the library in content-hash order (repeatable whatever order indexing took), are re-embedded after synthetic edits of their thumbnails made with sharp
 * (the thumbnail itself, half size, JPEG quality 40, a 90 % centre crop, brightness +20 %,
 * colour saturation −30 %): their cosines to the stored vector form the "same shot"
 * distribution. Each sample's nearest other library photo below the same-shot floor forms the
 * "different photos" one (neighbours above it are likely the library's own duplicates).
 * The threshold lies between the 5th percentile of the first and the 90th of the second,
 * at SPLIT of the way up from the different side; when they overlap, at the same-shot 5th
 * percentile. Measured values per model are in docs/explore.md.
 */
export async function calibrateDuplicateThreshold(
  deps: CalibrationDeps,
  /** The library's photos in a repeatable order that does not follow folders (content hash). */
  photoIds: readonly PhotoId[],
): Promise<DuplicateCalibration> {
  const sample = evenlySpread(photoIds, CALIBRATION_SAMPLE);
  const same: number[] = [];
  const stored = new Map<PhotoId, Float32Array>();
  for (const [done, photoId] of sample.entries()) {
    deps.signal?.throwIfAborted();
    const vector = deps.vectors.get(photoId);
    const thumbnail = deps.thumbnailPath(photoId);
    if (!vector || !thumbnail) continue;
    const bytes = await readFile(thumbnail).catch(() => null);
    if (!bytes) continue;
    const edits = await Promise.all(EDITS.map((edit) => edit(bytes)));
    const tensors = await Promise.all(
      edits.map(async (edit) => {
        const decoded = await decodeImageBuffer(edit, {
          input: deps.imageSpec,
          thumbnailSize: 16,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        return toPixelTensor(decoded.rgb, deps.imageSpec);
      }),
    );
    const embedded = await deps.embedder.embedImages(tensors, deps.signal);
    for (const edited of embedded) same.push(dot(vector, edited));
    stored.set(photoId, vector);
    deps.onProgress?.(done + 1, sample.length);
  }
  if (same.length === 0) {
    throw new PhotoseekError(
      'NOT_FOUND',
      'No photo thumbnail could be read to calibrate the duplicate threshold: index the library again.',
    );
  }
  const sameShotLow = quantile(same, 0.05);
  const different: number[] = [];
  for (const [photoId, vector] of stored) {
    const hits = deps.vectors.search(vector, NEIGHBOURS, { excludePhotoIds: [photoId] });
    const nearestDifferent = hits.find((hit) => hit.score < sameShotLow);
    if (nearestDifferent) different.push(nearestDifferent.score);
  }
  const differentHigh = different.length > 0 ? quantile(different, 0.9) : sameShotLow;
  return {
    modelId: deps.modelId,
    threshold: pickThreshold(sameShotLow, differentHigh),
    sampled: stored.size,
    sameShotLow,
    differentHigh,
  };
}

/** Between the two distributions' tails, nearer the same-shot side; never above it. */
export function pickThreshold(sameShotLow: number, differentHigh: number): number {
  if (differentHigh >= sameShotLow) return sameShotLow;
  return differentHigh + SPLIT * (sameShotLow - differentHigh);
}

const SPLIT = 0.5;
const NEIGHBOURS = 12;

type Edit = (bytes: Buffer) => Promise<Buffer>;
const EDITS: readonly Edit[] = [
  async (bytes) => bytes,
  async (bytes) => {
    const { width = 2 } = await sharp(bytes).metadata();
    return sharp(bytes)
      .resize({ width: Math.max(1, Math.round(width / 2)) })
      .jpeg()
      .toBuffer();
  },
  (bytes) => sharp(bytes).jpeg({ quality: 40 }).toBuffer(),
  async (bytes) => {
    const { width = 1, height = 1 } = await sharp(bytes).metadata();
    const cropWidth = Math.max(1, Math.round(width * 0.9));
    const cropHeight = Math.max(1, Math.round(height * 0.9));
    return sharp(bytes)
      .extract({
        left: Math.floor((width - cropWidth) / 2),
        top: Math.floor((height - cropHeight) / 2),
        width: cropWidth,
        height: cropHeight,
      })
      .jpeg()
      .toBuffer();
  },
  (bytes) => sharp(bytes).modulate({ brightness: 1.2 }).jpeg().toBuffer(),
  (bytes) => sharp(bytes).modulate({ saturation: 0.7 }).jpeg().toBuffer(),
];
