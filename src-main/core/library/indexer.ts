import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { FailureStage, IndexProgress, IndexReport, LibraryFolder } from '../../shared/types';
import type { Embedder } from '../embed/embedder';
import type { ImageInputSpec } from '../embed/model-spec';
import { toPixelTensor } from '../embed/preprocess';
import { decodeImage, isPermanentMediaError, MediaError } from '../media';
import type { DecodedImage } from '../media';
import type { LibraryStore, RemovedPhoto } from '../store/library-store';
import type { VectorIndex } from '../store/vector-index';
import { BoundedQueue } from './bounded-queue';
import { contentHash } from './content-hash';
import { isPhotoCandidate } from './image-files';
import { ProgressTracker } from './progress-tracker';
import type { ScannedFile } from './scanner';
import { scanFolder } from './scanner';
import type { ThumbnailCache } from './thumbnail-cache';

export interface IndexerDeps {
  store: LibraryStore;
  /** The active model's vector index. */
  vectors: VectorIndex;
  embedder: Embedder;
  imageSpec: ImageInputSpec;
  thumbnails: ThumbnailCache;
  /**
   * Drops the vectors, in every model's index, of photos no file points at any more. Called
   * inside the write transaction that removed the photos, so no vector outlives its photo.
   */
  dropVectors(photos: readonly RemovedPhoto[]): void;
}

export interface IndexOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
  batchSize?: number;
  decodeConcurrency?: number;
  thumbnailSize?: number;
}

interface WorkItem extends ScannedFile {
  folderId: number;
}

interface DecodedItem {
  item: WorkItem;
  hash: string;
  decoded: DecodedImage;
}

const DEFAULTS = { batchSize: 8, decodeConcurrency: 2, thumbnailSize: 384 };

/**
 * Brings the index of `folders` in line with the disk: new and changed files are decoded and
 * embedded, moved or duplicated files are linked to their existing photo, deleted files leave the
 * index, and unreadable files become failures while the run goes on.
 *
 * [Note: Overlapping decode and inference] Decoding (sharp, on libuv threads) and inference
 * (onnxruntime, on its own threads) run at the same time: `decodeConcurrency` workers fill a
 * bounded queue and one consumer embeds full batches from it. The queue bound keeps memory flat;
 * the overlap lets the pipeline approach the speed of its slower stage.
 *
 * [Note: Retrying failures] A permanent failure (not an image, corrupt, too large) is not
 * retried until the file's size or mtime changes; a transient one (busy, locked) is retried on
 * every run.
 */
export async function indexFolders(
  deps: IndexerDeps,
  folders: readonly LibraryFolder[],
  options: IndexOptions = {},
): Promise<IndexReport> {
  const run = new IndexRun(deps, { ...DEFAULTS, ...options });
  return run.execute(folders);
}

class IndexRun {
  private readonly tracker: ProgressTracker;
  private readonly signal: AbortSignal | undefined;
  private readonly report = { scanned: 0, indexed: 0, unchanged: 0, failed: 0, removed: 0 };
  /** Paths seen on disk (per folder) and directories that could not be read, for deletion. */
  private readonly seen = new Set<string>();
  private readonly unreadableDirs: string[] = [];

  constructor(
    private readonly deps: IndexerDeps,
    private readonly options: IndexOptions & typeof DEFAULTS,
  ) {
    this.signal = options.signal;
    this.tracker = new ProgressTracker(options.onProgress, () => deps.embedder.provider());
  }

  async execute(folders: readonly LibraryFolder[]): Promise<IndexReport> {
    const started = Date.now();
    this.tracker.startPhase('scanning', 0);
    const work: WorkItem[] = [];
    for (const folder of folders) work.push(...(await this.scan(folder)));

    this.tracker.startPhase('indexing', work.length);
    await this.process(work);

    for (const folder of folders) await this.removeDeleted(folder);
    this.tracker.startPhase('done', work.length);
    return { ...this.report, seconds: (Date.now() - started) / 1000 };
  }

