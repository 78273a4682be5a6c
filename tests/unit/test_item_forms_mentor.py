"""The item forms a mentor's ordinary week needs: exercises without numbers, and the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tracker.clock import Clock
from tracker.content import load_curriculum
from tracker.domain.agenda import build_agenda
from tracker.domain.curriculum import Curriculum, ItemKind, KeyKind, Severity, parse_key
from tracker.domain.item_kinds import colab_url, file_url, kind_spec
from tracker.domain.progress import PartState
from tracker.report.markdown import render_markdown
from tracker.report.model import ItemStatus, ReportSection, build_report
from tracker.report.scaffold import scaffold_meeting
from tracker.report.snapshot import ProgressSnapshot
from tracker.ui.labels import item_title


def _meeting(good: Path, items: str) -> Curriculum:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        f"date: 2024-05-06\nitems:\n{items}", encoding="utf-8"
    )
    return load_curriculum(good, use_cache=False)


def _problems(curriculum: Curriculum) -> list[tuple[int, int, str, str]]:
    return [
        (p.location.line, p.location.column, str(p.severity), p.message)
        for p in curriculum.problems
    ]


# --- 5. exercises without numbers ----------------------------------------------------------------


def test_uncounted_exercises_are_one_tick_never_a_made_up_count(good: Path) -> None:
    curriculum = _meeting(good, '  - resource: llm-book\n    exercises: {section: "2.6"}\n')
    assert curriculum.problems == ()
    item = curriculum.meetings[-1].items[0]
    assert item.kind is ItemKind.EXERCISES
    assert [(p.key, p.label) for p in item.parts] == [("llm-book/2.6/exercises", "exercises")]
    parsed = parse_key(item.parts[0].key)
    assert parsed is not None and (parsed.kind, parsed.label, parsed.number) == (
        KeyKind.EXERCISE,
        "2.6",
        None,
    )
    assert parsed.build() == "llm-book/2.6/exercises"
    spec = kind_spec(item.kind)
    resource = curriculum.resources["llm-book"]
    assert spec.summary(item) == "exercises"
    assert spec.scope(item, resource) == "§2.6 exercises"
    carry = spec.carry(item, {})
    assert carry is not None
    assert spec.carry_yaml(item, carry, resource) == ['    exercises: {section: "2.6"}']
    done = {item.parts[0].key: PartState(item.parts[0].key, is_done=True)}
    assert spec.amount(item, done) == (1, 1)


def test_counted_exercises_still_expand_to_the_catalogues_count(good: Path) -> None:
    curriculum = _meeting(good, '  - resource: probability\n    exercises: {section: "1.4"}\n')
    assert curriculum.problems == ()
    assert len(curriculum.meetings[-1].items[0].parts) == 14


def test_a_follows_key_may_name_uncounted_exercises(good: Path) -> None:
    (good / "quizzes" / "extra.yaml").write_text(
        "topic: extra\nfollows: [llm-book/2.6/exercises]\nquestions:\n"
        "  - {id: e1, type: text, prompt: P, answer: a}\n",
        encoding="utf-8",
    )
    curriculum = load_curriculum(good, use_cache=False)
    assert curriculum.problems == ()
    assert curriculum.questions[-1].follows == ("llm-book/2.6/exercises",)


# --- 1. one-off links ------------------------------------------------------------------------------

LINKS = """\
  - url: https://en.wikipedia.org/wiki/Logit
    title: Logit (Wikipedia)
  - url: https://www.youtube.com/watch?v=kCc8FmEb1nY&t=2266s
    title: Let's build GPT
    until: "01:00:00"
  - url: https://youtu.be/zduSFxRajkE
  - url: https://stats.stackexchange.com/questions/52825/what-does-the-logit-value-actually-mean
