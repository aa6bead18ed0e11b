"""Page styling: the projector themes' colours and the presentation layout, as CSS.

Colours come from :data:`refugee_stats.charts.THEMES`, so page and charts match. No
remote fonts or icons: everything the page shows is served by the app itself.
"""

from __future__ import annotations

from refugee_stats.charts import THEMES


def plotly_config(presentation: bool = False, filename: str = "") -> dict:
    """The plotly.js config for every chart: offline map files, no logo, PNG export at 2x (the
    page script adds SVG: :mod:`refugee_stats.ui.a11y`), saved as ``refugee-stats-<filename>``."""
    from refugee_stats.maps import PLOTLY_CONFIG

    image = {
        "format": "png",
        "scale": 2,
        "filename": f"refugee-stats-{filename}" if filename else "refugee-stats",
    }
    config = {**PLOTLY_CONFIG, "displaylogo": False, "toImageButtonOptions": image}
    if presentation:
        config["displayModeBar"] = False
    return config


_PRESENTATION = """
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], #MainMenu, footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; max-width: 100% !important; }
h1 { font-size: 3.2rem !important; }
p.takeaway { font-size: 2rem; line-height: 1.3; margin: 0.2rem 0 0.8rem 0; }
[data-testid="stMetricValue"] { font-size: 4.5rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
.st-key-scene-nav button p, .st-key-scene-nav p { font-size: 1.4rem !important; }
"""


def css(theme: str, presentation: bool) -> str:
    """A ``<style>`` block for the theme (and the presentation layout when on)."""
    colours = THEMES[theme]
    rules = ""
    if theme == "dark":
        rules += f"""
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], section[data-testid="stSidebar"] > div {{
  background-color: {colours.paper} !important; color: {colours.text} !important; }}
.stApp h1, .stApp h2, .stApp h3, .stApp p, .stApp li, .stApp label, .stApp span,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stCaptionContainer"] {{ color: {colours.text} !important; }}
.stApp button {{ background-color: #222222 !important; color: {colours.text} !important; border-color: #888888 !important; }}
[data-testid="stAlertContainer"] {{ background-color: #3D2E00 !important; }}
[data-testid="stAlertContainer"] * {{ color: #FFE08A !important; }}
"""
    if presentation:
        rules += _PRESENTATION
    return f"<style>{rules}</style>"
