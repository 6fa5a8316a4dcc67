"""--import-hf-config: layer kinds, KV sizes and parameter counts read from real config.json
files (tests/fixtures/hf_configs, sources in SOURCES.md), the traps, and failing closed.

Every expected number is worked out by hand from the config's own fields in the comment beside
it: bytes per token per layer = 2 (K, V) x kv_heads x head_dim x 2 bytes (bf16).
"""

import copy
import json
import os
import shutil
import tempfile
import unittest
from pathlib import Path

import sizing
from tests.helpers import FIXTURES, REPO, hf_config, run_main, shipped_catalogs

CONFIGS = FIXTURES / "hf_configs"


raw = hf_config


def entry_from(config, name="m", repo="org/m"):
    return sizing.import_hf_config(config, "config.json", name, repo)


def model_from(config):
    return sizing.parse_model(sizing._Entry("config.json", "model", 0, entry_from(config)))


def shape(config, context=1000):
    """[(kind, layers, bytes per token of the group, tokens kept, state bytes)] at bf16."""
    kv = sizing.kv_breakdown(model_from(config).layer_groups, context, "bf16")
    return sorted((u.group.kind, u.group.layers, u.bytes_per_token, u.tokens, u.state_bytes)
                  for u in kv.groups)


def shipped(name, field):
    """The `field` the shipped catalog gives the model `name`."""
    models = json.loads((REPO / "models.json").read_text(encoding="utf-8"))["models"]
    return {m["name"]: m for m in models}[name][field]


def shipped_gib(name):
    """The measured_weights_gib the shipped catalog gives the model `name`."""
    return shipped(name, "measured_weights_gib")


def import_error(config):
    try:
        entry_from(config)
    except sizing.CatalogError as exc:
        return str(exc)
    raise AssertionError("config was accepted")


# (config, context, expected shape) -- bf16, hand-worked from each config's numbers
FAMILIES = [
    # DeepSeek-V3: MLA, 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 B = 70,272
    ("deepseek-ai__DeepSeek-V3", 1000, [("mla", 61, 70272, 1000, 0)]),
    # DeepSeek-R1 (quoted): DeepSeek-V3's config under another transformers version, the same
    # 61 x 576 x 2 B = 70,272
    ("deepseek-ai__DeepSeek-R1", 1000, [("mla", 61, 70272, 1000, 0)]),
    # Kimi K2.5 (transformers' print of its config): DeepSeek-V3's MLA in its text_config, 61
    # layers x 576 x 2 B = 70,272
    ("moonshotai__Kimi-K2.5", 1000, [("mla", 61, 70272, 1000, 0)]),
    # DeepSeek-V3.2 (verbatim, SOURCES.md): the same latent plus the indexer key, 128 fp8
    # values and one fp32 scale = 132 B whatever the KV precision; at bf16 61 x (576 x 2 +
    # 132) = 61 x 1,284 = 78,324
    ("deepseek-ai__DeepSeek-V3.2", 1000, [("mla_indexer", 61, 78324, 1000, 0)]),
    # DeepSeek-V3.2-Exp as AMD Quark's FP8 derivative ships it (verbatim, SOURCES.md): the
    # same 61 x 1,284 = 78,324
    ("haoyangli-amd__DeepSeek-V3.2-exp-ptpc", 1000, [("mla_indexer", 61, 78324, 1000, 0)]),
    # GLM-5 (verbatim): DSA like DeepSeek-V3.2 (latent 512 + 64, indexer key 128) over 78
    # layers: 78 x 1,284 = 100,152
    ("zai-org__GLM-5", 1000, [("mla_indexer", 78, 100152, 1000, 0)]),
    # GLM-5.1's own config.json (verbatim, SOURCES.md): the same geometry, 100,152
    ("zai-org__GLM-5.1", 1000, [("mla_indexer", 78, 100152, 1000, 0)]),
    # GLM-4.7-Flash (glm4_moe_lite, quoted): MLA 512 + 64 over 47 layers, 47 x 1,152 = 54,144
    ("zai-org__GLM-4.7-Flash", 1000, [("mla", 47, 54144, 1000, 0)]),
    # Kimi K2 (model_type kimi_k2, DeepSeek-V3 shape): same latent, 61 layers
    ("moonshotai__Kimi-K2-Base", 1000, [("mla", 61, 70272, 1000, 0)]),
    # gpt-oss-120b: layer_types 18 full + 18 sliding (window 128); 2 x 8 x 64 x 2 = 2,048 per
    # layer, x 18 = 36,864
    ("openai__gpt-oss-120b", 131072, [("full", 18, 36864, 131072, 0),
                                      ("sliding", 18, 36864, 128, 0)]),
    # MiMo-V2.5: hybrid_layer_pattern 0 is full (9 layers of 4 KV heads x (192 + 128) x 2 B
    # = 2,560 B: 23,040), 1 a 128-token window with its own 8 KV heads (5,120 B x 39 =
    # 199,680)
    ("XiaomiMiMo__MiMo-V2.5", 1000, [("full", 9, 23040, 1000, 0),
                                     ("sliding", 39, 199680, 128, 0)]),
    # Llama-3.3-Nemotron-Super-49B (nemotron-nas, verbatim): 49 of its 80 layers have attention,
    # each of 64 / n_heads_in_group 8 = 8 KV heads x 128 (8,192 / 64): 2 x 8 x 128 x 2 B =
    # 4,096 per layer; the other 31 are an MLP alone
    ("nvidia__Llama-3_3-Nemotron-Super-49B-v1", 1000, [("full", 49, 49 * 4096, 1000, 0)]),
    # MiMo-V2-Flash (model_type mimo_v2_flash, verbatim): MiMo-V2.5's layers, the same
    # 9 x 2,560 = 23,040 full and 39 x 5,120 = 199,680 sliding
    ("XiaomiMiMo__MiMo-V2-Flash", 1000, [("full", 9, 23040, 1000, 0),
                                         ("sliding", 39, 199680, 128, 0)]),
    # MiMo-V2.5-Pro: layers 0, 7, 15, ..., 55, 62, 69 full, the other 60 sliding, all of 8 KV
    # heads x (192 + 128) x 2 B = 5,120 B per token
    ("XiaomiMiMo__MiMo-V2.5-Pro", 1000, [("full", 10, 10 * 5120, 1000, 0),
                                         ("sliding", 60, 60 * 5120, 128, 0)]),
    # gpt-oss-20b: the same layers, 12 + 12: 2,048 x 12 = 24,576 per group
    ("openai__gpt-oss-20b", 131072, [("full", 12, 24576, 131072, 0),
                                     ("sliding", 12, 24576, 128, 0)]),
    # Llama-3.1-70B: 80 layers, no head_dim: 8192 / 64 = 128; 2 x 8 x 128 x 2 x 80 = 327,680
    ("meta-llama__Llama-3.1-70B", 1000, [("full", 80, 327680, 1000, 0)]),
    # Qwen3-32B: head_dim 128 stated (5120 / 64 = 80 would be wrong); 2 x 8 x 128 x 2 x 64
    ("Qwen__Qwen3-32B", 1000, [("full", 64, 262144, 1000, 0)]),
    # Qwen2.5-7B: use_sliding_window false, so its sliding_window 131072 is not in force;
    # 3584 / 28 = 128; 2 x 4 x 128 x 2 x 28 = 57,344
    ("Qwen__Qwen2.5-7B-Instruct", 1000, [("full", 28, 57344, 1000, 0)]),
    # Qwen2.5-VL-7B (quoted, SOURCES.md): its text_config is Qwen2.5-7B's, every layer_types
    # entry full_attention: the same 57,344
    ("Qwen__Qwen2.5-VL-7B-Instruct", 1000, [("full", 28, 57344, 1000, 0)]),
    # Qwen3-30B-A3B (MoE): 2 x 4 x 128 x 2 x 48 = 98,304
    ("Qwen__Qwen3-30B-A3B", 1000, [("full", 48, 98304, 1000, 0)]),
    # Qwen3-30B-A3B-Instruct-2507: the same layers, the same 98,304
    ("Qwen__Qwen3-30B-A3B-Instruct-2507", 1000, [("full", 48, 98304, 1000, 0)]),
    # Qwen3-VL (quoted, SOURCES.md): Qwen3-4B's 2 x 8 x 128 x 2 x 36 = 147,456 and
    # Qwen3-30B-A3B's 98,304; mrope changes no context limit
    ("Qwen__Qwen3-VL-4B-Instruct", 1000, [("full", 36, 147456, 1000, 0)]),
    ("Qwen__Qwen3-VL-30B-A3B-Instruct", 1000, [("full", 48, 98304, 1000, 0)]),
    # Qwen3-VL-235B-A22B (transformers 5's print): 2 x 4 x 128 x 2 x 94 = 192,512
    ("Qwen__Qwen3-VL-235B-A22B-Instruct", 1000, [("full", 94, 192512, 1000, 0)]),
    # Mistral-7B-v0.1: every layer slides over 4,096 tokens; 2 x 8 x 128 x 2 x 32 = 131,072
    ("mistralai__Mistral-7B-v0.1", 32768, [("sliding", 32, 131072, 4096, 0)]),
    # Mixtral-8x7B: sliding_window null, so full attention; 2 x 8 x 128 x 2 x 32 = 131,072
    ("mistralai__Mixtral-8x7B-v0.1", 32768, [("full", 32, 131072, 32768, 0)]),
    # Gemma 2 27B: even layers slide (window 4096), head_dim 128 stated (4608 / 32 = 144 would
    # be wrong); 2 x 16 x 128 x 2 = 8,192 per layer x 23 = 188,416 per group
    ("google__gemma-2-27b", 8192, [("full", 23, 188416, 8192, 0),
                                   ("sliding", 23, 188416, 4096, 0)]),
    # Gemma 3 4B as the Hub ships it: a text_config of six fields, so Gemma3TextConfig's
    # defaults apply (4 KV heads of 256; sliding_window_pattern 6 -> layers 5, 11, 17, 23, 29
    # global); 2 x 4 x 256 x 2 = 4,096 per layer
    ("google__gemma-3-4b-it", 131072, [("full", 5, 5 * 4096, 131072, 0),
                                       ("sliding", 29, 29 * 4096, 1024, 0)]),
    # Gemma 3 27B as the Hub ships it (quoted): text_config without vocab_size,
    # max_position_embeddings or sliding_window_pattern, so Gemma3TextConfig's defaults
    # apply (pattern 6: layers 5, 11, ..., 59 global = 10 of 62); 2 x 16 x 128 x 2 = 8,192
    ("google__gemma-3-27b-it", 131072, [("full", 10, 10 * 8192, 131072, 0),
                                        ("sliding", 52, 52 * 8192, 1024, 0)]),
    # Gemma 3 12B as the Hub ships it (quoted): a text_config without head_dim, vocab_size,
    # max_position_embeddings or sliding_window_pattern, so Gemma3TextConfig's defaults apply
    # (head_dim 256, pattern 6: layers 5, 11, ..., 47 global = 8 of 48); 2 x 8 x 256 x 2 =
    # 8,192 per layer
    ("google__gemma-3-12b-it", 131072, [("full", 8, 8 * 8192, 131072, 0),
                                        ("sliding", 40, 40 * 8192, 1024, 0)]),
    # Gemma 4 31B (the Hub file as tt-metal copies it): 50 sliding of 16 KV heads x 256
    # (2 x 16 x 256 x 2 = 16,384), 10 full of 4 global KV heads x 512 (attention_k_eq_v; 2 x 4
    # x 512 x 2 = 8,192);
    # max_position_embeddings 262,144
    ("google__gemma-4-31B-it", 262144, [("full", 10, 10 * 8192, 262144, 0),
                                        ("sliding", 50, 50 * 16384, 1024, 0)]),
    # Gemma 4 E4B: the last 18 of 42 layers share KV, leaving 20 sliding (2 x 2 x 256 x 2 =
    # 2,048, window 512) and 4 full (no k_eq_v: 2 heads x 512, 4,096)
    ("google__gemma-4-E4B-it", 131072, [("full", 4, 4 * 4096, 131072, 0),
                                        ("sliding", 20, 20 * 2048, 512, 0)]),
    # Gemma 4 E2B (the Hub file as tt-metal copies it): the last 20 of 35 layers share KV,
    # leaving 12 sliding of 1 KV head x 256 (2 x 1 x 256 x 2 = 1,024, window 512) and 3 full
    # (num_global_key_value_heads null, so num_key_value_heads' 1 head of 512, no k_eq_v:
    # 2 x 512 x 2 = 2,048); 128K context
    ("google__gemma-4-E2B-it", 131072, [("full", 3, 3 * 2048, 131072, 0),
                                        ("sliding", 12, 12 * 1024, 512, 0)]),
    # Gemma 4 26B-A4B: 25 sliding of 8 x 256 (8,192), 5 full of 2 global heads x 512 (4,096);
    # 256K context, as Google gives the medium Gemma 4 models
    ("google__gemma-4-26B-A4B-it", 262144, [("full", 5, 5 * 4096, 262144, 0),
                                            ("sliding", 25, 25 * 8192, 1024, 0)]),
    # Gemma 4 26B-A4B, the base checkpoint (verbatim): the same text_config, so the same
    # 5 x 4,096 and 25 x 8,192
    ("google__gemma-4-26B-A4B", 262144, [("full", 5, 5 * 4096, 262144, 0),
                                         ("sliding", 25, 25 * 8192, 1024, 0)]),
    # Granite 4.0-H-Small (assembled): 4 attention layers of 8 KV heads x 128 (4,096 B each)
    # and 36 Mamba-2 layers: conv (128 x 64 + 2 x 1 x 128) x 3 = 25,344 plus SSM 128 x 64 x
    # 128 = 1,048,576 elements, 2,147,840 B in bf16
    ("ibm-granite__granite-4.0-h-small", 1000, [("full", 4, 4 * 4096, 1000, 0),
                                               ("mamba2", 36, 0, 0, 36 * 2147840)]),
    # Falcon-H1-1.5B (assembled): 24 attention (2 KV heads x 128: 1,024 B) beside 24 Mamba-2
    # (conv (3,072 + 2 x 256) x 3 = 10,752 + SSM 48 x 64 x 256 = 786,432: 1,594,368 B)
    ("tiiuae__Falcon-H1-1.5B-Base", 1000, [("full", 24, 24 * 1024, 1000, 0),
                                          ("mamba2", 24, 0, 0, 24 * 1594368)]),
    # MiniMax-M1 (quoted): attn_type_list, every 8th layer softmax (10 of 8 KV heads x 128:
    # 4,096 B), 70 lightning layers of 64 heads x 128 x 128 = 1,048,576 elements, 2,097,152 B
    ("MiniMaxAI__MiniMax-M1-80k", 1000, [("full", 10, 10 * 4096, 1000, 0),
                                        ("lightning", 70, 0, 0, 70 * 2097152)]),
    # Kimi-Linear (quoted): MLA at layers 4, 8, ..., 24 and 27 (7 x 576 x 2 B); 20 KDA
    # layers of conv 3 x 32 x 128 x 3 = 36,864 elements in bf16 (73,728 B) and a 32 x 128 x
    # 128 matrix in fp32 (2,097,152 B): 2,170,880 B each
    ("moonshotai__Kimi-Linear-48B-A3B-Instruct", 1000, [("kda", 20, 0, 0, 20 * 2170880),
                                                        ("mla", 7, 7 * 1152, 1000, 0)]),
    # Kimi K3 (quoted): MLA at layers 4, 8, ..., 92 and 93 (24 x 576 x 2 B); 69 KDA layers
    # of conv 3 x 96 x 128 x 3 = 110,592 elements in bf16 (221,184 B) and a 96 x 128 x 128
    # matrix in fp32 (6,291,456 B): 6,512,640 B each
    ("moonshotai__Kimi-K3", 1000, [("kda", 69, 0, 0, 69 * 6512640),
                                   ("mla", 24, 24 * 1152, 1000, 0)]),
    # Phi-3.5-mini: sliding_window 262144 >= max_position_embeddings 131072, so full;
    # 3072 / 32 = 96; 2 x 32 x 96 x 2 x 32 = 393,216
    ("microsoft__Phi-3.5-mini-instruct", 1000, [("full", 32, 393216, 1000, 0)]),
    # Phi-4-mini: same trap; 3072 / 24 = 128; 2 x 8 x 128 x 2 x 32 = 131,072
    ("microsoft__Phi-4-mini-instruct", 1000, [("full", 32, 131072, 1000, 0)]),
    # Llama 4 Scout (text_config): no no_rope_layers, so every 4th layer is NoPE/global:
    # 12 full + 36 chunked of 8192; 2 x 8 x 128 x 2 = 4,096 per layer
    ("meta-llama__Llama-4-Scout-17B-16E-Instruct", 131072,
     [("chunked", 36, 36 * 4096, 8192, 0), ("full", 12, 12 * 4096, 131072, 0)]),
    # Qwen3-Next: full_attention_interval 4 -> 12 full (2 x 2 x 256 x 2 = 2,048 per layer);
    # 36 Gated DeltaNet layers: ((2 x 16 x 128 + 32 x 128) x 3 + 32 x 128 x 128) x 2 B
    # = 548,864 x 2 = 1,097,728 each
    ("Qwen__Qwen3-Next-80B-A3B-Thinking", 1000,
     [("full", 12, 24576, 1000, 0), ("linear_attention", 36, 0, 0, 36 * 1097728)]),
    # Jamba 1.5 Mini: attention at i % 8 == 4 -> 4 layers (4096 / 32 = 128;
    # 2 x 8 x 128 x 2 = 4,096 each); 28 Mamba layers: d_inner 2 x 4096 = 8192,
    # 8192 x (3 + 16) x 2 B = 311,296 each
    ("ai21labs__AI21-Jamba-1.5-Mini", 1000,
     [("full", 4, 16384, 1000, 0), ("mamba", 28, 0, 0, 28 * 311296)]),
    # Nemotron-3 Nano 30B-A3B (quoted): hybrid_override_pattern of 52 blocks, 23 "M"
    # Mamba-2, 6 "*" attention, 23 "E" MoE (no cache). Attention: 2 x 2 x 128 x 2 B = 1,024
    # per layer; Mamba-2 (64 heads x 64, 8 groups, d_state 128, kernel 4): conv (4,096 +
    # 2 x 8 x 128) x 3 = 18,432 elements in bf16 and SSM 64 x 64 x 128 = 524,288 in fp32
    # (no mamba_ssm_cache_dtype: vLLM's Nemotron-H default), 36,864 + 2,097,152 = 2,134,016
    ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B", 1000,
     [("full", 6, 6 * 1024, 1000, 0), ("mamba2", 23, 0, 0, 23 * 2134016)]),
    # Nemotron-H 56B (verbatim): hybrid_override_pattern of 118 blocks, 54 "M" Mamba-2, 10 "*"
    # attention, 54 "-" MLP (no cache). Attention: 2 x 8 x 128 x 2 B = 4,096 per layer; its
    # context 8,192. Mamba-2 (256 heads x 64, 8 groups, d_state 256, kernel 4): conv (16,384 +
    # 2 x 8 x 256) x 3 = 61,440 elements in bf16 and SSM 256 x 64 x 256 = 4,194,304 in fp32:
    # 122,880 + 16,777,216 = 16,900,096 per layer
    ("nvidia__Nemotron-H-56B-Base-8K", 8192,
     [("full", 10, 10 * 4096, 8192, 0), ("mamba2", 54, 0, 0, 54 * 16900096)]),
    # Nemotron 3 Super 120B-A12B (verbatim, its FP8 checkpoint's config.json): 88 blocks, 40
    # Mamba-2, 8 attention, 40 MoE. Attention 2 x 2 x 128 x 2 B = 1,024 per layer; Mamba-2
    # (128 heads x 64, 8 groups, d_state 128, kernel 4): conv (8,192 + 2 x 8 x 128) x 3 =
    # 30,720 elements in bf16 and SSM 128 x 64 x 128 = 1,048,576 in fp32
    # (mamba_ssm_cache_dtype): 61,440 + 4,194,304 = 4,255,744 per layer
    ("nvidia__NVIDIA-Nemotron-3-Super-120B-A12B-FP8", 1000,
     [("full", 8, 8 * 1024, 1000, 0), ("mamba2", 40, 0, 0, 40 * 4255744)]),
    # Nemotron 3 Ultra 550B-A55B (verbatim): no num_hidden_layers, a layers_block_type of 108
    # (48 mamba, 12 attention, 48 moe). Attention 2 x 2 x 128 x 2 B = 1,024 per layer;
    # Mamba-2 (256 heads x 64, 8 groups, d_state 128, kernel 4): conv (16,384 + 2 x 8 x 128)
    # x 3 = 55,296 elements in bf16 and SSM 256 x 64 x 128 = 2,097,152 in fp32: 110,592 +
    # 8,388,608 = 8,499,200 per layer
    ("nvidia__NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16", 1000,
     [("full", 12, 12 * 1024, 1000, 0), ("mamba2", 48, 0, 0, 48 * 8499200)]),
    # Qwen3.5-35B-A3B (verbatim): its text_config 3 linear + 1 full, 10 times. Full: 2 x 2 x 256 x
    # 2 B = 2,048 per layer; Gated DeltaNet (16 key heads, 32 value heads, 128 each, kernel
    # 4): conv (2 x 16 x 128 + 32 x 128) x 3 = 24,576 in bf16, state 32 x 128 x 128 =
    # 524,288 in fp32: 49,152 + 2,097,152 = 2,146,304 per layer
    ("Qwen__Qwen3.5-35B-A3B", 1000,
     [("linear_attention", 30, 0, 0, 30 * 2146304), ("full", 10, 10 * 2048, 1000, 0)]),
    # Qwen3.5-27B (verbatim): layer_types 3 linear + 1 full, 16 times. Full: 2 x 4 x 256 x
    # 2 B = 4,096 per layer; Gated DeltaNet (16 key heads, 48 value heads, 128 each, kernel
    # 4): conv (2 x 16 x 128 + 48 x 128) x 3 = 30,720 in bf16, state 48 x 128 x 128 =
    # 786,432 in fp32 (mamba_ssm_dtype float32): 61,440 + 3,145,728 = 3,207,168 per layer
    ("Qwen__Qwen3.5-27B", 1000,
     [("full", 16, 16 * 4096, 1000, 0), ("linear_attention", 48, 0, 0, 48 * 3207168)]),
    # Qwen3.5-397B-A17B (verbatim): 3 linear + 1 full, 15 times. Full: 2 x 2 x 256 x 2 B =
    # 2,048 per layer; Gated DeltaNet (16 key heads, 64 value heads, 128 each, kernel 4):
    # conv (2 x 16 x 128 + 64 x 128) x 3 = 36,864 in bf16, state 64 x 128 x 128 = 1,048,576
    # in fp32: 73,728 + 4,194,304 = 4,268,032 per layer
    ("Qwen__Qwen3.5-397B-A17B", 1000,
     [("full", 15, 15 * 2048, 1000, 0), ("linear_attention", 45, 0, 0, 45 * 4268032)]),
    # Qwen3.5-122B-A10B (verbatim): 3 linear + 1 full, 12 times, the 397B's layer shapes:
    # 2,048 per full layer, 4,268,032 of state per Gated DeltaNet layer
    ("Qwen__Qwen3.5-122B-A10B", 1000,
     [("full", 12, 12 * 2048, 1000, 0), ("linear_attention", 36, 0, 0, 36 * 4268032)]),
    # Qwen3-Coder-480B-A35B (verbatim): 62 full layers of 2 x 8 x 128 x 2 B = 4,096
    ("Qwen__Qwen3-Coder-480B-A35B-Instruct", 1000, [("full", 62, 62 * 4096, 1000, 0)]),
    # Qwen3-8B (verbatim): 36 full layers of 2 x 8 x 128 x 2 B = 4,096
    ("Qwen__Qwen3-8B", 1000, [("full", 36, 36 * 4096, 1000, 0)]),
    # Llama 4 Maverick (quoted text_config, no no_rope_layers): as Scout, every 4th layer
    # NoPE/global, 12 full + 36 chunked of 8,192, 2 x 8 x 128 x 2 = 4,096 per layer
    ("meta-llama__Llama-4-Maverick-17B-128E-Instruct", 131072,
     [("chunked", 36, 36 * 4096, 8192, 0), ("full", 12, 12 * 4096, 131072, 0)]),
    # Qwen3.6-27B (quoted: the Hub's qwen3_5 layout, text_config beside vision_config): the
    # Qwen3.5-27B's geometry, so the same 16 x 4,096 B per token and 48 x
    # 3,207,168 B of state per session
    ("Qwen__Qwen3.6-27B", 1000,
     [("linear_attention", 48, 0, 0, 48 * 3207168), ("full", 16, 16 * 4096, 1000, 0)]),
    # Mamba-2 780M (quoted; time_step_limit [0.0, Infinity]): 48 layers of 48 heads x 64,
    # 1 group, d_state 128: conv (3,072 + 256) x 3 = 9,984 + SSM 393,216 = 403,200 x 2 B
    ("state-spaces__mamba2-780m", 1000, [("mamba2", 48, 0, 0, 48 * 806400)]),
    # GLM-4.5-Air: 46 layers, head_dim 128 stated (4096 / 96 is not whole); 2 x 8 x 128 x 2
    ("zai-org__GLM-4.5-Air", 1000, [("full", 46, 46 * 4096, 1000, 0)]),
    # MiniMax-M2: attn_type_list all 1 (softmax attention); 62 x 2 x 8 x 128 x 2 = 253,952
    ("MiniMaxAI__MiniMax-M2", 1000, [("full", 62, 253952, 1000, 0)]),
    # MiniMax-M2.7's own config.json (quoted): the same 253,952
    ("MiniMaxAI__MiniMax-M2.7", 1000, [("full", 62, 253952, 1000, 0)]),
    # MiniMax-M2.5 (verbatim): M2.7's shapes without the attn_type_list, the same 253,952
    ("MiniMaxAI__MiniMax-M2.5", 1000, [("full", 62, 253952, 1000, 0)]),
]


