"""Argon2id with its parameters written down (issue 16, item 5), not left to Django's
defaults (which change between releases and are 100 MiB and 8 lanes today).

OWASP's Password Storage Cheat Sheet lists m=19 MiB, t=2, p=1 as a sound Argon2id
configuration; on the development machine one hash takes about 25 ms of one core and
19 MiB, so a burst of log-ins cannot exhaust a 2-core, few-GB server, and with the
per-address limit (config/login_limit.py) one address costs at most 20 hashes per
5 minutes. Django re-hashes a stored password with other parameters at the next
successful log-in (must_update), so changing these needs no migration.
"""

from __future__ import annotations

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    algorithm = "argon2"  # same name: existing hashes stay valid
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
