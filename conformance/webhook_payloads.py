#!/usr/bin/env python3
"""Webhook payloads against the spec's own schemas (its `x-webhooks` section).

Starts a local HTTP receiver, subscribes a custom integration's webhook to every trigger Parley
fires today, causes each of them through the API, and validates every delivered envelope and
event against the schema the spec gives for that event type (`conversationMessageEvent`, …),
translated from OpenAPI 3.0 (nullable, $ref) to JSON Schema for `jsonschema_rs`.

The switchboard:* triggers come from `switchboard_flow`: the receiver's integration stays off the
switchboard (so it still gets every conversation:* event), two other custom integrations are the
switchboard integrations, and their webhooks (other paths of the receiver) show the routing.

Channel traffic goes through the stand-ins the runner starts: email through mailgun_standin.py
(`mail_flow`), SMS/MMS through twilio_standin.py (`twilio_flow`: Twilio's signed inbound messages,
status callbacks and STOP/START, each signed here with X-Twilio-Signature over --base-url, which
must be the server's PARLEY_PUBLIC_URL).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import threading
import time
import base64
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema_rs  # comes with schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP, load_spec, write_json  # noqa: E402
from spec_fixes import discriminator_type_enum  # noqa: E402

TRIGGERS = ["conversation:create", "conversation:message", "conversation:join", "conversation:leave",
            "conversation:remove", "conversation:read", "user:update", "user:remove", "user:merge",
            "client:add", "client:update", "client:remove", "conversation:message:delivery:channel",
            "conversation:message:delivery:user", "conversation:message:delivery:failure", "conversation:typing",
            "switchboard:passControl", "switchboard:passControl:failure", "switchboard:offerControl",
            "switchboard:offerControl:failure", "switchboard:acceptControl", "switchboard:acceptControl:failure",
            "switchboard:releaseControl", "conversation:postback", "conversation:referral"]
MAILGUN_KEY = "key-conformance"
TWILIO_ACCOUNT = "AC" + "c0ffee" * 5 + "01"
TWILIO_TOKEN = "twilio-token-conformance"
TWILIO_NUMBER = "+15550001111"  # what the Twilio stand-in tells as the phoneNumberSid's number


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
    """The webhook target: /hook is the validated stream; other paths (the switchboard flow's integrations) are
    kept apart in `others`."""
    bodies: list = []
    others: dict = {}

    def do_POST(self):  # noqa: N802 (http.server naming)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.path == "/hook":
            Receiver.bodies.append(body)
        else:
            Receiver.others.setdefault(self.path, []).append(body)
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
    """user:update, the email link's client:update, the three delivery triggers, a postback chosen by email, a
    referral by address and user:merge."""
    http.expect("PATCH", f"{base}/users/{ann}", {"profile": {"surname": "Lee"}})
    link = {"matchCriteria": {"type": "mailgun", "integrationId": mailgun, "address": "ann@example.com"},
            "confirmation": {"type": "immediate", "message": {"author": {"type": "business"},
                                                              "content": {"type": "text", "text": "Hello!"}}},
            "target": {"conversationId": personal}}
    client = http.expect("POST", f"{base}/users/{ann}/clients", link, 201)["client"]["id"]
    wait_for(lambda: http.expect("GET", f"{base}/users/{ann}/clients")["clients"][-1]["status"] == "active"
             and http.expect("GET", f"{base}/users/{ann}/clients")["clients"][-1]["id"] == client, "the email link")
    # One message delivered, another failed: Parley records one report per send (the first; repeats and
    # later reports on the same send change nothing), so each outcome needs a message of its own.
    for text, event in (("Your order shipped", {"event": "delivered"}),
                        ("Your refund is on its way", {"event": "failed", "severity": "permanent",
                                                       "delivery-status": {"description": "mailbox full"}})):
        http.post_text(app, personal, text)
        # Earlier stages' links may be retried into this stand-in too: pick the message's own email.
        wait_for(lambda: any(e.get("text") == text for e in emails(standin)), "the message's email")
        job = next(e for e in emails(standin) if e.get("text") == text)["v:parley-job"]
        report = signed({})
        body = {"signature": {k: report[k] for k in ("timestamp", "token", "signature")},
                "event-data": {**event, "user-variables": {"parley-job": job}}}
        inbound(http, base, mailgun, "events", json.dumps(body).encode(), "application/json")
    # A postback button by email: a signed link to Parley; its page asks, the confirmation records
    # conversation:postback.
    http.expect("POST", f"{base}/conversations/{personal}/messages", {"author": {"type": "business"}, "content": {
        "type": "text", "text": "Ship today?",
        "actions": [{"type": "postback", "text": "Yes", "payload": "SHIP_TODAY", "metadata": {"rush": True}}]}}, 201)
    wait_for(lambda: any(e.get("text", "").startswith("Ship today?") for e in emails(standin)), "the postback email")
    mail = next(e for e in emails(standin) if e.get("text", "").startswith("Ship today?"))
    found = re.search(r"^Yes: (\S+)$", mail["text"], re.M)
    assert found, f"no postback link in {mail['text']!r}"
    with urllib.request.urlopen(found.group(1), timeout=10) as page:
        assert page.status == 200 and b"<button" in page.read(), "the postback page"
    confirm = urllib.request.Request(found.group(1), data=b"", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(confirm, timeout=10) as page:
        assert page.status == 200, "the postback confirmation"
    # An email to a tagged address is a referral.
    form = urllib.parse.urlencode(signed({"from": "Ann <ann@example.com>", "recipient": "in+spring-ad@mg.example.com",
                                          "subject": "Your ad", "body-plain": "Saw your ad", "Message-Id": "<r1@x>"}))
    inbound(http, base, mailgun, "messages", form.encode(), "application/x-www-form-urlencoded")
    # A stranger writes in, then ann is linked to that address: the stranger is merged into her.
    form = urllib.parse.urlencode(signed({"from": "Stranger <merge@example.com>", "recipient": "in@mg.example.com",
                                          "subject": "Hi", "body-plain": "Hello there", "Message-Id": "<m1@x>"}))
    inbound(http, base, mailgun, "messages", form.encode(), "application/x-www-form-urlencoded")
    merge = dict(link, matchCriteria={**link["matchCriteria"], "address": "merge@example.com"})
    http.expect("POST", f"{base}/users/{ann}/clients", merge, 201)
    wait_for(lambda: any(c["externalId"] == "merge@example.com" and c["status"] == "active"
                         for c in http.expect("GET", f"{base}/users/{ann}/clients")["clients"]), "the merge")


def twilio_signature(url: str, fields: list[tuple[str, str]], token: str = TWILIO_TOKEN) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL and every POST parameter's name and value, by name."""
    text = url + "".join(name + value for name, value in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def twilio_post(http: HTTP, path: str, fields: dict, signature: str | None = "sign",
                retry_409: bool = False) -> tuple[int, str, bytes]:
    """Posts as Twilio does (form body, signed over PARLEY_PUBLIC_URL + path + query); (status, content type, body).
    signature "sign" computes the right one, None sends none, anything else is sent as given."""
    pairs = list(fields.items())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "TwilioProxy/1.1"}
    if signature == "sign":
        signature = twilio_signature(http.base_url + path, pairs)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    for attempt in range(100):
        req = urllib.request.Request(http.base_url + path, data=urllib.parse.urlencode(pairs).encode(),
                                     method="POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            if error.code == 409 and retry_409 and attempt < 99:
                time.sleep(0.2)
                continue
            return error.code, error.headers.get("Content-Type", ""), error.read()
    raise AssertionError("unreachable")


WHATSAPP_TOKEN = "EAAJ-whatsapp-conformance"
WHATSAPP_SECRET = "whatsapp-app-secret-conformance"
WHATSAPP_NUMBER_ID = "106540352242922"


def meta_post(http: HTTP, path: str, notification: dict, secret: str = WHATSAPP_SECRET) -> tuple[int, dict]:
    """Posts as Meta does: JSON, signed in X-Hub-Signature-256 with the app secret; (status, answer)."""
    body = json.dumps(notification).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(http.base_url + path, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def whatsapp_flow(http: HTTP, base: str, app: str, check, events) -> dict:
    """A WhatsApp integration against the Graph stand-in (PARLEY_WHATSAPP_API_URL): Meta's handshake, a stranger's
    signed message, a reply-button tap and an ad referral, a business message and its statuses (delivered, read, a
    131047 failure). Returns what the payload checks need."""
    facts: dict = {}
    wa_id = "14155550199"

    def notify(value: dict) -> tuple[int, dict]:
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "15550001111", "phone_number_id": WHATSAPP_NUMBER_ID}, **value}
        return meta_post(http, f"{base}/integrations/{facts['integration']}/inbound/webhook", {
            "object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages",
                                                                                         "value": value}]}]})

    def message(fields: dict) -> tuple[int, dict]:
        return notify({"contacts": [{"profile": {"name": "Wanda"}, "wa_id": wa_id}],
                       "messages": [{"from": wa_id, "id": f"wamid.conf{time.time_ns()}", "timestamp": "1790000000",
                                     **fields}]})

    def create():
        integration = http.create_integration(app, {
            "type": "whatsapp", "accountId": "waba", "accountManagementAccessToken": WHATSAPP_TOKEN,
            "phoneNumberId": WHATSAPP_NUMBER_ID, "appSecret": WHATSAPP_SECRET})
        facts["integration"] = integration["id"]
        full = http.expect("GET", f"{base}/integrations/{integration['id']}")["integration"]
        assert full.get("phoneNumber", "").startswith("+"), full
        assert re.fullmatch(r"[0-9a-f]{32}", full.get("webhookVerifyToken", "")), full
        assert "appSecret" not in full and "accountManagementAccessToken" not in full, full
        path = (f"{http.base_url}{base}/integrations/{integration['id']}/inbound/webhook?hub.mode=subscribe"
                f"&hub.challenge=8675309&hub.verify_token={full['webhookVerifyToken']}")
        with urllib.request.urlopen(path, timeout=10) as response:
            assert response.status == 200 and response.read() == b"8675309"
    check("whatsapp: CreateIntegration checks the number (phoneNumber filled, secrets hidden) and Meta's "
          "handshake answers the challenge", create)

    def inbound():
        status, answer = message({"type": "text", "text": {"body": "Hello from WhatsApp"}})
        assert status == 200 and answer["results"][0]["result"] == "stored", (status, answer)
        facts["conversation"] = answer["results"][0]["conversationId"]
        status, answer = message({"type": "interactive", "interactive": {
            "type": "button_reply", "button_reply": {"id": "SIZE_L", "title": "Large"}}})
        assert status == 200 and answer["results"][0]["result"] == "stored", (status, answer)
        status, answer = message({"type": "text", "text": {"body": "Saw your ad"}, "referral": {
            "source_url": "https://fb.me/ad", "source_id": "ad-7", "source_type": "ad"}})
        assert status == 200, (status, answer)
        status, _ = meta_post(http, f"{base}/integrations/{facts['integration']}/inbound/webhook", {"entry": []},
                              secret="forged")
        assert status == 401, status
    check("whatsapp: signed messages from a stranger are stored (text, reply tap, ad referral); a forged "
          "signature is 401", inbound)

    def statuses():
        facts["message"] = http.post_text(app, facts["conversation"], "Your WhatsApp order shipped")
        wait_for(lambda: events("conversation:message:delivery:channel", facts["message"]),
                 "the message's delivery:channel event")
        wamid = events("conversation:message:delivery:channel", facts["message"])[0]["payload"][
            "externalMessages"][0]["id"]
        for state in ("sent", "delivered", "read"):
            status, answer = notify({"statuses": [{"id": wamid, "status": state, "timestamp": "1790000100",
                                                   "recipient_id": wa_id}]})
            assert status == 200, (status, answer)
        facts["failed"] = http.post_text(app, facts["conversation"], "Still there?")
        wait_for(lambda: events("conversation:message:delivery:channel", facts["failed"]),
                 "the second message's delivery:channel event")
        wamid = events("conversation:message:delivery:channel", facts["failed"])[0]["payload"][
            "externalMessages"][0]["id"]
        status, answer = notify({"statuses": [{"id": wamid, "status": "failed", "timestamp": "1790090000",
                                               "recipient_id": wa_id, "errors": [{"code": 131047,
                                                                                  "title": "Re-engagement message"}]}]})
        assert status == 200 and answer["results"] == [{"result": "recorded"}], (status, answer)
    check("whatsapp: statuses by wamid: delivered and read recorded, a 131047 failure recorded", statuses)
    return facts


