"""Helpers shared by the conformance scripts (standard library + PyYAML only).

Nothing here knows about the SDK or schemathesis: it loads the spec, lists its
operations, and talks plain HTTP to a running Parley server.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The operations Parley is expected to implement today. The runner does not trust
# this list for the table (generate_table.py probes the live server); it is the
# selection handed to schemathesis and the set the SDK scenario must cover.
IMPLEMENTED = (
    "CreateApp", "ListApps", "GetApp", "UpdateApp", "DeleteApp",
    "CreateAppKey", "ListAppKeys", "GetAppKey", "DeleteAppKey",
    "CreateUser", "ListUsers", "GetUser", "UpdateUser", "DeleteUser",
    "DeleteUserPersonalInformation",
    "CreateConversation", "ListConversations", "GetConversation", "UpdateConversation",
    "DeleteConversation",
    "JoinConversation", "ListParticipants", "LeaveConversation",
    "PostMessage", "ListMessages", "DeleteAllMessages", "DeleteMessage",
    "PostActivity",
    "CreateIntegration", "ListIntegrations", "GetIntegration", "UpdateIntegration",
    "DeleteIntegration",
    "CreateCustomIntegrationKey", "ListCustomIntegrationKeys", "GetCustomIntegrationKey",
    "DeleteCustomIntegrationKey",
    "CreateWebhook", "ListWebhooks", "GetWebhook", "UpdateWebhook", "DeleteWebhook",
    "CreateClient", "ListClients", "RemoveClient", "ListDevices", "GetDevice",
    "CreateSwitchboard", "ListSwitchboards", "UpdateSwitchboard", "DeleteSwitchboard",
    "CreateSwitchboardIntegration", "ListSwitchboardIntegrations", "UpdateSwitchboardIntegration",
    "DeleteSwitchboardIntegration",
    "PassControl", "OfferControl", "AcceptControl", "ReleaseControl",
    "UploadAttachment", "DeleteAttachment",
    "PostConversionEvents", "DownloadMessageRef", "SyncUser",
    "Authorize", "GetToken", "GetTokenInfo", "RevokeAccess",
)


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_spec_path() -> str:
    return os.path.normpath(os.path.join(repo_root(), "..", "shared", "spec", "openapi.yaml"))


def load_spec(path: str) -> dict:
    import yaml  # PyYAML comes with schemathesis; imported lazily for --help

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    tag: str


def operations(spec: dict) -> list[Operation]:
    """Every operation of the spec, in document order."""
    result = []
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict) and op.get("operationId"):
                tags = op.get("tags") or [""]
                result.append(Operation(op["operationId"], method.upper(), path, tags[0]))
    return result


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is the answer, not a hop
        return None


_NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


class HTTP:
    """A tiny JSON-over-HTTP client for provisioning and probing (not under test).

    Basic credentials (`HTTP(base, id, secret)`), a Bearer token (`HTTP.bearer(base, token)`) or none
    (`HTTP.anonymous(base)`)."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 15.0):
        self.base_url = base_url.rstrip("/")
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.auth: str | None = f"Basic {token}"
        self.timeout = timeout
        self.basic = (username, password)

    @classmethod
    def bearer(cls, base_url: str, token: str) -> "HTTP":
        client = cls(base_url, "", "")
        client.auth, client.basic = f"Bearer {token}", None
        return client

    @classmethod
    def anonymous(cls, base_url: str) -> "HTTP":
        client = cls(base_url, "", "")
        client.auth, client.basic = None, None
        return client

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None
        headers = {"Accept": "application/json"}
        if self.auth:
            headers["Authorization"] = self.auth
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        return status, payload

    def expect(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        got, payload = self.request(method, path, body)
        if got != status:
            raise RuntimeError(f"{method} {path}: expected {status}, got {got}: {payload}")
        return payload

    def upload(self, app_id: str, file_name: str, data: bytes, media_type: str, query: str = "access=public") -> dict:
        """UploadAttachment with a multipart/form-data body of one `source` file part."""
        boundary = "parley-conformance-" + base64.b16encode(os.urandom(8)).decode().lower()
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="source"; filename="{file_name}"\r\n'
                f"Content-Type: {media_type}\r\n\r\n").encode()
        body = head + data + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(
            f"{self.base_url}/v2/apps/{app_id}/attachments?{query}", data=body, method="POST",
            headers={"Authorization": self.auth, "Accept": "application/json",
                     "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        if status != 201:
            raise RuntimeError(f"POST /v2/apps/{app_id}/attachments: expected 201, got {status}: {raw[:300]!r}")
        return json.loads(raw)["attachment"]

    def raw(self, method: str, path: str, data: bytes | None = None,
            headers: dict | None = None) -> tuple[int, dict, str]:
        """One request without credentials and without following redirects: (status, headers, text)."""
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        try:
            with _NO_REDIRECT.open(req, timeout=self.timeout) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8", "replace")

    # OAuth (the consent pages are HTML forms; driven here as a browser would) ------------
    def create_oauth_client(self, name: str, redirect_uris: list[str]) -> dict:
        return self.expect("POST", "/admin/oauthClients", {"name": name, "redirectUris": redirect_uris},
                           201)["oauthClient"]

    def form(self, path: str, fields: dict) -> tuple[int, dict, str]:
        return self.raw("POST", path, urllib.parse.urlencode(fields).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"})

    @staticmethod
    def hidden_ticket(page: str) -> str:
        found = re.search(r'name="ticket" value="([^"]+)"', page)
        if not found:
            raise RuntimeError(f"no ticket in the consent page: {page[:300]!r}")
        return found.group(1).replace("&amp;", "&")

    def oauth_code(self, client_id: str, app_id: str, redirect_uri: str | None = None) -> str:
        """Authorize, then sign in on the consent page with this client's account key and allow
        `app_id`: the code the final redirect carries."""
        query = {"response_type": "code", "client_id": client_id, "state": "fixture"}
        if redirect_uri is not None:
            query["redirect_uri"] = redirect_uri
        status, headers, text = self.raw("GET", "/oauth/authorize?" + urllib.parse.urlencode(query))
        if status != 302:
            raise RuntimeError(f"GET /oauth/authorize: expected 302, got {status}: {text[:300]}")
        status, _, page = self.raw("GET", headers["Location"])
        if status != 200:
            raise RuntimeError(f"GET {headers['Location']}: expected 200, got {status}")
        key_id, secret = self.basic
        status, _, page = self.form("/oauth/consent", {"ticket": self.hidden_ticket(page), "keyId": key_id,
                                                       "secret": secret})
        if status != 200:
            raise RuntimeError(f"POST /oauth/consent (sign in): expected 200, got {status}")
        status, headers, text = self.form("/oauth/consent", {"ticket": self.hidden_ticket(page), "appId": app_id,
                                                             "decision": "allow"})
        location = headers.get("Location", "")
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("code")
        if status != 302 or not code:
            raise RuntimeError(f"POST /oauth/consent (allow): expected 302 with a code, got {status} {location!r}")
        return code[0]

    def oauth_token(self, client: dict, app_id: str) -> str:
        """A fresh access token of `client` (as CreateOAuthClient returned it) for `app_id`."""
        body = {"code": self.oauth_code(client["id"], app_id), "grant_type": "authorization_code",
                "client_id": client["id"], "client_secret": client["secret"]}
        status, _, text = self.raw("POST", "/oauth/token", json.dumps(body).encode(),
                                   {"Content-Type": "application/json"})
        if status != 200:
            raise RuntimeError(f"POST /oauth/token: expected 200, got {status}: {text[:300]}")
        return json.loads(text)["access_token"]

    # Provisioning shortcuts -------------------------------------------------
    def create_app(self, name: str) -> str:
        return self.expect("POST", "/v2/apps", {"displayName": name}, 201)["app"]["id"]

    def create_key(self, app_id: str, name: str) -> tuple[str, str]:
        key = self.expect("POST", f"/v2/apps/{app_id}/keys", {"displayName": name}, 201)["key"]
        return key["id"], key["secret"]

    def create_user(self, app_id: str, body: dict) -> str:
        return self.expect("POST", f"/v2/apps/{app_id}/users", body, 201)["user"]["id"]

    def create_conversation(self, app_id: str, body: dict) -> str:
        return self.expect("POST", f"/v2/apps/{app_id}/conversations", body, 201)["conversation"]["id"]

    def post_text(self, app_id: str, conversation_id: str, text: str) -> str:
        body = {"author": {"type": "business"}, "content": {"type": "text", "text": text}}
        path = f"/v2/apps/{app_id}/conversations/{conversation_id}/messages"
        return self.expect("POST", path, body, 201)["messages"][0]["id"]

    def create_integration(self, app_id: str, body: dict) -> dict:
        return self.expect("POST", f"/v2/apps/{app_id}/integrations", body, 201)["integration"]

    def create_integration_key(self, app_id: str, integration_id: str, name: str) -> tuple[str, str]:
        path = f"/v2/apps/{app_id}/integrations/{integration_id}/keys"
        key = self.expect("POST", path, {"displayName": name}, 201)["key"]
        return key["id"], key["secret"]

    def create_webhook(self, app_id: str, integration_id: str, body: dict) -> str:
        path = f"/v2/apps/{app_id}/integrations/{integration_id}/webhooks"
        return self.expect("POST", path, body, 201)["webhook"]["id"]

    def create_client(self, app_id: str, user_id: str, body: dict) -> str:
        path = f"/v2/apps/{app_id}/users/{user_id}/clients"
        return self.expect("POST", path, body, 201)["client"]["id"]

    def participant_id(self, app_id: str, conversation_id: str, user_id: str) -> str:
        path = f"/v2/apps/{app_id}/conversations/{conversation_id}/participants"
        for p in self.expect("GET", path)["participants"]:
            if p["userId"] == user_id:
                return p["id"]
        raise RuntimeError(f"{user_id} is not a participant of {conversation_id}")


def write_json(path: str, payload: Any) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def read_json(path: str | None) -> Any:
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
