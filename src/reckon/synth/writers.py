"""Write a source's records to a file in its format, under its own headers.

Formats: CSV (UTF-8 or cp1251, any delimiter), XLSX (openpyxl), JSON (an array of objects)
and JSONL. Missing values are empty cells in CSV/XLSX and absent keys in JSON, as real exports
do; numbers (age) stay numbers where the format has them.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "xlsx", "json", "jsonl")


def _objects(df: pd.DataFrame) -> list[dict[str, object]]:
    cols = list(df.columns)
    out = []
    for row in df.itertuples(index=False, name=None):
        obj = {}
        for c, v in zip(cols, row, strict=True):
            if v is None or (isinstance(v, float) and v != v):
                continue
            obj[c] = v.item() if hasattr(v, "item") else v
        out.append(obj)
    return out


_PINNED = "2025-01-01T00:00:00Z"


def _pin_xlsx(path: Path) -> None:
    """Make the XLSX bytes depend on the content only (same seed, same sha256 at ingest).

    openpyxl stamps the workbook's created/modified times and every zip entry's time with
    the clock; both are replaced by a fixed date.
    """
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + _PINNED.encode(),
                    data,
                )
            zout.writestr(
                zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    tmp.replace(path)


def write_frame(
    df: pd.DataFrame, path: Path, fmt: str, *, encoding: str = "utf-8", delimiter: str = ","
) -> None:
    """Write ``df`` (already under the source's headers) to ``path`` as ``fmt``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        df.to_csv(
            path,
            index=False,
            sep=delimiter,
            encoding=encoding,
            lineterminator="\r\n" if encoding == "cp1251" else "\n",
        )
    elif fmt == "xlsx":
        df.to_excel(path, index=False, engine="openpyxl", sheet_name="Лист1")
        _pin_xlsx(path)
    elif fmt == "json":
        path.write_text(
            json.dumps(_objects(df), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for obj in _objects(df):
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
