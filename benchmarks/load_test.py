"""Many viewers at once: ``uv run python -m benchmarks.load_test [--sessions 30] [--rounds 2]``.

Starts the dashboard with ``streamlit run`` on 127.0.0.1 (as :mod:`benchmarks.browser` does) and
opens ``--sessions`` sessions at the same moment. Each session is a client of Streamlit's own
websocket protocol (``/_stcore/stream``, the protobuf messages the browser exchanges): it asks
for the default view exactly as the page does on load, and the time measured is the server's,
from opening the connection to the ``script_finished`` message (and, beside it, to the last
chart's message). No browser draws anything, so the figures are the server's alone. Then every
session changes a filter at once (the host country; sessions spread over the hosts, so some ask
for the same view and some do not) and the rerun is timed the same way.

With ``--browser``, each session is instead a page in one headless Chromium (Playwright,
/usr/bin/chromium) and the time runs from ``page.goto`` to the last chart's plot being visible:
that includes the browser's own work on the same cores.

It prints the median and the worst of each round; there is no pass or fail. Only 127.0.0.1 is
contacted. ``--rounds`` repeats the whole measure on a fresh server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.browser import CHART, CHROMIUM, CHROMIUM_ARGS, ROOT, serve

#: Charts on the default page: three time series and two maps.
CHARTS = 5


@dataclass
class Timing:
    """One session's timings, in seconds from its start."""

    charts: float | None = None
    finished: float | None = None
    error: str | None = None
    widgets: dict[str, object] = field(default_factory=dict)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- websocket clients -----------------------------------------------------------------------


def _rerun(query: str = "", widgets: list | None = None) -> bytes:
    """The BackMsg the page sends to run the script: on load (empty widget states) or after a change."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_script_hash = ""
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-GB"
    state.context_info.url = "http://127.0.0.1/"
    for widget in widgets or []:
        state.widget_states.widgets.append(widget)
    return msg.SerializeToString()


async def _read_run(ws: object, started: float, timing: Timing, timeout: float) -> None:
    """Read ForwardMsgs until the run's ``script_finished``; note when the last chart arrived."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    charts = 0
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            what = element.WhichOneof("type")
            if what == "plotly_chart":
                charts += 1
                if charts == CHARTS:
                    timing.charts = time.perf_counter() - started
            elif what == "exception":
                timing.error = element.exception.message[:200]
            elif what == "metric":
                timing.widgets.setdefault("metrics", {})[element.metric.label] = element.metric.body
            elif what == "multiselect" and element.multiselect.id.endswith("-host"):
                timing.widgets["host"] = (element.multiselect.id, list(element.multiselect.options))
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            timing.finished = time.perf_counter() - started
            return


class _Barrier:
    """Set once every session has reported its first view (or failed)."""

    def __init__(self, sessions: int) -> None:
        self.left, self.event = sessions, asyncio.Event()

    def arrive(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.event.set()


async def _session(
    ws_url: str,
    go: asyncio.Event,
    barrier: _Barrier,
    index: int,
    timeout: float,
    headers: dict | None = None,
    ssl: object = None,
) -> list:
    """One viewer at the websocket ``ws_url`` (with ``headers``; ``ssl``: the TLS context of a
    ``wss`` address): the default view, then, once every viewer has one, a host country chosen."""
    import websockets
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    await go.wait()
    first, rerun = Timing(), Timing()
    arrived = False
    started = time.perf_counter()
    try:
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            ssl=ssl,
            max_size=None,
            open_timeout=timeout,
        ) as ws:
            await ws.send(_rerun())
            await _read_run(ws, started, first, timeout)
            barrier.arrive()
            arrived = True
            await barrier.event.wait()
            widget_id, options = first.widgets["host"]
            state = WidgetState(id=widget_id)
            state.string_array_value.data.append(options[index % len(options)])
            rerun.widgets["chosen"] = options[index % len(options)]
            started = time.perf_counter()
            await ws.send(_rerun(widgets=[state]))
            await _read_run(ws, started, rerun, timeout)
    except Exception as exc:  # a session that never finishes is a result too
        for t in (first, rerun):
            if t.finished is None and t.error is None:
                t.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        if not arrived:
            barrier.arrive()
    return [first, rerun]


