"""Every URL the project serves, as a concrete path, found by walking the URL resolver.

Security tests iterate over `concrete_routes()` so a route another engineer adds tomorrow is
checked without anyone editing them. Path parameters are filled with the id of an existing
row of the model the parameter names (`claim_id` → a Claim, `document_id` → a
LibraryDocument, the admin's `object_id` → a row of the model in its prefix), else with a
value the converter accepts. A route that cannot be filled fails the test that asks for it,
rather than going unchecked.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")
CONVERTER_DEFAULTS = {
    "int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1)),
}


@dataclass(frozen=True)
class Route:
    path: str  # a concrete path that resolves to `view`
    name: str  # namespaced URL name, or the route text when unnamed
    view: Callable[..., Any]


class Unfillable(AssertionError):
    """A URL pattern whose parameters this walker cannot fill: teach it, don't skip it."""


def concrete_routes() -> list[Route]:
    routes, unfillable = [], []
    for pieces, pattern, namespace in _leaves(get_resolver().url_patterns, [], ""):
        path = "/" + "".join(_fill(piece, pieces) for piece in pieces)
        name = f"{namespace}{pattern.name}" if pattern.name else "".join(map(str, pieces))
        try:
            match = resolve(path)
        except Exception:  # Resolver404, or a converter that refuses the value
            unfillable.append(f"{name}: {path}")
            continue
        if match.func != pattern.callback:
            unfillable.append(f"{name}: {path} resolves to {match.view_name} instead")
            continue
        routes.append(Route(path, name, pattern.callback))
    if unfillable:
        raise Unfillable("cannot build a path for: " + "; ".join(unfillable))
    return routes


def _leaves(
    patterns: list[URLPattern | URLResolver], prefix: list[Any], namespace: str
) -> Iterator[tuple[list[Any], URLPattern, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _leaves(p.url_patterns, [*prefix, p.pattern], inner)
        else:
            yield [*prefix, p.pattern], p, namespace


def _fill(piece: RoutePattern | RegexPattern, context: list[Any]) -> str:
    text = str(piece)
    if isinstance(piece, RoutePattern):
        return ROUTE_PARAM.sub(lambda m: _value(m["name"], m["converter"] or "str", context), text)
    text = text.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    text = REGEX_GROUP.sub(lambda m: _regex_value(m["name"], m["body"], context), text)
    return re.sub(r"\\(.)", r"\1", text)


def _regex_value(name: str, body: str, context: list[Any]) -> str:
    alternatives = body.split("|")
    if all(re.fullmatch(r"[\w-]+", a) for a in alternatives):
        return alternatives[0]  # e.g. the admin's (?P<app_label>auth|claims|verify)
    if body in (".*", ".+"):
        return "x"
    return _value(name, "int" if "\\d" in body else "str", context)


def _value(name: str, converter: str, context: list[Any]) -> str:
    model = _model_for(name, context)
    if model is not None and (pk := model._default_manager.values_list("pk", flat=True).first()):
        return str(pk)
    return CONVERTER_DEFAULTS.get(converter, "x")


def _model_for(name: str, context: list[Any]) -> type[Model] | None:
    if name == "object_id":  # admin/<app_label>/<model_name>/<object_id>/…
        prefix = "".join(map(str, context))
        if m := re.search(r"admin/(\w+)/(\w+)/", prefix):
            try:
                return apps.get_model(m[1], m[2])
            except LookupError:
                return None
        return None
    stem = name.removesuffix("_id")
    if stem == name:
        return None
    candidates = [m for m in apps.get_models() if m._meta.model_name.endswith(stem)]
    exact = [m for m in candidates if m._meta.model_name == stem]
    return (exact or candidates or [None])[0]
