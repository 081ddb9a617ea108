/** What a model comparison reports: `photoseek eval` (JSON with --json; tables and chart) and the app's Compare models. */

export const RECALL_KS = [1, 5, 10] as const;

export interface CategoryScores {
  category: string;
  photos: number;
  /** Mean AP@k over the category's photos; NaN when no photo has a same-category neighbour. */
  mapAtK: number;
  /** Null for a model without a text tower ([Note: Image-only models]): no zero-shot at all. */
  zeroShotAccuracy: number | null;
}

export interface RecallScores {
  /** Captions whose photo was indexed (the others are not counted). */
  captions: number;
  /** Recall@k for each k in RECALL_KS. */
  atK: Record<(typeof RECALL_KS)[number], number>;
}

export interface ModelScores {
  photos: number;
  categories: CategoryScores[];
  /** Over all photos (micro average). */
  overall: { mapAtK: number; zeroShotAccuracy: number | null };
  recall: RecallScores | null;
}

export interface ModelEval extends ModelScores {
  modelId: string;
  modelName: string;
  /** What indexing the folder with this model did (embedded, unchanged, failed…). */
  index: { indexed: number; unchanged: number; failed: number; seconds: number };
}

export interface EvalReport {
  folder: string;
  k: number;
  prompt: string;
  /** Every category (top-level subfolder) with an indexed photo, sorted. */
  categories: string[];
  /** Captions in the CSV whose photo is not among the indexed photos of the folder. */
  unmatchedCaptions: number;
  models: ModelEval[];
}
