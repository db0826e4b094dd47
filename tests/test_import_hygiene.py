"""The child-side runtime must not load the UI (it would slow every traced program)."""

from __future__ import annotations

import subprocess
import sys

RUNTIME = ("asyncscope.runtime.bootstrap", "asyncscope.runtime.loop", "asyncscope.runtime.hooks",
           "asyncscope.runtime.resources", "asyncscope.runtime.watchdog", "asyncscope.runtime.capture",
           "asyncscope.runtime.gate", "asyncscope.events")


def _loaded_by_runtime() -> set[str]:
    """Every module a fresh interpreter holds after importing the child's runtime."""
    code = f"import sys\nimport {', '.join(RUNTIME)}\nprint('\\n'.join(sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_runtime_imports_neither_textual_nor_rich():
    assert not {m for m in _loaded_by_runtime() if m.split(".")[0] in ("textual", "rich")}


def test_runtime_says_nothing_in_words():
    """The child reports facts; every sentence is the parent's, in the viewer's language
    (a trace recorded in English replays in Japanese)."""
    loaded = _loaded_by_runtime()
    assert "asyncscope.runtime.loop" in loaded and "asyncscope.wording" not in loaded


def test_package_root_is_lazy():
    code = "import sys, asyncscope\nprint(sorted(m for m in sys.modules if m.startswith(('textual', 'rich', 'click'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_tracer_does_not_import_its_hooks():
    """One direction: hooks.py calls the tracer; loop.py never imports hooks (the circle the
    review found made the order of imports matter)."""
    import ast
    from pathlib import Path

    import asyncscope.runtime.loop as loop

    tree = ast.parse(Path(loop.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.endswith("hooks") for name in imported)
