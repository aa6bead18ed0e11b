"""UNHCR Refugee Data Finder: asylum decisions -> status, population -> stocks.

Two layouts are read, recognised by their header row:

* the API / ``refugees`` R-package layout (``year, coo_name, coo, coo_iso, coa_name, coa, coa_iso, ...``);
* the website's CSV download, with lines of notes above the header and long column names
  (``"Country of origin (ISO)"``, ``"Refugees under UNHCR's mandate"``, ``"-"`` for no figure).

Countries come from the ISO columns (``coa_iso`` = host country, ``coo_iso`` = nationality), falling
back to the name columns where the ISO cell is blank. UNHCR's own codes for origins that are not
a country are imported under explicit codes: ``UNK``/``UKN`` (unknown) -> ``XXX``, ``STA``
(stateless) -> ``XXA``, ``TIB`` (Tibetan) -> ``XTI`` (see :mod:`refugee_stats.importers.places`).
Dates are the year, as published (``2019``).

Decision levels: ``dec_level`` holds codes such as ``FI`` and the literal code ``NA`` (new
applications), which is a real code, not a missing value; every cell is read as text.
"""

from __future__ import annotations

import pandas as pd

from refugee_stats.importers.base import (
    Counts,
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
    text_frame,
    valid_date,
    whole,
)
from refugee_stats.ingest.problems import Problem, phrase

SOURCE_URL = "https://www.unhcr.org/refugee-statistics/"
DECISIONS_SOURCE = "UNHCR Refugee Data Finder: asylum decisions"
POPULATION_SOURCE = "UNHCR Refugee Data Finder: population (stock at year end)"

#: Canonical column -> its names in the API layout and in the website download (normalised).
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "coo_name": ("coo_name", "country_of_origin"),
    "coo_iso": ("coo_iso", "country_of_origin_iso"),
    "coa_name": ("coa_name", "country_of_asylum"),
    "coa_iso": ("coa_iso", "country_of_asylum_iso"),
    "procedure_type": ("procedure_type", "authority"),
    "dec_level": ("dec_level", "stage_of_procedure", "decision_level"),
    "dec_pc": ("dec_pc", "cases_persons"),
    "dec_recognized": ("dec_recognized", "recognized_decisions"),
    "dec_other": ("dec_other", "complementary_protection"),
    "dec_rejected": ("dec_rejected", "rejected_decisions"),
    "dec_closed": ("dec_closed", "otherwise_closed"),
    "dec_total": ("dec_total", "total_decisions"),
    "refugees": ("refugees", "refugees_under_unhcr_s_mandate"),
    "asylum_seekers": ("asylum_seekers",),
}

#: ``procedure_type`` (or the website's "Authority") -> status ``authority``.
AUTHORITIES = {
    "g": "national",
    "government": "national",
    "j": "joint",
    "joint": "joint",
    "u": "unhcr",
    "unhcr": "unhcr",
}

#: ``dec_pc`` (or "Cases / Persons") -> status ``unit``. Cases and persons are never added together.
UNITS = {"p": "persons", "persons": "persons", "c": "cases", "cases": "cases"}

#: Decision columns -> status ``decision``, in output order.
DECISIONS = {
    "dec_recognized": "recognized",
    "dec_other": "complementary",
    "dec_rejected": "rejected",
    "dec_closed": "closed",
}

#: Decision levels named in UNHCR's documentation; other codes are kept as they are.
DECISION_LEVELS = {
    "FI": "first instance",
    "AR": "administrative review",
    "RA": "repeat or reopened applications",
    "NA": "new applications",
}

#: Population columns -> stocks ``measure``. The other population groups (returned refugees,
#: IDPs, stateless people, others of concern, other people in need of international protection,
#: host community) have no measure in the data contract and are not imported.
MEASURES = {"refugees": "refugees", "asylum_seekers": "asylum_seekers"}

_COUNTRY_NEEDS = (COLUMNS["coo_iso"] + COLUMNS["coo_name"], COLUMNS["coa_iso"] + COLUMNS["coa_name"])


def _layout(header: Header) -> str:
    return "API layout" if "coo_iso" in header.keys or "coa_iso" in header.keys else "website download layout"


