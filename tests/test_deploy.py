"""The team deployment's files (deploy/): nginx accepts the proxy's configuration, its limits
match Streamlit's, the replicas start as the unit says, and the read-only role stays able to
read after every load and unable to write. tests/browser/test_replicas.py runs them together."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tools import proxy

ROOT = Path(__file__).resolve().parent.parent


def _need(binary: str | None, what: str, install: str) -> str:
    if binary is None:
        if os.environ.get("REFUGEE_STATS_REQUIRE_NGINX") == "1":
            pytest.fail(f"the deployment tests are required here: {install}")
        pytest.skip(f"needs {what}: {install} (CI does)")
    return binary


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> proxy.Site:
    _need(shutil.which("openssl"), "openssl", "apt-get install openssl")
    folder = tmp_path_factory.mktemp("site")
    certificate, key = proxy.certificate(folder / "tls")
    return proxy.Site(
        replicas=(18501, 18502, 18503),
        certificate=certificate,
        key=key,
        password_file=proxy.password_file(folder / "htpasswd", {"analyst": "secret"}),
        logs=folder / "logs",
        https_port=18443,
        http_port=18080,
    )


def test_nginx_accepts_the_proxy_configuration(site, tmp_path):
    _need(proxy.nginx_binary(), "nginx", "apt-get install nginx")
    config = proxy.write_config(site, tmp_path / "nginx")
    checked = proxy.check(config)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_site_fits_debians_own_nginx_conf(site, tmp_path):
    """Dropped into Debian's stock /etc/nginx/nginx.conf beside its default site (as the deploy
    notes say), the configuration still passes: no name the stock files already use."""
    _need(proxy.nginx_binary(), "nginx", "apt-get install nginx")
    stock = Path("/etc/nginx/nginx.conf")
    if not stock.exists() or os.geteuid() != 0:
        pytest.skip("needs Debian's /etc/nginx/nginx.conf and root (it opens /var/log/nginx)")
    site_file = tmp_path / "refugee-stats"
    site_file.write_text(proxy.render(site))
    text = stock.read_text()
    assert "include /etc/nginx/sites-enabled/*;" in text
    main = tmp_path / "nginx.conf"
    main.write_text(
        text.replace(
            "include /etc/nginx/sites-enabled/*;",
            f"include /etc/nginx/sites-enabled/*;\n\tinclude {site_file};",
        )
    )
    checked = subprocess.run([proxy.nginx_binary(), "-t", "-c", str(main)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_rendering_changes_only_paths_and_ports(site):
    """The tests run the file as written: only the certificate, password file, logs, ports and
    listen address differ; a line that moved is an error, not a silent skip."""
    original = proxy.NGINX_CONF.read_text()
    rendered = proxy.render(site)
    upstream = re.findall(r"^\s*server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;$", rendered, re.M)
    assert upstream == ["18501", "18502", "18503"]
    assert "listen 127.0.0.1:18443 ssl http2;" in rendered and "listen 127.0.0.1:18080;" in rendered
    changed = {line.strip() for line in original.splitlines()} ^ {
        line.strip() for line in rendered.splitlines()
    }
    assert all(
        re.match(
            r"(server 127\.0\.0\.1:|listen |ssl_certificate|auth_basic_user_file|access_log|error_log)", line
        )
        for line in changed
    ), changed
    with pytest.raises(ValueError, match="expected one line matching"):
        proxy.render(site, original.replace("listen 80;", "listen 8080;"))


def _directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", proxy.NGINX_CONF.read_text(), re.M)


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smhd]?)", value).groups()
    return int(number) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def test_the_proxy_lets_through_what_streamlit_accepts():
    """An upload Streamlit takes is not refused by nginx first (the body limit is at least
    server.maxUploadSize), and an idle page's websocket outlives Streamlit's keep-alive pings."""
    from streamlit import config

    config.get_config_options(force_reparse=True)
    (upload_limit,) = _directive("client_max_body_size")
    assert int(upload_limit.removesuffix("m")) > config.get_option("server.maxUploadSize") == 200
    (read_timeout,) = re.findall(
        r"location /_stcore/stream \{[^}]*proxy_read_timeout (\w+);", proxy.NGINX_CONF.read_text()
    )
    from streamlit.web.server.starlette.starlette_server_config import DEFAULT_WEBSOCKET_PING_INTERVAL

    ping = config.get_option("server.websocketPingInterval") or DEFAULT_WEBSOCKET_PING_INTERVAL
    assert _seconds(read_timeout) >= 60 * ping


def test_replicas_start_as_the_unit_says():
    """Each replica listens on 127.0.0.1 only, on its instance's port, without a browser or a file
    watcher: the proxy is the only way in."""
    args = proxy.replica_arguments(8502)
    assert args[:2] == ["run", "dashboard.py"]
    options = dict(zip(args[2::2], args[3::2], strict=True))
    assert options == {
        "--server.address": "127.0.0.1",
        "--server.port": "8502",
        "--server.headless": "true",
        "--server.fileWatcherType": "none",
        "--browser.gatherUsageStats": "false",
    }
    ports = sorted(int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", proxy.NGINX_CONF.read_text()))
    assert ports == [8501, 8502]  # the instances the unit's header starts
    assert "refugee-stats@8501 refugee-stats@8502" in proxy.UNIT.read_text()


# -- the read-only role -----------------------------------------------------------------------


@pytest.fixture
def reader(postgres_url):
    """deploy/readonly-role.sql run with psql on a database holding the sample: the reader's address."""
    import psycopg

    from refugee_stats.ingest.dataset import load
    from refugee_stats.sql import postgres

    psql = _need(shutil.which("psql"), "psql", "apt-get install postgresql-client")
    postgres.load(postgres.connect(postgres_url), load(ROOT / "data"), what="the bundled sample")
    name = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url) as con:
        loader = con.execute("SELECT current_user").fetchone()[0]
    done = subprocess.run(
        [psql, postgres_url, "-q", "-v", f"reader={name}", "-v", "password=s3cret", "-v", f"loader={loader}",
         "-f", str(proxy.ROLE_SQL)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    _, _, rest = postgres_url.partition("://")[2].partition("@")
    try:
        yield f"postgresql://{name}:s3cret@{rest}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{name}"')
        base = postgres_url.rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_the_read_only_role_reads_after_every_load_and_writes_nothing(reader, postgres_url):
    import psycopg

    from refugee_stats.ingest.dataset import load
    from refugee_stats.sql import postgres

    assert postgres.rows(postgres.connect(reader)) == {"incidents": 147, "status": 101, "timeline": 7}
    # db load builds the derived tables anew: the default privileges cover the new ones.
    postgres.load(postgres.connect(postgres_url), load(ROOT / "data"), replace=True, what="again")
    server = postgres.load_database(reader)
    assert server.files == (postgres.redacted(reader),) and "s3cret" not in server.files[0]
    with psycopg.connect(reader) as con:
        assert con.execute("SELECT count(*) FROM incident_cells").fetchone()[0] > 0
        assert con.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
    refused = [
        "DELETE FROM incidents",
        "INSERT INTO loads (what) VALUES ('x')",
        "CREATE TABLE mine (x int)",
        "DROP TABLE incident_cells",
    ]
    for statement in refused:
        with psycopg.connect(reader) as con, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            con.execute(statement)
        # with its transactions made writable again, the privileges still refuse it
        with (
            psycopg.connect(reader, autocommit=True) as con,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            con.execute("SET default_transaction_read_only = off")
            con.execute(statement)
