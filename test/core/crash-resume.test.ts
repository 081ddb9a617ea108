import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import { writePhoto } from '../fixtures/colour-library';
import { inspectLibrary, snapshotLibrary } from '../fixtures/library-inspection';
import { seededRandom } from '../../src-main/core/seeded-random';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const RUNS = 20;
const PHOTOS = 48;
const child = fileURLToPath(new URL('../fixtures/index-child.ts', import.meta.url));

/**
 * Starts the indexing child and SIGKILLs it `delayMs` after it reports its first examined batch.
 * (Counting from the start of the indexing phase, most kills landed before any commit once the
 * image tower's session opened in its worker thread, [Note: Inference off the host's thread].)
 */
function indexAndKill(
  dataDir: string,
  databasePath: string,
  delayMs: number,
): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, databasePath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timer: NodeJS.Timeout | undefined;
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      if (!timer && /indexing [1-9]/.test(chunk.toString()))
        timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`index child failed (${code}): ${stderr}`));
    });
  });
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'crash safety: SIGKILL while indexing',
  () => {
    let work: string;
    let dataDir: string;
    let reference: Map<string, [string, number[]]>;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-crash-'));
      dataDir = path.join(work, 'data');
      const library = path.join(work, 'library');
      for (let i = 0; i < PHOTOS; i++) {
        const hue = (i * 37) % 256;
        await writePhoto(
          library,
          {
            relativePath: `set${i % 4}/p${i}.jpg`,
            colour: 'red',
            rgb: [hue, 255 - hue, (i * 91) % 256],
          },
          { width: 1024, height: 768 },
        );
      }
      await buildSyntheticModel(path.join(work, 'model'));
      const core = createCore({ dataDir, databasePath: path.join(work, 'clean.db') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      await core.index();
      await core.dispose();
      reference = snapshotLibrary(path.join(work, 'clean.db'));
      expect(reference.size).toBe(PHOTOS);
    }, 120_000);

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it(`resumes after ${RUNS} random kills without corruption or re-embedding`, async () => {
      const random = seededRandom(20261121); // a failing run repeats with the same kill moments
      const outcomes: string[] = [];
      let killedMidway = 0;
      for (let run = 0; run < RUNS; run++) {
        const databasePath = path.join(work, `run-${run}.db`);
        // Each run's database starts as a copy of the library registration: add the folder again.
        const setup = createCore({ dataDir, databasePath });
        await setup.addFolder(path.join(work, 'library'));
        await setup.dispose();

        const delay = Math.floor(random() * 400);
        outcomes.push(`${delay} ms: ${await indexAndKill(dataDir, databasePath, delay)}`);

        const afterKill = inspectLibrary(databasePath);
        if (afterKill.photos > 0 && afterKill.photos < PHOTOS) killedMidway++;
        expect(afterKill.integrity, `run ${run}`).toBe('ok');
        expect(afterKill.vectors, `run ${run}: a photo without its vector`).toBe(afterKill.photos);
        expect(afterKill.fingerprints, `run ${run}: a photo without its fingerprint`).toBe(
          afterKill.photos,
        );
        expect(afterKill.orphanFiles, `run ${run}`).toBe(0);

        const resume = createCore({ dataDir, databasePath });
        const report = await resume.index();
        await resume.dispose();
        expect(report.indexed, `run ${run}: finished photos were embedded again`).toBe(
          PHOTOS - afterKill.photos,
        );
        expect(snapshotLibrary(databasePath), `run ${run}`).toEqual(reference);
      }
      // The kills must really land between committed batches, or the test proves nothing.
      expect(killedMidway, outcomes.join('; ')).toBeGreaterThanOrEqual(5);
    }, 300_000);
  },
);
