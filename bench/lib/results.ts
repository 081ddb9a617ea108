/**
 * What each bench script writes with --json, read back by bench/run.ts to build
 * docs/benchmarks.md. Rates are images per second; times milliseconds; all are medians of the
 * script's repetitions.
 */
import type { Precision, TextAxis } from './bench-models';
import type { SessionThread } from '../../src-main/core/inference/lazy-session';
import type { MachineInfo } from './machine';

export interface IndexingRow {
  set: string;
  precision: Precision;
  images: number;
  decode: number;
  inference: number;
  /** 1 / (1/decode + 1/inference): [Note: Pipeline limit] in bench/indexing.bench.ts. */
  limit: number;
  pipeline: number;
  /** Null (NaN before JSON) when the set was one batch: no steady state to time. */
  pipelineSteady: number | null;
  ratio: number;
  ratioSteady: number | null;
}

export interface IndexingResult {
  machine: MachineInfo;
  reps: number;
  /**
   * One row per precision and photo set. A set whose name contains "HEIC" is read as the 12 MP
   * HEIC decode figure (bench/lib/targets.ts), one whose name contains "12 MP JPEG" as its JPEG
   * counterpart.
   */
  rows: IndexingRow[];
}

export interface QueryRow {
  size: number;
  precision: Precision;
  queries: number;
  /** The first query of a freshly opened core (text session created, vector codes loaded). */
  firstQueryMs: number;
  e2eP50Ms: number;
  e2eP95Ms: number;
  /** The parts, timed separately on the same queries (bench/lib/query-parts.ts). */
  textP50Ms: number;
  knnP50Ms: number;
  knnP95Ms: number;
  rowsP50Ms: number;
  /** rclip's method (flat scan + top k) on the same query vectors, and KNN's speed-up over it. */
  flatScanP50Ms: number;
  knnSpeedup: number;
  /**
   * The text tower's sequence axis: "dynamic" runs on the real token count ([Note: Bench text
   * tower with a dynamic sequence axis]), "fixed" on 77 positions. Absent in runs before it.
   */
  textAxis?: TextAxis;
}

export interface QueryResult {
  machine: MachineInfo;
  reps: number;
  rows: QueryRow[];
}

/** bench/run.ts runs the query bench at the default 20 hits and at the app's page of 1,000. */
export interface QueryRuns {
  /** Hits per query of each run (`--limit`). */
  k20?: QueryResult;
  k1000?: QueryResult;
}

/** One mode of bench/search-while-indexing.bench.ts: text queries over the RPC, idle and while indexing. */
export interface SearchWhileIndexingMeasurement {
  idleP50Ms: number;
  idleP95Ms: number;
  indexingP50Ms: number;
  indexingP95Ms: number;
  /** The slowest query while indexing. */
  indexingMaxMs: number;
  /** Queries answered while the index run went on. */
  indexingQueries: number;
  /** Images per second of the index run with the queries going on. */
  indexRate: number;
}

export interface SearchWhileIndexingResult {
  machine: MachineInfo;
  reps: number;
  large: number;
  /** Medians over the repetitions, per image-tower thread (worker: the default; this: the host's). */
  summary: Record<SessionThread, SearchWhileIndexingMeasurement>;
  results: Record<SessionThread, SearchWhileIndexingMeasurement[]>;
}

/** The part of bench/knn.bench.ts's --json that the targets read. */
export interface KnnResult {
  k: number;
  queryCount: number;
  results: {
    size: number;
    firstSearchMs: number;
    cases: {
      case: string;
      query: 'image' | 'text';
      p50Ms: number;
      p95Ms: number;
      recall: number;
    }[];
  }[];
}

/** What bench/lib/cold-start-child.ts reports (ms, since its process started). */
export interface ColdStartTimes {
  /** Node start-up and the tsx loader, before any project module. */
  bootMs: number;
  importMs: number;
  /** createCore: database opened and migrated. */
  openMs: number;
  /** Text session created, vector codes loaded, tokenise, text tower, KNN, rows. */
  firstQueryMs: number;
  hits: number;
  restRssMB: number;
}

/** What bench/lib/indexing-memory-child.ts reports. */
export interface IndexingMemory {
  photos: number;
  seconds: number;
  peakRssMB: number;
  restRssMB: number;
  databaseBytes: number;
  thumbnailBytes: number;
}

export interface LibraryResult {
  machine: MachineInfo;
  reps: number;
  size: number;
  /** wallMs: spawning the process → the first result on its stdout. */
  coldStart: ColdStartTimes & { wallMs: number };
  /** The first start after the library was written: no snapshot of the vector codes yet. */
  firstStartMs?: number;
  rescan: { files: number; seconds: number };
  /**
   * A bare directory walk of the same folder (names and types, no stat), timed right after each
   * rescan: what the rescan target compares with.
   */
  walk?: { files: number; seconds: number };
  syntheticBytesPerPhoto: number;
  indexing: IndexingMemory;
}
