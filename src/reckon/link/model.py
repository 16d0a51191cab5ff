"""The Splink model: settings -> comparisons and blocks, EM training, prediction.

Everything here goes through Splink's backend abstraction (a ``DatabaseAPI`` and the public
``Linker``); the only place that knows which engine runs is :func:`make_db_api`. DuckDB is the
default (embedded, memory-bounded); ``backend="spark"`` hands the same Splink settings to a
Spark session, so a big casebook can be linked on a cluster with identical results semantics.

The comparison levels use Splink's level library (which translates to each engine's SQL
dialect) plus plain SQL arithmetic for partial dates, which every engine understands.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import LinkError
from reckon.link import training as tr
from reckon.link.diagnostics import check_model
from reckon.link.frequencies import add_within_columns, within_column, within_tables
from reckon.link.settings import ARRAY_COLUMNS, ComparisonSpec, LinkSettings
from reckon.link.training import TrainingReport

UID = "unique_id"
# Above this many records predict runs in chunks (see predict()).
PREDICT_CHUNK_RECORDS = 250_000
log = logging.getLogger(__name__)


def make_db_api(backend: str = "duckdb", **options: Any) -> Any:
    """The one engine factory: a Splink ``DatabaseAPI`` for ``backend``.

    DuckDB runs in memory with a memory cap and a spill folder so a million records stay
    under the project's 8 GB budget; ``spark`` uses ``spark_session=...`` from ``options``,
    or starts one with :func:`spark_session` (``spark_master=...``).
    """
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        con = duckdb.connect(":memory:")
        limit = options.get("memory_limit") or os.environ.get("RECKON_DUCKDB_MEMORY", "4GB")
        con.execute(f"SET memory_limit = '{limit}'")
        spill = options.get("temp_directory") or tempfile.gettempdir()
        con.execute(f"SET temp_directory = '{spill}'")
        if options.get("threads"):
            con.execute(f"SET threads = {int(options['threads'])}")
        con.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection=con)
    if backend == "spark":
        session = options.get("spark_session") or spark_session(options.get("spark_master"))
        from splink import SparkAPI

        return SparkAPI(spark_session=session)
    raise LinkError(f"unknown linkage backend {backend!r}", hint="use duckdb or spark")


def spark_session(master: str | None = None, *, checkpoint_dir: str | None = None) -> Any:
    """A Spark session Splink can link on (:func:`reckon.link.spark.session`), with a
    checkpoint folder (a temporary one on this machine unless given)."""
    from reckon.link.spark import session

    return session(
        master, checkpoint_dir=checkpoint_dir or tempfile.mkdtemp(prefix="reckon-spark-")
    )


def _level_lib() -> Any:
    import splink.comparison_level_library as cll

    return cll


def _exact(spec: ComparisonSpec) -> Any:
    """Exact agreement on the first column; term frequencies within groups if asked."""
    key = spec.columns[0]
    level = _level_lib().ExactMatchLevel(key, term_frequency_adjustments=spec.tf)
    if spec.tf and spec.tf_within:
        # the level's own u is the base the frequency replaces (its column is not the tf column)
        level = level.configure(
            tf_adjustment_column=within_column(key, spec.tf_within),
            disable_tf_exact_match_detection=True,
        )
    return level


def _same_date_levels(y: str, m: str, d: str, what: str) -> list[Any]:
    """Same day, then same month, of a date held in year / month / day columns."""
    cll = _level_lib()
    return [
        cll.CustomLevel(f"{y}_l = {y}_r AND {m}_l = {m}_r AND {d}_l = {d}_r", f"same {what}date"),
        cll.CustomLevel(f"{y}_l = {y}_r AND {m}_l = {m}_r", f"same {what}month"),
    ]


def _comparison(spec: ComparisonSpec) -> Any:
    """A Splink comparison creator for one :class:`ComparisonSpec`."""
    import splink.comparison_library as cl

    cll = _level_lib()
    levels: list[Any]
    if spec.kind in ("name", "string", "levenshtein", "exact"):
        # null on the first column, exact agreement on it, then similarity on the last one
        # (a name's romanised form; the column itself for the other kinds)
        levels = [cll.NullLevel(spec.columns[0]), _exact(spec)]
        if spec.kind == "name" and spec.swap:
            key, other = spec.columns[0], spec.swap
            levels.append(
                cll.CustomLevel(
                    f"{key}_l = {other}_r AND {other}_l = {key}_r", f"{key} swapped with {other}"
                )
            )
        if spec.kind == "levenshtein":
            levels += [cll.LevenshteinLevel(spec.columns[-1], int(t)) for t in spec.thresholds]
        elif spec.kind != "exact":
            levels += [cll.JaroWinklerLevel(spec.columns[-1], t) for t in spec.thresholds]
    elif spec.kind == "birth":
        y, m, d, lo, hi = spec.columns
        levels = [
            cll.CustomLevel(f"{lo}_l IS NULL OR {lo}_r IS NULL", "no birth year").configure(
                is_null_level=True
            ),
            *_same_date_levels(y, m, d, "birth "),
            cll.CustomLevel(f"{y}_l = {y}_r", "same birth year"),
            cll.CustomLevel(f"abs({y}_l - {y}_r) <= 1", "birth years 1 apart"),
            cll.CustomLevel(f"{lo}_l <= {hi}_r AND {lo}_r <= {hi}_l", "birth year ranges overlap"),
        ]
    elif spec.kind == "date":
        y, m, d = spec.columns
        ym = f"(({y}_l * 12 + {m}_l) - ({y}_r * 12 + {m}_r))"
        levels = [
            cll.CustomLevel(f"{y}_l IS NULL OR {y}_r IS NULL", "no date").configure(
                is_null_level=True
            ),
            *_same_date_levels(y, m, d, ""),
            cll.CustomLevel(f"abs{ym} <= 1", "months 1 apart"),
            cll.CustomLevel(f"{y}_l = {y}_r", "same year"),
        ]
    else:  # pragma: no cover - guarded by ComparisonSpec
        raise LinkError(f"unknown comparison kind {spec.kind}")
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(
        comparison_levels=levels, output_column_name=spec.name, comparison_description=spec.name
    )


def blocking_rule(cols: tuple[str, ...]) -> Any:
    """A Splink blocking rule: records equal on every column (list columns: sharing an element)."""
    from splink import block_on

    arrays = [c for c in cols if c in ARRAY_COLUMNS]
    return block_on(*cols, arrays_to_explode=arrays or None)


def candidate_pairs(
    df: pd.DataFrame, settings: LinkSettings, *, memory_limit: str | None = None
) -> dict[str, int]:
    """Pairs each blocking rule adds beyond the rules before it (and ``total``), counted exactly.

    Why: the cost of a blocking rule is what decides whether it can stay at a million
    records. Splink materialises every candidate pair to count them (about 4 GB of DuckDB
    memory at a million records), so a large frame is best counted in a process of its own.
    """
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    api = make_db_api(settings.backend, memory_limit=memory_limit)
    table = api.register(df, table_name=f"reckon_candidates_{int(time.time() * 1000)}")
    counts = count_comparisons_from_blocking_rules(
        table,
        blocking_rules=[blocking_rule(r) for r in settings.blocking],
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    out = {
        "+".join(rule): int(c["marginal_comparison_count"])
        for rule, c in zip(settings.blocking, counts)
    }
    out["total"] = sum(out.values())
    return out


def estimate_prior(df: pd.DataFrame, settings: LinkSettings) -> float:
    """Probability that two random records match, from near-certain deterministic rules.

    Counted on the feature frame (inclusion-exclusion over pairs of rules), then scaled up by
    the rules' assumed recall. Done here rather than in the engine so an empty rule result
    falls back to a sensible prior instead of zero.
    """
    n = len(df)
    total = n * (n - 1) / 2
    if total <= 0:
        return 0.5

    def pairs(cols: tuple[str, ...]) -> float:
        sub = df[list(cols)].dropna()
        if sub.empty:
            return 0.0
        sizes = sub.groupby(list(cols), sort=False).size().to_numpy(dtype=np.float64)
        return float((sizes * (sizes - 1) / 2).sum())

    rules = [r for r in settings.deterministic if all(c in df.columns for c in r)]
    found = sum(pairs(r) for r in rules)
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            found -= pairs(tuple(dict.fromkeys((*a, *b))))
    expected = max(found, 0.0) / settings.deterministic_recall
    if expected <= 0:
        expected = n * 0.1  # nothing certain: assume a tenth of records have a twin
    return float(min(max(expected / total, 1e-9), 0.5))


def splink_settings(settings: LinkSettings, prior: float, *, retain: bool = True) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UID,
        comparisons=[_comparison(c) for c in settings.comparisons],
        blocking_rules_to_generate_predictions=[blocking_rule(r) for r in settings.blocking],
        probability_two_random_records_match=prior,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=retain,
        max_iterations=settings.extra.get("max_iterations", 20),
    )


@dataclass
class TrainedModel:
    """A trained linker and what training said about itself."""

    linker: Any
    prior: float
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    n_records: int = 0
    report: TrainingReport | None = None

    def model_json(self) -> dict[str, Any]:
        return self.linker.misc.save_model_to_json()


def _quiet_splink() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def checked_prior(df: pd.DataFrame, settings: LinkSettings) -> tuple[float, str]:
    """The prior from near-certain rules if it is within sane bounds, else the default."""
    n = len(df)
    n_sources = int(df["source"].nunique()) if "source" in df.columns else 1
    lo, hi = tr.prior_bounds(n, n_sources)
    prior = estimate_prior(df, settings)
    if lo <= prior <= hi:
        return prior, "rules"
    return float(min(max(tr.default_prior(n), lo), hi)), "default"


def train(
    df: pd.DataFrame,
    settings: LinkSettings,
    *,
    db_api: Any | None = None,
    model: dict | None = None,
    labels: pd.DataFrame | None = None,
    force: bool = False,
) -> TrainedModel:
    """Register the feature frame with the engine and train the model (see reckon.link.training).

    ``model`` (a saved Splink model) skips training. Otherwise u is estimated by random
    sampling, then each EM session runs on a copy of that model and gives m probabilities
    only for the comparisons independent of its block that pass the checks; the rest fall
    back to the documented defaults or, without data, weigh nothing. ``labels`` (reviewed
    pairs: record_id_l, record_id_r, decision) adjust m once there are enough accepted ones
    (:mod:`reckon.link.learn`). Raises :class:`LinkError` when the final model fails its
    checks, unless ``force``.
    """
    from splink import Linker

    _quiet_splink()
    missing = [c for c in settings.columns if c not in df.columns]
    if missing:
        raise LinkError(f"the record frame lacks column(s) {', '.join(missing)}")
    if UID not in df.columns:
        raise LinkError(f"the record frame lacks the {UID} column")
    db_api = db_api or make_db_api(
        settings.backend, spark_master=settings.extra.get("spark_master")
    )
    df = add_within_columns(df, settings)
    stamp = int(time.time() * 1000)
    table = db_api.register(df, table_name=f"reckon_records_{stamp}")
    timings: dict[str, float] = {}
    warnings: list[str] = []

    lookups = {
        col: db_api.register(tf, table_name=f"reckon_tf_{col}_{stamp}")
        for col, tf in within_tables(df, settings).items()
    }

    def register_frequencies(linker: Any) -> None:
        for col, lookup in lookups.items():
            linker.table_management.register_term_frequency_lookup(lookup, col)

    def linker_from(model_json: dict[str, Any]) -> Any:
        lk = Linker(table, tr.copy_model(model_json), log_level=None)
        register_frequencies(lk)
        _quiet_splink()
        return lk

    if model is not None:
        linker = linker_from(model)
        return TrainedModel(
            linker, float(model.get("probability_two_random_records_match", 0)), n_records=len(df)
        )
    prior, prior_source = checked_prior(df, settings)
    linker = Linker(table, splink_settings(settings, prior), log_level=None)
    register_frequencies(linker)
    _quiet_splink()
    problems: list[str] = []
    t0 = time.perf_counter()
    try:
        # Splink stops counting u once every level has 100 pairs, after a share of the
        # sample picked by the engine's own hash function, so DuckDB and Spark then count
        # different pairs; extra["u_min_count_per_level"] = None counts the whole sample,
        # and when that is all records both engines learn the same u (docs/benchmarks.md).
        linker.training.estimate_u_using_random_sampling(
            max_pairs=settings.u_max_pairs,
            seed=settings.seed,
            min_count_per_level=settings.extra.get("u_min_count_per_level", 100),
        )
    except Exception as exc:  # noqa: BLE001 - engine errors on degenerate data
        problems.append(f"u could not be estimated: {str(exc).splitlines()[0][:200]}")
    timings["u"] = time.perf_counter() - t0
    base = linker.misc.save_model_to_json()

    have = set(tr.with_data(df, settings))
    notes: list[str] = []
    small_data = len(df) * (len(df) - 1) / 2 < tr.MIN_U_PAIRS
    if small_data:
        notes.append("too few records to estimate u: the documented default u is used")
    collected: dict[str, list[list[float | None]]] = {c.name: [] for c in settings.comparisons}
    kinds = {c.name: c.kind for c in settings.comparisons}
    reach = {
        c.name: tr.reachable(df, c, len(tr.u_vector(base, c.name))) for c in settings.comparisons
    }
    sessions: list[tr.SessionReport] = []
    lambdas: list[tuple[tuple[str, ...], float, int]] = []

    def run_session(block: tuple[str, ...], st: tr.BlockStats | None) -> tuple[str, ...]:
        """One EM session on a copy of the base model; returns the comparisons it kept."""
        trains = tuple(c for c in tr.independent(block, settings.comparisons) if c in have)
        info: dict[str, Any] = {
            "n_pairs": st.n_pairs if st else None,
            "proxy_share": st.proxy_share if st else None,
        }
        if not all(df[c].notna().any() for c in block):
            sessions.append(tr.SessionReport(block, trains, "failed", "a column is empty", **info))
            return ()
        t0 = time.perf_counter()
        fitted = None
        lam = 0.0
        reason = ""
        # Term-frequency adjustments can push a pair's weight so far that a level's m
        # underflows to 0 and Splink refuses it; the second try leaves them out.
        for without_tf in (False, True):
            try:
                lk = linker_from(base)
                sess = lk.training.estimate_parameters_using_expectation_maximisation(
                    blocking_rule(block),
                    estimate_without_term_frequencies=without_tf,
                    max_pairs=settings.em_max_pairs,
                )
                fitted = lk.misc.save_model_to_json()
                lam = float(sess.core_model_settings.probability_two_random_records_match)
                break
            except Exception as exc:  # noqa: BLE001 - a failed session leaves nothing behind
                reason = str(exc).splitlines()[0][:200]
        timings["em_" + "+".join(block)] = time.perf_counter() - t0
        if fitted is None:
            sessions.append(tr.SessionReport(block, trains, "failed", reason, **info))
            return ()
        kept, rejected, why = [], [], []
        for name in trains:
            m = tr.m_vector(fitted, name)
            u = tr.u_vector(base, name)
            if all(x is None for x in m):
                rejected.append(name)
                why.append(f"{name}: no level observed")
                continue
            filled = tr.fill_missing(m, [x if x is not None else tr.FLOOR for x in u])
            bad = tr.comparison_problems(name, kinds[name], filled, u, reach[name])
            if bad:
                rejected.append(name)
                why.extend(bad)
            else:
                kept.append(name)
                collected[name].append(
                    tr.smooth(m, tr.default_m(name, tr.level_labels(base, name)), st)
                )
        if kept and st is not None:
            lambdas.append((block, lam, st.n_pairs))
        sessions.append(
            tr.SessionReport(
                block,
                trains,
                "kept" if kept else "rejected",
                "; ".join(why),
                kept=tuple(kept),
                rejected=tuple(rejected),
                **info,
            )
        )
        return tuple(kept)

    if settings.training:
        chosen_by = "settings"
        for block in settings.training:
            run_session(block, tr.block_stats(df, block))
    else:
        chosen_by = "data"
        pool = tr.session_pool(df, settings)
        if not pool:
            notes.append("no candidate block has enough pairs agreeing on another field")
        todo = set(have)
        tried: list[tuple[str, ...]] = []
        while todo and len(tried) < tr.MAX_ATTEMPTS:
            st = tr.next_session(pool, todo, tried, settings)
            if st is None:
                break
            tried.append(st.block)
            todo -= set(run_session(st.block, st))

    final = tr.copy_model(base)
    final["probability_two_random_records_match"] = prior
    trained, defaults, neutral = [], [], []
    for spec in settings.comparisons:
        name = spec.name
        u = tr.u_vector(base, name)
        labels_ = tr.level_labels(base, name)
        k = len(u)
        if name not in have:
            tr.set_vectors(final, name, [1.0 / k] * k, [1.0 / k] * k)
            neutral.append(name)
            continue
        ok = tr.reachable(df, spec, k)
        if small_data:
            u = list(tr.default_m(name, labels_, "u") or u)
        # a reachable level no random pair reached is rare: a tenth of the rarest one seen
        seen = [x for x in u if x is not None and x > 0]
        rare = max(min(seen) / 10, tr.FLOOR) if seen else 1e-4
        u_fill = [
            (x if x is not None and x > 0 else (rare if ok[i] else tr.FLOOR))
            for i, x in enumerate(u)
        ]
        dflt = tr.default_m(name, labels_)
        dflt_c = tr.cascade(dflt, ok) if dflt else None
        m_final: list[float] | None = None
        if collected[name]:
            m_final = tr.fill_missing(tr.median_vectors(collected[name]), dflt_c or u_fill)
            if tr.comparison_problems(name, spec.kind, m_final, u_fill, ok):
                m_final = None
            else:
                trained.append(name)
        if m_final is None and dflt_c is not None:
            m_final = [max(x, tr.FLOOR) for x in dflt_c]
            defaults.append(name)
        if m_final is not None:
            # levels this data cannot reach: neither m nor u (weight 0 there)
            m_final = [m_final[i] if ok[i] or i == k - 1 else tr.FLOOR for i in range(k)]
            bad = tr.comparison_problems(name, spec.kind, m_final, u_fill, ok)
            if not bad:
                tr.set_vectors(final, name, m_final, u_fill)
                continue
            if name in defaults:
                defaults.remove(name)
        if spec.kind in tr.KEY_KINDS:
            problems.append(f"{name} was not trained soundly and has no sound default")
        else:
            # a side field (sex, unit, rank) that cannot be fitted weighs nothing
            tr.set_vectors(final, name, [1.0 / k] * k, [1.0 / k] * k)
            neutral.append(name)
    implied = [
        p
        for block, lam, n_pairs in lambdas
        if (p := tr.prior_from_session(df, settings, final, block, lam, n_pairs)) is not None
    ]
    lo, hi = tr.prior_bounds(len(df), int(df["source"].nunique()) if "source" in df else 1)
    if implied:
        # the sessions measured the share of matches in their blocks: better than near-certain
        # rules, which miss most matches where patronymics or full dates are rare; the most
        # filled block's estimate leans least on how fields go missing
        best = max(implied, key=lambda x: x[1])[0]
        if lo <= best <= hi:
            prior, prior_source = best, "sessions"
        elif prior_source == "rules":
            # the rules' count misses matches the sessions see: the default is safer
            prior, prior_source = float(min(max(tr.default_prior(len(df)), lo), hi)), "default"
        final["probability_two_random_records_match"] = prior
    if len(neutral) == len(settings.comparisons):
        problems.append("no comparison carries any evidence (none trained, none with defaults)")
    label_check = None
    if labels is not None and len(labels) and not problems:
        label_check, final = _use_labels(
            final, labels, settings, set(neutral), linker_from, db_api, reach
        )
        shifted = float(final["probability_two_random_records_match"])
        lo, hi = tr.prior_bounds(len(df), int(df["source"].nunique()) if "source" in df else 1)
        if lo <= shifted <= hi:
            prior = shifted
        final["probability_two_random_records_match"] = prior
    lo, hi = tr.prior_bounds(len(df), int(df["source"].nunique()) if "source" in df else 1)
    if not lo <= prior <= hi:
        problems.append(f"the prior {prior:.3g} is outside the sane range {lo:.3g}..{hi:.3g}")
    report = tr.TrainingReport(
        chosen_by=chosen_by,
        sessions=tuple(sessions),
        trained=tuple(trained),
        defaults=tuple(defaults),
        neutral=tuple(neutral),
        prior=prior,
        prior_source=prior_source,
        problems=tuple(problems),
        notes=tuple(notes),
        label_check=label_check,
    )
    if report.fell_back or not report.sound or any(s.status != "kept" for s in sessions):
        warnings.append(report.summary())
    if not report.sound and not force:
        raise LinkError(
            "the trained model is not sound, so no run was stored: " + "; ".join(problems[:3]),
            hint="check the lists' columns (reckon link --json shows the training sessions),"
            " or store the run anyway with --force",
        )
    linker = linker_from(final)
    if report.sound:
        warnings += check_model(linker.misc.save_model_to_json())
    return TrainedModel(linker, prior, warnings, timings, n_records=len(df), report=report)


def _use_labels(
    final: dict[str, Any],
    labels: pd.DataFrame,
    settings: LinkSettings,
    neutral: set[str],
    linker_from: Any,
    db_api: Any,
    reach: dict[str, list[bool]],
) -> tuple[Any, dict[str, Any]]:
    """Check the model on reviewed pairs and adjust m from them (reckon.link.learn)."""
    from reckon.link import learn

    decided = labels[labels["decision"].isin(["accept", "reject"])]
    if decided.empty:
        return None, final
    names = [c.name for c in settings.comparisons]
    vectors = learn.label_vectors(linker_from(final), decided, db_api)
    new, check = learn.learn_from_labels(
        final, vectors, decided, names, neutral, settings.threshold
    )
    if check.adjusted:
        for spec in settings.comparisons:
            if spec.name in neutral or spec.kind not in tr.KEY_KINDS:
                continue
            bad = tr.comparison_problems(
                spec.name,
                spec.kind,
                tr.m_vector(new, spec.name),
                tr.u_vector(new, spec.name),
                reach.get(spec.name),
            )
            if bad:  # labels must not make agreement count against a match
                return replace(check, adjusted=False, note="m kept: " + bad[0]), final
    return check, new


def predict(model: TrainedModel, floor: float) -> pd.DataFrame:
    """Scored candidate pairs at or above probability ``floor`` as a pandas frame.

    Columns: ``unique_id_l``, ``unique_id_r`` (l < r), ``match_weight``,
    ``match_probability``, then ``mw_<comparison>`` (and ``mw_tf_adj_<comparison>``) for each.
    """
    t0 = time.perf_counter()
    # An exploding block makes Splink de-duplicate all candidate pairs in one GROUP BY, which
    # ran out of DuckDB's 4 GB at a million records (~90 M pairs); chunks of about a quarter
    # million records a side keep each pass to a fraction of the pairs.
    chunks = max(1, math.ceil(math.sqrt(model.n_records / PREDICT_CHUNK_RECORDS)))
    out = model.linker.inference.predict(
        threshold_match_probability=floor,
        num_chunks_left=chunks,
        num_chunks_right=chunks,
        warning_mode="never",
    )
    df = out.as_pandas_dataframe()
    out.drop_table_from_database_and_remove_from_cache()
    model.timings["predict"] = time.perf_counter() - t0
    if df.empty:
        return df
    left = df[f"{UID}_l"].to_numpy()
    right = df[f"{UID}_r"].to_numpy()
    swap = left > right
    if swap.any():
        df.loc[swap, [f"{UID}_l", f"{UID}_r"]] = np.column_stack([right[swap], left[swap]])
    return df


def comparison_weights(df: pd.DataFrame, settings: LinkSettings) -> np.ndarray:
    """Per-comparison match weights (log2 Bayes factors incl. term frequency) as an array."""
    cols = []
    for spec in settings.comparisons:
        w = df.get(f"mw_{spec.name}")
        base = np.zeros(len(df)) if w is None else w.to_numpy(dtype=np.float64, na_value=0.0)
        tf = df.get(f"mw_tf_adj_{spec.name}")
        if tf is not None:
            base = base + tf.to_numpy(dtype=np.float64, na_value=0.0)
        cols.append(base)
    return np.column_stack(cols) if cols else np.zeros((len(df), 0))


def prior_weight(prior: float) -> float:
    """The starting match weight of every pair: log2 of the prior odds."""
    prior = min(max(prior, 1e-12), 1 - 1e-12)
    return math.log2(prior / (1 - prior))
