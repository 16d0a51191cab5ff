"""Stage results as plain data: one ``to_dict`` for every frozen dataclass whose shape is plain.

Results are frozen dataclasses read by attribute. For ``--json`` and the report they become
JSON-ready dicts through :func:`to_dict`: fields in declaration order, paths as strings, tuples
as lists, nested results through their own ``to_dict`` (so a result with a shape of its own,
such as an estimate, keeps it wherever it appears). :class:`Plain` gives a dataclass that
method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (dataclasses, paths, tuples and mappings converted)."""
    if is_dataclass(value) and not isinstance(value, type):
        own = getattr(value, "to_dict", None)
        return own() if callable(own) else to_dict(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


def to_dict(result: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of the dataclass instance ``result`` as a JSON-ready dict, leaving out ``skip``."""
    if not is_dataclass(result) or isinstance(result, type):
        raise TypeError(f"{type(result).__name__} is not a dataclass instance")
    left_out = set(skip)
    return {
        f.name: plain(getattr(result, f.name)) for f in fields(result) if f.name not in left_out
    }


class Plain:
    """Mixin for frozen dataclasses whose dict form is just their fields (see :func:`to_dict`)."""

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)
