"""The only doors from the generator into reckon.names.

The generator must not carry its own transliteration tables or inflection rules (it would then
test reckon against itself twice over, and drift from the names engine). Every romanisation,
case form and given-name variant goes through these four calls, each cached by input value so
that a million records cost one call per distinct name.
"""

from __future__ import annotations

from functools import cache


@cache
def romanise(text: str, scheme: str, lang: str = "ru") -> str:
    """Latin spelling of ``text`` under ``scheme`` (reckon.names.romanise)."""
    from reckon.names import romanise as _romanise

    return _romanise(text, scheme, lang)


@cache
def inflect(given: str, patronymic: str, family: str, sex: str, case: str) -> tuple[str, str, str]:
    """Russian case form of a whole name (reckon.names.inflect_name); '' parts stay ''."""
    from reckon.names import inflect_name

    g, p, f = inflect_name(given or None, patronymic or None, family or None, sex, case)
    return (g or "", p or "", f or "")


@cache
def variants(name: str) -> tuple[str, ...]:
    """Diminutives and other-language forms of a given name (reckon.names.given_variants)."""
    from reckon.names import given_variants

    return tuple(v for v in given_variants(name) if v and v != name)


def schemes() -> tuple[str, ...]:
    """Romanisation scheme ids known to reckon.names."""
    from reckon.names import SCHEMES

    return tuple(SCHEMES)
