"""UK Home Office immigration-detention tables (Immigration System Statistics, quarterly, by nationality).

* Det_D01 *people entering detention* -> incidents of type ``detention``: one record per quarter and
  nationality, summed over sex, age and first place of detention.
* Det_D03 *people leaving detention* -> incidents by reason for leaving (see
  :data:`LEAVING_REASONS`): one record per quarter, nationality and reason, summed over sex, age
  and length of detention; the reason as published is kept in ``notes`` and in ``incident_id``.
* Det_D02 *people in detention* at the end of the quarter -> stocks, measure ``in_detention``: one
  level per quarter and nationality, summed over sex, age, place and length of detention.

The host country is always GBR and the date is the quarter (``2019-Q3``). Places of detention are
facilities, finer than the contract's ``location`` allows, so ``location`` stays blank.
Nationalities are the Home Office's names; see :mod:`refugee_stats.importers.places` for the
spellings mapped. Groups that are not one country are imported under explicit codes ("Other and
unknown" -> ``XXX``, "Refugee" -> ``XXB``, "Former Yugoslavia" -> ``YUG``, ...), so the records
add up to the table's total; the label as published stays in ``notes``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

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
    empty_frame,
    many,
    number,
    published_names,
    text_frame,
    valid_date,
    whole,
)
from refugee_stats.ingest.problems import Problem, phrase

SOURCE_URL = "https://www.gov.uk/government/statistical-data-sets/immigration-system-statistics-data-tables"
PUBLISHER = "UK Home Office, Immigration System Statistics"

#: Reason for leaving detention (lower case) -> incident ``type``.
#:
#: "Returned" covers enforced removals and voluntary departures of people leaving detention by
#: leaving the UK: it is a removal carried out under the state's formal procedure, so it is
#: ``deportation``; ``forced_return`` is kept for returns outside such a procedure, which this
#: table does not count. Bail (granted by the Secretary of State or an immigration judge), a grant
#: of leave to enter or remain, and "Other" (people released for any other reason) are all exits
#: from detention into the UK, so ``release``. Older spellings are listed too.
LEAVING_REASONS: dict[str, str] = {
    "returned": "deportation",
    "removed": "deportation",
    "bailed (sos)": "release",
    "bailed (ij)": "release",
    "granted lte/ltr": "release",
    "granted temporary admission/release": "release",
    "temporary admission/release": "release",
    "other": "release",
}

#: Canonical column -> normalised names it may have.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "year": ("year",),
    "quarter": ("quarter",),
    "nationality": ("nationality",),
    "reason": ("reason_for_leaving_detention",),
    "entering": ("entering", "entering_detention", "people_entering_detention"),
    "leaving": ("leaving", "leaving_detention", "people_leaving_detention"),
    "people": ("people", "people_in_detention"),
}
_WHEN = ("date", "year")


def _quarters(frame: pd.DataFrame) -> pd.Series:
    """``YYYY-Qn`` per row from Year + Quarter (``3``, ``Q3``, ``2019 Q3``) or the quarter-end Date."""
    if "year" in frame and "quarter" in frame:
        keys = frame["year"] + "|" + frame["quarter"]

        def one(key: str) -> str | None:
            year, quarter = key.split("|", 1)
            match = re.fullmatch(r"(?:(\d{4})\s*)?Q?([1-4])", quarter.strip(), flags=re.IGNORECASE)
            if not match:
                return None
            year = match[1] or year.strip()
            return f"{year}-Q{match[2]}" if re.fullmatch(r"\d{4}", year) else None

    elif "date" in frame:
        keys = frame["date"]

        def one(key: str) -> str | None:
            match = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}.*|(?:\d{1,2})/(\d{1,2})/(\d{4})", key.strip())
            if not match:
                return None
            year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
            if not 1 <= int(month) <= 12:
                return None
            return f"{year}-Q{(int(month) - 1) // 3 + 1}"

    else:
        return pd.Series(None, index=frame.index, dtype=object)
    lookup = {}
    for key in pd.unique(keys):
        quarter = one(key)
        lookup[key] = quarter if quarter and valid_date(quarter) else None
    return keys.map(lookup)


def _quarter_cells(frame: pd.DataFrame, label: dict[str, str]) -> tuple[pd.Series | str, pd.Series]:
    """Per row, the column as written and the cell a bad quarter is blamed on.

    From Year + Quarter: the year, when it is not a past year and the quarter cell names no year
    of its own; else the quarter. From Date: the date.
    """
    if not ("year" in frame and "quarter" in frame):
        return label["date"], frame["date"]
    good_year = frame["year"].map(
        {y: bool(re.fullmatch(r"\d{4}", y)) and valid_date(y) for y in pd.unique(frame["year"])}
    )
    own_year = frame["quarter"].str.match(r"\s*\d{4}")
    blame_year = ~good_year & ~own_year
    column = pd.Series(np.where(blame_year, label["year"], label["quarter"]), index=frame.index, dtype=object)
    return column, frame["year"].where(blame_year, frame["quarter"])


def _read(
    source: Source,
    header: Header,
    count: str,
    extra: tuple[str, ...],
    progress: Progress | None,
    reasons: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Rows with quarter, nationality code and people (and, given ``reasons``, the incident ``type`` of
    each row's reason); one problem per bad cell and summary lines for the rows left out."""
    columns = header.resolve(
        {k: v for k, v in COLUMNS.items() if k in (*_WHEN, "quarter", "nationality", count, *extra)}
    )
    frame = source.read(header, columns, progress)
    label = {c: header.names[p] for c, p in columns.items()}
    problems: list[Problem] = []
    lines: list[str] = []
    parsed = counts(frame[count])
    people = parsed.numbers
    found, n = cell_problems(
        source.file,
        label[count],
        frame[count],
        parsed.bad,
        lambda v: (phrase("problem_not_whole_count"), "error"),
    )
    problems += found
    if n:
        lines.append(f"{many(n, 'row')} left out: count is not a whole number")
    quarter = _quarters(frame)
    column, cells = _quarter_cells(frame, label)
    found, _ = cell_problems(
        source.file,
        column,
        cells,
        quarter.isna(),
        lambda v: (phrase("problem_not_a_quarter"), "error"),
        people,
    )
    problems += found
    kept = ~parsed.bad
    n = int((quarter.isna() & kept).sum())
    if n:
        lines.append(f"{many(n, 'row')} left out: no valid quarter")
    kept &= quarter.notna()
    codes = country_codes(frame["nationality"])
    found, _ = cell_problems(
        source.file, label["nationality"], frame["nationality"], codes.isna(), country_message, people
    )
    problems += found
    bad = codes.isna() & kept
    if bad.any():
        groups = frame.loc[bad, "nationality"]
        lines.append(
            f"{many(int(bad.sum()), 'row')} ({number(people[bad].sum())} people) left out: nationality is not "
            f"one country ({', '.join(sorted(set(groups)))})"
        )
    kept &= codes.notna()
    kinds = None
    if reasons is not None:
        kinds = frame["reason"].str.strip().str.casefold().map(reasons)
        found, _ = cell_problems(
            source.file,
            label["reason"],
            frame["reason"],
            kinds.isna(),
            lambda v: (phrase("problem_unknown_leaving_reason", reasons=", ".join(reasons)), "error"),
            people,
        )
        problems += found
        n = int((kinds.isna() & kept).sum())
        if n:
            lines.append(f"{many(n, 'row')} left out: unknown reason for leaving detention")
    missing = int(parsed.missing.sum())
    if missing:
        lines.append(f"skipped {number(missing)} blank or suppressed (':') counts")
    names = published_names(frame["nationality"], codes)
    out = pd.DataFrame(
        {
            "row": frame.index,
            "quarter": quarter.to_numpy(),
            "code": codes.to_numpy(),
            "people": people.to_numpy(),
            **{k: frame[k].to_numpy() for k in extra if k in frame},
            **({"type": kinds.to_numpy()} if kinds is not None else {}),
        }
    )
    keep = out.drop(columns=[k for k in extra if k in out]).notna().all(axis=1)
    out = out[keep.to_numpy()]
    out.attrs["names"] = names
    out.attrs["rows"] = len(frame)
    return out, problems, lines


