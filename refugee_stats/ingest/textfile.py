"""Text files as rows of cells: one decoding step, and every oddity reported at its row.

:func:`decode` turns bytes into text once, for the loader and the importers alike: UTF-8
(with or without a BOM), UTF-16 (with or without a BOM), or, when the bytes are not UTF-8,
the legacy code page charset-normalizer finds likeliest among Windows-1252 (Western
European) and Windows-1251 (Cyrillic). A UTF-8 file with a few rows pasted from another
program keeps its UTF-8 rows as they are; only the odd rows are decoded on their own, and
each is named. :func:`read_rows` splits the text into rows of cells with the csv module
and reports what would otherwise lose or change data without a word: a quote that is
never closed (and the rows it would swallow), NUL bytes inside cells.

Problems are :class:`Note` records: spreadsheet row (header = 1) and cell position.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import charset_normalizer

from refugee_stats.ingest.problems import Phrase, PhraseError, phrase

#: Code pages tried, with how messages name them (catalog keys), when the bytes are not UTF-8.
LEGACY = {
    "cp1252": "problem_part_cp1252",  # Windows-1252 (Western European)
    "cp1251": "problem_part_cp1251",  # Windows-1251 (Cyrillic)
}
#: Signatures of common binary formats, whatever the file is named, with how messages name them.
_MAGIC = {
    b"PK\x03\x04": "problem_part_binary_zip",
    b"\x89PNG": "problem_part_binary_png",
    b"%PDF": "problem_part_binary_pdf",
    b"\xff\xd8\xff": "problem_part_binary_jpeg",
    b"GIF8": "problem_part_binary_gif",
    b"\xd0\xcf\x11\xe0": "problem_part_binary_ole",
    b"\x1f\x8b": "problem_part_binary_gzip",
    b"PAR1": "problem_part_binary_parquet",
}
#: Above this share of control bytes (other than tab, newline, carriage return, form feed) in
#: the first 8 KB, a file is binary, not text with a stray NUL.
_BINARY_SHARE = 0.05
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


class NotText(PhraseError):
    """The bytes are not text the loader can read."""


@dataclass(frozen=True)
class Note:
    """One thing reading noticed: at a spreadsheet row (header = 1; None: the whole file) and cell."""

    message: Phrase
    row: int | None = None
    cell: int | None = None  # position in the row
    value: str = ""
    severity: str = "warning"


@dataclass
class Decoded:
    """A file's text, the encoding read, and notes about physical lines (1-based) decoded apart."""

    text: str
    encoding: str
    notes: list[Note] = field(default_factory=list)
    odd_lines: dict[int, str] = field(default_factory=dict)  # line -> encoding it was read in


def _binary_kind(data: bytes) -> Phrase | None:
    """None for text; else the message naming the binary data (what it is, when known)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return phrase("problem_binary_kind", kind=phrase(kind))
    head = data[:8192]
    control = sum(1 for b in head if b in _CONTROL)
    return phrase("problem_binary") if head and control / len(head) > _BINARY_SHARE else None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The codec (``utf_16_le`` or ``utf_16_be``) and the text, when mostly-ASCII text has a NUL
    beside every character and decodes whole."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, zeros, text in (("utf_16_le", odd, even), ("utf_16_be", even, odd)):
        if zeros.count(0) / len(zeros) > 0.6 and text.count(0) / len(text) < 0.05:
            try:
                return codec, data[: len(data) - len(data) % 2].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _legacy(data: bytes) -> str | None:
    """The likelier legacy code page for bytes that are not UTF-8, or None if neither fits."""
    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY)).best()
    return best.encoding if best is not None and best.encoding in LEGACY else None


def decode(data: bytes) -> Decoded:
    """Bytes as text. Raises :class:`NotText` for binary data or bytes no known encoding reads."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text" export
        try:
            return Decoded(data.decode("utf-16"), "utf_16")
        except UnicodeDecodeError as exc:
            raise NotText("problem_utf16_damaged") from exc
    found = _utf16_without_bom(data)
    if found is not None:
        codec, text = found
        note = Note(phrase("problem_utf16_no_bom"))
        return Decoded(text.lstrip("\ufeff"), codec, [note])
    kind = _binary_kind(data)
    if kind is not None:
        raise NotText(kind)
    try:
        return Decoded(data.decode("utf-8"), "utf_8")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    odd: dict[int, bytes] = {}
    multibyte = False  # whether any line is UTF-8 beyond ASCII: then the file is UTF-8
    texts: list[str | None] = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            odd[number] = line
            texts.append(None)
            continue
        multibyte = multibyte or not line.isascii()
        texts.append(text)
    if not multibyte:
        encoding = _legacy(data)
        if encoding is None:
            raise NotText("problem_not_utf8")
        note = Note(phrase("problem_legacy_encoding", encoding=phrase(LEGACY[encoding])))
        return Decoded(data.decode(encoding), encoding, [note])
    # UTF-8 with rows from elsewhere: the odd rows alone are decoded, in the likelier code page.
    encoding = _legacy(b"".join(odd.values())) or "cp1252"
    for number, line in odd.items():
        texts[number - 1] = line.decode(encoding, errors="replace")
    return Decoded("".join(t or "" for t in texts), "utf_8", [], {n: encoding for n in odd})


