"""A real clamd (Debian's ``clamav-daemon``) for the tests and the scan bench, started with the
project's own signature database, ``tests/clamav/``: one signature, ClamAV's name for the EICAR
antivirus test file (the 68 bytes every antivirus reports as a test, and nothing else). The
official signatures come from freshclam, which cannot reach its mirror from here, and a
database of one signature is enough to show the portal's side: the file is streamed, the
verdict read, an infected file refused.

``make clamav`` installs the daemon (as ``make browser`` installs Chromium); it is never
started as a service here, only by ``started`` below, on a socket in a folder of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from complaints import scanning

DATABASE = Path(__file__).resolve().parent / "clamav"
# The test file itself is taken from the signature, so that no source file of the project is
# one an antivirus reports.
EICAR = bytes.fromhex((DATABASE / "portal-test.ndb").read_text().split(":")[3].strip())
SIGNATURE = "Portal.Test.EICAR.UNOFFICIAL"  # clamd marks signatures not its own UNOFFICIAL


def binary() -> str | None:
    for candidate in (shutil.which("clamd"), "/usr/sbin/clamd"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class Clamd:
    process: subprocess.Popen
    url: str
    folder: Path
    started_in: float

    def log(self) -> str:
        path = self.folder / "clamd.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def started(folder: Path, *, stream_max: str = "12M", wait: float = 60.0) -> Clamd:
    """clamd on a Unix socket in ``folder``, answering PING; ``RuntimeError`` otherwise."""
    path = binary()
    if path is None:
        raise FileNotFoundError("clamd")
    socket_path = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {DATABASE}",
                f"LocalSocket {socket_path}",
                f"TemporaryDirectory {folder}",
                f"PidFile {folder / 'clamd.pid'}",
                f"LogFile {folder / 'clamd.log'}",
                f"StreamMaxLength {stream_max}",
                "SelfCheck 0",
                "",
            ]
        )
    )
    start = time.monotonic()
    process = subprocess.Popen(
        [path, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = Clamd(process=process, url=f"unix://{socket_path}", folder=folder, started_in=0.0)
    while not (socket_path.exists() and scanning.ping(url=server.url, timeout=1.0)):
        if process.poll() is not None or time.monotonic() - start > wait:
            server.stop()
            raise RuntimeError(f"clamd did not start: {server.log()}")
        time.sleep(0.05)  # waiting for a daemon to load its database, not for test time
    server.started_in = time.monotonic() - start
    return server
