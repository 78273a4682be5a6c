"""Progress under an id that leaves the YAML is kept, shown under Problems, and comes back."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import MakeApp, copy_curriculum, wait_loaded
from tracker.ui.screens.problems import ProblemsScreen


def _save(path: Path, text: str) -> None:
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_removed_items_keep_their_progress_and_are_listed(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    app = make_app(root)
    meeting = root / "assignments" / "2024-04-16.yaml"
    original = meeting.read_text(encoding="utf-8")
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        app.record(app.store.mark, ["llm-book/3.1"], True)

        _save(meeting, original.replace("sections: 3.1, 3.2", "sections: 3.2"))
        revision = app.revision
        assert app.check_files()
        await wait_loaded(app, pilot, revision)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listing = app.screen.query_one("#problems")
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("Progress kept for 1 id no longer in the curriculum" in s for s in shown)
        assert any(s.strip().startswith("llm-book/3.1: done") for s in shown)

        _save(meeting, original)
        revision = app.revision
        assert app.check_files()
        await wait_loaded(app, pilot, revision)
        assert app.states["llm-book/3.1"].is_done  # the id is back, and so is its progress
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert not any("llm-book/3.1" in s for s in shown)
