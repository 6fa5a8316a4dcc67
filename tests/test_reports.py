"""Executive report, Markdown reports, languages, and Markdown output files."""

import itertools
import json
import os
import re
import string
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import sizing
from tests.helpers import assert_refused, fixture_args, last_json, run_main

WORKED = fixture_args("--model", "spec-120b", "--server", "spec-node", "--concurrency", "1000",
                      "--effective-context", "128k")


def md_cells(line):
    """Split a GitHub Markdown table row into cells; an escaped \\| stays inside its cell."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def md_table(markdown, first_cell):
    """Return {row label: cells} of the table whose header starts with `first_cell`."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("|") and md_cells(line)[0] == first_cell)
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = md_cells(line)
        rows[cells[0]] = cells[1:]
    return rows


def heading_levels(markdown):
    return [len(m.group(1)) for m in re.finditer(r"^(#+) ", markdown, re.M)]


def split_both(stdout):
    """Split --format both output into (report, JSON document)."""
    return stdout[:stdout.index("\n{\n")], last_json(stdout)


class ExecutiveReportTest(unittest.TestCase):
    # Worked example: nodes 2 / 3 / 5 (see test_core); 8 GPUs per node -> 16 / 24 / 40 GPUs.
    # Capex relative to MINIMUM: (3 - 2) / 2 = +50%, (5 - 2) / 2 = +150%.
    CASES = {
        "en": {"nodes": "Nodes", "gpus": "GPUs", "capex": "Capex vs MINIMUM",
               "baseline": "baseline", "names": ["MINIMUM", "**RECOMMENDED**", "IDEAL"],
               "sections": ["1. Executive summary", "2. Scenarios side by side",
                            "3. Nodes per scenario", "4. Key risks and what removes them",
                            "5. Recommendation", "Appendix: how the numbers are built"]},
        "pt-BR": {"nodes": "Nós", "gpus": "GPUs", "capex": "Capex vs MÍNIMO",
                  "baseline": "base", "names": ["MÍNIMO", "**RECOMENDADO**", "IDEAL"],
                  "sections": ["1. Sumário executivo", "2. Cenários lado a lado",
                               "3. Nós por cenário", "4. Principais riscos e como eliminá-los",
                               "5. Recomendação", "Apêndice: como os números são construídos"]},
    }

    def render(self, lang):
        status, out, err = run_main(WORKED + ["--executive-report", "--lang", lang])
        self.assertEqual((status, err), (0, ""))
        return split_both(out)

    def test_table_matches_json_in_both_languages(self):
        for lang, case in self.CASES.items():
            with self.subTest(lang=lang):
                report, document = self.render(lang)
                table = md_table(report, "")
                nodes = [document["scenarios"][k]["results"]["nodes_final"]
                         for k in ("minimum", "recommended", "ideal")]
                self.assertEqual(nodes, [2, 3, 5])
                self.assertEqual(table[case["nodes"]], [str(n) for n in nodes])
                self.assertEqual(table[case["gpus"]], ["16", "24", "40"])
                self.assertEqual(table[case["capex"]], [case["baseline"], "+50%", "+150%"])
                self.assertEqual([document["scenarios"][k]["results"]["capex_vs_minimum_ratio"]
                                  for k in ("minimum", "recommended", "ideal")], [0.0, 0.5, 1.5])
                header = next(line for line in report.splitlines() if line.startswith("|"))
                self.assertEqual(md_cells(header)[1:], case["names"])

    def test_mermaid_chart(self):
        for lang, case in self.CASES.items():
            with self.subTest(lang=lang):
                report, _ = self.render(lang)
                block = re.search(r"```mermaid\n(.*?)\n```", report, re.S).group(1)
                lines = block.splitlines()
                self.assertEqual(lines[0], "xychart-beta")
                names = [n.strip("*") for n in case["names"]]
                self.assertIn(f'    x-axis ["{names[0]}", "{names[1]}", "{names[2]}"]', lines)
                self.assertIn("    bar [2, 3, 5]", lines)

    def test_section_order_and_heading_nesting(self):
        for lang, case in self.CASES.items():
            with self.subTest(lang=lang):
                report, _ = self.render(lang)
                h2 = re.findall(r"^## (.+)$", report, re.M)
                self.assertEqual(h2, case["sections"])
                levels = heading_levels(report)
                self.assertEqual(levels[0], 1)
                self.assertTrue(all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels)

    def test_fits_one_page_before_appendix(self):
        # A printed page taken as 50 lines of 100 characters: 5,000 characters.
        for lang, case in self.CASES.items():
            report, _ = self.render(lang)
            before = report[:report.index("## " + case["sections"][5])]
            printed_lines = sum(max(1, -(-len(line) // 100)) for line in before.splitlines())
            self.assertLessEqual(printed_lines, 50, lang)

    def test_summary_names_recommendation_and_risk(self):
        report, _ = self.render("en")
        summary = report.split("## 1. Executive summary")[1].split("## 2.")[0]
        for fragment in ("**1,000 simultaneous sessions**", "We recommend 3 x spec-node (24 "
                         "GPUs)", "50% more capital", "20% above the target",
                         "loss of one node"):
            self.assertIn(fragment, summary)
        self.assertNotIn("recommend the RECOMMENDED", summary)          # no tautology

    def test_executive_replaces_text_report_and_json_follows(self):
        status, out, _ = run_main(WORKED + ["--executive-report"])
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("# Executive sizing report"))
        self.assertNotIn("1. INPUTS", out)
        self.assertEqual(last_json(out)["schema_version"], "1.0")

    def test_the_title_names_the_checkpoint_asked_for(self):
        # deepseek-ai/DeepSeek-R1 is an alias of deepseek-v3 (the same config.json): a report
        # asked for R1 says R1 where leadership reads it; asked for the entry, its name alone
        base = ["--server", "dgx-b300", "--concurrency", "100", "--effective-context", "32k",
                "--executive-report"]
        for wanted, title, serves in (
                ("deepseek-ai/DeepSeek-R1", "deepseek-v3 (deepseek-ai/DeepSeek-R1) on dgx-b300",
                 "serves **deepseek-v3 (deepseek-ai/DeepSeek-R1)** to"),
                ("deepseek-v3", "deepseek-v3 on dgx-b300", "serves **deepseek-v3** to")):
            with self.subTest(wanted):
                status, out, err = run_main(["--model", wanted] + base)
                self.assertEqual(status, 0, err)
                self.assertEqual(out.splitlines()[0], "# Executive sizing report: " + title)
                self.assertIn(serves, out)

    def test_format_json_with_executive_report_needs_a_markdown_file(self):
        # the report would go nowhere: refused
        status, out, err = run_main(WORKED + ["--executive-report", "--format", "json"])
        self.assertEqual((status, out), (2, ""))
        self.assertIn("--executive-report with --format json prints no report", err)
        # with a file the report goes there and stdout is only JSON
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "p.md"
            status, out, _ = run_main(WORKED + ["--executive-report", "--format", "json",
                                                "--output-markdown-file", str(path)])
            self.assertEqual(status, 0)
            self.assertTrue(out.startswith("{"))
            self.assertTrue(path.read_text(encoding="utf-8").startswith("# Executive"))

    def test_fatal_report_says_do_not_buy(self):
        # tiny-full: 256 bytes/token x 8m tokens = 2 GiB per session > the 1 GiB node
        status, out, _ = run_main(fixture_args(
            "--model", "tiny-full", "--server", "unit", "--concurrency", "10",
            "--effective-context", "8m", "--runtime-overhead-gib", "0", "--kv-budget-ratio", "1",
            "--executive-report", "--format", "text"))
        self.assertEqual(status, 3)
        self.assertIn("**The workload cannot be served as specified:**", out)
        self.assertIn("Do not buy yet", out)
        self.assertNotIn("bar [0, 0, 0]", out)              # an empty chart says so instead
        self.assertIn("No scenario can be sized, so there are no nodes to chart", out)


class TechnicalMarkdownTest(unittest.TestCase):
    def test_markdown_file_has_the_four_sections_and_json_numbers(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "report.md"
            status, out, _ = run_main(WORKED + ["--output-markdown-file", str(target)])
            self.assertEqual(status, 0)
            markdown = target.read_text(encoding="utf-8")
        document = last_json(out)
        self.assertEqual(re.findall(r"^## (.+)$", markdown, re.M),
                         ["1. Inputs", "2. Results by scenario", "3. Alerts and risks",
                          "4. Parameter dictionary"])
        table = md_table(markdown, "metric")
        for i, key in enumerate(("minimum", "recommended", "ideal")):
            results = document["scenarios"][key]["results"]
            self.assertEqual(table["nodes (final, + HA)"][i], str(results["nodes_final"]))
            self.assertEqual(table["sessions per node"][i], str(results["sessions_per_node"]))
        levels = heading_levels(markdown)
        self.assertTrue(all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels)

    def test_pipe_in_a_cell_stays_one_cell(self):
        lines = sizing.render_table(["field", "value"], [["name", "8x | H100"]], markdown=True)
        self.assertEqual(md_cells(lines[2]), ["name", "8x \\| H100"])
        self.assertEqual(len(md_cells(lines[0])), len(md_cells(lines[2])))

    def test_pipe_in_catalog_text_stays_one_cell(self):
        with tempfile.TemporaryDirectory() as tmp:
            servers = Path(tmp) / "servers.json"
            servers.write_text(
                '{"servers": [{"name": "p", "description": "8x | GPU", "vendor": "v", '
                '"gpu_model": "g", "gpus": 8, "hbm_per_gpu_gb": 288, "total_hbm_gb": 2304, '
                '"source": "a | b"}]}', encoding="utf-8")
            target = Path(tmp) / "r.md"
            args = WORKED[:2] + ["--servers-file", str(servers)] + WORKED[4:]
            args[args.index("spec-node")] = "p"
            status, _, err = run_main(args + ["--output-markdown-file", str(target),
                                              "--format", "json"])
            self.assertEqual(status, 0, err)
            rows = [md_cells(line) for line in target.read_text(encoding="utf-8").splitlines()
                    if line.startswith("| name | p (") or line.startswith("| source | a")]
        self.assertEqual(rows, [["name", "p (8x \\| GPU)"], ["source", "a \\| b"]])


class OutputFilesTest(unittest.TestCase):
    def test_executive_markdown_file_equals_stdout(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "proposal.md"
            status, out, _ = run_main(WORKED + ["--executive-report", "--format", "text",
                                                "--output-markdown-file", str(target)])
            self.assertEqual(status, 0)
            self.assertEqual(target.read_text(encoding="utf-8"), out)

    def assert_failed_cleanly(self, argv, fragment):
        assert_refused(self, argv, fragment, status=1)

    def test_missing_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_failed_cleanly(WORKED + ["--executive-report", "--output-markdown-file",
                                                 f"{tmp}/missing/proposal.md"],
                                       "does not exist")
            self.assertEqual(os.listdir(tmp), [])

    def test_directory_as_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_failed_cleanly(WORKED + ["--output-markdown-file", tmp],
                                       "is a directory")
            self.assertEqual(os.listdir(tmp), [])

    def test_existing_file_untouched_when_another_output_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            proposal = Path(tmp) / "proposal.md"
            proposal.write_text("last quarter's proposal", encoding="utf-8")
            self.assert_failed_cleanly(
                WORKED + ["--executive-report", "--output-markdown-file", str(proposal),
                          "--output-json-file", f"{tmp}/missing/plan.json"], "does not exist")
            self.assertEqual(proposal.read_text(encoding="utf-8"), "last quarter's proposal")
            self.assertEqual(os.listdir(tmp), ["proposal.md"])

    def test_write_error_midway_leaves_nothing(self):
        # The second temporary file cannot be created (a full disk, a permission): the first
        # is removed and the existing target keeps its content.
        real_mkstemp = tempfile.mkstemp
        calls = []

        def failing_mkstemp(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise PermissionError(13, "Permission denied", kwargs.get("dir"))
            return real_mkstemp(*args, **kwargs)

        with tempfile.TemporaryDirectory() as tmp:
            plan = Path(tmp) / "plan.json"
            plan.write_text("old plan", encoding="utf-8")
            with mock.patch.object(tempfile, "mkstemp", failing_mkstemp):
                self.assert_failed_cleanly(
                    WORKED + ["--output-json-file", str(plan), "--output-markdown-file",
                              f"{tmp}/r.md"], "cannot write (Permission denied)")
            self.assertEqual(plan.read_text(encoding="utf-8"), "old plan")
            self.assertEqual(os.listdir(tmp), ["plan.json"])


class LanguageTest(unittest.TestCase):
    def test_tables_have_the_same_keys_and_placeholders(self):
        def walk(en, other, path):
            self.assertIs(type(en), type(other), path)
            if isinstance(en, dict):
                self.assertEqual(set(en), set(other), path)
                for key in en:
                    walk(en[key], other[key], f"{path}.{key}")
            elif isinstance(en, tuple):
                self.assertEqual(len(en), len(other), path)
                for i, (a, b) in enumerate(zip(en, other)):
                    walk(a, b, f"{path}[{i}]")
            else:
                fields = {f for _, f, _, _ in string.Formatter().parse(en) if f}
                self.assertEqual(fields, {f for _, f, _, _ in string.Formatter().parse(other)
                                          if f}, path)
        for lang in sizing.LANGUAGES:
            walk(sizing.STRINGS["en"], sizing.STRINGS[lang], lang)

    def test_pt_br_text_report_and_english_json(self):
        status, out, _ = run_main(WORKED + ["--lang", "pt-BR", "--kv-precision", "bf16"])
        self.assertEqual(status, 0)
        report, document = split_both(out)
        for fragment in ("1. ENTRADAS", "4. DICIONÁRIO DE PARÂMETROS",
                         "2. RESULTADOS POR CENÁRIO", "3. ALERTAS E RISCOS", "RECOMENDADO",
                         "[ATENÇÃO] A precisão de KV bf16"):
            self.assertIn(fragment, report)
        # 2,418,278,400 x 2 = 4,836,556,800 bytes, with Brazilian separators in the text
        self.assertIn("4.836.556.800 bytes", report)
        self.assertEqual(document["kv_cache"]["kv_per_session_bytes"], 4_836_556_800)
        self.assertEqual(list(document["scenarios"]), ["minimum", "recommended", "ideal"])
        self.assertEqual(document["scenarios"]["recommended"]["name"], "RECOMMENDED")
        self.assertEqual(document["alerts"][0]["severity"], "warning")
        self.assertEqual(document["alerts"][0]["code"], "kv_precision_wide")


class WidthTest(unittest.TestCase):
    """Every text output fits 100 columns (issue 16): the report for every catalog model in
    both languages, the planning views, --list and --help."""

    def assert_fits(self, label, text):
        long = [line for line in text.splitlines() if len(line) > 100]
        self.assertEqual(long, [], label)

    def test_every_catalog_model_in_both_languages(self):
        catalogs = sizing.load_catalogs(*(f"{sizing.default_catalog_dir()}/{name}.json"
                                          for name in ("models", "servers", "storage")))
        for model in catalogs.models:
            for lang in sizing.LANGUAGES:
                context = str(min(32768, model.max_position_embeddings))
                status, out, err = run_main(["--model", model.name, "--server", "dgx-h100",
                                             "--concurrency", "3000", "--effective-context",
                                             context, "--format", "text", "--lang", lang])
                self.assertIn(status, (0, 3), err)
                self.assert_fits(f"{model.name} {lang}", out)

    def test_large_amounts_and_a_long_title_fit(self):
        # A comparison of big fleets in BRL with a request rate (one column more): the money
        # cells leave the currency to the sentence above the table and write billions as
        # "1.20 B", one word with its unit ("BRL 1,197.0 M" in every cell made it 114 wide)
        status, out, err = run_main([
            "--model", "qwen3-vl-235b-a22b", "--server", "gb200-nvl72,dgx-b200",
            "--requests-per-second", "500", "--effective-context", "128k",
            "--allow-context-beyond-model", "--tpot-ms", "30", "--weight-precision", "int4",
            "--currency", "BRL", "--usd-rate", "5.4", "--format", "text"])
        self.assertEqual(status, 0, err)
        self.assert_fits("comparison", out)
        self.assertIn("money in BRL at", " ".join(out.split()))
        row = next(line for line in out.splitlines() if line.startswith("  gb200-nvl72*"))
        self.assertRegex(row, r" \d\.\d\d B ")
        self.assertNotIn("BRL", row)
        # an amount in billions is one word with its unit, as one in millions is
        self.assertEqual(sizing._glued("USD 1.20 B or 3,1 bi"), "USD\x001.20\x00B or 3,1\x00bi")
        # a section title longer than the terminal wraps as a paragraph does
        block = sizing.Table("x " * 60, ("a",), (("1",),))
        self.assert_fits("title", "\n".join(sizing._text_block(block, None)))

    def test_planning_views_lists_and_help(self):
        worked = ["--model", "gpt-oss-120b", "--effective-context", "128k", "--format", "text"]
        for lang in sizing.LANGUAGES:
            for extra in (["--server", "all", "--concurrency", "1000"],
                          ["--server", "gb200-nvl72", "--concurrency", "1k,20k",
                           "--current-nodes", "2"],
                          ["--server", "dgx-b300", "--concurrency", "1000", "--current-nodes",
                           "4", "--node-price-usd", "450000"],
                          ["--server", "dgx-b300", "--solve", "max-concurrency", "--nodes", "3"],
                          # a rack's KV budget in bytes (14 digits) in the per-scenario table
                          ["--server", "gb300-nvl72", "--concurrency", "500", "--tpot-ms",
                           "20"]):
                with self.subTest(lang=lang, extra=extra):
                    status, out, err = run_main(worked + extra + ["--lang", lang])
                    self.assertEqual(status, 0, err)
                    self.assert_fits(" ".join(extra), out)
            for what in ("models", "servers", "storage"):
                self.assert_fits(what, run_main(["--list", what, "--lang", lang])[1])
        status, out, _ = run_main(["--help"])
        self.assertEqual(status, 0)
        self.assert_fits("--help", out)
        self.assertIn("examples:", out)

    def test_a_plan_diff_wraps_long_sources_into_its_columns(self):
        # H100 -> H200 changes the server's sources (150-200 characters each): the diff's
        # text table once ran 400 columns wide; its cells now wrap, and no word is lost.
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for server in ("dgx-h100", "dgx-h200"):
                paths.append(os.path.join(folder, f"{server}.json"))
                status, _, err = run_main(["--model", "llama-3.1-70b", "--server", server,
                                           "--concurrency", "500", "--effective-context", "32k",
                                           "--format", "json", "--output-json-file", paths[-1]])
                self.assertEqual(status, 0, err)
            status, out, err = run_main(["--diff", *paths, "--format", "text"])
            with open(paths[1], encoding="utf-8") as f:
                source = json.load(f)["inputs"]["server"]["perf_source"]
        self.assertEqual(status, 0, err)
        self.assert_fits("--diff", out)
        self.assertGreater(len(source), 100)
        # The row's lines, cut at the "new" column, give back the source (a word longer than
        # the column is broken across lines: compare without white space).
        lines = out.splitlines()
        start = next(i for i, x in enumerate(lines) if x.startswith("  server.perf_source"))
        row = [lines[start]] + list(itertools.takewhile(lambda x: x.startswith("   "),
                                                        lines[start + 1:]))
        column = next(x for x in lines if x.lstrip().startswith("input ")).index("new")
        self.assertEqual("".join("".join(x[column:] for x in row).split()),
                         "".join(source.split()))


class AnswerFirstTest(unittest.TestCase):
    """Issue 16's must-shows on the worked example."""

    WORKED = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
              "--effective-context", "128k"]

    def test_first_five_lines_hold_the_three_node_counts_and_the_recommendation(self):
        # The methodology's worked example: MINIMUM 2, RECOMMENDED 3, IDEAL 5 nodes.
        for lang, words in (("en", ("MINIMUM 2", "RECOMMENDED 3", "IDEAL 5")),
                            ("pt-BR", ("MÍNIMO 2", "RECOMENDADO 3", "IDEAL 5"))):
            status, out, _ = run_main(self.WORKED + ["--format", "text", "--lang", lang])
            head = "\n".join(out.splitlines()[:5])
            for word in words:
                self.assertIn(word, head, lang)

    def test_no_template_plurals_in_the_executive_reports(self):
        for lang in sizing.LANGUAGES:
            status, out, _ = run_main(self.WORKED + ["--format", "text", "--executive-report",
                                                     "--lang", lang])
            self.assertEqual(status, 0)
            self.assertEqual(out.count("(s)") + out.count("(es)"), 0, lang)

    def test_one_is_singular(self):
        # Llama-3.1-70B at 128k with a 14 ms TPOT target: one session per node meets it;
        # Llama-3.1-8B for one session of 8k: MINIMUM is one node
        for lang, words in (
                ("en", ("at 1 session per node;", "few sessions per node (1, below 50)",
                        "At that load (one session per node)", "bare minimum of one node it",
                        "MINIMUM (one node) suits", "to **one simultaneous session** of")),
                ("pt-BR", ("com 1 sessão por nó;", "poucas sessões por nó (1, abaixo de 50)",
                           "Com essa carga (uma sessão por nó)", "mínimo absoluto de um nó,",
                           "MÍNIMO (um nó) serve", "a **uma sessão simultânea** de"))):
            text = ""
            for model, context, sessions, tpot in (("llama-3.1-70b", "128k", "10", "14"),
                                                   ("llama-3.1-8b", "8k", "1", "50")):
                for extra in ([], ["--executive-report"]):
                    status, out, err = run_main(
                        ["--model", model, "--server", "dgx-h100", "--concurrency", sessions,
                         "--effective-context", context, "--tpot-ms", tpot, "--format", "text",
                         "--lang", lang, *extra])
                    self.assertEqual(status, 0, err)
                    text += " ".join(out.split()) + " "
            for phrase in words:
                self.assertIn(phrase, text, lang)

    def test_a_replica_across_nodes_is_counted_per_replica(self):
        # Llama-3.1-405B at 128k with a 46 ms TPOT target: two nodes per replica (TP 16) and
        # 2 sessions per replica meet it (one batch in flight per stage), which per node
        # would read 1 (and 0 for one session on a replica of 4 nodes): the plan's first lines
        # and the executive summary say it per replica, with the sessions_per_unit and
        # nodes_per_unit of the JSON.
        args = ["--model", "llama-3.1-405b", "--server", "dgx-h100", "--concurrency", "10",
                "--effective-context", "128k", "--tpot-ms", "46"]
        document = json.loads(run_main(args + ["--format", "json"])[1])
        scenarios = document["scenarios"]
        rec = scenarios["recommended"]["results"]
        units, per_unit = rec["nodes_per_unit"], rec["sessions_per_unit"]
        self.assertGreater(units, 1)
        # the few-sessions alerts share a replica's sessions over its nodes: 2 / 2 = 1 here,
        # and without the target, where engine memory binds at 21 sessions per replica of 4
        # nodes, 21 / 4 = 5.25 (per node rounded down it would read 5)
        few = {a["scenario"]: a["values"]["sessions"] for a in document["alerts"]
               if a["code"] == "latency_few_sessions"}
        self.assertEqual(few["recommended"], round(per_unit / units, 2))
        memory = json.loads(run_main(args[:-2] + ["--format", "json"])[1])
        low = {a["scenario"]: a["values"]["sessions"] for a in memory["alerts"]
               if a["code"] == "low_sessions_per_node"}
        spans = memory["scenarios"]["recommended"]["results"]
        self.assertEqual((spans["sessions_per_unit"], spans["nodes_per_unit"]), (21, 4))
        self.assertEqual(low["recommended"], 5.25)
        # and the results table has a row of them beside the sessions per node
        out = run_main(args + ["--format", "text"])[1]
        self.assertIn("  ".join([f"sessions per replica ({units} nodes)"] + [
            str(s["results"]["sessions_per_unit"]) for s in scenarios.values()]),
            re.sub(r" {2,}", "  ", out))
        out = run_main(args + ["--executive-report", "--format", "text"])[1]
        self.assertIn(" | ".join([f"| Sessions per copy of the model ({units} nodes)"] + [
            str(s["results"]["sessions_per_unit"]) for s in scenarios.values()]) + " |", out)
        # and the appendix builds the node count per copy: sessions / per copy x nodes
        self.assertIn(f"| RECOMMENDED | {per_unit} | {rec['nodes_capacity']} |", out)
        self.assertEqual(rec["nodes_capacity"], -(-10 // per_unit) * units)
        self.assertIn(f"Each copy of the model spans {units} nodes", out)
        for lang, extra, phrase in (
                ("en", [], f"at {per_unit} sessions per replica of {units} nodes;"),
                # the executive summary calls the replica what its table does, a copy of the
                # model
                ("en", ["--executive-report"],
                 f"At that load ({per_unit} sessions per copy of the model, on {units} nodes)"),
                ("pt-BR", [], f"com {per_unit} sessões por réplica de {units} nós;"),
                ("pt-BR", ["--executive-report"],
                 f"Com essa carga ({per_unit} sessões por cópia do modelo, em {units} nós)")):
            status, out, err = run_main(args + ["--format", "text", "--lang", lang, *extra])
            self.assertEqual(status, 0, err)
            self.assertIn(phrase, " ".join(out.split()))

    def test_executive_assumption_says_where_the_experts_live(self):
        # Qwen3-235B-A22B at TP 4 x DP 2 with expert parallelism: dense weights over the 4
        # GPUs of a replica, routed experts over all 4 x 2 = 8 (issue 13); at TP 4 alone the
        # experts stay inside the replica and the clause is left out.
        base = ["--model", "qwen3-235b-a22b", "--server", "dgx-h200", "--concurrency", "100",
                "--effective-context", "32k", "--weight-precision", "fp8", "--format", "text",
                "--executive-report", "--tensor-parallel", "4"]
        for lang, replica, experts in (
                ("en", "at 4 GPUs per replica", ", the routed experts spread over 8 GPUs)"),
                ("pt-BR", "com 4 GPUs por réplica", " e os experts roteados distribuídos por "
                                                    "8 GPUs)")):
            status, out, err = run_main(base + ["--lang", lang, "--expert-parallel",
                                                "--data-parallel", "2"])
            self.assertEqual(status, 0, err)
            self.assertIn(replica + experts, " ".join(out.split()), lang)
            status, out, err = run_main(base + ["--lang", lang])
            self.assertEqual(status, 0, err)
            self.assertNotIn(experts.split(" 8 ")[0], " ".join(out.split()), lang)
            self.assertIn(replica + ")", " ".join(out.split()), lang)

    def test_forgiving_input(self):
        status, out, err = run_main(self.WORKED[:-4] + ["--concurrency", "1k",
                                                        "--effective-context", "128k",
                                                        "--kv-precision", "FP8",
                                                        "--format", "json"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        self.assertEqual((doc["inputs"]["nfr"]["concurrency"],
                          doc["inputs"]["nfr"]["kv_precision"]), (1000, "fp8"))


if __name__ == "__main__":
    unittest.main()
