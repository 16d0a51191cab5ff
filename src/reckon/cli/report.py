"""``reckon report``: write the published report (one HTML file plus SVG charts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reckon.cli._common import CasebookOpt, JsonOpt, casebook, console, print_json


def report(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="HTML file to write; charts go beside it as SVG.")
    ] = Path("report.html"),
    include_names: Annotated[
        bool,
        typer.Option(
            "--include-names", help="List the people documented by name (personal data!)."
        ),
    ] = False,
    casebook_dir: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write one self-contained HTML report (no network needed to view it) and its charts as SVG.

    No personal names appear unless --include-names is given (or include_names = true in the report
    section of reckon.toml).

    Example: reckon report -o out/report.html -C ~/cases/2024-east
    """
    from reckon.report import build_report

    with casebook(casebook_dir, read_only=True) as cb:
        names = include_names or bool(cb.setting("report", "include_names", False))
        result = build_report(cb, output, include_names=names)
    if as_json:
        print_json(result.to_dict())
        return
    n = result.n_people if result.n_people is not None else result.n_records
    console.print(
        f"Wrote [bold]{result.path}[/] ({result.size_bytes / 1024:.0f} KB) and {len(result.charts)} SVG charts beside it."
    )
    line = f"{n:,} {result.unit} documented from {result.n_records:,} records in {result.n_sources} source{'s' if result.n_sources != 1 else ''}"
    e = result.estimate
    if e is not None and e.estimate is not None:
        line += (
            f"; estimated total {e.estimate:,.0f} ({e.lower:,.0f}–{e.upper:,.0f}, {e.method})"
            if e.lower is not None and e.upper is not None
            else f"; estimated total {e.estimate:,.0f} ({e.method})"
        )
    console.print(line + ".")
    for w in result.warnings:
        console.print(f"[yellow]Note:[/] {w}")
    if result.include_names:
        console.print("[yellow]This report contains personal names.[/]")
    console.print(
        f"Data version {result.content_hash[:16]} · open it in a browser: {result.path.resolve().as_uri()}"
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
