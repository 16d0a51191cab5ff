"""Corruptions: the ways a true value goes wrong on its way into a list.

Each function takes whole columns and returns the new column plus a boolean mask of the rows
it changed, so the generator can log every corruption into the truth table (``noise``) and the
tests can check the rates. Only the chosen rows are touched in Python; a million-row column with
a 2% typo rate costs 20,000 small string edits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Keyboard rows, for typos by an adjacent key.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "ru": ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"),
    "uk": ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю"),
    "latin": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
}
TYPO_KINDS = ("adjacent", "deletion", "transposition", "doubling")


def _neighbours(layout: str) -> dict[str, str]:
    rows = LAYOUTS[layout]
    out: dict[str, str] = {}
    for r, row in enumerate(rows):
        for i, ch in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(rows):
                    near += [rows[rr][j] for j in (i - 1, i) if 0 <= j < len(rows[rr])]
            out[ch] = "".join(near)
    return out


_NEAR = {k: _neighbours(k) for k in LAYOUTS}


def _typo_one(s: str, kind: str, pos: int, pick: float, near: dict[str, str]) -> str:
    if kind == "adjacent":
        ch = s[pos]
        cands = near.get(ch.lower(), "")
        if not cands:
            kind = "deletion"
        else:
            new = cands[int(pick * len(cands)) % len(cands)]
            return s[:pos] + (new.upper() if ch.isupper() else new) + s[pos + 1 :]
    if kind == "deletion":
        return s[:pos] + s[pos + 1 :]
    if kind == "transposition":
        pos = min(pos, len(s) - 2)
        a, b = s[pos], s[pos + 1]
        if pos == 0:  # keep the capital in front
            return (b.upper() + a.lower() + s[2:]) if a.isupper() else (b + a + s[2:])
        return s[:pos] + b + a + s[pos + 2 :]
    return s[:pos] + s[pos] + s[pos:]  # doubling


def typo(
    values: np.ndarray, rate: float, rng: np.random.Generator, layout: str = "ru"
) -> tuple[np.ndarray, np.ndarray]:
    """One keyboard typo (adjacent key, deletion, transposition, doubling) in ~rate of values.

    Only strings of 3+ letters are eligible; the first letter is spared for deletions more
    often than not, as people rarely mistype it. Returns (new values, changed mask).
    """
    vals = np.asarray(values, dtype=object).copy()
    ok = (pd.Series(vals, dtype=object).str.len() >= 3).to_numpy()
    chosen = np.flatnonzero(ok & (rng.random(len(vals)) < rate))
    changed = np.zeros(len(vals), dtype=bool)
    if not len(chosen):
        return vals, changed
    kinds = rng.integers(0, len(TYPO_KINDS), len(chosen))
    u_pos, u_pick = rng.random(len(chosen)), rng.random(len(chosen))
    near = _NEAR[layout]
    for k, i, up, pk in zip(kinds, chosen, u_pos, u_pick, strict=True):
        s = vals[i]
        pos = 1 + int(up * (len(s) - 1)) if up > 0.15 else 0
        new = _typo_one(s, TYPO_KINDS[k], min(pos, len(s) - 1), pk, near)
        if new != s:
            vals[i] = new
            changed[i] = True
    return vals, changed


def blank(
    values: np.ndarray, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Drop ~rate of the present values (set None). Returns (new values, changed mask)."""
    vals = np.asarray(values, dtype=object).copy()
    col = pd.Series(vals, dtype=object)
    present = (col.notna() & (col.astype(str) != "")).to_numpy()
    hit = present & (rng.random(len(vals)) < rate)
    vals[hit] = None
    return vals, hit


def date_noise(
    days: np.ndarray, prec: np.ndarray, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Date errors in ~rate of the dates that have a day.

    ``days`` are datetime64[D]; ``prec`` is 3 (day), 2 (month), 1 (year) or 0 (missing).
    Kinds: day and month swapped (only where both are <= 12, so the result is a valid, wrong
    date, which is the dangerous case), year off by one, day off by one or two. Returns
    (new days, precision, kind per row: '' or 'date_swap' / 'date_year' / 'date_day').
    """
    days = days.copy()
    kind = np.full(len(days), "", dtype=object)
    hit = (prec == 3) & (rng.random(len(days)) < rate)
    idx = np.flatnonzero(hit)
    if not len(idx):
        return days, prec, kind
    d = days[idx]
    y = d.astype("datetime64[Y]").astype(int) + 1970
    m = d.astype("datetime64[M]").astype(int) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(int) + 1
    choice = rng.integers(0, 3, len(idx))
    swappable = (dd <= 12) & (dd != m)
    choice = np.where((choice == 0) & ~swappable, 1, choice)
    new = d.copy()
    sw = choice == 0
    if sw.any():
        new[sw] = np.asarray(
            [
                np.datetime64(f"{a:04d}-{b:02d}-{c:02d}")
                for a, b, c in zip(y[sw], dd[sw], m[sw], strict=True)
            ]
        )
    yr = choice == 1
    if yr.any():
        step = np.where(rng.random(int(yr.sum())) < 0.5, -1, 1)
        ny = y[yr] + step
        nd = np.minimum(dd[yr], 28 + (m[yr] != 2) * 2)  # 29.02 and 31sts kept valid
        new[yr] = np.asarray(
            [
                np.datetime64(f"{a:04d}-{b:02d}-{c:02d}")
                for a, b, c in zip(ny, m[yr], nd, strict=True)
            ]
        )
    dy = choice == 2
    if dy.any():
        shift = rng.choice(np.array([-2, -1, 1, 2]), int(dy.sum()))
        new[dy] = d[dy] + shift.astype("timedelta64[D]")
    days[idx] = new
    kind[idx] = np.asarray(["date_swap", "date_year", "date_day"], dtype=object)[choice]
    return days, prec, kind


def coarsen(
    prec: np.ndarray, to_month: float, to_year: float, rng: np.random.Generator
) -> np.ndarray:
    """Lower the precision of dates: ~to_month of them to month/year, ~to_year to year only."""
    prec = prec.copy()
    u = rng.random(len(prec))
    has = prec > 0
    prec[has & (u < to_year)] = 1
    prec[has & (u >= to_year) & (u < to_year + to_month)] = np.minimum(
        prec[has & (u >= to_year) & (u < to_year + to_month)], 2
    )
    return prec
