/**
 * [Note: Schema migrations] The schema version lives in SQLite's `user_version`. Each entry below
 * moves the database one version forward inside a transaction; entries are append-only, never
 * edited once released. Vector tables are not here: they are created per model by VectorIndex.
 */
export const migrations: readonly string[] = [
  /* 1 */ `
  CREATE TABLE folders (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,
    added_at  INTEGER NOT NULL
  );
  CREATE TABLE dirs (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE
  );
  CREATE INDEX dirs_folder ON dirs(folder_id);
  CREATE TABLE photos (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    format        TEXT NOT NULL,
    taken_at      INTEGER,
    camera        TEXT,
    gps_lat       REAL,
    gps_lon       REAL,
    indexed_at    INTEGER NOT NULL
  );
  CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL UNIQUE,
    dir_id     INTEGER NOT NULL REFERENCES dirs(id) ON DELETE CASCADE,
    photo_id   INTEGER NOT NULL REFERENCES photos(id),
    size       INTEGER NOT NULL,
    mtime_ms   INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
  );
  CREATE INDEX files_photo ON files(photo_id);
  CREATE INDEX files_dir ON files(dir_id);
  CREATE TABLE failures (
    path       TEXT PRIMARY KEY,
    folder_id  INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL CHECK (stage IN ('read', 'decode', 'embed')),
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    permanent  INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    last_try   INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    mtime_ms   INTEGER NOT NULL
  );
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  /* 2 */ `
  CREATE TABLE jobs (
    path        TEXT PRIMARY KEY,
    folder_id   INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('index', 'remove')),
    priority    INTEGER NOT NULL,
    not_before  INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    enqueued_at INTEGER NOT NULL
  );
  CREATE INDEX jobs_order ON jobs(priority DESC, kind, enqueued_at);
  ALTER TABLE folders ADD COLUMN online INTEGER NOT NULL DEFAULT 1;
  `,
  /* 3: failure stages of every pipeline step, verified identity, the queue's writer lease */ `
  CREATE TABLE failures_v3 (
    path       TEXT PRIMARY KEY,
    folder_id  INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL CHECK (stage IN ('read', 'hash', 'decode', 'thumbnail', 'embed', 'store')),
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    permanent  INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    last_try   INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    mtime_ms   INTEGER NOT NULL
  );
  INSERT INTO failures_v3 SELECT path, folder_id, stage, code, message, permanent, attempts, last_try, size, mtime_ms FROM failures;
  DROP TABLE failures;
  ALTER TABLE failures_v3 RENAME TO failures;
  ALTER TABLE photos ADD COLUMN full_hash TEXT;
  CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    token        TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    label        TEXT NOT NULL,
    acquired_at  INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
  /* 4 */ `
  CREATE INDEX photos_timeline ON photos(coalesce(taken_at, indexed_at) DESC, id DESC);
  `,
  /* 5: visual clusters per model ([Note: Stored clusters] in explore/cluster-store.ts). Rowid
     tables like every other: repair reads each table in rowid order ([Note: Repair]). */ `
  CREATE TABLE cluster_runs (
    model_id      TEXT PRIMARY KEY,
    photos        INTEGER NOT NULL,
    joined        INTEGER NOT NULL DEFAULT 0,
    computed_at   INTEGER NOT NULL
  );
  CREATE TABLE clusters (
    id        INTEGER PRIMARY KEY,
    model_id  TEXT NOT NULL REFERENCES cluster_runs(model_id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    centroid  BLOB NOT NULL
  );
  CREATE INDEX clusters_model ON clusters(model_id, parent_id, position);
  CREATE INDEX clusters_parent ON clusters(parent_id);
  CREATE TABLE cluster_members (
    model_id   TEXT NOT NULL REFERENCES cluster_runs(model_id) ON DELETE CASCADE,
    photo_id   INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    top_id     INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    child_id   INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (model_id, photo_id)
  );
  CREATE INDEX cluster_members_top ON cluster_members(top_id, similarity DESC);
  CREATE INDEX cluster_members_child ON cluster_members(child_id, similarity DESC);
  CREATE INDEX cluster_members_photo ON cluster_members(photo_id);
  CREATE TABLE term_vectors (
    model_id   TEXT NOT NULL,
    vocabulary TEXT NOT NULL,
    term       TEXT NOT NULL,
    vector     BLOB NOT NULL,
    PRIMARY KEY (model_id, vocabulary, term)
  );
  `,
  /* 6: the similarity map per model ([Note: Stored map] in explore/map-store.ts). */ `
  CREATE TABLE map_layouts (
    model_id    TEXT PRIMARY KEY,
    photos      INTEGER NOT NULL,
    joined      INTEGER NOT NULL DEFAULT 0,
    computed_at INTEGER NOT NULL
  );
  CREATE TABLE map_points (
    model_id TEXT NOT NULL REFERENCES map_layouts(model_id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    x        REAL NOT NULL,
    y        REAL NOT NULL,
    PRIMARY KEY (model_id, photo_id)
  );
  CREATE INDEX map_points_photo ON map_points(photo_id);
  `,
  /* 7: the filter bar's facets and catalogue filters ([Note: Catalogue filters] in
     store/photo-facts.ts): counting and matching by camera and by format without a scan. */ `
  CREATE INDEX photos_camera ON photos(camera);
  CREATE INDEX photos_format ON photos(format);
  `,
  /* 8: near-duplicates' image fingerprints ([Note: Stored fingerprints] in
     explore/fingerprint-store.ts). */ `
  CREATE TABLE photo_fingerprints (
    photo_id    INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    fingerprint BLOB NOT NULL
  );
  `,
];
