import path from 'node:path';
import type { IndexReport } from '../../shared/types';
import type { Embedder } from '../inference/embedder';
import type { InstalledModel } from '../models/installed-model';
import { FingerprintStore } from '../explore/fingerprint-store';
import { LibraryService } from '../library/library-service';
import type { RunOptions } from '../library/library-service';
import { ThumbnailCache } from '../library/thumbnail-cache';
import { openDatabase } from '../store/database';
import type { SqliteDatabase } from '../store/database';
import { JobQueue } from '../store/job-queue';
import { LibraryStore } from '../store/library-store';
import type { RemovedPhoto } from '../store/library-store';
import { VectorIndex } from '../vectors/vector-index';
import { WriterLease } from '../store/writer-lease';

/** A photo of the evaluated folder: its first file (by path) and that file's embedding. */
export interface EmbeddedPhoto {
  photoId: number;
  path: string;
  vector: Float32Array;
}

const MODELS_KEY = 'eval-vector-models';

/**
 * [Note: Eval library] The eval indexes the labelled folder into a library database of its own
 * (never the user's library) with the product's indexer, once per model: each model's vectors live
 * in its own vector index of that database, so photo rows, hashes and thumbnails are shared and a
 * kept work folder re-embeds only what is new. It does not go through createCore, whose model is
 * the user's *active* one: switching it per evaluated model would switch it under a running app.
 */
export class EvalLibrary {
  private readonly store: LibraryStore;
  private readonly jobs: JobQueue;
  private readonly thumbnails: ThumbnailCache;

  private constructor(
    private readonly db: SqliteDatabase,
    workDir: string,
  ) {
    this.store = new LibraryStore(db);
    this.jobs = new JobQueue(db);
    this.thumbnails = new ThumbnailCache(path.join(workDir, 'eval-thumbnails'));
  }

  static open(workDir: string): EvalLibrary {
    return new EvalLibrary(openDatabase(path.join(workDir, 'eval.db')), workDir);
  }

  /**
   * Brings `folder`'s vectors for `model` up to date with the product's indexer; its run options
   * (progress, cancellation, batch size, decode concurrency) pass through.
   */
  async embed(
    model: InstalledModel,
    embedder: Embedder,
    folder: string,
    options: RunOptions = {},
  ): Promise<IndexReport> {
    const libraryFolder = this.store.addFolder(folder);
    this.rememberModel(model.spec.id, model.spec.embeddingDim);
    const vectors = VectorIndex.open(this.db, model.spec.id, model.spec.embeddingDim);
    const deps = {
      store: this.store,
      jobs: this.jobs,
      vectors,
      embedder,
      imageSpec: model.spec.image,
      thumbnails: this.thumbnails,
      fingerprints: new FingerprintStore(this.db),
      dropVectors: (photos: readonly RemovedPhoto[]) => this.dropVectors(photos),
      // Eval never filters by folder or date, so the vectors' filter columns are never read.
      refreshAttributes: () => undefined,
    };
    return new LibraryService(
      () => deps,
      deps.jobs,
      new WriterLease(this.db, 'photoseek eval'),
    ).index([libraryFolder], options);
  }

  /** Every photo under `folder` that has a vector for `model`, ordered by path. */
  photos(model: InstalledModel, folder: string): EmbeddedPhoto[] {
    const libraryFolder = this.store.folder(folder);
    if (!libraryFolder) return [];
    const vectors = VectorIndex.open(this.db, model.spec.id, model.spec.embeddingDim);
    const files = [...this.store.filesInFolder(libraryFolder.id)].sort((a, b) =>
      a.path.localeCompare(b.path),
    );
    const seen = new Set<number>();
    return files.flatMap((file) => {
      if (seen.has(file.photoId)) return [];
      seen.add(file.photoId);
      const vector = vectors.get(file.photoId);
      return vector ? [{ photoId: file.photoId, path: file.path, vector }] : [];
    });
  }

  /** The photo a file belongs to, if it was indexed. */
  photoIdForFile(filePath: string): number | undefined {
    return this.store.file(filePath)?.photoId;
  }

  close(): void {
    this.db.close();
  }

  private models(): Record<string, number> {
    return JSON.parse(this.store.setting(MODELS_KEY) ?? '{}') as Record<string, number>;
  }

  private rememberModel(modelId: string, dim: number): void {
    const known = this.models();
    if (known[modelId] !== dim)
      this.store.setSetting(MODELS_KEY, JSON.stringify({ ...known, [modelId]: dim }));
  }

  /** A removed photo leaves every model's index (photo ids can be reused). */
  private dropVectors(photos: readonly RemovedPhoto[]): void {
    if (photos.length === 0) return;
    for (const [modelId, dim] of Object.entries(this.models())) {
      const index = VectorIndex.open(this.db, modelId, dim);
      for (const photo of photos) index.delete(photo.id);
    }
  }
}
