import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { ModelSummary } from '../../shared/types';
import type { InstalledModel } from './installed-model';
import { hasValidInstallMarker } from './install-marker';
import { readLocalModelFolder } from './local-model';
import { proveModel } from './model-probe';
import { downloadRegistryModel } from './model-download';
import type { ModelDownloadOptions } from './model-download';
import { listModelFiles, missingModelFiles } from './model-files';
import type { ModelSpec } from './model-spec';
import { textTowerOf } from './model-spec';
import { readModelState, writeModelState } from './model-state';
import type { LocalModelRecord, ModelState } from './model-state';
import { findRegistryModel, loadRegistry } from './registry';

export interface ModelStoreOptions {
  /** The user data folder; models live in `<dataDir>/models/`. */
  dataDir: string;
  /** Folder holding models.json; found next to the code when absent (see [Note: Resources folder]). */
  resourcesDir?: string;
}

export interface ModelStore {
  /** Registry models, then local models, with whether each is installed and active. */
  list(): ModelSummary[];
  /** Downloads and verifies a registry model; resumes an interrupted download. */
  download(id: string, opts?: ModelDownloadOptions): Promise<InstalledModel>;
  /** Registers a local model folder (containing photoseek-model.json) in place. */
  addLocal(dir: string): Promise<InstalledModel>;
  /** Makes an installed model the active one; throws MODEL_MISSING when it is not installed. */
  use(id: string): InstalledModel;
  active(): InstalledModel | null;
  /** The active model, or MODEL_MISSING naming what is wrong: none chosen, or which files are gone. */
  requireActive(): InstalledModel;
  get(id: string): InstalledModel | null;
  /**
   * Uninstalls a model that is not the active one: a registry model's downloaded files are deleted,
   * a local folder is forgotten (its files are the user's and stay). NOT_FOUND for an unknown id.
   */
  remove(id: string): Promise<void>;
}

/**
 * [Note: Model store] Models live under `<dataDir>/models/`: a registry model downloads into
 * `<id>/` and is installed when its install marker is valid (see [Note: Install marker]); a
 * local model stays in its own folder and is recorded in state.json (see [Note: Model state]).
 * A local model may not reuse a registry id, so an id always names one model.
 *
 * [Note: First model becomes active] Until the user picks one, the first model downloaded or
 * added becomes the active model, so a fresh install works after one `models download` without
 * a separate `models use`. Later downloads never switch the active model behind the user's back.
 */
