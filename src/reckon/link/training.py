"""Training that cannot silently go wrong: sessions chosen from the data, fitted on copies, checked.

Why: expectation maximisation finds *a* split of the pairs of a block into two classes, not
necessarily matches and non-matches, and a session that fails half-way used to leave the model
half-updated (issue 11: a prior of 0.99 and names weighing nothing, then 32,486 links). Here:

1. **Sessions from the data** (:func:`choose_sessions`): which columns are filled decides the
   blocks. A candidate block is scored on the feature frame by how many pairs it makes and what
   share of them also agree on an independent field (a proxy for the share of true matches),
   and blocks are picked until every comparison with data is trained by a block that does not
   read its columns (nor columns derived from them: :data:`DERIVED_COLUMNS`).
2. **Each session on a copy**: a fresh Splink linker is built from the model after u
   estimation, the session runs there, and only the m probabilities of the comparisons
   independent of its block are taken, each only if it passes the checks of
   :func:`comparison_problems` (agreement counts for a match, complete disagreement against,
   names and dates by at least one bit). A session that raises leaves nothing behind.
3. **Fallback**: a comparison no session trained soundly gets the documented default m
   probabilities of the casualty schema (``data/default_m.json``, measured on generated cases
   with known truth; docs/link.md), with the mass of levels this data cannot reach (no birth
   dates, deaths to the month) moved to the next lower level; a comparison without data is
   explicitly neutral (m = u, weight 0).
4. **The prior** comes from the EM sessions (:func:`prior_from_session`: the share of
   matches a session found in its block over the share of all matches the block holds), from
   the most filled block; without one, from near-certain rules. It must give between
   :data:`MIN_MATCHES_PER_RECORD` and ``MAX_MATCHES_PER_SOURCE`` x sources expected matches
   per record; otherwise the default is used.

The result is a :class:`TrainingReport`: the sessions, what each trained, what fell back, and
whether the final model is sound. A model that is not sound does not reach prediction unless
the caller forces it (``reckon link --force``).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from reckon.link.settings import (
    DERIVED_COLUMNS,
    RECORD_TRAINING_CANDIDATES,
    ComparisonSpec,
    LinkSettings,
)

# Sane expected number of other records of the same person, per record: below the minimum a
# prior says almost nobody is listed twice anywhere; above MAX_MATCHES_PER_SOURCE x sources
# it says a person has more records than lists can hold (the failed run had 7,400).
MIN_MATCHES_PER_RECORD = 1e-4
MAX_MATCHES_PER_SOURCE = 2.0
# A session's block is useful for EM when it makes enough pairs that agree on an independent
# field, and they are a fair share of its pairs.
MIN_PROXY_PAIRS = 20
MIN_PROXY_SHARE = 0.05
GOOD_PROXY_SHARE = 0.2
MAX_SESSIONS = 4
# Sessions tried at most (a failed or rejected one makes room for another block).
MAX_ATTEMPTS = 6
# Agreement on these kinds must count for a match by at least this many bits.
KEY_KINDS = ("name", "birth", "date")
MIN_KEY_WEIGHT = 1.0
MAX_DISAGREEMENT = 0.5
# Below this many possible pairs, u from random sampling is noise: the default u is used.
MIN_U_PAIRS = 1000
# Pseudo-matches of the default m pooled with each session's m (see smooth()).
SMOOTHING = 5.0
# Probabilities Splink accepts (it refuses 0) for levels this data cannot reach.
FLOOR = 1e-6
# Proxies for "these two records are one person", by what a block fixes.
_NAME_PROXIES = (("death_ym",), ("birth_year_lo",), ("birth_year",), ("region_id",))
_OTHER_PROXIES = (("name_pair",), ("family_key",), ("given_key", "patronymic_key"))
_NAME_COLUMNS = frozenset({"family_key", "given_key", "patronymic_key", "name_pair"})


@dataclass(frozen=True)
class SessionReport:
    """One EM session: its block, what it may train, and what came of it."""

    block: tuple[str, ...]
    trains: tuple[str, ...]
    status: str  # "kept" (some comparison kept), "rejected" (none passed), "failed" (raised)
    reason: str = ""
    n_pairs: int | None = None
    proxy_share: float | None = None
    kept: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrainingReport:
    """What training did, stored in the run's metrics and shown by ``reckon link``."""

    chosen_by: str  # "data" or "settings"
    sessions: tuple[SessionReport, ...]
    trained: tuple[str, ...]
    defaults: tuple[str, ...]
    neutral: tuple[str, ...]
    prior: float
    prior_source: str
    problems: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    # reckon.link.learn.LabelCheck: the model against reviewed pairs (None: no decisions)
    label_check: Any = None

    @property
    def sound(self) -> bool:
        return not self.problems

    @property
    def fell_back(self) -> bool:
        return bool(self.defaults) or self.prior_source == "default"

    def summary(self) -> str:
        """One plain line: what the model was trained with, and any fallback."""
        blocks = (
            "; ".join("+".join(s.block) + f" ({s.status})" for s in self.sessions) or "no sessions"
        )
        line = f"training: {len(self.sessions)} EM session(s) chosen by {self.chosen_by}: {blocks}"
        if self.defaults:
            line += (
                f"; fell back to default m probabilities for {', '.join(self.defaults)}"
                " (no session trained them soundly)"
            )
        if self.prior_source == "default":
            line += "; prior from the default (the estimate was out of bounds)"
        if self.neutral:
            line += f"; no data, weigh nothing: {', '.join(self.neutral)}"
        lc = self.label_check
        if lc is not None and lc.adjusted:
            line += f"; m adjusted from {lc.n_accepted + lc.n_rejected} reviewed pairs"
        if self.problems:
            line += f"; MODEL NOT SOUND: {self.problems[0]}"
        return line

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sessions"] = [s.to_dict() for s in self.sessions]
        d["label_check"] = self.label_check.to_dict() if self.label_check is not None else None
        d["sound"] = self.sound
        d["fell_back"] = self.fell_back
        d["summary"] = self.summary()
        return d


