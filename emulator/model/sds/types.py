"""SdsTypes: parsing and checking a type definition, its key properties, and the namespace's type registry."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from ..errors import BadRequest, Conflict, NotFound
from .typecodes import INDEXABLE, base_name, type_code_name

MAX_ID_LENGTH = 100


def check_sds_id(kind: str, value: Any) -> str:
    """SDS identifier rules: a non-empty string of at most 100 characters, no `/`, not starting with `__`."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"The {kind} id must be a non-empty string.", parameters={"Id": value})
    if len(value) > MAX_ID_LENGTH or "/" in value or value.startswith("__") or any(ord(c) < 32 for c in value):
        raise BadRequest(f"The {kind} id {value!r} is invalid: at most {MAX_ID_LENGTH} characters, no '/', "
                         "no control characters, and it cannot start with '__'.", parameters={"Id": value})
    return value


@dataclass(frozen=True)
class Property:
    id: str
    code: str


@dataclass
class SdsType:
    id: str
    #: The definition as returned to clients: what was sent, with type codes as names.
    body: dict[str, Any]
    keys: list[Property]
    properties: dict[str, Property]
    canonical: Any = field(repr=False, default=None)
    created: datetime | None = None

    def property(self, name: str) -> Property | None:
        return self.properties.get(name.lower())


def _canonical(node: Any) -> Any:
    """What makes two definitions the same type: ids, codes, keys and order, not names or descriptions."""
    if isinstance(node, dict):
        folded = {str(k).lower(): v for k, v in node.items()}
        return (
            str(folded.get("id") or "").lower(),
            type_code_name(folded.get("sdstypecode")),
            bool(folded.get("iskey")),
            folded.get("order") or 0,
            tuple(_canonical(p) for p in folded.get("properties") or ()),
            _canonical(folded.get("sdstype")) if isinstance(folded.get("sdstype"), dict) else None,
        )
    return None


def _normalise(node: dict[str, Any], where: str) -> dict[str, Any]:
    """A copy of a type node with `SdsTypeCode` as its name; 400 on anything that is not a type."""
    out = dict(node)
    code_key = next((k for k in node if k.lower() == "sdstypecode"), None)
    if code_key is None:
        raise BadRequest(f"{where} has no SdsTypeCode.", parameters={"SdsTypeCode": None})
    name = type_code_name(node[code_key])
    if name is None:
        raise BadRequest(f"{where} has an unknown SdsTypeCode {node[code_key]!r}.",
                         parameters={"SdsTypeCode": str(node[code_key])})
    out[code_key] = name
    props_key = next((k for k in node if k.lower() == "properties"), None)
    if props_key is not None and node[props_key] is not None:
        if not isinstance(node[props_key], list):
            raise BadRequest(f"{where}: Properties must be an array.")
        out[props_key] = [_normalise_property(p, f"{where}, property {i}") for i, p in enumerate(node[props_key])]
    return out


def _normalise_property(prop: Any, where: str) -> dict[str, Any]:
    if not isinstance(prop, dict):
        raise BadRequest(f"{where} must be an object.")
    out = dict(prop)
    folded = {k.lower(): k for k in prop}
    pid = prop.get(folded.get("id", "Id"))
    if not isinstance(pid, str) or not pid.strip():
        raise BadRequest(f"{where} needs a non-empty Id.")
    iskey = prop.get(folded.get("iskey", "IsKey"), False)
    if iskey is not None and not isinstance(iskey, bool):
        raise BadRequest(f"{where}: IsKey must be true or false.")
    order = prop.get(folded.get("order", "Order"))
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        raise BadRequest(f"{where}: Order must be an integer.")
    nested = prop.get(folded.get("sdstype", "SdsType"))
    if not isinstance(nested, dict):
        raise BadRequest(f"{where} ({pid}) needs an SdsType object.")
    out[folded.get("sdstype", "SdsType")] = _normalise(nested, f"{where} ({pid})")
    return out


def parse_type(type_id: str, body: Any, now: datetime) -> SdsType:
    check_sds_id("type", type_id)
    if not isinstance(body, dict):
        raise BadRequest("The type must be a JSON object.")
    folded = {str(k).lower(): k for k in body}
    given_id = body.get(folded.get("id", "Id"))
    if given_id is not None and (not isinstance(given_id, str) or given_id.lower() != type_id.lower()):
        raise BadRequest(f"The type's Id {given_id!r} does not match the id in the URL {type_id!r}.",
                         parameters={"Id": str(given_id)})
    normalised = _normalise(body, f"Type {type_id!r}")
    normalised[folded.get("id", "Id")] = type_id
    properties: dict[str, Property] = {}
    keyed: list[tuple[int, int, Property]] = []
    for position, prop in enumerate(normalised.get(folded.get("properties", "Properties")) or []):
        pfold = {k.lower(): k for k in prop}
        pid = prop[pfold["id"]]
        code = prop[pfold["sdstype"]][next(k for k in prop[pfold["sdstype"]] if k.lower() == "sdstypecode")]
        if pid.lower() in properties:
            raise BadRequest(f"Type {type_id!r} has two properties named {pid!r}.", parameters={"Property": pid})
        properties[pid.lower()] = Property(pid, code)
        if prop.get(pfold.get("iskey", "IsKey")):
            name, nullable = base_name(code)
            if name not in INDEXABLE or code.startswith("Nullable"):
                raise BadRequest(f"Key property {pid!r} of type {type_id!r} has type {code}, which cannot be an index.",
                                 parameters={"Property": pid})
            keyed.append((prop.get(pfold.get("order", "Order")) or 0, position, Property(pid, code)))
    if not keyed:
        raise BadRequest(f"Type {type_id!r} has no key property (IsKey: true).",
                         resolution="Mark the index property of the type with IsKey: true.")
    for stale in [k for k in normalised if k.lower() in ("createddate", "modifieddate")]:
        del normalised[stale]
    return SdsType(type_id, normalised, [p for _, _, p in sorted(keyed, key=lambda k: (k[0], k[1]))], properties,
                   _canonical(body), now)


class TypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, SdsType] = {}

    def get(self, type_id: str) -> SdsType:
        found = self._types.get(type_id.lower())
        if found is None:
            raise NotFound(f"Type {type_id!r} was not found.", parameters={"typeId": type_id})
        return found

    def find(self, type_id: str) -> SdsType | None:
        return self._types.get(type_id.lower())

    def get_or_create(self, definition: SdsType) -> tuple[SdsType, bool]:
        existing = self._types.get(definition.id.lower())
        if existing is None:
            self._types[definition.id.lower()] = definition
            return definition, True
        if existing.canonical != definition.canonical:
            raise Conflict(f"A different type with id {definition.id!r} already exists.",
                           parameters={"typeId": definition.id})
        return existing, False

    def all(self) -> list[SdsType]:
        return list(self._types.values())

    def delete(self, type_id: str, in_use: Callable[[SdsType], bool]) -> None:
        found = self.get(type_id)
        if in_use(found):
            raise Conflict(f"Type {type_id!r} is used by at least one stream.",
                           resolution="Delete the streams of this type first.", parameters={"typeId": type_id})
        del self._types[type_id.lower()]
