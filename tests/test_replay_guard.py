"""The suite's own safety nets: the replay server works, and outbound traffic is refused."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.conftest import OutboundTraffic
from tests.replay import ReplayServer, Reply


def test_the_replay_server_serves_sequences_and_records_requests(replay: ReplayServer) -> None:
    replay.route("/seq", responses=[Reply(status=503), Reply(json={"ok": True})])
    with pytest.raises(urllib.request.HTTPError):
        urllib.request.urlopen(replay.url("/seq?a=1"), timeout=5)
    with urllib.request.urlopen(replay.url("/seq"), timeout=5) as response:
        assert response.read() == b'{"ok": true}'
    assert [r.query for r in replay.seen("/seq")] == [{"a": ["1"]}, {}]


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "10.0.0.1", "169.254.169.254", "::ffff:8.8.8.8"]
)
def test_a_connect_to_anything_but_loopback_fails_the_test(address: str) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock, pytest.raises(OutboundTraffic):
        sock.connect((address, 80))
