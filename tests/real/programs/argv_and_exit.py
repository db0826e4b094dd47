"""Arguments reach the program as with python, --help included; its exit code is kept."""
import sys

print(sys.argv[1:])
sys.exit(3)
