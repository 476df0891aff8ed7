"""Scenario files: YAML (or JSON) that sets the clock and settings, seeds data and clients, and declares faults.

Every mistake names the file, the line and the key: unknown keys, wrong types, bad durations,
unknown route names and impossible combinations are errors, never ignored. See docs/scenarios.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .api.routes import SERVICE_ROUTE_NAMES
from .durations import DurationError, parse_duration
from .model.errors import ServiceError
from .model.faults import ACTION_ROUTES, HTTP_ACTIONS, SIGNUP_ACTIONS, Rule, Trigger, When, glob
from .model.sds.types import parse_type
from .settings import Settings, SettingsError, coerce

#: Settings a scenario may set (where to listen, logging and the signing key belong to the process).
SCENARIO_SETTINGS = ("activation_delay", "inactivity_expiry", "bookmark_ttl", "token_lifetime", "retention",
                     "page_size", "max_signups_per_namespace", "max_resource_ids_per_request", "operation_names",
                     "auth", "journal_size")
ACTIONS = HTTP_ACTIONS + SIGNUP_ACTIONS + ("fail_resources", "bookmark_ttl", "bookmark_uses", "reorder")
_CHECK_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)
#: The ready-made scenarios: installed as package data, or the source tree's `scenarios/`.
BUNDLED = next((p for p in (Path(__file__).resolve().parent / "bundled_scenarios",
                            Path(__file__).resolve().parent.parent / "scenarios") if p.is_dir()),
               Path(__file__).resolve().parent / "bundled_scenarios")


class ScenarioError(ValueError):
    def __init__(self, source: str, line: int, key: str, message: str):
        self.source, self.line, self.key, self.message = source, line, key, message
        super().__init__(f"{source}:{line}: {key}: {message}")


@dataclass(frozen=True)
class ClientRule:
    id: str
    secret: str | None
    tenant: str | None
    cannot_read: frozenset[str]


@dataclass
class SeedEntry:
    tenant: str
    namespace: str
    types: list[tuple[str, dict]] = field(default_factory=list)
    streams: list[tuple[str, dict]] = field(default_factory=list)


@dataclass
class Scenario:
    sources: list[str] = field(default_factory=list)
    description: str = ""
    clock: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    seed: list[SeedEntry] = field(default_factory=list)
    clients: dict[str, ClientRule] = field(default_factory=dict)
    faults: list[Rule] = field(default_factory=list)
    text: str = ""

    def then(self, later: "Scenario") -> "Scenario":
        """This scenario with a later one on top: its keys win, seeds and faults add up, clients merge by id."""
        rules = [Rule(i, r.name, r.when, r.trigger, r.actions) for i, r in enumerate(self.faults + later.faults)]
        return Scenario(self.sources + later.sources, later.description or self.description,
                        {**self.clock, **later.clock}, {**self.settings, **later.settings}, self.seed + later.seed,
                        {**self.clients, **later.clients}, rules, self.text + later.text)


class _Reader:
    """Walks the YAML node tree, so every error can point at a line."""

    def __init__(self, source: str):
        self.source = source
        self._constructor = SafeConstructor()

    def fail(self, node: yaml.Node, key: str, message: str) -> ScenarioError:
        return ScenarioError(self.source, node.start_mark.line + 1, key, message)

    def value(self, node: yaml.Node, key: str) -> Any:
        try:
            return self._constructor.construct_document(node)
        except (ConstructorError, ValueError) as exc:
            raise self.fail(node, key, f"cannot be read: {exc}") from None

    def mapping(self, node: yaml.Node, key: str, allowed: tuple[str, ...] | None) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, "must be a mapping")
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(node, key or "(file)", f"unsupported YAML tag {node.tag}")
        pairs, seen = [], set()
        for key_node, value_node in node.value:
            name = self.value(key_node, key)
            if not isinstance(name, str):
                raise self.fail(key_node, key, f"keys must be text, not {name!r}")
            full = f"{key}.{name}" if key else name
            if allowed is not None and name not in allowed:
                raise self.fail(key_node, full, f"unknown key; expected one of {', '.join(allowed)}")
            if name in seen:
                raise self.fail(key_node, full, "given twice")
            seen.add(name)
            pairs.append((name, key_node, value_node))
        return pairs

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, key, "must be a list")
        if node.tag != "tag:yaml.org,2002:seq":
            raise self.fail(node, key, f"unsupported YAML tag {node.tag}")
        return node.value

    def text(self, node: yaml.Node, key: str) -> str:
        value = self.value(node, key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, key, f"must be non-empty text, not {value!r}")
        return value

    def texts(self, node: yaml.Node, key: str) -> list[str]:
        """A text or a list of texts."""
        if isinstance(node, yaml.SequenceNode):
            return [self.text(item, key) for item in node.value]
        return [self.text(node, key)]

    def integer(self, node: yaml.Node, key: str, low: int = 0) -> int:
        value = self.value(node, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(node, key, f"must be a whole number of at least {low}, not {value!r}")
        return value

    def number(self, node: yaml.Node, key: str, low: float, high: float) -> float:
        value = self.value(node, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not low <= value <= high:
            raise self.fail(node, key, f"must be a number from {low:g} to {high:g}, not {value!r}")
        return float(value)

    def boolean(self, node: yaml.Node, key: str) -> bool:
        value = self.value(node, key)
        if not isinstance(value, bool):
            raise self.fail(node, key, f"must be true or false, not {value!r}")
        return value

    def true(self, node: yaml.Node, key: str) -> bool:
        if not self.boolean(node, key):
            raise self.fail(node, key, "can only be true (leave the key out otherwise)")
        return True

    def duration(self, node: yaml.Node, key: str) -> float:
        value = self.value(node, key)
        try:
            return parse_duration(value)
        except DurationError as exc:
            raise self.fail(node, key, str(exc)) from None

    def moment(self, node: yaml.Node, key: str) -> datetime:
        value = self.value(node, key)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                raise self.fail(node, key, f"{value!r} is not an ISO 8601 time such as 2026-01-01T00:00:00Z") from None
        if not isinstance(value, datetime):
            raise self.fail(node, key, f"must be an ISO 8601 time, not {value!r}")
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def load_text(text: str, source: str) -> Scenario:
    """A scenario from YAML or JSON text; `ScenarioError` names the source, line and key of any mistake."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(source, mark.line + 1 if mark else 1, "(file)",
                            f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    scenario = Scenario(sources=[source], text=text)
    if root is None:
        return scenario
    read = _Reader(source)
    sections: dict[str, Callable] = {
        "description": lambda node: setattr(scenario, "description", read.text(node, "description")),
        "clock": lambda node: scenario.clock.update(_clock(read, node)),
        "settings": lambda node: scenario.settings.update(_settings(read, node)),
        "seed": lambda node: scenario.seed.extend(_seed(read, node)),
        "clients": lambda node: scenario.clients.update(_clients(read, node)),
        "faults": lambda node: scenario.faults.extend(_faults(read, node)),
    }
    for name, _, node in read.mapping(root, "", tuple(sections)):
        sections[name](node)
    return scenario


