"""The demo case end to end: generate, ingest, link, estimate, add example claims, report.

``reckon demo`` is how a new user first sees reckon work, so it runs the real
library entry points of every stage on a synthetic case with known truth, and
then grades the result against that truth: the linkage's precision and recall,
and whether the estimate's interval covers the true number of deaths.

A stage that refuses this data is reported as failed, with why, and the stages that
need its output are skipped: the demo never fakes a step. The stages are imported
when the demo runs, so ``reckon --help`` does not load them.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reckon.errors import DemoError, ReckonError
from reckon.results import Plain, to_dict
from reckon.store import init_casebook

if TYPE_CHECKING:
    import pandas as pd

    from reckon.claims.model import Claim
    from reckon.estimate.results import EstimateResult
    from reckon.excess.results import ExcessResult
    from reckon.link.evaluate import LinkageAccuracy
    from reckon.store import Casebook

MARKER = ".reckon-demo"
DEFAULT_PEOPLE = 3000
DEFAULT_SEED = 2024
STEPS = ("generate", "ingest", "link", "estimate", "claims", "excess", "report")
#: The excess estimate the demo makes from its synthetic registry (the issue's example).
EXCESS_SEX, EXCESS_AGES = "m", (15, 49)


@dataclass(frozen=True)
class ExampleClaim:
    """A fictional claim, its figure given as a share of the synthetic case's true total."""

    claimant: str
    claimant_kind: str
    measure: str
    as_of: str
    bound: str | None
    share: float | None = None
    low_share: float | None = None
    high_share: float | None = None
    statement_kind: str = "claim"


#: Fictional example claims, as shares of the synthetic case's true total, so the
#: timeline shows what real claims look like next to a count: a party's own low
#: figure, a later non-disclosure, an adversary's high one, an independent count
#: and a statistical estimate. None of them refers to a real body or person.
EXAMPLE_CLAIMS: tuple[ExampleClaim, ...] = (
    ExampleClaim(
        claimant="Ministry of Defence of Examplestan (fictional example)",
        claimant_kind="self",
        measure="killed",
        share=0.10,
        bound="exact",
        as_of="2022-09-21",
    ),
    ExampleClaim(
        claimant="Ministry of Defence of Examplestan (fictional example)",
        claimant_kind="self",
        measure="killed",
        bound=None,
        as_of="2023-06-30",
        statement_kind="non_disclosure",
    ),
    ExampleClaim(
        claimant="General Staff of Counterland (fictional example)",
        claimant_kind="adversary",
        measure="killed",
        share=2.2,
        bound="approx",
        as_of="2023-12-31",
    ),
    ExampleClaim(
        claimant="Foreign Intelligence Office of Thirdland (fictional example)",
        claimant_kind="third_party_government",
        measure="killed_or_wounded",
        share=3.0,
        bound="at_least",
        as_of="2024-02-29",
    ),
    ExampleClaim(
        claimant="Independent Casualty Count (fictional example)",
        claimant_kind="independent_count",
        measure="killed",
        share=0.55,
        bound="at_least",
        as_of="2024-06-30",
    ),
    ExampleClaim(
        claimant="Example Statistics Group (fictional example)",
        claimant_kind="statistical_estimate",
        measure="killed",
        low_share=0.85,
        high_share=1.25,
        bound="range",
        as_of="2024-09-30",
    ),
)

#: The estimate fields the demo's summary (and its ``--json``) shows.
ESTIMATE_FIELDS = ("method", "lists", "observed", "estimate", "lower", "upper", "level")


