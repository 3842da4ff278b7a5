"""Schemathesis hooks for the Parley conformance run (loaded through SCHEMATHESIS_HOOKS).

Reads PARLEY_CONF_STATE, a JSON file written by schemathesis_run.py:
  {"base_url", "account": [id, secret], "fixture_app", "keys_app", "stable_key",
   "fixture_user", "fixture_user_external_id", "members": [10 user ids], "conversation",
   "integration" (custom), "webhook", "integration_key",
   "sb_app", "sb_integrations": [3 custom integration ids], "switchboard", "sb_alpha" (the default),
   "sb_beta", "sb_conversation", "churn_app", "churn_integration",
   "messenger_conversation", "oauth_client": {"id", "secret", "redirectUris"}, "access_token",
   "markers": {operationId: id}, "waived": path}

1. Destructive operations never touch the fixtures. The config hands DeleteApp,
   DeleteAppKey, DeleteUser, DeleteConversation, DeleteAllMessages and DeleteMessage a
   *marker* id; before each call carrying it, a fresh resource is created and its id
   swapped in, so every call deletes something real. JoinConversation and
   LeaveConversation get a fresh sdkGroup conversation the same way (empty for Join;
   with the fixture user in it for Leave), so joins do not pile up to the limit of 10
   and leaves do not empty the fixture conversation.
2. Real ids in bodies and filters: schemathesis cannot know which user ids exist, so in
   *positive* cases only (schema-valid requests) the user references it generated are
   replaced by real ones: CreateConversation participants by ten distinct users,
   JoinConversation by a user, LeaveConversation by the member (user id, externalId or
   participant id), a `user` author of PostMessage/PostActivity by the fixture user
   (a participant of the fixture conversation), ListConversations' filter by the fixture
   user, UploadAttachment's `conversationId` query by the fixture conversation; in
   switchboard integration bodies `integrationId` by a custom integration of the
   switchboard app, `integrationType` by `mailgun` (its only integration of that type) and
   `nextSwitchboardIntegrationId` by a switchboard integration of the fixture switchboard, and
   UpdateSwitchboard's default by the churn switchboard's. Strings are replaced by strings, so
   the case stays schema-valid (schemathesis re-validates edited cases). Negative cases are
   sent as generated.
3. CreateAppKey's keys are deleted again after each call, and the keys app is
   purged when it fills up, so the documented limit of 10 keys per app is not what
   the run ends up testing. The same goes for what CreateIntegration,
   CreateCustomIntegrationKey and CreateWebhook create (10 integration keys, 10 webhooks
   per app). DeleteIntegration, DeleteCustomIntegrationKey and DeleteWebhook get a fresh
   custom integration, integration key or webhook (of the fixture custom integration);
   UpdateIntegration gets a fresh integration of a type whose `<type>Update` schema holds
   every field of a positive case's body (custom otherwise), deleted again afterwards.
   Switchboards: CreateSwitchboard runs in the churn app after its switchboard is deleted
   (one per app); UpdateSwitchboard and DeleteSwitchboard get the churn app's switchboard
   (created if missing) with a default switchboard integration set again before every call;
   DeleteSwitchboardIntegration and UpdateSwitchboardIntegration get a fresh switchboard
   integration of the fixture switchboard (the updated one is deleted again), and
   CreateSwitchboardIntegration's are deleted after each call (10 per switchboard).
   Attachments: every positive DeleteAttachment gets the mediaUrl of a fresh upload of the fixture
   app in place of the generated string; every attachment UploadAttachment creates is deleted again.
   OAuth: a positive Authorize names the fixture OAuth client (and, when it names one, a registered
   redirect_uri); a positive GetToken carries that client's id and secret and a fresh code, made
   through the consent pages for the fixture app (a code works once), plus the code's redirect URI
   when it names one; every token GetToken issues is revoked again. A positive DownloadMessageRef
   names the fixture user. In a positive PostConversionEvents, an event_time more than 6 days old (or
   in the future) becomes a current one (Meta refuses events over 7 days old, a window no schema holds).
4. Credentials per request (the run's one session carries the account key, see
   schemathesis_run.py): Authorize and GetToken go without any (the spec's `security: []`; GetToken's
   client authenticates in the body, and Basic credentials beside `client_secret` are refused);
   GetTokenInfo carries the fixture's access token, RevokeAccess a fresh one for every call.
5. filter_failure waives "schema-valid request rejected" (ST202) only when the
   server answered 400 bad_request with one of the rules that the spec states in
   prose but cannot express in its schema (see EXCLUSIONS.md). Each waived failure
   is appended to the "waived" file so the runner can report it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import requests
import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP  # noqa: E402

with open(os.environ["PARLEY_CONF_STATE"], encoding="utf-8") as _fh:
    STATE = json.load(_fh)

_http = HTTP(STATE["base_url"], *STATE["account"])
_lock = threading.Lock()
_counter = [0]

# ST202 waivers: (operationIds, phrase in the 400 error title, EXCLUSIONS.md anchor)
WAIVERS = (
    (("CreateApp", "UpdateApp"), "requires settings.multiConvoEnabled", "W1"),
    (("UpdateApp",), "cannot be disabled once enabled", "W2"),
    (("CreateApp", "UpdateApp", "CreateUser", "UpdateUser", "CreateConversation",
      "UpdateConversation", "PostMessage", "PassControl", "OfferControl", "AcceptControl",
      "ReleaseControl"), "limited to 4096 bytes", "W3"),
    (("ListApps", "ListConversations", "ListParticipants", "ListMessages", "ListIntegrations",
      "ListClients"), "only one of page[after] or page[before]", "W4"),
    (("CreateAppKey",), "at most 10 keys", "W5"),
    (("CreateUser", "UpdateUser"), "signedUpAt must be an ISO 8601 datetime", "W6"),
    (("PostMessage",), "destination applies only to business messages in personal conversations", "W7"),
    (("PostMessage",), "destination.integrationId must be an integration", "W7"),
    (("PostMessage",), "destination.integrationType must be at least 1 characters long", "W7"),
    (("PostMessage",), "name must be unique within the form", "W8"),
    (("UpdateIntegration",), "delete and re-create it instead", "W9"),
    (("CreateIntegration", "CreateWebhook", "UpdateWebhook"), "not allowed by this server's outbound policy", "W10"),
    (("CreateApp", "UpdateApp", "CreateAppKey", "CreateUser", "UpdateUser", "CreateConversation", "UpdateConversation",
      "JoinConversation", "LeaveConversation", "PostMessage", "PostActivity", "CreateIntegration", "UpdateIntegration",
      "CreateCustomIntegrationKey", "CreateWebhook", "UpdateWebhook", "CreateClient", "UpdateSwitchboard",
      "CreateSwitchboardIntegration", "UpdateSwitchboardIntegration", "PassControl", "OfferControl",
      "AcceptControl", "ReleaseControl", "DownloadMessageRef", "SyncUser"),
     "must not contain the NUL character (U+0000)", "W11"),
    (("PostMessage", "CreateClient"), "must be an integer from -9223372036854775808 to 9223372036854775807", "W12"),
    (("PostConversionEvents",), "client to attribute the events to", "W13"),
    (("DownloadMessageRef",), "Parley carries no Apple Messages for Business channel", "W14"),
)


def _operation_id(case) -> str:
    try:
        return case.operation.definition.raw.get("operationId", "")
    except AttributeError:
        return ""


def _fresh_name(prefix: str) -> str:
    with _lock:
        _counter[0] += 1
        return f"{prefix}-{_counter[0]}"


def _purge_keys() -> None:
    app = STATE["keys_app"]
    _, body = _http.request("GET", f"/v2/apps/{app}/keys")
    keys = [k["id"] for k in (body or {}).get("keys", []) if k["id"] != STATE["stable_key"]]
    if len(keys) >= 7:
        for key_id in keys:
            _http.request("DELETE", f"/v2/apps/{app}/keys/{key_id}")


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def _swap_user(ref: dict, user_id: str, external_id: str) -> None:
    """Point a {userId}/{userExternalId} reference at a real user, keeping its shape."""
    if isinstance(ref.get("userId"), str):
        ref["userId"] = user_id
    if isinstance(ref.get("userExternalId"), str):
        ref["userExternalId"] = external_id


def _real_ids(op: str, case) -> None:
    """Replace generated user references in a positive case by real ones (docstring, point 2)."""
    body = case.body if isinstance(case.body, dict) else None
    user, ext = STATE["fixture_user"], STATE["fixture_user_external_id"]
    if op == "CreateConversation" and body and isinstance(body.get("participants"), list):
        for n, ref in enumerate(body["participants"][:len(STATE["members"])]):
            if isinstance(ref, dict):
                _swap_user(ref, STATE["members"][n], f"conformance-member-{n}")
    elif op == "JoinConversation" and body:
        _swap_user(body, STATE["members"][0], "conformance-member-0")
    elif op == "LeaveConversation" and body:
        _swap_user(body, user, ext)
        if isinstance(body.get("participantId"), str):
            conversation = (case.path_parameters or {}).get("conversationId", "")
            body["participantId"] = _http.participant_id(STATE["fixture_app"], conversation, user)
    elif op in ("PostMessage", "PostActivity") and body and isinstance(body.get("author"), dict):
        if body["author"].get("type") == "user":
            _swap_user(body["author"], user, ext)
    elif op == "CreateClient" and body:
        # A schema-valid body names a random integration and conversation; point it at the
        # fixture's Mailgun integration and conversation (the user takes part in it), with an
        # address and a confirmation the link rules accept.
        body["matchCriteria"] = {"type": "mailgun", "integrationId": STATE["mailgun"],
                                 "address": "fixture@example.com",
                                 "primary": bool((body.get("matchCriteria") or {}).get("primary", True))}
        kind = (body.get("confirmation") or {}).get("type", "userActivity")
        body["confirmation"] = {"type": kind if kind in ("immediate", "userActivity", "prompt") else "userActivity"}
        body["target"] = {"conversationId": STATE["conversation"]}
    elif op in ("CreateSwitchboardIntegration", "UpdateSwitchboardIntegration") and body:
        # The linked integration must be one of the app's (by id, or by a type only one of them has),
        # and `next` another switchboard integration of the same switchboard.
        if isinstance(body.get("integrationId"), str):
            body["integrationId"] = STATE["sb_integrations"][2]
        if isinstance(body.get("integrationType"), str):
            body["integrationType"] = "mailgun"
        if isinstance(body.get("nextSwitchboardIntegrationId"), str):
            body["nextSwitchboardIntegrationId"] = STATE["sb_beta"]
    elif op == "UpdateSwitchboard" and body and isinstance(body.get("defaultSwitchboardIntegrationId"), str):
        body["defaultSwitchboardIntegrationId"] = _churn_default[0]
    elif op == "Authorize" and isinstance(case.query, dict):
        client = STATE["oauth_client"]
        if isinstance(case.query.get("client_id"), str):
            case.query["client_id"] = client["id"]
        if isinstance(case.query.get("redirect_uri"), str) and case.query["redirect_uri"] not in client["redirectUris"]:
            case.query["redirect_uri"] = client["redirectUris"][-1]
    elif op == "GetToken" and body:
        client = STATE["oauth_client"]
        body.update(client_id=client["id"], client_secret=client["secret"],
                    code=_http.oauth_code(client["id"], STATE["fixture_app"]))
        if isinstance(body.get("redirect_uri"), str):  # not in the schema; the code's own URI (RFC 6749 §4.1.3)
            body["redirect_uri"] = client["redirectUris"][0]
    elif op == "DownloadMessageRef" and body and isinstance(body.get("userId"), str):
        body["userId"] = user
    elif op == "PostConversionEvents" and body:
        # Meta refuses events more than 7 days old: an event_time outside that window becomes a current one.
        for channel in body.values():
            events = ((channel or {}).get("payload") or {}).get("data") if isinstance(channel, dict) else None
            for event in events if isinstance(events, list) else []:
                at = event.get("event_time") if isinstance(event, dict) else None
                if isinstance(at, int) and not time.time() - 6 * 24 * 3600 < at <= time.time():
                    event["event_time"] = int(time.time()) - 60
    elif op == "UploadAttachment" and isinstance(case.query, dict) \
            and isinstance(case.query.get("conversationId"), str):
        case.query["conversationId"] = STATE["conversation"]
    elif op == "ListConversations" and isinstance(case.query, dict):
        flt = case.query.get("filter")
        if isinstance(flt, dict):
            _swap_user(flt, user, ext)
        for key, real in (("filter[userId]", user), ("filter[userExternalId]", ext)):
            if isinstance(case.query.get(key), str):
                case.query[key] = real


# UpdateIntegration accepts the fields of the integration's own `<type>Update` schema only, so
# each call gets a fresh integration of a type whose schema has every field of the body
# (custom for negative cases and displayName-only bodies). Minimal valid create bodies:
_UPDATE_FIELDS = {  # type -> fields of its <type>Update schema besides the shared three
    "custom": set(), "telegram": set(), "mailgun": {"fromAddress", "hideUnsubscribeLink"},
    "messenger": {"pageAccessToken"},
    "instagram": {"pageAccessToken", "storyMentionsEnabled", "storyRepliesEnabled"},
    "whatsapp": {"accountId", "accountManagementAccessToken", "hsmFallbackLanguage"},
    "apple": {"authenticationMessageSecret"},
    "android": {"canUserCreateMoreConversations", "canUserSeeConversationList", "clientEmail",
                "privateKey", "projectId", "senderId", "serverKey"},
    "ios": {"autoUpdateBadge", "canUserCreateMoreConversations", "canUserSeeConversationList",
            "certificate", "password", "production"},
    "web": {"actionColor", "backgroundImageUrl", "brandColor", "businessIconUrl", "businessName",
            "buttonHeight", "buttonIconUrl", "buttonWidth", "canUserCreateMoreConversations",
            "canUserSeeConversationList", "conversationColor", "displayStyle", "fixedIntroPane",
            "integrationOrder", "originWhitelist", "prechatCapture"},
}
_CREATE_BODY = {
    "custom": {"webhooks": [{"target": "https://hooks.example.com/update-me",
                             "triggers": ["conversation:message"]}]},
    "telegram": {"token": "123456:conformance"},
    "mailgun": {"apiKey": "key", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com"},
    "messenger": {"pageAccessToken": "token", "appId": "app", "appSecret": "secret"},
    "instagram": {"pageAccessToken": "token", "appId": "app", "appSecret": "secret"},
    "apple": {"businessId": "business", "apiSecret": "secret", "mspId": "msp"},
}
_SHARED_UPDATE_FIELDS = {"displayName", "defaultResponderId", "showAIDisclaimer"}
_fresh_integrations: set[str] = set()
_fresh_switchboard_integrations: set[str] = set()


def _switchboards(app: str) -> list[str]:
    _, body = _http.request("GET", f"/v2/apps/{app}/switchboards")
    return [b["id"] for b in (body or {}).get("switchboards", [])]


_churn_default = [""]  # the default switchboard integration of the churn app's switchboard


def _churn_switchboard() -> str:
    """The churn app's switchboard (created if a DeleteSwitchboard took it), with a switchboard
    integration as its default, so that `enabled: true` alone is a valid UpdateSwitchboard."""
    app = STATE["churn_app"]
    boards = _switchboards(app)
    board = boards[0] if boards else _http.expect("POST", f"/v2/apps/{app}/switchboards", None, 201)["switchboard"]["id"]
    path = f"/v2/apps/{app}/switchboards/{board}/switchboardIntegrations"
    listed = (_http.request("GET", path)[1] or {}).get("switchboardIntegrations") or []
    _churn_default[0] = listed[0]["id"] if listed else _http.expect("POST", path, {
        "name": "churn-default", "integrationId": STATE["churn_integration"]}, 201)["switchboardIntegration"]["id"]
    _http.request("PATCH", f"/v2/apps/{app}/switchboards/{board}", {"defaultSwitchboardIntegrationId": _churn_default[0]})
    return board


def _integration_for_update(case, positive: bool) -> str:
    body = case.body if isinstance(case.body, dict) else {}
    kind = "custom"
    if positive and set(body) - {"displayName"}:
        extra = set(body) - _SHARED_UPDATE_FIELDS
        fits = [t for t, fields in _UPDATE_FIELDS.items() if t != "custom" and extra <= fields]
        kind = min(fits, key=lambda t: len(_UPDATE_FIELDS[t])) if fits else "custom"
    new_id = _http.create_integration(STATE["fixture_app"], {
        "type": kind, **_CREATE_BODY.get(kind, {})})["id"]
    _fresh_integrations.add(new_id)
    return new_id


class _Credentials(requests.auth.AuthBase):
    """Replaces whatever Authorization the run's session would add: `value`, or none at all."""

    def __init__(self, value: str | None):
        self.value = value

    def __call__(self, request):
        request.headers.pop("Authorization", None)
        if self.value:
            request.headers["Authorization"] = self.value
        return request


