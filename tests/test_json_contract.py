"""The JSON document is a contract (README "Outputs"): this test locks its key set, so that
adding, renaming or removing a key is a deliberate change made together with the README's key
reference and, for anything but an addition, a new schema_version.

tests/fixtures/json_keys.txt lists every key path: `[]` stands for list items and `*` for keys
that name data (parameters, rationale inputs, alert values, layer sizes, KV heads per group).
"""

import functools
import json
import unittest

import sizing
from tests.helpers import FIXTURES, fixture_args, last_json, run_main

DYNAMIC = {"parameter_dictionary", "inputs", "values", "dims", "kv_heads", "backsolved",
           "llm_api_options", "env"}


def key_paths(value, path=""):
    paths = set()
    if isinstance(value, dict):
        dynamic = path.rsplit(".", 1)[-1] in DYNAMIC and not path.endswith("results")
        if path == "inputs":        # the top-level inputs block has fixed keys
            dynamic = False
        for key, item in value.items():
            name = "*" if dynamic else key
            child = f"{path}.{name}" if path else name
            paths.add(child)
            paths |= key_paths(item, child)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, f"{path}[]")
    return paths


@functools.cache
def documents():
    """The worked example with today's fleet, a run with scenario warnings, and an engine-mode
    run with a layered model and a calibration (run once, read by every test here)."""
    runs = [
        fixture_args("--model", "spec-120b", "--server", "spec-node", "--concurrency", "1000",
                     "--effective-context", "128k", "--format", "json", "--current-nodes", "4"),
        # 100,000 sessions: scenario warnings (many_nodes) fill scenarios.*.warnings[]
        fixture_args("--model", "spec-120b", "--server", "spec-node", "--concurrency", "100000",
                     "--effective-context", "128k", "--format", "json"),
        fixture_args("--model", "tiny-layers", "--server", "unit", "--concurrency", "10",
                     "--effective-context", "100", "--runtime-overhead-gib", "0",
                     "--memory-model", "engine", "--kv-cache-memory-gib", "1",
                     "--tensor-parallel", "1", "--format", "json",
                     "--calibrate-from-log",
                     str(FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log")),
        # a server with performance figures, latency targets and a benchmark calibration
        fixture_args("--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
                     "--input-tokens", "2048", "--output-tokens", "512", "--tpot-ms", "20",
                     "--ttft-ms", "2000", "--engine", "trtllm", "--format", "json",
                     "--node-price-usd", "300000", "--currency", "BRL", "--usd-rate", "5.4",
                     "--calibrate-from-benchmark",
                     str(FIXTURES / "perf" / "bench_llama8b_h100_trtllm.csv")),
    ]
    found = []
    for argv in runs:
        status, out, err = run_main(argv)
        assert status == 0, err
        found.append(json.loads(out))
    return tuple(found)


class KeySetTest(unittest.TestCase):
    def test_key_set_is_locked(self):
        found = set()
        for document in documents():
            found |= key_paths(document)
        expected = {line.strip() for line in
                    (FIXTURES / "json_keys.txt").read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.startswith("#")}
        self.assertEqual(sorted(found - expected), [], "keys added: update json_keys.txt "
                                                        "and the README key reference")
        self.assertEqual(sorted(expected - found), [], "keys removed or renamed: that needs "
                                                        "a new schema_version")

    def test_schema_version(self):
        for document in documents():
            self.assertEqual(document["schema_version"], sizing.SCHEMA_VERSION)

    def test_every_top_level_key_is_in_the_readme(self):
        readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
        for document in documents():
            for key in document:
                self.assertIn(f"`{key}", readme)


if __name__ == "__main__":
    unittest.main()
