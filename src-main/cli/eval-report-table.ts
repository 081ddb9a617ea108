import type { EvalReport } from '../shared/eval-report';
import { RECALL_KS } from '../shared/eval-report';

/**
 * The eval report as Markdown tables, models side by side: per category find-similar mAP@k and
 * zero-shot accuracy, then text→image recall when captions were given.
 */
export function formatEvalReport(report: EvalReport): string {
  const lines = [
    `Find-similar mAP@${report.k} and zero-shot accuracy ("${report.prompt}") on ${report.folder}`,
    '',
    `| category | photos | ${report.models.map((model) => `${model.modelId} mAP@${report.k} | ${model.modelId} zero-shot`).join(' | ')} |`,
    `|---|---:|${report.models.map(() => '---:|---:').join('|')}|`,
    ...report.categories.map((category) => {
      const cells = report.models.map((model) => {
        const scores = model.categories.find((entry) => entry.category === category);
        return `${score(scores?.mapAtK)} | ${zeroShot(scores?.zeroShotAccuracy)}`;
      });
      const photos =
        report.models[0]?.categories.find((entry) => entry.category === category)?.photos ?? 0;
      return `| ${category} | ${photos} | ${cells.join(' | ')} |`;
    }),
    `| **all** | ${report.models[0]?.photos ?? 0} | ${report.models
      .map(
        (model) => `${score(model.overall.mapAtK)} | ${zeroShot(model.overall.zeroShotAccuracy)}`,
      )
      .join(' | ')} |`,
  ];
  const withRecall = report.models.filter((model) => model.recall !== null);
  if (withRecall.length > 0) {
    lines.push(
      '',
      `Text → image recall (${withRecall[0]!.recall!.captions} captions${report.unmatchedCaptions > 0 ? `, ${report.unmatchedCaptions} not matching an indexed photo` : ''})`,
      '',
      `| model | ${RECALL_KS.map((k) => `R@${k}`).join(' | ')} |`,
      `|---|${RECALL_KS.map(() => '---:').join('|')}|`,
      ...withRecall.map(
        (model) =>
          `| ${model.modelId} | ${RECALL_KS.map((k) => score(model.recall!.atK[k])).join(' | ')} |`,
      ),
    );
  }
  return lines.join('\n');
}

/** "no text tower" rather than a zero for an image-only model. */
function zeroShot(value: number | null | undefined): string {
  return value === null ? 'no text tower' : score(value);
}

function score(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(3);
}
