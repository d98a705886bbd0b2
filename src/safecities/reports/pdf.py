"""HTML to PDF with WeasyPrint: the report templates carry their own print style sheet
(`reports/pdf/print.css`: cover, table of contents with page numbers, running page numbers),
and the charts are the same inline SVG as on the web page, so nothing is fetched.

WeasyPrint draws an inline SVG as an image of its own, without the page's CSS: the charts'
rules (`reports/pdf/charts.css`) are put into each chart's `<svg>`.
"""

import io
import re
from functools import cache

from django.template.loader import get_template
from pypdf import PdfReader

CHART_SVG = re.compile(r'(<svg\b[^>]*class="sc-chart__svg\b[^"]*"[^>]*>)')


@cache
def _chart_css() -> str:
    return get_template("reports/pdf/charts.css").template.source


def with_chart_style(html: str) -> str:
    return CHART_SVG.sub(lambda m: f"{m.group(1)}<style>{_chart_css()}</style>", html)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF building needs.
    from weasyprint import HTML

    return HTML(string=with_chart_style(html), base_url=None).write_pdf()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
