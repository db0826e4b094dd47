import os
import signal
import sys
import time

print("before the kill")
sys.stdout.write("no newline yet")
time.sleep(0.2)  # a held line fragment is sent within ~30 ms
os.kill(os.getpid(), signal.SIGKILL)
