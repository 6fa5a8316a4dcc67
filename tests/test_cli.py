"""The command line, in process (main(argv)) and as real subprocesses."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from tests.helpers import (FIXTURES, REPO, assert_says, cli, cli_env, fixture_args,
                           last_json, run_json, run_main)

WORKED = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--concurrency", "1000",
          "--effective-context", "131072"]

BAD_FLAGS = [
    # (extra or replaced flags, fragment the one-line error must name)
    (["--concurrency", "0"], "--concurrency"),
    (["--concurrency", "-5"], "--concurrency"),
    (["--concurrency", "many"], "--concurrency"),
    (["--concurrency", "1.5"], "--concurrency"),
    (["--concurrency", "1" + "0" * 300], "--concurrency"),
    (["--effective-context", "9" * 5000], "--effective-context"),
    (["--effective-context", "3000000k"], "--effective-context"),
    (["--effective-context", "0"], "--effective-context"),
    (["--effective-context", "12.5k"], "--effective-context"),
    (["--effective-context", "k"], "--effective-context"),
    (["--effective-context", "-1k"], "--effective-context"),
    (["--kv-budget-ratio", "0"], "--kv-budget-ratio"),
    (["--kv-budget-ratio", "1.5"], "--kv-budget-ratio"),
    (["--kv-budget-ratio", "nan"], "--kv-budget-ratio"),
    (["--kv-budget-ratio", "inf"], "--kv-budget-ratio"),
    (["--peak-headroom-ratio", "-0.1"], "--peak-headroom-ratio"),
    (["--peak-headroom-ratio", "11"], "--peak-headroom-ratio"),
    (["--peak-headroom-ratio", "NaN"], "--peak-headroom-ratio"),
    (["--runtime-overhead-gib", "-1"], "--runtime-overhead-gib"),
    (["--runtime-overhead-gib", "inf"], "--runtime-overhead-gib"),
    (["--kv-precision", "fp4"], "--kv-precision"),
    (["--ha-mode", "n+3"], "--ha-mode"),
    (["--format", "xml"], "--format"),
    (["--model", "gpt-oss-12b"], "gpt-oss-120b"),       # closest names suggested
    (["--server", "dgx-b30"], "dgx-b300"),
    (["--storage", "tape"], "storage profile"),
    (["--no-such-flag"], "--no-such-flag"),
]


class WorkedExampleCliTest(unittest.TestCase):
    def test_text_then_json(self):
        status, out, err = run_main(WORKED)
        self.assertEqual((status, err), (0, ""))
        sections = ("1. INPUTS", "2. RESULTS BY SCENARIO", "3. ALERTS AND RISKS",
                    "4. PARAMETER DICTIONARY")
        self.assertEqual(sorted(sections, key=out.index), list(sections))   # in this order
        self.assertLess(out.index("4. PARAMETER DICTIONARY"), out.index("\n{\n"))
        document = last_json(out)
        self.assertEqual([document["scenarios"][k]["results"]["nodes_final"]
                          for k in ("minimum", "recommended", "ideal")], [2, 3, 5])
        results = document["scenarios"]["minimum"]["results"]
        self.assertEqual(results["kv_per_session_bytes"], 2_418_278_400)
        self.assertEqual(results["sessions_per_node"], 629)
        self.assertEqual(round(results["kv_budget_per_node_gib"], 1), 1418.0)
        self.assertEqual(document["inputs"]["nfr"]["kv_precision"], "fp8")

    def test_the_quickstart_shows_what_the_program_prints(self):
        # QUICKSTART section 1 quotes the worked example's first lines and its scenario table;
        # each quoted block must appear, line for line, in the program's own text output.
        _, out, _ = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                              "--concurrency", "1000", "--effective-context", "128k",
                              "--format", "text"])
        guide = (REPO / "QUICKSTART.md").read_text(encoding="utf-8")
        blocks = [b.split("\n", 1)[1] for b in guide.split("```")[1::2]
                  if b.startswith("\nLLM INFERENCE SIZING REPORT") or b.startswith("\n  metric")]
        self.assertEqual(len(blocks), 2)
        for block in blocks:
            quoted = block.rstrip("\n")
            self.assertTrue(quoted in out, "QUICKSTART quotes lines the program no longer prints: "
                            + "; ".join(line for line in quoted.splitlines()
                                        if line not in out.splitlines()))

    def test_what_the_quickstart_writes_beside_sizing_py_is_not_committed(self):
        # Its commands write files in the checkout (--output-*-file F, > F, cp models.json F);
        # .gitignore keeps each out of a commit, as a catalog copy left by --add-to-catalog
        # once was not (5f3e3b1)
        guide = (REPO / "QUICKSTART.md").read_text(encoding="utf-8")
        written = set(re.findall(r"(?:--output-(?:json|markdown)-file|>|cp models\.json) "
                                 r"([\w.-]+\.\w+)", guide))
        self.assertLessEqual({"plan.json", "proposal.md", "my-models.json", "old.json"}, written)
        ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
        self.assertEqual(sorted(f for f in written if "/" + f not in ignored), [])

    def test_the_guides_prose_states_what_the_program_sizes(self):
        # QUICKSTART sections 7, 8 and 10 and the README quote figures in prose (sessions per
        # node, nodes per constraint, the runner-up layout, the error band, a solve, a growth
        # plan, the worked example's plan); each must be what the program gives for the
        # command it goes with.
        def says(claim):
            assert_says(self, "QUICKSTART.md", claim)

        _, out, _ = run_main(["--model", "llama-3.1-70b", "--server", "dgx-h100",
                              "--concurrency", "2000", "--input-tokens", "2048",
                              "--output-tokens", "512", "--tpot-ms", "30", "--format", "json"])
        document = json.loads(out)
        r, perf = document["scenarios"]["recommended"]["results"], document["performance"]
        band = perf["error_band_ratio"]
        self.assertEqual(r["binding_constraint"], "tpot")
        for claim in (
                f"Bound by TPOT target at {r['sessions_per_node']} sessions per node",
                f"buys {r['nodes_final']} nodes where memory alone needs {r['nodes_memory']} "
                f"(pooled) or {r['nodes_memory_engine']} (engine view)",
                f"picked TP {perf['layout']['tensor_parallel']} (the runner-up, TP "
                f"{perf['runner_up']['tensor_parallel']}, needs {perf['runner_up']['nodes_final']}"
                f" nodes)",
                f"{band['tpot_median']:.1%} for TPOT and {band['ttft_median']:.1%} for TTFT",
                "would need {fp8_nodes} nodes at RECOMMENDED instead of {nodes}".format(
                    **next(a["values"] for a in document["alerts"]
                           if a["code"] == "weight_precision_needs_fewer")),
                f"{band['tpot_median_unseen_model']:.1%} and "
                f"{band['ttft_median_unseen_model']:.1%} (TPOT "
                f"{band['tpot_median_unseen_moe_model']:.1%} for the mixtures of experts"):
            says(claim)
        _, out, _ = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                              "--effective-context", "128k", "--solve", "max-concurrency",
                              "--nodes", "3", "--format", "json"])
        held = {k: f"{v['value']:,}" for k, v in json.loads(out)["solve"]["scenarios"].items()}
        says(f"(MINIMUM {held['minimum']}, RECOMMENDED {held['recommended']}, IDEAL "
             f"{held['ideal']})")
        # section 7: data-parallel attention against TP 8, a running limit below the KV pool,
        # a calibration against the fixture log
        per_node = {}
        for layout in (["--data-parallel-attention"], ["--tensor-parallel", "8"]):
            _, out, _ = run_main(["--model", "deepseek-v3", "--server", "dgx-b300",
                                  "--concurrency", "1000", "--effective-context", "128k",
                                  "--engine", "sglang", "--format", "json"] + layout)
            document = json.loads(out)
            per_node[layout[0]] = document["scenarios"]["recommended"]["results"][
                "sessions_per_node"]
        says(f"({per_node['--data-parallel-attention']} sessions per B300 node against "
             f"{per_node['--tensor-parallel']} at TP 8)")
        # an expert group over DGX H100 nodes against TP 8 over 8 pipeline stages
        base = ["--model", "deepseek-v3", "--server", "dgx-h100", "--concurrency", "2000",
                "--effective-context", "32k", "--tpot-ms", "50", "--format", "json"]
        group = run_json(self, base)
        stages = run_json(self, base + ["--tensor-parallel", "64"])
        nodes = [d["scenarios"]["recommended"]["results"]["nodes_final"] for d in (group, stages)]
        units = group["performance"]["layout"]["expert_group_nodes"]
        says(f"{nodes[0]} nodes in expert groups of {units}, against {nodes[1]} with TP 8 over 8 "
             f"pipeline stages")
        assert_says(self, "README.md", f"`--tpot-ms 50`: {nodes[0]} nodes in groups of {units}")
        assert_says(self, "README.md", f"was the best layout before groups spanned nodes, needs "
                                       f"{nodes[1]}")
        per_group = group["scenarios"]["recommended"]["results"]["sessions_per_unit"]
        assert_says(self, "README.md", f"At that load ({per_group} sessions per copy of the "
                                       f"model, on {units} nodes)")
        _, out, _ = run_main(["--model", "gpt-oss-20b", "--server", "dgx-b300", "--concurrency",
                              "20000", "--effective-context", "4k", "--format", "json"])
        document = json.loads(out)
        says(f"fewer than its KV pool holds ({document['engine']['per_replica']['kv_sessions']:,}"
             f"): {document['scenarios']['recommended']['results']['sessions_per_node']:,} "
             f"sessions per B300 node")
        assert_says(self, "README.md", f"its KV pool holds "
                    f"{document['engine']['per_replica']['kv_sessions']:,} sessions per GPU, "
                    f"vLLM runs 1,024")
        _, out, _ = run_main(["--model", "llama-3.1-8b", "--server", "dgx-h100", "--concurrency",
                              "1000", "--effective-context", "16000", "--format", "json",
                              "--calibrate-from-log",
                              str(FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log")])
        calibration = json.loads(out)["calibration"]
        rows = {row["item"]: row for row in calibration["rows"]}
        says(f"(weights {rows['weights']['logged']:.2f} vs {rows['weights']['predicted']:.2f} "
             f"GiB, KV memory {rows['kv_memory']['logged']:.2f} vs "
             f"{rows['kv_memory']['predicted']:.2f} GiB, {rows['kv_tokens']['logged']:,} vs "
             f"{rows['kv_tokens']['predicted']:,} tokens)")
        says(calibration["suggested_flags"].split("0.9 ", 1)[1])
        assert_says(self, "README.md", f"MINIMUM {held['minimum']}, RECOMMENDED "
                                       f"{held['recommended']}, IDEAL {held['ideal']} sessions")
        # and the README's first screen, on the worked example
        _, out, _ = run_main(WORKED + ["--format", "json"])
        document = json.loads(out)
        nodes = {k: v["results"]["nodes_final"] for k, v in document["scenarios"].items()}
        per_user = document["performance"]["operating_point"]
        assert_says(self, "README.md",
                    f"(nodes: MINIMUM {nodes['minimum']}, RECOMMENDED {nodes['recommended']}, "
                    f"IDEAL {nodes['ideal']}; the pooled memory budget binds, and at "
                    f"{document['scenarios']['recommended']['results']['sessions_per_node']} "
                    f"sessions per node each session gets about "
                    f"{per_user['output_tokens_per_second_per_session']:.0f} tokens/s)")
        _, out, _ = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                              "--effective-context", "128k", "--concurrency", "1k,2k,3.5k,5k",
                              "--periods", "2027-Q1,2027-Q2,2027-Q3,2027-Q4",
                              "--current-nodes", "4", "--format", "json"])
        plan = [p["scenarios"]["recommended"] for p in json.loads(out)["growth"]]
        says("RECOMMENDED needs " + ", ".join(str(p["nodes_final"]) for p in plan)
             + " nodes, so buy " + ", ".join(str(p["nodes_to_add"]) for p in plan))
        # replicas across nodes: what the search keeps and what fewer nodes per replica need
        def across(model, server, concurrency, context, *extra):
            _, out, _ = run_main(["--model", model, "--server", server, "--concurrency",
                                  concurrency, "--effective-context", context, *extra,
                                  "--format", "json"])
            document = json.loads(out)
            speed = document["performance"]["operating_point"][
                "output_tokens_per_second_per_session"]
            return (document["engine"]["per_replica"]["nodes"],
                    dict(document["scenarios"]["recommended"]["results"], speed=speed))
        spans, chosen = across("llama-3.1-405b", "dgx-h100", "100", "128k")
        _, two = across("llama-3.1-405b", "dgx-h100", "100", "128k", "--tensor-parallel", "16")
        assert_says(self, "README.md", f"about {two['speed']:.0f} tokens/s over 2 nodes, "
                                       f"{chosen['speed']:.1f} over {spans}")
        says(f"({spans} here: {chosen['nodes_final']} nodes, where 2 per replica need "
             f"{two['nodes_final']})")
        assert_says(self, "README.md", f"holds {two['sessions_per_node']} sessions per node over "
                                       f"2 nodes and {chosen['sessions_per_node']} over {spans}")
        engine_view = ["--memory-model", "engine"]
        ranks = {layout: across("qwen3-235b-a22b", "dgx-h200", "300", "32k", *engine_view,
                                *flags)[1]["nodes_final"]
                 for layout, flags in (("4", ["--tensor-parallel", "4", "--data-parallel", "2",
                                              "--expert-parallel"]),
                                       ("1", ["--data-parallel-attention"]),
                                       ("tp8", ["--tensor-parallel", "8"]))}
        assert_says(self, "README.md", f"need {ranks['4']} nodes in ranks of 4 GPUs, {ranks['1']}"
                                       f" in ranks of one, {ranks['tp8']} at TP 8)")
        spans, chosen = across("deepseek-v3", "rtx-pro-6000-8x", "1000", "16k")
        _, one = across("deepseek-v3", "rtx-pro-6000-8x", "1000", "16k", "--tensor-parallel", "8")
        assert_says(self, "README.md", f"needs {chosen['nodes_final']} nodes for 1,000 sessions "
                                       f"over {spans} nodes per replica against "
                                       f"{one['nodes_final']:,} within one")

    def test_text_lines_fit_100_columns(self):
        _, out, _ = run_main(WORKED + ["--format", "text"])
        self.assertEqual([line for line in out.splitlines() if len(line) > 100], [])
        # the widest content: every layer kind, engine view, calibration, Portuguese numbers
        for model in ("llama-3.1-405b", "qwen3-next-80b-a3b", "jamba-1.5-mini"):
            for lang in ("en", "pt-BR"):
                status, out, _ = run_main([
                    "--model", model, "--server", "dgx-h100", "--concurrency", "200000",
                    "--effective-context", "1m", "--memory-model", "engine", "--lang", lang,
                    "--format", "text", "--calibrate-from-log",
                    str(FIXTURES / "logs" / "vllm-0.11-llama-3.1-8b-h100.log")])
                with self.subTest(model=model, lang=lang):
                    self.assertEqual([line for line in out.splitlines() if len(line) > 100],
                                     [])

    def test_text_and_json_show_the_same_numbers(self):
        _, out, _ = run_main(WORKED)
        document = last_json(out)
        text = out[:out.index("\n{\n")]
        for key in ("minimum", "recommended", "ideal"):
            r = document["scenarios"][key]["results"]
            self.assertIn(f"{r['sessions_per_node']:,}", text)
            self.assertIn(f"{r['kv_budget_per_node_bytes']:,}", text)   # exact, in bytes
        self.assertIn(f"{document['scenarios']['ideal']['results']['kv_per_session_bytes']:,}",
                      text)

    def test_spec_aliases(self):
        _, out, _ = run_main(["--model", "opt-oss-120b", "--server", "dgx300",
                              "--concurrency", "1000", "--effective-context", "128k",
                              "--format", "json"])
        document = json.loads(out)
        self.assertEqual(document["inputs"]["model"]["name"], "gpt-oss-120b")
        self.assertEqual(document["inputs"]["server"]["name"], "dgx-b300")
        self.assertEqual(document["inputs"]["nfr"]["effective_context_tokens"], 131072)
        self.assertEqual(document["scenarios"]["ideal"]["results"]["nodes_final"], 5)

    def test_json_only(self):
        status, out, _ = run_main(WORKED + ["--format", "json"])
        document = json.loads(out)
        self.assertEqual(status, 0)
        self.assertEqual(document["schema_version"], "1.0")
        self.assertEqual(list(document), ["schema_version", "tool", "inputs",
                                          "parameter_dictionary", "kv_cache", "storage_checks",
                                          "scenarios", "alerts", "engine", "performance",
                                          "cost"])
        for scenario in document["scenarios"].values():
            self.assertEqual(list(scenario), ["name", "configuration", "results", "rationale",
                                              "warnings", "cost"])

    def test_text_only(self):
        _, out, _ = run_main(WORKED + ["--format", "text"])
        self.assertNotIn('"schema_version"', out)

    def test_kv_precision_override_and_alert(self):
        _, out, _ = run_main(WORKED + ["--kv-precision", "bf16", "--format", "json"])
        document = json.loads(out)
        # bf16 doubles KV: 2 x 2,418,278,400 = 4,836,556,800 bytes
        self.assertEqual(document["kv_cache"]["kv_per_session_bytes"], 4_836_556_800)
        self.assertIn("kv_precision_wide", [a["code"] for a in document["alerts"]])

    def test_peak_headroom_flag_at_the_node_boundary(self):
        # 629 sessions per node at ratio 0.70, 584 at IDEAL's 0.65 (CoreTest). Three nodes hold
        # 3 x 629 = 1,887 sessions: headroom 0.887 asks exactly that many (1,000 x 1.887), one
        # more thousandth asks 1,888 and a fourth node. RECOMMENDED adds n+1, IDEAL n+2 and
        # takes the larger of the flag and its 0.30 floor: ceil(1,887 / 584) = 4, 1,888 too.
        expected = {"0.887": ([2, 4, 6], 0.887), "0.888": ([2, 5, 6], 0.888)}
        for ratio, (nodes, echoed) in expected.items():
            _, out, _ = run_main(WORKED + ["--peak-headroom-ratio", ratio, "--format", "json"])
            document = json.loads(out)
            self.assertEqual([document["scenarios"][k]["results"]["nodes_final"]
                              for k in ("minimum", "recommended", "ideal")], nodes, ratio)
            self.assertEqual(document["inputs"]["nfr"]["peak_headroom_ratio"], echoed)

    def test_storage_profile_and_ha_mode_flags(self):
        _, out, _ = run_main(WORKED + ["--storage", "cloud_premium", "--ha-mode", "n+2",
                                       "--format", "json"])
        document = json.loads(out)
        self.assertEqual(document["inputs"]["storage"]["name"], "profile_cloud_premium")
        checks = document["storage_checks"]
        # the profile reads 4 GB/s: one session's KV, 2,418,278,400 bytes, in 0.6046 s
        self.assertEqual(checks["kv_restore_seconds"], 0.6046)
        self.assertAlmostEqual(checks["cold_start_seconds"], checks["weights_bytes"] / 4e9, 3)
        # n+2 on RECOMMENDED: ceil(1,200 / 629) = 2, + 2 = 4; IDEAL already keeps n+2: 5
        self.assertEqual([document["scenarios"][k]["results"]["nodes_final"]
                          for k in ("minimum", "recommended", "ideal")], [2, 4, 5])


class BadInputCliTest(unittest.TestCase):
    def assert_refused(self, argv, status, fragment):
        code, out, err = run_main(argv)
        self.assertEqual(code, status, argv)
        self.assertEqual(out, "", argv)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(err.startswith("sizing: error: "), err)
        self.assertIn(fragment, err)
        self.assertNotIn("Traceback", err)

    def test_bad_flags_exit_2(self):
        for extra, fragment in BAD_FLAGS:
            with self.subTest(extra=extra):
                self.assert_refused(WORKED + extra, 2, fragment)

    def test_missing_required_flags(self):
        self.assert_refused(["--model", "gpt-oss-120b"], 2,
                            "missing --server, --concurrency, --effective-context")

    def test_bad_catalog_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "models.json"
            bad.write_text('{"models": [{"name": "x", "num_layers": -3}]}', encoding="utf-8")
            self.assert_refused(WORKED + ["--models-file", str(bad)], 1,
                                f"{bad}: model 'x': num_layers must be a positive integer "
                                f"(got -3)")

    def test_unwritable_output_exit_1_and_nothing_on_stdout(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_refused(WORKED + ["--output-json-file", f"{tmp}/no/such/dir/x.json"],
                                1, "does not exist")
            self.assert_refused(WORKED + ["--output-json-file", tmp], 1, "is a directory")
            self.assertEqual(os.listdir(tmp), [])

    def test_existing_file_untouched_when_run_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "plan.json"
            target.write_text("previous plan", encoding="utf-8")
            self.assert_refused(WORKED + ["--concurrency", "0", "--output-json-file",
                                          str(target)], 2, "--concurrency")
            self.assertEqual(target.read_text(encoding="utf-8"), "previous plan")
            self.assertEqual(os.listdir(tmp), ["plan.json"])


class OutputFileTest(unittest.TestCase):
    def test_json_file_matches_stdout(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "plan.json"
            status, out, _ = run_main(WORKED + ["--format", "json", "--output-json-file",
                                                str(target)])
            self.assertEqual(status, 0)
            self.assertEqual(target.read_text(encoding="utf-8"), out)
            self.assertEqual(os.listdir(tmp), ["plan.json"])


class FatalCliTest(unittest.TestCase):
    def test_unsized_exits_3_and_still_reports(self):
        # tiny-full: 256 bytes/token; 8,388,608 tokens = 2 GiB per session > the 1 GiB node
        status, out, err = run_main(fixture_args(
            "--model", "tiny-full", "--server", "unit", "--concurrency", "10",
            "--effective-context", "8m", "--runtime-overhead-gib", "0", "--kv-budget-ratio", "1"))
        self.assertEqual(status, 3)
        self.assertEqual(err, "")
        self.assertIn("[CRITICAL]", out)
        document = last_json(out)
        self.assertIsNone(document["scenarios"]["minimum"]["results"]["nodes_final"])
        self.assertEqual(document["scenarios"]["minimum"]["warnings"][0]["code"],
                         "no_session_fits")


class ListAndVersionTest(unittest.TestCase):
    def test_list(self):
        for what, expected in (("models", "opt-oss-120b"), ("servers", "dgx200"),
                               ("storage", "profile_default (default)")):
            status, out, _ = run_main(["--list", what])
            self.assertEqual(status, 0)
            self.assertIn(expected, out)

    def test_version(self):
        import sizing
        status, out, _ = run_main(["--version"])
        self.assertEqual((status, out.strip()), (0, f"sizing {sizing.__version__}"))


class SubprocessTest(unittest.TestCase):
    def run_shell(self, command):
        return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=REPO,
                              capture_output=True, text=True, timeout=60, env=cli_env())

    def test_json_pipes_into_json_tool(self):
        result = self.run_shell(f"{' '.join(cli(*WORKED))} --format json "
                                f"| {sys.executable} -S -m json.tool")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["scenarios"]["recommended"]["results"]
                         ["nodes_final"], 3)

    def test_head_closes_pipe_quietly(self):
        result = self.run_shell(f"{' '.join(cli(*WORKED))} | head -n 2")
        self.assertEqual(result.stdout.splitlines()[0], "LLM INFERENCE SIZING REPORT")
        self.assertEqual(result.stderr, "")

    def test_closed_pipe_ends_quietly(self):
        # The reader is gone before the first byte: every write raises EPIPE in the child,
        # whatever the pipe's buffer size, so this exercises the handler for real.
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            result = subprocess.run(cli(*WORKED), cwd=REPO, stdout=write_end,
                                    stderr=subprocess.PIPE, text=True, timeout=60,
                                    env=cli_env())
        finally:
            os.close(write_end)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stderr, "")

    def test_bad_flag_exit_status(self):
        result = subprocess.run(cli(*WORKED, "--ha-mode", "n+9"), cwd=REPO,
                                capture_output=True, text=True, timeout=60, env=cli_env())
        self.assertEqual((result.returncode, result.stdout), (2, ""))
        self.assertEqual(len(result.stderr.splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
