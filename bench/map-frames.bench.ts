/**
 * Frame times of the Map tab at 100,000 photos in Chromium: the production renderer over the fake
 * core (test/renderer's harness, scenario `huge-map`: 40 clusters of 2,500 photos), panned by
 * mouse drags while requestAnimationFrame timestamps are recorded. Two states: the whole map
 * (every dot drawn each frame) and zoomed in (thumbnails of the photos in view).
 *
 *   npx tsx bench/map-frames.bench.ts [--reps 3] [--json out.json]
 *
 * Chromium is Debian's (CHROMIUM_PATH), headless with --disable-gpu, so the canvas is drawn in
 * software: a pessimistic stand-in for Electron's GPU canvas. Reported: median and 95th percentile
 * of the frame intervals while panning (16.7 ms is every frame at 60 Hz), medians over reps.
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/renderer/chromium';
import { startHarness } from '../test/renderer/harness-server';
import { positiveInt, writeJson } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const DRAG_STEPS = 120;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reps: { type: 'string', default: '3' }, json: { type: 'string' } },
  });
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Map frames bench: ${machineLine(machine)}`);
  const harness = await startHarness();
  const browser = await launchChromium();
  try {
    const runs: Record<'whole' | 'zoomed', { median: number; p95: number }>[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${harness.url}?scenario=huge-map`);
      await page.getByRole('tab', { name: 'Map' }).click();
      const canvas = page.getByRole('application', { name: 'Similarity map of 100,000 photos' });
      await canvas.waitFor({ timeout: 60_000 });
      const whole = await panFrames(page);
      await canvas.focus();
      for (let i = 0; i < 12; i++) await page.keyboard.press('+');
      await page.waitForLoadState('networkidle');
      const zoomed = await panFrames(page);
      runs.push({ whole, zoomed });
      console.log(
        `rep ${rep + 1}: whole map ${ms(whole.median)} median / ${ms(whole.p95)} p95, ` +
          `zoomed in ${ms(zoomed.median)} / ${ms(zoomed.p95)}`,
      );
      await context.close();
    }
    const summary = (state: 'whole' | 'zoomed') => ({
      medianMs: median(runs.map((run) => run[state].median)),
      p95Ms: median(runs.map((run) => run[state].p95)),
    });
    const result = { machine, reps, whole: summary('whole'), zoomed: summary('zoomed') };
    console.log(
      `median of ${reps}: ${JSON.stringify({ whole: result.whole, zoomed: result.zoomed })}`,
    );
    if (values.json) await writeJson(values.json, result);
  } finally {
    await browser.close();
    await harness.close();
  }
}

/** Frame intervals while the mouse drags across the canvas and back. */
async function panFrames(page: Page): Promise<{ median: number; p95: number }> {
  const box = (await page.getByRole('application').boundingBox())!;
  // Scripts as text: tsx would wrap a function's inner names in a helper the page lacks.
  await page.evaluate(`
    const stamps = [];
    window.frameStamps = stamps;
    const tick = (time) => {
      stamps.push(time);
      if (window.frameStamps === stamps) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  `);
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, y, { steps: DRAG_STEPS });
  await page.mouse.move(box.x + box.width * 0.2, y, { steps: DRAG_STEPS });
  await page.mouse.up();
  // Taking the array away stops its recorder.
  const stamps = await page.evaluate<number[]>(
    '(() => { const stamps = window.frameStamps; window.frameStamps = null; return stamps; })()',
  );
  const intervals = stamps
    .slice(1)
    .map((stamp, i) => stamp - stamps[i]!)
    .sort((a, b) => a - b);
  return {
    median: median(intervals),
    p95: intervals[Math.floor(intervals.length * 0.95)] ?? 0,
  };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

await main();