async def websocket_round(url: str, sessions: int, timeout: float) -> dict:
    """``sessions`` protocol clients at once: first views, then one filter change each."""
    go, barrier = asyncio.Event(), _Barrier(sessions)
    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    tasks = [asyncio.create_task(_session(ws_url, go, barrier, i, timeout)) for i in range(sessions)]
    await asyncio.sleep(0.2)
    go.set()  # every session at once
    results = await asyncio.gather(*tasks)
    chosen = {r[1].widgets.get("chosen") for r in results} - {None}
    people = {r[1].widgets.get("metrics", {}).get("People detained") for r in results} - {None}
    return {
        "distinct people detained after rerun": len(people),
        "first view": summarise([r[0] for r in results]),
        "filter rerun": summarise([r[1] for r in results]),
        "distinct rerun views": len(chosen),
    }


async def single_session(url: str, reruns: int, timeout: float) -> dict:
    """One session alone on the warm server: filter reruns to views it has already seen (one host
    country, then another), and to views nobody has asked for yet (two host countries at once)."""
    import itertools

    import websockets
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    async def rerun(ws: object, widget_id: str, hosts: tuple[str, ...]) -> float:
        state = WidgetState(id=widget_id)
        state.string_array_value.data.extend(hosts)
        timing, started = Timing(), time.perf_counter()
        await ws.send(_rerun(widgets=[state]))
        await _read_run(ws, started, timing, timeout)
        if timing.error:
            raise RuntimeError(timing.error)
        return timing.finished

    async with websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        first = Timing()
        started = time.perf_counter()
        await ws.send(_rerun())
        await _read_run(ws, started, first, timeout)
        widget_id, options = first.widgets["host"]
        seen = [await rerun(ws, widget_id, (options[i % 2],)) for i in range(reruns)]
        pairs = list(itertools.combinations(options, 2))[:reruns]
        new = [await rerun(ws, widget_id, pair) for pair in pairs]
    return {
        "first view": first.finished,
        "rerun median": statistics.median(seen),
        "new view rerun median": statistics.median(new) if new else None,
        "reruns": seen,
        "new view reruns": new,
    }


# -- browsers --------------------------------------------------------------------------------


async def browser_round(url: str, sessions: int, timeout: float) -> dict:
    """``sessions`` pages in one headless Chromium: navigation to the last chart visible, then a
    click on the chart period (Quarter or Year) to the rerun's ``script_finished`` message."""
    from playwright.async_api import async_playwright
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for _ in range(sessions):
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            pages.append(await context.new_page())

        def watch(page: object, finished: list) -> None:
            def on_socket(ws: object) -> None:
                def on_frame(payload: bytes | str) -> None:
                    if isinstance(payload, bytes):
                        msg = ForwardMsg()
                        msg.ParseFromString(payload)
                        if msg.WhichOneof("type") == "script_finished":
                            finished.append(time.perf_counter())

                ws.on("framereceived", on_frame)

            page.on("websocket", on_socket)

        async def first(page: object, finished: list) -> Timing:
            timing = Timing()
            started = time.perf_counter()
            try:
                await page.goto(url, wait_until="commit", timeout=timeout * 1000)
                await page.locator(CHART).nth(CHARTS - 1).wait_for(state="visible", timeout=timeout * 1000)
                timing.charts = time.perf_counter() - started
                timing.finished = (finished[0] - started) if finished else None
            except Exception as exc:
                timing.error = f"{type(exc).__name__}: {str(exc)[:200]}"
            return timing

        async def rerun(page: object, finished: list, index: int) -> Timing:
            timing = Timing()
            period = ("Quarter", "Year")[index % 2]
            sidebar = page.locator("section[data-testid='stSidebar']")
            try:
                seen = len(finished)
                started = time.perf_counter()
                await sidebar.get_by_role("radio", name=period, exact=True).click(timeout=timeout * 1000)
                deadline = started + timeout
                while len(finished) == seen and time.perf_counter() < deadline:
                    await asyncio.sleep(0.02)
                timing.finished = finished[seen] - started if len(finished) > seen else None
                timing.error = None if timing.finished is not None else "no script_finished"
            except Exception as exc:
                timing.error = f"{type(exc).__name__}: {str(exc)[:200]}"
            return timing

        finished: list[list[float]] = [[] for _ in pages]
        for page, done in zip(pages, finished, strict=True):
            watch(page, done)
        firsts = await asyncio.gather(*(first(pg, f) for pg, f in zip(pages, finished, strict=True)))
        reruns = await asyncio.gather(
            *(rerun(pg, f, i) for i, (pg, f) in enumerate(zip(pages, finished, strict=True)))
        )
        await browser.close()
    return {
        "first view (last chart visible)": summarise(firsts, "charts"),
        "first view (script_finished)": summarise(firsts),
        "filter rerun": summarise(reruns),
        "distinct rerun views": min(sessions, 2),
    }


