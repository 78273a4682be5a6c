"""`study run` through a real subprocess: streamed output and every exit code."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _study(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--curriculum", str(ROOT), "run", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_a_snippet_by_id_prints_2213() -> None:
    done = _study("s03")
    assert done.returncode == 0, done.stderr
    assert "Total number of trainable model parameters: 2213" in done.stdout


@pytest.mark.parametrize(
    ("code", "args", "exit_code", "words"),
    [
        ("import sys\nprint('out')\nprint('err', file=sys.stderr)\n", (), 0, ""),
        ("print('before')\n1 / 0\n", (), 1, "ZeroDivisionError"),
        ("while True:\n    pass\n", ("--timeout", "0.5"), 124, "time limit of 0.5 s"),
        (
            "import torch\nhoard = []\nwhile True:\n    hoard.append(torch.ones(25_000_000))\n",
            ("--memory", "200"),
            137,
            "memory limit of 200 MiB exceeded",
        ),
        ("import ctypes\nctypes.string_at(0)\n", (), 137, "segmentation fault"),
    ],
)
def test_code_on_stdin_exits_with_its_status(
    code: str, args: tuple[str, ...], exit_code: int, words: str
) -> None:
    done = _study("-", *args, stdin=code)
    assert done.returncode == exit_code, done.stderr
    assert words in done.stderr
    if exit_code == 0:
        assert (done.stdout, done.stderr) == ("out\nerr\n", "")  # one stream, in order
    if exit_code == 1:
        assert done.stdout == "before\n"
        assert 'File "<stdin>", line 2' in done.stderr


def test_an_unknown_id_suggests_close_ones() -> None:
    done = _study("s3")
    assert done.returncode == 2
    assert "unknown snippet 's3'" in done.stderr
    assert "'s03'" in done.stderr


def test_an_id_in_the_other_case_runs_the_one_snippet_it_names() -> None:
    done = _study("S01")  # the README and the mentor's notes write S01; the id is s01
    assert done.returncode == 0, done.stderr
    assert "shares memory" in done.stdout


@pytest.mark.parametrize("args", [("-", "--timeout", "0"), ("-", "--memory", "lots"), ()])
def test_bad_arguments_are_usage_errors(args: tuple[str, ...]) -> None:
    assert _study(*args).returncode == 2


def test_a_python_that_cannot_start_is_a_usage_error() -> None:
    done = _study("-", "--python", "/no/such/python", stdin="print(1)\n")
    assert done.returncode == 2
    assert "cannot start the worker with /no/such/python" in done.stderr


def _started(code: str) -> subprocess.Popen[str]:
    """`study run -` with `code`, once the snippet has printed its first line."""
    cli = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--curriculum", str(ROOT), "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert cli.stdin is not None and cli.stdout is not None
    cli.stdin.write(code)
    cli.stdin.close()
    assert cli.stdout.readline() == "started\n"
    return cli


def _finish(cli: subprocess.Popen[str]) -> str:
    """Waits for `cli` to exit; returns its stderr."""
    assert cli.stdout is not None and cli.stderr is not None
    cli.wait(120)
    cli.stdout.close()
    with cli.stderr:
        return cli.stderr.read()


def test_ctrl_c_interrupts_the_snippet_and_exits_130() -> None:
    loop = "import torch\nprint('started', flush=True)\nwhile True:\n    torch.ones(64) @ torch.ones(64)\n"
    cli = _started(loop)
    cli.send_signal(signal.SIGINT)
    err = _finish(cli)
    assert cli.returncode == 130, err
    assert "KeyboardInterrupt" in err
    assert err.rstrip().endswith("study run: interrupted")


def test_a_second_ctrl_c_kills_a_snippet_that_ignores_the_first_and_exits_137() -> None:
    stubborn = (
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "print('started', flush=True)\ntime.sleep(60)\n"
    )
    cli = _started(stubborn)
    assert cli.stderr is not None
    cli.send_signal(signal.SIGINT)
    assert cli.stderr.readline() == "study run: interrupting (Ctrl+C again kills it)\n"
    cli.send_signal(signal.SIGINT)  # within the 3 s an interrupted snippet gets to stop
    err = _finish(cli)
    assert cli.returncode == 137, err
    assert err.rstrip().endswith("study run: killed")


def test_escape_sequences_reach_the_terminal_inert_but_colours_and_returns_do_not() -> None:
    code = b"print('\\x1b[31mred\\x1b[0m\\r\\x1b]52;c;aGk=\\x07\\x1b[2J')\n"
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--curriculum", str(ROOT), "run", "-"],
        input=code,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"\x1b[31mred\x1b[0m\r\\x1b]52;c;aGk=\\x07\\x1b[2J\n"
