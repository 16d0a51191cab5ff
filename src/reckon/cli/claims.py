"""``reckon claims``: the ledger of public casualty claims, and the extractor for news articles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reckon.cli._common import (
    CasebookOpt,
    ExportOpt,
    ForceOpt,
    JsonOpt,
    RawOpt,
    casebook,
    console,
    done,
    emit,
    exported,
    print_json,
)

if TYPE_CHECKING:
    from reckon.claims import Claim

claims_app = typer.Typer(
    help="The claims ledger: record, import, list, export and confirm public casualty claims; "
    "extract them from news articles.",
    no_args_is_help=True,
)

_COLUMNS = (
    "id",
    "as_of",
    "claimant",
    "claimant_kind",
    "party",
    "measure",
    "figure",
    "status",
    "confirmed",
)


def _figure(c: Claim) -> str:
    if c.statement_kind == "non_disclosure":
        return "(does not disclose)"
    if c.bound == "range":
        return f"{c.low:,}-{c.high:,}"
    sign = {"at_least": "≥ ", "at_most": "≤ ", "approx": "~ "}.get(c.bound or "", "")
    return f"{sign}{c.value:,}" if c.value is not None else ""


def _short(text: str | None, n: int = 60) -> str | None:
    return text if text is None or len(text) <= n else text[: n - 1] + "…"


def _rows(claims: list[Claim] | tuple[Claim, ...]) -> list[dict[str, Any]]:
    return [dict(c.to_dict(), figure=_figure(c), quote=_short(c.quote)) for c in claims]


def add(
    claimant: Annotated[
        str, typer.Option("--claimant", help="Who makes the claim (a person or an institution).")
    ],
    party: Annotated[
        str, typer.Option("--party", help="Whose losses, e.g. Russia, Ukraine, both.")
    ],
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            help="killed, wounded, killed_or_wounded, missing, captured, mobilized, losses.",
        ),
    ],
    value: Annotated[
        int | None,
        typer.Option("--value", help="The figure (leave out for a range or a non-disclosure)."),
    ] = None,
    bound: Annotated[
        str | None,
        typer.Option(
            "--bound", help="exact, at_least, at_most, approx (range is set by --low/--high)."
        ),
    ] = None,
    low: Annotated[int | None, typer.Option("--low", help="Lower end of a range.")] = None,
    high: Annotated[int | None, typer.Option("--high", help="Upper end of a range.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the figure refers to: YYYY-MM-DD, YYYY-MM or YYYY."),
    ] = None,
    claimant_kind: Annotated[
        str | None,
        typer.Option(
            "--claimant-kind",
            help="self, adversary, third_party_government, intelligence_leak, independent_count, statistical_estimate, media.",
        ),
    ] = None,
    claimant_role: Annotated[
        str | None, typer.Option("--claimant-role", help="The claimant's title or role.")
    ] = None,
    forces: Annotated[
        str | None, typer.Option("--forces", help="Which forces the figure includes.")
    ] = None,
    period_start: Annotated[
        str | None, typer.Option("--period-start", help="Start of the period counted.")
    ] = None,
    period_end: Annotated[
        str | None, typer.Option("--period-end", help="End of the period counted.")
    ] = None,
    non_disclosure: Annotated[
        bool,
        typer.Option(
            "--non-disclosure", help="Record that the party does not disclose this measure."
        ),
    ] = False,
    source_url: Annotated[
        str | None, typer.Option("--url", help="Where the claim was published.")
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
    published_on: Annotated[
        str | None, typer.Option("--published-on", help="Publication date (YYYY-MM-DD).")
    ] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The sentence as published.")] = None,
    status: Annotated[
        str, typer.Option("--status", help="reported, disputed or superseded.")
    ] = "reported",
    authenticity_notes: Annotated[
        str | None,
        typer.Option("--authenticity", help="Notes on authenticity (e.g. of a leaked document)."),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free notes.")] = None,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record one claim typed by a person (stored as confirmed).

    Example: reckon claims add --claimant "Russian Defence Ministry" --claimant-kind self
    --party Russia --measure killed --value 5937 --as-of 2022-09-21 --url https://...
    """
    from reckon.claims import add_claim, claim_from_mapping

    if bound is None:
        bound = (
            "range"
            if (low is not None and high is not None and value is None)
            else (None if value is None else "exact")
        )
    data: dict[str, Any] = dict(
        claimant=claimant,
        claimant_role=claimant_role,
        claimant_kind=claimant_kind,
        party=party,
        forces_included=forces,
        measure=measure,
        value=value,
        bound=bound,
        low=low,
        high=high,
        as_of=as_of,
        period_start=period_start,
        period_end=period_end,
        statement_kind="non_disclosure" if non_disclosure else "claim",
        source_url=source_url,
        publisher=publisher,
        published_on=published_on,
        quote=quote,
        status=status,
        confirmed=1,
        authenticity_notes=authenticity_notes,
        notes=notes,
    )
    with casebook(cb_path) as cb:
        stored = add_claim(cb, claim_from_mapping({k: v for k, v in data.items() if v is not None}))
    done(
        stored,
        as_json,
        f"Stored claim {stored.id}: {stored.claimant} — {stored.party} {stored.measure} {_figure(stored)}.",
    )


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV whose header names claim fields (claimant, party, measure, value, ...)."
        ),
    ],
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import claims from a CSV file: every row is checked first, then all are stored (or none).

    Example: reckon claims import claims.csv
    """
    from reckon.claims import import_csv

    with casebook(cb_path) as cb:
        result = import_csv(cb, file)
    done(result, as_json, f"Imported {result.n_rows} claim(s) from {file}.")


def list_(
    party: Annotated[
        str | None, typer.Option("--party", help="Only claims about this party's losses.")
    ] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="Only this measure.")] = None,
    kind: Annotated[
        str | None, typer.Option("--claimant-kind", help="Only this kind of claimant.")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    unconfirmed: Annotated[
        bool, typer.Option("--unconfirmed", help="Only claims not yet confirmed by a person.")
    ] = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the claims in the ledger, by as-of date.

    Example: reckon claims list --party Russia --measure killed --json
    """
    from reckon.claims import list_claims

    with casebook(cb_path, read_only=True) as cb:
        claims = list_claims(
            cb,
            party=party,
            measure=measure,
            claimant_kind=kind,
            status=status,
            confirmed=0 if unconfirmed else None,
        )
    if as_json:
        print_json([c.to_dict() for c in claims])
        return
    emit(_rows(claims), False, _COLUMNS, title=f"{len(claims)} claim(s)")


