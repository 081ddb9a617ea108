import path from 'node:path';
import type {
  Failure,
  FailureStage,
  ImageFormat,
  LibraryFolder,
  PhotoDetails,
  PhotoMetadata,
  PhotoSummary,
} from '../../shared/types';
import type { SqliteDatabase } from './database';

export interface FileRow {
  id: number;
  path: string;
  dirId: number;
  photoId: number;
  size: number;
  mtimeMs: number;
}

export interface PhotoRow {
  id: number;
  contentHash: string;
  width: number;
  height: number;
  format: string;
  takenAt: number | null;
  camera: string | null;
}

/** A photo with the file that represents it (the first path pointing at it). */
export interface PhotoWithFile extends PhotoRow {
  path: string;
  dirPath: string;
  dirId: number;
}

/** A photo as the UI and the CLI list it (a search hit without its score, a timeline entry). */
export function photoSummary(photo: PhotoWithFile): PhotoSummary {
  return {
    photoId: photo.id,
    path: photo.path,
    folder: photo.dirPath,
    width: photo.width,
    height: photo.height,
    takenAt: photo.takenAt,
    camera: photo.camera,
  };
}

interface FolderRow {
  id: number;
  path: string;
  addedAt: number;
  online: number;
}

export interface RemovedPhoto {
  id: number;
  contentHash: string;
}

export interface FailureInput {
  path: string;
  folderId: number;
  stage: FailureStage;
  code: string;
  message: string;
  permanent: boolean;
  size: number;
  mtimeMs: number;
}

export interface StoredFailure extends Failure {
  permanent: boolean;
  size: number;
  mtimeMs: number;
}

/**
 * Folders, directories, photos, files and failures: every SQL statement about the library's
 * catalogue lives here (vectors live in VectorIndex). Photos are content; files are paths that
 * point at photos, so a rename or a move only rewrites a `files` row ([Note: Content identity]
 * in library/content-hash.ts).
 */
export class LibraryStore {
  private readonly statements;

