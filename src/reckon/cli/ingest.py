"""``reckon ingest``, ``sources``, ``records``, ``quarantine`` and ``export records``."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from reckon.cli._common import (
    CasebookOpt,
    ExportOpt,
    ForceOpt,
    JsonOpt,
    RawOpt,
    casebook,
    console,
    emit,
    err_console,
    export_app,
    exported,
    print_json,
)
from reckon.store import SOURCE_KINDS as KINDS

_BIG = 5_000_000  # bytes: files larger than this get a progress bar


def ingest(
    file: Annotated[
        Path,
        typer.Argument(help="CSV/TSV, XLSX, JSON or JSONL file to ingest.", show_default=False),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            help="Source name (a new name starts a source; the same name adds a version).",
        ),
    ],
    kind: Annotated[
        str, typer.Option("--kind", help=f"Source kind: {', '.join(KINDS)}.")
    ] = "other",
    url: Annotated[str | None, typer.Option("--url", help="Where the file came from.")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published the list.")
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option("--columns", help="TOML map: header = field (see docs/ingest.md)."),
    ] = None,
    retrieved_at: Annotated[
        str | None, typer.Option("--retrieved-at", help="When the file was retrieved (ISO date).")
    ] = None,
    licence: Annotated[
        str | None, typer.Option("--licence", help="Licence or terms of the source.")
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", help="Free notes about the source.")
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX: the sheet to read (default: the first with data)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Ingest a file already in the casebook under another source name."
        ),
    ] = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a casualty list as a version of a source, keeping every row as read.

    Example: reckon ingest lists/mediazona.csv --source mediazona --kind media --url https://...
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from reckon.ingest import ingest_file

    with casebook(cb_path) as cb:
        show_bar = not as_json and file.is_file() and file.stat().st_size > _BIG
        bar = (
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[rows]:,} rows"),
                TimeRemainingColumn(),
                console=err_console,
                transient=True,
            )
            if show_bar
            else None
        )
        with bar if bar is not None else nullcontext():
            task = (
                bar.add_task(f"ingesting {file.name}", total=file.stat().st_size, rows=0)
                if bar
                else None
            )

            def progress(rows: int, done: int, total: int) -> None:
                if bar is not None and task is not None:
                    bar.update(task, completed=done or 0, rows=rows)

            result = ingest_file(
                cb,
                file,
                source=source,
                kind=kind,
                url=url,
                columns=columns,
                publisher=publisher,
                retrieved_at=retrieved_at,
                licence=licence,
                notes=notes,
                progress=progress if bar else None,
                sheet=sheet,
                force=force,
            )
    if as_json:
        print_json(result.to_dict())
        return
    if result.already_present:
        console.print(
            f"[bold]Already present:[/] {file} has the same bytes as "
            f"{result.source} version {result.version}; nothing changed."
        )
        console.print(
            f"  rows read {result.rows_read:,}, stored {result.rows_stored:,}, "
            f"quarantined {result.rows_quarantined:,}"
        )
        return
    enc = f", {result.encoding}" if result.encoding else ""
    delim = f", delimiter {result.delimiter!r}" if result.delimiter else ""
    console.print(
        f"[bold]{result.source}[/] version {result.version} ({result.kind}) from {file} "
        f"[dim]({result.format}{enc}{delim}, sha256 {result.sha256[:12]}…)[/]"
    )
    console.print(f"  rows read    {result.rows_read:>10,}")
    console.print(f"  stored       {result.rows_stored:>10,}")
    console.print(f"  quarantined  {result.rows_quarantined:>10,}")
    if result.blank_rows:
        console.print(f"  empty rows skipped {result.blank_rows:,}")
    console.print(
        "  columns: " + ", ".join(f"{h} → {f}" for h, f in result.column_map.items()),
        highlight=False,
    )
    if result.unmapped_columns:
        console.print(
            "  kept only in raw rows: " + ", ".join(result.unmapped_columns), highlight=False
        )
    for q in result.quarantine_sample:
        console.print(
            f"  [yellow]quarantined[/] row {q.row_number} ({q.field}): {q.reason}", highlight=False
        )
    if result.rows_quarantined > len(result.quarantine_sample):
        console.print(f"  … see all with: reckon quarantine --source {result.source}")
    for f, n in result.flags.items():
        console.print(
            f"  [yellow]flagged[/] {f}: {n:,} value(s) not read (raw kept)", highlight=False
        )
    for w in result.warnings:
        console.print(f"  [dim]note:[/] {w}", highlight=False)


def sources(cb_path: CasebookOpt = None, as_json: JsonOpt = False) -> None:
    """List the sources with their newest version.

    Example: reckon sources --json
    """
    from reckon.ingest import list_sources

    with casebook(cb_path, read_only=True) as cb:
        rows = [s.to_dict() for s in list_sources(cb)]
    if not as_json and not rows:
        console.print("No sources yet. Add one with: reckon ingest FILE --source NAME")
        return
    if not as_json:
        for r in rows:  # the day is enough in a table; --json keeps the full timestamp
            r["ingested"] = (r.get("ingested_at") or "")[:10]
    emit(
        rows,
        as_json,
        columns=[
            "name",
            "kind",
            "current_version",
            "versions",
            "file_name",
            "rows_read",
            "rows_stored",
            "rows_quarantined",
            "ingested",
        ],
        title="Sources",
        labels={
            "current_version": "version",
            "versions": "of",
            "file_name": "file",
            "rows_read": "read",
            "rows_stored": "stored",
            "rows_quarantined": "quar.",
        },
    )


def _name(r: dict[str, Any]) -> str:
    return r.get("full_name") or " ".join(
        p for p in (r.get("family_name"), r.get("given_name"), r.get("patronymic")) if p
    )


def records(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Text in any name field or the record id (case-blind)."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="At most this many records (0 = all).")
    ] = 20,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show current records (each source's newest version).

    Example: reckon records --source mediazona --search иванов --limit 5
    """
    from reckon.ingest import list_records

    with casebook(cb_path, read_only=True) as cb:
        rows = list_records(cb, source=source, search=search, limit=limit or None)
    if as_json:
        print_json(rows)
        return
    view = [
        {
            "id": r["id"],
            "source": r["source"],
            "record": r["source_record_id"],
            "name": _name(r),
            "sex": f"{r['sex']} (inferred)" if r.get("sex_inferred") else r["sex"],
            "born": r["birth_date"] or r["birth_date_raw"],
            "died": r["death_date"] or r["death_date_raw"],
            "region": r["region"],
            "status": r["status"],
            "flagged": ", ".join(
                k for k in ("birth_date", "death_date", "age") if r.get(k + "_flag")
            ),
        }
        for r in rows
    ]
    emit(view, False, title=f"Records ({len(view)} shown)")


