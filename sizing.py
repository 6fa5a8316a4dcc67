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

Formulas (per scenario; GiB = 2**30 bytes, vendor GB = 10**9 bytes, 128k = 131,072 tokens):
    kv_per_session_bytes = 2 (K and V) x kv_heads x head_dim x bytes_per_element
                           x (full_layers x context + sliding_layers x min(context, window))
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

# ============================================================================ imports, version
from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import math
import os
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

__version__ = "1.0.0"
SCHEMA_VERSION = "1.0"

# ============================================================================ constants and units
BYTES_PER_GIB = 2**30
BYTES_PER_TIB = 2**40
BYTES_PER_GB = 10**9          # vendors' GB (HBM capacity, storage throughput)
TOKENS_PER_K = 1024           # "128k" context = 131,072 tokens

KV_BYTES_PER_ELEMENT = {"fp8": 1, "int8": 1, "fp16": 2, "bf16": 2}

# Bytes per parameter of the stored weights. Block-scaled 4-bit formats carry one 8-bit scale per
# block: MXFP4 (OCP MX spec) 32 values + E8M0 scale = 4.25 bits; NVFP4 16 values + FP8 scale =
# 4.5 bits (its per-tensor FP32 scale is negligible).
WEIGHT_BYTES_PER_PARAM = {
    "fp32": Fraction(4), "bf16": Fraction(2), "fp16": Fraction(2), "fp8": Fraction(1),
    "int8": Fraction(1), "int4": Fraction(1, 2), "mxfp4": Fraction(17, 32),
    "nvfp4": Fraction(9, 16),
}

ATTENTION_PATTERNS = ("full", "sliding", "hybrid")
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
KV_RESTORE_MAX_SECONDS = 1.0     # restoring a session's KV slower than 1 s is felt as TTFT

MAX_HEADROOM_RATIO = 10.0        # 1000% above nominal is a typo, not a plan

# ============================================================================ exceptions


class SizingError(ValueError):
    """A problem with the inputs that the user must fix (exit status 1)."""


class CatalogError(SizingError):
    """A catalog file that is missing, unreadable or holds a wrong value."""

    def __init__(self, file_label: str, entry: str | None, message: str):
        where = f"{file_label}: {entry}: " if entry else f"{file_label}: "
        super().__init__(where + message)


class UsageError(SizingError):
    """A command-line value that cannot be used (exit status 2)."""


# ============================================================================ data model


@dataclass(frozen=True)
class Model:
    name: str
    aliases: tuple[str, ...]
    description: str
    hf_repo: str
    source: str
    num_layers: int
    num_key_value_heads: int
    head_dim: int
    max_position_embeddings: int
    attention_pattern: str
    full_attention_layers: int
    sliding_attention_layers: int
    sliding_window: int | None
    default_kv_precision: str
    total_params_billion: float
    active_params_billion: float
    weight_precision: str
    params_source: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Storage:
    name: str
    aliases: tuple[str, ...]
    description: str
    type: str
    read_throughput_gb_per_s: float
    read_iops: int
    read_latency_p99_ms: float
    source: str


@dataclass(frozen=True)
class Catalogs:
    models: tuple[Model, ...]
    servers: tuple[Server, ...]
    storage: tuple[Storage, ...]
    default_storage: str


@dataclass(frozen=True)
class Workload:
    """The user's NFRs and runtime policy, as given on the command line."""

    concurrency: int
    effective_context_tokens: int
    kv_precision: str
    kv_budget_ratio: float
    runtime_overhead_gib: float
    peak_headroom_ratio: float
    ha_mode: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ScenarioConfig:
    peak_headroom_ratio: float
    ha_mode: str
    kv_budget_ratio: float


@dataclass(frozen=True)
class Rationale:
    """Formula and the values put into it, for one result of one scenario."""

    key: str
    formula: str
    inputs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ScenarioResult:
    policy: ScenarioPolicy
    config: ScenarioConfig
    kv_budget_per_node_bytes: int
    sessions_per_node: int
    nodes_capacity: int | None
    nodes_with_headroom: int | None
    ha_extra_nodes: int
    nodes_final: int | None
    rationale: tuple[Rationale, ...]

    @property
    def sized(self) -> bool:
        return self.nodes_final is not None


@dataclass(frozen=True)
class Alert:
    """A risk found while sizing; text comes from the message table by `code`."""

    code: str
    severity: str                      # "critical", "warning" or "info"
    scenario: str | None               # scenario key, or None for the whole plan
    params: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class KvBreakdown:
    """What one session keeps in HBM, per layer kind."""

    kv_heads: int
    head_dim: int
    bytes_per_element: int
    full_layers: int
    full_layer_tokens: int
    sliding_layers: int
    sliding_layer_tokens: int

    @property
    def bytes_per_token_per_layer(self) -> int:
        return 2 * self.kv_heads * self.head_dim * self.bytes_per_element

    @property
    def per_session_bytes(self) -> int:
        return self.bytes_per_token_per_layer * (
            self.full_layers * self.full_layer_tokens
            + self.sliding_layers * self.sliding_layer_tokens)


@dataclass(frozen=True)
class StorageChecks:
    weights_bytes: int
    cold_start_seconds: float
    kv_restore_seconds: float


@dataclass(frozen=True)
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

    @property
    def context_clamped(self) -> bool:
        return self.effective_context_tokens < self.workload.effective_context_tokens

    @property
    def fatal(self) -> bool:
        return any(not s.sized for s in self.scenarios)

    def scenario(self, key: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.policy.key == key)


# ============================================================================ catalog loading


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key '{key}'")
        seen[key] = value
    return seen


def parse_strict_json(text: str) -> Any:
    """Parse JSON, refusing what Python accepts but JSON does not (NaN, Infinity, dup keys).

    >>> parse_strict_json('{"a": 1}')
    {'a': 1}
    >>> parse_strict_json('{"a": NaN}')
    Traceback (most recent call last):
    ...
    ValueError: NaN is not valid JSON
    """
    return json.loads(text, parse_constant=_reject_constant,
                      object_pairs_hook=_reject_duplicate_keys)


