"""Server addresses: which stay on this computer (loopback), and a warning for plain http beyond it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) never leaves this computer."""
    if not host:
        return False
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always the loopback
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # any other name may resolve anywhere
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is the IPv4 loopback
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def plain_http_warning(server: str) -> tuple[str, str] | None:
    """Korean and English words when ``server`` is plain http beyond this computer, else None."""
    try:
        parts = urlsplit(server.strip())
        host = parts.hostname
    except ValueError:
        return None  # not an address: the sync itself says so
    if parts.scheme.lower() != "http" or is_loopback(host):
        return None
    return (f"경고: {server}은(는) 암호화하지 않은 http 주소입니다. 비밀번호, 로그인 토큰과 기록이 네트워크에서 그대로 읽힐 수 "
            f"있습니다. 중앙추진본부에 https 주소를 요청하세요.",
            f"Warning: {server} is a plain http address. Passwords, the login token and the records can be read "
            f"on the network as they pass. Ask the central office for its https address.")
