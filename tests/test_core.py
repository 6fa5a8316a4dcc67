"""Core formulas, scenario rules and rounding, with expectations worked out by hand."""

import json
import math
import unittest

import sizing
from tests.helpers import fixture, workload


class WorkedExampleTest(unittest.TestCase):
    """The methodology's worked example (seed README, 'Exemplo prático')."""

    def setUp(self):
        self.report = sizing.size_all(fixture("model", "spec-120b"),
                                      fixture("server", "spec-node"),
                                      fixture("storage", "one-gbps"), workload())

    def test_kv_per_session(self):
        # 2 x 8 heads x 64 dims x 1 byte = 1,024 bytes per token per layer;
        # 18 full layers x 131,072 tokens + 18 sliding layers x 128 tokens = 2,361,600 tokens
        # 1,024 x 2,361,600 = 2,418,278,400 bytes = 2.2522 GiB
        self.assertEqual(self.report.kv.per_session_bytes, 2_418_278_400)
        self.assertAlmostEqual(self.report.kv.per_session_bytes / 2**30, 2.2522, places=4)

    def test_budget_sessions_and_nodes(self):
        minimum, recommended, ideal = self.report.scenarios
        # 2,304 GB = 2,304,000,000,000 bytes; minus 120 GiB (128,849,018,880 bytes)
        # = 2,175,150,981,120; x 0.70 = 1,522,605,686,784 bytes = 1,418.04 GiB
        self.assertEqual(minimum.kv_budget_per_node_bytes, 1_522_605_686_784)
        self.assertEqual(round(minimum.kv_budget_per_node_bytes / 2**30, 1), 1418.0)
        # 629 x 2,418,278,400 = 1,521,097,113,600 <= budget < 630 x ... = 1,523,515,392,000
        self.assertEqual(minimum.sessions_per_node, 629)
        # MINIMUM: ceil(1000 / 629) = 2; RECOMMENDED: ceil(1200 / 629) = 2, + 1 (n+1) = 3
        self.assertEqual((minimum.nodes_capacity, minimum.nodes_final), (2, 2))
        self.assertEqual((recommended.nodes_with_headroom, recommended.nodes_final), (2, 3))
        # IDEAL: 2,175,150,981,120 x 0.65 = 1,413,848,137,728 -> 584 sessions
        # (584 x 2,418,278,400 = 1,412,274,585,600); ceil(1300 / 584) = 3, + 2 (n+2) = 5
        self.assertEqual(ideal.kv_budget_per_node_bytes, 1_413_848_137_728)
        self.assertEqual(ideal.sessions_per_node, 584)
        self.assertEqual((ideal.nodes_with_headroom, ideal.nodes_final), (3, 5))

    def test_kv_total(self):
        # 2,418,278,400 x 1,000 = 2,418,278,400,000 bytes = 2.1994 TiB
        self.assertEqual(self.report.kv_total_bytes, 2_418_278_400_000)

    def test_hbm_in_gib(self):
        # 2,304 x 10^9 / 2^30 = 2,145.767 GiB (the spec's 2145.8)
        self.assertEqual(self.report.hbm_total_bytes, 2_304_000_000_000)
        self.assertEqual(round(self.report.hbm_total_bytes / 2**30, 1), 2145.8)

    def test_only_storage_alerts_on_the_slow_fixture_storage(self):
        # fp8, ratio 0.70, 629 sessions per node, 5 nodes at most: no sizing alert. On the
        # 1 GB/s fixture storage: weights 116.83e9 x 0.53125 bytes (mxfp4) = 62,065,937,500 bytes
        # -> 62.1 s > 60 s; one session's KV 2,418,278,400 bytes -> 2.4 s > 1 s. The engine
        # view adds one note: at TP 1 each of the 8 GPUs holds a 57.8 GiB weight copy; at
        # TP 2 or more fewer copies leave more of the node to KV.
        self.assertEqual([a.code for a in self.report.alerts],
                         ["cold_start_slow", "kv_restore_slow", "larger_tp_holds_more"])
        self.assertAlmostEqual(self.report.storage_checks.cold_start_seconds, 62.0659375)

    def test_storage_checks_name_the_precision_served(self):
        # --weight-precision bf16 on the mxfp4 model: 116.83e9 x 2 bytes = 233,660,000,000
        # bytes (217.6 GiB) read at 1 GB/s in 233.66 s, and every figure says bf16 (the
        # weights line once named the catalog's mxfp4 beside the bf16 bytes).
        report = sizing.size_all(fixture("model", "spec-120b"), fixture("server", "spec-node"),
                                 fixture("storage", "one-gbps"), workload(),
                                 sizing.EngineSettings(weight_precision="bf16"))
        checks = report.storage_checks
        self.assertEqual((checks.weights_bytes, checks.weights_precision),
                         (233_660_000_000, "bf16"))
        self.assertAlmostEqual(checks.cold_start_seconds, 233.66)
        alert = next(a for a in report.alerts if a.code.startswith("weights_exceed_overhead"))
        values = dict(alert.params)
        self.assertEqual((values["weights_gib"], values["precision"]), (217.6, "bf16"))
        self.assertEqual(self.report.storage_checks.weights_precision, "mxfp4")


