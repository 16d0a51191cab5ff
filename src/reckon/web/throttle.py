"""Sign-in throttling: failures counted per user name and address in the casebook.

After :data:`MAX_FAILURES` failed sign-ins for one user name from one address within
:data:`WINDOW_S`, that pair is locked until the oldest of those failures leaves the window;
after :data:`MAX_FAILURES_PER_NAME` failures for one user name from any address, the name is
locked the same way (guessing from many addresses). Counting in the casebook, not in memory,
keeps the count right with several server processes and across restarts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from reckon.store import Casebook

MAX_FAILURES = 5
MAX_FAILURES_PER_NAME = 20
WINDOW_S = 15 * 60


@dataclass(frozen=True)
class Lock:
    locked: bool
    retry_after_s: int = 0


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def check(cb: Casebook, username: str, address: str, *, now: float | None = None) -> Lock:
    """Whether sign-in for ``username`` from ``address`` is locked now."""
    now = time.time() if now is None else now
    since = now - WINDOW_S
    name = _key(username)
    for sql, params, limit in (
        (
            "SELECT at FROM login_failure WHERE username = ? AND address = ? AND at > ?"
            " ORDER BY at DESC LIMIT ?",
            (name, address, since, MAX_FAILURES),
            MAX_FAILURES,
        ),
        (
            "SELECT at FROM login_failure WHERE username = ? AND at > ? ORDER BY at DESC LIMIT ?",
            (name, since, MAX_FAILURES_PER_NAME),
            MAX_FAILURES_PER_NAME,
        ),
    ):
        times = [r[0] for r in cb.db.execute(sql, params)]
        if len(times) >= limit:
            return Lock(True, max(1, int(times[-1] + WINDOW_S - now) + 1))
    return Lock(False)


def failed(cb: Casebook, username: str, address: str, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with cb.transaction() as db:
        db.execute(
            "INSERT INTO login_failure(username, address, at) VALUES (?, ?, ?)",
            (_key(username), address, now),
        )
        db.execute("DELETE FROM login_failure WHERE at < ?", (now - 2 * WINDOW_S,))


def succeeded(cb: Casebook, username: str, address: str) -> None:
    with cb.transaction() as db:
        db.execute(
            "DELETE FROM login_failure WHERE username = ? AND address = ?",
            (_key(username), address),
        )
