"""``reckon link``, ``reckon review``, ``reckon explain``, ``reckon export links|people``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.columns import Columns
from rich.panel import Panel
from rich.table import Table

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
    export_app,
    exported,
    print_json,
)


def link(
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Merge pairs at or above this match probability."),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend", help="Engine: duckdb (default) or spark (needs pyspark and Java)."
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master", help="With --backend spark: the master URL (default local[*])."
        ),
    ] = None,
    spark_checkpoint: Annotated[
        str | None,
        typer.Option(
            "--spark-checkpoint",
            help="With --backend spark: a folder URI the driver and every executor reach"
            " (hdfs://, s3a://, file://) for Splink's tables; the run's sub-folder is deleted"
            " at the end.",
        ),
    ] = None,
    records: Annotated[
        str | None,
        typer.Option(
            "--records",
            help="With --backend spark: Parquet of the current records on shared storage"
            " (from `reckon export records`); default: exported into the checkpoint folder.",
        ),
    ] = None,
    spark_output: Annotated[
        str | None,
        typer.Option(
            "--spark-output",
            help="With --backend spark: keep the run's pairs, people and run tables as"
            " Parquet under this folder URI.",
        ),
    ] = None,
    spark_ship_code: Annotated[
        bool,
        typer.Option(
            "--spark-ship-code",
            help="With --backend spark: send reckon's code to the executors as a zip.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Store the run even if the trained model fails its checks."),
    ] = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Link the casebook's records into people (Splink on DuckDB, or Spark) and store the run.

    The EM training sessions are chosen from the columns the records fill; the trained model
    is checked, and a comparison no session trained soundly falls back to documented default
    m probabilities (said in one line). A model that fails its checks stops the run unless
    --force.

    Example: reckon link --threshold 0.95
    """
    from reckon.link import LinkSettings, run

    with casebook(cb_path) as cb:
        settings = LinkSettings.from_casebook(cb.settings)
        if threshold is not None:
            settings = settings.with_(threshold=threshold)
        if backend is not None:
            settings = settings.with_(backend=backend)
        if settings.backend == "spark":
            from reckon.link.spark import SparkOptions
            from reckon.link.spark_run import run_spark

            options = SparkOptions.from_casebook(cb.settings).with_(
                master=spark_master,
                checkpoint=spark_checkpoint,
                records=records,
                output=spark_output,
                ship_code=spark_ship_code or None,
            )
            result = run_spark(cb, settings, options)
        else:
            result = run(cb, settings, force=force)
    if as_json:
        print_json(result.to_dict())
        return
    d = result.to_dict()
    rows = [
        {"": k, "value": d[k]}
        for k in (
            "run_id",
            "n_records",
            "n_sources",
            "n_people",
            "n_links",
            "n_to_review",
            "threshold",
            "n_decisions",
            "n_ids_kept",
            "n_ids_new",
            "seconds",
        )
    ]
    emit(rows, False, title="Link run")
    line = result.training_line
    for w in result.warnings:
        if w != line:
            console.print(f"[yellow]warning:[/] {w}", highlight=False)
    if line:
        style = "red" if result.forced else ("yellow" if result.fell_back else "dim")
        console.print(f"[{style}]{line}[/]", highlight=False)
    check = result.training.get("label_check")
    if check and check.get("precision") is not None:
        console.print(
            f"On {check['n_accepted'] + check['n_rejected']} reviewed pairs the trained model"
            f" had precision {check['precision']:.3f} and recall {check['recall'] or 0:.3f}"
            f" at {check['threshold']}; {check['note']}.",
            highlight=False,
        )
    if result.n_to_review:
        console.print(f"Next: reckon review  ({result.n_to_review} uncertain pairs)")


def _record_table(rec: dict[str, Any], title: str) -> Table:
    t = Table(title=title, show_header=False)
    t.add_column("field", style="dim")
    t.add_column("value")
    for k, v in rec.items():
        if v not in (None, ""):
            t.add_row(k, str(v))
    return t


def _name(rec: dict[str, Any]) -> str:
    parts = [rec.get(k) for k in ("family_name", "given_name", "patronymic")]
    return rec.get("full_name") or " ".join(p for p in parts if p)


def _waterfall_table(pair: Any) -> Table:
    t = Table(title=f"p = {pair.match_probability:.4f}, weight = {pair.match_weight:.2f}")
    for c in ("evidence", "weight", "running total"):
        t.add_column(c, justify="right" if c != "evidence" else "left")
    for s in pair.waterfall:
        colour = "green" if s.weight > 0 else ("red" if s.weight < 0 else "dim")
        t.add_row(s.name, f"[{colour}]{s.weight:+.2f}[/]", f"{s.cumulative:.2f}")
    return t


