-- Sources, their versions, the immutable raw rows, normalised records and the quarantine.
-- Owned by reckon.ingest. Raw rows are never updated or deleted (triggers below).

CREATE TABLE source (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL DEFAULT 'other'
                 CHECK (kind = 'media' OR kind = 'list' OR kind = 'official' OR kind = 'family' OR kind = 'other'),
    publisher    TEXT,
    url          TEXT,
    licence      TEXT,
    notes        TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE source_version (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES source(id),
    version       INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    format        TEXT NOT NULL,
    encoding      TEXT,
    delimiter     TEXT,
    column_map    TEXT NOT NULL DEFAULT '{}',   -- JSON: header as read -> field
    retrieved_at  TEXT,
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    rows_read     INTEGER NOT NULL DEFAULT 0,
    rows_stored   INTEGER NOT NULL DEFAULT 0,
    rows_quarantined INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, version),
    UNIQUE (source_id, sha256)
);

CREATE TABLE raw_row (
    id                 INTEGER PRIMARY KEY,
    source_version_id  INTEGER NOT NULL REFERENCES source_version(id),
    row_number         INTEGER NOT NULL,          -- 1-based data row (header excluded)
    cells              TEXT NOT NULL,             -- JSON object: header -> cell exactly as read
    UNIQUE (source_version_id, row_number)
);

CREATE TRIGGER raw_row_no_update BEFORE UPDATE ON raw_row
BEGIN SELECT RAISE(ABORT, 'raw rows are immutable'); END;
CREATE TRIGGER raw_row_no_delete BEFORE DELETE ON raw_row
BEGIN SELECT RAISE(ABORT, 'raw rows are immutable'); END;

CREATE TABLE record (
    id                   INTEGER PRIMARY KEY,
    raw_row_id           INTEGER NOT NULL UNIQUE REFERENCES raw_row(id),
    source_version_id    INTEGER NOT NULL REFERENCES source_version(id),
    source_record_id     TEXT NOT NULL,   -- the id as in the source (or the data row number)
    full_name            TEXT,
    given_name           TEXT,
    patronymic           TEXT,
    family_name          TEXT,
    name_script          TEXT,            -- cyrillic / latin / mixed
    sex                  TEXT CHECK (sex = 'm' OR sex = 'f' OR sex IS NULL),
    birth_date_raw       TEXT,
    birth_date           TEXT,            -- ISO prefix: YYYY, YYYY-MM or YYYY-MM-DD
    birth_date_precision TEXT CHECK (birth_date_precision = 'year' OR birth_date_precision = 'month' OR birth_date_precision = 'day' OR birth_date_precision IS NULL),
    birth_date_flag      TEXT,            -- why a non-empty raw date was not understood
    age_at_death         INTEGER,
    age_flag             TEXT,            -- why a non-empty age was not understood
    death_date_raw       TEXT,
    death_date           TEXT,
    death_date_precision TEXT CHECK (death_date_precision = 'year' OR death_date_precision = 'month' OR death_date_precision = 'day' OR death_date_precision IS NULL),
    death_date_flag      TEXT,
    place_of_death       TEXT,
    region               TEXT,
    military_status      TEXT,
    force                TEXT,
    unit                 TEXT,
    rank                 TEXT,
    status               TEXT NOT NULL DEFAULT 'unknown'
                         CHECK (status = 'killed' OR status = 'missing' OR status = 'wounded' OR status = 'unknown'),
    circumstances        TEXT,
    notes                TEXT,
    UNIQUE (source_version_id, source_record_id)   -- also serves lookups by version
);

CREATE TABLE quarantine (
    id                 INTEGER PRIMARY KEY,
    source_version_id  INTEGER NOT NULL REFERENCES source_version(id),
    raw_row_id         INTEGER NOT NULL REFERENCES raw_row(id),
    row_number         INTEGER NOT NULL,
    field              TEXT,
    reason             TEXT NOT NULL
);
CREATE INDEX quarantine_source_version ON quarantine(source_version_id);

-- The records of each source's newest version: what linkage and estimation read.
CREATE VIEW current_record AS
SELECT r.*, s.name AS source, s.kind AS source_kind, s.id AS source_id
FROM record r
JOIN source_version v ON v.id = r.source_version_id
JOIN source s ON s.id = v.source_id
WHERE v.version = (SELECT max(v2.version) FROM source_version v2 WHERE v2.source_id = v.source_id);
