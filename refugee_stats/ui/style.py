"""Page styling: the projector themes' colours and the presentation layout, as CSS.

Colours come from :data:`refugee_stats.charts.THEMES`, so page and charts match. No
remote fonts or icons: everything the page shows is served by the app itself.
"""

from __future__ import annotations

from refugee_stats.charts import THEMES, Theme


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


#: On stage the page is one screen high: a column of the banner, the scene's title, its takeaway,
#: the chart (``height="stretch"``: whatever the rest leaves, at least 22rem) and the navigation.
_PRESENTATION = """
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], #MainMenu, footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 0.75rem !important; padding-bottom: 0.5rem !important;
  max-width: 100% !important; height: 100vh; box-sizing: border-box; display: flex; flex-direction: column; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 auto; min-height: 0; gap: 0.5rem; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :not(:has(.stPlotlyChart)) { flex-shrink: 0; }
[data-testid="stMainBlockContainer"] .stPlotlyChart { min-height: 22rem; }
h1 { font-size: 3rem !important; line-height: 1.15 !important; padding: 0 0 1rem 0 !important; }  /* Streamlit takes 1rem back */
p.takeaway { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem 0; }  /* Streamlit takes 1rem back */
[data-testid="stAlertContainer"] { padding: 0.35rem 1rem !important; }
[data-testid="stMetricValue"] { font-size: 4.5rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.25rem !important; }
.st-key-scene-nav button p, .st-key-scene-nav p { font-size: 1.4rem !important; }
"""


def _widgets(c: Theme) -> str:
    """Widget colours in either theme, from the theme's ``edge``, ``accent`` and ``text``: input and
    button edges, a selected option filled with the accent, toggles, help icons (WCAG 1.4.11)."""
    return f"""
[data-testid="stMultiSelect"] .react-aria-ComboBox > [role="group"], [data-testid="stFileUploaderDropzone"],
[data-testid^="stBaseButton-secondary"], button[data-variant="segmented_control"] {{ border: 1px solid {c.edge} !important; }}
[data-testid="stFileUploaderDropzone"] {{ border-style: dashed !important; }}
[data-testid="stExpander"] details {{ border-color: {c.edge} !important; }}
button[data-variant="segmented_control"][aria-checked="true"] {{ background-color: {c.accent} !important; border-color: {c.accent} !important; }}
button[data-variant="segmented_control"][aria-checked="true"] * {{ color: #FFFFFF !important; }}
[data-testid="stCheckbox"] label:has(input[role="switch"]) > div:first-of-type {{ background-color: {c.edge} !important; }}
[data-testid="stCheckbox"] label:has(input[role="switch"]:checked) > div:first-of-type {{ background-color: {c.accent} !important; }}
[data-testid="stCheckbox"] label:has(input[role="switch"]) > div:first-of-type > div {{ background-color: #FFFFFF !important; }}
[data-testid="stTooltipIcon"] button {{ background: transparent !important; border: none !important; }}
[data-testid="stTooltipIcon"] svg {{ stroke: {c.muted} !important; }}
[data-testid="stSliderThumbValue"] p {{ color: {c.text} !important; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] p {{ color: {c.muted} !important; }}
.stApp a {{ color: {c.link} !important; }}
"""


def _dark(c: Theme) -> str:
    """The dark theme's surfaces over Streamlit's light ones: page, sidebar, inputs, buttons, lists,
    uploads, alerts; tables (drawn on a canvas in Streamlit's colours) inverted."""
    return f"""
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], section[data-testid="stSidebar"] > div {{
  background-color: {c.paper} !important; color: {c.text} !important; }}
.stApp h1, .stApp h2, .stApp h3, .stApp p, .stApp li, .stApp label, .stApp span,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stCaptionContainer"] {{ color: {c.text} !important; }}
[data-testid^="stBaseButton-secondary"], button[data-variant="segmented_control"],
[data-testid="stMultiSelect"] .react-aria-ComboBox > [role="group"], [data-testid="stFileUploaderDropzone"],
[data-testid="stMultiSelectDropdown"], [data-testid="stExpander"] summary {{
  background-color: {c.surface} !important; color: {c.text} !important; }}
[data-testid^="stBaseButton-tertiary"], [data-testid^="stBaseButton-header"], [data-testid="stBaseButton-elementToolbar"] {{
  background-color: transparent !important; color: {c.text} !important; }}
.stApp input, .stApp textarea {{ color: {c.text} !important; caret-color: {c.text}; }}
.stApp input::placeholder {{ color: {c.muted} !important; opacity: 1; }}
.stApp svg[fill="currentColor"], [data-testid="stIconMaterial"] {{ color: {c.text} !important; }}
[data-testid="stMultiSelectDropdown"] [role="option"], [data-testid="stMultiSelectDropdown"] [role="option"] * {{ color: {c.text} !important; }}
[data-testid="stTooltipContent"] {{ background-color: {c.surface} !important; border: 1px solid {c.edge}; }}
[data-testid="stTooltipContent"] * {{ color: {c.text} !important; }}
[data-testid="stMultiSelectDropdown"] [role="option"][data-focused="true"] {{ background-color: #333333 !important; }}
[data-testid="stFileUploaderDropzoneInstructions"] * {{ color: {c.muted} !important; }}
[data-testid="stAlertContainer"] {{ background-color: #3D2E00 !important; }}
[data-testid="stAlertContainer"] * {{ color: #FFE08A !important; }}
[data-testid="stDataFrameResizable"] {{ filter: invert(1) hue-rotate(180deg); }}
"""


def css(theme: str, presentation: bool) -> str:
    """A ``<style>`` block for the theme (and the presentation layout when on)."""
    colours = THEMES[theme]
    rules = _widgets(colours)
    if theme == "dark":
        rules += _dark(colours)
    if presentation:
        rules += _PRESENTATION
    return f"<style>{rules}</style>"
