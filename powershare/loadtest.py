"""`make loadtest`: Powershare under load, and after a crash. Loopback only, bounded in time.

1. Builds a demo database (SQLite in a temporary directory, or PostgreSQL database
   ``loadtest`` with ``--postgres URL``), with the demo county's statistics store.
2. Serves it with gunicorn on 127.0.0.1 and runs USERS threads for SECONDS: each browses pages,
   queries statistics through the API and files asks, keeping one connection alive, and
   thinks 1 to 5 seconds between clicks as a person does (Locust's usual ``between(1, 5)``).
   Prints requests per second, p50/p95/p99 latency and errors (target: no error, p95 under
   300 ms). Then a stress run: the same users with 0.05 to 0.25 s between clicks for half the
   time, which saturates the server and shows its capacity (no target: latency there is
   mostly waiting in line).
3. Fault test: kills the server (SIGKILL) while asks are being filed, restarts it, and checks
   that every ask was saved whole (its timeline entry and audit record with it); kills an
   import of events mid-way and checks the store is as it was and the import can be retried.

    python -m powershare.loadtest [--users 50] [--seconds 60] [--postgres URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGES = ["/", "/partners/campaigns/", "/partners/organizations/", "/support/asks/"]
STATS = [
    "/api/v1/statistics/query?measure=asthma_ed&years=2020-2024&level=neighborhood&by=race",
    "/api/v1/statistics/query?measure=asthma_ed&years=2015-2019&level=council_district",
    "/api/v1/statistics/query?measure=heat_illness&years=2020-2024&level=zip&by=sex",
]

SETUP = """
import json
from accounts.actions import create_api_token
from accounts.models import Membership, User
tokens = []
for m in Membership.objects.select_related("user", "organization").order_by("pk")[:20]:
    secret = create_api_token(actor=m.user, name="loadtest", scope="read_write")[1]
    tokens.append({"token": secret, "organization": m.organization_id})
