"""GUI fixtures: the real main window on a real database, with scripted answers to its questions."""

from __future__ import annotations

import pytest

from app.context import AppContext
from app.domain.clock import FixedClock
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer
from tests.conftest import TODAY


class ScriptedPrompts:
    """Answers the window's questions like a user would; records what was asked."""

    def __init__(self):
        self.answers: dict[str, list] = {}
        self.errors: list[str] = []
        self.asked: list[tuple[str, object]] = []

    def script(self, question: str, *answers) -> None:
        self.answers.setdefault(question, []).extend(answers)

    def _answer(self, question: str, detail):
        self.asked.append((question, detail))
        return self.answers[question].pop(0)

    def removal_reason(self, names):
        return self._answer("removal_reason", names)

    def objection(self, names):
        return self._answer("objection", names)

    def correction(self, name, vaccines, current, lot_check=None):
        return self._answer("correction", (name, current))

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

    def secret(self, title, label):
        return self._answer("secret", label)


@pytest.fixture
def gui_context(tmp_path):
    from datetime import datetime

    context = AppContext.open(tmp_path / "gui.sqlite", settings_path=tmp_path / "settings.json",
                              clock=FixedClock(datetime.combine(TODAY, datetime.min.time()).replace(hour=9)))
    yield context
    context.close()


@pytest.fixture
def prompts():
    return ScriptedPrompts()


@pytest.fixture
def make_window(qtbot, gui_context, prompts):
    def make():
        window = MainWindow(gui_context, prompts=prompts, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make
