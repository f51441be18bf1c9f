"""PostgreSQL servers of a test's own, on this machine's PostgreSQL binaries: a primary made with
initdb on a free port, and a real streaming replica of it (pg_basebackup -R, hot standby on
another port). The machine's own server (DATABASE_URL) is left as it is: its pg_hba.conf
allows no replication, and a test changes no server it did not start.

PostgreSQL refuses to run as root: as root, each binary runs as the ``postgres`` account
(``runuser``), which owns the data directories.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def pg_bindir() -> Path | None:
    """The directory of initdb, pg_ctl and pg_basebackup (Debian: /usr/lib/postgresql/N/bin)."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        if path and (Path(path) / "initdb").exists() and (Path(path) / "pg_basebackup").exists():
            return Path(path)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


@dataclass
class Server:
    bindir: Path
    datadir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bindir / tool), *args]),
            check=True,
            capture_output=True,
            text=True,
            cwd=self.datadir.parent,
        )

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.datadir.parent}"
            " -c fsync=off -c full_page_writes=off"
            " -c shared_buffers=32MB -c max_connections=40 -c hot_standby=on"
        )
        log = self.datadir.parent / f"{self.datadir.name}.log"
        self.run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.datadir),
            "-l",
            str(log),
            "-o",
            options,
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.datadir))

    def query(self, sql: str, dbname: str = "postgres") -> str:
        out = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                dbname,
                "-Atc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()


@contextlib.contextmanager
def primary_and_replica(bindir: Path) -> Iterator[tuple[Server, Server]]:
    """A primary and its streaming replica, in recovery and replaying, stopped and removed
    afterwards."""
    root = Path(tempfile.mkdtemp(prefix="laichau-pg-"))
    _own(root)
    primary = Server(bindir, root / "primary", free_port())
    replica = Server(bindir, root / "replica", free_port())
    try:
        # initdb with -A trust writes "host replication all 127.0.0.1/32 trust" to pg_hba.conf;
        # wal_level=replica and max_wal_senders=10 are PostgreSQL's defaults.
        primary.run(
            "initdb",
            "-D",
            str(primary.datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        primary.start()
        replica.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(replica.datadir),
            "-R",
            "-X",
            "stream",
            "--no-sync",
        )
        replica.start()
        deadline = time.monotonic() + 60
        while replica.query("SELECT pg_is_in_recovery()") != "t":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica never entered recovery")
            time.sleep(0.2)
        while (
            primary.query("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
            != "1"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the replica never streamed from the primary")
            time.sleep(0.2)
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


PGBOUNCER = (
    Path(__file__).resolve().parent.parent / ".tools" / "pgbouncer" / "usr" / "sbin" / "pgbouncer"
)


@contextlib.contextmanager
def pgbouncer(server_port: int, *, pool_size: int = 8) -> Iterator[int]:
    """Debian's PgBouncer (``make pgbouncer``) in transaction mode in front of the PostgreSQL
    at 127.0.0.1:``server_port``, every database of it (``* =``); yields its port."""
    root = Path(tempfile.mkdtemp(prefix="laichau-pgbouncer-"))
    _own(root)
    port = free_port()
    (root / "users.txt").write_text('"postgres" ""\n')
    (root / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host=127.0.0.1 port={server_port}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {root}/users.txt\nadmin_users = postgres\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\nmax_client_conn = 200\n"
        f"logfile = {root}/pgbouncer.log\npidfile = {root}/pgbouncer.pid\n"
    )
    env = {
        **os.environ,
        "LD_LIBRARY_PATH": ":".join(glob.glob(str(PGBOUNCER.parents[2] / "usr/lib/*-linux-gnu"))),
    }
    process = subprocess.Popen(
        _as_postgres([str(PGBOUNCER), str(root / "pgbouncer.ini")]),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"PgBouncer did not start: {process.stdout.read() if process.stdout else ''}"
                )
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


def admin_console(port: int, command: str) -> list[dict[str, str]]:
    """PgBouncer's admin console (``SHOW POOLS``, ``SHOW STATS``...), its rows as dicts."""
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "pgbouncer",
            "--csv",
            "-c",
            command,
        ],
        check=True,
        capture_output=True,
        text=True,
    )

    return list(csv.DictReader(out.stdout.splitlines()))
