import { createByteKernel } from '../src-main/core/store/vector-byte-kernel';
const DIM = 512, N = 100000;
const k = createByteKernel(Math.ceil((N * DIM + DIM * 2 + N * 8 + 64) / 65536));
const mem = k.memory.buffer;
const rows = new Int8Array(mem, 0, N * DIM);
for (let i = 0; i < rows.length; i++) rows[i] = ((i * 2654435761) >>> 24) - 128;
const qOff = N * DIM;
const q = new Int16Array(mem, qOff, DIM);
for (let i = 0; i < DIM; i++) q[i] = ((i * 40503) % 32767) - 16383;
const sOff = qOff + DIM * 2;
const slots = new Int32Array(mem, sOff, N);
for (let i = 0; i < N; i++) slots[i] = (i * 7919) % N;
const oOff = sOff + N * 4;
const out = new Int32Array(mem, oOff, N);
k.score(0, DIM, qOff, sOff, N, oOff);
let bad = 0;
for (let i = 0; i < 1000; i++) { let s = 0; const base = slots[i]! * DIM; for (let j = 0; j < DIM; j++) s += rows[base + j]! * q[j]!; if (s !== out[i]) bad++; }
console.log('mismatches', bad);
for (const n of [20000, 100000]) {
  const ts: number[] = [];
  for (let r = 0; r < 9; r++) { const t = performance.now(); k.score(0, DIM, qOff, sOff, n, oOff); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log(n, ts[4]!.toFixed(2), 'ms', (ts[4]! * 1e6 / n).toFixed(1), 'ns/row');
}
{
  const ts: number[] = [];
  for (let r = 0; r < 9; r++) { const t = performance.now();
    for (let i = 0; i < 20000; i++) { let s = 0; const base = slots[i]! * DIM; for (let j = 0; j < DIM; j++) s = (s + rows[base + j]! * q[j]!) | 0; out[i] = s; }
    ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log('js 20000', ts[4]!.toFixed(2), 'ms', (ts[4]! * 1e6 / 20000).toFixed(1), 'ns/row');
}
for (let i = 0; i < N; i++) slots[i] = i;
for (const n of [20000, 100000]) {
  const ts: number[] = [];
  for (let r = 0; r < 9; r++) { const t = performance.now(); k.score(0, DIM, qOff, sOff, n, oOff); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log('seq', n, ts[4]!.toFixed(2), 'ms', (ts[4]! * 1e6 / n).toFixed(1), 'ns/row');
}
