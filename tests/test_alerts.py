"""Every alert, on both sides of its threshold.

The 'unit' fixture server holds exactly 1 GiB (2^30 bytes); tiny-full costs 256 bytes per token
(4 layers x 64 bytes at bf16), so 1,024 tokens = 262,144 bytes and a whole GiB holds 4,096
sessions at ratio 1 with no overhead.
"""

import unittest

import sizing
from tests.helpers import fixture, fixture_args, run_json, run_main, shipped_catalogs, workload


def codes(report, scenario=None):
    return [a.code for a in report.alerts if scenario is None or a.scenario == scenario]


def tiny(storage="one-gbps", **overrides):
    values = dict(effective_context_tokens=1024, kv_precision="fp8", kv_budget_ratio=1.0,
                  runtime_overhead_gib=56.0, peak_headroom_ratio=0.0, ha_mode="n+1",
                  concurrency=100)
    values.update(overrides)
    # runtime overhead 56 GiB exceeds the 1 GiB node: tests that need a budget override it
    return sizing.size_all(fixture("model", "tiny-full"), fixture("server", "unit"),
                           fixture("storage", storage), workload(**values))


def unit(**overrides):
    """tiny-full on the 1 GiB node with a budget: bf16, overhead 0, ratio 1."""
    values = dict(kv_precision="bf16", runtime_overhead_gib=0.0)
    values.update(overrides)
    return tiny(**values)


