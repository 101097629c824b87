"""Survey submission benchmark: how many lecture evaluations per second the API acknowledges
under load, and whether every acknowledged one is stored exactly once.

    DEBUG=1 .venv/bin/python bench/survey_submit.py [--seconds 60] [--clients 32]
        [--workers 3 --threads 2] [--postgres | --database-url postgres://user@host:5432/db]

Builds a throwaway database (SQLite in a temporary directory by default; with --postgres a
throwaway PostgreSQL cluster on 127.0.0.1:54331 made by scripts/pg-test-cluster.sh; with
--database-url a throwaway database created beside the named one and dropped afterwards),
migrates it, makes a programme, the ready lecture evaluation and an open anonymous collection,
then starts gunicorn (gthread) on a free port of 127.0.0.1 and runs N concurrent keep-alive
clients (asyncio + aiohttp) in this process:

1. `bare`: POSTs the same bodies to /bench/bare, a Django view on the same server that returns
   a tiny JSON without touching the database (bench/support/urls.py) — the yardstick;
2. `submit`: POSTs valid evaluations with fresh UUIDs to /api/v1/surveys/<token>/responses for
   --seconds; after ~5 % of the acknowledged ones the client sends the same body again (same
   UUID, same answers), which must answer 200 "duplicate".

Then it counts the stored rows: none lost (every 201 is a row), none duplicated (rows ==
distinct UUIDs == 201s). It prints JSON: the machine, the gunicorn settings, per phase the
throughput (sustained: over the whole run, and the slowest and median second, with the
per-second timeline), p50/p95/p99 latency, errors, the CPU the server and this client used
(they share the cores) and what the rest of the machine used, second by second — the machine
may be shared, and a second in which a neighbour took a core is reported apart from the quiet
ones — the stored row checks, and the ratio submit/bare. It prints figures; it asserts nothing. Everything it
starts (gunicorn, the PostgreSQL cluster) is stopped and its temporary files removed.

`--profile N` also profiles N submissions in-process (Django test client, cProfile) and prints
where the time of one request goes.
"""

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = "bench.support.settings"
PG_PORT = 54331
RESEND_SHARE = 0.05
# Tried on the 2-core machine with nothing else running (workers × threads: acknowledged/s,
# p95). SQLite, 15 s each: 2×8 680/108 ms, 2×4 750–790/70 ms, 4×2 760/85 ms, 4×1 800/79 ms,
# 3×3 850/74 ms, 2×3 880/51 ms, 3×1 910/77 ms, 3×2 800–890/60–70 ms. PostgreSQL (its server on
# the same cores), 12 s each: 2×4 460/92 ms, 4×1 475/130 ms, 3×2 495/186 ms, 3×4 520/156 ms,
# 4×2 560/98 ms. Few threads per process win: the threads of one process queue for the GIL.
# Kept: 3 × 2 on SQLite, 4 × 2 on PostgreSQL.
DEFAULT_WORKERS = {"sqlite": 3, "postgresql": 4}
DEFAULT_THREADS, DEFAULT_CLIENTS = 2, 32


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the submission run (default 60)")
    parser.add_argument("--bare-seconds", type=float, default=15, help="length of the bare-view run (default 15)")
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="concurrent keep-alive clients")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default 3 on SQLite, 4 on PostgreSQL)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="gunicorn threads per worker")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help=f"a throwaway PostgreSQL cluster on port {PG_PORT}")
    where.add_argument("--database-url", help="a PostgreSQL server to make a throwaway database on")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also profile N in-process submissions")
    return parser.parse_args()


# The database ----------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


