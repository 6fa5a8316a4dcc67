"""The performance model (issue 12): single steps worked out by hand, the curve and the plan,
latency targets, the layout search, the benchmark calibration, and the error band measured on
runs that were not used to fit the constants (tests/fixtures/perf/SOURCES.md)."""

import csv
import json
import math
import os
import re
import shutil
import statistics
import tempfile
import unittest

import sizing
from tests.helpers import (FIXTURES, assert_refused, assert_says, fixture, fixture_args,
                           guide, last_json, run_json, run_main, shipped_catalogs, workload)

# Round constants, so that every term below can be written out by hand.
ROUND = sizing.PerfConstants(
    bandwidth_efficiency=0.8, expert_efficiency=0.5, compute_efficiency=0.5,
    expert_compute_efficiency=0.25, kernel_overhead_s=5e-6, session_overhead_s=20e-6,
    step_overhead_s=0.0, allreduce_latency_s=10e-6, ttft_fixed_s=0.1, ttft_prefill_ratio=2.0,
    ttft_wait_steps=4.0, ttft_load_ratio=0.0)


def perf_rows(name):
    """The rows of a table in tests/fixtures/perf (SOURCES.md there), as dicts of strings."""
    with open(FIXTURES / "perf" / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def llama8b_replica(tp=1, context=2048, engine="vllm", server=None, **model_fields):
    """Llama-3.1-8B (bf16) on one DGX H100 replica of `tp` GPUs, as the plan builds it (with
    `model_fields` changed in its catalog entry)."""
    model = fixture("model", "perf-8b")._replace(**model_fields)
    server = server or fixture("server", "perf-h100")
    settings = sizing.EngineSettings(engine=engine, tensor_parallel=tp)
    engine_view = sizing.engine_capacity_at(model, server, context, "bf16", settings, tp, False)
    return sizing.replica_costs(model, server, engine_view, "bf16", settings, False, context)


class DecodeStepByHandTest(unittest.TestCase):
    """Llama-3.1-8B on one H100 (config.json: 32 layers, 32 heads, 8 KV heads x 128, hidden
    4096, vocabulary 128,256, untied embeddings; 8.03 B parameters in bf16 = 16.06 GB of
    weights; H100 SXM: 3.35 TB/s HBM, 989 TFLOPS bf16 dense, nvidia.com/en-us/data-center/h100).
    The input embedding (128,256 x 4,096 = 525,336,576 parameters) is a lookup: a step gathers
    a row per token, so it is neither read whole nor multiplied; 8.03e9 - 525,336,576 =
    7,504,663,424 parameters are, 15,009,326,848 bytes in bf16. The LM head (another 525,336,576)
    runs for decode tokens only: prompt tokens skip it."""

    def test_what_a_replica_costs(self):
        r = llama8b_replica()
        self.assertEqual(r.dense_bytes, 15_009_326_848)            # 7,504,663,424 x 2 bytes
        self.assertEqual(r.expert_bytes, 0)
        self.assertEqual(r.linear_flops, 15_009_326_848)           # 2 FLOPs per parameter
        self.assertEqual(r.head_flops, 1_050_673_152)              # 2 x 525,336,576
        self.assertEqual(r.bandwidth, 3.35e12)
        self.assertEqual(r.peak_flops, 989e12)
        # KV per token per layer: 2 (K, V) x 8 heads x 128 x 2 bytes = 4,096 bytes
        self.assertEqual([size for _, size in r.kv_layout], [4096])

    def test_a_step_runs_the_layers_that_keep_no_cache_too(self):
        # A model whose step runs more layers than keep a cache (Gemma 4's KV-shared layers:
        # the catalog's step_layers) pays the fixed cost per layer for each of them: Llama's
        # 32 layers as though 12 more ran, 12 x its 10 kernels' fixed cost more per step
        c = sizing.ENGINE_PERF["vllm"]
        steps = [sizing.step_seconds(r, c, 1, 0, 1000, 0)[0]
                 for r in (llama8b_replica(), llama8b_replica(step_layers=44))]
        self.assertAlmostEqual(steps[1] - steps[0], 12 * 10 * c.kernel_overhead_s, delta=1e-12)

    def test_a_layer_pays_for_each_kernel_it_launches(self):
        # The fixed cost of a step is per kernel its layers launch (sizing.layer_kernels,
        # counted in vLLM's forward code): 2 norms + attention's 5 (QKV GEMM, RoPE, cache
        # write, attention, output GEMM) + a dense MLP's 3 = 10 for Llama; a routed-expert MLP
        # is 7 (router GEMM, top-k, token sort, two grouped GEMMs, activation, weighted sum),
        # so gpt-oss-120b's layer is 2 + 5 + 7 = 14; MLA is 10 (fused q_a / kv_a GEMM, two
        # norms, q_b GEMM, RoPE, W_UK, cache write, latent attention, W_UV, output GEMM) and
        # a shared expert 3 more, so DeepSeek-V3's is 2 + 10 + 7 + 3 = 22; Qwen3-Next mixes 36
        # Gated DeltaNet layers (7) with 12 attention layers (5): 2 + (36 x 7 + 12 x 5) / 48
        # + 7 + 3 = 18.5.
        models = {m.name: m for m in shipped_catalogs().models}
        self.assertEqual({name: sizing.layer_kernels(models[name]) for name in (
            "llama-3.1-8b", "gpt-oss-120b", "deepseek-v3", "qwen3-next-80b-a3b")},
            {"llama-3.1-8b": 10, "gpt-oss-120b": 14, "deepseek-v3": 22,
             "qwen3-next-80b-a3b": 18.5})
        # every kind of layer says what it launches
        self.assertEqual([k for k, kind in sizing.LAYER_KINDS.items() if kind.kernels < 1], [])
        # a layer of 22 kernels costs 12 x the per-kernel cost more a layer than one of 10
        r, c = llama8b_replica(), sizing.ENGINE_PERF["vllm"]
        steps = [sizing.step_seconds(r._replace(kernels=k), c, 1, 0, 1000, 0)[0] for k in (10, 22)]
        self.assertAlmostEqual(steps[1] - steps[0], 32 * 12 * c.kernel_overhead_s, delta=1e-12)

    def test_the_json_keeps_the_cost_per_layer_of_its_schema(self):
        # Schema 1.0 never removes a key: constants.layer_overhead_s stays the fixed cost per
        # layer per step, now DeepSeek-V3's 22 kernels x the cost per kernel.
        perf = run_json(self, ["--model", "deepseek-v3", "--server", "dgx-h200",
                               "--concurrency", "100", "--effective-context", "8k",
                               "--format", "json"])["performance"]
        c = perf["constants"]
        self.assertEqual(perf["kernels_per_layer"], 22)
        self.assertAlmostEqual(c["layer_overhead_s"], 22 * c["kernel_overhead_s"], delta=1e-15)

    def test_batch_one_decode_step_is_weights_over_bandwidth_plus_overheads(self):
        r = llama8b_replica()
        seconds, bound = sizing.step_seconds(r, ROUND, 1, 0, 1000, 0)
        weights = 15_009_326_848 / (3.35e12 * 0.8)             # 5.60050 ms: reading the weights
        gemm = 15_009_326_848 / (989e12 * 0.5)                 # 0.0304 ms: their FLOPs, hidden
        kv = 32 * 4096 * 1000 / (3.35e12 * 0.8)                # 0.04891 ms: 1,000 cached tokens
        attention = 32 * 2 * 32 * (128 + 128) * 1000 / (989e12 * 0.5)   # 1.06 us
        fixed = 32 * 50e-6 + 20e-6                             # 1.62 ms: per layer, per session
        self.assertLess(gemm, weights)
        self.assertAlmostEqual(seconds, weights + kv + attention + fixed, delta=1e-9)
        self.assertAlmostEqual(seconds * 1000, 7.2705, places=3)
        self.assertEqual(bound, "bandwidth")

    def test_with_the_shipped_constants(self):
        # Default constants: 90% of the bandwidth, a fixed cost per kernel (a Llama layer
        # launches 10: sizing.layer_kernels) and per session.
        r = llama8b_replica()
        c = sizing.ENGINE_PERF["vllm"]
        self.assertEqual(c.bandwidth_efficiency, 0.9)
        self.assertEqual(r.kernels, 10)
        seconds, _ = sizing.step_seconds(r, c, 1, 0, 1000, 0)
        weights = 15_009_326_848 / (3.35e12 * 0.9)              # 4.978 ms
        kv = 32 * 4096 * 1000 / (3.35e12 * 0.9)                 # 0.043 ms
        attention = 32 * 2 * 32 * 256 * 1000 / (989e12 * c.compute_efficiency)
        fixed = 32 * 10 * c.kernel_overhead_s + c.session_overhead_s    # about 1.75 ms
        self.assertAlmostEqual(seconds, weights + kv + attention + fixed, delta=1e-9)
        self.assertTrue(6.0 < seconds * 1000 < 7.5)

    def test_compute_binds_a_large_batch(self):
        r = llama8b_replica()
        seconds, bound = sizing.step_seconds(r, ROUND, 0, 8192, 0, 1000)   # one prefill chunk
        gemm = (15_009_326_848 - 1_050_673_152) * 8192 / (989e12 * 0.5)   # 231.24 ms, no head
        attention = 8192 * 32 * 2 * 32 * 256 * 1000 / (989e12 * 0.5)
        self.assertAlmostEqual(seconds, gemm + attention + 32 * 50e-6, delta=1e-9)
        self.assertEqual(bound, "compute")

    def test_tensor_parallel_adds_two_all_reduces_per_layer(self):
        r = llama8b_replica(tp=2)
        one, _ = sizing.step_seconds(r, ROUND, 1, 0, 1000, 0)
        # ring all-reduce of one token's hidden state in bf16: 2 x (2-1)/2 x 4096 x 2 bytes
        volume = 2 * (2 - 1) / 2 * 1 * 4096 * 2
        comm = 2 * 32 * (10e-6 + volume / 450e9)
        weights = 15_009_326_848 / 2 / (3.35e12 * 0.8)
        kv = 32 * 2048 * 1000 / (3.35e12 * 0.8)               # 4 KV heads per GPU
        attention = 32 * 2 * 16 * 256 * 1000 / (989e12 * 0.5)   # 16 query heads per GPU
        self.assertAlmostEqual(one, weights + kv + attention + comm + 32 * 50e-6 + 20e-6,
                               delta=1e-9)

    def test_without_nvlink_more_than_two_gpus_all_reduce_with_nccl(self):
        # vLLM's one-shot all-reduce runs on at most two PCIe-only GPUs; above that NCCL, at
        # the server's catalog latency (36 us here, against the fitted 10 us of ROUND).
        pcie = fixture("server", "perf-h100")._replace(allreduce_latency_us=36.0,
                                                       allreduce_source="test")
        nvlink4, _ = sizing.step_seconds(llama8b_replica(tp=4), ROUND, 1, 0, 1000, 0)
        pcie4, _ = sizing.step_seconds(llama8b_replica(tp=4, server=pcie), ROUND, 1, 0, 1000, 0)
        self.assertAlmostEqual(pcie4 - nvlink4, 2 * 32 * (36e-6 - 10e-6), delta=1e-12)
        nvlink2, _ = sizing.step_seconds(llama8b_replica(tp=2), ROUND, 1, 0, 1000, 0)
        pcie2, _ = sizing.step_seconds(llama8b_replica(tp=2, server=pcie), ROUND, 1, 0, 1000, 0)
        self.assertEqual(pcie2, nvlink2)

    def test_a_replica_over_two_nodes_keeps_a_batch_per_stage_in_flight(self):
        # Llama-3.1-8B over two nodes of one GPU each: each stage holds 16 of the 32 layers,
        # half the weights. A token passes both stages one after the other, so one session's
        # step is the one-node step (7.2705 ms, worked out by hand above) plus one 20 us hop
        # between the nodes.
        one_node = llama8b_replica()
        r = one_node._replace(stages=2, dense_bytes=one_node.dense_bytes // 2)
        seconds, _ = sizing.step_seconds(r, ROUND, 1, 0, 1000, 0)
        self.assertAlmostEqual(seconds * 1000, 7.2705 + 0.020, places=3)
        # The engines keep a batch per stage in flight (vLLM's max_concurrent_batches =
        # pipeline_parallel_size): with two sessions each stage works on one while the other
        # stage works on the other, so each gets a lone session's TPOT and the replica twice
        # its tokens/s; on one node the two share every step, which reads their KV.
        p1, p2, p3, p4 = (sizing.perf_point(r, ROUND, s, 1000, 1000) for s in (1, 2, 3, 4))
        self.assertEqual(p2.tpot_ms, p1.tpot_ms)
        self.assertAlmostEqual(p2.output_tokens_per_second_per_replica,
                               2 * p1.output_tokens_per_second_per_replica, delta=0.1)
        solo, pair = (sizing.perf_point(one_node, ROUND, s, 1000, 1000) for s in (1, 2))
        self.assertGreater(pair.tpot_ms, solo.tpot_ms)
        # Three sessions make batches of 2 and 1; the larger paces both stages, as 4 do.
        self.assertEqual(p3.tpot_ms, p4.tpot_ms)
        self.assertGreater(p3.tpot_ms, p2.tpot_ms)
        self.assertAlmostEqual(p3.output_tokens_per_second_per_replica,
                               3 / p3.tpot_ms * 1000, delta=0.1)
        # A lone token through 8 stages of one GPU each reads the weights one GPU at a time:
        # Llama-3.1-405B in fp8 on an H200 node, against TP 8 (NVIDIA measured TP 5.6x
        # faster for a lone request; README Performance quotes the model's ratio)
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "llama-3.1-405b")
        server = next(x for x in catalogs.servers if x.name == "dgx-h200")
        st = sizing.EngineSettings(engine="trtllm", tensor_parallel=8, weight_precision="fp8")
        engine = sizing.engine_capacity_at(model, server, 2048, "fp8", st, 8, False)
        tp8 = sizing.replica_costs(model, server, engine, "fp8", st, False, 2048)
        c = sizing.ENGINE_PERF["trtllm"]
        tensor, _ = sizing.step_seconds(tp8, c, 1, 0, 1024, 0)
        stages, _ = sizing.step_seconds(tp8._replace(tp=1, stages=8), c, 1, 0, 1024, 0)
        self.assertGreater(stages / tensor, 4)       # 8x the weights' read, not the rest
        assert_says(self, "README.md", f"(the model gives {stages / tensor:.1f}x for that case")

    def test_data_parallel_attention_ranks_share_the_experts(self):
        # perf-moe (64 experts, 4 per token, 4 layers, hidden 1,024) over 4 data-parallel
        # attention ranks of 1 GPU: each expert GPU serves the tokens of all 4 ranks.
        model, server = fixture("model", "perf-moe"), fixture("server", "perf-h100")
        st = sizing.EngineSettings(engine="vllm", tensor_parallel=1, data_parallel=4,
                                   expert_parallel=True)
        engine = sizing.engine_capacity_at(model, server, 2048, "bf16", st, 1, False)
        r = sizing.replica_costs(model, server, engine, "bf16", st, True, 2048)
        self.assertEqual(r.attention_ranks, 4)
        dp, _ = sizing.step_seconds(r, ROUND, 2, 0, 1000, 0)
        alone, _ = sizing.step_seconds(r._replace(attention_ranks=1), ROUND, 2, 0, 1000, 0)
        # Experts read: those the 4 ranks' 8 tokens touch, 1 - (60/64)^8 of them, not the
        # 1 - (60/64)^2 this rank's 2 tokens would; at 0.5 of 3.35 TB/s.
        reads = r.expert_bytes * ((60 / 64) ** 2 - (60 / 64) ** 8) / (3.35e12 * 0.5)
        # Dispatch and combine in each of the 4 layers: 3/4 of the rank's 2 tokens x 4 experts
        # x 1,024 x 2 bytes leave the GPU, over 450 GB/s, plus ROUND's 10 us each.
        a2a = 2 * 4 * (10e-6 + 3 / 4 * 2 * 4 * 1024 * 2 / 450e9)
        self.assertGreater(r.expert_bytes, 0)
        self.assertAlmostEqual(dp - alone, reads + a2a, delta=1e-12)
        # vLLM's default exchange gathers every rank's tokens to every rank (allgather and
        # reduce-scatter), which at 4 ranks and 4 experts a token is the same volume; at 8
        # ranks each of the 7 others gets the rank's 2 tokens, 2 x 1,024 x 2 = 4,096 B,
        # where the 4 copies of each sent to the experts' ranks are 2 x 4 x 2,048 / 8 =
        # 2,048 B each: 2,048 B more to each of 7 GPUs, twice a layer over 4 layers.
        self.assertTrue(r.gathers)
        eight = r._replace(attention_ranks=8)
        gathered, _ = sizing.step_seconds(eight, ROUND, 2, 0, 1000, 0)
        sent, _ = sizing.step_seconds(eight._replace(gathers=False), ROUND, 2, 0, 1000, 0)
        self.assertAlmostEqual(gathered - sent, 2 * 4 * 7 * 2048 / 450e9, delta=1e-12)
        # and so does TensorRT-LLM's attention DP on a node without a multi-node NVLink
        # fabric (select_alltoall_method_type: no MNNVL, no TRTLLM_CAN_USE_DEEP_EP)
        trtllm = st._replace(engine="trtllm")
        self.assertTrue(sizing.replica_costs(model, server, engine, "bf16", trtllm, True,
                                             2048).gathers)

    def test_a_rack_of_ranks_gathers_every_token_on_vllm(self):
        # DeepSeek-V3 on GB200 NVL72, 2,000 sessions of 32k: vLLM runs one attention rank per
        # GPU over the rack's 72 and by default gathers every rank's tokens to every rank:
        # 72 copies of each token, where a dispatch to its 8 experts' ranks sends 8.
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "deepseek-v3")
        server = next(x for x in catalogs.servers if x.name == "gb200-nvl72")
        load = workload(concurrency=2000, effective_context_tokens=32768, kv_precision="bf16")
        plan = sizing.plan_scenarios(model, server, load, sizing.EngineSettings())
        chosen = plan.plans[0]
        r = chosen.replica
        self.assertEqual((r.attention_ranks, r.experts_per_token, r.gathers), (72, 8, True))
        c = sizing.perf_constants(chosen.settings)
        sessions = chosen.point.sessions_per_replica
        sent = sizing.perf_point(r._replace(gathers=False), c, sessions, *plan.split[:3])
        self.assertGreater(chosen.point.tpot_ms, sent.tpot_ms)
        assert_says(self, "README.md", f"on GB200 NVL72 with vLLM at 2,000 sessions of 32k "
                                       f"decodes in "
                                       f"{chosen.point.tpot_ms:.1f} ms, {sent.tpot_ms:.1f} as "
                                       f"a dispatch")

    def test_an_expert_group_over_nodes_exchanges_over_their_network(self):
        # The same 2 tokens per rank over 16 one-GPU ranks in 2 nodes of 8, sent as DeepEP
        # sends them (the launch line asks for it over nodes): to each other rank
        # 2 x 4 experts x 1,024 x 2 B / 16 = 1,024 B. The 8 ranks of the other node take
        # theirs over the 50 GB/s NIC (163.84 ns), at once with the 7 of its own over NVLink
        # (15.9 ns), plus a 20 us hop; in one node of 16, all 15 over NVLink.
        model, server = fixture("model", "perf-moe"), fixture("server", "perf-h100")
        st = sizing.EngineSettings(engine="vllm", tensor_parallel=1, data_parallel=4,
                                   expert_parallel=True)
        engine = sizing.engine_capacity_at(model, server, 2048, "bf16", st, 1, False)
        r = sizing.replica_costs(model, server, engine, "bf16", st, True, 2048)._replace(
            attention_ranks=16, gathers=False)
        two_nodes, _ = sizing.step_seconds(r._replace(node_gpus=8, scaleout=50e9), ROUND, 2, 0,
                                           1000, 0)
        one_node, _ = sizing.step_seconds(r._replace(node_gpus=16), ROUND, 2, 0, 1000, 0)
        self.assertAlmostEqual(two_nodes - one_node,
                               2 * 4 * (20e-6 + 8 * 1024 / 50e9 - 15 * 1024 / 450e9),
                               delta=1e-12)

    def test_qwen3_235b_on_rtx_pro_6000_at_one_request(self):
        # The public vLLM 0.27.1 run (tests/fixtures/logs/README.md): TP 4, 1,024 in and 256
        # out, 1 request: median TPOT 17.14 ms. 94 layers x 2 all-reduces at the catalog's
        # 36 us, not the fitted 5.92, add 188 x 30.08 us = 5.66 ms to the step; the model
        # gives 17.5 ms (README "Known limits").
        base = ["--model", "qwen3-235b-a22b", "--server", "rtx-pro-6000", "--concurrency",
                "1", "--input-tokens", "1024", "--output-tokens", "256", "--tensor-parallel",
                "4", "--weight-precision", "fp8", "--format", "json"]
        status, out, err = run_main(base)
        self.assertEqual(status, 0, err)
        point = last_json(out)["performance"]["curve"][0]
        self.assertEqual(point["sessions_per_replica"], 1)
        self.assertLess(abs(point["tpot_ms"] / 17.14 - 1), 0.06)
        # Its median TTFT, 255 ms, is 2.5 times what the model gives a lone request: its own
        # prefill at the fitted ratio, with no other session's steps to wait for (the wait and
        # the opening burst need a second session). InferenceX's runs at 4 sessions, warmed up
        # first, take about that prefill (README "Performance"); this run, like
        # aiconfigurator's GB200 runs at one session, took far longer, and README "Known
        # limits" says so with the model's figure.
        self.assertLess(point["ttft_ms"], 255 / 2)
        assert_says(self, "README.md", f"TTFT {point['ttft_ms'] / 1000:.2f} s against 0.26")


