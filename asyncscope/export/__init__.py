"""Export a recorded run to the timeline viewers engineers already use.

``asyncscope export TRACE -o OUT [--format perfetto|chrome]`` and :func:`export_trace` (which
the TUI can call for the current run) read a trace batch by batch and write:

- ``perfetto``: Perfetto's native protobuf trace (:mod:`asyncscope.export.perfetto`);
- ``chrome``: Chrome Trace Event JSON (:mod:`asyncscope.export.chrome`), which Perfetto UI,
  chrome://tracing and speedscope open.

What a run becomes (tracks, slices, instants, arrows, times) is the same for both and is
decided in :mod:`asyncscope.export.mapping`; docs/export.md describes it for users.
"""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO

from asyncscope.export.mapping import Mapper, Summary, Writer
from asyncscope.trace import read_trace

__all__ = ["FORMATS", "ExportError", "Summary", "export_trace"]

FORMATS = ("perfetto", "chrome")
"""The formats, the default first."""

SUFFIXES = {"perfetto": ".pftrace", "chrome": ".json"}
"""The usual file name ending of each format (for a caller choosing a name)."""


class ExportError(Exception):
    """The output cannot be written (an unknown format, a directory, no permission)."""


def _writer(fmt: str, out: BinaryIO) -> Writer:
    if fmt == "perfetto":
        from asyncscope.export.perfetto import PerfettoWriter

        return PerfettoWriter(out)
    if fmt == "chrome":
        from asyncscope.export.chrome import ChromeWriter

        return ChromeWriter(out)
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_trace(trace_path: str, out_path: str, fmt: str = "perfetto") -> Summary:
    """Write the run recorded in ``trace_path`` to ``out_path`` in format ``fmt``.

    Raises :class:`~asyncscope.trace.TraceError` for a trace that cannot be read (missing,
    empty, not a trace, another schema version, corrupt) and :class:`ExportError` for an
    output that cannot be written; either way ``out_path`` is left as it was (the file is
    written beside it and renamed into place at the end). A trace cut short is exported up
    to its last whole batch, with a ``trace-truncated`` instant, and
    ``Summary.truncated`` set. Texts (waits, diagnostics) are worded in the current
    language (``wording.set_language``).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if os.path.isdir(out_path):
        raise ExportError(f"cannot write {out_path}: it is a directory")
    try:
        same = os.path.samefile(trace_path, out_path)
    except OSError:
        same = False
    if same:
        raise ExportError(f"cannot write {out_path}: it is the trace being exported")
    if os.path.exists(out_path) and not os.path.isfile(out_path):  # /dev/stdout, a pipe: write as it is
        try:
            with open(out_path, "wb") as stream:
                return _export(trace_path, stream, fmt)
        except OSError as exc:
            raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    directory = os.path.dirname(os.path.abspath(out_path))
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed into place below)
            "wb", dir=directory, prefix=f".{os.path.basename(out_path)}.", suffix=".part", delete=False)
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    finished = False
    try:
        with handle:
            summary = _export(trace_path, handle, fmt)  # type: ignore[arg-type]
        os.chmod(handle.name, _new_file_mode(out_path))
        os.replace(handle.name, out_path)
        finished = True
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    finally:
        if not finished:
            try:
                os.remove(handle.name)
            except OSError:
                pass
    return summary


def _export(trace_path: str, out: BinaryIO, fmt: str) -> Summary:
    truncated = False

    def cut_short() -> None:
        nonlocal truncated
        truncated = True

    mapper = Mapper(_writer(fmt, out), label=os.path.basename(trace_path))
    for batch in read_trace(trace_path, cut_short):
        mapper.feed(batch)
    return mapper.finish(truncated=truncated, path=trace_path)


def _new_file_mode(path: str) -> int:
    """The mode ``open(path, "w")`` would give: the file's own if it exists, else 0o666
    less the umask (read from /proc: ``os.umask`` would change it for every thread)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        pass
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o644
