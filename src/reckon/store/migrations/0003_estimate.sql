-- Multiple systems estimation: one row per estimate made (a stratum's, or the total's).
-- Owned by reckon.estimate. Rows are derived (they can be recomputed from the linked people and
-- the params), but kept as history: a report's figure can always be traced to the run behind it.

CREATE TABLE estimate_run (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    method       TEXT NOT NULL,           -- petersen / loglinear / lcmcr (the method actually used)
    lists        TEXT NOT NULL,           -- JSON array of list names
    stratum      TEXT,                    -- NULL for the total (or an unstratified estimate)
    stratified_by TEXT,                   -- the --by field when this row belongs to a stratified run
    observed     INTEGER NOT NULL,        -- distinct people documented on these lists
    estimate     REAL,                    -- MLE or posterior median; NULL when not estimable
    lower        REAL,
    upper        REAL,
    level        REAL NOT NULL DEFAULT 0.95,
    inputs_hash  TEXT,                    -- sha256 of the capture histories estimated from
    params       TEXT NOT NULL DEFAULT '{}',  -- JSON: method asked for, criterion, groups, seed, sampler
    result       TEXT NOT NULL DEFAULT '{}',  -- JSON: the result's to_dict()
    link_run_id  INTEGER                  -- the linkage run the people came from (NULL for a file)
);
CREATE INDEX estimate_run_created ON estimate_run(created_at);
