"""Splink's historical_50k (50,578 records of 5,156 people with injected errors).

    .venv/bin/python bench/link_historical.py [--baseline] [--threshold P]

Reads /work/shared/benchmarks/splink_datasets/historical_figures_with_errors_50k.parquet
(bench only). Names go through reckon.names (keys, given-name equivalence) unless
--baseline, which folds them with anyascii (plain Splink style).
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
from link_common import baseline_name_features, evaluate, show

from reckon.link.settings import ComparisonSpec, LinkSettings

PATH = "/work/shared/benchmarks/splink_datasets/historical_figures_with_errors_50k.parquet"

HIST_SETTINGS = LinkSettings(
    comparisons=(
        ComparisonSpec("family", "name", ("family_key", "family_latin"), (0.92, 0.80), tf=True),
        ComparisonSpec("given", "name", ("given_key", "given_latin"), (0.92, 0.80), tf=True),
        ComparisonSpec("dob", "birth", ("by", "bm", "bd", "blo", "bhi")),
        ComparisonSpec("birth_place", "string", ("birth_place",), (0.9,), tf=True),
        ComparisonSpec("postcode", "string", ("postcode",), (0.9,), tf=True),
        ComparisonSpec("gender", "exact", ("gender",)),
        ComparisonSpec("occupation", "exact", ("occupation",), tf=True),
    ),
    blocking=(
        ("given_key", "family_key"),
        ("family_key", "by"),
        ("given_key", "by"),
        ("postcode",),
        ("by", "bm", "bd"),
        ("birth_place", "family_key"),
    ),
    training=(("given_key", "family_key"), ("by", "bm", "bd"), ("postcode",)),
    deterministic=(("given_key", "family_key", "by", "bm", "bd"),),
    deterministic_recall=0.6,
    threshold=0.9,
)


def load(baseline: bool) -> tuple[pd.DataFrame, np.ndarray]:
    df = pd.read_parquet(PATH)
    truth = pd.factorize(df["cluster"])[0]
    names_in = pd.DataFrame(
        {
            "full_name": df["first_and_surname"],
            "given_name": df["first_name"],
            "patronymic": pd.NA,
            "family_name": df["surname"],
            "sex": df["gender"].map({"male": "m", "female": "f"}),
        }
    )
    if baseline:
        nf = baseline_name_features(names_in)
    else:
        from reckon.names import name_features

        nf = name_features(names_in)
    out = pd.DataFrame({"unique_id": np.arange(len(df), dtype=np.int64)})
    for c in ("given_key", "family_key", "given_latin", "family_latin"):
        s = nf[c].astype("string")
        out[c] = s.mask(s == "")
    dob = df["dob"].astype("string")
    out["by"] = pd.to_numeric(dob.str[:4], errors="coerce").astype("Int64")
    out["bm"] = pd.to_numeric(dob.str[5:7], errors="coerce").astype("Int64")
    out["bd"] = pd.to_numeric(dob.str[8:10], errors="coerce").astype("Int64")
    out["blo"] = out["by"]
    out["bhi"] = out["by"]
    for c, src in (("birth_place", "birth_place"), ("postcode", "postcode_fake"), ("gender", "gender"), ("occupation", "occupation")):
        s = df[src].astype("string").str.strip()
        out[c] = s.mask(s == "")
    return out, truth


if __name__ == "__main__":
    baseline = "--baseline" in sys.argv
    threshold = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else 0.9
    features, truth = load(baseline)
    res = evaluate(
        "historical_50k" + (" (baseline)" if baseline else ""), features, truth,
        HIST_SETTINGS.with_(threshold=threshold),
    )
    show(res)
    print(json.dumps(res))
