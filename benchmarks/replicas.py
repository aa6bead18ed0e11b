"""Many viewers through the proxy: ``uv run python -m benchmarks.replicas [--sessions 30] [--rounds 1]
[--database URL]``.

The team deployment of deploy/ on this machine (tools/proxy.py): nginx with deploy/nginx.conf
(TLS with a self-signed certificate, basic auth, cookie affinity) in front of 1, then 2 replicas
started with deploy/refugee-stats@.service's command; and, for comparison, 1 replica without the
proxy. Each time on fresh replicas, ``--sessions`` viewers open the dashboard at once, as
:mod:`benchmarks.load_test` does (clients of Streamlit's websocket protocol, no drawing), then
each changes the host country; then as many new viewers on the now warm replicas. A viewer
first asks for the page as a browser does, so nginx gives it its affinity cookie, and opens its
websocket with that cookie (and the password): timed, as in load_test, from opening the
websocket to the run's ``script_finished``. How the sessions were spread over the replicas is
read from the proxy's access log.

The records: the bundled sample's files, or the PostgreSQL database ``--database`` names (give
the read-only role's address). Only 127.0.0.1 is contacted. It prints the median and the worst;
there is no pass or fail.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.browser import ROOT
from benchmarks.load_test import _Barrier, _line, _session, stop, summarise
from tools import proxy

USER, PASSWORD = "analyst", "benchmark"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=_unverified()) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def _rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")  # pragma: no cover - every Linux process has one


def _page_cookie(port: int) -> str:
    """Ask for the page as a browser does: the affinity cookie nginx gives (``name=value``)."""
    con = http.client.HTTPSConnection("127.0.0.1", port, context=_unverified(), timeout=60)
    con.request("GET", "/", headers={"Host": proxy.SERVER_NAME, **AUTH})
    answer = con.getresponse()
    answer.read()
    con.close()
    for name, value in answer.getheaders():
        if name.lower() == "set-cookie" and value.startswith(proxy.AFFINITY_COOKIE + "="):
            return value.split(";", 1)[0]
    raise RuntimeError(f"no affinity cookie from the proxy (status {answer.status})")


async def burst(ws_url: str, headers: list[dict], timeout: float) -> dict:
    """``len(headers)`` viewers at once (each with its own headers): first views, then a filter change."""
    go, barrier = asyncio.Event(), _Barrier(len(headers))
    tls = _unverified() if ws_url.startswith("wss") else None
    tasks = [
        asyncio.create_task(_session(ws_url, go, barrier, i, timeout, headers=h, ssl=tls))
        for i, h in enumerate(headers)
    ]
    await asyncio.sleep(0.2)
    go.set()
    results = await asyncio.gather(*tasks)
    return {
        "first view": summarise([r[0] for r in results]),
        "filter rerun": summarise([r[1] for r in results]),
    }


def measure(
    replicas: int, through_proxy: bool, sessions: int, env: dict, folder: Path, timeout: float
) -> dict:
    """Fresh replicas (and the proxy): a cold burst, then a warm one; timings and the spread."""
    folder.mkdir(parents=True, exist_ok=True)
    ports = tuple(_free_port() for _ in range(replicas))
    processes = []
    for port in ports:
        with (folder / f"replica-{port}.log").open("ab") as out:
            processes.append(
                subprocess.Popen(
                    proxy.replica_command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            )
    nginx = None
    try:
        for port in ports:
            _healthy(f"http://127.0.0.1:{port}/_stcore/health")
        if through_proxy:
            certificate, key = proxy.certificate(folder / "tls")
            site = proxy.Site(
                replicas=ports,
                certificate=certificate,
                key=key,
                password_file=proxy.password_file(folder / "htpasswd", {USER: PASSWORD}),
                logs=folder / "logs",
                https_port=_free_port(),
                http_port=_free_port(),
            )
            config = proxy.write_config(site, folder / "nginx")
            with (folder / "nginx.out").open("ab") as out:
                nginx = subprocess.Popen(proxy.nginx_command(config), stdout=out, stderr=subprocess.STDOUT)
            _healthy(f"https://127.0.0.1:{site.https_port}/_stcore/health")
            ws_url = f"wss://127.0.0.1:{site.https_port}/_stcore/stream"
        else:
            ws_url = f"ws://127.0.0.1:{ports[0]}/_stcore/stream"
        result: dict = {}
        for name in ("cold", "warm"):
            if nginx is not None:
                headers = [{**AUTH, "Cookie": _page_cookie(site.https_port)} for _ in range(sessions)]
            else:
                headers = [{} for _ in range(sessions)]
            started = time.perf_counter()
            result[name] = asyncio.run(burst(ws_url, headers, timeout))
            result[name]["seconds"] = time.perf_counter() - started
            if nginx is not None:
                streams = [
                    line
                    for line in proxy.access_log(site.logs / "access.log")
                    if line.path == "/_stcore/stream"
                ]
                spread = collections.Counter(line.upstream for line in streams[-sessions:])
                result[name]["sessions per replica"] = sorted(spread.values(), reverse=True)
            result[name]["load average"] = os.getloadavg()[0]
        result["replica memory MB"] = [_rss_mb(p.pid) for p in processes]
        return result
    finally:
        if nginx is not None:
            stop(nginx)
        for process in processes:
            stop(process)


CONFIGURATIONS = (
    ("1 replica, no proxy", 1, False),
    ("1 replica via nginx", 1, True),
    ("2 replicas via nginx", 2, True),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.replicas", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=30, help="viewers opening the dashboard at once")
    parser.add_argument("--rounds", type=int, default=1, help="times to repeat every configuration")
    parser.add_argument(
        "--database", help="PostgreSQL address the replicas read (default: the sample's files)"
    )
    parser.add_argument("--timeout", type=float, default=240, help="seconds a session may take, each step")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "replicas.json")
    args = parser.parse_args(argv)
    if proxy.nginx_binary() is None:
        print("needs nginx: apt-get install nginx", file=sys.stderr)
        return 2
    args.sessions = max(1, min(args.sessions, 100))  # bounded: a benchmark, not a flood
    env = {k: v for k, v in os.environ.items() if k not in ("REFUGEE_STATS_DATA", "REFUGEE_STATS_DATABASE")}
    if args.database:
        env["REFUGEE_STATS_DATABASE"] = args.database
    source = "PostgreSQL" if args.database else "the sample's files"
    report: dict = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cores": os.cpu_count(), "sessions": args.sessions,
                    "records": source, "rounds": []}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            results = {}
            for name, replicas, through_proxy in CONFIGURATIONS:
                folder = Path(tmp) / f"round{n}-{replicas}-{int(through_proxy)}"
                results[name] = measure(replicas, through_proxy, args.sessions, env, folder, args.timeout)
                print(
                    f"round {n + 1}, {name}: {args.sessions} sessions at once, records from {source}",
                    flush=True,
                )
                for burst_name in ("cold", "warm"):
                    r = results[name][burst_name]
                    spread = r.get("sessions per replica")
                    print(f" {burst_name} replicas (load average {r['load average']:.1f}"
                          + (f"; sessions per replica {spread}" if spread else "") + "):")  # fmt: skip
                    for part in ("first view", "filter rerun"):
                        print(_line(part, r[part]), flush=True)
                print(f" memory per replica after both: {results[name]['replica memory MB']} MB", flush=True)
            report["rounds"].append(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2))
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
