"""Builds the API client a command talks to: the real API, or the embedded sandbox. Reads
the key (from its variable or `--api-key-file`) and checks the URL it is sent to."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import stat
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import httpx

from reconciler import clock
from reconciler.client import DEFAULT_URL, ConfigError, Secret, ZexaClient
from reconciler.secret import public_url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def without_credentials(url: str) -> str:
    """`url` as it may be shown: any `user:password@`, query string or fragment masked."""
    return public_url(url)


_KEY_GOES = ("the API key goes in its variable (ZEXA_API_KEY, or the environment's "
             "api_key_env) or --api-key-file, never in the URL")


def check_url(url: str, source: str = "ZEXA_API_URL") -> str:
    """The API base URL, refused unless https (plain http only to a loopback address), and
    refused when it holds credentials, a query string or a fragment: what is there (a key,
    a token) would be printed, and stored in the state. Messages never show those parts."""
    shown = without_credentials(url)
    parts = _parsed(url)
    if parts is None:
        raise ConfigError(f"{source} is not a valid URL: {shown!r}")
    if "@" in parts.netloc:
        raise ConfigError(f"{source} holds credentials ({shown!r}); {_KEY_GOES}")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ConfigError(f"{source} holds a query string or a fragment ({shown!r}); the "
                          f"API's URL is its address alone: {_KEY_GOES}")
    if not _allowed_scheme(parts):
        raise ConfigError(f"{source} must be an https:// URL (plain http:// only to a "
                          f"loopback address), not {shown!r}")
    return url.rstrip("/")


def _parsed(url: str) -> SplitResult | None:
    """`url`'s parts, or None when it is not a URL httpx can use (a port that is not a
    number among others)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        return None
    return parts


def _allowed_scheme(parts: SplitResult) -> bool:
    """https to a host, or plain http to a loopback address."""
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def proxy_for(url: str) -> str | None:
    """The proxy the environment routes requests to `url` through, as it may be shown, after
    checking every proxy variable: httpx reads them all when a client is made, and one it
    cannot use fails every command (even where NO_PROXY covers the API's host)."""
    proxies = urllib.request.getproxies_environment()
    for scheme in ("http", "https", "all"):
        if proxies.get(scheme):
            _check_proxy(scheme, proxies[scheme])
    parts = urlsplit(url)
    chosen = proxies.get(parts.scheme) or proxies.get("all")
    if not chosen or _bypassed(parts.hostname or "", proxies.get("no", "")):
        return None
    return without_credentials(chosen)


def _check_proxy(scheme: str, value: str) -> None:
    """Refuse the `<scheme>_PROXY` variable's value unless it is a proxy URL this install can
    use (SOCKS needs the socks extra)."""
    variable = f"{scheme.upper()}_PROXY"
    shown = without_credentials(value)
    parts = _parsed(value)
    kind = parts.scheme if parts is not None and parts.hostname else ""
    if kind not in PROXY_SCHEMES:
        raise ConfigError(f"{variable} (or {scheme}_proxy) is not a proxy URL "
                          f"({', '.join(s + '://' for s in PROXY_SCHEMES)}): {shown!r}")
    if kind.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigError(f"{variable} names a SOCKS proxy ({shown!r}), which needs the "
                          "socks extra: pip install 'zexa-campaigns[socks]'")


def _bypassed(host: str, no_proxy: str) -> bool:
    """Whether NO_PROXY names `host` (for messages only: httpx decides)."""
    for entry in no_proxy.lower().split(","):
        entry = entry.strip().split("://")[-1].lstrip(".")
        if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
            return True
    return False


def _checked_key(value: str, source: str) -> Secret:
    """The key, refused (naming where it came from, never showing it) when it cannot be a
    key: HTTP headers carry only visible ASCII, and a second line is a second value."""
    if not value:
        raise ConfigError(f"{source} is empty")
    if any(c.isspace() for c in value):
        raise ConfigError(f"{source} holds white space or more than one line inside the key; "
                          "it must be the key alone")
    if not value.isascii() or not value.isprintable():
        raise ConfigError(f"{source} holds characters that are not printable ASCII; an API "
                          "key is letters, digits and punctuation only")
    return Secret(value)


