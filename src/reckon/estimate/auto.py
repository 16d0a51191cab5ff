"""Choosing a method from what the data can support, and saying why.

The rule is deliberately simple so a reader can check it:

- two lists: only the Petersen/Chapman estimator is possible (it assumes the
  lists are independent);
- three lists: log-linear models (too few lists to identify a latent-class model:
  with J = 3 a two-class model already has as many parameters as observed cells);
- four or more lists and at least ``MIN_LCMCR`` people: the latent-class model
  (LCMCR), which allows capture probabilities to differ between people and copes
  with sparse tables where many log-linear models have no finite estimate;
- four or more lists but very few people: log-linear models.
"""

from __future__ import annotations

from reckon.estimate.histories import Histories

MIN_LCMCR = 50
METHODS = ("auto", "petersen", "loglinear", "lcmcr")


def choose_method(h: Histories) -> tuple[str, str]:
    """The method for these histories and the reason, in words."""
    k, n = h.k, h.observed
    if k == 2:
        return (
            "petersen",
            "two lists: the Petersen/Chapman estimator is the only one (assumes independent lists)",
        )
    zeros = int((h.full_table()[1:] == 0).sum())
    cells = 2**k - 1
    if k == 3:
        return "loglinear", (
            "three lists: log-linear models with pairwise dependence (a latent-class model is not "
            "identifiable from three lists)"
        )
    if n < MIN_LCMCR:
        return "loglinear", f"only {n} people documented: too few for the latent-class model"
    sparse = f", {zeros} of {cells} list combinations empty" if zeros else ""
    return "lcmcr", (
        f"{k} lists and {n:,} people{sparse}: the latent-class model (LCMCR) allows for people "
        "who differ in how likely they are to be listed, and for sparse tables"
    )