class AttentionPatternTest(unittest.TestCase):
    """Tiny models: 2 x 2 heads x 8 dims x 2 bytes (bf16) = 64 bytes per token per layer."""

    def kv(self, name, context):
        return sizing.kv_breakdown(fixture("model", name).layer_groups, context,
                                   "bf16").per_session_bytes

    def test_full(self):
        self.assertEqual(self.kv("tiny-full", 100), 64 * 4 * 100)         # 25,600

    def test_sliding_caps_at_window(self):
        self.assertEqual(self.kv("tiny-sliding", 100), 64 * 4 * 16)       # 4,096
        self.assertEqual(self.kv("tiny-sliding", 10), 64 * 4 * 10)        # shorter than window

    def test_hybrid(self):
        self.assertEqual(self.kv("tiny-hybrid", 100), 64 * (2 * 100 + 2 * 16))  # 14,848

    def test_precision_bytes(self):
        model = fixture("model", "tiny-full")
        fp8 = sizing.kv_breakdown(model.layer_groups, 100, "fp8").per_session_bytes
        int8 = sizing.kv_breakdown(model.layer_groups, 100, "int8").per_session_bytes
        fp16 = sizing.kv_breakdown(model.layer_groups, 100, "fp16").per_session_bytes
        self.assertEqual((fp8, int8, fp16), (12_800, 12_800, 25_600))


class RoundingTest(unittest.TestCase):
    def test_sessions_floor_at_exact_boundary(self):
        self.assertEqual(sizing.sessions_per_node(3 * 1000, 1000), 3)
        self.assertEqual(sizing.sessions_per_node(3 * 1000 - 1, 1000), 2)

    def test_nodes_ceil_at_exact_boundary(self):
        self.assertEqual(sizing.nodes_for(1258, 0.0, 629), 2)
        self.assertEqual(sizing.nodes_for(1259, 0.0, 629), 3)

    def test_headroom_is_exact_decimal(self):
        # 100 x 1.1 = 110 sessions exactly: one 110-session node. Binary floats give
        # 100 x 1.1 / 110 = 1.0000000000000002 and would buy a second node.
        self.assertEqual(sizing.nodes_for(100, 0.1, 110), 1)
        self.assertEqual(sizing.nodes_for(50, 0.1, 55), 1)
        self.assertEqual(sizing.nodes_for(100, 0.2, 120), 1)

    def test_budget_ratio_is_exact_decimal(self):
        # 100 bytes x 0.29 = 29 bytes; binary floats give 28.999999999999996 -> 28.
        self.assertEqual(sizing.kv_budget_per_node_bytes(100, 0, 0.29), 29)

    def test_overhead_above_hbm_gives_zero_budget(self):
        self.assertEqual(sizing.kv_budget_per_node_bytes(2**30, 2.0, 0.7), 0)


