"""Catalog validation (bad entries refused with file, entry and field) and shipped catalogs."""

import copy
import json
import tempfile
import unittest
from pathlib import Path

import sizing
from tests.helpers import FIXTURES, REPO, run_main, shipped_catalogs


def load_with(kind, mutate=None, raw_text=None):
    """Load the fixture catalogs with one file changed; return the CatalogError message."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name in ("models", "servers", "storage"):
            text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
            if name == kind:
                if raw_text is not None:
                    text = raw_text
                elif mutate is not None:
                    document = json.loads(text)
                    mutate(document)
                    text = json.dumps(document)
            paths[name] = Path(tmp) / f"{name}.json"
            paths[name].write_text(text, encoding="utf-8")
        try:
            sizing.load_catalogs(paths["models"], paths["servers"], paths["storage"],
                                 {"models": "models.json", "servers": "servers.json",
                                  "storage": "storage.json"})
        except sizing.CatalogError as exc:
            return str(exc)
    raise AssertionError("catalog was accepted")


def set_group_field(group, field, value):
    """Change one field of a layer group of the fixture's 'tiny-layers' model (index 4)."""
    def mutate(document):
        document["models"][4]["layer_groups"][group][field] = value
    return mutate


def set_field(list_key, index, field, value):
    def mutate(document):
        document[list_key][index][field] = value
    return mutate


def drop_field(list_key, index, field):
    def mutate(document):
        del document[list_key][index][field]
    return mutate


