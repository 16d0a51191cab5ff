"""``reckon estimate``: how many deaths did no list record? (multiple systems estimation)"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from reckon.cli._common import CasebookOpt, JsonOpt, casebook, console, print_json

if TYPE_CHECKING:
    from reckon.estimate.results import EstimateResult, StratifiedResult


def _n(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def _main_table(r: EstimateResult, title: str) -> Table:
    t = Table(title=title, show_header=False)
    t.add_column("", style="dim")
    t.add_column("value")
    pct = int(round(r.level * 100))
    rows: list[tuple[str, str]] = [
        ("method", r.method),
        ("lists", ", ".join(r.lists)),
        ("documented", f"{r.observed:,}"),
    ]
    if r.estimable:
        rows.append(("estimate", _n(r.estimate)))
        rows.append((f"{pct}% interval", f"{_n(r.lower)} - {_n(r.upper)}"))
        if r.se is not None:
            rows.append(("SE" if r.method != "lcmcr" else "posterior SD", _n(r.se)))
    else:
        rows.append(("estimate", f"[red]none[/]: {r.reason}"))
    if r.model:
        best = f" (best {r.criterion.upper()})" if r.criterion else ""
        rows.append(("model", r.model + best))
    if r.model_average is not None:
        rows.append(("model-averaged", f"{_n(r.model_average)} (SE {_n(r.model_average_se)})"))
    if r.chao_lower_bound is not None:
        rows.append(("Chao lower bound", _n(r.chao_lower_bound)))
    lk = r.linkage
    if lk is not None and lk.mode == "averaged":
        rows.append(
            (
                f"{pct}% interval, linkage fixed",
                f"{_n(lk.fixed_estimate)} ({_n(lk.fixed_lower)} - {_n(lk.fixed_upper)})",
            )
        )
        share = lk.linkage_share
        rows.append(
            (
                "linkage",
                f"averaged over {lk.draws} draws ({lk.undecided_pairs:,} undecided pairs)"
                + (f"; {share:.0%} of the variance from linkage" if share is not None else ""),
            )
        )
    elif lk is not None and lk.reason:
        rows.append(("linkage", lk.reason))
    mc = r.mcmc
    if mc is not None:
        tail = mc.ess_tail
        rows.append(
            (
                "R-hat / bulk, tail ESS",
                f"{mc.rhat:.3f} / {mc.ess:,.0f}" + (f", {tail:,.0f}" if tail is not None else ""),
            )
        )
    if r.choice:
        rows.append(("why this method", r.choice))
    for k, v in rows:
        t.add_row(k, v)
    return t


def _runners_table(r: EstimateResult) -> Table:
    t = Table(title=f"Runner-up models (by {(r.criterion or '').upper()})")
    for c in ("model", "delta", "weight", "estimate", "interval"):
        t.add_column(c)
    for m in r.models[1:6]:
        t.add_row(
            m.label,
            f"{m.delta:.2f}" if m.delta is not None else "-",
            f"{m.weight:.3f}" if m.weight is not None else "-",
            _n(m.estimate),
            f"{_n(m.lower)} - {_n(m.upper)}",
        )
    return t


def _strata_table(r: StratifiedResult) -> Table:
    pct = int(round(r.total.level * 100))
    t = Table(title=f"Estimates by {r.by}")
    for c in (r.by, "method", "documented", "estimate", f"{pct}% interval", "note"):
        t.add_column(c)
    for s in (*r.strata, replace(r.total, stratum="TOTAL")):
        t.add_row(
            str(s.stratum),
            s.method,
            f"{s.observed:,}",
            _n(s.estimate),
            f"{_n(s.lower)} - {_n(s.upper)}",
            "" if s.estimable else s.reason or "",
        )
    return t


MethodOpt = Annotated[
    str | None,
    typer.Option(
        "--method", help="auto, petersen, loglinear or lcmcr (default: reckon.toml, else auto)."
    ),
]
CriterionOpt = Annotated[
    str | None, typer.Option("--criterion", help="Log-linear model choice: bic or aic.")
]
ListsOpt = Annotated[
    str | None,
    typer.Option("--lists", help="Comma-separated lists to use (sources or --group names)."),
]
GroupOpt = Annotated[
    list[str] | None,
    typer.Option("--group", help="Merge sources into one list: NAME=SRC1,SRC2 (repeatable)."),
]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Estimate per stratum and sum: region, death_year, sex, ..."),
]
HistoriesOpt = Annotated[
    Path | None,
    typer.Option(
        "--histories", help="CSV of capture histories (0/1 per list + count); no casebook needed."
    ),
]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Random seed of the LCMCR sampler.")]
LinkageOpt = Annotated[
    str | None,
    typer.Option(
        "--linkage",
        help="auto (average over linkage draws when review pairs are undecided), averaged or "
        "fixed (take the link run as certain).",
    ),
]
DrawsOpt = Annotated[
    int | None, typer.Option("--draws", help="Linkage draws to average over (default 20).")
]
SamplesOpt = Annotated[
    int | None, typer.Option("--samples", help="LCMCR draws kept per chain (lcmcr_samples).")
]
BurninOpt = Annotated[
    int | None, typer.Option("--burnin", help="LCMCR burn-in sweeps per chain (lcmcr_burnin).")
]
ThinningOpt = Annotated[
    int | None, typer.Option("--thinning", help="LCMCR: keep one sweep in this many.")
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Run LCMCR on three lists although it is not identifiable.")
]


def _toml_settings(cb_path: Path | None) -> dict[str, Any]:
    """``[estimate]`` of the casebook folder's reckon.toml (-C, $RECKON_CASEBOOK or here), if any."""
    import os

    from reckon.store.casebook import ENV_VAR, SETTINGS_NAME, read_settings

    folder = cb_path or Path(os.environ.get(ENV_VAR) or ".")
    if not (folder / SETTINGS_NAME).exists():
        return {}
    return dict(read_settings(folder).get("estimate", {}))


