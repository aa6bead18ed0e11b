"""Real-browser fixtures: the dashboard under `streamlit run`, driven by Debian's chromium via Playwright.

When run as root with `unshare`/`nsenter` available (as in CI), the server and the
browser share a private network namespace with only loopback up, so the page cannot
reach any other host even by accident; every request is recorded all the same.
Without chromium the tests skip with a message that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder carries the ``browser`` marker (``-m browser`` runs them alone)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _need_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's chromium at /usr/bin/chromium: run `apt-get install chromium` (CI does)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        pytest.skip("browser tests need playwright: run `uv sync`")


@dataclass
class Sandbox:
    """Where the server and browser run: a private network namespace, or the host's network."""

    prefix: list[str]
    holder: subprocess.Popen | None = None

    @property
    def isolated(self) -> bool:
        return self.holder is not None


def _sandbox(tmp: Path) -> Sandbox:
    wanted = os.environ.get("REFUGEE_STATS_BROWSER_NETNS", "1") != "0"
    tools = all(shutil.which(t) for t in ("unshare", "nsenter", "ip"))
    if not (wanted and tools and os.geteuid() == 0):
        return Sandbox(prefix=[])
    holder = subprocess.Popen(["unshare", "--net", "sleep", "infinity"], start_new_session=True)
    time.sleep(0.2)
    prefix = ["nsenter", f"--net=/proc/{holder.pid}/ns/net"]
    if subprocess.run([*prefix, "ip", "link", "set", "lo", "up"], check=False).returncode != 0:
        holder.kill()
        return Sandbox(prefix=[])
    return Sandbox(prefix=prefix, holder=holder)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(sandbox: Sandbox, port: int, log: Path, timeout: float = 90) -> None:
    probe = (
        f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/_stcore/health', timeout=2)"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            subprocess.run(
                [*sandbox.prefix, sys.executable, "-c", probe], capture_output=True, check=False
            ).returncode
            == 0
        ):
            return
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not start on port {port}:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class Server:
    """A running dashboard."""

    url: str
    sandbox: Sandbox
    process: subprocess.Popen
    log: Path


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """One network namespace for the session: every server and the one browser run in it."""
    _need_browser()
    shared = _sandbox(tmp_path_factory.mktemp("netns"))
    try:
        yield shared
    finally:
        if shared.holder is not None:
            os.killpg(shared.holder.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def server(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser"), sandbox=sandbox) as running:
        yield running


@contextmanager
def running_server(
    tmp: Path, data_dir: Path | None = None, sandbox: Sandbox | None = None
) -> Iterator[Server]:
    """``streamlit run dashboard.py`` on the bundled sample, or on ``data_dir`` (``$REFUGEE_STATS_DATA``),
    in ``sandbox`` (else in a network namespace of its own, closed with the server)."""
    owned = sandbox is None
    sandbox = _sandbox(tmp) if sandbox is None else sandbox
    port = _free_port()
    log = tmp / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "REFUGEE_STATS_DATA"}
    if data_dir is not None:
        env["REFUGEE_STATS_DATA"] = str(data_dir)
    command = [
        *sandbox.prefix,
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_healthy(sandbox, port, log)
        yield Server(url=f"http://127.0.0.1:{port}/", sandbox=sandbox, process=process, log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        if owned and sandbox.holder is not None:
            os.killpg(sandbox.holder.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser(server: Server, playwright_driver, tmp_path_factory: pytest.TempPathFactory):
    """One chromium for the session, in the servers' network namespace (each test opens its own pages)."""
    with running_browser(server, tmp_path_factory.mktemp("chromium"), playwright_driver) as running:
        yield running


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser context for the pages of the sample server: each page is still its own
    Streamlit session (its own script runs, widgets and uploads); what the pages share is the
    HTTP cache and compiled code of Streamlit's 9 MB of JavaScript, loaded once, not per test."""
    context = browser.new_context(viewport={"width": 1920, "height": 2400}, service_workers="block")
    try:
        yield context
    finally:
        context.close()


@contextmanager
def running_browser(server: Server, tmp: Path, playwright, args: tuple[str, ...] = ()):
    """Chromium in the server's network namespace (when it has one), launched by ``playwright``
    (with ``args`` beside the usual ones)."""
    executable = CHROMIUM
    if server.sandbox.isolated:
        wrapper = tmp / "chromium-in-netns"
        wrapper.write_text(f'#!/bin/sh\nexec {" ".join(server.sandbox.prefix)} {CHROMIUM} "$@"\n')
        wrapper.chmod(0o755)
        executable = wrapper
    browser = playwright.chromium.launch(executable_path=str(executable), args=[*CHROMIUM_ARGS, *args])
    try:
        yield browser
    finally:
        browser.close()


@dataclass
class Traffic:
    """Every request a page made and every console error it logged."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def non_local(self) -> list[str]:
        out = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture(scope="session")
def all_traffic() -> Traffic:
    """Everything seen by every page in the session, for the offline test and the closing note."""
    return Traffic()


@pytest.fixture
def open_page(shared_context, server: Server, all_traffic: Traffic):
    """Open the dashboard with a query string in a new page (a new Streamlit session); returns
    (page, traffic of that page). The page is closed after the test."""
    pages = []

    def opener(query: str = "", width: int = 1920, height: int = 2400):
        page = shared_context.new_page()
        pages.append(page)
        page.set_viewport_size({"width": width, "height": height})
        traffic = Traffic()
        for sink in (traffic, all_traffic):
            page.on("request", lambda request, sink=sink: sink.requests.append(request.url))
            page.on(
                "console",
                lambda message, sink=sink: (
                    sink.errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error, sink=sink: sink.errors.append(str(error)))
        page.goto(server.url + (f"?{query}" if query else ""))
        return page, traffic

    yield opener
    for page in pages:
        page.close()


def wait_for_charts(page, count: int = 1, timeout: float = 60_000) -> None:
    """Wait until at least ``count`` plotly charts have drawn their SVG."""
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n",
        arg=count * 2,
        timeout=timeout,
    )
    page.wait_for_load_state("networkidle")


def choose(option, attempts: int = 5) -> None:
    """Click a radio or segmented-control ``option`` until it is checked: a click that lands while
    Streamlit redraws the widget is lost, and the next step would then run on the old choice."""
    from playwright.sync_api import expect

    for _ in range(attempts):
        option.click()
        try:
            expect(option).to_be_checked(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(option).to_be_checked(timeout=5_000)


def wait_for_rerun(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the script run a click started."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    page.wait_for_timeout(300)
