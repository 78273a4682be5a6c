"""Provides `AgendaScreen`, the home screen: what is due for the next meeting, in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from tracker.ui.screens.base import NARROW, TrackerScreen
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.meeting_header import MeetingHeader

if TYPE_CHECKING:
    from datetime import date

    from tracker.domain.agenda import Agenda
    from tracker.domain.curriculum import Curriculum
    from tracker.ui.widgets.discuss_list import DiscussList
    from tracker.ui.widgets.part_checklist import PartChecklist

__all__ = ["AgendaScreen"]


class AgendaScreen(TrackerScreen):
    """The next meeting: its items with progress, what carried over, what to discuss (its topics
    and the quiz cards that keep lapsing), the mentor's TODOs.

    The first frame shows only the heading ("Loading…") and the footer; the lists are mounted
    when the curriculum arrives, so that the app's first frame costs little more than an empty
    app's.
    """

    def compose(self) -> ComposeResult:
        yield MeetingHeader(id="heading")

    def __init__(self) -> None:
        super().__init__()
        self._built: tuple[object, object, date, Agenda] | None = None
        """The last agenda built, with the curriculum, states and date it was built from."""
        self._ticked_here: set[str] = set()
        """The mentor's TODOs ticked on this screen since it was shown: they stay listed, ticked,
        until the screen is left (the agenda drops an earlier meeting's TODO once done)."""

    def _agenda(self, curriculum: Curriculum) -> Agenda:
        """The agenda of `curriculum` and the app's states today, built once for each of them
        (the first load draws the screen twice: the heading, then the lists once mounted)."""
        from tracker.domain.agenda import build_agenda

        app = self.tracker
        built = self._built
        if built and built[0] is curriculum and built[1] is app.states and built[2] == app.today:
            return built[3]
        agenda = build_agenda(curriculum, app.states, app.today)
        self._built = (curriculum, app.states, app.today, agenda)
        return agenda

    def on_mount(self) -> None:
        self.call_after_refresh(self.mount, KeyFooter(compact=self.size.width < NARROW))

    def update_view(self) -> None:
        app = self.tracker
        heading = self.query_one(MeetingHeader)
        if app.curriculum is None:
            heading.show(None, app.lang)
            return
        from tracker.domain.leeches import leeches
        from tracker.ui.widgets.agenda_view import AgendaView

        agenda = self._agenda(app.curriculum)
        errors = sum(p.severity == "error" for p in app.curriculum.problems)
        heading.show(agenda, app.lang, errors, bundled=app.is_bundled)
        views = self.query(AgendaView)
        view = views.first() if views else AgendaView(id="agenda-body")
        if not views:
            self.mount(view, after=heading)
        lapsing = leeches(app.curriculum, app.store) if app.is_ready else []
        view.show(agenda, app.curriculum, app.lang, lapsing, app.clock.day_of, self._ticked_here)
        if not views:
            view.focus_first()  # before the first frame with the lists: one frame, not two

    def on_screen_suspend(self) -> None:
        """Leaving the screen lets the TODOs ticked on it go (drawn again on the way back)."""
        super().on_screen_suspend()
        if self._ticked_here:
            self._ticked_here.clear()
            self.is_stale = True

    async def on_discuss_list_opened(self, event: DiscussList.Opened) -> None:
        """A topic (or a lapsing card) was chosen: show it in Discuss."""
        await self.tracker.action_section("discuss")
        if event.topic_id is not None:
            from tracker.ui.screens.discuss import DiscussScreen

            screen = self.tracker.screen
            if isinstance(screen, DiscussScreen):
                screen.select_topic(event.topic_id)

    def on_part_checklist_ticked(self, event: PartChecklist.Ticked) -> None:
        """A mentor TODO was ticked (the only checklist on this screen): it is the mentor's
        follow-up, so a notification says so (a tick by mistake is one ctrl+z away), and it
        stays listed, ticked, until the screen is left."""
        from tracker.domain.terminal_text import inert
        from tracker.ui.widgets.agenda_view import AgendaView

        app = self.tracker
        todo = self.query_one(AgendaView).todo(event.key)
        if event.is_done:
            self._ticked_here.add(event.key)
        app.record(app.store.mark, [event.key], event.is_done)
        if todo is not None:
            verb = "Ticked" if event.is_done else "Unticked"
            words = inert(todo.text.get(app.lang))
            message = f"{verb} the mentor's TODO “{words}” · ctrl+z undoes"
            app.notify(message, title="Mentor's TODO", markup=False)