def _country(
    frame: pd.DataFrame, iso: str, name: str, label: dict[str, str]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The cell used for each row (ISO code, else the name), the column it is in, and its alpha-3 code."""
    raw = frame[iso] if iso in frame else pd.Series("", index=frame.index, dtype=object)
    column = pd.Series(label.get(iso, label.get(name, iso)), index=frame.index, dtype=object)
    if name in frame:
        fallback = raw.isin(["", "-"])
        raw = raw.where(~fallback, frame[name])
        column = column.where(~fallback, label[name])
    return raw, column, country_codes(raw)


class _Rows:
    """Per-row checks shared by both tables: year, host country and nationality."""

    def __init__(self, source: Source, header: Header, frame: pd.DataFrame, people: pd.Series) -> None:
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        label = {c: header.names[p] for c, p in header.resolve(COLUMNS).items()}
        self.year = frame["year"]
        good_year = self.year.map({y: y.isdigit() and valid_date(y) for y in pd.unique(self.year)})
        found, _ = cell_problems(
            source.file,
            label["year"],
            self.year,
            ~good_year,
            lambda v: (phrase("problem_not_a_year"), "error"),
            people,
        )
        self.problems += found
        keep = good_year.copy()
        self.codes = {}
        for role, (iso, name) in (
            ("host", ("coa_iso", "coa_name")),
            ("nationality", ("coo_iso", "coo_name")),
        ):
            raw, column, codes = _country(frame, iso, name, label)
            found, _ = cell_problems(source.file, column, raw, codes.isna(), country_message, people)
            self.problems += found
            bad = codes.isna() & keep  # rows not already left out for an earlier reason
            if bad.any():
                self.lines.append(
                    f"{many(int(bad.sum()), 'row')} left out: {role} is not a country we can map "
                    f"({', '.join(sorted(set(raw[bad])))})"
                )
            self.codes[role] = codes
            keep &= codes.notna()
        self.keep = keep

    def long(
        self,
        source: Source,
        label: dict[str, str],
        parsed: dict[str, Counts],
        keep: pd.Series,
        kind: str,
        kinds: dict[str, str],
        also: dict[str, pd.Series],
    ) -> tuple[pd.DataFrame, int, int, list[Problem]]:
        """Wide count columns to long records, summed over rows that share every key.

        One row per year, host, nationality, ``also`` value and ``kind`` (the value ``kinds`` gives
        each count column) with a positive count: ``people``, the first source ``row`` and the
        column's ``order`` in ``kinds``. Also returns the zero and blank cells skipped and the
        problems of unreadable counts.
        """
        parts, problems = [], []
        zeros = missing = 0
        for order, (column, value) in enumerate(kinds.items()):
            if column not in parsed:
                continue
            counted = parsed[column]
            problems += _count_problems(source, label[column], counted)
            zeros += int((keep & (counted.numbers == 0)).sum())
            missing += int((keep & counted.missing).sum())
            take = keep & (counted.numbers > 0)
            parts.append(
                pd.DataFrame(
                    {
                        "row": take.index[take],
                        "year": self.year[take].to_numpy(),
                        "host": self.codes["host"][take].to_numpy(),
                        "nationality": self.codes["nationality"][take].to_numpy(),
                        **{name: series[take].to_numpy() for name, series in also.items()},
                        kind: value,
                        "order": order,
                        "people": counted.numbers[take].to_numpy(),
                    }
                )
            )
        records = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["row"])
        if not records.empty:
            keys = ["year", "host", "nationality", *also, kind]
            records = (
                records.groupby(keys, sort=False, dropna=False)
                .agg(people=("people", "sum"), row=("row", "min"), order=("order", "first"))
                .reset_index()
                .sort_values(["row", "order"], kind="stable")
            )
        return records, zeros, missing, problems


def _count_problems(source: Source, column: str, parsed: Counts) -> list[Problem]:
    """One problem per count cell that is not a whole number (the rest of its row is imported)."""
    found, _ = cell_problems(
        source.file,
        column,
        parsed.cells,
        parsed.bad,
        lambda v: (phrase("problem_not_whole_count"), "error"),
        unit="cell",
    )
    return found


def read_decisions(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """UNHCR asylum decisions -> status records, one per source row and non-zero decision column."""
    columns = header.resolve(COLUMNS)
    frame = source.read(header, columns, progress)
    label = {c: header.names[p] for c, p in columns.items()}
    summary = [f"{number(len(frame))} rows of UNHCR asylum decisions ({_layout(header)})"]
    decision_columns = [c for c in DECISIONS if c in frame]
    parsed = {c: counts(frame[c]) for c in decision_columns}
    people = sum((p.numbers.fillna(0) for p in parsed.values()), pd.Series(0.0, index=frame.index))
    rows = _Rows(source, header, frame, people)
    problems, lines = rows.problems, rows.lines

    authority = frame["procedure_type"].str.casefold().map(AUTHORITIES)
    found, _ = cell_problems(
        source.file,
        label["procedure_type"],
        frame["procedure_type"],
        authority.isna(),
        lambda v: (phrase("problem_unknown_procedure"), "error"),
        people,
    )
    problems += found
    n = int((authority.isna() & rows.keep).sum())
    unit = frame["dec_pc"].str.casefold().map(UNITS)
    found, _ = cell_problems(
        source.file,
        label["dec_pc"],
        frame["dec_pc"],
        unit.isna(),
        lambda v: (phrase("problem_unknown_unit"), "error"),
        people,
    )
    problems += found
    m = int((unit.isna() & rows.keep & authority.notna()).sum())
    keep = rows.keep & authority.notna() & unit.notna()
    level = frame["dec_level"] if "dec_level" in frame else pd.Series("", index=frame.index, dtype=object)

    records, zeros, missing, found = rows.long(
        source,
        label,
        parsed,
        keep,
        "decision",
        DECISIONS,
        {
            "authority": authority,
            "procedure": frame["procedure_type"].str.upper(),
            "level": level,
            "unit": unit,
        },
    )
    problems += found
    if records.empty:
        status = empty_frame("status")
    else:
        level_text = records["level"].where(records["level"] != "", "-")
        labels = records["level"].map(
            lambda v: f" ({DECISION_LEVELS[str(v)]})" if v in DECISION_LEVELS else ""
        )
        status = text_frame(
            "status",
            records["row"],
            {
                "record_id": (
                    "UNHCR-"
                    + records["year"]
                    + "-"
                    + records["host"]
                    + "-"
                    + records["nationality"]
                    + "-"
                    + records["procedure"]
                    + "-"
                    + level_text
                    + "-"
                    + records["unit"]
                    + "-"
                    + records["decision"]
                ).to_numpy(),
                "date": records["year"].to_numpy(),
                "host_country": records["host"].to_numpy(),
                "nationality": records["nationality"].to_numpy(),
                "authority": records["authority"].to_numpy(),
                "decision": records["decision"].to_numpy(),
                "people": whole(records["people"]).to_numpy(),
                "unit": records["unit"].to_numpy(),
                "source": DECISIONS_SOURCE,
                "source_url": SOURCE_URL,
                "illustrative": "false",
                "notes": (
                    "UNHCR procedure type "
                    + records["procedure"]
                    + ", decision level "
                    + level_text
                    + labels
                    + ", counted in "
                    + records["unit"]
                ).to_numpy(),
            },
        )
        by_unit = records.groupby("unit")["people"].agg(["sum", "size"])
        by_decision = records.groupby("decision", sort=False)["people"].sum()
        summary.append(
            f"{number(len(status))} status records: "
            + ", ".join(f"{d} {number(by_decision.get(d, 0))}" for d in DECISIONS.values())
        )
        summary += [
            f"unit {u}: {number(total)} in {number(size)} records"
            for u, total, size in zip(
                by_unit.index, by_unit["sum"].tolist(), by_unit["size"].tolist(), strict=True
            )
        ]
        summary.append("cases and persons are kept apart: dec_pc C -> unit cases, P -> unit persons")
    summary.append(
        "procedure_type G -> national, J -> joint, U -> unhcr; dec_recognized -> recognized, "
        "dec_other -> complementary, dec_rejected -> rejected, dec_closed -> closed; "
        "dec_level kept in record_id and notes"
    )
    summary.append(f"skipped {number(zeros)} zero decision counts (a zero is not a record)")
    if missing:
        summary.append(f"skipped {number(missing)} blank or '-' decision cells (no figure)")
    if n or m:
        summary.append(f"{number(n + m)} rows left out: unknown procedure type or unit")
    summary += lines
    if "dec_total" in frame:
        total = counts(frame["dec_total"]).numbers
        mismatch = int((keep & total.notna() & (total.round() != people.round())).sum())
        summary.append(
            "dec_total not imported (it is the sum of the decisions)"
            + (f"; in {number(mismatch)} rows it differs from that sum" if mismatch else "")
        )
    return ImportResult("unhcr-decisions", {"status": status}, problems, summary)


def read_population(source: Source, header: Header, progress: Progress | None = None) -> ImportResult:
    """UNHCR population -> stocks of refugees and asylum-seekers at year end."""
    columns = header.resolve(COLUMNS)
    frame = source.read(header, columns, progress)
    label = {c: header.names[p] for c, p in columns.items()}
    summary = [f"{number(len(frame))} rows of UNHCR population statistics ({_layout(header)})"]
    measure_columns = [c for c in MEASURES if c in frame]
    parsed = {c: counts(frame[c]) for c in measure_columns}
    people = sum((p.numbers.fillna(0) for p in parsed.values()), pd.Series(0.0, index=frame.index))
    rows = _Rows(source, header, frame, people)
    problems, keep = rows.problems, rows.keep
    records, zeros, missing, found = rows.long(source, label, parsed, keep, "measure", MEASURES, {})
    problems += found
    if records.empty:
        stocks = empty_frame("stocks")
    else:
        stocks = text_frame(
            "stocks",
            records["row"],
            {
                "date": records["year"].to_numpy(),
                "host_country": records["host"].to_numpy(),
                "nationality": records["nationality"].to_numpy(),
                "measure": records["measure"].to_numpy(),
                "people": whole(records["people"]).to_numpy(),
                "source": POPULATION_SOURCE,
                "source_url": SOURCE_URL,
                "illustrative": "false",
            },
        )
        by_measure = records.groupby("measure", sort=False)["people"].agg(["sum", "size"])
        summary.append(
            f"{number(len(stocks))} stock records (levels at year end, never summed across years): "
            + ", ".join(
                f"{m} {number(total)} in {number(size)} records"
                for m, total, size in zip(
                    by_measure.index, by_measure["sum"].tolist(), by_measure["size"].tolist(), strict=True
                )
            )
        )
    summary.append("refugees -> measure refugees, asylum_seekers -> measure asylum_seekers; date = year")
    summary.append(
        f"skipped {number(zeros)} zero cells: UNHCR's table is zero-filled (a pair appears when any "
        "group is non-zero), so a zero is not a reported level"
    )
    if missing:
        summary.append(f"skipped {number(missing)} blank or '-' cells (no figure)")
    summary += rows.lines
    others = [
        header.names[i]
        for i, key in enumerate(header.keys)
        if key and i not in columns.values() and key not in ("coo", "coa")
    ]
    if others:
        summary.append(f"not imported (no matching measure in the data contract): {', '.join(others)}")
    return ImportResult("unhcr-population", {"stocks": stocks}, problems, summary)


DECISIONS_FORMAT = Format(
    "unhcr-decisions",
    "UNHCR Refugee Data Finder asylum decisions (API/R-package or website CSV) -> status",
    (
        COLUMNS["year"],
        *_COUNTRY_NEEDS,
        *(COLUMNS[c] for c in ("procedure_type", "dec_pc", "dec_recognized", "dec_rejected")),
    ),
    read_decisions,
)

POPULATION_FORMAT = Format(
    "unhcr-population",
    "UNHCR Refugee Data Finder population (API/R-package or website CSV) -> stocks",
    (COLUMNS["year"], *_COUNTRY_NEEDS, COLUMNS["refugees"], COLUMNS["asylum_seekers"]),
    read_population,
)
