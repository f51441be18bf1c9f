"""Files citizens upload: checked by their bytes, images re-encoded, names made safe.

A file is accepted for what it is, never for what it is called or what the browser says it is:
its extension must be one the portal takes (``PORTAL_ATTACHMENT_TYPES``), and its bytes must
then be a well-formed file of one of the kinds below. The content type stored and sent back is
the kind's, derived here. Images are decoded and saved again by Pillow, which writes only the
pixels (and the colour profile): EXIF, with a phone's GPS position, XMP and text chunks are
dropped; the orientation EXIF gave is applied to the pixels first.

What each kind is checked for:

- PDF: ``%PDF-`` at the start, and pypdf reads its page tree (at least one page; a password
  that staff could not open is refused: its content could be neither read nor checked). Then
  it is rewritten with its pages only, without scripts, actions, embedded files, multimedia or
  forms (``complaints.pdfs``); one that cannot be is refused. A PDF locked by an owner's
  password only (against copying or printing, common on official decisions) opens for anyone:
  it is accepted and stored cleaned and without the encryption.
- JPEG, PNG: Pillow opens it as that format, its size is within ``PORTAL_ATTACHMENT_MAX_PIXELS``
  (read from the header, before any decoding: a decompression bomb is refused unread), and
  its data verifies; then it is re-encoded.
- Word (.docx): a ZIP (Office Open XML) whose ``[Content_Types].xml`` declares a Word main
  document, not the macro-enabled one, and holds nothing that runs: no VBA project, no
  ActiveX control, no embedded OLE object (a "package" carries a program), no template or
  frame fetched from the Internet (how a macro is brought into a plain .docx).
- Word 97-2003 (.doc): an OLE2 compound file with a ``WordDocument`` stream, no macros and no
  embedded objects (the ``ObjectPool``, where the Equation Editor exploits live).

A .docm, .dotm or .dot is never taken (``PORTAL_ATTACHMENT_TYPES``): its extension is refused
before its bytes are read, and its bytes declare the macro-enabled document anyway.

The sniffing is written here rather than taken from ``filetype``/``python-magic``: those tell a
file's kind from its first bytes only, and each kind here needs its structure checked anyway
(a ZIP is not a Word document, ``%PDF-`` is not a PDF). Pillow, pypdf and olefile parse.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import posixpath
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from formtools.wizard.storage.session import SessionStorage
from PIL import Image, ImageOps

log = logging.getLogger(__name__)

PDF, JPEG, PNG, DOCX, DOC = "pdf", "jpeg", "png", "docx", "doc"


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extension: str  # the one a stored name gets
    extensions: tuple[str, ...]  # those a citizen's file of this kind may carry


KINDS = {
    k.code: k
    for k in [
        Kind(PDF, "application/pdf", "pdf", ("pdf",)),
        Kind(JPEG, "image/jpeg", "jpg", ("jpg", "jpeg")),
        Kind(PNG, "image/png", "png", ("png",)),
        Kind(
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            ("docx",),
        ),
        Kind(DOC, "application/msword", "doc", ("doc",)),
    ]
}
CONTENT_TYPES = frozenset(k.content_type for k in KINDS.values())

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_XML_MAX = 1024 * 1024  # [Content_Types].xml is a few kilobytes
ZIP_MAX_MEMBERS = 10_000
# Parts of a .docx that hold something that runs: ActiveX controls, and embedded objects other
# than macro-free Office documents (an OLE "package" carries any program; a picture sits in
# word/media/).
DOCX_ACTIVE_PARTS = ("word/activex/", "word/embeddings/")
DOCX_PLAIN_EMBEDDINGS = (".docx", ".xlsx", ".pptx")
# Relationship types that fetch code when they point outside the file.
DOCX_EXTERNAL_CODE = ("attachedTemplate", "frame", "subDocument", "oleObject", "control")
RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>")
EXTERNAL = re.compile(r"""\bTargetMode\s*=\s*["']External["']""")
REL_TYPE = re.compile(r"""\bType\s*=\s*["']([^"']*)["']""")
RELS_MAX = 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """What is stored for an accepted file."""

    content: ContentFile
    kind: Kind
    original_name: str
    size: int
    scan_status: str = "skipped"  # Attachment.Scan, set by complaints.scanning

    @property
    def data(self) -> bytes:
        return self.content.file.getvalue()


# --- names ---------------------------------------------------------------------------------


def _cut_to_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, on a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_name(name: str, *, limit: int | None = None) -> str:
    """The citizen's file name as it may be stored and shown: no folders, no control or
    direction characters (U+202E makes ``gpj.exe`` read as ``exe.jpg``), no lone surrogates,
    at most ``PORTAL_ATTACHMENT_NAME_MAX_BYTES`` bytes of UTF-8 (cut on a character boundary,
    the extension kept)."""
    limit = limit or settings.PORTAL_ATTACHMENT_NAME_MAX_BYTES
    name = unicodedata.normalize("NFC", str(name or "").replace("\\", "/"))
    name = posixpath.basename(name)
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co"})
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    stem, ext = stem.strip(" ."), ext.strip()
    if not dot or not ext or len(ext.encode("utf-8")) > 16:  # no extension to keep
        return _cut_to_bytes(name.strip(" .") or _("document"), limit)
    return _cut_to_bytes(stem or _("document"), limit - len(ext.encode("utf-8")) - 1) + "." + ext


def extension(name: str) -> str:
    stem, dot, ext = safe_name(name).rpartition(".")
    return ext.lower() if dot and stem else ""


def random_name(kind: Kind) -> str:
    """A stored file's name: random, so nothing the citizen typed reaches the file system."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


# --- checking ------------------------------------------------------------------------------


def _refuse(name: str, message: str, **params: object) -> ValidationError:
    return ValidationError(message % {"name": safe_name(name), **params}, code="content")


def _not_what_it_says(name: str) -> ValidationError:
    return _refuse(
        name,
        _(
            "%(name)s: the content of this file is not a PDF, JPG, PNG or Word document; "
            "its name does not make it one. Attach the document itself."
        ),
    )


def check_name_and_size(upload: IO[bytes]) -> None:
    """The quick checks, before the bytes are read: an extension the portal takes, a size
    within the limit."""
    name = getattr(upload, "name", "") or ""
    if extension(name) not in settings.PORTAL_ATTACHMENT_TYPES:
        raise _refuse(name, _("%(name)s: only PDF, JPG, PNG or Word files are accepted."))
    if upload.size > settings.PORTAL_ATTACHMENT_MAX_BYTES:
        raise _refuse(
            name,
            _("%(name)s is larger than %(mb)s MB."),
            mb=settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        )


def _read(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read(settings.PORTAL_ATTACHMENT_MAX_BYTES + 1)
    upload.seek(0)
    return data


def examine(upload: IO[bytes]) -> Kind:
    """The kind of ``upload``, by its bytes; a ``ValidationError`` in Vietnamese otherwise.
    Cheap enough for every step of the form: images are not decoded in full here."""
    check_name_and_size(upload)
    name = upload.name
    data = _read(upload)
    if len(data) > settings.PORTAL_ATTACHMENT_MAX_BYTES:
        raise _refuse(name, _("%(name)s is too large."))
    kind = _sniff(data)
    # The content decides (a JPEG named .png is a JPEG), within the kinds the portal takes.
    if kind is None or not set(kind.extensions) & set(settings.PORTAL_ATTACHMENT_TYPES):
        raise _not_what_it_says(name)
    {PDF: _check_pdf, JPEG: _check_image, PNG: _check_image, DOCX: _check_docx, DOC: _check_doc}[
        kind.code
    ](name, data, kind)
    return kind


def _sniff(data: bytes) -> Kind | None:
    """The kind the first bytes claim; the structure is checked after."""
    if data.startswith(b"%PDF-"):
        return KINDS[PDF]
    if data.startswith(b"\xff\xd8\xff"):
        return KINDS[JPEG]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS[PNG]
    if data.startswith(b"PK\x03\x04"):
        return KINDS[DOCX]
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return KINDS[DOC]
    return None


def _check_pdf(name: str, data: bytes, kind: Kind) -> None:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    from . import pdfs

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError
        pages = pdfs.page_count(reader, settings.PORTAL_ATTACHMENT_MAX_PAGES)
    except FileNotDecryptedError:
        raise _refuse(
            name, _("%(name)s is protected by a password; attach it without the password.")
        ) from None
    except pdfs.TooManyPages:
        raise _refuse(
            name,
            _("%(name)s has more than %(pages)s pages; send the pages that matter."),
            pages=settings.PORTAL_ATTACHMENT_MAX_PAGES,
        ) from None
    except Exception as exc:  # a parser of untrusted bytes fails in many ways: all refuse
        log.info("PDF refused: %s", type(exc).__name__)
        raise _not_what_it_says(name) from None
    if pages < 1:
        raise _not_what_it_says(name)


def _open_image(name: str, data: bytes, kind: Kind) -> Image.Image:
    """The image opened from its header, refused before decoding when it is not of ``kind``
    or has more pixels than the portal takes."""
    too_big = _refuse(
        name,
        _("%(name)s has too many pixels (more than %(mp)s million); send a smaller photo."),
        mp=settings.PORTAL_ATTACHMENT_MAX_PIXELS // 1_000_000,
    )
    try:
        image = Image.open(io.BytesIO(data), formats=[kind.code.upper()])
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise too_big from None
    except Exception as exc:  # not an image Pillow reads as this format
        log.info("Image refused: %s", type(exc).__name__)
        raise _not_what_it_says(name) from None
    width, height = image.size
    if width * height > settings.PORTAL_ATTACHMENT_MAX_PIXELS:
        image.close()
        raise too_big
    return image


def _check_image(name: str, data: bytes, kind: Kind) -> None:
    image = _open_image(name, data, kind)
    try:
        if kind.code == JPEG:
            # A JPEG decodes at an eighth of its size almost for free: a cut-off file shows.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        else:
            image.verify()  # every chunk's checksum
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        log.info("Image refused: %s", type(exc).__name__)
        raise _refuse(name, _("%(name)s is damaged or incomplete; send it again.")) from None
    finally:
        image.close()


def _check_docx(name: str, data: bytes, kind: Kind) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            info = archive.getinfo("[Content_Types].xml")
            rels = [m for m in members if m.filename.lower().endswith(".rels")]
            if (
                len(members) > ZIP_MAX_MEMBERS
                or info.file_size > CONTENT_TYPES_XML_MAX
                or any(r.file_size > RELS_MAX for r in rels)
            ):
                raise _not_what_it_says(name)
            declared = archive.read(info).decode("utf-8", "replace")
            relationships = [archive.read(r).decode("utf-8", "replace") for r in rels]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        raise _not_what_it_says(name) from None
    if WORD_MAIN not in declared or "word/document.xml" not in names:
        raise _not_what_it_says(name)  # an Excel, a macro-enabled Word, or any other ZIP
    lowered = {n.lower() for n in names}
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in lowered):
        raise _refuse(name, _("%(name)s contains macros; save it as a document without them."))
    runs = [n for n in lowered if n.startswith(DOCX_ACTIVE_PARTS)]
    if any(not n.endswith(DOCX_PLAIN_EMBEDDINGS) for n in runs) or any(
        _fetches_code(text) for text in relationships
    ):
        raise _active_word(name)


def _active_word(name: str) -> ValidationError:
    return _refuse(
        name,
        _(
            "%(name)s contains content that can run (a control, an embedded object or a "
            "template from the Internet); save it as PDF or as a plain Word document."
        ),
    )


def _fetches_code(relationships: str) -> bool:
    """Whether a part's relationships bring in a template, a frame or an object from outside
    the file (``TargetMode="External"``): how a plain .docx loads a macro-enabled template
    when opened. Links (hyperlinks) and pictures may point outside; they run nothing."""
    for rel in RELATIONSHIP.finditer(relationships):
        mode, type_ = EXTERNAL.search(rel.group(0)), REL_TYPE.search(rel.group(0))
        if mode and type_ and type_.group(1).rsplit("/", 1)[-1] in DOCX_EXTERNAL_CODE:
            return True
    return False


def _check_doc(name: str, data: bytes, kind: Kind) -> None:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            is_word = ole.exists("WordDocument")
            has_macros = ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR")
            # Word keeps an empty ObjectPool in many plain files; an object is inside it.
            has_objects = any(
                p[0].lower() == "objectpool" and len(p) > 1
                for p in ole.listdir(streams=True, storages=True)
            )
    except Exception as exc:  # olefile raises OSError and its own kinds on broken files
        log.info("Word 97-2003 file refused: %s", type(exc).__name__)
        raise _not_what_it_says(name) from None
    if not is_word:
        raise _not_what_it_says(name)  # an Excel or another OLE file
    if has_macros:
        raise _refuse(name, _("%(name)s contains macros; save it as a document without them."))
    if has_objects:
        raise _active_word(name)


# --- preparing what is stored --------------------------------------------------------------


def prepare(upload: IO[bytes]) -> Prepared:
    """Check ``upload`` and make what is stored: images re-encoded without their metadata,
    a random file name, the citizen's name made safe, the content type of the kind."""
    kind = examine(upload)
    data = _read(upload)
    if kind.code in {JPEG, PNG}:
        data = _reencode(upload.name, data, kind)
    elif kind.code == PDF:
        data = _clean_pdf(upload.name, data)
    original = safe_name(upload.name)
    if extension(original) not in kind.extensions:  # a JPEG named .png opens as what it is
        stem = original.rpartition(".")[0] or original
        original = safe_name(f"{stem}.{kind.extension}")
    return Prepared(
        content=ContentFile(data, name=random_name(kind)),
        kind=kind,
        original_name=original,
        size=len(data),
    )


def _reencode(name: str, data: bytes, kind: Kind) -> bytes:
    """The pixels only, oriented as the camera meant; EXIF (GPS), XMP, comments and text
    chunks are not written again."""
    image = _open_image(name, data, kind)
    try:
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        log.info("Image refused: %s", type(exc).__name__)
        raise _refuse(name, _("%(name)s is damaged or incomplete; send it again.")) from None
    finally:
        image.close()
    upright.info = {}
    options: dict = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    if kind.code == JPEG:
        if upright.mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, **options)
    else:
        upright.save(out, "PNG", **options)
    return out.getvalue()


