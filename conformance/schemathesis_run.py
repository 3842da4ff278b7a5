#!/usr/bin/env python3
"""Run schemathesis 4 against a live Parley server, restricted to the implemented operations.

Steps:
1. Provision fixtures with the account key over plain HTTP: a fixture app with an
   app key, a user, ten more users, the user's default (personal) conversation, an
   sdkGroup conversation with the user in it and a few messages, and a custom
   integration (the only type with webhooks and integration keys) with its webhook and
   one integration key; a second app that holds the app keys under test (with one
   stable key); switchboard apps (provision_switchboards: an enabled switchboard with
   switchboard integrations and a conversation, and a "churn" app for the four switchboard
   operations); and marker ids for the destructive operations, for Join/Leave and for
   UpdateIntegration and UpdateSwitchboardIntegration (see schemathesis_hooks.py, which swaps
   in a fresh resource for every such call and real ids into valid bodies; it also uploads a
   fresh attachment for every valid DeleteAttachment). For the channel and OAuth operations: a
   messenger integration of the fixture app (its page is graph_standin.py's) and the conversation
   a stranger's signed inbound message opens, where PostConversionEvents runs; an OAuth client
   (Parley's /admin/oauthClients) and one access token for the fixture app (GetTokenInfo); the
   hooks make a fresh code for every valid GetToken and a fresh token for every RevokeAccess.
2. Write a private copy of the spec with the fixes of spec_fixes.py (EXCLUSIONS.md)
   and a schemathesis.toml holding the server variable, the ids and the credentials,
   both in --work (a temporary folder; nothing is written to the repository).
3. Run schemathesis with fixed seed and example budget, then read its JUnit report
   into one result per operationId and write it to --record as JSON.

Authentication: operations the spec reserves for the account scope (CreateApp,
ListApps, DeleteApp and the four App Keys operations) use the account key over
Basic; the switchboard operations use the app key of their switchboard app (the churn
app's for the four on …/switchboards); every other operation uses the fixture app's own
app key, so the app-scope path of the server is what gets exercised. The OAuth operations
get theirs from the hooks, per request: none for Authorize and GetToken (whose client
authenticates in the body), the fixture's access token for GetTokenInfo, a fresh one for
RevokeAccess.

Caveat (schemathesis 4.32.5): the worker's one HTTP session takes the credentials of the
first operation it tests, and requests' session auth then overwrites the Authorization
header of every later request. In a full run the first operation is ListApps, so every
request actually goes out with the account key (which reaches every app); a run narrowed
with --operation uses the first selected operation's key for all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_fixes  # noqa: E402
from common import HTTP, IMPLEMENTED, default_spec_path, load_spec, operations, write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
)
PHASES = "examples,coverage,fuzzing"  # the spec declares no links, so no stateful phase
FIXTURE_USER_EXTERNAL_ID = "conformance-fixture"
CUSTOM_WEBHOOK = {"target": "https://hooks.example.com/conformance", "triggers": ["conversation:message"]}
MAILGUN_INTEGRATION = {"type": "mailgun", "apiKey": "key-conformance", "domain": "mg.example.com",
                       "incomingAddress": "in@mg.example.com"}
CUSTOM_INTEGRATION = {"type": "custom", "displayName": "conformance fixture", "webhooks": [CUSTOM_WEBHOOK]}
META_APP_SECRET = "conformance-meta-secret"
MESSENGER_INTEGRATION = {"type": "messenger", "pageAccessToken": "conformance-page-token", "appId": "1234",
                         "appSecret": META_APP_SECRET}
OAUTH_REDIRECT_URIS = ["https://client.example.com/oauth/callback", "https://client.example.com/oauth/other"]
ACCOUNT_ONLY = ("CreateApp", "ListApps", "DeleteApp",
                "CreateAppKey", "ListAppKeys", "GetAppKey", "DeleteAppKey")
CONTROL_OPS = ("PassControl", "OfferControl", "AcceptControl", "ReleaseControl")
SWITCHBOARD_OPS = ("CreateSwitchboard", "ListSwitchboards", "UpdateSwitchboard", "DeleteSwitchboard",
                   "CreateSwitchboardIntegration", "ListSwitchboardIntegrations",
                   "UpdateSwitchboardIntegration", "DeleteSwitchboardIntegration") + CONTROL_OPS


def toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string of printable ASCII is a valid TOML basic string


def provision(http: HTTP) -> dict:
    fixture_app = http.create_app("conformance fixture")
    app_key = http.create_key(fixture_app, "schemathesis")
    fixture_user = http.create_user(fixture_app, {
        "externalId": FIXTURE_USER_EXTERNAL_ID,
        "profile": {"givenName": "Fixture", "email": "fixture@example.com"},
        "metadata": {"role": "fixture"},
    })
    # Ten more users, so that a generated sdkGroup with up to 10 participants can name
    # ten distinct real users (schemathesis_hooks.py swaps them into positive cases).
    members = [http.create_user(fixture_app, {"externalId": f"conformance-member-{n}"})
               for n in range(10)]
    # The user's first personal conversation is its default one; the fixture conversation
    # is an sdkGroup (JoinConversation only works there) with the fixture user in it.
    http.create_conversation(fixture_app, {"type": "personal",
                                           "participants": [{"userId": fixture_user}]})
    conversation = http.create_conversation(fixture_app, {
        "type": "sdkGroup", "participants": [{"userId": fixture_user}],
        "displayName": "conformance fixture", "metadata": {"role": "fixture"}})
    for n in range(3):
        http.post_text(fixture_app, conversation, f"fixture message {n}")
    # A custom integration (webhook and integration-key operations only work on custom
    # integrations) with its webhook and one integration key.
    integration = http.create_integration(fixture_app, CUSTOM_INTEGRATION)
    webhook = integration["webhooks"][0]["id"]
    integration_key = http.create_integration_key(fixture_app, integration["id"], "stable")[0]
    # Channel linking: a Mailgun integration (its API is unreachable from here, so links with a
    # confirmation message end in linkFailed later; the operations' answers come first) and a
    # client of the fixture user, linked to the fixture conversation it takes part in.
    mailgun = http.create_integration(fixture_app, MAILGUN_INTEGRATION)["id"]
    client_body = {"matchCriteria": {"type": "mailgun", "integrationId": mailgun,
                                     "address": "fixture@example.com"},
                   "confirmation": {"type": "userActivity"},
                   "target": {"conversationId": conversation}}
    client = http.create_client(fixture_app, fixture_user, client_body)
    sb = provision_switchboards(http)
    channels = provision_channels(http, fixture_app)
    keys_app = http.create_app("conformance keys")
    stable_key = http.create_key(keys_app, "stable")[0]
    marker_conversation = {"type": "sdkGroup", "displayName": "marker"}
    markers = {
        "DeleteApp": http.create_app("marker"),
        "DeleteAppKey": http.create_key(keys_app, "marker")[0],
        "DeleteUser": http.create_user(fixture_app, {"externalId": "marker"}),
        "DeleteConversation": http.create_conversation(fixture_app, marker_conversation),
        "DeleteAllMessages": http.create_conversation(fixture_app, marker_conversation),
        "JoinConversation": http.create_conversation(fixture_app, marker_conversation),
        "LeaveConversation": http.create_conversation(fixture_app, marker_conversation),
        "DeleteMessage": http.post_text(fixture_app, conversation, "marker"),
        "DeleteIntegration": http.create_integration(fixture_app, CUSTOM_INTEGRATION)["id"],
        "UpdateIntegration": http.create_integration(fixture_app, CUSTOM_INTEGRATION)["id"],
        "DeleteCustomIntegrationKey": http.create_integration_key(fixture_app, integration["id"],
                                                                  "marker")[0],
        "DeleteWebhook": http.create_webhook(fixture_app, integration["id"], CUSTOM_WEBHOOK),
        "RemoveClient": http.create_client(fixture_app, fixture_user, client_body),
        "DeleteSwitchboard": sb["churn_switchboard"],
        "UpdateSwitchboard": sb.pop("churn_switchboard"),
        "DeleteSwitchboardIntegration": sb.pop("delete_marker"),
        "UpdateSwitchboardIntegration": sb.pop("update_marker"),
    }
    return {"fixture_app": fixture_app, "app_key": list(app_key), "fixture_user": fixture_user,
            "fixture_user_external_id": FIXTURE_USER_EXTERNAL_ID, "members": members,
            "conversation": conversation, "integration": integration["id"], "webhook": webhook,
            "integration_key": integration_key, "mailgun": mailgun, "client": client,
            "keys_app": keys_app, "stable_key": stable_key, "markers": markers, **sb, **channels}


def provision_channels(http: HTTP, app: str) -> dict:
    """The fixtures of the channel and OAuth operations, in the fixture app: a messenger integration
    (graph_standin.py's page) and the conversation a stranger's message opens, signed with the app
    secret as Meta signs it, so its participant has an active messenger client (PostConversionEvents);
    an OAuth client with two redirect URIs and an access token it got for the fixture app."""
    integration = http.create_integration(app, MESSENGER_INTEGRATION)["id"]
    raw = json.dumps({"object": "page", "entry": [{"id": "1234567890", "time": 1790000000000, "messaging": [{
        "sender": {"id": "conformance-psid"}, "recipient": {"id": "1234567890"}, "timestamp": 1790000000000,
        "message": {"mid": "m_conformance_fixture", "text": "hi"}}]}]}).encode()
    signature = "sha256=" + hmac.new(META_APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"{http.base_url}/v2/apps/{app}/integrations/{integration}/inbound/webhook",
                                 data=raw, method="POST",
                                 headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(req, timeout=15) as response:
        answer = json.loads(response.read())
    outcome = answer["results"][0] if "results" in answer else answer
    if outcome.get("result") != "stored":
        raise RuntimeError(f"the messenger fixture message was not stored: {answer}")
    client = http.create_oauth_client("conformance fixture", OAUTH_REDIRECT_URIS)
    return {"messenger_conversation": outcome["conversationId"],
            "oauth_client": {"id": client["id"], "secret": client["secret"], "redirectUris": client["redirectUris"]},
            "access_token": http.oauth_token(client, app)}


def provision_switchboards(http: HTTP) -> dict:
    """The switchboard fixtures, in apps of their own (so the enabled switchboard routes nothing of the
    fixture app's): an app with an app key, three custom integrations and a Mailgun one (the only
    integration of its type, so `mailgun` is an unambiguous integrationType), an enabled switchboard whose
    default is `fixture-alpha` (next: `fixture-beta`), two marker switchboard integrations and a
    conversation, for the switchboard integration and control operations; and a "churn" app with an app
    key, a custom integration and a switchboard, for the four switchboard operations (one switchboard per
    app: schemathesis_hooks.py deletes it before CreateSwitchboard and recreates it, with a default
    switchboard integration, before UpdateSwitchboard and DeleteSwitchboard)."""
    app = http.create_app("conformance switchboard")
    key = http.create_key(app, "schemathesis")
    custom = [http.create_integration(app, CUSTOM_INTEGRATION)["id"] for _ in range(3)]
    http.create_integration(app, MAILGUN_INTEGRATION)
    board = http.expect("POST", f"/v2/apps/{app}/switchboards", None, 201)["switchboard"]["id"]

    def switchboard_integration(name: str, integration: str, **extra) -> str:
        path = f"/v2/apps/{app}/switchboards/{board}/switchboardIntegrations"
        body = {"name": name, "integrationId": integration, **extra}
        return http.expect("POST", path, body, 201)["switchboardIntegration"]["id"]

    beta = switchboard_integration("fixture-beta", custom[1])
    alpha = switchboard_integration("fixture-alpha", custom[0], nextSwitchboardIntegrationId=beta)
    http.expect("PATCH", f"/v2/apps/{app}/switchboards/{board}",
                {"enabled": True, "defaultSwitchboardIntegrationId": alpha})
    user = http.create_user(app, {"externalId": "conformance-switchboard"})
    conversation = http.create_conversation(app, {"type": "personal", "participants": [{"userId": user}]})
    churn_app = http.create_app("conformance switchboard churn")
    churn_key = http.create_key(churn_app, "schemathesis")
    churn_integration = http.create_integration(churn_app, CUSTOM_INTEGRATION)["id"]
    churn_switchboard = http.expect("POST", f"/v2/apps/{churn_app}/switchboards", None, 201)["switchboard"]["id"]
    return {"sb_app": app, "sb_key": list(key), "sb_integrations": custom, "switchboard": board,
            "sb_alpha": alpha, "sb_beta": beta, "sb_conversation": conversation,
            "churn_app": churn_app, "churn_key": list(churn_key), "churn_integration": churn_integration,
            "churn_switchboard": churn_switchboard,
            "delete_marker": switchboard_integration("marker-delete", custom[2]),
            "update_marker": switchboard_integration("marker-update", custom[2])}


def write_config(path: str, fx: dict, account: tuple[str, str], seed: int) -> None:
    def basic(user: str, password: str) -> str:
        return f"{{ basic = {{ username = {toml_str(user)}, password = {toml_str(password)} }} }}"

    per_op: dict[str, dict[str, str]] = {op: {} for op in IMPLEMENTED}
    for op in ACCOUNT_ONLY:
        per_op[op]["auth"] = basic(*account)
    for op in ("CreateAppKey", "ListAppKeys", "GetAppKey", "DeleteAppKey"):
        per_op[op]["appId"] = fx["keys_app"]
    per_op["DeleteApp"]["appId"] = fx["markers"]["DeleteApp"]
    per_op["DeleteAppKey"]["keyId"] = fx["markers"]["DeleteAppKey"]
    per_op["DeleteUser"]["userIdOrExternalId"] = fx["markers"]["DeleteUser"]
    for op in ("DeleteConversation", "DeleteAllMessages", "JoinConversation", "LeaveConversation"):
        per_op[op]["conversationId"] = fx["markers"][op]
    per_op["DeleteMessage"]["messageId"] = fx["markers"]["DeleteMessage"]
    for op in ("DeleteIntegration", "UpdateIntegration"):
        per_op[op]["integrationId"] = fx["markers"][op]
    per_op["GetCustomIntegrationKey"]["keyId"] = fx["integration_key"]
    per_op["DeleteCustomIntegrationKey"]["keyId"] = fx["markers"]["DeleteCustomIntegrationKey"]
    per_op["DeleteWebhook"]["webhookId"] = fx["markers"]["DeleteWebhook"]
    per_op["RemoveClient"]["clientId"] = fx["markers"]["RemoveClient"]
    # UploadAttachment's optional conversationId query names the fixture conversation only in
    # positive cases (schemathesis_hooks.py), so it is generated, not fixed like the path ids.
    # Switchboards: their own apps, each with its own app key (see provision_switchboards).
    for op in SWITCHBOARD_OPS:
        per_op[op]["auth"] = basic(*fx["sb_key"])
        per_op[op]["appId"] = fx["sb_app"]
        if op not in ("CreateSwitchboard", "ListSwitchboards") + CONTROL_OPS:
            per_op[op]["switchboardId"] = fx["switchboard"]
    for op in CONTROL_OPS:
        per_op[op]["conversationId"] = fx["sb_conversation"]
    # The four operations on …/switchboards[/{id}] run in the churn app (schemathesis authenticates the
    # operations of one path alike, so these four share one key).
    for op in ("CreateSwitchboard", "ListSwitchboards", "UpdateSwitchboard", "DeleteSwitchboard"):
        per_op[op]["auth"] = basic(*fx["churn_key"])
        per_op[op]["appId"] = fx["churn_app"]
    for op in ("UpdateSwitchboard", "DeleteSwitchboard"):
        per_op[op]["switchboardId"] = fx["markers"][op]
    for op in ("UpdateSwitchboardIntegration", "DeleteSwitchboardIntegration"):
        per_op[op]["switchboardIntegrationId"] = fx["markers"][op]
    # PostConversionEvents runs in the conversation of a stranger who wrote on Messenger.
    per_op["PostConversionEvents"]["conversationId"] = fx["messenger_conversation"]

    lines = [
        "# Generated by conformance/schemathesis_run.py for one run; holds throwaway ids and keys.",
        "color = false",
        f"seed = {seed}",
        "",
        "# Default sanitisation also hides any key containing \"auth\", which blanks every message",
        "# `author` in the reports; the Authorization header is still hidden (it is a listed key).",
        "[output.sanitization]",
        'sensitive-markers = ["token", "key", "secret", "password", "session", "passwd", "credential"]',
        "",
        "[servers.variables]",
        'subdomain = "parley-conformance"',
        "",
        "[auth]",
        f"basic = {{ username = {toml_str(fx['app_key'][0])}, password = {toml_str(fx['app_key'][1])} }}",
        "",
        "[parameters]",
        f"appId = {toml_str(fx['fixture_app'])}",
        f"userIdOrExternalId = {toml_str(fx['fixture_user'])}",
        f"keyId = {toml_str(fx['stable_key'])}",
        f"\"path.conversationId\" = {toml_str(fx['conversation'])}",
        f"integrationId = {toml_str(fx['integration'])}",
        f"webhookId = {toml_str(fx['webhook'])}",
        f"clientId = {toml_str(fx['client'])}",
        # Parley has no SDK devices: GetDevice is exercised for its documented 404.
        f"deviceId = {toml_str('f' * 24)}",
    ]
    for op, settings in per_op.items():
        if not settings:
            continue
        lines += ["", "[[operations]]", f"include-operation-id = {toml_str(op)}"]
        if "auth" in settings:
            lines.append(f"auth = {settings['auth']}")
        params = {k: v for k, v in settings.items() if k != "auth"}
        if params:
            inner = ", ".join(f"{k} = {toml_str(v)}" for k, v in params.items())
            lines.append(f"parameters = {{ {inner} }}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def parse_junit(path: str, label_to_op: dict[str, str]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        label = case.get("name", "")
        op = label_to_op.get(label, label)
        failures = [f.get("message") or f.get("type") or "failure" for f in case.findall("failure")]
        errors = [(e.get("message") or "error").splitlines()[0] for e in case.findall("error")]
        skipped = case.find("skipped") is not None
        if failures or errors:
            result = "failed"
        elif skipped:
            result = "not run"
        else:
            result = "passed"
        results[op] = {"result": result, "label": label,
                       "failures": sorted({c.strip() for f in failures for c in f.split(",")}),
                       "errors": errors}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key-id", default=os.environ.get("PARLEY_ACCOUNT_KEY_ID"))
    parser.add_argument("--secret", default=os.environ.get("PARLEY_ACCOUNT_KEY_SECRET"))
    parser.add_argument("--spec", default=default_spec_path())
    parser.add_argument("--work", required=True, help="folder for the config, spec copy and reports")
    parser.add_argument("--record", required=True, help="JSON file for the per-operation results")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("PARLEY_CONF_MAX_EXAMPLES", 30)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("PARLEY_CONF_SEED", 20261125)))
    parser.add_argument("--operation", action="append", dest="only",
                        help="test only this operationId (repeatable; for investigating one operation)")
    parser.add_argument("--schemathesis", default=os.path.join(os.path.dirname(sys.executable), "schemathesis"))
    args = parser.parse_args()
    if not args.key_id or not args.secret:
        parser.error("--key-id/--secret (or PARLEY_ACCOUNT_KEY_ID/SECRET) are required")
    os.makedirs(args.work, exist_ok=True)

    selected = [op for op in IMPLEMENTED if not args.only or op in args.only]
    spec = load_spec(args.spec)
    label_to_op = {f"{o.method} {o.path}": o.operation_id for o in operations(spec)}
    record: dict = {"operations": {op: {"result": "not run", "failures": [], "errors": []}
                                   for op in selected},
                    "seed": args.seed, "max_examples": args.max_examples,
                    "checks": list(CHECKS), "phases": PHASES}

    http = HTTP(args.base_url, args.key_id, args.secret)
    try:
        fixtures = provision(http)
    except Exception as exc:  # the server is broken enough that nothing can run
        print(f"schemathesis: provisioning fixtures failed: {exc}", flush=True)
        record.update(passed=0, failed=len(selected), exit_code=None, error=str(exc))
        write_json(args.record, record)
        return 1

    fixed, applied = spec_fixes.apply(spec)
    spec_copy = os.path.join(args.work, "openapi.fixed.json")
    with open(spec_copy, "w", encoding="utf-8") as fh:
        json.dump(fixed, fh)
    config = os.path.join(args.work, "schemathesis.toml")
    write_config(config, fixtures, (args.key_id, args.secret), args.seed)
    waived_path = os.path.join(args.work, "waived.jsonl")
    open(waived_path, "w").close()
    state_path = os.path.join(args.work, "hooks-state.json")
    write_json(state_path, {"base_url": args.base_url, "account": [args.key_id, args.secret],
                            **{k: v for k, v in fixtures.items() if k not in ("app_key", "sb_key", "churn_key")},
                            "waived": waived_path})

    junit = os.path.join(args.work, "report", "junit.xml")
    cmd = [args.schemathesis, "--config-file", config, "run", spec_copy,
           "--url", args.base_url,
           *[x for op in selected for x in ("--include-operation-id", op)],
           "--checks", ",".join(CHECKS),
           "--phases", PHASES,
           "--max-examples", str(args.max_examples),
           "--seed", str(args.seed),
           "--workers", "1",
           "--continue-on-failure",  # report every distinct failure of an operation, not the first
           "--request-timeout", "10",
           "--report", "junit,ndjson",
           "--report-dir", os.path.join(args.work, "report"),
           "--report-junit-path", junit]
    env = dict(os.environ,
               SCHEMATHESIS_HOOKS=os.path.join(HERE, "schemathesis_hooks.py"),
               PARLEY_CONF_STATE=state_path, NO_COLOR="1", COLUMNS="120")
    print(f"schemathesis: {len(selected)} operations, seed {args.seed}, "
          f"max {args.max_examples} examples, spec fixes: {', '.join(applied)}", flush=True)
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, cwd=args.work)
    elapsed = time.monotonic() - started

    if os.path.exists(junit):
        parsed = parse_junit(junit, label_to_op)
        for op in selected:
            if op in parsed:
                record["operations"][op] = parsed[op]
        extra = sorted(set(parsed) - set(selected))
        if extra:
            record["unexpected_operations"] = extra
    else:
        record["error"] = f"schemathesis exited {proc.returncode} without a JUnit report"
        print(f"schemathesis: {record['error']}", flush=True)

    with open(waived_path, encoding="utf-8") as fh:
        record["waived"] = [json.loads(line) for line in fh if line.strip()]
    passed = sum(1 for r in record["operations"].values() if r["result"] == "passed")
    failed = len(record["operations"]) - passed
    if proc.returncode != 0 and failed == 0:
        failed = 1  # schemathesis failed in a way the report does not show
        record["error"] = record.get("error") or f"schemathesis exited {proc.returncode}"
    record.update(passed=passed, failed=failed, exit_code=proc.returncode,
                  seconds=round(elapsed, 1), spec_fixes=applied)
    write_json(args.record, record)

    for op in selected:
        r = record["operations"][op]
        extra = " ".join(r["failures"] + r["errors"])
        print(f"{'PASS' if r['result'] == 'passed' else 'FAIL'} schemathesis {op}"
              + (f": {r['result']} {extra}".rstrip() if r["result"] != "passed" else ""))
    if record["waived"]:
        print(f"schemathesis: {len(record['waived'])} ST202 failure(s) waived by EXCLUSIONS.md rules "
              f"{sorted({w['waiver'] for w in record['waived']})}")
    print(f"schemathesis: {passed} passed, {failed} failed ({elapsed:.0f} s)")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