def export(
    output: ExportOpt,
    raw: RawOpt = False,
    force: ForceOpt = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the whole ledger (CSV re-imports with `reckon claims import`).

    Example: reckon claims export -o claims.csv
    """
    from reckon.claims import export_claims

    with casebook(cb_path, read_only=True) as cb:
        result = export_claims(cb, output, raw=raw, force=force)
    exported(result, as_json, f"Wrote {result.rows} claim(s) to {result.path}.")


def extract(
    file: Annotated[
        Path, typer.Argument(help="A news article: plain text or HTML, English or Russian.")
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Publication date YYYY-MM-DD (resolves 'last month', 'on September 21')."
        ),
    ] = None,
    add_: Annotated[
        bool,
        typer.Option(
            "--add", help="Store the claims found as unconfirmed, for a person to confirm."
        ),
    ] = False,
    url: Annotated[
        str | None, typer.Option("--url", help="The article's address, recorded with each claim.")
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The article's publisher.")
    ] = None,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find the casualty claims in a news article (rules only: no network, no model download).

    Example: reckon claims extract article.html --date 2024-09-23 --json
    """
    from reckon.claims import add_claims, extract_file

    result = extract_file(file, date=date, source_url=url, publisher=publisher)
    claims: list[Claim] | tuple[Claim, ...] = result.claims
    if add_:
        with casebook(cb_path) as cb:
            claims = add_claims(cb, result.claims)
    if as_json:
        print_json([c.to_dict() for c in claims])
        return
    cols = (("id",) if add_ else ()) + (
        "as_of",
        "claimant",
        "claimant_kind",
        "party",
        "measure",
        "figure",
        "quote",
    )
    emit(
        _rows(claims),
        False,
        cols,
        title=f"{len(claims)} claim(s) in {file} (published {result.published_on or 'unknown'})",
    )
    if add_:
        console.print("Stored as unconfirmed; check each and run `reckon claims confirm ID`.")


def confirm(
    ids: Annotated[list[int], typer.Argument(help="Claim id(s) to mark as checked by a person.")],
    status: Annotated[
        str | None,
        typer.Option("--status", help="Also set the status: reported, disputed or superseded."),
    ] = None,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark extracted claims as confirmed after checking them against the source.

    Example: reckon claims confirm 12 13 --status disputed
    """
    from reckon.claims import confirm_claim

    with casebook(cb_path) as cb:
        confirmed = [confirm_claim(cb, i, status=status) for i in ids]
    if as_json:
        print_json([c.to_dict() for c in confirmed])
        return
    console.print(f"Confirmed claim(s) {', '.join(str(c.id) for c in confirmed)}.")


def timeline_(cb_path: CasebookOpt = None, as_json: JsonOpt = False) -> None:
    """Claims, documented deaths by month and stored estimates on one time axis (for charts).

    Example: reckon claims timeline --json
    """
    from reckon.claims import timeline

    with casebook(cb_path, read_only=True) as cb:
        t = timeline(cb)
    if as_json:
        print_json(t.to_dict())
        return
    console.print(
        f"{len(t.claims)} claim point(s), {len(t.documented)} month(s) of documented deaths "
        f"({t.documented_total:,} {t.documented_unit}s), {len(t.estimates)} estimate(s), "
        f"from {t.start or '-'} to {t.end or '-'}."
    )
    for n in t.notes:
        console.print(f"[dim]Note:[/] {n}")


def register(app: typer.Typer) -> None:
    claims_app.command("add")(add)
    claims_app.command("import")(import_)
    claims_app.command("list")(list_)
    claims_app.command("export")(export)
    claims_app.command("extract")(extract)
    claims_app.command("confirm")(confirm)
    claims_app.command("timeline")(timeline_)
    app.add_typer(claims_app, name="claims")
