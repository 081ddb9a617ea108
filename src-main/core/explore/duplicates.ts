import type {
  DuplicateGroup,
  DuplicatePhoto,
  DuplicatesProgress,
  PhotoId,
} from '../../shared/types';
import type { LibraryStore } from '../store/library-store';
import type { VectorIndex } from '../store/vector-index';
import { bestCopy } from './best-copy';
import { CALIBRATION_SAMPLE, type DuplicateCalibration } from './duplicate-threshold';
import { seedGroups } from './seed-groups';
import { similarPairs } from './similar-pairs';

export interface DuplicatesDeps {
  store: LibraryStore;
  modelId: string;
  vectors: VectorIndex;
  dim: number;
  /** Measures the model's threshold on the library ([Note: Duplicate threshold per model]). */
  calibrate(photoIds: readonly PhotoId[]): Promise<DuplicateCalibration>;
  /** A settings write outside indexing (a full disk is one clear error). */
  write(action: () => void): void;
  onProgress?: (progress: DuplicatesProgress) => void;
  signal?: AbortSignal;
}

/**
 * Exact copies (one photo, several files) and groups of the same shot (different files whose
 * vectors are within the model's threshold: [Note: Near-duplicate candidates], [Note: Groups
 * without chaining]), each with the copy to keep ([Note: Best copy]). Exact groups come first,
 * then the larger groups.
 */
export async function findDuplicates(deps: DuplicatesDeps): Promise<DuplicateGroup[]> {
  const exact = deps.store.photosWithSeveralFiles().map((photoId) => exactGroup(deps, photoId));
  const { photoIds, vectors } = deps.vectors.all();
  if (photoIds.length < 2) return exact;
  const { threshold } = await calibration(deps, photoIds);
  const pairs = similarPairs(vectors, deps.dim, threshold, {
    onProgress: (done, total) => deps.onProgress?.({ phase: 'comparing', done, total }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const similar = seedGroups(pairs, threshold, (a, b) => cosineAt(vectors, deps.dim, a, b)).flatMap(
    (group) => {
      const members = [
        { index: group.seed, similarity: 1 },
        ...group.members.map((member) => ({ ...member, similarity: round(member.similarity) })),
      ];
      const photos = members.flatMap(({ index, similarity }) => {
        const photo = describe(deps.store, photoIds[index]!, similarity);
        return photo ? [photo] : [];
      });
      return photos.length > 1 ? [{ kind: 'similar' as const, photos, ...suggestion(photos) }] : [];
    },
  );
  return [...exact, ...similar.sort((a, b) => b.photos.length - a.photos.length)];
}

/** The stored calibration of this model, or a new one (stored) when none or a smaller library's. */
async function calibration(
  deps: DuplicatesDeps,
  photoIds: readonly PhotoId[],
): Promise<DuplicateCalibration> {
  const key = `duplicate-threshold:${deps.modelId}`;
  const stored = deps.store.setting(key);
  if (stored !== undefined) {
    const parsed = JSON.parse(stored) as DuplicateCalibration;
    if (parsed.sampled >= Math.min(CALIBRATION_SAMPLE, photoIds.length)) return parsed;
  }
  const byContent = [...deps.store.photos(photoIds).values()]
    .sort((a, b) => (a.contentHash < b.contentHash ? -1 : 1))
    .map((photo) => photo.id);
  const measured = await deps.calibrate(byContent);
  deps.write(() => deps.store.setSetting(key, JSON.stringify(measured)));
  return measured;
}

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

function cosineAt(vectors: Float32Array, dim: number, a: number, b: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += vectors[a * dim + d]! * vectors[b * dim + d]!;
  return sum;
}
