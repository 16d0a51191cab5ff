"""Benchmarks for reckon.names (run by hand; figures go to docs/benchmarks.md, section Names).

    .venv/bin/python bench/names_bench.py [recall|collisions|roundtrip|speed|wikidata|all] [--n 10000]

1. recall: Faker ru_RU and uk_UA full names (80% men, every part of one sex),
   romanised under each scheme; share whose three keys equal the Cyrillic original's.
2. collisions: distinct surnames one letter apart; share with the same family_key.
3. roundtrip: names put into the five oblique cases and parsed back; share exact.
4. speed: name_features, full names per second on one core (unique and repeated inputs).
5. wikidata: out-of-sample Latin/Russian token pairs (/work/shared/benchmarks/names).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from importlib import import_module
from pathlib import Path

import pandas as pd

from reckon.names import (
    SCHEMES,
    family_key,
    inflect_name,
    name_features,
    parse_name,
    romanise,
    token_key,
)
from reckon.names.case import OBLIQUE
from reckon.names.features import clear_cache

WIKIDATA = Path("/work/shared/benchmarks/names/wikidata_russian_name_tokens.tsv")


def _provider(locale: str):
    return import_module(f"faker.providers.person.{locale}").Provider


def faker_names(n: int, seed: int = 7) -> list[tuple[str, str, str, str, str]]:
    """(lang, sex, family, given, patronymic) drawn from Faker's lists, 80% men."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        loc, lang = (("ru_RU", "ru"), ("uk_UA", "uk"))[i % 2]
        P = _provider(loc)
        sex = "m" if rng.random() < 0.8 else "f"
        if sex == "m":
            fam = rng.choice(list(P.last_names_male))
            giv = rng.choice(list(P.first_names_male))
            pat = rng.choice(list(P.middle_names_male))
        else:
            fam = rng.choice(list(P.last_names_female))
            giv = rng.choice(list(P.first_names_female))
            pat = rng.choice(list(P.middle_names_female))
        out.append((lang, sex, fam, giv, pat))
    return out


def bench_recall(n: int) -> None:
    names = faker_names(n)
    parts = ("given_key", "patronymic_key", "family_key")
    hits: dict[str, Counter] = {s: Counter() for s in SCHEMES}
    total = 0
    misses: dict[str, list[str]] = {s: [] for s in SCHEMES}
    for lang, _sex, fam, giv, pat in names:
        orig = parse_name(f"{fam} {giv} {pat}")
        total += 1
        for s in SCHEMES:
            lat = romanise(f"{fam} {giv} {pat}", s, lang)
            p = parse_name(lat)
            all_ok = True
            for k in parts:
                ok = getattr(p, k) == getattr(orig, k)
                hits[s][k] += ok
                all_ok &= ok
            hits[s]["all"] += all_ok
            if not all_ok and len(misses[s]) < 5:
                misses[s].append(
                    f"{fam} {giv} {pat} -> {lat}: "
                    f"{[getattr(orig, k) for k in parts]} vs {[getattr(p, k) for k in parts]}"
                )
    print(f"## key recall, {total} Faker names (ru_RU+uk_UA, 80% men), romanised then parsed")
    print("| scheme | given | patronymic | family | all three |")
    print("|---|---|---|---|---|")
    agg = Counter()
    for s in SCHEMES:
        h = hits[s]
        agg.update(h)
        print(
            f"| {s} | {h['given_key'] / total:.4f} | {h['patronymic_key'] / total:.4f} | "
            f"{h['family_key'] / total:.4f} | {h['all'] / total:.4f} |"
        )
    m = total * len(SCHEMES)
    print(
        f"| all schemes | {agg['given_key'] / m:.4f} | {agg['patronymic_key'] / m:.4f} | "
        f"{agg['family_key'] / m:.4f} | {agg['all'] / m:.4f} |"
    )
    for s in SCHEMES:
        for x in misses[s][:3]:
            print(f"  miss [{s}] {x}", file=sys.stderr)


_SAME = {frozenset("её"), frozenset("єе")}


def _one_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        return len(diff) == 1 and frozenset(diff[0]) not in _SAME
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1 :] == a:
            return b[i] not in "ьъ'’"
    return False


