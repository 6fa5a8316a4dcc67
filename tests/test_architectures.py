"""The 2026 architectures (issue 17): each config in tests/fixtures/hf_configs (sources in
SOURCES.md) imported, then sized by each engine's rules. Every number is worked out by hand
in the comment beside it, from the config's fields and the engines' source (cited in
sizing.py beside each layer kind)."""

import json
import unittest

import sizing
from tests.helpers import FIXTURES, hf_config, run_main

H100 = sizing.Server("h100", (), "", "", "", 8, 80, 640, "", 79.18)


def model(stem):
    path = FIXTURES / "hf_configs" / f"{stem}.json"
    entry = sizing.import_hf_config(sizing.read_hf_config(str(path)), str(path), "m", "o/m")
    return sizing.parse_model(sizing._Entry("t", "model", 0, entry)), entry


def vllm_pool(stem, tp, context, kv_gib):
    """vLLM's replica of a fixture model on H100 with its KV memory given (bf16)."""
    m, _ = model(stem)
    return sizing.engine_capacity(m, H100, context, "bf16", sizing.EngineSettings(
        engine="vllm", tensor_parallel=tp, kv_cache_memory_gib=kv_gib))


def per_gpu(stem, engine, tp=1, precision="bf16", context=32768):
    m, _ = model(stem)
    return sizing.engine_capacity(m, H100, context, precision,
                                  sizing.EngineSettings(engine=engine, tensor_parallel=tp,
                                                        kv_cache_memory_gib=40))


