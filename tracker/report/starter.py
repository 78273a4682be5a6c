"""Provides the files of a new curriculum repository (`study init`): one example of each kind.

A mentor starts from a catalogue with one resource of each kind (book, course, video, post,
repository, page), a first meeting with one item of each kind and a topic to discuss with a snippet,
a quiz on that topic, the CI workflow, and a README that tells the mentee how to begin. Every
file passes `study check` as written; the mentor edits them from there.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["WORKFLOW_PATH", "first_meeting_date", "starter_files"]

WORKFLOW_PATH = ".github/workflows/curriculum.yml"
"""Where the CI workflow goes in the new repository (GitHub Actions reads it there)."""

_RESOURCES = """\
# The catalogue: everything the meetings refer to, one entry per resource (book | course |
# video | post | repository | page | notebook). Quote labels and positions: YAML reads 2.10 as the number 2.1.
resources:
  llm-book:
    kind: book
    title: Build a Large Language Model (From Scratch)
    author: Sebastian Raschka
    url: https://www.manning.com/books/build-a-large-language-model-from-scratch
    sections:                       # label: title, in the book's order
      "2.1": Understanding word embeddings
      "2.2": Tokenizing text
      "2.3": Converting tokens into token IDs
      "2.4": Adding special context tokens
      "A.1": What is PyTorch?
      "A.2": Understanding tensors

  dl-course:
    kind: course
    title: Deep Learning Fundamentals
    author: Sebastian Raschka
    url: https://lightning.ai/courses/deep-learning-fundamentals/
    sections:                       # a course's units
      "2.1": Introducing PyTorch
      "2.2": What are tensors?
      "2.3": How do we use tensors in PyTorch?
    exercises:                      # how many exercises a unit has
      "2": 2

  tokenizer-video:
    kind: video
    title: Let's build the GPT Tokenizer
    author: Andrej Karpathy
    url: https://www.youtube.com/watch?v=zduSFxRajkE
    length: "02:13:35"
    chapters:                       # optional, in order
      - {at: "00:00:00", title: "intro: tokenization, GPT-2 paper"}
      - {at: "00:05:50", title: "tokenization by example in a Web UI (tiktokenizer)"}
      - {at: "00:14:56", title: "strings in Python, Unicode code points"}
      - {at: "00:18:15", title: "Unicode byte encodings, ASCII, UTF-8, UTF-16, UTF-32"}

  perceptron-post:
    kind: post
    title: "Linear Supervised Learning, Part 3: Perceptron"
    author: Reza Borhani
    url: https://rezaborhani.github.io/mlr/blog_posts/Linear_Supervised_Learning/Part_3_Perceptron.html

  llms-repo:
    kind: repository
    title: rasbt/LLMs-from-scratch
    author: Sebastian Raschka
    url: https://github.com/rasbt/LLMs-from-scratch
    note: The book's code; fork it and push your work there.

  attention-notebook:
    kind: notebook                  # a Jupyter notebook (one on GitHub opens in Colab too)
    title: "Chapter 3: Coding attention mechanisms"
    url: https://github.com/rasbt/LLMs-from-scratch/blob/main/ch03/01_main-chapter-code/ch03.ipynb

  logit-answer:
    kind: page                      # one web page: an answer, an article, a PDF
    title: What does the logit mean?
    url: https://stats.stackexchange.com/q/52825
"""

_MEETING = """\
# The first meeting: what is due by {day}, in this order. One item of each kind; change them,
# add more, and start a new file for the next meeting with `study new`.
date: {iso}
title: For the first meeting
note: In the order listed here.
items:
  - resource: tokenizer-video
    until: "00:18:15"               # a video: watch up to here (from: "00:05:50" starts later)
  - resource: dl-course
    units: 2.1-2.3                  # course units: a range, one by one
  - resource: dl-course
    exercises: {{section: "2", numbers: 1-2}}   # exercises, one by one
  - resource: llm-book
    sections: A1-A2                 # book sections: lettered ranges work too
  - resource: llm-book
    read_until: "2.3"               # read up to (not including) a section
  - resource: perceptron-post       # nothing else: the whole post
    note: Take notes as you read.
  - resource: logit-answer          # a page from the catalogue
  - url: https://en.wikipedia.org/wiki/Logit   # or a one-off link, with no catalogue entry
    title: Logit (Wikipedia)
  - resource: llms-repo
    path: ch02/01_main-chapter-code/ch02.ipynb   # one file of a repository: one tick
  - resource: attention-notebook
    optional: true                  # if you have time: never overdue, never carried over
  - task: Fork llms-repo and push your first notebook, then tell me
    resource: llms-repo
    mentor_todo: Review the pushed notebook   # the mentor's follow-up
