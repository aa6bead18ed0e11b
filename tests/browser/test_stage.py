"""The stage at 1920x1080, measured in the browser: every scene of the standard tour (``talk=0``,
the sample's busiest scenes, illustrative banner included) and of the sample's talk
(``data/talk.toml``), in both themes, in English and Russian (and the tour once in Kazakh).

For every scene: the chart's plot area (plotly's ``.nsewdrag`` rectangles from the top of the
first panel to the bottom of the last; a map's drawn ``g.geo``; a flow's plot domain) is at least
55% of the screen's height; no legend scrolls; no element's box leaves the 1920x1080 screen; no
text is cut by a box that clips it (or by its figure's edge) or lies under another part of the
scene. One page per case, clicked through with PageDown (one server, one browser); each scene is
saved under screenshots/ and its numbers in screenshots/stage.json.
"""

from __future__ import annotations

import json

import pytest

from refugee_stats import i18n, registry
from refugee_stats import talk as talks
from refugee_stats.ingest.files import default_data_dir
from tests.browser.conftest import SCREENSHOTS, wait_for_rerun
from tests.browser.test_browser import press

WIDTH, HEIGHT = 1920, 1080
#: The least share of the screen's height a scene's plot area takes.
PLOT_SHARE = 0.55

#: What one scene measures (see the module's docstring); names of elements as ``tag.class "text"``.
MEASURE = """() => {
  const W = innerWidth, H = innerHeight;
  const main = document.querySelector('[data-testid="stMain"]');
  const name = el => {
    const cls = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    return `${el.tagName.toLowerCase()}.${cls.split(' ').filter(Boolean).slice(0, 2).join('.')} "${(el.textContent || '').trim().slice(0, 50)}"`;
  };
  const visible = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
      // For screen readers only (a chart's words on stage): clipped to nothing on purpose.
      if (cs.clipPath === 'inset(50%)') return false;
    }
    return true;
  };
  const hasText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const box = r => `[${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)}]`;
  const plots = [...main.querySelectorAll('.js-plotly-plot')].map(gd => {
    const drags = [...gd.querySelectorAll('.draglayer .nsewdrag')].map(d => d.getBoundingClientRect());
    const geo = gd.querySelector('g.geo');
    let kind = 'domain', area = gd._fullLayout._size.h;
    if (drags.length) {
      kind = 'xy';
      area = Math.max(...drags.map(d => d.bottom)) - Math.min(...drags.map(d => d.top));
    } else if (geo) {
      kind = 'geo';
      area = geo.getBoundingClientRect().height;
    }
    const svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
    const cut = [...gd.querySelectorAll('text')].filter(t => t.textContent.trim() && visible(t)).filter(t => {
      const r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1);
    }).map(t => name(t) + ' ' + box(t.getBoundingClientRect()));
    const scroll = Math.max(0, ...[...gd.querySelectorAll('.legend .scrollbar')].map(s => +s.getAttribute('height') || 0));
    const title = gd.querySelector('.gtitle');
    return {kind, area: Math.round(area), height: Math.round(gd._fullLayout.height), legend_scroll: scroll, cut,
            title: title ? title.textContent : '', notes: [...gd.querySelectorAll('.annotation-text')].map(a => a.textContent)};
  });
  const outside = [], clipped = [], overlaps = [];
  const skip = new Set([main, ...main.querySelectorAll('[data-testid="stMainBlockContainer"]')]);
  for (const el of main.querySelectorAll('*')) {
    if (skip.has(el)) continue;  // the page's own box (its padding may run past the screen)
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !visible(el)) continue;
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) outside.push(name(el) + ' ' + box(r));
    if (!hasText(el)) continue;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ac = getComputedStyle(a);
      if (ac.overflowX === 'visible' && ac.overflowY === 'visible') continue;
      const ar = a.getBoundingClientRect();
      if (r.left < ar.left - 1 || r.top < ar.top - 1 || r.right > ar.right + 1 || r.bottom > ar.bottom + 1) {
        clipped.push(name(el) + ' cut by ' + name(a).slice(0, 60));
        break;
      }
    }
    const cs = getComputedStyle(el);
    if (el instanceof HTMLElement && (cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis')
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) clipped.push(name(el) + ' cut short');
  }
  const block = main.querySelector('[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]');
  const parts = [...block.children].filter(c => c.getBoundingClientRect().height > 0);
  parts.forEach((part, i) => {
    for (const el of part.querySelectorAll('*')) {
      if (!hasText(el) || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      parts.forEach((other, j) => {
        const o = other.getBoundingClientRect();
        if (j !== i && r.left < o.right - 1 && r.right > o.left + 1 && r.top < o.bottom - 1 && r.bottom > o.top + 1)
          overlaps.push(name(el) + ' under ' + name(other).slice(0, 50));
      });
    }
  });
  const h1 = main.querySelector('h1');
  return {title: h1 ? h1.textContent.trim() : '', plots, outside, clipped, overlaps,
          scrolls: document.scrollingElement.scrollHeight > H + 1 || main.scrollHeight > main.clientHeight + 1};
}"""


