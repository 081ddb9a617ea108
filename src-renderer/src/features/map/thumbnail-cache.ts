/** Loaded thumbnails by photo id, at most `capacity` (the oldest go first); `onLoad` asks for a redraw. */
export class ThumbnailCache {
  private readonly images = new Map<number, HTMLImageElement>();

  constructor(
    private readonly urlOf: (photoId: number) => string,
    private readonly onLoad: () => void,
    private readonly capacity = 1000,
  ) {}

  /** The thumbnail if loaded; otherwise starts loading it and answers null. */
  get(photoId: number): HTMLImageElement | null {
    const cached = this.images.get(photoId);
    if (cached) {
      this.images.delete(photoId);
      this.images.set(photoId, cached);
      return cached.complete && cached.naturalWidth > 0 ? cached : null;
    }
    const image = new Image();
    image.decoding = 'async';
    image.onload = this.onLoad;
    image.src = this.urlOf(photoId);
    this.images.set(photoId, image);
    for (const oldest of this.images.keys()) {
      if (this.images.size <= this.capacity) break;
      this.images.delete(oldest);
    }
    return null;
  }
}