class AlertTest(unittest.TestCase):
    def test_context_beyond_model(self):
        # tiny-full serves 8m = 8,388,608 tokens; one more is sized as asked, with the alert
        self.assertIn("context_beyond_model", codes(unit(effective_context_tokens=8388609)))
        self.assertNotIn("context_beyond_model", codes(unit(effective_context_tokens=8388608)))

    def test_wide_kv_precision(self):
        for precision, expected in (("bf16", True), ("fp16", True), ("fp8", False),
                                    ("int8", False)):
            found = "kv_precision_wide" in codes(unit(kv_precision=precision))
            self.assertEqual(found, expected, precision)

    def test_budget_ratio_above_075(self):
        self.assertIn("budget_ratio_high", codes(unit(kv_budget_ratio=0.76)))
        self.assertNotIn("budget_ratio_high", codes(unit(kv_budget_ratio=0.75)))

    def test_no_session_fits_is_critical_per_scenario(self):
        report = tiny()  # 56 GiB overhead on a 1 GiB node: budget 0
        for key in ("minimum", "recommended", "ideal"):
            alerts = [a for a in report.alerts if a.scenario == key]
            self.assertEqual([(a.code, a.severity) for a in alerts],
                             [("no_session_fits", "critical")])
        self.assertTrue(report.fatal)

    def test_an_overhead_of_the_whole_node_says_why_no_session_fits(self):
        # The unit node holds 1.073741824 GB = exactly 1 GiB: an overhead of 1 GiB leaves the
        # pooled view (HBM - overhead) x ratio = 0 bytes; 0.99 GiB leaves it 0.01 GiB.
        found = [a for a in unit(runtime_overhead_gib=1.0).alerts
                 if a.code == "overhead_exceeds_node"]
        self.assertEqual([(a.severity, a.scenario, a.params) for a in found],
                         [("critical", None, (("overhead_gib", 1.0), ("node_gib", 1.0)))])
        self.assertIn("overhead_exceeds_node", codes(tiny()))          # 56 GiB on it
        self.assertNotIn("overhead_exceeds_node", codes(unit(runtime_overhead_gib=0.99)))
        # the engine view alone has no pooled overhead to exceed
        engine = sizing.size_all(fixture("model", "tiny-full"), fixture("server", "unit"),
                                 fixture("storage", "one-gbps"),
                                 workload(effective_context_tokens=1024, kv_precision="fp8",
                                          runtime_overhead_gib=56.0, concurrency=100),
                                 sizing.EngineSettings(memory_model="engine"))
        self.assertNotIn("overhead_exceeds_node", codes(engine))

    def test_only_ideal_unsized(self):
        # session = 256 x 3,000,000 = 768,000,000 bytes; ratio 0.72 -> floor(2^30 x 0.72) =
        # 773,094,113 bytes (1 session); IDEAL caps the ratio at 0.65 -> 697,932,185 (none)
        report = unit(effective_context_tokens=3_000_000, kv_budget_ratio=0.72)
        self.assertEqual([s.sessions_per_node for s in report.scenarios], [1, 1, 0])
        self.assertEqual(codes(report, "ideal"), ["no_session_fits"])
        self.assertTrue(report.fatal)

    def test_low_sessions_per_node(self):
        # budget 2^30 x 50/4096 = 13,107,200 bytes = exactly 50 sessions of 262,144 bytes
        self.assertNotIn("low_sessions_per_node", codes(unit(kv_budget_ratio=0.01220703125)))
        # 0.012 x 2^30 = 12,884,901 bytes -> 49 sessions (49 x 262,144 = 12,845,056)
        report = unit(kv_budget_ratio=0.012)
        self.assertEqual(report.scenarios[0].sessions_per_node, 49)
        self.assertEqual(codes(report).count("low_sessions_per_node"), 3)

    def test_many_nodes(self):
        # 4,096 sessions per node: 81,920 sessions -> MINIMUM exactly 20 nodes (no alert),
        # 81,921 -> 21 nodes (alert)
        at_limit = unit(concurrency=81920)
        self.assertEqual(at_limit.scenarios[0].nodes_final, 20)
        self.assertNotIn("many_nodes", codes(at_limit, "minimum"))
        above = unit(concurrency=81921)
        self.assertEqual(above.scenarios[0].nodes_final, 21)
        self.assertIn("many_nodes", codes(above, "minimum"))

    def test_small_gap_between_minimum_and_recommended(self):
        # 40,960 sessions / 4,096 = 10 nodes; no headroom. n+1 -> 11: gap 1 < 20% of 10
        self.assertIn("small_scenario_gap", codes(unit(concurrency=40960, ha_mode="n+1")))
        # n+2 -> 12: gap 2 is not below 2
        self.assertNotIn("small_scenario_gap", codes(unit(concurrency=40960, ha_mode="n+2")))

    def test_cold_start(self):
        # 30e9 bf16 params = 60e9 bytes: 60 s at 1 GB/s (not above 60 s), 120 s at 0.5 GB/s
        self.assertNotIn("cold_start_slow", codes(unit()))
        self.assertIn("cold_start_slow", codes(unit(storage="half-gbps")))

    def test_kv_restore(self):
        # 256 bytes x 3,906,250 tokens = 1e9 bytes: exactly 1 s at 1 GB/s, no alert;
        # 4,000,000 tokens = 1.024e9 bytes: 1.024 s, alert
        self.assertNotIn("kv_restore_slow", codes(unit(effective_context_tokens=3_906_250)))
        self.assertIn("kv_restore_slow", codes(unit(effective_context_tokens=4_000_000)))

    def test_weights_exceed_overhead(self):
        # 60e9 bytes = 55.88 GiB of weights
        self.assertNotIn("weights_exceed_overhead", codes(unit(runtime_overhead_gib=56.0)))
        self.assertIn("weights_exceed_overhead", codes(unit(runtime_overhead_gib=55.0)))

    def test_weights_above_the_overhead_are_a_note_when_the_engine_view_sizes_too(self):
        # llama-3.1-405b in bf16: 405.0e9 x 2 bytes / 2^30 = 754.4 GiB, above the default
        # 120 GiB per node. With the engine view in force (the default, "both") the plan does
        # not rest on the pooled budget: an info note, absent from the executive report.
        argv = ["--model", "llama-3.1-405b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "128k"]
        weights = round(405.0e9 * 2 / 2**30, 1)
        for memory_model, code, severity in (
                ("both", "weights_exceed_overhead_engine_checked", "info"),
                ("engine", "weights_exceed_overhead_engine_checked", "info"),
                ("pooled", "weights_exceed_overhead", "warning")):
            with self.subTest(memory_model=memory_model):
                flags = argv + ["--memory-model", memory_model]
                doc = run_json(self, flags + ["--format", "json"])
                found = [a for a in doc["alerts"] if a["code"].startswith("weights_exceed")]
                self.assertEqual([(a["code"], a["severity"], a["values"]["weights_gib"])
                                  for a in found], [(code, severity, weights)])
                _, report, _ = run_main(flags + ["--executive-report", "--format", "text"])
                self.assertEqual("larger than the memory set aside" in report,
                                 memory_model == "pooled")

    def test_an_engine_share_below_its_overheads_is_named_as_such(self):
        # spec-node GPUs hold 288e9 B; vLLM at utilization 0.01 may use 2.88e9 B of each, less
        # than the 5 + 1 GiB (6.44e9 B) of activation and reserve given, whatever the weights:
        # no TP leaves KV memory, so the search ends at its largest (8 x 64 = 512) and says so.
        # The pooled budget (8 x 288e9 B - 56 GiB) holds sessions: no no_session_fits.
        argv = fixture_args("--model", "tiny-full", "--server", "spec-node", "--concurrency",
                            "10", "--effective-context", "1k", "--gpu-memory-utilization",
                            "0.01", "--activation-gib", "5", "--runtime-reserve-gib", "1",
                            "--format", "json")
        doc = run_json(self, argv, status=3)
        found = {a["code"]: a for a in doc["alerts"]}
        self.assertEqual(found["engine_leaves_no_kv"]["severity"], "critical")
        self.assertEqual(found["engine_leaves_no_kv"]["values"]["tp"], 512)
        self.assertLess(found["engine_leaves_no_kv"]["values"]["kv_gib"], 0)
        self.assertNotIn("session_exceeds_gpu_pool", found)
        self.assertNotIn("no_session_fits", found)
        # no plan to compare another engine's with (SGLang at its defaults would hold them)
        self.assertNotIn("other_engine_needs_fewer", found)
        # with the TP given, more GPUs per replica might help: the other alert says so
        doc = run_json(self, argv + ["--tensor-parallel", "2"], status=3)
        found = {a["code"] for a in doc["alerts"]}
        self.assertIn("session_exceeds_gpu_pool", found)
        self.assertNotIn("engine_leaves_no_kv", found)

    def test_an_fp8_kv_cache_that_needs_fewer_nodes_is_quantified(self):
        # Llama-3.1-70B at 32k on DGX H100, methodology's pooled budget: a bf16 session is
        # 80 layers x 8 KV heads x 128 x 2 (K, V) x 2 B x 32,768 = 10 GiB, fp8 5 GiB; the
        # budget (640 x 10^9 / 2^30 - 120) x 0.70 = 333.23 GiB holds 33 and 66. RECOMMENDED
        # (1,000 x 1.2 = 1,200 sessions, N+1): ceil(1,200 / 33) + 1 = 38 against
        # ceil(1,200 / 66) + 1 = 20.
        argv = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "1000",
                "--effective-context", "32k", "--memory-model", "pooled", "--format", "json"]
        doc = run_json(self, argv)
        alert = next(a for a in doc["alerts"] if a["code"] == "kv_precision_needs_fewer")
        self.assertEqual((alert["severity"], alert["values"]),
                         ("info", {"precision": "bf16", "nodes": 38, "fp8_nodes": 20,
                                   "flags": "--kv-precision fp8"}))
        fp8 = run_json(self, argv + ["--kv-precision", "fp8"])
        self.assertEqual(fp8["scenarios"]["recommended"]["results"]["nodes_final"], 20)
        self.assertNotIn("kv_precision_needs_fewer", [a["code"] for a in fp8["alerts"]])
        # TensorRT-LLM runs no FP8 KV cache on Ampere (its support matrix): not offered there
        a100 = run_json(self, argv[:2] + ["--server", "dgx-a100-80gb"] + argv[4:]
                        + ["--engine", "trtllm"])
        self.assertNotIn("kv_precision_needs_fewer", [a["code"] for a in a100["alerts"]])
        vllm = run_json(self, argv[:2] + ["--server", "dgx-a100-80gb"] + argv[4:])
        self.assertIn("kv_precision_needs_fewer", [a["code"] for a in vllm["alerts"]])

    def test_fp8_weights_needing_fewer_nodes_are_named(self):
        # Llama-3.1-70B (bf16 weights, catalog) on DGX H100 (989 TFLOPS bf16, 1,979 fp8) at
        # 2,000 sessions of 2,048 + 512 tokens and a 30 ms TPOT target: the target binds, and
        # FP8 weights about halve what each GPU reads and double its GEMM peak.
        argv = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "2000",
                "--input-tokens", "2048", "--output-tokens", "512", "--tpot-ms", "30",
                "--format", "json"]
        doc = run_json(self, argv)
        nodes = doc["scenarios"]["recommended"]["results"]["nodes_final"]
        alert = next(a for a in doc["alerts"] if a["code"] == "weight_precision_needs_fewer")
        self.assertEqual(alert["severity"], "info")
        fp8 = run_json(self, argv + ["--weight-precision", "fp8"])
        self.assertNotIn("weight_precision_needs_fewer", [a["code"] for a in fp8["alerts"]])
        fewer = fp8["scenarios"]["recommended"]["results"]["nodes_final"]
        self.assertLess(fewer, nodes)
        self.assertEqual(alert["values"], {"precision": "bf16", "nodes": nodes,
                                           "fp8_nodes": fewer,
                                           "flags": "--weight-precision fp8"})
        # In FP8 the embedding and LM head stay bf16 (2 x 128,256 x 8,192 = 2,101,346,304
        # parameters, 4,202,692,608 bytes), the other 70.6e9 - 2,101,346,304 = 68,498,653,696
        # parameters take a byte each: 72,701,346,304 bytes over the replica's GPUs.
        tp = fp8["performance"]["layout"]["tensor_parallel"]
        self.assertEqual(fp8["engine"]["per_gpu"]["weights_bytes"], -(-72_701_346_304 // tp))
        # Not offered: weights the user chose, a GPU without FP8 tensor cores (A100), or a
        # plan the pooled budget binds (it sets a flat overhead aside, whatever the weights).
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "llama-3.1-70b")
        server = next(x for x in catalogs.servers if x.name == "dgx-h100")
        load = workload(concurrency=2000, effective_context_tokens=2560, kv_precision="bf16",
                        input_tokens=2048, output_tokens=512, tpot_ms=30.0)
        plan = sizing.plan_scenarios(model, server, load, sizing.EngineSettings())
        self.assertTrue(sizing.weight_precision_alternative(
            model, server, load, sizing.EngineSettings(), plan))
        for m, x, st in ((model, server, sizing.EngineSettings(weight_precision="bf16")),
                         (model, server._replace(fp8_tflops=None), sizing.EngineSettings())):
            self.assertEqual(sizing.weight_precision_alternative(m, x, load, st, plan), [])
        pooled = sizing.plan_scenarios(model, server, load._replace(tpot_ms=None),
                                       sizing.EngineSettings())
        self.assertEqual(pooled.scenarios[1].binding_constraint, "memory_pooled")
        self.assertEqual(sizing.weight_precision_alternative(
            model, server, load._replace(tpot_ms=None), sizing.EngineSettings(), pooled), [])

    def test_every_alert_has_text(self):
        for lang, table in sizing.STRINGS.items():
            for code, (message, action) in table["alerts"].items():
                self.assertTrue(message and action, (lang, code))


if __name__ == "__main__":
    unittest.main()
