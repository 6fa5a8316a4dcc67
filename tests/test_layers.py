"""KV per session for every layer kind, worked out by hand from the models' config.json numbers.

Sizes per token per layer: attention 2 (K and V) x kv_heads x head_dim x bytes (or
kv_heads x (head_dim + v_head_dim) x bytes when they differ); MLA one latent of
kv_lora_rank + qk_rope_head_dim values, no factor 2. Linear-attention and Mamba layers keep a
fixed state per session (vLLM mamba_utils.py: gated_delta_net_state_shape, mamba1_state_shape).
"""

import tempfile
import unittest
from pathlib import Path

import sizing
from tests.helpers import fixture, fixture_args, last_json, run_main


def attention(kind, layers, kv_heads, head_dim, v_head_dim=None, **limit):
    dims = (("kv_heads", kv_heads), ("head_dim", head_dim),
            ("v_head_dim", v_head_dim or head_dim)) + tuple(limit.items())
    return sizing.LayerGroup(kind, layers, dims)


class LayerKindTest(unittest.TestCase):
    def test_mla_keeps_one_latent_per_token_without_factor_two(self):
        # deepseek-ai/DeepSeek-V3 config.json: 61 layers, kv_lora_rank 512, qk_rope_head_dim 64
        # (num_key_value_heads 128 does not apply to the cache). 61 x 576 x 2 = 70,272 B/token.
        mla = sizing.LayerGroup("mla", 61, (("kv_lora_rank", 512), ("qk_rope_head_dim", 64)))
        kv = sizing.kv_breakdown([mla], 1000, "bf16")
        self.assertEqual(kv.groups[0].bytes_per_token, 70272)
        self.assertEqual(kv.per_session_bytes, 70272 * 1000)
        # Naive MHA accounting (2 x 128 heads x 128 dims x 2 B x 61) would be 56.9x more.
        self.assertEqual(2 * 128 * 128 * 2 * 61 // 70272, 56)

    def test_gpt_oss_full_and_sliding_layers(self):
        # openai/gpt-oss-120b: 18 full + 18 sliding (window 128), 8 KV heads, head_dim 64.
        # bf16: 18 x 2 x 8 x 64 x 2 = 36,864 B/token on full layers, same on sliding ones
        # but only for 128 tokens.
        groups = [attention("full", 18, 8, 64), attention("sliding", 18, 8, 64, window=128)]
        kv = sizing.kv_breakdown(groups, 131072, "bf16")
        full, sliding = kv.groups
        self.assertEqual((full.bytes_per_token, full.tokens), (36864, 131072))
        self.assertEqual((sliding.bytes_per_token, sliding.tokens), (36864, 128))
        self.assertEqual(kv.per_session_bytes, 36864 * (131072 + 128))   # 4,836,556,800

    def test_chunked_local_attention_stops_at_the_chunk(self):
        # Llama-4-Scout: 48 layers, every 4th is global (NoPE) -> 12 full + 36 chunked of 8192;
        # 8 KV heads x head_dim 128 x 2 x 2 B = 4,096 B per token per layer.
        groups = [attention("full", 12, 8, 128), attention("chunked", 36, 8, 128, chunk=8192)]
        kv = sizing.kv_breakdown(groups, 131072, "bf16")
        self.assertEqual(kv.groups[0].bytes_per_session, 12 * 4096 * 131072)  # 6,442,450,944
        self.assertEqual(kv.groups[1].bytes_per_session, 36 * 4096 * 8192)    # 1,207,959,552
        short = sizing.kv_breakdown(groups, 1000, "bf16")
        self.assertEqual(short.per_session_bytes, 48 * 4096 * 1000)

    def test_gated_deltanet_state_is_fixed_per_session(self):
        # Qwen3-Next-80B-A3B: 36 linear layers; 16 key heads x 128, 32 value heads x 128,
        # conv kernel 4. Conv state (2 x 16 x 128 + 32 x 128) x 3 = 24,576 elements; recurrent
        # 32 x 128 x 128 = 524,288; 548,864 x 2 B = 1,097,728 B per layer.
        gdn = sizing.LayerGroup("linear_attention", 36, (
            ("num_key_heads", 16), ("key_head_dim", 128), ("num_value_heads", 32),
            ("value_head_dim", 128), ("conv_kernel", 4)), "bf16")
        full = attention("full", 12, 2, 256)      # 12 x 2 x 256 x 2 x 2 = 24,576 B/token
        for context in (1024, 262144):
            kv = sizing.kv_breakdown([full, gdn], context, "bf16")
            self.assertEqual(kv.groups[1].state_bytes, 36 * 1097728)   # 39,518,208
            self.assertEqual(kv.groups[0].bytes_per_token, 24576)
            self.assertEqual(kv.per_session_bytes, 24576 * context + 39518208)

    def test_state_precision_is_not_the_kv_precision(self):
        gdn = sizing.LayerGroup("linear_attention", 1, (
            ("num_key_heads", 1), ("key_head_dim", 4), ("num_value_heads", 2),
            ("value_head_dim", 4), ("conv_kernel", 4)), "fp32")
        # (2 x 4 + 2 x 4) x 3 + 2 x 4 x 4 = 80 elements x 4 B, whatever --kv-precision says
        for precision in ("fp8", "bf16"):
            self.assertEqual(sizing.kv_breakdown([gdn], 10, precision).per_session_bytes, 320)

    def test_mamba_state(self):
        # AI21-Jamba-1.5-Mini: 28 Mamba layers, d_inner = mamba_expand 2 x hidden 4096 = 8192,
        # d_state 16, d_conv 4: 8192 x (3 + 16) = 155,648 elements x 2 B = 311,296 B per layer.
        mamba = sizing.LayerGroup("mamba", 28, (("d_inner", 8192), ("d_state", 16),
                                                ("conv_kernel", 4)), "bf16")
        kv = sizing.kv_breakdown([mamba], 262144, "bf16")
        self.assertEqual(kv.per_session_bytes, 28 * 311296)   # 8,716,288

    def test_k_and_v_head_sizes_may_differ(self):
        # 4 KV heads, K 192 and V 128 values: 4 x (192 + 128) x 2 B = 2,560 B/token (not 3,072)
        kv = sizing.kv_breakdown([attention("full", 1, 4, 192, 128)], 10, "bf16")
        self.assertEqual(kv.groups[0].bytes_per_token, 2560)

    def test_every_kind_from_a_catalog_entry(self):
        # tests/fixtures/models.json 'tiny-layers', bf16, context 100:
        # full 1 x 2 x 16 x 2 = 64 B/token x 100 = 6,400; sliding 64 x min(100, 16) = 1,024;
        # chunked 2 x (8 + 4) x 2 = 48 x min(100, 32) = 1,536; MLA (24 + 8) x 2 = 64 x 100 =
        # 6,400; linear ((2x1x4 + 2x4) x 3 + 2x4x4) = 80 x 2 B = 160; Mamba 8 x (3 + 4) = 56 x
        # 4 B = 224. Total 15,744.
        model = fixture("model", "tiny-layers")
        kv = sizing.kv_breakdown(model.layer_groups, 100, "bf16")
        self.assertEqual([g.bytes_per_session for g in kv.groups],
                         [6400, 1024, 1536, 6400, 160, 224])
        self.assertEqual(kv.per_session_bytes, 15744)
        self.assertAlmostEqual(sum(kv.shares), 1.0)
        self.assertAlmostEqual(kv.shares[0], 6400 / 15744)

    def test_spec_forms_give_the_same_groups_as_before(self):
        # 'spec-120b' (hybrid form): 18 full + 18 sliding of 128, 8 x 64; the worked example.
        model = fixture("model", "spec-120b")
        self.assertEqual([(g.kind, g.layers) for g in model.layer_groups],
                         [("full", 18), ("sliding", 18)])
        kv = sizing.kv_breakdown(model.layer_groups, 131072, "fp8")
        self.assertEqual(kv.per_session_bytes, 2418278400)
        self.assertEqual(kv.bytes_per_token_per_layer, 1024)   # 2 x 8 x 64 x 1



class LayerBreakdownReportTest(unittest.TestCase):
    """The breakdown is in every view, with the same numbers (tiny-layers, bf16, context 100)."""

    def setUp(self):
        base = fixture_args("--model", "tiny-layers", "--server", "unit", "--concurrency", "10",
                            "--effective-context", "100", "--runtime-overhead-gib", "0",
                            "--memory-model", "pooled")    # the unit GPU holds no engine pool
        status, self.both, _ = run_main(base)
        self.assertEqual(status, 0)
        self.document = last_json(self.both)
        with tempfile.TemporaryDirectory() as tmp:
            md = Path(tmp) / "r.md"
            status, _, _ = run_main(base + ["--format", "json", "--output-markdown-file", str(md)])
            self.assertEqual(status, 0)
            self.markdown = md.read_text(encoding="utf-8")

    def test_json_lists_each_group_with_its_rule_bytes_and_share(self):
        groups = self.document["kv_cache"]["layer_groups"]
        self.assertEqual([g["kind"] for g in groups],
                         ["full", "sliding", "chunked", "mla", "linear_attention", "mamba"])
        self.assertEqual([g["bytes_per_session"] for g in groups],
                         [6400, 1024, 1536, 6400, 160, 224])
        self.assertEqual([g["tokens_kept"] for g in groups], [100, 16, 32, 100, 0, 0])
        self.assertEqual(groups[4]["state_bytes"], 160)
        self.assertEqual(groups[0]["share_ratio"], round(6400 / 15744, 6))
        self.assertIn("min(context, chunk)", groups[2]["rule"])
        self.assertEqual(self.document["kv_cache"]["kv_per_session_bytes"], 15744)
        self.assertIsNone(self.document["kv_cache"]["bytes_per_token_per_layer"])
        self.assertEqual(self.document["inputs"]["model"]["layer_groups"][2],
                         {"kind": "chunked", "layers": 1, "kv_heads": 2, "head_dim": 8,
                          "v_head_dim": 4, "chunk": 32})

    def test_text_and_markdown_show_the_same_rows(self):
        # mla row: 1 layer, 64 B/token, 100 tokens, 6,400 B, 6400/15744 = 40.7%
        self.assertRegex(self.both, r"\n  mla +1 +64 +100 +- +6,400 +40\.7%")
        self.assertRegex(self.both, r"\n  mamba +1 +- +- +224 +224 +1\.4%")
        self.assertIn("| mla | 1 | 64 | 100 | - | 6,400 | 40.7% |", self.markdown)
        self.assertIn("| linear_attention | 1 | - | - | 160 | 160 | 1% |", self.markdown)
        self.assertIn("1 MLA (latent 24 + rope 8", self.both)
        self.assertIn("mla: layers x (kv_lora_rank + qk_rope_head_dim)", self.both)


if __name__ == "__main__":
    unittest.main()