def _read_catalog(path: Path, label: str, list_key: str) -> tuple[dict[str, Any], list[Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(label, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(label, None, f"cannot read ({exc})") from None
    try:
        document = parse_strict_json(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(label, None, f"invalid JSON at line {exc.lineno} column {exc.colno}: "
                                        f"{exc.msg}") from None
    except ValueError as exc:
        raise CatalogError(label, None, f"invalid JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
        raise CatalogError(label, None, f"top level must be an object with a '{list_key}' list")
    if not document[list_key]:
        raise CatalogError(label, None, f"'{list_key}' is empty")
    return document, document[list_key]


_REQUIRED = object()


class _Entry:
    """Typed field access on one catalog entry, with errors naming file, entry and field."""

    def __init__(self, label: str, kind: str, index: int, raw: Any):
        self.label = label
        if not isinstance(raw, dict):
            raise CatalogError(label, f"{kind} #{index + 1}", "entry must be a JSON object")
        self.raw = raw
        name = raw.get("name")
        self.where = f"{kind} '{name}'" if isinstance(name, str) and name else f"{kind} #{index + 1}"

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
            raise self.fail(field, f"must be a non-empty string (got {value!r})")
        return value

    def choice(self, field: str, choices: Iterable[str]) -> str:
        value = self.text(field)
        allowed = tuple(choices)
        if value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(allowed)} (got {value!r})")
        return value

    def positive_int(self, field: str, optional: bool = False) -> int | None:
        value = self._get(field, None if optional else _REQUIRED)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(field, f"must be a positive integer (got {value!r})")
        return value

    def positive_number(self, field: str) -> float:
        value = self._get(field, _REQUIRED)
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value <= 0):
            raise self.fail(field, f"must be a positive number (got {value!r})")
        return value

    def aliases(self) -> tuple[str, ...]:
        value = self._get("aliases", [])
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip()
                                                  for a in value):
            raise self.fail("aliases", f"must be a list of non-empty strings (got {value!r})")
        return tuple(value)


def _parse_model(entry: _Entry) -> Model:
    num_layers = entry.positive_int("num_layers")
    pattern = entry.choice("attention_pattern", ATTENTION_PATTERNS)
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
    total = entry.positive_number("total_params_billion")
    active = entry.positive_number("active_params_billion")
    if active > total:
        raise entry.fail("active_params_billion",
                         f"must not exceed total_params_billion ({active} > {total})")
    return Model(
        name=entry.text("name"), aliases=entry.aliases(),
        description=entry.text("description"), hf_repo=entry.text("hf_repo"),
        source=entry.text("source"), num_layers=num_layers,
        num_key_value_heads=entry.positive_int("num_key_value_heads"),
        head_dim=entry.positive_int("head_dim"),
        max_position_embeddings=entry.positive_int("max_position_embeddings"),
        attention_pattern=pattern, full_attention_layers=full, sliding_attention_layers=sliding,
        sliding_window=window,
        default_kv_precision=entry.choice("default_kv_precision", KV_BYTES_PER_ELEMENT),
        total_params_billion=total, active_params_billion=active,
        weight_precision=entry.choice("weight_precision", WEIGHT_BYTES_PER_PARAM),
        params_source=entry.text("params_source"),
    )


def _parse_server(entry: _Entry) -> Server:
    gpus = entry.positive_int("gpus")
    per_gpu = entry.positive_number("hbm_per_gpu_gb")
    total = entry.positive_number("total_hbm_gb")
    if not math.isclose(gpus * per_gpu, total, rel_tol=1e-9):
        raise entry.fail("total_hbm_gb", f"must equal gpus x hbm_per_gpu_gb "
                                         f"({gpus} x {per_gpu} = {gpus * per_gpu}, got {total})")
    return Server(
        name=entry.text("name"), aliases=entry.aliases(), description=entry.text("description"),
        vendor=entry.text("vendor"), gpu_model=entry.text("gpu_model"), gpus=gpus,
        hbm_per_gpu_gb=per_gpu, total_hbm_gb=total, source=entry.text("source"),
    )


def _parse_storage(entry: _Entry) -> Storage:
    return Storage(
        name=entry.text("name"), aliases=entry.aliases(), description=entry.text("description"),
        type=entry.text("type"),
        read_throughput_gb_per_s=entry.positive_number("read_throughput_gb_per_s"),
        read_iops=entry.positive_int("read_iops"),
        read_latency_p99_ms=entry.positive_number("read_latency_p99_ms"),
        source=entry.text("source"),
    )


def _parse_entries(path: Path, label: str, list_key: str, kind: str,
                   parse: Callable[[_Entry], Any]) -> tuple[dict[str, Any], tuple[Any, ...]]:
    document, raw_entries = _read_catalog(path, label, list_key)
    entries = tuple(parse(_Entry(label, kind, i, raw)) for i, raw in enumerate(raw_entries))
    seen: dict[str, str] = {}
    for item in entries:
        for key in (item.name, *item.aliases):
            folded = key.casefold()
            if folded in seen:
                raise CatalogError(label, f"{kind} '{item.name}'",
                                   f"name or alias '{key}' is already used by {kind} "
                                   f"'{seen[folded]}'")
            seen[folded] = item.name
    return document, entries


def load_catalogs(models_path: Path, servers_path: Path, storage_path: Path,
                  labels: Mapping[str, str] | None = None) -> Catalogs:
    """Read and validate the three catalogs; raise CatalogError on the first problem."""
    labels = labels or {}
    _, models = _parse_entries(models_path, labels.get("models", str(models_path)),
                               "models", "model", _parse_model)
    _, servers = _parse_entries(servers_path, labels.get("servers", str(servers_path)),
                                "servers", "server", _parse_server)
    storage_label = labels.get("storage", str(storage_path))
    document, profiles = _parse_entries(storage_path, storage_label, "profiles", "profile",
                                        _parse_storage)
    default = document.get("default_profile")
    if not isinstance(default, str) or not any(p.name == default for p in profiles):
        raise CatalogError(storage_label, None,
                           f"default_profile must name one of the profiles (got {default!r})")
    return Catalogs(models=models, servers=servers, storage=profiles, default_storage=default)


def find_entry(entries: Iterable[Any], wanted: str, kind: str, label: str) -> Any:
    """Return the entry whose name or alias matches `wanted` (case-insensitive).

    An unknown name raises UsageError listing the closest names.
    """
    entries = tuple(entries)
    folded = wanted.casefold()
    for item in entries:
        if folded in (key.casefold() for key in (item.name, *item.aliases)):
            return item
    names = [key for item in entries for key in (item.name, *item.aliases)]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
        f"known: {', '.join(item.name for item in entries)}"
    raise UsageError(f"unknown {kind} {wanted!r} in {label}; {hint}")


# ============================================================================ pure core


def exact(value: float | int) -> Fraction:
    """Return the decimal a user typed as an exact fraction (0.7 -> 7/10, not 0.69999...).

    >>> exact(0.7)
    Fraction(7, 10)
    """
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def kv_breakdown(model: Model, context_tokens: int, kv_precision: str) -> KvBreakdown:
    """Split one session's KV cache by layer kind.

    Full-attention layers keep every token of the context; sliding-window layers keep at most
    `sliding_window` tokens. Each token costs 2 (K and V) x kv_heads x head_dim x bytes per
    element in each layer.

    >>> m = Model("m", (), "", "", "", 36, 8, 64, 131072, "hybrid", 18, 18, 128, "fp8",
    ...           1.0, 1.0, "bf16", "")
    >>> kv = kv_breakdown(m, 131072, "fp8")
    >>> kv.bytes_per_token_per_layer, kv.sliding_layer_tokens
    (1024, 128)
    >>> kv.per_session_bytes  # 1024 x (18 x 131072 + 18 x 128)
    2418278400
    """
    bytes_per_element = KV_BYTES_PER_ELEMENT[kv_precision]
    sliding_tokens = min(context_tokens, model.sliding_window) if model.sliding_window else 0
    return KvBreakdown(
        kv_heads=model.num_key_value_heads, head_dim=model.head_dim,
        bytes_per_element=bytes_per_element,
        full_layers=model.full_attention_layers, full_layer_tokens=context_tokens,
        sliding_layers=model.sliding_attention_layers, sliding_layer_tokens=sliding_tokens,
    )


def hbm_total_bytes(server: Server) -> int:
    """Return the server's HBM in bytes from vendor GB (10**9 bytes).

    >>> hbm_total_bytes(Server("s", (), "", "", "", 8, 288, 2304, ""))
    2304000000000
    """
    return math.floor(exact(server.total_hbm_gb) * BYTES_PER_GB)


def kv_budget_per_node_bytes(hbm_bytes: int, runtime_overhead_gib: float,
                             kv_budget_ratio: float) -> int:
    """Return the bytes of a node's HBM given to KV: (HBM - overhead) x ratio, floored.

    A node whose overhead exceeds its HBM has a budget of 0.

    >>> b = kv_budget_per_node_bytes(2304 * 10**9, 120, 0.70)
    >>> b, round(b / 2**30, 2)   # (2,304e9 - 120 x 2^30) x 0.7 = 2,175,150,981,120 x 0.7
    (1522605686784, 1418.04)
    """
    usable = hbm_bytes - exact(runtime_overhead_gib) * BYTES_PER_GIB
    return max(0, math.floor(usable * exact(kv_budget_ratio)))


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
    return math.ceil(concurrency * (1 + exact(headroom_ratio)) / per_node)


def weights_bytes(model: Model) -> int:
    """Return the bytes of the model's weights: parameters x bytes per parameter.

    >>> m = Model("m", (), "", "", "", 1, 1, 1, 1, "full", 1, 0, None, "bf16", 8.03, 8.03,
    ...           "bf16", "")
    >>> weights_bytes(m)   # 8.03e9 x 2
    16060000000
    """
    params = exact(model.total_params_billion) * 10**9
    return math.floor(params * WEIGHT_BYTES_PER_PARAM[model.weight_precision])


def read_seconds(size_bytes: int, throughput_gb_per_s: float) -> float:
    """Return seconds to read `size_bytes` at a vendor-GB/s throughput.

    >>> read_seconds(28 * 10**9, 28)
    1.0
    """
    return size_bytes / (throughput_gb_per_s * BYTES_PER_GB)


# ============================================================================ scenarios

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


def size_scenario(policy: ScenarioPolicy, workload: Workload, kv: KvBreakdown,
                  hbm_bytes: int) -> ScenarioResult:
    """Size one scenario; nodes are None when not even one session fits a node."""
    config = configure(policy, workload)
    kv_session = kv.per_session_bytes
    budget = kv_budget_per_node_bytes(hbm_bytes, workload.runtime_overhead_gib,
                                      config.kv_budget_ratio)
    per_node = sessions_per_node(budget, kv_session)
    ha_extra = HA_EXTRA_NODES[config.ha_mode]
    if per_node > 0:
        capacity = nodes_for(workload.concurrency, 0.0, per_node)
        with_headroom = nodes_for(workload.concurrency, config.peak_headroom_ratio, per_node)
        final: int | None = with_headroom + ha_extra
    else:
        capacity = with_headroom = final = None
    rationale = (
        Rationale("kv_per_session_gib",
                  "2 x kv_heads x head_dim x bytes_per_element x (full_layers x context + "
                  "sliding_layers x min(context, sliding_window))",
                  (("kv_heads", kv.kv_heads), ("head_dim", kv.head_dim),
                   ("bytes_per_element", kv.bytes_per_element),
                   ("full_layers", kv.full_layers), ("full_layer_tokens", kv.full_layer_tokens),
                   ("sliding_layers", kv.sliding_layers),
                   ("sliding_layer_tokens", kv.sliding_layer_tokens),
                   ("kv_per_session_bytes", kv_session))),
        Rationale("kv_total_tib", "kv_per_session_bytes x concurrency / 2^40",
                  (("kv_per_session_bytes", kv_session),
                   ("concurrency", workload.concurrency))),
        Rationale("kv_budget_per_node_gib",
                  "(total_hbm_gb x 10^9 / 2^30 - runtime_overhead_gib) x kv_budget_ratio",
                  (("hbm_total_gib", round(hbm_bytes / BYTES_PER_GIB, 2)),
                   ("runtime_overhead_gib", workload.runtime_overhead_gib),
                   ("kv_budget_ratio", config.kv_budget_ratio))),
        Rationale("sessions_per_node", "floor(kv_budget_per_node_bytes / kv_per_session_bytes)",
                  (("kv_budget_per_node_bytes", budget),
                   ("kv_per_session_bytes", kv_session))),
        Rationale("nodes_capacity", "ceil(concurrency / sessions_per_node)",
                  (("concurrency", workload.concurrency), ("sessions_per_node", per_node))),
        Rationale("nodes_with_headroom",
                  "ceil(concurrency x (1 + peak_headroom_ratio) / sessions_per_node)",
                  (("concurrency", workload.concurrency),
                   ("peak_headroom_ratio", config.peak_headroom_ratio),
                   ("sessions_per_node", per_node))),
        Rationale("nodes_final", "nodes_with_headroom + ha_extra_nodes",
                  (("nodes_with_headroom", with_headroom), ("ha_mode", config.ha_mode),
                   ("ha_extra_nodes", ha_extra))),
    )
    return ScenarioResult(policy=policy, config=config, kv_budget_per_node_bytes=budget,
                          sessions_per_node=per_node, nodes_capacity=capacity,
                          nodes_with_headroom=with_headroom, ha_extra_nodes=ha_extra,
                          nodes_final=final, rationale=rationale)


def _alerts(model: Model, workload: Workload, context: int, kv_session: int,
            scenarios: tuple[ScenarioResult, ...], checks: StorageChecks,
            storage: Storage) -> tuple[Alert, ...]:
    found: list[Alert] = []

    def add(code: str, severity: str, scope: str | None = None, **params: Any) -> None:
        found.append(Alert(code, severity, scope, tuple(params.items())))

    if context < workload.effective_context_tokens:
        add("context_clamped", "warning", requested=workload.effective_context_tokens,
            maximum=model.max_position_embeddings)
    if KV_BYTES_PER_ELEMENT[workload.kv_precision] > 1:
        add("kv_precision_wide", "warning", precision=workload.kv_precision)
    if workload.kv_budget_ratio > BUDGET_RATIO_RISKY:
        add("budget_ratio_high", "warning", ratio=workload.kv_budget_ratio,
            limit=BUDGET_RATIO_RISKY)
    for s in scenarios:
        key = s.policy.key
        if not s.sized:
            add("no_session_fits", "critical", key, scenario=s.policy.name,
                budget_gib=round(s.kv_budget_per_node_bytes / BYTES_PER_GIB, 2),
                session_gib=round(kv_session / BYTES_PER_GIB, 2))
            continue
        if s.sessions_per_node < LOW_SESSIONS_PER_NODE:
            add("low_sessions_per_node", "warning", key, scenario=s.policy.name,
                sessions=s.sessions_per_node, limit=LOW_SESSIONS_PER_NODE)
        if s.nodes_final > MANY_NODES:
            add("many_nodes", "warning", key, scenario=s.policy.name, nodes=s.nodes_final,
                limit=MANY_NODES)
    weights_gib = checks.weights_bytes / BYTES_PER_GIB
    if weights_gib > workload.runtime_overhead_gib:
        add("weights_exceed_overhead", "warning", weights_gib=round(weights_gib, 1),
            overhead_gib=workload.runtime_overhead_gib, precision=model.weight_precision)
    minimum, recommended = scenarios[0], scenarios[1]
    if minimum.sized and recommended.sized and \
            recommended.nodes_final - minimum.nodes_final \
            < SMALL_SCENARIO_GAP_RATIO * minimum.nodes_final:
        add("small_scenario_gap", "info", minimum=minimum.nodes_final,
            recommended=recommended.nodes_final, limit_pct=round(SMALL_SCENARIO_GAP_RATIO * 100))
    if checks.cold_start_seconds > COLD_START_MAX_SECONDS:
        add("cold_start_slow", "warning", seconds=round(checks.cold_start_seconds, 1),
            limit=COLD_START_MAX_SECONDS, weights_gb=round(checks.weights_bytes / BYTES_PER_GB, 1),
            profile=storage.name, throughput=storage.read_throughput_gb_per_s)
    if checks.kv_restore_seconds > KV_RESTORE_MAX_SECONDS:
        add("kv_restore_slow", "warning", seconds=round(checks.kv_restore_seconds, 2),
            limit=KV_RESTORE_MAX_SECONDS, session_gib=round(kv_session / BYTES_PER_GIB, 2),
            profile=storage.name, throughput=storage.read_throughput_gb_per_s)
    return tuple(found)


def size_all(model: Model, server: Server, storage: Storage, workload: Workload) -> SizingReport:
    """Size the three scenarios and collect the alerts: the one result every view shows.

    >>> m = Model("m", (), "", "", "", 36, 8, 64, 131072, "hybrid", 18, 18, 128, "fp8",
    ...           116.83, 5.13, "mxfp4", "")
    >>> s = Server("s", (), "", "", "", 8, 288, 2304, "")
    >>> st = Storage("p", (), "", "nvme", 28, 1, 0.1, "")
    >>> r = size_all(m, s, st, Workload(1000, 131072, "fp8", 0.70, 120, 0.20, "n+1"))
    >>> [x.nodes_final for x in r.scenarios]
    [2, 3, 5]
    """
    context = min(workload.effective_context_tokens, model.max_position_embeddings)
    kv = kv_breakdown(model, context, workload.kv_precision)
    hbm = hbm_total_bytes(server)
    scenarios = tuple(size_scenario(p, workload, kv, hbm) for p in SCENARIOS)
    weights = weights_bytes(model)
    checks = StorageChecks(
        weights_bytes=weights,
        cold_start_seconds=read_seconds(weights, storage.read_throughput_gb_per_s),
        kv_restore_seconds=read_seconds(kv.per_session_bytes, storage.read_throughput_gb_per_s))
    alerts = _alerts(model, workload, context, kv.per_session_bytes, scenarios, checks, storage)
    return SizingReport(model=model, server=server, storage=storage, workload=workload,
                        effective_context_tokens=context, kv=kv,
                        kv_total_bytes=kv.per_session_bytes * workload.concurrency,
                        hbm_total_bytes=hbm, storage_checks=checks, scenarios=scenarios,
                        alerts=alerts)


# ============================================================================ message tables
# Every sentence a reader sees lives here, keyed by language, so a translation is one table.

STRINGS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "LLM INFERENCE SIZING REPORT",
        "sections": ("1. INPUTS", "2. PARAMETER DICTIONARY", "3. RESULTS BY SCENARIO",
                     "4. ALERTS AND RISKS"),
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
            "meaning": "meaning", "summary": "Summary", "no_alerts": "No alerts.",
            "action": "action", "sessions": "sessions", "tokens": "tokens",
            "per_node": "per node", "all_scenarios": "ALL SCENARIOS (same workload, same KV)",
            "clamped": "clamped from {requested} to the model's maximum",
        },
        "architecture": {
            "full": "{layers} layers, all full attention; {kv_heads} KV heads x head_dim "
                    "{head_dim}",
            "sliding": "{layers} layers, all sliding window of {window} tokens; {kv_heads} KV "
                       "heads x head_dim {head_dim}",
            "hybrid": "{layers} layers: {full} full attention + {sliding} sliding window of "
                      "{window} tokens; {kv_heads} KV heads x head_dim {head_dim}",
        },
        "table": {
            "metric": "metric", "peak_headroom": "peak headroom", "ha_mode": "HA mode",
            "kv_budget_ratio": "KV budget ratio", "kv_budget_per_node_gib": "KV budget/node (GiB)",
            "sessions_per_node": "sessions per node", "nodes_capacity": "nodes (capacity)",
            "nodes_with_headroom": "nodes (+ headroom)", "nodes_final": "nodes (final, + HA)",
            "gpus_final": "GPUs (final)", "risk": "risk of unavailability",
            "sla": "typical SLA",
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
        "explanations": {
            "kv_per_session_gib":
                "Each active session pins this much HBM for its whole life. Full-attention "
                "layers grow with every token of context; sliding-window layers stop at their "
                "window. fp16/bf16 would double it, a longer context grows it linearly.",
            "kv_total_tib":
                "The KV the whole fleet must hold at {concurrency} concurrent sessions: the "
                "demand that the nodes' KV budgets must cover.",
            "kv_budget_per_node_gib":
                "Of each node's HBM, {overhead} GiB go to weights, activations and runtime "
                "buffers; {ratio_pct}% of the rest is given to KV, and the remainder is slack "
                "against fragmentation and uneven session lengths.",
            "sessions_per_node":
                "Whole sessions one node can hold (rounded down: a part session cannot be "
                "served). This is the node's real capacity.",
            "nodes_capacity":
                "Nodes that carry the nominal concurrency with no slack at all (rounded up).",
            "nodes_with_headroom":
                "Nodes that also absorb a traffic peak {headroom_pct}% above nominal.",
            "nodes_final":
                "Adds {ha_extra_nodes} node(s) for HA {ha_mode}: the plan can lose that many "
                "nodes (failure or maintenance) and still serve the peak.",
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
                "Which layers attend to the whole context (full) and which to a fixed window "
                "(sliding); hybrid mixes both.",
                "model config.json (layer_types, sliding_window, use_sliding_window)",
                "Sliding-window layers stop growing at the window; getting this wrong moves KV "
                "by 2-5x.",
                "Ignoring the window, or applying a window the config disables."),
            "max_position_embeddings": (
                "Longest context the model supports, in tokens.",
                "model config.json",
                "The effective context is clamped to it.",
                "Sizing for a context the model cannot serve."),
            "total_hbm_gb": (
                "GPU memory of one node in vendor GB (10^9 bytes).",
                "vendor datasheet via servers.json (gpus x hbm_per_gpu_gb)",
                "The capacity every session competes for; 2304 GB is 2145.8 GiB.",
                "Mixing vendor GB with GiB, which overstates capacity by 7.4%."),
            "concurrency": (
                "Sessions that hold a KV cache at the same moment.",
                "product NFR (--concurrency)",
                "Total KV and node count grow linearly with it.",
                "Using requests per second or total users instead of simultaneous sessions."),
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
            "context_clamped": (
                "Effective context {requested:,} tokens exceeds the model's maximum of "
                "{maximum:,}; sized at {maximum:,}.",
                "Lower --effective-context to what the model supports, or choose a "
                "longer-context model."),
            "kv_precision_wide": (
                "KV precision {precision} uses 2 bytes per element: twice the memory of fp8.",
                "Consider --kv-precision fp8 (quality is close in most evaluations); it roughly "
                "halves the nodes."),
            "budget_ratio_high": (
                "KV budget ratio {ratio} is above {limit}: aggressive HBM use risks "
                "fragmentation and allocator failures.",
                "Use 0.70 or less."),
            "no_session_fits": (
                "{scenario}: not even one session fits a node ({session_gib} GiB per session, "
                "{budget_gib} GiB KV budget per node).",
                "Shorten the context, use fp8 KV, lower the runtime overhead if it is "
                "overstated, or choose a server with more HBM."),
            "low_sessions_per_node": (
                "{scenario}: only {sessions} sessions per node (below {limit}).",
                "Long context or wide KV precision makes each node carry few sessions; "
                "consider fp8 KV, a shorter context or a server with more HBM."),
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
            "cold_start_slow": (
                "Cold start: reading {weights_gb} GB of weights at {throughput} GB/s "
                "({profile}) takes {seconds} s, above {limit:.0f} s.",
                "Replacing a failed node or scaling out for a peak will be slow: stage weights "
                "on local NVMe or use faster storage."),
            "kv_restore_slow": (
                "Restoring one session's KV ({session_gib} GiB) from {profile} at "
                "{throughput} GB/s takes {seconds} s, above {limit:.0f} s.",
                "Offloaded sessions will resume slowly: keep hot sessions in HBM or use a "
                "faster tier."),
        },
        "severity": {"critical": "CRITICAL", "warning": "WARNING", "info": "INFO"},
        "list_headers": {"models": "Models", "servers": "Servers", "storage": "Storage profiles",
                         "aliases": "aliases", "default": "default"},
    },
}


