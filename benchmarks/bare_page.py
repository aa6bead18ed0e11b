"""A bare Streamlit page with one plotly chart: the yardstick of the browser benchmark.

``streamlit run benchmarks/bare_page.py`` draws one stacked bar chart of the same shape as
the dashboard's first chart (15 years of months, 9 series), from numbers made up here.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

months = pd.date_range("2010-01-01", periods=180, freq="MS")
rng = np.random.default_rng(0)
fig = go.Figure()
for i in range(9):
    fig.add_bar(x=months, y=rng.integers(1, 50, len(months)), name=f"Series {i + 1}")
fig.update_layout(barmode="stack", title="Bare page: one plotly chart", height=520)
st.plotly_chart(fig)
