#!/usr/bin/env python3
"""A stand-in for Meta's Graph API, up for the whole conformance run: Messenger, Instagram and WhatsApp's Cloud API.

Any `Authorization: Bearer <token>` is taken (the run's integrations each have their own); a request without one
answers Graph's OAuth error. The version segment of the path (`/v21.0/...`) is optional.

- `GET me?fields=...`: a page `{id: "1234567890", name}`, and its `instagram_business_account` when `fields`
  asks for it (CreateIntegration of `messenger` and `instagram` checks the page token);
- `POST {pageId}/subscribed_apps`: `{success: true}`;
- `POST me/messages` (the Send API): `{recipient_id, message_id: "m_..."}`;
- `GET {phoneNumberId}`: a WhatsApp business phone number `{id, display_phone_number, verified_name}`;
- `POST {phoneNumberId}/messages`: `{messaging_product: "whatsapp", contacts: [{input, wa_id}], messages: [{id}]}`;
- the Conversions API for business messaging (PostConversionEvents): `GET {pageId}/dataset` answers the page's
  dataset `{id}`, or an empty edge `{data: []}` while the page has none; `POST {pageId}/dataset` makes it (once per
  page; again later, the same `{id}`); `POST {datasetId}/events` takes `{data: [events], ...}` and checks what Meta
  requires of a Messenger event (1 to 1000 events; each with a non-empty `event_name`, an integer `event_time` at
  most 7 days old, `action_source: business_messaging`, `messaging_channel: messenger` and `user_data` naming the
  page as `page_id` and a `page_scoped_user_id`), answering `{events_received, messages: [], fbtrace_id}` or Graph's
  error 100. `GET /conversions` (no token) lists every accepted events call: `{dataset, token, body}`.
Anything else is Graph's "Unsupported" error.

    graph_standin.py PORT
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin import JSONHandler, serve  # noqa: E402

LOCK = threading.Lock()
COUNTER = [0]
PAGE_ID = "1234567890"
DATASETS: dict[str, str] = {}  # page id -> its dataset id
CONVERSIONS: list = []  # every accepted POST {dataset}/events
MAX_EVENT_AGE = 7 * 24 * 3600  # Meta: "event_time can be up to 7 days before you send an event"


def next_number() -> int:
    with LOCK:
        COUNTER[0] += 1
        return COUNTER[0]


def error(code: int, message: str, subcode: int | None = None):
    body = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "StandIn"}
    if subcode is not None:
        body["error_subcode"] = subcode
    return {"error": body}


def event_problem(event, page: str) -> str | None:
    """Why Meta would refuse one business messaging event from Messenger, or None."""
    if not isinstance(event, dict):
        return "each entry of data must be an event object"
    name, at = event.get("event_name"), event.get("event_time")
    if not isinstance(name, str) or not name:
        return "event_name is required"
    if not isinstance(at, int) or isinstance(at, bool):
        return "event_time must be a Unix timestamp in seconds"
    if at < time.time() - MAX_EVENT_AGE:
        return "event_time is more than 7 days in the past"
    if event.get("action_source") != "business_messaging":
        return "action_source must be business_messaging for business messaging events"
    if event.get("messaging_channel") != "messenger":
        return "messaging_channel must be messenger for a page's events"
    user = event.get("user_data")
    if not isinstance(user, dict) or str(user.get("page_id")) != page or not user.get("page_scoped_user_id"):
        return "user_data must name the page (page_id) and the user's page_scoped_user_id"
    return None


class StandIn(JSONHandler):
    def conversions(self, method: str, parts: list[str], body: dict):
        """The Dataset API and the Conversions API's events edge (see the docstring)."""
        if parts[1] == "dataset":
            page, fresh = parts[0], str(9_000_000_000_000_000 + next_number())
            with LOCK:
                if method == "POST":
                    DATASETS.setdefault(page, fresh)
                dataset = DATASETS.get(page)
            return self.answer(200, {"id": dataset} if dataset else {"data": []})
        with LOCK:
            page = next((p for p, d in DATASETS.items() if d == parts[0]), None)
        if page is None:
            return self.answer(400, error(100, f"Unsupported post request. Object with ID '{parts[0]}' does not exist", 33))
        data = body.get("data")
        if not isinstance(data, list) or not 1 <= len(data) <= 1000:
            return self.answer(400, error(100, "(#100) data must be an array of 1 to 1000 events"))
        for n, event in enumerate(data):
            problem = event_problem(event, page)
            if problem:
                return self.answer(400, error(100, f"(#100) Invalid parameter: data[{n}]: {problem}", 2804003))
        with LOCK:
            CONVERSIONS.append({"dataset": parts[0], "token": self.headers["Authorization"][7:], "body": body})
        self.answer(200, {"events_received": len(data), "messages": [], "fbtrace_id": "StandIn"})

    def route(self, method: str):
        length = int(self.headers.get("Content-Length", 0) or 0)
        raw = self.rfile.read(length) if length else b""
        if method == "GET" and urllib.parse.urlsplit(self.path).path == "/conversions":
            with LOCK:
                received = list(CONVERSIONS)
            return self.answer(200, received)
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
        if len(parts) == 2 and (parts[1] == "dataset" or (method == "POST" and parts[1] == "events")):
            return self.conversions(method, parts, body if isinstance(body, dict) else {})
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
