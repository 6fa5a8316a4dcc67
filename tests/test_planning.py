"""Planning views (issue 15): a comparison of servers and CSV, each a view over the same
sizing core; every number a view shows equals a single run's."""

import csv
import io
import json
import unittest

import sizing
from tests.helpers import last_json, run_main

WORKED = ["--model", "gpt-oss-120b", "--concurrency", "1000", "--effective-context", "128k"]


def single(server, *extra):
    status, out, err = run_main(WORKED + ["--server", server, "--format", "json", *extra])
    assert status in (0, 3), err
    return json.loads(out)


class ComparisonTest(unittest.TestCase):
    def test_every_row_equals_a_single_run(self):
        status, out, err = run_main(WORKED + ["--server", "all", "--format", "json"])
        self.assertEqual(status, 0, err)
        doc = json.loads(out)
        self.assertEqual(list(doc), ["schema_version", "tool", "ranking", "left_out",
                                     "comparison"])
        names = [s.name for s in sizing.load_catalogs(
            str(sizing.default_catalog_dir() + "/models.json"),
            str(sizing.default_catalog_dir() + "/servers.json"),
            str(sizing.default_catalog_dir() + "/storage.json")).servers]
        self.assertEqual(sorted(doc["ranking"]), sorted(names))
        for result in doc["comparison"]:
            server = result["inputs"]["server"]["name"]
            with self.subTest(server):
                alone = single(server)
                self.assertEqual(result["scenarios"], alone["scenarios"])
                self.assertEqual(result["performance"], alone["performance"])
                self.assertEqual(result["cost"], alone["cost"])

    def test_ranked_by_tco_then_by_gpus(self):
        doc = json.loads(run_main(WORKED + ["--server", "all", "--format", "json"])[1])
        rec = [(r["scenarios"]["recommended"]["cost"]["tco_usd"],
                r["scenarios"]["recommended"]["results"]["gpus_final"])
               for r in doc["comparison"]]
        priced = [tco for tco, _ in rec if tco is not None]
        self.assertEqual(priced, sorted(priced))
        unpriced = [gpus for tco, gpus in rec if tco is None]
        self.assertEqual(unpriced, sorted(unpriced))
        self.assertEqual(rec[:len(priced)], [(t, g) for t, g in rec if t is not None])

    def test_text_names_the_winner_and_the_runner_up(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b200,dgx-h100,dgx-b300",
                                            "--format", "text"])
        self.assertEqual(status, 0)
        self.assertIn("Lowest TCO: ", out)
        self.assertIn("Runner-up: ", out)
        self.assertIn("of those dgx-b300 needs the fewest GPUs (24)", " ".join(out.split()))
        self.assertTrue(all(len(line) <= 100 for line in out.splitlines()))
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--format", "text",
                                            "--executive-report"])
        self.assertIn("## Servers compared", out)
        self.assertIn("## Recommended server: dgx-b300", out)

    def test_a_server_the_flags_cannot_run_on_is_left_out(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300,rtx-pro-6000", "--tpot-ms",
                                            "50", "--format", "json"])
        doc = json.loads(out)
        self.assertEqual(doc["ranking"], ["dgx-b300"])
        self.assertEqual(doc["left_out"][0]["server"], "rtx-pro-6000-8x")
        self.assertIn("hbm_bandwidth_tb_per_s", doc["left_out"][0]["reason"])

    def test_bad_combinations(self):
        for extra, fragment in (
                (["--server", "dgx-b300,dgx-h200", "--calibrate-from-log", "x.log"],
                 "calibrates one server"),
                (["--server", "dgx-b300,", "--format", "json"], "empty name"),
                (["--server", "dgx-b300", "--format", "csv", "--executive-report"],
                 "drop --executive-report")):
            with self.subTest(extra=extra):
                status, out, err = run_main(WORKED + extra)
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)


