"""The ``reckon`` command: one Typer app, one module per stage registering its commands.

Errors derived from :class:`reckon.errors.ReckonError` are printed as
``Error: ...`` with a hint and exit code 1, and so are the operating system's and
SQLite's (a full disk, a read-only folder), through :func:`reckon.errors.system_fault`;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from reckon import __version__
from reckon.cli._common import export_app, fail
from reckon.errors import ReckonError, system_fault


class _ReckonGroup(typer.core.TyperGroup):
    """Turns a ReckonError from any command into ``Error: ...`` + hint and exit code 1."""

    # typer passes its vendored click Context, which it does not export; typer.Context is
    # the public subclass, hence the narrower parameter.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ReckonError as exc:
            fail(exc)
            raise typer.Exit(1) from None
        except (OSError, sqlite3.Error) as exc:
            fail(system_fault(exc))
            raise typer.Exit(1) from None


app = typer.Typer(
    name="reckon",
    cls=_ReckonGroup,
    help="Independent accounting of war dead: ingest, link, estimate, claims, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Each stage's command module exposes register(app). Order is the order of `reckon --help`.
COMMAND_MODULES = [
    "reckon.cli.casebook",
    "reckon.cli.ingest",
    "reckon.cli.names",
    "reckon.cli.link",
    "reckon.cli.estimate",
    "reckon.cli.claims",
    "reckon.cli.excess",
    "reckon.cli.report",
    "reckon.cli.web",
    "reckon.cli.demo",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reckon {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    casebook: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--casebook",
            help="Casebook folder for the command that follows (as its own -C).",
        ),
    ] = None,
) -> None:
    """reckon: ingest named reports, link them into people, estimate the undocumented.

    Start with `reckon init DIR`, then `reckon ingest FILE --source NAME -C DIR`.
    """
    if casebook is not None:
        # Sub-commands read -C from RECKON_CASEBOOK when not given their own; their
        # options are parsed after this callback runs.
        os.environ["RECKON_CASEBOOK"] = str(casebook)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)

app.add_typer(export_app, name="export")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv)


if __name__ == "__main__":
    main()
