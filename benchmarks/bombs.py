"""Decompression bombs against ``refugee-stats validate``: ``uv run python -m benchmarks.bombs``.

Builds, in a temporary folder, full-size bombs (by default 2.2 GB inflated each) streamed to
disk in chunks (the inflated data is never held in memory): a UNHCR asylum-decisions table as
``.csv.gz`` and as ``.zip``, the project's ``incidents.csv`` as ``.gz``, and an ``.xlsx``
whose sheet XML is huge. Then runs ``refugee-stats validate`` on each in a fresh process
and prints its peak memory (max RSS), wall time, exit status and the problem reported.

The builders are also used by ``tests/test_bombs.py``, with small sizes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

UNHCR_HEADER = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
    "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
)
UNHCR_ROW = "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,FI,P,12.0,0.0,30.0,5.0,47.0\n"
INCIDENTS_HEADER = (
    "incident_id,date,host_country,location,type,nationality,people,unhcr_refugees,source,"
    "source_url,illustrative,notes\n"
)
INCIDENTS_ROW = "I-1,2010-06,KAZ,Almaty,detention,UZB,29,17,Illustrative bomb row,,true,\n"

CHUNK = 1 << 20
GB = 1_000_000_000
MB = 1 << 20


def _filler(size: int, header: str, row: str) -> Iterator[bytes]:
    """``header`` then ``row`` repeated, ``size`` bytes in all, in chunks of about 1 MiB."""
    head = header.encode()
    yield head
    line = row.encode()
    block = line * max(1, CHUNK // len(line))
    left = (size - len(head)) // len(line) * len(line)  # whole rows only
    while left > 0:
        piece = block[:left]
        yield piece
        left -= len(piece)


def gzip_bomb(path: Path, size: int, header: str = UNHCR_HEADER, row: str = UNHCR_ROW) -> Path:
    """A gzip file inflating to ``size`` bytes of CSV: ``header`` then ``row`` over and over."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
        for chunk in _filler(size, header, row):
            out.write(chunk)
    return path


def _stream_member(archive: zipfile.ZipFile, name: str, chunks: Iterator[bytes]) -> None:
    info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, mode="w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)


def zip_bomb(
    path: Path, size: int, header: str = UNHCR_HEADER, row: str = UNHCR_ROW, member: str = "data.csv"
) -> Path:
    """A zip archive holding one CSV member that inflates to ``size`` bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _stream_member(archive, member, _filler(size, header, row))
    return path


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="incidents" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>incident_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>date</t></is></c></row>'
)
_SHEET_ROW = '<row><c t="inlineStr"><is><t>I-1</t></is></c><c t="inlineStr"><is><t>2010-06</t></is></c></row>'
_SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_bomb(path: Path, size: int) -> Path:
    """A workbook whose ``xl/worksheets/sheet1.xml`` inflates to about ``size`` bytes of rows."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)

        def sheet() -> Iterator[bytes]:
            yield from _filler(size - len(_SHEET_TAIL), _SHEET_HEAD, _SHEET_ROW)
            yield _SHEET_TAIL.encode()

        _stream_member(archive, "xl/worksheets/sheet1.xml", sheet())
    return path


#: Case name -> (file name, builder(path, size)).
CASES: dict[str, tuple[str, Callable[[Path, int], Path]]] = {
    "unhcr .csv.gz": ("asylum_decisions.csv.gz", gzip_bomb),
    "unhcr .zip": ("asylum_decisions.zip", zip_bomb),
    "incidents .csv.gz": (
        "incidents.csv.gz",
        lambda p, n: gzip_bomb(p, n, INCIDENTS_HEADER, INCIDENTS_ROW),
    ),
    "incidents .xlsx": ("incidents.xlsx", xlsx_bomb),
}


def run_validate(path: Path) -> tuple[int, float, float, str]:
    """``refugee-stats validate PATH`` in a fresh process: exit status, peak RSS (MB), seconds, output."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "refugee_stats.cli", "validate", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024, seconds, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--gb", type=float, default=2.2, help="inflated size of each bomb, in GB (default 2.2)"
    )
    args = parser.parse_args(argv)
    size = int(args.gb * GB)
    print(
        f"{'case':<20} {'on disk':>10} {'inflated':>10} {'build s':>8} {'peak RSS':>10} {'time':>7}  problem"
    )
    code, rss, seconds, _ = run_validate(Path(__file__).resolve().parent.parent / "data")
    print(
        f"{'sample data/ (baseline)':<20} {'':>10} {'':>10} {'':>8} {rss:>7.0f} MB {seconds:>6.1f}s  exit {code}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for case, (name, build) in CASES.items():
            path = Path(tmp) / name
            start = time.perf_counter()
            build(path, size)
            built = time.perf_counter() - start
            code, rss, seconds, output = run_validate(path)
            line = next((x for x in output.splitlines() if "expands beyond" in x), output.strip()[-200:])
            print(
                f"{case:<20} {path.stat().st_size / MB:>7.1f} MB {size / GB:>7.1f} GB {built:>8.1f} "
                f"{rss:>7.0f} MB {seconds:>6.1f}s  exit {code}: {line}",
                flush=True,
            )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
