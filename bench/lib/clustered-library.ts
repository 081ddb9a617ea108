import { createHash } from 'node:crypto';
import path from 'node:path';
import type { openDatabase } from '../../src-main/core/store/database';
import type { LibraryStore } from '../../src-main/core/store/library-store';
import type { VectorIndex } from '../../src-main/core/vectors/vector-index';
import { ClusteredEmbeddings } from './clustered-embeddings';

/** Photos of one folder per trip (the explore benches' library): 500 files a folder. */
const FILES_PER_DIR = 500;

export interface BenchPhoto {
  photoId: number;
  embedding: Float32Array;
  attributes: { dirId: number; takenAt: number };
}

/**
 * `count` photos with files in folders of FILES_PER_DIR, capture times over 16 years and CLIP-like
 * clustered vectors; the last `notIndexed` get rows but no vector yet (photos "added" later).
 */
export function writeClusteredLibrary(
  db: ReturnType<typeof openDatabase>,
  library: LibraryStore,
  vectors: VectorIndex,
  root: string,
  count: number,
  dim: number,
  notIndexed: number,
): BenchPhoto[] {
  const folder = library.addFolder(path.join(root, 'photos'));
  const embeddings = new ClusteredEmbeddings({ dim, seed: count });
  const photos: BenchPhoto[] = [];
  const insert = db.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const dir = path.join(folder.path, `trip-${Math.floor(index / FILES_PER_DIR)}`);
      const takenAt = Date.UTC(2008, 0, 1) + Math.floor(embeddings.uniform() * 5e11);
      const photoId = library.insertPhoto(
        createHash('sha256').update(`bench:${index}`).digest('hex'),
        { width: 4000, height: 3000, format: 'jpeg', takenAt, camera: null, gps: null },
      );
      const dirId = library.dirId(dir, folder.id);
      library.upsertFile({
        path: path.join(dir, `IMG_${index}.jpg`),
        dirId,
        photoId,
        size: 1,
        mtimeMs: 0,
      });
      const photo = {
        photoId,
        embedding: embeddings.nextPhoto().embedding,
        attributes: { dirId, takenAt },
      };
      if (index < count - notIndexed) vectors.upsert(photoId, photo.embedding, photo.attributes);
      photos.push(photo);
    }
  });
  for (let from = 0; from < count; from += 1000) insert(from, Math.min(count, from + 1000));
  return photos;
}
