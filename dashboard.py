"""refugee-stats dashboard: `uv run streamlit run dashboard.py`.

A table of contents: every part of the page is one `render_*` call in refugee_stats.ui.
"""

import streamlit as st

from refugee_stats import ui
from refugee_stats.view import build_view

st.set_page_config(page_title="refugee-stats", page_icon="📊", layout="wide")

dataset = ui.load_dataset()
filters = ui.render_sidebar(dataset)
view = build_view(dataset, filters)

ui.render_header(view)
ui.render_illustrative_banner(view)
ui.render_problems(dataset)
ui.render_key_figures(view)
ui.render_charts(view)
ui.render_records(view)