def sms(standin: str) -> list:
    """What the Twilio stand-in (conformance/twilio_standin.py) has received so far."""
    with urllib.request.urlopen(f"{standin}/messages", timeout=10) as response:
        return json.loads(response.read())


def twilio_flow(http: HTTP, base: str, app: str, twilio: str, tina: str, personal: str, standin: str,
                check) -> dict:
    """An SMS link confirmed at once, a business message and its delivered status callback, inbound SMS and MMS,
    STOP and START; each HTTP-level expectation is a check of its own. Returns what the payload checks need."""
    facts: dict = {}
    number, display = "+14155550100", "+1 (415) 555-0100"
    inbound_path = f"{base}/integrations/{twilio}/inbound"
    clients_path = f"{base}/users/{tina}/clients"

    def client_status():
        listed = http.expect("GET", clients_path)["clients"]
        return next((c["status"] for c in listed if c["id"] == facts.get("client")), None)

    def message(fields: dict, signature: str | None = "sign") -> tuple[int, str, bytes]:
        return twilio_post(http, f"{inbound_path}/message", {"AccountSid": TWILIO_ACCOUNT, "To": TWILIO_NUMBER,
                                                             "NumMedia": "0", "ApiVersion": "2010-04-01",
                                                             **fields}, signature)

    def twiml(got: tuple[int, str, bytes]):
        status, content_type, body = got
        assert status == 200, f"HTTP {status}: {body[:300]!r}"
        assert content_type.startswith("text/xml"), f"Content-Type {content_type!r}"
        assert b"<Response></Response>" in body or b"<Response/>" in body, body

    def link():
        body = {"matchCriteria": {"type": "twilio", "integrationId": twilio, "phoneNumber": display},
                "confirmation": {"type": "immediate", "message": {"author": {"type": "business"},
                                                                  "content": {"type": "text",
                                                                              "text": "Welcome to SMS!"}}},
                "target": {"conversationId": personal}}
        client = http.expect("POST", clients_path, body, 201)["client"]
        assert client["type"] == "twilio" and client["externalId"] == number, client
        facts["client"] = client["id"]
        wait_for(lambda: any(m.get("To") == number and m.get("Body") == "Welcome to SMS!" for m in sms(standin)),
                 "the confirmation SMS at the Twilio stand-in")
        sent = next(m for m in sms(standin) if m.get("To") == number and m.get("Body") == "Welcome to SMS!")
        assert sent["_account"] == TWILIO_ACCOUNT and sent["_token"] == TWILIO_TOKEN, \
            f"Basic auth was {sent['_account']}:{sent['_token']}"
        assert sent.get("From") == TWILIO_NUMBER, f"From {sent.get('From')!r}: not the phoneNumberSid's number"
        wait_for(lambda: client_status() == "active", "the SMS link to turn active")
    check("twilio: CreateClient immediate sends the confirmation SMS (Basic AccountSid:AuthToken, From the "
          "phoneNumberSid's number) and the client turns active", link)

    def business_message():
        facts["message"] = http.post_text(app, personal, "Your SMS order shipped")
        wait_for(lambda: any(m.get("Body") == "Your SMS order shipped" for m in sms(standin)), "the message's SMS")
        sent = next(m for m in sms(standin) if m.get("Body") == "Your SMS order shipped")
        assert sent.get("To") == number and sent.get("From") == TWILIO_NUMBER, sent
        callback = urllib.parse.urlsplit(sent.get("StatusCallback", ""))
        want = urllib.parse.urlsplit(http.base_url)
        assert (callback.scheme, callback.netloc, callback.path) == \
            (want.scheme, want.netloc, f"{inbound_path}/status"), f"StatusCallback {sent.get('StatusCallback')!r}"
        job = urllib.parse.parse_qs(callback.query).get("job", [""])[0]
        assert job, f"StatusCallback {sent.get('StatusCallback')!r} names no job"
        facts["job"], facts["sid"] = job, sent["_sid"]
    check("twilio: a business message is sent as SMS with a StatusCallback to …/inbound/status?job=", business_message)

    def status_callback():
        path = f"{inbound_path}/status?job={facts['job']}"
        report = {"AccountSid": TWILIO_ACCOUNT, "MessageSid": facts["sid"], "SmsSid": facts["sid"],
                  "From": TWILIO_NUMBER, "To": number, "ApiVersion": "2010-04-01"}
        results = []
        for status in ("sent", "delivered", "delivered"):
            got = twilio_post(http, path, {**report, "MessageStatus": status, "SmsStatus": status}, retry_409=True)
            assert got[0] == 200 and got[1].startswith("application/json"), got
            results.append(json.loads(got[2]))
        assert results == [{"result": "ignored"}, {"result": "recorded"}, {"result": "ignored"}], results
    check("twilio: signed status callbacks: sent is ignored, delivered is recorded, a repeat is ignored",
          status_callback)

    def business_image():
        label = "https://media.example.com/shipping-label.png"
        http.expect("POST", f"{base}/conversations/{personal}/messages", {
            "author": {"type": "business"}, "content": {"type": "image", "mediaUrl": label}}, 201)
        wait_for(lambda: any(m.get("MediaUrl") == label for m in sms(standin)), "the image's MMS")
        sent = next(m for m in sms(standin) if m.get("MediaUrl") == label)
        assert sent.get("To") == number and sent.get("From") == TWILIO_NUMBER, sent
        assert sent.get("StatusCallback", "").startswith(f"{http.base_url}{inbound_path}/status?job="), sent
    check("twilio: a business image message is sent as MMS (MediaUrl)", business_image)

    def undelivered():
        facts["failed_message"] = http.post_text(app, personal, "Your SMS refund")
        wait_for(lambda: any(m.get("Body") == "Your SMS refund" for m in sms(standin)), "the second message's SMS")
        sent = next(m for m in sms(standin) if m.get("Body") == "Your SMS refund")
        callback = urllib.parse.urlsplit(sent.get("StatusCallback", ""))
        report = {"AccountSid": TWILIO_ACCOUNT, "MessageSid": sent["_sid"], "MessageStatus": "undelivered",
                  "ErrorCode": "30003", "From": TWILIO_NUMBER, "To": number}
        got = twilio_post(http, f"{callback.path}?{callback.query}", report, retry_409=True)
        assert got[0] == 200 and json.loads(got[2]) == {"result": "recorded"}, got
    check("twilio: a signed undelivered status callback (ErrorCode 30003) is recorded", undelivered)

    def inbound_text():
        fields = {"MessageSid": "SM" + "1" * 32, "SmsMessageSid": "SM" + "1" * 32, "From": number,
                  "Body": "Thanks, got it"}
        twiml(message(fields))
        twiml(message(fields))  # Twilio retrying: stored once
        wait_for(lambda: any(m["content"].get("text") == "Thanks, got it" for m in http.expect(
            "GET", f"{base}/conversations/{personal}/messages")["messages"]), "the inbound SMS in the conversation")
        time.sleep(0.5)
        got = [m for m in http.expect("GET", f"{base}/conversations/{personal}/messages")["messages"]
               if m["content"].get("text") == "Thanks, got it"]
        assert len(got) == 1, f"the SMS is stored {len(got)} times"
        assert got[0]["author"]["type"] == "user" and got[0]["author"].get("userId") == tina, got[0]["author"]
        assert got[0]["source"]["type"] == "twilio", got[0]["source"]
        assert got[0]["source"].get("integrationId") == twilio, got[0]["source"]
    check("twilio: a signed inbound SMS from the linked number answers empty TwiML and is stored once "
          "(source.type twilio)", inbound_text)

    def stranger_mms():
        twiml(message({"MessageSid": "SM" + "2" * 32, "From": "+14155550199", "Body": "", "NumMedia": "1",
                       "MediaUrl0": "https://media.example.com/cat.jpg", "MediaContentType0": "image/jpeg"}))
        twiml(message({"MessageSid": "SM" + "3" * 32, "From": "+14155550199", "Body": "the invoice",
                       "NumMedia": "1", "MediaUrl0": "https://media.example.com/invoice.pdf",
                       "MediaContentType0": "application/pdf"}))
        facts["stranger"] = "+14155550199"
    check("twilio: signed inbound MMS (image, then a file) from an unknown number answer empty TwiML", stranger_mms)

    def opt_out():
        twiml(message({"MessageSid": "SM" + "4" * 32, "From": number, "Body": "STOP"}))
        wait_for(lambda: client_status() == "blocked", "the client to be blocked after STOP")
        twiml(message({"MessageSid": "SM" + "5" * 32, "From": number, "Body": "START"}))
        wait_for(lambda: client_status() == "active", "the client to be active again after START")
    check("twilio: STOP blocks the linked client, START makes it active again", opt_out)

    def bad_signatures():
        fields = {"MessageSid": "SM" + "6" * 32, "From": number, "Body": "forged"}
        wrong = twilio_signature(http.base_url + f"{inbound_path}/message",
                                 list({**fields, "AccountSid": TWILIO_ACCOUNT}.items()), "not-the-token")
        for signature in (None, wrong, "bm90IGEgc2lnbmF0dXJl"):
            status, content_type, body = message(fields, signature)
            assert status == 401, f"signature {signature!r}: HTTP {status}"
            errors = json.loads(body)
            assert set(errors) == {"errors"} and errors["errors"] and errors["errors"][0].get("code"), errors
        status, _, body = twilio_post(http, f"{inbound_path}/status?job={facts.get('job', 'f' * 24)}",
                                      {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}, "AAAA")
        assert status == 401, f"status callback with a bad signature: HTTP {status}"
        assert not any(m["content"].get("text") == "forged" for m in http.expect(
            "GET", f"{base}/conversations/{personal}/messages")["messages"]), "a forged SMS was stored"
    check("twilio: a missing or wrong X-Twilio-Signature is 401 with the error envelope", bad_signatures)
    return facts