BAD_ENTRIES = [
    # (kind, mutation, expected fragments of the one-line error)
    ("models", drop_field("models", 0, "num_layers"),
     ["models.json", "model 'spec-120b'", "num_layers is missing"]),
    ("models", set_field("models", 0, "num_layers", True),
     ["model 'spec-120b'", "num_layers must be a positive integer (got True)"]),
    ("models", set_field("models", 0, "head_dim", -3),
     ["head_dim must be a positive integer (got -3)"]),
    ("models", set_field("models", 0, "num_key_value_heads", 0),
     ["num_key_value_heads must be a positive integer (got 0)"]),
    ("models", set_field("models", 0, "num_layers", 36.5),
     ["num_layers must be a positive integer (got 36.5)"]),
    ("models", set_field("models", 0, "num_layers", "36"),
     ["num_layers must be a positive integer (got '36')"]),
    ("models", set_field("models", 0, "full_attention_layers", 17),
     ["full_attention_layers + sliding_attention_layers must equal num_layers (17 + 18 != 36)"]),
    ("models", drop_field("models", 0, "sliding_window"),
     ["sliding_window is missing (required by attention_pattern 'hybrid')"]),
    ("models", drop_field("models", 2, "sliding_window"),
     ["model 'tiny-sliding'", "sliding_window is missing"]),
    ("models", set_field("models", 1, "sliding_window", 16),
     ["model 'tiny-full'", "attention_pattern is 'full' but sliding_window"]),
    ("models", set_field("models", 0, "attention_pattern", "local"),
     ["attention_pattern must be one of full, sliding, hybrid, layers (got 'local')"]),
    ("models", set_field("models", 0, "default_kv_precision", "fp4"),
     ["default_kv_precision must be one of fp8, int8, fp16, bf16 (got 'fp4')"]),
    ("models", set_field("models", 0, "weight_precision", "q4_k_m"),
     ["weight_precision must be one of"]),
    ("models", set_field("models", 0, "total_params_billion", 0),
     ["total_params_billion must be a positive number (got 0)"]),
    ("models", set_field("models", 0, "active_params_billion", 200),
     ["active_params_billion must not exceed total_params_billion"]),
    ("models", set_field("models", 0, "num_layers", 10**300),
     ["num_layers must be at most 10,000"]),
    ("servers", set_field("servers", 0, "hbm_per_gpu_gb", 1e300),
     ["hbm_per_gpu_gb must be at most 1e+15"]),
    ("models", set_field("models", 0, "source", ""),
     ["source must be a non-empty string"]),
    ("models", set_field("models", 0, "aliases", "spec"),
     ["aliases must be a list of non-empty strings"]),
    ("models", set_field("models", 1, "name", "spec-120b"),
     ["name or alias 'spec-120b' is already used by model 'spec-120b'"]),
    ("models", set_field("models", 1, "aliases", ["SPEC-ALIAS"]),
     ["model 'tiny-full'", "alias 'SPEC-ALIAS' is already used by model 'spec-120b'"]),
    ("models", lambda d: d["models"].__setitem__(0, 5),
     ["model #1", "entry must be a JSON object"]),
    ("models", lambda d: d.__setitem__("models", []), ["'models' is empty"]),
    # layer groups ("layers" form): the field is named with the group's index
    ("models", set_group_field(0, "kind", "local"),
     ["model 'tiny-layers'", "layer_groups[0].kind must be one of full, sliding, chunked, mla"]),
    ("models", set_group_field(1, "window", 0),
     ["layer_groups[1].window must be a positive integer (got 0)"]),
    ("models", lambda d: d["models"][4]["layer_groups"][2].pop("chunk"),
     ["layer_groups[2].chunk is missing"]),
    ("models", set_group_field(3, "num_key_value_heads", 1),
     ["layer_groups[3].num_key_value_heads is not a field of a 'mla' layer group"]),
    # MLA's per-head sizes (prefill FLOPs only) come both or neither
    ("models", set_group_field(3, "qk_nope_head_dim", 64),
     ["layer_groups[3].v_head_dim is missing (qk_nope_head_dim and v_head_dim go together)"]),
    ("models", set_group_field(3, "v_head_dim", 64),
     ["layer_groups[3].qk_nope_head_dim is missing (qk_nope_head_dim and v_head_dim go"]),
    ("models", lambda d: d["models"][4]["layer_groups"][3].update(qk_nope_head_dim=64,
                                                                 v_head_dim=0),
     ["layer_groups[3].v_head_dim must be a positive integer (got 0)"]),
    ("models", set_group_field(4, "state_precision", "fp8"),
     ["layer_groups[4].state_precision must be one of fp32, bf16, fp16 (got 'fp8')"]),
    ("models", set_group_field(0, "state_precision", "bf16"),
     ["layer_groups[0].state_precision is not a field of a 'full' layer group"]),
    ("models", set_group_field(5, "conv_kernel", 1),
     ["layer_groups[5].conv_kernel must be at least 2 (got 1)"]),
    ("models", set_group_field(0, "layers", 2),
     ["layer_groups layers must add up to num_layers (2 + 1 + 1 + 1 + 1 + 1 = 7, num_layers 6)"]),
    ("models", set_field("models", 4, "layer_groups", []),
     ["layer_groups must be a non-empty list when attention_pattern is 'layers'"]),
    ("models", set_field("models", 4, "head_dim", 8),
     ["model 'tiny-layers'", "head_dim must be absent when attention_pattern is 'layers'"]),
    ("models", set_field("models", 0, "layer_groups", []),
     ["model 'spec-120b'", "layer_groups must be absent when attention_pattern is 'hybrid'"]),
    ("models", set_group_field(0, "head_dim", 8.0),
     ["layer_groups[0].head_dim must be a positive integer (got 8.0)"]),
    ("servers", set_field("servers", 0, "total_hbm_gb", 2000),
     ["servers.json", "server 'spec-node'", "total_hbm_gb must equal gpus x hbm_per_gpu_gb"]),
    ("servers", set_field("servers", 0, "gpus", False),
     ["gpus must be a positive integer (got False)"]),
    ("servers", set_field("servers", 0, "hbm_per_gpu_gb", -288),
     ["hbm_per_gpu_gb must be a positive number (got -288)"]),
    ("servers", drop_field("servers", 0, "source"), ["source is missing"]),
    ("servers", set_field("servers", 0, "allreduce_latency_us", 36),
     ["server 'spec-node'", "allreduce_source is missing (allreduce_latency_us and "
      "allreduce_source go together)"]),
    ("servers", set_field("servers", 0, "allreduce_source", "a measurement"),
     ["allreduce_latency_us is missing"]),
    ("servers", set_field("servers", 0, "allreduce_latency_us", 0),
     ["allreduce_latency_us must be a positive number (got 0)"]),
    ("servers", set_field("servers", 0, "scaleout_gb_per_s", 50),
     ["server 'spec-node'", "scaleout_source is missing (scaleout_gb_per_s and "
      "scaleout_source go together)"]),
    ("servers", set_field("servers", 0, "scaleout_gb_per_s", "fast"),
     ["scaleout_gb_per_s must be a positive number (got 'fast')"]),
    ("servers", set_field("servers", 0, "rental_usd_per_gpu_hour", 2.5),
     ["servers.json", "server 'spec-node'", "rental_date is missing (rental_usd_per_gpu_hour "
      "is a hint that needs its date and source)"]),
    ("servers", set_field("servers", 0, "rental_usd_per_gpu_hour", "2.5"),
     ["rental_usd_per_gpu_hour must be a positive number (got '2.5')"]),
    ("servers", set_field("servers", 0, "price_usd", 300000),
     ["price_date is missing (price_usd is a hint that needs its date and source)"]),
    ("storage", set_field("profiles", 0, "read_throughput_gb_per_s", 0),
     ["storage.json", "profile 'one-gbps'", "read_throughput_gb_per_s must be a positive number"]),
    ("storage", lambda d: d.__setitem__("default_profile", "nope"),
     ["default_profile must name one of the profiles (got 'nope')"]),
]