# ============================================================================ formatting helpers


def fmt_int(value: int | None) -> str:
    """Format an integer with thousands separators; None as a dash.

    >>> fmt_int(2418278400), fmt_int(None)
    ('2,418,278,400', '-')
    """
    return "-" if value is None else f"{value:,}"


def fmt_num(value: float, digits: int = 2) -> str:
    """Format a number with separators and fixed decimals.

    >>> fmt_num(2145.767, 2), fmt_num(0.7, 2)
    ('2,145.77', '0.70')
    """
    return f"{value:,.{digits}f}"


def fmt_pct(ratio: float) -> str:
    """Format a ratio as a percentage.

    >>> fmt_pct(0.2), fmt_pct(0.125)
    ('20%', '12.5%')
    """
    return f"{ratio * 100:.1f}".rstrip("0").rstrip(".") + "%"


def gib(size_bytes: int) -> float:
    return size_bytes / BYTES_PER_GIB


def fmt_context(tokens: int) -> str:
    """Format a token count with its k form when it is a whole number of 1024s.

    >>> fmt_context(131072), fmt_context(128000), fmt_context(100000)
    ('131,072 tokens (128k)', '128,000 tokens (125k)', '100,000 tokens')
    """
    k = f" ({tokens // TOKENS_PER_K}k)" if tokens % TOKENS_PER_K == 0 else ""
    return f"{tokens:,} tokens{k}"


