"""The SSRF guard for URLs a person or a feed supplied.

`check_user_url` vets a URL (scheme, credentials, port, a host that resolves only to public
addresses) and returns the vetted addresses; `PinnedHTTPPool` / `PinnedHTTPSPool` connect
only to those addresses, so a second DNS answer cannot differ (rebinding). The redirects,
limits and reading of the body are `outbound.http.fetch_user_url`'s, which uses these.

`BlockedURL` lives here, with the guard that raises it; `FetchError` comes from
`outbound/errors.py`, not `outbound/http.py`, which imports this module.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import idna
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from outbound.errors import FetchError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class BlockedURL(FetchError):
    """The SSRF guard refused a user-supplied URL; str(exc) says why in words. `loopback`:
    the URL points at this machine, which ALLOW_LOOPBACK_FETCH (development only) allows."""

    def __init__(self, message: str, *, loopback: bool = False):
        super().__init__(message, permanent=True)
        self.loopback = loopback


METADATA_HOSTS = {"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                  "instance-data.ec2.internal", "metadata.azure.com"}
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192",
)}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IANA lists two anycast addresses in here as global (192.0.0.9, .10); no page lives there,
# so the whole block is refused.
_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_HOST_CHARS = re.compile(r"^[a-z0-9._-]+$")
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
logger = logging.getLogger(__name__)

# A refusal that repeats what a host name resolved to is an oracle for the internal DNS
# (issue 16, item 6): "intranet.corp resolves to 10.1.2.3". The full reason goes to the log
# and to admins; everyone else is shown `general_reason(text)`, which says only that the
# address is not allowed and why in general terms.
_RESOLVED = "{host} resolves to {address}, which is {reason}"
_RESOLVED_TEXT = "{host} resolves to {text!r}, not an address"
_RESOLVED_RE = re.compile(r"(?P<host>[^\s:;()]+) resolves to (?:'[^']*'|\S+?)"
                          r"(?:, not an address|, which is [^;)]*)")
GENERAL = ("the address is not allowed: {host} does not lead to a public internet address "
           "(private, local and reserved networks are never fetched)")


def general_reason(text: str) -> str:
    """`text` with every refusal that repeats a DNS answer replaced by the general one."""
    return _RESOLVED_RE.sub(lambda m: GENERAL.format(host=m["host"]), text)


def check_user_url(url: str) -> list[str]:
    """Vet a user-supplied URL: http/https, no credentials, ports 80/443, a host that
    resolves only to public addresses. Returns the vetted IP addresses; raises BlockedURL
    with the reason in words (logged in full)."""
    try:
        return _check_user_url(url)
    except BlockedURL as exc:
        logger.warning("SSRF guard: %s: %s", url[:300], exc)
        raise


def _check_user_url(url: str) -> list[str]:
    if not isinstance(url, str) or not url.strip():
        raise BlockedURL("refused: the URL is empty")
    if any(c in url for c in "\\\t\r\n\x00 ") or any(ord(c) < 32 for c in url):
        raise BlockedURL("refused: the URL contains spaces, backslashes or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURL(f"refused: the URL cannot be read ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"refused: only http and https URLs are fetched, not {scheme or 'this'}:")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise BlockedURL("refused: URLs with a user name or password are not fetched")
    host = normalise_host(parts.hostname or "")
    if host in METADATA_HOSTS or host.endswith(".metadata.google.internal"):
        raise BlockedURL(f"refused: {host} is a cloud metadata host")
    port = port if port is not None else (443 if scheme == "https" else 80)
    standard_port = port in (80, 443)
    literal = _literal_ip(host, bracketed="[" in parts.netloc)
    if not standard_port and not settings.ALLOW_LOOPBACK_FETCH:
        local = host == "localhost" or (literal is not None and literal.is_loopback)
        raise BlockedURL(f"refused: port {port} (only 80 and 443 are fetched)", loopback=local)
    addresses = [literal] if literal is not None else _resolve(host, port)
    for address in addresses:
        reason = _refusal(address)
        if reason:
            if literal is not None:
                raise BlockedURL(f"refused: {address} is {reason}", loopback=address.is_loopback)
            raise BlockedURL("refused: " + _RESOLVED.format(host=host, address=address,
                                                            reason=reason),
                             loopback=address.is_loopback)
    if not standard_port and not all(a.is_loopback for a in addresses):
        raise BlockedURL(f"refused: port {port} (only 80 and 443 are fetched)")
    return [str(a) for a in addresses]


def normalise_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if not host:
        raise BlockedURL("refused: the URL has no host")
    if ":" in host:  # an IPv6 literal; urlsplit already took the brackets off
        return host
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise BlockedURL(f"refused: {host!r} is not a valid host name") from exc
    if not _HOST_CHARS.match(host):
        raise BlockedURL(f"refused: {host!r} is not a valid host name")
    return host


def _literal_ip(host: str, *, bracketed: bool) -> _IP | None:
    """The address a host written as an IP means, in any form the OS would accept:
    dotted, decimal (2130706433), octal (0177.0.0.1), hex (0x7f.1), short (127.1)."""
    if bracketed or ":" in host:
        if "%" in host:
            raise BlockedURL("refused: IPv6 addresses with a zone are not fetched")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise BlockedURL(f"refused: {host!r} is not a valid IPv6 address") from exc
    # As browsers do: a host whose last label is a number is an IPv4 address, never a name.
    if not _NUMERIC_HOST.match(host) or not _NUMBER.fullmatch(host.split(".")[-1]):
        return None
    try:
        # inet_aton has the same lenient grammar as the resolver the OS would use.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        if re.fullmatch(r"[0-9.]+", host) or host.startswith("0x"):
            raise BlockedURL(f"refused: {host!r} is not a valid IP address") from None
        return None


def _resolve(host: str, port: int) -> list[_IP]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"could not resolve {host}", unreachable=True) from exc
    addresses: list[_IP] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError as exc:
            raise BlockedURL("refused: " + _RESOLVED_TEXT.format(host=host, text=text)) from exc
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"could not resolve {host}", unreachable=True)
    return addresses


def _refusal(address: _IP) -> str:
    """Why this address must not be fetched, in words, or "" if it is public."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = _refusal(embedded)
            kind = _embedding_kind(address)
            if inner:
                return f"the {kind} form of {embedded}, {inner}"
            if kind in ("IPv4-mapped", "IPv4-compatible"):
                return f"the {kind} form of {embedded} (not fetched: connect to it directly)"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "" if settings.ALLOW_LOOPBACK_FETCH else "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT (shared) address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if isinstance(address, ipaddress.IPv4Address) and address in _PROTOCOL_ASSIGNMENTS:
        return "an IETF protocol address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return ""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        return client if not _refusal(server) else server
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _embedding_kind(address: ipaddress.IPv6Address) -> str:
    if address.ipv4_mapped is not None:
        return "IPv4-mapped"
    if address.sixtofour is not None:
        return "6to4"
    if address.teredo is not None:
        return "Teredo"
    if address in _NAT64:
        return "NAT64"
    return "IPv4-compatible"


