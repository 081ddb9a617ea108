import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PhotoseekError } from '../../shared/errors';
import type { SqliteDatabase } from './database';
import { isDamageError, openDatabase } from './database';
import { newGeneration } from '../vectors/tables';

export interface RepairReport {
  databasePath: string;
  /** Where the damaged file now is (library.db.corrupt-<date>). */
  backupPath: string;
  /** Rows copied per table, and whether some of its rows could not be read. */
  tables: { name: string; copied: number; complete: boolean }[];
  /** Whether the schema itself (sqlite_master) was unreadable, so nothing could be copied. */
  schemaLost: boolean;
  /** Rows left out after the copy because what they point to was lost (files of a lost photo…). */
  dropped: number;
  photos: number;
  files: number;
}

/** Copied first, in this order, so that what a row points to is there before it. */
const ORDERED_TABLES = ['settings', 'folders', 'dirs', 'photos', 'files', 'failures', 'jobs'];
/** Not copied: a writer lease names a process that cannot be holding the new file. */
const SKIPPED_TABLES = new Set(['leases']);

/**
 * [Note: Repair] `photoseek repair` rebuilds a damaged library database from what can still be
 * read, into a fresh file made by the current migrations:
 * - it holds SQLite's exclusive lock on the damaged file throughout, so it refuses to run while
 *   the app or another photoseek uses the library, and nothing writes it meanwhile;
 * - each table is read in rowid order; where a damaged page stops the read, it probes further
 *   rowids (doubling the step, then bisecting) until one reads again, so only the rows on the bad
 *   page are lost and the rows behind it survive;
 * - the per-model vector tables are recreated from their stored CREATE statements and copied the
 *   same way; a model whose meta row is lost loses its vectors (the photos are embedded again);
 * - rows whose parent was lost are deleted (files of a lost photo or folder, vectors of a lost
 *   photo, photos without files), so the new file passes foreign_key_check; what was deleted is
 *   on disk still, and the next `photoseek index` re-reads it. Folders whose own row was lost must
 *   be added again. Leases are not copied: no process can hold one on a file that is new;
 * - the damaged file is kept as <name>.corrupt-<date>, and the new one takes its name.
 */
export function repairDatabase(dbPath: string, now = new Date()): RepairReport {
  if (!existsSync(dbPath)) {
    throw new PhotoseekError('NOT_FOUND', `There is no library database at ${dbPath}.`);
  }
  const source = lockForRepair(dbPath);
  const freshPath = `${dbPath}.repairing`;
  removeDatabaseFiles(freshPath);
  let report: Omit<RepairReport, 'databasePath' | 'backupPath'>;
  try {
    const target = openDatabase(freshPath);
    try {
      report = copyLibrary(source, target);
    } finally {
      target.close();
    }
  } catch (error) {
    source.close();
    removeDatabaseFiles(freshPath);
    throw error;
  }
  source.close();
  const backupPath = backupName(dbPath, now);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, backupPath + suffix);
  }
  renameSync(freshPath, dbPath);
  removeDatabaseFiles(freshPath);
  return { databasePath: dbPath, backupPath, ...report };
}

/** The damaged file under SQLite's exclusive lock, or LIBRARY_BUSY when something has it open. */
function lockForRepair(dbPath: string): SqliteDatabase {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new PhotoseekError(
        'LIBRARY_BUSY',
        `The library ${dbPath} is in use: quit the Photoseek app and other photoseek commands, then run \`photoseek repair\` again.`,
      );
    }
    if (isDamageError(error)) return new Database(dbPath, { fileMustExist: true });
    throw error;
  }
}

function copyLibrary(
  source: SqliteDatabase,
  target: SqliteDatabase,
): Omit<RepairReport, 'databasePath' | 'backupPath'> {
  const sourceSchema = readSchema(source);
  const targetTables = [...(readSchema(target)?.tables.keys() ?? [])];
  const libraryTables = [
    ...ORDERED_TABLES.filter((name) => targetTables.includes(name)),
    ...targetTables.filter((name) => !ORDERED_TABLES.includes(name) && !SKIPPED_TABLES.has(name)),
  ];
  const tables: RepairReport['tables'] = [];
  target.pragma('foreign_keys = OFF');
  target.transaction(() => {
    for (const name of libraryTables) {
      if (sourceSchema?.tables.has(name)) tables.push(copyTable(source, target, name));
    }
    for (const [name, sql] of sourceSchema?.tables ?? []) {
      if (!name.startsWith('vec_') || sql === null) continue;
      target.exec(sql);
      tables.push(copyTable(source, target, name));
    }
    for (const sql of sourceSchema?.vectorIndexes ?? []) target.exec(sql);
  })();
  const dropped = target.transaction(() =>
    dropOrphans(target, sourceSchema?.tables ?? new Map()),
  )();
  target.pragma('foreign_keys = ON');
  const count = (table: string): number =>
    (target.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    tables,
    schemaLost: sourceSchema === null,
    dropped,
    photos: count('photos'),
    files: count('files'),
  };
}

interface Schema {
  /** Table name → its CREATE statement (null when SQLite keeps none). */
  tables: Map<string, string | null>;
  /** CREATE INDEX statements of the vector tables. */
  vectorIndexes: string[];
}

function readSchema(source: SqliteDatabase): Schema | null {
  try {
    const rows = source
      .prepare(`SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master`)
      .all() as { type: string; name: string; tableName: string; sql: string | null }[];
    return {
      tables: new Map(
        rows
          .filter((row) => row.type === 'table' && !row.name.startsWith('sqlite_'))
          .map((row) => [row.name, row.sql]),
      ),
      vectorIndexes: rows
        .filter((row) => row.type === 'index' && row.tableName.startsWith('vec_') && row.sql)
        .map((row) => row.sql!),
    };
  } catch (error) {
    if (isDamageError(error)) return null;
    throw error;
  }
}

