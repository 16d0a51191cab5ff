-- Linkage: runs, the people they found, scored pairs and human review decisions.
-- Owned by reckon.link. Runs, pairs and person_record are derived and can be rebuilt from the
-- records plus the decisions; decisions are human work and are never updated or deleted.

CREATE TABLE link_run (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    settings_json TEXT NOT NULL,           -- reckon.link.LinkSettings.to_json()
    model_json    TEXT,                    -- the trained Splink model (settings with m/u values)
    metrics_json  TEXT,                    -- counts, timings, warnings of the run
    inputs_hash   TEXT,                    -- sha256 over records, decisions and settings
    threshold     REAL,
    n_records     INTEGER,
    n_people      INTEGER
);

CREATE TABLE person_record (
    run_id            INTEGER NOT NULL REFERENCES link_run(id),
    person_id         TEXT NOT NULL,
    record_id         INTEGER NOT NULL REFERENCES record(id),
    match_probability REAL,                -- strongest link of this record inside its person
    PRIMARY KEY (run_id, record_id)
);
CREATE INDEX person_record_person ON person_record(run_id, person_id);

-- Scored candidate pairs of a run at or above the review floor, with the match weight each
-- comparison contributed (JSON array in the order of the run's comparisons) for the waterfall.
CREATE TABLE pair (
    run_id            INTEGER NOT NULL REFERENCES link_run(id),
    record_id_l       INTEGER NOT NULL,
    record_id_r       INTEGER NOT NULL,
    match_weight      REAL NOT NULL,
    match_probability REAL NOT NULL,
    weights_json      TEXT,
    PRIMARY KEY (run_id, record_id_l, record_id_r)
);
CREATE INDEX pair_right ON pair(run_id, record_id_r);

CREATE TABLE decision (
    id           INTEGER PRIMARY KEY,
    record_id_l  INTEGER NOT NULL,
    record_id_r  INTEGER NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'skip')),
    reviewer     TEXT,
    decided_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    note         TEXT,
    CHECK (record_id_l < record_id_r)
);
CREATE INDEX decision_pair ON decision(record_id_l, record_id_r);

CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
BEGIN SELECT RAISE(ABORT, 'decisions are never rewritten: record a new one'); END;
CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
BEGIN SELECT RAISE(ABORT, 'decisions are never deleted: record a new one'); END;

-- The newest finished run's person for every record it linked (singletons included).
CREATE VIEW person_link AS
SELECT pr.person_id, pr.record_id, c.source, pr.match_probability
FROM person_record pr
JOIN current_record c ON c.id = pr.record_id
WHERE pr.run_id = (SELECT max(id) FROM link_run WHERE finished_at IS NOT NULL);
