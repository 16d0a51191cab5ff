"""Learning from reviewers: decisions as labels for the model, and the check they make possible.

A reviewer's accept or reject of a pair is a label. Once a casebook has at least
:data:`MIN_ACCEPTED` accepted and :data:`MIN_REJECTED` rejected pairs, a link run

1. **checks the unsupervised model** on them: precision and recall, at the run's threshold,
   of the model EM trained (scored without term frequencies) against the reviewers'
   decisions, and its log loss;
2. **adjusts m from the labels**: for each comparison, the accepted pairs' levels are counted
   and pooled with the trained m as :data:`PRIOR_STRENGTH` pseudo-pairs (a Dirichlet prior
   centred on the EM estimate), so a handful of labels nudges and many labels dominate;
3. **keeps the adjustment only if it predicts better**: two-fold cross-fitting (fit on one
   half of the labels, score the other) must lower the log loss of the labelled pairs;
   otherwise the trained m stays. Reviewed pairs are the uncertain ones, not a random sample,
   so their levels are not the population's; the guard stops that bias from making the
   model worse;
4. **calibrates the prior** (:func:`calibrate_prior`): one shift of the prior's log odds so
   that the probabilities match the decisions, kept only if it lowers the held-out log loss
   in both halves. Calibration can be tested on pairs chosen by their probability, which is
   exactly how the review queue chooses them.

The comparison levels of each labelled pair are computed by Splink from the same settings
(its comparison-vector SQL over the labelled id pairs, as ``estimate_m_from_pairwise_labels``
does) so they agree with prediction.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from reckon.link import training as tr

MIN_ACCEPTED = 20
MIN_REJECTED = 5
PRIOR_STRENGTH = 50.0
# At most this shift of the prior (natural log odds, about 4.3 bits) from reviewed pairs.
MAX_SHIFT = 3.0


@dataclass(frozen=True)
class LabelCheck:
    """The model against the reviewers' decisions (stored in the run's metrics)."""

    n_accepted: int
    n_rejected: int
    threshold: float
    precision: float | None
    recall: float | None
    log_loss: float | None
    adjusted: bool
    cv_log_loss_before: float | None = None
    cv_log_loss_after: float | None = None
    note: str = ""
    # the prior's shift (log2 odds) that calibrates the model on the reviewed pairs; 0 if kept
    prior_shift_bits: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def label_vectors(linker: Any, pairs: pd.DataFrame, db_api: Any) -> pd.DataFrame:
    """Splink's comparison levels (``gamma_<comparison>``) of the labelled id pairs."""
    from splink.internals.block_from_labels import block_from_labels
    from splink.internals.comparison_vector_values import compute_comparison_vector_values_sql
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    lab = pd.DataFrame(
        {
            "unique_id_l": pairs["record_id_l"].astype("int64").to_numpy(),
            "unique_id_r": pairs["record_id_r"].astype("int64").to_numpy(),
        }
    )
    table = db_api.register(lab, table_name=f"reckon_labels_{int(time.time() * 1e6)}")
    pipeline = CTEPipeline()
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(block_from_labels(linker, table.physical_name))
    sql = compute_comparison_vector_values_sql(
        linker._settings_obj._columns_to_select_for_comparison_vector_values
    )
    pipeline.enqueue_sql(sql, "__splink__df_comparison_vectors")
    out = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    df = out.as_pandas_dataframe()
    out.drop_table_from_database_and_remove_from_cache()
    return df


def _tables(model: dict[str, Any], names: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per comparison: (m, u) indexed by Splink's comparison vector value (k-1 .. 0)."""
    out = []
    for name in names:
        m = [x if x is not None else tr.FLOOR for x in tr.m_vector(model, name)]
        u = [x if x is not None else tr.FLOOR for x in tr.u_vector(model, name)]
        # level i of the non-null list has comparison vector value k-1-i
        out.append((np.asarray(m[::-1], dtype=float), np.asarray(u[::-1], dtype=float)))
    return out


def scores(model: dict[str, Any], gammas: np.ndarray, names: list[str]) -> np.ndarray:
    """Match probability of each labelled pair under ``model`` (no term frequencies)."""
    prior = float(model.get("probability_two_random_records_match", 0.5))
    w = np.full(len(gammas), math.log(prior / (1 - prior)))
    for j, (m, u) in enumerate(_tables(model, names)):
        g = gammas[:, j]
        ok = g >= 0  # -1: null level, no evidence
        gi = np.clip(g, 0, len(m) - 1)
        w = w + np.where(ok, np.log(np.maximum(m[gi], tr.FLOOR) / np.maximum(u[gi], tr.FLOOR)), 0)
    return 1 / (1 + np.exp(-np.clip(w, -700, 700)))


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def adjusted(
    model: dict[str, Any], gammas: np.ndarray, y: np.ndarray, names: list[str], neutral: set[str]
) -> dict[str, Any]:
    """``model`` with m pooled from the accepted pairs' levels (PRIOR_STRENGTH pseudo-pairs)."""
    new = tr.copy_model(model)
    acc = gammas[y == 1]
    for j, name in enumerate(names):
        if name in neutral:
            continue
        m = [x if x is not None else tr.FLOOR for x in tr.m_vector(model, name)]
        k = len(m)
        g = acc[:, j]
        g = g[g >= 0]
        counts = np.zeros(k)
        for v in g:
            counts[k - 1 - int(v)] += 1
        pooled = (counts + PRIOR_STRENGTH * np.asarray(m)) / (len(g) + PRIOR_STRENGTH)
        tr.set_vectors(new, name, [float(x) for x in pooled])
    return new


def _fit_shift(p: np.ndarray, y: np.ndarray) -> float:
    """The shift d (natural log odds) maximising the likelihood of y ~ sigmoid(logit p + d)."""
    z = np.log(np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, 1))
    d = 0.0
    for _ in range(50):
        q = 1 / (1 + np.exp(-(z + d)))
        grad = float(np.sum(y - q))
        hess = float(np.sum(q * (1 - q))) + 1e-9
        step = grad / hess
        d += max(min(step, 2.0), -2.0)
        if abs(step) < 1e-6:
            break
    return max(min(d, MAX_SHIFT), -MAX_SHIFT)


