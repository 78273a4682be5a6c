"""The bundled curriculum: the mentor's four lists, their agendas, the snippets and the quizzes.

The YAML is read with `yaml.safe_load` only (no dependency on the loader), and every snippet and
every computed answer is run for real with torch, all in one worker process (one torch import).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

ASSIGNMENTS = ROOT / "assignments"
QUIZZES = ROOT / "quizzes"
ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
ARMENIAN = re.compile(r"[\u0531-\u058f]")

MEETINGS = {
    "2024-03-28.yaml": (date(2024, 3, 28), 6),
    "2024-04-08.yaml": (date(2024, 4, 8), 7),
    "2024-04-16.yaml": (date(2024, 4, 16), 1),
    "2024-04-26.yaml": (date(2024, 4, 26), 4),
}
"""File name: (meeting date, number of items), as seeds/sessions.md lists them; 08/04 item 6
("the Proof ..., Exercises 1-4") and 26/04 item 1 ("A7, A8, Chapter 3 ...") are split in two."""

TOPIC_SNIPPETS = {
    "tensor-dims": ["s02"],
    "contiguity": ["s01"],
    "a5-layers0": ["s03"],
    "a5-param-count": ["s03"],
    "a5-batch-dim": ["s04"],
    "a5-logits": ["s05"],
    "a6-shuffle-epochs": ["s06"],
    "ch2-6-sliding-window": ["s08"],
}
"""The 08/04 agenda in the mentor's order, and the snippet each topic shows."""

MENTORS_ARMENIAN = [
    "հաջորդ հանդիպման համար",
    "ու էն հերթականությամբ, ոնց էստեղ նշված ա",
    "էս վիդեոն https://www.youtube.com/watch?v=zduSFxRajkE մինչև 01:11:382 վերջացնել",
    "կուրսից՝ 2.1 - 2.7",
    "օնլայն գրքից 2.6 միայն",
    "օնլայն գրքից App A. Introduction to PyTorch - A1, A2, A3 - սա լինելու ա կուրսի 2.1 - 2.7"
    " կետերի որոշ չափով կրկնություն, բայց կարդացածը թարմացնելու համար պետք ա։ Արդյունքը լավ"
    " ստանալու համար տարբեր օրերի կկարդաս Pytorch-ի մասին օնլայն գրքից ու կուրսից։",
    "Հավանականության գրքից մինչև Proof That the Real Numbers Are Uncountable",
    "Քո արածները ավելացրու մեր https://github.com/hbaghramyan/LLMs-from-scratch github-ին։"
    " Հենց ավելացնես, ինձ ասա",
    "կուրսից՝ 2-րդ գլխի առաջադրանքները",
    "օնլայն գրքից 2.6-2.8",
    "օնլայն գրքից App A. Introduction to PyTorch - A4-A6",
    "Հավանականության գրքից - Proof That the Real Numbers Are Uncountable, Exercises - 1-4",
    "Հավանականության գրքից վերցրու 6-11 խնդիրները:",
    "օնլայն գրքից - A7, A8, Chapter 3 - 3.1, 3.2, 3.3.1",
    "Հավանականության գրքից - 12 - 14",
]
"""Lines of the mentor's list (seeds/000_*.txt), copied character for character."""

CHILD = r"""
import contextlib, io, json, sys, traceback
import torch  # noqa: F401  (imported once, for every job)

def run(parts):
    namespace = {"__name__": "__main__"}
    out = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(out):
            for name, source in parts:
                exec(compile(source, name, "exec"), namespace)
    except BaseException as exc:  # a job's failure is data, not the worker's
        error = f"{type(exc).__name__}: {exc}"
    return {"stdout": out.getvalue(), "error": error}

jobs = json.load(sys.stdin)
results = {key: run(parts) for key, parts in jobs.items()}
sys.__stdout__.write(json.dumps(results))
"""
"""The worker: runs each job's code parts in one fresh namespace, capturing stdout."""


# --- reading the YAML -------------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: expected a mapping at the top"
    return data


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    return _load(ASSIGNMENTS / "resources.yaml")["resources"]


@pytest.fixture(scope="module")
def meetings() -> dict[str, dict[str, Any]]:
    return {path.name: _load(path) for path in sorted(ASSIGNMENTS.glob("2*.yaml"))}


@pytest.fixture(scope="module")
def quizzes() -> dict[str, dict[str, Any]]:
    return {path.name: _load(path) for path in sorted(QUIZZES.glob("*.yaml"))}


