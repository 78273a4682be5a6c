"""Quiz files' titles reach the domain, so screens and the report can name a topic."""

from __future__ import annotations

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.domain.curriculum import Text


def test_bundled_quiz_titles_are_loaded() -> None:
    curriculum = load_curriculum(ROOT, use_cache=False)
    assert curriculum.quiz_titles, "the bundled quizzes have titles"
    for topic, title in curriculum.quiz_titles.items():
        assert curriculum.topic_title(topic) == title
        assert title.get("en")


def test_topic_title_falls_back_to_the_meeting_topic_then_the_id() -> None:
    curriculum = load_curriculum(ROOT, use_cache=False)
    meeting_topic = curriculum.meetings[1].topics[0]
    if meeting_topic.id not in curriculum.quiz_titles:
        assert curriculum.topic_title(meeting_topic.id) == meeting_topic.title
    assert curriculum.topic_title("no-such-topic") == Text(en="no-such-topic")
