import fs from 'node:fs';
import { openDatabase } from '../src-main/core/store/database';
import { VectorIndex } from '../src-main/core/store/vector-index';
import { ClusteredEmbeddings } from './lib/clustered-embeddings';
const DIM = 512;
const size = Number(process.argv[2]);
const file = process.argv[3]!;
fs.rmSync(file, { force: true });
const db = openDatabase(file);
const index = VectorIndex.open(db, 'bench-clip-512', DIM);
const gen = new ClusteredEmbeddings({ dim: DIM, seed: size });
const vectors = new Float32Array(size * DIM);
const batch = db.transaction((from: number, to: number) => {
  for (let row = from; row < to; row++) {
    const p = gen.nextPhoto();
    vectors.set(p.embedding, row * DIM);
    index.upsert(row + 1, p.embedding, { dirId: p.cluster % 200, takenAt: null });
  }
});
for (let from = 0; from < size; from += 1000) batch(from, Math.min(size, from + 1000));
db.close();
const queries: number[][] = [];
for (let i = 0; i < 60; i++) {
  const row = Math.floor(gen.uniform() * size);
  queries.push(Array.from(gen.imageQueryNear(vectors.subarray(row * DIM, (row + 1) * DIM))));
  queries.push(Array.from(gen.textQuery()));
}
fs.writeFileSync(file + '.queries.json', JSON.stringify(queries));
fs.writeFileSync(file + '.vectors', Buffer.from(vectors.buffer));
