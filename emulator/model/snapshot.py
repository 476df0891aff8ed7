"""Export and import of the whole emulated state as JSON (`GET`/`PUT /_emulator/state`).

A snapshot holds every namespace: SDS types, streams with their events, signups with their
subscriptions, and the change log, with times as microseconds since 1970 so nothing is rounded.
The clock, the scenario and issued tokens are not part of it. An import builds everything anew
and swaps it in only when all of it was read, so a bad snapshot changes nothing.
"""
from __future__ import annotations

from typing import Any

from .changelog import Operation
from .emulator import Emulator
from .errors import BadRequest, ServiceError
from .identity import Principal
from .namespace import Namespace
from .sds.types import parse_type
from .signing import from_micros, to_micros
from .signups import Signup, SignupState, Subscription

VERSION = 1


def _micros(moment) -> int | None:
    return None if moment is None else to_micros(moment)


def _moment(value):
    return None if value is None else from_micros(int(value))


def export_state(emulator: Emulator) -> dict[str, Any]:
    return {"version": VERSION, "namespaces": [_export_namespace(ns) for ns in emulator.namespaces()]}


def _export_namespace(namespace: Namespace) -> dict[str, Any]:
    return {
        "tenant": namespace.tenant,
        "namespace": namespace.id,
        "types": [{"id": t.id, "body": t.body, "created": _micros(t.created)} for t in namespace.types.all()],
        "streams": [{"id": s.id, "body": s.body, "created": _micros(s.created), "modified": _micros(s.modified),
                     "since": s.since_position, "events": s.window_all()} for s in namespace.streams.all()],
        "signups": [_export_signup(s) for s in namespace.signups],
        "log": namespace.log.export(),
    }


def _export_signup(signup: Signup) -> dict[str, Any]:
    return {
        "id": signup.id, "name": signup.name, "owner": [signup.owner.client_id, signup.owner.tenant],
        "tenant": signup.tenant, "communityId": signup.community_id, "created": _micros(signup.created),
        "readyAt": _micros(signup.ready_at), "modified": _micros(signup.modified),
        "lastActivity": _micros(signup.last_activity), "state": signup.state.value,
        "activatedAt": _micros(signup.activated_at), "expiredAt": _micros(signup.expired_at),
        "startPosition": signup.start_position,
        "resources": [[rid, _micros(added)] for rid, added in signup.resources.items()],
        "subscriptions": [[key, s.resource_id, s.intervals] for key, s in signup.subscriptions.items()],
        "failsActivation": signup.fails_activation, "activationGets": signup.activation_gets,
        "forcedExpiry": _micros(signup.forced_expiry), "expiresOnRequest": signup.expires_on_request,
        "requests": signup.requests,
    }


def import_state(emulator: Emulator, snapshot: Any) -> None:
    """Replace all namespaces with the snapshot's; a 400 (and no change) when it cannot be read."""
    try:
        if not isinstance(snapshot, dict) or snapshot.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} snapshot")
        namespaces = [_import_namespace(emulator, entry) for entry in snapshot["namespaces"]]
        keys = [(ns.tenant.lower(), ns.id.lower()) for ns in namespaces]
        if len(set(keys)) != len(keys):
            raise ValueError("a namespace appears twice")
    except ServiceError as exc:
        raise BadRequest(f"The snapshot holds invalid data: {exc.reason}", error="The state is invalid.") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise BadRequest(f"The snapshot cannot be read: {exc!r}.", error="The state is invalid.",
                         resolution="Send what GET /_emulator/state returned.") from None
    emulator.replace_namespaces(namespaces)


def _import_namespace(emulator: Emulator, entry: dict) -> Namespace:
    namespace = emulator.new_namespace(str(entry["tenant"]), str(entry["namespace"]))
    for item in entry["types"]:
        namespace.types.get_or_create(parse_type(item["id"], item["body"], _moment(item["created"])))
    for item in entry["streams"]:
        sds_type = namespace.types.get(item["body"].get("TypeId") or "")
        stream, _ = namespace.streams.get_or_create(item["id"], item["body"], sds_type, _moment(item["created"]),
                                                    int(item["since"]))
        stream.modified = _moment(item["modified"])
        stream.upsert(list(item["events"]))
    for item in entry["signups"]:
        namespace.signups.restore(_import_signup(item))
    log = entry["log"]
    namespace.log.load(int(log["offset"]), [(str(k), Operation(op), int(t), list(events))
                                            for k, op, t, events in log["entries"]])
    return namespace


def _import_signup(item: dict) -> Signup:
    client_id, tenant = item["owner"]
    signup = Signup(
        id=str(item["id"]), name=str(item["name"]), owner=Principal(str(client_id), tenant),
        tenant=str(item["tenant"]), community_id=item["communityId"], created=_moment(item["created"]),
        ready_at=_moment(item["readyAt"]), modified=_moment(item["modified"]),
        last_activity=_moment(item["lastActivity"]), state=SignupState(item["state"]),
        activated_at=_moment(item["activatedAt"]), expired_at=_moment(item["expiredAt"]),
        start_position=int(item["startPosition"]),
        resources={str(rid): _moment(added) for rid, added in item["resources"]},
        subscriptions={str(key): Subscription(str(rid), [[int(a), None if b is None else int(b)] for a, b in spans])
                       for key, rid, spans in item["subscriptions"]},
        fails_activation=bool(item["failsActivation"]), activation_gets=int(item["activationGets"]),
        forced_expiry=_moment(item["forcedExpiry"]), expires_on_request=item["expiresOnRequest"],
        requests=int(item["requests"]),
    )
    return signup