  /** Stat-only walk: returns the files that need work; unchanged ones cost no read at all. */
  private async scan(folder: LibraryFolder): Promise<WorkItem[]> {
    const { store, vectors } = this.deps;
    const work: WorkItem[] = [];
    const scan = scanFolder(folder.path, {
      ...(this.signal ? { signal: this.signal } : {}),
      onIssue: (issue) => {
        this.seen.add(issue.path);
        if (issue.code !== 'BROKEN_LINK') this.unreadableDirs.push(issue.path);
        this.report.failed++;
        store.recordFailure({
          path: issue.path,
          folderId: folder.id,
          stage: 'read',
          code: issue.code,
          message: issue.message,
          permanent: issue.code === 'BROKEN_LINK',
          size: 0,
          mtimeMs: 0,
        });
      },
    });
    for await (const file of scan) {
      this.seen.add(file.path);
      this.report.scanned++;
      this.tracker.scanned(file.path);
      const known = store.file(file.path);
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs && vectors.has(known.photoId)) {
        this.report.unchanged++;
        continue;
      }
      const failure = store.failure(file.path);
      if (failure?.permanent && failure.size === file.size && failure.mtimeMs === file.mtimeMs) {
        this.report.failed++;
        continue;
      }
      work.push({ ...file, folderId: folder.id });
    }
    return work;
  }

  private async process(work: WorkItem[]): Promise<void> {
    const queue = new BoundedQueue<DecodedItem>(this.options.batchSize * 2);
    const consumer = this.consume(queue);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < work.length) {
        this.signal?.throwIfAborted();
        const item = work[next++]!;
        const decoded = await this.prepare(item);
        if (decoded) await queue.push(decoded);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.options.decodeConcurrency }, worker));
    } finally {
      queue.close();
    }
    await consumer;
  }

  /** Read stage: identify the file; returns a decoded image only when it must be embedded. */
  private async prepare(item: WorkItem): Promise<DecodedItem | undefined> {
    const { store, vectors } = this.deps;
    this.tracker.working(item.path);
    if (!(await isPhotoCandidate(item.path))) {
      this.tracker.fileDone('skipped');
      return undefined;
    }
    let hash: string;
    try {
      hash = await contentHash(item.path, item.size);
    } catch (error) {
      this.fail(item, 'read', error);
      return undefined;
    }
    const existing = store.photoIdByHash(hash);
    if (existing !== undefined && vectors.has(existing)) {
      await this.link(item, existing);
      return undefined;
    }
    try {
      const decoded = await decodeImage(item.path, {
        input: this.deps.imageSpec,
        thumbnailSize: this.options.thumbnailSize,
        ...(this.signal ? { signal: this.signal } : {}),
      });
      return { item, hash, decoded };
    } catch (error) {
      if (this.signal?.aborted) throw error;
      this.fail(item, error instanceof MediaError ? error.stage : 'decode', error);
      return undefined;
    }
  }

  /** A moved, renamed or duplicated file: point it at the photo it already is. */
  private async link(item: WorkItem, photoId: number): Promise<void> {
    const { store } = this.deps;
    const removed = store.db.transaction(() => {
      const dirId = store.dirId(item.dir, item.folderId);
      const orphans = store.upsertFile({ ...item, dirId, photoId });
      this.refreshAttributes(photoId);
      this.deps.dropVectors(orphans);
      return orphans;
    })();
    await this.removeThumbnails(removed);
    this.report.unchanged++;
    this.tracker.fileDone('skipped');
  }

  private async consume(queue: BoundedQueue<DecodedItem>): Promise<void> {
    for (;;) {
      const batch = await queue.takeBatch(this.options.batchSize);
      if (batch.length === 0) return;
      await this.embedAndStore(batch);
    }
  }

  /** Inference stage: one batch through the model, then one write transaction. */
  private async embedAndStore(batch: DecodedItem[]): Promise<void> {
    const { store, vectors, embedder, imageSpec, thumbnails } = this.deps;
    let embeddings: Float32Array[];
    try {
      const tensors = batch.map(({ decoded }) => toPixelTensor(decoded.rgb, imageSpec));
      embeddings = await embedder.embedImages(tensors, this.signal);
    } catch (error) {
      if (this.signal?.aborted || isFatalModelError(error)) throw error;
      for (const { item } of batch) this.fail(item, 'embed', error);
      return;
    }
    await Promise.all(batch.map(({ hash, decoded }) => thumbnails.write(hash, decoded.thumbnail)));
    const removed = store.db.transaction(() => {
      const orphans: RemovedPhoto[] = [];
      batch.forEach(({ item, hash, decoded }, index) => {
        const photoId = store.photoIdByHash(hash) ?? store.insertPhoto(hash, decoded.metadata);
        const dirId = store.dirId(item.dir, item.folderId);
        orphans.push(...store.upsertFile({ ...item, dirId, photoId }));
        vectors.upsert(photoId, embeddings[index]!, { dirId, takenAt: decoded.metadata.takenAt });
        this.refreshAttributes(photoId);
      });
      this.deps.dropVectors(orphans);
      return orphans;
    })();
    await this.removeThumbnails(removed);
    this.report.indexed += batch.length;
    this.tracker.fileDone('indexed', batch.length);
  }

  /** The vector's filter columns follow the photo's first file (its folder and date). */
  private refreshAttributes(photoId: number): void {
    const photo = this.deps.store.photo(photoId);
    if (photo && this.deps.vectors.has(photoId)) {
      this.deps.vectors.setAttributes(photoId, { dirId: photo.dirId, takenAt: photo.takenAt });
    }
  }

  private fail(item: WorkItem, stage: FailureStage, error: unknown): void {
    const { store } = this.deps;
    const code = (error as { code?: string }).code ?? 'ERROR';
    if (code === 'ENOENT' || code === 'NOT_FOUND') {
      // Deleted between the scan and the read: not a failure, just gone.
      this.seen.delete(item.path);
      this.tracker.fileDone('skipped');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof MediaError ? isPermanentMediaError(error) : false;
    const removed = store.db.transaction(() => {
      store.recordFailure({ ...item, stage, code, message, permanent });
      // A file that used to be a photo and no longer reads must not keep its old content.
      const known = store.file(item.path);
      const orphans = known ? store.deleteFile(known.id) : [];
      this.deps.dropVectors(orphans);
      return orphans;
    })();
    void this.removeThumbnails(removed);
    this.report.failed++;
    this.tracker.fileDone('failed');
  }

  private async removeThumbnails(photos: readonly RemovedPhoto[]): Promise<void> {
    await Promise.all(photos.map((photo) => this.deps.thumbnails.remove(photo.contentHash)));
  }

  /** Files and failures of a folder that the scan did not see any more: deleted from disk. */
  private async removeDeleted(folder: LibraryFolder): Promise<void> {
    const { store, vectors } = this.deps;
    const unverified = (filePath: string): boolean =>
      this.unreadableDirs.some((dir) => filePath.startsWith(dir + path.sep));
    const removed = store.db.transaction(() => {
      const orphans: RemovedPhoto[] = [];
      for (const file of store.filesInFolder(folder.id)) {
        if (this.seen.has(file.path) || unverified(file.path)) continue;
        orphans.push(...store.deleteFile(file.id));
        this.report.removed++;
        if (vectors.has(file.photoId)) this.refreshAttributes(file.photoId);
      }
      for (const failedPath of store.failurePathsInFolder(folder.id)) {
        if (!this.seen.has(failedPath) && !unverified(failedPath)) store.clearFailure(failedPath);
      }
      this.deps.dropVectors(orphans);
      return orphans;
    })();
    await this.removeThumbnails(removed);
  }
}

function isFatalModelError(error: unknown): boolean {
  return error instanceof PhotoseekError && (error.code === 'MODEL_MISSING' || error.code === 'MODEL_INVALID');
}
