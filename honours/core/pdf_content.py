"""Active content in an uploaded PDF: JavaScript, launch actions, embedded files and other things a reader may run.

Such a PDF is refused, not cleaned. Stripping would mean rewriting the nominee's file (its checksum, and perhaps its
signature, no longer what the organisation holds), and a cleaner that misses one hiding place passes the rest
silently; a refused file is re-exported by its owner ("In ra PDF") in a minute. Dossier evidence never needs any of
these features.

Every object the cross-reference table knows is inspected, including those packed in compressed object streams
(pypdf unpacks them, and decodes #-escaped names such as /J#61vaScript); the raw bytes are also scanned for the
same names, so an object the table does not list is caught as well. Both passes are bounded in objects and time.
"""
import re
import time

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

JAVASCRIPT = "javascript"
LAUNCH = "launch"
EMBEDDED_FILE = "embedded_file"
ACTIVE = "active"  # automatic actions, XFA forms, rich media, form submission

# Dictionary keys that only appear with the feature, and values of /S (action type), /Type and /Subtype.
KEYS = {
    "/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT,
    "/EmbeddedFiles": EMBEDDED_FILE, "/EmbeddedFile": EMBEDDED_FILE, "/EF": EMBEDDED_FILE,
    "/AA": ACTIVE, "/XFA": ACTIVE, "/RichMedia": ACTIVE, "/RichMediaContent": ACTIVE,
}
VALUES = {
    "/JavaScript": JAVASCRIPT, "/Launch": LAUNCH,
    "/EmbeddedFile": EMBEDDED_FILE, "/FileAttachment": EMBEDDED_FILE, "/GoToE": EMBEDDED_FILE,
    "/RichMedia": ACTIVE, "/RichMediaExecute": ACTIVE, "/ImportData": ACTIVE, "/SubmitForm": ACTIVE,
}
TYPE_KEYS = ("/S", "/Type", "/Subtype")
# The raw scan looks for names that never occur in a harmless file: /EF, /AA or /S values are too short or too
# ambiguous outside their dictionary to judge from bytes alone (the structural pass sees those).
RAW_NAMES = {"/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT, "/Launch": LAUNCH, "/EmbeddedFile": EMBEDDED_FILE,
             "/EmbeddedFiles": EMBEDDED_FILE, "/RichMedia": ACTIVE, "/XFA": ACTIVE}
NAME = re.compile(rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]{2,40}")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
ORDER = (JAVASCRIPT, LAUNCH, EMBEDDED_FILE, ACTIVE)

MAX_OBJECTS = 100_000
SECONDS = 10.0


class TooComplex(Exception):
    """The file has more objects, or takes longer to inspect, than any dossier document needs."""


def active_content(path: str, reader: PdfReader) -> str | None:
    """The worst kind of active content found (one of ORDER), or None. Raises TooComplex past the limits, and
    whatever pypdf raises on a broken file."""
    deadline = time.monotonic() + SECONDS
    found = _raw_names(path) | _objects(reader, deadline)
    return next((kind for kind in ORDER if kind in found), None)


def _raw_names(path: str) -> set[str]:
    with open(path, "rb") as stream:
        data = stream.read()  # the upload size limit bounds this
    found = set()
    for match in NAME.finditer(data):
        token = match.group()
        if b"#" in token:
            token = ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token)
        kind = RAW_NAMES.get(token.decode("latin-1"))
        if kind:
            found.add(kind)
    return found


def _objects(reader: PdfReader, deadline: float) -> set[str]:
    """Walk every indirect object (not following references: each is visited from the table) and the trailer."""
    references = [(number, generation) for generation, numbers in reader.xref.items() for number in numbers]
    references += [(number, 0) for number in reader.xref_objStm]
    if len(references) > MAX_OBJECTS:
        raise TooComplex
    found = set(_inspect(reader.trailer, deadline))
    for number, generation in references:
        if time.monotonic() > deadline:
            raise TooComplex
        found.update(_inspect(reader.get_object(IndirectObject(number, generation, reader)), deadline))
    return found


def _inspect(root, deadline: float):
    stack, seen, visited = [root], set(), 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject) or id(item) in seen:
            continue
        seen.add(id(item))
        visited += 1
        if visited % 1000 == 0 and time.monotonic() > deadline:
            raise TooComplex
        if isinstance(item, DictionaryObject):  # stream objects too (their dictionary; data is not decoded)
            for key, value in item.items():
                if key in KEYS:
                    yield KEYS[key]
                if key in TYPE_KEYS:
                    name = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(name, NameObject) and name in VALUES:
                        yield VALUES[name]
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
