"""Never destroy a file, never crash (issue 11), class by class, built the adversarial way: an
output that aliases an input, links and odd targets, concurrent catalog edits, wrong JSON
types, odd logs, tiny or huge legal values, unavailable streams, long or multi-line values in
errors, and good input that used to be refused.

Every refused run must exit 1, 2 or 3 with one line on stderr naming the file or flag, nothing
on stdout, no traceback, and no file created, changed or removed (`snapshot` compares a whole
folder: names, bytes, modes, link targets).
"""

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

import sizing
from tests.helpers import FIXTURES, REPO, cli, cli_env, run_main

WORKED = ["--model", "spec-120b", "--server", "spec-node", "--concurrency", "1000",
          "--effective-context", "128k", "--format", "json"]
DSV3 = str(FIXTURES / "hf_configs" / "deepseek-ai__DeepSeek-V3.json")
VLLM_LOG = str(FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log")
SHIPPED = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
           "--effective-context", "128k"]


def snapshot(folder):
    """Every entry below a folder: its kind, mode, bytes or link target."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                found[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as handle:
                    found[path] = ("file", stat.S_IMODE(st.st_mode), handle.read())
            else:
                found[path] = ("dir", stat.S_IMODE(st.st_mode))
    return found


class Sandbox(unittest.TestCase):
    """Each test gets a folder with copies of the fixture catalogs, and runs from it."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        for name in ("models.json", "servers.json", "storage.json"):
            shutil.copy(FIXTURES / name, os.path.join(self.tmp, name))
        self.cwd = os.getcwd()
        os.chdir(self.tmp)
        self.addCleanup(os.chdir, self.cwd)

    def args(self, *extra):
        return ["--models-file", "models.json", "--servers-file", "servers.json",
                "--storage-file", "storage.json", *extra]

    def refused(self, argv, status, fragment):
        """Run in process: refused with one line naming `fragment`, and nothing touched."""
        before = snapshot(self.tmp)
        code, out, err = run_main(argv)
        self.assertEqual((code, out), (status, ""), err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("sizing: error: "), err)
        self.assertIn(fragment, err)
        self.assertEqual(snapshot(self.tmp), before)
        return err


class OutputAliasesInputTest(Sandbox):
    def test_an_output_may_not_be_an_input_of_the_run(self):
        log = os.path.join(self.tmp, "engine.log")
        shutil.copy(VLLM_LOG, log)
        me = os.path.join(self.tmp, "sizing.py")
        shutil.copy(sizing.__file__, me)
        with mock.patch.object(sizing, "__file__", me):
            for flag, path, what in (
                    ("--output-json-file", "models.json", "the models catalog"),
                    ("--output-markdown-file", "servers.json", "the servers catalog"),
                    ("--output-json-file", "./storage.json", "the storage catalog"),
                    ("--output-json-file", "engine.log", "the calibration log"),
                    ("--output-markdown-file", "sizing.py", "sizing.py")):
                with self.subTest(path=path):
                    self.refused(self.args(*WORKED, "--calibrate-from-log", log, flag, path), 2,
                                 f"{flag} {path}: is {what}, an input of this run")

    def test_one_file_spelled_two_ways_is_refused(self):
        os.mkdir("x")
        os.symlink(".", "linked")
        for other in (os.path.join(self.tmp, "r.out"), "x/../r.out", "linked/r.out"):
            with self.subTest(other=other):
                self.refused(self.args(*WORKED, "--output-json-file", "r.out",
                                       "--output-markdown-file", other), 2,
                             "names the same file as --output-json-file")

    def test_an_output_that_is_this_runs_standard_output_file_is_refused(self):
        with open("out.json", "w") as out:
            code = subprocess.run(
                cli(*self.args(*WORKED), "--output-json-file", "out.json"), stdout=out,
                stderr=subprocess.PIPE, text=True, env=cli_env())
        self.assertEqual(code.returncode, 2)
        self.assertIn("is the standard output of this run", code.stderr)


