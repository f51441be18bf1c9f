"""Antivirus scan of citizens' files by ClamAV's daemon (clamd), when one is configured.

``PORTAL_UPLOAD_SCANNER`` names clamd: ``clamd://HOST:PORT`` (its ``TCPSocket``) or
``unix:///PATH`` (its ``LocalSocket``); empty (the default, and ``make run``'s) means no scan.
What is scanned is what is stored and what staff download: the file after its check, the
photo re-encoded, the PDF cleaned (``complaints.uploads.prepare``).

When a petition is sent, each file is scanned before anything is written:

- no virus: stored, ``clean``;
- a virus: refused, like any refused file (a Vietnamese message naming the file; the petition
  is not stored and nothing else typed is lost);
- clamd cannot be reached or answers an error: the petition is not lost for it. The file is
  stored ``pending`` (quarantine): no one can download it until a scan says it is clean.
  ``attachments_scan_pending`` (beat every 10 minutes, and ``manage.py sweep``) scans what
  waits; a file found infected then is kept, never sent, and its case page says so.

Files stored while no scanner was configured are ``skipped``: sent while there is still no
scanner, held back and scanned by the same job once one is configured (fails closed).

The client speaks clamd's INSTREAM command (``man clamd``): ``zINSTREAM\\0``, then chunks each
preceded by its length (4 bytes, network order), a zero length to end, and one reply line
ending in NUL: ``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``. It is written
here, not taken from PyPI: ``clamd`` (2014) and ``pyclamd`` (2017) are unmaintained, and the
maintained fork ``clamav-client`` is GPL-2.0 (it would bind the portal's own licence, which
the province may hand to others) and sends 1 KB chunks. Tests run it against a real clamd
(``tests/security/test_scanning.py``).
"""

from __future__ import annotations

import logging
import re
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attachment

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
REPLY_MAX = 4096
REPLY = re.compile(r"^stream: (?:(?P<signature>.+) FOUND|(?P<ok>OK))$")


class ScannerUnavailable(Exception):
    """clamd could not be reached, or could not scan the file."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


@dataclass(frozen=True)
class ScanSweep:
    """What one run of the scan job did: files found clean, found infected, still waiting."""

    clean: int = 0
    infected: int = 0
    waiting: int = 0


def configured() -> str:
    """The scanner's address, or "" when files are not scanned."""
    return (getattr(settings, "PORTAL_UPLOAD_SCANNER", "") or "").strip()


def sendable() -> list[str]:
    """The scan states of the files staff may download now."""
    if configured():
        return [Attachment.Scan.CLEAN]
    return [Attachment.Scan.CLEAN, Attachment.Scan.SKIPPED]


def status_on_upload(data: bytes, *, name: str) -> str:
    """The scan state a file being sent is stored with; ``ValidationError`` (in Vietnamese,
    naming the file) when clamd finds a virus. clamd unreachable: held, ``pending``."""
    if not configured():
        return Attachment.Scan.SKIPPED
    try:
        verdict = scan(data)
    except ScannerUnavailable as exc:
        log.warning("Antivirus unreachable, a citizen's file is held until scanned: %s", exc)
        return Attachment.Scan.PENDING
    if verdict.infected:
        log.warning("Antivirus found %s in a citizen's file: refused", verdict.signature)
        raise ValidationError(
            _(
                "%(name)s: the antivirus found a virus in this file (%(signature)s); it was "
                "not accepted. Check your computer or phone, then attach a clean copy."
            )
            % {"name": name, "signature": verdict.signature},
            code="infected",
        )
    return Attachment.Scan.CLEAN


def _address(url: str) -> tuple[int, str | tuple[str, int]]:
    """The socket family and address that ``url`` names; ``ValueError`` if it names none."""
    parts = urlsplit(url)
    if parts.scheme == "unix" and parts.path.startswith("/"):
        return socket.AF_UNIX, parts.path
    if parts.scheme == "clamd" and parts.hostname and parts.port:
        return socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, (
            parts.hostname,
            parts.port,
        )
    raise ValueError(f"Not a clamd address: {url!r} (clamd://HOST:PORT or unix:///PATH)")


