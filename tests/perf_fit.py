"""Refit the performance model's default constants and measure their error (not a test).

    python3 tests/perf_fit.py            # fit on the train split, report test and LOMO errors
    python3 tests/perf_fit.py --ttft-by-gpu-family   # TTFT constants per GPU family too?
    python3 tests/perf_fit.py --refit-with-newer-runs   # fit on wheel_runs.csv's too (slow)
    python3 tests/perf_fit.py --ttft-by-engine-version  # TTFT error by engine version

Reads tests/fixtures/perf/measured_runs.csv (see SOURCES.md there). The step constants are
shared by all engines and fitted to TPOT; the TTFT constants are fitted per engine. Prints
the constants to paste into sizing.py (ENGINE_PERF) and the error band (ERROR_BAND): median
and 90th percentile absolute relative error on the test third (ENGINE_ERROR_BAND: each
engine's runs of it), and when each model is left out of the fit in turn (the check closest
to "models the fit has not seen"). Then checks the constants, unfitted, against the maximum
throughput TensorRT-LLM publishes (fixtures/perf/trtllm_perf_overview.csv), the GB200 runs of
the same source (fixtures/perf/gb200_runs.csv), gpt-fast's batch-1 decode on A100
(fixtures/perf/gpt_fast_a100.csv), the newer export's runs of five models the fit has not
seen and of the fitted ones (fixtures/perf/wheel_runs.csv) and vLLM 0.20.1's forward passes
of Qwen3-32B and Qwen3.6-35B-A3B on B300, step by step (fixtures/perf/fpm_*_b300.csv). Last, what
--calibrate-from-benchmark gives on a run of a concurrency sweep it was not fitted to
(calibration_sweeps).
"""

import csv
import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import sizing  # noqa: E402

HERE = Path(__file__).resolve().parent
RUNS = HERE / "fixtures" / "perf" / "measured_runs.csv"
OVERVIEW = HERE / "fixtures" / "perf" / "trtllm_perf_overview.csv"
GPT_FAST = HERE / "fixtures" / "perf" / "gpt_fast_a100.csv"
GB200 = HERE / "fixtures" / "perf" / "gb200_runs.csv"
# aiconfigurator-core 0.12.0's runs beyond perf_measured.csv, five models among them new
WHEEL = HERE / "fixtures" / "perf" / "wheel_runs.csv"
WHEEL_NEW_MODELS = ("glm-5.1", "kimi-k2.5", "minimax-m2.5", "qwen3-235b-a22b",
                    "qwen3.5-397b-a17b")
FORWARD_PASSES = HERE / "fixtures" / "perf" / "fpm_qwen3_32b_b300.csv"
# Qwen3.6-35B-A3B's steps, as the catalog's qwen3.5-35b-a3b (the same shapes: SOURCES.md)
FORWARD_PASSES_MOE = HERE / "fixtures" / "perf" / "fpm_qwen3_6_35b_a3b_b300.csv"


def load(path=RUNS):
    """The runs of a fixture table, each as (row, (replica, measurement))."""
    models, servers = catalog_models()
    samples = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            samples.append((row, sizing_sample(row, models, servers)))
    return samples


def catalog_models():
    """The shipped catalog's models and servers."""
    catalogs = sizing.load_catalogs(str(HERE.parent / "models.json"),
                                    str(HERE.parent / "servers.json"),
                                    str(HERE.parent / "storage.json"))
    return {m.name: m for m in catalogs.models}, {s.name: s for s in catalogs.servers}


def bench_limits(requests, input_tokens, output_tokens):
    """trtllm-bench's max_batch_size and max_num_tokens for a run whose KV cache holds
    `requests` requests of input + output tokens (tensorrt_llm/bench/build/tuning.py
    finetune_setting, one pipeline stage): the requests, at most 4,096, rounded up to 32 below
    256 (at least 64), to 128 below 1,024, else to 256; tokens the requests x (1 + input /
    output), at most 32,768, rounded up to 256 below 4,096 (at least 2,048), to 512 below
    8,192, else to 1,024.

    >>> bench_limits(1181.3, 1000, 1000)     # 1,181.3 -> 1,280; 2,362.6 -> 2,560
    (1280, 2560)
    >>> bench_limits(40, 20000, 2000), bench_limits(9000, 128, 128)
    ((64, 2048), (4096, 8192))
    """
    raw_batch = min(requests, 4096)
    raw_tokens = min(raw_batch * (1 + input_tokens / output_tokens), 32768)
    if raw_batch < 256:
        batch = max(64, 32 * math.ceil(raw_batch / 32))
    else:
        step = 128 if raw_batch < 1024 else 256
        batch = step * math.ceil(raw_batch / step)
    if raw_tokens < 4096:
        tokens = max(2048, 256 * math.ceil(raw_tokens / 256))
    else:
        step = 512 if raw_tokens < 8192 else 1024
        tokens = step * math.ceil(raw_tokens / step)
    return batch, tokens


