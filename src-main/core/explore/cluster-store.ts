import type Database from 'better-sqlite3';
import { float32FromBlob, toBlob } from '../vectors/codebook';

/** A cluster as stored: its place in the tree, name and centroid. */
export interface StoredCluster {
  id: number;
  parentId: number | null;
  name: string;
  centroid: Float32Array;
}

/** A cluster to store: its name and centroid, and its sub-clusters (in the tree's order). */
export interface NewCluster {
  name: string;
  centroid: Float32Array;
  children: Omit<NewCluster, 'children'>[];
}

/**
 * Every clustered photo, as the cluster tree gives them (cluster-math.ts): row i is photo
 * photoIds[i], in top cluster top[i] and its sub-cluster child[i] (-1: none), at cosine
 * similarity[i] to the top centroid.
 */
export interface NewMembers {
  photoIds: Float64Array;
  top: Int32Array;
  child: Int32Array;
  similarity: Float32Array;
}

export interface ClusterRun {
  /** Photos clustered by the last full computation. */
  photos: number;
  /** Photos that joined the stored clusters since (new photos assigned to nearest centroids). */
  joined: number;
  computedAt: number;
}

export interface StoredMember {
  photoId: number;
  topId: number;
  childId: number | null;
}

/**
 * [Note: Stored clusters] The clusters of each model live in SQLite (migration 4): one
 * cluster_runs row per model (how many photos the computation saw, how many joined since),
 * clusters (two levels through parent_id, with name and unit-length centroid) and cluster_members
 * (photo → top cluster and child cluster, with its cosine to the cluster it is in, so the most
 * typical photos come first). A deleted photo leaves by ON DELETE CASCADE; replacing a model's
 * clusters is one transaction. term_vectors caches the text vectors of the vocabulary per model
 * and vocabulary version, so naming embeds the vocabulary once per model.
 */
