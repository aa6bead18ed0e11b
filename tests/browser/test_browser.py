"""The dashboard in a real browser: charts and maps draw offline, filters, links, languages, clicker keys."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, choose, wait_for_charts, wait_for_rerun

FOUNDING_CASE = "host=KAZ&nationality=UZB&from=2010-06&to=2010-06"


def press(page, key: str, until: str, attempts: int = 3) -> None:
    """Press a clicker key until ``until`` (JavaScript) holds: a key pressed while Streamlit is
    still finishing the previous run can be dropped, as a hall's clicker press can."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        wait_for_rerun(page)
        page.locator("body").focus() if attempt else None
        page.keyboard.press(key)
        try:
            page.wait_for_function(until, timeout=20_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"{key} did not lead to {until}")


def plot_count(page) -> int:
    return page.locator(".js-plotly-plot").count()


def url_params(page) -> dict[str, str]:
    return dict(re.findall(r"[?&]([^=&]+)=([^&]*)", page.url))


def test_every_chart_and_both_maps_draw(open_page):
    started = time.perf_counter()
    page, traffic = open_page()
    page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=60_000)
    first_chart = time.perf_counter() - started
    wait_for_charts(page, 6)
    assert plot_count(page) == 6  # three time series, the status pipeline and two maps
    assert page.locator("g.sankey-node").count() >= 4  # detained, refugees, others, revoked...
    page.wait_for_selector("path.choroplethlocation", timeout=60_000)
    assert page.locator("path.choroplethlocation").count() >= 10
    bars = page.locator(".js-plotly-plot").first.locator("g.point path")
    assert bars.count() > 20
    assert traffic.non_local() == []
    assert traffic.errors == []
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "timing.json").write_text(
        json.dumps({"navigation_to_first_chart_s": round(first_chart, 2)})
    )
    print(f"navigation to first chart: {first_chart:.2f} s")


def test_sidebar_filter_changes_a_chart(open_page):
    page, traffic = open_page()
    wait_for_charts(page, 3)
    first = page.locator(".js-plotly-plot").first
    monthly = first.locator("g.point path").count()
    page.locator("section[data-testid='stSidebar']").get_by_role("radio", name="Year", exact=True).click()
    page.wait_for_function(
        "n => document.querySelector('.js-plotly-plot').querySelectorAll('g.point path').length !== n",
        arg=monthly,
        timeout=60_000,
    )
    yearly = page.locator(".js-plotly-plot").first.locator("g.point path").count()
    assert 0 < yearly < monthly
    assert url_params(page)["period"] == "year"
    assert traffic.errors == []


def test_shared_link_reproduces_the_view(open_page):
    page, _traffic = open_page(FOUNDING_CASE + "&lang=en")
    wait_for_charts(page, 3)
    wait_for_rerun(page)
    metrics = page.locator("[data-testid='stMetricValue']")
    for i, value in enumerate(["29", "1", "17", "17", "0"]):
        expect(metrics.nth(i)).to_have_text(value, timeout=20_000)
    expect(page.get_by_text("Kazakhstan - Uzbekistan - Jun 2010").first).to_be_attached(timeout=20_000)
    params = url_params(page)
    assert (params["host"], params["nationality"], params["from"], params["to"]) == (
        "KAZ",
        "UZB",
        "2010-06",
        "2010-06",
    )


def test_bad_link_values_are_dropped_with_a_notice(open_page):
    page, traffic = open_page("host=ZZZ&from=garbage&scene=99&lang=en")
    wait_for_charts(page, 3)
    notice = page.locator("[data-testid='stAlertContentWarning']").first.inner_text()
    assert "host=ZZZ" in notice and "from=garbage" in notice and "scene=99" in notice
    assert page.locator("[data-testid='stException']").count() == 0
    assert traffic.errors == []


def test_russian_labels_and_country_names(open_page):
    page, _traffic = open_page("lang=ru&" + FOUNDING_CASE)
    wait_for_charts(page, 3)
    body = page.locator("body").inner_text()
    assert "Фильтры" in body and "Задержано человек" in body
    assert "Казахстан - Узбекистан - июнь 2010" in body
    legend = page.locator(".js-plotly-plot").first.locator(".legendtext").all_text_contents()
    assert "Узбекистан" in legend
    assert "Uzbekistan" not in body
    # hovering the June 2010 bar reads the period and the count in Russian
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    bar = plot.locator("g.point path").first.bounding_box()
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    expect(plot.locator(".hoverlayer")).to_have_text("июнь 2010Узбекистан: 29 чел.", timeout=10_000)


