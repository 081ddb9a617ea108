import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { FailureStage } from '../../shared/types';
import type { Embedder } from '../embed/embedder';
import type { ImageInputSpec } from '../embed/model-spec';
import { toPixelTensor } from '../embed/preprocess';
import { decodeImage, isPermanentMediaError, MediaError } from '../media';
import type { DecodedImage } from '../media';
import type { Job, JobQueue } from '../store/job-queue';
import type { LibraryStore, RemovedPhoto } from '../store/library-store';
import type { VectorIndex } from '../store/vector-index';
import { BoundedQueue } from './bounded-queue';
import { contentHash } from './content-hash';
import { isPhotoCandidate } from './image-files';
import type { ProgressTracker } from './progress-tracker';
import type { ThumbnailCache } from './thumbnail-cache';

export interface IndexerDeps {
  store: LibraryStore;
  jobs: JobQueue;
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

export interface DrainOptions {
  signal?: AbortSignal;
  batchSize?: number;
  decodeConcurrency?: number;
  thumbnailSize?: number;
}

export interface DrainResult {
  indexed: number;
  unchanged: number;
  failed: number;
  removed: number;
}

interface FileState {
  job: Job;
  size: number;
  mtimeMs: number;
  dir: string;
}

interface DecodedItem {
  file: FileState;
  hash: string;
  decoded: DecodedImage;
}

export const INDEXER_DEFAULTS = { batchSize: 8, decodeConcurrency: 2, thumbnailSize: 384 };
const PAGE_SIZE = 256;
const MAX_TRANSIENT_ATTEMPTS = 5;

/**
 * Works through the persistent job queue ([Note: Persistent job queue]) until no runnable job is
 * left: new and changed files are decoded and embedded, moved or duplicated files are linked to
 * their existing photo, deleted files leave the index, unreadable files become failures. Every
 * job's row is deleted in the transaction that stores its result.
 *
 * [Note: Overlapping decode and inference] Decoding (sharp, on libuv threads) and inference
 * (onnxruntime, on its own threads) run at the same time: `decodeConcurrency` workers fill a
 * bounded queue and one consumer embeds full batches from it. The queue bound keeps memory flat;
 * the overlap lets the pipeline approach the speed of its slower stage.
 *
 * [Note: Retrying failures] A permanent failure (not an image, corrupt, too large) is recorded
 * and not retried until the file's size or mtime changes. A transient one (busy disk, locked
 * file) stays queued and is retried with exponential back-off, up to MAX_TRANSIENT_ATTEMPTS.
 */
export async function drainQueue(
  deps: IndexerDeps,
  tracker: ProgressTracker,
  options: DrainOptions = {},
): Promise<DrainResult> {
  return new QueueDrain(deps, tracker, { ...INDEXER_DEFAULTS, ...options }).run();
}

class QueueDrain {
  private readonly result: DrainResult = { indexed: 0, unchanged: 0, failed: 0, removed: 0 };
  private readonly inFlight = new Set<string>();
  private page: Job[] = [];
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly deps: IndexerDeps,
    private readonly tracker: ProgressTracker,
    private readonly options: DrainOptions & typeof INDEXER_DEFAULTS,
  ) {
    this.signal = options.signal;
  }

