"""Checks that EM learnt something sensible, read from the trained model.

Why: expectation maximisation finds *a* two-class split of the candidate pairs, not
necessarily matches vs non-matches. On a million records of many namesakes a loose training
block once led it to the class "same name, different person" (m(family name agrees) fell to
0.04) and recall collapsed without any error. These checks turn such a model into warnings
that ``reckon link`` prints and stores with the run, before anyone counts people with it.

For each comparison, levels run from the strongest agreement to "all other comparisons":

* the strongest agreement must be evidence *for* a match (m > u);
* complete disagreement must be evidence *against* one (m < u);
* if most matches are said to disagree completely (m of the last level above
  :data:`MAX_DISAGREEMENT`), the field is either very noisy or EM picked the wrong class;
* a comparison none of whose levels got an m probability was not trained and is neutral.
"""

from __future__ import annotations

import math
from typing import Any

MAX_DISAGREEMENT = 0.5


def _unreachable(level: dict[str, Any]) -> bool:
    """A level the data cannot reach: training gave it (floored) m = u = 1e-6, weight 0."""
    m, u = level.get("m_probability"), level.get("u_probability")
    return m is not None and u is not None and m <= 2e-6 and u <= 2e-6


def _levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        lv
        for lv in comparison.get("comparison_levels", [])
        if not lv.get("is_null_level") and not _unreachable(lv)
    ]


def _weight(level: dict[str, Any]) -> float | None:
    m, u = level.get("m_probability"), level.get("u_probability")
    if m is None or u is None or m <= 0 or u <= 0:
        return None
    return math.log2(m / u)


def check_model(model_json: dict[str, Any] | None) -> list[str]:
    """Warnings about a trained Splink model (``save_model_to_json`` output); [] when sound."""
    if not model_json:
        return []
    out: list[str] = []
    for comp in model_json.get("comparisons", []):
        name = comp.get("output_column_name") or "?"
        levels = _levels(comp)
        if len(levels) < 2:
            continue
        if all(
            lv.get("m_probability") is not None
            and lv.get("m_probability") == lv.get("u_probability")
            for lv in levels
        ):
            continue  # explicitly neutral: no data to compare on
        if all(lv.get("m_probability") is None for lv in levels):
            out.append(
                f"model check: {name} was not trained (no m probabilities); it weighs nothing"
            )
            continue
        top, last = levels[0], levels[-1]
        w_top, w_last = _weight(top), _weight(last)
        label = top.get("label_for_charts") or "strongest agreement"
        if w_top is not None and w_top <= 0:
            out.append(
                f"model check: {name}: '{label}' counts against a match (m {top['m_probability']:.3g} <= "
                f"u {top['u_probability']:.3g}); EM may have learnt the wrong class"
            )
        if w_last is not None and w_last >= 0:
            out.append(
                f"model check: {name}: complete disagreement counts for a match (m {last['m_probability']:.3g} >= "
                f"u {last['u_probability']:.3g}); EM may have learnt the wrong class"
            )
        m_last = last.get("m_probability")
        if m_last is not None and m_last > MAX_DISAGREEMENT and (w_last is None or w_last < 0):
            out.append(
                f"model check: {name}: the model says {m_last:.0%} of true matches disagree completely "
                f"on it; the field is very noisy or EM learnt the wrong class"
            )
    return out
