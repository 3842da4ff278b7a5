#!/usr/bin/env python3
"""Drive a live Parley server with the official Sunshine Conversations Python SDK.

Every implemented operation is called through `sunshine_conversations_client`
(pinned in conformance/requirements.txt). The SDK's pydantic models validate the
types of every response it parses, so a response the SDK cannot read fails the
check that made the call; on top of that each check asserts real values.

One line is printed per check ("PASS …" / "FAIL …: why"), then a summary. With
--record the results go to a JSON file that conformance/run and
conformance/generate_table.py read (which operationIds were exercised, and the
pass/fail counts).

Two SDK gaps are bridged with the SDK's own machinery, not by hand-made HTTP:
- SDK 17.0.1 serialises deepObject query parameters (`page`, `filter`) as
  `page=after%3DNone%20before%3DNone%20size%3D2`, so DeepObjectApiClient expands
  them into `page[size]=2` before the SDK's usual URL encoding.
- The SDK has no ListUsers method; list_users() below builds the request with
  ApiClient.param_serialize and parses it with the SDK's `User` model.
- The SDK's models drop None values and readOnly fields when they serialise, so the
  few bodies that must carry one (`null` clearing a field, a server-set telegram
  `username`) go through send_json(), the same ApiClient route as list_users().
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

import jwt
import pydantic
import sunshine_conversations_client as sc
import urllib3
from sunshine_conversations_client.exceptions import ApiException

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP, IMPLEMENTED, write_json  # noqa: E402

HEX24 = re.compile(r"^[0-9a-f]{24}$")
APP_KEY_ID = re.compile(r"^app_[0-9a-f]{24}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class Prerequisite(Exception):
    """A value an earlier (failed) check should have produced is missing."""


class DeepObjectApiClient(sc.ApiClient):
    """ApiClient that sends pydantic/dict query values as OpenAPI deepObject."""

    def parameters_to_url_query(self, params, collection_formats):
        flat: list[tuple[str, Any]] = []
        for key, value in params.items() if isinstance(params, dict) else params:
            if isinstance(value, pydantic.BaseModel):
                value = value.model_dump(by_alias=True, exclude_none=True, exclude_unset=True)
            if isinstance(value, dict):
                flat.extend((f"{key}[{sub}]", v) for sub, v in value.items() if v is not None)
            else:
                flat.append((key, value))
        return super().parameters_to_url_query(flat, collection_formats)


class Scenario:
    def __init__(self, base_url: str, key_id: str, secret: str, graph_url: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.graph_url = graph_url.rstrip("/") if graph_url else None
        self.key = (key_id, secret)
        self.results: list[dict] = []
        self.exercised: dict[str, int] = {}
        self.state: dict[str, Any] = {}
        self.account = self.client(username=key_id, password=secret)

    # -- plumbing ---------------------------------------------------------------
    def client(self, username: str | None = None, password: str | None = None,
               token: str | None = None, follow_redirects: bool = True) -> DeepObjectApiClient:
        cfg = sc.Configuration(host=self.base_url, username=username, password=password,
                               access_token=token)
        if not follow_redirects:  # urllib3's default retries, without following a 3xx
            cfg.retries = urllib3.Retry(3, redirect=False)
        return DeepObjectApiClient(cfg)

    def need(self, name: str) -> Any:
        if self.state.get(name) is None:
            raise Prerequisite(f"not run: '{name}' was not produced by an earlier check")
        return self.state[name]

    def used(self, *ops: str) -> None:
        for op in ops:
            self.exercised[op] = self.exercised.get(op, 0) + 1

    def check(self, name: str, ops: tuple[str, ...], fn: Callable[[], Any]) -> Any:
        """Run one check; ops are the operationIds it calls through the SDK."""
        value, detail, ok = None, "", False
        try:
            value = fn()
            ok = True
        except AssertionError as exc:
            detail = str(exc) or "assertion failed"
        except Prerequisite as exc:
            detail = str(exc)
        except pydantic.ValidationError as exc:
            detail = f"SDK model {exc.title} rejected the data: " + " | ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        except ApiException as exc:
            detail = f"unexpected HTTP {exc.status}: {(exc.body or '').strip()[:300]}"
        except Exception as exc:  # anything else is a bug worth seeing in full
            detail = f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=3)
        self.results.append({"name": name, "operations": list(ops), "ok": ok, "detail": detail})
        if ok:
            print(f"PASS {name}" + (f" ({value})" if isinstance(value, str) else ""), flush=True)
        else:
            print(f"FAIL {name}: {detail}", flush=True)
        return value

    # -- reusable assertions ----------------------------------------------------
    @staticmethod
    def expect_error(call: Callable[[], Any], status: int, code: str | None = None) -> dict:
        """The call must raise ApiException with `status` and an errors envelope."""
        try:
            call()
        except ApiException as exc:
            assert exc.status == status, f"expected HTTP {status}, got {exc.status}: {exc.body}"
            try:
                body = json.loads(exc.body or "")
            except ValueError:
                raise AssertionError(f"error body is not JSON: {exc.body!r}") from None
            parsed = sc.ErrorResponse.from_dict(body)  # the SDK's own model must read it
            assert parsed is not None and parsed.errors, f"no errors[] in {body}"
            assert set(body) == {"errors"}, f"unexpected top-level keys in {body}"
            for err in parsed.errors:
                assert isinstance(err.code, str) and err.code, f"error without code: {body}"
                assert isinstance(err.title, str) and err.title, f"error without title: {body}"
            if code is not None:
                assert parsed.errors[0].code == code, \
                    f"expected error code {code!r}, got {parsed.errors[0].code!r}"
            return body
        raise AssertionError(f"expected HTTP {status}, but the call succeeded")

    @staticmethod
    def raw(resp: Any) -> dict:
        return json.loads(resp.raw_data or b"null")

    @staticmethod
    def status(resp: Any, expected: int) -> None:
        assert resp.status_code == expected, f"expected HTTP {expected}, got {resp.status_code}"
        assert resp.data is not None, "the SDK returned no data (response not parsed)"

    @staticmethod
    def empty_object(resp: Any) -> None:
        assert resp.status_code == 200, f"expected HTTP 200, got {resp.status_code}"
        body = json.loads(resp.raw_data or b"null")
        assert body == {}, f"expected an empty JSON object, got {body!r}"

    # -- ListUsers: not in SDK 17.0.1, built with the SDK's ApiClient -----------
    @staticmethod
    def list_users(client: sc.ApiClient, app_id: str, email: str) -> Any:
        params = client.param_serialize(
            method="GET", resource_path="/v2/apps/{appId}/users",
            path_params={"appId": app_id},
            query_params=[("filter", {"identities.email": email})],
            header_params={"Accept": "application/json"},
            auth_settings=["basicAuth", "bearerAuth"])
        response = client.call_api(*params)
        response.read()
        return client.response_deserialize(
            response_data=response, response_types_map={"200": "Dict[str, List[User]]"})

    # -- a JSON body the SDK's models cannot express, sent with the SDK's ApiClient -------------
    @staticmethod
    def send_json(client: sc.ApiClient, method: str, path: str, path_params: dict, body: Any) -> Any:
        params = client.param_serialize(
            method=method, resource_path=path, path_params=path_params, body=body,
            header_params={"Accept": "application/json", "Content-Type": "application/json"},
            auth_settings=["basicAuth", "bearerAuth"])
        response = client.call_api(*params)
        response.read()
        return client.response_deserialize(response_data=response,
                                           response_types_map={"200": "object", "201": "object"})

    # -- the scenario -------------------------------------------------------------
    def run(self) -> None:
        apps = sc.AppsApi(self.account)
        keys = sc.AppKeysApi(self.account)
        users = sc.UsersApi(self.account)
        tag = secrets.token_hex(3)
        s = self.state

        # Apps -------------------------------------------------------------------
        def create_app():
            body = sc.AppCreateBody(
                display_name=f"Conformance {tag}",
                settings=sc.AppSettings(mask_credit_card_numbers=True, use_animal_names=False),
                metadata={"suite": "sdk", "seats": 3, "vip": True})
            resp = apps.create_app_with_http_info(body)
            self.status(resp, 201)
            app = resp.data.app
            assert HEX24.match(app.id or ""), f"app id {app.id!r} is not 24 hex"
            assert app.display_name == f"Conformance {tag}", app.display_name
            assert app.metadata == {"suite": "sdk", "seats": 3, "vip": True}, app.metadata
            assert app.settings is not None and app.settings.mask_credit_card_numbers is True
            assert app.settings.use_animal_names is False, app.settings
            assert set(self.raw(resp)) == {"app"}, self.raw(resp)
            s["app_id"] = app.id
            self.used("CreateApp")
        self.check("CreateApp returns 201 {app} with a 24-hex id, settings and metadata",
                   ("CreateApp",), create_app)

        def create_more_apps():
            ids = []
            for n in range(3):
                resp = apps.create_app_with_http_info(
                    sc.AppCreateBody(display_name=f"Paging {tag} {n}"))
                self.status(resp, 201)
                ids.append(resp.data.app.id)
            s["paging_ids"] = ids
            self.used("CreateApp")
        self.check("CreateApp three more apps for paging", ("CreateApp",), create_more_apps)

        def list_apps_paged():
            wanted = [self.need("app_id")] + self.need("paging_ids")
            seen: list[str] = []
            after = None
            pages = 0
            while True:
                page = sc.Page(size=2) if after is None else sc.Page(size=2, after=after)
                resp = apps.list_apps_with_http_info(page=page)
                self.status(resp, 200)
                self.used("ListApps")
                pages += 1
                body = resp.data
                assert body.apps is not None and body.meta is not None, self.raw(resp)
                assert len(body.apps) <= 2, f"page[size]=2 returned {len(body.apps)} apps"
                seen.extend(a.id for a in body.apps)
                if not body.meta.has_more:
                    assert body.meta.after_cursor is None, "last page still has afterCursor"
                    assert body.links is None or body.links.next is None, "last page has links.next"
                    break
                cursor = body.meta.after_cursor
                assert cursor and HEX24.match(cursor), f"afterCursor {cursor!r} is not a record id"
                nxt = body.links.next if body.links else None
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(nxt or "").query)
                assert query.get("page[after]") == [cursor], \
                    f"links.next {nxt!r} does not carry page[after]={cursor}"
                after = cursor
                assert pages < 5000, "paging does not terminate after 5000 pages"
            assert len(seen) == len(set(seen)), f"paging returned duplicates: {seen}"
            missing = [a for a in wanted if a not in seen]
            assert not missing, f"apps missing from the paged listing: {missing}"
            assert pages >= 2, f"expected at least two pages of 2, got {pages}"
            return f"{len(seen)} apps over {pages} pages"
        self.check("ListApps pages with page[size]=2 and follows meta.afterCursor to the end",
                   ("ListApps",), list_apps_paged)

        def list_apps_before():
            first = apps.list_apps_with_http_info(page=sc.Page(size=2)).data
            second = apps.list_apps_with_http_info(
                page=sc.Page(size=2, after=first.meta.after_cursor)).data
            self.used("ListApps")
            before = second.meta.before_cursor
            assert before and HEX24.match(before), f"page 2 has no beforeCursor: {second.meta}"
            back = apps.list_apps_with_http_info(page=sc.Page(size=2, before=before)).data
            assert [a.id for a in back.apps] == [a.id for a in first.apps], \
                "page[before] of page 2 does not return page 1"
        self.check("ListApps page[before]=meta.beforeCursor of page 2 gives page 1 back",
                   ("ListApps",), list_apps_before)

        def get_app():
            resp = apps.get_app_with_http_info(self.need("app_id"))
            self.status(resp, 200)
            app = resp.data.app
            assert app.id == s["app_id"] and app.display_name == f"Conformance {tag}"
            assert app.metadata == {"suite": "sdk", "seats": 3, "vip": True}, app.metadata
            self.used("GetApp")
        self.check("GetApp returns the created app", ("GetApp",), get_app)

        def update_app():
            body = sc.AppUpdateBody(display_name=f"Renamed {tag}",
                                    settings=sc.AppSettings(echo_postback=True),
                                    metadata={"suite": "sdk-updated"})
            resp = apps.update_app_with_http_info(self.need("app_id"), body)
            self.status(resp, 200)
            app = resp.data.app
            assert app.id == s["app_id"], app.id
            assert app.display_name == f"Renamed {tag}", app.display_name
            assert app.settings.echo_postback is True, app.settings
            assert app.settings.mask_credit_card_numbers is True, \
                f"settings not merged: maskCreditCardNumbers lost ({app.settings})"
            assert app.metadata == {"suite": "sdk-updated"}, app.metadata
            again = apps.get_app(s["app_id"]).app
            assert again.display_name == f"Renamed {tag}", "GetApp does not show the update"
            self.used("UpdateApp", "GetApp")
        self.check("UpdateApp renames, merges settings, replaces metadata; GetApp agrees",
                   ("UpdateApp", "GetApp"), update_app)

        self.check("GetApp of an unknown app is 404 app_not_found", ("GetApp",),
                   lambda: (self.expect_error(lambda: apps.get_app("0" * 24), 404, "app_not_found"),
                            self.used("GetApp")))

        # App keys ---------------------------------------------------------------
        def create_key():
            resp = keys.create_app_key_with_http_info(
                self.need("app_id"), sc.AppKeyCreateBody(display_name=f"Key {tag}"))
            self.status(resp, 201)
            key = resp.data.key
            assert APP_KEY_ID.match(key.id or ""), f"key id {key.id!r} is not app_<24 hex>"
            assert key.display_name == f"Key {tag}", key.display_name
            assert isinstance(key.secret, str) and len(key.secret) >= 24, "secret missing or short"
            s["key_id"], s["key_secret"] = key.id, key.secret
            self.used("CreateAppKey")
        self.check("CreateAppKey returns 201 {key} with id app_<24 hex> and a secret",
                   ("CreateAppKey",), create_key)

        def list_keys():
            resp = keys.list_app_keys_with_http_info(self.need("app_id"))
            self.status(resp, 200)
            listed = {k.id: k for k in resp.data.keys}
            assert self.need("key_id") in listed, f"{s['key_id']} not in {list(listed)}"
            assert listed[s["key_id"]].display_name == f"Key {tag}"
            assert set(self.raw(resp)) == {"keys"}, self.raw(resp)
            self.used("ListAppKeys")
        self.check("ListAppKeys lists the new key", ("ListAppKeys",), list_keys)

        def get_key():
            resp = keys.get_app_key_with_http_info(self.need("app_id"), self.need("key_id"))
            self.status(resp, 200)
            key = resp.data.key
            assert key.id == s["key_id"] and key.display_name == f"Key {tag}"
            assert key.secret == s["key_secret"], "GetAppKey does not return the key's secret"
            self.used("GetAppKey")
        self.check("GetAppKey returns the key with its secret", ("GetAppKey",), get_key)

        def app_key_basic():
            client = self.client(username=self.need("key_id"), password=self.need("key_secret"))
            app = sc.AppsApi(client).get_app(s["app_id"]).app
            assert app.id == s["app_id"]
            resp = sc.UsersApi(client).create_user_with_http_info(
                s["app_id"], sc.UserCreateBody(external_id=f"basic-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"basic-{tag}"
            self.used("GetApp", "CreateUser")
        self.check("App key over Basic auth: GetApp of its own app and CreateUser",
                   ("GetApp", "CreateUser"), app_key_basic)

        def app_key_jwt():
            token = jwt.encode({"scope": "app"}, self.need("key_secret"), algorithm="HS256",
                               headers={"kid": self.need("key_id")})
            client = self.client(token=token)
            app = sc.AppsApi(client).get_app(s["app_id"]).app
            assert app.id == s["app_id"]
            resp = sc.UsersApi(client).create_user_with_http_info(
                s["app_id"], sc.UserCreateBody(external_id=f"jwt-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"jwt-{tag}"
            self.used("GetApp", "CreateUser")
        self.check("App key over a HS256 JWT (kid=key id, scope=app): GetApp and CreateUser",
                   ("GetApp", "CreateUser"), app_key_jwt)

        def app_key_limits():
            client = self.client(username=self.need("key_id"), password=self.need("key_secret"))
            self.expect_error(lambda: sc.AppsApi(client).list_apps(), 403, "forbidden")
            other = self.need("paging_ids")[0]
            self.expect_error(lambda: sc.AppsApi(client).get_app(other), 403, "forbidden")
            bad = self.client(username=s["key_id"], password="wrong-" + s["key_secret"])
            self.expect_error(lambda: sc.AppsApi(bad).get_app(s["app_id"]), 401, "unauthorized")
            forged = jwt.encode({"scope": "app"}, "not-the-secret-" + "x" * 32, algorithm="HS256",
                                headers={"kid": s["key_id"]})
            self.expect_error(lambda: sc.AppsApi(self.client(token=forged)).get_app(s["app_id"]),
                              401, "unauthorized")
            self.used("ListApps", "GetApp")
        self.check("App key is refused account routes (403), other apps (403); bad secret/JWT 401",
                   ("ListApps", "GetApp"), app_key_limits)

        def delete_key():
            app_id = self.need("app_id")
            key = keys.create_app_key(app_id, sc.AppKeyCreateBody(display_name="disposable")).key
            resp = keys.delete_app_key_with_http_info(app_id, key.id)
            self.empty_object(resp)
            self.expect_error(lambda: keys.get_app_key(app_id, key.id), 404)
            self.expect_error(lambda: keys.delete_app_key(app_id, key.id), 404)
            gone = self.client(username=key.id, password=key.secret)
            self.expect_error(lambda: sc.AppsApi(gone).get_app(app_id), 401, "unauthorized")
            listed = [k.id for k in keys.list_app_keys(app_id).keys]
            assert key.id not in listed, "deleted key still listed"
            self.used("CreateAppKey", "DeleteAppKey", "GetAppKey", "ListAppKeys", "GetApp")
        self.check("DeleteAppKey returns 200 {}; the key is gone (404) and no longer authenticates",
                   ("CreateAppKey", "DeleteAppKey", "GetAppKey", "ListAppKeys", "GetApp"),
                   delete_key)

        # Users ------------------------------------------------------------------
        ext = f"user-{tag}"
        profile = {"given_name": "Ada", "surname": "Lovelace", "email": f"ada-{tag}@example.com",
                   "avatar_url": "https://example.com/ada.png", "locale": "en-GB"}

        def create_user():
            body = sc.UserCreateBody(external_id=ext, signed_up_at="2024-01-02T03:04:05.678Z",
                                     to_be_retained=True, profile=sc.Profile(**profile),
                                     metadata={"plan": "gold", "seats": 3, "vip": True})
            resp = users.create_user_with_http_info(self.need("app_id"), body)
            self.status(resp, 201)
            u = resp.data.user
            assert HEX24.match(u.id or ""), f"user id {u.id!r} is not 24 hex"
            assert u.external_id == ext, u.external_id
            assert u.signed_up_at == "2024-01-02T03:04:05.678Z", u.signed_up_at
            assert u.to_be_retained is True, u.to_be_retained
            got = u.profile.model_dump(exclude_none=True) if u.profile else {}
            assert got == profile, f"profile {got} != {profile}"
            assert u.metadata == {"plan": "gold", "seats": 3, "vip": True}, u.metadata
            assert u.identities == [], f"identities {u.identities!r} != []"
            assert isinstance(u.authenticated, bool), "authenticated is not a boolean"
            assert set(self.raw(resp)) == {"user"}, self.raw(resp)
            s["user_id"] = u.id
            self.used("CreateUser")
        self.check("CreateUser returns 201 {user} with profile, metadata, signedUpAt as sent",
                   ("CreateUser",), create_user)

        def create_user_defaults():
            # The SDK's UserCreateBody requires externalId, so this is the smallest body it sends.
            resp = users.create_user_with_http_info(
                self.need("app_id"), sc.UserCreateBody(external_id=f"plain-{tag}"))
            self.status(resp, 201)
            u = resp.data.user
            assert HEX24.match(u.id or ""), u.id
            assert u.signed_up_at and DATETIME.match(u.signed_up_at), \
                f"signedUpAt {u.signed_up_at!r} is not YYYY-MM-DDThh:mm:ss.SSSZ"
            assert u.metadata == {}, f"metadata {u.metadata!r} is not {{}} (the spec makes it non-null)"
            assert u.to_be_retained is False, f"toBeRetained {u.to_be_retained!r} is not false"
            s["plain_id"] = u.id
            self.used("CreateUser")
        self.check("CreateUser with only externalId gets a server-set signedUpAt (.SSSZ) and {} metadata",
                   ("CreateUser",), create_user_defaults)

        self.check("CreateUser with a duplicate externalId is 409 conflict (ApiException)",
                   ("CreateUser",),
                   lambda: (self.expect_error(lambda: users.create_user(
                       self.need("app_id"), sc.UserCreateBody(external_id=ext)), 409, "conflict"),
                       self.used("CreateUser")))

        def get_user_both_ways():
            by_id = users.get_user_with_http_info(self.need("app_id"), self.need("user_id"))
            self.status(by_id, 200)
            by_ext = users.get_user_with_http_info(s["app_id"], ext)
            self.status(by_ext, 200)
            assert by_id.data.user.id == by_ext.data.user.id == s["user_id"]
            assert by_ext.data.user.profile.given_name == "Ada"
            assert self.raw(by_id) == self.raw(by_ext), "id and externalId lookups differ"
            self.used("GetUser")
        self.check("GetUser by id and by externalId return the same user",
                   ("GetUser",), get_user_both_ways)

        def update_user():
            body = sc.UserUpdateBody(profile=sc.Profile(given_name="Augusta"),
                                     metadata={"plan": "platinum"}, to_be_retained=False)
            resp = users.update_user_with_http_info(self.need("app_id"), ext, body)
            self.status(resp, 200)
            u = resp.data.user
            assert u.id == self.need("user_id") and u.external_id == ext
            assert u.profile.given_name == "Augusta", u.profile
            assert u.profile.surname == "Lovelace", f"profile not merged: surname lost ({u.profile})"
            assert u.to_be_retained is False, u.to_be_retained
            assert u.metadata.get("plan") == "platinum", u.metadata
            again = users.get_user(s["app_id"], s["user_id"]).user
            assert again.profile.given_name == "Augusta", "GetUser does not show the update"
            self.used("UpdateUser", "GetUser")
        self.check("UpdateUser (by externalId) changes givenName and keeps the rest of the profile",
                   ("UpdateUser", "GetUser"), update_user)

        def signed_up_at_round_trip():
            # A valid ISO 8601 UTC timestamp must come back unchanged, whatever the year.
            for value in ("1000-01-01T00:00:00.000Z", "1582-10-04T12:00:00.000Z",
                          "9999-12-31T23:59:59.999Z"):
                u = users.update_user(self.need("app_id"), ext,
                                      sc.UserUpdateBody(signed_up_at=value)).user
                assert u.signed_up_at == value, f"signedUpAt {value} came back as {u.signed_up_at}"
            self.used("UpdateUser")
        self.check("UpdateUser keeps signedUpAt exactly as sent (years 1000, 1582, 9999)",
                   ("UpdateUser",), signed_up_at_round_trip)

        def signed_up_at_invalid_date():
            for value in ("2020-02-30T00:00:00.000Z", "2020-05-21T25:00:00.000Z"):
                self.expect_error(lambda: users.update_user(
                    self.need("app_id"), ext, sc.UserUpdateBody(signed_up_at=value)),
                    400, "bad_request")
            self.used("UpdateUser")
        self.check("UpdateUser rejects impossible signedUpAt dates (Feb 30, hour 25) with 400",
                   ("UpdateUser",), signed_up_at_invalid_date)

        def list_users():
            resp = self.list_users(self.account, self.need("app_id"), profile["email"])
            self.status(resp, 200)
            assert self.raw(resp) == {"users": []}, \
                f"profile.email must not match filter[identities.email]: {self.raw(resp)}"
            assert resp.data == {"users": []}
            self.used("ListUsers")
        self.check("ListUsers filter[identities.email]=<profile email> is {users: []}",
                   ("ListUsers",), list_users)

        def delete_personal_information():
            resp = users.delete_user_personal_information_with_http_info(
                self.need("app_id"), self.need("user_id"))
            self.status(resp, 200)
            u = resp.data.user
            assert u.id == s["user_id"] and u.external_id == ext, "identity of the user changed"
            p = u.profile
            for field in ("given_name", "surname", "email", "avatar_url"):
                assert p is None or getattr(p, field) is None, f"profile.{field} was not cleared"
            assert not u.metadata, f"metadata (custom properties) not cleared: {u.metadata}"
            again = users.get_user(s["app_id"], s["user_id"]).user
            assert again.profile is None or again.profile.given_name is None, "GetUser still has PII"
            self.used("DeleteUserPersonalInformation", "GetUser")
        self.check("DeleteUserPersonalInformation returns {user} with profile and metadata cleared",
                   ("DeleteUserPersonalInformation", "GetUser"), delete_personal_information)

        def delete_user():
            resp = users.delete_user_with_http_info(self.need("app_id"), self.need("user_id"))
            self.empty_object(resp)
            self.expect_error(lambda: users.get_user(s["app_id"], s["user_id"]), 404,
                              "user_not_found")
            self.expect_error(lambda: users.get_user(s["app_id"], ext), 404, "user_not_found")
            self.expect_error(lambda: users.delete_user(s["app_id"], s["user_id"]), 404,
                              "user_not_found")
            self.used("DeleteUser", "GetUser")
        self.check("DeleteUser returns 200 {}; the user is 404 user_not_found by id and externalId",
                   ("DeleteUser", "GetUser"), delete_user)

        def user_not_found():
            app_id = self.need("app_id")
            self.expect_error(lambda: users.get_user(app_id, "f" * 24), 404, "user_not_found")
            self.expect_error(lambda: users.update_user(app_id, "nobody-" + tag,
                              sc.UserUpdateBody(to_be_retained=True)), 404, "user_not_found")
            self.expect_error(lambda: users.delete_user_personal_information(app_id, "f" * 24),
                              404, "user_not_found")
            self.used("GetUser", "UpdateUser", "DeleteUserPersonalInformation")
        self.check("Unknown users are 404 user_not_found on Get/Update/DeletePersonalInformation",
                   ("GetUser", "UpdateUser", "DeleteUserPersonalInformation"), user_not_found)

        # Conversations, participants, messages, activity -----------------------------
        self.conversations(tag)

        # Integrations, custom integration keys, webhooks -------------------------------
        self.integrations(tag)

        # Clients (channel linking) and devices -------------------------------------------
        self.clients(tag)

        # Attachments: upload, the served mediaUrl, delete -------------------------------------------
        self.attachments(tag)

        # PostConversionEvents (Messenger, through the Graph stand-in), DownloadMessageRef, SyncUser ------
        self.channel_operations(tag)

        # OAuth: Authorize and the consent pages, GetToken, GetTokenInfo, RevokeAccess (an app of its own) ---
        self.oauth(tag)

        # Switchboards, switchboard integrations and control actions (in an app of their own) ------
        self.switchboards(tag)

        # Teardown ---------------------------------------------------------------
        def delete_key_used():
            self.empty_object(keys.delete_app_key_with_http_info(self.need("app_id"),
                                                                 self.need("key_id")))
            self.used("DeleteAppKey")
        self.check("DeleteAppKey of the key used above", ("DeleteAppKey",), delete_key_used)

        def delete_apps():
            app_id = self.need("app_id")
            self.empty_object(apps.delete_app_with_http_info(app_id))
            self.expect_error(lambda: apps.get_app(app_id), 404, "app_not_found")
            self.expect_error(lambda: apps.delete_app(app_id), 404, "app_not_found")
            self.expect_error(lambda: users.get_user(app_id, s.get("plain_id") or "f" * 24), 404)
            for other in s.get("paging_ids") or []:
                self.empty_object(apps.delete_app_with_http_info(other))
            self.used("DeleteApp", "GetApp", "GetUser")
        self.check("DeleteApp returns 200 {}; the app is then 404 app_not_found",
                   ("DeleteApp", "GetApp", "GetUser"), delete_apps)

    # -- the channel-specific operations: PostConversionEvents, DownloadMessageRef, SyncUser -------------
    def channel_operations(self, tag: str) -> None:
        """PostConversionEvents for the Messenger stranger of channel_clients (graph_standin.py plays Meta's
        Conversions API and records what it is sent), and the 400/404 answers of DownloadMessageRef (no Apple
        channel in Parley) and SyncUser (no Parley user has a zendeskId)."""
        convs = sc.ConversationsApi(self.account)
        users = sc.UsersApi(self.account)
        s = self.state

        def events_body(channel: str, events: list) -> Any:
            model = {"messenger": sc.MessengerConversionEventsBody, "instagram": sc.InstagramConversionEventsBody,
                     "whatsapp": sc.WhatsAppConversionEventsBody}[channel]
            event = sc.MetaConversionEvent(payload=sc.MetaConversionEventPayload(data=events))
            return sc.ConversionEventsBody(model(**{channel: event}))

        def received() -> list:
            assert self.graph_url, "no --graph-url: what Meta received cannot be read"
            with urllib.request.urlopen(f"{self.graph_url}/conversions", timeout=10) as resp:
                return json.loads(resp.read())

        def post_conversion_events():
            app_id, conversation = self.need("app_id"), self.need("messenger_conversation")
            now = int(time.time())
            events = [{"event_name": "Purchase", "event_time": now - 120,
                       "custom_data": {"currency": "USD", "value": 42.5, "content_ids": ["sku-1"]}},
                      # what Zendesk fills in is replaced, whatever the caller sent
                      {"event_name": "LeadSubmitted", "event_time": now - 60, "action_source": "business_messaging",
                       "user_data": {"em": ["f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79"]},
                       "messaging_channel": "whatsapp"}]
            before = len(received())
            resp = convs.post_conversion_events_with_http_info(app_id, conversation, events_body("messenger", events))
            self.status(resp, 200)
            body = self.raw(resp)
            assert set(body) == {"conversionEvents"}, body
            got = body["conversionEvents"]
            assert isinstance(got.get("datasetId"), str) and got["datasetId"].isdigit(), got
            assert got == {"datasetId": got["datasetId"], "eventsReceived": 2}, got
            calls = received()
            assert len(calls) == before + 1, f"Meta got {len(calls) - before} events calls, not 1"
            call = calls[-1]
            assert call["dataset"] == got["datasetId"], f"events went to dataset {call['dataset']}, not {got['datasetId']}"
            assert call["token"] == self.need("messenger_page_token"), "not sent with the page's access token"
            user = {"page_id": "1234567890", "page_scoped_user_id": self.need("messenger_psid")}
            for sent, meta in zip(events, call["body"]["data"], strict=True):
                assert meta["user_data"] == user, f"user_data {meta['user_data']} != {user}"
                assert meta["messaging_channel"] == "messenger", meta
                assert meta["action_source"] == "business_messaging", meta
                for key in ("event_name", "event_time", "custom_data"):
                    assert meta.get(key) == sent.get(key), f"{key}: Meta got {meta.get(key)!r}, sent {sent.get(key)!r}"
            again = convs.post_conversion_events(app_id, conversation, events_body("messenger", events[:1]))
            assert again == {"conversionEvents": {"datasetId": got["datasetId"], "eventsReceived": 1}}, \
                f"the page's dataset was not reused: {again}"
            s["dataset"] = got["datasetId"]
            self.used("PostConversionEvents")
        self.check("PostConversionEvents (messenger) is 200 {conversionEvents: {datasetId, eventsReceived}}; Meta gets "
                   "the events in the page's dataset (reused) with user_data {page_id, page_scoped_user_id}, "
                   "messaging_channel messenger and action_source business_messaging filled in, the rest as sent",
                   ("PostConversionEvents",), post_conversion_events)

        def payload_beyond_data():
            # MetaConversionEventPayload has `data` only and pydantic drops the rest, so the SDK's model cannot
            # send e.g. test_event_code; the SDK's ApiClient carries the same JSON with it (EXCLUSIONS.md).
            dropped = sc.MetaConversionEventPayload(data=[{"event_name": "x"}], test_event_code="TEST42").to_dict()
            assert dropped == {"data": [{"event_name": "x"}]}, dropped
            app_id, conversation = self.need("app_id"), self.need("messenger_conversation")
            event = {"event_name": "Contact", "event_time": int(time.time()) - 30}
            resp = self.send_json(self.account, "POST", "/v2/apps/{appId}/conversations/{conversationId}/conversionEvents",
                                  {"appId": app_id, "conversationId": conversation},
                                  {"messenger": {"payload": {"data": [event], "test_event_code": "TEST42"}}})
            assert resp.status_code == 200 and resp.data == {"conversionEvents": {
                "datasetId": self.need("dataset"), "eventsReceived": 1}}, resp.data
            sent = received()[-1]["body"]
            assert sent.get("test_event_code") == "TEST42", f"test_event_code did not reach Meta: {sent}"
            self.used("PostConversionEvents")
        self.check("PostConversionEvents passes payload fields beside data (test_event_code) to Meta (sent through the "
                   "SDK's ApiClient: the SDK's payload model keeps `data` only)", ("PostConversionEvents",),
                   payload_beyond_data)

        def conversion_refusals():
            app_id, conversation = self.need("app_id"), self.need("messenger_conversation")
            now = int(time.time())
            old = [{"event_name": "Purchase", "event_time": now - 8 * 24 * 3600}]
            body = self.expect_error(lambda: convs.post_conversion_events(app_id, conversation, events_body("messenger", old)),
                                     400, "bad_request")
            assert "Meta" in body["errors"][0]["title"] and "7 days" in body["errors"][0]["title"], body
            fresh = [{"event_name": "Purchase", "event_time": now}]
            for channel in ("instagram", "whatsapp"):
                self.expect_error(lambda: convs.post_conversion_events(app_id, conversation, events_body(channel, fresh)),
                                  400, "bad_request")
            self.expect_error(lambda: convs.post_conversion_events(app_id, conversation, events_body("messenger", [])),
                              400, "bad_request")
            plain = convs.create_conversation(app_id, sc.ConversationCreateBody(type="sdkGroup")).conversation.id
            self.expect_error(lambda: convs.post_conversion_events(app_id, plain, events_body("messenger", fresh)),
                              400, "bad_request")
            self.empty_object(convs.delete_conversation_with_http_info(app_id, plain))
            self.expect_error(lambda: convs.post_conversion_events(app_id, "0" * 24, events_body("messenger", fresh)),
                              404, "conversation_not_found")
            self.used("PostConversionEvents", "CreateConversation", "DeleteConversation")
        self.check("PostConversionEvents refusals: Meta's refusal of an 8-day-old event, instagram and whatsapp (Parley "
                   "forwards Messenger only), empty data and a conversation without a Messenger user are 400 bad_request; "
                   "an unknown conversation is 404 conversation_not_found",
                   ("PostConversionEvents", "CreateConversation", "DeleteConversation"), conversion_refusals)

        def download_message_ref():
            app_id, conversation = self.need("app_id"), self.need("messenger_conversation")
            user = sc.ParticipantsApi(self.account).list_participants(app_id, conversation).participants[0].user_id
            ref = sc.DownloadMessageRefBodyAllOfApple(interactive_data_ref=sc.DownloadMessageRefBodyAllOfAppleInteractiveDataRef(
                url="https://p61-content.icloud.com/M58C0A1A2EB62B6E.C01USN00", bid="com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension",
                key="00c0d1827fdc858fe7b42421de1fb289c2ee0a9463d787ce4f118506f970bd6e38",
                signature="81a619c81da5a01c6139219a5d20e17430c631e1eb", owner="M58C0A2A1EB62B4E.C01USN00"))
            body = self.expect_error(lambda: convs.download_message_ref(
                app_id, conversation, sc.DownloadMessageRefBody(user_id=user, apple=ref)), 400, "bad_request")
            assert "Apple" in body["errors"][0]["title"], body
            self.expect_error(lambda: convs.download_message_ref(
                app_id, conversation, sc.DownloadMessageRefBody(user_id="f" * 24, apple=ref)), 404, "user_not_found")
            self.expect_error(lambda: convs.download_message_ref(
                app_id, "0" * 24, sc.DownloadMessageRefBody(user_id=user, apple=ref)), 404, "conversation_not_found")
            self.used("DownloadMessageRef", "ListParticipants")
        self.check("DownloadMessageRef: 400 bad_request for a real user (Parley carries no Apple Messages for Business "
                   "channel); unknown user 404 user_not_found, unknown conversation 404 conversation_not_found",
                   ("DownloadMessageRef", "ListParticipants"), download_message_ref)

        def sync_user():
            app_id = self.need("app_id")
            for zendesk_id, body in (("35436", sc.SyncUserBody(surviving_zendesk_id="35437")), ("35436", None),
                                     (self.need("plain_id"), sc.SyncUserBody())):
                self.expect_error(lambda: users.sync_user(app_id, zendesk_id, body), 404, "user_not_found")
            # SyncUserBody's survivingZendeskId is a StrictStr: the SDK refuses a number, its ApiClient sends it.
            try:
                sc.SyncUserBody(surviving_zendesk_id=35437)
                raise AssertionError("the SDK's SyncUserBody took a number")
            except pydantic.ValidationError:
                pass
            self.expect_error(lambda: self.send_json(self.account, "POST", "/v2/apps/{appId}/users/{zendeskId}/sync",
                                                     {"appId": app_id, "zendeskId": "35436"}, {"survivingZendeskId": 35437}),
                              400, "bad_request")
            self.expect_error(lambda: users.sync_user("0" * 24, "35436"), 404, "app_not_found")
            self.used("SyncUser")
        self.check("SyncUser: 404 user_not_found (no Parley user has a zendeskId; a user's own id is none), with or "
                   "without survivingZendeskId; a number as survivingZendeskId 400; unknown app 404",
                   ("SyncUser",), sync_user)

    # -- OAuth: Authorize (and the consent pages), GetToken, GetTokenInfo, RevokeAccess ---------------------
    @staticmethod
    def expect_redirect(call: Callable[[], Any]) -> ApiException:
        """The SDK raises ApiException for every status outside 2xx, Authorize's documented 302 included."""
        try:
            call()
        except ApiException as exc:
            assert exc.status == 302, f"expected HTTP 302, got {exc.status}: {(exc.body or '')[:300]}"
            return exc
        raise AssertionError("expected HTTP 302, but the call succeeded")

    @staticmethod
    def expect_oauth_error(call: Callable[[], Any], status: int, error: str) -> dict:
        """RFC 6749 §5.2's body ({error, error_description}) with the API's errors[] beside it."""
        try:
            call()
        except ApiException as exc:
            assert exc.status == status, f"expected HTTP {status}, got {exc.status}: {exc.body}"
            body = json.loads(exc.body or "")
            assert set(body) == {"error", "error_description", "errors"}, body
            assert body["error"] == error and isinstance(body["error_description"], str) and body["error_description"], body
            parsed = sc.ErrorResponse.from_dict(body)
            assert parsed.errors and parsed.errors[0].code == error, body
            headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
            assert headers.get("cache-control") == "no-store", f"Cache-Control {headers.get('cache-control')!r}"
            return body
        raise AssertionError(f"expected HTTP {status}, but the call succeeded")

    def oauth(self, tag: str) -> None:
        """The authorization code flow: a client registered with Parley's /admin/oauthClients (HTTP), Authorize through
        the SDK (with redirects not followed, its 302), the consent pages (plain HTTP: HTML forms), GetToken,
        GetTokenInfo, the token as the SDK's Bearer credentials, RevokeAccess; in an app of its own."""
        apps = sc.AppsApi(self.account)
        keys = sc.AppKeysApi(self.account)
        http = HTTP(self.base_url, *self.key)
        s = self.state
        redirects = [f"https://client-{tag}.example.com/callback", f"https://client-{tag}.example.com/other?from=parley"]
        oauth = sc.OAuthEndpointsApi(self.client(follow_redirects=False))
        client_name = f"Partner {tag}"

        def setup():
            s["oauth_app"] = apps.create_app(sc.AppCreateBody(display_name=f"OAuth {tag}")).app.id
            status, created = http.request("POST", "/admin/oauthClients", {"name": client_name, "redirectUris": redirects})
            assert status == 201 and set(created) == {"oauthClient"}, (status, created)
            client = created["oauthClient"]
            assert HEX24.match(client.get("id", "")), client
            assert (client["name"], client["redirectUris"]) == (client_name, redirects), client
            assert isinstance(client.get("secret"), str) and len(client["secret"]) >= 32, client
            assert DATETIME.match(client.get("createdAt", "")), client
            listed = http.expect("GET", "/admin/oauthClients")["oauthClients"]
            mine = [c for c in listed if c["id"] == client["id"]]
            assert len(mine) == 1 and "secret" not in mine[0], f"listing: {mine}"
            app_key = HTTP(self.base_url, self.need("key_id"), self.need("key_secret"))
            assert app_key.request("GET", "/admin/oauthClients")[0] == 403, "an app key lists OAuth clients"
            s["oauth_client"] = client
            self.used("CreateApp")
        self.check("OAuth: an app, and a client registered over HTTP (POST /admin/oauthClients: 201 with its secret once; "
                   "listed without it; not for app keys)", ("CreateApp",), setup)

        def authorize():
            client = self.need("oauth_client")
            exc = self.expect_redirect(lambda: oauth.authorize(client["id"], "code", state=f"state-{tag}"))
            headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
            location = headers.get("location", "")
            assert location.startswith("/oauth/consent?ticket="), f"Location {location!r}"
            assert headers.get("content-type", "").startswith("text/plain"), headers.get("content-type")
            assert exc.body == f"Found. Redirecting to {location}", exc.body
            s["consent"] = location
            self.used("Authorize")
        self.check("Authorize (SDK, redirects not followed) answers 302 text/plain to the consent page",
                   ("Authorize",), authorize)

        def consent(location: str, decision: str = "allow") -> str:
            """The owner's part, as a browser does it: the page, sign in with the account key, choose the app."""
            status, headers, page = http.raw("GET", location)
            headers = {k.lower(): v for k, v in headers.items()}
            assert status == 200 and headers.get("content-type", "").startswith("text/html"), (status, headers)
            assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), headers
            assert client_name in page, "the page does not name the client"
            ticket = HTTP.hidden_ticket(page)
            status, _, wrong = http.form("/oauth/consent", {"ticket": ticket, "keyId": self.key[0], "secret": "wrong"})
            assert status == 401 and 'name="ticket"' in wrong, f"a wrong secret answered {status}"
            status, _, page = http.form("/oauth/consent", {"ticket": HTTP.hidden_ticket(wrong), "keyId": self.key[0],
                                                           "secret": self.key[1]})
            assert status == 200, f"sign in answered {status}"
            offered = re.findall(r'name="appId" value="([0-9a-f]{24})"', page)
            assert self.need("oauth_app") in offered, f"the app is not offered: {offered}"
            status, headers, _ = http.form("/oauth/consent", {"ticket": HTTP.hidden_ticket(page), "appId": s["oauth_app"],
                                                              "decision": decision})
            assert status == 302, f"the decision answered {status}"
            return headers["Location"]

        def consent_pages():
            back = urllib.parse.urlsplit(consent(self.need("consent")))
            query = urllib.parse.parse_qs(back.query)
            assert f"{back.scheme}://{back.netloc}{back.path}" == redirects[0], f"redirected to {back.geturl()}"
            assert query.get("state") == [f"state-{tag}"] and len(query.get("code", [""])[0]) >= 32, query
            s["oauth_code"] = query["code"][0]
            exc = self.expect_redirect(lambda: oauth.authorize(s["oauth_client"]["id"], "code", state="no"))
            denied = urllib.parse.parse_qs(urllib.parse.urlsplit(consent(exc.headers["Location"], "deny")).query)
            assert denied == {"error": ["access_denied"], "error_description": denied.get("error_description", ["?"]),
                              "state": ["no"]}, denied
            self.used("Authorize")
        self.check("The consent pages (plain HTTP; the SDK cannot fill HTML forms): sign in (a wrong secret is 401), the "
                   "app offered, Allow redirects to the first redirect URI with a code and the state; Deny with "
                   "error=access_denied", ("Authorize",), consent_pages)

        def token_request(code: str, secret: str | None = None, grant_type: str = "authorization_code") -> Any:
            client = self.need("oauth_client")
            return sc.GetTokenRequest(code=code, grant_type=grant_type, client_id=client["id"],
                                      client_secret=secret or client["secret"])

        def get_token():
            resp = oauth.get_token_with_http_info(token_request(self.need("oauth_code")))
            self.status(resp, 200)
            assert isinstance(resp.data, sc.GetToken200Response), type(resp.data).__name__
            assert set(self.raw(resp)) == {"access_token", "token_type"} and resp.data.token_type == "Bearer", self.raw(resp)
            headers = {k.lower(): v for k, v in (resp.headers or {}).items()}
            assert headers.get("cache-control") == "no-store", f"Cache-Control {headers.get('cache-control')!r}"
            token = resp.data.access_token
            kid = jwt.get_unverified_header(token).get("kid", "")
            claims = jwt.decode(token, options={"verify_signature": False})
            assert APP_KEY_ID.match(kid), f"kid {kid!r}"
            assert claims.get("scope") == "app" and claims.get("appId") == self.need("oauth_app"), claims
            listed = {k.id: k.display_name for k in keys.list_app_keys(s["oauth_app"]).keys}
            assert listed.get(kid) == f"OAuth: {client_name}", f"the token's key is not listed: {listed}"
            s["oauth_token"], s["oauth_kid"] = token, kid
            self.used("GetToken", "ListAppKeys")
        self.check("GetToken (SDK) exchanges the code: 200 {access_token, token_type: Bearer}, no-store; a JWT of app "
                   "scope on the granted app, whose key ListAppKeys shows", ("GetToken", "ListAppKeys"), get_token)

        def token_info():
            token, app_id = self.need("oauth_token"), self.need("oauth_app")
            # GetTokenInfo has `security: []`, so the SDK sends no credentials of its configuration: the token goes as a header.
            resp = sc.OAuthEndpointsApi(self.client(token=token)).get_token_info_with_http_info(
                _headers={"Authorization": f"Bearer {token}"})
            self.status(resp, 200)
            assert isinstance(resp.data, sc.AppResponse) and resp.data.app.id == app_id, resp.data
            assert self.raw(resp) == self.raw(apps.get_app_with_http_info(app_id)), \
                f"{self.raw(resp)} is not the app as GetApp shows it"
            key = keys.create_app_key(app_id, sc.AppKeyCreateBody(display_name="token info")).key
            basic = "Basic " + base64.b64encode(f"{key.id}:{key.secret}".encode()).decode()
            assert oauth.get_token_info(_headers={"Authorization": basic}).app.id == app_id
            keys.delete_app_key(app_id, key.id)
            account = "Basic " + base64.b64encode(f"{self.key[0]}:{self.key[1]}".encode()).decode()
            self.expect_error(lambda: oauth.get_token_info(_headers={"Authorization": account}), 403, "forbidden")
            self.expect_error(lambda: sc.OAuthEndpointsApi(self.client(token=token)).get_token_info(), 401, "unauthorized")
            self.used("GetTokenInfo", "GetApp", "CreateAppKey", "DeleteAppKey")
        self.check("GetTokenInfo (SDK, the credentials as a header) is 200 {app} as GetApp shows it, for the access token "
                   "and an app key; an account key 403; without credentials (the SDK's default) 401",
                   ("GetTokenInfo", "GetApp", "CreateAppKey", "DeleteAppKey"), token_info)

        def token_as_app_key():
            app_id = self.need("oauth_app")
            bearer = self.client(token=self.need("oauth_token"))
            assert sc.AppsApi(bearer).get_app(app_id).app.id == app_id
            resp = sc.UsersApi(bearer).create_user_with_http_info(app_id, sc.UserCreateBody(external_id=f"oauth-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"oauth-{tag}"
            conversation = sc.ConversationsApi(bearer).create_conversation(app_id, sc.ConversationCreateBody(
                type="personal", participants=[sc.ParticipantSubSchema(sc.ParticipantWithUserId(user_id=resp.data.user.id))]))
            assert conversation.conversation.type == "personal", conversation
            self.expect_error(lambda: sc.AppsApi(bearer).list_apps(), 403, "forbidden")
            self.expect_error(lambda: sc.AppsApi(bearer).get_app(self.need("app_id")), 403, "forbidden")
            self.used("GetApp", "CreateUser", "CreateConversation", "ListApps")
        self.check("The access token as the SDK's Bearer credentials acts as an app key: GetApp, CreateUser, "
                   "CreateConversation on its app; ListApps and another app 403",
                   ("GetApp", "CreateUser", "CreateConversation", "ListApps"), token_as_app_key)

        def token_errors():
            client = self.need("oauth_client")
            code = http.oauth_code(client["id"], self.need("oauth_app"))
            self.expect_oauth_error(lambda: oauth.get_token(token_request(code, secret="wrong-secret")), 401, "invalid_client")
            self.expect_oauth_error(lambda: oauth.get_token(token_request(code, grant_type="password")), 400,
                                    "unsupported_grant_type")
            self.expect_oauth_error(lambda: oauth.get_token(token_request("not-a-code")), 400, "invalid_grant")
            # The refusals above left the code unspent; the first exchange works, a replay is refused and
            # revokes the token it gave (RFC 6749 §4.1.2).
            token = oauth.get_token(token_request(code)).access_token
            assert sc.AppsApi(self.client(token=token)).get_app(s["oauth_app"]).app.id == s["oauth_app"]
            self.expect_oauth_error(lambda: oauth.get_token(token_request(code)), 400, "invalid_grant")
            self.expect_error(lambda: sc.AppsApi(self.client(token=token)).get_app(s["oauth_app"]), 401, "unauthorized")
            self.used("GetToken", "GetApp")
        self.check("GetToken refusals (SDK ApiException, RFC 6749 bodies): wrong secret 401 invalid_client, grant_type "
                   "password 400 unsupported_grant_type, an unknown code 400 invalid_grant; a replayed code 400 "
                   "invalid_grant, and the token it gave stops working", ("GetToken", "GetApp"), token_errors)

        def redirect_uri_binding():
            client = self.need("oauth_client")
            exc = self.expect_redirect(lambda: oauth.authorize(client["id"], "code", state="two", redirect_uri=redirects[1]))
            back = urllib.parse.urlsplit(consent(exc.headers["Location"]))
            query = urllib.parse.parse_qs(back.query)
            assert back.geturl().startswith(redirects[1] + "&code="), f"redirected to {back.geturl()}"
            assert query.get("state") == ["two"] and query.get("from") == ["parley"], query
            code = query["code"][0]
            # GetTokenRequest has no redirect_uri, which RFC 6749 §4.1.3 requires here: the SDK's model cannot redeem
            # this code (400 invalid_grant); the same JSON with redirect_uri, through the SDK's ApiClient, can.
            self.expect_oauth_error(lambda: oauth.get_token(token_request(code)), 400, "invalid_grant")
            body = {**token_request(code).to_dict(), "redirect_uri": redirects[1]}
            resp = self.send_json(self.client(), "POST", "/oauth/token", {}, body)
            assert resp.status_code == 200 and resp.data["token_type"] == "Bearer", resp.data
            HTTP.bearer(self.base_url, resp.data["access_token"]).request("DELETE", "/oauth/authorization")
            self.used("Authorize", "GetToken")
        self.check("A code issued for a named redirect_uri (kept with its own query) needs that redirect_uri again: "
                   "GetToken without it 400 invalid_grant; with it (the SDK's ApiClient: GetTokenRequest has no "
                   "redirect_uri) 200", ("Authorize", "GetToken"), redirect_uri_binding)

        def authorize_refusals():
            client = self.need("oauth_client")
            for call in (lambda: oauth.authorize("0" * 24, "code", state="x"),
                         lambda: oauth.authorize(client["id"], "code", redirect_uri="https://evil.example.com/cb")):
                try:
                    call()
                    raise AssertionError("Authorize accepted an unknown client or redirect URI")
                except ApiException as exc:
                    assert exc.status == 400, f"expected HTTP 400, got {exc.status}"
                    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
                    assert "location" not in headers, "Authorize redirected to an unchecked URI"
                    assert headers.get("content-type", "").startswith("text/html"), headers
            exc = self.expect_redirect(lambda: oauth.authorize(client["id"], "token", state="t"))
            back = urllib.parse.urlsplit(exc.headers["Location"])
            query = urllib.parse.parse_qs(back.query)
            assert f"{back.scheme}://{back.netloc}{back.path}" == redirects[0], back.geturl()
            assert query.get("error") == ["unsupported_response_type"] and query.get("state") == ["t"], query
            self.used("Authorize")
        self.check("Authorize refusals (SDK): an unknown client_id or an unregistered redirect_uri is a 400 page, never "
                   "a redirect; response_type=token is 302 to the client's redirect URI with "
                   "error=unsupported_response_type and the state", ("Authorize",), authorize_refusals)

        def revoke_access():
            token, app_id = self.need("oauth_token"), self.need("oauth_app")
            bearer = sc.OAuthEndpointsApi(self.client(token=token))
            self.empty_object(bearer.revoke_access_with_http_info())
            self.expect_error(lambda: sc.AppsApi(self.client(token=token)).get_app(app_id), 401, "unauthorized")
            self.expect_error(lambda: bearer.get_token_info(_headers={"Authorization": f"Bearer {token}"}), 401,
                              "unauthorized")
            self.expect_error(lambda: bearer.revoke_access(), 401, "unauthorized")
            assert self.need("oauth_kid") not in [k.id for k in keys.list_app_keys(app_id).keys], "the key is still listed"
            key = keys.create_app_key(app_id, sc.AppKeyCreateBody(display_name="not a token")).key
            api_key = self.client(username=key.id, password=key.secret)
            self.expect_error(lambda: sc.OAuthEndpointsApi(api_key).revoke_access(), 403, "forbidden")
            assert sc.AppsApi(api_key).get_app(app_id).app.id == app_id, "RevokeAccess refused, yet the key stopped working"
            keys.delete_app_key(app_id, key.id)
            self.used("RevokeAccess", "GetApp", "GetTokenInfo", "ListAppKeys", "CreateAppKey", "DeleteAppKey")
        self.check("RevokeAccess (SDK, the token as Bearer): 200 {}; the token is refused at once (401) and its key gone; "
                   "an app key is 403 and keeps working",
                   ("RevokeAccess", "GetApp", "GetTokenInfo", "ListAppKeys", "CreateAppKey", "DeleteAppKey"), revoke_access)

        def delete_client():
            client, app_id = self.need("oauth_client"), self.need("oauth_app")
            token = http.oauth_token(client, app_id)
            assert http.expect("DELETE", f"/admin/oauthClients/{client['id']}") == {}
            assert client["id"] not in [c["id"] for c in http.expect("GET", "/admin/oauthClients")["oauthClients"]]
            self.expect_error(lambda: sc.AppsApi(self.client(token=token)).get_app(app_id), 401, "unauthorized")
            try:
                oauth.authorize(client["id"], "code")
                raise AssertionError("Authorize accepted a deleted client")
            except ApiException as exc:
                assert exc.status == 400, f"expected HTTP 400, got {exc.status}"
            self.empty_object(apps.delete_app_with_http_info(app_id))
            self.used("GetApp", "Authorize", "DeleteApp")
        self.check("Deleting the OAuth client (HTTP) revokes its tokens (401) and Authorize refuses it (400); DeleteApp "
                   "of the OAuth app", ("GetApp", "Authorize", "DeleteApp"), delete_client)

    # -- clients and devices ------------------------------------------------------------
    def clients(self, tag: str) -> None:
        """CreateClient (a Mailgun link), ListClients, RemoveClient, ListDevices, GetDevice."""
        users = sc.UsersApi(self.account)
        convs = sc.ConversationsApi(self.account)
        clients = sc.ClientsApi(self.account)
        devices = sc.DevicesApi(self.account)
        integrations = sc.IntegrationsApi(self.account)
        s = self.state

        def setup():
            app_id = self.need("app_id")
            user = users.create_user(app_id, sc.UserCreateBody(external_id=f"linker-{tag}")).user
            s["linker"] = user.id
            body = sc.ConversationCreateBody(type="personal", participants=[
                sc.ParticipantSubSchema(sc.ParticipantWithUserId(user_id=user.id))])
            s["linker_conversation"] = convs.create_conversation(app_id, body).conversation.id
            mailgun = integrations.create_integration_with_http_info(app_id, sc.Mailgun(
                type="mailgun", api_key="key-conformance", domain="mg.example.com",
                incoming_address="in@mg.example.com"))
            s["mailgun"] = self.raw(mailgun)["integration"]["id"]
            self.used("CreateUser", "CreateConversation", "CreateIntegration")
        self.check("clients: a user, a conversation and a Mailgun integration", (), setup)

        def create():
            app_id = self.need("app_id")
            body = sc.ClientCreate(
                match_criteria=sc.MatchCriteria(sc.MatchCriteriaMailgun(
                    type="mailgun", integration_id=self.need("mailgun"), address="linker@example.com",
                    primary=True)),
                confirmation=sc.Confirmation(type="userActivity"),
                target=sc.Target(conversation_id=self.need("linker_conversation")))
            resp = clients.create_client_with_http_info(app_id, self.need("linker"), body)
            self.status(resp, 201)
            client = resp.data.client
            assert HEX24.match(client.id or ""), client
            assert client.type == "mailgun" and client.status == "pending", client
            assert client.integration_id == self.need("mailgun"), client
            assert client.external_id == "linker@example.com", client
            s["client"] = client.id
            self.used("CreateClient")
        self.check("CreateClient (mailgun, userActivity) answers 201 with a pending client",
                   ("CreateClient",), create)

        def create_errors():
            app_id = self.need("app_id")
            bad = {"matchCriteria": {"type": "mailgun", "integrationId": self.need("mailgun"),
                                     "address": "not-an-email"},
                   "confirmation": {"type": "immediate"},
                   "target": {"conversationId": self.need("linker_conversation")}}
            path = "/v2/apps/{appId}/users/{userId}/clients"
            params = {"appId": app_id, "userId": self.need("linker")}
            self.expect_error(lambda: self.send_json(self.account, "POST", path, params, bad), 400, "bad_request")
            bad["matchCriteria"] = {"type": "twilio", "integrationId": self.need("mailgun"),
                                    "phoneNumber": "212 555 2368"}
            self.expect_error(lambda: self.send_json(self.account, "POST", path, params, bad), 400, "bad_request")
            self.used("CreateClient")
        self.check("CreateClient refuses a bad address and a phone number without +country",
                   ("CreateClient",), create_errors)

        def list_and_remove():
            app_id, user = self.need("app_id"), self.need("linker")
            listed = clients.list_clients(app_id, user)
            assert [c.id for c in listed.clients] == [self.need("client")], listed
            assert listed.meta is not None and listed.meta.has_more is False, listed.meta
            self.empty_object(clients.remove_client_with_http_info(app_id, user, self.need("client")))
            assert clients.list_clients(app_id, user).clients == [], "client still listed"
            self.expect_error(lambda: clients.remove_client(app_id, user, self.need("client")), 404,
                              "client_not_found")
            self.used("ListClients", "RemoveClient")
        self.check("ListClients shows the pending client; RemoveClient removes it; again is 404",
                   ("ListClients", "RemoveClient"), list_and_remove)

        def devices_():
            app_id, user = self.need("app_id"), self.need("linker")
            listed = devices.list_devices(app_id, user)
            assert listed.devices == [], listed
            self.expect_error(lambda: devices.get_device(app_id, user, "f" * 24), 404, "device_not_found")
            self.expect_error(lambda: devices.list_devices(app_id, "f" * 24), 404, "user_not_found")
            self.used("ListDevices", "GetDevice")
        self.check("ListDevices is empty for a user without a messenger; GetDevice is 404 device_not_found",
                   ("ListDevices", "GetDevice"), devices_)

        def messenger_devices():
            # A web messenger session (docs/MESSENGER.md) makes a user with an sdk client and a web device.
            app_id = self.need("app_id")
            created = integrations.create_integration_with_http_info(app_id, sc.Web(type="web", business_name="Conformance"))
            self.status(created, 201)
            web_id = self.raw(created)["integration"]["id"]
            started = self.raw(self.send_json(self.account, "POST", "/web/{integrationId}/sessions", {"integrationId": web_id},
                                              {"device": {"guid": "c0ffee" * 5 + "00", "info": {"browserLanguage": "en"}}}))
            user = started["user"]["id"]
            listed = devices.list_devices(app_id, user)
            assert len(listed.devices) == 1, listed
            device = listed.devices[0]
            assert isinstance(device, sc.Device), f"the SDK parsed {type(device).__name__}"
            assert HEX24.match(device.id or "") and device.type == "web" and device.status == "active", device
            assert device.guid == "c0ffee" * 5 + "00" and device.integration_id == web_id, device
            assert device.info == {"browserLanguage": "en"}, device.info
            got = devices.get_device(app_id, user, device.id).device
            assert got.id == device.id and got.client_id == device.client_id, got
            sdk = clients.list_clients(app_id, user).clients
            assert [c.type for c in sdk] == ["sdk"] and sdk[0].id == device.client_id, sdk
            self.expect_error(lambda: clients.remove_client(app_id, user, sdk[0].id), 400, "bad_request")
            self.used("CreateIntegration", "ListDevices", "GetDevice", "ListClients", "RemoveClient")
        self.check("A web messenger user: ListDevices and GetDevice show the browser; ListClients the sdk client",
                   ("ListDevices", "GetDevice", "ListClients"), messenger_devices)

        # Twilio (SMS) links: the same operations with a phone number ------------------------
        twilio_token = f"twilio-link-token-{tag}-c0ffee"

        def twilio_setup():
            app_id = self.need("app_id")
            account, service = "AC" + tag.rjust(32, "0")[-32:], "MG" + tag.rjust(32, "0")[-32:]
            resp = integrations.create_integration_with_http_info(app_id, sc.Twilio(
                type="twilio", account_sid=account, auth_token=twilio_token, messaging_service_sid=service))
            self.status(resp, 201)
            got = resp.data.integration
            assert isinstance(got, sc.Twilio), f"the SDK parsed {type(got).__name__}, not Twilio"
            assert (got.account_sid, got.messaging_service_sid) == (account, service), got
            assert got.phone_number_sid is None, got
            text = (resp.raw_data or b"").decode()
            assert twilio_token not in text and '"authToken"' not in text, f"the authToken came back: {text[:300]}"
            s["twilio"] = got.id
            self.used("CreateIntegration")
        self.check("clients: a Twilio integration (messagingServiceSid) through sc.Twilio",
                   ("CreateIntegration",), twilio_setup)

        def create_twilio():
            app_id = self.need("app_id")
            body = sc.ClientCreate(
                match_criteria=sc.MatchCriteria(sc.MatchCriteriaTwilio(
                    type="twilio", integration_id=self.need("twilio"), phone_number="+1 212 555 2368")),
                confirmation=sc.Confirmation(type="userActivity"),
                target=sc.Target(conversation_id=self.need("linker_conversation")))
            resp = clients.create_client_with_http_info(app_id, self.need("linker"), body)
            self.status(resp, 201)
            assert set(self.raw(resp)) == {"client"}, self.raw(resp)
            client = resp.data.client
            assert isinstance(client, sc.Client), f"the SDK parsed {type(client).__name__}"
            assert HEX24.match(client.id or ""), client
            assert client.type == "twilio" and client.status == "pending", client
            assert client.integration_id == self.need("twilio"), client
            assert client.external_id == "+12125552368", f"externalId {client.external_id!r} is not E.164"
            assert set(self.raw(resp)["client"]) >= {"id", "type", "status", "integrationId", "externalId"}, \
                self.raw(resp)
            text = (resp.raw_data or b"").decode()
            assert twilio_token not in text, f"the authToken came back: {text[:300]}"
            s["twilio_client"] = client.id
            self.used("CreateClient")
        self.check("CreateClient (twilio, userActivity) answers 201 with a pending client, externalId in E.164",
                   ("CreateClient",), create_twilio)

        def twilio_errors():
            app_id = self.need("app_id")
            path = "/v2/apps/{appId}/users/{userId}/clients"
            params = {"appId": app_id, "userId": self.need("linker")}
            base = {"confirmation": {"type": "immediate"},
                    "target": {"conversationId": self.need("linker_conversation")}}
            for number in ("212 555 2368", "1 212 555 2368"):
                bad = {**base, "matchCriteria": {"type": "twilio", "integrationId": self.need("twilio"),
                                                 "phoneNumber": number}}
                body = self.expect_error(lambda: self.send_json(self.account, "POST", path, params, bad), 400,
                                         "bad_request")
                assert "phoneNumber" in body["errors"][0]["title"], body
            for kind in ("whatsapp",):
                bad = {**base, "matchCriteria": {"type": kind, "integrationId": self.need("twilio"),
                                                 "phoneNumber": "+12125552368"}}
                self.expect_error(lambda: self.send_json(self.account, "POST", path, params, bad), 400,
                                  "bad_request")
            assert [c.id for c in clients.list_clients(app_id, self.need("linker")).clients] == \
                [self.need("twilio_client")], "a refused link was stored"
            self.used("CreateClient", "ListClients")
        self.check("CreateClient twilio: a number without +country is 400; whatsapp links are 400",
                   ("CreateClient", "ListClients"), twilio_errors)

        def list_twilio():
            app_id, user = self.need("app_id"), self.need("linker")
            resp = clients.list_clients_with_http_info(app_id, user)
            self.status(resp, 200)
            listed = resp.data
            assert [c.id for c in listed.clients] == [self.need("twilio_client")], listed
            got = listed.clients[0]
            assert isinstance(got, sc.Client), f"the SDK parsed {type(got).__name__}"
            assert (got.type, got.status, got.external_id, got.integration_id) == \
                ("twilio", "pending", "+12125552368", self.need("twilio")), got
            assert listed.meta is not None and listed.meta.has_more is False, listed.meta
            self.empty_object(clients.remove_client_with_http_info(app_id, user, self.need("twilio_client")))
            assert clients.list_clients(app_id, user).clients == [], "twilio client still listed"
            self.used("ListClients", "RemoveClient")
        self.check("ListClients shows the pending twilio client; RemoveClient removes it",
                   ("ListClients", "RemoveClient"), list_twilio)

        # WhatsApp links: the same with a whatsapp integration the SDK creates ----------------
        def whatsapp_link():
            app_id, user = self.need("app_id"), self.need("linker")
            integration = integrations.create_integration(app_id, sc.Whatsapp(
                type="whatsapp", account_id=f"waba-link-{tag}")).integration
            body = sc.ClientCreate(
                match_criteria=sc.MatchCriteria(sc.MatchCriteriaWhatsapp(
                    type="whatsapp", integration_id=integration.id, phone_number="+1 212 555 2368")),
                confirmation=sc.Confirmation(type="userActivity"),
                target=sc.Target(conversation_id=self.need("linker_conversation")))
            resp = clients.create_client_with_http_info(app_id, user, body)
            self.status(resp, 201)
            client = resp.data.client
            assert isinstance(client, sc.Client), f"the SDK parsed {type(client).__name__}"
            assert (client.type, client.status, client.external_id, client.integration_id) == \
                ("whatsapp", "pending", "+12125552368", integration.id), client
            listed = clients.list_clients(app_id, user).clients
            assert [(c.id, c.type) for c in listed] == [(client.id, "whatsapp")], listed
            self.empty_object(clients.remove_client_with_http_info(app_id, user, client.id))
            assert clients.list_clients(app_id, user).clients == [], "whatsapp client still listed"
            self.used("CreateIntegration", "CreateClient", "ListClients", "RemoveClient")
        self.check("CreateClient (whatsapp, userActivity) answers 201 with a pending client, externalId in E.164; "
                   "ListClients parses it; RemoveClient removes it",
                   ("CreateIntegration", "CreateClient", "ListClients", "RemoveClient"), whatsapp_link)

        # Clients the channels make: a stranger writes on each, signed as its provider signs --------
        def channel_clients():
            app_id = self.need("app_id")
            base = f"{self.base_url}/v2/apps/{app_id}/integrations"
            made = {}

            def inbound(kind: str, settings: dict, body: dict, headers) -> None:
                integration = self.send_json(self.account, "POST", "/v2/apps/{appId}/integrations", {"appId": app_id},
                                             {"type": kind, **settings}).data["integration"]
                raw = json.dumps(body).encode()
                req = urllib.request.Request(f"{base}/{integration['id']}/inbound/webhook", data=raw, method="POST",
                                             headers={"Content-Type": "application/json", **headers(raw)})
                with urllib.request.urlopen(req, timeout=10) as response:
                    answer = json.loads(response.read())
                outcome = answer["results"][0] if "results" in answer else answer
                assert outcome.get("result") == "stored", f"{kind}: {answer}"
                made[kind] = (integration["id"], outcome["conversationId"])

            def meta(secret: str):
                return lambda raw: {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()}

            secret = f"meta-secret-{tag}"
            # The stand-in's page, and its Instagram business account.
            for kind, obj, account in (("messenger", "page", "1234567890"), ("instagram", "instagram", "17841400000000001")):
                inbound(kind, {"pageAccessToken": f"page-token-{tag}", "appId": "1234", "appSecret": secret},
                        {"object": obj, "entry": [{"id": account, "time": 1790000000000, "messaging": [{
                            "sender": {"id": f"{kind}-person-{tag}"}, "recipient": {"id": "1234567890"},
                            "timestamp": 1790000000000, "message": {"mid": f"m_{kind}_{tag}", "text": "hi"}}]}]},
                        meta(secret))
            inbound("whatsapp", {"accountManagementAccessToken": f"wa-token-{tag}", "phoneNumberId": "106540352242922",
                                 "appSecret": secret},
                    {"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages", "value": {
                        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
                        "contacts": [{"profile": {"name": "Wanda"}, "wa_id": "14155550123"}],
                        "messages": [{"from": "14155550123", "id": f"wamid.{tag}", "timestamp": "1790000000", "type": "text",
                                      "text": {"body": "hi"}}]}}]}]},
                    meta(secret))
            token = f"123456:telegram-clients-{tag}"
            telegram_secret = hmac.new(token.encode(), b"parley-telegram-webhook", hashlib.sha256).hexdigest()
            inbound("telegram", {"token": token},
                    {"update_id": 1, "message": {"message_id": 1, "date": 1790000000, "text": "hi", "chat": {"id": 4242, "type": "private"},
                                                 "from": {"id": 4242, "is_bot": False, "first_name": "Tom"}}},
                    lambda raw: {"X-Telegram-Bot-Api-Secret-Token": telegram_secret})
            parts = sc.ParticipantsApi(self.account)
            # The Messenger stranger's conversation is where PostConversionEvents runs (channel_operations).
            s["messenger_conversation"], s["messenger_psid"] = made["messenger"][1], f"messenger-person-{tag}"
            s["messenger_page_token"] = f"page-token-{tag}"
            for kind, (integration_id, conversation_id) in made.items():
                user_id = parts.list_participants(app_id, conversation_id).participants[0].user_id
                listed = clients.list_clients(app_id, user_id).clients
                assert len(listed) == 1 and isinstance(listed[0], sc.Client), listed
                got = listed[0]
                assert (got.type, got.status, got.integration_id) == (kind, "active", integration_id), got
                assert got.external_id, got
            self.used("CreateIntegration", "ListParticipants", "ListClients")
        self.check("ListClients parses the clients messenger, instagram, whatsapp and telegram make for a stranger who "
                   "writes (each call signed as its provider signs)",
                   ("CreateIntegration", "ListParticipants", "ListClients"), channel_clients)

        # MessageBird links: a phone number, as for Twilio ------------------------------------
        messagebird_key = f"messagebird-access-{tag}-c0ffee"

        def create_messagebird():
            app_id = self.need("app_id")
            resp = integrations.create_integration_with_http_info(app_id, sc.Messagebird(
                type="messagebird", access_key=messagebird_key, signing_key=f"messagebird-signing-{tag}-c0ffee",
                originator="12262121021"))
            self.status(resp, 201)
            got = resp.data.integration
            assert isinstance(got, sc.Messagebird), f"the SDK parsed {type(got).__name__}, not Messagebird"
            assert re.fullmatch(r"[0-9a-f]{32}", got.webhook_secret or ""), got
            text = (resp.raw_data or b"").decode()
            assert messagebird_key not in text and '"signingKey"' not in text, f"a key came back: {text[:300]}"
            body = sc.ClientCreate(
                match_criteria=sc.MatchCriteria(sc.MatchCriteriaMessagebird(
                    type="messagebird", integration_id=got.id, phone_number="+1 212 555 2368")),
                confirmation=sc.Confirmation(type="userActivity"),
                target=sc.Target(conversation_id=self.need("linker_conversation")))
            created = clients.create_client_with_http_info(app_id, self.need("linker"), body)
            self.status(created, 201)
            client = created.data.client
            assert isinstance(client, sc.Client), f"the SDK parsed {type(client).__name__}"
            assert (client.type, client.status, client.integration_id) == ("messagebird", "pending", got.id), client
            assert client.external_id == "+12125552368", f"externalId {client.external_id!r} is not E.164"
            self.empty_object(clients.remove_client_with_http_info(app_id, self.need("linker"), client.id))
            self.used("CreateIntegration", "CreateClient", "RemoveClient")
        self.check("CreateClient (messagebird, userActivity) answers 201 with a pending client, externalId in E.164",
                   ("CreateIntegration", "CreateClient", "RemoveClient"), create_messagebird)

    # -- conversations, participants, messages and activity -------------------------------
    def conversations(self, tag: str) -> None:
        """The 13 conversation operations, on users of their own in the scenario's app."""
        users = sc.UsersApi(self.account)
        convs = sc.ConversationsApi(self.account)
        parts = sc.ParticipantsApi(self.account)
        msgs = sc.MessagesApi(self.account)
        acts = sc.ActivitiesApi(self.account)
        s = self.state
        business = sc.Author(type="business", display_name="Parley Bot",
                             avatar_url="https://example.com/bot.png")

        def by_id(user_id: str) -> sc.ParticipantSubSchema:
            return sc.ParticipantSubSchema(sc.ParticipantWithUserId(user_id=user_id))

        def by_ext(external_id: str) -> sc.ParticipantSubSchema:
            return sc.ParticipantSubSchema(sc.ParticipantWithUserExternalId(user_external_id=external_id))

        def post(conversation_id: str, content: Any, author: sc.Author = business, **extra) -> Any:
            """PostMessage through the SDK; returns the one message of a 201."""
            resp = msgs.post_message_with_http_info(
                self.need("app_id"), conversation_id,
                sc.MessagePost(author=author, content=sc.Content(content), **extra))
            self.status(resp, 201)
            body = resp.data
            assert body.messages is not None and len(body.messages) == 1, self.raw(resp)
            m = body.messages[0]
            assert HEX24.match(m.id or ""), f"message id {m.id!r} is not 24 hex"
            assert m.received and DATETIME.match(m.received), f"received {m.received!r}"
            assert m.source is not None and m.source.type == "api:conversations", m.source
            assert m.content is not None and m.content.actual_instance is not None, "no content"
            assert type(m.content.actual_instance) is type(content), \
                f"content parsed as {type(m.content.actual_instance).__name__}"
            s.setdefault("posted", []).append(m.id)
            s.setdefault("posted_raw", {})[m.id] = self.raw(resp)["messages"][0]
            self.used("PostMessage")
            return m

        def participants(conversation_id: str) -> dict[str, Any]:
            resp = parts.list_participants_with_http_info(self.need("app_id"), conversation_id)
            self.status(resp, 200)
            self.used("ListParticipants")
            return {p.user_id: p for p in resp.data.participants}

        # Users of the conversation checks ------------------------------------------------
        def make_users():
            app_id = self.need("app_id")
            for name in ("alice", "bob", "carol", "dave"):
                ext = f"{name}-{tag}"
                s[name] = users.create_user(app_id, sc.UserCreateBody(external_id=ext)).user.id
                s[name + "_ext"] = ext
            self.used("CreateUser")
        self.check("CreateUser four users for the conversation checks", ("CreateUser",), make_users)

        # CreateConversation ---------------------------------------------------------------
        def create_personal():
            body = sc.ConversationCreateBody(
                type="personal", participants=[by_id(self.need("alice"))],
                display_name="Alice and us", description="Alice's support line",
                icon_url="https://example.com/alice.png", metadata={"lang": "en", "tier": 2, "vip": True})
            resp = convs.create_conversation_with_http_info(self.need("app_id"), body)
            self.status(resp, 201)
            c = resp.data.conversation
            assert set(self.raw(resp)) == {"conversation"}, self.raw(resp)
            assert HEX24.match(c.id or ""), f"conversation id {c.id!r} is not 24 hex"
            assert c.type == "personal", c.type
            assert c.is_default is True, f"isDefault {c.is_default!r}: the user's first personal conversation"
            assert (c.display_name, c.description, c.icon_url) == \
                ("Alice and us", "Alice's support line", "https://example.com/alice.png"), c
            assert c.metadata == {"lang": "en", "tier": 2, "vip": True}, c.metadata
            assert c.created_at and DATETIME.match(c.created_at), c.created_at
            assert c.last_updated_at == c.created_at, \
                f"lastUpdatedAt {c.last_updated_at} is not the creation time {c.created_at}"
            assert c.business_last_read is None, f"businessLastRead {c.business_last_read!r} before any read"
            s["personal"] = c.id
            self.used("CreateConversation")
        self.check("CreateConversation personal: 201 {conversation}, isDefault true, fields as sent",
                   ("CreateConversation",), create_personal)

        def create_second_personal():
            resp = convs.create_conversation_with_http_info(self.need("app_id"), sc.ConversationCreateBody(
                type="personal", participants=[by_ext(self.need("alice_ext"))]))
            self.status(resp, 201)
            c = resp.data.conversation
            assert c.type == "personal" and c.is_default is False, \
                f"a second personal conversation has isDefault {c.is_default!r}"
            assert c.display_name is None and c.metadata is None, c
            s["personal2"] = c.id
            self.used("CreateConversation")
        self.check("CreateConversation second personal (by userExternalId) has isDefault false",
                   ("CreateConversation",), create_second_personal)

        def create_group():
            resp = convs.create_conversation_with_http_info(self.need("app_id"), sc.ConversationCreateBody(
                type="sdkGroup", participants=[by_id(self.need("alice")), by_ext(self.need("bob_ext"))],
                display_name="Team"))
            self.status(resp, 201)
            c = resp.data.conversation
            assert c.type == "sdkGroup" and c.is_default is False, c
            s["group"] = c.id
            got = participants(c.id)
            assert set(got) == {s["alice"], s["bob"]}, f"participants {list(got)}"
            assert got[s["bob"]].user_external_id == s["bob_ext"], got[s["bob"]]
            self.used("CreateConversation")
        self.check("CreateConversation sdkGroup with two participants (userId and userExternalId)",
                   ("CreateConversation", "ListParticipants"), create_group)

        def create_errors():
            app_id = self.need("app_id")
            alice, bob = self.need("alice"), self.need("bob")
            self.expect_error(lambda: convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="personal")), 400, "bad_request")
            self.expect_error(lambda: convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="personal", participants=[by_id(alice), by_id(bob)])), 400, "bad_request")
            self.expect_error(lambda: convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="sdkGroup", participants=[by_id("f" * 24)])), 404, "user_not_found")
            self.expect_error(lambda: convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="personal", participants=[by_ext("nobody-" + tag)])), 404, "user_not_found")
            self.expect_error(lambda: convs.create_conversation("0" * 24, sc.ConversationCreateBody(
                type="sdkGroup")), 404, "app_not_found")
            self.used("CreateConversation")
        self.check("CreateConversation: personal needs exactly 1 participant (400); unknown user 404 "
                   "user_not_found; unknown app 404 app_not_found",
                   ("CreateConversation",), create_errors)

        # GetConversation / UpdateConversation -------------------------------------------------
        def get_conversation():
            resp = convs.get_conversation_with_http_info(self.need("app_id"), self.need("personal"))
            self.status(resp, 200)
            c = resp.data.conversation
            assert c.id == s["personal"] and c.is_default is True and c.display_name == "Alice and us", c
            assert c.metadata == {"lang": "en", "tier": 2, "vip": True}, c.metadata
            self.expect_error(lambda: convs.get_conversation(s["app_id"], "f" * 24), 404,
                              "conversation_not_found")
            self.used("GetConversation")
        self.check("GetConversation returns the conversation; unknown id 404 conversation_not_found",
                   ("GetConversation",), get_conversation)

        def update_conversation():
            resp = convs.update_conversation_with_http_info(
                self.need("app_id"), self.need("personal"),
                sc.ConversationUpdateBody(display_name="Alice (renamed)", metadata={"lang": "fr"}))
            self.status(resp, 200)
            c = resp.data.conversation
            assert c.display_name == "Alice (renamed)", c.display_name
            assert c.metadata == {"lang": "fr"}, f"metadata {c.metadata} (replaced as a whole, like apps/users)"
            assert c.description == "Alice's support line" and c.icon_url == "https://example.com/alice.png", \
                f"fields not sent were changed: {c}"
            assert c.is_default is True and c.type == "personal", c
            again = convs.get_conversation(s["app_id"], s["personal"]).conversation
            assert again.display_name == "Alice (renamed)", "GetConversation does not show the update"
            self.expect_error(lambda: convs.update_conversation(
                s["app_id"], "f" * 24, sc.ConversationUpdateBody(display_name="x")), 404,
                "conversation_not_found")
            self.used("UpdateConversation", "GetConversation")
        self.check("UpdateConversation changes displayName/metadata, keeps the rest; unknown id 404",
                   ("UpdateConversation", "GetConversation"), update_conversation)

        # ListConversations ------------------------------------------------------------------
        def list_conversations():
            app_id = self.need("app_id")
            wanted = [self.need("personal"), self.need("personal2"), self.need("group")]
            resp = convs.list_conversations_with_http_info(app_id, sc.ConversationListFilter(user_id=s["alice"]))
            self.status(resp, 200)
            got = [c.id for c in resp.data.conversations]
            assert sorted(got) == sorted(wanted), f"alice's conversations {got} != {wanted}"
            assert resp.data.meta is not None and resp.data.meta.has_more is False, resp.data.meta
            by_ext_resp = convs.list_conversations(
                app_id, sc.ConversationListFilter(user_external_id=s["bob_ext"]))
            assert [c.id for c in by_ext_resp.conversations] == [s["group"]], \
                f"bob's conversations {[c.id for c in by_ext_resp.conversations]}"
            seen, after, pages = [], None, 0
            while True:
                page = sc.Page(size=2) if after is None else sc.Page(size=2, after=after)
                body = convs.list_conversations(app_id, sc.ConversationListFilter(user_id=s["alice"]), page=page)
                pages += 1
                assert len(body.conversations) <= 2, f"page[size]=2 gave {len(body.conversations)}"
                seen += [c.id for c in body.conversations]
                if not body.meta.has_more:
                    break
                after = body.meta.after_cursor
                assert after and HEX24.match(after), f"afterCursor {after!r}"
                assert pages < 10, "paging does not end"
            assert pages == 2 and sorted(seen) == sorted(wanted), f"{pages} pages: {seen}"
            self.used("ListConversations")
            return f"{len(seen)} conversations over {pages} pages of 2"
        self.check("ListConversations filter[userId] / filter[userExternalId], paged with page[size]=2",
                   ("ListConversations",), list_conversations)

        def list_conversations_errors():
            app_id = self.need("app_id")
            self.expect_error(lambda: convs.list_conversations(app_id, sc.ConversationListFilter()),
                              400, "bad_request")
            self.expect_error(lambda: convs.list_conversations(app_id, sc.ConversationListFilter(
                user_id=self.need("alice"), user_external_id=s["alice_ext"])), 400, "bad_request")
            self.expect_error(lambda: convs.list_conversations(app_id, sc.ConversationListFilter(
                user_id="f" * 24)), 404, "user_not_found")
            self.used("ListConversations")
        self.check("ListConversations without a filter or with both is 400; unknown user 404 user_not_found",
                   ("ListConversations",), list_conversations_errors)

        # Participants ---------------------------------------------------------------------
        def list_participants():
            resp = parts.list_participants_with_http_info(self.need("app_id"), self.need("group"))
            self.status(resp, 200)
            raw = self.raw(resp)
            assert set(raw) == {"participants", "meta", "links"}, raw
            for p in resp.data.participants:
                assert HEX24.match(p.id or ""), f"participant id {p.id!r}"
                assert p.unread_count == 0, f"unreadCount {p.unread_count} before any message"
                assert p.client_associations == [], p.client_associations
                assert p.last_read is None, f"lastRead {p.last_read!r} before any read"
            ids = {p.user_id: p.user_external_id for p in resp.data.participants}
            assert ids == {s["alice"]: s["alice_ext"], s["bob"]: s["bob_ext"]}, ids
            assert resp.data.meta.has_more is False, resp.data.meta
            paged = parts.list_participants(s["app_id"], s["group"], page=sc.Page(size=1))
            assert len(paged.participants) == 1 and paged.meta.has_more is True, paged.meta
            rest = parts.list_participants(s["app_id"], s["group"],
                                           page=sc.Page(size=1, after=paged.meta.after_cursor))
            assert [p.id for p in rest.participants] != [p.id for p in paged.participants], "page 2 = page 1"
            assert rest.meta.has_more is False, rest.meta
            self.expect_error(lambda: parts.list_participants(s["app_id"], "f" * 24), 404,
                              "conversation_not_found")
            self.used("ListParticipants")
        self.check("ListParticipants: {participants, meta, links}, unreadCount 0, paging, unknown 404",
                   ("ListParticipants",), list_participants)

        def join():
            app_id, group = self.need("app_id"), self.need("group")
            resp = parts.join_conversation_with_http_info(
                app_id, group, sc.ParticipantJoinBody(user_id=self.need("carol"), subscribe_sdk_client=False))
            self.status(resp, 201)
            p = resp.data.participant
            assert set(self.raw(resp)) == {"participant"}, self.raw(resp)
            assert HEX24.match(p.id or "") and p.user_id == s["carol"], p
            assert p.user_external_id == s["carol_ext"] and p.unread_count == 0, p
            assert p.client_associations == [], p.client_associations
            listed = participants(group)
            assert s["carol"] in listed and listed[s["carol"]].id == p.id, "joined user not listed"
            s["carol_participant"] = p.id
            self.used("JoinConversation")
        self.check("JoinConversation adds a user to an sdkGroup: 201 {participant}; ListParticipants agrees",
                   ("JoinConversation", "ListParticipants"), join)

        def join_errors():
            app_id = self.need("app_id")
            self.expect_error(lambda: parts.join_conversation(app_id, self.need("personal"),
                              sc.ParticipantJoinBody(user_id=self.need("dave"))), 400, "bad_request")
            self.expect_error(lambda: parts.join_conversation(app_id, self.need("group"),
                              sc.ParticipantJoinBody(user_id="f" * 24)), 404, "user_not_found")
            self.expect_error(lambda: parts.join_conversation(app_id, "f" * 24,
                              sc.ParticipantJoinBody(user_id=s["dave"])), 404, "conversation_not_found")
            self.used("JoinConversation")
        self.check("JoinConversation: a personal conversation is 400; unknown user / conversation 404",
                   ("JoinConversation",), join_errors)

        def leave_three_ways():
            app_id, group = self.need("app_id"), self.need("group")
            carol, ext = self.need("carol"), s["carol_ext"]
            leave = lambda inner: parts.leave_conversation_with_http_info(
                app_id, group, sc.ParticipantLeaveBody(inner))
            self.empty_object(leave(sc.ParticipantLeaveBodyUserId(user_id=carol)))
            assert carol not in participants(group), "left by userId but still listed"
            self.expect_error(lambda: leave(sc.ParticipantLeaveBodyUserId(user_id=carol)), 404, "not_found")
            parts.join_conversation(app_id, group, sc.ParticipantJoinBody(user_external_id=ext))
            self.empty_object(leave(sc.ParticipantLeaveBodyUserExternalId(user_external_id=ext)))
            assert carol not in participants(group), "left by userExternalId but still listed"
            joined = parts.join_conversation(app_id, group, sc.ParticipantJoinBody(user_id=carol)).participant
            self.empty_object(leave(sc.ParticipantLeaveBodyParticipantId(participant_id=joined.id)))
            assert carol not in participants(group), "left by participantId but still listed"
            self.expect_error(lambda: leave(sc.ParticipantLeaveBodyParticipantId(participant_id=joined.id)),
                              404, "not_found")
            self.used("LeaveConversation", "JoinConversation")
        self.check("LeaveConversation by userId, userExternalId and participantId: 200 {}; again 404 not_found",
                   ("LeaveConversation", "JoinConversation", "ListParticipants"), leave_three_ways)

        # PostMessage: every content type -----------------------------------------------------
        all_actions = [
            sc.Action(sc.Buy(type="buy", text="Buy it", amount=999, currency="usd", metadata={"sku": "A1"})),
            sc.Action(sc.Link(type="link", text="Read more", uri="https://example.com/more",
                              default=False, metadata={"n": 1})),
            sc.Action(sc.LocationRequest(type="locationRequest", text="Where are you?")),
            sc.Action(sc.Postback(type="postback", text="Pick", payload="PICKED")),
            sc.Action(sc.Reply(type="reply", text="Yes", payload="YES",
                               icon_url="https://example.com/yes.png")),
            sc.Action(sc.Webview(type="webview", text="Open", uri="https://example.com/app",
                                 fallback="https://example.com/fallback", size="tall")),
        ]

        def post_text_actions():
            m = post(self.need("group"), sc.TextMessage(type="text", text="Hello, every action",
                                                        actions=all_actions),
                     metadata={"campaign": "spring", "n": 3})
            c = m.content.actual_instance
            assert c.text == "Hello, every action", c.text
            assert m.author.type == "business" and m.author.display_name == "Parley Bot", m.author
            assert m.author.avatar_url == "https://example.com/bot.png", m.author
            assert m.metadata == {"campaign": "spring", "n": 3}, m.metadata
            kinds = [type(a.actual_instance).__name__ for a in c.actions or []]
            assert kinds == ["Buy", "Link", "LocationRequest", "Postback", "Reply", "Webview"], kinds
            buy, link, where, back, reply, web = (a.actual_instance for a in c.actions)
            assert (buy.text, buy.amount, buy.currency, buy.metadata) == ("Buy it", 999, "usd", {"sku": "A1"}), buy
            assert (link.uri, link.default, link.metadata) == ("https://example.com/more", False, {"n": 1}), link
            assert where.text == "Where are you?", where
            assert (back.payload, reply.payload, reply.icon_url) == \
                ("PICKED", "YES", "https://example.com/yes.png"), (back, reply)
            assert (web.uri, web.fallback, web.size) == \
                ("https://example.com/app", "https://example.com/fallback", "tall"), web
        self.check("PostMessage text with all six action types: 201, parsed, every field as sent",
                   ("PostMessage",), post_text_actions)

        def post_markdown():
            m = post(self.need("group"), sc.TextMessage(type="text", text="Bold and italic",
                                                        markdown_text="**Bold** and _italic_"))
            c = m.content.actual_instance
            assert c.html_text and "<strong>Bold</strong>" in c.html_text and "<em>italic</em>" in c.html_text, \
                f"htmlText {c.html_text!r}"
            assert c.markdown_text is None, "markdownText (write-only) was echoed"
            assert c.text == "Bold and italic", c.text
        self.check("PostMessage text with markdownText: htmlText rendered, markdownText not echoed",
                   ("PostMessage",), post_markdown)

        def rich_text_fallback():
            # htmlText/markdownText: "If no `text` is provided, will be converted to `text` upon
            # reception to be displayed on channels that do not support rich text."
            md = post(self.need("group"), sc.TextMessage(type="text", markdown_text="**Hello** there"))
            html = post(s["group"], sc.TextMessage(type="text", html_text="<p><b>Hi</b> you</p>"))
            problems = []
            for m, want in ((md, "Hello there"), (html, "Hi you")):
                c = m.content.actual_instance
                if not c.text or want not in c.text:
                    problems.append(f"{c.to_dict()} has no plain-text `text` ({want!r})")
            assert not problems, "; ".join(problems)
        self.check("PostMessage markdownText/htmlText without text: the server adds a plain `text`",
                   ("PostMessage",), rich_text_fallback)

        def post_image():
            m = post(self.need("group"), sc.ImageMessage(
                type="image", media_url="https://example.com/cat.png", alt_text="A cat", text="Look",
                actions=[sc.Action(sc.Link(type="link", text="Source", uri="https://example.com"))]))
            c = m.content.actual_instance
            assert (c.media_url, c.alt_text, c.text) == ("https://example.com/cat.png", "A cat", "Look"), c
            assert [a.actual_instance.uri for a in c.actions] == ["https://example.com"], c.actions
        self.check("PostMessage image: mediaUrl, altText, text and actions as sent", ("PostMessage",), post_image)

        def post_file():
            m = post(self.need("group"), sc.FileMessage(
                type="file", media_url="https://example.com/faq.pdf", alt_text="FAQ.pdf", text="Our FAQ"))
            c = m.content.actual_instance
            assert (c.media_url, c.alt_text, c.text) == ("https://example.com/faq.pdf", "FAQ.pdf", "Our FAQ"), c
        self.check("PostMessage file: mediaUrl, altText and text as sent", ("PostMessage",), post_file)

        def item(title: str, *actions: Any, **fields) -> sc.Item:
            return sc.Item(title=title, actions=[sc.ActionSubset(a) for a in actions], **fields)

        def post_carousel():
            m = post(self.need("group"), sc.CarouselMessage(
                type="carousel",
                items=[item("Tacos", sc.Postback(type="postback", text="Select", payload="TACOS"),
                            sc.Link(type="link", text="More", uri="https://example.com/tacos"),
                            description="Get your tacos", media_url="https://example.com/t.jpg",
                            alt_text="A taco", size="compact", metadata={"id": 1}),
                       item("Ramen", sc.Buy(type="buy", text="Buy", amount=1200, currency="eur"),
                            sc.Webview(type="webview", text="Menu", uri="https://example.com/menu",
                                       fallback="https://example.com/m"))],
                display_settings=sc.CarouselMessageDisplaySettings(image_aspect_ratio="square")))
            c = m.content.actual_instance
            assert [i.title for i in c.items] == ["Tacos", "Ramen"], c.items
            tacos = c.items[0]
            assert (tacos.description, tacos.media_url, tacos.alt_text, tacos.size, tacos.metadata) == \
                ("Get your tacos", "https://example.com/t.jpg", "A taco", "compact", {"id": 1}), tacos
            kinds = [[type(a.actual_instance).__name__ for a in i.actions] for i in c.items]
            assert kinds == [["Postback", "Link"], ["Buy", "Webview"]], kinds
            assert c.display_settings and c.display_settings.image_aspect_ratio == "square", c.display_settings
            assert isinstance(c.text, str) and "Tacos" in c.text and "Ramen" in c.text, \
                f"fallback text {c.text!r} does not name the items"
        self.check("PostMessage carousel: items, subset actions, displaySettings; a fallback text",
                   ("PostMessage",), post_carousel)

        def carousel_documented_fallback():
            # The spec's own request example `carousel` and its documented response `carousel-2`.
            def spec_item(title, text, payload):
                return item(title, sc.Postback(type="postback", text="Select", payload=payload),
                            sc.Link(type="link", text="More info", uri="https://example.org"),
                            description=text, media_url="https://example.org/image.jpg", size="compact")
            m = post(self.need("group"), sc.CarouselMessage(type="carousel", items=[
                spec_item("Tacos", "Get your tacos today!", "TACOS"),
                spec_item("Ramen", "Get your ramen today!", "RAMEN")]))
            want = ("1. Tacos\nGet your tacos today!\nMore info: https://example.org\n\n"
                    "2. Ramen\nGet your ramen today!\nMore info: https://example.org")
            got = m.content.actual_instance.text
            assert got == want, f"fallback text {got!r}, documented (example carousel-2) {want!r}"
        self.check("PostMessage carousel of the spec's example gets the documented fallback text "
                   "(examples carousel / carousel-2)", ("PostMessage",), carousel_documented_fallback)

        def post_list():
            m = post(self.need("group"), sc.ListMessage(
                type="list",
                items=[item("One", sc.Link(type="link", text="Go", uri="https://example.com/1")),
                       item("Two", sc.Postback(type="postback", text="Pick", payload="TWO"))],
                actions=[sc.ActionSubset(sc.Postback(type="postback", text="More", payload="MORE"))]))
            c = m.content.actual_instance
            assert [i.title for i in c.items] == ["One", "Two"], c.items
            assert [a.actual_instance.payload for a in c.actions] == ["MORE"], c.actions
        self.check("PostMessage list: items and list actions as sent", ("PostMessage",), post_list)

        def post_location():
            m = post(self.need("group"), sc.LocationMessage(
                type="location", coordinates=sc.LocationMessageCoordinates(lat=45.5261583, long=-73.595346),
                location=sc.LocationMessageLocation(address="5333 avenue Casgrain", name="Zendesk Montréal")))
            c = m.content.actual_instance
            assert (c.coordinates.lat, c.coordinates.long) == (45.5261583, -73.595346), c.coordinates
            assert (c.location.address, c.location.name) == ("5333 avenue Casgrain", "Zendesk Montréal"), c.location
            want = "Location shared:\nhttps://maps.google.com/maps?q=45.5261583,-73.595346"
            assert c.text == want, f"fallback text {c.text!r}, documented (example location-2) {want!r}"
        self.check("PostMessage location: coordinates, location and the documented fallback text",
                   ("PostMessage",), post_location)

        def post_form():
            m = post(self.need("group"), sc.FormMessage(type="form", block_chat_input=True, fields=[
                sc.FormMessageField(type="text", name="full_name", label="Your name?",
                                    placeholder="Type your name...", min_size=2, max_size=30),
                sc.FormMessageField(type="email", name="email", label="Your email?"),
                sc.FormMessageField(type="select", name="meal", label="Meal?", options=[
                    sc.FormOptionsInner(label="Tacos", name="tacos"),
                    sc.FormOptionsInner(label="Ramen", name="ramen")])]))
            c = m.content.actual_instance
            assert c.submitted is False, f"submitted {c.submitted!r} (a new form is not submitted)"
            assert c.block_chat_input is True, c.block_chat_input
            raw = {f["name"]: f for f in m.content.to_dict()["fields"]}
            assert (raw["full_name"]["minSize"], raw["full_name"]["maxSize"]) == (2, 30), raw["full_name"]
            assert raw["full_name"]["placeholder"] == "Type your name...", raw["full_name"]
            assert (raw["email"].get("minSize"), raw["email"].get("maxSize")) == (1, 128), \
                f"defaults minSize 1 / maxSize 128 not applied: {raw['email']}"
            assert [o["name"] for o in raw["meal"]["options"]] == ["tacos", "ramen"], raw["meal"]
        self.check("PostMessage form: fields as sent, minSize/maxSize defaults 1/128, submitted false",
                   ("PostMessage",), post_form)

        template = {"namespace": "ns_1", "name": "hello_world",
                    "language": {"policy": "deterministic", "code": "en_US"},
                    "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ada"}]}]}

        def post_template():
            m = post(self.need("group"), sc.TemplateMessage(type="template", template=template),
                     var_schema="whatsapp")
            assert m.content.actual_instance.template == template, m.content.actual_instance.template
        self.check("PostMessage template with schema whatsapp: the template as sent",
                   ("PostMessage",), post_template)

        def post_refused():
            app_id, group = self.need("app_id"), self.need("group")
            form_response = sc.FormResponseMessage(type="formResponse", fields=[
                sc.FormResponseMessageField(type="text", name="full_name", label="Name", text="Ada")])
            for content, extra in ((form_response, {}),
                                   (sc.TemplateMessage(type="template", template=template), {})):
                self.expect_error(lambda: msgs.post_message(app_id, group, sc.MessagePost(
                    author=business, content=sc.Content(content), **extra)), 400, "bad_request")
            self.used("PostMessage")
        self.check("PostMessage formResponse is 400 (cannot be sent via the API); template without "
                   "schema whatsapp is 400", ("PostMessage",), post_refused)

        def post_as_user():
            group, alice = self.need("group"), self.need("alice")
            m = post(group, sc.TextMessage(type="text", text="Hi, it's Alice"),
                     author=sc.Author(type="user", user_id=alice, display_name="Alice"))
            assert m.author.type == "user" and m.author.user_id == alice, m.author
            assert m.author.display_name == "Alice", m.author
            m2 = post(group, sc.TextMessage(type="text", text="Alice again"),
                      author=sc.Author(type="user", user_external_id=s["alice_ext"]))
            assert m2.author.user_id == alice, f"author by userExternalId resolved to {m2.author.user_id}"
            s["alice_messages"] = 2
        self.check("PostMessage as a user (by userId and by userExternalId): author.userId is the user",
                   ("PostMessage",), post_as_user)

        def post_errors():
            app_id, group = self.need("app_id"), self.need("group")
            text = sc.Content(sc.TextMessage(type="text", text="x"))
            self.expect_error(lambda: msgs.post_message(app_id, group, sc.MessagePost(
                author=sc.Author(type="user", user_id=self.need("dave")), content=text)), 400, "bad_request")
            self.expect_error(lambda: msgs.post_message(app_id, group, sc.MessagePost(
                author=sc.Author(type="user", user_id="f" * 24), content=text)), 404, "user_not_found")
            self.expect_error(lambda: msgs.post_message(app_id, "f" * 24, sc.MessagePost(
                author=business, content=text)), 404, "conversation_not_found")
            self.used("PostMessage")
        self.check("PostMessage: a user who is not a participant is 400; unknown user 404 user_not_found; "
                   "unknown conversation 404 conversation_not_found", ("PostMessage",), post_errors)

        def conversation_touched():
            posted = s.get("posted") or []
            assert posted, "nothing was posted"
            last = msgs.list_messages(self.need("app_id"), s["group"]).messages[-1]
            c = convs.get_conversation(s["app_id"], s["group"]).conversation
            assert c.last_updated_at == last.received, \
                f"lastUpdatedAt {c.last_updated_at} is not the last message's received {last.received}"
            self.used("GetConversation", "ListMessages")
        self.check("GetConversation lastUpdatedAt is the last message's received time",
                   ("GetConversation", "ListMessages"), conversation_touched)

        # Unread counts and PostActivity --------------------------------------------------------
        def unread_and_read():
            app_id, group = self.need("app_id"), self.need("group")
            before = participants(group)
            bob_before = before[self.need("bob")].unread_count
            assert bob_before == len(s.get("posted") or []), \
                f"bob's unreadCount {bob_before}, but {len(s.get('posted') or [])} messages were posted"
            post(group, sc.TextMessage(type="text", text="One more"))
            counted = participants(group)
            for who in ("alice", "bob"):
                assert counted[s[who]].unread_count == before[s[who]].unread_count + 1, \
                    f"{who}'s unreadCount went {before[s[who]].unread_count} -> {counted[s[who]].unread_count}"
            bob_before += 1
            resp = acts.post_activity_with_http_info(app_id, group, sc.ActivityPost(
                type="conversation:read", author=sc.Author(type="user", user_id=s["alice"])))
            self.empty_object(resp)
            after = participants(group)
            assert after[s["alice"]].unread_count == 0, f"unreadCount {after[s['alice']].unread_count} after read"
            assert after[s["alice"]].last_read and DATETIME.match(after[s["alice"]].last_read), after[s["alice"]]
            assert after[s["bob"]].unread_count == bob_before, "bob's count changed by alice's read"
            self.used("PostActivity")
        self.check("unreadCount counts every message, +1 per business message, and resets to 0 (with "
                   "lastRead) after the user's own conversation:read", ("PostMessage", "ListParticipants", "PostActivity"), unread_and_read)

        def business_activity():
            app_id, group = self.need("app_id"), self.need("group")
            for kind in ("typing:start", "typing:stop", "conversation:read"):
                self.empty_object(acts.post_activity_with_http_info(app_id, group, sc.ActivityPost(
                    type=kind, author=business)))
            c = convs.get_conversation(app_id, group).conversation
            assert c.business_last_read and DATETIME.match(c.business_last_read), \
                f"businessLastRead {c.business_last_read!r} after a business conversation:read"
            self.used("PostActivity", "GetConversation")
        self.check("PostActivity business typing:start/stop and conversation:read: 200 {}; "
                   "businessLastRead set", ("PostActivity", "GetConversation"), business_activity)

        def activity_errors():
            app_id, group = self.need("app_id"), self.need("group")
            self.expect_error(lambda: acts.post_activity(app_id, group, sc.ActivityPost(
                type="typing:start", author=sc.Author(type="user", user_id=self.need("alice")))),
                400, "bad_request")
            self.expect_error(lambda: acts.post_activity(app_id, "f" * 24, sc.ActivityPost(
                type="typing:start", author=business)), 404, "conversation_not_found")
            self.used("PostActivity")
        self.check("PostActivity: a user may only send conversation:read (400); unknown conversation 404",
                   ("PostActivity",), activity_errors)

        # ListMessages ---------------------------------------------------------------------------
        def list_messages():
            resp = msgs.list_messages_with_http_info(self.need("app_id"), self.need("group"))
            self.status(resp, 200)
            assert set(self.raw(resp)) == {"messages", "meta", "links"}, set(self.raw(resp))
            got = [m.id for m in resp.data.messages]
            assert got == s["posted"], f"ListMessages order {got} is not the posting order {s['posted']}"
            assert resp.data.meta.has_more is False, resp.data.meta
            for listed in self.raw(resp)["messages"]:
                posted = s["posted_raw"][listed["id"]]
                assert listed == posted, f"listed {listed} differs from the PostMessage answer {posted}"
            kinds = [type(m.content.actual_instance).__name__ for m in resp.data.messages]
            for kind in ("TextMessage", "ImageMessage", "FileMessage", "CarouselMessage", "ListMessage",
                         "LocationMessage", "FormMessage", "TemplateMessage"):
                assert kind in kinds, f"the SDK did not parse a listed {kind} ({kinds})"
            self.expect_error(lambda: msgs.list_messages(s["app_id"], "f" * 24), 404)
            self.used("ListMessages")
        self.check("ListMessages returns every posted message, oldest first, as posted; unknown 404",
                   ("ListMessages",), list_messages)

        def list_messages_paging():
            app_id = self.need("app_id")
            conv = convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="sdkGroup", display_name="paging")).conversation.id
            s["paging_conversation"] = conv
            texts = [f"m{n:03d}" for n in range(130)]
            for text in texts:
                msgs.post_message(app_id, conv, sc.MessagePost(
                    author=business, content=sc.Content(sc.TextMessage(type="text", text=text))))
            self.used("PostMessage", "CreateConversation")

            def page_texts(body):
                return [m.content.actual_instance.text for m in body.messages]

            newest = msgs.list_messages(app_id, conv)
            assert page_texts(newest) == texts[30:], \
                f"first page {page_texts(newest)[:2]}…{page_texts(newest)[-2:]} is not the newest 100, oldest first"
            assert newest.meta.has_more is True, newest.meta
            before = newest.meta.before_cursor
            assert before and HEX24.match(before), f"beforeCursor {before!r}"
            prev = newest.links.prev if newest.links else None
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(prev or "").query)
            assert query.get("page[before]") == [before], f"links.prev {prev!r} lacks page[before]={before}"
            older = msgs.list_messages(app_id, conv, page=sc.Page(before=before))
            assert page_texts(older) == texts[:30], f"page[before] gave {page_texts(older)}"
            assert older.meta.has_more is False, older.meta
            after = older.meta.after_cursor
            assert after and HEX24.match(after), f"the older page has no afterCursor: {older.meta}"
            again = msgs.list_messages(app_id, conv, page=sc.Page(after=after))
            assert page_texts(again) == texts[30:], "page[after] of the older page is not the newest page"
            sized = msgs.list_messages(app_id, conv, page=sc.Page(size=5))
            assert len(sized.messages) == 100, f"page[size]=5 gave {len(sized.messages)}: it does not apply"
            self.used("ListMessages")
            return "130 messages: 100 + 30"
        self.check("ListMessages over 130 messages: newest 100 first, page[before]=beforeCursor gives "
                   "the 30 older, page[after] back; page[size] ignored",
                   ("ListMessages", "PostMessage", "CreateConversation"), list_messages_paging)

        # Deletes -------------------------------------------------------------------------------
        def delete_message():
            app_id, group = self.need("app_id"), self.need("group")
            victim = self.need("posted")[1]
            self.empty_object(msgs.delete_message_with_http_info(app_id, group, victim))
            listed = [m.id for m in msgs.list_messages(app_id, group).messages]
            assert victim not in listed, "deleted message still listed"
            assert len(listed) == len(s["posted"]) - 1, f"{len(listed)} listed after deleting one"
            self.expect_error(lambda: msgs.delete_message(app_id, group, victim), 404, "not_found")
            self.expect_error(lambda: msgs.delete_message(app_id, "f" * 24, victim), 404,
                              "conversation_not_found")
            self.used("DeleteMessage", "ListMessages")
        self.check("DeleteMessage: 200 {}; gone from ListMessages; again 404 not_found; unknown "
                   "conversation 404 conversation_not_found", ("DeleteMessage", "ListMessages"), delete_message)

        def delete_all_messages():
            app_id, conv = self.need("app_id"), self.need("paging_conversation")
            self.empty_object(msgs.delete_all_messages_with_http_info(app_id, conv))
            body = msgs.list_messages(app_id, conv)
            assert body.messages == [] and body.meta.has_more is False, \
                f"{len(body.messages)} messages left after DeleteAllMessages"
            assert convs.get_conversation(app_id, conv).conversation.id == conv, "the conversation went too"
            self.expect_error(lambda: msgs.delete_all_messages(app_id, "f" * 24), 404,
                              "conversation_not_found")
            self.used("DeleteAllMessages", "ListMessages", "GetConversation")
        self.check("DeleteAllMessages: 200 {}; ListMessages is empty, the conversation stays; unknown 404",
                   ("DeleteAllMessages", "ListMessages", "GetConversation"), delete_all_messages)

        def delete_conversations():
            app_id = self.need("app_id")
            body = self.expect_error(lambda: convs.delete_conversation(app_id, self.need("personal")),
                                     400, "bad_request")
            assert "default" in body["errors"][0]["title"], body
            for conv in (self.need("group"), self.need("personal2"), self.need("paging_conversation")):
                self.empty_object(convs.delete_conversation_with_http_info(app_id, conv))
                self.expect_error(lambda: convs.get_conversation(app_id, conv), 404, "conversation_not_found")
                self.expect_error(lambda: convs.delete_conversation(app_id, conv), 404,
                                  "conversation_not_found")
            left = [c.id for c in convs.list_conversations(
                app_id, sc.ConversationListFilter(user_id=s["alice"])).conversations]
            assert left == [s["personal"]], f"alice still lists {left}"
            self.used("DeleteConversation", "GetConversation", "ListConversations")
        self.check("DeleteConversation: the default conversation is 400; others 200 {} and then 404 "
                   "conversation_not_found", ("DeleteConversation", "GetConversation", "ListConversations"),
                   delete_conversations)

    # -- integrations, custom integration keys and webhooks ----------------------------------
    def integrations(self, tag: str) -> None:
        """The 14 integration, custom integration key and webhook operations, in the scenario's app."""
        integ = sc.IntegrationsApi(self.account)
        ikeys = sc.CustomIntegrationApiKeysApi(self.account)
        hooks = sc.WebhooksApi(self.account)
        s = self.state
        # Write-only credentials (spec: writeOnly); none of them may come back in any response.
        creds = {"apiKey": f"mailgun-key-{tag}-c0ffee", "token": f"123456:telegram-{tag}-c0ffee",
                 "authToken": f"twilio-token-{tag}-c0ffee"}
        triggers = ["conversation:message", "conversation:create"]

        def no_credentials(resp: Any) -> None:
            text = (resp.raw_data or b"").decode()
            for field, value in creds.items():
                assert value not in text, f"the write-only {field} came back: {text[:300]}"
                assert f'"{field}"' not in text, f"a {field} field came back: {text[:300]}"

        def create(model: Any, cls: type, name: str) -> dict:
            resp = integ.create_integration_with_http_info(self.need("app_id"), model)
            self.status(resp, 201)
            body = self.raw(resp)
            assert set(body) == {"integration"}, body
            got = resp.data.integration
            assert isinstance(got, cls), f"the SDK parsed {type(got).__name__}, not {cls.__name__}"
            assert HEX24.match(got.id or ""), f"integration id {got.id!r} is not 24 hex"
            assert got.status == "active", got.status
            assert body["integration"]["status"] == "active", body
            no_credentials(resp)
            s.setdefault("integrations", {})[name] = got.id
            self.used("CreateIntegration")
            return body["integration"]

        def create_mailgun():
            raw = create(sc.Mailgun(api_key=creds["apiKey"], domain=f"mg-{tag}.example.com",
                                    incoming_address=f"in-{tag}@mg-{tag}.example.com",
                                    hide_unsubscribe_link=True, display_name="Mail"),
                         sc.Mailgun, "mailgun")
            assert raw["type"] == "mailgun" and raw["displayName"] == "Mail", raw
            assert raw["domain"] == f"mg-{tag}.example.com", raw
            assert raw["incomingAddress"] == f"in-{tag}@mg-{tag}.example.com", raw
            assert raw["hideUnsubscribeLink"] is True and raw["showAIDisclaimer"] is True, raw
        self.check("CreateIntegration mailgun: 201 {integration}, fields as sent, apiKey not returned",
                   ("CreateIntegration",), create_mailgun)

        def create_custom():
            hook = sc.Webhook(target=f"https://hooks.example.com/{tag}", triggers=triggers,
                              include_full_user=True)
            raw = create(sc.Custom(webhooks=[hook], display_name="Custom"), sc.Custom, "custom")
            assert raw["type"] == "custom" and raw["displayName"] == "Custom", raw
            assert "showAIDisclaimer" not in raw, f"custom integrations have no showAIDisclaimer: {raw}"
            assert len(raw["webhooks"]) == 1, raw
            wh = raw["webhooks"][0]
            assert HEX24.match(wh["id"]) and wh["version"] == "v2", wh
            assert wh["target"] == f"https://hooks.example.com/{tag}" and wh["triggers"] == triggers, wh
            assert re.fullmatch(r"[0-9a-f]{32}", wh["secret"]), f"webhook secret {wh['secret']!r}"
            assert wh["includeFullUser"] is True and wh["includeFullSource"] is False, wh
            s["custom_webhook"] = wh["id"]
        self.check("CreateIntegration custom: one webhook with id, version v2, 32-hex secret, flags as sent",
                   ("CreateIntegration",), create_custom)

        def create_web():
            raw = create(sc.Web(brand_color="ff0000", business_name=f"Shop {tag}",
                                origin_whitelist=["https://shop.example.com"]), sc.Web, "web")
            assert raw["brandColor"] == "ff0000" and raw["businessName"] == f"Shop {tag}", raw
            assert raw["originWhitelist"] == ["https://shop.example.com"], raw
            want = {"conversationColor": "0099ff", "actionColor": "0099ff", "displayStyle": "button",
                    "buttonWidth": "58", "buttonHeight": "58", "fixedIntroPane": False,
                    "showAIDisclaimer": True}
            assert {k: raw.get(k) for k in want} == want, raw
        self.check("CreateIntegration web: colours, display style and button size defaults",
                   ("CreateIntegration",), create_web)

        def create_telegram():
            raw = create(sc.Telegram(token=creds["token"]), sc.Telegram, "telegram")
            # The token is checked with Telegram's getMe (the run's stand-in), which names the bot.
            assert raw["type"] == "telegram" and raw.get("username", "").startswith("standin_"), raw
            assert raw.get("botId", "").isdigit() and "token" not in raw, raw
            # The SDK drops readOnly fields when it serialises a model, so this body goes through
            # the SDK's ApiClient as a plain dict (as list_users does).
            body = self.expect_error(lambda: self.send_json(
                self.account, "POST", "/v2/apps/{appId}/integrations", {"appId": s["app_id"]},
                {"type": "telegram", "token": creds["token"], "username": "set-by-server"}),
                400, "bad_request")
            assert "username" in body["errors"][0]["title"], body
        self.check("CreateIntegration telegram: token checked and not returned, username and botId from getMe; a server-set username is 400",
                   ("CreateIntegration",), create_telegram)

        def create_twilio():
            raw = create(sc.Twilio(account_sid=f"AC{tag}", auth_token=creds["authToken"],
                                   phone_number_sid=f"PN{tag}"), sc.Twilio, "twilio")
            assert raw["accountSid"] == f"AC{tag}" and raw["phoneNumberSid"] == f"PN{tag}", raw
            self.expect_error(lambda: integ.create_integration(
                s["app_id"], sc.Twilio(account_sid="AC1", auth_token=creds["authToken"])), 400, "bad_request")
        self.check("CreateIntegration twilio: SIDs as sent, authToken not returned; no phone/messaging "
                   "SID is 400", ("CreateIntegration",), create_twilio)

        def create_whatsapp():
            raw = create(sc.Whatsapp(account_id=f"waba-{tag}", display_name="WhatsApp"),
                         sc.Whatsapp, "whatsapp")
            assert raw["hsmFallbackLanguage"] == "en_US" and raw["accountId"] == f"waba-{tag}", raw
            assert raw["showAIDisclaimer"] is True, raw
        self.check("CreateIntegration whatsapp: hsmFallbackLanguage en_US, accountId as sent",
                   ("CreateIntegration",), create_whatsapp)

        def create_invalid():
            body = self.expect_error(lambda: integ.create_integration(
                self.need("app_id"), sc.Integration(type="carrier-pigeon")), 400, "bad_request")
            assert body["errors"][0]["title"] == "Invalid integration type", body
            self.used("CreateIntegration")
        self.check("CreateIntegration of an unknown type is 400 \"Invalid integration type\"",
                   ("CreateIntegration",), create_invalid)

        def list_integrations():
            app_id, ids = self.need("app_id"), self.need("integrations")
            resp = integ.list_integrations_with_http_info(app_id)
            self.status(resp, 200)
            no_credentials(resp)
            listed = {i.id: type(i).__name__ for i in resp.data.integrations}
            want = {ids[n]: c for n, c in (("mailgun", "Mailgun"), ("custom", "Custom"), ("web", "Web"),
                                           ("telegram", "Telegram"), ("twilio", "Twilio"),
                                           ("whatsapp", "Whatsapp"))}
            assert listed == want, f"listed {listed}, expected {want}"
            seen, after = [], None
            for _ in range(10):
                page = integ.list_integrations(app_id, page=sc.Page(size=2, after=after))
                seen += [i.id for i in page.integrations]
                assert len(page.integrations) <= 2, page
                if not page.meta.has_more:
                    break
                after = page.meta.after_cursor
            assert sorted(seen) == sorted(want) and len(seen) == len(want), f"paged {seen}"
            only = integ.list_integrations(app_id, filter=sc.IntegrationListFilter(types="mailgun,telegram"))
            assert sorted(i.type for i in only.integrations) == ["mailgun", "telegram"], only
            self.used("ListIntegrations")
        self.check("ListIntegrations: all six, each parsed as its type; page[size]=2 paging; "
                   "filter[types]=mailgun,telegram", ("ListIntegrations",), list_integrations)

        def get_integrations():
            app_id = self.need("app_id")
            for name, iid in self.need("integrations").items():
                resp = integ.get_integration_with_http_info(app_id, iid)
                self.status(resp, 200)
                no_credentials(resp)
                assert resp.data.integration.id == iid and resp.data.integration.type == name
            self.expect_error(lambda: integ.get_integration(app_id, "0" * 24), 404, "integration_not_found")
            self.used("GetIntegration")
        self.check("GetIntegration returns each type without credentials; unknown id 404 "
                   "integration_not_found", ("GetIntegration",), get_integrations)

        def update_integrations():
            app_id, ids = self.need("app_id"), self.need("integrations")
            resp = integ.update_integration_with_http_info(app_id, ids["mailgun"], sc.IntegrationUpdate(
                sc.MailgunUpdate(display_name="Mail 2", hide_unsubscribe_link=False)))
            self.status(resp, 200)
            no_credentials(resp)
            raw = self.raw(resp)["integration"]
            assert raw["displayName"] == "Mail 2" and raw["hideUnsubscribeLink"] is False, raw
            assert raw["domain"] == f"mg-{tag}.example.com", f"domain not kept: {raw}"
            got = integ.get_integration(app_id, ids["mailgun"]).integration
            assert got.display_name == "Mail 2" and got.hide_unsubscribe_link is False, got
            resp = integ.update_integration_with_http_info(app_id, ids["custom"], sc.IntegrationUpdate(
                sc.CustomUpdate(display_name="Custom 2")))
            self.status(resp, 200)
            assert resp.data.integration.display_name == "Custom 2", resp.data
            assert len(resp.data.integration.webhooks) == 1, "custom webhooks not kept"
            self.expect_error(lambda: integ.update_integration(app_id, ids["custom"], sc.IntegrationUpdate(
                sc.WebUpdate(brand_color="00ff00"))), 400, "bad_request")
            # null clears a nullable field; the SDK drops None values, so a plain dict body
            path = "/v2/apps/{appId}/integrations/{integrationId}"
            cleared = self.send_json(self.account, "PATCH", path,
                                     {"appId": app_id, "integrationId": ids["mailgun"]}, {"displayName": None})
            assert "displayName" not in cleared.data["integration"], cleared.data
            assert integ.get_integration(app_id, ids["mailgun"]).integration.display_name is None
            self.expect_error(lambda: integ.update_integration(app_id, "0" * 24, sc.IntegrationUpdate(
                sc.MailgunUpdate(display_name="x"))), 404, "integration_not_found")
            self.used("UpdateIntegration", "GetIntegration")
        self.check("UpdateIntegration changes the sent fields and keeps the rest; null clears displayName; "
                   "a field of another type is 400; unknown id 404", ("UpdateIntegration", "GetIntegration"), update_integrations)

        # Custom integration API keys ------------------------------------------------
        def create_integration_key():
            app_id, custom = self.need("app_id"), self.need("integrations")["custom"]
            resp = ikeys.create_custom_integration_key_with_http_info(
                app_id, custom, sc.IntegrationApiKey(display_name=f"Int key {tag}"))
            self.status(resp, 201)
            key = resp.data.key
            assert re.fullmatch(r"int_[0-9a-f]{24}", key.id or ""), f"key id {key.id!r} is not int_<24 hex>"
            assert key.display_name == f"Int key {tag}", key
            assert isinstance(key.secret, str) and len(key.secret) >= 24, "secret missing or short"
            assert set(self.raw(resp)) == {"key"}, self.raw(resp)
            s["int_key"], s["int_secret"] = key.id, key.secret
            self.expect_error(lambda: ikeys.create_custom_integration_key(
                app_id, s["integrations"]["mailgun"], sc.IntegrationApiKey(display_name="no")), 400,
                "bad_request")
            self.used("CreateCustomIntegrationKey")
        self.check("CreateCustomIntegrationKey: 201 {key} int_<24 hex> with a secret; not for mailgun (400)",
                   ("CreateCustomIntegrationKey",), create_integration_key)

        def list_get_integration_keys():
            app_id, custom = self.need("app_id"), self.need("integrations")["custom"]
            resp = ikeys.list_custom_integration_keys_with_http_info(app_id, custom)
            self.status(resp, 200)
            assert set(self.raw(resp)) == {"keys"}, self.raw(resp)
            assert [k.id for k in resp.data.keys] == [self.need("int_key")], resp.data
            key = ikeys.get_custom_integration_key(app_id, custom, s["int_key"]).key
            assert key.id == s["int_key"] and key.secret == s["int_secret"], key
            assert key.display_name == f"Int key {tag}", key
            self.expect_error(lambda: ikeys.get_custom_integration_key(app_id, custom, "int_" + "0" * 24),
                              404, "not_found")
            self.used("ListCustomIntegrationKeys", "GetCustomIntegrationKey")
        self.check("ListCustomIntegrationKeys {keys}; GetCustomIntegrationKey with its secret; unknown 404",
                   ("ListCustomIntegrationKeys", "GetCustomIntegrationKey"), list_get_integration_keys)

        def integration_key_auth():
            app_id, custom = self.need("app_id"), self.need("integrations")["custom"]
            basic = self.client(username=self.need("int_key"), password=self.need("int_secret"))
            resp = sc.UsersApi(basic).create_user_with_http_info(
                app_id, sc.UserCreateBody(external_id=f"int-basic-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"int-basic-{tag}"
            token = jwt.encode({"scope": "integration"}, s["int_secret"], algorithm="HS256",
                               headers={"kid": s["int_key"]})
            bearer = self.client(token=token)
            resp = sc.UsersApi(bearer).create_user_with_http_info(
                app_id, sc.UserCreateBody(external_id=f"int-jwt-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"int-jwt-{tag}"
            listed = sc.WebhooksApi(bearer).list_webhooks(app_id, custom).webhooks
            assert [w.id for w in listed] == [self.need("custom_webhook")], listed
            for client in (basic, bearer):
                self.expect_error(lambda: sc.AppsApi(client).get_app(app_id), 403, "forbidden")
                self.expect_error(lambda: sc.IntegrationsApi(client).list_integrations(app_id), 403,
                                  "forbidden")
                self.expect_error(lambda: sc.CustomIntegrationApiKeysApi(client)
                                  .list_custom_integration_keys(app_id, custom), 403, "forbidden")
            self.used("CreateUser", "ListWebhooks", "GetApp", "ListIntegrations", "ListCustomIntegrationKeys")
        self.check("int_ key over Basic and HS256 JWT (scope integration): CreateUser and its own "
                   "webhooks; apps/integrations/keys 403",
                   ("CreateUser", "ListWebhooks", "GetApp", "ListIntegrations", "ListCustomIntegrationKeys"),
                   integration_key_auth)

        # Webhooks ---------------------------------------------------------------
        def create_webhook():
            app_id, custom = self.need("app_id"), self.need("integrations")["custom"]
            resp = hooks.create_webhook_with_http_info(app_id, custom, sc.WebhookCreateBody(
                target=f"https://hooks.example.com/{tag}/2", triggers=["conversation:read"],
                include_full_user=False, include_full_source=True))
            self.status(resp, 201)
            assert set(self.raw(resp)) == {"webhook"}, self.raw(resp)
            wh = resp.data.webhook
            assert HEX24.match(wh.id or "") and wh.version == "v2", wh
            assert wh.target == f"https://hooks.example.com/{tag}/2" and wh.triggers == ["conversation:read"]
            assert wh.include_full_user is False and wh.include_full_source is True, wh
            assert re.fullmatch(r"[0-9a-f]{32}", wh.secret or ""), f"webhook secret {wh.secret!r}"
            s["webhook"] = wh.id
            self.expect_error(lambda: hooks.create_webhook(app_id, s["integrations"]["web"], sc.WebhookCreateBody(
                target="https://hooks.example.com/x", triggers=triggers)), 400, "bad_request")
            self.used("CreateWebhook")
        self.check("CreateWebhook: 201 {webhook} as sent with a 32-hex secret; not for a web integration (400)",
                   ("CreateWebhook",), create_webhook)

        def list_get_webhooks():
            app_id, custom = self.need("app_id"), self.need("integrations")["custom"]
            resp = hooks.list_webhooks_with_http_info(app_id, custom)
            self.status(resp, 200)
            assert set(self.raw(resp)) == {"webhooks"}, self.raw(resp)
            assert sorted(w.id for w in resp.data.webhooks) == sorted([s["custom_webhook"], self.need("webhook")])
            wh = hooks.get_webhook(app_id, custom, s["webhook"]).webhook
            assert wh.id == s["webhook"] and wh.triggers == ["conversation:read"], wh
            self.expect_error(lambda: hooks.get_webhook(app_id, custom, "0" * 24), 404, "not_found")
            self.used("ListWebhooks", "GetWebhook")
        self.check("ListWebhooks lists both webhooks; GetWebhook returns one; unknown 404 not_found",
                   ("ListWebhooks", "GetWebhook"), list_get_webhooks)

        def update_webhook():
            app_id, custom, wid = self.need("app_id"), self.need("integrations")["custom"], self.need("webhook")
            resp = hooks.update_webhook_with_http_info(app_id, custom, wid, sc.WebhookBody(
                target=f"https://hooks.example.com/{tag}/3", include_full_source=True))
            self.status(resp, 200)
            wh = resp.data.webhook
            assert wh.target == f"https://hooks.example.com/{tag}/3", wh
            assert wh.triggers == ["conversation:read"], f"triggers not kept: {wh}"
            got = hooks.get_webhook(app_id, custom, wid).webhook
            assert got.target == wh.target and got.secret == wh.secret, got
            path = "/v2/apps/{appId}/integrations/{integrationId}/webhooks/{webhookId}"
            self.expect_error(lambda: self.send_json(
                self.account, "PATCH", path, {"appId": app_id, "integrationId": custom, "webhookId": wid},
                {"target": None}), 400, "bad_request")
            self.expect_error(lambda: hooks.update_webhook(app_id, custom, "0" * 24, sc.WebhookBody(
                target="https://hooks.example.com/x")), 404, "not_found")
            self.used("UpdateWebhook", "GetWebhook")
        self.check("UpdateWebhook changes the target and keeps the triggers; a null target is 400; unknown 404",
                   ("UpdateWebhook", "GetWebhook"), update_webhook)

        def delete_webhook():
            app_id, custom, wid = self.need("app_id"), self.need("integrations")["custom"], self.need("webhook")
            self.empty_object(hooks.delete_webhook_with_http_info(app_id, custom, wid))
            self.expect_error(lambda: hooks.get_webhook(app_id, custom, wid), 404, "not_found")
            self.expect_error(lambda: hooks.delete_webhook(app_id, custom, wid), 404, "not_found")
            self.used("DeleteWebhook", "GetWebhook")
        self.check("DeleteWebhook: 200 {}; then 404 not_found", ("DeleteWebhook", "GetWebhook"), delete_webhook)

        def delete_integration_key():
            app_id, custom, kid = self.need("app_id"), self.need("integrations")["custom"], self.need("int_key")
            self.empty_object(ikeys.delete_custom_integration_key_with_http_info(app_id, custom, kid))
            self.expect_error(lambda: ikeys.get_custom_integration_key(app_id, custom, kid), 404, "not_found")
            self.expect_error(lambda: ikeys.delete_custom_integration_key(app_id, custom, kid), 404, "not_found")
            gone = self.client(username=kid, password=s["int_secret"])
            self.expect_error(lambda: sc.UsersApi(gone).get_user(app_id, f"int-basic-{tag}"), 401, "unauthorized")
            self.used("DeleteCustomIntegrationKey", "GetCustomIntegrationKey", "GetUser")
        self.check("DeleteCustomIntegrationKey: 200 {}; then 404 not_found and the key no longer authenticates",
                   ("DeleteCustomIntegrationKey", "GetCustomIntegrationKey", "GetUser"), delete_integration_key)

        def limits():
            app_id = self.need("app_id")
            hook = sc.Webhook(target=f"https://hooks.example.com/{tag}/limits", triggers=triggers)
            resp = integ.create_integration_with_http_info(app_id, sc.Custom(webhooks=[hook]))
            self.status(resp, 201)
            extra = s["integrations"]["limits"] = resp.data.integration.id
            for n in range(10):
                ikeys.create_custom_integration_key(app_id, extra, sc.IntegrationApiKey(display_name=f"k{n}"))
            body = self.expect_error(lambda: ikeys.create_custom_integration_key(
                app_id, extra, sc.IntegrationApiKey(display_name="eleventh")), 400, "bad_request")
            assert "10 keys" in body["errors"][0]["title"], body
            count = sum(len(hooks.list_webhooks(app_id, i).webhooks)
                        for n, i in s["integrations"].items() if n in ("custom", "limits"))
            for n in range(10 - count):
                hooks.create_webhook(app_id, extra, sc.WebhookCreateBody(
                    target=f"https://hooks.example.com/{tag}/{n}", triggers=triggers))
            body = self.expect_error(lambda: hooks.create_webhook(app_id, extra, sc.WebhookCreateBody(
                target="https://hooks.example.com/eleventh", triggers=triggers)), 400, "bad_request")
            assert "10 webhooks" in body["errors"][0]["title"], body
            self.used("CreateIntegration", "CreateCustomIntegrationKey", "ListWebhooks", "CreateWebhook")
        self.check("At most 10 keys per custom integration and 10 webhooks per app: the 11th is 400",
                   ("CreateIntegration", "CreateCustomIntegrationKey", "ListWebhooks", "CreateWebhook"), limits)

        def custom_integration_over_webhook_limit():
            app_id = self.need("app_id")
            if "limits" not in self.need("integrations"):
                raise Prerequisite("not run: the limits check did not fill the app with 10 webhooks")
            hook = sc.Webhook(target=f"https://hooks.example.com/{tag}/over", triggers=triggers)
            try:
                made = integ.create_integration(app_id, sc.Custom(webhooks=[hook])).integration
            except ApiException as exc:
                assert exc.status == 400, f"expected HTTP 400, got {exc.status}: {exc.body}"
            else:
                integ.delete_integration(app_id, made.id)
                raise AssertionError("with 10 webhooks in the app, a custom integration with an 11th "
                                     "webhook was created (201); \"An app is limited to 10 webhooks\"")
            self.used("CreateIntegration")
        self.check("CreateIntegration custom with 10 webhooks already in the app is 400 (its webhook "
                   "would be the 11th)", ("CreateIntegration",), custom_integration_over_webhook_limit)

        def delete_integrations():
            app_id = self.need("app_id")
            for iid in self.need("integrations").values():
                self.empty_object(integ.delete_integration_with_http_info(app_id, iid))
                self.expect_error(lambda: integ.get_integration(app_id, iid), 404, "integration_not_found")
                self.expect_error(lambda: integ.delete_integration(app_id, iid), 404, "integration_not_found")
            assert integ.list_integrations(app_id).integrations == [], "integrations left after deleting"
            self.used("DeleteIntegration", "GetIntegration", "ListIntegrations")
        self.check("DeleteIntegration: 200 {} for each type; then 404 integration_not_found; list empty",
                   ("DeleteIntegration", "GetIntegration", "ListIntegrations"), delete_integrations)

    # -- switchboards -------------------------------------------------------------------
    # -- attachments --------------------------------------------------------------------
    def fetch(self, url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """A plain GET without credentials, as a channel or a browser fetches a mediaUrl."""
        req = urllib.request.Request(url, headers=headers or {}, method="GET")
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()

    @staticmethod
    def upload_as(client: sc.ApiClient, app_id: str, file_name: str, data: bytes, media_type: str | None,
                  access: str = "public", part: str = "source") -> Any:
        """UploadAttachment through the SDK's own serialiser, with the part's name and Content-Type
        chosen here (the SDK always sends `source` with a type guessed from the file name)."""
        method, url, headers, body, post = sc.AttachmentsApi(client)._upload_attachment_serialize(
            app_id=app_id, access=access, source=(file_name, data), var_for=None, conversation_id=None,
            _request_auth=None, _content_type=None, _headers=None, _host_index=0)
        fields = [(part, (file_name, data, media_type) if media_type else (file_name, data))]
        response = client.call_api(method, url, headers, body, fields)
        response.read()
        return client.response_deserialize(response_data=response,
                                           response_types_map={"201": "AttachmentResponse"})

    def attachments(self, tag: str) -> None:
        """UploadAttachment and DeleteAttachment, and the mediaUrl each upload is served at.

        Uploads go through AttachmentsApi.upload_attachment (`source` as a (file name, bytes) pair,
        whose part type the SDK guesses from the name; the query parameter `for` is the SDK's
        `var_for`). A part type the SDK would not guess (a disallowed type) or another part name is
        sent with upload_as(), the SDK's own serialiser with the form field replaced. The served URL
        is fetched with a plain GET and no credentials, as channels and browsers fetch it."""
        att = sc.AttachmentsApi(self.account)
        convs = sc.ConversationsApi(self.account)
        msgs = sc.MessagesApi(self.account)
        s = self.state
        base = self.base_url
        media_url = re.compile(r"^" + re.escape(base) + r"/attachments/([0-9a-f]{32})/([A-Za-z0-9._-]+)$")
        text = f"Hello from the conformance run {tag}.\n".encode()
        # A 1x1 PNG.
        png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                            "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4a5"
                            "0000000049454e44ae426082")

        def served(url: str, data: bytes, media_type: str, disposition: str) -> dict:
            status, headers, body = self.fetch(url)
            assert status == 200, f"GET {url} without credentials: HTTP {status}: {body[:200]!r}"
            assert body == data, f"GET {url} returned other bytes ({len(body)} of {len(data)})"
            assert headers.get("content-type", "").split(";")[0].strip() == media_type, \
                f"Content-Type {headers.get('content-type')!r}, expected {media_type}"
            assert headers.get("content-length") == str(len(data)), headers.get("content-length")
            assert headers.get("x-content-type-options") == "nosniff", headers
            etag = headers.get("etag", "")
            assert etag == '"' + hashlib.sha256(data).hexdigest() + '"', \
                f"ETag {etag!r} is not the quoted SHA-256 of the bytes"
            assert headers.get("content-disposition", "").split(";")[0] == disposition, \
                f"Content-Disposition {headers.get('content-disposition')!r}, expected {disposition}"
            return headers

        def setup():
            resp = convs.create_conversation_with_http_info(self.need("app_id"), sc.ConversationCreateBody(
                type="sdkGroup", display_name=f"Attachments {tag}"))
            self.status(resp, 201)
            s["att_conversation"] = resp.data.conversation.id
            self.used("CreateConversation")
        self.check("attachments: a conversation to link uploads to", ("CreateConversation",), setup)

        def upload_text():
            resp = att.upload_attachment_with_http_info(self.need("app_id"), access="public",
                                                        source=(f"hello {tag}.txt", text))
            self.status(resp, 201)
            assert set(self.raw(resp)) == {"attachment"}, self.raw(resp)
            got = self.raw(resp)["attachment"]
            assert set(got) == {"mediaUrl", "mediaType"}, got
            a = resp.data.attachment
            assert a.media_type == "text/plain", a.media_type
            m = media_url.match(a.media_url or "")
            assert m, f"mediaUrl {a.media_url!r} is not {base}/attachments/<32 hex>/<file name>"
            assert m.group(2) == f"hello_{tag}.txt", f"file name {m.group(2)!r}: the space is not _"
            served(a.media_url, text, "text/plain", "inline")
            s["att_text"] = a.media_url
            self.used("UploadAttachment")
            return a.media_url
        self.check("UploadAttachment access=public: 201 {attachment: {mediaUrl, mediaType}}; the mediaUrl "
                   "(<base>/attachments/<32 hex>/<safe name>) serves the bytes without credentials, with "
                   "Content-Type, Content-Length, ETag (SHA-256), nosniff, inline",
                   ("UploadAttachment",), upload_text)

        def conditional_and_range():
            url = self.need("att_text")
            etag = '"' + hashlib.sha256(text).hexdigest() + '"'
            status, headers, body = self.fetch(url, {"If-None-Match": etag})
            assert status == 304 and body == b"", f"If-None-Match with the ETag: HTTP {status}"
            status, headers, body = self.fetch(url, {"Range": "bytes=0-4"})
            assert status == 206, f"Range bytes=0-4: HTTP {status}"
            assert body == text[:5], f"Range bytes=0-4 returned {body!r}"
            assert headers.get("content-range") == f"bytes 0-4/{len(text)}", headers.get("content-range")
            assert headers.get("accept-ranges") == "bytes", headers.get("accept-ranges")
        self.check("The mediaUrl answers If-None-Match with its ETag 304 and Range bytes=0-4 206 "
                   "(Content-Range, Accept-Ranges)", (), conditional_and_range)

        def upload_for_message():
            app_id, conv = self.need("app_id"), self.need("att_conversation")
            resp = att.upload_attachment_with_http_info(app_id, access="public", source=("pixel.png", png),
                                                        var_for="message", conversation_id=conv)
            self.status(resp, 201)
            a = resp.data.attachment
            assert a.media_type == "image/png", a.media_type
            m = media_url.match(a.media_url or "")
            assert m and m.group(2) == "pixel.png", a.media_url
            assert m.group(1) not in (s.get("att_text") or ""), "two uploads share a token"
            served(a.media_url, png, "image/png", "inline")
            posted = msgs.post_message_with_http_info(app_id, conv, sc.MessagePost(
                author=sc.Author(type="business"),
                content=sc.Content(sc.ImageMessage(type="image", media_url=a.media_url))))
            self.status(posted, 201)
            content = self.raw(posted)["messages"][0]["content"]
            assert content.get("mediaUrl") == a.media_url, content
            s["att_png"] = a.media_url
            self.used("UploadAttachment", "PostMessage")
        self.check("UploadAttachment for=message with conversationId: 201 image/png, served inline; "
                   "PostMessage sends it as an image message",
                   ("UploadAttachment", "PostMessage"), upload_for_message)

        def upload_active_content():
            app_id = self.need("app_id")
            for name, data, kind in (("page.html", b"<p>hi</p>", "text/html"),
                                     ("doc.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")):
                resp = att.upload_attachment_with_http_info(app_id, access="public", source=(name, data))
                self.status(resp, 201)
                a = resp.data.attachment
                assert a.media_type == kind, f"{name}: mediaType {a.media_type}"
                served(a.media_url, data, kind, "attachment")
            self.used("UploadAttachment")
        self.check("UploadAttachment of HTML and PDF: served with Content-Disposition attachment, never inline",
                   ("UploadAttachment",), upload_active_content)

        def upload_type_from_name():
            # A part typed application/octet-stream takes its type from the file name's extension.
            resp = self.upload_as(self.account, self.need("app_id"), "photo.JPG", png[:16], "application/octet-stream")
            self.status(resp, 201)
            assert resp.data.attachment.media_type == "image/jpeg", resp.data.attachment.media_type
            self.used("UploadAttachment")
        self.check("UploadAttachment of an application/octet-stream part named photo.JPG is image/jpeg",
                   ("UploadAttachment",), upload_type_from_name)

        def upload_refusals():
            app_id, conv = self.need("app_id"), self.need("att_conversation")
            src = ("a.txt", b"x")
            self.expect_error(lambda: att.upload_attachment(app_id, access="private", source=src), 400, "bad_request")
            self.expect_error(lambda: att.upload_attachment(app_id, access="public", source=src, var_for="other"),
                              400, "bad_request")
            self.expect_error(lambda: att.upload_attachment(app_id, access="public", source=src, var_for="message",
                                                            conversation_id="0" * 24), 400, "bad_request")
            other = self.need("paging_ids")[0]
            other_conv = convs.create_conversation(other, sc.ConversationCreateBody(type="sdkGroup")).conversation.id
            self.expect_error(lambda: att.upload_attachment(app_id, access="public", source=src, var_for="message",
                                                            conversation_id=other_conv), 400, "bad_request")
            # conversationId alone links the upload to the conversation (accepted, as for=message is).
            resp = att.upload_attachment_with_http_info(app_id, access="public", source=src, conversation_id=conv)
            self.status(resp, 201)
            body = self.expect_error(lambda: self.upload_as(self.account, app_id, "setup.exe", b"MZ\x90\x00",
                                                            "application/x-msdownload"), 400, "bad_request")
            assert "application/x-msdownload" in body["errors"][0]["title"], body
            self.expect_error(lambda: self.upload_as(self.account, app_id, "a.txt", b"x", "text/plain", part="file"),
                              400, "bad_request")
            self.expect_error(lambda: att.upload_attachment("f" * 24, access="public", source=src), 404, "app_not_found")
            self.used("UploadAttachment", "CreateConversation")
        self.check("UploadAttachment refuses access=private, for=other, a conversationId of no conversation or of "
                   "another app, application/x-msdownload (title names the "
                   "type), a body without a source part: 400 bad_request; conversationId alone 201; an unknown app 404",
                   ("UploadAttachment", "CreateConversation"), upload_refusals)

        def upload_not_multipart():
            client = self.account
            params = client.param_serialize(
                method="POST", resource_path="/v2/apps/{appId}/attachments", path_params={"appId": self.need("app_id")},
                query_params=[("access", "public")], body={"source": "not a file"},
                header_params={"Accept": "application/json", "Content-Type": "application/json"},
                auth_settings=["basicAuth", "bearerAuth"])

            def call():
                response = client.call_api(*params)
                response.read()
                client.response_deserialize(response_data=response, response_types_map={"201": "AttachmentResponse"})
            self.expect_error(call, 415, "unsupported_media_type")
            self.used("UploadAttachment")
        self.check("UploadAttachment with a JSON body is 415 unsupported_media_type", ("UploadAttachment",),
                   upload_not_multipart)

        def delete():
            app_id, url = self.need("app_id"), self.need("att_text")
            resp = att.delete_attachment_with_http_info(app_id, sc.AttachmentDeleteBody(media_url=url))
            self.empty_object(resp)
            status, _, _ = self.fetch(url)
            assert status == 404, f"GET of a deleted attachment's mediaUrl: HTTP {status}"
            self.expect_error(lambda: att.delete_attachment(app_id, sc.AttachmentDeleteBody(media_url=url)),
                              404, "not_found")
            self.used("DeleteAttachment")
        self.check("DeleteAttachment {mediaUrl}: 200 {}; the mediaUrl then answers 404, a second delete 404 not_found",
                   ("DeleteAttachment",), delete)

        def delete_refusals():
            app_id, png_url = self.need("app_id"), self.need("att_png")
            token = media_url.match(png_url).group(1)
            body = self.expect_error(lambda: att.delete_attachment(app_id, sc.AttachmentDeleteBody(
                media_url=f"https://badhost.example.com/attachments/{token}/pixel.png")), 400, "bad_request")
            self.expect_error(lambda: att.delete_attachment(app_id, sc.AttachmentDeleteBody(
                media_url=f"{base}/attachments/{'0' * 32}/pixel.png")), 404, "not_found")
            self.expect_error(lambda: att.delete_attachment(app_id, sc.AttachmentDeleteBody(
                media_url=f"{base}/v2/apps/{app_id}")), 404, "not_found")
            other = self.need("paging_ids")[0]
            self.expect_error(lambda: att.delete_attachment(other, sc.AttachmentDeleteBody(media_url=png_url)),
                              404, "not_found")
            status, _, _ = self.fetch(png_url)
            assert status == 200, f"another app's DeleteAttachment removed it: HTTP {status}"
            self.expect_error(lambda: self.send_json(self.account, "POST", "/v2/apps/{appId}/attachments/remove",
                                                     {"appId": app_id}, {}), 400, "bad_request")
            self.empty_object(att.delete_attachment_with_http_info(app_id, sc.AttachmentDeleteBody(media_url=png_url)))
            self.used("DeleteAttachment")
            return body["errors"][0]["title"]
        self.check("DeleteAttachment: a mediaUrl on another host 400 bad_request; an unknown token, a non-attachment "
                   "path of our host or another app's attachment 404 not_found; no mediaUrl 400",
                   ("DeleteAttachment",), delete_refusals)

    def switchboards(self, tag: str) -> None:
        """The 12 switchboard, switchboard integration and switchboard action operations.

        They run in an app of their own (deleted at the end), so that the enabled switchboard
        cannot change what the other sections see: three custom integrations (bot, agent, spare,
        the first two with an `int_` key each) and a Mailgun integration (the one integration of
        its type, so `mailgun` is an unambiguous integrationType). SDK 17.0.1's
        SwitchboardIntegrationCreateBody takes integrationId or integrationType alone, so no SDK
        workaround is needed; bodies the SDK's models refuse to build (a name over 128
        characters, messageHistoryCount 11, `null` to clear a field, a missing required field)
        go through send_json() as elsewhere.
        """
        apps = sc.AppsApi(self.account)
        integ = sc.IntegrationsApi(self.account)
        ikeys = sc.CustomIntegrationApiKeysApi(self.account)
        users = sc.UsersApi(self.account)
        convs = sc.ConversationsApi(self.account)
        msgs = sc.MessagesApi(self.account)
        boards = sc.SwitchboardsApi(self.account)
        sbis = sc.SwitchboardIntegrationsApi(self.account)
        actions = sc.SwitchboardActionsApi(self.account)
        s = self.state
        board_path = "/v2/apps/{appId}/switchboards/{switchboardId}"
        sbis_path = board_path + "/switchboardIntegrations"
        sbi_path = sbis_path + "/{switchboardIntegrationId}"

        def present(obj: dict) -> dict:
            """The object without null members (nullable fields may be null or omitted)."""
            return {k: v for k, v in obj.items() if v is not None}

        def ref(name: str) -> dict:
            """How a conversation shows switchboard integration `name`: {id, name, integrationId, integrationType}."""
            d = self.need("sb")[name]
            return {k: d[k] for k in ("id", "name", "integrationId", "integrationType")}

        def control(conversation_id: str) -> tuple[dict | None, dict | None]:
            """GetConversation's (activeSwitchboardIntegration, pendingSwitchboardIntegration)."""
            resp = convs.get_conversation_with_http_info(self.need("sb_app"), conversation_id)
            self.status(resp, 200)
            raw = self.raw(resp)["conversation"]
            parsed = resp.data.conversation
            for field, model in (("activeSwitchboardIntegration", parsed.active_switchboard_integration),
                                 ("pendingSwitchboardIntegration", parsed.pending_switchboard_integration)):
                if raw.get(field) is None:
                    assert field not in raw, f"{field} must be omitted when there is none, not null: {raw}"
                else:
                    assert model is not None and model.id == raw[field]["id"], f"the SDK did not read {field}"
                    assert set(raw[field]) == {"id", "name", "integrationId", "integrationType"}, raw[field]
            self.used("GetConversation")
            return raw.get("activeSwitchboardIntegration"), raw.get("pendingSwitchboardIntegration")

        def expect_control(conversation_id: str, active: str | None, pending: str | None, step: str) -> None:
            got = control(conversation_id)
            want = (ref(active) if active else None, ref(pending) if pending else None)
            assert got == want, f"{step}: (active, pending) is {got}, expected {want}"

        def pass_(target: str, client: Any = None, conversation: str | None = None, **extra) -> None:
            api = sc.SwitchboardActionsApi(client) if client else actions
            self.empty_object(api.pass_control_with_http_info(
                self.need("sb_app"), conversation or self.need("sb_conv"),
                sc.PassControlBody(switchboard_integration=target, **extra)))
            self.used("PassControl")

        def offer(target: str, client: Any = None, conversation: str | None = None, **extra) -> None:
            api = sc.SwitchboardActionsApi(client) if client else actions
            self.empty_object(api.offer_control_with_http_info(
                self.need("sb_app"), conversation or self.need("sb_conv"),
                sc.OfferControlBody(switchboard_integration=target, **extra)))
            self.used("OfferControl")

        def accept(client: Any = None, **extra) -> Any:
            api = sc.SwitchboardActionsApi(client) if client else actions
            self.used("AcceptControl")
            return api.accept_control_with_http_info(self.need("sb_app"), self.need("sb_conv"),
                                                     sc.AcceptControlBody(**extra))

        def release(client: Any = None, conversation: str | None = None, body: Any = None) -> Any:
            api = sc.SwitchboardActionsApi(client) if client else actions
            self.used("ReleaseControl")
            return api.release_control_with_http_info(self.need("sb_app"), conversation or self.need("sb_conv"), body)

        def setup():
            app_id = apps.create_app(sc.AppCreateBody(display_name=f"Conformance switchboard {tag}")).app.id
            s["sb_app"] = app_id
            ids = {}
            for name in ("bot", "agent", "spare"):
                hook = sc.Webhook(target=f"https://hooks.example.com/{tag}/sb-{name}",
                                  triggers=["conversation:message"])
                ids[name] = integ.create_integration(app_id, sc.Custom(webhooks=[hook],
                                                                       display_name=f"SB {name}")).integration.id
            ids["mailgun"] = integ.create_integration(app_id, sc.Mailgun(
                api_key=f"mailgun-key-sb-{tag}", domain=f"mg-sb-{tag}.example.com",
                incoming_address=f"in-sb-{tag}@mg-sb-{tag}.example.com")).integration.id
            s["sb_integrations"] = ids
            clients = {}
            for name in ("bot", "agent"):
                key = ikeys.create_custom_integration_key(app_id, ids[name],
                                                          sc.IntegrationApiKey(display_name=f"sb {name}")).key
                assert (key.id or "").startswith("int_"), key
                clients[name] = self.client(username=key.id, password=key.secret)
            s["sb_int_clients"] = clients
            s["sb_user"] = users.create_user(app_id, sc.UserCreateBody(external_id=f"sb-{tag}")).user.id
            # A conversation from before the switchboard existed: no switchboard integration in control.
            s["sb_before"] = convs.create_conversation(app_id, sc.ConversationCreateBody(
                type="personal", participants=[sc.ParticipantSubSchema(sc.ParticipantWithUserId(
                    user_id=s["sb_user"]))])).conversation.id
            self.used("CreateApp", "CreateIntegration", "CreateCustomIntegrationKey", "CreateUser",
                      "CreateConversation")
        self.check("switchboards: an app with three custom integrations (two with an int_ key), a Mailgun "
                   "integration, a user and a conversation", ("CreateApp", "CreateIntegration",
                   "CreateCustomIntegrationKey", "CreateUser", "CreateConversation"), setup)

        def no_switchboard():
            app_id, conv = self.need("sb_app"), self.need("sb_before")
            resp = boards.list_switchboards_with_http_info(app_id)
            self.status(resp, 200)
            assert self.raw(resp) == {"switchboards": []}, self.raw(resp)
            assert resp.data.switchboards == [], resp.data
            # Without a switchboard the actions still answer 200 {} (the outcome is a *:failure event).
            pass_("bot", conversation=conv)
            offer("bot", conversation=conv)
            assert control(conv) == (None, None), "control changed in an app without a switchboard"
            self.expect_error(lambda: boards.list_switchboards("0" * 24), 404, "app_not_found")
            self.expect_error(lambda: boards.create_switchboard("0" * 24), 404, "app_not_found")
            self.used("ListSwitchboards", "CreateSwitchboard")
        self.check("ListSwitchboards without a switchboard is {switchboards: []}; PassControl/OfferControl there "
                   "answer 200 {} and change nothing; unknown app 404 app_not_found",
                   ("ListSwitchboards", "PassControl", "OfferControl", "GetConversation", "CreateSwitchboard"),
                   no_switchboard)

        def create_switchboard():
            app_id = self.need("sb_app")
            resp = boards.create_switchboard_with_http_info(app_id)
            self.status(resp, 201)
            board = resp.data.switchboard
            assert HEX24.match(board.id or ""), f"switchboard id {board.id!r} is not 24 hex"
            assert self.raw(resp) == {"switchboard": {"id": board.id, "enabled": False}}, self.raw(resp)
            s["sb_id"] = board.id
            body = self.expect_error(lambda: boards.create_switchboard(app_id), 400, "bad_request")
            assert body["errors"][0]["title"] == "Only one switchboard can be created per app", body
            resp = boards.list_switchboards_with_http_info(app_id)
            self.status(resp, 200)
            assert self.raw(resp) == {"switchboards": [{"id": board.id, "enabled": False}]}, self.raw(resp)
            self.used("CreateSwitchboard", "ListSwitchboards")
        self.check("CreateSwitchboard: 201 {switchboard: {id, enabled: false}}; the second is 400 \"Only one "
                   "switchboard can be created per app\"; ListSwitchboards lists it",
                   ("CreateSwitchboard", "ListSwitchboards"), create_switchboard)

        def create_integrations():
            app_id, board, ids = self.need("sb_app"), self.need("sb_id"), self.need("sb_integrations")

            def create(body: Any) -> dict:
                resp = sbis.create_switchboard_integration_with_http_info(app_id, board, body)
                self.status(resp, 201)
                raw = self.raw(resp)
                assert set(raw) == {"switchboardIntegration"}, raw
                got = raw["switchboardIntegration"]
                assert HEX24.match(got.get("id") or ""), f"switchboard integration id {got.get('id')!r}"
                assert resp.data.switchboard_integration.id == got["id"], resp.data
                return got

            agent = create(sc.SwitchboardIntegrationCreateBody(name="agent", integration_id=ids["agent"]))
            assert present(agent) == {"id": agent["id"], "name": "agent", "integrationId": ids["agent"],
                                      "integrationType": "custom", "deliverStandbyEvents": True}, agent
            bot = create(sc.SwitchboardIntegrationCreateBody(
                name="bot", integration_id=ids["bot"], deliver_standby_events=False,
                next_switchboard_integration_id=agent["id"], message_history_count=5))
            assert present(bot) == {"id": bot["id"], "name": "bot", "integrationId": ids["bot"],
                                    "integrationType": "custom", "deliverStandbyEvents": False,
                                    "nextSwitchboardIntegrationId": agent["id"], "messageHistoryCount": 5}, bot
            mail = create(sc.SwitchboardIntegrationCreateBody(name="mail_box-1", integration_type="mailgun"))
            assert present(mail) == {"id": mail["id"], "name": "mail_box-1", "integrationId": ids["mailgun"],
                                     "integrationType": "mailgun", "deliverStandbyEvents": True}, mail
            s["sb"] = {"agent": agent, "bot": bot, "mail": mail}
            self.used("CreateSwitchboardIntegration")
        self.check("CreateSwitchboardIntegration by integrationId (type custom; deliverStandbyEvents defaults to "
                   "true; next and messageHistoryCount as sent) and by integrationType mailgun",
                   ("CreateSwitchboardIntegration",), create_integrations)

        def create_integration_errors():
            app_id, board, ids = self.need("sb_app"), self.need("sb_id"), self.need("sb_integrations")
            self.need("sb")
            params = {"appId": app_id, "switchboardId": board}
            spare = ids["spare"]
            self.expect_error(lambda: sbis.create_switchboard_integration(app_id, board, sc.SwitchboardIntegrationCreateBody(
                name="bot", integration_id=spare)), 400, "bad_request")  # the name is taken
            for body in ({"name": "two words", "integrationId": spare}, {"name": "", "integrationId": spare},
                         {"name": "é", "integrationId": spare}, {"name": "x" * 129, "integrationId": spare},
                         {"name": "x", "integrationId": "0" * 24},
                         {"name": "x", "integrationId": spare, "integrationType": "custom"},
                         {"name": "x"}, {"integrationId": spare},
                         {"name": "x", "integrationType": "zd:agentWorkspace"},
                         {"name": "x", "integrationType": "custom"},  # three custom integrations: ambiguous
                         {"name": "x", "integrationId": spare, "nextSwitchboardIntegrationId": "0" * 24},
                         {"name": "x", "integrationId": spare, "messageHistoryCount": 11},
                         {"name": "x", "integrationId": spare, "messageHistoryCount": 0}):
                try:
                    self.expect_error(lambda: self.send_json(self.account, "POST", sbis_path, params, body),
                                      400, "bad_request")
                except AssertionError as exc:
                    raise AssertionError(f"{json.dumps(body)[:120]}: {exc}") from None
            self.expect_error(lambda: sbis.create_switchboard_integration(app_id, "0" * 24, sc.SwitchboardIntegrationCreateBody(
                name="x", integration_id=spare)), 404, "switchboard_not_found")
            listed = sbis.list_switchboard_integrations(app_id, board).switchboard_integrations
            assert len(listed) == 3, f"a rejected create left something behind: {[i.name for i in listed]}"
            self.used("CreateSwitchboardIntegration", "ListSwitchboardIntegrations")
        self.check("CreateSwitchboardIntegration 400 bad_request: a taken name, a name outside [A-Za-z0-9_-]{1,128}, "
                   "an unknown integrationId, both or neither of integrationId/integrationType, no name, "
                   "integrationType zd:agentWorkspace (none) or custom (ambiguous), an unknown next, "
                   "messageHistoryCount 0 or 11; unknown switchboard 404",
                   ("CreateSwitchboardIntegration", "ListSwitchboardIntegrations"), create_integration_errors)

        def list_integrations():
            app_id, board, sb = self.need("sb_app"), self.need("sb_id"), self.need("sb")
            resp = sbis.list_switchboard_integrations_with_http_info(app_id, board)
            self.status(resp, 200)
            raw = self.raw(resp)
            assert set(raw) == {"switchboardIntegrations"}, raw
            got = {i["id"]: i for i in raw["switchboardIntegrations"]}
            want = {i["id"]: i for i in sb.values()}
            assert got == want, f"listed {got}, created {want}"
            assert sorted(i.id for i in resp.data.switchboard_integrations) == sorted(want), resp.data
            self.expect_error(lambda: sbis.list_switchboard_integrations(app_id, "0" * 24), 404,
                              "switchboard_not_found")
            self.used("ListSwitchboardIntegrations")
        self.check("ListSwitchboardIntegrations: {switchboardIntegrations} exactly as created; unknown switchboard "
                   "404 switchboard_not_found", ("ListSwitchboardIntegrations",), list_integrations)

        def update_switchboard():
            app_id, board, sb = self.need("sb_app"), self.need("sb_id"), self.need("sb")
            bot = sb["bot"]["id"]
            params = {"appId": app_id, "switchboardId": board}
            body = self.expect_error(lambda: boards.update_switchboard(app_id, board, sc.SwitchboardUpdateBody(
                enabled=True)), 400, "bad_request")
            assert body["errors"][0]["title"] == \
                "Enabled switchboard must have an associated default switchboardIntegration", body
            self.expect_error(lambda: boards.update_switchboard(app_id, board, sc.SwitchboardUpdateBody(
                default_switchboard_integration_id="0" * 24)), 400, "bad_request")
            resp = boards.update_switchboard_with_http_info(app_id, board, sc.SwitchboardUpdateBody(
                default_switchboard_integration_id=bot))
            self.status(resp, 200)
            assert self.raw(resp) == {"switchboard": {"id": board, "enabled": False,
                                                      "defaultSwitchboardIntegrationId": bot}}, self.raw(resp)
            # Not nullable in the spec: a default is replaced, never cleared.
            self.expect_error(lambda: self.send_json(self.account, "PATCH", board_path, params,
                                                     {"defaultSwitchboardIntegrationId": None}), 400, "bad_request")
            resp = boards.update_switchboard_with_http_info(app_id, board, sc.SwitchboardUpdateBody(
                enabled=True, default_switchboard_integration_id=bot))
            self.status(resp, 200)
            enabled = {"switchboard": {"id": board, "enabled": True, "defaultSwitchboardIntegrationId": bot}}
            assert self.raw(resp) == enabled, self.raw(resp)
            self.expect_error(lambda: self.send_json(self.account, "PATCH", board_path, params,
                                                     {"defaultSwitchboardIntegrationId": None}), 400, "bad_request")
            self.expect_error(lambda: self.send_json(self.account, "PATCH", board_path, params, {"enabled": "yes"}),
                              400, "bad_request")
            listed = self.raw(boards.list_switchboards_with_http_info(app_id))
            assert listed == {"switchboards": [enabled["switchboard"]]}, listed
            self.expect_error(lambda: boards.update_switchboard(app_id, "0" * 24, sc.SwitchboardUpdateBody(
                enabled=False)), 404, "switchboard_not_found")
            self.used("UpdateSwitchboard", "ListSwitchboards")
        self.check("UpdateSwitchboard: enabled without a default and an unknown default are 400; the default is set, "
                   "null refused (the field is not nullable), then enabled; unknown 404",
                   ("UpdateSwitchboard", "ListSwitchboards"), update_switchboard)

        def update_integration():
            app_id, board, sb, ids = self.need("sb_app"), self.need("sb_id"), self.need("sb"), self.need("sb_integrations")
            mail, agent = sb["mail"]["id"], sb["agent"]["id"]
            params = {"appId": app_id, "switchboardId": board, "switchboardIntegrationId": mail}

            def update(body: Any) -> dict:
                resp = sbis.update_switchboard_integration_with_http_info(app_id, board, mail, body)
                self.status(resp, 200)
                raw = self.raw(resp)
                assert set(raw) == {"switchboardIntegration"}, raw
                assert resp.data.switchboard_integration.id == mail, resp.data
                return present(raw["switchboardIntegration"])

            want = {"id": mail, "name": "mail2", "integrationId": ids["mailgun"], "integrationType": "mailgun",
                    "deliverStandbyEvents": False, "messageHistoryCount": 2, "nextSwitchboardIntegrationId": agent}
            got = update(sc.SwitchboardIntegrationUpdateBody(name="mail2", deliver_standby_events=False,
                                                             message_history_count=2,
                                                             next_switchboard_integration_id=agent))
            assert got == want, got
            got = update(sc.SwitchboardIntegrationUpdateBody(integration_id=ids["spare"]))
            assert got == {**want, "integrationId": ids["spare"], "integrationType": "custom"}, \
                f"relinked by integrationId: {got}"
            got = update(sc.SwitchboardIntegrationUpdateBody(integration_type="mailgun"))
            assert got == want, f"relinked by integrationType mailgun: {got}"
            cleared = self.send_json(self.account, "PATCH", sbi_path, params, {"nextSwitchboardIntegrationId": None})
            got = present(cleared.data["switchboardIntegration"])
            want.pop("nextSwitchboardIntegrationId")
            assert got == want, f"null nextSwitchboardIntegrationId: {got}"
            listed = {i["id"]: present(i) for i in self.raw(sbis.list_switchboard_integrations_with_http_info(
                app_id, board))["switchboardIntegrations"]}
            assert listed[mail] == want, f"ListSwitchboardIntegrations shows {listed[mail]}"
            sb["mail"] = cleared.data["switchboardIntegration"]
            for body in ({"integrationId": ids["spare"], "integrationType": "custom"},
                         {"nextSwitchboardIntegrationId": mail}, {"nextSwitchboardIntegrationId": "0" * 24},
                         {"name": "bot"}, {"name": "two words"}, {"integrationType": "zd:agentWorkspace"},
                         {"integrationId": "0" * 24}, {"messageHistoryCount": 11}):
                try:
                    self.expect_error(lambda: self.send_json(self.account, "PATCH", sbi_path, params, body),
                                      400, "bad_request")
                except AssertionError as exc:
                    raise AssertionError(f"{json.dumps(body)}: {exc}") from None
            self.expect_error(lambda: sbis.update_switchboard_integration(app_id, board, "0" * 24,
                              sc.SwitchboardIntegrationUpdateBody(name="x")), 404, "switchboard_integration_not_found")
            self.expect_error(lambda: sbis.update_switchboard_integration(app_id, "0" * 24, mail,
                              sc.SwitchboardIntegrationUpdateBody(name="x")), 404, "switchboard_not_found")
            self.used("UpdateSwitchboardIntegration", "ListSwitchboardIntegrations")
        self.check("UpdateSwitchboardIntegration changes the sent fields and keeps the rest; relinks by integrationId "
                   "and integrationType; null clears next; 400 for both ids, next = itself or unknown, a taken or "
                   "invalid name; unknown 404", ("UpdateSwitchboardIntegration", "ListSwitchboardIntegrations"),
                   update_integration)

        def new_conversation():
            app_id, user = self.need("sb_app"), self.need("sb_user")
            resp = convs.create_conversation_with_http_info(app_id, sc.ConversationCreateBody(
                type="sdkGroup", display_name="switchboard",
                participants=[sc.ParticipantSubSchema(sc.ParticipantWithUserId(user_id=user))]))
            self.status(resp, 201)
            raw = self.raw(resp)["conversation"]
            assert raw.get("activeSwitchboardIntegration") == ref("bot"), \
                f"a new conversation must start with the default in control: {raw}"
            assert "pendingSwitchboardIntegration" not in raw, raw
            s["sb_conv"] = raw["id"]
            expect_control(raw["id"], "bot", None, "GetConversation")
            self.used("CreateConversation")
        self.check("with the switchboard enabled a new conversation starts with the default switchboard integration "
                   "as activeSwitchboardIntegration ({id, name, integrationId, integrationType})",
                   ("CreateConversation", "GetConversation"), new_conversation)

        def pass_control():
            app_id, conv, sb = self.need("sb_app"), self.need("sb_conv"), self.need("sb")
            pass_("agent", metadata={"ticket": "t-1", "priority": 2, "vip": True})
            expect_control(conv, "agent", None, "pass to agent by name")
            pass_(sb["bot"]["id"])
            expect_control(conv, "bot", None, "pass to bot by id")
            pass_("next")
            expect_control(conv, "agent", None, "pass to next (bot's next is agent)")
            pass_("mailgun")
            expect_control(conv, "mail", None, "pass by integrationType mailgun")
            for target in ("no-such-integration", "custom", "mail2"):  # unknown; ambiguous; already active
                pass_(target)
                expect_control(conv, "mail", None, f"pass to {target!r}")
            pass_("agent")
            resp = convs.update_conversation_with_http_info(app_id, conv, sc.ConversationUpdateBody(
                metadata={"routed": "yes"}))
            self.status(resp, 200)
            assert self.raw(resp)["conversation"].get("activeSwitchboardIntegration") == ref("agent"), self.raw(resp)
            listed = [c for c in self.raw(convs.list_conversations_with_http_info(app_id, sc.ConversationListFilter(
                user_id=self.need("sb_user"))))["conversations"] if c["id"] == conv]
            assert listed and listed[0].get("activeSwitchboardIntegration") == ref("agent"), listed
            self.expect_error(lambda: actions.pass_control(app_id, "f" * 24, sc.PassControlBody(
                switchboard_integration="bot")), 404, "conversation_not_found")
            path = "/v2/apps/{appId}/conversations/{conversationId}/passControl"
            for body in ({}, {"switchboardIntegration": 7}, {"switchboardIntegration": "bot", "metadata": "x"}):
                self.expect_error(lambda: self.send_json(self.account, "POST", path,
                                                         {"appId": app_id, "conversationId": conv}, body),
                                  400, "bad_request")
            expect_control(conv, "agent", None, "after the rejected requests")
            self.used("PassControl", "UpdateConversation", "ListConversations")
        self.check("PassControl by name, id, `next` and integrationType: 200 {} and the conversation's "
                   "activeSwitchboardIntegration follows (Get/Update/ListConversations); an unknown, ambiguous or "
                   "already active target changes nothing; unknown conversation 404; malformed body 400",
                   ("PassControl", "GetConversation", "UpdateConversation", "ListConversations"), pass_control)

        def offer_accept():
            app_id, conv = self.need("sb_app"), self.need("sb_conv")
            keys = self.need("sb_int_clients")
            offer("bot", metadata={"why": "escalate"})
            expect_control(conv, "agent", "bot", "offer to bot")
            offer("agent")  # the active one: a failure event, nothing changes
            expect_control(conv, "agent", "bot", "offer to the active agent")
            self.expect_error(lambda: accept(keys["agent"]), 403, "forbidden")
            expect_control(conv, "agent", "bot", "AcceptControl with the agent's int_ key")
            self.empty_object(accept(keys["bot"], metadata={"accepted": True}))
            expect_control(conv, "bot", None, "AcceptControl with the bot's int_ key")
            self.empty_object(accept())  # nothing pending: a failure event, nothing changes
            expect_control(conv, "bot", None, "AcceptControl with nothing pending")
            offer("next")
            expect_control(conv, "bot", "agent", "offer to next (bot's next is agent)")
            offer("mail2")  # invalidates the previous offer
            expect_control(conv, "bot", "mail", "a second offer")
            self.empty_object(accept())
            expect_control(conv, "mail", None, "AcceptControl with the account key")
            self.expect_error(lambda: actions.offer_control(app_id, "f" * 24, sc.OfferControlBody(
                switchboard_integration="bot")), 404, "conversation_not_found")
            self.expect_error(lambda: actions.accept_control(app_id, "f" * 24, sc.AcceptControlBody()), 404,
                              "conversation_not_found")
            path = "/v2/apps/{appId}/conversations/{conversationId}/offerControl"
            self.expect_error(lambda: self.send_json(self.account, "POST", path,
                                                     {"appId": app_id, "conversationId": conv}, {}), 400, "bad_request")
        self.check("OfferControl sets pendingSwitchboardIntegration (not to the active one; a second offer replaces the "
                   "first); AcceptControl makes it active: 403 forbidden with an int_ key of an integration that is not "
                   "pending, 200 with the pending one's; with nothing pending 200 and no change; unknown conversation 404",
                   ("OfferControl", "AcceptControl", "GetConversation"), offer_accept)

        def release_control():
            app_id, conv = self.need("sb_app"), self.need("sb_conv")
            keys = self.need("sb_int_clients")
            pass_("bot")
            expect_control(conv, "bot", None, "pass to bot")
            self.expect_error(lambda: release(keys["agent"]), 403, "forbidden")
            expect_control(conv, "bot", None, "ReleaseControl with the agent's int_ key")
            self.empty_object(release(keys["bot"], body=sc.ReleaseControlBody(metadata={"done": True})))
            expect_control(conv, None, None, "ReleaseControl with the bot's int_ key")
            self.empty_object(release())  # nothing active: 200, no change
            expect_control(conv, None, None, "ReleaseControl with nothing active")
            self.expect_error(lambda: release(keys["bot"]), 403, "forbidden")
            msgs.post_message(app_id, conv, sc.MessagePost(
                author=sc.Author(type="user", user_id=self.need("sb_user")),
                content=sc.Content(sc.TextMessage(type="text", text="anyone there?"))))
            expect_control(conv, "bot", None, "a user message with nothing in control")
            before = self.need("sb_before")  # created before the switchboard: nothing in control yet
            msgs.post_message(app_id, before, sc.MessagePost(
                author=sc.Author(type="user", user_id=self.need("sb_user")),
                content=sc.Content(sc.TextMessage(type="text", text="hello"))))
            expect_control(before, "bot", None, "a user message in a conversation from before the switchboard")
            self.empty_object(release(conversation=before, body=sc.ReleaseControlBody(metadata={"by": "account"})))
            expect_control(before, None, None, "ReleaseControl with the account key")
            self.expect_error(lambda: actions.release_control(app_id, "f" * 24), 404, "conversation_not_found")
            self.used("PostMessage")
        self.check("ReleaseControl: 403 forbidden with an int_ key of an integration that is not active, 200 with the "
                   "active one's (and with the account key, body or none) and nothing is in control; a user message then "
                   "gives control to the default; unknown conversation 404",
                   ("PassControl", "ReleaseControl", "PostMessage", "GetConversation"), release_control)

        def delete_integrations():
            app_id, board, sb = self.need("sb_app"), self.need("sb_id"), self.need("sb")
            self.expect_error(lambda: sbis.delete_switchboard_integration(app_id, board, sb["bot"]["id"]), 400,
                              "bad_request")  # the default
            self.expect_error(lambda: sbis.delete_switchboard_integration(app_id, board, sb["agent"]["id"]), 400,
                              "bad_request")  # bot's next
            mail = sb["mail"]["id"]
            self.empty_object(sbis.delete_switchboard_integration_with_http_info(app_id, board, mail))
            listed = sorted(i.id for i in sbis.list_switchboard_integrations(app_id, board).switchboard_integrations)
            assert listed == sorted([sb["bot"]["id"], sb["agent"]["id"]]), listed
            self.expect_error(lambda: sbis.delete_switchboard_integration(app_id, board, mail), 404,
                              "switchboard_integration_not_found")
            self.expect_error(lambda: sbis.delete_switchboard_integration(app_id, "0" * 24, sb["bot"]["id"]), 404,
                              "switchboard_not_found")
            self.used("DeleteSwitchboardIntegration", "ListSwitchboardIntegrations")
        self.check("DeleteSwitchboardIntegration: the default and one named as another's next are 400; another is "
                   "200 {} and gone (then 404 switchboard_integration_not_found); unknown switchboard 404",
                   ("DeleteSwitchboardIntegration", "ListSwitchboardIntegrations"), delete_integrations)

        def limit():
            app_id, board, ids = self.need("sb_app"), self.need("sb_id"), self.need("sb_integrations")
            count = len(sbis.list_switchboard_integrations(app_id, board).switchboard_integrations)
            made = []
            for n in range(10 - count):
                made.append(sbis.create_switchboard_integration(app_id, board, sc.SwitchboardIntegrationCreateBody(
                    name=f"extra-{n}", integration_id=ids["spare"])).switchboard_integration.id)
            body = self.expect_error(lambda: sbis.create_switchboard_integration(
                app_id, board, sc.SwitchboardIntegrationCreateBody(name="eleventh", integration_id=ids["spare"])),
                400, "too_many_switchboard_integrations")
            assert "10" in body["errors"][0]["title"], body
            for sid in made:
                self.empty_object(sbis.delete_switchboard_integration_with_http_info(app_id, board, sid))
            self.used("ListSwitchboardIntegrations", "CreateSwitchboardIntegration", "DeleteSwitchboardIntegration")
        self.check("At most 10 switchboard integrations per switchboard: the 11th is 400 too_many_switchboard_integrations",
                   ("ListSwitchboardIntegrations", "CreateSwitchboardIntegration", "DeleteSwitchboardIntegration"), limit)

        def delete_switchboard():
            app_id, board = self.need("sb_app"), self.need("sb_id")
            self.empty_object(boards.delete_switchboard_with_http_info(app_id, board))
            assert self.raw(boards.list_switchboards_with_http_info(app_id)) == {"switchboards": []}
            self.expect_error(lambda: sbis.list_switchboard_integrations(app_id, board), 404, "switchboard_not_found")
            self.expect_error(lambda: boards.update_switchboard(app_id, board, sc.SwitchboardUpdateBody(enabled=False)),
                              404, "switchboard_not_found")
            self.expect_error(lambda: boards.delete_switchboard(app_id, board), 404, "switchboard_not_found")
            again = boards.create_switchboard_with_http_info(app_id)
            self.status(again, 201)
            fresh = again.data.switchboard.id
            assert fresh != board and self.raw(again) == {"switchboard": {"id": fresh, "enabled": False}}, self.raw(again)
            resp = sbis.list_switchboard_integrations_with_http_info(app_id, fresh)
            assert self.raw(resp) == {"switchboardIntegrations": []}, self.raw(resp)
            self.empty_object(boards.delete_switchboard_with_http_info(app_id, fresh))
            self.used("DeleteSwitchboard", "ListSwitchboards", "ListSwitchboardIntegrations", "UpdateSwitchboard",
                      "CreateSwitchboard")
        self.check("DeleteSwitchboard: 200 {}; the switchboard and its switchboard integrations are gone (404 "
                   "switchboard_not_found); a new one can be created, empty",
                   ("DeleteSwitchboard", "ListSwitchboards", "ListSwitchboardIntegrations", "UpdateSwitchboard",
                    "CreateSwitchboard"), delete_switchboard)

        def teardown():
            self.empty_object(apps.delete_app_with_http_info(self.need("sb_app")))
            self.used("DeleteApp")
        self.check("switchboards: DeleteApp of the switchboard app", ("DeleteApp",), teardown)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080")
    parser.add_argument("--key-id", default=os.environ.get("PARLEY_ACCOUNT_KEY_ID"))
    parser.add_argument("--secret", default=os.environ.get("PARLEY_ACCOUNT_KEY_SECRET"))
    parser.add_argument("--record", help="write results as JSON to this file")
    parser.add_argument("--graph-url", help="graph_standin.py's base URL (what PostConversionEvents sent Meta)")
    args = parser.parse_args()
    if not args.key_id or not args.secret:
        parser.error("--key-id/--secret (or PARLEY_ACCOUNT_KEY_ID/SECRET) are required")

    print(f"SDK: sunshine-conversations-client {sc.__version__} against {args.base_url}")
    print("note: this SDK serialises deepObject query parameters (page, filter) wrongly and has no "
          "ListUsers method; both go through the SDK's ApiClient as described in this file's docstring")
    scenario = Scenario(args.base_url, args.key_id, args.secret, args.graph_url)
    try:
        scenario.run()
    except Exception:  # a crash of the scenario itself still yields a record and a failure
        traceback.print_exc()
        scenario.results.append({"name": "scenario ran to the end", "operations": [],
                                 "ok": False, "detail": traceback.format_exc(limit=3)})

    def coverage():
        missing = [op for op in IMPLEMENTED if op not in scenario.exercised]
        assert not missing, f"not exercised: {missing}"
    scenario.check("every implemented operation was exercised through the SDK", (), coverage)

    passed = sum(1 for r in scenario.results if r["ok"])
    failed = len(scenario.results) - passed
    failed_ops = sorted({op for r in scenario.results if not r["ok"] for op in r["operations"]})
    if args.record:
        write_json(args.record, {
            "sdk": f"sunshine-conversations-client {sc.__version__}",
            "checks": scenario.results,
            "exercised": scenario.exercised,
            "failed_operations": failed_ops,
            "passed": passed,
            "failed": failed,
        })
    print(f"SDK scenario: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
