"""Collect what the report shows from a casebook, in one read-only pass.

The report is the public face of a casebook, so this module decides what may
leave it: counts, breakdowns, estimates, claims, settings and quality figures,
and personal names only when the caller asks for them. It never writes.

Stages land one after another (link, estimate, claims); a casebook that has not
been through a stage yet still gets a report, which says plainly which stage is
missing instead of showing a zero that would read as a finding. Every table exists
in every casebook (``open_casebook`` migrates), so a stage is missing when its
tables are empty.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from reckon import __version__
from reckon.claims.ledger import list_claims
from reckon.claims.model import Claim
from reckon.claims.timeline import ClaimPoint, timeline
from reckon.link.regions import english_region_names, region_ids
from reckon.link.review import count_uncertain, review_band
from reckon.results import Plain, to_dict
from reckon.store import Casebook, linkage_state

#: How many named people the report lists at most with ``include_names``.
MAX_NAMED_PEOPLE = 2000


@dataclass(frozen=True)
class SourceSummary(Plain):
    """The newest version of one source, and how many of the report's people it documents."""

    name: str
    kind: str
    publisher: str | None
    url: str | None
    licence: str | None
    version: int
    file_name: str | None
    sha256: str | None
    format: str | None
    retrieved_at: str | None
    ingested_at: str | None
    rows_read: int | None
    rows_stored: int | None
    rows_quarantined: int | None
    n_versions: int
    people: int


@dataclass(frozen=True)
class LinkRunSummary(Plain):
    """The newest finished link run; its settings and metrics as the link stage stored them."""

    run_id: int
    started_at: str | None
    finished_at: str | None
    threshold: float | None
    n_records: int | None
    n_people: int | None
    inputs_hash: str | None
    settings: dict[str, Any]
    metrics: dict[str, Any]


@dataclass(frozen=True)
class ReviewSummary(Plain):
    """The people's review decisions, and the uncertain pairs nobody has decided yet."""

    accept: int = 0
    reject: int = 0
    skip: int = 0
    reviewers: int = 0
    latest: str | None = None
    unreviewed_in_band: int | None = None
    review_low: float | None = None
    review_high: float | None = None

    @property
    def total(self) -> int:
        return self.accept + self.reject + self.skip


@dataclass(frozen=True)
class EstimateLinkage(Plain):
    """How linkage uncertainty entered a stored estimate (``mode`` averaged or fixed)."""

    mode: str
    reason: str | None = None
    draws: int | None = None
    undecided_pairs: int | None = None
    linkage_share: float | None = None
    fixed_estimate: float | None = None
    fixed_lower: float | None = None
    fixed_upper: float | None = None


@dataclass(frozen=True)
class RunnerUp(Plain):
    """A log-linear model close behind the chosen one, with its own estimate."""

    model: str | None
    delta: float | None
    estimate: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class StoredEstimate(Plain):
    """One stored estimate run, as the report shows it (the newest of its method, lists and stratum)."""

    id: int
    created_at: str | None
    method: str
    lists: tuple[str, ...]
    stratum: str | None
    stratified_by: str | None
    observed: int | None
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float
    inputs_hash: str | None
    link_run_id: int | None
    params: dict[str, Any]
    estimable: bool
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    model: str | None = None
    model_average: float | None = None
    se: float | None = None
    rhat: float | None = None
    ess: float | None = None
    ess_tail: float | None = None
    chao: float | None = None
    linkage: EstimateLinkage | None = None
    runners_up: tuple[RunnerUp, ...] = ()
    stale: bool = False  # made from a link run older than the newest


@dataclass(frozen=True)
class ModelRow(Plain):
    """One defensible model's estimate of the total, for the model-dependence table."""

    model: str
    method: str
    estimate: float | None
    lower: float | None
    upper: float | None
    linkage: str  # averaged | fixed


