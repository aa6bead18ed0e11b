"""Write the bundled sample data: data/incidents.csv, data/status.csv, data/timeline.csv.

Run with ``uv run python tools/make_sample.py``. Standard library only.

The few REAL records (``illustrative=false``) are written literally below, from a
named source. Everything else is ILLUSTRATIVE (``illustrative=true``, ids starting
``ILL-``, timeline labels starting ``Illustrative: ``): made up by a generator seeded
with ``random.Random(2010)``, so the output is the same on every run. Illustrative
rows never describe a real event.

The illustrative rows never use host KAZ with nationality UZB in 2010, so that the
Kazakhstan/Uzbekistan June 2010 figures come from the real records alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

INCIDENT_COLUMNS = (
    "incident_id",
    "date",
    "host_country",
    "location",
    "type",
    "nationality",
    "people",
    "unhcr_refugees",
    "follows",
    "source",
    "source_url",
    "illustrative",
    "notes",
)
STATUS_COLUMNS = (
    "record_id",
    "date",
    "host_country",
    "nationality",
    "authority",
    "decision",
    "people",
    "incident_id",
    "source",
    "source_url",
    "illustrative",
    "notes",
)
TIMELINE_COLUMNS = ("date", "end_date", "host_country", "label", "label_ru", "label_kk", "source")

# -- real records ----------------------------------------------------------------------------

IWPR_SOURCE = (
    "IWPR News Briefing Central Asia (early 2011): report on refugee protection in Kazakhstan "
    "raised at the UNHCR/IOM conference, Almaty, 15-16 March 2011"
)

REAL_INCIDENTS = [
    {
        "incident_id": "KAZ-2010-06-UZB",
        "date": "2010-06",
        "host_country": "KAZ",
        "location": "Almaty",
        "type": "detention",
        "nationality": "UZB",
        "people": 29,
        "unhcr_refugees": 17,
        "source": IWPR_SOURCE,
        "source_url": "",
        "illustrative": "false",
        "notes": (
            "29 Uzbek asylum-seekers accused of offences in Uzbekistan detained in June 2010; "
            "17 held UNHCR refugee status."
        ),
    },
]

REAL_STATUS = [
    {
        "record_id": "KAZ-2010-06-UZB-REV",
        "date": "2010-06",
        "host_country": "KAZ",
        "nationality": "UZB",
        "authority": "national",
        "decision": "revoked",
        "people": 17,
        "incident_id": "KAZ-2010-06-UZB",
        "source": IWPR_SOURCE,
        "source_url": "",
        "illustrative": "false",
        "notes": "UNHCR refugee status of 17 of the detained withdrawn under the new national procedure.",
    },
]

REAL_TIMELINE = [
    {
        "date": "2010",
        "end_date": "",
        "host_country": "KAZ",
        "label": "Kazakhstan moves refugee-status decisions from UNHCR to national authorities",
        "label_ru": "Казахстан передаёт решения о статусе беженца от УВКБ ООН национальным органам",
        "label_kk": "Қазақстан босқын мәртебесі туралы шешімдерді ұлттық органдарға береді (бұрын — БЖКБ)",
        "source": IWPR_SOURCE,
    },
    {
        "date": "2011-03-15",
        "end_date": "2011-03-16",
        "host_country": "KAZ",
        "label": "UNHCR/IOM conference on refugees and migration, Almaty",
        "label_ru": "Конференция УВКБ ООН и МОМ по беженцам и миграции, Алматы",
        "label_kk": "БЖКБ мен ХКҰ-ның босқындар мен көші-қон жөніндегі конференциясы, Алматы",
        "source": IWPR_SOURCE,
    },
]

# -- illustrative records --------------------------------------------------------------------

SEED = 2010
ILLUSTRATIVE_SOURCE = "Illustrative sample record, not a real event (refugee-stats sample data)"
FIRST_DAY = dt.date(2008, 1, 1)
LAST_DAY = dt.date(2012, 12, 31)

HOST_WEIGHTS = {"KAZ": 34, "KGZ": 24, "TJK": 16, "UZB": 14, "TKM": 8}

LOCATIONS = {
    "KAZ": ("Almaty", "Almaty", "Almaty", "Astana", "Astana", "Shymkent", "Karaganda", "Taraz", "Aktobe"),
    "KGZ": ("Bishkek", "Bishkek", "Osh", "Osh", "Jalal-Abad", "Batken"),
    "TJK": ("Dushanbe", "Dushanbe", "Khujand", "Kulob", "Khorog"),
    "TKM": ("Ashgabat", "Ashgabat", "Turkmenabat", "Dashoguz", "Mary"),
    "UZB": ("Tashkent", "Tashkent", "Samarkand", "Andijan", "Fergana", "Termez"),
}

#: Nationalities seen in each host, with weights (never the host itself).
NATIONALITIES = {
    "KAZ": {
        "UZB": 8,
        "CHN": 5,
        "AFG": 4,
        "RUS": 3,
        "TJK": 2,
        "KGZ": 2,
        "IRN": 1,
        "XXA": 2,
        "SYR": 2,
        "TKM": 1,
        "AZE": 2,
        "PAK": 1,
    },
    "KGZ": {"UZB": 8, "AFG": 3, "CHN": 3, "TJK": 2, "XXA": 2, "PAK": 1, "RUS": 1, "IRN": 1},
    "TJK": {"AFG": 9, "UZB": 2, "IRN": 2, "PAK": 2, "KGZ": 1, "XXA": 1},
    "TKM": {"AFG": 4, "IRN": 3, "UZB": 2, "AZE": 2, "XXA": 1},
    "UZB": {"AFG": 5, "TJK": 3, "KGZ": 2, "TKM": 2, "RUS": 1, "XXA": 1},
}

#: Date precision of illustrative rows: mostly days and months, some quarters, rarely a year.
PRECISION_WEIGHTS = {"day": 50, "month": 37, "quarter": 11, "year": 2}

DETENTION_NOTES = (
    "Illustrative: detained at the request of the country of origin.",
    "Illustrative: detained during an identity check.",
    "Illustrative: held pending a decision on an extradition request.",
    "Illustrative: detained for irregular stay.",
    "Illustrative: detained at a border crossing.",
    "",
    "",
)
STANDALONE_NOTES = {
    "deportation": "Illustrative: deported after an administrative expulsion order.",
    "forced_return": "Illustrative: returned without a formal procedure; no prior detention record.",
    "extradition": "Illustrative: extradited on a request from the country of origin.",
}


@dataclass
class Event:
    """One illustrative incident: one or more nationality rows sharing an id."""

    day: dt.date
    host: str
    location: str
    type: str
    groups: dict[str, tuple[int, int | None]]  # nationality -> (people, unhcr_refugees)
    parent: Event | None = None
    note: str = ""
    precision: str = "day"
    id: str = ""
    children: list[Event] = field(default_factory=list)


def forbidden(host: str, nationality: str, day: dt.date) -> bool:
    """The reserved cell: Kazakhstan hosting Uzbek nationals in 2010 holds real records only."""
    return host == "KAZ" and nationality == "UZB" and day.year == 2010


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def render(day: dt.date, precision: str) -> str:
    """A date at a precision: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY."""
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return f"{day.year}-{day.month:02d}"
    if precision == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def random_day(rng: random.Random, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def unhcr_count(rng: random.Random, people: int) -> int | None:
    """How many held UNHCR refugee status; blank (unknown) about 30% of the time."""
    if rng.random() < 0.3:
        return None
    if rng.random() < 0.45:
        return 0
    return rng.randint(0, people)


def group_size(rng: random.Random) -> int:
    if rng.random() < 0.06:
        return rng.randint(18, 60)
    return rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12, 15))


def location(rng: random.Random, host: str) -> str:
    return "" if rng.random() < 0.1 else rng.choice(LOCATIONS[host])


def make_detentions(rng: random.Random, count: int) -> list[Event]:
    events: list[Event] = []
    while len(events) < count:
        host = weighted(rng, HOST_WEIGHTS)
        day = random_day(rng, last=dt.date(2012, 11, 30))
        nationalities = [weighted(rng, NATIONALITIES[host])]
        if rng.random() < 0.13:  # a group of two nationalities detained together
            second = weighted(rng, NATIONALITIES[host])
            if second != nationalities[0]:
                nationalities.append(second)
        if any(forbidden(host, n, day) for n in nationalities):
            continue
        groups = {}
        for nationality in nationalities:
            people = group_size(rng)
            groups[nationality] = (people, unhcr_count(rng, people))
        events.append(
            Event(day, host, location(rng, host), "detention", groups, note=rng.choice(DETENTION_NOTES))
        )
    return events


def make_follow_ups(rng: random.Random, detentions: Iterable[Event]) -> list[Event]:
    """Releases and removals of (some of) the people in earlier detentions."""
    out: list[Event] = []
    for parent in detentions:
        roll = rng.random()
        if roll < 0.32:
            kinds = ["release"]
        elif roll < 0.62:
            kinds = [rng.choices(("extradition", "deportation", "forced_return"), weights=(5, 3, 2))[0]]
        elif roll < 0.70:  # some released, the others removed
            kinds = ["release", rng.choice(("extradition", "forced_return"))]
        else:
            continue
        day = parent.day
        for kind in kinds:
            day = day + dt.timedelta(days=rng.randint(5, 200))
            if day > LAST_DAY:
                break
            groups = {}
            for nationality, (people, refugees) in parent.groups.items():
                if forbidden(parent.host, nationality, day):
                    continue
                if len(parent.groups) > 1 and rng.random() < 0.3:
                    continue
                moved = people if len(kinds) == 1 and rng.random() < 0.6 else rng.randint(1, people)
                if refugees is None or rng.random() < 0.15:
                    moved_refugees = None
                else:
                    moved_refugees = (
                        min(refugees, moved) if kind != "release" else rng.randint(0, min(refugees, moved))
                    )
                groups[nationality] = (moved, moved_refugees)
            if not groups:
                continue
            place = parent.location if rng.random() < 0.8 else location(rng, parent.host)
            child = Event(day, parent.host, place, kind, groups, parent=parent)
            parent.children.append(child)
            out.append(child)
    return out


def make_standalone_removals(rng: random.Random, count: int) -> list[Event]:
    events: list[Event] = []
    while len(events) < count:
        host = weighted(rng, HOST_WEIGHTS)
        kind = rng.choice(("deportation", "deportation", "forced_return", "extradition"))
        nationality = weighted(rng, NATIONALITIES[host])
        day = random_day(rng)
        if forbidden(host, nationality, day):
            continue
        people = group_size(rng)
        groups = {nationality: (people, unhcr_count(rng, people))}
        events.append(Event(day, host, location(rng, host), kind, groups, note=STANDALONE_NOTES[kind]))
    return events


def account(detentions: Iterable[Event]) -> None:
    """Link each detention's follow-ups, in order, only while it still holds people (and refugees):
    a release and a removal after one detention never concern more people than it detained.
    A follow-up with more people than are left is kept as it is, unlinked (a removal with no
    detention on record), so the sample's counts stay those it always had."""
    for parent in detentions:
        left = dict(parent.groups)
        for child in list(parent.children):
            fits = all(
                moved <= left[n][0] and (refugees is None or left[n][1] is None or refugees <= left[n][1])
                for n, (moved, refugees) in child.groups.items()
            )
            if not fits:
                parent.children.remove(child)
                child.parent = None
                child.note = STANDALONE_NOTES.get(child.type, "")
                continue
            for nationality, (moved, refugees) in child.groups.items():
                people_left, refugees_left = left[nationality]
                left[nationality] = (
                    people_left - moved,
                    None if refugees_left is None else refugees_left - (refugees or 0),
                )


