"""One error body for every failure: {"error": {"code", "message", "fields"}}.

`fields` maps an input field to its messages (empty when the error is not about one field).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "rate_limited",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        fields: Mapping[str, Sequence[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = {k: list(v) for k, v in (fields or {}).items()}
        self.extra = extra or {}


class BadBody(ValueError):
    """The body is not JSON we take (raised by the parser; its message is the answer)."""


class RateLimited(Exception):
    def __init__(self, retry_after: float):
        super().__init__("Too many requests with this token.")
        self.retry_after = retry_after


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      "fields": {k: list(v) for k, v in (fields or {}).items()}, **extra}}


def respond(status: int, message: str, *, code: str = "",
            fields: Mapping[str, Sequence[str]] | None = None, **extra: Any) -> JsonResponse:
    return JsonResponse(
        error_body(code or CODES.get(status, "error"), message, fields, **extra), status=status
    )


def form_error(form: Any, message: str = "Some fields are not valid.") -> ApiError:
    """A Django form's errors (the web UI's own validation) as a 400."""
    fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
    general = fields.pop("__all__", [])
    return ApiError(400, " ".join(general) or message, code="invalid", fields=fields)


def _field_name(loc: Sequence[Any]) -> str:
    # ninja puts ("body", "<parameter>", field…) or ("query", field…); the client knows
    # neither the parameter's name nor where, only the field.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
        if parts and parts[0] in ("payload", "filters"):
            parts = parts[1:]
    return ".".join(parts) or "body"


def _message(err: Mapping[str, Any]) -> str:
    # A validator's ValueError reads "Value error, <our words>": keep our words.
    return str(err.get("msg", "")).removeprefix("Value error, ")


def install(api: NinjaAPI) -> None:
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(exc.status, exc.message, code=exc.code, fields=exc.fields, **exc.extra)

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(err.get("loc", ())), []).append(_message(err))
        return respond(400, "Some fields are not valid.", code="invalid", fields=fields)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, BadBody):
            return respond(400, str(cause), code="invalid_body")
        if isinstance(cause, RequestDataTooBig):
            return too_big(request, cause)
        if exc.status_code == 400:
            return respond(400, "The body is not valid JSON.", code="invalid_body")
        return respond(exc.status_code, str(exc.message))

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc.message)
        if message == "Unauthorized":
            message = "Send a personal API token: Authorization: Bearer <token>."
        response = respond(401, message)
        response["WWW-Authenticate"] = 'Bearer realm="corroborate"'
        return response

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(403, str(exc) or "You do not have permission to do this.")

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(404, "Not found.")

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(413, "The body is too large.")

    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = respond(429, str(exc), retry_after=math.ceil(exc.retry_after))
        response["Retry-After"] = str(math.ceil(exc.retry_after))
        return response

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s %s", request.method, request.path)
        return respond(500, "Something went wrong on our side; it has been logged.",
                       code="server_error")

    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        Exception: unexpected,
        ApiError: api_error,
        ValidationError: validation,
        HttpError: http_error,
        AuthenticationError: unauthenticated,
        PermissionDenied: forbidden,
        Http404: not_found,
        RequestDataTooBig: too_big,
        RateLimited: rate_limited,
    }
    for exc_class, handler in handlers.items():
        # ninja types a handler's argument as "the exception or its class"; ours take the
        # exception, which is what ninja passes.
        api.add_exception_handler(exc_class, cast(Any, handler))
