"""Tagged PDF: a structure tree (Document > H1/H2/P/Table > TR > TH/TD, L > LI, Figure with /Alt) so screen readers
read the app's PDFs in order, with the page furniture (running header, page numbers, footer, rules, table borders)
marked as artifacts.

How: every chunk fpdf2 writes to a page goes through `_out`. A chunk that shows text or places an image is put in a
marked-content sequence of the structure element being written (`with pdf.structure("P"): ...`), opened lazily
with the page's next MCID and closed when another element, an artifact or another page follows. A paragraph or
table cell that breaks across pages therefore owns one marked-content item per page part (an MCID on the element's
/Pg, an MCR dictionary with its own /Pg on a later page), and the parent tree maps every MCID of a page back to its
element. Chunks that only draw lines or
rectangles are artifacts, as is everything written while a page is being added (footer of the old page, header of
the new one) and the header rows fpdf2 repeats on each page of a table. Elements that never receive content (a
dry run measuring a cell, an empty cell) are never attached to the tree.

This relies on fpdf2 internals (`_out`, `_render_footer`, `_disable_writing`, `Table._render_table_row/_cell`,
the StructureTreeBuilder the output step serialises), hence the pin fpdf2 >=2.8.9,<2.9 in pyproject.toml.
fpdf2's own flat tagging (images with `alt_text` through `_marked_sequence`, links) would number MCIDs on its own,
so it is refused here: images get their Figure from `image()` below, and no PDF of the app carries links.
"""
import types
from contextlib import contextmanager

from fpdf import FPDF, ViewerPreferences
from fpdf.structure_tree import StructureTreeBuilder
from fpdf.syntax import PDFObject, PDFString
from fpdf.table import Table

SHOWING = frozenset({b"Tj", b"TJ", b"'", b'"', b"Do"})  # text or an image: content of the element being written
DRAWING = frozenset({b"m", b"l", b"c", b"v", b"y", b"h", b"re", b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b",
                     b"b*", b"n", b"sh"})  # a path (rules, borders, frames): an artifact
ARTIFACT = "artifact"


class UntaggedContent(Exception):
    """Text written outside any structure element (only raised when TaggedPdf.strict is set, as in the tests)."""


class Element(PDFObject):
    """A structure element: its role, its parent, and its kids in reading order: elements and (page, MCID) pairs."""

    def __init__(self, role: str, parent: PDFObject, alt: str | None = None, scope: str | None = None):
        super().__init__()
        self.role, self.parent, self.alt, self.scope = role, parent, alt, scope
        self.kids: list = []
        self.attached = False
        self.pg = None  # the first page with its content (fpdf2's output step sets it again for top-level elements)
        self._page_number: int | None = None

    def page_number(self) -> int | None:
        return self._page_number

    def serialize(self, obj_dict=None, _security_handler=None) -> str:
        kids = [kid.ref if isinstance(kid, PDFObject)
                else str(kid[1]) if kid[0] is self.pg  # an MCID on the element's own page
                else f"<</Type /MCR /Pg {kid[0].ref} /MCID {kid[1]}>>" for kid in self.kids]
        entries = {"/Type": "/StructElem", "/S": f"/{self.role}", "/P": self.parent.ref,
                   "/K": kids[0] if len(kids) == 1 else f"[{' '.join(kids)}]"}
        if any(not isinstance(kid, PDFObject) and kid[0] is self.pg for kid in self.kids):
            entries["/Pg"] = self.pg.ref  # the page of the bare MCIDs
        if self.alt:
            entries["/Alt"] = PDFString(self.alt).serialize(_security_handler=_security_handler, _obj_id=self.id)
        if self.scope:
            entries["/A"] = f"<</O /Table /Scope /{self.scope}>>"
        return super().serialize(entries, _security_handler)


