"""The talk presentation mode plays (or the standard tour of the view) as files to take away: one
offline HTML file and a PDF handout, the page's download buttons for what
``refugee-stats talk export`` writes (:mod:`refugee_stats.handout` makes both).

Each file is made only when its button is clicked (a callable ``data``, run by Streamlit on a
thread of its own), in the page's language, theme and protection. Printing the PDF needs
chromium: without it (or Playwright) the PDF button is replaced by a message saying so.
"""

from __future__ import annotations

import streamlit as st

from refugee_stats import handout, i18n, urlstate
from refugee_stats import talk as talks
from refugee_stats.escape import markdown_text
from refugee_stats.ingest.dataset import Dataset


def _page_url() -> str:
    """The dashboard's address in the browser (without its query), put before each scene's link in
    the handout; "" where Streamlit has none (a test run)."""
    return str(getattr(st.context, "url", "") or "")


def render_talk_export(dataset: Dataset, talk: talks.Talk | None, state: urlstate.State) -> None:
    """Download buttons for ``talk`` (the talk being played; None: the standard tour of the page's
    filters) as one offline HTML file and a PDF handout, and what they hold."""
    if dataset.incidents.empty and dataset.status.empty:
        return
    lang = state.lang
    language = i18n.LANGUAGE_NAMES[lang]
    title = handout.deck_title(talk, lang)
    base_url = _page_url()
    st.subheader(i18n.t("export_title", lang))
    if talk is not None:
        what = i18n.t("export_what_talk", lang, title=markdown_text(title), language=language)
    else:
        what = i18n.t("export_what_tour", lang, language=language)
    protection = i18n.t("export_public" if state.protected else "export_not_public", lang)
    st.caption(f"{what} {protection} {i18n.t('export_how', lang)}")

    def html() -> bytes:
        slides = handout.page_slides(dataset, talk, state, base_url=base_url)
        return handout.talk_html(slides, lang=lang, title=title).encode("utf-8")

    def pdf() -> bytes:
        slides = handout.page_slides(dataset, talk, state, base_url=base_url)
        return handout.handout_pdf_bytes(slides, lang=lang, title=title)

    with st.container(horizontal=True, key="talk-export"):
        st.download_button(
            i18n.t("export_html", lang),
            data=html,
            file_name=f"refugee-stats_talk_{lang}.html",
            mime="text/html",
            key="export-html",
            on_click="ignore",
        )
        missing = handout.pdf_missing()
        if missing is None:
            st.download_button(
                i18n.t("export_pdf", lang),
                data=pdf,
                file_name=f"refugee-stats_handout_{lang}.pdf",
                mime="application/pdf",
                key="export-pdf",
                on_click="ignore",
            )
    if missing is not None:
        st.info(markdown_text(i18n.t(f"export_pdf_needs_{missing}", lang, path=handout.chromium_path())))