# ---------------------------------------------------------------- defaults


@cache
def default_model() -> dict[str, Any]:
    """The packaged default m probabilities of the casualty schema (``data/default_m.json``)."""
    text = resources.files("reckon.link").joinpath("data/default_m.json").read_text("utf-8")
    return dict(json.loads(text))


def default_m(name: str, labels: list[str], what: str = "m") -> list[float] | None:
    """Default m (or u) for comparison ``name`` if its levels are the documented ones."""
    comp = default_model().get("comparisons", {}).get(name)
    if not comp or [lv["label"] for lv in comp["levels"]] != labels:
        return None
    return [float(lv[what]) for lv in comp["levels"]]


# ---------------------------------------------------------------- independence


def touches(column: str, spec: ComparisonSpec) -> bool:
    """Does a block on ``column`` fix (part of) what ``spec`` compares?"""
    reads = set(spec.columns)
    return column in reads or bool(reads & set(DERIVED_COLUMNS.get(column, ())))


def independent(block: tuple[str, ...], comparisons: tuple[ComparisonSpec, ...]) -> tuple[str, ...]:
    """The comparisons a session blocked on ``block`` may train."""
    return tuple(c.name for c in comparisons if not any(touches(b, c) for b in block))


def _data_column(spec: ComparisonSpec) -> str:
    return spec.columns[3] if spec.kind == "birth" else spec.columns[0]


def with_data(df: pd.DataFrame, settings: LinkSettings) -> tuple[str, ...]:
    """Comparisons that at least two records can be compared on."""
    out = []
    for c in settings.comparisons:
        col = _data_column(c)
        if col in df.columns and int(df[col].notna().sum()) >= 2:
            out.append(c.name)
    return tuple(out)


# ---------------------------------------------------------------- choosing sessions


def _pairs(df: pd.DataFrame, cols: tuple[str, ...]) -> float:
    sub = df[list(cols)].dropna()
    if sub.empty:
        return 0.0
    sizes = sub.groupby(list(cols), sort=False).size().to_numpy(dtype=np.float64)
    return float((sizes * (sizes - 1) / 2).sum())