def _snippets(meetings: dict, quizzes: dict) -> list[dict[str, Any]]:
    found = []
    for meeting in meetings.values():
        for topic in meeting.get("discuss", []):
            found += [s for s in topic.get("snippets", []) if isinstance(s, dict)]
    for quiz in quizzes.values():
        found += quiz.get("snippets", [])
    return found


def _questions(quizzes: dict) -> list[dict[str, Any]]:
    return [q for quiz in quizzes.values() for q in quiz["questions"]]


def _texts(value: Any, lang: str) -> list[str]:
    """Every `{hy: ..., en: ...}` text's `lang` part, anywhere in `value`."""
    if isinstance(value, dict):
        found = [value[lang]] if set(value) <= {"hy", "en"} and lang in value else []
        return found + [t for v in value.values() for t in _texts(v, lang)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, lang)]
    return []


def _solution(question: dict[str, Any]) -> str:
    """The model solution of a code question: the Python block of its explanation."""
    match = re.search(r"```python\n(.*?)```", question.get("explanation", ""), re.S)
    assert match, f"code question {question['id']} shows no solution in its explanation"
    return match.group(1)


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_names_every_resource_of_the_lists(catalogue: dict[str, Any]) -> None:
    assert set(catalogue) == {
        "tokenizer-video",
        "dl-course",
        "llm-book",
        "perceptron-post",
        "probability",
        "llms-repo",
        "tds-cross-entropy",
        "makemore-video",
    }
    for rid, resource in catalogue.items():
        assert ID.match(rid)
        assert resource["kind"] in {"book", "course", "video", "post", "repository"}
        assert resource["title"]
        assert resource.get("url") or rid == "probability", f"{rid} has no url"

    video = catalogue["tokenizer-video"]
    starts = [chapter["at"] for chapter in video["chapters"]]
    assert video["length"] == "02:13:35"
    assert len(starts) == 25 and starts == sorted(starts) and starts[0] == "00:00:00"
    assert "01:11:38" in starts and "01:25:28" in starts  # the two "up to" points of the lists

    course = catalogue["dl-course"]
    assert list(course["sections"]) == [f"2.{n}" for n in range(1, 8)] + [
        f"3.{n}" for n in range(1, 8)
    ]
    assert course["exercises"]["2"] == 2

    book = list(catalogue["llm-book"]["sections"])
    assert book[book.index("2.6") : book.index("2.8") + 1] == ["2.6", "2.7", "2.8"]
    assert book.index("3.3") + 1 == book.index("3.3.1")
    assert book[-9:] == [f"A.{n}" for n in range(1, 10)]
    assert catalogue["llm-book"]["sections"]["A.5"] == "Implementing multilayer neural networks"

    probability = catalogue["probability"]
    labels = list(probability["sections"])
    assert labels.index("1.4-proof") == labels.index("1.4") + 1
    assert probability["sections"]["1.4-proof"] == "Proof That the Real Numbers Are Uncountable"
    assert probability["exercises"] == {"1.4": 14}
    assert "DeGroot" in probability["author"]


# --- the meetings -----------------------------------------------------------------------------


def test_one_file_per_meeting_with_the_mentors_items(meetings: dict[str, dict]) -> None:
    assert set(meetings) == set(MEETINGS)
    for name, (when, count) in MEETINGS.items():
        meeting = meetings[name]
        assert meeting["date"] == when
        assert len(meeting["items"]) == count, name
        for item in meeting["items"]:
            assert item["id"].startswith(when.isoformat() + "-"), item["id"]

    first = meetings["2024-03-28.yaml"]["items"]
    assert [i["resource"] for i in first] == [
        "tokenizer-video",
        "dl-course",
        "llm-book",
        "llm-book",
        "perceptron-post",
        "probability",
    ]
    assert first[0]["until"] == "01:11:38"
    assert first[1]["units"] == "2.1-2.7"
    assert first[2]["sections"] == "2.6"
    assert first[3]["sections"] == "A1-A3" and "different days" in first[3]["note"]["en"]
    assert set(first[4]) == {"id", "resource"}  # the whole post
    assert first[5]["read_until"] == "1.4-proof"

    second = meetings["2024-04-08.yaml"]["items"]
    assert second[0]["task"]["hy"] and second[0]["mentor_todo"].startswith("HB TODO")
    assert second[1]["exercises"] == {"section": "2", "numbers": "1-2"}
    assert second[1]["mentor_todo"].startswith("HB TODO")
    assert [second[2]["sections"], second[3]["sections"]] == ["2.6-2.8", "A4-A6"]
    assert (
        set(second[4]) <= {"id", "resource", "note"} and second[4]["resource"] == "perceptron-post"
    )
    assert second[5]["sections"] == "1.4-proof"
    assert second[6]["exercises"] == {"section": "1.4", "numbers": "1-4"}

    third = meetings["2024-04-16.yaml"]["items"]
    assert third[0]["exercises"] == {"section": "1.4", "numbers": "6-11"}

    fourth = meetings["2024-04-26.yaml"]["items"]
    assert [i.get("sections") or i.get("units") for i in fourth[:3]] == [
        "A7, A8",
        "3.1, 3.2, 3.3.1",
        "3.1, 3.2",
    ]
    assert fourth[3]["exercises"] == {"section": "1.4", "numbers": "12-14"}
    # exercise 5 of section 1.4 is never assigned; 1-4, 6-11 and 12-14 are
    assigned = "1-4 6-11 12-14"
    assert " ".join(
        m["items"][-1]["exercises"]["numbers"] for m in list(meetings.values())[1:]
    ) == (assigned)


