"""The team deployment of deploy/ run on this machine: nginx (deploy/nginx.conf) in front of
dashboard replicas started as deploy/refugee-stats@.service starts them. For the tests and the
benchmark (tests/browser/test_replicas.py, tests/test_deploy.py, benchmarks/replicas.py).

:func:`render` changes only what cannot be used here as written: the certificate and password
file (made by :func:`certificate` and :func:`password_file` with ``openssl``, as the deploy
notes do), the log files, and the ports (the replicas' and, outside a private network namespace
where 80 and 443 are taken or privileged, the proxy's). Every listen address becomes 127.0.0.1.
:func:`main_config` wraps the site in the few lines Debian's /etc/nginx/nginx.conf gives it, with
nginx's pid and temporary files in a folder of its own, so ``nginx -p DIR -c CONF`` runs it
as an ordinary process.

``python tools/proxy.py fetch`` (JSON requests on stdin, answers on stdout) is how the tests send
plain HTTP requests from inside the browser tests' network namespace.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "refugee-stats@.service"
ROLE_SQL = ROOT / "deploy" / "readonly-role.sql"
#: The name deploy/nginx.conf serves (the browser tests map it to 127.0.0.1).
SERVER_NAME = "stats.example.org"
#: The cookie nginx gives each browser to keep it on one replica.
AFFINITY_COOKIE = "refugee_stats_replica"


def nginx_binary() -> str | None:
    """Debian's nginx (``/usr/sbin`` is not on every PATH), else one on PATH; None without it."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@dataclass(frozen=True)
class Site:
    """What :func:`render` puts in place of deploy/nginx.conf's own paths and ports."""

    replicas: tuple[int, ...]
    certificate: Path
    key: Path
    password_file: Path
    logs: Path
    https_port: int = 443
    http_port: int = 80


def _once(text: str, pattern: str, new: str) -> str:
    """``text`` with the one line matching ``pattern`` replaced; an error naming it when there is
    not exactly one (the file changed shape: change this function with it)."""
    found = len(re.findall(pattern, text, flags=re.M))
    if found != 1:
        raise ValueError(f"deploy/nginx.conf: expected one line matching {pattern!r}, found {found}")
    return re.sub(pattern, lambda match: match.expand(new), text, flags=re.M)


def render(site: Site, source: str | None = None) -> str:
    """deploy/nginx.conf (or ``source``) with ``site``'s replicas, certificate, password file, logs
    and ports, every listen address 127.0.0.1."""
    text = NGINX_CONF.read_text() if source is None else source
    servers = list(re.finditer(r"^(\s*)server 127\.0\.0\.1:\d+((?: [^;\n]*)?);\n", text, flags=re.M))
    if not servers:
        raise ValueError("deploy/nginx.conf: no upstream `server 127.0.0.1:PORT` line")
    indent, options = servers[0].group(1), servers[0].group(2)
    lines = "".join(f"{indent}server 127.0.0.1:{port}{options};\n" for port in site.replicas)
    text = text[: servers[0].start()] + lines + text[servers[-1].end() :]
    text = _once(text, r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{site.http_port};")
    text = _once(text, r"^(\s*)listen 443 ssl http2;", rf"\g<1>listen 127.0.0.1:{site.https_port} ssl http2;")
    text = _once(text, r"^(\s*ssl_certificate)\s+\S+;", rf"\g<1> {site.certificate};")
    text = _once(text, r"^(\s*ssl_certificate_key)\s+\S+;", rf"\g<1> {site.key};")
    text = _once(text, r"^(\s*auth_basic_user_file)\s+\S+;", rf"\g<1> {site.password_file};")
    text = _once(text, r"^(\s*access_log)\s+\S+ (\w+);", rf"\g<1> {site.logs / 'access.log'} \g<2>;")
    return _once(text, r"^(\s*error_log)\s+\S+;", rf"\g<1> {site.logs / 'error.log'};")


def main_config(site_file: Path, folder: Path) -> str:
    """The main configuration around ``site_file`` (what Debian's /etc/nginx/nginx.conf gives a
    site), with the pid file and nginx's temporary files in ``folder``."""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root the workers would run as nobody, who cannot read a test's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n{temp}\n    include {site_file};\n}}\n"
    )


def write_config(site: Site, folder: Path) -> Path:
    """The rendered site and its main configuration in ``folder``; the main configuration's path."""
    folder.mkdir(parents=True, exist_ok=True)
    site.logs.mkdir(parents=True, exist_ok=True)
    site_file = folder / "refugee-stats.conf"
    site_file.write_text(render(site))
    main = folder / "nginx.conf"
    main.write_text(main_config(site_file, folder))
    return main


