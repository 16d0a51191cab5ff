"""``reckon excess``: excess deaths from registry counts, beside the lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reckon.cli._common import CasebookOpt, JsonOpt, casebook, console, emit, print_json

excess_app = typer.Typer(
    help="Excess deaths from registry counts (probate cases, civil registration): import a "
    "registry, estimate the excess against the pre-war baseline, compare it with the lists.",
    no_args_is_help=True,
)


def _n(x: Any) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: period, sex, age, count (+ deaths, population).", show_default=False
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option("--name", help="Registry name (default: the file name without extension)."),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the file came from.")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published the counts.")
    ] = None,
    retrieved_at: Annotated[
        str | None, typer.Option("--retrieved-at", help="When the file was retrieved (ISO date).")
    ] = None,
    licence: Annotated[
        str | None, typer.Option("--licence", help="Licence or terms of the data.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free notes.")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Read a column as a field: 'HEADER=FIELD' (period, sex, age, count, deaths, "
            "population); repeatable.",
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")] = None,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import registry counts by period, sex and age group, keeping every row as read.

    Example: reckon excess import probate_weekly.csv --url https://... --retrieved-at 2023-05-27
    """
    from reckon.errors import ExcessError
    from reckon.excess import import_registry

    overrides: dict[str, str] = {}
    for item in column or []:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise ExcessError(
                f"--map {item!r}: write HEADER=FIELD", hint="e.g. --map 'Кол-во=count'"
            )
        overrides[header.strip()] = field.strip()
    with casebook(cb_path) as cb:
        r = import_registry(
            cb,
            file,
            name=name,
            publisher=publisher,
            url=url,
            retrieved_at=retrieved_at,
            licence=licence,
            notes=notes,
            columns=overrides or None,
            sheet=sheet,
        )
    if as_json:
        print_json(r.to_dict())
        return
    if r.already_present:
        console.print(
            f"{r.file}: already present as {r.registry} version {r.version}; nothing changed."
        )
        return
    console.print(
        f"Imported {r.file} as {r.registry} version {r.version}: {r.rows_read:,} rows, "
        f"{r.frequency}ly from {r.first_period} to {r.last_period}, sex {'/'.join(r.sexes)}, "
        f"{len(r.age_groups)} age groups ({', '.join(r.age_groups)})"
        + (", with deaths" if r.has_deaths else "")
        + (", with population" if r.has_population else "")
        + "."
    )
    for w in r.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def registries(cb_path: CasebookOpt = None, as_json: JsonOpt = False) -> None:
    """List the registries with their newest version.

    Example: reckon excess registries --json
    """
    from reckon.excess import list_registries

    with casebook(cb_path) as cb:
        rows = [r.to_dict() for r in list_registries(cb)]
    emit(
        rows,
        as_json,
        columns=(
            "name",
            "current_version",
            "frequency",
            "first_period",
            "last_period",
            "rows_read",
            "retrieved_at",
            "sha256",
        ),
        labels={"current_version": "version", "rows_read": "rows"},
    )


RegistryOpt = Annotated[
    str | None,
    typer.Option("--registry", help="Registry to use (needed when the casebook holds several)."),
]
SinceOpt = Annotated[str, typer.Option("--since", help="First day of the war period (ISO date).")]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Last period to count (ISO date; default: the newest)."),
]
SexOpt = Annotated[str, typer.Option("--sex", help="m or f.")]
AgesOpt = Annotated[
    str | None, typer.Option("--ages", help="Age range such as 15-49 or 50+ (default: all).")
]
BaselineFromOpt = Annotated[
    str | None, typer.Option("--baseline-from", help="First period of the baseline (ISO date).")
]
BaselineUntilOpt = Annotated[
    str | None,
    typer.Option("--baseline-until", help="Baseline ends before this date (default: --since)."),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Leave START:END out of the baseline (ISO dates); repeatable."),
]
HarmonicsOpt = Annotated[
    int | None,
    typer.Option("--harmonics", help="Fourier pairs for the season (default 2; 0 for years)."),
]
TrendOpt = Annotated[
    bool, typer.Option("--trend/--no-trend", help="Fit a linear trend in the baseline.")
]
ControlOpt = Annotated[
    str,
    typer.Option(
        "--control", help="Use the other sex as a control: auto (when present), yes or no."
    ),
]
CoverageOpt = Annotated[
    str | None,
    typer.Option(
        "--coverage",
        help="Share of deaths the registry records: 0.6, or a range 0.5:0.7 (default: from "
        "the deaths column, else none).",
    ),
]
LevelOpt = Annotated[float, typer.Option("--level", help="Interval level.")]
DrawsOpt = Annotated[int, typer.Option("--draws", help="Simulation draws for the interval.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed of the draws.")]


