"""The packaged dictionary of parties and claimants (``data/lexicon.json``) and its matchers.

Whose losses a number is about, and who says so, decide what a claim means: a
ministry about its own side is ``self``, about the other side ``adversary``, a
government not at war ``third_party_government``. The dictionary maps the ways
news text names parties ("Russian", «ВСУ», "Kyiv") and claimants ("Минобороны
России", "Mediazona", "UK Ministry of Defence") to canonical names, parties and
kinds. It is data so a newsroom can extend it without touching code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Prepositions after which a country name is a place ("in Ukraine", «на Украине»), not a party.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|into|inside|against|with|across|to|from|over|on|throughout)|"
    r"(?<!\w)(?:на|в|во|против|с|со|по|из|к|по всей))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # canonical party or claimant name


@dataclass(frozen=True)
class ClaimantEntry:
    name: str
    party: str | None
    kind: str  # government / intelligence / independent_count / statistical_estimate / media
    role: str | None
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Lexicon:
    belligerents: tuple[str, ...]
    parties: dict[str, tuple[re.Pattern[str], ...]]
    claimants: tuple[ClaimantEntry, ...]
    leak_cues: tuple[re.Pattern[str], ...]
    statistical_cues: tuple[re.Pattern[str], ...]

    def party_mentions(self, text: str, *, skip_locative: bool = True) -> list[Mention]:
        """Every party named in ``text`` (places after "in"/«на» left out)."""
        out: list[Mention] = []
        for party, pats in self.parties.items():
            for rx in pats:
                for m in rx.finditer(text):
                    if skip_locative and _LOCATIVE.search(text[max(0, m.start() - 20) : m.start()]):
                        continue
                    out.append(Mention(m.start(), m.end(), party))
        out.sort(key=lambda x: (x.start, -x.end))
        return _no_overlap(out)

    def claimant_mentions(self, text: str) -> list[tuple[Mention, ClaimantEntry]]:
        out: list[tuple[Mention, ClaimantEntry]] = []
        for entry in self.claimants:
            for rx in entry.patterns:
                for m in rx.finditer(text):
                    out.append((Mention(m.start(), m.end(), entry.name), entry))
        out.sort(key=lambda x: (x[0].start, -x[0].end))
        kept: list[tuple[Mention, ClaimantEntry]] = []
        for item in out:
            if kept and item[0].start < kept[-1][0].end:
                continue
            kept.append(item)
        return kept

    def entry(self, name: str) -> ClaimantEntry | None:
        return next((e for e in self.claimants if e.name == name), None)

    def other_belligerent(self, party: str | None) -> str | None:
        if party in self.belligerents and len(self.belligerents) == 2:
            return next(b for b in self.belligerents if b != party)
        return None

    def has_leak_cue(self, text: str) -> bool:
        return any(rx.search(text) for rx in self.leak_cues)

    def has_statistical_cue(self, text: str) -> bool:
        return any(rx.search(text) for rx in self.statistical_cues)

    def claimant_kind(
        self, base_kind: str | None, claimant_party: str | None, party: str | None, sentence: str
    ) -> str | None:
        """The issue's claimant kind from the claimant's base kind and whose losses are claimed."""
        if base_kind is None:
            return "intelligence_leak" if self.has_leak_cue(sentence) else None
        if self.has_leak_cue(sentence) and base_kind in ("government", "intelligence", "media"):
            return "intelligence_leak"
        if base_kind in ("government", "intelligence"):
            if claimant_party is None:
                return None
            if claimant_party not in self.belligerents:
                return "third_party_government"
            if party == claimant_party:
                return "self"
            return "adversary"
        if base_kind in ("independent_count", "media") and self.has_statistical_cue(sentence):
            return "statistical_estimate"
        return base_kind


def _no_overlap(ms: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for m in ms:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p)


def lexicon_from_dict(data: dict[str, Any]) -> Lexicon:
    return Lexicon(
        belligerents=tuple(data.get("belligerents", ())),
        parties={k: tuple(_compile(p) for p in v) for k, v in data.get("parties", {}).items()},
        claimants=tuple(
            ClaimantEntry(
                c["name"],
                c.get("party"),
                c["kind"],
                c.get("role"),
                tuple(_compile(p) for p in c["patterns"]),
            )
            for c in data.get("claimants", ())
        ),
        leak_cues=tuple(_compile(p) for p in data.get("leak_cues", ())),
        statistical_cues=tuple(_compile(p) for p in data.get("statistical_cues", ())),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged dictionary (loaded once)."""
    raw = resources.files("reckon.claims").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    return lexicon_from_dict(json.loads(raw))
