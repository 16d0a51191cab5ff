"""The one error tree of reckon.

Every error a user can cause derives from :class:`ReckonError`; the CLI turns
it into ``Error: <message>`` plus a hint and exit code 1, never a traceback::

    ReckonError
    ├── CasebookError      no casebook here, bad settings, schema too new
    ├── IngestError        a file that cannot be read at all (file, reason)
    ├── NamesError         a name that cannot be processed at all
    ├── LinkError          nothing to link, bad settings
    ├── EstimateError      inestimable data, bad histories file
    ├── ClaimsError        a bad claim or claims file
    ├── ReportError        nothing to report, output not writable
    ├── ExcessError        a bad registry file, an excess estimate the data cannot support
    ├── WebError           the web app: bad user, role or password, server settings
    ├── SynthError         bad parameters for a synthetic case
    └── SystemFault        the disk or the operating system refused (disk full,
                           read-only, a folder where a file was meant)

Errors carry context (file, row, field, list) so the message can say where.
Data problems inside a file (a bad row) are *not* raised: they are collected
in the quarantine table so the rest of the file still lands.

Errors of the operating system and of SQLite (``OSError``, ``sqlite3.Error``) are
turned into a :class:`SystemFault` with a plain message in one place,
:func:`system_fault`, which the CLI applies to whatever a command lets through.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path


class ReckonError(Exception):
    """Root of every error reckon raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None, **context: object) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint
        self.context = context

    def __str__(self) -> str:
        return self.message


class CasebookError(ReckonError):
    """The casebook is missing, unreadable, or from a newer reckon."""


class IngestError(ReckonError):
    """A file that cannot be read at all."""


class NamesError(ReckonError):
    """A name input that cannot be processed at all."""


class LinkError(ReckonError):
    """Linkage cannot run on this casebook or with these settings."""


class EstimateError(ReckonError):
    """The data cannot support an estimate, or the input is malformed."""


class ClaimsError(ReckonError):
    """A claim or a claims file is malformed."""


class ReportError(ReckonError):
    """The report cannot be written."""


class ExcessError(ReckonError):
    """A registry file that cannot be imported, or an excess estimate the data cannot support."""


class DemoError(ReckonError):
    """The demo cannot run here (for example, its folder holds someone else's files)."""


class WebError(ReckonError):
    """The team web app cannot do this (unknown user or role, weak password, bad setting)."""


class SynthError(ReckonError):
    """Bad parameters for a synthetic case (tests, benchmarks, the demo)."""


class SystemFault(ReckonError):
    """The disk or the operating system refused: disk full, read-only, wrong kind of path."""


# Free space under which a failed write is put down to a full disk.
_LOW_SPACE = 16 << 20


def _disk_nearly_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < _LOW_SPACE
    except OSError:
        return False


def _where(exc: OSError) -> str:
    return str(exc.filename) if exc.filename is not None else "a file"


_NOTHING_STORED = "nothing was stored"


def system_fault(exc: OSError | sqlite3.Error, *, casebook: Path | None = None) -> SystemFault:
    """One plain message for an ``OSError`` or ``sqlite3.Error``, naming the path when known.

    Writes to the casebook happen in one transaction each, so a write that fails (a full
    disk, a read-only folder) leaves the casebook as it was: the message says that
    nothing was stored. ``casebook`` is the folder of the open casebook, if any.
    """
    where = f"the casebook {casebook}" if casebook is not None else "the casebook"
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if code == "SQLITE_FULL" or "disk is full" in text:
            return SystemFault(
                f"the disk is full; {_NOTHING_STORED}",
                hint=f"free some space on the disk holding {where} and run the command again",
            )
        if code.startswith("SQLITE_IOERR") or "disk I/O error" in text:
            if _disk_nearly_full(casebook):
                return SystemFault(
                    f"the disk is full; {_NOTHING_STORED}",
                    hint=f"free some space on the disk holding {where} and run the command again",
                )
            return SystemFault(
                f"the disk reported an error while writing {where}; {_NOTHING_STORED}",
                hint="check the disk (free space, a removed drive) and run the command again",
            )
        if code == "SQLITE_READONLY" or "readonly database" in text:
            return SystemFault(
                f"{where} is read-only, and this command needs to write to it; {_NOTHING_STORED}",
                hint="ask for write access to the folder, or copy it somewhere you can write",
            )
        if code == "SQLITE_BUSY" or "database is locked" in text:
            return SystemFault(
                f"{where} is busy: another reckon command is writing to it",
                hint="wait for that command to finish and run this one again",
            )
        if code == "SQLITE_CANTOPEN" or "unable to open database" in text:
            return SystemFault(
                f"cannot open {where}",
                hint="check that the folder exists and that you may read it",
            )
        if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in text:
            return SystemFault(
                f"{where}: reckon.sqlite is damaged or is not a reckon casebook ({text})",
                hint="restore the casebook from a backup copy",
            )
        return SystemFault(f"{where}: the database reported an error: {text}")
    path = _where(exc)
    number = exc.errno
    if number == errno.ENOSPC or number == errno.EDQUOT:
        return SystemFault(
            f"the disk is full while writing {path}; {_NOTHING_STORED}",
            hint="free some space and run the command again",
        )
    if isinstance(exc, IsADirectoryError):
        return SystemFault(f"{path} is a folder, not a file", hint="give the path of a file")
    if isinstance(exc, NotADirectoryError):
        return SystemFault(
            f"{path}: part of this path is a file, not a folder", hint="check the path"
        )
    if isinstance(exc, FileExistsError):
        return SystemFault(f"{path} already exists", hint="choose another name")
    if isinstance(exc, FileNotFoundError):
        return SystemFault(f"{path}: no such file or folder", hint="check the path")
    if number == errno.EROFS:
        return SystemFault(
            f"{path} is on a read-only disk; {_NOTHING_STORED}",
            hint="copy the casebook to a disk you can write to",
        )
    if isinstance(exc, PermissionError):
        return SystemFault(
            f"{path}: permission denied", hint="ask for access, or use a folder you own"
        )
    return SystemFault(f"{path}: {exc.strerror or exc}")