"""


def test_one_off_links_need_no_catalogue_entry(good: Path) -> None:
    curriculum = _meeting(good, LINKS)
    assert curriculum.problems == ()
    page, video, known, answer = curriculum.meetings[-1].items
    wiki = curriculum.resources[page.resource or ""]
    assert (page.kind, wiki.kind, wiki.title.get(), wiki.url) == (
        ItemKind.WHOLE,
        "page",
        "Logit (Wikipedia)",
        "https://en.wikipedia.org/wiki/Logit",
    )
    assert [p.key for p in page.parts] == [f"{wiki.id}/whole"]
    assert wiki.id.startswith("link-en-wikipedia-org-wiki-logit-")
    # a YouTube link is a video: its t= is where the item starts
    gpt = curriculum.resources[video.resource or ""]
    assert (video.kind, gpt.kind, video.start, video.end) == (ItemKind.VIDEO, "video", 2266, 3600)
    assert gpt.url == "https://www.youtube.com/watch?v=kCc8FmEb1nY"
    # a link the catalogue already lists is its entry, progress and all
    assert (known.kind, known.resource, known.end) == (ItemKind.VIDEO, "tokenizer-video", 8015)
    # no title: the page's own words and its site
    titled = curriculum.resources[answer.resource or ""].title.get()
    assert titled == "what does the logit value actually mean (stats.stackexchange.com)"
    assert kind_spec(page.kind).scope(page, wiki) == "whole page"


def test_the_same_link_in_two_meetings_is_one_resource(good: Path) -> None:
    (good / "assignments" / "2024-05-13.yaml").write_text(
        "date: 2024-05-13\nitems:\n  - url: https://en.wikipedia.org/wiki/Logit\n",
        encoding="utf-8",
    )
    curriculum = _meeting(good, LINKS)
    first = curriculum.meetings[-2].items[0]
    again = curriculum.meetings[-1].items[0]
    assert first.resource == again.resource
    assert first.parts == again.parts


def test_link_mistakes_are_located(good: Path) -> None:
    curriculum = _meeting(
        good,
        "  - resource: https://arxiv.org/pdf/1706.03762.pdf\n"
        "  - title: Orphan\n    resource: llm-book\n"
        "  - url: https://en.wikipedia.org/wiki/Logit\n    until: '00:10:00'\n"
        "  - url: arxiv 1706.03762\n"
        "  - url: https://en.wikipedia.org/wiki/Logit\n    resource: llm-book\n",
    )
    assert _problems(curriculum) == [
        (
            3,
            15,
            "error",
            "the resource of item 1 is a link, not a catalogue id: add it as"
            " `url: https://arxiv.org/pdf/1706.03762.pdf` (with a `title:`), or add it to the"
            " catalogue",
        ),
        (
            4,
            5,
            "error",
            "'title' of item 2 names a one-off link: give its 'url' too (a catalogue resource"
            " has its title in resources.yaml)",
        ),
        (
            6,
            10,
            "error",
            "'until'/'from' of item 3 need a video, and"
            " 'https://en.wikipedia.org/wiki/Logit' is not a video link",
        ),
        (8, 10, "error", "the url of item 4 must start with https:// (found 'arxiv 1706.03762')"),
        (
            9,
            5,
            "error",
            "item 5 has both 'resource' and 'url'; give one (url: a one-off link)",
        ),
    ]


def test_study_new_carries_a_link_as_its_address(good: Path) -> None:
    curriculum = _meeting(good, LINKS)
    text = scaffold_meeting(curriculum, {}, date(2024, 5, 20))
    assert '    url: "https://en.wikipedia.org/wiki/Logit"\n    title: "Logit (Wikipedia)"' in text
    assert "resource: link-" not in text  # no made-up catalogue id
    (good / "assignments" / "2024-05-20.yaml").write_text(text, encoding="utf-8")
    again = load_curriculum(good, use_cache=False)
    assert again.problems == ()
    carried = {i.resource for i in again.meetings[-1].items}
    assert {i.resource for i in curriculum.meetings[-1].items} <= carried


def test_study_new_carries_a_youtube_link_without_until_from_where_it_stopped(
    good: Path,
) -> None:
    curriculum = _meeting(
        good,
        '  - url: "https://www.youtube.com/watch?v=kCc8FmEb1nY&t=2266s"\n'
        "  - url: https://youtu.be/l8pRSuU81PU?t=600\n    title: micrograd\n",
    )
    assert curriculum.problems == ()
    untitled, titled = curriculum.meetings[-1].items
    assert (untitled.start, untitled.end, titled.start, titled.end) == (2266, None, 600, None)
    position = f"{untitled.resource}/position"
    states = {position: PartState(position, position=3000)}
    text = scaffold_meeting(curriculum, states, date(2024, 5, 20))
    # the address without its t=, no made-up title, and the rest from the saved position
    assert '    url: "https://www.youtube.com/watch?v=kCc8FmEb1nY"\n    from: "00:50:00"\n' in text
    assert "YouTube video" not in text
    # nothing recorded: it starts where the link did, and keeps the mentor's title
    assert (
        '    url: "https://www.youtube.com/watch?v=l8pRSuU81PU"\n    title: "micrograd"\n'
        '    from: "00:10:00"\n' in text
    )
    (good / "assignments" / "2024-05-20.yaml").write_text(text, encoding="utf-8")
    again = load_curriculum(good, use_cache=False)
    assert again.problems == ()
    links = {untitled.resource, titled.resource}
    carried = [i for i in again.meetings[-1].items if i.resource in links]
    # no end was known, and none is invented
    assert [(i.resource, i.kind, i.start, i.end) for i in carried] == [
        (untitled.resource, ItemKind.VIDEO, 3000, None),
        (titled.resource, ItemKind.VIDEO, 600, None),
    ]
    assert again.resources[untitled.resource or ""].title.get() == "YouTube video kCc8FmEb1nY"


# --- 8. a video with `from:` and no end anyone knows ------------------------------------------------


def test_an_open_ended_video_is_completed_by_one_tick(good: Path) -> None:
    curriculum = _meeting(
        good, '  - url: "https://youtu.be/kCc8FmEb1nY?t=2266"\n    title: GPT from scratch\n'
    )
    assert curriculum.problems == ()
    item = curriculum.meetings[-1].items[0]
    assert (item.kind, item.start, item.end) == (ItemKind.VIDEO, 2266, None)
    assert [(p.key, p.label) for p in item.parts] == [
        (f"{item.resource}/whole", "watched to the end")
    ]
    spec = kind_spec(item.kind)
    assert spec.summary(item) == "from 00:37:46"
    position = {f"{item.resource}/position": PartState("p", position=4000)}
    assert spec.amount(item, position) == (0, 1)  # a position alone never finishes it
    assert spec.count(item, 0, 1, 4000, short=False) == (
        "at 01:06:40 · not finished (t: watched to the end)"
    )
    done = {item.parts[0].key: PartState(item.parts[0].key, is_done=True)}
    assert spec.amount(item, done) == (1, 1)
    assert spec.count(item, 1, 1, 0, short=True) == "done"


def test_a_catalogue_video_with_a_length_keeps_its_end(good: Path) -> None:
    curriculum = _meeting(good, '  - resource: tokenizer-video\n    from: "00:37:46"\n')
    item = curriculum.meetings[-1].items[0]
    assert (item.start, item.end, item.parts) == (2266, 8015, ())


# --- 7. "same as last meeting" ------------------------------------------------------------------------


def _repeat(good: Path, extra: str = "") -> Curriculum:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nnote: The same as last time; we did not get to it.\n"
        f"repeat: 08/04/2024\n{extra}",
        encoding="utf-8",
    )
    return load_curriculum(good, use_cache=False)


def test_a_meeting_may_repeat_an_earlier_list_with_its_progress(good: Path) -> None:
    curriculum = _repeat(good, "items:\n  - task: And read the docs\n")
    assert curriculum.problems == ()
    earlier, again = curriculum.meetings[-2], curriculum.meetings[-1]
    assert (again.repeats, str(again.note)) == (
        earlier.date,
        "The same as last time; we did not get to it.",
    )
    copies, own = again.items[: len(earlier.items)], again.items[len(earlier.items) :]
    assert [i.parts for i in copies] == [i.parts for i in earlier.items]  # the same progress
    assert [i.order for i in again.items] == list(range(1, len(earlier.items) + 2))
    assert copies[0].id == "2024-05-06-push-work"  # from 2024-04-08-push-work
    assert all(i.meeting == again.date and i.mentor_todo is None for i in copies)
    assert [str(i.text) for i in own] == ["And read the docs"]
    ids = [i.id for i in curriculum.items]
    assert len(ids) == len(set(ids))


def test_a_repeated_list_is_due_again_on_the_agenda(good: Path) -> None:
    curriculum = _repeat(good)
    earlier = curriculum.meetings[-2]
    book = next(i for i in earlier.items if i.resource == "llm-book")
    states = {book.parts[0].key: PartState(book.parts[0].key, is_done=True)}
    agenda = build_agenda(curriculum, states, date(2024, 5, 1))
    assert agenda.meeting is not None and agenda.meeting.date == date(2024, 5, 6)
    due = {e.item.resource: e for e in agenda.entries}
    assert due["llm-book"].progress.done == 1  # 2.6 was done under the earlier item
    assert date(2024, 4, 8) in due["llm-book"].reassigned_from
    assert all(e.item.meeting != date(2024, 4, 8) for e in agenda.carried)


def test_repeat_mistakes_are_located(good: Path) -> None:
    (good / "assignments" / "2024-05-13.yaml").write_text(
        "date: 2024-05-13\nrepeat: 2024-05-07\n", encoding="utf-8"
    )
    (good / "assignments" / "2024-05-20.yaml").write_text(
        "date: 2024-05-20\nrepeat: 2024-05-20\n", encoding="utf-8"
    )
    curriculum = _repeat(good)
    assert [
        (Path(p.location.path).name, p.location.line, p.location.column, p.message)
        for p in curriculum.problems
    ] == [
        (
            "2024-05-13.yaml",
            2,
            9,
            "no meeting on 2024-05-07 to repeat (the nearest is 2024-05-06)",
        ),
        (
            "2024-05-20.yaml",
            2,
            9,
            "'repeat' names 2024-05-20, which is not before this meeting (2024-05-20);"
            " a meeting repeats an earlier list",
        ),
    ]


def test_an_item_the_repeated_list_already_has_is_warned_at_its_line(good: Path) -> None:
    curriculum = _repeat(
        good,
        "items:\n"
        "  - task: And read the docs\n"
        "  - resource: dl-course\n"
        '    exercises: {section: "2", numbers: 1-2}\n'
        "    optional: true\n",
    )
    warnings = [
        (Path(p.location.path).name, p.location.line, p.location.column, p.message)
        for p in curriculum.problems
    ]
    assert warnings == [
        (
            "2024-05-06.yaml",
            6,
            5,
            "item 2 assigns work that the repeated list of 08/04/2024 already has (its item 2);"
            " it would show twice: drop it here",
        )
    ]
    assert all(p.severity is Severity.WARNING for p in curriculum.problems)


# --- 3. optional work ---------------------------------------------------------------------------------

OPTIONAL = """\
  - id: must
    resource: llm-book
    sections: 3.1
  - id: if-time
    url: https://colah.github.io/posts/2015-08-Understanding-LSTMs/
    title: Understanding LSTMs
    optional: true
  - id: if-time-2
    url: https://en.wikipedia.org/wiki/Logit
    optional: yes
