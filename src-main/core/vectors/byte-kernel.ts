/**
 * [Note: Byte-code kernel in WebAssembly SIMD] Dot products of one int16 query with many int8 rows
 * (the byte codes of [Note: Byte codes for re-ranking]). Plain JavaScript does not vectorise such a
 * loop: 512 int8 × int16 multiply-adds took ≈ 1,550 ns a row on the shared 2-core VM (load ≈ 3),
 * about what a float32 row costs, so a byte stage over thousands of photos cost as much as ranking
 * them in SQL. With 128-bit SIMD (i16x8 widening, i32x4.dot_i16x8_s), same run: 30 ns a row on rows
 * in the cache, 92–120 ns over 100,000 rows (51 MB: memory-bound), in order or scattered. There is no
 * well-kept npm package for one dot-product loop, and a WAT toolchain would add a build step for
 * ~150 bytes, so the module is assembled here from its instructions; test/core/store/
 * test/core/vectors/byte-kernel.test.ts checks it against a plain loop.
 *
 * The module exports its memory and one function:
 *   score(rows, rowBytes, query, slots, count, out)
 *     for i in [0, count): out[i] = Σ_j int8 rows[slots[i] · rowBytes + j] · int16 query[j]
 * rowBytes is a positive multiple of 16; `query` holds rowBytes int16 weights; all pointers are
 * byte offsets into the memory; i32 arithmetic wraps, so callers keep |Σ| below 2^31.
 */
export interface ByteKernel {
  readonly memory: KernelMemory;
  score(
    rows: number,
    rowBytes: number,
    query: number,
    slots: number,
    count: number,
    out: number,
  ): void;
}

export const BYTE_ROW_ALIGN = 16;

/** The part of WebAssembly.Memory used here (the project's ES2023 + Node types declare none). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  /** Adds 64 KiB pages; throws when the memory cannot grow (4 GiB at most). */
  grow(pages: number): number;
}

/** The part of the WebAssembly global used here. */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: object | undefined;

/** A kernel instance with its own memory of `initialPages` 64 KiB pages (grown by callers). */
export function createByteKernel(initialPages = 1): ByteKernel {
  compiled ??= new wasm.Module(moduleBytes());
  const instance = new wasm.Instance(compiled, {});
  const memory = instance.exports['memory'] as KernelMemory;
  const score = instance.exports['score'] as ByteKernel['score'];
  if (initialPages > 1) memory.grow(initialPages - 1);
  return { memory, score };
}

// Instruction bytes (WebAssembly core and SIMD opcodes).
const I32 = 0x7f;
const V128 = 0x7b;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_LOAD = [0x28, 0x02, 0x00]; // align 4, offset 0
const I32_STORE = [0x36, 0x02, 0x00];
const I32_CONST = 0x41;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const SIMD = 0xfd;
const V128_LOAD = (offset: number) => [SIMD, 0x00, 0x00, offset]; // align 1; offset < 128
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const I32X4_EXTRACT_LANE = (lane: number) => [SIMD, 0x1b, lane];
const I16X8_EXTEND_LOW_I8X16_S = [SIMD, 0x87, 0x01];
const I16X8_EXTEND_HIGH_I8X16_S = [SIMD, 0x88, 0x01];
const I32X4_ADD = [SIMD, 0xae, 0x01];
const I32X4_DOT_I16X8_S = [SIMD, 0xba, 0x01];

// Parameters, then locals.
const ROWS = 0;
const ROW_BYTES = 1;
const QUERY = 2;
const SLOTS = 3;
const COUNT = 4;
const OUT = 5;
const I = 6;
const ROW = 7;
const ROW_END = 8;
const Q = 9;
const ACC = 10;
const X = 11;

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const i32 = (value: number) => [I32_CONST, value]; // 0 ≤ value < 64 (one LEB128 byte)

/** `acc += dot(widen(x half), query[q + offset ...])` for one half of the 16 bytes in x. */
const accumulateHalf = (extend: number[], offset: number) => [
  ...get(ACC),
  ...get(X),
  ...extend,
  ...get(Q),
  ...V128_LOAD(offset),
  ...I32X4_DOT_I16X8_S,
  ...I32X4_ADD,
  ...set(ACC),
];

const SCORE_BODY = [
  ...[2, 4, I32, 2, V128], // two groups of locals: i, row, rowEnd, q (i32); acc, x (v128)
  ...BLOCK,
  ...LOOP,
  // if (i >= count) break
  ...get(I),
  ...get(COUNT),
  I32_GE_U,
  ...[BR_IF, 1],
  // row = rows + slots[i] * rowBytes; rowEnd = row + rowBytes; q = query; acc = 0
  ...get(ROWS),
  ...get(SLOTS),
  ...get(I),
  ...i32(2),
  I32_SHL,
  I32_ADD,
  ...I32_LOAD,
  ...get(ROW_BYTES),
  I32_MUL,
  I32_ADD,
  ...set(ROW),
  ...get(ROW),
  ...get(ROW_BYTES),
  I32_ADD,
  ...set(ROW_END),
  ...get(QUERY),
  ...set(Q),
  ...V128_ZERO,
  ...set(ACC),
  ...LOOP,
  // x = 16 bytes at row; the low 8 meet query[q .. q+16), the high 8 query[q+16 .. q+32)
  ...get(ROW),
  ...V128_LOAD(0),
  ...set(X),
  ...accumulateHalf(I16X8_EXTEND_LOW_I8X16_S, 0),
  ...accumulateHalf(I16X8_EXTEND_HIGH_I8X16_S, 16),
  // row += 16; q += 32; continue while row < rowEnd
  ...get(ROW),
  ...i32(16),
  I32_ADD,
  ...set(ROW),
  ...get(Q),
  ...i32(32),
  I32_ADD,
  ...set(Q),
  ...get(ROW),
  ...get(ROW_END),
  I32_LT_U,
  ...[BR_IF, 0],
  END,
  // out[i] = the sum of acc's four lanes
  ...get(OUT),
  ...get(I),
  ...i32(2),
  I32_SHL,
  I32_ADD,
  ...get(ACC),
  ...I32X4_EXTRACT_LANE(0),
  ...get(ACC),
  ...I32X4_EXTRACT_LANE(1),
  I32_ADD,
  ...get(ACC),
  ...I32X4_EXTRACT_LANE(2),
  I32_ADD,
  ...get(ACC),
  ...I32X4_EXTRACT_LANE(3),
  I32_ADD,
  ...I32_STORE,
  // i += 1
  ...get(I),
  ...i32(1),
  I32_ADD,
  ...set(I),
  ...[BR, 0],
  END,
  END,
  END,
];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const name = (text: string) => [text.length, ...Buffer.from(text, 'ascii')];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]), // type 0: (i32 × 6) → ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, 1]), // one memory, at least one page, no maximum
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('score'), 0x00, 0]),
    ...section(10, [1, ...uleb(SCORE_BODY.length), ...SCORE_BODY]),
  ]);
}

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}
