import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_K, DEFAULT_PROMPT, evaluateModels } from '../core/eval/evaluate';
import { renderEvalChart } from './eval-report-chart';
import { formatEvalReport } from './eval-report-table';
import { defaultDataDir } from '../core/paths';
import { PhotoseekError } from '../shared/errors';
import type { IndexProgress } from '../shared/types';
import { createIndexProgressBar } from './progress-bar';

interface EvalCommandOptions {
  models?: string;
  captions?: string;
  k: number;
  prompt: string;
  chart?: string;
  workDir?: string;
}

/** `--json` aware output of main.ts: data as JSON, or the text for people. */
export type Print = (data: unknown, text: string) => void;

/**
 * `photoseek eval <folder>`: search quality of one or more models on a labelled folder
 * (src-main/core/eval). The folder is indexed into an eval library of its own, never the user's
 * ([Note: Eval library]); models come from the data folder (`--data-dir`).
 */
export function registerEvalCommand(program: Command, print: Print): void {
  program
    .command('eval')
    .description(
      'measure search quality on a labelled folder (one subfolder per category): find-similar mAP@k, zero-shot accuracy and, with captions, text→image recall; several models side by side',
    )
    .argument('<folder>', 'labelled photos: <folder>/<category>/<photo>')
    .option(
      '--models <ids>',
      'comma-separated installed model ids to compare (default: the active model)',
    )
    .option(
      '--captions <csv>',
      'CSV with "path" and "caption" columns (paths relative to the CSV) for Recall@1/5/10',
    )
    .addOption(
      new Option('-k <n>', 'k of find-similar mAP@k')
        .default(DEFAULT_K)
        .argParser(parsePositiveInt),
    )
    .option('--prompt <text>', 'zero-shot prompt; {category} is the folder name', DEFAULT_PROMPT)
    .option('--chart <file>', 'also write an HTML file with bar charts of the scores')
    .option(
      '--work-dir <dir>',
      'keep the eval library here and reuse its embeddings next time (default: a temporary folder)',
    )
    .action(async (folder: string, options: EvalCommandOptions) => {
      const globals = program.opts<{ dataDir?: string }>();
      const workDir = options.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'photoseek-eval-')));
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const progress = modelProgress();
      try {
        const report = await evaluateModels({
          dataDir: globals.dataDir ?? defaultDataDir(),
          folder,
          modelIds:
            options.models
              ?.split(',')
              .map((id) => id.trim())
              .filter((id) => id.length > 0) ?? [],
          workDir,
          k: options.k,
          prompt: options.prompt,
          ...(options.captions ? { captionsFile: options.captions } : {}),
          signal: controller.signal,
          onProgress: progress.update,
          onScoring: (modelId, photos) => {
            progress.stop();
            process.stderr.write(
              `Scoring ${modelId}: ${photos} photos (find-similar${options.captions ? ', captions' : ''}, zero-shot when the model has a text tower)…\n`,
            );
          },
        });
        progress.stop();
        if (options.chart) await writeFile(options.chart, renderEvalChart(report));
        const chartLine = options.chart ? `\n\nChart: ${path.resolve(options.chart)}` : '';
        print(report, formatEvalReport(report) + chartLine);
      } catch (error) {
        progress.stop();
        if (controller.signal.aborted) throw new PhotoseekError('CANCELLED', 'Eval stopped.');
        throw error;
      } finally {
        process.off('SIGINT', stop);
        if (!options.workDir) await rm(workDir, { recursive: true, force: true });
      }
    });
}

/** One indexing progress bar per model, announced on stderr. */
function modelProgress(): { update(modelId: string, progress: IndexProgress): void; stop(): void } {
  let current: { modelId: string; bar: ReturnType<typeof createIndexProgressBar> } | undefined;
  return {
    update(modelId, progress) {
      if (current?.modelId !== modelId) {
        current?.bar.stop();
        process.stderr.write(`Embedding with ${modelId}\n`);
        current = { modelId, bar: createIndexProgressBar() };
      }
      current.bar.update(progress);
    },
    stop() {
      current?.bar.stop();
    },
  };
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  return parsed;
}