def estimate(
    method: MethodOpt = None,
    criterion: CriterionOpt = None,
    lists: ListsOpt = None,
    group: GroupOpt = None,
    by: ByOpt = None,
    histories: HistoriesOpt = None,
    seed: SeedOpt = None,
    linkage: LinkageOpt = None,
    draws: DrawsOpt = None,
    samples: SamplesOpt = None,
    burnin: BurninOpt = None,
    thinning: ThinningOpt = None,
    force: ForceOpt = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Estimate the total number of deaths, documented or not, from how the lists overlap.

    Example: reckon estimate --method loglinear --histories kosovo.csv
    Example: reckon estimate --group media=telegram,news --by region -C case/
    Example: reckon estimate --linkage fixed --samples 20000 -C case/
    """
    from reckon.errors import EstimateError
    from reckon.estimate import estimate_casebook, estimate_histories, sampler_settings
    from reckon.estimate.results import StratifiedResult

    list_names = [x.strip() for x in lists.split(",") if x.strip()] if lists else None
    if histories is not None:
        if group or by:
            raise EstimateError(
                "--group and --by need linked people in a casebook, not a histories file",
                hint="drop --histories, or merge the columns in the file yourself",
            )
        if linkage not in (None, "fixed") or draws is not None:
            raise EstimateError(
                "--linkage and --draws need a casebook's link run, not a histories file",
                hint="drop them: a histories file is taken as it is",
            )
        conf = sampler_settings(_toml_settings(cb_path))
        conf.update(
            {
                k: v
                for k, v in (
                    ("method", method),
                    ("criterion", criterion),
                    ("seed", seed),
                    ("samples", samples),
                    ("burnin", burnin),
                    ("thinning", thinning),
                )
                if v is not None
            }
        )
        result: EstimateResult | StratifiedResult = estimate_histories(
            histories, lists=list_names, force=force, **conf
        )
    else:
        with casebook(cb_path) as cb:
            result = estimate_casebook(
                cb,
                method=method,
                criterion=criterion,
                lists=list_names,
                groups=group or None,
                by=by,
                seed=seed,
                linkage=linkage,
                draws=draws,
                samples=samples,
                burnin=burnin,
                thinning=thinning,
                force=force,
            )
    if as_json:
        print_json(result.to_dict())
        return
    if isinstance(result, StratifiedResult):
        console.print(_strata_table(result))
        console.print(_main_table(result.total, "Total over strata"))
        warnings = result.total.warnings
    else:
        console.print(_main_table(result, "Multiple systems estimate"))
        if result.method == "loglinear" and len(result.models) > 1:
            console.print(_runners_table(result))
        warnings = result.warnings
    for w in warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
