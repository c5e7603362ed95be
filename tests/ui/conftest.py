"""GUI fixtures: the real main window on a real database, with scripted answers to its questions."""

from __future__ import annotations

import pytest

from app.context import AppContext
from app.domain.clock import FixedClock
from app.domain.registration import ObjectionReason
from app.domain.roles import Role
from app.services import users
from app.ui.dialogs import ReasonChoice
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer
from tests.conftest import TODAY
from tests.organisation import write_configured
from tests.store_access import connect


class ScriptedPrompts:
    """Answers the window's questions like a user would; records what was asked."""

    def __init__(self):
        self.answers: dict[str, list] = {}
        self.errors: list[str] = []
        self.asked: list[tuple[str, object]] = []
        self.offered = None  # the vaccines the last removal or objection question offered

    def script(self, question: str, *answers) -> None:
        self.answers.setdefault(question, []).extend(answers)

    def _answer(self, question: str, detail):
        self.asked.append((question, detail))
        return self.answers[question].pop(0)

    def removal_reason(self, names, vaccines=None):
        """Answer a reason (every vaccine) or a ReasonChoice; the offered vaccines are kept in `offered`."""
        self.offered = vaccines
        answer = self._answer("removal_reason", names)
        return ReasonChoice(answer) if isinstance(answer, str) else answer

    def objection(self, names, vaccines=None):
        self.offered = vaccines
        answer = self._answer("objection", names)
        return ReasonChoice(answer) if isinstance(answer, ObjectionReason) else answer

    def correction(self, name, vaccines, current, lot_check=None):
        return self._answer("correction", (name, current))

    def child_details(self, title, details):
        return self._answer("child_details", title)

    def confirm(self, title, text, yes):
        return self._answer("confirm", text)

    def error(self, message):
        self.errors.append(message)

    def info(self, title, message):
        self.asked.append(("info", message))

    def import_problems(self, summary, problems):
        self.asked.append(("import_problems", (summary, [(p.line, p.reason) for p in problems])))

    def open_file(self, title, filters):
        return self._answer("open_file", title)

    def choose(self, title, label, items):
        return self._answer("choose", items)

    def text(self, title, label):
        return self._answer("text", label)

    def secret(self, title, label):
        return self._answer("secret", label)


@pytest.fixture
def gui_context(tmp_path):
    from datetime import datetime

    write_configured(tmp_path)  # an organisation that filled in what Praeventis needs
    # The team's own database as users have it: encrypted, its first user a professional who is also beheerder.
    unlocked = users.create_first_user(tmp_path / "gui.sqlite", "verpleegkundige", "een lange zin voor de tests",
                                       "Test Verpleegkundige", frozenset({Role.PROFESSIONAL, Role.BEHEERDER}),
                                       big_number=users.DEMO_BIG, uzi_number=users.DEMO_UZI,
                                       role_code=users.DEMO_ROLE_CODE)
    context = AppContext.open(tmp_path / "gui.sqlite", settings_path=tmp_path / "settings.json", unlocked=unlocked,
                              clock=FixedClock(datetime.combine(TODAY, datetime.min.time()).replace(hour=9)))
    yield context
    context.close()


@pytest.fixture
def prompts():
    return ScriptedPrompts()


@pytest.fixture
def plain_gui_context(tmp_path):
    """A plain database as an older version made them: no users, nobody signed in, nothing to unlock with."""
    from app.store.engine import Database

    write_configured(tmp_path)
    Database(tmp_path / "oud.sqlite").close()
    context = AppContext.open(tmp_path / "oud.sqlite", settings_path=tmp_path / "settings.json")
    yield context
    context.close()


@pytest.fixture
def make_window(qtbot, gui_context, prompts):
    def make(context=None):
        window = MainWindow(context or gui_context, prompts=prompts, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def complete_unnamed(window, prompts) -> list[str]:
    """Complete, through Kind › Gegevens kind aanvullen, every child of the session scanned without name or birth
    date (the message needs both); return their BSNs."""

    rows = connect(window.context.db).execute(
        "select bsn from children where session_id = ? and (name = '' or birth_date is null)",
        (window.session_id,)).fetchall()
    for (bsn,) in rows:
        window.view.select_bsn(bsn)
        assert [c.bsn for c in window.selected_children()] == [bsn]
        prompts.script("child_details", (f"Kind {bsn[-3:]} van Dijk", "01-02-2012", "F", "1234ab"))
        window.actions.all["complete_child"].trigger()
    return [bsn for (bsn,) in rows]