def _shift(p: np.ndarray, d: float) -> np.ndarray:
    z = np.log(np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, 1))
    return 1 / (1 + np.exp(-(z + d)))


def calibrate_prior(
    model: dict[str, Any], gammas: np.ndarray, y: np.ndarray, names: list[str], fold: np.ndarray
) -> tuple[dict[str, Any], float]:
    """Shift the prior so the model's probabilities match the reviewers' decisions.

    Why this is safe on reviewed pairs although they were chosen by their score: a
    calibrated model gives P(same person | p) = p whatever the reason a pair was shown, so
    the decisions on pairs picked by their probability still test the calibration. The
    shift is fitted on one half and checked on the other (both ways); kept only if it
    lowers the held-out log loss. Returns (model, shift in log2 odds).
    """
    p = scores(model, gammas, names)
    gains = []
    for f in (0, 1):
        fit, held = fold != f, fold == f
        if not held.any() or not fit.any():
            return model, 0.0
        d = _fit_shift(p[fit], y[fit])
        gains.append(_log_loss(p[held], y[held]) - _log_loss(_shift(p[held], d), y[held]))
    if min(gains) <= 0:
        return model, 0.0
    d = _fit_shift(p, y)
    prior = float(model.get("probability_two_random_records_match", 0.5))
    new = tr.copy_model(model)
    z = math.log(prior / (1 - prior)) + d
    new["probability_two_random_records_match"] = 1 / (1 + math.exp(-z))
    return new, round(d / math.log(2), 3)


def learn_from_labels(
    model: dict[str, Any],
    vectors: pd.DataFrame,
    decisions: pd.DataFrame,
    names: list[str],
    neutral: set[str],
    threshold: float,
) -> tuple[dict[str, Any], LabelCheck]:
    """Check ``model`` on the reviewed pairs and adjust its m if that predicts them better."""
    lab = decisions[decisions["decision"].isin(["accept", "reject"])]
    lo = np.minimum(lab["record_id_l"], lab["record_id_r"]).to_numpy(dtype=np.int64)
    hi = np.maximum(lab["record_id_l"], lab["record_id_r"]).to_numpy(dtype=np.int64)
    y_by_pair = dict(zip(zip(lo.tolist(), hi.tolist()), (lab["decision"] == "accept").tolist()))
    v_lo = np.minimum(vectors["unique_id_l"], vectors["unique_id_r"]).to_numpy(dtype=np.int64)
    v_hi = np.maximum(vectors["unique_id_l"], vectors["unique_id_r"]).to_numpy(dtype=np.int64)
    y = np.asarray([float(y_by_pair.get(k, 0)) for k in zip(v_lo.tolist(), v_hi.tolist())])
    gammas = (
        np.column_stack([vectors[f"gamma_{n}"].to_numpy(dtype=np.int64) for n in names])
        if len(vectors)
        else np.zeros((0, len(names)), dtype=np.int64)
    )
    n_acc, n_rej = int((y == 1).sum()), int((y == 0).sum())
    p = scores(model, gammas, names) if len(y) else np.zeros(0)
    pred = p >= threshold
    tp = int((pred & (y == 1)).sum())
    precision = round(tp / int(pred.sum()), 4) if pred.sum() else None
    recall = round(tp / n_acc, 4) if n_acc else None
    loss = round(_log_loss(p, y), 4) if len(y) else None
    if n_acc < MIN_ACCEPTED or n_rej < MIN_REJECTED:
        note = (
            f"{n_acc} accepted and {n_rej} rejected reviewed pairs: m is adjusted from"
            f" {MIN_ACCEPTED} accepted and {MIN_REJECTED} rejected"
        )
        return model, LabelCheck(n_acc, n_rej, threshold, precision, recall, loss, False, note=note)
    rng = np.random.default_rng(0)
    fold = rng.permutation(len(y)) % 2
    before, after = [], []
    for f in (0, 1):
        fit, held = fold != f, fold == f
        cand = adjusted(model, gammas[fit], y[fit], names, neutral)
        before.append(_log_loss(scores(model, gammas[held], names), y[held]))
        after.append(_log_loss(scores(cand, gammas[held], names), y[held]))
    cv_before, cv_after = round(float(np.mean(before)), 4), round(float(np.mean(after)), 4)
    adjusted_m = cv_after < cv_before
    out = adjusted(model, gammas, y, names, neutral) if adjusted_m else model
    out, shift = calibrate_prior(out, gammas, y, names, fold)
    notes = [
        "m adjusted from the reviewed pairs (it predicts held-out decisions better)"
        if adjusted_m
        else "m kept: adjusting it from the reviewed pairs did not predict held-out decisions better"
    ]
    if shift:
        notes.append(f"prior shifted by {shift:+.2f} bits to match the decisions")
    return out, LabelCheck(
        n_acc,
        n_rej,
        threshold,
        precision,
        recall,
        loss,
        adjusted_m or bool(shift),
        cv_before,
        cv_after,
        "; ".join(notes),
        shift,
    )
