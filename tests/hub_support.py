"""A real, throw-away multi-user JupyterHub for the end-to-end class test (tests/test_hub.py).

Everything here is real: system users made with ``useradd``, JupyterHub (PyPI) with its local-process
spawner, configurable-http-proxy (npm), nbgrader's filesystem exchange under a shared root with
nbgrader's own permission model. Only the authenticator is JupyterHub's ``dummy`` one (a shared test
password): logins are not what is under test.

Students and the instructor run a Python environment they can read, outside the repository, built
from ``/usr/bin/python3``: a copy of this test environment's packages with the course installed
non-editable from the student-only tree (no nbgrader sources, rubrics or tests anywhere in it).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "hub-e2e-" + secrets.token_hex(4)
NPM_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "spine-course" / "npm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chp() -> str:
    """configurable-http-proxy: on PATH, else installed with npm into a cache folder (CI has npm)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = NPM_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not local.exists():
        if not shutil.which("npm"):
            raise FileNotFoundError("configurable-http-proxy is not installed and npm is missing")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NPM_CACHE),
                        "configurable-http-proxy@5"], check=True, capture_output=True, timeout=300)
    return str(local)


def run_as(user: str, *cmd: str, env: dict | None = None, cwd: str | None = None, check: bool = False,
           timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a command as a system user, with a clean login-like environment."""
    home = pwd.getpwnam(user).pw_dir
    base = {"HOME": home, "USER": user, "LOGNAME": user, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    full = ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in {**base, **(env or {})}.items()],
            *cmd]
    result = subprocess.run(full, capture_output=True, text=True, cwd=cwd or home, timeout=timeout)
    if check and result.returncode:
        raise AssertionError(f"as {user}: {' '.join(cmd)} → {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def can_read(user: str, path: Path) -> bool:
    """Whether ``user`` can read ``path`` (a file's bytes, or a folder's listing)."""
    if path.is_dir():
        return run_as(user, "ls", str(path)).returncode == 0
    return run_as(user, "head", "-c", "1", str(path)).returncode == 0


@dataclass
class Users:
    prefix: str
    instructor: str
    students: list[str]
    made: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, n_students: int = 3) -> "Users":
        prefix = "e2e" + secrets.token_hex(2)
        users = cls(prefix, f"{prefix}instr", [f"{prefix}stu{i}" for i in range(1, n_students + 1)])
        for name in [users.instructor, *users.students]:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name],
                           check=True, capture_output=True)
            users.made.append(name)
            os.chmod(pwd.getpwnam(name).pw_dir, 0o700)  # nobody reads another's home
        return users

    def remove(self) -> None:
        for name in self.made:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        time.sleep(0.3)
        for name in self.made:
            subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)

    def leftover_processes(self) -> list[str]:
        out = []
        for name in self.made:
            r = subprocess.run(["pgrep", "-u", name, "-a"], capture_output=True, text=True)
            out += [f"{name}: {line}" for line in r.stdout.splitlines()]
        return out


def build_user_env(dest: Path, student_tree: Path) -> Path:
    """A Python environment other users can read: this one's packages, the course non-editable.

    Made with ``/usr/bin/python3 -m venv`` (this test environment's interpreter may live under
    ``/root``, which nobody else can enter). Its site-packages are a copy of ours (same Python minor
    version, same ABI) without the editable course, then ``pip install --no-deps`` of the student tree.
    """
    base = "/usr/bin/python3"
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    theirs = subprocess.run([base, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if theirs != ours:
        raise RuntimeError(f"/usr/bin/python3 is {theirs}, this environment is {ours}: the copy needs the same version")
    subprocess.run([base, "-m", "venv", "--without-pip", str(dest)], check=True, capture_output=True)
    src_site = Path(sysconfig.get_paths()["purelib"])
    dst_site = dest / "lib" / f"python{ours}" / "site-packages"
    shutil.rmtree(dst_site)
    # hard links when on one file system (seconds, not minutes); a copy otherwise
    same_fs = os.stat(src_site).st_dev == os.stat(dest).st_dev
    for src, dst in [(src_site, dst_site)] + [(Path(sys.prefix) / d, dest / d) for d in ("share", "etc")]:
        if src.is_dir():
            subprocess.run(["cp", "-al" if same_fs else "-a", str(src), str(dst)] if not dst.exists()
                           else ["cp", "-alT" if same_fs else "-aT", str(src), str(dst)], check=True)
    for pattern in ("__editable__*", "*spine_metastases_course*", "course", "playwright", "hypothesis"):
        for path in dst_site.glob(pattern):
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    py = dest / "bin" / "python"
    _fit_to_interpreter(py, dst_site)
    for script in (Path(sys.prefix) / "bin").iterdir():  # console scripts, pointing at the new interpreter
        target = dest / "bin" / script.name
        if target.exists() or not script.is_file():
            continue
        try:
            head, _, body = script.read_text(encoding="utf-8").partition("\n")
        except UnicodeDecodeError:
            continue
        if head.startswith("#!") and "python" in head:
            target.write_text(f"#!{py}\n{body}", encoding="utf-8")
            target.chmod(0o755)
    # the course, non-editable: a wheel of the student tree, installed without dependencies
    wheels = dest.parent / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                    "-w", str(wheels), str(student_tree)], check=True, capture_output=True)
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--disable-pip-version-check",
                    "--no-cache-dir", str(wheel)], check=True, capture_output=True)
    shutil.rmtree(wheels, ignore_errors=True)
    subprocess.run(["chmod", "-R", "a+rX,go-w", str(dest)], check=True)  # readable by all, writable by root
    return py


def _fit_to_interpreter(py: Path, site: Path) -> None:
    """Reinstall the few packages whose Requires-Python excludes this interpreter's patch release.

    (Seen: soupsieve 4.1 needs Python >= 3.11.5; Debian's /usr/bin/python3 is 3.11.2, and nbconvert's
    HTML export — the feedback step — fails on it.)
    """
    from importlib.metadata import PathDistribution

    from packaging.specifiers import SpecifierSet

    version = subprocess.run([str(py), "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    misfits = []
    for info in site.glob("*.dist-info"):
        dist = PathDistribution(info)
        need = dist.metadata.get("Requires-Python")
        if need and version not in SpecifierSet(need):
            misfits.append(dist.metadata["Name"])
            for f in dist.files or []:
                path = site / f
                if path.is_file() or path.is_symlink():
                    path.unlink()
            shutil.rmtree(info, ignore_errors=True)
    if misfits:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                        *misfits], check=True, capture_output=True)


@dataclass
class Hub:
    workdir: Path
    port: int
    api_token: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, users: Users, env_python: Path, extra_env: dict[str, str]) -> None:
        chp = find_chp()
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "jupyterhub_config.py"
        spawn_env = json.dumps(extra_env)
        config.write_text(f"""
c = get_config()
c.JupyterHub.bind_url = {self.url!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.JupyterHub.db_url = "sqlite:///{self.workdir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{self.workdir}/cookie_secret"
c.JupyterHub.pid_file = "{self.workdir}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(users.students) | {users.instructor}!r}
c.Authenticator.admin_users = set()
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{str(env_python)!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {spawn_env}
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120
c.JupyterHub.services = [{{"name": "e2e", "api_token": {self.api_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "e2e", "services": ["e2e"],
                             "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}}]
c.JupyterHub.cleanup_servers = True
c.JupyterHub.log_level = "INFO"
""", encoding="utf-8")
        log = open(self.workdir / "hub.log", "w")
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                        cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = self.request("GET", "/hub/api/", timeout=5)
                if status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.5)
            if self.process.poll() is not None:
                break
        raise RuntimeError("JupyterHub did not start:\n" + self.log_tail())

    def log_tail(self, n: int = 60) -> str:
        path = self.workdir / "hub.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:]) if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    # ---- HTTP ----------------------------------------------------------------------------
    def request(self, method: str, path: str, token: str | None = None, body=None, form: dict | None = None,
                timeout: float = 120) -> tuple[int, bytes]:
        data, headers = None, {"Authorization": f"token {token or self.api_token}"}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def api(self, method: str, path: str, token: str | None = None, body=None, form: dict | None = None,
            expect: tuple[int, ...] = (200, 201, 202, 204)):
        status, raw = self.request(method, path, token, body, form)
        if status not in expect:
            raise AssertionError(f"{method} {path} → {status}: {raw[:400]!r}")
        return json.loads(raw) if raw.strip() else None

    def user_token(self, user: str) -> str:
        return self.api("POST", f"/hub/api/users/{user}/tokens", body={"note": "e2e", "expires_in": 3600})["token"]

    def start_server(self, user: str, timeout: float = 120) -> None:
        self.api("POST", f"/hub/api/users/{user}/server", expect=(201, 202, 400))
        deadline = time.time() + timeout
        while time.time() < deadline:
            info = self.api("GET", f"/hub/api/users/{user}")
            server = (info.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the server of {user} did not start:\n" + self.log_tail())