@dataclass(frozen=True)
class StepResult(Plain):
    """One step of the demo: done, failed (the stage refused the data, with why) or skipped
    (an earlier step it needs failed)."""

    name: str
    status: str
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced and how well it did against the synthetic truth."""

    folder: Path
    casebook: Path
    report: Path | None
    n_sources: int
    n_records: int
    n_people: int | None
    true_total: int
    true_documented: int
    estimate: EstimateResult | None
    estimate_covers_truth: bool | None
    linkage: LinkageAccuracy | None
    n_claims: int
    steps: tuple[StepResult, ...]
    seconds: float
    warnings: tuple[str, ...] = field(default=())
    # The same method on the true links: separates what linkage errors cost the estimate
    # from what the model's assumptions cost it.
    estimate_true_links: EstimateResult | None = None
    # The excess estimate from the synthetic registry, and the war deaths it should find.
    excess: ExcessResult | None = None
    true_excess: int | None = None
    excess_covers_truth: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        d = to_dict(self, skip=("estimate", "estimate_true_links", "excess"))
        d["estimate"] = _estimate_summary(self.estimate)
        d["estimate_true_links"] = _estimate_summary(self.estimate_true_links)
        d["excess"] = _excess_summary(self.excess)
        return d


def _excess_summary(x: ExcessResult | None) -> dict[str, Any] | None:
    if x is None:
        return None
    full = x.to_dict()
    keys = ("excess", "lower", "upper", "level", "since", "until", "sex", "ages", "method")
    out = {k: full[k] for k in keys}
    out["coverage"] = full["coverage"]["value"]
    out["warnings"] = full["warnings"]
    return out


def _estimate_summary(e: EstimateResult | None) -> dict[str, Any] | None:
    if e is None:
        return None
    full = e.to_dict()
    out = {k: full.get(k) for k in ESTIMATE_FIELDS}
    out["warnings"] = list(e.warnings)
    return out


Progress = Callable[[str, str, float], None]
"""Callback ``(step, message, fraction_done)`` so the CLI can draw progress bars."""


def _noop(step: str, message: str, fraction: float) -> None:
    return None


_MANIFEST_HEAD = (
    "# made by `reckon demo`: the files it wrote here (sha256, path). Running the demo again\n"
    "# removes these files, and only these, when they are unchanged; it touches nothing else.\n"
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> set[Path]:
    """Every file under ``folder`` (relative), the marker excepted."""
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()} - {Path(MARKER)}


def _read_manifest(folder: Path) -> dict[Path, str]:
    entries: dict[Path, str] = {}
    for line in (folder / MARKER).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sha, _, rel = line.partition("  ")
        if len(sha) != 64 or not rel:
            continue
        entries[Path(rel)] = sha
    return entries


def write_manifest(folder: Path, before: set[Path], kept: dict[Path, str]) -> None:
    """Record the files the demo wrote: those in ``folder`` now that were not there ``before``.

    ``kept`` are earlier entries still on disk (a stage that failed did not rewrite them).
    """
    entries = dict(kept)
    for rel in sorted(_files(folder) - before):
        if rel.name.endswith(("-wal", "-shm", "-journal")):
            continue  # SQLite's own, gone when the casebook is closed
        entries[rel] = _sha256(folder / rel)
    (folder / MARKER).write_text(
        _MANIFEST_HEAD + "".join(f"{sha}  {rel.as_posix()}\n" for rel, sha in entries.items()),
        encoding="utf-8",
    )


def prepare_folder(folder: Path) -> set[Path]:
    """Make ``folder`` ready: new, empty, or a previous demo's; return the files left in it.

    A previous demo's files are removed only when the manifest (:data:`MARKER`) lists
    them and they are unchanged since the demo wrote them; a changed one stops the demo
    before anything is removed. Files the demo did not write are never touched: the demo
    refuses a folder it did not make, and refuses to write over a file it did not make.
    """
    if folder.exists() and not folder.is_dir():
        raise DemoError(
            f"{folder} exists and is not a folder", hint="give another folder: reckon demo DIR"
        )
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise DemoError(
                f"{folder} is not empty and was not made by `reckon demo`",
                hint="give a new or empty folder: reckon demo DIR",
            )
        entries = _read_manifest(folder)
        if not entries and _files(folder):
            raise DemoError(
                f"{folder} was made by an older `reckon demo` that did not list its files, so "
                "the demo cannot tell its own files from yours",
                hint="move anything of yours out of it and delete it, or give a new folder",
            )
        changed = [
            rel
            for rel, sha in entries.items()
            if (folder / rel).is_file() and _sha256(folder / rel) != sha
        ]
        if changed:
            names = ", ".join(str(folder / rel) for rel in changed[:3])
            raise DemoError(
                f"{names} changed since `reckon demo` wrote {'them' if len(changed) > 1 else 'it'}; "
                "the demo removes only its own unchanged files",
                hint="move your changed files out of the folder, or give the demo a new folder",
            )
        for rel in entries:
            (folder / rel).unlink(missing_ok=True)
            for part in ("-wal", "-shm"):  # SQLite's files beside a casebook
                (folder / rel).with_name((folder / rel).name + part).unlink(missing_ok=True)
        for rel in sorted({r.parent for r in entries}, key=lambda p: -len(p.parts)):
            d = folder / rel
            if rel != Path(".") and d.is_dir() and not any(d.iterdir()):
                d.rmdir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(_MANIFEST_HEAD, encoding="utf-8")
    return _files(folder)


def _claim_targets(folder: Path, names: list[str], left: set[Path]) -> None:
    """Refuse before writing when a file the demo is about to write is one it did not make."""
    taken = [n for n in names if Path(n) in left]
    if taken:
        raise DemoError(
            f"{folder / taken[0]} is not a file of `reckon demo`; the demo will not write over it",
            hint="move it out of the folder, or give the demo a new folder",
        )


def _moved(case: Any, old: Path, new: Path) -> Any:
    """The case with its files' paths moved from ``old`` to ``new``."""
    from dataclasses import replace

    files = [replace(f, path=new / Path(f.path).relative_to(old)) for f in case.files]
    return replace(case, files=files if isinstance(case.files, list) else tuple(files))