"""


def test_optional_items_are_apart_never_carried_nor_counted(good: Path) -> None:
    curriculum = _meeting(good, OPTIONAL)
    assert curriculum.problems == ()
    items = {i.id: i for i in curriculum.meetings[-1].items}
    assert [i.is_optional for i in items.values()] == [False, True, True]
    on_time = build_agenda(curriculum, {}, date(2024, 5, 1))
    assert [e.item.id for e in on_time.entries] == ["must"]
    assert [e.item.id for e in on_time.optional] == ["if-time", "if-time-2"]
    assert on_time.meeting_totals.total == 1  # the optional ones do not count
    (good / "assignments" / "2024-05-13.yaml").write_text(
        "date: 2024-05-13\nitems:\n  - task: Next\n", encoding="utf-8"
    )
    later = build_agenda(load_curriculum(good, use_cache=False), {}, date(2024, 5, 10))
    carried = [e.item.id for e in later.carried]
    assert "must" in carried and "if-time" not in carried and "if-time-2" not in carried


def test_study_new_never_carries_optional_items(good: Path) -> None:
    text = scaffold_meeting(_meeting(good, OPTIONAL), {}, date(2024, 5, 20))
    assert "LSTM" not in text and "Logit" not in text


def test_the_report_says_done_or_skipped_for_optional_items(good: Path) -> None:
    curriculum = _meeting(good, OPTIONAL)
    post = curriculum.meetings[-1].items[1]
    key = post.parts[0].key
    snapshot = ProgressSnapshot(
        name="vova",
        states={key: PartState(key, is_done=True, updated=datetime(2024, 5, 2, tzinfo=UTC))},
    )
    clock = Clock(datetime(2024, 5, 5, 12, tzinfo=UTC), tz=UTC)
    report = build_report(curriculum, snapshot, date(2024, 5, 6), clock=clock)
    lines = {line.item_id: line for line in report.mentees[0].items}
    assert (lines["if-time"].section, lines["if-time"].status) == (
        ReportSection.OPTIONAL,
        ItemStatus.DONE,
    )
    assert lines["if-time-2"].status is ItemStatus.NOT_STARTED  # the day before its meeting
    text = render_markdown(report)
    section = text.split("## If you had time (optional)\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- [x] **Understanding LSTMs**: whole page",
        "- [ ] **Logit (en.wikipedia.org)**: whole page — not done yet",
    ]
    assert "LSTM" not in text.split("## Done")[1].split("##")[0]
    on_the_day = Clock(datetime(2024, 5, 6, 9, tzinfo=UTC), tz=UTC)
    report = build_report(curriculum, snapshot, date(2024, 5, 6), clock=on_the_day)
    text = render_markdown(report)
    section = text.split("## If you had time (optional)\n\n")[1].split("\n\n")[0]
    assert section.splitlines()[1] == "- [ ] **Logit (en.wikipedia.org)**: whole page — skipped"


# --- 4. the rest of a chapter; a section with its subsections ------------------------------------------


def test_the_rest_of_a_chapter_resolves_against_the_catalogue(good: Path) -> None:
    catalogue = good / "assignments" / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            '      "A.1": What is PyTorch',
            '      "3.2": Attention\n      "3.3": Self-attention\n'
            '      "3.3.1": Without weights\n      "3.3.2": All inputs\n      "3.4": With weights\n'
            '      "A.1": What is PyTorch',
        ),
        encoding="utf-8",
    )
    curriculum = _meeting(
        good,
        "  - resource: llm-book\n    sections: 3.2-\n"
        "  - resource: llm-book\n    sections: 3.3\n"
        "  - resource: llm-book\n    sections: 3.4-9\n",
    )
    assert _problems(curriculum) == [
        (
            8,
            15,
            "error",
            "cannot expand range '3.4-9': its ends differ before the last number and the"
            " catalogue does not list both (list the sections, or add them to the catalogue)",
        )
    ]
    rest, section = curriculum.meetings[-1].items[:2]
    assert [p.label for p in rest.parts] == ["3.2", "3.3", "3.3.1", "3.3.2", "3.4"]
    assert [p.label for p in section.parts] == ["3.3", "3.3.1", "3.3.2"]
    assert kind_spec(rest.kind).summary(rest) == "3.2–3.4"


# --- 6. notebooks and files of a repository ---------------------------------------------------------


def test_a_file_of_a_repository_is_one_tick_reported_as_the_notebook(good: Path) -> None:
    curriculum = _meeting(
        good,
        "  - resource: llms-repo\n    path: ch02/01_main-chapter-code/ch02.ipynb\n"
        "  - resource: llm-book\n    path: x.py\n",
    )
    assert _problems(curriculum) == [
        (
            6,
            11,
            "error",
            "'path' names a file of a repository, and 'llm-book' is a book (give the repository"
            " as 'resource')",
        )
    ]
    item = curriculum.meetings[-1].items[0]
    repo = curriculum.resources["llms-repo"]
    spec = kind_spec(item.kind)
    assert item.kind is ItemKind.FILE
    assert [(p.key, p.label) for p in item.parts] == [
        ("llms-repo/file:ch02/01_main-chapter-code/ch02.ipynb", "ch02.ipynb")
    ]
    assert spec.scope(item, repo) == "notebook ch02/01_main-chapter-code/ch02.ipynb"
    url = spec.url(item, repo)
    assert url == (
        "https://github.com/hbaghramyan/LLMs-from-scratch/blob/HEAD/"
        "ch02/01_main-chapter-code/ch02.ipynb"
    )
    assert colab_url(url) == (
        "https://colab.research.google.com/github/hbaghramyan/LLMs-from-scratch/blob/HEAD/"
        "ch02/01_main-chapter-code/ch02.ipynb"
    )
    carry = spec.carry(item, {})
    assert carry is not None
    assert spec.carry_yaml(item, carry, repo) == [
        '    path: "ch02/01_main-chapter-code/ch02.ipynb"'
    ]


def test_file_urls_keep_a_branch_and_colab_only_takes_github_notebooks() -> None:
    assert file_url("https://github.com/o/r/tree/dev", "a/b.py") == (
        "https://github.com/o/r/blob/dev/a/b.py"
    )
    assert file_url("https://gitlab.com/o/r", "/a.ipynb") == "https://gitlab.com/o/r/a.ipynb"
    assert colab_url("https://github.com/o/r/blob/main/a.py") is None
    assert colab_url("https://gitlab.com/o/r/a.ipynb") is None


def test_a_catalogue_notebook_is_a_resource_kind(good: Path) -> None:
    catalogue = good / "assignments" / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8")
        + "  nb:\n    kind: notebook\n    title: Chapter 2 code\n"
        "    url: https://github.com/o/r/blob/main/ch02.ipynb\n",
        encoding="utf-8",
    )
    curriculum = _meeting(good, "  - resource: nb\n")
    assert curriculum.problems == ()
    item = curriculum.meetings[-1].items[0]
    assert kind_spec(item.kind).scope(item, curriculum.resources["nb"]) == "whole notebook"


# --- 2. scope: "up to" and "through", and the mentor's own words --------------------------------------


def test_read_through_includes_the_section_and_read_until_does_not(good: Path) -> None:
    curriculum = _meeting(
        good,
        '  - resource: probability\n    read_through: "1.4-proof"\n'
        '  - resource: probability\n    read_until: "1.4-proof"\n'
        '  - resource: probability\n    read_until: "1.4"\n    read_through: "1.4"\n',
    )
    assert _problems(curriculum) == [
        (
            9,
            5,
            "error",
            "item 3 has both 'read_until' and 'read_through'; an item is one of: until/from (a"
            " video), units or sections, exercises, read_until or read_through, task, path (a"
            " file of a repository), or none (whole)",
        )
    ]
    through, until = curriculum.meetings[-1].items[:2]
    resource = curriculum.resources["probability"]
    spec = kind_spec(through.kind)
    assert [(p.key, p.label) for p in through.parts] == [
        ("probability/through/1.4-proof", "through 1.4-proof")
    ]
    assert spec.scope(through, resource) == "read through 1.4-proof"
    assert spec.scope(until, resource) == "read up to 1.4-proof"
    carry = spec.carry(through, {})
    assert carry is not None
    assert spec.carry_yaml(through, carry, resource) == ['    read_through: "1.4-proof"']


SCOPED = """\
  - id: answer
    url: https://stats.stackexchange.com/q/52825
    title: What does the logit mean?
    scope: only the second answer
  - id: reading
    resource: llm-book
    sections: 2.6
    scope: {en: "reading only, without the problems", hy: "միայն կարդալ"}
"""


def test_the_mentors_words_on_scope_are_kept_and_shown(good: Path) -> None:
    curriculum = _meeting(good, SCOPED)
    assert curriculum.problems == ()
    answer, reading = curriculum.meetings[-1].items
    assert str(answer.scope) == "only the second answer"
    assert item_title(answer, curriculum) == "What does the logit mean? · only the second answer"
    assert item_title(reading, curriculum, "hy").endswith("2.6 · միայն կարդալ")
    clock = Clock(datetime(2024, 5, 5, 12, tzinfo=UTC), tz=UTC)
    report = build_report(curriculum, ProgressSnapshot(name="v"), date(2024, 5, 6), clock=clock)
    lines = {line.item_id: line for line in report.mentees[0].items}
    assert lines["answer"].scope == "whole page (only the second answer)"
    assert lines["reading"].scope == "sections 2.6 (reading only, without the problems)"
    assert "whole page (only the second answer)" in render_markdown(report)
    text = scaffold_meeting(curriculum, {}, date(2024, 5, 20))
    assert '    scope: "only the second answer"\n' in text