print("TOKENS=" + json.dumps(tokens))
"""

CHECK = """
from support.models import Ask, AskEvent
from powershare.audit.models import AuditEvent
asks = Ask.objects.filter(title__startswith="Load test")
ids = set(asks.values_list("pk", flat=True))
with_event = set(AskEvent.objects.filter(ask__in=ids, to_status="new").values_list("ask_id", flat=True))
audited = set(int(t) for t in AuditEvent.objects.filter(event="ask.submitted").values_list("record_id", flat=True) if str(t).isdigit())
print("ASKS", len(ids), "WHOLE", len(ids & with_event & audited))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(env: dict[str, str]) -> list[dict[str, Any]]:
    print("migrating and seeding the demo county…", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--seed", "42")
    manifest = Path(env["DATA_ROOT"]) / "manifest.json"
    if not manifest.exists():
        from powershare.stats.synth import generate_county

        generate_county(Path(env["DATA_ROOT"]), seed=42, scale=100_000)
    out = manage(env, "shell", "-c", SETUP)
    line = next(line for line in out.splitlines() if line.startswith("TOKENS="))
    return json.loads(line.removeprefix("TOKENS="))


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "powershare.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(env.get("LOADTEST_WORKERS", "4")),
            "--threads",
            "4",
            "--timeout",
            "60",
            # Idle connections stay open longer than a user thinks (gunicorn's default is 2 s,
            # which closes them under people who read a page for 1 to 5 s).
            "--keep-alive",
            "10",
            "--preload",  # import once, before forking: no worker pays it on a user's request
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start; see {log}")


class User(threading.Thread):
    def __init__(
        self,
        port: int,
        token: dict[str, Any],
        until: float,
        seed: int,
        think: tuple[float, float] = (1.0, 5.0),
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.until, self.think = port, token, until, think
        self.rng = random.Random(seed)
        self.samples: list[tuple[str, float, int]] = []

    def call(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: Any = None
    ) -> int:
        headers = (
            {"Authorization": f"Bearer {self.token['token']}"} if path.startswith("/api") else {}
        )
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        kind = "ask" if method == "POST" else "stats" if "statistics" in path else "page"
        self.samples.append((kind, time.perf_counter() - start, status))
        return status

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        # Users arrive over one think time, not all in the same millisecond.
        time.sleep(self.rng.uniform(0, self.think[1]))
        while time.time() < self.until:
            roll = self.rng.random()
            if roll < 0.6:
                self.call(conn, "GET", self.rng.choice(PAGES))
            elif roll < 0.9:
                self.call(conn, "GET", self.rng.choice(STATS))
            else:
                n += 1
                self.call(
                    conn,
                    "POST",
                    "/api/v1/asks",
                    {
                        "organization": self.token["organization"],
                        "kind": "data",
                        "title": f"Load test {self.name} {n}",
                        "description": "Filed by make loadtest",
                    },
                )
            time.sleep(self.rng.uniform(*self.think))  # between clicks


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0
    )


def report(label: str, samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    lat = [s[1] * 1000 for s in samples]
    errors = [s for s in samples if s[2] == 0 or s[2] >= 400]
    summary = {
        "label": label,
        "requests": len(samples),
        "throughput_rps": round(len(samples) / seconds, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "errors": len(errors),
    }
    print(
        f"{label}: {summary['requests']} requests, {summary['throughput_rps']} req/s, "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, "
        f"errors {summary['errors']}",
        flush=True,
    )
    for kind in ("page", "stats", "ask"):
        part = [s[1] * 1000 for s in samples if s[0] == kind]
        if part:
            print(
                f"  {kind:5}: {len(part)} requests, p50 {percentile(part, 50):.1f} ms, "
                f"p95 {percentile(part, 95):.1f} ms, p99 {percentile(part, 99):.1f} ms, "
                f"errors {sum(1 for s in samples if s[0] == kind and (s[2] == 0 or s[2] >= 400))}"
            )
    codes: dict[int, int] = {}
    for s in errors:
        codes[s[2]] = codes.get(s[2], 0) + 1
    if codes:
        print(f"  error statuses: {codes}")
    return summary


BROWSING = (1.0, 5.0)  # seconds between clicks: people reading pages
STRESS = (0.05, 0.25)  # scripts clicking as fast as the server answers


def load(
    port: int,
    tokens: list[dict[str, Any]],
    users: int,
    seconds: int,
    think: tuple[float, float] = BROWSING,
) -> list:
    until = time.time() + seconds
    threads = [User(port, tokens[i % len(tokens)], until, i, think) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return [s for t in threads for s in t.samples]


def crash_while_saving(env: dict[str, str], port: int, server: subprocess.Popen, tokens, log):
    """SIGKILL the server while asks are filed; after a restart every ask is whole."""
    until = time.time() + 6
    threads = [User(port, tokens[i % len(tokens)], until, 1000 + i) for i in range(20)]
    for t in threads:
        t.rng = random.Random(0)  # type: ignore[attr-defined]
        t.run = _filer(t)  # type: ignore[method-assign]
        t.start()
    time.sleep(2)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    for t in threads:
        t.join(15)
    server = start_server(env, port, log)
    out = manage(env, "shell", "-c", CHECK)
    words = out.split()
    asks, whole = int(words[words.index("ASKS") + 1]), int(words[words.index("WHOLE") + 1])
    ok = asks == whole
    print(
        f"crash while saving: {asks} asks stored, {whole} whole: {'OK' if ok else 'HALF-WRITTEN'}"
    )
    status = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    status.request("GET", "/")
    print(f"  after restart: GET / → {status.getresponse().status}")
    return server, ok


def _filer(user: User):
    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", user.port, timeout=10)
        n = 0
        while time.time() < user.until:
            n += 1
            user.call(
                conn,
                "POST",
                "/api/v1/asks",
                {
                    "organization": user.token["organization"],
                    "kind": "data",
                    "title": f"Load test crash {user.name} {n}",
                    "description": "Crash test",
                },
            )

    return run


def crash_while_importing(work: Path) -> bool:
    """SIGKILL ``load_events`` mid-way: the store is as it was, and the retry loads."""
    from powershare.stats import Store, load_events, load_geography, load_population
    from powershare.stats.synth import write_county_files

    files = write_county_files(work / "import-files", seed=6, scale=1_500_000, fmt="csv")
    store_root = work / "import-store"
    store = Store(store_root)
    load_geography(store, files.geography)
    load_population(store, files.population)
    load_events(store, files.events["births"], dataset="births")
    source = files.events["ed_visits"]
    before = (store_root / "manifest.json").read_bytes()
    code = (
        "import sys; from powershare.stats import Store, load_events; "
        f"load_events(Store({str(store_root)!r}), {str(source)!r}, dataset='ed_visits', replace=True)"
    )
    proc = subprocess.Popen([PY, "-c", code], cwd=ROOT, start_new_session=True)
    time.sleep(1.0)
    killed = proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    same = (store_root / "manifest.json").read_bytes() == before
    report = load_events(Store(store_root), source, dataset="ed_visits", replace=True)
    retried = json.loads((store_root / "manifest.json").read_text()) != json.loads(before)
    print(
        f"crash while importing: killed mid-way {killed}, store unchanged {same}, "
        f"retry loaded {getattr(report, 'rows', '?')} rows: {'OK' if same and retried else 'FAILED'}"
    )
    return same and retried


def run(database: str, users: int, seconds: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="powershare-loadtest-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "TASKS_IMMEDIATE": "true",
        "API_RATE_LIMIT": "0",
        "API_RATE_LIMIT_ANONYMOUS": "0",
        "MEDIA_ROOT": str(work / "media"),
        "DATA_ROOT": str(work / "data"),
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DATABASE_URL": database or f"sqlite:///{work / 'loadtest.sqlite3'}",
    }
    label = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    if label == "PostgreSQL":
        admin = database.rsplit("/", 1)[0] + "/postgres"
        name = database.rsplit("/", 1)[1]
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    tokens = prepare(env)
    manage(env, "collectstatic", "--noinput")
    port = free_port()
    log = work / "gunicorn.log"
    server = start_server(env, port, log)
    try:
        print(f"{label}: warming up (each worker opens its connections and the engine)…")
        load(port, tokens, users, 10, STRESS)
        print(
            f"{label}: {users} users browsing for {seconds} s on 127.0.0.1:{port}, "
            f"{BROWSING[0]:g}-{BROWSING[1]:g} s between clicks",
            flush=True,
        )
        started = time.time()
        samples = load(port, tokens, users, seconds)
        summary = report(label, samples, time.time() - started)
        summary["target_met"] = summary["errors"] == 0 and summary["p95_ms"] < 300
        print(
            f"  target (no error, p95 under 300 ms): {'met' if summary['target_met'] else 'MISSED'}"
        )
        stress_seconds = max(10, seconds // 2)
        print(
            f"{label}: stress, the same {users} users with {STRESS[0]:g}-{STRESS[1]:g} s between "
            f"clicks for {stress_seconds} s (the server's capacity)",
            flush=True,
        )
        started = time.time()
        stress = load(port, tokens, users, stress_seconds, STRESS)
        summary["stress"] = report(f"{label} stress", stress, time.time() - started)
        server, summary["crash_save_ok"] = crash_while_saving(env, port, server, tokens, log)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(20)
    summary["crash_import_ok"] = crash_while_importing(work)
    shutil.rmtree(work, ignore_errors=True)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--postgres", default="", help="e.g. postgres://postgres@127.0.0.1:5432/loadtest"
    )
    args = parser.parse_args()
    results = [run("", args.users, args.seconds)]
    if args.postgres:
        results.append(run(args.postgres, args.users, args.seconds))
    print(json.dumps(results, indent=1))
    return (
        0
        if all(
            r["errors"] == 0
            and r["stress"]["errors"] == 0
            and r["crash_save_ok"]
            and r["crash_import_ok"]
            for r in results
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
