#!/usr/bin/env python3
"""Hostile-but-idle control-socket clients (tests/integration/control.sh).

idle_clients.py SOCKET N HOLD_SECONDS
Opens up to N unix-stream connections to SOCKET and sends nothing.  Prints
"opened K failed F" once, then every half second "t=SECONDS closed C"
(connections the agent closed), for HOLD_SECONDS; then exits.
"""
import resource
import selectors
import socket
import struct
import sys
import time


def main():
    path, want, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks, failed = [], 0
    for _ in range(min(want, hard - 50)):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Blocking connect waits while the agent's backlog is full (settimeout
        # would make it fail at once with EAGAIN); SO_SNDTIMEO bounds the wait.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 2, 0))
        try:
            s.connect(path)
            s.setblocking(False)
            socks.append(s)
        except OSError:
            s.close()
            failed += 1
    print(f"opened {len(socks)} failed {failed}", flush=True)
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    closed, start = 0, time.monotonic()
    next_print = start
    while time.monotonic() - start < hold:
        for key, _ in sel.select(timeout=0.1):
            try:
                data = key.fileobj.recv(512)
            except OSError:
                data = b""
            if not data or data.endswith(b"\n"):
                sel.unregister(key.fileobj)
                closed += 1
        if time.monotonic() >= next_print:
            print(f"t={time.monotonic() - start:.1f} closed {closed}", flush=True)
            next_print += 0.5
    print(f"end closed {closed}", flush=True)


main()
