"""Casualty claims from English and Russian news text, by rules (no network, no model).

For each sentence: find the quantities (:mod:`reckon.claims.numbers`), keep those
that count people (a personnel noun or a casualty word right after the number,
or a casualty noun just before it: "the death toll reached 1,351"), drop years,
ages, money, percentages, distances and durations, then read from the words
around each number what is measured (the nearest casualty cue), whose losses
(the noun phrase, the subject, "both sides", or the claimant's own side), who
says so (dictionary of claimants, then "according to X" / "X said" / «по данным
X»), and as of when (:mod:`reckon.claims.dates`). Sentences saying a party does
not disclose its losses become ``non_disclosure`` statements.

The rules favour precision: a number is a claim only if a casualty word is in
its clause. Everything found is returned unconfirmed for a person to check.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date as Date
from typing import TypedDict

from reckon.claims.attribution import NO_CLAIMANT, Claimant, find_claimant
from reckon.claims.dates import DateMention, find_dates
from reckon.claims.lexicon import Lexicon, default_lexicon
from reckon.claims.model import Claim
from reckon.claims.numbers import Quantity, find_quantities

# --- sentences -------------------------------------------------------------------------------

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "st",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "vs",
    "etc",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "adm",
    "gov",
    "sen",
    "rep",
    "т.е",
    "г",
    "гг",
    "тыс",
    "млн",
    "ст",
    "им",
    "ген",
    "р",
    "руб",
    "см",
    "т.д",
    "т.п",
    "т.ч",
    "т.к",
    "т.н",
    "др",
    "пр",
    "ок",
    "св",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"»”’)]*\s+(?=[\"«“(]?[A-ZА-ЯЁ0-9])")
# "WASHINGTON, Sept. 23 (Reuters) — ": a dateline is not part of the first sentence
_DATELINE = re.compile(
    r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,40},[^—–\n]{0,40}?(?:\([^)\n]{1,40}\))?\s*[—–]\s*"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their character offsets in ``text``; each line is at least one sentence."""
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        base, chunk = line.start(), line.group(0)
        pos = 0
        dl = _DATELINE.match(chunk)
        if dl:
            _add(out, chunk, base, 0, dl.end())
            pos = dl.end()
        for m in _BOUNDARY.finditer(chunk, pos):
            word = re.search(r"([\w.]+)[.!?…]*$", chunk[pos : m.start() + 1])
            w = word.group(1).rstrip(".").lower() if word else ""
            if chunk[m.start()] == "." and (w in _ABBREV or (len(w) == 1 and w.isalpha())):
                continue
            _add(out, chunk, base, pos, m.end())
            pos = m.end()
        _add(out, chunk, base, pos, len(chunk))
    return out


def _add(out: list[Sentence], chunk: str, base: int, a: int, b: int) -> None:
    seg = chunk[a:b]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        out.append(Sentence(base + a + lead, base + a + lead + len(seg), seg))


# --- cues ------------------------------------------------------------------------------------

_CUES: list[tuple[str, str]] = [
    (
        "killed_or_wounded",
        r"killed (?:or|and) (?:wounded|injured)|dead (?:or|and) (?:wounded|injured)|casualt\w+|"
        r"убиты\w* (?:и|или) ранены\w*|убит\w+ (?:и|или) ранен\w+|погибш\w+ (?:и|или) ранен\w+|"
        r"санитарн\w+ (?:и|или) безвозвратн\w+ потер\w+|безвозвратн\w+ (?:и|или) санитарн\w+ потер\w+",
    ),
    (
        "missing",
        r"missing in action|missing|пропал\w* без вести|пропавш\w* без вести|без вести пропавш\w*",
    ),
    (
        "captured",
        r"captured|taken prisoner|prisoners? of war|POWs?|captivity|(?:в|из)\s+(?:\w+\s+)?плен\w*|военнопленн\w*|"
        r"пленн\w*",
    ),
    (
        "mobilized",
        r"mobili[sz]\w*|called up|call-up|drafted|conscripted|мобилизова\w*|мобилизац\w*|призван\w*",
    ),
    (
        "killed",
        r"killed|dead|deaths?|died|lost (?:their|his|her) lives|fatalit\w+|death toll|perished|slain|"
        r"eliminated|neutrali[sz]ed|погиб\w*|гибел\w*|убит\w*|смерт\w*|безвозвратн\w+ потер\w*|жертв\w*|"
        r"уничтож\w*|ликвидирова\w*",
    ),
    ("wounded", r"wounded|injured|ранен\w*|ранения"),
    ("losses", r"lost|loses|losing|los(?:s|ses)|потер\w*|потерял\w*|теря\w+"),
]
_CUE_RE = re.compile("|".join(f"(?P<{m}>(?<!\\w)(?:{p})(?!\\w))" for m, p in _CUES), re.IGNORECASE)

