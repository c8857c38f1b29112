"""The .pptx file itself, written with python-pptx (imported only here, so only a deck loads it).

Each diagram is a picture whose main image is the PNG and which carries the SVG
as an ``asvg:svgBlip`` extension of its blip, the way PowerPoint 365 stores an
SVG: PowerPoint draws the vector, LibreOffice, Keynote and older programs the
PNG. Same input, same bytes: the document's dates come from
``SOURCE_DATE_EPOCH`` (else 1970) and every zip entry gets one fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Emu, Inches, Pt

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in: PowerPoint's own 16:9
TEMPLATE_WIDTH = 9_144_000  # python-pptx's default template is 4:3, 10 in wide
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # the extension URI PowerPoint writes for an SVG image
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold

# Where things sit on a diagram slide, in inches.
MARGIN = 0.35
TITLE_TOP, TITLE_HEIGHT = 0.15, 0.8
PICTURE_TOP = TITLE_TOP + TITLE_HEIGHT + 0.1
MAX_ENLARGE = 2.0  # a small diagram grows to at most twice its natural size, so its text stays in proportion
_HEX = re.compile(r"^#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?$")

TITLE_SLIDE, TITLE_ONLY = 0, 5  # layouts of the default template


@dataclass(frozen=True)
class Look:
    """The theme's page as a slide shows it: background and text colours (RRGGBB) and the font."""

    background: str | None = None
    text: str | None = None
    font: str | None = None


@dataclass(frozen=True)
class Picture:
    """One diagram slide."""

    title: str
    png: bytes
    svg: bytes
    scale: float  # PNG pixels per CSS pixel, to find the diagram's natural size
    notes: str
    alt: str


@dataclass(frozen=True)
class Section:
    """A case study: its title slide, then its diagram slides."""

    title: str
    subtitle: list[str]
    notes: str
    pictures: list[Picture] = field(default_factory=list)


def hex_colour(value: str | None) -> str | None:
    """``#RRGGBB`` (or ``#RRGGBBAA``) -> ``RRGGBB``; a colour name gives None (the template's colour stays)."""
    m = _HEX.match(value or "")
    return m.group(1).upper() if m else None


def build(sections: list[Section], look: Look, *, title: str) -> bytes:
    """The whole deck as .pptx bytes."""
    prs = Presentation()
    _widen(prs)
    if look.background:
        fill = prs.slide_master.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(look.background)
    for section in sections:
        _title_slide(prs, section, look)
        for picture in section.pictures:
            _diagram_slide(prs, picture, look)
    _fix_properties(prs, title)
    out = io.BytesIO()
    prs.save(out)
    return _fixed_zip(out.getvalue())


def _widen(prs) -> None:
    """16:9 slides, with the template's master and layouts stretched to match (they are drawn for 4:3)."""
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    factor = SLIDE_WIDTH / TEMPLATE_WIDTH
    for shapes in [prs.slide_master.shapes, *(layout.shapes for layout in prs.slide_layouts)]:
        for shape in shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _style(text_frame, look: Look, size: float, *, bold: bool = False) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.CENTER
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if look.font:
                run.font.name = look.font
            if look.text:
                run.font.color.rgb = RGBColor.from_string(look.text)


def _place(shape, left: float, top: float, width: float, height: float) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)


def _notes(slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = text


def _title_slide(prs, section: Section, look: Look) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    width = SLIDE_WIDTH / Inches(1) - 2 * 1.0
    heading, sub = slide.shapes.title, slide.placeholders[1]
    heading.text = section.title
    _place(heading, 1.0, 1.4, width, 2.3)  # grows upwards from the middle of the slide
    _style(heading.text_frame, look, 40, bold=True)
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    sub.text = "\n".join(section.subtitle)
    _place(sub, 1.0, 3.9, width, 2.8)
    _style(sub.text_frame, look, 20)
    sub.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for paragraph in sub.text_frame.paragraphs[1:]:
        paragraph.space_before = Pt(10)
        for run in paragraph.runs:
            run.font.size = Pt(16)
    _notes(slide, section.notes)


def _diagram_slide(prs, picture: Picture, look: Look) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide_w, slide_h = SLIDE_WIDTH / Inches(1), SLIDE_HEIGHT / Inches(1)
    heading = slide.shapes.title
    heading.text = picture.title
    _place(heading, MARGIN, TITLE_TOP, slide_w - 2 * MARGIN, TITLE_HEIGHT)
    _style(heading.text_frame, look, 28)

    # Fit the picture into the area under the title, centred, keeping its proportions.
    px_w, px_h = png_size(picture.png)
    natural_w, natural_h = px_w / (96 * picture.scale), px_h / (96 * picture.scale)  # inches
    area_w, area_h = slide_w - 2 * MARGIN, slide_h - PICTURE_TOP - MARGIN
    k = min(area_w / natural_w, area_h / natural_h, MAX_ENLARGE)
    w, h = natural_w * k, natural_h * k
    left, top = (slide_w - w) / 2, PICTURE_TOP + (area_h - h) / 2
    pic = slide.shapes.add_picture(io.BytesIO(picture.png), Inches(left), Inches(top), Inches(w), Inches(h))
    pic.name = "Diagram"
    pic._element.nvPicPr.cNvPr.set("descr", picture.alt)
    _add_svg(slide, pic, picture.svg)
    _notes(slide, picture.notes)


def _add_svg(slide, pic, svg: bytes) -> None:
    """Attach the SVG to the picture as PowerPoint does: an svgBlip extension, the PNG staying the fallback."""
    package = slide.part.package
    part = Part(package.next_image_partname("svg"), "image/svg+xml", package, svg)
    rid = slide.part.relate_to(part, RT.IMAGE)
    pic._element.blipFill.blip.append(parse_xml(
        f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
        f'<asvg:svgBlip xmlns:asvg="{ASVG}" r:embed="{rid}"/></a:ext></a:extLst>'))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def source_date() -> dt.datetime:
    """SOURCE_DATE_EPOCH (reproducible builds), else 1970: as for the renderer's PDFs."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        epoch = 0
    return dt.datetime.fromtimestamp(max(epoch, 0), dt.timezone.utc).replace(tzinfo=None)


def _fix_properties(prs, title: str) -> None:
    props = prs.core_properties
    date = source_date()
    props.title = title
    props.author = props.last_modified_by = "mlsd-diagrams"
    props.created = props.modified = date
    props.revision = 1
    props.comments = props.keywords = props.subject = props.category = ""


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated ZIP_TIME, so the bytes do not depend on when it was made."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info))
    return out.getvalue()
