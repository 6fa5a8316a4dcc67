"""Bad input of every kind: one line on stderr naming the culprit, nothing on stdout, the right
exit status, and no output file created or changed (issue: trustworthy under any input)."""

import json
import tempfile
import unittest
from pathlib import Path

from tests.helpers import FIXTURES, assert_refused, run_main

SENTINEL = "previous content, must survive\n"
BASE = ["--model", "spec-120b", "--server", "spec-node", "--concurrency", "10",
        "--effective-context", "1000"]


def models(fn):
    return ("models", fn)


def servers(fn):
    return ("servers", fn)


def storage(fn):
    return ("storage", fn)


def field(index, name, value, key="models"):
    def mutate(doc):
        doc[key][index][name] = value
    return mutate


# (label, extra flags, catalog change or raw text, exit status, fragment of the one line)
CASES = [
    # ---- command-line values (exit 2)
    ("concurrency 0", ["--concurrency", "0"], None, 2, "--concurrency: must be a positive"),
    ("concurrency negative", ["--concurrency", "-5"], None, 2, "--concurrency"),
    ("concurrency text", ["--concurrency", "abc"], None, 2, "--concurrency: must be a positive"),
    ("concurrency fraction", ["--concurrency", "1.5"], None, 2, "--concurrency"),
    ("concurrency huge", ["--concurrency", "2000000000"], None, 2, "up to 1,000,000,000"),
    ("concurrency nan", ["--concurrency", "nan"], None, 2, "--concurrency"),
    ("rate huge", ["--requests-per-second", "1e10"], None, 2,
     "--requests-per-second: must be at most 1,000,000,000"),
    ("rate list with text", ["--requests-per-second", "1,x"], None, 2,
     "--requests-per-second: must be a number"),
    ("rate and concurrency", ["--requests-per-second", "5"], None, 2,
     "give --concurrency or --requests-per-second, not both"),
    ("tpot huge", ["--tpot-ms", "2e9"], None, 2, "--tpot-ms: must be at most 1,000,000,000"),
    ("context 0", ["--effective-context", "0"], None, 2, "--effective-context"),
    ("context negative", ["--effective-context", "-1"], None, 2, "--effective-context"),
    # a session's context holds its request: one prompt token and one generated at least
    ("context 1", ["--effective-context", "1"], None, 2,
     "--effective-context: must be at least 2 tokens"),
    ("context suffix", ["--effective-context", "128x"], None, 2, "such as 131072 or 128k"),
    ("context beyond 2^31", ["--effective-context", "3000000000"], None, 2,
     "at most 2,147,483,648 tokens"),
    ("context fraction", ["--effective-context", "1.5k"], None, 2, "--effective-context"),
    ("context inf", ["--effective-context", "inf"], None, 2, "--effective-context"),
    ("ratio 0", ["--kv-budget-ratio", "0"], None, 2, "--kv-budget-ratio: must be greater"),
    ("ratio above 1", ["--kv-budget-ratio", "1.01"], None, 2, "--kv-budget-ratio"),
    ("ratio nan", ["--kv-budget-ratio", "nan"], None, 2, "must be a finite number"),
    ("ratio inf", ["--kv-budget-ratio", "inf"], None, 2, "must be a finite number"),
    ("ratio negative", ["--kv-budget-ratio", "-0.5"], None, 2, "--kv-budget-ratio"),
    ("headroom negative", ["--peak-headroom-ratio", "-0.1"], None, 2, "between 0 and 10"),
    ("headroom absurd", ["--peak-headroom-ratio", "11"], None, 2, "between 0 and 10"),
    ("headroom nan", ["--peak-headroom-ratio", "nan"], None, 2, "--peak-headroom-ratio"),
    ("overhead negative", ["--runtime-overhead-gib", "-1"], None, 2, "must be 0 or more"),
    ("overhead inf", ["--runtime-overhead-gib", "inf"], None, 2, "--runtime-overhead-gib"),
    ("overhead text", ["--runtime-overhead-gib", "abc"], None, 2, "must be a number"),
    ("kv precision", ["--kv-precision", "fp4"], None, 2, "--kv-precision: invalid choice"),
    ("ha mode", ["--ha-mode", "n+3"], None, 2, "--ha-mode: invalid choice"),
    ("unknown model", ["--model", "gpt-5"], None, 2, "unknown model 'gpt-5'"),
    ("unknown server", ["--server", "dgx-z9"], None, 2, "unknown server 'dgx-z9'"),
    ("unknown storage", ["--storage", "tape"], None, 2, "unknown storage profile 'tape'"),
    ("format", ["--format", "xml"], None, 2, "--format: invalid choice"),
    ("language", ["--lang", "fr"], None, 2, "--lang: invalid choice"),
    ("tp 0", ["--tensor-parallel", "0"], None, 2, "--tensor-parallel: must be from 1"),
    ("tp huge", ["--tensor-parallel", "2048"], None, 2, "--tensor-parallel: must be from 1"),
    ("tp splits no heads", ["--tensor-parallel", "3"], None, 2,
     "3 GPUs per replica do not split the model's 8 KV heads evenly"),
    ("tp not whole nodes", ["--tensor-parallel", "12"], None, 2,
     "not a whole number of nodes"),
    ("utilization 0", ["--gpu-memory-utilization", "0"], None, 2, "--gpu-memory-utilization"),
    ("sglang knob on vllm", ["--mem-fraction-static", "0.8"], None, 2,
     "--mem-fraction-static applies to --engine sglang"),
    ("trtllm knob on sglang", ["--engine", "sglang", "--free-gpu-memory-fraction", "0.9"],
     None, 2, "--free-gpu-memory-fraction applies to --engine trtllm"),
    ("activation negative", ["--activation-gib", "-1"], None, 2, "--activation-gib"),
    ("activation absurd", ["--activation-gib", "1e7"], None, 2, "at most 1,000,000 GiB"),
    ("kv memory 0", ["--kv-cache-memory-gib", "0"], None, 2, "--kv-cache-memory-gib"),
    ("block 0", ["--block-size", "0"], None, 2, "--block-size: must be from 1"),
    ("batched 0", ["--max-num-batched-tokens", "0"], None, 2, "--max-num-batched-tokens"),
    ("gpu memory 0", ["--gpu-memory-gib", "0"], None, 2, "--gpu-memory-gib"),
    ("weight precision", ["--weight-precision", "q4"], None, 2, "--weight-precision"),
    ("memory model", ["--memory-model", "paged"], None, 2, "--memory-model: invalid choice"),
    ("engine", ["--engine", "tgi"], None, 2, "--engine: invalid choice"),
    ("executive to nowhere", ["--executive-report", "--format", "json"], "no-markdown", 2,
     "prints no report"),
    ("kv memory with reserve", ["--kv-cache-memory-gib", "5", "--runtime-reserve-gib", "1"],
     None, 2, "--runtime-reserve-gib has no effect with --kv-cache-memory-gib"),
    ("no sequences", ["--max-num-seqs", "0"], None, 2, "--max-num-seqs"),
    ("list with model", ["--list", "models"], None, 2, "--list cannot be combined with --model"),
    ("name without import", ["--name", "x"], None, 2, "--name needs --import-hf-config"),
    ("validate with model", ["--validate-catalogs"], None, 2,
     "--validate-catalogs cannot be combined with --model"),
    ("same output file", ["--output-markdown-file", "@out.json"], None, 2,
     "name the same file"),
    ("missing concurrency", "drop --concurrency", None, 2, "missing --concurrency"),
    # ---- output files (exit 1)
    ("json into a missing folder", ["--output-json-file", "@nofolder/out.json"], None, 1,
     "does not exist"),
    ("markdown onto a directory", ["--output-markdown-file", "@"], None, 1,
     "is a directory"),
    # ---- catalog entries (exit 1)
    ("layers 0", [], models(field(0, "num_layers", 0)), 1,
     "model 'spec-120b': num_layers must be a positive integer (got 0)"),
    ("head_dim as text", [], models(field(0, "head_dim", "128")), 1,
     "head_dim must be a positive integer (got '128')"),
    ("window 0", [], models(field(0, "sliding_window", 0)), 1,
     "sliding_window must be a positive integer (got 0)"),
    ("typo field", [], models(field(0, "num_layer", 36)), 1,
     "num_layer is not a known field (did you mean 'num_layers'?)"),
    ("kv heads do not divide", [], models(field(0, "num_attention_heads", 63)), 1,
     "num_key_value_heads must divide num_attention_heads (63 / 8)"),
    ("window covers the context", [], models(field(2, "sliding_window", 1000)), 1,
     "model 'tiny-sliding': sliding_window (1000) covers the whole context"),
    ("groups do not add up", [], models(
        lambda d: d["models"][4]["layer_groups"][0].__setitem__("layers", 5)), 1,
     "layer_groups layers must add up to num_layers"),
    ("unknown kv precision", [], models(field(0, "default_kv_precision", "fp4")), 1,
     "default_kv_precision must be one of"),
    ("NaN", [], ("models", '{"models": [{"name": "x", "num_layers": NaN}]}'), 1,
     "NaN is not valid JSON"),
    ("duplicate key", [], ("models", '{"models": [{"name": "a", "name": "b"}]}'), 1,
     "duplicate key 'name'"),
    ("alias collision", [], models(field(1, "aliases", ["spec-alias"])), 1,
     "name or alias 'spec-alias' is already used by model 'spec-120b'"),
    ("hbm total", [], servers(field(0, "total_hbm_gb", 2000, "servers")), 1,
     "total_hbm_gb must equal gpus x hbm_per_gpu_gb"),
    ("gpus 0", [], servers(field(0, "gpus", 0, "servers")), 1,
     "gpus must be a positive integer (got 0)"),
    ("cuda memory absurd", [], servers(field(0, "gpu_memory_gib", 400, "servers")), 1,
     "gpu_memory_gib must not exceed hbm_per_gpu_gb by more than 10%"),
    ("throughput 0", [], storage(field(0, "read_throughput_gb_per_s", 0, "profiles")), 1,
     "read_throughput_gb_per_s must be a positive number (got 0)"),
    ("default profile", [], storage(lambda d: d.__setitem__("default_profile", "x")), 1,
     "default_profile must name one of the profiles"),
    ("storage typo", [], storage(field(0, "read_iop", 5, "profiles")), 1,
     "read_iop is not a known field (did you mean 'read_iops'?)"),
    ("models file missing", [], ("models", None), 1, "models.json: file not found"),
    ("models file broken", [], ("models", '{"models": ['), 1, "invalid JSON at line 1"),
    ("measured source alone", [], models(field(0, "measured_weights_source", "log")), 1,
     "measured_weights_source is set but measured_weights_gib is not"),
    ("hosts that do not divide the GPUs", [],
     servers(lambda d: d["servers"][0].update(gpus_per_host=3)), 1,
     "server 'spec-node': gpus_per_host must divide gpus"),
    # TensorRT-LLM is NVIDIA's: on an AMD GPU family it is refused, named with the server
    ("TensorRT-LLM on AMD", ["--engine", "trtllm"],
     servers(lambda d: d["servers"][0].update(gpu_family="cdna3", gpu_model="MI300X")), 2,
     "servers.json: server 'spec-node' has AMD MI300X (gpu_family cdna3)"),
    # and runs FP8 from Ada on, FP4 on Blackwell only (its support matrix): said with the
    # format, the server and a way out
    ("TensorRT-LLM FP8 weights on Ampere", ["--engine", "trtllm", "--weight-precision", "fp8"],
     servers(lambda d: d["servers"][0].update(gpu_family="ampere", gpu_model="A100")), 2,
     "TensorRT-LLM runs fp8 weights on Ada, Hopper and Blackwell GPUs only (its support "
     "matrix)"),
    ("TensorRT-LLM FP8 KV on Ampere", ["--engine", "trtllm", "--kv-precision", "fp8"],
     servers(lambda d: d["servers"][0].update(gpu_family="ampere", gpu_model="A100")), 2,
     "has NVIDIA A100 (gpu_family ampere); size with --kv-precision bf16 or another engine"),
    ("TensorRT-LLM NVFP4 on Hopper", ["--engine", "trtllm", "--weight-precision", "nvfp4"],
     servers(lambda d: d["servers"][0].update(gpu_family="hopper", gpu_model="H100")), 2,
     "TensorRT-LLM runs nvfp4 weights on Blackwell GPUs only"),
    ("TensorRT-LLM log on AMD", ["--calibrate-from-log",
                                 str(FIXTURES / "logs" / "trtllm-1.1-gpt-oss-120b-dgx-spark.log")],
     servers(lambda d: d["servers"][0].update(gpu_family="cdna3", gpu_model="MI300X")), 2,
     "TensorRT-LLM runs on NVIDIA GPUs only"),
    ("embedding above total", [], models(field(1, "embedding_params", 10**12)), 1,
     "embedding_params must not exceed total_params_billion"),
    ("dense MLPs of a dense model", [], models(field(1, "dense_mlp_params", 1000)), 1,
     "dense_mlp_params is set but the model has no num_experts"),
    ("dense MLPs above total", [], models(
        lambda d: d["models"][7].update(dense_mlp_params=10**15)), 1,
     "model 'perf-moe': dense_mlp_params must not exceed total_params_billion"),
    ("state precision", [], models(
        lambda d: d["models"][4]["layer_groups"][4].__setitem__("state_precision", "fp8")), 1,
     "layer_groups[4].state_precision must be one of fp32, bf16, fp16"),
    ("layer group not an object", [], models(
        lambda d: d["models"][4]["layer_groups"].__setitem__(0, 1)), 1,
     "layer_groups[0] must be a JSON object (got 1)"),
    ("more groups than layers", [], models(field(4, "num_layers", 3)), 1,
     "layer_groups has 6 groups for 3 layers"),
    ("full layers on a sliding model", [], models(field(2, "full_attention_layers", 2)), 1,
     "full_attention_layers must be absent when attention_pattern is 'sliding'"),
    ("rope switch without rope", [], models(field(1, "rope_scaling_enabled", True)), 1,
     "rope_scaling_enabled is set but rope_scaling is not"),
    ("rope without factor", [], models(field(1, "rope_scaling", "yarn")), 1,
     "model 'tiny-full': rope_scaling must be TYPE:FACTOR"),
    ("rope switch not boolean", [], models(
        lambda d: d["models"][1].update(rope_scaling="yarn:4", rope_scaling_enabled="yes")), 1,
     "rope_scaling_enabled must be true or false (got 'yes')"),
    ("experts without count", [], models(lambda d: d["models"][7].pop("num_experts")), 1,
     "model 'perf-moe': num_experts is missing (num_experts and experts_per_token go "
     "together)"),
    ("more active experts than experts", [], models(field(7, "experts_per_token", 65)), 1,
     "experts_per_token must not exceed num_experts (65 > 64)"),
    ("mtp weights without mtp layers", [], models(field(7, "mtp_params", 1000)), 1,
     "model 'perf-moe': mtp_params is set but mtp_layers is not"),
    ("mtp experts without mtp weights", [], models(
        lambda d: d["models"][7].update(mtp_layers=1, mtp_expert_params=5)), 1,
     "model 'perf-moe': mtp_expert_params is set but mtp_params is not"),
    ("mtp experts above mtp weights", [], models(
        lambda d: d["models"][7].update(mtp_layers=1, mtp_params=1000, mtp_expert_params=1001)),
     1, "mtp_expert_params must not exceed mtp_params (1,001 > 1,000)"),
    ("mtp experts on a dense model", [], models(
        lambda d: d["models"][1].update(mtp_layers=1, mtp_params=1000, mtp_expert_params=10)),
     1, "model 'tiny-full': mtp_expert_params is set but the model has no num_experts"),
    ("mtp draft of unknown weights", ["--model", "perf-moe", "--speculative", "mtp"], models(
        field(7, "mtp_layers", 1)), 2,
     "--speculative mtp: model 'perf-moe' has no mtp_params (the parameters its MTP layers "
     "load)"),
    ("cuda memory source alone", [], servers(
        lambda d: d["servers"][2].pop("gpu_memory_gib")), 1,
     "server 'perf-h100': gpu_memory_source is set but gpu_memory_gib is not"),
    ("speeds without source", [], servers(lambda d: d["servers"][2].pop("perf_source")), 1,
     "server 'perf-h100': perf_source is missing"),
    ("power without source", [], servers(field(0, "system_power_kw", 10, "servers")), 1,
     "server 'spec-node': power_source is missing"),
    ("models file is a directory", ["--models-file", "@"], None, 1,
     "is a directory, not a file"),
    ("models file not UTF-8", [], ("models", b'{"models": [\xff]}'), 1,
     "is not UTF-8 text (byte 12)"),
    # ---- growth plans, money, modes (exit 2)
    ("101 periods", ["--concurrency", ",".join(["10"] * 101)], None, 2,
     "--concurrency: takes at most 100 values (got 101)"),
    ("period labels repeat", ["--concurrency", "10,20", "--periods", "Q1,Q1"], None, 2,
     "--periods: labels repeat"),
    ("period label too long", ["--concurrency", "10,20", "--periods", "Q1," + "x" * 25],
     None, 2, "--periods: labels are 1 to 24 printable characters"),
    ("currency code", ["--currency", "EURO"], None, 2,
     "--currency: must be a three-letter currency code"),
    ("solve with executive report", ["--solve", "max-concurrency", "--nodes", "3",
                                     "--executive-report"], None, 2,
     "--solve prints its own table: drop --executive-report"),
    ("growth plan calibrated from a log", ["--concurrency", "10,20", "--calibrate-from-log",
                                           "@engine.log"], None, 2,
     "--calibrate-from-log calibrates one sizing, not a growth plan"),
]


