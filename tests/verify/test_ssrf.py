"""The SSRF guard on user-supplied URLs: every hostile URL is refused with a reason, before
any connection is made; redirects are re-checked hop by hop; the connection goes only to
the address that was checked.

Hostile host names reach the guard through a patched resolver, and socket connects are
patched to fail the test for anything but 127.0.0.1: no packet ever leaves the machine.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from outbound import http
from tests.replay import ReplayServer, Reply, Seen

PUBLIC_IP = "93.184.216.34"  # never reached: the patched connect refuses it


class FakeNetwork:
    """A resolver that answers from a table (or decodes attacker names), and a connect that
    records every address and lets only loopback through."""

    _ATTACKER = re.compile(r"^(v4|v6|mix)-([0-9a-f]+)\.attacker\.test$")

    def __init__(self, *, refuse_public: bool = False) -> None:
        self.names: dict[str, list[str]] = {
            "localhost": ["127.0.0.1", "::1"],
            "public.test": [PUBLIC_IP],
            "intranet.test": ["10.0.0.7"],
            "mixed.test": [PUBLIC_IP, "127.0.0.1"],
            "metadata-alias.test": ["::ffff:169.254.169.254"],
            "router.test": ["192.168.1.1"],
        }
        self.lookups: list[str] = []
        self.connects: list[tuple] = []
        self.refuse_public = refuse_public  # True: a controlled error instead of failing
        self._real_getaddrinfo = socket.getaddrinfo
        self._real_connect = socket.socket.connect

    def answer(self, host: str) -> list[str] | None:
        match = self._ATTACKER.match(host)
        if match:
            kind, value = match.group(1), int(match.group(2), 16)
            if kind == "v4":
                return [str(ipaddress.IPv4Address(value))]
            if kind == "v6":
                return [str(ipaddress.IPv6Address(value))]
            return [PUBLIC_IP, str(ipaddress.IPv4Address(value))]
        return self.names.get(host)

    def getaddrinfo(self, host: object, port: object, *args: object, **kwargs: object) -> list:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in ("127.0.0.1", "::1"):  # Redis and the replay server's own sockets
            return self._real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]
        self.lookups.append(name)
        answer = self.answer(name)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0)) if ":" in ip
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in answer
        ]

    def connect(self, sock: socket.socket, address: tuple) -> None:
        self.connects.append(address)
        if ipaddress.ip_address(address[0]).is_loopback:
            return self._real_connect(sock, address)
        if self.refuse_public:
            raise ConnectionRefusedError(111, "refused by the test")
        raise AssertionError(f"SSRF: a connection to {address} was attempted")

    def patched_connect(self):  # type: ignore[no-untyped-def]
        """A plain function (so that the socket is passed as its first argument)."""
        def connect(sock: socket.socket, address: tuple) -> None:
            return self.connect(sock, address)
        return connect

    def outside(self) -> list[tuple]:
        return [a for a in self.connects if not ipaddress.ip_address(a[0]).is_loopback]


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeNetwork]:
    fake = FakeNetwork()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", fake.patched_connect())
    with override_settings(VAR_DIR=tmp_path, HTTP_DEADLINE=5.0, HTTP_MAX_RETRIES=0,
                           HOST_LIMITS={"default": {"in_flight": 4, "interval": 0.0}}):
        yield fake
    assert fake.outside() == [] or fake.refuse_public  # nothing ever left the machine


# --- The table ------------------------------------------------------------------------------

REFUSED = [
    # Loopback in every spelling the OS accepts
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://2130706433/", "127.0.0.1 is a loopback address"),
    ("http://0177.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "127.0.0.1 is a loopback address"),
    ("http://017700000001/", "127.0.0.1 is a loopback address"),
    ("http://127.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1./", "127.0.0.1 is a loopback address"),
    ("http://localhost/", "localhost resolves to 127.0.0.1, which is a loopback address"),
    ("http://LOCALHOST./admin", "loopback"),
    ("http://ｌｏｃａｌｈｏｓｔ/", "loopback"),  # full-width letters, IDNA-mapped
    ("http://①②⑦.0.0.1/", "127.0.0.1 is a loopback address"),  # circled digits
    ("http://[::1]/", "::1 is a loopback address"),
    # Unspecified
    ("http://0.0.0.0/", "the unspecified address"),
    ("http://0/", "the unspecified address"),
    ("http://[::]/", "the unspecified address"),
    # IPv4 inside IPv6
    ("http://[::ffff:127.0.0.1]/", "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[::ffff:7f00:1]/", "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[0:0:0:0:0:ffff:a00:1]/", "IPv4-mapped form of 10.0.0.1, a private address"),
    ("http://[::ffff:8.8.8.8]/", "IPv4-mapped form of 8.8.8.8"),
    ("http://[::127.0.0.1]/", "IPv4-compatible form of 127.0.0.1"),
    ("http://[2002:7f00:1::]/", "6to4 form of 127.0.0.1"),
    ("http://[2002:a9fe:a9fe::1]/", "6to4 form of 169.254.169.254, a cloud metadata address"),
    ("http://[64:ff9b::a00:1]/", "NAT64 form of 10.0.0.1, a private address"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "refused"),  # Teredo
    # Private, link-local, shared, multicast, reserved
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://172.16.3.4/", "172.16.3.4 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT (shared) address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://255.255.255.255/", "refused: 255.255.255.255"),
    ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
    ("http://0300.0x9/", "192.0.0.9 is an IETF protocol address"),  # "global" per IANA
    ("http://[fc00::1]/", "fc00::1 is a private address"),
    ("http://[fd12:3456::1]/", "is a private address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://[fe80::1%25eth0]/", "with a zone"),
    # Cloud metadata
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "fd00:ec2::254 is a cloud metadata address"),
    ("http://metadata.google.internal/computeMetadata/v1/", "is a cloud metadata host"),
    ("http://metadata.google.internal./", "is a cloud metadata host"),
    ("http://metadata-alias.test/", "IPv4-mapped form of 169.254.169.254"),
    # Names that resolve somewhere private
    ("http://intranet.test/", "intranet.test resolves to 10.0.0.7, which is a private address"),
    ("https://router.test/", "router.test resolves to 192.168.1.1"),
    ("http://mixed.test/", "mixed.test resolves to 127.0.0.1, which is a loopback address"),
    # Schemes
    ("file:///etc/passwd", "only http and https URLs are fetched, not file:"),
    ("gopher://public.test:70/_SET", "not gopher:"),
    ("ftp://public.test/pub/", "not ftp:"),
    ("dict://public.test:11211/stat", "not dict:"),
    ("javascript:alert(1)", "not javascript:"),
    ("data:text/html,<script>alert(1)</script>", "not data:"),
    ("//public.test/", "only http and https"),
    # Credentials
    ("http://user:pass@public.test/", "user name or password"),
    ("http://user@public.test/", "user name or password"),
    ("http://public.test@10.0.0.1/", "user name or password"),
    # Ports
    ("http://public.test:22/", "port 22"),
    ("http://public.test:6379/", "port 6379"),
    ("https://public.test:8443/", "port 8443"),
    ("http://public.test:99999/", "cannot be read"),
    # Malformed
    ("http://public.test\\@127.0.0.1/", "backslashes"),
    ("http://exa mple.test/", "spaces"),
    ("http:///etc/passwd", "no host"),
    ("http://1.2.3.4.5/", "not a valid IP address"),
    ("http://08.0.0.1/", "not a valid IP address"),
    ("", "empty"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[u or "(empty)" for u, _ in REFUSED])
def test_a_hostile_user_url_is_refused_with_a_reason(network: FakeNetwork, url: str,
                                                     reason: str) -> None:
    with pytest.raises(http.BlockedURL) as caught:
        http.fetch_user_url(url)

    message = str(caught.value)
    assert message.startswith("refused: ")
    assert reason in message
    assert caught.value.permanent
    assert network.connects == []


def test_the_table_is_big_enough() -> None:
    assert len(REFUSED) >= 30


def test_a_public_address_passes_the_check(network: FakeNetwork) -> None:
    assert http.check_user_url("https://public.test/news?id=1") == [PUBLIC_IP]
    assert http.check_user_url("http://93.184.216.34:80/") == [PUBLIC_IP]


def test_an_unknown_name_is_unreachable_not_blocked(network: FakeNetwork) -> None:
    with pytest.raises(http.FetchError) as caught:
        http.check_user_url("https://no-such-host.test/")

    assert caught.value.unreachable
    assert not isinstance(caught.value, http.BlockedURL)


# --- Redirects ------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "http://10.0.0.1/admin",
    "http://169.254.169.254/latest/meta-data/iam/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://intranet.test/",
    "http://[::ffff:127.0.0.1]/",
    "gopher://public.test/",
    "http://user:pw@public.test/",
])
def test_a_redirect_to_a_hostile_url_is_refused_before_connecting(
        network: FakeNetwork, replay: ReplayServer, target: str) -> None:
    replay.route("/start", status=302, headers={"Location": "/next"})
    replay.route("/next", status=301, headers={"Location": target})

    with override_settings(ALLOW_LOOPBACK_FETCH=True), pytest.raises(http.BlockedURL):
        http.fetch_user_url(replay.url("/start"))

    assert len(replay.seen("/start")) == len(replay.seen("/next")) == 1
    assert network.outside() == []


def test_a_redirect_to_another_loopback_port_is_refused_when_loopback_is_off(
        network: FakeNetwork, replay: ReplayServer) -> None:
    # The first hop is our test server (loopback allowed to reach it); as it answers, the
    # test turns loopback off, as it is in production, and the next hop must be refused.
    loopback_off = override_settings(ALLOW_LOOPBACK_FETCH=False)
    turned_off: list[bool] = []
    with ReplayServer() as internal:
        internal.route("/secret", json={"password": "hunter2"})

        def hop(_: Seen) -> Reply:
            loopback_off.enable()
            turned_off.append(True)
            return Reply(status=302, headers={"Location": internal.url("/secret")})

        replay.route("/start", hop)
        with override_settings(ALLOW_LOOPBACK_FETCH=True):
            try:
                with pytest.raises(http.BlockedURL, match="refused: port"):
                    http.fetch_user_url(replay.url("/start"))
            finally:
                if turned_off:
                    loopback_off.disable()

        assert internal.requests == []


def test_too_many_redirects_are_refused(network: FakeNetwork, replay: ReplayServer) -> None:
    replay.route("/loop", status=302, headers={"Location": "/loop"})

    with (override_settings(ALLOW_LOOPBACK_FETCH=True),

          pytest.raises(http.FetchError, match="more than 5 redirects") as caught):
        http.fetch_user_url(replay.url("/loop"))

    assert caught.value.permanent
    assert len(replay.seen("/loop")) == 6


def test_a_safe_redirect_is_followed(network: FakeNetwork, replay: ReplayServer) -> None:
    replay.route("/old", status=301, headers={"Location": "/new?token=abc"})
    replay.route("/new", body=b"<p>moved here</p>", content_type="text/html")

    with override_settings(ALLOW_LOOPBACK_FETCH=True):
        response = http.fetch_user_url(replay.url("/old?key=k1"))

    assert response.status == 200
    assert response.url == replay.url("/new?token=abc")
    assert response.request_url == replay.url("/old")  # the key is not kept
    assert "token" not in response.provenance()["final_url"]
    assert response.text() == "<p>moved here</p>"


def test_loopback_is_refused_without_the_test_setting(network: FakeNetwork,
                                                      replay: ReplayServer) -> None:
    with pytest.raises(http.BlockedURL, match="refused: port"):
        http.fetch_user_url(replay.url("/"))
    with pytest.raises(http.BlockedURL, match="loopback"):
        http.check_user_url("http://127.0.0.1/")

    assert replay.requests == []


# --- Conditional GET and content checks on user URLs ----------------------------------------

def test_a_conditional_get_returns_304_without_a_body(network: FakeNetwork,
                                                      replay: ReplayServer) -> None:
    replay.route("/feed", status=304, headers={"ETag": '"abc"'})

    with override_settings(ALLOW_LOOPBACK_FETCH=True):
        response = http.fetch_user_url(replay.url("/feed"), etag='"abc"',
                                       last_modified="Tue, 21 Apr 2020 08:00:00 GMT")

    assert response.status == 304 and response.content == b""
    headers = replay.seen("/feed")[0].headers
    assert headers["If-None-Match"] == '"abc"'
    assert headers["If-Modified-Since"] == "Tue, 21 Apr 2020 08:00:00 GMT"


def test_a_user_url_with_the_wrong_content_type_is_refused(network: FakeNetwork,
                                                           replay: ReplayServer) -> None:
    replay.route("/file.exe", body=b"MZ\x90\x00", content_type="application/octet-stream")

    with (override_settings(ALLOW_LOOPBACK_FETCH=True),

          pytest.raises(http.FetchError, match="unexpected content type") as caught):
        http.fetch_user_url(replay.url("/file.exe"))

    assert caught.value.permanent


def test_a_user_url_body_stops_at_the_cap(network: FakeNetwork, replay: ReplayServer) -> None:
    replay.route("/big", body=b"<p>" + b"x" * 3_000_000, content_type="text/html",
                 headers={"Content-Length": "", "Connection": "close"})

    with (override_settings(ALLOW_LOOPBACK_FETCH=True),

          pytest.raises(http.FetchError, match="more than the 1,000,000-byte limit")):
        http.fetch_user_url(replay.url("/big"), max_bytes=1_000_000)


# --- DNS rebinding: the connection goes to the address that was checked ---------------------

class Rebinding(FakeNetwork):
    """Answers a public address first and loopback on every later lookup."""

    def answer(self, host: str) -> list[str] | None:
        if host != "rebind.test":
            return super().answer(host)
        return [PUBLIC_IP] if self.lookups.count(host) == 1 else ["127.0.0.1"]


@pytest.mark.parametrize(("scheme", "port"), [("http", 80), ("https", 443)])
def test_a_changing_dns_answer_still_connects_only_to_the_checked_address(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scheme: str, port: int) -> None:
    fake = Rebinding(refuse_public=True)  # the public connect raises a controlled error
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", fake.patched_connect())

    with override_settings(VAR_DIR=tmp_path, HTTP_MAX_RETRIES=0), \
            pytest.raises(http.FetchError) as caught:
        http.fetch_user_url(f"{scheme}://rebind.test/")

    assert caught.value.unreachable
    assert fake.lookups == ["rebind.test"]  # one lookup, the one that was checked
    assert fake.connects == [(PUBLIC_IP, port)]  # never 127.0.0.1


def test_the_pinned_connection_sends_the_original_host_name(network: FakeNetwork,
                                                            replay: ReplayServer) -> None:
    network.names["wiki.test"] = ["127.0.0.1"]
    replay.route("/page", body=b"<p>hello</p>", content_type="text/html")

    with override_settings(ALLOW_LOOPBACK_FETCH=True):
        response = http.fetch_user_url(f"http://wiki.test:{replay.port}/page")

    assert response.text() == "<p>hello</p>"
    assert replay.seen("/page")[0].headers["Host"] == f"wiki.test:{replay.port}"
    assert network.lookups == ["wiki.test"]


def test_tls_uses_the_host_name_for_sni_and_verifies_the_certificate(
        network: FakeNetwork, tmp_path: Path) -> None:
    # A TLS server on 127.0.0.1 with a self-signed certificate for pinned.test: the client
    # must send SNI "pinned.test" (not the IP it connects to) and refuse the certificate.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)  # type: ignore[assignment,func-returns-value]

    class Quiet(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Quiet)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    network.names["pinned.test"] = ["127.0.0.1"]
    try:
        with (override_settings(ALLOW_LOOPBACK_FETCH=True),
              pytest.raises(http.FetchError, match="certificate") as caught):
            http.fetch_user_url(f"https://pinned.test:{server.server_port}/")
    finally:
        thread.join(timeout=5)
        server.server_close()

    assert caught.value.permanent
    assert names == ["pinned.test"]


# --- Property test: thousands of hostile URLs, all refused, no connect ----------------------

HOSTILE_V4 = [ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "192.0.0.0/24",
    "198.18.0.0/15", "169.254.169.254/32", "255.255.255.255/32",
)]
HOSTILE_V6 = [ipaddress.ip_network(n) for n in (
    "::1/128", "::/128", "fc00::/7", "fe80::/10", "ff00::/8", "fd00:ec2::254/128",
)]


@st.composite
def hostile_v4(draw: st.DrawFn) -> int:
    network = draw(st.sampled_from(HOSTILE_V4))
    return int(network.network_address) + draw(st.integers(0, network.num_addresses - 1))


def octet(value: int, style: str) -> str:
    if style == "oct":
        return "0" + format(value, "o") if value else "0"
    if style == "hex":
        return hex(value)
    return str(value)


@st.composite
def v4_spelling(draw: st.DrawFn, value: int) -> str:
    """Every way inet_aton reads an IPv4 address: 1 to 4 parts, each decimal/octal/hex."""
    parts = draw(st.sampled_from([4, 3, 2, 1]))
    octets = list(value.to_bytes(4, "big"))
    numbers = {4: octets, 3: [*octets[:2], octets[2] << 8 | octets[3]],
               2: [octets[0], value & 0xFFFFFF], 1: [value]}[parts]
    styles = draw(st.lists(st.sampled_from(["dec", "oct", "hex"]), min_size=parts,
                           max_size=parts))
    text = ".".join(octet(n, s) for n, s in zip(numbers, styles, strict=True))
    if draw(st.booleans()):
        text = text.upper()
    return text + draw(st.sampled_from(["", "."]))


@st.composite
def v4_url_host(draw: st.DrawFn) -> str:
    value = draw(hostile_v4())
    dotted = str(ipaddress.IPv4Address(value))
    high, low = value >> 16, value & 0xFFFF
    return draw(st.sampled_from([
        draw(v4_spelling(value)),
        f"[::ffff:{dotted}]", f"[::ffff:{high:x}:{low:x}]", f"[0:0:0:0:0:FFFF:{dotted}]",
        f"[::{dotted}]" if value > 1 else "[::1]",
        f"[2002:{high:x}:{low:x}::{draw(st.integers(0, 0xFFFF)):x}]",
        f"[64:ff9b::{dotted}]",
        f"v4-{value:x}.attacker.test", f"mix-{value:x}.attacker.test",
    ]))


@st.composite
def v6_url_host(draw: st.DrawFn) -> str:
    network = draw(st.sampled_from(HOSTILE_V6))
    value = int(network.network_address) + draw(st.integers(0, network.num_addresses - 1))
    address = ipaddress.IPv6Address(value)
    return draw(st.sampled_from([f"[{address.compressed}]", f"[{address.exploded}]",
                                 f"[{address.compressed.upper()}]",
                                 f"v6-{value:x}.attacker.test"]))


SAFE_PATH = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/-_.?=&", max_size=20)
NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%!$", max_size=12)


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    path = "/" + draw(SAFE_PATH)
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "HttPs"]))
    kind = draw(st.sampled_from(["v4", "v4", "v4", "v6", "metadata", "scheme", "port",
                                 "credentials"]))
    if kind in ("v4", "v6"):
        host = draw(v4_url_host() if kind == "v4" else v6_url_host())
        port = draw(st.sampled_from(["", ":80", ":443"]))
        return f"{scheme}://{host}{port}{path}"
    if kind == "metadata":
        host = draw(st.sampled_from(["metadata.google.internal", "METADATA.GOOGLE.INTERNAL.",
                                     "metadata", "metadata.goog", "169.254.169.254",
                                     "[fd00:ec2::254]", "instance-data"]))
        return f"{scheme}://{host}{path}"
    if kind == "scheme":
        bad = draw(st.sampled_from(["file", "gopher", "ftp", "dict", "ldap", "javascript",
                                    "data", "ws", "wss", "sftp", "tftp", "jar", "netdoc",
                                    "smb", "mailto", "view-source", "about", "chrome"]))
        return f"{bad}://public.test{path}"
    if kind == "port":
        number = draw(st.integers(0, 99_999).filter(lambda p: p not in (80, 443)))
        return f"{scheme}://public.test:{number}{path}"
    user, password = draw(NAME), draw(NAME)
    userinfo = draw(st.sampled_from([f"{user}:{password}@", f"{user}@", ":@", f":{password}@"]))
    return f"{scheme}://{userinfo}public.test{path}"


def test_thousands_of_generated_hostile_urls_are_all_refused_without_a_connect(
        network: FakeNetwork) -> None:
    refused: list[str] = []

    @hypothesis_settings(max_examples=3000, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_urls())
    def every_one_is_refused(url: str) -> None:
        with pytest.raises(http.BlockedURL) as caught:
            http.fetch_user_url(url)
        assert str(caught.value).startswith("refused: ")
        refused.append(url)

    every_one_is_refused()

    assert network.connects == []
    assert len(set(refused)) >= 2000  # distinct URLs
    print(f"\n{len(refused)} hostile URLs refused, {len(set(refused))} distinct, 0 connects")
