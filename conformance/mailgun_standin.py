#!/usr/bin/env python3
"""A stand-in for Mailgun's messages API, up for the whole conformance run.

`POST /v3/<domain>/messages` records the form and answers as Mailgun does; `GET /emails` lists what was recorded
(JSON), for webhook_payloads.py. It runs from before the server starts until the run ends, so every email link the
earlier stages create (the SDK scenario, schemathesis) is answered at once instead of piling up retries against a
closed port behind the stages that need mail to flow.

    mailgun_standin.py PORT
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
EMAILS: list = []


class StandIn(JSONHandler):
    def do_POST(self):  # noqa: N802 (http.server naming)
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self.path.startswith("/v3/") or not self.path.endswith("/messages"):
            return self.answer(404, {"message": "not found"})
        with LOCK:
            EMAILS.append(dict(urllib.parse.parse_qsl(data.decode())))
            count = len(EMAILS)
        self.answer(200, {"id": f"<{count}@mg.example.com>", "message": "Queued. Thank you."})

    def do_GET(self):  # noqa: N802
        if self.path != "/emails":
            return self.answer(404, {"message": "not found"})
        with LOCK:
            self.answer(200, list(EMAILS))



if __name__ == "__main__":
    serve(StandIn)
