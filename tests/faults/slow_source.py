"""A slow, real reference source for the worker-kill tests, loaded into test workers only.

The worker is started with `celery worker --include tests.faults.slow_source` and the
environment variable SLOW_SOURCE_URLS (comma-separated replay-server base URLs). Importing
this module then makes "slow" the worker's only source, so no test worker ever talks to a
real service. The source searches by calling the replay server through outbound.http, the
same seam (politeness, deadline, retries) the real sources use; the server answers after a
delay, so a job is mid-request when the test kills its process. The request carries the
pool process's pid in a header, which tells the test which process to kill.

Without SLOW_SOURCE_URLS (as in the pytest process, which imports SlowSource to plan jobs)
importing it changes nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from outbound import http
from verify.evidence.sources import SOURCES
from verify.evidence.sources.base import Candidate, Source

if TYPE_CHECKING:
    from claims.models import Claim

PID_HEADER = "X-Worker-Pid"


class SlowSource(Source):
    name = "slow"
    label = "Slow test source"

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        # Claims are spread over several hosts (one replay server each), as real sources are.
        urls = os.environ["SLOW_SOURCE_URLS"].split(",")
        base = urls[claim.pk % len(urls)]
        response = http.get(
            f"{base}/search",
            source=self.name,
            params={"claim": claim.pk},
            headers={PID_HEADER: str(os.getpid())},
        )
        return [
            Candidate(url=item["url"], title=item["title"], passage=item["passage"])
            for item in response.json()["results"]
        ]


if os.environ.get("SLOW_SOURCE_URLS"):
    import tests.conftest  # noqa: F401 - its loopback-only connect guard, in the worker too

    SOURCES[:] = [SlowSource()]