class ThrowawayDatabase:
    """The database the benchmark writes to, made on entry and removed on exit."""

    def __init__(self, args, var_dir: str):
        self.args, self.var_dir = args, var_dir
        self.cluster_dir: str | None = None
        self.server_url: str | None = None
        self.name: str | None = None
        self.url = f"sqlite:///{var_dir}/bench.sqlite3"

    def __enter__(self) -> "ThrowawayDatabase":
        if self.args.postgres:
            self.cluster_dir = tempfile.mkdtemp(prefix="ketnoi-bench-pg-")
            subprocess.run(  # noqa: S603 - the project's own script
                [str(ROOT / "scripts/pg-test-cluster.sh"), "start", self.cluster_dir, str(PG_PORT)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            self.server_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
        elif self.args.database_url:
            self.server_url = self.args.database_url
        if self.server_url:
            self.name = f"ketnoi_bench_submit_{os.getpid()}"
            _postgres_admin(self.server_url, f'CREATE DATABASE "{self.name}"')
            self.url = _with_database(self.server_url, self.name)
        return self

    def postmaster_pid(self) -> int | None:
        """The throwaway cluster's postmaster (its backends are its children), or None."""
        if not self.cluster_dir:
            return None
        try:
            return int(Path(self.cluster_dir, "data", "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def __exit__(self, *exc) -> None:
        if self.name and self.server_url:
            try:
                _postgres_admin(self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as error:  # the cluster may be gone already
                print(f"could not drop {self.name}: {error}", file=sys.stderr)
        if self.cluster_dir:
            stop_cluster = [str(ROOT / "scripts/pg-test-cluster.sh"), "stop", self.cluster_dir]
            subprocess.run(stop_cluster, check=False)  # noqa: S603 - the project's own script
            shutil.rmtree(self.cluster_dir, ignore_errors=True)


def set_up_django(var_dir: str, database_url: str) -> None:
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.makedirs(os.path.join(var_dir, "static"), exist_ok=True)  # STATIC_ROOT, which WhiteNoise expects
    import django

    django.setup()


def build() -> dict:
    """Migrate, then a programme, the lecture evaluation and an open anonymous collection."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import Programme, ProgrammeRole
    from ketnoi.surveys import services
    from ketnoi.surveys.ready_forms import ready_form

    call_command("migrate", verbosity=0, interactive=False)
    coordinator = get_user_model().objects.create_user("bench-dieuphoi", first_name="Điều phối viên")
    programme = Programme.objects.create(name="Chương trình đo hiệu năng", code="bench-khao-sat")
    ProgrammeRole.objects.create(programme=programme, user=coordinator, role=Role.COORDINATOR)
    form = services.form_create(actor=coordinator, programme=programme, definition=ready_form("lecture"))
    collection = services.collection_open(
        actor=coordinator, form=form, title="Bài giảng đo hiệu năng – lớp HN01", context={"class": "HN01"}
    )
    connection.close()  # the server's processes are the ones writing now
    return {"token": collection.token, "collection": collection.pk, "definition": form.current_version.definition}


def stored(collection_id: int) -> tuple[int, set[str]]:
    from django.db import connection

    from ketnoi.surveys.models import Response

    uuids = [str(u) for u in Response.objects.filter(collection_id=collection_id).values_list("uuid", flat=True)]
    connection.close()
    return len(uuids), set(uuids)


# Answers -----------------------------------------------------------------------------------------

IMPROVE = [
    "Nên có thêm ví dụ thực tế từ các tỉnh.",
    "Thời gian thảo luận nhóm hơi ngắn.",
    "Tài liệu nên gửi trước buổi học.",
    "Giảng viên nói hơi nhanh ở phần cuối.",
    "Muốn có thêm phần hỏi đáp về Nghị định 126.",
    "",
]
OTHER_TOPICS = ["Luật về hội", "Quản lý tài chính dự án", "Truyền thông chính sách"]


def answer_pool(definition: dict, size: int, rng: random.Random) -> list[bytes]:
    """`size` valid lecture evaluations, JSON-encoded once (the client's CPU counts too)."""
    from ketnoi.surveys.definition import check_answers

    topics = ["cso_role", "advocacy", "enabling_env", "cooperation", "other"]
    pool = []
    for _ in range(size):
        answers: dict = {}
        for item in ("content_relevant", "content_new", "lecturer_clear", "methods_engaging", "time_enough"):
            answers[item] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 6, 12, 9])[0]
        answers["overall"] = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 5, 12, 10])[0]
        chosen = [t for t in topics if rng.random() < 0.35]
        if chosen:
            answers["topics_useful"] = " ".join(chosen)
        if "other" in chosen:
            answers["topics_useful_other"] = rng.choice(OTHER_TOPICS)
        answers["would_recommend"] = rng.choices(["yes", "no"], weights=[4, 1])[0]
        if text := rng.choice(IMPROVE):
            answers["improve"] = text
        check_answers(definition, answers)  # a benchmark of refusals would measure nothing
        pool.append(json.dumps(answers, ensure_ascii=False).encode())
    return pool


def body(key: str, answers: bytes) -> bytes:
    return b'{"uuid": "' + key.encode() + b'", "answers": ' + answers + b"}"


# The server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(var_dir: str, database_url: str, port: int, workers: int, threads: int):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "KETNOI_VAR_DIR": var_dir,
        "PYTHONPATH": str(ROOT),
        "DEBUG": "1",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "ketnoi.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        "--keep-alive=30",
        "--backlog=2048",
        f"--error-logfile={var_dir}/gunicorn.log",
        f"--pid={var_dir}/gunicorn.pid",
    ]
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {Path(var_dir, 'gunicorn.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /bench/bare HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if sock.recv(64):
                    break
        except OSError:
            time.sleep(0.2)
    else:
        stop(server)
        raise RuntimeError("gunicorn did not answer within 60 s")
    return server


def stop(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(master: int) -> float:
    """User + system CPU of a process (the gunicorn master, the postmaster) and its children:
    the live ones, and the ones that ended (a database backend whose connection was closed)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [master, *_children(master)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        if pid == master:  # children it has waited for: utime and stime of the ones gone
            total += (int(fields[13]) + int(fields[14])) / ticks
    return total


def machine_cpu() -> float:
    """CPU seconds the whole machine spent busy (all processes, ours and anyone else's)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# The clients --------------------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.latencies: list[float] = []
        self.repeat_latencies: list[float] = []
        self.acknowledged: list[str] = []
        self.ack_times: list[float] = []
        self.repeats = 0
        self.errors: dict[str, int] = {}
        self.neighbours: list[float] = []

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def ours(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


async def sample_neighbours(pids: list[int], deadline: float, out: list[float]) -> None:
    """Each second, the CPU the rest of the machine used (neither the server, nor the
    benchmark's own database cluster, nor this client): a dip in the timeline that lines up
    with a busy neighbour is the neighbour's doing."""
    before = (machine_cpu(), ours(pids), own_cpu(), time.perf_counter())
    while time.perf_counter() < deadline - 0.5:
        await asyncio.sleep(1)
        now = (machine_cpu(), ours(pids), own_cpu(), time.perf_counter())
        rest = (now[0] - before[0]) - (now[1] - before[1]) - (now[2] - before[2])
        out.append(round(max(0.0, rest) / (now[3] - before[3]), 2))
        before = now


async def run_clients(
    url: str, clients: int, seconds: float, pool: list[bytes], *, resend: float, expect: int, pids: list[int]
):
    import aiohttp

    tally = Tally()
    headers = {"Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)

    async def post(session, data: bytes) -> tuple[int | str, float]:
        started = time.perf_counter()
        try:
            async with session.post(url, data=data, headers=headers) as response:
                await response.read()
                status: int | str = response.status
        except (TimeoutError, aiohttp.ClientError) as error:
            status = type(error).__name__
        return status, time.perf_counter() - started

    async def client(n: int, session, start: float, deadline: float) -> None:
        rng = random.Random(n)
        while time.perf_counter() < deadline:
            key = str(uuid.uuid4())
            data = body(key, rng.choice(pool))
            status, elapsed = await post(session, data)
            if status == expect:
                tally.latencies.append(elapsed)
                tally.acknowledged.append(key)
                tally.ack_times.append(time.perf_counter() - start)
            else:
                tally.error(f"new:{status}")
                continue
            if resend and rng.random() < resend:
                status, elapsed = await post(session, data)  # a phone that never heard the answer
                if status == 200:
                    tally.repeats += 1
                    tally.repeat_latencies.append(elapsed)
                else:
                    tally.error(f"repeat:{status}")

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(
            sample_neighbours(pids, deadline, tally.neighbours),
            *(client(n, session, start, deadline) for n in range(clients)),
        )
        wall = time.perf_counter() - start
    return tally, wall


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


BUSY_NEIGHBOUR = 0.3  # cores used by other processes that make a second "not ours"


def _quiet_seconds(per_second: list[int], neighbours: list[float]) -> dict:
    """The throughput of the seconds when nothing else on the machine took a share of the CPU
    (the machine is shared: another session's test run can take a whole core for a while)."""
    quiet = [n for n, rest in zip(per_second, neighbours, strict=False) if rest < BUSY_NEIGHBOUR]
    return {
        "seconds_with_busy_neighbour": sum(1 for rest in neighbours if rest >= BUSY_NEIGHBOUR),
        "per_second_when_machine_quiet": round(statistics.mean(quiet), 1) if quiet else None,
        "slowest_quiet_second": min(quiet) if quiet else None,
    }


def phase(
    url: str, args, pool, server, db_pid: int | None, *, seconds: float, resend: float, expect: int
) -> tuple[dict, Tally]:
    cpu_server, cpu_client, cpu_all = cpu_seconds(server.pid), own_cpu(), machine_cpu()
    cpu_db = cpu_seconds(db_pid) if db_pid else 0.0
    tally, wall = asyncio.run(
        run_clients(
            url,
            args.clients,
            seconds,
            pool,
            resend=resend,
            expect=expect,
            pids=[server.pid, *([db_pid] if db_pid else [])],
        )
    )
    cpu_server, cpu_client = cpu_seconds(server.pid) - cpu_server, own_cpu() - cpu_client
    cpu_all = machine_cpu() - cpu_all
    cpu_db = (cpu_seconds(db_pid) - cpu_db) if db_pid else 0.0
    per_second = [0] * int(wall)
    for t in tally.ack_times:
        if int(t) < len(per_second):
            per_second[int(t)] += 1
    ms = lambda v: round(v * 1000, 1) if v is not None else None  # noqa: E731
    figures = {
        "seconds": round(wall, 1),
        "acknowledged": len(tally.acknowledged),
        "per_second": round(len(tally.acknowledged) / wall, 1),
        "slowest_second": min(per_second) if per_second else None,
        "median_second": statistics.median(per_second) if per_second else None,
        "timeline": per_second,
        "timeline_rest_of_machine_cores": tally.neighbours,
        **_quiet_seconds(per_second, tally.neighbours),
        "latency_ms": {
            "p50": ms(percentile(tally.latencies, 50)),
            "p95": ms(percentile(tally.latencies, 95)),
            "p99": ms(percentile(tally.latencies, 99)),
            "max": ms(max(tally.latencies, default=None)),
        },
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "cpu_cores_used": {
            "server": round(cpu_server / wall, 2),
            "client": round(cpu_client / wall, 2),
            # The database server's processes (PostgreSQL) and anything else running on the
            # machine: a busy neighbour shows here and explains a slow run.
            **({"database_cluster": round(cpu_db / wall, 2)} if db_pid else {}),
            "rest_of_machine": round(max(0.0, cpu_all - cpu_server - cpu_client - cpu_db) / wall, 2),
        },
    }
    if resend:
        figures["repeats"] = {
            "answered_200": tally.repeats,
            "latency_ms": {
                "p50": ms(percentile(tally.repeat_latencies, 50)),
                "p95": ms(percentile(tally.repeat_latencies, 95)),
            },
        }
    return figures, tally


# Profile -----------------------------------------------------------------------------------------


def profile(token: str, definition: dict, n: int) -> dict:
    """Where the time of one submission goes: N submissions through the Django test client
    in this process (no network), under cProfile."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    client = Client()
    pool = answer_pool(definition, 50, random.Random(7))
    url = f"/api/v1/surveys/{token}/responses"
    bodies = [body(str(uuid.uuid4()), pool[i % len(pool)]) for i in range(n)]
    for data in bodies[:20]:  # warm up
        client.post(url, data, content_type="application/json")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for data in bodies[20:]:
        client.post(url, data, content_type="application/json")
    profiler.disable()
    per_request = (time.perf_counter() - started) / max(1, n - 20)
    connection.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    print(out.getvalue(), file=sys.stderr)
    top = []
    for (filename, line, function), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        top.append((cumtime, tottime, f"{Path(filename).name}:{line}:{function}"))
    return {
        "requests": n - 20,
        "ms_per_request_profiled": round(per_request * 1000, 3),
        "top_cumulative_ms_per_request": [
            [where, round(cum / max(1, n - 20) * 1000, 3)] for cum, _tot, where in sorted(top, reverse=True)[:25]
        ],
    }


# Main --------------------------------------------------------------------------------------------


def machine(database_url: str, throwaway_cluster: bool) -> dict:
    info = {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
    }
    from django.conf import settings

    database = settings.DATABASES["default"]
    info["connection_max_age_s"] = database.get("CONN_MAX_AGE")
    if info["database"] == "sqlite":
        info["sqlite_settings"] = {
            "init_command": database["OPTIONS"].get("init_command"),
            "transaction_mode": database["OPTIONS"].get("transaction_mode"),
        }
    else:
        from django.db import connection

        info["postgresql"] = connection.pg_version
        connection.close()
        if throwaway_cluster:
            info["postgresql_settings"] = "scripts/pg-test-cluster.sh: fsync=off, synchronous_commit=off"
    return info


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-submit-")
    server = None
    try:
        with ThrowawayDatabase(args, var_dir) as database:
            set_up_django(var_dir, database.url)
            built = build()
            pool = answer_pool(built["definition"], 500, random.Random(1))
            port = free_port()
            if args.workers is None:
                args.workers = DEFAULT_WORKERS["postgresql" if database.server_url else "sqlite"]
            server = start_gunicorn(var_dir, database.url, port, args.workers, args.threads)
            base = f"http://127.0.0.1:{port}"
            db_pid = database.postmaster_pid()
            bare, _ = phase(
                f"{base}/bench/bare", args, pool, server, db_pid, seconds=args.bare_seconds, resend=0, expect=200
            )
            submit, tally = phase(
                f"{base}/api/v1/surveys/{built['token']}/responses",
                args,
                pool,
                server,
                db_pid,
                seconds=args.seconds,
                resend=RESEND_SHARE,
                expect=201,
            )
            stop(server)
            rows, uuids = stored(built["collection"])
            acknowledged = set(tally.acknowledged)
            submit["stored"] = {
                "rows": rows,
                "distinct_uuids": len(uuids),
                "acknowledged_201": len(tally.acknowledged),
                "lost": len(acknowledged - uuids),
                "duplicated": rows - len(uuids) + (len(tally.acknowledged) - len(acknowledged)),
                "stored_without_acknowledgement": len(uuids - acknowledged),
                "none_lost_none_duplicated": not (acknowledged - uuids)
                and rows == len(uuids) == len(tally.acknowledged),
            }
            report = {
                "benchmark": "survey_submit",
                "machine": machine(database.url, args.postgres),
                "gunicorn": {
                    "worker_class": "gthread",
                    "workers": args.workers,
                    "threads": args.threads,
                    "keep_alive_s": 30,
                },
                "clients": args.clients,
                "bare_view": bare,
                "survey_submit": submit,
                "ratio_submit_over_bare": {
                    "throughput": round(submit["per_second"] / bare["per_second"], 3) if bare["per_second"] else None,
                    "p95_latency": round(submit["latency_ms"]["p95"] / bare["latency_ms"]["p95"], 2)
                    if bare["latency_ms"]["p95"] and submit["latency_ms"]["p95"]
                    else None,
                },
                "target": "≥ 500 acknowledged/s sustained for 60 s, none lost or duplicated, p95 < 200 ms",
            }
            if args.profile:
                report["profile"] = profile(built["token"], built["definition"], args.profile)
            report["total_s"] = round(time.perf_counter() - started, 1)
            print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
