"""Bounded decompression: gzip files, zip archives and XLSX workbooks (zip archives too) are
inflated with a limit, so a decompression bomb becomes a problem about one file, never a crash.

Two limits apply to every inflated stream (a gzip file, one zip member):

- :data:`MAX_INFLATED_BYTES`: at most this many bytes, whatever the compressed size;
- :data:`MAX_RATIO`: at most this many times the compressed size, once past
  :data:`RATIO_FLOOR_BYTES` (small files may compress very well without harm).

Zip archives are checked twice: first the sizes their central directory declares
(:func:`check_zip`, before anything is inflated), then the bytes actually inflated, counted
while streaming (:func:`read_limited`, :func:`drain_zip`), since declared sizes can lie.
Both the loader (``refugee_stats.ingest``) and the importers (``refugee_stats.importers``) use
this module; nothing else inflates data.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO, Protocol

from refugee_stats.ingest.problems import Number, Phrase, PhraseError, phrase, plural

#: Most bytes one file (a gzip stream or one zip member) may inflate to: 1 GiB.
MAX_INFLATED_BYTES = 1024 * 1024 * 1024

#: Most bytes all members of one zip archive (such as an XLSX workbook) may inflate to together.
MAX_ARCHIVE_BYTES = MAX_INFLATED_BYTES

#: Most inflated bytes per compressed byte, once past :data:`RATIO_FLOOR_BYTES`.
MAX_RATIO = 100

#: Inflated size below which the ratio is not checked: 10 MiB.
RATIO_FLOOR_BYTES = 10 * 1024 * 1024

#: Bytes inflated per read.
CHUNK_BYTES = 1024 * 1024

_MB = 1024 * 1024


class Inflating(Protocol):
    """A stream that inflates as it is read: a gzip file, a zip archive's member."""

    def read(self, size: int = -1, /) -> bytes: ...


class TooLarge(PhraseError):
    """A compressed file inflates beyond a limit; the message says which and what to do."""


#: What a stream is called when the caller names none.
THE_FILE = phrase("problem_part_the_file")
THE_ARCHIVE = phrase("problem_part_the_archive")


def _megabytes(n: int) -> Phrase:
    if n >= _MB:
        return phrase("problem_part_megabytes", size=Number(round(n / _MB)))
    return plural("problem_part_bytes", n)


def _message(what: str | Phrase, limit: int, ratio: bool) -> Phrase:
    if ratio:
        return phrase("problem_too_large_ratio", what=what, size=_megabytes(limit), ratio=MAX_RATIO)
    return phrase("problem_too_large", what=what, size=_megabytes(limit))


def _limit(compressed: int | None, limit: int | None) -> tuple[int, bool]:
    """The byte limit for a stream of ``compressed`` bytes, and whether it is the ratio's."""
    absolute = MAX_INFLATED_BYTES if limit is None else limit
    if compressed is None:
        return absolute, False
    by_ratio = max(RATIO_FLOOR_BYTES, MAX_RATIO * max(compressed, 1))
    return (by_ratio, True) if by_ratio < absolute else (absolute, False)


def _chunks(
    stream: Inflating,
    limit: int | None,
    compressed: int | None,
    consumed: Callable[[], int] | None,
    what: str | Phrase,
) -> Iterator[bytes]:
    """The chunks of an inflating stream; :class:`TooLarge` as soon as a limit is passed."""
    cap, ratio = _limit(compressed, limit)
    total = 0
    while True:
        chunk = stream.read(min(CHUNK_BYTES, cap + 1 - total))
        if not chunk:
            return
        total += len(chunk)
        if total > cap:
            raise TooLarge(_message(what, cap, ratio))
        # The running ratio: a bomb is stopped after RATIO_FLOOR_BYTES, not at its whole size's ratio.
        if consumed is not None and total > RATIO_FLOOR_BYTES and total > MAX_RATIO * max(consumed(), 1):
            raise TooLarge(_message(what, RATIO_FLOOR_BYTES, True))
        yield chunk


def limited_chunks(
    stream: Inflating,
    limit: int | None = None,
    *,
    compressed: int | None = None,
    consumed: Callable[[], int] | None = None,
    what: str | Phrase = THE_FILE,
) -> Iterator[bytes]:
    """The chunks of an inflating ``stream`` (at most :data:`CHUNK_BYTES` each), as they are inflated:
    :class:`TooLarge` as soon as a limit of :func:`read_limited` is passed. For readers that never
    hold the whole file (:mod:`refugee_stats.ingest.stream`)."""
    return _chunks(stream, limit, compressed, consumed, what)


