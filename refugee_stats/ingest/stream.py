"""Large CSV files into a store folder, a chunk of rows at a time: the same records and problems as
:func:`~refugee_stats.ingest.dataset.load`, in bounded memory.

A project-format CSV file (``.csv``, ``.tsv``, ``.txt``, each possibly ``.gz``) is read by Arrow's
streaming CSV reader, all cells as text, ``chunk_rows`` records at a time. Each chunk becomes a
raw frame exactly as :func:`~refugee_stats.ingest.read.raw_frames` makes one (same header
handling, personal-data guard, trimming, normalising), is validated by
:func:`~refugee_stats.ingest.validate.validate` (its rows numbered as in the file: header = 1)
and its valid rows are written to Parquet. Its keys and references, as written, go to a side
file. The checks that need the whole file, or every file, then run in DuckDB over what was
written: duplicate keys within a file, ``follows`` and status ``incident_id`` naming an
incident of the incidents files, duplicates across files, and the ``follows`` warnings of
:mod:`refugee_stats.ingest.links`. Every problem is kept in a Parquet file and sorted at the
end into the order ``load`` gives.

Everything else goes through the loader's in-memory reading, one raw frame per file or sheet,
then the same steps: publishers' files (:func:`refugee_stats.importers.detect`), workbooks,
Parquet and zip files, uploads, and any file Arrow cannot read exactly as the csv module would
(not UTF-8, ragged rows, NUL bytes, a quote never closed: found at any chunk, the file is read
again in memory). A gzip file is inflated as it is read, stopped by the running ratio check of
:mod:`refugee_stats.ingest.bounded` (a bomb), but not by its 1 GiB limit, which exists only
because the in-memory reading holds the inflated bytes.
"""

from __future__ import annotations

import datetime
import gzip
import io
import itertools
import os
import shutil
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as _compute
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from refugee_stats.fields import TABLE_SPECS, TABLES, field_names, fields
from refugee_stats.ingest import bounded
from refugee_stats.ingest.files import MemoryFile, file_size, scan
from refugee_stats.ingest.problems import Number, Phrase, Problem, phrase, problem
from refugee_stats.ingest.read import (
    CSV_BLOCK_BYTES,
    csv_convert_options,
    csv_head,
    csv_parse_options,
    detect_table,
    ends_in_open_quote,
    filled,
    holds_nul,
    kept_columns,
    normalise_header,
    raw_frames,
    refused,
    rows_frame,
)
from refugee_stats.ingest.validate import duplicate_phrase, no_incident_phrase, validate
from refugee_stats.store import cache
from refugee_stats.store.cache import PROBLEMS_SCHEMA, StoreSummary
from refugee_stats.store.schema import arrow_schema, to_arrow

#: ``pyarrow.compute`` makes its functions at import time, so a type checker sees none of them.
pc: Any = _compute

#: Bytes Arrow's streaming reader parses at a time; it reads several dozen blocks ahead, so
#: this bounds its memory (a longer record is read again with the in-memory reader's blocks).
STREAM_BLOCK_BYTES = 2 << 20

#: Records validated at a time (500,000 incident rows take about 300 MB while they are validated).
DEFAULT_CHUNK_ROWS = 500_000

#: Memory DuckDB may use for the whole-file checks before it spills to the work folder.
DUCKDB_MEMORY = "768MB"

#: Problems buffered before they are written to the work folder.
_PROBLEM_BATCH = 50_000

#: Where a problem stands in the order ``load`` finds them (within one file and row).
_READ, _UNCHECKED, _VALIDATE, _ACROSS, _LINKS = range(5)

#: Files whose inner format the in-memory reader decides (workbooks, Parquet, zip archives).
_NOT_CSV = (".xlsx", ".parquet", ".zip")


class _Fallback(Exception):
    """Arrow cannot read this file exactly as the csv module would: read it in memory instead."""


class _LongRecord(_Fallback):
    """A record is longer than Arrow's block: read the file again with larger blocks."""


