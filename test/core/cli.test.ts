import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Failure, SearchHit } from '../../src-main/shared/types';
import { COLOUR_LIBRARY, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/photoseek.mjs', import.meta.url));

/** The CLI as a user runs it: a separate process, through the bin launcher. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('photoseek CLI', () => {
  let work: string;
  let library: string;
  let photoseek: (...args: string[]) => Promise<{ stdout: string; stderr: string; code: number }>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-cli-'));
    library = path.join(work, 'photos');
    await writeColourLibrary(library);
    await writeFile(path.join(library, 'broken.jpg'), 'not a jpeg at all');
    await buildSyntheticModel(path.join(work, 'model'));
    photoseek = async (...args) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [cli, '--data-dir', path.join(work, 'data'), ...args]);
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
      }
    };
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('tells the user to install a model before indexing', async () => {
    const result = await photoseek('index', library);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^photoseek: No model is installed yet\. Run `photoseek models download`/);
  });

  it('adds a model, indexes with progress, searches, finds similar and lists failures', async () => {
    expect((await photoseek('models', 'add', path.join(work, 'model'))).stdout).toMatch(/Added Synthetic colour model/);
    const indexed = await photoseek('index', library);
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(new RegExp(`${COLOUR_LIBRARY.length} indexed.*1 failed`));
    expect(indexed.stderr).toMatch(/img\/s/);

    const search = await photoseek('--json', 'search', 'red', '--limit', '4');
    const hits = JSON.parse(search.stdout) as SearchHit[];
    expect(hits.map((hit) => path.basename(path.dirname(hit.path)))).toEqual(['red', 'red', 'red', 'red']);

    const text = await photoseek('search', 'green', '--limit', '2');
    expect(text.stdout).toMatch(/score[\s\S]*green\/g\d\.jpg/);

    const similar = await photoseek('--json', 'similar', path.join(library, 'blue/nested/b1.png'), '--limit', '2');
    expect((JSON.parse(similar.stdout) as SearchHit[]).every((hit) => hit.path.includes('blue'))).toBe(true);
    const byId = await photoseek('--json', 'similar', `#${hits[0]!.photoId}`, '--limit', '3');
    expect((JSON.parse(byId.stdout) as SearchHit[]).every((hit) => hit.path.includes('red'))).toBe(true);

    const failures = JSON.parse((await photoseek('--json', 'failures')).stdout) as Failure[];
    expect(failures).toEqual([expect.objectContaining({ path: path.join(library, 'broken.jpg'), stage: 'decode' })]);
    expect((await photoseek('status')).stdout).toMatch(new RegExp(`Photos:\\s+${COLOUR_LIBRARY.length}`));
  }, 120_000);

  it('answers bad arguments with one clear line and exit code 2', async () => {
    const badLimit = await photoseek('search', 'red', '--limit', 'many');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr.trim().split('\n')[0]).toMatch(/^photoseek: .*--limit.*whole number/);
    const badDate = await photoseek('search', 'red', '--after', 'yesterday');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/date like 2021-06-30/);
    const unknownFolder = await photoseek('search', 'red', '--folder', path.join(work, 'elsewhere'));
    expect(unknownFolder.code).toBe(2);
    expect(unknownFolder.stderr).toMatch(/is not in the library/);
    const missing = await photoseek('similar', path.join(work, 'missing.jpg'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/neither an image file nor a photo id/);
  }, 60_000);
});
