"""Work is queued after commit: a rolled-back job never runs, a committed one runs once.

Through a real `celery worker` on the suite's broker (tests/test_worker.py's fixture): the
filesystem broker and SQLite on the embedded default, Redis and PostgreSQL in CI's second
run. The job searches the team's reference library, which needs no network. The worker's
own log is the witness of how many task messages it received: it is read as it is written,
and only lines after the worker is ready and its queues are purged count (a reused broker
database may still hold other runs' messages).
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time

import pytest
from django.db import transaction

from claims.models import Article, Claim
from config.celery import app as celery_app
from tests.test_worker import wait_for, worker  # noqa: F401 - `worker` is a fixture
from verify.evidence import services
from verify.models import GatherJob, LibraryDocument, Reference

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

RECEIVED = re.compile(r"Task verify\.evidence\.tasks\.run_gather_job\[[^\]]+\] received")


class RolledBack(Exception):
    pass


class WorkerLog:
    """The worker's output, read line by line as it is written."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc, self.lines = proc, []  # type: ignore[var-annotated]
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.decode(errors="replace"))

    def since(self, mark: int) -> str:
        return "".join(self.lines[mark:])

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self._thread.join(timeout=10)
        return self.since(0)


def test_a_rolled_back_job_never_runs_and_a_committed_one_runs_once_and_finds_its_row(
    worker: subprocess.Popen[bytes],  # noqa: F811 - the fixture imported above
) -> None:
    LibraryDocument.objects.create(
        url="https://example.org/vostochny",
        title="Vostochny summit",
        text="Kim Jong Un visited the Vostochny Cosmodrome in September 2023 and met Putin.",
    )
    article = Article.objects.create(
        text="Kim Jong Un visited the Vostochny Cosmodrome.", content_hash="on-commit"
    )
    claim = Claim.objects.create(
        article=article, start=0, end=45, sentence=article.text, type=Claim.Type.VISIT,
        subject_name="Kim Jong Un", place_name="Vostochny Cosmodrome",
    )

    log = WorkerLog(worker)
    assert wait_for(lambda: "ready." in log.since(0), timeout=60), log.since(0)
    with celery_app.connection_for_write() as conn:
        for queue in ("default", "fetch"):
            conn.default_channel.queue_purge(queue)
    time.sleep(1)  # anything taken before the purge is received and done with by now
    mark = len(log.lines)

    with pytest.raises(RolledBack), transaction.atomic():
        services.rerun_source(claim=claim, source="library", user=None)
        raise RolledBack
    assert not GatherJob.objects.exists()

    with transaction.atomic():
        job = services.rerun_source(claim=claim, source="library", user=None)

    def finished() -> bool:
        return GatherJob.objects.get(pk=job.pk).state in GatherJob.State.finished()

    done = wait_for(finished, timeout=90)
    everything = log.stop()
    assert done, f"the committed job did not finish; the worker's log:\n{everything[-4000:]}"
    job.refresh_from_db()
    assert job.state == GatherJob.State.DONE, job.error
    assert job.attempts == 1
    assert Reference.objects.filter(claim=claim, source="library").count() == job.found >= 1
    assert len(RECEIVED.findall(log.since(mark))) == 1, everything[-4000:]
