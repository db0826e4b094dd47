"""The hot path writes events as plain tuples laid out like their Structs (issue #11).

``hooks.py`` and ``loop.py`` encode task steps, creations and completions as tuples, which
is cheaper than building the Struct; msgspec then decodes them as the Struct. A field added
to a Struct but not to its tuple would decode silently with a default, so every event of a
real run is checked here against its Struct, field for field in number.
"""

from __future__ import annotations

import typing
from pathlib import Path

import msgspec
from cli_support import run_json

from asyncscope import events
from asyncscope.trace import MAGIC, iter_frames

STRUCTS = {cls.__struct_config__.tag: cls for cls in typing.get_args(events.AnyEvent)}


def test_every_event_on_the_wire_has_every_field_of_its_struct(tmp_path: Path) -> None:
    program = tmp_path / "busy.py"
    program.write_text(
        "import asyncio\n\nasync def child(n):\n    await asyncio.sleep(0)\n    await asyncio.sleep(0.01 * n)\n"
        "    if n == 2:\n        raise ValueError(n)\n    return n\n\n"
        "async def main():\n    print('start')\n"
        "    await asyncio.gather(*(child(n) for n in range(3)), return_exceptions=True)\n\n"
        "asyncio.run(main())\n")
    trace = tmp_path / "run.trace"
    run_json("--trace", str(trace), str(program))
    seen: set[str] = set()
    with open(trace, "rb") as handle:
        assert handle.read(len(MAGIC)) == MAGIC
        for _header, body in iter_frames(handle):
            for raw in msgspec.msgpack.decode(body):
                struct = STRUCTS[raw[0]]
                assert len(raw) == len(struct.__struct_fields__) + 1, (raw, struct.__struct_fields__)
                seen.add(raw[0])
    # The three that the hot path writes as tuples were all there.
    assert {"created", "step", "done"} <= seen