@dataclass(frozen=True)
class BlockStats:
    block: tuple[str, ...]
    n_pairs: int
    proxy_pairs: int
    proxy_share: float

    @property
    def usable(self) -> bool:
        return self.proxy_pairs >= MIN_PROXY_PAIRS and self.proxy_share >= MIN_PROXY_SHARE

    @property
    def score(self) -> float:
        return self.proxy_pairs * min(1.0, self.proxy_share / GOOD_PROXY_SHARE)


def block_stats(df: pd.DataFrame, block: tuple[str, ...]) -> BlockStats:
    """Pairs a block makes and how many also agree on an independent proxy of a match."""
    n = _pairs(df, block)
    proxies = _OTHER_PROXIES if not (set(block) & _NAME_COLUMNS) else _NAME_PROXIES
    best = 0.0
    for proxy in proxies:
        if set(proxy) & set(block) or not all(c in df.columns for c in proxy):
            continue
        if any(touches(b, ComparisonSpec("_", "exact", (p,))) for b in block for p in proxy):
            continue
        best = max(best, _pairs(df, tuple(dict.fromkeys((*block, *proxy)))))
    share = best / n if n else 0.0
    return BlockStats(block, int(n), int(best), round(share, 4))


def session_pool(
    df: pd.DataFrame, settings: LinkSettings, candidates: tuple[tuple[str, ...], ...] | None = None
) -> list[BlockStats]:
    """The candidate blocks usable for EM on these records, best scored first."""
    candidates = candidates or tuple(settings.extra.get("training_candidates") or ())
    candidates = candidates or RECORD_TRAINING_CANDIDATES
    stats = [block_stats(df, b) for b in candidates if b and all(c in df.columns for c in b)]
    return sorted((s for s in stats if s.usable), key=lambda s: -s.score)


def next_session(
    pool: list[BlockStats], todo: set[str], tried: list[tuple[str, ...]], settings: LinkSettings
) -> BlockStats | None:
    """The untried block that trains most of ``todo`` (names and dates count three times)."""
    weight = {c.name: (3 if c.kind in KEY_KINDS else 1) for c in settings.comparisons}
    best, best_key = None, (0.0, 0.0)
    for s in pool:
        if s.block in tried:
            continue
        gain = sum(weight[c] for c in independent(s.block, settings.comparisons) if c in todo)
        key = (float(gain), s.score)
        if gain > 0 and key > best_key:
            best, best_key = s, key
    return best


def choose_sessions(
    df: pd.DataFrame, settings: LinkSettings, candidates: tuple[tuple[str, ...], ...] | None = None
) -> tuple[list[BlockStats], list[str]]:
    """EM blocks for these records if every session succeeds: (blocks, notes).

    Greedy: while some comparison with data is untrained, take the usable candidate that
    trains most of them, the better-scored first. Training (reckon.link.model.train) runs the
    same choice step by step and picks another block when a session fails or is rejected.
    """
    pool = session_pool(df, settings, candidates)
    notes = [] if pool else ["no candidate block has enough pairs agreeing on another field"]
    todo = set(with_data(df, settings))
    chosen: list[BlockStats] = []
    while todo and len(chosen) < MAX_SESSIONS:
        best = next_session(pool, todo, [c.block for c in chosen], settings)
        if best is None:
            break
        chosen.append(best)
        todo -= set(independent(best.block, settings.comparisons))
    if todo:
        notes.append(f"no usable block trains {', '.join(sorted(todo))}")
    return chosen, notes


# ---------------------------------------------------------------- model json helpers


def _levels(comp: dict[str, Any]) -> list[dict[str, Any]]:
    return [lv for lv in comp.get("comparison_levels", []) if not lv.get("is_null_level")]


def _comp(model: dict[str, Any], name: str) -> dict[str, Any]:
    for c in model.get("comparisons", []):
        if c.get("output_column_name") == name:
            return dict(c)
    raise KeyError(name)


def m_vector(model: dict[str, Any], name: str) -> list[float | None]:
    return [lv.get("m_probability") for lv in _levels(_comp(model, name))]


def u_vector(model: dict[str, Any], name: str) -> list[float | None]:
    return [lv.get("u_probability") for lv in _levels(_comp(model, name))]


def level_labels(model: dict[str, Any], name: str) -> list[str]:
    return [str(lv.get("label_for_charts", "")) for lv in _levels(_comp(model, name))]


