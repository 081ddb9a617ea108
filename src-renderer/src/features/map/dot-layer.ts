/**
 * [Note: Dots as pixels] The map's dots are written straight into an ImageData buffer (one
 * Uint32 per device pixel) and put on the canvas at once. Panning 100,000 dots drawn as canvas
 * paths gave frame intervals of 300 ms at the 95th percentile in software-rendered Chromium
 * (bench/map-frames.bench.ts, one run, load ≈ 13 on 2 cores); as pixels, 50 ms at load ≈ 19
 * (median of 3 runs; the median frame 16.7 ms, every frame at 60 Hz). Colours are packed for little-endian byte order (RGBA in memory), which
 * every platform Electron ships for is.
 */
export class DotLayer {
  private image: ImageData | null = null;
  private pixels = new Uint32Array(0);

  /** Clears the buffer to `background` for a canvas of width × height device pixels. */
  begin(
    context: CanvasRenderingContext2D,
    width: number,
    height: number,
    background: number,
  ): void {
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = context.createImageData(Math.max(1, width), Math.max(1, height));
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    this.pixels.fill(background);
  }

  /** A filled square of half-size `radius` (device pixels) centred on (x, y), clipped. */
  square(x: number, y: number, radius: number, colour: number): void {
    const image = this.image;
    if (!image) return;
    const { width, height } = image;
    const left = Math.max(0, Math.round(x - radius));
    const right = Math.min(width, Math.round(x + radius));
    const top = Math.max(0, Math.round(y - radius));
    const bottom = Math.min(height, Math.round(y + radius));
    for (let row = top; row < bottom; row++) {
      this.pixels.fill(colour, row * width + left, row * width + right);
    }
  }

  finish(context: CanvasRenderingContext2D): void {
    if (this.image) context.putImageData(this.image, 0, 0);
  }
}

/** '#rrggbb' or a computed 'rgb(r, g, b)' / 'rgba(…)' as a packed opaque pixel. */
export function packColour(colour: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  const parts = hex
    ? hex.slice(1).map((part) => parseInt(part, 16))
    : (colour.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
  const [r = 0, g = 0, b = 0] = parts;
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
