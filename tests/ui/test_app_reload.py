"""Pilot tests of live reload and of problems: the app keeps progress and runs on the rest."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.message import Message

from tests.conftest import MakeApp, copy_curriculum, notifications, wait_loaded
from tracker.domain.curriculum import Severity
from tracker.ui.messages import CurriculumLoaded
from tracker.ui.screens.problems import ProblemsScreen

SIZE = (100, 30)

NEW_ITEM = """
  - id: w3-post
    resource: perceptron-post
"""


def _touch_later(path: Path) -> None:
    """Moves the file's mtime a second on, as an editor's save would (coarse clocks)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_an_edited_yaml_file_reloads_with_progress_intact(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    app = make_app(root)
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        app.record(app.store.mark, ["llm-book/2.6"], True)
        assert not app.check_files()  # nothing changed on disk yet
        meeting = root / "assignments" / "2024-04-16.yaml"
        text = meeting.read_text(encoding="utf-8").replace("sections: 3.1, 3.2", "sections: 3.1")
        meeting.write_text(text + NEW_ITEM, encoding="utf-8")
        _touch_later(meeting)
        revision = app.revision
        assert app.check_files()
        await wait_loaded(app, pilot, revision)
        assert app.curriculum is not None
        assert "w3-post" in [i.id for i in app.curriculum.items]
        assert app.states["llm-book/2.6"].is_done
        messages = [n.message for n in notifications(seen, "Curriculum reloaded")]
        assert messages == ["2024-04-16.yaml: 1 item added, 1 changed"]


async def test_the_watch_timer_notices_a_change_by_itself(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    app = make_app(root, watch=True)
    reloaded = asyncio.Event()

    def hook(message: Message) -> None:
        if isinstance(message, CurriculumLoaded) and message.is_reload:
            reloaded.set()

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await wait_loaded(app, pilot)
        meeting = root / "assignments" / "2024-04-16.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8") + NEW_ITEM, encoding="utf-8")
        _touch_later(meeting)
        revision = app.revision
        await asyncio.wait_for(reloaded.wait(), timeout=60)  # the 0.5 s poll starts the reload
        await wait_loaded(app, pilot, revision)
        assert "w3-post" in [i.id for i in app.curriculum.items]  # type: ignore[union-attr]


async def test_a_broken_file_shows_under_problems_while_the_rest_loads(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    (root / "assignments" / "2024-04-16.yaml").write_text(
        "date: 2024-04-16\nitems:\n  - resource: llm-book\n    sectons: 3.1\n  - [unclosed\n",
        encoding="utf-8",
    )
    app = make_app(root)
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        curriculum = app.curriculum
        assert curriculum is not None and curriculum.has_errors
        assert {m.date.isoformat() for m in curriculum.meetings} >= {"2024-04-01", "2024-04-08"}
        assert any(n.severity == "error" for n in notifications(seen))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listing = app.screen.query_one("#problems")
        errors = [p for p in curriculum.problems if p.severity is Severity.ERROR]
        assert listing.option_count == len(curriculum.problems) >= len(errors) >= 1
        assert all("2024-04-16.yaml" in p.location.path for p in errors)


async def test_a_missing_curriculum_is_a_problem_not_a_crash(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(tmp_path / "nowhere")
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.curriculum is not None and app.curriculum.has_errors
        assert app.curriculum.meetings == ()


async def test_a_renamed_topic_shows_its_new_title_in_discuss(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tracker.ui.screens.discuss import DiscussScreen, TopicRow

    root = copy_curriculum(tmp_path)
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        assert "08/04  On contiguity" in [r.words for r in screen.query(TopicRow)]
        meeting = root / "assignments" / "2024-04-08.yaml"
        text = meeting.read_text(encoding="utf-8")
        meeting.write_text(text.replace("title: On contiguity", "title: Strides"), encoding="utf-8")
        _touch_later(meeting)
        revision = app.revision
        assert app.check_files()
        await wait_loaded(app, pilot, revision)
        words = [r.words for r in screen.query(TopicRow)]
        assert "08/04  Strides" in words and "08/04  On contiguity" not in words