class StructureTree(StructureTreeBuilder):
    """fpdf2's builder (root, /Document element, parent tree) holding nested Elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []

    def mark(self, element: Element, page) -> tuple[int, int]:
        """A new marked-content item of `element` on `page`: (MCID, the page's StructParents key)."""
        number = page.index()  # 1-based
        key = self.spid_per_page_number.setdefault(number, len(self.spid_per_page_number))
        owners = self.struct_tree_root.parent_tree.nums[key]  # index = MCID on that page
        mcid = len(owners)
        owners.append(element)
        element.kids.append((page, mcid))
        self._attach(element, page, number)
        return mcid, key

    def _attach(self, element: Element, page, number: int) -> None:
        if element.pg is None:
            element.pg, element._page_number = page, number
        if element.attached:
            return
        element.attached = True
        self.elements.append(element)
        parent = element.parent
        if isinstance(parent, Element):
            self._attach(parent, page, number)
            parent.kids.append(element)
        else:
            parent.k.append(element)

    def add_marked_content(self, *args, **kwargs):
        raise NotImplementedError("fpdf2's flat tagging would break the MCID numbering: use TaggedPdf.structure")

    def next_mcid_for_page(self, page_number: int) -> int:
        raise NotImplementedError("fpdf2's flat tagging would break the MCID numbering: use TaggedPdf.structure")

    def empty(self) -> bool:
        return False  # a page of furniture alone is still a tagged PDF (its content all artifacts)

    def __iter__(self):
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from self.elements


class TaggedPdf(FPDF):
    """An FPDF writing a tagged PDF: language and title in the catalog (the title shown instead of the file name)."""

    strict = False  # raise UntaggedContent for text outside any element (the tests set it); otherwise a P

    def __init__(self, *args, lang: str = "vi", **kwargs):
        super().__init__(*args, **kwargs)
        self.struct_builder = StructureTree()
        self._elements: list = [self.struct_builder.doc_struct_elem]
        self._artifacts = 0
        self._open: tuple[int, object] | None = None  # (page, Element or ARTIFACT) of the open sequence
        self._image_alts: dict[str, str] = {}
        self.set_lang(lang)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)

    # ------------------------------------------------------------ what the producers call

    @contextmanager
    def structure(self, role: str, alt: str | None = None, scope: str | None = None):
        """What is written inside belongs to a new `role` element, a child of the enclosing one."""
        element = Element(role, self._elements[-1], alt=alt, scope=scope)
        self._elements.append(element)
        try:
            yield element
        finally:
            self._elements.pop()
            if self._open is not None and self._open[1] is element:
                self._end_sequence()

    @contextmanager
    def artifact(self):
        """What is written inside is page furniture, skipped by screen readers."""
        self._artifacts += 1
        try:
            yield
        finally:
            self._artifacts -= 1

    def image_alt(self, name, alt: str) -> None:
        """The alternative text of an image placed by fpdf2 itself (a table cell's image)."""
        self._image_alts[str(name)] = alt

    # ------------------------------------------------------------ fpdf2 hooks

    def image(self, name, *args, alt_text: str | None = None, **kwargs):
        with self.structure("Figure", alt=alt_text or self._image_alts.get(str(name))):
            return super().image(name, *args, **kwargs)

    @contextmanager
    def table(self, *args, **kwargs):
        table = TaggedTable(self, *args, **kwargs)
        yield table
        table.render()

    def add_page(self, *args, **kwargs) -> None:
        with self.artifact():  # the old page's footer and the new one's header
            super().add_page(*args, **kwargs)

    def _render_footer(self) -> None:
        with self.artifact():
            super()._render_footer()
        self._end_sequence()  # the footer ends the page

    def _marked_sequence(self, **kwargs):
        raise NotImplementedError("fpdf2's flat tagging would break the MCID numbering: use TaggedPdf.structure")

    def _out(self, s) -> None:
        data = s if isinstance(s, bytes) else str(s).encode("latin1")
        if self.page and not self.buffer:
            tokens = set(data.split())
            if tokens & SHOWING:
                self._switch(ARTIFACT if self._artifacts else self._current())
            elif tokens & DRAWING:
                self._switch(ARTIFACT)
        super()._out(data)

    # ------------------------------------------------------------ marked-content sequences

    def _current(self) -> Element:
        element = self._elements[-1]
        if isinstance(element, Element):
            return element
        if self.strict:
            raise UntaggedContent(f"content outside any structure element on page {self.page}")
        return Element("P", element)

    def _switch(self, target) -> None:
        if self._open is not None and self._open[0] == self.page and self._open[1] is target:
            return
        self._end_sequence()
        page = self.pages[self.page]
        if target is ARTIFACT:
            page.contents.extend(b"/Artifact BMC\n")
        else:
            mcid, key = self.struct_builder.mark(target, page)
            page.struct_parents = key
            page.contents.extend(f"/{target.role} <</MCID {mcid}>> BDC\n".encode())
            self._set_min_pdf_version("1.4")
        self._open = (self.page, target)

    def _end_sequence(self) -> None:
        if self._open is None or not isinstance(self._out, types.MethodType):  # nothing open, or a dry run
            return
        self.pages[self._open[0]].contents.extend(b"EMC\n")
        self._open = None


class TaggedTable(Table):
    """fpdf2's table as Table > TR > TH (scope Column) / TD; header rows repeated on later pages are artifacts."""

    def render(self) -> None:
        self._rendered_rows: set[int] = set()
        with self._fpdf.structure("Table"):
            super().render()

    def _render_table_row(self, i, row_layout_info, cell_x_positions, **kwargs) -> None:
        repeated = i in self._rendered_rows
        self._rendered_rows.add(i)
        with self._fpdf.artifact() if repeated else self._fpdf.structure("TR"):
            super()._render_table_row(i, row_layout_info, cell_x_positions, **kwargs)

    def _render_table_cell(self, i, j, cell, *args, **kwargs):
        heading = i < self._num_heading_rows
        with self._fpdf.structure("TH" if heading else "TD", scope="Column" if heading else None):
            return super()._render_table_cell(i, j, cell, *args, **kwargs)
