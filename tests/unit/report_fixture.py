"""A small curriculum and a seeded progress history for the report, export and `study new` tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tracker.domain.scheduling import AGAIN, GOOD, next_review
from tracker.store.progress_store import ProgressStore

NOW = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)
"""The fixed "now" of every test: the day before the 16/04 meeting."""

MEETING = date(2024, 4, 16)

FILES = {
    "assignments/resources.yaml": """\
resources:
  tokenizer-video:
    kind: video
    title: Let's build the GPT Tokenizer
    length: "02:13:35"
  dl-course:
    kind: course
    title: Deep Learning Fundamentals
    sections:
      "2.1": Introducing PyTorch
      "2.2": What Are Tensors?
      "2.3": How Do We Use Tensors in PyTorch?
      "2.4": Improving Code Efficiency with Linear Algebra
      "2.5": Debugging Code
      "2.6": Revisiting the Perceptron Algorithm
      "2.7": Seeing Predictive Models as Computation Graphs
  llm-book:
    kind: book
    title: Build a Large Language Model (From Scratch)
    sections:
      "2.6": Data sampling with a sliding window
      "2.7": Creating token embeddings
      "2.8": Encoding word positions
      "A.1": What is PyTorch
      "A.2": Understanding tensors
      "A.3": Seeing models as computation graphs
      "A.4": Implementing multilayer neural networks
      "A.5": Setting up efficient data loaders
  perceptron-post:
    kind: post
    title: "Linear Supervised Learning, Part 3: Perceptron"
  probability:
    kind: book
    title: Probability and Statistics
    sections:
      "1.4": Set Theory
    exercises:
      "1.4": 14
  llms-repo:
    kind: repository
    title: LLMs-from-scratch
  bpe-post:
    kind: post
    title: Byte pair encoding, by hand
""",
    "assignments/2024-03-28.yaml": """\
date: 2024-03-28
items:
  - id: video-1
    resource: tokenizer-video
    until: "01:11:38"
  - id: course-2
    resource: dl-course
    units: 2.1-2.7
  - id: book-2-6
    resource: llm-book
    sections: "2.6"
  - id: appendix-a1-a3
    resource: llm-book
    sections: A1-A3
  - id: perceptron-1
    resource: perceptron-post
""",
    "assignments/2024-04-08.yaml": """\
date: 2024-04-08
items:
  - id: push-work
    resource: llms-repo
    task: Add your work to our GitHub, then tell me
    mentor_todo: Look through the pushed work and merge it
  - id: book-2-6-2-8
    resource: llm-book
    sections: 2.6-2.8
  - id: perceptron-2
    resource: perceptron-post
  - id: prob-ex-1-4
    resource: probability
    exercises: {section: "1.4", numbers: 1-4}
""",
    "assignments/2024-04-16.yaml": """\
date: 2024-04-16
items:
  - id: appendix-a4-a5
    resource: llm-book
    sections: A4-A5
  - id: prob-ex-6-11
    resource: probability
    exercises: {section: "1.4", numbers: 6-11}
  - id: bpe-post
    resource: bpe-post
  - id: mentor-bpe
    task: Finish the BPE encode/decode example
    owner: mentor
""",
    "quizzes/contiguity.yaml": """\
topic: contiguity
title: Tensor contiguity
questions:
  - id: contiguity-view
    type: single
    prompt: Which line raises RuntimeError?
    choices: [t.T.reshape(4), t.T.view(4), t.T.contiguous().view(4)]
    answer: 2
  - id: contiguity-rows
    type: text
    prompt: In which order does PyTorch store a matrix by default?
    answer: [row-major, row major]
""",
    "quizzes/logits.yaml": """\
topic: logits
title: Logits
questions:
  - id: logit-inverse
    type: text
    prompt: The logit is the inverse of which function?
    answer: [sigmoid, logistic]
""",
}


def write_curriculum(root: Path) -> Path:
    """Writes the fixture curriculum under `root` and returns `root`."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    """A UTC moment in 2024."""
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


def _review(store: ProgressStore, qid: str, rating: int, when: datetime, lapses: int) -> None:
    card = store.card(qid)
    state = next_review(card.card if card else None, rating, when, enable_fuzzing=False)
    store.record_review(
        qid,
        card=state.card,
        due=state.due,
        lapses=lapses,
        rating=rating,
        answer="b" if rating == GOOD else "a",
        is_correct=rating != AGAIN,
        now=when,
    )


def seed(store: ProgressStore) -> ProgressStore:
    """Records a plausible history: ticks, a video position, a note, a question, reviews."""
    course = [f"dl-course/2.{n}" for n in range(1, 8)]
    store.mark(["llm-book/A.1", "llm-book/A.2", "llm-book/A.3"], True, now=at(26, 18, 0, 3))
    store.mark(course[:3], True, now=at(27, 19, 0, 3))
    store.mark(course[3:5], True, now=at(27, 19, 25, 3))
    store.set_position("tokenizer-video/position", 3130, now=at(27, 21, 0, 3))
    store.mark(["task/push-work"], True, now=at(7, 10, 0))
    store.mark([f"probability/1.4/ex{n}" for n in range(1, 5)], True, now=at(7, 11, 0))
    store.mark(["llm-book/2.6"], True, now=at(10, 18, 0))
    store.mark(["llm-book/2.7"], True, now=at(10, 18, 20))
    store.add_note("llm-book/2.7", "Embeddings are a lookup table.", now=at(10, 18, 25))
    store.mark(["llm-book/A.4", "llm-book/A.5"], True, now=at(13, 17, 0))
    store.mark(["probability/1.4/ex6", "probability/1.4/ex7"], True, now=at(14, 20, 0))
    store.mark(["probability/1.4/ex9"], True, now=at(14, 20, 10))
    store.mark(["old-book/1.1"], True, now=at(20, 9, 0, 3))
    store.add_question(MEETING, "Why bytes([idx]) and not bytes(idx)?", now=at(14, 21, 0))
    store.add_question(date(2024, 4, 8), "How many dims has torch.tensor(5)?", now=at(5, 9, 0))
    for minute, rating in ((30, GOOD), (35, AGAIN), (40, GOOD)):
        _review(store, "contiguity-view", rating, at(14, 20, minute), lapses=4)
    _review(store, "logit-inverse", GOOD, at(14, 20, 45), lapses=0)
    _review(store, "contiguity-rows", GOOD, at(2, 9, 0), lapses=0)  # before the period
    return store