class ScenarioRulesTest(unittest.TestCase):
    def configs(self, **overrides):
        w = workload(**overrides)
        return [sizing.configure(p, w) for p in sizing.SCENARIOS]

    def test_minimum_has_no_headroom_nor_ha_and_the_given_ratio(self):
        minimum = self.configs(peak_headroom_ratio=0.5, ha_mode="n+2", kv_budget_ratio=0.8)[0]
        self.assertEqual((minimum.peak_headroom_ratio, minimum.ha_mode, minimum.kv_budget_ratio),
                         (0.0, "none", 0.8))

    def test_recommended_takes_what_is_given(self):
        rec = self.configs(peak_headroom_ratio=0.35, ha_mode="none", kv_budget_ratio=0.6)[1]
        self.assertEqual((rec.peak_headroom_ratio, rec.ha_mode, rec.kv_budget_ratio),
                         (0.35, "none", 0.6))

    def test_ideal_floors_and_ceiling(self):
        low = self.configs(peak_headroom_ratio=0.1, ha_mode="none", kv_budget_ratio=0.7)[2]
        self.assertEqual((low.peak_headroom_ratio, low.ha_mode, low.kv_budget_ratio),
                         (0.30, "n+2", 0.65))
        high = self.configs(peak_headroom_ratio=0.5, ha_mode="n+1", kv_budget_ratio=0.6)[2]
        self.assertEqual((high.peak_headroom_ratio, high.ha_mode, high.kv_budget_ratio),
                         (0.5, "n+2", 0.6))

    def test_ha_extra_nodes(self):
        model, server = fixture("model", "tiny-full"), fixture("server", "unit")
        storage = fixture("storage", "one-gbps")
        # 1 GiB budget at ratio 1, 256 x 1,024 = 262,144 bytes a session -> 4,096 per node
        for mode, extra in (("none", 0), ("n+1", 1), ("n+2", 2)):
            w = workload(effective_context_tokens=1024, kv_precision="bf16", kv_budget_ratio=1.0,
                         runtime_overhead_gib=0.0, peak_headroom_ratio=0.0, ha_mode=mode,
                         concurrency=4096)
            rec = sizing.size_all(model, server, storage, w).scenarios[1]
            self.assertEqual(rec.sessions_per_node, 4096)
            self.assertEqual(rec.nodes_final, 1 + extra)


class ContextBeyondModelTest(unittest.TestCase):
    def test_the_core_sizes_what_it_is_asked_and_says_so(self):
        # tiny-hybrid serves 1,000 tokens; the command line refuses 2,000 unless
        # --allow-context-beyond-model, and then the core sizes 2,000, not 1,000.
        report = sizing.size_all(fixture("model", "tiny-hybrid"), fixture("server", "unit"),
                                 fixture("storage", "one-gbps"),
                                 workload(effective_context_tokens=2000, kv_precision="bf16"))
        self.assertEqual(report.effective_context_tokens, 2000)
        self.assertFalse(report.context_clamped)
        self.assertEqual(report.kv.per_session_bytes, 64 * (2 * 2000 + 2 * 16))
        self.assertIn("context_beyond_model", [a.code for a in report.alerts])


class WeightsTest(unittest.TestCase):
    def test_bytes_per_parameter(self):
        # 30e9 params in bf16 = 60e9 bytes; mxfp4 4.25 bits = 0.53125 bytes; nvfp4 4.5 bits;
        # int4 (AWQ, GPTQ, group 128): 4 bits + (16-bit scale + 4-bit zero) / 128 = 4.15625 bits
        # = 0.51953125 bytes: 30e9 x 0.51953125 = 15,585,937,500
        model = fixture("model", "tiny-full")
        self.assertEqual(sizing.weights_bytes(model), 60_000_000_000)
        for precision, expected in (("fp8", 30_000_000_000), ("int4", 15_585_937_500),
                                    ("mxfp4", 15_937_500_000), ("nvfp4", 16_875_000_000)):
            m = model._replace(weight_precision=precision)
            self.assertEqual(sizing.weights_bytes(m), expected, precision)


class JsonNumbersTest(unittest.TestCase):
    def test_no_nan_and_nodes_null_when_unsized(self):
        # 4 full layers x 256 bytes... tiny-full at 8,388,608 tokens = 2 GiB > 1 GiB node
        report = sizing.size_all(fixture("model", "tiny-full"), fixture("server", "unit"),
                                 fixture("storage", "one-gbps"),
                                 workload(effective_context_tokens=8388608, kv_precision="bf16",
                                          kv_budget_ratio=1.0, runtime_overhead_gib=0.0))
        self.assertTrue(report.fatal)
        text = sizing.render_json(report)

        def refuse(name):
            raise AssertionError(f"{name} in JSON")
        document = json.loads(text, parse_constant=refuse)
        for key in ("minimum", "recommended", "ideal"):
            results = document["scenarios"][key]["results"]
            self.assertEqual(results["sessions_per_node"], 0)
            self.assertIsNone(results["nodes_final"])
            self.assertIsNone(results["nodes_capacity"])
        self.assertTrue(math.isfinite(document["storage_checks"]["cold_start_seconds"]))


if __name__ == "__main__":
    unittest.main()
