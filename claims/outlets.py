"""Finding the outlet a person or an article names: by name, or by one of its web domains.

Typing a name nobody knows creates an outlet only for someone with `claims.add_outlet`
(editors); a reviewer picks an existing one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from claims.models import Outlet


def find_outlet(named: str) -> Outlet | None:
    """The outlet called `named` (any case), or whose domains include it: "kcna.kp",
    "www.kcna.kp" and "https://kcna.kp/en/" all find the outlet with domain kcna.kp."""
    named = named.strip()
    if not named:
        return None
    if found := Outlet.objects.filter(name__iexact=named).first():
        return found
    if found := by_alias(named):
        return found
    try:
        host = urlsplit(named if "//" in named else f"//{named}").hostname or ""
    except ValueError:  # "[x]" reads as an IPv6 literal that is none: no domain then
        return None
    host = host.removeprefix("www.")
    if not host or "." not in host:
        return None
    for outlet in Outlet.objects.exclude(domains=[]).only("pk", "name", "domains"):
        domains = {str(d).casefold().removeprefix("www.") for d in outlet.domains or []}
        if host.casefold() in domains:
            return outlet
    return None


def by_alias(named: str) -> Outlet | None:
    """The outlet that goes by `named` as well as its own name, in any case (casefold, so
    "ТАСС" and "тасс" match). Outlets are few: read in Python, the same on every database."""
    key = named.strip().casefold()
    for outlet in Outlet.objects.exclude(aliases=[]).only("pk", "name", "aliases"):
        if key in {str(a).strip().casefold() for a in outlet.aliases or []}:
            return outlet
    return None