def _clean_pdf(name: str, data: bytes) -> bytes:
    """The pages only, without active content (``complaints.pdfs``)."""
    from . import pdfs

    try:
        return pdfs.clean(data, max_pages=settings.PORTAL_ATTACHMENT_MAX_PAGES)
    except pdfs.NotCleanable as exc:
        log.info("PDF refused, cannot be cleaned: %s", exc)
        raise _refuse(
            name,
            _(
                "%(name)s: this PDF cannot be cleaned of the scripts, links and files it "
                "carries; print it to PDF again or send photos of its pages."
            ),
        ) from None


# --- files kept between the form's steps ---------------------------------------------------

WIZARD_UPLOADS = "wizard-uploads"


class WizardUploadStorage(FileSystemStorage):
    """Where the step-by-step form keeps a file until the petition is sent: a folder of
    ``MEDIA_ROOT`` (read when used, not at import), under a random name, so a name of any
    length or alphabet never reaches the file system. formtools deletes the file when the form
    is sent; ``abandoned_uploads_sweep`` deletes the files of forms never sent."""

    @cached_property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, WIZARD_UPLOADS)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return f"{secrets.token_hex(16)}.upload"


def wizard_upload_storage() -> Storage:
    """Where the form keeps its files: ``WizardUploadStorage`` on the disk, or, with
    ``PORTAL_MEDIA_S3_*``, the bucket's ``wizard-uploads/`` folder, so that a form begun on
    one web node goes on on another."""
    options = settings.PORTAL_MEDIA_S3
    if not options:
        return WizardUploadStorage()
    return _wizard_bucket(tuple(sorted(options.items())))


