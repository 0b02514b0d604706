"""Django's message framework for the pages that show messages (the admin, the web UI's
server-rendered pages), not for the API (request hot path, issue 9): the API never adds a
message, and setting up the cookie and session storages of every API request cost more than
the rest of the middleware's work. A request under `/api/` gets no `request._messages`, so
`django.contrib.messages.add_message` there raises `MessageFailure` instead of storing a message
that no API client would ever read."""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware

API_PREFIX = "/api/"


class MessageMiddleware(DjangoMessageMiddleware):
    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            super().process_request(request)
