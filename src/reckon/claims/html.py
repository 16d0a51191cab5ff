"""HTML articles to plain text with the standard library's ``html.parser``.

Only what the extractor needs: the visible text with paragraph breaks (so
sentences do not run across headings), and the page's own metadata (title,
canonical URL, publisher, publication date from ``<meta>`` or ``<time>``).
Scripts, styles, navigation and forms are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reckon.results import Plain

_SKIP = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "form",
    "button",
    "svg",
    "iframe",
    "aside",
}
_BLOCK = {
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "figcaption",
    "title",
    "time",
    "dd",
    "dt",
}
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)


@dataclass(frozen=True)
class HtmlArticle(Plain):
    """Visible text of an HTML page and the metadata found in its head."""

    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when the page states one


@dataclass
class _Parser(HTMLParser):
    parts: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    skip_depth: int = 0
    in_title: bool = False
    title: str = ""
    time_datetime: str | None = None

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
        if tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        if tag == "time" and a.get("datetime") and self.time_datetime is None:
            self.time_datetime = a["datetime"]
        if tag in _BLOCK:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if not self.skip_depth:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return (
        re.search(r"<(?:html|body|p|div|article|!doctype)\b", text[:5000], re.IGNORECASE)
        is not None
    )


def html_to_text(html: str) -> HtmlArticle:
    """Visible text (paragraphs separated by blank lines) and metadata of an HTML page."""
    p = _Parser()
    p.feed(html)
    p.close()
    raw = "".join(p.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in raw.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    published = None
    for key in _DATE_META:
        if key in p.meta:
            m = re.match(r"(\d{4}-\d\d-\d\d)", p.meta[key].strip())
            if m:
                published = m.group(1)
                break
    if published is None and p.time_datetime:
        m = re.match(r"(\d{4}-\d\d-\d\d)", p.time_datetime.strip())
        published = m.group(1) if m else None
    title = (p.meta.get("og:title") or p.title or "").strip() or None
    return HtmlArticle(
        text=text,
        title=title,
        url=p.meta.get("canonical") or p.meta.get("og:url"),
        publisher=p.meta.get("og:site_name"),
        published=published,
    )
