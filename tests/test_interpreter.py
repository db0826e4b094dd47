"""The program runs with the user's interpreter where it can (issue #8, item 10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from cli_support import run_cli, run_json


def _venv(root: Path, with_msgspec: bool) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    purelib = Path(subprocess.run(
        [str(root / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "only_in_this_venv.py").write_text("WHERE = 'the user virtualenv'\n")
    if with_msgspec:  # what asyncscope's child side needs, copied rather than downloaded
        shutil.copytree(Path(msgspec.__file__).parent, purelib / "msgspec")
    return root


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "uses_venv.py"
    path.write_text("import sys\nimport only_in_this_venv\nprint(only_in_this_venv.WHERE)\n"
                    "try:\n    import textual\nexcept ImportError:\n    print('no textual: nothing of ours leaked')\n")
    return path


def test_the_active_virtualenv_runs_the_program(tmp_path: Path, program: Path) -> None:
    venv = _venv(tmp_path / "venv", with_msgspec=True)
    verdict = run_json(str(program), env={"VIRTUAL_ENV": str(venv)})
    assert verdict["status"] == "finished", verdict["message"]
    assert [line["text"] for line in verdict["output"]] == [
        "the user virtualenv", "no textual: nothing of ours leaked"]


def test_a_virtualenv_that_cannot_run_asyncscope_is_named_with_the_fix(tmp_path: Path, program: Path) -> None:
    venv = _venv(tmp_path / "venv", with_msgspec=False)
    verdict = run_json(str(program), env={"VIRTUAL_ENV": str(venv)})
    assert verdict["status"] == "error"
    assert "No module named 'only_in_this_venv'" in verdict["message"]
    assert f"The active virtualenv {venv} was not used" in verdict["message"]
    assert f"--python {venv}/bin/python" in verdict["message"]


def test_python_option_names_the_interpreter(tmp_path: Path, program: Path) -> None:
    venv = _venv(tmp_path / "venv", with_msgspec=True)
    verdict = run_json("--python", str(venv / "bin" / "python"), str(program),
                       env={"VIRTUAL_ENV": ""})
    assert verdict["output"][0]["text"] == "the user virtualenv"
    result = run_cli("run", "--headless", "--python", str(tmp_path / "nope"), str(program))
    assert result.returncode == 2
    assert "--python" in result.stderr and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_our_own_virtualenv_is_not_probed(program: Path) -> None:
    # The virtualenv asyncscope itself runs from: no probe, our interpreter.
    from asyncscope.interpreter import choose

    assert choose(environ={"VIRTUAL_ENV": sys.prefix}).executable == sys.executable
    assert choose(environ={}) == choose(environ={"VIRTUAL_ENV": sys.prefix})
