/**
 * KNN benchmark of the vector index (src-main/core/vectors/vector-index.ts) against a brute-force
 * reference and sqlite-vec's plain vec0 float exact scan.
 *
 *   npx tsx bench/knn.bench.ts [--sizes 10000,100000] [--queries 200] [--k 20] [--json out.json]
 *
 * Per size: build time and database bytes; search p50 / p95 and recall@k for image queries
 * (find-similar) and text queries, with no filter, a directory filter (~10% of photos) and a date
 * range (~10%); the time of the first search after reopening (it loads the in-memory codes); the
 * vec0 float[dim] baseline on at most BASELINE_QUERIES queries per kind. Data: bench/lib/
 * clustered-embeddings.ts. Databases are on-disk files in os.tmpdir(), opened like the app's
 * (store/database.ts: page size, WAL, sqlite-vec), deleted afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src-main/core/store/database';
import { VectorIndex, type VectorFilter } from '../src-main/core/vectors/vector-index';
import { ClusteredEmbeddings } from './lib/clustered-embeddings';
import { dotProducts, topK } from './lib/exact-top-k';
import { percentile } from './lib/percentile';

const DIM = 512;
const MODEL_ID = 'bench-clip-512';
const BATCH = 1000;
const DIRECTORIES = 200;
const FILTER_DIRECTORIES = 20;
const UNDATED_SHARE = 0.05;
const DATES = [Date.UTC(2010, 0, 1), Date.UTC(2025, 0, 1)] as const;
const DATE_FILTER = { after: Date.UTC(2020, 0, 1), before: Date.UTC(2021, 6, 1) };
const BASELINE_QUERIES = 20;
const FLAT_SCAN = "rclip's flat scan";
/** Queries scored per pass over the vectors when computing the brute-force reference. */
const REFERENCE_BATCH = 16;

interface Library {
  size: number;
  vectors: Float32Array;
  dirIds: Int32Array;
  /** NaN: no date. */
  takenAt: Float64Array;
}

interface Query {
  kind: 'image' | 'text';
  vector: Float32Array;
}

interface FilterCase {
  name: string;
  filter: VectorFilter;
  accept: (row: number) => boolean;
}

interface CaseResult {
  case: string;
  query: Query['kind'];
  matching: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of the brute-force top k found. */
  recall: number;
}

