import type { DuplicatePhoto, PhotoId } from '../../shared/types';

/**
 * [Note: Best copy] The copy to keep is the one with the most pixels (a resize or a crop loses
 * them); among equal sizes the one with the most complete metadata (date, camera, GPS: a
 * re-save often strips EXIF), then the largest file (less compression). Sharpness is not
 * measured: it needs the pixels again, and resolution already separates most edits. The reason
 * names the first criterion that decided.
 */
export function bestCopy(photos: readonly DuplicatePhoto[]): { photoId: PhotoId; reason: string } {
  const ranked = [...photos].sort(
    (x, y) => pixels(y) - pixels(x) || metadataCount(y) - metadataCount(x) || y.bytes - x.bytes,
  );
  const [best, runnerUp] = ranked as [DuplicatePhoto, DuplicatePhoto | undefined];
  if (!runnerUp) return { photoId: best.photoId, reason: 'the only copy' };
  if (pixels(best) > pixels(runnerUp))
    return { photoId: best.photoId, reason: `largest resolution (${best.width}×${best.height})` };
  if (metadataCount(best) > metadataCount(runnerUp)) {
    return {
      photoId: best.photoId,
      reason: `most complete metadata (${metadataNames(best).join(', ')})`,
    };
  }
  if (best.bytes > runnerUp.bytes) return { photoId: best.photoId, reason: 'largest file' };
  return { photoId: best.photoId, reason: 'identical copies: any one will do' };
}

function pixels(photo: DuplicatePhoto): number {
  return photo.width * photo.height;
}

function metadataNames(photo: DuplicatePhoto): string[] {
  return [
    ...(photo.takenAt !== null ? ['date'] : []),
    ...(photo.camera !== null ? ['camera'] : []),
    ...(photo.hasGps ? ['GPS'] : []),
  ];
}

function metadataCount(photo: DuplicatePhoto): number {
  return metadataNames(photo).length;
}
