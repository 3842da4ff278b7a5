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
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin import JSONHandler, serve  # noqa: E402

LOCK = threading.Lock()
COUNTER = [0]


class StandIn(JSONHandler):
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



if __name__ == "__main__":
    serve(StandIn)