class WriteThroughTest(Sandbox):
    def test_a_link_to_a_shared_catalog_is_written_through(self):
        os.rename("models.json", "shared.json")
        os.symlink("shared.json", "models.json")
        code, out, err = run_main(["--import-hf-config", DSV3, "--name", "dsv3",
                                   "--models-file", "models.json", "--add-to-catalog"])
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.islink("models.json"))
        with open("shared.json", encoding="utf-8") as handle:
            self.assertIn("dsv3", [m["name"] for m in json.load(handle)["models"]])

    def test_links_to_devices_and_devices_are_refused(self):
        os.symlink("/dev/full", "full.json")
        self.refused(self.args(*WORKED, "--output-json-file", "full.json"), 1,
                     "full.json: is not a regular file")
        # a device that is not this process's standard output or error, which are written
        # through by design (a CI that sends the tests' output to /dev/null makes that one so)
        device = next(d for d in ("/dev/null", "/dev/zero") if not any(
            os.path.samestat(os.stat(d), os.fstat(fd)) for fd in (1, 2)))
        self.refused(self.args(*WORKED, "--output-json-file", device), 1,
                     f"{device}: is not a regular file")

    def test_a_read_only_file_is_not_rewritten(self):
        with open("plan.json", "w") as handle:
            handle.write("last quarter")
        os.chmod("plan.json", 0o444)
        self.refused(self.args(*WORKED, "--output-json-file", "plan.json"), 1,
                     "plan.json: is read-only")

    def test_modes_are_what_a_plain_write_gives(self):
        old = os.umask(0o027)
        try:
            code, _, err = run_main(self.args(*WORKED, "--output-json-file", "new.json"))
        finally:
            os.umask(old)
        self.assertEqual(code, 0, err)
        self.assertEqual(stat.S_IMODE(os.stat("new.json").st_mode), 0o640)   # 0666 & ~027
        os.chmod("models.json", 0o664)
        code, _, err = run_main(["--import-hf-config", DSV3, "--name", "dsv3",
                                 "--models-file", "models.json", "--add-to-catalog"])
        self.assertEqual(code, 0, err)
        self.assertEqual(stat.S_IMODE(os.stat("models.json").st_mode), 0o664)

    def test_a_long_valid_name_is_written(self):
        name = "n" * 250 + ".json"      # 255 bytes, the longest name most file systems take
        code, _, err = run_main(self.args(*WORKED, "--output-json-file", name))
        self.assertEqual(code, 0, err)
        self.assertEqual(os.listdir(self.tmp).count(name), 1)


class ConcurrentEditTest(Sandbox):
    def test_eight_concurrent_catalog_edits_all_land(self):
        children = []
        for i in range(8):
            pid = os.fork()
            if pid == 0:                 # child: one edit, then leave without cleanup hooks
                status = 1
                try:
                    with open(os.devnull, "w") as null:
                        sys.stdout = sys.stderr = null
                        status = sizing.main(["--import-hf-config", DSV3, "--name", f"c{i}",
                                              "--models-file", "models.json",
                                              "--add-to-catalog"])
                finally:
                    os._exit(status)
            children.append(pid)
        statuses = [os.waitpid(pid, 0)[1] for pid in children]
        self.assertEqual(statuses, [0] * 8)
        with open("models.json", encoding="utf-8") as handle:
            names = {m["name"] for m in json.load(handle)["models"]}
        self.assertTrue({f"c{i}" for i in range(8)} <= names)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.endswith(".tmp")], [])

    def test_a_stop_between_staging_and_renaming_leaves_no_temporary_file(self):
        out = sizing.plan_output("--output-json-file", "plan.json", "{}", [], [])
        with self.assertRaises(SystemExit):
            with sizing.OutputFiles([out]) as files:
                files.stage()
                self.assertEqual(len([n for n in os.listdir() if n.endswith(".tmp")]), 1)
                os.kill(os.getpid(), signal.SIGTERM)
        self.assertEqual(os.listdir(self.tmp).count("plan.json"), 0)
        self.assertEqual([n for n in os.listdir() if n.endswith(".tmp")], [])

    def test_files_and_their_folder_are_synced(self):
        with mock.patch.object(sizing.os, "fsync", wraps=os.fsync) as synced:
            code, _, _ = run_main(self.args(*WORKED, "--output-json-file", "plan.json"))
        self.assertEqual(code, 0)
        self.assertGreaterEqual(synced.call_count, 2)      # the file, then its folder


