import type Database from 'better-sqlite3';

export interface MapLayoutRun {
  /** Photos laid out by the last full computation. */
  photos: number;
  /** Photos placed among them since (indexed after the layout). */
  joined: number;
  computedAt: number;
}

export interface MapPoint {
  photoId: number;
  x: number;
  y: number;
}

/**
 * [Note: Stored map] The similarity map of each model lives in SQLite (migration 6): one
 * map_layouts row per model (how many photos the computation laid out, how many were placed
 * since) and map_points (photo → x, y in [-1, 1]). A deleted photo leaves by ON DELETE CASCADE;
 * replacing a model's layout is one transaction, so a reader sees the old map or the new one.
 */
export class MapStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepareStatements(db);
  }

  run(modelId: string): MapLayoutRun | undefined {
    return this.statements.run.get(modelId);
  }

  /** Replaces the model's layout: `positions` holds x, y of `photoIds[i]` at 2i, 2i + 1. */
  replace(modelId: string, photoIds: readonly number[], positions: Float32Array): void {
    this.db
      .transaction(() => {
        this.statements.deleteRun.run(modelId);
        this.statements.insertRun.run(modelId, photoIds.length, Date.now());
        photoIds.forEach((photoId, i) =>
          this.statements.insertPoint.run(
            modelId,
            photoId,
            positions[i * 2]!,
            positions[i * 2 + 1]!,
          ),
        );
      })
      .immediate();
  }

  /** Adds photos placed after the layout. */
  join(modelId: string, points: readonly MapPoint[]): void {
    if (points.length === 0) return;
    this.db
      .transaction(() => {
        for (const { photoId, x, y } of points)
          this.statements.insertPoint.run(modelId, photoId, x, y);
        this.statements.addJoined.run(points.length, modelId);
      })
      .immediate();
  }

  points(modelId: string): MapPoint[] {
    return this.statements.points.all(modelId);
  }

  drop(modelId: string): void {
    this.statements.deleteRun.run(modelId);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    run: db.prepare<[string], MapLayoutRun>(
      `SELECT photos, joined, computed_at AS computedAt FROM map_layouts WHERE model_id = ?`,
    ),
    deleteRun: db.prepare<[string]>(`DELETE FROM map_layouts WHERE model_id = ?`),
    insertRun: db.prepare<[string, number, number]>(
      `INSERT INTO map_layouts (model_id, photos, computed_at) VALUES (?, ?, ?)`,
    ),
    addJoined: db.prepare<[number, string]>(
      `UPDATE map_layouts SET joined = joined + ? WHERE model_id = ?`,
    ),
    insertPoint: db.prepare<[string, number, number, number]>(
      `INSERT OR REPLACE INTO map_points (model_id, photo_id, x, y) VALUES (?, ?, ?, ?)`,
    ),
    points: db.prepare<[string], MapPoint>(
      `SELECT photo_id AS photoId, x, y FROM map_points WHERE model_id = ? ORDER BY photo_id`,
    ),
  };
}
