"""Engine mode: per-GPU weights, tensor parallelism, what vLLM / SGLang / TRT-LLM allocate,
and calibration from start-up logs.

Logged numbers come from tests/fixtures/engine_cases_public.csv (the team's copy of public
vLLM / SGLang logs, each row citing its source). H100 memory is 79.18 GiB as CUDA reports it
(the llm-d runs); vLLM 0.11's KV memory is 0.9 x 79.18 = 71.262 GiB minus weights, activation
peak and non-torch memory. The tool's activation estimate is its profile run, where on an H100
the sampler's 1,024 sequences x vocabulary x 38.9 bytes outweigh the forward pass: 4.758 GiB for
Llama 3 (128,256), 5.637 GiB for Qwen3 (151,936), 7.460 GiB for gpt-oss-20b (201,088);
non-torch 0.13 GiB at TP 1, 0.55 GiB above.
"""

import csv
import json
import os
import re
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace

import sizing
from tests.helpers import (FIXTURES, REPO, assert_refused, assert_says, fixture, fixture_args,
                           last_json, run_json, run_main, shipped_catalogs, workload)

GIB = 2**30


catalogs = shipped_catalogs


def shipped(kind, name):
    c = catalogs()
    entries = {"model": c.models, "server": c.servers}[kind]
    return sizing.find_entry(entries, name, kind, "catalog")


def capacity(model, context, tp=None, precision="bf16", **settings):
    return sizing.engine_capacity(model, shipped("server", "dgx-h100"), context, precision,
                                  sizing.EngineSettings(tensor_parallel=tp, **settings))


def cases():
    with open(FIXTURES / "engine_cases_public.csv", newline="", encoding="utf-8") as f:
        return {row["case_id"]: row for row in csv.DictReader(f)}


class IssueExamplesTest(unittest.TestCase):
    def test_llama_8b_on_one_h100(self):
        # 8.03e9 params x 2 B = 16.06e9 B = 14.957 GiB (C05 logged 14.99)
        e = capacity(shipped("model", "llama-3.1-8b"), 16000, tp=1, kv_cache_memory_gib=51.38)
        self.assertEqual(e.weights_per_gpu_bytes, 16_060_000_000)
        self.assertAlmostEqual(e.weights_per_gpu_bytes / GIB, 14.96, places=2)
        # 32 layers x 8 heads x 128 x 2 (K, V) x 2 B = 131,072 B per token per GPU;
        # 51.38 GiB = 55,168,468,889 B / (16 x 131,072) = 26,306.6 -> 26,306 blocks
        self.assertEqual(e.bytes_per_token_per_gpu, 131072)
        self.assertEqual((e.num_blocks, e.kv_capacity_tokens), (26306, 420896))
        # vLLM's "Maximum concurrency for 16,000 tokens": 26,306 / ceil(16,000 / 16) = 26.31
        self.assertAlmostEqual(e.max_concurrency, 26.306, places=3)

    def test_qwen3_32b_tp2_splits_kv_heads(self):
        # 8 KV heads / TP 2 = 4 per GPU: 64 layers x 4 x 128 x 2 x 2 B = 131,072 B/token/GPU
        e = capacity(shipped("model", "qwen3-32b"), 16000, tp=2)
        self.assertEqual(dict(e.kv_heads_per_gpu), {"full": 4})
        self.assertEqual(e.bytes_per_token_per_gpu, 131072)

    def test_qwen3_235b_tp4_and_tp8_keep_one_head(self):
        # 4 KV heads: TP 4 -> 1 per GPU; 94 x 1 x 128 x 2 x 2 B = 48,128 B/token/GPU. At TP 8
        # heads are replicated: still 1 per GPU, still 48,128, and the report warns.
        model = shipped("model", "qwen3-235b-a22b")
        for tp in (4, 8):
            e = capacity(model, 32768, tp=tp, weight_precision="fp8")
            self.assertEqual(e.bytes_per_token_per_gpu, 48128)
        report = sizing.size_all(model, shipped("server", "dgx-h100"), catalogs().storage[0],
                                 workload(concurrency=100, effective_context_tokens=32768,
                                          kv_precision="bf16"),
                                 sizing.EngineSettings(tensor_parallel=8,
                                                       weight_precision="fp8"))
        self.assertIn("kv_heads_replicated", [a.code for a in report.alerts])

    def test_mla_latent_is_replicated_on_every_rank(self):
        # DeepSeek-V3 at TP 8: 61 x 576 x 2 B = 70,272 B/token on EVERY GPU (not / 8)
        e = capacity(shipped("model", "deepseek-v3"), 8192, tp=8)
        self.assertEqual(e.bytes_per_token_per_gpu, 70272)