class WrongTypeTest(Sandbox):
    def write(self, name, document):
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(document if isinstance(document, str) else json.dumps(document))

    def config(self, **changes):
        with open(FIXTURES / "hf_configs" / "Qwen__Qwen3-30B-A3B.json", encoding="utf-8") as h:
            raw = json.load(h)
        raw.update(changes)
        self.write("config.json", raw)
        return ["--import-hf-config", "config.json"]

    def test_a_wrong_json_type_in_a_config_is_one_line(self):
        for field, value, fragment in (
                ("model_type", ["qwen3_moe"], "model_type ['qwen3_moe'] is not supported"),
                ("torch_dtype", {"a": 1}, "torch_dtype is {'a': 1}, a dtype"),
                ("mlp_only_layers", 3, "mlp_only_layers must be a list (got 3)"),
                ("mlp_only_layers", "abc", "mlp_only_layers must be a list"),
                ("mlp_only_layers", ["a"], "mlp_only_layers must be a list of layer indices"),
                ("tie_word_embeddings", "no", "tie_word_embeddings must be true or false"),
                ("num_hidden_layers", 10**9, "num_hidden_layers must be a positive integer up "
                                             "to 10,000")):
            with self.subTest(field=field, value=value):
                self.refused(self.config(**{field: value}), 1, fragment)
        self.refused(self.config(text_config={"model_type": ["x"]}), 1,
                     "text_config.model_type ['x'] is not supported")

    def test_a_wrong_json_type_in_a_catalog_is_one_line(self):
        with open("models.json", encoding="utf-8") as handle:
            document = json.load(handle)
        layered = next(m for m in document["models"] if m["attention_pattern"] == "layers")
        layered["layer_groups"][0]["kind"] = ["mla"]
        self.write("models.json", document)
        self.refused(self.args("--list", "models"), 1, "layer_groups[0].kind must be one of")

    def test_other_entries_with_bad_aliases_during_an_edit(self):
        with open("models.json", encoding="utf-8") as handle:
            document = json.load(handle)
        for bad in (5, None):
            document["models"][0]["aliases"] = bad
            self.write("models.json", document)
            with self.subTest(aliases=bad):
                self.refused(["--import-hf-config", DSV3, "--name", "x", "--models-file",
                              "models.json", "--add-to-catalog"], 1,
                             "aliases must be a list of non-empty strings")

    def test_deep_nesting_huge_numbers_and_lone_surrogates(self):
        for text, fragment in (("[" * 100_000, "nested more than 64 levels deep"),
                               ('{"models": [], "x": 1e400}', "number '1e400' is out of range"),
                               ('{"models": [{"name": "\\ud800"}]}', "holds a lone surrogate")):
            with self.subTest(text=text[:20]):
                self.write("models.json", text)
                err = self.refused(self.args("--list", "models"), 1, fragment)
                self.assertIn("models.json: invalid JSON: ", err)


