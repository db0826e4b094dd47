import asyncio
import subprocess
import sys


async def main():
    subprocess.run([sys.executable, "-c", "print('from a subprocess')"], check=True)
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "print('async child')")
    await proc.wait()
    print("parent done")


asyncio.run(main())