  async run(): Promise<DrainResult> {
    this.tracker.startPhase('indexing', this.deps.jobs.runnableCount());
    const queue = new BoundedQueue<DecodedItem>(this.options.batchSize * 2);
    const consumer = this.consume(queue);
    const worker = async (): Promise<void> => {
      for (let job = this.nextJob(); job; job = this.nextJob()) {
        this.signal?.throwIfAborted();
        const decoded = await this.prepare(job);
        if (decoded) await queue.push(decoded);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.options.decodeConcurrency }, worker));
    } finally {
      queue.close();
    }
    await consumer;
    return this.result;
  }

  /** The next job not already in flight; pages through the queue table in order. */
  private nextJob(): Job | undefined {
    if (this.page.length === 0) {
      this.page = this.deps.jobs.next(PAGE_SIZE, this.inFlight);
      // Jobs stay in the table until done, so the runnable count includes those in flight.
      this.tracker.setTotal(this.tracker.doneCount() + this.deps.jobs.runnableCount());
    }
    const job = this.page.shift();
    if (job) this.inFlight.add(job.path);
    return job;
  }

  private finish(job: Job, outcome: 'indexed' | 'failed' | 'skipped', count = 1): void {
    this.inFlight.delete(job.path);
    this.tracker.fileDone(outcome, count);
  }

  /** Read stage: identify the file; returns a decoded image only when it must be embedded. */
  private async prepare(job: Job): Promise<DecodedItem | undefined> {
    const { store, vectors } = this.deps;
    this.tracker.working(job.path);
    const info = await stat(job.path).catch(() => undefined);
    if (!info?.isFile()) {
      this.remove(job);
      return undefined;
    }
    const file: FileState = { job, size: info.size, mtimeMs: Math.trunc(info.mtimeMs), dir: path.dirname(job.path) };
    const known = store.file(job.path);
    const failure = store.failure(job.path);
    const unchangedPhoto = known && known.size === file.size && known.mtimeMs === file.mtimeMs && vectors.has(known.photoId);
    const unchangedFailure = failure?.permanent && failure.size === file.size && failure.mtimeMs === file.mtimeMs;
    if (unchangedPhoto || unchangedFailure || !(await isPhotoCandidate(job.path))) {
      this.deps.jobs.complete(job.path);
      if (unchangedPhoto) this.result.unchanged++;
      this.finish(job, 'skipped');
      return undefined;
    }
    let hash: string;
    try {
      hash = await contentHash(job.path, file.size);
    } catch (error) {
      this.fail(file, 'read', error);
      return undefined;
    }
    const existing = store.photoIdByHash(hash);
    if (existing !== undefined && vectors.has(existing)) {
      await this.link(file, existing);
      return undefined;
    }
    try {
      const decoded = await decodeImage(job.path, {
        input: this.deps.imageSpec,
        thumbnailSize: this.options.thumbnailSize,
        ...(this.signal ? { signal: this.signal } : {}),
      });
      return { file, hash, decoded };
    } catch (error) {
      if (this.signal?.aborted) throw error;
      this.fail(file, error instanceof MediaError ? error.stage : 'decode', error);
      return undefined;
    }
  }

  /** A moved, renamed or duplicated file: point it at the photo it already is. */
  private async link(file: FileState, photoId: number): Promise<void> {
    const { store, jobs } = this.deps;
    const removed = store.db.transaction(() => {
      const orphans = store.upsertFile(this.fileRow(file, photoId));
      this.refreshAttributes(photoId);
      this.deps.dropVectors(orphans);
      jobs.complete(file.job.path);
      return orphans;
    })();
    await this.removeThumbnails(removed);
    this.result.unchanged++;
    this.finish(file.job, 'skipped');
  }

  /** The file is gone: forget it, and its photo when no other file points at it. */
  private remove(job: Job): void {
    const { store, jobs } = this.deps;
    const removed = store.db.transaction(() => {
      const known = store.file(job.path);
      const orphans = known ? store.deleteFile(known.id) : [];
      if (known) this.refreshAttributes(known.photoId);
      this.deps.dropVectors(orphans);
      store.clearFailure(job.path);
      jobs.complete(job.path);
      return { known, orphans };
    })();
    if (removed.known) this.result.removed++;
    void this.removeThumbnails(removed.orphans);
    this.finish(job, 'skipped');
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
    const { store, jobs, vectors, embedder, imageSpec, thumbnails } = this.deps;
    let embeddings: Float32Array[];
    try {
      const tensors = batch.map(({ decoded }) => toPixelTensor(decoded.rgb, imageSpec));
      embeddings = await embedder.embedImages(tensors, this.signal);
    } catch (error) {
      if (this.signal?.aborted || isFatalModelError(error)) throw error;
      for (const { file } of batch) this.fail(file, 'embed', error);
      return;
    }
    await Promise.all(batch.map(({ hash, decoded }) => thumbnails.write(hash, decoded.thumbnail)));
    const removed = store.db.transaction(() => {
      const orphans: RemovedPhoto[] = [];
      batch.forEach(({ file, hash, decoded }, index) => {
        const photoId = store.photoIdByHash(hash) ?? store.insertPhoto(hash, decoded.metadata);
        const row = this.fileRow(file, photoId);
        orphans.push(...store.upsertFile(row));
        vectors.upsert(photoId, embeddings[index]!, { dirId: row.dirId, takenAt: decoded.metadata.takenAt });
        this.refreshAttributes(photoId);
        jobs.complete(file.job.path);
      });
      this.deps.dropVectors(orphans);
      return orphans;
    })();
    await this.removeThumbnails(removed);
    this.result.indexed += batch.length;
    for (const { file } of batch) this.inFlight.delete(file.job.path);
    this.tracker.fileDone('indexed', batch.length);
  }

  private fileRow(file: FileState, photoId: number) {
    const dirId = this.deps.store.dirId(file.dir, file.job.folderId);
    return { path: file.job.path, dirId, photoId, size: file.size, mtimeMs: file.mtimeMs };
  }

  /** The vector's filter columns follow the photo's first file (its folder and date). */
  private refreshAttributes(photoId: number): void {
    const photo = this.deps.store.photo(photoId);
    if (photo && this.deps.vectors.has(photoId)) {
      this.deps.vectors.setAttributes(photoId, { dirId: photo.dirId, takenAt: photo.takenAt });
    }
  }

  private fail(file: FileState, stage: FailureStage, error: unknown): void {
    const { store, jobs } = this.deps;
    const { job } = file;
    const code = (error as { code?: string }).code ?? 'ERROR';
    if (code === 'ENOENT' || code === 'NOT_FOUND') {
      this.remove(job); // Deleted between the stat and the read: not a failure, just gone.
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof MediaError ? isPermanentMediaError(error) : false;
    const retry = !permanent && job.attempts + 1 < MAX_TRANSIENT_ATTEMPTS;
    const removed = store.db.transaction(() => {
      store.recordFailure({ path: job.path, folderId: job.folderId, stage, code, message, permanent, size: file.size, mtimeMs: file.mtimeMs });
      // A file that used to be a photo and no longer reads must not keep its old content.
      const known = store.file(job.path);
      const orphans = known ? store.deleteFile(known.id) : [];
      this.deps.dropVectors(orphans);
      if (retry) jobs.defer(job.path, backoffMs(job.attempts));
      else jobs.complete(job.path);
      return orphans;
    })();
    void this.removeThumbnails(removed);
    this.result.failed++;
    this.finish(job, 'failed');
  }

  private async removeThumbnails(photos: readonly RemovedPhoto[]): Promise<void> {
    await Promise.all(photos.map((photo) => this.deps.thumbnails.remove(photo.contentHash)));
  }
}

/** 5 s, 10 s, 20 s, … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** attempts, 600_000);
}

function isFatalModelError(error: unknown): boolean {
  return error instanceof PhotoseekError && (error.code === 'MODEL_MISSING' || error.code === 'MODEL_INVALID');
}
