"""The model check: warnings when EM's m/u probabilities make no sense for a match."""

from __future__ import annotations

from reckon.link.diagnostics import check_model


def _model(*levels: tuple[float | None, float | None]) -> dict:
    lv = [{"is_null_level": True, "label_for_charts": "family is NULL"}]
    lv += [
        {"label_for_charts": f"level {i}", "m_probability": m, "u_probability": u}
        for i, (m, u) in enumerate(levels)
    ]
    return {"comparisons": [{"output_column_name": "family", "comparison_levels": lv}]}


def test_a_sensible_model_passes() -> None:
    assert check_model(_model((0.7, 0.001), (0.2, 0.01), (0.1, 0.989))) == []
    assert check_model(None) == [] and check_model({}) == []


def test_agreement_against_a_match_is_flagged() -> None:
    (w,) = check_model(_model((0.001, 0.01), (0.2, 0.01), (0.1, 0.98)))
    assert w.startswith("model check: family: 'level 0' counts against a match")


def test_disagreement_for_a_match_is_flagged() -> None:
    warnings = check_model(_model((0.04, 0.001), (0.96, 0.9)))
    assert len(warnings) == 1 and "complete disagreement counts for a match" in warnings[0]


def test_mostly_disagreeing_matches_are_flagged() -> None:
    # the million-record failure: m(exact family) = 0.04, most "matches" disagree
    (w,) = check_model(_model((0.04, 0.0001), (0.3, 0.01), (0.66, 0.99)))
    assert "66% of true matches disagree completely" in w


def test_an_untrained_comparison_is_flagged() -> None:
    (w,) = check_model(_model((None, 0.01), (None, 0.99)))
    assert "family was not trained" in w
