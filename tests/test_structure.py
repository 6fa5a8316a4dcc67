"""The shape of sizing.py (README "How the code is organised"): registries that every stage
reads, sections in reading order, short functions, one error funnel, and a sizing run that
imports only what it needs."""

import json
import re
import string
import subprocess
import sys
import unittest

import sizing
from tests.helpers import FIXTURES, REPO, cli_env, fixture_args, run_main

SOURCE = (REPO / "sizing.py").read_text(encoding="utf-8")
LINES = SOURCE.splitlines()

SECTIONS = ["imports, version", "units and constants", "errors", "records and registries",
            "catalogs", "core: KV, budgets, scenarios", "engine view", "performance", "cost",
            "the plan", "renderers", "command line", "side path: config.json import",
            "side path: logs, benchmarks, calibration", "message tables"]


def placeholders(text):
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def calls_of(name):
    """The first arguments of every call to `name` in sizing.py that are string literals.
    Read from the text, as function_spans is: parsing the 700 kB script into an ast took
    about 200 ms of the suite, and gave the same calls and spans."""
    return re.findall(rf"\b{name}\(\s*\"(\w+)\"", SOURCE)


def function_spans():
    """(name, first line, last line) of every `def` in sizing.py, nested ones included: a
    body ends at its last code line before the source comes back to the def's indentation
    (ast's lineno and end_lineno for this layout, where no string starts a line at column 0
    inside a function)."""
    spans = []
    for i, line in enumerate(LINES):
        found = re.match(r"(\s*)def (\w+)\(", line)
        if not found:
            continue
        indent, end = len(found.group(1)), i
        for j in range(i + 1, len(LINES)):
            text = LINES[j].strip()
            if text and len(LINES[j]) - len(LINES[j].lstrip()) <= indent:
                break
            if text and not text.startswith("#"):
                end = j
        spans.append((found.group(2), i + 1, end + 1))
    return spans


class AlertRegistryTest(unittest.TestCase):
    def test_every_code_the_program_emits_is_registered_and_every_record_is_emitted(self):
        emitted = set(calls_of("make_alert"))
        self.assertEqual(emitted, set(sizing.ALERTS))

    def test_every_alert_has_its_texts_in_every_language_and_no_orphans(self):
        for lang in sizing.LANGUAGES:
            for table_name, table in (("alerts", sizing.STRINGS[lang]["alerts"]),
                                      ("exec.risks", sizing.STRINGS[lang]["exec"]["risks"])):
                with self.subTest(lang=lang, table=table_name):
                    # the executive report leaves out the notes that change nothing in the plan
                    expected = set(sizing.ALERTS) - (set(sizing.TECHNICAL_NOTES)
                                                     if table_name == "exec.risks" else set())
                    self.assertEqual(set(table), expected)
                    for code, spec in sizing.ALERTS.items():
                        if code not in table:
                            continue
                        allowed = set(spec.params) | ({"scenario"} if spec.scope == "scenario"
                                                      else set())
                        for text in table[code]:
                            self.assertLessEqual(placeholders(text), allowed, code)

    def test_an_unregistered_code_or_wrong_values_are_refused(self):
        with self.assertRaises(KeyError):
            sizing.make_alert("no_such_alert")
        with self.assertRaises(ValueError):
            sizing.make_alert("many_nodes", "ideal", nodes=21)          # limit missing
        with self.assertRaises(ValueError):
            sizing.make_alert("many_nodes", nodes=21, limit=20)          # scope is a scenario

    def test_the_readme_lists_every_alert(self):
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        for code in sizing.ALERTS:
            self.assertIn(f"| `{code}` |", readme)


# One config in tests/fixtures/hf_configs per layer kind, so each kind is read by the importer.
KIND_FIXTURES = {"full": "meta-llama__Llama-3.1-70B.json",
                 "sliding": "openai__gpt-oss-120b.json",
                 "chunked": "meta-llama__Llama-4-Scout-17B-16E-Instruct.json",
                 "mla": "deepseek-ai__DeepSeek-V3.json",
                 "mla_indexer": "deepseek-ai__DeepSeek-V3.2.json",
                 "linear_attention": "Qwen__Qwen3-Next-80B-A3B-Thinking.json",
                 "mamba": "ai21labs__AI21-Jamba-1.5-Mini.json",
                 "mamba2": "nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B.json",
                 "kda": "moonshotai__Kimi-Linear-48B-A3B-Instruct.json",
                 "lightning": "MiniMaxAI__MiniMax-M1-80k.json"}


