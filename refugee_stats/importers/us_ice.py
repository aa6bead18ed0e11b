"""U.S. ICE detention book-ins released under FOIA: one row per person booked into detention.

Two layouts, recognised by their header row:

* ICE's own export: pipe-delimited, a few lines of notes above the header
  (``Book In Date | Date of Birth | Gender | Country of Citizenship | ...``), dates ``M/D/YYYY``,
  often gzip-compressed;
* a plain CSV with ``book_in_date`` (ISO dates) and ``country_of_citizenship`` (such as the
  University of Washington Center for Human Rights' cleaned copy).

Rows are counted into one incidents record per day and country of citizenship (type
``detention``, host USA): never one record per person. Only the two columns needed are read:
the (redacted) date of birth and every other personal column never enter memory.
"""

from __future__ import annotations

import re

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
    empty_frame,
    many,
    number,
    published_names,
    text_frame,
    valid_date,
)
from refugee_stats.ingest.problems import Problem, phrase

PUBLISHER = "U.S. Immigration and Customs Enforcement (ICE)"
UWCHR_URL = "https://github.com/UWCHR/ice-enforce"

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("book_in_date",),
    "citizenship": ("country_of_citizenship", "citizenship_country", "citizenship"),
}


def _day(value: str) -> str | None:
    """``YYYY-MM-DD`` from ``M/D/YYYY`` or ``YYYY-MM-DD[ time]``, if it is a valid, past date."""
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?", text)
    if match:
        text = f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}"
    else:
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T].*)?", text)
        if not match:
            return None
        text = match[1]
    return text if valid_date(text) else None


def _preamble(header: Header) -> list[str]:
    lines = []
    for line in header.preamble:
        text = line.strip().strip(header.delimiter).strip().strip('"').strip()
        if text:
            lines.append(text)
    return lines


def read_bookins(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """ICE book-ins -> incidents of type detention, one per day and country of citizenship."""
    columns = header.resolve(COLUMNS)
    frame = source.read(header, columns, progress)  # only these two columns are ever read
    label = {c: header.names[p] for c, p in columns.items()}
    notes = _preamble(header)
    title = next((line for line in notes if re.search(r"book\s*ins?", line, re.IGNORECASE)), "")
    area = re.search(r"for the (.+? Area of Responsibility)", title, re.IGNORECASE)
    # UWCHR (University of Washington Center for Human Rights) obtained the release ("UW v. DHS")
    # and added year, month, day and state to its cleaned copy.
    uwchr = any("UW v. DHS" in line for line in notes)
    uwchr = uwchr or {"state", "year", "month", "day"} <= set(header.keys)
    summary = [f"{number(len(frame))} rows of ICE book-ins (one row per person)"]
    if title:
        summary.append(f"file title: {title}")
    problems: list[Problem] = []

    days = frame["date"].map({v: _day(v) for v in pd.unique(frame["date"])})
    found, n = cell_problems(
        source.file,
        label["date"],
        frame["date"],
        days.isna(),
        lambda v: (phrase("problem_not_a_day"), "error"),
    )
    problems += found
    lines = [f"{many(n, 'row')} left out: no valid book-in date"] if n else []
    codes = country_codes(frame["citizenship"])
    found, _ = cell_problems(
        source.file, label["citizenship"], frame["citizenship"], codes.isna(), country_message
    )
    problems += found
    bad = codes.isna() & days.notna()  # book-ins not already left out for their date
    if bad.any():
        lines.append(
            f"{many(int(bad.sum()), 'book-in')} left out: citizenship is not one country we can map "
            f"({', '.join(sorted(set(frame.loc[bad, 'citizenship'])))})"
        )
    names = published_names(frame["citizenship"], codes)
    rows = pd.DataFrame({"row": frame.index, "day": days.to_numpy(), "code": codes.to_numpy()}).dropna()
    records = (
        rows.groupby(["day", "code"], sort=False)
        .agg(people=("row", "size"), row=("row", "min"))
        .reset_index()
        .sort_values("row", kind="stable")
    )
    if records.empty:
        incidents = empty_frame("incidents")
    else:
        what = title or "initial book-ins"
        incidents = text_frame(
            "incidents",
            records["row"],
            {
                "incident_id": ("ICE-BOOKIN-" + records["day"] + "-" + records["code"]).to_numpy(),
                "date": records["day"].to_numpy(),
                "host_country": "USA",
                "location": area[1] if area else None,
                "type": "detention",
                "nationality": records["code"].to_numpy(),
                "people": records["people"].astype(str).to_numpy(),
                "source": f"{PUBLISHER} FOIA release: {what}",
                "source_url": UWCHR_URL if uwchr else None,
                "illustrative": "false",
                "notes": (
                    records["people"].astype(str)
                    + records["people"].map(lambda n: " initial book-in" if n == 1 else " initial book-ins")
                    + " into ICE detention on the day; country of citizenship as published: "
                    + records["code"].map(names)
                ).to_numpy(),
            },
        )
    summary.append(
        f"{number(len(incidents))} incidents (type detention, host USA, one per day and citizenship): "
        f"{number(records['people'].sum())} book-ins"
    )
    dropped = [n for i, n in enumerate(header.names) if i not in columns.values() and n.strip()]
    if dropped:
        summary.append(f"columns not read (personal or not needed, never imported): {', '.join(dropped)}")
    return ImportResult("ice-bookins", {"incidents": incidents}, problems, summary + lines)


BOOKINS_FORMAT = Format(
    "ice-bookins",
    "U.S. ICE FOIA detention book-ins, one row per person (pipe export with notes, or CSV) -> incidents",
    (COLUMNS["date"], COLUMNS["citizenship"]),
    read_bookins,
)
