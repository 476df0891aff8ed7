"""Route templates whose literal segments match case-insensitively, as the real service's do.

Clients send `/api/v1/Tenants/…/Namespaces/…/signups` (Python) or `/tenants/…/namespaces/…`
(curl, docs); ASP.NET routing ignores case, so every literal segment here becomes a case-blind
regex while ids in `{braces}` keep their case.
"""
from __future__ import annotations

import re

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
