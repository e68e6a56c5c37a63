from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "campaigns.example"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden files the tests compare with (tests/golden.py); "
                     "each test that rewrote one fails.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `posix` need what Windows does not have (POSIX signals such as SIGKILL,
    named pipes, /dev, file modes, bash): there they are skipped, and say why."""
    if sys.platform != "win32":
        return
    skip = pytest.mark.skip(reason="needs POSIX signals, named pipes, file modes or bash")
    for item in items:
        if "posix" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the current folder, as a user's repository would be."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under tmp_path and return its path as the tool shows it (with `/`,
    Windows included)."""

    def _write(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path.as_posix()

    return _write


from collections.abc import Callable, Iterator  # noqa: E402

from reconciler.sandbox.app import SandboxApp  # noqa: E402
from reconciler.sandbox.server import SandboxServer  # noqa: E402


@pytest.fixture
def serve() -> Iterator[Callable[..., SandboxServer]]:
    """Start sandbox HTTP servers on 127.0.0.1 (any SandboxApp options); stopped after."""
    servers: list[SandboxServer] = []

    def _serve(app: SandboxApp | None = None, **options: object) -> SandboxServer:
        server = SandboxServer(app or SandboxApp(**options))  # type: ignore[arg-type]
        server.start_background()
        servers.append(server)
        return server

    yield _serve
    for server in servers:
        server.stop()


class FakeTime:
    """An injected clock: sleeping moves it forward instantly and is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