def load_file(path: str | Path) -> Scenario:
    """A scenario file; a bare name such as `flaky` finds the bundled `scenarios/flaky.yaml`."""
    path = resolve(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), 1, "(file)", f"cannot be read: {exc}") from None
    return load_text(text, path.name)


def resolve(name: str | Path) -> Path:
    path = Path(name)
    if path.exists() or path.suffix or "/" in str(name):
        return path
    bundled = BUNDLED / f"{name}.yaml"
    return bundled if bundled.exists() else path


def _clock(read: _Reader, node: yaml.Node) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _, value in read.mapping(node, "clock", ("speed", "start", "frozen")):
        key = f"clock.{name}"
        if name == "speed":
            out["speed"] = read.number(value, key, 1e-9, 1_000_000)
            if out["speed"] <= 0:
                raise read.fail(value, key, "must be above 0")
        elif name == "start":
            out["start"] = read.moment(value, key)
        else:
            out["frozen"] = read.boolean(value, key)
    return out


def _settings(read: _Reader, node: yaml.Node) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _, value in read.mapping(node, "settings", SCENARIO_SETTINGS):
        key = f"settings.{name}"
        try:
            out[name] = coerce(name, read.value(value, key))
            Settings(**{name: out[name]})
        except SettingsError as exc:
            raise read.fail(value, key, str(exc)) from None
    return out


