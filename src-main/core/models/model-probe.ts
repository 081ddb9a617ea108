import { PhotoseekError } from '../../shared/errors';
import { createEmbedder } from '../inference/embedder';
import type { InstalledModel } from './installed-model';

/**
 * [Note: Models are proven before use] `models add` runs the model once before accepting it: one
 * blank image through the image tower and, when there is one, one short query through the text
 * tower, on the CPU. The embedder's own checks then name what is wrong (input or output names that
 * differ from the spec, an output size other than embeddingDim, an image size the graph does not
 * take, a tokenizer that does not load), so a broken folder is refused when it is added, with
 * its field named, instead of failing every photo of the next index run.
 */
export async function proveModel(model: InstalledModel): Promise<void> {
  const embedder = createEmbedder(model, { providers: ['cpu'] });
  try {
    const { size } = model.spec.image;
    await embedder.embedImages([new Float32Array(3 * size * size)]);
    if (embedder.hasTextTower) await embedder.embedTexts(['a photo']);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The model in ${model.dir} does not work as its photoseek-model.json describes: ${reason}`,
      { cause: error },
    );
  } finally {
    await embedder.dispose();
  }
}