class RoutedExpertGemmTest(unittest.TestCase):
    """The routed experts' GEMMs run at their own compute efficiency and at the format the
    engine feeds them, the other GEMMs at the compute efficiency and their weights' format."""

    def test_the_experts_share_of_a_prefill_chunk_runs_at_its_own_efficiency(self):
        # perf-moe: 10 B parameters, 1 B active, 64 experts, 4 per token, no vocabulary.
        # Routed experts: (10 - 1) B / (1 - 4/64) = 9.6 B parameters; a token runs 4/64 of
        # them, 0.6 B, so 1.2e9 of its 2e9 FLOPs are the experts'.
        model, server = fixture("model", "perf-moe"), fixture("server", "perf-h100")
        st = sizing.EngineSettings(engine="vllm", tensor_parallel=1)
        engine = sizing.engine_capacity_at(model, server, 2048, "bf16", st, 1, False)
        r = sizing.replica_costs(model, server, engine, "bf16", st, False, 2048)
        self.assertEqual((r.linear_flops, r.expert_flops), (2_000_000_000, 1_200_000_000))
        self.assertEqual((r.peak_flops, r.expert_peak_flops), (989e12, 989e12))
        same = ROUND._replace(expert_compute_efficiency=ROUND.compute_efficiency)
        slow, bound = sizing.step_seconds(r, ROUND, 0, 8192, 0, 1000)
        even, _ = sizing.step_seconds(r, same, 0, 8192, 0, 1000)
        # A chunk of 8,192 prompt tokens is compute-bound (weights: 19.2 GB of experts at 0.5
        # x 3.35 TB/s, 11.5 ms, under 2e9 x 8,192 / (989e12 x 0.5) = 33.1 ms); the experts'
        # 1.2e9 x 8,192 FLOPs at 0.25 instead of 0.5 of 989 TFLOPS add 19.88 ms.
        self.assertEqual(bound, "compute")
        self.assertAlmostEqual(slow - even, 1.2e9 * 8192 / 989e12 * (1 / 0.25 - 1 / 0.5),
                               delta=1e-12)
        # With one efficiency for both, the split is the single GEMM term it replaced.
        whole, _ = sizing.step_seconds(r._replace(expert_flops=0), same, 0, 8192, 0, 1000)
        self.assertAlmostEqual(even, whole, delta=1e-12)

    def test_the_efficiency_flags_carry_the_experts_ratios(self):
        # A compute efficiency half the shipped one halves the routed experts' too; a
        # bandwidth efficiency of half the shipped one halves the experts' read efficiency.
        base = sizing.ENGINE_PERF["vllm"]
        c = sizing.perf_constants(sizing.EngineSettings(
            engine="vllm", compute_efficiency=base.compute_efficiency / 2,
            bandwidth_efficiency=base.bandwidth_efficiency / 2))
        self.assertAlmostEqual(c.expert_compute_efficiency, base.expert_compute_efficiency / 2,
                               delta=1e-12)
        self.assertAlmostEqual(c.expert_efficiency, base.expert_efficiency / 2, delta=1e-12)
        self.assertEqual(c.source, "flag")
        # Never above the whole peak: at 1.0 the experts keep their ratio, below 1.
        full = sizing.perf_constants(sizing.EngineSettings(engine="vllm", compute_efficiency=1.0))
        self.assertAlmostEqual(full.expert_compute_efficiency,
                               base.expert_compute_efficiency / base.compute_efficiency,
                               delta=1e-12)

    def test_mxfp4_experts_run_at_the_engines_activation_format(self):
        # gpt-oss-120b (models.json): 116.83 B total, 5.71 B active, 128 experts, 4 per token:
        # (116.83 - 5.71) B / (1 - 4/128) = 114,704,516,129 expert parameters, 2 x 4 / 128 of
        # them per token = 7,169,032,258 FLOPs. Its attention and other layers are bf16. On a
        # B200 (2,250 bf16, 4,500 fp8 TFLOPS dense): TensorRT-LLM feeds the MXFP4 experts
        # MXFP8 activations (its gpt-oss deployment guide: MXFP8 x MXFP4 on Blackwell), vLLM
        # bf16 (mxfp4.py get_mxfp4_backend: FlashInfer MXFP4 x BF16 by default on SM100).
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "gpt-oss-120b")
        server = next(s for s in catalogs.servers if s.name == "dgx-b200")
        for engine, expert_peak in (("trtllm", 4500e12), ("vllm", 2250e12)):
            st = sizing.EngineSettings(engine=engine, tensor_parallel=1)
            view = sizing.engine_capacity_at(model, server, 2048, "fp8", st, 1, False)
            r = sizing.replica_costs(model, server, view, "fp8", st, False, 2048)
            self.assertEqual(r.expert_flops, 7_169_032_258)
            self.assertEqual((r.peak_flops, r.expert_peak_flops), (2250e12, expert_peak))


