import { z } from 'zod';

/**
 * [Note: Model registry] A model is described by data, not by code branches: everything that
 * differs between CLIP, SigLIP and MobileCLIP (input size, resize mode, mean/std, tokenizer
 * padding, tensor names) lives in its registry entry (`resources/models.json`) or in the
 * `photoseek-model.json` of a local model folder. Code reads the spec; it never asks "is this CLIP?".
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits');

export const ModelFileSchema = z.object({
  /** Path inside the model folder, e.g. "onnx/vision_model_quantized.onnx". */
  path: z.string().min(1),
  /** Download URL (registry models); absent for local folders. */
  url: z.url().optional(),
  bytes: z.number().int().positive().optional(),
  sha256: sha256.optional(),
});

export const ImageInputSchema = z
  .object({
    /** Square model input edge, in pixels: 32 (tiny CNNs) to 1024 (high-resolution ViTs). */
    size: z
      .number()
      .int()
      .min(32, 'image.size is not a plausible model input (32 to 1024 pixels)')
      .max(1024, 'image.size is not a plausible model input (32 to 1024 pixels)'),
    /**
     * "shortest-edge-crop": resize so the shorter edge equals `size`, then centre-crop (CLIP).
     * "squash": resize both edges to `size`, ignoring aspect ratio (SigLIP).
     */
    resize: z.enum(['shortest-edge-crop', 'squash']),
    /**
     * For "shortest-edge-crop": the shorter edge is resized to this many pixels before the centre
     * size × size crop (ImageNet models: 256 → 224, a crop ratio of 0.875). Default: `size` (CLIP).
     */
    resizeShortEdge: z.number().int().positive().optional(),
    /** The processor's resampling filter: CLIP and SigLIP use bicubic, torchvision ImageNet bilinear. */
    resample: z.enum(['bicubic', 'bilinear']).default('bicubic'),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
    /** Multiplier from 0..255 to the model's range before mean/std, usually 1/255. */
    rescale: z.number().positive(),
    inputName: z.string().default('pixel_values'),
    outputName: z.string().default('image_embeds'),
  })
  .refine((image) => (image.resizeShortEdge ?? image.size) >= image.size, {
    path: ['resizeShortEdge'],
    message: 'image.resizeShortEdge must be at least image.size (the crop is cut from it)',
  });

/** Under what terms the weights may be used; shown before a download (`models list`, the app). */
export const LicenceSchema = z.object({
  name: z.string().min(1),
  url: z.url().optional(),
  /** False for research-only weights (MobileCLIP): the app says so before downloading. */
  commercialUse: z.boolean(),
  note: z.string().optional(),
});

export const TextInputSchema = z.object({
  contextLength: z.number().int().positive(),
  /** Token id used to fill the sequence up to contextLength. */
  padTokenId: z.number().int().nonnegative(),
  /** Lower-case the query before tokenising (SigLIP tokenizers expect it; CLIP's does it itself). */
  lowercase: z.boolean().default(false),
  inputName: z.string().default('input_ids'),
  /** Name of the attention-mask input when the exported graph has one. */
  attentionMaskName: z.string().optional(),
  outputName: z.string().default('text_embeds'),
  /**
   * How the text tower turns the tokens into one embedding, which decides whether the padding may
   * be left out ([Note: Text tower on the real token count] in `inference/text-sequence.ts`):
   * "causal-eot": read at the end-of-text token under a causal mask (CLIP), so the positions after
   * it change nothing; "padded" (the default): anything else, e.g. SigLIP reads the last position
   * of a sequence padded to contextLength, and a model that does not say is never trimmed.
   */
  pooling: z.enum(['causal-eot', 'padded']).default('padded'),
});

/**
 * [Note: Image-only models] A model with only an image tower (family "image-only": an ImageNet
 * CNN, a self-supervised ViT, an autoencoder) embeds photos for find-similar, dropped images,
 * duplicates, clusters, the map and eval's mAP@k; it has no files.text, files.tokenizer or text
 * section, and a text query gets NO_TEXT_TOWER naming the model. Every other family must have all
 * three. The spec says so, not code branches: textTowerOf(spec) is the one question asked.
 */
export const MODEL_FAMILIES = ['clip', 'siglip', 'mobileclip', 'image-only'] as const;

export const ModelSpecSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]*$/,
        'model ids are lower-case letters, digits, ".", "_" and "-"',
      ),
    name: z.string().min(1),
    family: z.enum(MODEL_FAMILIES),
    /** Pinned upstream revision (commit) the files were taken from. */
    revision: z.string().optional(),
    /** Every registry entry has one (tested); a local folder may leave it out. */
    licence: LicenceSchema.optional(),
    embeddingDim: z.number().int().positive(),
    files: z.object({
      vision: ModelFileSchema,
      text: ModelFileSchema.optional(),
      tokenizer: ModelFileSchema.optional(),
      tokenizerConfig: ModelFileSchema.optional(),
    }),
    image: ImageInputSchema,
    text: TextInputSchema.optional(),
  })
  .superRefine((spec, context) => {
    const imageOnly = spec.family === 'image-only';
    const parts = [['files', 'text'], ['files', 'tokenizer'], ['text']] as const;
    for (const where of parts) {
      const present =
        where.length === 1 ? spec.text !== undefined : spec.files[where[1]] !== undefined;
      if (present === !imageOnly) continue;
      context.addIssue({
        code: 'custom',
        path: [...where],
        message: imageOnly
          ? `an image-only model has no text tower: remove ${where.join('.')}`
          : `a ${spec.family} model needs ${where.join('.')} (or say family "image-only" for a model without a text tower)`,
      });
    }
  });

/** What a text query needs: the text graph, its tokenizer and input spec. */
export interface TextTower {
  file: ModelFile;
  tokenizer: ModelFile;
  tokenizerConfig?: ModelFile | undefined;
  input: TextInputSpec;
}

/** The model's text tower, or null for an image-only model ([Note: Image-only models]). */
export function textTowerOf(spec: ModelSpec): TextTower | null {
  const { text, tokenizer, tokenizerConfig } = spec.files;
  if (!text || !tokenizer || !spec.text) return null;
  return { file: text, tokenizer, tokenizerConfig, input: spec.text };
}

export const RegistrySchema = z.object({ models: z.array(ModelSpecSchema).min(1) });

export type ModelFile = z.infer<typeof ModelFileSchema>;
export type ModelLicence = z.infer<typeof LicenceSchema>;
export type ImageInputSpec = z.infer<typeof ImageInputSchema>;
export type TextInputSpec = z.infer<typeof TextInputSchema>;
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type Registry = z.infer<typeof RegistrySchema>;
