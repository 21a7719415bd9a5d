"""The server's edge, around every request before any handler sees it: a body refused once
it is larger than its route takes (413: at once from its Content-Length, or as it streams
when it has none), and the headers every answer carries: no framing by another site
(click-jacking Run or Stop), no guessing of types, no referrer, and a Content-Security-Policy
that fits the pages (their scripts, styles, pictures and requests all come from the server
itself; no inline script, no plug-in). A run's files are served in a sandbox: a page among
them runs nothing."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nnzoo.errors import UserError

PAGES_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'")
FILES_POLICY = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox"
HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer")]


class TooLarge(UserError):
    """A request body over its route's limit (status 413)."""

    status = 413

    def __init__(self, limit: int):
        super().__init__(f"the request body is over {limit // 1024} KiB, the most this "
                         "address takes")


def is_api(path: str) -> bool:
    """Answers to /api/ are JSON; to the rest, one line of text."""
    return path.startswith("/api/")


def answer(path: str, message: str, status: int):
    if is_api(path):
        return JSONResponse({"error": message}, status)
    return PlainTextResponse(message + "\n", status)


class Guard:
    """ASGI middleware: `limit(path)` is the most bytes a request's body may have there."""

    def __init__(self, app: ASGIApp, limit: Callable[[str], int]):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        policy = (FILES_POLICY if path.startswith("/files/") else PAGES_POLICY).encode()

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                message = {**message, "headers": [*headers, *HEADERS,
                                                  (b"content-security-policy", policy)]}
            await send(message)

        limit = self.limit(path)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            status, text = (413, str(TooLarge(limit))) if length.isdigit() else \
                (400, f"the Content-Length header {length!r} is not a number of bytes")
            await answer(path, text, status)(scope, receive, send_guarded)
            return
        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # a body without Content-Length, or longer than it said
                    raise TooLarge(limit)
            return message

        await self.app(scope, receive_counted, send_guarded)
