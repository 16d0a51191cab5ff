"""``reckon init``: create a casebook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reckon.cli._common import console, print_json
from reckon.store import DB_NAME, SETTINGS_NAME, applied_migrations, init_casebook


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the casebook in.")] = Path(
        "."
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a casebook: DIR/reckon.sqlite and a commented DIR/reckon.toml.

    Example: reckon init ~/cases/2024-east
    """
    existed = (directory / DB_NAME).exists()
    with init_casebook(directory) as cb:
        schema = applied_migrations(cb.db)
    out = {
        "casebook": str(directory.resolve()),
        "created": not existed,
        "schema": schema[-1] if schema else None,
    }
    if as_json:
        print_json(out)
        return
    verb = "Opened existing" if existed else "Created"
    console.print(f"{verb} casebook in [bold]{directory}[/] ({DB_NAME}, {SETTINGS_NAME}).")
    console.print(f"Next: reckon ingest FILE --source NAME -C {directory}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
