import { existsSync, openSync, closeSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src-main/shared/types';
import { writePhoto } from '../fixtures/colour-library';
import type { ColourPhoto } from '../fixtures/colour-library';
import { snapshotLibrary } from '../fixtures/library-inspection';
import { runCli, STACK_FRAME, startCli } from '../fixtures/photoseek-cli';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/** 300 small photos: enough rows that the photos table spans several leaf pages. */
const PHOTOS: ColourPhoto[] = Array.from({ length: 300 }, (_, i) => {
  const colour = (['red', 'green', 'blue'] as const)[i % 3]!;
  const rgb = { red: [220, 20, 30], green: [20, 210, 30], blue: [20, 30, 220] }[colour] as [
    number,
    number,
    number,
  ];
  return { relativePath: `${colour}/p${i}.jpg`, colour, rgb };
});

/** The CLI on a real library whose database gets a page overwritten after a clean close. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('photoseek repair', () => {
  let work: string;
  let dataDir: string;
  let databasePath: string;
  const photoseek = (...args: string[]) => runCli(dataDir, args);

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-repair-'));
    dataDir = path.join(work, 'data');
    databasePath = path.join(dataDir, 'library.db');
    for (const photo of PHOTOS) {
      await writePhoto(path.join(work, 'photos'), photo, { width: 32, height: 24 });
    }
    await buildSyntheticModel(path.join(work, 'model'));
    expect((await photoseek('models', 'add', path.join(work, 'model'))).code).toBe(0);
    expect((await photoseek('index', path.join(work, 'photos'))).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('finds a damaged page, says what to do, and rebuilds a working library from the intact rows', async () => {
    const before = snapshotLibrary(databasePath);
    expect(before.size).toBe(PHOTOS.length);
    const lostPage = overwriteMiddleLeafPage(databasePath, 'photos');

    // status always checks; search meets the page; both name the way out in one line.
    const status = await photoseek('status');
    expect(status.code).toBe(1);
    expect(status.stderr).not.toMatch(STACK_FRAME);
    // One line, whatever SQLite's words for the damage ("malformed", or quick_check's finding).
    const [line, ...more] = status.stderr.trim().split('\n');
    expect(more).toEqual([]);
    expect(line!.startsWith(`photoseek: The library database ${databasePath} is damaged (`)).toBe(
      true,
    );
    expect(line).toMatch(/\S\)\. Run `photoseek repair` to rebuild it from what is intact\.$/);
    const search = await photoseek('search', 'red');
    expect(search.code).toBe(1);
    expect(search.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/is damaged.*photoseek repair/),
    ]);

    // A -wal file left by a run that did not close cleanly makes every open check the file, so
    // even a command that reads only intact tables says so.
    expect((await photoseek('failures')).code).toBe(0);
    await writeFile(`${databasePath}-wal`, '');
    const failures = await photoseek('failures');
    expect(failures.code).toBe(1);
    expect(failures.stderr).toMatch(/is damaged.*photoseek repair/);

    const repair = await photoseek('--json', 'repair');
    expect(repair.stderr).toBe('');
    expect(repair.code).toBe(0);
    const report = JSON.parse(repair.stdout) as {
      backupPath: string;
      photos: number;
      tables: { name: string; complete: boolean }[];
    };
    expect(existsSync(report.backupPath)).toBe(true);
    expect(path.basename(report.backupPath)).toMatch(/^library\.db\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(report.tables.filter((table) => !table.complete).map((table) => table.name)).toEqual([
      'photos',
    ]);
    expect(report.photos).toBe(PHOTOS.length - lostPage.rows);

    // Every photo that survived kept its hash and embedding; the library works again.
    const repaired = snapshotLibrary(databasePath);
    expect(repaired.size).toBe(PHOTOS.length - lostPage.rows);
    for (const [file, entry] of repaired) expect(entry).toEqual(before.get(file));
    const status2 = await photoseek('status');
    expect(status2.code).toBe(0);
    expect(status2.stdout).toMatch(/\(no damage found\)/);
    const hits = JSON.parse(
      (await photoseek('--json', 'search', 'red', '-n', '5')).stdout,
    ) as SearchHit[];
    expect(hits.map((hit) => path.basename(path.dirname(hit.path)))).toEqual(Array(5).fill('red'));

    // The next index reads the lost photos from disk again: the library is whole.
    const index = await photoseek('index');
    expect(index.stdout).toMatch(
      new RegExp(`^Done in .*: ${lostPage.rows} indexed, ${repaired.size} unchanged`),
    );
    expect(snapshotLibrary(databasePath)).toEqual(before);
    expect(await readdir(dataDir)).toEqual(
      expect.arrayContaining(['library.db', path.basename(report.backupPath)]),
    );
  }, 120_000);

  it('refuses to repair a library another process has open', async () => {
    const watch = startCli(dataDir, ['watch']);
    await watch.stderrMatching(/Watching for changes/);
    const repair = await photoseek('repair');
    expect(repair.code).toBe(1);
    expect(repair.stderr.trim()).toMatch(
      /^photoseek: The library .* is in use: quit the Photoseek app/,
    );
    watch.process.kill('SIGINT');
    expect((await watch.result).code).toBe(0);
  }, 60_000);
});

/**
 * Overwrites the start of the middle leaf page of `table` (its page header) with 0xFF, as a bad
 * disk sector or a half-written copy would, and returns how many rows that page held.
 */
function overwriteMiddleLeafPage(databasePath: string, table: string): { rows: number } {
  const db = new Database(databasePath, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db
    .prepare(
      `SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno`,
    )
    .all(table) as { pageno: number; ncell: number }[];
  db.close();
  expect(leaves.length).toBeGreaterThanOrEqual(3);
  const page = leaves[Math.floor(leaves.length / 2)]!;
  const fd = openSync(databasePath, 'r+');
  writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (page.pageno - 1) * pageSize);
  closeSync(fd);
  return { rows: page.ncell };
}
