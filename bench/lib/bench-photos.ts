/**
 * Photo sets for the indexing benchmark: real photos from ../shared/data/photos-cc0 (400–900 px
 * clothing shots), generated 12-megapixel camera-sized JPEGs and copies of a real 12 MP iPhone HEIC.
 *
 * [Note: Generated 12 MP photos] A 12 MP camera JPEG is 3–6 MB, and JPEG decode time follows the
 * entropy-coded size, so a smooth upscale (≈ 1 MB) would decode too fast. Each generated photo is
 * a real CC0 photo upscaled to 4000×3000 with Gaussian grain blended in, saved at quality 90
 * (≈ 3–5 MB, like a phone photo). They are cached in .cache/bench-photos (ignored by git) and
 * rebuilt when missing.
 */
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { projectRoot, sharedRoot } from './bench-models';

export const photosCc0 = path.join(sharedRoot, 'data', 'photos-cc0');
const generatedDir = path.join(projectRoot, '.cache', 'bench-photos', '12mp-v2');
const WIDTH = 4000;
const HEIGHT = 3000;

/** Paths of the first `count` photos of a photos-cc0 split, spread over its categories. */
export async function cc0Photos(count: number, split = 'test'): Promise<string[]> {
  const labels = path.join(photosCc0, 'labels.csv');
  if (!existsSync(labels))
    throw new Error(`the indexing benchmark needs ${labels} (../shared missing?)`);
  const rows = (await readFile(labels, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((fields) => fields[2] === split)
    .map((fields) => path.join(photosCc0, fields[0]!));
  // Every k-th row, so all categories are represented.
  const step = Math.max(1, Math.floor(rows.length / count));
  return rows.filter((_, index) => index % step === 0).slice(0, count);
}

/** `count` generated 12 MP JPEGs (see [Note: Generated 12 MP photos]), made when missing. */
export async function twelveMegapixelPhotos(
  count: number,
  log: (line: string) => void,
): Promise<string[]> {
  await mkdir(generatedDir, { recursive: true });
  const sources = await cc0Photos(count, 'train');
  const targets = sources.map((_, index) =>
    path.join(generatedDir, `photo-${String(index).padStart(3, '0')}.jpg`),
  );
  const missing = targets.filter((target) => !existsSync(target));
  if (missing.length > 0) log(`generating ${missing.length} 12 MP JPEGs in ${generatedDir} (once)`);
  for (const [index, target] of targets.entries()) {
    if (existsSync(target)) continue;
    const raw = { width: WIDTH, height: HEIGHT, channels: 3 } as const;
    const grain = await sharp({
      create: { ...raw, background: 'grey', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
    })
      .raw()
      .toBuffer();
    await sharp(sources[index]!)
      .resize(WIDTH, HEIGHT, { fit: 'cover' })
      .composite([{ input: grain, raw, blend: 'soft-light' }])
      .jpeg({ quality: 90 })
      .toFile(target);
  }
  return targets;
}

/** A real 4032 × 3024 iPhone 7 HEIC (48 HEVC tiles), the HEIC decode baseline's file. */
export const iphoneHeic = path.join(
  sharedRoot,
  ...['data', 'formats', 'exifr', 'test', 'fixtures', 'heic-iphone7.heic'],
);

/**
 * `count` copies of iphoneHeic written into `dir`, each made a different photo by a top-level
 * 'free' box of its own length after the file's boxes (readers skip it): identical copies would be
 * one photo to the indexer, decoded once ([Note: Content identity]).
 */
export async function iphoneHeicCopies(dir: string, count: number): Promise<string[]> {
  if (!existsSync(iphoneHeic))
    throw new Error(`the indexing benchmark needs ${iphoneHeic} (../shared missing?)`);
  const original = await readFile(iphoneHeic);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let index = 0; index < count; index++) {
    const free = Buffer.alloc(12 + index);
    free.writeUInt32BE(free.length, 0);
    free.write('free', 4, 'latin1');
    free.writeUInt32BE(index, 8);
    const file = path.join(dir, `iphone7-${String(index).padStart(3, '0')}.heic`);
    await writeFile(file, Buffer.concat([original, free]));
    files.push(file);
  }
  return files;
}

/** Hard-links (or copies, across file systems) `files` into `dir` and returns `dir`. */
export async function linkPhotosInto(dir: string, files: readonly string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(await readdir(dir));
  for (const [index, file] of files.entries()) {
    const name = `${String(index).padStart(5, '0')}-${path.basename(file)}`;
    if (existing.has(name)) continue;
    const target = path.join(dir, name);
    await link(file, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV') throw error;
      await copyFile(file, target);
    });
  }
  return dir;
}
