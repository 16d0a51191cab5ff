"""The link pipeline: :func:`run` links every current record of a casebook into people.

(The module is ``pipeline``, not ``run``, so that ``reckon.link.run`` is only the function.)

A run reads the ``current_record`` view and the human decisions, trains the model by EM
(unsupervised), scores candidate pairs, clusters them with the decisions overriding the
model, keeps person ids stable against the previous run, and writes ``link_run``,
``person_record`` and ``pair`` in one transaction -- a failed run leaves the casebook as it
was. Each run links the whole current casebook, so running again after a new ingest links
the new records to the old ones (and to each other).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import LinkError
from reckon.link.cluster import assign_person_ids, cluster
from reckon.link.features import prepare
from reckon.link.model import comparison_weights, predict, train
from reckon.link.review import count_uncertain
from reckon.link.settings import LinkSettings
from reckon.link.training import TrainingReport
from reckon.results import Plain
from reckon.store import Casebook, current_source_versions, inserted_id


@dataclass(frozen=True)
class LinkResult(Plain):
    """What a link run did, for the CLI table and ``--json``."""

    run_id: int
    n_records: int
    n_sources: int
    n_people: int
    n_pairs_stored: int
    n_links: int
    n_to_review: int
    threshold: float
    n_decisions: int
    n_split_by_rejections: int
    n_ids_kept: int
    n_ids_new: int
    inputs_hash: str
    seconds: float
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    # how the model was trained: sessions, fallbacks, checks (TrainingReport.to_dict())
    training: dict[str, Any] = field(default_factory=dict)
    forced: bool = False

    @property
    def training_line(self) -> str:
        return str(self.training.get("summary", ""))

    @property
    def fell_back(self) -> bool:
        return bool(self.training.get("fell_back"))


#: Pairs are stored down to this probability (below the review band): linkage-averaged
#: estimates (reckon.estimate.linkage) draw each stored pair with its probability, and on the
#: synthetic benchmark a tenth of the true pairs score between 0.01 and 0.5.
DRAW_FLOOR = 0.01


def utc_now() -> str:
    """The time now in UTC, as the link tables store it (ISO 8601, seconds, Z)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The columns linkage reads: fetching only these keeps a million-record run's memory down.
RECORD_COLUMNS = (
    "id",
    "source",
    "source_version_id",
    "full_name",
    "given_name",
    "patronymic",
    "family_name",
    "sex",
    "birth_date",
    "age_at_death",
    "death_date",
    "region",
    "unit",
    "rank",
)


def load_records(cb: Casebook) -> pd.DataFrame:
    """The current records; a sex an earlier run inferred is read as unknown (inferred anew)."""
    cols = ", ".join(
        "CASE WHEN sex_inferred = 1 THEN NULL ELSE sex END AS sex" if c == "sex" else c
        for c in RECORD_COLUMNS
    )
    return pd.read_sql_query(f"SELECT {cols} FROM current_record ORDER BY id", cb.db)


def load_decisions(cb: Casebook) -> pd.DataFrame:
    """Human decisions on the current records (view ``decision_current``).

    A decision made on an older version of a source carries over to the new version's record
    with the same source record id while its names and dates are unchanged.
    """
    return pd.read_sql_query(
        "SELECT id, record_id_l, record_id_r, decision, reviewer, decided_at FROM decision_current ORDER BY id",
        cb.db,
    )


def previous_mapping(cb: Casebook) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT record_id, person_id FROM person_record WHERE run_id ="
        " (SELECT max(id) FROM link_run WHERE finished_at IS NOT NULL)",
        cb.db,
    )


def _inputs_hash(records: pd.DataFrame, decisions: pd.DataFrame, settings: LinkSettings) -> str:
    h = hashlib.sha256()
    h.update(records["id"].to_numpy(dtype=np.int64).tobytes())
    h.update(records["source_version_id"].to_numpy(dtype=np.int64).tobytes())
    h.update(decisions["id"].to_numpy(dtype=np.int64).tobytes())
    h.update(settings.to_json().encode())
    return h.hexdigest()


@dataclass(frozen=True)
class FrameLink:
    """What :func:`link_features` gives: scored pairs and how the model was trained."""

    pairs: pd.DataFrame
    model_json: Any
    warnings: tuple[str, ...]
    timings: dict[str, float]
    prior: float
    training: TrainingReport | None


