#!/usr/bin/env python3
"""A stand-in for Telegram's Bot API, up for the whole conformance run.

`POST /bot<token>/<method>` with a JSON (or empty) body answers in Telegram's envelope: `getMe` a bot user (so
CreateIntegration of a `telegram` integration can check its token), `setWebhook` and `answerCallbackQuery` true, and the
`send*` methods a message with a `message_id`. Any non-empty token is taken: the run's integrations each have their own.
Anything else is 404 in the envelope.

    telegram_standin.py PORT
"""
from __future__ import annotations

import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTER = [0]


class StandIn(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        parts = urllib.parse.urlsplit(self.path).path.split("/")
        if len(parts) != 3 or not parts[1].startswith("bot") or len(parts[1]) == 3:
            return self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = parts[2]
        with LOCK:
            COUNTER[0] += 1
            number = COUNTER[0]
        if method == "getMe":
            return self.answer(200, {"ok": True, "result": {"id": 7000000000 + number, "is_bot": True, "first_name": "Stand-in",
                                                              "username": f"standin_{number}_bot"}})
        if method in ("setWebhook", "answerCallbackQuery"):
            return self.answer(200, {"ok": True, "result": True})
        if method.startswith("send"):
            return self.answer(200, {"ok": True, "result": {"message_id": number, "date": 1790000000}})
        self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})

    def answer(self, status: int, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), StandIn).serve_forever()
