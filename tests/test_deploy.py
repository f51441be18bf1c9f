"""deploy/: the systemd units verify, nginx's site loads and behaves (TLS, the scheme and the
request id passed on, compressed HTML, static files cached for a year, citizens' files and
/metrics never served, the upload size), logrotate reads its file, the Compose file has the
same processes as the units."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = ROOT / ".tools" / "nginx" / "usr" / "sbin" / "nginx"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_the_systemd_units_verify(tmp_path: Path) -> None:
    assert {u.name for u in UNITS} == {
        "laichau-web.service",
        "laichau-worker.service",
        "laichau-beat.service",
    }
    for unit in UNITS:
        # Installed under /srv/laichau; verified against this checkout, whose .venv exists.
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/laichau", str(ROOT)))
        text = unit.read_text()
        for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "User=laichau"):
            assert hardening in text, (unit.name, hardening)
        assert "Restart=on-failure" in text
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # Neither the account nor the services it orders after exist on a test machine.
        if line.strip() and "laichau" in line and "Failed to resolve" not in line
    ]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr


def test_logrotate_reads_its_file(tmp_path: Path) -> None:
    logrotate = shutil.which("logrotate") or "/usr/sbin/logrotate"
    if not Path(logrotate).exists():
        pytest.skip("no logrotate here")
    # The account "laichau" exists on the server, not here: checked as root's.
    config = tmp_path / "laichau"
    text = (DEPLOY / "logrotate" / "laichau").read_text()
    assert "su laichau laichau" in text
    config.write_text(text.replace("su laichau laichau", "su root root"))
    result = subprocess.run(
        [logrotate, "-d", "-s", str(tmp_path / "state"), str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "/var/log/nginx/laichau.*.log" in result.stderr
    assert "/var/log/laichau/*.log" in result.stderr
    assert "error" not in result.stderr.lower()


def test_compose_runs_what_the_units_run() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, unit in (("web", "web"), ("worker", "worker"), ("beat", "beat")):
        exec_start = next(
            line.split("=", 1)[1]
            for line in (DEPLOY / "systemd" / f"laichau-{unit}.service").read_text().splitlines()
            if line.startswith("ExecStart=")
        )
        program = services[name]["command"][0].split("/")[-1]
        assert program in exec_start
        assert " ".join(services[name]["command"][1:4]).split(" --")[0] in exec_start
    assert services["web"]["healthcheck"]["test"][-1].count("/healthz") == 1
    assert "media" in compose["volumes"]
    example = (DEPLOY / "portal.env.example").read_text()
    for variable in ("DJANGO_SECRET_KEY=", "PORTAL_FIELD_KEYS=", "PORTAL_SITE_URL=https://"):
        assert variable in example


class _Echo(BaseHTTPRequestHandler):
    """Stands for the portal behind nginx: answers with the headers it was sent."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", 0) or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode() * 20
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nginx(tmp_path: Path):
    if not NGINX.exists():
        pytest.skip("nginx is not unpacked: make nginx")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = _free_port(), _free_port()
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "portal.abc123.css").write_text("body { color: #111; }\n" * 100)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=tiepcongdan.laichau.gov.vn",
            "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    site = (
        (DEPLOY / "nginx" / "laichau.conf")
        .read_text()
        .replace("/etc/ssl/laichau/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/laichau/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/srv/laichau/staticfiles/", f"{static}/")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream.server_address[1]};")
        .replace("listen 443 ssl", f"listen {https_port} ssl")
        .replace("listen [::]:443 ssl", f"listen [::1]:{https_port} ssl")
        .replace("listen 80;", f"listen {http_port};")
        .replace("listen [::]:80;", f"listen [::1]:{http_port};")
    )
    (tmp_path / "site.conf").write_text(site)
    mime = NGINX.parents[2] / "etc" / "nginx" / "mime.types"
    (tmp_path / "nginx.conf").write_text(
        ""
        # As root, nginx's workers would be "nobody", who cannot read pytest's private tmp.
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\ndaemon off;\n"
        f"events {{}}\nhttp {{\n access_log {tmp_path}/access.log;\n"
        f" include {mime};\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n fastcgi_temp_path {tmp_path}/fcgi;\n"
        f" uwsgi_temp_path {tmp_path}/uwsgi;\n scgi_temp_path {tmp_path}/scgi;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    args = [str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(args, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield http_port, https_port
    finally:
        process.terminate()
        process.wait(timeout=20)
        upstream.shutdown()


def _get(
    port: int,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    conn.request(
        method, path, body=body, headers={"Host": "tiepcongdan.laichau.gov.vn", **(headers or {})}
    )
    response = conn.getresponse()
    return response, response.read()


def test_nginx_in_front_of_the_portal(nginx: tuple[int, int]) -> None:
    http_port, https_port = nginx

    plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    plain.request("GET", "/khieu-nai/?q=x", headers={"Host": "tiepcongdan.laichau.gov.vn"})
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://tiepcongdan.laichau.gov.vn/khieu-nai/?q=x"

    response, body = _get(https_port, "/", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    seen = json.loads(gzip.decompress(body).decode().split("}{")[0] + "}")
    assert seen["x-forwarded-proto"] == "https"
    assert len(seen["x-request-id"]) == 32
    assert seen["x-forwarded-for"] == "127.0.0.1"

    response, _ = _get(https_port, "/static/css/portal.abc123.css")
    assert response.status == 200
    cache_control = response.getheader("Cache-Control", "")
    assert "immutable" in cache_control
    assert "max-age=31536000" in cache_control

    for hidden in ("/media/petitions/2026/don.pdf", "/metrics"):
        response, _ = _get(https_port, hidden)
        assert response.status == 404, hidden

    three_files = b"x" * (31 * 1024 * 1024)
    response, _ = _get(https_port, "/gui-don/", method="POST", body=three_files)
    assert response.status == 200
    response, _ = _get(https_port, "/gui-don/", method="POST", body=three_files + b"x" * 2**21)
    assert response.status == 413


def test_nginx_logs_no_search_term(nginx: tuple[int, int], tmp_path: Path) -> None:
    _, https_port = nginx
    _get(https_port, "/can-bo/don/?q=Nguyen+Van+Canary")
    time.sleep(0.5)
    log = (tmp_path / "laichau.access.log").read_text()
    assert "/can-bo/don/" in log
    assert "Canary" not in log
    assert os.path.getsize(tmp_path / "laichau.access.log") > 0
