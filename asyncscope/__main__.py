"""``python -m asyncscope`` is the ``asyncscope`` command."""

from asyncscope.cli import main

main()
