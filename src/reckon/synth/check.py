"""Did ingest read a shaped case right? Field by field, against what the generator wrote.

:func:`check_ingest` compares the records of a casebook into which every file of a
:class:`reckon.synth.shapes.ShapeCase` was ingested with the case's ``expected`` table: the
name text (without the obituary words around it) or the split parts, sex, the ISO date
prefixes and their precision, the age, the region (as one ISO code across languages) and the
rank (one id across spellings and abbreviations). It also parses the names as linkage does
and reports how often the keys meet those of the person's true name. Used by the tests and by
``bench/link_shapes.py --check-ingest``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from reckon.store import Casebook
from reckon.synth.shapes import ShapeCase

_FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "exp_full_name"),
    ("family_name", "exp_family_name"),
    ("given_name", "exp_given_name"),
    ("patronymic", "exp_patronymic"),
    ("sex", "exp_sex"),
    ("birth_date", "exp_birth_date"),
    ("birth_date_precision", "exp_birth_precision"),
    ("age_at_death", "exp_age"),
    ("death_date", "exp_death_date"),
    ("death_date_precision", "exp_death_precision"),
)
# Noise that changes a name on purpose: keys are not expected to meet the true name's.
_NAME_NOISE = ("typo_", "diminutive", "initials")


@dataclass(frozen=True)
class IngestCheck:
    """Mismatches per ``source.field`` (with a few examples) and name-key agreement."""

    n_records: int
    checked: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, int] = field(default_factory=dict)
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    name_keys: dict[str, float] = field(default_factory=dict)  # part -> share agreeing
    name_key_examples: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _same(a: Any, b: Any) -> bool:
    a_na = a is None or (isinstance(a, float) and a != a) or a is pd.NA
    b_na = b is None or (isinstance(b, float) and b != b) or b is pd.NA
    if a_na or b_na:
        return a_na and b_na
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        try:
            return int(a) == int(b)
        except (TypeError, ValueError):
            return False
    return str(a) == str(b)


def check_ingest(cb: Casebook, case: ShapeCase) -> IngestCheck:
    """Compare the casebook's current records with ``case.expected`` (see the module doc)."""
    from reckon.ingest.vocab import rank_of
    from reckon.link.regions import region_ids
    from reckon.names import name_features
    from reckon.synth._text import region_forms

    rec = pd.read_sql_query(
        "SELECT source, source_record_id, full_name, given_name, patronymic, family_name, sex,"
        " birth_date, birth_date_precision, age_at_death, death_date, death_date_precision,"
        " region, rank FROM current_record",
        cb.db,
    )
    exp = case.expected.astype({"record_id": str})
    m = exp.merge(
        rec,
        left_on=["source", "record_id"],
        right_on=["source", "source_record_id"],
        how="left",
        indicator=True,
    )
    checked: dict[str, int] = {}
    bad: dict[str, int] = {}
    examples: dict[str, list[str]] = {}

    def note(src: str, fld: str, ok: pd.Series, got: pd.Series, want: pd.Series) -> None:
        key = f"{src}.{fld}"
        checked[key] = checked.get(key, 0) + int(len(ok))
        n_bad = int((~ok).sum())
        if n_bad:
            bad[key] = bad.get(key, 0) + n_bad
            ex = examples.setdefault(key, [])
            for g, w in zip(got[~ok].head(3), want[~ok].head(3), strict=True):
                ex.append(f"read {g!r}, expected {w!r}")

    missing = m["_merge"] != "both"
    for src, part in m.groupby("source", sort=False):
        if missing[part.index].any():
            note(src, "record", ~missing[part.index], part["record_id"], part["record_id"])
        for got_col, exp_col in _FIELDS:
            if exp_col not in part or part[exp_col].isna().all():
                continue  # the list has no such field
            ok = pd.Series(
                [_same(a, b) for a, b in zip(part[got_col], part[exp_col], strict=True)],
                index=part.index,
            )
            note(src, got_col, ok, part[got_col], part[exp_col])
        if "exp_region" in part and part["exp_region"].notna().any():
            want_text = part["exp_region"].map(
                lambda k: region_forms(k, "ru")[0] if isinstance(k, str) else None
            )
            want = region_ids(want_text.astype("string"))
            got = region_ids(part["region"].astype("string"))
            ok = pd.Series([_same(a, b) for a, b in zip(got, want, strict=True)], index=part.index)
            note(src, "region", ok, part["region"], part["exp_region"])
        if "exp_rank" in part and part["exp_rank"].notna().any():
            got = part["rank"].map(lambda t: rank_of(t) if isinstance(t, str) else None)
            ok = pd.Series(
                [_same(a, b) for a, b in zip(got, part["exp_rank"], strict=True)],
                index=part.index,
            )
            note(src, "rank", ok, part["rank"], part["exp_rank"])

    # Names as linkage reads them, against the true name, where no noise changed the name.
    noise = case.truth.set_index(["source", "record_id"])["noise"]
    clean = ~m.set_index(["source", "record_id"]).index.map(noise).fillna("").str.contains(
        "|".join(_NAME_NOISE)
    )
    got = name_features(
        pd.DataFrame(
            {c: m[c] for c in ("full_name", "given_name", "patronymic", "family_name", "sex")}
        )
    )
    want = name_features(
        pd.DataFrame(
            {
                "full_name": None,
                "given_name": m["true_given"],
                "patronymic": m["true_patronymic"],
                "family_name": m["true_family"],
                "sex": m["true_sex"],
            }
        )
    )
    shares: dict[str, float] = {}
    key_examples: dict[str, tuple[str, ...]] = {}
    clean_arr = pd.Series(clean, index=m.index) & ~missing
    for part_name in ("family", "given", "patronymic"):
        g = got[f"{part_name}_key"].reset_index(drop=True)
        w = want[f"{part_name}_key"].reset_index(drop=True)
        sel = clean_arr.to_numpy() & g.notna().to_numpy() & w.notna().to_numpy()
        if part_name == "patronymic":
            sel &= g.fillna("").str.len().to_numpy() > 0
        if not sel.any():
            continue
        agree = (g[sel] == w[sel]).to_numpy()
        shares[part_name] = round(float(agree.mean()), 4)
        idx = pd.Series(sel).to_numpy().nonzero()[0][~agree][:5]
        names = m["full_name"].fillna(
            m["family_name"].fillna("") + " " + m["given_name"].fillna("")
        )
        key_examples[part_name] = tuple(
            f"{names.iloc[i]!r}: {g.iloc[i]} != {w.iloc[i]}" for i in idx
        )
    return IngestCheck(
        n_records=len(m),
        checked=checked,
        mismatches=bad,
        examples={k: tuple(v) for k, v in examples.items()},
        name_keys=shares,
        name_key_examples=key_examples,
    )
