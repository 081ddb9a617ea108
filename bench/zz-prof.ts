import fs from 'node:fs';
import { openDatabase } from '../src-main/core/store/database';
import { VectorIndex } from '../src-main/core/store/vector-index';
import { VectorMirror } from '../src-main/core/store/vector-mirror';
import { ExactRanking } from '../src-main/core/store/vector-exact-ranking';
import { selectCandidates, Scratch } from '../src-main/core/store/vector-candidates';
import { vectorTables } from '../src-main/core/store/vector-tables';
import { dotProducts, topK } from './lib/exact-top-k';
const DIM = 512;
const file = process.argv[2]!;
const db = openDatabase(file);
const index = VectorIndex.open(db, 'bench-clip-512', DIM);
const tables = vectorTables('bench-clip-512');
const mirror = new VectorMirror(db, tables, DIM);
const exact = new ExactRanking(db, tables);
const scratch = new Scratch();
let t = performance.now();
const slots = mirror.sync();
console.log('load', (performance.now() - t).toFixed(0), 'ms', slots.size);
const queries = (JSON.parse(fs.readFileSync(file + '.queries.json', 'utf8')) as number[][]).map((q) => Float32Array.from(q));
const vb = fs.readFileSync(file + '.vectors');
const matrix = new Float32Array(vb.buffer, vb.byteOffset, vb.byteLength / 4);
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!.toFixed(2);
for (const k of [20, 1000]) {
  for (const kind of [0, 1]) {
    const cand: number[] = [], rank: number[] = [], total: number[] = [], flat: number[] = [], counts: number[] = [];
    let found = 0, expected = 0;
    const qs = queries.filter((_, i) => i % 2 === kind);
    for (const q of qs) {
      t = performance.now();
      const c = selectCandidates(slots, mirror.codebook, q, k, { dirMask: null, slotMask: null, dateRange: null, excludePhotoIds: [] }, scratch);
      const t1 = performance.now();
      const hits = exact.rank(q, k, {}, { photoIds: c, recheckFilter: false });
      const t2 = performance.now();
      cand.push(t1 - t); rank.push(t2 - t1); counts.push(c.length);
      t = performance.now(); index.search(q, k); total.push(performance.now() - t);
      const scores = [new Float32Array(matrix.length / DIM)];
      t = performance.now(); dotProducts(matrix, DIM, [q], scores); const ref = topK(scores[0]!, k); flat.push(performance.now() - t);
      const want = new Set(ref.map((r) => r + 1));
      found += hits.filter((h) => want.has(h.photoId)).length; expected += ref.length;
    }
    console.log(`k=${k} ${kind ? 'text' : 'image'}: candidates ${med(cand)} ms (n=${med(counts)}), rank ${med(rank)} ms, search ${med(total)} ms, flat ${med(flat)} ms, recall ${(found / expected).toFixed(4)}`);
  }
}
