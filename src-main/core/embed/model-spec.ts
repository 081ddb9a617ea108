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

export const ImageInputSchema = z.object({
  size: z.number().int().positive(),
  /**
   * "shortest-edge-crop": resize so the shorter edge equals `size`, then centre-crop (CLIP).
   * "squash": resize both edges to `size`, ignoring aspect ratio (SigLIP).
   */
  resize: z.enum(['shortest-edge-crop', 'squash']),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
  /** Multiplier from 0..255 to the model's range before mean/std, usually 1/255. */
  rescale: z.number().positive(),
  inputName: z.string().default('pixel_values'),
  outputName: z.string().default('image_embeds'),
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
});

export const ModelSpecSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'model ids are lower-case letters, digits, ".", "_" and "-"'),
  name: z.string().min(1),
  family: z.enum(['clip', 'siglip', 'mobileclip']),
  /** Pinned upstream revision (commit) the files were taken from. */
  revision: z.string().optional(),
  embeddingDim: z.number().int().positive(),
  files: z.object({
    vision: ModelFileSchema,
    text: ModelFileSchema,
    tokenizer: ModelFileSchema,
    tokenizerConfig: ModelFileSchema.optional(),
  }),
  image: ImageInputSchema,
  text: TextInputSchema,
});

export const RegistrySchema = z.object({ models: z.array(ModelSpecSchema).min(1) });

export type ModelFile = z.infer<typeof ModelFileSchema>;
export type ImageInputSpec = z.infer<typeof ImageInputSchema>;
export type TextInputSpec = z.infer<typeof TextInputSchema>;
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type Registry = z.infer<typeof RegistrySchema>;
