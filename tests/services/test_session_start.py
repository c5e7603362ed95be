"""A session and its list of expected children are stored in one transaction: both, or neither."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.domain.errors import LotNotSelectable
from app.services.session_start import start_session
from app.services.sessions import list_sessions
from tests.conftest import make_setup

CSV = "BSN;Naam;Geboortedatum;Klas\n123456782;Anna de Vries;14-01-2014;7A\n999900183;Zoë Bakker;2-3-2014;7B\n"


def refuse_children(db) -> None:
    """Make the real database refuse any new child, as a full disk or a damaged table would mid-import."""
    if db.backend == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_child() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
            " LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_child BEFORE INSERT ON children FOR EACH ROW EXECUTE FUNCTION refuse_child()",
        ]
    else:
        statements = ["CREATE TRIGGER refuse_child BEFORE INSERT ON children"
                      " BEGIN SELECT RAISE(ABORT, 'disk full'); END"]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def audit_actions(db) -> list[str]:
    with db.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT action FROM audit_log ORDER BY id"))]


def test_the_session_and_its_children_are_stored_together(sc):
    started = start_session(sc, make_setup(), CSV.encode(), "klas.csv")
    assert started.report is not None and started.report.added == 2
    assert [s.id for s in list_sessions(sc)] == [started.session_id]
    assert audit_actions(sc.db)[-4:] == ["create_session", "import_child", "import_child", "import_expected_list"]


def test_a_session_without_a_list_has_no_import_report(sc):
    started = start_session(sc, make_setup())
    assert started.report is None and [s.id for s in list_sessions(sc)] == [started.session_id]


def test_a_failing_import_leaves_no_session_behind(sc):
    refuse_children(sc.db)
    with pytest.raises(DatabaseError, match="disk full"):
        start_session(sc, make_setup(), CSV.encode(), "klas.csv")
    assert list_sessions(sc) == []
    assert "create_session" not in audit_actions(sc.db)


def test_a_refused_lot_stores_nothing(sc):
    with pytest.raises(LotNotSelectable):
        start_session(sc, make_setup(vaccines=(("28", "ONBEKEND-1"),)), CSV.encode())
    assert list_sessions(sc) == []
