"""Turning what the user typed into a runnable :class:`~asyncscope.session.Target`.

Bad input is caught here, in the parent, with one clear paragraph naming the file and
line: a missing or unreadable file, bytes that are not text, a syntax error. Modules
(``-m``) are resolved by the child, which sees the program's own ``sys.path``.
"""

from __future__ import annotations

import io
import os
import tokenize

from asyncscope.session import Target

__all__ = ["TargetError", "resolve"]


class TargetError(Exception):
    """The target cannot be run; the message says why, for a person."""


def resolve(scenario: str | None, module: str | None, args: tuple[str, ...] = ()) -> Target:
    if module is not None:
        if scenario is not None:
            args = (scenario, *args)
        if not module.strip():
            raise TargetError("-m needs a module name, e.g. asyncscope run -m mypackage.main")
        return Target("module", module, tuple(args), f"-m {module}")
    if scenario is None:
        raise TargetError("nothing to run: give a scenario file, a built-in scenario name, or -m MODULE")
    if os.path.exists(scenario) or scenario.endswith(".py") or os.sep in scenario:
        check_file(scenario)
        return Target("path", os.path.abspath(scenario), tuple(args), os.path.basename(scenario))
    from asyncscope import catalog  # not for a file: ~9 ms before the child can start

    builtin = catalog.find(scenario)
    if builtin is None:
        names = ", ".join(s.name for s in catalog.scenarios())
        raise TargetError(
            f"{scenario!r} is neither a file nor a built-in scenario. "
            f"Built-in scenarios: {names}. Run 'asyncscope list' to see them with titles."
        )
    return Target("path", str(builtin.path), tuple(args), builtin.name)


def check_file(path: str) -> None:
    """Raise :class:`TargetError` unless ``path`` is a readable, compilable Python file."""
    if not os.path.exists(path):
        raise TargetError(f"{path}: no such file.")
    if os.path.isdir(path):
        raise TargetError(f"{path}: is a directory; give a .py file (or -m for a package).")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise TargetError(f"{path}: cannot be read: {exc.strerror or exc}.") from None
    if b"\x00" in raw:
        raise TargetError(f"{path}: is not a Python source file (it contains NUL bytes; is it binary?).")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        raw.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        line = _bad_line(raw, exc)
        raise TargetError(
            f"{path}{f':{line}' if line else ''}: is not valid text in the source encoding "
            f"(Python files are UTF-8 unless they declare another): {exc}."
        ) from None
    try:
        compile(raw, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}" if exc.lineno else path
        snippet = f"\n    {exc.text.rstrip()}" if exc.text and exc.text.strip() else ""
        raise TargetError(f"{where}: {type(exc).__name__}: {exc.msg}.{snippet}") from None
    except ValueError as exc:
        raise TargetError(f"{path}: is not a Python source file: {exc}.") from None


def _bad_line(raw: bytes, exc: Exception) -> int | None:
    start = getattr(exc, "start", None)
    if isinstance(start, int):
        return raw.count(b"\n", 0, start) + 1
    return None
