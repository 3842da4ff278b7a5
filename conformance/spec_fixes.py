"""Corrections applied, at run time, to a private copy of the spec that schemathesis reads.

The published spec is never edited: conformance/schemathesis_run.py loads it, applies
the fixes below and writes the result into the run's temporary folder. Every fix is
listed, with its reason, in conformance/EXCLUSIONS.md; keep the two in step.

Each fix only makes the schema say what the spec's own prose says, so the generated
"valid" data really is valid and the generated "invalid" data really is invalid.
None of them widens what a server response may look like. Where a fix touches a schema
that responses use too, its effect there is stricter (`flat-metadata`, the subtypes
bounds, `author-identifies-user`, `text-content-rules`) or resolves a oneOf the way its
discriminator does (`discriminator-type-enum`: a message's content is checked against
exactly the member its `type` names, where the published schema rejected every correct
template, carousel, … as "valid under more than one").
"""

from __future__ import annotations

import copy
import re
from typing import Callable

ERROR_400 = {
    "description": "Bad request (added by conformance/spec_fixes.py)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/errorResponse"}}},
}


def _operation(spec: dict, operation_id: str) -> dict:
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


ERROR_404 = {
    "description": "Not found (added by conformance/spec_fixes.py)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/errorResponse"}}},
}


def undocumented_400(spec: dict) -> None:
    """Operations that validate input but document no 400 get the API's usual 400 errorResponse."""
    for op_id in ("CreateAppKey", "CreateUser", "UpdateUser", "ListUsers",
                  "CreateConversation", "UpdateConversation", "LeaveConversation",
                  "PostMessage", "ListMessages", "PostActivity",
                  "UpdateIntegration", "CreateCustomIntegrationKey", "CreateClient",
                  "UpdateSwitchboard", "UpdateSwitchboardIntegration",
                  "PassControl", "OfferControl", "AcceptControl", "ReleaseControl",
                  "PostConversionEvents", "DownloadMessageRef", "SyncUser"):
        responses = _operation(spec, op_id)["responses"]
        responses.setdefault("400", copy.deepcopy(ERROR_400))


def undocumented_404(spec: dict) -> None:
    """PostMessage (423 only) and PostActivity (nothing) name a conversation and maybe a user;
    CreateClient, ListClients and ListDevices name a user (and an integration and a conversation);
    PostConversionEvents and DownloadMessageRef (200 only) name a conversation (and a user); SyncUser
    (200 only) names a user by its zendeskId."""
    for op_id in ("PostMessage", "PostActivity", "CreateClient", "ListClients", "ListDevices",
                  "PostConversionEvents", "DownloadMessageRef", "SyncUser"):
        responses = _operation(spec, op_id)["responses"]
        responses.setdefault("404", copy.deepcopy(ERROR_404))


def listusers_filter_required(spec: dict) -> None:
    """userFilterQuery puts `required: true` inside a property (invalid); make it a required key."""
    schema = spec["components"]["parameters"]["userFilterQuery"]["schema"]
    prop = schema["properties"]["identities.email"]
    prop.pop("required", None)
    schema["required"] = ["identities.email"]


def non_null_display_name(spec: dict) -> None:
    """`allOf: [displayName(nullable)]` + sibling `nullable: false` still admits null; inline it."""
    base = {k: v for k, v in spec["components"]["schemas"]["displayName"].items() if k != "nullable"}
    targets = [
        spec["components"]["schemas"]["appCreateBody"]["properties"],
        spec["components"]["schemas"]["appUpdateBody"]["properties"],
        _operation(spec, "CreateAppKey")["requestBody"]["content"]["application/json"]["schema"]["properties"],
    ]
    for props in targets:
        old = props["displayName"]
        props["displayName"] = {**base, **{k: old[k] for k in ("description", "example") if k in old}}


def flat_metadata(spec: dict) -> None:
    """metadata is documented as flat (string, number and boolean values only)."""
    spec["components"]["schemas"]["metadata"]["additionalProperties"] = {
        "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
    }


