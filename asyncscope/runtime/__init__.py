"""The child side of asyncscope: runs inside the traced program's process.

Nothing here may import Textual or Rich (``tests/test_import_hygiene.py`` checks it in a
fresh interpreter): the child must start fast and must not disturb the program it traces.
"""