def _options(
    since: str,
    until: str | None,
    sex: str,
    ages: str | None,
    baseline_from: str | None,
    baseline_until: str | None,
    exclude: list[str] | None,
    harmonics: int | None,
    trend: bool,
    control: str,
    coverage: str | None,
    level: float,
    draws: int,
    seed: int,
) -> Any:
    from reckon.errors import ExcessError
    from reckon.excess import ExcessOptions, parse_coverage
    from reckon.excess.store import parse_day

    spans = []
    for item in exclude or []:
        a, sep, b = item.partition(":")
        start, end = parse_day(a, "--exclude"), parse_day(b, "--exclude")
        if not sep or start is None or end is None or end < start:
            raise ExcessError(
                f"--exclude {item!r}: write START:END", hint="e.g. 2020-03-01:2021-12-31"
            )
        spans.append((start, end))
    since_d = parse_day(since, "--since")
    assert since_d is not None
    return ExcessOptions(
        sex=sex.strip().lower(),
        ages=ages,
        since=since_d,
        until=parse_day(until, "--until"),
        baseline_from=parse_day(baseline_from, "--baseline-from"),
        baseline_until=parse_day(baseline_until, "--baseline-until"),
        exclude=tuple(spans),
        harmonics=harmonics,
        trend=trend,
        control=control,
        coverage=parse_coverage(coverage),
        level=level,
        n_draws=draws,
        seed=seed,
    )


def _summary_table(d: dict[str, Any]) -> Table:
    pct = int(round(d["level"] * 100))
    t = Table(title="Excess deaths", show_header=False)
    t.add_column("", style="dim")
    t.add_column("value")
    cov = d["coverage"]
    base = d["baseline_periods"]
    rows = [
        ("registry", f"{d['registry']} v{d['registry_version']} ({d['frequency']}ly)"),
        ("cells", f"sex {d['sex']}, ages {d['ages']} ({', '.join(d['age_groups'])})"),
        ("period", f"{d['since']} to {d['until']} ({len(d['periods'])} periods)"),
        ("excess deaths", _n(d["excess"])),
        (f"{pct}% interval", f"{_n(d['lower'])} - {_n(d['upper'])}"),
        (
            "registry counts",
            f"{_n(d['observed'])} observed, {_n(d['expected'])} expected, "
            f"excess {_n(d['excess_cases'])} ({_n(d['cases_lower'])} - {_n(d['cases_upper'])})",
        ),
        (
            "coverage",
            f"{cov['value']:.3f} ({cov['lower']:.3f} - {cov['upper']:.3f}), "
            + {
                "deaths": "from the deaths column",
                "assumed": "assumed",
                "none": "none given: registry units",
            }.get(cov["source"], cov["source"]),
        ),
        ("method", d["method"]),
        ("baseline", f"{base['first']} to {base['last']} ({base['count']} periods)"),
    ]
    for k, v in rows:
        t.add_row(k, v)
    return t


def _groups_table(d: dict[str, Any]) -> Table:
    pct = int(round(d["level"] * 100))
    t = Table(title="By age group")
    for c in ("age", "method", "observed", "expected", "coverage", "excess deaths", f"{pct}%"):
        t.add_column(c)
    for g in d["groups"]:
        t.add_row(
            g["age"],
            g["method"],
            f"{g['observed']:,}",
            _n(g["expected"]),
            f"{g['coverage']:.3f}",
            _n(g["excess"]),
            f"{_n(g['lower'])} - {_n(g['upper'])}",
        )
    return t


