import path from 'node:path';
import type { ModelFile, ModelSpec } from './model-spec';

/** A model whose files are present in `dir` (verified download or a registered local folder). */
export interface InstalledModel {
  spec: ModelSpec;
  dir: string;
}

export function modelFilePath(model: InstalledModel, file: ModelFile): string {
  return path.join(model.dir, file.path);
}
