-- Excess deaths: registry counts (deaths or probate cases by period, sex and age group) and the
-- estimates made from them. Owned by reckon.excess.
--
-- A registry file has the same provenance as a casualty list (name, version, sha256 of the bytes,
-- retrieval date), but its rows are counts, not people, so it lives apart from source/record:
-- linkage and multiple systems estimation never see it. Registry rows keep the exact cells as
-- read beside the values reckon understood, and are never updated or deleted.

CREATE TABLE registry (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    publisher   TEXT,
    url         TEXT,
    licence     TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE registry_version (
    id            INTEGER PRIMARY KEY,
    registry_id   INTEGER NOT NULL REFERENCES registry(id),
    version       INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    format        TEXT NOT NULL,
    encoding      TEXT,
    delimiter     TEXT,
    sheet         TEXT,
    column_map    TEXT NOT NULL DEFAULT '{}',   -- JSON: header as read -> field
    frequency     TEXT NOT NULL CHECK (frequency IN ('week', 'month', 'year')),
    first_period  TEXT NOT NULL,
    last_period   TEXT NOT NULL,
    retrieved_at  TEXT,
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    rows_read     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (registry_id, version),
    UNIQUE (registry_id, sha256)
);

CREATE TABLE registry_row (
    id           INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL REFERENCES registry_version(id),
    row_number   INTEGER NOT NULL,              -- 1-based data row (header excluded)
    cells        TEXT NOT NULL,                 -- JSON object: header -> cell exactly as read
    period       TEXT NOT NULL,                 -- ISO date of the period's first day
    period_end   TEXT NOT NULL,                 -- ISO date of the next period's first day
    sex          TEXT NOT NULL CHECK (sex = 'm' OR sex = 'f'),
    age_group    TEXT NOT NULL,                 -- normalised label: '15-19', '50+'
    age_low      INTEGER NOT NULL,
    age_high     INTEGER,                       -- inclusive; NULL for an open group ('50+')
    count        INTEGER NOT NULL CHECK (count >= 0),
    deaths       INTEGER CHECK (deaths >= 0 OR deaths IS NULL),
    population   REAL CHECK (population > 0 OR population IS NULL),
    UNIQUE (version_id, row_number),
    UNIQUE (version_id, period, sex, age_group)
);

CREATE TRIGGER registry_row_no_update BEFORE UPDATE ON registry_row
BEGIN SELECT RAISE(ABORT, 'registry rows are immutable'); END;
CREATE TRIGGER registry_row_no_delete BEFORE DELETE ON registry_row
BEGIN SELECT RAISE(ABORT, 'registry rows are immutable'); END;

-- The rows of each registry's newest version: what the estimate reads.
CREATE VIEW current_registry_row AS
SELECT r.*, g.name AS registry, v.version AS version, v.frequency AS frequency
FROM registry_row r
JOIN registry_version v ON v.id = r.version_id
JOIN registry g ON g.id = v.registry_id
WHERE v.version = (SELECT max(v2.version) FROM registry_version v2 WHERE v2.registry_id = v.registry_id);

-- One row per excess estimate made: derived (it can be recomputed from the rows and the params),
-- kept as history so a report's figure can be traced to the run behind it.
CREATE TABLE excess_run (
    id                   INTEGER PRIMARY KEY,
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    registry_version_id  INTEGER NOT NULL REFERENCES registry_version(id),
    method               TEXT NOT NULL,        -- control / baseline
    sex                  TEXT NOT NULL,
    ages                 TEXT NOT NULL,
    since                TEXT NOT NULL,
    until                TEXT NOT NULL,
    excess               REAL,
    lower                REAL,
    upper                REAL,
    level                REAL NOT NULL DEFAULT 0.95,
    inputs_hash          TEXT,                 -- sha256 of the counts estimated from
    params               TEXT NOT NULL DEFAULT '{}',  -- JSON: the options of the estimate
    result               TEXT NOT NULL DEFAULT '{}'   -- JSON: the result's to_dict()
);
CREATE INDEX excess_run_created ON excess_run(created_at);
