"""A throwaway PostgreSQL cluster on a local port, for the tests and CI: Debian's server binaries.

    python tools/pg_cluster.py start DIR   # prints: export REFUGEE_STATS_TEST_DATABASE=postgresql://...
    python tools/pg_cluster.py stop DIR

The cluster lives in DIR (made if missing), listens on 127.0.0.1 only, on a free port, with
``trust`` authentication for the local superuser ``postgres`` and durability off (a test
database). As root, the server runs as the ``postgres`` user Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

#: The environment variable the tests read the cluster's address from.
TEST_DATABASE_ENV = "REFUGEE_STATS_TEST_DATABASE"


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: Debian's newest server, else the one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server(command), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}")


def start(folder: Path) -> str:
    """Start a cluster in ``folder``; its address (``postgresql://postgres@127.0.0.1:PORT/postgres``)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server: apt-get install postgresql")
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    if not data.exists():
        _run([str(bin_dir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8"])
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
        ]
    )
    (folder / "port").write_text(str(port))
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (nothing when none runs there)."""
    bin_dir = binaries()
    data = folder / "data"
    if bin_dir is None or not (data / "postmaster.pid").exists():
        return
    subprocess.run(
        _as_server([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
        check=False,
        capture_output=True,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1]).resolve()
    if argv[0] == "start":
        print(f"export {TEST_DATABASE_ENV}={start(folder)}")
    else:
        stop(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
