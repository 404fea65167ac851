"""The client's address: the peer's, or what a trusted reverse proxy says it saw.

X-Forwarded-For is written by whoever sends the request, so it is believed only when the direct
peer is one of the configured proxies (settings.TRUSTED_PROXIES, from CHIBO_TRUSTED_PROXIES).
Each proxy appends the address it received the request from; reading the header from the right
and skipping the trusted proxies, the first other address is the one the outermost trusted proxy
saw, which the client cannot choose. Everything to its left was sent by the client.

The lockout (django-axes, AXES_CLIENT_IP_CALLABLE) counts failures by this address; anything
else in chibo that records a client's address must take it from here too.
"""

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from django.conf import settings

type Address = IPv4Address | IPv6Address


def client_address(request) -> str:
    """The address of the client of `request` (the peer's when no trusted proxy is involved)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_parsed(peer)):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    for entry in reversed(forwarded):
        address = _parsed(entry)
        if address is None:  # not written by a proxy we trust: no address to believe
            return peer
        if not _trusted(address):
            return str(address)
    # every hop is one of our proxies: the request started inside, at the left-most one
    return str(_parsed(forwarded[0])) if forwarded else peer


def _parsed(text: str) -> Address | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address | None) -> bool:
    if address is None:
        return False
    return any(address in ip_network(network, strict=False)
               for network in settings.TRUSTED_PROXIES)
