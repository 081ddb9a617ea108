import type { Sharp } from 'sharp';

/**
 * EXIF orientation (1–8) as sharp operations, for pixels whose orientation is recorded somewhere
 * sharp cannot see (the raw file around an embedded preview). Files that carry their own EXIF
 * orientation use sharp's autoOrient() instead. sharp applies flip/flop before rotate, which is
 * exactly EXIF's "mirror, then rotate clockwise" for 5 and 7.
 */
export function applyOrientation(image: Sharp, orientation: number | null | undefined): Sharp {
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    case 5:
      return image.flop().rotate(270);
    case 6:
      return image.rotate(90);
    case 7:
      return image.flop().rotate(90);
    case 8:
      return image.rotate(270);
    default:
      return image;
  }
}

/** Whether an orientation swaps width and height (5–8). */
export function swapsAxes(orientation: number | null | undefined): boolean {
  return orientation !== null && orientation !== undefined && orientation >= 5 && orientation <= 8;
}