class PublicCasesTest(unittest.TestCase):
    """Every case of engine_cases_public.csv the catalog can express, predicted with no log and
    no --kv-cache-memory-gib (README "Engine mode": the per-case table)."""

    # case -> (catalog model, flags, context); Llama-3.3-70B-FP8 has Llama-3.1-70B's
    # architecture; C10 and C11 ran at the engines' defaults (vLLM utilization 0.9, SGLang
    # --mem-fraction-static 0.93 as logged) and Qwen3's 40,960-token context.
    RUNS = {
        "C01": ("gpt-oss-20b", {}, 16000),
        "C02": ("gpt-oss-120b", {}, 16000),
        "C03": ("llama-3.1-70b", {"weight_precision": "fp8"}, 16000),
        "C05": ("llama-3.1-8b", {}, 16000),
        "C06": ("qwen3-0.6b", {}, 16000),
        "C07": ("qwen3-32b", {}, 16000),
        "C08": ("qwen3-32b", {}, 16000),
        "C10": ("qwen3-235b-a22b", {"weight_precision": "fp8"}, 40960),
        "C11": ("qwen3-235b-a22b", {"weight_precision": "fp8", "engine": "sglang",
                                    "mem_fraction_static": 0.93}, 40960),
    }
    # Hand-worked predictions (GiB): KV = 71.262 - weights - activation - reserve, the
    # activation the sampler's 1,024 x vocabulary x 38.9 B: Llama 3 (128,256) 4.758 (logged
    # 4.76-4.84), Qwen3 (151,936) 5.637 (logged 5.56-5.64)
    # C03 ((70.55e9 - 2,101,346,304) x 1 B + 2,101,346,304 x 2 B) / 2 GPUs = 33.83
    #     (logged 33.88); KV 71.262 - 33.83 - 4.758 - 0.55 = 32.12 (logged 32.0)
    # C05 14.957 (14.99); KV 71.262 - 14.957 - 4.758 - 0.13 = 51.42 (51.38)
    # C06 0.6e9 x 2 B = 1.118 (1.12); KV 71.262 - 1.118 - 5.637 - 0.13 = 64.38 (64.45)
    # C07 32.8e9 x 2 B = 61.095 (61.03); KV 71.262 - 61.095 - 5.637 - 0.13 = 4.40 (4.45)
    # C08 30.547 (30.59); KV 71.262 - 30.547 - 5.637 - 0.55 = 34.53 (34.49)
    DENSE = ("C03", "C05", "C06", "C07", "C08")

    def model(self, name):
        if name == "qwen3-0.6b":
            return fixture("model", name)
        return shipped("model", name)

    def predicted(self, case):
        name, flags, context = self.RUNS[case]
        return capacity(self.model(name), context, tp=int(cases()[case]["tp"]), **flags)

    def test_dense_weights_and_kv_memory_within_1_percent(self):
        # KV within 1%, or within 0.07 GiB where the pool is small: C07's 4.45 GiB pool is
        # 0.05 GiB (1.1%) under, its predicted weights 0.065 GiB over the logged ones
        rows = cases()
        for case in self.DENSE:
            with self.subTest(case):
                e, row = self.predicted(case), rows[case]
                self.assertLessEqual(abs(e.weights_per_gpu_bytes / GIB
                                         / float(row["model_loading_gib"]) - 1), 0.03)
                logged = float(row["available_kv_gib"])
                self.assertLessEqual(abs(e.kv_memory_bytes / GIB - logged),
                                     max(0.01 * logged, 0.07))

    def test_kv_memory_band_over_every_case(self):
        # The issue's bands: median within 5%, 90th percentile within 15% of the logged KV
        # memory. Off most: C10 (+24%: vLLM with the LMCache connector; its report quotes the
        # KV lines only, so what else held 2 GiB per GPU is not known), then gpt-oss-120b (C02
        # -11%: its log implies a 3.4 GiB activation peak where gpt-oss-20b logged 7.38).
        rows = cases()
        errors = sorted(abs(self.predicted(c).kv_memory_bytes / GIB
                            / float(rows[c]["available_kv_gib"]) - 1) for c in self.RUNS)
        self.assertLessEqual(errors[len(errors) // 2], 0.05)
        self.assertLessEqual(errors[int(0.9 * (len(errors) - 1))], 0.15)
        self.assertLess(errors[-1], 0.25)

    def test_the_readme_table_states_these_predictions(self):
        # README "Engine mode" quotes each case's predicted weights, activation and KV memory
        # (GiB, two decimals) and the KV error against the log; they must be what the engine
        # view predicts here ("-" where the engine has no activation term: SGLang)
        readme = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
        rows = cases()
        for case in self.RUNS:
            e = self.predicted(case)
            cells = [c.strip() for c in next(
                line for line in readme if line.startswith(f"| {case} |")).strip("|").split("|")]
            kv = e.kv_memory_bytes / GIB
            with self.subTest(case):
                self.assertEqual(cells[2].split()[0], f"{e.weights_per_gpu_bytes / GIB:.2f}")
                if cells[3] != "-":
                    self.assertEqual(cells[3].split()[0], f"{e.activation_bytes / GIB:.2f}")
                self.assertEqual(cells[4].split()[0], f"{kv:.2f}")
                self.assertEqual(cells[5], f"{kv / float(rows[case]['available_kv_gib']) - 1:+.1%}")

    def test_sglang_budget_leaves_out_its_start_up(self):
        # C11: SGLang measures its budget after the CUDA context and NCCL start-up (1.54 GiB
        # with TP: the llm-d TP 2 run starts with 77.64 of 79.18 GiB free), so KV = 0.93 x
        # (79.18 - 1.54) GiB - weights; weights per GPU ((235.0e9 - 1,244,659,712) x 1 B +
        # 1,244,659,712 x 2 B) / 4 = 59,061,164,928 B;
        # 0.93 x 77.64 x 2^30 - 59,061,164,928 = 18,468,578,222 B = 17.20 GiB (logged 16.46)
        e = self.predicted("C11")
        self.assertEqual(e.weights_per_gpu_bytes, 59_061_164_928)
        self.assertEqual(e.reserve_bytes, sizing.gib_bytes(1.54))
        self.assertAlmostEqual(e.kv_memory_bytes / GIB, 0.93 * 77.64 - 59_061_164_928 / GIB,
                               places=6)
        self.assertAlmostEqual(e.kv_memory_bytes / GIB / 16.46 - 1, 0.045, places=3)

    def test_gpt_oss_weights_are_its_checkpoint(self):
        # gpt-oss-120b: active 5.13e9 (the card's, without the input embedding) + 201,088 x
        # 2,880 = 5.71e9; experts (116.83 - 5.71)e9 / (1 - 4/128) = 114,704,516,129 in MXFP4
        # (17/32 B: 4 bits + an 8-bit scale per 32) and the other 2,125,483,871 in bf16:
        # 60,936,774,193 + 4,250,967,742 = 65,187,741,935 B = 60.71 GiB (the card lists a
        # 60.8 GiB checkpoint; vLLM logged 64.38 GiB with its Hopper padding of the experts, C02).
        e = self.predicted("C02")
        self.assertEqual(e.weights_per_gpu_bytes, 65_187_741_935)
        self.assertGreater(e.kv_memory_bytes, 0)    # the engine served it; so does the tool

    def test_c04_does_not_fit_either_way(self):
        # Llama-3.3-70B-FP8 on ONE H100: logged -1.44 GiB ("No available memory for the cache
        # blocks"); predicted 71.262 - 67.71 - 4.758 - 0.13 = -1.33 GiB: no session fits.
        row = cases()["C04"]
        self.assertLess(float(row["available_kv_gib"]), 0)
        e = capacity(shipped("model", "llama-3.1-70b"), 16000, tp=1, weight_precision="fp8")
        self.assertLess(e.kv_memory_bytes, 0)
        self.assertFalse(e.fits)
        self.assertLessEqual(abs(e.weights_per_gpu_bytes / GIB / float(row["model_loading_gib"])
                                 - 1), 0.03)

    def test_token_capacity_from_logged_kv_memory(self):
        rows = cases()
        model = shipped("model", "qwen3-235b-a22b")
        # C11 (SGLang, page size 1): K + V = 8.23 + 8.23 GiB; 16.46 x 2^30 / 48,128 = 367,224
        # tokens; each logged size is rounded to 0.01 GiB, i.e. +-0.01 GiB = +-223 tokens.
        e = capacity(model, 40960, tp=4, weight_precision="fp8", engine="sglang",
                     kv_cache_memory_gib=float(rows["C11"]["available_kv_gib"]))
        self.assertEqual(e.kv_capacity_tokens, 367224)
        self.assertLessEqual(abs(e.kv_capacity_tokens - int(rows["C11"]["kv_cache_tokens"])),
                             223)
        # C10 (vLLM): 8.11 GiB / (16 x 48,128) = 11,308 blocks = 180,928 tokens; vLLM logged
        # 178,880 = 11,180 blocks. vLLM gives every TP rank the smallest rank's block count and
        # prints rank 0's memory, so the logged memory overstates the pool by 128 blocks (1.1%).
        e = capacity(model, 40960, tp=4, weight_precision="fp8",
                     kv_cache_memory_gib=float(rows["C10"]["available_kv_gib"]))
        self.assertEqual(e.kv_capacity_tokens, 180928)
        self.assertLessEqual(e.kv_capacity_tokens / int(rows["C10"]["kv_cache_tokens"]) - 1,
                             0.012)


class TrtllmProfileTest(unittest.TestCase):
    """TRT-LLM's PyTorch backend (_torch/pyexecutor/_util.py KvCacheCreator) runs prompts
    summing to max_num_tokens (8,192) that each generate one token, then sizes KV as
    free_gpu_memory_fraction x (total - peak), the peak counting weights, that pass's
    activations and everything outside torch on the device (CUDA context, NCCL)."""

    def test_qwen3_0_6b_on_one_h100(self):
        # A public write-up of TRT-LLM 1.2.1 on one "NVIDIA H100 80GB HBM3" (the team's code
        # index, document 66094399229: Qwen/Qwen3-Reranker-0.6B, Qwen3ForCausalLM, bf16, LLM
        # API defaults) logged "Allocated 68.69 GiB for max tokens in paged KV cache (643136)".
        # By hand: weights 0.6e9 x 2 B = 1.1176 GiB; activation 8,192 x 1,024 x 30 B =
        # 251,658,240 B = 0.2344 GiB; start-up 0.61 GiB; KV = 0.9 x (79.18 - 1.1176 - 0.2344
        # - 0.61) = 69.496 GiB (+1.2%); 28 layers x 8 heads x 128 x 2 x 2 B = 114,688 B per
        # token, whole 32-token blocks: 650,624 tokens (+1.2%). The vLLM-style activation
        # (1,024 sampled rows x vocabulary, 5.64 GiB) and 0.13 GiB gave 65.07 GiB (-5.3%).
        e = capacity(fixture("model", "qwen3-0.6b"), 40960, tp=1, engine="trtllm")
        self.assertEqual(e.activation_bytes, 8192 * 1024 * 30)
        self.assertEqual(e.reserve_bytes, sizing.gib_bytes(0.61))
        self.assertAlmostEqual(e.kv_memory_bytes / GIB, 0.9 * (79.18 - 1.2e9 / GIB - 0.61)
                               - 0.9 * 251_658_240 / GIB, places=6)
        self.assertEqual(e.bytes_per_token_per_gpu, 114_688)
        self.assertEqual(e.kv_capacity_tokens, e.kv_memory_bytes // (32 * 114_688) * 32)
        self.assertLess(abs(e.kv_memory_bytes / GIB / 68.69 - 1), 0.015)
        self.assertLess(abs(e.kv_capacity_tokens / 643_136 - 1), 0.015)

    def test_gpt_oss_120b_activation(self):
        # TRT-LLM 1.1.0rc3 serving openai/gpt-oss-120b (max_num_tokens 8,192; a public DGX
        # Spark log, the team's code index document 2263047771) logged "Memory dynamically
        # allocated during inference (inside torch) in memory usage profiling: 0.85 GiB". By
        # hand: 8,192 x 2,880 x 30 = 707,788,800 B, + fused-MoE caches floor(8,192 x 4 x 2,880
        # x 2 x 1.72) = 324,639,129 B: 0.9615 GiB (+13%); the sampler term vLLM adds would be
        # 1,024 x 201,088 x 38.9 B = 7.46 GiB.
        e = capacity(shipped("model", "gpt-oss-120b"), 16000, tp=1, engine="trtllm")
        self.assertEqual(e.activation_bytes, 707_788_800 + 324_639_129)
        self.assertLess(e.activation_bytes / GIB / 0.85 - 1, 0.15)

class ReservationTest(unittest.TestCase):
    def test_sliding_window_reserves_window_plus_batch(self):
        # gpt-oss-120b, bf16, TP 1, 131,072 tokens, 16-token blocks, 8,192 batched tokens:
        # per layer 2 x 8 x 64 x 2 B = 2,048 B/token. Full layers reserve 131,072 tokens;
        # sliding ones (ceil((128 - 1 + 8,192) / 16) + 1) x 16 = 8,336, not 128.
        e = capacity(shipped("model", "gpt-oss-120b"), 131072, tp=1, precision="bf16")
        self.assertEqual(e.request_bytes_per_gpu, 18 * 2048 * 131072 + 18 * 2048 * 8336)
        # a smaller batch budget reserves less: (ceil((127 + 512) / 16) + 1) x 16 = 656
        e = capacity(shipped("model", "gpt-oss-120b"), 131072, tp=1,
                     max_num_batched_tokens=512)
        self.assertEqual(e.request_bytes_per_gpu, 18 * 2048 * (131072 + 656))

    def test_sglang_gives_every_nemotron_nas_layer_kv_rows(self):
        # Llama-3.3-Nemotron-Super-49B at TP 8 in bf16: one of its 8 KV heads of 128 on each
        # GPU, 2 x 128 x 2 B = 512 B per layer and token. vLLM and TensorRT-LLM keep rows for
        # the 49 layers with attention, 49 x 512 = 25,088 B; SGLang for all 80
        # (num_attention_layers = num_hidden_layers), 80 x 512 = 40,960 B, so 50 GiB hold
        # 53,687,091,200 // 40,960 = 1,310,720 tokens: 40 sessions of 32,768
        model = shipped("model", "llama-3.3-nemotron-super-49b")
        e = {engine: capacity(model, 32768, tp=8, engine=engine, kv_cache_memory_gib=50)
             for engine in ("vllm", "sglang", "trtllm")}
        self.assertEqual({k: v.bytes_per_token_per_gpu for k, v in e.items()},
                         {"vllm": 25088, "sglang": 40960, "trtllm": 25088})
        self.assertEqual((e["sglang"].kv_capacity_tokens, e["sglang"].kv_sessions_per_replica),
                         (1310720, 40))

    def test_sglang_window_layers_follow_its_architecture_rule(self):
        # SGLang (model_runner_kv_cache_mixin.py set_num_tokens_hybrid_swa): gpt-oss is one of
        # its hybrid sliding-window architectures. fp8 at TP 2: per layer 4 KV heads x (64 +
        # 64) x 1 B = 512 B/token, so the 18 full layers take F = 9,216 B and the 18 sliding
        # ones W = 9,216 B. The window pool holds 0.8 x the full pool's tokens, so a token of
        # context costs F + 0.8 x W = 16,588.8 B; 100 GiB hold
        # floor(107,374,182,400 / 16,588.8) = 6,472,691 full-pool tokens (page 1) and a
        # 131,072-token request costs ceil(131,072 x 16,588.8) = 2,174,327,194 B: 49 sessions.
        gpt_oss = shipped("model", "gpt-oss-120b")
        e = capacity(gpt_oss, 131072, tp=2, precision="fp8", engine="sglang",
                     kv_cache_memory_gib=100)
        self.assertEqual(e.window_rule, "hybrid_pools")
        self.assertEqual(e.kv_capacity_tokens, 107374182400 * 10 // 165888)
        self.assertEqual(e.request_bytes_per_gpu, -(-131072 * 165888 // 10))
        self.assertEqual(e.kv_capacity_tokens, 6472691)
        self.assertEqual(e.kv_sessions_per_replica, 49)
        # SGLang's --swa-full-tokens-ratio 0.5: a token costs F + 0.5 x W = 13,824 B, so
        # floor(107,374,182,400 / 13,824) = 7,767,229 tokens and a request 131,072 x 13,824 =
        # 1,811,939,328 B: 59 sessions
        e = capacity(gpt_oss, 131072, tp=2, precision="fp8", engine="sglang",
                     kv_cache_memory_gib=100, swa_full_tokens_ratio=0.5)
        self.assertEqual((e.kv_capacity_tokens, e.request_bytes_per_gpu),
                         (7767229, 131072 * 13824))
        self.assertEqual(e.kv_sessions_per_replica, 59)
        # MiMo-V2.5 (MiMoV2ForCausalLM, hybrid sliding-window in SGLang's model_config.py
        # is_hybrid_swa_model) at TP 8, fp8: each GPU keeps one KV head of (192 + 128) B per
        # layer (4 full-layer KV heads, or 8 sliding-layer ones, over 8 ranks), so F = 9 x 320
        # = 2,880 B and W = 39 x 320 = 12,480 B; a token costs F + 0.8 x W = 12,864 B, 100
        # GiB hold floor(107,374,182,400 / 12,864) = 8,346,873 tokens and a 131,072-token
        # request 131,072 x 12,864 = 1,686,110,208 B: 63 sessions
        e = capacity(shipped("model", "mimo-v2.5"), 131072, tp=8, precision="fp8",
                     engine="sglang", kv_cache_memory_gib=100)
        self.assertEqual(e.window_rule, "hybrid_pools")
        self.assertEqual((e.kv_capacity_tokens, e.request_bytes_per_gpu),
                         (107374182400 * 10 // 128640, 131072 * 12864))
        self.assertEqual((e.kv_capacity_tokens, e.kv_sessions_per_replica), (8346873, 63))
        # The window pool at 0.8 holds 0.8 x 6,472,691 tokens where 49 sessions keep at most
        # 257 each (a 128-token window, a 1-token page, 128 tokens between evictions): the
        # alternative tries smaller ratios. At 0.01 a token costs 9,216 x 1.01 = 9,308.16 B,
        # so floor(107,374,182,400 / 9,308.16) = 11,535,489 tokens and ceil(131,072 x
        # 9,308.16) = 1,220,039,148 B a request: 88 sessions, whose 88 x 257 tokens and two
        # 8,192-token chunks (SGLang's on an 80 GB GPU, SGLANG_GPU_DEFAULTS) fit its 115,354
        # window tokens
        self.assertEqual((107374182400 * 100 // 930816,
                          -(-131072 * 930816 // 100)), (11535489, 1220039148))
        settings = sizing.with_batch_limits(sizing.EngineSettings(
            engine="sglang", tensor_parallel=2, kv_cache_memory_gib=100),
            shipped("server", "dgx-h100"))
        e = capacity(gpt_oss, 131072, tp=2, precision="fp8", engine="sglang",
                     kv_cache_memory_gib=100)
        alert, = sizing.sglang_window_pool_alternative(
            gpt_oss, shipped("server", "dgx-h100"), 131072, "fp8", settings, e)
        self.assertEqual(dict(alert.params), {
            "ratio": 0.8, "best_ratio": 0.01, "held": 49,
            "best_held": (11535489 * 930816 // 100) // 1220039148, "window": 257,
            "chunks": 2, "chunk": 8192, "flag": "--swa-full-tokens-ratio 0.01"})
        self.assertEqual(dict(alert.params)["best_held"], 88)
        # at 512 tokens a session may keep 257 of its 512 in the window pool: at 0.5 that
        # pool (0.5 x 107,374,182,400 / (9,216 x 1.5) tokens) falls short of the sessions'
        # 257 tokens each and two chunks, so only the default has room: no alert
        e = capacity(gpt_oss, 512, tp=2, precision="fp8", engine="sglang",
                     kv_cache_memory_gib=100)
        self.assertEqual(e.window_rule, "hybrid_pools")
        self.assertLess(0.5 * 107374182400 / (9216 * 1.5),
                        107374182400 / (512 * 9216 * 1.5) * 257 + 2 * 8192)
        self.assertEqual(sizing.sglang_window_pool_alternative(
            gpt_oss, shipped("server", "dgx-h100"), 512, "fp8", settings, e), [])
        # vLLM's rule on the same memory: 131,072 + (ceil((127 + 8,192) / 16) + 1) x 16 = 8,336
        # tokens of 9,216 B per group: 1,284,784,128 B, 83 sessions
        e = capacity(gpt_oss, 131072, tp=2, precision="fp8", kv_cache_memory_gib=100)
        self.assertEqual((e.window_rule, e.request_bytes_per_gpu), (None, 9216 * 139408))
        self.assertEqual(e.kv_sessions_per_replica, 107374182400 // (9216 * 139408))
        # Mistral 7B v0.1 (MistralForCausalLM) is not a hybrid-SWA architecture: SGLang keeps
        # all 32 layers' context, 32 x 8 x (128 + 128) x 2 B = 131,072 B/token, so a
        # 32,768-token request reserves 4,294,967,296 B (vLLM: window 4,095 + 8,192 batched,
        # (768 + 1) x 16 = 12,304 tokens): 10 sessions in 40 GiB against vLLM's 26
        mistral = shipped("model", "mistral-7b-v0.1")
        e = capacity(mistral, 32768, tp=1, engine="sglang", kv_cache_memory_gib=40)
        self.assertEqual((e.window_rule, e.request_bytes_per_gpu),
                         ("full_context", 32768 * 131072))
        self.assertEqual(e.kv_sessions_per_replica, 10)
        e = capacity(mistral, 32768, tp=1, kv_cache_memory_gib=40)
        self.assertEqual(e.request_bytes_per_gpu, 12304 * 131072)
        self.assertEqual(e.kv_sessions_per_replica, 40 * 2**30 // (12304 * 131072))
        # every rule the engine view can name has its sentence in each language
        for lang in sizing.LANGUAGES:
            self.assertEqual(set(sizing.STRINGS[lang]["engine"]["window_rule"]),
                             set(sizing.WINDOW_RULES), lang)
        # a catalog entry without its architecture is, like any class outside SGLang's list,
        # kept whole
        e = capacity(gpt_oss._replace(architecture=None), 131072, tp=2, precision="fp8",
                     engine="sglang", kv_cache_memory_gib=100)
        self.assertEqual(e.window_rule, "full_context")
        self.assertEqual(e.request_bytes_per_gpu, 131072 * 18432)

    def test_recurrent_state_splits_over_tp(self):
        # Qwen3-Next at TP 2: 12 full layers x 1 KV head (2 / 2) x 512 x 2 B = 12,288 B/token;
        # 36 linear layers x 1,097,728 B / 2 = 19,759,104 B of state per session per GPU
        e = capacity(shipped("model", "qwen3-next-80b-a3b"), 4096, tp=2)
        self.assertEqual(e.bytes_per_token_per_gpu, 12288)
        self.assertEqual(e.state_bytes_per_gpu, 36 * 1097728 // 2)
        # vLLM's hybrid page (engine_kv_accounting.md d): one layer's token is 1,024 B, its
        # state 548,864 B, so the block grows to 16 x ceil(548,864 / (16 x 1,024)) = 544
        # tokens and a page is 544 x 1,024 = 557,056 B. Groups of 12 layers (36 is not under
        # 1.5 x 12): 1 attention group, 3 state groups. A 4,096-token request takes
        # ceil(4,096 / 544) = 8 attention blocks + 3 state blocks, each 12 pages.
        self.assertEqual(e.block_size, 544)
        self.assertEqual(e.request_bytes_per_gpu, (8 + 3) * 557056 * 12)
        # SGLang has no shared page and keeps the temporal state in fp32: per layer the conv
        # state 3 x (2 x 16 x 128 + 32 x 128) x 2 B = 49,152 B plus 32 x 128 x 128 x 4 B =
        # 2,097,152 B, halved over TP 2: 38,633,472 B per request, in a pool of its own
        # (handle_max_mamba_cache): 0.9 / 1.9 of 10 GiB = 5,086,145,482 B hold 131 slots
        # (5,060,984,832 B); the 12 full layers' 12,288 B per token take the other
        # 5,676,433,408 B, 461,949 tokens, 112 requests of 4,096. With the radix cache on SGLang
        # runs one request per 3 slots: 131 // 3 = 43, under its default 2,048.
        e = capacity(shipped("model", "qwen3-next-80b-a3b"), 4096, tp=2, engine="sglang",
                     kv_cache_memory_gib=10)
        self.assertEqual(e.state_bytes_per_gpu, 36 * (49152 + 2097152) // 2)
        self.assertEqual(e.state_slots, 10 * 2**30 * 9 // (19 * 38633472))
        self.assertEqual(e.state_slots, 131)
        self.assertEqual(e.kv_capacity_tokens, (10 * 2**30 - 131 * 38633472) // 12288)
        self.assertEqual(e.request_bytes_per_gpu, 12288 * 4096)
        self.assertEqual((e.kv_sessions_per_replica, e.running_limit, e.sessions_per_replica),
                         (461949 // 4096, 131 // 3, 43))
        # SGLang's --mamba-full-memory-ratio 0.5: 0.5 / 1.5 of 10 GiB = 3,579,139,413 B hold
        # 92 slots (3,554,279,424 B), the tokens the other 7,183,138,816 B: 584,565; 30 run
        e = capacity(shipped("model", "qwen3-next-80b-a3b"), 4096, tp=2, engine="sglang",
                     kv_cache_memory_gib=10, mamba_full_memory_ratio=0.5)
        self.assertEqual((e.state_slots, e.kv_capacity_tokens, e.sessions_per_replica),
                         (92, 584565, 30))
        # --disable-radix-cache: a request runs per slot, 131, so the 112 requests the tokens
        # hold all run
        e = capacity(shipped("model", "qwen3-next-80b-a3b"), 4096, tp=2, engine="sglang",
                     kv_cache_memory_gib=10, radix_cache=False)
        self.assertEqual((e.running_limit, e.sessions_per_replica), (131, 112))
        # the engine view says so: 0.9 / 1.9 = 47.4% of the KV memory, 131 slots of
        # 38,633,472 B, a request per 3 slots (per slot without the radix cache)
        argv = ["--model", "qwen3-next-80b-a3b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "4096", "--engine", "sglang", "--tensor-parallel", "2",
                "--kv-cache-memory-gib", "10", "--format", "text"]
        said = "SGLang keeps the recurrent states apart: 47.4% of the KV memory in 131 slots " \
               "of 38,633,472 bytes, one request running per "
        for extra, running in (([], "3 slots"), (["--disable-radix-cache"],
                                                 "slot (radix cache off)")):
            out = " ".join(run_main(argv + extra)[1].split())
            self.assertIn(said + running, out)


class BudgetRulesTest(unittest.TestCase):
    """One made-up GPU per engine, so each rule can be followed by hand."""

    def engine(self, **settings):
        # tiny-full (bf16, 4 layers x 2 heads x 8 dims x 2 x 2 B = 256 B/token), 30e9 params
        # = 60e9 B of weights; a 100 GiB GPU; activation 5 GiB and reserve 1 GiB given.
        model = fixture("model", "tiny-full")
        server = sizing.Server("g", (), "", "", "", 8, 100, 800, "")
        return sizing.engine_capacity(model, server, 1024, "bf16", sizing.EngineSettings(
            tensor_parallel=2, activation_gib=5, runtime_reserve_gib=1, **settings))

    def test_vllm_sglang_and_trtllm(self):
        gpu = 100 * 10**9                   # vendor GB when the catalog has no CUDA figure
        weights = 30 * 10**9                # 60e9 B / TP 2
        act, res = 5 * GIB, GIB
        e = self.engine(engine="vllm", gpu_memory_utilization=0.9)
        self.assertEqual(e.kv_memory_bytes, 9 * gpu // 10 - weights - act - res)
        # SGLang (model_runner.py profile_max_num_token): free after loading - total x (1 -
        # mf), total measured after the start-up: 0.85 x (gpu - reserve) - weights
        e = self.engine(engine="sglang", mem_fraction_static=0.85)
        self.assertEqual(e.kv_memory_bytes, 85 * (gpu - res) // 100 - weights)
        e = self.engine(engine="trtllm", free_gpu_memory_fraction=0.9)
        self.assertEqual(e.kv_memory_bytes, 9 * (gpu - weights - act - res) // 10)
        self.assertEqual(e.block_size, 32)               # TRT-LLM's tokens per block

    def test_sglang_default_fraction(self):
        # SGLang server_args._handle_gpu_memory_settings: a 100e9 B GPU = 93.13 GiB (60-160
        # GiB, TP 2 < 4): chunked prefill 8,192, CUDA graphs up to batch 256; reserved =
        # max(512 + 8,192 x 1.5 + 256 x 2 + 2 / 8 x 1,024, 10 GiB) = 13,568 MiB; the fraction
        # rounded to 3 places: 1 - 13,568 x 2^20 / 100e9 = 0.85773 -> 0.858
        self.assertEqual(self.engine(engine="sglang").budget_share, 0.858)
        # a 44.42 GiB L40S at TP 1: chunked prefill 4,096, CUDA graphs 32, no 10 GiB floor:
        # 512 + 4,096 x 1.5 + 32 x 2 + 1 / 8 x 1,024 = 6,848 MiB; 1 - 6,848 / 45,486.08 =
        # 0.84945 -> 0.849
        self.assertEqual(float(sizing.sglang_mem_fraction_static(sizing.gib_bytes(44.42), 1, 1)),
                         0.849)

    def test_sglang_fraction_follows_a_given_chunked_prefill(self):
        # --chunked-prefill-size 32,768 on the same 100e9 B GPU at TP 2 (SGLang computes the
        # fraction from the chunk it was given): 512 + 32,768 x 1.5 + 256 x 2 + 2 / 8 x 1,024
        # = 50,432 MiB = 52,881,522,688 B; 1 - 0.528815 = 0.471185 -> 0.471
        e = self.engine(engine="sglang", chunked_prefill_size=32768)
        self.assertEqual(e.budget_share, 0.471)
        # 0.471 x (100e9 - 1 GiB) - 30e9 B of weights
        self.assertEqual(e.kv_memory_bytes, 471 * (100 * 10**9 - GIB) // 1000 - 30 * 10**9)

    def test_sglang_chunk_that_leaves_no_memory_is_refused(self):
        # 32,768 on a 44.42 GiB L40S at TP 1: 512 + 32,768 x 1.5 + 32 x 2 + 1 / 8 x 1,024 =
        # 49,856 MiB against 45,486.08: (45,486.08 - 49,856) / 45,486.08 = -0.09607 -> -0.096;
        # SGLang would not start, so the run stops with one line (a fraction given is used)
        args = ["--model", "llama-3.1-8b", "--server", "l40s", "--engine", "sglang",
                "--concurrency", "10", "--effective-context", "8k",
                "--chunked-prefill-size", "32768"]
        status, out, err = run_main(args)
        self.assertEqual((status, out), (2, ""))
        self.assertIn("comes out at -0.096 on a 44.42 GiB GPU", err)
        self.assertEqual(len(err.strip().splitlines()), 1)
        status, out, err = run_main(args + ["--mem-fraction-static", "0.8"])
        self.assertEqual(status, 0, err)


class EngineModeTest(unittest.TestCase):
    def run_engine(self, *extra):
        # tiny-full, context 1m: 256 B x 1,048,576 = 268,435,456 B (0.25 GiB) per session.
        # --kv-cache-memory-gib 1: 2^30 / (16 x 256) = 262,144 whole blocks, the full GiB:
        # 4 sessions per replica; TP 1 on the 8-GPU spec-node: 8 replicas, 32 per node.
        return run_json(self, fixture_args(
            "--model", "tiny-full", "--server", "spec-node", "--concurrency", "100",
            "--effective-context", "1m", "--memory-model", "engine",
            "--kv-cache-memory-gib", "1", "--format", "json", *extra))

    def test_a_measured_checkpoint_size_replaces_the_estimate(self):
        # perf-moe: 10 B parameters, 1 B active, 4 of 64 experts: experts = 9e9 / (1 - 4/64)
        # = 9.6e9 parameters, the other 0.4e9; in bf16 0.8e9 + 19.2e9 bytes. A checkpoint of
        # 16 GiB (17,179,869,184 B, what the importer reads from model.safetensors.index.json)
        # replaces that estimate, split in the same proportion: experts 17,179,869,184 x
        # 19.2 / 20 = 16,492,674,416.64, the rest 687,194,767.36, each floored.
        model = fixture("model", "perf-moe")
        measured = model._replace(measured_weights_gib=16.0)
        self.assertEqual(sizing.weights_parts(model), (800_000_000, 19_200_000_000))
        self.assertEqual(sizing.weights_parts(measured), (687_194_767, 16_492_674_416))
        # weights in another precision are not the checkpoint measured: estimated again
        self.assertEqual(sizing.weights_parts(measured, "fp8"), (400_000_000, 9_600_000_000))
        # and the engine view loads the measured bytes: at TP 8 without expert parallelism,
        # each GPU holds an eighth of the whole, rounded up: (687,194,767 + 16,492,674,416)
        # / 8 = 17,179,869,183 / 8 -> 2,147,483,648; and says they were measured
        engine = sizing.engine_capacity_at(measured, fixture("server", "perf-h100"), 4096,
                                           "bf16", sizing.EngineSettings(), 8, True)
        self.assertEqual(engine.weights_per_gpu_bytes, 2_147_483_648)
        self.assertTrue(engine.weights_measured)

    def test_scenarios_in_engine_mode(self):
        doc = self.run_engine("--tensor-parallel", "1")
        results = {k: v["results"] for k, v in doc["scenarios"].items()}
        self.assertEqual(doc["engine"]["per_node"]["sessions"], 32)
        self.assertEqual(results["minimum"]["sessions_per_node"], 32)
        # IDEAL may use 0.65 / 0.70 of the pool: floor(2^30 x 13 / 14) = 997,045,101 B
        # -> 3 sessions per replica, 24 per node
        self.assertEqual(results["ideal"]["sessions_per_node"], 24)
        # MINIMUM ceil(100 / 32) = 4; RECOMMENDED ceil(120 / 32) + 1 = 5;
        # IDEAL ceil(130 / 24) + 2 = 8
        self.assertEqual([r["nodes_final"] for r in results.values()], [4, 5, 8])
        self.assertEqual(results["recommended"]["memory_model"], "engine")

    def test_the_pooled_budget_ratio_leaves_the_engine_view_alone(self):
        # --kv-budget-ratio sets the pooled budget; IDEAL keeps 13 / 14 of the engine's pool
        # whatever it is (with the given ratio as denominator, 0.9 gave 0.65 / 0.9 of the
        # pool: floor(2^30 x 13 / 18) B = 2 sessions per replica, 16 per node, 11 nodes; and
        # 0.5 gave the whole pool: 32 per node, 7 nodes)
        for ratio in ("0.5", "0.9"):
            doc = self.run_engine("--tensor-parallel", "1", "--kv-budget-ratio", ratio)
            ideal = doc["scenarios"]["ideal"]["results"]
            self.assertEqual(ideal["sessions_per_node"], 24, ratio)
            self.assertEqual(ideal["nodes_final"], 8, ratio)      # ceil(130 / 24) + 2

    def test_a_tie_on_recommended_goes_to_fewer_nodes_over_the_scenarios(self):
        # TP 2 splits the 2 KV heads: 128 B x 1,048,576 = 0.125 GiB per session per GPU, so a
        # 2-GPU replica holds 8 sessions in its 1 GiB per GPU and 4 replicas hold 32 a node, as
        # TP 1 does: RECOMMENDED needs 5 nodes either way. IDEAL's 13/14 of the pool holds
        # floor(997,045,101 / 134,217,728) = 7 per replica at TP 2 (28 a node: ceil(130 / 28)
        # + 2 = 7 nodes) against 3 at TP 1 (24: 8 nodes), so the search takes TP 2: 16 nodes
        # over the three scenarios instead of 17.
        doc = self.run_engine()
        self.assertEqual(doc["engine"]["settings"]["tensor_parallel"], 2)
        self.assertEqual(doc["engine"]["per_replica"]["sessions"], 8)
        self.assertEqual([v["results"]["nodes_final"] for v in doc["scenarios"].values()],
                         [4, 5, 7])

    def test_default_sizes_by_both_views_and_the_example_is_unchanged(self):
        status, out, _ = run_main(fixture_args(
            "--model", "spec-120b", "--server", "spec-node", "--concurrency", "1000",
            "--effective-context", "128k"))
        doc = last_json(out)
        self.assertEqual([s["results"]["nodes_final"] for s in doc["scenarios"].values()],
                         [2, 3, 5])
        self.assertEqual(doc["engine"]["memory_model"], "both")
        # the pooled budget (629 sessions per node) is tighter than the engine's pool here
        self.assertEqual({s["results"]["binding_constraint"] for s in doc["scenarios"].values()},
                         {"memory_pooled"})
        self.assertEqual(doc["engine"]["comparison"]["pooled_sessions_per_node"], 629)
        self.assertIn("Pooled and engine capacity per node", out)
        self.assertIn("GPU KV cache size", out)

    def test_a_replica_spanning_nodes_is_bought_whole(self):
        # Llama 3.1 405B bf16: 810e9 B; / 8 GPUs = 94.3 GiB > 79.18 GiB, so TP 16 = 2 nodes
        # per replica (pipeline stages of 63 layers). Nodes come in pairs and N+1 adds a pair.
        doc = run_json(self, ["--model", "llama-3.1-405b", "--server", "dgx-h100",
                              "--concurrency", "300", "--effective-context", "8192",
                              "--memory-model", "engine", "--tensor-parallel", "16",
                              "--format", "json"])
        replica = doc["engine"]["per_replica"]
        self.assertEqual((replica["gpus"], replica["nodes"]), (16, 2))
        # 63 layers x 1 KV head (8 / 8) x 256 x 2 B = 32,256 B/token/GPU
        self.assertEqual(doc["engine"]["per_gpu"]["kv_bytes_per_token"], 32256)
        rec = doc["scenarios"]["recommended"]["results"]
        self.assertEqual(rec["nodes_final"] % 2, 0)
        self.assertEqual(rec["nodes_final"], rec["nodes_with_headroom"] + 2)
        codes = [a["code"] for a in doc["alerts"]]
        self.assertIn("replica_spans_nodes", codes)
        self.assertIn("weight_shard_exceeds_gpu", codes)
        # losing either node of a replica loses the replica: N+1 adds 2 nodes, tolerates 1
        status, out, _ = run_main(["--model", "llama-3.1-405b", "--server", "dgx-h100",
                                   "--concurrency", "300", "--effective-context", "8192",
                                   "--memory-model", "engine", "--tensor-parallel", "16",
                                   "--executive-report", "--format", "text"])
        self.assertRegex(out, r"\| Node failures tolerated \| 0 \| 1 \| 2 \|")

    def test_the_search_weighs_replicas_across_nodes(self):
        # The layout search sizes replicas across 2, 4, 8... whole nodes and keeps the one
        # needing the fewest RECOMMENDED nodes, as pinning each with --tensor-parallel shows:
        # - Llama-3.1-405B in bf16 at 128k on DGX H100: no node holds the weights;
        # - Kimi-K2 in SGLang at 32k on DGX H100: two nodes leave 1.75 GiB of KV per GPU, one
        #   32k session (the MLA latent is on every GPU), so TP 16 needs 200+ nodes;
        # - DeepSeek-V3 (fp8, 671 B) at 16k on 8 RTX PRO 6000 (96 GB each): one node holds the
        #   weights and a single session, so TP 8 fits, and needs 1,000+ nodes for 1,000.
        for model, server, extra, sizes in (
                ("llama-3.1-405b", "dgx-h100", ["--concurrency", "100",
                                                "--effective-context", "128k"],
                 (16, 32, 64, 128, 256, 512)),
                ("kimi-k2", "dgx-h100", ["--concurrency", "100", "--effective-context", "32k",
                                         "--engine", "sglang"], (16, 32, 64, 128)),
                ("deepseek-v3", "rtx-pro-6000-8x", ["--concurrency", "1000",
                                                    "--effective-context", "16k"],
                 (8, 16, 32, 64))):
            args = ["--model", model, "--server", server, *extra, "--format", "json"]
            pinned = {}
            for tp in sizes:
                status, out, _ = run_main(args + ["--tensor-parallel", str(tp)])
                if status == 0:
                    pinned[tp] = last_json(out)["scenarios"]["recommended"]["results"][
                        "nodes_final"]
            doc = run_json(self, args)
            chosen = doc["engine"]["per_replica"]["gpus"]
            with self.subTest(model=model, pinned=pinned):
                self.assertGreater(len(pinned), 2)
                self.assertEqual(doc["scenarios"]["recommended"]["results"]["nodes_final"],
                                 min(pinned.values()))
                self.assertEqual(pinned[chosen], min(pinned.values()))
                self.assertGreater(pinned[sizes[0]], 2 * pinned[chosen])
                if model == "llama-3.1-405b":   # dense: one layout per TP, the next best
                    self.assertEqual(doc["performance"]["runner_up"]["nodes_final"],
                                     sorted(pinned.values())[1])

    def test_the_pooled_view_counts_a_spanning_replica_over_its_nodes(self):
        # Llama 3.1 405B bf16 at TP 32: one replica over 4 DGX H100 nodes, each session's KV
        # split over its 4 pipeline stages. Pooled budget per node (640 GB - 120 GiB) x 0.70 =
        # 357,805,686,784 B (x 0.65 in IDEAL: 332,248,137,728 B); a session is 126 layers x 8
        # KV heads x 128 x 2 (K, V) x 2 B x 131,072 tokens = 67,645,734,912 B. The 4 nodes hold
        # floor(4 x 357,805,686,784 / 67,645,734,912) = 21 sessions (IDEAL 19), not
        # 4 x floor(5.29) = 20 (IDEAL 16); nodes = ceil(100 x (1 + headroom) / 21) x 4.
        doc = run_json(self, ["--model", "llama-3.1-405b", "--server", "dgx-h100",
                              "--concurrency", "100", "--effective-context", "128k",
                              "--tensor-parallel", "32", "--format", "json"])
        session = 126 * 8 * 128 * 2 * 2 * 131072
        self.assertEqual(session, 67_645_734_912)
        expected = {}
        for name, ratio, headroom in (("minimum", (7, 10), 0), ("recommended", (7, 10), 20),
                                      ("ideal", (65, 100), 30)):
            budget = (640 * 10**9 - 120 * 2**30) * ratio[0] // ratio[1]
            per_unit = 4 * budget // session
            expected[name] = -(-100 * (100 + headroom) // (100 * per_unit)) * 4
        self.assertEqual(expected, {"minimum": 20, "recommended": 24, "ideal": 28})
        self.assertEqual({name: s["results"]["nodes_memory"]
                          for name, s in doc["scenarios"].items()}, expected)

    def test_no_session_fits_a_replica(self):
        doc = run_json(self, fixture_args(
            "--model", "tiny-full", "--server", "spec-node", "--concurrency", "10",
            "--effective-context", "1m", "--memory-model", "engine",
            "--kv-cache-memory-gib", "0.1", "--tensor-parallel", "1", "--format", "json"),
            status=3)
        self.assertIn("session_exceeds_gpu_pool", [a["code"] for a in doc["alerts"]])
        self.assertIsNone(doc["scenarios"]["minimum"]["results"]["nodes_final"])


class RunningLimitTest(unittest.TestCase):
    """An engine runs at most so many requests at once, however much KV is free (vLLM
    max_num_seqs, SGLang max_running_requests, TRT-LLM max_batch_size).

    Llama-3.1-8B on one H100 with 60 GiB of KV given: 32 layers x 8 KV heads x 128 x 2 (K, V)
    x 2 B = 131,072 B per token. vLLM: 60 x 2^30 / (16 x 131,072) = 30,720 blocks = 491,520
    tokens; a session of 256 tokens reserves 16 blocks = 32 MiB, so the pool holds 60 GiB / 32 MiB
    = 1,920. SGLang (one-token pages) and TRT-LLM (32-token blocks) hold 3,840 of 128 tokens
    (16 MiB each).
    """

    def engine_view(self, engine, context, *flags):
        return run_json(self, ["--model", "llama-3.1-8b", "--server", "dgx-h100",
                               "--concurrency", "10000", "--effective-context", context,
                               "--engine", engine, "--tensor-parallel", "1",
                               "--kv-cache-memory-gib", "60", "--format", "json", *flags])

    def test_vllm_runs_max_num_seqs(self):
        # vLLM's default on an H100 (79.18 GiB, at least 70): 1,024 sequences; 8 replicas
        # of one GPU per node
        doc = self.engine_view("vllm", "256")
        self.assertEqual(doc["engine"]["per_replica"],
                         {"gpus": 1, "nodes": 1, "expert_group_nodes": 1, "sessions": 1024,
                          "kv_sessions": 1920,
                          "running_limit": 1024, "running_limit_setting": "max_num_seqs"})
        self.assertEqual(doc["engine"]["per_node"]["sessions"], 8 * 1024)
        self.assertEqual(doc["scenarios"]["recommended"]["results"]["sessions_per_node"],
                         8 * 1024)
        alert = [a for a in doc["alerts"] if a["code"] == "engine_running_limit"]
        self.assertEqual([(a["severity"], a["values"]) for a in alert],
                         [("warning", {"limit": 1024, "setting": "max_num_seqs",
                                       "held": 1920})])
        # the performance model runs no more than the limit either
        self.assertEqual(doc["performance"]["kv_capacity_sessions_per_replica"], 1024)
        self.assertGreater(doc["performance"]["kv_pool_sessions_per_replica"], 1024)

    def test_max_num_seqs_sets_it(self):
        doc = self.engine_view("vllm", "256", "--max-num-seqs", "256")
        self.assertEqual(doc["engine"]["per_replica"]["sessions"], 256)
        self.assertEqual(doc["engine"]["per_node"]["sessions"], 8 * 256)

    def test_sglang_and_trtllm_defaults(self):
        # SGLang: min(max(2,048, min(4,096, 491,520 x 512 / 131,072 = 1,920)), 491,520 / 2)
        # = 2,048 (Llama 3.1 serves 131,072 tokens); TRT-LLM: max_batch_size 2,048
        for engine, setting in (("sglang", "max_running_requests"),
                                ("trtllm", "max_batch_size")):
            replica = self.engine_view(engine, "128")["engine"]["per_replica"]
            self.assertEqual((replica["sessions"], replica["kv_sessions"],
                              replica["running_limit"], replica["running_limit_setting"]),
                             (2048, 3840, 2048, setting), engine)

    def test_sglang_and_trtllm_limits_are_settable(self):
        # --max-running-requests 3000 (SGLang; under 491,520 / 2) and --max-batch-size 64
        # (TRT-LLM) bind below the 3,840 the pool holds; 8,192 binds nowhere: the pool's 3,840
        for engine, flag, value, sessions in (("sglang", "--max-running-requests", 3000, 3000),
                                              ("trtllm", "--max-batch-size", 64, 64),
                                              ("sglang", "--max-running-requests", 8192, 3840)):
            replica = self.engine_view(engine, "128", flag, str(value))["engine"]["per_replica"]
            self.assertEqual((replica["sessions"], replica["kv_sessions"],
                              replica["running_limit"]), (sessions, 3840, value), engine)

    def test_each_engine_takes_its_own_limit_flag(self):
        # --max-num-seqs is vLLM's: TRT-LLM ignored it and SGLang only redrew an activation
        # figure its pool does not subtract (mem_fraction_static x memory - weights), which is
        # also why SGLang refuses --activation-gib
        # SGLang's pool ratios, likewise, mean nothing to the other engines' pools
        for engine, flag in (("vllm", "--max-running-requests"), ("sglang", "--max-batch-size"),
                             ("vllm", "--max-batch-size"), ("sglang", "--max-num-seqs"),
                             ("trtllm", "--max-num-seqs"), ("sglang", "--activation-gib"),
                             ("sglang", "--max-num-batched-tokens"),
                             ("vllm", "--chunked-prefill-size"),
                             ("vllm", "--swa-full-tokens-ratio"),
                             ("trtllm", "--mamba-full-memory-ratio"),
                             ("vllm", "--disable-radix-cache")):
            value = ["0.5"] if flag.endswith("ratio") else [] if flag.endswith("cache") \
                else ["64"]
            status, out, err = run_main(["--model", "llama-3.1-8b", "--server", "dgx-h100",
                                         "--concurrency", "10", "--effective-context", "1k",
                                         "--engine", engine, flag, *value])
            self.assertEqual((status, out), (2, ""))
            wanted = {"--max-running-requests": "sglang", "--max-batch-size": "trtllm",
                      "--max-num-seqs": "vllm", "--activation-gib": "vllm or trtllm",
                      "--max-num-batched-tokens": "vllm or trtllm",
                      "--chunked-prefill-size": "sglang",
                      "--swa-full-tokens-ratio": "sglang",
                      "--mamba-full-memory-ratio": "sglang",
                      "--disable-radix-cache": "sglang"}[flag]
            self.assertIn(f"{flag} applies to --engine {wanted}, not {engine}", err)

    def test_sglang_limit_against_a_real_log(self):
        # tests/fixtures/logs/sglang-0.4-qwq-32b-l4-tp4.log (verbatim): max_total_num_tokens=46611,
        # context_len=131072, max_running_requests=2049. 46,611 x 512 / 131,072 = 182, raised to
        # 2,048; that release sized its request pool one larger (2,049), current SGLang does not.
        log = (FIXTURES / "logs" / "sglang-0.4-qwq-32b-l4-tp4.log").read_text(encoding="utf-8")
        self.assertIn("max_total_num_tokens=46611, chunked_prefill_size=2048, "
                      "max_prefill_tokens=16384, max_running_requests=2049, context_len=131072",
                      log)
        self.assertEqual(sizing.running_limit("sglang", 1024, 46611, 131072),
                         (2048, "max_running_requests"))

    def test_no_alert_below_the_limit(self):
        # 1,024 tokens: 64 blocks = 128 MiB a session, 480 held, under 1,024
        doc = self.engine_view("vllm", "1k")
        self.assertEqual(doc["engine"]["per_replica"]["sessions"], 480)
        self.assertNotIn("engine_running_limit", [a["code"] for a in doc["alerts"]])

    def test_the_reports_say_it(self):
        status, out, _ = run_main(["--model", "llama-3.1-8b", "--server", "dgx-h100",
                                   "--concurrency", "10000", "--effective-context", "256",
                                   "--tensor-parallel", "1", "--kv-cache-memory-gib", "60",
                                   "--format", "text"])
        self.assertEqual(status, 0)
        self.assertIn("1,024 / 8,192 (the engine runs at most 1,024 at once, its max_num_seqs; "
                      "the KV pool holds 1,920)", " ".join(out.split()))
        self.assertIn("The engine's sessions are its running limit, 1,024 per replica "
                      "(max_num_seqs), not its KV pool, which holds 1,920.", " ".join(out.split()))


class EngineFlagsTest(unittest.TestCase):
    BASE = ["--model", "spec-120b", "--server", "spec-node", "--concurrency", "10",
            "--effective-context", "1000"]

    def test_contradictions_and_bad_values(self):
        for extra, fragment in (
                (["--mem-fraction-static", "0.8"], "--mem-fraction-static applies to "
                                                   "--engine sglang, not vllm"),
                (["--engine", "sglang", "--gpu-memory-utilization", "0.9"],
                 "--gpu-memory-utilization applies to --engine vllm"),
                (["--kv-cache-memory-gib", "10", "--activation-gib", "2"],
                 "--activation-gib has no effect with --kv-cache-memory-gib"),
                # a given KV memory replaces each engine's share rule (vLLM: "if specified,
                # will ignore gpu_memory_utilization"), so the share flags would change nothing
                (["--kv-cache-memory-gib", "10", "--gpu-memory-utilization", "0.5"],
                 "--gpu-memory-utilization has no effect with --kv-cache-memory-gib"),
                (["--kv-cache-memory-gib", "10", "--engine", "sglang", "--mem-fraction-static",
                  "0.5"], "--mem-fraction-static has no effect with --kv-cache-memory-gib"),
                (["--kv-cache-memory-gib", "10", "--engine", "trtllm",
                  "--free-gpu-memory-fraction", "0.5"],
                 "--free-gpu-memory-fraction has no effect with --kv-cache-memory-gib"),
                (["--tensor-parallel", "0"], "--tensor-parallel: must be from 1 to 1,024"),
                (["--tensor-parallel", "2.5"], "--tensor-parallel: must be a whole number"),
                (["--gpu-memory-utilization", "1.5"], "must be greater than 0 and at most 1"),
                (["--activation-gib", "nan"], "--activation-gib: must be a finite number"),
                (["--kv-cache-memory-gib", "0"], "must be greater than 0"),
                (["--block-size", "0"], "--block-size: must be from 1"),
                (["--weight-precision", "q4"], "--weight-precision: invalid choice"),
                (["--memory-model", "paged"], "--memory-model: invalid choice"),
                (["--engine", "sglang", "--flashinfer-sampler"],
                 "--flashinfer-sampler applies to --engine vllm, not sglang"),
                (["--flashinfer-sampler", "--activation-gib", "2"],
                 "--flashinfer-sampler has no effect with --activation-gib"),
                (["--flashinfer-sampler", "--kv-cache-memory-gib", "10"],
                 "--flashinfer-sampler has no effect with --kv-cache-memory-gib")):
            with self.subTest(extra):
                status, out, err = run_main(fixture_args(*self.BASE, *extra))
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)
                self.assertEqual(len(err.strip().splitlines()), 1)


class CalibrationTest(unittest.TestCase):
    def test_vllm_log(self):
        status, out, err = run_main(
            ["--model", "llama-3.1-8b", "--server", "dgx-h100", "--concurrency", "100",
             "--effective-context", "16000", "--calibrate-from-log",
             str(FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log")])
        self.assertEqual(status, 0, err)
        cal = last_json(out)["calibration"]
        self.assertEqual(cal["engine"], "vllm")
        self.assertEqual(cal["settings"]["tensor_parallel"], {"value": 1, "from_log": True})
        self.assertEqual(cal["settings"]["max_model_len"]["value"], 16000)
        rows = {r["item"]: r for r in cal["rows"]}
        self.assertEqual(rows["weights"]["logged"], 14.9888)
        self.assertEqual(rows["weights"]["predicted"], round(16.06e9 / GIB, 4))   # 14.957
        self.assertEqual(rows["kv_tokens_from_logged_memory"]["predicted"], 420896)
        self.assertEqual(rows["kv_tokens"]["logged"], 420896)
        self.assertEqual(rows["max_concurrency"]["logged"], 26.31)
        # 0.9 x 79.18 - 14.9888 - 51.38 = 4.8932 -> 4.89 GiB of activation + non-torch;
        # 51.38 GiB x 2^30 / 420,896 tokens = 131,074.8 B (the model's 131,072, rounding)
        self.assertEqual(cal["backsolved"], {"activation_plus_reserve_gib": 4.89,
                                             "kv_bytes_per_token": 131074.8})
        self.assertIn("--activation-gib 4.76 --runtime-reserve-gib 0.13",
                      cal["suggested_flags"])
        self.assertIn("5. CALIBRATION", out)
        # its engine config line says quantization=None: the model's own bf16 weights
        self.assertEqual(cal["settings"]["weight_precision"], {"value": "bf16", "from_log": True})

    def test_a_logged_pipeline_counts_its_stages_gpus(self):
        # vLLM's engine config line and SGLang's server args name the pipeline stages
        # (pipeline_parallel_size, pp_size): TP 8 x PP 2 is a replica of 16 GPUs over two
        # DGX H100, whose weights per GPU are 16.06e9 B / 16 = 0.9348 GiB (the tool's
        # --tensor-parallel counts every GPU of a replica). The logs are the fixtures with
        # their parallelism changed.
        vllm = (FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log").read_text(
            encoding="utf-8")
        sglang = (FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log").read_text(
            encoding="utf-8")
        self.assertEqual(vllm.count("tensor_parallel_size=1, pipeline_parallel_size=1"), 1)
        self.assertEqual(sglang.count(", tp_size=4,"), 1)
        with tempfile.TemporaryDirectory() as tmp:
            for name, text, args, tp in (
                    ("v.log", vllm.replace("tensor_parallel_size=1, pipeline_parallel_size=1",
                                           "tensor_parallel_size=8, pipeline_parallel_size=2"),
                     ["--model", "llama-3.1-8b", "--effective-context", "16000"], 16),
                    ("s.log", sglang.replace(", tp_size=4,", ", tp_size=4, pp_size=2,"),
                     ["--model", "qwen3-235b-a22b", "--effective-context", "32k",
                      "--weight-precision", "fp8"], 8)):
                path = os.path.join(tmp, name)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
                status, out, err = run_main(args + ["--server", "dgx-h100", "--concurrency",
                                                    "100", "--calibrate-from-log", path,
                                                    "--format", "json"])
                self.assertEqual(status, 0, err)
                cal = json.loads(out)["calibration"]
                self.assertEqual(cal["settings"]["tensor_parallel"],
                                 {"value": tp, "from_log": True})
                self.assertIn(f"--tensor-parallel {tp} ", cal["suggested_flags"])
                if name == "v.log":
                    rows = {r["item"]: r for r in cal["rows"]}
                    self.assertEqual(rows["weights"]["predicted"], round(16.06e9 / 16 / GIB, 4))

    def test_a_logged_sglang_data_parallel_attention_is_its_ranks(self):
        # SGLang prints its server args whole (the 0.4 fixture: "dp_size=1", "ep_size=1",
        # "enable_dp_attention=False"). With --enable-dp-attention its tp_size is the whole
        # group and each of dp_size attention ranks runs tp_size // dp_size GPUs
        # (attn_tp_size): tp_size=4, dp_size=4 is TP 1 x DP 4 with the experts over the 4, as
        # --tensor-parallel 1 --data-parallel 4 --expert-parallel sizes it. Without the
        # switch dp_size counts whole replicas, which the plan counts itself: TP 4 stays.
        # The logs are the Qwen3-235B fixture with its parallelism changed.
        sglang = (FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log").read_text(
            encoding="utf-8")
        self.assertEqual(sglang.count(", tp_size=4,"), 1)
        with tempfile.TemporaryDirectory() as tmp:
            for switch, expected in (("True", (1, 4, True)), ("False", (4, 1, False))):
                path = os.path.join(tmp, f"{switch}.log")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(sglang.replace(", tp_size=4,", ", tp_size=4, dp_size=4, "
                                                f"enable_dp_attention={switch},"))
                status, out, err = run_main(["--model", "qwen3-235b-a22b", "--server",
                                             "dgx-h100", "--concurrency", "100",
                                             "--effective-context", "32k", "--weight-precision",
                                             "fp8", "--calibrate-from-log", path,
                                             "--format", "json"])
                self.assertEqual(status, 0, err)
                cal = json.loads(out)["calibration"]["settings"]
                self.assertEqual((cal["tensor_parallel"]["value"],
                                  cal["data_parallel"]["value"],
                                  cal["expert_parallel"]["value"]), expected, switch)

    def test_the_checkpoint_precision_a_vllm_log_states(self):
        model, server = shipped("model", "llama-3.1-70b"), shipped("server", "dgx-h100")
        for method, expected in (("fp8", ("fp8", True)), ("modelopt_fp4", ("nvfp4", True)),
                                 ("mxfp4", ("mxfp4", True)),
                                 # AWQ, GPTQ and compressed-tensors do not fix the bits: the
                                 # weights the log loaded do. 20.0 GiB per GPU at TP 4 against
                                 # (70.55e9 - 2,101,346,304) x 1 + 2,101,346,304 x 2 B / 4 =
                                 # 16.92 GiB in fp8 (18% off) and 70.55e9 x 2 / 4 = 32.85 GiB
                                 # in bf16 (64% off): fp8
                                 ("compressed-tensors", ("fp8", True))):
            log = sizing.parse_engine_log(
                "INFO Initializing a V1 LLM engine (v0.11.0) with config: model='m', "
                f"tensor_parallel_size=4, disable_custom_all_reduce=False, quantization={method}, "
                "enforce_eager=False, kv_cache_dtype=auto\n"
                "INFO Model loading took 20.0 GiB\n", "log")
            self.assertEqual(log.get("weight_quantization"), method)
            cal = sizing.calibrate(model, server, 8192, "bf16", sizing.EngineSettings(), log,
                                   "log")
            settings = {name: (value, logged) for name, value, logged in cal.settings}
            self.assertEqual(settings["weight_precision"], expected, method)
            self.assertEqual(dict(cal.suggested).get("weight_precision"), expected[0], method)
        # Weights near the model's own bf16 (32.85 GiB) keep it, and suggest nothing
        log = sizing.parse_engine_log("INFO Initializing a V1 LLM engine (v0.11.0) with config: "
                                      "model='m', tensor_parallel_size=4, quantization=awq, "
                                      "kv_cache_dtype=auto\nINFO Model loading took 32.0 GiB\n",
                                      "log")
        cal = sizing.calibrate(model, server, 8192, "bf16", sizing.EngineSettings(), log, "log")
        self.assertIn(("weight_precision", "bf16", False), cal.settings)
        self.assertNotIn("weight_precision", dict(cal.suggested))

    def test_sglang_rule_against_a_real_log(self):
        # SGLang (March 2025) serving QwQ-32B at TP 4 on 4x L4 (tests/fixtures/logs): free
        # memory after its distributed start-up 21.63 GiB, weights 15.54 GiB per GPU, the
        # fraction 0.85. Its rule, KV = mf x (memory - start-up) - weights = 0.85 x 21.63 -
        # 15.54 = 2.8455 GiB; 64 layers x 2 KV heads per GPU (8 / 4) x 128 x 2 x 2 B = 65,536
        # B per token: 46,620 tokens. Logged: 46,611 (K + V 2.84 GiB); 21.63 and 15.54 are
        # rounded to 0.01 GiB, which moves the result by up to 0.85 x 0.005 + 0.005 GiB =
        # 151 tokens.
        log = sizing.read_engine_log(str(FIXTURES / "logs" / "sglang-0.4-qwq-32b-l4-tp4.log"))
        self.assertEqual((log.engine, log.get("tensor_parallel"), log.get("mem_fraction_static"),
                          log.get("weights_gib"), log.get("kv_tokens")),
                         ("sglang", 4, 0.85, 15.54, 46611))
        total = sizing.gib_bytes(22.0)              # any total: the rule sees total - start-up
        kv, _, _ = sizing.engine_kv_memory(
            sizing.EngineSettings(engine="sglang", mem_fraction_static=0.85), total,
            sizing.gib_bytes(15.54), 0, total - sizing.gib_bytes(21.63), 4, 1)
        self.assertAlmostEqual(kv / GIB, 0.85 * 21.63 - 15.54, places=6)
        self.assertEqual(kv // 65536, 46620)
        self.assertLessEqual(abs(kv // 65536 - log.get("kv_tokens")), 151)

    def test_sglang_log(self):
        status, out, err = run_main(
            ["--model", "qwen3-235b-a22b", "--server", "dgx-h100", "--concurrency", "100",
             "--effective-context", "32k", "--weight-precision", "fp8",
             "--calibrate-from-log", str(FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log"),
             "--format", "json"])
        self.assertEqual(status, 0, err)
        cal = json.loads(out)["calibration"]
        self.assertEqual(cal["engine"], "sglang")
        self.assertEqual(cal["settings"]["tensor_parallel"]["value"], 4)
        self.assertEqual(cal["settings"]["mem_fraction_static"]["value"], 0.93)
        rows = {r["item"]: r for r in cal["rows"]}
        # K 8.23 + V 8.23 GiB; 16.46 x 2^30 / 48,128 = 367,224 tokens (logged 367,404)
        self.assertEqual(rows["kv_memory"]["logged"], 16.46)
        self.assertEqual(rows["kv_tokens_from_logged_memory"]["predicted"], 367224)
        self.assertIn("--engine sglang --tensor-parallel 4 --mem-fraction-static 0.93",
                      cal["suggested_flags"])
        # The log printed max_running_requests=2048. SGLang's rule on the predicted pool:
        # 383,738 tokens x 512 / 40,960 (its context_len) = 4,796, kept within 2,048-4,096:
        # 4,096, under 383,738 / 2. The suggestion carries what the engine settled on.
        self.assertEqual(rows["kv_tokens"]["predicted"], 383738)
        self.assertEqual((rows["running_limit"]["logged"], rows["running_limit"]["predicted"]),
                         (2048, 4096))
        self.assertTrue(cal["suggested_flags"].endswith("--max-running-requests 2048"))
        # Sized with two data-parallel attention ranks, the flag that gives each rank the
        # logged 2,048 is 2 x 2,048: SGLang divides the flag among its ranks.
        status, out, err = run_main(
            ["--model", "qwen3-235b-a22b", "--server", "dgx-h100", "--concurrency", "100",
             "--effective-context", "32k", "--weight-precision", "fp8", "--expert-parallel",
             "--data-parallel", "2", "--calibrate-from-log",
             str(FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log"), "--format", "json"])
        self.assertEqual(status, 0, err)
        self.assertTrue(json.loads(out)["calibration"]["suggested_flags"].endswith(
            "--data-parallel 2 --mem-fraction-static 0.93 --runtime-reserve-gib 2.01 "
            "--max-running-requests 4096"))

    def test_sglang_log_weights_imply_the_checkpoint_precision(self):
        # SGLang's log does not state the checkpoint's format; its weights do. The catalog's
        # Qwen3-235B-A22B is bf16: 235e9 x 2 B / 4 = 109.43 GiB per GPU at TP 4, against the
        # 55.31 GiB the FP8 checkpoint loaded. In fp8 (the embeddings kept in bf16):
        # (235e9 - 1,244,659,712) x 1 + 1,244,659,712 x 2 = 236,244,659,712 B / 4 =
        # 59,061,164,928 B = 55.005 GiB, 0.6% off. So the run is sized in fp8, and the
        # suggestion says so (before, it left the flag out, and the command it suggested
        # could not place one session).
        status, out, err = run_main(
            ["--model", "qwen3-235b-a22b", "--server", "dgx-h100", "--concurrency", "100",
             "--effective-context", "32k",
             "--calibrate-from-log", str(FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log"),
             "--format", "json"])
        self.assertEqual(status, 0, err)
        cal = json.loads(out)["calibration"]
        self.assertEqual(cal["settings"]["weight_precision"], {"value": "fp8", "from_log": True})
        weights = next(r for r in cal["rows"] if r["item"] == "weights")
        self.assertAlmostEqual(weights["predicted"], 59_061_164_928 / GIB, places=3)
        self.assertIn("--tensor-parallel 4 --weight-precision fp8", cal["suggested_flags"])
        flags = cal["suggested_flags"].split()
        status, out, err = run_main(["--model", "qwen3-235b-a22b", "--server", "dgx-h100",
                                     "--concurrency", "100", "--effective-context", "32k",
                                     "--format", "json", *flags])
        self.assertEqual(status, 0, err)
        self.assertGreater(json.loads(out)["engine"]["per_node"]["sessions"], 0)

    def test_sglang_activation_is_not_taken_off_its_pool(self):
        # SGLang's KV memory is mem_fraction_static x (memory - reserve) - weights: activations
        # and CUDA graphs live in the rest, (1 - 0.8) x (79.18 - 1.5) = 15.536 GiB on an H100
        # (79.18 GiB as CUDA reports it). vLLM's profile-run estimate has no place there.
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "32k", "--engine", "sglang", "--mem-fraction-static",
                "0.8", "--runtime-reserve-gib", "1.5"]
        status, out, err = run_main(args + ["--format", "json"])
        self.assertEqual(status, 0, err)
        per_gpu = json.loads(out)["engine"]["per_gpu"]
        self.assertEqual((per_gpu["activation_bytes"], per_gpu["activation_gib"]), (None, None))
        status, out, err = run_main(args + ["--format", "text"])
        self.assertIn("CUDA graphs in the 15.54 GiB its fraction leaves ((1 - 0.8000)",
                      " ".join(out.split()))     # the report wraps its lines
        # vLLM subtracts its estimate, and prints it
        status, out, err = run_main(args[:8] + ["--format", "json"])
        self.assertGreater(json.loads(out)["engine"]["per_gpu"]["activation_bytes"], 0)

    def test_a_log_from_another_gpu_is_flagged(self):
        # SGLang's log does not print the GPU's memory, so the calibration takes the server's.
        # The L4 log (weights 15.54, KV 2.84 GiB, fraction 0.85) against an L40S's 44.42 GiB
        # implies 44.42 - (15.54 + 2.84) / 0.85 = 22.80 GiB outside its budget, 51% of the
        # GPU: a warning. With the L4's own 22.05 GiB it is 0.43 GiB, and nothing is said.
        log = str(FIXTURES / "logs" / "sglang-0.4-qwq-32b-l4-tp4.log")
        args = ["--model", "qwen3-32b", "--server", "l40s-8x", "--concurrency", "10",
                "--effective-context", "8k", "--calibrate-from-log", log, "--format", "json"]
        for extra, expected in (((), [{"implied_gib": 22.8, "gpu_gib": 44.42,
                                        "share_pct": 51.3, "server": "l40s-8x"}]),
                                (("--gpu-memory-gib", "22.05"), [])):
            status, out, err = run_main(args + list(extra))
            self.assertEqual(status, 0, err)
            doc = json.loads(out)
            self.assertEqual(doc["calibration"]["backsolved"]["reserve_gib"],
                             22.8 if not extra else 0.43)
            self.assertEqual([a["values"] for a in doc["alerts"]
                              if a["code"] == "calibration_memory_implausible"], expected)
        # The other way: the H100 log of Qwen3-235B-A22B-FP8 (weights 55.31, KV 16.46 GiB,
        # fraction 0.93) against the L40S implies 44.42 - (55.31 + 16.46) / 0.93 = -32.75 GiB
        args[1:4] = ["qwen3-235b-a22b", "--server", "l40s-8x"]
        args[args.index(log)] = str(FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log")
        status, out, err = run_main(args)
        self.assertEqual(status, 0, err)
        self.assertEqual([a["values"] for a in json.loads(out)["alerts"]
                          if a["code"] == "calibration_memory_implausible"],
                         [{"implied_gib": -32.75, "gpu_gib": 44.42, "share_pct": -73.7,
                           "server": "l40s-8x"}])
        # A log that prints its GPU's memory is measured against it, not the server's: the
        # DGX Spark's TRT-LLM log (119.7 GiB, its system sharing them) implies 49.57 GiB
        # outside weights and KV, 49.57 / 119.7 = 41.4%, whatever server it is calibrated on
        args[1:4] = ["gpt-oss-120b", "--server", "dgx-h100"]
        args[args.index(str(FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log"))] = \
            str(FIXTURES / "logs" / "trtllm-1.1-gpt-oss-120b-dgx-spark.log")
        doc = json.loads(run_main(args)[1])
        self.assertEqual(doc["calibration"]["backsolved"]["activation_plus_reserve_gib"], 49.57)
        self.assertEqual([a["values"] for a in doc["alerts"]
                          if a["code"] == "calibration_memory_implausible"],
                         [{"implied_gib": 49.57, "gpu_gib": 119.7, "share_pct": 41.4,
                           "server": "dgx-h100"}])

    def test_sglang_log_carries_its_pool_ratios(self):
        # SGLang prints every server argument on its server_args line; later releases than
        # this fixture's include swa_full_tokens_ratio and mamba_full_memory_ratio there. The
        # fixture with the two added (as such a release prints them): the calibration sizes
        # the logged run with them and passes on the ones that differ from SGLang's defaults.
        text = (FIXTURES / "logs" / "sglang-0.4-qwq-32b-l4-tp4.log").read_text(encoding="utf-8")
        self.assertEqual(text.count("max_running_requests=None"), 1)
        text = text.replace("max_running_requests=None", "swa_full_tokens_ratio=0.5, "
                            "mamba_full_memory_ratio=0.9, max_running_requests=None")
        # and this run's own radix-cache setting, turned off
        self.assertEqual(text.count("disable_radix_cache=False"), 1)
        text = text.replace("disable_radix_cache=False", "disable_radix_cache=True")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sglang.log"
            path.write_text(text, encoding="utf-8")
            log = sizing.read_engine_log(str(path))
            self.assertEqual((log.get("swa_full_tokens_ratio"),
                              log.get("mamba_full_memory_ratio")), (0.5, 0.9))
            status, out, err = run_main(["--model", "qwen3-32b", "--server", "dgx-h100",
                                         "--concurrency", "100", "--effective-context", "32k",
                                         "--calibrate-from-log", str(path), "--format", "json"])
        self.assertEqual(status, 0, err)
        cal = json.loads(out)["calibration"]
        self.assertEqual(cal["settings"]["swa_full_tokens_ratio"],
                         {"value": 0.5, "from_log": True})
        self.assertIn("--swa-full-tokens-ratio 0.5", cal["suggested_flags"])
        self.assertEqual(cal["settings"]["radix_cache"], {"value": False, "from_log": True})
        self.assertIn("--disable-radix-cache", cal["suggested_flags"])
        self.assertNotIn("--mamba-full-memory-ratio", cal["suggested_flags"])   # the default

    def test_sglang_log_carries_its_chunked_prefill(self):
        # The fixture's server_args line says chunked_prefill_size=8192, SGLang's default for
        # an 80 GB GPU (60-160 GiB): the calibration uses it and suggests nothing. Changed to
        # 32,768 (as InferenceX's DeepSeek-R1 recipes on B200 set it), it is passed on.
        text = (FIXTURES / "logs" / "sglang-qwen3-235b-fp8-tp4.log").read_text(encoding="utf-8")
        self.assertEqual(text.count("chunked_prefill_size=8192"), 2)
        args = ["--model", "qwen3-235b-a22b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "16000", "--format", "json", "--calibrate-from-log"]
        for value, suggested in (("8192", False), ("32768", True)):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "sglang.log"
                path.write_text(text.replace("chunked_prefill_size=8192",
                                             f"chunked_prefill_size={value}"), encoding="utf-8")
                status, out, err = run_main(args + [str(path)])
            self.assertEqual(status, 0, err)
            cal = json.loads(out)["calibration"]
            self.assertEqual(cal["settings"]["chunked_prefill_size"],
                             {"value": int(value), "from_log": True})
            self.assertEqual(f"--chunked-prefill-size {value}" in cal["suggested_flags"],
                             suggested)

    def test_trtllm_log(self):
        # TRT-LLM 1.1.0rc3 on a DGX Spark (tests/fixtures/logs/README.md): the profiling pool
        # (0.56 GiB, 8,224 tokens) is printed first, the pool last; outside torch 49.28 GiB
        # hold that profiling pool, so the memory outside the budget is 49.28 - 0.56 = 48.72.
        log = sizing.read_engine_log(FIXTURES / "logs" / "trtllm-1.1-gpt-oss-120b-dgx-spark.log")
        self.assertEqual(log.engine, "trtllm")
        self.assertEqual([log.get(k) for k in ("weights_gib", "activation_gib", "non_torch_gib",
                                              "kv_memory_gib", "kv_tokens", "gpu_memory_gib",
                                              "block_size", "max_num_batched_tokens",
                                              "max_running_requests", "max_model_len")],
                         [63.52, 0.85, 48.72, 5.95, 86720, 119.7, 32, 8192, 64, 86720])
        self.assertAlmostEqual(log.get("free_gpu_memory_fraction"), 0.9, places=6)
        # TRT-LLM's rule with the log's own figures: 0.9 x (119.70 - 63.52 - 0.85 - 48.72)
        # = 0.9 x 6.61 = 5.949 GiB (logged 5.95)
        kv, rule, _ = sizing.engine_kv_memory(
            sizing.EngineSettings(engine="trtllm", free_gpu_memory_fraction=0.9),
            sizing.gib_bytes(119.70), sizing.gib_bytes(63.52), sizing.gib_bytes(0.85),
            sizing.gib_bytes(48.72), 1, 1)
        self.assertAlmostEqual(kv / GIB, 5.949, places=3)
        status, out, err = run_main(
            ["--model", "gpt-oss-120b", "--server", "dgx-b200", "--concurrency", "10",
             "--effective-context", "32k", "--calibrate-from-log",
             str(FIXTURES / "logs" / "trtllm-1.1-gpt-oss-120b-dgx-spark.log"),
             "--format", "json"])
        self.assertEqual(status, 0, err)
        cal = json.loads(out)["calibration"]
        self.assertEqual(cal["engine"], "trtllm")
        self.assertEqual(cal["settings"]["free_gpu_memory_fraction"],
                         {"value": 0.8999999761581421, "from_log": True})
        self.assertEqual(cal["settings"]["gpu_memory_gib"]["value"], 119.7)
        rows = {r["item"]: r for r in cal["rows"]}
        self.assertEqual((rows["non_torch"]["logged"], rows["kv_tokens"]["logged"]),
                         (48.72, 86720))
        # 119.70 - 63.52 - 5.95 / 0.9 = 49.57 GiB of activation and memory outside torch
        self.assertEqual(cal["backsolved"]["activation_plus_reserve_gib"], 49.57)
        # gpt-oss-120b caches 36 layers x 8 heads x 64 x 2 x 2 B = 73,728 B per token in
        # TRT-LLM ("kv size is 73728"): 5.95 GiB hold 86,655, 86,624 in 32-token blocks
        self.assertEqual(rows["kv_tokens_from_logged_memory"]["predicted"], 86624)
        self.assertEqual(cal["suggested_flags"],
                         "--engine trtllm --tensor-parallel 1 --free-gpu-memory-fraction 0.9 "
                         "--activation-gib 0.85 --runtime-reserve-gib 48.72 --max-batch-size "
                         "64 --gpu-memory-gib 119.7")
        # TRT-LLM's kv_cache_dtype='auto' is the checkpoint's KV quantization: the log's "kv
        # size is 73728" is 36 x 8 x 64 x 2 x 2 B, bf16 (the catalog's gpt-oss default is fp8);
        # a log printing 36,864 (1 B per value) is read as fp8
        self.assertEqual(cal["settings"]["kv_cache_dtype"], {"value": "bf16", "from_log": True})
        text = (FIXTURES / "logs" / "trtllm-1.1-gpt-oss-120b-dgx-spark.log").read_text()
        fp8 = sizing.parse_engine_log(text.replace("kv size is 73728", "kv size is 36864"), "l")
        model, server = shipped("model", "gpt-oss-120b"), shipped("server", "dgx-b200")
        settings = dict((n, v) for n, v, _ in sizing.calibrate(
            model, server, 32768, "bf16", sizing.EngineSettings(), fp8, "l").settings)
        self.assertEqual(settings["kv_cache_dtype"], "fp8")

    def test_a_log_without_engine_lines_fails_closed(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "x.log"
            log.write_text("hello\nnothing to see\n")
            status, out, err = run_main(fixture_args(
                "--model", "spec-120b", "--server", "spec-node", "--concurrency", "10",
                "--effective-context", "1000", "--calibrate-from-log", str(log)))
            self.assertEqual((status, out), (1, ""))
            self.assertIn("x.log: no vLLM, SGLang or TRT-LLM start-up line found", err)
            status, out, err = run_main(fixture_args(
                "--model", "spec-120b", "--server", "spec-node", "--concurrency", "10",
                "--effective-context", "1000", "--calibrate-from-log", str(Path(tmp) / "no")))
            self.assertEqual((status, out), (1, ""))
            self.assertIn("file not found", err)

    def test_a_log_at_a_parallelism_the_model_cannot_run_is_refused(self):
        # Llama-3.1-8B's 8 KV heads do not split over 3 GPUs: no engine starts so, so a log
        # saying TP 3 is of another model (or server); sizing on would suggest a flag the tool
        # itself refuses
        text = (FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log").read_text(
            encoding="utf-8").replace("tensor_parallel_size=1,", "tensor_parallel_size=3,")
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "tp3.log"
            log.write_text(text, encoding="utf-8")
            status, out, err = run_main(["--model", "llama-3.1-8b", "--server", "dgx-h100",
                                         "--concurrency", "10", "--effective-context", "16000",
                                         "--calibrate-from-log", str(log)])
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err.strip(), f"sizing: error: {log}: tensor parallelism 3: 3 GPUs per "
                                      f"replica do not split the model's 8 KV heads evenly "
                                      f"(llama-3.1-8b on dgx-h100)")


class DataParallelAttentionTest(unittest.TestCase):
    """Issue 17: with TP 8 every GPU keeps a copy of each session's MLA latent; data-parallel
    attention keeps it once, on the session's own rank."""

    ARGS = ["--model", "deepseek-v3", "--server", "dgx-b300", "--concurrency", "1000",
            "--effective-context", "128k", "--engine", "sglang", "--format", "json"]

    def run_json(self, *extra):
        return run_json(self, self.ARGS + list(extra))

    def test_one_latent_per_session_holds_six_times_the_sessions(self):
        tp8 = self.run_json("--tensor-parallel", "8")
        dp = self.run_json("--data-parallel-attention")
        # One session at 131,072 tokens: 61 MLA layers x (512 + 64) x 2 bytes (bf16) =
        # 70,272 bytes per token on every GPU that holds it, at TP 8 and on its DP rank alike.
        for doc in (tp8, dp):
            self.assertEqual(doc["engine"]["per_gpu"]["request_bytes"], 61 * 1152 * 131072)
        self.assertEqual((dp["engine"]["settings"]["tensor_parallel"],
                          dp["engine"]["settings"]["data_parallel"],
                          dp["engine"]["settings"]["expert_parallel"]), (1, 8, True))
        # TP 8: one replica per node, each session on all 8 GPUs; DP: 8 ranks, each with its
        # own sessions, so 8 x what one GPU's pool holds, less per GPU: every rank keeps the
        # attention weights whole, and SGLang reserves more for DP attention's CUDA graphs.
        # Its mem_fraction_static on a 267.69 GiB (274,114.56 MiB) B300: reserved 512 +
        # 16,384 x 1.5 + 512 x 2 + 8 / 8 x 1,024 = 27,136 MiB, round(1 - 27,136 / 274,114.56,
        # 3) = 0.901; with DP attention over 8 ranks + 512 x 8 x 4.5 = 45,568 MiB: 0.834.
        self.assertEqual((tp8["engine"]["settings"]["budget_share"],
                          dp["engine"]["settings"]["budget_share"]), (0.901, 0.834))
        per_gpu = lambda d: d["engine"]["per_gpu"]["kv_pool_bytes"] // (61 * 1152 * 131072)
        self.assertEqual(tp8["engine"]["per_node"]["sessions"], per_gpu(tp8))
        self.assertEqual(dp["engine"]["per_node"]["sessions"], 8 * per_gpu(dp))
        self.assertGreaterEqual(dp["engine"]["per_node"]["sessions"],
                                6 * tp8["engine"]["per_node"]["sessions"])
        # 45,568 - 27,136 = 18,432 MiB for the 8 ranks' CUDA graphs: 18 of 267.69 GiB, under
        # the quarter of a GPU from which the reserve is said
        self.assertNotIn("sglang_graph_reserve", [a["code"] for a in dp["alerts"]])

    def test_sglang_splits_the_dense_mlps_and_the_head_over_every_rank(self):
        # SGLang splits DeepSeek-V3's dense MLPs and shared experts (1,189,085,184 +
        # 2,554,331,136 parameters, FP8: 1 byte each) and its LM head (129,280 x 7,168 in
        # bf16) over the 8 ranks instead of copying them (deepseek_v2.py, ParallelLMHead
        # without --enable-dp-lm-head); vLLM, one engine per rank, copies them.
        spread = 3_743_416_320 + 129_280 * 7_168 * 2
        self.assertEqual(spread, 5_596_774_400)
        base = ["--data-parallel-attention", "--kv-precision", "fp8"]
        sglang = self.run_json(*base)["engine"]
        vllm = run_json(self, self.ARGS[:-4] + ["--engine", "vllm", "--format", "json"]
                        + base)["engine"]
        self.assertEqual(sglang["per_gpu"]["weights_spread_bytes"], spread // 8)
        self.assertEqual(vllm["per_gpu"]["weights_spread_bytes"], 0)
        self.assertEqual(vllm["per_gpu"]["weights_bytes"] - sglang["per_gpu"]["weights_bytes"],
                         spread * 7 // 8)                        # 4,897,177,600 B, 4.56 GiB
        # what the rank's pool then holds: SGLang's KV memory, mem_fraction_static x (GPU
        # memory - reserve) - weights, over one session's 61 x 576 x 1 B x 131,072 tokens
        g = sglang["per_gpu"]
        weights = vllm["per_gpu"]["weights_bytes"] - spread * 7 // 8
        kv = sglang["settings"]["budget_share"] * (g["gpu_memory_bytes"]
                                                   - g["runtime_reserve_bytes"]) - weights
        self.assertAlmostEqual(g["kv_memory_bytes"], kv, delta=1)
        self.assertEqual(sglang["per_replica"]["sessions"], int(kv // (61 * 576 * 131072)))
        self.assertEqual(sglang["per_replica"]["sessions"], 31)   # with copies: 29 (README)
        # and a decode step reads each GPU's share of them: the rank's dense weights but the
        # input embedding it only gathers rows of (129,280 x 7,168 x 2 B), the split ones / 8
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "deepseek-v3")
        server = next(s for s in catalogs.servers if s.name == "dgx-b300")
        settings = sizing.dp_attention_settings(
            sizing.EngineSettings(engine="sglang", dp_attention=True), server)
        engine = sizing.engine_capacity_at(model, server, 131072, "fp8", settings, 1, False)
        replica = sizing.replica_costs(model, server, engine, "fp8", settings, True, 131072)
        dense = engine.weights_total_bytes - engine.weights_expert_bytes
        self.assertEqual(replica.dense_bytes,
                         dense - 129_280 * 7_168 * 2 - spread + spread // 8)

    def test_sglang_s_graph_reserve_for_a_rack_of_ranks_is_said(self):
        # SGLang's default fraction sets aside cuda_graph_max_bs x ranks x 4.5 MiB for data-
        # parallel attention (server_args.py; batch 512 above 160 GiB): on a GB300 NVL72 rack
        # 512 x 72 x 4.5 = 165,888 MiB = 162 GiB of each GPU's 276.5. Its whole reserve,
        # 512 + 16,384 x 1.5 + 512 x 2 + 72 / 8 x 1,024 + 165,888 = 201,216 MiB, leaves
        # (283,136 - 201,216) / 283,136 = 0.289. On a DGX B300's 8 ranks the term is 18 of
        # 267.69 GiB, under a quarter: not said (test above); nor with a fraction given.
        base = ["--model", "deepseek-v3", "--server", "gb300-nvl72", "--concurrency", "1000",
                "--effective-context", "64k", "--kv-precision", "fp8", "--engine", "sglang",
                "--data-parallel-attention", "--format", "json"]
        said = [a for a in run_json(self, base, status=0)["alerts"]
                if a["code"] == "sglang_graph_reserve"]
        self.assertEqual([a["values"] for a in said], [{
            "ranks": 72, "share": 0.289, "graphs_gib": 162.0, "gpu_gib": 276.5, "batch": 512}])
        self.assertEqual(said[0]["severity"], "warning")
        given = run_json(self, base + ["--mem-fraction-static", "0.85"])
        self.assertNotIn("sglang_graph_reserve", [a["code"] for a in given["alerts"]])

    def test_a_group_over_a_racks_hosts_is_launched_on_each(self):
        # an NVL72 rack is 18 hosts (compute trays) of 4 GPUs (servers.json gpus_per_host):
        # 72 ranks sit in 72 / 4 = 18 of them, which the launch line says; a replica of TP 2
        # fits one host and needs no such word
        base = ["--server", "gb300-nvl72", "--concurrency", "1000", "--effective-context", "64k",
                "--kv-precision", "fp8", "--format", "text"]
        _, wide, _ = run_main(["--model", "deepseek-v3", "--data-parallel-attention"] + base)
        self.assertIn("(its GPUs sit in 18 hosts of the rack, 4 each: start it on each, with "
                      "the engine's launch over several hosts)", " ".join(wide.split()))
        _, small, _ = run_main(["--model", "llama-3.1-8b", "--tensor-parallel", "2"] + base)
        self.assertIn("start one replica as sized", small)
        self.assertNotIn("hosts of the rack", small)

    def test_a_rack_of_72_ranks_can_be_given_as_flags(self):
        # --data-parallel-attention on an NVL72 rack makes 72 one-GPU ranks, and the alerts
        # name such layouts as flags (--tensor-parallel 1 --data-parallel 72
        # --expert-parallel): the flag takes as many ranks as a rack holds (it stopped at 64)
        base = ["--model", "deepseek-v3", "--server", "gb200-nvl72", "--concurrency", "1000",
                "--effective-context", "64k", "--kv-precision", "fp8", "--format", "json"]
        named = run_json(self, base + ["--data-parallel-attention"])
        given = run_json(self, base + ["--tensor-parallel", "1", "--data-parallel", "72",
                                       "--expert-parallel"])
        for doc in (named, given):
            self.assertEqual((doc["engine"]["settings"]["tensor_parallel"],
                              doc["engine"]["settings"]["data_parallel"]), (1, 72))
        self.assertEqual(named["scenarios"], given["scenarios"])

    def test_the_layout_search_picks_it_when_it_needs_fewer_nodes(self):
        auto = self.run_json()
        tp8 = self.run_json("--tensor-parallel", "8")
        self.assertEqual(auto["performance"]["layout"]["data_parallel"], 8)
        self.assertLess(auto["scenarios"]["recommended"]["results"]["nodes_final"],
                        tp8["scenarios"]["recommended"]["results"]["nodes_final"])
        # the runner-up is the next best layout, as sized when its flags are given: one-GPU
        # ranks whose expert group spans 2 nodes (TP 1 x DP 16, over the B300s' NICs)
        runner = auto["performance"]["runner_up"]
        self.assertEqual((runner["tensor_parallel"], runner["data_parallel"]), (1, 16))
        pinned = self.run_json("--tensor-parallel", "1", "--data-parallel", "16",
                               "--expert-parallel")
        self.assertEqual(runner["nodes_final"],
                         pinned["scenarios"]["recommended"]["results"]["nodes_final"])
        # and attention ranks of 2 GPUs (TP 2 x DP 4), which copy the latent twice, not eight
        # times, need fewer nodes than TP 8 too
        for sized in (runner["nodes_final"], self.run_json(
                "--tensor-parallel", "2", "--data-parallel", "4",
                "--expert-parallel")["scenarios"]["recommended"]["results"]["nodes_final"]):
            self.assertLess(sized, tp8["scenarios"]["recommended"]["results"]["nodes_final"])

    def test_attention_ranks_of_several_gpus_are_searched(self):
        # Qwen3-235B-A22B (4 KV heads) on DGX H200 at 32k in the engine view: TP 8 copies
        # each KV head twice, one attention rank per GPU copies the attention weights eight
        # times; ranks of 4 GPUs (TP 4 x DP 2, experts over all 8) need the fewest nodes of
        # the layouts pinned one by one. TRT-LLM, whose attention ranks are one GPU each,
        # never gets a TP above 1 with data-parallel attention.
        base = ["--model", "qwen3-235b-a22b", "--server", "dgx-h200", "--concurrency", "300",
                "--effective-context", "32k", "--memory-model", "engine", "--format", "json"]
        nodes = lambda d: d["scenarios"]["recommended"]["results"]["nodes_final"]  # noqa: E731
        pinned = {tuple(flags): nodes(run_json(self, base + flags)) for flags in (
            ["--tensor-parallel", "8"], ["--tensor-parallel", "8", "--expert-parallel"],
            ["--tensor-parallel", "4", "--expert-parallel"], ["--data-parallel-attention"],
            ["--tensor-parallel", "2", "--data-parallel", "4", "--expert-parallel"],
            ["--tensor-parallel", "4", "--data-parallel", "2", "--expert-parallel"])}
        auto = run_json(self, base)
        self.assertEqual(nodes(auto), min(pinned.values()))
        self.assertLess(nodes(auto), pinned[("--data-parallel-attention",)])
        # so the layout kept has ranks of several GPUs, and sizes as its flags do
        layout = auto["performance"]["layout"]
        self.assertGreater(layout["tensor_parallel"], 1)
        self.assertGreater(layout["data_parallel"], 1)
        self.assertEqual(nodes(auto), pinned[(
            "--tensor-parallel", str(layout["tensor_parallel"]), "--data-parallel",
            str(layout["data_parallel"]), "--expert-parallel")])
        trt = run_json(self, base + ["--engine", "trtllm"])["performance"]["layout"]
        self.assertTrue(trt["data_parallel"] == 1 or trt["tensor_parallel"] == 1, trt)

    def test_sglang_splits_a_given_running_limit_over_its_ranks(self):
        # SGLang's resolve_max_num_reqs (model_runner_kv_cache_mixin.py): each data-parallel
        # attention worker runs --max-running-requests // attn_dp_size: 64 // 8 = 8 per rank,
        # 8 ranks x 8 = 64 per node; at TP 8 the one replica runs all 64.
        dp = self.run_json("--data-parallel-attention", "--max-running-requests", "64")
        tp8 = self.run_json("--tensor-parallel", "8", "--max-running-requests", "64")
        self.assertEqual(dp["engine"]["per_replica"]["running_limit"], 8)
        self.assertEqual(dp["engine"]["per_node"]["sessions"], 64)
        self.assertEqual(tp8["engine"]["per_replica"]["running_limit"], 64)
        assert_refused(self, self.ARGS + ["--data-parallel-attention",
                                          "--max-running-requests", "4"],
                       "--max-running-requests 4 is split over 8 data-parallel attention ranks")

    def test_a_dense_model_is_refused(self):
        status, out, err = run_main(["--model", "llama-3.1-70b", "--server", "dgx-h100",
                                     "--concurrency", "10", "--effective-context", "8k",
                                     "--data-parallel-attention"])
        self.assertEqual((status, out), (2, ""))
        self.assertIn("has no routed experts", err)

    def test_attention_tp_over_the_whole_node_is_refused(self):
        # --tensor-parallel is each rank's attention TP: 8 on an 8-GPU node leaves one rank,
        # which would silently be plain TP 8 (SGLang spells DP attention --tp 8 --dp 8)
        assert_refused(self, ["--model", "deepseek-v3", "--server", "dgx-b300",
                              "--concurrency", "1000", "--effective-context", "128k",
                              "--engine", "sglang", "--tensor-parallel", "8",
                              "--data-parallel-attention"],
                       "leaves one attention rank on 8 GPUs")

    def test_a_model_whose_tp_copies_no_kv_keeps_its_layout(self):
        # gpt-oss-120b: 8 KV heads over 8 GPUs, nothing copied: the search does not weigh
        # data-parallel attention, and the worked example stays 2 / 3 / 5.
        doc = run_json(self, ["--model", "gpt-oss-120b", "--server", "dgx-b300",
                              "--concurrency", "1000", "--effective-context", "128k",
                              "--format", "json"])
        self.assertEqual(doc["performance"]["layout"]["data_parallel"], 1)
        self.assertEqual([s["results"]["nodes_final"] for s in doc["scenarios"].values()],
                         [2, 3, 5])


class DataParallelAttentionAlternativeTest(unittest.TestCase):
    def test_an_moe_model_hears_when_dp_attention_would_need_fewer_nodes(self):
        # gpt-oss-120b (8 KV heads: TP 8 copies none, so the search keeps TP) on DGX H200,
        # SGLang, 5,000 sessions at 32k, TPOT within 20 ms: data-parallel attention would need
        # fewer RECOMMENDED nodes; the alert says how many and the flags that size that plan,
        # and sizing with them gives that count
        base = ["--model", "gpt-oss-120b", "--server", "dgx-h200", "--engine", "sglang",
                "--concurrency", "5000", "--effective-context", "32k", "--tpot-ms", "20",
                "--format", "json"]
        doc = run_json(self, base)
        alert = next(a for a in doc["alerts"] if a["code"] == "dp_attention_needs_fewer")
        v = alert["values"]
        self.assertEqual(v["nodes"], doc["scenarios"]["recommended"]["results"]["nodes_final"])
        self.assertLess(v["dp_nodes"], v["nodes"])
        self.assertEqual(doc["performance"]["layout"]["data_parallel"], 1)
        flags = ["--tensor-parallel", str(v["tp"]), "--data-parallel", str(v["ranks"]),
                 "--expert-parallel"]
        self.assertIn(" ".join(flags), alert["recommendation"])
        self.assertEqual(v["flags"], " ".join(flags))
        # the band it quotes was measured on the rows of dp_attention_runs.csv
        with open(FIXTURES / "perf" / "dp_attention_runs.csv", encoding="utf-8") as handle:
            self.assertEqual(v["runs"], len(list(csv.DictReader(handle))))
        self.assertIn(f"on {v['runs']} measured runs", alert["message"])
        pinned = run_json(self, base + flags)
        self.assertEqual(pinned["scenarios"]["recommended"]["results"]["nodes_final"],
                         v["dp_nodes"])
        # the worked example: the same 3 nodes either way, so no alert
        worked = run_json(self, ["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                 "--concurrency", "1000", "--effective-context", "128k",
                                 "--format", "json"])
        self.assertNotIn("dp_attention_needs_fewer", [a["code"] for a in worked["alerts"]])


class ExpertGroupOverNodesTest(unittest.TestCase):
    """DeepSeek-V3 on DGX H100 (80 GB): its experts do not fit 8 GPUs of one node with room
    for KV, so TP 8 over 8 pipeline stages copied each session's latent on 8 GPUs. Data-
    parallel attention ranks whose expert group spans nodes (wide expert parallelism, over
    the nodes' ConnectX-7 NICs) keep one latent per session."""

    ARGS = ["--model", "deepseek-v3", "--server", "dgx-h100", "--concurrency", "2000",
            "--effective-context", "32k", "--format", "json"]

    def test_a_group_of_four_nodes_is_sized_by_hand(self):
        doc = run_json(self, self.ARGS + ["--data-parallel-attention", "--data-parallel", "32"])
        e = doc["engine"]
        # routed experts: (671 - 37) x 10^9 / (1 - 8 / 256) = 654,451,612,903 parameters,
        # FP8 (1 byte), over 32 ranks: 20,451,612,904 bytes per GPU (rounded up)
        experts = (671 - 37) * 10**9 * 256 // 248
        self.assertEqual(experts, 654_451_612_903)
        self.assertEqual(e["per_gpu"]["weights_expert_bytes"], -(-experts // 32))
        # vLLM's KV memory: 0.9 x 85,018,877,624 - weights - activation - reserve, and one
        # session 61 x (512 + 64) x 2 B x 32,768 = 2,302,672,896 B on its own rank. The reserve
        # holds, beside the 0.55 GiB of non-torch memory, the DeepEP buffers the launch asks
        # for: 1 GiB (VLLM_DEEPEP_BUFFER_SIZE_MB) + 32 MiB of workspace + the low-latency RDMA
        # buffer for 256 tokens a rank, 4 x 256 experts x 256 x 14,560 B + 2 x 2,176 B of
        # signals, 3,816,820,992, rounded up past 128 B: 3,816,821,120 (4.59 GiB in all)
        g = e["per_gpu"]
        buffers = 2**30 + 32 * 2**20 + 3_816_821_120
        self.assertEqual(g["all_to_all_buffer_bytes"], buffers)
        self.assertEqual(g["runtime_reserve_bytes"], sizing.gib_bytes(0.55) + buffers)
        kv = int(0.9 * g["gpu_memory_bytes"]) - g["weights_bytes"] - g["activation_bytes"] \
            - g["runtime_reserve_bytes"]
        self.assertAlmostEqual(g["kv_memory_bytes"], kv, delta=1)
        self.assertEqual(g["request_bytes"], 61 * 576 * 2 * 32768)
        self.assertEqual(e["per_replica"]["sessions"], g["kv_pool_bytes"] // g["request_bytes"])
        self.assertEqual(e["per_replica"]["sessions"], 11)
        self.assertEqual((e["per_replica"]["expert_group_nodes"], e["per_node"]["sessions"]),
                         (4, 8 * 11))
        # RECOMMENDED: 2,000 x 1.2 = 2,400 sessions over groups of 4 x 88 = 352: 7 groups,
        # 28 nodes, and N+1 spares a whole group: 32
        r = doc["scenarios"]["recommended"]["results"]
        self.assertEqual((r["nodes_per_unit"], r["sessions_per_unit"], r["nodes_memory_engine"],
                          r["ha_extra_nodes"], r["nodes_final"]), (4, 352, 28, 4, 32))
        alert = next(a for a in doc["alerts"] if a["code"] == "expert_group_spans_nodes")
        self.assertEqual((alert["values"]["ranks"], alert["values"]["nodes"],
                          alert["values"]["gb_per_s"]), (32, 4, 50))
        # against TP 8 over 8 pipeline stages, which holds each latent on 8 GPUs (but splits
        # every weight over 64 and needs no DeepEP buffers): over 3 times the sessions a node
        tp64 = run_json(self, self.ARGS + ["--tensor-parallel", "64"])
        self.assertGreater(e["per_node"]["sessions"], 3 * tp64["engine"]["per_node"]["sessions"])
        _, out, _ = run_main(self.ARGS[:-2] + ["--data-parallel-attention", "--data-parallel",
                                               "32", "--format", "text"])
        flat = " ".join(out.split())
        self.assertIn("Bound by engine memory at 352 sessions per expert group of 4 nodes", flat)
        self.assertIn("of it 4.59 GiB DeepEP buffers for the expert group's all-to-alls", flat)
        # launched with DeepEP's low-latency all-to-all, as the step is timed (vLLM's default
        # allgather_reducescatter would send every rank's tokens to every rank over the NICs)
        self.assertIn("--data-parallel-size 32 --enable-expert-parallel --all2all-backend "
                      "deepep_low_latency", flat)
        self.assertIn("(on its 4 nodes, with the engine's multi-node launch)", flat)
        self.assertIn("8 (an expert group of these replicas spans 4 nodes)", flat)
        self.assertIn("No measured run has an expert group over several nodes", flat)

    def test_sglang_launches_a_group_over_nodes_with_deepep(self):
        # SGLang's own exchange without --moe-a2a-backend gathers every rank's rows to every
        # rank (dp_attention.py); the group is timed as DeepEP sends tokens, and launched so
        argv = self.ARGS[:-2] + ["--engine", "sglang", "--mem-fraction-static", "0.85",
                                 "--data-parallel-attention", "--data-parallel", "32",
                                 "--format", "text"]
        status, out, err = run_main(argv)
        self.assertEqual(status, 0, err)
        self.assertIn("--tp-size 32 --dp-size 32 --enable-dp-attention --ep-size 32 "
                      "--moe-a2a-backend deepep --context-length 32768", " ".join(out.split()))
        # and the step counts what DeepEP sends, not a gather
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "deepseek-v3")
        server = next(x for x in catalogs.servers if x.name == "dgx-h100")
        st = sizing.EngineSettings(engine="sglang", tensor_parallel=1, data_parallel=32,
                                   expert_parallel=True, dp_attention=True,
                                   mem_fraction_static=0.85)
        engine = sizing.engine_capacity_at(model, server, 32768, "bf16", st, 1, False)
        self.assertEqual(engine.group_nodes, 4)
        self.assertFalse(sizing.replica_costs(model, server, engine, "bf16", st, True,
                                              32768).gathers)

    def test_trtllm_launches_a_group_over_nodes_with_deepep(self):
        # Without a multi-node NVLink rack, TensorRT-LLM's attention DP gathers every rank's
        # tokens unless TRTLLM_CAN_USE_DEEP_EP=1 picks DeepEP (select_alltoall_method_type):
        # the launch sets it, and the step is timed as DeepEP sends tokens. With CUDA graphs
        # it takes DeepEP's low-latency kernels, whose buffer it sizes for
        # TRTLLM_DEEP_EP_TOKEN_LIMIT tokens a rank, by default max_num_tokens (8,192): the
        # launch sets 256, as vLLM's VLLM_MOE_DP_CHUNK_SIZE
        doc = run_json(self, self.ARGS + ["--engine", "trtllm", "--data-parallel-attention",
                                          "--data-parallel", "32"])
        launch = doc["engine"]["launch"]
        self.assertEqual(launch["env"], {"TRTLLM_CAN_USE_DEEP_EP": "1",
                                         "TRTLLM_DEEP_EP_TOKEN_LIMIT": "256"})
        self.assertTrue(launch["command"].startswith(
            "TRTLLM_CAN_USE_DEEP_EP=1 TRTLLM_DEEP_EP_TOKEN_LIMIT=256 trtllm-serve "))
        self.assertEqual(launch["argv"][0], "trtllm-serve")
        # Its buffer (VariableLengthLowLatencyBuffer.reserve) has no NVLink part: DeepEP's
        # 32 MiB workspace + the RDMA buffer for 256 tokens a rank over 32 ranks,
        # 3,816,821,120 B (as in the vLLM test above), taken before the KV cache is sized:
        # KV = 0.9 x (GPU - weights - activation - reserve), the reserve 1.54 GiB of start-up
        # beside the buffers
        g = doc["engine"]["per_gpu"]
        buffers = 32 * 2**20 + 3_816_821_120
        self.assertEqual(g["all_to_all_buffer_bytes"], buffers)
        self.assertEqual(g["runtime_reserve_bytes"], sizing.gib_bytes(1.54) + buffers)
        kv = (g["gpu_memory_bytes"] - g["weights_bytes"] - g["activation_bytes"]
              - g["runtime_reserve_bytes"]) * 9 // 10
        self.assertAlmostEqual(g["kv_memory_bytes"], kv, delta=1)
        # A step with more than the limit's tokens on a rank (one carrying a prompt chunk)
        # gathers them to every rank instead (can_use_alltoall): 32 ranks where a dispatch
        # sends a token's 8 copies, so 4 times the bytes over the NICs; vLLM's DeepEP
        # all-to-all has no such limit (it splits a step into VLLM_MOE_DP_CHUNK_SIZE pieces)
        catalogs = shipped_catalogs()
        model = next(m for m in catalogs.models if m.name == "deepseek-v3")
        server = next(x for x in catalogs.servers if x.name == "dgx-h100")
        c = sizing.ENGINE_PERF["trtllm"]._replace(allreduce_latency_s=0.0)
        volume = 8 * 1024 * 7168 * 2 * 24 / 32 / 50e9      # 8 copies over the NICs, seconds
        for engine, factor in (("trtllm", 4), ("vllm", 1)):
            st = sizing.EngineSettings(engine=engine, tensor_parallel=1, data_parallel=32,
                                       expert_parallel=True, dp_attention=True)
            capacity = sizing.engine_capacity_at(model, server, 32768, "bf16", st, 1, False)
            replica = sizing.replica_costs(model, server, capacity, "bf16", st, True, 32768)
            self.assertAlmostEqual(sizing.all_to_all_seconds(replica, c, 1024),
                                   factor * volume + 20e-6, delta=1e-9)
            self.assertAlmostEqual(sizing.all_to_all_seconds(replica, c, 256),
                                   volume / 4 + 20e-6, delta=1e-9)
        # The ranks step together at each MoE layer: the group gathers whenever any of its 32
        # ranks carries a prompt. A chat turn of 1,024 + 1,024 at 8 sessions a rank brings 8
        # prompt tokens a step, a whole prompt on 8 / 1,024 of a rank's steps: the group
        # gathers on 1 - (1 - 1/128)^32 = 22.2% of steps, where the mean step counts a
        # rank's own chunk steps, 8 / 8,192 of them. Beside the chunk steps' gathers of 8,200
        # tokens instead of dispatches, the decode tokens of the other steps: each gather of
        # 8 sends 3 x 8 x 8 x 7,168 x 2 B x 24 / 32 / 50 GB/s more than a dispatch
        trtllm = sizing.replica_costs(model, server, sizing.engine_capacity_at(
            model, server, 32768, "bf16", st._replace(engine="trtllm"), 1, False), "bf16",
            st._replace(engine="trtllm"), True, 32768)
        extra = lambda n: 3 * 8 * n * 7168 * 2 * 24 / 32 / 50e9  # noqa: E731
        share, group = 8 / 8192, 1 - (1 - 1 / 128) ** 32
        c = sizing.ENGINE_PERF["trtllm"]
        step = sizing.decode_seconds(trtllm, c, 8, 1024, 1024, 30720)[0]
        dispatched = sizing.decode_seconds(trtllm._replace(gathers_above=0), c, 8, 1024, 1024,
                                           30720)[0]
        self.assertAlmostEqual(step - dispatched, 2 * 61 * (share * extra(8 + 8192)
                                                           + (group - share) * extra(8)),
                               delta=1e-9)
        # what the README says this costs the headline case
        doc = run_json(self, self.ARGS + ["--engine", "trtllm", "--tpot-ms", "50"])
        self.assertEqual(doc["performance"]["layout"]["data_parallel"], 32)
        nodes = doc["scenarios"]["recommended"]["results"]["nodes_final"]
        assert_says(self, "README.md", "`--engine trtllm --tpot-ms 50`, needs "
                                       f"{nodes} nodes at RECOMMENDED in groups of 32 ranks")
        # within a node it has no variable to set
        inside = run_json(self, ["--model", "deepseek-v3", "--server", "dgx-b300",
                                 "--concurrency", "100", "--effective-context", "32k",
                                 "--engine", "trtllm", "--data-parallel-attention",
                                 "--format", "json"])
        self.assertIsNone(inside["engine"]["launch"]["env"])

    def test_a_fleet_counts_whole_groups(self):
        # 30 nodes make 7 groups of 4 (28 nodes); the other 2 serve no group. RECOMMENDED needs
        # 32 (above): 2 to add. Held: 7 x 352 = 2,464; a lost node takes its group: 6 x 352 =
        # 2,112, then 5 x 352 = 1,760.
        argv = self.ARGS + ["--data-parallel-attention", "--data-parallel", "32",
                            "--current-nodes", "30"]
        rec = run_json(self, argv)["current_fleet"]["scenarios"]["recommended"]
        self.assertEqual((rec["meets"], rec["nodes_to_add"], rec["nodes_idle"]), (False, 2, 2))
        self.assertEqual((rec["sessions_held"], rec["sessions_held_after_losing_one_node"],
                          rec["sessions_held_after_losing_two_nodes"]), (2464, 2112, 1760))
        _, out, _ = run_main(self.ARGS[:-2] + argv[len(self.ARGS):] + ["--format", "text"])
        self.assertIn("Its 30 nodes make 7 expert groups of 4 nodes; 2 nodes are left idle. At "
                      "RECOMMENDED's sessions per expert group of 4 nodes it holds 2,464 "
                      "sessions at once;", " ".join(out.split()))
        # the executive report says it without the engine's terms
        _, out, _ = run_main(self.ARGS[:-2] + argv[len(self.ARGS):] + ["--format", "text",
                                                                     "--executive-report"])
        self.assertIn("Its 30 nodes make 7 copies of the model, 4 nodes each; 2 nodes are left "
                      "idle. At RECOMMENDED's sessions per copy of the model it holds 2,464",
                      " ".join(out.split()))

    def test_the_layout_search_weighs_groups_over_nodes(self):
        auto = run_json(self, self.ARGS + ["--tpot-ms", "50"])
        layout = auto["performance"]["layout"]
        self.assertGreater(layout["expert_group_nodes"], 1)
        self.assertEqual(layout["tensor_parallel"] * layout["data_parallel"],
                         8 * layout["expert_group_nodes"])
        tp64 = run_json(self, self.ARGS + ["--tpot-ms", "50", "--tensor-parallel", "64"])
        self.assertLess(2 * auto["scenarios"]["recommended"]["results"]["nodes_final"],
                        tp64["scenarios"]["recommended"]["results"]["nodes_final"])
        # a server whose catalog entry gives no network between nodes keeps its groups within
        # a node: a DGX H100 without scaleout_gb_per_s
        catalogs = shipped_catalogs()
        h100 = next(s for s in catalogs.servers if s.name == "dgx-h100")
        self.assertFalse(sizing.expert_group_runs(h100._replace(scaleout_gb_per_s=None), 1, 16))
        self.assertTrue(sizing.expert_group_runs(h100, 1, 16))


class BlockGroupsTest(unittest.TestCase):
    def test_the_worked_example_says_two_groups_draw_on_its_blocks(self):
        # gpt-oss-120b's 18 full and 18 sliding layers make vLLM groups of 18: two groups draw
        # on one pool of blocks, and the logged tokens are blocks // 2 x 16
        base = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
                "--effective-context", "128k"]
        per_gpu = run_json(self, base + ["--format", "json"])["engine"]["per_gpu"]
        self.assertEqual(per_gpu["kv_block_groups"], 2)
        self.assertEqual(per_gpu["kv_capacity_tokens"], per_gpu["kv_num_blocks"] // 2 * 16)
        _, out, _ = run_main(base + ["--format", "text"])
        self.assertIn(f"{per_gpu['kv_num_blocks']:,} blocks of 16 tokens, drawn on by 2 layer "
                      "groups", " ".join(out.split()))


class EngineAlternativeTest(unittest.TestCase):
    def test_an_engine_that_keeps_the_model_tighter_is_named(self):
        # Gemma 3 27B, 500 sessions at 32k on DGX H100, engine memory sizing the plan. At TP 8
        # a layer keeps 2 KV heads x 256 x 2 B = 1,024 B a token per GPU. SGLang keeps its 52
        # sliding layers whole (Gemma3ForConditionalGeneration is not among its hybrid-SWA
        # architectures): 62 x 1,024 x 32,768 = 2,080,374,784 B a session per GPU. vLLM keeps
        # the windows (GemmaThreeTest): 902,758,400 B. So the SGLang plan hears which engine
        # would need fewer nodes, and the flags it gives size that plan.
        base = ["--model", "gemma-3-27b", "--server", "dgx-h100", "--concurrency", "500",
                "--effective-context", "32k", "--tensor-parallel", "8", "--format", "json"]
        sglang = run_json(self, base + ["--engine", "sglang"])
        vllm = run_json(self, base + ["--engine", "vllm"])
        self.assertEqual(sglang["engine"]["per_gpu"]["request_bytes"], 62 * 1024 * 32768)
        self.assertEqual(vllm["engine"]["per_gpu"]["request_bytes"], 902758400)
        recommended = sglang["scenarios"]["recommended"]["results"]
        self.assertEqual(recommended["binding_constraint"], "memory_engine")
        alert = next(a for a in sglang["alerts"] if a["code"] == "other_engine_needs_fewer")
        v = alert["values"]
        self.assertEqual((v["engine"], v["nodes"]), ("sglang", recommended["nodes_final"]))
        self.assertLess(v["other_nodes"], v["nodes"])
        self.assertTrue(v["flags"].startswith(f"--engine {v['other']} --tensor-parallel "))
        # the values keep the engines' ids; the sentences name them as their projects do
        names = {"vllm": "vLLM", "sglang": "SGLang", "trtllm": "TensorRT-LLM"}
        self.assertTrue(alert["message"].startswith(f"{names[v['other']]}'s memory rules"))
        self.assertIn("with SGLang's", alert["message"])
        self.assertIn(f"--engine {v['other']} ", alert["recommendation"])
        other = run_json(self, base[:-4] + v["flags"].split() + ["--format", "json"])
        self.assertEqual(other["scenarios"]["recommended"]["results"]["nodes_final"],
                         v["other_nodes"])
        # the engine it names hears of none better; nor does a plan whose pool is given, nor
        # one the pooled budget sizes (the worked example)
        self.assertNotIn("other_engine_needs_fewer", [a["code"] for a in other["alerts"]])
        given = run_json(self, base + ["--engine", "sglang", "--kv-cache-memory-gib", "40"])
        self.assertNotIn("other_engine_needs_fewer", [a["code"] for a in given["alerts"]])
        worked = run_json(self, ["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                 "--concurrency", "1000", "--effective-context", "128k",
                                 "--format", "json"])
        self.assertNotIn("other_engine_needs_fewer", [a["code"] for a in worked["alerts"]])

    def test_tensorrt_llm_is_not_offered_or_sized_on_amd_gpus(self):
        # TensorRT-LLM runs on NVIDIA GPUs only. DeepSeek-V3 on MI355X with SGLang: its rules
        # would need fewer nodes than SGLang's, but the alert may not name an engine the
        # server cannot run; a comparison leaves the AMD server out, saying why
        base = ["--model", "deepseek-v3", "--concurrency", "500", "--effective-context", "32k"]
        sglang = run_json(self, base + ["--server", "mi355x-platform", "--engine", "sglang",
                                        "--format", "json"])
        named = [a["values"].get("other") for a in sglang["alerts"]]
        self.assertNotIn("trtllm", named)
        code, out, err = run_main(base + ["--server", "dgx-h100,mi300x-platform", "--engine",
                                          "trtllm", "--format", "text"])
        self.assertEqual(code, 0, err)
        self.assertIn("mi300x-platform left out: --engine trtllm: TensorRT-LLM runs on NVIDIA "
                      "GPUs only", " ".join(out.split()))


    def test_reports_name_the_engine_as_its_project_does(self):
        # prose says vLLM, SGLang and TensorRT-LLM; the flag that picks one, and the JSON, keep
        # the ids vllm, sglang and trtllm
        base = ["--model", "llama-3.1-8b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "8k"]
        for engine, name in (("vllm", "vLLM"), ("sglang", "SGLang"), ("trtllm", "TensorRT-LLM")):
            with self.subTest(engine):
                _, out, _ = run_main(base + ["--engine", engine, "--format", "text"])
                self.assertIn(f"Engine view, per GPU ({name};", out)
                self.assertIn(f"Performance per replica ({name};", out)
                self.assertEqual(run_json(self, base + ["--engine", engine, "--format", "json"])
                                 ["engine"]["settings"]["engine"], engine)


class ScenarioLayoutAlternativeTest(unittest.TestCase):
    def test_a_scenario_hears_of_a_layout_that_would_need_fewer_nodes(self):
        # Llama-3.1-70B on 8x L40S, 1,000 sessions at 128k, SGLang at 0.95, TPOT within
        # 100 ms: the layout RECOMMENDED needs fewest nodes with sizes all three scenarios, and
        # another layout the search sized needs fewer IDEAL nodes (its spares and headroom in
        # that layout's whole replicas). The alert gives both counts and the flags, and sizing
        # with the flags gives its count; RECOMMENDED never needs fewer nodes that way.
        base = ["--model", "llama-3.1-70b", "--server", "l40s-8x", "--engine", "sglang",
                "--concurrency", "1000", "--effective-context", "128k", "--tpot-ms", "100",
                "--mem-fraction-static", "0.95", "--format", "json"]
        doc = run_json(self, base)
        alerts = [a for a in doc["alerts"] if a["code"] == "scenario_layout_needs_fewer"]
        self.assertEqual([a["scenario"] for a in alerts], ["ideal"])
        v = alerts[0]["values"]
        results = {k: s["results"] for k, s in doc["scenarios"].items()}
        self.assertEqual(v["nodes"], results["ideal"]["nodes_final"])
        self.assertLess(v["layout_nodes"], v["nodes"])
        self.assertEqual(v["chosen_layout"],
                         f"TP {doc['performance']['layout']['tensor_parallel']}")
        self.assertNotEqual(v["layout"], v["chosen_layout"])
        self.assertIn(v["flags"], alerts[0]["recommendation"])
        pinned = run_json(self, base + v["flags"].split())
        again = {k: s["results"] for k, s in pinned["scenarios"].items()}
        self.assertEqual(again["ideal"]["nodes_final"], v["layout_nodes"])
        self.assertGreaterEqual(again["recommended"]["nodes_final"],
                                results["recommended"]["nodes_final"])
        # pinned, the search sizes that layout only: no alert
        self.assertNotIn("scenario_layout_needs_fewer", [a["code"] for a in pinned["alerts"]])
        # the worked example: the pooled budget binds every scenario whatever the layout
        worked = run_json(self, ["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                 "--concurrency", "1000", "--effective-context", "128k",
                                 "--format", "json"])
        self.assertNotIn("scenario_layout_needs_fewer", [a["code"] for a in worked["alerts"]])


class ParallelismAndServersTest(unittest.TestCase):
    def calibration(self, *args):
        """The calibration section of the JSON a command line prints (it must succeed)."""
        status, out, err = run_main([*args, "--format", "json"])
        self.assertEqual(status, 0, err)
        return json.loads(out)["calibration"]

    """Issue 13: expert and data parallelism, speculative drafts, what each engine keeps in
    its pool, GPU memory as CUDA reports it, and racks bought whole."""

    def test_qwen3_235b_tp4_dp2_with_expert_parallelism(self):
        # Qwen3-235B-A22B (catalog: 235 B total, 22 B active, 128 experts, 8 per token,
        # embeddings 1,244,659,712) in FP8. Routed experts: (235 - 22)e9 / (1 - 8/128) =
        # 227.2e9 parameters x 1 B, split whole over TP 4 x DP 2 = 8 GPUs: 28.4e9 B each.
        # The rest, 7.8e9 parameters (embeddings in bf16): (7.8e9 - 1,244,659,712) x 1 +
        # 1,244,659,712 x 2 = 9,044,659,712 B, split over the 4 GPUs of a TP group:
        # 2,261,164,928 B. Per GPU: 30,661,164,928 B = 28.56 GiB (55.0 GiB at TP 4 alone).
        model = shipped("model", "qwen3-235b-a22b")
        e = capacity(model, 32768, tp=4, weight_precision="fp8", data_parallel=2,
                     expert_parallel=True)
        self.assertEqual(e.weights_per_gpu_bytes, 2_261_164_928 + 28_400_000_000)
        alone = capacity(model, 32768, tp=4, weight_precision="fp8")
        self.assertEqual(alone.weights_per_gpu_bytes, (9_044_659_712 + 227_200_000_000) // 4)
        self.assertGreater(e.kv_memory_bytes, alone.kv_memory_bytes)

    def test_h200_uses_what_cuda_reports(self):
        # torch.cuda.mem_get_info() total on an H200 141 GB: 150,109,880,320 B = 139.80 GiB
        doc = run_json(self, ["--model", "llama-3.1-70b", "--server", "dgx-h200",
                              "--concurrency", "100", "--effective-context", "32k",
                              "--format", "json"])
        self.assertEqual(doc["engine"]["per_gpu"]["gpu_memory_gib"], 139.8)
        self.assertEqual(doc["engine"]["settings"]["gpu_memory_from"], "catalog")

    def test_every_server_says_what_cuda_reports(self):
        for server in catalogs().servers:
            with self.subTest(server.name):
                self.assertIsNotNone(server.gpu_memory_gib)
                self.assertTrue(server.gpu_memory_source)
                self.assertLess(server.gpu_memory_gib, server.hbm_per_gpu_gb)

    def test_a_gb200_nvl72_plan_is_in_racks(self):
        status, out, _ = run_main(["--model", "deepseek-v3", "--server", "gb200-nvl72",
                                   "--concurrency", "1000", "--effective-context", "128k",
                                   "--kv-precision", "fp8"])
        self.assertEqual(status, 0)
        doc = last_json(out)
        self.assertEqual(doc["inputs"]["server"]["unit"], "rack")
        rec = doc["scenarios"]["recommended"]["results"]
        self.assertEqual(rec["gpus_final"], rec["nodes_final"] * 72)
        plan = " ".join(out.splitlines()[2:5])
        self.assertIn(f"RECOMMENDED {rec['nodes_final']} x gb200-nvl72 (", plan)
        self.assertIn("sessions per rack", plan)
        text = out[:out.index("\n{\n")]
        self.assertIn("racks (final, + HA)", text)
        self.assertNotIn("nodes (final", text)
        self.assertEqual(rec["ha_extra_nodes"], 1)          # N+1 is one spare rack
        # the search weighs one attention rank per GPU over the rack (72 ranks, more than
        # --data-parallel may give) beside ranks of 2, 4, 8 GPUs, and keeps the fewest racks
        args = ["--model", "deepseek-v3", "--server", "gb200-nvl72", "--concurrency", "1000",
                "--effective-context", "128k", "--kv-precision", "fp8", "--format", "json"]
        racks = {tp: run_json(self, args + ["--data-parallel-attention", "--tensor-parallel",
                                            str(tp)])["scenarios"]["recommended"]["results"][
                                                "nodes_final"] for tp in (1, 2, 4, 8)}
        self.assertEqual(rec["nodes_final"], min(racks.values()))
        layout = doc["performance"]["layout"]
        self.assertEqual(layout["data_parallel"] * layout["tensor_parallel"], 72)
        self.assertEqual(racks[layout["tensor_parallel"]], rec["nodes_final"])

    def test_rack_planning_views_say_racks(self):
        # The solver's and the growth plan's texts once read the language's table before it
        # was switched to racks: "MOST SESSIONS THE NODES HOLD", "the nodes to buy then".
        base = ["--model", "gpt-oss-120b", "--server", "gb200-nvl72", "--effective-context",
                "128k", "--format", "text"]
        word = {"en": r"\b[Nn]odes?\b", "pt-BR": r"\b[Nn]ós?\b"}
        for lang in sizing.LANGUAGES:
            for extra in (["--solve", "max-concurrency", "--nodes", "2"],
                          ["--concurrency", "1k,20k", "--current-nodes", "2"]):
                with self.subTest(lang=lang, extra=extra):
                    status, out, err = run_main(base + extra + ["--lang", lang])
                    self.assertEqual(status, 0, err)
                    self.assertIn("rack", out)
                    self.assertEqual(re.findall(word[lang], out), [])

    def test_activation_is_the_larger_of_sampler_and_forward_pass(self):
        # vLLM's profile run: a forward pass over max_num_batched_tokens, then the sampler over
        # max_num_seqs rows of logits. Llama-3.1-8B (vocabulary 128,256, hidden 4,096):
        # sampler 1,024 x 128,256 x 38.9 B = 5,108,898,201 B at an H100's defaults (8,192
        # tokens, 1,024 sequences), above the forward pass's 8,192 x 4,096 x 30 B =
        # 1,006,632,960; with 256 sequences 1,277,224,550; with 128 sequences and 16,384
        # tokens the forward pass, 16,384 x 4,096 x 30 B = 2,013,265,920, is the larger.
        model = shipped("model", "llama-3.1-8b")
        cases = (({}, 5_108_898_201), ({"max_num_seqs": 256}, 1_277_224_550),
                 ({"max_num_seqs": 128, "max_num_batched_tokens": 16384}, 2_013_265_920))
        for flags, expected in cases:
            with self.subTest(flags=flags):
                self.assertEqual(capacity(model, 16000, tp=1, **flags).activation_bytes,
                                 expected)

    def test_flashinfer_sampler_holds_fewer_bytes_per_logit(self):
        # Qwen3-32B at TP 1 on an H100 (79.18 GiB), 16,000 tokens, vLLM's 1,024 sequences:
        # PyTorch's sort holds 1,024 x 151,936 x 38.9 B = 5.637 GiB (C07 logged 5.64 and KV
        # 4.45); FlashInfer's path 1,024 x 151,936 x 14 B = 2,178,154,496 B = 2.0286 GiB, so
        # KV = 0.9 x 79.18 - 61.0947 (32.8e9 x 2 B) - 2.0286 - 0.13 = 8.0087 GiB
        model = shipped("model", "qwen3-32b")
        sort = capacity(model, 16000, tp=1)
        fast = capacity(model, 16000, tp=1, flashinfer_sampler=True)
        self.assertEqual(fast.activation_bytes, 2_178_154_496)
        self.assertAlmostEqual(fast.kv_memory_bytes / GIB, 8.0087, places=3)
        self.assertAlmostEqual((fast.kv_memory_bytes - sort.kv_memory_bytes) / GIB,
                               5.6365 - 2.0286, places=3)
        # the flag, the JSON (null for an engine whose sampler the tool does not model) and
        # the text, which says the estimate is FlashInfer's
        args = ["--model", "qwen3-32b", "--server", "dgx-h100", "--concurrency", "10",
                "--effective-context", "16000", "--tensor-parallel", "1", "--format", "json"]
        for extra, expected in (([], False), (["--flashinfer-sampler"], True),
                                (["--engine", "sglang", "--tensor-parallel", "1"], None)):
            with self.subTest(extra):
                status, out, err = run_main(args + extra)
                self.assertEqual(status, 0, err)
                doc = json.loads(out)
                self.assertIs(doc["engine"]["settings"]["flashinfer_sampler"], expected)
                if expected:
                    self.assertEqual(doc["engine"]["per_gpu"]["activation_bytes"],
                                     2_178_154_496)
        status, out, _ = run_main(args[:-2] + ["--format", "text", "--flashinfer-sampler"])
        self.assertIn("2.03 GiB (estimate, FlashInfer's sampler)", out)

    def test_vllm_batch_defaults_follow_the_gpu(self):
        # vllm/engine/arg_utils.py get_batch_defaults (API server): 8,192 tokens and 1,024
        # sequences on GPUs of 70 GiB or more except A100, else 2,048 and 256. H100 79.18
        # GiB, B300 267.69: the larger; L40S 44.42 and A100 80GB (79.15, but an A100): the
        # smaller. A flag wins.
        def settings(server, *flags):
            doc = json.loads(run_main(["--model", "llama-3.1-8b", "--server", server,
                                       "--concurrency", "10", "--effective-context", "8k",
                                       "--format", "json", *flags])[1])
            got = doc["engine"]["settings"]
            return got["max_num_batched_tokens"], got["max_num_seqs"]
        for server, limits in (("dgx-h100", (8192, 1024)), ("dgx-b300", (8192, 1024)),
                               ("l40s-8x", (2048, 256)), ("dgx-a100-80gb", (2048, 256))):
            with self.subTest(server=server):
                self.assertEqual(settings(server), limits)
        self.assertEqual(settings("l40s-8x", "--max-num-batched-tokens", "4096",
                                  "--max-num-seqs", "64"), (4096, 64))

    def test_l40s_log_predicted_without_it(self):
        # vLLM 0.10.2, Qwen3-235B-A22B-Instruct-2507-FP8 on 8x L40S, TP 8 with expert
        # parallelism, utilization 0.9, 32,768 tokens (tests/fixtures/logs): it logged
        # 44.42 GiB per GPU, 27.72 GiB of weights, 1.4 activation, 0.21 non-torch, KV 10.65.
        # Predicted with no log: weights 236,244,659,712 B / 8 = 29,530,582,464 B; activation
        # at vLLM's 256 sequences for a 44 GiB GPU: 256 x 151,936 x 38.9 B = 1.409 GiB (the
        # forward pass, 2,048 tokens x 4,096 x 30 B + 2,048 x 8 x 4,096 x 2 B x 1.72, is 0.45);
        # reserve 0.55; KV = 0.9 x 44.42 - 27.503 - 1.409 - 0.55 = 10.516 GiB, 1.3% under the
        # logged 10.65.
        e = sizing.engine_capacity_at(
            shipped("model", "qwen3-235b-a22b"), shipped("server", "l40s-8x"), 32768, "bf16",
            sizing.EngineSettings(tensor_parallel=8, expert_parallel=True,
                                  weight_precision="fp8"), 8, False)
        self.assertEqual(e.weights_per_gpu_bytes, 29_530_582_464)
        self.assertAlmostEqual(e.activation_bytes / GIB, 1.409, places=3)
        self.assertAlmostEqual(e.kv_memory_bytes / GIB, 10.516, places=3)
        self.assertLess(abs(e.kv_memory_bytes / GIB / 10.65 - 1), 0.05)
        # the log itself: every setting that matters is read from it, the checkpoint's FP8
        # from vLLM's engine config line ("quantization=fp8"), no flag needed
        cal = self.calibration("--model", "qwen3-235b-a22b", "--server", "l40s-8x",
                               "--concurrency", "10", "--effective-context", "32k",
                               "--calibrate-from-log",
                               str(FIXTURES / "logs" / "vllm-0.10.2-qwen3-235b-fp8-l40s-tp8.log"))
        read = {k: (v["value"], v["from_log"]) for k, v in cal["settings"].items()}
        for key, value in (("tensor_parallel", 8), ("max_model_len", 32768),
                           ("gpu_memory_utilization", 0.9), ("max_num_batched_tokens", 2048),
                           ("gpu_memory_gib", 44.42), ("expert_parallel", True),
                           ("data_parallel", 1),      # "[EP Rank 0/8]" at TP 8: DP 1
                           ("weight_precision", "fp8")):
            self.assertEqual(read[key], (value, True), key)
        self.assertIn("--tensor-parallel 8 --weight-precision fp8 --expert-parallel --",
                      cal["suggested_flags"])
        rows = {r["item"]: r for r in cal["rows"]}
        self.assertEqual(rows["weights"]["predicted"], round(29_530_582_464 / GIB, 4))
        self.assertEqual((rows["kv_memory"]["logged"], rows["kv_tokens"]["logged"]),
                         (10.65, 238208))

    def test_qwen3_next_h200_log_predicted_without_it(self):
        # vLLM 0.10.2, Qwen3-Next-80B-A3B-Instruct (bf16) on 2 H200 at TP 2, every setting at
        # vLLM's default (utilization 0.9, 262,144 tokens, 8,192 batched tokens, 1,024
        # sequences); lines copied verbatim (tests/fixtures/logs), not used to fit anything.
        # It logged weights 74.28 GiB, activation 5.58, non-torch 1.38, KV 44.59 GiB, attention
        # blocks of 544 tokens, 7,162 blocks, 973,760 tokens, 14.77x at 262,144 tokens.
        # Predicted with no log, by hand:
        # - budget 0.9 x 139.80 GiB (dgx-h200: what CUDA reports; the log prints 139.81);
        # - weights: the catalog's 80e9 parameters x 2 B / 2 GPUs = 80,000,000,000 B;
        # - activation: the sampler's 1,024 x 151,936 x 38.9 B = 6,052,157,849 B = 5.6365 GiB
        #   (the log says FlashInfer is not installed: vLLM sorts, as the rule measured);
        # - reserve 0.55 GiB; KV = 125.82 - 74.5058 - 5.6365 - 0.55 = 45.1277 GiB (+1.2%);
        # - page: a Gated DeltaNet layer per GPU holds its conv state, 3 x (2 x 16 x 128 +
        #   32 x 128) / 2 x 2 B = 24,576 B, and its state, 32 / 2 x 128 x 128 x 2 B = 524,288
        #   B: 548,864 B; a full-attention layer 1 KV head x 256 x 2 x 2 B = 1,024 B per token,
        #   so blocks of 548,864 / 1,024 = 536 tokens, rounded up to 16: 544, the state padded
        #   by 557,056 / 548,864 - 1 = 1.49% (both as the log prints);
        # - blocks: 45.1277 GiB / (12 layers per group x 544 x 1,024 B) = 7,248, over 4 groups
        #   (12 attention, 36 linear layers): 7,248 // 4 x 544 = 985,728 tokens (+1.2%).
        e = sizing.engine_capacity_at(
            shipped("model", "qwen3-next-80b-a3b"), shipped("server", "dgx-h200"), 262144,
            "bf16", sizing.EngineSettings(tensor_parallel=2), 2, False)
        self.assertEqual(e.weights_per_gpu_bytes, 80_000_000_000)
        self.assertEqual(e.activation_bytes, 6_052_157_849)
        self.assertAlmostEqual(e.kv_memory_bytes / GIB, 45.1277, places=4)
        self.assertEqual((e.block_size, e.num_blocks, e.kv_capacity_tokens), (544, 7248, 985728))
        for predicted, logged in ((e.kv_memory_bytes / GIB, 44.59),
                                  (e.kv_capacity_tokens, 973760), (e.max_concurrency, 14.77)):
            self.assertLess(abs(predicted / logged - 1), 0.015)
        # README "Engine mode" quotes this case as its NEXT row
        row = next(line for line in (REPO / "README.md").read_text(encoding="utf-8")
                   .splitlines() if line.startswith("| NEXT |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        self.assertEqual([cells[2].split()[0], cells[3].split()[0], cells[4].split()[0],
                          cells[5]],
                         [f"{e.weights_per_gpu_bytes / GIB:.2f}", f"{e.activation_bytes / GIB:.2f}",
                          f"{e.kv_memory_bytes / GIB:.2f}",
                          f"{e.kv_memory_bytes / GIB / 44.59 - 1:+.1%}"])
        # the log read back: the logged 44.59 GiB hold 7,162 blocks (its own count),
        # 7,162 // 4 x 544 = 973,760 tokens, exactly its token line
        cal = self.calibration("--model", "qwen3-next-80b-a3b", "--server", "dgx-h200",
                               "--concurrency", "10", "--effective-context", "256k",
                               "--calibrate-from-log",
                               str(FIXTURES / "logs" / "vllm-0.10.2-qwen3-next-80b-h200-tp2.log"))
        rows = {r["item"]: r for r in cal["rows"]}
        self.assertEqual(rows["kv_tokens_from_logged_memory"]["predicted"], 973_760)
        self.assertEqual((rows["activation"]["logged"], rows["non_torch"]["logged"]),
                         (5.58, 1.38))
        self.assertEqual(cal["settings"]["tensor_parallel"], {"value": 2, "from_log": True})

    def test_a_log_of_another_model_is_flagged(self):
        # the Qwen3-Next log names its architecture ("Resolved architecture:
        # Qwen3NextForCausalLM"): calibrating Qwen3-32B (Qwen3ForCausalLM) with it warns, the
        # model it ran does not
        log = str(FIXTURES / "logs" / "vllm-0.10.2-qwen3-next-80b-h200-tp2.log")

        def alerts(model):
            status, out, err = run_main(["--model", model, "--server", "dgx-h200",
                                         "--concurrency", "10", "--effective-context", "16000",
                                         "--calibrate-from-log", log, "--format", "json"])
            self.assertEqual(status, 0, err)
            return {a["code"]: a for a in json.loads(out)["alerts"]}
        warned = alerts("qwen3-32b")["calibration_model_mismatch"]
        self.assertEqual((warned["severity"], warned["values"]),
                         ("warning", {"logged": "Qwen3NextForCausalLM", "model": "qwen3-32b",
                                      "architecture": "Qwen3ForCausalLM"}))
        self.assertNotIn("calibration_model_mismatch", alerts("qwen3-next-80b-a3b"))
        # the model's architecture is printed before a speculative draft's: the first wins
        text = ("INFO [model.py:547] Resolved architecture: Qwen3ForCausalLM\n"
                "INFO [model.py:547] Resolved architecture: Eagle3LlamaForCausalLM\n"
                "INFO [gpu_worker.py:298] Available KV cache memory: 7.95 GiB\n")
        self.assertEqual(sizing.parse_engine_log(text, "log").get("architecture"),
                         "Qwen3ForCausalLM")

    def test_the_sampler_a_log_names(self):
        # vLLM prints which sampler it runs (vllm/v1/sample/ops/topk_topp_sampler.py): the
        # Qwen3-Next log says FlashInfer is not installed, so PyTorch sorts. A log that says
        # "Using FlashInfer" is predicted with FlashInfer's 14 bytes per logit (Qwen3-32B at
        # TP 1: KV 8.0087 GiB, as worked above) and, when it prints nothing that implies its
        # activation, gets --flashinfer-sampler among the suggested flags; when its weights and
        # KV imply the activation (0.9 x 79.18 - 61.03 - 7.95 - 0.13 = 2.15 GiB), that figure
        # is suggested instead
        next_log = (FIXTURES / "logs" / "vllm-0.10.2-qwen3-next-80b-h200-tp2.log").read_text()
        self.assertIs(sizing.parse_engine_log(next_log, "log").get("flashinfer_sampler"), False)
        lines = ("INFO [topk_topp_sampler.py:55] Using FlashInfer for top-p & top-k sampling.\n"
                 "INFO non-default args: {'tensor_parallel_size': 1}\n"
                 "INFO [gpu_worker.py:298] Available KV cache memory: 7.95 GiB\n")

        def calibrated(text):
            log = sizing.parse_engine_log(text, "log")
            self.assertIs(log.get("flashinfer_sampler"), True)
            return sizing.calibrate(shipped("model", "qwen3-32b"), shipped("server", "dgx-h100"),
                                    16000, "bf16", sizing.EngineSettings(), log, "log")
        cal = calibrated(lines)
        used = {name: (value, logged) for name, value, logged in cal.settings}
        self.assertEqual(used["flashinfer_sampler"], (True, True))
        rows = {r.item: r for r in cal.rows}
        self.assertAlmostEqual(rows["kv_memory"].predicted, 8.0087, places=3)
        self.assertIn(("flashinfer_sampler", True), cal.suggested)
        self.assertNotIn("activation_gib", dict(cal.suggested))
        cal = calibrated(lines + "INFO [gpu_model_runner.py:2653] Model loading took 61.03 GiB\n")
        self.assertEqual(dict(cal.suggested)["activation_gib"], 2.15)
        self.assertNotIn("flashinfer_sampler", dict(cal.suggested))

    def test_a_vllm_0_27_log_on_rtx_pro_6000(self):
        # vLLM 0.27.1, Qwen3-235B-A22B-Instruct-2507-FP8 at TP 4 on RTX PRO 6000 (lines copied
        # verbatim, tests/fixtures/logs). Its KV memory is only in "Current kv cache memory in
        # use is 27.85 GiB." and its non-torch memory inside "56.89 GiB for consumed memory
        # (weights + non-torch)": 56.89 - 55.19 = 1.70 GiB.
        cal = self.calibration(
            "--model", "qwen3-235b-a22b", "--server", "rtx-pro-6000", "--concurrency", "32",
            "--input-tokens", "1024", "--output-tokens", "256", "--tensor-parallel", "4",
            "--weight-precision", "fp8", "--max-num-seqs", "32", "--calibrate-from-log",
            str(FIXTURES / "logs" / "vllm-0.27.1-qwen3-235b-fp8-rtx-pro-6000-tp4.log"))
        rows = {r["item"]: r for r in cal["rows"]}
        self.assertEqual((rows["kv_memory"]["logged"], rows["non_torch"]["logged"]),
                         (27.85, 1.7))
        # weights: (9,044,659,712 + 227,200,000,000) / 4 B, as worked by hand above
        self.assertEqual(rows["weights"]["predicted"], round(59_061_164_928 / GIB, 4))
        # 27.85 GiB / (16 x 48,128 B per block) = 38,833 blocks = 621,328 tokens (logged
        # 621,392: vLLM prints the memory rounded)
        self.assertEqual(rows["kv_tokens_from_logged_memory"]["predicted"], 621_328)
        for item in ("kv_memory", "kv_tokens", "max_concurrency"):   # predicted, no log
            self.assertLess(abs(rows[item]["diff_ratio"]), 0.05, item)
        self.assertEqual(cal["settings"]["max_model_len"], {"value": 32768, "from_log": True})
        self.assertIn("--activation-gib 0.76 --runtime-reserve-gib 1.7", cal["suggested_flags"])

    def test_expert_parallel_ranks_read_from_a_log(self):
        # vLLM numbers its expert-parallel ranks "[EP Rank r/N]", N = TP x DP: at TP 4, 8 ranks
        # are DP 2, and the prediction is the hand-worked TP 4 x DP 2 layout above: 2,261,164,928
        # + 28,400,000,000 B of FP8 weights per GPU.
        model = shipped("model", "qwen3-235b-a22b")
        server = shipped("server", "dgx-h100")
        base = sizing.EngineSettings(weight_precision="fp8")
        vllm = sizing.parse_engine_log(
            "INFO non-default args: {'tensor_parallel_size': 4, 'data_parallel_size': 2}\n"
            "(EngineCore_DP0 pid=1) INFO [layer.py:853] [EP Rank 0/8] Expert parallelism is "
            "enabled. Local/global number of experts: 16/128.\n"
            "INFO [gpu_model_runner.py:2392] Model loading took 28.56 GiB\n", "log")
        cal = sizing.calibrate(model, server, 32768, "bf16", base, vllm, "log")
        settings = {name: (value, logged) for name, value, logged in cal.settings}
        self.assertEqual((settings["expert_parallel"], settings["data_parallel"]),
                         ((True, True), (2, True)))
        weights = next(r for r in cal.rows if r.item == "weights")
        self.assertAlmostEqual(weights.predicted, (2_261_164_928 + 28_400_000_000) / GIB,
                               places=4)
        self.assertEqual(cal.suggested[:4], (("engine", "vllm"), ("tensor_parallel", 4),
                                             ("expert_parallel", True), ("data_parallel", 2)))
        # SGLang splits experts over ep_size ranks of its TP group; ep_size 1 is no EP.
        for ep, expected in ((4, (True, 1)), (1, (False, 1))):
            sglang = sizing.parse_engine_log(
                f"server_args=ServerArgs(tp_size=4, ep_size={ep}, mem_fraction_static=0.85)\n"
                "KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB\n",
                "log")
            cal = sizing.calibrate(model, server, 32768, "bf16", base, sglang, "log")
            settings = {name: value for name, value, _ in cal.settings}
            self.assertEqual((settings["expert_parallel"], settings["data_parallel"]),
                             expected, ep)

    def test_sglang_keeps_the_recurrent_state_in_fp32(self):
        # Qwen3-Next's Gated DeltaNet layer (16 key heads x 128, 32 value heads x 128, conv
        # kernel 4): a conv state of (2 x 16 x 128 + 32 x 128) x 3 = 24,576 elements and a
        # recurrent state of 32 x 128 x 128 = 524,288. vLLM keeps both in bf16 (the catalog's
        # state_precision): 1,097,728 B per layer; SGLang the conv state in bf16 and the
        # recurrent one in fp32: 24,576 x 2 + 524,288 x 4 = 2,146,304 B. 36 such layers,
        # split over TP 4.
        model = shipped("model", "qwen3-next-80b-a3b")
        vllm = capacity(model, 32768, tp=4)
        sglang = capacity(model, 32768, tp=4, engine="sglang")
        self.assertEqual(vllm.state_bytes_per_gpu, 36 * 1097728 // 4)
        self.assertEqual(sglang.state_bytes_per_gpu, 36 * 2146304 // 4)
        self.assertEqual(sglang.bytes_per_token_per_gpu, vllm.bytes_per_token_per_gpu)

    def test_an_eagle_draft_layer_shares_the_pool(self):
        # Llama-3.1-8B with an EAGLE draft (one decoder layer of the same shape): 33 layers of
        # 4,096 B per token: 135,168 B. 51.38 GiB = 55,168,468,889 B / (16 x 135,168) =
        # 25,509 blocks = 408,144 tokens: 32/33 of the 420,896 without the draft.
        model = shipped("model", "llama-3.1-8b")
        e = capacity(model, 16000, tp=1, kv_cache_memory_gib=51.38, draft_layers=1)
        self.assertEqual(e.bytes_per_token_per_gpu, 135168)
        self.assertEqual(e.kv_capacity_tokens, 408144)
        self.assertAlmostEqual(e.kv_capacity_tokens / 420896, 32 / 33, places=4)

    def test_mtp_drafts_with_the_models_own_layers(self):
        # DeepSeek-V3: num_nextn_predict_layers 1, so --speculative mtp adds one MLA layer:
        # 62 x 576 x 2 B = 71,424 B per token per GPU (61 without).
        base = ["--model", "deepseek-v3", "--server", "dgx-h200", "--concurrency", "10",
                "--effective-context", "8192", "--tensor-parallel", "8", "--format", "json"]
        doc = run_json(self, base + ["--speculative", "mtp"])
        self.assertEqual(doc["engine"]["per_gpu"]["kv_bytes_per_token"], 71424)
        self.assertEqual(doc["engine"]["settings"]["speculative_draft_layers"], 1)
        # the draft's cache is counted, its speed-up is not: an alert says the speeds leave
        # speculation out, and only when a draft is configured
        codes = lambda d: [a["code"] for a in d["alerts"]]  # noqa: E731
        self.assertIn("speculative_speed_not_modelled", codes(doc))
        plain = run_json(self, base)
        self.assertNotIn("speculative_speed_not_modelled", codes(plain))
        # its weights load too: the MTP layer's 11,610,068,224 parameters (catalog, from the
        # config), routed experts included, at 1 B in fp8 over 8 GPUs, which vLLM's KV
        # memory (utilization x memory - weights - ...) gives up
        draft = 11_610_068_224 // 8
        with_mtp, without = doc["engine"]["per_gpu"], plain["engine"]["per_gpu"]
        self.assertEqual((with_mtp["weights_draft_bytes"], without["weights_draft_bytes"]),
                         (draft, 0))
        self.assertEqual(with_mtp["weights_bytes"] - without["weights_bytes"], draft)
        self.assertEqual(without["kv_memory_bytes"] - with_mtp["kv_memory_bytes"], draft)
        # the report adds it to the model's share: 671e9 parameters at 1 B and the embedding
        # and head (1,853,358,080) at 2 B are 626.64 GiB; 1,451,258,528 B are 1.35 GiB
        code, out, _ = run_main(base[:-2] + ["--speculative", "mtp"])
        self.assertIn("(fp8, from parameters; 626.64 GiB / 8 + MTP draft 1.35 GiB)",
                      " ".join(out.split()))
        # SGLang's default fraction sets 2 GiB more aside for a draft (server_args.py): on
        # an H200 (139.80 GiB = 143,155.2 MiB; chunk 8,192, CUDA-graph batch 512) at TP 8,
        # 512 + 8,192 x 1.5 + 512 x 2 + 8 / 8 x 1,024 = 14,848 MiB, then 16,896 with the
        # draft: (143,155.2 - 14,848) / 143,155.2 = 0.896 and 0.882
        shares = [run_json(self, base[:-2] + ["--engine", "sglang", "--format", "json"] + extra)[
            "engine"]["settings"]["budget_share"] for extra in ([], ["--speculative", "mtp"])]
        self.assertEqual(shares, [0.896, 0.882])

    def test_parallelism_flags_that_cannot_run(self):
        base = ["--server", "dgx-h100", "--concurrency", "10", "--effective-context", "8192"]
        for extra, fragment in (
                (["--model", "llama-3.1-8b", "--expert-parallel"], "has no routed experts"),
                (["--model", "qwen3-235b-a22b", "--data-parallel", "2"], "add --expert-parallel"),
                (["--model", "qwen3-235b-a22b", "--tensor-parallel", "8", "--data-parallel", "2",
                  "--expert-parallel", "--server", "dgx-a100-80gb"],
                 "more than a node's 8 GPUs: an expert group over several nodes needs whole ones "
                 "and the catalog's scale-out bandwidth between them (scaleout_gb_per_s), which "
                 "server dgx-a100-80gb does not give"),
                (["--model", "qwen3-235b-a22b", "--tensor-parallel", "4", "--data-parallel", "3",
                  "--expert-parallel"], "more than a node's 8 GPUs: an expert group over several "
                 "nodes needs whole ones"),
                (["--model", "deepseek-v3", "--data-parallel-attention", "--data-parallel", "16",
                  "--max-nodes-per-replica", "1"], "--tensor-parallel 1 x --data-parallel 16 "
                 "spans 2 nodes of dgx-h100, more than --max-nodes-per-replica 1"),
                # TRT-LLM's attention ranks are one GPU each (enable_attention_dp skips the
                # attention all-reduce over its TP group)
                (["--model", "qwen3-235b-a22b", "--engine", "trtllm", "--tensor-parallel", "2",
                  "--data-parallel", "4", "--expert-parallel"],
                 "give --tensor-parallel 1 --data-parallel 8, not --tensor-parallel 2"),
                (["--model", "deepseek-v3", "--engine", "trtllm", "--tensor-parallel", "2",
                  "--data-parallel-attention"], "not --tensor-parallel 2"),
                (["--model", "llama-3.1-8b", "--speculative", "mtp"], "has no mtp_layers"),
                (["--model", "llama-3.1-8b", "--server", "dgx-h100,dgx-h200",
                  "--tensor-parallel", "16", "--max-nodes-per-replica", "1"],
                 "no server of the comparison can be sized: --tensor-parallel 16 spans 2 nodes "
                 "of dgx-h100, more than --max-nodes-per-replica 1"),
                (["--model", "deepseek-v3", "--speculative", "mtp",
                  "--speculative-draft-layers", "1"], "drop --speculative-draft-layers"),
                (["--model", "llama-3.1-8b", "--speculative-draft-params", "1000"],
                 "--speculative-draft-params goes with --speculative-draft-layers"),
                (["--model", "deepseek-v3", "--speculative", "mtp",
                  "--speculative-draft-params", "1000"],
                 "--speculative-draft-params goes with --speculative-draft-layers")):
            with self.subTest(extra=extra):
                status, out, err = run_main(base + extra)
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)


if __name__ == "__main__":
    unittest.main()


class LaunchCommandTest(unittest.TestCase):
    """The command that starts one replica as sized (engine.launch): each engine's own flags,
    from its argument parser (vLLM vllm/engine/arg_utils.py, SGLang
    sglang/srt/server_args.py, TensorRT-LLM tensorrt_llm/commands/serve.py), carrying the
    layout, context, KV precision, memory share and batch limits the engine view sized."""

    def launch(self, *args):
        d = run_json(self, [*args, "--format", "json"])
        return d, d["engine"]["launch"]

    def test_the_worked_example_starts_vllm_as_sized(self):
        # gpt-oss-120b at 131,072 tokens with an FP8 cache; vLLM's defaults for a large GPU
        # (max_num_seqs 1,024, max_num_batched_tokens 8,192) and its 0.9 memory share, at
        # the TP the layout search kept for the plan.
        d, launch = self.launch("--model", "gpt-oss-120b", "--server", "dgx-b300",
                                "--concurrency", "1000", "--effective-context", "128k")
        tp = d["performance"]["layout"]["tensor_parallel"]
        self.assertEqual(d["engine"]["settings"]["tensor_parallel"], tp)
        self.assertEqual(launch["argv"], [
            "vllm", "serve", "openai/gpt-oss-120b", "--tensor-parallel-size", str(tp),
            "--max-model-len", "131072", "--kv-cache-dtype", "fp8",
            "--gpu-memory-utilization", "0.9", "--max-num-seqs", "1024",
            "--max-num-batched-tokens", "8192"])
        self.assertEqual(launch["command"], " ".join(launch["argv"]))
        assert_says(self, "QUICKSTART.md", f"for the worked example `{launch['command']}`")
        self.assertEqual((launch["llm_api_options"], launch["checkpoint_precision"],
                          launch["kv_precision_without_flag"]), (None, None, None))

    def test_a_replica_over_nodes_is_tp_within_and_stages_across(self):
        # Llama-3.1-405B at 128k on DGX H100: 32 GPUs per replica on 8-GPU nodes, TP 8 in
        # each node x 4 pipeline stages; bf16 KV is the model's dtype, so no KV flag
        d, launch = self.launch("--model", "llama-3.1-405b", "--server", "dgx-h100",
                                "--concurrency", "100", "--effective-context", "128k")
        self.assertEqual(d["engine"]["per_replica"]["gpus"], 32)
        argv = " ".join(launch["argv"])
        self.assertIn("--tensor-parallel-size 8 --pipeline-parallel-size 4 ", argv)
        self.assertNotIn("--kv-cache-dtype", argv)
        status, out, err = run_main(["--model", "llama-3.1-405b", "--server", "dgx-h100",
                                     "--concurrency", "100", "--effective-context", "128k",
                                     "--format", "text"])
        self.assertEqual(status, 0, err)
        flat = " ".join(out.split())
        self.assertIn("start one replica as sized vllm serve meta-llama/Llama-3.1-405B "
                      "--tensor-parallel-size 8 --pipeline-parallel-size 4", flat)
        self.assertIn("(on its 4 nodes, with the engine's multi-node launch)", flat)

    def test_a_checkpoint_named_by_its_alias_is_the_one_served(self):
        # deepseek-ai/DeepSeek-R1 is an alias of deepseek-v3 (the same config.json): named so,
        # the plan serves and reports R1's repository; named by the entry, V3's
        base = ["--server", "dgx-b300", "--concurrency", "100", "--effective-context", "32k"]
        for wanted, repo in (("deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1"),
                             ("DEEPSEEK-AI/deepseek-r1", "deepseek-ai/DeepSeek-R1"),
                             ("DeepSeek-R1", "deepseek-ai/DeepSeek-R1"),    # without its org
                             ("deepseek-v3", "deepseek-ai/DeepSeek-V3")):
            with self.subTest(wanted):
                d, launch = self.launch("--model", wanted, *base)
                self.assertEqual(d["inputs"]["model"]["name"], "deepseek-v3")
                self.assertEqual(d["inputs"]["model"]["hf_repo"], repo)
                self.assertEqual(launch["argv"][:3], ["vllm", "serve", repo])

    def test_a_hub_name_without_its_org_names_one_checkpoint_or_is_suggested(self):
        # Llama 3.3 70B Instruct has Llama 3.1 70B's shapes (models.json source): an alias of
        # llama-3.1-70b. Its Hub name without "meta-llama/" finds it; "llama-3.3-70b", which
        # no key spells, is refused with the alias that holds it suggested first
        status, out, err = run_main(["--model", "Llama-3.3-70B-Instruct", "--server",
                                     "dgx-h100", "--concurrency", "10", "--effective-context",
                                     "8k", "--format", "json"])
        self.assertEqual(status, 0, err)
        self.assertEqual(json.loads(out)["inputs"]["model"]["hf_repo"],
                         "meta-llama/Llama-3.3-70B-Instruct")
        status, _, err = run_main(["--model", "llama-3.3-70b", "--server", "dgx-h100",
                                   "--concurrency", "10", "--effective-context", "8k"])
        self.assertEqual(status, 2)
        self.assertIn("did you mean 'meta-llama/Llama-3.3-70B-Instruct', 'llama-3.1-70b'", err)
        # a name part two entries share names neither
        twins = [SimpleNamespace(name="a", aliases=("x/M",)),
                 SimpleNamespace(name="b", aliases=("y/M",))]
        self.assertEqual(sizing.find_entry(twins, "y/m", "model", "m.json").name, "b")
        with self.assertRaises(sizing.UsageError):
            sizing.find_entry(twins, "M", "model", "m.json")

    def test_data_parallel_attention_in_each_engines_terms(self):
        # Qwen3-235B-A22B at TP 2 x DP 4 with its experts over the 8 GPUs: vLLM counts a
        # rank's TP (2) and the ranks (4); SGLang's --tp-size is the whole group, 2 x 4 = 8,
        # split into 4 attention ranks; TensorRT-LLM runs attention data parallelism at TP 1
        # only, so its layout is 8 one-GPU ranks, --tp_size 8 with enable_attention_dp.
        base = ["--model", "qwen3-235b-a22b", "--server", "dgx-h200", "--concurrency", "300",
                "--effective-context", "32k", "--kv-precision", "fp8", "--expert-parallel"]
        _, vllm = self.launch(*base, "--tensor-parallel", "2", "--data-parallel", "4")
        self.assertIn("--tensor-parallel-size 2 --data-parallel-size 4 "
                      "--enable-expert-parallel --max-model-len 32768 --kv-cache-dtype fp8",
                      vllm["command"])
        d, sglang = self.launch(*base, "--tensor-parallel", "2", "--data-parallel", "4",
                                "--engine", "sglang")
        self.assertIn("--tp-size 8 --dp-size 4 --enable-dp-attention --ep-size 8 "
                      "--context-length 32768 --kv-cache-dtype fp8_e4m3 --mem-fraction-static "
                      f"{d['engine']['settings']['budget_share']:g}", sglang["command"])
        _, trt = self.launch(*base, "--tensor-parallel", "1", "--data-parallel", "8",
                             "--engine", "trtllm")
        self.assertIn("trtllm-serve Qwen/Qwen3-235B-A22B --tp_size 8 --ep_size 8 "
                      "--max_seq_len 32768 --kv_cache_free_gpu_memory_fraction 0.9",
                      trt["command"])
        self.assertEqual(trt["llm_api_options"], {"enable_attention_dp": "true",
                                                  "kv_cache_config.dtype": "fp8"})
        self.assertTrue(trt["command"].endswith(
            "--extra_llm_api_options extra_llm_api_options.yaml"))
        # the text report says what the options file holds, beside the same command
        status, out, err = run_main([*base, "--tensor-parallel", "1", "--data-parallel", "8",
                                     "--engine", "trtllm", "--format", "text"])
        self.assertEqual(status, 0, err)
        self.assertIn(trt["command"] + "; in extra_llm_api_options.yaml: enable_attention_dp: "
                      "true, kv_cache_config.dtype: fp8", " ".join(out.split()))
        # the README quotes SGLang's computed share for DeepSeek-V3 on B300
        d, deepseek = self.launch("--model", "deepseek-v3", "--server", "dgx-b300",
                                  "--concurrency", "1000", "--effective-context", "128k",
                                  "--engine", "sglang")
        share = d["engine"]["settings"]["budget_share"]
        self.assertIn(f"--mem-fraction-static {share:g} ", deepseek["command"])
        assert_says(self, "README.md", f"`mem_fraction_static`: {share:g} for DeepSeek-V3 on "
                                       "DGX B300 at 128k")

    def test_what_no_flag_can_say_is_said(self):
        # FP8 weights from a bf16 checkpoint: vLLM quantizes on load (--quantization fp8);
        # NVFP4 needs a checkpoint in it; no engine flag sets an INT8 KV cache.
        base = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "8k"]
        _, fp8 = self.launch(*base, "--weight-precision", "fp8")
        self.assertIn("--quantization fp8", fp8["command"])
        self.assertIsNone(fp8["checkpoint_precision"])
        _, fp4 = self.launch(*base, "--weight-precision", "nvfp4", "--kv-precision", "int8")
        self.assertNotIn("--quantization", fp4["command"])
        self.assertNotIn("--kv-cache-dtype", fp4["command"])
        self.assertEqual((fp4["checkpoint_precision"], fp4["kv_precision_without_flag"]),
                         ("nvfp4", "int8"))
        for lang, phrases in (
                ("en", ("needs a checkpoint of the model in nvfp4",
                        "no flag sets the KV cache to INT8")),
                ("pt-BR", ("requer um checkpoint do modelo em nvfp4",
                           "nenhuma flag define um cache de KV em INT8"))):
            status, out, err = run_main(base + ["--weight-precision", "nvfp4", "--kv-precision",
                                                "int8", "--format", "text", "--lang", lang])
            self.assertEqual(status, 0, err)
            for phrase in phrases:
                self.assertIn(phrase, " ".join(out.split()), lang)


class MaxNodesPerReplicaTest(unittest.TestCase):
    """--max-nodes-per-replica bounds the layout search's replicas across nodes (for nodes
    with no fabric between them). Llama-3.1-405B in bf16 at 128k on DGX H100: 810 GB of
    weights, 94.3 GiB per GPU over one node's 8 GPUs against 79.18 GiB, so no replica within
    a node holds a session; over 2 nodes (TP 16) it does."""

    ARGS = ["--model", "llama-3.1-405b", "--server", "dgx-h100", "--concurrency", "100",
            "--effective-context", "128k"]

    def test_the_bound_limits_the_search_and_says_what_would_fit(self):
        unbounded = run_json(self, self.ARGS + ["--format", "json"])
        self.assertEqual(unbounded["engine"]["per_replica"]["nodes"], 4)   # the fewest nodes
        self.assertEqual(unbounded["engine"]["settings"]["max_nodes_per_replica"], 64)
        two = run_json(self, self.ARGS + ["--max-nodes-per-replica", "2", "--format", "json"])
        self.assertEqual((two["engine"]["per_replica"]["nodes"],
                          two["engine"]["settings"]["tensor_parallel"]), (2, 16))
        pinned = run_json(self, self.ARGS + ["--tensor-parallel", "16", "--format", "json"])
        self.assertEqual(two["scenarios"]["recommended"]["results"]["nodes_final"],
                         pinned["scenarios"]["recommended"]["results"]["nodes_final"])
        assert_says(self, "QUICKSTART.md", "keep replicas to 2 nodes ("
                    f"{two['scenarios']['recommended']['results']['nodes_final']} nodes)")
        one = run_json(self, self.ARGS + ["--max-nodes-per-replica", "1", "--format", "json"],
                       status=3)
        self.assertEqual(one["engine"]["per_replica"]["nodes"], 1)
        alerts = {a["code"]: a for a in one["alerts"]}
        self.assertNotIn("engine_leaves_no_kv", alerts)      # more GPUs would lower it
        self.assertEqual((alerts["replica_nodes_capped"]["severity"],
                          alerts["replica_nodes_capped"]["values"]),
                         ("critical", {"max_nodes": 1, "nodes": 2, "tp": 16}))
        status, out, err = run_main(self.ARGS + ["--max-nodes-per-replica", "2", "--format",
                                                 "text"])
        self.assertEqual(status, 0, err)
        self.assertIn("16 (the layout needing the fewest nodes, replicas over at most 2 node(s))",
                      " ".join(out.split()))
        for lang, extra, phrase in (
                ("en", [], "a replica over 2 nodes (TP 16) would"),
                ("pt-BR", [], "uma réplica em 2 nós (TP 16) comportaria"),
                ("en", ["--executive-report"], "it needs 2."),
                ("pt-BR", ["--executive-report"], "ele precisa de 2.")):
            status, out, err = run_main(self.ARGS + ["--max-nodes-per-replica", "1",
                                                     "--format", "text", "--lang", lang,
                                                     *extra])
            self.assertEqual(status, 3, err)
            self.assertIn(phrase, " ".join(out.split()), (lang, extra))

    def test_a_pinned_tp_beyond_the_bound_is_refused(self):
        assert_refused(self, self.ARGS + ["--max-nodes-per-replica", "1", "--tensor-parallel",
                                          "16"], "spans 2 nodes of dgx-h100, more than "
                                                 "--max-nodes-per-replica 1")
        assert_refused(self, self.ARGS + ["--max-nodes-per-replica", "0"],
                       "--max-nodes-per-replica")


class EngineFlagsReachTheEngineTest(unittest.TestCase):
    """Engine flags no other test gives a valid value: each one must reach the engine's rule
    and its launch line. Rules are worked by hand from the JSON's own memory figures."""

    def engine(self, *extra):
        status, out, err = run_main(["--model", *extra, "--server", "dgx-h100",
                                     "--concurrency", "100", "--effective-context", "8192",
                                     "--format", "json"])
        self.assertEqual((status, err), (0, ""))
        return json.loads(out)

    def test_block_size(self):
        d = self.engine("llama-3.1-8b", "--tensor-parallel", "4", "--block-size", "32")
        g = d["engine"]["per_gpu"]
        # 32 layers x 2 KV heads per GPU x 128 dims x 2 (K, V) x 2 bytes = 32,768 B per token;
        # a 32-token page is 1,048,576 B, an 8,192-token request 256 of them
        self.assertEqual(g["kv_bytes_per_token"], 32_768)
        self.assertEqual(g["kv_num_blocks"], g["kv_memory_bytes"] // 1_048_576)
        self.assertEqual(g["kv_capacity_tokens"], g["kv_num_blocks"] * 32)
        self.assertEqual(g["request_bytes"], 256 * 1_048_576)
        self.assertTrue(d["engine"]["launch"]["command"].endswith("--block-size 32"))

    def test_speculative_draft_layers(self):
        d = self.engine("llama-3.1-8b", "--tensor-parallel", "4",
                        "--speculative-draft-layers", "1")
        # one draft layer more in the pool: 33 x 1,024 B per token per GPU
        self.assertEqual(d["engine"]["per_gpu"]["kv_bytes_per_token"], 33 * 1_024)
        self.assertEqual(d["engine"]["settings"]["speculative_draft_layers"], 1)
        self.assertIn("speculative_speed_not_modelled", [a["code"] for a in d["alerts"]])

    def test_an_eagle_drafts_own_weights(self):
        # EAGLE3 for Llama-3.1-8B (its config: hidden 4,096, intermediate 14,336, 32 heads,
        # 8 KV heads of 128, one layer, draft_vocab_size 32,000, float16). Its layer takes
        # the embedding and the fused hidden state, 2 x 4,096 wide, into q, k and v:
        # q 8,192 x 4,096 = 33,554,432, k and v 8,192 x 1,024 = 8,388,608 each, o 4,096 x
        # 4,096 = 16,777,216; MLP 3 x 4,096 x 14,336 = 176,160,768; fc 3 x 4,096 -> 4,096
        # = 50,331,648; its own head 32,000 x 4,096 = 131,072,000; four norms of 4,096 =
        # 16,384. Sum 424,689,664 (810 MiB in 16 bits, the ~811 MB its card quotes).
        params = 33_554_432 + 2 * 8_388_608 + 16_777_216 + 176_160_768 + 50_331_648 \
            + 131_072_000 + 16_384
        self.assertEqual(params, 424_689_664)
        args = ("llama-3.1-8b", "--tensor-parallel", "4", "--speculative-draft-layers", "1")
        plain, d = self.engine(*args), self.engine(*args, "--speculative-draft-params",
                                                   str(params))
        g, p = d["engine"]["per_gpu"], plain["engine"]["per_gpu"]
        # 2 bytes a parameter, split over the 4 GPUs as the model is
        self.assertEqual(g["weights_draft_bytes"], params * 2 // 4)
        self.assertEqual(p["weights_draft_bytes"], 0)
        self.assertEqual(g["weights_bytes"] - p["weights_bytes"], 212_344_832)
        self.assertEqual(p["kv_memory_bytes"] - g["kv_memory_bytes"], 212_344_832)
        self.assertEqual(d["engine"]["settings"]["speculative_draft_params"], params)
        self.assertIsNone(plain["engine"]["settings"]["speculative_draft_params"])
        # the text names the draft: 212,344,832 B = 0.20 GiB
        status, out, _ = run_main(["--model", *args, "--speculative-draft-params",
                                   str(params), "--server", "dgx-h100", "--concurrency",
                                   "100", "--effective-context", "8192", "--format", "text"])
        self.assertEqual(status, 0)
        self.assertIn("/ 4 + EAGLE draft 0.20 GiB)", " ".join(out.split()))
        # QUICKSTART quotes the same draft at the layout the search picks for 1,000 sessions
        docs = [run_json(self, ["--model", "llama-3.1-8b", "--server", "dgx-h100",
                                "--concurrency", "1000", "--effective-context", "8k",
                                "--speculative-draft-layers", "1", *flags, "--format", "json"])
                for flags in ([], ["--speculative-draft-params", str(params)])]
        tp = docs[1]["engine"]["settings"]["tensor_parallel"]
        tokens = [doc["engine"]["per_gpu"]["kv_capacity_tokens"] for doc in docs]
        assert_says(self, "QUICKSTART.md", f"{params * 2 / tp / 2**30:.2f} GiB per GPU at the "
                    f"TP {tp} the search picks: {tokens[1]:,} tokens of KV per GPU instead of "
                    f"{tokens[0]:,}")

    def test_free_gpu_memory_fraction(self):
        d = self.engine("llama-3.1-8b", "--tensor-parallel", "4", "--engine", "trtllm",
                        "--free-gpu-memory-fraction", "0.5")
        g = d["engine"]["per_gpu"]
        free = g["gpu_memory_bytes"] - g["weights_bytes"] - g["activation_bytes"] \
            - g["runtime_reserve_bytes"]
        self.assertEqual(g["kv_memory_bytes"], free // 2)
        self.assertIn("--kv_cache_free_gpu_memory_fraction 0.5 ",
                      d["engine"]["launch"]["command"])

    def test_swa_full_tokens_ratio(self):
        d = self.engine("gpt-oss-120b", "--engine", "sglang", "--tensor-parallel", "8",
                        "--kv-precision", "fp8", "--swa-full-tokens-ratio", "0.5")
        g = d["engine"]["per_gpu"]
        # 18 full and 18 sliding layers, each 1 KV head per GPU x 64 dims x 2 x 1 byte:
        # F = W = 2,304 B per token. A full-pool token costs F + 0.5 x W = 3,456 B; an
        # 8,192-token request keeps its context in the full pool: 8,192 x 3,456 B.
        self.assertEqual(g["kv_capacity_tokens"], g["kv_memory_bytes"] // 3_456)
        self.assertEqual(g["request_bytes"], 8_192 * 3_456)
        self.assertTrue(d["engine"]["launch"]["command"].endswith("--swa-full-tokens-ratio 0.5"))

    def test_mamba_full_memory_ratio_and_radix_cache(self):
        base = ("qwen3-next-80b-a3b", "--engine", "sglang", "--tensor-parallel", "4")
        d = self.engine(*base, "--mamba-full-memory-ratio", "1.5")
        g = d["engine"]["per_gpu"]
        # states take 1.5 / 2.5 = 3/5 of the memory in whole slots (19,316,736 B each: 36
        # layers x 2,146,304 B / 4 GPUs); the 12 full layers' 12,288 B per token the rest.
        # With the radix cache on, a third of the slots run at once.
        self.assertEqual(g["state_bytes"], 36 * 2_146_304 // 4)
        slots = g["kv_memory_bytes"] * 3 // (5 * 19_316_736)
        self.assertEqual(g["state_slots"], slots)
        self.assertEqual(g["kv_capacity_tokens"],
                         (g["kv_memory_bytes"] - slots * 19_316_736) // 12_288)
        self.assertEqual(d["engine"]["per_replica"]["running_limit"], slots // 3)
        # without it, every slot runs (the default ratio 0.9: 9/19 of the memory)
        d = self.engine(*base, "--disable-radix-cache")
        g = d["engine"]["per_gpu"]
        slots = g["kv_memory_bytes"] * 9 // (19 * 19_316_736)
        self.assertEqual((g["state_slots"], d["engine"]["per_replica"]["running_limit"]),
                         (slots, slots))
        self.assertTrue(d["engine"]["launch"]["command"].endswith("--disable-radix-cache"))