class LayerKindRegistryTest(unittest.TestCase):
    def test_every_kind_has_importer_rules_and_text_in_every_language(self):
        self.assertEqual(set(sizing.HF_KIND_RULES), set(sizing.LAYER_KINDS))
        self.assertEqual(set(KIND_FIXTURES), set(sizing.LAYER_KINDS))
        for lang in sizing.LANGUAGES:
            texts = sizing.STRINGS[lang]["architecture"]
            for name, kind in sizing.LAYER_KINDS.items():
                allowed = {"layers", "heads", "state_precision", *kind.fields}
                self.assertLessEqual(placeholders(texts[name]), allowed, (lang, name))

    def test_every_kind_round_trips_through_importer_catalog_and_report(self):
        for name, config in KIND_FIXTURES.items():
            with self.subTest(kind=name):
                path = FIXTURES / "hf_configs" / config
                entry = sizing.import_hf_config(sizing.read_hf_config(path), config, "m", "o/m")
                model = sizing.parse_model(sizing._Entry("t", "model", 0, entry))
                groups = [g for g in model.layer_groups if g.kind == name]
                self.assertEqual(len(groups), 1)
                # the catalog form of the group reads back to the same group
                again = sizing._parse_layer_group(sizing._Entry("t", "model", 0, entry), 0,
                                                  sizing.layer_group_entry(groups[0]))
                self.assertEqual(again, groups[0])
                report = sizing.size_all(model, sizing.Server("s", (), "", "", "", 8, 288,
                                                              2304, ""),
                                         sizing.Storage("p", (), "", "n", 28, 1, 0.1, ""),
                                         sizing.Workload(10, 32768, "bf16", 0.7, 0.0, 0.2,
                                                         "n+1"))
                document = json.loads(sizing.render_json(report))
                kinds = [g["kind"] for g in document["kv_cache"]["layer_groups"]]
                self.assertIn(name, kinds)
                self.assertIn(groups[0].spec.rule, document["kv_cache"]["layer_groups"][
                    kinds.index(name)]["rule"])


class LayoutTest(unittest.TestCase):
    def test_sections_in_reading_order_each_saying_what_it_owns(self):
        headers = [(i, line.split("= ", 1)[1]) for i, line in enumerate(LINES)
                   if line.startswith("# ====")]
        self.assertEqual([h for _, h in headers], SECTIONS)
        for i, title in headers[1:]:
            self.assertTrue(LINES[i + 1].startswith("# Owns:"), title)

    def test_no_function_longer_than_80_lines_and_main_under_40(self):
        functions = function_spans()
        long = [(name, last - first + 1) for name, first, last in functions
                if last - first + 1 > 80]
        self.assertEqual(long, [])
        main = next(span for span in functions if span[0] == "main")
        self.assertLess(main[2] - main[1] + 1, 40)

    def test_every_engine_setting_says_whether_another_engine_keeps_it(self):
        # engine_alternative sizes another engine with the settings that say what is served;
        # a new EngineSettings field must be put on one side or the other
        served, own = set(sizing.SERVED_SETTINGS), set(sizing.OWN_SETTINGS)
        self.assertEqual(served & own, set())
        self.assertEqual(served | own, set(sizing.EngineSettings._fields))
        settings = sizing.EngineSettings(engine="sglang", tensor_parallel=4, block_size=32)
        self.assertEqual(settings.served["tensor_parallel"], 4)
        self.assertNotIn("block_size", settings.served)

    def test_one_place_prints_an_error(self):
        self.assertEqual(SOURCE.count("sizing: error:"), 1)

    def test_every_error_leaves_through_the_funnel(self):
        # a usage error from argparse, a missing flag, a flag conflict and a catalog error all
        # print one line that starts the same way
        for argv, status in ((["--concurrency", "x"], 2), ([], 2),
                             (["--replace"], 2),
                             (fixture_args("--model", "spec-120b", "--server", "spec-node",
                                           "--concurrency", "1", "--effective-context", "1k",
                                           "--models-file", str(FIXTURES / "nope.json")), 1)):
            code, out, err = run_main(argv)
            self.assertEqual((code, out), (status, ""), argv)
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertTrue(err.startswith("sizing: error: "), err)


class StartupTest(unittest.TestCase):
    def test_a_json_sizing_run_imports_no_module_of_another_mode(self):
        code = ("import io, contextlib, sys, sizing\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                "    sizing.main(['--model', 'gpt-oss-120b', '--server', 'dgx-b300',"
                " '--concurrency', '1000', '--effective-context', '128k', '--format', 'json'])\n"
                "print(sorted(m for m in ('difflib', 'textwrap', 'dataclasses')"
                " if m in sys.modules))\n")
        out = subprocess.run([sys.executable, "-S", "-c", code], cwd=REPO, capture_output=True,
                             text=True, check=True, env=cli_env()).stdout
        self.assertEqual(out.strip(), "[]")


class SharedSuiteTest(unittest.TestCase):
    """The suite's runner (tests/__init__.py SharedSuite): classes run in forked workers too,
    and what they give joins the one result, so a failure in any of them fails the run."""

    def test_every_outcome_of_every_worker_reaches_the_result(self):
        from tests import SharedSuite

        class Passes(unittest.TestCase):
            def test_a(self):
                pass

            def test_b(self):
                pass

        class Fails(unittest.TestCase):
            def test_c(self):
                self.assertEqual(1, 2)

        class Errs(unittest.TestCase):
            def test_d(self):
                raise KeyError("d")

            @unittest.skip("not here")
            def test_e(self):
                pass

        load = unittest.defaultTestLoader.loadTestsFromTestCase
        result = unittest.TestResult()
        SharedSuite([load(case) for case in (Passes, Fails, Errs) * 3]).run(result)
        # 3 x (2 + 1 + 2) tests, each class its own unit, whichever process ran it
        self.assertEqual(result.testsRun, 15)
        self.assertEqual((len(result.failures), len(result.errors), len(result.skipped)),
                         (3, 3, 3))
        self.assertFalse(result.wasSuccessful())
        self.assertTrue(all("test_c" in str(t) and "AssertionError: 1 != 2" in text
                            for t, text in result.failures))
        self.assertTrue(all("KeyError: 'd'" in text for _, text in result.errors))


if __name__ == "__main__":
    unittest.main()
