"""Fixtures shared by the test modules; each name means one thing everywhere.

- ``cb``: an open, empty :class:`~reckon.store.Casebook` (closed after the test);
- ``cb_path``: the folder of an empty casebook, closed, for command-line tests (``-C``);
- ``kosovo``: the Kosovo 1999 capture histories (4 lists), read once per session;

Data files live in ``tests/data`` (see its README files for their sources); tests never
read ``/work/shared``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.estimate import Histories, read_histories
from reckon.store import Casebook, init_casebook

DATA = Path(__file__).parent / "data"


@pytest.fixture
def cb(tmp_path: Path) -> Iterator[Casebook]:
    book = init_casebook(tmp_path / "case")
    yield book
    book.close()


@pytest.fixture
def cb_path(tmp_path: Path) -> Path:
    init_casebook(tmp_path / "case").close()
    return tmp_path / "case"


@pytest.fixture(scope="session")
def kosovo() -> Histories:
    return read_histories(DATA / "mse" / "kosovo_1999.csv")
