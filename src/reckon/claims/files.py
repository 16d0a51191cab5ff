"""Reading an article file (plain text or HTML) for the extractor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from reckon.claims.dates import publication_date
from reckon.claims.extract import extract_claims
from reckon.claims.html import html_to_text, looks_like_html
from reckon.claims.model import Claim
from reckon.errors import ClaimsError


@dataclass(frozen=True)
class Extraction:
    """The claims of one article, with the text their offsets refer to."""

    path: str
    published_on: str | None
    is_html: bool
    text: str
    claims: tuple[Claim, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "published_on": self.published_on,
            "is_html": self.is_html,
            "n_claims": len(self.claims),
            "claims": [c.to_dict() for c in self.claims],
        }


def read_article(path: str | Path) -> tuple[str, bool, dict[str, str | None]]:
    """The article's text (HTML converted), whether it was HTML, and any metadata found."""
    p = Path(path)
    if not p.exists():
        raise ClaimsError(f"{p}: no such file")
    if p.is_dir():
        raise ClaimsError(
            f"{p} is a folder, not an article file",
            hint="give one article (plain text or HTML); run the command once per file",
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise ClaimsError(
                f"{p}: not a text file", hint="give a plain-text or HTML article"
            ) from None
        text = str(best)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        art = html_to_text(text)
        return (
            art.text,
            True,
            {"url": art.url, "publisher": art.publisher, "published": art.published},
        )
    return text, False, {}


def extract_file(
    path: str | Path,
    *,
    date: Date | str | None = None,
    source_url: str | None = None,
    publisher: str | None = None,
) -> Extraction:
    """Extract the claims of an article file; ``date`` (publication) wins over the file's own."""
    if isinstance(date, str):
        try:
            date = Date.fromisoformat(date)
        except ValueError:
            raise ClaimsError(f"--date {date!r} is not a date", hint="write YYYY-MM-DD") from None
    text, is_html, meta = read_article(path)
    published = date.isoformat() if date else (meta.get("published") or publication_date(text))
    claims = extract_claims(
        text,
        date=published,
        source_url=source_url or meta.get("url"),
        publisher=publisher or meta.get("publisher"),
    )
    return Extraction(str(path), published, is_html, text, tuple(claims))