def _oauth_credentials(op: str) -> _Credentials | None:
    """Point 4 of the docstring."""
    if op in ("Authorize", "GetToken"):
        return _Credentials(None)
    if op == "GetTokenInfo":
        return _Credentials("Bearer " + STATE["access_token"])
    if op == "RevokeAccess":
        return _Credentials("Bearer " + _http.oauth_token(STATE["oauth_client"], STATE["fixture_app"]))
    return None


@schemathesis.hook
def before_call(context, case, kwargs):
    """`kwargs` (not `**kwargs`: the same dict, which the request is then sent with) takes `auth`."""
    op = _operation_id(case)
    positive = _is_positive(case)  # decided on the generated case, before any swap
    credentials = _oauth_credentials(op)
    if credentials is not None:
        kwargs["auth"] = credentials
    _swap_marker(op, case)
    params = case.path_parameters or {}
    if op == "UpdateIntegration" and params.get("integrationId") == STATE["markers"]["UpdateIntegration"]:
        params["integrationId"] = _integration_for_update(case, positive)
    if op == "CreateSwitchboard" and params.get("appId") == STATE["churn_app"]:
        for board in _switchboards(STATE["churn_app"]):  # one switchboard per app: make room
            _http.request("DELETE", f"/v2/apps/{STATE['churn_app']}/switchboards/{board}")
    if positive:
        _real_ids(op, case)
    if op == "DeleteAttachment" and positive and isinstance(case.body, dict) \
            and isinstance(case.body.get("mediaUrl"), str):
        case.body["mediaUrl"] = _http.upload(STATE["fixture_app"], _fresh_name("delete-me") + ".txt",
                                             b"delete me", "text/plain")["mediaUrl"]