def link_features(
    features: pd.DataFrame,
    settings: LinkSettings,
    *,
    decisions: pd.DataFrame | None = None,
    db_api: Any | None = None,
    floor: float | None = None,
    force: bool = False,
) -> FrameLink:
    """Train and predict on a feature frame.

    ``pairs`` has record_id_l, record_id_r, match_weight, match_probability and one
    ``w_<comparison>`` column per comparison. ``decisions`` (reviewed pairs) are labels for
    training (:mod:`reckon.link.learn`). Raises :class:`LinkError` when the trained model
    fails its checks, unless ``force``.
    """
    floor = min(settings.review_low, settings.threshold, DRAW_FLOOR) if floor is None else floor
    cols = ["record_id_l", "record_id_r", "match_weight", "match_probability"]
    if len(features) < 2:
        return FrameLink(
            pd.DataFrame(columns=cols),
            None,
            ("fewer than two records: nothing to compare",),
            {},
            0.0,
            None,
        )
    model = train(features, settings, db_api=db_api, labels=decisions, force=force)
    raw = predict(model, floor)
    if raw.empty:
        pairs = pd.DataFrame(columns=cols)
    else:
        pairs = pd.DataFrame(
            {
                "record_id_l": raw["unique_id_l"].astype("int64"),
                "record_id_r": raw["unique_id_r"].astype("int64"),
                "match_weight": raw["match_weight"].astype("float64"),
                "match_probability": raw["match_probability"].astype("float64"),
            }
        )
        w = comparison_weights(raw, settings)
        for i, spec in enumerate(settings.comparisons):
            pairs[f"w_{spec.name}"] = w[:, i]
        pairs = pairs.drop_duplicates(["record_id_l", "record_id_r"])
    return FrameLink(
        pairs,
        model.model_json(),
        tuple(model.warnings),
        model.timings,
        model.prior,
        model.report,
    )


def link_frame(
    features: pd.DataFrame,
    settings: LinkSettings,
    *,
    decisions: pd.DataFrame | None = None,
    db_api: Any | None = None,
    floor: float | None = None,
    force: bool = False,
) -> tuple[pd.DataFrame, Any, list[str], dict[str, float], float]:
    """:func:`link_features` as a tuple (pairs, model json, warnings, timings, prior)."""
    out = link_features(
        features, settings, decisions=decisions, db_api=db_api, floor=floor, force=force
    )
    return out.pairs, out.model_json, list(out.warnings), out.timings, out.prior


