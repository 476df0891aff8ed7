"""Route templates whose literal segments match case-insensitively, as the real service's do.

Clients send `/api/v1/Tenants/…/Namespaces/…/signups` (Python) or `/tenants/…/namespaces/…`
(curl, docs); ASP.NET routing ignores case, so every literal segment here becomes a case-blind
regex while ids in `{braces}` keep their case. `CaseBlindRouter` finds the route for a path by its
segments first, so a request costs one regex match instead of a scan over every route.
"""
from __future__ import annotations

import re

from aiohttp import web
from aiohttp.web_urldispatcher import MatchInfoError, UrlMappingMatchInfo

API_VERSIONS = ("v1", "v1-preview")
TENANT_PREFIX = "/api/{version}/tenants/{tenant_id}/namespaces/{namespace_id}"
_VERSION_RE = "(?i:" + "|".join(re.escape(v) for v in API_VERSIONS) + ")"


def case_blind(template: str) -> str:
    """`/api/{version}/tenants/{tenant_id}` -> an aiohttp pattern matching any casing of the literals."""
    segments = []
    for index, segment in enumerate(template.strip("/").split("/")):
        if segment == "{version}":
            segments.append("{version:" + _VERSION_RE + "}")
        elif segment.startswith("{"):
            segments.append(segment)
        else:
            segments.append("{_lit%d:(?i:%s)}" % (index, re.escape(segment)))
    return "/" + "/".join(segments)


def _unquote(value: str) -> str:
    """What aiohttp does to a matched segment of `path_safe`: only `%2F` and `%25` are still encoded."""
    return value if "%" not in value else value.replace("%2F", "/").replace("%25", "%")


class _Template:
    """One path template: its literal segments (lower case), its parameters, its route per method."""

    def __init__(self, segments: list[str]):
        self.segments = segments
        self.literals = tuple((i, frozenset(API_VERSIONS) if s == "{version}" else frozenset([s.lower()]))
                              for i, s in enumerate(segments) if not s.startswith("{") or s == "{version}")
        self.parameters = tuple((i, s[1:-1]) for i, s in enumerate(segments) if s.startswith("{"))
        self.routes: dict[str, web.AbstractRoute] = {}

    def match(self, segments: list[str], lowered: list[str]) -> dict[str, str] | None:
        for i, allowed in self.literals:
            if lowered[i] not in allowed:
                return None
        found = {}
        for i, name in self.parameters:
            value = segments[i]
            if not value or "{" in value or "}" in value:
                return None
            found[name] = _unquote(value)
        return found


class CaseBlindRouter(web.UrlDispatcher):
    """Finds a case-blind route by its segments: a dictionary lookup and a few string compares.

    aiohttp would try the regex of every route in turn; with thirty routes under one prefix that
    was the largest cost of a request. Paths no template matches fall through to aiohttp's own
    routing (the admin routes, 404 and 405 answers).
    """

    def __init__(self) -> None:
        super().__init__()
        self._by_length: dict[int, list[_Template]] = {}

    def add_case_blind(self, method: str, template: str, handler, name: str) -> None:
        route = self.add_route(method, case_blind(template), handler, name=name)
        segments = template.strip("/").split("/")
        templates = self._by_length.setdefault(len(segments), [])
        found = next((t for t in templates if t.segments == segments), None)
        if found is None:
            found = _Template(segments)
            templates.append(found)
        found.routes[method.upper()] = route

    async def resolve(self, request: web.Request) -> UrlMappingMatchInfo:
        path = request.rel_url.path_safe
        # ASP.NET routing ignores one trailing slash; so does this router.
        segments = (path[1:-1] if len(path) > 1 and path.endswith("/") else path[1:]).split("/")
        allowed_methods: set[str] = set()
        templates = self._by_length.get(len(segments))
        if templates:
            lowered = [s.lower() for s in segments]
            for template in templates:
                match_dict = template.match(segments, lowered)
                if match_dict is None:
                    continue
                route = template.routes.get(request.method)
                if route is not None:
                    return UrlMappingMatchInfo(match_dict, route)
                allowed_methods.update(template.routes)
        if allowed_methods:
            return MatchInfoError(web.HTTPMethodNotAllowed(request.method, allowed_methods))
        return await super().resolve(request)