def test_presentation_mode_follows_the_clicker(open_page):
    page, traffic = open_page("present=1&scene=1&lang=en&talk=0", height=1080)
    page.wait_for_selector("h1:has-text('Key figures')", timeout=60_000)
    page.wait_for_selector("section[data-testid='stSidebar']", state="hidden", timeout=10_000)
    heading = "t => [...document.querySelectorAll('h1')].some(h => h.textContent.includes(t))"
    press(page, "PageDown", f"() => ({heading})('Detentions')")
    wait_for_charts(page, 1)
    assert url_params(page)["scene"] == "2"
    press(page, "ArrowRight", f"() => ({heading})('Status decisions')")
    press(page, "PageUp", f"() => ({heading})('Detentions')")
    press(page, "ArrowLeft", f"() => ({heading})('Key figures')")
    assert url_params(page)["scene"] == "1"
    assert traffic.errors == []


def test_zero_requests_to_other_hosts(all_traffic):
    """Across every page opened above: nothing but the app's own server was asked for anything."""
    assert all_traffic.requests, "no page was opened"
    assert all_traffic.non_local() == []
    assert all_traffic.errors == []
    print(f"{len(all_traffic.requests)} requests, {len(all_traffic.non_local())} to other hosts")


def test_a_single_period_bar_is_not_a_hairline(open_page):
    """Real records only: the founding case is one June 2010 bar, drawn 0.8 of its month wide
    on the 2008-2012 axis (about 15 px at 1920x1080), not plotly's 1 px for a lone bar."""
    page, traffic = open_page("illustrative=0&lang=en", height=1080)
    wait_for_charts(page, 3)
    wait_for_rerun(page)
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    bars = plot.locator("g.point path")
    expect(bars).to_have_count(1, timeout=20_000)
    box = bars.first.bounding_box()
    area = plot.locator("rect.nsewdrag").first.bounding_box()
    june = area["width"] * 30 / 1827  # the axis runs from 2008-01-01 to 2013-01-01: 1,827 days
    print(f"June 2010 bar: {box['width']:.1f} x {box['height']:.1f} px; June on the axis: {june:.1f} px")
    assert box["width"] > 10
    assert box["width"] == pytest.approx(0.8 * june, rel=0.05)
    assert traffic.errors == []


def test_uploaded_data_moves_the_date_slider(open_page, tmp_path):
    """The slider in the browser, not only the session state, shows the new data's span, and
    keeps it on the next rerun; removing the upload brings the old span back."""
    upload = tmp_path / "incidents.csv"
    upload.write_text(
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
        "U1,2005-01,KGZ,detention,AFG,12,5,Monitor report\n"
        "U2,2015-12,KGZ,detention,AFG,12,5,Monitor report\n"
    )
    page, traffic = open_page("lang=en", height=1080)
    wait_for_charts(page, 3)
    sidebar = page.locator("section[data-testid='stSidebar']")
    thumbs = sidebar.locator("[data-testid='stSliderThumbValue']")
    expect(thumbs).to_have_text(["Jan 2008", "Dec 2012"], timeout=20_000)
    sidebar.get_by_text("Your data").click()
    choose(sidebar.get_by_role("radio", name="Replace the data"))
    wait_for_rerun(page)
    sidebar.locator("input[type=file]").set_input_files(upload)
    expect(thumbs).to_have_text(["Jan 2005", "Dec 2015"], timeout=30_000)
    sidebar.get_by_role("radio", name="Quarter", exact=True).click()  # a rerun sends the slider back
    wait_for_rerun(page)
    expect(thumbs).to_have_text(["Jan 2005", "Dec 2015"], timeout=20_000)
    assert (url_params(page)["from"], url_params(page)["to"]) == ("2005-01", "2015-12")
    sidebar.locator("[data-testid='stFileChipDeleteBtn']").first.click()
    expect(thumbs).to_have_text(["Jan 2008", "Dec 2012"], timeout=30_000)
    assert traffic.errors == []


def test_coarse_data_says_which_period_draws_it(open_page, tmp_path):
    """Quarterly records on a monthly chart: the chart names them and offers the switch, never
    "nothing matches" while the key figures count them; the switch draws the bars."""
    upload = tmp_path / "incidents.csv"
    upload.write_text(
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
        "Q1,2015-Q1,GBR,detention,ALB,120,,Home Office\n"
        "Q2,2015-Q2,GBR,detention,ALB,80,,Home Office\n"
    )
    page, traffic = open_page("lang=en&period=month", height=1080)  # the link fixes the period
    wait_for_charts(page, 3)
    sidebar = page.locator("section[data-testid='stSidebar']")
    sidebar.get_by_text("Your data").click()
    choose(sidebar.get_by_role("radio", name="Replace the data"))
    wait_for_rerun(page)
    sidebar.locator("input[type=file]").set_input_files(upload)
    wait_for_rerun(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Nothing to draw per month").first).to_be_visible(timeout=30_000)
    expect(main.locator("[data-testid='stMetricValue']").first).to_have_text("200")
    assert main.get_by_text("No detentions match these filters").count() == 0
    main.get_by_role("button", name="Switch the period to Quarter").first.click()
    wait_for_rerun(page)
    plot = main.locator(".js-plotly-plot").first
    expect(plot.locator("g.point path")).to_have_count(2, timeout=30_000)  # Q1 and Q2 2015
    assert traffic.errors == []
