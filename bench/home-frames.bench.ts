/**
 * Frame times and memory of Home (the Photos tab) at 100,000 photos in Chromium: the production
 * renderer over the fake core (test/renderer's harness, scenario `huge`: 100,000 photos, about 6
 * a day, so every screen crosses day headers), scrolled by a script that moves the grid a fixed
 * distance each animation frame while the frames' timestamps are recorded. Two speeds: a steady
 * scroll (about a screen a second; the pages of 240 photos arrive ahead of it) and a fast one
 * (a screen and a half per frame: a new page is asked for every few frames and most cells are
 * still empty when drawn). Memory is the page's JS heap after a forced garbage collection (CDP
 * `Runtime.getHeapUsage`) and its element count, when Home opens and after both scrolls.
 *
 *   npx tsx bench/home-frames.bench.ts [--reps 3] [--json out.json]
 *
 * Chromium is Debian's (CHROMIUM_PATH), headless with --disable-gpu, so the page is painted in
 * software: a pessimistic stand-in for Electron's GPU compositing. The fake core runs in the page,
 * so the heap includes its 100,000 photos; the growth from the first figure to the others is
 * Home's. Reported: median and 95th percentile of the frame intervals (16.7 ms is every frame at
 * 60 Hz), medians over reps.
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/renderer/chromium';
import { startHarness } from '../test/renderer/harness-server';
import { positiveInt, writeJson } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

/** Frames each scroll lasts. */
const FRAMES = 300;
/** Pixels per frame: about a screen a second, and a screen and a half every frame. */
const SPEEDS = { steady: 12, fast: 900 } as const;

type Speed = keyof typeof SPEEDS;

interface Frames {
  median: number;
  p95: number;
}

interface Memory {
  heapMiB: number;
  elements: number;
}

interface Rep {
  frames: Record<Speed, Frames>;
  memory: { opened: Memory; scrolled: Memory };
  pagesFetched: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reps: { type: 'string', default: '3' }, json: { type: 'string' } },
  });
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Home frames bench: ${machineLine(machine)}`);
  const harness = await startHarness();
  const browser = await launchChromium();
  try {
    const runs: Rep[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${harness.url}?scenario=huge`);
      const grid = page.getByRole('listbox', { name: 'All photos' });
      await grid.getByRole('option').first().waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      const opened = await memory(page);
      const steady = await scrollFrames(page, SPEEDS.steady);
      const fast = await scrollFrames(page, SPEEDS.fast);
      await grid.getByRole('option').first().waitFor({ timeout: 60_000 });
      const scrolled = await memory(page);
      const pagesFetched = await page.evaluate<number>(
        "window.fake.argsOf('photos.timeline').length",
      );
      runs.push({ frames: { steady, fast }, memory: { opened, scrolled }, pagesFetched });
      console.log(
        `rep ${rep + 1}: steady ${ms(steady.median)} median / ${ms(steady.p95)} p95, ` +
          `fast ${ms(fast.median)} / ${ms(fast.p95)}; heap ${mib(opened.heapMiB)} opened, ` +
          `${mib(scrolled.heapMiB)} scrolled (${pagesFetched} pages); ` +
          `${opened.elements} / ${scrolled.elements} elements`,
      );
      await context.close();
    }
    const frames = (speed: Speed) => ({
      medianMs: median(runs.map((run) => run.frames[speed].median)),
      p95Ms: median(runs.map((run) => run.frames[speed].p95)),
    });
    const memoryAt = (when: 'opened' | 'scrolled') => ({
      heapMiB: median(runs.map((run) => run.memory[when].heapMiB)),
      elements: median(runs.map((run) => run.memory[when].elements)),
    });
    const result = {
      machine,
      reps,
      pixelsPerFrame: SPEEDS,
      steady: frames('steady'),
      fast: frames('fast'),
      opened: memoryAt('opened'),
      scrolled: memoryAt('scrolled'),
      pagesFetched: median(runs.map((run) => run.pagesFetched)),
    };
    const { machine: _machine, ...summary } = result;
    console.log(`median of ${reps}: ${JSON.stringify(summary)}`);
    if (values.json) await writeJson(values.json, result);
  } finally {
    await browser.close();
    await harness.close();
  }
}

/** Frame intervals while the grid scrolls down `step` pixels every animation frame. */
async function scrollFrames(page: Page, step: number): Promise<Frames> {
  // A script as text: tsx would wrap a function's inner names in a helper the page lacks.
  const stamps = await page.evaluate<number[]>(`
    new Promise((resolve) => {
      const grid = document.querySelector('[role=listbox][aria-label="All photos"]');
      const stamps = [];
      const tick = (time) => {
        stamps.push(time);
        if (stamps.length > ${FRAMES}) return resolve(stamps);
        grid.scrollTop += ${step};
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })
  `);
  const intervals = stamps
    .slice(1)
    .map((stamp, i) => stamp - stamps[i]!)
    .sort((a, b) => a - b);
  return {
    median: median(intervals),
    p95: intervals[Math.floor(intervals.length * 0.95)] ?? 0,
  };
}

/** The page's JS heap after a full garbage collection, and its element count. */
async function memory(page: Page): Promise<Memory> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const elements = await page.evaluate<number>("document.getElementsByTagName('*').length");
  return { heapMiB: usedSize / 2 ** 20, elements };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function mib(value: number): string {
  return `${value.toFixed(1)} MiB`;
}

await main();
