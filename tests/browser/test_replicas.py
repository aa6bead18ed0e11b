"""A team deployment in a real browser: deploy/nginx.conf in front of two replicas started as
deploy/refugee-stats@.service starts them, reading the sample from PostgreSQL with the role
deploy/readonly-role.sql makes; chromium talks to the proxy alone.

Everything runs once for the module, in the browser tests' private network namespace (as root):
there nginx listens on 80 and 443 and the replicas on 8501 and 8502, exactly as deployed, and
chromium resolves stats.example.org to 127.0.0.1. The PostgreSQL server runs outside the
namespace (CI starts it before the tests), so the replicas reach it through its Unix socket: a
socket is a file, not a network address. Without the namespace (not root) the same runs on free
ports of 127.0.0.1.

Which replica served which request is read from the proxy's access log (its ``log_format``
names the upstream and the browser's affinity key): a websocket is logged when it closes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    SCREENSHOTS,
    Sandbox,
    Server,
    Traffic,
    _free_port,
    _wait_healthy,
    running_browser,
    wait_for_charts,
    wait_for_rerun,
)
from tools import proxy

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "analyst", "correct horse battery staple"
FOUNDING_CASE = "host=KAZ&nationality=UZB&illustrative=0&from=2010-01&to=2010-12&lang=en"
#: The key figures in order: people detained, incidents, UNHCR refugees, revocations, extradited or deported.
FOUNDING_FIGURES = ["29", "1", "17", "17", "0"]


def _required(what: str, install: str) -> None:
    if os.environ.get("REFUGEE_STATS_REQUIRE_NGINX") == "1":
        pytest.fail(f"the deployment tests are required here: {install}")
    pytest.skip(f"the deployment tests need {what}: {install} (CI does)")


@dataclass
class Deployment:
    """The proxy and its replicas, running."""

    sandbox: Sandbox
    base: str  # what the browser opens: https://stats.example.org/ in the namespace
    http_base: str
    https_port: int
    folder: Path
    env: dict[str, str]
    nginx: subprocess.Popen
    replicas: dict[str, subprocess.Popen] = field(default_factory=dict)  # "127.0.0.1:8501" -> process
    logs: dict[str, Path] = field(default_factory=dict)

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "access.log"

    def request(self, path: str, *, http: bool = False, **fields: object) -> dict:
        """A request for :func:`tools.proxy.fetch` to the proxy (connecting to 127.0.0.1)."""
        base = self.http_base if http else self.base
        return {"url": base + path.lstrip("/"), "host": "127.0.0.1", **fields}

    def fetch(self, requests: list[dict]) -> list[dict]:
        return proxy.fetch(requests, self.sandbox.prefix)

    def start_replica(self, port: int) -> None:
        name = f"127.0.0.1:{port}"
        log = self.folder / f"replica-{port}.log"
        with log.open("ab") as out:
            self.replicas[name] = subprocess.Popen(
                [*self.sandbox.prefix, *proxy.replica_command(port)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.logs[name] = log

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _auth() -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}


@pytest.fixture(scope="module")
def reader_url(postgres_server) -> Iterator[str]:
    """A database holding the sample (loaded by the server's superuser, as ``db load`` would) and a
    role made by deploy/readonly-role.sql: the role's address, through the server's Unix socket."""
    import psycopg

    from refugee_stats.ingest.dataset import load
    from refugee_stats.sql import postgres

    psql = shutil.which("psql")
    if psql is None:
        _required("psql", "apt-get install postgresql-client")
    suffix = uuid.uuid4().hex[:8]
    database, reader = f"t_replicas_{suffix}", f"dashboard_reader_{suffix}"
    base, _, _ = postgres_server.rpartition("/")
    owner_url = f"{base}/{database}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
        sockets = str(admin.execute("SHOW unix_socket_directories").fetchone()[0]).split(",")[0].strip()
        port = admin.execute("SHOW port").fetchone()[0]
        loader = admin.execute("SELECT current_user").fetchone()[0]
    try:
        postgres.load(postgres.connect(owner_url), load(ROOT / "data"), what="the bundled sample")
        subprocess.run(
            [psql, owner_url, "-q", "-v", f"reader={reader}", "-v", "password=not-checked-by-trust",
             "-v", f"loader={loader}", "-f", str(proxy.ROLE_SQL)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        yield f"postgresql://{reader}:not-checked-by-trust@/{database}?host={sockets}&port={port}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{reader}"')


@pytest.fixture(scope="module")
def deployment(
    sandbox: Sandbox, reader_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Two replicas reading the database as the read-only role, nginx in front of them."""
    if proxy.nginx_binary() is None:
        _required("nginx", "apt-get install nginx")
    if shutil.which("openssl") is None:
        _required("openssl", "apt-get install openssl")
    folder = tmp_path_factory.mktemp("deployment")
    isolated = sandbox.isolated
    ports = (8501, 8502) if isolated else (_free_port(), _free_port())
    https_port, http_port = (443, 80) if isolated else (_free_port(), _free_port())
    env = {k: v for k, v in os.environ.items() if k != "REFUGEE_STATS_DATA"}
    env["REFUGEE_STATS_DATABASE"] = reader_url
    certificate, key = proxy.certificate(folder / "tls")
    site = proxy.Site(
        replicas=ports,
        certificate=certificate,
        key=key,
        password_file=proxy.password_file(folder / "htpasswd", {USER: PASSWORD}),
        logs=folder / "logs",
        https_port=https_port,
        http_port=http_port,
    )
    config = proxy.write_config(site, folder / "nginx")
    host = proxy.SERVER_NAME if isolated else "127.0.0.1"
    with (folder / "nginx.out").open("wb") as out:
        nginx = subprocess.Popen(
            [*sandbox.prefix, *proxy.nginx_command(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Deployment(
        sandbox=sandbox,
        base=f"https://{host}/" if isolated else f"https://{host}:{https_port}/",
        http_base=f"http://{host}/" if isolated else f"http://{host}:{http_port}/",
        https_port=https_port,
        folder=folder,
        env=env,
        nginx=nginx,
    )
    try:
        for port in ports:  # both start at once, then both are waited for
            running.start_replica(port)
        for port in ports:
            _wait_healthy(sandbox, port, running.logs[f"127.0.0.1:{port}"])
        proxy.wait_until_answering(f"https://127.0.0.1:{https_port}/_stcore/health", sandbox.prefix)
        yield running
    finally:
        running.stop(nginx)
        for process in running.replicas.values():
            running.stop(process)


@pytest.fixture(scope="module")
def proxy_browser(deployment: Deployment, playwright_driver, tmp_path_factory: pytest.TempPathFactory):
    """Chromium in the namespace, resolving the proxy's name to 127.0.0.1 (and nothing else)."""
    rules = (
        (f"--host-resolver-rules=MAP {proxy.SERVER_NAME} 127.0.0.1",) if deployment.sandbox.isolated else ()
    )
    server = Server(
        url=deployment.base, sandbox=deployment.sandbox, process=deployment.nginx, log=deployment.access_log
    )
    with running_browser(server, tmp_path_factory.mktemp("chromium"), playwright_driver, rules) as running:
        yield running


@pytest.fixture(scope="module")
def module_traffic() -> Traffic:
    """Every request of every page of this module."""
    return Traffic()


@pytest.fixture
def new_browser(proxy_browser, deployment: Deployment, module_traffic: Traffic):
    """A new browser (context: its own cookies) with the analyst's password; opens the dashboard
    through the proxy: (page, traffic). Closed after the test."""
    contexts = []

    def opener(query: str, cookie: str | None = None):
        context = proxy_browser.new_context(
            viewport={"width": 1920, "height": 1400},
            ignore_https_errors=True,  # the test's own self-signed certificate
            http_credentials={"username": USER, "password": PASSWORD},
            service_workers="block",
        )
        contexts.append(context)
        if cookie is not None:
            context.add_cookies([{"name": proxy.AFFINITY_COOKIE, "value": cookie, "url": deployment.base}])
        page = context.new_page()
        traffic = Traffic()
        for sink in (traffic, module_traffic):
            page.on("request", lambda request, sink=sink: sink.requests.append(request.url))
            page.on("console", lambda m, sink=sink: sink.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error, sink=sink: sink.errors.append(str(error)))
        page.goto(deployment.base + f"?{query}")
        return page, traffic

    yield opener
    for context in contexts:
        context.close()


def _figures(page):
    return page.locator("[data-testid='stMain'] [data-testid='stMetricValue']")


def _affinity(context) -> str:
    found = [c for c in context.cookies() if c["name"] == proxy.AFFINITY_COOKIE]
    assert len(found) == 1, context.cookies()
    return found[0]["value"]


def _served(deployment: Deployment, affinity: str) -> list[proxy.Logged]:
    """What the replicas served to the browser with ``affinity`` (not what nginx answered itself:
    chromium's first request, before it sends the password, is a 401)."""
    return [
        line
        for line in proxy.access_log(deployment.access_log)
        if line.affinity == affinity and line.upstream != "-"
    ]


def _wait_for_stream(deployment: Deployment, affinity: str, count: int = 1) -> list[proxy.Logged]:
    """The proxy's log lines of ``affinity``'s websockets, once ``count`` have closed."""
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        streams = [line for line in _served(deployment, affinity) if line.path == "/_stcore/stream"]
        if len(streams) >= count:
            return streams
        time.sleep(0.2)
    raise AssertionError(f"no websocket of {affinity} in the proxy's log")


# -- tests --------------------------------------------------------------------------------------


def _cookies_per_replica(deployment: Deployment, n: int = 64) -> dict[str, list[str]]:
    """Ask ``n`` times without a cookie, then with each cookie nginx gave: replica -> cookies.
    The cookie-less requests all come from one address (as from a hall behind one NAT) and go
    to one replica; nginx's cookies spread over both."""
    before = len(proxy.access_log(deployment.access_log))
    bare = deployment.fetch([deployment.request("/_stcore/health") for _ in range(n)])
    given = []
    for answer in bare:
        assert answer["status"] == 200 and answer["body"] == "ok"
        (set_cookie,) = [c for c in answer["headers"]["set-cookie"] if c.startswith(proxy.AFFINITY_COOKIE)]
        found = re.fullmatch(
            rf"{proxy.AFFINITY_COOKIE}=([0-9a-f]{{32}}); Path=/; Secure; HttpOnly; SameSite=Lax", set_cookie
        )
        assert found, set_cookie
        given.append(found[1])
    assert len(set(given)) == n
    by_address = [line for line in proxy.access_log(deployment.access_log)[before:] if "health" in line.path]
    assert len(by_address) == n and len({line.upstream for line in by_address}) == 1
    asked = deployment.fetch(
        [
            deployment.request("/_stcore/health", headers={"Cookie": f"{proxy.AFFINITY_COOKIE}={c}"})
            for c in given
        ]
    )
    for answer in asked:  # the cookie is given once
        assert answer["status"] == 200
        assert not any(c.startswith(proxy.AFFINITY_COOKIE) for c in answer["headers"].get("set-cookie", []))
    per_replica: dict[str, list[str]] = {}
    for line in proxy.access_log(deployment.access_log)[before:]:
        if line.affinity in given:
            per_replica.setdefault(line.upstream, []).append(line.affinity)
    assert sorted(c for cookies in per_replica.values() for c in cookies) == sorted(given)
    return per_replica


def test_browsers_on_both_replicas_show_the_founding_case_and_follow_filters(new_browser, deployment):
    """Two browsers, each with a cookie nginx gave, one placed on each replica: the page, its
    websocket and its reruns all pass the proxy, and every request of a browser goes to its
    replica."""
    per_replica = _cookies_per_replica(deployment)
    assert set(per_replica) == set(deployment.replicas)
    assert all(len(cookies) >= 10 for cookies in per_replica.values()), {
        k: len(v) for k, v in per_replica.items()
    }

    pages = {
        replica: new_browser(FOUNDING_CASE, cookie=cookies[0]) for replica, cookies in per_replica.items()
    }
    for page, traffic in pages.values():
        wait_for_charts(page, 3)
        wait_for_rerun(page)
        expect(_figures(page)).to_have_text(FOUNDING_FIGURES, timeout=30_000)
        assert traffic.errors == []

    # Filters changed in one session (reruns over the websocket): every nationality, then the
    # illustrative records too. Kazakhstan 2010: detentions 29 + 10 + 1 + 15 + 4 + 1 + 5 = 65
    # people in 10 incidents, 17 + 1 + 5 + 1 = 24 UNHCR refugees, 11 deported + 1 forced return.
    page, traffic = next(iter(pages.values()))
    sidebar = page.locator("section[data-testid='stSidebar']")
    sidebar.get_by_role("button", name=re.compile("Uzbekistan")).first.click()
    expect(page).not_to_have_url(re.compile("nationality="), timeout=30_000)
    wait_for_rerun(page)
    expect(_figures(page)).to_have_text(FOUNDING_FIGURES, timeout=30_000)  # the one real record
    sidebar.get_by_text("Include illustrative sample records").click()
    wait_for_rerun(page)
    expect(_figures(page)).to_have_text(["65", "10", "24", "17", "12"], timeout=30_000)
    assert traffic.errors == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "replicas-through-the-proxy.png")

    for replica, (page, _) in pages.items():
        affinity = _affinity(page.context)
        page.close()
        streams = _wait_for_stream(deployment, affinity)
        assert [(line.upstream, line.status) for line in streams] == [(replica, 101)]
        assert {line.upstream for line in _served(deployment, affinity)} == {replica}


def _upload(page, tmp_path: Path) -> None:
    upload = tmp_path / "incidents.csv"
    upload.write_text(
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
        "U1,2005-01,KGZ,detention,AFG,12,5,Monitor report\n"
        "U2,2015-12,KGZ,detention,AFG,12,5,Monitor report\n"
    )
    sidebar = page.locator("section[data-testid='stSidebar']")
    sidebar.get_by_text("Your data").click()
    sidebar.locator("input[type=file]").set_input_files(upload)


def test_an_upload_is_charted_by_the_replica_that_holds_the_session(new_browser, deployment, tmp_path):
    """A new browser gets its cookie from nginx; its upload goes to the replica whose memory
    holds its session; the same request sent to the other replica is refused as a stranger's."""
    page, traffic = new_browser("lang=en")
    wait_for_charts(page, 3)
    cookie = next(c for c in page.context.cookies() if c["name"] == proxy.AFFINITY_COOKIE)
    assert re.fullmatch(r"[0-9a-f]{32}", cookie["value"])  # nginx's $request_id
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    _upload(page, tmp_path)
    main = page.locator("[data-testid='stMain']")
    # With a database, uploads are charted on their own: 12 + 12 people detained.
    expect(main.locator("[data-testid='stMetricValue']").first).to_have_text("24", timeout=30_000)
    expect(page.get_by_text("Uploaded files are charted on their own").first).to_be_visible()
    assert traffic.errors == []

    affinity = cookie["value"]
    uploads = [
        line for line in _served(deployment, affinity) if line.path.startswith("/_stcore/upload_file/")
    ]
    assert [line.status for line in uploads] == [204]
    holder = uploads[0].upstream
    session, file_id = uploads[0].path.split("/")[3:5]
    other = next(name for name in deployment.replicas if name != holder)
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    stranger = {
        "url": f"http://{other}/_stcore/upload_file/{session}/{file_id}",
        "method": "PUT",
        "headers": {"Cookie": f"_streamlit_xsrf={xsrf}", "X-Xsrftoken": xsrf, "Content-Type": "text/plain"},
        "body": "x",
    }
    refused = deployment.fetch([stranger])[0]
    # 400, not 403: the other replica accepts the browser's XSRF token (no secret of its own
    # signs it); what it lacks is the session.
    assert refused["status"] == 400 and "Invalid session_id" in refused["body"]

    page.close()
    streams = _wait_for_stream(deployment, affinity)
    assert [line.upstream for line in streams] == [holder]
    assert {line.upstream for line in _served(deployment, affinity)} == {holder}


def test_the_proxy_asks_for_a_password_and_sends_http_to_https(deployment):
    import base64

    wrong = {"Authorization": "Basic " + base64.b64encode(b"analyst:guess").decode()}
    websocket = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
    page, stream, guessed, allowed, health, plain = deployment.fetch(
        [
            deployment.request("/"),
            deployment.request("/_stcore/stream", headers=websocket),
            deployment.request("/", headers=wrong),
            deployment.request("/", headers=_auth()),
            deployment.request("/_stcore/health"),
            deployment.request("/?host=KAZ", http=True),
        ]
    )
    assert page["status"] == 401 and page["headers"]["www-authenticate"] == ['Basic realm="refugee-stats"']
    assert stream["status"] == 401  # the websocket, which carries every number, too
    assert guessed["status"] == 401
    assert allowed["status"] == 200 and "Streamlit" in allowed["body"]
    assert health["status"] == 200 and health["body"] == "ok"
    assert plain["status"] == 301 and plain["headers"]["location"] == [deployment.base + "?host=KAZ"]


def _until(page, act, done, attempts: int = 3) -> None:
    """``act`` until ``done`` holds: the first change on a page that has just moved to another
    replica can be dropped, as the new session's first run starts from the page's link."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        act()
        wait_for_rerun(page)
        try:
            done()
            return
        except (AssertionError, PlaywrightTimeout):
            continue
    done()


def test_a_replica_that_stops_hands_its_browsers_to_the_other(new_browser, deployment):
    """A replica stops under an open page: the page reconnects through the proxy to the other
    replica (a new session there, started from the page's link) and goes on answering filter
    changes. The replica is started again afterwards, and its browsers go back to it."""
    per_replica = _cookies_per_replica(deployment, n=32)
    victim = sorted(deployment.replicas)[-1]
    survivor = next(name for name in deployment.replicas if name != victim)
    cookie = per_replica[victim][0]
    # (no check of the page's console here: it logs the lost connection)
    page, _ = new_browser(FOUNDING_CASE, cookie=cookie)
    wait_for_charts(page, 3)
    wait_for_rerun(page)
    expect(_figures(page)).to_have_text(FOUNDING_FIGURES, timeout=30_000)
    port = int(victim.rsplit(":", 1)[1])
    with page.expect_websocket(timeout=60_000):  # the page reconnects
        deployment.stop(deployment.replicas[victim])
    try:
        sidebar = page.locator("section[data-testid='stSidebar']")
        uzbekistan = sidebar.get_by_role("button", name=re.compile("Uzbekistan"))
        _until(
            page,
            lambda: uzbekistan.first.click() if uzbekistan.count() else None,
            lambda: expect(page).not_to_have_url(re.compile("nationality="), timeout=20_000),
        )
        illustrative = sidebar.get_by_role("switch", name="Include illustrative sample records")
        _until(
            page,
            lambda: None if illustrative.is_checked() else illustrative.click(force=True),
            lambda: expect(_figures(page)).to_have_text(["65", "10", "24", "17", "12"], timeout=30_000),
        )
        page.close()
        streams = _wait_for_stream(deployment, cookie, count=2)
        assert [line.upstream for line in streams] == [victim, survivor]
    finally:
        deployment.start_replica(port)
        _wait_healthy(deployment.sandbox, port, deployment.logs[victim])
        _back_on(deployment, victim, cookie)


def _back_on(deployment: Deployment, replica: str, cookie: str, timeout: float = 40) -> None:
    """Wait until the proxy sends ``cookie``'s requests to ``replica`` again (nginx leaves a
    failed replica out for fail_timeout)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = len(proxy.access_log(deployment.access_log))
        deployment.fetch(
            [deployment.request("/_stcore/health", headers={"Cookie": f"{proxy.AFFINITY_COOKIE}={cookie}"})]
        )
        if [line.upstream for line in proxy.access_log(deployment.access_log)[before:]] == [replica]:
            return
        time.sleep(1)
    raise AssertionError(f"the proxy did not send {cookie} back to {replica}")


def test_zero_requests_to_any_host_but_the_proxy(module_traffic, deployment):
    """Across every page of this module: the proxy's address and nothing else."""
    assert module_traffic.requests, "no page was opened"
    proxy_host = urlparse(deployment.base).netloc
    elsewhere = [
        url
        for url in module_traffic.requests
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != proxy_host
    ]
    assert elsewhere == []
    print(f"{len(module_traffic.requests)} requests, all to {proxy_host}")
