"""Which Python runs the program: the user's, where that can work.

asyncscope installed with pipx, or in a virtualenv of its own, would otherwise run every
program with its own interpreter, and ``import aiohttp`` fails although the user's active
virtualenv has it. So:

- ``--python PATH`` names the interpreter outright;
- else, when a virtualenv is active (``VIRTUAL_ENV``) and it is not the one asyncscope runs
  from, its python is used if it can run asyncscope's child side (a supported version with
  ``msgspec`` importable, from its own packages: ours are never added to its path);
- else our own interpreter runs the program, and the child is told which virtualenv was
  active, so that an import error can name it and the fix.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["Interpreter", "choose", "InterpreterError"]

_PROBE = "import sys, msgspec; sys.exit(0 if sys.version_info >= (3, 11) else 3)"


class InterpreterError(Exception):
    """``--python`` names something that cannot run the program under asyncscope."""


@dataclass(frozen=True)
class Interpreter:
    executable: str
    other_venv: str | None = None
    """An active virtualenv we could not use (the child names it in import errors)."""


@functools.lru_cache(maxsize=8)
def _can_run_child(executable: str) -> bool:
    try:
        return subprocess.run([executable, "-c", _PROBE], capture_output=True, timeout=30,
                              check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def choose(python: str | None = None, environ: os._Environ[str] | dict[str, str] | None = None) -> Interpreter:
    env = os.environ if environ is None else environ
    if python:
        if not os.path.exists(python):
            raise InterpreterError(f"--python {python}: no such file")
        if not _can_run_child(python):
            raise InterpreterError(
                f"--python {python} cannot run asyncscope's child side: it needs Python 3.11 or "
                f"newer with msgspec installed ({python} -m pip install msgspec, or install "
                f"asyncscope there)")
        return Interpreter(python)
    venv = env.get("VIRTUAL_ENV")
    if not venv or os.path.realpath(venv) == os.path.realpath(sys.prefix):
        return Interpreter(sys.executable)
    candidate = os.path.join(venv, "Scripts" if os.name == "nt" else "bin", "python")
    if os.path.exists(candidate) and _can_run_child(candidate):
        return Interpreter(candidate)
    return Interpreter(sys.executable, other_venv=venv)
