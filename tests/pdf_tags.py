"""Checks that a PDF is tagged (issue 15): catalog entries, a structure tree whose marked-content references agree
with the pages' content streams and the parent tree, and no text or image outside a marked-content sequence."""
import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NumberObject

SHOWING = {b"Tj", b"TJ", b"'", b'"', b"Do"}


@dataclass
class Tagged:
    reader: PdfReader
    roles: list[str] = field(default_factory=list)  # in tree order
    elements: list[DictionaryObject] = field(default_factory=list)
    text: str = ""

    def of_role(self, role: str) -> list[DictionaryObject]:
        return [e for e in self.elements if e["/S"] == f"/{role}"]

    def kids_roles(self, element: DictionaryObject) -> list[str]:
        return [k.get_object()["/S"][1:] for k in _kids(element)
                if isinstance(k.get_object(), DictionaryObject) and k.get_object().get("/Type") == "/StructElem"]


def _kids(element) -> list:
    """An element's /K as a list (a single kid may stand alone)."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def check_tagged(data: bytes, lang: str = "vi") -> Tagged:
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert catalog["/Lang"] == lang
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title
    tree = catalog["/StructTreeRoot"]
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    result = Tagged(reader)

    # the structure tree: every marked-content reference (page, MCID) and who owns it
    owner_of: dict[tuple[int, int], int] = {}

    def walk(ref, parent_ref) -> None:
        element = ref.get_object()
        assert element["/Type"] == "/StructElem"
        if parent_ref is not None:
            assert element.raw_get("/P").idnum == parent_ref.idnum, "an element's /P is its parent"
        result.roles.append(element["/S"][1:])
        result.elements.append(element)
        if element["/S"] == "/Figure":
            assert element.get("/Alt"), "a Figure has its alternative text"
        default_page = element.raw_get("/Pg") if "/Pg" in element else None
        for kid in _kids(element):
            if isinstance(kid, NumberObject):
                key = (default_page.idnum, int(kid))
            elif isinstance(kid, IndirectObject) and kid.get_object().get("/Type") == "/StructElem":
                walk(kid, ref)
                continue
            else:
                kid = kid.get_object()
                assert kid["/Type"] == "/MCR"
                key = ((kid.raw_get("/Pg") if "/Pg" in kid else default_page).idnum, int(kid["/MCID"]))
            assert key[0] in pages
            assert key not in owner_of, f"MCID {key} owned twice"
            owner_of[key] = ref.idnum

    for top in _kids(tree):
        document = top.get_object()
        assert document["/S"] == "/Document"
        for kid in _kids(document):
            walk(kid, top)

    # the parent tree (a flat /Nums array, as written) maps each page's MCIDs back to the same elements
    nums = tree["/ParentTree"]["/Nums"]
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    from_parent_tree: dict[tuple[int, int], int] = {}
    for idnum, page in pages.items():
        if "/StructParents" not in page:
            continue
        for mcid, owner in enumerate(parent_tree[int(page["/StructParents"])]):
            from_parent_tree[(idnum, mcid)] = owner.idnum

    # the content streams: MCIDs used, and no text or image outside a marked-content sequence
    used: set[tuple[int, int]] = set()
    for idnum, page in pages.items():
        depth = 0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BMC", b"BDC"):
                depth += 1
                if operator == b"BDC" and isinstance(operands[1], DictionaryObject) and "/MCID" in operands[1]:
                    assert depth == 1, "tagged sequences are not nested"
                    key = (idnum, int(operands[1]["/MCID"]))
                    assert key not in used, f"MCID {key} used twice"
                    used.add(key)
                    owner = reader.get_object(owner_of[key])
                    assert owner["/S"] == operands[0], "the sequence's tag is its element's role"
                elif operator == b"BMC":
                    assert operands[0] == "/Artifact"
            elif operator == b"EMC":
                depth -= 1
                assert depth >= 0
            elif operator in SHOWING:
                assert depth > 0, f"{operator!r} outside a marked-content sequence on page {page.page_number + 1}"
        assert depth == 0, "every sequence is closed on its page"
    assert used == set(owner_of), "the structure tree references exactly the MCIDs of the content streams"
    assert from_parent_tree == owner_of, "the parent tree agrees with the structure tree"
    result.text = "\n".join(page.extract_text() for page in reader.pages)
    return result
