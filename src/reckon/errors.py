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
    └── SynthError         bad parameters for a synthetic case

Errors carry context (file, row, field, list) so the message can say where.
Data problems inside a file (a bad row) are *not* raised: they are collected
in the quarantine table so the rest of the file still lands.
"""

from __future__ import annotations


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


class SynthError(ReckonError):
    """Bad parameters for a synthetic case (tests, benchmarks, the demo)."""
