"""A TrueType-outline subset of a CJK font, so the PDF's text layer reads back correctly.

Why: the Noto CJK collections have CFF (PostScript) outlines keyed by CID. For such fonts
fpdf2 (2.8) numbers the glyphs it uses 1, 2, 3 … and embeds a custom ``/Encoding`` CMap
stream mapping those codes to the font's CIDs. Readers that only know the predefined
encodings do not apply that embedded CMap: pypdf splits the two-byte codes into single bytes
and looks each byte up in ``/ToUnicode``, so "每次投诉都给话费补偿" came back as
"每次投诉都客客客费…" once more than 255 glyphs were used, and as NUL-interleaved text below
that (review 2026-12, "PDF text layer"; Ghostscript 9.56-10.04 also mis-draws such fonts,
py-pdf/fpdf2#1952). Poppler's ``pdftotext`` did read it.

For TrueType outlines fpdf2 writes the standard form every reader understands: ``Identity-H``
encoding, a ``CIDToGIDMap`` and a ``/ToUnicode`` keyed by the same codes. So before drawing we
cut the face down to the characters the document uses and convert those glyphs' cubic
outlines to quadratic ones (fontTools' cu2qu, tolerance 1 unit of 1000/em: invisible at
print sizes). The page looks the same and the text layer is the text.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError

__all__ = ["FONT_PACKAGE", "FONT_PATHS", "PdfFontMissing", "find_cjk_font", "truetype_subset"]

FONT_PACKAGE = "fonts-noto-cjk"
#: (path, index in a .ttc collection: 2 = Simplified Chinese in Noto Sans CJK)
FONT_PATHS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
)


class PdfFontMissing(DomainError):
    pass


def find_cjk_font(paths: tuple[tuple[str, int], ...] = FONT_PATHS) -> tuple[str, int]:
    """``YUQI_PDF_FONT`` if set, else the first of ``paths`` installed: (path, face index)."""
    configured = os.environ.get("YUQI_PDF_FONT", "").strip()
    candidates = ((configured, 0),) if configured else paths
    for path, index in candidates:
        if path and Path(path).is_file():
            return path, index if path.lower().endswith(".ttc") else 0
    raise PdfFontMissing(
        _(
            "PDF export needs a Chinese font: install the Debian package %(package)s "
            "(apt-get install %(package)s) or set YUQI_PDF_FONT to a TrueType/OpenType font."
        )
        % {"package": FONT_PACKAGE},
        code="pdf_font_missing",
    )


#: Maximum distance between the cubic and the quadratic outline, in font units (1000/em).
CU2QU_TOLERANCE = 1.0


def truetype_subset(path: str, index: int, text: str) -> bytes:
    """The glyphs of ``text`` from face ``index`` of ``path``, as a TrueType-outline font.

    A font that already has TrueType outlines is only subset.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, fontNumber=index, recalcTimestamp=False, lazy=True)
    options = subset.Options(
        notdef_outline=True, recommended_glyphs=True, layout_features=[], hinting=False
    )
    options.desubroutinize = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(ch) for ch in text} | {0x20})
    subsetter.subset(font)

    if "CFF " in font:
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, CU2QU_TOLERANCE, reverse_direction=True))
            glyphs[name] = pen.glyph()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = glyphs
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        del font["CFF "]
        metrics = font["hmtx"].metrics
        for name in order:
            glyphs[name].recalcBounds(glyf)
            metrics[name] = (metrics[name][0], getattr(glyphs[name], "xMin", 0))
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.maxZones = 1
        for field in (
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
            "maxComponentDepth",
        ):
            setattr(maxp, field, 0)
        font["maxp"] = maxp
        font["post"].formatType = 3.0  # no glyph names: TrueType needs none
        font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
