"""Quantities in English and Russian news text: digits, words, vague amounts, ranges, bounds.

Casualty figures come in many spellings: "1,351", "1 351", "20 000", "40 thousand",
"forty thousand", «сорок тысяч», «1,5 млн», "tens of thousands", «десятки тысяч»,
"40,000 to 60,000", «от 40 до 60 тысяч», each often preceded by a bound word
("more than", «не менее», "up to", «около»). :func:`find_quantities` returns every
quantity with its character span so the extractor can look at the words around it.

Vague amounts are kept as a lower bound with the words that gave it:
"tens of thousands" is ``at_least 10000``, "hundreds of thousands" ``at_least 100000``,
"thousands" ``at_least 1000``, "several thousand" ``at_least 2000``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- words -----------------------------------------------------------------------------------

_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

# Russian numerals in the cases news text uses (nominative/accusative, genitive/prepositional,
# dative, instrumental): "сорок тысяч", "более сорока тысяч", "около двадцати тысяч".
_RU_FORMS = {
    1: "один одна одно одного одной одному одним одном",
    2: "два две двух двум двумя",
    3: "три трех трёх трем трём тремя",
    4: "четыре четырех четырёх четырем четырём четырьмя",
    5: "пять пяти пятью",
    6: "шесть шести шестью",
    7: "семь семи семью",
    8: "восемь восьми восемью восьмью",
    9: "девять девяти девятью",
    10: "десять десяти десятью",
    11: "одиннадцать одиннадцати",
    12: "двенадцать двенадцати",
    13: "тринадцать тринадцати",
    14: "четырнадцать четырнадцати",
    15: "пятнадцать пятнадцати",
    16: "шестнадцать шестнадцати",
    17: "семнадцать семнадцати",
    18: "восемнадцать восемнадцати",
    19: "девятнадцать девятнадцати",
    20: "двадцать двадцати двадцатью",
    30: "тридцать тридцати тридцатью",
    40: "сорок сорока",
    50: "пятьдесят пятидесяти пятьюдесятью",
    60: "шестьдесят шестидесяти шестьюдесятью",
    70: "семьдесят семидесяти семьюдесятью",
    80: "восемьдесят восьмидесяти восемьюдесятью",
    90: "девяносто девяноста",
    100: "сто ста",
    200: "двести двухсот двумстам",
    300: "триста трехсот трёхсот тремстам",
    400: "четыреста четырехсот четырёхсот",
    500: "пятьсот пятисот",
    600: "шестьсот шестисот",
    700: "семьсот семисот",
    800: "восемьсот восьмисот",
    900: "девятьсот девятисот",
}
_RU_UNITS = {form: n for n, forms in _RU_FORMS.items() for form in forms.split()}
_RU_MULT_RE = re.compile(r"^(?:тысяч\w*|тыс|миллион\w*|млн)$")


def _ru_mult(word: str) -> int | None:
    if _RU_MULT_RE.match(word):
        return 1_000 if word.startswith("тыс") else 1_000_000
    return None


def _word_value(word: str) -> int | None:
    w = word.lower().replace("ё", "е") if word else word
    if w in _EN_UNITS:
        return _EN_UNITS[w]
    return _RU_UNITS.get(w, _RU_UNITS.get(word.lower()))


def _mult_value(word: str) -> int | None:
    w = word.lower()
    if w in ("thousand", "thousands") or w == "hundred":
        return {"thousand": 1_000, "thousands": 1_000, "hundred": 100}[w]
    if w in ("million", "millions", "mln"):
        return 1_000_000
    return _ru_mult(w)


# --- bounds ----------------------------------------------------------------------------------

_BOUND_BEFORE = [
    (
        "at_least",
        r"more than|over|at least|upwards of|in excess of|no fewer than|no less than|"
        r"not less than|well over|well above|above|exceeding|exceeded|surpassed|topped|passed|"
        r"превысил\w*|превышает|превышают|перевалил\w* за|"
        r"не менее чем|не менее|не меньше|более чем|более|больше|свыше|как минимум|"
        r"по меньшей мере|по крайней мере|минимум|уже более|уже свыше",
    ),
    (
        "at_most",
        r"up to|as many as|at most|fewer than|less than|under|no more than|not more than|"
        r"a maximum of|не более чем|не более|не больше|менее|меньше|максимум|вплоть до|до",
    ),
    (
        "approx",
        r"about|some|around|roughly|approximately|nearly|almost|an estimated|estimated|"
        r"close to|circa|c\.|~|около|порядка|примерно|приблизительно|почти|ориентировочно|"
        r"без малого|чуть более|чуть менее|чуть больше",
    ),
]
_BOUND_BEFORE_RE = [
    (b, re.compile(r"(?:^|(?<=[\s(«\"“]))(?:" + alts + r")\s*(?:of\s+)?$", re.IGNORECASE))
    for b, alts in _BOUND_BEFORE
]
_BOUND_AFTER_RE = [
    (
        "at_least",
        re.compile(
            r"^\s*(?:or more|and more|plus|\+|и более|или более|с лишним|и больше)\b", re.IGNORECASE
        ),
    ),
]
# "up to" / "до" are at_most; but "до" right after "от N" belongs to a range (handled first).

# --- token scanning --------------------------------------------------------------------------

# A digit group: "1,351" "1 351" "20 000" "1.5" "1,5" "1351". Spaces inside a number are
# only taken as thousands separators when followed by exactly three digits.
_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:(?:,|\u00a0|\u202f|\u2009| )\d{3})+(?![\d])|\d+(?:[.,]\d+)?)(?![\w])"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|\S")

_VAGUE = [
    (r"tens of thousands", 10_000),
    (r"hundreds of thousands", 100_000),
    (r"(?:several|a few) hundred thousand", 200_000),
    (r"(?:several|a few) thousand", 2_000),
    (r"thousands", 1_000),
    (r"hundreds", 100),
    (r"dozens", 24),
    (r"десят(?:ки|ков|кам|ками|ках) тысяч", 10_000),
    (r"сот(?:ни|ен|ням|нями|нях) тысяч", 100_000),
    (r"нескольк(?:о|их|им|ими) сот(?:ен|ни|ням|нями|нях)? тысяч", 200_000),
    (r"нескольк(?:о|их|им|ими) тысяч", 2_000),
    (r"тысяч(?:и|ам|ами|ах)", 1_000),
    (r"сот(?:ни|ен|нями|нях)", 100),
    (r"десятк(?:и|ов|ами|ах)", 20),
]
_VAGUE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(f"({p})" for p, _ in _VAGUE) + r")(?!\w)", re.IGNORECASE
)

_MONTHS_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
).split()


@dataclass(frozen=True)
class Quantity:
    """A number found in text: its span, its value (or range) and its bound."""

    start: int  # span of the number itself (with multiplier words)
    end: int
    value: int | None
    bound: str  # exact / at_least / at_most / approx / range
    low: int | None = None
    high: int | None = None
    bound_start: int | None = None  # where a bound phrase before it starts
    vague: str | None = None  # the words of a vague amount ("tens of thousands")
    digits_only: bool = False  # plain digits without separator or multiplier (year-like)
    text: str = ""

    @property
    def full_start(self) -> int:
        return self.bound_start if self.bound_start is not None else self.start


def _parse_digits(s: str) -> float:
    t = re.sub(r"[\u00a0\u202f\u2009 ]", "", s)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        return float(t.replace(",", ""))
    return float(t.replace(",", "."))


def _raw_quantities(text: str) -> list[Quantity]:
    """Numbers (digits or words, with multipliers) and vague amounts, without bounds."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _VAGUE_RE.finditer(text):
        # "тысячи" right after a number is a multiplier, not a vague amount
        before = text[: m.start()].rstrip()
        if re.search(
            r"(?:\d|\b(?:" + "|".join(_RU_UNITS) + r"))$", before, re.IGNORECASE
        ) and m.group(0).lower().startswith("тысяч"):
            continue
        idx = next(i for i, g in enumerate(m.groups()) if g)
        if m.group(0).lower() == "тысячи" and re.search(
            r"(?:^|\s)(?:до|около|более|свыше|менее|почти|порядка|с|от)\s*$", before + " "
        ):
            # «до тысячи», «около тысячи»: the genitive of "one thousand", not "thousands"
            out.append(Quantity(m.start(), m.end(), 1000, "exact", text=m.group(0)))
            taken.append((m.start(), m.end()))
            continue
        out.append(
            Quantity(
                m.start(), m.end(), _VAGUE[idx][1], "at_least", vague=m.group(0), text=m.group(0)
            )
        )
        taken.append((m.start(), m.end()))
    # digits (with an optional multiplier word after)
    pos = 0
    while True:
        found = _NUM.search(text, pos)
        if found is None:
            break
        m = found
        pos = m.end()
        if any(a <= m.start() < b for a, b in taken):
            continue
        s = m.group(1)
        # "September 21 150": do not glue a day to the next group
        if re.search(r"[ \u00a0]", s):
            prev = re.search(r"(\w+)\s*$", text[: m.start()])
            if prev and prev.group(1).lower() in _MONTHS_WORDS:
                s = re.split(r"[ \u00a0]", s)[0]
                pos = m.start() + len(s)
        end = m.start() + len(s)
        try:
            val = _parse_digits(s)
        except ValueError:
            continue
        mult = 1
        after = re.match(r"\s*(тыс\.|млн\.|[^\W\d_]+)", text[end:])
        if after:
            mv = _mult_value(after.group(1).rstrip("."))
            if mv and mv >= 1000:
                mult = mv
                end += after.end()
        value = int(round(val * mult))
        digits_only = mult == 1 and re.fullmatch(r"\d+", s) is not None
        out.append(
            Quantity(
                m.start(), end, value, "exact", digits_only=digits_only, text=text[m.start() : end]
            )
        )
        taken.append((m.start(), end))
        pos = max(pos, end)
    # number words: a run of number words and multipliers ("forty thousand", «сорок тысяч»)
    for m in re.finditer(r"[^\W\d_]+", text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if _word_value(m.group(0)) is None and not (
            m.group(0).lower() in ("a", "one")
            and re.match(r"\s+(?:hundred|thousand|million)\b", text[m.end() :], re.I)
        ):
            continue
        q = _word_run(text, m.start())
        if q is not None:
            out.append(q)
            taken.append((q.start, q.end))
    out.sort(key=lambda q: q.start)
    return out


def _word_run(text: str, start: int) -> Quantity | None:
    pos, total, current, end, seen_mult, n_words = start, 0, 0, start, False, 0
    while True:
        m = re.match(r"[^\W\d_]+", text[pos:])
        if not m:
            break
        w = m.group(0)
        lw = w.lower()
        v = _word_value(w)
        mult = _mult_value(w)
        if lw == "a" and n_words == 0:
            current = 1
        elif v is not None:
            current += v
        elif lw == "hundred":
            current = max(current, 1) * 100
        elif mult:
            total += max(current, 1) * mult
            current = 0
            seen_mult = True
        elif lw == "and" and n_words > 0:
            nxt = re.match(r"\s+([^\W\d_]+)", text[pos + 3 :])
            if not (
                nxt and (_word_value(nxt.group(1)) is not None or nxt.group(1).lower() == "hundred")
            ):
                break
        else:
            break
        n_words += 1
        end = pos + len(w)
        sep = re.match(r"[\s-]+", text[end:])
        if not sep or "\n\n" in sep.group(0):
            break
        pos = end + sep.end()
    value = total + current
    if n_words == 0 or value == 0:
        return None
    # "one" alone is too often not a number ("one of the soldiers")
    if (
        n_words == 1
        and not seen_mult
        and text[start:end].lower() in ("one", "a", "один", "одна", "одно")
    ):
        return None
    return Quantity(start, end, value, "exact", text=text[start:end])


def _merge_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        if i + 1 < len(qs) and q.vague is None and qs[i + 1].vague is None:
            r = qs[i + 1]
            gap = text[q.end : r.start]
            before = text[max(0, q.start - 12) : q.start].lower()
            ok = False
            if re.fullmatch(r"\s*[-–—]\s*", gap):
                ok = True
            elif re.fullmatch(r"\s+(?:to|and)\s+", gap, re.I) and re.search(
                r"(?:between|from)\s+$", before
            ):
                ok = True
            elif re.fullmatch(r"\s+to\s+", gap, re.I):
                ok = True
            elif re.fullmatch(r"\s+до\s+", gap) and re.search(r"(?:^|\s)от\s+$", before):
                ok = True
            elif re.fullmatch(r"\s+и\s+", gap) and re.search(r"между\s+$", before):
                ok = True
            if ok and q.value is not None and r.value is not None:
                low, high = q.value, r.value
                # "40 to 60 thousand", «от 40 до 60 тысяч»: the multiplier is shared
                if low < high and q.digits_only and not r.digits_only and r.value >= 1000:
                    for mult in (1_000_000, 1_000):
                        if r.value % mult == 0 and low * mult < r.value * 10 and low < 1000:
                            low = low * mult
                            break
                if low < high:
                    lead = re.search(r"(?:between|from|между|от)\s+$", before, re.I)
                    start = q.start - (len(before) - lead.start()) if lead else q.start
                    out.append(
                        Quantity(
                            start,
                            r.end,
                            None,
                            "range",
                            low=low,
                            high=high,
                            text=text[start : r.end],
                        )
                    )
                    i += 2
                    continue
        out.append(q)
        i += 1
    return out


def _with_bound(text: str, q: Quantity) -> Quantity:
    if q.bound == "range":
        return q
    head = text[max(0, q.start - 40) : q.start]
    for bound, rx in _BOUND_BEFORE_RE:
        m = rx.search(head)
        if m and m.group(0).strip():  # the bound words sit right before the number
            return Quantity(
                q.start,
                q.end,
                q.value,
                bound,
                bound_start=q.start - (len(head) - m.start()),
                vague=q.vague,
                digits_only=q.digits_only,
                text=q.text,
            )
    for bound, rx in _BOUND_AFTER_RE:
        m = rx.match(text[q.end :])
        if m:
            return Quantity(
                q.start,
                q.end + m.end(),
                q.value,
                bound,
                vague=q.vague,
                digits_only=q.digits_only,
                text=text[q.start : q.end + m.end()],
            )
    return q


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` with its span, value or range, and bound."""
    return [_with_bound(text, q) for q in _merge_ranges(text, _raw_quantities(text))]


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a short phrase ("more than 40,000", «от 40 до 60 тысяч»)."""
    qs = find_quantities(text)
    return qs[0] if qs else None
