"""refugee-stats dashboard: `uv run streamlit run dashboard.py`.

A table of contents: every part of the page is one `render_*` call in refugee_stats.ui.
The link in the address bar reproduces the view (filters, language, theme, scene).
Views and figures are computed once for every session that asks for the same ones.
"""

import streamlit as st

from refugee_stats import ui
from refugee_stats.ui import presenter

st.set_page_config(page_title="refugee-stats", layout="wide")

uploads, replace, allow_personal = ui.render_uploads()
dataset = ui.load_dataset(uploads=uploads, replace=replace, allow_personal=allow_personal)
talk = ui.load_talk(dataset, uploads=uploads, replace=replace)  # talk.toml, played in presentation mode
ui.init_state(dataset, talk)
presenter.follow_room()  # presenting: in step with the talk's other windows (the presenter's)
state = ui.render_sidebar(dataset)
ui.sync_url(state)
shown = ui.stage_state(dataset, state)  # presenting a talk: its scene's own filters
view = ui.build_view(dataset, shown)  # shared by every session asking for the same view
lang = state.lang

ui.render_style(state)
ui.render_notices(lang)
ui.render_illustrative_banner(view, lang)
if state.presenter:
    presenter.render_presenter(dataset, state, view, shown)  # notes, next scene, clock: not for the audience
elif state.present:
    ui.render_scene(view, shown)
else:
    ui.render_header(view, lang)
    ui.render_problems(dataset, lang)
    ui.render_key_figures(view, lang)
    ui.authoring.render_add("key_figures", view, lang)  # "Add to talk": this view as a scene
    ui.render_charts(view, lang)  # each chart with its own "Add to talk"
    ui.render_maps(view, lang)
    ui.authoring.render_add("map", view, lang)
    ui.render_records(view, lang)
    ui.render_downloads(view, lang)
    ui.render_talk_export(dataset, state)  # the talk as one HTML file and a PDF handout
    ui.render_talk_editor(dataset, lang)  # the talk written in this session: edit, download, present