def read_limited(
    stream: Inflating,
    limit: int | None = None,
    *,
    compressed: int | None = None,
    consumed: Callable[[], int] | None = None,
    what: str | Phrase = THE_FILE,
) -> bytes:
    """Every byte of an inflating ``stream``, read in chunks; :class:`TooLarge` past the limit.

    The limit is ``limit`` (default :data:`MAX_INFLATED_BYTES`), lowered to :data:`MAX_RATIO`
    times ``compressed`` (the compressed size, when known) but not below :data:`RATIO_FLOOR_BYTES`.
    ``consumed()``, when given, tells the compressed bytes read so far: past
    :data:`RATIO_FLOOR_BYTES`, inflating more than :data:`MAX_RATIO` times them stops at once.
    At most one chunk more than the limit is ever held.
    """
    return b"".join(list(_chunks(stream, limit, compressed, consumed, what)))


def count_limited(
    stream: Inflating,
    limit: int | None = None,
    *,
    compressed: int | None = None,
    consumed: Callable[[], int] | None = None,
    what: str | Phrase = THE_FILE,
) -> int:
    """How many bytes ``stream`` inflates to, reading and dropping chunks; :class:`TooLarge` past the limit."""
    return sum(len(chunk) for chunk in _chunks(stream, limit, compressed, consumed, what))


def gzip_limited(raw: BinaryIO, size: int, what: str) -> bytes:
    """A whole gzip stream read from ``raw`` (``size`` bytes), inflated within the limits."""
    start = raw.tell()
    with gzip.GzipFile(fileobj=raw, mode="rb") as handle:
        return read_limited(handle, compressed=size, consumed=lambda: raw.tell() - start, what=what)


def _member(info: zipfile.ZipInfo, label: str | Phrase) -> Phrase:
    return phrase("problem_part_archive_member", label=label, member=info.filename)


def _compressed(info: zipfile.ZipInfo, archive_size: int | None) -> int:
    """A member's compressed size as declared, but never more than the archive itself."""
    size = info.compress_size
    return min(size, archive_size) if archive_size is not None else size


def _consumed(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], int] | None:
    """Compressed bytes of ``info`` read so far (the archive's position past the member's start)."""
    fp = archive.fp
    if fp is None:
        return None
    return lambda: fp.tell() - info.header_offset


def check_zip(
    archive: zipfile.ZipFile, archive_size: int | None = None, label: str | Phrase = THE_ARCHIVE
) -> None:
    """:class:`TooLarge` when a member, or all together, would inflate beyond the limits, going by
    the sizes the central directory declares (nothing is inflated)."""
    total = 0
    for info in archive.infolist():
        cap, ratio = _limit(_compressed(info, archive_size), None)
        if info.file_size > cap:
            raise TooLarge(_message(_member(info, label), cap, ratio))
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            raise TooLarge(_message(label, MAX_ARCHIVE_BYTES, False))


def read_member(
    archive: zipfile.ZipFile, name: str, archive_size: int | None = None, label: str | Phrase = THE_ARCHIVE
) -> bytes:
    """One member of a checked archive (:func:`check_zip`), inflated within the limits."""
    info = archive.getinfo(name)
    with archive.open(info) as member:
        return read_limited(
            member,
            compressed=_compressed(info, archive_size),
            consumed=_consumed(archive, info),
            what=_member(info, label),
        )


def drain_zip(
    archive: zipfile.ZipFile, archive_size: int | None = None, label: str | Phrase = THE_ARCHIVE
) -> int:
    """Check an archive (:func:`check_zip`), then inflate every member, counting and dropping the bytes:
    :class:`TooLarge` as soon as the real bytes pass a limit. Returns the bytes inflated."""
    check_zip(archive, archive_size, label)
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as member:
            total += count_limited(
                member,
                min(MAX_ARCHIVE_BYTES - total, MAX_INFLATED_BYTES),
                compressed=_compressed(info, archive_size),
                consumed=_consumed(archive, info),
                what=_member(info, label),
            )
    return total
