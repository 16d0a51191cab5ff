"""``reckon demo``: the whole job on a synthetic case, with a summary graded against its truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reckon.cli._common import JsonOpt, console, err_console, print_json
from reckon.demo import DEFAULT_PEOPLE, DEFAULT_SEED, STEPS, DemoResult, run_demo

LABELS = {
    "generate": "Generate case",
    "ingest": "Ingest sources",
    "link": "Link records",
    "estimate": "Estimate total",
    "claims": "Add example claims",
    "excess": "Excess (registry)",
    "report": "Write report",
}


def demo(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the demo (new, empty, or a previous demo's).")
    ] = Path("reckon-demo"),
    people: Annotated[
        int, typer.Option("--people", help="True number of deaths in the synthetic case.")
    ] = DEFAULT_PEOPLE,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed of the synthetic case.")
    ] = DEFAULT_SEED,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare/--no-compare", help="Also store a log-linear estimate to compare methods."
        ),
    ] = True,
    quick: Annotated[
        bool, typer.Option("--quick", help="Short LCMCR chains: faster, rougher interval.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run reckon end to end on a synthetic case with known truth, and write its report.

    Generates several lists (CSV, Excel, JSON; Cyrillic and Latin; typos, duplicates), ingests them,
    links records into people, estimates the undocumented total, adds fictional example claims and
    writes DIR/report.html. Running it again into the same folder starts the demo afresh.

    Example: reckon demo /tmp/reckon-demo
    """
    if as_json:
        result = run_demo(directory, n_people=people, seed=seed, compare=compare, quick=quick)
        print_json(result.to_dict())
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<19}"),
        BarColumn(bar_width=16),
        TextColumn("[dim]{task.fields[note]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        tasks = {s: bar.add_task(LABELS[s], total=1.0, note="", start=False) for s in STEPS}

        def progress(step: str, message: str, fraction: float) -> None:
            task = tasks[step]
            bar.start_task(task)
            bar.update(
                task, completed=fraction, note=message if len(message) <= 36 else message[:35] + "…"
            )
            if fraction >= 1.0:
                bar.stop_task(task)

        result = run_demo(
            directory, n_people=people, seed=seed, progress=progress, compare=compare, quick=quick
        )
    _summary(result)


def _summary(r: DemoResult) -> None:
    t = Table(show_header=False, box=None, padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    t.add_row("Sources", f"{r.n_sources} lists, {r.n_records:,} records")
    if r.n_people is not None:
        truth = (
            f" (truth: {r.true_documented:,} people appear in some list)"
            if r.true_documented
            else ""
        )
        t.add_row("People documented", f"{r.n_people:,}{truth}")
    else:
        t.add_row("People documented", "not linked: see the steps above")
    e = r.estimate
    if e is not None and e.estimate is not None:
        pct = round(e.level * 100)
        interval = (
            f" ({pct}% interval {e.lower:,.0f}–{e.upper:,.0f})"
            if e.lower is not None and e.upper is not None
            else ""
        )
        verdict = (
            ""
            if r.estimate_covers_truth is None
            else (
                " [green]covers the truth[/]"
                if r.estimate_covers_truth
                else " [red]misses the truth[/]"
            )
        )
        t.add_row(
            "Estimated total",
            f"{e.estimate:,.0f}{interval}, {e.method}; true total {r.true_total:,}{verdict}",
        )
        lk = e.linkage
        if (
            lk is not None
            and lk.mode == "averaged"
            and lk.fixed_estimate is not None
            and lk.fixed_lower is not None
            and lk.fixed_upper is not None
        ):
            hit = lk.fixed_lower <= r.true_total <= lk.fixed_upper
            share = lk.linkage_share
            t.add_row(
                "With linkage fixed",
                f"{lk.fixed_estimate:,.0f} ({pct}% interval {lk.fixed_lower:,.0f}–"
                f"{lk.fixed_upper:,.0f}), the link run's people taken as certain; the total above "
                f"averages over {lk.draws} linkage draws"
                + (f" ({share:.0%} of its variance from linkage)" if share is not None else "")
                + "; fixed "
                + ("[green]covers the truth[/]" if hit else "[red]misses the truth[/]"),
            )
        et = r.estimate_true_links
        if (
            et is not None
            and et.estimate is not None
            and et.lower is not None
            and et.upper is not None
        ):
            hit = et.lower <= r.true_total <= et.upper
            t.add_row(
                "With the true links",
                f"{et.estimate:,.0f} ({round(et.level * 100)}% interval {et.lower:,.0f}–"
                f"{et.upper:,.0f}), same method on perfect linkage; "
                + ("[green]covers the truth[/]" if hit else "[red]misses the truth[/]"),
            )
    else:
        t.add_row("Estimated total", f"no estimate; true total {r.true_total:,}")
    q = r.linkage
    if q is not None:
        t.add_row(
            "Linkage vs truth",
            f"pairwise P {q.pairwise_precision:.3f} R {q.pairwise_recall:.3f} "
            f"F1 {q.pairwise_f1:.3f}; cluster P {q.cluster_precision:.3f} R {q.cluster_recall:.3f} "
            f"F1 {q.cluster_f1:.3f}",
        )
    x = r.excess
    if x is not None and r.true_excess is not None:
        verdict = (
            "[green]covers the truth[/]" if r.excess_covers_truth else "[red]misses the truth[/]"
        )
        t.add_row(
            "Excess deaths",
            f"{x.excess:,.0f} ({round(x.level * 100)}% interval {x.lower:,.0f}–{x.upper:,.0f}), "
            f"men {x.ages} since {x.since}, from a synthetic probate registry; true "
            f"{r.true_excess:,} {verdict}",
        )
    t.add_row("Claims", f"{r.n_claims} fictional examples")
    console.print(t)
    if r.n_people is not None and r.true_documented and r.n_people > r.true_documented:
        console.print(
            f"[dim]Linkage left {r.n_people - r.true_documented:,} more people than the truth has: each "
            "missed link looks like a person seen by one list only, which pushes the estimate up.[/]"
        )
    elif r.n_people is not None and r.true_documented and r.n_people < r.true_documented:
        console.print(
            f"[dim]Linkage merged {r.true_documented - r.n_people:,} people too many: false merges "
            "look like overlap between lists, which pulls the estimate down.[/]"
        )
    for s in r.steps:
        if s.status != "done":
            console.print(f"[yellow]{LABELS.get(s.name, s.name)}: {s.status}[/] – {s.detail}")
    for w in r.warnings:
        console.print(f"[dim]Note: {w}[/]")
    console.print(f"\nDone in {r.seconds:.0f} s. Open next:")
    if r.report:
        console.print(f"  report    {r.report.resolve().as_uri()}")
    console.print(f"  review    reckon -C {r.casebook} review")
    console.print(f"  claims    reckon -C {r.casebook} claims list")
    console.print(f"  excess    reckon -C {r.casebook} excess compare --ages 15-49")
    console.print("  your data reckon init DIR; reckon ingest FILE --source NAME -C DIR")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
