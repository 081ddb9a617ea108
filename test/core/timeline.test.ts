import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import { timelineCounts } from '../../src-main/core/explore/timeline';
import type { PhotoSummary } from '../../src-main/shared/types';
import { COLOUR_LIBRARY, encodeColour, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/**
 * The home timeline through the real parts: the colour library (dated reds and greens, undated
 * blue PNGs) plus a copy of one photo under a second name and a burst of two different photos
 * taken in the same second, indexed with the synthetic model into a real SQLite library.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('core: the home timeline', () => {
  let work: string;
  let library: string;
  let core: Core;
  /** When indexing began: the undated photos' timeline time is after it. */
  let indexedFrom: number;
  const names = (photos: PhotoSummary[]) => photos.map((photo) => path.basename(photo.path));
  /** The copy and the original are one photo, shown by whichever file the library saw first. */
  const photoNames = (photos: PhotoSummary[]) =>
    names(photos).map((name) => name.replace(' copy', ''));

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-timeline-'));
    library = path.join(work, 'library');
    await writeColourLibrary(library);
    await mkdir(path.join(library, 'copies'));
    await copyFile(path.join(library, 'red/r2.jpg'), path.join(library, 'copies/r2 copy.jpg'));
    for (const [name, rgb] of [
      ['burst-1.jpg', [200, 200, 20]],
      ['burst-2.jpg', [210, 190, 30]],
    ] as const) {
      const bytes = await encodeColour(
        rgb,
        { width: 320, height: 240 },
        '2020:07:04 12:00:00',
        name,
      );
      await mkdir(path.join(library, 'burst'), { recursive: true });
      await writeFile(path.join(library, 'burst', name), bytes);
    }
    await buildSyntheticModel(path.join(work, 'model'));
    core = createCore({ dataDir: path.join(work, 'data') });
    await core.models.add(path.join(work, 'model'));
    await core.addFolder(library);
    indexedFrom = Date.now();
    await core.index();
  });

  afterAll(async () => {
    await core?.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it('lists every photo once, newest first, undated photos by the time they were indexed', () => {
    const page = core.timeline({ offset: 0, limit: 1000 });
    // 10 colour photos + 2 burst photos; the copy is the same photo as r2.jpg.
    expect(page.total).toBe(COLOUR_LIBRARY.length + 2);
    expect(page.photos).toHaveLength(page.total);
    expect(new Set(page.photos.map((photo) => photo.photoId)).size).toBe(page.total);
    const r2 = page.photos.filter((photo) => /r2( copy)?\.jpg$/.test(photo.path));
    expect(r2).toHaveLength(1);

    // Undated photos were indexed just now, after every capture date: they come first.
    expect(names(page.photos.slice(0, 3)).sort()).toEqual(['b1.png', 'b2.png', 'b3.png']);
    expect(page.photos.slice(0, 3).every((photo) => photo.takenAt === null)).toBe(true);
    expect(names(page.photos.slice(3, 6))).toEqual(['g3.jpg', 'g2.jpg', 'g1.jpg']);
    expect(names(page.photos.slice(6, 8)).sort()).toEqual(['burst-1.jpg', 'burst-2.jpg']);
    expect(photoNames(page.photos.slice(8))).toEqual(['r4.jpg', 'r3.jpg', 'r2.jpg', 'r1.jpg']);
    const dated = page.photos.slice(3).map((photo) => photo.takenAt!);
    expect(dated).toEqual([...dated].sort((a, b) => b - a));

    // Months and their days (UTC calendar days, [Note: Timeline day counts]), newest first.
    const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);
    const one = (day: string) => ({ month: day.slice(0, 7), count: 1, days: [{ day, count: 1 }] });
    // Indexing may cross midnight: the undated photos are then on two days (or months).
    const undated = page.months.slice(0, -8);
    expect(undated.reduce((sum, month) => sum + month.count, 0)).toBe(3);
    for (const month of undated) {
      expect(month.days.reduce((sum, day) => sum + day.count, 0)).toBe(month.count);
      for (const { day } of month.days) {
        expect(day >= utcDay(indexedFrom) && day <= utcDay(Date.now())).toBe(true);
        expect(day.slice(0, 7)).toBe(month.month);
      }
    }
    expect(page.months.slice(-8)).toEqual([
      one('2021-09-30'),
      one('2021-06-15'),
      one('2021-04-02'),
      { month: '2020-07', count: 2, days: [{ day: '2020-07-04', count: 2 }] },
      one('2019-12-24'),
      one('2019-08-21'),
      one('2019-05-11'),
      one('2019-03-01'),
    ]);
  });

  it('pages consistently: small pages put together are the whole timeline', () => {
    const whole = core.timeline({ offset: 0, limit: 1000 });
    const pieces: PhotoSummary[] = [];
    for (let offset = 0; offset < whole.total + 5; offset += 5) {
      const page = core.timeline({ offset, limit: 5 });
      expect(page.total).toBe(whole.total);
      expect(page.months).toEqual(whole.months);
      pieces.push(...page.photos);
    }
    expect(pieces).toEqual(whole.photos);
    expect(core.timeline({ offset: whole.total, limit: 5 }).photos).toEqual([]);
  });

  it('follows the library: a removed file leaves the timeline, a copy keeps its photo', async () => {
    await rm(path.join(library, 'red/r2.jpg'));
    await rm(path.join(library, 'burst/burst-2.jpg'));
    await core.index();
    const page = core.timeline({ offset: 0, limit: 1000 });
    expect(page.total).toBe(COLOUR_LIBRARY.length + 1);
    expect(names(page.photos)).toContain('r2 copy.jpg');
    expect(names(page.photos)).not.toContain('burst-2.jpg');
    expect(page.months.find((month) => month.month === '2020-07')).toEqual({
      month: '2020-07',
      count: 1,
      days: [{ day: '2020-07-04', count: 1 }],
    });
  });

  it('refuses a page it cannot serve with one clear line', () => {
    expect(() => core.timeline({ offset: -1, limit: 10 })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(() => core.timeline({ offset: 0, limit: 1001 })).toThrow(/from 1 to 1000/);
  });
});

describe('core: the timeline day counts', () => {
  it('counts UTC calendar days and months, newest first, before 1970 too', () => {
    const at = (iso: string) => Date.parse(`${iso}Z`);
    const times = [
      at('2024-03-02T23:59:59.999'),
      at('2024-03-02T00:00:00'),
      at('2024-03-01T12:00:00'),
      at('2024-02-29T23:00:00'),
      at('1969-12-31T23:59:59'),
      at('1969-12-31T00:00:00'),
      at('1969-12-30T23:59:59.999'),
    ];
    expect(timelineCounts(times)).toEqual([
      {
        month: '2024-03',
        count: 3,
        days: [
          { day: '2024-03-02', count: 2 },
          { day: '2024-03-01', count: 1 },
        ],
      },
      { month: '2024-02', count: 1, days: [{ day: '2024-02-29', count: 1 }] },
      {
        month: '1969-12',
        count: 3,
        days: [
          { day: '1969-12-31', count: 2 },
          { day: '1969-12-30', count: 1 },
        ],
      },
    ]);
    expect(timelineCounts([])).toEqual([]);
  });
});
