"""Sharing a run from the TUI (issue 13): the palette exports the run for Perfetto and
saves an SVG screenshot, in the directory asyncscope was started from."""

from __future__ import annotations

import pytest
from tui_support import SIZE, app_for, wait_end, wait_for


async def test_the_palette_exports_the_run_and_saves_a_screenshot(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await screen.run_action("export_run")
        exported = tmp_path / "asyncscope-create_task.pftrace"
        await wait_for(pilot, lambda: exported.exists() and exported.stat().st_size > 100,
                       what="the export to be written")
        perfetto = pytest.importorskip("perfetto.protos.perfetto.trace.perfetto_trace_pb2")
        trace = perfetto.Trace()
        trace.ParseFromString(exported.read_bytes())
        names = {packet.track_descriptor.name for packet in trace.packet if packet.HasField("track_descriptor")}
        assert {"Task-1", "Task-2", "Task-3"} <= names
        await screen.run_action("save_screenshot")
        shot = tmp_path / "asyncscope-create_task.svg"
        assert shot.exists() and "<svg" in shot.read_text()[:500]
        await screen.run_action("export_run")  # a second export does not overwrite the first
        await wait_for(pilot, lambda: (tmp_path / "asyncscope-create_task-2.pftrace").exists(),
                       what="the second export")
