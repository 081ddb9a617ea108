import type {
  ImageFormat,
  LibraryFacets,
  PhotoOrientation,
  SearchFilters,
} from '../../shared/types';
import type { SqliteDatabase } from './database';

/** The filters answered by the photos' own facts, not by the vector index's columns. */
export type FactFilters = Pick<
  SearchFilters,
  'cameras' | 'formats' | 'orientation' | 'hasLocation'
>;

/**
 * [Note: Catalogue filters] Camera, format, orientation and "has a location" are facts of the
 * photo (its content: every copy of a photo shares them), kept in `photos`. A search resolves them
 * to the matching photo ids with one SQL statement, and the vector query takes that list as one
 * more filter term (`VectorFilter.photoIds`): a mask over the mirror's slots in the candidate scan,
 * `photo_id IN (…)` in the exact ranking. So the top-k is exact among the matching photos and holds
 * min(k, matches) of them, like the folder and date filters ([Note: Vector search design]).
 * Copying the four facts into every model's `_items` table and the in-memory slots instead would
 * change each model's tables and the mirror for filters that are cheap to resolve here. Measured
 * with bench/filters.bench.ts at 100,000 photos on 2 shared, loaded cores: 8–15 ms for one camera
 * (16,667 ids), 13–112 ms for "jpeg" (60,000 ids): a scan of `photos` (no index: most of these
 * filters match a large share of the library, and then every row is read anyway). The facets'
 * GROUP BY sorts make up most of its 73–316 ms there; indexes on camera and format would bring the counts to
 * ~20 ms (docs/explore.md § Filters and combined queries).
 */
export class PhotoFacts {
  private readonly statements;
  /** One statement per combination of filters, prepared on first use. */
  private readonly matching = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      totals: db.prepare(
        `SELECT count(*) AS photos, count(gps_lat) AS withLocation,
                min(taken_at) AS first, max(taken_at) AS last,
                coalesce(sum(width > height), 0) AS landscape,
                coalesce(sum(width < height), 0) AS portrait,
                coalesce(sum(width = height), 0) AS square
         FROM photos`,
      ),
      values: db.prepare(
        `SELECT 'camera' AS facet, camera AS value, count(*) AS count FROM photos
         WHERE camera IS NOT NULL GROUP BY camera
         UNION ALL
         SELECT 'format', format, count(*) FROM photos GROUP BY format
         ORDER BY facet, count DESC, value`,
      ),
    };
  }

  /** Whether any of the fact filters is set (otherwise every photo matches). */
  static any(filters: FactFilters): boolean {
    return (
      filters.cameras !== undefined ||
      filters.formats !== undefined ||
      filters.orientation !== undefined ||
      filters.hasLocation !== undefined
    );
  }

  /** The ids of the photos matching every given fact filter (a list matches any of its values). */
  photoIdsMatching(filters: FactFilters): number[] {
    const terms: string[] = [];
    const params: Record<string, unknown> = {};
    if (filters.cameras !== undefined) {
      terms.push('camera IN (SELECT value FROM json_each(@cameras))');
      params['cameras'] = JSON.stringify(filters.cameras);
    }
    if (filters.formats !== undefined) {
      terms.push('format IN (SELECT value FROM json_each(@formats))');
      params['formats'] = JSON.stringify(filters.formats);
    }
    if (filters.orientation !== undefined) terms.push(ORIENTATION_SQL[filters.orientation]);
    if (filters.hasLocation !== undefined) {
      terms.push(filters.hasLocation ? 'gps_lat IS NOT NULL' : 'gps_lat IS NULL');
    }
    const sql = `SELECT id FROM photos${terms.length > 0 ? ` WHERE ${terms.join(' AND ')}` : ''}`;
    let statement = this.matching.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.matching.set(sql, statement);
    }
    return statement.all(params) as number[];
  }

  /** What the filter bar offers, in two statements over `photos`. */
  facets(): LibraryFacets {
    const totals = this.statements.totals.get() as FacetTotals;
    const values = this.statements.values.all() as FacetValue[];
    return {
      photos: totals.photos,
      cameras: values
        .filter((row) => row.facet === 'camera')
        .map((row) => ({ camera: row.value, count: row.count })),
      formats: values
        .filter((row) => row.facet === 'format')
        .map((row) => ({ format: row.value as ImageFormat, count: row.count })),
      orientations: (['landscape', 'portrait', 'square'] as const)
        .map((orientation) => ({ orientation, count: totals[orientation] }))
        .filter((row) => row.count > 0),
      withLocation: totals.withLocation,
      dateSpan:
        totals.first === null || totals.last === null
          ? null
          : { first: totals.first, last: totals.last },
    };
  }
}

/** Display size (after EXIF orientation, see media/decode.ts) decides the orientation. */
const ORIENTATION_SQL: Record<PhotoOrientation, string> = {
  landscape: 'width > height',
  portrait: 'width < height',
  square: 'width = height',
};

interface FacetTotals extends Record<PhotoOrientation, number> {
  photos: number;
  withLocation: number;
  first: number | null;
  last: number | null;
}

interface FacetValue {
  facet: 'camera' | 'format';
  value: string;
  count: number;
}
