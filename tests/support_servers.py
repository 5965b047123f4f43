"""Real local servers for the hand-off delivery tests: SMTP (aiosmtpd) and a webhook
receiver (http.server in a thread), each on a free port of 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """An SMTP server that keeps the messages it receives."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[Message] = []
        self.controller: Any = None

    def start(self) -> MailServer:
        from aiosmtpd.controller import Controller

        server = self

        class Keep:
            async def handle_DATA(self, srv: Any, session: Any, envelope: Any) -> str:
                server.messages.append(message_from_bytes(envelope.content))
                return "250 Message accepted for delivery"

        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


class WebhookReceiver:
    """An HTTP server that keeps each POST's headers and JSON body; it can be told to
    answer the first N requests with a 503."""

    def __init__(self, port: int | None = None, fail_first: int = 0):
        self.port = port or free_port()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]
