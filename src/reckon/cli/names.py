"""``reckon names parse``: show how reckon reads names."""

from __future__ import annotations

from typing import Annotated

import typer

from reckon.cli._common import JsonOpt, emit

names_app = typer.Typer(
    help="Inspect how names are parsed, romanised and keyed.", no_args_is_help=True
)

_COLUMNS = (
    "input",
    "given",
    "patronymic",
    "family",
    "sex",
    "latin",
    "given_key",
    "patronymic_key",
    "family_key",
    "warnings",
)


@names_app.command("parse")
def parse(
    names: Annotated[list[str], typer.Argument(help="One or more names (quote each full name).")],
    sex: Annotated[
        str | None, typer.Option("--sex", help="Sex if known: m or f (applies to all).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Parse names into nominative parts, sex, romanisation and matching keys.

    Example: reckon names parse "Ивана Петровича Сидорова" "SIDOROV Ivan Petrovich" --json
    """
    from reckon.names import parse_name

    rows = [parse_name(n, sex=sex).to_dict() for n in names]
    if as_json:
        emit(rows, True)
        return
    for r in rows:  # one narrow field/value table per name: names and keys are wide
        r["warnings"] = "; ".join(r["warnings"]) or None
        emit([{"field": k, "value": r.get(k)} for k in _COLUMNS[1:]], False, title=str(r["input"]))


def register(app: typer.Typer) -> None:
    app.add_typer(names_app, name="names")
