"""A subprocess that inherits stdout prints three lines 0.3 s apart."""
import asyncio


async def main():
    process = await asyncio.create_subprocess_exec(
        "sh", "-c", "echo one; sleep 0.3; echo two; sleep 0.3; echo three")
    await process.wait()
    print("subprocess exit:", process.returncode)


asyncio.run(main())
