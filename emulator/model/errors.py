"""Failures the rules can report, each with the HTTP status and the text of the service's error body.

The model raises these; the HTTP layer turns them into SPEC.md's error body. Keeping the status
here lets a rule say "this is a conflict" without knowing anything about HTTP.
"""
from __future__ import annotations

from typing import Any, Mapping


class ServiceError(Exception):
    status = 500
    error = "An unexpected error occurred."
    resolution = "Retry the request; if it keeps failing, report it with the operation id."

    def __init__(self, reason: str, *, error: str | None = None, resolution: str | None = None,
                 parameters: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(reason)
        self.reason = reason
        if error is not None:
            self.error = error
        if resolution is not None:
            self.resolution = resolution
        self.parameters = dict(parameters or {})
        self.headers = dict(headers or {})


class BadRequest(ServiceError):
    status = 400
    error = "The request is invalid."
    resolution = "Correct the request and send it again."


class Unauthorized(ServiceError):
    status = 401
    error = "Authentication failed."
    resolution = "Send a valid bearer token in the Authorization header."

    def __init__(self, reason: str, **kwargs):
        super().__init__(reason, **kwargs)
        # As ASP.NET's bearer authentication answers, so clients know which scheme to use.
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Forbidden(ServiceError):
    status = 403
    error = "Forbidden."
    resolution = "Use a client that has access to this resource."


class NotFound(ServiceError):
    status = 404
    error = "The resource was not found."
    resolution = "Check the identifiers in the request."


class MethodNotAllowed(ServiceError):
    status = 405
    error = "The method is not allowed on this resource."
    resolution = "Use one of the methods in the Allow header."


class Conflict(ServiceError):
    status = 409
    error = "The request conflicts with the current state."
    resolution = "Change the request or the existing resource, then retry."


class PayloadTooLarge(ServiceError):
    status = 413
    error = "The request body is too large."
    resolution = "Send a body of at most 1 MiB."
