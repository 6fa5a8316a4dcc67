#!/usr/bin/env python3
"""Size GPU nodes for LLM inference from the KV cache each session keeps in HBM.

Given a model (models.json), a server (servers.json), a storage profile (storage.json) and the
workload's non-functional requirements, compute how many nodes serve the target concurrency in
three scenarios (MINIMUM, RECOMMENDED, IDEAL), explain every number, and flag the risks.

Examples:
    python3 sizing.py --model gpt-oss-120b --server dgx-b300 --concurrency 1000 \\
        --effective-context 128k
    python3 sizing.py --model llama-3.1-70b --server dgx-h200 --concurrency 500 \\
        --effective-context 32k --kv-precision fp8 --format json | python3 -m json.tool
    python3 sizing.py --model qwen3-32b --server mi300x --concurrency 2000 \\
        --effective-context 32768 --ha-mode n+2 --output-json-file plan.json
    python3 sizing.py --list models
    python3 sizing.py --import-hf-config org__Model.json --add-to-catalog

Formulas (per scenario; GiB = 2**30 bytes, vendor GB = 10**9 bytes, 128k = 131,072 tokens):
    kv_per_session_bytes = 2 (K and V) x kv_heads x head_dim x bytes_per_element
                           x (full_layers x context + sliding_layers x min(context, window))
                           for the methodology's models; in general the sum over layer groups
                           of bytes per token x tokens kept (full, MLA: context; sliding,
                           chunked: min(context, window)) plus fixed state (linear, Mamba)
    kv_total_bytes       = kv_per_session_bytes x concurrency
    kv_budget_per_node   = (total_hbm_gb x 10**9 / 2**30 - runtime_overhead_gib) x kv_budget_ratio
    sessions_per_node    = floor(kv_budget_per_node / kv_per_session)
    nodes_capacity       = ceil(concurrency / sessions_per_node)
    nodes_with_headroom  = ceil(concurrency x (1 + peak_headroom_ratio) / sessions_per_node)
    nodes_final          = nodes_with_headroom + HA extra nodes (none 0, n+1 1, n+2 2)

Scenarios:
    MINIMUM      headroom 0, HA none, budget ratio as given
    RECOMMENDED  headroom as given (0.20), HA as given (n+1), budget ratio as given
    IDEAL        headroom max(given, 0.30), HA n+2, budget ratio min(given, 0.65)

Exit codes:
    0  sized; 1  bad catalog, data or output file; 2  bad usage;
    3  a scenario cannot be sized (not even one session fits a node); the report is still printed.
"""


# ======================================================== imports, version
# Only what a sizing run needs is imported here; a mode that needs more (difflib for name hints,
# tempfile for output files, re for logs, textwrap for the text report) imports it itself.
from __future__ import annotations

import argparse
import collections
import functools
import json
import math
import os
import sys
from fractions import Fraction
from collections import namedtuple
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

if __name__ == "__main__":      # a run is short: cyclic garbage collection would only cost time
    import gc
    gc.disable()

__version__ = "1.1.0"
SCHEMA_VERSION = "1.0"

# ======================================================== units and constants
# Owns: units, defaults and thresholds, each with where it comes from. Calls nothing.
BYTES_PER_GIB = 2**30
BYTES_PER_TIB = 2**40
BYTES_PER_GB = 10**9          # vendors' GB (HBM capacity, storage throughput)
TOKENS_PER_K = 1024           # "128k" context = 131,072 tokens

KV_BYTES_PER_ELEMENT = {"fp8": 1, "int8": 1, "fp16": 2, "bf16": 2}

# Bytes per parameter of the stored weights. Block-scaled 4-bit formats carry one 8-bit scale per
# block: MXFP4 (OCP MX spec) 32 values + E8M0 scale = 4.25 bits; NVFP4 16 values + FP8 scale =
# 4.5 bits (its per-tensor FP32 scale is negligible). INT4 is AWQ's and GPTQ's layout at their
# usual group of 128 input weights: an fp16 scale and a packed 4-bit zero point per group and
# output (vLLM awq.py and gptq.py create_weights: qweight, qzeros and scales, int32-packed
# 8 to a word) = 4 + 20 / 128 = 4.15625 bits; GPTQ's g_idx (4 bytes per input row) is
# negligible. Symmetric compressed-tensors checkpoints store no zero points (4.125 bits).
WEIGHT_BYTES_PER_PARAM = {
    "fp32": Fraction(4), "bf16": Fraction(2), "fp16": Fraction(2), "fp8": Fraction(1),
    "int8": Fraction(1), "int4": Fraction(133, 256), "mxfp4": Fraction(17, 32),
    "nvfp4": Fraction(9, 16),
}
# An EAGLE draft's weights (--speculative-draft-params): 16-bit, as EAGLE heads are published
# (EAGLE3 for Llama-3.1-8B: "torch_dtype": "float16"), whatever the target's precision.
DRAFT_PRECISION = "bf16"

# Which layers a quantized checkpoint stores in its weight_precision: every linear layer but the
# embeddings ("all": FP8, AWQ, GPTQ, NVFP4 checkpoints), or only the routed experts, the rest in
# bf16 ("experts": gpt-oss, whose quantization_config leaves attention, router and embeddings).
QUANTIZED_LAYERS = ("all", "experts")
# What one server entry is bought as: a node, or a rack that is one NVLink domain (NVL72).
SERVER_UNITS = ("node", "rack")

# "full", "sliding" and "hybrid" are the methodology's compact forms; "layers" lists layer groups.
ATTENTION_PATTERNS = ("full", "sliding", "hybrid", "layers")

# Engines keep recurrent state in the model dtype by default (vLLM mamba_cache_dtype="auto");
# fp32 is the usual override. --kv-precision does not change it.
STATE_BYTES_PER_ELEMENT = {"fp32": 4, "bf16": 2, "fp16": 2}
HA_EXTRA_NODES = {"none": 0, "n+1": 1, "n+2": 2}

DEFAULT_KV_BUDGET_RATIO = 0.70
DEFAULT_RUNTIME_OVERHEAD_GIB = 120.0
DEFAULT_PEAK_HEADROOM_RATIO = 0.20
DEFAULT_HA_MODE = "n+1"

# Alert thresholds (documented in README "Alerts").
BUDGET_RATIO_RISKY = 0.75        # above this, fragmentation and allocator failures get likely
LOW_SESSIONS_PER_NODE = 50       # below this, one node's loss or a long prompt moves a lot
MANY_NODES = 20                  # above this, revisit NFRs or the model
SMALL_SCENARIO_GAP_RATIO = 0.20  # RECOMMENDED within 20% of MINIMUM: resilience is cheap
COLD_START_MAX_SECONDS = 60.0    # a replacement node should load weights within a minute
# Human silent reading of English non-fiction: 238 words per minute (Brysbaert 2019, "How many
# words do we read per minute?", Journal of Memory and Language 109); at about 4 tokens per 3
# words (OpenAI's rule of thumb, 100 tokens ~ 75 words) that is 238 / 60 x 4 / 3 = 5.3 tokens/s.
# A plan without a speed target whose users get fewer tokens than they read is flagged.
READING_TOKENS_PER_SECOND = 5.3
KV_RESTORE_MAX_SECONDS = 1.0     # restoring a session's KV slower than 1 s is felt as TTFT

# Engine view: what an inference engine really allocates, per GPU. Sources: the team's
# engine_kv_accounting.md (vLLM v1 gpu_worker.py / kv_cache_utils.py, SGLang model_runner.py)
# and the llm-d H100 measurements in engine_cases_public.csv.
MEMORY_MODELS = ("both", "pooled", "engine")
ENGINES = ("vllm", "sglang", "trtllm")
# The GPU vendors each engine runs on: vLLM and SGLang build for NVIDIA (CUDA) and AMD (ROCm:
# Instinct MI300X, MI325X, MI355X in their installation guides); TensorRT-LLM is NVIDIA's, for
# NVIDIA GPUs only. A server without a gpu_family is not refused.
ENGINE_VENDORS = {"vllm": ("nvidia", "amd"), "sglang": ("nvidia", "amd"), "trtllm": ("nvidia",)}
# Weight or KV formats an engine runs on some GPU families only. TensorRT-LLM's support matrix
# (docs, reference/support-matrix: Ampere runs FP32, FP16, BF16, INT8 and INT4, no FP8) and
# NVIDIA Model Optimizer's, whose checkpoints it serves (FP4: Blackwell and later). vLLM serves
# FP8 and NVFP4 checkpoints on older GPUs with weight-only kernels, so it is not limited here.
ENGINE_FORMAT_FAMILIES = {("trtllm", "fp8"): ("ada", "hopper", "blackwell"),
                          ("trtllm", "nvfp4"): ("blackwell",)}
# How the reports name each engine in prose (engine_label); flags, the JSON and the catalogs
# keep the id above.
ENGINE_LABELS = {"vllm": "vLLM", "sglang": "SGLang", "trtllm": "TensorRT-LLM"}
VENDOR_LABELS = {"nvidia": "NVIDIA", "amd": "AMD"}
DEFAULT_GPU_MEMORY_UTILIZATION = 0.90     # vLLM: share of TOTAL GPU memory for the instance
DEFAULT_FREE_GPU_MEMORY_FRACTION = 0.90   # TRT-LLM: share of what its profile run leaves
DEFAULT_BLOCK_SIZE = {"vllm": 16, "sglang": 1, "trtllm": 32}    # tokens per KV page
# TRT-LLM's capacity scheduler policies (SchedulerConfig.capacity_scheduler_policy, docs
# performance-tuning-guide/useful-runtime-flags). The default, GUARANTEED_NO_EVICT, admits a
# request only with KV blocks reserved for its prompt and its whole output, so a started request
# is never paused: a running request holds its full context from its first step.
# MAX_UTILIZATION packs requests as their tokens come and pauses some when the pool runs dry, as
# vLLM and SGLang allocate pages (preempting or retracting): a running session holds its mean
# context.
TRTLLM_CAPACITY_POLICIES = ("guaranteed_no_evict", "max_utilization")
# vLLM's batch limits when not given: its API server's defaults (vllm/engine/arg_utils.py,
# EngineArgs.get_batch_defaults): on a GPU of at least 70 GiB that is not an A100 ("a100" not in
# the device name: PR #17885 found the larger budget slower there) 8,192 tokens per step
# (max_num_batched_tokens) and 1,024 sequences (max_num_seqs), else 2,048 and 256.
DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192
SMALL_GPU_MAX_NUM_BATCHED_TOKENS = 2048
DEFAULT_MAX_NUM_SEQS = 1024
SMALL_GPU_MAX_NUM_SEQS = 256
LARGE_GPU_MIN_GIB = 70
# vLLM's activation peak is what its profile run allocates (v1 gpu_model_runner.profile_run): a
# forward pass over max_num_batched_tokens tokens, then the sampler over one row per request,
# max_num_seqs rows of logits over the whole vocabulary (all-gathered on every tensor-parallel
# rank) with the sorts and copies top-k / top-p and log-probs make. The peak is the larger:
# - sampler: max_num_seqs x vocab x 38.9 bytes. The six llm-d H100 vLLM runs (C01, C03,
#   C05-C08: 1,024 sequences, 4.76-7.38 GiB logged) give 38.4-39.6 bytes per logit, mean 38.9;
#   vLLM 0.10.2 serving Qwen3-235B-A22B-FP8 on 8x L40S (256 sequences, tests/fixtures/logs)
#   logs 1.40 GiB where this gives 1.41, and Qwen3-Next-80B-A3B on 2x H200 (1,024 sequences)
#   5.58 where this gives 5.64. These are PyTorch's sort-based top-k / top-p; a vLLM with
#   FlashInfer installed (it logs "Using FlashInfer for top-p & top-k sampling") holds less,
#   12.8-17 bytes per logit in two vLLM 0.11.0 logs (README "Engine mode"): the rule errs on
#   the safe side there, and a log or --activation-gib gives the figure.
# - forward: batched tokens x hidden x 30 bytes (about 15 bf16 hidden-wide buffers live at once:
#   the MLP's gate and up outputs and their product at ~3.5x hidden, the residual, the norm, the
#   attention's qkv and output); a public vLLM 0.10.2 log of llava-v1.6-mistral-7b on one H100
#   (16,384 tokens, where the sampler's 1.19 GiB is the smaller) logs 1.97 GiB where this gives
#   1.88. A mixture of experts adds its fused-MoE caches, batched tokens x experts per token x
#   hidden x 2 bytes x 1.72 (not checked against a log where it would decide the peak).
# Without vocab_size the median 5.6 GiB. TRT-LLM's profile run (its PyTorch backend,
# KvCacheCreator._create_dummy_context_requests) is prompts summing to max_num_tokens that
# generate one token each, so only the forward term applies: TRT-LLM 1.1 logs 0.85 GiB "allocated
# during inference" for gpt-oss-120b where it gives 0.96 (tests/test_engine.py).
ACTIVATION_SAMPLER_BYTES = 38.9           # per logit row entry: max_num_seqs x vocab
# With FlashInfer's sampler (--flashinfer-sampler) the peak is what its path holds per logit,
# worked from vLLM's v1 sampler and flashinfer_sample: the bf16 logits (2 bytes), their fp32
# copy (4), top_k_top_p_sampling_from_logits's top-k-masked copy (4) and its softmax (4), no
# sort: 14 bytes. Two vLLM 0.11.0 logs imply at most 12.8 (its log says FlashInfer samples) and
# 17.0 (a multimodal run whose log is not quoted).
ACTIVATION_SAMPLER_FLASHINFER_BYTES = 14
ACTIVATION_FORWARD_BYTES = 30             # per batched token per hidden unit
ACTIVATION_MOE_FACTOR = 1.72
ACTIVATION_FALLBACK_GIB = 5.6
# Non-torch memory (CUDA context, NCCL, cuBLAS): 0.13 GiB at TP 1, 0.54-0.55 GiB at TP 2 in the
# same runs (NCCL and custom all-reduce buffers); larger TP is assumed to cost the same.
RESERVE_GIB_TP1 = 0.13
RESERVE_GIB_TP = 0.55
# SGLang and TRT-LLM measure what their budgets leave out against the whole device, so the CUDA
# context and the distributed start-up count where vLLM's non-torch figure leaves them out.
# SGLang sizes its pool against the memory free after them (model_runner.py
# profile_max_num_token: rest = free after loading - total x (1 - mf), total measured after
# init_torch_distributed), so they never enter its budget; TRT-LLM subtracts them with its peak
# (_torch/pyexecutor/_util.py KvCacheCreator: peak = torch's peak + total - free - torch's
# current, "Memory used outside torch"). 0.61 GiB alone (the CUDA context: the llm-d H100 runs
# at TP 1 start with 78.57 of 79.18 GiB free) and 1.54 GiB with tensor parallelism (their TP 2
# run, C03, starts with 77.64 free, its NCCL initialised); measured in vLLM's start-up, which
# initialises NCCL the same way; larger TP is assumed to cost the same.
STARTUP_GIB_TP1 = 0.61
STARTUP_GIB_TP = 1.54
# SGLang's defaults by the GPU's memory (server_args._handle_gpu_memory_settings, CUDA GPUs):
# (below this many GiB, chunked_prefill_size, cuda_graph_max_bs at TP < 4, at TP >= 4); above
# the last, 16,384 and 512. Its default --mem-fraction-static (PR #10975) is then
# round((memory - reserved) / memory, 3) with reserved MiB = 512 + max(chunked_prefill_size,
# 2048) x 1.5 + cuda_graph_max_bs x 2 + tp x pp / 8 x 1024 (+ cuda_graph_max_bs x dp x 3 with
# data-parallel attention, x 4.5 above 300), at least 10 GiB on GPUs over 60 GiB.
SGLANG_GPU_DEFAULTS = ((20, 2048, 8, 8), (35, 2048, 24, 80), (60, 4096, 32, 160),
                       (160, 8192, 256, 512))
SGLANG_LARGE_GPU_DEFAULTS = (16384, 512, 512)
SGLANG_SPECULATIVE_RESERVE_MIB = 2048    # the same function, with an EAGLE or MTP draft
# SGLang gives sliding-window (and Llama 4's chunked) layers a pool of their own only for these
# architectures (srt/configs/model_config.py is_hybrid_swa_model; Gemma 4 in later releases);
# for any other every layer keeps the whole context (sgl-project/sglang model_config.py at
# 001adf5 also lists DeepSeek-V4, which the importer refuses, and lets a text config opt in
# with is_hybrid_swa, which no catalog model does). The window pool holds
# swa_full_tokens_ratio as many tokens as the full one (server_args.py default 0.8).
SGLANG_HYBRID_SWA_ARCHS = frozenset({
    "GptOssForCausalLM", "Llama4ForConditionalGeneration", "MiMoV2FlashForCausalLM",
    "MiMoV2ForCausalLM", "Step3p5ForCausalLM", "Step3p7ForConditionalGeneration",
    "Gemma4ForCausalLM", "Gemma4ForConditionalGeneration",
    "Gemma4UnifiedForConditionalGeneration", "LagunaForCausalLM"})
SGLANG_SWA_FULL_TOKENS_RATIO = 0.8
# Architectures whose layers SGLang all gives KV rows, with attention or not: its ModelConfig
# counts num_hidden_layers as num_attention_layers (srt/configs/model_config.py; nemotron-nas
# has a case in get_total_num_kv_heads only), and the pool's cell per token is that many
# layers' K and V. Nemotron-NAS's layers without attention (31 of
# Llama-3.3-Nemotron-Super-49B's 80) keep rows they never use; vLLM gives rows to the layers
# that build an Attention module only (models/nemotron_nas.py DeciLMDecoderLayer), and
# TensorRT-LLM reads Nemotron-NAS's KV heads per layer (num_kv_heads_per_layer), none for those.
SGLANG_EVERY_LAYER_KV_ARCHS = frozenset({"DeciLMForCausalLM"})
# The window-pool ratios sglang_window_pool_alternative tries, from SGLang's default down to
# 0.01 (the smallest the catalog and engine logs are read at), and the gain in sessions per
# replica it takes to say so (a quarter: less is within what a start-up log would correct).
SGLANG_SWA_RATIO_CANDIDATES = (0.8, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01)
SGLANG_SWA_RATIO_GAIN = 1.25
# SGLang frees a decoding session's out-of-window tokens once every this many decode batches
# (environ.py SGLANG_SWA_EVICTION_INTERVAL), and with its overlap scheduler leaves the previous
# prefill chunk unevicted (schedule_batch.py maybe_evict_swa): the window pool holds up to a
# session's window, a page and this many tokens more, and the prefill chunks still in flight.
SGLANG_SWA_EVICTION_INTERVAL = 128
SGLANG_SWA_CHUNKS_IN_FLIGHT = 2
# SGLang gives recurrent (Mamba, linear-attention) states a pool of their own:
# mamba_full_memory_ratio / (1 + it) of the KV memory (server_args.py default 0.9), and with its
# radix cache on runs at most one request per 3 state slots (model_runner_kv_cache_mixin.py
# MAMBA_CACHE_SIZE_MAX_RUNNING_REQUESTS_RATIO; 1 with --disable-radix-cache, 5 with the
# extra-buffer strategy).
SGLANG_MAMBA_FULL_MEMORY_RATIO = 0.9
SGLANG_STATE_SLOTS_PER_RUNNING_REQUEST = 3
# SGLang's pool ratios: its flags, its server_args fields and EngineSettings' fields alike.
SGLANG_POOL_RATIOS = ("swa_full_tokens_ratio", "mamba_full_memory_ratio")
# How SGLang keeps windowed layers (engine.per_gpu.window_rule): "hybrid_pools" (a full pool
# and a window pool), "window_pool" (every layer windowed, one window pool), "full_context"
# (not a hybrid-SWA architecture: every layer keeps the context); null for any other case.
WINDOW_RULES = ("hybrid_pools", "window_pool", "full_context")
MAX_TENSOR_PARALLEL = 1024               # GPUs per replica; auto TP stops at 64 nodes of 8
MAX_NODES_PER_REPLICA = 64               # nodes the layout search lets one replica span
# The catalog's dated price hints: each cost input's server field, and the fields that date and
# source it (servers.json); read by the catalog and quoted by the cost views.
PRICE_HINTS = {"node_price_usd": ("price_usd", "price_date", "price_source"),
               "gpu_hour_usd": ("rental_usd_per_gpu_hour", "rental_date", "rental_source")}
MAX_DATA_PARALLEL = 1024                 # attention replicas in one expert-parallel group
                                         # (a sanity bound: the GPUs of one node or rack,
                                         # TP x DP, are the real one)
MAX_ENGINE_GIB = 10**6                   # per-GPU memory flags: far above any GPU

# Performance model (README "Performance"). A server's GPU family is recorded for calibration by
# family; the shipped constants are shared by all families (fitted per family, they did worse
# on models left out of the fit).
# Each GPU family's vendor, which decides the engines that run on it (ENGINE_VENDORS)
GPU_FAMILY_VENDOR = {"hopper": "nvidia", "blackwell": "nvidia", "cdna3": "amd", "cdna4": "amd",
                     "ampere": "nvidia", "ada": "nvidia"}
GPU_FAMILIES = tuple(GPU_FAMILY_VENDOR)
GPU_FAMILY_LABELS = {"hopper": "Hopper", "blackwell": "Blackwell", "cdna3": "CDNA 3",
                     "cdna4": "CDNA 4", "ampere": "Ampere", "ada": "Ada"}
# Default workload split when --input-tokens / --output-tokens are not given: one turn of a
# chat session, 1,024 new prompt tokens and up to 1,024 generated (the 1k / 1k chat shape of
# public serving benchmarks, and of many of the measured runs the model is fitted on); the rest
# of the effective context is the session's earlier turns, whose KV stays in HBM for the whole
# session as the methodology assumes (prefix caching is on by default in vLLM V1 and SGLang).
DEFAULT_INPUT_TOKENS = 1024
DEFAULT_OUTPUT_TOKENS = 1024
# Never more than half the context: a shorter context scales the 1k / 1k turn down and keeps
# its shape. With a quarter, a 2k context made a turn of 1,024 in and 512 out, twice the prompt
# per generated token of a 4k one, and needed more nodes than 4k for the same TPOT target.
DEFAULT_OUTPUT_SHARE = 2
# Prompt tokens one step takes: vLLM's max_num_batched_tokens (--max-num-batched-tokens),
# SGLang's chunked_prefill_size (--chunked-prefill-size, else sglang_chunked_prefill) and
# TRT-LLM's max_num_tokens, whose default is 8,192 (TRT-LLM LLM API BuildConfig).
TRTLLM_MAX_NUM_TOKENS = 8192
# Requests an engine runs at once, beyond which they wait however much KV is free: vLLM's
# max_num_seqs (above); SGLang's max_running_requests, min(KV tokens x 512 / context_len kept
# within 2,048-4,096, KV tokens / 2) (model_runner.py max_num_reqs and scheduler.py; context_len
# is the model's served context); TRT-LLM's max_batch_size, 2,048 (tensorrt_llm/builder.py
# BuildConfig, as max_num_tokens).
SGLANG_RUNNING_PER_CONTEXT = 512
SGLANG_RUNNING_REQUESTS = (2048, 4096)
TRTLLM_MAX_BATCH_SIZE = 2048
MAX_SESSIONS_SEARCH = 1 << 20            # sessions per replica the curve and searches reach
INTER_NODE_HOP_SECONDS = 20e-6           # one pipeline hop between nodes (InfiniBand, NCCL)
# How data-parallel attention ranks hand their tokens to the routed experts (gathers_tokens).
# vLLM's default all-to-all (--all2all-backend allgather_reducescatter, vllm/config/parallel.py;
# AgRsAll2AllManager: "Gather hidden_states and router_logits from all dp ranks", then a
# reduce-scatter) and SGLang's without --moe-a2a-backend (dp_attention.py's dp_gather, an
# all-gather or an all-reduce of every rank's rows) give every rank every rank's tokens, and
# so does TensorRT-LLM's attention DP unless it picks an all-to-all: it does on a multi-node
# NVLink rack (MNNVL) when the expert ranks outnumber a token's k experts, or with
# TRTLLM_CAN_USE_DEEP_EP=1 (select_alltoall_method_type, _torch/modules/fused_moe; else
# "allgather/reducescatter"). An all-to-all, as DeepEP's, sends each token to the ranks of
# its k experts (all_to_all_seconds). Within a node or rack the engine's default is what the
# launch line runs; an expert group over several nodes is launched with DeepEP's low-latency
# kernels (WIDE_EP_ALL_TO_ALL, and TensorRT-LLM's TRTLLM_WIDE_EP_ENV), which vLLM's and
# SGLang's guides name for multi-node expert parallelism ("deepep_low_latency: multi-node
# decode", docs.vllm.ai expert_parallel_deployment), so that the tokens crossing the NICs
# are only those bound for experts there.
WIDE_EP_ALL_TO_ALL = {"vllm": ("--all2all-backend", "deepep_low_latency"),
                      "sglang": ("--moe-a2a-backend", "deepep")}
# The buffers a DeepEP low-latency all-to-all registers on each GPU when the model loads,
# before the engine sizes its KV cache, so they come out of it (the runtime reserve):
# - vLLM (DeepEPLLAll2AllManager._make_all2all_kwargs, vllm/distributed/device_communicators/
#   all2all.py): num_nvl_bytes = VLLM_DEEPEP_BUFFER_SIZE_MB (default 1,024) MiB, and the RDMA
#   buffer DeepEP's get_low_latency_rdma_size_hint sizes (deepep_low_latency_bytes) for
#   moe.max_num_tokens = VLLM_MOE_DP_CHUNK_SIZE (default 256) tokens per rank (vllm/envs.py).
# - TensorRT-LLM (WideEPMoE with CUDA graphs takes DeepEPLowLatency; VariableLengthLowLatency
#   Buffer.reserve, _torch/modules/fused_moe/deep_ep_utils.py): no NVLink buffer, the same
#   RDMA buffer for TRTLLM_DEEP_EP_TOKEN_LIMIT tokens per rank, by default its max_num_tokens
#   (8,192: 114 GiB for DeepSeek-V3, more than a GPU holds). The launch sets the limit to
#   vLLM's 256, which DeepEP recommends as the most ("num_max_dispatch_tokens_per_rank (the
#   actual batch size in the decoding engine) should be less than 256"); a step with more
#   tokens on a rank gathers them instead (can_use_alltoall), as a prompt chunk's step does.
# DeepEP's Buffer adds its NUM_WORKSPACE_BYTES (32 MiB, csrc/kernels/configs.cuh). SGLang
# makes its DeepEP buffers at the first forward pass, after its KV pool, out of the memory
# its --mem-fraction-static leaves: they take no KV there.
VLLM_DEEPEP_NVL_BYTES = 1024 * 2**20
DEEPEP_TOKENS_PER_RANK = 256
DEEPEP_WORKSPACE_BYTES = 32 * 2**20
TRTLLM_WIDE_EP_ENV = (("TRTLLM_CAN_USE_DEEP_EP", "1"),
                      ("TRTLLM_DEEP_EP_TOKEN_LIMIT", str(DEEPEP_TOKENS_PER_RANK)))
# vLLM and SGLang run their own one-shot all-reduce (the fitted allreduce_latency_s) over NVLink,
# and without NVLink on at most two GPUs ("Custom allreduce is disabled because it's not
# supported on more than two PCIe-only GPUs", vllm custom_all_reduce.py; SGLang's copy says the
# same): above that, a server without NVLink all-reduces with NCCL, at its catalog latency.
CUSTOM_ALLREDUCE_PCIE_RANKS = 2

MAX_HEADROOM_RATIO = 10.0        # 1000% above nominal is a typo, not a plan
MAX_CONCURRENCY = 10**9          # a billion simultaneous sessions is beyond any deployment
RATE_ITERATIONS = 64             # size_for_rate's steps up before it must carry the rate
RATE_FOLLOW_STEPS = 8            # steps that follow the rate's need before doubling instead
MAX_PERIODS = 100                # periods of a growth plan
MAX_CONTEXT_TOKENS = 2**31       # beyond any model's context
MIN_CONTEXT_TOKENS = 2           # a session's context holds a request: a prompt token and a
                                 # generated one
MAX_CATALOG_NUMBER = 10**15      # keeps every product of catalog numbers a finite float
MIN_CATALOG_NUMBER = 1e-9        # a positive catalog number below this is a typo (1e-320 GB/s)
MAX_LAYERS = 10_000              # layers (and so layer groups) per model: 20x the deepest model
MAX_DRAFT_PARAMS = 10**12        # a speculative draft's parameters: above any model's
MAX_CATALOG_ENTRIES = 10_000     # entries per catalog
MAX_INPUT_BYTES = 16 * 2**20     # any file read (catalog, config, log): 16 MiB
MAX_JSON_DEPTH = 64              # nesting of any JSON read; catalogs need 4
MAX_NUMBER_CHARS = 400           # digits a number read from a file may have
MAX_SHOWN_CHARS = 80             # of a bad value echoed in an error line
# Entries each cache of sized results keeps (engine views, replicas, speed points, scenarios,
# plans, reports): a process that sizes many plans (a comparison over every server, a growth
# plan, a solve's bisection, the test suite) would otherwise evict and recompute what it asks
# for again; the test suite, the largest, holds about 45 MB more with it than with 256-8,192.
CACHE_ENTRIES = 1 << 16


@functools.lru_cache(maxsize=1024)
def exact(value: float | int) -> Fraction:
    """Return the decimal a user typed as an exact fraction (0.7 -> 7/10, not 0.69999...).

    Cached: parsing a decimal into a fraction is the core's most repeated cost.

    >>> exact(0.7)
    Fraction(7, 10)
    """
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def floor_times(value: int, ratio: Fraction) -> int:
    """Return floor(value x ratio) in integers.

    >>> floor_times(10, Fraction(7, 10)), floor_times(-1, Fraction(1, 2))
    (7, -1)
    """
    return value * ratio.numerator // ratio.denominator


def gib_bytes(value_gib: float) -> int:
    """Return GiB as whole bytes (the decimal typed, floored).

    >>> gib_bytes(79.18)   # 79.18 x 1,073,741,824 = 85,018,877,624.3
    85018877624
    """
    return floor_times(BYTES_PER_GIB, exact(value_gib))

# ======================================================== errors
# Owns: the exceptions every section raises. The command line turns them into one line on
# stderr and an exit status (SizingError.status).


class SizingError(ValueError):
    """A problem with the inputs that the user must fix (exit status 1)."""

    status = 1


class CatalogError(SizingError):
    """A catalog file that is missing, unreadable or holds a wrong value."""

    def __init__(self, file_label: str, entry: str | None, message: str):
        where = f"{file_label}: {entry}: " if entry else f"{file_label}: "
        super().__init__(where + message)


class UsageError(SizingError):
    """A command-line value that cannot be used (exit status 2)."""

    status = 2

# ======================================================== records and registries
# Owns: the immutable records every stage passes along and the registries that make a layer
# kind, an alert or a scenario one record each. Calls only the small pure helpers defined here.


def record(cls: type) -> type:
    """Make an immutable record of a class whose body annotates its fields (defaults last),
    keeping its docstring, methods and properties.

    The record is a namedtuple, so `_replace`, `_fields` (field lists are derived from it, not
    typed twice) and `_asdict` come with it. typing.NamedTuple does the same but compiles every
    annotation when the module loads, 3 ms of a 70 ms run; frozen dataclasses cost 10 ms.

    >>> @record
    ... class Point:
    ...     x: int
    ...     y: int = 0
    >>> Point(1), Point(1)._replace(y=2).y, Point._fields
    (Point(x=1, y=0), 2, ('x', 'y'))
    """
    fields = tuple(cls.__dict__.get("__annotations__", ()))
    defaults = tuple(cls.__dict__[f] for f in fields if f in cls.__dict__)
    if any(f in cls.__dict__ for f in fields[:len(fields) - len(defaults)]):
        raise TypeError(f"{cls.__name__}: fields with defaults must come last")
    body = {k: v for k, v in cls.__dict__.items()
            if k not in fields and k not in ("__dict__", "__weakref__")}
    return type(cls.__name__, (namedtuple(cls.__name__, fields, defaults=defaults),),
                {**body, "__slots__": ()})


def _attention_elements(d: Mapping[str, int]) -> int:
    """K and V elements one attention layer keeps per token: kv_heads x (head_dim + v_head_dim)."""
    return d["kv_heads"] * (d["head_dim"] + d["v_head_dim"])


def _mla_elements(d: Mapping[str, int]) -> int:
    """One MLA latent per token: kv_lora_rank + qk_rope_head_dim (no K/V factor 2)."""
    return d["kv_lora_rank"] + d["qk_rope_head_dim"]


INDEXER_QUANT_BLOCK = 128    # the indexer key's fp8 block: one fp32 scale per 128 values


def _mla_indexer_elements(d: Mapping[str, int]) -> int:
    """Values one sparse-attention layer keeps per token: the MLA latent and the indexer key."""
    return d["kv_lora_rank"] + d["qk_rope_head_dim"] + d["index_head_dim"]


def _mla_indexer_bytes(d: Mapping[str, int], bytes_per_element: int) -> int:
    """Bytes per token per layer of DeepSeek Sparse Attention (DeepSeek-V3.2, GLM-5):

    - the MLA latent: (kv_lora_rank + qk_rope_head_dim) x bytes, or with 1-byte KV FlashMLA's
      fp8_ds_mla record: kv_lora_rank fp8 values, one fp32 scale per 128 of them and the rope
      part in bf16 (656 bytes for 512 + 64; vLLM v1/attention/backends/mla/flashmla_sparse.py
      get_kv_cache_shape; SGLang NSATokenToKVPool's kv_cache_dim);
    - the indexer key: index_head_dim fp8 values and one fp32 scale per 128 (132 bytes for 128;
      vLLM models/deepseek_v2.py DeepseekV32IndexerCache, head_dim + head_dim //
      quant_block_size x 4; SGLang NSATokenToKVPool index_k_with_scale_buffer), whatever the
      KV precision.

    >>> d = {"kv_lora_rank": 512, "qk_rope_head_dim": 64, "index_head_dim": 128}
    >>> _mla_indexer_bytes(d, 2), _mla_indexer_bytes(d, 1)
    (1284, 788)
    """
    rank, rope, index = d["kv_lora_rank"], d["qk_rope_head_dim"], d["index_head_dim"]
    latent = (rank + rank // INDEXER_QUANT_BLOCK * 4 + rope * 2) if bytes_per_element == 1 \
        else (rank + rope) * bytes_per_element
    return latent + index + index // INDEXER_QUANT_BLOCK * 4


def _mla_indexer_read(d: Mapping[str, int], token_bytes: int, tokens: float) -> float:
    """Bytes a sparse-attention decode step reads per layer: every token's indexer key (to
    score it) and the latents of the top index_topk tokens only (vLLM FlashMLA sparse
    decode gathers those). DeepSeek-V3.2 at 131,072 tokens with 1-byte KV: 132 x 131,072 +
    656 x 2,048 = 18,644,992 bytes, not 788 x 131,072.

    >>> d = {"index_head_dim": 128, "index_topk": 2048}
    >>> _mla_indexer_read(d, 788, 131072), _mla_indexer_read(d, 788, 1000)
    (18644992, 788000)
    """
    index = d["index_head_dim"] + d["index_head_dim"] // INDEXER_QUANT_BLOCK * 4
    return index * tokens + (token_bytes - index) * min(tokens, d["index_topk"])


def _mla_indexer_flops(d: Mapping[str, int], tokens: int, heads: int) -> int:
    """Sparse MLA decode: the indexer scores every cached token (index_n_heads x
    index_head_dim), then absorbed MLA attends to the top index_topk of them."""
    return 2 * d["index_n_heads"] * d["index_head_dim"] * tokens \
        + _mla_flops(d, min(tokens, d["index_topk"]), heads)


def _gated_delta_net_conv(d: Mapping[str, int]) -> int:
    """The causal-conv part of a Gated DeltaNet state: channels x (kernel - 1)."""
    return (2 * d["num_key_heads"] * d["key_head_dim"] + d["num_value_heads"]
            * d["value_head_dim"]) * (d["conv_kernel"] - 1)


def _gated_delta_net_elements(d: Mapping[str, int]) -> int:
    """Gated DeltaNet state per layer (vLLM gated_delta_net_state_shape): a causal-conv state of
    (2 x key heads x key dim + value heads x value dim) channels x (kernel - 1) steps, plus a
    value-heads x key-dim x value-dim recurrent matrix.

    >>> _gated_delta_net_elements({"num_key_heads": 16, "key_head_dim": 128,
    ...     "num_value_heads": 32, "value_head_dim": 128, "conv_kernel": 4})
    548864

    (2 x 16 x 128 + 32 x 128 = 8,192 channels x 3 + 32 x 128 x 128)
    """
    return _gated_delta_net_conv(d) + \
        d["num_value_heads"] * d["key_head_dim"] * d["value_head_dim"]


def _mamba1_conv(d: Mapping[str, int]) -> int:
    return d["d_inner"] * (d["conv_kernel"] - 1)


def _mamba2_conv(d: Mapping[str, int]) -> int:
    """A Mamba-2 conv state: (num_heads x head_dim + 2 x n_groups x d_state) channels x
    (kernel - 1) steps (vLLM mamba_utils.py MambaStateShapeCalculator.mamba2_state_shape,
    SGLang configs/mamba_utils.py Mamba2CacheParams.shape: conv_dim = intermediate_size +
    2 x n_groups x state_size)."""
    return (d["num_heads"] * d["head_dim"] + 2 * d["n_groups"] * d["d_state"]) \
        * (d["conv_kernel"] - 1)


def _mamba2_elements(d: Mapping[str, int]) -> int:
    """Mamba-2 state per layer: the conv state plus the SSM ("temporal") state of num_heads x
    head_dim x d_state.

    >>> _mamba2_elements({"num_heads": 64, "head_dim": 64, "n_groups": 8, "d_state": 128,
    ...                   "conv_kernel": 4})
    542720

    ((4,096 + 2 x 8 x 128) x 3 = 18,432 conv + 64 x 64 x 128 = 524,288)
    """
    return _mamba2_conv(d) + d["num_heads"] * d["head_dim"] * d["d_state"]


def _mamba2_tp_dims(d: Mapping[str, int], tp: int) -> dict[str, int]:
    """Mamba-2 groups that do not split evenly over TP ranks are copied to each: n_groups
    becomes TP (vLLM mamba_utils.py extra_groups_for_head_shards; Granite 4.0-H and Falcon-H1
    have one group).

    >>> _mamba2_tp_dims({"n_groups": 1}, 4), _mamba2_tp_dims({"n_groups": 8}, 4)
    ({'n_groups': 4}, {'n_groups': 8})
    """
    return {**d, "n_groups": d["n_groups"] if d["n_groups"] % tp == 0 else tp}


def _kda_conv(d: Mapping[str, int]) -> int:
    """Kimi Delta Attention's short convolutions over q, k and v: 3 x num_heads x head_dim
    channels x (kernel - 1) steps (vLLM mamba_utils.py kda_state_shape, key heads equal to
    the heads as Kimi-Linear has them)."""
    return 3 * d["num_heads"] * d["head_dim"] * (d["conv_kernel"] - 1)


def _kda_elements(d: Mapping[str, int]) -> int:
    """KDA state per layer: the conv state plus a num_heads x head_dim x head_dim recurrent
    matrix (vLLM kda_state_shape; kda_state_dtype keeps the matrix in fp32).

    >>> _kda_elements({"num_heads": 32, "head_dim": 128, "conv_kernel": 4})
    561152

    (3 x 32 x 128 x 3 = 36,864 conv + 32 x 128 x 128 = 524,288)
    """
    return _kda_conv(d) + d["num_heads"] * d["head_dim"] ** 2


def _lightning_elements(d: Mapping[str, int]) -> int:
    """Lightning attention (MiniMax-Text-01, MiniMax-M1) keeps one head_dim x head_dim matrix
    per head and nothing else (vLLM mamba_utils.py linear_attention_state_shape).

    >>> _lightning_elements({"num_heads": 64, "head_dim": 128})
    1048576
    """
    return d["num_heads"] * d["head_dim"] ** 2


def _mamba1_elements(d: Mapping[str, int]) -> int:
    """Mamba-1 state per layer (vLLM mamba1_state_shape): d_inner x (kernel - 1) conv state plus
    d_inner x d_state SSM state."""
    return _mamba1_conv(d) + d["d_inner"] * d["d_state"]


def _attention_flops(d: Mapping[str, int], tokens: int, heads: int) -> int:
    """FLOPs one query token spends attending over `tokens` cached tokens in one layer:
    q.k over head_dim and a.v over v_head_dim, 2 FLOPs per multiply-add, per query head."""
    return 2 * heads * (d["head_dim"] + d["v_head_dim"]) * tokens


def _mla_flops(d: Mapping[str, int], tokens: int, heads: int) -> int:
    """MLA decode with the up-projections absorbed: q.k over the latent and rope part, a.v over
    the latent, per query head (DeepSeek-V2 paper, section 2.1.3)."""
    return 2 * heads * (2 * d["kv_lora_rank"] + d["qk_rope_head_dim"]) * tokens


def _mla_prefill_flops(d: Mapping[str, int], tokens: float, heads: int, query: float) -> float:
    """MLA prefill per query token, as vLLM's and SGLang's MLA backends run it ("compute
    friendly": the cached latents are up-projected to per-head K and V, then multi-head
    attention with q.k over qk_nope + qk_rope and a.v over v_head_dim). The up-projection of
    the request's own new tokens is kv_b_proj, already in the active parameters; its cached
    prefix, tokens - query / 2 on average when `query` of its prompt tokens run in the step, is
    up-projected once per step: 2 x kv_lora_rank x heads x (qk_nope + v) FLOPs per position,
    shared by the query tokens. Without qk_nope_head_dim and v_head_dim in the catalog, the
    absorbed (decode) count, an upper bound.

    >>> d = {"kv_lora_rank": 512, "qk_rope_head_dim": 64, "qk_nope_head_dim": 128,
    ...      "v_head_dim": 128}
    >>> _mla_prefill_flops(d, 1000, 128, 2000)     # no prefix: 2 x 128 x 320 x 1000
    81920000.0
    """
    if "qk_nope_head_dim" not in d:
        return _mla_flops(d, math.ceil(tokens), heads)
    nope, value = d["qk_nope_head_dim"], d["v_head_dim"]
    prefix = max(0.0, tokens - query / 2)
    return 2 * heads * (nope + d["qk_rope_head_dim"] + value) * tokens \
        + 2 * d["kv_lora_rank"] * heads * (nope + value) * prefix / max(1.0, query)


def _state_flops(elements: Callable[[Mapping[str, int]], int]
                 ) -> Callable[[Mapping[str, int], int, int], int]:
    """A recurrent layer updates and reads its fixed state once per token, whatever the
    context: about 2 FLOPs per state element."""
    return lambda d, tokens, heads: 2 * elements(d)


def _blocks(tokens: int, block: int) -> int:
    return -(-tokens // block)


def _reserve_context(d: Mapping[str, int], context: int, block: int, batched: int) -> int:
    return _blocks(context, block) * block


def _reserve_window(d: Mapping[str, int], context: int, block: int, batched: int) -> int:
    return (_blocks(min(d["window"] - 1 + batched, context), block) + 1) * block


def _reserve_chunk(d: Mapping[str, int], context: int, block: int, batched: int) -> int:
    return _blocks(min(d["chunk"] + batched, context), block) * block


@record
class LayerKind:
    """Everything the tool knows about one kind of layer; the catalog parser, the importer, the
    KV core, the engine view and the renderers all read this record."""

    name: str
    fields: tuple[str, ...]            # catalog fields that size it, in order
    defaults: tuple[tuple[str, str], ...]   # optional field -> the field it defaults to
    limit: str | None                  # field capping the tokens kept (window, chunk)
    state: bool                        # keeps a fixed state per session instead of tokens
    elements: Callable[[Mapping[str, int]], int]   # per token per layer, or state per layer
    split: str                         # over tensor-parallel ranks: "heads" (KV heads split,
                                       # never below one), "replicated", "state" (split evenly)
    reserve: Callable[[Mapping[str, int], int, int, int], int] | None
                                       # tokens the engine reserves per request (vLLM's
                                       # max_memory_usage_bytes); None for state kinds
    minimums: tuple[tuple[str, int], ...]   # fields with a floor above 1
    rule: str                          # the rule as the rationale and the JSON print it
    flops: Callable[[Mapping[str, int], int, int], int]   # per query token per layer, over
                                       # (dims, tokens kept, query heads): the performance model
    conv: Callable[[Mapping[str, int]], int] | None = None   # state kinds: the part of the
                                       # state that is the causal-conv window (kept at the
                                       # model's dtype by every engine; the rest is the
                                       # recurrent "temporal" state)
    token_bytes: Callable[[Mapping[str, int], int], int] | None = None
                                       # per token per layer in bytes from (dims, KV bytes per
                                       # element) when it is not elements x bytes
    tp_dims: Callable[[Mapping[str, int], int], dict[str, int]] | None = None
                                       # state kinds: the sizes all tensor-parallel ranks
                                       # hold together, when a part is copied on each
    read: Callable[[Mapping[str, int], int, float], float] | None = None
                                       # bytes one session's decode step reads per layer from
                                       # (dims, bytes per token, tokens kept), when it reads
                                       # less than every token it keeps (sparse attention)
    prefill: Callable[[Mapping[str, int], float, int, float], float] | None = None
                                       # per prompt token per layer over (dims, tokens kept,
                                       # query heads, the request's prompt tokens in the step),
                                       # when prefill computes otherwise than decode (MLA)
    extra: tuple[str, ...] = ()        # optional fields, given all together or not at all;
                                       # they size no KV (MLA's per-head sizes for prefill)
    kernels: int = 0                   # kernels its mixer launches per layer in a decode step,
                                       # counted in vLLM's forward code (layer_kernels)


_ATTENTION_FIELDS = ("kv_heads", "head_dim", "v_head_dim")
_STATE_FIELDS_NOTE = " x state_bytes_per_element"

LAYER_KINDS: dict[str, LayerKind] = {k.name: k for k in (
    LayerKind("full", _ATTENTION_FIELDS, (("v_head_dim", "head_dim"),), None, False,
              _attention_elements, "heads", _reserve_context, (),
              "layers x kv_heads x (head_dim + v_head_dim) x bytes_per_element x context",
              _attention_flops, kernels=5),
    LayerKind("sliding", _ATTENTION_FIELDS + ("window",), (("v_head_dim", "head_dim"),),
              "window", False, _attention_elements, "heads", _reserve_window, (),
              "layers x kv_heads x (head_dim + v_head_dim) x bytes_per_element "
              "x min(context, window)", _attention_flops, kernels=5),
    # Llama 4 local attention: a chunk of tokens instead of a sliding window.
    LayerKind("chunked", _ATTENTION_FIELDS + ("chunk",), (("v_head_dim", "head_dim"),),
              "chunk", False, _attention_elements, "heads", _reserve_chunk, (),
              "layers x kv_heads x (head_dim + v_head_dim) x bytes_per_element "
              "x min(context, chunk)", _attention_flops, kernels=5),
    # DeepSeek V2/V3, Kimi K2: one latent per token, replicated on every tensor-parallel rank.
    LayerKind("mla", ("kv_lora_rank", "qk_rope_head_dim"), (), None, False, _mla_elements,
              "replicated", _reserve_context, (),
              "layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_element x context",
              _mla_flops, prefill=_mla_prefill_flops, extra=("qk_nope_head_dim", "v_head_dim"),
              kernels=10),
    # DeepSeek Sparse Attention (DeepSeek-V3.2, GLM-5): the MLA latent plus the lightning
    # indexer's fp8 key per token, both replicated on every tensor-parallel rank.
    LayerKind("mla_indexer", ("kv_lora_rank", "qk_rope_head_dim", "index_head_dim",
                              "index_n_heads", "index_topk"), (), None, False,
              _mla_indexer_elements, "replicated", _reserve_context, (),
              "layers x (latent + indexer key) x context; latent = (kv_lora_rank + "
              "qk_rope_head_dim) x bytes_per_element, with 1-byte KV kv_lora_rank + "
              "kv_lora_rank / 128 x 4 + qk_rope_head_dim x 2; indexer key = index_head_dim + "
              "index_head_dim / 128 x 4", _mla_indexer_flops, None, _mla_indexer_bytes,
              read=_mla_indexer_read, kernels=19),
    # Gated DeltaNet (Qwen3-Next): a fixed state per session whatever the context.
    LayerKind("linear_attention", ("num_key_heads", "key_head_dim", "num_value_heads",
                                   "value_head_dim", "conv_kernel"), (), None, True,
              _gated_delta_net_elements, "state", None, (("conv_kernel", 2),),
              "layers x ((2 x num_key_heads x key_head_dim + num_value_heads x "
              "value_head_dim) x (conv_kernel - 1) + num_value_heads x key_head_dim "
              "x value_head_dim)" + _STATE_FIELDS_NOTE, _state_flops(_gated_delta_net_elements),
              _gated_delta_net_conv, kernels=7),
    # Mamba-2 mixer (Nemotron-H, Granite 4.0-H, Mamba-2): a fixed state per session.
    LayerKind("mamba2", ("num_heads", "head_dim", "n_groups", "d_state", "conv_kernel"), (),
              None, True, _mamba2_elements, "state", None, (("conv_kernel", 2),),
              "layers x ((num_heads x head_dim + 2 x n_groups x d_state) x (conv_kernel - 1) "
              "+ num_heads x head_dim x d_state)" + _STATE_FIELDS_NOTE,
              _state_flops(_mamba2_elements), _mamba2_conv, tp_dims=_mamba2_tp_dims, kernels=5),
    # Kimi Delta Attention (Kimi-Linear): short convolutions and a per-head delta-rule matrix.
    LayerKind("kda", ("num_heads", "head_dim", "conv_kernel"), (), None, True, _kda_elements,
              "state", None, (("conv_kernel", 2),),
              "layers x (3 x num_heads x head_dim x (conv_kernel - 1) + num_heads x head_dim "
              "x head_dim)" + _STATE_FIELDS_NOTE, _state_flops(_kda_elements), _kda_conv,
              kernels=15),
    # Lightning attention (MiniMax-Text-01, MiniMax-M1): a per-head linear-attention matrix.
    LayerKind("lightning", ("num_heads", "head_dim"), (), None, True, _lightning_elements,
              "state", None, (), "layers x num_heads x head_dim x head_dim"
              + _STATE_FIELDS_NOTE, _state_flops(_lightning_elements), kernels=7),
    # Mamba-1 mixer (Jamba).
    LayerKind("mamba", ("d_inner", "d_state", "conv_kernel"), (), None, True, _mamba1_elements,
              "state", None, (("conv_kernel", 2),),
              "layers x d_inner x (conv_kernel - 1 + d_state)" + _STATE_FIELDS_NOTE,
              _state_flops(_mamba1_elements), _mamba1_conv, kernels=8),
)}


@record
class LayerGroup:
    """Layers of one kind with the same sizes: they keep the same bytes for a session."""

    kind: str                                # a key of LAYER_KINDS
    layers: int
    dims: tuple[tuple[str, int], ...]        # the kind's fields, in order (then its extra
                                             # fields when given)
    state_precision: str | None = None       # state kinds only: a key of STATE_BYTES_PER_ELEMENT
    temporal_precision: str | None = None    # the recurrent state's, when an engine keeps it
                                             # wider than the conv state (SGLang: fp32)

    def dim(self, name: str) -> int:
        return dict(self.dims)[name]

    def kept(self, context: float) -> float:
        """Tokens of a context this group keeps: all, or at most its window or chunk."""
        limit = self.spec.limit
        return context if limit is None else min(context, self.dim(limit))

    @property
    def spec(self) -> LayerKind:
        return LAYER_KINDS[self.kind]


@record
class AlertSpec:
    """One kind of alert: its code, default severity, scope and the values its texts use.
    Texts live in the message tables under `alerts` and `exec.risks`, one per language."""

    code: str
    severity: str                      # "critical", "warning" or "info"
    scope: str                         # "plan", or "scenario" (the alert names one)
    params: tuple[str, ...]            # values the emitter passes, in JSON order


ALERTS: dict[str, AlertSpec] = {a.code: a for a in (
    AlertSpec("context_beyond_model", "warning", "plan", ("requested", "maximum")),
    AlertSpec("kv_precision_wide", "warning", "plan", ("precision",)),
    AlertSpec("budget_ratio_high", "warning", "plan", ("ratio", "limit")),
    AlertSpec("no_session_fits", "critical", "scenario", ("budget_gib", "session_gib")),
    AlertSpec("overhead_exceeds_node", "critical", "plan", ("overhead_gib", "node_gib")),
    AlertSpec("low_sessions_per_node", "warning", "scenario", ("sessions", "limit")),
    # in its place when a latency target sets the sessions per node
    AlertSpec("latency_few_sessions", "warning", "scenario", ("target", "sessions", "limit")),
    AlertSpec("many_nodes", "warning", "scenario", ("nodes", "limit")),
    AlertSpec("small_scenario_gap", "info", "plan", ("minimum", "recommended", "limit_pct")),
    AlertSpec("weights_exceed_overhead", "warning", "plan",
              ("weights_gib", "overhead_gib", "precision")),
    AlertSpec("weights_exceed_overhead_engine_checked", "info", "plan",
              ("weights_gib", "overhead_gib", "precision")),
    AlertSpec("cold_start_slow", "warning", "plan",
              ("seconds", "limit", "weights_gb", "profile", "throughput")),
    AlertSpec("kv_restore_slow", "warning", "plan",
              ("seconds", "limit", "session_gib", "profile", "throughput")),
    AlertSpec("weight_shard_exceeds_gpu", "warning", "plan", ("shard_gib", "gpu_gib", "gpus")),
    AlertSpec("kv_heads_replicated", "warning", "plan", ("kv_heads", "tp", "factor")),
    # critical when the engine view sizes the nodes
    AlertSpec("session_exceeds_gpu_pool", "warning", "plan", ("request_gib", "pool_gib", "tp")),
    AlertSpec("engine_leaves_no_kv", "warning", "plan", ("kv_gib", "tp")),
    AlertSpec("larger_tp_holds_more", "info", "plan",
              ("tp", "sessions", "best_tp", "best_sessions")),
    # the layout search weighs data-parallel attention only where TP copies KV; elsewhere
    # this says when it would need fewer nodes, at its less certain speeds
    AlertSpec("dp_attention_needs_fewer", "info", "plan",
              ("nodes", "dp_nodes", "ranks", "tp", "tpot_error_pct", "ttft_error_pct", "runs",
               "flags")),
    # SGLang's window pool at its ratio holds far more than the sessions' windows
    AlertSpec("sglang_window_pool_oversized", "info", "plan",
              ("ratio", "best_ratio", "held", "best_held", "window", "chunks", "chunk", "flag")),
    # the engine view sizes the plan; another engine's memory rules would need fewer nodes
    AlertSpec("other_engine_needs_fewer", "info", "plan",
              ("engine", "nodes", "other", "other_nodes", "flags")),
    # the model's weights are 16- or 32-bit and the GPU has FP8 tensor cores: FP8 weights
    # would need fewer nodes
    AlertSpec("weight_precision_needs_fewer", "info", "plan",
              ("precision", "nodes", "fp8_nodes", "flags")),
    # the KV cache is 16-bit: an FP8 KV cache would need fewer nodes
    AlertSpec("kv_precision_needs_fewer", "info", "plan",
              ("precision", "nodes", "fp8_nodes", "flags")),
    # one layout, RECOMMENDED's, sizes the three scenarios; another would need fewer for one
    AlertSpec("scenario_layout_needs_fewer", "info", "scenario",
              ("nodes", "layout_nodes", "layout", "chosen_layout", "flags")),
    AlertSpec("replica_spans_nodes", "info", "plan", ("tp", "nodes")),
    AlertSpec("expert_group_spans_nodes", "info", "plan", ("ranks", "nodes", "gb_per_s")),
    # critical when the engine view sizes the nodes; in place of the two above it
    AlertSpec("replica_nodes_capped", "warning", "plan", ("max_nodes", "nodes", "tp")),
    # warning when the engine view sizes the nodes
    AlertSpec("engine_running_limit", "info", "plan", ("limit", "setting", "held")),
    AlertSpec("sglang_graph_reserve", "warning", "plan",
              ("ranks", "share", "graphs_gib", "gpu_gib", "batch")),
    AlertSpec("latency_target_unreachable", "critical", "plan", ("target", "value_ms", "best_ms")),
    AlertSpec("prompts_queue", "warning", "plan", ("prompt", "limit", "sessions", "ttft_s")),
    AlertSpec("speculative_speed_not_modelled", "info", "plan", ("layers",)),
    AlertSpec("prompt_waves", "info", "plan", ("sessions", "ttft_s")),
    AlertSpec("opening_burst", "info", "plan", ("sessions", "ttft_s", "burst_s", "live_s")),
    AlertSpec("ttft_live_basis", "info", "plan", ("sessions", "ttft_s", "benchmark_s")),
    AlertSpec("slower_than_reading", "warning", "plan", ("tps", "reading_tps")),
    AlertSpec("speed_beyond_measured", "info", "plan", ("sessions", "limit", "ratio",
                                                          "error_pct")),
    AlertSpec("calibration_memory_implausible", "warning", "plan",
              ("implied_gib", "gpu_gib", "share_pct", "server")),
    AlertSpec("calibration_model_mismatch", "warning", "plan",
              ("logged", "model", "architecture")),
    AlertSpec("benchmark_workload_mismatch", "warning", "plan",
              ("source", "layout", "prompt", "output", "benchmark_layouts",
               "benchmark_prompts", "benchmark_outputs")),
)}
SEVERITIES = ("critical", "warning", "info")
# alerts that are chances to save, not risks
OPPORTUNITIES = ("small_scenario_gap", "larger_tp_holds_more", "dp_attention_needs_fewer",
                 "scenario_layout_needs_fewer", "sglang_window_pool_oversized",
                 "other_engine_needs_fewer", "weight_precision_needs_fewer",
                 "kv_precision_needs_fewer")
TECHNICAL_NOTES = ("weights_exceed_overhead_engine_checked",)     # change nothing in the plan:
                                                                  # not in the executive report


@record
class Alert:
    """A risk found while sizing; its text comes from the message tables by `code`."""

    code: str
    severity: str
    scenario: str | None               # scenario key, or None for the whole plan
    params: tuple[tuple[str, Any], ...]


def make_alert(code: str, scenario: str | None = None, severity: str | None = None,
               **params: Any) -> Alert:
    """Return an alert of a registered kind, its values in the registry's order.

    >>> make_alert("many_nodes", "ideal", limit=20, nodes=21).params
    (('nodes', 21), ('limit', 20))
    """
    spec = ALERTS[code]
    if set(params) != set(spec.params) or (scenario is None) != (spec.scope == "plan"):
        raise ValueError(f"alert {code}: values {sorted(params)} or scope do not match "
                         f"its registry record")
    return Alert(code, severity or spec.severity, scenario,
                 tuple((name, params[name]) for name in spec.params))


@record
class Model:
    """A catalog model. The methodology's fields (num_key_value_heads ... sliding_window) are
    set for the "full", "sliding" and "hybrid" forms and None for "layers"; layer_groups is
    always set and is what the core sizes."""

    name: str
    aliases: tuple[str, ...]
    description: str
    hf_repo: str
    source: str
    num_layers: int
    num_key_value_heads: int | None
    head_dim: int | None
    max_position_embeddings: int
    attention_pattern: str
    full_attention_layers: int | None
    sliding_attention_layers: int | None
    sliding_window: int | None
    layer_groups: tuple[LayerGroup, ...]
    default_kv_precision: str
    total_params_billion: float
    active_params_billion: float
    weight_precision: str
    params_source: str
    vocab_size: int | None = None            # sizes the engine's activation estimate
    num_attention_heads: int | None = None   # query heads; KV heads must divide them
    embedding_params: int | None = None      # input embedding + LM head, kept in bf16 when
                                             # the other weights are quantized
    multimodal_params: int | None = None     # vision tower and projector beside the language
                                             # model (not in total_params_billion): loaded in
                                             # bf16, read by no decode step
    measured_weights_gib: float | None = None   # loaded weights an engine logged (wins)
    measured_weights_source: str | None = None
    hidden_size: int | None = None           # width of the residual stream (all-reduce size)
    num_experts: int | None = None           # routed experts per MoE layer
    experts_per_token: int | None = None     # experts each token is routed to
    quantized_layers: str = "all"            # "all" linear layers, or only the routed "experts"
    mtp_layers: int = 0                      # multi-token-prediction layers (config's
                                             # num_nextn_predict_layers, Qwen3.5's and
                                             # Qwen3-Next's mtp_num_hidden_layers), used as
                                             # MTP drafts
    mtp_params: int = 0                      # parameters those layers load beyond the input
                                             # embedding and LM head they share with the model
    mtp_expert_params: int = 0               # of which routed experts
    rope_scaling: str | None = None          # "yarn:4": RoPE scaling that extends the context
    rope_original_max_position_embeddings: int | None = None   # the context it multiplies
    rope_scaling_enabled: bool = False       # the served config applies it (else it is only
                                             # documented: --rope-scaling turns it on)
    rope_scaling_source: str | None = None
    architecture: str | None = None          # config.json's architectures[0], the class the
                                             # engines dispatch on (SGLang's window pool)
    dense_mlp_params: int | None = None      # a mixture of experts' MLP parameters beside
                                             # its routed experts and routers: the dense
                                             # layers' MLPs and the shared experts
    step_layers: int | None = None           # layers a step runs through, as attention-plus-
                                             # MLP layers, where num_layers (the layers that
                                             # keep a cache) is not that: the performance
                                             # model's fixed cost and all-reduces per layer

    @property
    def label(self) -> str:
        """The model as report titles name it: the catalog name, followed by the checkpoint
        served when the name does not say which (deepseek-v3 asked for as DeepSeek-R1).

        >>> _DOC_MODEL._replace(name="m", hf_repo="org/M").label
        'm'
        >>> _DOC_MODEL._replace(name="m", hf_repo="org/M-Base").label
        'm (org/M-Base)'
        """
        tail = self.hf_repo.rsplit("/", 1)[-1]
        return self.name if tail.casefold() in ("", self.name.casefold()) \
            else f"{self.name} ({self.hf_repo})"


@record
class Server:
    name: str
    aliases: tuple[str, ...]
    description: str
    vendor: str
    gpu_model: str
    gpus: int
    hbm_per_gpu_gb: float
    total_hbm_gb: float
    source: str
    gpu_memory_gib: float | None = None     # per GPU as CUDA reports it (engine view)
    gpu_memory_source: str | None = None
    gpu_family: str | None = None           # a key of GPU_FAMILIES
    hbm_bandwidth_tb_per_s: float | None = None     # per GPU, vendor TB/s (10^12 bytes/s)
    bf16_tflops: float | None = None        # per GPU, dense (no sparsity), 10^12 FLOP/s
    fp8_tflops: float | None = None
    fp4_tflops: float | None = None         # None: no FP4 tensor cores
    scaleup_gb_per_s: float | None = None   # per GPU per direction (NVLink, Infinity Fabric)
    perf_source: str | None = None
    allreduce_latency_us: float | None = None   # per all-reduce or all-to-all over more than
    allreduce_source: str | None = None         # 2 GPUs without NVLink (NCCL); None: fitted
    scaleout_gb_per_s: float | None = None  # per GPU per direction between nodes (its NIC);
    scaleout_source: str | None = None      # None: no expert group spans nodes
    unit: str = "node"                      # what is bought: a "node", or a "rack" (NVL72)
    gpus_per_host: int | None = None        # GPUs one host drives (a rack's compute tray);
                                            # None: all of the server's
    system_power_kw: float | None = None    # maximum system power, kW
    rack_units: int | None = None
    power_source: str | None = None
    price_usd: float | None = None          # a dated hint, not a quote
    price_date: str | None = None
    price_source: str | None = None
    rental_usd_per_gpu_hour: float | None = None    # a dated hint of renting one GPU an hour
    rental_date: str | None = None
    rental_source: str | None = None


@record
class Storage:
    name: str
    aliases: tuple[str, ...]
    description: str
    type: str
    read_throughput_gb_per_s: float
    read_iops: int
    read_latency_p99_ms: float
    source: str


@record
class Catalogs:
    models: tuple[Model, ...]
    servers: tuple[Server, ...]
    storage: tuple[Storage, ...]
    default_storage: str


@record
class Workload:
    """The user's NFRs and runtime policy, as given on the command line."""

    concurrency: int
    effective_context_tokens: int
    kv_precision: str
    kv_budget_ratio: float
    runtime_overhead_gib: float
    peak_headroom_ratio: float
    ha_mode: str
    input_tokens: int | None = None          # prompt tokens per request
    output_tokens: int | None = None         # generated tokens per request
    tpot_ms: float | None = None             # latency targets: steady-state means
    ttft_ms: float | None = None
    requests_per_second: float | None = None  # given instead of the concurrency: the
                                              # sessions are then rate x request_seconds
    request_seconds: float | None = None     # one request's time at the plan's speed


@record
class ScenarioPolicy:
    """How a scenario derives its configuration from the workload."""

    key: str
    name: str
    headroom_fixed_ratio: float | None
    headroom_floor_ratio: float
    ha_fixed: str | None
    ha_floor: str
    budget_ceiling_ratio: float | None
    risk: str
    typical_sla: str


RECOMMENDED_SCENARIO = "recommended"   # what the executive report recommends buying

SCENARIOS = (
    ScenarioPolicy("minimum", "MINIMUM", headroom_fixed_ratio=0.0, headroom_floor_ratio=0.0,
                   ha_fixed="none", ha_floor="none", budget_ceiling_ratio=None,
                   risk="high", typical_sla="< 99%"),
    ScenarioPolicy("recommended", "RECOMMENDED", headroom_fixed_ratio=None,
                   headroom_floor_ratio=0.0, ha_fixed=None, ha_floor="none",
                   budget_ceiling_ratio=None, risk="medium", typical_sla="99.9%"),
    ScenarioPolicy("ideal", "IDEAL", headroom_fixed_ratio=None, headroom_floor_ratio=0.30,
                   ha_fixed=None, ha_floor="n+2", budget_ceiling_ratio=0.65,
                   risk="low", typical_sla="99.99%+"),
)
SCENARIO_KEYS = tuple(p.key for p in SCENARIOS)
RECOMMENDED_INDEX = SCENARIO_KEYS.index(RECOMMENDED_SCENARIO)   # in every per-scenario tuple


@record
class ScenarioConfig:
    peak_headroom_ratio: float
    ha_mode: str
    kv_budget_ratio: float


@record
class ScenarioResult:
    """One scenario's arithmetic: every value its formulas use, so that the renderers can
    explain it without computing."""

    policy: ScenarioPolicy
    config: ScenarioConfig
    memory_model: str                      # "pooled", "engine" or "both"
    kv_budget_per_node_bytes: int
    sessions_per_node: int
    nodes_per_unit: int                    # nodes bought together: 1, or a replica's nodes
    sessions_per_unit: int
    engine_pool_share: float               # of the engine's KV pool (engine_pool_share)
    nodes_capacity: int | None
    nodes_with_headroom: int | None
    ha_extra_nodes: int
    nodes_final: int | None
    gpus_final: int | None
    capex_vs_minimum_ratio: float | None   # (nodes - MINIMUM's) / MINIMUM's; set by size_all
    usable_kv_per_gpu_bytes: int | None = None   # engine sizing: the pool share it may fill
    sessions_per_replica: int | None = None      # engine sizing
    pooled_sessions_per_node: int | None = None  # each constraint in force, per node
    engine_sessions_per_node: int | None = None
    latency_sessions_per_node: int | None = None
    latency_constraint: str | None = None        # the target that caps it: "tpot" or "ttft"
    nodes_memory: int | None = None              # nodes each constraint needs, with headroom,
    nodes_memory_engine: int | None = None       # before HA spares (None: not in force or
    nodes_latency: int | None = None             # nothing fits)
    binding_constraint: str | None = None        # "memory_pooled", "memory_engine", "tpot",
                                                 # "ttft": the smallest sessions per node
    unit_group: bool = False                     # the unit is an expert group of data-parallel
                                                 # attention ranks over nodes, not a replica

    @property
    def sized(self) -> bool:
        return self.nodes_final is not None

    @property
    def node_failures_tolerated(self) -> int:
        """Spare units: a node each, or a whole replica when one spans several nodes (losing
        any of its nodes loses the replica)."""
        return self.ha_extra_nodes // self.nodes_per_unit


@record
class KvGroupUse:
    """What one layer group keeps for one session: bytes per token kept, or a fixed state."""

    group: LayerGroup
    bytes_per_token: int      # all the group's layers together, per token kept (0 for state)
    tokens: int               # tokens each layer keeps (0 for state kinds)
    state_bytes: int          # fixed bytes per session, all the group's layers (0 for attention)

    @property
    def bytes_per_session(self) -> int:
        return self.bytes_per_token * self.tokens + self.state_bytes


@record
class KvBreakdown:
    """What one session keeps in HBM, per layer group."""

    bytes_per_element: int
    context_tokens: int
    groups: tuple[KvGroupUse, ...]

    @property
    def per_session_bytes(self) -> int:
        return sum(g.bytes_per_session for g in self.groups)

    @property
    def shares(self) -> tuple[float, ...]:
        """Each group's part of the session's bytes (0 when the session keeps nothing)."""
        total = self.per_session_bytes
        return tuple(g.bytes_per_session / total if total else 0.0 for g in self.groups)

    def _layers(self, kind: str) -> int:
        return sum(g.group.layers for g in self.groups if g.group.kind == kind)

    @staticmethod
    def _uniform(values: Iterable[int]) -> int | None:
        found = set(values)
        return found.pop() if len(found) == 1 else None

    # The methodology's view (2 x kv_heads x head_dim x bytes per layer, full and sliding
    # layers), kept for the JSON's kv_cache keys; None where a model does not fit it.
    @property
    def bytes_per_token_per_layer(self) -> int | None:
        if any(g.group.kind not in ("full", "sliding") for g in self.groups):
            return None
        return self._uniform(g.bytes_per_token // g.group.layers for g in self.groups)

    @property
    def full_layers(self) -> int:
        return self._layers("full")

    @property
    def sliding_layers(self) -> int:
        return self._layers("sliding")

    @property
    def sliding_layer_tokens(self) -> int | None:
        return self._uniform(g.tokens for g in self.groups if g.group.kind == "sliding") \
            if self.sliding_layers else 0


# Flags only some engines read, with the setting each sets (SGLang's pool does not subtract
# activations: they live in what mem_fraction_static leaves, so --activation-gib would change
# nothing there; its prompt chunk is its own chunked_prefill_size, --chunked-prefill-size, not
# the batch budget). The command line refuses them for the other engines; the JSON gives null.
ENGINE_ONLY_FLAGS = (("--gpu-memory-utilization", "gpu_memory_utilization", ("vllm",)),
                     ("--max-num-seqs", "max_num_seqs", ("vllm",)),
                     ("--flashinfer-sampler", "flashinfer_sampler", ("vllm",)),
                     ("--activation-gib", "activation_gib", ("vllm", "trtllm")),
                     ("--max-num-batched-tokens", "max_num_batched_tokens", ("vllm", "trtllm")),
                     ("--mem-fraction-static", "mem_fraction_static", ("sglang",)),
                     ("--free-gpu-memory-fraction", "free_gpu_memory_fraction", ("trtllm",)),
                     ("--max-running-requests", "max_running_requests", ("sglang",)),
                     ("--chunked-prefill-size", "chunked_prefill_size", ("sglang",)),
                     ("--swa-full-tokens-ratio", "swa_full_tokens_ratio", ("sglang",)),
                     ("--mamba-full-memory-ratio", "mamba_full_memory_ratio", ("sglang",)),
                     ("--disable-radix-cache", "disable_radix_cache", ("sglang",)),
                     ("--max-batch-size", "max_batch_size", ("trtllm",)),
                     ("--capacity-scheduler-policy", "capacity_scheduler_policy", ("trtllm",)))
# The flags that only enter the engine's KV memory (the budget's terms), so none has an effect
# when --kv-cache-memory-gib gives that memory.
KV_MEMORY_TERM_FLAGS = (("--activation-gib", "activation_gib"),
                        ("--flashinfer-sampler", "flashinfer_sampler"),
                        ("--runtime-reserve-gib", "runtime_reserve_gib"),
                        ("--gpu-memory-utilization", "gpu_memory_utilization"),
                        ("--mem-fraction-static", "mem_fraction_static"),
                        ("--free-gpu-memory-fraction", "free_gpu_memory_fraction"))


# EngineSettings fields that say what is served, whatever the engine: another engine's plan
# keeps them (engine_alternative). The others are one engine's own knobs, what was measured on
# it, or a fit to its benchmark (OWN_SETTINGS); a new field goes in one of the two
# (tests/test_structure.py checks).
SERVED_SETTINGS = ("memory_model", "tensor_parallel", "weight_precision", "gpu_memory_gib",
                   "data_parallel", "expert_parallel", "draft_layers", "speculative",
                   "draft_params", "rope_scaling", "dp_attention", "max_nodes_per_replica",
                   "ttft_basis")
OWN_SETTINGS = ("engine", "gpu_memory_utilization", "mem_fraction_static",
                "free_gpu_memory_fraction", "activation_gib", "runtime_reserve_gib",
                "kv_cache_memory_gib", "block_size", "max_num_batched_tokens", "max_num_seqs",
                "max_running_requests", "chunked_prefill_size", "bandwidth_efficiency",
                "compute_efficiency", "perf", "swa_full_tokens_ratio",
                "mamba_full_memory_ratio", "radix_cache", "capacity_scheduler_policy",
                "flashinfer_sampler")


def engine_gpu_gap(engine: str, server: Server, formats: Iterable[tuple[str, str]] = ()
                   ) -> tuple[str, str] | None:
    """Return what keeps the engine off the server's GPUs: ("vendor", "") when it does not run
    on their vendor's GPUs (ENGINE_VENDORS), or the first (role, format) of `formats` (such as
    ("weights", "fp8")) it does not run on their family (ENGINE_FORMAT_FAMILIES); None when
    it runs, or the server's family is not known.

    >>> a100 = Server("a", (), "", "NVIDIA", "A100", 8, 80, 640, "", gpu_family="ampere")
    >>> engine_gpu_gap("trtllm", a100, [("weights", "bf16"), ("KV cache", "fp8")])
    ('KV cache', 'fp8')
    >>> engine_gpu_gap("vllm", a100, [("weights", "fp8")]) is None
    True
    """
    family = server.gpu_family
    if family is None:
        return None
    if GPU_FAMILY_VENDOR[family] not in ENGINE_VENDORS[engine]:
        return "vendor", ""
    return next(((role, f) for role, f in formats
                 if family not in ENGINE_FORMAT_FAMILIES.get((engine, f), (family,))), None)


def engine_runs_on(engine: str, server: Server, formats: Iterable[tuple[str, str]] = ()
                   ) -> bool:
    """Whether the engine runs on the server's GPUs, in these formats (engine_gpu_gap)."""
    return engine_gpu_gap(engine, server, formats) is None


def served_formats(model: Model, settings: EngineSettings, kv_precision: str
                   ) -> tuple[tuple[str, str], ...]:
    """The weight and KV formats a plan serves (the roles engine_gpu_gap names)."""
    return ("weights", settings.weight_precision or model.weight_precision), \
        ("KV cache", kv_precision)


def engine_reads(engine: str, setting: str) -> bool:
    """Whether the engine reads a setting of ENGINE_ONLY_FLAGS (any other: every engine does).

    >>> engine_reads("sglang", "max_num_seqs"), engine_reads("trtllm", "max_num_batched_tokens")
    (False, True)
    """
    return all(engine in engines for _, attr, engines in ENGINE_ONLY_FLAGS if attr == setting)


@record
class EngineSettings:
    """How the engine is run (--engine and its knobs); None means "estimate" or "default"."""

    memory_model: str = "pooled"
    engine: str = "vllm"
    tensor_parallel: int | None = None
    gpu_memory_utilization: float = DEFAULT_GPU_MEMORY_UTILIZATION
    mem_fraction_static: float | None = None
    free_gpu_memory_fraction: float = DEFAULT_FREE_GPU_MEMORY_FRACTION
    activation_gib: float | None = None
    runtime_reserve_gib: float | None = None
    kv_cache_memory_gib: float | None = None
    block_size: int | None = None
    max_num_batched_tokens: int | None = None    # None: vLLM's default for the GPU
    max_num_seqs: int | None = None              # None: vLLM's default for the GPU
    max_running_requests: int | None = None      # SGLang's, or TRT-LLM's max_batch_size;
                                                 # None: the engine's default
    chunked_prefill_size: int | None = None      # SGLang's; None: its default for the GPU
    weight_precision: str | None = None
    gpu_memory_gib: float | None = None
    bandwidth_efficiency: float | None = None     # performance overrides (flags)
    compute_efficiency: float | None = None
    perf: Any = None                              # PerfConstants fitted to a benchmark
    data_parallel: int = 1                        # attention replicas sharing one expert group
    expert_parallel: bool = False                 # experts split whole over TP x DP ranks
    draft_layers: int = 0                         # speculative draft (EAGLE, MTP) cache layers
    speculative: str | None = None                # "mtp": the model's MTP layers draft (their
                                                  # weights load too: draft_weights_parts)
    draft_params: int = 0                         # an EAGLE draft's own parameters
                                                  # (--speculative-draft-params)
    rope_scaling: str | None = None               # --rope-scaling: the engine extends context
    dp_attention: bool = False                    # attention data-parallel over the expert
                                                  # group (one session's KV on one rank)
    swa_full_tokens_ratio: float = SGLANG_SWA_FULL_TOKENS_RATIO      # SGLang's window pool
    mamba_full_memory_ratio: float = SGLANG_MAMBA_FULL_MEMORY_RATIO  # SGLang's state pool
    radix_cache: bool = True                      # SGLang's prefix cache (--disable-radix-cache)
    capacity_scheduler_policy: str = TRTLLM_CAPACITY_POLICIES[0]    # TRT-LLM's
    flashinfer_sampler: bool = False              # vLLM samples with FlashInfer's kernels
    ttft_basis: str = "benchmark"                 # what a first token means: TTFT_BASES
    max_nodes_per_replica: int = MAX_NODES_PER_REPLICA   # the search's bound on spanning

    @property
    def served(self) -> dict[str, Any]:
        """The settings that say what is served (SERVED_SETTINGS), which another engine's plan
        keeps (engine_alternative); the rest are this engine's own."""
        return {name: getattr(self, name) for name in SERVED_SETTINGS}

    @property
    def reserves_whole_request(self) -> bool:
        """Whether a running request holds KV for its whole output from its first step
        (TRT-LLM's GUARANTEED_NO_EVICT), not only for the tokens it has so far."""
        return self.engine == "trtllm" \
            and self.capacity_scheduler_policy == TRTLLM_CAPACITY_POLICIES[0]

    @property
    def state_memory_share(self) -> Fraction:
        """SGLang's share of the KV memory for recurrent states: r / (1 + r), r its
        mamba_full_memory_ratio."""
        ratio = exact(self.mamba_full_memory_ratio)
        return ratio / (1 + ratio)

    @property
    def state_slots_per_running_request(self) -> int:
        """SGLang's state slots per request it runs: 3 with its radix cache, else 1."""
        return SGLANG_STATE_SLOTS_PER_RUNNING_REQUEST if self.radix_cache else 1


@record
class EngineCapacity:
    """What one replica of the engine holds, per GPU and per node (all bytes per GPU)."""

    engine: str
    tensor_parallel: int                 # GPUs per replica
    tensor_parallel_chosen: bool         # True when picked automatically
    tp_in_node: int                      # tensor-parallel ranks inside one node
    gpus_per_node: int
    replicas_per_node: int               # 0 when a replica spans nodes
    nodes_per_replica: int               # pipeline stages across nodes (1 within a node)
    gpu_memory_bytes: int
    gpu_memory_from: str                 # "flag", "catalog" or "vendor_gb"
    weight_precision: str
    weights_total_bytes: int
    weights_expert_bytes: int            # the routed experts' share of the total
    weights_measured: bool
    weights_per_gpu_bytes: int           # dense / TP + experts / expert_ranks
    expert_ranks: int                    # GPUs the routed experts split over: TP x DP with
                                         # expert parallelism, else TP
    weights_expert_per_gpu_bytes: int    # the routed experts' share of one GPU's weights
    weights_spread_bytes: int            # of the dense weights, those split over every
                                         # expert rank, not the TP group (sglang_spread_bytes)
    weights_draft_per_gpu_bytes: int     # a speculative draft's share (draft_weights_parts):
                                         # in weights_per_gpu_bytes, not in the totals
    activation_bytes: int
    activation_estimated: bool
    reserve_bytes: int
    reserve_estimated: bool
    budget_rule: str                     # formula of the KV memory, engine-specific
    budget_share: float                  # util, mem_fraction_static or free fraction
    kv_memory_given: bool                # --kv-cache-memory-gib
    kv_memory_bytes: int                 # before block rounding; negative = does not fit
    kv_heads_per_gpu: tuple[tuple[str, int], ...]   # per attention group label
    kv_heads_replicated: bool
    bytes_per_token_per_gpu: int         # every attention layer paying per token
    block_size: int
    num_blocks: int
    kv_capacity_tokens: int              # vLLM's "GPU KV cache size"
    kv_pool_bytes: int                   # the KV memory in whole blocks
    request_bytes_per_gpu: int           # one session at the effective context, as reserved
    state_bytes_per_gpu: int
    window_rule: str | None              # SGLang's rule for windowed layers (WINDOW_RULES)
    state_slots: int | None              # SGLang's recurrent-state slots (own pool), or None
    max_concurrency: float               # vLLM's "Maximum concurrency for N tokens"
    kv_sessions_per_replica: int         # what the KV pool holds: floor(max_concurrency)
    running_limit: int                   # requests the engine runs at once (running_limit)
    running_limit_setting: str           # "max_num_seqs", "max_running_requests", ...
    sessions_per_replica: int            # the smaller of the two
    sessions_per_node: int               # whole replicas in a node, or a spanning replica's
                                         # sessions / its nodes (rounded down)
    kv_block_groups: int = 1             # vLLM: the layer groups drawing on num_blocks
    group_nodes: int = 1                 # nodes one expert group of data-parallel attention
                                         # ranks spans (1 within a node)
    all_to_all_buffer_bytes: int = 0     # of reserve_bytes, the all-to-all kernels' buffers
                                         # (all_to_all_buffer_bytes)

    @property
    def fits(self) -> bool:
        return self.sessions_per_replica > 0

    @property
    def unit_nodes(self) -> int:
        """Nodes bought together: a replica's stages, or an expert group's nodes (whose ranks
        each serve their own sessions), else 1."""
        return self.nodes_per_replica * self.group_nodes

    @property
    def trtllm_deep_ep(self) -> bool:
        """Whether this is TensorRT-LLM's expert group over several nodes, launched with
        DeepEP's low-latency all-to-all under a token limit (TRTLLM_WIDE_EP_ENV)."""
        return self.engine == "trtllm" and self.group_nodes > 1

    @property
    def replicas_per_unit(self) -> int:
        """Replicas (attention ranks, with data-parallel attention) in the nodes bought
        together: one replica over several nodes, or every rank of the nodes."""
        return self.replicas_per_node * self.group_nodes if self.nodes_per_replica == 1 else 1

    @property
    def activation_subtracted(self) -> bool:
        """Whether the KV memory rule takes the activation peak off: not SGLang's own rule,
        whose activations and CUDA graphs live in what mem_fraction_static leaves."""
        return self.engine != "sglang" or self.kv_memory_given

    @property
    def outside_static_bytes(self) -> int:
        """SGLang: the memory its mem_fraction_static leaves to activations and CUDA graphs,
        (1 - fraction) x (GPU memory - runtime reserve)."""
        return math.floor((1 - exact(self.budget_share))
                          * (self.gpu_memory_bytes - self.reserve_bytes))

    @property
    def running_capped(self) -> bool:
        """The engine's running limit, not its KV pool, caps the sessions of a replica."""
        return self.kv_sessions_per_replica > self.running_limit

    @property
    def weights_dense_bytes(self) -> int:
        """Attention, embeddings and dense layers: what tensor parallelism splits (but
        weights_spread_bytes, split over every expert rank)."""
        return self.weights_total_bytes - self.weights_expert_bytes

    @property
    def weights_spread_per_gpu_bytes(self) -> int:
        """One GPU's share of weights_spread_bytes, as weights_per_gpu counts it."""
        return -(-self.weights_spread_bytes // self.expert_ranks)

    @property
    def replica_gpus(self) -> int:
        return self.tp_in_node * self.nodes_per_replica


@record
class CapacityComparison:
    """The pooled method and the engine, per node, side by side (RECOMMENDED's policy)."""

    pooled_sessions_per_node: int
    engine_sessions_per_node: int
    gap_ratio: float | None                  # engine / pooled - 1; None when pooled is 0
    pooled_overhead_bytes: int               # runtime_overhead_gib, per node
    pooled_kv_bytes: int                     # the pooled KV budget per node
    pooled_unused_bytes: int                 # HBM outside the overhead and the KV budget
    engine_loaded_bytes: int                 # weights + activation + reserve, x GPUs
    engine_unused_bytes: int                 # left outside the engine's KV pool, x GPUs
    engine_kv_bytes: int                     # the engine's KV pool, x GPUs
    pooled_session_bytes: int                # KV per session, pooled
    engine_session_bytes: int                # one session's reservation, all replica GPUs


@record
class EngineLog:
    """What a start-up log printed: the engine, its settings and its measurements."""

    engine: str
    values: tuple[tuple[str, Any], ...]

    def get(self, field: str) -> Any:
        return dict(self.values).get(field)


@record
class CalibrationRow:
    item: str                 # key into the message table
    unit: str                 # "GiB", "tokens", "x", "bytes"
    logged: float | None
    predicted: float
    diff_ratio: float | None  # predicted / logged - 1


@record
class Calibration:
    """The tool's prediction for the settings a log printed, next to what the log measured."""

    source: str
    engine: str
    settings: tuple[tuple[str, Any, bool], ...]     # (name, value used, read from the log)
    rows: tuple[CalibrationRow, ...]
    backsolved: tuple[tuple[str, float], ...]      # GiB per GPU, or bytes per token
    suggested: tuple[tuple[str, Any], ...]         # engine settings that reproduce the log
    suggested_flags: str = ""                      # the same, spelled by the command line


@record
class StorageChecks:
    weights_bytes: int
    weights_precision: str        # as served: --weight-precision, else the model's
    cold_start_seconds: float
    kv_restore_seconds: float


@record
class SizingReport:
    """Everything the renderers need; they format it and compute nothing."""

    model: Model
    server: Server
    storage: Storage
    workload: Workload
    effective_context_tokens: int
    kv: KvBreakdown
    kv_total_bytes: int
    hbm_total_bytes: int
    storage_checks: StorageChecks
    scenarios: tuple[ScenarioResult, ...]
    alerts: tuple[Alert, ...]
    settings: EngineSettings = EngineSettings()
    engine: EngineCapacity | None = None
    comparison: CapacityComparison | None = None
    calibration: Calibration | None = None   # set by main with --calibrate-from-log
    performance: Any = None                  # Performance of the chosen layout
    benchmark_fit: Any = None                # BenchmarkFit, with --calibrate-from-benchmark
    cost: Any = None                         # CostPlan: money, power and space per scenario
    fleet: Any = None                        # FleetCheck, with --current-nodes
    context: Any = None                      # ContextLimit: what the model serves here
    launch: Any = None                       # Launch: how to start one replica as sized

    @property
    def context_clamped(self) -> bool:
        return self.effective_context_tokens < self.workload.effective_context_tokens

    @property
    def fatal(self) -> bool:
        return any(not s.sized for s in self.scenarios)

    @property
    def unit_nodes(self) -> int:
        """The nodes one buying unit spans: 1, or more where a replica spans nodes (every
        scenario sizes the same layout)."""
        return max(s.nodes_per_unit for s in self.scenarios)

    def scenario(self, key: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.policy.key == key)


ROPE_TYPES = ("yarn", "linear", "dynamic", "llama3")    # RoPE scalings transformers applies


def split_rope(text: str) -> tuple[str, float]:
    """Read a RoPE scaling as TYPE:FACTOR.

    >>> split_rope("yarn:4"), split_rope("Linear:8.0")
    (('yarn', 4.0), ('linear', 8.0))
    """
    kind, _, factor = text.strip().lower().partition(":")
    try:
        value = float(factor)
    except ValueError:
        value = 0.0
    if kind not in ROPE_TYPES or not math.isfinite(value) or not 1 < value <= 64:
        raise ValueError(f"must be TYPE:FACTOR with TYPE one of {', '.join(ROPE_TYPES)} and a "
                         f"factor above 1 and at most 64, such as yarn:4 (got {shown(text)})")
    return kind, value


# ======================================================== catalogs
# Owns: reading files strictly (catalogs, configs and logs share the reader) and turning catalog
# entries into records, with errors that name the file, the entry and the field. Calls the
# records and registries above.


def shown(value: Any) -> str:
    """Return a value as an error line echoes it: its repr, at most 80 characters, on one line.

    >>> shown("ab"), len(shown("a" * 100)), shown("a" * 100)[-6:], shown(10**90)[-5:]
    ("'ab'", 80, "aa...'", '00...')
    """
    text = repr(value)
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    quote = text[0] if text[0] in "'\"" else ""
    return text[:MAX_SHOWN_CHARS - 3 - len(quote)] + "..." + quote


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"number {shown(text)} is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_CHARS:
        raise ValueError(f"number {shown(text)} is out of range")
    return int(text)


def _lone_surrogate(document: Any) -> str | None:
    """Return a string of a parsed document that holds a lone surrogate (text that is not
    Unicode, which no output could print), or None."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return item
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key '{key}'")
        seen[key] = value
    return seen


class NonFinite(str):
    """NaN or Infinity where a Hugging Face config has it (Python's json writes them): kept
    as text, so that a field that sizes anything refuses it by type, naming the field."""

    __slots__ = ()


def parse_strict_json(text: str, non_finite: bool = False) -> Any:
    """Parse JSON, refusing what Python accepts but JSON does not (NaN, Infinity, dup keys);
    with non_finite, NaN and Infinity are read as NonFinite text instead (configs only).

    >>> parse_strict_json('{"a": 1}')
    {'a': 1}
    >>> parse_strict_json('{"a": NaN}')
    Traceback (most recent call last):
    ...
    ValueError: NaN is not valid JSON
    """
    # The decoder recurses once per level: a recursion limit just above the current depth caps
    # nesting (and keeps writing the document back, which recurses too, far from the limit).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + MAX_JSON_DEPTH + 10)
    try:
        document = json.loads(text, parse_constant=NonFinite if non_finite else _reject_constant,
                              parse_float=_finite_float,
                              parse_int=_bounded_int, object_pairs_hook=_reject_duplicate_keys)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep") from None
    finally:
        sys.setrecursionlimit(limit)
    if "\\u" in text:              # only an escape can spell a lone surrogate in UTF-8 text
        bad = _lone_surrogate(document)
        if bad is not None:
            raise ValueError(f"string {shown(bad)} holds a lone surrogate (not Unicode text)")
    return document


def read_text_file(path: str, label: str, errors: str = "strict") -> str:
    """Read a UTF-8 file of at most MAX_INPUT_BYTES (a leading BOM is dropped); a missing,
    unreadable, too large or not UTF-8 one is a one-line CatalogError."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise CatalogError(label, None, "file not found") from None
    except IsADirectoryError:
        raise CatalogError(label, None, "is a directory, not a file") from None
    except OSError as exc:
        raise CatalogError(label, None, f"cannot read ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise CatalogError(label, None, f"is larger than {MAX_INPUT_BYTES // 2**20} MiB")
    try:
        return data.decode("utf-8-sig", errors)
    except UnicodeDecodeError as exc:
        raise CatalogError(label, None, f"is not UTF-8 text (byte {exc.start})") from None


def read_json_file(path: str, label: str, non_finite: bool = False) -> Any:
    """Read a JSON file strictly (parse_strict_json); errors name the file, line and column."""
    return parse_json_text(read_text_file(path, label), label, non_finite)


def parse_json_text(text: str, label: str, non_finite: bool = False) -> Any:
    """Parse a JSON file's text strictly; errors name the file, line and column."""
    try:
        return parse_strict_json(text, non_finite)
    except json.JSONDecodeError as exc:
        raise CatalogError(label, None, f"invalid JSON at line {exc.lineno} column {exc.colno}: "
                                        f"{exc.msg}") from None
    except ValueError as exc:
        raise CatalogError(label, None, f"invalid JSON: {exc}") from None


def _read_catalog(path: str, label: str, list_key: str) -> tuple[dict[str, Any], list[Any]]:
    return _catalog_lists(read_json_file(path, label), label, list_key)


def _catalog_lists(document: Any, label: str, list_key: str) -> tuple[dict[str, Any], list[Any]]:
    if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
        raise CatalogError(label, None, f"top level must be an object with a '{list_key}' list")
    if not document[list_key]:
        raise CatalogError(label, None, f"'{list_key}' is empty")
    if len(document[list_key]) > MAX_CATALOG_ENTRIES:
        raise CatalogError(label, None, f"'{list_key}' has more than {MAX_CATALOG_ENTRIES:,} "
                                        f"entries")
    return document, document[list_key]


def close_matches(word: str, candidates: Iterable[str], n: int, cutoff: float) -> list[str]:
    """Return the candidates closest to `word` (difflib, ignoring case), for "did you mean"
    hints."""
    import difflib
    spelled = {c.casefold(): c for c in reversed(list(candidates))}   # first spelling wins
    return [spelled[c] for c in difflib.get_close_matches(word.casefold(), list(spelled),
                                                          n=n, cutoff=cutoff)]


_REQUIRED = object()


class _Entry:
    """Typed field access on one catalog entry, with errors naming file, entry and field."""

    def __init__(self, label: str, kind: str, index: int, raw: Any):
        self.label = label
        if not isinstance(raw, dict):
            raise CatalogError(label, f"{kind} #{index + 1}", "entry must be a JSON object")
        self.raw = raw
        name = raw.get("name")
        named = isinstance(name, str) and name
        self.where = f"{kind} '{name}'" if named else f"{kind} #{index + 1}"

    def fail(self, field: str, message: str) -> CatalogError:
        return CatalogError(self.label, self.where, f"{field} {message}")

    def _get(self, field: str, default: Any) -> Any:
        if field not in self.raw:
            if default is _REQUIRED:
                raise self.fail(field, "is missing")
            return default
        return self.raw[field]

    def text(self, field: str) -> str:
        value = self._get(field, _REQUIRED)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"must be a non-empty string (got {shown(value)})")
        return value

    def choice(self, field: str, choices: Iterable[str]) -> str:
        value = self.text(field)
        allowed = tuple(choices)
        if value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(allowed)} (got {shown(value)})")
        return value

    def positive_int(self, field: str, optional: bool = False,
                     maximum: int = MAX_CATALOG_NUMBER) -> int | None:
        value = self._get(field, None if optional else _REQUIRED)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(field, f"must be a positive integer (got {shown(value)})")
        if value > maximum:
            limit = f"{maximum:.0e}" if maximum == MAX_CATALOG_NUMBER else f"{maximum:,}"
            raise self.fail(field, f"must be at most {limit} (got {shown(value)})")
        return value

    def positive_number(self, field: str, optional: bool = False) -> float | None:
        value = self._get(field, None if optional else _REQUIRED)
        if value is None and optional:
            return None
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value <= 0):
            raise self.fail(field, f"must be a positive number (got {shown(value)})")
        if value < MIN_CATALOG_NUMBER:
            raise self.fail(field, f"must be at least {MIN_CATALOG_NUMBER:g} (got {shown(value)})")
        if value > MAX_CATALOG_NUMBER:
            raise self.fail(field, f"must be at most {MAX_CATALOG_NUMBER:.0e} (got {shown(value)})")
        return value

    def boolean(self, field: str) -> bool:
        value = self._get(field, False)
        if not isinstance(value, bool):
            raise self.fail(field, f"must be true or false (got {shown(value)})")
        return value

    def known(self, fields: Iterable[str]) -> None:
        """Refuse a field the tool does not know (a typo would be silently ignored);
        keys starting with '_' are comments."""
        allowed = tuple(fields)
        for key in self.raw:
            if key not in allowed and not str(key).startswith("_"):
                close = close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "not a field of this catalog"
                raise self.fail(str(key), f"is not a known field ({hint})")

    def aliases(self) -> tuple[str, ...]:
        value = self._get("aliases", [])
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip()
                                                  for a in value):
            raise self.fail("aliases", f"must be a list of non-empty strings (got {shown(value)})")
        return tuple(value)


def _parse_layer_group(entry: _Entry, index: int, raw: Any) -> LayerGroup:
    """Read one layer group by its kind's record: its fields, defaults and minimums."""
    where = f"layer_groups[{index}]"
    if not isinstance(raw, dict):
        raise entry.fail(where, f"must be a JSON object (got {shown(raw)})")
    kind = LAYER_KINDS.get(raw.get("kind")) if isinstance(raw.get("kind"), str) else None
    if kind is None:
        raise entry.fail(f"{where}.kind", f"must be one of {', '.join(LAYER_KINDS)} "
                                          f"(got {shown(raw.get('kind'))})")
    allowed = {"kind", "layers", *kind.fields, *kind.extra} | (
        {"state_precision", "temporal_precision"} if kind.state else set())
    for key in raw:
        if key not in allowed:
            raise entry.fail(f"{where}.{key}", f"is not a field of a '{kind.name}' layer group "
                                               f"(fields: {', '.join(sorted(allowed))})")
    values = {}
    optional = dict(kind.defaults)
    extra = kind.extra if any(key in raw for key in kind.extra) else ()
    for key in ("layers", *kind.fields, *extra):
        value = raw.get(key)
        if value is None and key in optional:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0 \
                or value > MAX_CATALOG_NUMBER:
            problem = f"must be a positive integer (got {shown(value)})" if key in raw else \
                f"is missing ({' and '.join(extra)} go together)" if key in extra else \
                "is missing"
            raise entry.fail(f"{where}.{key}", problem)
        values[key] = value
    for key, source in kind.defaults:
        values.setdefault(key, values[source])
    for key, minimum in kind.minimums:
        if values[key] < minimum:
            raise entry.fail(f"{where}.{key}", f"must be at least {minimum} (got {values[key]})")
    precision = temporal = None
    if kind.state:
        precision = raw.get("state_precision")
        temporal = raw.get("temporal_precision")
        for field, value, optional_field in (("state_precision", precision, False),
                                             ("temporal_precision", temporal, True)):
            if (value is not None or not optional_field) and (
                    not isinstance(value, str) or value not in STATE_BYTES_PER_ELEMENT):
                raise entry.fail(f"{where}.{field}",
                                 f"must be one of {', '.join(STATE_BYTES_PER_ELEMENT)} "
                                 f"(got {shown(value)})")
    return LayerGroup(kind=kind.name, layers=values["layers"],
                      dims=tuple((f, values[f]) for f in (*kind.fields, *extra)),
                      state_precision=precision,
                      temporal_precision=temporal)


def _parse_layer_groups(entry: _Entry, num_layers: int) -> tuple[LayerGroup, ...]:
    for field in ("num_key_value_heads", "head_dim", "full_attention_layers",
                  "sliding_attention_layers", "sliding_window"):
        if field in entry.raw:
            raise entry.fail(field, "must be absent when attention_pattern is 'layers' "
                                    "(each layer group carries its own sizes)")
    raw = entry.raw.get("layer_groups")
    if not isinstance(raw, list) or not raw:
        raise entry.fail("layer_groups", f"must be a non-empty list when attention_pattern is "
                                         f"'layers' (got {shown(raw)})")
    if len(raw) > num_layers:
        raise entry.fail("layer_groups", f"has {len(raw):,} groups for {num_layers:,} layers "
                                         f"(each group has at least one)")
    groups = tuple(_parse_layer_group(entry, i, g) for i, g in enumerate(raw))
    total = sum(g.layers for g in groups)
    if total != num_layers:
        raise entry.fail("layer_groups", f"layers must add up to num_layers "
                                         f"({' + '.join(str(g.layers) for g in groups)} = "
                                         f"{total}, num_layers {num_layers})")
    return groups


def layer_group_entry(group: LayerGroup) -> dict[str, Any]:
    """Return a layer group as its catalog JSON object (a defaulted field only when it differs
    from its default)."""
    d = dict(group.dims)
    for key, source in group.spec.defaults:
        if d[key] == d[source]:
            del d[key]
    entry: dict[str, Any] = {"kind": group.kind, "layers": group.layers, **d}
    if group.state_precision is not None:
        entry["state_precision"] = group.state_precision
    if group.temporal_precision is not None:
        entry["temporal_precision"] = group.temporal_precision
    return entry


def _spec_layer_groups(pattern: str, kv_heads: int, head_dim: int, full: int, sliding: int,
                       window: int | None) -> tuple[LayerGroup, ...]:
    """Return the layer groups of the methodology's full / sliding / hybrid forms."""
    dims = (("kv_heads", kv_heads), ("head_dim", head_dim), ("v_head_dim", head_dim))
    groups = []
    if full:
        groups.append(LayerGroup("full", full, dims))
    if sliding:
        groups.append(LayerGroup("sliding", sliding, dims + (("window", window),)))
    return tuple(groups)


PERF_SERVER_FIELDS = ("hbm_bandwidth_tb_per_s", "bf16_tflops", "fp8_tflops", "fp4_tflops",
                      "scaleup_gb_per_s")
MODEL_FIELDS = Model._fields
SERVER_FIELDS = Server._fields
STORAGE_FIELDS = Storage._fields


def _check_physics(entry: _Entry, groups: tuple[LayerGroup, ...], heads: int | None,
                   max_context: int) -> None:
    """Refuse what is legal JSON but cannot be a model: KV heads that do not divide the query
    heads, and a window or chunk that covers the whole context (that is full attention)."""
    for i, g in enumerate(groups):
        d = dict(g.dims)
        field = f"layer_groups[{i}]" if entry.raw.get("attention_pattern") == "layers" else None
        if heads is not None and g.spec.split == "heads" and heads % d["kv_heads"]:
            raise entry.fail(f"{field}.kv_heads" if field else "num_key_value_heads",
                             f"must divide num_attention_heads ({heads} / {d['kv_heads']})")
        limit = g.spec.limit
        if limit is not None and d[limit] >= max_context:
            raise entry.fail(f"{field}.{limit}" if field else "sliding_window",
                             f"({d[limit]}) covers the whole context (max_position_embeddings "
                             f"{max_context}): use full attention")


def _spec_form(entry: _Entry, pattern: str, num_layers: int) -> tuple[Any, ...]:
    """Read the methodology's full / sliding / hybrid fields: (kv_heads, head_dim, full,
    sliding, window)."""
    if "layer_groups" in entry.raw:
        raise entry.fail("layer_groups", f"must be absent when attention_pattern is "
                                         f"'{pattern}' (use 'layers')")
    kv_heads = entry.positive_int("num_key_value_heads")
    head_dim = entry.positive_int("head_dim")
    window = entry.positive_int("sliding_window", optional=True)
    full = entry.positive_int("full_attention_layers", optional=True)
    sliding = entry.positive_int("sliding_attention_layers", optional=True)
    if pattern == "full":
        if window is not None or sliding is not None:
            raise entry.fail("attention_pattern",
                             "is 'full' but sliding_window or sliding_attention_layers is set")
        full, sliding = num_layers, 0
    elif pattern == "sliding":
        if window is None:
            raise entry.fail("sliding_window", "is missing (required by attention_pattern "
                                               "'sliding')")
        if full is not None:
            raise entry.fail("full_attention_layers", "must be absent when attention_pattern "
                                                      "is 'sliding'")
        full, sliding = 0, num_layers
    else:
        for field, value in (("sliding_window", window), ("full_attention_layers", full),
                             ("sliding_attention_layers", sliding)):
            if value is None:
                raise entry.fail(field, "is missing (required by attention_pattern 'hybrid')")
        if full + sliding != num_layers:
            raise entry.fail("full_attention_layers",
                             f"+ sliding_attention_layers must equal num_layers "
                             f"({full} + {sliding} != {num_layers})")
    return kv_heads, head_dim, full, sliding, window


def _parse_rope(entry: _Entry) -> dict[str, Any]:
    """The RoPE scaling fields: TYPE:FACTOR, the context it multiplies, whether the served
    config enables it, and its source (required with it)."""
    rope = {"rope_scaling": None, "rope_original_max_position_embeddings": None,
            "rope_scaling_enabled": False, "rope_scaling_source": None}
    if "rope_scaling" not in entry.raw:
        for field in tuple(rope)[1:]:
            if field in entry.raw:
                raise entry.fail(field, "is set but rope_scaling is not")
        return rope
    text = entry.text("rope_scaling")
    try:
        split_rope(text)
    except ValueError as exc:
        raise entry.fail("rope_scaling", str(exc)) from None
    return {"rope_scaling": text.strip().lower(),
            "rope_original_max_position_embeddings": entry.positive_int(
                "rope_original_max_position_embeddings", optional=True),
            "rope_scaling_enabled": entry.boolean("rope_scaling_enabled"),
            "rope_scaling_source": entry.text("rope_scaling_source")}


def _parse_mtp(entry: _Entry, experts: int | None) -> dict[str, int]:
    """The model's multi-token-prediction layers and the parameters they load as a draft."""
    layers = entry.positive_int("mtp_layers", optional=True, maximum=MAX_LAYERS) or 0
    params = entry.positive_int("mtp_params", optional=True) or 0
    routed = entry.positive_int("mtp_expert_params", optional=True) or 0
    if params and not layers:
        raise entry.fail("mtp_params", "is set but mtp_layers is not")
    if routed and not params:
        raise entry.fail("mtp_expert_params", "is set but mtp_params is not")
    if routed > params:
        raise entry.fail("mtp_expert_params", f"must not exceed mtp_params "
                                              f"({routed:,} > {params:,})")
    if routed and experts is None:
        raise entry.fail("mtp_expert_params", "is set but the model has no num_experts")
    return {"mtp_layers": layers, "mtp_params": params, "mtp_expert_params": routed}


def parse_model(entry: _Entry) -> Model:
    entry.known(MODEL_FIELDS)
    num_layers = entry.positive_int("num_layers", maximum=MAX_LAYERS)
    pattern = entry.choice("attention_pattern", ATTENTION_PATTERNS)
    kv_heads = head_dim = full = sliding = window = None
    if pattern == "layers":
        groups = _parse_layer_groups(entry, num_layers)
    else:
        kv_heads, head_dim, full, sliding, window = _spec_form(entry, pattern, num_layers)
        groups = _spec_layer_groups(pattern, kv_heads, head_dim, full, sliding, window)
    heads = entry.positive_int("num_attention_heads", optional=True)
    max_context = entry.positive_int("max_position_embeddings")
    _check_physics(entry, groups, heads, max_context)
    total = entry.positive_number("total_params_billion")
    active = entry.positive_number("active_params_billion")
    if active > total:
        raise entry.fail("active_params_billion",
                         f"must not exceed total_params_billion ({active} > {total})")
    embedding = entry.positive_int("embedding_params", optional=True)
    if embedding is not None and embedding > exact(total) * 10**9:
        raise entry.fail("embedding_params", f"must not exceed total_params_billion x 10^9 "
                                             f"({embedding} > {total}e9)")
    multimodal = entry.positive_int("multimodal_params", optional=True)
    measured = entry.positive_number("measured_weights_gib", optional=True)
    if measured is None and "measured_weights_source" in entry.raw:
        raise entry.fail("measured_weights_source", "is set but measured_weights_gib is not")
    experts = entry.positive_int("num_experts", optional=True)
    per_token = entry.positive_int("experts_per_token", optional=True)
    if (experts is None) != (per_token is None):
        raise entry.fail("experts_per_token" if per_token is None else "num_experts",
                         "is missing (num_experts and experts_per_token go together)")
    if experts is not None and per_token > experts:
        raise entry.fail("experts_per_token", f"must not exceed num_experts "
                                              f"({per_token} > {experts})")
    rope = _parse_rope(entry)
    dense_mlp = entry.positive_int("dense_mlp_params", optional=True)
    if dense_mlp is not None and experts is None:
        raise entry.fail("dense_mlp_params", "is set but the model has no num_experts")
    if dense_mlp is not None and dense_mlp > exact(total) * 10**9:
        raise entry.fail("dense_mlp_params", f"must not exceed total_params_billion x 10^9 "
                                             f"({dense_mlp} > {total}e9)")
    return Model(
        name=entry.text("name"), aliases=entry.aliases(),
        description=entry.text("description"), hf_repo=entry.text("hf_repo"),
        source=entry.text("source"), num_layers=num_layers,
        num_key_value_heads=kv_heads, head_dim=head_dim,
        max_position_embeddings=max_context,
        attention_pattern=pattern, full_attention_layers=full, sliding_attention_layers=sliding,
        sliding_window=window, layer_groups=groups,
        default_kv_precision=entry.choice("default_kv_precision", KV_BYTES_PER_ELEMENT),
        total_params_billion=total, active_params_billion=active,
        weight_precision=entry.choice("weight_precision", WEIGHT_BYTES_PER_PARAM),
        params_source=entry.text("params_source"),
        vocab_size=entry.positive_int("vocab_size", optional=True),
        num_attention_heads=heads,
        embedding_params=embedding, multimodal_params=multimodal,
        measured_weights_gib=measured,
        measured_weights_source=entry.text("measured_weights_source") if measured else None,
        hidden_size=entry.positive_int("hidden_size", optional=True, maximum=MAX_LAYERS * 100),
        num_experts=experts, experts_per_token=per_token,
        quantized_layers=entry.choice("quantized_layers", QUANTIZED_LAYERS)
        if "quantized_layers" in entry.raw else "all",
        **_parse_mtp(entry, experts),
        architecture=entry.text("architecture") if "architecture" in entry.raw else None,
        step_layers=entry.positive_int("step_layers", optional=True, maximum=MAX_LAYERS),
        dense_mlp_params=dense_mlp, **rope)


def parse_server(entry: _Entry) -> Server:
    entry.known(SERVER_FIELDS)
    gpus = entry.positive_int("gpus")
    per_gpu = entry.positive_number("hbm_per_gpu_gb")
    total = entry.positive_number("total_hbm_gb")
    if not math.isclose(gpus * per_gpu, total, rel_tol=1e-9):
        raise entry.fail("total_hbm_gb", f"must equal gpus x hbm_per_gpu_gb "
                                         f"({gpus} x {per_gpu} = {gpus * per_gpu}, got {total})")
    cuda = entry.positive_number("gpu_memory_gib", optional=True)
    if cuda is not None and cuda > exact(per_gpu) * BYTES_PER_GB / BYTES_PER_GIB * 1.1:
        raise entry.fail("gpu_memory_gib", f"must not exceed hbm_per_gpu_gb by more than 10% "
                                           f"({cuda} GiB vs {per_gpu} GB)")
    if cuda is None and "gpu_memory_source" in entry.raw:
        raise entry.fail("gpu_memory_source", "is set but gpu_memory_gib is not")
    perf = {f: entry.positive_number(f, optional=True) for f in PERF_SERVER_FIELDS}
    allreduce, allreduce_from = _sourced_number(entry, "allreduce_latency_us", "allreduce_source")
    scaleout, scaleout_from = _sourced_number(entry, "scaleout_gb_per_s", "scaleout_source")
    family = entry.choice("gpu_family", GPU_FAMILIES) if "gpu_family" in entry.raw else None
    if any(v is not None for v in perf.values()) and "perf_source" not in entry.raw:
        raise entry.fail("perf_source", "is missing (say where the bandwidth and TFLOPS come "
                                        "from)")
    return Server(
        name=entry.text("name"), aliases=entry.aliases(), description=entry.text("description"),
        vendor=entry.text("vendor"), gpu_model=entry.text("gpu_model"), gpus=gpus,
        hbm_per_gpu_gb=per_gpu, total_hbm_gb=total, source=entry.text("source"),
        gpu_memory_gib=cuda,
        gpu_memory_source=entry.text("gpu_memory_source") if cuda is not None else None,
        gpu_family=family, **perf,
        perf_source=entry.text("perf_source") if "perf_source" in entry.raw else None,
        allreduce_latency_us=allreduce, allreduce_source=allreduce_from,
        scaleout_gb_per_s=scaleout, scaleout_source=scaleout_from,
        unit=entry.choice("unit", SERVER_UNITS) if "unit" in entry.raw else "node",
        gpus_per_host=_gpus_per_host(entry, gpus), **_server_money(entry),
    )


def _sourced_number(entry: _Entry, field: str, source: str) -> tuple[float | None, str | None]:
    """A positive number and the field saying where it comes from: both or neither."""
    value = entry.positive_number(field, optional=True)
    if (value is None) != (source not in entry.raw):
        raise entry.fail(source if value is not None else field,
                         f"is missing ({field} and {source} go together)")
    return value, entry.text(source) if value is not None else None


def _gpus_per_host(entry: _Entry, gpus: int) -> int | None:
    """The GPUs one host drives, which must divide the server's."""
    per_host = entry.positive_int("gpus_per_host", optional=True)
    if per_host is not None and gpus % per_host:
        raise entry.fail("gpus_per_host", f"must divide gpus ({gpus} is not a multiple of "
                                          f"{per_host})")
    return per_host


def _server_money(entry: _Entry) -> dict[str, Any]:
    """The server's power, rack units, price hint and GPU-hour rental hint, each with its
    source (and the prices with their dates)."""
    power = entry.positive_number("system_power_kw", optional=True)
    units = entry.positive_int("rack_units", optional=True, maximum=1000)
    if (power is not None or units is not None) and "power_source" not in entry.raw:
        raise entry.fail("power_source", "is missing (say where the power and rack units "
                                         "come from)")
    prices = {}
    for field, date, source in PRICE_HINTS.values():
        value = entry.positive_number(field, optional=True)
        if value is not None:
            for needed in (date, source):
                if needed not in entry.raw:
                    raise entry.fail(needed, f"is missing ({field} is a hint that needs its "
                                             f"date and source)")
        prices.update({field: value, date: None if value is None else entry.text(date),
                       source: None if value is None else entry.text(source)})
    return dict(system_power_kw=power, rack_units=units,
                power_source=entry.text("power_source") if "power_source" in entry.raw
                else None, **prices)


def parse_storage(entry: _Entry) -> Storage:
    entry.known(STORAGE_FIELDS)
    return Storage(
        name=entry.text("name"), aliases=entry.aliases(), description=entry.text("description"),
        type=entry.text("type"),
        read_throughput_gb_per_s=entry.positive_number("read_throughput_gb_per_s"),
        read_iops=entry.positive_int("read_iops"),
        read_latency_p99_ms=entry.positive_number("read_latency_p99_ms"),
        source=entry.text("source"),
    )


@record
class CatalogKind:
    """One catalog file: its list key, what an entry is called, and its parser."""

    key: str                       # "models", "servers", "storage" (and the file's stem)
    list_key: str
    entry: str
    parse: Callable[[_Entry], Any]


CATALOG_KINDS = (CatalogKind("models", "models", "model", parse_model),
                 CatalogKind("servers", "servers", "server", parse_server),
                 CatalogKind("storage", "profiles", "profile", parse_storage))


def collect_entries(raw_entries: list[Any], label: str, kind: str,
                    parse: Callable[[_Entry], Any]) -> tuple[tuple[Any, ...], list[CatalogError]]:
    """Parse every entry of one catalog list; return the good ones and every problem found
    (an entry's first bad field, and each name or alias used twice)."""
    entries: list[Any] = []
    problems: list[CatalogError] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raw_entries):
        try:
            item = parse(_Entry(label, kind, i, raw))
        except CatalogError as exc:
            problems.append(exc)
            item = None
        # names are checked even when another field is wrong, so every clash is reported
        name = raw.get("name") if isinstance(raw, dict) else None
        aliases = raw.get("aliases", []) if isinstance(raw, dict) else []
        keys = [k for k in [name, *(aliases if isinstance(aliases, list) else [])]
                if isinstance(k, str) and k.strip()]
        for key in keys:
            folded = key.casefold()
            if folded in seen:
                problems.append(CatalogError(label, f"{kind} '{name}'",
                                             f"name or alias '{key}' is already used by {kind} "
                                             f"'{seen[folded]}'"))
            else:
                seen[folded] = name
        if item is not None:
            entries.append(item)
    return tuple(entries), problems


def check_entries(raw_entries: list[Any], label: str, kind: str,
                  parse: Callable[[_Entry], Any]) -> tuple[Any, ...]:
    """Parse every entry of one catalog list; raise the first problem."""
    entries, problems = collect_entries(raw_entries, label, kind, parse)
    if problems:
        raise problems[0]
    return entries


def _default_storage_problem(document: dict[str, Any], profiles: Iterable[Storage],
                             label: str) -> CatalogError | None:
    default = document.get("default_profile")
    if not isinstance(default, str) or not any(p.name == default for p in profiles):
        return CatalogError(label, None,
                            f"default_profile must name one of the profiles (got {shown(default)})")
    return None


def load_catalogs(models_path: str, servers_path: str, storage_path: str,
                  labels: Mapping[str, str] | None = None) -> Catalogs:
    """Read and validate the three catalogs; raise CatalogError on the first problem."""
    labels = labels or {}
    paths = {"models": models_path, "servers": servers_path, "storage": storage_path}
    loaded = {}
    for kind in CATALOG_KINDS:
        label = labels.get(kind.key, str(paths[kind.key]))
        default, loaded[kind.key] = _checked_catalog(
            kind, label, read_text_file(paths[kind.key], label))
    problem = _default_storage_problem({"default_profile": default}, loaded["storage"], label)
    if problem:
        raise problem
    return Catalogs(models=loaded["models"], servers=loaded["servers"],
                    storage=loaded["storage"], default_storage=default)


@functools.lru_cache(maxsize=16)
def _checked_catalog(kind: Any, label: str, text: str) -> tuple[Any, tuple[Any, ...]]:
    """One catalog's default_profile (or None) and its parsed entries, from the file's text.
    Cached on the text, so a caller that loads the same catalogs again (the tests, a library
    user) parses them once; a changed file is new text."""
    document, raw = _catalog_lists(parse_json_text(text, label), label, kind.list_key)
    return document.get("default_profile"), check_entries(raw, label, kind.entry, kind.parse)


def validate_catalogs(paths: Mapping[str, str], labels: Mapping[str, str]) -> list[str]:
    """Check every entry of the three catalogs; return one line per problem (empty: none)."""
    problems: list[str] = []
    for kind in CATALOG_KINDS:
        try:
            document, raw_entries = _read_catalog(paths[kind.key], labels[kind.key],
                                                  kind.list_key)
        except CatalogError as exc:
            problems.append(str(exc))
            continue
        entries, found = collect_entries(raw_entries, labels[kind.key], kind.entry, kind.parse)
        problems += [str(p) for p in found]
        if kind.key == "storage":
            problem = _default_storage_problem(document, entries, labels[kind.key])
            if problem:
                problems.append(str(problem))
    return problems


def as_checkpoint(model: Model, wanted: str) -> Model:
    """The model as `wanted` names it: an alias in the Hub's org/name form is a checkpoint of
    the entry's architecture (deepseek-v3's deepseek-ai/DeepSeek-R1), which the report names
    and the launch command serves in place of the entry's hf_repo.

    >>> m = _DOC_MODEL._replace(hf_repo="org/base", aliases=("org/Tuned", "short"))
    >>> as_checkpoint(m, "ORG/tuned").hf_repo, as_checkpoint(m, "short").hf_repo
    ('org/Tuned', 'org/base')
    """
    named = [alias for alias in model.aliases if names_it(alias, wanted)]
    return model._replace(hf_repo=named[0]) if named else model


def names_it(alias: str, wanted: str) -> bool:
    """Whether `wanted` names an org/name alias: whole, or its name without the organisation
    (case-insensitive), as users often write a Hub checkpoint.

    >>> names_it("meta-llama/Llama-3.3-70B-Instruct", "llama-3.3-70b-instruct")
    True
    >>> names_it("meta-llama/Llama-3.3-70B-Instruct", "Llama-3.3-70B")
    False
    """
    folded = wanted.casefold()
    return "/" in alias and folded in (alias.casefold(), alias.rsplit("/", 1)[1].casefold())


def find_entry(entries: Iterable[Any], wanted: str, kind: str, label: str) -> Any:
    """Return the entry whose name or alias matches `wanted` (case-insensitive), or else the
    one entry with an org/name alias whose name part it is (names_it).

    An unknown name raises UsageError listing the closest names.
    """
    entries = tuple(entries)
    folded = wanted.casefold()
    for item in entries:
        if folded in (key.casefold() for key in (item.name, *item.aliases)):
            return item
    hub = [item for item in entries if any(names_it(a, wanted) for a in item.aliases)]
    if len(hub) == 1:
        return hub[0]
    names = [key for item in entries for key in (item.name, *item.aliases)]
    holding = [key for key in names if folded in key.casefold()]   # "llama-3.3-70b" in a
    close = list(dict.fromkeys(holding + close_matches(wanted, names, n=3, cutoff=0.5)))[:3]
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
        f"known: {', '.join(item.name for item in entries)}"
    raise UsageError(f"unknown {kind} {shown(wanted)} in {label}; {hint}")

# ======================================================== core: KV, budgets, scenarios
# Owns: the methodology's arithmetic, exact (integers and fractions) and pure. Sessions per node
# round down and nodes round up; each function says which. Calls the records above.

# A minimal model the doctests below vary with _replace.
_DOC_MODEL = Model("doc", (), "", "", "", 1, 1, 1, 1, "full", 1, 0, None, (), "bf16", 1.0, 1.0,
                   "bf16", "")


def layer_state_bytes(group: LayerGroup) -> int:
    """One layer's fixed state in bytes: the causal-conv part at state_precision, the
    recurrent (temporal) part at temporal_precision when set, else state_precision (vLLM's
    MambaStateDtypeCalculator._mamba_state_dtype: conv at the cache dtype, temporal at
    mamba_ssm_cache_dtype, "auto" meaning the same; SGLang's configs/mamba_utils.py
    mamba2_state_dtype: conv bf16, temporal fp32 by default)."""
    kind, d = group.spec, dict(group.dims)
    conv = kind.conv(d) if kind.conv is not None else 0
    temporal = kind.elements(d) - conv
    return conv * STATE_BYTES_PER_ELEMENT[group.state_precision] + temporal * \
        STATE_BYTES_PER_ELEMENT[group.temporal_precision or group.state_precision]


def layer_token_bytes(group: LayerGroup, bytes_per_element: int,
                      dims: Mapping[str, int] | None = None) -> int:
    """One layer's bytes per cached token: elements x bytes, or the kind's own byte rule."""
    kind, d = group.spec, dims if dims is not None else dict(group.dims)
    if kind.token_bytes is not None:
        return kind.token_bytes(d, bytes_per_element)
    return kind.elements(d) * bytes_per_element


def kv_group_use(group: LayerGroup, context_tokens: int, bytes_per_element: int) -> KvGroupUse:
    """Return what one layer group keeps for a session at this context (its kind's rule)."""
    if group.spec.state:
        return KvGroupUse(group, bytes_per_token=0, tokens=0,
                          state_bytes=group.layers * layer_state_bytes(group))
    per_token = group.layers * layer_token_bytes(group, bytes_per_element)
    return KvGroupUse(group, bytes_per_token=per_token, tokens=group.kept(context_tokens),
                      state_bytes=0)


def kv_breakdown(groups: Iterable[LayerGroup], context_tokens: int,
                 kv_precision: str) -> KvBreakdown:
    """Split one session's KV cache by layer group; the session keeps the sum.

    Full-attention and MLA layers keep every token of the context; sliding-window and chunked
    layers at most their window or chunk; linear-attention and Mamba layers a fixed state.

    >>> kv_heads_8 = (("kv_heads", 8), ("head_dim", 64), ("v_head_dim", 64))
    >>> groups = (LayerGroup("full", 18, kv_heads_8),
    ...           LayerGroup("sliding", 18, kv_heads_8 + (("window", 128),)))
    >>> kv = kv_breakdown(groups, 131072, "fp8")
    >>> [(g.bytes_per_token, g.tokens) for g in kv.groups]   # 18 x 8 x 128 x 1 = 18,432
    [(18432, 131072), (18432, 128)]
    >>> kv.per_session_bytes  # 18,432 x (131,072 + 128)
    2418278400
    """
    bytes_per_element = KV_BYTES_PER_ELEMENT[kv_precision]
    return KvBreakdown(bytes_per_element=bytes_per_element, context_tokens=context_tokens,
                       groups=tuple(kv_group_use(g, context_tokens, bytes_per_element)
                                    for g in groups))


def hbm_total_bytes(server: Server) -> int:
    """Return the server's HBM in bytes from vendor GB (10**9 bytes).

    >>> hbm_total_bytes(Server("s", (), "", "", "", 8, 288, 2304, ""))
    2304000000000
    """
    return floor_times(BYTES_PER_GB, exact(server.total_hbm_gb))


def kv_budget_per_node_bytes(hbm_bytes: int, runtime_overhead_gib: float,
                             kv_budget_ratio: float) -> int:
    """Return the bytes of a node's HBM given to KV: (HBM - overhead) x ratio, floored.

    A node whose overhead exceeds its HBM has a budget of 0.

    >>> b = kv_budget_per_node_bytes(2304 * 10**9, 120, 0.70)
    >>> b, round(b / 2**30, 2)   # (2,304e9 - 120 x 2^30) x 0.7 = 2,175,150,981,120 x 0.7
    (1522605686784, 1418.04)
    """
    overhead, ratio = exact(runtime_overhead_gib), exact(kv_budget_ratio)
    usable = hbm_bytes * overhead.denominator - overhead.numerator * BYTES_PER_GIB
    return max(0, usable * ratio.numerator // (overhead.denominator * ratio.denominator))


def sessions_per_node(budget_bytes: int, kv_per_session_bytes: int) -> int:
    """Return how many whole sessions fit in the budget (rounded down: a part session is none).

    >>> sessions_per_node(1000, 250), sessions_per_node(999, 250)
    (4, 3)
    """
    return budget_bytes // kv_per_session_bytes


def nodes_for(concurrency: int, headroom_ratio: float, per_node: int) -> int:
    """Return ceil(concurrency x (1 + headroom) / sessions per node), exactly.

    Nodes round up: a part node must still be bought. The ratio is taken as the decimal the
    user typed, so 100 sessions at +20% on 120-session nodes is exactly one node.

    >>> nodes_for(100, 0.2, 120), nodes_for(101, 0.2, 120)
    (1, 2)
    """
    headroom = exact(headroom_ratio)
    return -(-concurrency * (headroom.denominator + headroom.numerator)
             // (headroom.denominator * per_node))


def plan_load(s: ScenarioResult, concurrency: int, units: int = 1) -> int:
    """Return the sessions `units` buying units (a node, or the nodes a replica spans) carry
    at the scenario's load: as many as its binding constraint lets them hold, or the whole peak
    workload (concurrency x (1 + headroom)) when that is fewer, since they never hold more
    sessions than there are. Speeds are quoted at this load.

    >>> s = ScenarioResult(*([None] * 17))._replace(sessions_per_unit=629,
    ...     config=ScenarioConfig(0.2, "n+1", 0.7))
    >>> plan_load(s, 1000), plan_load(s, 100), plan_load(s, 1000, 2)  # 1,200 at peak; 120
    (629, 120, 1200)
    """
    return min(s.sessions_per_unit * units,
               nodes_for(concurrency, s.config.peak_headroom_ratio, 1))


def expert_params(model: Model) -> int:
    """Return the parameters of the routed experts: total - active = experts x (1 - k / E),
    so experts = (total - active) / (1 - k / E); 0 for a dense model.

    >>> expert_params(_DOC_MODEL._replace(total_params_billion=671.03,
    ...     active_params_billion=37.55, num_experts=256, experts_per_token=8))
    653914838709
    """
    e, k = model.num_experts, model.experts_per_token
    if not e or not k or k >= e:
        return 0
    spread = exact(model.total_params_billion) - exact(model.active_params_billion)
    return math.floor(spread * 10**9 / (1 - Fraction(k, e)))


@functools.lru_cache(maxsize=4096)
def weights_parts(model: Model, precision: str | None = None) -> tuple[int, int]:
    """Return the bytes of the model's weights as (dense, routed experts).

    Parameters x bytes per parameter (scales included: MXFP4 4.25 bits, NVFP4 4.5, INT4 4.16). The
    input embedding and LM head (`embedding_params`) stay in bf16 when the rest is quantized
    below 2 bytes, as FP8, MXFP4 and NVFP4 checkpoints keep them; with `quantized_layers`
    "experts" only the routed experts are quantized (gpt-oss keeps attention in bf16). A vision
    tower (`multimodal_params`) adds its bf16 bytes to the dense part. A measured size (an
    engine's "Model loading took X GiB", or a checkpoint's, towers included) wins when the
    precision is the model's own, split in the same proportion.

    >>> m = _DOC_MODEL._replace(total_params_billion=8.03)
    >>> weights_parts(m)   # 8.03e9 x 2
    (16060000000, 0)
    >>> m = m._replace(total_params_billion=70.55, embedding_params=2101346304)
    >>> weights_parts(m, "fp8")   # (70.55e9 - 2,101,346,304) x 1 + 2,101,346,304 x 2
    (72651346304, 0)
    >>> oss = _DOC_MODEL._replace(total_params_billion=116.83, active_params_billion=5.71,
    ...     num_experts=128, experts_per_token=4, quantized_layers="experts")
    >>> weights_parts(oss, "mxfp4")   # 111.12e9 / (1 - 4/128) = 114,704,516,129 experts
    (4250967742, 60936774193)

    (x 17/32 B; the other 2,125,483,871 parameters x 2 B.)
    """
    chosen = precision or model.weight_precision
    params = exact(model.total_params_billion) * 10**9
    embedding = min(Fraction(model.embedding_params or 0), params)
    experts = min(Fraction(expert_params(model)), params - embedding)
    dense, expert = stored_bytes(model, chosen, params, experts, embedding)
    dense += multimodal_bytes(model)
    if model.measured_weights_gib is not None and chosen == model.weight_precision:
        measured = exact(model.measured_weights_gib) * BYTES_PER_GIB
        expert = measured * expert / (dense + expert)
        dense = measured - expert
    return math.floor(dense), math.floor(expert)


def stored_bytes(model: Model, precision: str, params: Fraction, experts: Fraction,
                 embedding: Fraction = Fraction(0)) -> tuple[Fraction, Fraction]:
    """Return the bytes of `params` parameters as (dense, routed experts), `experts` of them
    routed experts and `embedding` the input embedding and LM head (bf16 below 2 bytes a
    parameter), in `precision` as the model stores it: with `quantized_layers` "experts"
    only the routed experts in it, the rest at least 2 bytes (weights_parts)."""
    per_param = WEIGHT_BYTES_PER_PARAM[precision]
    wide = max(per_param, 2)
    if model.quantized_layers == "experts":
        return (params - experts) * wide, experts * per_param
    return (params - experts - embedding) * per_param + embedding * wide, experts * per_param


def draft_weights_parts(model: Model, settings: EngineSettings, precision: str
                        ) -> tuple[int, int]:
    """Return the bytes of a speculative draft's weights as (dense, routed experts): with
    --speculative mtp the model's MTP layers (`mtp_params`, of which `mtp_expert_params`
    routed experts), in the model's precision as weights_parts counts it; each engine loads
    them beside the model and shares the input embedding and LM head with it (vLLM's
    llm_base_proposer.py: "Detected MTP model. Sharing target model embedding weights with
    the draft model." and its lm_head, set as each MTP layer's shared_head.head; SGLang's
    EAGLE worker, set_embed_and_head). vLLM shares the embedding only without pipeline
    stages: a replica over nodes also loads the draft's own (not counted). An EAGLE draft is a
    checkpoint of its own: its `draft_params` (--speculative-draft-params) in DRAFT_PRECISION,
    with no routed experts; the engines share the target's embedding with it too.

    >>> v3 = _DOC_MODEL._replace(mtp_layers=1, mtp_params=11610068224,
    ...                          mtp_expert_params=11274289152)
    >>> draft_weights_parts(v3, EngineSettings(speculative="mtp"), "fp8")
    (335779072, 11274289152)
    >>> draft_weights_parts(v3, EngineSettings(draft_layers=1), "fp8")
    (0, 0)
    >>> draft_weights_parts(v3, EngineSettings(draft_layers=1, draft_params=424689664), "fp8")
    (849379328, 0)
    """
    if settings.draft_params:
        return math.floor(settings.draft_params * WEIGHT_BYTES_PER_PARAM[DRAFT_PRECISION]), 0
    if settings.speculative != "mtp":
        return 0, 0
    dense, expert = stored_bytes(model, precision, Fraction(model.mtp_params),
                                 Fraction(model.mtp_expert_params))
    return math.floor(dense), math.floor(expert)


def multimodal_bytes(model: Model) -> int:
    """Return the bytes of the model's vision tower and projector: bf16 whatever the language
    model's precision (quantized checkpoints leave them unquantized)."""
    return (model.multimodal_params or 0) * 2


def weights_bytes(model: Model, precision: str | None = None) -> int:
    """Return the bytes of the model's weights (weights_parts, summed).

    >>> weights_bytes(_DOC_MODEL._replace(total_params_billion=8.03))
    16060000000
    """
    return sum(weights_parts(model, precision))


def read_seconds(size_bytes: int, throughput_gb_per_s: float) -> float:
    """Return seconds to read `size_bytes` at a vendor-GB/s throughput.

    >>> read_seconds(28 * 10**9, 28)
    1.0
    """
    return size_bytes / (throughput_gb_per_s * BYTES_PER_GB)


def group_labels(groups: Iterable[LayerGroup]) -> list[str]:
    """Name each group by its kind, numbering kinds that occur more than once.

    >>> g = LayerGroup("full", 1, ())
    >>> group_labels([g, LayerGroup("mla", 1, ()), g])
    ['full#1', 'mla', 'full#2']
    """
    groups = list(groups)
    counts: dict[str, int] = {}
    for g in groups:
        counts[g.kind] = counts.get(g.kind, 0) + 1
    seen: dict[str, int] = {}
    labels = []
    for g in groups:
        seen[g.kind] = seen.get(g.kind, 0) + 1
        labels.append(f"{g.kind}#{seen[g.kind]}" if counts[g.kind] > 1 else g.kind)
    return labels


def configure(policy: ScenarioPolicy, workload: Workload) -> ScenarioConfig:
    """Apply a scenario's policy to the user's workload.

    >>> w = Workload(1000, 131072, "fp8", 0.70, 120, 0.20, "n+1")
    >>> configure(SCENARIOS[2], w)
    ScenarioConfig(peak_headroom_ratio=0.3, ha_mode='n+2', kv_budget_ratio=0.65)
    """
    if policy.headroom_fixed_ratio is not None:
        headroom = policy.headroom_fixed_ratio
    else:
        headroom = max(workload.peak_headroom_ratio, policy.headroom_floor_ratio)
    ha = policy.ha_fixed or max(workload.ha_mode, policy.ha_floor, key=HA_EXTRA_NODES.get)
    ratio = workload.kv_budget_ratio
    if policy.budget_ceiling_ratio is not None:
        ratio = min(ratio, policy.budget_ceiling_ratio)
    return ScenarioConfig(peak_headroom_ratio=headroom, ha_mode=ha, kv_budget_ratio=ratio)


def engine_pool_share(policy: ScenarioPolicy) -> Fraction:
    """Return the share of the engine's KV pool a scenario may fill: all of it, except where
    the scenario caps the methodology's budget (IDEAL, 0.65), the cap over the methodology's
    default budget (0.65 / 0.70 = 13 / 14). It does not read --kv-budget-ratio, which sets the
    pooled view's budget: the engine's own memory settings set its pool, and a larger budget
    must never make a plan bigger (with the given ratio as denominator, raising it from 0.7
    to 0.9 took IDEAL from 93% of the pool to 72%).

    >>> [engine_pool_share(p) for p in SCENARIOS]
    [Fraction(1, 1), Fraction(1, 1), Fraction(13, 14)]
    """
    if policy.budget_ceiling_ratio is None:
        return Fraction(1)
    return min(Fraction(1), exact(policy.budget_ceiling_ratio) / exact(DEFAULT_KV_BUDGET_RATIO))


def capex_vs_minimum(nodes: int | None, minimum_nodes: int | None) -> float | None:
    """Return the extra capital of a node count relative to MINIMUM's, as a ratio.

    Capex is taken as proportional to nodes (same server in every scenario).

    >>> capex_vs_minimum(3, 2), capex_vs_minimum(5, 2), capex_vs_minimum(None, 2)
    (0.5, 1.5, None)
    """
    if nodes is None or minimum_nodes is None:
        return None
    return float(Fraction(nodes - minimum_nodes, minimum_nodes))

@record
class ContextLimit:
    """The longest context a model serves, and the RoPE scaling that may extend it."""

    native: int                       # max_position_embeddings
    limit: int                        # what it serves here
    scaling: str | None               # "yarn:4": the flag's, else the catalog's
    scaled: int | None                # the context with that scaling
    in_use: bool                      # the flag gives it, or the served config enables it
    from_flag: bool


def context_limit(model: Model, rope: str | None = None) -> ContextLimit:
    """The longest context the model serves: max_position_embeddings, or with a RoPE scaling
    in use (the flag's, else the catalog's when the served config enables it) the context it
    multiplies times its factor, whichever is larger.

    Qwen3-32B: 40,960 tokens; with yarn:4 over 32,768, 131,072 (its model card).
    """
    native = model.max_position_embeddings
    scaling = rope or model.rope_scaling
    if scaling is None or (rope is None and model.rope_scaling_enabled):
        # none, or the served config applies it: max_position_embeddings is already the
        # scaled length (DeepSeek-V3: yarn x40 over 4,096 = 163,840)
        return ContextLimit(native=native, limit=native, scaling=scaling, scaled=None,
                            in_use=scaling is not None, from_flag=False)
    base = model.rope_original_max_position_embeddings or native
    scaled = max(native, int(base * split_rope(scaling)[1]))
    return ContextLimit(native=native, limit=scaled if rope else native, scaling=scaling,
                        scaled=scaled, in_use=rope is not None, from_flag=rope is not None)

# ======================================================== engine view
# Owns: what vLLM, SGLang and TRT-LLM allocate per GPU (engine_kv_accounting.md): weights per
# GPU, the KV memory left, blocks, one request's reservation, sessions per replica, and the
# tensor-parallel layout search. Pure functions of the model, the server and EngineSettings;
# bytes are integers throughout. Calls the core above.


def gpu_memory(server: Server, settings: EngineSettings) -> tuple[int, str]:
    """Return one GPU's memory in bytes as the engine sees it, and where it came from:
    the flag, the catalog's measured `gpu_memory_gib`, or the vendor GB (10^9 bytes)."""
    if settings.gpu_memory_gib is not None:
        return gib_bytes(settings.gpu_memory_gib), "flag"
    if server.gpu_memory_gib is not None:
        return gib_bytes(server.gpu_memory_gib), "catalog"
    return floor_times(BYTES_PER_GB, exact(server.hbm_per_gpu_gb)), "vendor_gb"


def default_batch_limits(server: Server, gpu_bytes: int) -> tuple[int, int]:
    """Return vLLM's default (max_num_batched_tokens, max_num_seqs) for its API server on this
    GPU.

    >>> s = Server("s", (), "", "", "H100 SXM5 80GB", 8, 80, 640, "")
    >>> default_batch_limits(s, gib_bytes(79.18)), default_batch_limits(s, gib_bytes(44.42))
    ((8192, 1024), (2048, 256))
    >>> default_batch_limits(s._replace(gpu_model="A100 SXM4 80GB"), gib_bytes(79.15))
    (2048, 256)
    """
    if gpu_bytes >= LARGE_GPU_MIN_GIB * BYTES_PER_GIB and "a100" not in server.gpu_model.lower():
        return DEFAULT_MAX_NUM_BATCHED_TOKENS, DEFAULT_MAX_NUM_SEQS
    return SMALL_GPU_MAX_NUM_BATCHED_TOKENS, SMALL_GPU_MAX_NUM_SEQS


def with_batch_limits(settings: EngineSettings, server: Server) -> EngineSettings:
    """Return the settings with max_num_batched_tokens and max_num_seqs set: as given, else
    vLLM's defaults for the server's GPU (as the engine sees its memory); TRT-LLM's batched
    tokens are its max_num_tokens, 8,192 on every GPU. SGLang's chunked_prefill_size too: as
    given, else its default for the GPU."""
    gpu_bytes = gpu_memory(server, settings)[0]
    if settings.engine == "sglang" and settings.chunked_prefill_size is None:
        settings = settings._replace(chunked_prefill_size=sglang_chunked_prefill(gpu_bytes))
    if settings.max_num_batched_tokens is not None and settings.max_num_seqs is not None:
        return settings
    tokens, seqs = default_batch_limits(server, gpu_bytes)
    if settings.engine == "trtllm":
        tokens = TRTLLM_MAX_NUM_TOKENS
    return settings._replace(max_num_batched_tokens=settings.max_num_batched_tokens or tokens,
                             max_num_seqs=settings.max_num_seqs or seqs)


def running_limit(engine: str, max_num_seqs: int, kv_tokens: int, context_len: int,
                  configured: int | None = None, attention_ranks: int = 1) -> tuple[int, str]:
    """Return the most requests the engine runs at once on one replica, and the setting that
    says so (see the constants). `configured` is SGLang's --max-running-requests or TRT-LLM's
    --max-batch-size when given; SGLang still runs at most half its KV tokens, and splits a
    given limit evenly over its `attention_ranks` data-parallel attention ranks, each a
    replica here (sglang model_runner_kv_cache_mixin.py resolve_max_num_reqs:
    max_running_requests // attn_dp_size per DP worker).

    >>> running_limit("vllm", 1024, 958048, 131072)
    (1024, 'max_num_seqs')
    >>> running_limit("sglang", 1024, 958048, 131072)   # 958,048 x 512 / 131,072 = 3,742
    (3742, 'max_running_requests')
    >>> running_limit("sglang", 1024, 3000, 131072), running_limit("trtllm", 1024, 1, 1)
    ((1500, 'max_running_requests'), (2048, 'max_batch_size'))
    >>> running_limit("sglang", 1024, 958048, 131072, 8192)    # as given, under 479,024
    (8192, 'max_running_requests')
    >>> running_limit("sglang", 1024, 3000, 131072, 8192), running_limit("trtllm", 1, 1, 1, 64)
    ((1500, 'max_running_requests'), (64, 'max_batch_size'))
    >>> running_limit("sglang", 1024, 958048, 131072, 8192, 8)   # 8,192 over 8 ranks = 1,024
    (1024, 'max_running_requests')
    """
    if engine == "sglang":
        low, high = SGLANG_RUNNING_REQUESTS
        if configured is not None:
            configured //= attention_ranks
        if kv_tokens <= 0:      # recurrent layers only: no token pool to bound it
            return low if configured is None else configured, "max_running_requests"
        estimated = configured if configured is not None else max(
            low, min(high, kv_tokens * SGLANG_RUNNING_PER_CONTEXT // context_len))
        return min(estimated, kv_tokens // 2), "max_running_requests"
    if engine == "trtllm":
        return configured or TRTLLM_MAX_BATCH_SIZE, "max_batch_size"
    return max_num_seqs, "max_num_seqs"


def node_sessions(per_replica: int, replicas_per_node: int, nodes_per_replica: int) -> int:
    """Sessions a node serves when each replica serves `per_replica`: that many for each
    replica in the node, or a replica's share when it spans nodes, rounded down."""
    if nodes_per_replica > 1:
        return per_replica // nodes_per_replica
    return per_replica * replicas_per_node


def replica_sessions(pool_bytes: int, request_bytes: int, limit: int) -> int:
    """Sessions one replica serves: the requests its KV pool holds (whole ones), at most the
    engine's running limit."""
    return min(pool_bytes // request_bytes, limit)


def activation_estimate_bytes(model: Model, settings: EngineSettings) -> int:
    """Return the activation peak per GPU of the engine's profile run (see the constants).
    vLLM's: the larger of the sampler's, max_num_seqs x vocab x 38.9 bytes (14 with FlashInfer's
    sampler), and the forward pass's, batched tokens x hidden x 30 bytes plus, for a mixture of
    experts, batched tokens x experts per token x hidden x 2 bytes x 1.72. TRT-LLM's: the
    forward pass's alone, over its max_num_tokens, since its profile requests generate one
    token each.

    >>> s = EngineSettings(max_num_batched_tokens=8192, max_num_seqs=1024)
    >>> m = _DOC_MODEL._replace(vocab_size=128256, hidden_size=4096)
    >>> round(activation_estimate_bytes(m, s) / 2**30, 3)   # 1,024 x 128,256 x 38.9 / 2^30
    4.758
    >>> round(activation_estimate_bytes(m, s._replace(flashinfer_sampler=True)) / 2**30, 3)
    1.712
    >>> round(activation_estimate_bytes(m._replace(vocab_size=32000),   # 16,384 x 4,096 x 30
    ...       s._replace(max_num_batched_tokens=16384)) / 2**30, 3)
    1.875
    >>> round(activation_estimate_bytes(m, s._replace(engine="trtllm")) / 2**30, 3)
    0.938
    """
    tokens = settings.max_num_batched_tokens
    forward = None
    if model.hidden_size:
        forward = tokens * model.hidden_size * ACTIVATION_FORWARD_BYTES
        if model.experts_per_token:
            forward += math.floor(tokens * model.experts_per_token * model.hidden_size * 2
                                  * exact(ACTIVATION_MOE_FACTOR))
    if settings.engine == "trtllm" and forward is not None:
        return forward
    if model.vocab_size is None:
        return gib_bytes(ACTIVATION_FALLBACK_GIB)
    per_logit = ACTIVATION_SAMPLER_FLASHINFER_BYTES if settings.flashinfer_sampler \
        else exact(ACTIVATION_SAMPLER_BYTES)
    sampler = math.floor(settings.max_num_seqs * model.vocab_size * per_logit)
    return max(sampler, forward or 0)


def deepep_low_latency_bytes(tokens: int, hidden: int, ranks: int, experts: int) -> int:
    """Return the RDMA buffer DeepEP's low-latency kernels ask for on each GPU
    (get_low_latency_rdma_size_hint: LowLatencyLayout in deepseek-ai/DeepEP csrc/config.hpp):
    two send, two receive and two signalling buffers, a send buffer holding `tokens` dispatch
    messages or every expert's combine messages for them, a receive buffer every expert's
    messages of either kind; a dispatch message is 16 B and the larger of bf16 hidden and
    FP8 hidden with a float scale per 128 channels, a combine message bf16 hidden and two
    bf16 per 128 channels; rounded up past NUM_BUFFER_ALIGNMENT_BYTES (128).

    DeepSeek-V3 (hidden 7,168, 256 experts) at vLLM's 256 tokens a rank over 32 ranks:
    combine messages 56 x 4 + 14,336 = 14,560 B, send and receive buffers 256 x 256 x
    14,560 = 954,204,160 B each, signals 256 x 8 + 8 x 4 = 2,080 B (2,176 aligned):
    4 x 954,204,160 + 2 x 2,176 = 3,816,820,992, then 3,816,821,120.

    >>> deepep_low_latency_bytes(256, 7168, 32, 256)
    3816821120
    """
    scales = hidden // 128
    dispatch = 16 + max(hidden * 2, hidden + scales * 4)
    combine = scales * 4 + hidden * 2
    send = max(tokens * dispatch, experts * tokens * combine)
    receive = experts * tokens * max(dispatch, combine)
    signals = -(-(experts * 8 + experts // ranks * 4) // 128) * 128
    return (2 * (send + receive + signals) + 128) // 128 * 128


def all_to_all_buffer_bytes(model: Model, settings: EngineSettings, ranks: int,
                            group_nodes: int) -> int:
    """Return the all-to-all buffers that come out of the engine's KV memory on each GPU
    (DeepEP's low-latency buffers, VLLM_DEEPEP_NVL_BYTES) for an expert group over several
    nodes, launched with them (WIDE_EP_ALL_TO_ALL, TRTLLM_WIDE_EP_ENV); 0 otherwise."""
    if settings.engine == "sglang" or group_nodes == 1 or not model.num_experts:
        return 0
    nvlink = VLLM_DEEPEP_NVL_BYTES if settings.engine == "vllm" else 0
    return nvlink + DEEPEP_WORKSPACE_BYTES + deepep_low_latency_bytes(
        DEEPEP_TOKENS_PER_RANK, model.hidden_size or 0, ranks, model.num_experts)


def reserve_estimate_bytes(tensor_parallel: int, engine: str = "vllm") -> int:
    """Return the runtime memory per GPU outside the engine's budget terms: vLLM the non-torch
    memory (0.13 GiB alone, 0.55 GiB with tensor parallelism); SGLang and TRT-LLM what the CUDA
    context and the distributed start-up take (0.61 / 1.54 GiB), measured over the device."""
    if engine in ("sglang", "trtllm"):
        return gib_bytes(STARTUP_GIB_TP1 if tensor_parallel == 1 else STARTUP_GIB_TP)
    return gib_bytes(RESERVE_GIB_TP1 if tensor_parallel == 1 else RESERVE_GIB_TP)


def sglang_gpu_defaults(gpu_bytes: int, tensor_parallel: int) -> tuple[int, int]:
    """Return SGLang's default (chunked_prefill_size, cuda_graph_max_bs) for a GPU and TP size.

    >>> sglang_gpu_defaults(gib_bytes(79.18), 4), sglang_gpu_defaults(gib_bytes(44.42), 1)
    ((8192, 512), (4096, 32))
    >>> sglang_gpu_defaults(gib_bytes(178.35), 8)
    (16384, 512)
    """
    _, chunked, small_tp, large_tp = next(
        (row for row in SGLANG_GPU_DEFAULTS if gpu_bytes < row[0] * BYTES_PER_GIB),
        (None, *SGLANG_LARGE_GPU_DEFAULTS))
    return chunked, small_tp if tensor_parallel < 4 else large_tp


def sglang_chunked_prefill(gpu_bytes: int) -> int:
    """Return SGLang's default chunked_prefill_size for a GPU (sglang_gpu_defaults)."""
    return sglang_gpu_defaults(gpu_bytes, 1)[0]


def sglang_mem_fraction_static(gpu_bytes: int, tensor_parallel: int, stages: int,
                               dp_attention: int = 0, chunked: int | None = None,
                               speculative: bool = False) -> Fraction:
    """Return SGLang's default --mem-fraction-static for a GPU (see the constants): TP
    `tensor_parallel` per attention group, with data-parallel attention over `dp_attention`
    such groups (SGLang's --tp then counts every rank), its prefill chunk `chunked` tokens
    (--chunked-prefill-size; None: its default for the GPU), and 2 GiB more set aside, after
    the floor, for a speculative draft (EAGLE, which also runs MTP drafts: "elif
    self.speculative_algorithm not in (None, 'NGRAM'): reserved_mem += 2 * 1024").

    >>> float(sglang_mem_fraction_static(gib_bytes(79.18), 4, 1))
    0.823

    (512 + 8,192 x 1.5 + 512 x 2 + 4 / 8 x 1,024 = 14,336 MiB; (81,080.3 - 14,336) / 81,080.3)

    >>> float(sglang_mem_fraction_static(gib_bytes(79.18), 4, 1, chunked=32768))
    0.369

    (512 + 32,768 x 1.5 + 512 x 2 + 512 = 51,200 MiB; (81,080.3 - 51,200) / 81,080.3)

    >>> float(sglang_mem_fraction_static(gib_bytes(79.18), 4, 1, speculative=True))
    0.798

    (max(14,336, 10,240) + 2,048 = 16,384 MiB; (81,080.3 - 16,384) / 81,080.3)
    """
    if gpu_bytes <= 0:
        return Fraction(0)
    tp_size = tensor_parallel * max(1, dp_attention)
    default_chunked, graph_bs = sglang_gpu_defaults(gpu_bytes, tp_size)
    chunked = default_chunked if chunked is None else chunked
    reserved_mib = Fraction(512) + Fraction(max(chunked, 2048) * 3, 2) + graph_bs * 2 \
        + Fraction(tp_size * stages * 1024, 8) \
        + sglang_dp_graph_mib(gpu_bytes, tensor_parallel, dp_attention)
    reserved = reserved_mib * 2**20
    if gpu_bytes > 60 * BYTES_PER_GIB:
        reserved = max(reserved, Fraction(10 * BYTES_PER_GIB))
    if speculative:
        reserved += SGLANG_SPECULATIVE_RESERVE_MIB * 2**20
    return round((gpu_bytes - reserved) / gpu_bytes, 3)


def sglang_dp_graph_mib(gpu_bytes: int, tensor_parallel: int, dp_attention: int) -> Fraction:
    """Return the MiB per GPU SGLang's default --mem-fraction-static sets aside for
    data-parallel attention's CUDA graphs, which pad the batch gathered from every rank:
    cuda_graph_max_bs x ranks x 3, x 4.5 above a batch of 300 (server_args.py, "DP attention
    uses much more memory for large cuda graph max bs"); 0 without it.

    >>> float(sglang_dp_graph_mib(gib_bytes(276.5), 1, 72))     # 512 x 72 x 4.5
    165888.0
    """
    if not dp_attention:
        return Fraction(0)
    graph_bs = sglang_gpu_defaults(gpu_bytes, tensor_parallel * dp_attention)[1]
    return graph_bs * dp_attention * (Fraction(9, 2) if graph_bs > 300 else 3)


def layer_split(tensor_parallel: int, gpus_per_node: int) -> tuple[int, int]:
    """Return (tensor-parallel ranks within a node, pipeline stages across nodes).

    >>> layer_split(4, 8), layer_split(16, 8)
    ((4, 1), (8, 2))
    """
    if tensor_parallel <= gpus_per_node:
        return tensor_parallel, 1
    return gpus_per_node, math.ceil(tensor_parallel / gpus_per_node)


def kv_per_gpu(groups: Iterable[LayerGroup], tp: int, stages: int, bytes_per_element: int
               ) -> list[tuple[LayerGroup, int, int, int]]:
    """Return, per layer group, (group, layers on the worst stage, KV heads per GPU, bytes per
    token per layer per GPU); state groups have 0 heads and their state bytes per layer.

    The kind's record says how it splits: KV heads over the node's TP ranks but never below one
    (replicated beyond); the MLA latent replicated on every rank; recurrent state split evenly.
    The bytes come from the same elements rule as the pooled KV, with the heads one GPU holds.
    """
    out = []
    for g in groups:
        layers = math.ceil(g.layers / stages)
        kind, d = g.spec, dict(g.dims)
        if kind.state:
            whole = g if kind.tp_dims is None else g._replace(
                dims=tuple(kind.tp_dims(d, tp).items()))
            out.append((g, layers, 0, math.ceil(layer_state_bytes(whole) / tp)))
        elif kind.split == "replicated":
            out.append((g, layers, 1, layer_token_bytes(g, bytes_per_element)))
        else:
            heads = max(1, d["kv_heads"] // tp)
            out.append((g, layers, heads,
                        layer_token_bytes(g, bytes_per_element, {**d, "kv_heads": heads})))
    return out


def reserved_tokens(group: LayerGroup, context: int, block: int, batched: int) -> int:
    """Return the tokens of KV the engine reserves for one request in one layer of a group
    (vLLM's max_memory_usage_bytes): full and MLA the context in whole blocks; a sliding
    window window - 1 + batched tokens, plus one block for an unaligned start; a chunk
    chunk + batched tokens; never more than the context allows.

    >>> g = LayerGroup("sliding", 1, (("kv_heads", 8), ("head_dim", 64), ("v_head_dim", 64),
    ...                               ("window", 128)))
    >>> reserved_tokens(g, 131072, 16, 8192)   # (ceil((128 - 1 + 8192) / 16) + 1) x 16
    8336
    """
    return group.spec.reserve(dict(group.dims), context, block, batched)


def engine_kv_memory(settings: EngineSettings, gpu_bytes: int, weights_gpu: int,
                     activation: int, reserve: int, tp: int, stages: int
                     ) -> tuple[int, str, float]:
    """Return (KV memory per GPU in bytes, the rule, the share used) for the engine.

    vLLM (<= 0.20): gpu_memory_utilization x total - weights - activation - non-torch.
    SGLang: mem_fraction_static x (total - start-up) - weights (activations live outside).
    TRT-LLM: free_gpu_memory_fraction x (total - weights - activation - non-torch).
    """
    if settings.kv_cache_memory_gib is not None:
        return gib_bytes(settings.kv_cache_memory_gib), "kv_cache_memory_gib (given)", 1.0
    if settings.engine == "vllm":
        share = exact(settings.gpu_memory_utilization)
        kv = (share.numerator * gpu_bytes
              - share.denominator * (weights_gpu + activation + reserve)) // share.denominator
        rule = "gpu_memory_utilization x gpu_memory - weights - activation - runtime_reserve"
    elif settings.engine == "sglang":
        ranks = attention_ranks(settings, settings.expert_parallel)   # 1: no DP attention
        share = exact(settings.mem_fraction_static) if settings.mem_fraction_static is not None \
            else sglang_mem_fraction_static(gpu_bytes, tp, stages, ranks if ranks > 1 else 0,
                                            settings.chunked_prefill_size,
                                            settings.draft_layers > 0
                                            or settings.speculative is not None)
        kv = share.numerator * (gpu_bytes - reserve) // share.denominator - weights_gpu
        rule = "mem_fraction_static x (gpu_memory - runtime_reserve) - weights"
    else:
        share = exact(settings.free_gpu_memory_fraction)
        kv = floor_times(gpu_bytes - weights_gpu - activation - reserve, share)
        rule = "free_gpu_memory_fraction x (gpu_memory - weights - activation - runtime_reserve)"
    return kv, rule, float(share)


@record
class KvPool:
    """A replica's KV memory per GPU as the engine lays it out."""

    bytes_per_token: int       # all attention layers on the GPU, per token
    state_bytes: int           # all recurrent layers' state, per request
    request_bytes: int         # one request's reservation at the context
    num_blocks: int
    pool_bytes: int
    block_size: int            # tokens per attention block (raised for vLLM hybrids)
    tokens: int                # what the engine logs as its KV capacity in tokens
    window_rule: str | None = None   # SGLang's rule for windowed layers (WINDOW_RULES)
    state_slots: int | None = None   # SGLang: recurrent-state slots in their own pool
    block_groups: int = 1      # vLLM: the layer groups that draw on the pool's blocks


HYBRID_KERNEL_ALIGNMENT = 16   # vLLM's kernel block alignment for the attention page
HYBRID_GROUP_SPREAD = 1.5      # group_size is the largest per-type layer count under this


def _vllm_hybrid_pool(layout: list[tuple[LayerGroup, int, int, int]], kv_memory: int,
                      block: int, context: int) -> KvPool | None:
    """vLLM's pool for a model with attention and recurrent layers (engine_kv_accounting.md,
    sections a, c and d; vllm/platforms/interface.py and v1/core/kv_cache_utils.py):

    - the attention block grows to 16 x cdiv(state page, 16 x one token's attention page), so
      that one attention page holds a layer's state, and the state page is padded to it;
    - the layers of each type go into groups of group_size (the smallest per-type count, or
      the largest when under 1.5 x the smallest); num_blocks = memory // page // group_size;
    - a request takes cdiv(context, block) blocks per attention group and one per state group;
      the logged token capacity is num_blocks // groups x block (vLLM 0.8 to 0.19).

    Qwen3.5-27B (16 full layers of 4 KV heads x 256, 48 Gated DeltaNet layers of 3,207,168 B
    with an fp32 state): blocks of 784 tokens, 4 groups of 16 layers, 1,487 blocks = 290,864
    tokens and 1,487 / (42 + 3) = 33.04 requests of 32,768 tokens, as its log says. None when
    the attention layers differ in bytes per token (no uniform page): the caller approximates.
    """
    attention = [(g, layers, size) for g, layers, _, size in layout if not g.spec.state]
    states = [(g, layers, size) for g, layers, _, size in layout if g.spec.state]
    if not attention or not states or len({size for _, _, size in attention}) > 1 \
            or any(g.spec.limit for g, _, _ in attention):
        return None
    one_token = attention[0][2]
    state_page = max(size for _, _, size in states)
    aligned = HYBRID_KERNEL_ALIGNMENT * -(-state_page // (HYBRID_KERNEL_ALIGNMENT * one_token))
    block = max(block, aligned)
    page = block * one_token
    counts = [sum(layers for _, layers, _ in attention), sum(layers for _, layers, _ in states)]
    group_size = max(counts) if max(counts) < HYBRID_GROUP_SPREAD * min(counts) \
        else min(counts)
    attention_groups, state_groups = (_blocks(n, group_size) for n in counts)
    num_blocks = max(0, kv_memory) // page // group_size
    per_request = attention_groups * _blocks(context, block) + state_groups
    return KvPool(bytes_per_token=counts[0] * one_token,
                  state_bytes=sum(layers * size for _, layers, size in states),
                  request_bytes=per_request * page * group_size, num_blocks=num_blocks,
                  pool_bytes=num_blocks * page * group_size, block_size=block,
                  tokens=num_blocks // (attention_groups + state_groups) * block,
                  block_groups=attention_groups + state_groups)


def _vllm_window_pool(layout: list[tuple[LayerGroup, int, int, int]], kv_memory: int,
                      block: int, context: int, batched: int) -> KvPool | None:
    """vLLM's pool for attention layers of more than one type (full attention beside sliding
    windows or chunks: gpt-oss, Gemma 2, 3 and 4, Llama 4, MiMo-V2.5), as v1/core/
    kv_cache_utils.py lays it out (engine_kv_accounting.md, section c):
    unify_kv_cache_spec_page_size gives a type whose page is smaller a block of as many more
    tokens as makes its page the largest one; the layers of each type go into groups of
    group_size (as _vllm_hybrid_pool), the last group of a type padded to it; num_blocks =
    memory // page // group_size; a request takes, in each group, the blocks its type reserves
    (reserved_tokens at that type's block), so a padded group costs a whole one.

    Gemma 3 27B at TP 8: 10 full and 52 sliding layers of 1,024 B a token per GPU make groups
    of 10, one full and six sliding (the sixth 2 layers and 8 of padding); at 32,768 tokens
    with 8,192 batched a request takes 2,048 + 6 x 577 blocks of 16 x 1,024 x 10 B, where one
    block per layer would count 52 sliding layers, not 60. None for one type (a single group)
    or a page that does not divide the largest (vLLM refuses it).
    """
    if len(layout) < 2:
        return None
    types: dict[tuple[str, int | None, int], list[Any]] = {}
    for g, layers, _, size in layout:
        if g.spec.state:
            return None
        key = (g.kind, g.dim(g.spec.limit) if g.spec.limit else None, size)   # vLLM's spec
        types.setdefault(key, [g, 0])[1] += layers
    largest = max((size for _, _, size in types), default=0)
    if len(types) < 2 or any(largest % size for _, _, size in types):
        return None
    counts = [layers for _, layers in types.values()]
    group_size = max(counts) if max(counts) < HYBRID_GROUP_SPREAD * min(counts) \
        else min(counts)
    page = block * largest
    groups = [(g, _blocks(layers, group_size), block * largest // size)
              for (_, _, size), (g, layers) in types.items()]
    per_request = sum(n * reserved_tokens(g, context, own, batched) // own
                      for g, n, own in groups)
    num_blocks = max(0, kv_memory) // page // group_size
    return KvPool(bytes_per_token=sum(layers * size for (_, _, size), (_, layers)
                                      in types.items()), state_bytes=0,
                  request_bytes=per_request * page * group_size, num_blocks=num_blocks,
                  pool_bytes=num_blocks * page * group_size, block_size=block,
                  tokens=num_blocks // sum(n for _, n, _ in groups) * block,
                  block_groups=sum(n for _, n, _ in groups))


def sglang_window_tokens(groups: Iterable[LayerGroup], block: int, context: int) -> int:
    """The tokens a decoding session keeps in SGLang's window pool: its widest window (or
    chunk) and a page, at most its context."""
    return max(min(context, g.dim(g.spec.limit) + block) for g in groups
               if g.spec.limit and not g.spec.state)


def _sglang_window_pool(layout: list[tuple[LayerGroup, int, int, int]], kv_memory: int,
                        block: int, context: int, hybrid_swa: bool,
                        swa_full_tokens_ratio: float = SGLANG_SWA_FULL_TOKENS_RATIO
                        ) -> KvPool | None:
    """SGLang's pool for a model with sliding-window or chunked layers (None for any other).

    Outside its hybrid-SWA architectures (SGLANG_HYBRID_SWA_ARCHS) every attention layer
    keeps the whole context, windowed or not (get_cell_size_per_token counts all layers).
    Inside them, a full pool and a window pool of swa_full_tokens_ratio (r) as many tokens
    share the memory (model_runner_kv_cache_mixin.py set_num_tokens_hybrid_swa): full tokens =
    memory / (F + r x W), F and W the full and windowed layers' bytes per token; a request
    keeps its context in the full pool and, once decoding, its window plus a page in the window
    pool (schedule_batch _evict_swa). One request's reservation is its memory at that rate:
    the larger of context x (F + r x W) and (window + page) x (F + r x W) / r.

    gpt-oss-120b at TP 2, fp8 (18 full and 18 sliding layers of 4 KV heads x 64 x 2 = 512 B):
    F = W = 9,216 B, so a 131,072-token request takes 131,072 x 16,588.8 B = 2,174,327,194 B,
    1.8 x its full layers' 1,207,959,552 B.
    """
    windowed = [(g, layers, size) for g, layers, _, size in layout
                if not g.spec.state and g.spec.limit]
    if not windowed or any(g.spec.state for g, _, _, _ in layout):
        return None
    per_token = sum(layers * size for g, layers, _, size in layout)
    full = per_token - sum(layers * size for _, layers, size in windowed)
    window = sglang_window_tokens((g for g, _, _ in windowed), block, context)
    if not hybrid_swa or not full:     # one pool: the context, or (all windowed) the window
        kept = _blocks(window if hybrid_swa else context, block) * block
        num_blocks = max(0, kv_memory) // (block * per_token)
        return KvPool(per_token, 0, kept * per_token, num_blocks,
                      num_blocks * block * per_token, block, num_blocks * block,
                      "window_pool" if hybrid_swa else "full_context")
    ratio = exact(swa_full_tokens_ratio)
    rate = full + ratio * (per_token - full)          # bytes per full-pool token
    tokens = int(max(0, kv_memory) // rate) // block * block
    request = math.ceil(max(_blocks(context, block) * block * rate, window * rate / ratio))
    return KvPool(per_token, 0, request, tokens // block, math.floor(tokens * rate), block,
                  tokens, "hybrid_pools")


def _sglang_state_pool(layout: list[tuple[LayerGroup, int, int, int]], kv_memory: int,
                       block: int, context: int, share: Fraction) -> KvPool | None:
    """SGLang's pool for a model with recurrent (Mamba, linear-attention) layers beside its
    attention layers (None for any other): the states get a pool of their own,
    `share` of the memory (mamba_full_memory_ratio / (1 + it)) in whole per-request slots, and the
    attention layers' tokens the rest (model_runner_kv_cache_mixin.py handle_max_mamba_cache);
    a request keeps its context in the token pool and holds a slot. With the radix cache on
    (its default) SGLang runs at most a third of the slots at once (init_memory:
    MAMBA_CACHE_SIZE_MAX_RUNNING_REQUESTS_RATIO), which engine_capacity_at applies.

    Qwen3-Next-80B at TP 2 in 10 GiB: states 36 x 2,146,304 / 2 = 38,633,472 B per request,
    10,737,418,240 x 0.9 / 1.9 = 5,086,145,482 B of them hold 131 slots (5,060,984,832 B), and
    the 12 full layers' 12,288 B per token take the other 5,676,433,408 B: 461,949 tokens.
    """
    states = sum(layers * size for g, layers, _, size in layout if g.spec.state)
    per_token = sum(layers * size for g, layers, _, size in layout if not g.spec.state)
    if not states or not per_token:
        return None
    slots = max(0, kv_memory) * share.numerator // (share.denominator * states)
    tokens = (max(0, kv_memory) - slots * states) // per_token // block * block
    return KvPool(per_token, states, _blocks(context, block) * block * per_token,
                  tokens // block, tokens * per_token, block, tokens, state_slots=slots)


def _kv_pool(layout: list[tuple[LayerGroup, int, int, int]], kv_memory: int, block: int,
             context: int, settings: EngineSettings, hybrid_swa: bool = False) -> KvPool:
    """A replica's KV memory per GPU: vLLM's page rule for hybrids (_vllm_hybrid_pool) and
    its groups for attention of several kinds (_vllm_window_pool), SGLang's for recurrent
    states (_sglang_state_pool) and for windowed layers (_sglang_window_pool), at the
    settings' ratios, else whole blocks of every attention layer's tokens with each request's
    state beside (windows as reserved_tokens keeps them, with the settings' batched tokens)."""
    engine, batched = settings.engine, settings.max_num_batched_tokens
    special = (_vllm_hybrid_pool(layout, kv_memory, block, context)
               or _vllm_window_pool(layout, kv_memory, block, context, batched)) \
        if engine == "vllm" else \
        (_sglang_state_pool(layout, kv_memory, block, context, settings.state_memory_share)
         or _sglang_window_pool(layout, kv_memory, block, context, hybrid_swa,
                                settings.swa_full_tokens_ratio)) \
        if engine == "sglang" else None
    if special is not None:
        return special
    per_token = sum(layers * size for g, layers, _, size in layout if not g.spec.state)
    state = sum(layers * size for g, layers, _, size in layout if g.spec.state)
    request = state + sum(layers * size * reserved_tokens(g, context, block, batched)
                          for g, layers, _, size in layout if not g.spec.state)
    if per_token:
        num_blocks = max(0, kv_memory) // (block * per_token)
        pool = num_blocks * block * per_token
    else:                       # only recurrent layers: no pages, one state per request
        num_blocks, pool = 0, max(0, kv_memory)
    return KvPool(per_token, state, request, num_blocks, pool, block, num_blocks * block)


def engine_layer_groups(model: Model, settings: EngineSettings) -> tuple[LayerGroup, ...]:
    """Return the layer groups whose cache the engine keeps: the model's, plus a speculative
    draft's layers (EAGLE's decoder layer, or MTP layers) in the same pool, shaped like the
    model's first attention group; SGLang keeps the recurrent (temporal) state in fp32 (its
    default mamba_ssm_dtype) and the conv state in bf16, vLLM both in the model dtype, and
    SGLang gives every layer of a Nemotron-NAS model KV rows (SGLANG_EVERY_LAYER_KV_ARCHS)."""
    groups = model.layer_groups
    if settings.engine == "sglang":
        groups = tuple(g._replace(temporal_precision=g.temporal_precision or "fp32")
                       if g.spec.state else g for g in groups)
        if model.architecture in SGLANG_EVERY_LAYER_KV_ARCHS and model.step_layers \
                and len(groups) == 1:     # rows for the layers without attention too
            groups = (groups[0]._replace(layers=model.step_layers),)
    attention = next((g for g in groups if not g.spec.state), None)
    if settings.draft_layers and attention is not None:
        groups += (attention._replace(layers=settings.draft_layers),)
    return groups


def expert_ranks(tensor_parallel: int, settings: EngineSettings) -> int:
    """GPUs the routed experts split over: TP x DP with expert parallelism, else TP."""
    return tensor_parallel * (settings.data_parallel if settings.expert_parallel else 1)


def weights_per_gpu(parts: tuple[int, int], tensor_parallel: int,
                    settings: EngineSettings, spread: int = 0) -> int:
    """Return one GPU's weights: dense layers and attention split over the tensor-parallel
    group; routed experts, and `spread` of the dense bytes (sglang_spread_bytes), split
    whole over TP x DP ranks with expert parallelism.

    >>> weights_per_gpu((8, 80), 4, EngineSettings(data_parallel=2, expert_parallel=True))
    12
    >>> weights_per_gpu((16, 80), 1, EngineSettings(data_parallel=8, expert_parallel=True), 8)
    19
    """
    dense, experts = parts
    if settings.expert_parallel:
        ranks = expert_ranks(tensor_parallel, settings)
        return math.ceil((dense - spread) / tensor_parallel) + math.ceil(spread / ranks) \
            + math.ceil(experts / ranks)
    return math.ceil((dense + experts) / tensor_parallel)


def sglang_spread_bytes(model: Model, precision: str, settings: EngineSettings) -> int:
    """Return the bytes of the dense weights SGLang splits over every rank of a
    data-parallel-attention group instead of copying them to each rank, as vLLM and
    TensorRT-LLM do: the dense layers' MLPs (`moe_dense_tp_size` unset) and the shared
    experts (without a DeepEP or FlashInfer all-to-all), `dense_mlp_params` in the linear
    layers' format; and the LM head (ParallelLMHead over the whole TP group without
    --enable-dp-lm-head), in bf16 as the embeddings are kept. A head tied to the input
    embedding is copied with it (VocabParallelEmbedding(enable_tp=not
    is_dp_attention_enabled())). Source: SGLang models/deepseek_v2.py and its LM heads
    (use_attn_tp_group=enable_dp_lm_head). 0 for another engine, or without data-parallel
    attention over more than one rank (SGLang splits experts over its --dp-size ranks only
    with --enable-dp-attention: attention_ranks).

    >>> m = _DOC_MODEL._replace(total_params_billion=671, embedding_params=1853358080,
    ...     vocab_size=129280, hidden_size=7168, num_experts=256, experts_per_token=8,
    ...     dense_mlp_params=3743416320)
    >>> sglang = EngineSettings(engine="sglang", data_parallel=8, expert_parallel=True)
    >>> sglang_spread_bytes(m, "fp8", sglang), sglang_spread_bytes(m, "fp8", EngineSettings())
    (5596774400, 0)

    (DeepSeek-V3: 3,743,416,320 MLP parameters x 1 B + the 129,280 x 7,168 head x 2 B.)
    """
    if settings.engine != "sglang" or attention_ranks(settings, settings.expert_parallel) < 2:
        return 0
    lookup, head = lookup_and_head_params(model)
    head = head if lookup else 0                      # tied: the copied embedding is the head
    mlp = Fraction(model.dense_mlp_params or 0)
    dense, _ = stored_bytes(model, precision, mlp + head, Fraction(0), Fraction(head))
    return math.floor(dense)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def engine_capacity_at(model: Model, server: Server, context: int, kv_precision: str,
                       settings: EngineSettings, tensor_parallel: int,
                       chosen: bool) -> EngineCapacity:
    """Size one replica at a given tensor parallelism (see EngineCapacity)."""
    gpus = server.gpus
    tp, stages = layer_split(tensor_parallel, gpus)
    settings = with_batch_limits(settings, server)
    gpu_bytes, memory_from = gpu_memory(server, settings)
    precision = settings.weight_precision or model.weight_precision
    parts = weights_parts(model, precision)
    weights = sum(parts)
    # a replica over several nodes puts the draft on its last stage, whose GPUs then bind
    draft_gpu = weights_per_gpu(draft_weights_parts(model, settings, precision), tp, settings)
    spread = min(parts[0], sglang_spread_bytes(model, precision, settings))
    weights_gpu = weights_per_gpu(parts, tensor_parallel, settings, spread) + draft_gpu
    activation = gib_bytes(settings.activation_gib) if settings.activation_gib is not None \
        else activation_estimate_bytes(model, settings)
    ranks = expert_ranks(tensor_parallel, settings)
    group_nodes = max(1, ranks // gpus) if stages == 1 else 1
    buffers = 0 if settings.runtime_reserve_gib is not None \
        else all_to_all_buffer_bytes(model, settings, ranks, group_nodes)
    reserve = gib_bytes(settings.runtime_reserve_gib) \
        if settings.runtime_reserve_gib is not None \
        else reserve_estimate_bytes(tensor_parallel * settings.data_parallel,
                                    settings.engine) + buffers
    kv_memory, rule, share = engine_kv_memory(settings, gpu_bytes, weights_gpu, activation,
                                              reserve, tp, stages)
    layout = kv_per_gpu(engine_layer_groups(model, settings), tp, stages,
                        KV_BYTES_PER_ELEMENT[kv_precision])
    kv = _kv_pool(layout, kv_memory, settings.block_size or DEFAULT_BLOCK_SIZE[settings.engine],
                  context, settings, model.architecture in SGLANG_HYBRID_SWA_ARCHS)
    held = kv.pool_bytes // kv.request_bytes
    limit, limit_setting = running_limit(settings.engine, settings.max_num_seqs, kv.tokens,
                                         context_limit(model, settings.rope_scaling).limit,
                                         settings.max_running_requests, settings.data_parallel)
    if kv.state_slots is not None:     # SGLang: a third of its state slots run at once
        limit = min(limit, kv.state_slots // settings.state_slots_per_running_request)
    sessions = replica_sessions(kv.pool_bytes, kv.request_bytes, limit)
    replicas = gpus // tensor_parallel if stages == 1 else 0
    heads = tuple((label, h) for label, (g, _, h, _) in
                  zip(group_labels(model.layer_groups), layout) if not g.spec.state)
    replicated = any(g.spec.split == "heads" and g.dim("kv_heads") < tp
                     for g in model.layer_groups)
    return EngineCapacity(
        engine=settings.engine, tensor_parallel=tensor_parallel, tensor_parallel_chosen=chosen,
        tp_in_node=tp, gpus_per_node=gpus, replicas_per_node=replicas, nodes_per_replica=stages,
        gpu_memory_bytes=gpu_bytes, gpu_memory_from=memory_from, weight_precision=precision,
        weights_total_bytes=weights, weights_expert_bytes=parts[1],
        weights_measured=model.measured_weights_gib is not None
        and precision == model.weight_precision,
        weights_per_gpu_bytes=weights_gpu,
        expert_ranks=ranks,
        weights_expert_per_gpu_bytes=weights_per_gpu((0, parts[1]), tensor_parallel, settings),
        weights_spread_bytes=spread, weights_draft_per_gpu_bytes=draft_gpu,
        activation_bytes=activation,
        activation_estimated=settings.activation_gib is None, reserve_bytes=reserve,
        reserve_estimated=settings.runtime_reserve_gib is None, budget_rule=rule,
        budget_share=share, kv_memory_given=settings.kv_cache_memory_gib is not None,
        kv_memory_bytes=kv_memory, kv_heads_per_gpu=heads, kv_heads_replicated=replicated,
        bytes_per_token_per_gpu=kv.bytes_per_token, block_size=kv.block_size,
        num_blocks=kv.num_blocks, kv_capacity_tokens=kv.tokens, kv_pool_bytes=kv.pool_bytes,
        request_bytes_per_gpu=kv.request_bytes, state_bytes_per_gpu=kv.state_bytes,
        window_rule=kv.window_rule, state_slots=kv.state_slots, kv_block_groups=kv.block_groups,
        max_concurrency=kv.pool_bytes / kv.request_bytes, kv_sessions_per_replica=held,
        running_limit=limit, running_limit_setting=limit_setting, sessions_per_replica=sessions,
        sessions_per_node=node_sessions(sessions, replicas, stages),
        group_nodes=group_nodes, all_to_all_buffer_bytes=buffers)


@record
class Launch:
    """How to start one replica as the engine view sized it (launch_command)."""

    argv: tuple[str, ...]                    # the engine's launcher, the model and its flags
    options: tuple[tuple[str, str], ...]     # TensorRT-LLM: LLM API options for the YAML file
                                             # its --extra_llm_api_options names
    checkpoint: str | None                   # weights in a precision no flag quantizes to: a
                                             # checkpoint in it is needed
    kv_unflagged: str | None                 # a KV precision the engine has no flag for
    env: tuple[tuple[str, str], ...] = ()    # environment variables the launch sets first

    @property
    def command(self) -> str:
        """The command as one shell line: its environment, then its words."""
        return " ".join([f"{k}={v}" for k, v in self.env] + list(self.argv))


# The KV-cache dtype each engine is told for an FP8 cache (vLLM --kv-cache-dtype fp8; SGLang
# fp8_e4m3; TensorRT-LLM kv_cache_config.dtype fp8); the model's dtype needs no flag.
LAUNCH_KV_FP8 = {"vllm": "fp8", "sglang": "fp8_e4m3", "trtllm": "fp8"}
TRTLLM_OPTIONS_FILE = "extra_llm_api_options.yaml"


def launch_command(model: Model, settings: EngineSettings, engine: EngineCapacity,
                   context: int, kv_precision: str) -> Launch:
    """Return the command that starts one replica as it was sized: its layout, context, KV
    precision, memory share and batch limits, in each engine's own flags (LAUNCHERS). FP8
    weights of a wider checkpoint are quantized on load by vLLM's and SGLang's
    `--quantization fp8`; any other precision than the model's needs a checkpoint in it.

    >>> m = _DOC_MODEL._replace(hf_repo="org/m")
    >>> e = EngineCapacity(*[0] * len(EngineCapacity._fields))._replace(
    ...     tp_in_node=8, nodes_per_replica=2, budget_share=0.9)
    >>> st = EngineSettings(max_num_seqs=1024, max_num_batched_tokens=8192)
    >>> launch_command(m, st, e, 131072, "fp8").argv[3:9]
    ('--tensor-parallel-size', '8', '--pipeline-parallel-size', '2', '--max-model-len', '131072')
    """
    precision = settings.weight_precision
    changed = precision is not None and precision != model.weight_precision
    quantize = changed and precision == "fp8" and settings.engine != "trtllm"
    argv, options = LAUNCHERS[settings.engine](
        model.hf_repo or model.name, settings, engine, context,
        LAUNCH_KV_FP8[settings.engine] if kv_precision == "fp8" else None,
        f"{float(engine.budget_share):g}", settings.kv_cache_memory_gib is not None)
    argv += ["--quantization", "fp8"] if quantize else []
    env = TRTLLM_WIDE_EP_ENV if engine.trtllm_deep_ep else ()
    return Launch(tuple(argv), tuple(options), precision if changed and not quantize else None,
                  kv_precision if kv_precision == "int8" else None, env)


def _vllm_launch(repo: str, st: EngineSettings, e: EngineCapacity, context: int,
                 kv: str | None, share: str, kv_given: bool
                 ) -> tuple[list[str], list[tuple[str, str]]]:
    """`vllm serve` (vllm/engine/arg_utils.py): TP within a node, pipeline stages across
    nodes, data-parallel ranks with expert parallelism, a KV memory in bytes when given."""
    argv = ["vllm", "serve", repo, "--tensor-parallel-size", str(e.tp_in_node)]
    argv += ["--pipeline-parallel-size", str(e.nodes_per_replica)] \
        if e.nodes_per_replica > 1 else []
    argv += ["--data-parallel-size", str(st.data_parallel)] if st.data_parallel > 1 else []
    argv += ["--enable-expert-parallel"] if st.expert_parallel else []
    argv += list(WIDE_EP_ALL_TO_ALL["vllm"]) if e.group_nodes > 1 else []
    argv += ["--max-model-len", str(context)] + (["--kv-cache-dtype", kv] if kv else [])
    argv += ["--kv-cache-memory-bytes", str(gib_bytes(st.kv_cache_memory_gib))] if kv_given \
        else ["--gpu-memory-utilization", share]
    argv += ["--max-num-seqs", str(st.max_num_seqs),
             "--max-num-batched-tokens", str(st.max_num_batched_tokens)]
    return argv + (["--block-size", str(st.block_size)] if st.block_size else []), []


def _sglang_launch(repo: str, st: EngineSettings, e: EngineCapacity, context: int,
                   kv: str | None, share: str, kv_given: bool
                   ) -> tuple[list[str], list[tuple[str, str]]]:
    """`python3 -m sglang.launch_server` (sglang/srt/server_args.py): --tp-size counts every
    GPU of the group, attention ranks included (attn_tp_size = tp_size / dp_size); a KV
    memory given is its token count, --max-total-tokens."""
    group = str(e.tp_in_node * st.data_parallel)
    argv = ["python3", "-m", "sglang.launch_server", "--model-path", repo, "--tp-size", group]
    argv += ["--pp-size", str(e.nodes_per_replica)] if e.nodes_per_replica > 1 else []
    argv += ["--dp-size", str(st.data_parallel), "--enable-dp-attention"] \
        if st.data_parallel > 1 else []
    argv += ["--ep-size", group] if st.expert_parallel else []
    argv += list(WIDE_EP_ALL_TO_ALL["sglang"]) if e.group_nodes > 1 else []
    argv += ["--context-length", str(context)] + (["--kv-cache-dtype", kv] if kv else [])
    argv += ["--max-total-tokens", str(e.kv_capacity_tokens)] if kv_given \
        else ["--mem-fraction-static", share]
    argv += ["--chunked-prefill-size", str(st.chunked_prefill_size)]
    argv += ["--max-running-requests", str(st.max_running_requests)] \
        if st.max_running_requests else []
    argv += ["--page-size", str(st.block_size)] if st.block_size else []
    argv += ["--disable-radix-cache"] if not st.radix_cache else []
    for flag, value, default in (
            ("--swa-full-tokens-ratio", st.swa_full_tokens_ratio, SGLANG_SWA_FULL_TOKENS_RATIO),
            ("--mamba-full-memory-ratio", st.mamba_full_memory_ratio,
             SGLANG_MAMBA_FULL_MEMORY_RATIO)):
        argv += [flag, f"{value:g}"] if value != default else []
    return argv, []


def _trtllm_launch(repo: str, st: EngineSettings, e: EngineCapacity, context: int,
                   kv: str | None, share: str, kv_given: bool
                   ) -> tuple[list[str], list[tuple[str, str]]]:
    """`trtllm-serve` (tensorrt_llm/commands/serve.py): --tp_size counts the data-parallel
    attention ranks (enable_attention_dp makes each TP rank one); the KV dtype, attention data
    parallelism, a KV memory given (its tokens) and the capacity policy are LLM API options."""
    group = str(e.tp_in_node * st.data_parallel)
    argv = ["trtllm-serve", repo, "--tp_size", group]
    argv += ["--pp_size", str(e.nodes_per_replica)] if e.nodes_per_replica > 1 else []
    argv += ["--ep_size", group] if st.expert_parallel else []
    argv += ["--max_seq_len", str(context), "--kv_cache_free_gpu_memory_fraction", share,
             "--max_batch_size", str(st.max_running_requests or TRTLLM_MAX_BATCH_SIZE),
             "--max_num_tokens", str(st.max_num_batched_tokens)]
    options = [("enable_attention_dp", "true")] if st.data_parallel > 1 else []
    options += [("kv_cache_config.dtype", kv)] if kv else []
    options += [("kv_cache_config.max_tokens", str(e.kv_capacity_tokens))] if kv_given else []
    options += [] if st.reserves_whole_request else [
        ("scheduler_config.capacity_scheduler_policy", st.capacity_scheduler_policy.upper())]
    return argv + (["--extra_llm_api_options", TRTLLM_OPTIONS_FILE] if options else []), options


LAUNCHERS = {"vllm": _vllm_launch, "sglang": _sglang_launch, "trtllm": _trtllm_launch}


def tensor_parallel_problem(model: Model, server: Server, tensor_parallel: int) -> str | None:
    """Return why an engine could not run this tensor parallelism, or None.

    Above a node's GPUs a replica spans whole nodes; within a node the KV heads must split
    evenly or be replicated whole (vLLM: kv_heads % tp == 0 or tp % kv_heads == 0), and the
    query heads must split evenly.

    >>> tensor_parallel_problem(_DOC_MODEL._replace(layer_groups=(LayerGroup(
    ...     "full", 1, (("kv_heads", 8), ("head_dim", 64), ("v_head_dim", 64))),)),
    ...     Server("s", (), "", "", "", 8, 80, 640, ""), 3)
    "3 GPUs per replica do not split the model's 8 KV heads evenly"
    >>> tensor_parallel_problem(_DOC_MODEL._replace(num_attention_heads=128, layer_groups=(
    ...     LayerGroup("mla", 1, (("kv_lora_rank", 512), ("qk_rope_head_dim", 64))),)),
    ...     Server("s", (), "", "", "", 8, 80, 640, ""), 3)    # an MLA latent is replicated
    "3 GPUs per replica do not split the model's 128 attention heads evenly"
    """
    if tensor_parallel > server.gpus and tensor_parallel % server.gpus:
        return (f"{tensor_parallel} GPUs per replica is more than a node's {server.gpus} but "
                f"not a whole number of nodes")
    tp = layer_split(tensor_parallel, server.gpus)[0]
    for g in model.layer_groups:
        if g.spec.split == "heads":
            kv = g.dim("kv_heads")
            if kv % tp and tp % kv:
                return f"{tp} GPUs per replica do not split the model's {kv} KV heads evenly"
    heads = model.num_attention_heads
    if heads is not None and heads % tp:
        return f"{tp} GPUs per replica do not split the model's {heads} attention heads evenly"
    return None


def dp_attention_settings(settings: EngineSettings, server: Server) -> EngineSettings:
    """Data-parallel attention as the layout flags say it: attention TP 1 (or the given TP)
    on each rank, as many ranks as the node's GPUs hold (or --data-parallel), the experts
    split whole over them. SGLang's --enable-dp-attention with --tp N --dp N; vLLM's
    --data-parallel-size N --enable-expert-parallel; TRT-LLM's enable_attention_dp."""
    if not settings.dp_attention:
        return settings
    tp = settings.tensor_parallel or 1
    dp = settings.data_parallel if settings.data_parallel > 1 else max(1, server.gpus // tp)
    return settings._replace(tensor_parallel=tp, data_parallel=dp, expert_parallel=True)


def expert_group_runs(server: Server, tensor_parallel: int, data_parallel: int) -> bool:
    """Whether `data_parallel` attention ranks of `tensor_parallel` GPUs can share one expert
    group on this server: within a node (or rack), or over whole nodes whose network the
    catalog gives (scaleout_gb_per_s: the all-to-alls cross it), up to MAX_NODES_PER_REPLICA.

    >>> h100 = Server("h", (), "", "", "", 8, 80, 640, "")
    >>> expert_group_runs(h100, 1, 8), expert_group_runs(h100, 1, 16)
    (True, False)
    >>> linked = h100._replace(scaleout_gb_per_s=50)
    >>> expert_group_runs(linked, 1, 16), expert_group_runs(linked, 1, 12)
    (True, False)
    """
    gpus = tensor_parallel * data_parallel
    return tensor_parallel <= server.gpus and (gpus <= server.gpus or bool(
        server.scaleout_gb_per_s) and gpus % server.gpus == 0
        and gpus // server.gpus <= MAX_NODES_PER_REPLICA)


def attention_ranks(settings: EngineSettings, expert_parallel: bool) -> int:
    """Return the attention ranks whose tokens reach one expert-parallel group: the
    data-parallel ranks when the experts are split over them (SGLang's --enable-dp-attention,
    TRT-LLM's enable_attention_dp, vLLM's --data-parallel-size with --enable-expert-parallel,
    which for a mixture of experts is the same layout), else 1. A replica (Replica) is one of
    those ranks."""
    return settings.data_parallel if expert_parallel else 1


def replicates_kv(model: Model, gpus: int) -> bool:
    """Whether tensor parallelism over a node copies KV on every rank: an MLA latent, or fewer
    KV heads than GPUs (what data-parallel attention avoids)."""
    return any(g.spec.split == "replicated" or (g.spec.split == "heads"
                                                 and g.dim("kv_heads") < gpus)
               for g in model.layer_groups)


class LayoutSearch:
    """The engine's replica at each power-of-two tensor parallelism, each sized once per run,
    shared by the automatic choice and the "a larger TP holds more" check."""

    def __init__(self, model: Model, server: Server, context: int, kv_precision: str,
                 settings: EngineSettings):
        self.args = (model, server, context, kv_precision, settings)
        self.model, self.server, self.settings = model, server, settings
        self.sized: dict[int, EngineCapacity] = {}

    @property
    def limit(self) -> int:
        """The largest TP weighed: MAX_TENSOR_PARALLEL, or the nodes a replica may span."""
        return min(MAX_TENSOR_PARALLEL, self.server.gpus * self.settings.max_nodes_per_replica)

    def at(self, tensor_parallel: int) -> EngineCapacity:
        if tensor_parallel not in self.sized:
            self.sized[tensor_parallel] = engine_capacity_at(*self.args, tensor_parallel, True)
        return self.sized[tensor_parallel]

    def runnable(self, tensor_parallel: int) -> bool:
        dp = self.settings.data_parallel
        return tensor_parallel_problem(self.model, self.server, tensor_parallel) is None \
            and (dp == 1 or expert_group_runs(self.server, tensor_parallel, dp))

    def chosen(self) -> EngineCapacity:
        """The given TP, or the smallest power of two whose per-GPU weight shard leaves room
        for at least one session's KV (the largest tried when none does)."""
        if self.settings.tensor_parallel is not None:
            return engine_capacity_at(*self.args, self.settings.tensor_parallel, False)
        tp, found = 1, None
        limit = self.limit
        while True:
            if found is None or self.runnable(tp):
                found = self.at(tp)
                if found.fits:
                    return found
            if tp * 2 > limit:
                return found
            tp *= 2

    def fitting(self) -> Iterator[EngineCapacity]:
        """The powers of two within a node, in increasing order, that the engine can run and
        whose pool holds a session; each sized when the caller asks for it."""
        return (self.at(tp) for tp in (1 << i for i in range(self.server.gpus.bit_length()))
                if tp <= self.server.gpus and self.runnable(tp) and self.at(tp).fits)

    def spanning(self, stop: Callable[[int], bool]) -> Iterator[EngineCapacity]:
        """The powers of two across whole nodes, in increasing order, that the engine can run
        and whose pool holds a session, until stop(nodes per replica) is true: a layout past
        that bound is not sized (`stop` is asked again at each, as the caller's bound
        tightens)."""
        for tp in (1 << i for i in range(self.limit.bit_length())):
            if tp <= self.server.gpus:
                continue
            if stop(layer_split(tp, self.server.gpus)[1]):
                return
            if self.runnable(tp) and self.at(tp).fits:
                yield self.at(tp)

    def beyond_cap(self, engine: EngineCapacity) -> tuple[int, EngineCapacity] | None:
        """When --max-nodes-per-replica left the search no layout holding a session: the
        bound and the layout a search without it keeps, if that one holds a session."""
        cap = self.settings.max_nodes_per_replica
        if engine.fits or not engine.tensor_parallel_chosen or cap >= MAX_NODES_PER_REPLICA:
            return None
        wider = LayoutSearch(*self.args[:4], self.settings._replace(
            max_nodes_per_replica=MAX_NODES_PER_REPLICA)).chosen()
        return (cap, wider) if wider.fits else None

    def best_in_node(self) -> tuple[int, int]:
        """Return (TP, sessions per node) of the power of two within a node that holds the
        most sessions per node (the smallest TP on a tie); (0, 0) when none holds one."""
        best = (0, 0)
        tp = 1
        while tp <= self.server.gpus:
            if self.runnable(tp) and self.at(tp).sessions_per_node > best[1]:
                best = (tp, self.at(tp).sessions_per_node)
            tp *= 2
        return best


def engine_capacity(model: Model, server: Server, context: int, kv_precision: str,
                    settings: EngineSettings) -> EngineCapacity:
    """Size one replica at the given tensor parallelism, or at the smallest power of two
    whose per-GPU weight shard leaves room for at least one session's KV.

    >>> m = _DOC_MODEL._replace(total_params_billion=8.03, vocab_size=128256,
    ...     layer_groups=(LayerGroup("full", 32, (("kv_heads", 8), ("head_dim", 128),
    ...                                           ("v_head_dim", 128))),))
    >>> h100 = Server("h", (), "", "", "", 8, 80, 640, "", 79.18)
    >>> e = engine_capacity(m, h100, 16000, "bf16", EngineSettings(kv_cache_memory_gib=51.38))
    >>> e.tensor_parallel, e.bytes_per_token_per_gpu, e.kv_capacity_tokens
    (1, 131072, 420896)
    """
    return LayoutSearch(model, server, context, kv_precision, settings).chosen()


def engine_sessions(engine: EngineCapacity, share: Fraction) -> tuple[int, int, int]:
    """Return (usable KV bytes per GPU, sessions per replica, sessions per buying unit) when a
    scenario may fill `share` of the engine's KV pool (sessions rounded down), at most the
    requests the engine runs at once.

    A unit is one node holding whole replicas, or the nodes one replica or one expert group
    of data-parallel attention ranks spans (EngineCapacity.unit_nodes).
    """
    usable = floor_times(engine.kv_pool_bytes, share)
    per_replica = replica_sessions(usable, engine.request_bytes_per_gpu, engine.running_limit)
    return usable, per_replica, per_replica * engine.replicas_per_unit

# ======================================================== performance
# Owns: how fast a replica serves: the time of one engine step with B sessions decoding and
# the prompt tokens chunked prefill mixes in (bytes over bandwidth, FLOPs over peak, plus fixed
# costs per layer, per session and per step, plus tensor-parallel all-reduces and expert
# all-to-alls), hence TPOT, TTFT and tokens per second, the curve over sessions per replica,
# and the most sessions a replica serves within latency targets. Constants are named and fitted
# (README "Performance"). Calls the core and the engine view above.


# The share of a benchmark's requests sent in its opening burst, when every session's first
# prompt arrives at once: the measured runs send 10 x concurrency requests at an unlimited rate
# under a concurrency cap (InferenceX: its recipes' `--num-prompts $((CONC * 10))`, and
# `--request-rate inf --max-concurrency` after 2 x concurrency warm-up requests in
# run_benchmark_serving, benchmarks/benchmark_lib.sh; aiconfigurator's evaluation the same 10 x
# concurrency), so one request in ten waits for the burst's prefill (_mixed_first_token_seconds;
# SGLang's prompts come in waves anyway). Fitted when it was introduced (15e0b31, with a fixed
# cost per layer, since refitted per kernel), it came out at 0.082 for vLLM and 0.057 for
# TensorRT-LLM, and their prefill ratios near 1 with it (README "Performance"). Live traffic has
# no such burst, so its first tokens come sooner than this benchmark mean.
BENCHMARK_BURST_SHARE = 0.1
# What a first-token figure (and --ttft-ms) means: a benchmark's mean over 10 x concurrency
# requests, its opening burst included, as the fitted runs measured it; or live traffic, which
# has no such burst (no measured run checks that one).
TTFT_BASES = ("benchmark", "live")


@record
class PerfConstants:
    """The few fitted numbers of the performance model, and where they came from."""

    bandwidth_efficiency: float    # share of HBM bandwidth that weight and KV reads reach
    expert_efficiency: float       # the same for routed-expert weights (grouped GEMMs)
    compute_efficiency: float      # share of dense peak FLOPs that GEMMs and attention reach
    expert_compute_efficiency: float   # the same for routed-expert GEMMs: many small grouped
                                   # GEMMs, with routing, fill the tensor cores worse
    kernel_overhead_s: float       # per kernel a layer launches per step (layer_kernels):
                                   # its launch, ramp and tail beyond its bytes and FLOPs
    session_overhead_s: float      # per decoding session per step: scheduling, sampling
    step_overhead_s: float         # per step
    allreduce_latency_s: float     # per tensor-parallel all-reduce or all-to-all
    ttft_fixed_s: float            # request handling before the first step (per engine)
    ttft_prefill_ratio: float      # own prompt's prefill steps, as measured against the model
    ttft_wait_steps: float         # decode steps a new prompt waits before it is scheduled
    ttft_load_ratio: float         # scales the prefill load that makes prompts queue (M/D/1):
                                   # 1, the closed loop's own, for prompts taken as they come
    source: str = "default"        # "default", "flag" or "benchmark"
    prompt_scheduling: str = "mixed"   # the engine's, not fitted: PROMPT_SCHEDULING
    burst_share: float = BENCHMARK_BURST_SHARE   # requests in a benchmark's opening burst, by
                                   # the TTFT basis (TTFT_BASES): 0 for live traffic


# How an engine schedules new prompts (first_token_seconds). "mixed": prompt chunks share steps
# with the decoding sessions (vLLM's chunked prefill, TensorRT-LLM's in-flight batching), so
# prompts are taken as they come and queue only behind each other (an M/D/1 queue).
# "prefill_first": SGLang runs a prefill batch before any decode step while prompts wait
# (scheduler.get_next_batch_to_run, "Run prefill first if possible"; --enable-mixed-chunk is
# off), so a wave of prompts is all prefilled before any of them decodes; in a closed loop of
# requests of one length (what benchmarks send) they then finish on the same step and come
# back together, and each prompt waits for the prefill of those before it in its wave.
# aiconfigurator's SGLang runs wait 2-7 times as long as vLLM's and TensorRT-LLM's of the same
# model, server, lengths and sessions (Qwen3-32B on H100), as waves would.
PROMPT_SCHEDULING = ("mixed", "prefill_first")
# Fitted with tests/perf_fit.py on 2/3 of 713 distinct runs of perf_measured.csv the catalog can
# express on DGX servers (tensor and expert parallelism on one node; aiconfigurator silicon data,
# vLLM 0.11-0.18, SGLang 0.5, TRT-LLM 1.0-1.3 on H100, H200, B200, B300; its 8 GB200 runs are
# checked, not fitted: README "Performance"), each run sized with the KV precision its recipe set
# and its sessions held as its engine holds them (held_context), the step constants on the runs
# served without speculative decoding (21 DeepSeek-R1 runs drafted with MTP:
# tests/fixtures/perf/SOURCES.md, which also says why 5 runs whose sessions queued are left out);
# the other third and a leave-one-model-out check give the error band in ERROR_BAND. The constants
# are what that script prints (three significant figures), so a rerun reproduces them. The step
# constants are shared by the engines: fitting them per engine or per GPU family lowered the
# in-sample error but raised the error on left-out models (README "Performance"). The fixed cost
# of a step is per kernel its layers launch (layer_kernels: 10 for a Llama layer, 22 for a
# DeepSeek-V3 one), not per layer: a cost per layer fitted per model, engine and GPU came out at
# 81-121 us for DeepSeek-V3 and 38-80 us for most of Llama's and Qwen3's; counted per layer, a
# model left out erred 13.1% on TPOT (19.1% for the mixtures), per kernel 11.6% (14.0%).
# Bandwidth efficiency then fits at 0.9, where per layer it sat at its bound; the routed experts'
# reads fit at theirs, 1.0 (uneven routing touches fewer experts than the uniform
# 1 - (1 - k/E)^tokens counted). Routed-expert GEMMs reach about a sixth of peak against two
# thirds for dense ones (the fit has two MoE models: with DeepSeek-V3 left out it gives 0.164,
# with gpt-oss-120b left out 0.212); TensorRT-LLM's published maximum throughput, not fitted,
# agrees better with it (README). TTFT depends on how each engine schedules prompts
# (PROMPT_SCHEDULING), so its constants are per engine: the prefill ratio and the wait steps
# (TTFT_FITTED); the handling time is 0 (fitted it came out at 16-49 us), the queue's load the
# closed loop's own and the opening burst the benchmarks' (BENCHMARK_BURST_SHARE).
_STEP_CONSTANTS = dict(bandwidth_efficiency=0.9, expert_efficiency=1.0,
                       compute_efficiency=0.676, expert_compute_efficiency=0.166,
                       kernel_overhead_s=5.38e-6, session_overhead_s=28.0e-6, step_overhead_s=0.0,
                       allreduce_latency_s=5.92e-6)
ENGINE_PERF = {
    "vllm": PerfConstants(**_STEP_CONSTANTS, ttft_fixed_s=0.0, ttft_prefill_ratio=1.01,
                          ttft_wait_steps=5.51, ttft_load_ratio=1.0),
    "sglang": PerfConstants(**_STEP_CONSTANTS, ttft_fixed_s=0.0, ttft_prefill_ratio=0.505,
                            ttft_wait_steps=36.4, ttft_load_ratio=0.0,
                            prompt_scheduling="prefill_first"),
    "trtllm": PerfConstants(**_STEP_CONSTANTS, ttft_fixed_s=0.0, ttft_prefill_ratio=0.795,
                            ttft_wait_steps=16.7, ttft_load_ratio=1.0),
}
# Median and 90th-percentile absolute relative error of the defaults on runs not fitted (TPOT
# over the runs without speculative decoding). Test third: TPOT 9.8% / 33.4% (223 runs), TTFT
# 28.8% / 113% (232). Leave one model out: TPOT 11.6% / 31.2% (692 runs), TTFT 28.0% / 93.2%
# (713; tests/perf_fit.py); of which the two mixture-of-experts models, DeepSeek-V3 and
# gpt-oss-120b: TPOT 14.0% / 46.0% (288), TTFT 28.3% / 126% (309): a report on a mixture of
# experts quotes these too. With expert parallelism (30 runs, 19 of them in the fit): TPOT
# 24.1% / 54.0%, TTFT 38.2% / 136%. With attention data parallelism (16 runs, none fitted:
# tests/fixtures/perf/dp_attention_runs.csv; TPOT over the 12 without speculative
# decoding): TPOT 21.1% / 26.0%, TTFT 49.4% / 57.4%.
# Runs of five mixtures of experts no fitted run has (GLM-5, Kimi-K2.5, MiniMax-M2.5,
# Qwen3-235B-A22B, Qwen3.5-397B-A17B: 1,019 runs of aiconfigurator-core 0.12.0's newer export,
# tests/fixtures/perf/wheel_runs.csv, none fitted): TPOT 12.8% / 29.9%, TTFT 32.0% / 157%
# (vLLM 25.2%, SGLang 41.8%, TRT-LLM 74.9%): a mixture the fit has not seen quotes the larger
# of these and the left-out mixtures' (expected_error).
# Constants calibrated on a benchmark (--calibrate-from-benchmark) predicting a run of a
# concurrency sweep they were not fitted to, fitted on the rest of its sweep: TPOT 5.3% /
# 23.3%, TTFT 12.4% / 52.2% (155 runs of 34 sweeps; tests/perf_fit.py, calibration_sweeps).
ERROR_BAND = {"tpot_median": 0.098, "tpot_p90": 0.334, "ttft_median": 0.288, "ttft_p90": 1.129,
              "tpot_median_unseen_model": 0.116, "ttft_median_unseen_model": 0.280,
              "tpot_median_unseen_moe_model": 0.140, "ttft_median_unseen_moe_model": 0.283,
              "tpot_median_expert_parallel": 0.241, "ttft_median_expert_parallel": 0.382,
              "tpot_median_data_parallel_attention": 0.211,
              "ttft_median_data_parallel_attention": 0.494,
              "tpot_median_calibrated": 0.053, "ttft_median_calibrated": 0.124,
              "tpot_median_newer_moe_models": 0.128, "ttft_median_newer_moe_models": 0.320}
# The same on each engine's runs of the test third (median TPOT, median TTFT, runs): SGLang's
# TTFT is the least predictable (two DeepSeek-V3 runs at 64 sessions and TP 8 waited 0.50 and
# 8.79 s for a first token), so a report quotes its own engine's figures beside the overall one.
# The runs that measured data-parallel attention (the rows of dp_attention_runs.csv)
DATA_PARALLEL_ATTENTION_RUNS = 16
ENGINE_ERROR_BAND = {"vllm": (0.092, 0.214, 66), "sglang": (0.098, 0.665, 43),
                     "trtllm": (0.102, 0.312, 123)}
# The newer export's runs of models no fitted run has, per model and engine: the defaults'
# median TPOT and TTFT error on them and the runs (tests/fixtures/perf/wheel_runs.csv, none
# fitted). A report on that model and engine quotes the larger of these and the band of models
# the fit has not seen (expected_error): Qwen3-235B-A22B on TensorRT-LLM waits 1.75 times the
# measured first token at the median (README "Runs of models the fit has not seen").
CHECKED_RUNS = {("glm-5.1", "sglang"): (0.120, 1.484, 58),
                ("kimi-k2.5", "vllm"): (0.158, 0.215, 147),
                ("minimax-m2.5", "vllm"): (0.105, 0.268, 346),
                ("qwen3-235b-a22b", "sglang"): (0.122, 0.540, 24),
                ("qwen3-235b-a22b", "trtllm"): (0.065, 0.749, 127),
                ("qwen3-235b-a22b", "vllm"): (0.370, 0.212, 51),
                ("qwen3.5-397b-a17b", "sglang"): (0.135, 0.327, 266)}
# The catalog models and the engines whose measured runs the defaults were fitted on
# (tests/fixtures/perf/measured_runs.csv); for a model on an engine not among them the
# engine's held-out band is optimistic and the bands of models left out of the fit apply.
FITTED_RUNS = frozenset({("deepseek-v3", "sglang"), ("deepseek-v3", "trtllm"),
                         ("gpt-oss-120b", "trtllm"), ("gpt-oss-120b", "vllm"),
                         ("llama-3.1-70b", "trtllm"), ("llama-3.1-70b", "vllm"),
                         ("llama-3.1-8b", "sglang"), ("llama-3.1-8b", "trtllm"),
                         ("llama-3.1-8b", "vllm"), ("qwen3-32b", "sglang"),
                         ("qwen3-32b", "trtllm"), ("qwen3-32b", "vllm")})

# The most sessions a replica decodes at once in those runs: the bands above hold up to it, and
# a plan's load beyond it is extrapolated (the speed_beyond_measured alert). TensorRT-LLM's
# published full-load throughput (tests/fixtures/perf/trtllm_perf_overview.csv, not fitted;
# README "Checked at full load") checks the model there, by the sessions a full replica holds:
# (at most this many sessions, or None for any more; the model's tokens per second over the
# published, geometric mean; median absolute error; runs), as tests/perf_fit.py prints them.
MEASURED_SESSIONS_PER_REPLICA = 512
FULL_LOAD_CHECK = ((1024, 1.08, 0.245, 41), (2048, 0.88, 0.200, 30), (None, 0.70, 0.339, 24))
# The longest mean context a session decodes at in those runs (prompt + half the output, as
# Performance.mean_context_tokens: 8,192 + 1,024 / 2), and in the published table 21,000
# (20,000 + 2,000 / 2). A plan whose sessions decode at more (the worked example's 130,560) is
# timed by its KV reads, bytes over bandwidth, which no run checks there: the expected-error
# row says so.
MEASURED_CONTEXT_TOKENS = 8704
PUBLISHED_CONTEXT_TOKENS = 21000
# The servers those runs used. On any other (AMD, A100, H20, the PCIe servers, GB200 and GB300,
# a catalog of the user's) the bands are borrowed, and the expected-error row says so.
MEASURED_SERVERS = ("dgx-h100", "dgx-h200", "dgx-b200", "dgx-b300")
# The layer kinds of the models those runs served: full attention (Llama, Qwen3), sliding windows
# (gpt-oss), MLA (DeepSeek-V3); chunked attention is Llama 4 Scout's, in the published table. A
# model with another kind (sparse MLA, linear attention, Mamba, KDA, lightning) has kernel counts
# and state reads no fitted run checks: the expected-error row says so, and quotes the serving
# runs not fitted (RUN_CHECKS) and forward passes (STEP_CHECKS) that check some of them.
MEASURED_LAYER_KINDS = ("full", "sliding", "chunked", "mla")


@record
class StepCheck:
    """A layer kind no serving run has, whose steps an engine's forward passes check, not
    fitted (README "Performance", as tests/perf_fit.py prints it)."""

    layer_kind: str
    model: str               # the model served, timed as the catalog entry of its shapes
    engine: str
    engine_version: str
    gpu: str
    decode_ratio: float      # the model's decode step time over the measured, median
    prompt_ratio: float      # the same over prompt steps (none decoding)


# The expected-error row of a model with such a kind quotes its check: Gated DeltaNet's, on
# Qwen3.6-35B-A3B at TP 1 (tests/fixtures/perf/fpm_qwen3_6_35b_a3b_b300.csv), has the decode
# steps slow and a prompt's steps fast.
STEP_CHECKS = (StepCheck("linear_attention", "Qwen3.6-35B-A3B", "vllm", "0.20.1", "B300",
                         1.32, 0.50),)


@record
class RunCheck:
    """A layer kind no fitted run has, whose serving runs check the defaults, not fitted
    (README "Performance", as tests/perf_fit.py prints it)."""

    layer_kind: str
    model: str               # the model served, timed as the catalog entry of its shapes
    engine: str
    runs: int
    tpot_median: float       # the defaults' median absolute relative error on those runs
    ttft_median: float


# The expected-error row of a model with such a kind quotes its runs: the newer export's
# (CHECKED_RUNS) of Qwen3.5-397B-A17B (Gated DeltaNet) and of GLM-5 (sparse MLA, timed as the
# catalog's glm-5.1), both on SGLang.
RUN_CHECKS = tuple(
    RunCheck(kind, label, engine, CHECKED_RUNS[name, engine][2], *CHECKED_RUNS[name, engine][:2])
    for kind, label, name, engine in (("mla_indexer", "GLM-5", "glm-5.1", "sglang"),
                                      ("linear_attention", "Qwen3.5-397B-A17B",
                                       "qwen3.5-397b-a17b", "sglang")))


def full_load_check(sessions: int) -> tuple[float, float]:
    """Return how the model's full-load throughput compared with TensorRT-LLM's published at
    `sessions` a replica (FULL_LOAD_CHECK): its ratio and median absolute error.

    >>> full_load_check(709), full_load_check(4096)
    ((1.08, 0.245), (0.7, 0.339))
    """
    return next((ratio, error) for most, ratio, error, _ in FULL_LOAD_CHECK
                if most is None or sessions <= most)


def expected_error(model_name: str, mixture_of_experts: bool, engine: str,
                   expert_parallel: bool = False, dp_attention: bool = False
                   ) -> tuple[float, float, str]:
    """Return the median TPOT and TTFT error to expect for this model on this engine and
    layout, and the band that says so, the most specific that applies: the engine's own
    held-out runs for a model the defaults were fitted on with that engine ("engine"); else
    metric by metric the larger of that and the band of the models left out of the fit
    ("unseen_model"), or for a mixture the larger of the mixtures of experts left out and
    the newer runs of mixtures no fitted run has ("unseen_moe_model"); for a model with runs
    of its own on the engine, not fitted, the larger of those and what they measured
    (CHECKED_RUNS: "checked_runs"); and with expert parallelism or attention data
    parallelism, the larger of those and the band measured on such runs ("expert_parallel",
    "data_parallel_attention").

    >>> expected_error("llama-3.1-70b", False, "vllm")
    (0.092, 0.214, 'engine')
    >>> expected_error("mixtral-8x7b", True, "vllm"), expected_error("x", False, "sglang")
    ((0.14, 0.32, 'unseen_moe_model'), (0.116, 0.665, 'unseen_model'))
    >>> expected_error("deepseek-v3", True, "vllm"), expected_error("deepseek-v3", True,
    ...                                                             "trtllm", True, True)
    ((0.14, 0.32, 'unseen_moe_model'), (0.211, 0.494, 'data_parallel_attention'))
    >>> expected_error("qwen3-235b-a22b", True, "trtllm"), expected_error("qwen3-235b-a22b",
    ...                                                                   True, "vllm")
    ((0.14, 0.749, 'checked_runs'), (0.37, 0.32, 'checked_runs'))
    """
    tpot, ttft, _ = ENGINE_ERROR_BAND[engine]
    basis = "engine"
    bases = [] if (model_name, engine) in FITTED_RUNS else \
        ["unseen_moe_model" if mixture_of_experts else "unseen_model"]
    bases += ["checked_runs"] * ((model_name, engine) in CHECKED_RUNS) \
        + ["expert_parallel"] * (expert_parallel and not dp_attention) \
        + ["data_parallel_attention"] * dp_attention
    for basis in bases:
        if basis == "checked_runs":
            figures = [CHECKED_RUNS[model_name, engine][:2]]
        else:
            names = [basis] + ["newer_moe_models"] * (basis == "unseen_moe_model")
            figures = [(ERROR_BAND[f"tpot_median_{name}"], ERROR_BAND[f"ttft_median_{name}"])
                       for name in names]
        tpot = max(tpot, *(f[0] for f in figures))
        ttft = max(ttft, *(f[1] for f in figures))
    return tpot, ttft, basis


def median_ratio_error(pairs: Iterable[tuple[float, float]]) -> float:
    """Return the median of |predicted / measured - 1| over (predicted, measured) pairs,
    rounded to three decimals like the bands above.

    >>> median_ratio_error([(11, 10), (9, 10), (15, 10)]), median_ratio_error([(8, 10), (12, 10)])
    (0.1, 0.2)
    """
    errors = sorted(abs(predicted / measured - 1) for predicted, measured in pairs)
    middle = len(errors) // 2
    return round(errors[middle] if len(errors) % 2 else
                 (errors[middle - 1] + errors[middle]) / 2, 3)


@record
class Replica:
    """What one replica's step costs, before the batch is known (see replica_costs)."""

    expert_parallel: bool          # experts split whole over the replica's GPUs
    tp: int                        # tensor-parallel ranks inside a node
    stages: int                    # nodes a replica spans (pipeline stages)
    dense_bytes: int               # per GPU: weights that every step reads whole (not the
                                   # input embedding: a step gathers a row per token)
    expert_bytes: int              # per GPU: routed-expert weights, all experts
    experts: int                   # routed experts per MoE layer (0: dense model)
    experts_per_token: int
    linear_flops: int              # per token, all GPUs: 2 x active parameters but the
                                   # input embedding (a lookup, no FLOPs)
    head_flops: int                # of which the LM head's: prompt tokens skip it
    expert_flops: int              # of which the routed experts': 2 x k / E x their parameters
    peak_flops: float              # per GPU, FLOP/s, of the other GEMMs (their weights' format)
    expert_peak_flops: float       # per GPU, FLOP/s, of the routed experts' GEMMs
    attention_peak_flops: float    # per GPU, FLOP/s, bf16 (attention kernels)
    bandwidth: float               # per GPU, bytes/s
    link: float                    # per GPU per direction, bytes/s (0: no scale-up link)
    layers: int
    kernels: float                 # kernels a decode step launches per layer (layer_kernels)
    hidden: int
    heads: int
    kv_layout: tuple[tuple[LayerGroup, int], ...]   # (group, bytes per token or state per GPU)
    capacity: int                  # sessions the replica holds at once (engine view): its KV
                                   # pool's, at most the engine's running limit
    kv_sessions: int               # what the KV pool alone holds
    chunk: int                     # prompt tokens one step takes (chunked prefill)
    nccl_latency_s: float | None = None   # the server's collectives over PCIe (NCCL), used
                                          # above 2 ranks (None: the fitted constant)
    attention_ranks: int = 1       # data-parallel attention ranks whose tokens all reach the
                                   # replica's expert GPUs (1: no data-parallel attention)
    node_gpus: int = 0             # GPUs of one node (all-to-alls beyond them leave it)
    scaleout: float = 0.0          # per GPU per direction between nodes, bytes/s
    gathers: bool = False          # every attention rank gets every rank's tokens, not only
                                   # those bound for its experts (gathers_tokens)
    gathers_above: int = 0         # a step with more tokens than this on a rank gathers them
                                   # (TensorRT-LLM's DeepEP limit); 0: no such limit


@record
class PerfPoint:
    sessions_per_replica: int
    tpot_ms: float
    ttft_ms: float
    output_tokens_per_second_per_session: float
    output_tokens_per_second_per_replica: float
    bound: str                     # "bandwidth", "compute" or "kv_capacity"


@record
class Performance:
    """The chosen layout's speed: the curve, the operating point and the targets."""

    tensor_parallel: int
    expert_parallel: bool
    gpus_per_replica: int
    replicas_per_node: int
    nodes_per_replica: int
    data_parallel: int                        # attention ranks sharing one expert group
    expert_group_nodes: int                   # nodes that group spans (1 within a node)
    input_tokens: int
    output_tokens: int
    history_tokens: int                       # cached from a session's earlier turns
    split_defaulted: bool
    constants: PerfConstants
    kv_capacity_sessions: int                 # held at once at held_context_tokens (the KV
                                              # pool's, at most the running limit)
    kv_pool_sessions: int                     # what the KV pool alone holds there
    running_limit: int                        # requests the engine runs at once
    running_limit_setting: str                # the engine setting that says so
    mean_context_tokens: int                  # history + prompt + half the output
    held_context_tokens: int                  # KV a running session holds: the mean context,
                                              # or the full one (reserves_whole_request)
    chunk_tokens: int                         # prompt tokens one step takes
    prefill_limit_sessions: int               # sessions a chunk per step keeps fed
    curve: tuple[PerfPoint, ...]
    operating_point: PerfPoint
    ttft_basis: str                           # what its TTFT means (TTFT_BASES)
    ttft_ms_benchmark: float                  # the operating point's TTFT as a benchmark's
                                              # mean, its opening burst included
    ttft_ms_live: float                       # and in live traffic, without that burst
    load_sessions_per_unit: int               # what a buying unit carries at RECOMMENDED's
                                              # load (plan_load): the operating point's
    tpot_target_ms: float | None
    ttft_target_ms: float | None
    max_sessions_within_targets: int | None   # per replica; None without targets
    binding_target: str | None                # "tpot" or "ttft"
    runner_up: tuple[tuple[str, Any], ...]    # the next best layout and what it needs
    expected_error: tuple[float, float, str]  # median TPOT and TTFT error, basis
                                              # (expected_error)
    allreduce_latency_us: float | None = None  # the server's NCCL latency, when the layout's
                                               # collectives use it (None: the fitted constant)
    kernels_per_layer: float = 0.0             # kernels a decode step launches per layer, each
                                               # at kernel_overhead_s (layer_kernels)
    layer_overhead_s: float = 0.0              # so the fixed cost of a layer per step
    unmeasured_gpu: str | None = None          # the server's GPU when no measured run used the
                                               # server (MEASURED_SERVERS)
    unmeasured_kinds: tuple[str, ...] = ()     # its layer kinds no fitted run has
                                               # (MEASURED_LAYER_KINDS), in LAYER_KINDS order
    step_checks: tuple[StepCheck, ...] = ()    # the forward passes that check some of them
    run_checks: tuple[RunCheck, ...] = ()      # the serving runs, not fitted, of some of them

    @property
    def unchecked_kinds(self) -> tuple[str, ...]:
        """Its layer kinds no fitted run has and no serving run checks (RUN_CHECKS)."""
        checked = {c.layer_kind for c in self.run_checks}
        return tuple(k for k in self.unmeasured_kinds if k not in checked)

    @property
    def running_capped(self) -> bool:
        """The engine's running limit, not its KV pool, caps the sessions at the context
        each holds (held_context_tokens)."""
        return self.kv_pool_sessions > self.running_limit

    @property
    def stopped_by(self) -> str | None:
        """What stops the sessions within the targets: "tpot" or "ttft", or, where both are
        met at the replica's capacity, "kv_pool" or "running_limit" (None without targets)."""
        within = self.max_sessions_within_targets
        if within is None or within < self.kv_capacity_sessions:
            return self.binding_target
        return "running_limit" if self.running_capped else "kv_pool"

    @property
    def expert_group_gpus(self) -> int:
        """GPUs the data-parallel attention ranks of one expert group span (TP x DP)."""
        return self.tensor_parallel * self.data_parallel

    def per_node(self, sessions_per_replica: int) -> int:
        """Sessions a node serves at `sessions_per_replica` (node_sessions)."""
        return node_sessions(sessions_per_replica, self.replicas_per_node,
                             self.nodes_per_replica)


@record
class BenchmarkFit:
    """Constants fitted to a measured table, and each run measured, predicted before and after
    (row, TPOT before, TPOT after, TTFT before, TTFT after; ms)."""

    source: str
    constants: PerfConstants
    before: PerfConstants
    rows: tuple[tuple[Any, float, float, float, float], ...]
    held: tuple[str, ...] = ()         # efficiencies the flags set, kept out of the fit
    layouts: tuple[tuple[int, bool, int], ...] = ()   # each run's replica: TP, experts
                                                      # split, attention ranks

    @property
    def residual(self) -> tuple[float, float]:
        """The fitted constants' median TPOT and TTFT error on the runs they were fitted to
        (in-sample)."""
        return (median_ratio_error((after, r.tpot_ms) for r, _, after, _, _ in self.rows),
                median_ratio_error((after, r.ttft_ms) for r, _, _, _, after in self.rows))

    @property
    def expected_error(self) -> tuple[float, float, str]:
        """The median TPOT and TTFT error to expect with the fitted constants, as
        Performance.expected_error says it: metric by metric the larger of the residual (a
        fit of three constants to four runs can match them all) and what a calibration gives
        on runs of a concurrency sweep it left out (ERROR_BAND's *_calibrated)."""
        tpot, ttft = self.residual
        return (max(tpot, ERROR_BAND["tpot_median_calibrated"]),
                max(ttft, ERROR_BAND["ttft_median_calibrated"]), "benchmark")


def workload_split(context: int, input_tokens: int | None, output_tokens: int | None
                   ) -> tuple[int, int, int, bool]:
    """Return (prompt tokens, generated tokens, tokens already cached from earlier turns,
    whether the split is the default one). The context is one turn of a session: its new
    prompt, its output, and the rest history its earlier turns left in the KV cache. Missing
    sizes take a chat turn: DEFAULT_OUTPUT_TOKENS generated (at most half the context) and
    DEFAULT_INPUT_TOKENS of new prompt (at most what the context leaves).

    >>> workload_split(131072, None, None), workload_split(2560, None, None)
    ((1024, 1024, 129024, True), (1024, 1024, 512, True))
    >>> workload_split(1000, None, None), workload_split(131072, 8192, None)
    ((500, 500, 0, True), (8192, 1024, 121856, True))
    >>> workload_split(2560, 2048, 512), workload_split(131072, 2048, 512)
    ((2048, 512, 0, False), (2048, 512, 128512, False))
    """
    defaulted = input_tokens is None or output_tokens is None
    if output_tokens is None:
        output_tokens = max(1, min(DEFAULT_OUTPUT_TOKENS, context // DEFAULT_OUTPUT_SHARE,
                                   context - (input_tokens or 0)))
    if input_tokens is None:
        input_tokens = max(1, min(DEFAULT_INPUT_TOKENS, context - output_tokens))
    return (input_tokens, output_tokens, max(0, context - input_tokens - output_tokens),
            defaulted)


def compute_peak_tflops(server: Server, weight_precision: str) -> float:
    """Return the dense TFLOPS GEMMs run at: the weights' own format where the GPU has tensor
    cores for it (FP8, FP4), else bf16 (4-bit weights dequantized, as on Hopper)."""
    bf16 = server.bf16_tflops or 0.0
    if weight_precision in ("fp8", "int8") and server.fp8_tflops:
        return server.fp8_tflops
    if weight_precision in ("mxfp4", "nvfp4") and server.fp4_tflops:
        return server.fp4_tflops
    return bf16


def expert_peak_tflops(server: Server, weight_precision: str, engine: str) -> float:
    """Return the dense TFLOPS routed-expert GEMMs run at. MXFP4 experts (gpt-oss) meet
    activations the engine keeps wider than 4 bits: TensorRT-LLM quantizes them to MXFP8 on
    Blackwell (its gpt-oss deployment guide: MXFP8 x MXFP4 on B200, GB200, B300, GB300) and
    keeps bf16 on Hopper (Triton); vLLM's default MXFP4 MoE backends take bf16 (Blackwell:
    FlashInfer MXFP4 x BF16 unless an environment variable picks MXFP8; Hopper: Triton or
    Marlin, vllm/model_executor/layers/quantization/mxfp4.py get_mxfp4_backend), and SGLang
    is taken to do the same. Other formats: compute_peak_tflops.

    >>> b200 = Server("b", (), "", "", "", 8, 180, 1440, "")._replace(
    ...     bf16_tflops=2250, fp8_tflops=4500, fp4_tflops=9000)
    >>> [expert_peak_tflops(b200, "mxfp4", e) for e in ("trtllm", "vllm")]
    [4500, 2250]
    >>> expert_peak_tflops(b200._replace(fp4_tflops=None), "mxfp4", "trtllm")   # Hopper-like
    2250
    >>> expert_peak_tflops(b200, "nvfp4", "vllm")                  # NVFP4 x NVFP4
    9000
    """
    if weight_precision != "mxfp4":
        return compute_peak_tflops(server, weight_precision)
    if engine == "trtllm" and server.fp4_tflops and server.fp8_tflops:
        return server.fp8_tflops
    return server.bf16_tflops or 0.0


# Kernels a decode step launches per layer beside its mixer's (LayerKind.kernels), counted in
# vLLM's forward code (the mixers' below): the two RMSNorms around the mixer and the MLP; a
# dense MLP's gate-up GEMM, activation and down GEMM; a routed-expert MLP's router GEMM, top-k,
# token sort (moe_align_block_size), two grouped GEMMs, activation and the weighted sum
# (fused_moe); a shared expert's own gate-up GEMM, activation and down GEMM. The collectives
# are not counted here: step_parts times them as all-reduces and all-to-alls.
NORM_KERNELS = 2
DENSE_MLP_KERNELS = 3
ROUTED_MLP_KERNELS = 7
SHARED_EXPERT_KERNELS = 3
# The mixers' own counts (LayerKind.kernels; vllm-project/vllm, vllm/model_executor): attention
# (full, sliding, chunked; models/llama.py LlamaAttention.forward): the QKV GEMM, RoPE, the
# cache write, the attention kernel and the output GEMM, 5; MLA (layers/mla.py
# MultiHeadLatentAttentionWrapper.forward, decode): the fused q_a / kv_a GEMM, two norms, the
# q_b GEMM, RoPE, the W_UK and W_UV products absorbed around the latent attention kernel, the
# cache write and the output GEMM, 10; DeepSeek Sparse Attention adds its indexer's (two
# GEMMs, a norm, RoPE, weights GEMM, quantization, cache write, logits, top-k), 19; Gated
# DeltaNet 7, Mamba-2 5, Mamba-1 8, Kimi Delta Attention 15, lightning attention 7 (their
# projections, convolution, gating, recurrence and norm kernels). The fitted runs serve full,
# sliding and MLA layers only: the other kinds' counts are read from code, not fitted (Gated
# DeltaNet's are checked on Qwen3.6-35B-A3B's forward passes: STEP_CHECKS).


def layer_kernels(model: Model) -> float:
    """Return the kernels a decode step launches per layer, on average over the layers that
    keep a cache: the mixer's (LayerKind.kernels), the norms' and the MLP's (a routed-expert
    MLP with a shared expert where dense_mlp_params is set). Each costs a fixed time beyond
    its bytes and FLOPs (kernel_overhead_s): Llama's layer launches 2 + 5 + 3 = 10, gpt-oss's
    2 + 5 + 7 = 14, DeepSeek-V3's 2 + 10 + 7 + 3 = 22 (its first three dense layers are
    counted as the others). A model whose routed-expert layers alternate with dense ones
    (Jamba: 16 of each) is counted as though each layer had both, 5 kernels a layer too many;
    so is a layer with an MLP alone counted with the mean mixer (31 of the 80 layers of
    Llama-3.3-Nemotron-Super-49B, step_layers: 155 kernels a step too many, 0.8 ms).

    >>> llama = _DOC_MODEL._replace(layer_groups=(LayerGroup("full", 32, ()),))
    >>> gpt_oss = llama._replace(layer_groups=(LayerGroup("full", 18, ()),
    ...     LayerGroup("sliding", 18, ())), num_experts=128)
    >>> deepseek = llama._replace(layer_groups=(LayerGroup("mla", 61, ()),), num_experts=256,
    ...     dense_mlp_params=22_000_000_000)
    >>> [layer_kernels(m) for m in (llama, gpt_oss, deepseek)]
    [10.0, 14.0, 22.0]
    """
    groups = model.layer_groups
    mixer = sum(g.layers * LAYER_KINDS[g.kind].kernels for g in groups) \
        / max(1, sum(g.layers for g in groups))
    mlp = DENSE_MLP_KERNELS if not model.num_experts else ROUTED_MLP_KERNELS \
        + (SHARED_EXPERT_KERNELS if model.dense_mlp_params else 0)
    return NORM_KERNELS + mixer + mlp


def lookup_and_head_params(model: Model) -> tuple[int, int]:
    """Return (input-embedding parameters a step only gathers rows of, LM-head parameters).

    The LM head is vocabulary x hidden; `embedding_params` holds both matrices, or the one a
    model with tied embeddings shares (the head then reads it whole and nothing is left to
    gather). Without the vocabulary or hidden size both are 0: every parameter is a GEMM's.

    >>> m = _DOC_MODEL._replace(vocab_size=128256, hidden_size=4096)
    >>> lookup_and_head_params(m._replace(embedding_params=1050673152))   # Llama-3.1-8B
    (525336576, 525336576)
    >>> lookup_and_head_params(m._replace(embedding_params=525336576))    # tied
    (0, 525336576)
    """
    head = (model.vocab_size or 0) * (model.hidden_size or 0)
    return max(0, (model.embedding_params or 0) - head), head


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def replica_costs(model: Model, server: Server, engine: EngineCapacity, kv_precision: str,
                  settings: EngineSettings, expert_parallel: bool, held_tokens: int
                  ) -> Replica:
    """Gather what one step of this replica costs per GPU, from the model, the server and the
    engine view's layout (weights per GPU, KV bytes per token per GPU); cached, as
    engine_capacity_at is, since the layout search and each scenario ask for the same
    replicas (about half of the calls are new in the test suite). Its KV pool holds as
    many sessions as fit at `held_tokens` each (held_context: the mean context where blocks
    are allocated as tokens are generated, the full one where the engine reserves the whole
    request). A decode step reads the dense weights but neither the vision tower nor the input
    embedding (it gathers a row per token; bf16, or wider weights' own size, as weights_parts
    keeps it)."""
    settings = with_batch_limits(settings, server)
    tp, stages = engine.tp_in_node, engine.nodes_per_replica
    gpus = tp * stages
    layout = kv_per_gpu(model.layer_groups, tp, 1, KV_BYTES_PER_ELEMENT[kv_precision])
    heads = model.num_attention_heads or max(
        (g.dim("kv_heads") for g in model.layer_groups if g.spec.split == "heads"), default=1)
    held = engine_capacity_at(model, server, held_tokens, kv_precision, settings,
                              engine.tensor_parallel, False)
    lookup, head = lookup_and_head_params(model)
    lookup_bytes = math.floor(lookup * max(WEIGHT_BYTES_PER_PARAM[engine.weight_precision], 2))
    linear = max(0, math.floor(2 * (exact(model.active_params_billion) * 10**9 - lookup)))
    routed = 2 * expert_params(model) * (model.experts_per_token or 0) // (model.num_experts or 1)
    dense_peak = compute_peak_tflops(server, "bf16" if model.quantized_layers == "experts"
                                     else engine.weight_precision)
    return Replica(
        expert_parallel=expert_parallel, tp=tp, stages=stages,
        dense_bytes=max(0, engine.weights_dense_bytes - multimodal_bytes(model)
                        - lookup_bytes - engine.weights_spread_bytes) // gpus
        + engine.weights_spread_per_gpu_bytes,
        expert_bytes=engine.weights_expert_per_gpu_bytes,
        experts=model.num_experts or 0, experts_per_token=model.experts_per_token or 0,
        linear_flops=linear, head_flops=min(2 * head, linear), expert_flops=min(routed, linear),
        peak_flops=dense_peak * 1e12,
        expert_peak_flops=expert_peak_tflops(server, engine.weight_precision,
                                             settings.engine) * 1e12,
        attention_peak_flops=(server.bf16_tflops or 0.0) * 1e12,
        bandwidth=(server.hbm_bandwidth_tb_per_s or 0.0) * 1e12,
        link=(server.scaleup_gb_per_s or 0.0) * 1e9,
        layers=model.step_layers or model.num_layers, kernels=layer_kernels(model),
        hidden=model.hidden_size or heads * 128, heads=heads,
        kv_layout=tuple((g, size) for g, layers, _, size in layout),
        capacity=held.sessions_per_replica, kv_sessions=held.kv_sessions_per_replica,
        chunk=settings.chunked_prefill_size if settings.engine == "sglang"
        else settings.max_num_batched_tokens,
        nccl_latency_s=server.allreduce_latency_us * 1e-6 if server.allreduce_latency_us
        else None, attention_ranks=attention_ranks(settings, expert_parallel),
        node_gpus=server.gpus, scaleout=(server.scaleout_gb_per_s or 0.0) * 1e9,
        gathers=gathers_tokens(model, server, engine, settings),
        gathers_above=DEEPEP_TOKENS_PER_RANK if engine.trtllm_deep_ep else 0)


def _kv_read_and_flops(r: Replica, context: float) -> tuple[float, float]:
    """Return (KV bytes one session's decode step reads per GPU, attention FLOPs of its token
    per GPU) at a mean context: each layer reads the tokens it keeps (sparse attention: the
    ones it picks), or its state."""
    read, flops = _layout_read_and_flops(r.kv_layout, r.heads, context)
    return read, flops / r.tp


@functools.lru_cache(maxsize=4096)
def _layout_read_and_flops(kv_layout: tuple[tuple[LayerGroup, int], ...], heads: int,
                           context: float) -> tuple[float, float]:
    """The sums of _kv_read_and_flops over the layer groups; cached, since every step of a
    search asks for the same few contexts of the same few layouts."""
    read = flops = 0.0
    for g, size in kv_layout:
        d, kind, kept = dict(g.dims), g.spec, g.kept(context)
        read += g.layers * (size if kind.state else kind.read(d, size, kept) if kind.read
                            else size * kept)
        flops += g.layers * kind.flops(d, math.ceil(kept), heads)
    return read, flops


@functools.lru_cache(maxsize=4096)
def _layout_prefill_flops(kv_layout: tuple[tuple[LayerGroup, int], ...], heads: int,
                          context: float, query: float) -> float:
    """Attention FLOPs of one prompt token over all layers at a mean `context`, when `query`
    of its request's prompt tokens run in the step (all GPUs together); each kind's prefill
    rule, else its decode rule."""
    flops = 0.0
    for g, _ in kv_layout:
        d, kind, kept = dict(g.dims), g.spec, g.kept(context)
        flops += g.layers * (kind.prefill(d, kept, heads, query) if kind.prefill
                             else kind.flops(d, math.ceil(kept), heads))
    return flops


def uses_nccl(r: Replica, ranks: int) -> bool:
    """Whether a collective over `ranks` GPUs of this replica runs on NCCL at the server's
    latency: more than two GPUs without NVLink, where the engines' own kernels do not run."""
    return r.nccl_latency_s is not None and ranks > CUSTOM_ALLREDUCE_PCIE_RANKS


def collective_latency(r: Replica, c: PerfConstants, ranks: int) -> float:
    """Seconds per all-reduce or all-to-all over `ranks` GPUs: the engines' own one-shot
    kernels (the fitted constant), or NCCL at the server's latency (uses_nccl)."""
    return r.nccl_latency_s if uses_nccl(r, ranks) else c.allreduce_latency_s


def gathers_tokens(model: Model, server: Server, engine: EngineCapacity,
                   settings: EngineSettings) -> bool:
    """Whether the engine hands data-parallel attention ranks' tokens to the experts as a
    gather of every rank's tokens to every rank rather than an all-to-all of each token to its
    k experts' ranks (see WIDE_EP_ALL_TO_ALL's comment): vLLM and SGLang within a node or
    rack; TensorRT-LLM unless on an NVL72 rack with more expert ranks than k. An expert group
    over several nodes is launched with DeepEP's all-to-all.

    >>> m, st = _DOC_MODEL._replace(experts_per_token=8), EngineSettings(engine="trtllm")
    >>> e = EngineCapacity(*[1] * len(EngineCapacity._fields))._replace(expert_ranks=72)
    >>> rack = Server("r", (), "", "", "", 72, 186, 13392, "")._replace(unit="rack")
    >>> [gathers_tokens(m, x, e, st) for x in (rack, rack._replace(unit="node"))]
    [False, True]
    >>> gathers_tokens(m, rack, e, st._replace(engine="vllm"))
    True
    """
    if engine.group_nodes > 1:
        return False
    if settings.engine != "trtllm":
        return True
    return server.unit != "rack" or engine.expert_ranks <= (model.experts_per_token or 0)


def all_to_all_seconds(r: Replica, c: PerfConstants, tokens: float) -> float:
    """Seconds of one dispatch (or combine) of a rank's `tokens` to the experts of every
    data-parallel attention rank: each token's k copies in bf16 (or, where the engine gathers
    them, every token to every rank: gathers_tokens), the share bound for other GPUs of
    the node over the scale-up link and, for an expert group over several nodes (node_gpus),
    the share bound for other nodes over the scale-out NIC at once, plus a hop between nodes.

    DeepEP's README (deepseek-ai/DeepEP, low-latency kernels: H800, ConnectX-7 400 Gb/s,
    128 tokens per rank, hidden 7,168, top 8, FP8 dispatch and bf16 combine) measures a
    dispatch and a combine over 64 ranks in 173 + 314 = 487 us (186 + 353 = 539 over RDMA
    alone); here, without the collective's latency (56 of the 63 other ranks in other nodes,
    at 50 GB/s): 2 x (56 / 64 x 128 x 8 x 7,168 x 2 B / 50 GB/s + 20 us) = 554 us.

    >>> r = Replica(*[0] * len(Replica._fields))._replace(tp=1, attention_ranks=64,
    ...     experts_per_token=8, hidden=7168, link=450e9, node_gpus=8, scaleout=50e9)
    >>> c = PerfConstants(*[0.0] * len(PerfConstants._fields))
    >>> round(2 * all_to_all_seconds(r, c, 128) * 1e6)        # us
    554

    Gathered within a node of 8 (vLLM's default), the 7 others each get all 128 tokens:
    2 x 7 x 128 x 7,168 x 2 B / 450 GB/s = 57 us, where 8 copies sent to the 8 ranks' experts
    take the same (k = ranks); 4 copies (gpt-oss-120b's) would take half.

    >>> node = r._replace(attention_ranks=8)
    >>> [round(2 * all_to_all_seconds(node._replace(gathers=g), c, 128) * 1e6)
    ...  for g in (True, False)]
    [57, 57]
    >>> round(2 * all_to_all_seconds(node._replace(experts_per_token=4), c, 128) * 1e6)
    29

    TensorRT-LLM's group over nodes dispatches a step of at most TRTLLM_DEEP_EP_TOKEN_LIMIT
    (256) tokens on a rank and gathers a larger one (can_use_alltoall), as one carrying a
    prompt chunk: over 32 ranks in 4 nodes, 256 tokens take 8 x 256 x 7,168 x 2 B x 24 / 32 /
    50 GB/s = 440.4 us over the NICs + 20 us; 1,024 tokens go to 32 ranks instead of 8, 4 x 4
    x 440.4 + 20 = 7,066 us.

    >>> wide = r._replace(attention_ranks=32, gathers_above=256)
    >>> [round(all_to_all_seconds(wide, c, n) * 1e6) for n in (256, 1024)]
    [460, 7066]
    """
    ranks = r.tp * r.attention_ranks
    # each of the attention ranks (of tp GPUs each) gets the rank's tokens once, shared
    # among its GPUs, where a dispatch sends each token's k copies
    gathers = r.gathers or 0 < r.gathers_above < tokens
    copies = r.attention_ranks if gathers else r.experts_per_token
    volume = tokens * copies * r.hidden * 2 / ranks     # bytes to each GPU
    in_node = min(ranks, r.node_gpus or ranks)
    seconds = (in_node - 1) * volume / r.link
    if ranks > in_node and r.scaleout:
        seconds = max(seconds, (ranks - in_node) * volume / r.scaleout) + INTER_NODE_HOP_SECONDS
    return collective_latency(r, c, ranks) + seconds


def step_seconds(r: Replica, c: PerfConstants, sessions: float, prompt_tokens: float,
                 context: float, prompt_context: float, request_tokens: float | None = None
                 ) -> tuple[float, str]:
    """Return the time of one step (step_parts) and what bounds it (step_bound)."""
    seconds, compute, memory = step_parts(r, c, sessions, prompt_tokens, context,
                                          prompt_context, request_tokens)
    return seconds, step_bound(compute, memory)


def step_bound(compute: float, memory: float) -> str:
    """Return what bounds a step (or a mean of steps): "compute" when its GEMMs and attention
    take longer than its weight and KV reads, else "bandwidth".

    >>> step_bound(0.012, 0.008), step_bound(0.002, 0.008)
    ('compute', 'bandwidth')
    """
    return "compute" if compute > memory else "bandwidth"


def step_parts(r: Replica, c: PerfConstants, sessions: float, prompt_tokens: float,
               context: float, prompt_context: float, request_tokens: float | None = None
               ) -> tuple[float, float, float]:
    """Return the time of one step with `sessions` decoding at a mean `context` and
    `prompt_tokens` of prompts (attending to `prompt_context` on average, each request's
    `request_tokens` of them: by default all), its compute time (GEMMs and attention) and its
    memory time (weight and KV reads).

    GEMMs read the weights once per step and do 2 FLOPs per active parameter per token (prompt
    tokens skip the LM head: engines compute logits for a prompt's last token only, which is
    neglected; the input embedding is a lookup), the routed experts' share at their own
    efficiency and format (expert_peak_tflops): the larger of the two times. Routed experts
    are read as far as the step's tokens touch them: 1 - (1 - k/E)^tokens of them, counting
    the tokens of every data-parallel attention rank (all of them reach each expert GPU).
    Attention reads each session's KV and computes over it. Add the all-reduces of tensor
    parallelism (or all-to-alls of expert parallelism), and fixed costs per layer, per session
    and per step; a replica spanning nodes takes the batch through its stages one after the
    other (while they work on the other batches in flight: batch_in_flight).
    """
    tokens = sessions + prompt_tokens
    touched = 1 - (1 - r.experts_per_token / r.experts) ** (tokens * r.attention_ranks) \
        if r.experts else 0.0
    weights_time = r.dense_bytes * r.stages / (r.bandwidth * c.bandwidth_efficiency) \
        + r.expert_bytes * r.stages * touched / (r.bandwidth * c.expert_efficiency)
    gemm_time = ((r.linear_flops - r.expert_flops) * tokens - r.head_flops * prompt_tokens) \
        / (r.tp * r.peak_flops * c.compute_efficiency)
    if r.expert_flops:             # the routed experts' grouped GEMMs, at their own efficiency
        gemm_time += r.expert_flops * tokens \
            / (r.tp * r.expert_peak_flops * c.expert_compute_efficiency)
    kv_read, kv_flops = _kv_read_and_flops(r, context)
    prompt_flops = _layout_prefill_flops(
        r.kv_layout, r.heads, prompt_context,
        prompt_tokens if request_tokens is None else request_tokens) / r.tp if prompt_tokens \
        else 0.0
    kv_time = sessions * kv_read / (r.bandwidth * c.bandwidth_efficiency)
    attention_time = (sessions * kv_flops + prompt_tokens * prompt_flops) \
        / (r.attention_peak_flops * c.compute_efficiency)
    comm = 0.0
    if r.tp > 1 and r.link:
        volume = 2 * (r.tp - 1) / r.tp * tokens * r.hidden * 2     # ring all-reduce, bf16
        exchanges = 2 * r.layers
        if r.expert_parallel and r.experts and r.attention_ranks == 1:   # dispatch, combine
            volume = (volume + 2 * (r.tp - 1) / r.tp * tokens * r.experts_per_token
                      * r.hidden * 2) / 2
        comm = exchanges * (collective_latency(r, c, r.tp) + volume / r.link)
    if r.attention_ranks > 1 and r.experts and r.link:   # all-to-alls over every expert rank
        comm += 2 * r.layers * all_to_all_seconds(r, c, tokens)
    hops = (r.stages - 1) * INTER_NODE_HOP_SECONDS
    seconds = max(weights_time, gemm_time) + kv_time + attention_time + comm + hops \
        + r.layers * r.kernels * c.kernel_overhead_s + sessions * c.session_overhead_s \
        + c.step_overhead_s
    return seconds, gemm_time + attention_time, weights_time + kv_time


def fed_sessions(r: Replica, prompt: int, output: int) -> float:
    """Return the sessions a prefill chunk per step keeps decoding (in one batch in flight):
    each brings prompt / output prompt tokens per token it generates.

    >>> fed_sessions(Replica(*[0] * len(Replica._fields))._replace(chunk=8192), 2048, 512)
    2048.0
    """
    return r.chunk * output / prompt


def decode_seconds(r: Replica, c: PerfConstants, sessions: int, prompt: int, output: int,
                   history: int = 0) -> tuple[float, str, float]:
    """Return the mean step time (TPOT) with `sessions` in steady state, its bound, and how
    many sessions decode at once.

    Each session brings `prompt` tokens per `output` tokens generated: on average
    sessions x prompt / output prompt tokens per step. Chunked prefill takes them a chunk at a
    time, so a share of steps carries a whole chunk and the rest decode only; when prompts
    arrive faster than a chunk per step, prefill is the bottleneck and only the sessions a
    chunk per step keeps fed decode at once. A session's earlier turns (`history` tokens) stay
    cached: its tokens attend to them, and only the new prompt is prefilled. The bound is the
    mean step's: a few chunk steps can take more compute time than the many decode steps
    take reading memory.
    """
    context = history + prompt + output / 2
    per_step = sessions * prompt / output
    if per_step <= r.chunk:
        share = per_step / r.chunk
        light = step_parts(r, c, sessions, 0, context, 0)
        heavy = step_parts(r, c, sessions, r.chunk, context, history + prompt / 2,
                           min(prompt, r.chunk))
        seconds, compute, memory = ((1 - share) * a + share * b for a, b in zip(light, heavy))
        seconds += lockstep_gathers(r, c, sessions, per_step, prompt)
        return seconds, step_bound(compute, memory), sessions
    decoding = max(1.0, fed_sessions(r, prompt, output))
    return (*step_seconds(r, c, decoding, r.chunk, context, history + prompt / 2,
                          min(prompt, r.chunk)), decoding)


def lockstep_gathers(r: Replica, c: PerfConstants, sessions: float, per_step: float,
                     prompt: int) -> float:
    """Return the seconds a mean step adds where the engine gathers only the steps with more
    tokens on a rank than its limit (gathers_above: a step carrying a prompt). The mean step
    (decode_seconds) has a rank's `per_step` prompt tokens a step come a chunk at a time, so
    that its `sessions` decode tokens gather on per_step / chunk of the steps. But a prompt
    comes whole (up to a chunk) as it arrives, on per_step / prompt of a rank's steps, and
    the ranks step together at every MoE layer: the whole group gathers whenever any of its
    attention ranks carries one, 1 - (1 - per_step / prompt)^ranks of the steps (with the
    engine's default, as launched: its attention-DP balancing, which puts the ranks' prompts
    in the same steps, is off).

    32 ranks, each carrying a 1,024-token prompt on 1% of its steps (10.24 tokens a step):
    27.5% of steps gather, against 10.24 / 8,192 = 0.125% counted; 14 decode tokens dispatch
    in 20 + 8 x 14 x 7,168 x 2 B x 24 / 32 / 50 GB/s = 44.1 us and gather in 20 + 4 x 24.1 =
    116.3 us: 61 layers x 2 x (0.275 - 0.00125) x 72.3 us.

    >>> r = Replica(*[0] * len(Replica._fields))._replace(tp=1, attention_ranks=32,
    ...     experts_per_token=8, hidden=7168, link=450e9, node_gpus=8, scaleout=50e9,
    ...     layers=61, gathers_above=256, chunk=8192)
    >>> c = PerfConstants(*[0.0] * len(PerfConstants._fields))
    >>> round(lockstep_gathers(r, c, 14, 10.24, 1024) * 1e6)          # us
    2413
    """
    if not r.gathers_above or sessions > r.gathers_above:
        return 0.0
    carrying = min(1.0, per_step / max(1, min(prompt, r.chunk)))
    extra = 1 - (1 - carrying) ** r.attention_ranks - per_step / r.chunk
    return extra * 2 * r.layers * (all_to_all_seconds(r._replace(gathers=True), c, sessions)
                                   - all_to_all_seconds(r, c, sessions))


def scheduler_wait(c: PerfConstants, served: int, step: float) -> float:
    """Return the seconds a new prompt waits for the scheduler: `ttft_wait_steps` decode steps
    of the other sessions running on the replica. A lone session's prompt finds no step in
    flight and starts at once (TRT-LLM, Qwen3-32B on GB200 at TP 2, 2,000-token prompts:
    103 ms for a first token at one session, 226 ms at two; tests/fixtures/perf).

    >>> c = ENGINE_PERF["trtllm"]._replace(ttft_wait_steps=10.0)
    >>> scheduler_wait(c, 1, 0.008), round(scheduler_wait(c, 2, 0.008), 3)
    (0.0, 0.08)
    """
    return c.ttft_wait_steps * step if served > 1 else 0.0


def wave_chunks(r: Replica, served: int, prompt: int) -> float:
    """Return the chunk-sized prefill steps a prompt waits for, on average, when `served`
    sessions' prompts arrive at once and are prefilled a chunk at a time in turn: the first is
    done after ceil(prompt / chunk) steps, the last after ceil(served x prompt / chunk), and a
    prompt waits about their mean. 16 prompts of 1,024 tokens, chunks of 8,192: the first
    eight are done after one step, the rest after two, (1 + 2) / 2 = 1.5.

    >>> r = Replica(*[0] * len(Replica._fields))._replace(chunk=8192)
    >>> wave_chunks(r, 16, 1024), wave_chunks(r, 3, 8192), wave_chunks(r, 1, 2048)
    (1.5, 2.0, 1.0)
    """
    return (_blocks(served * prompt, r.chunk) + _blocks(prompt, r.chunk)) / 2


def _wave_first_token_seconds(r: Replica, c: PerfConstants, served: int, prompt: int,
                              step: float, history: int) -> float:
    """Prefill first (SGLang): the served sessions' prompts arrive as one wave and are
    prefilled in batches of a chunk's tokens with no session decoding (the wave's sessions are
    the replica's); the first prompt is done after ceil(prompt / chunk) batches and the last
    after ceil(sessions x prompt / chunk), so a prompt waits their mean on average, x the
    fitted ratio, but never less than its own prefill (a wave of one: ceil(prompt / chunk)
    batches of its own tokens). Plus the handling time and the scheduler's wait
    (scheduler_wait)."""
    own_batches, chunk = _blocks(prompt, r.chunk), min(prompt, r.chunk)
    batch, _ = step_seconds(r, c, 0, min(served * prompt, r.chunk), 0, history + prompt / 2,
                            chunk)
    own, _ = step_seconds(r, c, 0, chunk, 0, history + prompt / 2, chunk)
    waited = wave_chunks(r, served, prompt) * batch
    return c.ttft_fixed_s + max(own_batches * own, c.ttft_prefill_ratio * waited) \
        + scheduler_wait(c, served, step)


def _mixed_first_token_seconds(r: Replica, c: PerfConstants, served: int, prompt: int,
                               output: int, step: float, history: int,
                               burst_share: float) -> float:
    """Prompt chunks sharing steps with decode (vLLM, TensorRT-LLM). A prompt is prefilled in
    ceil(prompt / chunk) steps that each carry a chunk beside the decoding sessions (`heavy`
    steps): its own prefill time. Before that it waits the engine's handling time and the
    scheduler (scheduler_wait). Other prompts that arrive first queue it: an M/D/1 queue
    whose service is the extra time the prefill steps take over plain decode steps and whose
    load is the closed loop's arrival rate, sessions / (TTFT + output x TPOT), so TTFT solves a
    quadratic (below). Prompts arriving faster than a chunk per step queue at least as long as
    Little's law says. And a benchmark's opening burst (`burst_share` of its requests,
    BENCHMARK_BURST_SHARE) waits for the prefill of every session's prompt sent with it, a
    chunk at a time (wave_chunks of steps carrying a full chunk), instead of its own prefill
    alone."""
    context = history + prompt + output / 2
    chunks, chunk = _blocks(prompt, r.chunk), min(prompt, r.chunk)
    light, _ = step_seconds(r, c, served, 0, context, 0)
    heavy, _ = step_seconds(r, c, served, chunk, context, history + prompt / 2)
    full, _ = step_seconds(r, c, served, min(served * prompt, r.chunk), context,
                           history + prompt / 2, chunk)
    burst = burst_share * c.ttft_prefill_ratio \
        * max(0.0, wave_chunks(r, served, prompt) * full - chunks * heavy)
    service = c.ttft_prefill_ratio * chunks * max(0.0, heavy - light)
    base = c.ttft_fixed_s + c.ttft_prefill_ratio * chunks * heavy \
        + scheduler_wait(c, served, step)
    # T = base + s rho / (2 (1 - rho)), rho = A / (T + B), A = load x sessions x s, B = output
    # x TPOT; with x = T + B and K = base + B: x^2 - (A + K) x + A K - s A / 2 = 0, whose
    # larger root keeps rho below 1.
    a = c.ttft_load_ratio * served * service
    k = base + output * step
    ttft = ((a + k) + math.sqrt((a - k) ** 2 + 2 * service * a)) / 2 - output * step
    decoding = fed_sessions(r, prompt, output)
    if served > decoding:          # prompts queue for the chunk: Little's law on the queue
        ttft = max(ttft, base + (served - decoding) * prompt / r.chunk * step)
    return ttft + burst


def batch_in_flight(r: Replica, sessions: int) -> int:
    """Return the sessions of the largest batch in flight on the replica: all of them within a
    node. A replica spanning nodes keeps one batch per pipeline stage in flight (never more
    batches than sessions), so its stages work on different batches at once: vLLM's
    max_concurrent_batches is pipeline_parallel_size ("PP requires PP-size concurrent batches
    to fill the pipeline", vllm/config/vllm.py; EngineCore.step_with_batch_queue), SGLang's
    event_loop_pp runs pp_size micro-batches, TensorRT-LLM's PyExecutor num_micro_batches =
    pp_size. The largest batch paces them all: each stage takes every batch in turn.

    >>> r = Replica(*[0] * len(Replica._fields))._replace(stages=4)
    >>> batch_in_flight(r, 21), batch_in_flight(r, 3), batch_in_flight(r._replace(stages=1), 21)
    (6, 1, 21)
    """
    return -(-sessions // max(1, min(r.stages, sessions)))


def first_token_seconds(r: Replica, c: PerfConstants, sessions: int, prompt: int,
                        output: int, step: float, history: int = 0,
                        burst_share: float | None = None) -> float:
    """Return the mean TTFT with `sessions` on the replica, as the engine schedules prompts
    (PROMPT_SCHEDULING): taken as they come, or in waves, among the sessions of their batch
    (batch_in_flight); prompts taken as they come over a benchmark whose opening burst is
    `burst_share` of its requests (0: live traffic; by default the constants'). Sessions beyond
    the KV pool also wait for a slot (a slot frees when a session ends)."""
    served = min(sessions, max(1, r.capacity))
    batch = batch_in_flight(r, served)
    if c.prompt_scheduling == "prefill_first":
        ttft = _wave_first_token_seconds(r, c, batch, prompt, step, history)
    else:
        ttft = _mixed_first_token_seconds(r, c, batch, prompt, output, step, history,
                                          c.burst_share if burst_share is None else burst_share)
    if sessions > served:          # closed loop: each slot serves prompt-to-end cycles
        ttft += (sessions - served) / served * (output * step + ttft)
    return ttft


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def perf_point(r: Replica, c: PerfConstants, sessions: int, prompt: int, output: int,
               history: int = 0, burst_share: float | None = None) -> PerfPoint:
    """Return TPOT, TTFT and tokens per second with `sessions` on one replica; sessions beyond
    its KV pool wait in a queue: they add to TTFT, not to TPOT. TTFT is a benchmark's mean,
    its opening burst `burst_share` of the requests (by default the constants', which the TTFT
    basis sets: first_token_seconds). Cached: the layout
    search, the curve, the bisection for targets and every scenario ask for the same points of
    the same few replicas (two thirds of the calls in a run of the tests)."""
    running, batch = running_batch(r, sessions)
    step, bound, decoding = decode_seconds(r, c, batch, prompt, output, history)
    ttft = first_token_seconds(r, c, sessions, prompt, output, step, history, burst_share)
    return PerfPoint(sessions_per_replica=sessions, tpot_ms=round(step * 1000, 3),
                     ttft_ms=round(ttft * 1000, 1),
                     output_tokens_per_second_per_session=round(1 / step, 2),
                     output_tokens_per_second_per_replica=round(
                         decoding * running / batch / step, 1),
                     bound="kv_capacity" if sessions > running else bound)


def running_sessions(sessions: int, capacity: int) -> int:
    """Return the sessions running at once with `sessions` on a replica whose KV pool holds
    `capacity` (at least one; the rest queue; all of them where no pool is known).

    >>> running_sessions(709, 800), running_sessions(900, 800), running_sessions(5, 0)
    (709, 800, 5)
    """
    return max(1, min(sessions, capacity)) if capacity > 0 else sessions


def running_batch(r: Replica, sessions: int) -> tuple[int, int]:
    """Return the sessions running at once with `sessions` on the replica (running_sessions)
    and the largest batch of them in flight (batch_in_flight)."""
    running = running_sessions(sessions, r.capacity)
    return running, batch_in_flight(r, running)


def decode_tpot_ms(r: Replica, c: PerfConstants, sessions: int, prompt: int, output: int
                   ) -> float:
    """Return perf_point's TPOT alone, without the first-token time a TPOT fit does not use."""
    return round(decode_seconds(r, c, running_batch(r, sessions)[1], prompt, output)[0] * 1000,
                 3)


def max_sessions_within(r: Replica, c: PerfConstants, prompt: int, output: int,
                        history: int, tpot_ms: float | None, ttft_ms: float | None
                        ) -> tuple[int, str | None]:
    """Return the most sessions one replica serves with mean TPOT and TTFT within the targets
    (never more than its KV pool holds), and which target stops it; (0, target) when not even
    one session meets it. TPOT and TTFT grow with sessions, so the largest is found by
    bisection."""
    def fails(sessions: int) -> str | None:
        p = perf_point(r, c, sessions, prompt, output, history)
        if tpot_ms is not None and p.tpot_ms > tpot_ms:
            return "tpot"
        if ttft_ms is not None and p.ttft_ms > ttft_ms:
            return "ttft"
        return None

    if r.capacity < 1:                 # the replica holds not even its weights and one session
        return 0, "tpot" if tpot_ms is not None else "ttft"
    top = r.capacity
    if fails(1):
        return 0, fails(1)
    if not fails(top):
        return top, None
    low, high = 1, top                 # low meets the targets, high does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if not fails(middle) else (low, middle)
    return low, fails(high)


def perf_curve(r: Replica, c: PerfConstants, prompt: int, output: int, history: int,
               extra: Iterable[int]) -> tuple[PerfPoint, ...]:
    """Points at every power of two of sessions per replica up to the larger of the KV
    capacity and 1,024, plus the capacity itself and the `extra` points, in order."""
    top = 1 << (max(r.capacity, 1024) - 1).bit_length()     # first power of two at or above
    sizes = {1 << i for i in range(top.bit_length())} | {max(1, r.capacity)}
    sizes |= {s for s in extra if 0 < s <= MAX_SESSIONS_SEARCH}
    return tuple(perf_point(r, c, s, prompt, output, history) for s in sorted(sizes))

# ======================================================== cost
# Owns: money, power and space per scenario: capex from the node price, facility power with
# the PUE, rack units, heat, energy per year, opex (energy and hosting), TCO over the horizon,
# and what a session-month and a million output tokens cost. Formulas in README "Cost"; every
# default is a named constant with its source, and every input says where it came from.

DEFAULT_YEARS = 3                       # amortisation horizon (servers are depreciated over 3-5)
# US average industrial electricity price: about 8 cents per kWh in 2024 (EIA Electric Power
# Monthly, table 5.6.A); 0.10 leaves room for demand charges. Override with your tariff.
DEFAULT_ENERGY_USD_PER_KWH = 0.10
DEFAULT_PUE = 1.5                       # Uptime Institute 2024 survey: average PUE 1.56
DEFAULT_AVERAGE_POWER_RATIO = 0.7       # assumption: inference draws 60-80% of maximum
# Colocation per kW of facility power per month: a round figure within published wholesale
# rates (CBRE North America Data Center Trends 2024: about 150-200 USD per kW-month).
DEFAULT_HOSTING_USD_PER_KW_MONTH = 150.0
BTU_PER_HOUR_PER_KW = 3412.14           # 1 kW = 3,412.14 BTU/h
PRICE_FLAGS = {"node_price_usd": "--node-price-usd", "gpu_hour_usd": "--gpu-hour-usd"}
HOURS_PER_YEAR = 8760


@record
class MoneySettings:
    """The cost flags; None means the catalog's figure or the default."""

    node_price_usd: float | None = None
    node_prices_usd: tuple[tuple[str, float], ...] = ()   # per server name (NAME=USD,...)
    gpu_hour_usd: float | None = None
    gpu_hour_prices_usd: tuple[tuple[str, float], ...] = ()   # per server name
    years: float | None = None
    energy_usd_per_kwh: float | None = None
    pue: float | None = None
    average_power_ratio: float | None = None
    hosting_usd_per_kw_month: float | None = None
    currency: str | None = None
    usd_rate: float | None = None


@record
class ScenarioCost:
    capex_usd: float | None
    facility_power_kw: float | None
    rack_units: int | None
    heat_btu_per_hour: float | None
    energy_mwh_per_year: float | None
    opex_usd_per_year: float | None
    tco_usd: float | None
    usd_per_session_month: float | None
    usd_per_million_output_tokens: float | None
    tco_vs_minimum_usd: float | None
    tco_vs_recommended_usd: float | None
    rent_usd_per_year: float | None          # the same GPUs rented by the hour, all year
    rent_usd: float | None                   # over the horizon, beside the TCO
    rent_usd_per_session_month: float | None
    rent_usd_per_million_output_tokens: float | None
    rent_vs_tco_usd: float | None            # renting minus owning (negative: renting costs less)
    break_even_years: float | None           # when renting has cost as much as owning:
                                             # capex / (rent - opex a year); None when
                                             # renting costs no more than running owned nodes


@record
class CostPlan:
    inputs: tuple[tuple[str, Any], ...]       # every value used, by name
    inputs_from: tuple[tuple[str, str], ...]  # "catalog", "flag" or "default"
    notes: tuple[tuple[str, Any], ...]        # price date and source, power source
    output_tokens_per_second: float | None    # what the plan serves at its load
    scenarios: tuple[ScenarioCost, ...]

    def value(self, name: str) -> Any:
        return dict(self.inputs)[name]


def cost_inputs(server: Server, money: MoneySettings) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the cost inputs and where each came from (flag, catalog or default)."""
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for name, flag, catalog, default in (
            ("node_price_usd", dict(money.node_prices_usd).get(server.name,
                                                               money.node_price_usd),
             server.price_usd, None),
            ("gpu_hour_usd", dict(money.gpu_hour_prices_usd).get(server.name,
                                                                 money.gpu_hour_usd),
             server.rental_usd_per_gpu_hour, None),
            ("years", money.years, None, DEFAULT_YEARS),
            ("energy_usd_per_kwh", money.energy_usd_per_kwh, None, DEFAULT_ENERGY_USD_PER_KWH),
            ("pue", money.pue, None, DEFAULT_PUE),
            ("average_power_ratio", money.average_power_ratio, None,
             DEFAULT_AVERAGE_POWER_RATIO),
            ("hosting_usd_per_kw_month", money.hosting_usd_per_kw_month, None,
             DEFAULT_HOSTING_USD_PER_KW_MONTH),
            ("node_power_kw", None, server.system_power_kw, None),
            ("node_rack_units", None, server.rack_units, None),
            ("node_gpus", None, server.gpus, None)):
        if flag is not None:
            values[name], origin[name] = flag, "flag"
        elif catalog is not None:
            values[name], origin[name] = catalog, "catalog"
        else:
            values[name], origin[name] = default, "default" if default is not None else "none"
    return values, origin


def scenario_cost(nodes: int | None, v: Mapping[str, Any], concurrency: int,
                  tokens_per_second: float | None) -> ScenarioCost:
    """Apply README "Cost" to one scenario's nodes; a figure whose input is missing is None.

    >>> c = scenario_cost(3, dict(node_price_usd=500000, years=3, energy_usd_per_kwh=0.1,
    ...     pue=1.5, average_power_ratio=0.7, hosting_usd_per_kw_month=150,
    ...     node_power_kw=14.5, node_rack_units=10, gpu_hour_usd=3.0, node_gpus=8),
    ...     1000, 20000.0)
    >>> c.capex_usd, c.facility_power_kw, c.energy_mwh_per_year, c.opex_usd_per_year
    (1500000, 65.25, 400.113, 157461.3)
    >>> c.rent_usd_per_year, c.rent_usd, c.rent_vs_tco_usd, c.break_even_years
    (630720.0, 1892160.0, -80223.9, 3.17)

    (3 x 14.5 kW x 1.5 = 65.25 kW; 3 x 14.5 x 0.7 x 1.5 x 8,760 h = 400,113 kWh; opex =
    400,113 x 0.10 + 65.25 x 150 x 12 = 40,011.30 + 117,450 USD; TCO = 1,500,000 + 3 x
    157,461.30 = 1,972,383.90. Renting the 24 GPUs: 24 x 3.00 x 8,760 h = 630,720 USD a
    year, 1,892,160 over 3 years, 80,223.90 less than owning; owning pays back after
    1,500,000 / (630,720 - 157,461.30) = 3.17 years.)
    """
    if nodes is None:
        return ScenarioCost(*([None] * len(ScenarioCost._fields)))
    price, power, units = v["node_price_usd"], v["node_power_kw"], v["node_rack_units"]
    capex = None if price is None else nodes * price
    facility = energy = opex = heat = None
    if power is not None:
        facility = round(nodes * power * v["pue"], 4)
        heat = round(nodes * power * BTU_PER_HOUR_PER_KW, 2)
        energy = round(nodes * power * v["average_power_ratio"] * v["pue"] * HOURS_PER_YEAR
                       / 1000, 4)
        opex = round(energy * 1000 * v["energy_usd_per_kwh"]
                     + facility * v["hosting_usd_per_kw_month"] * 12, 2)
    tco = None if capex is None or opex is None else round(capex + v["years"] * opex, 2)
    rate = v["gpu_hour_usd"]
    rent_year = None if rate is None else round(nodes * v["node_gpus"] * rate * HOURS_PER_YEAR,
                                                2)
    rent = None if rent_year is None else round(v["years"] * rent_year, 2)

    def per_session(total: float | None) -> float | None:
        return None if total is None else round(total / concurrency / (12 * v["years"]), 4)

    def per_million(total: float | None) -> float | None:
        return None if total is None or not tokens_per_second else round(
            total / (tokens_per_second * v["years"] * HOURS_PER_YEAR * 3600) * 10**6, 4)

    return ScenarioCost(capex_usd=capex, facility_power_kw=facility,
                        rack_units=None if units is None else nodes * units,
                        heat_btu_per_hour=heat, energy_mwh_per_year=energy,
                        opex_usd_per_year=opex, tco_usd=tco,
                        usd_per_session_month=per_session(tco),
                        usd_per_million_output_tokens=per_million(tco), tco_vs_minimum_usd=None,
                        tco_vs_recommended_usd=None, rent_usd_per_year=rent_year,
                        rent_usd=rent, rent_usd_per_session_month=per_session(rent),
                        rent_usd_per_million_output_tokens=per_million(rent),
                        rent_vs_tco_usd=None if rent is None or tco is None
                        else round(rent - tco, 2),
                        break_even_years=None if capex is None or opex is None
                        or rent_year is None or rent_year <= opex
                        else round(capex / (rent_year - opex), 3))


def cost_plan(server: Server, money: MoneySettings, nodes: Iterable[int | None],
              concurrency: int, performance: Any) -> CostPlan:
    """Money, power and space for each scenario's nodes. The plan serves concurrency x the
    mean output rate of a session at the RECOMMENDED plan's load (the operating point's
    tokens/s per replica over its sessions); nothing when RECOMMENDED holds no session."""
    values, origin = cost_inputs(server, money)
    nodes = list(nodes)
    tokens = None
    if performance is not None and nodes[RECOMMENDED_INDEX] is not None:
        point = performance.operating_point
        tokens = round(concurrency * point.output_tokens_per_second_per_replica
                       / point.sessions_per_replica, 4)
    costs = [scenario_cost(n, values, concurrency, tokens) for n in nodes]

    def more_than(cost: ScenarioCost, base: float | None) -> float | None:
        return None if cost.tco_usd is None or base is None else round(cost.tco_usd - base, 2)

    minimum = costs[0].tco_usd
    recommended = costs[RECOMMENDED_INDEX].tco_usd
    costs = [c._replace(tco_vs_minimum_usd=more_than(c, minimum),
                        tco_vs_recommended_usd=more_than(c, recommended)) for c in costs]
    def hint(key: str) -> tuple[tuple[str, Any], ...]:     # a catalog price's date, source
        return tuple((note, getattr(server, note) if origin[key] == "catalog" else None)
                     for note in PRICE_HINTS[key][1:])

    notes = (*hint("node_price_usd"), ("power_source", server.power_source),
             *hint("gpu_hour_usd"), ("currency", money.currency), ("usd_rate", money.usd_rate))
    return CostPlan(inputs=tuple(values.items()), inputs_from=tuple(origin.items()),
                    notes=notes, output_tokens_per_second=tokens, scenarios=tuple(costs))

# ======================================================== the plan
# Owns: one sizing result for a workload: the three scenarios (pooled or engine capacity), the
# storage checks, the alerts and the pooled-vs-engine comparison. Calls the core and the engine
# view; returns a SizingReport, which every view formats.


# Ties bind in this order: where both memory views hold as many sessions, the engine's is named,
# as it is what the engine will allocate and the pooled budget the methodology's estimate.
CONSTRAINTS = ("memory_engine", "memory_pooled", "tpot", "ttft")


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def size_scenario(policy: ScenarioPolicy, workload: Workload, kv: KvBreakdown,
                  hbm_bytes: int, gpus_per_node: int, memory_model: str = "pooled",
                  engine: EngineCapacity | None = None,
                  latency: tuple[int, str] | None = None) -> ScenarioResult:
    """Size one scenario on every constraint in force and let the tightest bind.

    Memory by the methodology's pooled budget ("pooled" and "both"), memory by the engine's
    per-GPU pool ("engine" and "both", of which the scenario uses engine_pool_share: all of
    it, except IDEAL 0.65 / 0.70), and the latency targets (`latency`: sessions
    per replica within them, and the target that stops more). Each gives sessions per buying
    unit (a node, or the nodes one replica spans); the smallest sizes the nodes. Sessions round
    down and nodes round up; nodes are None when no session fits. Cached: the layout search,
    the scenario-layout alternatives and a solve's bisection size the same scenarios again."""
    config = configure(policy, workload)
    ha_extra = HA_EXTRA_NODES[config.ha_mode]
    share = engine_pool_share(policy)
    engine_in = memory_model != "pooled" and engine is not None
    # the unit bought: a replica, whole, when the engine view or a latency target (timed per
    # replica) is in force; the methodology's pooled budget alone buys single nodes
    unit_nodes = engine.unit_nodes if engine is not None \
        and (engine_in or latency is not None) else 1
    caps: dict[str, int] = {}
    budget = kv_budget_per_node_bytes(hbm_bytes, workload.runtime_overhead_gib,
                                      config.kv_budget_ratio)
    if memory_model != "engine":
        # a replica spanning nodes splits each session's KV over them: the unit's budget
        caps["memory_pooled"] = sessions_per_node(budget * unit_nodes, kv.per_session_bytes)
    usable = per_replica = None
    if engine_in:
        usable, per_replica, caps["memory_engine"] = engine_sessions(engine, share)
        if memory_model == "engine":
            budget = usable * gpus_per_node
    if latency is not None and engine is not None:     # per node, or per spanning replica
        caps[latency[1]] = latency[0] * engine.replicas_per_unit
    binding = min(caps, key=lambda k: (caps[k], CONSTRAINTS.index(k)))
    per_unit = caps[binding]
    needs = {k: nodes_for(workload.concurrency, config.peak_headroom_ratio, v) * unit_nodes
             if v > 0 else None for k, v in caps.items()}
    if per_unit > 0:
        capacity = nodes_for(workload.concurrency, 0.0, per_unit) * unit_nodes
        with_headroom = needs[binding]
        final: int | None = with_headroom + ha_extra * unit_nodes
    else:
        capacity = with_headroom = final = None
    per_node = lambda k: None if k not in caps else caps[k] // unit_nodes  # noqa: E731
    latency_key = next((k for k in ("tpot", "ttft") if k in caps), None)
    return ScenarioResult(policy=policy, config=config, memory_model=memory_model,
                          kv_budget_per_node_bytes=budget, sessions_per_node=per_unit // unit_nodes,
                          nodes_per_unit=unit_nodes, sessions_per_unit=per_unit,
                          engine_pool_share=float(share),
                          nodes_capacity=capacity, nodes_with_headroom=with_headroom,
                          ha_extra_nodes=ha_extra * unit_nodes, nodes_final=final,
                          gpus_final=None if final is None else final * gpus_per_node,
                          capex_vs_minimum_ratio=None, usable_kv_per_gpu_bytes=usable,
                          sessions_per_replica=per_replica,
                          pooled_sessions_per_node=per_node("memory_pooled"),
                          engine_sessions_per_node=per_node("memory_engine"),
                          latency_constraint=latency_key,
                          latency_sessions_per_node=per_node(latency_key) if latency_key
                          else None,
                          nodes_memory=needs.get("memory_pooled"),
                          nodes_memory_engine=needs.get("memory_engine"),
                          nodes_latency=needs.get(latency_key) if latency_key else None,
                          binding_constraint=binding,
                          unit_group=unit_nodes > 1 and engine is not None
                          and engine.group_nodes > 1)


def _workload_alerts(model: Model, workload: Workload, limit: int, kv_session: int,
                     scenarios: tuple[ScenarioResult, ...]) -> list[Alert]:
    """Alerts about the workload and each scenario's node count."""
    found = []
    if workload.effective_context_tokens > limit:     # sized as asked (the flag allows it)
        found.append(make_alert("context_beyond_model",
                                requested=workload.effective_context_tokens, maximum=limit))
    if KV_BYTES_PER_ELEMENT[workload.kv_precision] > 1:
        found.append(make_alert("kv_precision_wide", precision=workload.kv_precision))
    if workload.kv_budget_ratio > BUDGET_RATIO_RISKY:
        found.append(make_alert("budget_ratio_high", ratio=workload.kv_budget_ratio,
                                limit=BUDGET_RATIO_RISKY))
    for s in scenarios:
        key = s.policy.key
        if not s.sized:         # the engine view and the targets have alerts of their own
            if s.kv_budget_per_node_bytes < kv_session:
                found.append(make_alert(
                    "no_session_fits", key,
                    budget_gib=round(s.kv_budget_per_node_bytes / BYTES_PER_GIB, 2),
                    session_gib=round(kv_session / BYTES_PER_GIB, 2)))
            continue
        if s.sessions_per_node < LOW_SESSIONS_PER_NODE:     # a latency target's, or memory's
            # a replica across nodes: its sessions shared over them (2 over 4 nodes: 0.5)
            shared = s.sessions_per_unit / s.nodes_per_unit
            per_node = int(shared) if shared.is_integer() else round(shared, 2)
            if s.binding_constraint in ("tpot", "ttft"):
                found.append(make_alert("latency_few_sessions", key,
                                        target=s.binding_constraint.upper(),
                                        sessions=per_node, limit=LOW_SESSIONS_PER_NODE))
            else:
                found.append(make_alert("low_sessions_per_node", key, sessions=per_node,
                                        limit=LOW_SESSIONS_PER_NODE))
        if s.nodes_final > MANY_NODES:
            found.append(make_alert("many_nodes", key, nodes=s.nodes_final, limit=MANY_NODES))
    return found


def _resource_alerts(workload: Workload, kv_session: int,
                     scenarios: tuple[ScenarioResult, ...], checks: StorageChecks,
                     storage: Storage, memory_model: str, hbm: int) -> list[Alert]:
    """Alerts about the pooled overhead, weights, the gap between scenarios, and storage. An
    overhead of the node's whole HBM or more leaves the pooled view no KV budget (say why no
    session fits). Weights above the pooled overhead overstate the pooled budget: a risk when
    it alone sizes the nodes, a note when the engine view (weights on every GPU) sizes them
    too."""
    found = []
    if memory_model != "engine" and gib_bytes(workload.runtime_overhead_gib) >= hbm:
        found.append(make_alert("overhead_exceeds_node",
                                overhead_gib=workload.runtime_overhead_gib,
                                node_gib=round(hbm / BYTES_PER_GIB, 2)))
    weights_gib = checks.weights_bytes / BYTES_PER_GIB
    if weights_gib > workload.runtime_overhead_gib:
        values = dict(weights_gib=round(weights_gib, 1),
                      overhead_gib=workload.runtime_overhead_gib,
                      precision=checks.weights_precision)
        found.append(make_alert("weights_exceed_overhead", **values) if memory_model == "pooled"
                     else make_alert("weights_exceed_overhead_engine_checked", **values))
    minimum, recommended = scenarios[0], scenarios[RECOMMENDED_INDEX]
    if minimum.sized and recommended.sized and \
            recommended.nodes_final - minimum.nodes_final \
            < SMALL_SCENARIO_GAP_RATIO * minimum.nodes_final:
        found.append(make_alert("small_scenario_gap", minimum=minimum.nodes_final,
                                recommended=recommended.nodes_final,
                                limit_pct=round(SMALL_SCENARIO_GAP_RATIO * 100)))
    if checks.cold_start_seconds > COLD_START_MAX_SECONDS:
        found.append(make_alert(
            "cold_start_slow", seconds=round(checks.cold_start_seconds, 1),
            limit=COLD_START_MAX_SECONDS, weights_gb=round(checks.weights_bytes / BYTES_PER_GB, 1),
            profile=storage.name, throughput=storage.read_throughput_gb_per_s))
    if checks.kv_restore_seconds > KV_RESTORE_MAX_SECONDS:
        found.append(make_alert(
            "kv_restore_slow", seconds=round(checks.kv_restore_seconds, 2),
            limit=KV_RESTORE_MAX_SECONDS, session_gib=round(kv_session / BYTES_PER_GIB, 2),
            profile=storage.name, throughput=storage.read_throughput_gb_per_s))
    return found


# SGLang's default fraction under data-parallel attention: said when its CUDA-graph term
# takes more than this share of each GPU (a rack's 72 ranks: 162 of 276.5 GiB on GB300; 8
# ranks of a DGX B300: 18 of 267.7)
SGLANG_GRAPH_RESERVE_ALERT_SHARE = Fraction(1, 4)


def sglang_graph_reserve_alerts(settings: EngineSettings, engine: EngineCapacity
                                ) -> list[Alert]:
    """When SGLang's own default --mem-fraction-static sizes the KV pool and its term for
    data-parallel attention's CUDA graphs (sglang_dp_graph_mib) takes more than
    SGLANG_GRAPH_RESERVE_ALERT_SHARE of each GPU, say so: that memory grows with the ranks
    and --cuda-graph-max-bs, which a deployment this wide sets."""
    ranks = attention_ranks(settings, settings.expert_parallel)
    if engine.engine != "sglang" or ranks < 2 or settings.mem_fraction_static is not None \
            or settings.kv_cache_memory_gib is not None:
        return []
    tp = settings.tensor_parallel or 1
    graphs = sglang_dp_graph_mib(engine.gpu_memory_bytes, tp, ranks) * 2**20
    if graphs <= engine.gpu_memory_bytes * SGLANG_GRAPH_RESERVE_ALERT_SHARE:
        return []
    return [make_alert("sglang_graph_reserve", ranks=ranks,
                       share=round(engine.budget_share, 3),
                       graphs_gib=round(float(graphs) / BYTES_PER_GIB, 1),
                       gpu_gib=round(engine.gpu_memory_bytes / BYTES_PER_GIB, 2),
                       batch=sglang_gpu_defaults(engine.gpu_memory_bytes, tp * ranks)[1])]


def _engine_alerts(model: Model, server: Server, engine: EngineCapacity,
                   memory_model: str, best: tuple[int, int],
                   capped: tuple[int, EngineCapacity] | None = None,
                   timed: bool = False) -> list[Alert]:
    """Where the pooled plan cannot work per GPU, whatever mode sizes the nodes. `capped`:
    --max-nodes-per-replica and the layout the search would keep without it, when that bound
    left no layout holding a session. Critical where the engine view sizes the nodes, or a
    latency target (`timed`) times a replica that must exist."""
    found = []
    shard = Fraction(engine.weights_total_bytes, server.gpus)
    if shard > engine.gpu_memory_bytes:
        found.append(make_alert(
            "weight_shard_exceeds_gpu", shard_gib=round(float(shard) / BYTES_PER_GIB, 1),
            gpu_gib=round(engine.gpu_memory_bytes / BYTES_PER_GIB, 2), gpus=server.gpus))
    if engine.kv_heads_replicated:
        fewest = min(g.dim("kv_heads") for g in model.layer_groups if g.spec.split == "heads")
        found.append(make_alert("kv_heads_replicated", kv_heads=fewest, tp=engine.tp_in_node,
                                factor=round(engine.tp_in_node / fewest, 2)))
    severity = "critical" if memory_model != "pooled" or timed else None
    if capped is not None:
        found.append(make_alert(
            "replica_nodes_capped", severity=severity, max_nodes=capped[0],
            nodes=capped[1].nodes_per_replica, tp=capped[1].tensor_parallel))
    elif not engine.fits and engine.kv_memory_bytes <= 0 and engine.tensor_parallel_chosen:
        # the search went up to its largest TP and the engine still leaves nothing for KV
        found.append(make_alert(
            "engine_leaves_no_kv", severity=severity, tp=engine.tensor_parallel,
            kv_gib=round(engine.kv_memory_bytes / BYTES_PER_GIB, 2)))
    elif not engine.fits:
        found.append(make_alert(
            "session_exceeds_gpu_pool", severity=severity,
            request_gib=round(engine.request_bytes_per_gpu / BYTES_PER_GIB, 2),
            pool_gib=round(engine.kv_memory_bytes / BYTES_PER_GIB, 2),
            tp=engine.tensor_parallel))
    searched = engine.tensor_parallel_chosen and memory_model != "pooled"   # already weighed
    if best[1] > engine.sessions_per_node and engine.nodes_per_replica == 1 and not searched:
        found.append(make_alert("larger_tp_holds_more", tp=engine.tensor_parallel,
                                sessions=engine.sessions_per_node, best_tp=best[0],
                                best_sessions=best[1]))
    if engine.nodes_per_replica > 1 and memory_model != "pooled":
        found.append(make_alert("replica_spans_nodes", tp=engine.tensor_parallel,
                                nodes=engine.nodes_per_replica))
    if engine.group_nodes > 1 and memory_model != "pooled":
        found.append(make_alert("expert_group_spans_nodes", ranks=engine.expert_ranks,
                                nodes=engine.group_nodes, gb_per_s=server.scaleout_gb_per_s))
    if engine.running_capped:
        found.append(make_alert(
            "engine_running_limit", severity="warning" if memory_model != "pooled" else None,
            limit=engine.running_limit, setting=engine.running_limit_setting,
            held=engine.kv_sessions_per_replica))
    return found


def compare_capacity(engine: EngineCapacity, workload: Workload, kv: KvBreakdown, hbm: int,
                     settings: EngineSettings) -> CapacityComparison:
    """Put the pooled method's node next to the engine's, with the terms that explain the gap."""
    budget = kv_budget_per_node_bytes(hbm, workload.runtime_overhead_gib,
                                      workload.kv_budget_ratio)
    pooled = sessions_per_node(budget, kv.per_session_bytes)
    gpus = engine.gpus_per_node
    activation = engine.activation_bytes if engine.activation_subtracted else 0
    loaded = engine.weights_per_gpu_bytes + activation + engine.reserve_bytes
    return CapacityComparison(
        pooled_sessions_per_node=pooled, engine_sessions_per_node=engine.sessions_per_node,
        gap_ratio=None if not pooled else round(engine.sessions_per_node / pooled - 1, 4),
        pooled_overhead_bytes=gib_bytes(workload.runtime_overhead_gib), pooled_kv_bytes=budget,
        pooled_unused_bytes=hbm - gib_bytes(workload.runtime_overhead_gib) - budget,
        engine_loaded_bytes=loaded * gpus,
        engine_unused_bytes=(engine.gpu_memory_bytes - engine.kv_pool_bytes - loaded) * gpus,
        engine_kv_bytes=engine.kv_pool_bytes * gpus, pooled_session_bytes=kv.per_session_bytes,
        engine_session_bytes=engine.request_bytes_per_gpu * engine.replica_gpus)


def perf_constants(settings: EngineSettings) -> PerfConstants:
    """Return the engine's performance constants: a benchmark's fit (which held the values the
    efficiency flags set), else the defaults with the efficiency flags applied (the routed
    experts' efficiencies keep their ratios to bandwidth's and compute's); with the opening
    burst of a benchmark, or none for live traffic (--ttft-basis)."""
    c = ENGINE_PERF[settings.engine] if settings.perf is None else settings.perf
    for name, expert in (("bandwidth_efficiency", "expert_efficiency"),
                         ("compute_efficiency", "expert_compute_efficiency")):
        value = getattr(settings, name)
        if value is not None and settings.perf is None:
            scaled = min(1.0, getattr(c, expert) * value / getattr(c, name))
            c = c._replace(**{name: value, expert: scaled}, source="flag")
    return c._replace(burst_share=BENCHMARK_BURST_SHARE if settings.ttft_basis == "benchmark"
                      else 0.0)


def experts_can_split(model: Model, engine: EngineCapacity, settings: EngineSettings) -> bool:
    """Whether the replica's routed experts can be split whole over its ranks: an MoE model
    over more than one GPU of a node, or over data-parallel attention ranks."""
    return bool(model.num_experts) and (engine.tp_in_node > 1 or settings.data_parallel > 1)


def with_expert_options(model: Model, engines: Iterable[EngineCapacity],
                        settings: EngineSettings
                        ) -> list[tuple[EngineCapacity, bool, EngineSettings]]:
    """Each replica with its experts replicated and, where they can split
    (experts_can_split), split (--expert-parallel keeps only split experts)."""
    return [(e, ep, settings) for e in engines for ep in (False, True)
            if (ep or not settings.expert_parallel)
            and (not ep or experts_can_split(model, e, settings))]


def layout_candidates(model: Model, search: LayoutSearch, settings: EngineSettings
                      ) -> list[tuple[EngineCapacity, bool, EngineSettings]]:
    """Return the layouts within a node the search weighs, each with the settings it runs
    with: each power-of-two tensor parallelism within a node that the engine can run and whose
    pool holds a session (or the given one), with and without expert parallelism for an MoE
    model; and, for an MoE model whose tensor parallelism would copy KV on every rank (an MLA
    latent, fewer KV heads than GPUs), data-parallel attention over the node in ranks of 1,
    2, 4... GPUs (one for TRT-LLM). Replicas spanning nodes are weighed by choose_layout."""
    if settings.tensor_parallel is not None:
        return with_expert_options(model, [search.chosen()], settings)
    pairs = with_expert_options(model, search.fitting(), settings)
    if replicates_kv(model, search.server.gpus):
        pairs += dp_attention_candidates(model, search, settings)
    return pairs


def dp_attention_candidates(model: Model, search: LayoutSearch, settings: EngineSettings,
                            nodes: int = 1) -> list[tuple[EngineCapacity, bool, EngineSettings]]:
    """Data-parallel attention over the node (or an expert group over `nodes` nodes), for an
    MoE model with no parallelism pinned: one attention rank per GPU, and for vLLM and
    SGLang (whose ranks may hold a TP group: SGLang's attn_tp_size = tp_size // dp_size)
    ranks of 2, 4... GPUs, which copy the KV heads fewer times than TP over the node and the
    dense weights fewer times than one rank per GPU; each whose pool holds a session."""
    server = search.server
    if settings.data_parallel != 1 or settings.expert_parallel or not model.num_experts \
            or server.gpus < 2 or settings.tensor_parallel is not None:
        return []
    ranks = [1] if settings.engine == "trtllm" else \
        [tp for tp in (1 << i for i in range(server.gpus.bit_length()))
         if tp < server.gpus and server.gpus % tp == 0]
    pairs = []
    for tp in ranks:
        dp = dp_attention_settings(settings._replace(
            dp_attention=True, tensor_parallel=tp, data_parallel=nodes * server.gpus // tp),
            server)
        if tensor_parallel_problem(model, server, tp):
            continue
        engine = LayoutSearch(*search.args[:4], dp).at(tp)
        if engine.fits:
            pairs.append((engine, True, dp))
    return pairs


def expert_groups(model: Model, search: LayoutSearch, settings: EngineSettings,
                  stop: Callable[[int], bool]
                  ) -> Iterator[list[tuple[EngineCapacity, bool, EngineSettings]]]:
    """Data-parallel attention ranks whose expert group spans 2, 4... nodes (wide expert
    parallelism: the experts split over more GPUs leave each rank more memory for its own
    KV), for a model whose TP copies KV (replicates_kv) on a server whose catalog gives the
    network between nodes (scaleout_gb_per_s), until stop(nodes) or --max-nodes-per-replica;
    the layouts of each size (dp_attention_candidates) that hold a session."""
    server = search.server
    if not server.scaleout_gb_per_s or not replicates_kv(model, server.gpus):
        return
    nodes = 2
    while nodes <= settings.max_nodes_per_replica and not stop(nodes):
        yield dp_attention_candidates(model, search, settings, nodes)
        nodes *= 2


def has_performance_data(server: Server) -> bool:
    """Whether the catalog gives the server's HBM bandwidth and compute (the performance
    model needs both)."""
    return bool(server.hbm_bandwidth_tb_per_s and server.bf16_tflops)


@record
class LayoutPlan:
    """RECOMMENDED sized with one layout: what the layout search compares."""

    score: tuple[Any, ...]           # RECOMMENDED nodes, then the tie-breaks (choose_layout)
    engine: EngineCapacity
    expert_parallel: bool
    replica: Replica | None          # None for a server without performance figures
    latency: tuple[int, str] | None  # sessions per replica within the targets, and the target
    recommended: ScenarioResult
    point: PerfPoint | None          # at the plan's load
    settings: EngineSettings         # what the layout runs with (data-parallel attention)


def mean_context(split: tuple[int, ...]) -> int:
    """A session's mean context in steady state: history + prompt + half the output."""
    return split[2] + split[0] + split[1] // 2


def held_context(split: tuple[int, ...], settings: EngineSettings) -> int:
    """Tokens of KV one running session holds in steady state: its mean context, or its full
    context (history + prompt + the whole output) where the engine reserves the whole request
    when it admits it (EngineSettings.reserves_whole_request).

    >>> trtllm = EngineSettings(engine="trtllm")
    >>> held_context((1024, 8192, 0), EngineSettings()), held_context((1024, 8192, 0), trtllm)
    (5120, 9216)
    >>> held_context((1024, 8192, 0), trtllm._replace(capacity_scheduler_policy="max_utilization"))
    5120
    """
    return split[2] + split[0] + split[1] if settings.reserves_whole_request \
        else mean_context(split)


def _plan_for(model: Model, server: Server, workload: Workload, kv: KvBreakdown, hbm: int,
              settings: EngineSettings, engine: EngineCapacity, expert_parallel: bool,
              split: tuple[int, int, int]) -> LayoutPlan:
    """Size RECOMMENDED with one layout."""
    if not has_performance_data(server):
        rec = size_scenario(SCENARIOS[RECOMMENDED_INDEX], workload, kv, hbm, server.gpus,
                            settings.memory_model, engine)
        return LayoutPlan((rec.nodes_final if rec.sized else math.inf, False, 0.0,
                           engine.tensor_parallel, expert_parallel), engine, expert_parallel,
                          None, None, rec, None, settings)
    c = perf_constants(settings)
    replica = replica_costs(model, server, engine, workload.kv_precision, settings,
                            expert_parallel, held_context(split, settings))
    latency = None
    if workload.tpot_ms is not None or workload.ttft_ms is not None:
        sessions, target = max_sessions_within(replica, c, *split, workload.tpot_ms,
                                               workload.ttft_ms)
        latency = (sessions, target or ("tpot" if workload.tpot_ms is not None else "ttft"))
    rec = size_scenario(SCENARIOS[RECOMMENDED_INDEX], workload, kv, hbm, server.gpus,
                        settings.memory_model, engine, latency)
    # the pooled view buys one node at a time: a replica over several carries all of theirs
    span = engine.unit_nodes // rec.nodes_per_unit
    load = -(-plan_load(rec, workload.concurrency, span) // engine.replicas_per_unit) \
        if rec.sized else max(1, engine.sessions_per_replica)
    point = perf_point(replica, c, max(1, load), *split)
    score = (rec.nodes_final if rec.sized else math.inf, point.bound == "kv_capacity",
             point.tpot_ms, engine.tensor_parallel, expert_parallel)
    return LayoutPlan(score, engine, expert_parallel, replica, latency, rec, point, settings)


def recommended_spares(workload: Workload) -> int:
    """The spare nodes (or replicas) RECOMMENDED adds for its HA mode: what bounds the replicas
    across nodes worth sizing (a replica of N nodes needs at least N x (1 + spares))."""
    return HA_EXTRA_NODES[configure(SCENARIOS[RECOMMENDED_INDEX], workload).ha_mode]


def _plans_for(model: Model, server: Server, workload: Workload, kv: KvBreakdown, hbm: int,
               split: tuple[int, int, int],
               layouts: Iterable[tuple[EngineCapacity, bool, EngineSettings]]
               ) -> list[LayoutPlan]:
    """RECOMMENDED sized with each layout (_plan_for)."""
    return [_plan_for(model, server, workload, kv, hbm, layout, engine, ep, split)
            for engine, ep, layout in layouts]


def choose_layout(model: Model, server: Server, workload: Workload, kv: KvBreakdown,
                  hbm: int, settings: EngineSettings, search: LayoutSearch,
                  split: tuple[int, int, int]) -> list[LayoutPlan]:
    """Return the layouts sized, best first: the one that needs the fewest RECOMMENDED nodes
    (then the fewest over the three scenarios, then one whose KV pool holds the plan's load,
    then the lowest TPOT at that load, then the smaller tensor parallelism), then the
    runner-up and the rest: the layouts within a node
    (layout_candidates), then replicas across 2, 4, 8... nodes while one could still be the
    best or the runner-up (a model that fits a node barely can hold one session per node
    where two nodes per replica hold many); the engine view's choice when none holds a
    session."""
    def plans_for(layouts: list[tuple[EngineCapacity, bool, EngineSettings]]
                  ) -> list[LayoutPlan]:
        return _plans_for(model, server, workload, kv, hbm, split, layouts)

    plans = plans_for(layout_candidates(model, search, settings))
    targets = workload.tpot_ms is not None or workload.ttft_ms is not None
    if settings.tensor_parallel is None and (settings.memory_model != "pooled" or targets):
        # Replicas across nodes, while one could still be the best or the runner-up: a
        # replica of N nodes plus RECOMMENDED's spare replicas needs at least N x (1 +
        # spares), and no fewer than its memory alone asks (targets only add), quick to size.
        # The pooled budget alone counts the same nodes whatever the layout: not searched.
        spares = recommended_spares(workload)

        def second_best() -> float:
            return (sorted(plan.score[0] for plan in plans) + [math.inf] * 2)[1]

        def stop(nodes: int) -> bool:
            return nodes * (1 + spares) > second_best()

        for engine in search.spanning(stop):
            second = second_best()
            memory = size_scenario(SCENARIOS[RECOMMENDED_INDEX], workload, kv, hbm, server.gpus,
                                   settings.memory_model, engine)
            if memory.sized and memory.nodes_final > second:
                continue
            plans += plans_for(with_expert_options(model, [engine], settings))
        for group in expert_groups(model, search, settings, stop):
            plans += plans_for(group)
    plans = plans or plans_for([(search.chosen(), settings.expert_parallel, settings)])
    ties = collections.Counter(plan.score[0] for plan in plans)

    def nodes_over_scenarios(plan: LayoutPlan) -> float:
        """MINIMUM + RECOMMENDED + IDEAL nodes, sized only where RECOMMENDED ties."""
        if ties[plan.score[0]] < 2:
            return 0.0
        others = [size_scenario(p, workload, kv, hbm, server.gpus, plan.settings.memory_model,
                                plan.engine, plan.latency)
                  for p in SCENARIOS if p.key != RECOMMENDED_SCENARIO]
        return plan.score[0] + sum(x.nodes_final for x in others) \
            if all(x.sized for x in others) else math.inf

    plans.sort(key=lambda plan: (plan.score[0], nodes_over_scenarios(plan)) + plan.score[1:])
    return plans


def layout_flags(plan: LayoutPlan) -> str:
    """The flags that pin a plan's layout (its TP, attention ranks, experts split)."""
    tp, ep, ranks = _plan_layout(plan)
    return f"--tensor-parallel {tp}" + (f" --data-parallel {ranks}" if ranks > 1 else "") \
        + (" --expert-parallel" if ep else "")


def scenario_layout_alternatives(workload: Workload, kv: KvBreakdown, hbm: int, gpus: int,
                                 plans: list[LayoutPlan],
                                 scenarios: tuple[ScenarioResult, ...]) -> list[Alert]:
    """One layout, the one RECOMMENDED needs fewest nodes with, sizes the three scenarios; say
    when another layout the search sized would need fewer nodes for MINIMUM or IDEAL (their
    own headroom and spares, counted in that layout's whole replicas), and the flags that
    size it."""
    found = []
    for policy, result in zip(SCENARIOS, scenarios):
        if policy.key == RECOMMENDED_SCENARIO or not result.sized:
            continue
        best, nodes = None, result.nodes_final
        for plan in plans[1:]:
            other = size_scenario(policy, workload, kv, hbm, gpus, plan.settings.memory_model,
                                  plan.engine, plan.latency)
            if other.sized and other.nodes_final < nodes:
                best, nodes = plan, other.nodes_final
        if best is not None:
            found.append(make_alert(
                "scenario_layout_needs_fewer", policy.key, nodes=result.nodes_final,
                layout_nodes=nodes, layout=_plan_label(best), chosen_layout=_plan_label(plans[0]),
                flags=layout_flags(best)))
    return found


def _plan_layout(plan: LayoutPlan) -> tuple[int, bool, int]:
    """A plan's layout as timed_layout gives it: TP, experts split, attention ranks."""
    return timed_layout(plan.engine.tensor_parallel, plan.expert_parallel, plan.settings)


def _plan_label(plan: LayoutPlan) -> str:
    """A plan's layout in the engines' notation (layout_label)."""
    return layout_label(*_plan_layout(plan))


def sglang_window_pool_alternative(model: Model, server: Server, context: int,
                                   kv_precision: str, settings: EngineSettings,
                                   engine: EngineCapacity) -> list[Alert]:
    """SGLang sizes its window pool at swa_full_tokens_ratio of the full pool's tokens
    (_sglang_window_pool) though a session keeps only its window there: at long contexts most
    of that pool stays empty. Say what the best of SGLANG_SWA_RATIO_CANDIDATES holds per
    replica when it is SGLANG_SWA_RATIO_GAIN times as many sessions, keeping room in the window
    pool for what SGLang leaves there at worst: every session's window, a page and
    SGLANG_SWA_EVICTION_INTERVAL tokens, and SGLANG_SWA_CHUNKS_IN_FLIGHT prefill chunks."""
    if settings.engine != "sglang" or engine.window_rule != "hybrid_pools":
        return []
    kept = min(context, sglang_window_tokens(model.layer_groups, engine.block_size, context)
               + SGLANG_SWA_EVICTION_INTERVAL)
    chunks = SGLANG_SWA_CHUNKS_IN_FLIGHT * settings.chunked_prefill_size
    best = (engine.kv_sessions_per_replica, settings.swa_full_tokens_ratio)
    for ratio in SGLANG_SWA_RATIO_CANDIDATES:
        other = engine_capacity_at(model, server, context, kv_precision,
                                   settings._replace(swa_full_tokens_ratio=ratio),
                                   engine.tensor_parallel, engine.tensor_parallel_chosen)
        room = ratio * other.kv_capacity_tokens
        if other.kv_sessions_per_replica > best[0] \
                and room >= other.kv_sessions_per_replica * kept + chunks:
            best = (other.kv_sessions_per_replica, ratio)
    if best[0] < SGLANG_SWA_RATIO_GAIN * engine.kv_sessions_per_replica:
        return []
    return [make_alert("sglang_window_pool_oversized", ratio=settings.swa_full_tokens_ratio,
                       best_ratio=best[1], held=engine.kv_sessions_per_replica,
                       best_held=best[0], window=kept, chunks=SGLANG_SWA_CHUNKS_IN_FLIGHT,
                       chunk=settings.chunked_prefill_size,
                       flag=f"--swa-full-tokens-ratio {best[1]:g}")]


def dp_attention_alternative(model: Model, server: Server, workload: Workload,
                             kv: KvBreakdown, hbm: int, settings: EngineSettings,
                             search: LayoutSearch, split: tuple[int, int, int],
                             chosen: LayoutPlan) -> list[Alert]:
    """The search weighs data-parallel attention only where tensor parallelism copies KV
    (replicates_kv), where it is what avoids the copies; for another MoE model, say when it
    would need fewer RECOMMENDED nodes than the layout chosen, with the error its speeds
    carry (ERROR_BAND, on DATA_PARALLEL_ATTENTION_RUNS runs), instead of choosing it."""
    if chosen.replica is None or replicates_kv(model, server.gpus) \
            or chosen.recommended.binding_constraint == "memory_pooled":
        return []                      # the pooled budget is the same for every layout
    plans = _plans_for(model, server, workload, kv, hbm, split,
                       dp_attention_candidates(model, search, settings))
    best = min(plans, key=lambda plan: plan.score, default=None)
    if best is None or not best.recommended.sized or best.score[0] >= chosen.score[0]:
        return []
    return [make_alert("dp_attention_needs_fewer", nodes=chosen.recommended.nodes_final,
                       dp_nodes=best.recommended.nodes_final,
                       ranks=best.settings.data_parallel, tp=best.engine.tensor_parallel,
                       tpot_error_pct=round(ERROR_BAND["tpot_median_data_parallel_attention"]
                                            * 100),
                       ttft_error_pct=round(ERROR_BAND["ttft_median_data_parallel_attention"]
                                            * 100),
                       runs=DATA_PARALLEL_ATTENTION_RUNS, flags=layout_flags(best))]


def _memory_nodes_floor(workload: Workload, kv: KvBreakdown, hbm: int, gpus: int,
                        search: LayoutSearch, below: float) -> float:
    """The fewest RECOMMENDED nodes the memory views alone ask with any layout the search can
    size, within a node or across nodes, when that is fewer than `below` (else `below` or
    more): no plan of the search needs fewer, as latency targets only add. Within a node that
    is the layout holding the most sessions per node; replicas across N nodes are sized while
    N x (1 + RECOMMENDED's spares) is below both the floor so far and `below`, as
    choose_layout bounds them."""
    settings = search.settings

    def nodes(engine: EngineCapacity) -> float:
        sized = size_scenario(SCENARIOS[RECOMMENDED_INDEX], workload, kv, hbm, gpus,
                              settings.memory_model, engine)
        return sized.nodes_final if sized.sized else math.inf

    in_node = [engine for engine, _, _ in layout_candidates(search.model, search, settings)]
    # within a node the most sessions per node ask the fewest nodes
    floor = nodes(max(in_node, key=lambda e: e.sessions_per_node)) if in_node else math.inf
    if settings.tensor_parallel is None:
        spares = recommended_spares(workload)
        for engine in search.spanning(lambda n: n * (1 + spares) >= min(floor, below)):
            floor = min(floor, nodes(engine))
        for group in expert_groups(search.model, search, settings,
                                   lambda n: n * (1 + spares) >= min(floor, below)):
            floor = min([floor] + [nodes(engine) for engine, _, _ in group])
    return floor


def engine_alternative(model: Model, server: Server, workload: Workload, kv: KvBreakdown,
                       hbm: int, settings: EngineSettings, split: tuple[int, int, int],
                       chosen: LayoutPlan) -> list[Alert]:
    """When the engine view's memory sizes RECOMMENDED, say which other engine would need
    fewest nodes under its own rules (ENGINES), at its defaults and the layout its search
    picks: the engines keep some models' KV very differently (SGLang Gemma 3's windows whole,
    vLLM in padded groups). Only the flags that say what is served carry over
    (SERVED_SETTINGS: precision, layout, speculative draft, RoPE scaling, GPU memory); one
    engine's own knobs, its measured activation and reserve and a benchmark fit do not, and with
    --kv-cache-memory-gib, which states this engine's pool, nothing is compared. Nor is a plan
    that serves no session: it has no node count to set against (its critical alerts say
    why)."""
    if chosen.recommended.binding_constraint != "memory_engine" \
            or settings.kv_cache_memory_gib is not None or not chosen.recommended.sized:
        return []
    best: tuple[str, LayoutPlan] | None = None
    formats = served_formats(model, settings, workload.kv_precision)
    for other in (e for e in ENGINES
                  if e != settings.engine and engine_runs_on(e, server, formats)):
        alternative = with_batch_limits(EngineSettings(engine=other, **settings.served), server)
        fewest = (best[1] if best else chosen).score[0]
        try:
            search = LayoutSearch(model, server, workload.effective_context_tokens,
                                  workload.kv_precision, alternative)
            if _memory_nodes_floor(workload, kv, hbm, server.gpus, search, fewest) >= fewest:
                continue                # its memory alone asks as many: no plan of it fewer
            plan = choose_layout(model, server, workload, kv, hbm, alternative, search,
                                 split)[0]
        except SizingError:             # a pinned layout this engine's rules refuse
            continue
        if plan.recommended.sized and plan.score[0] < fewest:
            best = (other, plan)
    if best is None:
        return []
    other, plan = best
    return [make_alert("other_engine_needs_fewer", engine=settings.engine,
                       nodes=chosen.recommended.nodes_final, other=other,
                       other_nodes=plan.recommended.nodes_final,
                       flags=f"--engine {other} " + layout_flags(plan))]


# Weight formats an FP8-capable GPU could serve in FP8 instead (weight_precision_alternative).
WIDE_WEIGHTS = ("fp32", "fp16", "bf16")


def weight_precision_alternative(model: Model, server: Server, workload: Workload,
                                 settings: EngineSettings, plan: ScenarioPlan) -> list[Alert]:
    """When the model's own weights are 16- or 32-bit (no --weight-precision given) and the
    GPU has FP8 tensor cores, say how many nodes the same request needs with FP8 weights
    (an FP8 checkpoint, or vLLM's and SGLang's --quantization fp8): about half the bytes each
    GPU holds and each step reads (the embedding and LM head stay bf16), GEMMs at the FP8
    peak. FP8 weights and activations kept accuracy within about 1% across the Llama 3.1
    family, 8B to 405B, in the largest published evaluation (Kurtic et al., "Give Me BF16 or
    Give Me Death"? Accuracy-Performance Trade-Offs in LLM Quantization, arXiv:2411.02355,
    2024): the reports ask for a check on the user's own tasks before buying on it."""
    chosen = plan.scenarios[RECOMMENDED_INDEX]
    if settings.weight_precision is not None or model.weight_precision not in WIDE_WEIGHTS \
            or not server.fp8_tflops or chosen.binding_constraint == "memory_pooled":
        return []
    fewer = fewer_nodes_with(plan, lambda: plan_scenarios.__wrapped__(
        model, server, workload, settings._replace(weight_precision="fp8")))
    return [] if fewer is None else [make_alert(
        "weight_precision_needs_fewer", precision=model.weight_precision,
        nodes=chosen.nodes_final, fp8_nodes=fewer, flags="--weight-precision fp8")]


def kv_precision_alternative(model: Model, server: Server, workload: Workload,
                             settings: EngineSettings, plan: ScenarioPlan) -> list[Alert]:
    """When the KV cache is 16-bit, say how many nodes the same request needs with an FP8 KV
    cache (vLLM's --kv-cache-dtype fp8, SGLang's fp8_e4m3, TensorRT-LLM's kv_cache_config
    dtype fp8), where the engine runs it on this GPU (engine_runs_on): half the bytes each
    session holds, in the pooled budget and the engine's pool alike, and half the KV each
    decode step reads."""
    chosen = plan.scenarios[RECOMMENDED_INDEX]
    if KV_BYTES_PER_ELEMENT[workload.kv_precision] != 2 or not engine_runs_on(
            settings.engine, server, served_formats(model, settings, "fp8")):
        return []
    fewer = fewer_nodes_with(plan, lambda: plan_scenarios.__wrapped__(
        model, server, workload._replace(kv_precision="fp8"), settings))
    return [] if fewer is None else [make_alert(
        "kv_precision_needs_fewer", precision=workload.kv_precision, nodes=chosen.nodes_final,
        fp8_nodes=fewer, flags="--kv-precision fp8")]


def fewer_nodes_with(plan: ScenarioPlan, other: Callable[[], ScenarioPlan]) -> int | None:
    """RECOMMENDED's nodes in the plan `other` sizes (another precision of the same request),
    when that is fewer than `plan`'s; None when not, when `plan` already needs as few as any
    plan can (one node and its spare nodes), or when `other` cannot be sized. Not memoised:
    each report asks once (size_all is), and the plan is its own."""
    chosen = plan.scenarios[RECOMMENDED_INDEX]
    if not chosen.sized or chosen.nodes_final <= 1 + chosen.node_failures_tolerated:
        return None
    try:
        fewer = other().scenarios[RECOMMENDED_INDEX]
    except SizingError:
        return None
    return fewer.nodes_final if fewer.sized and fewer.nodes_final < chosen.nodes_final else None


def performance_of(model: Model, server: Server, plan: ScenarioPlan, workload: Workload
                   ) -> Performance | None:
    """The chosen layout's curve, operating point and targets, for the reports and for a
    probe that needs only the speed (size_for_rate, solve_limit), and what of it no measured
    run checks (a server's GPU, layer kinds: MEASURED_SERVERS, MEASURED_LAYER_KINDS) and the
    forward passes that check some of those kinds (STEP_CHECKS); None for a server without
    performance figures."""
    chosen, split = plan.plans[0], plan.split
    runner_up = plan.plans[1] if len(plan.plans) > 1 else None
    settings = chosen.settings
    replica, latency, point, engine = chosen.replica, chosen.latency, chosen.point, chosen.engine
    if replica is None:
        return None
    c = perf_constants(settings)
    band = expected_error(model.name, bool(model.num_experts), engine.engine,
                          chosen.expert_parallel, replica.attention_ranks > 1)
    extra = [point.sessions_per_replica] + ([latency[0]] if latency else [])
    unmeasured = tuple(k for k in LAYER_KINDS if k not in MEASURED_LAYER_KINDS
                       and any(g.kind == k for g in model.layer_groups))
    runner = () if runner_up is None else (
        ("tensor_parallel", runner_up.engine.tensor_parallel),
        ("expert_parallel", runner_up.expert_parallel),
        ("data_parallel", runner_up.settings.data_parallel),
        ("nodes_final", runner_up.recommended.nodes_final),
        ("tpot_ms", runner_up.point.tpot_ms if runner_up.point else None))
    return Performance(
        tensor_parallel=engine.tensor_parallel, expert_parallel=chosen.expert_parallel,
        gpus_per_replica=engine.replica_gpus, replicas_per_node=engine.replicas_per_node,
        nodes_per_replica=engine.nodes_per_replica,
        data_parallel=chosen.settings.data_parallel, expert_group_nodes=engine.group_nodes,
        input_tokens=split[0],
        output_tokens=split[1], history_tokens=split[2], split_defaulted=split[3], constants=c,
        kv_capacity_sessions=replica.capacity, kv_pool_sessions=replica.kv_sessions,
        running_limit=engine.running_limit, running_limit_setting=engine.running_limit_setting,
        chunk_tokens=replica.chunk,
        mean_context_tokens=mean_context(split),
        held_context_tokens=held_context(split, chosen.settings),
        prefill_limit_sessions=max(1, math.floor(fed_sessions(replica, *split[:2])))
        * replica.stages,
        curve=perf_curve(replica, c, *split[:3], extra), operating_point=point,
        ttft_basis=settings.ttft_basis,
        ttft_ms_benchmark=perf_point(replica, c, point.sessions_per_replica, *split[:3],
                                     BENCHMARK_BURST_SHARE).ttft_ms,
        ttft_ms_live=perf_point(replica, c, point.sessions_per_replica, *split[:3], 0.0).ttft_ms,
        load_sessions_per_unit=plan_load(chosen.recommended, workload.concurrency),
        tpot_target_ms=workload.tpot_ms, ttft_target_ms=workload.ttft_ms,
        max_sessions_within_targets=latency[0] if latency else None,
        binding_target=latency[1] if latency else None, runner_up=runner,
        expected_error=band if c.source != "flag" else (*band[:2], "flag"),
        allreduce_latency_us=round(replica.nccl_latency_s * 1e6, 6)
        if uses_nccl(replica, replica.tp * replica.attention_ranks) else None,
        kernels_per_layer=round(replica.kernels, 3),
        layer_overhead_s=round(replica.kernels * c.kernel_overhead_s, 12),
        unmeasured_gpu=None if server.name in MEASURED_SERVERS else server.gpu_model,
        unmeasured_kinds=unmeasured,
        step_checks=tuple(c for c in STEP_CHECKS if c.layer_kind in unmeasured),
        run_checks=tuple(c for c in RUN_CHECKS if c.layer_kind in unmeasured))


@record
class ScenarioPlan:
    """The layout search and the three scenarios it sizes, for one workload: what size_all
    reports on, and all a solver needs to probe a value (no alerts, no performance section)."""

    settings: EngineSettings           # as the search runs them (batch limits, attention DP)
    kv: KvBreakdown
    hbm: int
    search: LayoutSearch
    split: tuple[int, int, int, bool]  # workload_split
    plans: tuple[LayoutPlan, ...]      # choose_layout's: the chosen layout, then the runner-up
    scenarios: tuple[ScenarioResult, ...]


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def plan_scenarios(model: Model, server: Server, workload: Workload,
                   settings: EngineSettings = EngineSettings()) -> ScenarioPlan:
    """Search the layouts and size the three scenarios with the chosen one (the nodes each
    memory view and latency target asks, capex against MINIMUM). Pure and memoised, as
    size_all is."""
    context = workload.effective_context_tokens
    settings = with_batch_limits(dp_attention_settings(settings, server), server)
    kv = kv_breakdown(model.layer_groups, context, workload.kv_precision)
    hbm = hbm_total_bytes(server)
    search = LayoutSearch(model, server, context, workload.kv_precision, settings)
    split = workload_split(context, workload.input_tokens, workload.output_tokens)
    plans = tuple(choose_layout(model, server, workload, kv, hbm, settings, search, split[:3]))
    chosen = plans[0]
    sized = [size_scenario(p, workload, kv, hbm, server.gpus, chosen.settings.memory_model,
                           chosen.engine, chosen.latency) for p in SCENARIOS]
    scenarios = tuple(x._replace(
        capex_vs_minimum_ratio=capex_vs_minimum(x.nodes_final, sized[0].nodes_final))
        for x in sized)
    return ScenarioPlan(settings=settings, kv=kv, hbm=hbm, search=search, split=split,
                        plans=plans, scenarios=scenarios)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def size_all(model: Model, server: Server, storage: Storage, workload: Workload,
             settings: EngineSettings = EngineSettings(),
             money: MoneySettings = MoneySettings()) -> SizingReport:
    """Size the three scenarios and collect the alerts: the one result every view shows.
    Pure, so it is memoised: sizing the same inputs again (another view or language of one
    plan, a solver revisiting a value) costs a lookup.

    Both memory views and the performance model are always computed; settings.memory_model
    says which memory views size the nodes, and latency targets in the workload add theirs.

    >>> m = Model("m", (), "", "", "", 36, 8, 64, 131072, "hybrid", 18, 18, 128,
    ...           _spec_layer_groups("hybrid", 8, 64, 18, 18, 128), "fp8",
    ...           116.83, 5.13, "mxfp4", "")
    >>> s = Server("s", (), "", "", "", 8, 288, 2304, "")
    >>> st = Storage("p", (), "", "nvme", 28, 1, 0.1, "")
    >>> r = size_all(m, s, st, Workload(1000, 131072, "fp8", 0.70, 120, 0.20, "n+1"))
    >>> [x.nodes_final for x in r.scenarios]
    [2, 3, 5]
    """
    plan = plan_scenarios(model, server, workload, settings)
    # with the settings as asked, before `settings` below becomes the chosen layout's
    fp8 = weight_precision_alternative(model, server, workload, settings, plan) \
        + kv_precision_alternative(model, server, workload, settings, plan)
    context = workload.effective_context_tokens
    kv, hbm, search, split, plans, scenarios = \
        plan.kv, plan.hbm, plan.search, plan.split, plan.plans, plan.scenarios
    limits = context_limit(model, plan.settings.rope_scaling)
    chosen = plans[0]
    engine, settings = chosen.engine, chosen.settings
    performance = performance_of(model, server, plan, workload)
    weights = engine.weights_total_bytes
    checks = StorageChecks(
        weights_bytes=weights, weights_precision=engine.weight_precision,
        cold_start_seconds=read_seconds(weights, storage.read_throughput_gb_per_s),
        kv_restore_seconds=read_seconds(kv.per_session_bytes, storage.read_throughput_gb_per_s))
    alerts = _workload_alerts(model, workload, limits.limit, kv.per_session_bytes, scenarios) \
        + _resource_alerts(workload, kv.per_session_bytes, scenarios, checks, storage,
                           settings.memory_model, hbm) \
        + _engine_alerts(model, server, engine, settings.memory_model, search.best_in_node(),
                         search.beyond_cap(engine),
                         workload.tpot_ms is not None or workload.ttft_ms is not None) \
        + _latency_alerts(performance, settings.draft_layers,
                          scenarios[RECOMMENDED_INDEX].sized) \
        + dp_attention_alternative(model, server, workload, kv, hbm, search.settings,
                                   search, split[:3], chosen) \
        + sglang_window_pool_alternative(model, server, context, workload.kv_precision,
                                         settings, engine) \
        + sglang_graph_reserve_alerts(settings, engine) \
        + engine_alternative(model, server, workload, kv, hbm, search.settings, split[:3],
                             chosen) + fp8 \
        + scenario_layout_alternatives(workload, kv, hbm, server.gpus, plans, scenarios)
    return SizingReport(model=model, server=server, storage=storage, workload=workload,
                        effective_context_tokens=context, kv=kv,
                        kv_total_bytes=kv.per_session_bytes * workload.concurrency,
                        hbm_total_bytes=hbm, storage_checks=checks, scenarios=scenarios,
                        alerts=tuple(alerts), settings=settings, engine=engine,
                        comparison=compare_capacity(engine, workload, kv, hbm, settings),
                        performance=performance, context=limits,
                        launch=launch_command(model, settings, engine, context,
                                              workload.kv_precision),
                        cost=cost_plan(server, money, [x.nodes_final for x in scenarios],
                                       workload.concurrency, performance))


def request_seconds(p: Performance) -> float:
    """Return how long one request holds its session at the operating point: its first token,
    then each further output token at TPOT.

    >>> point = PerfPoint(100, 20.0, 500.0, 50.0, 5000.0, "bandwidth")      # 0.5 + 10 x 0.02
    >>> request_seconds(Performance(*[0] * len(Performance._fields))._replace(
    ...     operating_point=point, output_tokens=11))
    0.7
    """
    point = p.operating_point
    return (point.ttft_ms + (p.output_tokens - 1) * point.tpot_ms) / 1000


def planned_speed(model: Model, server: Server, workload: Workload,
                  settings: EngineSettings) -> Performance | None:
    """The speed of a workload's plan (performance_of), or None when a scenario of it cannot
    be sized: what size_for_rate probes, without the report's alerts, each of which may size
    another plan."""
    plan = plan_scenarios(model, server, workload, settings)
    return None if any(not s.sized for s in plan.scenarios) \
        else performance_of(model, server, plan, workload)


def size_for_rate(model: Model, server: Server, storage: Storage, workload: Workload,
                  settings: EngineSettings = EngineSettings(),
                  money: MoneySettings = MoneySettings()) -> SizingReport:
    """Size for workload.requests_per_second instead of a concurrency. By Little's law the
    sessions in flight are the rate x the seconds each request takes (request_seconds), at
    the speed of the plan those sessions size; so this finds the fewest sessions whose plan
    carries the rate (rate x seconds per request <= sessions). It follows the sessions the
    rate needs from one session up (each plan slower than the last, as load per node grows),
    doubling once that creeps, until a count carries the rate, then bisects down to the
    fewest that do: where adding a node speeds requests up, that can be below the count the
    rate needs at the slower plan before it. A plan that cannot be sized, or a server
    without performance figures, is returned as it is."""
    rate = workload.requests_per_second or 0.0
    plans: dict[int, SizingReport] = {}

    def plan(sessions: int) -> SizingReport:
        if sessions not in plans:
            plans[sessions] = size_all(model, server, storage,
                                       workload._replace(concurrency=sessions), settings, money)
        return plans[sessions]

    def needed(sessions: int) -> int | None:
        """The sessions the rate keeps in flight at the speed of this many sessions' plan
        (its scenarios and speed only: the report's alerts are sized for the answer alone)."""
        speed = planned_speed(model, server, workload._replace(concurrency=sessions), settings)
        if speed is None:
            return None
        seconds = request_seconds(speed)
        if rate * seconds > MAX_CONCURRENCY:
            raise UsageError(f"--requests-per-second {rate:g} at {seconds:.1f} s per request "
                             f"is more than {MAX_CONCURRENCY:,} sessions")
        return max(1, math.ceil(rate * seconds - 1e-9))

    low, high = 0, 1                   # low does not carry the rate; high is the candidate
    for step in range(RATE_ITERATIONS):
        wanted = needed(high)
        if wanted is None:
            return plan(high)
        if wanted <= high:
            break
        low, high = high, min(MAX_CONCURRENCY, wanted if step < RATE_FOLLOW_STEPS
                              else max(wanted, 2 * high))
    while high - low > 1:
        middle = (low + high) // 2
        wanted = needed(middle)
        low, high = (low, middle) if wanted is not None and wanted <= middle else (middle, high)
    report = plan(high)
    return report._replace(workload=report.workload._replace(
        request_seconds=round(request_seconds(report.performance), 3)))


def size_workload(model: Model, server: Server, storage: Storage, workload: Workload,
                  settings: EngineSettings, money: MoneySettings) -> SizingReport:
    """size_all, or size_for_rate when the workload gives a request rate."""
    sizer = size_for_rate if workload.requests_per_second is not None else size_all
    return sizer(model, server, storage, workload, settings, money)


def _plan_load_alerts(performance: Performance) -> list[Alert]:
    """Prompts that arrive faster than the replica prefills them at the plan's load; a plan
    sized without a speed target whose users get fewer tokens per second than they read
    (READING_TOKENS_PER_SECOND); more sessions decoding on a replica than the measured runs had
    (MEASURED_SESSIONS_PER_REPLICA: a warning when a speed target sizes the plan); a first-token
    target sized for the waves of a prefill-first engine, or for a benchmark's opening burst."""
    found = []
    point = performance.operating_point
    running = running_sessions(point.sessions_per_replica, performance.kv_capacity_sessions)
    if running > MEASURED_SESSIONS_PER_REPLICA:
        ratio, error = full_load_check(running)
        targeted = performance.tpot_target_ms is not None or performance.ttft_target_ms is not None
        found.append(make_alert("speed_beyond_measured", severity="warning" if targeted else None,
                                sessions=running, limit=MEASURED_SESSIONS_PER_REPLICA,
                                ratio=ratio, error_pct=round(error * 100, 1)))
    if point.sessions_per_replica > performance.prefill_limit_sessions:
        found.append(make_alert("prompts_queue", prompt=performance.input_tokens,
                                limit=performance.prefill_limit_sessions,
                                sessions=point.sessions_per_replica,
                                ttft_s=round(point.ttft_ms / 1000, 2)))
    if performance.tpot_target_ms is None and performance.ttft_target_ms is None \
            and point.output_tokens_per_second_per_session < READING_TOKENS_PER_SECOND:
        found.append(make_alert("slower_than_reading",
                                tps=point.output_tokens_per_second_per_session,
                                reading_tps=READING_TOKENS_PER_SECOND))
    if performance.ttft_target_ms is not None \
            and performance.constants.prompt_scheduling == "prefill_first":
        found.append(make_alert("prompt_waves", sessions=point.sessions_per_replica,
                                ttft_s=round(point.ttft_ms / 1000, 2)))
    bench, live = performance.ttft_ms_benchmark, performance.ttft_ms_live
    if performance.ttft_basis == "live":
        found.append(make_alert("ttft_live_basis", sessions=point.sessions_per_replica,
                                ttft_s=round(live / 1000, 2), benchmark_s=round(bench / 1000, 2)))
    elif performance.ttft_target_ms is not None and bench > live:
        found.append(make_alert("opening_burst", sessions=point.sessions_per_replica,
                                ttft_s=round(bench / 1000, 2),
                                burst_s=round((bench - live) / 1000, 2),
                                live_s=round(live / 1000, 2)))
    return found


def _latency_alerts(performance: Performance | None, draft_layers: int,
                    plan_serves: bool) -> list[Alert]:
    """Speeds that leave out the speculative draft whose cache the engine view counts; the
    alerts on the plan's load (_plan_load_alerts), unless the plan serves nobody
    (`plan_serves` false, as in served_point); a latency target that not even one session per
    replica meets."""
    if performance is None:
        return []
    found = [make_alert("speculative_speed_not_modelled", layers=draft_layers)] \
        if draft_layers else []
    if plan_serves:
        found += _plan_load_alerts(performance)
    if performance.max_sessions_within_targets == 0 and performance.kv_capacity_sessions > 0:
        target = performance.binding_target
        first = performance.curve[0]
        found.append(make_alert("latency_target_unreachable", target=target.upper(),
                                value_ms=performance.tpot_target_ms if target == "tpot"
                                else performance.ttft_target_ms,
                                best_ms=first.tpot_ms if target == "tpot" else first.ttft_ms))
    return found

@record
class Comparison:
    """The same workload sized on several servers, best first, and the servers left out."""

    reports: tuple[SizingReport, ...]
    left_out: tuple[tuple[str, str], ...]      # (server, why)


SOLVE_TARGETS = ("max-concurrency", "max-context")


@record
class SolveResult:
    """The largest concurrency or context N nodes hold, per scenario: (scenario, value, its
    nodes, the nodes value + 1 needs); value None when not even 1 fits."""

    target: str
    nodes: int
    rows: tuple[tuple[str, int | None, int | None, int | None], ...]
    ceiling: int = MAX_CONCURRENCY             # the largest value tried
    ceiling_kind: str = "tool_limit"           # what sets it: "model_context" (the model's
                                               # longest context) or "tool_limit"
    constants: PerfConstants | None = None     # the performance constants it was sized with
    fit: BenchmarkFit | None = None            # with --calibrate-from-benchmark
    requests_per_second: tuple[float | None, ...] = ()   # per row, max-concurrency only: the
                                               # sessions / request_seconds at that plan

    def row_rates(self) -> tuple[float | None, ...]:
        """The requests per second of each row (None where there is none)."""
        return self.requests_per_second or (None,) * len(self.rows)

    def limited_by(self, value: int | None) -> str | None:
        """What stops a scenario's value from growing: "nodes" (one more needs more of
        them), the ceiling's kind (the value is the ceiling, which the nodes hold), or None
        (not even one fits)."""
        if value is None:
            return None
        return self.ceiling_kind if value == self.ceiling else "nodes"


def solve_limit(model: Model, server: Server, storage: Storage, workload: Workload,
                settings: EngineSettings, target: str, nodes: int,
                beyond_model: bool = False) -> SolveResult:
    """Find, per scenario, the largest concurrency (or effective context, from one request's
    prompt + output up) whose nodes_final is at most `nodes`: the whole sizing (memory views,
    layout search, latency targets) at each value tried, doubling then bisecting, so the value
    fits and value + 1 does not, up to a ceiling: the tool's limits, and for the context the
    model's longest unless `beyond_model` (--allow-context-beyond-model)."""
    if target == "max-concurrency" or beyond_model:
        top, kind = (MAX_CONCURRENCY if target == "max-concurrency" else MAX_CONTEXT_TOKENS,
                     "tool_limit")
    else:
        top, kind = context_limit(model, settings.rope_scaling).limit, "model_context"
    field = "concurrency" if target == "max-concurrency" else "effective_context_tokens"
    first = 1 if target == "max-concurrency" else \
        max(MIN_CONTEXT_TOKENS, (workload.input_tokens or 0) + (workload.output_tokens or 0))

    def needs(value: int) -> tuple[int | None, ...]:
        plan = plan_scenarios(model, server, workload._replace(**{field: value}), settings)
        return tuple(x.nodes_final for x in plan.scenarios)

    rows = []
    for i, policy in enumerate(SCENARIOS):
        fits = lambda v: needs(v)[i] is not None and needs(v)[i] <= nodes  # noqa: E731,B023
        if not fits(first):
            rows.append((policy.key, None, None, needs(first)[i]))
            continue
        low, high = first, 2 * first
        while high <= top and fits(high):
            low, high = high, high * 2
        if high > top:
            if fits(top):
                rows.append((policy.key, top, needs(top)[i], None))
                continue
            high = top
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        rows.append((policy.key, low, needs(low)[i], needs(low + 1)[i]))
    # the request rate each row's sessions serve: Little's law, as size_for_rate reads it
    performance = {value: performance_of(model, server, plan_scenarios(model, server, w,
                                                                       settings), w)
                   for _, value, _, _ in rows if value is not None and target == "max-concurrency"
                   for w in [workload._replace(concurrency=value)]}
    rates = tuple(None if performance.get(value) is None
                  else round(value / request_seconds(performance[value]), 2)
                  for _, value, _, _ in rows)
    return SolveResult(target=target, nodes=nodes, rows=tuple(rows), ceiling=top,
                       ceiling_kind=kind, requests_per_second=rates)


@record
class FleetScenario:
    """What a fleet of N nodes does for one scenario at the run's concurrency."""

    key: str
    nodes_needed: int | None           # the scenario's nodes_final (None: nothing fits)
    meets: bool                        # N >= nodes_needed
    nodes_to_add: int | None           # nodes_needed - N, at least 0
    sessions_held: tuple[int, int, int]   # sessions the N nodes hold at once: all up, after
                                          # the loss of one node, of two (a lost node takes
                                          # its whole buying unit with it)
    nodes_idle: int                    # N modulo the nodes bought together (a replica or an
                                       # expert group spanning nodes): nodes no unit uses
    max_concurrency: int | None        # the largest concurrency N nodes serve in this
                                       # scenario (headroom, spares, targets): solve_limit
    capex_to_add_usd: float | None     # nodes_to_add x the node price; None unpriced
    max_requests_per_second: float | None = None   # what max_concurrency serves (Little's
                                                   # law, SolveResult.row_rates)


@record
class FleetCheck:
    """Today's fleet against the plan (--current-nodes N)."""

    nodes: int
    concurrency: int
    scenarios: tuple[FleetScenario, ...]

    def scenario(self, key: str) -> FleetScenario:
        return next(s for s in self.scenarios if s.key == key)


def nodes_capex(nodes: int | None, price: float | None) -> float | None:
    """What buying `nodes` more nodes costs at the node price; None when either is unknown."""
    return None if nodes is None or price is None else nodes * price


def check_fleet(report: SizingReport, limits: SolveResult) -> FleetCheck:
    """Set a fleet of limits.nodes nodes against the report's scenarios: which it meets,
    the sessions it holds at once with every node up and after losing one and two, the nodes
    no whole unit uses, the largest concurrency it serves (limits: solve_limit at those
    nodes), the nodes to add and what they cost (at the node price, as a growth plan buys
    them)."""
    nodes, price = limits.nodes, report.cost.value("node_price_usd")
    rows = []
    for s, (key, value, _, _), rate in zip(report.scenarios, limits.rows, limits.row_rates()):
        units, idle = divmod(nodes, s.nodes_per_unit)
        held = tuple(max(0, units - lost) * s.sessions_per_unit for lost in (0, 1, 2))
        add = None if not s.sized else max(0, s.nodes_final - nodes)
        rows.append(FleetScenario(
            key=key, nodes_needed=s.nodes_final, meets=s.sized and nodes >= s.nodes_final,
            nodes_to_add=add, sessions_held=held, nodes_idle=idle,
            max_concurrency=value,   # type: ignore
            capex_to_add_usd=nodes_capex(add, price), max_requests_per_second=rate))
    return FleetCheck(nodes=nodes, concurrency=report.workload.concurrency,
                      scenarios=tuple(rows))


@record
class GrowthPeriod:
    """One period of a growth plan: the whole sizing at its concurrency, and per scenario
    the nodes to buy in it (beyond what earlier periods and today's fleet hold; nodes are
    never sold) and what they cost."""

    label: str
    report: SizingReport
    nodes_to_add: tuple[int | None, ...]     # per scenario; None when nothing fits
    capex_usd: tuple[float | None, ...]      # nodes_to_add x the node price; None unpriced


@record
class GrowthPlan:
    periods: tuple[GrowthPeriod, ...]
    current_nodes: int | None
    fleet: FleetCheck | None                 # today's fleet against the first period
    fleet_lasts_until: tuple[str | None, ...]   # per scenario: the last period of the first
                                                # run that today's fleet meets (None: not one)

    def capex_total_usd(self, scenario: int) -> float | None:
        """What scenario i buys over the whole plan; None when a period has no price."""
        costs = [p.capex_usd[scenario] for p in self.periods]
        return None if any(c is None for c in costs) else sum(costs)


def plan_growth(reports: Sequence[SizingReport], labels: Sequence[str],
                current_nodes: int | None = None, fleet: FleetCheck | None = None
                ) -> GrowthPlan:
    """Buy, period by period, what each scenario needs beyond what it already holds."""
    held = [current_nodes or 0] * len(SCENARIOS)
    periods = []
    for label, report in zip(labels, reports):
        price = report.cost.value("node_price_usd")
        adds: list[int | None] = []
        for i, s in enumerate(report.scenarios):
            adds.append(None if not s.sized else max(0, s.nodes_final - held[i]))
            held[i] = max(held[i], s.nodes_final or 0)
        periods.append(GrowthPeriod(
            label=label, report=report, nodes_to_add=tuple(adds),
            capex_usd=tuple(nodes_capex(a, price) for a in adds)))
    lasts: list[str | None] = []
    for i in range(len(SCENARIOS)):
        met = None
        for p in periods:
            s = p.report.scenarios[i]
            if current_nodes is None or not s.sized or s.nodes_final > current_nodes:
                break
            met = p.label
        lasts.append(met)
    return GrowthPlan(periods=tuple(periods), current_nodes=current_nodes, fleet=fleet,
                      fleet_lasts_until=tuple(lasts))


@record
class Change:
    """One value that differs between two plans; delta is new - old for numbers."""

    where: str          # an input's path, a scenario key, or "performance"
    field: str
    old: Any
    new: Any

    @property
    def delta(self) -> float | None:
        numbers = [v for v in (self.old, self.new)
                   if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return round(self.new - self.old, 6) if len(numbers) == 2 else None


@record
class PlanDiff:
    old: str                             # the two files, as given
    new: str
    inputs: tuple[Change, ...]
    results: tuple[Change, ...]


DIFF_RESULTS = (("results", "nodes_final"), ("results", "gpus_final"),
                ("results", "sessions_per_node"), ("results", "binding_constraint"),
                ("cost", "capex_usd"), ("cost", "opex_usd_per_year"), ("cost", "tco_usd"),
                ("cost", "usd_per_million_output_tokens"), ("cost", "rent_usd"))
DIFF_PERFORMANCE = ("tpot_ms", "ttft_ms", "output_tokens_per_second_per_session")
DIFF_STORAGE = ("cold_start_seconds", "kv_restore_seconds")


def _leaves(value: Any, path: str) -> dict[str, Any]:
    """A JSON object's values by dotted path (lists are compared whole)."""
    if not isinstance(value, dict):
        return {path: value}
    found: dict[str, Any] = {}
    for key, item in value.items():
        found.update(_leaves(item, f"{path}.{key}" if path else str(key)))
    return found


def _member(value: Any, *keys: str) -> Any:
    """value[keys[0]][keys[1]]...: None where a level is missing or not an object (a document
    edited by hand must not stop the diff with a traceback)."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _plan_inputs(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a plan was sized from: its inputs, the engine's settings and the money inputs."""
    return {**_leaves(_member(doc, "inputs") or {}, ""),
            **_leaves(_member(doc, "engine", "settings") or {}, "engine"),
            **_leaves(_member(doc, "cost", "inputs") or {}, "cost")}


def _plan_results(doc: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    for key in SCENARIO_KEYS:
        for part, field in DIFF_RESULTS:
            found[(key, field)] = _member(doc, "scenarios", key, part, field)
    for field in DIFF_PERFORMANCE:
        found[("performance", field)] = _member(doc, "performance", "operating_point", field)
    for field in DIFF_STORAGE:
        found[("storage", field)] = _member(doc, "storage_checks", field)
    return found


def diff_plans(old: Mapping[str, Any], new: Mapping[str, Any], old_name: str,
               new_name: str) -> PlanDiff:
    """The inputs and results that differ between two single-server JSON documents."""
    before, after = _plan_inputs(old), _plan_inputs(new)
    inputs = tuple(Change(path, "", before.get(path), after.get(path))
                   for path in sorted(set(before) | set(after))
                   if before.get(path) != after.get(path))
    was, now = _plan_results(old), _plan_results(new)
    results = tuple(Change(where, field, was[(where, field)], now[(where, field)])
                    for where, field in was if was[(where, field)] != now[(where, field)])
    return PlanDiff(old=old_name, new=new_name, inputs=inputs, results=results)


def comparison_rank(report: SizingReport) -> tuple[Any, ...]:
    """Sort key: RECOMMENDED's TCO where the server has a price; then, without one, the GPUs
    it needs (nodes differ in size: an NVL72 rack is 72 GPUs); unsized servers last."""
    rec = report.scenario(RECOMMENDED_SCENARIO)
    tco = report.cost.scenarios[RECOMMENDED_INDEX].tco_usd
    if tco is not None:
        return (0, tco, report.server.name)
    if rec.sized:
        return (1, rec.gpus_final, report.server.name)
    return (2, 0, report.server.name)


# ======================================================== renderers
# Owns: words and layout. The human reports are one document model (blocks: heading, label/value
# pairs, table, definitions, explained results, notes, bullets, paragraph, chart) built once
# from the SizingReport; text and Markdown are two small emitters over it; the JSON document is
# the contract. Renderers format, they never compute: every number comes from the report.
# Calls the records above and reads the message tables at the end of the file.

_PT_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _localize(text: str, lang: str) -> str:
    """Swap the thousands and decimal separators for Portuguese (1,418.04 -> 1.418,04)."""
    return text.translate(_PT_SEPARATORS) if lang.startswith("pt-BR") else text


_UNIT_WORDS = {"en": ((r"(?<!\{)\bnode(s?)\b(?!\})", r"rack\1"),
                      (r"\bNode(s?)\b", r"Rack\1")),
               "pt-BR": ((r"\bnós\b", "racks"), (r"\bnó\b", "rack"), (r"\bNós\b", "Racks"),
                         (r"\bNó\b", "Rack"))}


def unit_lang(server: Server, lang: str) -> str:
    """Return the message table a report on this server uses: the language's, or, for a server
    bought as a rack (NVL72), a copy of it that says rack where it says node, built on first
    use."""
    if server.unit != "rack" or "/" in lang:
        return lang
    key = f"{lang}/rack"
    if key not in STRINGS:
        import re
        rules = [(re.compile(a), b) for a, b in _UNIT_WORDS[lang]]

        def swap(value: Any) -> Any:
            if isinstance(value, str):
                for pattern, word in rules:
                    value = pattern.sub(word, value)
                return value
            if isinstance(value, dict):
                return {k: swap(v) for k, v in value.items()}
            if isinstance(value, (tuple, list)):
                return type(value)(swap(v) for v in value)
            return value
        STRINGS[key] = swap(STRINGS[lang])
    return key


def fmt_int(value: int | None, lang: str = "en") -> str:
    """Format an integer with thousands separators; None as a dash.

    >>> fmt_int(2418278400), fmt_int(2418278400, "pt-BR"), fmt_int(None)
    ('2,418,278,400', '2.418.278.400', '-')
    """
    return "-" if value is None else _localize(f"{value:,}", lang)


def fmt_num(value: float, digits: int = 2, lang: str = "en") -> str:
    """Format a number with separators and fixed decimals.

    >>> fmt_num(2145.767), fmt_num(0.7), fmt_num(1418.037, 2, "pt-BR")
    ('2,145.77', '0.70', '1.418,04')
    """
    return _localize(f"{value:,.{digits}f}", lang)


def fmt_pct(ratio: float, lang: str = "en", signed: bool = False) -> str:
    """Format a ratio as a percentage (at most one decimal).

    >>> fmt_pct(0.2), fmt_pct(0.125, "pt-BR"), fmt_pct(1.5, signed=True)
    ('20%', '12,5%', '+150%')
    """
    text = f"{ratio * 100:{'+' if signed else ''}.1f}".rstrip("0").rstrip(".")
    return _localize(text, lang) + "%"


def fmt_value(value: Any, lang: str = "en") -> str:
    """Format an alert or rationale value: integers with separators, floats trimmed, a value
    that could not be computed (None: no session fits) as the reports' "-".

    >>> fmt_value(131072), fmt_value(60.0), fmt_value(0.76, "pt-BR"), fmt_value("n+1")
    ('131,072', '60', '0,76', 'n+1')
    >>> fmt_value(None)
    '-'
    """
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return fmt_int(value, lang)
    return _localize(f"{value:,.4f}".rstrip("0").rstrip("."), lang)


def gib(size_bytes: int) -> float:
    return size_bytes / BYTES_PER_GIB


def fmt_context(tokens: int, lang: str = "en") -> str:
    """Format a token count with its k form when it is a whole number of 1024s.

    >>> fmt_context(131072), fmt_context(128000), fmt_context(100000)
    ('131,072 tokens (128k)', '128,000 tokens (125k)', '100,000 tokens')
    """
    k = f" ({tokens // TOKENS_PER_K}k)" if tokens % TOKENS_PER_K == 0 else ""
    return f"{fmt_int(tokens, lang)} tokens{k}"


_CURRENCY_SIGNS = {"pt-BR": {"USD": "US$", "BRL": "R$", "EUR": "€"}}


def money_unit(report: SizingReport) -> tuple[str, float]:
    """Return (currency code, units per USD) the reports print money in."""
    notes = dict(report.cost.notes)
    return (notes["currency"], notes["usd_rate"]) if notes["currency"] else ("USD", 1.0)


def fmt_money(usd: float | None, report: SizingReport, lang: str, short: bool = False,
              digits: int = 0, sign: bool = True) -> str:
    """Format a USD amount in the report's currency: "USD 1,545,000", "US$ 1.545.000"; short:
    "USD 1.5 M", "R$ 6,2 mi", "USD 1.35 B"; None as a dash. Without the sign where the text
    around a table names the currency (money_sign).

    >>> r = SizingReport(*([None] * 11))._replace(cost=CostPlan((), (), (("currency", "BRL"),
    ...     ("usd_rate", 5.0)), None, ()))
    >>> fmt_money(1234567, r, "pt-BR"), fmt_money(1234567, r, "pt-BR", short=True)
    ('R$ 6.172.835', 'R$ 6,2 mi')
    >>> fmt_money(269_760_000, r, "en", short=True), fmt_money(2e8, r, "en", True, sign=False)
    ('BRL 1.35 B', '1.00 B')
    """
    if usd is None:
        return "-"
    code, rate = money_unit(report)
    value = usd * rate
    prefix = money_sign(report, lang) + " " if sign else ""
    if short and abs(value) >= 10**9:
        text = fmt_num(value / 10**9, 2, lang) + (" bi" if lang.startswith("pt") else " B")
    elif short and abs(value) >= 10**6:
        text = fmt_num(value / 10**6, 1, lang) + (" mi" if lang.startswith("pt") else " M")
    elif short and abs(value) >= 10**4:
        text = fmt_num(value / 10**3, 0, lang) + (" mil" if lang.startswith("pt") else " k")
    else:
        text = fmt_num(value, digits, lang)
    return prefix + text


def money_sign(report: SizingReport, lang: str) -> str:
    """The report's currency as its money is written: "USD", "US$" or "R$" in Portuguese."""
    code = money_unit(report)[0]
    return _CURRENCY_SIGNS.get(lang.split("/")[0], {}).get(code, code)


def md_escape(cell: str) -> str:
    """Escape a table cell for GitHub Markdown (a '|' would split the cell).

    >>> md_escape("a|b")
    'a\\\\|b'
    """
    return str(cell).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_table(headers: list[str], rows: list[list[str]], markdown: bool = False,
                 width: int | None = None) -> list[str]:
    """Lay out a table as aligned text columns, or as a GitHub Markdown table. Columns are two
    spaces apart, one where two would make a line wider than `width`; a column without a
    header (a marker such as "<- plan") is not underlined. A table still wider than `width`
    wraps cells over several lines (_narrowed: a plan diff's sources, a comparison's "pooled
    memory").

    >>> render_table(["a", "bb"], [["1", "2"]])
    ['a  bb', '-  --', '1  2']
    >>> render_table(["a", ""], [["1", "<- x"]])
    ['a', '-', '1  <- x']
    >>> render_table(["a", "bb"], [["1", "2"]], width=4)
    ['a bb', '- --', '1 2']
    >>> render_table(["a", "b"], [["x|y", "2"]], markdown=True)
    ['| a | b |', '|---|---|', '| x\\\\|y | 2 |']
    >>> print("\\n".join(render_table(["k", "text"], [["1", "one two three four five six "
    ...                                                   "seven " * 2]], width=30)))
    k  text
    -  ---------------------------
    1  one two three four five six
       seven one two three four
       five six seven
    >>> print("\\n".join(render_table(["a", "bound by"], [["x" * 10, "pooled memory"],
    ...                                                   ["y", "USD 1.2 M"]], width=20)))
    a          bound by
    ---------- ---------
    xxxxxxxxxx pooled
               memory
    y          USD 1.2 M
    """
    if markdown:
        lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
                 "|" + "|".join(["---"] * len(headers)) + "|"]
        lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
        return lines
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    gap = "  " if width is None or sum(widths) + 2 * (len(widths) - 1) <= width else " "
    if width is not None and sum(widths) + len(gap) * (len(widths) - 1) > width:
        widths, gap = _narrowed(headers, rows, widths, width)

    def lines(cells: list[str]) -> list[str]:
        parts = [[c] if len(c) <= w else _wrap(c, "", hang=0, width=w)
                 for c, w in zip(map(str, cells), widths)]
        return [gap.join((p[k] if k < len(p) else "").ljust(w)
                         for p, w in zip(parts, widths)).rstrip()
                for k in range(max(map(len, parts)))]

    return [*lines(headers), *lines(["-" * w if h else "" for h, w in zip(headers, widths)])] \
        + [x for r in rows for x in lines(r)]


TEXT_WIDTH = 100            # columns of the text report (tables are indented 2 within it)
TABLE_WRAP_OVER = 40        # a text table may break words longer than this (half in long cells)
# Spaces a line is never broken at: between a currency and its amount ("USD 929", "R$ 6,2")
# and between an amount and a short unit ("929 k", "0.46 s", "1.5 M", "80 GiB").
_UNBREAKABLE_SPACE = r"(?<=[A-Z$€]) (?=-?\d)|(?<=\d) (?=(?:B|bi|M|k|mi|mil|ms|s|GiB|GB|TB|kW)\b)"


def _glued(text: str) -> str:
    """The text with its unbreakable spaces (_UNBREAKABLE_SPACE) made NUL: one word each."""
    import re
    return re.sub(_UNBREAKABLE_SPACE, "\0", text)


def _narrowed(headers: list[str], rows: list[list[str]], widths: list[int], width: int
              ) -> tuple[list[int], str]:
    """Column widths and gap that fit a text table in `width` by wrapping cells: no column
    below its header or its longest word (an amount with its currency and unit is one word),
    except that a word may break past TABLE_WRAP_OVER characters, or half that in a column of
    longer cells (sources); the room left goes to the columns cut most. Two spaces between
    columns where that fits, else one; the natural widths, one space apart, when nothing
    fits."""
    floors = []
    for i, header in enumerate(headers):
        words = [w for r in rows for w in _glued(str(r[i])).split(" ")]
        floors.append(max(len(header), min(max(map(len, words), default=0),
                                           TABLE_WRAP_OVER // 2 if widths[i] > TABLE_WRAP_OVER
                                           else TABLE_WRAP_OVER)))
    for gap in ("  ", " "):
        room = width - len(gap) * (len(widths) - 1) - sum(floors)
        if room >= 0:
            narrowed = floors[:]
            while room > 0:        # give the room back, a column at a time, to the widest cut
                i = max(range(len(widths)), key=lambda k: widths[k] - narrowed[k])
                if widths[i] == narrowed[i]:
                    break
                narrowed[i] += 1
                room -= 1
            return narrowed, gap
    return widths, " "


def _wrap(text: str, indent: str, hang: int = 2, width: int = TEXT_WIDTH) -> list[str]:
    """Wrap to `width` columns; continuation lines hang `hang` columns past the indent, and an
    amount stays with its currency and unit. A line that already fits (most do) is what
    textwrap would return, without its cost.

    >>> _wrap("IDEAL adds USD 929 k for 99.99%+.", "", width=17)
    ['IDEAL adds', '  USD 929 k for', '  99.99%+.']
    """
    simple = text.isprintable() and text.strip() == text != ""
    if simple and len(indent) + len(text) <= width:
        return [indent + text]
    glued = _glued(text)
    rest = indent + " " * hang
    words = glued.split(" ")
    if simple and "" not in words and max(map(len, words)) <= width - len(rest):
        # single spaces between words that each fit a line: textwrap's greedy fill, cheaper
        lines, line = [], indent + words[0]
        for word in words[1:]:
            if len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = rest + word
        return [x.replace("\0", " ") for x in lines + [line]]
    import textwrap
    return [line.replace("\0", " ") for line in textwrap.wrap(
        glued, width=width, initial_indent=indent, break_on_hyphens=False,
        subsequent_indent=rest)] or [indent]


def scenario_name(key: str, lang: str) -> str:
    return STRINGS[lang]["scenario_names"][key]


def engine_label(engine: str) -> str:
    """Return the engine's name as prose says it (ENGINE_LABELS): vLLM, SGLang, TensorRT-LLM.

    >>> engine_label("trtllm"), engine_label("vllm")
    ('TensorRT-LLM', 'vLLM')
    """
    return ENGINE_LABELS.get(engine, engine)


def _alert_params(alert: Alert, lang: str) -> dict[str, str]:
    """An alert's values as its texts show them: numbers in the language's format, an engine
    by its name (engine_label); the JSON keeps the values as they are."""
    params = {k: engine_label(v) if isinstance(v, str) and v in ENGINE_LABELS
              else fmt_value(v, lang)
              for k, v in alert.params}
    if alert.scenario is not None:
        params["scenario"] = scenario_name(alert.scenario, lang)
    return params


def alert_text(alert: Alert, lang: str, table: str = "alerts") -> tuple[str, str]:
    """Return (message, recommendation) of an alert in the given language: the technical text
    (`alerts`) or the executive one (`risks`)."""
    texts = STRINGS[lang]["alerts"] if table == "alerts" else STRINGS[lang]["exec"]["risks"]
    message, action = texts[alert.code]
    params = _alert_params(alert, lang)
    return message.format(**params), action.format(**params)


def grouped_alert_texts(alerts: Iterable[Alert], lang: str, table: str = "alerts"
                        ) -> list[tuple[str, str, str]]:
    """(severity, message, action) once per kind of alert: one that several scenarios raise
    is said once, naming them, with its values side by side where they differ
    ("MINIMUM, RECOMMENDED and IDEAL: 32 / 40 / 47 nodes"). The JSON keeps one per scenario."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.code if alert.scenario is not None
                          else f"{alert.code}#{len(groups)}", []).append(alert)
    texts = STRINGS[lang]["alerts"] if table == "alerts" else STRINGS[lang]["exec"]["risks"]
    found = []
    for group in groups.values():
        params = [_alert_params(a, lang) for a in group]
        merged = {k: " / ".join(dict.fromkeys(p[k] for p in params)) for k in params[0]}
        if group[0].scenario is not None:
            merged["scenario"] = join_words([p["scenario"] for p in params], lang)
        message, action = texts[group[0].code]
        found.append((group[0].severity, message.format(**merged), action.format(**merged)))
    return found


# ---------------------------------------------------------------------------- rationale
# The words that explain each scenario's arithmetic, derived from the ScenarioResult.


@record
class Rationale:
    """Formula and the values put into it, for one result of one scenario."""

    key: str
    formula: str
    inputs: tuple[tuple[str, Any], ...]


def kv_group_labels(kv: KvBreakdown) -> list[tuple[str, KvGroupUse]]:
    """Pair each group's use with its label."""
    return list(zip(group_labels(u.group for u in kv.groups), kv.groups))


def kv_group_inputs(label: str, use: KvGroupUse, bytes_per_element: int
                    ) -> tuple[tuple[str, Any], ...]:
    """Return the values put into a group's rule, named `label.field`."""
    g = use.group
    items: list[tuple[str, Any]] = [("layers", g.layers),
                                    *((k, v) for k, v in g.dims if k not in g.spec.extra)]
    if g.spec.state:
        items += [("state_bytes_per_element", STATE_BYTES_PER_ELEMENT[g.state_precision])]
        if g.temporal_precision:      # the recurrent part's own precision (conv keeps the above)
            items += [("temporal_bytes_per_element",
                       STATE_BYTES_PER_ELEMENT[g.temporal_precision])]
        items += [("state_bytes", use.state_bytes)]
    else:
        items += [("bytes_per_element", bytes_per_element),
                  ("bytes_per_token", use.bytes_per_token), ("tokens", use.tokens)]
    return tuple((f"{label}.{k}", v) for k, v in items)


def _kv_rationales(report: SizingReport) -> tuple[Rationale, Rationale]:
    kv = report.kv
    labelled = kv_group_labels(kv)
    return (
        Rationale("kv_per_session_gib",
                  "sum_groups(bytes_per_token x tokens + state_bytes); "
                  + "; ".join(f"{label}: {u.group.spec.rule}" for label, u in labelled),
                  tuple(item for label, u in labelled
                        for item in kv_group_inputs(label, u, kv.bytes_per_element))
                  + (("kv_per_session_bytes", kv.per_session_bytes),)),
        Rationale("kv_total_tib", "kv_per_session_bytes x concurrency / 2^40",
                  (("kv_per_session_bytes", kv.per_session_bytes),
                   ("concurrency", report.workload.concurrency))))


def constraints_in_force(s: ScenarioResult) -> list[tuple[str, int]]:
    """Return (constraint, sessions per node it allows) for each constraint sizing the
    scenario: pooled memory, engine memory, then the latency target."""
    values = (("memory_pooled", s.pooled_sessions_per_node),
              ("memory_engine", s.engine_sessions_per_node),
              (s.latency_constraint, s.latency_sessions_per_node))
    return [(k, v) for k, v in values if v is not None]


# Sessions per node by the engine view, as the rationale prints it.
ENGINE_SESSIONS_RULE = ("min(floor(usable_kv_per_gpu_bytes / request_bytes_per_gpu), "
                        "running_limit) x replicas_per_node")


def _engine_sessions_inputs(s: ScenarioResult, e: EngineCapacity) -> list[tuple[str, Any]]:
    """The inputs of ENGINE_SESSIONS_RULE in a scenario."""
    return [("usable_kv_per_gpu_bytes", s.usable_kv_per_gpu_bytes),
            ("request_bytes_per_gpu", e.request_bytes_per_gpu),
            ("running_limit", e.running_limit), ("sessions_per_replica", s.sessions_per_replica)]


def _plan_sessions_rationale(report: SizingReport, s: ScenarioResult) -> Rationale:
    """Sessions per node when several constraints are in force: the smallest of them."""
    e, p = report.engine, report.performance
    parts, inputs = [], []
    for key, value in constraints_in_force(s):
        if key == "memory_pooled":
            parts.append("memory_pooled = floor(kv_budget_per_node_bytes / kv_per_session_bytes)")
            inputs += [("kv_budget_per_node_bytes", s.kv_budget_per_node_bytes),
                       ("kv_per_session_bytes", report.kv.per_session_bytes)]
        elif key == "memory_engine":
            parts.append(f"memory_engine = {ENGINE_SESSIONS_RULE}")
            inputs += _engine_sessions_inputs(s, e)
        else:
            parts.append(f"{key} = max_sessions_per_replica_within_targets x replicas_per_node")
            inputs.append(("max_sessions_per_replica_within_targets",
                           p.max_sessions_within_targets if p else None))
        inputs.append((f"{key}_sessions_per_node", value))
    names = ", ".join(k for k, _ in constraints_in_force(s))
    what, _, nodes, _ = unit_terms(s)
    spans = "" if s.nodes_per_unit == 1 else f" ({what}: its sessions / {nodes})"
    return Rationale("sessions_per_node", f"min({names}){spans}; " + "; ".join(parts),
                     tuple(inputs) + (("replicas_per_node", e.replicas_per_node),
                                      ("binding_constraint", s.binding_constraint)))


def _capacity_rationales(report: SizingReport, s: ScenarioResult) -> tuple[Rationale, Rationale]:
    w, e = report.workload, report.engine
    if s.memory_model == "engine":
        budget = Rationale(
            "kv_budget_per_node_gib",
            "floor(kv_pool_per_gpu_bytes x engine_pool_share) x gpus; engine_pool_share = 1, "
            "or where the scenario caps the budget ratio, the cap / the default ratio",
            (("kv_pool_per_gpu_bytes", e.kv_pool_bytes),
             ("engine_pool_share", round(s.engine_pool_share, 4)),
             ("gpus", report.server.gpus)))
        what, _, nodes, _ = unit_terms(s)
        sessions = Rationale(
            "sessions_per_node", f"{ENGINE_SESSIONS_RULE} ({what}: its sessions / {nodes})",
            (*_engine_sessions_inputs(s, e),
             ("replicas_per_node", e.replicas_per_node), (nodes, s.nodes_per_unit)))
    else:
        budget = Rationale(
            "kv_budget_per_node_gib",
            "(total_hbm_gb x 10^9 / 2^30 - runtime_overhead_gib) x kv_budget_ratio",
            (("hbm_total_gib", round(report.hbm_total_bytes / BYTES_PER_GIB, 2)),
             ("runtime_overhead_gib", w.runtime_overhead_gib),
             ("kv_budget_ratio", s.config.kv_budget_ratio)))
        sessions = Rationale(
            "sessions_per_node", "floor(kv_budget_per_node_bytes / kv_per_session_bytes)",
            (("kv_budget_per_node_bytes", s.kv_budget_per_node_bytes),
             ("kv_per_session_bytes", report.kv.per_session_bytes)))
    if len(constraints_in_force(s)) > 1:
        sessions = _plan_sessions_rationale(report, s)
    return budget, sessions


def unit_terms(s: ScenarioResult) -> tuple[str, str, str, str]:
    """What a scenario's unit over several nodes is, and the names of its sessions, nodes
    and spare units in the rationale: a replica over pipeline stages, or an expert group of
    data-parallel attention ranks (ScenarioResult.unit_group)."""
    if s.unit_group:
        return ("an expert group of attention ranks spanning nodes", "sessions_per_expert_group",
                "nodes_per_expert_group", "ha_extra_expert_groups")
    return ("a replica spanning nodes", "sessions_per_replica", "nodes_per_replica",
            "ha_extra_replicas")


def _node_rationales(report: SizingReport, s: ScenarioResult) -> tuple[Rationale, ...]:
    concurrency = ("concurrency", report.workload.concurrency)
    single = s.nodes_per_unit == 1
    _, per_unit, nodes, spares = unit_terms(s)
    unit = "sessions_per_node" if single else per_unit
    scale = "" if single else f" x {nodes}"
    unit_inputs = ((unit, s.sessions_per_unit),) if single else \
        ((unit, s.sessions_per_unit), (nodes, s.nodes_per_unit))
    return (
        Rationale("nodes_capacity", f"ceil(concurrency / {unit}){scale}",
                  (concurrency,) + unit_inputs),
        Rationale("nodes_with_headroom",
                  f"ceil(concurrency x (1 + peak_headroom_ratio) / {unit}){scale}",
                  (concurrency, ("peak_headroom_ratio", s.config.peak_headroom_ratio))
                  + unit_inputs),
        Rationale("nodes_final", "nodes_with_headroom + ha_extra_nodes" if single
                  else f"nodes_with_headroom + {spares} x {nodes}",
                  (("nodes_with_headroom", s.nodes_with_headroom), ("ha_mode", s.config.ha_mode),
                   ("ha_extra_nodes" if single else spares,
                    s.node_failures_tolerated)) + unit_inputs[1:]),
    )


def scenario_rationale(report: SizingReport, s: ScenarioResult) -> tuple[Rationale, ...]:
    """Return each result of a scenario with its formula and the values put into it."""
    return _kv_rationales(report) + _capacity_rationales(report, s) + _node_rationales(report, s)


def scenario_result_values(report: SizingReport, s: ScenarioResult) -> dict[str, Any]:
    """Return a scenario's results as JSON numbers (GiB/TiB rounded to 4 places)."""
    kv_session = report.kv.per_session_bytes
    capex = s.capex_vs_minimum_ratio
    return {
        "kv_per_session_bytes": kv_session,
        "kv_per_session_gib": round(gib(kv_session), 4),
        "kv_total_bytes": report.kv_total_bytes,
        "kv_total_tib": round(report.kv_total_bytes / BYTES_PER_TIB, 4),
        "hbm_total_gib": round(gib(report.hbm_total_bytes), 4),
        "kv_budget_per_node_bytes": s.kv_budget_per_node_bytes,
        "kv_budget_per_node_gib": round(gib(s.kv_budget_per_node_bytes), 4),
        "sessions_per_node": s.sessions_per_node,
        "memory_model": s.memory_model,
        "nodes_per_unit": s.nodes_per_unit,
        "sessions_per_unit": s.sessions_per_unit,
        "nodes_capacity": s.nodes_capacity,
        "nodes_with_headroom": s.nodes_with_headroom,
        "ha_extra_nodes": s.ha_extra_nodes,
        "nodes_final": s.nodes_final,
        "gpus_final": s.gpus_final,
        "capex_vs_minimum_ratio": None if capex is None else round(capex, 4),
        "nodes_memory": s.nodes_memory,
        "nodes_memory_engine": s.nodes_memory_engine,
        "nodes_latency": s.nodes_latency,
        "binding_constraint": s.binding_constraint,
    }


def explanation(report: SizingReport, s: ScenarioResult, key: str, lang: str) -> str:
    table = STRINGS[lang]["explanations"]
    if key.startswith("nodes_") and not s.sized:
        return table["unsized"]
    if key == "sessions_per_node" and len(constraints_in_force(s)) > 1:
        key = "sessions_per_node_plan"
    elif s.memory_model == "engine" and f"{key}_engine" in table:
        key = f"{key}_engine"
    return table[key].format(
        binding=STRINGS[lang]["constraints"].get(s.binding_constraint, "-"),
        engine=engine_label(report.settings.engine), share_pct=fmt_pct(s.engine_pool_share, lang),
        concurrency=_count(report.workload.concurrency, "simultaneous_forms", lang),
        overhead=fmt_value(report.workload.runtime_overhead_gib, lang),
        ratio_pct=fmt_pct(s.config.kv_budget_ratio, lang),
        headroom_pct=fmt_pct(s.config.peak_headroom_ratio, lang),
        ha_extra_nodes=s.ha_extra_nodes, failures=s.node_failures_tolerated,
        ha_mode=s.config.ha_mode)


def meaning(report: SizingReport, key: str, lang: str) -> str:
    """What a per-scenario result means, said once for the three scenarios (their values are
    in the inputs table beside it)."""
    table = STRINGS[lang]["meanings"]
    rec = report.scenario(RECOMMENDED_SCENARIO)
    if key == "sessions_per_node" and len(constraints_in_force(rec)) > 1:
        key = "sessions_per_node_plan"
    elif rec.memory_model == "engine" and f"{key}_engine" in table:
        key = f"{key}_engine"
    text = table[key].format(engine=engine_label(report.settings.engine))
    if any(not s.sized for s in report.scenarios) and key.startswith("nodes_"):
        text += " " + table["unsized"]
    return text


# ---------------------------------------------------------------------------- document model


@record
class Heading:
    """A numbered section: text upper-cased and underlined; Markdown `##`."""

    text: str


@record
class Subheading:
    """A titled part of a section with no block of its own: Markdown `###`."""

    text: str


@record
class Paragraph:
    text: str
    indent: int = 0          # text: columns before the first line
    hang: int = 2            # text: continuation lines hang this far past the indent
    wrap: bool = True        # text: wrap to 100 columns
    escape: bool = False     # Markdown: the text holds user input (a path)


@record
class Pairs:
    """Label/value rows: aligned in text, a two-column table in Markdown."""

    title: str | None
    rows: tuple[tuple[str, str], ...]
    headers: tuple[str, str]


@record
class Table:
    title: str | None
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@record
class Definitions:
    """Named entries each described by the same columns (the parameter dictionary)."""

    headers: tuple[str, ...]            # the name's header, then one per column
    rows: tuple[tuple[str, ...], ...]   # the name, then one text per column


@record
class Explained:
    """Results each followed by labelled explanations (formula, inputs, meaning)."""

    title: str
    items: tuple[tuple[str, str, tuple[tuple[str, str, bool], ...]], ...]
    #            label, value, ((field label, text, is code), ...)


@record
class Notes:
    """Tagged messages with an action each (the alerts)."""

    items: tuple[tuple[str, str, str, str], ...]   # tag, message, action label, action


@record
class Bullets:
    items: tuple[str, ...]
    escape: bool = False     # Markdown: the items hold user input


@record
class Chart:
    """A Mermaid chart (Markdown only)."""

    lines: tuple[str, ...]


@record
class Document:
    title: str               # the text report's title (underlined)
    md_title: str            # the Markdown title
    blocks: tuple[Any, ...]


def _text_block(block: Any, previous: Any) -> list[str]:
    """Lay out one block for a terminal (100 columns)."""
    kind = type(block)
    titled = getattr(block, "title", None)
    spaced = bool(titled) and not (isinstance(previous, Heading) or
                                   (kind is Pairs and isinstance(previous, Pairs)))
    out = [""] if spaced else []
    if kind is Heading:
        return ["", block.text.upper(), "-" * len(block.text)]
    if kind is Subheading:
        return ["", block.text]
    if titled:
        out.extend(_wrap(titled, ""))
    if kind is Paragraph:
        if not block.wrap:
            return out + [" " * block.indent + block.text]
        return out + _wrap(block.text, " " * block.indent, hang=block.hang)
    if kind is Pairs:
        width = max(len(label) for label, _ in block.rows)
        for label, value in block.rows:
            out.extend(_wrap(f"{label.ljust(width)}  {value}", "  ", hang=width + 2))
    elif kind is Table:
        out.extend("  " + line for line in render_table(list(block.headers),
                                                        [list(r) for r in block.rows],
                                                        width=TEXT_WIDTH - 2))
    elif kind is Definitions:
        for name, *texts in block.rows:
            out.append(name)
            for label, text in zip(block.headers[1:], texts):
                out.extend(_wrap(f"{label}: {text}", "  "))
    elif kind is Explained:
        for label, value, fields in block.items:
            out.extend(_wrap(f"{label}: {value}", "  "))
            for field, text, _ in fields:
                out.extend(_wrap(f"{field}: {text}", "    "))
    elif kind is Notes:
        for tag, message, action_label, action in block.items:
            out.extend(_wrap(f"[{tag}] {message}", ""))
            out.extend(_wrap(f"{action_label}: {action}", "    "))
    elif kind is Bullets:
        for item in block.items:
            out.extend(_wrap(item, "", hang=4))
    return out


def emit_text(document: Document) -> str:
    """Render a document for a terminal: titles underlined, tables aligned, 100 columns."""
    out = [document.title, "=" * len(document.title)]
    previous = None
    for block in document.blocks:
        out.extend(_text_block(block, previous))
        previous = block
    return "\n".join(out) + "\n"


def _markdown_block(block: Any) -> list[str]:
    """Lay out one block as GitHub Markdown."""
    kind = type(block)
    titled = getattr(block, "title", None)
    out = [f"### {titled}", ""] if titled else []
    if kind is Heading:
        return [f"## {block.text}"]
    if kind is Subheading:
        return [f"### {block.text}"]
    if kind is Paragraph:
        return out + [md_escape(block.text) if block.escape else block.text]
    if kind is Pairs:
        return out + render_table(list(block.headers), [list(r) for r in block.rows], True)
    if kind is Table:
        return out + render_table(list(block.headers), [list(r) for r in block.rows], True)
    if kind is Definitions:
        rows = [[f"`{name}`", *texts] for name, *texts in block.rows]
        return out + render_table(list(block.headers), rows, True)
    if kind is Explained:
        for label, value, fields in block.items:
            out.append(f"- **{label}: {value}**")
            out.extend(f"  - {field}: `{text}`" if code else f"  - {field}: {text}"
                       for field, text, code in fields)
        return out
    if kind is Notes:
        return out + [f"- **{tag}**: {message} *{action_label}:* {action}"
                      for tag, message, action_label, action in block.items]
    if kind is Bullets:
        return out + [f"- {md_escape(item.strip()) if block.escape else item}"
                      for item in block.items]
    return out + list(block.lines)          # Chart


def emit_markdown(document: Document) -> str:
    """Render a document as GitHub Markdown: blocks separated by one blank line."""
    out = [f"# {document.md_title}"]
    for block in document.blocks:
        out.append("")
        out.extend(_markdown_block(block))
    return "\n".join(out) + "\n"

# ---------------------------------------------------------------------------- technical report


def summary_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the scenario comparison table (text and Markdown)."""
    t = STRINGS[lang]["table"]
    risk = STRINGS[lang]["risk"]
    scenarios = report.scenarios
    headers = [t["metric"]] + [scenario_name(s.policy.key, lang) for s in scenarios]
    values = [scenario_result_values(report, s) for s in scenarios]
    rows = [
        [t["peak_headroom"]] + [fmt_pct(s.config.peak_headroom_ratio, lang) for s in scenarios],
        [t["ha_mode"]] + [STRINGS[lang]["exec"]["ha_modes"][s.config.ha_mode]
                          for s in scenarios],
        [t["kv_budget_ratio"]] + [fmt_num(s.config.kv_budget_ratio, 2, lang) for s in scenarios],
        [t["kv_budget_per_node_gib"]] + [fmt_num(v["kv_budget_per_node_gib"], 2, lang)
                                         for v in values],
    ]
    units = report.unit_nodes
    for key in ("sessions_per_node", "nodes_capacity", "nodes_with_headroom", "nodes_final",
                "gpus_final"):
        rows.append([t[key]] + [fmt_int(v[key], lang) for v in values])
        if key == "sessions_per_node" and units > 1:
            unit = "sessions_per_group" if report.scenarios[0].unit_group \
                else "sessions_per_unit"
            rows.append([t[unit].format(nodes=fmt_int(units, lang))]
                        + [fmt_int(v["sessions_per_unit"], lang) for v in values])
    for key in ("nodes_memory", "nodes_memory_engine", "nodes_latency"):
        if any(v[key] is not None for v in values):
            rows.append([t[key]] + [fmt_int(v[key], lang) for v in values])
    constraints = STRINGS[lang]["constraints"]
    rows.append([t["binding_constraint"]] + [constraints.get(v["binding_constraint"], "-")
                                             for v in values])
    rows.append([t["risk"]] + [risk[s.policy.risk] for s in scenarios])
    rows.append([t["sla"]] + [_localize(s.policy.typical_sla, lang) for s in scenarios])
    return headers, rows


def architecture_text(model: Model, lang: str) -> str:
    """Describe the model's layer groups in one line: what each kind keeps and its sizes."""
    A = STRINGS[lang]["architecture"]
    parts = []
    for g in model.layer_groups:
        d = dict(g.dims)
        heads = ""
        if "kv_heads" in d:
            heads = A["heads" if d["v_head_dim"] == d["head_dim"] else "heads_kv"].format(**d)
        precision = g.state_precision if not g.temporal_precision else \
            A["split_precision"].format(conv=g.state_precision, state=g.temporal_precision)
        parts.append(A[g.kind].format(layers=g.layers, heads=heads, state_precision=precision,
                                      **{k: fmt_int(v, lang) for k, v in d.items()}))
    return A["layers"].format(layers=model.num_layers, groups=" + ".join(parts))


def kv_group_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the KV-per-session table: one row per layer group."""
    T = STRINGS[lang]["kv_groups"]
    kv = report.kv
    rows = []
    for (label, use), share in zip(kv_group_labels(kv), kv.shares):
        rows.append([label, fmt_int(use.group.layers, lang),
                     fmt_int(use.bytes_per_token, lang) if use.bytes_per_token else "-",
                     fmt_int(use.tokens, lang) if use.bytes_per_token else "-",
                     fmt_int(use.state_bytes, lang) if use.state_bytes else "-",
                     fmt_int(use.bytes_per_session, lang), fmt_pct(share, lang)])
    rows.append([T["total"], fmt_int(report.model.num_layers, lang), "", "", "",
                 fmt_int(kv.per_session_bytes, lang), fmt_pct(1, lang)])
    headers = [T["group"], T["layers"], T["bytes_per_token"], T["tokens"], T["state"],
               T["per_session"], T["share"]]
    return headers, rows


def max_context_text(c: ContextLimit, lang: str) -> str:
    """The model's native context and, when it documents or is given a RoPE scaling, the
    context with it and whether it is in use."""
    L = STRINGS[lang]["labels"]
    text = fmt_context(c.native, lang)
    if c.scaling is not None and c.scaled is None:
        return text + ", " + L["rope_config"].format(scaling=c.scaling)
    if c.scaled is not None:
        how = L["rope_flag" if c.from_flag else "rope_off"]
        text += "; " + L["rope"].format(tokens=fmt_context(c.scaled, lang), scaling=c.scaling,
                                        how=how.format(scaling=c.scaling))
    return text


def rate_text(w: Workload, lang: str, table: str = "labels") -> str:
    """Return how a request rate made the sessions: rate x seconds per request (no seconds
    when no plan sizes even one session)."""
    key = "from_rate" if w.request_seconds is not None else "from_rate_unsized"
    return STRINGS[lang][table][key].format(rate=fmt_value(w.requests_per_second, lang),
                                            seconds=fmt_num(w.request_seconds or 0.0, 1, lang))


def sessions_text(w: Workload, lang: str) -> str:
    """Return the sessions sized, and with a request rate how it made them ('-' sessions when
    no plan sizes one)."""
    sessions = f"{fmt_int(w.concurrency, lang)} {STRINGS[lang]['labels']['sessions']}"
    if w.requests_per_second is None:
        return sessions
    return ("-" if w.request_seconds is None else sessions) + f": {rate_text(w, lang)}"


def _input_groups(report: SizingReport, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the inputs section as (group, [(label, value)])."""
    L = STRINGS[lang]["labels"]
    m, srv, st, w = report.model, report.server, report.storage, report.workload
    context = fmt_context(report.effective_context_tokens, lang)
    if report.effective_context_tokens > report.context.limit:
        context += "; " + L["beyond"].format(limit=fmt_int(report.context.limit, lang))
    checks = report.storage_checks
    return [
        (L["model"], [
            (L["name"], f"{m.name} ({m.hf_repo})"),
            (L["architecture"], architecture_text(m, lang)),
            (L["max_context"], max_context_text(report.context, lang)),
            (L["parameters"], L["params_text"].format(
                total=fmt_num(m.total_params_billion, 2, lang),
                active=fmt_num(m.active_params_billion, 2, lang), precision=m.weight_precision)
             + (L["params_tower"].format(tower=fmt_num(m.multimodal_params / 10**9, 2, lang))
                if m.multimodal_params else "")),
            (L["source"], m.source),
        ]),
        (L["server"], [
            (L["name"], f"{srv.name} ({srv.description})"),
            (L["hbm"], f"{srv.gpus} x {fmt_value(srv.hbm_per_gpu_gb, lang)} GB = "
                       f"{fmt_value(srv.total_hbm_gb, lang)} GB = "
                       f"{fmt_num(gib(report.hbm_total_bytes), 2, lang)} GiB"),
            (L["source"], srv.source),
        ]),
        (L["storage"], [
            (L["name"], f"{st.name} ({st.type}): {st.description}"),
            (L["read"], f"{fmt_value(st.read_throughput_gb_per_s, lang)} GB/s, "
                        f"{fmt_int(st.read_iops, lang)} IOPS, p99 "
                        f"{fmt_value(st.read_latency_p99_ms, lang)} ms"),
            (L["source"], st.source),
        ]),
        (L["nfr"], [
            (L["concurrency"], sessions_text(w, lang)),
            (L["context"], context),
            (L["kv_precision"], f"{w.kv_precision} ("
                                + plural(report.kv.bytes_per_element,
                                         L["bytes_per_element"]).format(
                                    n=report.kv.bytes_per_element) + ")"),
            (L["budget_ratio"], fmt_num(w.kv_budget_ratio, 2, lang)),
            (L["overhead"], f"{fmt_value(w.runtime_overhead_gib, lang)} GiB {L['per_node']}"),
            (L["headroom"], fmt_pct(w.peak_headroom_ratio, lang)),
            (L["ha"], w.ha_mode),
        ]),
        (L["storage_checks"], [
            (L["weights"], f"{fmt_num(checks.weights_bytes / BYTES_PER_GB, 1, lang)} GB "
                           f"({checks.weights_precision})"),
            (L["cold_start"], f"{fmt_num(checks.cold_start_seconds, 1, lang)} s "
                              f"({L['limit']} {fmt_value(COLD_START_MAX_SECONDS, lang)} s)"),
            (L["kv_restore"], f"{fmt_num(checks.kv_restore_seconds, 2, lang)} s "
                              f"({L['limit']} {fmt_value(KV_RESTORE_MAX_SECONDS, lang)} s)"),
        ]),
    ]


def engine_lines(report: SizingReport, lang: str) -> list[tuple[str, str]]:
    """Return the engine's per-GPU figures as (label, value)."""
    E = STRINGS[lang]["engine"]
    e, srv = report.engine, report.server
    context = fmt_int(report.effective_context_tokens, lang)
    g = lambda b: fmt_num(b / BYTES_PER_GIB, 2, lang) + " GiB"  # noqa: E731
    tp_label = E["tp_given"] if not e.tensor_parallel_chosen else \
        E["tp_auto"] if e.fits else E["tp_none_fits"]
    cap = report.settings.max_nodes_per_replica
    if e.tensor_parallel_chosen and cap < MAX_NODES_PER_REPLICA:
        tp_label += E["tp_capped"].format(nodes=cap)
    tp = f"{e.tensor_parallel} ({tp_label})"
    layout = fmt_int(e.replicas_per_node, lang) if e.nodes_per_replica == 1 \
        else E["spans"].format(nodes=e.nodes_per_replica)
    if e.group_nodes > 1:
        layout += E["group_spans"].format(nodes=e.group_nodes)
    memory_from = {"flag": E["from_flag"], "catalog": E["from_catalog"],
                   "vendor_gb": E["from_vendor_gb"].format(
                       gb=fmt_value(srv.hbm_per_gpu_gb, lang))}[e.gpu_memory_from]
    heads = ", ".join(f"{label} {h}" for label, h in e.kv_heads_per_gpu)
    activation_from = E["given"] if not e.activation_estimated else \
        E["estimate_fi"] if report.settings.flashinfer_sampler else E["estimate"]
    return [
        (E["tp"], tp), (E["replicas"], layout),
        (E["gpu_memory"], f"{g(e.gpu_memory_bytes)} ({memory_from})"),
        (E["weights"], _weights_text(report, E, g)),
        (E["activation"], f"{g(e.activation_bytes)} "
                          f"({activation_from})"
         if e.activation_subtracted else
         E["activation_outside"].format(room=g(e.outside_static_bytes),
                                        share=fmt_num(e.budget_share, 4, lang))),
        (E["reserve"], f"{g(e.reserve_bytes)} "
                       f"({E['estimate'] if e.reserve_estimated else E['given']}"
                       + ("" if not e.all_to_all_buffer_bytes else E["reserve_buffers"].format(
                           buffers=g(e.all_to_all_buffer_bytes)))
                       + ")"),
        (E["kv_memory"], f"{g(e.kv_memory_bytes)} = {e.budget_rule}"
                         + ("" if e.kv_memory_given else
                            f" ({fmt_num(e.budget_share, 4, lang)})")),
        (E["kv_per_token"], f"{fmt_int(e.bytes_per_token_per_gpu, lang)} ({E['heads']}: "
                            f"{heads or '-'})"),
        (E["capacity"], f"{fmt_int(e.kv_capacity_tokens, lang)} tokens ("
                        + E["blocks" if e.kv_block_groups == 1 else "blocks_groups"].format(
                            blocks=fmt_int(e.num_blocks, lang), groups=e.kv_block_groups,
                            size=count_words(e.block_size, E["block_forms"], lang)) + ")"),
        (E["request"].format(context=context),
         f"{fmt_int(e.request_bytes_per_gpu, lang)} bytes/GPU"
         + _pool_rule_text(e, report.model, report.settings, E, lang)),
        (E["concurrency"].format(context=context), f"{fmt_num(e.max_concurrency, 2, lang)}x"),
        (E["sessions"], f"{fmt_int(e.sessions_per_replica, lang)} / "
                        f"{fmt_int(e.sessions_per_node, lang)}"
                        + _running_capped_text(e, E["running_capped"], lang)),
    ] + ([(E["launch"], _launch_text(report.launch, e, report.settings.data_parallel, E,
                                     report.server.gpus_per_host))]
         if report.launch else [])


def _weights_text(report: SizingReport, E: Mapping[str, Any], g: Callable[[int], str]) -> str:
    """One GPU's weights and how they add up: the shares split over the tensor-parallel group,
    over every expert rank (SGLang's split dense weights, the routed experts) and a draft's."""
    e, settings = report.engine, report.settings
    if not settings.expert_parallel:
        parts = [f"{g(e.weights_total_bytes)} / {e.tensor_parallel}"]
    else:
        parts = [f"{g(e.weights_dense_bytes - e.weights_spread_bytes)} / {e.tensor_parallel}"]
        if e.weights_spread_bytes:
            parts.append(E["spread" if report.model.dense_mlp_params else "spread_head"]
                         .format(size=g(e.weights_spread_bytes), ranks=e.expert_ranks))
        parts.append(f"{E['experts']} {g(e.weights_expert_bytes)} / {e.expert_ranks}")
    if e.weights_draft_per_gpu_bytes:
        parts.append(f"{E['mtp_draft' if settings.speculative else 'draft']} "
                     f"{g(e.weights_draft_per_gpu_bytes)}")
    source = E["measured"] if e.weights_measured else E["estimated"]
    return f"{g(e.weights_per_gpu_bytes)} ({e.weight_precision}, {source}; " \
        + " + ".join(parts) + ")"


def _launch_text(launch: Launch, e: EngineCapacity, ranks: int, E: Mapping[str, Any],
                 per_host: int | None = None) -> str:
    """The command that starts one replica, with what it cannot say in flags: a replica over
    several nodes, or over several hosts of a rack (`per_host` GPUs each)."""
    text = launch.command
    if launch.options:
        text += E["launch_options"].format(
            file=TRTLLM_OPTIONS_FILE, options=", ".join(f"{k}: {v}" for k, v in launch.options))
    group = e.tensor_parallel * ranks
    if e.unit_nodes > 1:
        text += E["launch_nodes"].format(nodes=e.unit_nodes)
    elif per_host and group > per_host:
        text += E["launch_hosts"].format(hosts=-(-group // per_host), per_host=per_host)
    if ranks > 1:
        text += E["launch_ranks"].format(ranks=ranks)
    if launch.checkpoint:
        text += E["launch_checkpoint"].format(precision=launch.checkpoint)
    if launch.kv_unflagged:
        text += E["launch_kv"].format(precision=launch.kv_unflagged.upper())
    return text


def _pool_rule_text(e: EngineCapacity, model: Model, settings: EngineSettings,
                    E: Mapping[str, Any], lang: str) -> str:
    """What SGLang's own pools do to one session's reservation (windowed layers, recurrent
    states), after the bytes; nothing for the other engines."""
    text = ""
    if e.window_rule:
        text += E["window_rule"][e.window_rule].format(
            ratio=fmt_value(settings.swa_full_tokens_ratio, lang),
            architecture=model.architecture or "-")
    if e.state_slots is not None:
        per = settings.state_slots_per_running_request
        text += E["state_slots"].format(
            slots=fmt_int(e.state_slots, lang), state=fmt_int(e.state_bytes_per_gpu, lang),
            share=fmt_pct(float(settings.state_memory_share), lang),
            running=E["state_running"][per > 1].format(per=per))
    return text


def _running_capped_text(e: EngineCapacity, template: str, lang: str) -> str:
    """The template on the engine's running limit, the setting and what the KV pool holds,
    after a space; nothing when the KV pool, not the limit, caps a replica."""
    return "" if not e.running_capped else " " + template.format(
        limit=fmt_int(e.running_limit, lang), setting=e.running_limit_setting,
        held=fmt_int(e.kv_sessions_per_replica, lang))


def comparison_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return the pooled-vs-engine table per node."""
    E = STRINGS[lang]["engine"]
    c = report.comparison
    g = lambda b: fmt_num(b / BYTES_PER_GIB, 2, lang)  # noqa: E731
    rows = [
        [E["c_sessions"], fmt_int(c.pooled_sessions_per_node, lang),
         fmt_int(c.engine_sessions_per_node, lang)],
        [E["c_kv"], g(c.pooled_kv_bytes), g(c.engine_kv_bytes)],
        [E["c_overhead"], g(c.pooled_overhead_bytes), g(c.engine_loaded_bytes)],
        [E["c_unused"], g(c.pooled_unused_bytes), g(c.engine_unused_bytes)],
        [E["c_session"], g(c.pooled_session_bytes), g(c.engine_session_bytes)],
    ]
    return [E["metric"], E["pooled"], E["engine_col"]], rows


def comparison_text(report: SizingReport, lang: str) -> str:
    E = STRINGS[lang]["engine"]
    c = report.comparison
    if c.gap_ratio is None or not report.engine.fits:
        return E["gap_none"]
    g = lambda b: fmt_num(b / BYTES_PER_GIB, 2, lang)  # noqa: E731
    return E["gap"].format(
        engine=fmt_int(c.engine_sessions_per_node, lang),
        pooled=fmt_int(c.pooled_sessions_per_node, lang),
        gap=fmt_pct(c.gap_ratio, lang, signed=True), overhead=g(c.pooled_overhead_bytes),
        loaded=g(c.engine_loaded_bytes), unused=g(c.engine_unused_bytes),
        loaded_terms=E["loaded_terms"][report.engine.activation_subtracted],
        pooled_session=g(c.pooled_session_bytes), engine_session=g(c.engine_session_bytes)) \
        + _running_capped_text(report.engine, E["gap_limit"], lang)


SCENARIO_INDEPENDENT_RESULTS = ("kv_per_session_gib", "kv_total_tib")


def _display_value(key: str, values: Mapping[str, Any], lang: str, exact: bool = True) -> str:
    value = values[key]
    if value is None:
        return "-"
    unit_bytes = {"kv_per_session_gib": ("GiB", "kv_per_session_bytes"),
                  "kv_total_tib": ("TiB", "kv_total_bytes"),
                  "kv_budget_per_node_gib": ("GiB", "kv_budget_per_node_bytes")}
    if key in unit_bytes:
        unit, exact_key = unit_bytes[key]
        if not exact:
            return f"{fmt_num(value, 2, lang)} {unit}"
        return f"{fmt_num(value, 2, lang)} {unit} ({fmt_int(values[exact_key], lang)} bytes)"
    return fmt_int(value, lang)


def _rationale_blocks(report: SizingReport, lang: str) -> list[Any]:
    """Each result with its formula, inputs and meaning. KV per session and KV total are the
    same in every scenario and come once, first; then each per-scenario result once: its
    formula and meaning, with a table of its inputs and value in each scenario."""
    S = STRINGS[lang]
    L = S["labels"]
    first = report.scenarios[0]
    values = [scenario_result_values(report, s) for s in report.scenarios]
    shared = tuple(
        (S["results"][r.key], _display_value(r.key, values[0], lang),
         ((L["formula"], r.formula, True),
          (L["inputs"], ", ".join(f"{k}={fmt_value(v, lang)}" for k, v in r.inputs), True),
          (L["meaning"], explanation(report, first, r.key, lang), False)))
        for r in scenario_rationale(report, first) if r.key in SCENARIO_INDEPENDENT_RESULTS)
    blocks: list[Any] = [Explained(L["all_scenarios"], shared), Subheading(L["per_scenario"]),
                         Bullets(tuple(f"{scenario_name(s.policy.key, lang)}: "
                                       f"{S['scenario_purpose'][s.policy.key]}"
                                       for s in report.scenarios))]
    names = [scenario_name(s.policy.key, lang) for s in report.scenarios]
    per = [{r.key: r for r in scenario_rationale(report, s)} for s in report.scenarios]
    for key in per[0]:
        if key in SCENARIO_INDEPENDENT_RESULTS:
            continue
        formulas = list(dict.fromkeys(p[key].formula for p in per))
        fields = [(L["formula"], " | ".join(formulas), True),
                  (L["meaning"], meaning(report, key, lang), False)]
        blocks.append(Explained("", ((S["results"][key], L["per_scenario_below"], tuple(fields)),)))
        inputs = list(dict.fromkeys(name for p in per for name, _ in p[key].inputs))
        rows = [[name] + [fmt_value(dict(p[key].inputs).get(name), lang)
                          if name in dict(p[key].inputs) else "-" for p in per]
                for name in inputs]
        rows.append([f"= {key}"] + [_display_value(key, v, lang, exact=False) for v in values])
        blocks.append(Table(None, (L["input"], *names), tuple(map(tuple, rows))))
    return blocks


def _calibration_blocks(report: SizingReport, lang: str) -> list[Any]:
    """Section 5: each logged figure next to the prediction, the implied overheads, the flags."""
    C = STRINGS[lang]["calibration"]
    cal = report.calibration
    rows = []
    for r in cal.rows:
        number = (lambda v: fmt_int(round(v), lang)) if r.unit in ("tokens", "requests") \
            else (lambda v: fmt_num(v, 2, lang))
        rows.append((C["items"][r.item], number(r.logged), number(r.predicted),
                     "-" if r.diff_ratio is None else fmt_pct(r.diff_ratio, lang, signed=True)))
    settings = ", ".join(f"{name}={fmt_value(value, lang)}{'*' if logged else ''}"
                         for name, value, logged in cal.settings)
    lines = [C["settings"].format(engine=engine_label(cal.engine)) + ": " + settings,
             C["backsolved"] + ":"]
    lines += [f"  {C['names'][name]}: {fmt_value(value, lang)}" for name, value in cal.backsolved]
    lines += [C["flags"], "  " + cal.suggested_flags]
    return [Heading(C["title"]),
            Paragraph(C["source"].format(source=cal.source), wrap=False, escape=True),
            Table(None, (C["item"], C["logged"], C["predicted"], C["diff"]), tuple(rows)),
            Bullets(tuple(lines), escape=True)]


def preamble(lang: str) -> Paragraph:
    """The first line of every human document: version, schema, units."""
    return Paragraph(STRINGS[lang]["preamble"].format(version=__version__,
                                                      schema=SCHEMA_VERSION), wrap=False)


def bottom_line(report: SizingReport, lang: str) -> list[str]:
    """The plan in a few lines, first in the text report: nodes and GPUs per scenario with
    the one recommended, what binds it and what a user gets, the sessions a request rate
    makes, what it costs."""
    P = STRINGS[lang]["plan"]
    C = STRINGS[lang]["constraints"]
    rec = report.scenario(RECOMMENDED_SCENARIO)
    name = scenario_name(RECOMMENDED_SCENARIO, lang)
    others = "; ".join(P["other"].format(scenario=scenario_name(s.policy.key, lang),
                                         nodes=fmt_int(s.nodes_final, lang),
                                         gpus=fmt_int(s.gpus_final, lang))
                       for s in report.scenarios if s is not rec)
    if not rec.sized:
        return [P["unsized"].format(rec=name, constraint=C.get(rec.binding_constraint, "-"),
                                    others=others)]
    lines = [P["nodes"].format(rec=name, nodes=fmt_int(rec.nodes_final, lang),
                               server=report.server.name, gpus=fmt_int(rec.gpus_final, lang),
                               others=others)]
    bound = plural(rec.sessions_per_unit, P["bound"]).format(
        constraint=C[rec.binding_constraint], sessions=fmt_int(rec.sessions_per_unit, lang),
        per=per_unit_words(rec, lang))
    if report.performance is not None:
        bound += " " + experience_text(report, lang, P)
    lines.append(bound)
    w = report.workload
    if w.requests_per_second is not None and w.request_seconds is not None:
        lines.append(P["rate"].format(rate=fmt_value(w.requests_per_second, lang),
                                      sessions=fmt_int(w.concurrency, lang),
                                      seconds=fmt_num(w.request_seconds, 1, lang)))
    lines.append(P["money"].format(money=money_sentence(report, lang, with_rent=False)))
    return lines


def plan_needs(report: SizingReport, lang: str) -> list[str]:
    """The nodes each constraint in force needs at RECOMMENDED, before the spares."""
    P = STRINGS[lang]["plan"]
    C = STRINGS[lang]["constraints"]
    rec = report.scenario(RECOMMENDED_SCENARIO)
    if not rec.sized:
        return []
    needs = {"memory_pooled": rec.nodes_memory, "memory_engine": rec.nodes_memory_engine,
             "tpot": rec.nodes_latency, "ttft": rec.nodes_latency}
    return [P["needs"].format(rec=scenario_name(RECOMMENDED_SCENARIO, lang),
                              needs="; ".join(f"{C[k]} {fmt_int(needs[k], lang)}"
                                              for k, _ in constraints_in_force(rec)),
                              spares=count_words(rec.ha_extra_nodes, P["spares"], lang))]


def per_unit_words(s: ScenarioResult, lang: str, words: Mapping[str, str] | None = None
                   ) -> str:
    """Return the words after a buying unit's sessions: per node, or per replica (or expert
    group) where one spans nodes (a replica of 4 nodes holding 3 sessions holds 3 "per
    replica of 4 nodes", not 0 per node); from the technical report's words, or `words`
    (the executive summary's, which call either unit a copy of the model)."""
    P = STRINGS[lang]["plan"] if words is None else words
    if s.nodes_per_unit == 1:
        return P["per_node"]
    return P["per_group" if s.unit_group else "per_nodes"].format(
        nodes=fmt_int(s.nodes_per_unit, lang))


def experience_text(report: SizingReport, lang: str, table: Mapping[str, str]) -> str:
    """What one session gets at the RECOMMENDED plan's load (plan_load): tokens/s and first
    token, and the workload that assumes when the split of the context is the default one;
    `table`'s "experience" sentence, or its "experience_peak" when the whole peak workload
    is less than a node holds."""
    p = report.performance
    point, load = p.operating_point, p.load_sessions_per_unit
    rec = report.scenario(RECOMMENDED_SCENARIO)
    peak = load < rec.sessions_per_unit
    text = table["experience_peak" if peak else "experience"].format(
        sessions=_count(load if peak else rec.sessions_per_unit, "session_forms", lang),
        per=per_unit_words(rec, lang, table),
        tps=fmt_num(point.output_tokens_per_second_per_session, 1, lang),
        ttft=fmt_num(point.ttft_ms / 1000, 2, lang),
        tpot=fmt_num(point.tpot_ms, 2, lang), tp=p.tensor_parallel,
        engine=engine_label(report.engine.engine))
    P = STRINGS[lang]["perf"]
    targets = ([P["target_tpot"].format(ms=fmt_value(round(p.tpot_target_ms, 2), lang),
                                        tps=fmt_num(1000 / p.tpot_target_ms, 1, lang))]
               if p.tpot_target_ms is not None else []) + \
        ([P["target_ttft"].format(s=fmt_value(round(p.ttft_target_ms / 1000, 3), lang))]
         if p.ttft_target_ms is not None else [])
    if p.split_defaulted:                 # "That takes...": right after what it qualifies
        text += " " + P["split_assumed"].format(
            prompt=fmt_int(p.input_tokens, lang), output=fmt_int(p.output_tokens, lang),
            history=fmt_int(p.history_tokens, lang))
    if targets:
        text += " " + P["targets_asked"].format(targets=join_words(targets, lang))
    return text


def _perf_pairs(report: SizingReport, lang: str) -> list[tuple[str, str]]:
    """The performance model's layout, workload, capacity, targets, constants and error."""
    P = STRINGS[lang]["perf"]
    p = report.performance
    c = p.constants
    yes_no = lambda flag: P["yes"] if flag else P["no"]  # noqa: E731
    runner = dict(p.runner_up)
    ms = lambda v: "-" if v is None else fmt_num(v, 2, lang) + " ms"  # noqa: E731
    within = p.max_sessions_within_targets
    tp_text = lambda tp, dp: tp if dp == 1 else P["dp_text"].format(tp=tp, dp=dp)  # noqa: E731
    own = ENGINE_ERROR_BAND[report.engine.engine]
    band = {k: fmt_pct(v, lang) for k, v in ERROR_BAND.items()}
    rows = [
        (P["layout"], P["layout_value" if p.nodes_per_replica == 1 else "layout_spans"].format(
            tp=tp_text(p.tensor_parallel, p.data_parallel), ep=yes_no(p.expert_parallel),
            gpus=count_words(p.gpus_per_replica, P["gpu_forms"], lang),
            replicas=count_words(p.replicas_per_node, P["replica_forms"], lang),
            nodes=fmt_int(p.nodes_per_replica, lang),
            tp_node=p.gpus_per_replica // p.nodes_per_replica)
         + ("" if p.expert_group_nodes == 1 else P["layout_group"].format(
             ranks=fmt_int(p.expert_group_gpus, lang),
             nodes=fmt_int(p.expert_group_nodes, lang)))),
        (P["runner_up"], "-" if not runner else P["runner_value"].format(
            tp=tp_text(runner["tensor_parallel"], runner["data_parallel"]),
            ep=yes_no(runner["expert_parallel"]),
            nodes=fmt_int(runner["nodes_final"], lang), tpot=ms(runner["tpot_ms"]))),
        (P["workload"], P["split"].format(prompt=fmt_int(p.input_tokens, lang),
                                          output=fmt_int(p.output_tokens, lang),
                                          history=fmt_int(p.history_tokens, lang))
         + (" " + P["defaulted"] if p.split_defaulted else "")),
        (P["capacity"], P["capacity_value" if p.held_context_tokens == p.mean_context_tokens
                          else "capacity_whole"].format(
            sessions=fmt_int(p.kv_pool_sessions, lang),
            context=fmt_int(p.held_context_tokens, lang))
         + ("" if not p.running_capped else
            P["running_capped"].format(limit=fmt_int(p.running_limit, lang),
                                       setting=p.running_limit_setting))),
        (P["prefill"], P["prefill_value"].format(
            sessions=fmt_int(p.prefill_limit_sessions, lang), chunk=fmt_int(p.chunk_tokens, lang))),
        (P["scheduling"], P["scheduling_value"][c.prompt_scheduling]),
        (P["targets"], P["targets_value"].format(tpot=ms(p.tpot_target_ms),
                                                 ttft=ms(p.ttft_target_ms),
                                                 basis=P["ttft_basis"][p.ttft_basis])),
        (P["within"], "-" if within is None else P["within_value"].format(
            replica=fmt_int(within, lang), node=fmt_int(p.per_node(within), lang),
            target=P["stops"][p.stopped_by].format(setting=p.running_limit_setting))),
        (P["constants"], P["constants_value"].format(
            bw=fmt_num(c.bandwidth_efficiency, 3, lang),
            expert=fmt_num(c.expert_efficiency, 3, lang),
            compute=fmt_num(c.compute_efficiency, 3, lang),
            expert_compute=fmt_num(c.expert_compute_efficiency, 3, lang),
            kernel=fmt_num(c.kernel_overhead_s * 1e6, 2, lang),
            kernels=fmt_num(p.kernels_per_layer, 1, lang),
            session=fmt_num(c.session_overhead_s * 1e6, 1, lang),
            source=P["sources"][c.source].format(engine=engine_label(report.engine.engine)))),
        *([] if p.allreduce_latency_us is None else [(P["allreduce"], P["allreduce_value"].format(
            us=fmt_num(p.allreduce_latency_us, 1, lang),
            ranks=p.expert_group_gpus, server=report.server.name))]),
        (P["error"], P["error_expected"].format(
            model=report.model.name, tpot=fmt_pct(p.expected_error[0], lang),
            ttft=fmt_pct(p.expected_error[1], lang),
            basis=P["error_basis"][p.expected_error[2]].format(
                engine=engine_label(report.engine.engine)))
         + P["error_value"].format(**band)
         + (P["error_moe"].format(**band) if report.model.num_experts else "")
         + P["error_engine"].format(engine=engine_label(report.engine.engine),
                                    tpot=fmt_pct(own[0], lang), ttft=fmt_pct(own[1], lang),
                                    runs=own[2])
         + (P["error_group"] if p.expert_group_nodes > 1 else "")
         + _unmeasured_text(p, lang)
         + (P["error_live"] if p.ttft_basis == "live" else "")),
    ]
    return rows


def _unmeasured_text(p: Performance, lang: str) -> str:
    """The expected-error row's clauses on what of the plan no measured run had: the server's
    GPU, layer kinds (no run at all, or the serving runs and forward passes, not fitted, that
    check some: RUN_CHECKS, STEP_CHECKS), a mean context longer than any run's
    (MEASURED_CONTEXT_TOKENS)."""
    P = STRINGS[lang]["perf"]
    return (P["error_server"].format(gpu=p.unmeasured_gpu,
                                     servers=join_words(MEASURED_SERVERS, lang))
            if p.unmeasured_gpu else "") \
        + (P["error_kinds"].format(kinds=join_words(
            [P["kind_names"][k] for k in p.unchecked_kinds], lang))
           if p.unchecked_kinds else "") \
        + "".join(P["error_runs"].format(
            kind=P["kind_names"][c.layer_kind], engine=engine_label(c.engine), model=c.model,
            runs=fmt_int(c.runs, lang), tpot=fmt_pct(c.tpot_median, lang),
            ttft=fmt_pct(c.ttft_median, lang)) for c in p.run_checks) \
        + "".join(P["error_step"].format(
            kind=P["kind_names"][c.layer_kind], engine=engine_label(c.engine),
            version=c.engine_version, model=c.model, gpu=c.gpu,
            decode=fmt_num(c.decode_ratio, 2, lang), prompt=fmt_num(c.prompt_ratio, 2, lang))
            for c in p.step_checks) \
        + (P["error_context"].format(measured=fmt_int(MEASURED_CONTEXT_TOKENS, lang),
                                     published=fmt_int(PUBLISHED_CONTEXT_TOKENS, lang),
                                     context=fmt_int(p.mean_context_tokens, lang))
           if p.mean_context_tokens > MEASURED_CONTEXT_TOKENS else "")


def served_point(report: SizingReport, scenario: ScenarioResult) -> PerfPoint | None:
    """The plan's operating point as a scenario serves it: none where the scenario holds not
    even one session (the curve's lone session could not be served there either)."""
    if report.performance is None or not scenario.sized:
        return None
    return report.performance.operating_point


def curve_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """The curve: sessions per replica against TPOT, TTFT, tokens/s and the bound."""
    P = STRINGS[lang]["perf"]
    p = report.performance
    marks: dict[int, list[str]] = {}
    plan = served_point(report, report.scenario(RECOMMENDED_SCENARIO))
    for sessions, mark in ((0 if plan is None else plan.sessions_per_replica, "plan"),
                           (p.kv_capacity_sessions, "capacity"),
                           (p.max_sessions_within_targets, "targets")):
        if sessions:
            marks.setdefault(sessions, []).append(P["mark_" + mark])
    rows = [[fmt_int(x.sessions_per_replica, lang), fmt_num(x.tpot_ms, 2, lang),
             fmt_num(x.ttft_ms / 1000, 2, lang),
             fmt_num(x.output_tokens_per_second_per_session, 1, lang),
             fmt_num(x.output_tokens_per_second_per_replica, 1, lang), P["bounds"][x.bound],
             "<- " + ", ".join(marks[x.sessions_per_replica]) if x.sessions_per_replica in marks
             else ""] for x in p.curve]
    return list(P["curve_headers"]), rows


def performance_blocks(report: SizingReport, lang: str) -> list[Any]:
    """The speed of the chosen layout: its figures, the curve and how far it can be off."""
    P = STRINGS[lang]["perf"]
    if report.performance is None:
        return [Subheading(P["title_none"]),
                Paragraph(P["no_data"].format(server=report.server.name), indent=2)]
    headers, rows = curve_rows(report, lang)
    return [Pairs(P["title"].format(engine=engine_label(report.engine.engine)),
                  tuple(_perf_pairs(report, lang)), (STRINGS[lang]["labels"]["field"],
                                                    STRINGS[lang]["labels"]["value"])),
            Table(P["curve_title"], tuple(headers), tuple(map(tuple, rows))),
            Paragraph(P["explain"], indent=2)]


def price_origin(cost: CostPlan, key: str, lang: str) -> str:
    """Where a price came from, in words: its flag (PRICE_FLAGS), or the catalog's hint with
    its date and source."""
    origin = dict(cost.inputs_from)[key]
    words = STRINGS[lang]["cost"]["from"][origin].format(flag=PRICE_FLAGS[key])
    if origin != "catalog":
        return words
    notes = dict(cost.notes)
    _, date, source = PRICE_HINTS[key]
    return f"{words}, {notes[date] or '-'}: {notes[source] or '-'}"


def cost_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """The cost table: money, power and space per scenario (README "Cost")."""
    M = STRINGS[lang]["cost"]
    years = fmt_value(report.cost.value("years"), lang)
    money = lambda v, d=0: fmt_money(v, report, lang, digits=d)  # noqa: E731
    number = lambda v, d: "-" if v is None else fmt_num(v, d, lang)  # noqa: E731
    owned = (("capex_usd", money), ("facility_power_kw", lambda v: number(v, 1)),
             ("rack_units", lambda v: fmt_int(v, lang)),
             ("heat_btu_per_hour", lambda v: number(v, 0)),
             ("energy_mwh_per_year", lambda v: number(v, 1)),
             ("opex_usd_per_year", money), ("tco_usd", money),
             ("usd_per_session_month", lambda v: money(v, 2)),
             ("usd_per_million_output_tokens", lambda v: money(v, 2)),
             ("tco_vs_minimum_usd", money))
    rented = (("rent_usd_per_year", money), ("rent_usd", money),   # only with a GPU-hour rate
              ("rent_usd_per_session_month", lambda v: money(v, 2)),
              ("rent_usd_per_million_output_tokens", lambda v: money(v, 2)),
              ("rent_vs_tco_usd", money), ("break_even_years", lambda v: number(v, 1)))
    rows = []
    for key, show in owned + (rented if report.cost.value("gpu_hour_usd") is not None else ()):
        rows.append([M["rows"][key].format(years=years)]
                    + [show(getattr(c, key)) for c in report.cost.scenarios])
    return [M["metric"]] + [scenario_name(x.policy.key, lang) for x in report.scenarios], rows


def cost_blocks(report: SizingReport, lang: str) -> list[Any]:
    """The cost table and what it rests on: the price (or how to give one) and the inputs."""
    M = STRINGS[lang]["cost"]
    c = report.cost
    values = dict(c.inputs)
    lines = []
    if values["node_price_usd"] is None:
        lines.append(M["no_price"].format(server=report.server.name))
    else:
        lines.append(M["price"].format(price=fmt_money(values["node_price_usd"], report, lang),
                                       origin=price_origin(c, "node_price_usd", lang)))
    if values["gpu_hour_usd"] is None:
        lines.append(M["no_rental"].format(server=report.server.name))
    else:
        lines.append(M["rental"].format(
            rate=fmt_money(values["gpu_hour_usd"], report, lang, digits=2),
            gpus=fmt_int(values["node_gpus"], lang), origin=price_origin(c, "gpu_hour_usd", lang)))
    if values["node_power_kw"] is None:
        lines.append(M["no_power"].format(server=report.server.name))
    lines.append(M["inputs"].format(
        years=fmt_value(values["years"], lang), energy=fmt_value(values["energy_usd_per_kwh"],
                                                                  lang),
        pue=fmt_value(values["pue"], lang), ratio=fmt_value(values["average_power_ratio"], lang),
        hosting=fmt_value(values["hosting_usd_per_kw_month"], lang),
        power="-" if values["node_power_kw"] is None else fmt_value(values["node_power_kw"],
                                                                     lang),
        tokens="-" if c.output_tokens_per_second is None
        else fmt_num(c.output_tokens_per_second, 1, lang)))
    headers, rows = cost_rows(report, lang)
    code, _ = money_unit(report)
    return [Table(M["title"].format(currency=code), tuple(headers), tuple(map(tuple, rows))),
            Bullets(tuple(lines), escape=True)]


def _benchmark_blocks(report: SizingReport, lang: str, number: int) -> list[Any]:
    """Each measured run next to the prediction with the default and the fitted constants."""
    B = STRINGS[lang]["benchmark"]
    fit = report.benchmark_fit
    ms = lambda v: fmt_num(v, 2, lang)  # noqa: E731
    rows = tuple((layout_label(*timed), fmt_int(r.concurrency, lang),
                  fmt_int(r.input_tokens, lang), fmt_int(r.output_tokens, lang),
                  ms(r.tpot_ms), ms(before_tpot), ms(after_tpot), ms(r.ttft_ms), ms(before_ttft),
                  ms(after_ttft))
                 for (r, before_tpot, after_tpot, before_ttft, after_ttft), timed
                 in zip(fit.rows, fit.layouts))
    changed = [(name, getattr(fit.before, name), getattr(fit.constants, name))
               for name in STEP_FIT + TTFT_FIT
               if getattr(fit.before, name) != getattr(fit.constants, name)]
    held = tuple(B["held"].format(name=name, flag="--" + name.replace("_", "-"),
                                  value=_localize(f"{getattr(fit.constants, name):.4g}", lang))
                 for name in fit.held)
    return [Heading(B["title"].format(number=number)),
            Paragraph(B["source"].format(source=fit.source), wrap=False, escape=True),
            Table(None, tuple(B["headers"]), rows),
            Bullets(tuple(f"{name}: {_localize(f'{old:.4g}', lang)} -> "
                          f"{_localize(f'{new:.4g}', lang)}" for name, old, new in changed)
                    + held or (B["unchanged"],))]


def technical_document(report: SizingReport, lang: str) -> Document:
    """Build the four-section technical report (five with a calibration) once, for both the
    text and the Markdown emitters."""
    lang = unit_lang(report.server, lang)
    S = STRINGS[lang]
    L = S["labels"]
    E = S["engine"]
    pair_headers = (L["field"], L["value"])
    blocks: list[Any] = [Paragraph(line) for line in bottom_line(report, lang)]
    if report.fleet is not None:
        blocks += fleet_blocks(report.fleet, report, lang)
    blocks.append(preamble(lang))
    blocks += [Paragraph(line) for line in plan_needs(report, lang)]
    blocks.append(Heading(S["sections"][0]))
    blocks += [Pairs(group, tuple(pairs), pair_headers)
               for group, pairs in _input_groups(report, lang)]
    blocks.append(Heading(S["sections"][1]))
    headers, rows = summary_rows(report, lang)
    blocks.append(Table(None, tuple(headers), tuple(map(tuple, rows))))
    headers, rows = kv_group_rows(report, lang)
    blocks.append(Table(S["kv_groups"]["title"].format(
        context=fmt_int(report.effective_context_tokens, lang)), tuple(headers),
        tuple(map(tuple, rows))))
    blocks.append(Pairs(E["title"].format(engine=engine_label(report.engine.engine),
                                          mode=E["modes"][report.settings.memory_model]),
                        tuple(engine_lines(report, lang)), pair_headers))
    headers, rows = comparison_rows(report, lang)
    blocks.append(Table(E["compare_title"], tuple(headers), tuple(map(tuple, rows))))
    blocks.append(Paragraph(comparison_text(report, lang), indent=2))
    blocks += performance_blocks(report, lang)
    blocks += cost_blocks(report, lang)
    blocks += _rationale_blocks(report, lang)
    blocks.append(Heading(S["sections"][2]))
    if report.alerts:
        blocks.append(Notes(tuple((S["severity"][severity], message, L["action"], action)
                                  for severity, message, action
                                  in grouped_alert_texts(report.alerts, lang))))
    else:
        blocks.append(Paragraph(L["no_alerts"], wrap=False))
    blocks += [Heading(S["sections"][3]),
               Paragraph(L["dictionary_why"]),
               Definitions((L["parameter"], L["what"], L["from"], L["why"], L["mistake"]),
                           tuple((name, *texts) for name, texts in S["parameters"].items()))]
    if report.calibration is not None:
        blocks += _calibration_blocks(report, lang)
    if report.benchmark_fit is not None:
        blocks += _benchmark_blocks(report, lang, 5 + (report.calibration is not None))
    return Document(S["title"], S["md_title"].format(model=report.model.label,
                                                     server=report.server.name), tuple(blocks))


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def render_text(report: SizingReport, lang: str = "en") -> str:
    """Render the technical report for a terminal (fits 100 columns). Memoised, as size_all
    is: the same report in the same language renders the same text."""
    return emit_text(technical_document(report, lang))


def render_markdown(report: SizingReport, lang: str = "en") -> str:
    """Render the technical report as GitHub Markdown (same blocks as the text)."""
    return emit_markdown(technical_document(report, lang))

# ---------------------------------------------------------------------------- executive report


def _exec_summary(report: SizingReport, lang: str) -> str:
    E = STRINGS[lang]["exec"]
    w = report.workload
    concurrency = _count(w.concurrency, "simultaneous_forms", lang)
    if w.requests_per_second is not None:
        concurrency = rate_text(w, lang, "exec") if w.request_seconds is None \
            else f"{concurrency} ({rate_text(w, lang, 'exec')})"
    common = dict(model=report.model.label, concurrency=concurrency,
                  context=fmt_int(report.effective_context_tokens, lang),
                  server_desc=report.server.description)
    rec = report.scenario(RECOMMENDED_SCENARIO)
    minimum = report.scenarios[0]
    if not (rec.sized and minimum.sized):
        unsized = [scenario_name(s.policy.key, lang) for s in report.scenarios if not s.sized]
        return E["summary_fatal"].format(
            scenarios=plural(len(unsized), E["scenario_forms"]).format(
                names=join_words(unsized, lang)),
            session_gib=fmt_num(gib(report.kv.per_session_bytes), 2, lang), **common)
    buys = []
    if rec.config.peak_headroom_ratio > 0:
        buys.append(E["buys_headroom"].format(
            headroom=fmt_pct(rec.config.peak_headroom_ratio, lang)))
    if rec.ha_extra_nodes > 0:
        buys.append(E["buys_ha"].format(failures=count_words(
            rec.node_failures_tolerated, E["node_forms"], lang)))
    text = E["summary"].format(
        rec=scenario_name(RECOMMENDED_SCENARIO, lang), nodes=fmt_int(rec.nodes_final, lang),
        server=report.server.name, gpus=fmt_int(rec.gpus_final, lang),
        min_nodes=_count(minimum.nodes_final, "node_forms", lang),
        capex=fmt_pct(rec.capex_vs_minimum_ratio, lang),
        buys=E["and"].join(buys) if buys else E["buys_nothing"], **common)
    text += " " + E["binding"].format(constraint=E["constraints"][rec.binding_constraint])
    if report.performance is not None:
        text += " " + experience_text(report, lang, E)
    return text + " " + money_sentence(report, lang)


def money_sentence(report: SizingReport, lang: str, with_rent: bool = True) -> str:
    """The decision in money: RECOMMENDED's capex, TCO and cost per million output tokens,
    and what IDEAL adds; or how to give a price. Then what renting the same GPUs costs, where
    a GPU-hour rate is known (`with_rent`; always where there is no TCO)."""
    E = STRINGS[lang]["exec"]
    c = report.cost
    rec = c.scenarios[RECOMMENDED_INDEX]
    short = lambda v: fmt_money(v, report, lang, short=True)  # noqa: E731
    rent = ""
    if rec.rent_usd is not None and (with_rent or rec.tco_usd is None):
        rent = " " + E["money_rent"].format(
            rent=short(rec.rent_usd), years=fmt_value(c.value("years"), lang),
            rate=fmt_money(c.value("gpu_hour_usd"), report, lang, digits=2))
        if rec.break_even_years is not None:
            rent += " " + E["money_break_even"].format(
                years=fmt_num(rec.break_even_years, 1, lang))
    if rec.tco_usd is None:
        return E["money_none"].format(server=report.server.name) + rent
    parts = [E["money"].format(capex=short(rec.capex_usd), tco=short(rec.tco_usd),
                               years=fmt_value(c.value("years"), lang))]
    if rec.usd_per_million_output_tokens is not None:
        parts.append(E["money_tokens"].format(
            per_million=fmt_money(rec.usd_per_million_output_tokens, report, lang, digits=2)))
    more = c.scenarios[-1].tco_vs_recommended_usd                 # IDEAL over RECOMMENDED
    if more is not None:
        parts.append(E["money_ideal"].format(more=short(more),
                                             sla=_localize(report.scenarios[-1].policy
                                                           .typical_sla, lang)))
    return "; ".join(parts) + "." + rent


def executive_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return the executive comparison table: nodes, GPUs, risk, SLA, capex vs MINIMUM."""
    E = STRINGS[lang]["exec"]
    R = E["rows"]
    risk = STRINGS[lang]["risk"]
    minimum_name = scenario_name(report.scenarios[0].policy.key, lang)
    values = [scenario_result_values(report, s) for s in report.scenarios]

    def capex(s: ScenarioResult) -> str:
        ratio = s.capex_vs_minimum_ratio
        if s is report.scenarios[0] and ratio is not None:
            return E["baseline"]
        return E["not_available"] if ratio is None else fmt_pct(ratio, lang, signed=True)

    units = report.unit_nodes
    rows = [
        [R["nodes"]] + [fmt_int(v["nodes_final"], lang) for v in values],
        [R["gpus"]] + [fmt_int(v["gpus_final"], lang) for v in values],
        [R["sessions_per_node"]] + [fmt_int(v["sessions_per_node"], lang) for v in values]
        if units == 1 else
        [R["sessions_per_unit"].format(nodes=fmt_int(units, lang))]
        + [fmt_int(v["sessions_per_unit"], lang) for v in values],
        [R["binding"]] + [E["constraints"].get(v["binding_constraint"], "-") for v in values],
        [R["peak_headroom"]] + [fmt_pct(s.config.peak_headroom_ratio, lang)
                                for s in report.scenarios],
        [R["failures"]] + [str(s.node_failures_tolerated) for s in report.scenarios],
        [R["risk"]] + [risk[s.policy.risk] for s in report.scenarios],
        [R["sla"]] + [_localize(s.policy.typical_sla, lang) for s in report.scenarios],
        [R["capex"].format(minimum=minimum_name)] + [capex(s) for s in report.scenarios],
    ]
    headers = [E["metric"]] + [f"**{scenario_name(s.policy.key, lang)}**"
                               if s.policy.key == RECOMMENDED_SCENARIO
                               else scenario_name(s.policy.key, lang) for s in report.scenarios]
    return headers, rows


def whole_axis_top(largest: int) -> int:
    """The top of a Mermaid axis that counts nodes: at least 10, so that its ticks fall on
    whole nodes (Mermaid picks about ten ticks; 0 to 6 would tick every 0.5).

    >>> whole_axis_top(5), whole_axis_top(47)
    (10, 48)
    """
    return max(10, largest + 1)


def mermaid_nodes_chart(report: SizingReport, lang: str) -> list[str]:
    """Return a fenced Mermaid xychart-beta bar chart of nodes per scenario (none when no
    scenario can be sized: the caller says so instead)."""
    E = STRINGS[lang]["exec"]
    nodes = [s.nodes_final or 0 for s in report.scenarios]
    names = ", ".join(f'"{scenario_name(s.policy.key, lang)}"' for s in report.scenarios)
    return ["```mermaid", "xychart-beta",
            f'    title "{E["chart_title"]}"',
            f"    x-axis [{names}]",
            f'    y-axis "{E["chart_axis"]}" 0 --> {whole_axis_top(max(nodes))}',
            f"    bar [{', '.join(str(n) for n in nodes)}]",
            "```"]


def mermaid_tpot_chart(report: SizingReport, lang: str) -> list[str]:
    """Return a fenced Mermaid xychart-beta line chart of TPOT against sessions per node (the
    curve's points up to the KV capacity or the plan's load, whichever is larger), with the
    TPOT target as a second line when one is given. The plan's point is labelled with the
    plan's sessions per node, as the summary says it (its busiest replica sets the TPOT).
    No chart (an empty list) when no point gives a node one session: a replica spanning more
    nodes than the sessions it can hold, or a plan that serves nobody (served_point)."""
    E = STRINGS[lang]["exec"]
    p = report.performance
    served = served_point(report, report.scenario(RECOMMENDED_SCENARIO))
    plan = 0 if served is None else served.sessions_per_replica
    top = max(p.kv_capacity_sessions, plan)
    points = [x for x in p.curve if x.sessions_per_replica <= top
              and p.per_node(x.sessions_per_replica) >= 1]    # a spanning replica's first
    if not points:
        return []
    at_plan = report.scenario(RECOMMENDED_SCENARIO).sessions_per_node
    per_node = [at_plan if x.sessions_per_replica == plan and at_plan
                else p.per_node(x.sessions_per_replica) for x in points]
    labels = ", ".join(f'"{fmt_int(n, lang)}"' for n in per_node)
    tpots = [x.tpot_ms for x in points] + ([p.tpot_target_ms] if p.tpot_target_ms else [])
    lines = ["```mermaid", "xychart-beta",
             f'    title "{E["tpot_chart_title"]}"',
             f"    x-axis \"{E['tpot_chart_x']}\" [{labels}]",
             f'    y-axis "{E["tpot_chart_y"]}" 0 --> {math.ceil(max(tpots) * 1.1)}',
             f"    line [{', '.join(f'{x.tpot_ms:.2f}' for x in points)}]"]
    if p.tpot_target_ms:
        lines.append(f"    line [{', '.join(f'{p.tpot_target_ms:.2f}' for _ in points)}]")
    return lines + ["```"]


def money_chart_kind(report: SizingReport) -> str | None:
    """Which money chart the executive appendix draws: "tco" (TCO alone), "money" (TCO and
    rent), "rent" (rent alone, no node price), or None (neither is known)."""
    cost = report.cost.scenarios[0]
    owned, rented = cost.tco_usd is not None, cost.rent_usd is not None
    return ("money" if rented else "tco") if owned else "rent" if rented else None


def mermaid_tco_chart(report: SizingReport, lang: str) -> list[str]:
    """Return a fenced Mermaid chart of money per scenario over the horizon, in millions of the
    report's currency: TCO as bars, and renting the same GPUs as a line where a GPU-hour rate
    is known (as bars when there is no TCO: no node price)."""
    E = STRINGS[lang]["exec"]
    code, rate = money_unit(report)
    millions = lambda key: [round((getattr(c, key) or 0) * rate / 10**6, 2)  # noqa: E731
                            for c in report.cost.scenarios]
    kind = money_chart_kind(report)
    series = [("bar", millions("rent_usd" if kind == "rent" else "tco_usd"))] \
        + ([("line", millions("rent_usd"))] if kind == "money" else [])
    names = ", ".join(f'"{scenario_name(s.policy.key, lang)}"' for s in report.scenarios)
    title = E[f"{kind}_chart_title"].format(years=fmt_value(report.cost.value("years"), lang))
    top = max(v for _, values in series for v in values)
    return ["```mermaid", "xychart-beta", f'    title "{title}"',
            f"    x-axis [{names}]",
            f'    y-axis "{E["tco_chart_axis"].format(currency=code)}" 0 --> '
            f"{math.ceil(top * 1.1 + 0.01)}",
            *(f"    {mark} [{', '.join(f'{v:.2f}' for v in values)}]" for mark, values in series),
            "```"]


def money_assumption(report: SizingReport, lang: str) -> str:
    """Every money assumption in one line: price and its date and source, energy, PUE,
    average draw, hosting, node power."""
    E = STRINGS[lang]["exec"]
    c = report.cost
    values, notes = dict(c.inputs), dict(c.notes)
    price = E["money_no_price"] if values["node_price_usd"] is None else E["money_price"].format(
        price=fmt_money(values["node_price_usd"], report, lang),
        origin=price_origin(c, "node_price_usd", lang))
    if values["gpu_hour_usd"] is not None:
        price += "; " + E["money_rental"].format(
            rate=fmt_money(values["gpu_hour_usd"], report, lang, digits=2),
            origin=price_origin(c, "gpu_hour_usd", lang))
    return E["money_assumption"].format(
        price=price, years=fmt_value(values["years"], lang),
        energy=fmt_value(values["energy_usd_per_kwh"], lang), pue=fmt_value(values["pue"], lang),
        ratio=fmt_pct(values["average_power_ratio"], lang),
        hosting=fmt_value(values["hosting_usd_per_kw_month"], lang),
        power="-" if values["node_power_kw"] is None else fmt_value(values["node_power_kw"], lang),
        power_source=notes["power_source"] or "-")


def exec_alerts(report: SizingReport, opportunities: bool = False) -> list[Alert]:
    """The alerts the executive report speaks of: its risks, or its opportunities; never the
    technical notes, which change nothing in the plan."""
    return [a for a in report.alerts
            if (a.code in OPPORTUNITIES) == opportunities and a.code not in TECHNICAL_NOTES]


def _exec_risks(report: SizingReport, lang: str, opportunities: bool = False) -> list[str]:
    """One line per kind of alert, in plain words, with the action that removes it."""
    ordered = sorted(exec_alerts(report, opportunities),
                     key=lambda a: SEVERITIES.index(a.severity))
    return [f"**{message}** {action}"
            for _, message, action in grouped_alert_texts(ordered, lang, "risks")]


def _exec_recommendation(report: SizingReport, lang: str) -> str:
    E = STRINGS[lang]["exec"]
    rec = report.scenario(RECOMMENDED_SCENARIO)
    minimum, ideal = report.scenarios[0], report.scenario("ideal")
    if not (rec.sized and minimum.sized):
        return E["recommend_fatal"]
    ideal_capex = ideal.capex_vs_minimum_ratio
    text = E["recommend" if ideal.sized else "recommend_no_ideal"].format(
        nodes=rec.nodes_final, server=report.server.name,
        gpus=fmt_int(rec.gpus_final, lang),
        rec=scenario_name(RECOMMENDED_SCENARIO, lang),
        sla=_localize(rec.policy.typical_sla, lang),
        ideal=scenario_name("ideal", lang), ideal_nodes=_count(ideal.nodes_final, "node_forms",
                                                               lang),
        ideal_capex=E["not_available"] if ideal_capex is None
        else fmt_pct(ideal_capex, lang, signed=True),
        minimum=scenario_name(minimum.policy.key, lang),
        ideal_sla=_localize(ideal.policy.typical_sla, lang),
        min_nodes=_count(minimum.nodes_final, "node_forms", lang))
    if report.fleet is not None:                 # what the plan adds to today's fleet
        mine = report.fleet.scenario(RECOMMENDED_SCENARIO)
        said = plural(report.fleet.nodes, E["recommend_fleet_met"]) if mine.meets \
            else E["recommend_fleet_add"]
        text += " " + said.format(
            current=_count(report.fleet.nodes, "node_forms", lang),
            add=_count(mine.nodes_to_add or 0, "node_forms", lang),
            capex="" if mine.capex_to_add_usd is None else E["recommend_fleet_capex"].format(
                capex=fmt_money(mine.capex_to_add_usd, report, lang, short=True)))
    risky = {a.code for a in exec_alerts(report)}
    if risky:
        text += " " + plural(len(risky), E["recommend_risks"]).format(
            count=fmt_int(len(risky), lang))
    return text


def _exec_appendix(report: SizingReport, lang: str) -> list[Any]:
    """How the node count is built, the assumptions and the units."""
    E = STRINGS[lang]["exec"]
    w = report.workload
    units = report.unit_nodes
    headers = list(E["build_headers"])
    formula = [Paragraph(E["appendix_formula"])]
    if units > 1:
        headers[1] = E["rows"]["sessions_per_unit"].format(nodes=fmt_int(units, lang)).lower()
        formula.append(Paragraph(E["appendix_formula_unit"].format(
            nodes=fmt_int(units, lang))))
    build_rows = tuple((scenario_name(s.policy.key, lang),
                        fmt_int(s.sessions_per_unit if units > 1 else s.sessions_per_node, lang),
                        fmt_int(s.nodes_capacity, lang), fmt_int(s.nodes_with_headroom, lang),
                        f"+{s.ha_extra_nodes} ({E['ha_modes'][s.config.ha_mode]})",
                        fmt_int(s.nodes_final, lang))
                       for s in report.scenarios)
    ideal = report.scenario("ideal")
    facts = dict(session_gib=fmt_num(gib(report.kv.per_session_bytes), 2, lang),
                 context=fmt_int(report.effective_context_tokens, lang),
                 precision=w.kv_precision, overhead=fmt_value(w.runtime_overhead_gib, lang),
                 ratio=fmt_pct(w.kv_budget_ratio, lang),
                 ideal_ratio=fmt_pct(ideal.config.kv_budget_ratio, lang),
                 server=report.server.name, hbm_gb=fmt_value(report.server.total_hbm_gb, lang),
                 hbm_gib=fmt_num(gib(report.hbm_total_bytes), 2, lang),
                 engine=engine_label(report.settings.engine),
                 tp=count_words(report.engine.tensor_parallel, E["gpu_forms"], lang),
                 experts=E["experts_over"].format(gpus=count_words(
                     report.engine.expert_ranks, E["gpu_forms"], lang))
                 if report.engine.expert_ranks > report.engine.tensor_parallel else "",
                 weights_gib=fmt_num(gib(report.engine.weights_per_gpu_bytes), 2, lang))
    assumptions = list(E["assumptions"])
    if report.settings.memory_model != "pooled":
        assumptions[1] = E[f"{report.settings.memory_model}_assumption"]
    assumptions.append(money_assumption(report, lang))
    if report.performance is not None:
        p = report.performance
        facts.update(prompt=fmt_int(p.input_tokens, lang), output=fmt_int(p.output_tokens, lang),
                     tpot_err=fmt_pct(p.expected_error[0], lang),
                     ttft_err=fmt_pct(p.expected_error[1], lang),
                     basis=E["error_basis"][p.expected_error[2]], gpu=p.unmeasured_gpu)
        assumptions.append(E["perf_assumption"])
        if p.unmeasured_gpu:
            assumptions.append(E["perf_gpu_assumption"])
    tpot_chart = [] if report.performance is None else mermaid_tpot_chart(report, lang)
    chart = [Subheading(E["tpot_chart_heading"]), Chart(tuple(tpot_chart))] if tpot_chart else []
    kind = money_chart_kind(report)
    if kind is not None:
        chart += [Subheading(E[f"{kind}_chart_heading"]),
                  Chart(tuple(mermaid_tco_chart(report, lang)))] \
            + ([Paragraph(E["chart_note"])] if report.fatal else [])
    return [Heading(E["sections"][5]), *chart, Subheading(E["appendix_build"]), *formula,
            Table(None, tuple(headers), build_rows),
            Subheading(E["appendix_assumptions"]),
            Bullets(tuple(text.format(**facts) for text in assumptions)),
            Subheading(E["appendix_units"]),
            Bullets(tuple(text.format(**facts) for text in E["units"]))]


def executive_document(report: SizingReport, lang: str) -> Document:
    """Build the executive report: summary, scenarios, chart, risks, decision, appendix."""
    lang = unit_lang(report.server, lang)
    E = STRINGS[lang]["exec"]
    sec = E["sections"]
    title = E["title"].format(model=report.model.label, server=report.server.name)
    headers, rows = executive_rows(report, lang)
    risks = _exec_risks(report, lang)
    blocks: list[Any] = []
    if report.fleet is not None:
        blocks += [Heading(E["fleet_heading"])] + fleet_blocks(report.fleet, report, lang,
                                                                executive=True)
    blocks += [Heading(sec[0]), Paragraph(_exec_summary(report, lang)), Heading(sec[1]),
               Table(None, tuple(headers), tuple(map(tuple, rows))), Heading(sec[2])]
    if all(not x.sized for x in report.scenarios):
        blocks.append(Paragraph(E["chart_none"]))
    else:
        blocks.append(Chart(tuple(mermaid_nodes_chart(report, lang))))
        if report.fatal:
            blocks.append(Paragraph(E["chart_note"]))
    blocks += [Heading(sec[3]), Bullets(tuple(risks)) if risks else Paragraph(E["no_risks"])]
    chances = _exec_risks(report, lang, opportunities=True)
    if chances:
        blocks += [Subheading(E["opportunities"]), Bullets(tuple(chances))]
    blocks += [Heading(sec[4]), Paragraph(_exec_recommendation(report, lang))]
    return Document(title, title, tuple(blocks + _exec_appendix(report, lang)))


def render_executive(report: SizingReport, lang: str = "en") -> str:
    """Render the executive report (Markdown)."""
    return emit_markdown(executive_document(report, lang))


# ---------------------------------------------------------------------------- comparison


def server_rows(comparison: Comparison, lang: str, signs: bool = False
                ) -> tuple[list[str], list[list[str]]]:
    """One row per server, best first: its units per scenario, GPUs, what binds, speed and
    money at RECOMMENDED; the amounts without their currency (the sentence above the table
    names it, and the table keeps to 100 columns) unless `signs`."""
    C = STRINGS[lang]["compare"]
    i = RECOMMENDED_INDEX
    rows = []
    rated = comparison.reports[0].workload.requests_per_second is not None
    for r in comparison.reports:
        rec, cost = r.scenario(RECOMMENDED_SCENARIO), r.cost.scenarios[i]
        point = served_point(r, rec)
        rows.append([r.server.name + ("" if r.server.unit == "node" else "*")]
                    + [fmt_int(r.workload.concurrency, lang)
                       if r.workload.request_seconds is not None else "-"] * rated
                    + [fmt_int(s.nodes_final, lang) for s in r.scenarios]
                    + [fmt_int(rec.gpus_final, lang),
                       STRINGS[lang]["constraints"].get(rec.binding_constraint, "-"),
                       "-" if point is None
                       else fmt_num(point.output_tokens_per_second_per_session, 1, lang),
                       fmt_money(cost.capex_usd, r, lang, short=True, sign=signs),
                       fmt_money(cost.tco_usd, r, lang, short=True, sign=signs),
                       fmt_money(cost.usd_per_million_output_tokens, r, lang, digits=2,
                                 sign=signs),
                       fmt_money(cost.rent_usd, r, lang, short=True, sign=signs)])
    headers = list(C["headers"])
    return headers[:1] + [C["sessions"]] * rated + headers[1:], rows


def comparison_verdict(comparison: Comparison, lang: str) -> str:
    """The winner and why, in one sentence, with the runner-up."""
    C = STRINGS[lang]["compare"]
    i = RECOMMENDED_INDEX
    best = comparison.reports[0]
    if not best.scenario(RECOMMENDED_SCENARIO).sized:
        return C["none_sized"]
    facts = lambda r: dict(  # noqa: E731
        server=r.server.name, nodes=fmt_int(r.scenario(RECOMMENDED_SCENARIO).nodes_final, lang),
        gpus=fmt_int(r.scenario(RECOMMENDED_SCENARIO).gpus_final, lang),
        tco=fmt_money(r.cost.scenarios[i].tco_usd, r, lang, short=True),
        years=fmt_value(r.cost.value("years"), lang))
    priced = [r for r in comparison.reports if comparison_rank(r)[0] == 0]
    unpriced = [r for r in comparison.reports if comparison_rank(r)[0] == 1]
    ranked = priced or unpriced
    text = C["winner_money" if priced else "winner_gpus"].format(**facts(ranked[0]))
    if len(ranked) > 1:
        text += " " + C["runner_up" if priced else "runner_up_gpus"].format(**facts(ranked[1]))
    if priced and unpriced:
        text += " " + plural(len(unpriced), C["unpriced"]).format(count=len(unpriced),
                                                                  **facts(unpriced[0]))
    cheapest = min((r for r in priced + unpriced if r.cost.scenarios[i].rent_usd is not None),
                   key=lambda r: (r.cost.scenarios[i].rent_usd, r.server.name), default=None)
    if cheapest is not None:
        text += " " + C["cheapest_rent"].format(
            rent=fmt_money(cheapest.cost.scenarios[i].rent_usd, cheapest, lang, short=True),
            **facts(cheapest))
    return text


def comparison_document(comparison: Comparison, lang: str) -> Document:
    """The comparison for a terminal or Markdown: the table, the verdict, who was left out."""
    C = STRINGS[lang]["compare"]
    first = comparison.reports[0]
    headers, rows = server_rows(comparison, lang)
    blocks: list[Any] = [
        preamble(lang),
        Paragraph(C["workload"].format(
            model=first.model.label, money=money_sign(first, lang),
            concurrency=C["rate"].format(rate=fmt_value(first.workload.requests_per_second,
                                                        lang))
            if first.workload.requests_per_second is not None
            else _count(first.workload.concurrency, "session_forms", lang),
            context=fmt_context(first.effective_context_tokens, lang))),
        Table(None, tuple(headers), tuple(map(tuple, rows)))]
    if any(r.server.unit == "rack" for r in comparison.reports):
        blocks.append(Paragraph(C["rack"], indent=2))
    blocks.append(Paragraph(comparison_verdict(comparison, lang)))
    return Document(C["title"], C["title"], tuple(blocks) + left_out_bullets(comparison, lang))


def left_out_bullets(comparison: Comparison, lang: str) -> tuple[Any, ...]:
    """The servers asked for that the comparison could not size, each with why: in the
    comparison table's document and in the executive one alike."""
    C = STRINGS[lang]["compare"]
    return (Bullets(tuple(C["left_out"].format(server=name, why=why)
                          for name, why in comparison.left_out), escape=True),) \
        if comparison.left_out else ()


def comparison_executive(comparison: Comparison, lang: str) -> Document:
    """The executive comparison: the recommended server and the runner-up, the table, the
    servers left out and why, then the first server's own executive report (headed as the
    recommendation only when it serves the workload)."""
    C = STRINGS[lang]["compare"]
    headers, rows = server_rows(comparison, lang, signs=True)
    first = comparison.reports[0]
    detail = "exec_detail" if first.scenario(RECOMMENDED_SCENARIO).sized \
        else "exec_detail_unsized"
    racks = any(r.server.unit == "rack" for r in comparison.reports)
    blocks = (Heading(C["exec_heading"]), Paragraph(comparison_verdict(comparison, lang)),
              Table(None, tuple(headers), tuple(map(tuple, rows))),
              *((Paragraph(md_escape(C["rack"])),) if racks else ()),
              *left_out_bullets(comparison, lang),
              Heading(C[detail].format(server=first.server.name)))
    return Document(C["title"], C["title"], blocks + executive_document(first, lang).blocks)


# ---------------------------------------------------------------------------- solve


def solve_document(result: SolveResult, run: SizingRequest, lang: str) -> Document:
    """The limit N nodes hold, per scenario, and the nodes one more needs."""
    lang = unit_lang(run.servers[0], lang)
    V = STRINGS[lang]["solve"]
    w = run.workload
    given = fmt_int(w.concurrency, lang) if result.target == "max-context" \
        else fmt_context(w.effective_context_tokens, lang)
    rates = result.row_rates()
    rows = tuple((scenario_name(key, lang),
                  "-" if value is None else fmt_int(value, lang),
                  fmt_int(at_value, lang), fmt_int(at_next, lang))
                 + (() if result.target != "max-concurrency" else
                    ("-" if rate is None else fmt_num(rate, 1, lang),))
                 for (key, value, at_value, at_next), rate in zip(result.rows, rates))
    title = V["title"][result.target]
    return Document(title.upper(), title, (
        preamble(lang),
        Paragraph(V["what"][result.target].format(
            nodes=fmt_int(result.nodes, lang), server=run.servers[0].name,
            model=run.model.label, given=given)),
        Table(None, tuple(V["headers"][result.target]), rows),
        Paragraph(V["note"]),
        *([Paragraph(V["rate_note"])] if result.target == "max-concurrency" else []),
        *([Paragraph(V["ceiling"][result.ceiling_kind][result.target].format(
            value=fmt_int(result.ceiling, lang)))]
          if any(result.limited_by(value) not in (None, "nodes")
                 for _, value, _, _ in result.rows) else []),
        *([] if result.fit is None else [Paragraph(V["fitted"].format(
            source=result.fit.source, runs=fmt_int(len(result.fit.rows), lang),
            **dict(zip(("tpot", "ttft"), (fmt_pct(x, lang)
                                          for x in result.fit.residual)))),
            escape=True)])))


def document_head() -> dict[str, Any]:
    """The keys every JSON document starts with."""
    return {"schema_version": SCHEMA_VERSION,
            "tool": {"name": "sizing.py", "version": __version__}}


def solve_to_dict(result: SolveResult, run: SizingRequest) -> dict[str, Any]:
    w = run.workload
    return {**document_head(),
            "solve": {"target": result.target, "nodes": result.nodes,
                      "model": run.model.name, "server": run.servers[0].name,
                      "concurrency": None if result.target == "max-concurrency"
                      else w.concurrency,
                      "effective_context_tokens": None if result.target == "max-context"
                      else w.effective_context_tokens,
                      "scenarios": {key: {"value": value, "nodes_final_at_value": at_value,
                                          "nodes_final_at_next": at_next,
                                          "limited_by": result.limited_by(value),
                                          "requests_per_second": rate}
                                    for (key, value, at_value, at_next), rate in zip(
                                        result.rows, result.row_rates())},
                      "constants_source": result.constants.source if result.constants
                      else None,
                      **({} if result.fit is None else {"benchmark_fit": dict(zip(
                          ("source", "held", "runs", "tpot_median", "ttft_median"),
                          (result.fit.source, list(result.fit.held), len(result.fit.rows),
                           *result.fit.residual)))})}}


def solve_csv(result: SolveResult) -> str:
    rates = result.row_rates()
    return _csv([["scenario", "target", "nodes", "value", "nodes_final_at_value",
                  "nodes_final_at_next", "limited_by", "requests_per_second"]]
                + [[key, result.target, result.nodes, value, at_value, at_next,
                    result.limited_by(value), rate]
                   for (key, value, at_value, at_next), rate in zip(result.rows, rates)])


# ---------------------------------------------------------------------------- planning


def plural(count: int | None, forms: str) -> str:
    """The singular or the plural of 'one|many' for a count.

    >>> plural(1, "node|nodes"), plural(2, "nó|nós"), plural(0, "node|nodes")
    ('node', 'nós', 'nodes')
    """
    one, many = forms.split("|")
    return one if count == 1 else many


def count_words(count: int, forms: str, lang: str) -> str:
    """A count with its noun, from 'one|many' forms holding {n}: 'one node', '3 nodes'."""
    return plural(count, forms).format(n=fmt_int(count, lang))


def _count(count: int, key: str, lang: str) -> str:
    """count_words with the executive table's forms named `key`."""
    return count_words(count, STRINGS[lang]["exec"][key], lang)


def join_words(items: Sequence[str], lang: str) -> str:
    """'a', 'a and b', 'a, b and c' (', ' and ' e ' in Portuguese)."""
    last = STRINGS[lang]["exec"]["and"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


def fleet_lines(fleet: FleetCheck, report: SizingReport, lang: str,
                executive: bool = False) -> list[str]:
    """Today's fleet in three sentences: the scenarios it meets and the nodes the others
    need (and their capex, at a node price), the sessions it holds with every node up and
    after losing one and two, and the most sessions it serves in each scenario; a unit over
    several nodes in the executive report's words when `executive`."""
    F = STRINGS[lang]["fleet"]
    name = lambda s: scenario_name(s.key, lang)  # noqa: E731
    met = [F["met_item"].format(scenario=name(s), needs=fmt_int(s.nodes_needed, lang))
           for s in fleet.scenarios if s.meets]
    short = [F["short_item"].format(scenario=name(s), needs=fmt_int(s.nodes_needed, lang),
                                    add=count_words(s.nodes_to_add, F["add"], lang))
             + ("" if s.capex_to_add_usd is None else F["add_capex"].format(
                 capex=fmt_money(s.capex_to_add_usd, report, lang, short=True)))
             if s.nodes_needed is not None else F["unsized_item"].format(scenario=name(s))
             for s in fleet.scenarios if not s.meets]
    head = F["fleet"].format(nodes=fmt_int(fleet.nodes, lang), server=report.server.name,
                             concurrency=_count(fleet.concurrency, "session_forms", lang))
    verdict = (F["meets"].format(met=join_words(met, lang)) if met else F["meets_none"]) \
        + ("; " + "; ".join(short) if short else "") + "."
    rec, unit = fleet.scenario(RECOMMENDED_SCENARIO), report.scenarios[RECOMMENDED_INDEX]
    held = fleet_units(fleet.nodes, unit, rec.nodes_idle, lang, executive) + F["held"].format(
        scenario=scenario_name(RECOMMENDED_SCENARIO, lang),
        per=F["per_copy"] if executive and unit.nodes_per_unit > 1
        else per_unit_words(unit, lang),
        all=fmt_int(rec.sessions_held[0], lang), one=fmt_int(rec.sessions_held[1], lang),
        two=fmt_int(rec.sessions_held[2], lang))
    most = F["most"].format(values="; ".join(
        f"{name(s)} {'-' if s.max_concurrency is None else fmt_int(s.max_concurrency, lang)}"
        + ("" if s.max_requests_per_second is None else F["rate_item"].format(
            rate=fmt_num(s.max_requests_per_second, 1, lang)))
        for s in fleet.scenarios))
    return [f"{head} {verdict}", held, most]


def fleet_units(nodes: int, s: ScenarioResult, idle: int, lang: str, executive: bool) -> str:
    """The units a fleet of `nodes` makes where the scenario's unit spans nodes (replicas or
    expert groups, copies of the model in the executive report; a unit needs all its
    nodes), and the nodes left idle: '' for a unit of one node."""
    if s.nodes_per_unit == 1:
        return ""
    F = STRINGS[lang]["fleet"]
    count = (nodes - idle) // s.nodes_per_unit          # whole units; `idle` nodes are left over
    units = plural(count, F["copies" if executive else "groups" if s.unit_group else "replicas"])
    return F["units"].format(nodes=fmt_int(nodes, lang), units=units.format(
        n=fmt_int(count, lang), k=fmt_int(s.nodes_per_unit, lang)),
        idle=count_words(idle, F["idle"], lang) if idle else "") + " "


def fleet_rows(fleet: FleetCheck, report: SizingReport, lang: str
               ) -> tuple[list[str], list[list[str]]]:
    F = STRINGS[lang]["fleet"]
    rows = [[scenario_name(s.key, lang), fmt_int(s.nodes_needed, lang),
             F["yes"] if s.meets else F["no"], fmt_int(s.nodes_to_add, lang),
             fmt_money(s.capex_to_add_usd, report, lang, short=True),
             " / ".join(fmt_int(n, lang) for n in s.sessions_held),
             "-" if s.max_concurrency is None else fmt_int(s.max_concurrency, lang)]
            for s in fleet.scenarios]
    return list(F["headers"]), rows


def fleet_blocks(fleet: FleetCheck, report: SizingReport, lang: str,
                 executive: bool = False) -> list[Any]:
    headers, rows = fleet_rows(fleet, report, lang)
    return [Paragraph(line) for line in fleet_lines(fleet, report, lang, executive)] + \
        [Table(None, tuple(headers), tuple(map(tuple, rows)))]


def fleet_to_dict(fleet: FleetCheck) -> dict[str, Any]:
    return {"nodes": fleet.nodes, "concurrency": fleet.concurrency,
            "scenarios": {s.key: {"nodes_needed": s.nodes_needed, "meets": s.meets,
                                  "nodes_to_add": s.nodes_to_add,
                                  "capex_to_add_usd": s.capex_to_add_usd,
                                  "sessions_held": s.sessions_held[0],
                                  "sessions_held_after_losing_one_node": s.sessions_held[1],
                                  "sessions_held_after_losing_two_nodes": s.sessions_held[2],
                                  "nodes_idle": s.nodes_idle,
                                  "max_concurrency": s.max_concurrency,
                                  "max_requests_per_second": s.max_requests_per_second}
                          for s in fleet.scenarios}}


def growth_rows(plan: GrowthPlan, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per period: sessions, then per scenario the nodes needed with the nodes to
    add, and RECOMMENDED's capex for the period and the rent of its GPUs for a year."""
    G = STRINGS[lang]["growth"]
    i = RECOMMENDED_INDEX
    rows = []
    rated = plan.periods[0].report.workload.requests_per_second is not None
    for p in plan.periods:
        w = p.report.workload
        cells = [p.label] + [fmt_value(w.requests_per_second, lang)] * rated \
            + ["-" if rated and w.request_seconds is None else fmt_int(w.concurrency, lang)]
        for s, add in zip(p.report.scenarios, p.nodes_to_add):
            cells.append("-" if not s.sized else
                         f"{fmt_int(s.nodes_final, lang)} (+{fmt_int(add, lang)})")
        cells += [STRINGS[lang]["constraints"].get(p.report.scenarios[i].binding_constraint,
                                                   "-"),
                  fmt_money(p.capex_usd[i], p.report, lang, short=True),
                  fmt_money(p.report.cost.scenarios[i].rent_usd_per_year, p.report, lang,
                            short=True)]
        rows.append(cells)
    return [G["period"]] + [G["rate"]] * rated + [G["sessions"]] \
        + [scenario_name(k, lang) for k in SCENARIO_KEYS] + [G["bound"], G["capex"], G["rent"]], \
        rows


def growth_sentence(plan: GrowthPlan, lang: str) -> str:
    """What RECOMMENDED buys when, in one sentence."""
    G = STRINGS[lang]["growth"]
    i = RECOMMENDED_INDEX
    buys = [G["buy"].format(nodes=fmt_int(p.nodes_to_add[i], lang), period=p.label,
                            nodes_word=plural(p.nodes_to_add[i], G["node"]))
            for p in plan.periods if p.nodes_to_add[i]]
    if any(p.nodes_to_add[i] is None for p in plan.periods):
        return G["unsized"].format(scenario=scenario_name(RECOMMENDED_SCENARIO, lang))
    total = plan.capex_total_usd(i)
    return G["plan"].format(scenario=scenario_name(RECOMMENDED_SCENARIO, lang),
                            server=plan.periods[0].report.server.name,
                            buys=join_words(buys, lang) if buys else G["nothing"]) + \
        (" " + G["total"].format(capex=fmt_money(total, plan.periods[0].report, lang,
                                                 short=True)) if total is not None else "")


def mermaid_growth_chart(plan: GrowthPlan, lang: str) -> list[str]:
    """A Mermaid line chart of nodes per period, one line per scenario (MINIMUM, RECOMMENDED,
    IDEAL from bottom to top), whole nodes on the axis."""
    G = STRINGS[lang]["growth"]
    labels = ", ".join(f'"{p.label}"' for p in plan.periods)
    lines = [[s.nodes_final or 0 for s in p.report.scenarios] for p in plan.periods]
    top = max(max(row) for row in lines)
    chart = ["```mermaid", "xychart-beta", f'    title "{G["chart_title"]}"',
             f"    x-axis [{labels}]",
             f'    y-axis "{G["chart_axis"]}" 0 --> {whole_axis_top(top)}']
    for i in range(len(SCENARIOS)):
        chart.append(f"    line [{', '.join(str(row[i]) for row in lines)}]")
    return chart + ["```"]


def growth_chart_blocks(plan: GrowthPlan, lang: str) -> list[Any]:
    """The executive growth plan's chart of nodes per period and how to read it; a scenario
    not sized in a period is drawn at 0 and said so, and no chart when none is sized at all
    (as the single plan's executive report does)."""
    G = STRINGS[lang]["growth"]
    sized = [s.sized for p in plan.periods for s in p.report.scenarios]
    if not any(sized):
        return [Paragraph(G["chart_none"])]
    return [Chart(tuple(mermaid_growth_chart(plan, lang))),
            Paragraph(G["chart_note"] + ("" if all(sized) else " " + G["chart_zero"]))]


def growth_document(plan: GrowthPlan, lang: str, executive: bool = False) -> Document:
    first = plan.periods[0].report
    lang = unit_lang(first.server, lang)
    G = STRINGS[lang]["growth"]
    headers, rows = growth_rows(plan, lang)
    blocks: list[Any] = [preamble(lang)]
    if plan.fleet is not None:
        blocks += fleet_blocks(plan.fleet, first, lang, executive)
        blocks.append(Paragraph(G["lasts"].format(values="; ".join(
            f"{scenario_name(k, lang)} {label or '-'}"
            for k, label in zip(SCENARIO_KEYS, plan.fleet_lasts_until)))))
    blocks += [Paragraph(G["what"].format(model=first.model.label, server=first.server.name,
                                          context=fmt_context(first.effective_context_tokens,
                                                              lang))),
               Table(None, tuple(headers), tuple(map(tuple, rows))),
               Paragraph(growth_sentence(plan, lang))]
    fit = first.benchmark_fit
    if fit is not None and first.performance is not None:
        blocks.append(Paragraph(G["benchmark"].format(
            source=fit.source, runs=fmt_int(len(fit.rows), lang),
            tpot=fmt_pct(first.performance.expected_error[0], lang),
            ttft=fmt_pct(first.performance.expected_error[1], lang)), escape=True))
    if executive:
        blocks += growth_chart_blocks(plan, lang)
    blocks.append(Paragraph(G["note"]))
    return Document(G["title"].upper(), G["title"], tuple(blocks))


def growth_to_dict(plan: GrowthPlan, lang: str = "en") -> dict[str, Any]:
    """The growth document: per period its nodes per scenario, the nodes to add and their
    capex, and the period's full result."""
    periods = []
    for p in plan.periods:
        scenarios = {}
        for i, s in enumerate(p.report.scenarios):
            scenarios[s.policy.key] = {"nodes_final": s.nodes_final, "gpus_final": s.gpus_final,
                                       "nodes_to_add": p.nodes_to_add[i],
                                       "capex_usd": None if p.capex_usd[i] is None
                                       else round(p.capex_usd[i], 2),
                                       "sessions_per_node": s.sessions_per_node,
                                       "binding_constraint": s.binding_constraint}
        periods.append({"period": p.label, "concurrency": p.report.workload.concurrency,
                        "scenarios": scenarios, "result": report_to_dict(p.report, lang)})
    fleet = None
    if plan.fleet is not None:
        fleet = {**fleet_to_dict(plan.fleet),
                 "lasts_until": dict(zip(SCENARIO_KEYS, plan.fleet_lasts_until))}
    totals = (plan.capex_total_usd(i) for i in range(len(SCENARIO_KEYS)))
    return {**document_head(), "current_nodes": plan.current_nodes, "current_fleet": fleet,
            "capex_total_usd": {key: None if total is None else round(total, 2)
                                for key, total in zip(SCENARIO_KEYS, totals)},
            "growth": periods}


def growth_csv(plan: GrowthPlan) -> str:
    """One row per period: per scenario its nodes, the nodes to add and their capex."""
    header = ["period", "concurrency"] + [f"{name}_{key}" for key in SCENARIO_KEYS
                                          for name in ("nodes_final", "nodes_to_add",
                                                       "capex_usd")]
    rows = [[p.label, p.report.workload.concurrency]
            + [value for i, s in enumerate(p.report.scenarios)
               for value in (s.nodes_final, p.nodes_to_add[i],
                             None if p.capex_usd[i] is None else round(p.capex_usd[i], 2))]
            for p in plan.periods]
    return _csv([header] + rows)


def diff_rows(diff: PlanDiff, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    """The changed inputs (path, old, new) and results (where, what, old, new, delta)."""
    D = STRINGS[lang]["diff"]
    value = lambda v: "-" if v is None else fmt_value(v, lang)  # noqa: E731
    inputs = [[c.where, value(c.old), value(c.new)] for c in diff.inputs]
    results = [[scenario_name(c.where, lang) if c.where in SCENARIO_KEYS else D[c.where],
                c.field, value(c.old), value(c.new),
                "" if c.delta is None else ("+" if c.delta > 0 else "") + fmt_value(c.delta, lang)]
               for c in diff.results]
    return inputs, results


def diff_document(diff: PlanDiff, lang: str) -> Document:
    D = STRINGS[lang]["diff"]
    inputs, results = diff_rows(diff, lang)
    blocks: list[Any] = [preamble(lang),
                         Paragraph(D["what"].format(old=diff.old, new=diff.new), escape=True)]
    if not inputs and not results:
        blocks.append(Paragraph(D["same"]))
    if inputs:
        blocks.append(Table(D["inputs"], tuple(D["input_headers"]), tuple(map(tuple, inputs))))
    if results:
        blocks.append(Table(D["results"], tuple(D["result_headers"]),
                            tuple(map(tuple, results))))
    elif inputs:
        blocks.append(Paragraph(D["no_result"]))
    return Document(D["title"].upper(), D["title"], tuple(blocks))


def diff_to_dict(diff: PlanDiff) -> dict[str, Any]:
    return {**document_head(),
            "diff": {"old": diff.old, "new": diff.new,
                     "changed": bool(diff.inputs or diff.results),
                     "inputs": [{"path": c.where, "old": c.old, "new": c.new}
                                for c in diff.inputs],
                     "results": [{"where": c.where, "field": c.field, "old": c.old,
                                  "new": c.new, "delta": c.delta} for c in diff.results]}}


def diff_csv(diff: PlanDiff) -> str:
    return _csv([["kind", "where", "field", "old", "new", "delta"]]
                + [["input", c.where, "", c.old, c.new, c.delta] for c in diff.inputs]
                + [["result", c.where, c.field, c.old, c.new, c.delta] for c in diff.results])


# ---------------------------------------------------------------------------- JSON


def _record_dict(item: Any) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in item._asdict().items()}


def engine_to_dict(report: SizingReport, lang: str) -> dict[str, Any]:
    """The engine's settings, per-GPU and per-node figures, and the pooled comparison."""
    e, c, st = report.engine, report.comparison, report.settings
    gib4 = lambda b: round(b / BYTES_PER_GIB, 4)  # noqa: E731
    read = lambda name: getattr(st, name) if engine_reads(st.engine, name) else None  # noqa: E731
    return {
        "memory_model": st.memory_model,
        "settings": {
            "engine": st.engine, "tensor_parallel": e.tensor_parallel,
            "tensor_parallel_chosen": e.tensor_parallel_chosen,
            "budget_share": round(e.budget_share, 6), "block_size": e.block_size,
            **{name: read(name) for name in ("max_num_batched_tokens", "max_num_seqs",
                                             "flashinfer_sampler")},
            "max_running_requests": st.max_running_requests,
            **{name: read(name) for name in ("chunked_prefill_size", *SGLANG_POOL_RATIOS)},
            "radix_cache": st.radix_cache if engine_reads(st.engine, "disable_radix_cache")
            else None,
            "capacity_scheduler_policy": read("capacity_scheduler_policy"),
            "weight_precision": e.weight_precision,
            "gpu_memory_from": e.gpu_memory_from,
            "activation_estimated": e.activation_estimated,
            "runtime_reserve_estimated": e.reserve_estimated,
            "kv_cache_memory_given": e.kv_memory_given,
            "data_parallel": st.data_parallel, "expert_parallel": st.expert_parallel,
            "data_parallel_attention": st.data_parallel > 1,
            "speculative_draft_layers": st.draft_layers,
            "speculative_draft_params": st.draft_params or None,
            "max_nodes_per_replica": st.max_nodes_per_replica,
        },
        "per_gpu": {
            "gpu_memory_bytes": e.gpu_memory_bytes, "gpu_memory_gib": gib4(e.gpu_memory_bytes),
            "weights_bytes": e.weights_per_gpu_bytes, "weights_gib": gib4(e.weights_per_gpu_bytes),
            "weights_measured": e.weights_measured,
            "weights_expert_bytes": e.weights_expert_per_gpu_bytes,
            "weights_spread_bytes": e.weights_spread_per_gpu_bytes,
            "weights_draft_bytes": e.weights_draft_per_gpu_bytes,
            **({"activation_bytes": e.activation_bytes, "activation_gib":
                gib4(e.activation_bytes)} if e.activation_subtracted else
               {"activation_bytes": None, "activation_gib": None}),
            "runtime_reserve_bytes": e.reserve_bytes, "runtime_reserve_gib": gib4(e.reserve_bytes),
            "all_to_all_buffer_bytes": e.all_to_all_buffer_bytes,
            "kv_memory_rule": e.budget_rule,
            "kv_memory_bytes": e.kv_memory_bytes, "kv_memory_gib": gib4(e.kv_memory_bytes),
            "kv_heads": dict(e.kv_heads_per_gpu), "kv_heads_replicated": e.kv_heads_replicated,
            "kv_bytes_per_token": e.bytes_per_token_per_gpu,
            "kv_num_blocks": e.num_blocks, "kv_block_groups": e.kv_block_groups,
            "kv_capacity_tokens": e.kv_capacity_tokens, "kv_pool_bytes": e.kv_pool_bytes,
            "request_bytes": e.request_bytes_per_gpu, "state_bytes": e.state_bytes_per_gpu,
            "window_rule": e.window_rule, "state_slots": e.state_slots,
            "max_concurrency": round(e.max_concurrency, 4),
        },
        "per_replica": {
            "gpus": e.tensor_parallel, "nodes": e.nodes_per_replica,
            "expert_group_nodes": e.group_nodes, "sessions": e.sessions_per_replica,
            "kv_sessions": e.kv_sessions_per_replica, "running_limit": e.running_limit,
            "running_limit_setting": e.running_limit_setting,
        },
        "per_node": {
            "replicas": e.replicas_per_node, "sessions": e.sessions_per_node,
            "weights_activation_reserve_bytes": c.engine_loaded_bytes,
            "kv_pool_bytes": c.engine_kv_bytes, "outside_kv_bytes": c.engine_unused_bytes,
        },
        "comparison": {
            "pooled_sessions_per_node": c.pooled_sessions_per_node,
            "engine_sessions_per_node": c.engine_sessions_per_node,
            "gap_ratio": c.gap_ratio,
            "pooled_overhead_bytes": c.pooled_overhead_bytes,
            "pooled_kv_budget_bytes": c.pooled_kv_bytes,
            "pooled_outside_kv_bytes": c.pooled_unused_bytes,
            "pooled_session_bytes": c.pooled_session_bytes,
            "engine_session_bytes": c.engine_session_bytes,
            "explanation": comparison_text(report, lang),
        },
        "launch": None if report.launch is None else launch_to_dict(report.launch),
    }


def launch_to_dict(launch: Launch) -> dict[str, Any]:
    return {"command": launch.command, "argv": list(launch.argv),
            "env": dict(launch.env) or None, "llm_api_options": dict(launch.options) or None,
            "checkpoint_precision": launch.checkpoint,
            "kv_precision_without_flag": launch.kv_unflagged}


def _point_dict(p: PerfPoint) -> dict[str, Any]:
    return p._asdict()


def performance_to_dict(report: SizingReport) -> dict[str, Any] | None:
    """The performance model's layout, curve, operating point and targets (None when the
    server has no performance figures)."""
    p = report.performance
    if p is None:
        return None
    fit = report.benchmark_fit
    return {
        "layout": {"tensor_parallel": p.tensor_parallel, "expert_parallel": p.expert_parallel,
                   "gpus_per_replica": p.gpus_per_replica,
                   "replicas_per_node": p.replicas_per_node,
                   "nodes_per_replica": p.nodes_per_replica, "data_parallel": p.data_parallel,
                   "expert_group_nodes": p.expert_group_nodes},
        "runner_up": dict(p.runner_up) or None,
        "workload": {"input_tokens": p.input_tokens, "output_tokens": p.output_tokens,
                     "history_tokens": p.history_tokens, "split_defaulted": p.split_defaulted},
        # layer_overhead_s, a constant of schema 1.0, is now this model's kernels x the cost
        # per kernel
        "constants": {**p.constants._asdict(), "layer_overhead_s": p.layer_overhead_s},
        "kernels_per_layer": p.kernels_per_layer,
        "allreduce_latency_us": p.allreduce_latency_us,
        "kv_capacity_sessions_per_replica": p.kv_capacity_sessions,
        "kv_pool_sessions_per_replica": p.kv_pool_sessions,
        "running_limit_sessions_per_replica": p.running_limit,
        "running_limit_setting": p.running_limit_setting,
        "mean_context_tokens": p.mean_context_tokens,
        "held_context_tokens": p.held_context_tokens,
        "prefill_chunk_tokens": p.chunk_tokens,
        "prefill_limit_sessions_per_replica": p.prefill_limit_sessions,
        "operating_point": {**_point_dict(p.operating_point),
                            "ttft_ms_benchmark": p.ttft_ms_benchmark,
                            "ttft_ms_live": p.ttft_ms_live},
        "targets": {"tpot_ms": p.tpot_target_ms, "ttft_ms": p.ttft_target_ms,
                    "ttft_basis": p.ttft_basis,
                    "max_sessions_per_replica_within_targets": p.max_sessions_within_targets,
                    "max_sessions_per_node_within_targets":
                        None if p.max_sessions_within_targets is None
                        else p.per_node(p.max_sessions_within_targets),
                    "binding": p.binding_target, "stopped_by": p.stopped_by},
        "curve": [_point_dict(x) for x in p.curve],
        "error_band_ratio": dict(ERROR_BAND),
        "error_band_engine": dict(zip(("engine", "tpot_median", "ttft_median", "runs"),
                                      (report.engine.engine,
                                       *ENGINE_ERROR_BAND[report.engine.engine]))),
        "error_band_expected": dict(zip(("tpot_median", "ttft_median", "basis"),
                                        p.expected_error)),
        "measured_range": {"sessions_per_replica": MEASURED_SESSIONS_PER_REPLICA,
                           "context_tokens": MEASURED_CONTEXT_TOKENS,
                           "published_context_tokens": PUBLISHED_CONTEXT_TOKENS,
                           "servers": list(MEASURED_SERVERS),
                           "layer_kinds": list(MEASURED_LAYER_KINDS),
                           "step_checks": [c._asdict() for c in STEP_CHECKS],
                           "run_checks": [c._asdict() for c in RUN_CHECKS]},
        **({} if fit is None else {"benchmark_fit": {
            "source": fit.source, "held": list(fit.held),
            "rows": [{"layout": layout_label(*timed), "concurrency": r.concurrency,
                      "input_tokens": r.input_tokens,
                      "output_tokens": r.output_tokens, "tpot_ms": r.tpot_ms,
                      "tpot_ms_predicted": after_tpot, "tpot_ms_default": before_tpot,
                      "ttft_ms": r.ttft_ms, "ttft_ms_predicted": after_ttft,
                      "ttft_ms_default": before_ttft}
                     for (r, before_tpot, after_tpot, before_ttft, after_ttft), timed
                     in zip(fit.rows, fit.layouts)]}}),
    }


def cost_to_dict(report: SizingReport) -> dict[str, Any]:
    """The cost inputs, where each came from, and the notes behind them."""
    c = report.cost
    notes = dict(c.notes)
    return {
        "inputs": dict(c.inputs), "inputs_from": dict(c.inputs_from),
        "price_date": notes["price_date"], "price_source": notes["price_source"],
        "power_source": notes["power_source"],
        "rental_date": notes["rental_date"], "rental_source": notes["rental_source"],
        "output_tokens_per_second": c.output_tokens_per_second,
        "currency": None if notes["currency"] is None else
        {"code": notes["currency"], "usd_rate": notes["usd_rate"]},
    }


def scenario_cost_dict(report: SizingReport, index: int) -> dict[str, Any]:
    """One scenario's money, power and space in USD, and converted when --currency asks."""
    cost = report.cost.scenarios[index]
    out: dict[str, Any] = dict(cost._asdict())
    code, rate = money_unit(report)
    if code != "USD":
        out["converted"] = {"currency": code, **{
            key[:-4] if key.endswith("_usd") else key.replace("usd_", ""):
            None if value is None else round(value * rate, 4)
            for key, value in cost._asdict().items() if "usd" in key}}
    return out


def calibration_to_dict(cal: Calibration) -> dict[str, Any]:
    return {
        "source": cal.source, "engine": cal.engine,
        "settings": {name: {"value": value, "from_log": logged}
                     for name, value, logged in cal.settings},
        "rows": [{"item": r.item, "unit": r.unit, "logged": r.logged, "predicted": r.predicted,
                  "diff_ratio": r.diff_ratio} for r in cal.rows],
        "backsolved": dict(cal.backsolved),
        "suggested_flags": cal.suggested_flags,
    }


def _alerts_to_list(report: SizingReport, lang: str) -> list[dict[str, Any]]:
    alerts = []
    for a in report.alerts:
        message, action = alert_text(a, lang)
        alerts.append({"severity": a.severity, "code": a.code, "scenario": a.scenario,
                       "message": message, "recommendation": action,
                       "values": dict(a.params)})
    return alerts


def _scenarios_to_dict(report: SizingReport, lang: str,
                       alerts: list[dict[str, Any]]) -> dict[str, Any]:
    scenarios = {}
    for s in report.scenarios:
        scenarios[s.policy.key] = {
            "name": s.policy.name,
            "configuration": {
                "peak_headroom_ratio": s.config.peak_headroom_ratio,
                "ha_mode": s.config.ha_mode,
                "kv_budget_ratio": s.config.kv_budget_ratio,
                "risk": s.policy.risk,
                "typical_sla": s.policy.typical_sla,
            },
            "results": scenario_result_values(report, s),
            "rationale": {r.key: {"formula": r.formula, "inputs": dict(r.inputs),
                                  "explanation": explanation(report, s, r.key, lang)}
                          for r in scenario_rationale(report, s)},
            "warnings": [x for x in alerts if x["scenario"] == s.policy.key],
            "cost": scenario_cost_dict(report, report.scenarios.index(s)),
        }
    return scenarios


def _inputs_to_dict(report: SizingReport) -> dict[str, Any]:
    w = report.workload
    return {
        "model": {**_record_dict(report.model),
                  "layer_groups": [layer_group_entry(g) for g in report.model.layer_groups]},
        "server": {**_record_dict(report.server),
                   "total_hbm_gib": round(gib(report.hbm_total_bytes), 4)},
        "storage": _record_dict(report.storage),
        "nfr": {
            "concurrency": w.concurrency,
            "requests_per_second": w.requests_per_second,
            "request_seconds": w.request_seconds,
            "effective_context_tokens_requested": w.effective_context_tokens,
            "effective_context_tokens": report.effective_context_tokens,
            "context_clamped": report.context_clamped,
            "context_limit_tokens": report.context.limit,
            "rope_scaling": report.settings.rope_scaling,
            "kv_precision": w.kv_precision,
            "kv_bytes_per_element": report.kv.bytes_per_element,
            "kv_budget_ratio": w.kv_budget_ratio,
            "runtime_overhead_gib": w.runtime_overhead_gib,
            "peak_headroom_ratio": w.peak_headroom_ratio,
            "ha_mode": w.ha_mode,
            "input_tokens": w.input_tokens,
            "output_tokens": w.output_tokens,
            "tpot_ms": w.tpot_ms,
            "ttft_ms": w.ttft_ms,
        },
    }


def _kv_cache_to_dict(report: SizingReport) -> dict[str, Any]:
    kv = report.kv
    return {
        "bytes_per_token_per_layer": kv.bytes_per_token_per_layer,
        "full_attention_layers": kv.full_layers,
        "full_layer_tokens": kv.context_tokens,
        "sliding_attention_layers": kv.sliding_layers,
        "sliding_layer_tokens": kv.sliding_layer_tokens,
        "kv_per_session_bytes": kv.per_session_bytes,
        "layer_groups": [
            {"group": label, "kind": use.group.kind, "layers": use.group.layers,
             "dims": dict(use.group.dims), "state_precision": use.group.state_precision,
             "rule": use.group.spec.rule, "bytes_per_token": use.bytes_per_token,
             "tokens_kept": use.tokens, "state_bytes": use.state_bytes,
             "bytes_per_session": use.bytes_per_session, "share_ratio": round(share, 6)}
            for (label, use), share in zip(kv_group_labels(kv), kv.shares)],
    }


def report_to_dict(report: SizingReport, lang: str = "en") -> dict[str, Any]:
    """Return the JSON document: the same numbers as the text report, in a stable key order.

    Keys and enum values are English whatever `lang`; messages and explanations follow it.
    """
    lang = unit_lang(report.server, lang)
    S = STRINGS[lang]
    alerts = _alerts_to_list(report, lang)
    checks = report.storage_checks
    return {
        **document_head(),
        "inputs": _inputs_to_dict(report),
        "parameter_dictionary": {
            name: {"description": d, "source": src, "importance": why, "common_errors": err}
            for name, (d, src, why, err) in S["parameters"].items()},
        "kv_cache": _kv_cache_to_dict(report),
        "storage_checks": {
            "weights_bytes": checks.weights_bytes,
            "weights_gb": round(checks.weights_bytes / BYTES_PER_GB, 3),
            "weights_precision": checks.weights_precision,
            "cold_start_seconds": round(checks.cold_start_seconds, 3),
            "cold_start_limit_seconds": COLD_START_MAX_SECONDS,
            "kv_restore_seconds": round(checks.kv_restore_seconds, 4),
            "kv_restore_limit_seconds": KV_RESTORE_MAX_SECONDS,
        },
        "scenarios": _scenarios_to_dict(report, lang, alerts),
        "alerts": alerts,
        "engine": engine_to_dict(report, lang),
        **({} if report.calibration is None else
           {"calibration": calibration_to_dict(report.calibration)}),
        "performance": performance_to_dict(report),
        "cost": cost_to_dict(report),
        **({} if report.fleet is None else {"current_fleet": fleet_to_dict(report.fleet)}),
    }


def comparison_to_dict(comparison: Comparison, lang: str = "en") -> dict[str, Any]:
    """The comparison document: one full result per server, best first."""
    return {**document_head(),
            "ranking": [r.server.name for r in comparison.reports],
            "left_out": [{"server": name, "reason": why} for name, why in comparison.left_out],
            "comparison": [report_to_dict(r, lang) for r in comparison.reports]}


CSV_SCENARIO_COLUMNS = ("nodes_final", "gpus_final", "sessions_per_node", "nodes_capacity",
                        "nodes_with_headroom", "ha_extra_nodes", "nodes_memory",
                        "nodes_memory_engine", "nodes_latency", "binding_constraint",
                        "kv_per_session_bytes", "kv_budget_per_node_gib")
CSV_COST_COLUMNS = ("capex_usd", "opex_usd_per_year", "tco_usd", "usd_per_session_month",
                    "usd_per_million_output_tokens", "rent_usd", "facility_power_kw",
                    "rack_units", "energy_mwh_per_year")


def _csv(rows: list[list[Any]]) -> str:
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue()


def _csv_row(report: SizingReport, index: int) -> list[Any]:
    """One scenario's JSON numbers (the same values as render_json), in the columns' order;
    the speed columns blank where the scenario holds no session (served_point)."""
    s = report.scenarios[index]
    values = scenario_result_values(report, s)
    cost = report.cost.scenarios[index]
    point = served_point(report, s)
    return ([report.server.name, report.server.unit, s.policy.key]
            + [values[c] for c in CSV_SCENARIO_COLUMNS]
            + [getattr(cost, c) for c in CSV_COST_COLUMNS]
            + [None if point is None else point.tpot_ms,
               None if point is None else point.output_tokens_per_second_per_session]
            + [values[c] for c in CSV_UNIT_COLUMNS]
            + [report.workload.concurrency, report.workload.requests_per_second])


# Last, so the columns before them keep their places: the nodes one replica spans (1 within a
# node) and the sessions it holds, which sessions_per_node rounds down when it spans nodes;
# then the sessions sized and the request rate they came from (--requests-per-second).
CSV_UNIT_COLUMNS = ("nodes_per_unit", "sessions_per_unit")
CSV_HEADER = (["server", "unit", "scenario", *CSV_SCENARIO_COLUMNS, *CSV_COST_COLUMNS,
               "tpot_ms", "output_tokens_per_second_per_session", *CSV_UNIT_COLUMNS,
               "concurrency", "requests_per_second"])


def render_csv(report: SizingReport) -> str:
    """One row per scenario: the JSON's numbers, with units in the column names."""
    return _csv([CSV_HEADER] + [_csv_row(report, i) for i in range(len(report.scenarios))])


def render_comparison_csv(comparison: Comparison) -> str:
    """One row per server, best first: its RECOMMENDED scenario, as render_csv prints it,
    with MINIMUM's and IDEAL's nodes beside; then one row per server left out, its name and
    why (the JSON's left_out), the numbers empty."""
    i = RECOMMENDED_INDEX
    header = CSV_HEADER + ["nodes_final_minimum", "nodes_final_ideal", "left_out_reason"]
    sized = [_csv_row(r, i) + [r.scenarios[0].nodes_final, r.scenarios[-1].nodes_final, None]
             for r in comparison.reports]
    left_out = [[name] + [None] * (len(header) - 2) + [why]
                for name, why in comparison.left_out]
    return _csv([header] + sized + left_out)


def json_text(document: Any) -> str:
    """A JSON document as every output of the tool writes it: indented, UTF-8 as is, no NaN."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def render_json(report: SizingReport, lang: str = "en") -> str:
    """The JSON document of a report; memoised, as render_text is."""
    return json_text(report_to_dict(report, lang))


def render_list(catalogs: Catalogs, what: str, lang: str = "en") -> str:
    """List the names, aliases and one-line descriptions of one catalog, within 100
    columns: the description wraps in its column, or goes below when the others are wide."""
    H = STRINGS[lang]["list_headers"]
    entries = {"models": catalogs.models, "servers": catalogs.servers,
               "storage": catalogs.storage}[what]
    rows = []
    for e in entries:
        name = e.name + (f" ({H['default']})" if e.name == catalogs.default_storage else "")
        rows.append([name, ", ".join(e.aliases) or "-", e.description])
    head = render_table([H["name"], H["aliases"]], [r[:2] for r in rows], width=TEXT_WIDTH)
    left = max(len(line) for line in head) + 2
    if left > 60:                 # no room beside: each description under its entry
        out = head[:2]
        # an entry's aliases may wrap: its lines run until the next name (never blank)
        starts = [i for i, line in enumerate(head) if i > 1 and not line.startswith(" ")]
        for start, end, row in zip(starts, starts[1:] + [len(head)], rows):
            out += head[start:end] + _wrap(row[2], "    ")
        return "\n".join([H[what]] + out) + "\n"
    out = [head[0].ljust(left) + H["description"],
           head[1].ljust(left) + "-" * len(H["description"])]
    for line, row in zip(head[2:], rows):
        wrapped = _wrap(row[2], "", hang=0, width=TEXT_WIDTH - left)
        out += [line.ljust(left) + wrapped[0]] + [" " * left + w for w in wrapped[1:]]
    return "\n".join([H[what]] + out) + "\n"

# ======================================================== command line
# Owns: flags and their parsing, the one check of flags that contradict each other, the modes
# (size, list, validate, import), output files and streams, and the one place that turns an
# exception into a message and an exit status. Calls every section above and the side paths
# below; nothing else calls it.


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors go through main's error funnel (exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see --help)")


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {shown(text)})") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {shown(text)})")
    return value


def concurrency_count(text: str) -> int:
    """Parse a number of simultaneous sessions: 1 to 10**9; k means 1,000 and m 1,000,000
    here (people, not tokens: a context's k is 1,024).

    >>> concurrency_count("1000"), concurrency_count("5k"), concurrency_count("1.5K")
    (1000, 5000, 1500)
    """
    cleaned = text.strip().lower().replace("_", "")
    scale = {"k": 10**3, "m": 10**6}.get(cleaned[-1:], 1)
    digits = cleaned[:-1] if scale > 1 else cleaned
    value = None
    if digits.isascii() and digits.replace(".", "", 1).isdigit() and len(digits) <= 12:
        exact_value = Fraction(digits) * scale
        value = int(exact_value) if exact_value.denominator == 1 else None
    if value is None or not 0 < value <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(
            f"must be a positive whole number of sessions up to {MAX_CONCURRENCY:,}, such as "
            f"1000 or 5k (got {shown(text)})")
    return value


def concurrency_list(text: str) -> tuple[int, ...]:
    """Parse one concurrency, or a comma-separated list of them (a growth plan).

    >>> concurrency_list("1000"), concurrency_list("1k, 2.5k,5000")
    ((1000,), (1000, 2500, 5000))
    """
    if any(part.strip().startswith("0") for part in text.split(",")[1:]):
        raise argparse.ArgumentTypeError(
            f"a comma separates the periods of a growth plan: write one thousand as 1000 or 1k "
            f"(got {shown(text)})")
    return period_values(text, concurrency_count)


def period_values(text: str, parse: Callable[[str], Any]) -> tuple[Any, ...]:
    """Parse one value, or a comma-separated list of them, one per period (at most
    MAX_PERIODS)."""
    parts = text.split(",")
    if len(parts) > MAX_PERIODS:
        raise argparse.ArgumentTypeError(f"takes at most {MAX_PERIODS} values (got {len(parts)})")
    return tuple(parse(part) for part in parts)


def rate_list(text: str) -> tuple[float, ...]:
    """Parse one request rate, or a comma-separated list of them (a growth plan).

    >>> rate_list("12.5"), rate_list("10, 20,40")
    ((12.5,), (10.0, 20.0, 40.0))
    """
    return period_values(text, lambda part: positive_ms(part.strip()))


def period_labels(text: str) -> tuple[str, ...]:
    """Parse comma-separated period labels: printable, not empty, at most 24 characters.

    >>> period_labels("2027-Q1, 2027-Q2")
    ('2027-Q1', '2027-Q2')
    """
    labels = tuple(part.strip() for part in text.split(","))
    for label in labels:
        if not label or len(label) > 24 or not label.isprintable() or '"' in label:
            raise argparse.ArgumentTypeError(
                f"labels are 1 to 24 printable characters without quotes (got {shown(label)})")
    if len(set(labels)) < len(labels):
        raise argparse.ArgumentTypeError(f"labels repeat (got {shown(text)})")
    return labels


def context_tokens(text: str) -> int:
    """Parse a token count: 131072, 128k (x1024) or 1m (x1048576).

    >>> context_tokens("128k"), context_tokens("131072"), context_tokens("1M")
    (131072, 131072, 1048576)
    """
    cleaned = text.strip().lower()
    scale = {"k": TOKENS_PER_K, "m": TOKENS_PER_K**2}.get(cleaned[-1:], 1)
    digits = cleaned[:-1] if scale > 1 else cleaned
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12 or int(digits) <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive whole number of tokens such as 131072 or 128k (got {shown(text)})")
    if int(digits) * scale > MAX_CONTEXT_TOKENS:
        raise argparse.ArgumentTypeError(
            f"must be at most {MAX_CONTEXT_TOKENS:,} tokens (got {shown(text)})")
    return int(digits) * scale


def effective_context_flag(text: str) -> int:
    """Parse --effective-context: a token count (context_tokens) of at least
    MIN_CONTEXT_TOKENS, since the context holds the request's prompt and output."""
    tokens = context_tokens(text)
    if tokens < MIN_CONTEXT_TOKENS:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_CONTEXT_TOKENS} tokens, one prompt token and one generated "
            f"(got {shown(text)})")
    return tokens


def rope_flag(text: str) -> str:
    """Parse --rope-scaling TYPE:FACTOR (split_rope's rules)."""
    try:
        split_rope(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip().lower()


def unit_ratio(text: str) -> float:
    """Parse a ratio in (0, 1].

    >>> unit_ratio("0.7")
    0.7
    """
    value = _finite(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"must be greater than 0 and at most 1 (got {shown(text)})")
    return value


def headroom_ratio(text: str) -> float:
    """Parse a peak headroom ratio in [0, 10] (0.2 = 20% above nominal)."""
    value = _finite(text)
    if not 0 <= value <= MAX_HEADROOM_RATIO:
        raise argparse.ArgumentTypeError(
            f"must be between 0 and {MAX_HEADROOM_RATIO:g} (got {shown(text)})")
    return value


def positive_ms(text: str) -> float:
    """Parse a positive duration or rate, at most 10**9.

    >>> positive_ms("30")
    30.0
    """
    value = _finite(text)
    if not 0 < value <= MAX_CONCURRENCY:
        bound = "greater than 0" if value <= 0 else f"at most {MAX_CONCURRENCY:,}"
        raise argparse.ArgumentTypeError(f"must be {bound} (got {shown(text)})")
    return value


def in_range(low: float, high: float, low_inclusive: bool = False) -> Callable[[str], float]:
    """Return a parser of a number in (low, high] (or [low, high]); its bounds are written as
    the reports write numbers.

    >>> in_range(0, 1e9)("5e9")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be greater than 0 and at most 1,000,000,000 (got '5e9')
    """
    def parse(text: str) -> float:
        value = _finite(text)
        if not ((value >= low if low_inclusive else value > low) and value <= high):
            bound = "at least" if low_inclusive else "greater than"
            raise argparse.ArgumentTypeError(f"must be {bound} {fmt_value(low)} and at most "
                                             f"{fmt_value(high)} (got {shown(text)})")
        return value
    return parse


def usd_prices(text: str) -> float | tuple[tuple[str, float], ...]:
    """Parse a price in USD (k = 1,000), a node's or a GPU-hour's, or per server,
    NAME=USD[,NAME=USD...] (the names are checked against the catalog once it is read).

    >>> usd_prices("199k"), usd_prices("dgx-b300=450000, dgx-h200=300k")
    (199000.0, (('dgx-b300', 450000.0), ('dgx-h200', 300000.0)))
    """
    def usd(price: str) -> float:
        price = price.strip().lower()
        if price.endswith("k"):
            return in_range(0, 1e9)(str(_finite(price[:-1]) * 1000))
        return in_range(0, 1e9)(price)

    if "=" not in text:
        return usd(text)
    pairs = []
    for part in text.split(","):
        name, _, price = part.partition("=")
        if not name.strip() or not price.strip():
            raise argparse.ArgumentTypeError(f"{shown(part.strip())} is not NAME=USD")
        try:
            pairs.append((name.strip(), usd(price)))
        except argparse.ArgumentTypeError as problem:
            raise argparse.ArgumentTypeError(f"{name.strip()}: {problem}") from None
    return tuple(pairs)


def currency_code(text: str) -> str:
    """Parse an ISO 4217 currency code such as BRL."""
    if not (len(text) == 3 and text.isascii() and text.isalpha()):
        raise argparse.ArgumentTypeError(f"must be a three-letter currency code such as BRL "
                                         f"(got {shown(text)})")
    return text.upper()


def non_negative_gib(text: str) -> float:
    """Parse a size in GiB that may be 0."""
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {shown(text)})")
    return value


def gib_size(minimum_exclusive: bool, minimum: float = 0.0) -> Callable[[str], float]:
    """Return a parser of a per-GPU size in GiB, above `minimum` (or from it) and at most
    10**6."""
    def parse(text: str) -> float:
        value = _finite(text)
        low_ok = value > minimum if minimum_exclusive else value >= minimum
        if not low_ok or value > MAX_ENGINE_GIB:
            low = (f"at least {minimum:g}" if minimum else "greater than 0") \
                if minimum_exclusive or minimum else "0 or more"
            raise argparse.ArgumentTypeError(
                f"must be {low} and at most {MAX_ENGINE_GIB:,} GiB (got {shown(text)})")
        return value
    return parse


def whole_number(maximum: int) -> Callable[[str], int]:
    """Return a parser of a whole number from 1 to `maximum`.

    >>> whole_number(1024)("8")
    8
    """
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number (got {shown(text)})") from None
        if not 0 < value <= maximum:
            raise argparse.ArgumentTypeError(f"must be from 1 to {maximum:,} (got {shown(text)})")
        return value
    return parse


def _catalog_and_import_flags(parser: argparse.ArgumentParser) -> None:
    cat = parser.add_argument_group("catalogs (default: the files shipped beside sizing.py)")
    cat.add_argument("--models-file", metavar="PATH", help="models catalog")
    cat.add_argument("--servers-file", metavar="PATH", help="servers catalog")
    cat.add_argument("--storage-file", metavar="PATH", help="storage catalog")
    cat.add_argument("--list", choices=("models", "servers", "storage"),
                     help="list a catalog's names, aliases and descriptions, then exit")
    cat.add_argument("--validate-catalogs", action="store_true",
                     help="check every entry of the three catalogs, print one line per "
                          "problem, then exit (1 if any)")
    imp = parser.add_argument_group("import a model from its Hugging Face config.json")
    imp.add_argument("--import-hf-config", metavar="PATH",
                     help="print the models.json entry derived from a config.json (layer "
                          "kinds, KV sizes, parameter counts), then exit")
    imp.add_argument("--name", help="name of the imported entry (default: from the file "
                                    "name, e.g. org__Model.json -> model)")
    imp.add_argument("--add-to-catalog", action="store_true",
                     help="also add the entry to the models catalog (--models-file), written "
                          "whole or not at all")
    imp.add_argument("--replace", action="store_true",
                     help="with --add-to-catalog, overwrite an entry of the same name")


def _workload_and_policy_flags(parser: argparse.ArgumentParser) -> None:
    wl = parser.add_argument_group("workload")
    wl.add_argument("--model", help="model name or alias (see --list models); an org/name "
                    "alias serves that checkpoint, also named without its org")
    wl.add_argument("--server", help="server name or alias (see --list servers)")
    wl.add_argument("--storage", help="storage profile (default: the catalog's default_profile)")
    wl.add_argument("--concurrency", type=concurrency_list, metavar="N",
                    help="simultaneous sessions to serve: 1000, or 5k where k means 1,000; a "
                         "comma-separated list (one value per period) makes a growth plan")
    wl.add_argument("--requests-per-second", type=rate_list, metavar="R",
                    help="requests arriving per second, instead of --concurrency: the sessions "
                         "are R x the seconds a request takes at the plan's speed (Little's "
                         "law); give --tpot-ms too, or the plan packs sessions until memory "
                         "binds and each request is slow; a comma-separated list (one value "
                         "per period) makes a growth plan")
    wl.add_argument("--effective-context", type=effective_context_flag, metavar="TOKENS",
                    help="tokens each session keeps (at least 2): 131072, or 128k where k "
                         "means 1024 (m means 1024*1024); default with --input-tokens and "
                         "--output-tokens: their sum")
    wl.add_argument("--rope-scaling", type=rope_flag, metavar="TYPE:FACTOR",
                    help="the engine extends the model's context with this RoPE scaling "
                         "(yarn:4 for Qwen3's 131,072): contexts up to the scaled length "
                         "are served")
    wl.add_argument("--allow-context-beyond-model", action="store_true",
                    help="size a context longer than the model serves (an alert says so) "
                         "instead of refusing it; with --solve max-context, solve past it")
    wl.add_argument("--kv-precision", choices=tuple(KV_BYTES_PER_ELEMENT), type=str.lower,
                    help="KV cache element type (default: the model's default_kv_precision)")
    wl.add_argument("--input-tokens", type=context_tokens, metavar="TOKENS",
                    help=f"new prompt tokens per request; the rest of the effective context is "
                         f"cached from earlier turns (default: {DEFAULT_INPUT_TOKENS}, at most "
                         f"what the output leaves)")
    wl.add_argument("--output-tokens", type=context_tokens, metavar="TOKENS",
                    help=f"generated tokens per request (default: {DEFAULT_OUTPUT_TOKENS}, at "
                         f"most half the effective context)")
    lat = parser.add_argument_group("latency targets (steady-state means per session)")
    lat.add_argument("--tpot-ms", type=positive_ms, metavar="MS",
                     help="mean time per output token, in ms")
    lat.add_argument("--ttft-ms", type=positive_ms, metavar="MS",
                     help="mean time to first token, in ms, as --ttft-basis says")
    lat.add_argument("--ttft-basis", choices=TTFT_BASES, default=TTFT_BASES[0],
                     help="what a first token's time means, in the target and the report: "
                          "a benchmark's mean over 10 x concurrency requests, its opening "
                          "burst of every session's first prompt included (benchmark, as the "
                          "fitted runs measured it; default), or live traffic without that "
                          "burst (live: not measured)")
    lat.add_argument("--output-tokens-per-second", type=positive_ms, metavar="N",
                     help="tokens per second each session must get: --tpot-ms 1000/N")
    pol = parser.add_argument_group("policy")
    pol.add_argument("--kv-budget-ratio", type=unit_ratio, default=DEFAULT_KV_BUDGET_RATIO,
                     metavar="R", help="share of HBM after overhead given to KV, in (0, 1] "
                                       "(default: %(default)s)")
    pol.add_argument("--runtime-overhead-gib", type=non_negative_gib,
                     default=DEFAULT_RUNTIME_OVERHEAD_GIB, metavar="GIB",
                     help="HBM per node for weights, activations and runtime, in GiB "
                          "(default: %(default)s)")
    pol.add_argument("--peak-headroom-ratio", type=headroom_ratio,
                     default=DEFAULT_PEAK_HEADROOM_RATIO, metavar="R",
                     help="capacity above nominal concurrency for peaks, 0.2 = 20%% "
                          "(default: %(default)s)")
    pol.add_argument("--ha-mode", choices=tuple(HA_EXTRA_NODES), default=DEFAULT_HA_MODE,
                     help="spare nodes for failures (default: %(default)s)")


def _engine_batch_flags(eng: Any) -> None:
    """The engine's batch limits: tokens per step and requests run at once."""
    eng.add_argument("--max-num-batched-tokens", type=whole_number(2**24), metavar="TOKENS",
                     help=f"vLLM batch budget (TRT-LLM's max_num_tokens): sizes the "
                          f"activation peak and prefill chunks; sliding windows reserve "
                          f"window - 1 + this (default: vLLM's for the GPU, "
                          f"{DEFAULT_MAX_NUM_BATCHED_TOKENS} at {LARGE_GPU_MIN_GIB} GiB or more "
                          f"except A100, else {SMALL_GPU_MAX_NUM_BATCHED_TOKENS}; TRT-LLM "
                          f"{TRTLLM_MAX_NUM_TOKENS})")
    eng.add_argument("--max-num-seqs", type=whole_number(2**20), metavar="N",
                     help=f"vLLM's sequences per step: its profile run samples that many "
                          f"rows, and a replica runs at most that many sessions (default: "
                          f"vLLM's for the GPU, {DEFAULT_MAX_NUM_SEQS} at {LARGE_GPU_MIN_GIB} "
                          f"GiB or more except A100, else {SMALL_GPU_MAX_NUM_SEQS})")
    eng.add_argument("--flashinfer-sampler", action="store_true", default=None,
                     help=f"vLLM samples with FlashInfer's top-k / top-p kernels (its log says "
                          f"'Using FlashInfer for top-p & top-k sampling', as vLLM does when "
                          f"FlashInfer is installed): its profile run's sampler holds "
                          f"{ACTIVATION_SAMPLER_FLASHINFER_BYTES} bytes per logit, not the "
                          f"sort's {ACTIVATION_SAMPLER_BYTES}")
    low, high = SGLANG_RUNNING_REQUESTS
    eng.add_argument("--max-running-requests", type=whole_number(2**20), metavar="N",
                     help=f"SGLang: requests a replica runs at once, at most half its KV "
                          f"tokens; with data-parallel attention split evenly over the ranks "
                          f"(default: SGLang's, KV tokens x {SGLANG_RUNNING_PER_CONTEXT} / "
                          f"context length kept within {low}-{high})")
    eng.add_argument("--chunked-prefill-size", type=whole_number(2**24), metavar="N",
                     help="SGLang: prompt tokens one prefill step takes; its default "
                          "--mem-fraction-static sets 1.5 MiB per token of it aside (default: "
                          "SGLang's for the GPU, 2,048-16,384 by its memory)")
    eng.add_argument("--swa-full-tokens-ratio", type=unit_ratio, metavar="R",
                     help=f"SGLang: tokens of its sliding-window pool per token of its full "
                          f"pool, for the architectures it runs with both (default: "
                          f"{SGLANG_SWA_FULL_TOKENS_RATIO})")
    eng.add_argument("--mamba-full-memory-ratio", type=in_range(0, 100), metavar="R",
                     help=f"SGLang: memory of its recurrent-state pool per byte of its token "
                          f"pool (default: {SGLANG_MAMBA_FULL_MEMORY_RATIO})")
    eng.add_argument("--disable-radix-cache", action="store_true", default=None,
                     help=f"SGLang: run without its prefix (radix) cache, so that a model with "
                          f"recurrent states runs a request per state slot, not one per "
                          f"{SGLANG_STATE_SLOTS_PER_RUNNING_REQUEST}")
    eng.add_argument("--max-batch-size", type=whole_number(2**20), metavar="N",
                     help=f"TRT-LLM: requests a replica runs at once (default: "
                          f"{TRTLLM_MAX_BATCH_SIZE})")
    eng.add_argument("--capacity-scheduler-policy", choices=TRTLLM_CAPACITY_POLICIES,
                     type=str.lower,
                     help="TRT-LLM: guaranteed_no_evict (its default) reserves each request's "
                          "whole output when it admits it; max_utilization allocates as tokens "
                          "come, as vLLM does")


def _layout_flags(eng: Any) -> None:
    """The replica's layout: tensor, data and expert parallelism, and how far it spans."""
    eng.add_argument("--tensor-parallel", type=whole_number(MAX_TENSOR_PARALLEL), metavar="N",
                     help="GPUs per replica (default: the layout needing the fewest nodes); "
                          "above the GPUs of a node a replica spans nodes")
    eng.add_argument("--max-nodes-per-replica", type=whole_number(MAX_NODES_PER_REPLICA),
                     default=MAX_NODES_PER_REPLICA, metavar="N",
                     help="most nodes the layout search lets one replica (or one expert "
                          "group of data-parallel attention ranks) span (default: "
                          "%(default)s); 1 keeps every replica within a node, for nodes with "
                          "no fabric between them")
    eng.add_argument("--data-parallel", type=whole_number(MAX_DATA_PARALLEL), default=1,
                     metavar="N", help="attention replicas sharing one expert-parallel group "
                                       "(vLLM --data-parallel-size, SGLang --dp-size with "
                                       "--enable-dp-attention, TRT-LLM enable_attention_dp "
                                       "at --tensor-parallel 1; needs --expert-parallel); "
                                       "TP x N within a node, or whole nodes of a server "
                                       "whose catalog gives scaleout_gb_per_s")
    eng.add_argument("--expert-parallel", action="store_true",
                     help="split the routed experts whole over TP x DP ranks (vLLM "
                          "--enable-expert-parallel, SGLang --ep-size); MoE models only")
    eng.add_argument("--data-parallel-attention", action="store_true",
                     help="attention data-parallel over the node's GPUs (SGLang "
                          "--enable-dp-attention, vLLM --data-parallel-size with "
                          "--enable-expert-parallel, TRT-LLM enable_attention_dp): each GPU "
                          "keeps its own sessions' KV, experts split over the group; "
                          "--tensor-parallel 1 --data-parallel GPUs --expert-parallel")


def _engine_flags(parser: argparse.ArgumentParser) -> None:
    eng = parser.add_argument_group(
        "engine", "Per-GPU capacity as vLLM, SGLang or TRT-LLM allocate it: always\n"
                  "reported; with --memory-model both or engine it sizes the nodes too.")
    eng.add_argument("--memory-model", choices=MEMORY_MODELS, default="both",
                     help="both: the tighter of the two memory views sizes the nodes; pooled: "
                          "the methodology's node-wide budget only; engine: the engine's "
                          "per-GPU KV pool only (default: %(default)s)")
    eng.add_argument("--engine", choices=ENGINES, default="vllm",
                     help="engine whose memory rules apply (default: %(default)s); trtllm "
                     "runs on NVIDIA GPUs only")
    _layout_flags(eng)
    eng.add_argument("--speculative-draft-layers", type=whole_number(MAX_LAYERS), metavar="N",
                     help="cache layers a speculative draft adds to the KV pool (EAGLE: 1)")
    eng.add_argument("--speculative-draft-params", type=whole_number(MAX_DRAFT_PARAMS),
                     metavar="N", help="parameters of that draft's own checkpoint, loaded in "
                                       "16 bits beside the model (EAGLE3 for Llama-3.1-8B: "
                                       "424689664)")
    eng.add_argument("--speculative", choices=("mtp",),
                     help="mtp: the model's own multi-token-prediction layers draft "
                          "(the catalog's mtp_layers, from num_nextn_predict_layers or "
                          "mtp_num_hidden_layers; their cache and weights are counted)")
    eng.add_argument("--gpu-memory-utilization", type=unit_ratio, metavar="R",
                     help=f"vLLM: share of total GPU memory (default: "
                          f"{DEFAULT_GPU_MEMORY_UTILIZATION})")
    eng.add_argument("--mem-fraction-static", type=unit_ratio, metavar="R",
                     help="SGLang: share of total GPU memory for weights and KV (default: "
                          "SGLang's formula from GPU memory and TP)")
    eng.add_argument("--free-gpu-memory-fraction", type=unit_ratio, metavar="R",
                     help=f"TRT-LLM: share of the memory its profile run leaves free "
                          f"(default: {DEFAULT_FREE_GPU_MEMORY_FRACTION})")
    eng.add_argument("--activation-gib", type=gib_size(False), metavar="GIB",
                     help=f"vLLM and TRT-LLM: activation peak per GPU (default: the larger "
                          f"of max_num_seqs x "
                          f"vocabulary x {ACTIVATION_SAMPLER_BYTES} bytes and batched tokens x "
                          f"hidden x {ACTIVATION_FORWARD_BYTES} bytes (+ fused-MoE caches for a "
                          f"mixture of experts); TRT-LLM the second alone)")
    eng.add_argument("--runtime-reserve-gib", type=gib_size(False), metavar="GIB",
                     help=f"runtime memory per GPU: vLLM's non-torch memory (default "
                          f"{RESERVE_GIB_TP1} GiB at TP 1, {RESERVE_GIB_TP} above, plus DeepEP's "
                          f"buffers for an expert group over nodes); SGLang and TRT-LLM the "
                          f"CUDA context and start-up ({STARTUP_GIB_TP1}, {STARTUP_GIB_TP})")
    eng.add_argument("--kv-cache-memory-gib", type=gib_size(True), metavar="GIB",
                     help="take the KV memory per GPU as given (vLLM --kv-cache-memory)")
    eng.add_argument("--block-size", type=whole_number(2**16), metavar="TOKENS",
                     help="tokens per KV block (default: vLLM 16, SGLang 1, TRT-LLM 32)")
    _engine_batch_flags(eng)
    eng.add_argument("--weight-precision", choices=tuple(WEIGHT_BYTES_PER_PARAM), type=str.lower,
                     help="weights' precision (default: the model's weight_precision)")
    eng.add_argument("--calibrate-from-log", metavar="FILE",
                     help="read a vLLM, SGLang or TRT-LLM start-up log, compare what it "
                          "printed with the prediction for the same settings, and report the "
                          "overheads it implies")
    eng.add_argument("--bandwidth-efficiency", type=unit_ratio, metavar="R",
                     help="share of HBM bandwidth weight and KV reads reach (default: fitted, "
                          "README Performance)")
    eng.add_argument("--compute-efficiency", type=unit_ratio, metavar="R",
                     help="share of dense peak FLOPs GEMMs reach (default: fitted); "
                          "routed-expert GEMMs keep their fitted ratio to it")
    eng.add_argument("--calibrate-from-benchmark", metavar="FILE",
                     help="read measured runs of this model on this server (a CSV of "
                          "concurrency, input and output tokens, mean TTFT and TPOT in ms, or "
                          "the JSON vLLM's or SGLang's benchmark client saves, or a directory "
                          "of those), fit the performance model to them and size with the fit")
    eng.add_argument("--gpu-memory-gib", type=gib_size(False, 1.0), metavar="GIB",
                     help="one GPU's memory as CUDA reports it (default: the catalog's "
                          "gpu_memory_gib, else hbm_per_gpu_gb in GiB)")


def _output_flags(parser: argparse.ArgumentParser) -> None:
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("both", "text", "json", "csv"), default="both",
                     help="both: text report then the JSON document; json: only JSON; csv: "
                          "one row per scenario (per server for a comparison) for "
                          "spreadsheets (default: %(default)s)")
    out.add_argument("--output-json-file", metavar="PATH",
                     help="also write the JSON document to PATH (whole or not at all)")
    out.add_argument("--executive-report", action="store_true",
                     help="print the executive report (Markdown) instead of the technical "
                          "text report; with --format both the JSON still follows")
    out.add_argument("--output-markdown-file", metavar="PATH",
                     help="also write a Markdown report to PATH: the executive report with "
                          "--executive-report, else the full technical report")
    out.add_argument("--lang", choices=LANGUAGES, default="en",
                     help="language of the reports; JSON keys and enum values stay English "
                          "(default: %(default)s)")
    out.add_argument("--version", action="version", version=f"%(prog)s {__version__}")


def _planning_flags(parser: argparse.ArgumentParser) -> None:
    plan = parser.add_argument_group("planning")
    plan.add_argument("--solve", choices=SOLVE_TARGETS,
                      help="the largest concurrency (or effective context) --nodes N nodes hold "
                           "in each scenario, memory and latency targets both")
    plan.add_argument("--nodes", type=whole_number(MAX_CONCURRENCY), metavar="N",
                      help="nodes (racks for NVL72) to solve for, with --solve")
    plan.add_argument("--periods", type=period_labels, metavar="LABELS",
                      help="labels of a growth plan's periods, one per --concurrency value "
                           "(2027-Q1,2027-Q2,...; default P1, P2, ...)")
    plan.add_argument("--current-nodes", type=whole_number(MAX_CONCURRENCY), metavar="N",
                      help="nodes (racks for NVL72) in service today: which scenarios they "
                           "meet, sessions they hold, nodes to add")
    plan.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"),
                      help="compare two JSON documents this tool wrote (one server each): "
                           "the inputs and results that changed, then exit")


def _money_flags(parser: argparse.ArgumentParser) -> None:
    money = parser.add_argument_group("cost (README Cost; defaults are documented there)")
    money.add_argument("--node-price-usd", type=usd_prices, metavar="USD",
                       help="price of one node (rack for NVL72) in USD, or per server, "
                            "NAME=USD,NAME=USD (k = 1,000), to price a comparison with your "
                            "quotes (default: the catalog's dated price hint)")
    money.add_argument("--gpu-hour-usd", type=usd_prices, metavar="USD",
                       help="rent of one GPU for an hour in USD, or per server, "
                            "NAME=USD,NAME=USD, to compare owning with renting (default: the "
                            "catalog's dated rental hint)")
    money.add_argument("--years", type=in_range(0, 30), metavar="N",
                       help=f"amortisation horizon in years (default: {DEFAULT_YEARS})")
    money.add_argument("--energy-usd-per-kwh", type=in_range(0, 10, True), metavar="USD",
                       help=f"energy price (default: {DEFAULT_ENERGY_USD_PER_KWH})")
    money.add_argument("--pue", type=in_range(1, 5, True), metavar="R",
                       help=f"power usage effectiveness (default: {DEFAULT_PUE})")
    money.add_argument("--average-power-ratio", type=unit_ratio, metavar="R",
                       help=f"average draw over maximum power (default: "
                            f"{DEFAULT_AVERAGE_POWER_RATIO})")
    money.add_argument("--hosting-usd-per-kw-month", type=in_range(0, 1e5, True), metavar="USD",
                       help=f"colocation or facility cost per kW of facility power per month "
                            f"(default: {DEFAULT_HOSTING_USD_PER_KW_MONTH:g})")
    money.add_argument("--currency", type=currency_code, metavar="CODE",
                       help="also print money in this currency (needs --usd-rate)")
    money.add_argument("--usd-rate", type=in_range(0, 1e6), metavar="X",
                       help="units of --currency per USD")


HELP_EXAMPLES = """examples:
  the methodology's worked example (2 / 3 / 5 nodes):
    python3 sizing.py --model gpt-oss-120b --server dgx-b300 --concurrency 1000 \\
        --effective-context 128k
  a latency target, prompt and output lengths, in Portuguese for leadership:
    python3 sizing.py --model llama-3.1-70b --server dgx-h100 --concurrency 2k \\
        --input-tokens 2048 --output-tokens 512 --tpot-ms 50 --executive-report --lang pt-BR
  every server for the same workload, cheapest first:
    python3 sizing.py --model gpt-oss-120b --server all --concurrency 1000 \\
        --effective-context 128k
  growth over quarters, with the 4 nodes in service today:
    python3 sizing.py --model gpt-oss-120b --server dgx-b300 --effective-context 128k \\
        --concurrency 1k,2k,5k --periods 2027-Q1,2027-Q2,2027-Q3 --current-nodes 4
  the most sessions 3 nodes hold:
    python3 sizing.py --model gpt-oss-120b --server dgx-b300 --effective-context 128k \\
        --solve max-concurrency --nodes 3
  what changed between two saved plans (--format json or --output-json-file):
    python3 sizing.py --diff old.json new.json

exit status: 0 sized; 1 bad catalog, data or output file; 2 bad usage; 3 a scenario cannot
be sized (the report is still printed)."""


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's layout at most 100 columns wide, examples kept as written."""
    import shutil
    width = min(TEXT_WIDTH, shutil.get_terminal_size().columns - 2)
    return argparse.RawDescriptionHelpFormatter(prog, width=width)


@functools.lru_cache(maxsize=1)
def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, built once per process (parsing leaves it unchanged, so
    callers of main() in one process, such as the tests, share it)."""
    parser = _Parser(
        prog="sizing", formatter_class=_help_formatter,
        description="Size GPU nodes for LLM inference: KV cache per session, sessions per\n"
                    "node and node counts in MINIMUM / RECOMMENDED / IDEAL scenarios, with\n"
                    "speed, cost and the constraint that binds.",
        epilog=HELP_EXAMPLES)
    for add in (_catalog_and_import_flags, *SIZING_ONLY_FLAG_GROUPS, _output_flags):
        add(parser)
    return parser


@functools.lru_cache(maxsize=None)
def group_defaults(add: Callable[[argparse.ArgumentParser], None]) -> dict[str, Any]:
    """Each flag of one group of the parser, by its destination, with its default."""
    parser = _Parser(add_help=False)
    add(parser)
    return vars(parser.parse_args([]))


def sizing_only_defaults() -> dict[str, Any]:
    """Each flag only a sizing reads (workload, targets, policy, engine, cost, planning), by
    its destination, with its default: the modes that exit before sizing refuse them."""
    return {dest: default for add in SIZING_ONLY_FLAG_GROUPS
            for dest, default in group_defaults(add).items()}


def flags_given(args: argparse.Namespace, defaults: dict[str, Any]) -> list[str]:
    """The flags among `defaults` that the command line set, spelled as flags."""
    return ["--" + dest.replace("_", "-") for dest, default in defaults.items()
            if getattr(args, dest) != default]


def spell_flags(settings: Iterable[tuple[str, Any]]) -> str:
    """Spell engine settings as the flags that set them (a setting's flag is --its-name; a
    setting that is on is the flag alone).

    >>> spell_flags((("engine", "vllm"), ("tensor_parallel", 2), ("expert_parallel", True)))
    '--engine vllm --tensor-parallel 2 --expert-parallel'
    """
    return " ".join(f"--{name.replace('_', '-')}" + ("" if value is True else f" {value}")
                    for name, value in settings)


# ---------------------------------------------------------------------------- flag rules

SIZING_ONLY_FLAG_GROUPS = (_workload_and_policy_flags, _engine_flags, _money_flags,
                           _planning_flags)

IMPORT_ONLY_FLAGS = (("--name", "name"), ("--add-to-catalog", "add_to_catalog"),
                     ("--replace", "replace"))
SIZING_FLAGS = (("--model", "model"), ("--server", "server"), ("--concurrency", "concurrency"),
                ("--effective-context", "effective_context"))
# Flags that state a fact of one server (its GPU's memory, its KV pool): a comparison of
# servers refuses them rather than give every server the same figure. A price is such a fact
# too, unless it names its server (money_settings).
SERVER_FACT_FLAGS = (("--gpu-memory-gib", "gpu_memory_gib"),
                     ("--kv-cache-memory-gib", "kv_cache_memory_gib"))


def _given(args: argparse.Namespace, flags: Iterable[tuple[str, str]]) -> list[str]:
    return [flag for flag, attr in flags if getattr(args, attr) is not None]


def _mode_conflict(args: argparse.Namespace) -> str | None:
    """The first flag that contradicts the chosen mode (import, validate, list)."""
    imported = [flag for flag, attr in IMPORT_ONLY_FLAGS if getattr(args, attr)]
    if args.import_hf_config is None and imported:
        return f"{imported[0]} needs --import-hf-config PATH"
    if args.replace and not args.add_to_catalog:
        return "--replace needs --add-to-catalog"
    if args.name is not None and not args.name.strip():
        return "--name must not be empty"
    # a flag only a sizing reads would be ignored by a mode that exits first: refused
    sizing = [flag for flag in flags_given(args, sizing_only_defaults()) if flag != "--diff"]
    listing = ["--list"] if args.list is not None else []
    importing = ["--import-hf-config"] if args.import_hf_config is not None else []
    if args.validate_catalogs and sizing + importing + listing:
        return f"--validate-catalogs cannot be combined with {(sizing + importing + listing)[0]}"
    if importing and sizing + listing:
        return f"--import-hf-config cannot be combined with {(sizing + listing)[0]}"
    if args.diff is not None:
        extra = sizing + importing + listing \
            + (["--validate-catalogs"] if args.validate_catalogs else [])
        if extra:
            return f"--diff compares two JSON documents already written: drop {extra[0]}"
    if args.list is not None and sizing:
        return f"--list cannot be combined with {sizing[0]}"
    return None


def _output_conflict(args: argparse.Namespace) -> str | None:
    if args.format == "csv" and args.executive_report:
        return "--format csv prints a table, not a report: drop --executive-report"
    compared = args.server is not None and ("," in args.server
                                            or args.server.strip().lower() == "all")
    if (args.solve is None) != (args.nodes is None):
        return "--solve and --nodes go together (--solve max-concurrency --nodes 3)"
    if args.solve is not None and compared:
        return "--solve answers for one server: give --server one name"
    if args.solve is not None and args.executive_report:
        return "--solve prints its own table: drop --executive-report"
    if args.solve is not None and args.calibrate_from_log is not None:
        return ("--solve prints its own table, without the log's comparison: drop "
                "--calibrate-from-log (its suggested flags apply to --solve)")
    money = flags_given(args, group_defaults(_money_flags)) if args.solve is not None else []
    if money:
        return (f"--solve prints no money: drop {money[0]} (size at the value it finds for "
                f"the cost)")
    if args.diff is not None and args.executive_report:
        return "--diff prints its own table: drop --executive-report"
    problem = _growth_conflict(args, compared)
    if problem:
        return problem
    for flag, value in (("--calibrate-from-log", args.calibrate_from_log),
                        ("--calibrate-from-benchmark", args.calibrate_from_benchmark)):
        if compared and value is not None:
            return f"{flag} calibrates one server: give --server one name"
    for flag in _given(args, SERVER_FACT_FLAGS):
        if compared:
            return (f"{flag} describes one server: give --server one name (a comparison "
                    f"takes each server's figure from the catalog)")
    if args.executive_report and args.format == "json" and args.output_markdown_file is None:
        return ("--executive-report with --format json prints no report: add "
                "--output-markdown-file or use --format both or text")
    if args.output_json_file is not None and args.output_json_file == args.output_markdown_file:
        return "--output-json-file and --output-markdown-file name the same file"
    for flag, attr, engines in ENGINE_ONLY_FLAGS:
        if getattr(args, attr) is not None and args.engine not in engines:
            return f"{flag} applies to --engine {' or '.join(engines)}, not {args.engine}"
    if args.tpot_ms is not None and args.output_tokens_per_second is not None:
        return "--tpot-ms and --output-tokens-per-second say the same thing: give one"
    if (args.currency is None) != (args.usd_rate is None):
        return "--currency and --usd-rate go together (CODE and units of it per USD)"
    if args.speculative is not None and args.speculative_draft_layers is not None:
        return "--speculative mtp takes its draft layers from the model: drop " \
               "--speculative-draft-layers"
    if args.speculative_draft_params is not None and args.speculative_draft_layers is None:
        return "--speculative-draft-params goes with --speculative-draft-layers (the EAGLE " \
               "draft whose weights they are; --speculative mtp counts the MTP layers' own)"
    if args.kv_cache_memory_gib is not None:
        for flag in _given(args, KV_MEMORY_TERM_FLAGS):
            return f"{flag} has no effect with --kv-cache-memory-gib (KV memory is given)"
    if args.activation_gib is not None and args.flashinfer_sampler:
        return "--flashinfer-sampler has no effect with --activation-gib (the activation is given)"
    return None


def _growth_conflict(args: argparse.Namespace, compared: bool) -> str | None:
    """A growth plan (several --concurrency values or --periods) and --current-nodes size
    one server; --solve answers a different question."""
    rate = args.requests_per_second is not None
    if rate and args.concurrency is not None:
        return "give --concurrency or --requests-per-second, not both"
    if rate and args.solve is not None:
        return "--solve finds the sessions itself: drop --requests-per-second"
    values_flag, given = ("--requests-per-second", args.requests_per_second) if rate \
        else ("--concurrency", args.concurrency)
    values = len(given) if given is not None else None
    growth = args.periods is not None or (values or 0) > 1
    if args.periods is not None and values is not None and len(args.periods) != values:
        return (f"--periods has {len(args.periods)} labels for {values} {values_flag} "
                f"values: give one label per value")
    if growth and args.solve is not None:
        return "--solve takes one --concurrency value, not a growth plan"
    if args.current_nodes is not None and args.solve is not None:
        return "--current-nodes and --solve ask two questions: give one"
    for flag, given in (("a growth plan", growth),
                        ("--current-nodes", args.current_nodes is not None)):
        if given and compared:
            return f"{flag} sizes one server: give --server one name"
    if growth and args.calibrate_from_log is not None:
        return ("--calibrate-from-log calibrates one sizing, not a growth plan: give one "
                "--concurrency")
    return None


def _text_conflict(args: argparse.Namespace) -> str | None:
    """A name that goes into a catalog must be Unicode text (a Latin-1 byte in a UTF-8
    locale reaches Python as a lone surrogate, which no JSON file or terminal can hold)."""
    for flag, value in (("--name", args.name),):
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"{flag} {shown(value)} is not UTF-8 text"
    return None


def check_flags(args: argparse.Namespace) -> str:
    """Return the mode the flags ask for ("validate", "import", "list", "diff" or "size"); raise
    UsageError naming the first flag that contradicts another or is missing."""
    problem = _mode_conflict(args) or _text_conflict(args)
    if problem is None and args.import_hf_config is None and not args.validate_catalogs:
        problem = _output_conflict(args)
    if problem:
        raise UsageError(problem)
    if args.validate_catalogs:
        return "validate"
    if args.import_hf_config is not None:
        return "import"
    if args.list is not None:
        return "list"
    if args.diff is not None:
        return "diff"
    solved = {"max-concurrency": "concurrency", "max-context": "effective_context"}
    missing = [flag for flag, attr in SIZING_FLAGS if getattr(args, attr) is None
               and not (attr == "effective_context" and args.input_tokens is not None
                        and args.output_tokens is not None)
               and not (attr == "concurrency" and args.requests_per_second is not None)
               and attr != solved.get(args.solve)]
    if missing:
        raise UsageError(f"missing {', '.join(missing)} (see --help)")
    return "size"


# ---------------------------------------------------------------------------- files


def default_catalog_dir() -> str:
    """Return the folder of the shipped catalogs: beside sizing.py, else where pip put them."""
    here = os.path.dirname(os.path.realpath(__file__))
    if os.path.isfile(os.path.join(here, "models.json")):
        return here
    return os.path.join(sys.prefix, "share", "llm-sizing")


def _identity(path: str) -> tuple[int, int] | None:
    """Return (device, inode) of the file a path names, through links; None if it is not there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _stream_identity(fd: int) -> tuple[tuple[int, int], bool] | None:
    """Return ((device, inode), is a regular file) of an open standard stream, or None."""
    import stat
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return (st.st_dev, st.st_ino), stat.S_ISREG(st.st_mode)


@record
class Output:
    """One file a run writes: where the user named it, what it really writes, and how."""

    flag: str                 # the flag that named it
    path: str                 # as given
    target: str               # the real path written (through symbolic links)
    text: str
    stream: int | None        # 1 or 2 when the path names standard output or error
    mode: int                 # permission bits the written file gets
    exists: bool


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def plan_output(flag: str, path: str, text: str, inputs: Iterable[tuple[str, str]],
                planned: Iterable[Output]) -> Output:
    """Check that `path` can be written as a plain write would, without touching anything.

    It is written through symbolic links to their target; a standard stream is written
    through; anything else that is not a regular file, a read-only file, a missing folder, an
    input of this run or another output of it is refused (UsageError for the last two).
    """
    import stat
    target = os.path.realpath(path)
    found = _identity(target)
    for fd in (1, 2):
        stream = _stream_identity(fd)
        if found is not None and stream is not None and stream[0] == found:
            if stream[1]:
                raise UsageError(f"{flag} {path}: is the standard {('output', 'error')[fd - 1]} "
                                 f"of this run, which already holds the report")
            return Output(flag, path, target, text, fd, 0, True)
    for what, other in inputs:
        if found is not None and found == _identity(other):
            raise UsageError(f"{flag} {path}: is {what}, an input of this run")
    for other in planned:
        if other.target == target or (found is not None and found == _identity(other.target)):
            raise UsageError(f"{flag} {path}: names the same file as {other.flag}")
    folder = os.path.dirname(target)
    if found is None:
        if not os.path.isdir(folder):
            raise SizingError(f"{path}: folder {os.path.dirname(path) or '.'} does not exist")
        return Output(flag, path, target, text, None, 0o666 & ~_umask(), False)
    st = os.stat(target)
    if stat.S_ISDIR(st.st_mode):
        raise SizingError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise SizingError(f"{path}: is not a regular file (only files and the standard "
                          f"streams are written)")
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise SizingError(f"{path}: is read-only")
    return Output(flag, path, target, text, None, stat.S_IMODE(st.st_mode), True)


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class OutputFiles:
    """Write a run's files whole or not at all: each to a temporary file beside its target
    (fsynced, with the mode a plain write would give), renamed over the target only once
    every file is staged, then the folder fsynced. Used as a context manager: whatever stops
    the run before commit (an error, SIGTERM, SIGINT) removes the temporary files."""

    def __init__(self, outputs: Iterable[Output]):
        self.outputs = list(outputs)
        self.temps: dict[str, str] = {}
        self.saved: dict[int, Any] = {}

    def __enter__(self) -> "OutputFiles":
        import signal

        def stop(signum: int, frame: Any) -> None:
            raise SystemExit(128 + signum)

        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                try:
                    self.saved[number] = signal.signal(number, stop)
                except (ValueError, OSError):       # not the main thread
                    pass
        return self

    def __exit__(self, *exc: Any) -> None:
        import signal
        for tmp in self.temps.values():
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.temps.clear()
        for number, handler in self.saved.items():
            signal.signal(number, handler)

    def stage(self) -> None:
        import tempfile
        for out in self.outputs:
            if out.stream is not None:
                continue
            folder, name = os.path.split(out.target)
            try:
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name[:60]}.", suffix=".tmp")
                self.temps[out.target] = tmp
                with os.fdopen(fd, "wb") as handle:
                    handle.write(out.text.encode("utf-8", "surrogateescape"))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, out.mode)
            except OSError as exc:
                raise SizingError(f"{out.path}: cannot write ({exc.strerror})") from None

    def commit(self) -> None:
        for out in self.outputs:
            if out.stream is not None:
                write_stream(out.stream, out.text)
                continue
            try:
                os.replace(self.temps.pop(out.target), out.target)
            except OSError as exc:
                raise SizingError(f"{out.path}: cannot write ({exc.strerror})") from None
            _fsync_folder(os.path.dirname(out.target))


class CatalogLock:
    """Hold an exclusive lock on the folder of a catalog's real file while it is read,
    changed and written back, so that concurrent edits all land (flock on the folder: no lock
    file is left behind). Where flock does not exist the edit is not locked."""

    def __init__(self, path: str):
        self.folder = os.path.dirname(os.path.realpath(path))
        self.fd: int | None = None

    def __enter__(self) -> "CatalogLock":
        try:
            import fcntl
        except ImportError:
            return self
        try:
            self.fd = os.open(self.folder, os.O_RDONLY)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise SizingError(f"{self.folder}: cannot lock the catalog's folder "
                              f"({exc.strerror})") from None
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fd is not None:
            os.close(self.fd)


def write_stream(fd: int, text: str) -> None:
    """Write to standard output (1) or error (2) and flush; a full or closed stream is a
    SizingError (a closed pipe stays a BrokenPipeError: the reader has what it wanted)."""
    stream = sys.stdout if fd == 1 else sys.stderr
    try:
        if stream is None:
            raise OSError(9, "Bad file descriptor")
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        name = "output" if fd == 1 else "error"
        raise SizingError(f"standard {name}: cannot write ({exc.strerror})") from None


def run_inputs(args: argparse.Namespace, paths: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every file this run reads, which no output may overwrite."""
    found = [(f"the {kind} catalog", path) for kind, path in paths.items()]
    for what, path in (("the calibration log", getattr(args, "calibrate_from_log", None)),
                       ("the benchmark table", getattr(args, "calibrate_from_benchmark", None)),
                       ("the imported config", getattr(args, "import_hf_config", None))):
        if path is not None:
            found.append((what, path))
    bench = getattr(args, "calibrate_from_benchmark", None)
    if bench is not None and os.path.isdir(bench):
        found += [("a benchmark result", name) for name in benchmark_files(bench)]
    found += [("a --diff document", path) for path in getattr(args, "diff", None) or ()]
    found.append(("sizing.py", __file__))
    return found


def deliver(shown_text: str, outputs: Iterable[tuple[str, str, str]],
            inputs: list[tuple[str, str]]) -> None:
    """Write the output files and standard output, in the order that loses nothing: every
    file checked and staged, then standard output, then the files renamed into place."""
    planned: list[Output] = []
    for flag, path, text in outputs:
        planned.append(plan_output(flag, path, text, inputs, planned))
    with OutputFiles(planned) as files:
        files.stage()
        try:
            write_stream(1, shown_text)
        except BrokenPipeError:         # `| head`: the files are still wanted
            files.commit()
            raise
        files.commit()


def catalog_paths(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    """Return the three catalogs' paths and the labels errors name them by."""
    base = default_catalog_dir()
    paths, labels = {}, {}
    for kind, given in (("models", args.models_file), ("servers", args.servers_file),
                        ("storage", args.storage_file)):
        paths[kind] = given if given is not None else os.path.join(base, f"{kind}.json")
        labels[kind] = str(given) if given is not None else f"{kind}.json"
    return paths, labels


# ---------------------------------------------------------------------------- modes


def run_validate(args: argparse.Namespace) -> int:
    """--validate-catalogs: one line per problem on stdout."""
    paths, labels = catalog_paths(args)
    problems = validate_catalogs(paths, labels)
    if problems:
        write_stream(1, "".join(f"{one_line(line)}\n" for line in problems))
        write_stream(2, f"sizing: {len(problems)} "
                        f"{plural(len(problems), 'problem|problems')} in the catalogs\n")
        return 1
    write_stream(1, f"{', '.join(labels.values())}: no problems\n")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """--import-hf-config: print the derived entry; with --add-to-catalog also store it."""
    paths, labels = catalog_paths(args)
    name, hf_repo = default_import_names(args.import_hf_config)
    label = str(args.import_hf_config)
    entry = import_hf_config(read_hf_config(args.import_hf_config), label,
                             args.name or name, hf_repo)
    entry.update(checkpoint_facts(args.import_hf_config, entry))
    if args.name is not None:       # a name of one's own: the repo is not an alias then
        entry["aliases"] = []
    parse_model(_Entry(label, "model", 0, entry))        # the entry must load as is
    printed = json_text(entry)
    if not args.add_to_catalog:
        deliver(printed, [], [])
        return 0
    with CatalogLock(paths["models"]):     # read, add and write back with no other editor
        document, _ = _read_catalog(paths["models"], labels["models"], "models")
        document = add_to_catalog(document, entry, labels["models"], args.replace)
        check_entries(document["models"], labels["models"], "model", parse_model)
        text = json_text(document)
        deliver(printed, [("--models-file", paths["models"], text)], run_inputs(args, {}))
    write_stream(2, f"sizing: model {shown(entry['name'])} written to {labels['models']}\n")
    return 0


def run_list(args: argparse.Namespace) -> int:
    paths, labels = catalog_paths(args)
    catalogs = load_catalogs(paths["models"], paths["servers"], paths["storage"], labels)
    write_stream(1, render_list(catalogs, args.list, args.lang))
    return 0


def parallel_problem(model: Model, server: Server, settings: EngineSettings) -> str | None:
    """Return why the expert / data parallelism flags cannot run on this model and server."""
    if settings.dp_attention and not model.num_experts:
        return (f"--data-parallel-attention: model {shown(model.name)} has no routed experts; "
                f"for a dense model data-parallel attention is only more replicas, which the "
                f"tool already counts")
    if settings.dp_attention and dp_attention_settings(settings, server).data_parallel < 2:
        tp = settings.tensor_parallel or 1
        return (f"--data-parallel-attention with --tensor-parallel {tp} leaves one attention "
                f"rank on {server.gpus} GPUs: --tensor-parallel is each rank's attention TP "
                f"here (SGLang's --tp {server.gpus} --dp {server.gpus} is --tensor-parallel 1)")
    settings = dp_attention_settings(settings, server)
    if settings.expert_parallel and not model.num_experts:
        return f"--expert-parallel: model {shown(model.name)} has no routed experts"
    if settings.data_parallel > 1 and not settings.expert_parallel:
        return ("--data-parallel without --expert-parallel is only more replicas, which the "
                "tool already counts: add --expert-parallel")
    tp = settings.tensor_parallel or 1
    if settings.engine == "sglang" and settings.max_running_requests is not None \
            and settings.max_running_requests < settings.data_parallel:
        return (f"--max-running-requests {settings.max_running_requests} is split over "
                f"{settings.data_parallel} data-parallel attention ranks (SGLang divides it): "
                f"none would run a request; give at least {settings.data_parallel}")
    if settings.data_parallel > 1 and not expert_group_runs(server, tp,
                                                            settings.data_parallel):
        return (f"--tensor-parallel {tp} x --data-parallel {settings.data_parallel} is more "
                f"than a {server.unit}'s {server.gpus} GPUs: an expert group over several "
                f"{server.unit}s needs whole ones and the catalog's scale-out bandwidth between "
                f"them (scaleout_gb_per_s)" + ("" if server.scaleout_gb_per_s else
                                              f", which server {server.name} does not give"))
    nodes = tp * settings.data_parallel // server.gpus
    if settings.data_parallel > 1 and nodes > settings.max_nodes_per_replica:
        return (f"--tensor-parallel {tp} x --data-parallel {settings.data_parallel} spans "
                f"{nodes} {server.unit}s of {server.name}, more than --max-nodes-per-replica "
                f"{settings.max_nodes_per_replica}")
    if settings.engine == "trtllm" and settings.data_parallel > 1 and tp > 1:
        # TRT-LLM's enable_attention_dp makes every rank of its TP group an attention rank
        # (no attention all-reduce: attention_dp_size = tensor_parallel_size)
        return (f"TRT-LLM runs data-parallel attention with one GPU per attention rank "
                f"(enable_attention_dp over its TP group): give --tensor-parallel 1 "
                f"--data-parallel {tp * settings.data_parallel}, not --tensor-parallel {tp}")
    return None


def sglang_chunk_problem(server: Server, settings: EngineSettings) -> str | None:
    """Return why SGLang could not start with the given --chunked-prefill-size on this
    server's GPUs: its default --mem-fraction-static sets 1.5 MiB per chunk token aside, and
    with a large chunk on a small GPU that comes out at zero or below (at TP 1, where it is
    largest), so no layout holds a session."""
    chunk = settings.chunked_prefill_size
    if settings.engine != "sglang" or chunk is None or settings.mem_fraction_static is not None \
            or settings.kv_cache_memory_gib is not None:
        return None
    gpu_bytes = gpu_memory(server, settings)[0]
    fraction = sglang_mem_fraction_static(gpu_bytes, 1, 1, 0, chunk)
    if fraction > 0:
        return None
    return (f"--chunked-prefill-size {fmt_int(chunk, 'en')}: SGLang's default "
            f"--mem-fraction-static comes out at {float(fraction):g} on a "
            f"{fmt_num(gpu_bytes / BYTES_PER_GIB, 2, 'en')} GiB GPU of server "
            f"{shown(server.name)} (it sets 1.5 MiB per chunk token aside, "
            f"{fmt_num(chunk * 1.5 / 1024, 2, 'en')} GiB here, beside its other reserves): "
            f"give --mem-fraction-static, or a smaller chunk")


def money_settings(args: argparse.Namespace, servers: Sequence[Server] = (),
                   catalog: Sequence[Server] = (), label: str = "",
                   compared: bool = False) -> MoneySettings:
    """The cost flags; a price per server (NAME=USD,...) names, by name or alias, servers of
    the catalog that the run sizes, each once; a bare price is one server's (not a
    comparison's)."""
    def per_server(flag: str, given: Any) -> tuple[float | None, tuple[tuple[str, float], ...]]:
        if compared and given is not None and not isinstance(given, tuple):
            raise UsageError(f"{flag} describes one server: give --server one name, or price "
                             f"each with {flag} NAME=USD,NAME=USD")
        prices: dict[str, float] = {}
        for name, price in given if isinstance(given, tuple) else ():
            server = find_entry(catalog, name, "server", label)
            if server not in servers:
                raise UsageError(f"{flag} prices {shown(name)}, which this run does not size "
                                 f"(--server {', '.join(s.name for s in servers)})")
            if server.name in prices:
                raise UsageError(f"{flag} prices {server.name} twice")
            prices[server.name] = price
        return None if isinstance(given, tuple) else given, tuple(prices.items())

    node_price, node_prices_ = per_server("--node-price-usd", args.node_price_usd)
    gpu_hour, gpu_hours = per_server("--gpu-hour-usd", args.gpu_hour_usd)
    return MoneySettings(
        node_price_usd=node_price, node_prices_usd=node_prices_, gpu_hour_usd=gpu_hour,
        gpu_hour_prices_usd=gpu_hours, years=args.years,
        energy_usd_per_kwh=args.energy_usd_per_kwh, pue=args.pue,
        average_power_ratio=args.average_power_ratio,
        hosting_usd_per_kw_month=args.hosting_usd_per_kw_month, currency=args.currency,
        usd_rate=args.usd_rate)


def engine_settings(args: argparse.Namespace) -> EngineSettings:
    return EngineSettings(
        memory_model=args.memory_model, engine=args.engine,
        tensor_parallel=args.tensor_parallel,
        gpu_memory_utilization=args.gpu_memory_utilization or DEFAULT_GPU_MEMORY_UTILIZATION,
        mem_fraction_static=args.mem_fraction_static,
        free_gpu_memory_fraction=args.free_gpu_memory_fraction
        or DEFAULT_FREE_GPU_MEMORY_FRACTION,
        activation_gib=args.activation_gib, runtime_reserve_gib=args.runtime_reserve_gib,
        kv_cache_memory_gib=args.kv_cache_memory_gib, block_size=args.block_size,
        max_num_batched_tokens=args.max_num_batched_tokens, max_num_seqs=args.max_num_seqs,
        max_running_requests=args.max_running_requests or args.max_batch_size,
        chunked_prefill_size=args.chunked_prefill_size,
        weight_precision=args.weight_precision, gpu_memory_gib=args.gpu_memory_gib,
        bandwidth_efficiency=args.bandwidth_efficiency,
        compute_efficiency=args.compute_efficiency, data_parallel=args.data_parallel,
        ttft_basis=args.ttft_basis,
        expert_parallel=args.expert_parallel,
        draft_layers=args.speculative_draft_layers or 0,
        draft_params=args.speculative_draft_params or 0, rope_scaling=args.rope_scaling,
        dp_attention=args.data_parallel_attention,
        swa_full_tokens_ratio=args.swa_full_tokens_ratio or SGLANG_SWA_FULL_TOKENS_RATIO,
        mamba_full_memory_ratio=args.mamba_full_memory_ratio or SGLANG_MAMBA_FULL_MEMORY_RATIO,
        radix_cache=not args.disable_radix_cache,
        capacity_scheduler_policy=args.capacity_scheduler_policy
        or TRTLLM_CAPACITY_POLICIES[0], flashinfer_sampler=bool(args.flashinfer_sampler),
        max_nodes_per_replica=args.max_nodes_per_replica)


def workload_from(args: argparse.Namespace, model: Model) -> Workload:
    """The NFRs as the flags give them: the effective context defaults to the prompt plus the
    output, the per-session rate is a TPOT target."""
    context = args.effective_context
    if context is None:
        context = min(MAX_CONTEXT_TOKENS, args.input_tokens + args.output_tokens)
    given = [(f, t) for f, t in (("--input-tokens", args.input_tokens),
                                 ("--output-tokens", args.output_tokens)) if t is not None]
    if sum(t for _, t in given) + (len(given) == 1) > context:
        total = f"{sum(t for _, t in given):,} tokens"
        what = f"{given[0][0]} + {given[1][0]} ({total}) exceed" if len(given) == 2 else \
            f"{given[0][0]} ({total}) leaves no token of the request's other part in"
        raise UsageError(f"{what} --effective-context {context:,}: a request's tokens are part "
                         f"of its session's context")
    tpot = args.tpot_ms
    if args.output_tokens_per_second is not None:
        tpot = 1000 / args.output_tokens_per_second
    return Workload(
        concurrency=args.concurrency[0] if args.concurrency else 1,
        effective_context_tokens=context,
        kv_precision=args.kv_precision or model.default_kv_precision,
        kv_budget_ratio=args.kv_budget_ratio, runtime_overhead_gib=args.runtime_overhead_gib,
        peak_headroom_ratio=args.peak_headroom_ratio, ha_mode=args.ha_mode,
        input_tokens=args.input_tokens, output_tokens=args.output_tokens, tpot_ms=tpot,
        ttft_ms=args.ttft_ms,
        requests_per_second=args.requests_per_second[0] if args.requests_per_second else None)


@record
class SizingRequest:
    """What a sizing run sizes: the model, the servers (one, or a comparison), the storage,
    the engine and money settings, the workload, and the catalog labels for errors."""

    model: Model
    servers: tuple[Server, ...]
    storage: Storage
    settings: EngineSettings
    workload: Workload
    money: MoneySettings
    labels: Mapping[str, str]
    compared: bool                     # --server a,b or all
    concurrencies: tuple[int, ...] = ()   # a growth plan's, one per period (workload: the first)
    rates: tuple[float, ...] = ()         # or its request rates (--requests-per-second)


def find_servers(catalogs: Catalogs, text: str, label: str) -> tuple[Server, ...]:
    """Return the servers --server names: one, a comma-separated list, or "all"."""
    if text.strip().lower() == "all":
        return tuple(catalogs.servers)
    found: list[Server] = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            raise UsageError(f"--server {shown(text)} has an empty name in its list")
        server = find_entry(catalogs.servers, name, "server", label)
        if server not in found:
            found.append(server)
    return tuple(found)


def context_problem(model: Model, context: int, rope: str | None, label: str,
                    given_as: str = "--effective-context") -> None:
    """Refuse a context longer than the model serves, naming the flags it came from, the
    model's native and extended maximum and the flags that change the answer."""
    limits = context_limit(model, rope)
    if context <= limits.limit:
        return
    extended = ""
    if limits.scaled is not None and limits.scaled > limits.native:
        extended = (f"; {limits.scaled:,} with RoPE scaling {limits.scaling}"
                    + (" (in use)" if limits.in_use else
                       f" if the engine enables it (--rope-scaling {limits.scaling})"))
    raise UsageError(f"{given_as} {context:,} tokens is more than model "
                     f"{shown(model.name)} serves: {limits.native:,} tokens natively{extended} "
                     f"({label}); ask for less, or size it anyway with "
                     f"--allow-context-beyond-model")


def sizing_request(args: argparse.Namespace) -> SizingRequest:
    """Load the catalogs once and read the flags into what every server is sized with."""
    paths, labels = catalog_paths(args)
    catalogs = load_catalogs(paths["models"], paths["servers"], paths["storage"], labels)
    model = as_checkpoint(find_entry(catalogs.models, args.model, "model", labels["models"]),
                          args.model)
    servers = find_servers(catalogs, args.server, labels["servers"])
    compared = len(servers) > 1 or args.server.strip().lower() == "all"
    storage = find_entry(catalogs.storage, args.storage or catalogs.default_storage,
                         "storage profile", labels["storage"])
    settings = engine_settings(args)
    if args.speculative == "mtp":
        if not model.mtp_layers:
            raise UsageError(f"--speculative mtp: model {shown(model.name)} has no mtp_layers "
                             f"(num_nextn_predict_layers, mtp_num_hidden_layers) in "
                             f"{labels['models']}")
        if not model.mtp_params:
            raise UsageError(f"--speculative mtp: model {shown(model.name)} has no mtp_params "
                             f"(the parameters its MTP layers load) in {labels['models']}: "
                             f"import its config.json again with --import-hf-config")
        settings = settings._replace(draft_layers=model.mtp_layers, speculative="mtp")
    workload = workload_from(args, model)
    if not args.allow_context_beyond_model:
        context_problem(model, workload.effective_context_tokens, settings.rope_scaling,
                        labels["models"], "--effective-context" if args.effective_context
                        else "--input-tokens + --output-tokens")
    return SizingRequest(model=model, servers=servers, storage=storage, settings=settings,
                     workload=workload, money=money_settings(args, servers, catalogs.servers,
                                                             labels["servers"], compared),
                     labels=labels, compared=compared,
                     concurrencies=tuple(args.concurrency or (workload.concurrency,)),
                     rates=tuple(args.requests_per_second or ()))


def engine_gpu_problem(engine: str, server: Server, label: str, asked: str | None = None,
                       formats: Iterable[tuple[str, str]] = ()) -> str | None:
    """Return why `engine` does not run on the server's GPUs, in these formats
    (engine_gpu_gap), or None; `asked` says where the engine comes from (default: --engine).

    >>> s = Server("mi", (), "", "AMD", "MI355X 288GB", 8, 288, 2304, "", gpu_family="cdna4")
    >>> engine_gpu_problem("trtllm", s, "servers.json")
    "--engine trtllm: TensorRT-LLM runs on NVIDIA GPUs only; servers.json: server 'mi' has \
AMD MI355X 288GB (gpu_family cdna4)"
    >>> engine_gpu_problem("vllm", s, "servers.json") is None
    True
    >>> h100 = s._replace(name="h", gpu_model="H100", gpu_family="hopper")
    >>> engine_gpu_problem("trtllm", h100, "servers.json", formats=[("weights", "nvfp4")])
    "--engine trtllm: TensorRT-LLM runs nvfp4 weights on Blackwell GPUs only (its support \
matrix); servers.json: server 'h' has NVIDIA H100 (gpu_family hopper); size with \
--weight-precision bf16 or another engine"
    """
    gap = engine_gpu_gap(engine, server, formats)
    if gap is None:
        return None
    role, fmt = gap
    family = server.gpu_family
    has = (f"{label}: server {shown(server.name)} has "
           f"{VENDOR_LABELS[GPU_FAMILY_VENDOR[family]]} {server.gpu_model} (gpu_family {family})")
    head = f"{asked or '--engine ' + engine}: {engine_label(engine)} runs"
    if role == "vendor":
        vendors = " and ".join(VENDOR_LABELS[v] for v in ENGINE_VENDORS[engine])
        return f"{head} on {vendors} GPUs only; {has}"
    families = join_words([GPU_FAMILY_LABELS[f] for f in ENGINE_FORMAT_FAMILIES[engine, fmt]],
                          "en")
    flag = "--weight-precision" if role == "weights" else "--kv-precision"
    return (f"{head} {fmt} {role} on {families} GPUs only (its support matrix); {has}; size "
            f"with {flag} bf16 or another engine")


def server_problem(run: SizingRequest, server: Server, calibrating: bool = False) -> str | None:
    """Return why this server cannot be sized with the run's flags (latency targets, or a
    benchmark to calibrate on, need its performance figures), or None."""
    if run.settings.tensor_parallel is not None:
        problem = tensor_parallel_problem(run.model, server, run.settings.tensor_parallel)
        if problem:
            return f"--tensor-parallel: {problem}"
        nodes = layer_split(run.settings.tensor_parallel, server.gpus)[1]
        if nodes > run.settings.max_nodes_per_replica:
            return (f"--tensor-parallel {run.settings.tensor_parallel} spans {nodes} nodes of "
                    f"{server.name}, more than --max-nodes-per-replica "
                    f"{run.settings.max_nodes_per_replica}")
    problem = engine_gpu_problem(run.settings.engine, server, run.labels["servers"],
                                 formats=served_formats(run.model, run.settings,
                                                        run.workload.kv_precision)) \
        or parallel_problem(run.model, server, run.settings) \
        or sglang_chunk_problem(server, run.settings)
    if problem:
        return problem
    w = run.workload
    if (w.tpot_ms is not None or w.ttft_ms is not None or calibrating
            or w.requests_per_second is not None) and not has_performance_data(server):
        return (f"latency targets, --requests-per-second and --calibrate-from-benchmark need "
                f"the server's performance figures; {run.labels['servers']}: server "
                f"{shown(server.name)} has no hbm_bandwidth_tb_per_s or bf16_tflops")
    return None


def compare_servers(run: SizingRequest) -> Comparison:
    """Size the workload on every server of the run, best first (comparison_rank); a server
    the flags cannot run on is left out with the reason."""
    reports, left_out = [], []
    for server in run.servers:
        problem = server_problem(run, server)
        if problem:
            left_out.append((server.name, problem))
            continue
        reports.append(size_workload(run.model, server, run.storage, run.workload,
                                     run.settings, run.money))
    if not reports:
        raise UsageError(f"no server of the comparison can be sized: {left_out[0][1]}")
    return Comparison(reports=tuple(sorted(reports, key=comparison_rank)),
                      left_out=tuple(left_out))


def document_views(doc: Document, data: Mapping[str, Any], csv: Callable[[], str]
                   ) -> dict[str, Callable[[], str]]:
    """The views of an answer that is one document in every human format: its JSON `data`,
    the document as text or Markdown (the executive report too), and its CSV."""
    return {"json": lambda: json_text(data), "text": lambda: emit_text(doc),
            "markdown": lambda: emit_markdown(doc), "executive": lambda: emit_markdown(doc),
            "csv": csv}


def one_server(run: SizingRequest, calibrating: bool = False) -> Server:
    """The run's one server, refused when the flags cannot run on it (server_problem)."""
    server = run.servers[0]
    problem = server_problem(run, server, calibrating)
    if problem:
        raise UsageError(problem)
    return server


def benchmark_settings(args: argparse.Namespace, run: SizingRequest, server: Server
                       ) -> tuple[EngineSettings, BenchmarkFit | None]:
    """The run's engine settings, with the performance constants fitted to
    --calibrate-from-benchmark when it is given, and that fit."""
    if args.calibrate_from_benchmark is None:
        return run.settings, None
    fit = calibrate_performance(run.model, server, run.workload.kv_precision,
                                run.settings, read_benchmark(args.calibrate_from_benchmark),
                                args.calibrate_from_benchmark)
    return run.settings._replace(perf=fit.constants), fit


def solve_views(args: argparse.Namespace, run: SizingRequest
                ) -> dict[str, Callable[[], str]]:
    """Solve for the limit on the run's one server (with the benchmark's constants when one
    is given) and return its views."""
    server = one_server(run, args.calibrate_from_benchmark is not None)
    settings, fit = benchmark_settings(args, run, server)
    result = solve_limit(run.model, server, run.storage, run.workload, settings, args.solve,
                         args.nodes, args.allow_context_beyond_model
                         )._replace(constants=perf_constants(settings), fit=fit)
    return document_views(solve_document(result, run, args.lang),
                          solve_to_dict(result, run), lambda: solve_csv(result))


def fleet_check(run: SizingRequest, report: SizingReport, nodes: int) -> FleetCheck:
    """Today's fleet against a report of the run: solve_limit at its nodes, then check_fleet."""
    limits = solve_limit(run.model, report.server, run.storage, report.workload, run.settings,
                         "max-concurrency", nodes)
    return check_fleet(report, limits)


def growth_views(args: argparse.Namespace, run: SizingRequest
                 ) -> tuple[dict[str, Callable[[], str]], bool]:
    """Size every period of a growth plan on the run's one server (with the benchmark's
    constants when one is given) and return its views."""
    server = one_server(run, args.calibrate_from_benchmark is not None)
    settings, fit = benchmark_settings(args, run, server)
    workloads = [run.workload._replace(requests_per_second=r) for r in run.rates] \
        or [run.workload._replace(concurrency=c) for c in run.concurrencies]
    reports = [size_calibrated(run, server, w, settings, fit) for w in workloads]
    labels = args.periods or tuple(f"P{i + 1}" for i in range(len(reports)))
    fleet = None if args.current_nodes is None else \
        fleet_check(run._replace(settings=settings), reports[0], args.current_nodes)
    plan = plan_growth(reports, labels, args.current_nodes, fleet)
    lang = args.lang
    return {"json": lambda: json_text(growth_to_dict(plan, lang)),
            "text": lambda: emit_text(growth_document(plan, lang)),
            "markdown": lambda: emit_markdown(growth_document(plan, lang, executive=True)),
            "executive": lambda: emit_markdown(growth_document(plan, lang, executive=True)),
            "csv": lambda: growth_csv(plan)}, any(r.fatal for r in reports)


def size_calibrated(run: SizingRequest, server: Server, workload: Workload,
                    settings: EngineSettings, fit: BenchmarkFit | None) -> SizingReport:
    """size_all with the settings benchmark_settings returned and, with a benchmark fit, the
    fit's error band and the alert when its runs are of another layout or workload."""
    report = size_workload(run.model, server, run.storage, workload, settings,
                           run.money)._replace(benchmark_fit=fit)
    if fit is None or report.performance is None:
        return report
    p = report.performance
    return report._replace(performance=p._replace(expected_error=fit.expected_error),
                           alerts=report.alerts + tuple(benchmark_alerts(
                               fit, timed_layout(p.tensor_parallel, p.expert_parallel,
                                                 report.settings),
                               p.input_tokens, p.output_tokens)))


def sizing_report(args: argparse.Namespace, run: SizingRequest | None = None) -> SizingReport:
    """Load the catalogs, find the entries and size them: the one result of a sizing run."""
    run = run or sizing_request(args)
    server = one_server(run, args.calibrate_from_benchmark is not None)
    settings, fit = benchmark_settings(args, run, server)
    report = size_calibrated(run, server, run.workload, settings, fit)
    if args.calibrate_from_log is not None:
        log = read_engine_log(args.calibrate_from_log)
        problem = engine_gpu_problem(log.engine, server, run.labels["servers"],
                                     f"--calibrate-from-log {args.calibrate_from_log}")
        if problem:
            raise UsageError(problem)
        cal = calibrate(run.model, server, report.effective_context_tokens,
                        run.workload.kv_precision, settings, log, str(args.calibrate_from_log))
        report = report._replace(calibration=cal._replace(
            suggested_flags=spell_flags(cal.suggested)), alerts=report.alerts
            + tuple(calibration_model_alerts(log, run.model))
            + tuple(calibration_alerts(cal, server.name)))
    if args.current_nodes is not None:
        report = report._replace(fleet=fleet_check(run._replace(settings=settings), report,
                                                   args.current_nodes))
    return report


def sizing_views(args: argparse.Namespace) -> tuple[dict[str, Callable[[], str]], bool]:
    """Size what the flags ask for (one server, or a comparison) and return its views, each
    rendered only when asked for, and whether it could not be sized (exit 3)."""
    if args.solve is not None:
        filled = {"concurrency": args.concurrency or (1,)}
        if args.effective_context is None and (args.input_tokens is None
                                               or args.output_tokens is None):
            filled["effective_context"] = (args.input_tokens or 0) + (args.output_tokens or 0) \
                + 1
        args = argparse.Namespace(**{**vars(args), **filled})
    run = sizing_request(args)
    lang = args.lang
    if args.solve is not None:
        return solve_views(args, run), False
    if max(len(run.concurrencies), len(run.rates)) > 1 or args.periods is not None:
        return growth_views(args, run)
    if run.compared:
        c = compare_servers(run)
        return {"json": lambda: json_text(comparison_to_dict(c, lang)),
                "text": lambda: emit_text(comparison_document(c, lang)),
                "markdown": lambda: emit_markdown(comparison_document(c, lang)),
                "executive": lambda: emit_markdown(comparison_executive(c, lang)),
                "csv": lambda: render_comparison_csv(c)}, all(r.fatal for r in c.reports)
    report = sizing_report(args, run)
    return {"json": lambda: render_json(report, lang), "text": lambda: render_text(report, lang),
            "markdown": lambda: render_markdown(report, lang),
            "executive": lambda: render_executive(report, lang),
            "csv": lambda: render_csv(report)}, report.fatal


def read_plan(path: str) -> dict[str, Any]:
    """Read a JSON document this tool wrote for one server, for --diff."""
    doc = read_json_file(path, path)
    if not isinstance(doc, dict) or not isinstance(doc.get("schema_version"), str):
        raise UsageError(f"--diff: {path}: not a JSON document of sizing.py (no "
                         f"schema_version)")
    if not isinstance(doc.get("scenarios"), dict) or not isinstance(doc.get("inputs"), dict):
        kind = next((k for k in ("comparison", "growth", "solve", "diff") if k in doc), None)
        raise UsageError(f"--diff: {path}: not the result of one sizing (no scenarios)"
                         + (f"; it is a {kind} document" if kind else ""))
    return doc


def diff_views(args: argparse.Namespace) -> tuple[dict[str, Callable[[], str]], bool]:
    """Read the two documents, refuse different major schema versions, and diff them."""
    old_path, new_path = args.diff
    old, new = read_plan(old_path), read_plan(new_path)
    majors = [doc["schema_version"].split(".")[0] for doc in (old, new)]
    if majors[0] != majors[1]:
        raise UsageError(f"--diff: {old_path} has schema_version {old['schema_version']} and "
                         f"{new_path} {new['schema_version']}: documents of different major "
                         f"versions cannot be compared")
    diff = diff_plans(old, new, old_path, new_path)
    return document_views(diff_document(diff, args.lang), diff_to_dict(diff),
                          lambda: diff_csv(diff)), False


def run_sizing(args: argparse.Namespace) -> int:
    """Size, write the output files (all or none), then print what --format asks for. An
    output file that could not be written is refused before the sizing, not after it."""
    inputs = run_inputs(args, catalog_paths(args)[0])
    early: list[Output] = []
    for flag, path in (("--output-json-file", args.output_json_file),
                       ("--output-markdown-file", args.output_markdown_file)):
        if path is not None:
            early.append(plan_output(flag, path, "", inputs, early))
    views, fatal = diff_views(args) if args.diff is not None else sizing_views(args)
    shown = args.format
    document = views["json"]() if shown in ("both", "json") or args.output_json_file else ""
    human = ""
    if shown in ("both", "text") or (args.executive_report and args.output_markdown_file):
        human = views["executive" if args.executive_report else "text"]()
    outputs = []
    if args.output_json_file is not None:
        outputs.append(("--output-json-file", args.output_json_file, document))
    if args.output_markdown_file is not None:
        outputs.append(("--output-markdown-file", args.output_markdown_file,
                        human if args.executive_report else views["markdown"]()))
    if shown == "csv":
        printed = views["csv"]()
    else:
        printed = (human if shown != "json" else "") + ("\n" if shown == "both" else "") \
            + (document if shown != "text" else "")
    deliver(printed, outputs, inputs)
    return 3 if fatal else 0


MODES = {"validate": run_validate, "import": run_import, "list": run_list,
         "size": run_sizing, "diff": run_sizing}


MAX_ERROR_CHARS = 600


def one_line(text: str) -> str:
    """Return text as one printable line: control characters escaped, at most 600 characters.

    >>> one_line("a" + chr(10) + "b") == "a" + chr(92) + "nb"
    True
    """
    text = text[:MAX_ERROR_CHARS * 2]
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS - 3] + "..."


def fail(exc: SizingError) -> int:
    """The one place an error becomes a message: one line on stderr (none when stderr is
    closed: never on stdout), and its exit status."""
    if sys.stderr is not None:
        try:
            sys.stderr.write(f"sizing: error: {one_line(str(exc))}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    return exc.status


def open_streams() -> None:
    """Check standard output before anything is done for it, and make both streams escape
    what their encoding cannot write (PYTHONIOENCODING=ascii) instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    if sys.stdout is None:
        raise SizingError("standard output is closed: nothing could be printed")


def parse_flags(argv: list[str] | None) -> argparse.Namespace | None:
    """Parse the command line; None when argparse printed --help or --version."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit:
        write_stream(1, "")            # what --help or --version printed must have landed
        return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    try:
        open_streams()
        args = parse_flags(argv)
        return 0 if args is None else MODES[check_flags(args)](args)
    except SizingError as exc:
        return fail(exc)


# ======================================================== side path: config.json import
# Owns: deriving a models.json entry from a Hugging Face config.json. Every family's rules are
# written out below, and every layer kind has its rule (HF_KIND_RULES: its sizes and its
# parameters); anything else fails closed with the field or model_type it cannot interpret.
# Calls the catalogs and the core above.

HF_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}
NEMOTRON_BLOCKS = {"M": "mamba2", "*": "full", "-": "mlp", "E": "moe"}   # vLLM nemotron_h.py
NEMOTRON_BLOCK_TYPES = {"mamba": "mamba2", "attention": "full", "mlp": "mlp", "moe": "moe"}
BLOCKS_WITHOUT_CACHE = ("mlp", "moe")   # blocks of a model that has no mixer in them
GRANITE_LAYER_TYPES = {"mamba": "mamba2", "attention": "full"}
MINIMAX_LAYER_TYPES = {"linear_attention": "lightning", "full_attention": "full"}
INDEXER_TYPES = {"full": "mla_indexer", "shared": "mla"}
# The key each MoE family's config gives its routed experts per layer in (by HfFamily.mlp);
# the others (Mixtral, gpt-oss, Llama 4, MiniMax, Granite) spell it num_local_experts.
HF_EXPERTS_KEYS = {"qwen_moe": "num_experts", "deepseek": "n_routed_experts",
                   "nemotron": "n_routed_experts", "jamba": "num_experts",
                   "gemma4": "num_experts"}
# Keys transformers 5 writes under another name than the one the rules read (its config classes'
# attribute_map): Qwen's MoE configs (Qwen3MoeConfig, Qwen3VLMoeTextConfig, ...) save their
# routed experts as num_local_experts where transformers 4 wrote num_experts, and every config
# keeps its RoPE scaling in rope_parameters where transformers 4 wrote rope_scaling (a dict per
# layer type for Gemma 3: transformers' MIGRATION_GUIDE_V5.md, PR #39847).
HF_V5_KEYS = {"num_experts": "num_local_experts", "rope_scaling": "rope_parameters"}
HF_LAYER_TYPES = {"full_attention": "full", "sliding_attention": "sliding",
                  "chunked_attention": "chunked", "linear_attention": "linear_attention"}


@record
class HfFamily:
    """How one model_type lays out its layers and parameters (transformers' modeling code)."""

    layers: str = "uniform"        # rule that picks each layer's kind (see _hf_layer_kinds)
    window: str = "none"           # "all": sliding_window applies to every layer;
                                   # "qwen": use_sliding_window + max_window_layers
    window_default: int | None = None  # transformers' sliding_window when the key is absent
    mlp: str = "dense"             # dense | mixtral | gpt_oss | qwen_moe | deepseek | minimax |
                                   # llama4 | jamba
    attention_bias: str = "config"  # "config": attention_bias on q, k, v, o; "qkv": q, k, v
                                    # always; "qkv_config": attention_bias on q, k, v only
    qk_norm: str = "none"          # "head": q_norm and k_norm of head_dim; "layer": of all
                                   # heads; "use_qk_norm": "head" when the config says so
    norms_per_layer: int = 2
    tied_default: bool = False     # tie_word_embeddings when the config does not say
    gated_query: bool = False      # q_proj also outputs a gate (Qwen3-Next)
    sinks: bool = False            # one attention sink per head (gpt-oss)
    defaults: tuple[tuple[str, Any], ...] = ()   # fields transformers' config class fills
                                                 # in when the config omits them
    defaults_from: str = ""        # that class, for the import notes
    aliases: tuple[tuple[str, str], ...] = ()    # (key the rules read, key this family
                                                 # writes instead)
    vision: str = "vit"            # its vision_config's tower (_hf_vision_params): "vit",
                                   # "qwen2_5" (gated MLPs, RMSNorm, no patch bias) or
                                   # "gemma4" (_hf_gemma4_vision_params); MoonViT is told by
                                   # its vt_* keys, whatever the text family
    scalars_per_layer: int = 0     # one-value weights per layer (Gemma 4's layer_scalar)

    @property
    def experts_key(self) -> str:
        """The config key that holds the routed experts per MoE layer (HF_EXPERTS_KEYS)."""
        return HF_EXPERTS_KEYS.get(self.mlp, "num_local_experts")


@record
class ParamCount:
    embeddings: int
    mixers: int            # attention, MLA, linear attention or Mamba
    mlp_total: int
    mlp_active: int
    norms: int
    mlp_beside: int | None = None   # MLPs beside the routed experts (_hf_mlp_params; None:
                                    # not known for the family)

    @property
    def total(self) -> int:
        return self.embeddings + self.mixers + self.mlp_total + self.norms

    @property
    def active(self) -> int:
        return self.embeddings + self.mixers + self.mlp_active + self.norms


HF_FAMILIES = {
    "llama": HfFamily(),
    "mistral": HfFamily(window="all", window_default=4096),
    "mixtral": HfFamily(window="all", mlp="mixtral"),
    "phi3": HfFamily(window="all"),
    "qwen2": HfFamily(window="qwen", attention_bias="qkv"),
    "qwen2_moe": HfFamily(window="qwen", attention_bias="qkv", mlp="qwen_moe"),
    # Qwen2.5-VL: Qwen2's language model beside a vision tower of its own layout
    "qwen2_5_vl_text": HfFamily(window="qwen", attention_bias="qkv", vision="qwen2_5"),
    "qwen3": HfFamily(window="qwen", qk_norm="head"),
    "qwen3_moe": HfFamily(window="qwen", qk_norm="head", mlp="qwen_moe"),
    # Qwen3-VL: Qwen3's (or Qwen3-MoE's) language model beside the merger tower Qwen3.5 has,
    # with deepstack mergers (transformers' Qwen3VLTextModel and Qwen3VLMoeTextModel)
    "qwen3_vl_text": HfFamily(window="qwen", qk_norm="head"),
    "qwen3_vl_moe_text": HfFamily(window="qwen", qk_norm="head", mlp="qwen_moe"),
    "qwen3_next": HfFamily(layers="qwen3_next", qk_norm="head", mlp="qwen_moe",
                           gated_query=True),
    # Qwen3.5: Qwen3-Next's Gated DeltaNet and gated attention, laid out by layer_types;
    # dense (qwen3_5_text) or with Qwen's MoE (qwen3_5_moe_text)
    "qwen3_5_text": HfFamily(layers="qwen3_next", qk_norm="head", gated_query=True),
    "qwen3_5_moe_text": HfFamily(layers="qwen3_next", qk_norm="head", mlp="qwen_moe",
                                 gated_query=True),
    "gemma2": HfFamily(layers="gemma2", norms_per_layer=4, tied_default=True),
    # The Hub's Gemma 3 configs keep only what differs from Gemma3TextConfig's defaults
    # (google/gemma-3-27b-it: no vocab_size, max_position_embeddings or sliding pattern).
    "gemma3_text": HfFamily(layers="gemma3", norms_per_layer=4, tied_default=True,
                            qk_norm="head", defaults=(
                                ("vocab_size", 262208), ("hidden_size", 2304),
                                ("intermediate_size", 9216), ("num_hidden_layers", 26),
                                ("num_attention_heads", 8), ("num_key_value_heads", 4),
                                ("head_dim", 256), ("max_position_embeddings", 131072),
                                ("sliding_window", 4096), ("sliding_window_pattern", 6)),
                            defaults_from="transformers' Gemma3TextConfig"),
    "gpt_oss": HfFamily(layers="gpt_oss", mlp="gpt_oss", sinks=True),
    # Gemma 4 (vLLM models/gemma4.py): sliding and full layers by layer_types, full layers
    # with their own head size and KV heads, the last num_kv_shared_layers reading earlier
    # layers' KV, a dense MLP beside an optional MoE block, per-layer embeddings (E2B, E4B)
    "gemma4_text": HfFamily(layers="gemma4", mlp="gemma4", norms_per_layer=4,
                            scalars_per_layer=1, vision="gemma4",
                            tied_default=True, qk_norm="head", aliases=(
                                ("num_experts_per_tok", "top_k_experts"),
                                # vLLM's Gemma4MoE reads either name
                                ("moe_intermediate_size", "expert_intermediate_size"))),
    "llama4_text": HfFamily(layers="llama4", mlp="llama4"),
    "deepseek_v2": HfFamily(layers="mla", mlp="deepseek"),
    "deepseek_v3": HfFamily(layers="mla", mlp="deepseek"),
    "kimi_k2": HfFamily(layers="mla", mlp="deepseek"),
    # GLM-4.7-Flash (vLLM models/glm4_moe_lite.py, a DeepSeek-V2 model under GLM's name)
    "glm4_moe_lite": HfFamily(layers="mla", mlp="deepseek"),
    "deepseek_v32": HfFamily(layers="mla_indexer", mlp="deepseek"),
    "glm_moe_dsa": HfFamily(layers="mla_indexer", mlp="deepseek"),
    "glm4_moe": HfFamily(mlp="deepseek", attention_bias="qkv_config", qk_norm="use_qk_norm"),
    "minimax_m2": HfFamily(layers="minimax", mlp="minimax", qk_norm="layer"),
    # MiniMax-M1 / MiniMax-Text-01 (vLLM models/minimax_text_01.py): attn_type_list 0 is
    # lightning attention, 1 softmax attention; transformers' MiniMaxConfig says the same
    # with layer_types linear_attention / full_attention
    "minimax_m1": HfFamily(layers="minimax_hybrid", mlp="minimax"),
    # Kimi-Linear (vLLM models/kimi_linear.py): linear_attn_config lists the KDA and the
    # MLA layers (1-based); DeepSeek-style experts under Kimi's key names
    "kimi_linear": HfFamily(layers="kimi_linear", mlp="deepseek", aliases=(
        ("n_routed_experts", "num_experts"), ("num_experts_per_tok", "num_experts_per_token"),
        ("n_shared_experts", "num_shared_experts"))),
    "jamba": HfFamily(layers="jamba", mlp="jamba"),
    # IBM Granite 4.0-H (vLLM models/granitemoehybrid.py): layer_types "mamba" (Mamba-2) or
    # "attention"; every layer has a shared MLP and, with num_local_experts, experts
    "granitemoehybrid": HfFamily(layers="granite_hybrid", mlp="granite"),
    # Falcon-H1 (vLLM models/falcon_h1.py FalconH1ParallelHybrid): attention and a Mamba-2
    # mixer side by side in every layer, then a gated MLP
    "falcon_h1": HfFamily(layers="falcon_h1"),
    # hybrid_override_pattern: one block per character, M Mamba-2, * attention, - MLP, E MoE
    "nemotron_h": HfFamily(layers="nemotron_h", mlp="nemotron", norms_per_layer=1),
    "mamba2": HfFamily(layers="mamba2", mlp="none", norms_per_layer=1, tied_default=True),
    # Xiaomi MiMo-V2 (SGLang configs/model_config.py get_hybrid_layer_ids: hybrid_layer_pattern
    # 1 is a sliding-window layer, 0 a full one): the sliding layers have heads and head
    # sizes of their own (swa_*), attention sinks by layer type, DeepSeek-style experts laid
    # out by a moe_layer_freq list; its vision tower is Qwen2.5-VL's in shape
    "mimo_v2": HfFamily(layers="mimo_v2", mlp="deepseek", vision="qwen2_5"),
    # NVIDIA's Nemotron-NAS (Llama-3.3-Nemotron-Super-49B, DeciLM): block_configs gives each
    # layer its attention, or none, and a gated MLP of its own width (_hf_nas_blocks)
    "nemotron-nas": HfFamily(layers="nemotron_nas", mlp="nemotron_nas"),
}
# Multimodal wrappers whose text_config does not repeat its own model_type.
HF_FAMILIES["gemma3"] = HF_FAMILIES["gemma3_text"]
HF_FAMILIES["gemma4"] = HF_FAMILIES["gemma4_text"]
for _alias in ("minimax", "minimax_text_01", "MiniMaxText01", "MiniMaxM1"):
    HF_FAMILIES[_alias] = HF_FAMILIES["minimax_m1"]
HF_FAMILIES["llama4"] = HF_FAMILIES["llama4_text"]
HF_FAMILIES["qwen3_5"] = HF_FAMILIES["qwen3_5_text"]
HF_FAMILIES["qwen2_5_vl"] = HF_FAMILIES["qwen2_5_vl_text"]
HF_FAMILIES["qwen3_vl"] = HF_FAMILIES["qwen3_vl_text"]
HF_FAMILIES["qwen3_vl_moe"] = HF_FAMILIES["qwen3_vl_moe_text"]
HF_FAMILIES["qwen3_5_moe"] = HF_FAMILIES["qwen3_5_moe_text"]
# MiMo-V2-Flash, the first MiMo-V2: the same model under its older name (SGLang
# models/mimo_v2.py, "Keep the old Flash architecture name loadable while new configs use
# MiMoV2ForCausalLM": MiMoV2FlashForCausalLM subclasses MiMoV2ForCausalLM unchanged)
HF_FAMILIES["mimo_v2_flash"] = HF_FAMILIES["mimo_v2"]


class _HfConfig:
    """Field access on a config.json (its text_config when there is one), recording each field
    read so the entry can say what it was derived from."""

    def __init__(self, label: str, raw: Any):
        if not isinstance(raw, dict):
            raise CatalogError(label, None, "top level must be a JSON object")
        self.label = label
        self.top = raw
        text = raw.get("text_config")
        self.prefix = "text_config." if isinstance(text, dict) else ""
        self.raw = text if isinstance(text, dict) else raw
        self.used: dict[str, Any] = {}
        self.defaults: dict[str, Any] = {}       # what transformers fills in when absent
        self.family = HfFamily()                 # set once the model_type is known
        self.defaulted: dict[str, Any] = {}

    def fail(self, field: str, message: str) -> CatalogError:
        return CatalogError(self.label, None, f"{self.prefix}{field} {message}")

    @property
    def quantization(self) -> Any:
        """The quantization_config, at the top level or in text_config (None when absent)."""
        return self.top.get("quantization_config") or self.raw.get("quantization_config")

    def spelling(self, field: str) -> str:
        """The key this config holds a field the rules read under: its own name, the family's
        alias, or the name transformers 5 writes (HF_V5_KEYS); its own name when absent."""
        alias = next((written for read, written in self.family.aliases if read == field), None)
        for key in (field, alias, HF_V5_KEYS.get(field)):
            if key is not None and key in self.raw:
                return key
        return field

    def value(self, field: str, default: Any = None, kinds: tuple[type, ...] = ()) -> Any:
        """The field's value (recorded as used), or `default` when absent or null; with
        `kinds`, a value of another JSON type is refused (true is not a number)."""
        field = self.spelling(field)
        value = self.raw.get(field)
        if value is None and field in self.defaults:
            value = self.defaults[field]
            self.defaulted[self.prefix + field] = value
            return value
        if value is None:
            return default
        if kinds and (not isinstance(value, kinds) or (isinstance(value, bool)
                                                        and bool not in kinds)):
            names = " or ".join({bool: "true or false", str: "a string", int: "an integer",
                                 list: "a list", dict: "an object"}[k] for k in kinds)
            raise self.fail(field, f"must be {names} (got {shown(value)})")
        self.used[self.prefix + field] = value
        return value

    def flag(self, field: str, default: bool) -> bool:
        return self.value(field, default, (bool,))

    def experts(self) -> tuple[int, int]:
        """(routed experts, from the key the family keeps them in, experts per token),
        refusing more per token than there are; a field is named as this config spells it
        (Gemma 4: top_k_experts)."""
        field = self.family.experts_key
        experts, top_k = self.number(field), self.number("num_experts_per_tok")
        if top_k > experts:
            raise self.fail(self.spelling("num_experts_per_tok"),
                            f"must not exceed the number of experts, {self.spelling(field)} "
                            f"({top_k} > {experts})")
        return experts, top_k

    def number(self, field: str, default: Any = _REQUIRED, minimum: int = 1,
               maximum: int = MAX_CATALOG_NUMBER) -> int:
        value = self.value(field)
        if value is None:
            if default is _REQUIRED:
                raise self.fail(field, "is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum \
                or value > maximum:
            kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
            raise self.fail(field, f"must be {kind} up to {maximum:,} (got {shown(value)})"
                            if isinstance(value, int) and value > maximum
                            else f"must be {kind} (got {shown(value)})")
        return value

    def index_list(self, field: str) -> list[int]:
        """A list of layer indices (mlp_only_layers); absent is empty."""
        value = self.value(field, [], (list,))
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
            raise self.fail(field, f"must be a list of layer indices (got {shown(value)})")
        return value

    def choice_list(self, field: str, length: int, allowed: Iterable[Any]) -> list[Any] | None:
        value = self.value(field)
        if value is None:
            return None
        allowed = tuple(allowed)
        if not isinstance(value, list) or len(value) != length:
            raise self.fail(field, f"must be a list of {length} values, one per layer "
                                   f"(got {shown(value)})")
        for i, item in enumerate(value):
            if isinstance(item, bool) or item not in allowed:
                raise self.fail(f"{field}[{i}]", f"is {shown(item)}, which this tool cannot "
                                                 f"interpret (expected one of {allowed})")
        return value


# What a Nemotron-NAS block may set that this tool does not size: (part, key) pairs whose
# value must be null or false
NAS_UNSIZED = (("attention", "replace_with_linear"), ("attention", "sparsify"),
               ("attention", "window_length"), ("attention", "num_sink_tokens"),
               ("ffn", "replace_with_linear"), ("ffn", "sparsify"))


def _hf_nas_blocks(c: _HfConfig, n: int) -> list[tuple[int | None, int]]:
    """Each layer's (query heads per KV head, or None where its attention is a no-op; its MLP's
    intermediate size, or 0 where that is a no-op), from a Nemotron-NAS block_configs as vLLM
    and SGLang build it (models/nemotron_nas.py DeciLMDecoderLayer: num_attention_heads //
    n_heads_in_group KV heads; _ffn_mult_to_intermediate_size: int(2 x ffn_mult x hidden / 3)
    rounded up to a multiple of 256). Layers replaced by a linear map, sparse or windowed
    attention, attention sinks, or KV head groups that differ between layers are refused.

    >>> c = _HfConfig("t", {"hidden_size": 8192, "num_attention_heads": 64, "block_configs": [
    ...     {"attention": {"no_op": False, "n_heads_in_group": 8}, "ffn": {"ffn_mult": 5.25}},
    ...     {"attention": {"no_op": True}, "ffn": {"ffn_mult": 1.0}}]})
    >>> _hf_nas_blocks(c, 2)      # 2 x 5.25 x 8192 / 3 = 28,672; 5,461.3 -> 5,632
    [(8, 28672), (None, 5632)]
    """
    blocks = c.value("block_configs", None, (list,))
    if blocks is None or len(blocks) != n:
        raise c.fail("block_configs", f"must be a list of {n} layer blocks, one per layer "
                                      f"(got {shown(blocks)})")
    heads, hidden = c.number("num_attention_heads"), c.number("hidden_size")
    if c.flag("mlp_bias", False):
        raise c.fail("mlp_bias", "is true (biases on the MLPs), which this tool cannot size")
    out = []
    for i, block in enumerate(blocks):
        where = f"block_configs[{i}]"
        if not isinstance(block, dict) or set(block) != {"attention", "ffn"} \
                or not all(isinstance(block[part], dict) for part in block):
            raise c.fail(where, f"must be an object of an attention and an ffn object, which "
                                f"this tool can size (got {shown(block)})")
        for part, key in NAS_UNSIZED:
            value = block[part].get(key)
            if value not in (None, False):
                said = "true" if value is True else shown(value)
                raise c.fail(f"{where}.{part}.{key}", f"is {said}, which this tool cannot size")
        group = None
        if block["attention"].get("no_op") is not True:
            group = block["attention"].get("n_heads_in_group")
            if isinstance(group, bool) or not isinstance(group, int) or group < 1 \
                    or heads % group:
                raise c.fail(f"{where}.attention.n_heads_in_group",
                             f"must divide num_attention_heads ({heads}) (got {shown(group)})")
        size = 0
        if block["ffn"].get("no_op") is not True:
            mult = block["ffn"].get("ffn_mult")
            if isinstance(mult, bool) or not isinstance(mult, (int, float)) \
                    or not 0 < mult <= 1000:
                raise c.fail(f"{where}.ffn.ffn_mult", f"must be a positive number (got "
                                                      f"{shown(mult)})")
            size = _blocks(int(2 * mult * hidden / 3), 256) * 256
        out.append((group, size))
    groups = sorted({g for g, _ in out if g})
    if len(groups) > 1:
        raise c.fail("block_configs", f"gives its attention layers KV head groups of "
                                      f"{', '.join(map(str, groups))} query heads: one KV head "
                                      f"count per layer kind is what this tool sizes")
    return out


def _hf_attention_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """K/V heads and head sizes of an attention layer; an explicit head_dim wins."""
    heads = c.number("num_attention_heads")
    kv_heads = c.number("num_key_value_heads", heads) if c.family.layers != "nemotron_nas" \
        else heads // next(g for g, _ in _hf_nas_blocks(c, c.number("num_hidden_layers")) if g)
    head_dim = c.number("head_dim", None)
    if head_dim is None:
        hidden = c.number("hidden_size")
        if hidden % heads:
            raise c.fail("hidden_size", f"is not a multiple of num_attention_heads "
                                        f"({hidden} / {heads}) and head_dim is absent")
        head_dim = hidden // heads
    if heads % kv_heads:
        raise c.fail("num_key_value_heads", f"must divide num_attention_heads "
                                            f"({heads} / {kv_heads})")
    v_head_dim = c.number("v_head_dim", head_dim)
    return (("kv_heads", kv_heads), ("head_dim", head_dim), ("v_head_dim", v_head_dim))


def _hf_sliding_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """A sliding-window layer's K/V heads and head sizes: MiMo-V2's have their own
    (swa_num_key_value_heads, swa_head_dim, swa_v_head_dim; vLLM and SGLang mimo_v2 models
    build these layers from them), every other family's are its attention's."""
    if c.family.layers != "mimo_v2":
        return _hf_attention_dims(c)
    heads, kv_heads = c.number("swa_num_attention_heads"), c.number("swa_num_key_value_heads")
    if heads % kv_heads:
        raise c.fail("swa_num_key_value_heads", f"must divide swa_num_attention_heads "
                                                f"({heads} / {kv_heads})")
    head_dim = c.number("swa_head_dim")
    return (("kv_heads", kv_heads), ("head_dim", head_dim),
            ("v_head_dim", c.number("swa_v_head_dim", head_dim)))


def _hf_full_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """A full-attention layer's K/V heads and head sizes. Gemma 4's have their own
    (vLLM models/gemma4.py Gemma4DecoderLayer): global_head_dim, and with attention_k_eq_v
    num_global_key_value_heads; K and V are both cached (the K weights fill V's slot)."""
    dims = _hf_attention_dims(c)
    if c.family.layers != "gemma4":
        return dims
    d = dict(dims)
    head_dim = c.number("global_head_dim", d["head_dim"])
    kv_heads = c.number("num_global_key_value_heads", d["kv_heads"]) \
        if c.flag("attention_k_eq_v", False) else d["kv_heads"]
    return (("kv_heads", kv_heads), ("head_dim", head_dim), ("v_head_dim", head_dim))


def _hf_layer_kinds(c: _HfConfig, family: HfFamily, n: int) -> list[str]:
    """Return each layer's kind before windows are applied. layer_types, when the config has
    it, beats every pattern."""
    if family.layers == "mla_indexer":
        # indexer_types (GLM-5.3): a "shared" layer reuses another layer's top-k and keeps
        # only the MLA latent (SGLang resolve_dsa_indexer_layer_ids: physical indexer layers)
        types = c.choice_list("indexer_types", n, INDEXER_TYPES)
        return [INDEXER_TYPES[t] for t in types] if types else ["mla_indexer"] * n
    if family.layers == "mla":
        return ["mla"] * n
    if family.layers == "nemotron_nas":        # a layer without attention is its MLP alone
        return ["full" if group else "mlp" for group, _ in _hf_nas_blocks(c, n)]
    if family.layers == "mimo_v2":
        pattern = c.choice_list("hybrid_layer_pattern", n, (0, 1))
        if pattern is None:
            raise c.fail("hybrid_layer_pattern", "is missing (MiMo-V2 names each layer's "
                                                 "attention: 1 sliding, 0 full)")
        return ["sliding" if p else "full" for p in pattern]
    if family.layers == "minimax_hybrid":
        return _hf_minimax_layer_kinds(c, n)
    if family.layers == "granite_hybrid":
        types = c.choice_list("layer_types", n, GRANITE_LAYER_TYPES)
        if types is None:
            raise c.fail("layer_types", "is missing (Granite 4.0-H names each layer's mixer)")
        return [GRANITE_LAYER_TYPES[t] for t in types]
    layer_types = c.choice_list("layer_types", n, HF_LAYER_TYPES)
    if layer_types is not None:
        return [HF_LAYER_TYPES[t] for t in layer_types]
    if family.layers == "gemma4":
        raise c.fail("layer_types", "is missing (Gemma 4 names each layer's attention)")
    if family.layers in ("gemma2", "gpt_oss"):       # even layers slide: 0, 2, 4, ...
        return ["sliding" if i % 2 == 0 else "full" for i in range(n)]
    if family.layers == "gemma3":                    # every pattern-th layer is global
        pattern = c.number("sliding_window_pattern", 6)
        return ["full" if (i + 1) % pattern == 0 else "sliding" for i in range(n)]
    if family.layers == "llama4":
        # no_rope_layers[i] == 0 marks a NoPE layer with global attention; the RoPE layers use
        # chunked local attention. Default: every no_rope_layer_interval-th layer is NoPE.
        rope = c.choice_list("no_rope_layers", n, (0, 1))
        if not rope:
            interval = c.number("no_rope_layer_interval", 4)
            rope = [int((i + 1) % interval != 0) for i in range(n)]
        chunked = c.number("attention_chunk_size", None) is not None
        return ["chunked" if chunked and rope[i] else "full" for i in range(n)]
    if family.layers == "qwen3_next":
        interval = c.number("full_attention_interval")
        return ["full" if (i + 1) % interval == 0 else "linear_attention" for i in range(n)]
    if family.layers == "jamba":
        period = c.number("attn_layer_period")
        offset = c.number("attn_layer_offset", minimum=0)
        return ["full" if i % period == offset else "mamba" for i in range(n)]
    if family.layers == "nemotron_h":
        blocks = c.choice_list("layers_block_type", n, NEMOTRON_BLOCK_TYPES) \
            if "hybrid_override_pattern" not in c.raw else None
        if blocks is not None:        # Nemotron 3.5 names its blocks in a list
            return [NEMOTRON_BLOCK_TYPES[b] for b in blocks]
        pattern = c.value("hybrid_override_pattern", None, (str,))
        if pattern is None or len(pattern) != n or set(pattern) - set(NEMOTRON_BLOCKS):
            raise c.fail("hybrid_override_pattern", f"must be {n} characters of "
                                                    f"{''.join(NEMOTRON_BLOCKS)} (got "
                                                    f"{shown(pattern)})")
        return [NEMOTRON_BLOCKS[ch] for ch in pattern]
    if family.layers == "mamba2":
        return ["mamba2"] * n
    if family.layers == "minimax":
        # attn_type_list: 1 softmax attention, 0 lightning attention (MiniMax-M1's family)
        c.choice_list("attn_type_list", n, (1,))
    if family.layers == "kimi_linear":
        return _hf_kimi_layer_kinds(c, n)
    return ["full"] * n


def _hf_minimax_layer_kinds(c: _HfConfig, n: int) -> list[str]:
    """MiniMax-M1 / Text-01: attn_type_list (MiniMax's configs: 0 lightning, 1 softmax) or
    layer_types (transformers' MiniMaxConfig: linear_attention is lightning there)."""
    types = c.choice_list("layer_types", n, MINIMAX_LAYER_TYPES)
    if types is not None:
        return [MINIMAX_LAYER_TYPES[t] for t in types]
    codes = c.choice_list("attn_type_list", n, (0, 1))
    if codes is None:
        raise c.fail("attn_type_list", "is missing (MiniMax-M1 names each layer's attention: "
                                       "0 lightning, 1 softmax)")
    return ["full" if t == 1 else "lightning" for t in codes]


def _hf_linear_attn_config(c: _HfConfig, key: str, default: Any = _REQUIRED) -> Any:
    """A value of Kimi-Linear's linear_attn_config object (recorded as used)."""
    nested = c.value("linear_attn_config", None, (dict,))
    if nested is None:
        raise c.fail("linear_attn_config", "is missing (Kimi-Linear lists its KDA layers there)")
    value = nested.get(key)
    if value is None and default is not _REQUIRED:
        return default
    c.used[f"{c.prefix}linear_attn_config.{key}"] = value
    if key.startswith("use_"):
        if not isinstance(value, bool):
            raise c.fail(f"linear_attn_config.{key}", f"must be true or false "
                                                      f"(got {shown(value)})")
    elif key.endswith("_layers"):
        if not isinstance(value, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in value):
            raise c.fail(f"linear_attn_config.{key}", f"must be a list of layer numbers "
                                                      f"(got {shown(value)})")
    elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise c.fail(f"linear_attn_config.{key}", f"must be a positive integer "
                                                  f"(got {shown(value)})")
    return value


def _hf_kimi_layer_kinds(c: _HfConfig, n: int) -> list[str]:
    """Kimi-Linear: linear_attn_config.full_attn_layers (1-based, as vLLM's KimiLinearConfig
    reads them) are MLA, kda_layers are KDA; together they name every layer once."""
    full = _hf_linear_attn_config(c, "full_attn_layers")
    kda = _hf_linear_attn_config(c, "kda_layers", [i for i in range(1, n + 1)
                                                   if i not in full])
    if sorted(full + kda) != list(range(1, n + 1)):
        raise c.fail("linear_attn_config.full_attn_layers", f"and kda_layers must name each "
                                                            f"of layers 1..{n} once")
    return ["mla" if i + 1 in full else "kda" for i in range(n)]


def _hf_apply_window(c: _HfConfig, family: HfFamily, kinds: list[str], max_context: int,
                     explicit_types: bool) -> tuple[list[str], int | None, list[str]]:
    """Return kinds with the sliding window in force, the window, and notes on what was read.

    use_sliding_window false means no window; a window at or above the maximum context is
    full attention."""
    notes = []
    n = len(kinds)
    use_window = c.flag("use_sliding_window", family.window != "qwen")   # Qwen2Config: False
    if use_window is False:
        window = None
        notes.append("use_sliding_window false: no window")
    elif "sliding_window" not in c.raw and family.window_default is not None:
        window = family.window_default
        notes.append(f"sliding_window absent: transformers' default {window}")
    else:
        window = c.number("sliding_window", None)
    if family.window == "qwen" and window is not None and not explicit_types:
        first = c.number("max_window_layers", n, minimum=0)
        kinds = ["sliding" if i >= first else k for i, k in enumerate(kinds)]
    elif family.window == "all" and window is not None and not explicit_types:
        kinds = ["sliding"] * n
    if "sliding" in kinds and window is not None and window >= max_context:
        notes.append(f"sliding_window {window} >= max_position_embeddings {max_context}: "
                     f"full attention")
        window = None
    if "sliding" in kinds and window is None:
        kinds = ["full" if k == "sliding" else k for k in kinds]
    return kinds, window, notes


HF_STATE_DTYPES = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16"}


def _hf_temporal_precision(c: _HfConfig, family: HfFamily) -> str | None:
    """The recurrent state's precision when the model sets it apart from the conv state:
    Nemotron-H's mamba_ssm_cache_dtype, else float32 (vLLM model_executor/models/config.py
    NemotronHForCausalLMConfig.update_mamba_ssm_cache_dtype: "only float32 is known to have
    no accuracy issues"); Qwen3.5's mamba_ssm_dtype (SGLang configs/mamba_utils.py
    mamba2_state_dtype reads it from the config)."""
    if family.layers == "kimi_linear":      # vLLM mamba_utils.py kda_state_dtype
        return "fp32"
    if family.layers == "nemotron_h":
        key, default = "mamba_ssm_cache_dtype", "float32"
    else:
        key, default = "mamba_ssm_dtype", None
    value = c.value(key, default, (str,))
    if value is not None and value not in HF_STATE_DTYPES:
        raise c.fail(key, f"must be one of {', '.join(HF_STATE_DTYPES)} (got {shown(value)})")
    return HF_STATE_DTYPES.get(value) if value else None


def _hf_layer_groups(c: _HfConfig, kinds: list[str], window: int | None,
                     state_precision: str, temporal: str | None = None
                     ) -> tuple[LayerGroup, ...]:
    """Collapse per-layer kinds into layer groups, in order of first appearance."""
    dims_by_kind = {kind: HF_KIND_RULES[kind].dims(c, window) for kind in dict.fromkeys(kinds)}
    return tuple(LayerGroup(kind, kinds.count(kind), dims_by_kind[kind],
                            state_precision if LAYER_KINDS[kind].state else None,
                            temporal if LAYER_KINDS[kind].state and temporal != state_precision
                            else None)
                 for kind in dims_by_kind)


def _hf_moe_layer(c: _HfConfig, family: HfFamily, i: int) -> bool:
    """Whether layer i's MLP is a mixture of experts (each family's own rule)."""
    if family.mlp in ("mixtral", "gpt_oss", "minimax"):
        return True
    if family.mlp == "qwen_moe":
        step = c.number("decoder_sparse_step", 1)
        dense = c.index_list("mlp_only_layers")
        # required: transformers' default (60, 128 or 512 by class) would apply when absent
        return c.number("num_experts", minimum=0) > 0 and i not in dense \
            and (i + 1) % step == 0
    if family.mlp == "deepseek":
        if isinstance(c.raw.get("moe_layer_freq"), list):    # MiMo-V2: a 0/1 per layer
            n = c.number("num_hidden_layers")
            return c.number("n_routed_experts", 0, minimum=0) > 0 \
                and c.choice_list("moe_layer_freq", n, (0, 1))[i] == 1
        return c.number("n_routed_experts", 0, minimum=0) > 0 \
            and i >= c.number("first_k_dense_replace", 0, minimum=0) \
            and i % c.number("moe_layer_freq", 1) == 0
    if family.mlp == "llama4":
        return (i + 1) % c.number("interleave_moe_layer_step", 1) == 0
    if family.mlp == "jamba":
        return c.number("num_experts", 1) > 1 and \
            i % c.number("expert_layer_period", 1) == c.number("expert_layer_offset", 0,
                                                                 minimum=0)
    return False


def _hf_mlp_params(c: _HfConfig, family: HfFamily, moe: bool, hidden: int
                   ) -> tuple[int, int, int]:
    """Return (total, active per token, beside the routed experts) parameters of one layer's
    MLP: gated MLPs have gate, up and down projections, 3 x hidden x intermediate. The last
    is a dense layer's whole MLP, or an MoE layer's shared experts (not its router, nor
    Qwen's one-output shared-expert gate): what SGLang splits over every rank under
    data-parallel attention."""
    if not moe:
        key = "intermediate_size_mlp" if family.mlp == "llama4" else "intermediate_size"
        dense = 3 * hidden * c.number(key)
        return dense, dense, dense
    (experts, top_k), shared, router_bias = c.experts(), 0, False
    if family.mlp in ("qwen_moe", "deepseek"):
        size = c.number("moe_intermediate_size")
    else:   # mixtral, gpt_oss, minimax, llama4, jamba: intermediate_size is the expert's
        size = c.number("intermediate_size")
    if family.mlp == "qwen_moe":
        shared_size = c.number("shared_expert_intermediate_size", 0, minimum=0)
        shared = 3 * hidden * shared_size + hidden if shared_size else 0   # + its sigmoid gate
    elif family.mlp == "deepseek":
        shared = 3 * hidden * size * c.number("n_shared_experts", 0, minimum=0)
        # e_score_correction_bias: with noaux_tc routing, and always in Kimi-Linear's router
        # (vLLM kimi_linear.py KimiMoE declares it unconditionally)
        router_bias = c.value("topk_method", None, (str,)) == "noaux_tc" \
            or family.layers == "kimi_linear"
    elif family.mlp == "llama4":
        shared = 3 * hidden * size
    elif family.mlp != "jamba":
        router_bias = family.mlp == "gpt_oss" or c.flag("use_routing_bias", False)
    latent = c.number("routed_expert_hidden_size", None) if family.mlp == "deepseek" else None
    expert = 3 * (latent or hidden) * size
    if family.mlp == "gpt_oss":
        expert += 2 * size + hidden                      # gate_up and down biases
    router = hidden * experts + (experts if router_bias else 0)
    if latent:      # Kimi K3's latent MoE: the routed experts work at routed_expert_hidden_size
        # (routed_expert_down_proj into it, routed_expert_up_proj out, routed_expert_norm)
        router += 2 * hidden * latent + (latent if c.flag("latent_moe_use_norm", False) else 0)
    beside = shared - hidden if family.mlp == "qwen_moe" and shared else shared
    return experts * expert + shared + router, top_k * expert + shared + router, beside


def _hf_softmax_params(c: _HfConfig, family: HfFamily, hidden: int, sliding: bool = False
                       ) -> int:
    """Parameters of one attention layer: q, k, v, o projections, biases, norms, sinks (one
    per head: gpt-oss's everywhere, MiMo-V2's by layer type, add_swa_attention_sink_bias and
    add_full_attention_sink_bias). A sliding layer of MiMo-V2 has its own heads
    (_hf_sliding_dims)."""
    mimo = family.layers == "mimo_v2"
    heads = c.number("swa_num_attention_heads" if mimo and sliding else "num_attention_heads")
    d = dict(_hf_sliding_dims(c) if sliding else _hf_attention_dims(c))
    kv_heads, head_dim, v_dim = d["kv_heads"], d["head_dim"], d["v_head_dim"]
    q_out = heads * head_dim * (2 if family.gated_query else 1)
    params = hidden * q_out + hidden * kv_heads * (head_dim + v_dim) + heads * v_dim * hidden
    qkv_bias = q_out + kv_heads * (head_dim + v_dim)
    if family.attention_bias == "qkv":
        params += qkv_bias
    elif c.flag("attention_bias", False):
        params += qkv_bias + (hidden if family.attention_bias == "config" else 0)
    if family.qk_norm == "head" or (family.qk_norm == "use_qk_norm"
                                    and c.flag("use_qk_norm", False)):
        params += 2 * head_dim
    elif family.qk_norm == "layer":
        params += (heads + kv_heads) * head_dim
    if family.sinks or (mimo and c.flag("add_swa_attention_sink_bias" if sliding
                                        else "add_full_attention_sink_bias", False)):
        params += heads
    return params


def _hf_full_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """One full-attention layer. Gemma 4's: q and o over global_head_dim, k (and v unless
    attention_k_eq_v: the checkpoint has no v_proj, though vLLM fills a copy of k in its
    place), q_norm and k_norm (v_norm has no weight)."""
    if family.layers != "gemma4":
        return _hf_softmax_params(c, family, hidden)
    d = dict(_hf_full_dims(c))
    heads, kv_heads, head_dim = c.number("num_attention_heads"), d["kv_heads"], d["head_dim"]
    kv = hidden * kv_heads * head_dim * (1 if c.flag("attention_k_eq_v", False) else 2)
    return 2 * hidden * heads * head_dim + kv + 2 * head_dim


def _hf_gemma4_mlp_params(c: _HfConfig, i: int, n: int, hidden: int) -> tuple[int, int]:
    """(total, active) of Gemma 4 layer i's feed-forward part (vLLM models/gemma4.py
    Gemma4DecoderLayer): a gated MLP, twice as wide in KV-shared layers with
    use_double_wide_mlp; with enable_moe_block, experts beside it (top_k_experts of
    num_experts, moe_intermediate_size), a router (projection and a scale of hidden_size),
    per_expert_scale and three more norms; with per-layer embeddings, the layer's gate and
    projection (hidden_size_per_layer_input) and their norm."""
    shared_from = n - c.number("num_kv_shared_layers", 0, minimum=0)
    wide = 2 if c.flag("use_double_wide_mlp", False) and 0 < shared_from <= i else 1
    dense = 3 * hidden * c.number("intermediate_size") * wide
    per_layer = c.number("hidden_size_per_layer_input", 0, minimum=0)
    dense += 2 * hidden * per_layer + hidden if per_layer else 0
    if not c.flag("enable_moe_block", False):
        return dense, dense
    experts, top_k = c.experts()
    expert = 3 * hidden * c.number("moe_intermediate_size")
    router = hidden * experts + hidden + experts + 3 * hidden
    return dense + experts * expert + router, dense + top_k * expert + router


def _hf_gemma4_per_layer_embeddings(c: _HfConfig, n: int, hidden: int) -> int:
    """Gemma 4's per-layer embeddings (E2B, E4B): a table of vocab_size_per_layer_input x
    (layers x hidden_size_per_layer_input), its projection from hidden_size and a norm."""
    per_layer = c.number("hidden_size_per_layer_input", 0, minimum=0)
    if not per_layer:
        return 0
    vocab = c.number("vocab_size_per_layer_input", c.number("vocab_size"))
    return (vocab + hidden) * n * per_layer + per_layer


def _hf_mla_latent_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """The MLA latent's sizes, what every MLA layer caches per token."""
    return (("kv_lora_rank", c.number("kv_lora_rank")),
            ("qk_rope_head_dim", c.number("qk_rope_head_dim")))


def _hf_mla_head_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """MLA's per-head sizes after the up-projection: they size no KV, only prefill's FLOPs."""
    return (("qk_nope_head_dim", c.number("qk_nope_head_dim")),
            ("v_head_dim", c.number("v_head_dim")))


def _hf_mla_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """Parameters of one MLA layer: q (LoRA or plain), the KV latent and its up-projection,
    the output projection and, with mla_use_output_gate (Kimi K3), a gate projection as
    wide (g_proj, hidden x heads x v_head_dim)."""
    heads = c.number("num_attention_heads")
    rope, nope = c.number("qk_rope_head_dim"), c.number("qk_nope_head_dim")
    v_dim, kv_rank = c.number("v_head_dim"), c.number("kv_lora_rank")
    q_rank = c.number("q_lora_rank", None)
    q = hidden * q_rank + q_rank + q_rank * heads * (nope + rope) if q_rank \
        else hidden * heads * (nope + rope)
    outputs = 2 if c.flag("mla_use_output_gate", False) else 1      # o_proj, and g_proj
    return q + hidden * (kv_rank + rope) + kv_rank + kv_rank * heads * (nope + v_dim) \
        + outputs * heads * v_dim * hidden


def _hf_mla_indexer_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """One sparse-attention layer: MLA plus the lightning indexer (DeepSeek-V3.2 inference
    model.py Indexer: wq_b q_lora_rank -> heads x head_dim, wk hidden -> head_dim, k_norm a
    LayerNorm of head_dim with bias, weights_proj hidden -> heads)."""
    heads, dim = c.number("index_n_heads"), c.number("index_head_dim")
    q_rank = c.number("q_lora_rank")
    return _hf_mla_params(c, family, hidden) + q_rank * heads * dim + hidden * dim \
        + 2 * dim + hidden * heads


def _hf_gated_delta_net_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """Parameters of one Gated DeltaNet mixer (Qwen3-Next)."""
    nk, dk = c.number("linear_num_key_heads"), c.number("linear_key_head_dim")
    nv, dv = c.number("linear_num_value_heads"), c.number("linear_value_head_dim")
    key, value = nk * dk, nv * dv
    return hidden * (2 * key + 2 * value) + hidden * 2 * nv \
        + (2 * key + value) * c.number("linear_conv_kernel_dim") + 2 * nv + dv \
        + value * hidden


MAMBA2_KEYS = (   # (num_heads, head_dim, n_groups, d_state, conv_kernel) as each family says
    ("mamba_num_heads", "mamba_head_dim", "n_groups", "ssm_state_size", "conv_kernel"),
    ("mamba_n_heads", "mamba_d_head", "mamba_n_groups", "mamba_d_state", "mamba_d_conv"),
    ("num_heads", "head_dim", "n_groups", "state_size", "conv_kernel"))


def _hf_mamba2_dims(c: _HfConfig) -> tuple[tuple[str, int], ...]:
    """A Mamba-2 mixer's sizes: Nemotron-H's mamba_* keys, Granite 4.0-H's and Falcon-H1's
    mamba_n_* keys, or Mamba2Config's own (the first set the config has). Falcon-H1's
    mamba_d_head may be "auto" (mamba_d_ssm / mamba_n_heads, transformers' FalconH1Config).
    The conv state spans num_heads x head_dim channels: an inner size the config states
    otherwise (mamba_d_ssm, or mamba_expand x hidden_size for Granite and Falcon-H1, which
    vLLM passes as intermediate_size) must agree, or the mixer cannot be sized."""
    keys = next((k for k in MAMBA2_KEYS if k[0] in c.raw), MAMBA2_KEYS[0])
    names = ("num_heads", "head_dim", "n_groups", "d_state", "conv_kernel")
    inner = None
    if keys[1] == "mamba_d_head":
        inner = c.number("mamba_d_ssm", None) or (
            c.number("mamba_expand") * c.number("hidden_size") if "mamba_expand" in c.raw
            else None)
        if c.raw.get("mamba_d_head") == "auto" and inner is not None:
            c.used[c.prefix + "mamba_d_head"] = "auto"
            heads = c.number("mamba_n_heads")
            dims = dict(zip(names, (heads, inner // heads, *(c.number(k) for k in keys[2:]))))
            return tuple(dims.items())
    dims = {name: c.number(key) for name, key in zip(names, keys)}
    if inner is not None and inner != dims["num_heads"] * dims["head_dim"]:
        raise c.fail("mamba_n_heads", f"x mamba_d_head ({dims['num_heads']} x "
                                      f"{dims['head_dim']}) must equal the Mamba inner size "
                                      f"{inner} (mamba_d_ssm or mamba_expand x hidden_size)")
    return tuple(dims.items())


def _hf_mamba2_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """One Mamba-2 mixer (transformers' NemotronHMamba2Mixer / Mamba2Mixer): in_proj to
    2 x d_inner + 2 x n_groups x d_state + num_heads, the depthwise conv (with its bias),
    dt_bias, A_log and D per head, the gated norm over d_inner, out_proj."""
    d = dict(_hf_mamba2_dims(c))
    inner = d["num_heads"] * d["head_dim"]
    conv_dim = inner + 2 * d["n_groups"] * d["d_state"]
    in_proj = inner + conv_dim + d["num_heads"]       # z, x B C, dt
    conv_bias = conv_dim if c.flag("mamba_conv_bias", c.flag("use_conv_bias", True)) else 0
    proj_bias = in_proj + hidden if c.flag("mamba_proj_bias", c.flag("use_bias", False)) else 0
    return hidden * in_proj + conv_dim * d["conv_kernel"] + conv_bias + 3 * d["num_heads"] \
        + inner + inner * hidden + proj_bias


def _hf_nemotron_mlp_params(c: _HfConfig, block: str, hidden: int) -> tuple[int, int]:
    """(total, active) of one Nemotron-H MLP or MoE block: squared-ReLU MLPs with up and down
    projections only (2 x hidden x size); routed experts top-k of n_routed_experts, shared
    experts, a router with its e_score_correction_bias. With moe_latent_size (LatentMoE,
    Nemotron 3 Super) the routed experts work in that width, between a projection down from
    hidden and one back up that every token passes (vLLM models/nemotron_h.py NemotronHMoE:
    fc1_latent_proj, fc2_latent_proj); the router and the shared expert stay at hidden."""
    if block == "mlp":
        dense = 2 * hidden * c.number("intermediate_size")
        return dense, dense
    experts, top_k = c.experts()
    latent = c.number("moe_latent_size", 0, minimum=0)
    expert = 2 * (latent or hidden) * c.number("moe_intermediate_size")
    shared = 2 * hidden * c.number("moe_shared_expert_intermediate_size", 0, minimum=0) \
        * c.number("n_shared_experts", 1, minimum=0)
    dense = hidden * experts + experts + shared + 2 * hidden * latent
    return experts * expert + dense, top_k * expert + dense


def _hf_kda_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """One Kimi Delta Attention mixer (vLLM models/kimi_linear.py KimiDeltaAttention): q, k,
    v and o projections of num_heads x head_dim, a short depthwise conv on each of q, k and
    v, the low-rank forget gate (f_a to head_dim, f_b back) and output gate (g_a, g_b; with
    linear_attn_config.use_full_rank_gate one g_proj of hidden x num_heads x head_dim, as
    Kimi K3's checkpoint holds), the beta projection (one per head), A_log and dt_bias, and
    the output norm over head_dim."""
    heads, dim = _hf_linear_attn_config(c, "num_heads"), _hf_linear_attn_config(c, "head_dim")
    width = heads * dim
    kernel = _hf_linear_attn_config(c, "short_conv_kernel_size")
    gate = hidden * width if _hf_linear_attn_config(c, "use_full_rank_gate", False) \
        else hidden * dim + dim * width
    return 4 * hidden * width + 3 * width * kernel + hidden * dim + dim * width + gate \
        + hidden * heads + heads + width + dim


def _hf_lightning_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """One lightning-attention mixer (vLLM models/minimax_text_01.py
    MiniMaxText01LinearAttention): qkv_proj to 3 x heads x head_dim, output_gate and out_proj
    of heads x head_dim, and a norm over heads x head_dim; no biases."""
    width = c.number("num_attention_heads") * c.number("head_dim")
    return 5 * hidden * width + width


def _hf_granite_mlp_params(c: _HfConfig, hidden: int) -> tuple[int, int]:
    """(total, active) of one Granite 4.0-H layer's feed-forward part (transformers'
    GraniteMoeHybridDecoderLayer): a shared gated MLP of shared_intermediate_size and, when
    num_local_experts is set, num_experts_per_tok of those experts of intermediate_size with
    a router (no bias)."""
    shared = 3 * hidden * c.number("shared_intermediate_size")
    if not c.number(c.family.experts_key, 0, minimum=0):
        return shared, shared
    experts, top_k = c.experts()
    expert = 3 * hidden * c.number("intermediate_size")
    router = hidden * experts
    return shared + experts * expert + router, shared + top_k * expert + router


def _hf_mamba_params(c: _HfConfig, family: HfFamily, hidden: int) -> int:
    """Parameters of one Mamba-1 mixer (Jamba)."""
    d_inner = c.number("mamba_expand") * hidden
    d_state, d_conv = c.number("mamba_d_state"), c.number("mamba_d_conv")
    dt_rank = c.value("mamba_dt_rank", "auto", (str, int))
    dt_rank = math.ceil(hidden / 16) if dt_rank == "auto" else c.number("mamba_dt_rank")
    conv_bias = d_inner if c.flag("mamba_conv_bias", True) else 0
    proj_bias = 2 * d_inner + hidden if c.flag("mamba_proj_bias", False) else 0
    return hidden * 2 * d_inner + d_inner * d_conv + conv_bias \
        + d_inner * (dt_rank + 2 * d_state) + dt_rank * d_inner + d_inner \
        + d_inner * d_state + d_inner + d_inner * hidden + proj_bias \
        + dt_rank + 2 * d_state                      # dt, B and C layer norms


@record
class HfKindRule:
    """How the importer reads one layer kind from a config: its sizes and its parameters."""

    dims: Callable[[_HfConfig, int | None], tuple[tuple[str, int], ...]]   # (config, window)
    params: Callable[[_HfConfig, HfFamily, int], int]                      # one layer's


HF_KIND_RULES: dict[str, HfKindRule] = {
    "full": HfKindRule(lambda c, window: _hf_full_dims(c), _hf_full_params),
    "sliding": HfKindRule(lambda c, window: _hf_sliding_dims(c) + (("window", window),),
                          lambda c, family, hidden: _hf_softmax_params(c, family, hidden,
                                                                       sliding=True)),
    "chunked": HfKindRule(lambda c, window: _hf_attention_dims(c)
                          + (("chunk", c.number("attention_chunk_size")),), _hf_softmax_params),
    "mla": HfKindRule(lambda c, window: _hf_mla_latent_dims(c) + _hf_mla_head_dims(c),
                      _hf_mla_params),
    # DeepSeek-V3.2 / GLM-5: transformers' DeepseekV32Config reads index_head_dim,
    # index_n_heads and index_topk beside the MLA fields.
    "mla_indexer": HfKindRule(lambda c, window: _hf_mla_latent_dims(c) + (
        ("index_head_dim", c.number("index_head_dim")),
        ("index_n_heads", c.number("index_n_heads")),
        ("index_topk", c.number("index_topk"))), _hf_mla_indexer_params),
    "linear_attention": HfKindRule(
        lambda c, window: (("num_key_heads", c.number("linear_num_key_heads")),
                           ("key_head_dim", c.number("linear_key_head_dim")),
                           ("num_value_heads", c.number("linear_num_value_heads")),
                           ("value_head_dim", c.number("linear_value_head_dim")),
                           ("conv_kernel", c.number("linear_conv_kernel_dim"))),
        _hf_gated_delta_net_params),
    "mamba2": HfKindRule(lambda c, window: _hf_mamba2_dims(c), _hf_mamba2_params),
    "kda": HfKindRule(lambda c, window: (
        ("num_heads", _hf_linear_attn_config(c, "num_heads")),
        ("head_dim", _hf_linear_attn_config(c, "head_dim")),
        ("conv_kernel", _hf_linear_attn_config(c, "short_conv_kernel_size"))), _hf_kda_params),
    "lightning": HfKindRule(lambda c, window: (
        ("num_heads", c.number("num_attention_heads")), ("head_dim", c.number("head_dim"))),
        _hf_lightning_params),
    # Jamba's Mamba-1 mixer: d_inner = mamba_expand x hidden_size
    "mamba": HfKindRule(
        lambda c, window: (("d_inner", c.number("mamba_expand") * c.number("hidden_size")),
                           ("d_state", c.number("mamba_d_state")),
                           ("conv_kernel", c.number("mamba_d_conv"))), _hf_mamba_params),
}


def _hf_layer_mlp_params(c: _HfConfig, family: HfFamily, i: int, n: int, hidden: int,
                         seen: dict[bool, tuple[int, int, int]]
                         ) -> tuple[int, int, int | None]:
    """(total, active, beside the routed experts) of layer i's feed-forward part, by the
    family's MLP rule (_hf_mlp_params; Nemotron-H's are blocks of their own; a pure Mamba-2
    model has none); `seen` keeps the dense and the MoE layer's counts once worked out, for
    the model's other layers. Gemma 4's and Granite's rules do not say the last (None)."""
    if family.mlp in ("nemotron", "none"):
        return 0, 0, 0
    if family.mlp == "gemma4":
        return (*_hf_gemma4_mlp_params(c, i, n, hidden), None)
    if family.mlp == "granite":
        return (*_hf_granite_mlp_params(c, hidden), None)
    moe = _hf_moe_layer(c, family, i)
    if moe not in seen:
        seen[moe] = _hf_mlp_params(c, family, moe, hidden)
    return seen[moe]


def _hf_tied(c: _HfConfig, family: HfFamily) -> bool:
    """Whether the LM head shares the input embedding. A multimodal config's top level says so
    for the model class that loads the checkpoint (transformers ties the weights of that
    class by its own config), so it wins over its text_config: transformers 5 writes a
    text_config default of true beside a top-level false (Qwen3-VL-235B-A22B, whose checkpoint
    stores lm_head.weight apart)."""
    top = c.top.get("tie_word_embeddings")
    if c.prefix and isinstance(top, bool):
        c.used["tie_word_embeddings"] = top
        return top
    return c.flag("tie_word_embeddings", family.tied_default)


def _hf_params(c: _HfConfig, family: HfFamily, kinds: list[str]) -> ParamCount:
    """Count parameters from the config's shapes (multi-token-prediction layers excluded)."""
    hidden, vocab = c.number("hidden_size"), c.number("vocab_size")
    tied = _hf_tied(c, family)
    embeddings = vocab * hidden * (1 if tied else 2)
    mixers = mlp_total = mlp_active = 0
    beside: int | None = 0
    if family.mlp == "gemma4":
        embeddings += _hf_gemma4_per_layer_embeddings(c, len(kinds), hidden)
    if family.layers == "falcon_h1":            # the Mamba-2 mixer beside each attention
        mixers += len(kinds) * _hf_mamba2_params(c, family, hidden)
    mixer: dict[str, int] = {}                  # a kind's mixer is the same in every layer
    mlp: dict[bool, tuple[int, int, int]] = {}
    # Nemotron-NAS: each layer's gated MLP has a width of its own (0: none), and a norm before
    # its attention and one before its MLP where each is there
    nas = [size for _, size in _hf_nas_blocks(c, len(kinds))] \
        if family.mlp == "nemotron_nas" else None
    for i, kind in enumerate(kinds):
        if kind in BLOCKS_WITHOUT_CACHE and nas is None:    # a Nemotron-H MLP or MoE block
            total, active = _hf_nemotron_mlp_params(c, kind, hidden)
            layer_beside = None
        else:
            if kind not in BLOCKS_WITHOUT_CACHE:
                if kind not in mixer:
                    mixer[kind] = HF_KIND_RULES[kind].params(c, family, hidden)
                mixers += mixer[kind]
            total, active, layer_beside = (3 * hidden * nas[i],) * 3 if nas is not None \
                else _hf_layer_mlp_params(c, family, i, len(kinds), hidden, mlp)
        mlp_total += total
        mlp_active += active
        beside = None if beside is None or layer_beside is None else beside + layer_beside
    norms = hidden * (family.norms_per_layer * len(kinds) + 1) \
        + family.scalars_per_layer * len(kinds) if nas is None else \
        hidden * (len(kinds) - kinds.count("mlp") + len(nas) - nas.count(0) + 1)
    if c.number("attn_res_block_size", None):
        # Kimi K3's attention residuals: per layer a norm and a 1 x hidden projection before
        # the attention and before the MLP, and one pair on the output
        norms += hidden * (4 * len(kinds) + 2)
    return ParamCount(embeddings, mixers, mlp_total, mlp_active, norms, beside)


# The keys vLLM reads the model's maximum length from, the smallest present winning
# (config/model.py _get_and_verify_max_len; Kimi-Linear's config gives only model_max_length)
HF_CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_seq_len", "seq_length",
                   "model_max_length", "max_target_positions", "max_sequence_length",
                   "max_seq_length", "seq_len")


def _hf_max_context(c: _HfConfig) -> int | None:
    """The model's maximum length as vLLM derives it: the smallest of HF_CONTEXT_KEYS."""
    found = [c.number(key, None) for key in HF_CONTEXT_KEYS]
    return min((n for n in found if n is not None), default=None)


def _hf_mtp_params(c: _HfConfig, family: HfFamily, blocks: list[str], count: int
                   ) -> tuple[int, int]:
    """(parameters, of which routed experts) that `count` multi-token-prediction layers load
    as a draft beyond the embedding and LM head they share with the model. Each is a decoder
    layer of the model's first attention kind, indexed after the model's layers (so a
    DeepSeek one has routed experts), with eh_proj (2 x hidden -> hidden, no bias) and three
    norms: vLLM's deepseek_mtp.py (enorm, hnorm, shared_head.norm) and qwen3_next_mtp.py (fc,
    pre_fc_norm_embedding, pre_fc_norm_hidden, norm). (0, 0) for a family whose layers have
    no mixer of their own (Nemotron-H) or no MLP rule: not known."""
    kind = next((k for k in blocks if k not in BLOCKS_WITHOUT_CACHE
                 and not LAYER_KINDS[k].state), None)
    if kind is None or family.mlp in ("nemotron", "none"):
        return 0, 0
    hidden, n = c.number("hidden_size"), len(blocks)
    around = HF_KIND_RULES[kind].params(c, family, hidden) \
        + (family.norms_per_layer + 3) * hidden + 2 * hidden * hidden   # all but the MLP
    total = routed = 0
    for i in range(n, n + count):
        mlp, active, _ = _hf_layer_mlp_params(c, family, i, n, hidden, {})
        if mlp != active:                    # routed experts: (E - k) of them not active
            experts, top_k = c.experts()
            routed += (mlp - active) * experts // (experts - top_k)
        total += around + mlp
    return total, routed


def _hf_mtp_entry(c: _HfConfig, family: HfFamily, blocks: list[str], notes: list[str]
                  ) -> dict[str, int]:
    """The catalog's mtp_layers, mtp_params and mtp_expert_params, from DeepSeek's field or
    Qwen3.5's and Qwen3-Next's (vLLM builds that many full-attention draft layers:
    qwen3_5_mtp.py, getattr(config, "mtp_num_hidden_layers", 1)); none without them."""
    mtp = c.number("num_nextn_predict_layers", 0, minimum=0) \
        or c.number("mtp_num_hidden_layers", 0, minimum=0)
    if not mtp:
        return {}
    params, routed = _hf_mtp_params(c, family, blocks, mtp)
    notes.append(f"{mtp} multi-token-prediction {plural(mtp, 'layer is|layers are')} not "
                 f"counted in the parameters (mtp_layers: with --speculative mtp they cache KV "
                 f"and load " + (f"{params:,} parameters, "
                                 + (f"{routed:,} of them routed experts, " if routed else "")
                                 + "besides the embedding and LM head they share with the model"
                                 if params else "weights this family's rules do not count")
                 + ")")
    return {"mtp_layers": mtp, **({"mtp_params": params} if params else {}),
            **({"mtp_expert_params": routed} if routed else {})}


def _hf_gemma4_vision_params(h: int, i: int, layers: int, patch_values: int, head_dim: int,
                             positions: int, standardize: bool, text_hidden: int) -> int:
    """Gemma 4's vision tower and projector (transformers Gemma4VisionModel,
    Gemma4MultimodalEmbedder), with no bias anywhere: per block the q, k, v and o projections
    (4 h^2), a gated MLP (3 h i), four RMSNorms (4 h) and q_norm and k_norm over head_dim
    (v_norm has no weight); the patch embedder's input_proj (channels x patch^2 values to h),
    a position table of 2 x position_embedding_size x h, std_bias and std_scale (2 h) when it
    standardizes; embed_vision's embedding_projection (h x the text hidden size; the norm
    before it has no weight).

    >>> _hf_gemma4_vision_params(1152, 4304, 27, 3 * 16 * 16, 72, 10240, True, 5376)
    575743536
    """
    block = 4 * h * h + 3 * h * i + 4 * h + 2 * head_dim
    return layers * block + patch_values * h + 2 * positions * h \
        + (2 * h if standardize else 0) + h * text_hidden


MOONVIT2_BIASES = ("attn_bias", "linear_bias", "patch_embed_proj_bias")   # its vision_config's


def _hf_moonvit2_params(h: int, i: int, layers: int, patch_values: int, positions: int,
                        qkv: int, merged: int, text_hidden: int, biases: dict[str, bool]
                        ) -> int:
    """Kimi K3's MoonViT (vision_config mm_projector_type "patchmergerv2", norm_type rmsnorm):
    per block a fused wqkv from h to 3 x qkv_hidden_size and wo back (4 h q), a two-layer
    MLP fc0, fc1 (2 h i) and two RMSNorms (2 h), with biases only where attn_bias and
    linear_bias say; the patch projection (bias: patch_embed_proj_bias), the position table
    init_pos_emb_height x init_pos_emb_width, a final RMSNorm; the projector: two linear
    layers without bias over the merge_kernel_size patches (h x merged wide, then to the
    text hidden size) and a post-norm over the text width.

    >>> _hf_moonvit2_params(1024, 4096, 27, 3 * 14 * 14, 64 * 64, 1536, 4, 7168,
    ...                     {"attn_bias": False, "linear_bias": False,
    ...                      "patch_embed_proj_bias": False})     # Kimi K3's census
    447358976
    """
    block = 4 * h * qkv + 2 * h * i + 2 * h \
        + (3 * qkv + h if biases["attn_bias"] else 0) + (i + h if biases["linear_bias"] else 0)
    wide = h * merged
    return layers * block + patch_values * h + (h if biases["patch_embed_proj_bias"] else 0) \
        + positions * h + h + wide * wide + text_hidden * wide + text_hidden


def _hf_vision_params(c: _HfConfig, text_hidden: int, notes: list[str]) -> int:
    """Parameters of the vision tower a multimodal config describes in vision_config: a ViT
    (SigLIP, CLIP, Llama 4's, Qwen-VL's) of num_hidden_layers (or depth) blocks, each q, k, v
    and o projections with biases (4 h^2 + 4 h), a two-layer MLP (2 h i + i + h) and two
    layer norms (4 h); the patch embedding (channels x temporal patch x patch^2 x h + h), the
    position table when image_size (or num_position_embeddings) says its size; then the
    projector into the language model: Qwen-VL's merger (transformers' Qwen3VLVisionPatchMerger:
    a layer norm over h, then two linear layers over the spatial_merge_size^2 patches it
    concatenates, to out_hidden_size), one more per deepstack_visual_indexes entry with its
    norm over the concatenated width, and no final norm besides; else SigLIP's final norm and
    one h x text hidden_size matrix (Gemma 3's mm_input_projection). SigLIP-So400m in Gemma 3
    (1,152 wide, 4,304 MLP, 27 blocks, patch 14, image 896) comes to 423 M. Qwen2.5-VL's
    tower (the family's vision "qwen2_5": transformers' Qwen2_5_VLVisionBlock and
    Qwen2_5_VLPatchMerger) has gated MLPs with biases (3 h i + 2 i + h), RMSNorms (h each,
    the merger's ln_q too) and a patch embedding without bias: 676.6 M in Qwen2.5-VL-7B.
    MoonViT (Kimi K2.5's vt_* sizes) is the plain ViT with a position table of
    init_pos_emb_height x init_pos_emb_width, an encoder's final LayerNorm and a merger over
    merge_kernel_size patches (pre-norm, then two linear layers to text_hidden_size): 471.1 M.
    Gemma 4's: _hf_gemma4_vision_params; Kimi K3's MoonViT: _hf_moonvit2_params. 0, with a
    note, when the sizes are not all there; an audio tower is noted, not counted."""
    vision = c.top.get("vision_config")
    if isinstance(c.top.get("audio_config"), dict):      # null: the model has no audio tower
        notes.append("audio_config: the audio tower is not counted")
    if not isinstance(vision, dict):
        return 0

    def size(*keys: str, default: int | None = None) -> int | None:
        for key in keys:
            value = vision.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                c.used[f"vision_config.{key}"] = value
                return value
        return default
    moonvit = "vt_hidden_size" in vision
    h, i = size("hidden_size", "vt_hidden_size"), size("intermediate_size", "vt_intermediate_size")
    layers, patch = size("num_hidden_layers", "depth", "vt_num_hidden_layers"), size("patch_size")
    if None in (h, i, layers, patch):
        notes.append("vision_config lacks hidden_size, intermediate_size, num_hidden_layers "
                     "(or depth) or patch_size: the vision tower is not counted")
        return 0
    channels = size("num_channels", "in_channels", "in_chans", default=3)
    if c.family.vision == "gemma4":
        return _hf_gemma4_vision_params(
            h, i, layers, channels * patch * patch, size("head_dim", default=0),
            size("position_embedding_size", default=0), vision.get("standardize") is True,
            text_hidden)
    image = size("image_size")
    positions = (image // patch) ** 2 if image else size("num_position_embeddings", default=0) \
        or size("init_pos_emb_height", default=0) * size("init_pos_emb_width", default=0)
    kernel = vision.get("merge_kernel_size")
    if isinstance(kernel, list) and len(kernel) == 2 and all(
            isinstance(k, int) and not isinstance(k, bool) and k > 0 for k in kernel):
        c.used["vision_config.merge_kernel_size"] = kernel
        merged = kernel[0] * kernel[1]
    else:
        merged = (size("spatial_merge_size") or 0) ** 2
    if moonvit and vision.get("mm_projector_type") == "patchmergerv2":       # Kimi K3's
        return _hf_moonvit2_params(h, i, layers, channels * patch * patch, positions, size(
            "qkv_hidden_size", default=h), merged, size("text_hidden_size", default=text_hidden),
            {key: vision.get(key) is True for key in MOONVIT2_BIASES})
    gated = c.family.vision == "qwen2_5"
    norm = h if gated else 2 * h                     # RMSNorm, or LayerNorm with its bias
    block = 4 * h * h + 4 * h + 2 * norm \
        + (3 * h * i + 2 * i + h if gated else 2 * h * i + i + h)
    tower = layers * block \
        + channels * size("temporal_patch_size", default=1) * patch * patch * h \
        + (0 if gated else h) + positions * h \
        + (2 * h if moonvit or not merged else 0)    # SigLIP's and MoonViT's final norm
    if not merged:
        return tower + h * text_hidden + h
    wide = h * merged
    out = size("out_hidden_size", "text_hidden_size", default=text_hidden)
    mlp = wide * wide + wide + wide * out + out
    deepstack = vision.get("deepstack_visual_indexes")
    stacked = len(deepstack) if isinstance(deepstack, list) else 0
    if stacked:
        c.used["vision_config.deepstack_visual_indexes"] = deepstack
    return tower + mlp + norm + stacked * (mlp + 2 * wide)


# compressed-tensors: config_groups.*.weights (num_bits, type) -> precision; 4-bit floats are
# NVFP4 (groups of 16, its "nvfp4-pack-quantized" format) unless the format names MXFP4.
COMPRESSED_TENSORS_WEIGHTS = {(8, "float"): "fp8", (4, "float"): "nvfp4", (8, "int"): "int8",
                              (4, "int"): "int4"}
# Quark: the weight spec's dtype (a list of specs is a staged quantization; its last stage is
# what is stored, as SGLang's Quark loader reads it). Quark's fp4 is MX (groups of 32, E8M0).
QUARK_WEIGHT_DTYPES = {"fp8_e4m3": "fp8", "fp8_e5m2": "fp8", "int8": "int8", "uint8": "int8",
                       "int4": "int4", "uint4": "int4", "fp4": "mxfp4", "fp4_e2m1": "mxfp4"}


def _one_format(c: _HfConfig, field: str, formats: list[str | None]) -> str:
    """The one weight format a checkpoint's quantization groups agree on; refuse one it does
    not know, or a mix (the tool sizes one format per model)."""
    if not formats or None in formats:
        raise CatalogError(c.label, None, f"{field} holds no weight format this tool can size "
                                          f"(fp8, nvfp4, mxfp4, int8 or int4 weights)")
    found = sorted(set(formats))
    if len(found) > 1:
        raise CatalogError(c.label, None, f"{field} mixes {' and '.join(found)} weights: this "
                                          f"tool sizes one weight format per model")
    return found[0]


def _compressed_tensors_precision(c: _HfConfig, quant: dict[str, Any]) -> str:
    groups = quant.get("config_groups")
    groups = groups.values() if isinstance(groups, dict) else ()
    weights = [g.get("weights") if isinstance(g, dict) else None for g in groups]
    mx = "mxfp4" in str(quant.get("format", ""))

    def stored(w: Any) -> str | None:
        bits, kind = (w.get("num_bits"), w.get("type")) if isinstance(w, dict) else (None, None)
        if not isinstance(bits, int) or isinstance(bits, bool) or not isinstance(kind, str):
            return None
        return "mxfp4" if mx and (bits, kind) == (4, "float") else \
            COMPRESSED_TENSORS_WEIGHTS.get((bits, kind))
    formats = [stored(w) for w in weights]
    c.used["quantization_config.format"] = quant.get("format")
    return _one_format(c, "quantization_config.config_groups", formats)


def _quark_precision(c: _HfConfig, quant: dict[str, Any]) -> str:
    """The global weight spec, else the per-layer specs (Quark may quantize only the experts,
    leaving global_quant_config empty), which must agree."""
    def stored(spec: Any) -> str | None:
        spec = spec[-1] if isinstance(spec, list) and spec else spec
        dtype = spec.get("dtype") if isinstance(spec, dict) else None
        return QUARK_WEIGHT_DTYPES.get(dtype) if isinstance(dtype, str) else None
    glob = quant.get("global_quant_config")
    if isinstance(glob, dict) and glob.get("weight"):
        return _one_format(c, "quantization_config.global_quant_config.weight",
                           [stored(glob["weight"])])
    layers = quant.get("layer_quant_config")
    specs = [v.get("weight") if isinstance(v, dict) else None
             for v in (layers.values() if isinstance(layers, dict) else ())]
    return _one_format(c, "quantization_config.layer_quant_config",
                       [stored(s) for s in specs])


def _bits_precision(c: _HfConfig, quant: dict[str, Any]) -> str | None:
    bits = quant.get("bits")
    return {4: "int4", 8: "int8"}.get(bits) if isinstance(bits, int) else None


def _modelopt_precision(c: _HfConfig, quant: dict[str, Any]) -> str | None:
    algo = str(quant.get("quant_algo", "")).lower()
    return algo if algo in ("fp8", "nvfp4") else None


# The weight format a quantization_config stores, by its quant_method: transformers' fp8
# (block-scaled FP8), mxfp4 (gpt-oss) and fbgemm_fp8 (Meta's Llama 3.1 FP8); gptq and awq by
# their bits; NVIDIA ModelOpt's quant_algo; vLLM's compressed-tensors (llm-compressor) and AMD
# Quark by the weights they describe. A reader's None is a format the tool cannot size.
HF_QUANT_METHODS: dict[str, Callable[[_HfConfig, dict[str, Any]], str | None]] = {
    "fp8": lambda c, quant: "fp8", "mxfp4": lambda c, quant: "mxfp4",
    "fbgemm_fp8": lambda c, quant: "fp8", "gptq": _bits_precision, "awq": _bits_precision,
    "modelopt": _modelopt_precision, "compressed-tensors": _compressed_tensors_precision,
    "quark": _quark_precision}


# Where checkpoints list the modules they keep unquantized: transformers'
# modules_to_not_convert, ModelOpt's exclude_modules, compressed-tensors' ignore, Quark's
# exclude (_hf_quantized_layers reads these), and DeepSeek-style FP8's ignored_layers
EXCLUDED_MODULE_KEYS = ("modules_to_not_convert", "exclude_modules", "ignore", "exclude")
UNQUANTIZED_MODULE_KEYS = ("ignored_layers",) + EXCLUDED_MODULE_KEYS
# Modules of a layer whose size matters when kept wide: its projections, not a router (gate),
# an indexer's weights_proj or an MTP layer's eh_proj
WIDE_MODULE_NAMES = ("q_proj", "k_proj", "v_proj", "qkv_proj", "o_proj", "gate_proj", "up_proj",
                     "down_proj", "gate_up_proj", "self_attn", "mlp", "shared_experts")


def _hf_unquantized_notes(c: _HfConfig, precision: str) -> list[str]:
    """A note when a checkpoint quantized below 2 bytes a weight keeps projections unquantized
    that the estimate counts at its precision: a list under UNQUANTIZED_MODULE_KEYS naming
    WIDE_MODULE_NAMES, when it does not leave the attention whole (that makes
    quantized_layers "experts"). MiMo-V2's FP8 checkpoints keep every o_proj in bf16
    (ignored_layers). The estimate stays; the checkpoint's index gives the exact size."""
    quant = c.quantization
    if WEIGHT_BYTES_PER_PARAM[precision] >= 2 or not isinstance(quant, dict):
        return []
    for key in UNQUANTIZED_MODULE_KEYS:
        modules = quant.get(key)
        if not isinstance(modules, list) or attention_left_unquantized(modules):
            continue
        wide = [m for m in modules if isinstance(m, str) and m.removeprefix("re:").rstrip(
            "*.$").removesuffix(".weight").rsplit(".", 1)[-1] in WIDE_MODULE_NAMES]
        if wide:
            return [f"quantization_config.{key} keeps {len(wide)} projections unquantized "
                    f"({wide[0]}, ...), counted here at {precision}: the weights are somewhat "
                    f"low; a model.safetensors.index.json beside the config gives the exact "
                    f"size"]
    return []


def _hf_int4_notes(c: _HfConfig, precision: str) -> list[str]:
    """A note when int4 weights are grouped otherwise than WEIGHT_BYTES_PER_PARAM assumes
    (AWQ's and GPTQ's 128 weights with an fp16 scale and a 4-bit zero point: 4.15625 bits):
    `group_size` (AWQ, GPTQ; -1 is one scale per output channel) or compressed-tensors'
    weights `group_size` and `symmetric` (no zero points). The estimate stays; the checkpoint's
    index beside the config gives the exact size."""
    quant = c.quantization
    if precision != "int4" or not isinstance(quant, dict):
        return []
    spec, zero = quant, 4
    if quant.get("quant_method") == "compressed-tensors":
        groups = quant.get("config_groups")
        specs = [g.get("weights") for g in groups.values() if isinstance(g, dict)] \
            if isinstance(groups, dict) else []
        spec = specs[0] if specs and isinstance(specs[0], dict) else {}
        zero = 0 if spec.get("symmetric") is True else 4
    group = spec.get("group_size")
    if not isinstance(group, int) or isinstance(group, bool) or (group, zero) == (128, 4):
        return []
    stored = f"in groups of {group} {'with' if zero else 'without'} zero points" \
        if group > 0 else "with one scale per output channel"
    bits = 4 + (16 + zero) / group if group > 0 else 4
    return [f"int4 weights stored {stored}: about {bits:.4g} bits a weight, sized at 4.156 "
            f"(groups of 128 with zero points); a model.safetensors.index.json beside the "
            f"config gives the exact size"]


def _hf_weight_precision(c: _HfConfig, dtype: str) -> str:
    quant = c.quantization
    if quant is None:
        return dtype
    method = quant.get("quant_method") if isinstance(quant, dict) else None
    c.used["quantization_config.quant_method"] = method
    reader = HF_QUANT_METHODS.get(method) if isinstance(method, str) else None
    precision = reader(c, quant) if reader else None
    if precision is not None:
        return precision
    algo = quant.get("quant_algo") if reader and isinstance(quant, dict) else None
    what = f"quant_method {shown(method)}" + (f" with quant_algo {shown(algo)}" if algo else "")
    raise CatalogError(c.label, None, f"quantization_config.{what} is a weight format this "
                                      f"tool cannot size (known: "
                                      f"{', '.join(HF_QUANT_METHODS)}; gptq and awq at 4 or 8 "
                                      f"bits, modelopt's FP8 and NVFP4)")


def _hf_family(c: _HfConfig) -> tuple[str, HfFamily]:
    """Return the config's model_type and its family's rules; refuse what cannot be sized."""
    model_type = c.raw.get("model_type") or c.top.get("model_type")
    if not isinstance(model_type, str) or model_type not in HF_FAMILIES:
        raise CatalogError(c.label, None, f"{c.prefix}model_type {shown(model_type)} is not "
                                          f"supported (supported: {', '.join(HF_FAMILIES)})")
    c.used[c.prefix + "model_type"] = model_type
    family = HF_FAMILIES[model_type]
    for field, why, family_that_sizes_it in (
            ("num_kv_shared_layers", "layers that share another layer's KV", "gemma4"),
            ("index_topk", "a sparse attention indexer outside the DSA families",
             "mla_indexer"),
            ("routed_expert_hidden_size", "latent experts outside the DeepSeek-style MoE",
             "deepseek")):
        if c.raw.get(field) and family_that_sizes_it not in (family.layers, family.mlp):
            raise c.fail(field, f"is set ({why}), which this tool cannot size")
    # An indexer shared across layers (GLM-5.2's index_topk_freq): which layers keep an
    # indexer, and its cache, is what indexer_types says (SGLang's
    # resolve_dsa_indexer_layer_ids reads it); from the frequency alone, public ports of the
    # model differ (one builds no indexer where it reuses the top-k, another keeps it)
    freq = c.raw.get("index_topk_freq")
    if freq not in (None, 1) and c.raw.get("indexer_types") is None:
        raise c.fail("index_topk_freq", f"is {shown(freq)} without indexer_types (an indexer "
                                        f"shared across layers, GLM-5.2), which this tool "
                                        f"cannot size")
    c.family = family
    return model_type, family


def _hf_dtype(c: _HfConfig, notes: list[str]) -> str:
    """Return the checkpoint's dtype (torch_dtype or dtype; bf16 when absent, with a note): the
    root config's, else its text_config's, as vLLM reads it (ModelConfig get_torch_dtype:
    "Fallbacks for multi-modal models if the root config does not define dtype"). transformers
    4.5x writes float32 in the sub-configs of a bf16 checkpoint (Qwen2.5-VL)."""
    found = [(prefix + key, where[key]) for where, prefix in ((c.top, ""), (c.raw, c.prefix))
             for key in ("torch_dtype", "dtype") if where.get(key)]
    if not found:
        notes.append("torch_dtype absent: bf16 assumed (what vLLM and SGLang load it in)")
        return "bf16"
    field, dtype_name = found[0]
    c.used[field] = dtype_name
    if not isinstance(dtype_name, str) or dtype_name not in HF_DTYPES:
        raise CatalogError(c.label, None,
                           f"{field} is {shown(dtype_name)}, a dtype this tool cannot size")
    return HF_DTYPES[dtype_name]


def _hf_attention_entry(groups: tuple[LayerGroup, ...], kinds: list[str],
                        window: int | None) -> dict[str, Any]:
    """Return the entry's attention fields: the methodology's full / sliding / hybrid form
    when every layer is full or sliding with the same sizes, else layer groups."""
    dims_found = {tuple(d for d in g.dims if d[0] != "window") for g in groups}
    uniform = {g.kind for g in groups} <= {"full", "sliding"} and len(dims_found) == 1 \
        and groups[0].dim("v_head_dim") == groups[0].dim("head_dim")
    if not uniform:
        return {"attention_pattern": "layers",
                "layer_groups": [layer_group_entry(g) for g in groups]}
    d = dict(groups[0].dims)
    full = kinds.count("full")
    sliding = len(kinds) - full
    entry: dict[str, Any] = {
        "num_key_value_heads": d["kv_heads"], "head_dim": d["head_dim"],
        "attention_pattern": "full" if not sliding else "sliding" if not full else "hybrid"}
    if entry["attention_pattern"] == "hybrid":
        entry["full_attention_layers"] = full
        entry["sliding_attention_layers"] = sliding
    if sliding:
        entry["sliding_window"] = window
    return entry


def billions(count: int) -> float:
    """Return a parameter count in billions as the catalog writes it: two decimals, or six
    significant digits below 1 B (a test model of 50,000 parameters is 5e-05, not 0.0).

    >>> billions(671_026_419_200), billions(50_000)
    (671.03, 5e-05)
    """
    value = count / 10**9
    return round(value, 2) if value >= 1 else float(f"{value:.6g}")


def _hf_experts(c: _HfConfig, family: HfFamily) -> dict[str, int]:
    """Return the routed experts per MoE layer and per token, for the performance model."""
    if family.mlp in ("dense", "none") or not c.number(family.experts_key, 0, minimum=0) \
            or (family.mlp == "gemma4" and not c.flag("enable_moe_block", False)):
        return {}
    return dict(zip(("num_experts", "experts_per_token"), c.experts()))


def attention_left_unquantized(modules: Any) -> bool:
    """Whether a checkpoint's list of unquantized modules (transformers'
    modules_to_not_convert, ModelOpt's exclude_modules, compressed-tensors' ignore, Quark's
    exclude) names the attention layers whole: `model.layers.*.self_attn`, `...self_attn*`,
    `re:.*self_attn.*`; not a module inside them (DeepSeek-V3.2's indexer projection).

    >>> attention_left_unquantized(["model.layers.*.self_attn", "lm_head"])
    True
    >>> attention_left_unquantized(["model.layers.0.self_attn.indexer.weights_proj.weight"])
    False
    """
    return isinstance(modules, list) and any(
        isinstance(m, str) and m.removeprefix("re:").rstrip("*.$").endswith("self_attn")
        for m in modules)


def _hf_quantized_layers(c: _HfConfig) -> dict[str, str]:
    """Return quantized_layers "experts" when the quantization_config leaves attention
    unquantized (gpt-oss's modules_to_not_convert; ModelOpt's exclude_modules;
    compressed-tensors' ignore; Quark's exclude), or quantizes only layers named for experts
    (Quark's layer_quant_config with no global weight spec), else nothing (the default,
    "all")."""
    quant = c.quantization
    if not isinstance(quant, dict):
        return {}
    for key in EXCLUDED_MODULE_KEYS:
        if attention_left_unquantized(quant.get(key)):
            c.used[f"quantization_config.{key}"] = quant[key]
            return {"quantized_layers": "experts"}
    glob, layers = quant.get("global_quant_config"), quant.get("layer_quant_config")
    global_weight = isinstance(glob, dict) and glob.get("weight")
    if quant.get("quant_method") == "quark" and not global_weight and isinstance(layers, dict) \
            and layers and all("expert" in pattern for pattern in layers):
        c.used["quantization_config.layer_quant_config"] = list(layers)
        return {"quantized_layers": "experts"}
    return {}


def _hf_source(c: _HfConfig, hf_repo: str, notes: list[str]) -> str:
    """Say where the entry comes from: every config field read, and the notes."""
    used = ", ".join(f"{k}={v}" for k, v in c.used.items()
                     if not isinstance(v, (list, dict)))
    lists = ", ".join(f"{k} ({len(v)} entries)" for k, v in c.used.items()
                      if isinstance(v, list))
    return (f"huggingface.co/{hf_repo} config.json, imported by sizing.py "
            f"--import-hf-config: {used}" + (f"; {lists}" if lists else "")
            + (f". {'; '.join(notes)}." if notes else "."))


def _hf_cache_kinds(c: _HfConfig, family: HfFamily, blocks: list[str], notes: list[str]
                    ) -> list[str]:
    """Return the kinds of the layers that keep a cache: not MLP or MoE blocks, not Gemma 4's
    KV-shared layers; Falcon-H1's Mamba-2 mixers beside its attention layers."""
    n = len(blocks)
    shared = c.number("num_kv_shared_layers", 0, minimum=0, maximum=n - 1) \
        if family.layers == "gemma4" else 0
    kinds = [k for k in blocks[:n - shared] if k not in BLOCKS_WITHOUT_CACHE]
    if family.layers == "falcon_h1":
        kinds += ["mamba2"] * n
        notes.append(f"each of the {n} layers runs attention and a Mamba-2 mixer side by "
                     f"side: num_layers counts both, {2 * n} cache layers")
    if shared:
        notes.append(f"the last {shared} of the {n} layers read the KV of earlier layers "
                     f"(num_kv_shared_layers; vLLM gemma4.py kv_sharing_target_layer_name) "
                     f"and keep none; num_layers counts the {len(kinds)} that do")
    elif len(kinds) < n:
        notes.append(f"{n - len(kinds)} of the {n} blocks are MLP or MoE only and keep no "
                     f"cache; num_layers counts the {len(kinds)} that do")
    return kinds


def _hf_step_layers(blocks: list[str], kinds: list[str], paired: bool) -> dict[str, int]:
    """The catalog's step_layers where the layers that keep a cache are not the layers a step
    runs through: Gemma 4's KV-shared layers run all the same, Falcon-H1's layers each run
    attention and a Mamba-2 mixer (num_layers counts both), Nemotron-H's blocks hold a mixer
    or an MLP each, two blocks to an attention-plus-MLP layer (`paired`), and a
    Nemotron-NAS layer without attention still runs its MLP.

    >>> _hf_step_layers(["mamba2", "mlp", "full", "moe", "mamba2"], ["mamba2", "full", "mamba2"],
    ...                 True)
    {}
    >>> _hf_step_layers(["sliding"] * 4 + ["full"], ["sliding", "sliding"], False)
    {'step_layers': 5}
    """
    runs = -(-len(blocks) // 2) if paired else len(blocks)
    return {"step_layers": runs} if runs != len(kinds) else {}


def _hf_layer_count(c: _HfConfig, family: HfFamily) -> int:
    """Return num_hidden_layers. A Nemotron-H config that lists its blocks in
    layers_block_type may leave it out (Nemotron 3 Ultra): transformers' NemotronHConfig
    derives it from the list's length (its num_hidden_layers property)."""
    if family.layers == "nemotron_h" and c.value("num_hidden_layers") is None:
        blocks = c.value("layers_block_type", None, (list,))
        if blocks:
            if len(blocks) > MAX_LAYERS:
                raise c.fail("layers_block_type", f"must list at most {MAX_LAYERS:,} layers "
                                                  f"(got {len(blocks):,})")
            return len(blocks)
    return c.number("num_hidden_layers", maximum=MAX_LAYERS)


def import_hf_config(raw: Any, label: str, name: str, hf_repo: str) -> dict[str, Any]:
    """Return the models.json entry derived from a parsed config.json; fail closed.

    Raises CatalogError naming the model_type or field it cannot interpret.
    """
    c = _HfConfig(label, raw)
    model_type, family = _hf_family(c)
    c.defaults = dict(family.defaults)
    n = _hf_layer_count(c, family)
    notes: list[str] = []
    max_context = _hf_max_context(c)
    if max_context is None and family.layers == "mamba2":    # no positions to run out of
        max_context = MAX_CONTEXT_TOKENS
        notes.append(f"no max_position_embeddings (a pure state-space model has no positional "
                     f"limit): {MAX_CONTEXT_TOKENS:,} assumed")
    elif max_context is None:
        max_context = c.number("max_position_embeddings")
    dtype = _hf_dtype(c, notes)
    blocks = _hf_layer_kinds(c, family, n)
    blocks, window, window_notes = _hf_apply_window(c, family, blocks, max_context,
                                                    "layer_types" in c.raw)
    notes += window_notes
    kinds = _hf_cache_kinds(c, family, blocks, notes)
    groups = _hf_layer_groups(c, kinds, window, dtype, _hf_temporal_precision(c, family)
                              if any(LAYER_KINDS[k].state for k in kinds) else None)
    params = _hf_params(c, family, blocks)
    vision = _hf_vision_params(c, c.number("hidden_size"), notes)
    weight_precision = _hf_weight_precision(c, dtype)
    notes += _hf_int4_notes(c, weight_precision) + _hf_unquantized_notes(c, weight_precision)
    mtp = _hf_mtp_entry(c, family, blocks, notes)
    architectures = c.top.get("architectures")
    if architectures is not None and (not isinstance(architectures, list) or not all(
            isinstance(a, str) and a.strip() for a in architectures)):
        raise CatalogError(c.label, None, f"architectures must be a list of class names (got "
                                          f"{shown(architectures)})")
    entry: dict[str, Any] = {"name": name, "aliases": [hf_repo] if hf_repo != name else [],
                             "description": "", "hf_repo": hf_repo, "source": "",
                             **({"architecture": architectures[0]} if architectures else {}),
                             "num_layers": len(kinds), **_hf_step_layers(blocks, kinds,
                                                                 family.layers == "nemotron_h"),
                             **({} if family.layers == "mamba2" else
                                {"num_attention_heads": c.number("num_attention_heads")}),
                             "max_position_embeddings": max_context,
                             **_hf_attention_entry(groups, kinds, window)}
    summary = ", ".join(f"{g.layers} {g.kind}" for g in groups)
    entry.update({
        "default_kv_precision": dtype if dtype in KV_BYTES_PER_ELEMENT else "bf16",
        "total_params_billion": billions(params.total),
        "active_params_billion": billions(params.active),
        "weight_precision": weight_precision,
        "vocab_size": c.number("vocab_size"),
        "embedding_params": params.embeddings,
        **({"multimodal_params": vision} if vision else {}),
        "hidden_size": c.number("hidden_size"),
        **_hf_experts(c, family),
        **(_hf_quantized_layers(c) if _hf_experts(c, family) else {}),
        **({"dense_mlp_params": params.mlp_beside}
           if _hf_experts(c, family) and params.mlp_beside else {}),
        **mtp,
        **_hf_rope(c),
        "params_source": (f"computed from config.json shapes: {params.total:,} total, "
                          f"{params.active:,} active per token (embeddings "
                          f"{params.embeddings:,}, attention/mixers {params.mixers:,}, MLP "
                          f"{params.mlp_total:,} of which active {params.mlp_active:,}, "
                          f"norms {params.norms:,}); compare with the model card"),
    })
    entry["description"] = (f"{hf_repo} ({model_type}): {n} layers ({summary}), "
                            f"{params.total / 10**9:.1f}B params, "
                            f"{params.active / 10**9:.1f}B active")
    if c.defaulted:
        notes.append(f"absent from the config, {family.defaults_from}'s defaults: "
                     + ", ".join(f"{k}={v}" for k, v in c.defaulted.items()))
    entry["source"] = _hf_source(c, hf_repo, notes)
    return entry


def _hf_rope(c: _HfConfig) -> dict[str, Any]:
    """The config's rope_scaling (rope_type or type, factor, original_max_position_embeddings)
    as the catalog's fields: the served config applies it, so it is enabled (transformers 5
    writes it as rope_parameters, HF_V5_KEYS, and for models with sliding layers one entry
    per layer type: the full-attention layers' is the one that bounds the context).
    transformers reads `rope_type`, falling back to the older `type`; a type outside
    ROPE_TYPES (longrope, mrope) or without a factor changes no context limit and is left
    out."""
    written = c.value("rope_scaling", None, (dict,))
    if not written:
        return {}
    spelt = c.spelling("rope_scaling")
    rope = written.get("full_attention") if isinstance(written.get("full_attention"), dict) \
        else written
    kind = rope.get("rope_type", rope.get("type"))
    factor = rope.get("factor")
    if kind not in ROPE_TYPES or isinstance(factor, bool) \
            or not isinstance(factor, (int, float)) or not 1 < factor <= 64:
        return {}
    original = rope.get("original_max_position_embeddings")
    return {"rope_scaling": f"{kind}:{factor:g}",
            **({"rope_original_max_position_embeddings": original}
               if isinstance(original, int) and not isinstance(original, bool)
               and original > 0 else {}),
            "rope_scaling_enabled": True,
            "rope_scaling_source": f"{c.prefix}{spelt} in config.json: "
                                   f"{json.dumps(written, sort_keys=True)}"}


def _beside(config_path: str, name: str) -> str | None:
    """Return the file `name` beside a config (`model.safetensors.index.json` beside
    `config.json`, or `org__Model.safetensors.index.json` beside `org__Model.json`), if any."""
    folder, base = os.path.split(config_path)
    stem = os.path.splitext(base)[0]
    for candidate in ((name,) if stem == "config" else (f"{stem}.{name}", name)):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def _json_object(value: Any, label: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogError(label, None, f"{what} must be a JSON object")
    return value


def checkpoint_facts(config_path: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return what files beside an imported config say about the checkpoint: the stored size
    (`model.safetensors.index.json` metadata.total_size, scales and vision towers included) as
    measured weights, and NVIDIA ModelOpt's `hf_quant_config.json` (quant_algo FP8 or NVFP4,
    exclude_modules) as the weight precision and the layers it quantizes."""
    facts: dict[str, Any] = {}
    quant_path = _beside(config_path, "hf_quant_config.json")
    if quant_path is not None:
        quant = _json_object(_json_object(read_json_file(quant_path, quant_path), quant_path,
                                          "the file").get("quantization"), quant_path,
                             "quantization")
        algo = str(quant.get("quant_algo", "")).lower()
        if algo not in ("fp8", "nvfp4"):
            raise CatalogError(quant_path, None, f"quantization.quant_algo {shown(algo)} is "
                                                 f"not one this tool can size (FP8, NVFP4)")
        facts["weight_precision"] = algo
        excluded = quant.get("exclude_modules") or []
        if entry.get("num_experts") and attention_left_unquantized(excluded):
            facts["quantized_layers"] = "experts"
    index_path = _beside(config_path, "model.safetensors.index.json")
    if index_path is not None:
        metadata = _json_object(_json_object(read_json_file(index_path, index_path),
                                             index_path, "the file").get("metadata"),
                                index_path, "metadata")
        total = metadata.get("total_size")
        if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
            raise CatalogError(index_path, None, f"metadata.total_size must be a positive "
                                                 f"integer (got {shown(total)})")
        facts["measured_weights_gib"] = round(total / BYTES_PER_GIB, 2)
        facts["measured_weights_source"] = (
            f"{os.path.basename(index_path)} metadata.total_size = {total:,} bytes (the "
            f"checkpoint as stored, for {facts.get('weight_precision', entry['weight_precision'])}"
            f" weights)")
    return facts


def read_hf_config(path: str) -> Any:
    """Read a config.json as transformers does: NaN and Infinity are legal there (Nemotron-H's
    time_step_limit [0.0, Infinity]) and read as text, which no sizing field accepts; the rest
    as strictly as the catalogs (duplicate keys, depth, size)."""
    return read_json_file(path, str(path), non_finite=True)


def default_import_names(path: str) -> tuple[str, str]:
    """Return (name, hf_repo) from a file named like `org__model.json` or `org/model/config.json`.

    >>> default_import_names("deepseek-ai__DeepSeek-V3.json")
    ('deepseek-v3', 'deepseek-ai/DeepSeek-V3')
    >>> default_import_names("/models/Qwen3-32B/config.json")
    ('qwen3-32b', 'Qwen3-32B')
    """
    stem = os.path.splitext(os.path.basename(path))[0]
    folder = os.path.basename(os.path.dirname(path))
    if stem == "config" and folder:
        stem = folder
    if "__" in stem:
        org, model = stem.split("__", 1)
        return model.lower(), f"{org}/{model}"
    return stem.lower(), stem


def add_to_catalog(document: dict[str, Any], entry: dict[str, Any], label: str,
                   replace: bool) -> dict[str, Any]:
    """Return the models document with `entry` added, or replacing the entry of its name.

    Raises UsageError when the name is taken (and not `replace`) or when the name or an alias
    is another entry's name or alias.
    """
    models = list(document["models"])
    folded = entry["name"].casefold()
    same = [i for i, m in enumerate(models) if isinstance(m, dict)
            and isinstance(m.get("name"), str) and m["name"].casefold() == folded]
    if same and not replace:
        raise UsageError(f"model {shown(entry['name'])} is already in {label}; pass --replace to "
                         f"overwrite it")
    for i, other in enumerate(models):
        if i in same or not isinstance(other, dict):
            continue
        aliases = other.get("aliases")
        keys = {k.casefold() for k in [other.get("name"),
                                        *(aliases if isinstance(aliases, list) else [])]
                if isinstance(k, str)}
        for key in (entry["name"], *entry["aliases"]):
            if key.casefold() in keys:
                raise UsageError(f"{shown(key)} is already a name or alias of model "
                                 f"{shown(other.get('name'))} in {label}; choose another --name")
    if same:
        models[same[0]] = entry
    else:
        models.append(entry)
    return {**document, "models": models}


# ======================================================== side path: logs, benchmarks, calibration
# Owns: reading a vLLM, SGLang or TRT-LLM start-up log (what the engine printed about weights,
# KV memory and capacity, and the settings it ran with) and comparing it with the engine view's
# prediction for the same settings. Lines are matched by their fixed text; numbers keep their
# printed precision. The last occurrence wins (every worker prints the same). Calls the engine
# view above.

# What a start-up log line holds, found by a fixed keyword: (field, engine, keyword, where the
# number is, what comes between). "after": the value follows the keyword (past `between`, a
# short bounded pattern); "before": the value ends where the keyword starts. Looking a keyword
# up is a plain substring search and every pattern is bounded, so a line of any length is read
# in linear time.
LOG_FIELDS = (
    ("architecture", "vllm", "Resolved architecture: ", "after", ""),
    ("architecture", "sglang", "Load weight end. type=", "after", ""),
    ("weights_gib", "vllm", "Model loading took ", "after", ""),
    ("weights_gib", "vllm", "model weights take ", "after", ""),
    ("kv_memory_gib", "vllm", "Available KV cache memory: ", "after", ""),
    ("kv_memory_gib", "vllm", "the rest of the memory reserved for KV Cache is ", "after", ""),
    # vLLM 0.2x: no "Available KV cache memory" line; in GiB (0.10 printed it in bytes)
    ("kv_memory_gib", "vllm", "Current kv cache memory in use is ", "after",
     r"(?=[\d.]{1,20} GiB)"),
    ("kv_tokens", "vllm", "GPU KV cache size: ", "after", ""),
    ("activation_gib", "vllm", "PyTorch activation peak memory takes ", "after", ""),
    ("activation_gib", "vllm", " GiB for peak activation", "before", ""),
    ("non_torch_gib", "vllm", "non_torch_memory takes ", "after", ""),
    ("non_torch_gib", "vllm", " GiB for non-torch memory", "before", ""),
    ("consumed_gib", "vllm", " GiB for consumed memory (weights + non-torch)", "before", ""),
    ("gpu_memory_gib", "vllm", "total_gpu_memory (", "after", ""),
    ("gpu_memory_gib", "vllm", "Free memory on device (", "after", r"[\d.]{1,30}/"),
    ("gpu_memory_utilization", "vllm", "gpu_memory_utilization (", "after", ""),
    ("gpu_memory_utilization", "vllm", "'gpu_memory_utilization': ", "after", ""),
    ("gpu_memory_utilization", "vllm", "Desired GPU memory utilization is (", "after", ""),
    ("tensor_parallel", "vllm", "tensor_parallel_size", "after", r"[=:'\" ]{1,4}"),
    ("pipeline_parallel", "vllm", "pipeline_parallel_size", "after", r"[=:'\" ]{1,4}"),
    ("expert_parallel_ranks", "vllm", "[EP Rank ", "after", r"\d{1,6}/"),
    ("max_model_len", "vllm", "max_seq_len=", "after", ""),
    ("max_model_len", "vllm", "'max_model_len': ", "after", ""),
    ("block_size", "vllm", "'block_size': ", "after", ""),
    ("kv_cache_dtype", "vllm", "kv_cache_dtype", "after", r"[=:'\" ]{1,4}'?"),
    ("weight_quantization", "vllm", ", quantization=", "after", ""),
    ("max_num_batched_tokens", "vllm", "max_num_batched_tokens=", "after", ""),
    ("max_num_batched_tokens", "vllm", "'max_num_batched_tokens': ", "after", ""),
    ("max_num_seqs", "vllm", "'max_num_seqs': ", "after", ""),
    ("concurrency_tokens", "vllm", "Maximum concurrency for ", "after", ""),
    ("max_concurrency", "vllm", " tokens per request: ", "after", ""),
    ("weights_gib", "sglang", "Load weight end.", "after", r".{0,400}?mem usage="),
    ("kv_tokens", "sglang", "KV Cache is allocated. #tokens: ", "after", ""),
    ("kv_k_gib", "sglang", ", K size: ", "after", ""),
    ("kv_v_gib", "sglang", ", V size: ", "after", ""),
    ("kv_tokens", "sglang", "max_total_num_tokens=", "after", ""),
    ("mem_fraction_static", "sglang", "mem_fraction_static=", "after", ""),
    ("tensor_parallel", "sglang", "tp_size=", "after", ""),
    ("pipeline_parallel", "sglang", "pp_size=", "after", ""),
    ("expert_parallel_ranks", "sglang", "ep_size=", "after", ""),
    ("data_parallel", "sglang", ", dp_size=", "after", ""),
    ("dp_attention", "sglang", ", enable_dp_attention=", "after", ""),
    ("block_size", "sglang", "page_size=", "after", ""),
    ("max_model_len", "sglang", "context_len=", "after", ""),
    ("max_running_requests", "sglang", "max_running_requests=", "after", ""),
    ("chunked_prefill_size", "sglang", "chunked_prefill_size=", "after", ""),
    ("swa_full_tokens_ratio", "sglang", "swa_full_tokens_ratio=", "after", ""),
    ("mamba_full_memory_ratio", "sglang", "mamba_full_memory_ratio=", "after", ""),
    ("disable_radix_cache", "sglang", "disable_radix_cache=", "after", ""),
    # TRT-LLM's PyTorch backend (KvCacheCreator): what its profile run measured, the fraction
    # and total it sized the pool with, and the pool (printed for the profiling pool first).
    ("weights_gib", "trtllm", "Memory used after loading model weights (inside torch) in "
                              "memory usage profiling: ", "after", ""),
    ("activation_gib", "trtllm", "Memory dynamically allocated during inference (inside torch)"
                                 " in memory usage profiling: ", "after", ""),
    ("outside_torch_gib", "trtllm", "Memory used outside torch", "after", r"[^:]{0,80}: "),
    ("profiling_kv_gib", "trtllm", "tmp kv_mem ", "after", ""),
    ("profiling_kv_gib", "trtllm", "temporary kv cache memory during profiling ", "after", ""),
    ("gpu_memory_gib", "trtllm", "device total memory ", "after", ""),
    ("free_gpu_memory_fraction", "trtllm", "fraction is set ", "after", ""),
    ("kv_bytes_per_token", "trtllm", "kv size is ", "after", ""),
    ("kv_memory_gib", "trtllm", " GiB for max tokens in paged KV cache", "before", ""),
    ("kv_tokens", "trtllm", "for max tokens in paged KV cache (", "after", ""),
    ("block_size", "trtllm", "Number of tokens per block: ", "after", ""),
    ("max_num_batched_tokens", "trtllm", ", max_num_tokens=", "after", ""),
    ("max_running_requests", "trtllm", ", max_batch_size=", "after", ""),
)
# Fields whose value is a word, and the characters it may hold.
LOG_TEXT_FIELDS = {"kv_cache_dtype": frozenset("abcdefghijklmnopqrstuvwxyz_0123456789"),
                   "architecture": frozenset("abcdefghijklmnopqrstuvwxyz"
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"),
                   "disable_radix_cache": frozenset("TrueFals"),
                   "dp_attention": frozenset("TrueFals"),
                   "weight_quantization": frozenset("abcdefghijklmnopqrstuvwxyz"
                                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123456789")}
# Fields whose first occurrence wins: the architecture of the model served is printed before a
# speculative draft's (vLLM resolves the draft's, an EAGLE head, after the model's).
LOG_FIRST_FIELDS = frozenset({"architecture"})
# Lines that say a setting by being there, and the value each says: vLLM prints which sampler
# its profile run and its steps use (vllm/v1/sample/ops/topk_topp_sampler.py, every release
# since 0.8: FlashInfer's kernels, or PyTorch's sort when FlashInfer is missing or turned off).
LOG_MARKERS = (
    ("flashinfer_sampler", "vllm", "Using FlashInfer for top-p & top-k sampling", True),
    ("flashinfer_sampler", "vllm", "Falling back to the PyTorch-native implementation of top-p",
     False),
    ("flashinfer_sampler", "vllm", "FlashInfer top-p/top-k sampling unavailable", False),
    ("flashinfer_sampler", "vllm", "FlashInfer top-p/top-k sampling disabled", False),
)
# vLLM's quantization method (its engine config line, as resolved from the checkpoint) and the
# weight precision it stores: None is the model's dtype (bf16 and fp16 weigh the same); a
# method whose bits the name does not fix (awq, gptq, compressed-tensors) is left to the flags.
VLLM_QUANTIZATION_PRECISION = {"None": "bf16", "fp8": "fp8", "fbgemm_fp8": "fp8",
                               "ptpc_fp8": "fp8", "modelopt": "fp8", "mxfp4": "mxfp4",
                               "modelopt_fp4": "nvfp4"}
# A log that does not state its checkpoint's weight format (SGLang's and TRT-LLM's print none;
# vLLM's engine line does) still prints the weights each GPU loaded. When the model's own
# precision puts them off by more than this ratio, the run's is the precision that comes
# nearest within it (bf16 and fp8 weigh 2x apart, fp8 and 4-bit 1.8-2x; the 4-bit formats
# differ only by their scales). Without it the calibration compares and suggests flags for
# weights the run did not load: 109 GiB against 55 for Qwen3-235B-A22B-FP8 at TP 4.
LOGGED_WEIGHTS_MATCH_RATIO = 0.25
LOGGED_WEIGHTS_PRECISIONS = ("bf16", "fp8", "nvfp4", "mxfp4", "int4")
# What a log implies per GPU outside weights and KV (activations, CUDA context, graphs): 0.43
# to 4.89 GiB in tests/fixtures/logs (the most, vLLM's sampler peak on an H100: 6% of it). More
# than this share of the GPU's memory usually means the log ran on another GPU than the
# server's, whose memory the calibration assumed where the log does not print it (SGLang's
# does not): the SGLang L4 log against an L40S implies 22.8 GiB (51%), 0.43 with the L4's
# 22.05. A DGX Spark, whose operating system shares the GPU's memory, is the real case (41%).
CALIBRATION_IMPLIED_SHARE_LIMIT = 0.25
# Below zero by more than this share, the log's GPU had more memory than the server's: rounding
# of the logged figures (0.01 GiB, a fraction's two digits) moves it by a few hundredths of a GiB.
CALIBRATION_IMPLIED_SHARE_FLOOR = -0.02
# Each field's type and range: what a log may print for it (anything else is refused).
LOG_RANGES = {
    "weights_gib": (float, 0, MAX_ENGINE_GIB), "kv_memory_gib": (float, 0, MAX_ENGINE_GIB),
    "kv_k_gib": (float, 0, MAX_ENGINE_GIB), "kv_v_gib": (float, 0, MAX_ENGINE_GIB),
    "activation_gib": (float, 0, MAX_ENGINE_GIB), "non_torch_gib": (float, 0, MAX_ENGINE_GIB),
    "consumed_gib": (float, 0, MAX_ENGINE_GIB), "outside_torch_gib": (float, 0, MAX_ENGINE_GIB),
    "profiling_kv_gib": (float, 0, MAX_ENGINE_GIB), "free_gpu_memory_fraction": (float, 0.01, 1),
    "gpu_memory_gib": (float, 1, MAX_ENGINE_GIB), "gpu_memory_utilization": (float, 0.01, 1),
    "mem_fraction_static": (float, 0.01, 1), "max_concurrency": (float, 0, MAX_CONCURRENCY),
    "swa_full_tokens_ratio": (float, 0.01, 1), "mamba_full_memory_ratio": (float, 0.01, 100),
    "kv_tokens": (int, 1, MAX_CATALOG_NUMBER), "concurrency_tokens": (int, 1, MAX_CONTEXT_TOKENS),
    "max_model_len": (int, 1, MAX_CONTEXT_TOKENS), "block_size": (int, 1, 2**16),
    "tensor_parallel": (int, 1, MAX_TENSOR_PARALLEL), "max_num_batched_tokens": (int, 1, 2**24),
    "pipeline_parallel": (int, 1, MAX_TENSOR_PARALLEL),
    "max_num_seqs": (int, 1, 2**20), "expert_parallel_ranks": (int, 1, 2**16),
    "data_parallel": (int, 1, MAX_TENSOR_PARALLEL),
    "max_running_requests": (int, 1, 2**20),
    "chunked_prefill_size": (int, -1, 2**24),      # SGLang: -1 turns chunking off
    "kv_bytes_per_token": (int, 1, MAX_CATALOG_NUMBER),
}
_LOG_NUMBER_CHARS = frozenset("0123456789.,eE+-")


def _log_token(line: str, keyword_at: int, keyword: str, where: str, between: str,
               letters: frozenset[str] = frozenset()) -> str | None:
    """Return the text of the value a line holds at a keyword (None: the keyword is there but
    not followed, or preceded, by what the field's pattern expects)."""
    import re
    if where == "before":
        start = keyword_at
        while start > 0 and keyword_at - start < MAX_NUMBER_CHARS and \
                line[start - 1] in _LOG_NUMBER_CHARS:
            start -= 1
        return line[start:keyword_at] or None
    pos = keyword_at + len(keyword)
    if between:
        skip = re.compile(between).match(line, pos, pos + 440)
        if skip is None:
            return None
        pos = skip.end()
    end = pos
    allowed = _LOG_NUMBER_CHARS | letters
    while end < len(line) and end - pos <= MAX_NUMBER_CHARS and line[end] in allowed:
        end += 1
    token = line[pos:end].rstrip(",")
    if token[-2:-1].isdigit() and token.endswith(".") and (end == len(line)
                                                            or line[end].isspace()):
        token = token[:-1]          # a sentence's full stop ("max_num_batched_tokens=2048.")
    return token or None


def _log_value(field: str, token: str, label: str, number: int) -> Any:
    """Read one value exactly (1,234 and 4.76e+00 are numbers; 1.2.3, '.', a 5,000-digit run
    and a value outside the field's range are refused, naming the line)."""
    if field in LOG_TEXT_FIELDS:
        if not token or len(token) > 40:
            raise CatalogError(label, f"line {number}", f"{field} {shown(token)} is not a "
                                                        f"name")
        return token
    kind, low, high = LOG_RANGES[field]
    plain = token.replace(",", "")
    try:
        if len(plain) > MAX_NUMBER_CHARS or not plain[:1].isdigit():
            raise ValueError
        value = int(plain) if kind is int or plain.isdigit() else float(plain)
    except ValueError:
        raise CatalogError(label, f"line {number}", f"{field}: cannot read {shown(token)} as "
                                                    f"a number") from None
    if not (low <= value <= high) or (isinstance(value, float) and 0 < value < 1e-6):
        limits = f"{low:,} to {high:,}" if kind is int else f"{low:g} to {high:g}"
        raise CatalogError(label, f"line {number}", f"{field} {shown(token)} is out of range "
                                                    f"({limits})")
    return value


def parse_engine_log(text: str, label: str) -> EngineLog:
    """Return what a vLLM, SGLang or TRT-LLM start-up log printed; fail when it has none of it,
    or when a value it holds cannot be read exactly. The last occurrence of a field wins.

    >>> log = parse_engine_log("INFO [gpu_worker.py:359] Available KV cache memory: 51.38 GiB"
    ...                        "\\nINFO [kv_cache_utils.py:1229] GPU KV cache size: 420,896 tokens",
    ...                        "log")
    >>> log.engine, log.get("kv_memory_gib"), log.get("kv_tokens")
    ('vllm', 51.38, 420896)
    """
    found: dict[str, Any] = {}
    engines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for field, engine, keyword, where, between in LOG_FIELDS:
            at = line.find(keyword)
            if at < 0 or (field in LOG_FIRST_FIELDS and field in found):
                continue
            token = _log_token(line, at, keyword, where, between,
                               LOG_TEXT_FIELDS.get(field, frozenset()))
            if token is None:
                continue
            found[field] = _log_value(field, token, label, number)
            engines[engine] = engines.get(engine, 0) + 1
        for field, engine, keyword, value in LOG_MARKERS:
            if keyword in line:
                found[field] = value
    if "kv_k_gib" in found and "kv_v_gib" in found:
        found["kv_memory_gib"] = round(found.pop("kv_k_gib") + found.pop("kv_v_gib"), 4)
    consumed = found.pop("consumed_gib", None)      # vLLM 0.2x: weights + non-torch together
    if consumed is not None and "weights_gib" in found and "non_torch_gib" not in found:
        found["non_torch_gib"] = round(max(0.0, consumed - found["weights_gib"]), 4)
    outside = found.pop("outside_torch_gib", None)  # TRT-LLM: it holds the profiling pool
    if outside is not None:
        found["non_torch_gib"] = round(max(0.0, outside - found.get("profiling_kv_gib", 0)), 4)
    found.pop("profiling_kv_gib", None)
    measured = {"weights_gib", "kv_memory_gib", "kv_tokens", "max_concurrency"}
    if not measured & set(found):
        raise CatalogError(label, None, "no vLLM, SGLang or TRT-LLM start-up line found "
                                        "(looked for 'Model loading took', 'Available KV "
                                        "cache memory', 'GPU KV cache size', 'KV Cache is "
                                        "allocated', 'for max tokens in paged KV cache')")
    engine = max(engines, key=engines.get)
    return EngineLog(engine=engine, values=tuple(sorted(found.items())))


def _resolved(used: tuple[tuple[str, Any, bool], ...], name: str, value: Any, logged: bool
              ) -> tuple[tuple[str, Any, bool], ...]:
    """The logged run's settings with one of them resolved after the fact (from what the log
    printed of its effects: the weights it loaded, the bytes a token takes)."""
    return tuple((n, value, logged) if n == name else (n, v, x) for n, v, x in used)


def _row(item: str, unit: str, logged: float | None, predicted: float) -> CalibrationRow:
    ratio = None if not logged else round(predicted / logged - 1, 4)
    return CalibrationRow(item, unit, logged, predicted, ratio)


def _logged_settings(log: EngineLog, base: EngineSettings, context: int, kv_precision: str
                     ) -> tuple[EngineSettings, tuple[tuple[str, Any, bool], ...], int, str]:
    """Return the engine settings the logged run used (the log's, else the flags' or the
    defaults), what each was and whether the log said it, its context and KV precision."""
    def pick(field: str, fallback: Any) -> tuple[Any, bool]:
        value = log.get(field)
        return (fallback, False) if value is None else (value, True)

    engine = log.engine
    tp, tp_logged = pick("tensor_parallel", base.tensor_parallel or 1)
    # Pipeline stages (vLLM's pipeline_parallel_size, SGLang's pp_size) hold a replica's
    # layers one after the other: the tool's tensor parallelism counts every GPU of a replica
    # (its stages beyond a node span nodes), so TP 8 x PP 2 is 16 GPUs per replica.
    stages = log.get("pipeline_parallel") or 1
    length, length_logged = pick("max_model_len", log.get("concurrency_tokens") or context)
    length_logged = length_logged or log.get("concurrency_tokens") is not None
    util, util_logged = pick("gpu_memory_utilization", base.gpu_memory_utilization)
    fraction, fraction_logged = pick("mem_fraction_static", base.mem_fraction_static)
    free, free_logged = pick("free_gpu_memory_fraction", base.free_gpu_memory_fraction)
    block, block_logged = pick("block_size", base.block_size or DEFAULT_BLOCK_SIZE[engine])
    memory, memory_logged = pick("gpu_memory_gib", base.gpu_memory_gib)
    dtype, dtype_logged = pick("kv_cache_dtype", kv_precision)
    precision = "fp8" if str(dtype).startswith("fp8") else \
        ("bf16" if dtype == "auto" else dtype if dtype in KV_BYTES_PER_ELEMENT else kv_precision)
    batched, batched_logged = pick("max_num_batched_tokens", base.max_num_batched_tokens)
    seqs, seqs_logged = pick("max_num_seqs", base.max_num_seqs)
    sampler, sampler_logged = pick("flashinfer_sampler", base.flashinfer_sampler)
    chunked = log.get("chunked_prefill_size")       # SGLang's, when chunking is on
    chunked = chunked if chunked is not None and chunked > 0 else None
    # Experts split whole over the ranks vLLM numbers "[EP Rank r/N]" (TP x DP of them) or
    # SGLang's ep_size (its TP group); a count that is not a multiple of TP is not modelled.
    ranks = log.get("expert_parallel_ranks")
    ep_logged = ranks is not None and ranks % tp == 0 and (ranks > 1 or engine == "vllm")
    ep, dp = (True, ranks // tp) if ep_logged else (base.expert_parallel, base.data_parallel)
    # SGLang's data-parallel attention: its tp_size is the whole group, each of dp_size
    # attention ranks runs attn_tp_size = tp_size // dp_size GPUs, and the routed experts split
    # over the group (moe_ep or moe_tp weigh the same per GPU): the tool's TP x DP + EP.
    ranks_dp = log.get("data_parallel") or 1
    if log.get("dp_attention") == "True" and ranks_dp > 1 and tp_logged and tp % ranks_dp == 0:
        tp, ep, dp, ep_logged = tp // ranks_dp, True, ranks_dp, True
    tp = tp * stages if tp_logged else tp
    weights = VLLM_QUANTIZATION_PRECISION.get(log.get("weight_quantization"))
    ratios = tuple((field, log.get(field), True) for field in SGLANG_POOL_RATIOS
                   if log.get(field) is not None)        # SGLang's pools, as it ran them
    if log.get("disable_radix_cache") in ("True", "False"):
        ratios += (("radix_cache", log.get("disable_radix_cache") == "False", True),)
    settings = base._replace(**{field: value for field, value, _ in ratios},
        engine=engine, tensor_parallel=tp, gpu_memory_utilization=util,
        mem_fraction_static=fraction, free_gpu_memory_fraction=free, block_size=block,
        gpu_memory_gib=memory, max_num_batched_tokens=batched, max_num_seqs=seqs,
        chunked_prefill_size=chunked or base.chunked_prefill_size, kv_cache_memory_gib=None,
        expert_parallel=ep, data_parallel=dp, weight_precision=weights or base.weight_precision,
        flashinfer_sampler=sampler)
    used = (("engine", engine, True), ("weight_precision", settings.weight_precision,
                                        weights is not None),
            ("tensor_parallel", tp, tp_logged),
            ("max_model_len", length, length_logged),
            {"vllm": ("gpu_memory_utilization", util, util_logged),
             "sglang": ("mem_fraction_static", fraction, fraction_logged),
             "trtllm": ("free_gpu_memory_fraction", free, free_logged)}[engine],
            ("block_size", block, block_logged), ("kv_cache_dtype", precision, dtype_logged))
    used += tuple((name, value, logged) for name, value, logged in (
        ("max_num_batched_tokens", batched, batched_logged),
        ("max_num_seqs", seqs, seqs_logged), ("flashinfer_sampler", sampler, sampler_logged))
        if engine_reads(engine, name))
    used += (("chunked_prefill_size", chunked, True),) if chunked else ()
    used += (("expert_parallel", ep, ep_logged), ("data_parallel", dp, ep_logged),
             ("gpu_memory_gib", memory, memory_logged)) + ratios
    return settings, used, length, precision


def _backsolve(log: EngineLog, predicted: EngineCapacity, util: float
               ) -> list[tuple[str, float]]:
    """Return what the log implies per GPU: the memory outside weights and KV, and the KV
    bytes per token."""
    backsolved: list[tuple[str, float]] = []
    gpu_gib = predicted.gpu_memory_bytes / BYTES_PER_GIB
    weights, kv, tokens = log.get("weights_gib"), log.get("kv_memory_gib"), log.get("kv_tokens")
    if weights is not None and kv is not None:
        if log.engine == "vllm":
            backsolved.append(("activation_plus_reserve_gib",
                               round(util * gpu_gib - weights - kv, 2)))
        elif log.engine == "trtllm":    # kv = share x (gpu - weights - activation - reserve)
            backsolved.append(("activation_plus_reserve_gib",
                               round(gpu_gib - weights - kv / predicted.budget_share, 2)))
        else:       # SGLang: kv = share x (gpu - reserve) - weights
            backsolved.append(("reserve_gib",
                               round(gpu_gib - (weights + kv) / predicted.budget_share, 2)))
    if kv is not None and tokens:
        backsolved.append(("kv_bytes_per_token", round(kv * BYTES_PER_GIB / tokens, 1)))
    return backsolved


def calibration_alerts(cal: Calibration, server: str) -> list[Alert]:
    """Warn when the memory a log implies outside weights and KV is more than
    CALIBRATION_IMPLIED_SHARE_LIMIT of the GPU memory the calibration took (the log's, else
    the server's), or below CALIBRATION_IMPLIED_SHARE_FLOOR of it: the flags it suggests
    would carry it.

    >>> cal = Calibration("log", "sglang", (("gpu_memory_gib", 44.42, False),), (),
    ...                   (("reserve_gib", 22.8),), ())
    >>> [a.code for a in calibration_alerts(cal, "l40s-8x")]
    ['calibration_memory_implausible']
    >>> calibration_alerts(cal._replace(backsolved=(("reserve_gib", 2.01),)), "l40s-8x")
    []
    >>> [a.params[2] for a in calibration_alerts(cal._replace(backsolved=(("reserve_gib",
    ...  -32.75),)), "l40s-8x")]       # -32.75 / 44.42
    [('share_pct', -73.7)]
    """
    gpu_gib = next(value for name, value, _ in cal.settings if name == "gpu_memory_gib")
    implied = dict(cal.backsolved)
    value = implied.get("reserve_gib", implied.get("activation_plus_reserve_gib"))
    if value is None or CALIBRATION_IMPLIED_SHARE_FLOOR * gpu_gib <= value \
            <= CALIBRATION_IMPLIED_SHARE_LIMIT * gpu_gib:
        return []
    return [make_alert("calibration_memory_implausible", implied_gib=value, gpu_gib=gpu_gib,
                       share_pct=round(100 * value / gpu_gib, 1), server=server)]


def calibration_model_alerts(log: EngineLog, model: Model) -> list[Alert]:
    """Warn when the log names the architecture it served (vLLM's "Resolved architecture",
    SGLang's "Load weight end. type=") and the model sized has another: the log's figures,
    and the flags it suggests, describe another model.

    >>> log = EngineLog("vllm", (("architecture", "Qwen3NextForCausalLM"),))
    >>> [a.code for a in calibration_model_alerts(log, _DOC_MODEL._replace(
    ...     architecture="Qwen3ForCausalLM"))]
    ['calibration_model_mismatch']
    >>> calibration_model_alerts(log, _DOC_MODEL._replace(architecture="Qwen3NextForCausalLM"))
    []
    """
    logged = log.get("architecture")
    if logged is None or model.architecture is None or logged == model.architecture:
        return []
    return [make_alert("calibration_model_mismatch", logged=logged, model=model.name,
                       architecture=model.architecture)]


# A benchmark run is of the plan's workload when its prompt and output lengths are each within
# this factor of the plan's. A calibration predicts its own layout and workload (README
# "Performance": TTFT 17.7% at the median on runs of a concurrency sweep it left out), but two
# or three runs of other TPs and lengths predicted the rest worse than the defaults did.
BENCHMARK_WORKLOAD_RATIO = 2.0


def layout_label(tp: int, ep: bool, ranks: int) -> str:
    """A replica's layout in the engines' notation: "TP 2", "TP 8 + EP", "TP 1 x DP 8 + EP".

    >>> layout_label(2, False, 1), layout_label(1, True, 8)
    ('TP 2', 'TP 1 x DP 8 + EP')
    """
    return f"TP {tp}" + (f" x DP {ranks}" if ranks > 1 else "") + (" + EP" if ep else "")


def timed_layout(tp: int, ep: bool, settings: EngineSettings) -> tuple[int, bool, int]:
    """A replica's layout as a benchmark run and a plan are compared (layout_label): its TP,
    whether its experts are split, and its attention ranks (attention_ranks, as
    replica_costs counts them)."""
    return tp, ep, attention_ranks(settings, ep)


def benchmark_alerts(fit: BenchmarkFit, layout: tuple[int, bool, int], prompt: int,
                     output: int) -> list[Alert]:
    """Warn when no run of the benchmark was timed at the plan's layout (TP, experts split,
    attention ranks: as calibrate_performance timed it, a run without a TP at the engine
    view's choice) with prompt and output lengths within BENCHMARK_WORKLOAD_RATIO of the
    plan's: the fitted constants then carry over to a layout or a workload they were not
    fitted on.

    >>> row = BenchRow(8, 1024, 256, 150.0, 8.0, 1)
    >>> fit = BenchmarkFit("b.csv", ENGINE_PERF["vllm"], ENGINE_PERF["vllm"],
    ...                    ((row, 8.0, 8.0, 150.0, 150.0),), layouts=((1, False, 1),))
    >>> benchmark_alerts(fit, (1, False, 1), 2048, 512)
    []
    >>> [benchmark_alerts(fit, lay, n, 512)[0].code for lay, n in (((2, False, 1), 2048),
    ...     ((1, True, 8), 2048), ((1, False, 1), 2049))]       # 1,024 < 2,049 / 2
    ['benchmark_workload_mismatch', 'benchmark_workload_mismatch', 'benchmark_workload_mismatch']
    """
    def near(value: int, planned: int) -> bool:
        return planned / BENCHMARK_WORKLOAD_RATIO <= value <= planned * BENCHMARK_WORKLOAD_RATIO

    rows = [row for row, *_ in fit.rows]
    if any(timed == layout and near(row.input_tokens, prompt) and near(row.output_tokens, output)
           for row, timed in zip(rows, fit.layouts)):
        return []
    spread = lambda values: "-".join(  # noqa: E731
        f"{v:,}" for v in sorted({min(values), max(values)}))
    return [make_alert(
        "benchmark_workload_mismatch", source=fit.source, layout=layout_label(*layout),
        prompt=prompt, output=output,
        benchmark_layouts=", ".join(layout_label(*timed) for timed in sorted(set(fit.layouts))),
        benchmark_prompts=spread([r.input_tokens for r in rows]),
        benchmark_outputs=spread([r.output_tokens for r in rows]))]


def logged_weights_precision(model: Model, settings: EngineSettings, logged_gib: float
                             ) -> str | None:
    """Return the weight precision whose weights per GPU, at the logged run's layout, come
    nearest the `logged_gib` a log printed, when the model's own precision is off by more
    than LOGGED_WEIGHTS_MATCH_RATIO and that one is within it; else None.

    >>> m = _DOC_MODEL._replace(total_params_billion=8.03)     # 16.06 GB in bf16
    >>> s = EngineSettings(tensor_parallel=1)
    >>> logged_weights_precision(m, s, 7.5), logged_weights_precision(m, s, 14.9)
    ('fp8', None)

    (8.03e9 B = 7.48 GiB in fp8; 16.06e9 B = 14.96 GiB is the model's own bf16.)
    """
    def off(precision: str) -> float:
        per_gpu = weights_per_gpu(weights_parts(model, precision), settings.tensor_parallel,
                                  settings) / BYTES_PER_GIB
        return abs(math.log(per_gpu / logged_gib)) if per_gpu and logged_gib > 0 else math.inf

    limit = math.log(1 + LOGGED_WEIGHTS_MATCH_RATIO)
    if off(model.weight_precision) <= limit:
        return None
    best = min(LOGGED_WEIGHTS_PRECISIONS, key=off)
    return best if off(best) <= limit else None


def _suggested(log: EngineLog, predicted: EngineCapacity, settings: EngineSettings,
               backsolved: list[tuple[str, float]], model_precision: str,
               logged_precision: str | None) -> tuple[tuple[str, Any], ...]:
    """Return the engine settings that size the rest of the fleet like the logged run
    (`logged_precision`: the weight precision the log stated or its weights implied)."""
    suggested: list[tuple[str, Any]] = [("engine", log.engine),
                                        ("tensor_parallel", settings.tensor_parallel)]
    if logged_precision not in (None, model_precision):    # the log's checkpoint's
        suggested.append(("weight_precision", logged_precision))
    if settings.expert_parallel:
        suggested.append(("expert_parallel", True))
        if settings.data_parallel > 1:
            suggested.append(("data_parallel", settings.data_parallel))
    implied = dict(backsolved)
    if log.engine in ("vllm", "trtllm"):
        suggested.append(("gpu_memory_utilization", settings.gpu_memory_utilization)
                         if log.engine == "vllm" else
                         ("free_gpu_memory_fraction", round(predicted.budget_share, 4)))
        activation, reserve = log.get("activation_gib"), log.get("non_torch_gib")
        if reserve is None:
            reserve = round(predicted.reserve_bytes / BYTES_PER_GIB, 2)
        if activation is None and "activation_plus_reserve_gib" in implied:
            activation = max(0.0, round(implied["activation_plus_reserve_gib"] - reserve, 2))
        if activation is not None:
            suggested += [("activation_gib", activation), ("runtime_reserve_gib", reserve)]
        elif settings.flashinfer_sampler:           # the log says which sampler, not its peak
            suggested.append(("flashinfer_sampler", True))
        if log.engine == "trtllm" and log.get("max_running_requests") is not None:
            suggested.append(("max_batch_size", log.get("max_running_requests")))
    else:
        suggested.append(("mem_fraction_static", round(predicted.budget_share, 4)))
        if "reserve_gib" in implied:
            suggested.append(("runtime_reserve_gib", max(0.0, implied["reserve_gib"])))
        if log.get("max_running_requests") is not None:     # what the engine itself settled on
            suggested.append(("max_running_requests",         # each attention rank's: the
                              log.get("max_running_requests")  # flag is split among them
                              * settings.data_parallel))
        if settings.chunked_prefill_size != sglang_chunked_prefill(predicted.gpu_memory_bytes):
            suggested.append(("chunked_prefill_size", settings.chunked_prefill_size))
        suggested += [(field, log.get(field)) for field in SGLANG_POOL_RATIOS
                      if log.get(field) not in (None, getattr(EngineSettings(), field))]
        if log.get("disable_radix_cache") == "True":
            suggested.append(("disable_radix_cache", True))
    if settings.gpu_memory_gib is not None:
        suggested.append(("gpu_memory_gib", settings.gpu_memory_gib))
    return tuple(suggested)


def calibrate(model: Model, server: Server, context: int, kv_precision: str,
              base: EngineSettings, log: EngineLog, label: str) -> Calibration:
    """Predict what the logged engine should have printed, compare, and back-solve the
    overheads the log implies (per GPU), so the rest of the fleet can be sized from them."""
    settings, used, length, precision = _logged_settings(log, base, context, kv_precision)
    problem = tensor_parallel_problem(model, server, settings.tensor_parallel)
    if problem:             # no engine starts so: a log of another model, or another server
        raise CatalogError(label, None, f"tensor parallelism {settings.tensor_parallel}: "
                                        f"{problem} ({model.name} on {server.name})")
    settings = with_batch_limits(settings, server)
    implied = None if settings.weight_precision is not None or log.get("weights_gib") is None \
        else logged_weights_precision(model, settings, log.get("weights_gib"))
    if implied is not None:         # the log's weights say what its checkpoint stores
        settings = settings._replace(weight_precision=implied)
        used = _resolved(used, "weight_precision", implied, True)
    tp = settings.tensor_parallel
    if log.engine == "trtllm" and log.get("kv_cache_dtype") == "auto":
        # TRT-LLM's "auto" is the checkpoint's KV quantization, which its log gives only as the
        # bytes a token takes per GPU ("kv size is N"): the precision that takes as many
        per_token = {p: engine_capacity_at(model, server, length, p, settings, tp,
                                           False).bytes_per_token_per_gpu for p in ("bf16", "fp8")}
        found = [p for p, size in per_token.items() if size == log.get("kv_bytes_per_token")]
        precision = found[0] if found else kv_precision
        used = _resolved(used, "kv_cache_dtype", precision, bool(found))
    predicted = engine_capacity_at(model, server, length, precision, settings, tp, False)
    logged_kv = log.get("kv_memory_gib")
    from_logged = engine_capacity_at(
        model, server, length, precision, settings._replace(kv_cache_memory_gib=logged_kv),
        tp, False) if logged_kv else None
    gib_ = lambda b: round(b / BYTES_PER_GIB, 4)  # noqa: E731
    rows = [
        _row("weights", "GiB", log.get("weights_gib"), gib_(predicted.weights_per_gpu_bytes)),
        _row("activation", "GiB", log.get("activation_gib"), gib_(predicted.activation_bytes)),
        _row("non_torch", "GiB", log.get("non_torch_gib"), gib_(predicted.reserve_bytes)),
        _row("kv_memory", "GiB", logged_kv, gib_(predicted.kv_memory_bytes)),
        _row("kv_tokens", "tokens", log.get("kv_tokens"), predicted.kv_capacity_tokens),
    ]
    if from_logged is not None:
        rows.append(_row("kv_tokens_from_logged_memory", "tokens", log.get("kv_tokens"),
                         from_logged.kv_capacity_tokens))
    if log.get("max_concurrency") is not None:
        rows.append(_row("max_concurrency", "x", log.get("max_concurrency"),
                         round(predicted.max_concurrency, 2)))
    if predicted.kv_memory_bytes > 0:          # an engine with no KV pool runs nothing
        rows.append(_row("running_limit", "requests", log.get("max_running_requests"),
                         predicted.running_limit))
    backsolved = _backsolve(log, predicted, settings.gpu_memory_utilization)
    gpu_gib = round(predicted.gpu_memory_bytes / BYTES_PER_GIB, 2)
    resolved = {"gpu_memory_gib": gpu_gib, "mem_fraction_static": round(predicted.budget_share, 4),
                "weight_precision": settings.weight_precision or model.weight_precision,
                "max_num_batched_tokens": settings.max_num_batched_tokens,
                "max_num_seqs": settings.max_num_seqs}
    used = tuple((name, resolved.get(name, value), logged) for name, value, logged in used)
    logged_precision = next((value for name, value, logged in used
                             if name == "weight_precision" and logged), None)
    return Calibration(source=label, engine=log.engine, settings=used,
                       rows=tuple(r for r in rows if r.logged is not None),
                       backsolved=tuple(backsolved),
                       suggested=_suggested(log, predicted, settings, backsolved,
                                            model.weight_precision, logged_precision))


def read_engine_log(path: str) -> EngineLog:
    return parse_engine_log(read_text_file(path, str(path), errors="replace"), str(path))

# ---------------------------------------------------------------------------- benchmarks
# A measured table (one row per run: concurrency, prompt and output tokens, mean TTFT and TPOT
# in ms) fits the performance constants for one model on one server, as --calibrate-from-log
# does for memory. Column names as benchmark tools export them are accepted.

BENCH_COLUMNS = {
    "concurrency": ("concurrency", "max_concurrency", "num_concurrent", "batch_size"),
    "input_tokens": ("input_tokens", "isl", "input_len", "random_input_len", "prompt_tokens"),
    "output_tokens": ("output_tokens", "osl", "output_len", "random_output_len"),
    "ttft_ms": ("ttft_ms", "mean_ttft_ms", "silicon_ttft_ms", "ttft"),
    "tpot_ms": ("tpot_ms", "mean_tpot_ms", "silicon_tpot_ms", "tpot", "itl_ms", "mean_itl_ms"),
}
OPTIONAL_BENCH_COLUMNS = {"tensor_parallel": ("tensor_parallel", "tp", "tp_size"),
                          "requests": ("requests", "num_prompts", "completed")}
MAX_BENCH_ROWS = 10_000


@record
class BenchRow:
    concurrency: int
    input_tokens: int
    output_tokens: int
    ttft_ms: float
    tpot_ms: float
    tensor_parallel: int | None = None
    requests: int | None = None        # the run's measured requests (bench_burst_share)


def bench_burst_share(row: BenchRow) -> float:
    """Return the share of a run's requests sent in its opening burst: a client at an
    unlimited request rate sends its first `concurrency` requests at once, so `concurrency`
    of its `requests`; without the count, a tenth (BENCHMARK_BURST_SHARE, the fitted runs').
    vLLM's bench serve defaults to 1,000 prompts: at 64 sessions a burst of 6.4%.

    >>> [bench_burst_share(BenchRow(64, 1024, 256, 1.0, 1.0, None, n)) for n in (1000, None)]
    [0.064, 0.1]
    """
    if row.requests is None:
        return BENCHMARK_BURST_SHARE
    return min(1.0, row.concurrency / row.requests)


def parse_benchmark(text: str, label: str) -> tuple[BenchRow, ...]:
    """Read measured runs: a CSV with the five columns (any of their names), or the JSON a
    benchmark client saves (parse_benchmark_json).

    >>> [tuple(r) for r in parse_benchmark("concurrency,isl,osl,ttft_ms,tpot_ms,tp\\n"
    ...                                    "8,1024,256,120.5,7.5,\\n", "b")]
    [(8, 1024, 256, 120.5, 7.5, None, None)]
    """
    if text.lstrip().startswith(("{", "[")):
        return parse_benchmark_json(text, label)
    import csv
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    where = {}
    for field, names in (*BENCH_COLUMNS.items(), *OPTIONAL_BENCH_COLUMNS.items()):
        found = [i for i, h in enumerate(header) if h in names]
        if not found and field not in OPTIONAL_BENCH_COLUMNS:
            raise CatalogError(label, None, f"no {field} column (accepted names: "
                                            f"{', '.join(names)})")
        if found:
            where[field] = found[0]
    rows = []
    for number, cells in enumerate(reader, 2):
        if not any(c.strip() for c in cells):
            continue
        _check_bench_count(len(rows) + 1, label)
        rows.append(bench_row({field: cells[i].strip() if i < len(cells) else ""
                               for field, i in where.items()}, label, f"line {number}"))
    if not rows:
        raise CatalogError(label, None, "holds no measured run")
    return tuple(rows)


def _check_bench_count(count: int, label: str) -> None:
    """Refuse a benchmark (a file, or a directory's files together) of more than
    MAX_BENCH_ROWS runs."""
    if count > MAX_BENCH_ROWS:
        raise CatalogError(label, None, f"has more than {MAX_BENCH_ROWS:,} measured runs")


def bench_row(cells: Mapping[str, Any], label: str, where: str,
              names: Mapping[str, str] | None = None) -> BenchRow:
    """One measured run from its fields (text from a CSV cell, or numbers); an optional one
    may be empty. An error names a field as `names` spells it (the file's own key)."""
    return BenchRow(**{field: bench_number(field, cell, label, where, (names or {}).get(field))
                       for field, cell in cells.items()
                       if not (cell in ("", None) and field in OPTIONAL_BENCH_COLUMNS)})


def bench_number(field: str, cell: Any, label: str, where: str, name: str | None = None
                 ) -> float | int:
    """A benchmark field: a positive number within its limit (a time in ms may have decimals,
    a count may not); an error calls it `name`, else `field`."""
    name = name or field
    try:
        if isinstance(cell, bool) or (isinstance(cell, float) and not field.endswith("_ms")
                                      and not cell.is_integer()):
            raise ValueError(cell)             # JSON true, or 8.5 sessions: not a count
        value = float(cell) if field.endswith("_ms") else int(cell)
    except (TypeError, ValueError):
        raise CatalogError(label, where, f"{name} {shown(cell)} is not a number") from None
    limit = MAX_TENSOR_PARALLEL if field == "tensor_parallel" else \
        MAX_CONTEXT_TOKENS if field.endswith("tokens") else MAX_CATALOG_NUMBER
    if not math.isfinite(value) or value <= 0 or value > limit:
        raise CatalogError(label, where, f"{name} {shown(cell)} must be positive")
    return value


# The JSON a benchmark client saves, one object per run: vLLM's `vllm bench serve
# --save-result` (vllm/benchmarks/serve.py: the run's settings, max_concurrency among them,
# merged with its metrics) and SGLang's `python -m sglang.bench_serving --output-file`
# (python/sglang/bench_serving.py, commit 0033168: the same keys, a JSON line appended per
# run; max_concurrency is null without --max-concurrency). A run's
# concurrency is its max_concurrency, its prompt and output the mean per completed request;
# its TP, when given, a tensor_parallel, tp or tp_size key (vLLM's --metadata tp=8).
BENCH_JSON_KEYS = ("max_concurrency", "completed", "total_input_tokens", "total_output_tokens",
                   "mean_ttft_ms", "mean_tpot_ms")


def parse_benchmark_json(text: str, label: str) -> tuple[BenchRow, ...]:
    """Read a benchmark client's saved runs: one JSON object, a list of them, or JSON lines.

    >>> run = ('{"max_concurrency": 8, "completed": 80, "total_input_tokens": 81920, '
    ...        '"total_output_tokens": 20480, "mean_ttft_ms": 120.5, "mean_tpot_ms": 7.5}')
    >>> [tuple(r) for r in parse_benchmark_json(run + "\\n" + run.replace("8,", "16,"), "b")]
    [(8, 1024, 256, 120.5, 7.5, None, 80), (16, 1024, 256, 120.5, 7.5, None, 80)]
    """
    try:
        found = json.loads(text)
        runs = found if isinstance(found, list) else [found]
    except ValueError:
        runs = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    runs.append(json.loads(line))
                except ValueError as error:
                    raise CatalogError(label, f"line {number}",
                                       f"is not JSON ({error.msg})") from None
    rows: list[BenchRow] = []
    for number, run in enumerate(runs, 1):
        where = f"run {number}"
        if not isinstance(run, dict):
            raise CatalogError(label, where, "is not a JSON object")
        missing = [key for key in BENCH_JSON_KEYS if run.get(key) is None]
        if missing:
            raise CatalogError(label, where, f"has no {missing[0]} (a benchmark client's saved "
                                             f"run holds {', '.join(BENCH_JSON_KEYS)}; "
                                             f"max_concurrency needs --max-concurrency)")
        done = int(bench_number("completed", run["completed"], label, where))
        _check_bench_count(len(rows) + 1, label)
        tp_key = next((key for key in OPTIONAL_BENCH_COLUMNS["tensor_parallel"]
                       if run.get(key) is not None), None)
        rows.append(bench_row({
            "concurrency": run["max_concurrency"],
            "input_tokens": _per_request(run["total_input_tokens"], done),
            "output_tokens": _per_request(run["total_output_tokens"], done),
            "ttft_ms": run["mean_ttft_ms"], "tpot_ms": run["mean_tpot_ms"],
            "tensor_parallel": run[tp_key] if tp_key else None, "requests": done}, label, where,
            {"concurrency": "max_concurrency", "input_tokens": "total_input_tokens / completed",
             "output_tokens": "total_output_tokens / completed", "ttft_ms": "mean_ttft_ms",
             "tpot_ms": "mean_tpot_ms", "tensor_parallel": tp_key or "tp",
             "requests": "completed"}))
    if not rows:
        raise CatalogError(label, None, "holds no measured run")
    return tuple(rows)


def _per_request(total: Any, completed: int) -> Any:
    """A token total over the completed requests, rounded; a total that is no number is left
    for bench_row to refuse by its field name."""
    if isinstance(total, bool) or not isinstance(total, (int, float)):
        return total
    return round(total / completed) if math.isfinite(total) else total


def nelder_mead(f: Callable[[list[float]], float], start: list[float], steps: list[float],
                iterations: int = 400) -> list[float]:
    """Minimise f by the Nelder-Mead simplex (reflect, expand, contract, shrink)."""
    points = [list(start)] + [[x + (steps[i] if i == j else 0) for j, x in enumerate(start)]
                              for i in range(len(start))]
    values = [f(p) for p in points]
    for _ in range(iterations):
        order = sorted(range(len(points)), key=values.__getitem__)
        points, values = [points[i] for i in order], [values[i] for i in order]
        if values[-1] - values[0] < 1e-9:
            break
        centre = [sum(p[j] for p in points[:-1]) / (len(points) - 1)
                  for j in range(len(start))]
        move = lambda t: [c + t * (c - w) for c, w in zip(centre, points[-1])]  # noqa: E731
        reflected = move(1.0)
        fr = f(reflected)
        if fr < values[0]:
            expanded = move(2.0)
            fe = f(expanded)
            points[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            points[-1], values[-1] = reflected, fr
        else:
            contracted = move(-0.5)
            fc = f(contracted)
            if fc < values[-1]:
                points[-1], values[-1] = contracted, fc
            else:
                points = [points[0]] + [[b + (x - b) / 2 for b, x in zip(points[0], p)]
                                        for p in points[1:]]
                values = [values[0]] + [f(p) for p in points[1:]]
    return points[min(range(len(points)), key=values.__getitem__)]


STEP_FIT = ("bandwidth_efficiency", "expert_efficiency", "compute_efficiency",
            "expert_compute_efficiency", "kernel_overhead_s", "session_overhead_s",
            "allreduce_latency_s")
TTFT_FIT = ("ttft_fixed_s", "ttft_prefill_ratio", "ttft_wait_steps", "ttft_load_ratio")
# The TTFT constants the defaults fit (tests/perf_fit.py), and a calibration: the prefill ratio
# and the wait steps. The handling time is held at 0 (fitted, vLLM's and TensorRT-LLM's came out
# at 49 and 16 us, and SGLang's traded against its wait steps), and the queue's load at the
# closed loop's own for prompts taken as they come (1; fitted beside the opening burst when it
# was introduced, with the per-layer constants of then, vLLM's came out at 0.59 and
# TensorRT-LLM's at 0.18, README "Performance") and none for waves.
TTFT_FITTED = TTFT_FIT[1:3]
# Where a fit starts a constant whose default is 0 (a fit scales each constant in log space,
# so a 0 would stay 0): a benchmark's handling time from 10 ms.
FIT_START_IF_ZERO = {"ttft_fixed_s": 0.01}
# The simplex sizes (log space) of the fit's Nelder-Mead runs, each from the last one's best:
# a coarse search, a fine one, then the same again, since a simplex that has shrunk can stall
# on a ridge. The restarts moved only vLLM's TTFT constants among the shipped ones, and lowered
# the error of models left out (README "Performance"), whose fits had stalled more often.
FIT_SIMPLEX_SCALES = (0.3, 0.1, 1.0, 0.3, 0.1)


def fit_constants(samples: Iterable[tuple[Replica, BenchRow]], base: PerfConstants,
                  names: Iterable[str], target: str) -> PerfConstants:
    """Fit the named constants (in log space, efficiencies at most 1) to measured runs,
    minimising the mean absolute log error of TPOT (target "tpot") or TTFT ("ttft"); one whose
    base is 0 starts from FIT_START_IF_ZERO. Memoised: a fit is a few hundred simplex steps
    over every run, and the same benchmark is fitted again for each view of one run."""
    return _fit_constants(tuple(samples), base, tuple(names), target)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def _fit_constants(samples: tuple[tuple[Replica, BenchRow], ...], base: PerfConstants,
                   names: tuple[str, ...], target: str) -> PerfConstants:

    def constants(v: list[float]) -> PerfConstants:
        values = {}
        for name, x in zip(names, v):
            start = getattr(base, name) or FIT_START_IF_ZERO.get(name, 0.0)
            value = start * math.exp(max(-12.0, min(12.0, x)))
            values[name] = min(1.0, value) if name.endswith("efficiency") else value
        return base._replace(**values)

    def loss(v: list[float]) -> float:
        c = constants(v)
        total = 0.0
        for replica, row in samples:     # each step of the fit has new constants: uncached
            predicted = decode_tpot_ms(replica, c, row.concurrency, row.input_tokens,
                                       row.output_tokens) if target == "tpot" else \
                perf_point.__wrapped__(replica, c, row.concurrency, row.input_tokens,
                                       row.output_tokens, 0, bench_burst_share(row)).ttft_ms
            measured = row.tpot_ms if target == "tpot" else row.ttft_ms
            total += abs(math.log(max(1e-6, predicted) / measured))
        return total / len(samples)

    best = [0.0] * len(names)
    for scale in FIT_SIMPLEX_SCALES:       # restarts: a simplex that has shrunk can stall
        best = nelder_mead(loss, best, [scale] * len(names))
    return constants(best)._replace(source="benchmark")


def read_benchmark(path: str) -> tuple[BenchRow, ...]:
    """The measured runs of a benchmark file, or of every .json and .jsonl file in a
    directory (where vLLM's `--save-result --result-dir` writes one file per run), in name
    order."""
    rows: list[BenchRow] = []
    for name in benchmark_files(path):
        rows += parse_benchmark(read_text_file(name, name), name)
        _check_bench_count(len(rows), path)
    return tuple(rows)


def benchmark_files(path: str) -> list[str]:
    """The file, or a directory's .json and .jsonl files in name order (none is an error)."""
    if not os.path.isdir(path):
        return [path]
    names = sorted(os.path.join(path, name) for name in os.listdir(path)
                   if name.lower().endswith((".json", ".jsonl"))
                   and os.path.isfile(os.path.join(path, name)))
    if not names:
        raise CatalogError(path, None, "is a directory with no .json or .jsonl benchmark "
                                       "result in it")
    return names


@functools.lru_cache(maxsize=16)
def calibrate_performance(model: Model, server: Server, kv_precision: str,
                          settings: EngineSettings, rows: tuple[BenchRow, ...],
                          label: str) -> BenchmarkFit:
    """Fit the efficiencies (TPOT; for a mixture of experts with three runs or more, the
    routed experts' own two as well) and the engine's TTFT constants (those its defaults were
    fitted on, TTFT_FITTED, starting from them) to measured runs of this model on this
    server, each on the replica it ran (its tensor parallelism, or the given one, or the
    engine view's choice; its experts split with --expert-parallel; with data-parallel
    attention one rank serving its share of the sessions). On concurrency sweeps of the
    measured runs, fitted on all but one run and predicting it, that gives TTFT 12.4% at the
    median; an earlier calibration that fitted the handling time and prefill ratio instead gave
    32.1% (README "Performance"). An efficiency a flag sets is held at that value and the rest
    are fitted around it, so the fit's residuals are those of the constants the plan is sized
    with.
    Cached: a solve or a growth plan sizes many workloads with one fit.
    """
    base = perf_constants(settings)
    settings = dp_attention_settings(settings, server)     # as size_all runs the plan
    samples, layouts = [], []
    for row in rows:
        tp = row.tensor_parallel or settings.tensor_parallel
        context = row.input_tokens + row.output_tokens
        search = LayoutSearch(model, server, context, kv_precision, settings)
        if tp is not None and tensor_parallel_problem(model, server, tp):
            raise CatalogError(label, None, f"tensor parallelism {tp}: "
                                            f"{tensor_parallel_problem(model, server, tp)}")
        engine = engine_capacity_at(model, server, context, kv_precision, settings,
                                    tp, False) if tp else search.chosen()
        # the runs were served as the flags say: experts split whole where they split
        # (--expert-parallel over more than one GPU, as the layout search allows it)
        ep = settings.expert_parallel and experts_can_split(model, engine, settings)
        layouts.append(timed_layout(engine.tensor_parallel, ep, settings))
        samples.append((replica_costs(
            model, server, engine, kv_precision, settings, ep,
            held_context((row.input_tokens, row.output_tokens, 0), settings)),
            # with data-parallel attention a replica is one attention rank (its TP the
            # rank's), which serves its share of the run's sessions and of its requests
            row._replace(concurrency=-(-row.concurrency // layouts[-1][2]),
                         requests=row.requests and -(-row.requests // layouts[-1][2]))))
    held = tuple(name for name in ("bandwidth_efficiency", "compute_efficiency")
                 if getattr(settings, name) is not None)
    step_names = tuple(name for name in ("bandwidth_efficiency", "compute_efficiency")
                       if name not in held)[:2 if len(rows) >= 2 else 1] + \
        (("expert_efficiency", "expert_compute_efficiency")
         if model.num_experts and len(rows) >= 3 else ())
    fitted = fit_constants(samples, base, step_names, "tpot") if step_names else \
        base._replace(source="benchmark")
    fitted = fit_constants(samples, fitted, TTFT_FITTED, "ttft")
    table = []
    for (replica, row), run in zip(samples, rows):     # each shown as the run it was
        before, after = (perf_point(replica, c, row.concurrency, row.input_tokens,
                                    row.output_tokens, 0, bench_burst_share(row))
                         for c in (base, fitted))
        table.append((run, before.tpot_ms, after.tpot_ms, before.ttft_ms, after.ttft_ms))
    return BenchmarkFit(source=label, constants=fitted, before=base, rows=tuple(table),
                        held=held, layouts=tuple(layouts))


# ======================================================== message tables
# Owns: every sentence a reader sees, one table per language with the same keys (a test checks
# that, and that every layer kind and alert has its text), so a translation is one table. JSON
# keys and enum values stay English. Bulk data, last, as bottle keeps its constants.

STRINGS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "LLM INFERENCE SIZING REPORT",
        "md_title": "LLM inference sizing report: {model} on {server}",
        "preamble": "sizing.py {version}, JSON schema {schema}. GiB = 2^30 bytes; GB = 10^9 "
                    "bytes; 1k tokens = 1,024.",
        "sections": ("1. Inputs", "2. Results by scenario", "3. Alerts and risks",
                     "4. Parameter dictionary"),
        "scenario_names": {"minimum": "MINIMUM", "recommended": "RECOMMENDED", "ideal": "IDEAL"},
        "labels": {
            "model": "Model", "server": "Server", "storage": "Storage", "nfr": "NFRs and policy",
            "name": "name", "source": "source", "architecture": "architecture",
            "max_context": "max context", "parameters": "parameters", "hbm": "HBM",
            "read": "read", "concurrency": "concurrency", "context": "effective context",
            "kv_precision": "KV precision", "budget_ratio": "KV budget ratio",
            "overhead": "runtime overhead", "headroom": "peak headroom", "ha": "HA mode",
            "storage_checks": "Storage checks", "weights": "weights",
            "cold_start": "cold start", "kv_restore": "restore one session's KV",
            "what": "what", "from": "from", "why": "why it matters",
            "mistake": "common mistake", "formula": "formula", "inputs": "inputs",
            "meaning": "meaning", "no_alerts": "No alerts.", "action": "action",
            "dictionary_why": "What each input means, where it comes from, why it matters and "
                              "the usual mistake (the methodology's dictionary; after the "
                              "results so that the answer comes first).",
            "sessions": "sessions", "per_node": "per node", "field": "field", "value": "value",
            "from_rate": "{rate} requests/s x {seconds} s per request at the plan's speed "
                         "(Little's law)",
            "from_rate_unsized": "{rate} requests/s, which give no sessions: no plan sizes "
                                 "even one",
            "parameter": "parameter", "limit": "limit",
            "params_text": "{total} B total, {active} B active; weights {precision}",
            "params_tower": "; vision tower {tower} B more, in bf16",
            "bytes_per_element": "{n} byte per element|{n} bytes per element",
            "all_scenarios": "All scenarios (same workload, same KV)",
            "per_scenario": "Per scenario: each formula once, its inputs in each scenario",
            "per_scenario_below": "per scenario below", "input": "input",
            "beyond": "above the {limit} the model serves (--allow-context-beyond-model)",
            "rope": "{tokens} with RoPE scaling {scaling} ({how})",
            "rope_flag": "in use: --rope-scaling",
            "rope_config": "with RoPE scaling {scaling} in the served config",
            "rope_off": "only if the engine enables it: --rope-scaling {scaling}",
        },
        "architecture": {
            "layers": "{layers} layers: {groups}",
            "heads": "{kv_heads} KV heads x head_dim {head_dim}",
            "heads_kv": "{kv_heads} KV heads x head_dim K {head_dim} / V {v_head_dim}",
            "split_precision": "conv {conv}, state {state}",
            "full": "{layers} full attention ({heads})",
            "sliding": "{layers} sliding window of {window} tokens ({heads})",
            "chunked": "{layers} chunked local attention of {chunk} tokens ({heads})",
            "mla": "{layers} MLA (latent {kv_lora_rank} + rope {qk_rope_head_dim}, one per "
                   "token)",
            "mla_indexer": "{layers} sparse MLA (latent {kv_lora_rank} + rope "
                           "{qk_rope_head_dim}, indexer key {index_head_dim} in fp8, top "
                           "{index_topk} tokens)",
            "linear_attention": "{layers} Gated DeltaNet linear attention ({num_value_heads} "
                                "value heads, {key_head_dim} x {value_head_dim} state each, "
                                "{state_precision})",
            "mamba": "{layers} Mamba (d_inner {d_inner}, d_state {d_state}, {state_precision})",
            "mamba2": "{layers} Mamba-2 ({num_heads} heads x {head_dim}, d_state {d_state}, "
                      "{state_precision})",
            "kda": "{layers} Kimi Delta Attention ({num_heads} heads, {head_dim} x {head_dim} "
                   "state each, {state_precision})",
            "lightning": "{layers} lightning attention ({num_heads} heads, {head_dim} x "
                         "{head_dim} state each, {state_precision})",
        },
        "kv_groups": {
            "title": "KV per session by layer group (context {context} tokens)",
            "group": "layer group", "layers": "layers", "bytes_per_token": "bytes/token",
            "tokens": "tokens kept", "state": "state bytes",
            "per_session": "bytes/session", "share": "share",
            "total": "total",
        },
        "engine": {
            "title": "Engine view, per GPU ({engine}; memory views sizing the nodes: {mode})",
            "modes": {"pooled": "pooled", "engine": "engine", "both": "pooled and engine"},
            "compare_title": "Pooled and engine capacity per node",
            "tp": "GPUs per replica (TP)", "tp_auto": "the layout needing the fewest nodes",
            "tp_none_fits": "no layout holds a session; the largest tried",
            "tp_capped": ", replicas over at most {nodes} node(s)",
            "tp_given": "given", "replicas": "replicas per node",
            "spans": "one replica spans {nodes} nodes",
            "group_spans": " (an expert group of these replicas spans {nodes} nodes)",
            "gpu_memory": "GPU memory",
            "from_flag": "--gpu-memory-gib", "from_catalog": "catalog, as CUDA reports it",
            "from_vendor_gb": "vendor {gb} GB in GiB; set --gpu-memory-gib for what CUDA reports",
            "weights": "weights per GPU", "measured": "measured", "estimated": "from parameters",
            "experts": "experts", "mtp_draft": "MTP draft", "draft": "EAGLE draft",
            "spread": "dense MLPs, shared experts and LM head {size} / {ranks} (SGLang splits "
                      "them over every rank)",
            "spread_head": "LM head {size} / {ranks} (SGLang splits it over every rank)",
            "activation": "activation peak", "reserve": "runtime reserve",
            "reserve_buffers": "; of it {buffers} DeepEP buffers for the expert group's "
                               "all-to-alls",
            "estimate": "estimate", "estimate_fi": "estimate, FlashInfer's sampler",
            "given": "given",
            "activation_outside": "not taken off the KV memory: SGLang keeps activations and "
                                  "CUDA graphs in the {room} its fraction leaves ((1 - {share}) "
                                  "x (GPU memory - runtime reserve))",
            "kv_memory": "KV memory per GPU", "kv_per_token": "KV bytes per token per GPU",
            "heads": "KV heads per GPU", "capacity": "KV capacity (GPU KV cache size)",
            "blocks": "{blocks} blocks of {size}",
            "blocks_groups": "{blocks} blocks of {size}, drawn on by {groups} layer groups: "
                             "blocks / groups x block size",
            "block_forms": "{n} token|{n} tokens",
            "request": "one session at {context} tokens reserves",
            "window_rule": {
                "hybrid_pools": " (SGLang: its window layers' pool holds {ratio} x the full "
                                "layers' tokens, so each token of context pays for both)",
                "window_pool": " (SGLang: every layer windowed, each request keeps its window)",
                "full_context": " (SGLang keeps the whole context in the windowed layers too: "
                                "{architecture} is not one of its hybrid sliding-window models)"},
            "state_slots": " of tokens; SGLang keeps the recurrent states apart: {share} of the "
                           "KV memory in {slots} slots of {state} bytes, one request running "
                           "{running}",
            "state_running": ("per slot (radix cache off)", "per {per} slots"),
            "concurrency": "maximum concurrency at {context} tokens",
            "sessions": "sessions per replica / per node",
            "running_capped": "(the engine runs at most {limit} at once, its {setting}; the KV "
                              "pool holds {held})",
            "launch": "start one replica as sized",
            "launch_options": "; in {file}: {options}",
            "launch_nodes": " (on its {nodes} nodes, with the engine's multi-node launch)",
            "launch_hosts": " (its GPUs sit in {hosts} hosts of the rack, {per_host} each: "
                            "start it on each, with the engine's launch over several hosts)",
            "launch_ranks": " (the {ranks} data-parallel attention ranks of one expert group "
                            "together)",
            "launch_checkpoint": " (needs a checkpoint of the model in {precision}: no flag "
                                 "quantizes its weights to that)",
            "launch_kv": " (no flag sets the KV cache to {precision}: the engine keeps the "
                         "model's dtype, twice the bytes sized here)",
            "metric": "per node", "pooled": "pooled", "engine_col": "engine",
            "c_sessions": "sessions", "c_kv": "KV memory (GiB)",
            "c_overhead": "weights, activation, reserve (GiB)",
            "c_unused": "outside KV and overhead (GiB)", "c_session": "one session (GiB)",
            "gap": "The engine holds {engine} sessions per node against the pooled {pooled} "
                   "({gap}). The pooled method sets aside a flat {overhead} GiB per node; the "
                   "engine loads {loaded_terms} on every GPU ({loaded} GiB per node) and keeps "
                   "{unused} GiB outside its KV pool. One session costs "
                   "{pooled_session} GiB pooled and {engine_session} GiB in the engine (its "
                   "reservation on every GPU of the replica: replicated KV heads or latents, "
                   "windows as the engine keeps them (with the batch in vLLM; whole, or in a "
                   "pool of their own, in SGLang), whole blocks).",
            "loaded_terms": {True: "weights, activation and reserve",
                             False: "weights and reserve (activations in the rest)"},
            "gap_none": "Not even one session fits the pooled budget or the engine's pool.",
            "gap_limit": "The engine's sessions are its running limit, {limit} per replica "
                         "({setting}), not its KV pool, which holds {held}.",
        },
        "calibration": {
            "title": "5. Calibration",
            "source": "Log: {source}",
            "settings": "Settings of the logged run ({engine}; * read from the log, the rest "
                        "from flags or defaults)",
            "item": "what the log printed", "logged": "logged", "predicted": "predicted",
            "diff": "difference",
            "items": {
                "weights": "weights per GPU (GiB)", "activation": "activation peak (GiB)",
                "non_torch": "non-torch memory (GiB)",
                "kv_memory": "available KV memory per GPU (GiB)",
                "kv_tokens": "GPU KV cache size (tokens)",
                "kv_tokens_from_logged_memory": "  from the logged KV memory (tokens)",
                "max_concurrency": "maximum concurrency (x)",
                "running_limit": "requests run at once (max_running_requests, max_batch_size)",
            },
            "backsolved": "Implied by the log, per GPU",
            "names": {
                "activation_plus_reserve_gib": "activation + non-torch (+ CUDA graphs on vLLM "
                                               ">= 0.21), GiB",
                "reserve_gib": "start-up memory outside SGLang's budget (with the logged "
                               "weights), GiB",
                "kv_bytes_per_token": "KV bytes per token (logged memory / logged tokens)",
            },
            "flags": "To size the rest of the fleet from these measurements, add:",
        },
        "constraints": {"memory_pooled": "pooled memory", "memory_engine": "engine memory",
                        "tpot": "TPOT target", "ttft": "TTFT target"},
        "plan": {
            "nodes": "Plan: {rec} {nodes} x {server} ({gpus} GPUs); {others}.",
            "other": "{scenario} {nodes} ({gpus} GPUs)",
            "bound": "Bound by {constraint} at {sessions} session {per};|Bound by "
                     "{constraint} at {sessions} sessions {per};",
            "per_node": "per node", "per_nodes": "per replica of {nodes} nodes",
            "per_group": "per expert group of {nodes} nodes",
            "money": "{money}",
            "rate": "The {rate} requests/s are {sessions} sessions at once: each request takes "
                    "{seconds} s at this speed (Little's law).",
            "needs": "Nodes each constraint needs at {rec} with peak headroom: {needs}; plus "
                     "{spares}.",
            "spares": "{n} spare node for HA|{n} spare nodes for HA",
            "experience": "each user gets about {tps} tokens/s; first token in about {ttft} s.",
            "experience_peak": "at the workload's peak ({sessions} {per}) each user gets "
                               "about {tps} tokens/s; first token in about {ttft} s.",
            "unsized": "Plan: {rec} cannot be sized, not even one session fits ({constraint}); "
                       "{others}.",
        },
        "perf": {
            "title": "Performance per replica ({engine}; analytic model, steady-state means)",
            "title_none": "Performance",
            "split_assumed": "That takes a chat turn of {prompt} new prompt tokens and "
                             "{output} generated after {history} cached from earlier turns; "
                             "--input-tokens and --output-tokens set the workload.",
            "targets_asked": "The targets asked for: {targets}.",
            "target_tpot": "at most {ms} ms per token ({tps} tokens/s)",
            "target_ttft": "the first token within {s} s",
            "no_data": "Not estimated: the catalog gives no HBM bandwidth and dense TFLOPS for "
                       "server {server} (hbm_bandwidth_tb_per_s, bf16_tflops).",
            "layout": "layout", "layout_value": "TP {tp}, expert parallel {ep}: {gpus} per "
                                                "replica, {replicas} per node",
            "layout_spans": "TP {tp}, expert parallel {ep}: {gpus} per replica, over {nodes} "
                            "nodes (TP {tp_node} in each node x {nodes} pipeline stages)",
            "layout_group": "; the experts split over {ranks} GPUs in {nodes} nodes, whose "
                            "all-to-alls cross the nodes' network",
            "gpu_forms": "{n} GPU|{n} GPUs", "replica_forms": "{n} replica|{n} replicas",
            "dp_text": "{tp} x DP {dp} (data-parallel attention)",
            "yes": "yes", "no": "no",
            "runner_up": "runner-up layout",
            "runner_value": "TP {tp}, expert parallel {ep}: {nodes} RECOMMENDED nodes, TPOT {tpot}",
            "workload": "request",
            "split": "{prompt} prompt + {output} output tokens; {history} cached from earlier "
                     "turns",
            "defaulted": "(default split of the effective context: pass --input-tokens and "
                         "--output-tokens)",
            "capacity": "sessions the KV pool holds per replica",
            "capacity_value": "{sessions} at their mean context of {context} tokens (blocks are "
                              "allocated as tokens come; the engine view above holds each "
                              "session at the full context)",
            "capacity_whole": "{sessions} at their full context of {context} tokens (the "
                              "engine's scheduler reserves a request's whole output when it "
                              "admits it)",
            "running_capped": "; the engine runs at most {limit} at once (its {setting}): "
                              "the rest wait for their first token",
            "prefill": "prefill keeps fed",
            "prefill_value": "{sessions} sessions per replica ({chunk}-token chunks per step); "
                             "beyond, new prompts queue: TTFT grows, TPOT does not",
            "scheduling": "first tokens",
            "scheduling_value": {
                "mixed": "prompts share steps with decodes and queue as they come (M/D/1)",
                "prefill_first": "prefill first: a closed loop of equal requests comes in "
                                 "waves, and a prompt waits for its wave's prefill (a "
                                 "benchmark's figure; varied lengths get theirs sooner)"},
            "targets": "targets", "targets_value": "TPOT {tpot}, TTFT {ttft}; first tokens {basis}",
            "ttft_basis": {"benchmark": "as a benchmark's mean (its opening burst included)",
                           "live": "in live traffic (no opening burst; not measured)"},
            "within": "most sessions within the targets",
            "within_value": "{replica} per replica, {node} per node (stopped by {target})",
            "stops": {"tpot": "the TPOT target", "ttft": "the TTFT target",
                      "kv_pool": "the KV pool: the targets are met at its capacity",
                      "running_limit": "the engine's running limit, its {setting}: the "
                                       "targets are met there"},
            "constants": "constants",
            "constants_value": "bandwidth efficiency {bw} (routed experts {expert}), compute "
                               "{compute} (routed experts {expert_compute}); "
                               "{kernel} us per kernel ({kernels} kernels a layer) and "
                               "{session} us per session per step ({source})",
            "sources": {"default": "defaults for {engine}, fitted on measured runs",
                        "flag": "with the efficiency flags", "benchmark": "fitted to the "
                                                                          "benchmark"},
            "allreduce": "all-reduce",
            "allreduce_value": "{us} us each, NCCL over PCIe: without NVLink the engines' own "
                               "kernel serves at most 2 GPUs, not {ranks} ({server}'s "
                               "allreduce_latency_us)",
            "error": "expected error",
            "error_expected": "for {model}, TPOT {tpot} and TTFT {ttft} at the median "
                              "({basis}); ",
            "error_basis": {"engine": "{engine}'s held-out runs: the defaults were fitted "
                                      "on this model",
                            "unseen_model": "a model the fit has not seen on {engine}",
                            "unseen_moe_model": "a mixture of experts the fit has not seen on "
                                                "{engine}",
                            "checked_runs": "a model the fit has not seen on {engine}, and "
                                            "what its own runs on it measured, none fitted",
                            "expert_parallel": "a layout with expert parallelism, as measured "
                                               "on such runs",
                            "data_parallel_attention": "a layout with attention data "
                                                       "parallelism, as measured on such runs, "
                                                       "none of them fitted",
                            "flag": "the defaults' band: flags changed the efficiencies",
                            "benchmark": "the larger of the error on the benchmark's own "
                                         "runs, which the constants were fitted to, and on "
                                         "runs a calibration left out"},
            "error_value": "on measured runs not used to fit: TPOT median {tpot_median}, p90 "
                           "{tpot_p90}; TTFT median {ttft_median}, p90 {ttft_p90}; models left "
                           "out of the fit: TPOT {tpot_median_unseen_model}, TTFT "
                           "{ttft_median_unseen_model}",
            "error_moe": " (mixture-of-experts models: TPOT {tpot_median_unseen_moe_model}, "
                         "TTFT {ttft_median_unseen_moe_model})",
            "error_engine": "; {engine} runs alone: TPOT {tpot}, TTFT {ttft} ({runs} runs)",
            "error_live": ". The TTFT errors are against benchmarks' means: no measured run "
                          "checks live traffic's first tokens (--ttft-basis live)",
            "error_group": ". No measured run has an expert group over several nodes: its "
                           "all-to-alls between them are modelled from the NIC's rate, not "
                           "checked against a run",
            "error_server": ". No measured run the bands come from used this server's GPU "
                            "({gpu}): they were measured on {servers}",
            "error_kinds": ". No measured run has {kinds} layers: no serving run checks "
                           "their kernel counts and reads",
            "error_runs": ". No fitted run has {kind} layers: {engine}'s {runs} runs of "
                          "{model}, not fitted, are off TPOT {tpot} and TTFT {ttft} at the "
                          "median",
            "error_step": "; {kind} layers' steps meet {engine} {version}'s forward passes of "
                          "{model} on {gpu}, not fitted: there the model times decode steps at "
                          "{decode}x the measured and prompt steps at {prompt}x",
            "kind_names": {"mla_indexer": "sparse MLA", "linear_attention": "Gated DeltaNet",
                           "mamba2": "Mamba-2", "kda": "Kimi Delta Attention",
                           "lightning": "lightning attention", "mamba": "Mamba"},
            "error_context": ". The measured runs decode at a mean context of at most "
                             "{measured} tokens (TensorRT-LLM's published table {published}): at "
                             "this plan's {context} a step's KV reads, bytes over bandwidth, are "
                             "checked by no run",
            "curve_title": "Speed against sessions per replica",
            "curve_headers": ("sessions", "TPOT ms", "TTFT s", "tok/s each", "tok/s replica",
                              "bound", ""),
            "bounds": {"bandwidth": "HBM bandwidth", "compute": "compute",
                       "kv_capacity": "KV capacity"},
            "mark_plan": "plan", "mark_capacity": "KV pool", "mark_targets": "targets",
            "explain": "A decode step reads the weights each GPU holds (for a mixture of "
                       "experts, the experts the step's tokens touch) and each session's KV, "
                       "or computes, whichever takes longer; plus a fixed cost per layer and per "
                       "session, and the tensor-parallel all-reduces. Prompts are prefilled in "
                       "chunks inside the same steps. bound: what takes longer over the mean "
                       "step, counting the chunks some steps carry: reading weights and KV (HBM "
                       "bandwidth) or GEMMs and attention (compute); the fixed costs count in "
                       "TPOT, not in the bound. tok/s: output tokens per second for each "
                       "session and for the replica. Sessions beyond the KV pool wait: they add "
                       "to TTFT, not to TPOT. TPOT and TTFT are steady-state means, TTFT as a "
                       "benchmark of 10 x concurrency requests measures it (its opening burst, "
                       "every session's first prompt at once, included); MLPerf-style "
                       "p99 targets are tighter. Tokens/s per replica counts the sessions "
                       "decoding at once.",
        },
        "solve": {
            "title": {"max-concurrency": "Most sessions the nodes hold",
                      "max-context": "Longest context the nodes hold"},
            "what": {"max-concurrency": "{nodes} x {server} for {model} at {given}: the most "
                                        "concurrent sessions each scenario serves on them.",
                     "max-context": "{nodes} x {server} for {model} at {given} sessions: the "
                                    "longest effective context each scenario serves on them."},
            "headers": {"max-concurrency": ("scenario", "sessions", "nodes", "nodes for one more",
                                            "requests/s"),
                        "max-context": ("scenario", "tokens", "nodes", "nodes for one more")},
            "note": "Each value is sized whole (memory views, layout, latency targets): it fits "
                    "the nodes and one more does not. '-' as the value: not even one fits.",
            "rate_note": "requests/s: the sessions over the seconds one request takes at that "
                         "plan's speed (first token, then each output token at TPOT; Little's "
                         "law, the inverse of --requests-per-second).",
            "ceiling": {
                "model_context": {
                    "max-context": "'-' for one more: {value} tokens is the longest context the "
                                   "model serves, and the nodes hold it "
                                   "(--allow-context-beyond-model solves past it)."},
                "tool_limit": {
                    "max-context": "'-' for one more: {value} tokens is the longest context the "
                                   "tool sizes; the nodes hold it.",
                    "max-concurrency": "'-' for one more: {value} sessions is the most the tool "
                                       "sizes; the nodes hold them."}},
            "fitted": "Speed constants fitted to the benchmark {source}: median error on its "
                      "{runs} runs TPOT {tpot}, TTFT {ttft} (in-sample).",
        },
        "fleet": {
            "fleet": "Today's fleet, {nodes} x {server} at {concurrency}:",
            "meets": "meets {met}",
            "meets_none": "meets no scenario",
            "met_item": "{scenario} (needs {needs})",
            "short_item": "{scenario} needs {needs}: {add}",
            "unsized_item": "{scenario} holds not even one session",
            "add": "add {n} node|add {n} nodes",
            "add_capex": ", capex {capex}",
            "units": "Its {nodes} nodes make {units}{idle}.",
            "replicas": "{n} replica of {k} nodes|{n} replicas of {k} nodes",
            "groups": "{n} expert group of {k} nodes|{n} expert groups of {k} nodes",
            "copies": "{n} copy of the model on {k} nodes|{n} copies of the model, {k} nodes "
                      "each",
            "per_copy": "per copy of the model",
            "idle": "; {n} node is left idle|; {n} nodes are left idle",
            "held": "At {scenario}'s sessions {per} it holds {all} sessions at once; {one} "
                    "after the loss of one node, {two} after the loss of two.",
            "most": "Most sessions it serves with each scenario's headroom, spares and "
                    "targets: {values}.",
            "rate_item": " ({rate} requests/s)",
            "headers": ("scenario", "nodes needed", "met", "to add", "capex to add",
                        "sessions held (all / -1 / -2)", "most sessions"),
            "yes": "yes", "no": "no",
        },
        "growth": {
            "title": "Growth plan",
            "what": "{model} on {server} at {context} per session: per period the nodes each "
                    "scenario needs and, in brackets, the nodes to buy then (nodes already "
                    "bought are kept); what binds RECOMMENDED, its capex per period, and what "
                    "renting its GPUs instead costs a year (at the GPU-hour rate).",
            "period": "period", "sessions": "sessions", "bound": "bound by",
            "rate": "requests/s",
            "capex": "REC capex", "rent": "REC rent/yr",
            "node": "node|nodes",
            "buy": "{nodes} {nodes_word} in {period}",
            "plan": "{scenario} buys {buys} ({server}).",
            "nothing": "nothing: today's fleet holds every period",
            "total": "Capex over the plan: {capex}.",
            "unsized": "{scenario} cannot hold even one session in some period: see that "
                       "period's result in the JSON.",
            "lasts": "Today's fleet meets each scenario until: {values} ('-': not even the "
                     "first period).",
            "chart_title": "Nodes per period",
            "chart_axis": "nodes",
            "chart_note": "Lines from bottom to top: MINIMUM, RECOMMENDED, IDEAL.",
            "chart_zero": "A scenario that cannot be sized in a period shows 0.",
            "chart_none": "No scenario can be sized in any period, so there are no nodes to "
                          "chart.",
            "benchmark": "Speeds, and the nodes a latency target needs, use the constants "
                         "fitted to the benchmark {source} ({runs} runs; expected error TPOT "
                         "{tpot}, TTFT {ttft} at the median).",
            "note": "Each period is sized whole at its concurrency (memory views, layout, "
                    "latency targets, money); the JSON holds each period's full result.",
        },
        "diff": {
            "title": "Plan diff",
            "what": "From {old} to {new}.",
            "same": "No input and no result changed.",
            "inputs": "Inputs that changed",
            "results": "Results that changed",
            "input_headers": ("input", "old", "new"),
            "result_headers": ("scenario", "result", "old", "new", "change"),
            "performance": "speed",
            "storage": "storage",
            "no_result": "No result changed.",
        },
        "compare": {
            "title": "SERVER COMPARISON",
            "workload": "{model}, {concurrency} of {context}: each server at its best "
                        "layout; MINIMUM, RECOMMENDED and IDEAL in units bought (nodes, or racks "
                        "of 72 GPUs); GPUs, what binds, tokens/s per session and money in "
                        "{money} at RECOMMENDED (rent: the same GPUs rented by the hour over "
                        "the same years); by TCO, then by GPUs where there is no price.",
            "headers": ("server", "MIN", "REC", "IDEAL", "GPUs", "bound by", "tok/s", "capex",
                        "TCO", "per M tok", "rent"),
            "sessions": "sessions",
            "rate": "{rate} requests per second (each server's sessions in the table: the rate "
                    "x the seconds a request takes on it, Little's law)",
            "rack": "* counted in racks of 72 GPUs, bought whole (one NVLink domain).",
            "unpriced": "One server has no price in the catalog (give --node-price-usd "
                        "NAME=USD for its cost): {server} needs {gpus} GPUs.|{count} servers "
                        "have no price in the catalog (give --node-price-usd NAME=USD,NAME=USD "
                        "for their cost); of those {server} needs the fewest GPUs ({gpus}).",
            "winner_money": "Lowest TCO: {server}, {nodes} units ({gpus} GPUs) for {tco} over "
                            "{years} years.",
            "winner_gpus": "Fewest GPUs (no node prices to compare): {server}, {nodes} units "
                           "({gpus} GPUs).",
            "runner_up": "Runner-up: {server}, {nodes} units ({gpus} GPUs), {tco}.",
            "runner_up_gpus": "Runner-up: {server}, {nodes} units ({gpus} GPUs).",
            "cheapest_rent": "Cheapest to rent: {server}, {gpus} GPUs for {rent} over {years} "
                             "years.",
            "none_sized": "No server holds even one session at RECOMMENDED.",
            "left_out": "{server} left out: {why}",
            "exec_heading": "Servers compared",
            "exec_detail": "Recommended server: {server}",
            "exec_detail_unsized": "Server in detail: {server}",
        },
        "cost": {
            "title": "Cost, power and space per scenario (money in {currency})",
            "metric": "per scenario",
            "rows": {"capex_usd": "capex", "facility_power_kw": "facility power (kW, x PUE)",
                     "rack_units": "rack units", "heat_btu_per_hour": "heat (BTU/h)",
                     "energy_mwh_per_year": "energy (MWh/year)",
                     "opex_usd_per_year": "opex per year",
                     "tco_usd": "TCO ({years} years)",
                     "usd_per_session_month": "per session-month",
                     "usd_per_million_output_tokens": "per million output tokens",
                     "tco_vs_minimum_usd": "TCO vs MINIMUM",
                     "rent_usd_per_year": "rent per year (GPU-hours)",
                     "rent_usd": "rent ({years} years)",
                     "rent_usd_per_session_month": "rent per session-month",
                     "rent_usd_per_million_output_tokens": "rent per million output tokens",
                     "rent_vs_tco_usd": "rent vs TCO",
                     "break_even_years": "owning pays back (years)"},
            "from": {"catalog": "catalog hint", "flag": "{flag}", "default": "default",
                     "none": "none"},
            "no_price": "No price for {server} in the catalog: give --node-price-usd to see capex, "
                        "TCO and cost per session and per token.",
            "no_power": "No maximum power for {server} in the catalog: power, energy and opex are "
                        "not computed.",
            "price": "Node price {price} ({origin}).",
            "rental": "Renting instead: {rate} per GPU-hour x {gpus} GPUs per unit, all year "
                      "({origin}).",
            "no_rental": "No GPU-hour rental rate for {server} in the catalog: give "
                         "--gpu-hour-usd to compare owning with renting.",
            "inputs": "{years} years; energy {energy} USD/kWh; PUE {pue}; average draw {ratio} of "
                      "the maximum {power} kW per node; hosting {hosting} USD per kW-month; the "
                      "plan serves {tokens} output tokens/s at its load (README Cost).",
        },
        "benchmark": {
            "title": "{number}. Calibration from a benchmark",
            "source": "Benchmark: {source}",
            "headers": ("timed at", "sessions", "prompt", "output", "TPOT ms", "default",
                        "fitted", "TTFT ms", "default", "fitted"),
            "unchanged": "The fit left every constant unchanged.",
            "held": "{name}: {value}, set by {flag} and held while the others were fitted",
        },
        "table": {
            "metric": "metric", "peak_headroom": "peak headroom", "ha_mode": "HA mode",
            "kv_budget_ratio": "KV budget ratio", "kv_budget_per_node_gib": "KV budget/node (GiB)",
            "sessions_per_node": "sessions per node", "nodes_capacity": "nodes (capacity)",
            "sessions_per_unit": "sessions per replica ({nodes} nodes)",
            "sessions_per_group": "sessions per expert group ({nodes} nodes)",
            "nodes_with_headroom": "nodes (+ headroom)", "nodes_final": "nodes (final, + HA)",
            "gpus_final": "GPUs (final)", "risk": "risk of unavailability",
            "sla": "typical SLA", "nodes_memory": "nodes (+ headroom): pooled memory",
            "nodes_memory_engine": "nodes (+ headroom): engine memory",
            "nodes_latency": "nodes (+ headroom): latency",
            "binding_constraint": "binding constraint",
        },
        "risk": {"high": "high", "medium": "medium", "low": "low"},
        "scenario_purpose": {
            "minimum": "Serves the load at the limit: no peak headroom, no redundancy.",
            "recommended": "Production: peak headroom and N+1 (or as given) redundancy.",
            "ideal": "Enterprise grade: at least 30% headroom, N+2, a 65% KV budget at most.",
        },
        "results": {
            "kv_per_session_gib": "KV per session",
            "kv_total_tib": "KV total",
            "kv_budget_per_node_gib": "KV budget per node",
            "sessions_per_node": "sessions per node",
            "nodes_capacity": "nodes for capacity",
            "nodes_with_headroom": "nodes with headroom",
            "nodes_final": "nodes final (with HA)",
        },
        "meanings": {
            "kv_budget_per_node_gib":
                "Of each node's HBM, runtime_overhead_gib goes to weights, activations and "
                "runtime buffers; the share kv_budget_ratio of the rest is given to KV, and the "
                "remainder is slack against fragmentation and uneven session lengths.",
            "kv_budget_per_node_gib_engine":
                "The KV pools the engine allocates on the node's GPUs ({engine}: its share of "
                "each GPU after weights, activation and reserve, in whole blocks), of which a "
                "scenario may fill engine_pool_share: all of them, or in IDEAL the "
                "methodology's IDEAL budget ratio over its default one.",
            "sessions_per_node":
                "Whole sessions one node can hold (rounded down: a part session cannot be "
                "served). This is the node's real capacity.",
            "sessions_per_node_engine":
                "Whole sessions the node's replicas hold, each reserving what the engine "
                "reserves on every GPU of its replica at this context (rounded down).",
            "sessions_per_node_plan":
                "Whole sessions one node serves under every constraint in force: the smallest "
                "of them, named by binding_constraint. The others allow as many or more.",
            "nodes_capacity":
                "Nodes that carry the nominal concurrency with no slack at all (rounded up).",
            "nodes_with_headroom":
                "Nodes that also absorb a traffic peak peak_headroom_ratio above nominal.",
            "nodes_final":
                "Adds ha_extra_nodes spare nodes for the HA mode: the plan keeps serving the "
                "peak through the loss of that many nodes (failure or maintenance; a whole "
                "replica when one spans several nodes).",
            "unsized": "'-': not computable, not even one session fits a node in that scenario.",
        },
        "explanations": {
            "kv_per_session_gib":
                "Each active session pins this much HBM for its whole life. Full-attention "
                "and MLA layers grow with every token of context; sliding-window and chunked "
                "layers stop at their window; linear-attention and Mamba layers keep a fixed "
                "state. fp16/bf16 would double the token part, a longer context grows it "
                "linearly.",
            "kv_total_tib":
                "The KV the whole fleet must hold at {concurrency}: the "
                "demand that the nodes' KV budgets must cover.",
            "kv_budget_per_node_gib":
                "Of each node's HBM, {overhead} GiB go to weights, activations and runtime "
                "buffers; {ratio_pct} of the rest is given to KV, and the remainder is slack "
                "against fragmentation and uneven session lengths.",
            "sessions_per_node":
                "Whole sessions one node can hold (rounded down: a part session cannot be "
                "served). This is the node's real capacity.",
            "kv_budget_per_node_gib_engine":
                "The KV pools the engine allocates on the node's GPUs ({engine}: its share of "
                "each GPU after weights, activation and reserve, in whole blocks); this "
                "scenario may fill {share_pct} of them.",
            "sessions_per_node_engine":
                "Whole sessions the node's replicas hold, each reserving what the engine "
                "reserves on every GPU of its replica at this context (rounded down).",
            "sessions_per_node_plan":
                "Whole sessions one node serves under every constraint in force: the smallest "
                "of them, here {binding}. The others allow as many or more.",
            "nodes_capacity":
                "Nodes that carry the nominal concurrency with no slack at all (rounded up).",
            "nodes_with_headroom":
                "Nodes that also absorb a traffic peak {headroom_pct} above nominal.",
            "nodes_final":
                "HA {ha_mode} adds {ha_extra_nodes} to the node count: the plan keeps serving "
                "the peak with that many nodes lost to failure or maintenance.",
            "unsized": "Not computable: not even one session fits a node in this scenario.",
        },
        "parameters": {
            "num_layers": (
                "Transformer layers; each one keeps its own K and V for every cached token.",
                "model config.json (num_hidden_layers) via models.json",
                "KV grows linearly with the layers that cache tokens.",
                "Counting all layers as full attention when some use a sliding window."),
            "num_key_value_heads": (
                "K/V heads per layer (GQA/MQA share them among query heads).",
                "model config.json (num_key_value_heads)",
                "KV grows linearly with it; GQA makes it 4-16x smaller than the query heads.",
                "Using num_attention_heads instead, which overstates KV by the GQA ratio."),
            "head_dim": (
                "Width of one attention head, in elements.",
                "model config.json (head_dim, else hidden_size / num_attention_heads)",
                "KV grows linearly with it.",
                "Deriving it from hidden_size when the config states head_dim (Qwen3, "
                "gpt-oss, Gemma)."),
            "attention_pattern": (
                "What each layer keeps: every token (full, MLA), a window or chunk (sliding, "
                "chunked) or a fixed state (linear attention, Mamba); hybrid and layers mix "
                "them.",
                "model config.json (layer_types, sliding_window, use_sliding_window, "
                "kv_lora_rank, no_rope_layers, full_attention_interval; --import-hf-config)",
                "Windows and states stop growing with context; getting this wrong moves KV "
                "by 2-25x.",
                "Ignoring the window, applying a window the config disables, or counting MLA "
                "as ordinary attention."),
            "max_position_embeddings": (
                "Longest context the model supports, in tokens.",
                "model config.json",
                "A longer effective context is refused, unless the engine extends it "
                "(--rope-scaling) or --allow-context-beyond-model sizes it anyway.",
                "Sizing for a context the model cannot serve."),
            "total_hbm_gb": (
                "GPU memory of one node in vendor GB (10^9 bytes).",
                "vendor datasheet via servers.json (gpus x hbm_per_gpu_gb)",
                "The capacity every session competes for; 2304 GB is 2145.8 GiB.",
                "Mixing vendor GB with GiB, which overstates capacity by 7.4%."),
            "concurrency": (
                "Sessions that hold a KV cache at the same moment.",
                "product NFR (--concurrency; or --requests-per-second x the seconds a request "
                "takes)",
                "Total KV and node count grow linearly with it.",
                "Using requests per second or total users instead of simultaneous sessions "
                "(--requests-per-second converts a rate by Little's law)."),
            "effective_context": (
                "Tokens each session keeps (prompt + history + output), 128k = 131,072.",
                "product NFR (--effective-context)",
                "KV per session grows linearly with it on full-attention layers.",
                "Using the model's maximum instead of the context sessions really reach; "
                "reading 128k as 128,000."),
            "kv_precision": (
                "Bytes per cached element: fp8/int8 1, fp16/bf16 2.",
                "runtime setting (--kv-precision; engines default to the model dtype)",
                "fp16/bf16 doubles KV and roughly doubles nodes.",
                "Assuming fp8 KV while the engine runs with its bf16 default."),
            "kv_budget_ratio": (
                "Share of the HBM left after overhead that is given to KV.",
                "runtime policy (--kv-budget-ratio)",
                "Slack against fragmentation and uneven sessions; above 0.75 is risky.",
                "Planning on 100% of HBM."),
            "runtime_overhead_gib": (
                "HBM per node taken by weights, activations and runtime buffers, in GiB.",
                "runtime policy (--runtime-overhead-gib)",
                "Subtracted before any KV fits; too low overstates capacity.",
                "Forgetting that weights of a large model alone can exceed the default."),
            "peak_headroom_ratio": (
                "Extra capacity above nominal concurrency for traffic peaks.",
                "resilience policy (--peak-headroom-ratio)",
                "Decides whether a peak is absorbed or refused.",
                "Counting HA nodes as peak headroom (they are for failures)."),
            "ha_mode": (
                "Spare nodes for failures and maintenance: none, n+1, n+2.",
                "resilience policy (--ha-mode)",
                "Lets the service lose nodes and still serve the peak.",
                "Adding spares before headroom, so a failure during a peak still overloads."),
        },
        "alerts": {
            "context_beyond_model": (
                "Effective context {requested} tokens is above the {maximum} the model serves; "
                "sized as asked (--allow-context-beyond-model), though the model may not "
                "answer well there.",
                "Lower --effective-context to what the model serves, enable a RoPE scaling "
                "the model documents (--rope-scaling), or choose a longer-context model."),
            "kv_precision_wide": (
                "KV precision {precision} uses 2 bytes per element: twice the memory of fp8.",
                "Consider --kv-precision fp8 (quality is close in most evaluations); it halves "
                "the memory each session holds and the KV each token reads, so it can save "
                "nodes when memory or a latency target sets their count."),
            "budget_ratio_high": (
                "KV budget ratio {ratio} is above {limit}: aggressive HBM use risks "
                "fragmentation and allocator failures.",
                "Use 0.70 or less."),
            "no_session_fits": (
                "{scenario}: not even one session fits a node ({session_gib} GiB per session, "
                "{budget_gib} GiB KV budget per node).",
                "Shorten the context, use fp8 KV, lower the runtime overhead if it is "
                "overstated, or choose a server with more HBM."),
            "overhead_exceeds_node": (
                "The runtime overhead of {overhead_gib} GiB per node is at least the node's "
                "{node_gib} GiB of GPU memory: the pooled view leaves no KV budget, so no "
                "session fits.",
                "Set --runtime-overhead-gib to what the weights, activations and runtime take "
                "on one node of this server, or size with --memory-model engine."),
            "low_sessions_per_node": (
                "{scenario}: few sessions per node ({sessions}, below {limit}).",
                "Long context or wide KV precision makes each node carry few sessions; "
                "consider fp8 KV, a shorter context or a server with more HBM."),
            "latency_few_sessions": (
                "{scenario}: the {target} target leaves few sessions per node ({sessions}, "
                "below {limit}); memory would hold more.",
                "The target, not memory, sets the node count: relax it, send shorter prompts, "
                "or compare engines and servers (--engine, --server a,b); fp8 weights and KV "
                "make each step faster."),
            "many_nodes": (
                "{scenario}: {nodes} nodes (more than {limit}).",
                "Review the NFRs (concurrency, context) or consider a smaller model."),
            "small_scenario_gap": (
                "RECOMMENDED ({recommended} nodes) is within {limit_pct}% of MINIMUM "
                "({minimum} nodes).",
                "The load is light: resilience costs little here, so MINIMUM saves little."),
            "weights_exceed_overhead": (
                "The model's weights alone take {weights_gib} GiB per node ({precision}), more "
                "than the runtime overhead of {overhead_gib} GiB: the KV budget is overstated.",
                "Set --runtime-overhead-gib to at least the weights plus activations and "
                "runtime buffers (typically 20-50 GiB more), or use lower-precision weights."),
            "weights_exceed_overhead_engine_checked": (
                "The model's weights alone take {weights_gib} GiB per node ({precision}), more "
                "than the pooled view's runtime overhead of {overhead_gib} GiB: the pooled KV "
                "budget is overstated. The engine view, which loads the weights on every GPU, "
                "sizes the nodes too, so the plan does not rest on it.",
                "Nothing to change for this plan. For the methodology's view alone "
                "(--memory-model pooled), set --runtime-overhead-gib to at least the weights "
                "plus activations and runtime buffers."),
            "cold_start_slow": (
                "Cold start: reading {weights_gb} GB of weights at {throughput} GB/s "
                "({profile}) takes {seconds} s, above {limit} s.",
                "Replacing a failed node or scaling out for a peak will be slow: stage weights "
                "on local NVMe or use faster storage."),
            "kv_restore_slow": (
                "Restoring one session's KV ({session_gib} GiB) from {profile} at "
                "{throughput} GB/s takes {seconds} s, above {limit} s.",
                "Offloaded sessions will resume slowly: keep hot sessions in HBM or use a "
                "faster tier."),
            "weight_shard_exceeds_gpu": (
                "Even split over all {gpus} GPUs of a node, the weights take {shard_gib} GiB per "
                "GPU, more than a GPU's {gpu_gib} GiB: the pooled plan cannot run on one node.",
                "The engine view sizes such a plan over several nodes (--memory-model both, the "
                "default, or engine); or quantize the weights (--weight-precision fp8), or pick "
                "a server with more memory per GPU."),
            "kv_heads_replicated": (
                "Tensor parallelism {tp} exceeds the model's {kv_heads} KV heads: every GPU "
                "keeps a full head, so KV per token costs {factor}x what the pooled method "
                "assumes.",
                "Use fewer GPUs per replica (--tensor-parallel {kv_heads}) and more replicas, "
                "or size with --memory-model engine."),
            "session_exceeds_gpu_pool": (
                "At tensor parallelism {tp} one session needs {request_gib} GiB of KV per GPU, "
                "more than the {pool_gib} GiB the engine leaves for KV: no session fits a "
                "replica.",
                "Raise --tensor-parallel, shorten the context, use fp8 KV, or pick a server "
                "with more memory per GPU."),
            "engine_leaves_no_kv": (
                "At tensor parallelism {tp} the engine leaves no memory for KV ({kv_gib} GiB "
                "per GPU): the weights and overheads it holds on each GPU exceed its share of "
                "the GPU's memory, and more GPUs per replica do not lower its overheads.",
                "Raise the engine's share (--gpu-memory-utilization, --mem-fraction-static or "
                "--free-gpu-memory-fraction), or lower what it holds beside the KV "
                "(--max-num-seqs, --max-num-batched-tokens, --chunked-prefill-size, "
                "--activation-gib)."),
            "replica_nodes_capped": (
                "No layout within {max_nodes} node(s) per replica (--max-nodes-per-replica) "
                "holds a session in the engine; a replica over {nodes} nodes (TP {tp}) would.",
                "Allow --max-nodes-per-replica {nodes} with a fabric between the nodes, "
                "quantize the weights (--weight-precision fp8) or pick a server with more "
                "memory per GPU."),
            "replica_spans_nodes": (
                "The model needs {tp} GPUs per replica: each replica spans {nodes} nodes "
                "(pipeline stages across nodes), so nodes are bought {nodes} at a time.",
                "Check the inter-node fabric; a quantized checkpoint may fit one node."),
            "expert_group_spans_nodes": (
                "The routed experts split over {ranks} GPUs in {nodes} nodes, each GPU an "
                "attention rank with its own KV cache (wide expert parallelism): nodes are "
                "bought {nodes} at a time, a spare is a whole group, and every step's expert "
                "all-to-alls cross the nodes' network, timed at the catalog's {gb_per_s} GB/s "
                "per GPU with no overlap with compute.",
                "Give every GPU its own NIC at that rate and run the engine's all-to-all "
                "kernels for it (DeepEP in SGLang and vLLM, which the launch line asks for, "
                "TensorRT-LLM's wide-EP); check the speed with a benchmark of the group "
                "(--calibrate-from-benchmark)."),
            "sglang_graph_reserve": (
                "SGLang's default --mem-fraction-static is {share} for {ranks} data-parallel "
                "attention ranks: of each GPU's {gpu_gib} GiB it sets aside {graphs_gib} GiB "
                "for the CUDA graphs of the batch gathered from every rank (cuda_graph_max_bs "
                "{batch} x {ranks} ranks, server_args.py), which the KV pool does not get.",
                "That reserve grows with the ranks and --cuda-graph-max-bs: lower the batch, "
                "or set --mem-fraction-static to what your deployment runs (its log prints "
                "it), and size with --mem-fraction-static (or --calibrate-from-log) before "
                "buying."),
            "engine_running_limit": (
                "A replica's KV pool holds {held} sessions, but the engine runs at most "
                "{limit} requests at once ({setting}): the engine view counts {limit} per "
                "replica, and any more wait for their first token.",
                "Raise the engine's limit if the GPU keeps up, and size with it (vLLM "
                "--max-num-seqs, SGLang --max-running-requests, TRT-LLM --max-batch-size), or "
                "run more, smaller replicas per node (--tensor-parallel)."),
            "larger_tp_holds_more": (
                "At tensor parallelism {tp} a node holds {sessions} sessions; at {best_tp} it "
                "would hold {best_sessions} (fewer weight copies per node).",
                "Size with --tensor-parallel {best_tp} if latency allows it."),
            "weight_precision_needs_fewer": (
                "The model's weights are {precision}; served in FP8 (an FP8 checkpoint, or "
                "the engine's --quantization fp8) they would need {fp8_nodes} nodes at "
                "RECOMMENDED against {nodes}: about half the bytes each GPU holds and reads, "
                "and GEMMs at the GPU's FP8 peak. Published evaluations find FP8 weights "
                "within about 1% of the original's accuracy (Llama 3.1, arXiv:2411.02355).",
                "Size with {flags} to see that plan, and check FP8 on your own tasks before "
                "buying on it."),
            "kv_precision_needs_fewer": (
                "The KV cache is {precision}; in FP8 it would need {fp8_nodes} nodes at "
                "RECOMMENDED against {nodes}: each session holds half the bytes, and each "
                "decode step reads half the KV.",
                "Size with {flags} to see that plan (the launch command then sets the engine's "
                "FP8 KV cache), and check answer quality with it on your own tasks, long "
                "contexts included, before buying on it."),
            "other_engine_needs_fewer": (
                "{other}'s memory rules, at its defaults and its own best layout, would need "
                "{other_nodes} nodes at RECOMMENDED against {nodes} with {engine}'s: the "
                "engine view sizes this plan, and the engines keep this model's KV "
                "differently.",
                "Size with {flags} to see that plan before choosing the engine."),
            "dp_attention_needs_fewer": (
                "Data-parallel attention ({ranks} attention ranks of TP {tp} per node, the "
                "experts split over them) would need {dp_nodes} nodes at RECOMMENDED against "
                "{nodes}. The search weighs it only where tensor parallelism copies KV: its "
                "speeds are the model's least certain (median error TPOT {tpot_error_pct}%, "
                "TTFT {ttft_error_pct}%, on {runs} measured runs, first tokens predicted "
                "early).",
                "Size with {flags} to see that plan, and check it with a benchmark of your "
                "engine (--calibrate-from-benchmark)."),
            "sglang_window_pool_oversized": (
                "SGLang sizes its sliding-window pool at {ratio} x the full pool's tokens, "
                "but a session keeps at most {window} tokens there: most of the pool stays "
                "empty at this context. At {best_ratio} ({flag}) a replica holds {best_held} "
                "sessions instead of {held}, the window pool still holding that for every "
                "session and {chunks} prefill chunks of {chunk} tokens.",
                "Size with {flag} and check the pool sizes in SGLang's start-up log before "
                "buying."),
            "scenario_layout_needs_fewer": (
                "{scenario}: {layout_nodes} nodes with {layout} against {nodes} with "
                "{chosen_layout}, the layout RECOMMENDED needs the fewest nodes with, which "
                "sizes all three scenarios.",
                "Size with {flags} to see that plan for {scenario}."),
            "latency_target_unreachable": (
                "No layout meets the {target} target of {value_ms} ms even with one session per "
                "replica: the best this server gives is {best_ms} ms.",
                "Relax the target, choose a faster server, a smaller or quantized model, or "
                "shorter prompts."),
            "prompts_queue": (
                "At the plan's load ({sessions} sessions per replica), prompts of {prompt} "
                "tokens arrive faster than a replica prefills them (it keeps {limit} sessions "
                "fed): new requests queue and wait about {ttft_s} s for their first token.",
                "Give --ttft-ms to size for the first token, or --input-tokens for the new "
                "tokens per turn when earlier turns stay cached."),
            "slower_than_reading": (
                "At the plan's load each user gets about {tps} tokens/s, slower than people read "
                "(about {reading_tps}): the layout needing the fewest nodes was picked with no "
                "speed target.",
                "Give --tpot-ms (50 ms is 20 tokens/s) or --output-tokens-per-second: the "
                "layout search then sizes for the speed."),
            "speed_beyond_measured": (
                "At the plan's load a replica decodes {sessions} sessions at once, more than the "
                "{limit} of the measured runs the speed model was fitted on: its TPOT, TTFT and "
                "tokens/s there are extrapolated. Checked at that load against TensorRT-LLM's "
                "published full-load throughput, the model's tokens/s came out {ratio} times "
                "the published (median error {error_pct}%).",
                "Benchmark the engine at the plan's sessions per replica and size with "
                "--calibrate-from-benchmark before relying on a speed target at this load."),
            "prompt_waves": (
                "The engine runs new prompts before any decode step, so requests of one length, "
                "as benchmarks send them, come back in waves and each prompt waits for its "
                "wave's prefill: the first-token target is sized for that ({ttft_s} s at "
                "{sessions} sessions per replica). Traffic of varied lengths gets its first "
                "tokens sooner.",
                "Benchmark your own traffic and size with --calibrate-from-benchmark, or compare "
                "--engine vllm."),
            "opening_burst": (
                "The first-token target is checked against a benchmark's mean, as the fitted "
                "runs measured it: of the {ttft_s} s at {sessions} sessions per replica, "
                "{burst_s} s is its opening burst (a tenth of its requests, every session's "
                "first prompt sent at once, wait for all their prefills). Live traffic without "
                "such a burst would see about {live_s} s (not measured).",
                "Benchmark your own traffic and size with --calibrate-from-benchmark, or size "
                "for live traffic with --ttft-basis live."),
            "ttft_live_basis": (
                "First tokens are live traffic's (--ttft-basis live): {ttft_s} s at {sessions} "
                "sessions per replica, without a benchmark's opening burst. No measured run "
                "checks that figure; the benchmark the defaults were fitted on (10 x "
                "concurrency requests, every session's first prompt at once) would show about "
                "{benchmark_s} s.",
                "Check the first-token time on live traffic before buying."),
            "speculative_speed_not_modelled": (
                "The KV pool counts the speculative draft's cache layers ({layers}), but the "
                "speeds leave speculation out: the draft tokens the model accepts would "
                "cut TPOT and raise tokens per second, by a share that depends on the "
                "acceptance rate (InferenceX's DeepSeek-R1 on 8 B200 with TensorRT-LLM, MTP 3: "
                "TPOT 0.47-0.70 times the same points without it).",
                "Measure with the draft on and size with --calibrate-from-benchmark."),
            "calibration_memory_implausible": (
                "The log implies {implied_gib} GiB per GPU outside weights and KV ({share_pct}% "
                "of the {gpu_gib} GiB GPU the calibration took for {server}), which activations "
                "and the CUDA context do not explain: the log probably ran on another GPU, and "
                "the flags it suggests would carry that figure to the whole fleet.",
                "Calibrate with the server the log ran on, or give --gpu-memory-gib with the "
                "memory CUDA reports on its GPU; keep the figure only where the GPU shares its "
                "memory (a DGX Spark)."),
            "calibration_model_mismatch": (
                "The log served a {logged}, but {model} is a {architecture}: the weights, "
                "activation and KV it printed describe another model, and so would the flags "
                "it suggests.",
                "Calibrate with a log of {model}, or size the model the log ran (--model, or "
                "--import-hf-config with its config.json)."),
            "benchmark_workload_mismatch": (
                "No run of the benchmark {source} was timed at the plan's layout ({layout}) "
                "with prompts and outputs within 2x of its {prompt} + {output} tokens (the "
                "benchmark: {benchmark_layouts}; prompts {benchmark_prompts}, outputs "
                "{benchmark_outputs}): the fitted constants are carried to a layout or a "
                "workload they were not fitted on, where they can do worse than the defaults.",
                "Benchmark the layout and request lengths you will serve and give the runs' "
                "TP (a tp column or key; --tensor-parallel, --expert-parallel and "
                "--data-parallel-attention pin the plan's), or size without the benchmark."),
        },
        "severity": {"critical": "CRITICAL", "warning": "WARNING", "info": "INFO"},
        "list_headers": {"models": "Models", "servers": "Servers", "storage": "Storage profiles",
                         "aliases": "aliases", "default": "default", "name": "name",
                         "description": "description"},
        "exec": {
            "title": "Executive sizing report: {model} on {server}",
            "sections": ("1. Executive summary", "2. Scenarios side by side",
                         "3. Nodes per scenario", "4. Key risks and what removes them",
                         "5. Recommendation", "Appendix: how the numbers are built"),
            "summary": "This proposal sizes the GPU infrastructure that serves **{model}** to "
                       "**{concurrency}** of up to {context} tokens each, "
                       "on {server_desc}. **We recommend {nodes} x {server} ({gpus} GPUs), "
                       "sized for production with headroom and spares ({rec}).** Against the "
                       "bare minimum of {min_nodes} it costs {capex} more capital, and "
                       "for that it {buys}. The bare minimum "
                       "has no margin: one node failure or one traffic peak means refused "
                       "sessions.",
            "binding": "What sets the node count: {constraint}.",
            "constraints": {"memory_pooled": "GPU memory", "memory_engine": "engine memory",
                            "tpot": "speed per user", "ttft": "time to first token"},
            "per_node": "per node", "per_nodes": "per copy of the model, on {nodes} nodes",
            "per_group": "per copy of the model, on {nodes} nodes",
            "experience": "At that load ({sessions} {per}) each user gets about "
                          "{tps} tokens per second, and the first token arrives in about "
                          "{ttft} s.",
            "experience_peak": "At the workload's peak ({sessions} {per}) each user gets "
                               "about {tps} tokens per second, and the first token arrives "
                               "in about {ttft} s.",
            "money": "Capex {capex}; TCO {tco} over {years} years",
            "money_tokens": "{per_million} per million output tokens",
            "money_ideal": "IDEAL adds {more} to the TCO for {sla}",
            "money_none": "No price for {server} in the catalog: give --node-price-usd for capex "
                          "and TCO.",
            "money_rent": "Renting the same GPUs would cost {rent} over {years} years, at {rate} "
                          "per GPU-hour.",
            "money_break_even": "Owning pays back against renting after {years} years.",
            "buys_headroom": "absorbs traffic peaks {headroom} above the target",
            "buys_ha": "keeps serving through the loss of {failures} to failure or "
                       "maintenance",
            "node_forms": "one node|{n} nodes",
            "session_forms": "one session|{n} sessions",
            "simultaneous_forms": "one simultaneous session|{n} simultaneous sessions",
            "from_rate": "{rate} requests per second of about {seconds} s each, by Little's law",
            "from_rate_unsized": "{rate} requests per second, which no plan turns into sessions",
            "scenario_forms": "the {names} scenario|the {names} scenarios",
            "gpu_forms": "{n} GPU|{n} GPUs",
            "ha_modes": {"none": "no spare", "n+1": "N+1", "n+2": "N+2"},
            "opportunities": "Opportunities",
            "chart_none": "No scenario can be sized, so there are no nodes to chart: see "
                          "section 4.",
            "buys_nothing": "adds no resilience, because the policy given asks for none",
            "and": " and ",
            "fleet_heading": "Today's fleet",
            "summary_fatal": "This proposal sizes **{model}** for **{concurrency}** of up "
                             "to {context} tokens each, on {server_desc}. "
                             "**The workload cannot be served as specified:** in {scenarios}, "
                             "not even one session ({session_gib} GiB of working "
                             "memory) fits a node. Section 4 says what to change.",
            "rows": {
                "nodes": "Nodes", "gpus": "GPUs", "sessions_per_node": "Sessions per node",
                "sessions_per_unit": "Sessions per copy of the model ({nodes} nodes)",
                "binding": "Sized by", "peak_headroom": "Peak headroom",
                "failures": "Node failures tolerated",
                "risk": "Risk of unavailability", "sla": "Typical SLA",
                "capex": "Capex vs {minimum}",
            },
            "metric": "",
            "baseline": "baseline",
            "not_available": "n/a",
            "chart_title": "Nodes per scenario",
            "chart_axis": "Nodes",
            "chart_note": "A scenario that cannot be sized shows 0.",
            "tco_chart_heading": "Total cost of ownership per scenario",
            "tco_chart_title": "TCO over {years} years",
            "money_chart_heading": "Owning (bars) against renting the same GPUs (line) per "
                                   "scenario",
            "money_chart_title": "TCO and rent over {years} years",
            "rent_chart_heading": "Renting the GPUs per scenario",
            "rent_chart_title": "Rent over {years} years",
            "tco_chart_axis": "millions of {currency}",
            "money_no_price": "no node price (give --node-price-usd)",
            "money_price": "node price {price} ({origin})",
            "money_rental": "GPU-hour rental {rate} ({origin})",
            "money_assumption": "Money: {price}; {years} years; energy {energy} USD/kWh; PUE "
                                "{pue}; average draw {ratio} of the maximum {power} kW per node "
                                "({power_source}); hosting {hosting} USD per kW-month. Prices are "
                                "dated hints: confirm with a quote.",
            "tpot_chart_heading": "Speed per user as load grows",
            "tpot_chart_title": "Time per output token (ms, lower is faster) by sessions per node",
            "tpot_chart_x": "sessions per node", "tpot_chart_y": "TPOT (ms)",
            "risks": {
                "context_beyond_model": (
                    "The context asked for ({requested} tokens) is longer than the model "
                    "serves ({maximum}); the plan sizes it as asked, but the model may not "
                    "answer well that far.",
                    "Confirm the real context need, or choose a longer-context model."),
                "kv_precision_wide": (
                    "Session memory is stored in 16 bits ({precision}), twice the 8 bits "
                    "(fp8) serving software can use: twice the memory per user.",
                    "Validate 8-bit (fp8) session memory with the engineering team: it halves "
                    "the memory per user and speeds each token, so it can save servers when "
                    "memory or speed sets their count."),
                "budget_ratio_high": (
                    "The plan fills GPU memory aggressively ({ratio} of it), which risks "
                    "instability.",
                    "Keep the memory budget at 0.70 or below."),
                "no_session_fits": (
                    "{scenario}: a single session does not fit in one node.",
                    "Shorten the context, use 8-bit session memory, or choose a larger "
                    "server."),
                "overhead_exceeds_node": (
                    "The memory set aside on each server for the model and its software "
                    "({overhead_gib} GiB) takes all the server has ({node_gib} GiB) or more, "
                    "so no user fits.",
                    "Have engineering re-run the sizing with the memory this server's model "
                    "and software really take."),
                "low_sessions_per_node": (
                    "{scenario}: each node serves few sessions ({sessions}), so every node "
                    "lost removes a large share of capacity.",
                    "Consider 8-bit session memory, a shorter context or larger servers."),
                "latency_few_sessions": (
                    "{scenario}: to meet the {target} target each node serves few sessions "
                    "({sessions}), so the speed asked for, not memory, sets the fleet's size.",
                    "Check that the target is what users need: a looser one, shorter prompts "
                    "or faster servers buy far fewer nodes."),
                "many_nodes": (
                    "{scenario}: the fleet reaches {nodes} nodes, a large purchase to operate.",
                    "Revisit the concurrency and context targets, or consider a smaller "
                    "model."),
                "small_scenario_gap": (
                    "Resilience is cheap here: RECOMMENDED needs only {recommended} nodes "
                    "against {minimum}.",
                    "Do not settle for MINIMUM: the saving is small."),
                "weights_exceed_overhead": (
                    "The model itself ({weights_gib} GiB) is larger than the memory set aside "
                    "for it ({overhead_gib} GiB), so capacity is overstated.",
                    "Have engineering re-run the sizing with a realistic overhead before "
                    "buying."),
                "cold_start_slow": (
                    "A new or replaced node needs {seconds} s to load the model from "
                    "{profile}.",
                    "Keep model files on fast local storage so recovery stays under a "
                    "minute."),
                "kv_restore_slow": (
                    "Resuming a paused session from {profile} takes {seconds} s, which users "
                    "will notice.",
                    "Keep active sessions in GPU memory or add a faster storage tier."),
                "weight_shard_exceeds_gpu": (
                    "The model is too large to run on a single server of this type.",
                    "Plan for groups of servers that serve one copy of the model together, use "
                    "a compressed model, or choose larger GPUs."),
                "kv_heads_replicated": (
                    "Spreading the model over many GPUs wastes memory on copies.",
                    "Run more, smaller copies of the model per server."),
                "session_exceeds_gpu_pool": (
                    "Not even one conversation fits the memory the serving software leaves.",
                    "Shorten the context, compress the cache, or choose larger GPUs."),
                "engine_leaves_no_kv": (
                    "The serving software's memory settings leave no room for any "
                    "conversation.",
                    "Give the serving software a larger share of GPU memory."),
                "replica_nodes_capped": (
                    "The model does not fit the servers allowed to work together on one copy "
                    "({max_nodes}); it needs {nodes}.",
                    "Allow copies over {nodes} servers (with a network between them), use a "
                    "compressed model, or choose larger GPUs."),
                "replica_spans_nodes": (
                    "Each copy of the model needs {nodes} servers working together.",
                    "Confirm the network between servers before buying."),
                "expert_group_spans_nodes": (
                    "Each copy of the model spreads its experts over {nodes} servers working "
                    "together, which exchange data at every step of generation.",
                    "Confirm the network between servers, and measure the speed on such a "
                    "group before buying."),
                "sglang_graph_reserve": (
                    "With this many copies of the attention working together, the serving "
                    "software's default keeps {graphs_gib} GiB of each GPU's {gpu_gib} GiB "
                    "for its own buffers: fewer users fit per server than a tuned setting "
                    "allows.",
                    "Ask the platform team to measure the setting they will run and size "
                    "again with it before the purchase."),
                "engine_running_limit": (
                    "The serving software runs at most {limit} conversations at once per copy "
                    "of the model, though the memory would hold {held}.",
                    "Ask the platform team whether raising that limit keeps answers fast."),
                "larger_tp_holds_more": (
                    "A different split of the model over the GPUs serves more users per server.",
                    "Ask the platform team to validate tensor parallelism {best_tp}."),
                "weight_precision_needs_fewer": (
                    "Serving the model in 8-bit numbers (FP8) instead of {precision} would need "
                    "{fp8_nodes} servers instead of {nodes}; published tests find it about as "
                    "accurate.",
                    "Ask the platform team to validate an FP8 version of the model on your "
                    "own tasks before buying."),
                "kv_precision_needs_fewer": (
                    "Keeping each conversation's working memory in 8-bit numbers (FP8) instead "
                    "of {precision} would need {fp8_nodes} servers instead of {nodes}.",
                    "Ask the platform team to check answer quality with it on your own tasks "
                    "before buying."),
                "other_engine_needs_fewer": (
                    "The serving software assumed ({engine}) keeps this model's memory less "
                    "tightly than {other}, which would need {other_nodes} servers instead of "
                    "{nodes}.",
                    "Ask the platform team whether {other} can serve this model before "
                    "buying."),
                "dp_attention_needs_fewer": (
                    "Another way of spreading the model over the GPUs could need {dp_nodes} "
                    "servers instead of {nodes}, on a less certain estimate.",
                    "Ask the platform team to benchmark data-parallel attention before "
                    "buying."),
                "sglang_window_pool_oversized": (
                    "A setting of the serving software (SGLang) keeps memory this model barely "
                    "uses; changed, each copy of the model could serve {best_held} users "
                    "instead of {held}.",
                    "Ask the platform team to test {flag}."),
                "scenario_layout_needs_fewer": (
                    "{scenario} could be bought with {layout_nodes} servers instead of {nodes} "
                    "by spreading the model over the GPUs another way.",
                    "Ask the platform team to size {scenario} with {flags}."),
                "latency_target_unreachable": (
                    "The speed asked for ({target} {value_ms} ms) is out of reach on this "
                    "server, even for a single user ({best_ms} ms).",
                    "Relax the target, or choose faster hardware or a smaller model."),
                "prompts_queue": (
                    "At full load, long prompts ({prompt} tokens) queue: users wait about "
                    "{ttft_s} s for the first word of each answer.",
                    "Set a first-token target so the plan buys for it, or confirm that earlier "
                    "turns of a conversation stay cached."),
                "slower_than_reading": (
                    "Each user would get about {tps} tokens per second, slower than people read: "
                    "this plan buys the fewest servers, not speed.",
                    "State the speed users need (for example 20 tokens per second) and size "
                    "again: it may take more servers."),
                "speed_beyond_measured": (
                    "The speed figures at this plan's load go beyond what was measured: each "
                    "group of GPUs serves {sessions} users at once, more than the {limit} of the "
                    "tests the speed model was built on, and at such loads it was off by about "
                    "{error_pct}% at the median.",
                    "Ask the platform team to benchmark the serving software at this load before "
                    "relying on the speed figures."),
                "prompt_waves": (
                    "With this serving software, the first-token target is sized for requests "
                    "that arrive in waves, as in a fixed-length benchmark; live traffic usually "
                    "sees first tokens sooner, so the plan may hold more servers than it needs.",
                    "Benchmark the real traffic before buying, and size again from it."),
                "opening_burst": (
                    "The first-token target is sized as a standard benchmark measures it, "
                    "including the burst of requests it starts with; steady live traffic "
                    "usually sees first tokens sooner, so the plan may hold more servers than "
                    "it needs.",
                    "Benchmark the real traffic before buying, and size again from it."),
                "ttft_live_basis": (
                    "The time to the first word is estimated for steady live traffic, a figure "
                    "no measurement has checked; a standard benchmark would show it longer.",
                    "Measure the first-word time on the real traffic before buying."),
                "speculative_speed_not_modelled": (
                    "The speeds per user are estimated without the speculative decoding the "
                    "serving software will run: users may get their tokens faster than stated.",
                    "Ask the engineering team for a benchmark with it on before relying on the "
                    "speed figures."),
                "calibration_memory_implausible": (
                    "The start-up log used to calibrate the plan does not match the chosen "
                    "server's GPUs (its memory figures are off by {share_pct}% of each GPU's "
                    "memory), so the figures it would carry over are unreliable.",
                    "Have the engineering team calibrate from a log taken on the server being "
                    "bought."),
                "calibration_model_mismatch": (
                    "The start-up log used to calibrate the plan comes from another model "
                    "({logged}) than the one being sized, so the figures it carries over do not "
                    "apply.",
                    "Have the engineering team calibrate from a log of the model being "
                    "deployed."),
                "benchmark_workload_mismatch": (
                    "The speed measurements the plan was calibrated on were taken on another "
                    "server layout or with other request lengths than the plan serves, so the "
                    "speeds it quotes may be less accurate than without them.",
                    "Have the engineering team benchmark the planned layout and request "
                    "lengths, and size again from that."),
            },
            "no_risks": "No material risk beyond what the table shows.",
            "recommend": "We propose buying **{nodes} x {server}** ({gpus} GPUs), the {rec} "
                         "scenario, typical SLA {sla}. Move to {ideal} ({ideal_nodes}, "
                         "{ideal_capex} capex against {minimum}) if the service needs {ideal_sla} "
                         "availability or faces unpredictable peaks. {minimum} ({min_nodes}) "
                         "suits only a pilot or a development environment.",
            "recommend_no_ideal": "We propose buying **{nodes} x {server}** ({gpus} GPUs), the "
                                  "{rec} scenario, typical SLA {sla}. {ideal} cannot be sized "
                                  "on {server} (section 4): {ideal_sla} availability needs "
                                  "other inputs or a larger server. {minimum} ({min_nodes}) "
                                  "suits only a pilot or a development environment.",
            "recommend_fleet_add": "With {current} in service, the purchase is {add}{capex}.",
            "recommend_fleet_met": "The node in service already meets it: nothing to buy.|The "
                                   "{current} in service already meet it: nothing to buy.",
            "recommend_fleet_capex": " (capex {capex})",
            "recommend_risks": "Before the purchase order, act on the risk in section "
                               "4.|Before the purchase order, act on the {count} risks in "
                               "section 4.",
            "recommend_fatal": "Do not buy yet: change the inputs named in section 4 (context, "
                               "session-memory precision or server) and size again.",
            "appendix_build": "How the node count is built",
            "appendix_formula": "For each scenario: sessions per node = floor(KV budget per "
                                "node / KV per session), rounded down, or less when the engine's "
                                "memory or a speed target allows fewer; nodes = sessions / "
                                "sessions per node, rounded up; then the same with the peak "
                                "headroom added, sessions x (1 + headroom); then the spare nodes.",
            "build_headers": ("scenario", "sessions per node", "nodes for the sessions",
                              "with peak headroom", "+ spares", "final"),
            "appendix_formula_unit": "Each copy of the model spans {nodes} nodes, so its "
                                     "sessions are counted per copy and nodes come {nodes} at a "
                                     "time: nodes = sessions / sessions per copy, rounded up, "
                                     "x {nodes}, and each spare is a copy.",
            "appendix_assumptions": "Assumptions",
            "assumptions": (
                "Each session keeps {session_gib} GiB of KV cache ({context} tokens at "
                "{precision}) in GPU memory for its whole life; no offload to CPU or disk.",
                "Every node sets aside {overhead} GiB for the model weights, activations and "
                "runtime, and gives {ratio} of the rest to sessions ({ideal_ratio} in IDEAL).",
                "Every session reaches the full effective context: size for a high percentile "
                "of real sessions.",
                "Capex is proportional to the node count: every scenario uses the same "
                "server.",
                "A node counts only with all its GPUs healthy.",
            ),
            "perf_assumption": "Speed is estimated for requests of {prompt} prompt and {output} "
                               "output tokens, from the GPUs' memory bandwidth and compute "
                               "(means in steady state; typical error {tpot_err} on time per "
                               "token, {ttft_err} on time to first token{basis}).",
            "perf_gpu_assumption": "No speed measurement behind that typical error used this "
                                   "server's GPU ({gpu}): confirm the speeds with a benchmark "
                                   "on it.",
            "error_basis": {"engine": "",
                            "unseen_model": ", for a model the fit has not seen on this "
                                            "engine",
                            "unseen_moe_model": ", for a mixture of experts the fit has not "
                                                "seen on this engine",
                            "checked_runs": ", for a model the fit has not seen on this "
                                            "engine, as its own runs on it measured",
                            "expert_parallel": ", for a layout with expert parallelism",
                            "data_parallel_attention": ", for a layout with attention data "
                                                       "parallelism",
                            "flag": ", for the default constants, which the flags changed",
                            "benchmark": ", with the constants fitted to the benchmark"},
            "both_assumption": "Every node sets aside {overhead} GiB for the model weights, "
                               "activations and runtime and gives {ratio} of the rest to "
                               "sessions ({ideal_ratio} in IDEAL); the plan also holds to what "
                               "{engine} allocates on each GPU ({weights_gib} GiB of weights per "
                               "GPU at {tp} per replica{experts}) and takes the smaller "
                               "capacity.",
            "engine_assumption": "Sessions per node follow what {engine} allocates on each "
                                 "GPU: {weights_gib} GiB of weights per GPU at {tp} per "
                                 "replica{experts}, its activation and runtime reserve, the "
                                 "rest as KV cache in whole blocks ({ideal_ratio} / {ratio} of "
                                 "it in IDEAL).",
            "experts_over": ", the routed experts spread over {gpus}",
            "appendix_units": "Units",
            "units": (
                "GB = 10^9 bytes (vendor datasheets); GiB = 2^30 bytes = 1.074 GB. One "
                "{server} has {hbm_gb} GB = {hbm_gib} GiB of GPU memory.",
                "TiB = 2^40 bytes.",
                "128k = 131,072 tokens (k = 1,024); 128,000 tokens is 125k.",
            ),
        },
    },
}

STRINGS["pt-BR"] = {
    "title": "RELATÓRIO DE DIMENSIONAMENTO DE INFERÊNCIA LLM",
    "md_title": "Dimensionamento de inferência LLM: {model} em {server}",
    "preamble": "sizing.py {version}, esquema JSON {schema}. GiB = 2^30 bytes; GB = 10^9 "
                "bytes; 1k tokens = 1.024.",
    "sections": ("1. Entradas", "2. Resultados por cenário", "3. Alertas e riscos",
                 "4. Dicionário de parâmetros"),
    "scenario_names": {"minimum": "MÍNIMO", "recommended": "RECOMENDADO", "ideal": "IDEAL"},
    "labels": {
        "model": "Modelo", "server": "Servidor", "storage": "Armazenamento",
        "nfr": "Requisitos e política", "name": "nome", "source": "fonte",
        "architecture": "arquitetura", "max_context": "contexto máximo",
        "parameters": "parâmetros", "hbm": "HBM", "read": "leitura",
        "concurrency": "concorrência", "context": "contexto efetivo",
        "kv_precision": "precisão do KV", "budget_ratio": "orçamento de KV",
        "overhead": "reserva de runtime", "headroom": "margem para picos", "ha": "modo HA",
        "storage_checks": "Verificações de armazenamento", "weights": "pesos",
        "cold_start": "partida a frio", "kv_restore": "restaurar o KV de uma sessão",
        "what": "o que é", "from": "origem", "why": "por que importa",
        "mistake": "erro comum", "formula": "fórmula", "inputs": "entradas",
        "meaning": "significado", "no_alerts": "Nenhum alerta.", "action": "ação",
        "dictionary_why": "O que cada entrada significa, de onde vem, por que importa e o erro "
                          "comum (o dicionário da metodologia; depois dos resultados, para que a "
                          "resposta venha primeiro).",
        "sessions": "sessões", "per_node": "por nó", "field": "campo", "value": "valor",
        "from_rate": "{rate} requisições/s x {seconds} s por requisição na velocidade do plano "
                     "(lei de Little)",
        "from_rate_unsized": "{rate} requisições/s, que não dão sessões: nenhum plano comporta "
                             "nem uma",
        "parameter": "parâmetro", "limit": "limite",
        "params_text": "{total} B no total, {active} B ativos; pesos em {precision}",
        "params_tower": "; torre de visão com mais {tower} B, em bf16",
        "bytes_per_element": "{n} byte por elemento|{n} bytes por elemento",
        "all_scenarios": "Todos os cenários (mesma carga, mesmo KV)",
        "per_scenario": "Por cenário: cada fórmula uma vez, com suas entradas em cada cenário",
        "per_scenario_below": "por cenário, abaixo", "input": "entrada",
        "beyond": "acima dos {limit} que o modelo atende (--allow-context-beyond-model)",
        "rope": "{tokens} com escalonamento RoPE {scaling} ({how})",
        "rope_flag": "em uso: --rope-scaling",
        "rope_config": "com escalonamento RoPE {scaling} na configuração servida",
        "rope_off": "só se o engine o ativar: --rope-scaling {scaling}",
    },
    "architecture": {
        "layers": "{layers} camadas: {groups}",
        "heads": "{kv_heads} KV heads x head_dim {head_dim}",
        "heads_kv": "{kv_heads} KV heads x head_dim K {head_dim} / V {v_head_dim}",
        "split_precision": "conv {conv}, estado {state}",
        "full": "{layers} com atenção completa ({heads})",
        "sliding": "{layers} com janela deslizante de {window} tokens ({heads})",
        "chunked": "{layers} com atenção local em blocos de {chunk} tokens ({heads})",
        "mla": "{layers} MLA (latente {kv_lora_rank} + rope {qk_rope_head_dim}, um por token)",
        "mla_indexer": "{layers} MLA esparsa (latente {kv_lora_rank} + rope "
                       "{qk_rope_head_dim}, chave do indexador {index_head_dim} em fp8, "
                       "{index_topk} tokens escolhidos)",
        "linear_attention": "{layers} com atenção linear Gated DeltaNet ({num_value_heads} "
                            "value heads, estado {key_head_dim} x {value_head_dim} cada, "
                            "{state_precision})",
        "mamba": "{layers} Mamba (d_inner {d_inner}, d_state {d_state}, {state_precision})",
        "mamba2": "{layers} Mamba-2 ({num_heads} heads x {head_dim}, d_state {d_state}, "
                  "{state_precision})",
        "kda": "{layers} com Kimi Delta Attention ({num_heads} heads, estado {head_dim} x "
               "{head_dim} cada, {state_precision})",
        "lightning": "{layers} com lightning attention ({num_heads} heads, estado {head_dim} x "
                     "{head_dim} cada, {state_precision})",
    },
    "kv_groups": {
        "title": "KV por sessão por grupo de camadas (contexto de {context} tokens)",
        "group": "grupo", "layers": "camadas", "bytes_per_token": "bytes/token",
        "tokens": "tokens", "state": "bytes de estado",
        "per_session": "bytes/sessão", "share": "parcela",
        "total": "total",
    },
    "engine": {
        "title": "Visão do engine, por GPU ({engine}; memória que dimensiona os nós: {mode})",
        "modes": {"pooled": "agregada", "engine": "do engine", "both": "agregada e do engine"},
        "compare_title": "Capacidade agregada e do engine por nó",
        "tp": "GPUs por réplica (TP)", "tp_auto": "o layout que pede menos nós",
        "tp_none_fits": "nenhum layout comporta uma sessão; o maior tentado",
        "tp_capped": ", réplicas em no máximo {nodes} nó(s)",
        "tp_given": "informado", "replicas": "réplicas por nó",
        "spans": "uma réplica ocupa {nodes} nós",
        "group_spans": " (um grupo de experts dessas réplicas ocupa {nodes} nós)",
        "gpu_memory": "memória da GPU",
        "from_flag": "--gpu-memory-gib", "from_catalog": "catálogo, como o CUDA informa",
        "from_vendor_gb": "{gb} GB do fabricante em GiB; use --gpu-memory-gib para o valor do "
                          "CUDA",
        "weights": "pesos por GPU", "measured": "medido", "estimated": "a partir dos parâmetros",
        "experts": "experts", "mtp_draft": "rascunho MTP", "draft": "rascunho EAGLE",
        "spread": "MLPs densas, experts compartilhados e LM head {size} / {ranks} (o SGLang os "
                  "divide entre todos os ranks)",
        "spread_head": "LM head {size} / {ranks} (o SGLang o divide entre todos os ranks)",
        "activation": "pico de ativação", "reserve": "reserva de runtime",
        "reserve_buffers": "; dela, {buffers} de buffers do DeepEP para os all-to-alls do "
                           "grupo de experts",
        "estimate": "estimativa", "estimate_fi": "estimativa, amostrador do FlashInfer",
        "given": "informado",
        "activation_outside": "não sai da memória de KV: o SGLang guarda ativações e CUDA "
                              "graphs nos {room} que sua fração deixa ((1 - {share}) x "
                              "(memória da GPU - reserva de runtime))",
        "kv_memory": "memória de KV por GPU", "kv_per_token": "bytes de KV por token por GPU",
        "heads": "KV heads por GPU", "capacity": "capacidade de KV (GPU KV cache size)",
        "blocks": "{blocks} blocos de {size}",
        "blocks_groups": "{blocks} blocos de {size}, usados por {groups} grupos de camadas: "
                         "blocos / grupos x tamanho do bloco",
        "block_forms": "{n} token|{n} tokens",
        "request": "uma sessão de {context} tokens reserva",
        "window_rule": {
            "hybrid_pools": " (SGLang: o pool das camadas de janela guarda {ratio} x os tokens "
                            "das camadas completas, e cada token de contexto paga pelos dois)",
            "window_pool": " (SGLang: todas as camadas com janela, cada requisição guarda sua "
                           "janela)",
            "full_context": " (SGLang guarda o contexto inteiro também nas camadas de janela: "
                            "{architecture} não é um dos seus modelos híbridos de janela "
                            "deslizante)"},
        "state_slots": " de tokens; o SGLang guarda os estados recorrentes à parte: {share} da "
                       "memória de KV em {slots} vagas de {state} bytes, uma requisição rodando "
                       "{running}",
        "state_running": ("por vaga (cache radix desligado)", "a cada {per} vagas"),
        "concurrency": "concorrência máxima com {context} tokens",
        "sessions": "sessões por réplica / por nó",
        "running_capped": "(o engine executa no máximo {limit} de uma vez, seu {setting}; o "
                          "pool de KV comporta {held})",
        "launch": "iniciar uma réplica como dimensionada",
        "launch_options": "; em {file}: {options}",
        "launch_nodes": " (em seus {nodes} nós, com o lançamento multinó do engine)",
        "launch_hosts": " (suas GPUs ficam em {hosts} hosts do rack, {per_host} em cada: "
                        "inicie em cada um, com o lançamento do engine em vários hosts)",
        "launch_ranks": " (as {ranks} réplicas de atenção com paralelismo de dados de um grupo "
                        "de experts juntas)",
        "launch_checkpoint": " (requer um checkpoint do modelo em {precision}: nenhuma flag "
                             "quantiza os pesos para isso)",
        "launch_kv": " (nenhuma flag define um cache de KV em {precision}: o engine mantém o "
                     "dtype do modelo, o dobro dos bytes dimensionados aqui)",
        "metric": "por nó", "pooled": "agregado", "engine_col": "engine",
        "c_sessions": "sessões", "c_kv": "memória de KV (GiB)",
        "c_overhead": "pesos, ativação, reserva (GiB)",
        "c_unused": "fora do KV e do overhead (GiB)", "c_session": "uma sessão (GiB)",
        "gap": "O engine comporta {engine} sessões por nó contra {pooled} no método agregado "
               "({gap}). O método agregado separa {overhead} GiB fixos por nó; o engine carrega "
               "{loaded_terms} em cada GPU ({loaded} GiB por nó) e deixa {unused} GiB fora do "
               "pool de KV. Uma sessão custa {pooled_session} GiB no método "
               "agregado e {engine_session} GiB no engine (a reserva em cada GPU da réplica: "
               "KV heads ou latentes replicados, janelas como o engine as guarda (com o lote no "
               "vLLM; inteiras, ou num pool próprio, no SGLang), blocos inteiros).",
        "loaded_terms": {True: "pesos, ativação e reserva",
                         False: "pesos e reserva (as ativações ficam no resto)"},
        "gap_none": "Nem uma sessão cabe no orçamento agregado ou no pool do engine.",
        "gap_limit": "As sessões do engine são seu limite de execução, {limit} por réplica "
                     "({setting}), não seu pool de KV, que comporta {held}.",
    },
    "calibration": {
        "title": "5. Calibração",
        "source": "Log: {source}",
        "settings": "Configuração da execução registrada ({engine}; * lido do log, o resto de "
                    "flags ou padrões)",
        "item": "o que o log imprimiu", "logged": "registrado", "predicted": "previsto",
        "diff": "diferença",
        "items": {
            "weights": "pesos por GPU (GiB)", "activation": "pico de ativação (GiB)",
            "non_torch": "memória fora do torch (GiB)",
            "kv_memory": "memória de KV disponível por GPU (GiB)",
            "kv_tokens": "GPU KV cache size (tokens)",
            "kv_tokens_from_logged_memory": "  a partir da memória de KV registrada (tokens)",
            "max_concurrency": "concorrência máxima (x)",
            "running_limit": "requisições executadas de uma vez (max_running_requests, "
                             "max_batch_size)",
        },
        "backsolved": "Implícito no log, por GPU",
        "names": {
            "activation_plus_reserve_gib": "ativação + fora do torch (+ CUDA graphs no vLLM "
                                           ">= 0.21), GiB",
            "reserve_gib": "memória de inicialização fora do orçamento do SGLang (com os "
                           "pesos registrados), GiB",
            "kv_bytes_per_token": "bytes de KV por token (memória registrada / tokens "
                                  "registrados)",
        },
        "flags": "Para dimensionar o resto da frota com estas medições, acrescente:",
    },
    "constraints": {"memory_pooled": "memória agregada", "memory_engine": "memória (engine)",
                    "tpot": "meta de TPOT", "ttft": "meta de TTFT"},
    "plan": {
        "nodes": "Plano: {rec} {nodes} x {server} ({gpus} GPUs); {others}.",
        "other": "{scenario} {nodes} ({gpus} GPUs)",
        "bound": "Limitado por {constraint}, com {sessions} sessão {per};|Limitado por "
                 "{constraint}, com {sessions} sessões {per};",
        "per_node": "por nó", "per_nodes": "por réplica de {nodes} nós",
        "per_group": "por grupo de experts de {nodes} nós",
        "money": "{money}",
        "rate": "As {rate} requisições/s são {sessions} sessões simultâneas: cada requisição "
                "leva {seconds} s nessa velocidade (lei de Little).",
        "needs": "Nós que cada restrição pede no {rec}, com a margem para picos: {needs}; mais "
                 "{spares}.",
        "spares": "{n} nó de reserva para alta disponibilidade|{n} nós de reserva para alta "
                  "disponibilidade",
        "experience": "cada usuário recebe cerca de {tps} tokens/s; primeiro token em cerca "
                      "de {ttft} s.",
        "experience_peak": "no pico da carga ({sessions} {per}) cada usuário recebe cerca de "
                           "{tps} tokens/s; primeiro token em cerca de {ttft} s.",
        "unsized": "Plano: o {rec} não pode ser dimensionado, nem uma sessão cabe "
                   "({constraint}); {others}.",
    },
    "perf": {
        "title": "Desempenho por réplica ({engine}; modelo analítico, médias em regime)",
        "title_none": "Desempenho",
        "split_assumed": "Isso supõe um turno de conversa com {prompt} tokens novos de prompt "
                         "e {output} gerados, depois de {history} em cache de turnos "
                         "anteriores; --input-tokens e --output-tokens definem a carga.",
        "targets_asked": "As metas pedidas: {targets}.",
        "target_tpot": "no máximo {ms} ms por token ({tps} tokens/s)",
        "target_ttft": "o primeiro token em até {s} s",
        "no_data": "Não estimado: o catálogo não traz largura de banda de HBM e TFLOPS densos "
                   "do servidor {server} (hbm_bandwidth_tb_per_s, bf16_tflops).",
        "layout": "layout", "layout_value": "TP {tp}, paralelismo de experts {ep}: {gpus} "
                                            "por réplica, {replicas} por nó",
        "layout_spans": "TP {tp}, paralelismo de experts {ep}: {gpus} por réplica, em {nodes} "
                        "nós (TP {tp_node} em cada nó x {nodes} estágios de pipeline)",
        "layout_group": "; os experts divididos em {ranks} GPUs de {nodes} nós, cujos "
                        "all-to-alls atravessam a rede entre os nós",
        "gpu_forms": "{n} GPU|{n} GPUs", "replica_forms": "{n} réplica|{n} réplicas",
        "dp_text": "{tp} x DP {dp} (atenção com paralelismo de dados)",
        "yes": "sim", "no": "não",
        "runner_up": "segundo melhor layout",
        "runner_value": "TP {tp}, paralelismo de experts {ep}: {nodes} nós no RECOMENDADO, "
                        "TPOT {tpot}",
        "workload": "requisição",
        "split": "{prompt} tokens de prompt + {output} de saída; {history} em cache de turnos "
                 "anteriores",
        "defaulted": "(divisão padrão do contexto efetivo: informe --input-tokens e "
                     "--output-tokens)",
        "capacity": "sessões que o pool de KV comporta por réplica",
        "capacity_value": "{sessions} no contexto médio de {context} tokens (os blocos são "
                          "alocados conforme os tokens chegam; a visão do engine acima reserva "
                          "o contexto completo de cada sessão)",
        "capacity_whole": "{sessions} no contexto completo de {context} tokens (o escalonador "
                          "do engine reserva toda a saída de uma requisição ao admiti-la)",
        "running_capped": "; o engine executa no máximo {limit} de uma vez (seu {setting}): "
                          "as demais esperam pelo primeiro token",
        "prefill": "o prefill alimenta",
        "prefill_value": "{sessions} sessões por réplica (blocos de {chunk} tokens por passo); "
                         "além disso, novos prompts esperam na fila: o TTFT cresce, o TPOT não",
        "scheduling": "primeiros tokens",
        "scheduling_value": {
            "mixed": "os prompts dividem passos com a decodificação e fazem fila conforme "
                     "chegam (M/D/1)",
            "prefill_first": "prefill primeiro: um ciclo fechado de requisições iguais chega em "
                             "ondas, e cada prompt espera o prefill da sua onda (o número de um "
                             "benchmark; com tamanhos variados o primeiro token vem antes)"},
        "targets": "metas", "targets_value": "TPOT {tpot}, TTFT {ttft}; primeiros tokens {basis}",
        "ttft_basis": {"benchmark": "como média de um benchmark (com a sua rajada inicial)",
                       "live": "em tráfego real (sem rajada inicial; não medido)"},
        "within": "máximo de sessões dentro das metas",
        "within_value": "{replica} por réplica, {node} por nó (limitado {target})",
        "stops": {"tpot": "pela meta de TPOT", "ttft": "pela meta de TTFT",
                  "kv_pool": "pelo pool de KV: as metas são atendidas na sua capacidade",
                  "running_limit": "pelo limite de execução do engine, seu {setting}: as "
                                   "metas são atendidas ali"},
        "constants": "constantes",
        "constants_value": "eficiência de banda {bw} (experts roteados {expert}), computação "
                           "{compute} (experts roteados {expert_compute}); "
                           "{kernel} us por kernel ({kernels} kernels por camada) e "
                           "{session} us por sessão por passo ({source})",
        "sources": {"default": "padrões do {engine}, ajustados em execuções medidas",
                    "flag": "com as flags de eficiência", "benchmark": "ajustadas ao benchmark"},
        "allreduce": "all-reduce",
        "allreduce_value": "{us} us cada, NCCL sobre PCIe: sem NVLink o kernel próprio dos "
                           "motores serve no máximo 2 GPUs, não {ranks} (allreduce_latency_us "
                           "de {server})",
        "error": "erro esperado",
        "error_expected": "para {model}, TPOT {tpot} e TTFT {ttft} na mediana ({basis}); ",
        "error_basis": {"engine": "execuções de {engine} fora do ajuste: os padrões foram "
                                  "ajustados com este modelo",
                        "unseen_model": "um modelo que o ajuste não viu com {engine}",
                        "unseen_moe_model": "uma mistura de experts que o ajuste não viu com "
                                            "{engine}",
                        "checked_runs": "um modelo que o ajuste não viu com {engine}, e o "
                                        "que suas próprias execuções nele mediram, sem ajuste",
                        "expert_parallel": "um layout com paralelismo de experts, como medido "
                                           "em execuções assim",
                        "data_parallel_attention": "um layout com paralelismo de dados na "
                                                   "atenção, como medido em execuções assim, "
                                                   "nenhuma delas no ajuste",
                        "flag": "a faixa dos padrões: flags mudaram as eficiências",
                        "benchmark": "o maior entre o erro nas próprias execuções do "
                                     "benchmark, às quais as constantes foram ajustadas, e "
                                     "em execuções que uma calibração deixou de fora"},
        "error_value": "em execuções medidas fora do ajuste: TPOT mediana {tpot_median}, "
                       "p90 {tpot_p90}; TTFT mediana {ttft_median}, p90 {ttft_p90}; modelos "
                       "deixados fora do ajuste: TPOT {tpot_median_unseen_model}, TTFT "
                       "{ttft_median_unseen_model}",
        "error_moe": " (modelos de mistura de experts: TPOT {tpot_median_unseen_moe_model}, "
                     "TTFT {ttft_median_unseen_moe_model})",
        "error_engine": "; só as execuções de {engine}: TPOT {tpot}, TTFT {ttft} ({runs} "
                        "execuções)",
        "error_live": ". Os erros de TTFT são contra médias de benchmarks: nenhuma execução "
                      "medida confere os primeiros tokens do tráfego real (--ttft-basis live)",
        "error_group": ". Nenhuma execução medida tem um grupo de experts em vários nós: seus "
                       "all-to-alls entre eles são modelados pela taxa da NIC, sem conferência "
                       "com uma execução",
        "error_server": ". Nenhuma execução medida de onde vêm as faixas usou a GPU deste "
                        "servidor ({gpu}): elas foram medidas em {servers}",
        "error_kinds": ". Nenhuma execução medida tem camadas {kinds}: nenhuma execução de "
                       "serviço confere suas contagens de kernels e leituras",
        "error_runs": ". Nenhuma execução ajustada tem camadas {kind}: as {runs} execuções do "
                      "{model} no {engine}, sem ajuste, erram TPOT em {tpot} e TTFT em {ttft} na "
                      "mediana",
        "error_step": "; os passos das camadas {kind} encontram os forward passes do {engine} "
                      "{version} servindo o {model} em {gpu}, sem ajuste: ali o modelo dá aos "
                      "passos de decodificação {decode}x o tempo medido e aos de prompt {prompt}x",
        "kind_names": {"mla_indexer": "de MLA esparsa", "linear_attention": "Gated DeltaNet",
                       "mamba2": "Mamba-2", "kda": "Kimi Delta Attention",
                       "lightning": "de atenção lightning", "mamba": "Mamba"},
        "error_context": ". As execuções medidas decodificam com contexto médio de no máximo "
                         "{measured} tokens (a tabela publicada do TensorRT-LLM, {published}): "
                         "com os {context} deste plano as leituras de KV de um passo, bytes sobre "
                         "largura de banda, não são conferidas por nenhuma execução",
        "curve_title": "Velocidade por sessões por réplica",
        "curve_headers": ("sessões", "TPOT ms", "TTFT s", "tok/s cada", "tok/s réplica",
                          "limite", ""),
        "bounds": {"bandwidth": "banda HBM", "compute": "computação",
                   "kv_capacity": "capacidade KV"},
        "mark_plan": "plano", "mark_capacity": "pool KV", "mark_targets": "metas",
        "explain": "Um passo de decode lê os pesos de cada GPU (num mixture of experts, os "
                   "experts que os tokens do passo tocam) e o KV de cada sessão, ou computa, o "
                   "que levar mais tempo; mais um custo fixo por camada e por sessão, e os "
                   "all-reduces do paralelismo de tensor. Os prompts passam pelo prefill em "
                   "blocos dentro dos mesmos passos. Limite: o que leva mais tempo no passo "
                   "médio, contando os blocos que alguns passos levam: ler pesos e KV (banda "
                   "HBM) ou GEMMs e atenção (computação); os custos fixos contam no TPOT, não "
                   "no limite. Sessões além do pool de KV esperam: somam ao TTFT, não ao TPOT. "
                   "TPOT e TTFT são médias em regime, o TTFT como o mede um benchmark de 10 x "
                   "a concorrência em requisições (com sua rajada inicial, o primeiro prompt "
                   "de cada sessão ao mesmo tempo); metas p99 no estilo MLPerf são mais "
                   "apertadas. Tokens/s por réplica conta as sessões em decode ao mesmo tempo.",
    },
    "solve": {
        "title": {"max-concurrency": "Máximo de sessões que os nós comportam",
                  "max-context": "Maior contexto que os nós comportam"},
        "what": {"max-concurrency": "{nodes} x {server} para {model} com {given}: o máximo de "
                                    "sessões simultâneas que cada cenário atende neles.",
                 "max-context": "{nodes} x {server} para {model} com {given} sessões: o maior "
                                "contexto efetivo que cada cenário atende neles."},
        "headers": {"max-concurrency": ("cenário", "sessões", "nós", "nós para mais uma",
                                        "requisições/s"),
                    "max-context": ("cenário", "tokens", "nós", "nós para mais um")},
        "note": "Cada valor é dimensionado por inteiro (visões de memória, layout, metas de "
                "latência): cabe nos nós e um a mais não cabe. '-' no valor: nem um cabe.",
        "rate_note": "requisições/s: as sessões divididas pelos segundos que uma requisição "
                     "leva na velocidade desse plano (primeiro token, depois cada token de "
                     "saída no TPOT; lei de Little, o inverso de --requests-per-second).",
        "ceiling": {
            "model_context": {
                "max-context": "'-' para mais um: {value} tokens é o maior contexto que o "
                               "modelo atende, e os nós o comportam "
                               "(--allow-context-beyond-model resolve além dele)."},
            "tool_limit": {
                "max-context": "'-' para mais um: {value} tokens é o maior contexto que a "
                               "ferramenta dimensiona; os nós o comportam.",
                "max-concurrency": "'-' para mais uma: {value} sessões é o máximo que a "
                                   "ferramenta dimensiona; os nós as comportam."}},
        "fitted": "Constantes de velocidade ajustadas ao benchmark {source}: erro mediano nas "
                  "suas {runs} execuções TPOT {tpot}, TTFT {ttft} (na própria amostra).",
    },
    "fleet": {
        "fleet": "Frota atual, {nodes} x {server} com {concurrency}:",
        "meets": "atende {met}",
        "meets_none": "não atende nenhum cenário",
        "met_item": "o {scenario} (que pede {needs})",
        "short_item": "o {scenario} pede {needs}: {add}",
        "unsized_item": "o {scenario} não comporta nem uma sessão",
        "add": "falta {n} nó|faltam {n} nós",
        "add_capex": ", capex de {capex}",
        "units": "Seus {nodes} nós formam {units}{idle}.",
        "replicas": "{n} réplica de {k} nós|{n} réplicas de {k} nós",
        "groups": "{n} grupo de experts de {k} nós|{n} grupos de experts de {k} nós",
        "copies": "{n} cópia do modelo em {k} nós|{n} cópias do modelo, de {k} nós cada",
        "per_copy": "por cópia do modelo",
        "idle": "; {n} nó fica ocioso|; {n} nós ficam ociosos",
        "held": "Com as sessões {per} do {scenario}, comporta {all} sessões simultâneas; {one} "
                "após a perda de um nó e {two} após a perda de dois.",
        "most": "Máximo de sessões que atende com a margem, as reservas e as metas de cada "
                "cenário: {values}.",
        "rate_item": " ({rate} requisições/s)",
        "headers": ("cenário", "nós necessários", "atende", "faltam", "capex",
                    "sessões (todos / -1 / -2)", "máx. de sessões"),
        "yes": "sim", "no": "não",
    },
    "growth": {
        "title": "Plano de crescimento",
        "what": "{model} em {server} com {context} por sessão: em cada período, os nós que "
                "cada cenário pede e, entre parênteses, os nós a adquirir nele (os já "
                "adquiridos permanecem); o que limita o RECOMENDADO, seu capex no período e "
                "quanto custa alugar suas GPUs por um ano (ao preço por GPU-hora).",
        "period": "período", "sessions": "sessões", "bound": "limitado por",
        "rate": "requisições/s",
        "capex": "capex REC", "rent": "aluguel/ano REC",
        "node": "nó|nós",
        "buy": "{nodes} {nodes_word} em {period}",
        "plan": "O {scenario} adquire {buys} ({server}).",
        "nothing": "nada: a frota atual atende todos os períodos",
        "total": "Capex ao longo do plano: {capex}.",
        "unsized": "O {scenario} não comporta nem uma sessão em algum período: veja o "
                   "resultado desse período no JSON.",
        "lasts": "A frota atual atende cada cenário até: {values} ('-': nem o primeiro "
                 "período).",
        "chart_title": "Nós por período",
        "chart_axis": "nós",
        "chart_note": "Linhas de baixo para cima: MÍNIMO, RECOMENDADO, IDEAL.",
        "chart_zero": "Um cenário que não pode ser dimensionado num período aparece com 0.",
        "chart_none": "Nenhum cenário pode ser dimensionado em nenhum período; não há nós a "
                      "representar.",
        "benchmark": "As velocidades, e os nós que uma meta de latência pede, usam as "
                     "constantes ajustadas ao benchmark {source} ({runs} execuções; erro "
                     "esperado TPOT {tpot}, TTFT {ttft} na mediana).",
        "note": "Cada período é dimensionado por inteiro com a sua concorrência (visões de "
                "memória, layout, metas de latência, custos); o JSON traz o resultado completo "
                "de cada período.",
    },
    "diff": {
        "title": "Diferenças entre planos",
        "what": "De {old} para {new}.",
        "same": "Nenhuma entrada e nenhum resultado mudou.",
        "inputs": "Entradas que mudaram",
        "results": "Resultados que mudaram",
        "input_headers": ("entrada", "antes", "depois"),
        "result_headers": ("cenário", "resultado", "antes", "depois", "variação"),
        "performance": "velocidade",
        "storage": "armazenamento",
        "no_result": "Nenhum resultado mudou.",
    },
    "compare": {
        "title": "COMPARAÇÃO DE SERVIDORES",
        "workload": "{model}, {concurrency} de {context}: cada servidor no seu melhor "
                    "layout; MÍNIMO, RECOMENDADO e IDEAL em unidades compradas (nós, ou racks de "
                    "72 GPUs); GPUs, o que limita, tokens/s por sessão e dinheiro em {money} "
                    "no RECOMENDADO (aluguel: as mesmas GPUs alugadas por hora nos mesmos "
                    "anos); por TCO, depois por GPUs onde não há preço.",
        "headers": ("servidor", "MÍN", "REC", "IDEAL", "GPUs", "limite", "tok/s", "capex",
                    "TCO", "/mi tok", "aluguel"),
        "sessions": "sessões",
        "rate": "{rate} requisições por segundo (as sessões de cada servidor na tabela: a taxa "
                "x os segundos que uma requisição leva nele, lei de Little)",
        "rack": "* contado em racks de 72 GPUs, comprados inteiros (um domínio NVLink).",
        "unpriced": "Um servidor sem preço no catálogo (informe --node-price-usd NOME=USD para "
                    "ver seu custo): {server} pede {gpus} GPUs.|{count} servidores sem preço no "
                    "catálogo (informe --node-price-usd NOME=USD,NOME=USD para ver seu custo); "
                    "deles, {server} pede menos GPUs ({gpus}).",
        "winner_money": "Menor TCO: {server}, {nodes} unidades ({gpus} GPUs) por {tco} em "
                        "{years} anos.",
        "winner_gpus": "Menos GPUs (sem preços de nó para comparar): {server}, {nodes} "
                       "unidades ({gpus} GPUs).",
        "runner_up": "Segundo colocado: {server}, {nodes} unidades ({gpus} GPUs), {tco}.",
        "runner_up_gpus": "Segundo colocado: {server}, {nodes} unidades ({gpus} GPUs).",
        "cheapest_rent": "Mais barato para alugar: {server}, {gpus} GPUs por {rent} em {years} "
                         "anos.",
        "none_sized": "Nenhum servidor comporta nem uma sessão no RECOMENDADO.",
        "left_out": "{server} fora da comparação: {why}",
        "exec_heading": "Servidores comparados",
        "exec_detail": "Servidor recomendado: {server}",
        "exec_detail_unsized": "Servidor em detalhe: {server}",
    },
    "cost": {
        "title": "Custo, energia e espaço por cenário (valores em {currency})",
        "metric": "por cenário",
        "rows": {"capex_usd": "capex", "facility_power_kw": "potência da instalação (kW, x PUE)",
                 "rack_units": "unidades de rack", "heat_btu_per_hour": "calor (BTU/h)",
                 "energy_mwh_per_year": "energia (MWh/ano)", "opex_usd_per_year": "opex por ano",
                 "tco_usd": "TCO ({years} anos)", "usd_per_session_month": "por sessão-mês",
                 "usd_per_million_output_tokens": "por milhão de tokens de saída",
                 "tco_vs_minimum_usd": "TCO vs MÍNIMO",
                 "rent_usd_per_year": "aluguel por ano (GPU-horas)",
                 "rent_usd": "aluguel ({years} anos)",
                 "rent_usd_per_session_month": "aluguel por sessão-mês",
                 "rent_usd_per_million_output_tokens": "aluguel por milhão de tokens de saída",
                 "rent_vs_tco_usd": "aluguel vs TCO",
                 "break_even_years": "comprar se paga em (anos)"},
        "from": {"catalog": "referência do catálogo", "flag": "{flag}",
                 "default": "padrão", "none": "nenhum"},
        "no_price": "Sem preço para {server} no catálogo: informe --node-price-usd para ver "
                    "capex, TCO e custo por sessão e por token.",
        "no_power": "Sem potência máxima para {server} no catálogo: potência, energia e opex "
                    "não são calculados.",
        "price": "Preço do nó {price} ({origin}).",
        "rental": "Alugando em vez de comprar: {rate} por GPU-hora x {gpus} GPUs por unidade, o "
                  "ano todo ({origin}).",
        "no_rental": "Sem preço de aluguel por GPU-hora para {server} no catálogo: informe "
                     "--gpu-hour-usd para comparar comprar com alugar.",
        "inputs": "{years} anos; energia {energy} USD/kWh; PUE {pue}; consumo médio {ratio} do "
                  "máximo de {power} kW por nó; hospedagem {hosting} USD por kW-mês; o plano "
                  "entrega {tokens} tokens de saída/s na sua carga (README Cost).",
    },
    "benchmark": {
        "title": "{number}. Calibração por benchmark",
        "source": "Benchmark: {source}",
        "headers": ("medida em", "sessões", "prompt", "saída", "TPOT ms", "padrão", "ajustado",
                    "TTFT ms", "padrão", "ajustado"),
        "unchanged": "O ajuste não mudou nenhuma constante.",
        "held": "{name}: {value}, definida por {flag} e mantida no ajuste das demais",
    },
    "table": {
        "metric": "métrica", "peak_headroom": "margem para picos", "ha_mode": "modo HA",
        "kv_budget_ratio": "orçamento de KV", "kv_budget_per_node_gib": "orçamento KV/nó (GiB)",
        "sessions_per_node": "sessões por nó", "nodes_capacity": "nós (capacidade)",
        "sessions_per_unit": "sessões por réplica ({nodes} nós)",
        "sessions_per_group": "sessões por grupo de experts ({nodes} nós)",
        "nodes_with_headroom": "nós (+ margem)", "nodes_final": "nós (final, + HA)",
        "gpus_final": "GPUs (final)", "risk": "risco de indisponibilidade",
        "sla": "SLA típico", "nodes_memory": "nós (+ margem): memória agregada",
        "nodes_memory_engine": "nós (+ margem): memória (engine)",
        "nodes_latency": "nós (+ margem): latência",
        "binding_constraint": "restrição limitante",
    },
    "risk": {"high": "alto", "medium": "médio", "low": "baixo"},
    "scenario_purpose": {
        "minimum": "Atende a carga no limite: sem margem para picos nem redundância.",
        "recommended": "Produção: margem para picos e redundância N+1 (ou a informada).",
        "ideal": "Nível corporativo: margem de ao menos 30%, N+2 e orçamento de KV de no máximo "
                 "65%.",
    },
    "results": {
        "kv_per_session_gib": "KV por sessão",
        "kv_total_tib": "KV total",
        "kv_budget_per_node_gib": "orçamento de KV por nó",
        "sessions_per_node": "sessões por nó",
        "nodes_capacity": "nós para capacidade",
        "nodes_with_headroom": "nós com margem",
        "nodes_final": "nós finais (com HA)",
    },
    "meanings": {
        "kv_budget_per_node_gib":
            "Da HBM de cada nó, runtime_overhead_gib vão para pesos, ativações e buffers do "
            "runtime; a fração kv_budget_ratio do restante vai para o KV, e o que sobra é folga "
            "contra fragmentação e sessões de tamanhos desiguais.",
        "kv_budget_per_node_gib_engine":
            "Os pools de KV que o engine aloca nas GPUs do nó ({engine}: sua parte de cada GPU "
            "depois de pesos, ativação e reserva, em blocos inteiros), dos quais um cenário pode "
            "ocupar engine_pool_share: todos, ou no IDEAL a razão de orçamento do IDEAL da "
            "metodologia sobre a padrão dela.",
        "sessions_per_node":
            "Sessões inteiras que um nó comporta (arredondado para baixo: meia sessão não pode "
            "ser atendida). É a capacidade real do nó.",
        "sessions_per_node_engine":
            "Sessões inteiras que as réplicas do nó comportam, cada uma reservando o que o "
            "engine reserva em cada GPU da sua réplica neste contexto (arredondado para baixo).",
        "sessions_per_node_plan":
            "Sessões inteiras que um nó atende sob todas as restrições em vigor: a menor delas, "
            "indicada em binding_constraint. As outras permitem o mesmo ou mais.",
        "nodes_capacity":
            "Nós que atendem a concorrência nominal sem nenhuma folga (arredondado para cima).",
        "nodes_with_headroom":
            "Nós que também absorvem um pico de tráfego peak_headroom_ratio acima do nominal.",
        "nodes_final":
            "Soma ha_extra_nodes nós de reserva para o modo de alta disponibilidade: o plano "
            "continua atendendo o pico mesmo com a perda desse número de nós (falha ou "
            "manutenção; uma réplica inteira quando ela ocupa vários nós).",
        "unsized": "'-': não calculável, nem uma sessão cabe em um nó nesse cenário.",
    },
    "explanations": {
        "kv_per_session_gib":
            "Cada sessão ativa ocupa esta HBM durante toda a sua vida. Camadas de atenção "
            "completa e MLA crescem com cada token do contexto; camadas de janela deslizante "
            "e em blocos param na janela; camadas de atenção linear e Mamba guardam um estado "
            "fixo. fp16/bf16 dobraria a parte por token; um contexto maior a aumenta "
            "linearmente.",
        "kv_total_tib":
            "O KV que a frota inteira precisa manter com {concurrency}: a "
            "demanda que os budgets de KV dos nós precisam cobrir.",
        "kv_budget_per_node_gib":
            "Da HBM de cada nó, {overhead} GiB vão para pesos, ativações e buffers de runtime; "
            "{ratio_pct} do restante vai para o KV, e a sobra é folga contra fragmentação e "
            "sessões de tamanhos desiguais.",
        "sessions_per_node":
            "Sessões inteiras que um nó comporta (arredondado para baixo: parte de uma sessão "
            "não atende ninguém). Esta é a capacidade real do nó.",
        "kv_budget_per_node_gib_engine":
            "Os pools de KV que o engine aloca nas GPUs do nó ({engine}: sua parcela de cada "
            "GPU depois de pesos, ativação e reserva, em blocos inteiros); este cenário pode "
            "ocupar {share_pct} deles.",
        "sessions_per_node_engine":
            "Sessões inteiras que as réplicas do nó comportam, cada uma reservando o que o "
            "engine reserva em cada GPU da réplica com este contexto (arredondado para baixo).",
        "sessions_per_node_plan":
            "Sessões inteiras que um nó atende sob todas as restrições em vigor: a menor delas, "
            "aqui {binding}. As outras permitem o mesmo ou mais.",
        "nodes_capacity":
            "Nós que atendem a concorrência nominal sem folga nenhuma (arredondado para cima).",
        "nodes_with_headroom":
            "Nós que também absorvem um pico de tráfego {headroom_pct} acima do nominal.",
        "nodes_final":
            "A alta disponibilidade {ha_mode} soma {ha_extra_nodes} ao número de nós: o plano "
            "continua atendendo o pico mesmo com essa quantidade de nós perdida por falha ou "
            "manutenção.",
        "unsized": "Não calculável: nem uma sessão cabe em um nó neste cenário.",
    },
    "parameters": {
        "num_layers": (
            "Camadas do transformer; cada uma guarda seu próprio K e V para cada token em "
            "cache.",
            "config.json do modelo (num_hidden_layers) via models.json",
            "O KV cresce linearmente com as camadas que guardam tokens.",
            "Contar todas as camadas como atenção completa quando algumas usam janela "
            "deslizante."),
        "num_key_value_heads": (
            "Heads de K/V por camada (GQA/MQA as compartilham entre as heads de query).",
            "config.json do modelo (num_key_value_heads)",
            "O KV cresce linearmente com ele; GQA o torna 4-16x menor que as heads de query.",
            "Usar num_attention_heads, o que superestima o KV pela razão do GQA."),
        "head_dim": (
            "Largura de uma head de atenção, em elementos.",
            "config.json do modelo (head_dim; senão hidden_size / num_attention_heads)",
            "O KV cresce linearmente com ele.",
            "Derivá-lo de hidden_size quando o config informa head_dim (Qwen3, gpt-oss, "
            "Gemma)."),
        "attention_pattern": (
            "O que cada camada guarda: todos os tokens (full, MLA), uma janela ou bloco "
            "(sliding, chunked) ou um estado fixo (atenção linear, Mamba); hybrid e layers "
            "misturam os tipos.",
            "config.json do modelo (layer_types, sliding_window, use_sliding_window, "
            "kv_lora_rank, no_rope_layers, full_attention_interval; --import-hf-config)",
            "Janelas e estados param de crescer com o contexto; errar isto muda o KV em "
            "2-25x.",
            "Ignorar a janela, aplicar uma janela que o config desativa, ou tratar MLA como "
            "atenção comum."),
        "max_position_embeddings": (
            "Maior contexto que o modelo suporta, em tokens.",
            "config.json do modelo",
            "Um contexto efetivo maior é recusado, a menos que o engine o estenda "
            "(--rope-scaling) ou --allow-context-beyond-model o dimensione assim mesmo.",
            "Dimensionar para um contexto que o modelo não atende."),
        "total_hbm_gb": (
            "Memória de GPU de um nó em GB do fabricante (10^9 bytes).",
            "datasheet do fabricante via servers.json (gpus x hbm_per_gpu_gb)",
            "A capacidade que todas as sessões disputam; 2304 GB são 2145,8 GiB.",
            "Misturar GB do fabricante com GiB, o que superestima a capacidade em 7,4%."),
        "concurrency": (
            "Sessões que mantêm KV cache ao mesmo tempo.",
            "NFR do produto (--concurrency; ou --requests-per-second x os segundos de uma "
            "requisição)",
            "O KV total e o número de nós crescem linearmente com ela.",
            "Usar requisições por segundo ou total de usuários em vez de sessões "
            "simultâneas (--requests-per-second converte uma taxa pela lei de Little)."),
        "effective_context": (
            "Tokens que cada sessão mantém (prompt + histórico + saída); 128k = 131.072.",
            "NFR do produto (--effective-context)",
            "O KV por sessão cresce linearmente com ele nas camadas de atenção completa.",
            "Usar o máximo do modelo em vez do contexto que as sessões realmente atingem; ler "
            "128k como 128.000."),
        "kv_precision": (
            "Bytes por elemento em cache: fp8/int8 1, fp16/bf16 2.",
            "configuração de runtime (--kv-precision; os engines usam o dtype do modelo por "
            "padrão)",
            "fp16/bf16 dobra o KV e praticamente dobra os nós.",
            "Supor KV em fp8 enquanto o engine roda com o padrão bf16."),
        "kv_budget_ratio": (
            "Parcela da HBM restante após o overhead que vai para o KV.",
            "política de runtime (--kv-budget-ratio)",
            "Folga contra fragmentação e sessões desiguais; acima de 0,75 é arriscado.",
            "Planejar com 100% da HBM."),
        "runtime_overhead_gib": (
            "HBM por nó ocupada por pesos, ativações e buffers de runtime, em GiB.",
            "política de runtime (--runtime-overhead-gib)",
            "É descontado antes de qualquer KV; baixo demais superestima a capacidade.",
            "Esquecer que só os pesos de um modelo grande podem passar do padrão."),
        "peak_headroom_ratio": (
            "Capacidade extra acima da concorrência nominal para picos de tráfego.",
            "política de resiliência (--peak-headroom-ratio)",
            "Decide se um pico é absorvido ou recusado.",
            "Contar nós de HA como margem para picos (eles são para falhas)."),
        "ha_mode": (
            "Nós reserva para falhas e manutenção: none, n+1, n+2.",
            "política de resiliência (--ha-mode)",
            "Permite ao serviço perder nós e ainda atender o pico.",
            "Somar reservas antes da margem, de modo que uma falha durante um pico ainda "
            "sobrecarrega."),
    },
    "alerts": {
        "context_beyond_model": (
            "O contexto efetivo de {requested} tokens passa dos {maximum} que o modelo atende; "
            "dimensionado como pedido (--allow-context-beyond-model), embora o modelo possa "
            "não responder bem nessa faixa.",
            "Reduza --effective-context ao que o modelo atende, ative um escalonamento RoPE "
            "documentado pelo modelo (--rope-scaling), ou escolha um modelo de contexto "
            "maior."),
        "kv_precision_wide": (
            "A precisão de KV {precision} usa 2 bytes por elemento: o dobro da memória de fp8.",
            "Considere --kv-precision fp8 (qualidade próxima na maioria das avaliações): "
            "reduz à metade a memória de cada sessão e o KV que cada token lê, o que pode poupar "
            "nós quando a memória ou uma meta de latência define o número deles."),
        "budget_ratio_high": (
            "O orçamento de KV de {ratio} passa de {limit}: uso agressivo da HBM arrisca "
            "fragmentação e falhas de alocação.",
            "Use 0,70 ou menos."),
        "no_session_fits": (
            "{scenario}: nem uma sessão cabe em um nó ({session_gib} GiB por sessão, "
            "{budget_gib} GiB de orçamento de KV por nó).",
            "Reduza o contexto, use KV em fp8, diminua o reserva de runtime se estiver "
            "superestimado, ou escolha um servidor com mais HBM."),
        "overhead_exceeds_node": (
            "A reserva de runtime de {overhead_gib} GiB por nó é pelo menos a memória de GPU "
            "do nó, {node_gib} GiB: a visão agregada fica sem orçamento de KV, e nenhuma "
            "sessão cabe.",
            "Defina --runtime-overhead-gib com o que os pesos, as ativações e o runtime "
            "ocupam em um nó deste servidor, ou dimensione com --memory-model engine."),
        "low_sessions_per_node": (
            "{scenario}: poucas sessões por nó ({sessions}, abaixo de {limit}).",
            "Contexto longo ou precisão larga de KV fazem cada nó atender poucas sessões; "
            "considere KV em fp8, um contexto menor ou um servidor com mais HBM."),
        "latency_few_sessions": (
            "{scenario}: a meta de {target} deixa poucas sessões por nó ({sessions}, abaixo de "
            "{limit}); a memória comportaria mais.",
            "A meta, não a memória, define o número de nós: flexibilize-a, envie prompts mais "
            "curtos ou compare engines e servidores (--engine, --server a,b); pesos e KV em "
            "fp8 aceleram cada passo."),
        "many_nodes": (
            "{scenario}: {nodes} nós (mais de {limit}).",
            "Revise os requisitos (concorrência, contexto) ou considere um modelo menor."),
        "small_scenario_gap": (
            "RECOMENDADO ({recommended} nós) está a menos de {limit_pct}% do MÍNIMO "
            "({minimum} nós).",
            "A carga é leve: resiliência custa pouco aqui, então o MÍNIMO economiza pouco."),
        "weights_exceed_overhead": (
            "Só os pesos do modelo ocupam {weights_gib} GiB por nó ({precision}), mais que a "
            "reserva de runtime de {overhead_gib} GiB: o orçamento de KV está superestimado.",
            "Defina --runtime-overhead-gib com pelo menos os pesos mais ativações e buffers de "
            "runtime (tipicamente 20-50 GiB a mais), ou use pesos de menor precisão."),
        "weights_exceed_overhead_engine_checked": (
            "Só os pesos do modelo ocupam {weights_gib} GiB por nó ({precision}), mais que a "
            "reserva de runtime de {overhead_gib} GiB do método agregado: o orçamento de KV "
            "agregado está superestimado. A visão do engine, que carrega os pesos em cada GPU, "
            "também dimensiona os nós, então o plano não depende dele.",
            "Nada a mudar neste plano. Para a visão da metodologia sozinha (--memory-model "
            "pooled), defina --runtime-overhead-gib com pelo menos os pesos mais ativações e "
            "buffers de runtime."),
        "cold_start_slow": (
            "Partida a frio: ler {weights_gb} GB de pesos a {throughput} GB/s ({profile}) leva "
            "{seconds} s, acima de {limit} s.",
            "Substituir um nó com falha ou escalar para um pico será lento: mantenha os pesos "
            "em NVMe local ou use um armazenamento mais rápido."),
        "kv_restore_slow": (
            "Restaurar o KV de uma sessão ({session_gib} GiB) de {profile} a {throughput} "
            "GB/s leva {seconds} s, acima de {limit} s.",
            "Sessões descarregadas vão retomar devagar: mantenha as sessões quentes na HBM ou "
            "use uma camada mais rápida."),
        "weight_shard_exceeds_gpu": (
            "Mesmo divididos pelas {gpus} GPUs de um nó, os pesos ocupam {shard_gib} GiB por "
            "GPU, mais que os {gpu_gib} GiB de uma GPU: o plano agregado não roda em um nó.",
            "A visão do engine dimensiona esse plano em vários nós (--memory-model both, o "
            "padrão, ou engine); ou quantize os pesos (--weight-precision fp8), ou escolha um "
            "servidor com mais memória por GPU."),
        "kv_heads_replicated": (
            "O paralelismo de tensor {tp} excede as {kv_heads} KV heads do modelo: cada GPU "
            "guarda uma head inteira, e o KV por token custa {factor}x o que o método agregado "
            "supõe.",
            "Use menos GPUs por réplica (--tensor-parallel {kv_heads}) e mais réplicas, ou "
            "dimensione com --memory-model engine."),
        "session_exceeds_gpu_pool": (
            "Com paralelismo de tensor {tp}, uma sessão precisa de {request_gib} GiB de KV por "
            "GPU, mais que os {pool_gib} GiB que o engine deixa para KV: nenhuma sessão cabe "
            "em uma réplica.",
            "Aumente --tensor-parallel, encurte o contexto, use KV em fp8 ou escolha um "
            "servidor com mais memória por GPU."),
        "engine_leaves_no_kv": (
            "Com paralelismo de tensor {tp}, o engine não deixa memória para KV ({kv_gib} GiB "
            "por GPU): os pesos e overheads que ele mantém em cada GPU excedem a sua parcela da "
            "memória da GPU, e mais GPUs por réplica não reduzem os overheads.",
            "Aumente a parcela do engine (--gpu-memory-utilization, --mem-fraction-static ou "
            "--free-gpu-memory-fraction) ou reduza o que ele mantém além do KV (--max-num-seqs, "
            "--max-num-batched-tokens, --chunked-prefill-size, --activation-gib)."),
        "replica_nodes_capped": (
            "Nenhum layout em até {max_nodes} nó(s) por réplica (--max-nodes-per-replica) "
            "comporta uma sessão no engine; uma réplica em {nodes} nós (TP {tp}) comportaria.",
            "Permita --max-nodes-per-replica {nodes} com uma rede entre os nós, quantize os "
            "pesos (--weight-precision fp8) ou escolha um servidor com mais memória por GPU."),
        "replica_spans_nodes": (
            "O modelo precisa de {tp} GPUs por réplica: cada réplica ocupa {nodes} nós "
            "(estágios de pipeline entre nós), e os nós são comprados de {nodes} em {nodes}.",
            "Verifique a rede entre nós; um checkpoint quantizado pode caber em um nó."),
        "expert_group_spans_nodes": (
            "Os experts roteados ficam divididos em {ranks} GPUs de {nodes} nós, cada GPU um "
            "rank de atenção com seu próprio cache KV (paralelismo de experts amplo): os nós são "
            "comprados de {nodes} em {nodes}, uma reserva é um grupo inteiro, e os all-to-alls "
            "de experts de cada passo atravessam a rede entre os nós, estimados a {gb_per_s} "
            "GB/s por GPU do catálogo, sem sobreposição com o cálculo.",
            "Dê a cada GPU sua própria NIC nessa taxa e use os kernels de all-to-all do engine "
            "(DeepEP no SGLang e no vLLM, que a linha de lançamento pede, o wide-EP do "
            "TensorRT-LLM); confira a velocidade com um benchmark do grupo "
            "(--calibrate-from-benchmark)."),
        "sglang_graph_reserve": (
            "O --mem-fraction-static padrão do SGLang é {share} para {ranks} ranks de atenção "
            "com paralelismo de dados: dos {gpu_gib} GiB de cada GPU ele reserva {graphs_gib} "
            "GiB para os CUDA graphs do lote reunido de todos os ranks (cuda_graph_max_bs "
            "{batch} x {ranks} ranks, server_args.py), que o pool de KV não recebe.",
            "Essa reserva cresce com os ranks e com --cuda-graph-max-bs: reduza o lote, ou "
            "defina --mem-fraction-static como a sua implantação roda (o log dela o imprime), "
            "e dimensione com --mem-fraction-static (ou --calibrate-from-log) antes de "
            "comprar."),
        "engine_running_limit": (
            "O pool de KV de uma réplica comporta {held} sessões, mas o engine executa no "
            "máximo {limit} requisições de uma vez ({setting}): a visão do engine conta {limit} "
            "por réplica, e as demais esperam pelo primeiro token.",
            "Aumente o limite do engine se a GPU acompanhar, e dimensione com ele (vLLM "
            "--max-num-seqs, SGLang --max-running-requests, TRT-LLM --max-batch-size), ou rode "
            "mais réplicas, menores, por nó (--tensor-parallel)."),
        "larger_tp_holds_more": (
            "Com paralelismo de tensor {tp} um nó comporta {sessions} sessões; com {best_tp} "
            "comportaria {best_sessions} (menos cópias dos pesos por nó).",
            "Dimensione com --tensor-parallel {best_tp} se a latência permitir."),
        "weight_precision_needs_fewer": (
            "Os pesos do modelo são {precision}; servidos em FP8 (um checkpoint FP8, ou o "
            "--quantization fp8 do engine) pediriam {fp8_nodes} nós no RECOMENDADO contra "
            "{nodes}: cerca de metade dos bytes que cada GPU guarda e lê, e GEMMs no pico FP8 "
            "da GPU. Avaliações publicadas acham os pesos FP8 a cerca de 1% da acurácia "
            "original (Llama 3.1, arXiv:2411.02355).",
            "Dimensione com {flags} para ver esse plano, e verifique o FP8 nas suas próprias "
            "tarefas antes de comprar com base nele."),
        "kv_precision_needs_fewer": (
            "O cache KV é {precision}; em FP8 pediria {fp8_nodes} nós no RECOMENDADO contra "
            "{nodes}: cada sessão guarda metade dos bytes, e cada passo de decodificação lê "
            "metade do KV.",
            "Dimensione com {flags} para ver esse plano (o comando de lançamento então liga o "
            "cache KV FP8 do engine), e verifique a qualidade das respostas com ele nas suas "
            "próprias tarefas, contextos longos incluídos, antes de comprar com base nele."),
        "other_engine_needs_fewer": (
            "As regras de memória do {other}, com seus padrões e seu melhor layout, pediriam "
            "{other_nodes} nós no RECOMENDADO contra {nodes} com as do {engine}: a visão do "
            "engine dimensiona este plano, e os engines guardam o KV deste modelo de formas "
            "diferentes.",
            "Dimensione com {flags} para ver esse plano antes de escolher o engine."),
        "dp_attention_needs_fewer": (
            "Atenção com paralelismo de dados ({ranks} ranks de atenção de TP {tp} por nó, os "
            "especialistas divididos entre eles) pediria {dp_nodes} nós no RECOMENDADO contra "
            "{nodes}. A busca só a considera onde o paralelismo de tensor copia o KV: aqui suas "
            "velocidades são as menos certas (erro mediano TPOT {tpot_error_pct}%, TTFT "
            "{ttft_error_pct}%, em {runs} execuções medidas, primeiros tokens previstos "
            "cedo).",
            "Dimensione com {flags} para ver esse plano e confira com um benchmark do seu "
            "engine (--calibrate-from-benchmark)."),
        "sglang_window_pool_oversized": (
            "O SGLang dimensiona seu pool de janela deslizante em {ratio} x os tokens do pool "
            "completo, mas cada sessão guarda ali no máximo {window} tokens: neste contexto a "
            "maior parte do pool fica vazia. Com {best_ratio} ({flag}) uma réplica comporta "
            "{best_held} sessões em vez de {held}, e o pool de janela ainda cabe isso para "
            "cada sessão e {chunks} trechos de prefill de {chunk} tokens.",
            "Dimensione com {flag} e confira os tamanhos dos pools no log de inicialização do "
            "SGLang antes de comprar."),
        "scenario_layout_needs_fewer": (
            "{scenario}: {layout_nodes} nós com {layout} contra {nodes} com {chosen_layout}, "
            "o layout com que o RECOMENDADO precisa de menos nós, que dimensiona os três "
            "cenários.",
            "Dimensione com {flags} para ver esse plano do {scenario}."),
        "latency_target_unreachable": (
            "Nenhum layout atende a meta de {target} de {value_ms} ms nem com uma sessão por "
            "réplica: o melhor que este servidor entrega é {best_ms} ms.",
            "Flexibilize a meta, escolha um servidor mais rápido, um modelo menor ou "
            "quantizado, ou prompts mais curtos."),
        "prompts_queue": (
            "Com a carga do plano ({sessions} sessões por réplica), prompts de {prompt} tokens "
            "chegam mais rápido do que uma réplica faz o prefill (ela alimenta {limit} sessões): "
            "novas requisições esperam na fila cerca de {ttft_s} s pelo primeiro token.",
            "Informe --ttft-ms para dimensionar pelo primeiro token, ou --input-tokens para os "
            "tokens novos por turno quando os turnos anteriores ficam em cache."),
        "slower_than_reading": (
            "Com a carga do plano cada usuário recebe cerca de {tps} tokens/s, menos do que se lê "
            "(cerca de {reading_tps}): o layout que pede menos nós foi escolhido sem meta de "
            "velocidade.",
            "Informe --tpot-ms (50 ms são 20 tokens/s) ou --output-tokens-per-second: a busca "
            "de layout passa a dimensionar pela velocidade."),
        "speed_beyond_measured": (
            "Na carga do plano uma réplica decodifica {sessions} sessões ao mesmo tempo, mais do "
            "que as {limit} das execuções medidas em que o modelo de velocidade foi ajustado: "
            "TPOT, TTFT e tokens/s ali são extrapolados. Verificado nessa carga contra a vazão "
            "máxima publicada do TensorRT-LLM, os tokens/s do modelo ficaram em {ratio} vezes os "
            "publicados (erro mediano de {error_pct}%).",
            "Meça o engine com as sessões por réplica do plano e dimensione com "
            "--calibrate-from-benchmark antes de confiar numa meta de velocidade nessa carga."),
        "prompt_waves": (
            "O engine roda os prompts novos antes de qualquer passo de decodificação, então "
            "requisições de um só tamanho, como os benchmarks as enviam, voltam em ondas e cada "
            "prompt espera o prefill da sua onda: a meta de primeiro token é dimensionada para "
            "isso ({ttft_s} s com {sessions} sessões por réplica). Tráfego de tamanhos variados "
            "recebe o primeiro token antes.",
            "Faça um benchmark do seu tráfego e dimensione com --calibrate-from-benchmark, ou "
            "compare com --engine vllm."),
        "opening_burst": (
            "A meta de primeiro token é conferida contra a média de um benchmark, como as "
            "execuções ajustadas a mediram: dos {ttft_s} s com {sessions} sessões por réplica, "
            "{burst_s} s são a sua rajada inicial (um décimo das requisições, o primeiro prompt "
            "de cada sessão enviado ao mesmo tempo, espera o prefill de todos). Tráfego real sem "
            "essa rajada veria cerca de {live_s} s (não medido).",
            "Faça um benchmark do seu tráfego e dimensione com --calibrate-from-benchmark, ou "
            "dimensione para tráfego real com --ttft-basis live."),
        "ttft_live_basis": (
            "Os primeiros tokens são os do tráfego real (--ttft-basis live): {ttft_s} s com "
            "{sessions} sessões por réplica, sem a rajada inicial de um benchmark. Nenhuma "
            "execução medida confere esse número; o benchmark em que os padrões foram ajustados "
            "(10 x a concorrência em requisições, o primeiro prompt de cada sessão ao mesmo "
            "tempo) mostraria cerca de {benchmark_s} s.",
            "Confira o tempo até o primeiro token no tráfego real antes de comprar."),
        "speculative_speed_not_modelled": (
            "O pool de KV conta as camadas de cache do rascunho especulativo ({layers}), mas as "
            "velocidades deixam a especulação de fora: os tokens do rascunho que o modelo "
            "aceita reduziriam o TPOT e aumentariam os tokens por segundo, numa parcela que "
            "depende da taxa de aceitação (o DeepSeek-R1 do InferenceX em 8 B200 com "
            "TensorRT-LLM, MTP 3: TPOT de 0,47 a 0,70 vez o dos mesmos pontos sem ela).",
            "Meça com o rascunho ligado e dimensione com --calibrate-from-benchmark."),
        "calibration_memory_implausible": (
            "O log implica {implied_gib} GiB por GPU fora de pesos e KV ({share_pct}% da GPU de "
            "{gpu_gib} GiB que a calibração tomou para {server}), o que ativações e o contexto "
            "CUDA não explicam: o log "
            "provavelmente rodou em outra GPU, e as flags que ele sugere levariam esse número "
            "para toda a frota.",
            "Calibre com o servidor em que o log rodou, ou informe --gpu-memory-gib com a "
            "memória que o CUDA reporta na GPU dele; mantenha o número só onde a GPU "
            "compartilha a memória (um DGX Spark)."),
        "calibration_model_mismatch": (
            "O log serviu um {logged}, mas {model} é um {architecture}: os pesos, a ativação e "
            "o KV que ele imprimiu descrevem outro modelo, e as flags que ele sugere também.",
            "Calibre com um log de {model}, ou dimensione o modelo que o log rodou (--model, ou "
            "--import-hf-config com o config.json dele)."),
        "benchmark_workload_mismatch": (
            "Nenhuma execução do benchmark {source} foi cronometrada no layout do plano "
            "({layout}) com prompts e saídas a menos de 2x dos seus {prompt} + {output} tokens "
            "(o benchmark: {benchmark_layouts}; prompts {benchmark_prompts}, saídas "
            "{benchmark_outputs}): as constantes ajustadas são levadas a um layout ou a uma "
            "carga aos quais não foram ajustadas, onde podem errar mais do que os padrões.",
            "Faça o benchmark do layout e dos tamanhos de requisição que vai servir e informe o "
            "TP das execuções (uma coluna ou chave tp; --tensor-parallel, --expert-parallel e "
            "--data-parallel-attention fixam o do plano), ou dimensione sem o benchmark."),
    },
    "severity": {"critical": "CRÍTICO", "warning": "ATENÇÃO", "info": "INFO"},
    "list_headers": {"models": "Modelos", "servers": "Servidores",
                     "storage": "Perfis de armazenamento", "aliases": "apelidos",
                     "default": "padrão",
                     "name": "nome", "description": "descrição"},
    "exec": {
        "title": "Relatório executivo de dimensionamento: {model} em {server}",
        "sections": ("1. Sumário executivo", "2. Cenários lado a lado",
                     "3. Nós por cenário", "4. Principais riscos e como eliminá-los",
                     "5. Recomendação", "Apêndice: como os números são construídos"),
        "summary": "Esta proposta dimensiona a infraestrutura de GPU necessária para servir o "
                   "**{model}** a **{concurrency}** de até {context} tokens "
                   "cada, em {server_desc}. **Recomendamos {nodes} x {server} ({gpus} GPUs), "
                   "dimensionados para produção com margem e reserva ({rec}).** Em relação ao "
                   "mínimo absoluto de {min_nodes}, exige {capex} a mais de capital e, em "
                   "troca, {buys}. O mínimo absoluto não tem margem: uma falha de nó ou um "
                   "pico de tráfego significa sessões recusadas.",
        "binding": "O que define o número de nós: {constraint}.",
        "constraints": {"memory_pooled": "memória de GPU", "memory_engine": "memória do engine",
                        "tpot": "velocidade por usuário", "ttft": "tempo até o primeiro token"},
        "per_node": "por nó", "per_nodes": "por cópia do modelo, em {nodes} nós",
        "per_group": "por cópia do modelo, em {nodes} nós",
        "experience": "Com essa carga ({sessions} {per}) cada usuário recebe cerca de "
                      "{tps} tokens por segundo, e o primeiro token chega em cerca de {ttft} s.",
        "experience_peak": "No pico da carga ({sessions} {per}) cada usuário recebe cerca de "
                           "{tps} tokens por segundo, e o primeiro token chega em cerca de "
                           "{ttft} s.",
        "money": "Capex {capex}; TCO {tco} em {years} anos",
        "money_tokens": "{per_million} por milhão de tokens de saída",
        "money_ideal": "o IDEAL acrescenta {more} ao TCO para {sla}",
        "money_none": "Sem preço para {server} no catálogo: informe --node-price-usd para capex "
                      "e TCO.",
        "money_rent": "Alugar as mesmas GPUs custaria {rent} em {years} anos, a {rate} por "
                      "GPU-hora.",
        "money_break_even": "Comprar se paga frente ao aluguel em {years} anos.",
        "buys_headroom": "absorve picos de tráfego {headroom} acima da meta",
        "buys_ha": "continua atendendo mesmo com a perda de {failures} por falha ou "
                   "manutenção",
        "node_forms": "um nó|{n} nós",
        "session_forms": "uma sessão|{n} sessões",
        "simultaneous_forms": "uma sessão simultânea|{n} sessões simultâneas",
        "from_rate": "{rate} requisições por segundo de cerca de {seconds} s cada, pela lei de "
                     "Little",
        "from_rate_unsized": "{rate} requisições por segundo, que nenhum plano converte em "
                             "sessões",
        "scenario_forms": "o cenário {names}|os cenários {names}",
        "gpu_forms": "{n} GPU|{n} GPUs",
        "ha_modes": {"none": "sem reserva", "n+1": "N+1", "n+2": "N+2"},
        "opportunities": "Oportunidades",
        "chart_none": "Nenhum cenário pode ser dimensionado; não há nós a representar: veja a "
                      "seção 4.",
        "buys_nothing": "não acrescenta resiliência, pois a política informada não pede "
                        "nenhuma",
        "and": " e ",
        "fleet_heading": "Frota atual",
        "summary_fatal": "Esta proposta dimensiona **{model}** para **{concurrency}** de "
                         "até {context} tokens cada, em {server_desc}. **A "
                         "carga não pode ser atendida como especificada:** em {scenarios}, "
                         "nem uma sessão ({session_gib} GiB de memória de "
                         "trabalho) cabe em um nó. A seção 4 diz o que mudar.",
        "rows": {
            "nodes": "Nós", "gpus": "GPUs", "sessions_per_node": "Sessões por nó",
            "sessions_per_unit": "Sessões por cópia do modelo ({nodes} nós)",
            "binding": "Dimensionado por", "peak_headroom": "Margem para picos",
            "failures": "Falhas de nó toleradas",
            "risk": "Risco de indisponibilidade", "sla": "SLA típico",
            "capex": "Capex vs {minimum}",
        },
        "metric": "",
        "baseline": "base",
        "not_available": "n/d",
        "chart_title": "Nós por cenário",
        "chart_axis": "Nós",
        "chart_note": "Um cenário que não pode ser dimensionado aparece com 0.",
        "tco_chart_heading": "Custo total de propriedade por cenário",
        "tco_chart_title": "TCO em {years} anos",
        "money_chart_heading": "Comprar (barras) contra alugar as mesmas GPUs (linha) por cenário",
        "money_chart_title": "TCO e aluguel em {years} anos",
        "rent_chart_heading": "Alugar as GPUs por cenário",
        "rent_chart_title": "Aluguel em {years} anos",
        "tco_chart_axis": "milhões de {currency}",
        "money_no_price": "sem preço do nó (informe --node-price-usd)",
        "money_price": "preço do nó {price} ({origin})",
        "money_rental": "aluguel por GPU-hora {rate} ({origin})",
        "money_assumption": "Dinheiro: {price}; {years} anos; energia {energy} USD/kWh; PUE "
                            "{pue}; consumo médio {ratio} do máximo de {power} kW por nó "
                            "({power_source}); hospedagem {hosting} USD por kW-mês. Preços são "
                            "referências datadas: confirme com uma cotação.",
        "tpot_chart_heading": "Velocidade por usuário conforme a carga cresce",
        "tpot_chart_title": "Tempo por token de saída (ms, menor é mais rápido) por sessões por "
                            "nó",
        "tpot_chart_x": "sessões por nó", "tpot_chart_y": "TPOT (ms)",
        "risks": {
            "context_beyond_model": (
                "O contexto pedido ({requested} tokens) é maior do que o modelo atende "
                "({maximum}); o plano o dimensiona como pedido, mas o modelo pode não "
                "responder bem tão longe.",
                "Confirme a necessidade real de contexto, ou escolha um modelo de contexto "
                "maior."),
            "kv_precision_wide": (
                "A memória das sessões é guardada em 16 bits ({precision}), o dobro dos 8 "
                "bits (fp8) que o software de inferência aceita: o dobro de memória por "
                "usuário.",
                "Valide com a engenharia a memória de sessão em 8 bits (fp8): reduz à metade "
                "a memória por usuário e acelera cada token, o que pode poupar servidores "
                "quando a memória ou a velocidade define o número deles."),
            "budget_ratio_high": (
                "O plano ocupa a memória da GPU de forma agressiva ({ratio} dela), o que "
                "arrisca instabilidade.",
                "Mantenha a fração de memória destinada às sessões em 0,70 ou menos."),
            "no_session_fits": (
                "{scenario}: uma única sessão não cabe em um nó.",
                "Reduza o contexto, use memória de sessão em 8 bits, ou escolha um servidor "
                "maior."),
            "overhead_exceeds_node": (
                "A memória reservada em cada servidor para o modelo e seu software "
                "({overhead_gib} GiB) ocupa toda a do servidor ({node_gib} GiB) ou mais, "
                "então nenhum usuário cabe.",
                "Peça à engenharia para refazer o dimensionamento com a memória que o modelo "
                "e o software realmente ocupam neste servidor."),
            "low_sessions_per_node": (
                "{scenario}: cada nó atende poucas sessões ({sessions}), então cada nó "
                "perdido remove uma grande parte da capacidade.",
                "Considere memória de sessão em 8 bits, um contexto menor ou servidores "
                "maiores."),
            "latency_few_sessions": (
                "{scenario}: para cumprir a meta de {target} cada nó atende poucas sessões "
                "({sessions}), então a velocidade pedida, não a memória, define o tamanho da "
                "frota.",
                "Confirme que a meta é o que os usuários precisam: uma meta mais folgada, "
                "prompts mais curtos ou servidores mais rápidos compram bem menos nós."),
            "many_nodes": (
                "{scenario}: a frota chega a {nodes} nós, uma compra grande para operar.",
                "Revise as metas de concorrência e de contexto, ou avalie um modelo menor."),
            "small_scenario_gap": (
                "Resiliência sai barata aqui: o RECOMENDADO precisa de só {recommended} nós "
                "contra {minimum}.",
                "Não fique no MÍNIMO: a economia é pequena."),
            "weights_exceed_overhead": (
                "O próprio modelo ({weights_gib} GiB) é maior que a memória reservada para ele "
                "({overhead_gib} GiB), então a capacidade está superestimada.",
                "Peça à engenharia para refazer o dimensionamento com uma reserva realista "
                "para o modelo antes da compra."),
            "cold_start_slow": (
                "Um nó novo ou substituído precisa de {seconds} s para carregar o modelo de "
                "{profile}.",
                "Mantenha os arquivos do modelo em armazenamento local rápido para que a "
                "recuperação fique abaixo de um minuto."),
            "kv_restore_slow": (
                "Retomar uma sessão pausada de {profile} leva {seconds} s, o que os usuários "
                "vão perceber.",
                "Mantenha as sessões ativas na memória da GPU ou acrescente uma camada de "
                "armazenamento mais rápida."),
            "weight_shard_exceeds_gpu": (
                "O modelo é grande demais para rodar em um único servidor deste tipo.",
                "Planeje grupos de servidores que sirvam juntos uma cópia do modelo, use um "
                "modelo comprimido ou escolha GPUs maiores."),
            "kv_heads_replicated": (
                "Espalhar o modelo por muitas GPUs desperdiça memória com cópias.",
                "Rode mais cópias menores do modelo por servidor."),
            "session_exceeds_gpu_pool": (
                "Nem uma conversa cabe na memória que o software de serviço deixa livre.",
                "Encurte o contexto, comprima o cache ou escolha GPUs maiores."),
            "engine_leaves_no_kv": (
                "As configurações de memória do software de serviço não deixam espaço para "
                "nenhuma conversa.",
                "Dê ao software de serviço uma parcela maior da memória da GPU."),
            "replica_nodes_capped": (
                "O modelo não cabe nos servidores permitidos para trabalhar juntos em uma cópia "
                "({max_nodes}); ele precisa de {nodes}.",
                "Permita cópias em {nodes} servidores (com uma rede entre eles), use um modelo "
                "comprimido ou escolha GPUs maiores."),
            "replica_spans_nodes": (
                "Cada cópia do modelo precisa de {nodes} servidores trabalhando juntos.",
                "Confirme a rede entre os servidores antes de comprar."),
            "expert_group_spans_nodes": (
                "Cada cópia do modelo espalha seus experts por {nodes} servidores trabalhando "
                "juntos, que trocam dados a cada passo da geração.",
                "Confirme a rede entre os servidores e meça a velocidade em um grupo assim "
                "antes de comprar."),
            "sglang_graph_reserve": (
                "Com tantas cópias da atenção trabalhando juntas, a configuração padrão do "
                "software de serviço reserva {graphs_gib} GiB dos {gpu_gib} GiB de cada GPU "
                "para seus próprios buffers: cabem menos usuários por servidor do que uma "
                "configuração ajustada permite.",
                "Peça ao time de plataforma que meça a configuração que vai usar e refaça o "
                "dimensionamento com ela antes da compra."),
            "engine_running_limit": (
                "O software de serviço atende no máximo {limit} conversas de uma vez por cópia "
                "do modelo, embora a memória comporte {held}.",
                "Pergunte ao time de plataforma se aumentar esse limite mantém as respostas "
                "rápidas."),
            "larger_tp_holds_more": (
                "Outra divisão do modelo entre as GPUs atende mais usuários por servidor.",
                "Peça ao time de plataforma para validar paralelismo de tensor {best_tp}."),
            "weight_precision_needs_fewer": (
                "Servir o modelo em números de 8 bits (FP8) em vez de {precision} pediria "
                "{fp8_nodes} servidores em vez de {nodes}; testes publicados o acham quase "
                "tão preciso.",
                "Peça ao time de plataforma para validar uma versão FP8 do modelo nas suas "
                "próprias tarefas antes de comprar."),
            "kv_precision_needs_fewer": (
                "Guardar a memória de trabalho de cada conversa em números de 8 bits (FP8) em "
                "vez de {precision} pediria {fp8_nodes} servidores em vez de {nodes}.",
                "Peça ao time de plataforma para verificar a qualidade das respostas com ele "
                "nas suas próprias tarefas antes de comprar."),
            "other_engine_needs_fewer": (
                "O software de serviço suposto ({engine}) usa a memória deste modelo com menos "
                "economia que o {other}, que pediria {other_nodes} servidores em vez de "
                "{nodes}.",
                "Pergunte ao time de plataforma se o {other} pode servir este modelo antes de "
                "comprar."),
            "dp_attention_needs_fewer": (
                "Outra forma de distribuir o modelo entre as GPUs poderia pedir {dp_nodes} "
                "servidores em vez de {nodes}, numa estimativa menos certa.",
                "Peça ao time de plataforma um benchmark da atenção com paralelismo de dados "
                "antes de comprar."),
            "sglang_window_pool_oversized": (
                "Uma configuração do software de serviço (SGLang) reserva memória que este "
                "modelo quase não usa; ajustada, cada cópia do modelo poderia atender "
                "{best_held} usuários em vez de {held}.",
                "Peça ao time de plataforma para testar {flag}."),
            "scenario_layout_needs_fewer": (
                "O {scenario} poderia ser comprado com {layout_nodes} servidores em vez de "
                "{nodes}, distribuindo o modelo entre as GPUs de outra forma.",
                "Peça ao time de plataforma para dimensionar o {scenario} com {flags}."),
            "latency_target_unreachable": (
                "A velocidade pedida ({target} de {value_ms} ms) está fora do alcance deste "
                "servidor, mesmo para um único usuário ({best_ms} ms).",
                "Flexibilize a meta, ou escolha hardware mais rápido ou um modelo menor."),
            "prompts_queue": (
                "Com carga total, prompts longos ({prompt} tokens) esperam na fila: os usuários "
                "aguardam cerca de {ttft_s} s pela primeira palavra de cada resposta.",
                "Defina uma meta de primeiro token para que o plano compre por ela, ou confirme "
                "que os turnos anteriores de uma conversa ficam em cache."),
            "slower_than_reading": (
                "Cada usuário receberia cerca de {tps} tokens por segundo, menos do que se lê: "
                "este plano compra o menor número de servidores, não velocidade.",
                "Defina a velocidade de que os usuários precisam (por exemplo 20 tokens por "
                "segundo) e dimensione de novo: pode exigir mais servidores."),
            "speed_beyond_measured": (
                "Os números de velocidade na carga deste plano vão além do que foi medido: "
                "cada grupo de GPUs atende {sessions} usuários ao mesmo tempo, mais do que os "
                "{limit} dos testes em que o modelo de velocidade se baseia, e nessas cargas ele "
                "errou cerca de {error_pct}% na mediana.",
                "Peça à equipe de plataforma um benchmark do software de serviço nessa carga "
                "antes de confiar nos números de velocidade."),
            "prompt_waves": (
                "Com este software de serviço, a meta de primeiro token é dimensionada para "
                "requisições que chegam em ondas, como num benchmark de tamanho fixo; o tráfego "
                "real costuma receber o primeiro token antes, então o plano pode ter mais "
                "servidores do que precisa.",
                "Faça um benchmark do tráfego real antes de comprar e dimensione de novo a "
                "partir dele."),
            "opening_burst": (
                "A meta de primeiro token é dimensionada como um benchmark padrão a mede, "
                "incluindo a rajada de requisições com que ele começa; o tráfego real constante "
                "costuma receber o primeiro token antes, então o plano pode ter mais servidores "
                "do que precisa.",
                "Faça um benchmark do tráfego real antes de comprar e dimensione de novo a "
                "partir dele."),
            "ttft_live_basis": (
                "O tempo até a primeira palavra é estimado para tráfego real constante, um "
                "número que nenhuma medição conferiu; um benchmark padrão o mostraria mais "
                "longo.",
                "Meça o tempo até a primeira palavra no tráfego real antes de comprar."),
            "speculative_speed_not_modelled": (
                "As velocidades por usuário são estimadas sem a decodificação especulativa que "
                "o software de serviço vai usar: os usuários podem receber os tokens mais rápido "
                "do que o indicado.",
                "Peça à equipe de engenharia um benchmark com ela ligada antes de contar com os "
                "números de velocidade."),
            "calibration_memory_implausible": (
                "O log de inicialização usado para calibrar o plano não corresponde às GPUs do "
                "servidor escolhido (seus números de memória diferem em {share_pct}% da memória "
                "de cada GPU), então os números que ele traria não são confiáveis.",
                "Peça à equipe de engenharia para calibrar com um log do servidor que será "
                "comprado."),
            "calibration_model_mismatch": (
                "O log de inicialização usado para calibrar o plano vem de outro modelo "
                "({logged}) que não o dimensionado, então os números que ele traria não se "
                "aplicam.",
                "Peça à equipe de engenharia para calibrar com um log do modelo que será "
                "implantado."),
            "benchmark_workload_mismatch": (
                "As medições de velocidade usadas para calibrar o plano foram feitas em outro "
                "layout de servidor ou com outros tamanhos de requisição que os do plano, então "
                "as velocidades que ele informa podem ser menos precisas do que sem elas.",
                "Peça à equipe de engenharia um benchmark do layout e dos tamanhos de "
                "requisição planejados, e dimensione de novo a partir dele."),
        },
        "no_risks": "Nenhum risco relevante além do que a tabela mostra.",
        "recommend": "Recomenda-se adquirir **{nodes} x {server}** ({gpus} GPUs), o cenário "
                     "{rec}, SLA típico {sla}. Passe ao {ideal} ({ideal_nodes}, capex "
                     "{ideal_capex} frente ao {minimum}) se o serviço precisar de disponibilidade "
                     "{ideal_sla} ou enfrentar picos imprevisíveis. O {minimum} ({min_nodes}) "
                     "serve apenas para piloto ou ambiente de desenvolvimento.",
        "recommend_no_ideal": "Recomenda-se adquirir **{nodes} x {server}** ({gpus} GPUs), o "
                              "cenário {rec}, SLA típico {sla}. O {ideal} não pode ser "
                              "dimensionado no {server} (seção 4): disponibilidade {ideal_sla} "
                              "pede outras entradas ou um servidor maior. O {minimum} "
                              "({min_nodes}) serve apenas para piloto ou ambiente de "
                              "desenvolvimento.",
        "recommend_fleet_add": "Com {current} em operação, a compra é de {add}{capex}.",
        "recommend_fleet_met": "O nó em operação já o atende: nada a adquirir.|Os {current} em "
                               "operação já o atendem: nada a adquirir.",
        "recommend_fleet_capex": " (capex de {capex})",
        "recommend_risks": "Antes do pedido de compra, trate o risco da seção 4.|Antes do "
                           "pedido de compra, trate os {count} riscos da seção 4.",
        "recommend_fatal": "Não compre ainda: mude as entradas indicadas na seção 4 (contexto, "
                           "precisão da memória de sessão ou servidor) e dimensione de novo.",
        "appendix_build": "Como o número de nós é construído",
        "appendix_formula": "Para cada cenário: sessões por nó = orçamento de KV por nó / KV "
                            "por sessão, arredondado para baixo, ou menos quando a memória do "
                            "software de inferência ou uma meta de velocidade permite menos; "
                            "nós = sessões / sessões por nó, arredondado para cima; depois o "
                            "mesmo com a margem para picos, sessões x (1 + margem); depois os "
                            "nós de reserva.",
        "build_headers": ("cenário", "sessões por nó", "nós para as sessões",
                          "com margem para picos", "+ reserva", "final"),
        "appendix_formula_unit": "Cada cópia do modelo ocupa {nodes} nós, então as sessões "
                                 "são contadas por cópia e os nós vêm de {nodes} em {nodes}: "
                                 "nós = sessões / sessões por cópia, arredondado para cima, "
                                 "x {nodes}, e cada reserva é uma cópia.",
        "appendix_assumptions": "Premissas",
        "assumptions": (
            "Cada sessão mantém {session_gib} GiB de cache KV ({context} tokens em "
            "{precision}) na memória da GPU durante toda a sua vida, sem transferência para "
            "CPU ou disco.",
            "Cada nó reserva {overhead} GiB para pesos do modelo, ativações e ambiente de "
            "execução, e dá "
            "{ratio} do restante às sessões ({ideal_ratio} no IDEAL).",
            "Toda sessão atinge o contexto efetivo completo: dimensione para um percentil alto "
            "das sessões reais.",
            "O capex é proporcional ao número de nós: todos os cenários usam o mesmo "
            "servidor.",
            "Um nó conta apenas com todas as suas GPUs saudáveis.",
        ),
        "perf_assumption": "A velocidade é estimada para requisições de {prompt} tokens de "
                           "prompt e {output} de saída, a partir da banda de memória e da "
                           "computação das GPUs (médias em regime; erro típico de {tpot_err} "
                           "no tempo por token e {ttft_err} no tempo até o primeiro "
                           "token{basis}).",
        "perf_gpu_assumption": "Nenhuma medição de velocidade por trás desse erro típico usou a "
                               "GPU deste servidor ({gpu}): confirme as velocidades com um "
                               "benchmark nela.",
        "error_basis": {"engine": "",
                        "unseen_model": ", para um modelo que o ajuste não viu neste engine",
                        "unseen_moe_model": ", para uma mistura de experts que o ajuste não "
                                            "viu neste engine",
                        "checked_runs": ", para um modelo que o ajuste não viu neste "
                                        "engine, como suas próprias execuções nele mediram",
                        "expert_parallel": ", para um layout com paralelismo de experts",
                        "data_parallel_attention": ", para um layout com paralelismo de dados "
                                                   "na atenção",
                        "flag": ", para as constantes padrão, que as flags mudaram",
                        "benchmark": ", com as constantes ajustadas ao benchmark"},
        "both_assumption": "Cada nó reserva {overhead} GiB para pesos do modelo, ativações e "
                           "ambiente de execução e dá {ratio} do restante às sessões "
                           "({ideal_ratio} no IDEAL); o plano também respeita o que o {engine} "
                           "aloca em cada GPU ({weights_gib} GiB de pesos por GPU com {tp} por "
                           "réplica{experts}) e fica com a menor capacidade.",
        "engine_assumption": "As sessões por nó seguem o que o {engine} aloca em cada GPU: "
                             "{weights_gib} GiB de pesos por GPU com {tp} por "
                             "réplica{experts}, sua ativação e reserva de execução, e o resto "
                             "como cache KV em blocos inteiros ({ideal_ratio} / {ratio} disso "
                             "no IDEAL).",
        "experts_over": " e os experts roteados distribuídos por {gpus}",
        "appendix_units": "Unidades",
        "units": (
            "GB = 10^9 bytes (datasheets dos fabricantes); GiB = 2^30 bytes = 1,074 GB. Um "
            "{server} tem {hbm_gb} GB = {hbm_gib} GiB de memória de GPU.",
            "TiB = 2^40 bytes.",
            "128k = 131.072 tokens (k = 1.024); 128.000 tokens são 125k.",
        ),
    },
}

LANGUAGES = tuple(STRINGS)


if __name__ == "__main__":
    try:
        status = main()
    except BrokenPipeError:        # `sizing ... | head` closed the pipe: end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        status = 0
    except KeyboardInterrupt:      # Ctrl-C: temporary files are already removed
        status = 130
    sys.exit(status)