def bench_collisions(_n: int) -> None:
    fams: set[str] = set()
    for loc in ("ru_RU", "uk_UA"):
        P = _provider(loc)
        fams.update(P.last_names_male)
    fams_l = sorted(fams)
    pairs = [
        (a, b)
        for i, a in enumerate(fams_l)
        for b in fams_l[i + 1 :]
        if _one_apart(a.lower(), b.lower())
    ]
    same = [(a, b) for a, b in pairs if family_key(a) == family_key(b)]
    print(
        f"## false collisions: {len(pairs)} pairs of distinct Faker surnames (ru_RU+uk_UA, male forms) one letter apart"
    )
    print(f"same family_key: {len(same)}/{len(pairs)} = {len(same) / max(len(pairs), 1):.4f}")
    print("  e.g. " + ", ".join(f"{a}/{b}" for a, b in same[:12]))
    if WIKIDATA.exists():
        # A larger real sample: distinct Russian name tokens of the Wikidata file, one letter apart
        # (via shared single-deletion variants), minus gender pairs (Марков/Маркова) and е/ё.
        words = sorted(
            {
                ln.split("\t")[1].replace(" ", "")
                for ln in WIKIDATA.read_text(encoding="utf-8").splitlines()
                if ln.count("\t") >= 2
            }
        )
        words = [w for w in words if len(w) >= 5 and w.isalpha()]
        buckets: dict[str, list[str]] = {}
        for w in words:
            for i in range(len(w)):
                buckets.setdefault(w[:i] + "_" + w[i + 1 :], []).append(w)
            buckets.setdefault(w, []).append(w)
        wp: set[tuple[str, str]] = set()
        for ws in buckets.values():
            if len(ws) < 2 or len(ws) > 50:
                continue
            for i, a in enumerate(ws):
                for b in ws[i + 1 :]:
                    x, y = sorted((a, b))
                    if x != y and _one_apart(x, y) and y != x + "а" and x != y + "а":
                        wp.add((x, y))
        for w in words:  # deletions: w and w minus one letter
            for i in range(len(w)):
                v = w[:i] + w[i + 1 :]
                if v in buckets and v != w and _one_apart(v, w) and w != v + "а":
                    wp.add(tuple(sorted((v, w))))  # type: ignore[arg-type]
        wsame = sum(family_key(a) == family_key(b) for a, b in wp)
        print(
            f"Wikidata Russian name tokens one letter apart (gender pairs excluded): "
            f"{wsame}/{len(wp)} = {wsame / max(len(wp), 1):.4f} share the family_key"
        )

        def _doubling(a: str, b: str) -> bool:
            x, y = (a, b) if len(a) < len(b) else (b, a)
            return len(y) == len(x) + 1 and any(
                y[:i] + y[i + 1 :] == x and i and y[i] == y[i - 1] for i in range(len(y))
            )

        nd = [(a, b) for a, b in wp if not _doubling(a, b)]
        ndsame = sum(family_key(a) == family_key(b) for a, b in nd)
        print(
            f"  without doubled-letter variants (Абдула/Абдулла, which the key merges on purpose): "
            f"{ndsame}/{len(nd)} = {ndsame / max(len(nd), 1):.4f}"
        )
    # Synthetic near misses: replace one letter of a real surname by another letter.
    rng = random.Random(11)
    letters = "абвгдежзийклмнопрстуфхцчшщыэюя"
    n_syn = 0
    syn_same = 0
    for fam in fams_l:
        for _ in range(10):
            w = fam.lower()
            i = rng.randrange(len(w))
            c = rng.choice(letters)
            if c == w[i] or frozenset((c, w[i])) in _SAME:
                continue
            other = w[:i] + c + w[i + 1 :]
            n_syn += 1
            syn_same += family_key(other) == family_key(w)
    print(
        f"synthetic one-letter substitutions (10 per surname): {syn_same}/{n_syn} = {syn_same / n_syn:.4f} share the key"
    )
    extra = [
        ("Пашков", "Машков"),
        ("Сидоров", "Сидорин"),
        ("Петров", "Петриков"),
        ("Иванов", "Ивашов"),
    ]
    print(
        "  named pairs: "
        + ", ".join(
            f"{a}/{b} {'SAME' if family_key(a) == family_key(b) else 'differ'}" for a, b in extra
        )
    )