def md_escape(cell: str) -> str:
    """Escape a table cell for GitHub Markdown (a '|' would split the cell).

    >>> md_escape("a|b")
    'a\\\\|b'
    """
    return str(cell).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_table(headers: list[str], rows: list[list[str]], markdown: bool = False) -> list[str]:
    """Lay out a table as aligned text columns, or as a GitHub Markdown table.

    >>> render_table(["a", "bb"], [["1", "2"]])
    ['a  bb', '-  --', '1  2']
    >>> render_table(["a", "b"], [["x|y", "2"]], markdown=True)
    ['| a | b |', '|---|---:|', '| x\\\\|y | 2 |']
    """
    if markdown:
        lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
                 "|" + "|".join(["---"] + ["---:"] * (len(headers) - 1)) + "|"]
        lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
        return lines
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def _wrap(text: str, indent: str, hang: int = 2, width: int = 100) -> list[str]:
    """Wrap to `width` columns; continuation lines hang `hang` columns past the indent."""
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=indent + " " * hang) or [indent]


def alert_text(alert: Alert, lang: str) -> tuple[str, str]:
    """Return (message, recommendation) of an alert in the given language."""
    message, action = STRINGS[lang]["alerts"][alert.code]
    params = dict(alert.params)
    return message.format(**params), action.format(**params)


