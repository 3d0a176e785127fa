"""Fetch an http(s) input with httpx: timeouts, a size limit, the format from the bytes and Content-Type."""
from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from ..errors import InputError
from ..models import RawDocument
from .source import MAX_BYTES

__all__ = ["is_url", "fetch", "read_url", "TIMEOUT_SECONDS"]

TIMEOUT_SECONDS = 30.0  # per network operation (connect, each read): a portal that stalls longer is down
_CONNECT_SECONDS = 10.0
_HEADERS = {"User-Agent": "comparer (report comparison; +https://pypi.org/project/comparer)", "Accept": "*/*"}


def is_url(source: str) -> bool:
    """Return True for an http:// or https:// address."""
    return source.lower().startswith(("http://", "https://"))


def fetch(url: str, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS) -> tuple[bytes, str]:
    """Return (body, content type) of a URL; raise InputError naming the URL with a one-line reason."""
    import httpx

    limits = httpx.Timeout(timeout, connect=min(timeout, _CONNECT_SECONDS))
    try:
        with httpx.Client(follow_redirects=True, timeout=limits, headers=_HEADERS) as client:
            with client.stream("GET", url) as response:
                return _body(url, response, max_bytes), response.headers.get("content-type", "")
    except httpx.TimeoutException:
        raise InputError(url, f"cannot fetch: no answer within {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise InputError(url, "cannot fetch: too many redirects") from None
    except httpx.InvalidURL as exc:
        raise InputError(url, f"not a valid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch: {_reason(exc)}") from None


def _body(url: str, response, max_bytes: int) -> bytes:
    """Read a response body up to max_bytes, refusing error statuses and larger bodies."""
    if response.status_code >= 400:
        raise InputError(url, f"cannot fetch: HTTP {response.status_code} {response.reason_phrase}".rstrip())
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, f"too large ({declared} bytes; limit {max_bytes}, set COMPARER_MAX_BYTES)")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"too large (more than {max_bytes} bytes; set COMPARER_MAX_BYTES)")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.strip():
        raise InputError(url, "empty response")
    return data


def _reason(exc: Exception) -> str:
    """Return a short reason for a transport error (connection refused, name not resolved …)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.removeprefix("[Errno 111] ").lower() if "refused" in text.lower() else text


def read_url(url: str) -> RawDocument:
    """Fetch a URL and read it with the reader its bytes, Content-Type or path suffix names."""
    from .registry import reader_for

    data, content_type = fetch(url)
    name = PurePosixPath(urlsplit(url).path or "/").name or "index"
    try:
        raw = reader_for(PurePosixPath(name), data, content_type).read(PurePosixPath(name), data)
    except InputError as error:
        raise InputError(url, error.problem) from None
    return replace(raw, meta=replace(raw.meta, path=url))