def _clients(read: _Reader, node: yaml.Node) -> dict[str, ClientRule]:
    out = {}
    for index, item in enumerate(read.sequence(node, "clients")):
        where = f"clients[{index}]"
        fields: dict[str, Any] = {"secret": None, "tenant": None, "cannot_read": frozenset()}
        for name, _, value in read.mapping(item, where, ("id", "secret", "tenant", "cannot_read")):
            if name == "cannot_read":
                fields[name] = frozenset(v.lower() for v in read.texts(value, f"{where}.{name}"))
            else:
                fields[name] = read.text(value, f"{where}.{name}")
        if "id" not in fields:
            raise read.fail(item, where, "needs an id")
        out[fields["id"]] = ClientRule(**fields)
    return out


def _seed(read: _Reader, node: yaml.Node) -> list[SeedEntry]:
    entries = []
    for index, item in enumerate(read.sequence(node, "seed")):
        where = f"seed[{index}]"
        parts = {name: value for name, _, value in read.mapping(item, where, ("tenant", "namespace", "types", "streams"))}
        for required in ("tenant", "namespace"):
            if required not in parts:
                raise read.fail(item, where, f"needs a {required}")
        entry = SeedEntry(read.text(parts["tenant"], f"{where}.tenant"), read.text(parts["namespace"], f"{where}.namespace"))
        known_types = set()
        for number, type_node in enumerate(read.sequence(parts["types"], f"{where}.types") if "types" in parts else []):
            key = f"{where}.types[{number}]"
            body = read.value(type_node, key)
            type_id = body.get("Id") if isinstance(body, dict) else None
            try:
                parse_type(str(type_id or ""), body, _CHECK_TIME)
            except ServiceError as exc:
                raise read.fail(type_node, key, exc.reason) from None
            known_types.add(str(type_id).lower())
            entry.types.append((type_id, body))
        for number, stream_node in enumerate(read.sequence(parts["streams"], f"{where}.streams") if "streams" in parts else []):
            key = f"{where}.streams[{number}]"
            body = read.value(stream_node, key)
            if not isinstance(body, dict) or not isinstance(body.get("Id"), str) or not isinstance(body.get("TypeId"), str):
                raise read.fail(stream_node, key, "needs an Id and a TypeId")
            if body["TypeId"].lower() not in known_types:
                raise read.fail(stream_node, key, f"TypeId {body['TypeId']!r} is not among the types of this seed entry")
            entry.streams.append((body["Id"], body))
        entries.append(entry)
    return entries


_WHEN = ("route", "method", "path", "tenant", "namespace", "header", "signup_name",
         "nth", "first", "every", "probability", "seed")
_TRIGGERS = ("nth", "first", "every", "probability")


def _faults(read: _Reader, node: yaml.Node) -> list[Rule]:
    rules = []
    for index, item in enumerate(read.sequence(node, "faults")):
        rules.append(_rule(read, item, index, f"faults[{index}]"))
    return rules


