import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { PhotoseekError } from '../../shared/errors';
import { migrations } from './migrations';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating when missing) a library database: WAL journal, foreign keys, sqlite-vec loaded,
 * schema migrated to the latest version. Every failure becomes one clear DATABASE error.
 */
export function openDatabase(dbPath: string): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    mkdirSync(path.dirname(dbPath), { recursive: true });
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
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw new PhotoseekError('DATABASE', describeOpenError(dbPath, error), { cause: error });
  }
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
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `${dbPath} is not a Photoseek library (or it is damaged).`;
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `The disk holding ${dbPath} is full.`;
  return `Cannot open the library database ${dbPath}: ${detail}`;
}
