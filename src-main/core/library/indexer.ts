import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { FailureStage } from '../../shared/types';
import type { Embedder } from '../inference/embedder';
import { sha256File } from '../files/file-hash';
import type { ImageInputSpec } from '../models/model-spec';
import { toPixelTensor } from '../inference/preprocess';
import type { FingerprintStore } from '../explore/fingerprint-store';
import { fingerprintOf } from '../explore/image-fingerprint';
import { decodeImage, isPermanentMediaError, MediaError } from '../media';
import { hasUndecodableName, notUtf8NameError } from './file-names';
import type { DecodedImage } from '../media';
import type { Job, JobQueue } from '../store/job-queue';
import type { LibraryStore, RemovedPhoto } from '../store/library-store';
import type { VectorIndex } from '../vectors/vector-index';
import { BoundedQueue } from './bounded-queue';
import { contentHash } from './content-hash';
import { isPhotoCandidate } from './image-files';
import { libraryWideError } from './library-wide-error';
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
  /** Each new photo's image fingerprint is stored with it ([Note: Stored fingerprints]). */
  fingerprints: FingerprintStore;
  /**
   * Drops the vectors, in every model's index, of photos no file points at any more. Called
   * inside the write transaction that removed the photos, so no vector outlives its photo.
   */
  dropVectors(photos: readonly RemovedPhoto[]): void;
  /**
   * Sets the filter columns (folder, date) of photos' vectors, in every model's index, from their
   * first file now: called when a photo's files change, inside the same write transaction.
   */
  refreshAttributes(photoIds: readonly number[]): void;
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

/** What the bytes of a file are ([Note: Verified identity]). */
interface Identity {
  /** The content key to store them under. */
  key: string;
  /** sha256 of the whole file; null until it is read (new content is hashed once it decodes). */
  fullHash: string | null;
  /** The photo these bytes already are, when known. */
  photoId?: number;
  /** The photo whose only file was edited in place: it takes the new content. */
  replaces?: number;
}

interface DecodedItem {
  file: FileState;
  identity: Identity;
  decoded: DecodedImage;
}