def set_vectors(
    model: dict[str, Any], name: str, m: list[float], u: list[float] | None = None
) -> None:
    for comp in model.get("comparisons", []):
        if comp.get("output_column_name") != name:
            continue
        for i, lv in enumerate(_levels(comp)):
            lv["m_probability"] = float(max(m[i], FLOOR))
            if u is not None:
                lv["u_probability"] = float(max(u[i], FLOOR))


def comparison_problems(
    name: str,
    kind: str,
    m: Sequence[float | None],
    u: Sequence[float | None],
    reach: Sequence[bool] | None = None,
) -> list[str]:
    """Why these m / u make no sense for a match ([] when they do).

    The strongest agreement is the first level the data can reach (``reach``; a list of
    ages never reaches "same birth date").
    """
    if any(x is None for x in m):
        return [f"{name}: not every level has an m probability"]
    ms = [float(x) for x in m if x is not None]
    us = [float(x) if x is not None else None for x in u]
    out = []
    first = next((i for i in range(len(ms)) if reach is None or reach[i]), 0)
    top_u, last_u = us[first], us[-1]
    if top_u is not None and ms[first] > 0:
        w_top = math.log2(ms[first] / top_u)
        need = MIN_KEY_WEIGHT if kind in KEY_KINDS else 0.0
        if w_top <= need:
            out.append(
                f"{name}: its strongest agreement weighs {w_top:+.2f} bits"
                f" (needs more than {need:g})"
            )
    if last_u is not None and ms[-1] > 0 and math.log2(ms[-1] / last_u) >= 0:
        out.append(f"{name}: complete disagreement counts for a match")
    if kind in KEY_KINDS and ms[-1] > MAX_DISAGREEMENT:
        out.append(f"{name}: {ms[-1]:.0%} of matches said to disagree completely")
    return out


def smooth(
    m: list[float | None], prior: list[float] | None, stats: BlockStats | None
) -> list[float | None]:
    """m of one session pooled with the default m as :data:`SMOOTHING` pseudo-matches.

    Why: a session on a small block sees a few dozen matches; a level none of them reached
    gets m = 0, which Splink floors at 1e-6, i.e. a weight of -20 bits against every pair at
    that level (a swapped name, a typo'd surname). Pooled with the default as a handful of
    pseudo-matches, the level keeps a weight that the number of matches seen supports. On
    big blocks the pooling vanishes. Without a default (other schemas) m is left as fitted.
    """
    if prior is None or stats is None or stats.n_pairs <= 0:
        return m
    n = stats.n_pairs * max(stats.proxy_share, 0.1)
    return [
        None if x is None else (float(x) * n + SMOOTHING * p) / (n + SMOOTHING)
        for x, p in zip(m, prior)
    ]


def reachable(df: pd.DataFrame, spec: ComparisonSpec, n_levels: int) -> list[bool]:
    """Levels the data is precise enough to reach (two records with a day: same date, ...).

    Only dates have levels that depend on precision: a list of ages reaches none but "birth
    year ranges overlap", deaths to the month never reach "same date". Every other level is
    reachable whenever the comparison has data.
    """

    def two(col: str) -> bool:
        return col in df.columns and int(df[col].notna().sum()) >= 2

    if spec.kind == "birth" and n_levels == 6:
        y, m, d, lo, _hi = spec.columns
        return [two(d), two(m), two(y), two(y), two(lo), True]
    if spec.kind == "date" and n_levels == 5:
        y, m, d = spec.columns
        return [two(d), two(m), two(m), two(y), True]
    return [True] * n_levels


def cascade(m: list[float], ok: list[bool]) -> list[float]:
    """Move the m of unreachable levels to the next lower reachable agreement level.

    A true pair that would agree on the birth date agrees, when a list gives ages only, on the
    best level the data allows: the mass goes down, never up, and the last level ("all other
    comparisons") takes what nothing above it can hold.
    """
    out = list(m)
    for i in range(len(out) - 1):
        if not ok[i] and out[i] > 0:
            j = next((k for k in range(i + 1, len(out)) if ok[k]), len(out) - 1)
            out[j] += out[i]
            out[i] = 0.0
    total = sum(out)
    return [x / total for x in out] if total > 0 else out