def _swap_marker(op: str, case) -> None:
    marker = STATE["markers"].get(op)
    if marker is None:
        return
    params = case.path_parameters or {}
    if op == "DeleteApp" and params.get("appId") == marker:
        params["appId"] = _http.create_app(_fresh_name("delete-me"))
    elif op == "DeleteAppKey" and params.get("keyId") == marker:
        _purge_keys()
        params["keyId"] = _http.create_key(STATE["keys_app"], _fresh_name("delete-me"))[0]
    elif op == "DeleteUser" and params.get("userIdOrExternalId") == marker:
        params["userIdOrExternalId"] = _http.create_user(
            STATE["fixture_app"], {"externalId": _fresh_name("delete-me")})
    elif op in ("DeleteConversation", "DeleteAllMessages", "JoinConversation") \
            and params.get("conversationId") == marker:
        fresh = _http.create_conversation(STATE["fixture_app"], {"type": "sdkGroup",
                                                                 "displayName": _fresh_name("fresh")})
        if op == "DeleteAllMessages":
            _http.post_text(STATE["fixture_app"], fresh, "delete me")
        params["conversationId"] = fresh
    elif op == "LeaveConversation" and params.get("conversationId") == marker:
        params["conversationId"] = _http.create_conversation(STATE["fixture_app"], {
            "type": "sdkGroup", "participants": [{"userId": STATE["fixture_user"]}],
            "displayName": _fresh_name("leave-me")})
    elif op == "DeleteMessage" and params.get("messageId") == marker:
        params["messageId"] = _http.post_text(STATE["fixture_app"], STATE["conversation"],
                                              _fresh_name("delete-me"))
    elif op == "DeleteIntegration" and params.get("integrationId") == marker:
        params["integrationId"] = _http.create_integration(STATE["fixture_app"], {
            "type": "custom", "displayName": _fresh_name("delete-me"),
            "webhooks": [{"target": "https://hooks.example.com/delete-me",
                          "triggers": ["conversation:message"]}]})["id"]
    elif op == "DeleteCustomIntegrationKey" and params.get("keyId") == marker:
        params["keyId"] = _http.create_integration_key(STATE["fixture_app"], STATE["integration"],
                                                       _fresh_name("delete-me"))[0]
    elif op == "RemoveClient" and params.get("clientId") == marker:
        params["clientId"] = _http.create_client(STATE["fixture_app"], STATE["fixture_user"], {
            "matchCriteria": {"type": "mailgun", "integrationId": STATE["mailgun"],
                              "address": "remove-me@example.com"},
            "confirmation": {"type": "userActivity"},
            "target": {"conversationId": STATE["conversation"]}})
    elif op in ("UpdateSwitchboard", "DeleteSwitchboard") and params.get("switchboardId") == marker:
        params["switchboardId"] = _churn_switchboard()
    elif op in ("DeleteSwitchboardIntegration", "UpdateSwitchboardIntegration") \
            and params.get("switchboardIntegrationId") == marker:
        path = f"/v2/apps/{STATE['sb_app']}/switchboards/{STATE['switchboard']}/switchboardIntegrations"
        fresh = _http.expect("POST", path, {"name": _fresh_name("fresh"), "integrationId": STATE["sb_integrations"][2]},
                             201)["switchboardIntegration"]["id"]
        params["switchboardIntegrationId"] = fresh
        if op == "UpdateSwitchboardIntegration":
            _fresh_switchboard_integrations.add(fresh)
    elif op == "DeleteWebhook" and params.get("webhookId") == marker:
        params["webhookId"] = _http.create_webhook(STATE["fixture_app"], STATE["integration"], {
            "target": "https://hooks.example.com/delete-me", "triggers": ["conversation:message"]})