def test_armenian_is_the_mentors_own_wording(meetings: dict[str, dict]) -> None:
    armenian = [text for meeting in meetings.values() for text in _texts(meeting, "hy")]
    for line in MENTORS_ARMENIAN:
        assert line in armenian, f"missing, or not copied exactly: {line[:40]}..."
    for text in armenian:
        assert ARMENIAN.search(text), text
        assert "\u2060" not in text  # the repository copy's invisible word joiners stay out
    for meeting in meetings.values():
        for text in _texts(meeting, "hy"):
            assert text.strip() == text


def test_agendas_embed_the_seed_snippets(meetings: dict[str, dict]) -> None:
    agenda = meetings["2024-04-08.yaml"]["discuss"]
    assert [t["id"] for t in agenda] == list(TOPIC_SNIPPETS)
    for topic in agenda:
        ids = [s if isinstance(s, str) else s["id"] for s in topic.get("snippets", [])]
        assert ids == TOPIC_SNIPPETS[topic["id"]], topic["id"]
    by_id = {t["id"]: t for t in agenda}
    count = by_id["a5-param-count"]["notes"]
    assert "1500 + 30 + 600 + 20 + 60 + 3 = 2213" in count and "2,213 trainable" in count
    logits = by_id["a5-logits"]["notes"]
    assert r"\text{logit}(p) = \log\left(\frac{p}{1-p}\right)" in logits
    assert any("all-that-jazz" in link for link in by_id["a5-logits"]["links"])
    assert "tensor.is_contiguous()" in by_id["contiguity"]["notes"]

    (bytes_topic,) = meetings["2024-04-16.yaml"]["discuss"]
    assert bytes_topic["id"] == "bytes-vocab"
    assert "bytes([idx]) for idx in range(256)" in bytes_topic["notes"]
    assert [s["id"] for s in bytes_topic["snippets"]] == ["s07"]
    assert "discuss" not in meetings["2024-03-28.yaml"]
    assert "discuss" not in meetings["2024-04-26.yaml"]


def test_snippets_s01_to_s15_s17_and_s18_once_each_with_their_determinism(
    meetings: dict[str, dict], quizzes: dict[str, dict]
) -> None:
    snippets = _snippets(meetings, quizzes)
    expected = [f"s{n:02d}" for n in range(1, 16)] + ["s17", "s18"]  # s16 needs names.txt
    assert sorted(s["id"] for s in snippets) == expected
    letters = {s["id"]: set(re.findall("[DSVE]", s["determinism"])) for s in snippets}
    assert {sid for sid, found in letters.items() if "V" in found} == {"s06", "s14"}
    assert {sid for sid, found in letters.items() if "E" in found} == {
        "s01",
        "s04",
        "s06",
        "s07",
        "s10",
        "s13",
    }
    for snippet in snippets:
        assert snippet["expected"].endswith("\n") and snippet["code"].endswith("\n")


# --- the quizzes ------------------------------------------------------------------------------