export function createModelStore(options: ModelStoreOptions): ModelStore {
  const registry = loadRegistry(options.resourcesDir);
  const modelsDir = path.join(options.dataDir, 'models');
  const stateFile = path.join(modelsDir, 'state.json');

  const registryModelDir = (id: string) => path.join(modelsDir, id);
  const readState = () => readModelState(stateFile);
  const localRecord = (state: ModelState, id: string) =>
    state.localModels.find((record) => record.spec.id === id);

  function installedRegistryModel(spec: ModelSpec): InstalledModel | null {
    const dir = registryModelDir(spec.id);
    return hasValidInstallMarker(dir, spec) ? { spec, dir } : null;
  }

  function installedLocalModel({ spec, dir }: LocalModelRecord): InstalledModel | null {
    return missingModelFiles(dir, spec).length === 0 ? { spec, dir } : null;
  }

  function get(id: string): InstalledModel | null {
    const spec = findRegistryModel(registry, id);
    if (spec) return installedRegistryModel(spec);
    const record = localRecord(readState(), id);
    return record ? installedLocalModel(record) : null;
  }

  function activateIfNone(id: string): void {
    const state = readState();
    if (state.activeModelId === null) writeModelState(stateFile, { ...state, activeModelId: id });
  }

  function notInstalled(id: string): PhotoseekError {
    const spec = findRegistryModel(registry, id);
    if (spec) {
      const missing = missingModelFiles(registryModelDir(id), spec);
      const state =
        missing.length > 0 && missing.length < listModelFiles(spec).length
          ? `is missing ${missing.join(', ')} in ${registryModelDir(id)}`
          : 'is not installed';
      return new PhotoseekError(
        'MODEL_MISSING',
        `Model "${spec.name}" (${id}) ${state}. Download it with \`photoseek models download ${id}\`.`,
      );
    }
    const record = localRecord(readState(), id);
    if (record) {
      const missing = missingModelFiles(record.dir, record.spec).join(', ');
      return new PhotoseekError(
        'MODEL_MISSING',
        `Model "${record.spec.name}" (${id}) cannot be used: its folder ${record.dir} is missing ${missing}. ` +
          `Put the file${missing.includes(',') ? 's' : ''} back and run \`photoseek models add ${record.dir}\`, or choose another model with \`photoseek models use <id>\`.`,
      );
    }
    return unknownModel(id);
  }

  function unknownModel(id: string): PhotoseekError {
    const known = [
      ...registry.models.map((spec) => spec.id),
      ...readState().localModels.map((record) => record.spec.id),
    ];
    return new PhotoseekError(
      'NOT_FOUND',
      `Unknown model "${id}". Known models: ${known.join(', ')}. Add your own with \`photoseek models add <dir>\`.`,
    );
  }

  return {
    list() {
      const state = readState();
      const summary = (
        spec: ModelSpec,
        source: ModelSummary['source'],
        installed: boolean,
      ): ModelSummary => ({
        id: spec.id,
        name: spec.name,
        family: spec.family,
        embeddingDim: spec.embeddingDim,
        textSearch: textTowerOf(spec) !== null,
        licence: spec.licence
          ? {
              name: spec.licence.name,
              url: spec.licence.url ?? null,
              commercialUse: spec.licence.commercialUse,
              note: spec.licence.note ?? null,
            }
          : null,
        installed,
        active: state.activeModelId === spec.id,
        source,
        bytes: source === 'registry' ? pinnedBytes(spec) : null,
        libraryVectors: null,
      });
      return [
        ...registry.models.map((spec) =>
          summary(spec, 'registry', installedRegistryModel(spec) !== null),
        ),
        ...state.localModels.map((record) =>
          summary(record.spec, 'local', installedLocalModel(record) !== null),
        ),
      ];
    },

    async download(id, opts = {}) {
      const spec = findRegistryModel(registry, id);
      if (!spec) {
        if (localRecord(readState(), id)) {
          throw new PhotoseekError(
            'BAD_ARGUMENT',
            `Model "${id}" is a local model folder; there is nothing to download.`,
          );
        }
        throw unknownModel(id);
      }
      const dir = registryModelDir(id);
      if (!installedRegistryModel(spec)) await downloadRegistryModel(spec, dir, opts);
      activateIfNone(id);
      return { spec, dir };
    },

    async addLocal(dir) {
      const absoluteDir = path.resolve(dir);
      const spec = await readLocalModelFolder(absoluteDir);
      if (findRegistryModel(registry, spec.id)) {
        throw new PhotoseekError(
          'MODEL_INVALID',
          `The id "${spec.id}" in ${absoluteDir} belongs to a registry model; give the local model its own id.`,
        );
      }
      await proveModel({ spec, dir: absoluteDir });
      const state = readState();
      const others = state.localModels.filter((record) => record.spec.id !== spec.id);
      writeModelState(stateFile, {
        activeModelId: state.activeModelId ?? spec.id,
        localModels: [...others, { dir: absoluteDir, spec }],
      });
      return { spec, dir: absoluteDir };
    },

    async remove(id) {
      const state = readState();
      if (state.activeModelId === id) {
        throw new PhotoseekError(
          'BAD_ARGUMENT',
          `${id} is the active model. Choose another first: \`photoseek models use <id>\`.`,
        );
      }
      if (findRegistryModel(registry, id)) {
        await rm(registryModelDir(id), { recursive: true, force: true });
        return;
      }
      if (!localRecord(state, id)) throw unknownModel(id);
      writeModelState(stateFile, {
        ...state,
        localModels: state.localModels.filter((record) => record.spec.id !== id),
      });
    },

    use(id) {
      const model = get(id);
      if (!model) throw notInstalled(id);
      writeModelState(stateFile, { ...readState(), activeModelId: id });
      return model;
    },

    active() {
      const { activeModelId } = readState();
      return activeModelId === null ? null : get(activeModelId);
    },

    requireActive() {
      const { activeModelId } = readState();
      if (activeModelId === null) {
        throw new PhotoseekError(
          'MODEL_MISSING',
          'No model is installed yet. Run `photoseek models download` (one-time download) or `photoseek models add <folder>`.',
        );
      }
      const model = get(activeModelId);
      if (!model) throw notInstalled(activeModelId);
      return model;
    },

    get,
  };
}

/**
 * Sum of the sizes the registry pins, or null when a tower's size is unknown. Files without a
 * pinned size (tokenizer files, a few MB) are not counted, so this is a lower bound.
 */
function pinnedBytes(spec: ModelSpec): number | null {
  const { vision, text } = spec.files;
  if (vision.bytes === undefined || (text && text.bytes === undefined)) return null;
  return listModelFiles(spec).reduce((total, file) => total + (file.bytes ?? 0), 0);
}