class ChunkedPrefillTest(unittest.TestCase):
    def test_steps_mix_prefill_chunks_in_proportion(self):
        # 8 sessions, 1,024-token prompts, 256 output tokens: 8 x 1024 / 256 = 32 prompt tokens
        # per step on average, so 32 / 8,192 of the steps carry a chunk.
        r = llama8b_replica()
        light, _ = sizing.step_seconds(r, ROUND, 8, 0, 1024 + 128, 0)
        heavy, _ = sizing.step_seconds(r, ROUND, 8, 8192, 1024 + 128, 512)
        step, bound, decoding = sizing.decode_seconds(r, ROUND, 8, 1024, 256)
        share = 32 / 8192
        self.assertAlmostEqual(step, (1 - share) * light + share * heavy, delta=1e-12)
        self.assertEqual((bound, decoding), ("bandwidth", 8))

    def test_the_bound_is_the_mean_steps_not_the_most_common_steps(self):
        # 64 sessions, 2,048-token prompts, 128 output tokens: 64 x 2048 / 128 = 1,024 prompt
        # tokens per step, so 1,024 / 8,192 = 1/8 of the steps carry a chunk. The other 7/8
        # decode 64 tokens: their GEMMs take 64 x 15,009,326,848 / (989e12 x 0.5) = 1.94 ms,
        # less than reading the weights, 15,009,326,848 / (3.35e12 x 0.8) = 5.60 ms: taken
        # alone they are bandwidth-bound. A chunk step's GEMMs take (8,256 x 15,009,326,848 -
        # 8,192 x 1,050,673,152) / (989e12 x 0.5) = 233.2 ms, so over the mean step compute
        # takes at least 7/8 x 1.94 + 1/8 x 233.2 = 30.8 ms; reads take at most 5.60 ms plus
        # the KV of 64 sessions at 2,048 + 64 tokens, 32 x 4,096 x 2,112 x 64 / (3.35e12 x 0.8)
        # = 6.61 ms, 12.2 ms in all: the mean step is compute-bound.
        r = llama8b_replica(context=2048 + 128)
        self.assertGreaterEqual(r.capacity, 64)
        light_compute = 64 * 15_009_326_848 / (989e12 * 0.5)
        reads = 15_009_326_848 / (3.35e12 * 0.8) + 32 * 4096 * 2112 * 64 / (3.35e12 * 0.8)
        heavy_compute = (8256 * 15_009_326_848 - 8192 * 1_050_673_152) / (989e12 * 0.5)
        self.assertLess(light_compute, reads)
        self.assertGreater(7 / 8 * light_compute + 1 / 8 * heavy_compute, reads)
        self.assertEqual(sizing.step_seconds(r, ROUND, 64, 0, 2048 + 64, 0)[1], "bandwidth")
        self.assertEqual(sizing.decode_seconds(r, ROUND, 64, 2048, 128)[1], "compute")
        self.assertEqual(sizing.perf_point(r, ROUND, 64, 2048, 128).bound, "compute")

    def test_prompts_faster_than_a_chunk_per_step_queue(self):
        # 30,720-token prompts and 256 output tokens: a chunk of 8,192 per step keeps
        # 8192 x 256 / 30720 = 68.3 sessions decoding; 120 sessions (the pool holds them all)
        # cannot all decode at once.
        r = llama8b_replica(tp=8, context=30976)
        self.assertGreater(r.capacity, 120)
        step, _, decoding = sizing.decode_seconds(r, ROUND, 120, 30720, 256)
        self.assertAlmostEqual(decoding, 8192 * 256 / 30720)
        point = sizing.perf_point(r, ROUND, 120, 30720, 256)
        self.assertAlmostEqual(point.output_tokens_per_second_per_replica, decoding / step,
                               delta=0.05)
        # TTFT: Little's law on the prompt queue adds (120 - 68.3) x 30720 / 8192 steps
        queue = (120 - decoding) * 30720 / 8192 * step
        self.assertGreater(point.ttft_ms / 1000, queue)

    def test_first_token_of_a_lone_request(self):
        # One session, a 2,048-token prompt (one chunk): handling + 2 x the step that carries
        # it. No other session runs, so no step is in flight to wait for (scheduler_wait) and
        # no other prompt to queue behind.
        r = llama8b_replica()
        step, _, _ = sizing.decode_seconds(r, ROUND, 1, 2048, 256)
        ttft = sizing.first_token_seconds(r, ROUND, 1, 2048, 256, step)
        per_layer_token = 2 * 32 * (128 + 128)                 # attention FLOPs per token
        heavy = (15_009_326_848 * 2049 - 1_050_673_152 * 2048) / (989e12 * 0.5) \
            + 32 * 4096 * 2176 / (3.35e12 * 0.8) \
            + (2176 * per_layer_token * 32 + 2048 * 1024 * per_layer_token * 32) / (989e12 * 0.5) \
            + 32 * 50e-6 + 20e-6                               # 57.84 + 0.11 + 2.23 + 1.62 ms
        self.assertAlmostEqual(heavy * 1000, 61.79, places=1)
        self.assertAlmostEqual(ttft, 0.1 + 2.0 * heavy, delta=1e-12)
        # With a second session decoding, the prompt first waits 4 of its decode steps (this
        # constant set has no queue load): the step that carries the prompt now also decodes
        # the other session at its mean context of 2,048 + 128. And in a benchmark's opening
        # burst (a tenth of its requests) both sessions' prompts come at once and share one
        # step of 4,096 prompt tokens (two requests of 2,048; the chunk holds 8,192), which
        # every prompt of the burst waits for instead of its own: a tenth of the difference,
        # at the prefill ratio.
        step, _, _ = sizing.decode_seconds(r, ROUND, 2, 2048, 256)
        heavy, _ = sizing.step_seconds(r, ROUND, 2, 2048, 2048 + 128, 1024)
        both, _ = sizing.step_seconds(r, ROUND, 2, 4096, 2048 + 128, 1024, 2048)
        self.assertEqual(r.chunk, 8192)
        self.assertGreater(both, heavy)
        self.assertAlmostEqual(sizing.first_token_seconds(r, ROUND, 2, 2048, 256, step),
                               0.1 + 2.0 * heavy + 4 * step + 0.1 * 2.0 * (both - heavy),
                               delta=1e-12)

    def test_other_prompts_queue_a_prompt_as_in_an_m_d_1_queue(self):
        # With load, TTFT = base + s rho / (2 (1 - rho)), rho = load x sessions x s / (TTFT +
        # output x TPOT): the closed form must satisfy the equation it solves. Beside it, the
        # opening burst: 64 prompts of 2,048 tokens are 16 chunks of 8,192, so a prompt of the
        # burst waits (16 + 1) / 2 = 8.5 steps carrying a full chunk; a tenth of the requests
        # wait that instead of their own step, at the prefill ratio.
        r = llama8b_replica()
        c = ROUND._replace(ttft_load_ratio=0.5)
        step, _, _ = sizing.decode_seconds(r, c, 64, 2048, 256)
        context = 2048 + 128
        light, _ = sizing.step_seconds(r, c, 64, 0, context, 0)
        heavy, _ = sizing.step_seconds(r, c, 64, 2048, context, 1024)
        full, _ = sizing.step_seconds(r, c, 64, 8192, context, 1024, 2048)
        burst = 0.1 * 2.0 * (8.5 * full - heavy)
        ttft = sizing.first_token_seconds(r, c, 64, 2048, 256, step) - burst
        service = 2.0 * (heavy - light)
        base = 0.1 + 2.0 * heavy + 4 * step
        rho = 0.5 * 64 * service / (ttft + 256 * step)
        self.assertLess(rho, 1)
        self.assertAlmostEqual(ttft, base + service * rho / (2 * (1 - rho)), delta=1e-9)
        self.assertGreater(ttft, base)

    def test_prefill_first_prompts_wait_for_their_wave(self):
        # SGLang (prefill first): 16 sessions' 1,024-token prompts come as one wave of 16,384
        # tokens, prefilled in two 8,192-token batches with nobody decoding. The first prompt
        # is done after ceil(1024 / 8192) = 1 batch, the last after ceil(16384 / 8192) = 2:
        # a prompt waits 1.5 batches on average. One batch: its GEMMs, 8,192 tokens x
        # (15,009,326,848 - 1,050,673,152 for the LM head they skip) FLOPs, against 5.60 ms to
        # read the weights; attention over a mean 512 tokens; 32 layers x 50 us.
        r = llama8b_replica()
        self.assertEqual(r.chunk, 8192)
        c = ROUND._replace(prompt_scheduling="prefill_first")
        gemm = 13_958_653_696 * 8192 / (989e12 * 0.5)                  # 231.25 ms
        attention = 8192 * 512 * 2 * 32 * (128 + 128) * 32 / (989e12 * 0.5)   # 4.45 ms
        batch = gemm + attention + 32 * 50e-6                          # 237.29 ms
        self.assertAlmostEqual(batch * 1000, 237.29, places=2)
        step, _, _ = sizing.decode_seconds(r, c, 16, 1024, 256)
        ttft = sizing.first_token_seconds(r, c, 16, 1024, 256, step)
        # handling 0.1 s + ratio 2 x 1.5 batches + 4 decode steps
        self.assertAlmostEqual(ttft, 0.1 + 2.0 * 1.5 * batch + 4 * step, delta=1e-9)
        # a lone prompt is a wave of one: one batch of its own 1,024 tokens, with no other
        # session's step to wait for
        lone = 13_958_653_696 * 1024 / (989e12 * 0.5) \
            + 1024 * 512 * 2 * 32 * (128 + 128) * 32 / (989e12 * 0.5) + 32 * 50e-6
        step, _, _ = sizing.decode_seconds(r, c, 1, 1024, 256)
        self.assertAlmostEqual(sizing.first_token_seconds(r, c, 1, 1024, 256, step),
                               0.1 + 2.0 * lone, delta=1e-9)
        # a fitted ratio below 1 shortens a wave, never a prompt's own prefill: at 0.5 the lone
        # prompt still takes its whole batch, and the 16-session wave 0.5 x 1.5 batches
        half = c._replace(ttft_prefill_ratio=0.5)
        self.assertAlmostEqual(sizing.first_token_seconds(r, half, 1, 1024, 256, step),
                               0.1 + lone, delta=1e-9)
        step, _, _ = sizing.decode_seconds(r, half, 16, 1024, 256)
        self.assertAlmostEqual(sizing.first_token_seconds(r, half, 16, 1024, 256, step),
                               0.1 + 0.5 * 1.5 * batch + 4 * step, delta=1e-9)
        # the engines: SGLang schedules prefill first, vLLM and TRT-LLM mix chunks in; the
        # JSON says which the plan used
        self.assertEqual({e: sizing.ENGINE_PERF[e].prompt_scheduling for e in sizing.ENGINES},
                         {"vllm": "mixed", "sglang": "prefill_first", "trtllm": "mixed"})
        for lang, strings in sizing.STRINGS.items():     # the report's row names each one
            self.assertEqual(set(strings["perf"]["scheduling_value"]),
                             set(sizing.PROMPT_SCHEDULING), lang)
        for engine, scheduling in (("sglang", "prefill_first"), ("vllm", "mixed")):
            status, out, err = run_main(["--model", "llama-3.1-8b", "--server", "dgx-h100",
                                         "--concurrency", "64", "--effective-context", "4k",
                                         "--engine", engine, "--format", "json"])
            self.assertEqual(status, 0, err)
            self.assertEqual(json.loads(out)["performance"]["constants"]["prompt_scheduling"],
                             scheduling)

    def test_the_quickstart_states_sglangs_waves(self):
        # QUICKSTART section 8 quotes the curve at 128 sessions per replica for Qwen3-32B on
        # H100 at TP 4 (4,096 in, 256 out) on SGLang and vLLM, and the measured SGLang run
        # (tests/fixtures/perf/measured_runs.csv, aiconfigurator: 8,920.664 ms)
        seconds = {}
        for engine in ("sglang", "vllm"):
            status, out, err = run_main(["--model", "qwen3-32b", "--server", "dgx-h100",
                                         "--engine", engine, "--concurrency", "128",
                                         "--input-tokens", "4096", "--output-tokens", "256",
                                         "--tensor-parallel", "4", "--kv-precision", "bf16",
                                         "--format", "json"])
            self.assertEqual(status, 0, err)
            point, = (p for p in json.loads(out)["performance"]["curve"]
                      if p["sessions_per_replica"] == 128)
            seconds[engine] = point["ttft_ms"] / 1000
        # several times vLLM's, as measured: where aiconfigurator ran the same points on both,
        # SGLang waited 1.6 to 7.3 times as long as vLLM or TensorRT-LLM (README "Performance")
        self.assertGreater(seconds["sglang"], 3 * seconds["vllm"])
        assert_says(self, "QUICKSTART.md", f"the curve gives {seconds['sglang']:.1f} s on SGLang "
                                           f"and {seconds['vllm']:.1f} s on vLLM")
        with open(os.path.join(FIXTURES, "perf", "measured_runs.csv"), encoding="utf-8") as f:
            self.assertIn("sglang_agg_4096x256_c128_tp4_epnone_69,qwen3-32b,dgx-h100,sglang,"
                          "0.5.1.post1,bf16,4096,256,128,4,0,8920.664,", f.read())
        assert_says(self, "QUICKSTART.md", "aiconfigurator measured 8.9 s on SGLang")

    def test_a_first_token_target_on_a_prefill_first_engine_says_it_is_sized_for_waves(self):
        # prompt_waves (info): only where a --ttft-ms target meets prefill-first scheduling
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "2000",
                "--input-tokens", "2048", "--output-tokens", "512", "--format", "json"]
        for engine, target, fires in (("sglang", ["--ttft-ms", "2000"], True),
                                      ("sglang", [], False),
                                      ("vllm", ["--ttft-ms", "2000"], False)):
            status, out, err = run_main(args + ["--engine", engine] + target)
            self.assertEqual(status, 0, err)
            d = json.loads(out)
            alerts = {a["code"]: a for a in d["alerts"]}
            self.assertEqual("prompt_waves" in alerts, fires, (engine, target))
            if fires:               # it quotes the operating point's TTFT, within the target
                point = d["performance"]["operating_point"]
                self.assertEqual(alerts["prompt_waves"]["values"]["ttft_s"],
                                 round(point["ttft_ms"] / 1000, 2))
                self.assertLessEqual(point["ttft_ms"], 2000)

    def test_the_opening_burst_is_a_tenth_of_the_requests_waiting_for_all_prompts(self):
        # 64 sessions of 2,048-token prompts come at once: 16 chunks of 8,192, so a prompt of
        # the burst waits (16 + 1) / 2 = 8.5 steps carrying a full chunk instead of its own
        # step; a tenth of the requests do, at the prefill ratio (ROUND's 2.0). Without the
        # burst (live traffic) the mean first token is that much sooner; one session has no
        # burst to wait for.
        r = llama8b_replica()
        context = 2048 + 128
        heavy, _ = sizing.step_seconds(r, ROUND, 64, 2048, context, 1024)
        full, _ = sizing.step_seconds(r, ROUND, 64, 8192, context, 1024, 2048)
        burst_ms = 0.1 * 2.0 * (8.5 * full - heavy) * 1000
        bench = sizing.perf_point(r, ROUND, 64, 2048, 256)
        live = sizing.perf_point(r, ROUND, 64, 2048, 256, 0, 0.0)
        self.assertEqual(live.tpot_ms, bench.tpot_ms)
        self.assertAlmostEqual(bench.ttft_ms - live.ttft_ms, burst_ms, delta=0.1)
        self.assertEqual(sizing.perf_point(r, ROUND, 1, 2048, 256).ttft_ms,
                         sizing.perf_point(r, ROUND, 1, 2048, 256, 0, 0.0).ttft_ms)

    def test_a_first_token_target_says_what_the_opening_burst_adds(self):
        # opening_burst (info): a --ttft-ms target on an engine taking prompts as they come;
        # it quotes the operating point's benchmark mean, the burst's part of it and the rest
        # (JSON operating_point.ttft_ms_live). Not without a target, nor on SGLang
        # (whose prompts come in waves anyway: prompt_waves).
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "2000",
                "--input-tokens", "2048", "--output-tokens", "512", "--format", "json"]
        for engine, target, fires in (("vllm", ["--ttft-ms", "2000"], True),
                                      ("trtllm", ["--ttft-ms", "2000"], True),
                                      ("vllm", [], False),
                                      ("sglang", ["--ttft-ms", "2000"], False)):
            d = run_json(self, args + ["--engine", engine] + target)
            alerts = {a["code"]: a for a in d["alerts"]}
            self.assertEqual("opening_burst" in alerts, fires, (engine, target))
            point = d["performance"]["operating_point"]
            self.assertEqual(point["ttft_ms_benchmark"], point["ttft_ms"])
            if fires:
                live = point["ttft_ms_live"]
                self.assertLess(live, point["ttft_ms"])
                self.assertLessEqual(point["ttft_ms"], 2000)
                self.assertEqual(alerts["opening_burst"]["values"], {
                    "sessions": point["sessions_per_replica"],
                    "ttft_s": round(point["ttft_ms"] / 1000, 2),
                    "burst_s": round((point["ttft_ms"] - live) / 1000, 2),
                    "live_s": round(live / 1000, 2)})
            elif engine == "sglang":
                self.assertEqual(point["ttft_ms_live"], point["ttft_ms"])

    def test_a_first_token_target_for_live_traffic_leaves_the_burst_out(self):
        # --ttft-basis live: the target and every first token are live traffic's, no opening
        # burst (burst_share 0), so the same 2 s target lets a replica serve more sessions and
        # the plan needs no more nodes; ttft_live_basis says the figure is unmeasured and what
        # the fitted runs' benchmark would show. TPOT does not depend on it (at one layout:
        # TP 8, which the search picks with the burst).
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "2000",
                "--input-tokens", "2048", "--output-tokens", "512", "--ttft-ms", "2000",
                "--tensor-parallel", "8", "--format", "json"]
        bench, live = (run_json(self, args + basis) for basis in ([], ["--ttft-basis", "live"]))
        self.assertEqual((bench["performance"]["constants"]["burst_share"],
                          live["performance"]["constants"]["burst_share"]), (0.1, 0.0))
        self.assertEqual((bench["performance"]["targets"]["ttft_basis"],
                          live["performance"]["targets"]["ttft_basis"]), ("benchmark", "live"))
        tpot = [{p["sessions_per_replica"]: p["tpot_ms"] for p in doc["performance"]["curve"]}
                for doc in (bench, live)]
        self.assertEqual({n: tpot[0][n] for n in (1, 2, 64, 1024)},
                         {n: tpot[1][n] for n in (1, 2, 64, 1024)})
        most = [doc["performance"]["targets"]["max_sessions_per_replica_within_targets"]
                for doc in (bench, live)]
        self.assertGreater(most[1], most[0])
        self.assertLessEqual(live["scenarios"]["recommended"]["results"]["nodes_final"],
                             bench["scenarios"]["recommended"]["results"]["nodes_final"])
        point = live["performance"]["operating_point"]
        self.assertEqual(point["ttft_ms"], point["ttft_ms_live"])
        self.assertGreater(point["ttft_ms_benchmark"], point["ttft_ms_live"])
        alerts = {a["code"]: a for a in live["alerts"]}
        self.assertNotIn("opening_burst", alerts)
        self.assertEqual(alerts["ttft_live_basis"]["values"], {
            "sessions": point["sessions_per_replica"], "ttft_s": round(point["ttft_ms"] / 1000, 2),
            "benchmark_s": round(point["ttft_ms_benchmark"] / 1000, 2)})
        assert_refused(self, args + ["--ttft-basis", "p99"], "--ttft-basis")
        # the text report's expected error says its TTFT bands do not cover live traffic
        for basis, says in (([], False), (["--ttft-basis", "live"], True)):
            code, out, err = run_main(args[:-2] + ["--format", "text"] + basis)
            self.assertEqual(code, 0, err)
            self.assertEqual("no measured run checks live traffic's first tokens"
                             in " ".join(out.split()), says, basis)
        # README "Performance" quotes the plans the search picks for both
        nodes = [run_json(self, args[:-4] + ["--format", "json"] + basis)["scenarios"]
                 ["recommended"]["results"]["nodes_final"]
                 for basis in ([], ["--ttft-basis", "live"])]
        self.assertLessEqual(nodes[1], nodes[0])
        assert_says(self, "README.md", f"{nodes[0]} nodes for the benchmark's mean, {nodes[1]} "
                                       "for live traffic")

    def test_a_plan_slower_than_people_read_says_so_without_a_target(self):
        # slower_than_reading (warning): no speed target, and each user gets fewer tokens per
        # second than 238 words per minute x 4/3 = 5.3 (Brysbaert 2019). Llama-3.1-70B on
        # HGX H20 (148 dense bf16 TFLOPS a GPU) at 2k: a node's KV holds hundreds of short
        # sessions, and a step for all of them is compute-bound. With a target the search
        # sizes for speed and the alert is gone; the worked example's users get 23 tokens/s.
        # Llama-3.1-405B at 128k in one L40S node (810 GB of bf16 weights against 384 GB)
        # serves nobody: at half the bandwidth its lone session would get under 5.3 tokens/s,
        # but no user gets that plan, and replica_nodes_capped already says so.
        self.assertAlmostEqual(238 / 60 * 4 / 3, sizing.READING_TOKENS_PER_SECOND, places=1)
        slow = ["--model", "llama-3.1-70b", "--server", "hgx-h20", "--concurrency", "10000",
                "--effective-context", "2k", "--format", "json"]
        unserved = ["--model", "llama-3.1-405b", "--server", "l40s-8x", "--concurrency", "100",
                    "--effective-context", "128k", "--max-nodes-per-replica", "1",
                    "--bandwidth-efficiency", "0.5", "--format", "json"]
        for args, fires in ((slow, True), (slow + ["--tpot-ms", "200"], False),
                            (slow + ["--output-tokens-per-second", "20"], False),
                            (["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency",
                              "1000", "--effective-context", "128k", "--format", "json"],
                             False), (unserved, False)):
            status, out, err = run_main(args)
            self.assertIn(status, (0, 3), err)
            d = json.loads(out)
            alerts = {a["code"]: a for a in d["alerts"]}
            self.assertEqual("slower_than_reading" in alerts, fires, args)
            if args is unserved:
                self.assertIsNone(d["scenarios"]["recommended"]["results"]["nodes_final"])
                self.assertLess(d["performance"]["operating_point"][
                    "output_tokens_per_second_per_session"], 5.3)
                self.assertIn("replica_nodes_capped", alerts)
            if fires:
                tps = d["performance"]["operating_point"]["output_tokens_per_second_per_session"]
                self.assertLess(tps, 5.3)
                self.assertEqual(alerts["slower_than_reading"]["values"],
                                 {"tps": tps, "reading_tps": 5.3})

    def test_a_load_beyond_the_measured_runs_says_its_speed_is_extrapolated(self):
        # speed_beyond_measured: the measured runs decode at most 512 sessions on a replica
        # (their largest concurrency); Llama-3.1-8B on one B300 (TP 1 pinned) at 4k with an FP8
        # KV cache holds more than that at the plan's load, so the speed there is extrapolated
        # and the alert quotes the full-load check of its range (513-1,024 sessions: 1.08x the
        # published throughput, 24.5% off at the median; README "Checked at full load"). Info
        # when memory sizes the plan, a warning when a TPOT target does. At 32k the replica
        # holds fewer than 512 and the worked example's 158, so neither says it.
        most = max(int(row["concurrency"]) for row in perf_rows("measured_runs.csv"))
        self.assertEqual(most, sizing.MEASURED_SESSIONS_PER_REPLICA)
        base = ["--model", "llama-3.1-8b", "--server", "dgx-b300", "--concurrency", "20000",
                "--kv-precision", "fp8", "--tensor-parallel", "1", "--format", "json"]
        worked = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
                  "--effective-context", "128k", "--format", "json"]
        for args, severity in ((base + ["--effective-context", "4k"], "info"),
                               (base + ["--effective-context", "4k", "--tpot-ms", "58"],
                                "warning"),
                               (base + ["--effective-context", "32k"], None), (worked, None)):
            d = run_json(self, args)
            sessions = d["performance"]["operating_point"]["sessions_per_replica"]
            alerts = {a["code"]: a for a in d["alerts"]}
            self.assertEqual("speed_beyond_measured" in alerts, severity is not None, args)
            self.assertEqual(sessions > 512, severity is not None, (args, sessions))
            if severity:
                self.assertLessEqual(sessions, 1024)
                alert = alerts["speed_beyond_measured"]
                self.assertEqual(alert["severity"], severity)
                self.assertEqual(alert["values"], {"sessions": sessions, "limit": 512,
                                                   "ratio": 1.08, "error_pct": 24.5})
                self.assertEqual(d["scenarios"]["recommended"]["results"]["binding_constraint"],
                                 "tpot" if severity == "warning" else "memory_pooled")

    def test_the_expected_error_says_when_the_context_is_beyond_the_measured_runs(self):
        # The measured runs decode at a mean context (prompt + half the output) of at most
        # 8,192 + 1,024 / 2 = 8,704 tokens. The worked example's sessions decode at 129,024
        # cached + 1,024 prompt + 1,024 / 2 = 130,560: its expected-error row says no run
        # checks KV reads that long; a 2,048 + 512 workload (2,304) is within. The JSON keeps
        # the range the text quotes, with the published full-load table's longest, 20,000 +
        # 2,000 / 2 = 21,000 (tests/fixtures/perf/trtllm_perf_overview.csv).
        for name, longest in (("measured_runs.csv", 8704), ("trtllm_perf_overview.csv", 21000)):
            self.assertEqual(max(int(row["input_tokens"]) + int(row["output_tokens"]) // 2
                                 for row in perf_rows(name)), longest)
        worked = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
                  "--effective-context", "128k"]
        short = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "200",
                 "--input-tokens", "2048", "--output-tokens", "512"]
        says = {"en": "The measured runs decode at a mean context of at most 8,704 tokens "
                      "(TensorRT-LLM's published table 21,000): at this plan's 130,560 a "
                      "step's KV reads, bytes over bandwidth, are checked by no run",
                "pt-BR": "contexto médio de no máximo 8.704 tokens (a tabela publicada do "
                         "TensorRT-LLM, 21.000): com os 130.560 deste plano"}
        for args, within in ((worked, False), (short, True)):
            d = run_json(self, args + ["--format", "json"])
            self.assertEqual(d["performance"]["measured_range"],
                             {"sessions_per_replica": 512, "context_tokens": 8704,
                              "published_context_tokens": 21000,
                              "servers": ["dgx-h100", "dgx-h200", "dgx-b200", "dgx-b300"],
                              "layer_kinds": ["full", "sliding", "chunked", "mla"],
                              "step_checks": [{
                                  "layer_kind": "linear_attention", "model": "Qwen3.6-35B-A3B",
                                  "engine": "vllm", "engine_version": "0.20.1", "gpu": "B300",
                                  "decode_ratio": 1.32, "prompt_ratio": 0.5}],
                              "run_checks": [c._asdict() for c in sizing.RUN_CHECKS]})
            self.assertEqual(d["performance"]["mean_context_tokens"] <= 8704, within)
            for lang, clause in says.items():
                status, out, err = run_main(args + ["--format", "text", "--lang", lang])
                self.assertEqual(status, 0, err)
                self.assertEqual(clause in " ".join(out.split()), not within, (args, lang))

    def test_the_expected_error_says_when_no_measured_run_used_the_servers_gpu(self):
        # The measured runs the bands come from used four DGX servers; a plan on MI300X or
        # GB200 (whose 8 runs are checked, not fitted) borrows them and says so, in the
        # technical report and among the executive report's assumptions; one on DGX H100 does
        # not.
        self.assertEqual({row["server"] for row in perf_rows("measured_runs.csv")},
                         set(sizing.MEASURED_SERVERS))
        args = ["--model", "llama-3.1-70b", "--concurrency", "500", "--input-tokens", "4096",
                "--output-tokens", "512", "--format", "text"]
        says = {"en": "No measured run the bands come from used this server's GPU ({gpu}): "
                      "they were measured on dgx-h100, dgx-h200, dgx-b200 and dgx-b300",
                "pt-BR": "Nenhuma execução medida de onde vêm as faixas usou a GPU deste "
                         "servidor ({gpu}): elas foram medidas em dgx-h100, dgx-h200, dgx-b200 e "
                         "dgx-b300"}
        for server, gpu, borrowed in (("mi300x", "MI300X 192GB", True),
                                      ("gb200-nvl72", "B200 in GB200 superchip 186GB", True),
                                      ("dgx-h100", "H100 SXM5 80GB", False)):
            for lang, clause in says.items():
                status, out, err = run_main(args + ["--server", server, "--lang", lang])
                self.assertEqual(status, 0, err)
                self.assertEqual(clause.format(gpu=gpu) in " ".join(out.split()), borrowed,
                                 (server, lang))
            # and the executive report's assumptions (en)
            status, out, err = run_main(args[:-2] + ["--server", server, "--executive-report"])
            self.assertEqual(status, 0, err)
            self.assertEqual(f"No speed measurement behind that typical error used this server's "
                             f"GPU ({gpu}): confirm the speeds with a benchmark on it." in out,
                             borrowed, server)

    def test_the_expected_error_names_layer_kinds_no_measured_run_has(self):
        # The measured runs served Llama and Qwen3 (full attention), gpt-oss-120b (sliding
        # windows and full attention) and DeepSeek-V3 (MLA); Llama 4 Scout's chunked attention
        # is in the published full-load table. Qwen3-Next's Gated DeltaNet layers,
        # DeepSeek-V3.2's sparse MLA and Jamba's Mamba layers are not: their reports say so;
        # Scout's and gpt-oss-120b's do not. Gated DeltaNet and sparse MLA have serving runs
        # that were not fitted (RUN_CHECKS, held to wheel_runs.csv in
        # test_layer_kinds_no_fitted_run_has_meet_the_runs_the_report_quotes): their rows quote
        # those, Mamba's says no serving run checks it. Gated DeltaNet's also says what vLLM
        # 0.20.1's forward passes of Qwen3.6-35B-A3B on B300 gave (STEP_CHECKS, held to the
        # steps in test_vllm_forward_passes_on_b300_are_within_the_readmes_band).
        kinds = {row_kind for name in ("llama-3.1-70b", "qwen3-32b", "gpt-oss-120b",
                                       "deepseek-v3", "llama-4-scout")
                 for row_kind in (g.kind for g in next(
                     m for m in shipped_catalogs().models if m.name == name).layer_groups)}
        self.assertEqual(kinds, set(sizing.MEASURED_LAYER_KINDS))
        for lang in sizing.STRINGS:      # every other kind has a name the row can give
            self.assertEqual(set(sizing.STRINGS[lang]["perf"]["kind_names"]),
                             set(sizing.LAYER_KINDS) - kinds, lang)
        for model, named in (("qwen3-next-80b-a3b", "Gated DeltaNet"),
                             ("deepseek-v3.2", "sparse MLA"), ("jamba-1.5-mini", "Mamba"),
                             ("llama-4-scout", None), ("gpt-oss-120b", None)):
            status, out, err = run_main(["--model", model, "--server", "dgx-h200",
                                         "--concurrency", "100", "--effective-context", "8k",
                                         "--format", "text"])
            self.assertEqual(status, 0, err)
            flat = " ".join(out.split())
            runs = {"Gated DeltaNet": "SGLang's 266 runs of Qwen3.5-397B-A17B, not fitted, are "
                                      "off TPOT 13.5% and TTFT 32.7% at the median",
                    "sparse MLA": "SGLang's 58 runs of GLM-5, not fitted, are off TPOT 12% and "
                                  "TTFT 148.4% at the median"}
            self.assertEqual("No measured run has" in flat, named == "Mamba", model)
            self.assertEqual("No fitted run has" in flat, named in runs, model)
            if named in runs:
                self.assertIn(f"No fitted run has {named} layers: {runs[named]}", flat)
            elif named:
                self.assertIn(f"No measured run has {named} layers: no serving run checks "
                              f"their kernel counts and reads", flat)
            self.assertEqual("Gated DeltaNet layers' steps meet vLLM 0.20.1's forward "
                             "passes of Qwen3.6-35B-A3B on B300, not fitted: there the model "
                             "times decode steps at 1.32x the measured and prompt steps at 0.50x"
                             in flat, named == "Gated DeltaNet", model)

    def test_few_sessions_under_a_latency_target_say_the_target_sets_the_count(self):
        # Llama-3.1-70B on H100, 2,048-token prompts, first token within 120 ms: only a replica
        # serving one session meets it (its own prefill, no other session's steps to wait
        # for: at TP 8, 2 x 70.6 B parameters x 2,048 tokens / (8 x 989 TFLOPS x 0.676) =
        # 54 ms of GEMMs; a second session adds the scheduler's wait of 5.51 decode steps and
        # a burst's second prompt), so the TTFT target binds at 1 session per node, below the 50 of
        # low_sessions_per_node. latency_few_sessions says so in its place: the target, not
        # memory, sets the count. Without the target memory binds and neither fires.
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "200",
                "--input-tokens", "2048", "--output-tokens", "256", "--format", "json"]
        for target, codes in ((["--ttft-ms", "120"], {"latency_few_sessions"}),
                              ([], set())):
            status, out, err = run_main(args + target)
            self.assertEqual(status, 0, err)
            d = json.loads(out)
            found = {a["code"] for a in d["alerts"]} & {"latency_few_sessions",
                                                         "low_sessions_per_node"}
            self.assertEqual(found, codes, target)
            if codes:
                rec = d["scenarios"]["recommended"]["results"]
                self.assertEqual((rec["binding_constraint"], rec["sessions_per_node"]),
                                 ("ttft", 1))
                alert = next(a for a in d["alerts"] if a["code"] == "latency_few_sessions")
                self.assertEqual(alert["values"], {"target": "TTFT", "sessions": 1,
                                                   "limit": 50})

    def test_sessions_beyond_the_pool_wait_but_do_not_slow_decoding(self):
        r = llama8b_replica()
        at_capacity = sizing.perf_point(r, ROUND, r.capacity, 2048, 256)
        beyond = sizing.perf_point(r, ROUND, 2 * r.capacity, 2048, 256)
        self.assertEqual(beyond.tpot_ms, at_capacity.tpot_ms)
        self.assertGreater(beyond.ttft_ms, at_capacity.ttft_ms)
        self.assertEqual(beyond.bound, "kv_capacity")


