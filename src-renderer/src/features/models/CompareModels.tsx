import { useState } from 'react';
import type { EvalReport, ModelEval } from '../../../../src-main/shared/eval-report';
import type { ModelCompareProgress, ModelSummary } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDuration } from '../../format';
import type { ModelComparison } from './use-compare-models';

const MAX_COMPARED = 8;

/**
 * Compare models: installed models side by side on a labelled folder the user chose, scored as
 * `photoseek eval` scores them ([Note: Comparing models in the app]): find-similar mAP@k for every
 * model, zero-shot accuracy for those with a text tower, and how long embedding took.
 */
export function CompareModels({
  installed,
  comparison,
}: {
  installed: ModelSummary[];
  comparison: ModelComparison;
}) {
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const chosen = installed.filter((model) => !unticked.has(model.id)).slice(0, MAX_COMPARED);
  const { folder, running, progress, report, error } = comparison;

  function toggle(modelId: string) {
    setUnticked((previous) => {
      const next = new Set(previous);
      if (!next.delete(modelId)) next.add(modelId);
      return next;
    });
  }

  return (
    <section className="compare-models" aria-labelledby="compare-models-title">
      <h3 id="compare-models-title">Compare models on your photos</h3>
      <p className="drawer-intro">
        Use a folder you sorted: one subfolder of photos per category (Dogs, Beaches, …). Each model
        embeds it and is scored on how often a photo&apos;s most similar photos share its category.
        Everything runs here; the folder is embedded in a temporary place and left as it was.
      </p>
      <div className="compare-models-form">
        <div className="button-row">
          <button
            type="button"
            className="button button-small"
            disabled={running}
            onClick={comparison.chooseFolder}
          >
            <Icon name="folder" /> {folder ? 'Choose another folder…' : 'Choose labelled folder…'}
          </button>
        </div>
        {folder && (
          <p className="compare-models-folder" title={folder}>
            {folder}
          </p>
        )}
        <fieldset className="compare-models-choices" disabled={running}>
          <legend>Models to compare</legend>
          {installed.map((model) => (
            <label key={model.id} className="compare-models-choice">
              <input
                type="checkbox"
                checked={!unticked.has(model.id)}
                onChange={() => toggle(model.id)}
              />
              {model.name}
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={!folder || chosen.length === 0 || running}
            onClick={() => {
              if (folder && chosen.length > 0 && !running)
                comparison.compare(chosen.map((model) => model.id));
            }}
          >
            Compare {chosen.length === 1 ? '1 model' : `${chosen.length} models`}
          </button>
        </div>
        {!folder && <p className="drawer-note">Choose a labelled folder first.</p>}
      </div>
      {running && <ComparisonProgress progress={progress} />}
      {error && <ErrorMessage title="The comparison did not finish" message={error} />}
      {report && <ComparisonReport report={report} />}
    </section>
  );
}

function ComparisonProgress({ progress }: { progress: ModelCompareProgress | null }) {
  const label = !progress
    ? 'Starting…'
    : `${progress.phase === 'embedding' ? 'Embedding' : 'Scoring'} with ${progress.modelId} (model ${progress.modelIndex + 1} of ${progress.models})` +
      (progress.phase === 'embedding' ? `: ${progress.done} of ${progress.total} photos` : '');
  return (
    <div className="compare-models-progress" aria-live="polite">
      <p className="drawer-note">{label}</p>
      <ProgressBar
        value={progress?.phase === 'embedding' ? progress.done : 0}
        total={progress?.phase === 'embedding' ? progress.total : null}
        label="Model comparison"
      />
    </div>
  );
}

function ComparisonReport({ report }: { report: EvalReport }) {
  const bestMap = best(report.models.map((model) => model.overall.mapAtK));
  const bestZeroShot = best(report.models.map((model) => model.overall.zeroShotAccuracy));
  return (
    <div className="compare-models-report">
      <table className="compare-table">
        <caption>
          {report.categories.length} categories in {report.folder}
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Find similar (mAP@{report.k})</th>
            <th scope="col">Names categories (zero-shot)</th>
            <th scope="col">Embedding took</th>
          </tr>
        </thead>
        <tbody>
          {report.models.map((model) => (
            <tr key={model.modelId}>
              <th scope="row">
                {model.modelName}
                <span className="compare-table-photos">{model.photos} photos</span>
              </th>
              <ScoreCell value={model.overall.mapAtK} best={bestMap} />
              {model.overall.zeroShotAccuracy === null ? (
                <td className="compare-table-none">no text tower</td>
              ) : (
                <ScoreCell value={model.overall.zeroShotAccuracy} best={bestZeroShot} />
              )}
              <td>{formatDuration(model.index.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="compare-categories">
        <summary>By category</summary>
        <table className="compare-table">
          <thead>
            <tr>
              <th scope="col">Category</th>
              {report.models.map((model) => (
                <th key={model.modelId} scope="col">
                  {model.modelName}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.categories.map((category) => (
              <tr key={category}>
                <th scope="row">{category}</th>
                {report.models.map((model) => (
                  <td key={model.modelId}>{formatShare(categoryMap(model, category))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

function ScoreCell({ value, best }: { value: number; best: number | null }) {
  const isBest = best !== null && value === best;
  return (
    <td className={isBest ? 'compare-table-best' : undefined}>
      {formatShare(value)}
      {isBest && <span className="compare-table-best-label"> best</span>}
    </td>
  );
}

function categoryMap(model: ModelEval, category: string): number | null {
  return model.categories.find((entry) => entry.category === category)?.mapAtK ?? null;
}

/** NaN (no same-category neighbour to find) and missing scores show as a dash. */
function formatShare(value: number | null): string {
  return value === null || Number.isNaN(value) ? '–' : value.toFixed(3);
}

function best(values: (number | null)[]): number | null {
  const scores = values.filter((value): value is number => value !== null && !Number.isNaN(value));
  return scores.length > 1 ? Math.max(...scores) : null;
}