class BadInputTableTest(unittest.TestCase):
    def test_at_least_sixty_distinct_cases(self):
        self.assertGreaterEqual(len(CASES), 60)
        self.assertEqual(len({label for label, *_ in CASES}), len(CASES))

    def test_each_bad_input(self):
        for label, extra, change, status, fragment in CASES:
            with self.subTest(label), tempfile.TemporaryDirectory() as tmp:
                tmp = Path(tmp)
                files = {}
                for kind in ("models", "servers", "storage"):
                    text = (FIXTURES / f"{kind}.json").read_text(encoding="utf-8")
                    if change is not None and change != "no-markdown" and change[0] == kind:
                        if callable(change[1]):
                            doc = json.loads(text)
                            change[1](doc)
                            text = json.dumps(doc)
                        else:
                            text = change[1]
                    files[kind] = tmp / f"{kind}.json"
                    if isinstance(text, bytes):
                        files[kind].write_bytes(text)
                    elif text is not None:
                        files[kind].write_text(text, encoding="utf-8")
                out_json, out_md = tmp / "out.json", tmp / "out.md"
                out_json.write_text(SENTINEL)
                out_md.write_text(SENTINEL)
                argv = ["--models-file", str(files["models"]),
                        "--servers-file", str(files["servers"]),
                        "--storage-file", str(files["storage"])]
                base = list(BASE)
                if extra == "drop --concurrency":
                    del base[4:6]
                    extra = []
                argv += base + ["--output-json-file", str(out_json)]
                if change != "no-markdown":
                    argv += ["--output-markdown-file", str(out_md)]
                argv += [str(tmp / a[1:]) if a.startswith("@") else a for a in extra]
                before = sorted(p.name for p in tmp.rglob("*"))
                code, out, err = run_main(argv)
                self.assertEqual(code, status, err)
                self.assertEqual(out, "")
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertIn(fragment, err)
                self.assertEqual(out_json.read_text(), SENTINEL)
                self.assertEqual(out_md.read_text(), SENTINEL)
                self.assertEqual(sorted(p.name for p in tmp.rglob("*")), before)