class CurveAndTargetsTest(unittest.TestCase):
    ARGS = fixture_args("--model", "perf-8b", "--server", "perf-h100", "--concurrency", "2000",
                        "--input-tokens", "2048", "--output-tokens", "512", "--format", "json")

    def run_json(self, *extra):
        status, out, err = run_main(self.ARGS + list(extra))
        self.assertEqual(status, 0, err)
        return json.loads(out)

    def test_a_shorter_context_never_needs_more_nodes_for_a_speed_target(self):
        # Without --input-tokens and --output-tokens a turn is 1,024 + 1,024, each at most
        # half the context below 2k (1k: 512 + 512), the rest cached history. The prompt per
        # generated token stays 1, so a shorter context reads less KV for the same prefill:
        # never more nodes. (With a quarter of the context for the output, 1k, 2k, 3k and 4k
        # needed 22, 19, 17 and 17 nodes of Llama-3.1-70B at 2,000 sessions and 30 ms.)
        plans = []
        for context in ("1k", "2k", "3k", "4k"):
            status, out, err = run_main(["--model", "llama-3.1-70b", "--server", "dgx-h100",
                                         "--concurrency", "2000", "--effective-context",
                                         context, "--tpot-ms", "30", "--format", "json"])
            self.assertEqual(status, 0, err)
            d = json.loads(out)
            plans.append(d["scenarios"]["recommended"]["results"]["nodes_final"])
            w = d["performance"]["workload"]
            if context == "1k":
                self.assertEqual((w["input_tokens"], w["output_tokens"],
                                  w["history_tokens"]), (512, 512, 0))
        self.assertEqual(plans, sorted(plans), plans)

    def test_sglang_prefill_chunk_is_its_chunked_prefill_size(self):
        # SGLang takes a prompt chunked_prefill_size tokens at a time: by default 8,192 on a
        # 79.18 GiB GPU (60-160 GiB, server_args._handle_gpu_memory_settings), or as given
        for extra, chunk in (((), 8192), (("--chunked-prefill-size", "2048"), 2048)):
            doc = self.run_json("--engine", "sglang", *extra)
            self.assertEqual(doc["performance"]["prefill_chunk_tokens"], chunk)
            self.assertEqual(doc["engine"]["settings"]["chunked_prefill_size"], chunk)
        # the other engines have none of it
        self.assertIsNone(self.run_json()["engine"]["settings"]["chunked_prefill_size"])

    def test_batch_settings_are_shown_for_the_engines_that_read_them(self):
        # vLLM's defaults on a data-centre GPU: 8,192 batched tokens, 1,024 sequences
        # (vllm/engine/arg_utils.py, the API server's usage context); TRT-LLM's max_num_tokens
        # is 8,192 and it has no max_num_seqs; SGLang has neither (its chunk is above)
        for engine, expected in (("vllm", (8192, 1024)), ("trtllm", (8192, None)),
                                 ("sglang", (None, None))):
            settings = self.run_json("--engine", engine)["engine"]["settings"]
            self.assertEqual((settings["max_num_batched_tokens"], settings["max_num_seqs"]),
                             expected, engine)

    def test_curve_points_and_keys(self):
        doc = self.run_json()
        perf = doc["performance"]
        sizes = [p["sessions_per_replica"] for p in perf["curve"]]
        capacity = perf["kv_capacity_sessions_per_replica"]
        self.assertEqual(sizes, sorted(set(sizes)))
        top = max(capacity, 1024)
        powers = [1 << i for i in range(top.bit_length() + 1) if 1 << i <= 2 * top]
        self.assertTrue(set(p for p in powers if p <= top) <= set(sizes))
        self.assertGreaterEqual(max(sizes), top)
        self.assertIn(capacity, sizes)
        self.assertIn(perf["operating_point"]["sessions_per_replica"], sizes)
        for point in perf["curve"]:
            self.assertEqual(set(point), {"sessions_per_replica", "tpot_ms", "ttft_ms",
                                          "output_tokens_per_second_per_session",
                                          "output_tokens_per_second_per_replica", "bound"})
            self.assertIn(point["bound"], ("bandwidth", "compute", "kv_capacity"))
        self.assertEqual(set(perf["layout"]), {"tensor_parallel", "expert_parallel",
                                               "gpus_per_replica", "replicas_per_node",
                                               "nodes_per_replica", "data_parallel",
                                               "expert_group_nodes"})
        self.assertEqual(perf["targets"], {"tpot_ms": None, "ttft_ms": None,
                                           "ttft_basis": "benchmark",
                                           "max_sessions_per_replica_within_targets": None,
                                           "max_sessions_per_node_within_targets": None,
                                           "binding": None, "stopped_by": None})
        for scenario in doc["scenarios"].values():
            self.assertIsNone(scenario["results"]["nodes_latency"])

    def test_a_tpot_target_sizes_the_fleet_and_is_named(self):
        doc = self.run_json("--tpot-ms", "20")
        perf = doc["performance"]
        within = perf["targets"]["max_sessions_per_replica_within_targets"]
        self.assertEqual(perf["targets"]["binding"], "tpot")
        self.assertEqual(perf["targets"]["stopped_by"], "tpot")
        points = {p["sessions_per_replica"]: p for p in perf["curve"]}
        self.assertLessEqual(points[within]["tpot_ms"], 20)
        replicas = perf["layout"]["replicas_per_node"]
        for key, scenario in doc["scenarios"].items():
            r = scenario["results"]
            headroom = scenario["configuration"]["peak_headroom_ratio"]
            by_hand = math.ceil(round(2000 * (1 + headroom), 6) / (within * replicas))
            self.assertEqual(r["nodes_latency"], by_hand, key)
            self.assertEqual(r["binding_constraint"], "tpot", key)
            self.assertEqual(r["nodes_final"], max(r["nodes_memory"], r["nodes_memory_engine"],
                                                   r["nodes_latency"]) + r["ha_extra_nodes"])

    def test_a_running_limit_met_within_the_targets_is_named_as_the_stop(self):
        # vLLM runs at most 16 requests at once (--max-num-seqs 16), far below the KV pool;
        # a second per token is met there, so the running limit, not the target, stops it
        doc = self.run_json("--tpot-ms", "1000", "--max-num-seqs", "16")
        targets = doc["performance"]["targets"]
        self.assertEqual(targets["max_sessions_per_replica_within_targets"], 16)
        self.assertEqual((targets["binding"], targets["stopped_by"]), ("tpot", "running_limit"))
        status, out, _ = run_main(self.ARGS[:-1] + ["text", "--tpot-ms", "1000",
                                                    "--max-num-seqs", "16"])
        self.assertEqual(status, 0)
        self.assertIn("(stopped by the engine's running limit, its max_num_seqs: the targets",
                      " ".join(out.split()))

    def test_the_summaries_state_the_targets_asked_for(self):
        # --tpot-ms 30 is 1000 / 30 = 33.3 tokens/s per session; --ttft-ms 1500 is 1.5 s;
        # --output-tokens-per-second 30 is 1000 / 30 = 33.33 ms (two decimals, as asked).
        # The executive summary and the text report's first lines say them.
        for extra, before, said in (
                (["--executive-report", "--tpot-ms", "30", "--ttft-ms", "1500"],
                 "## 2. Scenarios side by side", "The targets asked for: at most 30 ms per "
                 "token (33.3 tokens/s) and the first token within 1.5 s."),
                (["--output-tokens-per-second", "30"], "1. INPUTS",
                 "The targets asked for: at most 33.33 ms per token (30.0 tokens/s).")):
            status, out, err = run_main(self.ARGS[:-1] + ["text"] + extra)
            self.assertEqual(status, 0, err)
            flat = " ".join(out.split())
            self.assertLess(flat.index(said), flat.index(before), extra)
        status, out, _ = run_main(self.ARGS[:-1] + ["text"])     # no target, no sentence
        self.assertNotIn("targets asked", out)

    def test_one_session_more_breaks_the_target(self):
        r = llama8b_replica(tp=1, context=2560)
        c = sizing.ENGINE_PERF["vllm"]
        within, target = sizing.max_sessions_within(r, c, 2048, 512, 0, 20.0, None)
        self.assertEqual(target, "tpot")
        self.assertLessEqual(sizing.perf_point(r, c, within, 2048, 512).tpot_ms, 20.0)
        self.assertGreater(sizing.perf_point(r, c, within + 1, 2048, 512).tpot_ms, 20.0)

    def test_a_ttft_target_is_named_ttft_where_memory_binds(self):
        # Only a TTFT target, loose enough that memory binds: the rationale still lists the
        # latency constraint under the target that caps it.
        doc = self.run_json("--ttft-ms", "60000")
        rec = doc["scenarios"]["recommended"]
        targets = doc["performance"]["targets"]
        self.assertEqual(targets["binding"], "ttft")
        self.assertNotEqual(rec["results"]["binding_constraint"], "ttft")
        # a minute is met even at the replica's capacity: its KV pool stops the sessions,
        # and the report says so rather than blaming the target
        self.assertEqual(targets["max_sessions_per_replica_within_targets"],
                         doc["performance"]["kv_capacity_sessions_per_replica"])
        self.assertEqual(targets["stopped_by"], "kv_pool")
        formula = rec["rationale"]["sessions_per_node"]["formula"]
        self.assertIn("ttft = max_sessions_per_replica_within_targets", formula)
        self.assertNotIn("tpot", formula)

    def test_tokens_per_second_is_the_per_session_form_of_tpot(self):
        by_rate = self.run_json("--output-tokens-per-second", "50")
        by_tpot = self.run_json("--tpot-ms", "20")
        self.assertEqual(by_rate["scenarios"], by_tpot["scenarios"])

    def test_an_unreachable_target_sizes_nothing(self):
        status, out, _ = run_main(self.ARGS + ["--tpot-ms", "0.5"])
        doc = json.loads(out)
        self.assertEqual(status, 3)
        self.assertIn("latency_target_unreachable", [a["code"] for a in doc["alerts"]])
        self.assertIsNone(doc["scenarios"]["recommended"]["results"]["nodes_final"])

    def test_pooled_keeps_the_methodology_alone(self):
        doc = self.run_json("--memory-model", "pooled")
        for scenario in doc["scenarios"].values():
            r = scenario["results"]
            self.assertIsNone(r["nodes_memory_engine"])
            self.assertEqual(r["binding_constraint"], "memory_pooled")
            self.assertEqual(r["nodes_with_headroom"], r["nodes_memory"])

    def test_text_and_executive_name_the_binding_constraint(self):
        status, out, _ = run_main(self.ARGS[:-2] + ["--tpot-ms", "20", "--format", "text"])
        lines = out.splitlines()
        self.assertTrue(lines[2].startswith("Plan: RECOMMENDED"), lines[2])
        self.assertTrue(lines[3].startswith("Bound by TPOT target"), lines[3])
        status, out, _ = run_main(self.ARGS[:-2] + ["--tpot-ms", "20", "--format", "text",
                                                    "--executive-report"])
        self.assertIn("What sets the node count: speed per user.", out)
        self.assertIn("each user gets about", out)
        chart = out[out.index("Time per output token"):]
        self.assertIn("    line [", chart)


