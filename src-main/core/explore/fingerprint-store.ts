import type Database from 'better-sqlite3';
import type { PhotoId } from '../../shared/types';

/**
 * [Note: Stored fingerprints] Each photo's image fingerprint ([Note: Image fingerprint]) lives
 * in photo_fingerprints (migration 8), one row per photo, and leaves with its photo by ON DELETE
 * CASCADE. 576 bytes a photo: 58 MB at 100k. The indexer makes it from the thumbnail it has
 * just encoded and stores it in the transaction that stores the photo (6–9 ms a 384-px
 * thumbnail, serially, at load ≈ 5, beside ≈ 130 ms a 12 MP photo of decode and inference), replacing the old one when an edit in place gave the photo
 * new content ([Note: Verified identity]); so a near-duplicate search of a library indexed by
 * this version reads fingerprints only. Photos indexed before, or whose fingerprint failed, get
 * theirs from their thumbnail file the first time near-duplicates are looked for
 * (library-fingerprints.ts).
 */
export class FingerprintStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepareStatements(db);
  }

  /** Every stored fingerprint. */
  all(): Map<PhotoId, Uint8Array> {
    const rows = this.statements.all.all();
    return new Map(
      rows.map(({ photoId, fingerprint }) => [
        photoId,
        new Uint8Array(fingerprint.buffer, fingerprint.byteOffset, fingerprint.byteLength),
      ]),
    );
  }

  /** Stores fingerprints made since (one transaction); a photo deleted meanwhile is skipped. */
  put(fingerprints: ReadonlyMap<PhotoId, Uint8Array>): void {
    if (fingerprints.size === 0) return;
    this.db
      .transaction(() => {
        for (const [photoId, fingerprint] of fingerprints) this.set(photoId, fingerprint);
      })
      .immediate();
  }

  /** Stores (or replaces) one photo's fingerprint, inside the caller's write transaction. */
  set(photoId: PhotoId, fingerprint: Uint8Array): void {
    this.statements.insert.run(photoId, Buffer.from(fingerprint), photoId);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    all: db.prepare<[], { photoId: number; fingerprint: Buffer }>(
      `SELECT photo_id AS photoId, fingerprint FROM photo_fingerprints`,
    ),
    insert: db.prepare<[number, Buffer, number]>(
      `INSERT OR REPLACE INTO photo_fingerprints (photo_id, fingerprint)
       SELECT ?, ? WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?)`,
    ),
  };
}