_PERSON = re.compile(
    r"(?:servicem[ae]n|service ?members|service ?personnel|soldiers?|troops|personnel|fighters|men|reservists|"
    r"conscripts|recruits|officers|marines|paratroopers|mercenaries|people|persons|civilians|prisoners|POWs|"
    r"volunteers|combatants|lives|Ukrainians|Russians|украинц\w*|россиян\w*|"
    r"военнослужащ\w*|военн(?:ых|ые|ым|ыми)|солдат\w*|бойц\w*|боец|человек|мобилизованн\w*|резервист\w*|"
    r"призывник\w*|контрактник\w*|офицер\w*|наемник\w*|наёмник\w*|добровол\w*|военнопленн\w*|пленн\w*|"
    r"заключенн\w*|заключённ\w*|мирн\w+ жител\w*|десантник\w*|морпех\w*)(?!\w)",
    re.IGNORECASE,
)
_DIRECT_CUE = re.compile(
    r"(?:killed|dead|deaths|wounded|injured|casualties|fatalities|missing|captured|mobili[sz]ed|"
    r"погибш\w*|погибл\w*|убит\w*|ранен\w*|пропавш\w*|пленн\w*|жертв\w*)(?!\w)",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^(?:\s*(?:%|percent|per cent|процент\w*|km|kilomet\w+|miles?|metres?|meters?|км|километр\w*|метр\w*|"
    r"years?|year-old|лет|год\w*|-?летн\w*|months?|weeks?|days?|hours?|minutes?|месяц\w*|недел\w*|дн[яе]\w*|"
    r"день|сут\w*|час\w*|минут\w*|dollars?|euros?|pounds|roubles?|rubles?|hryvnias?|billion|руб\w*|"
    r"доллар\w*|евро|гривен\w*|гривн\w*|млрд|миллиард\w*|tons?|tonnes?|тонн\w*|square|кв\.?)(?!\w)|-year|-летн)",
    re.IGNORECASE,
)
_BEFORE_UNIT = re.compile(
    r"(?:[$€£₽]|\baged|\bage of|\bages of|в возрасте|\bNo\.|№|\bpage)\s*$", re.IGNORECASE
)
_BLOCKER = re.compile(
    r"(?<!\w)(?:attend\w*|gather\w*|meeting|rall(?:y|ies|ied)|protest\w*|memorial|petition\w*|signed|demand\w*|"
    r"встреч\w*|митинг\w*|собрал\w*|собрали\w*|присутствова\w*|участ(?:ие|ники|вовали)\w*|подписал\w*|"
    r"требова\w*|пикет\w*|акци\w+|needs?|plans?|planned|aims?|seeks?|intends?|wants?|target\w*|"
    r"нужн\w*|нужда\w*|планиру\w*|намерен\w*|хочет|хотят|returned|freed|released|exchange\w*|swap\w*|"
    r"вернул\w*|освобо\w*|обмен\w*|expect\w*|forecast\w*|will|ожида\w*|прогнозир\w*)(?!\w)",
    re.IGNORECASE,
)
# "70 relatives of missing soldiers": the number counts someone else
_KIN = re.compile(
    r"(?<!\w)(?:relatives|families|family members|mothers|wives|parents|children|widows|sons|"
    r"родственник\w*|матер\w*|жён|жен\w*|сем\w+|вдов\w*|дет\w*|родител\w*)(?!\w)",
    re.IGNORECASE,
)
_LINK_BEFORE = re.compile(
    r"^\s*$|^[^.;!?\d]{0,40}?(?:reached|stood at|stands at|rose to|risen to|climbed to|totall?ed|is|was|of|at|"
    r"составил\w*|составля\w+|достиг\w*|превысил\w*|превышает|превысило|[:—–-])\s*$",
    re.IGNORECASE,
)
_BOTH = re.compile(
    r"(?:on|from|for) both sides|on each side|both armies|с обеих сторон|обеих сторон|обе стороны|"
    r"с каждой стороны|обеих армий",
    re.IGNORECASE,
)
_EACH = re.compile(r"(?<!\w)(?:each|every one|каждая|каждой|каждый|по)(?!\w)", re.IGNORECASE)
_ENEMY = re.compile(
    r"(?<!\w)(?:enemy|the enemy's|adversary|противник\w*|враг\w*|неприятел\w*)(?!\w)", re.IGNORECASE
)
_INCLUDES_WOUNDED = re.compile(
    r"includ\w* (?:the )?(?:wounded|injured)|включая раненых|с учетом раненых|с учётом раненых",
    re.IGNORECASE,
)
_INCLUDING_CLAUSE = re.compile(
    r",\s*(?:including|among them|включая|в том числе)\s[^,.;()]{1,40},", re.IGNORECASE
)
_INCLUDING = re.compile(
    r"(?:including|among them|включая|в том числе)\s+([^,.;()]+)", re.IGNORECASE
)

_NON_DISCLOSURE = [
    re.compile(
        r"(?:does not|doesn't|do not|don't|did not|didn't|has not|have not|hasn't|haven't|never|rarely|"
        r"refuses? to|refused to|declines? to|declined to|will not|won't|no longer)\s+(?:\w+\s+){0,2}?"
        r"(?:disclose|publish|release|reveal|give|provide|comment on|report|update|make public|say|state)\w*\s+"
        r"(?:[\w']+\s+){0,7}?(?P<what>losses|casualt\w+|death toll|dead|deaths|killed|died)",
        re.IGNORECASE,
    ),
    re.compile(
        r"neither\s+[^.;]{1,40}?\s+nor\s+[^.;]{1,40}?\s+(?:discloses?|publish(?:es)?|releases?|reveals?|reports?|gives?)\s+"
        r"(?:[\w']+\s+){0,4}?(?P<what>losses|casualt\w+|death toll|dead|deaths)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:stopped|ceased|quit) (?:publishing|disclosing|releasing|reporting|updating|giving)\s+"
        r"(?:[\w']+\s+){0,4}?(?P<what>losses|casualt\w+|death toll|dead|deaths)",
        re.IGNORECASE,
    ),
    re.compile(
        r"keeps? (?:its|their) (?P<what>losses|casualty figures|death toll) (?:a )?secret|"
        r"(?:treats|classif\w+) (?:its|their) (?P<what2>losses|casualty figures) as (?:a )?(?:state )?secret",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)не\s+(?:\w+\s+){0,2}?(?:раскрыва\w*|раскрыл\w*|раскроет|публику\w*|опубликовал\w*|сообща\w*|"
        r"называ\w*|обнародова\w*|комментиру\w*|обновля\w*|приводит|приводят)\s+(?:\w+\s+){0,4}?"
        r"(?P<what>потер\w*|числ\w+ погибших|погибших|убитых)"
    ),
    re.compile(
        r"(?P<what>потер\w*|погибших)[^.;]{0,40}?(?<!\w)не\s+(?:публику\w*|раскрыва\w*|сообща\w*|называ\w*|"
        r"обнародова\w*|приводит|приводят)"
    ),
    re.compile(r"засекретил\w*\s+(?:\w+\s+){0,3}?(?P<what>потер\w*|погибших)"),
    re.compile(r"(?P<what>потер\w*|погибших)\s+(?:\w+\s+){0,2}?засекретил\w*"),
]


# --- quantities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    q: Quantity
    noun_end: int  # end of the personnel noun phrase (or the quantity)
    noun: str | None
    noun_start: int = -1  # start of the personnel noun itself
    elliptic: bool = False  # a bare number continuing the previous figure after a dash


def _candidate(s: str, q: Quantity, dates: list[DateMention]) -> _Candidate | None:
    if any(d.start <= q.start < d.end for d in dates):
        return None
    after = s[q.end :]
    if _UNIT_AFTER.match(after) or _BEFORE_UNIT.search(s[: q.full_start]):
        return None
    if q.vague is None and q.value is not None and q.value < 2 and q.bound == "exact":
        return None
    noun = None
    for pm in _PERSON.finditer(after[:60]):
        gap = after[: pm.start()]
        if (
            re.fullmatch(r"(?:[\s-]+(?:of|из|the|[^\W\d_][\w'’-]*)){0,3}[\s-]+|\s*", gap)
            and not re.search(r"[,.;:()]", gap)
            or re.fullmatch(r"\s+[—–]\s+", gap)
        ) and not _KIN.search(gap):  # «16 тысяч — мобилизованные»
            noun = pm
        break
    year_like = q.digits_only and q.value is not None and 1900 <= q.value <= 2100
    if noun is not None and not (year_like and noun.start() > 1):
        return _Candidate(q, q.end + noun.end(), noun.group(0), q.end + noun.start())
    if year_like:
        return None
    dm = re.match(r"\s*(?:[A-ZА-ЯЁ]?[^\W\d_]+(?:ian|ish|sian|ских|ские|ская)\s+)?", after)
    dm = _DIRECT_CUE.match(after[dm.end() :] if dm else after.lstrip()) or re.match(
        r"\s+(?:of them\s+|из них\s+)?(?:(?:were|had been|have been|was|are|были|было|был)\s+(?:[a-z]+\s+){0,2}?)?"
        r"(?:killed|wounded|injured|dead|died|captured|missing|убиты|ранены|погибли|погибл\w+|пропали)",
        after,
        re.IGNORECASE,
    )
    if dm:
        return _Candidate(q, q.end, None)
    # "the death toll reached 1,351", «потери составили 20 тысяч»
    for cm in _CUE_RE.finditer(s[: q.full_start]):
        if _LINK_BEFORE.match(s[cm.end() : q.full_start]):
            return _Candidate(q, q.end, None)
    return None


_ELLIPSIS = re.compile(r"^[^.;!?\d]{0,15}(?:[^.;!?]{0,60})[—–]\s*$")


def _elliptic(s: str, prev: _Candidate, q: Quantity, dates: list[DateMention]) -> bool:
    """A bare number after a dash that continues the previous figure's noun and measure."""
    if (
        any(d.start <= q.start < d.end for d in dates)
        or q.digits_only
        and q.value is not None
        and 1900 <= q.value <= 2100
    ):
        return False
    if _UNIT_AFTER.match(s[q.end :]) or not re.match(r"\s*(?:[.;,!?]|$)", s[q.end :]):
        return False
    return _ELLIPSIS.search(s[prev.noun_end : q.full_start]) is not None


def _measure(
    s: str, c: _Candidate, lo: int, hi: int, skip: tuple[tuple[int, int], ...] = ()
) -> tuple[str | None, int]:
    """The nearest casualty cue within the quantity's window; unspecific "losses" only as a last resort.

    Cues inside ``skip`` (a non-disclosure phrase such as "has not published its casualty
    numbers") do not count.
    """
    best: tuple[int, int, str] | None = None  # (specific?, distance, measure)
    if _BLOCKER.search(s[max(lo, c.q.full_start - 40) : c.q.full_start]):
        return None, -1
    for m in _CUE_RE.finditer(s, lo, hi):
        kind = m.lastgroup or ""
        if any(a <= m.start() < b for a, b in skip):
            continue
        if c.q.end <= m.start() < c.noun_end:
            # a participle inside the noun phrase ("85 тысяч погибших российских военных"),
            # but not the noun itself («сорок две тысячи мобилизованных»)
            if m.start() >= c.noun_start:
                continue
            dist, between = 0, ""
        elif m.end() <= c.q.full_start:
            dist = c.q.full_start - m.end()
            between = s[m.end() : c.q.full_start]
        elif m.start() >= c.noun_end:
            dist = m.start() - c.noun_end
            between = s[c.q.end : m.start()]
            gap = _INCLUDING_CLAUSE.sub(" ", s[c.noun_end : m.start()])  # ", including civilians,"
            if re.search(r"[,;:(]", gap) and not re.fullmatch(r"\s*,\s*", gap):
                continue
        else:
            continue
        if _BLOCKER.search(between):
            continue
        rank = (1 if kind == "losses" else 0, dist)
        if best is None or rank < best[:2]:
            best = (rank[0], rank[1], kind)
    return (best[2], best[1]) if best else (None, -1)


def _parties(
    s: str, c: _Candidate, lo: int, hi: int, claimant: Claimant, lex: Lexicon
) -> list[str | None]:
    mentions = [
        m for m in lex.party_mentions(s) if not any(a <= m.start < b for a, b in claimant.spans)
    ]
    # the noun phrase: "1,351 Russian servicemen", «1351 военнослужащего ВСУ», "soldiers of the Ukrainian army"
    np = [m for m in mentions if c.q.end <= m.start < c.noun_end]
    tail = s[c.noun_end : c.noun_end + 40]
    tm = re.match(r"\s+(?:of\s+|from\s+|из\s+)?(?:the\s+)?", tail)
    post = [m for m in mentions if tm and m.start == c.noun_end + tm.end()]
    if np or post:
        return [(np or post)[0].name]
    if _ENEMY.search(s[c.q.end : c.noun_end + 25]) and claimant.party:
        other = lex.other_belligerent(claimant.party)
        if other:
            return [other]
    window = s[lo:hi]
    if _BOTH.search(window):
        return ["both"]
    before = [m for m in mentions if lo <= m.end <= c.q.full_start]
    # "Russia and Ukraine had each lost": one claim per party
    if len(before) >= 2 and _EACH.search(s[before[-1].end : c.q.full_start]):
        pair = before[-2:]
        if (
            re.fullmatch(r"\s*(?:and|и|,)\s*", s[pair[0].end : pair[1].start])
            and pair[0].name != pair[1].name
        ):
            return [pair[0].name, pair[1].name]
    if before:
        return [before[-1].name]
    after = [m for m in mentions if m.start >= c.noun_end and m.start < hi]
    if after:
        return [after[0].name]
    if claimant.party in lex.belligerents and claimant.base_kind in ("government",):
        return [claimant.party]
    return []


_FORCES = [
    ("mobilized", r"reservists|mobili|мобилизованн|резервист"),
    ("conscripts", r"conscripts|recruits|призывник"),
    ("civilians", r"civilians|мирн"),
    ("prisoners", r"prisoners|POWs|пленн|военнопленн"),
    ("convicts", r"заключ"),
    ("mercenaries", r"mercenaries|наемник|наёмник"),
    ("volunteers", r"volunteers|добровол"),
    ("people", r"people|persons|lives|человек"),
    ("military", r"."),
]


def _forces(noun: str) -> str:
    """The personnel noun as a language-independent category ("военнослужащего" -> military)."""
    for name, rx in _FORCES:
        if re.match(rx, noun, re.IGNORECASE):
            return name
    return "military"


def _as_of(
    s: str, c: _Candidate, dates: list[DateMention], published: str | None
) -> tuple[str | None, str | None]:
    as_of = [d for d in dates if not d.since]
    since = [d for d in dates if d.since]
    chosen = None
    if as_of:
        chosen = min(as_of, key=lambda d: abs(d.start - c.q.start)).iso
    return chosen or published, (since[0].iso if since else None)


# --- the extractor ---------------------------------------------------------------------------


class _Quoted(TypedDict):
    """The fields every claim found in one sentence shares: where it was read."""

    source_url: str | None
    publisher: str | None
    published_on: str | None
    quote: str
    quote_start: int
    quote_end: int
    confirmed: int


def extract_claims(
    text: str,
    *,
    date: Date | str | None = None,
    source_url: str | None = None,
    publisher: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Claim]:
    """Casualty claims in a plain-text article, in text order, unconfirmed.

    ``date`` is the publication date (it resolves "last month", "on September 21");
    when missing it is read from the article's dateline, if any. Offsets
    (``quote_start``/``quote_end``) index ``text``.
    """
    from reckon.claims.dates import publication_date, to_date

    lex = lexicon or default_lexicon()
    published = date.isoformat() if isinstance(date, Date) else (date or publication_date(text))
    ref = to_date(published)
    out: list[Claim] = []
    history: tuple[Claimant, ...] = ()  # the claimants named so far in the article
    previous: tuple[int, Claimant, str | None] | None = (
        None  # (sentence no., claimant, as_of) of the last claim
    )
    context_party: str | None = None
    for n, sent in enumerate(split_sentences(text)):
        s = sent.text
        claimant = find_claimant(s, lex, history)
        inherited_as_of = None
        if claimant.name is None and previous and previous[0] == n - 1:
            # a sentence without attribution right after a claim continues the same source
            claimant, inherited_as_of = previous[1], previous[2]
        elif (
            claimant.name and not claimant.spans and previous and previous[1].name == claimant.name
        ):
            inherited_as_of = previous[2]
        dates = find_dates(s, ref)
        common = _Quoted(
            source_url=source_url,
            publisher=publisher,
            published_on=published,
            quote=s,
            quote_start=sent.start,
            quote_end=sent.end,
            confirmed=0,
        )
        qs = find_quantities(s)
        cands: list[_Candidate] = []
        for q in qs:
            cand = _candidate(s, q, dates)
            if cand is None and cands and _elliptic(s, cands[-1], q, dates):
                cand = _Candidate(
                    q, q.end, None, elliptic=True
                )  # «…1 530 военнослужащих, а с 24 февраля 2022 года — свыше 720 тысяч»
            if cand is not None:
                cands.append(cand)
        nd_spans = tuple((m.start(), m.end()) for rx in _NON_DISCLOSURE for m in rx.finditer(s))
        found: list[Claim] = []
        prev_measure: str | None = None
        prev_parties: list[str | None] = []
        for i, c in enumerate(cands):
            lo = cands[i - 1].noun_end if i else 0
            hi = cands[i + 1].q.full_start if i + 1 < len(cands) else len(s)
            measure, _ = _measure(s, c, lo, hi, nd_spans)
            gap = s[lo : c.q.full_start]
            if (
                measure is None
                and prev_measure
                and (
                    re.fullmatch(r"\s*(?:,|and|и|or|или)\s*(?:[^\W\d_]+\s+){0,3}", gap)
                    or _ELLIPSIS.search(gap)
                )
            ):
                measure = (
                    prev_measure  # "погибли 20 тысяч добровольцев и более 15 тысяч заключённых"
                )
            if (
                measure is None
                and c.noun
                and _forces(c.noun) == "prisoners"
                and not _BLOCKER.search(s[lo:hi])
            ):
                measure = "captured"  # "1,358 Russian prisoners of war were being held"
            prev_measure = measure
            if measure is None:
                continue
            if measure in ("losses", "killed") and _INCLUDES_WOUNDED.search(s):
                measure = "killed_or_wounded"
            parties = _parties(s, c, lo, hi, claimant, lex) or (
                [context_party] if context_party else [None]
            )
            if c.elliptic and prev_parties:
                parties = prev_parties
            prev_parties = parties
            as_of, since = _as_of(s, c, dates, published)
            if not [d for d in dates if not d.since] and inherited_as_of:
                as_of = inherited_as_of
            noun = c.noun or (cands[i - 1].noun if i else None)
            forces = _forces(noun) if noun else None
            inc = _INCLUDING.search(s)
            if inc and forces:
                forces = f"{forces}; including {inc.group(1).strip()}"
            q = c.q
            for party in parties:
                kind = lex.claimant_kind(claimant.base_kind, claimant.party, party, s)
                found.append(
                    Claim(
                        claimant=claimant.name,
                        claimant_role=claimant.role,
                        claimant_kind=kind,
                        party=party,
                        forces_included=forces,
                        measure=measure,
                        value=q.value if q.bound != "range" else None,
                        bound=q.bound,
                        low=q.low,
                        high=q.high,
                        as_of=as_of,
                        period_start=since,
                        notes=f"vague amount: {q.vague}" if q.vague else None,
                        **common,
                    )
                )
            if parties and parties[0] not in (None, "both"):
                context_party = parties[0]
        nd = _non_disclosures(
            s, claimant if not cands else NO_CLAIMANT, lex, published, context_party, common
        )
        out.extend(
            sorted(nd + found, key=lambda c: 0 if c.statement_kind == "non_disclosure" else 1)
        )
        if claimant.name and claimant.spans:
            history = (*history, claimant)
        if found:
            previous = (n, dataclasses.replace(claimant, spans=()), found[-1].as_of)
        if not found:
            ms = [
                m
                for m in lex.party_mentions(s)
                if not any(a <= m.start < b for a, b in claimant.spans)
            ]
            if ms and ms[-1].name in lex.belligerents:
                context_party = ms[-1].name
    parties = [c.party for c in out if c.party not in (None, "both")]
    if parties:
        dominant = max(set(parties), key=parties.count)
        out = [c.with_(party=dominant) if c.party is None else c for c in out]
    return out


def _non_disclosures(
    s: str,
    claimant: Claimant,
    lex: Lexicon,
    published: str | None,
    context_party: str | None,
    common: _Quoted,
) -> list[Claim]:
    """ "Ukraine does not disclose its losses": one statement per party named as its subject."""
    matches: list[re.Match[str]] = []
    for rx in _NON_DISCLOSURE:
        for m in rx.finditer(s):
            if not any(x.start() < m.end() and m.start() < x.end() for x in matches):
                matches.append(m)
    matches.sort(key=lambda m: m.start())
    out: list[Claim] = []
    prev_end = 0
    for m in matches:
        what = (m.groupdict().get("what") or m.groupdict().get("what2") or "").lower()
        measure = "losses"
        if re.match(r"casualt", what):
            measure = "killed_or_wounded"
        elif re.match(r"death|dead|died|killed|числ|погибш|убит", what):
            measure = "killed"
        region = s[prev_end : m.end()]
        mentions = [
            x
            for x in lex.party_mentions(region)
            if not any(a <= x.start + prev_end < b for a, b in claimant.spans)
        ]
        neither = re.search(r"(?:neither|ни)\s+\S+", region, re.IGNORECASE)
        parties: list[str | None]
        if neither and len(mentions) >= 2:
            parties = [mentions[0].name, mentions[1].name]
        elif mentions:
            parties = [mentions[0].name]
        elif claimant.spans and claimant.party in lex.belligerents:
            parties = [claimant.party]
        else:
            parties = [context_party]
        prev_end = m.end()
        for p in parties:
            source = (
                bool(claimant.spans) and claimant.party != p
            )  # "The Kremlin does not comment": the subject
            kind = lex.claimant_kind(claimant.base_kind, claimant.party, p, s) if source else None
            out.append(
                Claim(
                    claimant=claimant.name if source else None,
                    claimant_role=claimant.role if source else None,
                    claimant_kind=kind,
                    party=p,
                    measure=measure,
                    statement_kind="non_disclosure",
                    as_of=published,
                    **common,
                )
            )
    return out