def follow_up_note(event: Event) -> str:
    assert event.parent is not None
    verb = {
        "release": "Released",
        "extradition": "Extradited",
        "deportation": "Deported",
        "forced_return": "Forcibly returned",
    }[event.type]
    return f"Illustrative: {verb} after detention {event.parent.id}."


def illustrative_incidents(rng: random.Random) -> list[Event]:
    detentions = make_detentions(rng, 70)
    follow_ups = make_follow_ups(rng, detentions)
    account(detentions)
    standalone = make_standalone_removals(rng, 10)
    events = sorted(detentions + follow_ups + standalone, key=lambda e: (e.day, e.host))
    for number, event in enumerate(events, start=1):
        event.id = f"ILL-I-{number:04d}"
        event.precision = weighted(rng, PRECISION_WEIGHTS)
    for event in events:
        if event.parent is not None:
            event.note = follow_up_note(event)
    return events


def incident_rows(events: Iterable[Event]) -> list[dict]:
    rows = []
    for event in events:
        for nationality, (people, refugees) in event.groups.items():
            rows.append(
                {
                    "incident_id": event.id,
                    "date": render(event.day, event.precision),
                    "host_country": event.host,
                    "location": event.location,
                    "type": event.type,
                    "nationality": nationality,
                    "people": people,
                    "unhcr_refugees": "" if refugees is None else refugees,
                    "follows": event.parent.id if event.parent is not None else "",
                    "source": ILLUSTRATIVE_SOURCE,
                    "source_url": "",
                    "illustrative": "true",
                    "notes": event.note,
                }
            )
    return rows