class IgnoredFlagTest(unittest.TestCase):
    """A mode that exits before sizing (validate, import, list, diff) refuses a flag only a
    sizing reads, one from each of those groups, instead of ignoring it silently."""

    MODES = (["--validate-catalogs"], ["--import-hf-config", "c.json"], ["--list", "models"],
             ["--diff", "old.json", "new.json"])
    SIZING_ONLY = (["--kv-precision", "fp8"], ["--tpot-ms", "30"], ["--ha-mode", "n+2"],
                   ["--engine", "sglang"], ["--calibrate-from-benchmark", "b.csv"],
                   ["--node-price-usd", "1000"], ["--current-nodes", "3"])

    def test_each_mode_refuses_each_group(self):
        for mode in self.MODES:
            for flag in self.SIZING_ONLY:
                with self.subTest(mode=mode[0], flag=flag[0]):
                    code, out, err = run_main(mode + flag)
                    self.assertEqual((code, out), (2, ""), err)
                    self.assertIn(flag[0], err)
                    self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_the_modes_keep_their_own_flags(self):
        code, out, err = run_main(["--list", "servers", "--servers-file",
                                   str(FIXTURES / "servers.json"), "--lang", "pt-BR"])
        self.assertEqual(code, 0, err)
        self.assertIn("spec-node", out)


