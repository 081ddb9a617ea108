import fs from 'node:fs';
import { openDatabase } from '../src-main/core/store/database';
import { VectorMirror } from '../src-main/core/store/vector-mirror';
import { ExactRanking } from '../src-main/core/store/vector-exact-ranking';
import { buildQueryTables } from '../src-main/core/store/vector-codebook';
import { scoreCoarseRange } from '../src-main/core/store/vector-scan-pool';
import { vectorTables } from '../src-main/core/store/vector-tables';
const DIM = 512;
const file = process.argv[2]!;
const db = openDatabase(file);
const tables = vectorTables('bench-clip-512');
const mirror = new VectorMirror(db, tables, DIM);
const exact = new ExactRanking(db, tables);
const slots = mirror.sync();
const n = slots.size;
const queries = (JSON.parse(fs.readFileSync(file + '.queries.json', 'utf8')) as number[][]).map((q) => Float32Array.from(q));
const vb = fs.readFileSync(file + '.vectors');
const matrix = new Float32Array(vb.buffer, vb.byteOffset, vb.byteLength / 4);
const i8 = new Int8Array(n * DIM);
for (let i = 0; i < n * DIM; i++) i8[i] = Math.max(-127, Math.min(127, Math.round(matrix[i]! * 127 / 0.25)));
const matches = new Int32Array(n); for (let i = 0; i < n; i++) matches[i] = i;
const scores = new Int32Array(n);
const fscores = new Float32Array(n);
const get = db.prepare(`SELECT embedding FROM ${tables.embeddings} WHERE photo_id = ?`).pluck();
function time(name: string, per: number, f: () => void) {
  const ts: number[] = [];
  for (let r = 0; r < 7; r++) { const t = performance.now(); f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log(`${name}: ${ts[3]!.toFixed(2)} ms, ${(ts[3]! * 1e6 / per).toFixed(1)} ns each`);
}
const q = queries[1]!;
const tb = buildQueryTables(q, mirror.codebook!);
time('coarse all', n, () => scoreCoarseRange(slots.signs, slots.words, tb.coarse, matches, scores, 0, n));
const qi = Float32Array.from(q);
time('int8 dot 20000', 20000, () => {
  for (let j = 0; j < 20000; j++) { const off = j * 5 * DIM; let s = 0; for (let i = 0; i < DIM; i++) s += qi[i]! * i8[off + i]!; fscores[j] = s; }
});
const qI = Int32Array.from(q, (v) => Math.round(v * 32767));
time('int8 dot int 20000', 20000, () => {
  for (let j = 0; j < 20000; j++) { const off = j * 5 * DIM; let s = 0; for (let i = 0; i < DIM; i++) s = (s + qI[i]! * i8[off + i]!) | 0; scores[j] = s; }
});
const ids = Array.from({ length: 2000 }, (_, j) => 1 + ((j * 7919) % n));
time('sqlite get 2000', 2000, () => { for (const id of ids) get.get(id); });
const sorted = [...ids].sort((a, b) => a - b);
time('sqlite get sorted 2000', 2000, () => { for (const id of sorted) get.get(id); });
time('exact rank 2000', 2000, () => exact.rank(q, 1000, {}, { photoIds: ids, recheckFilter: false }));
const ids8 = Array.from({ length: 8000 }, (_, j) => 1 + ((j * 7919) % n));
time('exact rank 8000', 8000, () => exact.rank(q, 1000, {}, { photoIds: ids8, recheckFilter: false }));
time('flat float', n, () => { for (let j = 0; j < n; j++) { const off = j * DIM; let s = 0; for (let i = 0; i < DIM; i++) s += q[i]! * matrix[off + i]!; fscores[j] = s; } });