def authority(rng: random.Random, host: str, day: dt.date) -> str:
    """Who decides, roughly: Kazakhstan moves from UNHCR to national decisions in 2010."""
    if host == "KAZ":
        if day.year < 2010:
            return "unhcr" if rng.random() < 0.85 else "joint"
        return "national" if rng.random() < 0.85 else "joint"
    weights = {
        "KGZ": {"national": 6, "joint": 3, "unhcr": 1},
        "TJK": {"national": 6, "joint": 2, "unhcr": 2},
        "TKM": {"unhcr": 6, "joint": 3, "national": 1},
        "UZB": {"unhcr": 8, "joint": 1, "national": 1},
    }[host]
    return weighted(rng, weights)


LINKED_DECISIONS = {"applied": 4, "rejected": 3, "recognized": 1, "complementary": 1, "closed": 2}
FREE_DECISIONS = {"applied": 5, "recognized": 4, "complementary": 2, "rejected": 4, "revoked": 1, "closed": 2}
STATUS_NOTES = {
    "applied": (
        "Illustrative: asylum applications lodged.",
        "Illustrative: applications lodged from detention.",
        "",
    ),
    "recognized": ("Illustrative: refugee status granted.", ""),
    "complementary": ("Illustrative: temporary protection on humanitarian grounds.", ""),
    "rejected": (
        "Illustrative: applications rejected at first instance.",
        "Illustrative: rejected on appeal.",
        "",
    ),
    "revoked": ("Illustrative: refugee status withdrawn.", ""),
    "closed": ("Illustrative: cases closed after the applicants left.", "Illustrative: cases closed.", ""),
}