def run(
    cb: Casebook,
    settings: LinkSettings | None = None,
    *,
    db_api: Any | None = None,
    force: bool = False,
) -> LinkResult:
    """Link the casebook's current records into people and store the run.

    Raises :class:`LinkError` when there is nothing to link, and when the trained model fails
    its checks (nothing is stored then) unless ``force``.
    """
    t_start = time.perf_counter()
    settings = settings or LinkSettings.from_casebook(cb.settings)
    if settings.backend == "spark" and db_api is None:
        # the whole run on the cluster: records, features, clustering (docs/spark.md)
        from reckon.link.spark_run import run_spark

        return run_spark(cb, settings)
    started = utc_now()
    # what this run is made from, so readers can tell when the records have moved on
    versions = current_source_versions(cb)
    last_decision = cb.db.execute("SELECT max(id) FROM decision").fetchone()[0]
    records = load_records(cb)
    if records.empty:
        raise LinkError(
            "the casebook has no records to link",
            hint="ingest a list first: reckon ingest FILE --source NAME",
        )
    decisions = load_decisions(cb)
    warnings: list[str] = []
    t0 = time.perf_counter()
    features = prepare(records)
    # the sex the names tell, for records whose source gave none (stored marked as inferred)
    given_sex = records["sex"].isin(["m", "f"]).to_numpy()
    inferred_sex = [
        (sx, int(rid))
        for rid, sx, given in zip(
            features["unique_id"].tolist(), features["sex"].tolist(), given_sex.tolist()
        )
        if not given and isinstance(sx, str) and sx in ("m", "f")
    ]
    timings = {"features": time.perf_counter() - t0}
    n_sources = int(records["source"].nunique())
    inputs_hash = _inputs_hash(records, decisions, settings)
    n_records = len(records)
    del records  # the feature frame carries what linkage needs
    if n_sources == 1:
        warnings.append("only one source: linking finds duplicates inside it")
    no_dates = features[["birth_year", "death_year", "birth_year_lo"]].isna().all().all()
    if no_dates:
        warnings.append(
            "no record has a usable birth or death date: names, region and unit decide alone"
        )
    linked = link_features(features, settings, decisions=decisions, db_api=db_api, force=force)
    pairs, model_json, prior = linked.pairs, linked.model_json, linked.prior
    warnings += linked.warnings
    timings.update(linked.timings)
    training = linked.training.to_dict() if linked.training is not None else {}
    forced = bool(force and training and not training.get("sound", True))

    t0 = time.perf_counter()
    clusters = cluster(
        features["unique_id"].to_numpy(),
        pairs,
        settings.threshold,
        decisions,
        max_size=settings.max_person_records,
    )
    if clusters.n_capped:
        warnings.append(
            f"{clusters.n_capped} chain(s) of more than {settings.max_person_records} records"
            " were cut at their weakest links: review them with `reckon explain`"
        )
    if clusters.conflicts:
        warnings.append(
            f"{len(clusters.conflicts)} accepted pair(s) overruled by rejections elsewhere in"
            " the same person: " + ", ".join(f"{a}-{b}" for a, b in clusters.conflicts[:5])
        )
    previous = previous_mapping(cb)
    person_ids = assign_person_ids(clusters.record_ids, clusters.labels, previous)
    timings["cluster"] = time.perf_counter() - t0
    kept = len(set(previous["person_id"]) & set(person_ids)) if len(previous) else 0
    n_people = clusters.n_clusters

    # below the review band too, down to DRAW_FLOOR: estimates draw clusterings from these
    stored = pairs[pairs["match_probability"] >= min(settings.review_low, DRAW_FLOOR)]
    n_links = int((pairs["match_probability"] >= settings.threshold).sum()) if len(pairs) else 0
    metrics = {
        "n_sources": n_sources,
        "n_pairs_stored": len(pairs),
        "n_links": n_links,
        "prior": prior,
        "training": training,
        "forced": forced,
        "warnings": warnings,
        "timings": timings,
    }

    t0 = time.perf_counter()
    wcols = [f"w_{c.name}" for c in settings.comparisons]
    if len(stored):
        wjson = [
            json.dumps(row)
            for row in np.round(stored[wcols].to_numpy(dtype=np.float64), 3).tolist()
        ]
    else:
        wjson = []
    with cb.transaction() as db:
        db.executemany(
            "UPDATE record SET sex = ?, sex_inferred = 1 WHERE id = ?"
            " AND (sex IS NULL OR sex_inferred = 1)",
            inferred_sex,
        )
        cur = db.execute(
            "INSERT INTO link_run(started_at, settings_json, threshold, inputs_hash,"
            " source_versions, last_decision_id) VALUES (?, ?, ?, ?, ?, ?)",
            (
                started,
                settings.to_json(),
                settings.threshold,
                inputs_hash,
                json.dumps(versions),
                last_decision,
            ),
        )
        run_id = inserted_id(cur)
        best = clusters.best_probability
        prob = best.astype(object)
        prob[np.isnan(best)] = None  # a singleton has no best match
        db.executemany(
            "INSERT INTO person_record(run_id, person_id, record_id, match_probability) VALUES (?, ?, ?, ?)",
            zip(
                [run_id] * len(person_ids),
                person_ids.tolist(),
                clusters.record_ids.tolist(),
                prob.tolist(),
            ),
        )
        db.executemany(
            "INSERT INTO pair(run_id, record_id_l, record_id_r, match_weight, match_probability, weights_json)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            zip(
                [run_id] * len(stored),
                stored["record_id_l"].tolist(),
                stored["record_id_r"].tolist(),
                stored["match_weight"].tolist(),
                stored["match_probability"].tolist(),
                wjson,
            ),
        )
        timings["write"] = time.perf_counter() - t0
        db.execute(
            "UPDATE link_run SET finished_at = ?, model_json = ?, metrics_json = ?, n_records = ?,"
            " n_people = ? WHERE id = ?",
            (
                utc_now(),
                json.dumps(model_json, ensure_ascii=False) if model_json else None,
                json.dumps(metrics, ensure_ascii=False, default=float),
                n_records,
                n_people,
                run_id,
            ),
        )
    n_review = count_uncertain(
        cb, {"id": run_id, "settings_json": settings.to_json()}
    )  # the same count as `reckon review` and the report give
    return LinkResult(
        run_id=run_id,
        n_records=n_records,
        n_sources=n_sources,
        n_people=n_people,
        n_pairs_stored=len(pairs),
        n_links=n_links,
        n_to_review=n_review,
        threshold=settings.threshold,
        n_decisions=len(decisions),
        n_split_by_rejections=clusters.n_split,
        n_ids_kept=kept,
        n_ids_new=len(set(person_ids)) - kept,
        inputs_hash=inputs_hash,
        seconds=round(time.perf_counter() - t_start, 2),
        warnings=tuple(warnings),
        timings={k: round(v, 2) for k, v in timings.items()},
        training=training,
        forced=forced,
    )