@functools.cache
def _wizard_bucket(options: tuple[tuple[str, Any], ...]) -> Storage:
    from storages.backends.s3 import S3Storage  # boto3 is imported only with a bucket

    class WizardBucketStorage(S3Storage):
        def get_available_name(self, name: str, max_length: int | None = None) -> str:
            return f"{secrets.token_hex(16)}.upload"

    config = dict(options)
    location = posixpath.join(config.pop("location", ""), WIZARD_UPLOADS)
    return WizardBucketStorage(**config, location=location)


class WizardSessionStorage(SessionStorage):
    """formtools' session storage, for a form whose kept file is gone (swept, or the disk
    replaced): the file is forgotten and the form goes on, where formtools would fail."""

    def get_step_files(self, step: str) -> dict | None:
        kept = self.data[self.step_files_key].get(step, {})
        for field in [f for f, d in kept.items() if not self.file_storage.exists(d["tmp_name"])]:
            del kept[field]
        return super().get_step_files(step)


def abandoned_uploads_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the kept files older than ``PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS``; the number
    deleted. Safe to run twice and in parallel: a file another sweep (or the form) took first
    is skipped."""
    storage = wizard_upload_storage()
    cutoff = (now or timezone.now()) - dt.timedelta(
        hours=settings.PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS
    )
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted += 1
        except FileNotFoundError:
            continue
    if deleted:
        log.info("Abandoned form uploads deleted: %d", deleted)
    return deleted
