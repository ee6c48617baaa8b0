"""Outbound HTTP to addresses users give (file URLs, webhooks) without reaching private networks.

Every name is resolved and every address it resolves to is checked before a connection opens;
the connection then goes to the checked address itself, so a second resolution cannot swap it
(DNS rebinding). Redirects are followed by hand, each hop checked the same way. Set
`OUTBOUND_ALLOW_PRIVATE_ADDRESSES` (tests, closed networks) to reach any address, or list the
trusted private networks in `OUTBOUND_ALLOWED_NETWORKS`.
"""

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class InvalidOutboundUrl(Exception):
    """The URL is not an absolute http(s) URL with a host."""


class UnreachableUrl(Exception):
    """The request failed: no answer, a refused address or too many redirects."""


class ForbiddenAddress(UnreachableUrl):
    """The host resolves to an address outbound requests may not reach."""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # `is_global` leaves out private, loopback, link-local (169.254.169.254, the metadata
    # service), shared (100.64/10) and unique-local (fd00::/8) space.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def is_allowed_address(address: str) -> bool:
    """Whether outbound requests may connect to this IP address under the current settings."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES or _is_public(ip):
        return True
    return any(ip in ipaddress.ip_network(net) for net in settings.OUTBOUND_ALLOWED_NETWORKS)


def checked_address(host: str, port: int) -> str:
    """The first address of `host`, once every address it resolves to has passed the check."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnreachableUrl(f"The host {host!r} could not be resolved.") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(is_allowed_address(address) for address in addresses):
        raise ForbiddenAddress(f"The host {host!r} resolves to a forbidden address.")
    return addresses[0]


class _GuardedConnectionMixin:
    def _new_conn(self):
        # Connect to the checked address; Host header, SNI and certificate keep the name.
        self._dns_host = checked_address(self.host, self.port)
        return super()._new_conn()


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections only open to allowed addresses."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }


def validate_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, else InvalidOutboundUrl."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise InvalidOutboundUrl("The URL is not valid.") from exc
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidOutboundUrl("Only absolute http and https URLs are allowed.")
    return url


def guarded_session() -> requests.Session:
    """A session that ignores proxy settings from the environment and checks every address."""
    session = requests.Session()
    session.trust_env = False
    adapter = GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@contextmanager
def open_url(
    url: str, *, method: str = "GET", timeout: float = 10.0, **kwargs
) -> Iterator[requests.Response]:
    """A streamed response of `url`, following up to MAX_REDIRECTS checked redirects."""
    validate_url(url)
    with guarded_session() as session:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = session.request(
                    method, url, timeout=timeout, stream=True, allow_redirects=False, **kwargs
                )
            except requests.RequestException as exc:
                raise UnreachableUrl(str(exc)) from exc
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                break
            response.close()
            url = validate_url(urljoin(url, location))
            if response.status_code == 303:
                method = "GET"
        else:
            raise UnreachableUrl("Too many redirects.")
        try:
            yield response
        finally:
            response.close()