class FileRefusalTest(unittest.TestCase):
    """Files a run reads besides the catalogs, each refused in one line naming the file: a
    --diff document sizing.py did not write, a benchmark with no run or with a tensor
    parallelism the model cannot split, a checkpoint index whose total size is not a number of
    bytes; and --diff with the executive report, which it does not print."""

    CATALOGS = ["--models-file", str(FIXTURES / "models.json"),
                "--servers-file", str(FIXTURES / "servers.json"),
                "--storage-file", str(FIXTURES / "storage.json")]
    SIZING = CATALOGS + ["--model", "perf-8b", "--server", "perf-h100", "--concurrency", "10",
                         "--effective-context", "4k"]
    HEADER = "concurrency,input_tokens,output_tokens,mean_ttft_ms,mean_tpot_ms"

    def test_each_file(self):
        config = (FIXTURES / "hf_configs" / "Qwen__Qwen3-30B-A3B.json").read_text("utf-8")
        cases = (
            ("diff of another JSON", {"a.json": '{"x": 1}', "b.json": '{"x": 2}'},
             ["--diff", "a.json", "b.json"], 2,
             "--diff: {tmp}/a.json: not a JSON document of sizing.py (no schema_version)"),
            ("benchmark without a run", {"b.csv": self.HEADER + "\n\n"},
             self.SIZING + ["--calibrate-from-benchmark", "b.csv"], 1,
             "{tmp}/b.csv: holds no measured run"),
            # perf-8b has 8 KV heads: 3 GPUs split them unevenly
            ("benchmark at TP 3", {"b.csv": self.HEADER + ",tp\n4,1000,200,100,10,3\n"},
             self.SIZING + ["--calibrate-from-benchmark", "b.csv"], 1,
             "{tmp}/b.csv: tensor parallelism 3: 3 GPUs per replica do not split the "
             "model's 8 KV heads evenly"),
            ("index size not a number", {
                "config.json": config,
                "model.safetensors.index.json": '{"metadata": {"total_size": "x"}}'},
             ["--import-hf-config", "config.json"], 1,
             "{tmp}/model.safetensors.index.json: metadata.total_size must be a positive "
             "integer (got 'x')"),
        )
        for label, files, argv, status, fragment in cases:
            with self.subTest(label), tempfile.TemporaryDirectory() as tmp:
                for name, text in files.items():
                    (Path(tmp) / name).write_text(text, encoding="utf-8")
                argv = [str(Path(tmp) / a) if a in files else a for a in argv]
                assert_refused(self, argv, fragment.format(tmp=tmp), status)

    def test_diff_prints_no_executive_report(self):
        assert_refused(self, ["--diff", "old.json", "new.json", "--executive-report"],
                       "--diff prints its own table: drop --executive-report")


if __name__ == "__main__":
    unittest.main()
