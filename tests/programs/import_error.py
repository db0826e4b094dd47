import asyncio
import no_such_dependency_xyz

asyncio.run(asyncio.sleep(1))
