"""Start `serving-console demo` once for the session and point the official clients at it.

The server is the debug binary `make server` builds (target/debug/serving-console), run with the
control API (reset, time, request record) and a frozen clock, so a test decides when an update
or a stop finishes. Each test starts from the seed: `POST /__emulator/reset` before it.
"""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The server under test; SERVING_CONSOLE_BIN overrides it (e.g. to try another build).
SERVER = Path(os.environ.get("SERVING_CONSOLE_BIN") or ROOT / "target" / "debug" / "serving-console")
ADMIN_TOKEN = "dapi-emulator-admin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """The running server and its control API."""

    def __init__(self, base: str):
        self.base = base

    def control(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base}/__emulator/{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json"} if data else {},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
        return json.loads(text) if text else None

    def reset(self):
        return self.control("POST", "reset")

    def advance(self, secs: float):
        return self.control("POST", "time", {"advance_secs": secs})

    def requests(self):
        """The requests the emulator received since the last reset: [(method, path)]."""
        return [(r["method"], r["path"]) for r in self.control("GET", "requests")]


@pytest.fixture(scope="session")
def emulator():
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make server` first")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="sc-conformance-") as dist:
        # --dist must hold an index.html; the clients never ask for it.
        Path(dist, "index.html").write_text("<!doctype html><title>stub</title>\n")
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen(
            [str(SERVER), "demo", "--addr", f"127.0.0.1:{port}", "--dist", dist,
             "--control", "--freeze-time"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"server exited early ({proc.returncode}):\n{log.read().decode()}")
                try:
                    with urllib.request.urlopen(f"{base}/__emulator/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("server not healthy in 20 s")
                time.sleep(0.1)
            yield Emulator(base)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture(autouse=True)
def fresh(emulator, monkeypatch, tmp_path):
    """Every test: the seed restored, and the clients configured only by these variables
    (no ~/.databrickscfg, no other workspace from the environment)."""
    for key in list(os.environ):
        if key.startswith(("DATABRICKS_", "MLFLOW_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "no-databrickscfg"))
    monkeypatch.setenv("DATABRICKS_HOST", emulator.base)
    monkeypatch.setenv("DATABRICKS_TOKEN", ADMIN_TOKEN)
    emulator.reset()
    yield


@pytest.fixture
def workspace(emulator):
    """A WorkspaceClient configured explicitly, as a user would."""
    from databricks.sdk import WorkspaceClient

    return WorkspaceClient(host=emulator.base, token=ADMIN_TOKEN)
