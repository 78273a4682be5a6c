"""The runner's limits with the real worker: timeouts, memory, output, crashes, leftovers."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.conftest import wait_gone
from tracker.runner import Limits, RunStatus, SnippetRunner

SLACK = 3.0
"""Seconds allowed beyond timeout + grace on a loaded 2-core machine (a bound, not a benchmark)."""


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(limits=Limits(timeout=1.0, grace=0.5)) as shared:
        assert shared.wait_ready(300)  # the timeouts below count from a warm start
        yield shared


def _worker_pid(runner: SnippetRunner) -> int:
    result = runner.run("import os\nprint(os.getpid())")
    assert result.is_ok, result.message
    return int(result.stdout)


def _assert_usable(runner: SnippetRunner) -> None:
    result = runner.run("print(6 * 7)")
    assert result.is_ok, result.message
    assert result.stdout == "42\n"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("a python loop", "while True:\n    pass\n"),
        (
            "a loop that swallows KeyboardInterrupt",
            "import time\nwhile True:\n    try:\n        time.sleep(0.01)\n"
            "    except KeyboardInterrupt:\n        pass\n",
        ),
        (
            "a long torch op",
            "import torch\na = torch.rand(2000, 2000)\nwhile True:\n    a = (a @ a).clamp(-1, 1)\n",
        ),
        (
            "a handler that ignores SIGINT",
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)\n",
        ),
    ],
)
def test_timeouts_stop_the_snippet(runner: SnippetRunner, label: str, code: str) -> None:
    start = time.monotonic()
    result = runner.run(code)
    elapsed = time.monotonic() - start
    assert result.status is RunStatus.TIMEOUT, (label, result.message)
    assert "time limit of 1 s" in result.message
    assert elapsed < 1.0 + 0.5 + SLACK
    _assert_usable(runner)


def test_a_timeout_that_needs_a_kill_replaces_the_worker(runner: SnippetRunner) -> None:
    before = _worker_pid(runner)
    result = runner.run(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)\n"
    )
    assert result.status is RunStatus.TIMEOUT
    assert "its process was killed" in result.message
    assert wait_gone(before)
    assert _worker_pid(runner) != before


def test_a_per_run_timeout_overrides_the_default(runner: SnippetRunner) -> None:
    result = runner.run("import time\ntime.sleep(0.3)\nprint('done')", timeout=5.0)
    assert result.is_ok and result.stdout == "done\n"
    assert runner.run("import time\ntime.sleep(2)", timeout=0.2).status is RunStatus.TIMEOUT


def test_a_memory_bomb_is_killed_with_the_limit_in_words(runner: SnippetRunner) -> None:
    code = "import torch\nhoard = []\nwhile True:\n    hoard.append(torch.ones(25_000_000))\n"
    result = runner.run(code, memory_mb=300, timeout=30.0)
    assert result.status is RunStatus.KILLED
    assert result.message.startswith("memory limit of 300 MiB exceeded")
    _assert_usable(runner)


def test_a_flood_of_output_keeps_the_head_and_counts_the_rest(runner: SnippetRunner) -> None:
    seen: list[int] = []
    code = (
        "import sys\n"
        "for _ in range(100):\n"
        "    sys.stdout.write('x' * 1_000_000)\n"
        "print('the end')\n"
    )
    result = runner.run(code, on_output=lambda text: seen.append(len(text)), timeout=30)
    assert result.is_ok, result.message
    assert result.stdout == "x" * 1_000_000
    assert result.truncated_bytes == 99_000_000 + len("the end\n")
    assert sum(seen) == 1_000_000  # what was cut never crossed the pipe
    assert "output cut after 1,000,000 bytes" in result.message
    _assert_usable(runner)


def test_a_segfault_is_reported_in_words_and_a_fresh_worker_takes_over(
    runner: SnippetRunner,
) -> None:
    before = _worker_pid(runner)
    result = runner.run("import ctypes\nctypes.string_at(0)")
    assert result.status is RunStatus.KILLED
    assert result.message.startswith("the worker crashed: segmentation fault (SIGSEGV)")
    assert "Segmentation fault" in result.stdout  # the dump says where
    assert _worker_pid(runner) != before


def test_os_exit_is_reported_and_the_next_run_works(runner: SnippetRunner) -> None:
    result = runner.run("import os\nprint('bye', flush=True)\nos._exit(3)")
    assert result.status is RunStatus.KILLED
    assert "exit code 3" in result.message
    _assert_usable(runner)


def test_a_signal_from_the_os_is_reported(runner: SnippetRunner) -> None:
    result = runner.run("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    assert result.status is RunStatus.KILLED
    assert "SIGKILL" in result.message
    _assert_usable(runner)


def test_a_grandchild_left_running_is_gone_afterwards(runner: SnippetRunner) -> None:
    result = runner.run("import subprocess\nprint(subprocess.Popen(['sleep', '1000']).pid)")
    assert result.is_ok
    assert "left 1 process running (sleep pid" in result.message
    assert wait_gone(int(result.stdout))


def test_a_detached_grandchild_is_gone_afterwards(runner: SnippetRunner) -> None:
    code = (
        "import subprocess\n"
        "p = subprocess.Popen(['sh', '-c', 'sleep 1000 & echo $!'], stdout=subprocess.PIPE,"
        " start_new_session=True)\n"
        "print(p.stdout.readline().decode().strip())\n"
    )
    result = runner.run(code)
    assert result.is_ok, result.error
    assert wait_gone(int(result.stdout))


def test_a_fork_is_gone_afterwards_and_stays_silent(runner: SnippetRunner) -> None:
    code = "import os, time\npid = os.fork()\nif pid == 0:\n    time.sleep(1000)\nprint(pid)\n"
    result = runner.run(code)
    assert result.is_ok
    assert result.stdout.count("\n") == 1  # the forked copy printed nothing
    assert wait_gone(int(result.stdout))
    _assert_usable(runner)


def test_children_of_a_killed_worker_are_gone(runner: SnippetRunner) -> None:
    code = (
        "import subprocess, time\n"
        "print(subprocess.Popen(['sleep', '1000']).pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    pids: list[str] = []
    result = runner.run(code, on_output=pids.append)
    assert result.status is RunStatus.TIMEOUT
    assert wait_gone(int("".join(pids)))


def test_a_thread_left_running_replaces_the_worker(runner: SnippetRunner) -> None:
    before = _worker_pid(runner)
    result = runner.run(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(1000,)).start()"
    )
    assert result.is_ok
    assert "left threads running" in result.message
    assert wait_gone(before)
    _assert_usable(runner)


def test_interrupt_from_another_thread(runner: SnippetRunner) -> None:
    assert runner.wait_ready(60)  # the interrupt is meant for a running snippet
    timer = threading.Timer(0.3, runner.interrupt)
    timer.start()
    result = runner.run("while True:\n    pass\n", timeout=30)
    timer.join()
    assert result.status is RunStatus.INTERRUPTED
    assert result.error is not None and "KeyboardInterrupt" in result.error
    assert "child.py" not in result.error  # the worker's SIGINT handler is not the mentee's code
    _assert_usable(runner)


def test_restart_gives_a_fresh_worker(runner: SnippetRunner) -> None:
    before = _worker_pid(runner)
    runner.restart()
    assert wait_gone(before)
    assert _worker_pid(runner) != before


def test_restart_during_a_run_ends_it(runner: SnippetRunner) -> None:
    assert runner.wait_ready(60)
    timer = threading.Timer(0.3, runner.restart)
    timer.start()
    result = runner.run("import time\ntime.sleep(30)", timeout=30)
    timer.join()
    assert result.status is RunStatus.KILLED
    assert "restarted" in result.message
    _assert_usable(runner)


def test_each_run_takes_the_warm_spare(runner: SnippetRunner) -> None:
    runner.run("import os\nos._exit(1)")
    assert runner.wait_ready(60)  # state, not timing
    assert runner.status == "ready"
    spare_pid = runner.worker_pids[1]
    assert _worker_pid(runner) == spare_pid  # the run went to the process forked ahead


def test_close_leaves_no_process_behind() -> None:
    runner = SnippetRunner()
    pid = _worker_pid(runner)
    sleeper = runner.run("import subprocess\nprint(subprocess.Popen(['sleep', '1000']).pid)")
    assert sleeper.is_ok
    assert runner.wait_ready(60)  # the next spare is there
    spare = runner.worker_pids[1]
    runner.close()
    assert runner.status == "stopped"
    assert wait_gone(pid) and wait_gone(spare)


def test_closing_while_the_worker_imports_torch_kills_it_instead_of_waiting() -> None:
    runner = SnippetRunner()
    runner.start()
    zygote = runner._zygote  # the process that imports torch, then forks the run children
    assert zygote is not None and not zygote.ready.is_set(), "torch takes a while to import"

    runner.close()  # what quitting the app does, maybe a moment after it started

    assert zygote.proc.returncode == -signal.SIGKILL, "killed, not ended after the import"
    assert runner.status == "stopped" and runner.worker_pids == ()


def test_workers_and_their_children_die_with_their_parent() -> None:
    snippet = (
        "import os, subprocess, time\n"
        "print(os.getpid(), subprocess.Popen(['sleep', '1000']).pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = (
        "import os, signal, sys\n"
        "from tracker.runner import SnippetRunner\n"
        "def on_output(text):\n"
        "    print(text, end='', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)  # no atexit, no cleanup: only the lifeline\n"
        f"SnippetRunner(spare=False).run({snippet!r}, on_output=on_output)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    worker, grandchild = (int(pid) for pid in done.stdout.split())
    assert wait_gone(worker, 10)
    assert wait_gone(grandchild, 10)


def test_a_token_interrupts_only_its_own_run(runner: SnippetRunner) -> None:
    mine, other = object(), object()
    results: dict[str, object] = {}

    def first() -> None:
        code = "import time\ntime.sleep(1.5)\nprint('first')"
        results["first"] = runner.run(code, token=mine, timeout=30)

    def second() -> None:
        results["second"] = runner.run("print('second')", token=other)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    deadline = time.monotonic() + 30
    while runner.status != "running":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    threads[1].start()
    while other not in runner._waiting:  # the second run waits for its turn
        assert time.monotonic() < deadline
        time.sleep(0.01)
    runner.interrupt(other)  # stops the waiting run, not the one in progress
    for thread in threads:
        thread.join()
    first_result, second_result = results["first"], results["second"]
    assert getattr(first_result, "status", None) is RunStatus.OK
    assert getattr(second_result, "status", None) is RunStatus.INTERRUPTED
    assert getattr(second_result, "stdout", None) == ""
