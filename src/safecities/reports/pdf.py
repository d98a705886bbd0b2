"""HTML to PDF with WeasyPrint: the report templates carry their own print style sheet
(`reports/pdf/print.css`: cover, table of contents with page numbers, running page numbers),
and the charts are the same inline SVG as on the web page, so nothing is fetched.

WeasyPrint draws an inline SVG as an image of its own, without the page's CSS: the charts'
rules (`reports/pdf/charts.css`) are put into each chart's `<svg>`.
"""

import re
from functools import cache

from django.template.loader import get_template

from safecities.core import pdf

CHART_SVG = re.compile(r'(<svg\b[^>]*class="sc-chart__svg\b[^"]*"[^>]*>)')


@cache
def _chart_css() -> str:
    return get_template("reports/pdf/charts.css").template.source


def with_chart_style(html: str) -> str:
    return CHART_SVG.sub(lambda m: f"{m.group(1)}<style>{_chart_css()}</style>", html)


def html_to_pdf(html: str) -> bytes:
    return pdf.html_to_pdf(with_chart_style(html))


page_count = pdf.page_count
