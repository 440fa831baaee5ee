"""Two app servers behind a load balancer, one of them killed under load: what readers see.

Usage (as root, like the other benches: HAProxy is installed with apt when missing):

    .venv/bin/python bench/scale_bench.py [--duration 60] [--connections 64] \\
        [--workers 2] [--stories 10000] [--kill-after 30]

What it does:

1. builds a PostgreSQL 15 primary and its streaming replica of its own on
   free loopback ports (newsportal/tests/replica_cluster.py), migrates the
   primary and loads ``--stories`` generated, published stories
   (bench/pages_bench.py's ``load_stories``), and waits for the replica;
2. flushes Redis's database 13 (the page cache and everything shared);
3. starts two gunicorn app servers (``--workers`` sync workers each, the
   production settings over plain HTTP, ``DATABASE_REPLICA_URLS`` naming the
   replica, ``PAGE_CACHE_SECONDS=300``) and HAProxy with deploy/haproxy.cfg,
   the very file deploy/compose.yaml runs, its addresses on loopback;
4. runs wrk (``-c`` clients, ``-d`` seconds) through HAProxy over the reader
   mix of bench/load_bench.py (front, stories, sources, archive, search,
   feeds), and after ``--kill-after`` seconds kills the first app server and
   its workers with SIGKILL, as a machine that dies;
5. prints requests per second, the 50th and 99th percentile latency, and the
   errors: answers not 2xx/3xx and socket errors.

Target (issue 17): no failed request when one app server dies: HAProxy sends
a request that found it gone, or whose answer it cut, to the other one. wrk,
HAProxy, both app servers and both PostgreSQL servers share this machine's
cores: the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from load_bench import (
    MIX,
    check_paths,
    ensure_wrk,
    flush_cache,
    load_average,
    mix_paths,
    mix_script,
    run_wrk,
)
from pages_bench import ROOT, configure_environment, load_stories, run, wait_until_up

# The cluster's database name, as newsportal/tests/replica_cluster.py makes it;
# that module can be imported only once Django is set up.
DATABASE = "newsportal_replicated"
CACHE_URL = "redis://127.0.0.1:6379/13"
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--kill-after", type=float, default=None, help="default: half the run")
    return parser.parse_args()


def ensure_haproxy() -> str:
    """Debian's HAProxy, installed when missing (the bench runs as root on its machine)."""
    if not shutil.which("haproxy"):
        print("haproxy is missing: installing Debian's package")
        if subprocess.run(["apt-get", "install", "-y", "haproxy"], check=False).returncode:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(["apt-get", "install", "-y", "haproxy"], check=True)
    return shutil.which("haproxy")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A process group of its own: gunicorn's workers die with their master.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    process.wait(timeout=30)


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "newsportal.wsgi", "--bind", f"127.0.0.1:{port}"]
    return start([*command, "--workers", str(workers), "--log-level", "warning"], env)


def replica_transactions(cluster) -> int:
    """Transactions the replica has run in the site's database: proof that it served reads."""
    sql = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s"
    with cluster.connect("postgres", replica=True) as connection:
        return int(connection.execute(sql, [DATABASE]).fetchone()[0])


def main() -> None:
    options = arguments()
    kill_after = options.kill_after if options.kill_after is not None else options.duration / 2
    ensure_wrk()
    haproxy = ensure_haproxy()

    ports = [free_port() for _ in range(6)]
    primary_port, replica_port, app_ports = ports[0], ports[1], ports[2:4]
    balancer_port, purge_port = ports[4], ports[5]
    primary = f"postgres://postgres@127.0.0.1:{primary_port}/{DATABASE}"
    replica = f"postgres://postgres@127.0.0.1:{replica_port}/{DATABASE}"
    os.environ.update(
        DATABASE_URL=primary,
        DATABASE_REPLICA_URLS=replica,
        CACHE_URL=CACHE_URL,
        PAGE_CACHE_SECONDS="300",
        ENV_FILE="",
    )
    env = configure_environment()
    import django

    django.setup()
    # Imported only once Django is set up (it imports models).
    from newsportal.tests.replica_cluster import StreamingCluster

    cluster = StreamingCluster()
    cluster.primary_port, cluster.replica_port = primary_port, replica_port
    processes: list[subprocess.Popen] = []
    try:
        cluster.start()
        python = sys.executable
        run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
        run([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        load_stories(options.stories, reload=True)
        paths = mix_paths()
        from django.db import connections

        connections.close_all()
        print(f"replica caught up in {cluster.wait_for_replay(timeout=60):.1f} s")
        flush_cache(CACHE_URL)

        for port in app_ports:
            processes.append(start_gunicorn(port, options.workers, env))
        for port, process in zip(app_ports, processes, strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        balancer_env = {
            **env,
            "APP_LISTEN": f"127.0.0.1:{balancer_port}",
            "APP_SERVER_1": f"127.0.0.1:{app_ports[0]}",
            "APP_SERVER_2": f"127.0.0.1:{app_ports[1]}",
            "PURGE_LISTEN": f"127.0.0.1:{purge_port}",
            "VARNISH": "127.0.0.1:6081",
        }
        processes.append(start([haproxy, "-db", "-f", str(HAPROXY_CONFIG)], balancer_env))
        base = f"http://127.0.0.1:{balancer_port}"
        wait_until_up(base + "/healthz", processes[-1])
        check_paths(base, paths)

        print(
            "mix: "
            + ", ".join(f"{name} {weight}% ({len(paths[name])} addresses)" for name, weight in MIX)
        )
        print(
            f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s through "
            f"HAProxy to 2 gunicorn servers x {options.workers} sync workers; primary + "
            f"streaming replica; Redis; {os.cpu_count()} cores; app server 1 killed "
            f"(SIGKILL, master and workers) after {kill_after:.0f} s"
        )
        print(f"load average before: {load_average()}")
        killed_at: list[float] = []
        started = time.monotonic()

        def kill_first_server() -> None:
            kill_group(processes[0])
            killed_at.append(time.monotonic() - started)
            print(f"killed app server 1 at {killed_at[0]:.1f} s", flush=True)

        replica_before = replica_transactions(cluster)
        killer = threading.Timer(kill_after, kill_first_server)
        killer.start()
        try:
            result = run_wrk(
                base + "/", options.duration, options.connections, options.threads,
                mix_script(paths),
            )  # fmt: skip
        finally:
            killer.cancel()
        print(f"load average after: {load_average()}")
        replica_reads = replica_transactions(cluster) - replica_before
    finally:
        for process in reversed(processes):
            kill_group(process, signal.SIGTERM)
        cluster.stop()
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

    errors = ", ".join(f"{kind} {count}" for kind, count in result.socket_errors.items())
    print()
    print(f"requests        {result.requests} in {result.seconds:.1f} s")
    print(f"replica         {replica_reads} transactions (page cache misses read there)")
    print(f"requests/s      {result.requests_per_second:.1f}")
    print(f"latency p50     {result.p50_ms:.1f} ms")
    print(f"latency p99     {result.p99_ms:.1f} ms")
    print(f"latency max     {result.max_ms:.1f} ms")
    print(f"not 2xx/3xx     {result.not_2xx_3xx}")
    print(f"socket errors   {result.socket_error_count} ({errors})")
    failed = result.not_2xx_3xx + result.socket_error_count
    verdict = "met" if failed == 0 and killed_at else "MISSED"
    print(f"\ntarget: no failed request while one app server dies: {failed} failed, {verdict}")
    if verdict != "met":
        sys.exit("Failed: " + ("no app server was killed" if not killed_at else f"{failed} failed"))


if __name__ == "__main__":
    main()