def cursor_is_record_id(spec: dict) -> None:
    """page[after]/page[before] are record ids (24 hex); an invalid cursor is documented as 400."""
    props = spec["components"]["schemas"]["page"]["properties"]
    for name in ("after", "before"):
        props[name]["pattern"] = "^[0-9a-f]{24}$"


def signed_up_at_response_format(spec: dict) -> None:
    """signedUpAt "Must be ISO 8601 time format YYYY-MM-DDThh:mm:ss.sssZ"; hold responses to it.

    Only the `user` (response) schema gets the pattern. Request bodies keep the plain
    string: the server may accept more spellings than the documented one, and the
    rejection of non-datetime strings is waived as W6 instead (EXCLUSIONS.md).
    """
    props = spec["components"]["schemas"]["user"]["allOf"][1]["properties"]
    props["signedUpAt"] = {
        "allOf": [{"$ref": "#/components/schemas/signedUpAt"}],
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$",
    }


def discriminator_type_enum(spec: dict) -> None:
    """`content`, `action` and `actionSubset` are oneOfs told apart by a `type` discriminator.

    The member schemas give `type` a default but no enum, so for JSON Schema a template
    (or any content) also matches `textMessage`, which only requires `type`, and the oneOf
    fails on the server's correct answers. Pin each member's `type` to its discriminator
    value, as the mapping (explicit for content, implicit by schema name for actions) says.
    """
    schemas = spec["components"]["schemas"]
    for union in ("content", "action", "actionSubset"):
        # value -> $ref; without a mapping, OpenAPI's implicit one: the schema name is the value
        mapping = schemas[union]["discriminator"].get("mapping") or {
            ref["$ref"].rsplit("/", 1)[1]: ref["$ref"] for ref in schemas[union]["oneOf"]}
        for value, ref in mapping.items():
            schemas[ref.rsplit("/", 1)[1]]["properties"]["type"]["enum"] = [value]


def exactly_one_id(spec: dict) -> None:
    """"One of `userId` or `userExternalId` is required, but not both" (and likewise for Leave).

    participantSubSchema (CreateConversation participants, JoinConversation) and
    participantLeaveBody are unions of objects that require nothing, so `{}` and
    `{userId, userExternalId}` are valid; participantLeaveBody's oneOf can never hold at
    all (every object matches its three branches). ListConversations' filter has the same
    prose, and messagePost.destination (oneOf `{integrationId}` | `{integrationType}`) the same
    construction. Rewrite each as one object whose properties are strings and exactly one of
    them is present.
    """
    schemas = spec["components"]["schemas"]

    def one_of(properties: dict, keys: tuple[str, ...], title: str) -> dict:
        return {"type": "object", "title": title, "properties": properties,
                "oneOf": [{"required": [k]} for k in keys]}

    sub = schemas["participantSubSchema"]["anyOf"]
    props = {**sub[0]["properties"], **sub[1]["properties"]}
    schemas["participantSubSchema"] = one_of(props, ("userId", "userExternalId"),
                                             "participantSubSchema")
    leave = schemas["participantLeaveBody"]["oneOf"]
    props = {k: v for branch in leave for k, v in branch["properties"].items()}
    schemas["participantLeaveBody"] = one_of(props, ("userId", "userExternalId", "participantId"),
                                             "participantLeaveBody")
    flt = spec["components"]["parameters"]["conversationFilterQuery"]["schema"]
    flt["oneOf"] = [{"required": ["userId"]}, {"required": ["userExternalId"]}]
    # messagePost.destination: oneOf {integrationId} | {integrationType}, same construction.
    dest = schemas["destination"]
    props = {k: v for branch in dest["oneOf"] for k, v in branch["properties"].items()}
    schemas["destination"] = {**one_of(props, ("integrationId", "integrationType"), "destination"),
                              "description": dest.get("description", "")}


def author_subtypes_bounds(spec: dict) -> None:
    """author.subtypes puts minItems/maxItems/uniqueItems on the *item* string, where they mean
    nothing; they belong to the array ("array of exactly 1", DIGEST §2 Message)."""
    subtypes = spec["components"]["schemas"]["author"]["properties"]["subtypes"]
    for key in ("uniqueItems", "minItems", "maxItems"):
        if key in subtypes["items"]:
            subtypes[key] = subtypes["items"].pop(key)