def scenario_result_values(report: SizingReport, s: ScenarioResult) -> dict[str, Any]:
    """Return a scenario's results as displayed numbers (GiB/TiB rounded to 4 places)."""
    kv_session = report.kv.per_session_bytes
    return {
        "kv_per_session_bytes": kv_session,
        "kv_per_session_gib": round(gib(kv_session), 4),
        "kv_total_bytes": report.kv_total_bytes,
        "kv_total_tib": round(report.kv_total_bytes / BYTES_PER_TIB, 4),
        "hbm_total_gib": round(gib(report.hbm_total_bytes), 4),
        "kv_budget_per_node_bytes": s.kv_budget_per_node_bytes,
        "kv_budget_per_node_gib": round(gib(s.kv_budget_per_node_bytes), 4),
        "sessions_per_node": s.sessions_per_node,
        "nodes_capacity": s.nodes_capacity,
        "nodes_with_headroom": s.nodes_with_headroom,
        "ha_extra_nodes": s.ha_extra_nodes,
        "nodes_final": s.nodes_final,
        "gpus_final": None if s.nodes_final is None else s.nodes_final * report.server.gpus,
    }


def explanation(report: SizingReport, s: ScenarioResult, key: str, lang: str) -> str:
    table = STRINGS[lang]["explanations"]
    if key.startswith("nodes_") and not s.sized:
        return table["unsized"]
    return table[key].format(
        concurrency=f"{report.workload.concurrency:,}",
        overhead=fmt_num(report.workload.runtime_overhead_gib, 0),
        ratio_pct=fmt_pct(s.config.kv_budget_ratio).rstrip("%"),
        headroom_pct=fmt_pct(s.config.peak_headroom_ratio).rstrip("%"),
        ha_extra_nodes=s.ha_extra_nodes, ha_mode=s.config.ha_mode)


