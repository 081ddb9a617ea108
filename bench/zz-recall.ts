import fs from 'node:fs';
import { openDatabase } from '../src-main/core/store/database';
import { VectorMirror } from '../src-main/core/store/vector-mirror';
import { buildQueryTables } from '../src-main/core/store/vector-codebook';
import { scoreCoarseRange } from '../src-main/core/store/vector-scan-pool';
import { vectorTables } from '../src-main/core/store/vector-tables';
const DIM = 512;
const file = process.argv[2]!;
const db = openDatabase(file);
const mirror = new VectorMirror(db, vectorTables('bench-clip-512'), DIM);
const slots = mirror.sync();
const n = slots.size;
const queries = (JSON.parse(fs.readFileSync(file + '.queries.json', 'utf8')) as number[][]).map((q) => Float32Array.from(q));
const vb = fs.readFileSync(file + '.vectors');
const matrix = new Float32Array(vb.buffer, vb.byteOffset, vb.byteLength / 4);
const cb = mirror.codebook!;
// per-dim int8 scale: max |v - centre| 
const scale = new Float32Array(DIM);
for (let j = 0; j < n; j++) for (let i = 0; i < DIM; i++) { const d = Math.abs(matrix[j * DIM + i]! - cb.centre[i]!); if (d > scale[i]!) scale[i] = d; }
const i8 = new Int8Array(n * DIM);
for (let j = 0; j < n; j++) for (let i = 0; i < DIM; i++) i8[j * DIM + i] = Math.round(((matrix[j * DIM + i]! - cb.centre[i]!) / scale[i]!) * 127);
const slotOfRow = new Int32Array(n); for (let s = 0; s < n; s++) slotOfRow[slots.photoIds[s]! - 1] = s;
const matches = new Int32Array(n); for (let i = 0; i < n; i++) matches[i] = i;
const coarse = new Int32Array(n);
const fine = new Float64Array(n);
const q8 = new Float64Array(n);
const exact = new Float64Array(n);
const K = Number(process.argv[3] ?? 1000);
const Cs = [1000, 1100, 1250, 1500, 2000, 3000, 4000, 8000, 16000, 32000];
for (const kind of [0, 1]) {
  const acc = { coarse: Cs.map(() => 0), fine: Cs.map(() => 0), q8: Cs.map(() => 0) };
  const qs = queries.filter((_, i) => i % 2 === kind).slice(0, 20);
  for (const q of qs) {
    const tb = buildQueryTables(q, cb);
    scoreCoarseRange(slots.signs, slots.words, tb.coarse, matches, coarse, 0, n);
    const w = Float64Array.from(q, (v, i) => v * scale[i]! / 127);
    for (let r = 0; r < n; r++) {
      let s = 0, e = 0; const off = r * DIM;
      for (let i = 0; i < DIM; i++) { s += w[i]! * i8[off + i]!; e += q[i]! * matrix[off + i]!; }
      q8[r] = s; exact[r] = e;
      // fine
      const slot = slotOfRow[r]!; let f = 0;
      for (let word = 0; word < slots.words; word++) {
        const sg = slots.signs[slot * slots.words + word]!, mg = slots.magnitudes[slot * slots.words + word]!;
        for (let b = 0; b < 32; b++) { const i = word * 32 + b; const sb = (sg >>> b) & 1, mb = (mg >>> b) & 1; f += q[i]! * (sb * cb.fineSignStep[i]! + mb * cb.fineMagnitudeStep[i]! + (sb & mb) * cb.fineBothStep[i]!); }
      }
      fine[r] = f;
    }
    const order = (a: ArrayLike<number>) => Array.from({ length: n }, (_, r) => r).sort((x, y) => a[y]! - a[x]!);
    const truth = new Set(order(exact).slice(0, K));
    const coarseByRow = Float64Array.from({ length: n }, (_, r) => coarse[slotOfRow[r]!]!);
    for (const [name, arr] of [['coarse', coarseByRow], ['fine', fine], ['q8', q8]] as const) {
      const o = order(arr);
      Cs.forEach((c, ci) => { let f = 0; for (let i = 0; i < c; i++) if (truth.has(o[i]!)) f++; acc[name][ci] += f / K / qs.length; });
    }
  }
  console.log(kind ? 'text' : 'image', 'K', K);
  for (const name of ['coarse', 'fine', 'q8'] as const) console.log(name.padEnd(7), Cs.map((c, i) => `${c}:${acc[name][i]!.toFixed(4)}`).join(' '));
}
