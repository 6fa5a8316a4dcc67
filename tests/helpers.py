"""Shared helpers for the tests: fixture catalogs and an in-process CLI runner."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
from pathlib import Path

import sizing

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = FIXTURES.parent.parent

def cli(*args) -> list:
    """The argv of a real `sizing` process. `python3 sizing.py` compiles the 16k-line script
    anew in every process (most of a run: README "How the code is organised"); run as a
    module, the same file and the same `main()` load from the bytecode Python caches beside
    it (with cli_env). Without the site module (-S): the tool needs nothing from
    site-packages, and a site hook (a .pth file importing certifi took 24 ms here) is not
    paid in every process."""
    return [sys.executable, "-S", "-m", "sizing", *args]


def cli_env(base: dict | None = None) -> dict:
    """The environment for cli(): the repository importable, and bytecode cached (in the
    ignored __pycache__, as any import does) even where PYTHONDONTWRITEBYTECODE is set."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


def hf_config(stem: str) -> dict:
    """A config.json of tests/fixtures/hf_configs (sources in SOURCES.md), parsed."""
    return json.loads((FIXTURES / "hf_configs" / f"{stem}.json").read_text(encoding="utf-8"))


def fixture_catalogs() -> sizing.Catalogs:
    return sizing.load_catalogs(FIXTURES / "models.json", FIXTURES / "servers.json",
                                FIXTURES / "storage.json")


def shipped_catalogs() -> sizing.Catalogs:
    """The repository's own catalogs, as the tool ships them."""
    return sizing.load_catalogs(REPO / "models.json", REPO / "servers.json",
                                REPO / "storage.json")


def fixture(kind: str, name: str):
    catalogs = fixture_catalogs()
    entries = {"model": catalogs.models, "server": catalogs.servers,
               "storage": catalogs.storage}[kind]
    return next(e for e in entries if e.name == name)


def workload(**overrides) -> sizing.Workload:
    """The worked example's workload, with overrides."""
    values = dict(concurrency=1000, effective_context_tokens=131072, kv_precision="fp8",
                  kv_budget_ratio=0.70, runtime_overhead_gib=120.0, peak_headroom_ratio=0.20,
                  ha_mode="n+1")
    values.update(overrides)
    return sizing.Workload(**values)


def fixture_args(*args: str) -> list[str]:
    return ["--models-file", str(FIXTURES / "models.json"),
            "--servers-file", str(FIXTURES / "servers.json"),
            "--storage-file", str(FIXTURES / "storage.json"), *args]


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = sizing.main(argv)
    return status, out.getvalue(), err.getvalue()


def run_json(case, argv: list[str], status: int = 0) -> dict:
    """Run the CLI, check its exit status (its stderr in the message) and return the JSON
    document it printed (with --format json)."""
    code, out, err = run_main(argv)
    case.assertEqual(code, status, err)
    return json.loads(out)


def assert_refused(case, argv: list[str], fragment: str = "", status: int = 2) -> str:
    """Run the CLI and check it refused: `status`, nothing on stdout, one line on stderr
    holding `fragment`. Returns that line."""
    code, out, err = run_main(argv)
    case.assertEqual((code, out), (status, ""), err)
    case.assertIn(fragment, err)
    case.assertEqual(len(err.splitlines()), 1, err)
    return err


@functools.lru_cache(maxsize=4)
def guide(name: str) -> str:
    """A guide of the repository (README.md, QUICKSTART.md) with every run of whitespace made
    one space, so that a sentence wrapped over lines reads as one."""
    return " ".join((REPO / name).read_text(encoding="utf-8").split())


def assert_says(case, name: str, claim: str) -> None:
    """Check that the guide `name` states `claim` (spaced as guide() spaces it)."""
    case.assertTrue(claim in guide(name), f"{name} does not say: {claim}")


def last_json(stdout: str) -> dict:
    """Parse the JSON document that ends stdout (the last block in --format both)."""
    start = stdout.index("\n{\n") + 1 if not stdout.startswith("{") else 0
    return json.loads(stdout[start:])