class _PinnedHTTPConnection(HTTPConnection):
    """Connects to the vetted addresses only: no second DNS lookup that could answer
    differently (DNS rebinding). Host header, SNI and certificate checks use the name."""

    def __init__(self, *args: Any, pinned: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned = pinned

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self, self.pinned)


class _PinnedHTTPSConnection(HTTPSConnection):
    def __init__(self, *args: Any, pinned: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned = pinned

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self, self.pinned)


class PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


def _connect_pinned(conn: HTTPConnection, pinned: tuple[str, ...]) -> socket.socket:
    if not pinned:
        raise NewConnectionError(conn, "no vetted address to connect to")
    error: Exception | None = None
    for ip in pinned:
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            for option in conn.socket_options or ():
                sock.setsockopt(*option)
            if isinstance(conn.timeout, (int, float)):
                sock.settimeout(conn.timeout)
            sock.connect((ip, conn.port))
            return sock
        except TimeoutError as exc:
            sock.close()
            error = ConnectTimeoutError(conn, f"connection to {conn.host} ({ip}) timed out")
            error.__cause__ = exc
        except OSError as exc:
            sock.close()
            error = NewConnectionError(conn, f"could not connect to {conn.host} ({ip}): {exc}")
    assert error is not None
    raise error


def sees_full_errors(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers, and staff with the admin role, read the SSRF guard's full reasons (what a
    host name resolved to); everyone else reads them in general terms."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_staff", False)) and user.groups.filter(  # type: ignore[attr-defined]
        name="admin"
    ).exists()


def error_for(user: AbstractBaseUser | AnonymousUser, text: str) -> str:
    """An error message as this person may read it."""
    return text if sees_full_errors(user) else general_reason(text)
