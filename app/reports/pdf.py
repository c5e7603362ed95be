"""Draw a laid-out report as PDF with reportlab."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from .fonts import BOLD, REGULAR, measure, register_fonts
from .layout import Layout, Rule, Shade, Text, lay_out
from .model import Report


def _draw(canvas: Canvas, layout: Layout) -> None:
    height = layout.height
    for page in layout.pages:
        for step in page.steps:
            if isinstance(step, Text):
                canvas.setFont(BOLD if step.bold else REGULAR, step.size)
                if step.align_right:
                    canvas.drawRightString(step.x, height - step.y, step.text)
                else:
                    canvas.drawString(step.x, height - step.y, step.text)
            elif isinstance(step, Rule):
                canvas.setStrokeGray(step.gray)
                canvas.setLineWidth(step.width)
                canvas.line(step.x1, height - step.y1, step.x2, height - step.y2)
            elif isinstance(step, Shade):
                canvas.setFillGray(step.gray)
                canvas.rect(step.x, height - step.y - step.height, step.width, step.height, stroke=0, fill=1)
                canvas.setFillGray(0)
        canvas.showPage()


def report_pdf(report: Report) -> bytes:
    """Return the report as PDF bytes (A4 landscape, 'pagina x van N' on every page)."""
    register_fonts()
    layout = lay_out(report, measure)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width, layout.height), pageCompression=1)
    canvas.setTitle(report.title)
    canvas.setAuthor("Prikpost")
    canvas.setSubject(report.footer)
    _draw(canvas, layout)
    canvas.save()
    return buffer.getvalue()
