"""Property: a traced program prints what the plain program prints (issue #5).

Random small programs of tasks that sleep, await each other, cancel each other and raise
run once with plain ``python`` and once under asyncscope (virtual clock): the printed
lines, which include each task's outcome, must be the same. Sleeps are multiples of 100 ms,
equal ones included: timers that fall due together must wake in the order they were set,
as under python. Each task also prints how long its sleep took by ``time.monotonic()``,
rounded to 100 ms, which must agree with the loop's time (issue #8).
"""

from __future__ import annotations

import subprocess
import sys

from cli_support import run_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@st.composite
def programs(draw) -> str:
    count = draw(st.integers(min_value=1, max_value=4))
    delays = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=count, max_size=count))
    lines = ["import asyncio", "import time", "", "tasks = {}", ""]
    for index in range(count):
        lines.append(f"async def t{index}():")
        lines.append(f"    print('t{index} start')")
        lines.append("    began = time.monotonic()")
        lines.append(f"    await asyncio.sleep({delays[index] * 0.1:.1f})")
        lines.append(f"    print('t{index} slept', round(time.monotonic() - began, 1))")
        if index > 0 and draw(st.booleans()):
            other = draw(st.integers(min_value=0, max_value=index - 1))
            lines.append("    try:")
            lines.append(f"        await tasks['t{other}']")
            lines.append("    except BaseException as exc:")
            lines.append(f"        print('t{index} saw', type(exc).__name__)")
        action = draw(st.sampled_from(["return", "raise", "cancel"]))
        if action == "raise":
            lines.append(f"    raise ValueError('t{index}')")
        elif action == "cancel" and index + 1 < count:
            lines.append(f"    tasks['t{index + 1}'].cancel()")
        lines.append(f"    print('t{index} end')")
        lines.append(f"    return {index}")
        lines.append("")
    lines.append("async def main():")
    for index in range(count):
        lines.append(f"    tasks['t{index}'] = asyncio.create_task(t{index}())")
    lines.append("    results = await asyncio.gather(*tasks.values(), return_exceptions=True)")
    lines.append("    for name, result in zip(tasks, results):")
    lines.append("        print(name, type(result).__name__, tasks[name].cancelled())")
    lines.append("")
    lines.append("asyncio.run(main())")
    return "\n".join(lines) + "\n"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=programs())
def test_traced_output_equals_plain_output(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("prog") / "program.py"
    path.write_text(source)
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    verdict = run_json(str(path))
    traced = [line["text"] for line in verdict["output"] if line["stream"] == "stdout"]
    assert traced == plain.stdout.splitlines(), source
    assert verdict["status"] == ("finished" if plain.returncode == 0 else "failed")
    # The traced outcome of every user task matches what the program itself printed.
    printed = {line.split()[0]: line.split()[1:] for line in traced if line.split()[1] in
               ("int", "ValueError", "CancelledError")}
    states = {"int": "done", "ValueError": "failed", "CancelledError": "cancelled"}
    coros = {task["coro"]: task["state"] for task in verdict["tasks"] if not task["internal"]}
    for name, (kind, _cancelled) in printed.items():
        assert coros[name] == states[kind], source