# What a successful create returns and where it is deleted again (point 3 of the docstring).
CREATED = {
    "CreateAppKey": ("key", "/v2/apps/{appId}/keys/{id}"),
    "CreateIntegration": ("integration", "/v2/apps/{appId}/integrations/{id}"),
    "CreateCustomIntegrationKey": ("key", "/v2/apps/{appId}/integrations/{integrationId}/keys/{id}"),
    "CreateWebhook": ("webhook", "/v2/apps/{appId}/integrations/{integrationId}/webhooks/{id}"),
    "CreateSwitchboardIntegration": ("switchboardIntegration",
                                     "/v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations/{id}"),
}


@schemathesis.hook
def after_call(context, case, response):
    if _operation_id(case) == "GetToken" and response.status_code == 200:
        try:
            token = json.loads(response.content)["access_token"]
        except (ValueError, KeyError, TypeError):
            return  # the checks report malformed bodies
        HTTP.bearer(STATE["base_url"], token).request("DELETE", "/oauth/authorization")
        return
    fresh = (case.path_parameters or {}).get("integrationId")
    if _operation_id(case) == "UpdateIntegration" and fresh in _fresh_integrations:
        _fresh_integrations.discard(fresh)
        _http.request("DELETE", f"/v2/apps/{STATE['fixture_app']}/integrations/{fresh}")
    fresh = (case.path_parameters or {}).get("switchboardIntegrationId")
    if _operation_id(case) == "UpdateSwitchboardIntegration" and fresh in _fresh_switchboard_integrations:
        _fresh_switchboard_integrations.discard(fresh)
        _http.request("DELETE", f"/v2/apps/{STATE['sb_app']}/switchboards/{STATE['switchboard']}"
                                f"/switchboardIntegrations/{fresh}")
    if _operation_id(case) == "UploadAttachment" and response.status_code == 201:
        try:
            media_url = json.loads(response.content)["attachment"]["mediaUrl"]
        except (ValueError, KeyError, TypeError):
            return  # the checks report malformed bodies
        _http.request("POST", f"/v2/apps/{STATE['fixture_app']}/attachments/remove", {"mediaUrl": media_url})
        return
    created = CREATED.get(_operation_id(case))
    if created is None or response.status_code != 201:
        return
    try:
        new_id = json.loads(response.content)[created[0]]["id"]
    except (ValueError, KeyError, TypeError):
        return  # the checks report malformed bodies
    params = {"appId": STATE["keys_app"], "integrationId": STATE["integration"],
              **(case.path_parameters or {}), "id": new_id}
    _http.request("DELETE", created[1].format(**params))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if getattr(failure, "code", "") != "ST202" or response is None or response.status_code != 400:
        return True
    try:
        errors = json.loads(response.content)["errors"]
        code, title = errors[0]["code"], errors[0]["title"]
    except (ValueError, KeyError, TypeError, IndexError):
        return True
    op = _operation_id(case)
    for ops, phrase, anchor in WAIVERS:
        if op in ops and code == "bad_request" and phrase in title:
            with _lock, open(STATE["waived"], "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"operation": op, "check": "ST202", "waiver": anchor,
                                     "title": title}) + "\n")
            return False
    return True