def status_rows(rng: random.Random, events: list[Event]) -> list[dict]:
    drafts: list[tuple[dt.date, dict]] = []

    def add(day: dt.date, host: str, nationality: str, decision: str, people: int, incident_id: str) -> None:
        drafts.append(
            (
                day,
                {
                    "host_country": host,
                    "nationality": nationality,
                    "authority": authority(rng, host, day),
                    "decision": decision,
                    "people": people,
                    "incident_id": incident_id,
                    "note": rng.choice(STATUS_NOTES[decision]),
                },
            )
        )

    # Decisions about people in illustrative detentions, linked by incident_id.
    for event in events:
        if event.type != "detention" or rng.random() > 0.45:
            continue
        nationality = rng.choice(list(event.groups))
        people, refugees = event.groups[nationality]
        day = event.day + dt.timedelta(days=rng.randint(0, 150))
        if day > LAST_DAY or forbidden(event.host, nationality, day):
            continue
        if refugees and rng.random() < 0.5:
            decision, count = "revoked", rng.randint(1, refugees)
        else:
            decision, count = weighted(rng, LINKED_DECISIONS), rng.randint(1, people)
        add(day, event.host, nationality, decision, count, event.id)

    # Decisions not tied to any recorded incident.
    while len(drafts) < 100:
        host = weighted(rng, HOST_WEIGHTS)
        nationality = weighted(rng, NATIONALITIES[host])
        day = random_day(rng)
        if forbidden(host, nationality, day):
            continue
        decision = weighted(rng, FREE_DECISIONS)
        people = rng.randint(1, 40) if decision == "applied" else group_size(rng)
        add(day, host, nationality, decision, people, "")

    drafts.sort(key=lambda d: (d[0], d[1]["host_country"]))
    rows = []
    for number, (day, draft) in enumerate(drafts, start=1):
        rows.append(
            {
                "record_id": f"ILL-S-{number:04d}",
                "date": render(day, weighted(rng, PRECISION_WEIGHTS)),
                "host_country": draft["host_country"],
                "nationality": draft["nationality"],
                "authority": draft["authority"],
                "decision": draft["decision"],
                "people": draft["people"],
                "incident_id": draft["incident_id"],
                "source": ILLUSTRATIVE_SOURCE,
                "source_url": "",
                "illustrative": "true",
                "notes": draft["note"],
            }
        )
    return rows


