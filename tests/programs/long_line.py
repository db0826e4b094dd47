import sys

print("x" * 1_000_000)
sys.stdout.buffer.write(bytes(range(256)) + b"\n")
print("end")
