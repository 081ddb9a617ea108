import type { ImageInputSpec } from '../models/model-spec';

/**
 * Turns the decoder's size×size RGB bytes (HWC, row-major) into the model's pixel tensor:
 * CHW float32, `(byte * rescale - mean[c]) / std[c]`. Resizing and cropping happen earlier, in
 * sharp (media/decode), so this step is pure arithmetic and identical for every model family.
 */
export function toPixelTensor(rgb: Uint8Array, spec: ImageInputSpec): Float32Array {
  const plane = spec.size * spec.size;
  if (rgb.length !== plane * 3) {
    throw new RangeError(
      `expected ${plane * 3} RGB bytes for a ${spec.size}px input, got ${rgb.length}`,
    );
  }
  const tensor = new Float32Array(plane * 3);
  for (let channel = 0; channel < 3; channel++) {
    const scale = spec.rescale / spec.std[channel]!;
    const offset = spec.mean[channel]! / spec.std[channel]!;
    const base = channel * plane;
    for (let i = 0; i < plane; i++) tensor[base + i] = rgb[i * 3 + channel]! * scale - offset;
  }
  return tensor;
}
