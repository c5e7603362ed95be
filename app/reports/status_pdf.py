"""Render a vaccination status answer (R11) unchanged as a PDF with the date and time it was asked."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.wording import dutch_date

OBJECTION_LABELS = {"1": "medisch bezwaar", "2": "afzien van deelname"}
OUTCOME_TITLES = {
    "FOUND": "Vaccinatiestatus",
    "NO_STATUS": "Geen vaccinatiestatus bekend",
    "CHILD_UNKNOWN": "Kind onbekend bij Praeventis",
}


def _day(value: date | None) -> str:
    return dutch_date(value) or "onbekend"


def _table(header: list[str], rows: list[list[str]]) -> Table:
    table = Table([header] + rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def status_sections(status: Any, name: Callable[[str], str]) -> list[tuple[str, list[str], list[list[str]]]]:
    """Return the answer's sections (title, header, rows) as shown on screen and in the PDF."""
    return [
        ("Gegeven en goedgekeurde vaccinaties", ["Datum", "Vaccinatie", "Partij"],
         [[_day(g.day), name(g.vaccine_code), g.lot_number or "-"] for g in status.given]),
        ("Bezwaren", ["Datum", "Vaccinatie", "Reden"],
         [[_day(o.day), name(o.vaccine_code), OBJECTION_LABELS.get(o.reason, o.reason or "onbekend")]
          for o in status.objections]),
        ("Geplande vaccinaties", ["Vaccinatie", "Streefdatum", "Geplande datum"],
         [[name(p.vaccine_code), _day(p.target_date), _day(p.planned_date)] for p in status.planned]),
    ]


def status_pdf(status: Any, asked_at: datetime, headline: str = "",
               vaccine_name: Callable[[str], str] | None = None, printed_at: datetime | None = None) -> bytes:
    """Return the PDF of a status answer.

    `status` is the parsed answer (app.outbox.hl7.status.VaccinationStatus: outcome, bsn, given, objections,
    planned, receiver_text); it is taken as plain data so reports need not import the outbox.
    """
    name = vaccine_name or (lambda code: code)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=18 * mm, bottomMargin=18 * mm, title="Vaccinatiestatus",
                                 author="Prikpost")
    outcome = getattr(status.outcome, "name", str(status.outcome))
    story: list = [
        Paragraph(escape(OUTCOME_TITLES.get(outcome, "Vaccinatiestatus")), styles["Title"]),
        Paragraph(escape(f"BSN: {status.bsn or 'onbekend'}"), styles["Normal"]),
        Paragraph(escape(f"Opgevraagd bij Praeventis op {dutch_date(asked_at)} om {asked_at:%H:%M:%S}"),
                  styles["Normal"]),
    ]
    if printed_at is not None:
        story.append(Paragraph(escape(f"Opgeslagen op {dutch_date(printed_at)} om {printed_at:%H:%M:%S}"),
                               styles["Normal"]))
    if headline:
        story += [Spacer(1, 4 * mm), Paragraph(f"<b>{escape(headline)}</b>", styles["Normal"])]
    if status.receiver_text:
        story.append(Paragraph(escape(f"Tekst van de ontvanger: {status.receiver_text}"), styles["Normal"]))
    sections = status_sections(status, name)
    for title, header, rows in sections:
        story += [Spacer(1, 6 * mm), Paragraph(escape(title), styles["Heading2"])]
        story.append(_table(header, rows) if rows else Paragraph("Geen.", styles["Normal"]))
    story += [Spacer(1, 8 * mm), Paragraph(
        "Dit overzicht is het antwoord van Praeventis zoals ontvangen; het is niet in Prikpost overgenomen.",
        styles["Italic"])]
    document.build(story)
    return buffer.getvalue()
