/**
 * Peak memory on hostile files ([Note: Bounded memory], [Note: Metadata blocks are bounded]): the
 * bench generates a folder of files built to exhaust a decoder's memory, then indexes it with the
 * CLI as a user runs it, with the ViT-B/32-sized bench model, and reports the process's peak RSS
 * (its whole life, model loading included) against the 1 GiB bound; then `photoseek similar` on
 * a 1 GiB iCCP bomb (the path a dragged-in image takes through the decoder; larger bombs make exifr
 * fail fast instead, which hid the problem).
 *
 *   npx tsx bench/memory.bench.ts [--reps 3] [--json out.json] [--keep DIR]
 *
 * The folder (about 3.3 GB of disk, generated in ~30 s): PNGs whose iCCP, zTXt and compressed XMP
 * (iTXt) chunks inflate to 3 GiB each from ~3 MB, one whose iCCP inflates to 1 GiB, a PNG with a 200 MB eXIf chunk, two 0.96 GB
 * 120 MP 16-bit TIFFs (decoded at once by the two decode workers), a TIFF whose colour profile is
 * 300 MB, and eight ordinary photos.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { pngBomb, writeLargeTiff, writeTiffWithHugeProfile } from '../test/fixtures/hostile-images';
import { positiveInt, writeJson } from './lib/args';
import { projectRoot, writeBenchModelFolder } from './lib/bench-models';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const GiB = 1024 ** 3;
const cli = path.join(projectRoot, 'bin', 'photoseek.mjs');
const peakRssProbe = path.join(projectRoot, 'test', 'fixtures', 'report-peak-rss.mjs');

interface Measured {
  peakRssMiB: number;
  seconds: number;
  stdout: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
      keep: { type: 'string' },
    },
  });
  const reps = positiveInt(values.reps, '--reps');
  const work = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'photoseek-memory-')));
  try {
    const folder = path.join(work, 'hostile');
    const started = performance.now();
    await generateHostileFolder(folder);
    console.error(`generated the folder in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // Outside the library, so `similar` decodes it instead of finding the indexed photo.
    const droppedBomb = path.join(work, 'dropped', 'iccp-1gib.png');
    await mkdir(path.dirname(droppedBomb), { recursive: true });
    await copyFile(path.join(folder, 'iccp-1gib.png'), droppedBomb);
    const model = path.join(work, 'model');
    await writeBenchModelFolder(model, 'int8');

    const indexing: Measured[] = [];
    const similar: Measured[] = [];
    let outcome = '';
    for (let rep = 0; rep < reps; rep++) {
      const dataDir = path.join(work, `data-${rep}`);
      await rm(dataDir, { recursive: true, force: true });
      await measure(dataDir, ['models', 'add', model]);
      indexing.push(await measure(dataDir, ['index', folder]));
      similar.push(await measure(dataDir, ['similar', droppedBomb, '-n', '3']));
      outcome = (await measure(dataDir, ['status'])).stdout;
    }
    const row = (name: string, runs: Measured[]) =>
      `| ${name} | ${median(runs.map((run) => run.peakRssMiB)).toFixed(0)} | ${Math.max(...runs.map((run) => run.peakRssMiB)).toFixed(0)} | ${median(runs.map((run) => run.seconds)).toFixed(1)} |`;
    console.log(`Machine: ${machineLine(describeMachine())}`);
    console.log(`Median of ${reps} runs; bound: 1024 MiB peak RSS, model included.\n`);
    console.log('| command | peak RSS MiB (median) | peak RSS MiB (max) | seconds |');
    console.log('|---|---:|---:|---:|');
    console.log(row('`photoseek index` of the hostile folder', indexing));
    console.log(row('`photoseek similar iccp-1gib.png`', similar));
    console.log(`\nLast status:\n${outcome}`);
    const worst = Math.max(...[...indexing, ...similar].map((run) => run.peakRssMiB));
    console.log(worst <= 1024 ? 'Bound met.' : `Bound MISSED: ${worst.toFixed(0)} MiB.`);
    if (values.json) await writeJson(values.json, { reps, indexing, similar });
  } finally {
    if (!values.keep) await rm(work, { recursive: true, force: true });
  }
}

async function generateHostileFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const bombs = [
    ['iccp-3gib.png', pngBomb({ chunk: 'iCCP', inflatedBytes: 3 * GiB })],
    ['iccp-1gib.png', pngBomb({ chunk: 'iCCP', inflatedBytes: GiB })],
    ['ztxt-3gib.png', pngBomb({ chunk: 'zTXt', inflatedBytes: 3 * GiB })],
    ['xmp-itxt-3gib.png', pngBomb({ chunk: 'iTXt', inflatedBytes: 3 * GiB })],
    ['exif-200mb.png', pngBomb({ chunk: 'eXIf', inflatedBytes: 200e6 })],
  ] as const;
  for (const [name, bytes] of bombs) await writeFile(path.join(folder, name), await bytes);
  await writeLargeTiff(path.join(folder, 'scan-120mp-a.tif'), 10_900, 11_000);
  await writeLargeTiff(path.join(folder, 'scan-120mp-b.tif'), 11_000, 10_900);
  await writeTiffWithHugeProfile(path.join(folder, 'profile-300mb.tif'), 300e6);
  for (let i = 0; i < 8; i++) {
    await sharp({
      create: { width: 1600, height: 1200, channels: 3, background: { r: i * 30, g: 80, b: 160 } },
    })
      .jpeg()
      .toFile(path.join(folder, `photo-${i}.jpg`));
  }
}

/** Runs the CLI (through the bin launcher) and reports its peak RSS and wall time. */
async function measure(dataDir: string, args: readonly string[]): Promise<Measured> {
  const rssFile = path.join(dataDir, '..', `peak-rss-${process.pid}`);
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', peakRssProbe, cli, '--data-dir', dataDir, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PHOTOSEEK_TEST_PEAK_RSS_FILE: rssFile },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`photoseek ${args.join(' ')}: ${code}\n${err}`)),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = Number(await readFile(rssFile, 'utf8')) / 2 ** 20;
  return { peakRssMiB, seconds, stdout };
}

await main();
