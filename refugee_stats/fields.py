"""One field-metadata table that drives the load schemas, display labels and data docs.

Each row of :data:`FIELDS` describes one column of one input table. The pandera
schemas in :mod:`refugee_stats.schema`, the English labels used on charts and
tables, and ``data/README.md`` (checked by a test) are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

from refugee_stats.i18n import DEFAULT_LANGUAGE, LANGUAGES, label_column

TABLES = ("incidents", "status", "stocks", "timeline")

INCIDENT_TYPES = ("detention", "release", "extradition", "deportation", "forced_return")
AUTHORITIES = ("unhcr", "national", "joint")
DECISIONS = ("applied", "recognized", "complementary", "rejected", "revoked", "closed")
GRANULARITIES = ("month", "quarter", "year")
UNITS = ("persons", "cases")
MEASURES = ("refugees", "asylum_seekers", "in_detention")
PRECISIONS = ("day", "month", "quarter", "year")

#: Incident types counted as "extradited or deported" in the key figures.
REMOVAL_TYPES = ("extradition", "deportation", "forced_return")

DATE_FORMATS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"


@dataclass(frozen=True)
class Field:
    """One column of one input table."""

    table: str
    name: str
    kind: str  # id, date, country, enum, count, text, url, flag
    required: bool
    description: str
    values: tuple[str, ...] = ()
    default: str | None = None  # the value a blank cell stands for


def _provenance(table: str, *, source: str = "Who reported it: publisher and document.") -> tuple[Field, ...]:
    """The columns every table of counted records ends with: where each record comes from."""
    return (
        Field(table, "source", "text", True, source),
        Field(table, "source_url", "url", False, "Link to the source: http(s) only."),
        Field(table, "illustrative", "flag", False, "`true` for made-up sample records (default `false`)."),
        Field(table, "notes", "text", False, "Free text."),
    )


@dataclass(frozen=True)
class Table:
    """One input table: what identifies a record in it, and the header columns that tell it apart."""

    name: str
    key: tuple[str, ...]  # a second record with the same key is a duplicate
    duplicate: str  # what a duplicate is told
    detect: tuple[str, ...]  # columns that name the table when the file's name does not


TABLE_SPECS: dict[str, Table] = {
    "incidents": Table(
        "incidents",
        ("incident_id", "nationality"),
        "duplicate row for this incident_id and nationality",
        ("incident_id", "type"),
    ),
    "status": Table(
        "status", ("record_id",), "duplicate value; must be unique in the file", ("record_id", "decision")
    ),
    "stocks": Table(
        "stocks",
        ("date", "host_country", "nationality", "measure"),
        "duplicate row: another row has the same date, host_country, nationality and measure",
        ("measure", "people"),
    ),
    "timeline": Table("timeline", (), "", ("label", "date")),
}


def _label_field(lang: str) -> Field:
    """The timeline column of labels in ``lang`` (``label_ru``), named in English in the docs."""
    name = Locale.parse(lang).get_display_name("en")
    return Field("timeline", label_column(lang), "text", False, f"The label in {name}.")


FIELDS: tuple[Field, ...] = (
    # incidents ---------------------------------------------------------------
    Field(
        "incidents",
        "incident_id",
        "id",
        True,
        "Identifier of the incident. An incident with two nationalities is two rows sharing one `incident_id`.",
    ),
    Field(
        "incidents",
        "date",
        "date",
        True,
        f"When it happened: {DATE_FORMATS}. The precision is kept and shown.",
    ),
    Field(
        "incidents",
        "host_country",
        "country",
        True,
        "Country where it happened: ISO 3166-1 alpha-3 code, alpha-2 code, or English or Russian name.",
    ),
    Field("incidents", "location", "text", False, "City or region, never finer."),
    Field("incidents", "type", "enum", True, "What happened.", INCIDENT_TYPES),
    Field(
        "incidents",
        "nationality",
        "country",
        True,
        "Nationality of the people concerned (code or name, as for `host_country`).",
    ),
    Field("incidents", "people", "count", True, "Number of people: a whole number >= 1."),
    Field(
        "incidents",
        "unhcr_refugees",
        "count0",
        False,
        "Of whom held UNHCR refugee status at the time: 0..`people`. Blank means unknown, which is not zero.",
    ),
    Field(
        "incidents",
        "follows",
        "ref",
        False,
        "For a release, extradition, deportation or forced return: the `incident_id` of the detention "
        "it followed (rows of the same nationality are linked). The status pipeline then shows these "
        "people as what happened next to that detention; `unhcr_refugees` says how many of them "
        "held UNHCR refugee status. Must exist in incidents.csv when given.",
    ),
    *_provenance("incidents"),
    # status ------------------------------------------------------------------
    Field("status", "record_id", "id", True, "Identifier of the record, unique in the file."),
    Field("status", "date", "date", True, f"Date of the decision: {DATE_FORMATS}."),
    Field(
        "status",
        "host_country",
        "country",
        True,
        "Country whose procedure it is (code or name).",
    ),
    Field(
        "status",
        "nationality",
        "country",
        True,
        "Nationality of the people concerned (code or name).",
    ),
    Field("status", "authority", "enum", True, "Who decided.", AUTHORITIES),
    Field("status", "decision", "enum", True, "What was decided.", DECISIONS),
    Field(
        "status",
        "people",
        "count",
        True,
        "Number of people (or of cases, see `unit`): a whole number >= 1.",
    ),
    Field(
        "status",
        "unit",
        "enum",
        False,
        "What `people` counts: `persons` (default) or `cases` (a case may cover a family). Cases are never added to persons: charts and key figures use persons only.",
        UNITS,
        default="persons",
    ),
    Field(
        "status",
        "incident_id",
        "ref",
        False,
        "Incident this decision follows from; must exist in incidents.csv when given.",
    ),
    *_provenance("status"),
    # stocks ----------------------------------------------------------------
    Field(
        "stocks",
        "date",
        "date",
        True,
        f"The day, or the end of the month, quarter or year, at which the count stands: {DATE_FORMATS}.",
    ),
    Field(
        "stocks",
        "host_country",
        "country",
        True,
        "Country where the people are (code or name).",
    ),
    Field(
        "stocks",
        "nationality",
        "country",
        True,
        "Nationality or country of origin (code or name).",
    ),
    Field(
        "stocks",
        "measure",
        "enum",
        True,
        "What is counted. A stock is a level at one moment: it is charted as such and never added up across dates.",
        MEASURES,
    ),
    Field("stocks", "people", "count0", True, "Number of people at that moment: a whole number >= 0."),
    *_provenance("stocks", source="Who published it: publisher and table."),
    # timeline ----------------------------------------------------------------
    Field(
        "timeline",
        "date",
        "date",
        True,
        f"When the event happened or the period began: {DATE_FORMATS}.",
    ),
    Field(
        "timeline",
        "end_date",
        "date",
        False,
        "Last day (or month, quarter, year) of a period; blank for a single event.",
    ),
    Field(
        "timeline",
        "host_country",
        "country",
        False,
        "Country it concerns; blank means everywhere.",
    ),
    Field("timeline", "label", "text", True, "Short label drawn on the charts (English)."),
    # the label in each language with a catalog other than English: label_kk, label_ru
    *(_label_field(lang) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE),
    Field("timeline", "source", "text", True, "Who reported it: publisher and document."),
)

#: Columns the loader adds to every table so each number traces back to its file and row.
TRACE_COLUMNS = ("source_file", "source_row")


def fields(table: str) -> tuple[Field, ...]:
    """The fields of one table, in documented order."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    return tuple(f for f in FIELDS if f.table == table)