interface StoredItem extends DecodedItem {
  embedding: Float32Array;
  fingerprint: Uint8Array | null;
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
 * the overlap lets the pipeline approach the speed of its slower stage. When either side stops
 * with an error, the other is stopped too and the run rejects once, after both have settled.
 *
 * [Note: Retrying failures] A permanent failure (not an image, corrupt, too large) is recorded
 * and not retried until the file's size or mtime changes. A transient one (busy disk, locked
 * file) stays queued and is retried with exponential back-off, up to MAX_TRANSIENT_ATTEMPTS.
 * A problem of the whole library (disk full, database damaged) stops the run instead
 * ([Note: Per-file and library-wide problems]).
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
  private readonly stopper = new AbortController();
  private readonly signal: AbortSignal;
  private stopError: unknown;

  constructor(
    private readonly deps: IndexerDeps,
    private readonly tracker: ProgressTracker,
    private readonly options: DrainOptions & typeof INDEXER_DEFAULTS,
  ) {
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.stopper.signal])
      : this.stopper.signal;
  }

  async run(): Promise<DrainResult> {
    this.tracker.startPhase('indexing', this.deps.jobs.runnableCount());
    const queue = new BoundedQueue<DecodedItem>(this.options.batchSize * 2);
    const stop = (error: unknown): void => {
      this.stopError ??= error;
      this.stopper.abort(error);
      queue.close();
    };
    const consumer = this.consume(queue).catch(stop);
    const worker = async (): Promise<void> => {
      for (let job = this.nextJob(); job; job = this.nextJob()) {
        this.signal.throwIfAborted();
        const decoded = await this.prepare(job);
        if (decoded && !(await queue.push(decoded))) return;
      }
    };
    await Promise.all(
      Array.from({ length: this.options.decodeConcurrency }, () => worker().catch(stop)),
    );
    queue.close();
    await consumer;
    if (this.stopError !== undefined) throw this.stopError;
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
    if (!info && (await hasUndecodableName(job.path))) {
      const file = { job, size: 0, mtimeMs: 0, dir: path.dirname(job.path) };
      this.fail(file, 'read', notUtf8NameError(false)); // a watcher's event for such a name
      return undefined;
    }
    if (!info?.isFile()) {
      this.remove(job);
      return undefined;
    }
    const file: FileState = {
      job,
      size: info.size,
      mtimeMs: Math.trunc(info.mtimeMs),
      dir: path.dirname(job.path),
    };
    const known = store.file(job.path);
    const failure = store.failure(job.path);
    const unchangedPhoto =
      known &&
      known.size === file.size &&
      known.mtimeMs === file.mtimeMs &&
      vectors.has(known.photoId);
    const unchangedFailure =
      failure?.permanent && failure.size === file.size && failure.mtimeMs === file.mtimeMs;
    if (unchangedPhoto || unchangedFailure || !(await isPhotoCandidate(job.path))) {
      this.deps.jobs.complete(job.path);
      if (unchangedPhoto) this.result.unchanged++;
      this.finish(job, 'skipped');
      return undefined;
    }
    let identity: Identity;
    try {
      identity = await this.identify(file);
    } catch (error) {
      this.signal.throwIfAborted();
      this.fail(file, 'hash', error);
      return undefined;
    }
    if (identity.photoId !== undefined && vectors.has(identity.photoId)) {
      this.link(file, identity.photoId);
      return undefined;
    }
    try {
      const decoded = await decodeImage(job.path, {
        input: this.deps.imageSpec,
        thumbnailSize: this.options.thumbnailSize,
        signal: this.signal,
      });
      identity.fullHash ??= await sha256File(job.path, this.signal);
      return { file, identity, decoded };
    } catch (error) {
      this.signal.throwIfAborted();
      this.fail(file, error instanceof MediaError ? error.stage : 'decode', error);
      return undefined;
    }
  }

  /**
   * [Note: Verified identity] The sampled hash ([Note: Content identity]) names a photo cheaply,
   * but two files can share size and samples and still differ (an edit in the middle of a TIFF,
   * a retouch that keeps the size). A sampled match is trusted only when some file of that photo
   * has the same size and mtime: a move or rename keeps both, so moves stay cheap. Any other match
   * (an in-place edit: new mtime; a copy made without keeping the mtime) is verified with the
   * sha256 of the whole file, which every photo stores. When the bytes differ, an edit of the
   * photo's only file gives that photo its new content (same row, same key, new vector); content
   * whose samples collide with a photo that other files still hold is keyed by its whole-file hash.
   * New content is hashed whole only after it decodes, so a giant file that is no image is never
   * read to the end. Copies of new content in one batch are each decoded, and stored as one photo.
   */
  private async identify(file: FileState): Promise<Identity> {
    const { store } = this.deps;
    const key = await contentHash(file.job.path, file.size);
    const candidate = store.photoIdentity(key);
    if (!candidate) return { key, fullHash: null };
    if (store.photoHasFileSignature(candidate.id, file.size, file.mtimeMs)) {
      return { key, fullHash: candidate.fullHash, photoId: candidate.id };
    }
    const fullHash = await sha256File(file.job.path, this.signal);
    if (candidate.fullHash === fullHash) return { key, fullHash, photoId: candidate.id };
    const verified = store.photoIdentity(fullHash);
    if (verified) return { key: fullHash, fullHash, photoId: verified.id };
    const onlyFile =
      store.file(file.job.path)?.photoId === candidate.id &&
      store.photoFileCount(candidate.id) === 1;
    return onlyFile ? { key, fullHash, replaces: candidate.id } : { key: fullHash, fullHash };
  }

  /** A moved, renamed or duplicated file: point it at the photo it already is. */
  private link(file: FileState, photoId: number): void {
    const { store, jobs } = this.deps;
    const removed = this.write(() => {
      const orphans = store.upsertFile(this.fileRow(file, photoId));
      this.deps.refreshAttributes([photoId]);
      this.deps.dropVectors(orphans);
      jobs.complete(file.job.path);
      return orphans;
    });
    this.removeThumbnails(removed);
    this.result.unchanged++;
    this.finish(file.job, 'skipped');
  }

  /** The file is gone: forget it, and its photo when no other file points at it. */
  private remove(job: Job): void {
    const { store, jobs } = this.deps;
    const removed = this.write(() => {
      const known = store.file(job.path);
      const orphans = known ? store.deleteFile(known.id) : [];
      if (known) this.deps.refreshAttributes([known.photoId]);
      this.deps.dropVectors(orphans);
      store.clearFailure(job.path);
      jobs.complete(job.path);
      return { known, orphans };
    });
    if (removed.known) this.result.removed++;
    this.removeThumbnails(removed.orphans);
    this.finish(job, 'skipped');
  }

  private async consume(queue: BoundedQueue<DecodedItem>): Promise<void> {
    for (;;) {
      const batch = await queue.takeBatch(this.options.batchSize);
      if (batch.length === 0) return;
      await this.embedAndStore(batch);
    }
  }

  /** Inference stage: one batch through the model, previews, then one write transaction. */
  private async embedAndStore(batch: DecodedItem[]): Promise<void> {
    const { embedder, imageSpec } = this.deps;
    let embeddings: Float32Array[];
    try {
      const tensors = batch.map(({ decoded }) => toPixelTensor(decoded.rgb, imageSpec));
      embeddings = await embedder.embedImages(tensors, this.signal);
    } catch (error) {
      if (this.signal.aborted || isFatalModelError(error)) throw error;
      for (const { file } of batch) this.fail(file, 'embed', error);
      return;
    }
    this.settleKeys(batch);
    const [stored, fingerprints] = await Promise.all([
      this.writeThumbnails(batch),
      Promise.all(batch.map(({ decoded }) => fingerprintOf(decoded.thumbnail).catch(() => null))),
    ]);
    const ready = batch
      .map((item, index) => ({
        ...item,
        embedding: embeddings[index]!,
        fingerprint: fingerprints[index]!,
      }))
      .filter((_, index) => stored[index]);
    try {
      this.storeBatch(ready);
    } catch (error) {
      if (libraryWideError(error, this.location())) throw error;
      // One row the database refuses must not take the batch with it: store them one by one.
      for (const item of ready) {
        try {
          this.storeBatch([item]);
        } catch (itemError) {
          if (libraryWideError(itemError, this.location())) throw itemError;
          this.fail(item.file, 'store', itemError);
        }
      }
    }
  }

  /**
   * New content keeps its sampled key unless a photo (stored, or earlier in this batch) holds that
   * key with other bytes; then its whole-file hash is the key ([Note: Verified identity]). Settled
   * before the previews are written, because a preview is named by the key.
   */
  private settleKeys(batch: DecodedItem[]): void {
    const claimed = new Map<string, string | null>();
    for (const { identity } of batch) {
      if (identity.photoId === undefined && identity.replaces === undefined) {
        const holder = claimed.has(identity.key)
          ? claimed.get(identity.key)
          : this.deps.store.photoIdentity(identity.key)?.fullHash;
        if (holder !== undefined && holder !== identity.fullHash) identity.key = identity.fullHash!;
      }
      claimed.set(identity.key, identity.fullHash);
    }
  }

  /** Writes each item's preview; an item whose preview fails becomes a failure, the rest go on. */
  private async writeThumbnails(batch: DecodedItem[]): Promise<boolean[]> {
    const outcomes = await Promise.allSettled(
      batch.map(({ identity, decoded }) =>
        this.deps.thumbnails.write(identity.key, decoded.thumbnail),
      ),
    );
    return outcomes.map((outcome, index) => {
      if (outcome.status === 'fulfilled') return true;
      const wide = libraryWideError(outcome.reason, this.location());
      if (wide) throw wide;
      this.fail(batch[index]!.file, 'thumbnail', outcome.reason);
      return false;
    });
  }

  private storeBatch(items: readonly StoredItem[]): void {
    const { store, jobs, vectors, fingerprints } = this.deps;
    const removed = this.write(() => {
      const orphans: RemovedPhoto[] = [];
      const stored: number[] = [];
      for (const { file, identity, decoded, embedding, fingerprint } of items) {
        const { key, fullHash, replaces } = identity;
        if (replaces !== undefined) store.updatePhotoContent(replaces, decoded.metadata, fullHash!);
        const photoId =
          replaces ??
          store.photoIdByHash(key) ??
          store.insertPhoto(key, decoded.metadata, fullHash);
        const row = this.fileRow(file, photoId);
        orphans.push(...store.upsertFile(row));
        vectors.upsert(photoId, embedding, { dirId: row.dirId, takenAt: decoded.metadata.takenAt });
        // A fingerprint that failed is made again from the thumbnail file when it is needed.
        if (fingerprint) fingerprints.set(photoId, fingerprint);
        stored.push(photoId);
        jobs.complete(file.job.path);
      }
      this.deps.refreshAttributes(stored);
      this.deps.dropVectors(orphans);
      return orphans;
    });
    this.removeThumbnails(removed);
    this.result.indexed += items.length;
    for (const { file } of items) this.inFlight.delete(file.job.path);
    this.tracker.fileDone('indexed', items.length);
  }

  private fileRow(file: FileState, photoId: number) {
    const dirId = this.deps.store.dirId(file.dir, file.job.folderId);
    return { path: file.job.path, dirId, photoId, size: file.size, mtimeMs: file.mtimeMs };
  }

  private fail(file: FileState, stage: FailureStage, error: unknown): void {
    const { store, jobs } = this.deps;
    const { job } = file;
    const wide = libraryWideError(error, this.location());
    if (wide) throw wide;
    const code = (error as { code?: string }).code ?? 'ERROR';
    if (code === 'ENOENT' || code === 'NOT_FOUND') {
      this.remove(job); // Deleted between the stat and the read: not a failure, just gone.
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof MediaError ? isPermanentMediaError(error) : false;
    const retry = !permanent && job.attempts + 1 < MAX_TRANSIENT_ATTEMPTS;
    const removed = this.write(() => {
      store.recordFailure({
        path: job.path,
        folderId: job.folderId,
        stage,
        code,
        message,
        permanent,
        size: file.size,
        mtimeMs: file.mtimeMs,
      });
      // A file that used to be a photo and no longer reads must not keep its old content.
      const known = store.file(job.path);
      const orphans = known ? store.deleteFile(known.id) : [];
      this.deps.dropVectors(orphans);
      if (retry) jobs.defer(job.path, backoffMs(job.attempts));
      else jobs.complete(job.path);
      return orphans;
    });
    this.removeThumbnails(removed);
    this.result.failed++;
    this.finish(job, 'failed');
  }

  /**
   * Every write of the drain: an IMMEDIATE transaction, so it takes the write lock before it
   * reads. A deferred one that read first could not upgrade while another process had written
   * in between (SQLITE_BUSY at once, busy_timeout or not): that killed the loser of two runs.
   * A library-wide failure comes out as one clear error.
   */
  private write<T>(body: () => T): T {
    try {
      return this.deps.store.db.transaction(body).immediate();
    } catch (error) {
      throw libraryWideError(error, this.location()) ?? error;
    }
  }

  private location() {
    return { databasePath: this.deps.store.db.name, thumbnailsDir: this.deps.thumbnails.dir };
  }

  /** Previews of photos that left the library; a preview that cannot be deleted is only litter. */
  private removeThumbnails(photos: readonly RemovedPhoto[]): void {
    for (const photo of photos)
      void this.deps.thumbnails.remove(photo.contentHash).catch(() => undefined);
  }
}

/** 5 s, 10 s, 20 s, … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** attempts, 600_000);
}

function isFatalModelError(error: unknown): boolean {
  return (
    error instanceof PhotoseekError &&
    (error.code === 'MODEL_MISSING' || error.code === 'MODEL_INVALID')
  );
}