def switchboard_flow(http: HTTP, base: str, app: str, hook_base: str) -> dict:
    """Causes the seven switchboard:* triggers. The receiver's own integration stays off the switchboard, so it
    still gets every conversation:* event; two more custom integrations (webhooks to /alpha and /beta of the
    receiver) are the switchboard integrations `alpha` (the default, deliverStandbyEvents false, next: beta)
    and `beta` (messageHistoryCount 3). Each action's metadata names its step, so events can be told apart.
    Returns the ids the checks need."""
    triggers = ["conversation:message", "switchboard:passControl"]
    integrations = {name: http.create_integration(app, {"type": "custom", "webhooks": [
        {"target": f"{hook_base}/{name}", "triggers": triggers}]})["id"] for name in ("alpha", "beta")}
    sam = http.create_user(app, {"externalId": "sam"})
    before = http.create_conversation(app, {"type": "personal", "participants": [{"userId": sam}]})
    # No switchboard yet: passControl and offerControl answer 200 and fail.
    for action in ("passControl", "offerControl"):
        http.expect("POST", f"{base}/conversations/{before}/{action}",
                    {"switchboardIntegration": "alpha", "metadata": {"step": "no-switchboard"}})
    board = http.expect("POST", f"{base}/switchboards", None, 201)["switchboard"]["id"]
    path = f"{base}/switchboards/{board}/switchboardIntegrations"
    beta = http.expect("POST", path, {"name": "beta", "integrationId": integrations["beta"],
                                      "messageHistoryCount": 3}, 201)["switchboardIntegration"]
    alpha = http.expect("POST", path, {"name": "alpha", "integrationId": integrations["alpha"],
                                       "deliverStandbyEvents": False, "nextSwitchboardIntegrationId": beta["id"]},
                        201)["switchboardIntegration"]
    http.expect("PATCH", f"{base}/switchboards/{board}", {"enabled": True, "defaultSwitchboardIntegrationId": alpha["id"]})
    conversation = http.create_conversation(app, {"type": "sdkGroup", "displayName": "switchboard",
                                                  "participants": [{"userId": sam}]})
    history = []
    for text in ("sb first", "sb second", "sb third", "sb fourth"):  # alpha is in control, beta in standby
        history.append(http.expect("POST", f"{base}/conversations/{conversation}/messages", {
            "author": {"type": "user", "userId": sam}, "content": {"type": "text", "text": text}}, 201)["messages"][0]["id"])

    def act(action: str, body: dict) -> None:
        answer = http.expect("POST", f"{base}/conversations/{conversation}/{action}", body)
        assert answer == {}, f"{action}: {answer}"

    act("passControl", {"switchboardIntegration": "beta", "metadata": {"step": "pass"}})
    routed = http.post_text(app, conversation, "sb while beta is in control")  # alpha is in standby, without events
    act("passControl", {"switchboardIntegration": "nobody", "metadata": {"step": "pass-unknown"}})
    act("passControl", {"switchboardIntegration": "beta", "metadata": {"step": "pass-again"}})  # already active
    act("offerControl", {"switchboardIntegration": "alpha", "metadata": {"step": "offer"}})
    act("offerControl", {"switchboardIntegration": "beta", "metadata": {"step": "offer-active"}})
    act("acceptControl", {"metadata": {"step": "accept"}})
    act("acceptControl", {"metadata": {"step": "accept-nothing"}})
    act("releaseControl", {"metadata": {"step": "release"}})
    act("releaseControl", {"metadata": {"step": "release-again"}})  # nothing active
    ref = lambda sbi: {k: sbi[k] for k in ("id", "name", "integrationId", "integrationType")}  # noqa: E731
    return {"before": before, "conversation": conversation, "alpha": ref(alpha), "beta": ref(beta),
            "history": history, "routed": routed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--mailgun-url", required=True,
                        help="the Mailgun stand-in the server sends to (conformance/mailgun_standin.py)")
    parser.add_argument("--twilio-url", required=True,
                        help="the Twilio stand-in the server sends to (conformance/twilio_standin.py); the server's "
                             "PARLEY_PUBLIC_URL must be --base-url, which Twilio's signatures cover")
    args = parser.parse_args()
    http = HTTP(args.base_url, os.environ["PARLEY_ACCOUNT_KEY_ID"], os.environ["PARLEY_ACCOUNT_KEY_SECRET"])
    spec = load_spec(args.spec)
    # F8 (EXCLUSIONS.md): `to_json_schema` drops the discriminators, and without them an image or file message
    # matches textMessage, imageMessage and fileMessage at once; pin each content and action member's `type`.
    discriminator_type_enum(spec)
    schemas = spec["components"]["schemas"]
    envelope = spec["x-webhooks"]["Webhook Event"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    by_type = {}
    for ref in envelope["properties"]["events"]["items"]["anyOf"]:
        schema = schemas[ref["$ref"].split("/")[-1]]
        by_type[schema.get("title")] = to_json_schema(schema, schemas)
    envelope_schema = to_json_schema({**envelope, "properties": {
        k: v for k, v in envelope["properties"].items() if k != "events"}}, schemas)

    results = []

    def check(name, fn):
        try:
            fn()
            results.append({"name": name, "ok": True})
            print(f"PASS {name}")
        except Exception as error:  # a failed check is reported, not raised
            results.append({"name": name, "ok": False, "detail": str(error)[:800]})
            print(f"FAIL {name}: {str(error)[:800]}")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{server.server_address[1]}/hook"

    app = http.create_app("webhook payloads")
    http.create_integration(app, {"type": "custom", "webhooks": [
        {"target": target, "triggers": TRIGGERS, "includeFullUser": True}]})
    mailgun = http.create_integration(app, {"type": "mailgun", "apiKey": MAILGUN_KEY, "domain": "mg.example.com",
                                            "incomingAddress": "in@mg.example.com"})["id"]
    twilio = http.create_integration(app, {"type": "twilio", "accountSid": TWILIO_ACCOUNT, "authToken": TWILIO_TOKEN,
                                           "phoneNumberSid": "PN" + "c0ffee" * 5 + "01"})["id"]
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
    tina = http.create_user(app, {"externalId": "tina", "profile": {"givenName": "Tina"}})
    tina_personal = http.create_conversation(app, {"type": "personal", "participants": [{"userId": tina}]})
    sms_facts = twilio_flow(http, base, app, twilio, tina, tina_personal, args.twilio_url, check)

    def about_message(kind: str, message: str) -> list:
        return [e for b in list(Receiver.bodies) for e in b.get("events", [])
                if e["type"] == kind and e.get("payload", {}).get("message", {}).get("id") == message]
    wa_facts = whatsapp_flow(http, base, app, check, about_message)
    for kind in ("typing:start", "typing:stop"):  # business typing: conversation:typing
        http.expect("POST", f"{base}/conversations/{personal}/activity", {
            "author": {"type": "business", "displayName": "Agent"}, "type": kind})
    sb_facts: dict = {}

    def switchboards():
        sb_facts.update(switchboard_flow(http, base, app, f"http://127.0.0.1:{server.server_address[1]}"))
    check("switchboard: the flow (pass, offer, accept, release, each also failing) answers 200 {} throughout",
          switchboards)
    http.expect("POST", f"{base}/conversations/{group}/leave", {"userId": bob})
    http.expect("DELETE", f"{base}/conversations/{group}")
    http.expect("DELETE", f"{base}/users/{bob}")

    def events(kind: str) -> list:
        return [e for b in list(Receiver.bodies) for e in b.get("events", []) if e["type"] == kind]

    def payload_of(kind: str, **where) -> list:
        """The payloads of `kind` events whose dotted paths have the given values (a__b for a.b)."""
        def value(payload, dotted):
            for part in dotted.split("__"):
                payload = payload.get(part) if isinstance(payload, dict) else None
            return payload
        return [e for e in events(kind) if all(value(e.get("payload", {}), k) == v for k, v in where.items())]

    def twilio_events_in() -> bool:
        client, message = sms_facts.get("client"), sms_facts.get("message")
        return (not client or {"blocked", "unblocked"} <= {e["payload"].get("reason") for e in payload_of(
                    "client:update", client__id=client)}) and \
               (not message or bool(payload_of("conversation:message:delivery:user", message__id=message))) and \
               (not message or bool(payload_of("conversation:message:delivery:channel", message__id=message))) and \
               (not sms_facts.get("failed_message") or bool(payload_of(
                   "conversation:message:delivery:failure", message__id=sms_facts["failed_message"])))

    def in_conversation(kind: str, conversation: str | None) -> list:
        return payload_of(kind, conversation__id=conversation) if conversation else []

    def others(path: str) -> list:
        return [e for b in list(Receiver.others.get(path, [])) for e in b.get("events", [])]

    def switchboard_events_in() -> bool:
        conv, before = sb_facts.get("conversation"), sb_facts.get("before")
        if not conv:
            return True
        kinds = [t for t in TRIGGERS if t.startswith("switchboard:")]
        return all(in_conversation(k, conv) for k in kinds) and \
            in_conversation("switchboard:passControl:failure", before) and \
            in_conversation("switchboard:offerControl:failure", before) and \
            any(e["payload"]["message"]["id"] == sb_facts["routed"] for e in others("/beta")
                if e["type"] == "conversation:message") and \
            len([e for e in others("/alpha") if e["type"] == "switchboard:passControl"]) >= 1

    def whatsapp_events_in() -> bool:
        message, failed = wa_facts.get("message"), wa_facts.get("failed")
        return (not message or bool(about_message("conversation:message:delivery:user", message))) and \
               (not failed or bool(about_message("conversation:message:delivery:failure", failed))) and \
               (not wa_facts.get("conversation") or bool(in_conversation("conversation:referral", wa_facts["conversation"])))

    deadline = time.time() + 30
    seen = set()
    while time.time() < deadline:
        seen = {e["type"] for b in list(Receiver.bodies) for e in b.get("events", [])}
        if seen >= set(TRIGGERS) and twilio_events_in() and switchboard_events_in() and whatsapp_events_in():
            break
        time.sleep(0.2)
    time.sleep(1)  # a moment for anything a repeat might (wrongly) cause
    server.shutdown()

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

    def whatsapp_payloads():
        failure = about_message("conversation:message:delivery:failure", wa_facts.get("failed"))
        assert failure, "no delivery:failure for the message WhatsApp failed"
        error = failure[0]["payload"].get("error", {}).get("message", "")
        assert "131047" in error and "template" in error, error
        assert failure[0]["payload"]["destination"]["type"] == "whatsapp", failure[0]["payload"]
        user = about_message("conversation:message:delivery:user", wa_facts.get("message"))
        assert user and user[0]["payload"]["destination"]["integrationId"] == wa_facts["integration"], user
        reads = in_conversation("conversation:read", wa_facts.get("conversation"))
        assert reads and reads[0]["payload"]["activity"]["author"]["type"] == "user", reads
        taps = [e["payload"]["message"]["content"] for e in in_conversation("conversation:message", wa_facts.get("conversation"))
                if e["payload"]["message"]["content"].get("payload")]
        assert taps == [{"type": "text", "text": "Large", "payload": "SIZE_L"}], taps
        referral = in_conversation("conversation:referral", wa_facts.get("conversation"))
        assert referral and referral[0]["payload"]["referral"]["code"] == "ad-7", referral
    check("whatsapp: delivery:user, delivery:failure (131047, a template is needed), conversation:read, a reply "
          "tap's payload and the ad's referral carry WhatsApp's facts", whatsapp_payloads)

    # The payloads Twilio traffic caused, each against its schema with the values it must carry.
    def sms_blocked_unblocked():
        client = sms_facts.get("client")
        assert client, "no SMS link was made"
        updates = payload_of("client:update", client__id=client)
        reasons = [e["payload"].get("reason") for e in updates]
        assert "blocked" in reasons and "unblocked" in reasons, f"client:update reasons {reasons}"
        assert reasons.count("blocked") == 1 and reasons.count("unblocked") == 1, f"client:update reasons {reasons}"
        for event in updates:
            jsonschema_rs.validate(by_type["client:update"], event)
            got = event["payload"]["client"]
            assert got["type"] == "twilio" and got["externalId"] == "+14155550100", got
            assert got["integrationId"] == twilio, got
            want = {"blocked": "blocked", "unblocked": "active", "confirmed": "active"}.get(event["payload"]["reason"])
            assert want is None or got["status"] == want, f"reason {event['payload']['reason']}, status {got['status']}"
    check("twilio: client:update blocked (STOP) and unblocked (START) match the spec's schema, once each",
          sms_blocked_unblocked)

    def sms_delivered():
        message = sms_facts.get("message")
        assert message, "no business message was sent by SMS"
        delivered = payload_of("conversation:message:delivery:user", message__id=message)
        assert len(delivered) == 1, f"{len(delivered)} delivery:user events for the message (a repeat must not count)"
        for event in delivered:
            jsonschema_rs.validate(by_type["conversation:message:delivery:user"], event)
            destination = event["payload"].get("destination") or {}
            assert destination == {"type": "twilio", "integrationId": twilio}, destination
            assert event["payload"].get("externalMessages") in (None, [{"id": sms_facts["sid"]}]), event["payload"]
        channel = payload_of("conversation:message:delivery:channel", message__id=message)
        assert len(channel) == 1, f"{len(channel)} delivery:channel events for the message"
        jsonschema_rs.validate(by_type["conversation:message:delivery:channel"], channel[0])
        assert channel[0]["payload"].get("externalMessages") == [{"id": sms_facts["sid"]}], channel[0]["payload"]
        assert channel[0]["payload"].get("destination", {}).get("type") == "twilio", channel[0]["payload"]
        assert not payload_of("conversation:message:delivery:failure", message__id=message), "a failure was reported"
        failed = payload_of("conversation:message:delivery:failure", message__id=sms_facts.get("failed_message"))
        assert len(failed) == 1, f"{len(failed)} delivery:failure events for the undelivered SMS"
        jsonschema_rs.validate(by_type["conversation:message:delivery:failure"], failed[0])
        assert failed[0]["payload"].get("destination", {}).get("type") == "twilio", failed[0]["payload"]
        assert "30003" in json.dumps(failed[0]["payload"].get("error")), failed[0]["payload"]
    check("twilio: delivery:channel (externalMessages = Twilio's sid), one delivery:user from the delivered status "
          "callback and one delivery:failure from the undelivered one match the spec's schemas", sms_delivered)

    def sms_inbound():
        inbound_ = payload_of("conversation:message", message__source__type="twilio")
        for event in inbound_:
            jsonschema_rs.validate(by_type["conversation:message"], event)
            assert event["payload"]["message"]["source"].get("integrationId") == twilio, event["payload"]["message"]
        texts = [e for e in inbound_ if e["payload"]["message"]["content"].get("text") == "Thanks, got it"]
        assert len(texts) == 1, f"{len(texts)} conversation:message events for the SMS (sent twice, same MessageSid)"
        assert texts[0]["payload"]["conversation"]["id"] == tina_personal, texts[0]["payload"]["conversation"]
        image = [e for e in inbound_ if e["payload"]["message"]["content"].get("type") == "image"]
        file_ = [e for e in inbound_ if e["payload"]["message"]["content"].get("type") == "file"]
        assert len(image) == 1 and len(file_) == 1, \
            f"{len(image)} image and {len(file_)} file messages from the MMS: " \
            f"{[e['payload']['message']['content'] for e in inbound_]}"
        assert image[0]["payload"]["message"]["content"]["mediaUrl"] == "https://media.example.com/cat.jpg", image
        assert file_[0]["payload"]["message"]["content"]["mediaUrl"] == "https://media.example.com/invoice.pdf", file_
        stranger = image[0]["payload"]["message"]["author"].get("userId")
        assert stranger and stranger not in (tina, ann, bob), image[0]["payload"]["message"]["author"]
        conversation = image[0]["payload"]["conversation"]["id"]
        assert file_[0]["payload"]["conversation"]["id"] == conversation, "the two MMS went to different conversations"
        created = [e for e in events("conversation:create") if e["payload"]["conversation"]["id"] == conversation]
        assert len(created) == 1 and created[0]["payload"]["conversation"]["type"] == "personal", created
        clients = http.expect("GET", f"{base}/users/{stranger}/clients")["clients"]
        assert [(c["type"], c["externalId"], c["status"], c["integrationId"]) for c in clients] == \
            [("twilio", "+14155550199", "active", twilio)], clients
    check("twilio: inbound SMS/MMS conversation:message events (source twilio, text once, image, file) match the "
          "spec's schema; an unknown number gets a user, a personal conversation and an active client", sms_inbound)

    # The switchboard flow's events, each against its schema with the values it must carry.
    message_schema = to_json_schema(schemas["messageWebhook"], schemas)
    conv, before = sb_facts.get("conversation"), sb_facts.get("before")

    def one_event(kind: str, conversation: str | None, step: str | None = None) -> dict:
        assert conversation, "the switchboard flow did not run"
        found = in_conversation(kind, conversation)
        if step is not None:
            found = [e for e in found if (e["payload"].get("metadata") or {}).get("step") == step]
        assert len(found) == 1, f"{len(found)} {kind} events" + (f" with metadata.step {step!r}" if step else "") + \
            f" in conversation {conversation}: {[e['payload'] for e in in_conversation(kind, conversation)]}"
        jsonschema_rs.validate(by_type[kind], found[0])
        return found[0]["payload"]

    def control(payload: dict, active: str | None, pending: str | None) -> None:
        got = payload["conversation"]
        assert got.get("activeSwitchboardIntegration") == (sb_facts[active] if active else None), \
            f"activeSwitchboardIntegration {got.get('activeSwitchboardIntegration')}, expected {active}"
        assert got.get("pendingSwitchboardIntegration") == (sb_facts[pending] if pending else None), \
            f"pendingSwitchboardIntegration {got.get('pendingSwitchboardIntegration')}, expected {pending}"
        for field in ("activeSwitchboardIntegration", "pendingSwitchboardIntegration"):
            assert got.get(field, {}) is not None, f"{field} is null, not omitted: {got}"

    def error(payload: dict, code: str | None, message: str | None = None) -> None:
        err = payload.get("error")
        assert isinstance(err, dict) and isinstance(err.get("code"), str) and isinstance(err.get("message"), str), \
            f"error {err!r}: expected {{code, message}}"
        assert code is None or err["code"] == code, f"error.code {err['code']!r}, expected {code!r}"
        assert message is None or err["message"] == message, f"error.message {err['message']!r}, expected {message!r}"

    def sb_pass():
        payload = one_event("switchboard:passControl", conv)
        assert payload.get("metadata") == {"step": "pass"}, f"metadata {payload.get('metadata')}"
        control(payload, "beta", None)
        history = payload.get("messageHistory")
        assert isinstance(history, list), f"messageHistory {history!r}: beta has messageHistoryCount 3"
        for message in history:
            jsonschema_rs.validate(message_schema, message)
        assert [m["id"] for m in history] == sb_facts["history"][-3:], \
            f"messageHistory {[m.get('content', {}).get('text') for m in history]}: expected the last three, oldest first"
        for path in ("/alpha", "/beta"):
            got = [e for e in others(path) if e["type"] == "switchboard:passControl"]
            assert len(got) == 1 and got[0]["id"] == in_conversation("switchboard:passControl", conv)[0]["id"], \
                f"{path} received {len(got)} switchboard:passControl events (switchboard events go to every subscriber)"
    check("switchboard:passControl (once: a pass to the active one fires nothing) has the body's metadata, beta "
          "active, and messageHistory (beta's messageHistoryCount 3: the last three messages, oldest first, each a "
          "message webhook object); every subscribed webhook got it", sb_pass)

    def sb_pass_failure():
        error(one_event("switchboard:passControl:failure", before), None)
        payload = one_event("switchboard:passControl:failure", conv)
        error(payload, "switchboard_invalid_target")
        control(payload, "beta", None)
    check("switchboard:passControl:failure: without a switchboard, and switchboard_invalid_target for an unknown "
          "target (beta still active)", sb_pass_failure)

    def sb_offer():
        payload = one_event("switchboard:offerControl", conv, "offer")
        control(payload, "beta", "alpha")
    check("switchboard:offerControl has the body's metadata, beta active and alpha pending", sb_offer)

    def sb_offer_failure():
        error(one_event("switchboard:offerControl:failure", before), None)
        payload = one_event("switchboard:offerControl:failure", conv, "offer-active")
        error(payload, "switchboard_invalid_target", "Cannot offer control to the active switchboard integration.")
    check("switchboard:offerControl:failure: without a switchboard, and switchboard_invalid_target \"Cannot offer "
          "control to the active switchboard integration.\" with the body's metadata", sb_offer_failure)

    def sb_accept():
        payload = one_event("switchboard:acceptControl", conv, "accept")
        control(payload, "alpha", None)
        assert "messageHistory" not in payload, "alpha has no messageHistoryCount, yet messageHistory was sent"
    check("switchboard:acceptControl has the body's metadata and alpha (the former pending) active, nothing pending",
          sb_accept)

    def sb_accept_failure():
        payload = one_event("switchboard:acceptControl:failure", conv, "accept-nothing")
        error(payload, "switchboard_invalid_action", "There is no pendingSwitchboardIntegration")
        control(payload, "alpha", None)
    check("switchboard:acceptControl:failure: switchboard_invalid_action \"There is no pendingSwitchboardIntegration\" "
          "with the body's metadata", sb_accept_failure)

    def sb_release():
        payload = one_event("switchboard:releaseControl", conv)
        assert payload.get("metadata") == {"step": "release"}, f"metadata {payload.get('metadata')}"
        control(payload, None, None)
    check("switchboard:releaseControl (once: releasing with nothing active fires nothing) has the body's metadata and "
          "no activeSwitchboardIntegration", sb_release)

    def sb_routing():
        assert conv, "the switchboard flow did not run"

        def got(path: str, message: str) -> bool:
            return any(e["type"] == "conversation:message" and e["payload"]["message"]["id"] == message
                       for e in (others(path) if path != "/hook" else events("conversation:message")))
        first, routed = sb_facts["history"][0], sb_facts["routed"]
        assert got("/hook", first) and got("/hook", routed), "the integration off the switchboard missed a message"
        assert got("/alpha", first), "alpha (in control) missed a user message"
        assert got("/beta", first), "beta (standby, deliverStandbyEvents true) missed a user message"
        assert got("/beta", routed), "beta (in control) missed a message"
        assert not got("/alpha", routed), "alpha (standby, deliverStandbyEvents false) received a conversation:message"
    check("switchboard routing: conversation:message reaches the integration in control, a standby one with "
          "deliverStandbyEvents true and an integration off the switchboard, not a standby one without", sb_routing)

    def typing():
        got = events("conversation:typing")
        assert [e["payload"]["activity"]["type"] for e in got if e["payload"]["conversation"]["id"] == personal] == \
            ["typing:start", "typing:stop"], [e["payload"] for e in got]
        for event in got:
            activity = event["payload"]["activity"]
            assert activity["author"]["type"] == "business", activity
    check("conversation:typing: business typing:start and typing:stop, in order, activity.author.type business",
          typing)

    passed = sum(r["ok"] for r in results)
    write_json(args.record, {"checks": results, "passed": passed, "failed": len(results) - passed})
    print(f"webhook payloads: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
