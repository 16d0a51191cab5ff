"""The ``reckon`` command: one Typer app, one module per stage registering its commands.

Errors derived from :class:`reckon.errors.ReckonError` are printed as
``Error: ...`` with a hint and exit code 1; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from reckon import __version__
from reckon.cli._common import export_app, fail
from reckon.errors import ReckonError

app = typer.Typer(
    name="reckon",
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
    "reckon.cli.report",
    "reckon.cli.demo",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reckon {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """reckon: ingest named reports, link them into people, estimate the undocumented."""


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:  # a stage not built yet
        if _exc.name != _name:
            raise
        continue
    _module.register(app)

app.add_typer(export_app, name="export")


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, standalone_mode=False)
    except ReckonError as exc:
        fail(exc)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
