import type {
  DuplicateGroup,
  DuplicatePhoto,
  DuplicatesProgress,
  PhotoId,
} from '../../shared/types';
import type { LibraryStore } from '../store/library-store';
import type { VectorIndex } from '../vectors/vector-index';
import { bestCopy } from './best-copy';
import {
  CALIBRATION_METHOD,
  CALIBRATION_SAMPLE,
  type DuplicateCalibration,
} from './duplicate-threshold';
import type { FingerprintStore } from './fingerprint-store';
import { fingerprintViews, imageMatch } from './image-fingerprint';
import { libraryFingerprints, type LibraryFingerprints } from './library-fingerprints';
import { sameShotPairs } from './same-shot-pairs';
import { seedGroups } from './seed-groups';

export interface DuplicatesDeps {
  store: LibraryStore;
  fingerprints: FingerprintStore;
  modelId: string;
  vectors: VectorIndex;
  dim: number;
  /** The JPEG thumbnail of an indexed photo, or null when it has none. */
  thumbnailPath(photoId: PhotoId): string | null;
  /**
   * Measures the model's thresholds on the library ([Note: Duplicate threshold per model]):
   * `photoIds` row for row with `library`, `byContent` the rows in content-hash order.
   */
  calibrate(
    photoIds: readonly PhotoId[],
    library: LibraryFingerprints,
    byContent: readonly number[],
  ): Promise<DuplicateCalibration>;
  /** A settings write outside indexing (a full disk is one clear error). */
  write(action: () => void): void;
  onProgress?: (progress: DuplicatesProgress) => void;
  signal?: AbortSignal;
}

/**
 * [Note: Near-duplicate method] Exact copies are photos with several files. Groups of the same
 * shot take two signals: the model's vectors, which see what a photo shows whatever its crop,
 * and an image fingerprint of the pixels ([Note: Image fingerprint]), which sees the picture
 * whatever its brightness, colour, compression or size and whatever the model. A pair is a
 * candidate when either signal puts it above its floor (calibrated per model and library:
 * [Note: Duplicate threshold per model]; found without comparing all pairs: [Note:
 * Near-duplicate candidates]), and the same shot when its image match reaches SAME_SHOT_MATCH
 * (one value for every model: it measures pixels). The model proposes, the pixels decide: two shots of one product in two colours are
 * close to any ImageNet or CLIP model but not to their own pixels, and a brightness edit can move
 * a weak model's vector anywhere but not the pixels' pattern. On the generated set (real photos,
 * five edits each, other photos of the same categories: docs/explore.md) the model alone gave
 * MobileNetV2 precision 0.922 and the synthetic colour model 0.031; with the fingerprint 1.000
 * for both (recall 1.000 and 0.933). Groups: [Note: Groups
 * without chaining]; the copy to keep: [Note: Best copy]. Exact groups come first, then larger.
 */
export async function findDuplicates(deps: DuplicatesDeps): Promise<DuplicateGroup[]> {
  const exact = deps.store.photosWithSeveralFiles().map((photoId) => exactGroup(deps, photoId));
  const { photoIds, vectors } = deps.vectors.all();
  if (photoIds.length < 2) return exact;
  const cancel = deps.signal ? { signal: deps.signal } : {};
  const library = await libraryFingerprints(
    {
      fingerprints: deps.fingerprints,
      thumbnailPath: deps.thumbnailPath,
      write: deps.write,
      onProgress: (done, total) => deps.onProgress?.({ phase: 'fingerprinting', done, total }),
      ...cancel,
    },
    photoIds,
  );
  const measured = await calibration(deps, photoIds, library);
  const pairs = sameShotPairs(vectors, deps.dim, library, measured, {
    onProgress: (done, total) => deps.onProgress?.({ phase: 'comparing', done, total }),
    ...cancel,
  });
  const similar = seedGroups(pairs, measured.threshold, matcher(library)).flatMap((group) => {
    const members = [
      { index: group.seed, similarity: 1 },
      ...group.members.map((member) => ({ ...member, similarity: round(member.similarity) })),
    ];
    const photos = members.flatMap(({ index, similarity }) => {
      const photo = describe(deps.store, photoIds[index]!, similarity);
      return photo ? [photo] : [];
    });
    return photos.length > 1 ? [{ kind: 'similar' as const, photos, ...suggestion(photos) }] : [];
  });
  return [...exact, ...similar.sort((a, b) => b.photos.length - a.photos.length)];
}

/**
 * The stored calibration of this model, or a new one (stored) when none, another method's, or
 * a smaller library's.
 */
async function calibration(
  deps: DuplicatesDeps,
  photoIds: readonly PhotoId[],
  library: LibraryFingerprints,
): Promise<DuplicateCalibration> {
  const key = `duplicate-threshold:${deps.modelId}`;
  const stored = deps.store.setting(key);
  if (stored !== undefined) {
    const parsed = JSON.parse(stored) as Partial<DuplicateCalibration>;
    if (
      parsed.method === CALIBRATION_METHOD &&
      (parsed.sampled ?? 0) >= Math.min(CALIBRATION_SAMPLE, photoIds.length)
    )
      return parsed as DuplicateCalibration;
  }
  const photos = deps.store.photos(photoIds);
  const hashOf = (row: number) => photos.get(photoIds[row]!)?.contentHash ?? '';
  const byContent = photoIds.map((_, row) => row).sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : 1));
  const measured = await deps.calibrate(photoIds, library, byContent);
  deps.write(() => deps.store.setSetting(key, JSON.stringify(measured)));
  return measured;
}

/** Image match of any two rows, for average linkage; views kept for the last photos asked. */
function matcher(library: LibraryFingerprints): (a: number, b: number) => number {
  const views = new Map<number, Float32Array>();
  const viewsOf = (row: number) => {
    let found = views.get(row);
    if (!found) {
      if (views.size >= VIEWS_KEPT) views.clear();
      found = fingerprintViews(library.fingerprints[row]!);
      views.set(row, found);
    }
    return found;
  };
  return (a, b) => imageMatch(viewsOf(a), viewsOf(b));
}

/** Views of this many photos (28 KB each) are kept while groups are formed. */
const VIEWS_KEPT = 512;

function exactGroup(deps: DuplicatesDeps, photoId: PhotoId): DuplicateGroup {
  const details = deps.store.photoDetails(photoId);
  const files = deps.store.filesOfPhoto(photoId);
  const photos = files.map((file) => ({
    photoId,
    path: file.path,
    width: details?.width ?? 0,
    height: details?.height ?? 0,
    bytes: file.size,
    takenAt: details?.takenAt ?? null,
    camera: details?.camera ?? null,
    hasGps: details?.gps != null,
    similarity: 1,
  }));
  return {
    kind: 'exact',
    photos,
    suggested: photoId,
    reason: `identical files at ${files.length} paths: keep any one`,
  };
}

function describe(
  store: LibraryStore,
  photoId: PhotoId,
  similarity: number,
): DuplicatePhoto | null {
  const details = store.photoDetails(photoId);
  if (!details) return null;
  return {
    photoId,
    path: details.paths[0]!,
    width: details.width,
    height: details.height,
    bytes: details.bytes,
    takenAt: details.takenAt,
    camera: details.camera,
    hasGps: details.gps !== null,
    similarity,
  };
}

function suggestion(photos: readonly DuplicatePhoto[]): { suggested: PhotoId; reason: string } {
  const { photoId, reason } = bestCopy(photos);
  return { suggested: photoId, reason };
}

function round(similarity: number): number {
  return Math.round(similarity * 10_000) / 10_000;
}