class SessionsHeldTest(unittest.TestCase):
    """What a running session holds in the KV pool: vLLM and SGLang allocate pages as tokens
    come, so on average its prompt and half its output; TRT-LLM's default scheduler
    (GUARANTEED_NO_EVICT) reserves the whole output when it admits a request."""

    def held(self, engine, *flags):
        status, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--engine", engine,
            "--tensor-parallel", "1", "--concurrency", "10", "--input-tokens", "1024",
            "--output-tokens", "8192", "--format", "json", *flags))
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        # perf-8b's KV: 32 layers x 2 (K, V) x 8 heads x 128 x 2 bytes = 131,072 B per token;
        # the pool is the engine view's KV memory in pages of the engine's block size
        per_gpu = doc["engine"]["per_gpu"]
        self.assertEqual(per_gpu["kv_bytes_per_token"], 131_072)
        block = doc["engine"]["settings"]["block_size"]
        return per_gpu["kv_memory_bytes"] // (131_072 * block), block, doc["performance"]

    def test_trtllm_holds_the_full_context_vllm_the_mean(self):
        # 1,024 prompt + 8,192 output tokens: the mean context is 1,024 + 4,096 = 5,120.
        blocks, block, perf = self.held("trtllm")
        self.assertEqual((perf["mean_context_tokens"], perf["held_context_tokens"]),
                         (5120, 9216))
        # TRT-LLM's pages hold 32 tokens: a request reserves 9,216 / 32 = 288 of them from
        # its start (the 14,440 pages of this GPU hold 50; at the mean, 160 each, 90).
        self.assertEqual(block, 32)
        self.assertEqual(perf["kv_pool_sessions_per_replica"], blocks // 288)
        blocks, block, perf = self.held("vllm")
        self.assertEqual((perf["mean_context_tokens"], perf["held_context_tokens"]),
                         (5120, 5120))
        # vLLM's pages hold 16 tokens: 5,120 / 16 = 320 pages per session on average.
        self.assertEqual(block, 16)
        self.assertEqual(perf["kv_pool_sessions_per_replica"], blocks // 320)

    def test_trtllm_max_utilization_holds_the_mean(self):
        # TRT-LLM's MAX_UTILIZATION policy allocates as tokens come: its pages hold sessions
        # of 5,120 / 32 = 160 pages each.
        blocks, _, perf = self.held("trtllm", "--capacity-scheduler-policy", "max_utilization")
        self.assertEqual(perf["held_context_tokens"], 5120)
        self.assertEqual(perf["kv_pool_sessions_per_replica"], blocks // 160)
        status, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "10",
            "--capacity-scheduler-policy", "max_utilization"))
        self.assertEqual((status, out), (2, ""))
        self.assertIn("--capacity-scheduler-policy applies to --engine trtllm, not vllm", err)


class LayoutSearchTest(unittest.TestCase):
    def test_runner_up_and_pinned_tensor_parallelism(self):
        args = fixture_args("--model", "perf-moe", "--server", "perf-h100", "--concurrency",
                            "500", "--input-tokens", "1024", "--output-tokens", "256",
                            "--tpot-ms", "15", "--format", "json")
        status, out, err = run_main(args)
        self.assertEqual(status, 0, err)
        perf = json.loads(out)["performance"]
        chosen = (perf["layout"]["tensor_parallel"], perf["layout"]["expert_parallel"])
        runner = (perf["runner_up"]["tensor_parallel"], perf["runner_up"]["expert_parallel"])
        self.assertNotEqual(chosen, runner)
        recommended = json.loads(out)["scenarios"]["recommended"]["results"]
        self.assertGreaterEqual(perf["runner_up"]["nodes_final"], recommended["nodes_final"])
        status, out, _ = run_main(args + ["--tensor-parallel", "2"])
        self.assertEqual(json.loads(out)["performance"]["layout"]["tensor_parallel"], 2)


class PlanAcceptanceTest(unittest.TestCase):
    """The issue's three commands, on the shipped catalogs."""

    def run_json(self, *args):
        status, out, err = run_main(list(args) + ["--format", "json"])
        self.assertIn(status, (0,), err)
        return json.loads(out)

    def test_llama_70b_at_a_tpot_target(self):
        doc = self.run_json("--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency",
                            "2000", "--input-tokens", "2048", "--output-tokens", "512",
                            "--tpot-ms", "30")
        for scenario in doc["scenarios"].values():
            r = scenario["results"]
            self.assertIn(r["binding_constraint"], sizing.CONSTRAINTS)
            self.assertGreaterEqual(r["nodes_final"], r["nodes_memory"])
            self.assertGreaterEqual(r["nodes_final"], r["nodes_memory_engine"])
            self.assertGreaterEqual(r["nodes_final"], r["nodes_latency"])

    def test_llama_405b_bf16_is_sized_by_the_engine_view(self):
        # 405 B x 2 bytes = 810 GB of weights against the pooled 120 GiB overhead per node:
        # no node holds them, so a replica spans nodes and is bought whole. The layout needing
        # the fewest nodes is TP 32 over four nodes (test_engine weighs every span), where the
        # engine's pool and the pooled budget both hold 21 sessions per replica: the engine
        # view is named, and the plan adds one spare replica (4 nodes) to its nodes.
        doc = self.run_json("--model", "llama-3.1-405b", "--server", "dgx-h100",
                            "--concurrency", "100", "--effective-context", "128k")
        rec = doc["scenarios"]["recommended"]["results"]
        self.assertEqual(doc["performance"]["layout"]["gpus_per_replica"], 32)
        self.assertEqual(rec["binding_constraint"], "memory_engine")
        self.assertEqual(rec["ha_extra_nodes"], 4)
        self.assertEqual(rec["nodes_final"], rec["nodes_memory_engine"] + rec["ha_extra_nodes"])
        self.assertGreaterEqual(rec["nodes_memory_engine"], rec["nodes_memory"])
        # with the pooled budget alone the plan would rest on an overhead that cannot hold the
        # weights: the engine view never asks for fewer nodes here
        for scenario in doc["scenarios"].values():
            r = scenario["results"]
            self.assertGreaterEqual(r["nodes_final"], r["nodes_memory_engine"])

    def test_a_workload_smaller_than_a_node_is_quoted_at_its_peak(self):
        # One session of Llama-3.1-8B: a DGX H100 holds hundreds, but the peak RECOMMENDED
        # plans for is ceil(1 x 1.2) = 2 sessions, so the speeds are those of 2 sessions per
        # node over its replicas (rounded up), not of a full node.
        args = ["--model", "llama-3.1-8b", "--server", "dgx-h100", "--concurrency", "1",
                "--effective-context", "8k"]
        doc = self.run_json(*args)
        p, rec = doc["performance"], doc["scenarios"]["recommended"]["results"]
        self.assertGreater(rec["sessions_per_node"], 2)
        self.assertEqual(p["operating_point"]["sessions_per_replica"],
                         -(-2 // p["layout"]["replicas_per_node"]))
        status, out, err = run_main(args + ["--format", "text"])
        self.assertEqual(status, 0, err)
        self.assertIn(f"at {rec['sessions_per_node']} sessions per node; at the workload's peak "
                      f"(2 sessions per node) each user gets about "
                      f"{p['operating_point']['output_tokens_per_second_per_session']:.1f}",
                      " ".join(out.split()))
        status, out, err = run_main(args + ["--executive-report", "--format", "text"])
        self.assertIn("At the workload's peak (2 sessions per node) each user gets", out)
        assert_says(self, "README.md", "1 session of Llama-3.1-8B on DGX H100 is quoted at the 2 "
                    f"sessions of its peak, not at the {rec['sessions_per_node']} a node holds")
        # the worked example's peak (1,200) is more than a node holds: its figures are a full
        # node's, "at 629 sessions per node" (README)
        doc = self.run_json("--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency",
                            "1000", "--effective-context", "128k")
        self.assertEqual(doc["performance"]["operating_point"]["sessions_per_replica"],
                         -(-629 // doc["performance"]["layout"]["replicas_per_node"]))

    def test_a_replica_spanning_two_nodes_counts_its_share_per_node(self):
        # TP 16 on 8-GPU nodes: one replica over two nodes, none whole in a node. Per node is a
        # replica's sessions // 2 (sessions per node round down), in the targets, the plan,
        # the text and the chart's axis (which once multiplied by 0 replicas per node).
        args = ["--model", "llama-3.1-405b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "32k", "--tensor-parallel", "16", "--tpot-ms", "45"]
        doc = self.run_json(*args)
        p = doc["performance"]
        self.assertEqual((p["layout"]["replicas_per_node"], p["layout"]["nodes_per_replica"]),
                         (0, 2))
        within = p["targets"]["max_sessions_per_replica_within_targets"]
        self.assertGreater(within, 1)
        self.assertEqual(p["targets"]["max_sessions_per_node_within_targets"], within // 2)
        rec = doc["scenarios"]["recommended"]["results"]
        self.assertEqual((rec["binding_constraint"], rec["sessions_per_node"]),
                         ("tpot", within // 2))
        status, out, err = run_main(args + ["--format", "text"])
        self.assertEqual(status, 0, err)
        self.assertIn(f"{within} per replica, {within // 2} per node", out)
        # TP 16 on 8-GPU nodes is TP 8 within each node and 2 pipeline stages, as the
        # engines are told it (vLLM --tensor-parallel-size 8 --pipeline-parallel-size 2)
        self.assertIn("16 GPUs per replica, over 2 nodes (TP 8 in each node x 2 pipeline "
                      "stages)", " ".join(out.split()))
        status, out, err = run_main(args + ["--format", "text", "--executive-report"])
        self.assertEqual(status, 0, err)
        axis = next(line for line in out.splitlines()
                    if line.startswith('    x-axis "sessions per node"'))
        labels = [int(x) for x in re.findall(r'"(\d+)"', axis)]
        top = max(p["kv_capacity_sessions_per_replica"],
                  p["operating_point"]["sessions_per_replica"])
        self.assertEqual(labels, [x["sessions_per_replica"] // 2 for x in p["curve"]
                                  if 2 <= x["sessions_per_replica"] <= top])

    def test_the_pooled_view_quotes_a_spanning_replica_at_all_its_nodes_sessions(self):
        # --memory-model pooled alone buys nodes one by one; a replica over N nodes carries N
        # nodes' sessions at the plan's load, and its speed is quoted there. Llama-3.1-405B in
        # bf16 at 32k on DGX H100: 21 sessions per node, TP 16 over 2 nodes, so 42 per replica
        # (it was once quoted at one node's 21).
        doc = self.run_json("--model", "llama-3.1-405b", "--server", "dgx-h100",
                            "--concurrency", "1000", "--effective-context", "32k",
                            "--memory-model", "pooled")
        p, rec = doc["performance"], doc["scenarios"]["recommended"]["results"]
        self.assertEqual((rec["nodes_per_unit"], p["layout"]["nodes_per_replica"]), (1, 2))
        self.assertEqual(p["operating_point"]["sessions_per_replica"],
                         rec["sessions_per_node"] * 2)

    def test_a_latency_target_buys_whole_replicas_in_the_pooled_view_too(self):
        # A target is timed per replica, so with one in force the pooled view buys replicas
        # whole, as the engine view does, and spares whole replicas: DeepSeek-V3 (fp8, 671 B)
        # does not fit one node of 8 L40S, so every replica spans nodes. It once bought single
        # nodes (10 for a replica of 8), and a looser target then needed more of them.
        args = ["--model", "deepseek-v3", "--server", "l40s-8x", "--memory-model", "pooled",
                "--engine", "sglang", "--concurrency", "1000", "--effective-context", "2048"]
        nodes = {}
        for target in ("200", "400"):
            doc = self.run_json(*args, "--tpot-ms", target)
            span = doc["performance"]["layout"]["nodes_per_replica"]
            self.assertGreater(span, 1)
            for key, s in doc["scenarios"].items():
                with self.subTest(target=target, scenario=key):
                    self.assertEqual(s["results"]["nodes_per_unit"], span)
                    self.assertEqual(s["results"]["nodes_final"] % span, 0)
            nodes[target] = [s["results"]["nodes_final"] for s in doc["scenarios"].values()]
        self.assertTrue(all(a >= b for a, b in zip(nodes["200"], nodes["400"])), nodes)

    def test_a_target_needs_a_replica_that_holds_its_weights(self):
        # DeepSeek-V3's 671 B of fp8 weights on one 80 GB H100 (TP 1): the pooled budget alone
        # would count nodes, but a latency target times a replica, and this one cannot hold
        # its weights, let alone a session: nothing is sized and the engine says why, as a
        # critical alert (it once planned 3 nodes of 8 such replicas at 19 ms a token)
        argv = ["--model", "deepseek-v3", "--server", "dgx-h100", "--concurrency", "10",
                "--effective-context", "16k", "--memory-model", "pooled", "--tpot-ms", "40",
                "--tensor-parallel", "1", "--format", "json"]
        status, out, err = run_main(argv)
        self.assertEqual(status, 3, err)
        doc = json.loads(out)
        self.assertEqual({s["results"]["nodes_final"] for s in doc["scenarios"].values()},
                         {None})
        alerts = {a["code"]: a["severity"] for a in doc["alerts"]}
        self.assertEqual(alerts["session_exceeds_gpu_pool"], "critical")
        self.assertNotIn("latency_target_unreachable", alerts)
        without = json.loads(run_main(argv[:-6] + ["--tensor-parallel", "1", "--format",
                                                   "json"])[1])
        self.assertEqual({a["code"]: a["severity"] for a in without["alerts"]}[
            "session_exceeds_gpu_pool"], "warning")

    def test_no_tpot_chart_when_no_node_serves_one_whole_session(self):
        # DeepSeek-V3 (671 B, nvfp4: about 0.56 bytes a parameter, 380 GB) on 48 GB L40S
        # GPUs needs more than one node per replica; with --max-num-seqs 1 a replica holds one
        # session, so every point of the curve is 1 // 2 = 0 sessions per node. The chart
        # (once a traceback: the axis of an empty line) is left out; the nodes chart stays.
        status, out, err = run_main(["--model", "deepseek-v3", "--server", "l40s-8x",
                                     "--concurrency", "1", "--effective-context", "1k",
                                     "--weight-precision", "nvfp4", "--max-num-seqs", "1",
                                     "--executive-report", "--format", "text"])
        self.assertEqual(status, 0, err)
        self.assertNotIn("x-axis \"sessions per node\"", out)
        self.assertEqual(out.count("```mermaid"), 1)

    def test_the_executive_chart_marks_the_plan_at_the_summarys_sessions_per_node(self):
        # Worked example: 629 sessions per node (the methodology's pooled figure); over its 4
        # replicas (TP 2) the busiest carries ceil(629 / 4) = 158, whose TPOT the summary
        # quotes. The chart labels that point 629, as the summary does, not 158 x 4 = 632.
        status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                     "--concurrency", "1000", "--effective-context", "128k",
                                     "--executive-report", "--format", "text"])
        self.assertEqual(status, 0, err)
        self.assertIn("(629 sessions per node)", out)
        axis = next(line for line in out.splitlines()
                    if line.startswith('    x-axis "sessions per node"'))
        labels = re.findall(r'"([\d,]+)"', axis)
        self.assertIn("629", labels)
        self.assertNotIn("632", labels)

    def test_worked_example_is_unchanged_and_says_what_a_session_gets(self):
        status, out, _ = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                   "--concurrency", "1000", "--effective-context", "128k"])
        doc = last_json(out)
        self.assertEqual([s["results"]["nodes_final"] for s in doc["scenarios"].values()],
                         [2, 3, 5])
        self.assertEqual(doc["scenarios"]["recommended"]["results"]["binding_constraint"],
                         "memory_pooled")
        point = doc["performance"]["operating_point"]
        # the operating point is the plan's 629 sessions per node spread over its replicas
        replicas = doc["performance"]["layout"]["replicas_per_node"]
        self.assertEqual(point["sessions_per_replica"], -(-629 // replicas))
        tps = f"{point['output_tokens_per_second_per_session']:.1f}"
        self.assertIn(f"Bound by pooled memory at 629 sessions per node; each user gets about "
                      f"{tps} tokens/s", " ".join(out.split()))
        # the default split, a chat turn: min(1,024, context / 4) = 1,024 output tokens and
        # min(1,024, 131,072 - 1,024) = 1,024 new prompt tokens; the other 131,072 - 2,048 =
        # 129,024 are cached from earlier turns. Named beside the figures; a given workload is not
        self.assertEqual((doc["performance"]["workload"]["input_tokens"],
                          doc["performance"]["workload"]["output_tokens"],
                          doc["performance"]["workload"]["history_tokens"]), (1024, 1024, 129024))
        self.assertIn("That takes a chat turn of 1,024 new prompt tokens and 1,024 generated "
                      "after 129,024 cached from earlier turns", " ".join(out.split()))
        status, out, _ = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                   "--concurrency", "1000", "--effective-context", "128k",
                                   "--input-tokens", "2048", "--output-tokens", "512"])
        self.assertNotIn("That takes a chat turn", " ".join(out.split()))


class FlagTest(unittest.TestCase):
    BASE = fixture_args("--model", "perf-8b", "--server", "perf-h100", "--concurrency", "10")

    def refused(self, *extra, status=2, fragment=""):
        assert_refused(self, self.BASE + list(extra), fragment, status)

    def test_conflicts_and_bad_values(self):
        self.refused("--input-tokens", "100", "--output-tokens", "10", "--tpot-ms", "20",
                     "--output-tokens-per-second", "50", fragment="say the same thing")
        self.refused("--effective-context", "1000", "--input-tokens", "1000", "--output-tokens",
                     "10", fragment="exceed --effective-context 1,000")
        self.refused("--effective-context", "1000", "--tpot-ms", "0", fragment="--tpot-ms")
        self.refused("--input-tokens", "100", fragment="missing --effective-context")

    def test_targets_need_the_servers_figures(self):
        code, _, err = run_main(fixture_args("--model", "spec-120b", "--server", "spec-node",
                                             "--concurrency", "10", "--effective-context",
                                             "1000", "--tpot-ms", "20"))
        self.assertEqual(code, 2)
        self.assertIn("hbm_bandwidth_tb_per_s", err)

    def test_the_readmes_flag_table_states_the_fitted_efficiencies(self):
        # README "Command line" gives each efficiency flag's default as the value the step
        # constants ship with, shared by the engines: it said 1.0 for bandwidth after the fit
        # had moved it to 0.9
        for engine in sizing.ENGINES:
            for name in ("bandwidth_efficiency", "compute_efficiency"):
                value = getattr(sizing.ENGINE_PERF[engine], name)
                assert_says(self, "README.md", f"| `--{name.replace('_', '-')} R` | "
                                               f"fitted ({value:g}) |")

    def test_context_defaults_to_prompt_plus_output(self):
        code, out, err = run_main(self.BASE + ["--input-tokens", "1000", "--output-tokens",
                                               "24", "--format", "json"])
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["inputs"]["nfr"]["effective_context_tokens"], 1024)


class RequestRateTest(unittest.TestCase):
    """--requests-per-second: the sessions are rate x the seconds a request takes at the plan's
    speed (Little's law), found by resizing to a fixed point."""

    BASE = fixture_args("--model", "perf-8b", "--server", "perf-h100", "--input-tokens",
                        "2048", "--output-tokens", "512", "--tpot-ms", "20")

    def test_the_sessions_are_the_rate_times_a_requests_time_at_the_plans_speed(self):
        doc = run_json(self, self.BASE + ["--requests-per-second", "40", "--format", "json"])
        nfr, point = doc["inputs"]["nfr"], doc["performance"]["operating_point"]
        # one request: its first token, then 511 more at TPOT
        seconds = (point["ttft_ms"] + 511 * point["tpot_ms"]) / 1000
        self.assertAlmostEqual(nfr["request_seconds"], seconds, places=3)
        self.assertEqual(nfr["requests_per_second"], 40)
        self.assertEqual(nfr["concurrency"], math.ceil(40 * seconds))
        # a fixed point: sized for that many sessions, a request takes the same time
        same = run_json(self, self.BASE + ["--concurrency", str(nfr["concurrency"]),
                                            "--format", "json"])
        self.assertEqual(same["performance"]["operating_point"], point)
        self.assertEqual([s["results"]["nodes_final"] for s in same["scenarios"].values()],
                         [s["results"]["nodes_final"] for s in doc["scenarios"].values()])
        self.assertIsNone(same["inputs"]["nfr"]["requests_per_second"])
        text = run_main(self.BASE + ["--requests-per-second", "40", "--format", "text"])[1]
        self.assertIn(f"{nfr['concurrency']:,} sessions: 40 requests/s x {seconds:.1f} s per "
                      f"request at the plan's speed", " ".join(text.split()))
        head = " ".join(text.split("1. INPUTS")[0].split())      # the plan's first lines
        self.assertIn(f"The 40 requests/s are {nfr['concurrency']:,} sessions at once: each "
                      f"request takes {seconds:.1f} s at this speed", head)
        rows = run_main(self.BASE + ["--requests-per-second", "40", "--format", "csv"])[1]
        self.assertEqual({tuple(line.split(",")[-2:]) for line in rows.splitlines()[1:]},
                         {(str(nfr["concurrency"]), "40.0")})
        # the executive summary sizes the same sessions, and says from which rate
        executive = run_main(self.BASE + ["--requests-per-second", "40",
                                          "--executive-report"])[1]
        self.assertIn(f"**{nfr['concurrency']:,} simultaneous sessions (40 requests per second "
                      f"of about {seconds:.1f} s each, by Little's law)**", executive)

    def test_the_fewest_sessions_that_carry_the_rate(self):
        # a request takes 10 s while one node carries the sessions and 4 s from 5 sessions
        # on (a node added), at 1 request per second: at 1 session's speed the rate needs 10
        # in flight; 10 sessions' plan carries it (4 in flight), and so does 5's, but not 4's
        # (10 needed): 5 is the fewest, with 4 s per request
        def speed(model, server, workload, settings):
            point = sizing.PerfPoint(1, 0.0, 10000.0 if workload.concurrency < 5 else 4000.0,
                                     1.0, 1.0, "bandwidth")
            return sizing.Performance(*[0] * len(sizing.Performance._fields))._replace(
                operating_point=point, output_tokens=1)

        def fake(model, server, storage, workload, settings, money):
            return Stub(False, speed(model, server, workload, settings), workload)
        Stub = __import__("collections").namedtuple("Stub", "fatal performance workload")
        real = sizing.size_all, sizing.planned_speed
        sizing.size_all, sizing.planned_speed = fake, speed
        try:
            report = sizing.size_for_rate(None, None, None, sizing.Workload(
                1, 1000, "fp8", 0.7, 120, 0.2, "n+1", requests_per_second=1.0))
        finally:
            sizing.size_all, sizing.planned_speed = real
        self.assertEqual((report.workload.concurrency, report.workload.request_seconds),
                         (5, 4.0))

    def test_a_comparison_gives_each_server_its_own_sessions(self):
        # each server's sessions come from its own speed; one that sizes nothing has none
        argv = ["--model", "llama-3.1-70b", "--server", "dgx-h100,dgx-b200,l40s",
                "--requests-per-second", "20", "--input-tokens", "2048", "--output-tokens",
                "512", "--tpot-ms", "30"]
        docs = {d["inputs"]["server"]["name"]: d["inputs"]["nfr"] for d in
                run_json(self, argv + ["--format", "json"])["comparison"]}
        self.assertIsNone(docs["l40s-8x"]["request_seconds"])
        text = run_main(argv + ["--format", "text"])[1]
        for name in ("dgx-h100", "dgx-b200"):
            with self.subTest(name=name):
                nfr = docs[name]
                self.assertEqual(nfr["concurrency"],
                                 math.ceil(20 * nfr["request_seconds"] - 1e-9))
                self.assertRegex(text, rf"\n  {name} +{nfr['concurrency']} ")
        self.assertRegex(text, r"\n  l40s-8x +- ")

    def test_a_growth_plan_of_rates_sizes_each_period_at_its_own(self):
        doc = run_json(self, self.BASE + ["--requests-per-second", "10,40", "--periods",
                                          "Q1,Q2", "--format", "json"])
        periods = doc["growth"]
        for period, rate in zip(periods, (10, 40)):
            with self.subTest(period=period["period"]):
                nfr = period["result"]["inputs"]["nfr"]
                self.assertEqual(nfr["requests_per_second"], rate)
                self.assertEqual(period["concurrency"],
                                 math.ceil(rate * nfr["request_seconds"] - 1e-9))
        self.assertGreater(periods[1]["concurrency"], periods[0]["concurrency"])
        text = run_main(self.BASE + ["--requests-per-second", "10,40", "--periods", "Q1,Q2",
                                     "--format", "text"])[1]
        self.assertRegex(text, rf"\n  Q2 +40 +{periods[1]['concurrency']} ")

    def test_the_readme_and_quickstart_quote_the_tools_figures(self):
        argv = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--requests-per-second",
                "20", "--input-tokens", "2048", "--output-tokens", "512", "--tpot-ms", "30",
                "--format", "json"]
        nfr = run_json(self, argv)["inputs"]["nfr"]
        quoted = (f"`{nfr['concurrency']} sessions: 20 requests/s x "
                  f"{nfr['request_seconds']:.1f} s per request at")
        assert_says(self, "README.md", quoted)
        assert_says(self, "QUICKSTART.md",
                    f"20 requests per second become {nfr['concurrency']} sessions")

    def test_conflicts(self):
        for extra, fragment in (
                (["--concurrency", "10"], "give --concurrency or --requests-per-second"),
                (["--solve", "max-context", "--nodes", "2"], "drop --requests-per-second"),
                (["--periods", "2027,2028"],
                 "--periods has 2 labels for 1 --requests-per-second values"),
                (["--requests-per-second", "0"], "--requests-per-second")):
            with self.subTest(extra=extra):
                assert_refused(self, self.BASE + ["--requests-per-second", "5"] + extra,
                               fragment, 2)
        # a rate whose sessions would pass the tool's limit of 10^9: each request takes more
        # than a second (2,048 + 512 tokens), so 10^9 requests/s need more sessions than that
        assert_refused(self, self.BASE + ["--requests-per-second", "1000000000"],
                       "is more than 1,000,000,000 sessions", 2)
        code, _, err = run_main(fixture_args("--model", "spec-120b", "--server", "spec-node",
                                             "--requests-per-second", "5",
                                             "--effective-context", "1000"))
        self.assertEqual(code, 2)
        self.assertIn("--requests-per-second", err)


class BenchmarkCalibrationTest(unittest.TestCase):
    CSV = FIXTURES / "perf" / "bench_llama8b_h100_trtllm.csv"

    def test_the_fit_is_no_worse_than_the_defaults_and_sizes_the_fleet(self):
        code, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
            "--input-tokens", "2048", "--output-tokens", "512", "--engine", "trtllm",
            "--calibrate-from-benchmark", str(self.CSV), "--format", "json"))
        self.assertEqual(code, 0, err)
        perf = json.loads(out)["performance"]
        self.assertEqual(perf["constants"]["source"], "benchmark")
        rows = perf["benchmark_fit"]["rows"]
        self.assertEqual(len(rows), 12)

        def error(key):
            return statistics.mean(abs(math.log(r[key] / r[key.replace("_default", "")
                                                          .replace("_predicted", "")]))
                                   for r in rows)
        self.assertLessEqual(error("tpot_ms_predicted"), error("tpot_ms_default"))
        self.assertLessEqual(error("ttft_ms_predicted"), error("ttft_ms_default"))
        # The error the reports then quote is the fit's own, not the defaults' band: metric by
        # metric the larger of the median residual over the 12 runs it was fitted to
        # (in-sample) and what a calibration gives on runs it left out (README "Performance":
        # TPOT 5.3%, TTFT 12.4% on the measured runs' concurrency sweeps)
        expected = perf["error_band_expected"]
        self.assertEqual(expected["basis"], "benchmark")
        for key, left_out in (("tpot_ms", 0.053), ("ttft_ms", 0.124)):
            median = statistics.median(abs(r[key + "_predicted"] / r[key] - 1) for r in rows)
            self.assertAlmostEqual(expected[key.replace("_ms", "_median")],
                                   max(median, left_out), delta=5e-4)
        # here the fit matches its runs' TPOT closer than that, and misses their TTFT by more
        # (the table mixes prompt lengths and TPs)
        self.assertEqual((expected["tpot_median"], expected["ttft_median"] > 0.124),
                         (0.053, True))

    def test_an_efficiency_flag_is_held_through_the_fit_the_plan_uses(self):
        # The first run of the table is 8 sessions of 1,024 + 256 tokens at TP 1. Sized at
        # that workload and layout, the plan's curve point at 8 sessions per replica must be
        # the fit's own prediction for that run: the constants the rows were predicted with
        # are the constants the plan uses, the flag's 0.5 among them.
        code, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
            "--input-tokens", "1024", "--output-tokens", "256", "--engine", "trtllm",
            "--tensor-parallel", "1", "--bandwidth-efficiency", "0.5",
            "--calibrate-from-benchmark", str(self.CSV), "--format", "json"))
        self.assertEqual(code, 0, err)
        perf = json.loads(out)["performance"]
        self.assertEqual(perf["benchmark_fit"]["held"], ["bandwidth_efficiency"])
        self.assertEqual(perf["constants"]["bandwidth_efficiency"], 0.5)
        first = perf["benchmark_fit"]["rows"][0]
        self.assertEqual((first["concurrency"], first["input_tokens"], first["output_tokens"]),
                         (8, 1024, 256))
        point = next(p for p in perf["curve"] if p["sessions_per_replica"] == 8)
        self.assertAlmostEqual(point["tpot_ms"], first["tpot_ms_predicted"], delta=0.01)
        # At half the bandwidth the fit cannot reach the measured 7.55 ms: the error the
        # reports quote is the held fit's, far above the free fit's.
        self.assertGreater(first["tpot_ms_predicted"], 1.3 * first["tpot_ms"])
        rows = perf["benchmark_fit"]["rows"]
        median = statistics.median(abs(r["tpot_ms_predicted"] / r["tpot_ms"] - 1) for r in rows)
        self.assertAlmostEqual(perf["error_band_expected"]["tpot_median"], median, delta=5e-4)

    def test_the_text_report_lists_each_run_and_each_constant_the_fit_set(self):
        # The text report's calibration section is a view of the JSON's benchmark_fit: one row
        # per run, measured / default / fitted TPOT and TTFT to 2 decimals, then each constant
        # the fit moved ("name: default -> fitted", 4 significant figures) and the one the
        # flag held.
        code, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
            "--input-tokens", "1024", "--output-tokens", "256", "--engine", "trtllm",
            "--bandwidth-efficiency", "0.5", "--calibrate-from-benchmark", str(self.CSV),
            "--format", "both"))
        self.assertEqual(code, 0, err)
        text, document = out[:out.index("\n{\n")], json.loads(out[out.index("\n{\n"):])
        perf = document["performance"]
        section = text[text.index("CALIBRATION FROM A BENCHMARK"):]
        lines = section.splitlines()
        self.assertIn(f"Benchmark: {self.CSV}", lines)
        table = [line.split() for line in lines if line.startswith("  TP ")]
        rows = perf["benchmark_fit"]["rows"]
        self.assertEqual(len(table), len(rows))
        for cells, row in zip(table, rows):
            self.assertEqual(cells[:2], row["layout"].split())
            self.assertEqual(cells[2:5], [f"{row[k]:,}" for k in
                                          ("concurrency", "input_tokens", "output_tokens")])
            self.assertEqual(cells[5:], [f"{row[k]:,.2f}" for k in (
                "tpot_ms", "tpot_ms_default", "tpot_ms_predicted",
                "ttft_ms", "ttft_ms_default", "ttft_ms_predicted")])
        # "default" is what the plan would use without the benchmark: the same run's constants
        # without --calibrate-from-benchmark (the flag's 0.5 included)
        code, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
            "--input-tokens", "1024", "--output-tokens", "256", "--engine", "trtllm",
            "--bandwidth-efficiency", "0.5", "--format", "json"))
        self.assertEqual(code, 0, err)
        before, fitted = json.loads(out)["performance"]["constants"], perf["constants"]
        moved = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in
                 re.finditer(r"^(\w+): (\S+) -> (\S+)$", section, re.M)}
        expected = {name for name in sizing.STEP_FIT + sizing.TTFT_FIT
                    if fitted[name] != before[name]}
        self.assertTrue(expected)
        self.assertEqual(set(moved), expected)
        for name, (old, new) in moved.items():
            self.assertAlmostEqual(old, before[name], delta=5e-4 * abs(before[name]))
            self.assertAlmostEqual(new, fitted[name], delta=5e-4 * abs(fitted[name]))
        self.assertIn("bandwidth_efficiency: 0.5, set by --bandwidth-efficiency and held while "
                      "the others were fitted", section)

    def test_runs_served_with_expert_parallelism_are_fitted_as_such(self):
        # With --expert-parallel the runs were served with the experts split: the fit must
        # time them on the replica the plan uses, so the plan's point at a run's sessions and
        # lengths is the fit's prediction for that run (the small MoE of the fixtures, TP 8,
        # at 128 sessions, where the two layouts' steps differ by more than the rounding).
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "moe.csv")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("concurrency,input_tokens,output_tokens,ttft_ms,tpot_ms,tp\n"
                             "8,1024,256,60,4.0,8\n32,1024,256,90,5.5,8\n"
                             "128,1024,256,200,9.0,8\n")
            args = ["--model", "perf-moe", "--server", "perf-h100", "--concurrency", "500",
                    "--input-tokens", "1024", "--output-tokens", "256", "--tensor-parallel",
                    "8", "--calibrate-from-benchmark", path, "--format", "json"]
            points = {}
            for extra in ([], ["--expert-parallel"]):
                code, out, err = run_main(fixture_args(*args, *extra))
                self.assertEqual(code, 0, err)
                perf = json.loads(out)["performance"]
                self.assertEqual(perf["layout"]["expert_parallel"], bool(extra))
                last = perf["benchmark_fit"]["rows"][-1]
                self.assertEqual((last["concurrency"], last["layout"]),
                                 (128, "TP 8 + EP" if extra else "TP 8"))
                point = next(p for p in perf["curve"] if p["sessions_per_replica"] == 128)
                self.assertAlmostEqual(point["tpot_ms"], last["tpot_ms_predicted"], delta=0.005)
                points[bool(extra)] = last["tpot_ms_default"]
        # and the two replicas differ: split experts exchange tokens (dispatch and combine)
        # where replicated ones all-reduce
        self.assertGreater(abs(points[True] - points[False]), 0.02)

    def test_runs_served_with_data_parallel_attention_are_fitted_per_rank(self):
        # With --data-parallel-attention a replica is one attention rank of the node's 8: a
        # run of 256 sessions gives each rank 256 / 8 = 32, so the plan's point at 32 sessions
        # per replica is the fit's prediction for that run, which the table still shows as
        # the run of 256 it was. vLLM spells the same layout --data-parallel-size 8
        # --enable-expert-parallel (its DP ranks of an MoE are attention ranks, the experts
        # split over all of them), so the flags that spell it that way time the runs alike.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "moe.csv")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("concurrency,input_tokens,output_tokens,ttft_ms,tpot_ms\n"
                             "64,1024,256,60,4.0\n256,1024,256,90,5.5\n1024,1024,256,200,9.0\n")
            for layout in (["--engine", "sglang", "--data-parallel-attention"],
                           ["--engine", "vllm", "--tensor-parallel", "1", "--data-parallel",
                            "8", "--expert-parallel"]):
                code, out, err = run_main(fixture_args(
                    "--model", "perf-moe", "--server", "perf-h100", "--concurrency", "5000",
                    "--input-tokens", "1024", "--output-tokens", "256", *layout,
                    "--calibrate-from-benchmark", path, "--format", "json"))
                self.assertEqual(code, 0, err)
                perf = json.loads(out)["performance"]
                self.assertEqual(perf["layout"]["data_parallel"], 8)
                rows = {r["concurrency"]: r for r in perf["benchmark_fit"]["rows"]}
                self.assertEqual(sorted(rows), [64, 256, 1024])
                self.assertEqual({r["layout"] for r in rows.values()}, {"TP 1 x DP 8 + EP"})
                point = next(p for p in perf["curve"] if p["sessions_per_replica"] == 256 // 8)
                self.assertAlmostEqual(point["tpot_ms"], rows[256]["tpot_ms_predicted"],
                                       delta=0.005)
                self.assertNotIn("benchmark_workload_mismatch",
                                 {a["code"] for a in json.loads(out)["alerts"]})

    def test_two_spellings_of_data_parallel_attention_give_one_plan(self):
        # vLLM's --data-parallel-size 8 --enable-expert-parallel of a mixture of experts is the
        # layout --data-parallel-attention names (eight attention ranks, experts split over
        # them), and SGLang runs experts split over its --dp-size ranks only with
        # --enable-dp-attention: same engine view (SGLang's default mem_fraction_static
        # reserves for the ranks' CUDA graphs), same replica, same curve, and the band
        # measured on such runs, 22.9% / 54.7% (dp_attention_runs.csv, README
        # "Performance"), not the expert-parallel one.
        for engine in ("vllm", "sglang"):
            documents = []
            for layout in (["--data-parallel-attention"],
                           ["--tensor-parallel", "1", "--data-parallel", "8",
                            "--expert-parallel"]):
                code, out, err = run_main(["--model", "qwen3-235b-a22b", "--server", "dgx-b200",
                                           "--concurrency", "1000", "--effective-context",
                                           "16k", "--engine", engine, *layout,
                                           "--format", "json"])
                self.assertEqual(code, 0, err)
                document = json.loads(out)
                documents.append({key: document[key]
                                  for key in ("engine", "scenarios", "performance")})
            with self.subTest(engine=engine):
                self.assertEqual(documents[0]["performance"]["error_band_expected"]["basis"],
                                 "data_parallel_attention")
                self.assertEqual(documents[0], documents[1])

    def test_efficiency_flags_keep_the_defaults_band_and_say_so(self):
        # Llama-3.1-70B is a fitted model: the vLLM band, 9.2% / 21.4% (README "Performance")
        for flags, basis in (([], "engine"), (["--bandwidth-efficiency", "0.8"], "flag"),
                             (["--compute-efficiency", "0.5"], "flag")):
            code, out, err = run_main(["--model", "llama-3.1-70b", "--server", "dgx-h100",
                                       "--concurrency", "100", "--effective-context", "8k",
                                       "--format", "json", *flags])
            self.assertEqual(code, 0, err)
            self.assertEqual(json.loads(out)["performance"]["error_band_expected"],
                             {"tpot_median": 0.092, "ttft_median": 0.214, "basis": basis})

    @staticmethod
    def made_up_runs(requests, **step):
        """Runs of Llama-3.1-8B on one H100 made with chosen TTFT constants (a prefill ratio of
        1.2, 8 decode steps of scheduling wait; TensorRT-LLM's step constants, or those `step`
        names, and its queue load), each of `requests` requests (None: 10 x concurrency, the
        default burst)."""
        truth = sizing.ENGINE_PERF["trtllm"]._replace(ttft_prefill_ratio=1.2,
                                                      ttft_wait_steps=8.0, **step)
        rows = []
        for sessions, prompt, output in ((4, 1024, 256), (16, 1024, 256), (64, 1024, 256),
                                         (8, 2048, 512), (32, 2048, 512), (128, 2048, 512)):
            row = sizing.BenchRow(sessions, prompt, output, 0.0, 0.0, 1, requests)
            p = sizing.perf_point(llama8b_replica(1, prompt + output, "trtllm"), truth,
                                  sessions, prompt, output, 0, sizing.bench_burst_share(row))
            rows.append(row._replace(ttft_ms=p.ttft_ms, tpot_ms=p.tpot_ms))
        return tuple(rows)

    @staticmethod
    def calibrate(rows):
        return sizing.calibrate_performance(
            fixture("model", "perf-8b"), fixture("server", "perf-h100"), "bf16",
            sizing.EngineSettings(engine="trtllm"), tuple(rows), "made-up runs").constants

    def test_the_engines_ttft_constants_are_fitted(self):
        # Runs made with chosen TTFT constants (a prefill ratio of 1.2, 8 decode steps of
        # scheduling wait; TensorRT-LLM's step constants and queue load) must give them back:
        # the calibration fits the constants the defaults were fitted on, the wait among them
        # (a fit of the handling time and the prefill ratio, as before, cannot move it), and
        # holds the rest.
        fit = self.calibrate(self.made_up_runs(None))
        self.assertAlmostEqual(fit.ttft_prefill_ratio, 1.2, delta=0.024)
        self.assertAlmostEqual(fit.ttft_wait_steps, 8.0, delta=0.16)
        self.assertEqual((fit.ttft_load_ratio, fit.ttft_fixed_s), (1.0, 0.0))
        self.assertEqual(sizing.TTFT_FITTED, ("ttft_prefill_ratio", "ttft_wait_steps"))

    def test_the_efficiencies_are_fitted(self):
        # Runs made at a bandwidth efficiency of 0.63 and a compute efficiency of 0.45 (the
        # defaults' 0.9 and 0.676: an engine that reads and multiplies slower) must give both
        # back, and the TTFT constants with them: the fit of the step constants (TPOT) comes
        # first, and the TTFT fit times the prompts' steps with what it found.
        fit = self.calibrate(self.made_up_runs(None, bandwidth_efficiency=0.63,
                                               compute_efficiency=0.45))
        self.assertAlmostEqual(fit.bandwidth_efficiency, 0.63, delta=0.0063)
        self.assertAlmostEqual(fit.compute_efficiency, 0.45, delta=0.0045)
        self.assertAlmostEqual(fit.ttft_prefill_ratio, 1.2, delta=0.012)
        self.assertAlmostEqual(fit.ttft_wait_steps, 8.0, delta=0.08)

    def test_a_calibration_times_each_runs_own_opening_burst(self):
        # The same made-up runs, measured as `vllm bench serve` does by default: 1,000
        # requests at every concurrency, so a burst of 4 / 1,000 to 128 / 1,000 of them (not a
        # tenth). Given each run's count (JSON `completed`, a CSV's `requests` column) the fit
        # gives the constants back; taken as a tenth, it cannot.
        rows = self.made_up_runs(1000)
        fits = [self.calibrate(runs) for runs in (rows, [r._replace(requests=None) for r in rows])]
        self.assertAlmostEqual(fits[0].ttft_prefill_ratio, 1.2, delta=0.024)
        self.assertAlmostEqual(fits[0].ttft_wait_steps, 8.0, delta=0.16)
        self.assertGreater(abs(fits[1].ttft_prefill_ratio / 1.2 - 1), 0.05)
        # a CSV says it in a `requests` (or `num_prompts`) column
        table = sizing.parse_benchmark("concurrency,isl,osl,ttft_ms,tpot_ms,num_prompts\n"
                                       "64,1024,256,300,20,1000\n", "runs.csv")
        self.assertEqual(sizing.bench_burst_share(table[0]), 0.064)

    def test_a_benchmark_of_another_layout_or_workload_is_flagged(self):
        # The fixture's 12 runs are all at TP 1, prompts of 1,024 to 4,096 tokens and outputs
        # of 128 to 512. A plan at TP 1 serving 2,048 + 512 has runs at its layout within 2x of
        # both lengths; at TP 2 it has none.
        def alerts(*extra):
            code, out, err = run_main(fixture_args(
                "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
                "--engine", "trtllm", "--calibrate-from-benchmark", str(self.CSV),
                "--format", "json", *extra))
            self.assertEqual(code, 0, err)
            return {a["code"]: a["values"] for a in json.loads(out)["alerts"]}

        self.assertNotIn("benchmark_workload_mismatch", alerts(
            "--tensor-parallel", "1", "--input-tokens", "2048", "--output-tokens", "512"))
        self.assertEqual(alerts("--tensor-parallel", "2", "--input-tokens", "2048",
                                "--output-tokens", "512")["benchmark_workload_mismatch"],
                         {"source": str(self.CSV), "layout": "TP 2", "prompt": 2048,
                          "output": 512, "benchmark_layouts": "TP 1",
                          "benchmark_prompts": "1,024-4,096", "benchmark_outputs": "128-512"})
        # the lengths' side (8,193-token prompts at TP 1) and the experts' (a plan whose
        # experts are split, or whose attention runs on 8 ranks) are benchmark_alerts' doctest

    def test_a_handling_time_whose_default_is_zero_is_still_fitted(self):
        # The defaults hold ttft_fixed_s at 0; a benchmark whose every first token comes 50 ms
        # after what the model gives must still fit it (a fit scales constants in log space,
        # so it starts such a one from FIT_START_IF_ZERO).
        r = llama8b_replica()
        base = ROUND._replace(ttft_fixed_s=0.0)
        samples = []
        for sessions, prompt in ((1, 1024), (4, 2048), (16, 512)):
            p = sizing.perf_point(r, base, sessions, prompt, 256)
            samples.append((r, sizing.BenchRow(sessions, prompt, 256, p.ttft_ms + 50, p.tpot_ms)))
        fitted = sizing.fit_constants(samples, base, ("ttft_fixed_s",), "ttft")
        self.assertAlmostEqual(fitted.ttft_fixed_s, 0.050, delta=0.001)

    def assert_output_refused(self, benchmark, output, said):
        """A run calibrated on `benchmark` may not write `output`: exit 2, nothing printed."""
        code, out, err = run_main(fixture_args(
            "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "5",
            "--effective-context", "4096", "--calibrate-from-benchmark", benchmark,
            "--output-json-file", output))
        self.assertEqual((code, out), (2, ""))
        self.assertIn(said, err)

    def test_the_table_is_an_input_no_output_may_overwrite(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "b.csv")
            shutil.copy(self.CSV, path)
            self.assert_output_refused(path, path, "is the benchmark table, an input of this run")
            with open(path, encoding="utf-8") as copy, open(self.CSV, encoding="utf-8") as kept:
                self.assertEqual(copy.read(), kept.read())

    def test_a_benchmark_clients_saved_runs_read_as_the_table(self):
        # The .jsonl fixture is the CSV's 12 runs as vLLM's saved results (totals over 10 x
        # concurrency requests, TP as --metadata tp=1 writes it: "1"): the same rows, each with
        # its count of requests (`completed`), which the CSV leaves to the default of 10 x
        # concurrency, so the same opening bursts, the same fit and the same plan.
        jsonl = self.CSV.with_suffix(".jsonl")
        self.assertEqual(sizing.read_benchmark(str(jsonl)),
                         tuple(r._replace(requests=10 * r.concurrency)
                               for r in sizing.read_benchmark(str(self.CSV))))
        docs = []
        for path in (self.CSV, jsonl):
            code, out, err = run_main(fixture_args(
                "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "500",
                "--input-tokens", "2048", "--output-tokens", "512", "--engine", "trtllm",
                "--calibrate-from-benchmark", str(path), "--format", "json"))
            self.assertEqual(code, 0, err)
            perf = json.loads(out)["performance"]
            docs.append((perf["constants"], perf["benchmark_fit"]["rows"],
                         json.loads(out)["scenarios"]["recommended"]["results"]))
        self.assertEqual(docs[0], docs[1])
        # one object, as `vllm bench serve --save-result` writes a file: 2,560 prompt tokens
        # over 10 requests are 256 each
        run = {"max_concurrency": 4, "completed": 10, "total_input_tokens": 2560,
               "total_output_tokens": 1280, "mean_ttft_ms": 90.5, "mean_tpot_ms": 7.25}
        self.assertEqual(sizing.parse_benchmark(json.dumps(run, indent=2), "r.json"),
                         (sizing.BenchRow(4, 256, 128, 90.5, 7.25, None, 10),))

    def test_a_directory_of_saved_results_reads_as_the_table(self):
        # vLLM's --save-result writes one file per run into --result-dir: the 12 runs as 12
        # .json files (plus a file that is no result) read back to the table's rows, in name
        # order; an output may not overwrite one of them; a directory without any is refused.
        table = tuple(r._replace(requests=10 * r.concurrency)      # as the JSON lines count
                      for r in sizing.read_benchmark(str(self.CSV)))
        lines = self.CSV.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()
        with tempfile.TemporaryDirectory() as tmp:
            for i, line in enumerate(lines):
                with open(os.path.join(tmp, f"run{i:02d}.json"), "w", encoding="utf-8") as f:
                    json.dump(json.loads(line), f, indent=2)
            with open(os.path.join(tmp, "notes.txt"), "w", encoding="utf-8") as f:
                f.write("not a result")
            self.assertEqual(sizing.read_benchmark(tmp), table)
            self.assert_output_refused(tmp, os.path.join(tmp, "run00.json"),
                                       "is a benchmark result, an input of this run")
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaises(sizing.CatalogError) as caught:
                sizing.read_benchmark(empty)
            self.assertIn("no .json or .jsonl benchmark result", str(caught.exception))

    def test_a_benchmark_of_more_runs_than_the_limit_is_refused_in_one_line(self):
        # MAX_BENCH_ROWS bounds the fit's work, in a file or in a directory's files together;
        # lowered to 11 here, the table's 12 runs are one too many either way, and 11 pass.
        lines = self.CSV.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 12)
        saved, sizing.MAX_BENCH_ROWS = sizing.MAX_BENCH_ROWS, 11
        try:
            with tempfile.TemporaryDirectory() as tmp:
                for i, chunk in enumerate((lines[:6], lines[6:])):
                    with open(os.path.join(tmp, f"part{i}.jsonl"), "w",
                              encoding="utf-8") as f:
                        f.write("\n".join(chunk) + "\n")
                for path in (str(self.CSV), str(self.CSV.with_suffix(".jsonl")), tmp):
                    with self.assertRaises(sizing.CatalogError) as caught:
                        sizing.read_benchmark(path)
                    self.assertEqual(str(caught.exception),
                                     f"{path}: has more than 11 measured runs")
                os.remove(os.path.join(tmp, "part1.jsonl"))
                with open(os.path.join(tmp, "part1.jsonl"), "w", encoding="utf-8") as f:
                    f.write("\n".join(lines[6:11]) + "\n")
                self.assertEqual(len(sizing.read_benchmark(tmp)), 11)
        finally:
            sizing.MAX_BENCH_ROWS = saved

    def test_a_saved_run_the_reader_cannot_use_is_refused_in_one_line(self):
        run = {"max_concurrency": 8, "completed": 80, "total_input_tokens": 81920,
               "total_output_tokens": 20480, "mean_ttft_ms": 318.0, "mean_tpot_ms": 7.5}
        for change, message in (
                ({"max_concurrency": None}, "r.json: run 1: has no max_concurrency"),
                ({"max_concurrency": True}, "r.json: run 1: max_concurrency True is not a"),
                ({"max_concurrency": 8.5}, "r.json: run 1: max_concurrency 8.5 is not a"),
                ({"completed": 0}, "r.json: run 1: completed 0 must be positive"),
                ({"mean_ttft_ms": float("nan")}, "r.json: run 1: mean_ttft_ms nan must be"),
                ({"tp": "eight"}, "r.json: run 1: tp 'eight' is not a number"),
                ({"total_input_tokens": "x"},
                 "r.json: run 1: total_input_tokens / completed 'x' is not a number")):
            with self.subTest(change=change):
                with self.assertRaises(sizing.CatalogError) as caught:
                    sizing.parse_benchmark(json.dumps({**run, **change}), "r.json")
                self.assertIn(message, str(caught.exception))
        for text, message in (("[1]", "run 1: is not a JSON object"), ("[]", "no measured run"),
                              (json.dumps(run) + "\n{bad", "line 2: is not JSON")):
            with self.assertRaises(sizing.CatalogError) as caught:
                sizing.parse_benchmark(text, "r.json")
            self.assertIn(message, str(caught.exception))

    def test_a_table_without_its_columns_is_refused(self):
        with open(self.CSV, encoding="utf-8") as handle:
            text = handle.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "b.csv")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text.replace("tpot_ms", "latency"))
            code, out, err = run_main(fixture_args(
                "--model", "perf-8b", "--server", "perf-h100", "--concurrency", "5",
                "--effective-context", "4096", "--calibrate-from-benchmark", path))
        self.assertEqual((code, out), (1, ""))
        self.assertIn("b.csv: no tpot_ms column", err)