BAD_TEXTS = [
    ("servers", '{"servers": [{"name": "x", "gpus": 8, "hbm_per_gpu_gb": NaN}]}',
     ["servers.json", "NaN is not valid JSON"]),
    ("servers", '{"servers": [{"name": "x", "gpus": 8, "hbm_per_gpu_gb": Infinity}]}',
     ["Infinity is not valid JSON"]),
    ("models", '{"models": [{"name": "a", "name": "b"}]}', ["duplicate key 'name'"]),
    ("models", '{"models": [', ["models.json", "invalid JSON at line 1"]),
    ("models", '[]', ["top level must be an object with a 'models' list"]),
]


class BadCatalogTest(unittest.TestCase):
    def test_bad_entries_are_refused_naming_file_entry_and_field(self):
        for kind, mutate, fragments in BAD_ENTRIES:
            with self.subTest(fragments[-1]):
                message = load_with(kind, mutate)
                self.assertNotIn("\n", message)
                for fragment in fragments:
                    self.assertIn(fragment, message)

    def test_invalid_json_is_refused(self):
        for kind, text, fragments in BAD_TEXTS:
            with self.subTest(fragments[-1]):
                message = load_with(kind, raw_text=text)
                for fragment in fragments:
                    self.assertIn(fragment, message)

    def test_missing_file(self):
        with self.assertRaises(sizing.CatalogError) as ctx:
            sizing.load_catalogs(Path("/nonexistent/models.json"), FIXTURES / "servers.json",
                                 FIXTURES / "storage.json")
        self.assertIn("/nonexistent/models.json: file not found", str(ctx.exception))


