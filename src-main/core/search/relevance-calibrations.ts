import { termVectorsFor, type Vocabulary } from '../explore/vocabulary';
import type { ClusterStore } from '../explore/cluster-store';
import type { Engine } from '../models/active-model';
import type { LibraryStore } from '../store/library-store';
import {
  calibrateRelevance,
  calibrationFits,
  RELEVANCE_TERMS,
  type RelevanceCalibration,
} from './relevance';

/**
 * Each model's relevance calibration ([Note: Relevance cut-off]), kept in memory and in the
 * library's settings (`relevance:<model id>`) while it fits the library, measured again when it
 * no longer does. Searches that arrive while one is measured wait for it.
 */
export class RelevanceCalibrations {
  private readonly kept = new Map<string, RelevanceCalibration>();
  private readonly measuring = new Map<string, Promise<RelevanceCalibration>>();

  constructor(
    private readonly deps: {
      store: LibraryStore;
      /** Where term vectors are cached (shared with the cluster names). */
      termVectors: ClusterStore;
      vocabulary: () => Vocabulary;
    },
  ) {}

  for(engine: Engine): Promise<RelevanceCalibration> {
    const { model, vectors } = engine;
    const id = model.spec.id;
    const stored = this.kept.get(id) ?? this.stored(id);
    if (stored && calibrationFits(stored, vectors.count())) {
      this.kept.set(id, stored);
      return Promise.resolve(stored);
    }
    let measuring = this.measuring.get(id);
    if (!measuring) {
      measuring = this.measure(engine).finally(() => this.measuring.delete(id));
      this.measuring.set(id, measuring);
    }
    return measuring;
  }

  private async measure({ model, vectors, embedder }: Engine): Promise<RelevanceCalibration> {
    const everyTerm = this.deps.vocabulary();
    const calibrationTerms = { ...everyTerm, terms: everyTerm.terms.slice(0, RELEVANCE_TERMS) };
    const terms = embedder.hasTextTower
      ? (await termVectorsFor(embedder, this.deps.termVectors, calibrationTerms)).vectors
      : null;
    const measured = calibrateRelevance(model.spec.id, vectors, terms);
    this.kept.set(model.spec.id, measured);
    try {
      this.deps.store.setSetting(settingKey(model.spec.id), JSON.stringify(measured));
    } catch {
      // A busy or read-only library: this process keeps it in memory; a later search stores it.
    }
    return measured;
  }

  private stored(modelId: string): RelevanceCalibration | undefined {
    const stored = this.deps.store.setting(settingKey(modelId));
    return stored === undefined ? undefined : (JSON.parse(stored) as RelevanceCalibration);
  }
}

function settingKey(modelId: string): string {
  return `relevance:${modelId}`;
}