def bench_roundtrip(n: int) -> None:
    names = [x for x in faker_names(n * 2) if x[0] == "ru"][:n]
    exact = 0
    tot = 0
    per_case = Counter()
    per_case_tot = Counter()
    fails: list[str] = []
    for _lang, sex, fam, giv, pat in names:
        for case in OBLIQUE:
            g, p, f = inflect_name(giv, pat, fam, sex, case)
            res = parse_name(f"{g} {p} {f}")
            ok = (res.given, res.patronymic, res.family) == (giv, pat, fam)
            exact += ok
            tot += 1
            per_case[case] += ok
            per_case_tot[case] += 1
            if not ok and len(fails) < 12:
                fails.append(
                    f"{case}: {g} {p} {f} -> {res.given} {res.patronymic} {res.family} (want {giv} {pat} {fam})"
                )
    print(
        f"## nominative round trip: {len(names)} Faker ru_RU names x 5 oblique cases, written «Имя Отчество Фамилия»"
    )
    print(f"exact full names: {exact}/{tot} = {exact / tot:.4f}")
    print("per case: " + ", ".join(f"{c} {per_case[c] / per_case_tot[c]:.4f}" for c in OBLIQUE))
    ok2 = 0
    for _lang, sex, fam, giv, pat in names:
        for case in OBLIQUE:
            g, p, f = inflect_name(giv, pat, fam, sex, case)
            res = parse_name(f"{f} {g} {p}")
            ok2 += (res.given, res.patronymic, res.family) == (giv, pat, fam)
    print(f"same names written «Фамилия Имя Отчество»: {ok2}/{tot} = {ok2 / tot:.4f}")
    for x in fails:
        print("  fail " + x, file=sys.stderr)


def bench_speed(n: int) -> None:
    names = faker_names(max(n, 20000), seed=3)
    full = [f"{f} {g} {p}" for _l, _s, f, g, p in names]
    rng = random.Random(5)
    # unique: Faker names plus a number-free random suffix letter pattern so every row differs
    uniq = list(dict.fromkeys(full))
    df_u = pd.DataFrame({"full_name": uniq})
    clear_cache()
    t = time.perf_counter()
    name_features(df_u)
    dt = time.perf_counter() - t
    print(
        f"## speed (one core): name_features on {len(df_u)} distinct full names, cold caches: "
        f"{len(df_u) / dt:,.0f} names/s ({dt:.2f} s)"
    )
    t = time.perf_counter()
    name_features(df_u)
    dt = time.perf_counter() - t
    print(f"same {len(df_u)} names again (warm cache): {len(df_u) / dt:,.0f} names/s")
    more = list(
        dict.fromkeys(f"{f} {g} {p}" for _l, _s, f, g, p in faker_names(max(n, 20000) * 2, seed=4))
    )
    fresh = [x for x in more if x not in set(uniq)][:20000]
    t = time.perf_counter()
    name_features(pd.DataFrame({"full_name": fresh}))
    dt = time.perf_counter() - t
    print(
        f"{len(fresh)} further distinct names, their words mostly seen already: {len(fresh) / dt:,.0f} names/s"
    )
    pool = uniq[:5000]
    rep = [rng.choice(pool) for _ in range(200_000)]
    clear_cache()
    t = time.perf_counter()
    name_features(pd.DataFrame({"full_name": rep}))
    dt = time.perf_counter() - t
    print(
        f"200,000 rows drawn from 5,000 distinct names, cold caches: {200_000 / dt:,.0f} names/s ({dt:.2f} s)"
    )


def bench_wikidata(_n: int) -> None:
    if not WIKIDATA.exists():
        print("wikidata file not found; skipped")
        return
    n = w = 0
    meet = wmeet = 0
    for line in WIKIDATA.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        lat, ru, cnt = cols[0], cols[1].replace(" ", ""), int(cols[2])
        ok = token_key(lat) == token_key(ru)
        n += 1
        w += cnt
        meet += ok
        wmeet += ok * cnt
    print(
        f"## out-of-sample: Wikidata Latin/Russian token pairs: keys meet for {meet}/{n} = {meet / n:.4f} "
        f"of distinct pairs, {wmeet / w:.4f} weighted by count"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="?", default="all")
    ap.add_argument("--n", type=int, default=10000)
    a = ap.parse_args()
    benches = {
        "recall": bench_recall,
        "collisions": bench_collisions,
        "roundtrip": bench_roundtrip,
        "speed": bench_speed,
        "wikidata": bench_wikidata,
    }
    for name, fn in benches.items():
        if a.what in (name, "all"):
            fn(a.n if name != "roundtrip" else min(a.n, 2000))
            print()


if __name__ == "__main__":
    main()