def nginx_command(config: Path) -> list[str]:
    """``nginx`` in the foreground (no daemon) on ``config``, its startup errors in config's folder."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("no nginx: apt-get install nginx")
    folder = config.parent
    return [
        binary,
        "-p",
        str(folder),
        "-c",
        str(config),
        "-e",
        str(folder / "error.log"),
        "-g",
        "daemon off;",
    ]


def check(config: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on ``config``: its exit status and what it said."""
    return subprocess.run([*nginx_command(config), "-t"], capture_output=True, text=True, check=False)


def certificate(folder: Path, name: str = SERVER_NAME) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` (and 127.0.0.1), valid two days: (certificate, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def password_file(path: Path, users: dict[str, str]) -> Path:
    """An nginx password file of ``users`` (name: password), hashed by ``openssl passwd -6`` as the
    deploy notes say (SHA-512 crypt)."""
    lines = []
    for user, password in users.items():
        hashed = subprocess.run(
            ["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True, check=True
        ).stdout.strip()
        lines.append(f"{user}:{hashed}\n")
    path.write_text("".join(lines))
    return path


def replica_arguments(port: int) -> list[str]:
    """The arguments deploy/refugee-stats@.service gives ``streamlit`` for the replica on ``port``."""
    exec_start = re.search(r"^ExecStart=(.+)$", UNIT.read_text(), flags=re.M)
    if exec_start is None:
        raise ValueError("deploy/refugee-stats@.service has no ExecStart")
    return [arg.replace("%i", str(port)) for arg in shlex.split(exec_start.group(1))[1:]]


def replica_command(port: int) -> list[str]:
    """The replica on ``port`` as the unit starts it, with this Python's streamlit."""
    return [sys.executable, "-m", "streamlit", *replica_arguments(port)]


# -- the access log --------------------------------------------------------------------------

_LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ \S+ '
    r"upstream=(?P<upstream>.+?) affinity=(?P<affinity>\S+)$"
)


@dataclass(frozen=True)
class Logged:
    """One request in the proxy's access log (``log_format refugee_stats``); ``upstream`` is the
    replica that answered ("-" when nginx answered itself)."""

    method: str
    path: str
    status: int
    upstream: str
    affinity: str


def access_log(path: Path) -> list[Logged]:
    """Every request the proxy logged, in order (a websocket when it closed)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(errors="replace").splitlines():
        found = _LOG_LINE.search(line)
        if found:
            # "127.0.0.1:8502, 127.0.0.1:8501": nginx tried the first, the last answered
            upstream = found["upstream"].split(", ")[-1]
            out.append(
                Logged(found["method"], found["path"], int(found["status"]), upstream, found["affinity"])
            )
    return out


# -- plain requests, run where the proxy is (``python tools/proxy.py fetch``) ----------------


def fetch(requests: list[dict], prefix: list[str] | None = None, timeout: float = 60) -> list[dict]:
    """Send ``requests`` ({"url", "method", "headers", "body", "host"}; ``host`` the address to
    connect to, the url's own otherwise) one after another from a process run under ``prefix`` (a network
    namespace's ``nsenter``); each answer is {"status", "headers" (lists of values), "body" (its
    first 2,000 characters)}. Certificates are not checked: these are the tests' own."""
    done = subprocess.run(
        [*(prefix or []), sys.executable, str(Path(__file__).resolve()), "fetch"],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"fetch failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _fetch_one(request: dict) -> dict:
    from urllib.parse import urlsplit

    url = urlsplit(request["url"])
    host = request.get("host") or url.hostname
    if url.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        con: http.client.HTTPConnection = http.client.HTTPSConnection(host, url.port or 443, context=context)
    else:
        con = http.client.HTTPConnection(host, url.port or 80)
    headers = {"Host": url.netloc, **request.get("headers", {})}
    path = url.path + (f"?{url.query}" if url.query else "")
    body = request.get("body")
    con.request(
        request.get("method", "GET"), path or "/", body=body.encode() if body else None, headers=headers
    )
    answer = con.getresponse()
    found: dict[str, list[str]] = {}
    for name, value in answer.getheaders():
        found.setdefault(name.lower(), []).append(value)
    text = answer.read().decode("utf-8", "replace")[:2000]
    con.close()
    return {"status": answer.status, "headers": found, "body": text}


def wait_until_answering(url: str, prefix: list[str] | None = None, timeout: float = 90) -> None:
    """Wait until ``url`` answers 200 (from where ``prefix`` runs)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            if fetch([{"url": url}], prefix, timeout=10)[0]["status"] == 200:
                return
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            last = str(exc)
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer: {last[-1000:]}")


def main(argv: list[str]) -> int:
    if argv != ["fetch"]:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps([_fetch_one(r) for r in json.loads(sys.stdin.read())]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
