"""The address a request came from, behind the proxies we run (``AXES_IPWARE_PROXY_COUNT``).

django-axes locks out a username from an address. Behind Varnish and HAProxy
(deploy/compose.yaml) every request reaches Django from the proxy, so without
this the lockout of one attacker's address would lock that username out for
everyone. Each proxy appends the address it received the request from to
``X-Forwarded-For``, and Django sees the last proxy as ``REMOTE_ADDR``: with
``AXES_IPWARE_PROXY_COUNT`` proxies of ours in front of Django, the client is that
many places from the right of ``X-Forwarded-For`` then ``REMOTE_ADDR``.
Anything further left was written by the client itself and is not believed.
The setting keeps django-axes's own name for the count; django-ipware, which
axes would read it with, is not used: its ``proxy_count`` takes the left-most
address of a header a client padded, the one an attacker chose.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address for django-axes (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in header.split(",") if part.strip()] + [remote]
    # Fewer addresses than proxies: the request did not come through them all.
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
