"""The wheel a user installs: scenarios inside, and they count as user code there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cli_support import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel and unpack it, as pip would install it (dependencies come from this env)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    wheel = next(out.glob("asyncscope-*.whl"))
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "ASYNCSCOPE_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "asyncscope", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, check=False, timeout=120)


def test_wheel_ships_the_scenarios_and_lists_them_anywhere(installed, tmp_path):
    assert (installed / "asyncscope" / "scenarios" / "sequential.py").is_file()
    result = _run(installed, "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sequential" in result.stdout


def test_installed_scenarios_are_user_code(installed, tmp_path):
    result = _run(installed, "run", "--headless", "--json", "never_awaited", cwd=tmp_path)
    verdict = json.loads(result.stdout)
    source = (installed / "asyncscope" / "scenarios" / "never_awaited.py").read_text().splitlines()
    run_line = next(n for n, text in enumerate(source, 1) if text.startswith("asyncio.run("))
    call_line = next(n for n, text in enumerate(source, 1) if text.strip().startswith("hello()"))
    main = verdict["tasks"][0]
    assert main["where"] == f"{installed}/asyncscope/scenarios/never_awaited.py:{run_line}"
    assert verdict["diagnostics"][0]["where"].endswith(f"never_awaited.py:{call_line}")


def test_wheel_has_every_package_of_the_source_tree(installed):
    """pyproject.toml lists the packages by name: a new one left off would be missing from
    every installed copy (and only from those)."""
    source = {path.parent.relative_to(ROOT) for path in (ROOT / "asyncscope").rglob("__init__.py")}
    missing = [str(package) for package in source if not (installed / package / "__init__.py").is_file()]
    assert not missing
    assert (installed / "asyncscope" / "tui" / "app.tcss").is_file()
