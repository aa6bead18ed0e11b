"""HXL (Humanitarian Exchange Language): CSV with a row of hashtags under the header.

The hashtag row, not the column names, says what a column holds. :data:`HXL_COLUMNS` maps
hashtags (with attributes) to the project's columns; :func:`hxl_tags` gives the hashtags the
project writes under its own columns, so an exported file reads back as it was written.

Matching: a column's tag is split into its hashtag and attributes. Attributes that only say
how a value is written (:data:`NEUTRAL_ATTRIBUTES`: ``+code``, ``+name``, ``+ind``, ``+num``,
language ``+i_xx`` and vocabulary ``+v_xxx``) are set aside; the rest must equal one entry
of :data:`HXL_COLUMNS` exactly. ``#country+code+origin`` is thus ``#country+origin`` ->
``nationality``; ``#affected+hh`` (households) matches nothing and is reported as not imported.

Which table: a ``type`` column means incidents, a ``decision`` column status, a ``measure`` column
or stock columns (``#affected+refugees``, ...) stocks. Rows are then checked against the data
contract with the project's own validation; rows that fail are reported and left out.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from refugee_stats.fields import TABLES, field_names
from refugee_stats.i18n import DEFAULT_LANGUAGE, LANGUAGES, label_column
from refugee_stats.importers.base import (
    Format,
    Header,
    ImportResult,
    Progress,
    Source,
    cell_problems,
    country_codes,
    country_message,
    counts,
    many,
    number,
    problem,
    text_frame,
    whole,
)
from refugee_stats.ingest.problems import Problem, phrase
from refugee_stats.ingest.validate import validate

#: Hashtag with its meaningful attributes -> project column, or ``stock:<measure>`` for a column
#: holding one measure of a stocks table (one stock record per row and such column).
HXL_COLUMNS: dict[str, str] = {
    # identifiers
    "#event+id": "incident_id",
    "#event+id+follows": "follows",
    "#meta+id": "record_id",
    # dates
    "#date": "date",
    "#date+year": "date",
    "#date+month": "date",
    "#date+quarter": "date",
    "#date+occurred": "date",
    "#date+reported": "date",
    "#date+end": "end_date",
    # countries and places
    "#country": "host_country",
    "#country+host": "host_country",
    "#country+asylum": "host_country",
    "#country+residence": "host_country",
    "#country+origin": "nationality",
    "#country+nationality": "nationality",
    "#loc": "location",
    "#adm1": "location",
    "#adm2": "location",
    # what happened
    "#event+type": "type",
    "#org+authority": "authority",
    "#status+decision": "decision",
    "#meta+unit": "unit",
    "#indicator+measure": "measure",
    # counts
    "#affected": "people",
    "#population": "people",
    "#affected+refugees+unhcr": "unhcr_refugees",
    "#affected+refugees": "stock:refugees",
    "#affected+asylum": "stock:asylum_seekers",
    "#affected+asylum_seekers": "stock:asylum_seekers",
    "#affected+detained": "stock:in_detention",
    # provenance
    "#meta+source": "source",
    "#meta+url": "source_url",
    "#meta+illustrative": "illustrative",
    "#description": "notes",
    "#description+notes": "notes",
    "#meta+notes": "notes",
    # timeline
    "#event+name": "label",
    # the label in each translated language: #event+name+ru -> label_ru
    **{f"#event+name+{lang}": label_column(lang) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE},
}

#: Attributes that say how a value is written, not what it is.
NEUTRAL_ATTRIBUTES = frozenset({"code", "name", "ind", "num", "iso3", "total"})

#: The hashtags written under the project's own columns (one per column name, all tables).
OWN_TAGS: dict[str, str] = {
    "incident_id": "#event+id",
    "follows": "#event+id+follows",
    "record_id": "#meta+id",
    "date": "#date",
    "end_date": "#date+end",
    "host_country": "#country+code",
    "nationality": "#country+code+nationality",
    "location": "#loc+name",
    "type": "#event+type",
    "authority": "#org+authority",
    "decision": "#status+decision",
    "unit": "#meta+unit",
    "measure": "#indicator+measure",
    "people": "#affected+ind",
    "unhcr_refugees": "#affected+ind+refugees+unhcr",
    "source": "#meta+source",
    "source_url": "#meta+url",
    "illustrative": "#meta+illustrative",
    "notes": "#description+notes",
    "label": "#event+name",
    **{label_column(lang): f"#event+name+{lang}" for lang in LANGUAGES if lang != DEFAULT_LANGUAGE},
}

_ENUMS = ("type", "authority", "decision", "unit", "measure")


def parse_tag(tag: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """``"#country +code+origin"`` -> (``#country``, meaningful attributes, neutral attributes)."""
    parts = re.sub(r"\s+", "", tag.strip().casefold()).split("+")
    attributes = {a for a in parts[1:] if a}
    neutral = {a for a in attributes if a in NEUTRAL_ATTRIBUTES or re.fullmatch(r"[iv]_[a-z0-9_]+", a)}
    return parts[0], frozenset(attributes - neutral), frozenset(neutral)


_SPECS = {parse_tag(spec)[:2]: column for spec, column in HXL_COLUMNS.items()}


def column_for(tag: str) -> str | None:
    """The project column (or ``stock:<measure>``) a hashtag maps to, or None."""
    hashtag, attributes, _ = parse_tag(tag)
    return _SPECS.get((hashtag, attributes)) if hashtag.startswith("#") else None


def hxl_tags(table: str) -> dict[str, str]:
    """Column -> hashtag for the project's own columns of one table, to write under the header."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    return {name: OWN_TAGS[name] for name in field_names(table)}


def with_hxl_row(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The frame with a first row of hashtags (for ``to_csv``): the HXL layout of an export."""
    tags = hxl_tags(table)
    row = pd.DataFrame([{c: tags.get(c, "") for c in frame.columns}])
    return pd.concat([row, frame.astype(object)], ignore_index=True)


def _table(targets: set[str]) -> str | None:
    if "type" in targets:
        return "incidents"
    if "decision" in targets:
        return "status"
    if "measure" in targets or any(t.startswith("stock:") for t in targets):
        return "stocks"
    return None


def read_hxl(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """An HXL-tagged CSV -> one of incidents, status or stocks (chosen from the tags)."""
    assert header.tags is not None
    summary: list[str] = []
    problems: list[Problem] = []
    chosen: dict[str, int] = {}
    ignored: list[str] = []
    for position, tag in enumerate(header.tags):
        if not tag:
            continue
        target = column_for(tag)
        if target is None:
            ignored.append(tag)
            continue
        if target in chosen:
            # Two columns for one field (a name and a code): keep the code.
            previous = header.tags[chosen[target]]
            if "code" in parse_tag(tag)[2] and "code" not in parse_tag(previous)[2]:
                ignored.append(previous)
                chosen[target] = position
            else:
                ignored.append(tag)
            continue
        chosen[target] = position
    table = _table(set(chosen))
    if table is None:
        problems.append(
            problem(
                source.file,
                "problem_hxl_unknown_table",
                row=header.line + 2,
                severity="error",
            )
        )
        return ImportResult("hxl", {}, problems, ["nothing imported"])
    known = set(field_names(table))
    # Stock columns (one per measure) are used only when no column names the measure.
    wide = table == "stocks" and "measure" not in chosen
    stock_columns = {t.split(":", 1)[1]: t for t in chosen if t.startswith("stock:")} if wide else {}
    for target in list(chosen):
        if target not in known and target not in stock_columns.values():
            ignored.append(header.tags[chosen.pop(target)])
    frame = source.read(header, chosen, progress)
    summary.append(f"{number(len(frame))} rows of an HXL file -> {table}")
    summary.append("columns mapped: " + ", ".join(f"{header.tags[p]} -> {t}" for t, p in chosen.items()))
    if ignored:
        summary.append(f"tags not imported: {', '.join(ignored)}")

    # Problems name a column as written in the header row (its hashtag when the header cell is blank).
    written: dict[str, str | np.ndarray] = {
        target: header.names[p] if p < len(header.names) and header.names[p] else header.tags[p]
        for target, p in chosen.items()
    }
    if stock_columns:
        frame = _stocks_long(frame, stock_columns, summary)
    frame = frame.reset_index()  # positions from here on; the HXL row is the column "row"
    as_written = frame.copy()  # cells before countries and enums are normalised
    keep = np.ones(len(frame), dtype=bool)
    # Rows with a country we cannot map are checked too (every bad cell is named), then left out.
    unmapped = {name: np.zeros(len(frame), dtype=bool) for name in ("host_country", "nationality")}
    for name in ("host_country", "nationality"):
        if name in frame:
            codes = country_codes(frame[name])
            bad = codes.isna() & (frame[name] != "")
            where = frame.set_index("row")[name]
            header_name = written[name]
            assert isinstance(header_name, str)  # one header cell per field until stock columns are melted
            found, n = cell_problems(
                source.file,
                header_name,
                where,
                pd.Series(bad.to_numpy(), index=where.index),
                country_message,
            )
            problems += found
            if n:
                summary.append(f"{many(n, 'row')} left out: {name} is not a country we can map")
            frame[name] = codes.where(~bad, frame[name])
            unmapped[name] = bad.to_numpy()
    for name in _ENUMS:
        if name in frame:
            frame[name] = frame[name].str.casefold().str.replace(r"[\s-]+", "_", regex=True)
    if "people" in frame and table != "stocks":
        zero = (counts(frame["people"]).numbers == 0).to_numpy() & keep
        if zero.any():
            summary.append(f"skipped {number(zero.sum())} rows with 0 people (a zero is not a record)")
        keep &= ~zero
    frame, as_written = frame[keep], as_written[keep].reset_index(drop=True)
    reported = {(int(i), name) for name, bad in unmapped.items() for i in np.flatnonzero(bad[keep])}
    data: dict[str, object] = {name: frame[name].to_numpy() for name in field_names(table) if name in frame}
    identifier = {"incidents": "incident_id", "status": "record_id"}.get(table)
    if identifier and identifier not in data:
        data[identifier] = ("HXL-" + frame["row"].astype(str)).to_numpy()
        summary.append(f"no {identifier} column: made one from the row number (HXL-<row>)")
    if "source" not in frame or not any(frame["source"].to_numpy()):
        data["source"] = f"HXL file {source.path.name}"
        problems.append(
            problem(
                source.file,
                phrase("problem_hxl_no_source", name=source.path.name),
                column="source",
            )
        )
    if "stock" in as_written:  # long stocks: each record's people come from its own stock column
        written["people"] = as_written["stock"].map(written).to_numpy()
    out = text_frame(table, frame["row"], data)
    out, found = _checked(table, out, source.file, as_written, written, reported)
    problems += found
    summary.append(f"{number(len(out))} {table} records")
    return ImportResult("hxl", {table: out}, problems, summary)


def _stocks_long(frame: pd.DataFrame, stock_columns: dict[str, str], summary: list[str]) -> pd.DataFrame:
    """One stock record per row and stock column holding a figure above zero (bad figures kept for checking)."""
    parts = []
    zeros = blank = 0
    ids = [c for c in frame.columns if c not in stock_columns.values()]
    for measure, column in stock_columns.items():
        parsed = counts(frame[column])
        zeros += int((parsed.numbers == 0).sum())
        blank += int(parsed.missing.sum())
        take = (parsed.numbers > 0) | parsed.bad
        part = frame.loc[take, ids].copy()
        part["measure"] = measure
        part["stock"] = column
        figures = parsed.numbers[take]
        part["people"] = frame.loc[take, column].where(figures.isna(), whole(figures.fillna(0)))
        parts.append(part)
    if zeros:
        summary.append(
            f"skipped {number(zeros)} zero cells of stock columns (a zero-filled table; not a level)"
        )
    if blank:
        summary.append(f"skipped {number(blank)} blank or '-' cells of stock columns (no figure)")
    return pd.concat(parts).sort_index(kind="stable")


def _checked(
    table: str,
    frame: pd.DataFrame,
    file: str,
    as_written: pd.DataFrame,
    written: dict[str, str | np.ndarray],
    reported: frozenset[tuple[int, str]] | set[tuple[int, str]] = frozenset(),
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows that pass the data contract; the others reported and left out.

    Each problem is at its HXL row, in the column as written (``written``: field -> header name,
    or one per record) with the cell as written (``as_written``, by position), not as normalised.
    Cells already ``reported`` (position, field) are not reported again; their rows are left out.
    """

    rows = frame.index.to_numpy()
    _, found = validate(table, frame.reset_index(drop=True), file)
    found = [p for p in found if (p.row, p.column) not in reported]
    found = [_as_written(p, as_written, written) for p in found]
    if any(p.row is None for p in found):
        return frame.iloc[0:0], found
    bad = np.zeros(len(frame), dtype=bool)
    bad[[i for i, _ in reported]] = True
    out = []
    for p in found:
        assert p.row is not None
        bad[p.row] = True
        out.append(p.replace(row=int(rows[p.row])))
    return frame[~bad], out


def _as_written(p: Problem, as_written: pd.DataFrame, written: dict[str, str | np.ndarray]) -> Problem:
    """A problem at a record's position, in the column and with the cell as the HXL file writes them."""
    if p.row is None or p.column not in written:
        return p
    position, field = p.row, p.column
    name = written[field]
    column = str(name if isinstance(name, str) else name[position])
    if field not in as_written:
        return p.replace(column=column)
    cell = as_written[field].iloc[position]
    return p.replace(column=column, value="" if pd.isna(cell) else str(cell))


HXL_FORMAT = Format(
    "hxl",
    "HXL: CSV with a hashtag row (#date, #country+code, #affected+ind, ...) under the header",
    (),
    read_hxl,
    hxl=True,
)
