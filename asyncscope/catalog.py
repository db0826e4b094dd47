"""The built-in scenarios: where they live and what their headers say.

A scenario is a plain asyncio program (it also runs with ``python file.py``) with a
structured header in the style of PEP 723 inline metadata::

    # /// asyncscope
    # order = 30
    # level = "beginner"
    # title.en = "..."        title.ja = "..."
    # summary.en / .ja, watch.en / .ja, explain.en / .ja
    # [expect]                status, elapsed, output, diagnostics, user_tasks, real_time
    # [expect."python < 3.12"]   overrides for older Pythons (any of the keys above)
    # ///

The ``[expect]`` table is asserted against a real headless run in the test suite, so an
explanation cannot drift from what the program does:

``status``       the verdict's status (finished, failed, deadlock, ...)
``elapsed``      loop seconds under the virtual clock (omit when it depends on real time)
``output``       the lines the program prints to stdout, in order (stderr is not listed)
``diagnostics``  the diagnostic kinds, in order (omitted means none)
``user_tasks``   how many tasks are not asyncscope's or asyncio.run's own
``real_time``    true when the run waits on real time (threads, sockets): the output order
                 then holds by a margin of real time rather than by construction

A ``[expect."python < X.Y"]`` sub-table replaces those keys when the running Python is older
than X.Y (for example a scenario with ``min_python`` that only prints a notice there).
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Scenario", "scenarios", "find", "scenarios_dir", "parse_header", "HeaderError"]

_OLDER_PYTHON = re.compile(r"^python\s*<\s*(\d+)\.(\d+)$")
_BLOCK = re.compile(r"^# /// asyncscope\s*$\n(?P<body>(?:^#(?: .*)?$\n)+?)^# ///\s*$", re.MULTILINE)


class HeaderError(ValueError):
    """A scenario header that is missing or not valid TOML."""


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    order: int
    level: str
    title: dict[str, str]
    summary: dict[str, str]
    watch: dict[str, str] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)
    min_python: tuple[int, int] | None = None

    def text(self, part: str, lang: str = "en") -> str:
        """``title``/``summary``/``watch``/``explain`` in ``lang`` (English if missing)."""
        table: dict[str, str] = getattr(self, part)
        return table.get(lang) or table.get("en", "")

    def expected(self, version: tuple[int, ...] | None = None) -> dict[str, Any]:
        """The ``[expect]`` table as it applies on ``version`` (the running Python by default):
        ``[expect."python < X.Y"]`` sub-tables override the plain keys on older Pythons."""
        version = tuple(version or sys.version_info[:2])
        result: dict[str, Any] = {}
        overrides: list[tuple[tuple[int, int], dict[str, Any]]] = []
        for key, value in self.expect.items():
            older = _OLDER_PYTHON.match(key)
            if older and isinstance(value, dict):
                overrides.append(((int(older[1]), int(older[2])), value))
            else:
                result[key] = value
        # The narrowest bound applies last: "python < 3.12" overrides "python < 3.13".
        for bound, value in sorted(overrides, reverse=True):
            if version < bound:
                result.update(value)
        return result

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


def scenarios_dir() -> Path:
    """Installed wheels carry the scenarios inside the package; a source tree has them at
    the top level."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "scenarios", here.parent / "scenarios"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in scenarios are missing from this installation")


def parse_header(path: Path) -> dict[str, Any]:
    source = path.read_text(encoding="utf-8")
    match = _BLOCK.search(source)
    if match is None:
        raise HeaderError(f"{path}: no '# /// asyncscope' header")
    body = "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in match["body"].splitlines())
    try:
        return tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        raise HeaderError(f"{path}: header is not valid TOML: {exc}") from None


def _as_lang_table(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    return dict(value or {})


def _load(path: Path) -> Scenario:
    header = parse_header(path)
    min_python = header.get("min_python")
    return Scenario(
        name=path.stem,
        path=path,
        order=int(header.get("order", 1000)),
        level=str(header.get("level", "")),
        title=_as_lang_table(header.get("title")),
        summary=_as_lang_table(header.get("summary")),
        watch=_as_lang_table(header.get("watch")),
        explain=_as_lang_table(header.get("explain")),
        expect=dict(header.get("expect", {})),
        min_python=tuple(int(p) for p in str(min_python).split(".")[:2]) if min_python else None,  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def scenarios() -> tuple[Scenario, ...]:
    """All built-in scenarios in course order."""
    found = [_load(path) for path in sorted(scenarios_dir().glob("*.py")) if not path.name.startswith("_")]
    return tuple(sorted(found, key=lambda s: (s.order, s.name)))


def find(name: str) -> Scenario | None:
    for scenario in scenarios():
        if scenario.name == name:
            return scenario
    return None
