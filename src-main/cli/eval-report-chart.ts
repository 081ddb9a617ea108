import type { CategoryScores, EvalReport } from '../shared/eval-report';
import { RECALL_KS } from '../shared/eval-report';

/**
 * [Note: Eval chart] The chart is one self-contained HTML file with inline SVG bar charts (per
 * category: find-similar mAP@k, zero-shot accuracy; per model: recall@k), so it opens offline in
 * any browser and can be attached to an issue. Grouped bars on a 0–1 axis are all it needs; a
 * chart library would add a dependency and a script to an otherwise static file.
 */
export function renderEvalChart(report: EvalReport): string {
  const models = report.models.map((model) => model.modelId);
  const perCategory = (pick: (scores: CategoryScores) => number | null) =>
    report.categories.map((category) => ({
      label: category,
      values: report.models.map((model) => {
        const scores = model.categories.find((entry) => entry.category === category);
        return (scores && pick(scores)) ?? Number.NaN;
      }),
    }));
  const charts = [
    barChart(
      `Find-similar mAP@${report.k}`,
      models,
      perCategory((scores) => scores.mapAtK),
    ),
  ];
  // Image-only models have no zero-shot bars (their chart value is NaN: no bar, not a zero).
  if (report.models.some((model) => model.overall.zeroShotAccuracy !== null)) {
    charts.push(
      barChart(
        `Zero-shot accuracy ("${report.prompt}")`,
        models,
        perCategory((scores) => scores.zeroShotAccuracy),
      ),
    );
  }
  if (report.models.some((model) => model.recall)) {
    const groups = RECALL_KS.map((k) => ({
      label: `R@${k}`,
      values: report.models.map((model) => model.recall?.atK[k] ?? Number.NaN),
    }));
    charts.push(barChart('Text → image recall', models, groups));
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Photoseek eval: ${escapeXml(report.folder)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:18px}h2{font-size:15px;margin:24px 0 4px}</style>
</head>
<body>
<h1>Photoseek eval: ${escapeXml(report.folder)}</h1>
${legend(models)}
${charts.join('\n')}
</body>
</html>
`;
}

const COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#9c755f',
];
const BAR = 14;
const GROUP_GAP = 18;
const PLOT_HEIGHT = 180;
const LEFT = 40;
const TOP = 10;
const BOTTOM = 60;
/** Labels are 11 px text turned by LABEL_ANGLE; about this wide per character. */
const LABEL_CHAR_WIDTH = 6.5;
const LABEL_ANGLE = 35;

function colour(index: number): string {
  return COLOURS[index % COLOURS.length]!;
}

function legend(models: readonly string[]): string {
  const items = models.map(
    (model, index) =>
      `<span style="margin-right:16px"><span style="display:inline-block;width:12px;height:12px;background:${colour(index)}"></span> ${escapeXml(model)}</span>`,
  );
  return `<p>${items.join('')}</p>`;
}

function barChart(
  title: string,
  models: readonly string[],
  groups: readonly { label: string; values: number[] }[],
): string {
  const groupWidth = models.length * BAR + GROUP_GAP;
  // Room for the longest turned label below the plot and, for the first groups, to its left,
  // so that no category name is cut off however long it is.
  const longest = Math.max(0, ...groups.map((group) => group.label.length)) * LABEL_CHAR_WIDTH;
  const radians = (LABEL_ANGLE * Math.PI) / 180;
  const bottom = Math.max(BOTTOM, Math.ceil(20 + longest * Math.sin(radians)));
  const left = Math.max(LEFT, Math.ceil(longest * Math.cos(radians) - groupWidth / 2 + 8));
  const width = left + groups.length * groupWidth + 10;
  const height = TOP + PLOT_HEIGHT + bottom;
  const y = (value: number) => TOP + PLOT_HEIGHT * (1 - value);
  const grid = [0, 0.25, 0.5, 0.75, 1].map(
    (tick) =>
      `<line x1="${left}" x2="${width}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>` +
      `<text x="${left - 4}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick.toFixed(2)}</text>`,
  );
  const bars = groups.flatMap((group, groupIndex) => {
    const x0 = left + groupIndex * groupWidth + GROUP_GAP / 2;
    const label = `<text transform="translate(${x0 + (models.length * BAR) / 2},${TOP + PLOT_HEIGHT + 12}) rotate(-35)" text-anchor="end" font-size="11">${escapeXml(group.label)}</text>`;
    const rects = group.values.map((value, modelIndex) => {
      const shown = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
      const tip = `${group.label}, ${models[modelIndex]}: ${Number.isFinite(value) ? value.toFixed(3) : 'n/a'}`;
      return `<rect x="${x0 + modelIndex * BAR}" y="${y(shown)}" width="${BAR - 2}" height="${PLOT_HEIGHT * shown}" fill="${colour(modelIndex)}"><title>${escapeXml(tip)}</title></rect>`;
    });
    return [...rects, label];
  });
  return `<h2>${escapeXml(title)}</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">
${[...grid, ...bars].join('\n')}
</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
