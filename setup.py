"""The build's one imperative part: the compiled hot path is optional.

``asyncscope/runtime/_hotpath.c`` speeds up the task-step hooks (issue 16); where it cannot
be built (no C compiler, no Python headers, another implementation) the build goes on
without it and asyncscope runs its pure-Python path. Everything else is in pyproject.toml.

Why a setup.py at all: pyproject.toml alone can declare an optional extension and map the
scenarios into the package (``[[tool.setuptools.ext-modules]]``, ``package-dir``), and a
fresh install works so, but the mapping makes setuptools' editable install an import hook
that runs after the path: upgrading an editable install made by hatchling (which leaves an
empty ``site-packages/asyncscope`` folder) then imports that folder as an empty namespace
package and asyncscope fails to start (tried, 2026-11-26). The plain ``.pth`` below has no
such failure.
"""

from __future__ import annotations

import glob
import os
import platform
import shutil
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    """The scenarios live at the top of the source tree and ship inside the package as
    ``asyncscope/scenarios`` (asyncscope/catalog.py looks in both places). An editable
    install leaves them where they are: it then puts the source tree itself on the path
    (a plain .pth entry, no import hook, since the package maps straight onto its folder)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = os.path.join(self.build_lib, "asyncscope", "scenarios")
        os.makedirs(target, exist_ok=True)
        for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios", "*.py"))):
            shutil.copy2(path, target)


class OptionalBuildExt(build_ext):
    """Build the extension if possible; never fail the install over it."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any failure means: go on without it
            self._skipped(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._skipped(exc)

    @staticmethod
    def _skipped(exc: BaseException) -> None:
        print(f"asyncscope: the compiled hot path was not built ({exc}); "
              "asyncscope will run on its pure-Python path", file=sys.stderr)


def _extensions() -> list[Extension]:
    if platform.python_implementation() != "CPython" or os.environ.get("ASYNCSCOPE_NO_EXTENSION"):
        return []
    return [Extension("asyncscope.runtime._hotpath", ["asyncscope/runtime/_hotpath.c"], optional=True)]


setup(
    packages=find_packages(include=["asyncscope", "asyncscope.*"]),
    # {"": "."}: an editable install puts the source tree on the path with a plain .pth
    # entry, as hatchling's did, rather than an import hook that comes after the path (a
    # folder left in site-packages by an older install would then hide the package).
    package_dir={"": "."},
    package_data={"": ["*.tcss", "*.css", "*.json", "*.txt"]},
    ext_modules=_extensions(),
    cmdclass={"build_ext": OptionalBuildExt, "build_py": BuildPy},
)
