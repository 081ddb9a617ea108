/**
 * [Note: Synthetic libraries] Large libraries (10k, 100k, 1M photos) for the query, cold-start
 * and rescan benchmarks, made without decoding or embedding anything: every file is a hard link
 * to a tiny JPEG (so a rescan stats 100k real files, at almost no disk cost), and its rows are written
 * through the core's own store classes (LibraryStore, VectorIndex), exactly as the indexer writes
 * them, with CLIP-like clustered embeddings (clustered-embeddings.ts) and realistic metadata.
 * Each row's size and mtime are the file's, so `core.index()` finds every file unchanged. Built
 * once per work folder; a marker file records a finished build.
 *
 * [Note: Aligning the library with the bench text tower] The random-weight text tower maps every
 * query to nearly one direction (pairwise cosine ≈ 0.97) that has nothing to do with the synthetic
 * photo vectors: every photo would score ≈ 0 ± noise, the worst case for the vector index's
 * candidate stage and nothing like CLIP. So the photo vectors are reflected (a Householder
 * reflection: every cosine between photos is kept) to put one of the generator's CLIP-like text
 * queries onto the tower's mean query direction; the bench's text queries then meet the photos
 * the way bench/knn.bench.ts's text queries do (low, flat scores with one matching cluster).
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { openDatabase } from '../../src-main/core/store/database';
import { LibraryStore } from '../../src-main/core/store/library-store';
import { VectorIndex } from '../../src-main/core/vectors/vector-index';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { ClusteredEmbeddings, normalise } from './clustered-embeddings';
import { meanTextDirection } from './text-direction';

export interface SyntheticLibrary {
  size: number;
  /** The library folder (one of the database's folders). */
  root: string;
  databasePath: string;
}

const FILES_PER_DIR = 500;
const TRANSACTION_ROWS = 1000;
const DATES = [Date.UTC(2008, 0, 1), Date.UTC(2025, 0, 1)] as const;
const VERSION = 1;

/** The library of `size` photos in `dir` for `model`'s vector index, built when missing. */
export async function syntheticLibrary(
  dir: string,
  size: number,
  model: InstalledModel,
  log: (line: string) => void,
): Promise<SyntheticLibrary> {
  const library = {
    size,
    root: path.join(dir, 'photos'),
    databasePath: path.join(dir, 'library.db'),
  };
  const marker = path.join(dir, 'ready.json');
  const wanted = JSON.stringify({ version: VERSION, size, model: model.spec.id });
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === wanted) return library;
  await rm(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const tiny = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const files = linkFiles(library.root, tiny, size);
  writeRows(library, files, model.spec.id, await meanTextDirection(model));
  await writeFile(marker, wanted);
  log(`built a ${size}-photo library in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return library;
}

interface LinkedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * `size` files, FILES_PER_DIR per directory: the first of each directory is a copy of `tiny`, the
 * others hard links to it (a file system caps links per inode, ext4 at 65,000).
 */
function linkFiles(root: string, tiny: Buffer, size: number): LinkedFile[] {
  const files: LinkedFile[] = [];
  let first: LinkedFile | undefined;
  for (let index = 0; index < size; index++) {
    const dir = path.join(root, `d${String(Math.floor(index / FILES_PER_DIR)).padStart(4, '0')}`);
    const file = path.join(dir, `IMG_${String(index).padStart(7, '0')}.jpg`);
    if (index % FILES_PER_DIR === 0) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, tiny);
      const info = statSync(file);
      first = { path: file, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
    } else {
      linkSync(first!.path, file);
    }
    files.push({ ...first!, path: file });
  }
  return files;
}

function writeRows(
  library: SyntheticLibrary,
  files: readonly LinkedFile[],
  modelId: string,
  textDirection: Float32Array,
): void {
  const db = openDatabase(library.databasePath);
  try {
    const store = new LibraryStore(db);
    const vectors = VectorIndex.open(db, modelId, textDirection.length);
    const folder = store.addFolder(library.root);
    const embeddings = new ClusteredEmbeddings({ dim: textDirection.length, seed: files.length });
    const align = reflection(embeddings.textQuery(), textDirection);
    const insert = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) {
        const file = files[index]!;
        const takenAt = Math.floor(DATES[0] + embeddings.uniform() * (DATES[1] - DATES[0]));
        const hash = createHash('sha256').update(`synthetic:${index}`).digest('hex');
        const photoId = store.insertPhoto(hash, {
          width: 4000,
          height: 3000,
          format: 'jpeg',
          takenAt,
          camera: 'Acme Z1',
          gps: null,
        });
        const dirId = store.dirId(path.dirname(file.path), folder.id);
        store.upsertFile({
          path: file.path,
          dirId,
          photoId,
          size: file.size,
          mtimeMs: file.mtimeMs,
        });
        vectors.upsert(photoId, align(embeddings.nextPhoto().embedding), { dirId, takenAt });
      }
    });
    for (let from = 0; from < files.length; from += TRANSACTION_ROWS) {
      insert(from, Math.min(files.length, from + TRANSACTION_ROWS));
    }
  } finally {
    db.close();
  }
}

/** The Householder reflection that maps unit vector `from` onto unit vector `to`. */
function reflection(from: Float32Array, to: Float32Array): (vector: Float32Array) => Float32Array {
  const axis = normalise(from.map((value, i) => value - to[i]!));
  return (vector) => {
    let along = 0;
    for (let i = 0; i < vector.length; i++) along += vector[i]! * axis[i]!;
    return vector.map((value, i) => value - 2 * along * axis[i]!);
  };
}