def review(
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Name recorded with each decision.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many pairs to show.")] = 20,
    list_only: Annotated[
        bool, typer.Option("--list", help="List the open pairs instead of asking.")
    ] = False,
    decide_args: Annotated[
        tuple[str, str, str] | None,
        typer.Option(
            "--decide",
            help="Record one decision without prompting: two record ids, then accept, reject or skip.",
            metavar="L R DECISION",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note stored with --decide.")] = None,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Review uncertain pairs, the most informative first: accept, reject or skip.

    The queue puts first the pairs whose answer teaches the model most: uncertain ones with
    a pattern of evidence reviewers have rarely decided. Decisions override the model and,
    once there are enough, are labels the next `reckon link` learns from.

    Example: reckon review --reviewer anna   (or: reckon review --decide 12 40 reject)
    """
    from reckon.link import decide, review_queue

    chosen = _decide_args(decide_args) if decide_args is not None else None
    read_only = chosen is None and (list_only or as_json)
    with casebook(cb_path, read_only=read_only) as cb:
        if chosen is not None:
            left, right, verdict = chosen
            d = decide(cb, left, right, verdict, reviewer=reviewer, note=note)
            done(
                d,
                as_json,
                f"Recorded {d.decision} for {d.record_id_l}-{d.record_id_r} by {d.reviewer}.",
            )
            if not as_json:
                for w in d.warnings:
                    console.print(f"[yellow]warning:[/] {w}", highlight=False)
            return
        queue = review_queue(cb, limit=limit)
        if not as_json:
            for w in queue.warnings:
                console.print(f"[yellow]warning:[/] {w}", highlight=False)
        if list_only or as_json:
            if as_json:
                print_json(queue.to_dict())
                return
            rows = [
                {
                    "left": p.record_id_l,
                    "right": p.record_id_r,
                    "p": f"{p.match_probability:.4f}",
                    "left name": _name(p.left),
                    "right name": _name(p.right),
                }
                for p in queue.items
            ]
            emit(rows, False, title=f"{queue.n_open} open pairs (run {queue.run_id})")
            return
        if not queue.items:
            console.print("Nothing to review.")
            return
        n_decided = 0
        for pair in queue.items:
            console.print(
                Columns(
                    [
                        _record_table(pair.left, f"record {pair.record_id_l}"),
                        _record_table(pair.right, f"record {pair.record_id_r}"),
                    ]
                )
            )
            console.print(Panel(_waterfall_table(pair), title="evidence"))
            answer = _ask()
            if answer is None:
                break
            decide(cb, pair.record_id_l, pair.record_id_r, answer, reviewer=reviewer)
            n_decided += 1
        console.print(f"{n_decided} decision(s) recorded. Run `reckon link` to apply them.")


_ANSWERS = {"a": "accept", "r": "reject", "s": "skip"}


def _decide_args(args: tuple[str, str, str]) -> tuple[int, int, str]:
    """``--decide L R DECISION`` checked: two record ids (whole numbers), then the decision."""
    from reckon.errors import LinkError

    left, right, what = (a.strip() for a in args)
    bad = [a for a in (left, right) if not a.isdigit()]
    if bad:
        raise LinkError(
            f"--decide needs two record ids and a decision, got {' '.join(args)!r}: "
            f"{bad[0]!r} is not a record id",
            hint="for example: reckon review --decide 12 40 reject",
        )
    return int(left), int(right), what


def _ask() -> str | None:
    """accept / reject / skip, or None to stop; a typo asks again instead of ending the review."""
    while True:
        answer = typer.prompt("Same person? [a]ccept / [r]eject / [s]kip / [q]uit", default="s")
        key = answer.strip().lower()[:1]
        if key == "q":
            return None
        if key in _ANSWERS:
            return _ANSWERS[key]
        console.print(f"Type a, r, s or q (not {answer!r}).")


def explain_cmd(
    person_id: Annotated[str, typer.Argument(help="A person id from the links export.")],
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show why records were merged into one person: records, links and their evidence.

    Example: reckon explain P0000042
    """
    from reckon.link import explain

    with casebook(cb_path, read_only=True) as cb:
        ex = explain(cb, person_id)
    if as_json:
        print_json(ex.to_dict())
        return
    cols = [
        "id",
        "source",
        "source_record_id",
        "name",
        "birth_date",
        "death_date",
        "region",
        "unit",
    ]
    emit(
        list(ex.records), False, columns=cols, title=f"{ex.person_id}: {len(ex.records)} record(s)"
    )
    for w in ex.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    for link in ex.links:
        p = "decided" if link.match_probability is None else f"p = {link.match_probability:.3f}"
        title = f"{link.record_id_l} - {link.record_id_r}: {p}" + (
            f" ({link.decision})" if link.decision else ""
        )
        t = Table(title=title)
        t.add_column("evidence")
        t.add_column("weight", justify="right")
        for s in link.waterfall:
            t.add_row(s.name, f"{s.weight:+.2f}")
        console.print(t)


def export_links_cmd(
    output: ExportOpt,
    raw: RawOpt = False,
    force: ForceOpt = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write one row per record: source, record_id, person_id, match_probability.

    Example: reckon export links -o links.csv
    """
    from reckon.link import export_links

    with casebook(cb_path, read_only=True) as cb:
        res = export_links(cb, output, raw=raw, force=force)
    exported(res, as_json, f"Wrote {res.rows} record links to {res.path}.")


def export_people_cmd(
    output: ExportOpt,
    raw: RawOpt = False,
    force: ForceOpt = False,
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write one row per person: the best value of each field and the sources behind it.

    Example: reckon export people -o people.csv
    """
    from reckon.link import export_people

    with casebook(cb_path, read_only=True) as cb:
        res = export_people(cb, output, raw=raw, force=force)
    exported(res, as_json, f"Wrote {res.rows} people to {res.path}.")


def register(app: typer.Typer) -> None:
    app.command("link")(link)
    app.command("review")(review)
    app.command("explain")(explain_cmd)
    export_app.command("links")(export_links_cmd)
    export_app.command("people")(export_people_cmd)
