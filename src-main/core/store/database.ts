import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { PhotoseekError } from '../../shared/errors';
import { migrations } from './migrations';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * When to run PRAGMA quick_check before using the file ([Note: Damage check at open]):
   * 'if-unclean' (default) when a -wal file shows that the last run did not close it, 'always'
   * (`photoseek status`).
   */
  check?: 'if-unclean' | 'always';
}

/**
 * Opens (creating when missing) a library database: WAL journal, foreign keys, sqlite-vec loaded,
 * schema migrated to the latest version. Every failure becomes one clear DATABASE error; a damaged
 * file names `photoseek repair`.
 */
export function openDatabase(dbPath: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    mkdirSync(path.dirname(dbPath), { recursive: true });
    const unclean = existsSync(`${dbPath}-wal`);
    db = new Database(dbPath);
    // [Note: WAL and durability] WAL lets readers (search) run while the indexer writes, and
    // synchronous=NORMAL keeps every committed batch across a process crash (only an OS crash or
    // power cut can lose the last transactions, never corrupt the file).
    // [Note: Page size] A 512-float vector is 2 KiB: with SQLite's default 4 KiB pages only one
    // fits per page. 16 KiB pages store them densely (≈ 4.3 → 2.5 KiB per photo, same speed;
    // docs/benchmarks.md). Only takes effect on a new, empty database.
    // [Note: Several processes on one library] busy_timeout first: the statements after it (the
    // switch to WAL, the migrations) may meet another process opening the same library.
    db.pragma('busy_timeout = 5000');
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Re-ranking search candidates reads scattered embedding rows: memory-mapped reads halved that
    // step in bench/knn.bench.ts. SQLite falls back to normal reads where mmap is unavailable.
    db.pragma('mmap_size = 268435456');
    db.loadExtension(sqliteVecPath());
    if (unclean || options.check === 'always') assertIntact(db, dbPath);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof PhotoseekError) throw error;
    throw new PhotoseekError('DATABASE', describeOpenError(dbPath, error), { cause: error });
  }
}

/**
 * [Note: Damage check at open] A damaged page (a disk error, a copy cut short, a sync tool writing
 * into the file) otherwise shows up only when a query happens to read it ("database disk image is
 * malformed" from `search` while `status` looked fine). PRAGMA quick_check reads every page and
 * checks its structure (not the indexes' contents, which integrity_check would add at several
 * times the cost). It runs when the file was not closed cleanly: SQLite deletes the -wal file when
 * the last connection closes, so a -wal file at open means a crash, a killed process or another
 * process using the library right now. Measured here (warm cache, one core): 18–27 ms for a
 * 10,000-photo library (28 MB), 245–317 ms for 100,000 photos (278 MB), so a clean start pays
 * nothing and the rest pay well under a second. `photoseek status` always checks.
 */
export function assertIntact(db: SqliteDatabase, dbPath: string): void {
  let found: string[];
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    found = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  } catch (error) {
    if (!isDamageError(error)) throw error;
    found = [(error as Error).message]; // too damaged for quick_check to finish
  }
  if (found.length > 0) throw damagedDatabase(dbPath, found[0]!);
}

/**
 * The one line every command prints for a damaged library. quick_check's findings can span lines
 * ("*** in database main ***" then "Tree 7 page 48: …"): its banner is dropped and the rest kept
 * on one line.
 */
export function damagedDatabase(dbPath: string, detail: string): PhotoseekError {
  const oneLine = detail
    .replace(/\*\*\* in database \w+ \*\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return new PhotoseekError(
    'DATABASE',
    `The library database ${dbPath} is damaged (${oneLine}). Run \`photoseek repair\` to rebuild it from what is intact.`,
  );
}

/** Whether an error from SQLite means the file itself is damaged. */
export function isDamageError(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) return true;
  }
  return false;
}

/**
 * [Note: Native extension outside the asar] In a packaged app sqlite-vec's loadable library sits
 * in app.asar.unpacked (electron-builder.yml unpacks it): SQLite opens extensions with the OS
 * loader, which cannot read inside an asar archive.
 */
function sqliteVecPath(): string {
  return sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** One IMMEDIATE transaction that reads the version under the write lock: two processes opening a
 * new library at once cannot both run a migration. */
function migrate(db: SqliteDatabase): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  if (version() === migrations.length) return;
  db.transaction(() => {
    const current = version();
    if (current > migrations.length) {
      throw new Error(
        `it was written by a newer Photoseek (schema ${current}, this version knows ${migrations.length})`,
      );
    }
    for (let next = current; next < migrations.length; next++) db.exec(migrations[next]!);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

function describeOpenError(dbPath: string, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  if (
    code === 'SQLITE_READONLY' ||
    code === 'EACCES' ||
    code === 'EROFS' ||
    /readonly/i.test(detail)
  ) {
    return `Cannot write the library database ${dbPath}: the location is read-only. Choose another with --db.`;
  }
  if (code === 'SQLITE_CANTOPEN') {
    return `Cannot open the library database ${dbPath}: check that the folder exists and is writable.`;
  }
  if (isDamageError(error)) {
    return `${dbPath} is not a Photoseek library, or it is damaged: run \`photoseek repair\` to rebuild it from what is intact.`;
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `The disk holding ${dbPath} is full.`;
  return `Cannot open the library database ${dbPath}: ${detail}`;
}
