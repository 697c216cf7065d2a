"""The image's HEALTHCHECK: GET /healthz on each TCP port the container listens on.

The port is not assumed: whatever `--bind` the server was given, the listening
sockets are found in /proc (those of the container's own processes, so a host
network's other listeners are left alone). Exit 0 when each one answers 200.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import urllib.request
from pathlib import Path

LISTEN = "0A"


def listening() -> dict[str, tuple[str, int]]:
    """Return socket inode -> (host, port) of each listening TCP socket here."""
    found: dict[str, tuple[str, int]] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != LISTEN:
                continue
            address, port = fields[1].split(":")
            found[fields[9]] = (_connect_host(address), int(port, 16))
    return found


def _connect_host(hex_address: str) -> str:
    """The address to reach a listener on: loopback for a wildcard bind."""
    raw = bytes.fromhex(hex_address)
    # /proc prints each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    if address.is_unspecified:
        return "127.0.0.1" if address.version == 4 else "[::1]"
    return str(address) if address.version == 4 else f"[{address}]"


def own_sockets() -> set[str]:
    """Return the socket inodes held open by the processes this container can see."""
    inodes: set[str] = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    return inodes


def main() -> int:
    """Check each listener; print why not when unhealthy."""
    mine = own_sockets()
    targets = sorted({where for inode, where in listening().items() if inode in mine})
    if not targets:
        print("unhealthy: no listening TCP socket yet")
        return 1
    for host, port in targets:
        url = f"http://{host}:{port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                status = response.status
        except OSError as exc:
            print(f"unhealthy: {url}: {exc}")
            return 1
        if status != 200:
            print(f"unhealthy: {url}: {status}")
            return 1
    print("healthy: " + ", ".join(f"{host}:{port}" for host, port in targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
