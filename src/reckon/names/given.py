"""Given names as equivalence classes, and fathers' names behind patronymics.

The curated table ``data/given_names.tsv`` groups the Russian form, the Ukrainian
form, diminutives and other-language forms of one name (Александр / Олександр /
Саша / Alexander). Every form is indexed by its key (:func:`reckon.names.keys.token_key`),
so any standard romanisation of a listed Cyrillic form finds its class too.

The class id (the ``given_key``) is the key of the Russian form: ``aleksandr``.
A name the table does not know keys to itself, so it still matches its own
transliterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reckon.names.keys import token_key
from reckon.names.script import script_of


@dataclass(frozen=True)
class GivenName:
    """One row of the table: a name with its forms. ``rank`` is the order among names of
    the same sex (0 = most common)."""

    id: str
    sex: str
    ru: str
    uk: str
    forms: tuple[str, ...]
    rank: int

    def all_forms(self) -> tuple[str, ...]:
        out: list[str] = []
        for f in (self.ru, self.uk, *self.forms):
            if f and f not in out:
                out.append(f)
        return tuple(out)


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, tuple[GivenName, ...]]
    by_key_cyr: dict[str, tuple[GivenName, ...]]  # from Cyrillic forms only
    by_id: dict[tuple[str, str], GivenName]
    conflicts: tuple[str, ...]


@lru_cache(maxsize=1)
def _index() -> _Index:
    text = (
        resources.files("reckon.names").joinpath("data/given_names.tsv").read_text(encoding="utf-8")
    )
    merged: dict[tuple[str, str], GivenName] = {}
    order: list[tuple[str, str]] = []
    per_sex = {"m": 0, "f": 0}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        sex, ru, uk = cols[0], cols[1], cols[2]
        forms = tuple(f.strip() for f in cols[3].split(",") if f.strip()) if len(cols) > 3 else ()
        gid = token_key(ru)
        k = (gid, sex)
        if k in merged:
            old = merged[k]
            extra = tuple(f for f in (uk, *forms) if f not in old.all_forms())
            merged[k] = GivenName(old.id, sex, old.ru, old.uk, old.forms + extra, old.rank)
        else:
            merged[k] = GivenName(gid, sex, ru, uk, forms, per_sex[sex])
            per_sex[sex] += 1
            order.append(k)
    by_key: dict[str, list[GivenName]] = {}
    by_key_cyr: dict[str, list[GivenName]] = {}
    conflicts: list[str] = []
    for k in order:
        g = merged[k]
        for form in g.all_forms():
            fk = token_key(form)
            if not fk:
                continue
            indexes = (by_key, by_key_cyr) if script_of(form) == "cyrillic" else (by_key,)
            for idx in indexes:
                lst = idx.setdefault(fk, [])
                if any(o.id == g.id and o.sex == g.sex for o in lst):
                    continue
                if any(o.sex == g.sex for o in lst):
                    if idx is by_key:
                        conflicts.append(
                            f"{form} ({g.ru}) already taken by {[o.ru for o in lst if o.sex == g.sex][0]}"
                        )
                    continue
                lst.append(g)
    return _Index(
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in by_key_cyr.items()},
        merged,
        tuple(conflicts),
    )


def lookup_given(name: str, sex: str | None = None, *, role: bool = False) -> tuple[GivenName, ...]:
    """Classes a given-name form belongs to (one per sex at most), most common first.

    With ``sex`` the result is narrowed to that sex. With ``role`` (deciding whether a
    word *is* a given name) a Cyrillic word is looked up among Cyrillic forms only:
    «Андреев», a surname, must not be taken for "Andrew", whose key is the same.
    """
    idx = _index().by_key_cyr if role and script_of(name) == "cyrillic" else _index().by_key
    hits = idx.get(token_key(name), ())
    if sex in ("m", "f"):
        same = tuple(h for h in hits if h.sex == sex)
        return same or ()
    return tuple(sorted(hits, key=lambda h: (h.rank, h.sex)))


def lookup_given_key(key: str, *, cyrillic_forms: bool = False) -> tuple[GivenName, ...]:
    """As :func:`lookup_given`, from a key already computed; with ``cyrillic_forms`` only
    classes that have a Cyrillic form with this key (so a romanised surname "Andreev" is
    not a given name merely because "Andrew" has the same key)."""
    return (_index().by_key_cyr if cyrillic_forms else _index().by_key).get(key, ())


def given_key(name: str, sex: str | None = None) -> str:
    """The equivalence-class key of a given name (its own key when the table lacks it)."""
    hits = lookup_given(name, sex) or lookup_given(name)
    if hits:
        return hits[0].id
    return "-".join(token_key(p) for p in name.split("-") if token_key(p))


def given_variants(name: str) -> list[str]:
    """Other forms of ``name`` known to the table (diminutives, Ukrainian/Russian/English forms).

    Used by the synthetic generator to write one person's name the way different
    sources would. Empty for a name the table does not know.
    """
    hits = lookup_given(name)
    if not hits:
        return []
    return [f for f in hits[0].all_forms() if f != name]


def table_size() -> dict[str, int]:
    """Number of name classes per sex (for docs and tests)."""
    out = {"m": 0, "f": 0}
    for _, sex in _index().by_id:
        out[sex] += 1
    return out


def table_conflicts() -> tuple[str, ...]:
    """Forms listed under two names of the same sex (the first listed wins)."""
    return _index().conflicts


# --- patronymics -------------------------------------------------------------------------

# Suffixes on keys (Latin and Cyrillic alike), longest first: (suffix, sex, endings to try).
_PATR: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("iniCna", "f", ("a", "ia", "")),
    ("iCna", "f", ("a", "ia", "")),
    ("oviC", "m", ("", "o", "a", "i", "ei", "ai")),
    ("eviC", "m", ("i", "ei", "", "ai")),
    ("ovna", "f", ("", "o", "a", "i", "ei", "ai")),
    ("evna", "f", ("i", "ei", "", "ai")),
    ("ivna", "f", ("", "i", "ei", "o", "a")),
    ("iC", "m", ("a", "ia", "")),
)


def patronymic_sex(key: str) -> str | None:
    """'m' or 'f' if the key ends like a patronymic, else None."""
    for suf, sex, _ in _PATR:
        if key.endswith(suf) and len(key) - len(suf) >= 2:
            return sex
    return None


@lru_cache(maxsize=50_000)
def patronymic_key_of(key: str) -> str | None:
    """The father's given_key behind a patronymic key (Петрович/Петровна → petr), or None.

    Tries the usual father's-name endings on the stem against the table; a stem the
    table does not know is returned as is, which still folds the male and female forms.
    """
    for suf, _sex, ends in _PATR:
        if key.endswith(suf) and len(key) - len(suf) >= 2:
            stem = key[: -len(suf)]
            for e in ends:
                hits = [h for h in lookup_given_key(stem + e) if h.sex == "m"]
                if hits:
                    return hits[0].id
            return stem
    return None
