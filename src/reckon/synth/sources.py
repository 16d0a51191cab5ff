"""The sources and who they capture.

Capture is heterogeneous and dependent on purpose, because real lists are: multiple systems
estimation is only worth testing on data where the easy (independence) answer is wrong.

Each person carries two latent traits: *visibility* ``v`` (how public the death was: a funeral
covered by local media, a family that posts) and *community* ``w`` (how connected the family
is). For source ``s`` the probability of capture is

    logit p_s = a_s + b_s * v + c_s * w + covariates_s  (+ d * in_obituaries for the partner)

where ``a_s`` is solved so that the mean capture equals the source's configured rate. The
covariates follow how such lists are made: official lists under-report convicts and the
missing and lag behind (later deaths less often listed); obituaries favour officers and the
national republics; families report the missing more; the partner list is compiled partly
from obituaries (list dependence); the Ukrainian source catches some formations much more
than others. Family and obituaries share ``w`` (positive dependence). Some people are in no
source at all: that is the number an estimator has to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reckon.results import Plain

STYLES = ("official", "obituary", "family", "partner", "ukrainian")


@dataclass(frozen=True)
class SourceSpec(Plain):
    """One source: how it is written and how noisy it is. Rates are per record (or per field)."""

    name: str
    style: str
    kind: str
    format: str  # csv | xlsx | json | jsonl
    filename: str
    url: str
    capture: float  # target share of the population this source captures
    duplicate_rate: float = 0.02  # share of its people reported twice
    typo_rate: float = 0.01  # per name part
    missing_rate: float = 0.05  # per optional field
    date_noise_rate: float = 0.02  # per date
    encoding: str = "utf-8"
    delimiter: str = ","
    diminutive_rate: float = 0.0  # family reports: given name as a diminutive
    oblique_rate: float = 0.0  # obituaries: name in a case other than the nominative
    ukrainian_form_rate: float = 0.0  # Ukrainian source: Ukrainian given/patronymic forms


DEFAULT_SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        name="official_list",
        style="official",
        kind="official",
        format="csv",
        filename="official_list.csv",
        encoding="cp1251",
        delimiter=";",
        url="https://official.example.org/lists/fallen.csv",
        capture=0.35,
        duplicate_rate=0.01,
        typo_rate=0.01,
        missing_rate=0.05,
        date_noise_rate=0.02,
    ),
    SourceSpec(
        name="obituaries",
        style="obituary",
        kind="media",
        format="json",
        filename="obituaries.json",
        url="https://news.example.org/obituaries",
        capture=0.40,
        duplicate_rate=0.06,
        typo_rate=0.015,
        missing_rate=0.15,
        date_noise_rate=0.05,
        oblique_rate=0.6,
    ),
    SourceSpec(
        name="family_reports",
        style="family",
        kind="family",
        format="xlsx",
        filename="family_reports.xlsx",
        url="https://families.example.org/reports",
        capture=0.15,
        duplicate_rate=0.08,
        typo_rate=0.05,
        missing_rate=0.3,
        date_noise_rate=0.08,
        diminutive_rate=0.3,
    ),
    SourceSpec(
        name="partner_latin",
        style="partner",
        kind="list",
        format="jsonl",
        filename="partner_latin.jsonl",
        url="https://partner.example.org/export.jsonl",
        capture=0.30,
        duplicate_rate=0.03,
        typo_rate=0.02,
        missing_rate=0.1,
        date_noise_rate=0.04,
    ),
    SourceSpec(
        name="ukrainian_list",
        style="ukrainian",
        kind="list",
        format="csv",
        filename="ukrainian_list.csv",
        url="https://ua.example.org/spysok.csv",
        capture=0.25,
        duplicate_rate=0.05,
        typo_rate=0.025,
        missing_rate=0.1,
        date_noise_rate=0.04,
        ukrainian_form_rate=0.7,
    ),
)

# Coefficients of the capture model, by style: (b on visibility, c on community).
_LATENT = {
    "official": (0.5, 0.0),
    "obituary": (1.0, 0.8),
    "family": (0.5, 0.9),
    "partner": (0.7, 0.0),
    "ukrainian": (0.6, 0.0),
}
REPUBLICS = (
    "bashkortostan",
    "buryatia",
    "tatarstan",
    "dagestan",
    "udmurtia",
    "tuva",
    "chechnya",
    "chuvashia",
    "mari_el",
    "kalmykia",
    "sakha",
    "north_ossetia",
)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _solve_intercept(lin: np.ndarray, target: float) -> float:
    """The a with mean(sigmoid(a + lin)) == target (bisection; the mean is monotone in a)."""
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if _sigmoid(mid + lin).mean() < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def capture(
    pop: pd.DataFrame, specs: tuple[SourceSpec, ...], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Who each source captures: (bool matrix people x sources, probability matrix)."""
    n = len(pop)
    v = rng.standard_normal(n)
    w = rng.standard_normal(n)
    from reckon.synth._pools import RANKS

    officer = np.asarray([r[5] for r in RANKS])[pop["rank"].to_numpy()]
    service = pop["service"].to_numpy()
    missing = (pop["status"] == "missing").to_numpy()
    republic = pop["region"].isin(REPUBLICS).to_numpy()
    death = pop["death_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    lag = (death - death.min()) / max(1, death.max() - death.min())  # 0 early .. 1 late
    formation_effect = rng.normal(0.0, 0.8, 64)[pop["formation"].to_numpy()]
    out = np.zeros((n, len(specs)), dtype=bool)
    probs = np.zeros((n, len(specs)))
    obits = np.zeros(n, dtype=bool)
    order = sorted(range(len(specs)), key=lambda i: specs[i].style == "partner")
    for i in order:
        spec = specs[i]
        b, c = _LATENT.get(spec.style, (0.6, 0.0))
        lin = b * v + c * w
        if spec.style == "official":
            lin = lin - 1.5 * (service == "convict") - 1.5 * missing - 0.8 * lag
        elif spec.style == "obituary":
            lin = lin + 1.0 * officer + 0.5 * republic - 0.5 * lag - 0.3 * (service == "convict")
        elif spec.style == "family":
            lin = lin + 0.7 * missing
        elif spec.style == "partner":
            lin = lin + 0.8 * obits
        elif spec.style == "ukrainian":
            lin = lin + formation_effect + 0.4 * missing
        a = _solve_intercept(lin, spec.capture)
        p = _sigmoid(a + lin)
        got = rng.random(n) < p
        out[:, i], probs[:, i] = got, p
        if spec.style == "obituary":
            obits |= got
    return out, probs