class SparseAttentionTest(unittest.TestCase):
    def test_deepseek_v32_bytes_per_token(self):
        # MLA latent 512 + 64 and the indexer key 128 (fp8) + one fp32 scale:
        # bf16 KV: 576 x 2 + 132 = 1,284 B per layer; fp8 KV: FlashMLA's 656-byte record
        # (512 fp8 + 4 fp32 scales + 64 bf16) + 132 = 788 B. 61 layers, replicated on every
        # tensor-parallel rank, the same in vLLM and SGLang.
        for engine in ("vllm", "sglang"):
            for precision, per_layer in (("bf16", 1284), ("fp8", 788)):
                with self.subTest(engine=engine, precision=precision):
                    e = per_gpu("deepseek-ai__DeepSeek-V3.2", engine, tp=8,
                                precision=precision)
                    self.assertEqual(e.bytes_per_token_per_gpu, 61 * per_layer)

    def test_glm5(self):
        # the same layer over 78 layers: 78 x 788 = 61,464 B per token with fp8 KV
        e = per_gpu("zai-org__GLM-5", "vllm", tp=8, precision="fp8")
        self.assertEqual(e.bytes_per_token_per_gpu, 78 * 788)

    def test_shared_indexer_layers_keep_only_the_latent(self):
        # GLM-5.3-style indexer_types: a "shared" layer reuses another layer's top-k and has
        # no indexer key cache. 21 full layers x (576 x 2 + 132) = 26,964 B and 57 shared
        # layers x 576 x 2 = 65,664 B per token in bf16 (TP 1)
        raw = hf_config("zai-org__GLM-5")
        raw["indexer_types"] = ["full"] * 2 + ["shared"] * 57 + ["full"] * 19
        entry = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        m = sizing.parse_model(sizing._Entry("t", "model", 0, entry))
        self.assertEqual(sorted((g.kind, g.layers) for g in m.layer_groups),
                         [("mla", 57), ("mla_indexer", 21)])
        e = sizing.engine_capacity(m, H100, 32768, "bf16", sizing.EngineSettings(
            engine="vllm", tensor_parallel=1, kv_cache_memory_gib=40))
        self.assertEqual(e.bytes_per_token_per_gpu, 21 * 1284 + 57 * 1152)
        raw["indexer_types"][5] = "partial"
        with self.assertRaisesRegex(sizing.CatalogError, r"indexer_types\[5\]"):
            sizing.import_hf_config(raw, "config.json", "m", "o/m")

    def test_an_indexer_shared_across_layers_needs_its_layer_list(self):
        # GLM-5.2 shares its indexer: index_topk_freq 4, index_skip_topk_offset 3 (SGLang
        # dsa_layer_skips_topk: max(layer - 3 + 1, 0) % 4 != 0 skips), so layers 0, 1, 2, 6,
        # 10, ..., 74 compute a top-k (21) and 57 reuse one; its checkpoint names the same
        # split in indexer_types, which says which layers keep an indexer cache. With it the
        # config imports as 21 sparse-attention and 57 MLA layers; without it, refused.
        raw = hf_config("zai-org__GLM-5")
        raw.update(index_topk_freq=4, index_skip_topk_offset=3)
        with self.assertRaises(sizing.CatalogError) as refused:
            sizing.import_hf_config(raw, "config.json", "m", "o/m")
        self.assertIn("index_topk_freq is 4 without indexer_types", str(refused.exception))
        computes = [max(layer - 3 + 1, 0) % 4 == 0 for layer in range(78)]
        self.assertEqual([i for i, c in enumerate(computes) if c][:5], [0, 1, 2, 6, 10])
        raw["indexer_types"] = ["full" if c else "shared" for c in computes]
        entry = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        self.assertEqual(sorted((g["kind"], g["layers"]) for g in entry["layer_groups"]),
                         [("mla", 57), ("mla_indexer", 21)])
        # a frequency of 1 shares nothing
        raw = hf_config("zai-org__GLM-5")
        raw["index_topk_freq"] = 1
        self.assertEqual([g["kind"] for g in sizing.import_hf_config(
            raw, "config.json", "m", "o/m")["layer_groups"]], ["mla_indexer"])

    def test_the_catalogs_deepseek_v32_on_b300(self):
        status, out, err = run_main(["--model", "deepseek-v3.2", "--server", "dgx-b300",
                                     "--concurrency", "1000", "--effective-context", "128k",
                                     "--kv-precision", "fp8", "--format", "json"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        # 61 x 788 x 131,072 = 6,300,368,896 B per session in the pooled view
        self.assertEqual(doc["kv_cache"]["kv_per_session_bytes"], 61 * 788 * 131072)

    def test_decode_reads_the_indexer_keys_and_the_top_k_latents_only(self):
        # A DeepSeek-V3.2 decode step scores every cached token with the indexer (132 B fp8
        # key) and attends to the index_topk 2,048 best latents (656 B each with fp8 KV), so
        # at 131,072 tokens a session reads per layer 132 x 131,072 + 656 x 2,048 =
        # 18,644,992 B, not 788 x 131,072; below 2,048 tokens it reads all of them.
        m, _ = model("deepseek-ai__DeepSeek-V3.2")
        settings = sizing.EngineSettings(engine="vllm", tensor_parallel=8)
        engine = sizing.engine_capacity_at(m, H100, 131072, "fp8", settings, 8, False)
        r = sizing.replica_costs(m, H100, engine, "fp8", settings, False, 131072)
        self.assertEqual(sizing._kv_read_and_flops(r, 131072)[0], 61 * 18_644_992)
        self.assertEqual(sizing._kv_read_and_flops(r, 1000)[0], 61 * 788 * 1000)


class MlaPrefillTest(unittest.TestCase):
    """vLLM's MLA backend (vllm/v1/attention/backends/mla/common.py, "compute friendly
    approach" for prefill, "data-movement friendly" for decode) and SGLang's DeepSeek MHA
    forward with its chunked prefix cache: prompts attend as multi-head attention over
    up-projected K and V, decode over the absorbed latent."""

    def replica(self, drop_head_dims=False):
        m, _ = model("deepseek-ai__DeepSeek-V3")
        if drop_head_dims:
            m = m._replace(layer_groups=tuple(
                g._replace(dims=tuple(d for d in g.dims if d[0] in g.spec.fields))
                for g in m.layer_groups))
        settings = sizing.EngineSettings(engine="vllm", tensor_parallel=8)
        engine = sizing.engine_capacity_at(m, H100, 8192, "fp8", settings, 8, False)
        return sizing.replica_costs(m, H100, engine, "fp8", settings, False, 8192)

    def test_prefill_counts_multi_head_attention_and_the_prefix_up_projection(self):
        # DeepSeek-V3: 128 heads, qk_nope 128 + qk_rope 64 on q.k, v_head_dim 128 on a.v:
        # 2 x 128 x 320 = 81,920 FLOPs per prompt token per cached token per layer. With 2,000
        # of the request's prompt tokens in the step at a mean context of 5,000, its cached
        # prefix is 5,000 - 1,000 = 4,000 tokens, each up-projected once per step:
        # 2 x 512 x 128 x (128 + 128) = 33,554,432 FLOPs, shared by the 2,000 prompt tokens.
        # All GPUs together, 61 layers.
        r = self.replica()
        per_layer = 81_920 * 5000 + 33_554_432 * 4000 / 2000
        self.assertEqual(sizing._layout_prefill_flops(r.kv_layout, r.heads, 5000, 2000),
                         61 * per_layer)
        # no prefix (a one-chunk prompt with nothing cached): attention alone
        self.assertEqual(sizing._layout_prefill_flops(r.kv_layout, r.heads, 1000, 2000),
                         61 * 81_920 * 1000)

    def test_decode_stays_absorbed_and_a_catalog_without_head_dims_counts_prefill_so(self):
        # absorbed: q.k over 512 + 64, a.v over 512: 2 x 128 x 1,088 = 278,528 per cached
        # token per layer; per GPU at TP 8 (heads split)
        r = self.replica()
        self.assertEqual(sizing._kv_read_and_flops(r, 5000)[1], 61 * 278_528 * 5000 / 8)
        bare = self.replica(drop_head_dims=True)
        self.assertEqual(sizing._layout_prefill_flops(bare.kv_layout, bare.heads, 5000, 2000),
                         61 * 278_528 * 5000)

    def test_the_importer_and_the_catalog_carry_the_head_dims(self):
        # config.json: qk_nope_head_dim 128, v_head_dim 128 (tests/fixtures/hf_configs)
        _, entry = model("deepseek-ai__DeepSeek-V3")
        self.assertEqual([(g["qk_nope_head_dim"], g["v_head_dim"])
                          for g in entry["layer_groups"]], [(128, 128)])
        catalog = json.loads((FIXTURES.parent.parent / "models.json").read_text())
        for name in ("deepseek-v3", "kimi-k2"):
            entry = next(e for e in catalog["models"] if e["name"] == name)
            self.assertEqual([(g["qk_nope_head_dim"], g["v_head_dim"])
                              for g in entry["layer_groups"]], [(128, 128)], name)


class MambaTwoTest(unittest.TestCase):
    def test_nemotron_h_state_per_engine(self):
        # 23 Mamba-2 layers: conv (64 x 64 + 2 x 8 x 128) x 3 = 18,432 elements in bf16,
        # SSM 64 x 64 x 128 = 524,288 in fp32 in both engines (vLLM's Nemotron-H hook
        # defaults mamba_ssm_cache_dtype to float32; SGLang defaults to float32):
        # 23 x (36,864 + 2,097,152) = 49,082,368 B per session at TP 1. Six attention
        # layers of 2 KV heads x 128: 6 x 1,024 = 6,144 B per token.
        for engine in ("vllm", "sglang"):
            with self.subTest(engine=engine):
                e = per_gpu("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B", engine)
                self.assertEqual(e.state_bytes_per_gpu, 23 * (18432 * 2 + 524288 * 4))
                self.assertEqual(e.bytes_per_token_per_gpu, 6 * 1024)

    def test_nemotron_h_56b_state_split_over_eight_gpus(self):
        # Nemotron-H 56B (verbatim config): 54 Mamba-2 layers of 256 heads x 64, 8 groups,
        # d_state 256, kernel 4; at TP 8 each GPU holds 32 heads and 1 group: conv (32 x 64 +
        # 2 x 1 x 256) x 3 = 7,680 elements in bf16, SSM 32 x 64 x 256 = 524,288 in fp32 in
        # both engines: 54 x (15,360 + 2,097,152) = 114,075,648 B per session on each GPU.
        # Ten attention layers of 8 KV heads x 128, one head per GPU: 10 x 512 = 5,120 B per
        # token.
        for engine in ("vllm", "sglang"):
            with self.subTest(engine=engine):
                e = per_gpu("nvidia__Nemotron-H-56B-Base-8K", engine, tp=8, context=8192)
                self.assertEqual(e.state_bytes_per_gpu, 54 * (7680 * 2 + 524288 * 4))
                self.assertEqual(e.bytes_per_token_per_gpu, 10 * 512)

    def test_nemotron_h_56b_parameters_by_hand(self):
        # embeddings and LM head 2 x 131,072 x 8,192 = 2,147,483,648; 54 MLP blocks (relu2,
        # up and down) 2 x 8,192 x 32,768 = 536,870,912 each; 54 Mamba-2 mixers: in_proj 8,192
        # x (2 x 16,384 + 2 x 8 x 256 + 256) = 304,087,040, conv 20,480 x 4 + 20,480 bias =
        # 102,400, dt_bias, A_log and D 3 x 256, gated norm 16,384, out_proj 16,384 x 8,192 =
        # 134,217,728: 438,424,320 each; 10 attention blocks: q and o 2 x 8,192^2 + k and v
        # 2 x 8,192 x 1,024 = 150,994,944 each; a norm per block 118 x 8,192 + the final
        # 8,192 = 974,848. Total 2,147,483,648 + 28,991,029,248 + 23,674,913,280 +
        # 1,509,949,440 + 974,848 = 56,324,350,464.
        _, entry = model("nvidia__Nemotron-H-56B-Base-8K")
        self.assertIn("56,324,350,464 total", entry["params_source"])
        self.assertEqual(entry["max_position_embeddings"], 8192)

    def test_a_block_list_without_a_layer_count_gives_it(self):
        # Nemotron 3 Ultra's config.json has no num_hidden_layers: transformers'
        # NemotronHConfig takes the length of layers_block_type (108). Without either the
        # count is missing.
        _, entry = model("nvidia__NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16")
        self.assertIn("108 layers (48 mamba2, 12 full)", entry["description"])
        raw = hf_config("nvidia__NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16")
        del raw["layers_block_type"]
        with self.assertRaisesRegex(sizing.CatalogError, "num_hidden_layers is missing"):
            sizing.import_hf_config(raw, "config.json", "m", "o/m")

    def test_nemotron_block_list_reads_like_the_pattern(self):
        # Nemotron 3.5 names its blocks in layers_block_type instead of a pattern string:
        # the same blocks give the same layer groups
        raw = hf_config("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B")
        config = raw.get("llm_config", raw)
        pattern = config.pop("hybrid_override_pattern")
        names = {"M": "mamba", "*": "attention", "-": "mlp", "E": "moe"}
        config["layers_block_type"] = [names[ch] for ch in pattern]
        listed = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        _, original = model("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B")
        self.assertEqual(listed["layer_groups"], original["layer_groups"])
        self.assertEqual(listed["total_params_billion"], original["total_params_billion"])

    def test_pure_mamba2_differs_by_engine(self):
        # 48 layers of 48 heads x 64, 1 group, d_state 128: conv (3,072 + 256) x 3 = 9,984,
        # SSM 48 x 64 x 128 = 393,216. vLLM keeps both in the model dtype (bf16):
        # 48 x 403,200 x 2 = 38,707,200 B; SGLang the SSM in fp32:
        # 48 x (9,984 x 2 + 393,216 x 4) = 48 x 1,592,832 = 76,455,936 B. No attention.
        vllm = per_gpu("state-spaces__mamba2-780m", "vllm")
        sglang = per_gpu("state-spaces__mamba2-780m", "sglang")
        self.assertEqual(vllm.state_bytes_per_gpu, 48 * 403200 * 2)
        self.assertEqual(sglang.state_bytes_per_gpu, 48 * 1592832)
        self.assertEqual(vllm.bytes_per_token_per_gpu, 0)

    def test_infinity_in_a_field_that_sizes_nothing(self):
        # time_step_limit [0.0, Infinity]: read, not used
        _, entry = model("state-spaces__mamba2-780m")
        self.assertEqual(entry["num_layers"], 48)


class QwenThreeFiveTest(unittest.TestCase):
    def test_gated_delta_net_state_in_fp32_as_the_config_says(self):
        # 48 Gated DeltaNet layers: conv (2 x 16 x 128 + 48 x 128) x 3 = 30,720 in bf16,
        # state 48 x 128 x 128 = 786,432 in fp32 (mamba_ssm_dtype float32): 3,207,168 B per
        # layer; 16 full-attention layers of 4 KV heads x 256: 16 x 4,096 = 65,536 B/token
        for engine in ("vllm", "sglang"):
            with self.subTest(engine=engine):
                e = per_gpu("Qwen__Qwen3.5-27B", engine)
                self.assertEqual(e.state_bytes_per_gpu, 48 * 3207168)
                self.assertEqual(e.bytes_per_token_per_gpu, 16 * 4096)

    def test_vllm_hybrid_page_reproduces_the_logged_capacity(self):
        # vLLM PR #40694 quotes a Qwen3.5-27B log at max_model_len 32,768: 290,864 tokens next
        # to a maximum concurrency of 33.04x. By vLLM's rule (engine_kv_accounting.md a, d):
        # block = 16 x ceil(3,207,168 / (16 x 4,096)) = 784 tokens, page 784 x 4,096 =
        # 3,211,264 B; 16 full and 48 linear layers make groups of 16 (48 is not under
        # 1.5 x 16): 1 attention + 3 state groups. 71.16 GiB = 76,407,551,754 B holds
        # 76,407,551,754 // 3,211,264 // 16 = 1,487 blocks; 1,487 // 4 x 784 = 290,864 tokens;
        # a request takes ceil(32,768 / 784) = 42 + 3 = 45 blocks: 1,487 / 45 = 33.04.
        e = vllm_pool("Qwen__Qwen3.5-27B", 1, 32768, 71.16)
        self.assertEqual(e.block_size, 784)
        self.assertEqual(e.num_blocks, 1487)
        self.assertEqual((e.kv_capacity_tokens, e.kv_block_groups), (290864, 4))
        self.assertEqual(round(e.max_concurrency, 2), 33.04)
        self.assertEqual(e.sessions_per_replica, 33)


class GemmaThreeTest(unittest.TestCase):
    def test_vllm_pads_the_last_sliding_group(self):
        # vLLM groups Gemma 3 27B's 10 full and 52 sliding layers by 10 (52 is not under
        # 1.5 x 10): one full group and six sliding ones, the sixth 2 layers and 8 of padding
        # (kv_cache_utils.py, engine_kv_accounting.md c). At TP 8 a layer keeps 2 KV heads x
        # (128 + 128) x 2 B = 1,024 B a token: a page of 16 tokens is 16,384 B and a block
        # spans the 10 layers of a group. 40 GiB hold 42,949,672,960 // 16,384 // 10 = 262,144
        # blocks. At 32,768 tokens with 8,192 batched a request takes 2,048 blocks in the
        # full group and ceil((1,024 - 1 + 8,192) / 16) + 1 = 577 in each sliding group:
        # 2,048 + 6 x 577 = 5,510 blocks, 5,510 x 16,384 x 10 = 902,758,400 B; 262,144 /
        # 5,510 = 47.58 requests. The log's tokens: 262,144 // 7 groups x 16 = 599,184.
        e = vllm_pool("google__gemma-3-27b-it", 8, 32768, 40)
        self.assertEqual(e.num_blocks, 262144)
        self.assertEqual(e.request_bytes_per_gpu, 902758400)
        self.assertEqual(round(e.max_concurrency, 2), 47.58)
        self.assertEqual(e.kv_capacity_tokens, 599184)
        self.assertEqual(e.sessions_per_replica, 47)
        self.assertEqual(e.kv_block_groups, 7)


class GemmaFourTest(unittest.TestCase):
    """Gemma 4 (vLLM models/gemma4.py): full layers with global_head_dim and, with
    attention_k_eq_v, num_global_key_value_heads; the last num_kv_shared_layers cache nothing."""

    def test_vllm_gives_the_smaller_page_a_longer_block(self):
        # Gemma 4 31B at TP 1: 50 sliding layers of 16 KV heads x (256 + 256) x 2 B = 16,384 B
        # a token, 10 full of 4 x (512 + 512) x 2 = 8,192. vLLM's
        # unify_kv_cache_spec_page_size gives the full layers blocks of 32 tokens, so both
        # pages are 16 x 16,384 = 262,144 B; groups of 10: one full, five sliding. 40 GiB hold
        # 42,949,672,960 // 262,144 // 10 = 16,384 blocks. At 1,000 tokens a request takes
        # ceil(1,000 / 32) = 32 full blocks and, in each sliding group, ceil(1,000 / 16) + 1 =
        # 64: 32 + 5 x 64 = 352 blocks of 262,144 x 10 B = 922,746,880 B (16-token blocks for
        # the full layers would reserve 1,008 tokens there, not 1,024); 16,384 / 352 = 46.55;
        # the log's tokens 16,384 // 6 groups x 16 = 43,680.
        e = vllm_pool("google__gemma-4-31B-it", 1, 1000, 40)
        self.assertEqual(e.num_blocks, 16384)
        self.assertEqual(e.request_bytes_per_gpu, 352 * 262144 * 10)
        self.assertEqual(round(e.max_concurrency, 2), 46.55)
        self.assertEqual(e.kv_capacity_tokens, 43680)

    def test_31b_full_layers_have_their_own_heads(self):
        m, entry = model("google__gemma-4-31B-it")
        # 5 sliding : 1 full over 60 layers; sliding 16 KV heads x 256, full 4 x 512
        self.assertEqual([(g.kind, g.layers, g.dim("kv_heads"), g.dim("head_dim"))
                          for g in m.layer_groups],
                         [("sliding", 50, 16, 256), ("full", 10, 4, 512)])
        # TP 8: sliding 16 / 8 = 2 heads x 256 x 2 (K, V) x 2 B = 2,048 B per token per layer;
        # full max(1, 4 / 8) = 1 head (replicated) x 512 x 2 x 2 B = 2,048 B
        e = per_gpu("google__gemma-4-31B-it", "vllm", tp=8)
        self.assertEqual(e.bytes_per_token_per_gpu, 50 * 2048 + 10 * 2048)
        # a 32,768-token request: sliding layers reserve (ceil((1,024 - 1 + 8,192) / 16) + 1)
        # x 16 = 9,232 tokens, full layers 32,768
        self.assertEqual(e.request_bytes_per_gpu, 50 * 2048 * 9232 + 10 * 2048 * 32768)

    def test_e4b_shared_layers_keep_no_cache(self):
        m, entry = model("google__gemma-4-E4B-it")
        # 42 layers, the last 18 share: 24 cache layers, 20 sliding and 4 full (every 6th)
        self.assertEqual(entry["num_layers"], 24)
        self.assertIn("the last 18 of the 42 layers read the KV of earlier layers",
                      entry["source"])
        # no k_eq_v: full layers keep num_key_value_heads 2, at global_head_dim 512:
        # 20 x 2 x 2 x 256 x 2 B + 4 x 2 x 2 x 512 x 2 B = 40,960 + 16,384 B per token
        e = per_gpu("google__gemma-4-E4B-it", "vllm")
        self.assertEqual(e.bytes_per_token_per_gpu, 20 * 2048 + 4 * 4096)

    def test_expert_size_under_either_name(self):
        # vLLM's Gemma4MoE reads moe_intermediate_size, else expert_intermediate_size
        raw = hf_config("google__gemma-4-26B-A4B-it")
        text = raw["text_config"]
        text["expert_intermediate_size"] = text.pop("moe_intermediate_size")
        entry = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        _, named = model("google__gemma-4-26B-A4B-it")
        self.assertEqual(entry["total_params_billion"], named["total_params_billion"])

    def test_26b_a4b_parameters_against_the_model_card(self):
        # the model card: 25.2 B parameters in total, 3.8 B active (128 experts, top 8)
        _, entry = model("google__gemma-4-26B-A4B-it")
        self.assertAlmostEqual(entry["total_params_billion"], 25.2, delta=0.1)
        self.assertAlmostEqual(entry["active_params_billion"], 3.8, delta=0.1)
        self.assertEqual((entry["num_experts"], entry["experts_per_token"]), (128, 8))


class MambaTwoHybridTest(unittest.TestCase):
    """Granite 4.0-H and Falcon-H1 (assembled, SOURCES.md): Mamba-2 with one group, which
    every tensor-parallel rank holds whole (vLLM mamba_utils.py extra_groups_for_head_shards)."""

    def test_granite_state_per_engine_at_tp4(self):
        m, entry = model("ibm-granite__granite-4.0-h-small")
        self.assertEqual([(g.kind, g.layers) for g in m.layer_groups],
                         [("mamba2", 36), ("full", 4)])
        self.assertEqual((entry["num_experts"], entry["experts_per_token"]), (72, 10))
        # TP 4: the one group becomes 4, so the conv state is (128 x 64 + 2 x 4 x 128) / 4 =
        # 2,304 channels x 3 steps = 6,912 and the SSM state 128 / 4 x 64 x 128 = 262,144
        # elements per rank. vLLM keeps both in bf16: (6,912 + 262,144) x 2 = 538,112 B;
        # SGLang the SSM state in fp32: 6,912 x 2 + 262,144 x 4 = 1,062,400 B
        vllm = per_gpu("ibm-granite__granite-4.0-h-small", "vllm", tp=4)
        sglang = per_gpu("ibm-granite__granite-4.0-h-small", "sglang", tp=4)
        self.assertEqual(vllm.state_bytes_per_gpu, 36 * 538112)
        self.assertEqual(sglang.state_bytes_per_gpu, 36 * 1062400)
        # vLLM's page: one layer's token is 8 / 4 = 2 heads x 128 x 2 x 2 B = 1,024 B, so
        # the block is 16 x ceil(538,112 / (16 x 1,024)) = 528 tokens
        self.assertEqual(vllm.block_size, 528)
        self.assertEqual(vllm.bytes_per_token_per_gpu, 4 * 1024)

    def test_falcon_h1_auto_head_dim_is_the_inner_size_over_the_heads(self):
        # transformers' FalconH1Config: mamba_d_head "auto" = mamba_d_ssm / mamba_n_heads =
        # 3,072 / 48 = 64, the value the fixture states
        raw = hf_config("tiiuae__Falcon-H1-1.5B-Base")
        raw["mamba_d_head"] = "auto"
        entry = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        mamba = [g for g in entry["layer_groups"] if g["kind"] == "mamba2"][0]
        self.assertEqual((mamba["num_heads"], mamba["head_dim"]), (48, 64))

    def test_falcon_h1_runs_attention_and_mamba_in_every_layer(self):
        m, entry = model("tiiuae__Falcon-H1-1.5B-Base")
        # 24 layers, each an attention and a Mamba-2 mixer: 48 cache layers
        self.assertEqual(entry["num_layers"], 48)
        self.assertEqual([(g.kind, g.layers) for g in m.layer_groups],
                         [("full", 24), ("mamba2", 24)])
        # TP 2: groups 1 -> 2; conv (3,072 + 2 x 2 x 256) x 3 = 12,288, SSM 48 x 64 x 256 =
        # 786,432; (12,288 + 786,432) x 2 B / 2 ranks = 798,720 B per layer per GPU
        e = per_gpu("tiiuae__Falcon-H1-1.5B-Base", "vllm", tp=2)
        self.assertEqual(e.state_bytes_per_gpu, 24 * 798720)
        # attention: 2 KV heads / 2 = 1 x 128 x 2 x 2 B = 512 B per token per layer
        self.assertEqual(e.bytes_per_token_per_gpu, 24 * 512)


class LinearAttentionTest(unittest.TestCase):
    """MiniMax-M1's lightning attention (quoted config) and Kimi-Linear's KDA (assembled)."""

    def test_minimax_m1_lightning_state_per_engine(self):
        m, entry = model("MiniMaxAI__MiniMax-M1-80k")
        # the model card: 456 B parameters, 45.9 B activated per token (without the 2.46 B
        # of untied embeddings, 2 x 200,064 x 6,144, which the importer counts as active)
        self.assertAlmostEqual(entry["total_params_billion"], 456.1, delta=0.1)
        self.assertAlmostEqual(entry["active_params_billion"] - 2 * 200064 * 6144 / 1e9,
                               45.9, delta=0.1)
        # TP 8: 64 / 8 = 8 heads x 128 x 128 = 131,072 elements per lightning layer; vLLM
        # keeps them in the model dtype (262,144 B), SGLang in fp32 (524,288 B)
        vllm = per_gpu("MiniMaxAI__MiniMax-M1-80k", "vllm", tp=8)
        sglang = per_gpu("MiniMaxAI__MiniMax-M1-80k", "sglang", tp=8)
        self.assertEqual(vllm.state_bytes_per_gpu, 70 * 262144)
        self.assertEqual(sglang.state_bytes_per_gpu, 70 * 524288)
        # softmax layers: 8 KV heads / 8 = 1 x 128 x 2 x 2 B = 512 B per token; vLLM's block
        # = 16 x ceil(262,144 / (16 x 512)) = 512 tokens, a page of exactly one state
        self.assertEqual(vllm.bytes_per_token_per_gpu, 10 * 512)
        self.assertEqual(vllm.block_size, 512)

    def test_transformers_minimax_layout_names_lightning_linear_attention(self):
        # transformers' MiniMaxConfig (model_type minimax) says layer_types instead of
        # attn_type_list, and its linear_attention is lightning, not Gated DeltaNet
        raw = hf_config("MiniMaxAI__MiniMax-M1-80k")
        codes = raw.pop("attn_type_list")
        raw.update(model_type="minimax", layer_types=[
            "full_attention" if code else "linear_attention" for code in codes])
        entry = sizing.import_hf_config(raw, "config.json", "m", "o/m")
        self.assertEqual([(g["kind"], g["layers"]) for g in entry["layer_groups"]],
                         [("lightning", 70), ("full", 10)])

    def test_kimi_linear_kda_state_in_fp32_in_both_engines(self):
        m, entry = model("moonshotai__Kimi-Linear-48B-A3B-Instruct")
        self.assertEqual([(g.kind, g.layers) for g in m.layer_groups], [("kda", 20), ("mla", 7)])
        # vLLM kda_state_dtype: conv in the model dtype, the recurrent matrix in fp32: at TP 2
        # (36,864 x 2 + 524,288 x 4) / 2 = 1,085,440 B per layer per GPU, in both engines
        for engine in ("vllm", "sglang"):
            with self.subTest(engine=engine):
                e = per_gpu("moonshotai__Kimi-Linear-48B-A3B-Instruct", engine, tp=2)
                self.assertEqual(e.state_bytes_per_gpu, 20 * 1085440)
                # MLA's latent (512 + 64) x 2 B, replicated on both ranks
                self.assertEqual(e.bytes_per_token_per_gpu, 7 * 1152)


class HubLayoutTest(unittest.TestCase):
    def test_gemma3_fields_the_hub_omits_are_defaulted_and_said(self):
        m, entry = model("google__gemma-3-27b-it")
        self.assertEqual((m.max_position_embeddings, m.vocab_size), (131072, 262208))
        self.assertIn("absent from the config, transformers' Gemma3TextConfig's defaults: "
                      "text_config.max_position_embeddings=131072", entry["source"])
        self.assertIn("text_config.sliding_window_pattern=6", entry["source"])
        self.assertNotIn("text_config.head_dim=256", entry["source"])   # given: 128



class VisionTowerTest(unittest.TestCase):
    def test_gemma3_siglip_tower_counted_in_bf16_and_never_read_by_decode(self):
        # vision_config of gemma-3-27b-it: SigLIP 1,152 wide, MLP 4,304, 27 blocks, patch 14,
        # image 896. Per block 4 x 1,152^2 + 4 x 1,152 + 2 x 1,152 x 4,304 + 4,304 + 1,152 +
        # 4 x 1,152 = 15,239,504, x 27 = 411,466,608; patch embedding 3 x 14^2 x 1,152 +
        # 1,152 = 678,528; positions (896 / 14)^2 x 1,152 = 4,718,592; final norm 2,304;
        # projector into the 5,376-wide text model 1,152 x 5,376 + 1,152 = 6,194,304
        m, entry = model("google__gemma-3-27b-it")
        tower = 411466608 + 678528 + 4718592 + 2304 + 6194304
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertEqual(tower, 423060336)
        # 27.01 B of language model + 0.42 B: the 27.4 B the model's Hub page lists
        self.assertAlmostEqual(m.total_params_billion + tower / 1e9, 27.4, delta=0.05)
        bare = m._replace(multimodal_params=None)
        # in the weights at 2 bytes whatever the language model's precision
        for precision in ("bf16", "fp8"):
            self.assertEqual(sizing.weights_bytes(m, precision)
                             - sizing.weights_bytes(bare, precision), 2 * tower)
        # a decode step reads the same dense bytes with or without the tower
        settings = sizing.EngineSettings(engine="vllm", tensor_parallel=2)
        reads = [sizing.replica_costs(x, H100, sizing.engine_capacity(
                     x, H100, 8192, "bf16", settings), "bf16", settings, False, 4096)
                 .dense_bytes for x in (m, bare)]
        self.assertEqual(reads[0], reads[1])

    def test_qwen_merger_tower_and_its_deepstack_mergers(self):
        # Qwen3.5-27B's vision_config (verbatim: 27 blocks 1,152 wide, MLP 4,304, patch 16 over
        # 2 frames, 2,304 positions, merge 2, no deepstack mergers) to the 5,120-wide text
        # model. Blocks 15,239,504 x 27 = 411,466,608 (as
        # Gemma 3's SigLIP above); patch embedding 3 x 2 x 16^2 x 1,152 + 1,152 = 1,770,624;
        # positions 2,304 x 1,152 = 2,654,208; no final norm outside the merger. The merger:
        # layer norm 2 x 1,152, then 4,608 -> 4,608 -> 5,120 with biases: 4,608^2 + 4,608 +
        # 4,608 x 5,120 + 5,120 = 44,836,352, + 2,304 = 44,838,656. Each deepstack merger is
        # the same two layers with its norm over the 4,608 concatenated: 44,836,352 + 9,216.
        config = hf_config("Qwen__Qwen3.5-27B")
        tower = 411466608 + 1770624 + 2654208
        entry = sizing.import_hf_config(config, "config.json", "m", "org/m")
        self.assertEqual(entry["multimodal_params"], tower + 44838656)
        config["vision_config"]["deepstack_visual_indexes"] = [8, 16, 24]
        entry = sizing.import_hf_config(config, "config.json", "m", "org/m")
        self.assertEqual(entry["multimodal_params"],
                         tower + 44838656 + 3 * (44836352 + 9216))

    def test_incomplete_vision_config_is_said_not_guessed(self):
        config = hf_config("Qwen__Qwen3.5-27B")
        del config["vision_config"]["depth"]
        entry = sizing.import_hf_config(config, "config.json", "m", "o/m")
        self.assertNotIn("multimodal_params", entry)
        self.assertIn("the vision tower is not counted", entry["source"])

if __name__ == "__main__":
    unittest.main()