@dataclass
class _Part:
    """One source of a table's rows, in ``load``'s order: a raw frame (a file or a workbook's sheet)
    validated here, or a publisher's file imported."""

    table: str
    label: str
    rows: Path
    imported: bool = False
    keys: Path | None = None
    columns: tuple[str, ...] = ()  # columns of the raw frame
    attempt: int = 0
    whole_file_problems: set[tuple[str, object]] = field(default_factory=set)
    references: bool = False  # a status incident_id holds any value
    writer: pq.ParquetWriter | None = None
    keys_writer: pq.ParquetWriter | None = None

    def close(self) -> None:
        for writer in (self.writer, self.keys_writer):
            if writer is not None:
                writer.close()
        self.writer = self.keys_writer = None

    def has(self, column: str) -> bool:
        return column in self.columns


def _reference_column(table: str) -> str | None:
    """The column of ``table`` naming an incident (``follows``, a status ``incident_id``), if any."""
    return next((f.name for f in fields(table) if f.kind == "ref"), None)


def _key_columns(table: str) -> tuple[str, ...]:
    return TABLE_SPECS[table].key


def _keys_schema(table: str) -> pa.Schema:
    names = [*_key_columns(table), *filter(None, [_reference_column(table)])]
    return pa.schema([pa.field("row", pa.int64()), *(pa.field(n, pa.string()) for n in names)])


def _text_array(raw: pd.DataFrame, name: str) -> pa.Array:
    """A raw frame's column as Arrow text (missing: null), or all null when the frame lacks it."""
    if name not in raw:
        return pa.nulls(len(raw), pa.string())
    column = raw[name]
    found = pa.array(column.array, from_pandas=True)
    if isinstance(found, pa.ChunkedArray):
        found = found.combine_chunks()
    if pa.types.is_dictionary(found.type):
        found = found.dictionary_decode()
    return found.cast(pa.string())


def _link_problem(
    file: str, row: int, kind: str, follows: str, nationality: str, held: int | None, counted: int
) -> Problem:
    """The warning :func:`~refugee_stats.ingest.links.link_problems` gives for one linked row."""
    if kind == "detention":
        said = phrase("problem_follows_on_detention")
    elif held is None:
        said = phrase("problem_follows_no_detention", nationality=nationality)
    else:
        said = phrase("problem_follows_too_many", total=Number(int(counted)), held=Number(int(held)))
    return problem(file, said, row=row, column="follows", value=follows, severity="warning")


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class _Problems:
    """Problems as they are found, written to Parquet with where each stands in ``load``'s order."""

    SCHEMA = pa.schema(
        [
            *PROBLEMS_SCHEMA,
            pa.field("phase", pa.int8()),
            pa.field("place", pa.int32()),
            pa.field("seq", pa.int64()),
            pa.field("attempt", pa.int64()),
        ]
    )

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer = pq.ParquetWriter(path, self.SCHEMA, compression=cache.COMPRESSION)
        self._buffer: list[tuple[Problem, int, int, int]] = []
        self._seq = 0
        self.discarded: set[int] = set()

    def add(
        self, problems: Iterable[Problem], phase: int, attempt: int = 0, table: str | None = None
    ) -> None:
        """Add problems in the order found; ``table`` orders validation problems within a row by
        the table's column order (as :func:`~refugee_stats.ingest.validate.validate` does)."""
        position = {name: i for i, name in enumerate(field_names(table))} if table else {}
        for p in problems:
            self._buffer.append((p, phase, position.get(p.column, -1), attempt))
        if len(self._buffer) >= _PROBLEM_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        found = [p for p, _, _, _ in self._buffer]
        batch = cache.problem_batch(found)
        seq = np.arange(self._seq, self._seq + len(found), dtype=np.int64)
        self._seq += len(found)
        extra = [
            pa.array([b[1] for b in self._buffer], pa.int8()),
            pa.array([b[2] for b in self._buffer], pa.int32()),
            pa.array(seq),
            pa.array([b[3] for b in self._buffer], pa.int64()),
        ]
        self._writer.write_batch(pa.record_batch([*batch.columns, *extra], schema=self.SCHEMA))
        self._buffer = []

    def close(self) -> None:
        self.flush()
        self._writer.close()

    def sorted_batches(self, con: duckdb.DuckDBPyConnection) -> Iterator[pa.RecordBatch]:
        """Every problem not discarded, by file, then row (whole-file problems first), then as ``load`` lists them."""
        discarded = ", ".join(str(a) for a in sorted(self.discarded)) or "-1"
        query = f"""
            SELECT file, "row", "column", value, severity, phrase
            FROM read_parquet({_quoted(self.path)})
            WHERE attempt NOT IN ({discarded})
            ORDER BY file, "row" IS NOT NULL, coalesce("row", 0), phase, place, seq
            """
        reader = con.sql(query).to_arrow_reader(_PROBLEM_BATCH)
        for batch in reader:
            yield batch.cast(PROBLEMS_SCHEMA)


