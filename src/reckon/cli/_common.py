"""Options and output helpers shared by every command.

Commands stay thin: parse options, make one library call, print the result
through :func:`emit` (a Rich table for people, ``--json`` for scripts).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from reckon.errors import ReckonError, system_fault
from reckon.store import Casebook, open_casebook

console = Console()
# `reckon export records|links|people`: one group that several stage modules add to. Each
# table has one export route; the claims ledger's is `reckon claims export`.
export_app = typer.Typer(
    help="Export data from the casebook (format chosen by the file extension). "
    "Claims: `reckon claims export`.",
    no_args_is_help=True,
)
err_console = Console(stderr=True)

CasebookOpt = Annotated[
    Path | None,
    typer.Option(
        "-C",
        "--casebook",
        envvar="RECKON_CASEBOOK",
        help="Casebook folder (default: the current folder).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
ExportOpt = Annotated[
    Path,
    typer.Option(
        "-o",
        "--output",
        help="File to write: .csv, .json or .parquet (the format follows the extension).",
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="Write cells exactly as stored, for programs: CSV cells starting with = + - @ "
        "are otherwise prefixed with ' so a spreadsheet cannot run them as formulas.",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Overwrite the output even if it is a file the casebook was built from."
    ),
]


def _default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    title: str | None = None,
    labels: dict[str, str] | None = None,
) -> Table:
    """A Rich table of ``rows``; ``labels`` gives short headings for narrow terminals."""
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    labels = labels or {}
    t = Table(title=title)
    for c in cols:
        t.add_column(labels.get(c, c))
    for r in rows:
        t.add_row(*["" if r.get(c) is None else str(r.get(c)) for c in cols])
    return t


def emit(
    rows: Sequence[dict[str, Any]],
    as_json: bool,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    labels: dict[str, str] | None = None,
) -> None:
    """Print rows as JSON (``--json``, every field) or as a Rich table (``columns``)."""
    if as_json:
        print_json(list(rows))
    else:
        console.print(table(rows, columns, title, labels))


def done(result: Any, as_json: bool, message: str) -> None:
    """Print a command's result: its ``to_dict()`` with ``--json``, else one line for people."""
    if as_json:
        print_json(result.to_dict() if hasattr(result, "to_dict") else result)
    else:
        console.print(message)


def exported(result: Any, as_json: bool, message: str) -> None:
    """Print an export's result (as :func:`done`) and what the user should know about the file."""
    done(result, as_json, message)
    if not as_json:
        for note in result.notes():
            console.print(f"[yellow]Note:[/] {note}", highlight=False)


@contextmanager
def casebook(path: Path | None, *, read_only: bool = False) -> Iterator[Casebook]:
    """The open casebook for one command; ``read_only`` for commands that only read it.

    A disk or database error inside the block becomes one plain message naming the
    casebook (:func:`reckon.errors.system_fault`).
    """
    cb = open_casebook(path, read_only=read_only)
    try:
        yield cb
    except (OSError, sqlite3.Error) as exc:
        raise system_fault(exc, casebook=cb.path) from exc
    finally:
        cb.close()


def fail(exc: ReckonError) -> None:
    err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False)
    if exc.hint:
        err_console.print(f"[dim]Hint:[/] {exc.hint}", highlight=False)
