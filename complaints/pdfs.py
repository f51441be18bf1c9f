"""Citizens' PDFs rewritten without active content (ASVS V5.4.3).

A PDF can carry more than its pages: JavaScript run when it opens (the ``/JavaScript`` name
tree, ``/OpenAction``) or when a page, a link or a form field is touched (``/AA``, ``/A``),
actions that start a program (``/Launch``), fetch or send something (``/URI``, ``/GoToR``,
``/SubmitForm``, ``/ImportData``), files carried inside it (``/EmbeddedFiles``, file
attachment annotations), Flash and 3D content (RichMedia, Screen, Movie, Sound and 3D
annotations), XFA forms with their own scripts, PostScript for the printer. None of it is
needed to read a citizen's document, and any of it runs on the machine of the official who
opens the file.

So the pages are copied into a new PDF, and nothing else: the document catalogue (its name
trees, open action, form, outlines, document metadata with the author's name) is not carried
over. Before the copy, everything the pages reach is walked and the active parts removed in
place (keys in ``ACTIVE_KEYS``, every action, the annotations in ``DROPPED_ANNOTATIONS``,
PostScript XObjects, XMP metadata); a form field's widget keeps its appearance (what was
filled in shows) but not its field or actions. The result is read again: its page count must
be the original's and nothing active may be left in any object of the file, or the file is
refused (``NotCleanable``).

Drawing (content streams, fonts, images) is kept as it is: a malformed font or image aimed at
a viewer's parser is what the antivirus scan (``complaints.scanning``) is for.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

# Keys that hold or lead to active content (or, for the last three, data about the author and
# the software that is not part of what the page shows), removed from every dictionary.
ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/OpenAction",
        "/EmbeddedFiles",
        "/EF",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/XFA",
        "/AcroForm",
        "/Names",
        "/PS",  # a PostScript fragment of a form XObject
        "/Metadata",
        "/PieceInfo",
    }
)
# Annotations that exist to play, run or carry something; removed from the pages.
DROPPED_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
)
# What a cleaned file is checked for, beside ACTIVE_KEYS anywhere.
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/GoToR",
        "/GoToE",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/Rendition",
        "/RichMediaExecute",
        "/Movie",
        "/Sound",
        "/Hide",
        "/SetOCGState",
        "/Named",
        "/Thread",
        "/Trans",
        "/GoTo3DView",
    }
)
# Types of objects that must not be in a cleaned file at all.
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Action", "/Filespec"})


class NotCleanable(Exception):
    """The PDF could not be rewritten without its active content."""


class TooManyPages(Exception):
    """The page tree has more leaves than the portal reads."""


def page_count(reader: PdfReader, limit: int) -> int:
    """The pages in the page tree, walked without pypdf's flattening (a few hundred
    microseconds a page) and given up past ``limit``: a 10 MB file can hold 80,000 empty
    pages, which would keep a worker busy for minutes. The tree's own ``/Count`` is not
    trusted (it may say 1 over thousands of pages)."""
    count, seen = 0, set()
    stack: list[PdfObject] = [reader.trailer["/Root"].get_object().raw_get("/Pages")]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue  # a loop in the tree: pypdf reads each node once too
            seen.add(node.idnum)
        node = _resolve(node)
        if not isinstance(node, DictionaryObject):
            continue
        if "/Kids" in node:
            kids = _resolve(node.raw_get("/Kids"))
            if isinstance(kids, ArrayObject):
                stack.extend(list.__iter__(kids))
        elif node.get("/Type") == "/Page" or "/Contents" in node or "/MediaBox" in node:
            count += 1
            if count > limit:
                raise TooManyPages
    return count


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _is_action(value: PdfObject | None) -> bool:
    value = _resolve(value)
    return isinstance(value, DictionaryObject) and (
        "/S" in value or value.get("/Type") == "/Action"
    )


def _is_annotation(d: DictionaryObject) -> bool:
    return "/Subtype" in d and "/Rect" in d


def _strip(d: DictionaryObject) -> None:
    """Remove the active parts of one dictionary (its children are walked after)."""
    for key in list(d.keys()):
        if key in ACTIVE_KEYS or (key == "/A" and _is_action(d.raw_get(key))):
            del d[key]
    if _is_annotation(d):
        d.pop("/P", None)  # the page it sits on: optional, and a way back to the whole file
        if d.get("/Subtype") == "/Widget":
            d.pop("/Parent", None)  # the form field, whose form is not kept
    annots = _resolve(d.raw_get("/Annots")) if "/Annots" in d else None
    if isinstance(annots, ArrayObject):
        annots[:] = [a for a in annots if not _dropped_annotation(a)]
    xobjects = _resolve(d.raw_get("/XObject")) if "/XObject" in d else None
    if isinstance(xobjects, DictionaryObject):
        for name in [n for n, x in xobjects.items() if _subtype(x) == "/PS"]:
            del xobjects[name]


def _subtype(obj: PdfObject | None) -> object:
    obj = _resolve(obj)
    return obj.get("/Subtype") if isinstance(obj, DictionaryObject) else None


def _dropped_annotation(obj: PdfObject) -> bool:
    return _subtype(obj) in DROPPED_ANNOTATIONS


def _walk(roots: Iterable[PdfObject]) -> Iterator[DictionaryObject]:
    """Every dictionary (and stream dictionary) reachable from ``roots``, each once, yielded
    before its children are read, so that what the caller removes is not walked."""
    seen: set[tuple[int, int, int]] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (id(obj.pdf), obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))  # unresolved: indirect objects stay indirect
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def active_content(reader: PdfReader) -> set[str]:
    """What is active in a PDF, by name (empty for a clean one): every object reachable from
    the trailer (the catalogue, the document information) is looked at."""
    found: set[str] = set()
    for d in _walk([reader.trailer]):
        found |= {k for k in d if k in ACTIVE_KEYS - {"/Metadata", "/PieceInfo"}}
        if d.get("/S") in ACTIVE_ACTIONS or "/A" in d and _is_action(d.raw_get("/A")):
            found.add(str(d.get("/S", "/A")))
        if d.get("/Type") in ACTIVE_TYPES:
            found.add(str(d["/Type"]))
        if _is_annotation(d) and d.get("/Subtype") in DROPPED_ANNOTATIONS:
            found.add(str(d["/Subtype"]))
        if d.get("/Subtype") == "/PS":
            found.add("/PS")
    return found


def clean(data: bytes, *, max_pages: int) -> bytes:
    """``data`` (a PDF that opens without a password) rewritten with its pages only, without
    active content; ``NotCleanable`` if that cannot be done or checked."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # only an owner's password: readable by anyone
        page_count(reader, max_pages)
        # pypdf's page objects are copies of the file's page dictionaries (with what they
        # inherit): both are walked, the copies being what the writer takes.
        pages = list(reader.pages)
        for d in _walk([*pages, *(p.indirect_reference for p in pages if p.indirect_reference)]):
            _strip(d)
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
        check = PdfReader(io.BytesIO(cleaned), strict=False)
        left, count = active_content(check), len(check.pages)
    except NotCleanable:
        raise
    except Exception as exc:  # a parser of untrusted bytes fails in many ways: all refuse
        raise NotCleanable(type(exc).__name__) from None
    if left or count != len(pages):
        raise NotCleanable(f"left: {sorted(left)}, pages {count} of {len(pages)}")
    return cleaned
