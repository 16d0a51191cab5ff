"""The casebook side of the excess estimate: read a registry's counts, keep each estimate made."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from reckon.errors import ExcessError
from reckon.excess.model import FRAME_COLUMNS, ExcessOptions, estimate_frame
from reckon.excess.results import ExcessResult
from reckon.store import Casebook


def _registry_names(cb: Casebook) -> list[str]:
    return [r[0] for r in cb.db.execute("SELECT name FROM registry ORDER BY name")]


def load_counts(cb: Casebook, registry: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The newest version's counts of ``registry`` (the only one when None) and its version row."""
    names = _registry_names(cb)
    if not names:
        raise ExcessError(
            f"no registry counts in {cb.path}",
            hint=f"import a file first: reckon excess import FILE -C {cb.path}",
        )
    if registry is None:
        if len(names) > 1:
            raise ExcessError(
                f"the casebook holds {len(names)} registries: {', '.join(names)}",
                hint="choose one with --registry NAME",
            )
        registry = names[0]
    elif registry not in names:
        raise ExcessError(f"no registry named {registry!r}", hint=f"registries: {', '.join(names)}")
    version = cb.db.execute(
        "SELECT v.* FROM registry_version v JOIN registry g ON g.id = v.registry_id "
        "WHERE g.name = ? ORDER BY v.version DESC LIMIT 1",
        (registry,),
    ).fetchone()
    frame = pd.read_sql_query(
        f"SELECT {', '.join(FRAME_COLUMNS)} FROM registry_row WHERE version_id = ? "
        "ORDER BY period, sex, age_low",
        cb.db,
        params=(version["id"],),
    )
    return frame, {**dict(version), "registry": registry}


def estimate_excess(
    cb: Casebook,
    options: ExcessOptions | None = None,
    *,
    registry: str | None = None,
    save: bool = True,
) -> ExcessResult:
    """Estimate excess deaths from a casebook's registry; keep the run in ``excess_run``."""
    opt = options or ExcessOptions()
    frame, version = load_counts(cb, registry)
    result = estimate_frame(
        frame,
        opt,
        registry=version["registry"],
        registry_version=int(version["version"]),
        frequency=str(version["frequency"]),
    )
    if save:
        with cb.transaction() as db:
            db.execute(
                "INSERT INTO excess_run(registry_version_id, method, sex, ages, since, until, "
                "excess, lower, upper, level, inputs_hash, params, result) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version["id"],
                    result.method,
                    result.sex,
                    result.ages,
                    result.since,
                    result.until,
                    result.excess,
                    result.lower,
                    result.upper,
                    result.level,
                    result.inputs_hash,
                    json.dumps(opt.to_dict(), ensure_ascii=False),
                    json.dumps(result.to_dict(), ensure_ascii=False),
                ),
            )
    return result


@dataclass(frozen=True)
class ExcessRun:
    """One stored excess estimate (``excess_run``) with the result it printed."""

    id: int
    created_at: str
    registry: str
    registry_version: int
    method: str
    sex: str
    ages: str
    since: str
    until: str
    excess: float | None
    lower: float | None
    upper: float | None
    level: float
    params: dict[str, Any]
    result: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "registry": self.registry,
            "registry_version": self.registry_version,
            "method": self.method,
            "sex": self.sex,
            "ages": self.ages,
            "since": self.since,
            "until": self.until,
            "excess": self.excess,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
        }


def list_runs(cb: Casebook, *, limit: int | None = None) -> list[ExcessRun]:
    """Stored excess estimates, newest first."""
    sql = (
        "SELECT e.*, g.name AS registry, v.version AS registry_version FROM excess_run e "
        "JOIN registry_version v ON v.id = e.registry_version_id "
        "JOIN registry g ON g.id = v.registry_id ORDER BY e.id DESC"
    )
    params: tuple[Any, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    out = []
    for r in cb.db.execute(sql, params):
        out.append(
            ExcessRun(
                id=r["id"],
                created_at=r["created_at"],
                registry=r["registry"],
                registry_version=r["registry_version"],
                method=r["method"],
                sex=r["sex"],
                ages=r["ages"],
                since=r["since"],
                until=r["until"],
                excess=r["excess"],
                lower=r["lower"],
                upper=r["upper"],
                level=r["level"],
                params=json.loads(r["params"] or "{}"),
                result=json.loads(r["result"] or "{}"),
            )
        )
    return out


def parse_day(text: str | None, option: str) -> date | None:
    """An ISO date option (``--since 2022-02-24``); None stays None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ExcessError(
            f"{option} {text!r} is not an ISO date", hint="write e.g. 2022-02-24"
        ) from None