def scan(data: bytes, *, url: str | None = None, timeout: float | None = None) -> Verdict:
    """What clamd finds in ``data``; ``ScannerUnavailable`` if it cannot say."""
    url = url or configured()
    timeout = timeout if timeout is not None else settings.PORTAL_UPLOAD_SCAN_TIMEOUT
    family, address = _address(url)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(b"zINSTREAM\0")
            try:
                view = memoryview(data)
                for start in range(0, len(view), CHUNK):
                    chunk = view[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError) as exc:
                # clamd stops reading past its StreamMaxLength, and says why before closing.
                raise ScannerUnavailable(_read_reply(sock) or type(exc).__name__) from exc
            reply = _read_reply(sock)
    except OSError as exc:  # refused, no such socket, timed out, closed midway
        raise ScannerUnavailable(f"{type(exc).__name__}: {exc}") from exc
    match = REPLY.match(reply)
    if match is None:  # "INSTREAM size limit exceeded. ERROR" and the like
        raise ScannerUnavailable(reply[:200] or "no reply")
    return Verdict(infected=not match["ok"], signature=match["signature"] or "")


# --- the periodic job: files held while clamd was unreachable ---------------------------------


def attachment_scan(*, attachment: Attachment) -> str:
    """Scan a stored file that waits (``pending``, or ``skipped`` before a scanner was
    configured) and record the verdict; its new state. ``ScannerUnavailable`` when clamd
    cannot say; a file another run recorded first is left as that run found it."""
    with attachment.file.open("rb") as f:
        verdict = scan(f.read())
    status = Attachment.Scan.INFECTED if verdict.infected else Attachment.Scan.CLEAN
    Attachment.objects.filter(pk=attachment.pk, scan_status=attachment.scan_status).update(
        scan_status=status, scanned_at=timezone.now(), scan_signature=verdict.signature[:200]
    )
    if verdict.infected:
        log.warning(
            "Antivirus found %s in attachment %s (held, never sent)",
            verdict.signature,
            attachment.pk,
        )
    return status


def attachments_scan_pending(*, limit: int = 200) -> ScanSweep:
    """The files waiting for a scan, oldest first, at most ``limit`` a run (every 10 minutes
    in beat, and ``manage.py sweep``). Stops at the first sign that clamd is down: the files
    wait for the next run. Safe to run twice and in parallel (``attachment_scan``)."""
    if not configured():
        return ScanSweep()
    waiting = Attachment.objects.filter(
        scan_status__in=[Attachment.Scan.PENDING, Attachment.Scan.SKIPPED]
    ).order_by("id")
    found = {Attachment.Scan.CLEAN: 0, Attachment.Scan.INFECTED: 0}
    for attachment in waiting[:limit]:
        try:
            found[attachment_scan(attachment=attachment)] += 1
        except ScannerUnavailable as exc:
            log.warning("Antivirus unreachable; files still wait for their scan: %s", exc)
            break
        except FileNotFoundError:
            log.warning("Attachment %s: its file is missing from storage", attachment.pk)
    return ScanSweep(
        clean=found[Attachment.Scan.CLEAN],
        infected=found[Attachment.Scan.INFECTED],
        waiting=waiting.count(),
    )


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    try:
        while not reply.endswith(b"\0") and len(reply) < REPLY_MAX:
            received = sock.recv(REPLY_MAX)
            if not received:
                break
            reply += received
    except ConnectionResetError:
        pass  # what came before the reset is the reply
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(*, url: str | None = None, timeout: float = 2.0) -> bool:
    """Whether clamd answers (``zPING`` → ``PONG``)."""
    family, address = _address(url or configured())
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(b"zPING\0")
            return _read_reply(sock) == "PONG"
    except OSError:
        return False


def check_scanner_address(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """System check, at every start: a configured address is one the client can use."""
    url = configured()
    try:
        if url:
            _address(url)
    except ValueError as exc:
        return [Error(str(exc), id="complaints.E201")]
    return []


def check_scanner_deployed(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """Deployment check (``check --deploy``): files not scanned at all are worth a warning."""
    if configured():
        return []
    return [
        Warning(
            "Citizens' files are not scanned for viruses: set PORTAL_UPLOAD_SCANNER to clamd "
            "(its signatures kept up to date by freshclam). See README, 'Antivirus'.",
            id="complaints.W201",
        )
    ]