def estimate(
    since: SinceOpt = "2022-02-24",
    sex: SexOpt = "m",
    ages: AgesOpt = None,
    until: UntilOpt = None,
    registry: RegistryOpt = None,
    baseline_from: BaselineFromOpt = None,
    baseline_until: BaselineUntilOpt = None,
    exclude: ExcludeOpt = None,
    harmonics: HarmonicsOpt = None,
    trend: TrendOpt = True,
    control: ControlOpt = "auto",
    coverage: CoverageOpt = None,
    level: LevelOpt = 0.95,
    draws: DrawsOpt = 2000,
    seed: SeedOpt = 42,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Estimate excess deaths since a date against the pre-war baseline, with an interval.

    Example: reckon excess estimate --since 2022-02-24 --sex m --ages 15-49 --json
    """
    from reckon.excess import estimate_excess

    opt = _options(
        since, until, sex, ages, baseline_from, baseline_until, exclude, harmonics, trend,
        control, coverage, level, draws, seed,
    )  # fmt: skip
    with casebook(cb_path) as cb:
        result = estimate_excess(cb, opt, registry=registry)
    d = result.to_dict()
    if as_json:
        print_json(d)
        return
    console.print(_summary_table(d))
    console.print(_groups_table(d))
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def compare(
    since: SinceOpt = "2022-02-24",
    sex: SexOpt = "m",
    ages: AgesOpt = None,
    until: UntilOpt = None,
    registry: RegistryOpt = None,
    baseline_from: BaselineFromOpt = None,
    baseline_until: BaselineUntilOpt = None,
    exclude: ExcludeOpt = None,
    harmonics: HarmonicsOpt = None,
    trend: TrendOpt = True,
    control: ControlOpt = "auto",
    coverage: CoverageOpt = None,
    level: LevelOpt = 0.95,
    draws: DrawsOpt = 2000,
    seed: SeedOpt = 42,
    months: Annotated[
        bool, typer.Option("--months", help="Also print every month and age group.")
    ] = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Put the named dead of the casebook beside the excess, by age group and month.

    Example: reckon excess compare --since 2022-02-24 --sex m --ages 15-49 --months
    """
    from reckon.excess import compare_lists, estimate_excess

    opt = _options(
        since, until, sex, ages, baseline_from, baseline_until, exclude, harmonics, trend,
        control, coverage, level, draws, seed,
    )  # fmt: skip
    with casebook(cb_path) as cb:
        result = estimate_excess(cb, opt, registry=registry, save=False)
        cmp = compare_lists(cb, result)
    d = cmp.to_dict()
    if as_json:
        print_json(d)
        return
    pct = int(round(result.level * 100))
    t = Table(
        title=f"Named dead ({d['unit']}) beside the excess, sex {d['sex']}, {d['since']} to {d['until']}"
    )
    for c in ("age", "named", "excess deaths", f"{pct}%", "documented"):
        t.add_column(c)
    for a in d["by_age"] + [
        {
            "age": "all",
            "named": d["named"],
            "excess": d["excess"],
            "lower": d["lower"],
            "upper": d["upper"],
            "share_documented": d["share_documented"],
        }
    ]:
        share = a["share_documented"]
        t.add_row(
            a["age"],
            f"{a['named']:,}",
            _n(a["excess"]),
            f"{_n(a['lower'])} - {_n(a['upper'])}",
            "-" if share is None else f"{share:.0%}",
        )
    console.print(t)
    if months:
        emit(
            [m for m in d["months"]],
            False,
            columns=("month", "age", "named", "excess", "lower", "upper"),
            title="By month and age group",
        )
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def register(app: typer.Typer) -> None:
    excess_app.command("import")(import_)
    excess_app.command("registries")(registries)
    excess_app.command("estimate")(estimate)
    excess_app.command("compare")(compare)
    app.add_typer(excess_app, name="excess")
