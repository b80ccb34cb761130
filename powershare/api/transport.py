"""Sending one webhook POST without letting a subscriber's URL reach the internal network.

The host name is resolved once; every address it resolves to must be public (not loopback,
private, link-local, multicast, reserved, unspecified or shared, nor an IPv6 address that wraps
one of those: IPv4-mapped, 6to4, NAT64); the connection then goes to exactly that checked
address, so a second lookup cannot answer differently (DNS rebinding). The ``Host`` header, TLS
SNI and the certificate check keep the URL's own name. Redirects are never followed: a 3xx is
the answer. ``WEBHOOK_ALLOW_PRIVATE_URLS`` (tests, development) skips the address check only.

Standard library only: ``http.client`` with the socket connected to the checked address.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class Destination:
    """Where a URL's POST goes: its scheme, name, port, path, and the one checked address."""

    scheme: str
    host: str
    port: int
    path: str
    address: Address


def embedded_ipv4(address: Address) -> Address:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(address: Address) -> bool:
    """May a webhook be sent to ``address``? Only to a global unicast address."""
    for candidate in {address, embedded_ipv4(address)}:
        if (
            not candidate.is_global
            or candidate.is_multicast
            or candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_reserved
            or candidate.is_unspecified
        ):
            return False
    return True


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (a literal address is itself); OSError when none."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:
        raise socket.gaierror(f"cannot resolve {host}") from None
    # A scoped IPv6 address (fe80::1%eth0) is checked without its scope: it stays link-local.
    found = list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )
    if not found:
        raise socket.gaierror(f"cannot resolve {host}")
    return found


def destination(url: str, *, allow_private: bool = False) -> Destination:
    """Resolve ``url``'s host once and check every address; the first one is where the POST
    goes. ValidationError (code ``private``) when any address is not public, ``unresolvable``
    when the name resolves to nothing."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port past 65535
        raise ValidationError(f"{url} has no valid port", code="invalid") from None
    try:
        addresses = resolve(host, port)
    except OSError:
        raise ValidationError(f"cannot resolve {host}", code="unresolvable") from None
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise ValidationError(f"{host} is not a public address", code="private")
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return Destination(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the name would resolve to now."""

    def __init__(self, target: Destination, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The TLS twin: connects to the checked address, and checks the certificate against the
    URL's name (sent as SNI)."""

    def __init__(self, target: Destination, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.address = target.address
        self.context = context

    def connect(self) -> None:
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock = self.context.wrap_socket(sock, server_hostname=self.host)


def send(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_private: bool = False,
    context: ssl.SSLContext | None = None,
) -> int:
    """POST ``body`` to ``url`` (checked by :func:`destination`) and return the status code,
    3xx included: a redirect is an answer, never followed. OSError when nothing answers."""
    target = destination(url, allow_private=allow_private)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(
            target, timeout, context or ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # a bounded look at the answer, so the connection closes cleanly
        return int(response.status)
    except http.client.HTTPException as error:
        raise OSError(f"bad HTTP answer: {type(error).__name__}") from None
    finally:
        connection.close()
