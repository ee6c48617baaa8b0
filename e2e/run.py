"""Runs the end-to-end journey: this server, a built Baserow web frontend, then Chromium."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E2E = ROOT / "e2e"
BACKEND_URL = "http://127.0.0.1:8000"
FRONTEND_URL = "http://127.0.0.1:3000"
STARTUP_TIMEOUT_SECONDS = 240


def frontend_dir() -> Path:
    """The built `web-frontend/` directory named by BASEROW_WEB_FRONTEND_DIR."""
    value = os.environ.get("BASEROW_WEB_FRONTEND_DIR")
    if not value:
        sys.exit("Set BASEROW_WEB_FRONTEND_DIR to a built Baserow web-frontend directory.")
    path = Path(value).resolve()
    if not (path / ".nuxt" / "dist" / "server").is_dir():
        sys.exit(f"{path} has no Nuxt build (.nuxt/dist/server): build it first.")
    return path


def backend_env(data_dir: Path) -> dict[str, str]:
    """This server's environment: a throw-away SQLite database in data_dir."""
    # No REDIS_URL: jobs run in the server's process (the embedded mode), no worker needed.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
        PUBLIC_WEB_FRONTEND_URL=FRONTEND_URL,
        SECRET_KEY="e2e-throw-away-secret-key",
        PYTHONUNBUFFERED="1",
    )
    return env


def frontend_env() -> dict[str, str]:
    """The web frontend's environment, as contract 10 gives it."""
    env = dict(os.environ)
    env.update(
        BASEROW_OSS_ONLY="1",
        PUBLIC_BACKEND_URL=BACKEND_URL,
        PRIVATE_BACKEND_URL=BACKEND_URL,
        PUBLIC_WEB_FRONTEND_URL=FRONTEND_URL,
        MEDIA_URL=f"{BACKEND_URL}/media/",
        NODE_ENV="production",
    )
    return env


def start(cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Starts a server in its own process group, its output going to log."""
    handle = log.open("wb")
    return subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    """Stops a server started by start(), and whatever it spawned."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    """Waits until url answers 200, or fails when the server exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url}: the server exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    sys.exit(f"{url} did not answer within {STARTUP_TIMEOUT_SECONDS}s; see {log}")


def main() -> int:
    """Starts both servers, walks the journey and the extra pages, stops both."""
    web_frontend = frontend_dir()
    logs = E2E / "logs"
    logs.mkdir(exist_ok=True)
    python = sys.executable
    data_dir = Path(tempfile.mkdtemp(prefix="baserow-e2e-"))
    processes: list[subprocess.Popen] = []
    try:
        env = backend_env(data_dir)
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        backend_log = logs / "backend.log"
        # The ASGI app: it serves HTTP and, once it exists, the /ws/core/ websocket.
        uvicorn = [python, "-m", "uvicorn", "baserow_clone.asgi:application"]
        backend = start(
            [*uvicorn, "--host", "127.0.0.1", "--port", "8000"],
            cwd=ROOT,
            env=env,
            log=backend_log,
        )
        processes.append(backend)
        frontend_log = logs / "frontend.log"
        nuxt = web_frontend / "node_modules" / ".bin" / "nuxt"
        frontend = start(
            [str(nuxt), "start", "--hostname", "127.0.0.1", "--port", "3000"],
            cwd=web_frontend,
            env=frontend_env(),
            log=frontend_log,
        )
        processes.append(frontend)
        wait_for(f"{BACKEND_URL}/api/_health/", backend, backend_log)
        wait_for(f"{FRONTEND_URL}/_health", frontend, frontend_log)
        journey_env = {
            **os.environ,
            "E2E_BACKEND_URL": BACKEND_URL,
            "E2E_FRONTEND_URL": FRONTEND_URL,
            "E2E_BACKEND_LOG": str(backend_log),
        }
        return subprocess.run([python, "-m", "e2e.journey"], cwd=ROOT, env=journey_env).returncode
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