SCENARIO_INDEPENDENT_RESULTS = ("kv_per_session_gib", "kv_total_tib")


def _display_value(key: str, values: Mapping[str, Any]) -> str:
    value = values[key]
    if value is None:
        return "-"
    if key == "kv_per_session_gib":
        return f"{fmt_num(value)} GiB ({fmt_int(values['kv_per_session_bytes'])} bytes)"
    if key == "kv_total_tib":
        return f"{fmt_num(value)} TiB ({fmt_int(values['kv_total_bytes'])} bytes)"
    if key == "kv_budget_per_node_gib":
        return f"{fmt_num(value)} GiB ({fmt_int(values['kv_budget_per_node_bytes'])} bytes)"
    return fmt_int(value)


def _inputs_text(inputs: Iterable[tuple[str, Any]]) -> str:
    return ", ".join(f"{k}={fmt_int(v) if isinstance(v, int) and not isinstance(v, bool) else v}"
                     for k, v in inputs)


# ============================================================================ renderers


def summary_rows(report: SizingReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the scenario comparison table (text and Markdown)."""
    t = STRINGS[lang]["table"]
    risk = STRINGS[lang]["risk"]
    headers = [t["metric"]] + [s.policy.name for s in report.scenarios]
    values = [scenario_result_values(report, s) for s in report.scenarios]
    rows = [
        [t["peak_headroom"]] + [fmt_pct(s.config.peak_headroom_ratio) for s in report.scenarios],
        [t["ha_mode"]] + [s.config.ha_mode for s in report.scenarios],
        [t["kv_budget_ratio"]] + [fmt_num(s.config.kv_budget_ratio) for s in report.scenarios],
        [t["kv_budget_per_node_gib"]] + [fmt_num(v["kv_budget_per_node_gib"]) for v in values],
        [t["sessions_per_node"]] + [fmt_int(v["sessions_per_node"]) for v in values],
        [t["nodes_capacity"]] + [fmt_int(v["nodes_capacity"]) for v in values],
        [t["nodes_with_headroom"]] + [fmt_int(v["nodes_with_headroom"]) for v in values],
        [t["nodes_final"]] + [fmt_int(v["nodes_final"]) for v in values],
        [t["gpus_final"]] + [fmt_int(v["gpus_final"]) for v in values],
        [t["risk"]] + [risk[s.policy.risk] for s in report.scenarios],
        [t["sla"]] + [s.policy.typical_sla for s in report.scenarios],
    ]
    return headers, rows


def _input_lines(report: SizingReport, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the inputs section as (group, [(label, value)]) for text and Markdown."""
    L = STRINGS[lang]["labels"]
    m, srv, st, w = report.model, report.server, report.storage, report.workload
    arch = STRINGS[lang]["architecture"][m.attention_pattern].format(
        layers=m.num_layers, full=m.full_attention_layers, sliding=m.sliding_attention_layers,
        window=m.sliding_window, kv_heads=m.num_key_value_heads, head_dim=m.head_dim)
    context = fmt_context(report.effective_context_tokens)
    if report.context_clamped:
        context += "; " + L["clamped"].format(requested=fmt_int(w.effective_context_tokens))
    checks = report.storage_checks
    return [
        (L["model"], [
            (L["name"], f"{m.name} ({m.hf_repo})"),
            (L["architecture"], arch),
            (L["max_context"], fmt_context(m.max_position_embeddings)),
            (L["parameters"], f"{fmt_num(m.total_params_billion)} B total, "
                              f"{fmt_num(m.active_params_billion)} B active; weights "
                              f"{m.weight_precision}"),
            (L["source"], m.source),
        ]),
        (L["server"], [
            (L["name"], f"{srv.name} ({srv.description})"),
            (L["hbm"], f"{srv.gpus} x {fmt_num(srv.hbm_per_gpu_gb, 0)} GB = "
                       f"{fmt_num(srv.total_hbm_gb, 0)} GB = "
                       f"{fmt_num(gib(report.hbm_total_bytes))} GiB"),
            (L["source"], srv.source),
        ]),
        (L["storage"], [
            (L["name"], f"{st.name} ({st.type}): {st.description}"),
            (L["read"], f"{fmt_num(st.read_throughput_gb_per_s, 1)} GB/s, "
                        f"{fmt_int(st.read_iops)} IOPS, p99 {st.read_latency_p99_ms} ms"),
            (L["source"], st.source),
        ]),
        (L["nfr"], [
            (L["concurrency"], f"{fmt_int(w.concurrency)} {L['sessions']}"),
            (L["context"], context),
            (L["kv_precision"], f"{w.kv_precision} ({report.kv.bytes_per_element} "
                                f"byte(s) per element)"),
            (L["budget_ratio"], fmt_num(w.kv_budget_ratio)),
            (L["overhead"], f"{fmt_num(w.runtime_overhead_gib, 1)} GiB {L['per_node']}"),
            (L["headroom"], fmt_pct(w.peak_headroom_ratio)),
            (L["ha"], w.ha_mode),
        ]),
        (L["storage_checks"], [
            (L["weights"], f"{fmt_num(checks.weights_bytes / BYTES_PER_GB, 1)} GB "
                           f"({m.weight_precision})"),
            (L["cold_start"], f"{checks.cold_start_seconds:.1f} s "
                              f"(limit {COLD_START_MAX_SECONDS:.0f} s)"),
            (L["kv_restore"], f"{checks.kv_restore_seconds:.2f} s "
                              f"(limit {KV_RESTORE_MAX_SECONDS:.0f} s)"),
        ]),
    ]


def render_text(report: SizingReport, lang: str = "en") -> str:
    """Render the four-section technical report for a terminal (fits 100 columns)."""
    S = STRINGS[lang]
    L = S["labels"]
    out = [S["title"], "=" * len(S["title"]),
           f"sizing.py {__version__}, JSON schema {SCHEMA_VERSION}. GiB = 2^30 bytes; "
           f"GB = 10^9 bytes; 1k tokens = 1,024.", ""]

    def heading(text: str) -> None:
        out.extend([text, "-" * len(text)])

    heading(S["sections"][0])
    for group, pairs in _input_lines(report, lang):
        out.append(group)
        width = max(len(label) for label, _ in pairs)
        for label, value in pairs:
            out.extend(_wrap(f"{label.ljust(width)}  {value}", "  ", hang=width + 2))
    out.append("")

    heading(S["sections"][1])
    for name, (what, source, why, mistake) in S["parameters"].items():
        out.append(name)
        for label, text in ((L["what"], what), (L["from"], source), (L["why"], why),
                            (L["mistake"], mistake)):
            out.extend(_wrap(f"{label}: {text}", "  "))
    out.append("")

    heading(S["sections"][2])
    headers, rows = summary_rows(report, lang)
    out.extend("  " + line for line in render_table(headers, rows))

    def explain(s: ScenarioResult, r: Rationale) -> None:
        values = scenario_result_values(report, s)
        out.append(f"  {S['results'][r.key]}: {_display_value(r.key, values)}")
        out.extend(_wrap(f"{L['formula']}: {r.formula}", "    "))
        out.extend(_wrap(f"{L['inputs']}: {_inputs_text(r.inputs)}", "    "))
        out.extend(_wrap(f"{L['meaning']}: {explanation(report, s, r.key, lang)}", "    "))

    # KV per session and KV total do not depend on the scenario: explained once.
    first = report.scenarios[0]
    out.extend(["", L["all_scenarios"]])
    for r in first.rationale:
        if r.key in SCENARIO_INDEPENDENT_RESULTS:
            explain(first, r)
    for s in report.scenarios:
        out.extend(["", f"{s.policy.name}: {S['scenario_purpose'][s.policy.key]}"])
        for r in s.rationale:
            if r.key not in SCENARIO_INDEPENDENT_RESULTS:
                explain(s, r)
    out.append("")

    heading(S["sections"][3])
    if not report.alerts:
        out.append(L["no_alerts"])
    for alert in report.alerts:
        message, action = alert_text(alert, lang)
        out.extend(_wrap(f"[{S['severity'][alert.severity]}] {message}", ""))
        out.extend(_wrap(f"{L['action']}: {action}", "    "))
    return "\n".join(out) + "\n"


def _dataclass_dict(item: Any, drop: Iterable[str] = ()) -> dict[str, Any]:
    data = {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in drop}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def report_to_dict(report: SizingReport, lang: str = "en") -> dict[str, Any]:
    """Return the JSON document: the same numbers as the text report, in a stable key order."""
    S = STRINGS[lang]
    w = report.workload
    alerts = []
    for a in report.alerts:
        message, action = alert_text(a, lang)
        alerts.append({"severity": a.severity, "code": a.code, "scenario": a.scenario,
                       "message": message, "recommendation": action,
                       "values": dict(a.params)})
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
                          for r in s.rationale},
            "warnings": [x for x in alerts if x["scenario"] == s.policy.key],
        }
    checks = report.storage_checks
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sizing.py", "version": __version__},
        "inputs": {
            "model": _dataclass_dict(report.model),
            "server": {**_dataclass_dict(report.server),
                       "total_hbm_gib": round(gib(report.hbm_total_bytes), 4)},
            "storage": _dataclass_dict(report.storage),
            "nfr": {
                "concurrency": w.concurrency,
                "effective_context_tokens_requested": w.effective_context_tokens,
                "effective_context_tokens": report.effective_context_tokens,
                "context_clamped": report.context_clamped,
                "kv_precision": w.kv_precision,
                "kv_bytes_per_element": report.kv.bytes_per_element,
                "kv_budget_ratio": w.kv_budget_ratio,
                "runtime_overhead_gib": w.runtime_overhead_gib,
                "peak_headroom_ratio": w.peak_headroom_ratio,
                "ha_mode": w.ha_mode,
            },
        },
        "parameter_dictionary": {
            name: {"description": d, "source": src, "importance": why, "common_errors": err}
            for name, (d, src, why, err) in S["parameters"].items()},
        "kv_cache": {
            "bytes_per_token_per_layer": report.kv.bytes_per_token_per_layer,
            "full_attention_layers": report.kv.full_layers,
            "full_layer_tokens": report.kv.full_layer_tokens,
            "sliding_attention_layers": report.kv.sliding_layers,
            "sliding_layer_tokens": report.kv.sliding_layer_tokens,
            "kv_per_session_bytes": report.kv.per_session_bytes,
        },
        "storage_checks": {
            "weights_bytes": checks.weights_bytes,
            "weights_gb": round(checks.weights_bytes / BYTES_PER_GB, 3),
            "cold_start_seconds": round(checks.cold_start_seconds, 3),
            "cold_start_limit_seconds": COLD_START_MAX_SECONDS,
            "kv_restore_seconds": round(checks.kv_restore_seconds, 4),
            "kv_restore_limit_seconds": KV_RESTORE_MAX_SECONDS,
        },
        "scenarios": scenarios,
        "alerts": alerts,
    }