  constructor(readonly db: SqliteDatabase) {
    this.statements = {
      folderByPath: db.prepare(
        'SELECT id, path, added_at AS addedAt, online FROM folders WHERE path = ?',
      ),
      setOnline: db.prepare('UPDATE folders SET online = ? WHERE id = ?'),
      // [Note: Two processes add one folder] the app and the CLI may add the same folder at once;
      // the UNIQUE path makes the second insert a no-op instead of a constraint error.
      insertFolder: db.prepare(
        'INSERT INTO folders (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING',
      ),
      dirByPath: db.prepare('SELECT id FROM dirs WHERE path = ?'),
      insertDir: db.prepare('INSERT INTO dirs (path, folder_id) VALUES (?, ?)'),
      fileByPath: db.prepare(
        'SELECT id, path, dir_id AS dirId, photo_id AS photoId, size, mtime_ms AS mtimeMs FROM files WHERE path = ?',
      ),
      upsertFile: db.prepare(
        `INSERT INTO files (path, dir_id, photo_id, size, mtime_ms, last_seen) VALUES (@path, @dirId, @photoId, @size, @mtimeMs, @now)
         ON CONFLICT(path) DO UPDATE SET dir_id = excluded.dir_id, photo_id = excluded.photo_id,
           size = excluded.size, mtime_ms = excluded.mtime_ms, last_seen = excluded.last_seen`,
      ),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ? RETURNING photo_id AS photoId'),
      photoByHash: db.prepare('SELECT id FROM photos WHERE content_hash = ?'),
      insertPhoto: db.prepare(
        `INSERT INTO photos (content_hash, full_hash, width, height, format, taken_at, camera, gps_lat, gps_lon, indexed_at)
         VALUES (@hash, @fullHash, @width, @height, @format, @takenAt, @camera, @lat, @lon, @now)`,
      ),
      photoIdentity: db.prepare(
        'SELECT id, full_hash AS fullHash FROM photos WHERE content_hash = ?',
      ),
      photoHasFile: db.prepare(
        'SELECT 1 FROM files WHERE photo_id = ? AND size = ? AND mtime_ms = ? LIMIT 1',
      ),
      updatePhotoContent: db.prepare(
        `UPDATE photos SET full_hash = @fullHash, width = @width, height = @height, format = @format,
           taken_at = @takenAt, camera = @camera, gps_lat = @lat, gps_lon = @lon, indexed_at = @now WHERE id = @id`,
      ),
      photoFileCount: db.prepare('SELECT count(*) AS n FROM files WHERE photo_id = ?'),
      filesOfPhoto: db.prepare(
        'SELECT id, path, dir_id AS dirId, photo_id AS photoId, size, mtime_ms AS mtimeMs FROM files WHERE photo_id = ? ORDER BY id',
      ),
      deletePhoto: db.prepare('DELETE FROM photos WHERE id = ?'),
      photoHash: db.prepare('SELECT content_hash AS contentHash FROM photos WHERE id = ?'),
      photosWithFiles: db.prepare(
        `SELECT p.id, p.content_hash AS contentHash, p.width, p.height, p.format, p.taken_at AS takenAt,
                p.camera, f.path, f.dir_id AS dirId, d.path AS dirPath
         FROM json_each(?) j JOIN photos p ON p.id = j.value
         JOIN files f ON f.id = (SELECT min(id) FROM files WHERE photo_id = p.id)
         JOIN dirs d ON d.id = f.dir_id`,
      ),
      // The offset is skipped in the index alone; only the page's photos are joined to their files.
      timelinePage: db.prepare(
        `WITH page AS (
           SELECT id, coalesce(taken_at, indexed_at) AS at FROM photos INDEXED BY photos_timeline
           ORDER BY at DESC, id DESC LIMIT ? OFFSET ?)
         SELECT p.id, p.content_hash AS contentHash, p.width, p.height, p.format, p.taken_at AS takenAt,
                p.camera, f.path, f.dir_id AS dirId, d.path AS dirPath
         FROM page JOIN photos p ON p.id = page.id
         JOIN files f ON f.id = (SELECT min(id) FROM files WHERE photo_id = p.id)
         JOIN dirs d ON d.id = f.dir_id
         ORDER BY page.at DESC, page.id DESC`,
      ),
      // Reads the covering index photos_timeline only (see timelineTimes).
      timelineTimes: db
        .prepare<[], number>(
          `SELECT coalesce(taken_at, indexed_at) AS at FROM photos INDEXED BY photos_timeline
           ORDER BY at DESC`,
        )
        .pluck(),
      filesInFolder: db.prepare(
        `SELECT f.id, f.path, f.dir_id AS dirId, f.photo_id AS photoId, f.size, f.mtime_ms AS mtimeMs
         FROM files f JOIN dirs d ON d.id = f.dir_id WHERE d.folder_id = ?`,
      ),
      failurePathsInFolder: db.prepare('SELECT path FROM failures WHERE folder_id = ?'),
      failureByPath: db.prepare(
        `SELECT path, stage, code, message, permanent, attempts, last_try AS lastTry, size, mtime_ms AS mtimeMs
         FROM failures WHERE path = ?`,
      ),
      upsertFailure: db.prepare(
        `INSERT INTO failures (path, folder_id, stage, code, message, permanent, attempts, last_try, size, mtime_ms)
         VALUES (@path, @folderId, @stage, @code, @message, @permanent, 1, @now, @size, @mtimeMs)
         ON CONFLICT(path) DO UPDATE SET stage = excluded.stage, code = excluded.code, message = excluded.message,
           permanent = excluded.permanent, attempts = failures.attempts + 1, last_try = excluded.last_try,
           size = excluded.size, mtime_ms = excluded.mtime_ms`,
      ),
      deleteFailure: db.prepare('DELETE FROM failures WHERE path = ?'),
      listFailures: db.prepare(
        `SELECT path, stage, code, message, permanent, attempts, last_try AS lastTry, size, mtime_ms AS mtimeMs
         FROM failures ORDER BY path`,
      ),
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  // ── folders ──────────────────────────────────────────────────────────────

  addFolder(folderPath: string, now = Date.now()): LibraryFolder {
    const existing = this.folder(folderPath);
    if (existing) return existing;
    this.statements.insertFolder.run(folderPath, now);
    return this.folder(folderPath)!;
  }

  /** Removes a library folder with its files, failures and the photos no other file points at. */
  removeFolder(folderId: number): RemovedPhoto[] {
    const removed = this.filesInFolder(folderId).flatMap((file) => this.deleteFile(file.id));
    this.db.prepare('DELETE FROM folders WHERE id = ?').run(folderId);
    return removed;
  }

  folder(folderPath: string): LibraryFolder | undefined {
    const row = this.statements.folderByPath.get(folderPath) as FolderRow | undefined;
    return row && this.withCounts(row);
  }

  listFolders(): LibraryFolder[] {
    const rows = this.db
      .prepare('SELECT id, path, added_at AS addedAt, online FROM folders ORDER BY path')
      .all() as FolderRow[];
    return rows.map((row) => this.withCounts(row));
  }

  /** Offline: the folder's root is missing (unmounted drive); its photos are kept meanwhile. */
  setFolderOnline(folderId: number, online: boolean): void {
    this.statements.setOnline.run(online ? 1 : 0, folderId);
  }

  private withCounts(row: FolderRow): LibraryFolder {
    return { ...row, online: row.online === 1, ...this.folderCounts(row.id) };
  }

  private folderCounts(folderId: number): { fileCount: number; indexedCount: number } {
    const files = this.db
      .prepare(
        'SELECT count(*) AS n FROM files f JOIN dirs d ON d.id = f.dir_id WHERE d.folder_id = ?',
      )
      .get(folderId) as { n: number };
    const failed = this.db
      .prepare('SELECT count(*) AS n FROM failures WHERE folder_id = ?')
      .get(folderId) as { n: number };
    return { fileCount: files.n + failed.n, indexedCount: files.n };
  }

  // ── directories ──────────────────────────────────────────────────────────

  dirId(dirPath: string, folderId: number): number {
    const row = this.statements.dirByPath.get(dirPath) as { id: number } | undefined;
    if (row) return row.id;
    return Number(this.statements.insertDir.run(dirPath, folderId).lastInsertRowid);
  }

  /** Ids of every directory at or below `dirPath` (the folder filter of a search). */
  dirIdsUnder(dirPath: string): number[] {
    const prefix = dirPath.endsWith(path.sep) ? dirPath : dirPath + path.sep;
    const rows = this.db
      .prepare('SELECT id FROM dirs WHERE path = ? OR substr(path, 1, length(?)) = ?')
      .all(dirPath, prefix, prefix) as { id: number }[];
    return rows.map((row) => row.id);
  }

  // ── photos and files ─────────────────────────────────────────────────────

  file(filePath: string): FileRow | undefined {
    return this.statements.fileByPath.get(filePath) as FileRow | undefined;
  }

  photoIdByHash(contentHash: string): number | undefined {
    return (this.statements.photoByHash.get(contentHash) as { id: number } | undefined)?.id;
  }

  /** The photo stored under a content key, with the sha256 of its whole file when known. */
  photoIdentity(contentHash: string): { id: number; fullHash: string | null } | undefined {
    return this.statements.photoIdentity.get(contentHash) as
      { id: number; fullHash: string | null } | undefined;
  }

  /** Whether some file of the photo has exactly this size and mtime (a move or a `cp -p`). */
  photoHasFileSignature(photoId: number, size: number, mtimeMs: number): boolean {
    return this.statements.photoHasFile.get(photoId, size, mtimeMs) !== undefined;
  }

  /** How many files point at the photo. */
  photoFileCount(photoId: number): number {
    return (this.statements.photoFileCount.get(photoId) as { n: number }).n;
  }

  /** The files that point at a photo, in the order they were indexed (the first represents it). */
  filesOfPhoto(photoId: number): FileRow[] {
    return this.statements.filesOfPhoto.all(photoId) as FileRow[];
  }

  /** Photos that several files point at (exact copies), by id. */
  photosWithSeveralFiles(): number[] {
    return this.db
      .prepare('SELECT photo_id FROM files GROUP BY photo_id HAVING count(*) > 1 ORDER BY photo_id')
      .pluck()
      .all() as number[];
  }

  /** New content for an existing photo row (its only file was edited in place). */
  updatePhotoContent(
    photoId: number,
    metadata: PhotoMetadata,
    fullHash: string,
    now = Date.now(),
  ): void {
    this.statements.updatePhotoContent.run({
      id: photoId,
      fullHash,
      ...metadataColumns(metadata),
      now,
    });
  }

  insertPhoto(
    contentHash: string,
    metadata: PhotoMetadata,
    fullHash: string | null = null,
    now = Date.now(),
  ): number {
    const result = this.statements.insertPhoto.run({
      hash: contentHash,
      fullHash,
      ...metadataColumns(metadata),
      now,
    });
    return Number(result.lastInsertRowid);
  }

  /**
   * Points `filePath` at `photoId`. Returns the photo the path pointed at before when that photo is
   * now orphaned (the file's content changed), so the caller can drop its vector.
   */
  upsertFile(
    file: { path: string; dirId: number; photoId: number; size: number; mtimeMs: number },
    now = Date.now(),
  ): RemovedPhoto[] {
    const previous = this.file(file.path);
    this.statements.upsertFile.run({ ...file, now });
    this.statements.deleteFailure.run(file.path);
    if (previous && previous.photoId !== file.photoId)
      return this.deletePhotoIfOrphan(previous.photoId);
    return [];
  }

  /** Deletes a file row; returns the photos that no file points at any more (now deleted). */
  deleteFile(fileId: number): RemovedPhoto[] {
    const row = this.statements.deleteFile.get(fileId) as { photoId: number } | undefined;
    return row ? this.deletePhotoIfOrphan(row.photoId) : [];
  }

  private deletePhotoIfOrphan(photoId: number): RemovedPhoto[] {
    const n = this.photoFileCount(photoId);
    if (n > 0) return [];
    const { contentHash } = this.statements.photoHash.get(photoId) as { contentHash: string };
    this.statements.deletePhoto.run(photoId);
    return [{ id: photoId, contentHash }];
  }

  filesInFolder(folderId: number): FileRow[] {
    return this.statements.filesInFolder.all(folderId) as FileRow[];
  }

  photo(photoId: number): PhotoWithFile | undefined {
    return this.photos([photoId]).get(photoId);
  }

  /**
   * Photos with their first file, many in one statement (a page of 1,000 search hits), by id; ids
   * without a photo (removed meanwhile) are absent. One query instead of one per hit: see
   * docs/benchmarks.md.
   */
  photos(photoIds: readonly number[]): Map<number, PhotoWithFile> {
    // Ascending ids walk the tables' b-trees in order: a page of 1,000 random photos of 100,000
    // took 2.3–2.6 ms instead of 2.7–3.2 (median of 40, load 2).
    const ascending = [...photoIds].sort((a, b) => a - b);
    const rows = this.statements.photosWithFiles.all(JSON.stringify(ascending)) as PhotoWithFile[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * [Note: Timeline order] The home timeline is every photo, newest first, by capture time; a photo
   * without one (no EXIF date: screenshots, scans, exports) is placed by the time the library
   * indexed it (`indexed_at`), not by its file's mtime. The sort key must be a column of `photos`
   * to be indexed (`photos_timeline`, migration 4: a page is an index walk, not a sort of the
   * library); mtime lives on `files`, one per path, and copies of a photo disagree about it. Ties
   * are broken by id, so paging by offset is stable. Months and days are in UTC ([Note: Capture
   * time]).
   */
  timeline(offset: number, limit: number): PhotoWithFile[] {
    return this.statements.timelinePage.all(limit, offset) as PhotoWithFile[];
  }

  /**
   * Every photo's timeline time (ms, [Note: Timeline order]), newest first: the one column of the
   * covering index photos_timeline, for the month and day counts (explore/timeline.ts, [Note:
   * Timeline day counts]).
   */
  timelineTimes(): number[] {
    return this.statements.timelineTimes.all();
  }

  photoDetails(photoId: number): Omit<PhotoDetails, 'place'> | undefined {
    const photo = this.db
      .prepare(
        `SELECT id, format, width, height, taken_at AS takenAt, camera, gps_lat AS lat, gps_lon AS lon
         FROM photos WHERE id = ?`,
      )
      .get(photoId) as
      | {
          id: number;
          format: ImageFormat;
          width: number;
          height: number;
          takenAt: number | null;
          camera: string | null;
          lat: number | null;
          lon: number | null;
        }
      | undefined;
    if (!photo) return undefined;
    const files = this.db
      .prepare(
        'SELECT f.path, f.size, d.path AS dir FROM files f JOIN dirs d ON d.id = f.dir_id WHERE f.photo_id = ? ORDER BY f.id',
      )
      .all(photoId) as { path: string; size: number; dir: string }[];
    const first = files[0];
    if (!first) return undefined;
    return {
      photoId: photo.id,
      paths: files.map((file) => file.path),
      folder: first.dir,
      format: photo.format,
      width: photo.width,
      height: photo.height,
      bytes: first.size,
      takenAt: photo.takenAt,
      camera: photo.camera,
      gps:
        photo.lat !== null && photo.lon !== null
          ? { latitude: photo.lat, longitude: photo.lon }
          : null,
    };
  }

  counts(): { photos: number; files: number; failures: number } {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      photos: one('SELECT count(*) AS n FROM photos'),
      files: one('SELECT count(*) AS n FROM files'),
      failures: one('SELECT count(*) AS n FROM failures'),
    };
  }

  // ── failures ─────────────────────────────────────────────────────────────

  failure(filePath: string): StoredFailure | undefined {
    const row = this.statements.failureByPath.get(filePath) as
      (Omit<StoredFailure, 'permanent'> & { permanent: number }) | undefined;
    return row && { ...row, permanent: row.permanent === 1 };
  }

  recordFailure(failure: FailureInput, now = Date.now()): void {
    this.statements.upsertFailure.run({ ...failure, permanent: failure.permanent ? 1 : 0, now });
  }

  clearFailure(filePath: string): void {
    this.statements.deleteFailure.run(filePath);
  }

  failurePathsInFolder(folderId: number): string[] {
    return (this.statements.failurePathsInFolder.all(folderId) as { path: string }[]).map(
      (row) => row.path,
    );
  }

  listFailures(): StoredFailure[] {
    const rows = this.statements.listFailures.all() as (Omit<StoredFailure, 'permanent'> & {
      permanent: number;
    })[];
    return rows.map((row) => ({ ...row, permanent: row.permanent === 1 }));
  }

  // ── settings ─────────────────────────────────────────────────────────────

  setting(key: string): string | undefined {
    return (this.statements.getSetting.get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.statements.setSetting.run(key, value);
  }
}

function metadataColumns(metadata: PhotoMetadata) {
  return {
    width: metadata.width,
    height: metadata.height,
    format: metadata.format,
    takenAt: metadata.takenAt,
    camera: metadata.camera,
    lat: metadata.gps?.latitude ?? null,
    lon: metadata.gps?.longitude ?? null,
  };
}
