"""The demo case end to end: generate, ingest, link, estimate, add example claims, report.

``reckon demo`` is how a new user first sees reckon work, so it runs the real
library entry points of every stage on a synthetic case with known truth, and
then grades the result against that truth: the linkage's precision and recall,
and whether the estimate's interval covers the true number of deaths.

A stage that is not installed (or refuses this data) is reported as such and the
demo goes on with what it has: it never fakes a step.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reckon.errors import ReckonError, ReportError
from reckon.store import Casebook, init_casebook

MARKER = ".reckon-demo"
DEFAULT_PEOPLE = 3000
DEFAULT_SEED = 2024
STEPS = ("generate", "ingest", "link", "estimate", "claims", "report")

#: Fictional example claims, as shares of the synthetic case's true total, so the
#: timeline shows what real claims look like next to a count: a party's own low
#: figure, a later non-disclosure, an adversary's high one, an independent count
#: and a statistical estimate. None of them refers to a real body or person.
EXAMPLE_CLAIMS: tuple[dict[str, Any], ...] = (
    {
        "claimant": "Ministry of Defence of Examplestan (fictional example)",
        "claimant_kind": "self",
        "measure": "killed",
        "share": 0.10,
        "bound": "exact",
        "as_of": "2022-09-21",
    },
    {
        "claimant": "Ministry of Defence of Examplestan (fictional example)",
        "claimant_kind": "self",
        "measure": "killed",
        "share": None,
        "bound": None,
        "as_of": "2023-06-30",
        "statement_kind": "non_disclosure",
    },
    {
        "claimant": "General Staff of Counterland (fictional example)",
        "claimant_kind": "adversary",
        "measure": "killed",
        "share": 2.2,
        "bound": "approx",
        "as_of": "2023-12-31",
    },
    {
        "claimant": "Foreign Intelligence Office of Thirdland (fictional example)",
        "claimant_kind": "third_party_government",
        "measure": "killed_or_wounded",
        "share": 3.0,
        "bound": "at_least",
        "as_of": "2024-02-29",
    },
    {
        "claimant": "Independent Casualty Count (fictional example)",
        "claimant_kind": "independent_count",
        "measure": "killed",
        "share": 0.55,
        "bound": "at_least",
        "as_of": "2024-06-30",
    },
    {
        "claimant": "Example Statistics Group (fictional example)",
        "claimant_kind": "statistical_estimate",
        "measure": "killed",
        "low_share": 0.85,
        "high_share": 1.25,
        "bound": "range",
        "as_of": "2024-09-30",
    },
)


@dataclass(frozen=True)
class StepResult:
    """One step of the demo: done, unavailable (stage not installed) or failed (with why)."""

    name: str
    status: str
    seconds: float
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced and how well it did against the synthetic truth."""

    folder: Path
    casebook: Path
    report: Path | None
    n_sources: int
    n_records: int
    n_people: int | None
    true_total: int | None
    true_documented: int | None
    estimate: dict[str, Any] | None
    estimate_covers_truth: bool | None
    linkage: dict[str, Any] | None
    n_claims: int
    steps: tuple[StepResult, ...]
    seconds: float
    warnings: tuple[str, ...] = field(default=())
    # The same method on the true links: separates what linkage errors cost the estimate
    # from what the model's assumptions cost it.
    estimate_true_links: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["folder"], d["casebook"] = str(self.folder), str(self.casebook)
        d["report"] = str(self.report) if self.report else None
        d["steps"] = [s.to_dict() for s in self.steps]
        d["warnings"] = list(self.warnings)
        return d


Progress = Callable[[str, str, float], None]
"""Callback ``(step, message, fraction_done)`` so the CLI can draw progress bars."""


def _noop(step: str, message: str, fraction: float) -> None:
    return None


def prepare_folder(folder: Path) -> None:
    """Make ``folder`` ready: new, empty, or a previous demo's (whose own files are replaced).

    Anything else is refused, so the demo can never delete a user's data.
    """
    if folder.exists() and not folder.is_dir():
        raise ReportError(
            f"{folder} exists and is not a folder", hint="give another folder: reckon demo DIR"
        )
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise ReportError(
                f"{folder} is not empty and was not made by `reckon demo`",
                hint="give a new or empty folder: reckon demo DIR",
            )
        for name in ("data", "casebook"):
            shutil.rmtree(folder / name, ignore_errors=True)
        for p in list(folder.glob("report*.html")) + list(folder.glob("report-*.svg")):
            p.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "made by `reckon demo`; running it again replaces data/, casebook/ and report*\n",
        encoding="utf-8",
    )


