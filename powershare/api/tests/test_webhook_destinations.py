"""A webhook cannot be turned against the internal network: not by a name that resolves to an
internal address, not by a redirect, not by a name that answers differently the second time it
is looked up (DNS rebinding). Local HTTP servers play the internal targets; the resolver is
replaced for the names the tests make up."""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from powershare.api import transport, webhooks
from powershare.api.models import Webhook, WebhookDelivery
from powershare.api.tests.helpers import client_for

PUBLIC = "93.184.216.34"  # a global unicast address, as a public receiver would have
REAL_GETADDRINFO = socket.getaddrinfo
REAL_CREATE_CONNECTION = socket.create_connection


class Receiver:
    """A local HTTP server that records what it receives and answers ``status`` (with
    ``location`` for a redirect)."""

    def __init__(self, status: int = 200, location: str = "", tls: ssl.SSLContext | None = None):
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Any]:
    started: list[Receiver] = []

    def start(**kwargs: Any) -> Receiver:
        started.append(Receiver(**kwargs))
        return started[-1]

    yield start
    for receiver in started:
        receiver.close()


class FakeDNS:
    """Made-up names and what they resolve to, one answer per lookup (the last one repeats);
    other names resolve as usual. ``lookups`` lists the made-up names looked up."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []

    def __setitem__(self, name: str, addresses: list[str]) -> None:
        self.answers[name] = list(addresses)

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in self.answers:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        self.lookups.append(host)
        queue = self.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]


@pytest.fixture
def dns(monkeypatch: Any) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


def _delivery(cast: Any, url: str) -> WebhookDelivery:
    hook = Webhook.objects.create(
        owner=cast.partner_a, url=url, events=["ask.status_changed"], secret="whsec_test"
    )
    return WebhookDelivery.objects.create(
        webhook=hook, event="ask.status_changed", payload={"event": "ask.status_changed"}
    )


def test_a_public_looking_name_that_resolves_to_loopback_is_refused(cast, settings, dns, receivers):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    internal = receivers()
    dns["hooks.example.org"] = ["127.0.0.1"]
    delivery = webhooks.attempt(_delivery(cast, f"http://hooks.example.org:{internal.port}/h"))
    assert delivery.status == "failed"
    assert "hooks.example.org is not a public address" in delivery.last_error
    assert internal.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.20",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",  # shared address space (carrier NAT)
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "fe80::1",
        "fc00::1",
        "ff02::1",
    ],
)
def test_subscribing_a_name_that_resolves_to_an_internal_address_is_refused(
    cast, settings, dns, address
):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    dns["hooks.example.org"] = [address]
    response = client_for(cast.partner_a).post(
        "/api/v1/webhooks",
        {"url": "https://hooks.example.org/h", "events": ["ask.status_changed"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "hooks.example.org is not a public address" in response.json()["detail"]
    assert not Webhook.objects.exists()


def test_one_internal_address_among_public_ones_is_enough_to_refuse(cast, settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(Exception, match="not a public address"):
        webhooks.check_destination("https://hooks.example.org/h")


def test_a_redirect_is_recorded_and_never_followed(cast, settings, receivers):
    # Local receivers need the testing setting; the redirect is refused whatever it says.
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    internal = receivers()
    redirecting = receivers(status=302, location=f"http://127.0.0.1:{internal.port}/admin")
    delivery = webhooks.attempt(_delivery(cast, f"http://127.0.0.1:{redirecting.port}/hook"))
    assert [r["method"] for r in redirecting.requests] == ["POST"]
    assert internal.requests == []  # the redirect's target heard nothing
    assert delivery.status == "failed" and delivery.last_status_code == 302
    assert delivery.last_error == "HTTP 302: redirects are not followed"
    assert delivery.next_attempt_at is None


@pytest.mark.parametrize("status", [301, 303, 307, 308])
def test_no_kind_of_redirect_is_followed(cast, settings, receivers, status):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    internal = receivers()
    redirecting = receivers(status=status, location=f"http://127.0.0.1:{internal.port}/")
    delivery = webhooks.attempt(_delivery(cast, f"http://127.0.0.1:{redirecting.port}/hook"))
    assert internal.requests == [] and delivery.last_status_code == status


def test_a_name_that_changes_its_answer_is_only_connected_at_the_checked_address(
    cast, settings, dns, receivers, monkeypatch
):
    """DNS rebinding: the first lookup says public, the next says 127.0.0.1. The POST goes to
    the address that was checked, never to a second answer."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    internal = receivers()
    dns["rebind.example.org"] = [PUBLIC, "127.0.0.1"]
    connected: list[Any] = []

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        connected.append(address[0])
        if address[0] == PUBLIC:  # the public host is not there in the tests
            raise ConnectionRefusedError("public receiver not reachable from the tests")
        return REAL_CREATE_CONNECTION(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    delivery = webhooks.attempt(_delivery(cast, f"http://rebind.example.org:{internal.port}/h"))
    assert connected == [PUBLIC]
    assert dns.lookups == ["rebind.example.org"]  # looked up once
    assert internal.requests == []
    assert delivery.status == "retrying" and "ConnectionRefusedError" in delivery.last_error


def test_the_host_header_keeps_the_url_name(cast, settings, dns, receivers):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    receiver = receivers()
    dns["hooks.example.org"] = ["127.0.0.1"]
    delivery = webhooks.attempt(_delivery(cast, f"http://hooks.example.org:{receiver.port}/h?x=1"))
    assert delivery.status == "delivered"
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"hooks.example.org:{receiver.port}"
    assert request["path"] == "/h?x=1"
    assert webhooks.verify("whsec_test", request["headers"], request["body"])


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_tls_checks_the_certificate_against_the_url_name(dns, receivers, tmp_path):
    """Connected to the checked address, TLS still sends the URL's name (SNI) and checks the
    certificate against it: a certificate for that name passes, one for another name fails."""
    dns["hooks.example.org"] = ["127.0.0.1"]
    for name, accepted in (("hooks.example.org", True), ("other.example.org", False)):
        cert, key = _certificate(tmp_path, name)
        server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_side.load_cert_chain(cert, key)
        receiver = receivers(tls=server_side)
        client_side = ssl.create_default_context(cafile=str(cert))
        url = f"https://hooks.example.org:{receiver.port}/h"
        if accepted:
            code = transport.send(
                url, b"{}", {}, timeout=5, allow_private=True, context=client_side
            )
            assert code == 200 and len(receiver.requests) == 1
        else:
            with pytest.raises(ssl.SSLCertVerificationError):
                transport.send(url, b"{}", {}, timeout=5, allow_private=True, context=client_side)
            assert receiver.requests == []


def test_a_port_past_the_range_is_refused_as_an_address(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = client_for(cast.partner_a).post(
        "/api/v1/webhooks",
        {"url": "https://1.1.1.1:99999/h", "events": ["ask.status_changed"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Give a full https:// address." in response.json()["detail"]
