"""``reckon names parse``: show how reckon reads names."""

from __future__ import annotations

from typing import Annotated

import typer

from reckon.cli._common import JsonOpt, emit

names_app = typer.Typer(help="Inspect how names are parsed, romanised and keyed.", no_args_is_help=True)

_COLUMNS = ("input", "given", "patronymic", "family", "sex", "latin", "given_key", "patronymic_key",
            "family_key", "warnings")


@names_app.command("parse")
def parse(
    names: Annotated[list[str], typer.Argument(help="One or more names (quote each full name).")],
    sex: Annotated[str | None, typer.Option("--sex", help="Sex if known: m or f (applies to all).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Parse names into nominative parts, sex, romanisation and matching keys.

    Example: reckon names parse "Ивана Петровича Сидорова" "SIDOROV Ivan Petrovich" --json
    """
    from reckon.names import parse_name

    rows = [parse_name(n, sex=sex).to_dict() for n in names]
    if not as_json:
        for r in rows:
            r["warnings"] = "; ".join(r["warnings"]) or None
    emit(rows, as_json, columns=None if as_json else _COLUMNS, title=None)


def register(app: typer.Typer) -> None:
    app.add_typer(names_app, name="names")
