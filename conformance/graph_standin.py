#!/usr/bin/env python3
"""A stand-in for Meta's Graph API, up for the whole conformance run: Messenger, Instagram and WhatsApp's Cloud API.

Any `Authorization: Bearer <token>` is taken (the run's integrations each have their own); a request without one
answers Graph's OAuth error. The version segment of the path (`/v21.0/...`) is optional.

- `GET me?fields=...`: a page `{id: "1234567890", name}`, and its `instagram_business_account` when `fields`
  asks for it (CreateIntegration of `messenger` and `instagram` checks the page token);
- `POST {pageId}/subscribed_apps`: `{success: true}`;
- `POST me/messages` (the Send API): `{recipient_id, message_id: "m_..."}`;
- `GET {phoneNumberId}`: a WhatsApp business phone number `{id, display_phone_number, verified_name}`;
- `POST {phoneNumberId}/messages`: `{messaging_product: "whatsapp", contacts: [{input, wa_id}], messages: [{id}]}`.
Anything else is Graph's "Unsupported" error.

    graph_standin.py PORT
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin import JSONHandler, serve  # noqa: E402

LOCK = threading.Lock()
COUNTER = [0]
PAGE_ID = "1234567890"


def next_number() -> int:
    with LOCK:
        COUNTER[0] += 1
        return COUNTER[0]


def error(code: int, message: str, subcode: int | None = None):
    body = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "StandIn"}
    if subcode is not None:
        body["error_subcode"] = subcode
    return {"error": body}


class StandIn(JSONHandler):
    def route(self, method: str):
        length = int(self.headers.get("Content-Length", 0) or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.headers.get("Authorization", "").startswith("Bearer ") or len(self.headers["Authorization"]) <= 7:
            return self.answer(400, error(190, "Invalid OAuth access token - Cannot parse access token"))
        url = urllib.parse.urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if parts and re.fullmatch(r"v\d+\.\d+", parts[0]):
            parts = parts[1:]
        query = urllib.parse.parse_qs(url.query)
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self.answer(400, error(100, "(#100) The request body must be JSON"))
        if method == "GET" and parts == ["me"]:
            page = {"id": PAGE_ID, "name": "Stand-in Page"}
            if "instagram_business_account" in ",".join(query.get("fields", [])):
                page["instagram_business_account"] = {"id": "17841400000000001", "username": "standin", "name": "Stand-in Shop"}
            return self.answer(200, page)
        if method == "POST" and len(parts) == 2 and parts[1] == "subscribed_apps":
            return self.answer(200, {"success": True})
        if method == "POST" and parts == ["me", "messages"]:
            recipient = (body.get("recipient") or {}).get("id")
            if not recipient:
                return self.answer(400, error(100, "(#100) No matching user found", 2018001))
            return self.answer(200, {"recipient_id": recipient, "message_id": f"m_standin{next_number()}"})
        if method == "GET" and len(parts) == 1 and parts[0] != "me":
            return self.answer(200, {"id": parts[0], "display_phone_number": "+1 555-000-1111", "verified_name": "Channel 5",
                                     "quality_rating": "GREEN"})
        if method == "POST" and len(parts) == 2 and parts[1] == "messages":
            to = str(body.get("to", ""))
            if body.get("messaging_product") != "whatsapp" or not to:
                return self.answer(400, error(100, "(#100) The parameter messaging_product and to are required"))
            wa_id = re.sub(r"\D", "", to)
            return self.answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": wa_id}],
                                     "messages": [{"id": f"wamid.StandIn{next_number()}"}]})
        self.answer(400, error(100, f"Unsupported {method.lower()} request."))

    def do_GET(self):  # noqa: N802 (http.server naming)
        self.route("GET")

    def do_POST(self):  # noqa: N802
        self.route("POST")



if __name__ == "__main__":
    serve(StandIn)
