"""Render the report of a closed-out session as a PDF: the record a team signs and keeps."""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.services.session_report import SessionReportFacts

from .model import dutch_date, dutch_datetime


def _table(rows: list[list[str]], header: bool = True) -> Table:
    table = Table(rows, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                  ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5"))]
    table.setStyle(TableStyle(style))
    return table


def session_report_pdf(facts: SessionReportFacts, printed_at: datetime) -> bytes:
    """Return the PDF of the session report."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title="Sessierapport", author="Prikpost")
    text = styles["Normal"]
    story: list = [
        Paragraph(escape(f"Sessierapport {facts.location} – {dutch_date(facts.day)}"), styles["Title"]),
        _table([["Organisatie", facts.organisation], ["School", facts.location],
                ["Datum", dutch_date(facts.day)], ["Registratie", facts.mode_label],
                ["Vaccins", ", ".join(facts.vaccines)],
                ["Begonnen", dutch_datetime(facts.created_at)],
                ["Afgesloten", dutch_datetime(facts.closed_at) or "nog niet afgesloten"],
                ["Team", ", ".join(facts.team) or "-"],
                ["Geaccordeerd door", ", ".join(facts.accorded_by) or "-"]], header=False),
        Spacer(1, 6 * mm), Paragraph("Uitkomsten (kinderen)", styles["Heading2"]),
        _table([["Uitkomst", "Aantal"]] + [[label, str(count)] for label, count in facts.outcomes]),
        Spacer(1, 6 * mm), Paragraph("Doses per partij", styles["Heading2"]),
    ]
    if facts.lots:
        story.append(_table([["Vaccin", "Partij", "Houdbaar tot", "Doses", "In gebruik"]] + [
            [use.vaccine_name, use.label, dutch_date(use.expiry) or "-", str(use.doses), use.times() or "-"]
            for use in facts.lots]))
    else:
        story.append(Paragraph("Geen doses gegeven.", text))
    if facts.waived:
        story += [Spacer(1, 6 * mm), Paragraph("Bewust overgeslagen bij het afsluiten", styles["Heading2"]),
                  Paragraph(escape("; ".join(facts.waived)), text)]
    story += [Spacer(1, 12 * mm),
              Paragraph(escape(f"Afgesloten door: {facts.closed_by or '-'}"), text), Spacer(1, 10 * mm),
              Paragraph("Handtekening: ______________________________", text), Spacer(1, 4 * mm),
              Paragraph(escape(f"Gemaakt door Prikpost op {dutch_datetime(printed_at)}."), styles["Italic"])]
    document.build(story)
    return buffer.getvalue()
