#!/usr/bin/env python3
"""Webhook payloads against the spec's own schemas (its `x-webhooks` section).

Starts a local HTTP receiver, subscribes a custom integration's webhook to every trigger Parley
fires today, causes each of them through the API, and validates every delivered envelope and
event against the schema the spec gives for that event type (`conversationMessageEvent`, …),
translated from OpenAPI 3.0 (nullable, $ref) to JSON Schema for `jsonschema_rs`.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import threading
import time
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema_rs  # comes with schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP, load_spec, write_json  # noqa: E402

TRIGGERS = ["conversation:create", "conversation:message", "conversation:join", "conversation:leave",
            "conversation:remove", "conversation:read", "user:update", "user:remove", "user:merge",
            "client:add", "client:update", "client:remove", "conversation:message:delivery:channel",
            "conversation:message:delivery:user", "conversation:message:delivery:failure"]
MAILGUN_KEY = "key-conformance"


def to_json_schema(node, schemas: dict, depth: int = 0):
    """OpenAPI 3.0 schema → JSON Schema: inline $refs (bounded depth) and turn `nullable` into a type union."""
    if depth > 12:
        return {}
    if isinstance(node, list):
        return [to_json_schema(n, schemas, depth) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return to_json_schema(schemas[node["$ref"].split("/")[-1]], schemas, depth + 1)
    out = {}
    for key, value in node.items():
        if key in ("example", "examples", "description", "discriminator", "readOnly", "writeOnly",
                   "deprecated", "xml", "externalDocs", "x-resourceId", "nullable"):
            continue
        out[key] = to_json_schema(value, schemas, depth) if isinstance(value, (dict, list)) else value
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


class Receiver(BaseHTTPRequestHandler):
    """The webhook target."""
    bodies: list = []

    def do_POST(self):  # noqa: N802 (http.server naming)
        Receiver.bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def signed(fields: dict) -> dict:
    """Mailgun's signature: hex HMAC-SHA256 of timestamp + token under the integration's key."""
    stamp, token = str(int(time.time())), f"tok-{time.time_ns()}"
    digest = hmac.new(MAILGUN_KEY.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": stamp, "token": token, "signature": digest}


def inbound(http: HTTP, base: str, mailgun: str, endpoint: str, body: bytes, content_type: str) -> dict:
    """Posts as Mailgun does, retrying a 409 (a report about a send whose answer is not recorded yet) as Mailgun would."""
    for attempt in range(100):
        req = urllib.request.Request(f"{http.base_url}{base}/integrations/{mailgun}/inbound/{endpoint}", data=body,
                                     method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code != 409 or attempt == 99:
                raise
            time.sleep(0.2)


def wait_for(condition, what: str, seconds: float = 20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def emails(standin: str) -> list:
    """What the Mailgun stand-in (conformance/mailgun_standin.py) has received so far."""
    with urllib.request.urlopen(f"{standin}/emails", timeout=10) as response:
        return json.loads(response.read())


def mail_flow(http: HTTP, base: str, app: str, mailgun: str, ann: str, personal: str, standin: str):
    """user:update, the email link's client:update, the three delivery triggers and user:merge."""
    http.expect("PATCH", f"{base}/users/{ann}", {"profile": {"surname": "Lee"}})
    link = {"matchCriteria": {"type": "mailgun", "integrationId": mailgun, "address": "ann@example.com"},
            "confirmation": {"type": "immediate", "message": {"author": {"type": "business"},
                                                              "content": {"type": "text", "text": "Hello!"}}},
            "target": {"conversationId": personal}}
    client = http.expect("POST", f"{base}/users/{ann}/clients", link, 201)["client"]["id"]
    wait_for(lambda: http.expect("GET", f"{base}/users/{ann}/clients")["clients"][-1]["status"] == "active"
             and http.expect("GET", f"{base}/users/{ann}/clients")["clients"][-1]["id"] == client, "the email link")
    http.post_text(app, personal, "Your order shipped")
    # Earlier stages' links may be retried into this stand-in too: pick the message's own email.
    wait_for(lambda: any(e.get("text") == "Your order shipped" for e in emails(standin)), "the message's email")
    job = next(e for e in emails(standin) if e.get("text") == "Your order shipped")["v:parley-job"]
    for event in ({"event": "delivered"}, {"event": "failed", "severity": "permanent",
                                            "delivery-status": {"description": "mailbox full"}}):
        report = signed({})
        body = {"signature": {k: report[k] for k in ("timestamp", "token", "signature")},
                "event-data": {**event, "user-variables": {"parley-job": job}}}
        inbound(http, base, mailgun, "events", json.dumps(body).encode(), "application/json")
    # A stranger writes in, then ann is linked to that address: the stranger is merged into her.
    form = urllib.parse.urlencode(signed({"from": "Stranger <merge@example.com>", "recipient": "in@mg.example.com",
                                          "subject": "Hi", "body-plain": "Hello there", "Message-Id": "<m1@x>"}))
    inbound(http, base, mailgun, "messages", form.encode(), "application/x-www-form-urlencoded")
    merge = dict(link, matchCriteria={**link["matchCriteria"], "address": "merge@example.com"})
    http.expect("POST", f"{base}/users/{ann}/clients", merge, 201)
    wait_for(lambda: any(c["externalId"] == "merge@example.com" and c["status"] == "active"
                         for c in http.expect("GET", f"{base}/users/{ann}/clients")["clients"]), "the merge")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--mailgun-url", required=True,
                        help="the Mailgun stand-in the server sends to (conformance/mailgun_standin.py)")
    args = parser.parse_args()
    http = HTTP(args.base_url, os.environ["PARLEY_ACCOUNT_KEY_ID"], os.environ["PARLEY_ACCOUNT_KEY_SECRET"])
    spec = load_spec(args.spec)
    schemas = spec["components"]["schemas"]
    envelope = spec["x-webhooks"]["Webhook Event"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    by_type = {}
    for ref in envelope["properties"]["events"]["items"]["anyOf"]:
        schema = schemas[ref["$ref"].split("/")[-1]]
        by_type[schema.get("title")] = to_json_schema(schema, schemas)
    envelope_schema = to_json_schema({**envelope, "properties": {
        k: v for k, v in envelope["properties"].items() if k != "events"}}, schemas)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{server.server_address[1]}/hook"

    app = http.create_app("webhook payloads")
    http.create_integration(app, {"type": "custom", "webhooks": [
        {"target": target, "triggers": TRIGGERS, "includeFullUser": True}]})
    mailgun = http.create_integration(app, {"type": "mailgun", "apiKey": MAILGUN_KEY, "domain": "mg.example.com",
                                            "incomingAddress": "in@mg.example.com"})["id"]
    ann = http.create_user(app, {"externalId": "ann", "profile": {"givenName": "Ann"}})
    bob = http.create_user(app, {"externalId": "bob"})
    personal = http.create_conversation(app, {"type": "personal", "participants": [{"userId": ann}]})
    group = http.create_conversation(app, {"type": "sdkGroup", "metadata": {"team": "a"}})
    base = f"/v2/apps/{app}"
    http.expect("POST", f"{base}/conversations/{group}/join", {"userId": bob}, 201)
    http.expect("POST", f"{base}/conversations/{personal}/messages", {
        "author": {"type": "user", "userId": ann}, "content": {"type": "text", "text": "hi"}}, 201)
    http.expect("POST", f"{base}/conversations/{personal}/activity", {
        "author": {"type": "user", "userId": ann}, "type": "conversation:read"})
    client = http.expect("POST", f"{base}/users/{ann}/clients", {
        "matchCriteria": {"type": "mailgun", "integrationId": mailgun, "address": "ann@example.com"},
        "confirmation": {"type": "userActivity"}, "target": {"conversationId": personal}}, 201)["client"]["id"]
    http.expect("DELETE", f"{base}/users/{ann}/clients/{client}")
    mail_flow(http, base, app, mailgun, ann, personal, args.mailgun_url)
    http.expect("POST", f"{base}/conversations/{group}/leave", {"userId": bob})
    http.expect("DELETE", f"{base}/conversations/{group}")
    http.expect("DELETE", f"{base}/users/{bob}")

    deadline = time.time() + 30
    seen = set()
    while time.time() < deadline:
        seen = {e["type"] for b in Receiver.bodies for e in b.get("events", [])}
        if seen >= set(TRIGGERS):
            break
        time.sleep(0.2)
    server.shutdown()

    results = []

    def check(name, fn):
        try:
            fn()
            results.append({"name": name, "ok": True})
            print(f"PASS {name}")
        except Exception as error:  # a failed check is reported, not raised
            results.append({"name": name, "ok": False, "detail": str(error)[:800]})
            print(f"FAIL {name}: {str(error)[:800]}")

    def all_triggers_fired():
        missing = set(TRIGGERS) - seen
        assert not missing, f"never delivered: {sorted(missing)}"
    check("every trigger Parley fires today was delivered", all_triggers_fired)

    def envelopes_valid():
        for body in Receiver.bodies:
            jsonschema_rs.validate(envelope_schema, body)
            assert body["app"]["id"] == app and body["webhook"]["version"] == "v2", body
    check("every envelope matches the spec's EventWebhooks schema", envelopes_valid)

    for trigger in TRIGGERS:
        def one(trigger=trigger):
            events = [e for b in Receiver.bodies for e in b.get("events", []) if e["type"] == trigger]
            assert events, "none delivered"
            schema = by_type.get(trigger)
            assert schema is not None, f"the spec has no schema titled {trigger}"
            for event in events:
                jsonschema_rs.validate(schema, event)
        check(f"{trigger} events match the spec's schema", one)

    passed = sum(r["ok"] for r in results)
    write_json(args.record, {"checks": results, "passed": passed, "failed": len(results) - passed})
    print(f"webhook payloads: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
