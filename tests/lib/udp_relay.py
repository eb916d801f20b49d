#!/usr/bin/env python3
"""UDP relay between the agent and a test "office router", loopback only.

    udp_relay.py LISTEN_ADDR LISTEN_PORT ROUTER_ADDR ROUTER_PORT MODE

MODE "drop-first": the first datagram of each request is dropped and its
retry forwarded (the agent sends every request twice: datagrams 1, 3, 5...
from a client are dropped, 2, 4, 6... forwarded).  MODE "silent": nothing
is ever forwarded (a router that never answers).  "pass": everything is.
Answers go back to the client that asked.  Counts go to stderr.
"""
import selectors
import socket
import sys

LOOPBACK = ("127.", "::1")


def main():
    laddr, lport, raddr, rport, mode = sys.argv[1:6]
    for a in (laddr, raddr):
        if not a.startswith(LOOPBACK):
            sys.exit("udp_relay: loopback addresses only, not " + a)
    fam = socket.AF_INET6 if ":" in laddr else socket.AF_INET
    front = socket.socket(fam, socket.SOCK_DGRAM)
    front.bind((laddr, int(lport)))
    sel = selectors.DefaultSelector()
    sel.register(front, selectors.EVENT_READ, None)
    upstream = {}  # client address -> (socket to the router, datagrams seen)
    rfam = socket.AF_INET6 if ":" in raddr else socket.AF_INET
    while True:
        for key, _ in sel.select():
            sock, client = key.fileobj, key.data
            data, peer = sock.recvfrom(65535)
            if client is not None:  # an answer from the router
                front.sendto(data, client)
                continue
            if peer not in upstream:
                up = socket.socket(rfam, socket.SOCK_DGRAM)
                up.connect((raddr, int(rport)))
                sel.register(up, selectors.EVENT_READ, peer)
                upstream[peer] = [up, 0]
            entry = upstream[peer]
            entry[1] += 1
            if mode == "silent" or (mode == "drop-first" and entry[1] % 2 == 1):
                print("dropped datagram %d from %s" % (entry[1], peer), file=sys.stderr,
                      flush=True)
                continue
            entry[0].send(data)


if __name__ == "__main__":
    main()