class _Inflating(io.RawIOBase):
    """A gzip file inflated as it is read, within the running ratio limit of :mod:`~refugee_stats.ingest.bounded`."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._raw = path.open("rb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._chunks = bounded.limited_chunks(
            self._gzip, sys.maxsize, compressed=file_size(path), consumed=self._raw.tell, what=path.name
        )
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not len(self._pending):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._gzip.close()
        self._raw.close()
        super().close()


def _gzipped(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _streamable(path: Path) -> bool:
    """Whether a file on disk is read in chunks: CSV-like, plain or gzip (not a workbook, Parquet, zip)."""
    try:
        suffix = path.suffix.lower()
        if suffix == ".gz" and _gzipped(path):
            suffix = Path(path.stem).suffix.lower()
    except OSError:  # unreadable: load's reading tells why
        return False
    return suffix not in _NOT_CSV


def _not_read(exc: Exception) -> _Fallback:
    """Why Arrow's reader stopped: a record longer than its block, or a file it cannot read as the csv module would."""
    return _LongRecord() if "straddl" in str(exc) else _Fallback()


def _records(reader: pcsv.CSVStreamingReader, width: int) -> Iterator[pa.RecordBatch]:
    """The batches of records Arrow reads (the header is the first record); :class:`_Fallback` where
    it cannot read the file as the csv module would: an error, another width, a NUL byte in a cell."""
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowException, ValueError) as exc:
            raise _not_read(exc) from exc
        if batch.num_columns != width or any(holds_nul(batch.column(i)) for i in range(width)):
            raise _Fallback
        yield batch