def test_quizzes_cover_the_topics_with_every_question_type(
    meetings: dict[str, dict], quizzes: dict[str, dict], catalogue: dict[str, Any]
) -> None:
    questions = _questions(quizzes)
    assert len(questions) >= 30
    types = Counter(q["type"] for q in questions)
    assert set(types) == {"single", "multiple", "numeric", "text", "predict", "code"}

    topics = {quiz["topic"] for quiz in quizzes.values()}
    assert set(TOPIC_SNIPPETS) - {"a5-layers0"} <= topics
    assert {"bytes-vocab", "set-theory", "makemore-sampling", "makemore-nn"} <= topics

    dates = {meeting["date"] for meeting in meetings.values()}
    for quiz in quizzes.values():
        assert quiz.get("meeting") is None or quiz["meeting"] in dates
        for key in quiz.get("follows", []):
            resource, _, label = key.partition("/")
            label = label.removeprefix("until/")
            assert label in catalogue[resource].get("sections", {}), key

    for q in questions:
        assert q["prompt"], q["id"]
        if q["type"] in {"single", "multiple"}:
            picks = q["answer"] if q["type"] == "multiple" else [q["answer"]]
            assert all(1 <= pick <= len(q["choices"]) for pick in picks), q["id"]
            assert len(set(picks)) == len(picks)
        elif q["type"] == "numeric":
            assert isinstance(q["answer"], int | float), q["id"]
        elif q["type"] == "predict":
            assert q.get("code") and q.get("answer") is not None, q["id"]
        elif q["type"] == "text":
            assert q["answer"] and all(isinstance(a, str) for a in q["answer"]), q["id"]
        elif q["type"] == "code":
            assert q["code"] and q["checks"] and _solution(q), q["id"]

    text = [q for q in questions if q["type"] == "text"]
    assert any(isinstance(q["prompt"], dict) and "hy" in q["prompt"] for q in text)
    assert any(ARMENIAN.search(a) for q in text for a in q["answer"])


def test_ids_are_well_formed_and_unique(
    catalogue: dict[str, Any], meetings: dict[str, dict], quizzes: dict[str, dict]
) -> None:
    ids = list(catalogue)
    for meeting in meetings.values():
        ids += [item["id"] for item in meeting["items"]]
        ids += [topic["id"] for topic in meeting.get("discuss", [])]
    ids += [s["id"] for s in _snippets(meetings, quizzes)]
    ids += [q["id"] for q in _questions(quizzes)]
    assert all(ID.match(i) for i in ids), [i for i in ids if not ID.match(i)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


# --- running it all for real ------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(meetings: dict[str, dict], quizzes: dict[str, dict]) -> dict[str, dict[str, Any]]:
    """Runs every snippet, computed answer and code-question check in one torch worker."""
    jobs: dict[str, list[tuple[str, str]]] = {}
    for snippet in _snippets(meetings, quizzes):
        jobs[f"snippet:{snippet['id']}"] = [(snippet["id"], snippet["code"])]
    for q in _questions(quizzes):
        if q["type"] in {"predict", "numeric"} and q.get("code"):
            jobs[f"answer:{q['id']}"] = [(q["id"], q["code"])]
        elif q["type"] == "code":
            checks = (f"{q['id']}:checks", q["checks"])
            jobs[f"starter:{q['id']}"] = [(q["id"], q["code"]), checks]
            jobs[f"solution:{q['id']}"] = [(q["id"], q["code"]), ("solution", _solution(q)), checks]
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_snippets_print_their_expected_output(
    live: dict[str, dict[str, Any]], meetings: dict[str, dict], quizzes: dict[str, dict]
) -> None:
    compared = 0
    for snippet in _snippets(meetings, quizzes):
        result = live[f"snippet:{snippet['id']}"]
        assert result["error"] is None, f"{snippet['id']}: {result['error']}"
        if "V" in snippet["determinism"]:
            assert result["stdout"], snippet["id"]  # shown, never compared
            continue
        assert result["stdout"] == snippet["expected"], snippet["id"]
        compared += 1
    assert compared == 15


def test_declared_answers_match_the_computed_ones(
    live: dict[str, dict[str, Any]], quizzes: dict[str, dict]
) -> None:
    checked = 0
    for q in _questions(quizzes):
        result = live.get(f"answer:{q['id']}")
        if result is None:
            continue
        assert result["error"] is None, f"{q['id']}: {result['error']}"
        printed = result["stdout"].rstrip("\n")
        if q["type"] == "predict":
            assert printed == str(q["answer"]).rstrip("\n"), q["id"]
        else:
            tolerance = q.get("tolerance", 0)
            assert abs(float(printed) - q["answer"]) <= tolerance, (q["id"], printed)
        checked += 1
    assert checked >= 25


def test_code_checks_fail_on_the_starter_and_pass_on_the_solution(
    live: dict[str, dict[str, Any]], quizzes: dict[str, dict]
) -> None:
    code_questions = [q for q in _questions(quizzes) if q["type"] == "code"]
    assert len(code_questions) >= 4
    for q in code_questions:
        assert live[f"starter:{q['id']}"]["error"] is not None, f"{q['id']}: starter passes"
        assert live[f"solution:{q['id']}"]["error"] is None, live[f"solution:{q['id']}"]
