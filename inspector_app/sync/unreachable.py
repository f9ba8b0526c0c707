"""Why the headquarters server could not be reached, in words an officer can act on.

httpx raises one ConnectError for a name that does not resolve, a refused connection and a
certificate it does not trust alike; the socket or TLS error underneath (the exception's
cause chain) tells them apart, and each calls for something else: check the address, start
the server, ask IT about the certificate, find a network.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator

import httpx

from inspector_app.common.text import Text

__all__ = ["CONNECT_TIMEOUT", "why_unreachable"]

# Seconds to wait for the TCP connection (and TLS handshake) to a server. An officer who
# pressed Start learns within about 5 s that the server cannot be reached; a server that can
# be reached answers a connection well within this on any network a laptop uses.
CONNECT_TIMEOUT = 4.0

# OpenSSL's verification codes for the certificate problems a bank's set-up runs into; others
# keep OpenSSL's own (English) words in both languages.
_CERTIFICATE_PROBLEMS = {
    10: ("证书已过期", "the certificate has expired"),
    18: ("自签名证书", "a self-signed certificate"),
    19: ("证书链中有自签名证书", "a self-signed certificate in the chain"),
    20: ("签发机构不受本机信任", "issued by an authority this laptop does not trust"),
    62: ("证书上的名称与地址不符", "the certificate is for another name"),
}


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def why_unreachable(error: httpx.TransportError, host: str,
                    connect_timeout: float = CONNECT_TIMEOUT) -> Text:
    """What went wrong talking to ``host``, and what to do, for the officer."""
    causes = list(_causes(error))
    if isinstance(error, httpx.UnsupportedProtocol):
        return Text("服务器地址须以 https:// 或 http:// 开头",
                    "the server address must begin with https:// or http://")
    if isinstance(error, httpx.ConnectTimeout):
        seconds = f"{connect_timeout:g}"
        return Text(f"{seconds}秒内未能连接到 {host}：网络不通，或地址不对",
                    f"no connection to {host} within {seconds} s: the network does not reach "
                    "it, or the address is wrong")
    if isinstance(error, httpx.TimeoutException):
        return Text(f"{host} 长时间没有响应，连接已中断", f"{host} stopped answering")
    if isinstance(error, httpx.ProxyError):
        return Text(f"代理服务器拒绝了到 {host} 的连接：请联系IT部门",
                    f"the proxy refused the connection to {host}; contact IT")
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return Text(f"找不到服务器 {host}：地址可能拼错，或本机没有连接网络",
                        f"the server name {host} could not be found: the address may be "
                        "misspelt, or this laptop is not connected to a network")
        if isinstance(cause, ssl.SSLCertVerificationError):
            zh, en = _CERTIFICATE_PROBLEMS.get(
                cause.verify_code, (cause.verify_message, cause.verify_message))
            return Text(f"{host} 的证书不受信任（{zh}）：请联系IT部门",
                        f"the certificate of {host} is not trusted ({en}); contact IT")
        if isinstance(cause, ssl.SSLError):
            if "WRONG_VERSION_NUMBER" in str(cause) or "record layer" in str(cause):
                return Text(f"{host} 在此地址不提供加密连接（https）：请核对地址和端口",
                            f"{host} does not serve a secure connection (https) at this "
                            "address: check the address and the port")
            # Ending in full-width punctuation keeps "中文 / English" splittable.
            return Text(f"与 {host} 的加密连接（TLS）失败（{cause.reason or cause}）",
                        f"the secure (TLS) connection to {host} failed: "
                        f"{cause.reason or cause}")
        if isinstance(cause, ConnectionRefusedError):
            return Text(f"{host} 拒绝连接：服务器未在运行，或端口不对",
                        f"{host} refused the connection: the server is not running there, "
                        "or the port is wrong")
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH,
                                                          errno.EHOSTUNREACH):
            return Text(f"网络无法到达 {host}：请检查本机的网络连接",
                        f"the network does not reach {host}: check this laptop's connection")
    if isinstance(error, httpx.ConnectError):
        return Text(f"无法连接到 {host}（{error}）", f"cannot connect to {host}: {error}")
    return Text(f"与 {host} 的连接中断", f"the connection to {host} broke off")
