import type Database from 'better-sqlite3';
import { float32FromBlob, toBlob } from '../store/vector-codebook';

/** A cluster as stored: its place in the tree, name and centroid. */
export interface StoredCluster {
  id: number;
  parentId: number | null;
  name: string;
  centroid: Float32Array;
}

/** A cluster to store: its members with their similarity to its centroid, and its children. */
export interface NewCluster {
  name: string;
  centroid: Float32Array;
  members: { photoId: number; similarity: number }[];
  children: Omit<NewCluster, 'children'>[];
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

  /** Replaces the model's clusters, in one transaction. */
  replace(modelId: string, photos: number, clusters: readonly NewCluster[]): void {
    this.db
      .transaction(() => {
        this.statements.deleteRun.run(modelId);
        this.statements.insertRun.run(modelId, photos, Date.now());
        clusters.forEach((cluster, position) => {
          const topId = this.insertCluster(modelId, null, position, cluster);
          const childOf = new Map<number, number>();
          cluster.children.forEach((child, childPosition) => {
            const childId = this.insertCluster(modelId, topId, childPosition, child);
            for (const member of child.members) childOf.set(member.photoId, childId);
          });
          for (const { photoId, similarity } of cluster.members) {
            this.statements.insertMember.run(
              modelId,
              photoId,
              topId,
              childOf.get(photoId) ?? null,
              similarity,
            );
          }
        });
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