def author_identifies_user(spec: dict) -> None:
    """author.userId / userExternalId are "Only supported when `type` is user"; a `user` author
    is that user, named by exactly one of the two alternative identifiers (the pair the API
    uses everywhere with "One of `userId` or `userExternalId` is required, but not both")."""
    author = spec["components"]["schemas"]["author"]
    ids = [{"required": ["userId"]}, {"required": ["userExternalId"]}]
    author["oneOf"] = [
        {"properties": {"type": {"enum": ["business"]}}, "not": {"anyOf": ids}},
        {"properties": {"type": {"enum": ["user"]}}, "oneOf": ids},
    ]


def user_activity_is_read(spec: dict) -> None:
    """activityTypes.type: "If the author type is `user`, only `conversation:read` is supported"."""
    spec["components"]["schemas"]["activityPost"]["anyOf"] = [
        {"properties": {"author": {"properties": {"type": {"enum": ["business"]}}}}},
        {"properties": {"type": {"enum": ["conversation:read"]}}},
    ]


def action_uris(spec: dict) -> None:
    """Action fields the spec names as URIs but types as plain strings: link.uri ("The action
    URI"), webview.uri ("The webview URI"), webview.fallback ("The fallback uri") and
    reply.iconUrl (an icon URL). Every other URL of the spec (mediaUrl, avatarUrl, iconUrl)
    is `format: uri`; so are these."""
    schemas = spec["components"]["schemas"]
    for name, field in (("link", "uri"), ("webview", "uri"), ("webview", "fallback"), ("reply", "iconUrl")):
        schemas[name]["properties"][field]["format"] = "uri"


def buy_and_location_values(spec: dict) -> None:
    """Values whose range the prose fixes but the schema leaves open.

    - buy.amount: "The amount being charged … in cents": a charge is not negative (minimum 0).
    - buy.currency: "An ISO 4217 standard currency code": three letters. The prose says
      lowercase, but the spec's own example is `CAD`, so either case is accepted.
    - location coordinates: "Global latitude/longitude", which exist only from -90 to 90 and
      from -180 to 180.
    """
    schemas = spec["components"]["schemas"]
    schemas["buy"]["properties"]["amount"]["minimum"] = 0
    schemas["buy"]["properties"]["currency"]["pattern"] = "^[A-Za-z]{3}$"
    coordinates = schemas["locationMessage"]["properties"]["coordinates"]["properties"]
    coordinates["lat"].update(minimum=-90, maximum=90)
    coordinates["long"].update(minimum=-180, maximum=180)


def personal_one_participant(spec: dict) -> None:
    """"For `personal` conversations, this field is required with a length of exactly 1"."""
    body = spec["components"]["schemas"]["conversationCreateBody"]
    body["anyOf"] = [
        {"properties": {"type": {"enum": ["sdkGroup"]}}},
        {"required": ["participants"], "properties": {"participants": {"minItems": 1, "maxItems": 1}}},
    ]


def text_content_rules(spec: dict) -> None:
    """textMessage.text is "Required unless `actions`, `htmlText` or `markdownText` is provided"
    (an empty `actions` array does not count), and markdownText "Cannot be used with `htmlText`"
    (and vice versa; the same shared fields on image and file messages)."""
    text = spec["components"]["schemas"]["textMessage"]
    text["anyOf"] = [{"required": [k]} for k in ("text", "htmlText", "markdownText")]
    # An empty `actions` array gives the message nothing to show; it does not stand in for text.
    text["anyOf"].insert(1, {"required": ["actions"], "properties": {"actions": {"minItems": 1}}})
    for name in ("textMessage", "imageMessage", "fileMessage"):  # the three with both fields
        spec["components"]["schemas"][name]["not"] = {"required": ["htmlText", "markdownText"]}