def fill_missing(m: list[float | None], fallback: list[float] | None) -> list[float]:
    """m with unobserved levels filled from ``fallback`` (else FLOOR), normalised to 1."""
    vals = [
        float(x) if x is not None else (fallback[i] if fallback is not None else FLOOR)
        for i, x in enumerate(m)
    ]
    vals = [max(v, FLOOR) for v in vals]
    total = sum(vals)
    return [v / total for v in vals]


def implied_levels(spec: ComparisonSpec, block: tuple[str, ...]) -> list[int] | None:
    """Levels of ``spec`` (non-null, strongest first) a pair agreeing on ``block`` is in.

    [] when the block does not touch the comparison; None when the block fixes it in a way
    that is no union of its levels (a name prefix, an age-derived birth year).
    """
    cols = [b for b in block if touches(b, spec)]
    if not cols:
        return []
    if spec.kind in ("name", "string", "exact", "levenshtein"):
        # exact agreement on the key; the family+given pair is exact agreement on both
        if not all(b in (spec.columns[0], "name_pair") for b in cols):
            return None
        # the pair key is sorted, so it also holds the names written in the other order
        return [0, 1] if "name_pair" in cols and spec.swap else [0]
    if spec.kind == "birth":
        y, m, d = spec.columns[:3]
        if set(cols) == {y}:
            return [0, 1, 2]
        if set(cols) == {y, m}:
            return [0, 1]
        if set(cols) == {y, m, d}:
            return [0]
        return None
    if spec.kind == "date":
        if set(cols) == {"death_ym"} and spec.columns[:2] == ("death_year", "death_month"):
            return [0, 1]
        if set(cols) == {"death_ym", spec.columns[2]}:
            return [0]
        return None
    return None


def prior_from_session(
    df: pd.DataFrame,
    settings: LinkSettings,
    model: dict[str, Any],
    block: tuple[str, ...],
    share_in_block: float,
    n_pairs: int,
) -> tuple[float, float] | None:
    """The prior a session implies: matches in its block / the share of matches it holds.

    EM learns the share of matches among the block's pairs; the block holds the matches
    that have every block column filled (about fill share squared) and agree on it (the m of
    the levels the block implies, from the trained model). Dividing gives all matches; over
    all pairs, the prior. Returns (prior, share of pairs with the block's columns filled):
    the fill share assumes fields are missing independently, which fails when one list
    alone fills a column, so the estimate of the most filled block is the one to trust.
    None when the block cannot be read that way.
    """
    n = len(df)
    total = n * (n - 1) / 2
    if total <= 0 or n_pairs <= 0 or not 0 < share_in_block < 1:
        return None
    held = 1.0
    filled = 1.0
    for spec in settings.comparisons:
        levels = implied_levels(spec, block)
        if levels is None:
            return None
        if not levels:
            continue
        m = m_vector(model, spec.name)
        if any(m[i] is None for i in levels):
            return None
        cols = [b for b in block if touches(b, spec)]
        fill = min(float(df[c].notna().mean()) for c in cols)
        held *= fill**2 * sum(float(m[i] or 0) for i in levels)
        filled *= fill**2
    if held <= 0:
        return None
    return float(share_in_block * n_pairs / held / total), filled


def prior_bounds(n_records: int, n_sources: int) -> tuple[float, float]:
    """(lowest, highest) sane probability that two random records match."""
    if n_records < 2:
        return 0.0, 1.0
    lo = MIN_MATCHES_PER_RECORD / (n_records - 1)
    hi = min(0.5, MAX_MATCHES_PER_SOURCE * max(1, n_sources) / (n_records - 1))
    return lo, hi


def default_prior(n_records: int) -> float:
    per_record = float(default_model().get("matches_per_record", 0.3))
    return min(0.5, per_record / max(1, n_records - 1))


def median_vectors(vectors: list[list[float | None]]) -> list[float | None]:
    """Level-wise median over sessions, ignoring levels a session did not observe."""
    out: list[float | None] = []
    for i in range(len(vectors[0])):
        vals = [float(x) for v in vectors if (x := v[i]) is not None]
        out.append(float(np.median(np.asarray(vals))) if vals else None)
    return out


def copy_model(model: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(model)
