"""Where normalised chunks come from: this process, or a reader process for big files.

Writing to SQLite is about half of an ingest's work and reading + normalising the
other half. For a big file a second *process* (not a thread: SQLite's per-row
release of the GIL makes two busy threads convoy) reads and normalises while this
process writes, so both cores work. The reader sends finished chunks through a
pipe, which blocks when the writer falls behind, so at most a chunk or two is in
flight and memory stays flat. If the writer dies (even by SIGKILL) the pipe
breaks and the reader exits; the transaction in the writer was never committed.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from reckon.errors import IngestError, ReckonError
from reckon.ingest.dates import Order
from reckon.ingest.normalise import Normalised, Normaliser, Tally
from reckon.ingest.readers import FileScan, Table, open_table

#: Files at least this large are read by a separate process (smaller ones are not worth its start-up).
PARALLEL_MIN_BYTES = 8_000_000


class Feed(Protocol):
    """Normalised chunks in file order; :meth:`tally` once they are all read."""

    def __iter__(self) -> Iterator[Normalised]: ...

    def bytes_read(self) -> int: ...

    def tally(self) -> Tally: ...

    def close(self) -> None: ...


class LocalFeed:
    """Chunks read and normalised in this process."""

    def __init__(self, table: Table, norm: Normaliser) -> None:
        self.table = table
        self.norm = norm

    def __iter__(self) -> Iterator[Normalised]:
        for chunk in self.table.chunks:
            yield self.norm.process(chunk)

    def tally(self) -> Tally:
        return self.norm.tally()

    def bytes_read(self) -> int:
        return self.table.bytes_read()

    def close(self) -> None:
        self.table.close()


def _produce(
    send: Callable[[Any], None],
    path: str,
    scan: FileScan,
    read: dict[str, str],
    fields: dict[str, int],
    order: Order,
) -> None:
    """Reader process: open the file, normalise chunk by chunk, send each through the pipe."""
    try:
        table = open_table(
            Path(path),
            scan,
            fmt=read.get("format"),
            encoding=read.get("encoding"),
            delimiter=read.get("delimiter"),
            sheet=read.get("sheet"),
        )
        norm = Normaliser(fields, order)
        for raw in table.chunks:
            done = norm.process(raw)
            done.chunk.cells = []  # the writer needs only numbers and raw rows
            send(("chunk", done, table.bytes_read()))
        send(("done", norm.tally()))
    except (BrokenPipeError, EOFError):  # the writer is gone
        return
    except ReckonError as exc:
        send(("error", exc.message, exc.hint))
    except Exception as exc:  # a bug: report it rather than hang the writer
        send(("crash", f"{type(exc).__name__}: {exc}", None))


def _child_main() -> None:
    """Entry point of the reader process: arguments on stdin, pickled messages on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle
    gc.disable()
    args = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer

    def send(msg: Any) -> None:
        pickle.dump(msg, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    _produce(send, *args)


class ProcessFeed:
    """Chunks read and normalised by a child process (a plain subprocess of this Python).

    A subprocess rather than :mod:`multiprocessing`, so the caller's ``__main__``
    is never re-imported and scripts without a ``__main__`` guard work.
    """

    def __init__(
        self, path: Path, scan: FileScan, read: dict[str, str], fields: dict[str, int], order: Order
    ) -> None:
        self.path = path
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from reckon.ingest.feed import _child_main; _child_main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        pickle.dump((str(path), scan, dict(read), dict(fields), order), self._proc.stdin)
        self._proc.stdin.close()
        self._out = self._proc.stdout
        self._bytes = 0
        self._tally: Tally | None = None

    def __iter__(self) -> Iterator[Normalised]:
        while True:
            try:
                msg = pickle.load(self._out)
            except EOFError:
                raise IngestError(
                    f"{self.path}: the reading process stopped unexpectedly "
                    f"(exit code {self._proc.wait()})"
                ) from None
            if msg[0] == "chunk":
                self._bytes = msg[2]
                yield msg[1]
            elif msg[0] == "done":
                self._tally = msg[1]
                return
            elif msg[0] == "error":
                raise IngestError(msg[1], hint=msg[2])
            else:
                raise RuntimeError(f"ingest reader process failed on {self.path}: {msg[1]}")

    def bytes_read(self) -> int:
        return self._bytes

    def tally(self) -> Tally:
        if self._tally is None:
            raise RuntimeError("the reader process has not finished the file")
        return self._tally

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
        self._proc.wait(timeout=10)
        self._out.close()