discuss:                            # the meeting's agenda
  - id: tensor-basics
    title: Tensors and their shapes
    notes: |
      A tensor's `shape` lists its sizes; `sum(dim=0)` adds the rows together and removes
      that dimension.
    snippets:
      - id: first-snippet
        title: Summing along a dimension
        determinism: D              # D: no randomness; the output is compared
        code: |
          import torch
          t = torch.tensor([[1, 2, 3], [4, 5, 6]])
          print(t.shape, t.sum(dim=0))
        expected: |                 # `study check --run` compares the printed output
          torch.Size([2, 3]) tensor([5, 7, 9])
"""

_QUIZ = """\
# Questions on the first meeting's topic. Where code prints the answer, the printed output is
# the truth; a declared `answer` is a cross-check that `study check --run` verifies.
topic: tensor-basics
title: Tensors and their shapes
meeting: {iso}                      # the questions unlock on this day
questions:
  - id: tensor-basics-sum
    type: predict                   # the truth is the code's live output
    prompt: What does this print?
    code: |
      import torch
      t = torch.tensor([[1, 2, 3], [4, 5, 6]])
      print(t.sum(dim=1))
    answer: tensor([ 6, 15])
    explanation: "`dim=1` adds along each row: 1 + 2 + 3 and 4 + 5 + 6."

  - id: tensor-basics-shape
    type: single
    prompt: "What is the shape of `torch.zeros(2, 3).T`?"
    choices: ["`(2, 3)`", "`(3, 2)`", "`(6,)`"]
    answer: 2                       # 1-based
    explanation: "`.T` swaps the two dimensions."

  - id: tensor-basics-numel
    type: numeric
    prompt: How many elements does a tensor of shape (4, 5, 6) hold?
    code: |
      import torch
      print(torch.zeros(4, 5, 6).numel())
    answer: 120
    tolerance: 0

  - id: tensor-basics-dtype
    type: text
    prompt: "Which dtype does `torch.tensor([1, 2])` have? (`torch.` and all)"
    answer: [torch.int64, int64, torch.long]
    explanation: Python integers become 64-bit integers.
"""

_README = """\
# Our study plan

This repository holds what we study, meeting by meeting, for study-tracker: the app you open
to see what is due, record your progress, take the quizzes and run the snippets we discuss.

## For the mentee: getting started

1. Install the app once, from the wheel or the git URL your mentor gives you (either tool works):

   ```sh
   uv tool install --with "torch==2.13.0" --index https://download.pytorch.org/whl/cpu \\
       study_tracker-0.1.0-py3-none-any.whl
   ```

   The CPU index keeps torch to a few hundred MB; without it, torch on Linux bundles CUDA
   (several GB). With pipx: `pipx install --preinstall "torch==2.13.0"
   --pip-args="--extra-index-url https://download.pytorch.org/whl/cpu" <the wheel>`. To run
   the snippets with the torch you already have instead, point the app at that Python once:
   `export STUDY_PYTHON=/path/to/your/python` (or `study --python /path/to/your/python`).

2. Clone this repository and open the app inside it:

   ```sh
   git clone <this repository's URL> study-plan
   cd study-plan
   study
   ```

   `study` opens the agenda of the next meeting. `enter` opens an item, `ctrl+p` lists every
   action, `r` reviews the quiz cards that are due.

3. Before each meeting, `git pull` (the app reloads by itself), and share your progress:

   ```sh
   study export                    # writes progress/<your login name>.json
   git add progress && git commit -m "My progress" && git push
   ```

Your progress stays in a database in your user data directory; the app never writes into
these files.

## For the mentor

- `assignments/resources.yaml`: the catalogue; `assignments/YYYY-MM-DD.yaml`: one file per
  meeting (`study new` scaffolds the next one with the unfinished work carried over).
- `quizzes/*.yaml`: questions by topic.
- `study check` validates everything (every problem as `file:line:col`); `study check --run`
  also runs every snippet and verifies every answer. CI runs both on every push
  (`{workflow}`) and adds `study report` over `progress/*.json` to the run's summary.
"""


def first_meeting_date(today: date) -> date:
    """The first meeting of a new curriculum: a week from today."""
    return today + timedelta(days=7)


def starter_files(today: date, workflow: str) -> dict[str, str]:
    """The files of a new curriculum repository, by path relative to its root.

    Args:
        today: The user's date; the first meeting is a week later.
        workflow: The text of the CI workflow (the example that ships with study-tracker).

    Returns:
        Each file's relative POSIX path mapped to its text, in the order to write them.
    """
    day = first_meeting_date(today)
    iso = day.isoformat()
    return {
        "assignments/resources.yaml": _RESOURCES,
        f"assignments/{iso}.yaml": _MEETING.format(iso=iso, day=day.strftime("%d/%m/%Y")),
        "quizzes/tensor-basics.yaml": _QUIZ.format(iso=iso),
        WORKFLOW_PATH: workflow,
        "progress/.gitkeep": "",
        "README.md": _README.format(workflow=WORKFLOW_PATH),
    }