def _example_claims(true_total: int) -> list[Any]:
    from reckon.claims.model import Claim

    out = []
    for spec in EXAMPLE_CLAIMS:

        def scaled(share: float | None) -> int | None:
            return None if share is None else int(round(share * true_total, -1))

        out.append(
            Claim(
                claimant=spec["claimant"],
                claimant_kind=spec["claimant_kind"],
                party="Examplestan forces",
                measure=spec["measure"],
                value=scaled(spec.get("share")),
                bound=spec.get("bound"),
                low=scaled(spec.get("low_share")),
                high=scaled(spec.get("high_share")),
                as_of=spec["as_of"],
                statement_kind=spec.get("statement_kind", "claim"),
                publisher="reckon demo (fictional example)",
                published_on=spec["as_of"],
                quote="Fictional example claim made up for the reckon demo.",
                status="reported",
                confirmed=1,
                notes="Example only: not a real claim.",
            )
        )
    return out


def linkage_accuracy(cb: Casebook, truth: Any) -> dict[str, Any]:
    """Pairwise and cluster precision / recall / F1 of the newest link run against the truth.

    ``truth`` has one row per generated record: source, record_id (as in the file)
    and person_id. Records the casebook quarantined are left out of both sides.
    """
    import numpy as np
    import pandas as pd

    from reckon.link.evaluate import cluster_scores, pairwise_scores

    rec = pd.read_sql_query(
        "SELECT c.id, c.source, c.source_record_id, p.person_id FROM current_record c "
        "JOIN person_link p ON p.record_id = c.id",
        cb.db,
    )
    t = truth[["source", "record_id", "person_id"]].astype({"record_id": str, "person_id": str})
    m = rec.merge(
        t.rename(columns={"record_id": "source_record_id", "person_id": "true_person"}),
        on=["source", "source_record_id"],
        how="inner",
    )
    if m.empty:
        raise ReportError("the generated truth does not match any record id in the casebook")
    ids = m["id"].to_numpy(dtype=np.int64)
    truth_labels = m["true_person"].to_numpy()
    run_id, threshold = cb.db.execute(
        "SELECT id, threshold FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    pairs = pd.read_sql_query(
        "SELECT record_id_l, record_id_r, match_probability FROM pair WHERE run_id = ?",
        cb.db,
        params=(run_id,),
    )
    pw = pairwise_scores(pairs, ids, truth_labels, float(threshold))
    cl = cluster_scores(ids, m["person_id"].to_numpy(), ids, truth_labels)
    return {
        "measured_on": f"the synthetic truth of {len(m):,} records",
        "pairwise_precision": pw.precision,
        "pairwise_recall": pw.recall,
        "pairwise_f1": pw.f1,
        "cluster_precision": cl.precision,
        "cluster_recall": cl.recall,
        "cluster_f1": cl.f1,
        "people_found": int(m["person_id"].nunique()),
        "people_true": int(m["true_person"].nunique()),
    }


