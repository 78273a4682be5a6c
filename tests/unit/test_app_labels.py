"""Tests for tracker.ui.labels: how the app puts times, items and URLs into words (no Textual)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.domain.curriculum import Chapter, mentor_key
from tracker.ui.labels import chapter_at, name_keys, parse_hms, youtube_at


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("01:11:38", 4298),
        ("11:38", 698),
        ("38", 38),
        (" 0:00:05 ", 5),
        ("2:13:35", 8015),
        ("2266s", 2266),
        ("t=2266", 2266),
    ],
)
def test_parse_hms(text: str, seconds: int) -> None:
    assert parse_hms(text) == seconds


@pytest.mark.parametrize("text", ["01:11:382x", "1:2:3:4", "", "00:61:00", "ab", "-5"])
def test_parse_hms_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError, match=r"time|59"):
        parse_hms(text)


def test_chapter_at_is_the_last_chapter_started() -> None:
    chapters = (Chapter(0, "intro"), Chapter(2567, "decoding"), Chapter(4298, "tiktoken"))
    assert chapter_at(chapters, 2570) == chapters[1]
    assert chapter_at(chapters, 4298) == chapters[2]
    assert chapter_at((), 10) is None


def test_youtube_urls_get_the_position() -> None:
    watch = "https://www.youtube.com/watch?v=zduSFxRajkE"
    assert youtube_at(watch, 2266) == f"{watch}&t=2266s"
    assert youtube_at("https://youtu.be/zduSFxRajkE", 60) == "https://youtu.be/zduSFxRajkE?t=60s"
    assert youtube_at(watch, 0) == watch
    assert youtube_at("https://example.org/post", 60) == "https://example.org/post"


def test_labels_import_no_textual() -> None:
    code = "import sys, tracker.ui.labels; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_name_keys_puts_progress_keys_as_the_mentee_knows_them() -> None:
    curriculum = load_curriculum(ROOT / "tests" / "fixtures" / "app_curriculum")
    words = "unticked llm-book/2.6, llm-book/2.7 and prob-book/1.4/ex1"
    keys = ["llm-book/2.6", "llm-book/2.7", "prob-book/1.4/ex1"]
    assert name_keys(words, keys, curriculum, "en") == (  # a resource's title once per run
        "unticked Build a Large Language Model (From Scratch) 2.6, 2.7"
        " and Probability and Statistics ex 1"
    )
    mixed = "unticked llm-book/2.6, prob-book/1.4/ex1, llm-book/2.7"
    assert name_keys(mixed, keys, curriculum, "en") == (  # each title again after another
        "unticked Build a Large Language Model (From Scratch) 2.6, Probability and Statistics"
        " ex 1, Build a Large Language Model (From Scratch) 2.7"
    )
    assert (
        name_keys(
            "cleared the position of tok-video/position", ["tok-video/position"], curriculum, "en"
        )
        == "cleared the position of Let's build the GPT Tokenizer"
    )
    assert name_keys("ticked task/w2-push", ["task/w2-push"], curriculum, "en") == (
        "ticked “Add your work to our GitHub”"
    )
    mentor = mentor_key("w2-push")
    assert name_keys(f"ticked {mentor}", [mentor], curriculum, "en") == (
        "ticked the mentor's “Review and merge the pushed work”"
    )
    gone = "unticked old-book/9.9"  # a key the curriculum no longer knows stays as it is
    assert name_keys(gone, ["old-book/9.9"], curriculum, "en") == gone
    assert name_keys(words, keys, None, "en") == words  # still loading