def render_json(report: SizingReport, lang: str = "en") -> str:
    return json.dumps(report_to_dict(report, lang), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


def render_list(catalogs: Catalogs, what: str, lang: str = "en") -> str:
    """List the names, aliases and one-line descriptions of one catalog."""
    H = STRINGS[lang]["list_headers"]
    entries = {"models": catalogs.models, "servers": catalogs.servers,
               "storage": catalogs.storage}[what]
    rows = []
    for e in entries:
        name = e.name + (f" ({H['default']})" if e.name == catalogs.default_storage else "")
        rows.append([name, ", ".join(e.aliases) or "-", e.description])
    return "\n".join([H[what]] + render_table(["name", H["aliases"], "description"], rows)) + "\n"


# ============================================================================ command line


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {text!r})")
    return value


def positive_int(text: str) -> int:
    """Parse a count that must be at least 1.

    >>> positive_int("1000")
    1000
    """
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer (got {text!r})")
    return value


def context_tokens(text: str) -> int:
    """Parse a token count: 131072, 128k (x1024) or 1m (x1048576).

    >>> context_tokens("128k"), context_tokens("131072"), context_tokens("1M")
    (131072, 131072, 1048576)
    """
    cleaned = text.strip().lower()
    scale = {"k": TOKENS_PER_K, "m": TOKENS_PER_K**2}.get(cleaned[-1:], 1)
    digits = cleaned[:-1] if scale > 1 else cleaned
    if not digits.isdigit() or int(digits) <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive whole number of tokens such as 131072 or 128k (got {text!r})")
    return int(digits) * scale