def timeline_rows(rng: random.Random) -> list[dict]:
    def day_in(year: int, month: int) -> dt.date:
        return dt.date(year, month, rng.randint(1, 28))

    start = day_in(2009, 4)
    seminar = day_in(2012, 10)
    return [
        {
            "date": "2008-09",
            "end_date": "",
            "host_country": "KGZ",
            "label": "Illustrative: registration campaign for asylum-seekers",
            "label_ru": "Иллюстрация: кампания по регистрации лиц, ищущих убежища",
            "label_kk": "Иллюстрация: баспана іздеушілерді тіркеу науқаны",
        },
        {
            "date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=rng.randint(60, 90))).isoformat(),
            "host_country": "",
            "label": "Illustrative: regional consultations on readmission",
            "label_ru": "Иллюстрация: региональные консультации по реадмиссии",
            "label_kk": "Иллюстрация: реадмиссия жөніндегі өңірлік консультациялар",
        },
        {
            "date": "2011-Q3",
            "end_date": "",
            "host_country": "TJK",
            "label": "Illustrative: amended asylum procedure takes effect",
            "label_ru": "Иллюстрация: вступает в силу изменённая процедура предоставления убежища",
            "label_kk": "Иллюстрация: баспана берудің өзгертілген рәсімі күшіне енеді",
        },
        {
            "date": "2012-02",
            "end_date": "2012-05",
            "host_country": "TKM",
            "label": "Illustrative: period of tightened border controls",
            "label_ru": "Иллюстрация: период усиленного пограничного контроля",
            "label_kk": "Иллюстрация: шекаралық бақылау күшейтілген кезең",
        },
        {
            "date": seminar.isoformat(),
            "end_date": "",
            "host_country": "",
            "label": "Illustrative: regional seminar on refugee protection",
            "label_ru": "Иллюстрация: региональный семинар по защите беженцев",
            "label_kk": "Иллюстрация: босқындарды қорғау жөніндегі өңірлік семинар",
        },
    ]


# -- output ----------------------------------------------------------------------------------


def write(path: Path, columns: Iterable[str], rows: Iterable[dict]) -> int:
    columns = list(columns)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
            count += 1
    return count


def check(incidents: list[dict], status: list[dict]) -> None:
    """Refuse to write data that breaks the sample's own rules."""
    for row in incidents + status:
        if row["illustrative"] != "true":
            continue
        reserved = (
            row["host_country"] == "KAZ" and row["nationality"] == "UZB" and row["date"].startswith("2010")
        )
        if reserved or row["host_country"] == row["nationality"]:
            raise SystemExit(f"illustrative row breaks the sample rules: {row}")
    keys = [(r["incident_id"], r["nationality"]) for r in incidents]
    if len(keys) != len(set(keys)):
        raise SystemExit("duplicate (incident_id, nationality) in incidents")
    ids = {r["incident_id"] for r in incidents}
    if any(r["incident_id"] and r["incident_id"] not in ids for r in status):
        raise SystemExit("status row refers to an unknown incident")


def main() -> None:
    rng = random.Random(SEED)
    events = illustrative_incidents(rng)
    incidents = REAL_INCIDENTS + incident_rows(events)
    status = REAL_STATUS + status_rows(rng, events)
    timeline = REAL_TIMELINE + [{**row, "source": ILLUSTRATIVE_SOURCE} for row in timeline_rows(rng)]
    check(incidents, status)
    DATA_DIR.mkdir(exist_ok=True)
    for name, columns, rows in (
        ("incidents.csv", INCIDENT_COLUMNS, incidents),
        ("status.csv", STATUS_COLUMNS, status),
        ("timeline.csv", TIMELINE_COLUMNS, timeline),
    ):
        count = write(DATA_DIR / name, columns, rows)
        print(f"wrote {count} rows to {DATA_DIR / name}")


if __name__ == "__main__":
    main()