def load_throughput(path=OVERVIEW):
    """TensorRT-LLM's published maximum throughput, each run as (row, replica), the replica
    sized as trtllm-bench runs it: its KV fraction 0.95, its batch limits for the KV cache the
    engine view predicts at input + output tokens, FP8 KV (ModelOpt checkpoints), tensor
    parallelism as the table states (MoE models too)."""
    models, servers = catalog_models()
    samples = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            model, server = models[row["model"]], servers[row["server"]]
            tp, precision = int(row["tensor_parallel"]), row["weight_precision"]
            prompt, output = int(row["input_tokens"]), int(row["output_tokens"])
            settings = sizing.EngineSettings(
                engine="trtllm", tensor_parallel=tp, free_gpu_memory_fraction=0.95,
                weight_precision=None if precision == model.weight_precision else precision)
            full = sizing.engine_capacity_at(model, server, prompt + output, "fp8", settings,
                                             tp, False)
            batch, tokens = bench_limits(full.max_concurrency, prompt, output)
            settings = settings._replace(max_running_requests=batch,
                                         max_num_batched_tokens=tokens)
            engine = sizing.engine_capacity_at(model, server, prompt + output, "fp8", settings,
                                               tp, False)
            samples.append((row, sizing.replica_costs(
                model, server, engine, "fp8", settings, False,
                sizing.held_context((prompt, output, 0), settings))))
    return samples


def throughput_ratios(samples, constants):
    """Predicted over published output tokens per second: the replica full (its KV pool or
    its batch limit), as an offline benchmark keeps it."""
    ratios = []
    for row, replica in samples:
        point = sizing.perf_point(replica, constants, max(1, replica.capacity),
                                  int(row["input_tokens"]), int(row["output_tokens"]))
        ratios.append(point.output_tokens_per_second_per_replica
                      / float(row["output_tokens_per_second"]))
    return ratios


def full_load_bands(samples, ratios, bounds=(256, 512, 1024, 2048, None)):
    """The ratios of throughput_ratios by the sessions a full replica holds: for each range up
    to a bound (None: any more), (bound, geometric mean, median absolute error, runs), as
    sizing.FULL_LOAD_CHECK keeps those beyond sizing.MEASURED_SESSIONS_PER_REPLICA."""
    bands, low = [], 0
    for bound in bounds:
        mine = [ratio for (_, replica), ratio in zip(samples, ratios)
                if low < max(1, replica.capacity) and (bound is None
                                                       or max(1, replica.capacity) <= bound)]
        bands.append((bound, math.exp(statistics.mean(math.log(r) for r in mine)),
                      band([abs(r - 1) for r in mine])[0], len(mine)))
        low = bound
    return bands


def load_batch_one(path=GPT_FAST):
    """gpt-fast's batch-1 decode on 8x A100 (gpt_fast_a100.csv, not fitted), each run as
    (row, replica): Llama 2, whose configs llama2_models.json carries, with the shared step
    constants (the engine only sets TTFT constants and the KV pool, which one request leaves
    idle)."""
    models = {m.name: m for m in sizing.load_catalogs(
        str(GPT_FAST.parent / "llama2_models.json"), str(HERE.parent / "servers.json"),
        str(HERE.parent / "storage.json")).models}
    _, servers = catalog_models()
    with open(path, encoding="utf-8") as handle:
        return [(row, sizing_sample({**row, "engine": "vllm", "concurrency": "1",
                                     "ttft_ms": "0"}, models, servers)[0])
                for row in csv.DictReader(handle)]


def batch_one_ratios(samples, constants):
    """Predicted over measured TPOT of each batch-1 run."""
    return [sizing.perf_point(replica, constants, 1, int(row["input_tokens"]),
                              int(row["output_tokens"])).tpot_ms / float(row["tpot_ms"])
            for row, replica in samples]


