"""reckon: an open system for the independent accounting of war dead.

The package is laid out as the pipeline: ``ingest`` -> ``names`` -> ``link`` ->
``estimate``; ``claims`` beside them; ``report`` reads everything; ``store``
owns the casebook; ``cli`` is a thin layer over all of it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from reckon.errors import ReckonError
from reckon.store import Casebook, init_casebook, open_casebook

__all__ = ["Casebook", "ReckonError", "__version__", "init_casebook", "open_casebook"]
