import { readFile } from 'node:fs/promises';
import type { PhotoId } from '../../shared/types';
import type { FingerprintStore } from './fingerprint-store';
import { FINGERPRINT_DIM, fingerprintOf, writeWholeView } from './image-fingerprint';

/** The fingerprints of a list of photos, row for row. */
export interface LibraryFingerprints {
  /** Each photo's fingerprint, or null when its thumbnail could not be read. */
  fingerprints: (Uint8Array | null)[];
  /** Each photo's whole-picture view ([Note: Image fingerprint]), FINGERPRINT_DIM values a row. */
  wholes: Float32Array;
}

export interface LibraryFingerprintsDeps {
  fingerprints: FingerprintStore;
  /** The JPEG thumbnail of an indexed photo, or null when it has none. */
  thumbnailPath(photoId: PhotoId): string | null;
  /** A write outside indexing (a full disk is one clear error). */
  write(action: () => void): void;
  /** (made, to make) while fingerprints missing from the store are made. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The stored fingerprints of `photoIds`, the missing ones made from their thumbnails first and
 * stored ([Note: Stored fingerprints]): the first search of a library reads every thumbnail once
 * (≈ 2 ms each on 2 loaded cores), later ones read only those of photos indexed since.
 */
export async function libraryFingerprints(
  deps: LibraryFingerprintsDeps,
  photoIds: readonly PhotoId[],
): Promise<LibraryFingerprints> {
  const stored = deps.fingerprints.all();
  const missing = photoIds.filter((photoId) => !stored.has(photoId));
  let made = new Map<PhotoId, Uint8Array>();
  let done = 0;
  const flush = () => {
    const batch = made;
    made = new Map();
    deps.write(() => deps.fingerprints.put(batch));
  };
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      deps.signal?.throwIfAborted();
      const photoId = missing[next++]!;
      const thumbnail = deps.thumbnailPath(photoId);
      const bytes = thumbnail ? await readFile(thumbnail).catch(() => null) : null;
      const fingerprint = bytes ? await fingerprintOf(bytes).catch(() => null) : null;
      if (fingerprint) {
        stored.set(photoId, fingerprint);
        made.set(photoId, fingerprint);
        if (made.size >= WRITE_BATCH) flush();
      }
      deps.onProgress?.(++done, missing.length);
    }
  };
  if (missing.length > 0) {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    flush();
  }
  const fingerprints = photoIds.map((photoId) => stored.get(photoId) ?? null);
  const wholes = new Float32Array(photoIds.length * FINGERPRINT_DIM);
  fingerprints.forEach((fingerprint, row) => {
    if (fingerprint) writeWholeView(fingerprint, wholes, row * FINGERPRINT_DIM);
  });
  return { fingerprints, wholes };
}

/** Thumbnails read at once: sharp decodes on libuv's threads, the two cores. */
const CONCURRENCY = 2;
const WRITE_BATCH = 500;