class _Builder:
    """One store being built in a work folder: parts, keys and problems, then the whole-file checks."""

    def __init__(self, work: Path, chunk_rows: int, allow_personal: bool, today: pd.Timestamp | None) -> None:
        self.work = work
        self.chunk_rows = chunk_rows
        self.allow_personal = allow_personal
        self.today = today
        for sub in ("parts", "keys"):
            (work / sub).mkdir()
        self.problems = _Problems(work / "problems-found.parquet")
        self.parts: dict[str, list[_Part]] = {t: [] for t in TABLES}
        self.streamed: list[str] = []
        self._attempts = 0
        self._names = 0

    # -- reading ---------------------------------------------------------------------------------

    def read(self, paths: Iterable[str | Path | MemoryFile]) -> tuple[str, ...]:
        """Read every file (in ``load``'s order and ways) into parts and problems; the files' names."""
        from refugee_stats import importers

        files, found = scan(paths)
        self.problems.add(found, _READ)
        for path in files:
            file = str(path)
            if isinstance(path, Path) and path.is_symlink() and not path.exists():
                said = phrase("problem_broken_link", target=os.readlink(path))
                self.problems.add([problem(file, said)], _READ)
            elif not path.exists():
                self.problems.add([problem(file, "problem_no_such_file")], _READ)
            elif importers.detect(path) is not None:
                frames_of, found = importers.load_publisher(
                    path, file, today=self.today, allow_personal=self.allow_personal
                )
                self.problems.add(found, _READ)
                for table, frame in frames_of.items():
                    part = self._new_part(table, file, imported=True)
                    part.writer = pq.ParquetWriter(
                        part.rows, arrow_schema(table), compression=cache.COMPRESSION
                    )
                    part.writer.write_table(to_arrow(frame, table))
                    part.close()
            elif isinstance(path, Path) and _streamable(path) and self._stream(path, file):
                self.streamed.append(file)
            else:
                self._in_memory(path, file)
        return tuple(str(p) for p in files)

    def _new_part(self, table: str, label: str, *, imported: bool = False, attempt: int = 0) -> _Part:
        self._names += 1
        name = f"{table}-{self._names:06d}.parquet"
        part = _Part(table, label, self.work / "parts" / name, imported=imported, attempt=attempt)
        if not imported and len(_keys_schema(table)) > 1:
            part.keys = self.work / "keys" / name
        self.parts[table].append(part)
        return part

    def _in_memory(self, path: Path | MemoryFile, file: str) -> None:
        for label, table, raw, found in raw_frames(path, file, self.allow_personal):
            self.problems.add(found, _READ)
            if table is not None and raw is not None:
                part = self._new_part(table, label)
                part.columns = tuple(raw.columns)
                self._validate(part, raw)
                part.close()

    def _validate(self, part: _Part, raw: pd.DataFrame) -> None:
        """Validate one raw frame (a chunk, or a whole file) of ``part``; write its valid rows and keys."""
        table = part.table
        valid, found = validate(table, raw, part.label, today=self.today)
        if _key_columns(table):
            # Duplicate keys are found over the whole file (in DuckDB), not chunk by chunk.
            duplicate = duplicate_phrase(table)
            found = [p for p in found if p.phrase != duplicate]
        kept = []
        for p in found:
            if p.row is None:  # told once, not once per chunk
                if (p.column, p.phrase) in part.whole_file_problems:
                    continue
                part.whole_file_problems.add((p.column, p.phrase))
            kept.append(p)
        self.problems.add(kept, _VALIDATE, part.attempt, table)
        if part.writer is None:
            part.writer = pq.ParquetWriter(part.rows, arrow_schema(table), compression=cache.COMPRESSION)
        if len(valid):
            part.writer.write_table(to_arrow(valid, table))
        reference = _reference_column(table)
        if reference is not None and reference in raw and raw[reference].notna().any():
            part.references = True
        if part.keys is not None:
            schema = _keys_schema(table)
            if part.keys_writer is None:
                part.keys_writer = pq.ParquetWriter(part.keys, schema, compression=cache.COMPRESSION)
            rows = pa.array(raw.index.to_numpy(dtype=np.int64))
            arrays = [rows, *(_text_array(raw, n) for n in schema.names[1:])]
            part.keys_writer.write_batch(pa.record_batch(arrays, schema=schema))

    def _stream(self, path: Path, file: str) -> bool:
        """Read one CSV file in chunks; False (nothing of it kept) when it must be read in memory.

        Arrow's reader is given small blocks (it reads many ahead); a record longer than one is
        read again with the blocks the in-memory reading uses."""
        for block in (STREAM_BLOCK_BYTES, CSV_BLOCK_BYTES):
            self._attempts += 1
            attempt = self._attempts
            parts_before = {t: len(p) for t, p in self.parts.items()}
            try:
                self._stream_chunks(path, file, attempt, block)
            except bounded.TooLarge as exc:  # a gzip bomb: the file is one problem, as load tells it
                self._discard(attempt, parts_before)
                self.problems.add([problem(file, exc.phrase)], _READ)
            except _LongRecord:
                self._discard(attempt, parts_before)
                continue
            except (_Fallback, OSError, EOFError, zlib.error):
                # Arrow cannot read it as the csv module would, or a damaged gzip file: load's reading tells.
                self._discard(attempt, parts_before)
                return False
            return True
        return False

    def _discard(self, attempt: int, parts_before: dict[str, int]) -> None:
        """Forget what an attempt at streaming a file wrote: its parts, keys and problems."""
        self.problems.discarded.add(attempt)
        for table, parts in self.parts.items():
            for part in parts[parts_before[table] :]:
                part.close()
                for written in (part.rows, part.keys):
                    if written is not None:
                        written.unlink(missing_ok=True)
            del parts[parts_before[table] :]

    def _source(self, path: Path) -> tuple[Path | MemoryFile, Any]:
        """What the header is judged by (the file, or a gzip file's start named as the file inside),
        and the stream Arrow reads."""
        if path.suffix.lower() == ".gz" and _gzipped(path):
            with path.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as handle:
                head = handle.read(1 << 16)
            return MemoryFile(path.stem, head), io.BufferedReader(_Inflating(path), bounded.CHUNK_BYTES)
        return path, path.open("rb")

    def _stream_chunks(self, path: Path, file: str, attempt: int, block: int) -> None:
        named, stream = self._source(path)
        with stream:
            head = csv_head(named)
            if head is None:
                raise _Fallback
            try:
                reader = pcsv.open_csv(
                    stream,
                    read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=block),
                    parse_options=csv_parse_options(head),
                    convert_options=csv_convert_options(named, head),
                )
            except (pa.ArrowException, ValueError) as exc:
                raise _not_read(exc) from exc
            self._read_records(_records(reader, head.width), named, file, head.width, attempt)

    def _read_records(
        self, batches: Iterator[pa.RecordBatch], named: Path | MemoryFile, file: str, width: int, attempt: int
    ) -> None:
        """Every record of a file after its header, ``chunk_rows`` at a time, into its part and problems
        (as :func:`~refugee_stats.ingest.read.raw_frames` reads a file Arrow reads whole)."""
        first = next(batches, None)
        if first is None or first.num_rows == 0:  # pragma: no cover - csv_head has seen a header line
            raise _Fallback
        cells = [first.column(i)[0].as_py() for i in range(width)]
        header = [normalise_header(c) for c in cells]
        table = detect_table(named, header) if any(c.strip() for c in cells) else None
        part: _Part | None = None
        keep: list[int] = []
        if table is not None:
            keep, found = kept_columns(file, table, header, lambda i: False, self.allow_personal)
            if not refused(found):
                part = self._new_part(table, file, attempt=attempt)
                part.columns = tuple(header[i] for i in keep)
        unnamed = [i for i, name in enumerate(header) if not name]
        with_data: set[int] = set()
        last = cells
        done = 0  # records read after the header
        pending = pa.Table.from_batches([first.slice(0, 0)])

        def take(n: int) -> None:
            nonlocal pending, done
            chunk, pending = pending.slice(0, n), pending.slice(n)
            data = [chunk.column(i) for i in range(width)]
            for i in unnamed:
                if i not in with_data and filled(data[i]).any():
                    with_data.add(i)
            if part is not None and table is not None:
                rows = np.arange(done + 2, done + 2 + n, dtype=np.int64)
                frame, found = rows_frame(file, table, header, keep, data, rows)
                self.problems.add(found, _READ, attempt)
                self._validate(part, frame)
            done += n

        for batch in itertools.chain([first.slice(1)], batches):
            if batch.num_rows:
                last = [batch.column(i)[batch.num_rows - 1].as_py() for i in range(width)]
                pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
            while pending.num_rows >= self.chunk_rows:
                take(self.chunk_rows)
        if pending.num_rows or done == 0:
            take(pending.num_rows)
        if ends_in_open_quote(last):
            raise _Fallback
        if part is not None:
            part.close()
        if not any(c.strip() for c in cells):
            self.problems.add([problem(file, "problem_no_header")], _READ, attempt)
        elif table is None:
            self.problems.add([problem(file, "problem_unknown_table")], _READ, attempt)
        else:
            _, found = kept_columns(file, table, header, lambda i: i in with_data, self.allow_personal)
            self.problems.add(found, _READ, attempt)

    # -- whole-file checks -----------------------------------------------------------------------

    def finish(self) -> tuple[dict[str, int], int, int, datetime.date | None]:
        """Run the whole-file checks, write the tables and the problems: rows per table, errors,
        warnings, and the first day the store is stale."""
        (self.work / "spill").mkdir()
        con = duckdb.connect(
            config={
                "memory_limit": DUCKDB_MEMORY,
                "threads": 2,
                "temp_directory": str(self.work / "spill"),
                "preserve_insertion_order": True,
            }
        )
        pa.default_memory_pool().release_unused()  # what reading held goes back before DuckDB takes its share
        try:
            excluded = self._in_file_checks(con)
            rows = {table: self._write_table(con, table, excluded) for table in TABLES}
            self._links(con)
            self.problems.close()
            return (rows, *self._write_problems(con))
        finally:
            con.close()

    def _raw_parts(self, table: str) -> list[_Part]:
        return [p for p in self.parts[table] if not p.imported]

    def _in_file_checks(self, con: duckdb.DuckDBPyConnection) -> dict[int, np.ndarray]:
        """Duplicate keys within each file and references to unknown incidents, as problems; the rows
        they leave out, per part (keyed by the part's ``id``: spreadsheet rows)."""
        readable = [
            p.keys for p in self._raw_parts("incidents") if p.has("incident_id") and p.keys is not None
        ]
        if readable:
            files = ", ".join(_quoted(k) for k in readable)
            con.execute(
                f"CREATE TEMP TABLE ids AS SELECT DISTINCT incident_id AS id FROM read_parquet([{files}]) "
                "WHERE incident_id IS NOT NULL"
            )
        elif any(p.references for p in self._raw_parts("status")):
            unchecked = [
                problem(p.label, "problem_ids_not_checked", column="incident_id", severity="warning")
                for p in self._raw_parts("status")
            ]
            self.problems.add(unchecked, _UNCHECKED)
        excluded: dict[int, np.ndarray] = {}
        for table in TABLES:
            for part in self._raw_parts(table):
                if part.keys is None:
                    continue
                left_out = [self._duplicates(con, part, part.keys)]
                if readable:
                    left_out.append(self._unknown(con, part, part.keys))
                rows = np.unique(np.concatenate(left_out))
                if len(rows):
                    excluded[id(part)] = rows
        return excluded

    def _told(
        self, con: duckdb.DuckDBPyConnection, query: str, part: _Part, column: str, said: Phrase
    ) -> np.ndarray:
        """Tell ``said`` at ``column`` of each row the query gives (its row, then the value), in
        batches; the rows."""
        rows = [np.zeros(0, np.int64)]
        for batch in con.sql(query).to_arrow_reader(_PROBLEM_BATCH):
            found = batch.column(0).to_numpy()
            values = batch.column(1).to_pylist()
            self.problems.add(
                (
                    problem(part.label, said, row=r, column=column, value=v)
                    for r, v in zip(found.tolist(), values, strict=True)
                ),
                _VALIDATE,
                part.attempt,
                part.table,
            )
            rows.append(found)
        return np.concatenate(rows)

    def _duplicates(self, con: duckdb.DuckDBPyConnection, part: _Part, keys: Path) -> np.ndarray:
        """Rows whose key (the columns of it the file has, blanks alike) an earlier row of the file has,
        told at the key's first column when it is not blank (as pandera's lazy validation tells them)."""
        key = _key_columns(part.table)
        present = [c for c in key if part.has(c)]
        if not key or key[0] not in present:
            return np.zeros(0, np.int64)
        columns = ", ".join(f'"{c}"' for c in present)
        same = " AND ".join(f'k."{c}" IS NOT DISTINCT FROM f."{c}"' for c in present)
        query = f"""
            WITH k AS (SELECT * FROM read_parquet({_quoted(keys)})),
            f AS (SELECT {columns}, min("row") AS first FROM k GROUP BY ALL HAVING count(*) > 1)
            SELECT k."row", k."{key[0]}" FROM k JOIN f ON {same}
            WHERE k."row" > f.first AND k."{key[0]}" IS NOT NULL ORDER BY k."row"
            """
        return self._told(con, query, part, key[0], duplicate_phrase(part.table))

    def _unknown(self, con: duckdb.DuckDBPyConnection, part: _Part, keys: Path) -> np.ndarray:
        """Rows whose reference names no incident of the incidents files."""
        reference = _reference_column(part.table)
        if reference is None or not part.has(reference):
            return np.zeros(0, np.int64)
        query = f"""
            SELECT k."row", k."{reference}" FROM read_parquet({_quoted(keys)}) k
            ANTI JOIN ids ON ids.id = k."{reference}"
            WHERE k."{reference}" IS NOT NULL ORDER BY k."row"
            """
        return self._told(con, query, part, reference, no_incident_phrase())

    def _write_table(
        self, con: duckdb.DuckDBPyConnection, table: str, excluded: dict[int, np.ndarray]
    ) -> int:
        """Write ``table``'s parts, in order, without the rows left out, as one Parquet file; its row count.

        With more than one part, a row whose key an earlier part's row has is a duplicate across files."""
        parts = [*self._raw_parts(table), *(p for p in self.parts[table] if p.imported)]
        across = self._across_files(con, table, parts, excluded) if len(parts) > 1 else {}
        schema = arrow_schema(table)
        target = self.work / cache.TABLE_FILES[table]
        if len(parts) == 1 and id(parts[0]) not in excluded:  # the one part is the table as it is
            parts[0].rows.replace(target)
            return pq.ParquetFile(target).metadata.num_rows
        total = 0
        with pq.ParquetWriter(target, schema, compression=cache.COMPRESSION) as writer:
            for i, part in enumerate(parts):
                position = 0
                for batch in pq.ParquetFile(part.rows).iter_batches(batch_size=1 << 16):
                    keep = np.ones(batch.num_rows, dtype=bool)
                    if id(part) in excluded:
                        keep &= ~np.isin(batch.column("source_row").to_numpy(), excluded[id(part)])
                    if i in across:
                        keep &= ~np.isin(np.arange(position, position + batch.num_rows), across[i])
                    position += batch.num_rows
                    kept = batch if keep.all() else batch.filter(pa.array(keep))
                    writer.write_batch(kept.cast(schema))
                    total += kept.num_rows
        return total

    def _across_files(
        self, con: duckdb.DuckDBPyConnection, table: str, parts: list[_Part], excluded: dict[int, np.ndarray]
    ) -> dict[int, np.ndarray]:
        """Rows (by part, then position) whose key an earlier row of the table has, not counting rows
        left out within their file; each told as ``load`` tells a duplicate across files."""
        key = _key_columns(table)
        if not key:
            return {}
        empty = np.zeros(0, np.int64)
        left_out = pa.table(
            {
                "part": pa.array(
                    [i for i, p in enumerate(parts) for _ in excluded.get(id(p), empty)], pa.int64()
                ),
                "row": pa.array(np.concatenate([excluded.get(id(p), empty) for p in parts]), pa.int64()),
            }
        )
        con.register("left_out", left_out)
        columns = ", ".join(f'"{c}"' for c in key)
        union = " UNION ALL ".join(
            f"SELECT {i} AS part, file_row_number AS pos, source_file, source_row, {columns} "
            f"FROM read_parquet({_quoted(p.rows)}, file_row_number = true)"
            for i, p in enumerate(parts)
        )
        # Parts, then rows within a part (fewer than 2^40 each), as one number.
        order = "{0}part * 1099511627776 + {0}pos"
        query = f"""
            WITH r AS ({union}),
            kept AS (SELECT r.* FROM r ANTI JOIN left_out l ON l.part = r.part AND l."row" = r.source_row),
            f AS (SELECT {columns}, min({order.format("")}) AS first FROM kept GROUP BY ALL HAVING count(*) > 1)
            SELECT kept.part, kept.pos, kept.source_file, kept.source_row, kept."{key[0]}"
            FROM kept JOIN f USING ({columns})
            WHERE {order.format("kept.")} > f.first
            ORDER BY kept.part, kept.pos
            """
        found: dict[int, list[np.ndarray]] = {}
        for batch in con.sql(query).to_arrow_reader(_PROBLEM_BATCH):
            files, rows, values = (batch.column(i).to_pylist() for i in (2, 3, 4))
            self.problems.add(
                (
                    problem(str(f), "problem_duplicate_across_files", row=r, column=key[0], value=v)
                    for f, r, v in zip(files, rows, values, strict=True)
                ),
                _ACROSS,
            )
            part_of, positions = batch.column(0).to_numpy(), batch.column(1).to_numpy()
            for i in np.unique(part_of).tolist():
                found.setdefault(i, []).append(positions[part_of == i])
        con.unregister("left_out")
        return {i: np.concatenate(positions) for i, positions in found.items()}

    def _links(self, con: duckdb.DuckDBPyConnection) -> None:
        """The warnings of :func:`~refugee_stats.ingest.links.link_problems`, worked out in SQL: a
        detention that follows something, a ``follows`` naming no detention of its nationality, and
        the outcome at which those after one detention (by date, then table order) pass the people
        it held."""
        incidents = _quoted(self.work / cache.TABLE_FILES["incidents"])
        query = f"""
            WITH inc AS (SELECT *, file_row_number AS pos FROM read_parquet({incidents}, file_row_number = true)),
            held AS (
                SELECT incident_id, nationality, arg_max(people, pos) AS held
                FROM inc WHERE type = 'detention' GROUP BY ALL),
            linked AS (
                SELECT l.source_file, l.source_row, l.type, l.follows, l.nationality, l.people,
                    l.date_start, l.pos, h.held
                FROM inc l LEFT JOIN held h ON h.incident_id = l.follows AND h.nationality = l.nationality
                WHERE l.follows IS NOT NULL),
            counted AS (
                SELECT *, sum(CASE WHEN type <> 'detention' AND held IS NOT NULL THEN people ELSE 0 END)
                    OVER (PARTITION BY follows, nationality ORDER BY date_start, pos
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS counted
                FROM linked)
            SELECT source_file, source_row, type, follows, nationality, held, counted FROM counted
            WHERE type = 'detention' OR held IS NULL OR (counted - people <= held AND held < counted)
            ORDER BY source_file, source_row, date_start, pos
            """
        for batch in con.sql(query).to_arrow_reader(_PROBLEM_BATCH):
            self.problems.add(
                (_link_problem(*found) for found in zip(*batch.to_pydict().values(), strict=True)), _LINKS
            )

    def _write_problems(self, con: duckdb.DuckDBPyConnection) -> tuple[int, int, datetime.date | None]:
        """Write ``problems.parquet`` in ``load``'s order; errors, warnings, and the first day the store is stale."""
        errors = warnings = 0
        stale: datetime.date | None = None
        with pq.ParquetWriter(
            self.work / cache.PROBLEMS_FILE, PROBLEMS_SCHEMA, compression=cache.COMPRESSION
        ) as writer:
            for batch in self.problems.sorted_batches(con):
                writer.write_batch(batch)
                severity = batch.column("severity")
                errors += pc.sum(pc.equal(severity, "error")).as_py() or 0
                warnings += pc.sum(pc.equal(severity, "warning")).as_py() or 0
                future = batch.filter(pc.match_substring(batch.column("phrase"), f'"{cache.FUTURE_DATE}"'))
                found = cache.stale_from(cache.problems_from_arrow(pa.Table.from_batches([future])))
                if found is not None and (stale is None or found < stale):
                    stale = found
        return errors, warnings, stale

    def clean(self) -> None:
        """Remove what only building needed, leaving the store's files."""
        for name in ("parts", "keys", "spill"):
            shutil.rmtree(self.work / name, ignore_errors=True)
        self.problems.path.unlink(missing_ok=True)


def stream_to_store(
    paths: Iterable[str | Path | MemoryFile] | str | Path | MemoryFile,
    folder: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    allow_personal_data: bool = False,
    today: pd.Timestamp | None = None,
) -> StoreSummary:
    """Load files, folders and uploads (as :func:`~refugee_stats.ingest.dataset.load` takes them) into
    the store folder ``folder`` (see :mod:`refugee_stats.store.cache`), large CSV files ``chunk_rows``
    records at a time. The store holds the same typed tables and problems ``load`` gives; its
    summary holds counts only. Written atomically: when another process has put a store at
    ``folder`` first, that one is kept (and summarised)."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    if isinstance(paths, (str, Path, MemoryFile)):
        paths = [paths]
    folder = Path(folder)
    work = cache.work_folder(folder)
    try:
        builder = _Builder(work, chunk_rows, allow_personal_data, today)
        files = builder.read(paths)
        rows, errors, warnings, stale = builder.finish()
        builder.clean()
        cache.write_meta(work, files, rows, errors, warnings, stale, streamed=builder.streamed)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    cache.publish(work, folder)
    return cache.read_summary(folder)
