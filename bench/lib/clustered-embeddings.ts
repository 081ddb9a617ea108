import { seededRandom } from '../../src-main/core/seeded-random';

/**
 * [Note: Synthetic CLIP-like embeddings] Unit vectors shaped like CLIP image embeddings: a few
 * hundred cluster centres (scenes, subjects) that all share one common mean direction (CLIP
 * embeddings sit in a narrow cone: two unrelated photos have cosine ≈ 0.4), plus per-photo noise
 * (same-cluster photos ≈ 0.7). Text queries add a large direction orthogonal to the photos (CLIP's
 * modality gap), so their cosine to every photo is low and flat (≈ 0.1 to 0.3), the hard case for
 * any approximate first stage. Image queries (find-similar) are photos plus a little noise.
 * Deterministic for a seed.
 */
export interface ClusteredEmbeddingsOptions {
  dim?: number;
  clusters?: number;
  seed?: number;
}

const MEAN_WEIGHT = 1.2;
const PHOTO_NOISE = 0.026;
const IMAGE_QUERY_NOISE = 0.02;
const TEXT_CENTRE_WEIGHT = 0.4;
const TEXT_GAP_WEIGHT = 0.9;
const TEXT_NOISE = 0.02;

export interface SyntheticPhoto {
  embedding: Float32Array;
  cluster: number;
}

export class ClusteredEmbeddings {
  readonly dim: number;
  readonly clusters: number;
  private readonly random: () => number;
  private readonly centres: Float32Array[];
  private readonly modalityGap: Float32Array;

  constructor(options: ClusteredEmbeddingsOptions = {}) {
    this.dim = options.dim ?? 512;
    this.clusters = options.clusters ?? 300;
    this.random = seededRandom(options.seed ?? 1);
    const mean = this.randomDirection();
    this.centres = Array.from({ length: this.clusters }, () => {
      const direction = this.randomDirection();
      return normalise(direction.map((value, i) => value + MEAN_WEIGHT * mean[i]!));
    });
    this.modalityGap = this.randomDirection();
  }

  nextPhoto(): SyntheticPhoto {
    const cluster = Math.floor(this.random() * this.clusters);
    return { embedding: this.perturbed(this.centres[cluster]!, PHOTO_NOISE), cluster };
  }

  imageQueryNear(embedding: Float32Array): Float32Array {
    return this.perturbed(embedding, IMAGE_QUERY_NOISE);
  }

  textQuery(): Float32Array {
    const centre = this.centres[Math.floor(this.random() * this.clusters)]!;
    const query = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) {
      query[i] =
        TEXT_CENTRE_WEIGHT * centre[i]! +
        TEXT_GAP_WEIGHT * this.modalityGap[i]! +
        TEXT_NOISE * this.gaussian();
    }
    return normalise(query);
  }

  /** Uniform in [0, 1), from the same seeded stream (for attributes derived alongside). */
  uniform(): number {
    return this.random();
  }

  private perturbed(base: Float32Array, noise: number): Float32Array {
    const vector = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) vector[i] = base[i]! + noise * this.gaussian();
    return normalise(vector);
  }

  private randomDirection(): Float32Array {
    const vector = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) vector[i] = this.gaussian();
    return normalise(vector);
  }

  /** Box–Muller. */
  private gaussian(): number {
    const u = this.random() || Number.MIN_VALUE;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }
}

export function normalise(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
