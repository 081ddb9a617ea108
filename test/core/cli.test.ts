import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMAND_LINE_BYTES } from '../../src-main/cli/command-line-size';
import { openDatabase } from '../../src-main/core/store/database';
import { JOB_PRIORITY, JobQueue } from '../../src-main/core/store/job-queue';
import type { Failure, SearchHit } from '../../src-main/shared/types';
import { COLOUR_LIBRARY, writeColourLibrary } from '../fixtures/colour-library';
import { STACK_FRAME } from '../fixtures/photoseek-cli';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/photoseek.mjs', import.meta.url));
/** Preload that rejects a promise nobody awaits once the CLI has installed its handlers. */
const rejectLater = fileURLToPath(
  new URL('../fixtures/reject-after-cli-handlers.mjs', import.meta.url),
);

/** Exactly one line on stderr, no stack frame: what every CLI failure must look like. */
function oneLine(stderr: string): string {
  expect(stderr).not.toMatch(STACK_FRAME);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** The CLI as a user runs it: a separate process, through the bin launcher. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('photoseek CLI', () => {
  let work: string;
  let library: string;
  let photoseek: (...args: string[]) => Promise<{ stdout: string; stderr: string; code: number }>;
  let photoseekWith: (
    env: NodeJS.ProcessEnv,
    ...args: string[]
  ) => Promise<{ stdout: string; stderr: string; code: number }>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-cli-'));
    library = path.join(work, 'photos');
    await writeColourLibrary(library);
    await writeFile(path.join(library, 'broken.jpg'), 'not a jpeg at all');
    await buildSyntheticModel(path.join(work, 'model'));
    photoseek = async (...args) => photoseekWith({}, ...args);
    photoseekWith = async (env, ...args) => {
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          [cli, '--data-dir', path.join(work, 'data'), ...args],
          {
            env: { ...process.env, ...env },
            maxBuffer: 1 << 24,
          },
        );
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
    expect(result.stderr).toMatch(
      /^photoseek: No model is installed yet\. Run `photoseek models download`/,
    );
  });

  it('adds a model, indexes with progress, searches, finds similar and lists failures', async () => {
    expect((await photoseek('models', 'add', path.join(work, 'model'))).stdout).toMatch(
      /Added Synthetic colour model/,
    );
    const indexed = await photoseek('index', library);
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(new RegExp(`${COLOUR_LIBRARY.length} indexed.*1 failed`));
    expect(indexed.stderr).toMatch(/img\/s/);

    const search = await photoseek('--json', 'search', 'red', '--limit', '4');
    const hits = JSON.parse(search.stdout) as SearchHit[];
    expect(hits.map((hit) => path.basename(path.dirname(hit.path)))).toEqual([
      'red',
      'red',
      'red',
      'red',
    ]);

    const text = await photoseek('search', 'green', '--limit', '2');
    expect(text.stdout).toMatch(/score[\s\S]*green\/g\d\.jpg/);

    const similar = await photoseek(
      '--json',
      'similar',
      path.join(library, 'blue/nested/b1.png'),
      '--limit',
      '2',
    );
    expect(
      (JSON.parse(similar.stdout) as SearchHit[]).every((hit) => hit.path.includes('blue')),
    ).toBe(true);
    const byId = await photoseek('--json', 'similar', `#${hits[0]!.photoId}`, '--limit', '3');
    expect((JSON.parse(byId.stdout) as SearchHit[]).every((hit) => hit.path.includes('red'))).toBe(
      true,
    );
    const reds = hits.filter((hit) => hit.path.includes('red')).slice(0, 2);
    expect(reds).toHaveLength(2);
    const moreLikeThese = JSON.parse(
      (
        await photoseek(
          '--json',
          'similar',
          ...reds.map((hit) => `#${hit.photoId}`),
          '--limit',
          '2',
        )
      ).stdout,
    ) as SearchHit[];
    expect(moreLikeThese).toHaveLength(2);
    expect(moreLikeThese.every((hit) => hit.path.includes('red'))).toBe(true);
    expect(moreLikeThese.map((hit) => hit.photoId)).not.toContain(reds[0]!.photoId);
    expect(moreLikeThese.map((hit) => hit.photoId)).not.toContain(reds[1]!.photoId);

    const failures = JSON.parse((await photoseek('--json', 'failures')).stdout) as Failure[];
    expect(failures).toEqual([
      expect.objectContaining({ path: path.join(library, 'broken.jpg'), stage: 'decode' }),
    ]);
    expect((await photoseek('status')).stdout).toMatch(
      new RegExp(`Photos:\\s+${COLOUR_LIBRARY.length}`),
    );
  }, 120_000);

  it('answers bad arguments with one clear line and exit code 2', async () => {
    const badLimit = await photoseek('search', 'red', '--limit', 'many');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr.trim().split('\n')[0]).toMatch(/^photoseek: .*--limit.*whole number/);
    const badDate = await photoseek('search', 'red', '--after', 'yesterday');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/date like 2021-06-30/);
    const unknownFolder = await photoseek(
      'search',
      'red',
      '--folder',
      path.join(work, 'elsewhere'),
    );
    expect(unknownFolder.code).toBe(2);
    expect(unknownFolder.stderr).toMatch(/is not in the library/);
    const missing = await photoseek('similar', path.join(work, 'missing.jpg'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/neither an image file nor a photo id/);
  }, 60_000);

  it('refuses a 40 KB query or command line with one clear line instead of crashing in onnxruntime', async () => {
    const query = await photoseek('search', 'a'.repeat(40_000));
    expect(query.code).toBe(2); // not 139 (SIGSEGV)
    expect(oneLine(query.stderr)).toMatch(
      /^photoseek: The query is 40,000 characters long; Photoseek takes at most 1,000\./,
    );

    const folder = await photoseek('search', 'red', '--folder', `/${'x'.repeat(40_000)}`);
    expect(folder.code).toBe(2);
    expect(oneLine(folder.stderr)).toMatch(
      /^photoseek: The command line is 39\.\d KiB; Photoseek takes at most 12 KiB/,
    );

    // Just under the limit the model loads and the search runs: the limit sits below the crash.
    const folders: string[] = [];
    const bytes = (args: string[]): number =>
      args.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, 0);
    const fixed = [
      process.execPath,
      cli,
      '--data-dir',
      path.join(work, 'data'),
      '--json',
      'search',
      'red',
    ];
    while (bytes([...fixed, ...folders, '--folder', library]) < MAX_COMMAND_LINE_BYTES - 64)
      folders.push('--folder', library);
    const near = await photoseek('--json', 'search', 'red', ...folders);
    expect(near.code).toBe(0);
    expect((JSON.parse(near.stdout) as SearchHit[]).length).toBeGreaterThan(0);
  }, 60_000);

  it('reads a word starting with "-" as a negative term, and asks for a positive one when there is none', async () => {
    const colours = async (...args: string[]): Promise<string[]> => {
      const result = await photoseek('--json', 'search', ...args);
      expect(result.stderr).toBe('');
      return (JSON.parse(result.stdout) as SearchHit[]).map((hit) =>
        path.basename(path.dirname(hit.path)),
      );
    };
    expect(await colours('red', '-blue', '--limit', '4')).toEqual(['red', 'red', 'red', 'red']);
    expect(await colours('-green', 'red', '-n', '2')).toEqual(['red', 'red']);
    expect(await colours('-n2', 'red')).toEqual(['red', 'red']); // an attached value is still the option
    expect(await colours('--limit', '3', '--', 'green', '-red')).toEqual([
      'green',
      'green',
      'green',
    ]);

    for (const args of [['-red'], ['-'], ['--', '-red'], ['-hat']]) {
      const onlyNegative = await photoseek('search', ...args);
      expect(onlyNegative.code).toBe(2);
      expect(oneLine(onlyNegative.stderr)).toMatch(
        /^photoseek: Type what to look for, e\.g\. "dog on a beach"/,
      );
    }
  }, 60_000);

  it('shows queued work in status', async () => {
    const db = openDatabase(path.join(work, 'data', 'library.db'));
    const folderId = (db.prepare('SELECT id FROM folders').get() as { id: number }).id;
    const jobs = ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({
      path: path.join(library, 'queued', name),
      folderId,
      kind: 'index' as const,
      priority: JOB_PRIORITY.backfill,
    }));
    new JobQueue(db).enqueue(jobs);
    db.close();
    const status = await photoseek('status');
    expect(status.stdout).toMatch(
      /^Queue:\s+3 files waiting — run `photoseek index` or `photoseek watch`/m,
    );
    await photoseek('index'); // drains the queue (the files do not exist)
    expect((await photoseek('status')).stdout).toMatch(/^Queue:\s+empty/m);
  }, 60_000);

  it('names the model and the missing file when a model folder lost one', async () => {
    const dataDir = path.join(work, 'data-broken-model');
    const modelDir = path.join(work, 'model-copy');
    await cp(path.join(work, 'model'), modelDir, { recursive: true });
    const own = (...args: string[]) => photoseek('--data-dir', dataDir, ...args);
    expect((await own('models', 'add', modelDir)).code).toBe(0);
    await rm(path.join(modelDir, 'text.onnx'));

    const search = await own('search', 'red');
    expect(search.code).toBe(1);
    const line = oneLine(search.stderr);
    expect(line).toContain(
      'Model "Synthetic colour model (tests)" (synthetic-colour) cannot be used',
    );
    expect(line).toContain(`its folder ${modelDir} is missing text.onnx`);
    expect(line).toContain(`photoseek models add ${modelDir}`);
    expect((await own('status')).stdout).toMatch(
      /^Model:\s+Model "Synthetic colour model \(tests\)".*missing text\.onnx/m,
    );
  }, 60_000);

  it('reports a promise rejection nobody awaited as one line, without a stack trace', async () => {
    const result = await photoseekWith(
      { NODE_OPTIONS: `--import=${rejectLater}` },
      '--db',
      path.join(work, 'rejection.db'),
      'status',
    );
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe('photoseek: boom from a callback nobody awaited');
  }, 60_000);
});