def post_message_rules(spec: dict) -> None:
    """PostMessage's own rules for `content`, which the shared `content` schema cannot carry.

    - formResponse messages "cannot be sent via the API" (formResponseMessage).
    - A template needs `schema: whatsapp` ("`schema` must be set to `whatsapp`",
      templateMessage.template), and with `schema: whatsapp` "the `content` key is expected to
      conform to the native WhatsApp schema for sending message templates" (messagePost.schema),
      i.e. be a template. `whatsapp` is the only value the spec defines for `schema`.
    """
    body = spec["components"]["schemas"]["messagePost"]

    def content_type(*types: str) -> dict:
        return {"required": ["type"], "properties": {"type": {"enum": list(types)}}}

    body["properties"]["content"] = {
        "allOf": [*body["properties"]["content"]["allOf"], {"not": content_type("formResponse")}],
        "description": body["properties"]["content"].get("description", ""),
    }
    body["properties"]["schema"]["enum"] = ["whatsapp"]
    body["anyOf"] = [
        {"not": {"required": ["schema"]}, "properties": {"content": {"not": content_type("template")}}},
        {"required": ["schema"], "properties": {"content": content_type("template")}},
    ]


def integration_update_by_type(spec: dict) -> None:
    """integrationUpdate is a oneOf of the 16 `<type>Update` schemas, which all share
    displayName/defaultResponderId/showAIDisclaimer and forbid nothing else, so a body such as
    `{"displayName": "x"}` matches them all and the oneOf rejects the most basic update. The
    member is picked by the type of the integration named in the path, not by the body: anyOf."""
    schema = spec["components"]["schemas"]["integrationUpdate"]
    schema["anyOf"] = schema.pop("oneOf")


def integration_by_type(spec: dict) -> None:
    """CreateIntegration's body is `integration`, whose `type` discriminator maps the 16 type
    schemas (mailgun, telegram, …); but it is not a oneOf, so for JSON Schema only the base
    (which requires nothing but `type`) applies and `{"type": "telegram"}` without its required
    `token` counts as valid. Make the body a oneOf of the mapped schemas, each with its `type`
    pinned to its discriminator value. Twilio also gets its prose rule: "One of
    `messagingServiceSid` or `phoneNumberSid` must be provided when creating", and messenger's
    pageId/pageName are marked readOnly (see below)."""
    schemas = spec["components"]["schemas"]
    mapping = schemas["integration"]["discriminator"]["mapping"]
    for value, ref in mapping.items():
        member = schemas[ref.rsplit("/", 1)[1]]
        own = next(part for part in member["allOf"] if "$ref" not in part and "type" in part.get("properties", {}))
        own["properties"]["type"]["enum"] = [value]
    # Messenger: the setup steps name the inputs ("call the Create Integration endpoint with your
    # app secret and ID and the user's page access token"); the page is the token's, so pageId and
    # pageName are output only, as the same fields of instagram are marked.
    messenger = schemas[mapping["messenger"].rsplit("/", 1)[1]]
    for part in messenger["allOf"]:
        for name in ("pageId", "pageName"):
            if name in part.get("properties", {}):
                part["properties"][name]["readOnly"] = True
    twilio = schemas[mapping["twilio"].rsplit("/", 1)[1]]
    twilio["anyOf"] = [{"required": ["phoneNumberSid"]}, {"required": ["messagingServiceSid"]}]
    body = _operation(spec, "CreateIntegration")["requestBody"]["content"]["application/json"]
    body["schema"] = {"oneOf": [{"$ref": ref} for ref in mapping.values()]}


def webhook_target_uri(spec: dict) -> None:
    """A webhook `target` is the "URL to be called when the webhook is triggered" ("a POST
    request will be made to the URL configured in your webhook object", Webhooks tag), typed as
    a plain string; like every other URL of the spec it gets `format: uri`."""
    spec["components"]["schemas"]["target"]["format"] = "uri"


def integration_display_name_non_empty(spec: dict) -> None:
    """The integration's displayName has `maxLength: 100` but no `minLength`, while the same field
    of all 16 `<type>Update` schemas has `minLength: 1`; the create schema gets the same bound."""
    spec["components"]["schemas"]["integration"]["properties"]["displayName"]["minLength"] = 1


