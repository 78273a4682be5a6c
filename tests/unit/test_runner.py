"""The snippet runner with the real worker and torch: outputs, streams, namespaces, seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.errors import RunnerError
from tracker.runner import FakeRunner, Limits, RunResult, RunStatus, SnippetRunner
from tracker.runner.result import install_hint


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


def test_the_2213_snippet(runner: SnippetRunner) -> None:
    s03 = load_curriculum(ROOT).snippets["s03"]
    result = runner.run(s03.code)
    assert result.status is RunStatus.OK, result.error
    assert "Total number of trainable model parameters: 2213" in result.stdout.splitlines()
    assert result.stdout == s03.expected
    assert result.torch_version == version("torch")
    assert result.device == "cpu"
    assert result.seed is None
    assert runner.status == "ready"


def test_print_os_write_stderr_and_children_interleave_in_the_order_written(
    runner: SnippetRunner,
) -> None:
    seen: list[str] = []
    code = (
        "import os, subprocess, sys\n"
        "print('one')\n"
        "print('two', file=sys.stderr)\n"
        "os.write(1, b'three\\n')\n"
        "os.system('echo four')\n"
        "sys.stderr.write('five\\n')\n"
        "subprocess.run([sys.executable, '-c', 'print(6); import sys; print(7, file=sys.stderr)'])\n"
        "os.write(2, b'eight\\n')\n"
        "print('nine')\n"
    )
    result = runner.run(code, on_output=seen.append)
    assert result.is_ok, result.error
    expected = "one\ntwo\nthree\nfour\nfive\n6\n7\neight\nnine\n"
    assert result.stdout == expected  # one stream, as a terminal shows stdout and stderr
    assert "".join(seen) == expected


def test_output_streams_while_the_snippet_still_runs(runner: SnippetRunner) -> None:
    seen: list[str] = []

    def on_output(text: str) -> None:
        seen.append(text)
        runner.interrupt()  # only possible to see "early" here if it arrived mid-run

    code = "import time\nprint('early')\ntime.sleep(5)\nprint('late')\n"
    result = runner.run(code, on_output=on_output)
    assert seen == ["early\n"]
    assert result.status is RunStatus.INTERRUPTED
    assert result.stdout == "early\n"
    assert runner.run("print('still fine')").stdout == "still fine\n"


def test_each_run_gets_a_fresh_namespace(runner: SnippetRunner) -> None:
    assert runner.run("leaked = 42").is_ok
    result = runner.run("print(leaked)")
    assert result.status is RunStatus.ERROR
    assert result.error is not None and "NameError" in result.error
    assert "leaked" in result.message


def test_scratch_mode_keeps_state_until_a_fresh_run(runner: SnippetRunner) -> None:
    assert runner.run("kept = 7", scratch=True).is_ok
    assert runner.run("kept += 1\nprint(kept)", scratch=True).stdout == "8\n"
    assert runner.run("print('kept' in dir())").stdout == "False\n"
    assert runner.run("print('kept' in dir())", scratch=True).stdout == "False\n"


def test_global_settings_are_reset_between_fresh_runs(runner: SnippetRunner) -> None:
    runner.run("import torch, os\ntorch.set_default_dtype(torch.float64)\nos.chdir('/')")
    result = runner.run("import torch, os\nprint(torch.get_default_dtype(), os.getcwd())")
    assert result.stdout == f"torch.float32 {os.getcwd()}\n"


def test_a_seed_makes_torch_random_and_numpy_repeatable(runner: SnippetRunner) -> None:
    code = "import random, numpy, torch\nprint(torch.rand(3), random.random(), numpy.random.rand())"
    first = runner.run(code, seed=1234)
    runner.run(code)  # moves every generator on
    second = runner.run(code, seed=1234)
    other = runner.run(code, seed=4321)
    assert first.is_ok and first.stdout == second.stdout != other.stdout
    assert first.seed == 1234
    assert "1234" in first.summary() and "torch " in first.summary()


def test_an_exception_is_reported_with_the_snippets_frames_only(runner: SnippetRunner) -> None:
    result = runner.run("x = 1\ndef f():\n    return 1 / 0\nf()\n", filename="<snippet demo>")
    assert result.status is RunStatus.ERROR
    assert result.error is not None
    assert 'File "<snippet demo>", line 3, in f' in result.error
    assert "return 1 / 0" in result.error  # the source line is shown
    assert "child.py" not in result.error
    assert result.message == "the snippet raised ZeroDivisionError: division by zero"


def test_a_syntax_error_and_sys_exit(runner: SnippetRunner) -> None:
    syntax = runner.run("print(1")
    assert syntax.status is RunStatus.ERROR and "SyntaxError" in (syntax.error or "")
    assert runner.run("import sys\nprint('a')\nsys.exit(0)\nprint('b')").stdout == "a\n"
    assert runner.run("raise SystemExit(3)").status is RunStatus.ERROR


def test_a_snippet_compiles_as_python_c_would(runner: SnippetRunner) -> None:
    # the worker's own `from __future__` imports do not leak into the snippet's code
    code = "def f(x: int) -> None:\n    pass\nprint(f.__annotations__)\n"
    result = runner.run(code)
    assert result.stdout == "{'x': <class 'int'>, 'return': None}\n"
    checks = runner.run(
        "y = 1", checks="def g(z: float): pass\nassert g.__annotations__['z'] is float"
    )
    assert checks.is_ok, checks.message


ENVIRONMENT = (
    "import os, subprocess\n"
    "print(os.environ.get('GLIBC_TUNABLES'), os.environ.get('OMP_WAIT_POLICY'),"
    " [name for name in ('STUDY_HUGE_PAGES', 'STUDY_OMP_WAIT_POLICY') if name in os.environ])\n"
    "subprocess.run(['sh', '-c', 'echo ${GLIBC_TUNABLES:-none} ${OMP_WAIT_POLICY:-none}'])\n"
)


def test_a_snippet_sees_the_environment_as_the_user_has_it(
    runner: SnippetRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the zygote starts with a glibc tunable (huge pages: cheaper forks) and OpenMP's passive
    # wait policy, then takes them out
    tunables, policy = os.environ.get("GLIBC_TUNABLES"), os.environ.get("OMP_WAIT_POLICY")
    assert runner.run(ENVIRONMENT).stdout == (
        f"{tunables} {policy} []\n{tunables or 'none'} {policy or 'none'}\n"
    )
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.check=0")
    monkeypatch.setenv("OMP_WAIT_POLICY", "active")
    with SnippetRunner(spare=False) as own:
        result = own.run(ENVIRONMENT)
    assert result.stdout == "glibc.malloc.check=0 active []\nglibc.malloc.check=0 active\n"


SPIN = (
    "import resource, time, torch\n"
    "a = torch.rand(1000, 1000)\n"
    "for _ in range(3):\n"
    "    a @ a\n"
    "before = resource.getrusage(resource.RUSAGE_SELF)\n"
    "time.sleep(0.3)\n"
    "after = resource.getrusage(resource.RUSAGE_SELF)\n"
    "spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime\n"
    "print(f'{spent * 1000:.1f} ms')\n"
)
"""Prints the CPU time the process spends while its main thread sleeps after parallel work."""


def test_torchs_threads_sleep_once_their_work_is_done(runner: SnippetRunner) -> None:
    # OpenMP's default would have them spin for milliseconds, on a core the app needs
    spent = float(runner.run(SPIN).stdout.split()[0])
    assert spent < 3.0  # spinning: 8 ms on the 2-core machine


def test_output_of_subprocesses_and_c_code_is_captured(runner: SnippetRunner) -> None:
    result = runner.run("import subprocess\nsubprocess.run(['echo', 'from a child'])")
    assert result.is_ok
    assert "from a child" in result.stdout


def test_stdin_is_empty(runner: SnippetRunner) -> None:
    result = runner.run("input()")
    assert result.status is RunStatus.ERROR and "EOFError" in (result.error or "")


def test_the_worker_python_comes_from_the_argument_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STUDY_PYTHON", "/some/python")
    assert SnippetRunner().python == "/some/python"
    assert SnippetRunner(python="/other/python").python == "/other/python"
    monkeypatch.delenv("STUDY_PYTHON")
    assert SnippetRunner().python  # this interpreter


def _python_without_torch() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and os.path.exists(candidate):
            probe = subprocess.run(
                [candidate, "-c", "import sys; assert sys.version_info >= (3, 8); import torch"],
                capture_output=True,
            )
            if probe.returncode != 0 and b"torch" in probe.stderr:
                return candidate
    return None


@pytest.mark.skipif(_python_without_torch() is None, reason="no Python without torch here")
def test_a_python_without_torch_is_reported_in_words() -> None:
    python = _python_without_torch()
    assert python is not None
    with SnippetRunner(python=python, spare=False) as plain:
        result = plain.run("print('plain python')")
        assert result.is_ok and result.stdout == "plain python\n"
        assert result.torch_version is None
        assert "torch is not installed" in result.message
        assert plain.problem is not None and "torch is not installed" in plain.problem
        failed = plain.run("import torch")
        assert failed.status is RunStatus.ERROR
        assert "torch is not installed" in failed.message
        assert install_hint(failed, python) == (
            f"torch is not installed in {python}: {python} -m pip install torch "
            "(CPU only: add --index-url https://download.pytorch.org/whl/cpu)"
        )


def test_a_python_that_does_not_exist_raises_runner_error(tmp_path: Path) -> None:
    with SnippetRunner(python=str(tmp_path / "no-python"), spare=False) as broken:
        assert broken.status == "crashed"
        with pytest.raises(RunnerError, match="cannot start the worker"):
            broken.run("print(1)")


def test_a_closed_runner_refuses_to_run() -> None:
    closed = SnippetRunner(spare=False)
    closed.close()
    assert closed.status == "stopped"
    with pytest.raises(RunnerError, match="closed"):
        closed.run("print(1)")


def test_limits_validate_and_override() -> None:
    limits = Limits().override(timeout=2.0)
    assert (limits.timeout, limits.memory_mb) == (2.0, 2048)
    with pytest.raises(ValueError):
        Limits(timeout=0)


def test_exit_codes_of_statuses() -> None:
    codes = {status: status.exit_code for status in RunStatus}
    assert codes[RunStatus.OK] == 0 and codes[RunStatus.ERROR] == 1
    assert codes[RunStatus.TIMEOUT] == 124 and codes[RunStatus.KILLED] == 137
    assert codes[RunStatus.INTERRUPTED] == 130


def test_the_fake_runner_streams_canned_results() -> None:
    fake = FakeRunner({"print(1)": RunResult(RunStatus.OK, stdout="1\n")})
    seen: list[str] = []
    assert fake.status == "stopped"
    result = fake.run("print(1)", seed=3, on_output=seen.append)
    assert (result.stdout, result.seed, seen) == ("1\n", 3, ["1\n"])
    assert fake.run("other").stdout == ""
    assert fake.calls == ["print(1)", "other"] and fake.status == "ready"


def test_frames_decode_from_pieces_of_any_size() -> None:
    from tracker.runner.protocol import FrameDecoder, encode

    messages = [{"op": "out", "chunks": [["stdout", "héllo \udcff"]]}, {"op": "done", "n": 1}]
    data = b"".join(encode(m) for m in messages)
    decoder = FrameDecoder()
    decoded = [m for i in range(len(data)) for m in decoder.feed(data[i : i + 1])]
    assert decoded == messages
    with pytest.raises(ValueError):
        FrameDecoder().feed(b"\xff\xff\xff\xff")


def test_the_worker_script_imports_nothing_from_the_tracker() -> None:
    from tracker.runner.process import CHILD

    source = CHILD.read_text(encoding="utf-8")
    assert "from tracker" not in source and "import tracker" not in source


def test_exits_are_described_in_words() -> None:
    from tracker.runner.process import describe_exit

    assert describe_exit(-11) == "the worker crashed: segmentation fault (SIGSEGV)"
    assert "SIGKILL" in describe_exit(-9)
    assert describe_exit(3) == "the snippet ended the worker process (exit code 3)"
