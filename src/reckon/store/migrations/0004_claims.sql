-- The claims ledger. Owned by reckon.claims.
-- One row per public claim about war losses (or per statement that a party does not disclose
-- them). Extracted claims land with confirmed = 0 until a person checks them.

CREATE TABLE claim (
    id                 INTEGER PRIMARY KEY,
    claimant           TEXT,
    claimant_role      TEXT,
    claimant_kind      TEXT CHECK (claimant_kind IN ('self', 'adversary', 'third_party_government',
                           'intelligence_leak', 'independent_count', 'statistical_estimate', 'media')
                           OR claimant_kind IS NULL),
    party              TEXT,              -- whose losses
    forces_included    TEXT,
    measure            TEXT CHECK (measure IN ('killed', 'wounded', 'killed_or_wounded', 'missing',
                           'captured', 'mobilized', 'losses') OR measure IS NULL),
    value              INTEGER CHECK (value >= 0 OR value IS NULL),
    bound              TEXT CHECK (bound IN ('exact', 'at_least', 'at_most', 'approx', 'range')
                           OR bound IS NULL),
    low                INTEGER,
    high               INTEGER,
    as_of              TEXT,              -- ISO prefix: the date the number refers to
    period_start       TEXT,
    period_end         TEXT,
    statement_kind     TEXT NOT NULL DEFAULT 'claim'
                       CHECK (statement_kind IN ('claim', 'non_disclosure')),
    source_url         TEXT,
    publisher          TEXT,
    published_on       TEXT,
    quote              TEXT,              -- the sentence the claim came from
    quote_start        INTEGER,           -- character offsets of the sentence in the article text
    quote_end          INTEGER,
    status             TEXT NOT NULL DEFAULT 'reported'
                       CHECK (status IN ('reported', 'disputed', 'superseded')),
    confirmed          INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    authenticity_notes TEXT,
    notes              TEXT,
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX claim_party_measure ON claim(party, measure);
CREATE INDEX claim_as_of ON claim(as_of);
