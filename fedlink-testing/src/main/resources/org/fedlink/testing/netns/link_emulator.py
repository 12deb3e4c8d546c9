#!/usr/bin/env python3
"""A packet-level link emulator for kernels without the netem qdisc.

It creates one TAP device per link and relays Ethernet frames between them as a learning switch
(a star: every link ends at this hub). Each link has, per direction, a delay and a random loss
rate, and can be cut and restored, all while it runs. A frame from link A to link B waits A's
"up" delay plus B's "down" delay and is lost with A's up and then B's down loss. A cut link drops
every frame to or from it, also frames already on their way (a cable pulled out loses them too).

The TAP devices belong to this process: they vanish when it exits, so moving them into network
namespaces (ip link set NAME netns NS) leaves nothing behind. Python 3 standard library only.

Usage: link_emulator.py [--seed N] NAME...
Prints "ready NAME..." once every device exists, then reads one command per line on stdin and
answers each with one line starting "ok" or "error":
  set NAME [up|down|both] [delay_ms=D] [loss=P]   shape a link (default direction: both)
  cut NAME / restore NAME                         drop everything on a link / stop doing so
  stats NAME                                      frames relayed, lost, dropped by a cut
  quit                                            exit (end of stdin does the same)
"""

import argparse
import fcntl
import heapq
import os
import random
import selectors
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
MAX_FRAME = 65536
MAX_QUEUED = 100_000  # frames in flight; past this a frame is dropped, as a full queue would


class Direction:
    __slots__ = ("delay", "loss", "frames", "lost")

    def __init__(self):
        self.delay = 0.0
        self.loss = 0.0
        self.frames = 0
        self.lost = 0


class Link:
    def __init__(self, name):
        self.name = name
        self.up = Direction()  # frames from the device towards the hub
        self.down = Direction()  # frames from the hub into the device
        self.cut = False
        self.cut_dropped = 0
        self.write_errors = 0
        self.fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))

    def write(self, frame):
        try:
            os.write(self.fd, frame)
            self.down.frames += 1
        except OSError:
            # The device is down or not yet configured: a frame on an unplugged cable is lost.
            self.write_errors += 1


class Hub:
    def __init__(self, names, seed):
        self.links = [Link(n) for n in names]
        self.by_name = {l.name: l for l in self.links}
        self.macs = {}  # source MAC -> link it was last seen on
        self.random = random.Random(seed)
        self.queue = []  # (due, sequence, source link, target link, frame)
        self.sequence = 0

    def received(self, source, frame, now):
        if len(frame) < 14:
            return
        source.up.frames += 1
        src = frame[6:12]
        if not src[0] & 1:
            self.macs[src] = source
        dst = frame[0:6]
        target = None if dst[0] & 1 else self.macs.get(dst)
        targets = [target] if target is not None else [l for l in self.links if l is not source]
        up_lost = source.up.loss > 0 and self.random.random() < source.up.loss
        for t in targets:
            if t is source:
                continue
            if source.cut or t.cut:
                (source if source.cut else t).cut_dropped += 1
                continue
            if up_lost:
                source.up.lost += 1
                continue
            if t.down.loss > 0 and self.random.random() < t.down.loss:
                t.down.lost += 1
                continue
            delay = source.up.delay + t.down.delay
            if delay <= 0 and not self.queue:
                t.write(frame)
            elif len(self.queue) < MAX_QUEUED:
                self.sequence += 1
                heapq.heappush(self.queue, (now + delay, self.sequence, source, t, frame))

    def deliver_due(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, _, source, target, frame = heapq.heappop(self.queue)
            if source.cut or target.cut:
                (source if source.cut else target).cut_dropped += 1
            else:
                target.write(frame)

    def next_due(self, now):
        return max(0.0, self.queue[0][0] - now) if self.queue else None

    def command(self, line):
        words = line.split()
        if not words:
            return "error empty command"
        op = words[0]
        if op == "quit":
            return None
        if len(words) < 2 or words[1] not in self.by_name:
            return "error unknown link in: " + line.strip()
        link = self.by_name[words[1]]
        if op == "cut":
            link.cut = True
            return "ok cut " + link.name
        if op == "restore":
            link.cut = False
            return "ok restore " + link.name
        if op == "stats":
            return (
                f"ok stats {link.name} up_frames={link.up.frames} up_lost={link.up.lost}"
                f" down_frames={link.down.frames} down_lost={link.down.lost}"
                f" cut_dropped={link.cut_dropped} write_errors={link.write_errors}"
            )
        if op == "set":
            directions = [link.up, link.down]
            for word in words[2:]:
                if word in ("up", "down", "both"):
                    directions = {"up": [link.up], "down": [link.down]}.get(word, directions)
                    continue
                key, _, value = word.partition("=")
                try:
                    number = float(value)
                except ValueError:
                    return "error not a number: " + word
                if key == "delay_ms" and 0 <= number <= 60_000:
                    for d in directions:
                        d.delay = number / 1000.0
                elif key == "loss" and 0 <= number <= 1:
                    for d in directions:
                        d.loss = number
                else:
                    return "error expected delay_ms=0..60000 or loss=0..1, got: " + word
            return "ok set " + " ".join(words[1:])
        return "error unknown command: " + op


def main():
    parser = argparse.ArgumentParser(description="Relays Ethernet frames between TAP devices.")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random losses")
    parser.add_argument("names", nargs="+", help="TAP devices to create (at most 15 characters)")
    args = parser.parse_args()
    hub = Hub(args.names, args.seed)
    selector = selectors.DefaultSelector()
    for link in hub.links:
        selector.register(link.fd, selectors.EVENT_READ, link)
    os.set_blocking(sys.stdin.fileno(), False)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, None)
    print("ready " + " ".join(args.names), flush=True)
    pending = b""
    while True:
        now = time.monotonic()
        hub.deliver_due(now)
        for key, _ in selector.select(hub.next_due(time.monotonic())):
            if key.data is None:
                chunk = os.read(sys.stdin.fileno(), 4096)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    answer = hub.command(line.decode("utf-8", "replace"))
                    if answer is None:
                        return
                    print(answer, flush=True)
                continue
            link = key.data
            now = time.monotonic()
            for _ in range(64):  # bounded, so one busy link cannot starve the others
                try:
                    frame = os.read(link.fd, MAX_FRAME)
                except BlockingIOError:
                    break
                hub.received(link, frame, now)


if __name__ == "__main__":
    main()