def _rule(read: _Reader, node: yaml.Node, index: int, where: str) -> Rule:
    pairs = read.mapping(node, where, ("name", "when") + ACTIONS)
    name = f"{read.source}:{node.start_mark.line + 1}"
    when_node = None
    actions: dict[str, Any] = {}
    for key, key_node, value in pairs:
        if key == "name":
            name = read.text(value, f"{where}.name")
        elif key == "when":
            when_node = value
        else:
            actions[key] = _action(read, key, value, f"{where}.{key}")
    if not actions:
        raise read.fail(node, where, f"needs an action: one of {', '.join(ACTIONS)}")
    http = [a for a in actions if a in HTTP_ACTIONS]
    model = [a for a in actions if a not in HTTP_ACTIONS]
    if http and model:
        raise read.fail(node, where, f"cannot mix {http[0]} with {model[0]}: write two rules")
    if "drop" in actions and ("respond" in actions or "truncate" in actions):
        raise read.fail(node, where, "drop closes the connection, so it cannot also respond or truncate")
    families = {"signup" if a in SIGNUP_ACTIONS else a for a in model}
    if len(families) > 1:
        raise read.fail(node, where, f"{' and '.join(sorted(model))} act on different routes: write one rule each")
    when, trigger = _when(read, when_node, where, model)
    return Rule(index, name, when, trigger, actions)


def _action(read: _Reader, action: str, node: yaml.Node, key: str) -> Any:
    if action == "respond":
        out: dict[str, Any] = {"headers": {}, "body": None}
        for name, _, value in read.mapping(node, key, ("status", "headers", "body")):
            if name == "status":
                out["status"] = read.integer(value, f"{key}.status", 100)
                if out["status"] > 599:
                    raise read.fail(value, f"{key}.status", "must be an HTTP status from 100 to 599")
            elif name == "headers":
                for header, _, header_value in read.mapping(value, f"{key}.headers", None):
                    text = read.value(header_value, f"{key}.headers.{header}")
                    if isinstance(text, (dict, list)) or text is None or any(c in str(text) for c in "\r\n"):
                        raise read.fail(header_value, f"{key}.headers.{header}", "must be a single line of text")
                    out["headers"][header] = str(text)
            else:
                out["body"] = read.value(value, f"{key}.body")
        if "status" not in out:
            raise read.fail(node, key, "needs a status")
        return out
    if action == "delay":
        if isinstance(node, yaml.MappingNode):
            parts = {name: read.duration(value, f"{key}.{name}") for name, _, value in read.mapping(node, key, ("min", "max"))}
            if set(parts) != {"min", "max"} or parts["min"] > parts["max"]:
                raise read.fail(node, key, "a range needs min and max, with min at most max")
            return (parts["min"], parts["max"])
        seconds = read.duration(node, key)
        return (seconds, seconds)
    if action in ("drop", "fail_activation"):
        return read.true(node, key)
    if action == "truncate":
        if isinstance(node, yaml.MappingNode):
            return {name: read.integer(value, f"{key}.{name}") for name, _, value in read.mapping(node, key, ("bytes",))}
        read.true(node, key)
        return {}
    if action == "fail_resources":
        if isinstance(node, yaml.SequenceNode):
            return {"ids": frozenset(read.texts(node, key))}
        spec: dict[str, Any] = {}
        for name, _, value in read.mapping(node, key, ("ids", "pattern", "fraction", "seed")):
            if name == "ids":
                spec["ids"] = frozenset(read.texts(value, f"{key}.ids"))
            elif name == "pattern":
                spec["pattern"] = glob(read.text(value, f"{key}.pattern"))
            elif name == "fraction":
                spec["fraction"] = read.number(value, f"{key}.fraction", 0, 1)
            else:
                spec["seed"] = read.integer(value, f"{key}.seed")
        if not {"ids", "pattern", "fraction"} & set(spec):
            raise read.fail(node, key, "needs ids, a pattern or a fraction")
        if "seed" in spec and "fraction" not in spec:
            raise read.fail(node, key, "seed only goes with fraction")
        return spec
    if action == "delay_activation":
        if not isinstance(node, yaml.MappingNode):
            return {"for": read.duration(node, key)}
        spec = {}
        for name, _, value in read.mapping(node, key, ("for", "gets")):
            spec[name] = read.duration(value, f"{key}.for") if name == "for" else read.integer(value, f"{key}.gets")
        if not spec:
            raise read.fail(node, key, "needs for (a duration) or gets (a number of GETs)")
        return spec
    if action == "expire_signup":
        spec = {}
        for name, _, value in read.mapping(node, key, ("at", "after", "on_request")):
            if name == "at":
                spec[name] = read.moment(value, f"{key}.at")
            elif name == "after":
                spec[name] = read.duration(value, f"{key}.after")
            else:
                spec[name] = read.integer(value, f"{key}.on_request", 1)
        if len(spec) != 1:
            raise read.fail(node, key, "needs exactly one of at, after, on_request")
        return spec
    if action == "bookmark_ttl":
        return read.duration(node, key)
    if action == "bookmark_uses":
        return read.integer(node, key, 1)
    if action == "reorder":
        if isinstance(node, yaml.MappingNode):
            return {name: read.integer(value, f"{key}.seed") for name, _, value in read.mapping(node, key, ("seed",))}
        read.true(node, key)
        return {}
    raise read.fail(node, key, "unknown action")  # pragma: no cover - ACTIONS lists every branch


