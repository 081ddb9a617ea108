import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '../../src-main/core';
import type { Embedder } from '../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { EvalLibrary } from '../../src-main/core/eval/eval-library';
import type { RunOptions } from '../../src-main/core/library/library-service';
import type { IndexProgress, IndexReport } from '../../src-main/shared/types';

export interface PipelineResult {
  images: number;
  seconds: number;
  /** indexed / seconds of the whole run (scan, pipeline fill and drain included). */
  imagesPerSecond: number;
  /**
   * Rate between the first and the last finished batch: the steady state a large library runs
   * at, without the scan and the fill (the first batch waiting for its decodes).
   */
  steadyImagesPerSecond: number;
}

/**
 * Indexes `folder` from scratch through the core (the product's pipeline), then removes it from
 * the library again so the next run starts empty with the same warm model session.
 */
export async function indexFolderOnce(core: Core, folder: string): Promise<PipelineResult> {
  await core.addFolder(folder);
  const marks = batchMarks();
  const report = await core.index({ folders: [folder], onProgress: marks.onProgress });
  await core.removeFolder(folder);
  return result(report, marks.steadyRate());
}

/**
 * Indexes `folder` from scratch with the product's indexer and any embedder and indexer options
 * (bench/pipeline-sweep.ts), in a fresh eval library ([Note: Eval library]) under `workDir`.
 */
export async function indexWithOptions(
  model: InstalledModel,
  embedder: Embedder,
  folder: string,
  workDir: string,
  options: RunOptions,
): Promise<PipelineResult> {
  const dir = await mkdtemp(path.join(workDir, 'pipeline-'));
  const library = EvalLibrary.open(dir);
  try {
    const marks = batchMarks();
    const report = await library.embed(model, embedder, folder, {
      ...options,
      onProgress: marks.onProgress,
    });
    return result(report, marks.steadyRate());
  } finally {
    library.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function result(report: IndexReport, steadyImagesPerSecond: number): PipelineResult {
  if (report.failed > 0) throw new Error(`${report.failed} photos failed to index`);
  return {
    images: report.indexed,
    seconds: report.seconds,
    imagesPerSecond: report.indexed / report.seconds,
    steadyImagesPerSecond,
  };
}

/** Times at which the indexed count grew (progress events, at most a few per second). */
function batchMarks(): { onProgress(progress: IndexProgress): void; steadyRate(): number } {
  const marks: { at: number; indexed: number }[] = [];
  return {
    onProgress(progress) {
      if (progress.indexed > 0 && progress.indexed !== marks.at(-1)?.indexed) {
        marks.push({ at: performance.now(), indexed: progress.indexed });
      }
    },
    steadyRate() {
      const first = marks[0];
      const last = marks.at(-1);
      if (!first || !last || last.at <= first.at) return Number.NaN;
      return (last.indexed - first.indexed) / ((last.at - first.at) / 1000);
    },
  };
}
