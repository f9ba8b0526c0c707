"""Why a server could not be reached, told apart over real sockets on this machine: a refused
connection, a name that does not resolve, a connection that never completes, and TLS trouble
(no TLS at that port, a certificate the laptop does not trust). Each is said at once."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from inspector_app.common.text import Text
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import ServerUnreachable, SyncClient, SyncError, server_url


def _refused() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


def _backlog_full() -> Iterator[str]:
    """Connections that never complete (a non-routable address's behaviour): a listening
    socket whose one-place backlog is taken drops further SYNs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    held = []
    for _ in range(8):
        c = socket.socket()
        c.settimeout(0.2)
        try:
            c.connect(("127.0.0.1", port))
        except OSError:
            c.close()
            break
        held.append(c)
    else:
        pytest.skip("this system never fills a listening socket's backlog")
    yield f"http://127.0.0.1:{port}"
    for c in held:
        c.close()
    server.close()


def _serving(server: socket.socket, handle: object) -> Iterator[int]:
    def loop() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            try:
                handle(conn)  # type: ignore[operator]
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    server.close()
    thread.join(5)


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _plain_http() -> Iterator[str]:
    """An HTTP server asked for https: it answers the TLS hello with plain text."""
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _self_signed(tmp: Path) -> Iterator[str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def handshake(conn: socket.socket) -> None:
        conn.settimeout(5)
        context.wrap_socket(conn, server_side=True).close()

    for port in _serving(server, handshake):
        yield f"https://localhost:{port}"


CASES = {
    "refused": "{host} refused the connection: the server is not running there, or the port "
               "is wrong",
    "no such name": "the server name {host} could not be found: the address may be "
                    "misspelt, or this laptop is not connected to a network",
    "no answer": "no connection to {host} within 0.5 s: the network does not reach it, or "
                 "the address is wrong",
    "not TLS": "{host} does not serve a secure connection (https) at this address: check the "
               "address and the port",
    "untrusted": "the certificate of {host} is not trusted (a self-signed certificate); "
                 "contact IT",
}


@pytest.fixture
def address(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    case = request.param
    if case == "no such name":  # .invalid never resolves (RFC 6761)
        yield "https://hq.bank.invalid"
        return
    made = {"refused": _refused, "no answer": _backlog_full, "not TLS": _plain_http,
            "untrusted": lambda: _self_signed(tmp_path)}[case]()
    yield from made


@pytest.mark.parametrize("address", sorted(CASES), indirect=True)
def test_each_reason_is_said_on_the_first_try(
    store: LocalStore, address: str, request: pytest.FixtureRequest
) -> None:
    case = request.node.callspec.params["address"]
    host = address.split("://", 1)[1]
    with (SyncClient(store, address, retries=3, backoff=5.0, connect_timeout=0.5) as client,
          pytest.raises(ServerUnreachable) as caught):
        # backoff=5: a retry would make this test slow; the reason comes from the first try
        client.register("li", "a password", "laptop-test")
    assert caught.value.text.en == "cannot reach the headquarters server: " + CASES[case].format(
        host=host)
    assert caught.value.text.zh.startswith("无法连接总行服务器：")
    assert not client.is_registered()


@pytest.mark.parametrize(("typed", "address"), [
    ("hq.bank.cn", "https://hq.bank.cn"),
    ("  http://10.1.2.3:8080/ ", "http://10.1.2.3:8080"),
    ("https://hq.bank.cn:8443", "https://hq.bank.cn:8443"),
])
def test_a_server_address_as_typed(typed: str, address: str) -> None:
    assert server_url(typed) == address


@pytest.mark.parametrize("typed", ["ftp://hq.bank.cn", "https://", "hq bank", "hq:99999"])
def test_what_cannot_be_a_server_address_is_refused(typed: str) -> None:
    with pytest.raises(SyncError, match="is not a server address"):
        server_url(typed)


def test_an_address_where_something_else_answers_is_said_so(store: LocalStore) -> None:
    """A web server that is not headquarters (404, none of our error bodies): check the
    address, in each language on its own."""
    elsewhere = httpx.MockTransport(lambda request: httpx.Response(404, text="Not Found"))
    with (SyncClient(store, "http://10.255.255.1", transport=elsewhere) as client,
          pytest.raises(SyncError) as caught):
        client.register("li", "a password", "laptop-test")
    assert caught.value.text == Text(
        "该地址上的不是总行同步服务器（HTTP 404），请核对地址",
        "this address does not answer as the headquarters sync server (HTTP 404): check the "
        "address")
