"""Where data comes from: files and folders named, in-memory uploads, and compressed files unpacked within limits."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pyarrow

from refugee_stats.ingest import bounded
from refugee_stats.ingest.problems import FileProblem, Problem, phrase, problem

DATA_SUFFIXES = (".csv", ".xlsx", ".tsv", ".txt", ".gz", ".zip", ".parquet")


ENV_VAR = "REFUGEE_STATS_DATA"


@dataclass(frozen=True)
class MemoryFile:
    """A file held in memory (an upload): read like a path, never written anywhere."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def exists(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False

    def read_bytes(self) -> bytes:
        return self.data

    def open(self, mode: str = "rb") -> io.BytesIO:
        if mode != "rb":
            raise ValueError("a MemoryFile is read-only")
        return io.BytesIO(self.data)

    def __str__(self) -> str:
        return self.name


def opened(path: Path | MemoryFile) -> Path | io.BytesIO:
    """What readers that take a path or a file object should be given."""
    return path.open("rb") if isinstance(path, MemoryFile) else path


def bundled_data_dir() -> Path:
    """The sample data folder shipped with the project."""
    return Path(__file__).resolve().parents[2] / "data"


def default_data_dir() -> Path:
    """``$REFUGEE_STATS_DATA`` when set, else the bundled sample folder."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured) if configured else bundled_data_dir()


def data_files(paths: Iterable[str | Path | MemoryFile]) -> list[Path | MemoryFile]:
    """The data files named by ``paths``: files as given, folders expanded to their data files."""
    return scan(paths)[0]


#: Workbook formats the loader does not read, named when found in a data folder.
_OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")


def scan(paths: Iterable[str | Path | MemoryFile]) -> tuple[list[Path | MemoryFile], list[Problem]]:
    """The data files named by ``paths`` (folders expanded, by name), and a problem for each entry of a
    folder that looks like data but is not read: a folder, a broken link, another workbook format."""
    out: list[Path | MemoryFile] = []
    problems: list[Problem] = []
    for path in (p if isinstance(p, MemoryFile) else Path(p) for p in paths):
        if isinstance(path, MemoryFile) or not path.is_dir():
            out.append(path)
            continue
        for entry in sorted(path.iterdir()):
            suffix = entry.suffix.lower()
            if entry.name.startswith("."):
                continue  # hidden: .git, .DS_Store
            if entry.is_symlink() and not entry.exists():
                target = os.readlink(entry)
                problems.append(problem(str(entry), phrase("problem_broken_link_not_read", target=target)))
            elif entry.is_dir():
                looks_like_data = suffix in DATA_SUFFIXES
                problems.append(
                    problem(str(entry), "problem_folder", severity="error" if looks_like_data else "warning")
                )
            elif suffix in _OTHER_SPREADSHEETS:
                problems.append(
                    problem(
                        str(entry),
                        phrase("problem_other_workbook", suffix=suffix),
                        severity="warning",
                    )
                )
            elif suffix in DATA_SUFFIXES and not entry.is_file():
                problems.append(problem(str(entry), "problem_not_regular_file"))
            elif suffix in DATA_SUFFIXES:
                out.append(entry)
    return out, problems


def file_size(path: Path | MemoryFile) -> int:
    return len(path.data) if isinstance(path, MemoryFile) else path.stat().st_size


#: Files of these kinds inside a .zip archive are read, each as a file of its own.
_ZIPPED_SUFFIXES = (".csv", ".tsv", ".txt")


def unpacked(path: Path | MemoryFile) -> tuple[list[tuple[str | None, Path | MemoryFile]], list[str]]:
    """A ``.gz`` or ``.zip`` file inflated (within :mod:`refugee_stats.bounded`'s limits) into memory;
    any other file as it is. Per file inside: its name in the archive (None for a gzip or a plain
    file) and the file, named as inside (``incidents.csv.gz`` -> ``incidents.csv``); and the
    names of archive members that are not read."""
    suffix = path.suffix.lower()
    if suffix not in (".gz", ".zip"):
        return [(None, path)], []
    with path.open("rb") as handle:
        magic = handle.read(4)
    try:
        if suffix == ".gz" and magic[:2] == b"\x1f\x8b":
            with path.open("rb") as raw:
                data = bounded.gzip_limited(raw, file_size(path), path.name)
            return [(None, MemoryFile(path.stem, data))], []
        if suffix == ".zip" and magic == b"PK\x03\x04":
            with zipfile.ZipFile(opened(path)) as archive:
                members = [i.filename for i in archive.infolist() if not i.is_dir()]
                names = sorted(n for n in members if n.lower().endswith(_ZIPPED_SUFFIXES))
                if not names:
                    raise FileProblem("problem_zip_without_csv")
                bounded.check_zip(archive, file_size(path), path.name)
                files: list[tuple[str | None, Path | MemoryFile]] = [
                    (
                        name,
                        MemoryFile(
                            Path(name).name, bounded.read_member(archive, name, file_size(path), path.name)
                        ),
                    )
                    for name in names
                ]
            return files, sorted(set(members) - set(names))
    except bounded.TooLarge as exc:
        raise FileProblem(exc.phrase) from exc
    except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise FileProblem("problem_compressed_unreadable", error=str(exc)) from exc
    return [(None, path)], []
