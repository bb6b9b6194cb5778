#!/usr/bin/env python3
"""Waits until an XMPP server on 127.0.0.1 serves streams: it answers a stream header (to localhost)
with its stream features (RFC 6120 §4.3.2). A bound port alone does not count: the kernel completes
a TCP connect before the server reads a byte. Polls every 5 ms; the same test for every server.

    bench/xmpp_ready.py PORT SECONDS     # exit 0 once it answers, 1 after SECONDS
"""
import socket
import sys
import time

HEADER = (b"<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client'"
          b" xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")


def answers(port):
    """Whether 127.0.0.1:port answers a stream header with its features now."""
    s = socket.socket()
    try:
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        s.sendall(HEADER)
        got = b""
        while b"features" not in got:
            chunk = s.recv(4096)
            if not chunk:
                return False
            got += chunk
        return True
    except OSError:
        return False
    finally:
        s.close()


def wait(port, seconds, alive=lambda: True):
    """Polls until the port answers (True), the deadline passes or alive() turns false (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive():
        if answers(port):
            return True
        time.sleep(0.005)
    return False


if __name__ == "__main__":
    sys.exit(0 if wait(int(sys.argv[1]), float(sys.argv[2])) else 1)