def example_claims(true_total: int) -> list[Claim]:
    """:data:`EXAMPLE_CLAIMS` as claims, their figures scaled to ``true_total``."""
    from reckon.claims.model import Claim

    def scaled(share: float | None) -> int | None:
        return None if share is None else int(round(share * true_total, -1))

    return [
        Claim(
            claimant=spec.claimant,
            claimant_kind=spec.claimant_kind,
            party="Examplestan forces",
            measure=spec.measure,
            value=scaled(spec.share),
            bound=spec.bound,
            low=scaled(spec.low_share),
            high=scaled(spec.high_share),
            as_of=spec.as_of,
            statement_kind=spec.statement_kind,
            publisher="reckon demo (fictional example)",
            published_on=spec.as_of,
            quote="Fictional example claim made up for the reckon demo.",
            status="reported",
            confirmed=1,
            notes="Example only: not a real claim.",
        )
        for spec in EXAMPLE_CLAIMS
    ]


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

    The demo never removes or writes over a file it did not write: see :func:`prepare_folder`.
    """
    root = Path(folder)
    before = prepare_folder(root)
    _claim_targets(
        root,
        [
            "casebook/reckon.sqlite",
            "casebook/reckon.toml",
            "report.html",
            "data/registry_probate.csv",
        ],
        before,
    )
    try:
        return _run(
            root,
            n_people=n_people,
            seed=seed,
            say=progress or _noop,
            compare=compare,
            quick=quick,
            before=before,
        )
    finally:  # also after a failed step: what the demo wrote is its own to remove next time
        write_manifest(root, before, {})


def _run(
    root: Path,
    *,
    n_people: int,
    seed: int,
    say: Progress,
    compare: bool,
    quick: bool,
    before: set[Path],
) -> DemoResult:
    from reckon.claims.ledger import add_claims
    from reckon.estimate import estimate_casebook
    from reckon.estimate.results import StratifiedResult
    from reckon.ingest import ingest_file
    from reckon.link import run as link_records
    from reckon.link.evaluate import casebook_accuracy
    from reckon.report.build import build_report
    from reckon.synth import generate_case

    t_all = time.perf_counter()
    steps: list[StepResult] = []
    warnings: list[str] = []

    def done(name: str, t0: float, detail: str = "", status: str = "done") -> None:
        steps.append(StepResult(name, status, round(time.perf_counter() - t0, 2), detail))
        say(name, detail or status, 1.0)

    # 1. generate
    t0 = time.perf_counter()
    say("generate", "generating the synthetic case", 0.0)
    # generated beside the folder first, so no file the demo did not make is written over
    with tempfile.TemporaryDirectory(dir=root, prefix=".reckon-demo-new-") as tmp:
        case = generate_case(Path(tmp), n_people=n_people, seed=seed)
        made = sorted(p.relative_to(tmp) for p in Path(tmp).rglob("*") if p.is_file())
        _claim_targets(root, [str(Path("data") / m) for m in made], before)
        for m in made:
            (root / "data" / m).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(tmp) / m), root / "data" / m)
    case = _moved(case, Path(tmp), root / "data")
    true_total = int(case.n_people_total)
    truth = case.truth
    true_documented = int(truth["person_id"].nunique())
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

    # 3. link
    linkage: LinkageAccuracy | None = None
    t0 = time.perf_counter()
    say("link", "linking records into people (Splink, DuckDB)", 0.0)
    try:
        res = link_records(cb)
    except ReckonError as exc:
        linked = False
        done("link", t0, str(exc), "failed")
    else:
        linked = True
        warnings += [f"link: {w}" for w in res.warnings]
        linkage = casebook_accuracy(cb, truth)
        done("link", t0, f"{res.n_records:,} records into {res.n_people:,} people")

    # 4. estimate
    estimate: EstimateResult | None = None
    est_true: EstimateResult | None = None
    t0 = time.perf_counter()
    if linked:
        try:
            # For the report's comparison: log-linear models first, then the method the data
            # supports (the headline), last so that it is the newest run. (A stratified run is
            # left to the user: its model search per stratum costs more than the rest of the demo.)
            if compare:
                say("estimate", "log-linear models", 0.0)
                try:
                    estimate_casebook(cb, method="loglinear")
                except ReckonError as exc:
                    warnings.append(f"estimate (log-linear): {exc}")
            say("estimate", "the method the data supports", 0.5)
            # the casebook's own [estimate] seed, so `reckon estimate` on the demo's casebook
            # (and the README's walkthrough) gives the very figure the demo prints
            result = estimate_casebook(cb)
            est = result.total if isinstance(result, StratifiedResult) else result
            estimate = est
            if compare:
                say("estimate", "the same method on the true links", 0.8)
                conf = cb.settings.get("estimate", {})
                est_true = _estimate_on_true_links(
                    truth, est.method, int(conf.get("seed", 42)), conf
                )
            figure = f"{est.estimate:,.0f}" if est.estimate is not None else "no estimate"
            done("estimate", t0, f"{est.method}: {figure}")
        except ReckonError as exc:
            done("estimate", t0, str(exc), "failed")
    else:
        done("estimate", t0, "skipped: needs linked people", "skipped")

    # 5. claims
    t0 = time.perf_counter()
    n_claims = 0
    try:
        n_claims = len(add_claims(cb, example_claims(true_total)))
        done("claims", t0, f"{n_claims} fictional example claims")
    except ReckonError as exc:
        done("claims", t0, str(exc), "failed")

    # 6. excess deaths from a registry of the same synthetic war
    t0 = time.perf_counter()
    excess: ExcessResult | None = None
    true_excess: int | None = None
    say("excess", "registry counts of the same synthetic war", 0.0)
    try:
        excess, true_excess = _excess_demo(case.people, root / "data", cb, seed, say)
        done(
            "excess",
            t0,
            f"{excess.excess:,.0f} excess deaths (men {EXCESS_AGES[0]}-{EXCESS_AGES[1]}); "
            f"true {true_excess:,}",
        )
    except ReckonError as exc:
        done("excess", t0, str(exc), "failed")

    # 7. report
    t0 = time.perf_counter()
    say("report", "writing the report", 0.0)
    report = build_report(cb, root / "report.html", linkage_quality=linkage)
    done("report", t0, f"{report.path.name} and {len(report.charts)} SVG charts")

    n_sources = cb.db.execute("SELECT count(*) FROM source").fetchone()[0]
    n_records = cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0]
    cb.close()
    covers = None
    if estimate is not None and estimate.lower is not None and estimate.upper is not None:
        covers = bool(estimate.lower <= true_total <= estimate.upper)
    excess_covers = None
    if excess is not None and true_excess is not None:
        excess_covers = bool(excess.lower <= true_excess <= excess.upper)
    return DemoResult(
        folder=root,
        casebook=root / "casebook",
        report=report.path,
        n_sources=int(n_sources),
        n_records=int(n_records),
        n_people=report.n_people,
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
        excess=excess,
        true_excess=true_excess,
        excess_covers_truth=excess_covers,
    )


def _excess_demo(
    people: pd.DataFrame, data: Path, cb: Casebook, seed: int, say: Progress
) -> tuple[ExcessResult, int]:
    """Write a synthetic probate registry whose war deaths are the case's own dead, import it
    and estimate the excess; return the estimate and the war deaths it should find.

    The registry's baseline scales with the case (a country whose men of 15-64 die at about a
    thirtieth of the war's toll per week), covers 2015 to the end of the war weekly, records
    about 60% of deaths (a deaths column gives the ratio), and has women of the same ages as
    the control. The case's few women among the dead are in the women's counts too, as they
    would be in a real registry, and pull the estimate down a little.
    """
    import numpy as np

    from reckon.excess import ExcessOptions, estimate_excess, import_registry
    from reckon.synth.population import PopulationConfig
    from reckon.synth.registry import (
        PROFILE_15_64,
        RegistryConfig,
        simulate_registry,
        war_from_people,
        week_starts,
        write_registry,
    )

    war_start = PopulationConfig().war_start
    scale = len(people) / 3000
    cfg = RegistryConfig(since=war_start, weekly_deaths=tuple(scale * p for p in PROFILE_15_64))
    war = war_from_people(people, week_starts(cfg.start, cfg.end), cfg.groups)
    sim = simulate_registry(cfg, war, np.random.default_rng(seed))
    path = write_registry(sim.frame, data / "registry_probate.csv", russian=True)
    say("excess", "importing the registry", 0.3)
    import_registry(
        cb,
        path,
        name="probate (synthetic)",
        notes="Synthetic weekly probate cases and deaths made by `reckon demo`; not real data.",
    )
    say("excess", "fitting the baseline and drawing the interval", 0.5)
    result = estimate_excess(
        cb,
        ExcessOptions(
            sex=EXCESS_SEX, ages=f"{EXCESS_AGES[0]}-{EXCESS_AGES[1]}", since=war_start, seed=seed
        ),
    )
    return result, sim.true_excess(EXCESS_SEX, EXCESS_AGES, war_start)


def _estimate_on_true_links(
    truth: pd.DataFrame, method: str, seed: int, settings: dict[str, Any]
) -> EstimateResult | None:
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
        return estimate_histories(cells, method=method, seed=seed, **chain)
    except ReckonError:
        return None
