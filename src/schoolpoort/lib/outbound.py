"""URLs the server will call: the one check before Schoolpoort makes a request to an address that
someone else gave it (a browser's web push endpoint today).

A URL that passes is https, on port 443, names a host on the caller's allow-list (exact, or
``*.example.com`` for its subdomains), has no user name or password, is not an IP literal, and its
host resolves only to public addresses — never loopback, private, link-local, multicast, reserved
or unspecified. Resolve again right before each request (DNS rebinding: a name that was public at
subscription time can point at 127.0.0.1 later); ``check_url`` returns the addresses it vetted so
the caller can connect to exactly those.

The resolver is a parameter (``resolve(host, port) -> [address, ...]``) so that tests decide what
a name resolves to without a network and without patching the socket library."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

Resolver = Callable[[str, int], list[str]]

HTTPS_PORT = 443


class UnsafeURL(ValueError):
    """The server will not call this URL. ``str()`` is a sentence for the person who gave it."""


class UnresolvableURL(UnsafeURL):
    """The host did not resolve (now): not provably safe, perhaps only for the moment."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), through the system resolver."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableURL(_("The address of the server could not be looked up.")) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    """``host`` is on the list: equal to an entry, or a subdomain of a ``*.domain`` entry."""
    host = host.lower().rstrip(".")
    for entry in allowed_hosts:
        entry = entry.lower().rstrip(".")
        if entry.startswith("*."):
            if host.endswith(entry[1:]) and len(host) > len(entry) - 1:
                return True
        elif host == entry:
            return True
    return False


def is_public_address(address: str) -> bool:
    """A globally routable unicast address (an IPv4-mapped IPv6 address is judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return False
    return ip.is_global


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        pass
    else:
        return True
    try:  # forms the C resolver accepts as addresses: 2130706433, 0x7f.1, 127.1
        socket.inet_aton(host)
    except (OSError, ValueError):
        return False
    return True


def check_url(
    url: str, *, allowed_hosts: Iterable[str] | None, resolve: Resolver = resolve
) -> tuple[str, list[str]]:
    """``(host, addresses)`` when the server may call ``url``; raises UnsafeURL otherwise.
    ``allowed_hosts=None``: any host name (a school's own system), still only public addresses."""
    if not isinstance(url, str) or len(url) > 2000 or any(ord(c) < 33 or c == "\\" for c in url):
        raise UnsafeURL(_("This is not a valid address."))
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise UnsafeURL(_("Only https addresses are accepted."))
    if "@" in parts.netloc:
        raise UnsafeURL(_("An address with a user name or password is not accepted."))
    try:
        port = parts.port
    except ValueError:
        raise UnsafeURL(_("This is not a valid address.")) from None
    if port not in (None, HTTPS_PORT):
        raise UnsafeURL(_("Only the standard https port is accepted."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(_("This is not a valid address."))
    if _is_ip_literal(host):
        raise UnsafeURL(_("An address must name a server, not a number."))
    if allowed_hosts is not None and not host_allowed(host, allowed_hosts):
        raise UnsafeURL(_("This server is not one the school sends to."))
    return host, public_addresses(host, resolve)


def public_addresses(host: str, resolve: Resolver = resolve) -> list[str]:
    """The addresses of ``host``, provided every one of them is public; raises UnsafeURL otherwise."""
    addresses = resolve(host, HTTPS_PORT)
    if not addresses:
        raise UnresolvableURL(_("The address of the server could not be looked up."))
    if not all(is_public_address(address) for address in addresses):
        raise UnsafeURL(_("This server is on a private or local network."))
    return addresses


class _VettedHTTPSConnection(HTTPSConnection):
    """Connects only to the public addresses of its host, looked up and checked for every new
    connection; TLS still verifies the certificate against the host name."""

    resolve: Resolver

    def _new_conn(self):
        try:
            addresses = public_addresses(self._dns_host, type(self).resolve)
        except UnsafeURL as exc:
            raise NewConnectionError(self, f"refused: {exc}") from exc
        host, error = self._dns_host, None
        try:
            for address in addresses:
                self._dns_host = address
                try:
                    return super()._new_conn()
                except NewConnectionError as exc:
                    error = exc
        finally:
            self._dns_host = host
        raise error


class VettedAdapter(HTTPAdapter):
    """A requests adapter for https whose connections go only to public addresses (mount it on
    ``https://``). Through a proxy the proxy connects, so the check before the request is what holds."""

    def __init__(self, resolve: Resolver = resolve, **kwargs):
        self._resolve = resolve
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        connection = type("Connection", (_VettedHTTPSConnection,), {"resolve": staticmethod(self._resolve)})
        pool = type("Pool", (HTTPSConnectionPool,), {"ConnectionCls": connection})
        self.poolmanager.pool_classes_by_scheme = {**self.poolmanager.pool_classes_by_scheme, "https": pool}