#: The first line Excel writes to name a CSV file's separator, ``sep=;``.
EXCEL_SEPARATOR = re.compile(r"^sep=([,;\t|])$")


def delimiter(first_line: str) -> str:
    """The cell separator a header line uses: the commonest of semicolon, tab and bar when it
    outnumbers commas, else comma."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def odd_line_notes(decoded: Decoded, row_of_line: Callable[[int], int] = lambda line: line) -> list[Note]:
    """A warning for each line decoded apart from the rest of a file (at the row it is part of)."""
    return [
        Note(phrase("problem_odd_line", encoding=phrase(LEGACY[encoding])), row=row_of_line(line))
        for line, encoding in sorted(decoded.odd_lines.items())
    ]


@dataclass
class Rows:
    """A text file's rows of cells, each with its spreadsheet row number (header = 1), and notes."""

    rows: list[list[str]]
    numbers: list[int]
    notes: list[Note]
    encoding: str
    delimiter: str


def _lines(text: str) -> list[str]:
    """Physical lines as the csv module counts them (newline, carriage return or both)."""
    return io.StringIO(text, newline="").readlines()


def _parse(text: str, sep: str) -> tuple[list[list[str]], list[int], bool]:
    """Records, the physical line each starts on (1-based), and whether the last ends inside a quote."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records, starts = [], []
    line = 0
    for record in reader:
        records.append(record)
        starts.append(line + 1)
        line = reader.line_num
    unclosed = False
    # A quote left open runs to the end: the last cell then holds a line break, or the text ends
    # without one. Only then is the last record read again, strictly, to tell.
    last = records[-1][-1] if records and records[-1] else ""
    if records and ("\n" in last or "\r" in last or not text.endswith(("\n", "\r"))):
        tail = "".join(_lines(text)[starts[-1] - 1 :])
        try:
            list(csv.reader(io.StringIO(tail, newline=""), delimiter=sep, strict=True))
        except csv.Error as exc:
            unclosed = "unexpected end of data" in str(exc)
    return records, starts, unclosed


def _unclosed_quote(cell: str, row: int, position: int, swallowed: int) -> Note:
    first = _lines(cell)[0].rstrip("\r\n") if cell else ""
    if swallowed:
        rows = (
            phrase("problem_part_row", row=row + 1)
            if swallowed == 1
            else phrase("problem_part_rows", first=row + 1, last=row + swallowed)
        )
        message = phrase("problem_unclosed_quote_rest", rows=rows)
    else:
        message = phrase("problem_unclosed_quote_row")
    return Note(
        message,
        row=row,
        cell=position,
        value=first,
        severity="error",
    )


def read_rows(data: bytes) -> Rows:
    """Every row of a CSV/TSV file as text cells, and what reading noticed. Raises :class:`NotText`."""
    decoded = decode(data)
    text = decoded.text
    first_line = text.split("\n", 1)[0].rstrip("\r")
    sep = delimiter(first_line)
    offset = 0  # physical lines already read before ``text``
    hint = EXCEL_SEPARATOR.match(first_line)
    if hint:  # Excel's "sep=;" line: it names the separator and is not a row (Excel hides it)
        sep, text, offset = hint[1], text.split("\n", 1)[1] if "\n" in text else "", 1
    csv.field_size_limit(2**31 - 1)
    notes = list(decoded.notes)
    rows: list[list[str]] = []
    numbers: list[int] = []
    line_of: list[int] = []  # the physical line each row starts on
    try:
        while True:
            records, starts, unclosed = _parse(text, sep)
            first = len(rows) + 1
            if unclosed:
                bad = records.pop()
                start = starts.pop()
            rows += records
            line_of += [offset + s for s in starts]
            numbers += range(first, first + len(records))
            if not unclosed:
                break
            # Read the lines after the unclosed quote's line on their own.
            rest = _lines(text)[start:]
            swallowed = sum(1 for x in rest if x.strip())
            row = first + len(records)
            notes.append(_unclosed_quote(bad[-1], row, len(bad) - 1, swallowed))
            text = "".join(rest)
            offset += start
            # The left-out row keeps its number: the rows after it count on from it.
            rows.append([])
            numbers.append(row)
            line_of.append(offset)
    except csv.Error as exc:
        raise NotText("problem_csv_unreadable", error=str(exc)) from exc
    keep = [i for i, r in enumerate(rows) if r or i == 0]
    # Rows decoded in another code page than the file's, each named.
    notes += odd_line_notes(decoded, lambda line: numbers[max(bisect.bisect_right(line_of, line) - 1, 0)])
    for i in keep:
        row = rows[i]
        for position, cell in enumerate(row):
            if "\x00" in cell:
                row[position] = cell.replace("\x00", "")
                notes.append(
                    Note(
                        phrase("problem_nul_byte"),
                        row=numbers[i],
                        cell=position,
                        value=row[position],
                    )
                )
    return Rows([rows[i] for i in keep], [numbers[i] for i in keep], notes, decoded.encoding, sep)