/** Copies the readable rows of one table (the columns both files have), skipping bad pages. */
function copyTable(
  source: SqliteDatabase,
  target: SqliteDatabase,
  table: string,
): RepairReport['tables'][number] {
  const targetColumns = new Set(columnsOf(target, table));
  const columns = columnsOf(source, table).filter((column) => targetColumns.has(column));
  const list = columns.map((column) => `"${column}"`).join(', ');
  const read = source.prepare(
    `SELECT rowid AS "__rowid", ${list} FROM "${table}" WHERE rowid >= ? ORDER BY rowid`,
  );
  const probe = source.prepare(
    `SELECT rowid AS "__rowid" FROM "${table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1`,
  );
  const insert = target.prepare(
    `INSERT OR IGNORE INTO "${table}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  let copied = 0;
  let complete = true;
  let start = Number.MIN_SAFE_INTEGER; // the next rowid to read from
  let floor = Number.MIN_SAFE_INTEGER; // probes look above this
  for (;;) {
    try {
      for (const row of read.iterate(start) as Iterable<Record<string, unknown>>) {
        insert.run(columns.map((column) => row[column]));
        start = (row['__rowid'] as number) + 1;
        copied++;
      }
      break;
    } catch (error) {
      if (!isDamageError(error)) throw error;
      complete = false;
      // Probe strictly past the last row copied and the last resume point, so a row that cannot
      // be read is skipped rather than retried forever.
      floor = Math.max(floor, start - 1);
      const resume = nextReadableRowid(probe, floor);
      if (resume === null) break;
      floor = resume;
      start = resume;
    }
  }
  return { name: table, copied, complete };
}

/**
 * The first rowid above `floor` whose page reads, or null when none: probes floor+1, +2, +4, …
 * until one reads, then bisects the last step, so only the rows of the bad pages are lost.
 */
function nextReadableRowid(probe: Database.Statement, floor: number): number | null {
  const readsFrom = (rowid: number): { found: number | null } | undefined => {
    try {
      const row = probe.get(rowid) as { __rowid: number } | undefined;
      return { found: row ? row.__rowid : null };
    } catch (error) {
      if (!isDamageError(error)) throw error;
      return undefined;
    }
  };
  let failing = floor;
  for (let step = 1; floor + step <= Number.MAX_SAFE_INTEGER; step *= 2) {
    let reading = floor + step;
    let result = readsFrom(reading);
    if (!result) {
      failing = reading;
      continue;
    }
    while (reading - failing > 1) {
      const middle = failing + Math.floor((reading - failing) / 2);
      const attempt = readsFrom(middle);
      if (attempt) [reading, result] = [middle, attempt];
      else failing = middle;
    }
    return result.found;
  }
  return null;
}

function columnsOf(db: SqliteDatabase, table: string): string[] {
  return (db.pragma(`table_info("${table}")`) as { name: string }[]).map((column) => column.name);
}

/** Deletes rows whose parent row was lost, and makes each vector index whole again. */
function dropOrphans(db: SqliteDatabase, sourceTables: ReadonlyMap<string, unknown>): number {
  let dropped = 0;
  const run = (sql: string): void => {
    dropped += db.prepare(sql).run().changes;
  };
  run('DELETE FROM dirs WHERE folder_id NOT IN (SELECT id FROM folders)');
  run(
    'DELETE FROM files WHERE dir_id NOT IN (SELECT id FROM dirs) OR photo_id NOT IN (SELECT id FROM photos)',
  );
  run('DELETE FROM photos WHERE id NOT IN (SELECT photo_id FROM files)');
  run('DELETE FROM photo_fingerprints WHERE photo_id NOT IN (SELECT id FROM photos)');
  run('DELETE FROM failures WHERE folder_id NOT IN (SELECT id FROM folders)');
  run('DELETE FROM jobs WHERE folder_id NOT IN (SELECT id FROM folders)');
  for (const name of sourceTables.keys()) {
    if (!name.startsWith('vec_') || !name.endsWith('_meta')) continue;
    const prefix = name.slice(0, -'_meta'.length);
    const [items, embeddings, log] = ['items', 'embeddings', 'log'].map(
      (part) => `${prefix}_${part}`,
    );
    const hasMeta =
      db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
    const metaRow = hasMeta && db.prepare(`SELECT 1 FROM ${name}`).get() !== undefined;
    if (!metaRow || !sourceTables.has(items!) || !sourceTables.has(embeddings!)) {
      for (const table of [log, embeddings, items, name]) db.exec(`DROP TABLE IF EXISTS ${table}`);
      continue;
    }
    run(
      `DELETE FROM ${items} WHERE photo_id NOT IN (SELECT id FROM photos) OR photo_id NOT IN (SELECT photo_id FROM ${embeddings})`,
    );
    run(`DELETE FROM ${embeddings} WHERE photo_id NOT IN (SELECT photo_id FROM ${items})`);
    // The change log only serves in-memory copies of older connections; a new generation makes
    // any copy reload everything ([Note: In-memory mirror of the items]).
    if (sourceTables.has(log!)) db.exec(`DELETE FROM ${log}`);
    db.prepare(`UPDATE ${name} SET generation = ?`).run(newGeneration());
  }
  return dropped;
}

function backupName(dbPath: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  let candidate = `${dbPath}.corrupt-${stamp}`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${dbPath}.corrupt-${stamp}-${n}`;
  return candidate;
}

function removeDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
}