class ShippedCatalogTest(unittest.TestCase):
    """The catalogs shipped beside sizing.py; expected values cite each config.json."""

    @classmethod
    def setUpClass(cls):
        cls.catalogs = shipped_catalogs()

    def get(self, entries, name):
        return sizing.find_entry(entries, name, "entry", "test")

    def test_required_entries_present_and_sourced(self):
        models = {m.name for m in self.catalogs.models}
        self.assertLessEqual({"gpt-oss-120b", "gpt-oss-20b", "llama-3.1-8b", "llama-3.1-70b",
                              "llama-3.1-405b", "qwen3-32b", "qwen3-235b-a22b",
                              "mistral-7b-v0.1"}, models)
        servers = {s.name for s in self.catalogs.servers}
        self.assertLessEqual({"dgx-h100", "dgx-h200", "dgx-b200", "dgx-b300", "mi300x-platform",
                              "mi325x-platform", "mi355x-platform"}, servers)
        self.assertEqual({p.name for p in self.catalogs.storage},
                         {"profile_default", "profile_network_ssd", "profile_cloud_premium"})
        self.assertEqual(self.catalogs.default_storage, "profile_default")
        for entry in (*self.catalogs.models, *self.catalogs.servers, *self.catalogs.storage):
            self.assertGreater(len(entry.source), 20, entry.name)

    def test_each_checkpoint_is_one_entry(self):
        # One checkpoint, one entry: its other names are aliases. A second entry of the same
        # hf_repo is a catalog left behind by --add-to-catalog run on the shipped file (two
        # DeepSeek-V3 copies, 'dsv3' and 'x', landed that way in 5f3e3b1)
        repos = [m.hf_repo for m in self.catalogs.models]
        self.assertEqual(sorted(r for r in set(repos) if repos.count(r) > 1), [])
        self.assertNotIn("", repos)

    def test_glm5_is_sized_as_glm51(self):
        # GLM-5's config.json and GLM-5.1's (both verbatim, tests/fixtures/hf_configs) differ
        # in transformers_version alone, so zai-org/GLM-5 is an alias of glm-5.1, sized as
        # that checkpoint (its launch command names zai-org/GLM-5)
        configs = FIXTURES / "hf_configs"
        glm5, glm51 = (json.loads((configs / f"zai-org__{n}.json").read_text(encoding="utf-8"))
                       for n in ("GLM-5", "GLM-5.1"))
        self.assertEqual({k for k in glm5.keys() | glm51.keys() if glm5.get(k) != glm51.get(k)},
                         {"transformers_version"})
        entry = self.get(self.catalogs.models, "zai-org/GLM-5")
        self.assertEqual(entry.name, "glm-5.1")
        self.assertEqual(sizing.as_checkpoint(entry, "zai-org/GLM-5").hf_repo, "zai-org/GLM-5")

    def test_spec_aliases(self):
        self.assertEqual(self.get(self.catalogs.models, "opt-oss-120b").name, "gpt-oss-120b")
        self.assertEqual(self.get(self.catalogs.servers, "dgx300").name, "dgx-b300")
        self.assertEqual(self.get(self.catalogs.servers, "dgx200").name, "dgx-h200")

    def test_the_measured_runs_model_paths_name_catalog_entries(self):
        # The model_path column of the team's perf_measured.csv (shared reference; SOURCES.md
        # in tests/fixtures/perf maps each to the entry measured_runs.csv names): the bf16
        # checkpoints name their entry, the Instruct variant through the shapes litgpt gives
        # base and Instruct alike (models.json source)
        for path, name in (("deepseek-ai/DeepSeek-R1", "deepseek-v3"),
                           ("deepseek-ai/DeepSeek-V3", "deepseek-v3"),
                           ("openai/gpt-oss-120b", "gpt-oss-120b"),
                           ("meta-llama/Llama-3.1-70B", "llama-3.1-70b"),
                           ("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b"),
                           ("Qwen/Qwen3-32B", "qwen3-32b")):
            self.assertEqual(self.get(self.catalogs.models, path).name, name, path)
        for size in ("8B", "70B", "405B"):
            entry = self.get(self.catalogs.models, f"meta-llama/Llama-3.1-{size}-Instruct")
            self.assertEqual(entry.name, f"llama-3.1-{size.lower()}")
            self.assertIn(f"meta-llama/Meta-Llama-3.1-{size}-Instruct", entry.source)

    def test_architectures_match_config_json(self):
        # (layers, kv heads, head_dim, max positions, full layers, sliding layers, window)
        expected = {
            # openai/gpt-oss-120b config.json: 36 layers, layer_types 18 sliding + 18 full, 128
            "gpt-oss-120b": (36, 8, 64, 131072, 18, 18, 128),
            # openai/gpt-oss-20b config.json: 24 layers alternating, window 128
            "gpt-oss-20b": (24, 8, 64, 131072, 12, 12, 128),
            # meta-llama/Llama-3.1-8B: hidden 4096 / 32 heads = 128
            "llama-3.1-8b": (32, 8, 128, 131072, 32, 0, None),
            # meta-llama/Llama-3.1-70B: hidden 8192 / 64 heads = 128
            "llama-3.1-70b": (80, 8, 128, 131072, 80, 0, None),
            # meta-llama/Llama-3.1-405B: hidden 16384 / 128 heads = 128
            "llama-3.1-405b": (126, 8, 128, 131072, 126, 0, None),
            # Qwen/Qwen3-32B: explicit head_dim 128, use_sliding_window false
            "qwen3-32b": (64, 8, 128, 40960, 64, 0, None),
            # Qwen/Qwen3-235B-A22B: 94 layers, 4 KV heads, head_dim 128
            "qwen3-235b-a22b": (94, 4, 128, 40960, 94, 0, None),
            # mistralai/Mistral-7B-v0.1: sliding_window 4096 on all 32 layers
            "mistral-7b-v0.1": (32, 8, 128, 32768, 0, 32, 4096),
        }
        for name, values in expected.items():
            m = self.get(self.catalogs.models, name)
            self.assertEqual((m.num_layers, m.num_key_value_heads, m.head_dim,
                              m.max_position_embeddings, m.full_attention_layers,
                              m.sliding_attention_layers, m.sliding_window), values, name)

    def test_server_hbm(self):
        # vendor datasheets: GB per GPU x 8
        for name, per_gpu in (("dgx-h100", 80), ("dgx-h200", 141), ("dgx-b200", 180),
                              ("dgx-b300", 288), ("mi300x-platform", 192),
                              ("mi325x-platform", 256), ("mi355x-platform", 288)):
            server = self.get(self.catalogs.servers, name)
            self.assertEqual((server.gpus, server.hbm_per_gpu_gb, server.total_hbm_gb),
                             (8, per_gpu, 8 * per_gpu), name)



