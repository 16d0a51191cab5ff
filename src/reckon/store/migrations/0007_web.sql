-- The team web app (reckon serve). Owned by reckon.web.
-- Django's own tables (auth_user, django_session, ...) are created by Django's migrate on the
-- same file when the web app is first set up (docs/web.md); the tables here are reckon's.

-- Every write made through the web app, and every failed sign-in: who, when, what, from where.
-- Append-only: triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor       TEXT,                 -- user name (NULL for an anonymous request)
    action      TEXT NOT NULL,        -- decision, intake_submit, intake_accept, user_add, signin_failure, ...
    target      TEXT,                 -- what it touched: a pair "12-40", a report id, a user name
    detail      TEXT NOT NULL DEFAULT '{}',  -- JSON
    address     TEXT,                 -- client address as the server saw it
    request_id  TEXT UNIQUE           -- the form's one-time token: a resubmission is not a second write
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Failed sign-ins, counted per user name and address for throttling (the audit log keeps them
-- for good; rows here are cleared on a successful sign-in).
CREATE TABLE login_failure (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    address   TEXT NOT NULL,
    at        REAL NOT NULL           -- unix time
);
CREATE INDEX login_failure_key ON login_failure(username, address, at);

-- Families' reports of a death, as entered. A report becomes a record of the family_intake
-- source when an intake user accepts it; until then it is pending and no stage reads it.
CREATE TABLE intake_report (
    id                 INTEGER PRIMARY KEY,
    submitted_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    submitted_by       TEXT,
    cells              TEXT NOT NULL,   -- JSON object: the form's fields exactly as entered
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_by         TEXT,
    decided_at         TEXT,
    decision_note      TEXT,
    source_version_id  INTEGER REFERENCES source_version(id)  -- the version that first held it
);
CREATE INDEX intake_report_status ON intake_report(status, id);

CREATE TRIGGER intake_report_cells_fixed BEFORE UPDATE OF cells ON intake_report
BEGIN SELECT RAISE(ABORT, 'a report is kept as entered'); END;
CREATE TRIGGER intake_report_no_delete BEFORE DELETE ON intake_report
BEGIN SELECT RAISE(ABORT, 'reports are never deleted: reject them'); END;

-- The relative's contact details, kept apart from the report: never part of a record, shown
-- only to intake and admin users.
CREATE TABLE intake_contact (
    report_id  INTEGER PRIMARY KEY REFERENCES intake_report(id),
    name       TEXT,
    relation   TEXT,
    contact    TEXT
);

-- Pairs on which two reviewers disagreed, for an admin to settle. Resolved when an admin
-- decides the pair; the decisions themselves all stay in the decision table.
CREATE TABLE review_flag (
    id           INTEGER PRIMARY KEY,
    record_id_l  INTEGER NOT NULL,
    record_id_r  INTEGER NOT NULL,
    raised_at    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    resolved_by  TEXT,
    resolved_at  TEXT
);
CREATE INDEX review_flag_pair ON review_flag(record_id_l, record_id_r);

-- Name search: the keys of each record's name (derived; rebuilt by reckon.web.search).
CREATE TABLE name_key (
    record_id       INTEGER PRIMARY KEY,
    family_key      TEXT,
    given_key       TEXT,
    patronymic_key  TEXT,
    birth_year      INTEGER,
    region          TEXT             -- case-folded
);
CREATE INDEX name_key_family ON name_key(family_key, given_key);
CREATE INDEX name_key_given ON name_key(given_key);