def load_forward_passes(path=FORWARD_PASSES, model_name="qwen3-32b"):
    """vLLM 0.20.1's forward passes of a model in bf16 on B300 (fpm_qwen3_32b_b300.csv,
    fpm_qwen3_6_35b_a3b_b300.csv; not fitted), each as (row, replica): the replica of its TP,
    with a bf16 KV cache as the steps ran (the sessions' 4,104 tokens size its pool, not its
    step time)."""
    models, servers = catalog_models()
    model, server = models[model_name], servers["dgx-b300"]
    replicas = {}
    samples = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tp = int(row["tensor_parallel"])
            if tp not in replicas:
                settings = sizing.EngineSettings(engine="vllm", tensor_parallel=tp)
                engine = sizing.engine_capacity_at(model, server, 4104, "bf16", settings, tp,
                                                   False)
                replicas[tp] = sizing.replica_costs(model, server, engine, "bf16", settings,
                                                    False, 4104)
            samples.append((row, replicas[tp]))
    return samples


def forward_pass_ratios(samples, constants):
    """Predicted over measured time of each step (sizing.step_seconds): a prompt step of n
    tokens attends to n / 2 on average, as a prompt's own chunk does (first_token_seconds); a
    decode step reads each session's mean cached tokens."""
    ratios = []
    for row, replica in samples:
        prompt = int(row["ctx_tokens"])
        seconds, _ = sizing.step_seconds(replica, constants, int(row["decode_requests"]),
                                         prompt, float(row["mean_decode_kv_tokens"]),
                                         prompt / 2, prompt)
        ratios.append(seconds * 1000 / float(row["latency_ms"]))
    return ratios


def forward_pass_bands(label, passes, ratios):
    """Print each phase's error over the steps, and the median ratio at each TP."""
    for phase in ("context", "decode"):
        mine = [(row, r) for (row, _), r in zip(passes, ratios) if row["phase"] == phase]
        median, p90 = band([abs(r - 1) for _, r in mine])
        print(f"vLLM 0.20.1 forward passes of {label} on B300 (not fitted), {phase} steps: "
              f"median {median:.3f} p90 {p90:.3f} ({len(mine)} steps)")
        for tp in sorted({int(row["tensor_parallel"]) for row, _ in mine}):
            at = sorted(r for row, r in mine if int(row["tensor_parallel"]) == tp)
            print(f"  TP {tp}: model / measured median {statistics.median(at):.2f} "
                  f"({at[0]:.2f}-{at[-1]:.2f}, {len(at)} steps)")


def load_dp_attention():
    """The runs with data-parallel attention (dp_attention_runs.csv, not fitted)."""
    return load(HERE / "fixtures" / "perf" / "dp_attention_runs.csv")


