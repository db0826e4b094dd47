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


def test_the_program_finds_no_modules_it_did_not_import(tmp_path):
    """The hooks for pools and uvloop wait for the program to import those modules: a
    program that never does must not find them (or multiprocessing, which the process
    pool pulls in) in its ``sys.modules``, as under plain python."""
    from cli_support import run_json

    program = tmp_path / "modules.py"
    program.write_text(
        "import asyncio, sys\n"
        "async def main():\n"
        "    watched = ('multiprocessing', 'concurrent.futures.thread', 'concurrent.futures.process',\n"
        "               'importlib.abc', 'importlib.resources', 'uvloop')\n"
        "    print(sorted(m for m in watched if m in sys.modules))\n"
        "asyncio.run(main())\n")
    plain = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, check=True)
    verdict = run_json(str(program))
    assert [line["text"] for line in verdict["output"]] == [plain.stdout.strip()] == ["[]"]