def webhook_trigger_names(spec: dict) -> None:
    """`triggers` is an array of any strings; its description links the "Webhook Triggers" table
    of the Webhooks tag, which lists the trigger names ("This property is case sensitive").
    The enum is read from that table, so it follows the spec."""
    tag = next(t for t in spec.get("tags", []) if t.get("name") == "Webhooks")
    table = tag["description"].split("## Webhook Triggers", 1)[1].split("\n## ", 1)[0]
    names = [m.group(1) for m in re.finditer(r"^\|\s*([a-z]+(?::[A-Za-z]+)+)\s*\|", table, re.M)]
    assert len(names) >= 20, f"trigger table not found ({names})"
    spec["components"]["schemas"]["triggers"]["items"]["enum"] = names


def switchboard_integration_name(spec: dict) -> None:
    """A switchboard integration's `name` is an "Identifier for use in control transfer protocols.
    Restricted to alphanumeric characters, `-` and `_`" (it names the target of passControl and
    offerControl), but the schema is any string up to 128 characters, the empty one included."""
    spec["components"]["schemas"]["name"]["pattern"] = "^[A-Za-z0-9_-]+$"


def switchboard_integration_link(spec: dict) -> None:
    """The integration a switchboard integration links to: on create "One of `integrationId` or
    `integrationType` must be provided" (each "Must be used when linking" its kind of integration),
    on update "Can't provide both `integrationId` and `integrationType`"; the schemas require
    neither and allow both."""
    schemas = spec["components"]["schemas"]
    schemas["switchboardIntegrationCreateBody"]["oneOf"] = [
        {"required": ["integrationId"]}, {"required": ["integrationType"]}]
    schemas["switchboardIntegrationUpdateBody"]["not"] = {"required": ["integrationId", "integrationType"]}


