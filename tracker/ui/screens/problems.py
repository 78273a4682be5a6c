"""Provides `ProblemsScreen`: the loader's located problems, and progress kept for removed ids."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tracker.domain.curriculum import Location, Severity, format_hms
from tracker.domain.progress import PartState
from tracker.domain.spans import furthest, spans_of
from tracker.ui.labels import where
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.key_footer import KeyFooter

__all__ = ["ProblemsScreen"]


class ProblemsScreen(TrackerScreen):
    """Every problem as `file:line:col: severity: message`, errors first.

    Below them, the progress recorded under ids the YAML no longer has: it is kept, never
    deleted, so a renamed or removed item can be put back without losing anything.
    """

    DEFAULT_CSS = """
    ProblemsScreen #problems { height: auto; max-height: 100%; margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Problems", id="problems-title", classes="section-title")
        yield OptionList(id="problems")
        yield KeyFooter()

    def update_view(self) -> None:
        curriculum = self.tracker.curriculum
        listing = self.query_one("#problems", OptionList)
        title = self.query_one("#problems-title", Label)
        listing.clear_options()
        if curriculum is None:
            title.update("Problems (loading…)")
            return
        problems = sorted(
            curriculum.problems, key=lambda p: (p.severity is not Severity.ERROR, p.location)
        )
        errors = sum(p.severity is Severity.ERROR for p in problems)
        title.update(
            f"Problems: {errors} error{'s' * (errors != 1)}, "
            f"{len(problems) - errors} warning{'s' * (len(problems) - errors != 1)}"
            " (fix the YAML: the app reloads it by itself)"
        )
        if not problems:
            listing.add_option(Option("No problems: the curriculum is clean.", disabled=True))
        for problem in problems:
            style = "bold red" if problem.severity is Severity.ERROR else "yellow"
            line = RichText()
            line.append(self._where(problem.location), style="bold")
            line.append(": ")
            line.append(str(problem.severity), style=style)
            line.append(f": {problem.message}")
            listing.add_option(Option(line))
        orphans: list[PartState] = self.tracker.read_store(
            lambda: self.tracker.store.orphans(curriculum.progress_keys()), []
        )
        if orphans:
            listing.add_option(
                Option(
                    RichText(
                        f"Progress kept for {len(orphans)} id{'s' * (len(orphans) != 1)} "
                        "no longer in the curriculum (restore the id in the YAML to see it again):",
                        style="bold",
                    ),
                    disabled=True,
                )
            )
            for state in orphans:
                reached = furthest(spans_of(state.watched, state.position)) or 0
                what = "done" if state.is_done else f"at {format_hms(reached)}"
                when = f" · {state.updated:%d/%m/%Y}" if state.updated else ""
                listing.add_option(Option(RichText(f"  {state.key}: {what}{when}"), disabled=True))

    def _where(self, location: Location) -> str:
        """`file:line:col`, the file relative to the curriculum's root where it is inside it."""
        return where(location, self.tracker.root)
