/**
 * [Note: Bench text tower with a dynamic sequence axis] The bench towers from
 * ../shared/tools/bench-models are traced with a fixed 77-token input, so the core's run on the
 * real token count ([Note: Text tower on the real token count]) never applies to them; Xenova's
 * CLIP exports, the product's default model, declare input_ids [batch_size, sequence_length].
 * Their graph is dynamic everywhere but in two places: the declared input shape and the addition of
 * the [77, 512] position table to the token rows. This copy declares the sequence axis symbolic and
 * adds the table's first T rows (Shape → Slice), as CLIP's own code does with `position_ids[:, :T]`:
 * the same weights and operators, so at 77 tokens it computes exactly what the original computes
 * (checked by `npx tsx bench/text-sequence.bench.ts`). The copy is written once per source file
 * into the system's temporary folder (hundreds of MB; never into the repository or .cache).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const INT64 = onnx.TensorProto.DataType.INT64;

/** The path of the dynamic-axis copy of the text tower at `source`, written when missing. */
export async function dynamicTextTower(source: string): Promise<string> {
  const { size, mtimeMs } = await stat(source);
  const dir = path.join(os.tmpdir(), 'photoseek-bench-models');
  const target = path.join(
    dir,
    `${path.basename(source, '.onnx')}-dynamic-${size}-${Math.round(mtimeMs)}.onnx`,
  );
  if (existsSync(target)) return target;
  await mkdir(dir, { recursive: true });
  const model = onnx.ModelProto.decode(await readFile(source));
  makeSequenceAxisDynamic(model.graph!);
  const partial = `${target}.${process.pid}.part`;
  await writeFile(partial, onnx.ModelProto.encode(model).finish());
  await rename(partial, target);
  return target;
}

function makeSequenceAxisDynamic(graph: onnxProto.onnx.IGraphProto): void {
  const input = graph.input?.[0];
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!input?.name || dims?.length !== 2) throw new Error('expected one [batch, 77] text input');
  dims[1] = { dimParam: 'sequence' };
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const nodes = graph.node ?? [];
  // The position table: a [77, width] initializer added to the token rows.
  const index = nodes.findIndex(
    (node) =>
      node.opType === 'Add' &&
      node.input?.some((name) => initializers.get(name)?.dims?.map(Number)[0] === 77),
  );
  if (index < 0) throw new Error('no addition of a [77, width] position table in the text tower');
  const add = nodes[index]!;
  const table = add.input!.find((name) => initializers.get(name)?.dims?.map(Number)[0] === 77)!;
  const sliced = `${table}_first_t`;
  graph.initializer!.push(
    { name: 'seq_starts', dataType: INT64, dims: [1], int64Data: [1] },
    { name: 'seq_ends', dataType: INT64, dims: [1], int64Data: [2] },
    { name: 'table_starts', dataType: INT64, dims: [1], int64Data: [0] },
    { name: 'table_axes', dataType: INT64, dims: [1], int64Data: [0] },
  );
  nodes.splice(
    index,
    0,
    { opType: 'Shape', input: [input.name], output: ['ids_shape'], name: 'ids_shape' },
    {
      opType: 'Slice',
      input: ['ids_shape', 'seq_starts', 'seq_ends'],
      output: ['sequence_length'],
      name: 'sequence_length',
    },
    {
      opType: 'Slice',
      input: [table, 'table_starts', 'sequence_length', 'table_axes'],
      output: [sliced],
      name: sliced,
    },
  );
  add.input = add.input!.map((name) => (name === table ? sliced : name));
  // Shapes recorded by the exporter for a 77-token input no longer hold.
  graph.valueInfo = [];
}
