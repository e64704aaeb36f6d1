"""SIGKILL an ``ibis-models run`` mid-build: the previous tables and state stay intact, and the next
run cleans up and recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import ibis

from ibis_models.framework.state import StateStore
from ibis_models.framework.target import Target, new_name
from tests.framework.test_runner import _load_raw

SLOW = "tests.framework.resources.slow:slow_project"


def _cli(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "IBIS_MODELS_PROJECT": SLOW}
    return subprocess.Popen(
        [sys.executable, "cli.py", "run", "--target", url, "--as-of", "2024-06-01", "--threads", "1", *args],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _load_numbers(target: Target, count: int) -> None:
    con = target.connect()
    con.create_table("numbers", ibis.memtable({"n": list(range(count))}), database="raw", overwrite=True)
    con.disconnect()


def _snapshot(target: Target) -> tuple[dict, list]:
    con = target.connect()
    states = {k: v.fingerprint for k, v in StateStore(target, con).load().items()}
    pairs = con.table("int_slow_pairs", database="intermediate").order_by("bucket_id").execute().to_dict("records")
    con.disconnect()
    return states, pairs


def _wait_until_building(target: Target, child: subprocess.Popen, model: str, timeout: float = 60) -> None:
    """Postgres shows the running CREATE; DuckDB locks its file, so wait for the build to be under way."""
    deadline = time.monotonic() + timeout
    if target.backend == "duckdb":
        time.sleep(8)
        return
    con = target.connect()
    while time.monotonic() < deadline:
        assert child.poll() is None, child.stdout.read().decode()
        rows = target.fetch(con, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE ?", [f"%{new_name(model)}%SELECT%"])
        if rows[0][0]:
            con.disconnect()
            return
        time.sleep(0.1)
    raise AssertionError(f"{model} never started building")


def test_killed_run_leaves_previous_tables_and_state_intact(target_url):
    target = Target.from_url(target_url)
    _load_raw(target)
    _load_numbers(target, 200)
    first = _cli(target_url)
    assert first.wait(timeout=120) == 0, first.stdout.read().decode()
    before = _snapshot(target)

    _load_raw(target, extra_customer=True)  # customers changed: the slow model must rebuild
    _load_numbers(target, 60_000)  # billions of pairs: still running when killed, even on a fast machine
    child = _cli(target_url)
    _wait_until_building(target, child, "int_slow_pairs")
    assert child.poll() is None, "the run finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    states, pairs = _snapshot(target)
    assert (states["int_slow_pairs"], pairs) == (before[0]["int_slow_pairs"], before[1])  # old table and state survived
    assert states["stg_shop__customers"] != before[0]["stg_shop__customers"]  # killed mid-way: earlier models swapped in

    _load_numbers(target, 300)
    recovered = _cli(target_url)
    output = recovered.communicate(timeout=180)[0].decode()
    assert recovered.returncode == 0, output
    states, pairs = _snapshot(target)
    assert states["int_slow_pairs"] != before[0]["int_slow_pairs"]
    assert sum(p["pairs"] for p in pairs) == 300 * 300
    con = target.connect()
    assert not [t for s in ("staging", "intermediate") for t in target.list_tables(con, s) if t.endswith("__ibm_new")]
