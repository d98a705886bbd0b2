"""HTML to PDF with WeasyPrint, for any app that prints a page: the HTML carries its own print
style sheet and every image inline, so nothing is fetched while the PDF is drawn."""

import io

from pypdf import PdfReader


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF building needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