def unit_ratio(text: str) -> float:
    """Parse a ratio in (0, 1].

    >>> unit_ratio("0.7")
    0.7
    """
    value = _finite(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be greater than 0 and at most 1 (got {text!r})")
    return value


def headroom_ratio(text: str) -> float:
    """Parse a peak headroom ratio in [0, 10] (0.2 = 20% above nominal)."""
    value = _finite(text)
    if not 0 <= value <= MAX_HEADROOM_RATIO:
        raise argparse.ArgumentTypeError(
            f"must be between 0 and {MAX_HEADROOM_RATIO:g} (got {text!r})")
    return value


def non_negative_gib(text: str) -> float:
    """Parse a size in GiB that may be 0."""
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {text!r})")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sizing",
        description="Size GPU nodes for LLM inference: KV cache per session, sessions per "
                    "node and node counts in MINIMUM / RECOMMENDED / IDEAL scenarios.",
        epilog="Exit status: 0 sized; 1 bad catalog or output file; 2 bad usage; 3 a scenario "
               "cannot be sized (the report is still printed).")
    cat = parser.add_argument_group("catalogs (default: the files shipped beside sizing.py)")
    cat.add_argument("--models-file", type=Path, metavar="PATH", help="models catalog")
    cat.add_argument("--servers-file", type=Path, metavar="PATH", help="servers catalog")
    cat.add_argument("--storage-file", type=Path, metavar="PATH", help="storage catalog")
    cat.add_argument("--list", choices=("models", "servers", "storage"),
                     help="list a catalog's names, aliases and descriptions, then exit")

    wl = parser.add_argument_group("workload")
    wl.add_argument("--model", help="model name or alias (see --list models)")
    wl.add_argument("--server", help="server name or alias (see --list servers)")
    wl.add_argument("--storage", help="storage profile (default: the catalog's default_profile)")
    wl.add_argument("--concurrency", type=positive_int, metavar="N",
                    help="simultaneous sessions to serve")
    wl.add_argument("--effective-context", type=context_tokens, metavar="TOKENS",
                    help="tokens each session keeps: 131072, or 128k where k means 1024 "
                         "(m means 1024*1024)")
    wl.add_argument("--kv-precision", choices=tuple(KV_BYTES_PER_ELEMENT),
                    help="KV cache element type (default: the model's default_kv_precision)")

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

    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("both", "text", "json"), default="both",
                     help="both: text report then the JSON document; json: only JSON "
                          "(default: %(default)s)")
    out.add_argument("--output-json-file", type=Path, metavar="PATH",
                     help="also write the JSON document to PATH (whole or not at all)")
    out.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def default_catalog_dir() -> Path:
    """Return the folder of the shipped catalogs: beside sizing.py, else where pip put them."""
    here = Path(__file__).resolve().parent
    if (here / "models.json").is_file():
        return here
    return Path(sys.prefix) / "share" / "llm-sizing"


def write_atomically(files: Mapping[Path, str]) -> None:
    """Write every file whole or not at all: temporary files beside each, then rename.

    Raises SizingError naming the path when a folder is missing or a file cannot be written;
    nothing is left behind and existing files are untouched.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            if path.is_dir():
                raise SizingError(f"{path}: is a directory, not a file")
            if not path.parent.is_dir():
                raise SizingError(f"{path}: folder {path.parent} does not exist")
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        raise SizingError(f"{exc.filename or ''}: cannot write ({exc.strerror})") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:      # argparse: --help, --version, or a usage error
        return int(exc.code or 0)
    if args.list is None:
        missing = [flag for flag, value in (("--model", args.model), ("--server", args.server),
                                            ("--concurrency", args.concurrency),
                                            ("--effective-context", args.effective_context))
                   if value is None]
        if missing:
            print(f"sizing: error: missing {', '.join(missing)} (see --help)", file=sys.stderr)
            return 2
    try:
        base = default_catalog_dir()
        paths, labels = {}, {}
        for kind, given in (("models", args.models_file), ("servers", args.servers_file),
                            ("storage", args.storage_file)):
            paths[kind] = given if given is not None else base / f"{kind}.json"
            labels[kind] = str(given) if given is not None else f"{kind}.json"
        catalogs = load_catalogs(paths["models"], paths["servers"], paths["storage"], labels)
    except SizingError as exc:
        print(f"sizing: error: {exc}", file=sys.stderr)
        return 1
    if args.list is not None:
        sys.stdout.write(render_list(catalogs, args.list))
        return 0
    try:
        model = find_entry(catalogs.models, args.model, "model", labels["models"])
        server = find_entry(catalogs.servers, args.server, "server", labels["servers"])
        storage = find_entry(catalogs.storage, args.storage or catalogs.default_storage,
                             "storage profile", labels["storage"])
    except UsageError as exc:
        print(f"sizing: error: {exc}", file=sys.stderr)
        return 2
    workload = Workload(
        concurrency=args.concurrency, effective_context_tokens=args.effective_context,
        kv_precision=args.kv_precision or model.default_kv_precision,
        kv_budget_ratio=args.kv_budget_ratio, runtime_overhead_gib=args.runtime_overhead_gib,
        peak_headroom_ratio=args.peak_headroom_ratio, ha_mode=args.ha_mode)
    report = size_all(model, server, storage, workload)
    document = render_json(report)
    try:
        if args.output_json_file is not None:
            write_atomically({args.output_json_file: document})
    except SizingError as exc:
        print(f"sizing: error: {exc}", file=sys.stderr)
        return 1
    if args.format in ("both", "text"):
        sys.stdout.write(render_text(report))
    if args.format == "both":
        sys.stdout.write("\n")
    if args.format in ("both", "json"):
        sys.stdout.write(document)
    return 3 if report.fatal else 0


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:        # `sizing ... | head` closed the pipe: end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 0
    sys.exit(status)