def _when(read: _Reader, node: yaml.Node | None, where: str, model_actions: list[str]) -> tuple[When, Trigger]:
    when, trigger = When(), Trigger()
    routes: list[str] | None = None
    key = f"{where}.when"
    pairs = read.mapping(node, key, _WHEN) if node is not None else []
    given = {name for name, _, _ in pairs}
    triggers = [t for t in _TRIGGERS if t in given]
    if len(triggers) > 1:
        raise read.fail(node, key, f"{triggers[0]} and {triggers[1]} cannot be combined: choose one trigger")
    if "seed" in given and "probability" not in given:
        raise read.fail(node, key, "seed only goes with probability")
    for name, key_node, value in pairs:
        full = f"{key}.{name}"
        if name == "route":
            routes = read.texts(value, full)
            unknown = [r for r in routes if r != "any" and r not in SERVICE_ROUTE_NAMES]
            if unknown:
                raise read.fail(value, full, f"unknown route {unknown[0]!r}; known: any, {', '.join(sorted(SERVICE_ROUTE_NAMES))}")
        elif name == "method":
            when.methods = frozenset(m.upper() for m in read.texts(value, full))
        elif name == "path":
            when.path = glob(read.text(value, full))
        elif name in ("tenant", "namespace"):
            setattr(when, name, read.text(value, full))
        elif name == "header":
            when.headers = {h: glob(str(read.value(v, f"{full}.{h}"))) for h, _, v in read.mapping(value, full, None)}
        elif name == "signup_name":
            if not any(a in SIGNUP_ACTIONS for a in model_actions):
                raise read.fail(key_node, full, f"only applies to {', '.join(SIGNUP_ACTIONS)}")
            when.signup_name = glob(read.text(value, full))
        elif name == "nth":
            trigger.nth = frozenset(read.integer(v, full, 1) for v in (value.value if isinstance(value, yaml.SequenceNode) else [value]))
        elif name in ("first", "every"):
            setattr(trigger, name, read.integer(value, full, 1))
        elif name == "probability":
            trigger.probability = read.number(value, full, 0, 1)
        else:
            trigger.seed = read.integer(value, full)
    for action in model_actions:
        allowed = ACTION_ROUTES[action]
        if routes is None:
            routes = list(allowed)
        wrong = [r for r in routes if r not in allowed]
        if wrong:
            raise read.fail(node, f"{key}.route", f"{action} acts on {' or '.join(allowed)}, not on {wrong[0]}")
    if routes is not None and "any" not in routes:
        when.routes = frozenset(routes)
    return when, trigger