class ErrorBandTest(unittest.TestCase):
    """The error the README and the reports state is what the shipped constants give on the
    measured runs they were not fitted to (the `test` third of the fixture)."""

    @classmethod
    def setUpClass(cls):
        from tests import perf_fit
        cls.fit = perf_fit
        cls.samples = perf_fit.load()

    @classmethod
    def wheel(cls):
        """The newer export's runs (wheel_runs.csv), loaded once for the tests that read them."""
        if not hasattr(cls, "_wheel"):
            cls._wheel = cls.fit.load(cls.fit.WHEEL)
        return cls._wheel

    def band(self, rows, target):
        errors = self.fit.errors(rows, lambda row: sizing.ENGINE_PERF[row["engine"]], target)
        return self.fit.band(errors)

    def assert_readme_rows(self, rows):
        """Each README "Performance" table row (label: runs) states the shipped constants'
        median and 90th percentile of TPOT, then TTFT, on its runs."""
        for label, runs in rows.items():
            figures = (*self.band(runs, "tpot"), *self.band(runs, "ttft"))
            assert_says(self, "README.md",
                        f"| {label} | " + " | ".join(f"{x:.1%}" for x in figures) + " |")

    def test_first_tokens_keep_no_trend_with_the_sessions(self):
        # The opening burst (BENCHMARK_BURST_SHARE) is what made first tokens grow with the
        # sessions faster than a queue of random arrivals: with it, vLLM's InferenceX runs
        # (ids 2026_..., whose protocol sends 10 x concurrency requests) come out unbiased at
        # few and at many sessions alike (README "Performance": 1.03, 0.97 and 1.01 times the
        # measured at up to 8, 9 to 32 and 33 to 128 sessions, where the fitted queue load and
        # a prefill ratio of 2.3 gave 1.30 and 0.77 at the ends)
        ratios = {"up to 8": [], "9 to 32": [], "33 to 128": []}
        for row, (replica, bench) in self.samples:
            if row["engine"] != "vllm" or not row["id"].startswith("2026_") \
                    or bench.concurrency > 128:
                continue
            bucket = "up to 8" if bench.concurrency <= 8 else \
                "9 to 32" if bench.concurrency <= 32 else "33 to 128"
            p = sizing.perf_point(replica, sizing.ENGINE_PERF["vllm"], bench.concurrency,
                                  bench.input_tokens, bench.output_tokens)
            ratios[bucket].append(p.ttft_ms / bench.ttft_ms)
        medians = [statistics.median(r) for r in ratios.values()]
        self.assertEqual([len(r) for r in ratios.values()], [55, 68, 41])
        for median in medians:
            self.assertLess(abs(median - 1), 0.10)
        assert_says(self, "README.md", "runs then come out " + ", ".join(
            f"{m:.2f}" for m in medians[:2]) + f" and {medians[2]:.2f} times the measured")

    def test_each_measurement_counts_once_and_speculative_runs_only_for_ttft(self):
        # tests/fixtures/perf/SOURCES.md: a measurement exported under two ids is kept once
        # (it would count twice, or sit in both the fitted and the held-out third), 5 runs
        # whose sessions queued are left out (713 of the 718 distinct runs remain), and the
        # runs InferenceX served from its MTP image (TRT-LLM 1.2.0rc6.post3, DeepSeek-R1 on
        # B200: 21 runs) are marked, so their TPOT, a step's drafted tokens and all, stays out
        # of the fit and of every TPOT error while their TTFT counts
        rows = [row for row, _ in self.samples]
        point_keys = ("model", "server", "engine", "weight_precision", "input_tokens",
                      "output_tokens", "concurrency", "tensor_parallel", "expert_parallel")
        point = lambda row: tuple(row[k] for k in point_keys)  # noqa: E731
        measured = [point(row) + (row["ttft_ms"], row["tpot_ms"]) for row in rows]
        self.assertEqual(len(set(measured)), len(rows))
        self.assertEqual(len(rows), 713)
        # and every run kept whose sessions its KV pool holds decoded them at once: its first
        # token came within its whole decode (output tokens x TPOT; at most 0.7 of it here),
        # where the 5 left out, held as well, waited 3.8-4.3 times theirs (runs beyond their
        # pool queue by design, as the model times them: up to 6.6 times)
        late = max(bench.ttft_ms / (bench.output_tokens * bench.tpot_ms)
                   for _, (replica, bench) in self.samples
                   if bench.concurrency <= replica.capacity)
        self.assertLess(late, 0.7)
        mtp_image = [row["id"] for row in rows
                     if (row["model"], row["server"], row["engine"], row["engine_version"])
                     == ("deepseek-v3", "dgx-b200", "trtllm", "1.2.0rc6.post3")]
        self.assertEqual(sorted(row["id"] for row in rows if row["speculative"] == "mtp"),
                         sorted(mtp_image))
        self.assertEqual(len(mtp_image), 21)
        self.assertEqual({row["speculative"] for row in rows}, {"", "mtp"})
        spec = [s for s in self.samples if s[0]["speculative"]]
        constants = lambda row: sizing.ENGINE_PERF[row["engine"]]  # noqa: E731
        self.assertEqual((len(self.fit.errors(spec, constants, "tpot")),
                          len(self.fit.errors(spec, constants, "ttft"))), (0, 21))
        # where InferenceX ran a point both ways, the MTP run's TPOT over the other's: what the
        # speculative_speed_not_modelled alert and SOURCES.md quote
        plain = {point(row): float(row["tpot_ms"]) for row in rows if not row["speculative"]}
        ratios = sorted(float(row["tpot_ms"]) / plain[point(row)] for row in rows
                        if row["speculative"] and point(row) in plain)
        self.assertEqual(len(ratios), 11)
        quoted = f"{ratios[0]:.2f}-{ratios[-1]:.2f}"
        self.assertEqual(quoted, "0.47-0.70")
        doc = run_json(self, ["--model", "deepseek-v3", "--server", "dgx-b200", "--concurrency",
                              "10", "--effective-context", "8k", "--speculative", "mtp",
                              "--format", "json"])
        alert, = (a for a in doc["alerts"] if a["code"] == "speculative_speed_not_modelled")
        self.assertIn(f"TPOT {quoted} times the same points without it", alert["message"])
        assert_says(self, "tests/fixtures/perf/SOURCES.md", f"(11 points) their TPOT is {quoted}")

    def test_held_out_runs_are_within_the_stated_band(self):
        test = [s for s in self.samples if s[0]["split"] == "test"]
        self.assertGreater(len(test), 200)
        tpot, ttft = self.band(test, "tpot"), self.band(test, "ttft")
        band = sizing.ERROR_BAND
        self.assertLessEqual(tpot[0], band["tpot_median"] + 5e-4)
        self.assertLessEqual(tpot[1], band["tpot_p90"] + 5e-4)
        self.assertLessEqual(ttft[0], band["ttft_median"] + 5e-4)
        self.assertLessEqual(ttft[1], band["ttft_p90"] + 5e-4)
        # the issue's targets: median TPOT within 15% and TTFT within 30% (held out, 11.3% and
        # 28.5%; on models left out of the fit TTFT is 31.1%: README "Performance")
        self.assertLessEqual(tpot[0], 0.15)
        self.assertLessEqual(ttft[0], 0.30)

    def test_the_readme_table_states_the_band(self):
        # README "Performance" tabulates the error (median and 90th percentile of TPOT, then
        # TTFT): each held-out row must be what the shipped constants give on those runs; the
        # models-left-out row needs a refit per model (tests/perf_fit.py), so its medians are
        # checked against ERROR_BAND, which records them
        test = [s for s in self.samples if s[0]["split"] == "test"]
        rows = {
            "held-out third (232 runs)": test,
            "tensor parallelism only, held-out (221)":
                [s for s in test if s[0]["expert_parallel"] == "0"],
            "expert parallelism, all 30 (19 were fitted)":
                [s for s in self.samples if s[0]["expert_parallel"] == "1"],
            **{f"held-out {name} runs ({runs})": [s for s in test if s[0]["engine"] == engine]
               for engine, name, runs in (("vllm", "vLLM", 66), ("sglang", "SGLang", 43),
                                          ("trtllm", "TRT-LLM", 123))}}
        self.assert_readme_rows(rows)
        band = sizing.ERROR_BAND
        pattern = re.escape(f"| each model left out of the fit in turn (713) | "
                            f"{band['tpot_median_unseen_model']:.1%} | ") + r"[\d.]+% \| " \
            + re.escape(f"{band['ttft_median_unseen_model']:.1%} |")
        self.assertTrue(re.search(pattern, guide("README.md")),
                        f"README.md does not match: {pattern}")
        pattern = re.escape(f"| of which the two mixtures of experts (309) | "
                            f"{band['tpot_median_unseen_moe_model']:.1%} | ") + r"[\d.]+% \| " \
            + re.escape(f"{band['ttft_median_unseen_moe_model']:.1%} |")
        self.assertTrue(re.search(pattern, guide("README.md")),
                        f"README.md does not match: {pattern}")
        # the calibration's row needs a fit per left-out run (tests/perf_fit.py,
        # calibration_sweeps): its medians are those ERROR_BAND records and the reports quote
        pattern = re.escape(f"| calibrated on the rest of its sweep | "
                            f"{band['tpot_median_calibrated']:.1%} | ") + r"[\d.]+% \| " \
            + re.escape(f"{band['ttft_median_calibrated']:.1%} |")
        self.assertTrue(re.search(pattern, guide("README.md")),
                        f"README.md does not match: {pattern}")
        # the mixtures' row is a share of the left-out runs: 153 DeepSeek-V3 and 156
        # gpt-oss-120b runs of the 713, the other 404 dense
        counts = {}
        for row, (replica, _) in self.samples:
            kind = "mixture-of-experts" if replica.experts else "dense"
            counts[kind] = counts.get(kind, 0) + 1
        self.assertEqual(counts, {"mixture-of-experts": 153 + 156, "dense": 404})

    def test_a_lone_session_waits_for_no_scheduler_on_gb200(self):
        # aiconfigurator measured TRT-LLM 1.3 serving Qwen3-32B (bf16) on GB200 at TP 2, not
        # fitted (tests/fixtures/perf/gb200_runs.csv): first tokens after 103 and 143 ms at one
        # session (2,000 and 4,000 prompt tokens), after 226 and 310 ms at two. The fitted
        # scheduling wait (16.7 decode steps) applies only behind another session's steps, as
        # does the opening burst: the second session adds 123 and 167 ms measured, and the
        # model's wait and burst must come within 30% of that (charged at one session too,
        # the wait would add nothing from one session to two).
        gb200 = self.fit.load(self.fit.GB200)
        lone = [s for s in gb200 if s[0]["model"] == "qwen3-32b"
                and s[0]["tensor_parallel"] == "2" and s[1][1].concurrency <= 2]
        self.assertEqual(sorted((b.concurrency, b.input_tokens, round(b.ttft_ms))
                                for _, (_, b) in lone),
                         [(1, 2000, 103), (1, 4000, 143), (2, 2000, 226), (2, 4000, 310)])
        model = {}
        for row, (replica, bench) in lone:
            c = sizing.ENGINE_PERF[row["engine"]]
            model[bench.concurrency, bench.input_tokens] = sizing.perf_point(
                replica, c, bench.concurrency, bench.input_tokens, bench.output_tokens).ttft_ms
        for prompt, added in ((2000, 226 - 103), (4000, 310 - 143)):
            self.assertLess(abs((model[2, prompt] - model[1, prompt]) / added - 1), 0.30)
        # A lone session's own prefill is where the model falls short on GB200 (README)
        assert_says(self, "README.md", f"at one session {model[1, 2000]:.0f} and "
                                       f"{model[1, 4000]:.0f} ms against 103 and 143")
        # README "Performance" states the error on all eight runs
        tpot, ttft = self.band(gb200, "tpot"), self.band(gb200, "ttft")
        assert_says(self, "README.md", f"On the eight: TPOT median {tpot[0]:.1%}, p90 "
                                       f"{tpot[1]:.1%}; TTFT median {ttft[0]:.1%}, p90 "
                                       f"{ttft[1]:.1%}.")

    def test_runs_of_models_the_fit_has_not_seen_give_the_stated_band(self):
        # The newer export's runs (tests/fixtures/perf/wheel_runs.csv, none fitted): five
        # models no fitted run has, all mixtures of experts, whose median error is the band a
        # report on such a mixture quotes (ERROR_BAND *_newer_moe_models, expected_error), and
        # the README's rows, recomputed here from the shipped constants
        wheel = self.wheel()
        fitted = {model for model, _ in sizing.FITTED_RUNS}
        new = [s for s in wheel if s[0]["model"] not in fitted]
        self.assertEqual({row["model"] for row, _ in new}, set(self.fit.WHEEL_NEW_MODELS))
        self.assertTrue(all(replica.experts for _, (replica, _) in new))
        band = sizing.ERROR_BAND
        self.assertEqual((round(self.band(new, "tpot")[0], 3), round(self.band(new, "ttft")[0], 3)),
                         (band["tpot_median_newer_moe_models"],
                          band["ttft_median_newer_moe_models"]))
        rows = {"newer runs, five mixtures of experts the fit has not seen (1,019; none fitted)":
                new, "newer runs of the fitted models (973; none fitted)":
                [s for s in wheel if s[0]["model"] in fitted],
                **{f"of which on {name} ({runs})": [s for s in new if s[0]["engine"] == engine]
                   for engine, name, runs in (("vllm", "vLLM", 544), ("sglang", "SGLang", 348),
                                              ("trtllm", "TRT-LLM", 127))}}
        self.assert_readme_rows(rows)
        # and each of those models on each engine: what a report on it quotes (CHECKED_RUNS)
        checked = {}
        for key in {(row["model"], row["engine"]) for row, _ in new}:
            runs = [s for s in new if (s[0]["model"], s[0]["engine"]) == key]
            checked[key] = (round(self.band(runs, "tpot")[0], 3),
                            round(self.band(runs, "ttft")[0], 3), len(runs))
        self.assertEqual(checked, sizing.CHECKED_RUNS)
        ttft = {name: self.band([s for s in new if s[0]["model"] == name], "ttft")[0]
                for name in self.fit.WHEEL_NEW_MODELS}
        assert_says(self, "README.md", "By model: MiniMax-M2.5 {:.1%}, Kimi-K2.5 {:.1%}, "
                    "Qwen3.5-397B-A17B {:.1%}, Qwen3-235B-A22B {:.1%}, GLM-5 {:.1%}.".format(
                        *(ttft[n] for n in ("minimax-m2.5", "kimi-k2.5", "qwen3.5-397b-a17b",
                                            "qwen3-235b-a22b", "glm-5.1"))))

    def test_layer_kinds_no_fitted_run_has_meet_the_runs_the_report_quotes(self):
        # RUN_CHECKS: each is the median error of the shipped constants on the newer export's
        # runs of a model with that kind (GLM-5, timed as glm-5.1, and Qwen3.5-397B-A17B), and
        # no fitted model has the kind
        wheel = self.wheel()
        names = {"GLM-5": "glm-5.1", "Qwen3.5-397B-A17B": "qwen3.5-397b-a17b"}
        models = {m.name: m for m in shipped_catalogs().models}
        for check in sizing.RUN_CHECKS:
            runs = [s for s in wheel if s[0]["model"] == names[check.model]]
            self.assertEqual({row["engine"] for row, _ in runs}, {check.engine})
            self.assertIn(check.layer_kind,
                          {g.kind for g in models[names[check.model]].layer_groups})
            self.assertNotIn(check.layer_kind, sizing.MEASURED_LAYER_KINDS)
            self.assertEqual((len(runs), round(self.band(runs, "tpot")[0], 3),
                              round(self.band(runs, "ttft")[0], 3)),
                             (check.runs, check.tpot_median, check.ttft_median), check.model)

    def test_each_engines_held_out_runs_are_within_their_stated_band(self):
        test = [s for s in self.samples if s[0]["split"] == "test"]
        for engine, (tpot, ttft, runs) in sizing.ENGINE_ERROR_BAND.items():
            rows = [s for s in test if s[0]["engine"] == engine]
            self.assertEqual(len(rows), runs, engine)
            self.assertLessEqual(self.band(rows, "tpot")[0], tpot + 5e-4, engine)
            self.assertLessEqual(self.band(rows, "ttft")[0], ttft + 5e-4, engine)

    def test_expert_parallel_runs_are_within_their_stated_band(self):
        rows = [s for s in self.samples if s[0]["expert_parallel"] == "1"]
        band = sizing.ERROR_BAND
        self.assertLessEqual(self.band(rows, "tpot")[0], band["tpot_median_expert_parallel"]
                             + 5e-4)
        self.assertLessEqual(self.band(rows, "ttft")[0], band["ttft_median_expert_parallel"]
                             + 5e-4)

    def test_the_executive_report_quotes_the_band_that_applies_to_its_model(self):
        # FITTED_RUNS are the models and engines of the fitted runs; the executive report
        # quotes the engine's held-out band for them and, for any other pair, per metric the
        # larger of that and the left-out band of its kind (README "Performance"): vLLM 9.2% /
        # 21.4%, SGLang 9.8% / 66.5%; left out 11.6% / 28.0%, mixtures of experts 14.0% /
        # 28.3%, and for a mixture also the newer runs of five mixtures no fitted run has,
        # 12.8% / 32.0%; a model with such runs of its own on the engine, what they measured
        # (CHECKED_RUNS: Qwen3-235B-A22B's 51 on vLLM, TPOT 37.0%). DeepSeek-V3 was fitted on
        # SGLang and TRT-LLM runs, not vLLM's.
        self.assertEqual(sizing.FITTED_RUNS, {(row["model"], row["engine"])
                                              for row, _ in self.samples})
        # A layout of its own has its own band, the larger figures winning: expert
        # parallelism 24.1% / 38.2%, attention data parallelism 21.1% / 49.4% (16 runs, none
        # fitted). Unpinned, the layout search gives both mixtures attention data
        # parallelism on vLLM here; TP 8 alone keeps the mixtures' band.
        tp8 = ("--tensor-parallel", "8")
        for model, engine, extra, phrase in (
                ("llama-3.1-70b", "vllm", (), "typical error 9.2% on time per token, 21.4% on "
                                              "time to first token)"),
                ("mixtral-8x7b", "vllm", tp8, "typical error 14% on time per token, 32% "
                                              "on time to first token, for a mixture of "
                                              "experts the fit has not seen on this engine)"),
                ("qwen3-235b-a22b", "vllm", tp8, "typical error 37% on time per token, 32% "
                                                 "on time to first token, for a model the fit "
                                                 "has not seen on this engine, as its own runs "
                                                 "on it measured)"),
                ("deepseek-v3", "vllm", tp8, "typical error 14% on time per token, 32% on "
                                             "time to first token, for a mixture of experts "
                                             "the fit has not seen on this engine)"),
                ("deepseek-v3", "vllm", (), "typical error 21.1% on time per token, 49.4% on "
                                            "time to first token, for a layout with attention "
                                            "data parallelism)"),
                ("deepseek-v3", "sglang", tp8 + ("--expert-parallel",),
                 "typical error 24.1% on time per token, 66.5% on time to first token, for a "
                 "layout with expert parallelism)"),
                ("mistral-7b-v0.1", "vllm", (), "typical error 11.6% on time per token, 28% "
                                                "on time to first token, for a model the fit "
                                                "has not seen on this engine)"),
                ("mistral-7b-v0.1", "sglang", (), "typical error 11.6% on time per token, 66.5% "
                                                  "on time to first token, for a model the fit "
                                                  "has not seen on this engine)")):
            args = ["--model", model, "--server", "dgx-h200", "--concurrency", "100",
                    "--effective-context", "8k", "--engine", engine, *extra]
            status, out, err = run_main(args + ["--format", "text", "--executive-report"])
            self.assertEqual(status, 0, err)
            self.assertIn(phrase, " ".join(out.split()), (model, engine))
            status, out, err = run_main(args + ["--format", "json"])
            expected = json.loads(out)["performance"]["error_band_expected"]
            # (percentages at most one decimal, trailing zeros dropped: 0.150 is "15%")
            tpot, ttft = (sizing.fmt_pct(expected[k]) for k in ("tpot_median", "ttft_median"))
            self.assertTrue(phrase.startswith(
                f"typical error {tpot} on time per token, {ttft} on time"), (model, engine))
            # the technical report's "expected error" row leads with the same figures
            status, out, err = run_main(args + ["--format", "text"])
            self.assertIn(f"expected error for {model}, TPOT {tpot} and TTFT {ttft} at the median",
                          " ".join(out.split()), (model, engine))

    def test_a_mixture_of_experts_report_quotes_the_mixtures_band(self):
        # The fit's two mixtures of experts, each left out in turn, are off 14.0% on TPOT and
        # 28.3% on TTFT at the median (README "Performance"), against 11.6% and 28.0% over all
        # five models: a report on a mixture says so; one on a dense model does not.
        clause = {"en": "(mixture-of-experts models: TPOT 14%, TTFT 28.3%)",
                  "pt-BR": "(modelos de mistura de experts: TPOT 14%, TTFT 28,3%)"}
        for model, moe in (("gpt-oss-120b", True), ("qwen3-235b-a22b", True),
                           ("llama-3.1-70b", False)):
            for lang in ("en", "pt-BR"):
                status, out, err = run_main(["--model", model, "--server", "dgx-h200",
                                             "--concurrency", "100", "--effective-context",
                                             "8k", "--format", "text", "--lang", lang])
                self.assertEqual(status, 0, err)
                self.assertEqual(clause[lang] in " ".join(out.split()), moe, (model, lang))

    def test_trtllm_published_throughput_is_within_the_readmes_band(self):
        # README "Performance": TensorRT-LLM's performance overview (185 runs of the catalog's
        # models on H100, H200, B200 and GB200, not fitted), each replica full as trtllm-bench
        # keeps it: median 22%, 90th percentile 47%, predicted / published 1.02 (geometric
        # mean: the model is about 2% too fast at full load).
        rows = self.fit.load_throughput()
        self.assertEqual(len(rows), 185)
        ratios = self.fit.throughput_ratios(rows, sizing.ENGINE_PERF["trtllm"])
        median, p90 = self.fit.band([abs(r - 1) for r in ratios])
        self.assertLessEqual(median, 0.2185)
        self.assertLessEqual(p90, 0.485)
        mean = math.exp(statistics.mean(math.log(r) for r in ratios))
        self.assertTrue(0.98 < mean < 1.06, mean)
        # and the README's table states these figures, overall and per model
        groups = {"all": list(zip(rows, ratios))}
        for (row, _), ratio in zip(rows, ratios):
            groups.setdefault(row["doc_model"], []).append((row, ratio))
        for label, members in groups.items():
            errors = self.fit.band([abs(r - 1) for _, r in members])
            geometric = math.exp(statistics.mean(math.log(r) for _, r in members))
            assert_says(self, "README.md", f"| {label} ({len(members)}) | {errors[0]:.1%} | "
                                           f"{errors[1]:.1%} | {geometric:.2f} |")
        # by the sessions a full replica holds: the ranges beyond the 512 the measured runs
        # reach (their largest concurrency) are what speed_beyond_measured quotes
        bands = self.fit.full_load_bands(rows, ratios)
        self.assertEqual(tuple((bound, round(mean, 2), round(median, 3), count)
                               for bound, mean, median, count in bands[2:]),
                         sizing.FULL_LOAD_CHECK)
        self.assertEqual(bands[1][0], sizing.MEASURED_SESSIONS_PER_REPLICA)
        self.assertEqual(sum(band[3] for band in bands), 185)
        means = [f"{mean:.2f}" for _, mean, _, _ in bands]
        errors = [f"{median:.1%}" for _, _, median, _ in bands[2:]]
        assert_says(self, "README.md", f"{means[0]} up to 256, {means[1]} up to 512 (the most "
                                       f"the measured runs had), {means[2]} up to 1,024, "
                                       f"{means[3]} up to 2,048 and {means[4]} beyond, off "
                                       f"{errors[0]}, {errors[1]} and {errors[2]} at the median")

    def test_gpt_fast_batch_one_on_a100_is_within_the_readmes_band(self):
        # README "Performance": gpt-fast's batch-1 decode on A100 80GB (gpt-fast README, not
        # fitted; no fitted run used an A100). Llama-2-7B at TP 1 by hand: the weights but the
        # input embedding, (6,738,415,616 - 32,000 x 4,096) x 2 B = 13,214,687,232 B, over
        # 2,039 GB/s x 0.9: 7.201 ms; 32 layers x 10 kernels x 5.38 us = 1.722 ms; one session
        # 28.0 us; its KV, 32 layers x 32 heads x 256 x 2 B = 524,288 B per token x 105 tokens
        # (5 prompt + half of 200 output) = 0.030 ms. And its 5 prompt tokens per 200 output: a
        # share 5 / 200 / 8,192 of steps carries an 8,192-token chunk, whose GEMMs (2 x
        # 6,607,343,616 FLOPs a token but the LM head's 2 x 32,000 x 4,096) at 312 TFLOPS x
        # 0.676 take 0.503 s in place of the weights' read: 0.002 ms. 8.982 ms against the
        # 9.53 measured.
        rows = self.fit.load_batch_one()
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0][1].dense_bytes, 13_214_687_232)
        weights = 13_214_687_232 / (2.039e12 * 0.9)
        chunk = 8192 * (13_214_687_232 - 2 * 32_000 * 4096) / (312e12 * 0.676)
        by_hand = weights + 32 * 10 * 5.38e-6 + 28.0e-6 + 524_288 * 105 / (2.039e12 * 0.9) \
            + 5 / 200 / 8192 * (chunk - weights)
        ratios = self.fit.batch_one_ratios(rows, sizing.ENGINE_PERF["vllm"])
        self.assertAlmostEqual(ratios[0] * 9.53, by_hand * 1000, delta=0.001)
        for (row, _), ratio in zip(rows, ratios):
            with self.subTest(row["id"]):
                self.assertLessEqual(abs(ratio - 1), 0.11)
                measured = float(row["tpot_ms"])
                assert_says(self, "README.md", f"TP {row['tensor_parallel']} | "
                                               f"{row['tpot_ms']} ms | {measured * ratio:.2f} ms"
                                               f" | {ratio - 1:+.1%} |")

    def test_vllm_forward_passes_on_b300_are_within_the_readmes_band(self):
        # README "Performance", checked step by step: NVIDIA Dynamo's forward-pass metrics of
        # vLLM 0.20.1 serving Qwen3-32B in bf16 on B300 (fpm_qwen3_32b_b300.csv, SOURCES.md;
        # not fitted). TP 1's first decode step (counter 1070: one session at 4,096 cached
        # tokens) by hand: the weights but the input embedding, (32,800,000,000 - 151,936 x
        # 5,120) x 2 B = 64,044,175,360 B, and the session's KV, 64 layers x 8 heads x 128 x 2
        # x 2 B = 262,144 B a token x 4,096 = 1,073,741,824 B, over 8 TB/s x 0.9: 9.044 ms
        # (one token's GEMMs, 0.04 ms, hide behind it); 64 layers x 10 kernels x 5.38 us =
        # 3.443 ms; 28 us for the session; attention, 4 FLOPs x 64 heads x 128 x 64 layers x
        # 4,096 tokens = 8,589,934,592 FLOPs at 2,250 TFLOPS x 0.676: 0.006 ms. 12.521 ms
        # against the 14.252 measured.
        passes = self.fit.load_forward_passes()
        self.assertEqual(len(passes), 131)
        ratios = self.fit.forward_pass_ratios(passes, sizing.ENGINE_PERF["vllm"])
        first = passes[12][0]
        self.assertEqual((first["tensor_parallel"], first["counter_id"]), ("1", "1070"))
        by_hand = (64_044_175_360 + 262_144 * 4096) / (8e12 * 0.9) + 64 * 10 * 5.38e-6 \
            + 28.0e-6 + 8_589_934_592 / (2.25e15 * 0.676)
        self.assertAlmostEqual(ratios[12] * 14.252, by_hand * 1000, delta=0.001)
        self.assert_forward_pass_rows("Qwen3-32B", passes, ratios, (
            ("decode", "decode (83: 1 to 14 sessions at 4,096 cached tokens)"),
            ("context", "prompt (48: 128 or 1,024 tokens, none decoding)")))
        decode = [abs(ratio - 1) for (row, _), ratio in zip(passes, ratios)
                  if row["phase"] == "decode"]
        self.assertLessEqual(self.fit.band(decode)[0], 0.10)    # the held-out TPOT's 9.8%
        # Qwen3.6-35B-A3B at TP 1, as the catalog's qwen3.5-35b-a3b (its shapes), where the
        # model is off both ways: decode steps slow, a 1,024-token prompt's step fast
        passes = self.fit.load_forward_passes(self.fit.FORWARD_PASSES_MOE, "qwen3.5-35b-a3b")
        self.assertEqual(len(passes), 33)
        ratios = self.fit.forward_pass_ratios(passes, sizing.ENGINE_PERF["vllm"])
        self.assert_forward_pass_rows("Qwen3.6-35B-A3B", passes, ratios, (
            ("decode", "decode (21: 1 to 11 sessions at 4,096 cached tokens)"),
            ("context", "prompt (12: 128 or 1,024 tokens, none decoding)")))
        # the report of a Gated DeltaNet model quotes these medians (STEP_CHECKS); the
        # release and GPU are SOURCES.md's
        medians = [round(statistics.median(ratio for (row, _), ratio in zip(passes, ratios)
                                           if row["phase"] == phase), 2)
                   for phase in ("decode", "context")]
        self.assertEqual(sizing.STEP_CHECKS, (sizing.StepCheck(
            "linear_attention", "Qwen3.6-35B-A3B", "vllm", "0.20.1", "B300", *medians),))

    def assert_forward_pass_rows(self, model, passes, ratios, phases):
        """README's table row for each phase: the median ratio at each TP the steps ran (else
        "-"), and the median and 90th-percentile error over its steps (as many as it says)."""
        for phase, label in phases:
            mine = [(int(row["tensor_parallel"]), ratio)
                    for (row, _), ratio in zip(passes, ratios) if row["phase"] == phase]
            self.assertEqual(len(mine), int(label.split("(")[1].split(":")[0]))
            median, p90 = self.fit.band([abs(ratio - 1) for _, ratio in mine])
            by_tp = [f"{statistics.median(r for at, r in mine if at == tp):.2f}"
                     if any(at == tp for at, _ in mine) else "-" for tp in (1, 2, 4, 8)]
            assert_says(self, "README.md", f"| {model} {label} | " + " | ".join(by_tp)
                        + f" | {median:.1%} | {p90:.1%} |")

    def test_data_parallel_attention_runs_are_within_the_readmes_band(self):
        # README "Known limits": on the 16 runs with attention data parallelism (not fitted),
        # TPOT over the 12 without speculative decoding (SOURCES.md): median 23%, 90th
        # percentile 34%, mean ratio within 5% (no bias).
        rows = self.fit.load_dp_attention()
        self.assertEqual(len(rows), 16)
        median, p90 = self.band(rows, "tpot")
        self.assertLessEqual(median, 0.235)
        self.assertLessEqual(p90, 0.345)
        plain = [(row, (r, b)) for row, (r, b) in rows if not row["speculative"]]
        self.assertEqual(len(plain), 12)
        logs = [math.log(sizing.perf_point(r, sizing.ENGINE_PERF[row["engine"]], b.concurrency,
                                           b.input_tokens, b.output_tokens).tpot_ms
                         / b.tpot_ms) for row, (r, b) in plain]
        self.assertLess(abs(statistics.mean(logs)), 0.05)