class SolveTest(unittest.TestCase):
    def solve(self, *args):
        status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                     "--format", "json", *args])
        self.assertEqual(status, 0, err)
        return json.loads(out)["solve"]["scenarios"]

    def test_max_concurrency_fits_and_one_more_does_not(self):
        # By hand (629 sessions per node; IDEAL 584): MINIMUM 3 x 629 = 1,887; RECOMMENDED
        # keeps 1 spare, so ceil(C x 1.2 / 629) <= 2: C <= 1,048; IDEAL keeps 2 spares,
        # ceil(C x 1.3 / 584) <= 1: C <= 449.
        found = self.solve("--effective-context", "128k", "--solve", "max-concurrency",
                           "--nodes", "3")
        self.assertEqual({k: v["value"] for k, v in found.items()},
                         {"minimum": 1887, "recommended": 1048, "ideal": 449})
        for key, row in found.items():
            for sessions, fits in ((row["value"], True), (row["value"] + 1, False)):
                with self.subTest(key=key, sessions=sessions):
                    doc = json.loads(run_main(["--model", "gpt-oss-120b", "--server",
                                               "dgx-b300", "--effective-context", "128k",
                                               "--concurrency", str(sessions), "--format",
                                               "json"])[1])
                    nodes = doc["scenarios"][key]["results"]["nodes_final"]
                    self.assertEqual(nodes <= 3, fits)

    def test_max_context_with_a_latency_target(self):
        # Llama-3.1-70B on 6 DGX H100, 500 sessions of 1,024 + 256 tokens, TPOT within 40 ms:
        # the context each scenario holds, found by the whole sizing at each value.
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "500",
                "--input-tokens", "1024", "--output-tokens", "256", "--tpot-ms", "40",
                "--format", "json"]
        status, out, err = run_main(args + ["--solve", "max-context", "--nodes", "6"])
        found = json.loads(out)["solve"]["scenarios"]
        bounded = {k: v for k, v in found.items() if v["value"] is not None}
        self.assertEqual(sorted(bounded), ["minimum", "recommended"])
        for key, row in bounded.items():
            for tokens, fits in ((row["value"], True), (row["value"] + 1, False)):
                with self.subTest(key=key, tokens=tokens):
                    doc = json.loads(run_main(args + ["--effective-context", str(tokens)])[1])
                    self.assertEqual(doc["scenarios"][key]["results"]["nodes_final"] <= 6,
                                     fits)
        self.assertEqual(found["ideal"]["nodes_final_at_next"], 7)   # 1,280 tokens need 7

    def test_solve_needs_nodes_and_one_server(self):
        for extra, fragment in ((["--solve", "max-concurrency"], "go together"),
                                (["--nodes", "3"], "go together"),
                                (["--solve", "max-context", "--nodes", "3", "--server",
                                  "dgx-b300,dgx-h200"], "one server")):
            with self.subTest(extra=extra):
                status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                             "--concurrency", "10", *extra])
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)


class CsvTest(unittest.TestCase):
    def test_single_run_rows_are_the_json_numbers(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b200", "--format", "csv"])
        self.assertEqual(status, 0)
        rows = list(csv.DictReader(io.StringIO(out)))
        doc = single("dgx-b200")
        self.assertEqual([r["scenario"] for r in rows], ["minimum", "recommended", "ideal"])
        for row in rows:
            results = doc["scenarios"][row["scenario"]]["results"]
            cost = doc["scenarios"][row["scenario"]]["cost"]
            with self.subTest(row["scenario"]):
                self.assertEqual(int(row["nodes_final"]), results["nodes_final"])
                self.assertEqual(int(row["sessions_per_node"]), results["sessions_per_node"])
                self.assertEqual(row["binding_constraint"], results["binding_constraint"])
                self.assertEqual(float(row["kv_budget_per_node_gib"]),
                                 results["kv_budget_per_node_gib"])
                self.assertEqual(float(row["tco_usd"]), cost["tco_usd"])
                self.assertEqual(float(row["usd_per_million_output_tokens"]),
                                 cost["usd_per_million_output_tokens"])
        self.assertIn("kv_budget_per_node_gib", rows[0])      # units in the column names

    def test_comparison_has_one_row_per_server(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--format", "csv"])
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["server"] for r in rows], ["dgx-b300", "dgx-h200"])
        for row in rows:
            doc = single(row["server"])
            self.assertEqual(int(row["nodes_final"]),
                             doc["scenarios"]["recommended"]["results"]["nodes_final"])
            self.assertEqual(int(row["nodes_final_ideal"]),
                             doc["scenarios"]["ideal"]["results"]["nodes_final"])

    def test_the_worked_example_still_prints_text_and_json_by_default(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300"])
        self.assertEqual([s["results"]["nodes_final"]
                          for s in last_json(out)["scenarios"].values()], [2, 3, 5])


if __name__ == "__main__":
    unittest.main()
