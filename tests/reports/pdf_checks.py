"""Reading our PDFs back as a reader would: text, embedded fonts, where the characters sit, the QR code."""

from __future__ import annotations

import io

import pypdf
import pypdfium2 as pdfium

from consultant_app.reports.layout import MARGIN, PAGE_SIZE


def pdf_text(data: bytes) -> str:
    """The text of every page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _fonts(resources, seen: set[int]) -> list:
    """Every font object reachable from a resource dictionary, into Form XObjects at any depth."""
    if resources is None:
        return []
    resources = resources.get_object()
    found = [ref.get_object() for ref in (resources.get("/Font") or {}).values()] if "/Font" in resources else []
    for ref in (resources.get("/XObject").get_object().values() if "/XObject" in resources else ()):
        xobject = ref.get_object()
        key = getattr(ref, "idnum", id(xobject))
        if xobject.get("/Subtype") == "/Form" and key not in seen:
            seen.add(key)
            found += _fonts(xobject.get("/Resources"), seen)
    return found


def assert_every_font_embedded(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    fonts = [font for page in reader.pages for font in _fonts(page.get("/Resources"), set())]
    assert fonts, "no fonts found: the walk is broken"
    for font in fonts:
        names.add(str(font["/BaseFont"]))
        # A composite font keeps its glyphs in its descendant; a simple TrueType font in its own descriptor.
        described = [d.get_object() for d in font["/DescendantFonts"]] if font["/Subtype"] == "/Type0" else [font]
        for descendant in described:
            assert "/FontDescriptor" in descendant, f"{font['/BaseFont']} has no descriptor: not embedded"
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), f"{font['/BaseFont']} not embedded"
    assert not any("Helvetica" in name or "Times" in name or "Courier" in name for name in names), names
    assert all("NanumGothic" in name for name in names), names
    return names



def assert_text_inside_margins(data: bytes, *, tolerance: float = 0.5) -> list[str]:
    """Every character box on every page lies inside the margins (the footer alone in the bottom one)."""
    width, height = PAGE_SIZE
    document = pdfium.PdfDocument(data)
    page_texts = []
    try:
        for page in document:
            textpage = page.get_textpage()
            page_texts.append(textpage.get_text_range())
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                left, bottom, right, top = textpage.get_charbox(index)
                if char.isspace() or (right - left) * (top - bottom) == 0:
                    continue  # line breaks and spaces pdfium makes up have no box
                assert MARGIN - tolerance <= left and right <= width - MARGIN + tolerance, (char, left, right)
                assert top <= height - MARGIN + tolerance, (char, top)
                if bottom < MARGIN - tolerance:  # only the footer line sits in the bottom margin
                    assert top < MARGIN * 0.75 and bottom > 0, (char, bottom, top)
            textpage.close()
            page.close()
    finally:
        document.close()
    return page_texts


def decode_qr_codes(data: bytes, *, page: int = 0, scale: float = 4.0) -> list[str]:
    """The text of every QR code zxing-cpp finds on the rendered page."""
    import numpy
    import zxingcpp

    document = pdfium.PdfDocument(data)
    try:
        image = document[page].render(scale=scale, grayscale=True).to_numpy()
    finally:
        document.close()
    image = numpy.ascontiguousarray(image.reshape(image.shape[0], image.shape[1]))
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
