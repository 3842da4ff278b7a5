#!/usr/bin/env python3
"""A stand-in for Twilio's REST API (Messages and IncomingPhoneNumbers), up for the whole conformance run.

- `POST /2010-04-01/Accounts/<AccountSid>/Messages.json` checks HTTP Basic `AccountSid:AuthToken` (the user must be the
  path's account; any non-empty token is taken, the run's integrations each have their own) and the fields Twilio
  requires (`To`; `From` or `MessagingServiceSid`; `Body` or `MediaUrl`), records the form and answers 201 with a
  message resource (`sid` SM + 32 hex, `status` queued), or 400/401 with Twilio's error JSON.
- `GET /2010-04-01/Accounts/<AccountSid>/IncomingPhoneNumbers/<PhoneNumberSid>.json` answers the number's resource,
  `phone_number` +15550001111.
- `GET /messages` lists what was recorded (JSON: each send's form fields, plus `_account`, `_token` and `_sid`), for
  webhook_payloads.py.

It runs from before the server starts until the run ends, so every Twilio link and message the earlier stages create
(the SDK scenario, schemathesis) is answered at once instead of piling up retries against a closed port.

    twilio_standin.py PORT
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin import JSONHandler, serve  # noqa: E402

LOCK = threading.Lock()
MESSAGES: list = []
PHONE_NUMBER = "+15550001111"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
NUMBER_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers/([^/]+)\.json$")


def error(status: int, code: int, message: str) -> dict:
    """Twilio's error body."""
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


class StandIn(JSONHandler):
    def credentials(self, account: str) -> str | None:
        """The auth token of a valid `Basic account:token` header, else None."""
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            user, _, token = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return token if user == account and token else None

    def do_POST(self):  # noqa: N802 (http.server naming)
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = urllib.parse.urlsplit(self.path).path
        match = MESSAGES_PATH.match(path)
        if not match:
            return self.answer(404, error(404, 20404, "The requested resource was not found"))
        account = urllib.parse.unquote(match.group(1))
        token = self.credentials(account)
        if token is None:
            return self.answer(401, error(401, 20003, "Authentication Error - invalid username"))
        if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return self.answer(400, error(400, 21200, "Expected a form-urlencoded body"))
        form = dict(urllib.parse.parse_qsl(data.decode(), keep_blank_values=True))
        if not form.get("To"):
            return self.answer(400, error(400, 21604, "A 'To' phone number is required."))
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return self.answer(400, error(400, 21603, "A 'From' phone number is required."))
        if not form.get("Body") and not form.get("MediaUrl"):
            return self.answer(400, error(400, 21602, "Message body is required."))
        sid = "SM" + secrets.token_hex(16)
        with LOCK:
            MESSAGES.append({**form, "_account": account, "_token": token, "_sid": sid})
        self.answer(201, {
            "sid": sid, "account_sid": account, "to": form["To"], "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"), "body": form.get("Body", ""),
            "status": "queued", "num_media": "1" if form.get("MediaUrl") else "0", "num_segments": "1",
            "direction": "outbound-api", "api_version": "2010-04-01", "price": None, "error_code": None,
            "error_message": None, "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"})

    def do_GET(self):  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        if path == "/messages":
            with LOCK:
                return self.answer(200, list(MESSAGES))
        match = NUMBER_PATH.match(path)
        if not match:
            return self.answer(404, error(404, 20404, "The requested resource was not found"))
        account, number_sid = (urllib.parse.unquote(g) for g in match.groups())
        if self.credentials(account) is None:
            return self.answer(401, error(401, 20003, "Authentication Error - invalid username"))
        self.answer(200, {"sid": number_sid, "account_sid": account, "phone_number": PHONE_NUMBER,
                          "friendly_name": "(555) 000-1111", "capabilities": {"sms": True, "mms": True},
                          "uri": f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers/{number_sid}.json"})



if __name__ == "__main__":
    serve(StandIn)