class CostTest(unittest.TestCase):
    """Issue 14: every money, power and space figure is README "Cost" applied to cost.inputs
    and the scenario's nodes, worked out here by hand."""

    ARGS = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
            "--effective-context", "128k", "--format", "json", "--node-price-usd", "500000",
            "--years", "4", "--energy-usd-per-kwh", "0.12", "--pue", "1.3",
            "--average-power-ratio", "0.6", "--hosting-usd-per-kw-month", "100"]

    def test_every_figure_is_its_formula(self):
        status, out, err = run_main(self.ARGS)
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        cost = doc["cost"]
        # DGX B300: 14.5 kW maximum, 10U (NVIDIA DGX B300 user guide)
        self.assertEqual(cost["inputs"]["node_power_kw"], 14.5)
        self.assertEqual(cost["inputs_from"]["node_power_kw"], "catalog")
        self.assertEqual(cost["inputs_from"]["pue"], "flag")
        tokens = cost["output_tokens_per_second"]
        for key, nodes in (("minimum", 2), ("recommended", 3), ("ideal", 5)):
            c = doc["scenarios"][key]["cost"]
            with self.subTest(key):
                self.assertEqual(doc["scenarios"][key]["results"]["nodes_final"], nodes)
                self.assertEqual(c["capex_usd"], nodes * 500000)
                self.assertAlmostEqual(c["facility_power_kw"], nodes * 14.5 * 1.3, places=3)
                self.assertEqual(c["rack_units"], nodes * 10)
                self.assertAlmostEqual(c["heat_btu_per_hour"], nodes * 14.5 * 3412.14,
                                       places=1)
                energy = nodes * 14.5 * 0.6 * 1.3 * 8760 / 1000       # MWh per year
                self.assertAlmostEqual(c["energy_mwh_per_year"], energy, places=3)
                opex = energy * 1000 * 0.12 + nodes * 14.5 * 1.3 * 100 * 12
                self.assertAlmostEqual(c["opex_usd_per_year"], opex, places=1)
                tco = nodes * 500000 + 4 * opex
                self.assertAlmostEqual(c["tco_usd"], tco, places=0)
                self.assertAlmostEqual(c["usd_per_session_month"], tco / 1000 / 48, places=3)
                self.assertAlmostEqual(c["usd_per_million_output_tokens"],
                                       tco / (tokens * 4 * 8760 * 3600) * 1e6, places=3)
        # 3 nodes: capex 1.5 M; opex 3 x 14.5 x 0.6 x 1.3 x 8,760 = 297,226.8 kWh x 0.12 +
        # 56.55 kW x 100 x 12 = 35,667.22 + 67,860 = 103,527.22 USD a year; TCO 1.5 M + 4 x it
        self.assertAlmostEqual(doc["scenarios"]["recommended"]["cost"]["tco_usd"],
                               1_914_108.88, places=1)
        self.assertAlmostEqual(doc["scenarios"]["ideal"]["cost"]["tco_vs_minimum_usd"],
                               doc["scenarios"]["ideal"]["cost"]["tco_usd"]
                               - doc["scenarios"]["minimum"]["cost"]["tco_usd"], places=1)
        # the executive summary's "IDEAL costs ... more": 5 - 3 nodes = 1 M of capex and
        # 2 x 4 years x 103,527.22 / 3 of opex per node: 1,000,000 + 276,072.59 = 1,276,072.59
        self.assertAlmostEqual(doc["scenarios"]["ideal"]["cost"]["tco_vs_recommended_usd"],
                               1_276_072.59, places=1)
        self.assertEqual(doc["scenarios"]["recommended"]["cost"]["tco_vs_recommended_usd"], 0)

    def test_renting_the_same_gpus_is_its_formula(self):
        # README "Cost": rent per year = nodes x GPUs per node x rate x 8,760 h; over the
        # horizon, per session-month and per million output tokens as the TCO's; rent vs TCO
        # = rent - TCO. At 2.50 USD per GPU-hour over 4 years, RECOMMENDED's 3 x 8 GPUs:
        # 24 x 2.5 x 8,760 = 525,600 a year, 2,102,400 over 4, 188,291.12 above the TCO of
        # 1,914,108.88 worked out above.
        status, out, err = run_main(self.ARGS + ["--gpu-hour-usd", "2.5"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        self.assertEqual((doc["cost"]["inputs"]["gpu_hour_usd"],
                          doc["cost"]["inputs_from"]["gpu_hour_usd"],
                          doc["cost"]["inputs"]["node_gpus"]), (2.5, "flag", 8))
        self.assertIsNone(doc["cost"]["rental_date"])        # a flag has no date
        tokens = doc["cost"]["output_tokens_per_second"]
        for key, nodes in (("minimum", 2), ("recommended", 3), ("ideal", 5)):
            c = doc["scenarios"][key]["cost"]
            with self.subTest(key):
                year = nodes * 8 * 2.5 * 8760
                self.assertAlmostEqual(c["rent_usd_per_year"], year, places=2)
                self.assertAlmostEqual(c["rent_usd"], 4 * year, places=2)
                self.assertAlmostEqual(c["rent_usd_per_session_month"], 4 * year / 1000 / 48,
                                       places=3)
                self.assertAlmostEqual(c["rent_usd_per_million_output_tokens"],
                                       4 * year / (tokens * 4 * 8760 * 3600) * 1e6, places=3)
                self.assertAlmostEqual(c["rent_vs_tco_usd"], 4 * year - c["tco_usd"], places=1)
                self.assertAlmostEqual(c["break_even_years"], c["capex_usd"]
                                       / (year - c["opex_usd_per_year"]), places=3)
        rec = doc["scenarios"]["recommended"]["cost"]
        self.assertEqual(rec["rent_usd"], 2_102_400)
        self.assertAlmostEqual(rec["rent_vs_tco_usd"], 188_291.12, places=1)
        # owning pays back when the rent saved covers the capex: 1,500,000 / (525,600 -
        # 103,527.22 of opex) = 3.554 years
        self.assertEqual(rec["break_even_years"], 3.554)
        # the executive summary says it after the TCO; the plan's first lines do not, a TCO
        # being there
        out = self.text("--executive-report", "--gpu-hour-usd", "2.5")
        self.assertIn("Renting the same GPUs would cost USD 2.1 M over 4 years, at USD 2.50 "
                      "per GPU-hour. Owning pays back against renting after 3.6 years.",
                      " ".join(out.split("\n\n")[2].split()))
        self.assertNotIn("Renting the same GPUs", "\n".join(self.text().splitlines()[:8]))

    def test_the_catalogs_rental_hint_and_its_absence(self):
        # DGX B300 carries SemiAnalysis's 3-year committed rental for B300, USD 3.48 per
        # GPU-hour (July 2026, the team's hardware_power_price.csv), and no node price: the
        # worked example's money is what renting its RECOMMENDED 24 GPUs costs,
        # 24 x 3.48 x 8,760 x 3 years = 2,194,905.60 USD.
        args = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
                "--effective-context", "128k"]
        status, out, err = run_main(args + ["--format", "json"])
        doc = json.loads(out)
        self.assertEqual((doc["cost"]["inputs"]["gpu_hour_usd"],
                          doc["cost"]["inputs_from"]["gpu_hour_usd"],
                          doc["cost"]["rental_date"]), (3.48, "catalog", "2026-07"))
        self.assertIn("SemiAnalysis", doc["cost"]["rental_source"])
        rec = doc["scenarios"]["recommended"]["cost"]
        self.assertAlmostEqual(rec["rent_usd"], 2_194_905.60, places=2)
        self.assertIsNone(rec["rent_vs_tco_usd"])            # no TCO without a node price
        for lang, phrase in (("en", "Renting the same GPUs would cost USD 2.2 M over 3 years, "
                                    "at USD 3.48 per GPU-hour."),
                             ("pt-BR", "Alugar as mesmas GPUs custaria US$ 2,2 mi em 3 anos, "
                                       "a US$ 3,48 por GPU-hora.")):
            status, out, err = run_main(args + ["--format", "text", "--lang", lang])
            self.assertIn(phrase, " ".join(out.split()[:120]), lang)
        # the executive appendix charts the rent per scenario, in millions: 16, 24 and 40 GPUs x
        # 3.48 x 26,280 h = 1.46, 2.19, 3.66; with a node price of 500,000 the TCO are the bars
        # (1,000,000 + 3 x 104,974.20 = 1.31; 1,500,000 + 3 x 157,461.30 = 1.97; 2,500,000 +
        # 3 x 262,435.50 = 3.29) and the rent a line over them
        out = run_main(args + ["--format", "text", "--executive-report"])[1]
        self.assertIn("    bar [1.46, 2.19, 3.66]", out.splitlines())
        out = run_main(args + ["--format", "text", "--executive-report",
                               "--node-price-usd", "500000"])[1].splitlines()
        self.assertEqual(out[out.index("    bar [1.31, 1.97, 3.29]") + 1],
                         "    line [1.46, 2.19, 3.66]")
        # a server without a rental hint says how to give one, and sizes as before
        args[3] = "hgx-h20"
        status, out, err = run_main(args)                     # text, then the JSON
        self.assertEqual(status, 0, err)
        self.assertIn("No GPU-hour rental rate for hgx-h20 in the catalog: give --gpu-hour-usd",
                      " ".join(out.split()))
        self.assertIsNone(last_json(out)["scenarios"]["recommended"]["cost"]["rent_usd"])

    def text(self, *extra):
        args = [a for a in self.ARGS if a not in ("--format", "json")]
        return run_main(args + ["--format", "text", *extra])[1]

    def test_the_executive_summary_states_capex_and_tco(self):
        out = self.text("--executive-report")
        first = out.split("\n\n")[2]                # title, heading, then the paragraph
        self.assertIn("Capex USD 1.5 M; TCO USD 1.9 M over 4 years", first)
        self.assertIn("per million output tokens", first)

    def test_other_currencies_and_portuguese_money(self):
        status, out, _ = run_main(self.ARGS + ["--currency", "BRL", "--usd-rate", "5"])
        doc = json.loads(out)
        rec = doc["scenarios"]["recommended"]["cost"]
        self.assertEqual(rec["capex_usd"], 1500000)
        self.assertEqual(rec["converted"], {**rec["converted"], "currency": "BRL",
                                            "capex": 7500000.0})
        out = self.text("--executive-report", "--lang", "pt-BR", "--currency", "BRL",
                        "--usd-rate", "5")
        self.assertIn("Capex R$ 7,5 mi; TCO R$ 9,6 mi em 4 anos", out)

    def test_no_price_still_sizes_and_says_how_to_add_one(self):
        args = ["--model", "gpt-oss-120b", "--server", "dgx-h200", "--concurrency", "1000",
                "--effective-context", "128k"]
        status, out, _ = run_main(args)
        self.assertEqual(status, 0)
        self.assertIn("No price for dgx-h200 in the catalog: give --node-price-usd", out)
        doc = last_json(out)
        self.assertIsNone(doc["scenarios"]["recommended"]["cost"]["tco_usd"])
        self.assertIsNotNone(doc["scenarios"]["recommended"]["cost"]["energy_mwh_per_year"])
        for extra in (["--currency", "BRL"], ["--pue", "0.9"], ["--years", "0"]):
            with self.subTest(extra=extra):
                status, out, err = run_main(args + extra)
                self.assertEqual((status, out), (2, ""))


if __name__ == "__main__":
    unittest.main()
