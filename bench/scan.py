"""What checking a citizen's file costs when a petition is sent: the check and rewrite
(``complaints.uploads.prepare``: a photo re-encoded, a PDF cleaned) and the antivirus scan
(``complaints.scanning.scan``, clamd's INSTREAM over a Unix socket), per file, p50/p95.

    .venv/bin/python bench/scan.py [runs]          # default 30 runs per file

clamd is the one ``PORTAL_UPLOAD_SCANNER`` names, or, when it is empty, one started here with
the project's test database (``tests/clamd.py``: one signature). With the official database
(freshclam's, some 8 million signatures, about 1 GB of memory) clamd's matcher costs more per
byte: measure there with ``PORTAL_UPLOAD_SCANNER=unix:///run/clamav/clamd.ctl``.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from bench.run import percentile  # noqa: E402
from complaints import scanning, uploads  # noqa: E402


def photo(width: int, height: int) -> bytes:
    """A phone photo: noise compresses as badly as a real one."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def scanned_pdf(pages: int) -> bytes:
    """A scanned dossier: one photo per page."""
    images = [Image.open(io.BytesIO(photo(700, 1000))) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], quality=60)
    return out.getvalue()


def word(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{uploads.WORD_MAIN}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.jpeg", os.urandom(size))
    return out.getvalue()


def timed(run: object, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    url, server = scanning.configured(), None
    if not url:
        from tests import clamd

        server = clamd.started(Path(tempfile.mkdtemp(prefix="bench-clamd-")))
        url = server.url
        print(f"clamd started with the test database in {server.started_in:.2f} s")
    files = {
        "photo 3000x4000 (JPEG)": ("anh.jpg", photo(3000, 4000)),
        "scanned PDF, 10 pages": ("ho-so.pdf", scanned_pdf(10)),
        "scanned PDF, 30 pages": ("ho-so.pdf", scanned_pdf(30)),
        "Word .docx, 1 MB": ("don.docx", word(1024 * 1024)),
    }
    print(f"{'file':28} {'MB':>5} {'check+rewrite p50/p95 ms':>26} {'scan p50/p95 ms':>18}")
    try:
        for label, (name, data) in files.items():
            prepared = uploads.prepare(SimpleUploadedFile(name, data))
            check = timed(lambda n=name, d=data: uploads.prepare(SimpleUploadedFile(n, d)), n)
            scan = timed(lambda d=prepared.data: scanning.scan(d, url=url, timeout=60), n)
            print(
                f"{label:28} {len(data) / 1e6:5.1f} {check[0]:12.0f} / {check[1]:<11.0f}"
                f" {scan[0]:8.0f} / {scan[1]:<8.0f}"
            )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