def quarantine(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="At most this many rows (0 = all).")
    ] = 0,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Include older versions.")
    ] = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the rows set aside at ingest, with the reason and their raw cells.

    Example: reckon quarantine --source mediazona
    """
    from reckon.ingest import list_quarantine

    with casebook(cb_path, read_only=True) as cb:
        rows = [
            q.to_dict()
            for q in list_quarantine(
                cb, source=source, limit=limit or None, all_versions=all_versions
            )
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("The quarantine is empty.")
        return
    view = [
        {
            **r,
            "cells": ", ".join(f"{k}={v}" for k, v in r["cells"].items() if v not in ("", None))[
                :80
            ],
        }
        for r in rows
    ]
    emit(
        view,
        False,
        columns=["source", "version", "row_number", "field", "reason", "cells"],
        title="Quarantine",
    )


def export_records_cmd(
    output: ExportOpt,
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    raw: RawOpt = False,
    force: ForceOpt = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the current records (format by extension).

    Example: reckon export records -o records.parquet
    """
    from reckon.ingest import export_records

    with casebook(cb_path, read_only=True) as cb:
        result = export_records(cb, output, source=source, raw=raw, force=force)
    exported(result, as_json, f"Wrote {result.rows:,} records to {result.path} ({result.format}).")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("sources")(sources)
    app.command("records")(records)
    app.command("quarantine")(quarantine)
    export_app.command("records")(export_records_cmd)