def _talk() -> talks.Talk:
    talk, _problems = talks.load_talk(default_data_dir(), hosts=(), nationalities=(), months=None)
    assert talk is not None and talk.scenes
    return talk


def scenes(talk: str, lang: str) -> list[tuple[str, str]]:
    """(chart, title) of each scene the case plays, in order."""
    if talk == "tour":
        return [
            (
                name,
                i18n.t(
                    registry.BY_KEY[name].scene_title if name in registry.BY_KEY else f"scene_{name}", lang
                ),
            )
            for name in registry.SCENES
        ]
    return [(scene.chart, talks.scene_title(scene, lang)) for scene in _talk().scenes]


def _stable(page, expected_title: str, plots: int) -> dict:
    """The scene's measures once it shows ``expected_title`` with ``plots`` charts drawn and two
    measures 0.4 s apart agree (a chart resizes to what the stage leaves it after it is drawn)."""
    page.wait_for_function(
        """([title, n]) => { const h = document.querySelector('[data-testid="stMain"] h1');
             return h && h.textContent.replace(/\u2060/g, '').trim() === title  // a word joiner keeps a colon from linking
               && document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot svg.main-svg').length >= 2 * n; }""",
        arg=[expected_title, plots],
        timeout=60_000,
    )
    last = None
    for _ in range(20):
        page.wait_for_timeout(400)
        now = page.evaluate(MEASURE)
        key = json.dumps([now["plots"], len(now["outside"])])
        if key == last:
            return now
        last = key
    return now


CASES = [
    *(
        (talk, theme, lang)
        for talk in ("tour", "talk")
        for theme in ("light", "dark")
        for lang in ("en", "ru")
    ),
    ("tour", "light", "kk"),
]


@pytest.mark.parametrize(("talk", "theme", "lang"), CASES, ids=["-".join(c) for c in CASES])
def test_every_scene_fits_the_projector(open_page, talk, theme, lang):
    query = f"present=1&scene=1&lang={lang}&theme={theme}" + ("&talk=0" if talk == "tour" else "")
    page, traffic = open_page(query, width=WIDTH, height=HEIGHT)
    SCREENSHOTS.mkdir(exist_ok=True)
    measured, failures = {}, []
    for number, (chart, title) in enumerate(scenes(talk, lang), start=1):
        if number > 1:
            press(page, "PageDown", f"() => location.search.includes('scene={number}')")
            wait_for_rerun(page)
        plots = 0 if chart == "key_figures" else 2 if chart == "map" else 1
        found = _stable(page, title, plots)
        label = f"{talk}-{theme}-{lang}-{number}"
        page.screenshot(path=SCREENSHOTS / f"stage-{label}.png")
        measured[label] = {"chart": chart, **found}
        assert len(found["plots"]) == plots, (label, found["plots"])
        for plot in found["plots"]:
            if plot["area"] < PLOT_SHARE * HEIGHT:
                failures.append(
                    f"{label} {chart}: plot area {plot['area']} px < {PLOT_SHARE:.0%} of {HEIGHT}"
                )
            if plot["legend_scroll"]:
                failures.append(f"{label} {chart}: the legend scrolls")
            failures += [f"{label} {chart}: text cut at the figure's edge: {t}" for t in plot["cut"]]
            if plot["title"]:  # the scene's heading is its one title
                failures.append(f"{label} {chart}: a second title, {plot['title']!r}")
        failures += [f"{label} {chart}: off the screen: {e}" for e in found["outside"]]
        failures += [f"{label} {chart}: {e}" for e in found["clipped"] + found["overlaps"]]
        if found["scrolls"]:
            failures.append(f"{label} {chart}: the page scrolls")
        areas = ", ".join(f"{p['area']} px ({p['area'] / HEIGHT:.0%})" for p in found["plots"]) or "-"
        print(f"{label} {chart}: {areas}")
    _record(measured)
    if talk == "talk" and lang == "en":  # the founding case, month by month: events as numbers, a key
        notes = measured[f"talk-{theme}-en-2"]["plots"][0]["notes"]
        assert "①" in notes and "②" in notes, notes
        assert any(n.startswith("① Kazakhstan moves") for n in notes), notes
    assert not failures, "\n".join(failures[:40])
    assert traffic.non_local() == []
    assert traffic.errors == []


def _record(measured: dict) -> None:
    """Add the case's numbers to screenshots/stage.json (for the closing note)."""
    path = SCREENSHOTS / "stage.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept.update(
        {
            label: {"chart": m["chart"], "title": m["title"], "plot_area_px": [p["area"] for p in m["plots"]]}
            for label, m in measured.items()
        }
    )
    path.write_text(json.dumps(kept, indent=1, ensure_ascii=False))
