"""Pilot tests of a topic's notes as pasted: math shows as Unicode, tab bullets as a list."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Markdown
from textual.widgets._markdown import MarkdownBulletList, MarkdownFence

from tests import conftest
from tests.conftest import MakeApp
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.topic_view import TopicView

MEETING = """\
date: 2024-04-20
discuss:
  - id: pasted-logits
    notes: |
      On logits: $\\sigma(x) = \\frac{1}{1 + e^{-x}}$ maps $x$ to a probability.
      \t- the logit is its inverse:
      \t\t- $\\text{logit}(p) = \\log\\left(\\frac{p}{1-p}\\right)$
      \t- from $-\\infty$ to $+\\infty$
  - id: titled
    title: Strides
    notes: Why `.view` needs them.
"""


async def _show(app: object, pilot: object, topic_id: str, words: str) -> TopicView:
    """Selects the topic and waits until its notes (holding `words`) are drawn."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, DiscussScreen)
    screen.select_topic(topic_id)
    view = screen.query_one(TopicView)
    for _ in range(100):
        await pilot.pause()  # type: ignore[attr-defined]
        if any(words in markdown.source for markdown in view.query(Markdown)):
            return view
    raise AssertionError(f"topic {topic_id} was not shown")


async def test_pasted_math_and_tab_bullets_show_as_unicode_and_a_list(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = conftest.copy_curriculum(tmp_path)
    (root / "assignments" / "2024-04-20.yaml").write_text(MEETING, encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await conftest.wait_loaded(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        view = await _show(app, pilot, "pasted-logits", "On logits")
        markdown = view.query_one(Markdown)
        source = markdown.source
        assert "σ(x) = 1/(1 + e⁻ˣ)" in source
        assert "logit(p) = log(p/(1-p))" in source
        assert "from -∞ to +∞" in source
        assert "$" not in source and "\\frac" not in source
        await pilot.pause()
        assert markdown.query(MarkdownBulletList), "the tab-indented bullets are a list"
        assert not markdown.query(MarkdownFence), "not a cut-off code block"
        # untitled: the first line is the title in the list, not repeated above the notes
        assert not view.query(".topic-title")
        rows = [str(label.render()) for label in app.screen.query("#topics Label")]
        assert any(
            r.endswith("On logits: σ(x) = 1/(1 + e⁻ˣ) maps x to a probability.") for r in rows
        ), rows

        view = await _show(app, pilot, "titled", "Why")
        titles = [str(label.render()) for label in view.query(".topic-title").results(Label)]
        assert titles == ["Strides"]
