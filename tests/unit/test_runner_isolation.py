"""Every run starts pristine, with the real worker and torch: what one snippet does to its process
(modules, builtins, environment, descriptors, the protocol) never reaches the next run, and no
process it starts outlives it, however it detaches."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT, wait_gone
from tracker.runner import Limits, RunStatus, SnippetRunner


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(limits=Limits(timeout=20.0, grace=0.5)) as shared:
        yield shared


PROBE = (
    "import builtins, os, sys, torch\n"
    "print(1 + 2, torch.ones(1) + torch.ones(1), len('abc'))\n"
    "print(repr(torch.zeros(2)), torch.get_default_device(),"
    " torch.are_deterministic_algorithms_enabled())\n"
    "print(sys.getrecursionlimit(), sys.gettrace(), os.environ.get('STUDY_POISON'))\n"
)
"""What a fresh process says; every run after a poisoning snippet must say the same."""


@pytest.mark.parametrize(
    "poison",
    [
        "import torch\ntorch.Tensor.__add__ = lambda self, other: torch.zeros(1)",
        "import torch\ntorch.Tensor.__repr__ = lambda self: 'tensor([0.])'",
        "import builtins\nbuiltins.print = lambda *args, **kwargs: None",
        "import builtins\nbuiltins.len = lambda obj: 0",
        "import os\nos.environ['STUDY_POISON'] = 'yes'",
        "import torch\ntorch.set_default_device('meta')",
        "import torch\ntorch.use_deterministic_algorithms(True)",
        "import sys\nsys.setrecursionlimit(80)",
        "import sys\nsys.settrace(lambda *args: None)",
        "import json\njson.dumps = lambda *args, **kwargs: 'garbage'",
        "import os\nos.write = lambda fd, data: len(data)",
        "import os\nfor fd in range(3, 256):\n    try:\n        os.set_inheritable(fd, True)\n"
        "    except OSError:\n        pass",
    ],
)
def test_a_snippet_cannot_change_the_next_run(runner: SnippetRunner, poison: str) -> None:
    clean = runner.run(PROBE)
    assert clean.is_ok, clean.error
    spoiled = runner.run(poison)
    assert spoiled.status in (RunStatus.OK, RunStatus.ERROR), spoiled.message
    after = runner.run(PROBE)
    assert after.is_ok, after.error
    assert after.stdout == clean.stdout
    assert "3 tensor([2.]) 3" in after.stdout


def test_a_snippet_that_rebinds_builtins_still_gets_its_own_result(runner: SnippetRunner) -> None:
    code = "import builtins, json\nbuiltins.len = lambda obj: 0\nprint('still here')\n"
    result = runner.run(code)
    assert result.is_ok, result.message
    assert result.stdout == "still here\n"


FORGE = (
    "import json, os, struct, stat\n"
    "body = json.dumps({'op': 'done', 'status': 'ok', 'error': None, 'nonce': 'guess'}).encode()\n"
    "for fd in range(3, 64):\n"
    "    try:\n"
    "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
    "            os.write(fd, struct.pack('>I', len(body)) + body)\n"
    "    except OSError:\n"
    "        pass\n"
    "print('forged')\n"
)


def test_a_forged_result_is_reported_for_that_run_only(runner: SnippetRunner) -> None:
    forged = runner.run(FORGE)
    assert forged.status is RunStatus.ERROR
    assert "forged" in forged.message and "the next run is not affected" in forged.message
    after = runner.run("print('next')")
    assert after.is_ok and after.stdout == "next\n"


def test_garbage_on_the_channel_is_reported_for_that_run_only(runner: SnippetRunner) -> None:
    code = (
        "import os, stat\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "            os.write(fd, b'\\xff\\xff\\xff\\xffnot a frame')\n"
        "    except OSError:\n"
        "        pass\n"
    )
    garbled = runner.run(code)
    assert garbled.status is RunStatus.ERROR
    assert "garbled" in garbled.message
    assert runner.run("print(2)").stdout == "2\n"


def test_closing_every_descriptor_is_a_missing_result(runner: SnippetRunner) -> None:
    closed = runner.run("import os\nprint('bye', flush=True)\nos.closerange(3, 4096)\n")
    assert closed.status is RunStatus.KILLED
    assert "result is missing" in closed.message
    assert closed.stdout == "bye\n"
    assert runner.run("print(3)").stdout == "3\n"


def test_each_run_is_a_fresh_process_but_scratch_runs_share_one(runner: SnippetRunner) -> None:
    pid = "import os\nprint(os.getpid())"
    fresh = {runner.run(pid).stdout for _ in range(3)}
    assert len(fresh) == 3
    scratch = {runner.run(pid, scratch=True).stdout for _ in range(3)}
    assert len(scratch) == 1


def test_a_scratch_poisoning_stays_in_scratch(runner: SnippetRunner) -> None:
    assert runner.run("import torch\ntorch.set_default_dtype(torch.float64)", scratch=True).is_ok
    kept = runner.run("import torch\nprint(torch.get_default_dtype())", scratch=True)
    assert kept.stdout == "torch.float64\n"  # scratch keeps what it changed, on purpose
    fresh = runner.run("import torch\nprint(torch.get_default_dtype())")
    assert fresh.stdout == "torch.float32\n"


COMPILED_AHEAD = (
    "import linecache, sys\n"
    "source = ''.join(linecache.cache['<again>'][2])\n"
    "print(('<again>', source) in sys.modules['__main__'].COMPILED, 'pristine')\n"
)
"""Says whether its own code came compiled from the zygote (child.py is the worker's __main__)."""


def test_code_run_again_comes_compiled_from_the_zygote(runner: SnippetRunner) -> None:
    assert runner.run(COMPILED_AHEAD, filename="<again>").stdout == "False pristine\n"
    assert runner.run(COMPILED_AHEAD, filename="<again>").stdout == "True pristine\n"


def test_rewriting_the_compiled_code_in_memory_does_not_reach_the_next_run(
    runner: SnippetRunner,
) -> None:
    assert runner.run(COMPILED_AHEAD, filename="<again>").is_ok  # compiled ahead from now on
    rewrite = (
        "import ctypes, sys\n"
        "for (name, _source), code in sys.modules['__main__'].COMPILED.items():\n"
        "    if name == '<again>':\n"
        "        text = code.co_consts[code.co_consts.index('pristine')]\n"
        "        start = id(text) + sys.getsizeof(text) - len(text) - 1\n"
        "        ctypes.memmove(start, b'poisoned', 8)\n"
        "        print(text)\n"
    )
    assert runner.run(rewrite).stdout == "poisoned\n"  # it did rewrite its own copy
    assert runner.run(COMPILED_AHEAD, filename="<again>").stdout == "True pristine\n"


def test_a_compile_warning_shows_on_every_run(runner: SnippetRunner) -> None:
    for _ in range(2):
        result = runner.run("print(1 is 1)\n", filename="<warns>")
        assert result.is_ok
        assert "SyntaxWarning" in result.stdout and result.stdout.endswith("True\n")


def test_a_snippet_too_long_to_compile_ahead_still_runs_again(runner: SnippetRunner) -> None:
    code = "x = 0\n" + "x += 1\n" * 20_000 + "print(x)\n"  # beyond the fork request's room
    for _ in range(2):
        assert runner.run(code).stdout == "20000\n"
    assert runner.run("print(3)").stdout == "3\n"


def test_the_output_cap_counts_both_streams_together(runner: SnippetRunner) -> None:
    code = (
        "import os, sys\n"
        "os.write(1, b'o' * 700_000)\n"
        "os.write(2, b'e' * 700_000)\n"
        "print('x' * 100_000, file=sys.stderr)\n"
    )
    result = runner.run(code)
    assert result.is_ok, result.message
    assert len(result.stdout) == 1_000_000
    assert result.stdout == "o" * 700_000 + "e" * 300_000
    assert result.truncated_bytes == 400_000 + 100_001


def test_carriage_returns_and_colours_arrive_raw_as_written(runner: SnippetRunner) -> None:
    code = (
        "import sys\n"
        "for step in range(3):\n"
        "    sys.stderr.write(f'\\r{step}/3')\n"
        "    sys.stderr.flush()\n"
        "print('\\n\\x1b[31mred\\x1b[0m')\n"
    )
    result = runner.run(code)
    assert result.stdout == "\r0/3\r1/3\r2/3\n\x1b[31mred\x1b[0m\n"


# --- no process outlives its run ---------------------------------------------------------------

DOUBLE_FORK = (
    "import ctypes, os, subprocess, time\n"
    "ctypes.CDLL(None).prctl(36, 0, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER off, in case it was on\n"
    "read, write = os.pipe()\n"
    "if os.fork() == 0:\n"
    "    sleeper = subprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
    "    os.write(write, str(sleeper.pid).encode())\n"
    "    os._exit(0)  # the sleeper is an orphan now\n"
    "os.close(write)\n"
    "print(os.read(read, 100).decode(), flush=True)\n"
)


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("a child", "import subprocess\nprint(subprocess.Popen(['sleep', '1000']).pid)\n"),
        (
            "a child in a session of its own",
            "import subprocess\n"
            "print(subprocess.Popen(['sleep', '1000'], start_new_session=True).pid)\n",
        ),
        ("a double fork after clearing the subreaper flag", DOUBLE_FORK),
        (
            "a daemon started by a shell",
            "import subprocess\n"
            "print(subprocess.run(['sh', '-c', 'setsid sleep 1000 > /dev/null 2>&1 & echo $!'],"
            " capture_output=True, text=True).stdout.strip())\n",
        ),
    ],
)
def test_nothing_a_run_starts_outlives_it(runner: SnippetRunner, label: str, code: str) -> None:
    result = runner.run(code)
    assert result.is_ok, (label, result.error, result.message)
    pid = int(result.stdout.split()[-1])
    assert wait_gone(pid), label