def field_names(table: str) -> list[str]:
    """Column names of one table, in documented order."""
    return [f.name for f in fields(table)]


def markdown_table(table: str) -> str:
    """The documentation table of one input table, as it stands in ``data/README.md``."""
    lines = ["| column | required | meaning |", "|---|---|---|"]
    for f in fields(table):
        values = f" One of: {', '.join(f'`{v}`' for v in f.values)}." if f.values else ""
        lines.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.description}{values} |")
    return "\n".join(lines)


def markdown_codes() -> str:
    """The table of codes outside ISO 3166-1 (names, convention, publishers' labels), as in ``data/README.md``."""
    from refugee_stats.countries import EXTRA_CODES  # late: fields is imported by the loader's schema
    from refugee_stats.importers.places import NOT_ONE_COUNTRY

    labels: dict[str, list[str]] = {}
    for label, code in NOT_ONE_COUNTRY.items():
        labels.setdefault(code, []).append(f"`{label}`")
    lines = [
        "| code | English | Russian | convention | publishers' labels imported under it |",
        "|---|---|---|---|---|",
    ]
    for code, extra in EXTRA_CODES.items():
        lines.append(
            f"| `{code}` | {extra['en']} | {extra['ru']} | {extra['convention']} | "
            f"{', '.join(labels.get(code, [])) or '-'} |"
        )
    return "\n".join(lines)