def read_api_key(api_key_file: str | None, environ: Mapping[str, str] | None = None,
                 warn: Callable[[str], None] = lambda message: None,
                 variable: str = "ZEXA_API_KEY") -> Secret:
    """The key from `--api-key-file`, else the `variable` (ZEXA_API_KEY unless an environment
    of the configuration names another); a one-line error when neither."""
    env = os.environ if environ is None else environ
    if api_key_file:
        source = f"the API key file {api_key_file}"
        try:
            info = os.stat(api_key_file)
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(f"{source} is not a regular file")
            with open(api_key_file, "rb") as f:
                raw = f.read(4097)
        except OSError as exc:
            raise ConfigError(f"cannot read {source}: {exc.strerror}") from None
        if len(raw) > 4096:
            raise ConfigError(f"{source} is larger than 4 KiB; it must hold the key alone")
        try:
            value = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise ConfigError(f"{source} is not UTF-8 text") from None
        key = _checked_key(value, source)
        if os.name == "posix" and info.st_mode & 0o077:
            warn(f"Warning: {source} can be read by others (mode "
                 f"{stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {api_key_file}")
        return key
    value = env.get(variable, "").strip()
    if not value:
        raise ConfigError(
            f"no API key: set {variable} (or pass --api-key-file FILE); "
            "to try the tool without one, add --sandbox"
        )
    return _checked_key(value, variable)


SANDBOX_IDENTITY = "sandbox"
DEFAULT_SANDBOX_DATA = ".campaigns-sandbox.json"


@dataclass
class Connection:
    client: ZexaClient
    api_url: str  # what a state file records: the API's URL, or "sandbox"

    def close(self) -> None:
        self.client.close()


def sandbox_data_path(environ: Mapping[str, str] | None = None,
                      environment: str | None = None) -> Path:
    """The sandbox account's file: each environment of the configuration has its own
    (`.campaigns-sandbox.staging.json`), with its own list and sender IDs."""
    env = os.environ if environ is None else environ
    path = Path(env.get("CAMPAIGNS_SANDBOX_DATA") or DEFAULT_SANDBOX_DATA)
    return path if environment is None else \
        path.with_name(f"{path.stem}.{environment}{path.suffix}")


def sandbox_identity(environment: str | None) -> str:
    """What a state made against the sandbox records as its API."""
    return SANDBOX_IDENTITY if environment is None else f"{SANDBOX_IDENTITY}:{environment}"


def connect(
    *,
    sandbox: bool,
    api_key_file: str | None = None,
    environ: Mapping[str, str] | None = None,
    concurrency: int = 10,
    api_url: str | None = None,
    key_variable: str = "ZEXA_API_KEY",
    warn: Callable[[str], None] = lambda message: None,
    accept_short_listing: bool = False,
    environment: str | None = None,
) -> Connection:
    """The client for `--sandbox` (in-process, persisted to a local file) or for ZEXA_API_URL."""
    env = os.environ if environ is None else environ
    if sandbox:  # the sandbox is loaded only when it is used
        from reconciler.sandbox.account import AccountStore, seed_for
        from reconciler.sandbox.app import SandboxApp
        from reconciler.sandbox.transport import SANDBOX_URL, SandboxTransport

        fixed = clock.is_fixed()  # the documentation's reproducible runs
        data = sandbox_data_path(env, environment)
        if not data.exists():
            warn(f"The sandbox's account is kept in {data.as_posix()}: add it to .gitignore "
                 "(the state file is what to commit).")
        app = SandboxApp(AccountStore(data),
                         seed=seed_for(environment) if environment else None,
                         clock=clock.now if fixed else None, stable_ids=fixed)
        client = ZexaClient(
            SANDBOX_URL, Secret("sandbox"), transport=SandboxTransport(app),
            concurrency=concurrency, accept_short_listing=accept_short_listing,
        )
        return Connection(client, sandbox_identity(environment))
    url = check_url(api_url or env.get("ZEXA_API_URL") or DEFAULT_URL,
                    "the environment's api_url" if api_url else "ZEXA_API_URL")
    key = read_api_key(api_key_file, env, warn, variable=key_variable)
    return Connection(ZexaClient(url, key, concurrency=concurrency,
                                 accept_short_listing=accept_short_listing,
                                 proxy=proxy_for(url)), url)