@dataclass(frozen=True)
class NamedPerson(Plain):
    """A person listed by name (only with ``include_names``)."""

    person_id: str
    name: str | None
    death: str | None
    region: str | None
    status: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything the report draws, as plain values (JSON-ready through :meth:`to_dict`)."""

    casebook_name: str
    reckon_version: str
    content_hash: str
    generated_at: str
    unit: str  # "people" once linked, "records" before
    n_raw_rows: int
    n_records: int
    n_quarantined: int
    n_people: int | None
    sources: tuple[SourceSummary, ...]
    status_counts: tuple[tuple[str, int], ...]
    by_region: tuple[tuple[str, int], ...]
    by_month: tuple[tuple[str, int], ...]
    death_date_coverage: dict[str, int]
    overlap_sets: tuple[tuple[str, int], ...]
    overlap: tuple[tuple[tuple[str, ...], int], ...]
    link: LinkRunSummary | None
    decisions: ReviewSummary
    estimates: tuple[StoredEstimate, ...]
    headline_estimate: StoredEstimate | None
    claims: tuple[Claim, ...]
    latest_claims: tuple[Claim, ...]
    timeline_claims: tuple[ClaimPoint, ...]
    deaths_total: int
    timeline_notes: tuple[str, ...]
    missing_stages: tuple[str, ...]
    unknowns: tuple[str, ...]
    include_names: bool = False
    people: tuple[NamedPerson, ...] = field(default=())
    models: tuple[ModelRow, ...] = field(default=())
    models_warning: str | None = None
    # reckon.store.linkage_state's message: the linkage is older than the records (or
    # decisions wait for a run); empty when the people are current
    linkage_note: str = ""
    #: the newest excess estimate from registry counts (see :func:`_excess`), or None
    excess: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = to_dict(self)
        d["overlap"] = [{"sources": list(s), "people": n} for s, n in self.overlap]
        return d


# --------------------------------------------------------------------------- helpers


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def content_hash(cb: Casebook) -> str:
    """sha256 over what cannot be recomputed: raw rows, review decisions and claims.

    Row ids are left out (they depend on insertion order); sources are keyed by
    name and version, decisions by (source, id in source) so the same casebook
    rebuilt from the same files and decisions hashes the same.
    """
    db = cb.db
    h = hashlib.sha256(b"reckon-casebook-content-v1\n")
    for r in db.execute(
        "SELECT s.name, v.version, rr.row_number, rr.cells FROM raw_row rr "
        "JOIN source_version v ON v.id = rr.source_version_id JOIN source s ON s.id = v.source_id "
        "ORDER BY s.name, v.version, rr.row_number"
    ):
        h.update(f"R\t{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n".encode())
    for r in db.execute(
        "SELECT sl.name, rl.source_record_id, sr.name, rr.source_record_id, d.decision, d.reviewer, "
        "d.decided_at, d.note FROM decision d "
        "JOIN record rl ON rl.id = d.record_id_l JOIN source_version vl ON vl.id = rl.source_version_id "
        "JOIN source sl ON sl.id = vl.source_id "
        "JOIN record rr ON rr.id = d.record_id_r JOIN source_version vr ON vr.id = rr.source_version_id "
        "JOIN source sr ON sr.id = vr.source_id ORDER BY d.id"
    ):
        h.update(("D\t" + "\t".join("" if v is None else str(v) for v in r) + "\n").encode())
    for r in db.execute("SELECT * FROM claim ORDER BY id"):
        row = {k: r[k] for k in r.keys() if k not in ("id", "created_at")}
        h.update(
            (
                "C\t" + json.dumps(row, sort_keys=True, ensure_ascii=False, default=str) + "\n"
            ).encode()
        )
    return h.hexdigest()


def _people_frame(db: sqlite3.Connection, linked: bool) -> pd.DataFrame:
    """One row per current record with its person (the record itself when not linked)."""
    base = (
        "SELECT c.id AS record_id, c.source, c.full_name, c.given_name, c.patronymic, c.family_name, "
        "c.region, c.death_date, c.death_date_precision, c.status, c.sex, c.age_at_death"
    )
    if linked:
        sql = base + ", p.person_id FROM current_record c JOIN person_link p ON p.record_id = c.id"
    else:
        sql = base + ", 'r' || c.id AS person_id FROM current_record c"
    return pd.read_sql_query(sql, db)


def region_labels(values: pd.Series) -> pd.Series:
    """One label per region however it was written («Бурятія», "Buryatia" -> "Buryatia").

    Uses linkage's gazetteer (ISO 3166-2 codes with Russian, Ukrainian and English
    names); a region it does not know keeps its text as recorded.
    """
    text = values.where(values.notna() & (values.astype(str).str.strip() != ""))
    english = english_region_names()
    codes = region_ids(text)
    labels = codes.map(lambda c: english.get(c) if isinstance(c, str) else None)
    return labels.where(labels.notna(), text.astype(str).str.strip()).where(text.notna())


def _mode_by(d: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Per ``key``, the most frequent non-empty ``col`` (ties: the alphabetically first), vectorised."""
    sub = d.loc[d[col].notna(), [key, col]]
    sub = sub[sub[col].astype(str).str.strip() != ""]
    if sub.empty:
        return pd.Series(dtype=object)
    counts = sub.groupby([key, col], sort=False, observed=True).size().reset_index(name="_n")
    counts = counts.sort_values([key, "_n", col], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates(key).set_index(key)[col]


def _source_sets(d: pd.DataFrame) -> pd.Series:
    """Per person, the sorted tuple of sources that document them (through a bitmask, not a loop)."""
    names = sorted(d["source"].dropna().unique())
    pairs = d[["person_id", "source"]].drop_duplicates()
    if len(names) > 62:  # beyond an int64 mask: slower, still correct
        return pairs.groupby("person_id")["source"].agg(lambda s: tuple(sorted(s)))
    bit = pairs["source"].map({s: 1 << i for i, s in enumerate(names)}).astype("int64")
    mask = bit.groupby(pairs["person_id"]).sum()
    decode = {
        m: tuple(n for i, n in enumerate(names) if m >> i & 1) for m in mask.unique().tolist()
    }
    return mask.map(decode)


def _per_person(df: pd.DataFrame, *, with_names: bool = False) -> pd.DataFrame:
    """Fold records into people: region by majority, earliest month-precise death date."""
    if df.empty:
        return pd.DataFrame(
            columns=["person_id", "region", "month", "year", "status", "sources", "name"]
        )
    d = df.copy()
    d["region"] = region_labels(d["region"])
    precise = d["death_date_precision"].isin(["month", "day"]) & d["death_date"].notna()
    death = d["death_date"].astype("string")
    d["month"] = death.where(precise).str.slice(0, 7)
    d["year"] = death.str.slice(0, 4)
    # status: killed beats missing beats wounded beats unknown
    rank = {"killed": 0, "missing": 1, "wounded": 2, "unknown": 3}
    d["status_rank"] = d["status"].map(rank).fillna(3)
    g = d.groupby("person_id", sort=False)
    out = pd.DataFrame(
        {
            "month": g["month"].min(),
            "year": g["year"].min(),
            "status_rank": g["status_rank"].min(),
            "n_records": g.size(),
        }
    )
    out["region"] = _mode_by(d, "person_id", "region").reindex(out.index)
    out["sources"] = _source_sets(d).reindex(out.index)
    out["name"] = None
    if with_names:
        full = d["full_name"].astype("string").str.strip()
        parts = (
            (
                d["family_name"].fillna("").astype(str)
                + " "
                + d["given_name"].fillna("").astype(str)
                + " "
                + d["patronymic"].fillna("").astype(str)
            )
            .str.replace(r"\s+", " ", regex=True)
            .str.strip()
        )
        d["name"] = full.where(full.notna() & (full != ""), parts.where(parts != ""))
        out["name"] = _mode_by(d, "person_id", "name").reindex(out.index)
    out = out.reset_index()
    inv = {v: k for k, v in rank.items()}
    out["status"] = out["status_rank"].map(inv)
    return out


def _sources(db: sqlite3.Connection, unit_counts: dict[str, int]) -> list[SourceSummary]:
    rows = db.execute(
        "SELECT s.name, s.kind, s.publisher, s.url, s.licence, v.version, v.file_name, v.sha256, v.format, "
        "v.retrieved_at, v.ingested_at, v.rows_read, v.rows_stored, v.rows_quarantined, "
        "(SELECT count(*) FROM source_version v3 WHERE v3.source_id = s.id) AS n_versions "
        "FROM source s JOIN source_version v ON v.source_id = s.id "
        "WHERE v.version = (SELECT max(v2.version) FROM source_version v2 WHERE v2.source_id = s.id) "
        "ORDER BY s.name"
    ).fetchall()
    return [SourceSummary(**dict(r), people=unit_counts.get(r["name"], 0)) for r in rows]


def _link(db: sqlite3.Connection) -> LinkRunSummary | None:
    r = db.execute(
        "SELECT * FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if r is None:
        return None
    return LinkRunSummary(
        run_id=r["id"],
        started_at=r["started_at"],
        finished_at=r["finished_at"],
        threshold=r["threshold"],
        n_records=r["n_records"],
        n_people=r["n_people"],
        inputs_hash=r["inputs_hash"],
        settings=_json(r["settings_json"]) or {},
        metrics=_json(r["metrics_json"]) or {},
    )


def _decisions(cb: Casebook) -> ReviewSummary:
    db = cb.db
    counts = dict(
        db.execute("SELECT decision, count(*) FROM decision GROUP BY decision").fetchall()
    )
    reviewers, latest = db.execute(
        "SELECT count(DISTINCT reviewer), max(decided_at) FROM decision"
    ).fetchone()
    low = high = band = None
    run = db.execute(
        "SELECT * FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if run is not None:
        # the same count of uncertain pairs as `reckon link` and `reckon review` give
        low, high = review_band(dict(run))
        band = count_uncertain(cb, dict(run))
    return ReviewSummary(
        accept=counts.get("accept", 0),
        reject=counts.get("reject", 0),
        skip=counts.get("skip", 0),
        reviewers=reviewers,
        latest=latest,
        unreviewed_in_band=band,
        review_low=low,
        review_high=high,
    )


def _linkage(stored: Any) -> EstimateLinkage | None:
    if not isinstance(stored, dict) or not stored.get("mode"):
        return None
    fixed = stored.get("fixed") or {}
    return EstimateLinkage(
        mode=str(stored["mode"]),
        reason=stored.get("reason"),
        draws=stored.get("draws"),
        undecided_pairs=stored.get("undecided_pairs"),
        linkage_share=stored.get("linkage_share"),
        fixed_estimate=fixed.get("estimate"),
        fixed_lower=fixed.get("lower"),
        fixed_upper=fixed.get("upper"),
    )


def _estimates(db: sqlite3.Connection) -> list[StoredEstimate]:
    """The newest run of each (method, lists, stratum): older runs are history, not findings.

    The columns of ``estimate_run`` are read as they are; the rest comes from the stored
    result (the estimate's ``to_dict()``), whose optional parts depend on the method.
    """
    by = "coalesce(stratified_by, '')"
    rows = db.execute(
        "SELECT * FROM estimate_run WHERE id IN (SELECT max(id) FROM estimate_run "
        f"GROUP BY method, lists, {by}, coalesce(stratum, '')) "
        f"ORDER BY {by} != '', {by}, stratum IS NOT NULL, stratum, id DESC"
    ).fetchall()
    out = []
    for r in rows:
        result = _json(r["result"]) or {}
        out.append(
            StoredEstimate(
                id=r["id"],
                created_at=r["created_at"],
                method=r["method"],
                lists=tuple(str(x) for x in _json(r["lists"]) or []),
                stratum=r["stratum"],
                stratified_by=r["stratified_by"],
                observed=r["observed"],
                estimate=r["estimate"],
                lower=r["lower"],
                upper=r["upper"],
                level=r["level"],
                inputs_hash=r["inputs_hash"],
                link_run_id=r["link_run_id"],
                params=_json(r["params"]) or {},
                estimable=bool(result.get("estimable", r["estimate"] is not None)),
                reason=result.get("reason") or result.get("method_reason"),
                warnings=tuple(str(w) for w in result.get("warnings") or []),
                model=result.get("model"),
                model_average=result.get("model_average"),
                se=result.get("se"),
                rhat=result.get("rhat"),
                ess=result.get("ess"),
                ess_tail=(result.get("mcmc") or {}).get("ess_tail"),
                chao=result.get("chao_lower_bound") or result.get("chao"),
                linkage=_linkage(result.get("linkage")),
                runners_up=tuple(
                    RunnerUp(
                        model=m.get("model"),
                        delta=m.get("delta"),
                        estimate=m.get("estimate"),
                        lower=m.get("lower"),
                        upper=m.get("upper"),
                    )
                    for m in result.get("runners_up") or []
                ),
            )
        )
    return out


def model_dependence(
    estimates: list[StoredEstimate] | tuple[StoredEstimate, ...],
) -> tuple[list[ModelRow], str | None]:
    """The other defensible models' estimates of the total, and a warning if they disagree.

    Rows: the best log-linear model (and its two nearest runners-up by the criterion), the
    latent-class model (LCMCR), and each stratified sum -- the newest whole-population run of
    each. Two rows disagree when their intervals do not overlap.
    """
    rows: list[ModelRow] = []
    totals = [e for e in estimates if e.stratum is None and e.estimate is not None]
    newest: dict[tuple[str, str], StoredEstimate] = {}
    for e in sorted(totals, key=lambda e: e.id):
        newest[(e.method, e.stratified_by or "")] = e
    for (method, by), e in sorted(newest.items()):
        crit = str(e.params.get("criterion") or "bic").upper()
        averaged = e.linkage is not None and e.linkage.mode == "averaged"
        if by:
            label = f"sum over {by} ({method})"
        elif method == "loglinear":
            label = f"log-linear, best by {crit}: {e.model}"
        elif method == "lcmcr":
            label = "latent classes (LCMCR)"
        else:
            label = method
        rows.append(
            ModelRow(
                label, method, e.estimate, e.lower, e.upper, "averaged" if averaged else "fixed"
            )
        )
        if method == "loglinear" and not by:
            for m in e.runners_up[:2]:
                if m.estimate is None or m.lower is None:
                    continue
                rows.append(
                    ModelRow(
                        f"log-linear, runner-up ({crit} +{float(m.delta or 0):.1f}): {m.model}",
                        method,
                        m.estimate,
                        m.lower,
                        m.upper,
                        "fixed",
                    )
                )
    warning = None
    apart = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.lower is None or a.upper is None or b.lower is None or b.upper is None:
                continue
            if a.upper < b.lower or b.upper < a.lower:
                apart.append((a.model, b.model))
    if apart:
        first, second = apart[0]
        warning = (
            f"the models disagree by more than their intervals ({first} and {second}"
            + (f", and {len(apart) - 1} more pair(s)" if len(apart) > 1 else "")
            + "): the answer depends on the model chosen, so no one interval says how uncertain "
            "the total is"
        )
    return rows, warning


def _excess(cb: Casebook) -> dict[str, Any] | None:
    """The newest excess estimate: its stored result, the registry it came from, and the named
    dead of the casebook in the same sex, age groups and period (for the table beside it)."""
    from reckon.excess import list_runs, named_dead
    from reckon.excess.lists import place_named

    runs = list_runs(cb, limit=1)
    if not runs:
        return None
    run = runs[0]
    res = run.result
    reg = cb.db.execute(
        "SELECT g.name, g.publisher, g.url, g.licence, v.version, v.file_name, v.sha256, "
        "v.frequency, v.first_period, v.last_period, v.retrieved_at, v.ingested_at, v.rows_read, "
        "(SELECT max(version) FROM registry_version x WHERE x.registry_id = g.id) AS newest "
        "FROM registry g JOIN registry_version v ON v.registry_id = g.id "
        "WHERE g.name = ? AND v.version = ?",
        (run.registry, run.registry_version),
    ).fetchone()
    people, unit = named_dead(cb)
    groups = list(res.get("age_groups") or [])
    placed, not_placed = place_named(people, run.sex, groups, run.since, run.until)
    per_group = placed["age"].value_counts().to_dict()
    per_month = placed["month"].value_counts().to_dict()
    return {
        "run_id": run.id,
        "created_at": run.created_at,
        "result": res,
        "registry": dict(reg) if reg is not None else {"name": run.registry},
        "stale": reg is not None and reg["newest"] != reg["version"],
        "named_unit": unit,
        "named_by_age": [{"age": g, "named": int(per_group.get(g, 0))} for g in groups],
        "named_by_month": [
            {"month": m["month"], "named": int(per_month.get(m["month"], 0))}
            for m in res.get("months") or []
        ],
        "named_total": int(len(placed)),
        "not_placed": not_placed,
    }


def _latest_claims(claims: list[Claim]) -> list[Claim]:
    """Newest claim of each claimant kind (superseded ones never headline)."""
    latest: dict[str, Claim] = {}
    for c in claims:
        if c.status == "superseded":
            continue
        kind = c.claimant_kind or "other"
        prev = latest.get(kind)
        if prev is None or (c.as_of or "") >= (prev.as_of or ""):
            latest[kind] = c
    return sorted(latest.values(), key=lambda c: c.as_of or "", reverse=True)


# --------------------------------------------------------------------------- main


def collect(cb: Casebook, *, include_names: bool = False) -> ReportData:
    """Read the casebook and return what the report shows."""
    db = cb.db
    missing: list[str] = []
    linked = db.execute("SELECT 1 FROM person_link LIMIT 1").fetchone() is not None
    if not linked:
        missing.append("link")
    if db.execute("SELECT 1 FROM estimate_run LIMIT 1").fetchone() is None:
        missing.append("estimate")
    if db.execute("SELECT 1 FROM claim LIMIT 1").fetchone() is None:
        missing.append("claims")

    recs = _people_frame(db, linked)
    people = _per_person(recs, with_names=include_names)
    unit = "people" if linked else "records"
    n_people = int(len(people)) if linked else None

    per_source: dict[str, int] = {}
    if not people.empty:
        per_source = people["sources"].explode().value_counts().to_dict()
    sources = _sources(db, per_source)

    region_counts = people["region"].fillna("(not recorded)").value_counts()
    top = region_counts.drop("(not recorded)", errors="ignore").sort_values(
        ascending=False, kind="stable"
    )
    keep = 20
    by_region = [(str(k), int(v)) for k, v in top.head(keep).items()]
    rest = int(top.iloc[keep:].sum()) if len(top) > keep else 0
    if rest:
        by_region.append((f"{len(top) - keep} other regions", rest))
    if "(not recorded)" in region_counts:
        by_region.append(("(not recorded)", int(region_counts["(not recorded)"])))

    claims = list_claims(cb)
    tl = timeline(cb)
    by_month = [(m.month, m.count) for m in tl.documented]
    deaths_total = tl.documented_total
    superseded = {c.id for c in claims if c.status == "superseded"}
    timeline_claims = [c for c in tl.claims if c.claim_id not in superseded]
    timeline_notes = list(tl.notes)
    coverage = {
        "month_or_day": int(people["month"].notna().sum()),
        "year_only": int((people["month"].isna() & people["year"].notna()).sum()),
        "none": int(people["year"].isna().sum()),
    }
    status_counts = (
        [(str(k), int(v)) for k, v in people["status"].value_counts().items()]
        if not people.empty
        else []
    )

    overlap_sets = [(s.name, s.people) for s in sources if s.people]
    overlap: list[tuple[tuple[str, ...], int]] = []
    if linked:
        combos = people["sources"].value_counts()
        overlap = [(tuple(k), int(v)) for k, v in combos.items()]

    link = _link(db)
    decisions = _decisions(cb)
    estimates = _estimates(db)
    # messages stored by other stages may name the casebook's full path (a user name, a
    # machine's layout): a published report names the folder only
    folder = cb.path.resolve().name
    paths = sorted({str(cb.path), str(cb.path.resolve())}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for p in paths:
            text = text.replace(p, folder)
        return text

    run_now = link.run_id if link else None

    def as_shown(e: StoredEstimate) -> StoredEstimate:
        made_from = e.link_run_id
        stale = run_now is not None and made_from is not None and made_from != run_now
        warnings = [scrub(w) for w in e.warnings]
        if stale:
            warnings.insert(
                0,
                f"made from linkage run {made_from}; linkage has since been re-run "
                f"(run {run_now}): re-run `reckon estimate`",
            )
        reason = scrub(e.reason) if e.reason is not None else None
        return replace(e, reason=reason, warnings=tuple(warnings), stale=stale)

    estimates = [as_shown(e) for e in estimates]
    totals = [e for e in estimates if e.stratum is None and e.estimate is not None]
    whole = [e for e in totals if not e.stratified_by]  # a whole-population run beats a sum
    headline = max(whole or totals, key=lambda e: e.id) if totals else None

    n_raw = db.execute("SELECT count(*) FROM raw_row").fetchone()[0]
    n_records = db.execute("SELECT count(*) FROM current_record").fetchone()[0]
    n_quar = db.execute(
        "SELECT count(DISTINCT q.raw_row_id) FROM quarantine q JOIN source_version v ON v.id = q.source_version_id "
        "WHERE v.version = (SELECT max(v2.version) FROM source_version v2 WHERE v2.source_id = v.source_id)"
    ).fetchone()[0]

    named: list[NamedPerson] = []
    if include_names and not people.empty:
        shown = people.sort_values(["name", "person_id"], na_position="last").head(MAX_NAMED_PEOPLE)
        shown = shown.astype({"month": object, "year": object}).where(shown.notna(), None)
        named = [
            NamedPerson(
                person_id=str(r.person_id),
                name=r.name,
                death=r.month if r.month else r.year,
                region=r.region,
                status=r.status,
                sources=tuple(r.sources),
            )
            for r in shown.itertuples(index=False)
        ]

    model_rows, models_warning = model_dependence(estimates)
    unknowns = _unknowns(
        unit, len(people), coverage, by_region, n_quar, decisions, headline, claims, missing
    )
    state = linkage_state(cb) if linked else None
    linkage_note = state.message if state else ""
    if state and state.stale:
        unknowns.insert(
            1,
            "The people counted here come from a linkage made before the newest records were "
            f"ingested, so those records are not among them ({linkage_note}).",
        )
    elif linkage_note:
        unknowns.insert(1, linkage_note[0].upper() + linkage_note[1:] + ".")
    if models_warning:
        unknowns.append("The estimate depends on the model: " + models_warning + ".")
    if headline is not None and headline.stale:
        unknowns.insert(
            1,
            "The headline estimate was made before the latest linkage run, so it does not reflect "
            "the current people; re-run `reckon estimate`.",
        )
    return ReportData(
        casebook_name=cb.path.resolve().name,
        reckon_version=__version__,
        content_hash=content_hash(cb),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        unit=unit,
        n_raw_rows=int(n_raw),
        n_records=int(n_records),
        n_quarantined=int(n_quar),
        n_people=n_people,
        sources=tuple(sources),
        status_counts=tuple(status_counts),
        by_region=tuple(by_region),
        by_month=tuple(by_month),
        death_date_coverage=coverage,
        overlap_sets=tuple(overlap_sets),
        overlap=tuple(overlap),
        link=link,
        decisions=decisions,
        estimates=tuple(estimates),
        headline_estimate=headline,
        claims=tuple(claims),
        latest_claims=tuple(_latest_claims(claims)),
        timeline_claims=tuple(timeline_claims),
        deaths_total=deaths_total,
        timeline_notes=tuple(timeline_notes),
        missing_stages=tuple(missing),
        unknowns=tuple(unknowns),
        include_names=include_names,
        people=tuple(named),
        models=tuple(model_rows),
        models_warning=models_warning,
        linkage_note=linkage_note,
        excess=_excess(cb),
    )


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "0%"


def _unknowns(
    unit: str,
    total: int,
    coverage: dict[str, int],
    by_region: list[tuple[str, int]],
    n_quar: int,
    decisions: ReviewSummary,
    headline: StoredEstimate | None,
    claims: list[Claim],
    missing: list[str],
) -> list[str]:
    """Plain statements of what this casebook does not know (the Standards ask for them)."""
    out = [
        "The documented count is a floor: it contains only deaths that reached at least one source "
        "and could be identified by name."
    ]
    if "link" in missing:
        out.append(
            "Records have not been linked into people yet, so counts are of records and "
            "include duplicates of the same person."
        )
    if coverage["year_only"] or coverage["none"]:
        out.append(
            f"{coverage['year_only']:,} {unit} ({_pct(coverage['year_only'], total)}) have only a year of death and "
            f"{coverage['none']:,} ({_pct(coverage['none'], total)}) no date of death; they are counted in the totals "
            "but missing from the charts by month."
        )
    unrec = dict(by_region).get("(not recorded)", 0)
    if unrec:
        out.append(f"{unrec:,} {unit} ({_pct(unrec, total)}) have no recorded region.")
    if n_quar:
        out.append(
            f"{n_quar:,} source rows could not be read into records (quarantined) and are not counted."
        )
    band = decisions.unreviewed_in_band
    if band:
        out.append(
            f"{band:,} uncertain record pairs (match probability {decisions.review_low:g} to "
            f"{decisions.review_high:g}) have not been decided by a person; "
            "some may be one person counted twice, or two people merged."
        )
    if headline is None:
        out.append(
            "No estimate of the deaths that no source recorded has been made, so the size of the gap "
            "between the documented count and the true total is not known."
        )
    else:
        out.append(
            "Deaths that no source recorded are estimated only as a number: nothing is known about "
            "who they were, where or when they died."
        )
    unconfirmed = sum(1 for c in claims if not c.confirmed)
    if unconfirmed:
        out.append(
            f"{unconfirmed:,} claim{'s were' if unconfirmed != 1 else ' was'} extracted automatically and "
            "not yet confirmed by a person."
        )
    return out
