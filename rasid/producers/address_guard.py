"""Refuse links that lead into the machine's own networks (SSRF): loopback, private, link-local.

Article links come from feeds, i.e. from strangers; a link to 127.0.0.1, 10.x or 169.254.169.254
(cloud metadata) must not be fetched unless the operator allowed it. Every redirect hop is checked.
The address is checked at resolution time; a DNS answer that changes between this check and the
connection (rebinding) is not caught here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from rasid.producers.feed_errors import FeedError, FeedErrorKind


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class AddressGuard:
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def check(self, url: str) -> None:
        """Raise `FeedError(BLOCKED_ADDRESS)` if the URL's host is or resolves to a non-public address."""
        if self.allow_private:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            addresses = {ipaddress.ip_address(host)}
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
            except OSError as exc:
                raise FeedError(FeedErrorKind.CONNECTION, f"cannot resolve {host}: {exc}") from exc
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
        blocked = sorted(str(a) for a in addresses if not is_public(a))
        if blocked:
            raise FeedError(FeedErrorKind.BLOCKED_ADDRESS,
                            f"{host} resolves to {', '.join(blocked)} (loopback/private/link-local); refused "
                            "(RASID_PRODUCER_ALLOW_PRIVATE_ADDRESSES=true allows it)")