class ValidateCatalogsTest(unittest.TestCase):
    def run_validate(self, **files):
        argv = ["--validate-catalogs"]
        for kind, path in files.items():
            argv += [f"--{kind}-file", str(path)]
        return run_main(argv)

    def test_shipped_catalogs_pass(self):
        status, out, err = self.run_validate()
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, "models.json, servers.json, storage.json: no problems\n")

    def test_every_planted_fault_is_reported(self):
        models = json.loads((REPO / "models.json").read_text(encoding="utf-8"))
        servers = json.loads((REPO / "servers.json").read_text(encoding="utf-8"))
        storage = json.loads((REPO / "storage.json").read_text(encoding="utf-8"))
        m = {e["name"]: e for e in models["models"]}
        m["gpt-oss-120b"]["num_key_value_heads"] = 7              # does not divide 64 heads
        m["gpt-oss-20b"]["sliding_window"] = 0
        m["llama-3.1-8b"]["num_layer"] = 32                       # typo
        m["gemma-2-27b"]["full_attention_layers"] = 22            # 22 + 23 != 46
        m["qwen3-32b"]["default_kv_precision"] = "fp6"
        m["mixtral-8x7b"]["aliases"] = ["Mistral-7B-v0.1"]        # another model's alias
        m["qwen3-next-80b-a3b"]["layer_groups"][0]["conv_kernel"] = 1
        s = {e["name"]: e for e in servers["servers"]}
        s["dgx-b300"]["total_hbm_gb"] = 2300                      # 8 x 288 = 2304
        s["dgx-h200"]["gpus"] = 0
        storage["default_profile"] = "nvme-gen7"
        planted = [
            "model 'gpt-oss-120b': num_key_value_heads must divide num_attention_heads (64 / 7)",
            "model 'gpt-oss-20b': sliding_window must be a positive integer (got 0)",
            "model 'llama-3.1-8b': num_layer is not a known field",
            "model 'gemma-2-27b': full_attention_layers + sliding_attention_layers must equal "
            "num_layers (22 + 23 != 46)",
            "model 'qwen3-32b': default_kv_precision must be one of fp8, int8, fp16, bf16 "
            "(got 'fp6')",
            "model 'mixtral-8x7b': name or alias 'Mistral-7B-v0.1' is already used by model "
            "'mistral-7b-v0.1'",
            "model 'qwen3-next-80b-a3b': layer_groups[0].conv_kernel must be at least 2 (got 1)",
            "server 'dgx-b300': total_hbm_gb must equal gpus x hbm_per_gpu_gb",
            "server 'dgx-h200': gpus must be a positive integer (got 0)",
            "default_profile must name one of the profiles (got 'nvme-gen7')",
        ]
        with tempfile.TemporaryDirectory() as tmp:
            paths = {}
            for kind, doc in (("models", models), ("servers", servers), ("storage", storage)):
                paths[kind] = Path(tmp) / f"{kind}.json"
                paths[kind].write_text(json.dumps(doc), encoding="utf-8")
            status, out, err = self.run_validate(**paths)
        self.assertEqual(status, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), len(planted), out)
        for fragment in planted:
            self.assertEqual(sum(fragment in line for line in lines), 1, fragment)
        self.assertIn("10 problems", err)

    def test_a_file_that_cannot_be_read_is_one_problem_and_the_others_are_checked(self):
        servers = json.loads((REPO / "servers.json").read_text(encoding="utf-8"))
        servers["servers"][0]["gpus"] = 0
        with tempfile.TemporaryDirectory() as tmp:
            models, broken = Path(tmp) / "models.json", Path(tmp) / "servers.json"
            models.write_text("{not json", encoding="utf-8")
            broken.write_text(json.dumps(servers), encoding="utf-8")
            status, out, err = self.run_validate(models=models, servers=broken)
        self.assertEqual(status, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertIn("models.json", lines[0])
        self.assertIn(f"server '{servers['servers'][0]['name']}': gpus must be a positive "
                      f"integer (got 0)", lines[1])
        self.assertIn("2 problems", err)


if __name__ == "__main__":
    unittest.main()