class FamilyTest(unittest.TestCase):
    def test_every_family_gives_the_hand_worked_kv(self):
        for stem, context, expected in FAMILIES:
            with self.subTest(stem):
                self.assertEqual(shape(raw(stem), context), sorted(expected))

    def test_every_fixture_config_is_covered(self):
        stems = {p.stem for p in CONFIGS.glob("*.json")}
        self.assertEqual(stems, {stem for stem, _, _ in FAMILIES})

    def test_latent_moe_experts_work_in_the_latent_width(self):
        # Nemotron 3 Super (moe_latent_size 1,024, hidden 4,096): each of 40 MoE blocks has
        # 512 routed experts of up and down 1,024 x 2,688 (2 x 2,752,512 = 5,505,024), a router
        # 4,096 x 512 + 512 bias = 2,097,664, a shared expert 2 x 4,096 x 5,376 = 44,040,192
        # and the projections down to the latent width and back, 2 x 4,096 x 1,024 =
        # 8,388,608: 2,873,098,752 per block, 22 experts of it active (121,110,528 + 54,526,464
        # = 175,636,992). 40 blocks: 114,923,950,080, active 7,025,479,680. With the other
        # blocks the model is 120.67 B, 12.77 B active: the "120B-A12B" of its name, where
        # experts as wide as hidden would make it 458.6 B.
        entry = entry_from(raw("nvidia__NVIDIA-Nemotron-3-Super-120B-A12B-FP8"))
        self.assertIn("MLP 114,923,950,080 of which active 7,025,479,680",
                      entry["params_source"])
        self.assertEqual((entry["total_params_billion"], entry["active_params_billion"]),
                         (120.67, 12.77))

    def test_parameter_counts_from_shapes(self):
        # Llama-3.1-70B by hand: embeddings + lm_head 2 x 128,256 x 8,192 = 2,101,346,304;
        # per layer q and o 2 x 8,192^2 = 134,217,728, k and v 2 x 8,192 x 1,024 =
        # 16,777,216, MLP 3 x 8,192 x 28,672 = 704,643,072, norms 2 x 8,192 = 16,384:
        # 855,654,400 x 80 = 68,452,352,000; final norm 8,192. Total 70,553,706,496.
        entry = entry_from(raw("meta-llama__Llama-3.1-70B"))
        self.assertIn("70,553,706,496 total", entry["params_source"])
        self.assertEqual(entry["total_params_billion"], 70.55)
        self.assertEqual(entry["active_params_billion"], 70.55)

    def test_parameter_counts_match_the_reference_computations(self):
        # ../shared/reference/model_params.csv, columns computed_total_b_from_config and
        # computed_active_b_from_config (its notes: active includes the input embedding).
        reference = {
            "openai__gpt-oss-120b": (116.83, 5.71),
            "openai__gpt-oss-20b": (20.91, 4.19),
            "deepseek-ai__DeepSeek-V3": (671.03, 37.55),
            "moonshotai__Kimi-K2-Base": (1026.41, 32.86),
            "meta-llama__Llama-4-Scout-17B-16E-Instruct": (107.77, 17.17),
            "Qwen__Qwen3-32B": (32.76, 32.76),
            "Qwen__Qwen3-Next-80B-A3B-Thinking": (79.67, 3.87),
            "mistralai__Mixtral-8x7B-v0.1": (46.70, 12.88),
            "mistralai__Mistral-7B-v0.1": (7.24, 7.24),
            "google__gemma-2-27b": (27.23, 27.23),
            "microsoft__Phi-3.5-mini-instruct": (3.82, 3.82),
            "ai21labs__AI21-Jamba-1.5-Mini": (51.57, 12.11),
            "MiniMaxAI__MiniMax-M2": (228.69, 11.03),
        }
        for stem, (total, active) in reference.items():
            with self.subTest(stem):
                entry = entry_from(raw(stem))
                self.assertEqual(entry["total_params_billion"], total)
                self.assertEqual(entry["active_params_billion"], active)

    def test_minimax_m2_7_as_its_checkpoint_holds_it(self):
        # MiniMax-M2.7's tensor census (SOURCES.md) counts 228,703,644,928, its FP8 block
        # scales included: per layer 256 experts x 3 matrices of 12 x 24 blocks (1,536 x
        # 3,072 in 128 x 128), and q, k, v, o of 48 x 24, 8 x 24, 8 x 24, 24 x 48. Without them
        # it is what the importer counts from the config.
        scales = 62 * (256 * 3 * 12 * 24 + 48 * 24 + 8 * 24 + 8 * 24 + 24 * 48)
        self.assertEqual(computed_total(raw("MiniMaxAI__MiniMax-M2.7")),
                         228_703_644_928 - scales)

    def test_glm_4_7_flash_as_its_checkpoint_holds_it(self):
        # GLM-4.7-Flash (glm4_moe_lite: DeepSeek-V2's MLA and MoE) keeps its MTP layer 47
        # with copies of the embedding and head (2 x 154,880 x 2,048): with those, the model
        # and the layer are the 31,221,488,576 parameters of its tensor census (SOURCES.md)
        config = raw("zai-org__GLM-4.7-Flash")
        entry = entry_from(config)
        self.assertEqual(computed_total(config) + entry["mtp_params"] + 2 * 154880 * 2048,
                         31_221_488_576)
        self.assertEqual(entry["mtp_expert_params"], 64 * 3 * 2048 * 1536)

    def test_weight_precision_and_kv_default_come_from_the_config(self):
        self.assertEqual(entry_from(raw("deepseek-ai__DeepSeek-V3"))["weight_precision"], "fp8")
        gpt_oss = entry_from(raw("openai__gpt-oss-120b"))
        self.assertEqual(gpt_oss["weight_precision"], "mxfp4")
        # gpt-oss has no torch_dtype: bf16 is assumed and the entry says so
        self.assertEqual(gpt_oss["default_kv_precision"], "bf16")
        self.assertIn("torch_dtype absent: bf16 assumed", gpt_oss["source"])

    def test_files_beside_the_config_describe_the_checkpoint(self):
        # model.safetensors.index.json's metadata.total_size is the checkpoint as stored
        # (scales, vision towers included): 141,107,412,992 B / 2^30 = 131.42 GiB; NVIDIA
        # ModelOpt's hf_quant_config.json names the format (NVFP4) and, for a mixture of
        # experts, excluded attention means only the experts are quantized.
        with tempfile.TemporaryDirectory() as tmp:
            for config, experts in (("meta-llama__Llama-3.1-70B", False),
                                    ("Qwen__Qwen3-30B-A3B", True)):
                path = os.path.join(tmp, "config.json")
                shutil.copy(CONFIGS / f"{config}.json", path)
                with open(os.path.join(tmp, "model.safetensors.index.json"), "w") as f:
                    json.dump({"metadata": {"total_size": 141107412992}, "weight_map": {}}, f)
                with open(os.path.join(tmp, "hf_quant_config.json"), "w") as f:
                    json.dump({"quantization": {"quant_algo": "NVFP4", "exclude_modules": [
                        "lm_head", "model.layers.*.self_attn*"]}}, f)
                status, out, err = run_main(["--import-hf-config", path, "--name", "m"])
                self.assertEqual(status, 0, err)
                entry = json.loads(out)
                self.assertEqual(entry["measured_weights_gib"], 131.42)
                self.assertIn("141,107,412,992 bytes", entry["measured_weights_source"])
                self.assertEqual(entry["weight_precision"], "nvfp4")
                self.assertEqual(entry.get("quantized_layers"), "experts" if experts else None)
            with open(os.path.join(tmp, "hf_quant_config.json"), "w") as f:
                json.dump({"quantization": {"quant_algo": "W4A16_AWQ"}}, f)
            status, out, err = run_main(["--import-hf-config", path])
            self.assertEqual((status, out), (1, ""))
            self.assertIn("hf_quant_config.json: quantization.quant_algo 'w4a16_awq'", err)

    def test_what_the_checkpoint_leaves_unquantized_and_its_mtp_layers(self):
        # gpt-oss's quantization_config.modules_to_not_convert names self_attn: only the
        # routed experts are MXFP4. DeepSeek-V3 quantizes every linear layer (fp8) and has one
        # multi-token-prediction layer (num_nextn_predict_layers 1).
        gpt_oss = entry_from(raw("openai__gpt-oss-120b"))
        self.assertEqual(gpt_oss["quantized_layers"], "experts")
        self.assertNotIn("mtp_layers", gpt_oss)
        deepseek = entry_from(raw("deepseek-ai__DeepSeek-V3"))
        self.assertNotIn("quantized_layers", deepseek)
        self.assertEqual(deepseek["mtp_layers"], 1)

    def test_the_mlps_beside_the_routed_experts(self):
        # dense_mlp_params, what SGLang splits over every data-parallel-attention rank: the
        # dense layers' MLPs and the shared experts, not the routed experts nor the routers.
        # DeepSeek-V3: layers 0-2 dense (first_k_dense_replace 3, intermediate_size 18,432),
        # the other 58 one shared expert each (n_shared_experts 1, moe_intermediate 2,048)
        h = 7168
        dense, shared = 3 * 3 * h * 18432, 58 * 3 * h * 2048
        self.assertEqual((dense, shared), (1_189_085_184, 2_554_331_136))
        self.assertEqual(entry_from(raw("deepseek-ai__DeepSeek-V3"))["dense_mlp_params"],
                         dense + shared)
        self.assertEqual(shipped("deepseek-v3", "dense_mlp_params"), dense + shared)
        # Qwen3-Next: 48 layers, each a shared expert of 512 beside its routed experts (its
        # one-output sigmoid gate, hidden x 1, is not split)
        self.assertEqual(entry_from(raw("Qwen__Qwen3-Next-80B-A3B-Thinking"))[
            "dense_mlp_params"], 48 * 3 * 2048 * 512)
        # Qwen3-30B-A3B has neither dense layers nor shared experts; a dense model is not asked
        self.assertNotIn("dense_mlp_params", entry_from(raw("Qwen__Qwen3-30B-A3B")))
        self.assertNotIn("dense_mlp_params", entry_from(raw("meta-llama__Llama-3.1-70B")))

    def test_the_parameters_an_mtp_draft_loads(self):
        # One DeepSeek-V3 MTP layer as vLLM builds it (deepseek_mtp.py): a decoder layer
        # indexed 61, so an MoE one (61 >= first_k_dense_replace 3), with enorm, hnorm,
        # eh_proj (2 x 7168 -> 7168) and shared_head.norm; its embed_tokens and
        # shared_head.head are the model's (the engines share them).
        h = 7168
        mla = (h * 1536 + 1536 + 1536 * 128 * (128 + 64)     # q LoRA and its norm
               + h * (512 + 64) + 512 + 512 * 128 * (128 + 128) + 128 * 128 * h)
        routed = 256 * 3 * h * 2048
        moe = routed + 3 * h * 2048 + 256 * h + 256  # shared expert, router, correction bias
        mtp = mla + moe + 2 * h + 2 * h * h + 3 * h
        self.assertEqual((mla, routed, mtp), (187_107_328, 11_274_289_152, 11_610_068_224))
        entry = entry_from(raw("deepseek-ai__DeepSeek-V3"))
        self.assertEqual((entry["mtp_params"], entry["mtp_expert_params"]), (mtp, routed))
        self.assertIn(f"load {mtp:,} parameters", entry["source"])
        # The checkpoint holds the model, the MTP layer and its own copies of the embedding
        # and head (2 x 129,280 x 7,168): the Hub's safetensors count for
        # deepseek-ai/DeepSeek-V3 is BF16 3,918,786,560 + F8_E4M3 680,571,043,840 + F32
        # 41,555,600 (as public code quotes the Hub API), whose F32 holds the 59 MoE layers'
        # 256 correction biases beside the FP8 block scales.
        total = computed_total(raw("deepseek-ai__DeepSeek-V3"))
        self.assertEqual(total + mtp + 2 * 129280 * h,
                         3_918_786_560 + 680_571_043_840 + 59 * 256)
        # DeepSeek-V3.2 adds its indexer to the layer, as to each of the model's 61
        v32 = entry_from(raw("deepseek-ai__DeepSeek-V3.2"))
        indexer = (computed_total(raw("deepseek-ai__DeepSeek-V3.2")) - total) // 61
        self.assertEqual(v32["mtp_params"], mtp + indexer)
        # GLM-5.1's checkpoint keeps its MTP layer without copies of the embedding and head
        # (model.layers.78: the decoder layer, eh_proj, enorm, hnorm, shared_head.norm), so
        # the model and the layer are every parameter it holds: 753,864,139,008 in the
        # tensor census a public model report prints beside the config (SOURCES.md)
        glm = raw("zai-org__GLM-5.1")
        self.assertEqual(computed_total(glm) + entry_from(glm)["mtp_params"], 753_864_139_008)
        self.assertEqual(entry_from(glm)["mtp_expert_params"], 256 * 3 * 6144 * 2048)
        # Qwen3-Next's (qwen3_next_mtp.py): 512 experts of 3 x 2,048 x 512 among its weights
        config = raw("Qwen__Qwen3-Next-80B-A3B-Thinking")
        config["mtp_num_hidden_layers"] = 1
        self.assertEqual(entry_from(config)["mtp_expert_params"], 512 * 3 * 2048 * 512)
        # Nemotron-H's blocks have no mixer and MLP of one layer: its MTP weights are not
        # counted, and the entry says so (so --speculative mtp refuses it)
        config = raw("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B")
        config["num_nextn_predict_layers"] = 1
        entry = entry_from(config)
        self.assertEqual((entry["mtp_layers"], "mtp_params" in entry), (1, False))
        self.assertIn("load weights this family's rules do not count", entry["source"])

    def test_kimi_linear_as_its_checkpoint_holds_it(self):
        # Kimi-Linear's own config.json gives its context as model_max_length only, which
        # vLLM reads (the smallest of max_position_embeddings, n_positions, max_seq_len,
        # seq_length, model_max_length, ...); its 26 MoE routers keep a correction bias of
        # 256 each (KimiMoE), so the count is the tensor census's 49,122,681,728 (SOURCES.md)
        config = raw("moonshotai__Kimi-Linear-48B-A3B-Instruct")
        entry = entry_from(config)
        self.assertEqual(entry["max_position_embeddings"], 1_048_576)
        self.assertIn("model_max_length=1048576", entry["source"])
        self.assertEqual(computed_total(config), 49_122_681_728)
        config.update(max_position_embeddings=131072, seq_length=65536)
        self.assertEqual(entry_from(config)["max_position_embeddings"], 65536)

    def test_qwen3_32b_as_its_checkpoint_holds_it(self):
        # The verbatim Qwen3-32B config against the tensor census a public model report prints
        # for the checkpoint (the report series of SOURCES.md's GLM-5.1 row: 17 safetensors
        # files, 707 tensors): embeddings 2 x 151,936 x 5,120; 64 layers of q 8,192 x 5,120,
        # k and v 1,024 x 5,120, o 5,120 x 8,192, q_norm and k_norm 128, MLP 3 x 5,120 x
        # 25,600 and two norms of 5,120; the final norm
        layer = 8192 * 5120 + 2 * 1024 * 5120 + 5120 * 8192 + 2 * 128 \
            + 3 * 5120 * 25600 + 2 * 5120
        self.assertEqual(2 * 151936 * 5120 + 64 * layer + 5120, 32_762_123_264)
        self.assertEqual(computed_total(raw("Qwen__Qwen3-32B")), 32_762_123_264)

    def test_deepseek_v3_2_as_its_checkpoint_holds_it(self):
        # DeepSeek-V3.2's raw config.json and its checkpoint's tensor census (SOURCES.md): the
        # model, the MTP layer (model.layers.61, with its own copies of the embedding and
        # head) and one FP8 block scale per 128 x 128 tile of every FP8 matrix. Per layer the
        # census lists kv_a_proj 576 x 7,168, the indexer's wk 128 x 7,168 and wq_b 8,192 x
        # 1,536, kv_b_proj 32,768 x 512, o_proj 7,168 x 16,384, q_a_proj 1,536 x 7,168 and
        # q_b_proj 24,576 x 1,536 in FP8 for all 62 layers; the dense MLP (7,168 <-> 18,432)
        # for 3; 256 routed and one shared expert (7,168 <-> 2,048) for the other 59.
        config = raw("deepseek-ai__DeepSeek-V3.2")
        h = 7168

        def tiles(shapes):
            return sum(-(-rows // 128) * -(-cols // 128) for rows, cols in shapes)
        attention = tiles([(576, h), (128, h), (8192, 1536), (32768, 512), (h, 16384),
                           (1536, h), (24576, 1536)])
        self.assertEqual(attention, 5 * 56 + 56 + 64 * 12 + 256 * 4 + 56 * 128 + 12 * 56
                         + 192 * 12)
        scales = 62 * attention + 3 * tiles([(h, 18432), (18432, h), (18432, h)]) \
            + 59 * 257 * tiles([(h, 2048), (2048, h), (2048, h)])
        self.assertEqual(scales, 41_591_584)
        self.assertEqual(computed_total(config), 671_877_944_064)
        self.assertEqual(computed_total(config) + entry_from(config)["mtp_params"]
                         + 2 * 129280 * h + scales, 685_396_921_376)

    def test_qwen3_5_moe_as_its_checkpoint_holds_it(self):
        # Qwen3.5-35B-A3B: its language model, its MTP layer (mtp.fc 2 x 2,048 -> 2,048, a
        # full-attention MoE decoder layer, pre_fc_norm_embedding, pre_fc_norm_hidden, norm;
        # no embedding or head copy) and the tower its vision_config gives (27 blocks 1,152
        # wide, MLP 4,304, patch 16 over 2 frames, 2,304 positions, 2 x 2 merged to 2,048, no
        # deepstack) are the 35,951,822,704 parameters of its tensor census (SOURCES.md)
        config = raw("Qwen__Qwen3.5-35B-A3B")
        entry = entry_from(config)
        v, i, wide = 1152, 4304, 4608
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v
        tower = 27 * block + 3 * 2 * 16 * 16 * v + v + 2304 * v \
            + 2 * v + wide * wide + wide + wide * 2048 + 2048
        self.assertEqual(computed_total(config) + entry["mtp_params"] + tower, 35_951_822_704)
        self.assertEqual(entry["mtp_expert_params"], 256 * 3 * 2048 * 512)
        # the catalog entry carries the tower its text_config-only fixture cannot give
        self.assertEqual(shipped("qwen3.5-35b-a3b", "multimodal_params"), tower)
        self.assertEqual(shipped("qwen3.5-35b-a3b", "mtp_params"), entry["mtp_params"])
        self.assertEqual(shipped("qwen3.5-35b-a3b", "total_params_billion"),
                         round(computed_total(config) / 1e9, 2))

    def test_qwen3_30b_a3b_as_its_checkpoint_holds_it(self):
        # Qwen3-30B-A3B: a public report that read the Hub's model.safetensors.index.json
        # (SOURCES.md) gives total_size 61,064,245,248 bytes over 16 bf16 shards, and no shared
        # expert. 48 layers of q 32 x 128 = 4,096, k and v 4 x 128 = 512 and o over hidden
        # 2,048, q_norm and k_norm of 128, two norms of 2,048, a router of 128 x 2,048 and 128
        # experts of 3 x 2,048 x 768; embedding and LM head 151,936 x 2,048 (untied); the
        # final norm.
        h = 2048
        layer = h * (4096 + 512 + 512) + 4096 * h + 2 * 128 + 2 * h + 128 * h \
            + 128 * 3 * h * 768
        total = 48 * layer + 2 * 151936 * h + h
        self.assertEqual(2 * total, 61_064_245_248)
        for stem, name in (("Qwen__Qwen3-30B-A3B", "qwen3-30b-a3b"),
                           ("Qwen__Qwen3-30B-A3B-Instruct-2507", "qwen3-30b-a3b-instruct-2507")):
            with self.subTest(name):
                self.assertEqual(computed_total(raw(stem)), total)
                self.assertEqual(shipped(name, "total_params_billion"), round(total / 1e9, 2))
        # the 2507 checkpoint (its own 61,064,245,248 bytes, SOURCES.md) agrees with the first
        # on every field the first's quoted config gives, but its context
        first, later = raw("Qwen__Qwen3-30B-A3B"), raw("Qwen__Qwen3-30B-A3B-Instruct-2507")
        self.assertEqual({k for k in first if first[k] != later[k]}, {"max_position_embeddings"})
        self.assertEqual(later["max_position_embeddings"], 262144)

    def test_gemma_3_as_its_checkpoints_hold_it(self):
        # Gemma 3 4B, 12B and 27B instruction-tuned (their config.json files, SOURCES.md; public
        # model-card summaries of the checkpoints give 4,300,079,472, 12,187,325,040 and
        # 27,432,406,640 parameters from their safetensors metadata). Language model, tied:
        # embedding 262,208 (Gemma3TextConfig's default vocabulary) x hidden; per layer q and o
        # of heads x head_dim, k and v of KV heads x head_dim, q_norm and k_norm of head_dim, an
        # MLP of 3 x hidden x intermediate and four norms of hidden; the final norm. Beside it
        # the SigLIP tower, 416,866,032 as VisionTowerTest works it out without the projector,
        # and the projector 1,152 x hidden with a norm of 1,152.
        for stem, name, h, layers, heads, kv, dim, inter, census in (
                ("google__gemma-3-4b-it", "gemma-3-4b", 2560, 34, 8, 4, 256, 10240,
                 4_300_079_472),
                ("google__gemma-3-12b-it", "gemma-3-12b", 3840, 48, 16, 8, 256, 15360,
                 12_187_325_040),
                ("google__gemma-3-27b-it", "gemma-3-27b", 5376, 62, 32, 16, 128, 21504,
                 27_432_406_640)):
            with self.subTest(name):
                layer = 2 * h * heads * dim + 2 * h * kv * dim + 2 * dim + 3 * h * inter + 4 * h
                text = 262208 * h + layers * layer + h
                tower = 416_866_032 + 1152 * h + 1152
                self.assertEqual(text + tower, census)
                self.assertEqual(computed_total(raw(stem)), text)
                self.assertEqual(shipped(name, "total_params_billion"), round(text / 1e9, 2))
                self.assertEqual(shipped(name, "multimodal_params"), tower)

    def test_qwen2_5_7b_and_phi_4_mini_as_their_checkpoints_hold_them(self):
        # Qwen2.5-7B-Instruct: 7,615,616,512 parameters, the count llama.cpp writes into a GGUF
        # of the checkpoint (general.parameter_count; SOURCES.md). Untied embedding and head
        # 152,064 x 3,584; per layer q and o of 28 x 128, k and v of 4 x 128, q, k and v with
        # biases, an MLP of 3 x 3,584 x 18,944 and two norms; the final norm.
        h = 3584
        layer = 2 * h * 3584 + 3584 + 2 * (h * 512 + 512) + 3 * h * 18944 + 2 * h
        qwen = 2 * 152064 * h + 28 * layer + h
        self.assertEqual(qwen, 7_615_616_512)
        self.assertEqual(computed_total(raw("Qwen__Qwen2.5-7B-Instruct")), qwen)
        self.assertEqual(shipped("qwen2.5-7b", "total_params_billion"), 7.62)
        # Phi-4-mini-instruct: 3,836,021,760, the count a public report reads from the BF16
        # checkpoint (SOURCES.md). Tied embedding 200,064 x 3,072; per layer q and o of 24 x
        # 128, k and v of 8 x 128, no biases, an MLP of 3 x 3,072 x 8,192 and two norms; the
        # final norm.
        h = 3072
        layer = 2 * h * 3072 + 2 * h * 1024 + 3 * h * 8192 + 2 * h
        phi = 200064 * h + 32 * layer + h
        self.assertEqual(phi, 3_836_021_760)
        self.assertEqual(computed_total(raw("microsoft__Phi-4-mini-instruct")), phi)
        self.assertEqual(shipped("phi-4-mini", "total_params_billion"), 3.84)

    def test_nemotron_3_nano_as_its_checkpoint_holds_it(self):
        # Nemotron 3 Nano 30B-A3B: llama.cpp counts 31,577,940,288 parameters in a GGUF
        # conversion of the checkpoint (SOURCES.md). Untied embedding and head 131,072 x 2,688;
        # 23 Mamba-2 blocks: in_proj 2,688 x (2 x 4,096 + 2 x 8 x 128 + 64 heads), a conv of
        # 4,096 + 2 x 8 x 128 = 6,144 channels x 4 with biases, A_log, D and dt_bias of 64, a
        # gated norm of 4,096, out_proj 4,096 x 2,688; 6 attention blocks: q and o 2,688 x 32
        # x 128, k and v 2,688 x 2 x 128; 23 MoE blocks: 128 experts and a shared one, up and
        # down only (2,688 <-> 1,856; 3,712), a router 2,688 x 128 with its correction bias of
        # 128; a norm of 2,688 before every block's mixer; the final norm.
        h = 2688
        mamba = h * (2 * 4096 + 2 * 8 * 128 + 64) + 6144 * 4 + 6144 + 3 * 64 + 4096 + 4096 * h
        attention = 2 * h * 4096 + 2 * h * 256
        moe = 128 * 2 * h * 1856 + 2 * h * 3712 + h * 128 + 128
        total = 2 * 131072 * h + 23 * mamba + 6 * attention + 23 * moe + 52 * h + h
        self.assertEqual(total, 31_577_940_288)
        self.assertEqual(computed_total(raw("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B")), total)
        self.assertEqual(shipped("nemotron-3-nano-30b-a3b", "total_params_billion"),
                         round(total / 1e9, 2))

    def test_gemma_4_31b_as_its_checkpoint_holds_it(self):
        # Gemma 4 31B (its config.json as tt-metal copies it and its checkpoint's tensor
        # census, SOURCES.md): 31,273,088,876 parameters. Language model, tied: embedding
        # 262,144 x 5,376; 50 sliding layers of q 8,192, k and v 4,096 and o, with q_norm and
        # k_norm of 256; 10 full layers of q 16,384, k 2,048 (attention_k_eq_v: no v_proj) and
        # o, norms of 512; 60 MLPs of 3 x 5,376 x 21,504, 4 norms and a layer_scalar of one
        # value each; the final norm.
        h = 5376
        sliding = h * (8192 + 4096 + 4096 + 8192) + 2 * 256
        full = h * (16384 + 2048 + 16384) + 2 * 512
        text = 262144 * h + 50 * sliding + 10 * full \
            + 60 * (3 * h * 21504 + 4 * h + 1) + h
        # The tower (census: model.vision_tower.*): 27 blocks 1,152 wide of q, k, v, o, a gated
        # MLP of 4,304, 4 norms and q_norm, k_norm of 72, no biases; input_proj 768 -> 1,152,
        # position_embedding_table 2 x 10,240 x 1,152, std_bias and std_scale; then
        # model.embed_vision.embedding_projection 5,376 x 1,152.
        v = 1152
        tower = 27 * (4 * v * v + 3 * v * 4304 + 4 * v + 2 * 72) + 768 * v \
            + 2 * 10240 * v + 2 * v + h * v
        self.assertEqual(text + tower, 31_273_088_876)
        config = raw("google__gemma-4-31B-it")
        entry = entry_from(config)
        self.assertEqual(computed_total(config), text)
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertEqual(entry["max_position_embeddings"], 262144)
        # its audio_config is null: no audio tower to mention
        self.assertNotIn("audio", entry["source"])

    def test_gemma_4_e2b_effective_parameters(self):
        # Gemma 4 E2B (its config.json as tt-metal copies it, SOURCES.md): Google gives it
        # "2.3B effective parameters" (5.1B with its embeddings). The per-layer embedding
        # table is 262,144 x 35 layers x 256; without it the importer's language model is 2.3 B
        # to that precision.
        config = raw("google__gemma-4-E2B-it")
        self.assertEqual(round((computed_total(config) - 262144 * 35 * 256) / 1e9, 1), 2.3)
        # the 20 KV-shared layers keep no cache: 15 layers of 35 are sized (FAMILIES)
        entry = entry_from(config)
        self.assertEqual((entry["num_layers"], entry["max_position_embeddings"]), (15, 131072))
        self.assertIn("audio tower is not counted", entry["source"])

    def test_step_layers_count_the_layers_a_step_runs(self):
        # A step runs all 35 of Gemma 4 E2B's layers (step_layers), as it runs Falcon-H1
        # 1.5B's 24 layers of attention and Mamba-2 side by side (48 cache layers) and
        # Nemotron 3 Nano's 52 blocks of a mixer or an MLP each, two to a layer: 26 (29 blocks
        # keep a cache)
        self.assertEqual(entry_from(raw("google__gemma-4-E2B-it"))["step_layers"], 35)
        for stem, layers, runs in (("tiiuae__Falcon-H1-1.5B-Base", 48, 24),
                                   ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B", 29, 26)):
            other = entry_from(raw(stem))
            self.assertEqual((other["num_layers"], other["step_layers"]), (layers, runs))
        # where every layer keeps a cache, num_layers says it all
        self.assertNotIn("step_layers", entry_from(raw("ai21labs__AI21-Jamba-1.5-Mini")))

    def test_kimi_k3_as_its_checkpoint_holds_it(self):
        # Kimi K3's raw config.json and its checkpoint's tensor census (SOURCES.md), tensor by
        # tensor: 1,503,647,073,024 elements, its MXFP4 experts as stored (two weights to a
        # uint8 and a uint8 scale per 32).
        h, width = 7168, 96 * 128
        head = 2 * 163840 * h                             # embed_tokens, lm_head
        every = 6 * h + 2 * width * h     # 4 norms and 2 residual projections of h; g, o_proj
        kda = 3 * width * h + 3 * width * 4 + 128 * h + width * 128 + 96 * h + width + 128
        a_log = 128                      # A_log: 128 values in the census, for 96 heads
        mla = 1536 * h + 1536 + 96 * 192 * 1536 + 576 * h + 512 + 96 * 256 * 512
        latent = 3584
        experts = 896 * 3 * 3072 * latent                 # w1, w3: 3,072 x 3,584; w2 back
        moe = 896 * h + 896 + 2 * h * latent + latent + 3 * h * 6144
        final = 3 * h                    # norm, output_attn_res_norm, output_attn_res_proj
        text = head + 93 * every + 69 * (kda + a_log) + 24 * mla + 3 * h * 33792 \
            + 92 * (moe + experts) + final
        # the tower (vision_tower.*): 27 blocks of wqkv 4,608 x 1,024, wo 1,024 x 1,536, fc0,
        # fc1 of 4,096 and two norms; the patch projection 1,024 x 3 x 14 x 14, a 64 x 64
        # position table and a final norm; mm_projector: 4,096 x 4,096, 7,168 x 4,096 and a
        # post_norm of 7,168
        tower = 27 * (4608 * 1024 + 1024 * 1536 + 2 * 4096 * 1024 + 2 * 1024) \
            + 1024 * 3 * 14 * 14 + 64 * 64 * 1024 + 1024 + 4096 * 4096 + 7168 * 4096 + 7168
        stored = 92 * experts // 2 + 92 * experts // 32
        self.assertEqual(text - 92 * experts + stored + tower, 1_503_647_073_024)
        # by bytes, as the census lists the dtypes: a byte per stored expert element; 4 for
        # the fp32 tensors (each KDA layer's q, k and v short convolutions 3 x 12,288 x 4,
        # dt_bias 12,288, A_log and o_norm 128 each; the routers' 896 correction biases); 2
        # for the rest. The catalog's measured_weights_gib is that in GiB, two decimals.
        wide = 69 * (3 * width * 4 + width + 128 + 128) + 92 * 896
        nbytes = (text - 92 * experts + tower) * 2 + stored + wide * 2
        self.assertEqual(nbytes, 1_560_860_324_864)
        self.assertEqual(shipped_gib("kimi-k3"), round(nbytes / 2**30, 2))
        config = raw("moonshotai__Kimi-K3")
        entry = entry_from(config)
        # Kimi-Linear's rule counts A_log per head: 69 x (128 - 96) fewer than the census
        self.assertEqual(computed_total(config), text - 69 * (128 - 96))
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertEqual((entry["weight_precision"], entry["quantized_layers"]),
                         ("mxfp4", "experts"))
        # active: 16 of the 896 experts, everything else
        self.assertEqual(computed_active(config),
                         computed_total(config) - 92 * experts * (896 - 16) // 896)

    def test_kimi_k2_5_as_its_checkpoint_holds_it(self):
        # Kimi K2.5 (SOURCES.md): its routed experts are INT4, 8 to an int32 with a bf16 scale
        # per 32 weights and a 2-element weight_shape per tensor (compressed-tensors
        # pack-quantized), so its tensor census of 170,738,182,128 elements counts each
        # expert weight 1/8 + 1/32 times. 60 MoE layers x 384 experts x 3 x 2,048 x 7,168.
        config = raw("moonshotai__Kimi-K2.5")
        entry = entry_from(config)
        experts = 60 * 384 * 3 * 2048 * 7168
        self.assertEqual(entry["quantized_layers"], "experts")
        # MoonViT (census: vision_tower.*, mm_projector.*): 27 blocks 1,152 wide (wqkv and
        # wo with biases, norm0 and norm1 LayerNorms, MLP 4,304 with biases), patch 3 x 14 x
        # 14 with bias, a 64 x 64 position table, the final LayerNorm; the projector's
        # pre_norm, 4,608 -> 4,608 and 4,608 -> 7,168 with biases
        v, i, wide = 1152, 4304, 4608
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v
        tower = 27 * block + 3 * 14 * 14 * v + v + 64 * 64 * v + 2 * v \
            + 2 * v + wide * wide + wide + wide * 7168 + 7168
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertEqual(computed_total(config) - experts + experts // 8 + experts // 32
                         + 60 * 384 * 3 * 2 + tower, 170_738_182_128)
        # by bytes: 4 per int32 and shape element, 4 per fp32 router bias (60 x 384), 2 for
        # the rest; the catalog's measured_weights_gib is that in GiB, two decimals
        everything = computed_total(config) + tower
        stored = (everything - experts - 60 * 384) * 2 + experts // 8 * 4 + experts // 32 * 2 \
            + 60 * 384 * 3 * 2 * 4 + 60 * 384 * 4
        self.assertEqual(stored, 595_148_192_736)
        self.assertEqual(shipped_gib("kimi-k2.5"), round(stored / 2**30, 2))

    def test_qwen3_5_dense_as_its_checkpoint_holds_it(self):
        # Qwen3.6-27B, a qwen3_5 model as the Hub lays it out (text_config and vision_config;
        # raw config.json and tensor census in SOURCES.md): 27,781,427,952 parameters are the
        # language model, the MTP layer and the vision tower. The MTP layer (census: mtp.*):
        # fc 5,120 x 10,240; a full-attention layer, q 12,288 x 5,120 (the output gate
        # doubles 24 x 256), k and v 1,024 x 5,120, o 5,120 x 6,144, q_norm and k_norm 256;
        # MLP 3 x 5,120 x 17,408; two layer norms and three more (norm, pre_fc_norm_embedding,
        # pre_fc_norm_hidden) of 5,120.
        config = raw("Qwen__Qwen3.6-27B")
        entry = entry_from(config)
        attention = 12288 * 5120 + 2 * 1024 * 5120 + 5120 * 6144 + 2 * 256
        mtp = 5120 * 10240 + attention + 3 * 5120 * 17408 + 5 * 5120
        self.assertEqual(entry["mtp_params"], mtp)
        # the tower (census: model.visual.*): 27 blocks 1,152 wide (qkv and proj with biases,
        # two LayerNorms with biases, MLP 4,304 with biases), patch embedding 3 x 2 x 16 x 16
        # with bias, 2,304 positions, the merger's LayerNorm, 4,608 -> 4,608 and 4,608 ->
        # 5,120 with biases
        v, i, wide = 1152, 4304, 4608
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v
        tower = 27 * block + 3 * 2 * 16 * 16 * v + v + 2304 * v \
            + 2 * v + wide * wide + wide + wide * 5120 + 5120
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertEqual(computed_total(config) + mtp + tower, 27_781_427_952)

    def test_qwen_mtp_layers_draft_as_full_attention(self):
        # Qwen3.5 and Qwen3-Next name their MTP layers mtp_num_hidden_layers (Qwen3.5-27B's
        # text_config holds 1), and vLLM builds that many full-attention decoder layers
        # (qwen3_5_mtp.py); the verbatim Qwen3-Next-Thinking config has none, so one is added
        config = raw("Qwen__Qwen3-Next-80B-A3B-Thinking")
        self.assertNotIn("mtp_layers", entry_from(config))
        config["mtp_num_hidden_layers"] = 1
        entry = entry_from(config)
        self.assertEqual(entry["mtp_layers"], 1)
        self.assertIn("mtp_num_hidden_layers=1", entry["source"])
        # 48 layers, every 4th full attention: 12 x (2 KV heads x 256 x 2 (K, V) x 2 B) =
        # 24,576 B per token; the draft adds one such layer, 2,048 B: 26,624
        model = model_from(config)
        for draft, expected in ((0, 24576), (model.mtp_layers, 26624)):
            groups = sizing.engine_layer_groups(
                model, sizing.EngineSettings(engine="vllm", draft_layers=draft))
            per_token = sum(u.bytes_per_token for u in
                            sizing.kv_breakdown(groups, 1000, "bf16").groups)
            self.assertEqual(per_token, expected)

    def test_entry_names_the_fields_it_used(self):
        source = entry_from(raw("deepseek-ai__DeepSeek-V3"))["source"]
        for field in ("kv_lora_rank=512", "qk_rope_head_dim=64", "num_hidden_layers=61",
                      "model_type=deepseek_v3"):
            self.assertIn(field, source)
        self.assertIn("1 multi-token-prediction layer is not counted", source)


class SameAsCatalogTest(unittest.TestCase):
    """Importing a config and sizing from it gives the hand-written catalog entry's numbers."""

    PAIRS = [("openai__gpt-oss-120b", "gpt-oss-120b"), ("openai__gpt-oss-20b", "gpt-oss-20b"),
             ("XiaomiMiMo__MiMo-V2.5", "mimo-v2.5"),
             ("XiaomiMiMo__MiMo-V2-Flash", "mimo-v2-flash"),
             ("nvidia__Llama-3_3-Nemotron-Super-49B-v1", "llama-3.3-nemotron-super-49b"),
             ("meta-llama__Llama-3.1-70B", "llama-3.1-70b"),
             ("Qwen__Qwen3-32B", "qwen3-32b"),
             ("mistralai__Mistral-7B-v0.1", "mistral-7b-v0.1"),
             ("deepseek-ai__DeepSeek-V3", "deepseek-v3"),
             ("google__gemma-2-27b", "gemma-2-27b"),
             ("meta-llama__Llama-4-Scout-17B-16E-Instruct", "llama-4-scout"),
             ("Qwen__Qwen3-Next-80B-A3B-Thinking", "qwen3-next-80b-a3b"),
             ("ai21labs__AI21-Jamba-1.5-Mini", "jamba-1.5-mini"),
             ("mistralai__Mixtral-8x7B-v0.1", "mixtral-8x7b"),
             ("microsoft__Phi-3.5-mini-instruct", "phi-3.5-mini"),
             ("zai-org__GLM-4.5-Air", "glm-4.5-air"),
             ("moonshotai__Kimi-K2-Base", "kimi-k2"),
             ("zai-org__GLM-5.1", "glm-5.1"), ("zai-org__GLM-4.7-Flash", "glm-4.7-flash"),
             ("MiniMaxAI__MiniMax-M2.7", "minimax-m2.7"),
             ("MiniMaxAI__MiniMax-M2.5", "minimax-m2.5"),
             ("moonshotai__Kimi-Linear-48B-A3B-Instruct", "kimi-linear-48b-a3b"),
             ("Qwen__Qwen3-VL-30B-A3B-Instruct", "qwen3-vl-30b-a3b"),
             ("Qwen__Qwen3-VL-235B-A22B-Instruct", "qwen3-vl-235b-a22b"),
             ("Qwen__Qwen3.6-27B", "qwen3.6-27b"), ("moonshotai__Kimi-K2.5", "kimi-k2.5"),
             ("moonshotai__Kimi-K3", "kimi-k3"),
             ("XiaomiMiMo__MiMo-V2.5-Pro", "mimo-v2.5-pro"),
             ("google__gemma-4-31B-it", "gemma-4-31b"),
             ("Qwen__Qwen3-30B-A3B", "qwen3-30b-a3b"),
             ("Qwen__Qwen3-30B-A3B-Instruct-2507", "qwen3-30b-a3b-instruct-2507"),
             ("deepseek-ai__DeepSeek-R1", "deepseek-v3"),
             ("google__gemma-3-27b-it", "gemma-3-27b"),
             ("google__gemma-3-12b-it", "gemma-3-12b"), ("google__gemma-3-4b-it", "gemma-3-4b"),
             ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B", "nemotron-3-nano-30b-a3b"),
             ("Qwen__Qwen3.5-35B-A3B", "qwen3.5-35b-a3b"),
             ("Qwen__Qwen3.5-397B-A17B", "qwen3.5-397b-a17b"),
             ("Qwen__Qwen3.5-122B-A10B", "qwen3.5-122b-a10b"),
             ("Qwen__Qwen3-Coder-480B-A35B-Instruct", "qwen3-coder-480b-a35b"),
             ("Qwen__Qwen3-8B", "qwen3-8b"),
             ("meta-llama__Llama-4-Maverick-17B-128E-Instruct", "llama-4-maverick"),
             ("nvidia__NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16", "nemotron-3-ultra-550b-a55b"),
             ("google__gemma-4-26B-A4B", "gemma-4-26b-a4b"),
             ("Qwen__Qwen2.5-7B-Instruct", "qwen2.5-7b"),
             ("microsoft__Phi-4-mini-instruct", "phi-4-mini"),
             ("Qwen__Qwen3-VL-4B-Instruct", "qwen3-vl-4b"),
             ("Qwen__Qwen2.5-VL-7B-Instruct", "qwen2.5-vl-7b")]

    def test_deepseek_r1_is_deepseek_v3_under_another_name(self):
        # the alias deepseek-ai/DeepSeek-R1 of deepseek-v3 stands on this: the two configs
        # differ in the transformers version that wrote them, and in nothing else
        r1, v3 = raw("deepseek-ai__DeepSeek-R1"), raw("deepseek-ai__DeepSeek-V3")
        self.assertEqual({k for k in r1.keys() | v3.keys() if r1.get(k) != v3.get(k)},
                         {"transformers_version"})
        self.assertIn("deepseek-ai/DeepSeek-R1", shipped("deepseek-v3", "aliases"))

    def test_imported_and_catalog_models_size_the_same(self):
        catalogs = shipped_catalogs()
        server = sizing.find_entry(catalogs.servers, "dgx-b300", "server", "servers.json")
        for stem, name in self.PAIRS:
            with self.subTest(name):
                shipped = sizing.find_entry(catalogs.models, name, "model", "models.json")
                imported = model_from(raw(stem))
                self.assertEqual(imported.max_position_embeddings,
                                 shipped.max_position_embeddings)
                for context in (1000, 8192, 131072):
                    for precision in ("fp8", "bf16"):
                        a = sizing.kv_breakdown(imported.layer_groups, context, precision)
                        b = sizing.kv_breakdown(shipped.layer_groups, context, precision)
                        self.assertEqual(a.per_session_bytes, b.per_session_bytes)
                work = sizing.Workload(500, 32768, "fp8", 0.7, 120.0, 0.2, "n+1")
                nodes = [[s.nodes_final for s in sizing.plan_scenarios(m, server,
                                                                        work).scenarios]
                         for m in (imported, shipped)]
                self.assertEqual(nodes[0], nodes[1])


class TrapTest(unittest.TestCase):
    def test_explicit_head_dim_wins_and_is_used_when_null(self):
        config = raw("Qwen__Qwen3-32B")
        self.assertEqual(entry_from(config)["head_dim"], 128)
        config["head_dim"] = None           # null: fall back to 5120 / 64 = 80
        self.assertEqual(entry_from(config)["head_dim"], 80)

    def test_use_sliding_window_false_means_no_window(self):
        config = raw("Qwen__Qwen3-32B")
        config["sliding_window"] = 4096
        self.assertEqual(entry_from(config)["attention_pattern"], "full")
        # switched on, layers from max_window_layers (32) on slide: 32 full + 32 sliding
        config.update(use_sliding_window=True, max_window_layers=32)
        entry = entry_from(config)
        self.assertEqual((entry["attention_pattern"], entry["full_attention_layers"],
                          entry["sliding_attention_layers"], entry["sliding_window"]),
                         ("hybrid", 32, 32, 4096))

    def test_a_window_at_or_above_the_maximum_context_is_full_attention(self):
        config = raw("mistralai__Mistral-7B-v0.1")
        config["sliding_window"] = 32768        # = max_position_embeddings
        entry = entry_from(config)
        self.assertEqual(entry["attention_pattern"], "full")
        self.assertIn("sliding_window 32768 >= max_position_embeddings 32768", entry["source"])
        config["sliding_window"] = 32767
        self.assertEqual(entry_from(config)["attention_pattern"], "sliding")

    def test_mistral_without_the_key_gets_transformers_default_window(self):
        config = raw("mistralai__Mistral-7B-v0.1")
        del config["sliding_window"]           # MistralConfig defaults to 4096
        self.assertEqual(entry_from(config)["sliding_window"], 4096)
        config["sliding_window"] = None        # explicit null: full attention
        self.assertEqual(entry_from(config)["attention_pattern"], "full")

    def test_layer_types_beat_patterns(self):
        config = raw("openai__gpt-oss-120b")
        config["layer_types"] = ["full_attention"] * 36
        self.assertEqual(entry_from(config)["attention_pattern"], "full")
        del config["layer_types"]               # gpt-oss default: even layers slide
        entry = entry_from(config)
        self.assertEqual((entry["full_attention_layers"], entry["sliding_attention_layers"]),
                         (18, 18))
        gemma = raw("google__gemma-3-4b-it")
        gemma["text_config"]["layer_types"] = ["sliding_attention"] * 33 + ["full_attention"]
        entry = entry_from(gemma)
        self.assertEqual(entry["full_attention_layers"], 1)

    def test_gemma3_sliding_pattern(self):
        config = raw("google__gemma-3-4b-it")
        config["text_config"]["sliding_window_pattern"] = 2   # odd layers global: 17 of 34
        entry = entry_from(config)
        self.assertEqual((entry["full_attention_layers"], entry["sliding_attention_layers"]),
                         (17, 17))

    def test_llama4_no_rope_layers(self):
        config = raw("meta-llama__Llama-4-Scout-17B-16E-Instruct")
        text = config["text_config"]
        text["no_rope_layers"] = [i % 2 for i in range(48)]  # 0 = NoPE, global: 24 + 24
        groups = {g["kind"]: g["layers"] for g in entry_from(config)["layer_groups"]}
        self.assertEqual(groups, {"full": 24, "chunked": 24})
        text["no_rope_layers"] = [1] * 47 + [2]
        self.assertIn("text_config.no_rope_layers[47] is 2", import_error(config))
        del text["no_rope_layers"]
        text["attention_chunk_size"] = None                    # no chunking: all global
        self.assertEqual(entry_from(config)["attention_pattern"], "full")

    def test_text_config_without_its_own_model_type(self):
        # the wrapper's model_type (gemma3) then names the family: 5 global layers of 34
        config = raw("google__gemma-3-4b-it")
        del config["text_config"]["model_type"]
        self.assertEqual(entry_from(config)["full_attention_layers"], 5)

    def test_text_config_is_read_and_named_in_errors(self):
        config = raw("meta-llama__Llama-4-Scout-17B-16E-Instruct")
        del config["text_config"]["num_hidden_layers"]
        self.assertIn("text_config.num_hidden_layers is missing", import_error(config))

    def test_k_and_v_head_sizes_may_differ(self):
        config = raw("Qwen__Qwen3-32B")
        config["v_head_dim"] = 64               # 8 x (128 + 64) x 2 B = 3,072 per layer
        model = model_from(config)
        self.assertEqual(model.attention_pattern, "layers")
        kv = sizing.kv_breakdown(model.layer_groups, 10, "bf16")
        self.assertEqual(kv.groups[0].bytes_per_token, 64 * 3072)


class QuantizationFormatTest(unittest.TestCase):
    """The weight format each quantizer's quantization_config stores (HF_QUANT_METHODS)."""

    def precision(self, quant, stem="meta-llama__Llama-3.1-70B"):
        config = raw(stem)
        config["quantization_config"] = quant
        entry = entry_from(config)
        return entry["weight_precision"], entry.get("quantized_layers")

    def test_compressed_tensors_by_its_weight_groups(self):
        # llm-compressor's FP8 (float, 8 bits), W4A16 (int, 4 bits, groups of 128), W8A8 (int 8)
        # and NVFP4 (float, 4 bits, "nvfp4-pack-quantized") configs, as quoted in public code
        def ct(bits, kind, fmt, ignore=("lm_head",)):
            return {"quant_method": "compressed-tensors", "format": fmt, "ignore": list(ignore),
                    "config_groups": {"group_0": {"targets": ["Linear"], "weights": {
                        "num_bits": bits, "type": kind, "strategy": "tensor"}}}}
        for bits, kind, fmt, expected in ((8, "float", "float-quantized", "fp8"),
                                          (4, "int", "pack-quantized", "int4"),
                                          (8, "int", "int-quantized", "int8"),
                                          (4, "float", "nvfp4-pack-quantized", "nvfp4"),
                                          (4, "float", "mxfp4-pack-quantized", "mxfp4")):
            self.assertEqual(self.precision(ct(bits, kind, fmt)), (expected, None), fmt)
        # a mixture of experts that leaves attention out (a regex in ignore) quantizes experts
        self.assertEqual(self.precision(ct(8, "float", "float-quantized",
                                           ("lm_head", "re:.*self_attn.*")),
                                        "deepseek-ai__DeepSeek-V3"), ("fp8", "experts"))
        mixed = ct(8, "float", "float-quantized")
        mixed["config_groups"]["group_1"] = {"weights": {"num_bits": 4, "type": "int"}}
        self.assertIn("quantization_config.config_groups mixes fp8 and int4 weights",
                      import_error({**raw("meta-llama__Llama-3.1-70B"),
                                    "quantization_config": mixed}))

    def test_quark_by_its_weight_spec(self):
        # The verbatim Quark config (SOURCES.md): FP8 per channel, the indexer's projection,
        # routers, LM head and MTP head excluded. Its exclusions name no attention layer whole,
        # so every linear layer is FP8; the parameters are DeepSeek-V3.2's own.
        ptpc = entry_from(raw("haoyangli-amd__DeepSeek-V3.2-exp-ptpc"))
        v32 = entry_from(raw("deepseek-ai__DeepSeek-V3.2"))
        self.assertEqual((ptpc["weight_precision"], ptpc.get("quantized_layers")), ("fp8", None))
        for key in ("total_params_billion", "active_params_billion", "layer_groups",
                    "embedding_params", "mtp_layers"):
            self.assertEqual(ptpc[key], v32[key], key)
        self.assertEqual(ptpc["total_params_billion"], 671.88)
        # Quark's MXFP4 of the experts alone (layer_quant_config, no global weight spec), and a
        # staged spec whose stored stage is int4 (Quark's W4A8 for Kimi-K2.5)
        experts = {"quant_method": "quark", "global_quant_config": {}, "exclude": [],
                   "layer_quant_config": {"*.mlp.experts.*": {"weight": {
                       "dtype": "fp4", "qscheme": "per_group", "group_size": 32}}}}
        self.assertEqual(self.precision(experts, "deepseek-ai__DeepSeek-V3"),
                         ("mxfp4", "experts"))
        staged = {"quant_method": "quark", "global_quant_config": {"weight": [
            {"dtype": "fp8_e4m3", "qscheme": "per_tensor"},
            {"dtype": "int4", "qscheme": "per_channel"}]}}
        self.assertEqual(self.precision(staged), ("int4", None))

    def test_int4_groups_other_than_128_are_noted(self):
        # int4 is sized as AWQ's and GPTQ's groups of 128 with zero points (4 + 20 / 128 bits).
        # AWQ at group 32 stores 4 + 20 / 32 = 4.625 bits; llm-compressor's symmetric W4A16 at
        # 128 keeps no zero points, 4 + 16 / 128 = 4.125; the usual AWQ config says nothing.
        def source(quant):
            config = raw("meta-llama__Llama-3.1-70B")
            config["quantization_config"] = quant
            entry = entry_from(config)
            self.assertEqual(entry["weight_precision"], "int4")
            return entry["source"]
        awq = {"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": True,
               "version": "gemm"}
        self.assertNotIn("int4 weights stored", source(awq))
        self.assertIn("int4 weights stored in groups of 32 with zero points: about 4.625 bits",
                      source({**awq, "group_size": 32}))
        ct = {"quant_method": "compressed-tensors", "format": "pack-quantized",
              "config_groups": {"group_0": {"targets": ["Linear"], "weights": {
                  "num_bits": 4, "type": "int", "symmetric": True, "group_size": 128,
                  "strategy": "group"}}}}
        self.assertIn("groups of 128 without zero points: about 4.125 bits", source(ct))

    def test_modelopt_and_fbgemm_inline(self):
        self.assertEqual(self.precision({"quant_method": "modelopt", "quant_algo": "NVFP4"}),
                         ("nvfp4", None))
        self.assertEqual(self.precision({"quant_method": "fbgemm_fp8"}), ("fp8", None))
        self.assertEqual(self.precision({"quant_method": "modelopt", "quant_algo": "FP8",
                                         "exclude_modules": ["lm_head", "*self_attn*"]},
                                        "deepseek-ai__DeepSeek-V3"), ("fp8", "experts"))
        self.assertIn("quantization_config.quant_method 'modelopt' with quant_algo 'W4A16_AWQ'",
                      import_error({**raw("meta-llama__Llama-3.1-70B"), "quantization_config": {
                          "quant_method": "modelopt", "quant_algo": "W4A16_AWQ"}}))
        # NVIDIA's NVFP4 Qwen3.6 checkpoints mix FP8 attention with NVFP4 MLPs layer by layer
        # (quant_algo MIXED_PRECISION, one quantized_layers entry per projection): refused,
        # naming the algorithm, rather than sized as either
        self.assertIn("quant_method 'modelopt' with quant_algo 'MIXED_PRECISION' is a weight "
                      "format this tool cannot size",
                      import_error({**raw("Qwen__Qwen3-32B"), "quantization_config": {
                          "quant_method": "modelopt", "quant_algo": "MIXED_PRECISION"}}))


class FailClosedTest(unittest.TestCase):
    CASES = [
        ("unknown model_type", lambda c: c.update(model_type="rwkv"),
         "model_type 'rwkv' is not supported"),
        ("no model_type", lambda c: c.pop("model_type"), "model_type None is not supported"),
        ("unknown layer type", lambda c: c["layer_types"].__setitem__(3, "mamba2"),
         "layer_types[3] is 'mamba2', which this tool cannot interpret"),
        ("layer_types length", lambda c: c["layer_types"].pop(),
         "layer_types must be a list of 36 values"),
        ("missing layers", lambda c: c.pop("num_hidden_layers"),
         "num_hidden_layers is missing"),
        ("missing context", lambda c: c.pop("max_position_embeddings"),
         "max_position_embeddings is missing"),
        ("bad kv heads", lambda c: c.update(num_key_value_heads=0),
         "num_key_value_heads must be a positive integer (got 0)"),
        ("kv heads do not divide", lambda c: c.update(num_key_value_heads=7),
         "num_key_value_heads must divide num_attention_heads (64 / 7)"),
        ("float window", lambda c: c.update(sliding_window=128.5),
         "sliding_window must be a positive integer (got 128.5)"),
        ("unknown quantization", lambda c: c["quantization_config"].update(
            quant_method="bitsandbytes"),
         "quantization_config.quant_method 'bitsandbytes' is a weight format this tool "
         "cannot size"),
        ("compressed-tensors without weights", lambda c: c["quantization_config"].update(
            quant_method="compressed-tensors"),
         "quantization_config.config_groups holds no weight format this tool can size"),
        ("compressed-tensors bits as a list", lambda c: c["quantization_config"].update(
            quant_method="compressed-tensors", config_groups={"group_0": {"weights": {
                "num_bits": [8], "type": "float"}}}),
         "quantization_config.config_groups holds no weight format this tool can size"),
        ("quark dtype as a list", lambda c: c["quantization_config"].update(
            quant_method="quark", global_quant_config={"weight": {"dtype": ["fp8_e4m3"]}}),
         "quantization_config.global_quant_config.weight holds no weight format"),
        ("unknown dtype", lambda c: c.update(torch_dtype="float8_e4m3fn"),
         "torch_dtype is 'float8_e4m3fn', a dtype this tool cannot size"),
        ("kv sharing", lambda c: c.update(num_kv_shared_layers=4),
         "num_kv_shared_layers is set"),
        # Kimi K3's latent experts, read by the DeepSeek-style MoE rule only
        ("latent experts", lambda c: c.update(routed_expert_hidden_size=1440),
         "routed_expert_hidden_size is set (latent experts outside the DeepSeek-style MoE)"),
        ("too many experts per token", lambda c: c.update(num_experts_per_tok=200),
         "num_experts_per_tok must not exceed the number of experts, num_local_experts "
         "(200 > 128)"),
    ]

    def test_gpt_oss_config_faults_fail_with_the_field(self):
        for label, mutate, fragment in self.CASES:
            with self.subTest(label):
                config = raw("openai__gpt-oss-120b")
                mutate(config)
                message = import_error(config)
                self.assertIn(fragment, message)
                self.assertNotIn("\n", message)

    def test_nemotron_nas_blocks_it_cannot_size_are_refused(self):
        for label, mutate, fragment in (
                ("linear attention", lambda b: b[6]["attention"].update(
                    replace_with_linear=True),
                 "block_configs[6].attention.replace_with_linear is true"),
                ("windowed", lambda b: b[0]["attention"].update(window_length=4096),
                 "block_configs[0].attention.window_length is 4096"),
                ("two KV head groups", lambda b: b[1]["attention"].update(
                    n_heads_in_group=4),
                 "block_configs gives its attention layers KV head groups of 4, 8 query "
                 "heads"),
                ("a group that does not divide", lambda b: b[0]["attention"].update(
                    n_heads_in_group=7),
                 "block_configs[0].attention.n_heads_in_group must divide "
                 "num_attention_heads (64) (got 7)"),
                ("no width", lambda b: b[3]["ffn"].pop("ffn_mult"),
                 "block_configs[3].ffn.ffn_mult must be a positive number (got None)"),
                ("a third part", lambda b: b[2].update(parallel_blocks=[]),
                 "block_configs[2] must be an object of an attention and an ffn object"),
                ("a block missing", lambda b: b.pop(),
                 "block_configs must be a list of 80 layer blocks")):
            with self.subTest(label):
                config = raw("nvidia__Llama-3_3-Nemotron-Super-49B-v1")
                mutate(config["block_configs"])
                message = import_error(config)
                self.assertIn(fragment, message)
                self.assertNotIn("\n", message)

    def test_lightning_attention_is_refused(self):
        config = raw("MiniMaxAI__MiniMax-M2")
        config["attn_type_list"][7] = 0
        self.assertIn("attn_type_list[7] is 0", import_error(config))

    def test_2026_family_faults_fail_with_the_field(self):
        def kimi_layers(c):
            c["linear_attn_config"]["kda_layers"] = [1, 2]

        def granite_type(c):
            c["layer_types"][3] = "foo"

        def gemma_shared(c):
            c["text_config"]["num_kv_shared_layers"] = 42
        cases = [
            ("moonshotai__Kimi-Linear-48B-A3B-Instruct", lambda c: c.pop("linear_attn_config"),
             "linear_attn_config is missing"),
            ("moonshotai__Kimi-Linear-48B-A3B-Instruct", kimi_layers,
             "full_attn_layers and kda_layers must name each of layers 1..27 once"),
            ("ibm-granite__granite-4.0-h-small", granite_type, "layer_types[3] is 'foo'"),
            # 128 heads x 32 is not mamba_expand 2 x hidden 4,096 = 8,192
            ("ibm-granite__granite-4.0-h-small", lambda c: c.update(mamba_d_head=32),
             "mamba_n_heads x mamba_d_head (128 x 32) must equal the Mamba inner size 8192"),
            ("MiniMaxAI__MiniMax-M1-80k", lambda c: c.update(attn_type_list=[0, 1]),
             "attn_type_list must be a list of 80 values"),
            ("google__gemma-4-E4B-it", gemma_shared,
             "num_kv_shared_layers must be an integer >= 0 up to 41 (got 42)"),
            # every MoE family checks experts per token against its experts, in its own words
            ("google__gemma-4-26B-A4B-it", lambda c: c["text_config"].update(top_k_experts=129),
             "text_config.top_k_experts must not exceed the number of experts, num_experts "
             "(129 > 128)"),
            ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B",
             lambda c: c.update(num_experts_per_tok=129),
             "num_experts_per_tok must not exceed the number of experts, n_routed_experts "
             "(129 > 128)"),
            # each family's list of layer kinds, missing or of the wrong length or values
            ("ibm-granite__granite-4.0-h-small", lambda c: c.pop("layer_types"),
             "layer_types is missing (Granite 4.0-H names each layer's mixer)"),
            ("google__gemma-4-31B-it", lambda c: c["text_config"].pop("layer_types"),
             "text_config.layer_types is missing (Gemma 4 names each layer's attention)"),
            ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B",
             lambda c: c.update(hybrid_override_pattern="MEM"),
             "hybrid_override_pattern must be 52 characters of"),
            ("MiniMaxAI__MiniMax-M1-80k", lambda c: c.pop("attn_type_list"),
             "attn_type_list is missing (MiniMax-M1 names each layer's attention"),
            ("moonshotai__Kimi-Linear-48B-A3B-Instruct",
             lambda c: c["linear_attn_config"].update(kda_layers="1-26"),
             "linear_attn_config.kda_layers must be a list of layer numbers (got '1-26')"),
            ("moonshotai__Kimi-Linear-48B-A3B-Instruct",
             lambda c: c["linear_attn_config"].update(num_heads=0),
             "linear_attn_config.num_heads must be a positive integer (got 0)"),
            # the recurrent state's dtype, where a family sets it apart
            ("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B",
             lambda c: c.update(mamba_ssm_cache_dtype="float8"),
             "mamba_ssm_cache_dtype must be one of"),
            ("Qwen__Qwen3.5-27B", lambda c: c["text_config"].update(mamba_ssm_dtype="int8"),
             "text_config.mamba_ssm_dtype must be one of"),
        ]
        for stem, mutate, fragment in cases:
            with self.subTest(stem=stem, fragment=fragment):
                config = raw(stem)
                mutate(config)
                message = import_error(config)
                self.assertIn(fragment, message)
                self.assertNotIn("\n", message)

    def test_the_dtype_is_named_where_the_config_holds_it(self):
        # transformers 5 writes `dtype` (4.x `torch_dtype`), inside text_config for a
        # multimodal config: the source note and an error name that field, not torch_dtype
        config = raw("meta-llama__Llama-4-Scout-17B-16E-Instruct")
        config.pop("torch_dtype")
        config["text_config"]["dtype"] = config["text_config"].pop("torch_dtype")
        self.assertIn("text_config.dtype=bfloat16, ", entry_from(config)["source"])
        config["text_config"]["dtype"] = "float8"
        self.assertIn("text_config.dtype is 'float8', a dtype", import_error(config))

    def test_hidden_size_not_divisible_without_head_dim(self):
        config = raw("meta-llama__Llama-3.1-70B")
        config["num_attention_heads"] = 48      # 8192 / 48 is not whole
        self.assertIn("hidden_size is not a multiple of num_attention_heads (8192 / 48)",
                      import_error(config))

    def test_not_an_object(self):
        self.assertIn("top level must be a JSON object", import_error([1, 2]))


class ImportCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.models = Path(self.tmp.name) / "models.json"
        self.models.write_text((FIXTURES / "models.json").read_text(encoding="utf-8"),
                               encoding="utf-8")

    def run_import(self, *extra, config="deepseek-ai__DeepSeek-V3"):
        return run_main(["--import-hf-config", str(CONFIGS / f"{config}.json"),
                         "--models-file", str(self.models), *extra])

    def test_prints_an_entry_ready_to_paste(self):
        status, out, err = self.run_import()
        self.assertEqual((status, err), (0, ""))
        entry = json.loads(out)
        self.assertEqual(entry["name"], "deepseek-v3")
        self.assertEqual(entry["hf_repo"], "deepseek-ai/DeepSeek-V3")
        # the printed entry is a valid catalog entry as is
        model = sizing.parse_model(sizing._Entry("x", "model", 0, entry))
        self.assertEqual(sizing.kv_breakdown(model.layer_groups, 1, "bf16").per_session_bytes,
                         70272)
        # without --add-to-catalog the catalog is not touched
        self.assertEqual(self.models.read_text(encoding="utf-8"),
                         (FIXTURES / "models.json").read_text(encoding="utf-8"))

    def test_add_to_catalog_then_size_with_it(self):
        status, out, err = self.run_import("--add-to-catalog", "--name", "dsv3")
        self.assertEqual(status, 0)
        self.assertIn("model 'dsv3' written to", err)
        names = [m["name"] for m in json.loads(self.models.read_text())["models"]]
        self.assertEqual(names[-1], "dsv3")
        self.assertIn("_comment", json.loads(self.models.read_text()))
        status, out, err = run_main(
            ["--models-file", str(self.models), "--servers-file",
             str(FIXTURES / "servers.json"), "--storage-file", str(FIXTURES / "storage.json"),
             "--model", "dsv3", "--server", "spec-node", "--concurrency", "100",
             "--effective-context", "1000", "--format", "json"])
        self.assertEqual(status, 0, err)
        # 70,272 B/token x 1,000 tokens
        self.assertEqual(json.loads(out)["kv_cache"]["kv_per_session_bytes"], 70272000)

    def test_a_name_already_there_is_refused_unless_replace(self):
        self.assertEqual(self.run_import("--add-to-catalog", "--name", "dsv3")[0], 0)
        before = self.models.read_text(encoding="utf-8")
        status, out, err = self.run_import("--add-to-catalog", "--name", "DSV3",
                                           config="moonshotai__Kimi-K2-Base")
        self.assertEqual((status, out), (2, ""))
        self.assertIn("model 'DSV3' is already in", err)
        self.assertIn("--replace", err)
        self.assertEqual(self.models.read_text(encoding="utf-8"), before)
        status, _, _ = self.run_import("--add-to-catalog", "--replace", "--name", "dsv3",
                                       config="moonshotai__Kimi-K2-Base")
        self.assertEqual(status, 0)
        models = json.loads(self.models.read_text())["models"]
        self.assertEqual([m["name"] for m in models].count("dsv3"), 1)
        self.assertEqual(models[-1]["hf_repo"], "moonshotai/Kimi-K2-Base")

    def test_an_alias_clash_is_refused(self):
        status, out, err = self.run_import("--add-to-catalog", "--name", "spec-alias")
        self.assertEqual((status, out), (2, ""))
        self.assertIn("'spec-alias' is already a name or alias of model 'spec-120b'", err)
        # the default entry carries the repo as an alias; a second copy under the default
        # name would take it twice
        self.assertEqual(self.run_import("--add-to-catalog")[0], 0)
        status, _, err = self.run_import("--add-to-catalog", config="deepseek-ai__DeepSeek-V3")
        self.assertEqual(status, 2)
        self.assertIn("model 'deepseek-v3' is already in", err)

    def test_a_name_of_ones_own_drops_the_repo_alias(self):
        self.assertEqual(self.run_import("--add-to-catalog")[0], 0)
        status, out, err = self.run_import("--add-to-catalog", "--name", "dsv3-copy")
        self.assertEqual(status, 0, err)
        self.assertEqual(json.loads(out)["aliases"], [])

    def test_a_bad_config_writes_nothing(self):
        bad = Path(self.tmp.name) / "bad.json"
        config = raw("openai__gpt-oss-120b")
        config["model_type"] = "rwkv"
        bad.write_text(json.dumps(config))
        before = self.models.read_text(encoding="utf-8")
        status, out, err = run_main(["--import-hf-config", str(bad), "--models-file",
                                     str(self.models), "--add-to-catalog"])
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertIn("model_type 'rwkv' is not supported", err)
        self.assertEqual(self.models.read_text(encoding="utf-8"), before)

    def test_missing_and_invalid_config_files(self):
        status, out, err = run_main(["--import-hf-config", str(Path(self.tmp.name) / "no.json")])
        self.assertEqual((status, out), (1, ""))
        self.assertIn("no.json: file not found", err)
        bad = Path(self.tmp.name) / "nan.json"
        # Python's json writes NaN and Infinity into configs (Nemotron-H's time_step_limit);
        # they are read, and refused only where they would size something
        bad.write_text('{"model_type": "llama", "num_hidden_layers": NaN}')
        status, out, err = run_main(["--import-hf-config", str(bad)])
        self.assertEqual((status, out), (1, ""))
        self.assertIn("num_hidden_layers must be a positive integer (got 'NaN')", err)

    def test_architecture_is_kept_for_the_engine_rules(self):
        # SGLang decides its sliding-window pool by the config's architectures[0]
        gpt_oss = raw("openai__gpt-oss-120b")
        self.assertEqual(entry_from(gpt_oss)["architecture"], "GptOssForCausalLM")
        self.assertEqual(model_from(gpt_oss).architecture, "GptOssForCausalLM")
        self.assertNotIn("architecture", entry_from({**gpt_oss, "architectures": None}))
        with self.assertRaises(sizing.CatalogError) as caught:
            entry_from({**gpt_oss, "architectures": "GptOssForCausalLM"})
        self.assertIn("architectures must be a list of class names", str(caught.exception))

    def test_flag_combinations(self):
        for argv, fragment in (
                (["--name", "x"], "--name needs --import-hf-config"),
                (["--add-to-catalog"], "--add-to-catalog needs --import-hf-config"),
                (["--import-hf-config", "c.json", "--replace"], "--replace needs --add-to-catalog"),
                (["--import-hf-config", "c.json", "--model", "m"],
                 "--import-hf-config cannot be combined with --model"),
                (["--import-hf-config", "c.json", "--name", " "], "--name must not be empty")):
            with self.subTest(argv):
                status, out, err = run_main(argv)
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)


def computed_total(config):
    """The parameter total the importer computed, read from its params_source."""
    source = entry_from(config)["params_source"]
    return int(source.split(" total")[0].split(": ")[-1].replace(",", ""))


def computed_active(config):
    """The active parameters per token the importer computed, read from its params_source."""
    source = entry_from(config)["params_source"]
    return int(source.split(" active")[0].split(", ")[-1].replace(",", ""))


class MoreVariantsTest(unittest.TestCase):
    def test_deepseek_v2_without_q_lora(self):
        # DeepSeek-V2(-Lite) style: q_lora_rank null projects q straight from the hidden state.
        # V3 shapes: with q_lora 7,168 x 1,536 + 1,536 + 1,536 x 128 x 192 = 48,760,320 per
        # layer; without, 7,168 x 128 x 192 = 176,160,768: 127,400,448 more x 61 layers.
        config = raw("deepseek-ai__DeepSeek-V3")
        base = computed_total(config)
        config.update(model_type="deepseek_v2", q_lora_rank=None)
        self.assertEqual(computed_total(config) - base, 127400448 * 61)
        # the KV is the same latent: 61 x 576 x 2 B
        self.assertEqual(shape(config), [("mla", 61, 70272, 1000, 0)])

    def test_nemotron_h_dense_mlp_block(self):
        # Nemotron-H's dense models write an MLP block as "-": a squared-ReLU MLP, up and down
        # only, 2 x 2,688 x 21,504 = 115,605,504 (intermediate_size set to Nemotron-H 8B's).
        # It replaces an MoE block of Nemotron 3 Nano: 128 experts x 2 x 2,688 x 1,856 =
        # 1,277,165,568, the shared expert 2 x 2,688 x 3,712 = 19,955,712 and the router
        # 2,688 x 128 + 128 = 344,192, of which 6 experts (59,867,136) + shared + router are
        # active: 80,167,040.
        config = raw("nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B")
        total, active = computed_total(config), computed_active(config)
        config["hybrid_override_pattern"] = config["hybrid_override_pattern"].replace("E", "-",
                                                                                      1)
        config["intermediate_size"] = 21504
        self.assertEqual(computed_total(config) - total,
                         115605504 - (1277165568 + 19955712 + 344192))
        self.assertEqual(computed_active(config) - active, 115605504 - 80167040)

    def test_qwen2_5_vl_language_model_vision_tower_and_dtype(self):
        # Qwen2.5-VL-7B's language model, untied: embeddings 2 x 152,064 x 3,584 =
        # 1,089,994,752; per layer q and o 2 x 3,584^2, k and v 2 x 3,584 x 512, the q, k, v
        # biases 3,584 + 2 x 512, MLP 3 x 3,584 x 18,944, norms 2 x 3,584: 233,057,792 x 28 =
        # 6,525,618,176; final norm 3,584. Total 7,615,616,512.
        config = raw("Qwen__Qwen2.5-VL-7B-Instruct")
        entry = entry_from(config)
        self.assertEqual(computed_total(config), 7615616512)
        # Its vision tower (transformers' Qwen2_5_VLVisionBlock, 32 blocks 1,280 wide): q, k, v
        # and o with biases 4 x 1,280^2 + 4 x 1,280, a gated MLP with biases 3 x 1,280 x 3,420
        # + 2 x 3,420 + 1,280, two RMSNorms 2 x 1,280: 19,702,200 x 32 = 630,470,400; the
        # patch embedding, no bias, 3 x 2 x 14^2 x 1,280 = 1,505,280; the merger's RMSNorm
        # 1,280 and 5,120 -> 5,120 -> 3,584 with biases 44,573,184. 676,550,144; with the
        # language model 8,292,166,656: the Hub's numParameters for the model, whose
        # safetensors hold 16,584,333,312 bytes, 2 a parameter in bf16 (as quoted in public
        # code: exo's model card for Qwen-Image's text encoder, MTEB's model metadata).
        self.assertEqual(entry["multimodal_params"], 676550144)
        self.assertEqual(7615616512 + 676550144, 8292166656)
        self.assertEqual((shipped("qwen2.5-vl-7b", "multimodal_params"),
                          shipped("qwen2.5-vl-7b", "total_params_billion")), (676550144, 7.62))
        # transformers 4.53 wrote float32 into text_config and bfloat16 at the root: the
        # checkpoint's dtype is the root's, as vLLM reads it
        self.assertEqual(entry["weight_precision"], "bf16")
        self.assertIn(" torch_dtype=bfloat16", entry["source"])

    def test_qwen3_vl_language_model_and_merger_tower(self):
        # Qwen3-VL-4B: Qwen3's language model, tied: embeddings 151,936 x 2,560 = 388,956,160;
        # per layer q and o 2 x 2,560 x 4,096, k and v 2 x 2,560 x 1,024, q and k norms
        # 2 x 128, MLP 3 x 2,560 x 9,728: 100,925,696 x 36; norms 2,560 x (2 x 36 + 1)
        h, lm = 2560, 151936 * 2560 + 36 * (2 * 2560 * 4096 + 2 * 2560 * 1024 + 256
                                             + 3 * 2560 * 9728) + 2560 * 73
        self.assertEqual(computed_total(raw("Qwen__Qwen3-VL-4B-Instruct")), lm)
        # its tower (transformers' Qwen3VLVisionModel), 24 blocks 1,024 wide: q, k, v, o with
        # biases, two LayerNorms, MLP 1,024 -> 4,096 -> 1,024 with biases; the patch embedding
        # with its bias; 2,304 positions; the merger: a LayerNorm over 1,024, then 4,096 ->
        # 4,096 -> 2,560 with biases; three deepstack mergers, their norms over 4,096
        v, i, wide = 1024, 4096, 4096
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v
        mlp = wide * wide + wide + wide * h + h
        tower = 24 * block + 3 * 2 * 16 * 16 * v + v + 2304 * v + (2 * v + mlp) \
            + 3 * (2 * wide + mlp)
        entry = entry_from(raw("Qwen__Qwen3-VL-4B-Instruct"))
        self.assertEqual(entry["multimodal_params"], tower)
        # together the count public code reports for Qwen/Qwen3-VL-4B-Instruct (the sum of
        # its parameters' numel in transformers)
        self.assertEqual(lm + tower, 4_437_815_808)
        self.assertEqual((entry["weight_precision"], entry["max_position_embeddings"]),
                         ("bf16", 262144))
        self.assertEqual((shipped("qwen3-vl-4b", "multimodal_params"),
                          shipped("qwen3-vl-4b", "total_params_billion")),
                         (tower, round(lm / 1e9, 2)))
        # an omni model's audio tower is noted, not counted
        config = raw("Qwen__Qwen3-VL-4B-Instruct")
        config["audio_config"] = {"d_model": 1280}
        entry = entry_from(config)
        self.assertEqual(entry["multimodal_params"], tower)
        self.assertIn("audio_config: the audio tower is not counted", entry["source"])
        # Qwen3-VL-30B-A3B: Qwen3-30B-A3B's 30,532,122,624 (untied; 128 experts of 3 x 2,048
        # x 768 and a router in each of 48 layers) beside a 27 x 1,152 tower that merges to
        # 2,048 with deepstack [8, 16, 24]: the 31,070,754,032 parameters of the checkpoint's
        # tensor census (SOURCES.md)
        moe = raw("Qwen__Qwen3-VL-30B-A3B-Instruct")
        lm = 2 * 151936 * 2048 + 48 * (2 * 2048 * 4096 + 2 * 2048 * 512 + 256
                                       + 128 * 3 * 2048 * 768 + 2048 * 128) + 2048 * 97
        v, i, wide = 1152, 4304, 4608
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v

        def tower(out):          # the 27-block tower, its mergers projecting to `out`
            mlp = wide * wide + wide + wide * out + out
            return 27 * block + 3 * 2 * 16 * 16 * v + v + 2304 * v + (2 * v + mlp) \
                + 3 * (2 * wide + mlp)
        self.assertEqual((computed_total(moe), entry_from(moe)["multimodal_params"]),
                         (lm, tower(2048)))
        self.assertEqual(lm + tower(2048), 31_070_754_032)
        self.assertEqual(computed_active(moe),
                         lm - 48 * 120 * 3 * 2048 * 768)     # 8 of the 128 experts active
        # Qwen3-VL-235B-A22B (transformers 5.7's print, SOURCES.md): its 128 experts under
        # num_local_experts, and a text_config tie_word_embeddings true (transformers 5's
        # default) beside the top level's false: the checkpoint stores lm_head.weight apart.
        # 94 layers of q 8,192 x 4,096, k and v 512 x 4,096, o 4,096 x 8,192, q and k norms,
        # 128 experts of 3 x 4,096 x 1,536 and a router; the same 27-block tower merging to
        # 4,096: the 235,670,022,896 parameters of the checkpoint's census
        big = raw("Qwen__Qwen3-VL-235B-A22B-Instruct")
        lm = 2 * 151936 * 4096 + 94 * (2 * 4096 * 8192 + 2 * 4096 * 512 + 256
                                       + 128 * 3 * 4096 * 1536 + 4096 * 128) + 4096 * 189
        self.assertEqual((computed_total(big), entry_from(big)["multimodal_params"]),
                         (lm, tower(4096)))
        self.assertEqual(lm + tower(4096), 235_670_022_896)
        self.assertEqual(computed_active(big), lm - 94 * 120 * 3 * 4096 * 1536)

    def test_gpt_oss_20b_matches_its_checkpoint(self):
        # gpt-oss-20b's config.json (SOURCES.md) by hand: embeddings and head 2 x 201,088 x
        # 2,880; per layer q 4,096 x 2,880 and o 2,880 x 4,096 with biases, k and v 512 x
        # 2,880 with biases, 64 sinks, 32 experts of gate_up 5,760 x 2,880 and down 2,880 x
        # 2,880 with biases, a router 32 x 2,880 with bias, two norms; a final norm
        h = 2880
        experts = 32 * (5760 * h + h * h)
        layer = 2 * 4096 * h + 4096 + h + 2 * (512 * h + 512) + 64 \
            + experts + 32 * (5760 + h) + 32 * h + 32 + 2 * h
        total = 2 * 201088 * h + 24 * layer + h
        self.assertEqual(computed_total(raw("openai__gpt-oss-20b")), total)
        self.assertEqual(total, 20_914_757_184)
        # The checkpoint's tensor census counts the MXFP4 experts as stored: two weights to
        # a uint8, a uint8 scale per 32 weights; by bytes, the rest in bf16
        packed, scales = 24 * experts // 2, 24 * experts // 32
        census = total - 24 * experts + packed + scales
        self.assertEqual(census, 11_956_805_184)
        stored = 2 * (census - packed - scales) + packed + scales
        self.assertEqual(round(stored / 2**30, 2), 12.82)   # the report's "12.82 GB"

    def test_every_fixture_imports_alike_as_transformers_5_writes_it(self):
        # transformers 5 saves a config with its RoPE scaling (and theta) under
        # rope_parameters, the dtype as dtype and, in Qwen's MoE configs, the routed experts
        # as num_local_experts: every fixture so rewritten sizes as its original does
        for path in sorted(CONFIGS.glob("*.json")):
            if path.name.endswith(".index.json"):
                continue
            with self.subTest(path.stem):
                config = raw(path.stem)
                text = config.get("text_config", config)
                if isinstance(text.get("rope_scaling"), dict):
                    text["rope_parameters"] = {**text.pop("rope_scaling"),
                                               "rope_theta": text.pop("rope_theta", 1e4)}
                for where in {id(text): text, id(config): config}.values():
                    if "torch_dtype" in where:
                        where["dtype"] = where.pop("torch_dtype")
                if str(text.get("model_type")).startswith("qwen") and "num_experts" in text:
                    text["num_local_experts"] = text.pop("num_experts")
                before, after = entry_from(raw(path.stem)), entry_from(config)
                for entry in (before, after):
                    entry.pop("source")
                    entry.pop("rope_scaling_source", None)
                self.assertEqual(after, before)

    def test_mimo_v2_matches_its_checkpoint(self):
        # MiMo-V2.5's config.json (SOURCES.md) by hand, against its checkpoint's census: untied
        # embeddings 2 x 152,576 x 4,096; 9 full layers of fused q, k, v 64 x 192 + 4 x 192 +
        # 4 x 128 = 13,568 rows and o 4,096 x 64 x 128; 39 sliding layers of 64 x 192 + 8 x
        # 192 + 8 x 128 = 14,848 rows, the same o and 64 sinks (add_swa_attention_sink_bias);
        # two norms a layer and a final one; layer 0 a dense MLP 3 x 16,384 x 4,096
        # (moe_layer_freq [0, 1, ...]), layers 1-47 256 experts of 3 x 2,048 x 4,096, a
        # router and its noaux_tc bias
        h = 4096
        full, sliding = 13568 * h + h * 8192, 14848 * h + h * 8192 + 64
        moe = 256 * 3 * 2048 * h + 256 * h + 256
        lm = 2 * 152576 * h + 9 * full + 39 * sliding + h * (2 * 48 + 1) \
            + 3 * 16384 * h + 47 * moe
        config = raw("XiaomiMiMo__MiMo-V2.5")
        self.assertEqual(computed_total(config), lm)
        self.assertEqual(computed_active(config), lm - 47 * 248 * 3 * 2048 * h)
        # The census adds, as its tensor table lists them: the vision tower (28 blocks of
        # fused qkv 3,072 x 1,280 and proj 1,280 x 2,048 with biases, gated MLPs 1,280 ->
        # 4,608 with biases, two RMSNorms; 32 sinks in 24 windowed blocks; a patch embedding
        # 1,280 x 3 x 2 x 16 x 16; a merger: norm, 5,120 x 5,120, 4,096 x 5,120), the audio
        # tower (6 layers of 1,024 wide, its norm, a 4,096 -> 16,384 -> 4,096 projection, 20
        # speech embeddings of 1,280 x 1,024), 3 MTP layers and the FP8 block scales
        v, i = 1280, 4608
        block = 3072 * v + 3072 + v * 2048 + v + 2 * (i * v + i) + v * i + v + 2 * v
        vision = 28 * block + 24 * 32 + v * 3 * 2 * 16 * 16 + v + 5120 * 5120 + 4096 * 5120
        a = 1024
        audio = 6 * (4 * a + 3 * a * 4096 + 4 * a * a + a) + a + 2 * 16384 * 4096 \
            + 20 * 1280 * a
        mtp = 3 * (h * 8192 + 5 * h + 3 * 16384 * h + sliding) \
            + 3 * (32 * 128 + 2 * 128 * 32 + 116 * 32)
        scales = 9 * 108 * 32 + 39 * 116 * 32 + 32 * 128 + 2 * 128 * 32 \
            + 47 * 256 * (32 * 16 + 2 * 16 * 32)
        self.assertEqual(lm + vision + audio + mtp + scales, 310_775_040_000)
        # by bytes, the language model and the vision tower (what the estimate counts): FP8
        # but for the 48 o_proj in bf16 (ignored_layers), the fp32 routers and block scales
        # (`scales` holds the language model's), and the embeddings, norms, sinks and tower in
        # bf16; the catalog's measured_weights_gib is that in GiB, two decimals
        wide = 2 * 152576 * h + 48 * h * 8192 + 39 * 64 + h * (2 * 48 + 1)
        routers = 47 * (256 * h + 256)
        nbytes = (lm - wide - routers) + 2 * (wide + vision) + 4 * (routers + scales)
        self.assertEqual(nbytes, 313_319_447_424)
        self.assertEqual(shipped_gib("mimo-v2.5"), round(nbytes / 2**30, 2))
        # the tower is estimated as Qwen2.5-VL's (4 x 1,280^2 of attention with 4 biases of
        # 1,280, a merger with biases, no sinks): 29,952 more than the census's
        self.assertEqual(entry_from(config)["multimodal_params"] - vision,
                         28 * (4 * v - 3072 - v) + 5120 + 4096 - 24 * 32)

    def test_nemotron_nas_counts_each_layers_own_blocks(self):
        # Llama-3.3-Nemotron-Super-49B's block_configs (verbatim) by hand: 49 attention layers
        # of q and o 8,192 x 8,192 and k and v 8,192 x 1,024; 80 gated MLPs of 3 x 8,192 x
        # int(2 x ffn_mult x 8,192 / 3) rounded up to 256: 49 of 5.25 -> 28,672, 10 of 1.3125
        # -> 7,168, 8 of 1.0 -> 5,461 -> 5,632, 6 of 2.625 -> 14,336, 6 of 0.5 -> 2,730 ->
        # 2,816, 1 of 3.28125 -> 17,920; untied embeddings 2 x 128,256 x 8,192; a norm before
        # each of the 49 attentions and the 80 MLPs, and a final one. NVIDIA's model page gives
        # 49.9B parameters.
        h = 8192
        widths = 49 * 28672 + 10 * 7168 + 8 * 5632 + 6 * 14336 + 6 * 2816 + 17920
        total = 49 * (2 * h * h + 2 * h * 1024) + 3 * h * widths + 2 * 128256 * h \
            + (49 + 80 + 1) * h
        config = raw("nvidia__Llama-3_3-Nemotron-Super-49B-v1")
        self.assertEqual(computed_total(config), total)
        self.assertEqual(computed_active(config), total)
        self.assertEqual(round(total / 1e9, 1), 49.9)
        entry = entry_from(config)
        # the step runs through all 80 layers, 49 of which keep KV
        self.assertEqual((entry["num_layers"], entry["step_layers"]), (49, 80))
        self.assertEqual(entry["rope_scaling"], "llama3:8")

    def test_mimo_v2_flash_is_mimo_v2_5s_language_model(self):
        # MiMo-V2-Flash, the first MiMo-V2 (model_type mimo_v2_flash, which SGLang's
        # MiMoV2FlashForCausalLM serves as MiMoV2ForCausalLM), has MiMo-V2.5's text shapes and
        # no towers: the 308,778,780,864 parameters counted by hand above and matched to
        # V2.5's census, of which 47 MoE layers x 248 idle experts x 3 x 2,048 x 4,096 are
        # not active: 15,445,936,320 (Xiaomi's model card: 309B total, 15B active); context
        # 262,144 (max_position_embeddings)
        entry = entry_from(raw("XiaomiMiMo__MiMo-V2-Flash"))
        self.assertEqual(computed_total(raw("XiaomiMiMo__MiMo-V2-Flash")), 308_778_780_864)
        self.assertEqual(computed_active(raw("XiaomiMiMo__MiMo-V2-Flash")),
                         308_778_780_864 - 47 * 248 * 3 * 2048 * 4096)
        self.assertEqual(entry["max_position_embeddings"], 262144)
        self.assertNotIn("multimodal_params", entry)

    def test_qwen3_coder_480b_by_hand(self):
        # Qwen3-Coder-480B-A35B-Instruct: untied embedding and head 2 x 151,936 x 6,144; 62
        # layers of q 96 x 128 = 12,288 and o over hidden 6,144, k and v 8 x 128 = 1,024,
        # q_norm and k_norm of 128, two norms, a router of 160 x 6,144 and 160 experts of
        # 3 x 6,144 x 2,560; the final norm. 152 of the 160 experts idle: 35.47 B active
        # (the model card, as NVIDIA's NIM reference quotes it: 480B total, 35B activated)
        h, expert = 6144, 3 * 6144 * 2560
        layer = h * (12288 + 1024 + 1024) + 12288 * h + 2 * 128 + 2 * h + 160 * h \
            + 160 * expert
        total = 62 * layer + 2 * 151936 * h + h
        self.assertEqual(total, 480_154_875_392)
        config = raw("Qwen__Qwen3-Coder-480B-A35B-Instruct")
        self.assertEqual(computed_total(config), total)
        self.assertEqual(computed_active(config), total - 62 * 152 * expert)
        self.assertEqual(shipped("qwen3-coder-480b-a35b", "total_params_billion"), 480.15)
        self.assertEqual(entry_from(config)["max_position_embeddings"], 262144)

    def test_qwen3_8b_by_hand(self):
        # Qwen3-8B: untied 2 x 151,936 x 4,096; 36 layers of q and o 2 x 4,096^2, k and v
        # 2 x 4,096 x 1,024, q_norm and k_norm of 128, MLP 3 x 4,096 x 12,288, two norms; the
        # final norm. The model card: 8.2B parameters, 6.95B of them not embeddings
        # (8,190,735,360 - 1,244,659,712 = 6,946,075,648)
        h = 4096
        layer = 2 * h * h + 2 * h * 1024 + 2 * 128 + 3 * h * 12288 + 2 * h
        total = 36 * layer + 2 * 151936 * h + h
        self.assertEqual(total, 8_190_735_360)
        self.assertEqual(total - 2 * 151936 * h, 6_946_075_648)
        self.assertEqual(computed_total(raw("Qwen__Qwen3-8B")), total)
        self.assertEqual(computed_active(raw("Qwen__Qwen3-8B")), total)

    def test_llama_4_maverick_by_hand(self):
        # Llama 4 Maverick's text_config: untied 2 x 202,048 x 5,120; 48 layers of q and o
        # 2 x 5,120^2, k and v 2 x 5,120 x 1,024 (use_qk_norm false: no norm weights), two
        # norms; interleave_moe_layer_step 2: 24 dense layers of 3 x 5,120 x 16,384
        # (intermediate_size_mlp) and 24 MoE layers of a router 128 x 5,120, a shared expert
        # and 128 experts of 3 x 5,120 x 8,192 (intermediate_size), one routed per token;
        # the final norm. Meta: 400B total (with the vision encoder), 17B active
        h, expert = 5120, 3 * 5120 * 8192
        attention = 2 * h * h + 2 * h * 1024 + 2 * h
        total = 48 * attention + 24 * 3 * h * 16384 + 24 * (128 * h + 129 * expert) \
            + 2 * 202048 * h + h
        self.assertEqual(total, 400_711_848_960)
        config = raw("meta-llama__Llama-4-Maverick-17B-128E-Instruct")
        self.assertEqual(computed_total(config), total)
        self.assertEqual(computed_active(config), total - 24 * 127 * expert)
        # the dense part expert parallelism does not split: dense layers and shared experts
        self.assertEqual(entry_from(config)["dense_mlp_params"],
                         24 * 3 * h * 16384 + 24 * expert)

    def test_qwen3_5_122b_a10b_by_hand(self):
        # Qwen3.5-122B-A10B (hidden 3,072): untied 2 x 248,320 x 3,072; 36 Gated DeltaNet
        # layers of in_proj_qkv 3,072 x (2 x 16 x 128 + 64 x 128 = 12,288), in_proj_z
        # 3,072 x 8,192, in_proj_b and in_proj_a 3,072 x 64, a conv of 12,288 x 4, dt_bias and
        # A_log of 64, a norm of 128 and out_proj 8,192 x 3,072; 12 gated attention layers of
        # q 3,072 x 2 x 32 x 256, k and v 3,072 x 2 x 256, o 8,192 x 3,072, q_norm and k_norm
        # of 256; in all 48 a router 256 x 3,072, 256 experts and a shared one of 3 x 3,072 x
        # 1,024, a shared-expert gate of 3,072 and two norms; the final norm. 248 experts of
        # 256 idle a token: 9.77 B active (the model card: 122B total, 10B active)
        h, expert = 3072, 3 * 3072 * 1024
        linear = h * (12288 + 8192 + 64 + 64) + 12288 * 4 + 64 + 64 + 128 + 8192 * h
        full = h * 2 * 32 * 256 + 2 * h * 512 + 8192 * h + 2 * 256
        moe = 256 * h + 257 * expert + h + 2 * h
        total = 36 * linear + 12 * full + 48 * moe + 2 * 248320 * h + h
        self.assertEqual(total, 122_111_526_912)
        config = raw("Qwen__Qwen3.5-122B-A10B")
        entry = entry_from(config)
        self.assertEqual(computed_total(config), total)
        self.assertEqual(computed_active(config), total - 48 * 248 * expert)
        # its MTP layer: fc 2 x 3,072 -> 3,072, one gated attention MoE layer, the
        # pre_fc_norm_embedding, pre_fc_norm_hidden and final norms
        self.assertEqual(entry["mtp_params"], 2 * h * h + full + moe + 3 * h)
        self.assertEqual(entry["mtp_expert_params"], 256 * expert)
        # its vision tower (Qwen3.5-35B-A3B's 27 blocks 1,152 wide, merged to 3,072)
        v, i, wide = 1152, 4304, 4608
        block = 4 * v * v + 4 * v + 2 * 2 * v + 2 * v * i + i + v
        tower = 27 * block + 3 * 2 * 16 * 16 * v + v + 2304 * v + 2 * v + wide * wide \
            + wide + wide * h + h
        self.assertEqual(entry["multimodal_params"], tower)
        # all of it in bf16 is the 250 GB a public requantization gives for the original
        self.assertEqual(round(2 * (total + entry["mtp_params"] + tower) / 1e9), 250)

    def test_nemotron_3_super_by_hand(self):
        # Nemotron 3 Super (88 blocks, hidden 4,096): untied 2 x 131,072 x 4,096; 40 Mamba-2
        # blocks of in_proj 4,096 x (2 x 8,192 + 2 x 8 x 128 + 128 = 18,560) (d_inner 128
        # heads x 64), a conv of (8,192 + 2,048) x 4 with its bias, dt_bias, A_log and D of
        # 128, a gated norm of 8,192 and out_proj 8,192 x 4,096; 8 attention blocks of q and o
        # 2 x 4,096^2, k and v 2 x 4,096 x 2 x 128; 40 LatentMoE blocks (by hand in
        # test_latent_moe_experts_work_in_the_latent_width: 2,873,098,752 each); a norm per
        # block and the final one. llama.cpp counts 120,668,707,840 (model_n_params of a GGUF
        # conversion, printed by llama-bench in a public benchmark note); the card: 120B total
        h = 4096
        mamba = h * 18560 + 10240 * 4 + 10240 + 3 * 128 + 8192 + 8192 * h
        attention = 2 * h * h + 2 * h * 256
        moe = 2873098752
        total = 40 * mamba + 8 * attention + 40 * moe + 2 * 131072 * h + 89 * h
        self.assertEqual(total, 120_668_707_840)
        config = raw("nvidia__NVIDIA-Nemotron-3-Super-120B-A12B-FP8")
        self.assertEqual(computed_total(config), total)
        # 490 of the 512 experts idle a token (up and down 1,024 x 2,688 each); without the
        # input embedding the active part is the card's 12B
        active = total - 40 * 490 * 2 * 1024 * 2688
        self.assertEqual(computed_active(config), active)
        self.assertEqual(round((active - 131072 * h) / 1e9), 12)

    def test_nemotron_3_super_catalog_entry_is_the_fp8_checkpoint(self):
        # The entry is the FP8 checkpoint's: its config.json says bfloat16 (the FP8 format is
        # in hf_quant_config.json, quant_algo FP8), so the import reads bf16 and the catalog
        # says fp8. Apart from that the import sizes as the entry does.
        catalogs = shipped_catalogs()
        entry = sizing.find_entry(catalogs.models, "nemotron-3-super-120b-a12b", "model",
                                  "models.json")
        imported = model_from(raw("nvidia__NVIDIA-Nemotron-3-Super-120B-A12B-FP8"))
        self.assertEqual((imported.weight_precision, entry.weight_precision), ("bf16", "fp8"))
        self.assertEqual(imported.max_position_embeddings, entry.max_position_embeddings)
        for context in (1000, 131072):
            self.assertEqual(
                sizing.kv_breakdown(imported.layer_groups, context, "bf16").per_session_bytes,
                sizing.kv_breakdown(entry.layer_groups, context, "bf16").per_session_bytes)
        server = sizing.find_entry(catalogs.servers, "dgx-h100", "server", "servers.json")
        work = sizing.Workload(500, 32768, "fp8", 0.7, 120.0, 0.2, "n+1")
        nodes = [[s.nodes_final for s in sizing.plan_scenarios(m, server, work).scenarios]
                 for m in (imported._replace(weight_precision="fp8"), entry)]
        self.assertEqual(nodes[0], nodes[1])

    def test_nemotron_3_ultra_by_hand(self):
        # Nemotron 3 Ultra (108 blocks, hidden 8,192): untied 2 x 131,072 x 8,192; 48 Mamba-2
        # blocks of in_proj 8,192 x (2 x 16,384 + 2 x 8 x 128 + 256 = 35,072) (d_inner 256
        # heads x 64), a conv of (16,384 + 2,048) x 4 with its bias, dt_bias, A_log and D of
        # 256, a gated norm of 16,384 and out_proj 16,384 x 8,192; 12 attention blocks of q and
        # o 2 x 8,192^2, k and v 2 x 8,192 x 2 x 128; 48 LatentMoE blocks of a router 512 x
        # 8,192 with its 512 correction biases, the projections to the 2,048-wide latent and
        # back 2 x 8,192 x 2,048, 512 experts of up and down 2,048 x 5,120 and a shared expert
        # 2 x 8,192 x 10,240; a norm per block and the final one. The card: 550B total, 55B
        # active; 490 of the 512 experts idle a token
        h, expert = 8192, 2 * 2048 * 5120
        mamba = h * 35072 + 18432 * 4 + 18432 + 3 * 256 + 16384 + 16384 * h
        attention = 2 * h * h + 2 * h * 256
        moe = 512 * h + 512 + 2 * h * 2048 + 512 * expert + 2 * h * 10240
        total = 48 * mamba + 12 * attention + 48 * moe + 2 * 131072 * h + 109 * h
        self.assertEqual(total, 549_308_993_536)
        config = raw("nvidia__NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16")
        self.assertEqual(computed_total(config), total)
        active = total - 48 * 490 * expert
        self.assertEqual(computed_active(config), active)
        self.assertEqual((round(total / 1e10), round((active - 131072 * h) / 1e9)), (55, 55))
        self.assertEqual(shipped("nemotron-3-ultra-550b-a55b", "total_params_billion"), 549.31)

    def test_gemma_4_26b_a4b_matches_its_checkpoint(self):
        # the Hub's safetensors index of google/gemma-4-26B-A4B-it counts 25,805,936,206
        # parameters (a public listing of the Hub API's figures for the Gemma 4 family): the
        # language model and the vision tower the import counts, exactly
        entry = entry_from(raw("google__gemma-4-26B-A4B"))
        self.assertEqual(computed_total(raw("google__gemma-4-26B-A4B"))
                         + entry["multimodal_params"], 25_805_936_206)
        self.assertIn("google/gemma-4-26B-A4B-it", shipped("gemma-4-26b-a4b", "aliases"))

    def test_mimo_v2_5_pro_matches_its_checkpoint(self):
        # MiMo-V2.5-Pro's config.json (SOURCES.md) by hand, against its checkpoint's census:
        # untied embeddings 2 x 152,576 x 6,144; 70 layers of fused q, k, v 128 x 192 + 8 x
        # 192 + 8 x 128 = 27,136 rows and o 6,144 x 128 x 128, 60 of them sliding with 128
        # sinks; two norms a layer and a final one; layer 0 a dense MLP 3 x 16,384 x 6,144,
        # layers 1-69 384 experts of 3 x 2,048 x 6,144, a router and its noaux_tc bias
        h = 6144
        attention = 27136 * h + h * 16384
        moe = 384 * 3 * 2048 * h + 384 * h + 384
        lm = 2 * 152576 * h + 70 * attention + 60 * 128 + h * (2 * 70 + 1) \
            + 3 * 16384 * h + 69 * moe
        config = raw("XiaomiMiMo__MiMo-V2.5-Pro")
        self.assertEqual(computed_total(config), lm)
        self.assertEqual(computed_active(config), lm - 69 * 376 * 3 * 2048 * h)
        # The census adds 3 MTP layers (eh_proj 6,144 x 12,288, five norms, a dense MLP, a
        # sliding attention layer with its sinks) and the FP8 block scales (128 x 128 blocks:
        # 216 x 48 per qkv_proj, 73 of them; the dense MLPs' 3 x 128 x 48, 4 of them; 16 x
        # 48 x 3 per expert)
        mtp = 3 * (h * 12288 + 5 * h + 3 * 16384 * h + attention + 128)
        scales = 73 * 216 * 48 + 4 * 3 * 128 * 48 + 69 * 384 * 3 * 16 * 48
        self.assertEqual(lm + mtp + scales, 1_023_244_718_976)
        # by bytes without the MTP layers: FP8 but for the 70 o_proj in bf16 (ignored_layers),
        # the fp32 routers and block scales, and the embeddings, norms and sinks in bf16;
        # the catalog's measured_weights_gib is that in GiB, two decimals
        lm_scales = scales - 3 * (216 * 48 + 3 * 128 * 48)
        wide = 2 * 152576 * h + 70 * h * 16384 + 60 * 128 + h * (2 * 70 + 1)
        routers = 69 * (384 * h + 384)
        nbytes = (lm - wide - routers) + 2 * wide + 4 * (routers + lm_scales)
        self.assertEqual(nbytes, 1_030_905_902_592)
        self.assertEqual(shipped_gib("mimo-v2.5-pro"), round(nbytes / 2**30, 2))

    def test_projections_kept_wide_are_noted(self):
        # MiMo-V2.5-Pro's FP8 checkpoint keeps o_proj in bf16: 70 layers and the MTP decoder
        # (ignored_layers), counted at fp8 by the estimate, which says so; MiniMax-M2.7 keeps
        # only its routers (gate, e_score_correction_bias) and the LM head wide: no note
        pro = entry_from(raw("XiaomiMiMo__MiMo-V2.5-Pro"))
        self.assertIn("quantization_config.ignored_layers keeps 71 projections unquantized "
                      "(model.layers.0.self_attn.o_proj, ...), counted here at fp8",
                      pro["source"])
        minimax = entry_from(raw("MiniMaxAI__MiniMax-M2.7"))
        self.assertNotIn("unquantized", minimax["source"])

    def test_transformers_5_spellings(self):
        # transformers 5 saves Qwen's MoE configs with num_local_experts (Qwen3MoeConfig's
        # attribute_map) and a RoPE scaling as rope_parameters: Qwen3-30B-A3B so written
        # still counts its 128 experts (30,532,122,624 parameters, as above), and its YaRN
        # is read. Read as dense it would have been 48 layers of one 3 x 2,048 x 6,144 MLP.
        config = raw("Qwen__Qwen3-30B-A3B")
        config["num_local_experts"] = config.pop("num_experts")
        config.pop("rope_scaling", None)
        config["rope_parameters"] = {"rope_type": "yarn", "factor": 4.0, "rope_theta": 1e6,
                                     "original_max_position_embeddings": 32768}
        self.assertEqual(computed_total(config), 30_532_122_624)
        entry = entry_from(config)
        self.assertEqual((entry["num_experts"], entry["rope_scaling"],
                          entry["rope_original_max_position_embeddings"],
                          entry["rope_scaling_enabled"]), (128, "yarn:4", 32768, True))
        self.assertTrue(entry["rope_scaling_source"].startswith("rope_parameters in"))
        # "default" (what transformers 5 writes without a scaling) changes no limit
        config["rope_parameters"] = {"rope_type": "default", "rope_theta": 1e6}
        self.assertNotIn("rope_scaling", entry_from(config))
        # Gemma 3 (transformers 5 keeps one RoPE per layer type): the global layers' linear
        # scaling by 8 is the one read, as transformers 4's rope_scaling gave it
        gemma = raw("google__gemma-3-27b-it")
        v4 = entry_from(gemma)
        gemma["text_config"]["rope_parameters"] = {
            "full_attention": gemma["text_config"].pop("rope_scaling"),
            "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}
        self.assertEqual((entry_from(gemma)["rope_scaling"], v4["rope_scaling"]),
                         ("linear:8", "linear:8"))
        # a refusal names the key as the config spells it
        config["num_local_experts"] = 4
        self.assertIn("num_experts_per_tok must not exceed the number of experts, "
                      "num_local_experts (8 > 4)", import_error(config))
        # with neither spelling, transformers would fill in its class default (128 here):
        # refused rather than read as dense
        del config["num_local_experts"]
        self.assertIn("num_experts is missing", import_error(config))

    def test_granite_4_h_without_experts(self):
        # A dense Granite 4.0-H keeps only its shared MLP: num_local_experts 0 drops, from each
        # of granite-4.0-h-small's 40 layers, 72 experts x 3 x 4,096 x 768 = 679,477,248 and
        # the router 4,096 x 72 = 294,912; of the active, 10 experts (94,371,840) + the router.
        config = raw("ibm-granite__granite-4.0-h-small")
        total, active = computed_total(config), computed_active(config)
        config.update(num_local_experts=0, num_experts_per_tok=0)
        self.assertEqual(total - computed_total(config), 40 * (679477248 + 294912))
        self.assertEqual(active - computed_active(config), 40 * (94371840 + 294912))
        self.assertNotIn("num_experts", entry_from(config))

    def test_qwen2_moe_shared_expert_and_biases(self):
        # Qwen3-30B-A3B read as qwen2_moe with a 512-wide shared expert, per layer:
        # shared expert 3 x 2,048 x 512 + its 2,048-weight gate = 3,147,776; q, k, v biases
        # 32 x 128 + 2 x 4 x 128 = 5,120; no q/k norms (-2 x 128). x 48 layers.
        config = raw("Qwen__Qwen3-30B-A3B")
        base = computed_total(config)
        config.update(model_type="qwen2_moe", shared_expert_intermediate_size=512)
        self.assertEqual(computed_total(config) - base, 48 * (3147776 + 5120 - 256))


if __name__ == "__main__":
    unittest.main()