def _grouped(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return (
        rows.groupby(keys, sort=False)
        .agg(people=("people", "sum"), row=("row", "min"), rows=("row", "size"))
        .reset_index()
        .sort_values("row", kind="stable")
    )


def _notes(what: str | pd.Series, records: pd.DataFrame, names: dict[str, str]) -> np.ndarray:
    """One note per record: ``what`` it counts, how many source rows it sums, the nationality as published."""
    return (
        what
        + " ("
        + records["rows"].astype(str)
        + " source rows); nationality as published: "
        + records["code"].map(names)
    ).to_numpy()


def read_entering(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """People entering detention -> incidents of type detention, per quarter and nationality."""
    rows, problems, lines = _read(source, header, "entering", (), progress)
    summary = [f"{number(rows.attrs['rows'])} rows of Home Office people entering detention (Det_D01)"]
    records = _grouped(rows, ["quarter", "code"])
    zero = records["people"] == 0
    records = records[~zero]
    if records.empty:
        incidents = empty_frame("incidents")
    else:
        incidents = text_frame(
            "incidents",
            records["row"],
            {
                "incident_id": ("UKHO-DET-" + records["quarter"] + "-" + records["code"]).to_numpy(),
                "date": records["quarter"].to_numpy(),
                "host_country": "GBR",
                "type": "detention",
                "nationality": records["code"].to_numpy(),
                "people": whole(records["people"]).to_numpy(),
                "source": f"{PUBLISHER}, detention table Det_D01: people entering detention",
                "source_url": SOURCE_URL,
                "illustrative": "false",
                "notes": _notes(
                    "entries into immigration detention in the quarter, summed over sex, age and first "
                    "place of detention",
                    records,
                    rows.attrs["names"],
                ),
            },
        )
    summary.append(
        f"{number(len(incidents))} incidents (type detention, host GBR, one per quarter and nationality): "
        f"{number(records['people'].sum())} entries into detention"
    )
    if zero.any():
        summary.append(f"skipped {number(zero.sum())} quarter-nationality totals of 0 people")
    return ImportResult("uk-detention-entering", {"incidents": incidents}, problems, summary + lines)


def _slug(reason: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", reason).strip("-")


def read_leaving(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """People leaving detention -> incidents by reason (deportation or release), per quarter and nationality."""
    rows, problems, lines = _read(source, header, "leaving", ("reason",), progress, LEAVING_REASONS)
    summary = [f"{number(rows.attrs['rows'])} rows of Home Office people leaving detention (Det_D03)"]
    records = _grouped(rows, ["quarter", "code", "reason", "type"])
    zero = records["people"] == 0
    records = records[~zero]
    if records.empty:
        incidents = empty_frame("incidents")
    else:
        incidents = text_frame(
            "incidents",
            records["row"],
            {
                "incident_id": (
                    "UKHO-LEAVE-"
                    + records["quarter"]
                    + "-"
                    + records["code"]
                    + "-"
                    + records["reason"].map(_slug)
                ).to_numpy(),
                "date": records["quarter"].to_numpy(),
                "host_country": "GBR",
                "type": records["type"].to_numpy(),
                "nationality": records["code"].to_numpy(),
                "people": whole(records["people"]).to_numpy(),
                "source": f"{PUBLISHER}, detention table Det_D03: people leaving detention",
                "source_url": SOURCE_URL,
                "illustrative": "false",
                "notes": _notes(
                    "left immigration detention, reason as published: "
                    + records["reason"]
                    + "; summed over sex, age and length of detention",
                    records,
                    rows.attrs["names"],
                ),
            },
        )
    by_reason = records.groupby(["reason", "type"], sort=False)["people"].sum()
    summary.append(
        f"{number(len(incidents))} incidents (host GBR, one per quarter, nationality and reason): "
        + ", ".join(
            f"{reason} -> {kind_} {number(n)}"
            for (reason, kind_), n in zip(by_reason.index.to_list(), by_reason.to_list(), strict=True)
        )
    )
    if zero.any():
        summary.append(f"skipped {number(zero.sum())} quarter-nationality-reason totals of 0 people")
    return ImportResult("uk-detention-leaving", {"incidents": incidents}, problems, summary + lines)


def read_in_detention(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """People in detention at quarter end -> stocks (in_detention), per quarter and nationality."""
    rows, problems, lines = _read(source, header, "people", (), progress)
    summary = [f"{number(rows.attrs['rows'])} rows of Home Office people in detention (Det_D02)"]
    records = _grouped(rows, ["quarter", "code"])
    if records.empty:
        stocks = empty_frame("stocks")
    else:
        stocks = text_frame(
            "stocks",
            records["row"],
            {
                "date": records["quarter"].to_numpy(),
                "host_country": "GBR",
                "nationality": records["code"].to_numpy(),
                "measure": "in_detention",
                "people": whole(records["people"]).to_numpy(),
                "source": f"{PUBLISHER}, detention table Det_D02: people in detention at the end of the quarter",
                "source_url": SOURCE_URL,
                "illustrative": "false",
                "notes": _notes(
                    "in immigration detention at the end of the quarter, summed over sex, age, place and "
                    "length of detention",
                    records,
                    rows.attrs["names"],
                ),
            },
        )
    summary.append(
        f"{number(len(stocks))} stock records (measure in_detention, host GBR, level at quarter end, one "
        f"per quarter and nationality; a published 0 is kept as a level of 0)"
    )
    return ImportResult("uk-detention-stock", {"stocks": stocks}, problems, summary + lines)


_NATIONALITY = COLUMNS["nationality"]
_WHEN_NEEDS = COLUMNS["date"] + COLUMNS["year"]

ENTERING_FORMAT = Format(
    "uk-detention-entering",
    "UK Home Office people entering detention (Det_D01, quarterly by nationality) -> incidents",
    (_NATIONALITY, _WHEN_NEEDS, COLUMNS["entering"]),
    read_entering,
    excludes=COLUMNS["reason"],
)
LEAVING_FORMAT = Format(
    "uk-detention-leaving",
    "UK Home Office people leaving detention by reason (Det_D03) -> incidents (deportation/release)",
    (_NATIONALITY, _WHEN_NEEDS, COLUMNS["reason"], COLUMNS["leaving"]),
    read_leaving,
)
STOCK_FORMAT = Format(
    "uk-detention-stock",
    "UK Home Office people in detention at quarter end (Det_D02) -> stocks (in_detention)",
    (_NATIONALITY, _WHEN_NEEDS, COLUMNS["people"], ("length_of_detention", "current_place_of_detention")),
    read_in_detention,
    excludes=COLUMNS["reason"] + COLUMNS["entering"] + COLUMNS["leaving"],
)