def sizing_sample(row, models, servers):
    """The replica a measured run used, and its measurement, as sizing.py models them: its KV
    cache in the precision its recipe set (`kv_precision`, SOURCES.md), each running session
    holding what the engine reserves for it (sizing.held_context). With data-parallel
    attention (a `data_parallel` column above 1) the replica is one attention rank, which
    serves its share of the run's concurrency."""
    model, server = models[row["model"]], servers[row["server"]]
    precision = row["weight_precision"]
    ranks = int(row.get("data_parallel") or 1)
    settings = sizing.EngineSettings(
        engine=row["engine"], tensor_parallel=int(row["tensor_parallel"]),
        data_parallel=ranks, expert_parallel=ranks > 1, dp_attention=ranks > 1,
        weight_precision=None if precision == model.weight_precision else precision)
    bench = sizing.BenchRow(-(-int(row["concurrency"]) // ranks), int(row["input_tokens"]),
                            int(row["output_tokens"]), float(row["ttft_ms"]),
                            float(row["tpot_ms"]))
    context = bench.input_tokens + bench.output_tokens
    kv = row.get("kv_precision") or "bf16"
    engine = sizing.engine_capacity_at(model, server, context, kv, settings,
                                       settings.tensor_parallel, False)
    replica = sizing.replica_costs(model, server, engine, kv, settings,
                                   row.get("expert_parallel") == "1" or ranks > 1,
                                   sizing.held_context((bench.input_tokens,
                                                        bench.output_tokens, 0), settings))
    return replica, bench


def speculative(row):
    """Whether a run served with speculative decoding (the `speculative` column, SOURCES.md):
    its TPOT counts the tokens a step's drafts add, which the model does not time, so it is
    left out of the step constants' fit and of every TPOT error; its TTFT counts as any."""
    return bool(row.get("speculative"))


def errors(samples, constants_for, target):
    out = []
    for row, (replica, bench) in samples:
        if target == "tpot" and speculative(row):
            continue
        c = constants_for(row)
        p = sizing.perf_point(replica, c, bench.concurrency, bench.input_tokens,
                              bench.output_tokens)
        predicted, measured = (p.tpot_ms, bench.tpot_ms) if target == "tpot" else \
            (p.ttft_ms, bench.ttft_ms)
        out.append(abs(predicted / measured - 1))
    return out


def band(values):
    values = sorted(values)
    return statistics.median(values), values[int(0.9 * (len(values) - 1))]


START = sizing.PerfConstants(
    bandwidth_efficiency=0.8, expert_efficiency=0.6, compute_efficiency=0.6,
    expert_compute_efficiency=0.6, kernel_overhead_s=4e-6, session_overhead_s=20e-6,
    step_overhead_s=0.0, allreduce_latency_s=10e-6, ttft_fixed_s=0.0, ttft_prefill_ratio=1.0,
    ttft_wait_steps=5.0, ttft_load_ratio=1.0)      # the load is held, not fitted (fit)


def three_figures(c):
    """The constants as sizing.py ships them: three significant figures."""
    return c._replace(**{k: float(f"{v:.3g}") for k, v in c._asdict().items()
                         if isinstance(v, float)})


def fit(samples):
    """Fit the shared step constants to TPOT (runs without speculative decoding), then each
    engine's TTFT constants (all its runs); rounded to three significant figures (the errors
    below are those of the rounded constants)."""
    step = three_figures(sizing.fit_constants([s for row, s in samples if not speculative(row)],
                                              START, sizing.STEP_FIT, "tpot"))
    per_engine = {}
    for engine in sizing.ENGINES:
        mine = [s for row, s in samples if row["engine"] == engine]
        shipped = sizing.ENGINE_PERF[engine]      # what is held, not fitted (TTFT_FITTED)
        base = step._replace(prompt_scheduling=shipped.prompt_scheduling, ttft_fixed_s=0.0,
                             ttft_load_ratio=shipped.ttft_load_ratio)
        per_engine[engine] = three_figures(
            sizing.fit_constants(mine, base, sizing.TTFT_FITTED, "ttft")) if mine else base
    return per_engine


def fit_ttft_by(train, samples, group):
    """Each group's TTFT constants (group(row) its key, the engine first), fitted on `train`
    as fit() fits each engine's, on the shipped step constants (held); a group with no run in
    `train` keeps its engine's shipped ones. For every group among `samples`."""
    fitted = {}
    for key in sorted({group(row) for row, _ in samples}):
        mine = [s for row, s in train if group(row) == key]
        shipped = sizing.ENGINE_PERF[key[0]]._replace(ttft_fixed_s=0.0)
        fitted[key] = three_figures(sizing.fit_constants(mine, shipped, sizing.TTFT_FITTED,
                                                         "ttft")) if mine else shipped
    return fitted


def ttft_by_gpu_family(samples):
    """TTFT constants per engine against per engine and GPU family (the catalog's
    gpu_family: Hopper, Blackwell): the TTFT error on the held-out third, and on each model
    when it is left out of the fit, the step constants held at the shipped ones."""
    servers = catalog_models()[1]
    groups = (("per engine", lambda row: (row["engine"],)),
              ("per engine and GPU family",
               lambda row: (row["engine"], servers[row["server"]].gpu_family)))
    train = [s for s in samples if s[0]["split"] == "train"]
    test = [s for s in samples if s[0]["split"] == "test"]
    for label, group in groups:
        fitted = fit_ttft_by(train, samples, group)
        held = errors(test, lambda row: fitted[group(row)], "ttft")
        unseen = []
        for _, runs, rest in left_out(samples, train,
                                      lambda rest: fit_ttft_by(rest, samples, group)):
            unseen += errors(runs, lambda row: rest[group(row)], "ttft")
        print(f"TTFT constants {label}: test split median {band(held)[0]:.3f} "
              f"p90 {band(held)[1]:.3f}; leave-one-model-out median {band(unseen)[0]:.3f} "
              f"p90 {band(unseen)[1]:.3f}")


def ttft_by_engine_version(samples, smallest=10):
    """The shipped constants' TTFT over the engine version each run records (both tables; the
    `engine_version` column, empty where the export gives none), the models the fit has seen
    apart from the five it has not: the median of model / measured and of the absolute error,
    for each version with `smallest` runs or more (README "Runs of models the fit has not
    seen": the same models' first tokens differ by engine version more than by model)."""
    groups = {}
    for row, (replica, bench) in samples + load(WHEEL):
        p = sizing.perf_point(replica, sizing.ENGINE_PERF[row["engine"]], bench.concurrency,
                              bench.input_tokens, bench.output_tokens)
        seen = "new model" if row["model"] in WHEEL_NEW_MODELS else "seen models"
        key = (row["engine"], row.get("engine_version") or "unrecorded", seen)
        groups.setdefault(key, []).append(p.ttft_ms / bench.ttft_ms)
    for (engine, version, seen), ratios in sorted(groups.items()):
        if len(ratios) >= smallest:
            print(f"{engine} {version}, {seen}: model / measured TTFT median "
                  f"{statistics.median(ratios):.2f}, absolute error median "
                  f"{statistics.median(abs(r - 1) for r in ratios):.3f} ({len(ratios)} runs)")


def calibration_sweeps(samples):
    """What `--calibrate-from-benchmark` gives on runs it did not see: the concurrency sweeps
    of the measured runs (one model, engine, server, precision, KV precision, tensor
    parallelism and prompt and output length; no expert parallelism; one run per
    concurrency), of four runs or more; each run predicted by sizing.calibrate_performance
    fitted on the other runs of its sweep, and by the shipped defaults (fitted on two thirds
    of these runs). Returns {"calibrated"|"defaults": {"tpot"|"ttft": [errors]}}, and the
    number of sweeps."""
    models, servers = catalog_models()
    sweeps, seen = {}, set()
    for row, sample in samples:
        key = tuple(row[k] for k in ("model", "engine", "server", "weight_precision",
                                     "kv_precision", "tensor_parallel", "input_tokens",
                                     "output_tokens"))
        if row["expert_parallel"] == "1" or speculative(row) or (key, row["concurrency"]) in seen:
            continue
        seen.add((key, row["concurrency"]))
        sweeps.setdefault(key, []).append(sample)
    out = {kind: {"tpot": [], "ttft": []} for kind in ("calibrated", "defaults")}
    sweeps = {key: runs for key, runs in sweeps.items() if len(runs) >= 4}
    for key, runs in sweeps.items():
        model, server = models[key[0]], servers[key[2]]
        settings = sizing.EngineSettings(
            engine=key[1], weight_precision=None if key[3] == model.weight_precision else key[3])
        for i, (replica, bench) in enumerate(runs):
            others = tuple(b._replace(tensor_parallel=int(key[5]))
                           for j, (_, b) in enumerate(runs) if j != i)
            fitted = sizing.calibrate_performance(model, server, key[4], settings, others,
                                                  "sweep").constants
            for kind, c in (("calibrated", fitted), ("defaults", sizing.ENGINE_PERF[key[1]])):
                p = sizing.perf_point(replica, c, bench.concurrency, bench.input_tokens,
                                      bench.output_tokens)
                out[kind]["tpot"].append(abs(p.tpot_ms / bench.tpot_ms - 1))
                out[kind]["ttft"].append(abs(p.ttft_ms / bench.ttft_ms - 1))
    return out, len(sweeps)


def left_out(samples, train, fitter=None):
    """Each model in turn: its name, its runs among `samples`, and the constants `fitter`
    (by default fit) gives on the `train` runs of the other models."""
    for name in sorted({row["model"] for row, _ in samples}):
        yield (name, [s for s in samples if s[0]["model"] == name],
               (fitter or fit)([s for s in train if s[0]["model"] != name]))


def wheel_check(pick, path=WHEEL):
    """Print the error of the constants on runs they were not fitted on: the newer export's
    runs (wheel_runs.csv), of the five models no fitted run has and of the fitted ones."""
    wheel = load(path)
    new = [s for s in wheel if s[0]["model"] in WHEEL_NEW_MODELS]
    for label, sub in [("models the fit has not seen", new),
                       ("models the fit has seen",
                        [s for s in wheel if s[0]["model"] not in WHEEL_NEW_MODELS])] + [
            (f"models the fit has not seen, {engine}",
             [s for s in new if s[0]["engine"] == engine]) for engine in sizing.ENGINES] + [
            (name, [s for s in new if s[0]["model"] == name]) for name in WHEEL_NEW_MODELS]:
        tpot, ttft = band(errors(sub, pick, "tpot")), band(errors(sub, pick, "ttft"))
        print(f"newer runs (not fitted), {label}: tpot median {tpot[0]:.3f} p90 {tpot[1]:.3f} "
              f"ttft median {ttft[0]:.3f} p90 {ttft[1]:.3f} ({len(sub)} runs)")


def refit_with_newer_runs(samples):
    """Refit every constant on the train thirds of both tables (measured_runs.csv and
    wheel_runs.csv, the same crc32 rule) and print the test thirds' error, the shipped
    constants' on the same runs, and each of the ten models left out in turn (README "Runs of
    models the fit has not seen")."""
    both = samples + load(WHEEL)
    train = [s for s in both if s[0]["split"] == "train"]
    test = [s for s in both if s[0]["split"] == "test"]
    fitted = fit(train)
    for label, pick in (("refit", lambda row: fitted[row["engine"]]),
                        ("shipped", lambda row: sizing.ENGINE_PERF[row["engine"]])):
        print(f"{label}, test thirds ({len(test)} runs): " + ", ".join(
            f"{target} median {band(errors(test, pick, target))[0]:.3f}"
            for target in ("tpot", "ttft")))
    left = {"tpot": [], "ttft": []}
    for name, held, rest in left_out(both, train):
        for target in left:
            e = errors(held, lambda row: rest[row["engine"]], target)
            left[target] += e
            print(f"  refit, left out {name}: {target} median {band(e)[0]:.3f}", flush=True)
    print(f"refit, each model left out ({len(both)} runs): " + ", ".join(
        f"{target} median {band(e)[0]:.3f}" for target, e in left.items()))


def main():
    samples = load()
    if "--ttft-by-gpu-family" in sys.argv[1:]:
        ttft_by_gpu_family(samples)
        return
    if "--refit-with-newer-runs" in sys.argv[1:]:
        refit_with_newer_runs(samples)
        return
    if "--ttft-by-engine-version" in sys.argv[1:]:
        ttft_by_engine_version(samples)
        return
    train = [s for s in samples if s[0]["split"] == "train"]
    test = [s for s in samples if s[0]["split"] == "test"]
    fitted = fit(train)
    pick = lambda row: fitted[row["engine"]]  # noqa: E731
    for engine, c in fitted.items():
        print(engine, {k: v for k, v in c._asdict().items() if k != "source"})
    for target in ("tpot", "ttft"):
        held = errors(test, pick, target)       # TPOT: the runs without speculative decoding
        print(f"{target} test split: median {band(held)[0]:.3f} p90 {band(held)[1]:.3f} "
              f"({len(held)} runs); train median {band(errors(train, pick, target))[0]:.3f}")
    spec = [(row, sample) for row, sample in samples if speculative(row)]
    if spec:        # what the drafts gave: the model's TPOT over the measured one
        ratios = sorted(sizing.perf_point(r, pick(row), b.concurrency, b.input_tokens,
                                          b.output_tokens).tpot_ms / b.tpot_ms
                        for row, (r, b) in spec)
        print(f"speculative runs ({len(spec)}, not in the TPOT fit): model TPOT / measured "
              f"median {statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})")
    lomo = {"tpot": [], "ttft": []}
    kinds = {kind: {"tpot": [], "ttft": []} for kind in ("dense", "mixture-of-experts")}
    for name, held, rest in left_out(samples, train):
        for target in lomo:
            e = errors(held, lambda row: rest[row["engine"]], target)
            lomo[target] += e
            kinds["mixture-of-experts" if held[0][1][0].experts else "dense"][target] += e
            print(f"  left out {name}: {target} median {band(e)[0]:.3f} p90 {band(e)[1]:.3f}")
    for target, e in lomo.items():
        print(f"{target} leave-one-model-out: median {band(e)[0]:.3f} p90 {band(e)[1]:.3f}")
    for kind, by_target in kinds.items():     # ERROR_BAND's *_unseen_moe_model
        for target, e in by_target.items():
            print(f"{target} leave-one-model-out, {kind} models: median {band(e)[0]:.3f} "
                  f"p90 {band(e)[1]:.3f} ({len(e)} runs)")
    for engine in sizing.ENGINES:     # ENGINE_ERROR_BAND
        sub = [s for s in test if s[0]["engine"] == engine]
        tpot, ttft = band(errors(sub, pick, "tpot")), band(errors(sub, pick, "ttft"))
        print(f"{engine} test split: tpot median {tpot[0]:.3f} p90 {tpot[1]:.3f} "
              f"ttft median {ttft[0]:.3f} p90 {ttft[1]:.3f} ({len(sub)} runs)")
    dp = load_dp_attention()
    for target in ("tpot", "ttft"):
        median, p90 = band(errors(dp, pick, target))
        print(f"data-parallel attention (not fitted) {target}: median {median:.3f} p90 {p90:.3f} "
              f"({len(dp)} runs)")
    wheel_check(pick)
    gb200 = load(GB200)
    for target in ("tpot", "ttft"):
        median, p90 = band(errors(gb200, pick, target))
        print(f"GB200 (not fitted) {target}: median {median:.3f} p90 {p90:.3f} "
              f"({len(gb200)} runs)")
    for row, (replica, bench) in gb200:
        p = sizing.perf_point(replica, pick(row), bench.concurrency, bench.input_tokens,
                              bench.output_tokens)
        print(f"  GB200 {row['model']} TP {row['tensor_parallel']} {bench.input_tokens}/"
              f"{bench.output_tokens} at {bench.concurrency}: TTFT {p.ttft_ms:.0f} ms against "
              f"{bench.ttft_ms:.0f}, TPOT {p.tpot_ms:.1f} ms against {bench.tpot_ms:.1f}")
    for label, sub in (("tensor parallelism only, test split",
                        [s for s in test if s[0]["expert_parallel"] == "0"]),
                       ("expert parallelism, all runs",
                        [s for s in samples if s[0]["expert_parallel"] == "1"])):
        for target in ("tpot", "ttft"):
            median, p90 = band(errors(sub, pick, target))
            print(f"{label} {target}: median {median:.3f} p90 {p90:.3f} ({len(sub)} runs)")
    for label, passes in (
            ("Qwen3-32B", load_forward_passes()),
            ("Qwen3.6-35B-A3B", load_forward_passes(FORWARD_PASSES_MOE, "qwen3.5-35b-a3b"))):
        ratios = forward_pass_ratios(passes, pick({"engine": "vllm"}))
        forward_pass_bands(label, passes, ratios)
    overview = load_throughput()
    for label, sub in [("all", overview)] + [
            (name, [s for s in overview if s[0]["model"] == name])
            for name in sorted({row["model"] for row, _ in overview})]:
        ratios = throughput_ratios(sub, fitted["trtllm"])
        median, p90 = band([abs(r - 1) for r in ratios])
        mean = math.exp(statistics.mean(math.log(r) for r in ratios))
        print(f"TRT-LLM published maximum throughput, {label}: median {median:.3f} "
              f"p90 {p90:.3f} predicted / published {mean:.2f} ({len(sub)} runs)")
    low = 0
    for bound, mean, median, count in full_load_bands(
            overview, throughput_ratios(overview, fitted["trtllm"])):    # FULL_LOAD_CHECK
        size = f"{low + 1}-{bound}" if bound else f"more than {low}"
        print(f"TRT-LLM published maximum throughput, replicas of {size} sessions: "
              f"predicted / published {mean:.2f}, median {median:.3f} ({count} runs)")
        low = bound
    by_kind, count = calibration_sweeps(samples)
    for kind, by_target in by_kind.items():
        print(f"concurrency sweeps ({count}), each run left out, {kind}: " + ", ".join(
            f"{target} median {band(e)[0]:.3f} p90 {band(e)[1]:.3f}"
            for target, e in by_target.items()) + f" ({len(by_target['tpot'])} runs)")
    batch_one = load_batch_one()
    for (row, _), ratio in zip(batch_one, batch_one_ratios(batch_one, fitted["vllm"])):
        print(f"gpt-fast batch 1 on A100 (not fitted), {row['doc_model']} TP "
              f"{row['tensor_parallel']}: TPOT {float(row['tpot_ms']) * ratio:.2f} ms against "
              f"{row['tpot_ms']} ({ratio - 1:+.1%})")


if __name__ == "__main__":
    main()