# -- report ----------------------------------------------------------------------------------


def summarise(timings: list[Timing], what: str = "finished") -> dict:
    """Median and worst of the sessions that finished; how many did not, and why (first reason)."""
    values = sorted(getattr(t, what) for t in timings if getattr(t, what) is not None and t.error is None)
    errors = [t.error for t in timings if t.error]
    out: dict = {"sessions": len(timings), "finished": len(values)}
    if values:
        out |= {"median": statistics.median(values), "worst": values[-1], "best": values[0]}
    if errors:
        out["failed"] = len(errors)
        out["first error"] = errors[0]
    return out


def _line(name: str, s: dict) -> str:
    if "median" not in s:
        return f"  {name:34s} no session finished ({s.get('first error')})"
    failed = f", {s['failed']} failed: {s['first error']}" if s.get("failed") else ""
    return (
        f"  {name:34s} median {s['median']:6.2f} s  worst {s['worst']:6.2f} s  "
        f"best {s['best']:5.2f} s  ({s['finished']}/{s['sessions']}{failed})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load_test", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=30, help="viewers opening the dashboard at once")
    parser.add_argument("--rounds", type=int, default=2, help="times to repeat, each on a fresh server")
    parser.add_argument("--browser", action="store_true", help="Chromium pages instead of protocol clients")
    parser.add_argument("--single", type=int, default=5, help="warm single-session reruns to time (0: none)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a session may take, each step")
    parser.add_argument("--data", type=Path, help="data folder (default: the bundled sample)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args(argv)
    args.sessions = max(1, min(args.sessions, 200))  # bounded: this is a benchmark, not a flood
    env = dict(os.environ)
    env.pop("REFUGEE_STATS_DATA", None)
    if args.data:
        env["REFUGEE_STATS_DATA"] = str(args.data)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            log = Path(tmp) / f"server-{n}.log"
            process, url = serve(ROOT / "dashboard.py", env, log)
            try:
                result: dict = {}
                for burst in ("cold server", "warm server"):
                    started = time.perf_counter()
                    if args.browser:
                        result[burst] = asyncio.run(browser_round(url, args.sessions, args.timeout))
                    else:
                        result[burst] = asyncio.run(websocket_round(url, args.sessions, args.timeout))
                    result[burst]["seconds"] = time.perf_counter() - started
                if args.single:
                    result["single session"] = asyncio.run(single_session(url, args.single, args.timeout))
            finally:
                stop(process)
            rounds.append(result)
            client = "browser" if args.browser else "websocket"
            print(f"round {n + 1}: {args.sessions} sessions at once ({client} clients)")
            for burst in ("cold server", "warm server"):
                views = result[burst]["distinct rerun views"]
                print(f" {burst} (then {views} different views asked for by the filter change):")
                for name, value in result[burst].items():
                    if isinstance(value, dict) and "sessions" in value:
                        print(_line(name, value))
            if "single session" in result:
                single = result["single session"]
                print(
                    f" single warm session: first view {single['first view']:.2f} s, "
                    f"filter rerun median {single['rerun median']:.2f} s (a view already shared), "
                    f"{single['new view rerun median']:.2f} s (a view nobody asked for yet)"
                )
            print(f"  load average now: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cores": os.cpu_count(),
        "sessions": args.sessions,
        "client": "browser" if args.browser else "websocket",
        "rounds": rounds,
    }
    args.output.write_text(json.dumps(report, indent=2))
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