@pytest.mark.parametrize("ending", ["timeout", "interrupt", "kill", "restart"])
def test_nothing_outlives_a_run_that_is_stopped(runner: SnippetRunner, ending: str) -> None:
    code = DOUBLE_FORK + "import time\ntime.sleep(60)\n"
    pids: list[str] = []

    def on_output(text: str) -> None:
        pids.append(text)
        {
            "timeout": lambda: None,
            "interrupt": runner.interrupt,
            "kill": runner.kill,
            "restart": runner.restart,
        }[ending]()

    result = runner.run(code, on_output=on_output, timeout=3.0 if ending == "timeout" else 60)
    assert result.status is not RunStatus.OK, ending
    assert wait_gone(int("".join(pids).split()[0])), ending


def _detached_pids(parent_code: str, snippet: str) -> tuple[subprocess.CompletedProcess[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", parent_code, snippet],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    return done, done.stdout


ESCAPES = (
    "import os, subprocess, time\n"
    "detached = subprocess.Popen(['sleep', '1000'], start_new_session=True).pid\n"
    + DOUBLE_FORK.replace("print(os.read(read, 100).decode(), flush=True)\n", "")
    + "orphan = int(os.read(read, 100).decode())\n"
    "print(os.getpid(), detached, orphan, flush=True)\n"
    "time.sleep(60)\n"
)
"""A snippet that starts a session-detached child and an orphan, prints the pids, then waits."""


def test_nothing_survives_a_sigkill_of_the_app() -> None:
    parent = (
        "import os, signal, sys\n"
        "from tracker.runner import SnippetRunner\n"
        "def on_output(text):\n"
        "    print(text, end='', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)  # no atexit, no cleanup\n"
        "SnippetRunner().run(sys.argv[1], on_output=on_output)\n"
    )
    done, out = _detached_pids(parent, ESCAPES)
    assert done.returncode == -signal.SIGKILL, done.stderr
    pids = [int(pid) for pid in out.split()]
    assert len(pids) == 3
    for pid in pids:
        assert wait_gone(pid), pid


def test_nothing_survives_a_sigkill_of_study_run() -> None:
    cli = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--curriculum", str(ROOT), "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert cli.stdin is not None and cli.stdout is not None
    cli.stdin.write(ESCAPES)
    cli.stdin.close()
    pids = [int(pid) for pid in cli.stdout.readline().split()]
    cli.kill()
    cli.wait()
    assert len(pids) == 3, cli.stderr.read() if cli.stderr else ""
    for pid in pids:
        assert wait_gone(pid), pid
    cli.stdout.close()
    if cli.stderr:
        cli.stderr.close()


def test_a_snippet_that_kills_the_zygote_spoils_only_its_own_run() -> None:
    with SnippetRunner() as own:
        killer = (
            "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(30)"
        )
        result = own.run(killer)
        assert result.status is RunStatus.KILLED
        assert "a fresh worker is starting" in result.message
        after = own.run("print('fine')")
        assert after.is_ok and after.stdout == "fine\n"


def test_the_spares_warm_up_runs_to_its_end(runner: SnippetRunner) -> None:
    # An error in it would cut every rehearsal short after its first round, silently.
    code = "import sys\nexec(sys.modules['__main__'].WARM_UP, {})\nprint('to its end')\n"
    assert runner.run(code).stdout == "to its end\n"


def test_a_run_sees_nothing_of_the_spares_rehearsal(runner: SnippetRunner) -> None:
    probe = (
        "import linecache, torch\n"
        "seed, drawn = torch.initial_seed(), torch.rand(2).tolist()\n"
        "torch.manual_seed(seed)\n"
        "print(sorted(name for name in linecache.cache if name.startswith('<')), seed,"
        " drawn == torch.rand(2).tolist())\n"
    )
    first, second = (runner.run(probe, filename="<probe>").stdout.split() for _ in range(2))
    assert first[0] == second[0] == "['<probe>']"  # no line of the warm-up's code is kept
    assert first[2] == second[2] == "True"  # torch's generator is at the start of its seed
    assert first[1] != second[1]  # and, as in a fresh process, each run has a seed of its own
