"""Context honesty (issue 17): a context above what the model serves is refused unless asked
for, and a RoPE scaling the model documents extends what it serves."""

import json
import unittest

import sizing
from tests.helpers import FIXTURES, assert_refused, run_main

QWEN = ["--model", "qwen3-32b", "--server", "dgx-h100", "--concurrency", "100"]


class ContextLimitTest(unittest.TestCase):
    def test_128k_on_qwen3_32b_is_refused_with_one_line(self):
        # Qwen3-32B's config.json: max_position_embeddings 40960; its model card: 131,072
        # tokens with YaRN factor 4 over original_max_position_embeddings 32768.
        err = assert_refused(self, QWEN + ["--effective-context", "128k"])
        for fragment in ("131,072 tokens is more than model 'qwen3-32b' serves",
                         "40,960 tokens natively", "131,072 with RoPE scaling yarn:4",
                         "--rope-scaling yarn:4", "--allow-context-beyond-model"):
            self.assertIn(fragment, err)

    def test_a_context_from_prompt_and_output_names_those_flags(self):
        # 32,768 + 16,384 = 49,152 tokens, above Qwen3-32B's 40,960: the refusal names the
        # flags the context came from, not --effective-context, which was not given
        err = assert_refused(self, QWEN + ["--input-tokens", "32k", "--output-tokens", "16k"])
        self.assertIn("--input-tokens + --output-tokens 49,152 tokens is more than model "
                      "'qwen3-32b' serves", err)

    def test_with_yarn_it_sizes_131072_tokens(self):
        status, out, err = run_main(QWEN + ["--effective-context", "128k", "--rope-scaling",
                                            "yarn:4", "--format", "json"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        nfr = doc["inputs"]["nfr"]
        self.assertEqual((nfr["effective_context_tokens"], nfr["context_limit_tokens"],
                          nfr["rope_scaling"]), (131072, 32768 * 4, "yarn:4"))
        # 64 layers x 8 KV heads x (128 + 128) x 2 bytes (bf16) = 262,144 bytes per token
        self.assertEqual(doc["kv_cache"]["kv_per_session_bytes"], 262144 * 131072)
        self.assertNotIn("context_beyond_model", [a["code"] for a in doc["alerts"]])

    def test_yarn_stops_at_its_own_limit(self):
        status, _, err = run_main(QWEN + ["--effective-context", "131073", "--rope-scaling",
                                          "yarn:4"])
        self.assertEqual(status, 2)
        self.assertIn("(in use)", err)

    def test_allowed_beyond_the_model_it_sizes_what_was_asked_with_an_alert(self):
        status, out, err = run_main(QWEN + ["--effective-context", "64k", "--format", "json",
                                            "--allow-context-beyond-model"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["inputs"]["nfr"]["effective_context_tokens"], 65536)
        alert = next(a for a in doc["alerts"] if a["code"] == "context_beyond_model")
        self.assertEqual(alert["values"], {"requested": 65536, "maximum": 40960})

    def test_bad_rope_scaling(self):
        for text in ("yarn", "yarn:1", "ntk:4", "yarn:x", "yarn:65"):
            with self.subTest(text):
                status, out, err = run_main(QWEN + ["--effective-context", "32k",
                                                    "--rope-scaling", text])
                self.assertEqual((status, out), (2, ""))
                self.assertIn("TYPE:FACTOR", err)

    def test_solve_max_context_stops_at_the_limit(self):
        status, out, err = run_main(QWEN + ["--solve", "max-context", "--nodes", "50",
                                            "--rope-scaling", "yarn:4", "--format", "json"])
        self.assertEqual(status, 0, err)
        found = json.loads(out)["solve"]["scenarios"]
        self.assertEqual(found["minimum"]["value"], 131072)


class ImportedRopeTest(unittest.TestCase):
    def entry(self, name):
        status, out, err = run_main(["--import-hf-config",
                                     str(FIXTURES / "hf_configs" / f"{name}.json")])
        self.assertEqual(status, 0, err)
        return json.loads(out)

    def test_a_config_that_applies_rope_scaling(self):
        # DeepSeek-V3's config.json: rope_scaling type yarn, factor 40,
        # original_max_position_embeddings 4096; max_position_embeddings 163840 = 4096 x 40.
        entry = self.entry("deepseek-ai__DeepSeek-V3")
        self.assertEqual((entry["rope_scaling"], entry["rope_original_max_position_embeddings"],
                          entry["rope_scaling_enabled"]), ("yarn:40", 4096, True))
        model = sizing.parse_model(sizing._Entry("x", "model", 0, entry))
        limits = sizing.context_limit(model)
        self.assertEqual((limits.limit, limits.scaled), (163840, None))

    def test_a_config_without_rope_scaling(self):
        self.assertNotIn("rope_scaling", self.entry("Qwen__Qwen3-32B"))


if __name__ == "__main__":
    unittest.main()
