"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1:PORT, storing every
message it receives in the Maildir DIR. It exits when its parent process (the
test binary) is gone, so no server outlives a test run.

Usage: python3 smtp_server.py PORT DIR
"""
import os
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

port, directory = int(sys.argv[1]), sys.argv[2]
parent = os.getppid()
controller = Controller(Mailbox(directory), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
try:
    while os.getppid() == parent:
        time.sleep(0.5)
finally:
    controller.stop()
