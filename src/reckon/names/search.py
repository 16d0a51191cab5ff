"""Choosing roles, sex and case for a whole name from the readings of its words.

Every assignment of the roles G (given), P (patronymic), F (family) to contiguous blocks of
words is scored for each sex and case; the score of an assignment is the sum of its words'
readings plus a part that depends on the order only. The search stops as soon as an
upper bound is reached, and skips a sex that cannot even tie.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from reckon.names.readings import CASES_ALL, Tok

_FIRST: tuple[tuple[str, ...], ...] = (
    ("F", "G", "P"),
    ("G", "P", "F"),
    ("G", "F"),
    ("F", "G"),
    ("G", "P"),
)


@lru_cache(maxsize=64)
def _patterns(n: int) -> tuple[tuple[tuple[str, ...], float], ...]:
    """Role sequences for n words with the part of their score that depends on the order only.

    Each role is one contiguous block; P is one word, G and F up to two (a second word in a
    block costs 2.0-2.5: double names are rare). The usual orders come first so the search
    can stop early.
    """
    seqs = [p for p in _FIRST if len(p) == n]
    for seq in product("GPF", repeat=n):
        ok = True
        for r in "GPF":
            idx = [i for i, x in enumerate(seq) if x == r]
            if idx and idx[-1] - idx[0] + 1 != len(idx):
                ok = False
            if len(idx) > (1 if r == "P" else 2):
                ok = False
        if ok and seq not in seqs:
            seqs.append(seq)
    out = []
    for seq in seqs:
        static = _PRIOR.get(seq, 0.0)
        if n >= 2 and "F" not in seq:  # a list entry almost always has a family name
            static -= 1.5
        for a, b in zip(seq, seq[1:]):
            if a == b:
                static -= 2.5 if a == "F" else 2.0
            elif a == "G" and b == "P":  # the patronymic follows the given name
                static += 2.5
        out.append((seq, static))
    return tuple(out)


_PRIOR = {
    ("F", "G", "P"): 0.3,
    ("G", "P", "F"): 0.2,
    ("G", "F"): 0.1,
    ("F", "G"): 0.05,
    ("G", "P"): 0.1,
}
_Hit = tuple[float, str]


def _table_for(
    tok: Tok,
) -> tuple[dict[str, dict[str, dict[str, _Hit]]], dict[str, float], frozenset[str]]:
    return tok.tab, tok.maxes, tok.cases


_CONFIDENT = {"G": 3.0, "P": 4.0, "F": 2.0}
_EMPTY: dict[str, _Hit] = {}


def solve(
    toks: list[Tok], fixed: list[str | None], sex: str | None
) -> tuple[tuple[str, ...], str | None, str, list[str], dict[str, float], bool]:
    """Best roles, sex, case and nominatives for the words; the best total per sex; and
    whether every word's reading is a confident one (table name, patronymic ending,
    surname ending), which lets the caller skip the dictionary."""
    n = len(toks)
    info = [_table_for(t) for t in toks]
    caps = [t.text.isupper() and len(t.text) > 1 for t in toks]
    mixed_caps = any(caps) and not all(caps)
    bonus = 0.3 + 0.3 + 2.5 + (0.6 if mixed_caps else 0.0)
    # A case is possible only if every word has some reading in it (nominative always is).
    common = frozenset.intersection(*(i[2] for i in info))
    cases = ["nomn"] + [c for c in CASES_ALL[1:] if c in common]
    pats = _patterns(n)
    if any(f is not None for f in fixed):
        pats = tuple(p for p in pats if all(f is None or f == r for f, r in zip(fixed, p[0])))
    best_by_sex: dict[str, float] = {}
    best: tuple[float, tuple[str, ...], str, str, list[dict[str, _Hit]]] | None = None
    bounds = {sx: bonus + sum(i[1][sx] for i in info) for sx in ("m", "f")}
    for sx in (sex,) if sex else sorted(("m", "f"), key=lambda x: -bounds[x]):
        # Upper bound on any reading's total for this sex: stop once it is reached, and
        # skip a sex that cannot even tie with the best reading so far.
        bound = bounds[sx]
        if best is not None and bound < best[0] - 1e-6:
            continue
        done = False
        for case in cases:
            if done:
                break
            rows = [i[0][sx].get(case, _EMPTY) for i in info]
            if mixed_caps:
                rows = [
                    dict(r, F=(r["F"][0] + 0.6, r["F"][1])) if c and "F" in r else r
                    for r, c in zip(rows, caps)
                ]
            base = 0.3 if case == "nomn" else 0.0
            for pat, static in pats:
                total = base + static
                for i, r in enumerate(pat):
                    hit = rows[i].get(r)
                    if hit is None:
                        break
                    total += hit[0]
                else:
                    if total > best_by_sex.get(sx, -1e9):
                        best_by_sex[sx] = total
                    if best is None or total > best[0] + 1e-9:
                        best = (total, pat, sx, case, rows)
                    if total >= bound - 1e-9:
                        done = True
                        break
    if best is None:  # only when fixed roles admit no reading: keep the words as they are
        return tuple(f or "F" for f in fixed), sex, "nomn", [t.lower for t in toks], {}, False
    _total, pat, sx_best, case_best, rows = best
    hits = [rows[i][r] for i, r in enumerate(pat)]
    gp_nomn = case_best == "nomn" and "GP" in "".join(pat)
    confident = gp_nomn or all(
        h[0] - (0.6 if mixed_caps and caps[i] and r == "F" else 0.0) >= _CONFIDENT[r]
        for i, (r, h) in enumerate(zip(pat, hits))
    )
    return pat, sx_best, case_best, [h[1] for h in hits], best_by_sex, confident