class LogTest(Sandbox):
    BASE = ["--model", "tiny-full", "--server", "unit", "--concurrency", "10",
            "--effective-context", "1000", "--runtime-overhead-gib", "0", "--format", "json",
            "--memory-model", "pooled"]       # a 30 B model holds no engine pool on 1 GiB

    def calibrate(self, *lines):
        with open("engine.log", "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return self.args(*self.BASE, "--calibrate-from-log", "engine.log")

    def test_what_cannot_be_read_exactly_is_refused_naming_the_line(self):
        kv = "Available KV cache memory: 0.5 GiB"
        sgl = "KV Cache is allocated. #tokens: 100, K size: 0.1 GB, V size: 0.1 GB"
        for lines, fragment in (
                (["Model loading took 1.2.3 GiB"], "line 1: weights_gib: cannot read '1.2.3'"),
                (["Model loading took . GiB"], "line 1: weights_gib: cannot read '.'"),
                (["Model loading took " + "9" * 5000 + " GiB"], "line 1: weights_gib: cannot"),
                ([kv, "tensor_parallel_size=0"], "line 2: tensor_parallel '0' is out of range"),
                ([kv, "tensor_parallel_size=0.9"], "line 2: tensor_parallel: cannot read"),
                ([sgl, "tp_size=0"], "line 2: tensor_parallel '0' is out of range"),
                ([kv, "max_seq_len=0"], "line 2: max_model_len '0' is out of range"),
                ([sgl, "context_len=0"], "line 2: max_model_len '0' is out of range"),
                (["Available KV cache memory: 1e-320 GiB"], "line 1: kv_memory_gib '1e-320' "
                                                            "is out of range")):
            with self.subTest(lines=lines[-1][:40]):
                self.refused(self.calibrate(*lines), 1, f"engine.log: {fragment}")

    def test_an_exponent_is_read_as_the_number_it_is(self):
        code, out, err = run_main(self.calibrate(
            "Model loading took 0.04 GiB", "Available KV cache memory: 0.5 GiB",
            "INFO the model took 4.76e+00 GiB for peak activation"))
        self.assertEqual(code, 0, err)
        self.assertIn("--activation-gib 4.76", json.loads(out)["calibration"]["suggested_flags"])

    def test_long_lines_are_read_in_linear_time(self):
        started = time.perf_counter()
        self.refused(self.calibrate("1" * 100_000, "1" * 40_000 + " x GiB for peak activation"),
                     1, "no vLLM, SGLang or TRT-LLM start-up line found")
        self.assertLess(time.perf_counter() - started, 1.0)

    def test_an_endless_file_is_refused_at_16_mib(self):
        self.refused(self.args(*self.BASE, "--calibrate-from-log", "/dev/zero"), 1,
                     "/dev/zero: is larger than 16 MiB")


class ValueBoundsTest(Sandbox):
    def test_tiny_and_huge_legal_values(self):
        with open("storage.json", encoding="utf-8") as handle:
            document = json.load(handle)
        document["profiles"][0]["read_throughput_gb_per_s"] = 1e-320
        with open("storage.json", "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        self.refused(self.args(*WORKED), 1, "read_throughput_gb_per_s must be at least 1e-09")
        shutil.copy(FIXTURES / "storage.json", "storage.json")
        self.refused(self.args(*WORKED, "--gpu-memory-gib", "1e-10", "--engine", "sglang"), 2,
                     "--gpu-memory-gib: must be at least 1")

    def test_layer_counts_are_bounded_and_labelling_is_linear(self):
        with open("models.json", encoding="utf-8") as handle:
            document = json.load(handle)
        group = {"kind": "mla", "layers": 1, "kv_lora_rank": 512, "qk_rope_head_dim": 64}
        entry = {"name": "many", "description": "d", "hf_repo": "o/m", "source": "s",
                 "num_layers": 10_001, "attention_pattern": "layers",
                 "layer_groups": [group] * 10_001, "max_position_embeddings": 131072,
                 "default_kv_precision": "bf16", "total_params_billion": 1,
                 "active_params_billion": 1, "weight_precision": "bf16", "params_source": "s"}
        document["models"].append(entry)
        with open("models.json", "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document))   # dumps: the C encoder, for 10,001 groups
        self.refused(self.args("--list", "models"), 1, "num_layers must be at most 10,000")
        entry.update(num_layers=250, layer_groups=[group] * 250)
        with open("models.json", "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document))
        code, out, err = run_main(self.args("--model", "many", "--server", "spec-node",
                                            "--concurrency", "1", "--effective-context", "1k",
                                            "--format", "json"))
        self.assertEqual(code, 0, err)
        self.assertEqual(len(json.loads(out)["kv_cache"]["layer_groups"]), 250)
        # labelling 40,000 groups took minutes when it was quadratic
        started = time.perf_counter()
        labels = sizing.group_labels([sizing.LayerGroup("mla", 1, ())] * 40_000)
        self.assertEqual(labels[-1], "mla#40000")
        self.assertLess(time.perf_counter() - started, 0.5)


class ErrorLineTest(Sandbox):
    def test_long_values_are_capped_and_control_characters_escaped(self):
        with open("models.json", encoding="utf-8") as handle:
            document = json.load(handle)
        document["models"][0]["weight_precision"] = "q" * 1_000_000
        with open("models.json", "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        err = self.refused(self.args(*WORKED), 1, "weight_precision must be one of")
        self.assertLess(len(err), 700)
        shutil.copy(FIXTURES / "models.json", "models.json")
        for argv, status in ((self.args(*WORKED, "--model", "m" * 100_000), 2),
                             (self.args(*WORKED, "--concurrency", "9" * 5_000), 2),
                             (self.args(*WORKED, "--models-file", "a\nb\nc"), 1)):
            with self.subTest(argv=argv[-1][:10]):
                self.assertLess(len(self.refused(argv, status, "")), 700)


class GoodInputTest(Sandbox):
    def test_a_tiny_valid_config_imports(self):
        tiny = {"model_type": "llama", "num_hidden_layers": 1, "hidden_size": 8,
                "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 16,
                "vocab_size": 10, "max_position_embeddings": 128, "torch_dtype": "bfloat16"}
        with open("tiny.json", "w", encoding="utf-8") as handle:
            json.dump(tiny, handle)
        code, out, err = run_main(["--import-hf-config", "tiny.json"])
        self.assertEqual(code, 0, err)
        # head_dim 8 / 2 = 4. Embeddings 2 x 10 x 8 = 160 (untied); attention q 8 x 2 x 4 +
        # k, v 8 x 1 x (4 + 4) + o 2 x 4 x 8 = 192; MLP 3 x 8 x 16 = 384; norms 8 x (2 + 1) =
        # 24: 760 parameters, 7.6e-07 billion (it used to round to 0.0 and be refused)
        self.assertEqual(json.loads(out)["total_params_billion"], 7.6e-07)


class StreamTest(unittest.TestCase):
    """Real processes: the streams are the interpreter's."""

    def run_cli(self, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=None,
                **kwargs):
        return subprocess.run(cli(*args), stdout=stdout, stderr=stderr, env=cli_env(env),
                              cwd=REPO, **kwargs)

    def test_closed_or_full_standard_output(self):
        # the three processes run at once (independent; each waited for below)
        cases = ((["--version"], None), (SHIPPED, None), (["--list", "models"], "/dev/full"))
        with contextlib.ExitStack() as stack:
            running = []
            for args, target in cases:
                out = stack.enter_context(open(target or os.devnull, "w"))
                running.append((args, target, stack.enter_context(subprocess.Popen(
                    cli(*args), cwd=REPO, stdout=out, stderr=subprocess.PIPE, text=True,
                    env=cli_env(), preexec_fn=None if target else (lambda: os.close(1))))))
            for args, target, process in running:
                with self.subTest(args=args[:2], target=target):
                    _, stderr = process.communicate(timeout=60)
                    self.assertEqual(process.returncode, 1)
                    self.assertEqual(len(stderr.splitlines()), 1, stderr)
                    self.assertIn("sizing: error: standard output", stderr)

    def test_full_standard_output_writes_no_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, "plan.json")
            with open("/dev/full", "w") as full:
                result = self.run_cli(*SHIPPED, "--output-json-file", plan, stdout=full,
                                      text=True)
            self.assertEqual(result.returncode, 1)
            self.assertEqual(os.listdir(tmp), [])

    def test_closed_standard_error_never_writes_errors_to_stdout(self):
        result = subprocess.run(cli("--model", "nope"), cwd=REPO, capture_output=True,
                                text=True, env=cli_env(), preexec_fn=lambda: os.close(2))
        self.assertEqual((result.returncode, result.stdout), (2, ""))

    def test_an_ascii_terminal_gets_escaped_text(self):
        env = {**os.environ, "PYTHONIOENCODING": "ascii"}
        result = self.run_cli("--model", "gpt-oss-120b", "--server", "dgx-b300",
                              "--concurrency", "1000", "--effective-context", "128k",
                              "--lang", "pt-BR", "--format", "text", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"RELAT\\xd3RIO", result.stdout)

    def test_a_latin1_byte_in_a_name_is_refused(self):
        result = subprocess.run(cli("--import-hf-config", DSV3.encode(), b"--name",
                                    b"\xe9t\xe9"), cwd=REPO, capture_output=True,
                                env=cli_env())
        self.assertEqual((result.returncode, result.stdout), (2, b""))
        self.assertIn(b"--name", result.stderr)
        self.assertIn(b"is not UTF-8 text", result.stderr)


if __name__ == "__main__":
    unittest.main()