def integration_key_display_name(spec: dict) -> None:
    """CreateCustomIntegrationKey's `displayName` is a plain string, but the key comes back as `apiKey`,
    whose displayName is the `displayName` schema (1..100 characters, as for app keys): same bounds."""
    body = _operation(spec, "CreateCustomIntegrationKey")["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["displayName"].update(minLength=1, maxLength=100)


def attachment_query_values(spec: dict) -> None:
    """UploadAttachment's `access` is any string ("Currently the only available access level is public.
    Private is not supported.") and `for` any string ("For now, only message is supported."): each gets
    the one value its description allows as an enum."""
    params = spec["components"]["parameters"]
    params["accessQuery"]["schema"]["enum"] = ["public"]
    params["forQuery"]["schema"]["enum"] = ["message"]


def oauth_authorize(spec: dict) -> None:
    """Authorize documents only its 302. `response_type`: "For now the only acceptable value is code"
    (any string in the schema). A `client_id` that names no client, or a `redirect_uri` not "contained
    in the list configured by your integration", cannot be redirected to (RFC 6749 §4.1.2.1: the
    server "MUST NOT automatically redirect the user-agent to the invalid redirection URI" and
    "SHOULD inform the resource owner of the error"): a 400 page, text/html."""
    spec["components"]["parameters"]["responseTypeQuery"]["schema"]["enum"] = ["code"]
    _operation(spec, "Authorize")["responses"].setdefault("400", {
        "description": "The request names no client or an unregistered redirect_uri, shown to the owner "
                       "(added by conformance/spec_fixes.py)",
        "content": {"text/html": {"schema": {"type": "string"}}}})


OAUTH_ERROR = {  # RFC 6749 §5.2, beside the API's own error envelope
    "allOf": [{"$ref": "#/components/schemas/errorResponse"}, {
        "type": "object", "required": ["error"],
        "properties": {
            "error": {"type": "string", "enum": ["invalid_request", "invalid_client", "invalid_grant",
                                                 "unauthorized_client", "unsupported_grant_type", "invalid_scope"]},
            "error_description": {"type": "string"}}}]}


def oauth_token_errors(spec: dict) -> None:
    """GetToken documents only 200. `grant_type` "Must be set to the string `authorization_code`"
    (any string in the schema). The exchange is RFC 6749's (§4.1.3, the authorization code grant the
    OAuth tag describes), whose errors are 400 and, for a client that fails to authenticate, 401
    (§5.2), with the body `{error, error_description}`."""
    op = _operation(spec, "GetToken")
    body = op["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["grant_type"]["enum"] = ["authorization_code"]
    for status, description in (("400", "RFC 6749 §5.2 error"), ("401", "RFC 6749 §5.2 invalid_client")):
        op["responses"].setdefault(status, {
            "description": f"{description} (added by conformance/spec_fixes.py)",
            "content": {"application/json": {"schema": copy.deepcopy(OAUTH_ERROR)}}})


def token_info_credentials(spec: dict) -> None:
    """GetTokenInfo has `security: []`, but it retrieves "the app linked to the OAuth token" and "may also
    be used to confirm that the credentials are still valid": it needs the credentials it describes.
    Declare them (Bearer, or Basic as every other operation allows), so `ignored_auth` checks them too."""
    _operation(spec, "GetTokenInfo")["security"] = [{"bearerAuth": []}, {"basicAuth": []}]


def conversion_events_body(spec: dict) -> None:
    """conversionEventsBody is a oneOf of three titled objects (Messenger, Instagram, WhatsApp), each with
    one optional property, so `{}` and every other object match all three and the oneOf never holds:
    each branch requires its own channel. The payload "Should contain the exact structure expected by
    Meta's Conversions API … except for the `user_data` and `messaging_channel` fields": Meta takes at
    least one event in `data`, each with a required `event_name` (a string) and `event_time` ("A Unix
    timestamp in seconds"), and `action_source` `business_messaging` for business messaging events.
    (Meta's cap of 1000 events is left out: the spec's own 100kb limit on JSON bodies binds first.
    Meta also refuses an `event_time` more than 7 days old: a window that moves with the clock, which a
    schema cannot hold; schemathesis_hooks.py gives positive cases a current one.)"""
    schemas = spec["components"]["schemas"]
    for branch in schemas["conversionEventsBody"]["oneOf"]:
        branch["required"] = list(branch["properties"])
    data = schemas["metaConversionEvent"]["properties"]["payload"]["properties"]["data"]
    data["minItems"] = 1
    data["items"] = {"type": "object", "required": ["event_name", "event_time"], "properties": {
        "event_name": {"type": "string", "minLength": 1},
        "event_time": {"type": "integer"},
        "action_source": {"type": "string", "enum": ["business_messaging"]}}}


FIXES: dict[str, Callable[[dict], None]] = {  # in the order of EXCLUSIONS.md (F1 … F30)
    "undocumented-400": undocumented_400,
    "listusers-filter-required": listusers_filter_required,
    "non-null-display-name": non_null_display_name,
    "flat-metadata": flat_metadata,
    "cursor-is-record-id": cursor_is_record_id,
    "signed-up-at-response-format": signed_up_at_response_format,
    "undocumented-404": undocumented_404,
    "discriminator-type-enum": discriminator_type_enum,
    "exactly-one-id": exactly_one_id,
    "author-subtypes-bounds": author_subtypes_bounds,
    "author-identifies-user": author_identifies_user,
    "user-activity-is-read": user_activity_is_read,
    "personal-one-participant": personal_one_participant,
    "text-content-rules": text_content_rules,
    "post-message-rules": post_message_rules,
    "action-uris": action_uris,
    "buy-and-location-values": buy_and_location_values,
    "integration-by-type": integration_by_type,
    "integration-update-by-type": integration_update_by_type,
    "integration-display-name-non-empty": integration_display_name_non_empty,
    "webhook-trigger-names": webhook_trigger_names,
    "webhook-target-uri": webhook_target_uri,
    "switchboard-integration-name": switchboard_integration_name,
    "switchboard-integration-link": switchboard_integration_link,
    "integration-key-display-name": integration_key_display_name,
    "attachment-query-values": attachment_query_values,
    "oauth-authorize": oauth_authorize,
    "oauth-token-errors": oauth_token_errors,
    "token-info-credentials": token_info_credentials,
    "conversion-events-body": conversion_events_body,
}


def apply(spec: dict) -> tuple[dict, list[str]]:
    fixed = copy.deepcopy(spec)
    for fix in FIXES.values():
        fix(fixed)
    return fixed, list(FIXES)