def run_demo(
    folder: str | Path = "reckon-demo",
    *,
    n_people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    compare: bool = True,
    quick: bool = False,
) -> DemoResult:
    """Run the whole pipeline on a synthetic case in ``folder`` and grade it against the truth.

    ``compare`` also stores a log-linear estimate beside the default method's, so the
    report shows two methods side by side. ``quick`` runs LCMCR with short chains
    (2,000 burn-in and kept sweeps): a first look, with fewer effective samples.
    """
    say = progress or _noop
    t_all = time.perf_counter()
    root = Path(folder)
    prepare_folder(root)
    steps: list[StepResult] = []
    warnings: list[str] = []

    def done(name: str, t0: float, detail: str = "", status: str = "done") -> None:
        steps.append(StepResult(name, status, round(time.perf_counter() - t0, 2), detail))
        say(name, detail or status, 1.0)

    # 1. generate
    t0 = time.perf_counter()
    say("generate", "generating the synthetic case", 0.0)
    try:
        from reckon.synth import generate_case
    except ImportError:
        raise ReportError(
            "the synthetic case generator (reckon.synth) is not available in this install",
            hint="the demo needs reckon.synth.generate_case",
        ) from None
    try:
        case = generate_case(root / "data", n_people=n_people, seed=seed)
    except ImportError as exc:  # a stage the generator leans on (names) is missing
        raise ReportError(
            f"the synthetic case could not be generated: {exc}",
            hint="this install lacks a stage the demo needs; see `reckon --help`",
        ) from None
    true_total = int(case.n_people_total)
    truth = case.truth
    true_documented = int(truth["person_id"].nunique()) if truth is not None else None
    done(
        "generate",
        t0,
        f"{len(case.files)} source files for {true_total:,} deaths ({true_documented:,} in some list)",
    )

    # 2. ingest
    t0 = time.perf_counter()
    cb = init_casebook(root / "casebook")
    if quick:  # in memory only: the casebook's reckon.toml keeps the defaults
        cb.settings.setdefault("estimate", {}).update(lcmcr_burnin=2000, lcmcr_samples=2000)
    try:
        from reckon.ingest import ingest_file

        for i, f in enumerate(case.files):
            say("ingest", f"{f.source} ({Path(f.path).name})", i / max(len(case.files), 1))
            ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
        n_records = cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0]
        n_quar = cb.db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        done(
            "ingest",
            t0,
            f"{n_records:,} records from {len(case.files)} sources ({n_quar:,} rows quarantined)",
        )
        ingested = True
    except ImportError:
        done("ingest", t0, "reckon.ingest is not available", "unavailable")
        ingested = False

    # 3. link
    linked = False
    linkage: dict[str, Any] | None = None
    t0 = time.perf_counter()
    if ingested:
        say("link", "linking records into people (Splink, DuckDB)", 0.0)
        try:
            from reckon.link import run as link_run

            res = link_run(cb)
            linked = True
            warnings += [f"link: {w}" for w in res.warnings]
            try:
                linkage = linkage_accuracy(cb, truth)
            except (ImportError, ReckonError) as exc:
                warnings.append(f"linkage accuracy not measured: {exc}")
            done("link", t0, f"{res.n_records:,} records into {res.n_people:,} people")
        except ImportError:
            done("link", t0, "reckon.link is not available", "unavailable")
        except ReckonError as exc:
            done("link", t0, str(exc), "failed")
    else:
        done("link", t0, "skipped: nothing ingested", "unavailable")

    # 4. estimate
    estimate: dict[str, Any] | None = None
    est_true: dict[str, Any] | None = None
    t0 = time.perf_counter()
    if linked:
        try:
            from reckon.estimate import estimate_casebook

            # For the report's comparison: log-linear models first, then the method the data
            # supports (the headline), last so that it is the newest run. (A stratified run is
            # left to the user: its model search per stratum costs more than the rest of the demo.)
            if compare:
                say("estimate", "log-linear models", 0.0)
                try:
                    estimate_casebook(cb, method="loglinear", seed=seed)
                except ReckonError as exc:
                    warnings.append(f"estimate (log-linear): {exc}")
            say("estimate", "the method the data supports", 0.5)
            est = estimate_casebook(cb, seed=seed)
            full = est.to_dict()
            estimate = {
                k: full.get(k)
                for k in ("method", "lists", "observed", "estimate", "lower", "upper", "level")
            }
            estimate["warnings"] = list(full.get("warnings") or [])
            estimate["linkage"] = full.get("linkage")
            if compare and truth is not None:
                say("estimate", "the same method on the true links", 0.8)
                est_true = _estimate_on_true_links(
                    truth, estimate["method"], seed, cb.settings.get("estimate", {})
                )
            done("estimate", t0, f"{estimate['method']}: {estimate['estimate']:,.0f}")
        except ImportError:
            done("estimate", t0, "reckon.estimate is not available", "unavailable")
        except ReckonError as exc:
            done("estimate", t0, str(exc), "failed")
    else:
        done("estimate", t0, "skipped: needs linked people", "unavailable")

    # 5. claims
    t0 = time.perf_counter()
    n_claims = 0
    try:
        from reckon.claims.ledger import add_claims

        added = add_claims(cb, _example_claims(true_total))
        n_claims = len(added)
        done("claims", t0, f"{n_claims} fictional example claims")
    except ImportError:
        done("claims", t0, "reckon.claims is not available", "unavailable")
    except ReckonError as exc:
        done("claims", t0, str(exc), "failed")

    # 6. report
    t0 = time.perf_counter()
    say("report", "writing the report", 0.0)
    from reckon.report.build import build_report

    report = build_report(cb, root / "report.html", linkage_quality=linkage)
    done("report", t0, f"{report.path.name} and {len(report.charts)} SVG charts")

    n_sources = cb.db.execute("SELECT count(*) FROM source").fetchone()[0]
    n_records = cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0]
    n_people = report.n_people
    cb.close()
    covers = None
    if estimate and estimate.get("lower") is not None and estimate.get("upper") is not None:
        covers = bool(estimate["lower"] <= true_total <= estimate["upper"])
    return DemoResult(
        folder=root,
        casebook=root / "casebook",
        report=report.path,
        n_sources=int(n_sources),
        n_records=int(n_records),
        n_people=n_people,
        true_total=true_total,
        true_documented=true_documented,
        estimate=estimate,
        estimate_covers_truth=covers,
        linkage=linkage,
        n_claims=n_claims,
        steps=tuple(steps),
        seconds=round(time.perf_counter() - t_all, 1),
        warnings=tuple(warnings),
        estimate_true_links=est_true,
    )


def _estimate_on_true_links(
    truth: Any, method: str, seed: int, settings: dict[str, Any]
) -> dict[str, Any] | None:
    """The estimate from the generated truth's capture histories (perfect linkage), not stored.

    Uses the casebook's LCMCR chain lengths, so it is as long (or as quick) as the headline run.
    """
    import pandas as pd

    from reckon.estimate import estimate_histories

    seen = pd.crosstab(truth["person_id"], truth["source"]).clip(upper=1)
    cells = seen.groupby(list(seen.columns)).size().reset_index(name="count")
    chain = (
        {
            k: settings[s]
            for k, s in (("burnin", "lcmcr_burnin"), ("samples", "lcmcr_samples"))
            if s in settings
        }
        if method == "lcmcr"
        else {}
    )
    try:
        r = estimate_histories(cells, method=method, seed=seed, **chain).to_dict()
    except ReckonError:
        return None
    return {k: r.get(k) for k in ("method", "observed", "estimate", "lower", "upper", "level")}
