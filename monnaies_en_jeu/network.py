"""This machine's addresses on the local network, read from its interfaces: nothing is sent.

The server announces them to players and the apps show them; this module imports
nothing else of the package.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys

# Virtual interfaces that players on the local network cannot reach.
_VIRTUAL_PREFIXES = ("lo", "docker", "br-", "veth", "virbr", "vmnet", "utun", "tun", "tap")


def _interface_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) pairs read with SIOCGIFADDR on Linux and macOS; no traffic."""
    try:
        import fcntl
    except ImportError:  # Windows
        return []
    request = 0x8915 if sys.platform.startswith("linux") else 0xC0206921
    try:
        interfaces = socket.if_nameindex()
    except OSError:
        return []
    pairs = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in interfaces:
            ifreq = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(sock.fileno(), request, ifreq)
            except OSError:  # interface without an IPv4 address
                continue
            pairs.append((name, socket.inet_ntoa(answer[20:24])))
    return pairs


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine that players on the local network can reach.

    Loopback, link-local and virtual (Docker, VM, VPN) interfaces are left out.
    Nothing is sent on the network: addresses come from the interfaces and the
    host name.
    """
    candidates = [
        addr for name, addr in _interface_addresses() if not name.startswith(_VIRTUAL_PREFIXES)
    ]
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.append(info[4][0])
    found: list[str] = []
    for addr in candidates:
        ip = ipaddress.IPv4Address(addr)
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or addr in found:
            continue
        found.append(addr)
    return found
