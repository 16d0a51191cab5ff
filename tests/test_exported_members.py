"""The top-level package exports a short, sorted, real public surface."""

from __future__ import annotations

import reckon


def test_all_is_sorted_and_resolves() -> None:
    assert list(reckon.__all__) == sorted(reckon.__all__)
    for name in reckon.__all__:
        assert hasattr(reckon, name), name


def test_public_names_are_exported() -> None:
    public = {n for n in dir(reckon) if not n.startswith("_") and n not in {"annotations"}}
    # Sub-packages are reachable as attributes once imported; they are modules, not exports.
    import types

    public = {n for n in public if not isinstance(getattr(reckon, n), types.ModuleType)}
    assert public == set(reckon.__all__) - {"__version__"}
