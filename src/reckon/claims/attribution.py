"""Who makes a claim: attribution phrases and the dictionary of claimants.

News sentences name their source in a few shapes: "according to X", "X said", "<role>,
<Name>, estimated", «по данным X», «X заявил», «сообщил X». A dictionary claimant
(``lexicon.json``) inside the attribution wins; otherwise the attribution phrase is split
into a name and a role, and its country and base kind are read from its words. Pronouns
("he", "the ministry", «ведомство») refer back to the last claimant named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reckon.claims.lexicon import ClaimantEntry, Lexicon, Mention

_ATTRIB = [
    re.compile(
        r"according to (?:the |an? )?(?P<c>[^,.;:()]+?)(?=\s*(?:[,.;:()]|$|\bon\b|\bin\b|\bas of\b))",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?P<c>(?:[Tt]he|[Tt]hese)\s+(?:outlets?|journalists|researchers|ministry|general|official|officials|authors|"
        r"newspaper|agency)|[Оо]н|[Оо]на|[Оо]ни|[Вв]едомство|[Ии]здание|[Жж]урналисты|[Ии]сследователи|[Аа]вторы)\s+"
        r"(?:has |have |had )?(?:said|says|told|estimated|estimates|reported|announced|claimed|wrote|added|put|"
        r"сообщил\w*|заявил\w*|подсчитал\w*|оценил\w*|оценива\w+|добавил\w*|уточнил\w*)\b"
    ),
    re.compile(
        r"[Пп]о (?:данным|оценк\w+|словам|информации|подсч[её]там|сведениям|мнению|утверждению) (?P<c>[^,.;:()«»]+?)(?=\s*(?:[,.;:()«»]|$|\bна\b))"
    ),
    re.compile(
        r"(?P<role>(?:[Tt]he\s+)?[^,—]{3,60}),\s+(?P<c>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}),\s+(?:has |had )?"
        r"(?:said|says|told|estimated|estimates|reported|announced|claimed|wrote|stated|put|assessed)\b"
    ),
    re.compile(r"говорится в (?:сообщении|заявлении|отч[её]те|докладе|сводке) (?P<c>[^,.;:()«»]+)"),
    re.compile(
        r"(?P<c>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}),\s+(?P<role>(?:the\s+)?[^,]{3,80}),\s+(?:has |had )?"
        r"(?:said|says|told|estimated|estimates|reported|announced|claimed|wrote|stated|put|assessed)\b"
    ),
    re.compile(
        r"(?:[,—–-]|^)\s*(?:сообщил\w*|заявил\w*|подсчитал\w*|уточнил\w*|рассказал\w*) (?P<c>[А-ЯЁ«][^,.;:()]+)"
    ),
    re.compile(r",\s+(?:said|says|according to|told) (?:the\s+)?(?P<c>[A-Z][^,.;:()]+)"),
    re.compile(
        r"(?P<c>(?:[A-ZА-ЯЁ][\w.'’-]*|the|of|for|and|de|von)(?:\s+(?:[A-ZА-ЯЁ][\w.'’-]*|of|the|for|and|de|von|top|chief|military|armed|forces|defen[cs]e|intelligence|spokes\w+|commander|minister|general|head|deputy|officials?|"
        r"president|prime|ombudsman|envoy|advis[eo]r|commissioner|agency|service|analysts?|researchers?|experts?|"
        r"journalists?|sources?|monitors?|human|rights|ministry|ministries))*)"
        r",?\s+(?:has |have |had )?(?:said|says|say|told|estimated|estimates|reported|reports|announced|announces|"
        r"claimed|claims|wrote|confirmed|stated|put|puts|assessed|acknowledged|admitted|believe|believes)\b"
    ),
    re.compile(
        r"(?P<c>(?:[А-ЯЁ][\w-]*|министр\w*|глава|начальник\w*|генерал\w*|представител\w*|пресс-секретар\w*|командующ\w*|президент\w*|советник\w*|"
        r"западн\w+|независим\w+|американск\w+|британск\w+|украинск\w+|российск\w+|аналитик\w*|эксперт\w*|исследовател\w*|журналист\w*)"
        r"(?:\s+(?:[А-ЯЁ][\w-]*|обороны|министр\w*|штаба?|армии|разведки|вооруж[её]нных|сил|ВСУ|РФ|России|Украины|страны|генерал\w*|Генштаба|ведомства|"
        r"аналитик\w*|эксперт\w*|журналист\w*|исследовател\w*|чиновник\w*|официальн\w+|лица|представител\w*|источник\w*|разведк\w*|военн\w+))*)"
        r",?\s+(?:сообщил\w*|заявил\w*|оценил\w*|оценива\w+|счита\w+|полага\w+|подсчитал\w*|признал\w*|подтвердил\w*|рассказал\w*|написал\w*|объявил\w*|отчитал\w*|насчитал\w*|опубликовал\w*)"
    ),
    re.compile(
        r"[Кк]ак (?:сообщил\w*|заявил\w*|подсчитал\w*|пишет|пишут|сообщает|сообщают) (?P<c>[^,.;:()«»]+)"
    ),
]
_PRONOUN = re.compile(
    r"^(?:he|she|they|it|(?:the )?(?:ministry|general|official|officials|outlets?|journalists|researchers|newspaper|agency|"
    r"authors|report|count)|он|она|они|ведомств\w*|министр|издани\w*|журналист\w*|авторы|исследовател\w*)$",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"^(?:minister|ministry|secretary|general|gen\.?|colonel|col\.?|lieutenant|lt\.?|major|admiral|chief|commander|"
    r"president|spokes(?:man|woman|person)|head|director|adviser|advisor|chairman|deputy|defen[cs]e|foreign|staff|"
    r"army|intelligence|officer|official|prime|senator|ambassador|top|military|armed|forces|of|the|and|"
    r"министр\w*|генерал\w*|полковник\w*|глава|начальник\w*|представител\w*|пресс-секретар\w*|советник\w*|"
    r"президент\w*|командующ\w*|депутат\w*|председател\w*|обороны|штаба?|армии|разведки|вооруж[её]нных|сил|"
    r"генштаба|ведомства)$",
    re.IGNORECASE,
)
_GOV_WORDS = re.compile(
    r"minist|general|gen\.|president|spokes|commander|command|officials?|secretary|staff|army|kremlin|"
    r"ombudsman|duma|parliament|rada|госдум|депутат|омбудсмен|уполномоченн|"
    r"командован|"
    r"министр|минобороны|генерал|президент|пресс-секретар|командующ|штаб|ведомств|кремл|армии|"
    r"правительств|government",
    re.IGNORECASE,
)
_INTEL_WORDS = re.compile(r"intelligence|разведк", re.IGNORECASE)
_STAT_WORDS = re.compile(
    r"researcher|demograph|statistic|economist|scientist|исследовател|демограф|статистик|учен|учён",
    re.IGNORECASE,
)
_MEDIA_WORDS = re.compile(
    r"newspaper|outlet|magazine|journalist|reporter|broadcaster|издани|газет|журналист|телеканал",
    re.IGNORECASE,
)
_COUNT_WORDS = re.compile(r"count|tally|volunteers|project|подсч[её]т|проект|волонт", re.IGNORECASE)


_HEADS = [
    (
        re.compile(r"ministr|ведомств|министерств", re.IGNORECASE),
        re.compile(r"ministr|минобороны|министерств", re.IGNORECASE),
    ),
    (
        re.compile(r"general|генерал", re.IGNORECASE),
        re.compile(r"general|генерал|staff|штаб", re.IGNORECASE),
    ),
    (
        re.compile(r"outlet|newspaper|journalist|издани|журналист|authors|авторы", re.IGNORECASE),
        None,
    ),
]


def _refer_back(phrase: str, history: tuple[Claimant, ...]) -> Claimant | None:
    """ "The ministry said": the latest claimant that is a ministry; "he said": the latest one."""
    named = [c for c in history if c.name]
    if not named:
        return None
    for head, target in _HEADS:
        if head.search(phrase):
            for c in reversed(named):
                text = f"{c.name} {c.role or ''}"
                if (target is not None and target.search(text)) or (
                    target is None
                    and c.base_kind in ("media", "independent_count", "statistical_estimate")
                ):
                    return c
    return named[-1]


@dataclass(frozen=True)
class Claimant:
    """Who makes the claims of a sentence: name, role, country and base kind, and where named."""

    name: str | None
    role: str | None
    party: str | None
    base_kind: str | None
    spans: tuple[tuple[int, int], ...]


NO_CLAIMANT = Claimant(None, None, None, None, ())


# --- claimants -------------------------------------------------------------------------------


_NOT_NAMES = set(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday it this that there this week today yesterday also but and "
    "сегодня вчера также однако".split()
)


def _attribution(s: str) -> re.Match[str] | None:
    for rx in _ATTRIB:
        m = rx.search(s)
        if m:
            return m
    return None


def _from_dictionary(s: str, hits: list[tuple[Mention, ClaimantEntry]]) -> Claimant:
    first_m, first_e = hits[0]
    group = [hits[0]]
    # "Mediazona and BBC Russian": one joint claimant
    for m2, e2 in hits[1:]:
        if (
            m2.start > group[-1][0].end
            and e2.kind == first_e.kind
            and re.fullmatch(
                r"[\s«»\"]*(?:,|and|и|together with|совместно с|with|,? and)[\s«»\"]*",
                s[group[-1][0].end : m2.start],
            )
        ):
            group.append((m2, e2))
    name = " and ".join(e.name for _, e in group)
    person = _person_near(s, first_m)
    role = first_e.role
    if person:
        name, role = person[0], person[1] or role
    return Claimant(
        name, role, first_e.party, first_e.kind, tuple((m.start, m.end) for m, _ in group)
    )


def find_claimant(s: str, lex: Lexicon, history: tuple[Claimant, ...]) -> Claimant:
    """Who makes the claims of a sentence.

    Order: a dictionary claimant inside the attribution phrase; the attribution phrase itself
    ("The top US general, Mark Ellison, estimated"); a dictionary claimant anywhere in the
    sentence; the surname of a person already introduced.
    """
    hits = lex.claimant_mentions(s)
    m = _attribution(s)
    if hits and m:
        inside = [h for h in hits if h[0].start < m.end("c") + 1 and h[0].end > m.start("c") - 1]
        if inside:
            return _from_dictionary(s, inside + [h for h in hits if h[0].start > inside[-1][0].end])
    if m:
        generic = _from_attribution(s, m, lex, history)
        if generic is not None:
            return generic
    if hits:
        return _from_dictionary(s, hits)
    # "Orlov said" later in the article: the surname of the claimant already introduced
    for known in reversed(history):
        if known.name and known.role is not None:
            last = known.name.split()[-1]
            if len(last) > 3 and re.search(r"(?<!\w)" + re.escape(last[:-1]), s):
                return Claimant(known.name, known.role, known.party, known.base_kind, ())
            break
    return NO_CLAIMANT


def _from_attribution(
    s: str, m: re.Match[str], lex: Lexicon, history: tuple[Claimant, ...]
) -> Claimant | None:
    phrase = m.group("c").strip(" ,«»")
    phrase = re.sub(r"^(?:the|an?)\s+", "", phrase, flags=re.IGNORECASE)
    if not phrase or len(phrase) > 90 or phrase.lower().rstrip(".") in _NOT_NAMES:
        return None
    if _PRONOUN.match(phrase):
        ref = _refer_back(phrase, history)
        if ref is not None:
            return Claimant(ref.name, ref.role, ref.party, ref.base_kind, ())
        return None
    parties = lex.party_mentions(m.group(0), skip_locative=False)
    party = parties[0].name if parties else None
    appositive = m.groupdict().get("role")
    name: str | None
    role: str | None
    if appositive:
        name, role = phrase, re.sub(r"^the\s+", "", appositive.strip(), flags=re.IGNORECASE)
    else:
        name, role = _split_name_role(phrase, lex)
    if name is None and role is None:
        return None
    if (
        party and name is None and role and re.fullmatch(r"\S+", phrase)
    ):  # "Russia said", «Украина заявила»
        name, role = party, None
    base = _base_kind(m.group(0), party)
    return Claimant(name or role, role if name else None, party, base, ((m.start(), m.end()),))


def _person_near(s: str, hit: Mention) -> tuple[str, str | None] | None:
    """ "Russian Defence Ministry spokesman Igor Volkov": a named person after an institution."""
    m = re.match(
        r"\s+(?P<role>(?:(?:spokes(?:man|woman|person)|chief|head|official|представител\w*|пресс-секретар\w*|"
        r"глава|начальник\w*)\s*){1,2})(?P<name>(?:[A-ZА-ЯЁ][\w'’-]+\s?){2,3})",
        s[hit.end :],
    )
    if m:
        return m.group("name").strip(), f"{hit.name} {m.group('role').strip()}"
    return None


def _split_name_role(phrase: str, lex: Lexicon) -> tuple[str | None, str | None]:
    words = phrase.split()
    name: list[str] = []
    i = len(words)
    while i > 0 and len(name) < 3:
        w = words[i - 1].strip(",")
        if (
            not w[:1].isupper()
            or _ROLE_WORDS.match(w)
            or lex.party_mentions(w, skip_locative=False)
        ):
            break
        name.insert(0, w)
        i -= 1
    role = " ".join(words[:i]).strip(" ,") or None
    if len(name) < 2:  # a single capitalised word is an institution more often than a name
        return None, phrase
    return " ".join(name), role


def _base_kind(phrase: str, party: str | None) -> str | None:
    if _INTEL_WORDS.search(phrase):
        return "intelligence"
    if _STAT_WORDS.search(phrase):
        return "statistical_estimate"
    if _COUNT_WORDS.search(
        phrase
    ):  # "according to a count by local journalists", «по подсчетам издания»
        return "independent_count"
    if _MEDIA_WORDS.search(phrase):
        return "media"
    if _GOV_WORDS.search(phrase) or party is not None:
        return "government"
    return None
