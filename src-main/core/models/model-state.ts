import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { PhotoseekError } from '../../shared/errors';
import { writeJsonAtomic } from '../files/atomic-write';
import { ModelSpecSchema } from './model-spec';

/**
 * [Note: Model state] `<dataDir>/models/state.json` holds what the user chose: the active model
 * id and the local model folders they added. A local model keeps the spec that was validated
 * when it was added (its folder is used by reference, never copied): editing the folder's
 * photoseek-model.json later takes effect after `photoseek models add <dir>` again. Registry
 * models need no entry here; their install marker says they are installed.
 */
const ModelStateSchema = z.object({
  activeModelId: z.string().nullable(),
  localModels: z.array(z.object({ dir: z.string(), spec: ModelSpecSchema })),
});

export type ModelState = z.infer<typeof ModelStateSchema>;
export type LocalModelRecord = ModelState['localModels'][number];

export function readModelState(file: string): ModelState {
  if (!existsSync(file)) return { activeModelId: null, localModels: [] };
  let parsed;
  try {
    parsed = ModelStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw damaged(file, error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success) throw damaged(file, z.prettifyError(parsed.error));
  return parsed.data;
}

export function writeModelState(file: string, state: ModelState): void {
  writeJsonAtomic(file, state);
}

function damaged(file: string, reason: string): PhotoseekError {
  return new PhotoseekError(
    'MODEL_INVALID',
    `The model settings file ${file} is damaged (${reason}). Delete it to start over; downloaded models stay installed.`,
  );
}
