"""Render :class:`~reckon.report.data.ReportData` and its charts as one HTML page.

One file, inline CSS and SVG, no script and no external resource: a report is
published, archived and opened offline, and must look the same years later.
The page follows what the Every Casualty *Standards for Casualty Recording*
(2016) ask a published count to show: the sources and their kinds, the rules of
inclusion, how records were matched and how well, what people decided by hand,
and what is not known.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from html import escape
from typing import TYPE_CHECKING, Any

from reckon.report.charts import Chart, fmt_int
from reckon.report.data import ReportData, StoredEstimate

if TYPE_CHECKING:
    from reckon.claims.model import Claim
    from reckon.link.evaluate import LinkageAccuracy

#: Plain statements of what each method assumes (shown next to every estimate).
ASSUMPTIONS = {
    "petersen": (
        "Two lists. Closed population (the deaths happened before both lists were made); the lists are "
        "independent (appearing on one does not change the chance of appearing on the other); each death "
        "has the same chance of being on each list; records were linked correctly. Chapman's correction "
        "reduces small-sample bias. Positive dependence between the lists makes the estimate too low."
    ),
    "loglinear": (
        "Three or more lists. Closed population; dependence between lists is allowed for by the "
        "interaction terms of the chosen log-linear model (selected by an information criterion), on "
        "the untestable assumption that the highest-order interaction is absent; records were linked "
        "correctly. Different well-fitting models can give different totals, hence the runner-up models "
        "and the model-averaged figure."
    ),
    "lcmcr": (
        "Bayesian latent-class model (Manrique-Vallier 2016): deaths fall into unobserved groups with "
        "their own chances of being on each list, which absorbs differences in how findable people are; "
        "within a group the lists are independent. Closed population; prior on the total proportional to "
        "1/N; records were linked correctly. The interval is a 95% posterior interval."
    ),
    "chao": "A lower bound from the people seen on exactly one and exactly two lists; not an estimate of the total.",
}

#: What the excess estimate from registry counts assumes, by its method (docs/excess.md).
EXCESS_ASSUMPTIONS = {
    "control": (
        "Without the war, the men's share of the registry's counts in each age group would have "
        "followed its pre-war trend and season, so whatever moved women of the same ages (an "
        "epidemic, a change in the registry) moved men alike; the women's counts hold few war "
        "deaths (any there lower the estimate)."
    ),
    "baseline": (
        "Without the war, the counts would have followed their pre-war linear trend and season; "
        "nothing else changed mortality or the registry since (an epidemic after the war began "
        "would be counted as war deaths)."
    ),
    "coverage": (
        "War deaths reach the registry at the same rate as deaths did before the war (the "
        "coverage); deaths that leave no estate, and soldiers declared dead by a court only years "
        "later, are not in it, so the figure counts the deaths the registry can see."
    ),
}

CSS = """
:root{--ink:#222;--muted:#666;--line:#ddd;--accent:#1f5f8b;--warn:#d1495b;--bg:#fff;--soft:#f6f6f4}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 28px 60px}
header{border-bottom:3px solid var(--ink);padding-bottom:10px;margin-bottom:22px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:38px 0 10px;padding-top:8px;border-top:1px solid var(--line)}
h3{font-size:16px;margin:20px 0 6px}
.sub{color:var(--muted);font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:14px;margin:10px 0}
.card{background:var(--soft);border-left:4px solid var(--accent);padding:12px 14px}
.card.est{border-left-color:var(--warn)}
.card .label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .big{font-size:30px;font-weight:700;line-height:1.15;margin:4px 0}
.card .small{font-size:13px;color:var(--muted)}
.claims-cards .card{border-left-color:#8d6a9f}
.claims-cards .big{font-size:22px}
figure{margin:14px 0 22px}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
figure svg{display:block}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 16px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e5;border-left:4px solid #edae49;padding:8px 12px;margin:10px 0;font-size:14px}
.missing{background:#fdeff1;border-left:4px solid var(--warn);padding:8px 12px;margin:10px 0;font-size:14px}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
ul.unknowns li{margin-bottom:4px}
table.claims td:nth-child(1),table.claims td:nth-child(6){white-space:nowrap}
table.claims td:last-child{min-width:150px}
.tw{overflow-x:auto;max-width:100%}
.grid2{display:grid;grid-template-columns:1fr;gap:8px}
footer{margin-top:40px;border-top:1px solid var(--line);padding-top:10px;font-size:12.5px;color:var(--muted)}
@media print{h2{break-before:auto}figure,table{break-inside:avoid}}
"""


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _interval(est: StoredEstimate) -> str:
    if est.lower is None or est.upper is None:
        return "no interval"
    return f"{round(100 * est.level)}% interval {fmt_int(est.lower)}–{fmt_int(est.upper)}"


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: Sequence[int] = (),
    cls: str = "",
) -> str:
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            if isinstance(v, Raw):
                cells.append(f"<td>{v.html}</td>")
            elif i in numeric:
                cells.append(
                    f'<td class="num">{fmt_int(v) if isinstance(v, (int, float)) else _e(v)}</td>'
                )
            else:
                cells.append(f"<td>{_e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="tw"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
    )


class Raw:
    """Markup already escaped by this module (links), passed through a table cell as is."""

    def __init__(self, html: str) -> None:
        self.html = html


def _link(url: str | None, text: str | None = None) -> Raw | str:
    if not url:
        return text or ""
    if not str(url).startswith(("http://", "https://")):
        return f"{text or url}"
    return Raw(f'<a href="{_e(url)}" rel="noopener">{_e(text or url)}</a>')


def _figure(chart: Chart, caption: str) -> str:
    return f'<figure id="chart-{chart.name}" class="chart">{chart.svg}<figcaption>{caption}</figcaption></figure>'


def _claim_value(c: Claim) -> str:
    if c.statement_kind == "non_disclosure" or (c.value is None and c.low is None):
        return "does not disclose"
    if c.value is None:
        return f"{fmt_int(c.low)}–{fmt_int(c.high)}"
    prefix = {"at_least": "at least ", "at_most": "at most ", "approx": "about "}.get(
        c.bound or "", ""
    )
    return prefix + fmt_int(c.value)


def _kind(k: str | None) -> str:
    return (k or "other").replace("_", " ")


# --------------------------------------------------------------------------- sections


def _headline(d: ReportData) -> str:
    unit = d.unit
    n = d.n_people if d.n_people is not None else d.n_records
    cards = [
        f'<div class="card" id="headline-documented"><div class="label">{_e(unit)} documented</div>'
        f'<div class="big">{fmt_int(n)}</div><div class="small">from {fmt_int(d.n_records)} records in '
        f"{len(d.sources)} source{'s' if len(d.sources) != 1 else ''}</div></div>"
    ]
    est = d.headline_estimate
    if est is not None:
        cards.append(
            f'<div class="card est" id="headline-estimate"><div class="label">estimated total (documented and not)</div>'
            f'<div class="big">{fmt_int(est.estimate)}</div><div class="small">{_e(_interval(est))}; '
            f"method: {_e(est.method)}, {len(est.lists)} lists"
            + _linkage_note(est)
            + (
                "<br><strong>made before the latest linkage run: re-run <code>reckon estimate</code></strong>"
                if est.stale
                else ""
            )
            + "</div></div>"
        )
    else:
        cards.append(
            '<div class="card est" id="headline-estimate"><div class="label">estimated total</div>'
            '<div class="big">–</div><div class="small">no estimate stored yet (run <code>reckon estimate</code>)'
            "</div></div>"
        )
    out = [
        '<section id="headline"><h2>Headline figures</h2><div class="cards">'
        + "".join(cards)
        + "</div>"
    ]
    if d.latest_claims:
        cc = []
        for c in d.latest_claims:
            cc.append(
                f'<div class="card"><div class="label">latest claim: {_e(_kind(c.claimant_kind))}</div>'
                f'<div class="big">{_e(_claim_value(c))}</div><div class="small">{_e(_kind(c.measure))}, '
                f"{_e(c.party)}; {_e(c.claimant)}, as of {_e(c.as_of)}</div></div>"
            )
        out.append(
            '<h3>Latest claims of each kind</h3><div class="cards claims-cards">'
            + "".join(cc)
            + "</div>"
        )
        out.append(
            '<p class="sub">Claims are reported as stated by their claimants; their definitions differ '
            "(see the claims table). They are not reckon's findings.</p>"
        )
    out.append("</section>")
    return "".join(out)


def _linkage_note(est: StoredEstimate) -> str:
    """The headline's decomposition: the interval with linkage fixed and linkage's share."""
    lk = est.linkage
    if lk is None:
        return ""
    if lk.mode != "averaged":
        return "<br>linkage taken as certain" + (f" ({_e(lk.reason)})" if lk.reason else "")
    share = lk.linkage_share
    return (
        f'<br><span id="linkage-decomposition">interval includes linkage uncertainty '
        f"({lk.draws} linkage draws, {fmt_int(lk.undecided_pairs)} undecided pairs); "
        f"with linkage taken as certain: {fmt_int(lk.fixed_estimate)} "
        f"({fmt_int(lk.fixed_lower)}–{fmt_int(lk.fixed_upper)})"
        + (
            f"; {round(100 * float(share))}% of the variance comes from linkage"
            if share is not None
            else ""
        )
        + "</span>"
    )


def _models(d: ReportData, chart: Chart | None) -> str:
    if not d.models:
        return ""
    rows = [[m.model, m.estimate, m.lower, m.upper, m.linkage] for m in d.models]
    out = [
        '<h3 id="model-dependence">Does the answer hang on the model?</h3>',
        "<p>The estimate of every defensible model stored for this casebook, side by side. Where "
        "their intervals overlap, the choice of model matters little; where they do not, it does.</p>",
        _table(["model", "estimate", "lower", "upper", "linkage"], rows, numeric=(1, 2, 3)),
    ]
    if d.models_warning:
        out.append(f'<p class="warning"><strong>Warning:</strong> {_e(d.models_warning)}.</p>')
    if chart is not None:
        out.append(
            _figure(
                chart,
                "Each model's estimate of the total (dot) and its interval (line); the dashed line "
                "is the number documented.",
            )
        )
    return "".join(out)


def _estimates(d: ReportData, models_chart: Chart | None = None) -> str:
    out = ['<section id="estimates"><h2>Estimates</h2>']
    if not d.estimates:
        out.append(
            '<p class="missing">No estimate has been stored. Run <code>reckon estimate</code> after linking; '
            "multiple systems estimation needs at least two independent lists.</p></section>"
        )
        return "".join(out)
    rows = []
    for e in d.estimates:
        notes = []
        if e.estimate is None:
            notes.append("not estimable" + (f": {e.reason}" if e.reason else ""))
        elif e.reason:
            notes.append(e.reason)
        if e.model:
            notes.append(f"model {e.model}")
        if e.model_average is not None:
            notes.append(f"model-averaged {fmt_int(e.model_average)}")
        if e.chao is not None:
            notes.append(f"Chao lower bound {fmt_int(e.chao)}")
        if e.rhat is not None:
            notes.append(
                f"R-hat {e.rhat:.3f}, bulk ESS {fmt_int(e.ess)}"
                + (f", tail ESS {fmt_int(e.ess_tail)}" if e.ess_tail is not None else "")
            )
        lk = e.linkage
        if lk is not None and lk.mode == "averaged":
            share = lk.linkage_share
            notes.append(
                f"averaged over {lk.draws} linkage draws; linkage fixed: "
                f"{fmt_int(lk.fixed_estimate)} ({fmt_int(lk.fixed_lower)}–{fmt_int(lk.fixed_upper)})"
                + (
                    f", {round(100 * float(share))}% of variance from linkage"
                    if share is not None
                    else ""
                )
            )
        notes += list(e.warnings)
        if e.stratum is not None:
            stratum = f"{e.stratified_by or 'stratum'} = {e.stratum}"
        elif e.stratified_by:
            stratum = f"all (sum over {e.stratified_by})"
        else:
            stratum = "all"
        rows.append(
            [
                stratum,
                e.method,
                ", ".join(e.lists),
                e.observed,
                e.estimate,
                e.lower,
                e.upper,
                f"{round(100 * e.level)}%",
                (e.created_at or "")[:10],
                "; ".join(notes),
            ]
        )
    list_sets = {e.lists for e in d.estimates}
    if len(list_sets) == 1:  # the usual case: say the lists once, not on every row
        out.append(
            f"<p>Every estimate below uses the same {len(next(iter(list_sets)))} lists: "
            f"{_e(', '.join(next(iter(list_sets))))}.</p>"
        )
        rows = [r[:2] + r[3:] for r in rows]
        headers = [
            "stratum",
            "method",
            "observed",
            "estimate",
            "lower",
            "upper",
            "level",
            "run",
            "notes",
        ]
        out.append(_table(headers, rows, numeric=(2, 3, 4, 5)))
    else:
        out.append(
            _table(
                [
                    "stratum",
                    "method",
                    "lists",
                    "observed",
                    "estimate",
                    "lower",
                    "upper",
                    "level",
                    "run",
                    "notes",
                ],
                rows,
                numeric=(3, 4, 5, 6),
            )
        )
    out.append(_models(d, models_chart))
    methods = sorted({e.method for e in d.estimates})
    out.append("<h3>What each method assumes</h3><ul>")
    for m in methods:
        text = ASSUMPTIONS.get(m.split("_")[0].lower(), "See docs/estimate.md.")
        out.append(f"<li><strong>{_e(m)}</strong>: {_e(text)}</li>")
    out.append(
        '</ul><p class="sub">All methods assume that linkage merged the records of one person and only '
        "those: a missed link inflates the count of people seen on one list only and so the estimate; a "
        "false merge deflates it. An estimate marked <em>averaged over linkage draws</em> was repeated on "
        "clusterings drawn from the linkage model's match probabilities (reviewers' decisions fixed) and "
        "pooled, so its interval carries what the linkage does not know.</p></section>"
    )
    return "".join(out)


def _excess(d: ReportData, charts: dict[str, Chart]) -> str:
    x = d.excess
    if x is None:
        return ""
    r = x["result"]
    reg = x["registry"]
    pct = round(100 * float(r.get("level") or 0.95))
    cov = r.get("coverage") or {}
    base = r.get("baseline_periods") or {}
    out = [
        '<section id="excess"><h2>Excess deaths from registry counts</h2>',
        '<p class="sub">A second count that does not rest on the lists: deaths recorded by a '
        "registry kept for another purpose, above what the years before the war predict, divided "
        "by the share of deaths the registry records. See docs/excess.md for the method.</p>",
    ]
    if x.get("stale"):
        out.append(
            '<p class="note">The registry has a newer version than this estimate was made from: '
            "re-run <code>reckon excess estimate</code>.</p>"
        )
    out.append(
        '<div class="cards"><div class="card est" id="excess-estimate"><div class="label">'
        f"excess deaths, sex {_e(r.get('sex'))}, ages {_e(r.get('ages'))}</div>"
        f'<div class="big">{fmt_int(r.get("excess"))}</div><div class="small">{pct}% interval '
        f"{fmt_int(r.get('lower'))}–{fmt_int(r.get('upper'))}; {_e(r.get('since'))} to "
        f"{_e(r.get('until'))}; method: {_e(r.get('method'))}</div></div>"
        '<div class="card"><div class="label">named in the lists (same sex, ages, period)</div>'
        f'<div class="big">{fmt_int(x.get("named_total"))}</div><div class="small">'
        f"{_e(x.get('named_unit'))} whose sex, age and month of death are known</div></div></div>"
    )
    if "excess" in charts:
        out.append(
            _figure(
                charts["excess"],
                f"Each bar is one period's excess deaths (observed minus expected registry counts, "
                f"divided by the coverage); the band is its {pct}% interval. The cumulative figure "
                "with its interval is drawn on the timeline above, beside the lists, the estimates "
                "and the claims.",
            )
        )
    named = {a["age"]: a["named"] for a in x.get("named_by_age") or []}
    rows = []
    for g in r.get("groups") or []:
        share = (
            f"{100 * named.get(g['age'], 0) / g['excess']:.0f}%"
            if (g.get("excess") or 0) > 0
            else "–"
        )
        rows.append(
            [
                g["age"],
                g.get("method"),
                g.get("observed"),
                g.get("expected"),
                f"{float(g.get('coverage') or 0):.3f}",
                g.get("excess"),
                f"{fmt_int(g.get('lower'))}–{fmt_int(g.get('upper'))}",
                named.get(g["age"], 0),
                share,
            ]
        )
    out.append("<h3>By age group, beside the named dead</h3>")
    out.append(
        _table(
            [
                "age",
                "method",
                "registry: observed",
                "expected",
                "coverage",
                "excess deaths",
                f"{pct}% interval",
                "named",
                "named / excess",
            ],
            rows,
            numeric=(2, 3, 5, 7),
        )
    )
    out.append(
        '<p class="sub">"Named" counts the people of the lists (or records, before linkage) of this '
        "sex whose age at death falls in the group and who died in the period; people whose sex, "
        "age or month of death is unknown cannot be placed, so the share is a lower bound. "
        "<code>reckon excess compare --months</code> gives the same by month.</p>"
    )
    named_m = {m["month"]: m["named"] for m in x.get("named_by_month") or []}
    month_rows = [
        [
            m["month"],
            named_m.get(m["month"], 0),
            m.get("excess"),
            f"{fmt_int(m.get('lower'))}–{fmt_int(m.get('upper'))}",
        ]
        for m in r.get("months") or []
    ]
    if month_rows:
        out.append("<h3>By month, beside the named dead</h3>")
        out.append(
            _table(
                ["month", "named", "excess deaths", f"{pct}% interval"], month_rows, numeric=(1, 2)
            )
        )
    method = str(r.get("method") or "")
    items = [
        EXCESS_ASSUMPTIONS[m] for m in ("control", "baseline") if m in method or method == "mixed"
    ]
    items.append(EXCESS_ASSUMPTIONS["coverage"])
    out.append("<h3>How it was made and what it assumes</h3><ul>")
    name = _link(reg.get("url"), reg.get("name"))
    out.append(
        f"<li>Registry: {name.html if isinstance(name, Raw) else _e(name)} version "
        f"{_e(reg.get('version'))} "
        f"({_e(reg.get('file_name'))}, {_e(reg.get('frequency'))}ly {_e(reg.get('first_period'))} "
        f"to {_e(reg.get('last_period'))}, retrieved {_e(reg.get('retrieved_at') or 'date not given')}"
        f'; sha256 <span class="hash">{_e(str(reg.get("sha256") or "")[:16])}</span>…).</li>'
    )
    out.append(
        f"<li>Baseline: {_e(base.get('count'))} periods from {_e(base.get('first'))} to "
        f"{_e(base.get('last'))}, {'linear trend and ' if r.get('trend') else ''}"
        f"{_e(r.get('harmonics'))} Fourier pair(s) for the season; "
        f"interval from {fmt_int(r.get('n_draws'))} simulations (parameters, counts, coverage).</li>"
    )
    out.append(
        f"<li>Coverage {float(cov.get('value') or 0):.3f} ({_e(cov.get('source'))}): "
        f"{_e(cov.get('assumption'))}.</li>"
    )
    out += [f"<li>{_e(t)}</li>" for t in items]
    out += [f"<li>Warning: {_e(w)}</li>" for w in r.get("warnings") or []]
    out.append("</ul></section>")
    return "".join(out)


def _claims(d: ReportData) -> str:
    out = ['<section id="claims"><h2>Claims</h2>']
    if not d.claims:
        out.append(
            '<p class="missing">No claims recorded. Add them with <code>reckon claims add</code> or '
            "<code>reckon claims extract FILE --add</code>.</p></section>"
        )
        return "".join(out)
    rows = []
    for c in d.claims:
        defin = ", ".join(
            x for x in [_kind(c.measure) if c.measure else None, c.forces_included] if x
        )
        period = "–".join(x for x in [c.period_start, c.period_end] if x)
        src = _link(c.source_url, c.publisher or c.source_url)
        status = c.status + ("" if c.confirmed else " (unconfirmed)")
        rows.append(
            [
                c.as_of,
                c.claimant,
                _kind(c.claimant_kind),
                c.party,
                defin,
                _claim_value(c),
                period,
                src,
                c.published_on,
                status,
                c.quote,
            ]
        )
    headers = [
        "as of",
        "claimant",
        "kind",
        "whose losses",
        "definition",
        "value",
        "period",
        "source",
        "published",
        "status",
        "quoted",
    ]
    if not any(r[6] for r in rows):  # no claim gives a period: leave the empty column out
        headers = headers[:6] + headers[7:]
        rows = [r[:6] + r[7:] for r in rows]
    out.append(_table(headers, rows, cls="claims"))
    out.append(
        '<p class="sub">"As of" is the date the figure refers to, which may precede publication.</p></section>'
    )
    return "".join(out)


def _people(d: ReportData) -> str:
    if not d.include_names:
        return ""
    n = d.n_people if d.n_people is not None else d.n_records
    rows = [[p.name, p.death, p.region, p.status, ", ".join(p.sources)] for p in d.people]
    more = (
        f" (first {len(rows):,} of {n:,} by name; `reckon export people` writes all)"
        if len(rows) < n
        else ""
    )
    return (
        '<section id="people"><h2>People documented</h2>'
        '<p class="note">This report was written with <code>--include-names</code>: it contains personal data. '
        f'Publish it only under your team\'s policy for the families and the named.</p><p class="sub">{_e(more)}</p>'
        + _table(["name", "death", "region", "status", "sources"], rows)
        + "</section>"
    )


def _methodology(d: ReportData, linkage_quality: LinkageAccuracy | None) -> str:
    out = [
        '<section id="methodology"><h2>Methodology</h2>',
        '<p class="sub">Following the Every Casualty <em>Standards for Casualty Recording</em> (2016): sources, '
        "inclusion rules, how records were matched and how well, decisions made by people, and what is not known."
        "</p>",
        '<h3 id="sources">Sources</h3>',
    ]
    rows = []
    for s in d.sources:
        rows.append(
            [
                _link(s.url, s.name),
                s.kind,
                s.publisher,
                f"{s.file_name} (v{s.version} of {s.n_versions})",
                (s.retrieved_at or s.ingested_at or "")[:10],
                s.rows_read,
                s.rows_stored,
                s.rows_quarantined,
                s.people,
                Raw(
                    f'<span class="hash" title="{_e(s.sha256)}">{_e((s.sha256 or "")[:12])}</span>'
                ),
            ]
        )
    out.append(
        _table(
            [
                "source (link)",
                "kind",
                "publisher",
                "file (version)",
                "retrieved",
                "rows read",
                "records",
                "quarantined",
                d.unit,
                "file sha256",
            ],
            rows,
            numeric=(5, 6, 7, 8),
        )
    )
    kinds: dict[str, int] = {}
    for s in d.sources:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    out.append(
        '<p class="sub">Source kinds: '
        + _e(", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        + ".</p>"
    )

    status = ", ".join(f"{k} {fmt_int(v)}" for k, v in d.status_counts) or "none"
    threshold = d.link.threshold if d.link else None
    out.append(
        '<h3 id="inclusion">Inclusion rules</h3><ul>'
        "<li>Every record of the newest version of every source is included; older versions are kept in the "
        "casebook but not counted.</li>"
        "<li>A source row that cannot be read into a record (no name and no identifier, unreadable row) is "
        f"quarantined with its reason and not counted: {fmt_int(d.n_quarantined)} rows here.</li>"
        + (
            f"<li>Records are merged into one person when the linkage model gives a match probability of at least "
            f"{_e(threshold)}, or a reviewer accepted the pair; a reviewer's rejection always keeps them apart.</li>"
            if d.link
            else "<li>Records have not been linked yet: each record counts once.</li>"
        )
        + f"<li>People are counted whatever status their sources give; by status: {_e(status)}. A person's status "
        "is the most definite one any source gives (killed, then missing, wounded, unknown).</li>"
        "<li>A person's month of death is the earliest month- or day-precise date in their records; their region "
        "is the one most of their records give.</li></ul>"
    )

    out.append('<h3 id="linkage">Linkage settings and measured quality</h3>')
    if d.link:
        settings = d.link.settings
        metrics = d.link.metrics
        comps = settings.get("comparisons")
        out.append(
            f"<p>Run {d.link.run_id} finished {_e(d.link.finished_at)}: "
            f"{fmt_int(d.link.n_records)} records into {fmt_int(d.link.n_people)} people at "
            f"threshold {_e(threshold)}. Probabilistic linkage (Fellegi–Sunter) with Splink, trained "
            "unsupervised by expectation–maximisation.</p>"
        )
        if comps:
            crow = [
                [
                    c.get("name"),
                    c.get("kind"),
                    ", ".join(c.get("columns") or []),
                    ", ".join(str(t) for t in c.get("thresholds") or []),
                    "yes" if c.get("tf") else "",
                ]
                for c in comps
            ]
            out.append(
                _table(
                    ["comparison", "kind", "columns", "thresholds", "term-frequency adjusted"], crow
                )
            )
        other = (
            {k: v for k, v in settings.items() if k != "comparisons"}
            if isinstance(settings, dict)
            else {}
        )
        if other:
            out.append(
                "<details><summary>All settings (JSON)</summary><pre><code>"
                + _e(json.dumps(other, indent=1, default=str))
                + "</code></pre></details>"
            )
        scalar = {
            k: v
            for k, v in (metrics or {}).items()
            if isinstance(v, (int, float, str)) and k not in ("warnings",)
        }
        if scalar:
            out.append(
                _table(
                    ["run metric", "value"],
                    [
                        [k.replace("_", " "), f"{v:.4g}" if isinstance(v, float) else v]
                        for k, v in scalar.items()
                    ],
                )
            )
        for w in metrics.get("warnings") or []:
            out.append(f'<p class="note">Linkage warning: {_e(w)}</p>')
    else:
        out.append(
            '<p class="missing">Linkage has not been run on this casebook (<code>reckon link</code>).</p>'
        )
    if linkage_quality is not None:
        quality: list[list[Any]] = []
        for f in fields(linkage_quality):
            if f.name == "measured_on":
                continue
            v = getattr(linkage_quality, f.name)
            label = f.name.replace("_", " ").replace("f1", "F1")
            quality.append([label, f"{v:.3f}" if isinstance(v, float) else v])
        out.append(
            f"<p>Measured quality ({_e(linkage_quality.measured_on)}):</p>"
            + _table(["measure", "value"], quality, numeric=(1,))
        )
    else:
        out.append(
            '<p class="sub">No measured quality against known truth is attached to this report; reviewed '
            "pairs below are the labels a team can evaluate against.</p>"
        )

    dec = d.decisions
    out.append('<h3 id="review">Review decisions</h3>')
    total = dec.total
    band = dec.unreviewed_in_band
    done = (
        (
            f"{fmt_int(total)} decisions by {fmt_int(dec.reviewers)} reviewer(s): {fmt_int(dec.accept)} "
            f"accepted, {fmt_int(dec.reject)} rejected, {fmt_int(dec.skip)} skipped"
            + (f"; latest {_e(dec.latest)}" if dec.latest else "")
            + ". "
        )
        if total
        else ("No record pairs have been reviewed by a person yet. ")
    )
    out.append(
        "<p>"
        + done
        + (
            f"{fmt_int(band)} uncertain pairs (match probability {dec.review_low:g} to "
            f"{dec.review_high:g}, the pairs `reckon review` offers) are still undecided. "
            if band is not None
            else ""
        )
        + "Decisions override the model on every later run and are never rewritten.</p>"
    )

    out.append(
        '<h3 id="unknown">What is not known</h3><ul class="unknowns">'
        + "".join(f"<li>{_e(u)}</li>" for u in d.unknowns)
        + "</ul></section>"
    )
    return "".join(out)


def render_html(
    d: ReportData, charts: dict[str, Chart], *, linkage_quality: LinkageAccuracy | None = None
) -> str:
    """The whole page as a string (UTF-8, no external references)."""
    title = f"reckon report: {d.casebook_name}"
    missing = ""
    if d.missing_stages:
        missing = (
            '<p class="missing">Not yet in this casebook: '
            + _e(", ".join(d.missing_stages))
            + ". The sections that need them say so.</p>"
        )
    if d.linkage_note:
        missing += f'<p class="missing stale">Not current: {_e(d.linkage_note)}.</p>'
    charts_html = [
        '<section id="timeline"><h2>Timeline</h2>',
        _figure(
            charts["timeline"],
            "Top: documented deaths as a running total by month of death, public claims of deaths "
            "(<em>killed</em>) at their as-of date, and the estimates of the total with their 95% intervals, placed "
            "at the end of the documented period they cover (the month by which 99.5% of dated deaths happened). Claims of other measures, and statements that a "
            "party does not disclose its losses, are in the claims table. Bottom: documented deaths in each month. "
            f"Deaths are the {fmt_int(d.deaths_total)} {_e(d.unit)} not recorded only as missing or wounded; "
            f"{fmt_int(d.deaths_total - sum(n for _, n in d.by_month))} of them have no month of death and are "
            "not drawn."
            + (
                " The teal line in its band is the cumulative excess deaths from registry counts "
                "with its 95% interval (see the section on excess deaths): a count that does not "
                "rest on the lists."
                if d.excess is not None
                else ""
            ),
        ),
        "</section>",
        '<section id="breakdowns"><h2>Breakdowns</h2><div class="grid2">',
        _figure(charts["by_month"], "Documented deaths by month of death (as in the timeline)."),
        _figure(
            charts["by_region"],
            f"Documented {_e(d.unit)} by region (as recorded; the region most of a person's "
            "records give).",
        ),
        "</div></section>",
        '<section id="overlap"><h2>Overlap of the sources</h2>',
        _figure(
            charts["overlap"],
            "Each column counts the people documented by exactly that combination of sources "
            "(dots); bars on the left count each source's people. The overlap is what multiple systems "
            "estimation reads: little overlap between large lists suggests many deaths none of them saw.",
        ),
        "</section>",
    ]
    body = [
        f'<header><h1>{_e(title)}</h1><div class="sub">Generated {_e(d.generated_at)} by reckon {_e(d.reckon_version)}'
        f' · data version <span class="hash">{_e(d.content_hash[:16])}</span></div></header>',
        missing,
        _headline(d),
        *charts_html,
        _estimates(d, charts.get("models")),
        _excess(d, charts),
        _claims(d),
        _people(d),
        _methodology(d, linkage_quality),
        f'<footer id="version"><p>Data version: content hash <span class="hash">sha256:{_e(d.content_hash)}</span> over '
        "the casebook's raw source rows, review decisions and claims; reckon "
        f"{_e(d.reckon_version)}. Anyone holding the same casebook can check the hash and re-run every figure.</p>"
        + ("" if d.include_names else "<p>No personal names are included in this report.</p>")
        + "</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="reckon {_e(d.reckon_version)}">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>"
        + "".join(body)
        + "</main></body></html>\n"
    )
