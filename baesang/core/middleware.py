"""The channel of a web request: audit rows written while it runs name ``web`` and the
session (the API's authentication overrides it with ``api`` and the token)."""

from __future__ import annotations

from baesang.core.services import WEB, Channel, channel_reset, channel_set


class ChannelMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = channel_set(Channel(WEB, "session"))
        try:
            return self.get_response(request)
        finally:
            channel_reset(token)