export class ClusterStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepareStatements(db);
  }

  run(modelId: string): ClusterRun | undefined {
    return this.statements.run.get(modelId);
  }

  /** The library's file, or null when it lives in memory. */
  databaseFile(): string | null {
    return this.db.memory ? null : this.db.name;
  }

  /**
   * Replaces the model's clusters, in one transaction. A photo deleted since its vector was read
   * is left out (the computation ran on a snapshot); the run counts the photos stored.
   */
  replace(modelId: string, clusters: readonly NewCluster[], members: NewMembers): void {
    this.db
      .transaction(() => {
        this.statements.deleteRun.run(modelId);
        this.statements.insertRun.run(modelId, 0, Date.now());
        const topIds = clusters.map((cluster, position) =>
          this.insertCluster(modelId, null, position, cluster),
        );
        const childIds = clusters.map((cluster, i) =>
          cluster.children.map((child, position) =>
            this.insertCluster(modelId, topIds[i]!, position, child),
          ),
        );
        let stored = 0;
        for (let row = 0; row < members.photoIds.length; row++) {
          const top = members.top[row]!;
          const child = members.child[row]!;
          stored += this.statements.insertNewMember.run(
            modelId,
            topIds[top]!,
            child < 0 ? null : childIds[top]![child]!,
            members.similarity[row]!,
            members.photoIds[row]!,
          ).changes;
        }
        this.statements.setPhotos.run(stored, modelId);
      })
      .immediate();
  }

  /** Adds photos to stored clusters (new photos assigned to the nearest centroids). */
  join(modelId: string, members: readonly (StoredMember & { similarity: number })[]): void {
    if (members.length === 0) return;
    this.db
      .transaction(() => {
        for (const member of members) {
          this.statements.insertMember.run(
            modelId,
            member.photoId,
            member.topId,
            member.childId,
            member.similarity,
          );
        }
        this.statements.addJoined.run(members.length, modelId);
      })
      .immediate();
  }

  clusters(modelId: string): StoredCluster[] {
    return this.statements.clusters.all(modelId).map((row) => ({
      id: row.id,
      parentId: row.parentId,
      name: row.name,
      centroid: float32FromBlob(row.centroid),
    }));
  }

  /** Members of every cluster, most typical first (cosine to the top centroid): cluster id → members. */
  membersByCluster(modelId: string): Map<number, { photoId: number; similarity: number }[]> {
    const byCluster = new Map<number, { photoId: number; similarity: number }[]>();
    const add = (clusterId: number, member: { photoId: number; similarity: number }) => {
      const list = byCluster.get(clusterId);
      if (list) list.push(member);
      else byCluster.set(clusterId, [member]);
    };
    for (const { photoId, topId, childId, similarity } of this.statements.members.iterate(
      modelId,
    )) {
      add(topId, { photoId, similarity });
      if (childId !== null) add(childId, { photoId, similarity });
    }
    return byCluster;
  }

  memberCount(modelId: string): number {
    return this.statements.memberCount.get(modelId)!;
  }

  /** Of `photoIds`, those that are in none of the model's clusters yet. */
  unassigned(modelId: string, photoIds: readonly number[]): number[] {
    const assigned = new Set(this.statements.memberIds.all(modelId));
    return photoIds.filter((photoId) => !assigned.has(photoId));
  }

  drop(modelId: string): void {
    this.db
      .transaction(() => {
        this.statements.deleteRun.run(modelId);
        this.statements.deleteTerms.run(modelId);
      })
      .immediate();
  }

  termVectors(modelId: string, vocabulary: string): Map<string, Float32Array> {
    return new Map(
      this.statements.terms
        .all(modelId, vocabulary)
        .map((row) => [row.term, float32FromBlob(row.vector)]),
    );
  }

  saveTermVectors(
    modelId: string,
    vocabulary: string,
    vectors: ReadonlyMap<string, Float32Array>,
  ): void {
    this.db
      .transaction(() => {
        for (const [term, vector] of vectors)
          this.statements.insertTerm.run(modelId, vocabulary, term, toBlob(vector));
      })
      .immediate();
  }

  private insertCluster(
    modelId: string,
    parentId: number | null,
    position: number,
    cluster: Omit<NewCluster, 'children'>,
  ): number {
    const { lastInsertRowid } = this.statements.insertCluster.run(
      modelId,
      parentId,
      position,
      cluster.name,
      toBlob(cluster.centroid),
    );
    return Number(lastInsertRowid);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    run: db.prepare<[string], ClusterRun>(
      `SELECT photos, joined, computed_at AS computedAt FROM cluster_runs WHERE model_id = ?`,
    ),
    deleteRun: db.prepare<[string]>(`DELETE FROM cluster_runs WHERE model_id = ?`),
    insertRun: db.prepare<[string, number, number]>(
      `INSERT INTO cluster_runs (model_id, photos, computed_at) VALUES (?, ?, ?)`,
    ),
    setPhotos: db.prepare<[number, string]>(
      `UPDATE cluster_runs SET photos = ? WHERE model_id = ?`,
    ),
    addJoined: db.prepare<[number, string]>(
      `UPDATE cluster_runs SET joined = joined + ? WHERE model_id = ?`,
    ),
    insertCluster: db.prepare<[string, number | null, number, string, Buffer]>(
      `INSERT INTO clusters (model_id, parent_id, position, name, centroid) VALUES (?, ?, ?, ?, ?)`,
    ),
    insertMember: db.prepare<[string, number, number, number | null, number]>(
      `INSERT OR REPLACE INTO cluster_members (model_id, photo_id, top_id, child_id, similarity)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    // [Note: Stored clusters] A plain INSERT after the run's rows were deleted: INSERT OR REPLACE
    // took 4× as long for 100,000 members (3.0–3.6 s against 0.7–0.9 s, load 5).
    insertNewMember: db.prepare<[string, number, number | null, number, number]>(
      `INSERT INTO cluster_members (model_id, photo_id, top_id, child_id, similarity)
       SELECT ?, id, ?, ?, ? FROM photos WHERE id = ?`,
    ),
    clusters: db.prepare<
      [string],
      { id: number; parentId: number | null; name: string; centroid: Buffer }
    >(
      `SELECT id, parent_id AS parentId, name, centroid FROM clusters
       WHERE model_id = ? ORDER BY parent_id IS NOT NULL, parent_id, position`,
    ),
    members: db.prepare<[string], StoredMember & { similarity: number }>(
      `SELECT photo_id AS photoId, top_id AS topId, child_id AS childId, similarity FROM cluster_members
       WHERE model_id = ? ORDER BY similarity DESC, photo_id`,
    ),
    memberCount: db
      .prepare<[string], number>(`SELECT count(*) FROM cluster_members WHERE model_id = ?`)
      .pluck(),
    memberIds: db
      .prepare<[string], number>(`SELECT photo_id FROM cluster_members WHERE model_id = ?`)
      .pluck(),
    terms: db.prepare<[string, string], { term: string; vector: Buffer }>(
      `SELECT term, vector FROM term_vectors WHERE model_id = ? AND vocabulary = ?`,
    ),
    insertTerm: db.prepare<[string, string, string, Buffer]>(
      `INSERT OR REPLACE INTO term_vectors (model_id, vocabulary, term, vector) VALUES (?, ?, ?, ?)`,
    ),
    deleteTerms: db.prepare<[string]>(`DELETE FROM term_vectors WHERE model_id = ?`),
  };
}