interface SizeResult {
  size: number;
  buildMs: number;
  dbBytes: number;
  firstSearchMs: number;
  /** The first search after reopening again: the codes read from their snapshot file. */
  snapshotSearchMs: number;
  baselineBuildMs: number;
  baselineDbBytes: number;
  cases: CaseResult[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      queries: { type: 'string', default: '200' },
      k: { type: 'string', default: '20' },
      json: { type: 'string' },
    },
  });
  const sizes = values.sizes.split(',').map((size) => parsePositive(size, '--sizes'));
  const queryCount = parsePositive(values.queries, '--queries');
  const k = parsePositive(values.k, '--k');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'photoseek-knn-bench-'));
  console.log(
    `KNN bench: dim ${DIM}, k ${k}, ${queryCount} queries per kind, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  try {
    const results: SizeResult[] = [];
    for (const size of sizes) results.push(await benchSize(size, queryCount, k, workDir));
    printTables(results, k);
    if (values.json) {
      fs.writeFileSync(values.json, JSON.stringify({ dim: DIM, k, queryCount, results }, null, 2));
      console.log(`\nWrote ${values.json}`);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function benchSize(
  size: number,
  queryCount: number,
  k: number,
  workDir: string,
): Promise<SizeResult> {
  const started = performance.now();
  const generator = new ClusteredEmbeddings({ dim: DIM, seed: size });
  const library = generateLibrary(size, generator);
  const queries = generateQueries(library, generator, queryCount);
  log(size, `generated data in ${seconds(performance.now() - started)}`);

  const dbFile = path.join(workDir, `index-${size}.db`);
  const buildMs = buildIndex(dbFile, library);
  log(size, `built the index in ${seconds(buildMs)}`);

  const cases = filterCases(library);
  const referenceStarted = performance.now();
  const references = referenceTopKs(library, queries, cases, k);
  log(
    size,
    `computed the brute-force references in ${seconds(performance.now() - referenceStarted)}`,
  );

  const db = openDatabase(dbFile);
  const results: CaseResult[] = [];
  let firstSearchMs: number;
  try {
    const index = VectorIndex.open(db, MODEL_ID, DIM);
    const firstStarted = performance.now();
    index.search(queries[0]!.vector, k);
    firstSearchMs = performance.now() - firstStarted;
    for (const filterCase of cases) {
      for (const kind of ['image', 'text'] as const) {
        const selected = queries
          .map((query, i) => ({ query, reference: references.get(filterCase.name)![i]! }))
          .filter(({ query }) => query.kind === kind);
        const ours: Method = {
          name: filterCase.name,
          search: (vector) =>
            index.search(vector, k, filterCase.filter).map((hit) => hit.photoId - 1),
        };
        const unfiltered = filterCase.name === 'none';
        results.push(
          ...measure(filterCase, kind, selected, library, [
            ours,
            ...(unfiltered ? [flatScan(library, k)] : []),
          ]),
        );
      }
    }
    // Closing writes the snapshot of the codes ([Note: Snapshot written off the search path]).
    await index.dispose();
  } finally {
    db.close();
  }
  const snapshotSearchMs = firstSearchFromSnapshot(dbFile, queries[0]!.vector, k);
  const dbBytes = fileBytes(dbFile);

  const baseline = benchBaseline(
    path.join(workDir, `baseline-${size}.db`),
    library,
    queries,
    references.get('none')!,
    k,
  );
  results.push(...baseline.cases);
  log(size, `done in ${seconds(performance.now() - started)}`);
  return {
    size,
    buildMs,
    dbBytes,
    firstSearchMs,
    snapshotSearchMs,
    baselineBuildMs: baseline.buildMs,
    baselineDbBytes: baseline.dbBytes,
    cases: results,
  };
}

/** [Note: Snapshot of the in-memory codes]: what a start after the first one costs. */
function firstSearchFromSnapshot(dbFile: string, query: Float32Array, k: number): number {
  const db = openDatabase(dbFile);
  try {
    const index = VectorIndex.open(db, MODEL_ID, DIM);
    const started = performance.now();
    index.search(query, k);
    const ms = performance.now() - started;
    if (index.codesLoadedFrom() !== 'snapshot') throw new Error('the snapshot was not used');
    return ms;
  } finally {
    db.close();
  }
}

function generateLibrary(size: number, generator: ClusteredEmbeddings): Library {
  const library: Library = {
    size,
    vectors: new Float32Array(size * DIM),
    dirIds: new Int32Array(size),
    takenAt: new Float64Array(size),
  };
  for (let row = 0; row < size; row++) {
    const photo = generator.nextPhoto();
    library.vectors.set(photo.embedding, row * DIM);
    // Folders follow content a little (a trip, an event): each cluster lands in two folders.
    library.dirIds[row] = (photo.cluster * 2 + (generator.uniform() < 0.5 ? 0 : 1)) % DIRECTORIES;
    library.takenAt[row] =
      generator.uniform() < UNDATED_SHARE
        ? Number.NaN
        : Math.floor(DATES[0] + generator.uniform() * (DATES[1] - DATES[0]));
  }
  return library;
}

function generateQueries(library: Library, generator: ClusteredEmbeddings, count: number): Query[] {
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(generator.uniform() * library.size);
    queries.push({
      kind: 'image',
      vector: generator.imageQueryNear(library.vectors.subarray(row * DIM, (row + 1) * DIM)),
    });
    queries.push({ kind: 'text', vector: generator.textQuery() });
  }
  return queries;
}

function filterCases(library: Library): FilterCase[] {
  const dirIds = Array.from(
    { length: FILTER_DIRECTORIES },
    (_, i) => i * (DIRECTORIES / FILTER_DIRECTORIES),
  );
  const allowedDirs = new Set(dirIds);
  return [
    { name: 'none', filter: {}, accept: () => true },
    {
      name: `dirs (${FILTER_DIRECTORIES}/${DIRECTORIES})`,
      filter: { dirIds },
      accept: (row) => allowedDirs.has(library.dirIds[row]!),
    },
    {
      name: 'date range',
      filter: DATE_FILTER,
      accept: (row) =>
        library.takenAt[row]! >= DATE_FILTER.after && library.takenAt[row]! < DATE_FILTER.before,
    },
  ];
}

/** Photo ids are row + 1. */
function buildIndex(dbFile: string, library: Library): number {
  const db = openDatabase(dbFile);
  try {
    const started = performance.now();
    const index = VectorIndex.open(db, MODEL_ID, DIM);
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let row = from; row < to; row++) {
        const takenAt = library.takenAt[row]!;
        index.upsert(row + 1, library.vectors.subarray(row * DIM, (row + 1) * DIM), {
          dirId: library.dirIds[row]!,
          takenAt: Number.isNaN(takenAt) ? null : takenAt,
        });
      }
    });
    for (let from = 0; from < library.size; from += BATCH)
      insertBatch(from, Math.min(library.size, from + BATCH));
    return performance.now() - started;
  } finally {
    db.close();
  }
}

/** Reference top-k rows per filter case, per query (same order as `queries`). */
function referenceTopKs(
  library: Library,
  queries: readonly Query[],
  cases: readonly FilterCase[],
  k: number,
): Map<string, number[][]> {
  const references = new Map(cases.map((filterCase) => [filterCase.name, [] as number[][]]));
  const scores = Array.from({ length: REFERENCE_BATCH }, () => new Float32Array(library.size));
  for (let from = 0; from < queries.length; from += REFERENCE_BATCH) {
    const batch = queries.slice(from, from + REFERENCE_BATCH).map((query) => query.vector);
    dotProducts(library.vectors, DIM, batch, scores);
    batch.forEach((_, i) => {
      for (const filterCase of cases) {
        references.get(filterCase.name)!.push(topK(scores[i]!, k, filterCase.accept));
      }
    });
  }
  return references;
}

interface Method {
  /** The case name in the tables: the filter's, or the baseline's. */
  name: string;
  search: (vector: Float32Array) => number[];
  /** Time it on the first this many queries only (a slow baseline). */
  queries?: number;
}

/**
 * Times the methods query by query, in turn on the same vector, so that the load of the moment
 * hits them alike: their ratio is what a shared machine can measure.
 */
function measure(
  filterCase: FilterCase,
  kind: Query['kind'],
  selected: readonly { query: Query; reference: number[] }[],
  library: Library,
  methods: readonly Method[],
): CaseResult[] {
  for (const method of methods) method.search(selected[0]!.query.vector);
  const tallies = methods.map(() => ({ timings: [] as number[], found: 0, expected: 0 }));
  selected.forEach(({ query, reference }, at) => {
    const wanted = new Set(reference);
    methods.forEach((method, m) => {
      if (at >= (method.queries ?? Infinity)) return;
      const started = performance.now();
      const rows = method.search(query.vector);
      tallies[m]!.timings.push(performance.now() - started);
      tallies[m]!.found += rows.filter((row) => wanted.has(row)).length;
      tallies[m]!.expected += reference.length;
    });
  });
  let matching = 0;
  for (let row = 0; row < library.size; row++) if (filterCase.accept(row)) matching++;
  return methods.map((method, m) => {
    const { timings, found, expected } = tallies[m]!;
    return {
      case: method.name,
      query: kind,
      matching,
      queries: timings.length,
      p50Ms: percentile(timings, 50),
      p95Ms: percentile(timings, 95),
      recall: expected === 0 ? 1 : found / expected,
    };
  });
}

/**
 * rclip's method: every float32 embedding in one in-memory matrix, a dot product with each and
 * the top k (bench/lib/exact-top-k.ts; plain JavaScript, numpy is not installed here).
 */
function flatScan(library: Library, k: number): Method {
  const scores = [new Float32Array(library.size)];
  return {
    name: FLAT_SCAN,
    queries: BASELINE_QUERIES,
    search: (vector) => {
      dotProducts(library.vectors, DIM, [vector], scores);
      return topK(scores[0]!, k);
    },
  };
}

function benchBaseline(
  dbFile: string,
  library: Library,
  queries: readonly Query[],
  references: readonly number[][],
  k: number,
): { buildMs: number; dbBytes: number; cases: CaseResult[] } {
  const db = openDatabase(dbFile);
  let measured: { buildMs: number; cases: CaseResult[] };
  try {
    const started = performance.now();
    db.exec(
      `CREATE VIRTUAL TABLE baseline USING vec0(photo_id INTEGER PRIMARY KEY, embedding float[${DIM}] distance_metric=cosine)`,
    );
    const insert = db.prepare('INSERT INTO baseline (photo_id, embedding) VALUES (?, ?)');
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let row = from; row < to; row++) {
        const vector = library.vectors.subarray(row * DIM, (row + 1) * DIM);
        insert.run(
          BigInt(row + 1),
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        );
      }
    });
    for (let from = 0; from < library.size; from += BATCH)
      insertBatch(from, Math.min(library.size, from + BATCH));
    const buildMs = performance.now() - started;
    const knn = db.prepare<[Buffer, number], { photo_id: number }>(
      'SELECT photo_id FROM baseline WHERE embedding MATCH ? AND k = ?',
    );
    const all = { name: 'vec0 float exact', filter: {}, accept: () => true };
    const cases = (['image', 'text'] as const).map((kind) => {
      const selected = queries
        .map((query, i) => ({ query, reference: references[i]! }))
        .filter(({ query }) => query.kind === kind)
        .slice(0, BASELINE_QUERIES);
      return measure(all, kind, selected, library, [
        {
          name: all.name,
          search: (vector) =>
            knn
              .all(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), k)
              .map((row) => row.photo_id - 1),
        },
      ])[0]!;
    });
    measured = { buildMs, cases };
  } finally {
    db.close();
  }
  return { ...measured, dbBytes: fileBytes(dbFile) };
}

/** The database with its WAL and shared-memory files (closing checkpoints the WAL). */
function fileBytes(file: string): number {
  return [file, `${file}-wal`, `${file}-shm`].reduce(
    (total, part) => total + (fs.existsSync(part) ? fs.statSync(part).size : 0),
    0,
  );
}

function printTables(results: readonly SizeResult[], k: number): void {
  console.log(
    '\n| size | index build | index DB | first search (codes from SQLite) | first search (codes from snapshot) | vec0 float build | vec0 float DB |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.size} | ${seconds(r.buildMs)} | ${megabytes(r.dbBytes)} | ${r.firstSearchMs.toFixed(0)} ms | ${r.snapshotSearchMs.toFixed(0)} ms | ${seconds(r.baselineBuildMs)} | ${megabytes(r.baselineDbBytes)} |`,
    );
  }
  console.log(`\n| size | case | matching | query | queries | p50 ms | p95 ms | recall@${k} |`);
  console.log('|---:|---|---:|---|---:|---:|---:|---:|');
  for (const r of results) {
    for (const c of r.cases) {
      console.log(
        `| ${r.size} | ${c.case} | ${c.matching} | ${c.query} | ${c.queries} | ${c.p50Ms.toFixed(1)} | ${c.p95Ms.toFixed(1)} | ${c.recall.toFixed(4)} |`,
      );
    }
  }
  console.log(`\nSpeed-up over ${FLAT_SCAN}, unfiltered, p50 (both timed query by query in turn):`);
  for (const r of results) {
    for (const kind of ['image', 'text'] as const) {
      const p50 = (name: string) =>
        r.cases.find((c) => c.case === name && c.query === kind)?.p50Ms ?? Number.NaN;
      console.log(`[${r.size}] ${kind}: ${(p50(FLAT_SCAN) / p50('none')).toFixed(1)} ×`);
    }
  }
}

function parsePositive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} expects positive whole numbers, got "${text}"`);
  return value;
}

function log(size: number, message: string): void {
  console.log(`[${size}] ${message}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

await main();
