import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { PhotoseekError } from '../../shared/errors';
import { resolveProviderOrder } from './execution-providers';
import type { InstalledModel } from '../models/installed-model';
import { modelFilePath } from '../models/installed-model';
import type { ModelFile, ModelSpec } from '../models/model-spec';
import { textTowerOf } from '../models/model-spec';
import type { LazySession, SessionThread } from './lazy-session';
import { lazySession } from './lazy-session';
import { normalizedRows } from './normalize';
import { textSequenceLength } from './text-sequence';
import type { TextTokenizer } from './tokenizer';
import { loadTokenizer } from './tokenizer';
import type { TowerSession } from './tower-worker';

export interface Embedder {
  readonly modelId: string;
  readonly dim: number;
  /** False for an image-only model ([Note: Image-only models]): embedTexts then throws. */
  readonly hasTextTower: boolean;
  /**
   * The execution provider of the session(s) created so far ("cpu", "webgpu", …; "webgpu+cpu" if
   * the two towers ended on different ones); null before the first session exists.
   */
  provider(): string | null;
  /** Each tensor from `toPixelTensor` (CHW); run as ONE batch [N,3,S,S]; unit-length results. */
  embedImages(pixelTensors: Float32Array[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Tokenised and run as one batch; unit-length results. NO_TEXT_TOWER for image-only models. */
  embedTexts(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export interface EmbedderOptions {
  /** Execution providers to try in order (see [Note: Execution providers]). */
  providers?: string[];
  intraOpNumThreads?: number;
  /**
   * Where the image tower runs (default: a worker thread, [Note: Inference off the host's
   * thread]; env PHOTOSEEK_IMAGE_THREAD=this keeps it on the calling thread); the text tower
   * always runs on the calling thread.
   */
  imageThread?: SessionThread;
}

/**
 * The two towers of a CLIP-style model behind one object. Sessions and the tokenizer are created
 * on first use and shared (see [Note: Lazy shared sessions]); tensor names and sizes come from the
 * spec (see [Note: Model registry]).
 */
export function createEmbedder(model: InstalledModel, options: EmbedderOptions = {}): Embedder {
  const { spec } = model;
  const providers = resolveProviderOrder(options.providers);
  // [Note: No spinning threads] onnxruntime's worker threads busy-wait between operators by
  // default. On a desktop that also decodes photos (and runs the UI) the spinning steals the cores
  // that decoding needs: turning it off measured +19–45 % indexing throughput on 2 cores
  // (docs/benchmarks.md, bench/pipeline-sweep.ts).
  const sessionOptions: InferenceSession.SessionOptions = {
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    ...(options.intraOpNumThreads === undefined
      ? {}
      : { intraOpNumThreads: options.intraOpNumThreads }),
  };
  const imageGraph: GraphContract = {
    tower: 'image',
    input: spec.image.inputName,
    imageSize: spec.image.size,
    optionalInputs: [],
    output: spec.image.outputName,
    dim: spec.embeddingDim,
  };
  const open = (file: ModelFile, graph: GraphContract, thread: SessionThread) =>
    lazySession(
      modelFilePath(model, file),
      providers,
      sessionOptions,
      (session) => checkGraph(session, graph),
      thread,
    );
  const imageThread =
    options.imageThread ?? (process.env['PHOTOSEEK_IMAGE_THREAD'] === 'this' ? 'this' : 'worker');
  const imageSession = open(spec.files.vision, imageGraph, imageThread);
  const tower = textTowerOf(spec);
  const textGraph: GraphContract | null = tower && {
    tower: 'text',
    input: tower.input.inputName,
    optionalInputs: optional(tower.input.attentionMaskName),
    output: tower.input.outputName,
    dim: spec.embeddingDim,
  };
  const textSession = tower && textGraph && open(tower.file, textGraph, 'this');
  const sessions = textSession ? [imageSession, textSession] : [imageSession];
  let tokenizer: Promise<TextTokenizer> | null = null;

  async function run(
    lazy: LazySession,
    graph: GraphContract,
    feeds: (session: TowerSession) => Record<string, Tensor>,
    rows: number,
    signal: AbortSignal | undefined,
  ): Promise<Float32Array[]> {
    const session = await lazy.get();
    signal?.throwIfAborted();
    const results = await session.run(feeds(session), [graph.output]);
    signal?.throwIfAborted();
    const output = results[graph.output];
    if (!output || output.type !== 'float32' || !sameDims(output.dims, [rows, graph.dim])) {
      const got = output ? `${output.type} [${output.dims.join(', ')}]` : 'nothing';
      throw new PhotoseekError(
        'MODEL_INVALID',
        `The ${graph.tower} model output "${graph.output}" should be float32 [${rows}, ${graph.dim}] (embeddingDim) but is ${got}.`,
      );
    }
    return normalizedRows(output.data as Float32Array, rows, graph.dim);
  }

  return {
    modelId: spec.id,
    dim: spec.embeddingDim,
    hasTextTower: tower !== null,

    provider() {
      const used = new Set(sessions.map((session) => session.provider()).filter((p) => p !== null));
      return used.size === 0 ? null : [...used].join('+');
    },

    async embedImages(pixelTensors, signal) {
      signal?.throwIfAborted();
      if (pixelTensors.length === 0) return [];
      const size = spec.image.size;
      const batch = concatImages(pixelTensors, 3 * size * size);
      const input = new Tensor('float32', batch, [pixelTensors.length, 3, size, size]);
      const feeds = () => ({ [spec.image.inputName]: input });
      return run(imageSession, imageGraph, feeds, pixelTensors.length, signal);
    },

    async embedTexts(texts, signal) {
      signal?.throwIfAborted();
      if (!tower || !textSession || !textGraph) throw noTextTower(spec);
      if (texts.length === 0) return [];
      tokenizer ??= loadTokenizer(model, tower).catch((error: unknown) => {
        tokenizer = null;
        throw error;
      });
      const textTokenizer = await tokenizer;
      const tokens = texts.map((text) => textTokenizer.encode(text));
      const maskName = tower.input.attentionMaskName;
      const feeds = (session: TowerSession) => {
        const withMask = maskName !== undefined && session.inputNames.includes(maskName);
        const fed = withMask ? [tower.input.inputName, maskName] : [tower.input.inputName];
        const width = textSequenceLength(tower.input, session, fed, tokens);
        const shape = [texts.length, width];
        const tensor = (rows: BigInt64Array[]) =>
          new Tensor('int64', concatTokens(rows, width), shape);
        return {
          [tower.input.inputName]: tensor(tokens.map((t) => t.inputIds)),
          ...(withMask ? { [maskName]: tensor(tokens.map((t) => t.attentionMask)) } : {}),
        };
      };
      return run(textSession, textGraph, feeds, texts.length, signal);
    },

    async dispose() {
      await Promise.all(sessions.map((session) => session.dispose()));
    },
  };
}

/** The one line a text query gets from an image-only model. */
export function noTextTower(spec: Pick<ModelSpec, 'name' | 'id'>): PhotoseekError {
  return new PhotoseekError(
    'NO_TEXT_TOWER',
    `${spec.name} (${spec.id}) is an image-only model: it has no text tower, so it cannot search by words. Find similar photos or search with an image instead, or switch to a model with text search (photoseek models list).`,
  );
}

/** What the spec says a tower's graph looks like. */
interface GraphContract {
  tower: 'image' | 'text';
  input: string;
  /** The image tower's square input size (image.size), checked against fixed spatial dims. */
  imageSize?: number;
  /** Inputs we feed when the graph declares them (the attention mask). */
  optionalInputs: string[];
  output: string;
  dim: number;
}

/**
 * Rejects a graph whose inputs are not ones the spec lets us feed, that lacks the output, or whose
 * declared embedding size differs from the spec. The output size is checked again on every run,
 * because many exports leave it symbolic.
 */
function checkGraph(session: TowerSession, graph: GraphContract): void {
  const feedable = [graph.input, ...graph.optionalInputs];
  const unknownInputs = session.inputNames.filter((name) => !feedable.includes(name));
  if (!session.inputNames.includes(graph.input) || unknownInputs.length > 0) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The ${graph.tower} model takes inputs [${session.inputNames.join(', ')}] but its spec names [${feedable.join(', ')}].`,
    );
  }
  const output = session.outputMetadata.find((meta) => meta.name === graph.output);
  if (!output) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The ${graph.tower} model has no output "${graph.output}" (it has ${session.outputNames.join(', ')}).`,
    );
  }
  const input = session.inputMetadata.find((meta) => meta.name === graph.input);
  const spatial = input?.isTensor ? input.shape.slice(2) : [];
  if (
    graph.imageSize !== undefined &&
    spatial.some((dim) => typeof dim === 'number' && dim !== graph.imageSize)
  ) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The image model takes ${spatial.join('×')} pixel inputs but its spec says image.size ${graph.imageSize}.`,
    );
  }
  const declaredDim = output.isTensor ? output.shape.at(-1) : undefined;
  if (typeof declaredDim === 'number' && declaredDim !== graph.dim) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The ${graph.tower} model gives ${declaredDim}-dimensional embeddings but its spec says embeddingDim ${graph.dim}.`,
    );
  }
}

function concatImages(pixelTensors: Float32Array[], perImage: number): Float32Array {
  const batch = new Float32Array(pixelTensors.length * perImage);
  pixelTensors.forEach((tensor, index) => {
    if (tensor.length !== perImage) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `Pixel tensor ${index} has ${tensor.length} values; the model needs ${perImage} (3×size×size).`,
      );
    }
    batch.set(tensor, index * perImage);
  });
  return batch;
}

/** The first `width` positions of every row, as one [rows, width] batch. */
function concatTokens(rows: BigInt64Array[], width: number): BigInt64Array {
  const batch = new BigInt64Array(rows.length * width);
  rows.forEach((row, index) => batch.set(row.subarray(0, width), index * width));
  return batch;
}

function sameDims(actual: readonly number[], expected: readonly number[]): boolean {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i]);
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
