"""Planning views (issue 15): a comparison of servers and CSV, each a view over the same
sizing core; every number a view shows equals a single run's."""

import csv
import io
import json
import tempfile
import unittest

import sizing
from tests.helpers import FIXTURES, assert_refused, fixture_args, last_json, run_main

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
        # a bare --node-price-usd is refused with a comparison: the advice is a price by name
        self.assertIn("One server has no price in the catalog (give --node-price-usd "
                      "NAME=USD for its cost): dgx-b300 needs 24 GPUs.", " ".join(out.split()))
        self.assertTrue(all(len(line) <= 100 for line in out.splitlines()))
        # renting, at the catalog's GPU-hour hints over 3 years: B300 24 GPUs x 3.48 x 8,760 x
        # 3 = 2,194,905.60; B200 40 x 2.90 x 26,280 = 3,048,480; H100 80 x 1.30 x 26,280 =
        # 2,733,120. The B300 is the cheapest to rent, though it has no node price
        self.assertIn("Cheapest to rent: dgx-b300, 24 GPUs for USD 2.2 M over 3 years.",
                      " ".join(out.split()))
        doc = json.loads(run_main(WORKED + ["--server", "dgx-b200,dgx-h100,dgx-b300",
                                            "--format", "json"])[1])
        self.assertEqual({r["inputs"]["server"]["name"]:
                          r["scenarios"]["recommended"]["cost"]["rent_usd"]
                          for r in doc["comparison"]},
                         {"dgx-b300": 2_194_905.6, "dgx-b200": 3_048_480.0,
                          "dgx-h100": 2_733_120.0})
        # without node prices the verdict ranks by GPUs and quotes no TCO for the runner-up
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--format", "text"])
        self.assertIn("Fewest GPUs (no node prices to compare): dgx-b300, 3 units (24 GPUs). "
                      "Runner-up: dgx-h200, 6 units (48 GPUs).", " ".join(out.split()))
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--format", "text",
                                            "--executive-report"])
        self.assertIn("## Servers compared", out)
        self.assertIn("## Recommended server: dgx-b300", out)

    def test_a_price_per_server_prices_the_comparison(self):
        # The worked example on three servers, the B300 (no catalog price) quoted at 450,000
        # and the H100 at 250,000 (catalog 199,000), by name and by alias: each server's capex
        # is its RECOMMENDED nodes x its own price; the B200 keeps its catalog price.
        doc = json.loads(run_main(WORKED + ["--server", "dgx-b200,dgx-h100,dgx-b300",
                                            "--node-price-usd", "dgx-b300=450k, dgxh100=250000",
                                            "--format", "json"])[1])
        by_name = {r["inputs"]["server"]["name"]: r for r in doc["comparison"]}
        for name, price, origin in (("dgx-b300", 450000, "flag"), ("dgx-h100", 250000, "flag"),
                                    ("dgx-b200", None, "catalog")):
            with self.subTest(name):
                cost = by_name[name]["cost"]
                self.assertEqual(cost["inputs_from"]["node_price_usd"], origin)
                if price is not None:
                    self.assertEqual(cost["inputs"]["node_price_usd"], price)
                rec = by_name[name]["scenarios"]["recommended"]
                self.assertEqual(rec["cost"]["capex_usd"], rec["results"]["nodes_final"]
                                 * cost["inputs"]["node_price_usd"])
        self.assertEqual(len(doc["ranking"]), 3)
        # a priced name the run does not size, twice, or malformed: refused
        for prices, fragment in (("dgx-h200=1", "which this run does not size"),
                                 ("dgx-b300=1,dgx-b300=2", "prices dgx-b300 twice"),
                                 ("dgx-b300=", "is not NAME=USD"),
                                 ("dgx-b300=-4", "greater than 0")):
            with self.subTest(prices=prices):
                status, out, err = run_main(WORKED + ["--server", "dgx-h100,dgx-b300",
                                                      "--node-price-usd", prices])
                self.assertEqual((status, out), (2, ""))
                self.assertIn(fragment, err)
        # a GPU-hour rate the same way: per server, or refused bare. The H200 rented at 2.20
        # USD an hour; the B300 keeps its catalog hint (3.48): each rent is its RECOMMENDED
        # GPUs x its rate x 8,760 h x 3 years
        doc = json.loads(run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--gpu-hour-usd",
                                            "h200=2.2", "--format", "json"])[1])
        for row in doc["comparison"]:
            cost, rec = row["cost"], row["scenarios"]["recommended"]
            rate = {"dgx-b300": 3.48, "dgx-h200": 2.2}[row["inputs"]["server"]["name"]]
            self.assertEqual(cost["inputs"]["gpu_hour_usd"], rate)
            self.assertAlmostEqual(rec["cost"]["rent_usd"],
                                   rec["results"]["gpus_final"] * rate * 8760 * 3, places=2)
        status, out, err = run_main(WORKED + ["--server", "dgx-b300,dgx-h200",
                                              "--gpu-hour-usd", "2.5"])
        self.assertEqual((status, out), (2, ""))
        self.assertIn("--gpu-hour-usd describes one server", err)

    def test_a_server_the_flags_cannot_run_on_is_left_out(self):
        # The fixture's spec-node has no bandwidth or TFLOPS, so a latency target cannot run.
        status, out, _ = run_main(fixture_args(
            "--model", "spec-120b", "--concurrency", "1000", "--effective-context", "128k",
            "--server", "perf-h100,spec-node", "--tpot-ms", "50", "--format", "json"))
        doc = json.loads(out)
        self.assertEqual(doc["ranking"], ["perf-h100"])
        self.assertEqual(doc["left_out"][0]["server"], "spec-node")
        self.assertIn("hbm_bandwidth_tb_per_s", doc["left_out"][0]["reason"])
        # every view says so: the table's text and the executive comparison, which before
        # showed only the servers it ranked, as if spec-node had not been asked for
        line = f"spec-node left out: {doc['left_out'][0]['reason']}"
        for extra in (["--format", "text"], ["--format", "text", "--executive-report"]):
            with self.subTest(extra=extra):
                status, out, _ = run_main(fixture_args(
                    "--model", "spec-120b", "--concurrency", "1000", "--effective-context",
                    "128k", "--server", "perf-h100,spec-node", "--tpot-ms", "50", *extra))
                self.assertIn(line, " ".join(out.replace("\\", "").split()))
        self.assertIn("## Recommended server: perf-h100", out)

    def test_a_comparison_that_sizes_nothing_recommends_no_server(self):
        # perf-8b in bf16 (16.06 GB of weights) on the fixture's 1 GiB "unit": no session fits
        # any scenario; spec-node is left out (TP 3 does not split 8 KV heads). The executive
        # comparison says no server holds a session and shows "unit" in detail, not as the
        # recommended server
        status, out, _ = run_main(fixture_args(
            "--model", "perf-8b", "--concurrency", "10", "--effective-context", "4k",
            "--server", "spec-node,unit", "--tensor-parallel", "3", "--format", "text",
            "--executive-report"))
        self.assertEqual(status, 3)
        self.assertIn("No server holds even one session at RECOMMENDED.", out)
        self.assertIn("- spec-node left out: --tensor-parallel: 3 GPUs per replica do not "
                      "split the model's 8 KV heads evenly", out)
        self.assertIn("## Server in detail: unit", out)
        self.assertNotIn("Recommended server", out)

    def test_bad_combinations(self):
        for extra, fragment in (
                (["--server", "dgx-b300,dgx-h200", "--calibrate-from-log", "x.log"],
                 "calibrates one server"),
                (["--server", "dgx-b300,", "--format", "json"], "empty name"),
                # one server's facts would be given to every server compared (a DGX B300 held
                # to an H100's 79 GiB per GPU, or priced as one)
                (["--server", "dgx-h100,dgx-b300", "--gpu-memory-gib", "79"],
                 "--gpu-memory-gib describes one server"),
                (["--server", "all", "--kv-cache-memory-gib", "40"],
                 "--kv-cache-memory-gib describes one server"),
                (["--server", "dgx-h100,dgx-b300", "--node-price-usd", "300000"],
                 "--node-price-usd describes one server"),
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

    def test_max_concurrency_says_the_request_rate_it_serves(self):
        # Little's law at each row's plan: the sessions over the seconds one request takes,
        # its first token and then 255 more tokens at TPOT (1,024 in, 256 out, TPOT <= 40 ms)
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--input-tokens", "1024",
                "--output-tokens", "256", "--tpot-ms", "40", "--format", "json"]
        status, out, err = run_main(args + ["--solve", "max-concurrency", "--nodes", "3"])
        self.assertEqual(status, 0, err)
        for key, row in json.loads(out)["solve"]["scenarios"].items():
            with self.subTest(key=key):
                point = json.loads(run_main(args + ["--concurrency", str(row["value"])])[1])[
                    "performance"]["operating_point"]
                seconds = (point["ttft_ms"] + 255 * point["tpot_ms"]) / 1000
                self.assertAlmostEqual(row["requests_per_second"], row["value"] / seconds,
                                       places=2)
        context = self.solve("--concurrency", "10", "--solve", "max-context", "--nodes", "3")
        self.assertEqual({row["requests_per_second"] for row in context.values()}, {None})

    def test_max_context_with_a_latency_target(self):
        # Llama-3.1-70B on 6 DGX H100, 500 sessions of 1,024 + 256 tokens, TPOT within 40 ms:
        # the context each scenario holds, found by the whole sizing at each value.
        args = ["--model", "llama-3.1-70b", "--server", "dgx-h100", "--concurrency", "500",
                "--input-tokens", "1024", "--output-tokens", "256", "--tpot-ms", "40",
                "--format", "json"]
        status, out, err = run_main(args + ["--solve", "max-context", "--nodes", "6"])
        found = json.loads(out)["solve"]["scenarios"]
        # MINIMUM (no spare) holds a longer context than RECOMMENDED (20% headroom, one spare)
        self.assertGreater(found["minimum"]["value"], found["recommended"]["value"])
        self.assertGreaterEqual(found["recommended"]["value"], 1280)
        for key, row in found.items():
            if row["value"] is None:
                # no context fits: even one request's 1,280 tokens need more than 6 nodes
                doc = json.loads(run_main(args + ["--effective-context", "1280"])[1])
                nodes = doc["scenarios"][key]["results"]["nodes_final"]
                self.assertGreater(nodes, 6)
                self.assertEqual(row["nodes_final_at_next"], nodes)
                continue
            for tokens, fits in ((row["value"], True), (row["value"] + 1, False)):
                with self.subTest(key=key, tokens=tokens):
                    doc = json.loads(run_main(args + ["--effective-context", str(tokens)])[1])
                    self.assertEqual(doc["scenarios"][key]["results"]["nodes_final"] <= 6,
                                     fits)

    def test_max_context_between_the_last_doubling_and_the_model(self):
        # gpt-oss-120b on 3 DGX B300, 1,200 sessions of 2,048 + 512 tokens, pooled memory: the
        # search doubles from 2,560 tokens (2,560 ... 81,920, then 163,840 is past the model's
        # 131,072), so a value between 81,920 and 131,072 is bisected below the model's limit.
        # By hand: a node's budget is (2,304e9 - 120 x 2^30) x 0.70 = 1,522,605,686,784 bytes
        # (IDEAL x 0.65: 1,413,848,137,728); a session 18,432 x T + 2,359,296 bytes (see
        # below). RECOMMENDED keeps 1 spare: 1,200 x 1.2 = 1,440 sessions on 2 nodes, 720 a
        # node, so 18,432 T + 2,359,296 <= floor(1,522,605,686,784 / 720) = 2,114,730,120:
        # T = 114,603. IDEAL keeps 2: 1,200 x 1.3 = 1,560 on one node: T = 49,042. MINIMUM:
        # 400 a node hold more than the model serves: 131,072.
        found = self.solve("--concurrency", "1200", "--input-tokens", "2048", "--output-tokens",
                           "512", "--memory-model", "pooled", "--solve", "max-context",
                           "--nodes", "3")
        self.assertEqual({k: (v["value"], v["limited_by"]) for k, v in found.items()},
                         {"minimum": (131072, "model_context"),
                          "recommended": (114603, "nodes"), "ideal": (49042, "nodes")})

    def test_max_context_stops_at_the_model_unless_allowed_beyond(self):
        # gpt-oss-120b on 8 DGX B300 at 10 sessions, pooled memory only. A session costs
        # 18 full layers x 8 KV heads x (64 + 64) x 1 byte = 18,432 bytes per token, plus the
        # 128-token window of the 18 sliding layers: 18,432 x T + 2,359,296 bytes.
        # The model serves 131,072 tokens (config.json max_position_embeddings), and 8 nodes
        # hold 10 such sessions easily: the model, not the nodes, stops the value there.
        args = ["--concurrency", "10", "--memory-model", "pooled", "--solve", "max-context",
                "--nodes", "8"]
        found = self.solve(*args)
        for key, row in found.items():
            with self.subTest(key=key):
                self.assertEqual((row["value"], row["nodes_final_at_next"], row["limited_by"]),
                                 (131072, None, "model_context"))
        status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                     "--format", "text", *args])
        self.assertIn("131,072 tokens is the longest context the model serves", out)
        # Past the model: MINIMUM and RECOMMENDED need 2 sessions per node (10 on 8 nodes;
        # 12 on the 7 left beside the spare), so T <= (1,522,605,686,784 / 2 - 2,359,296)
        # / 18,432 = 41,303,194.1; IDEAL 3 per node (13 on 6 nodes) of its 0.65 budget,
        # T <= (1,413,848,137,728 / 3 - 2,359,296) / 18,432 = 25,568,595.5.
        found = self.solve(*args, "--allow-context-beyond-model")
        self.assertEqual({k: (v["value"], v["limited_by"]) for k, v in found.items()},
                         {"minimum": (41303194, "nodes"), "recommended": (41303194, "nodes"),
                          "ideal": (25568595, "nodes")})

    def test_max_concurrency_with_a_benchmark_uses_its_fit(self):
        # The fixture's Llama-3.1-8B on H100 under a 20 ms TPOT target: with the benchmark's
        # constants the solve's value must fit and one more must not, each checked by a
        # calibrated sizing; the defaults' value (a different TPOT limit) is not the answer.
        csv_path = str(FIXTURES / "perf" / "bench_llama8b_h100_trtllm.csv")
        args = fixture_args("--model", "perf-8b", "--server", "perf-h100", "--engine",
                            "trtllm", "--input-tokens", "2048", "--output-tokens", "512",
                            "--tpot-ms", "20", "--format", "json")
        solve = ["--solve", "max-concurrency", "--nodes", "3"]
        status, out, err = run_main(args + solve + ["--calibrate-from-benchmark", csv_path])
        self.assertEqual(status, 0, err)
        found = json.loads(out)["solve"]
        self.assertEqual(found["constants_source"], "benchmark")
        self.assertEqual(found["benchmark_fit"]["runs"], 12)
        default = json.loads(run_main(args + solve)[1])["solve"]
        self.assertEqual(default["constants_source"], "default")
        self.assertNotEqual(found["scenarios"]["minimum"]["value"],
                            default["scenarios"]["minimum"]["value"])
        for sessions, fits in ((found["scenarios"]["minimum"]["value"], True),
                               (found["scenarios"]["minimum"]["value"] + 1, False)):
            with self.subTest(sessions=sessions):
                status, out, err = run_main(args + ["--concurrency", str(sessions),
                                                    "--calibrate-from-benchmark", csv_path])
                self.assertEqual(status, 0, err)
                nodes = json.loads(out)["scenarios"]["minimum"]["results"]["nodes_final"]
                self.assertEqual(nodes <= 3, fits)

    def test_solve_refuses_a_log_comparison_it_would_not_print(self):
        status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                     "--effective-context", "128k", "--solve",
                                     "max-concurrency", "--nodes", "3",
                                     "--calibrate-from-log", "any.log"])
        self.assertEqual((status, out), (2, ""))
        self.assertIn("drop --calibrate-from-log", err)

    def test_solve_refuses_money_it_would_not_print(self):
        # the solve's table has no cost column: a price or a currency would be read and
        # ignored, so each money flag is refused
        for extra in (["--node-price-usd", "300000"], ["--years", "5"],
                      ["--currency", "BRL", "--usd-rate", "5.4"]):
            with self.subTest(extra=extra):
                status, out, err = run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                             "--effective-context", "128k", "--solve",
                                             "max-concurrency", "--nodes", "3", *extra])
                self.assertEqual((status, out), (2, ""))
                self.assertIn(f"--solve prints no money: drop {extra[0]}", err)

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


class GrowthTest(unittest.TestCase):
    GROWTH = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--effective-context", "128k",
              "--concurrency", "1000,2k,3.5k,5000", "--periods", "2027-Q1,2027-Q2,2027-Q3,2027-Q4"]

    def growth(self, *extra):
        status, out, err = run_main(self.GROWTH + ["--format", "json", *extra])
        self.assertEqual(status, 0, err)
        return json.loads(out)

    def test_a_benchmark_calibrates_every_period_as_a_single_run(self):
        # each period, sized with the benchmark's constants, is the single run at its
        # concurrency with the same benchmark: the same nodes, constants and expected error
        base = fixture_args("--model", "perf-8b", "--server", "perf-h100", "--engine", "trtllm",
                            "--input-tokens", "2048", "--output-tokens", "512", "--tpot-ms", "20",
                            "--calibrate-from-benchmark",
                            str(FIXTURES / "perf" / "bench_llama8b_h100_trtllm.csv"))
        status, out, err = run_main(base + ["--concurrency", "500,2000", "--format", "json"])
        self.assertEqual(status, 0, err)
        for period, sessions in zip(json.loads(out)["growth"], (500, 2000)):
            status, alone, err = run_main(base + ["--concurrency", str(sessions),
                                                  "--format", "json"])
            self.assertEqual(status, 0, err)
            alone = json.loads(alone)
            with self.subTest(sessions=sessions):
                mine = period["result"]
                self.assertEqual(mine["performance"]["constants"]["source"], "benchmark")
                for key in ("constants", "error_band_expected"):
                    self.assertEqual(mine["performance"][key], alone["performance"][key])
                self.assertEqual(mine["scenarios"]["recommended"]["results"]["nodes_final"],
                                 alone["scenarios"]["recommended"]["results"]["nodes_final"])
        status, out, err = run_main(base + ["--concurrency", "500,2000", "--format", "text"])
        self.assertIn("use the constants fitted to the benchmark", out)

    def test_nodes_per_period_equal_single_runs(self):
        doc = self.growth()
        self.assertEqual(list(doc), ["schema_version", "tool", "current_nodes", "current_fleet",
                                     "capex_total_usd", "growth"])
        self.assertEqual([p["period"] for p in doc["growth"]],
                         ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"])
        for period, sessions in zip(doc["growth"], (1000, 2000, 3500, 5000)):
            alone = json.loads(run_main(["--model", "gpt-oss-120b", "--server", "dgx-b300",
                                         "--effective-context", "128k", "--concurrency",
                                         str(sessions), "--format", "json"])[1])
            with self.subTest(sessions=sessions):
                self.assertEqual(period["concurrency"], sessions)
                for key, row in period["scenarios"].items():
                    self.assertEqual(row["nodes_final"],
                                     alone["scenarios"][key]["results"]["nodes_final"])
                self.assertEqual(period["result"]["scenarios"], alone["scenarios"])

    def test_nodes_to_add_and_capex_by_hand(self):
        # RECOMMENDED at 629 sessions per node, 20% headroom and one spare: ceil(1.2 C / 629)
        # + 1 = 3, 5 (2,400 / 629 = 3.8), 8 (4,200 / 629 = 6.7), 11 (6,000 / 629 = 9.5).
        # With 4 nodes today: buy 0, 1, 3, 3; at USD 500,000 a node, 0, 0.5, 1.5, 1.5 million.
        doc = self.growth("--current-nodes", "4", "--node-price-usd", "500000")
        rec = [p["scenarios"]["recommended"] for p in doc["growth"]]
        self.assertEqual([r["nodes_final"] for r in rec], [3, 5, 8, 11])
        self.assertEqual([r["nodes_to_add"] for r in rec], [0, 1, 3, 3])
        self.assertEqual([r["capex_usd"] for r in rec], [0, 500000, 1500000, 1500000])
        # IDEAL (584 per node, 30% headroom, two spares): ceil(1,300 / 584) + 2 = 5: one more
        # than today's 4 in the first period; today's fleet meets MINIMUM (2, 4) until 2027-Q2.
        self.assertEqual(doc["growth"][0]["scenarios"]["ideal"]["nodes_to_add"], 1)
        self.assertEqual(doc["current_fleet"]["lasts_until"],
                         {"minimum": "2027-Q2", "recommended": "2027-Q1", "ideal": None})
        self.assertEqual(self.growth()["growth"][0]["scenarios"]["recommended"]["nodes_to_add"],
                         3)
        # Capex over the plan: RECOMMENDED 0 + 0.5 + 1.5 + 1.5 = 3.5 million. MINIMUM needs
        # ceil(C / 629) = 2, 4, 6, 8 (buys 0, 0, 2, 2: 2 million); IDEAL ceil(1.3 C / 584) + 2
        # = 5, 7 (2,600 / 584 = 4.5), 10 (4,550 / 584 = 7.8), 14 (6,500 / 584 = 11.1): buys
        # 1, 2, 3, 4, 5 million. Without a price there is no total.
        self.assertEqual(doc["capex_total_usd"],
                         {"minimum": 2000000, "recommended": 3500000, "ideal": 5000000})
        self.assertEqual(self.growth()["capex_total_usd"],
                         {"minimum": None, "recommended": None, "ideal": None})

    def test_text_markdown_and_csv(self):
        status, out, _ = run_main(self.GROWTH + ["--format", "text"])
        self.assertIn("3 (+3)", out)
        self.assertIn("RECOMMENDED buys 3 nodes in 2027-Q1, 2 nodes in 2027-Q2, 3 nodes in "
                      "2027-Q3 and 3 nodes in 2027-Q4", " ".join(out.split()))
        # renting instead, per period: RECOMMENDED's 3, 5, 8 and 11 DGX B300s x 8 GPUs x USD
        # 3.48 (the catalog's hint) x 8,760 h = 731,635.20 a year per 3 nodes: USD 732 k,
        # 1.2 M, 2.0 M and 2.7 M
        self.assertIn("REC rent/yr", out)
        for period, rent in (("2027-Q1", "USD 732 k"), ("2027-Q2", "USD 1.2 M"),
                             ("2027-Q3", "USD 2.0 M"), ("2027-Q4", "USD 2.7 M")):
            line = next(x for x in out.splitlines() if x.strip().startswith(period))
            self.assertTrue(line.endswith(rent), line)
        status, out, _ = run_main(self.GROWTH + ["--format", "text", "--executive-report"])
        self.assertIn("    line [3, 5, 8, 11]", out)
        status, out, _ = run_main(self.GROWTH + ["--format", "csv"])
        rows = list(csv.DictReader(io.StringIO(out)))
        doc = self.growth()
        self.assertEqual([r["period"] for r in rows], [p["period"] for p in doc["growth"]])
        for row, period in zip(rows, doc["growth"]):
            for key in sizing.SCENARIO_KEYS:
                self.assertEqual(int(row[f"nodes_final_{key}"]),
                                 period["scenarios"][key]["nodes_final"])
                self.assertEqual(int(row[f"nodes_to_add_{key}"]),
                                 period["scenarios"][key]["nodes_to_add"])

    def test_the_chart_of_a_plan_with_unsized_scenarios(self):
        # Llama-3.1-8B at 128k in bf16 keeps 32 x 8 x 128 x 2 x 2 B x 131,072 = 16 GiB a
        # session; a DGX H100 has 640 GB = 596.05 GiB. Less 572 GiB of overhead, 24.05 GiB:
        # x 0.70 = 16.83 GiB holds one session (MINIMUM, RECOMMENDED), x 0.65 = 15.63 none
        # (IDEAL). RECOMMENDED needs ceil(10 x 1.2) + 1 = 13 nodes, then ceil(20 x 1.2) + 1 =
        # 25; IDEAL is drawn at 0 and the chart says so. Less 580 GiB, 16.05 x 0.70 = 11.23
        # GiB holds no session anywhere: no chart at all.
        base = ["--model", "llama-3.1-8b", "--server", "dgx-h100", "--concurrency", "10,20",
                "--effective-context", "128k", "--kv-precision", "bf16", "--memory-model",
                "pooled", "--format", "text", "--executive-report", "--runtime-overhead-gib"]
        status, out, _ = run_main(base + ["572"])
        self.assertEqual(status, 3)
        self.assertIn("    line [13, 25]\n    line [0, 0]", out)
        self.assertIn("IDEAL. A scenario that cannot be sized in a period shows 0.", out)
        # one plan of 10 sessions: MINIMUM ceil(10 / 1) = 10 nodes, RECOMMENDED 13, IDEAL 0;
        # both charts say so, and the recommendation does not point to IDEAL
        status, out, _ = run_main(base + ["572", "--concurrency", "10"])
        self.assertEqual(status, 3)
        self.assertIn("    bar [10, 13, 0]\n```\n\nA scenario that cannot be sized shows 0.", out)
        self.assertEqual(out.count("A scenario that cannot be sized shows 0."), 2)
        self.assertIn("IDEAL cannot be sized on dgx-h100 (section 4): 99.99%+ availability "
                      "needs other inputs or a larger server.", out)
        self.assertNotIn("Move to IDEAL", out)
        status, out, _ = run_main(base + ["580"])
        self.assertEqual(status, 3)
        self.assertNotIn("mermaid", out)
        self.assertIn("No scenario can be sized in any period, so there are no nodes to chart.",
                      out)
        status, out, _ = run_main(self.GROWTH + ["--format", "text", "--executive-report"])
        self.assertNotIn("cannot be sized", out)

    def test_bad_combinations(self):
        base = ["--model", "gpt-oss-120b", "--effective-context", "128k"]
        for extra, fragment in (
                (["--server", "dgx-b300", "--concurrency", "1k,2k", "--periods", "Q1"],
                 "--periods has 1 labels for 2"),
                (["--server", "dgx-b300,dgx-h200", "--concurrency", "1k,2k"], "one server"),
                (["--server", "dgx-b300", "--concurrency", "1,000"], "a comma separates"),
                (["--server", "dgx-b300", "--concurrency", "1k,2k", "--solve",
                  "max-context", "--nodes", "2"], "not a growth plan"),
                (["--server", "dgx-b300", "--concurrency", "1k", "--current-nodes", "2",
                  "--solve", "max-concurrency", "--nodes", "2"], "give one")):
            with self.subTest(extra=extra):
                assert_refused(self, base + extra, fragment)


class FleetTest(unittest.TestCase):
    def test_four_nodes_for_the_worked_example(self):
        status, out, err = run_main(WORKED + ["--server", "dgx-b300", "--current-nodes", "4"])
        self.assertEqual(status, 0, err)
        fleet = last_json(out)["current_fleet"]
        # 4 nodes x 629 sessions = 2,516; 3 x 629 = 1,887 after one loss, 2 x 629 = 1,258.
        rec = fleet["scenarios"]["recommended"]
        self.assertEqual((rec["sessions_held"], rec["sessions_held_after_losing_one_node"],
                          rec["sessions_held_after_losing_two_nodes"]), (2516, 1887, 1258))
        # The most sessions: MINIMUM 4 x 629; RECOMMENDED keeps a spare: 1.2 C <= 3 x 629,
        # C <= 1,572.5; IDEAL keeps two: 1.3 C <= 2 x 584, C <= 898.5.
        self.assertEqual({k: v["max_concurrency"] for k, v in fleet["scenarios"].items()},
                         {"minimum": 2516, "recommended": 1572, "ideal": 898})
        # and the request rate each serves: those sessions over the seconds one request takes
        # at that plan's speed (1,024 output tokens: the first token, then 1,023 at TPOT)
        for key, row in fleet["scenarios"].items():
            with self.subTest(key=key):
                point = last_json(run_main(WORKED + ["--server", "dgx-b300", "--concurrency",
                                                     str(row["max_concurrency"])])[1])[
                    "performance"]["operating_point"]
                seconds = (point["ttft_ms"] + 1023 * point["tpot_ms"]) / 1000
                self.assertAlmostEqual(row["max_requests_per_second"],
                                       row["max_concurrency"] / seconds, places=2)
        self.assertIn(f"RECOMMENDED 1,572 "
                      f"({fleet['scenarios']['recommended']['max_requests_per_second']:.1f} "
                      f"requests/s)", " ".join(out.split()))
        self.assertEqual({k: (v["meets"], v["nodes_to_add"])
                          for k, v in fleet["scenarios"].items()},
                         {"minimum": (True, 0), "recommended": (True, 0), "ideal": (False, 1)})
        # the fleet follows the plan's bottom line (title, plan, bound, money: no node price
        # for DGX B300, so what renting its GPUs costs), in the first ten lines
        self.assertIn("Today's fleet, 4 x dgx-b300", "\n".join(out.splitlines()[:10]))
        self.assertIn("IDEAL needs 5: add 1 node.", " ".join(out.split()))
        # DGX B300 has no node price in the catalog: the missing nodes' capex is unknown
        self.assertEqual({v["capex_to_add_usd"] for v in fleet["scenarios"].values()}, {None})
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300", "--current-nodes", "4",
                                            "--executive-report", "--format", "text",
                                            "--lang", "pt-BR"])
        self.assertTrue(out.startswith("# "))
        self.assertIn("## Frota atual", "\n".join(out.splitlines()[:3]))
        self.assertIn("o IDEAL pede 5: falta 1 nó.", out)

    def test_the_nodes_to_add_at_a_node_price(self):
        status, out, err = run_main(WORKED + ["--server", "dgx-b300", "--current-nodes", "4",
                                              "--node-price-usd", "450k"])
        self.assertEqual(status, 0, err)
        # IDEAL needs 5 nodes: 1 to add x USD 450,000; the other two are met, nothing to buy
        self.assertEqual({k: v["capex_to_add_usd"]
                          for k, v in last_json(out)["current_fleet"]["scenarios"].items()},
                         {"minimum": 0, "recommended": 0, "ideal": 450000})
        self.assertIn("IDEAL needs 5: add 1 node, capex USD 450 k.", " ".join(out.split()))
        # the executive recommendation says what the plan adds to the fleet: 4 nodes meet
        # RECOMMENDED's 3; 2 nodes leave one to buy, 1 x USD 450,000
        for nodes, said in (("4", "The 4 nodes in service already meet it: nothing to buy."),
                            ("2", "With 2 nodes in service, the purchase is one node "
                                  "(capex USD 450 k).")):
            status, out, err = run_main(WORKED + ["--server", "dgx-b300", "--current-nodes", nodes,
                                                  "--node-price-usd", "450k",
                                                  "--executive-report", "--format", "text"])
            self.assertEqual(status, 0, err)
            self.assertIn(said, out)


class DiffTest(unittest.TestCase):
    def plan(self, folder, name, *extra):
        path = f"{folder}/{name}"
        status, _, err = run_main(WORKED + ["--server", "dgx-b300", "--format", "text",
                                            "--output-json-file", path, *extra])
        self.assertEqual(status, 0, err)
        return path

    def test_itself_and_a_wider_kv_cache(self):
        with tempfile.TemporaryDirectory() as folder:
            old = self.plan(folder, "old.json")
            new = self.plan(folder, "new.json", "--kv-precision", "bf16")
            status, out, err = run_main(["--diff", old, old, "--format", "json"])
            self.assertEqual(status, 0, err)
            same = json.loads(out)["diff"]
            self.assertEqual((same["changed"], same["inputs"], same["results"]),
                             (False, [], []))
            status, out, _ = run_main(["--diff", old, old, "--format", "text"])
            self.assertIn("No input and no result changed.", out)
            diff = json.loads(run_main(["--diff", old, new, "--format", "json"])[1])["diff"]
        self.assertIn({"path": "nfr.kv_precision", "old": "fp8", "new": "bf16"}, diff["inputs"])
        # bf16 doubles the bytes per session: floor(1,418.04 GiB / 4.504 GiB) = 314 sessions
        # per node (IDEAL 292): MINIMUM ceil(1,000 / 314) = 4, RECOMMENDED ceil(1,200 / 314)
        # + 1 = 5, IDEAL ceil(1,300 / 292) + 2 = 7.
        nodes = {c["where"]: (c["old"], c["new"], c["delta"]) for c in diff["results"]
                 if c["field"] == "nodes_final"}
        self.assertEqual(nodes, {"minimum": (2, 4, 2), "recommended": (3, 5, 2),
                                 "ideal": (5, 7, 2)})
        # and renting RECOMMENDED's GPUs (catalog hint, USD 3.48 an hour, 3 years): 24 GPUs x
        # 3.48 x 26,280 h = 2,194,905.60 before, 40 GPUs = 3,658,176 after
        rent = {c["where"]: (c["old"], c["new"]) for c in diff["results"]
                if c["field"] == "rent_usd"}
        self.assertEqual(rent["recommended"], (2_194_905.6, 3_658_176.0))

    def test_slower_storage_changes_its_checks_not_the_nodes(self):
        # From local NVMe (28 GB/s) to cloud_premium (4 GB/s): the 65.19 GB of MXFP4 weights
        # load in 65.19 / 28 = 2.328 s, then 16.297 s; one session's 2,418,278,400 B of KV
        # restore in 0.0864 s, then 0.6046 s. No node count moves; before, the diff said "No
        # result changed."
        with tempfile.TemporaryDirectory() as folder:
            old = self.plan(folder, "old.json")
            new = self.plan(folder, "new.json", "--storage", "cloud_premium")
            diff = json.loads(run_main(["--diff", old, new, "--format", "json"])[1])["diff"]
            status, out, _ = run_main(["--diff", old, new, "--format", "text"])
        self.assertEqual([(c["where"], c["field"], c["old"], c["new"]) for c in diff["results"]],
                         [("storage", "cold_start_seconds", 2.328, 16.297),
                          ("storage", "kv_restore_seconds", 0.0864, 0.6046)])
        self.assertNotIn("No result changed.", out)
        self.assertIn("storage   cold_start_seconds  2.328   16.297  +13.969", out)

    def test_an_input_that_changes_no_result(self):
        # Stating the default workload split (a chat turn of 1,024 in and 1,024 out, within the
        # same 128k context) records two inputs and sizes the same plan
        with tempfile.TemporaryDirectory() as folder:
            old = self.plan(folder, "old.json")
            new = self.plan(folder, "new.json", "--input-tokens", "1024", "--output-tokens",
                            "1024")
            diff = json.loads(run_main(["--diff", old, new, "--format", "json"])[1])["diff"]
            status, out, _ = run_main(["--diff", old, new, "--format", "text"])
        self.assertEqual((diff["changed"], diff["results"]), (True, []))
        self.assertEqual([(c["path"], c["old"], c["new"]) for c in diff["inputs"]],
                         [("nfr.input_tokens", None, 1024), ("nfr.output_tokens", None, 1024)])
        self.assertIn("No result changed.", out)

    def test_a_hand_edited_document_is_diffed_not_crashed_on(self):
        with tempfile.TemporaryDirectory() as folder:
            old = self.plan(folder, "old.json")
            with open(old, encoding="utf-8") as f:
                doc = json.load(f)
            doc["scenarios"]["ideal"] = [1, 2]          # not an object any more
            doc["engine"] = "x"
            edited = f"{folder}/edited.json"
            with open(edited, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            status, out, err = run_main(["--diff", old, edited, "--format", "json"])
        self.assertEqual(status, 0, err)
        results = json.loads(out)["diff"]["results"]
        self.assertIn({"where": "ideal", "field": "nodes_final", "old": 5, "new": None,
                       "delta": None}, results)

    def test_refusals(self):
        with tempfile.TemporaryDirectory() as folder:
            old = self.plan(folder, "old.json")
            with open(old, encoding="utf-8") as f:
                doc = json.load(f)
            doc["schema_version"] = "2.0"
            newer = f"{folder}/newer.json"
            with open(newer, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            compared = f"{folder}/compared.json"
            run_main(WORKED + ["--server", "dgx-b300,dgx-h200", "--format", "text",
                               "--output-json-file", compared])
            for argv, fragment in (
                    (["--diff", old, newer], "different major versions"),
                    (["--diff", old, compared], "it is a comparison document"),
                    (["--diff", old, old, "--server", "dgx-b300,dgx-h200"], "drop --server")):
                with self.subTest(fragment):
                    assert_refused(self, argv, fragment)


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
                self.assertEqual(float(row["rent_usd"]), cost["rent_usd"])
        self.assertIn("kv_budget_per_node_gib", rows[0])      # units in the column names

    def test_a_replica_across_nodes_gives_its_nodes_and_sessions(self):
        # Llama-3.1-405B at 128k on DGX H100: a replica over 4 nodes; the columns before the
        # sessions and the rate are the JSON's nodes_per_unit and sessions_per_unit
        # (sessions_per_node rounds them down)
        args = ["--model", "llama-3.1-405b", "--server", "dgx-h100", "--concurrency", "100",
                "--effective-context", "128k"]
        status, out, _ = run_main(args + ["--format", "csv"])
        self.assertEqual(status, 0)
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(list(rows[0])[-4:], ["nodes_per_unit", "sessions_per_unit",
                                              "concurrency", "requests_per_second"])
        self.assertEqual({(r["concurrency"], r["requests_per_second"]) for r in rows},
                         {("100", "")})
        doc = json.loads(run_main(args + ["--format", "json"])[1])
        for row in rows:
            results = doc["scenarios"][row["scenario"]]["results"]
            self.assertGreater(results["nodes_per_unit"], 1)
            self.assertEqual((int(row["nodes_per_unit"]), int(row["sessions_per_unit"])),
                             (results["nodes_per_unit"], results["sessions_per_unit"]))
            self.assertEqual(int(row["sessions_per_node"]),
                             results["sessions_per_unit"] // results["nodes_per_unit"])

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
            self.assertEqual(row["left_out_reason"], "")

    def test_comparison_rows_for_the_servers_left_out(self):
        # spec-node has no performance figures, so a latency target leaves it out: its row
        # follows the ranked ones, no number in it, the JSON's reason last
        args = fixture_args("--model", "spec-120b", "--concurrency", "1000",
                            "--effective-context", "128k", "--server", "perf-h100,spec-node",
                            "--tpot-ms", "50")
        rows = list(csv.DictReader(io.StringIO(run_main(args + ["--format", "csv"])[1])))
        doc = json.loads(run_main(args + ["--format", "json"])[1])
        self.assertEqual([r["server"] for r in rows], ["perf-h100", "spec-node"])
        left = rows[1]
        self.assertEqual(left["left_out_reason"], doc["left_out"][0]["reason"])
        self.assertEqual({v for k, v in left.items() if k not in ("server", "left_out_reason")},
                         {""})

    def test_no_speed_where_no_session_is_served(self):
        # Llama-3.1-405B in bf16 (810 GB of weights) in one L40S node (8 x 48 GB) holds no
        # session: the JSON keeps the model's curve and its lone-session point, but no view
        # quotes a speed for a plan that serves nobody; DGX B300 serves them and shows its own.
        args = ["--model", "llama-3.1-405b", "--concurrency", "100", "--effective-context",
                "128k", "--max-nodes-per-replica", "1"]
        doc = json.loads(run_main(args + ["--server", "l40s-8x", "--format", "json"])[1])
        self.assertEqual([s["results"]["nodes_final"] for s in doc["scenarios"].values()],
                         [None] * 3)
        self.assertEqual(doc["performance"]["operating_point"]["sessions_per_replica"], 1)
        self.assertIsNone(doc["cost"]["output_tokens_per_second"])   # the plan serves none
        status, out, _ = run_main(args + ["--server", "l40s-8x", "--format", "text"])
        self.assertNotIn("<- plan", out)           # the curve marks no plan's load
        self.assertIn("the plan serves - output tokens/s", " ".join(out.split()))
        status, out, _ = run_main(args + ["--server", "l40s-8x", "--executive-report"])
        self.assertEqual(status, 3)                # no speed chart for leadership either
        self.assertNotIn("xychart-beta", out)
        self.assertNotIn("Speed per user as load grows", out)
        status, out, _ = run_main(args + ["--server", "l40s-8x", "--format", "csv"])
        self.assertEqual(status, 3)
        self.assertEqual({(r["tpot_ms"], r["output_tokens_per_second_per_session"])
                          for r in csv.DictReader(io.StringIO(out))}, {("", "")})
        status, out, _ = run_main(args + ["--server", "dgx-b300,l40s-8x", "--format", "csv"])
        rows = {r["server"]: r for r in csv.DictReader(io.StringIO(out))}
        b300 = json.loads(run_main(args + ["--server", "dgx-b300", "--format", "json"])[1])
        point = b300["performance"]["operating_point"]
        self.assertEqual((rows["dgx-b300"]["tpot_ms"], rows["l40s-8x"]["tpot_ms"]),
                         (str(point["tpot_ms"]), ""))
        status, out, _ = run_main(args + ["--server", "dgx-b300,l40s-8x", "--format", "text"])
        table = {line.split()[0]: line.split() for line in out.splitlines()
                 if line.startswith(("  dgx-b300 ", "  l40s-8x "))}
        speed = out.splitlines()[next(i for i, line in enumerate(out.splitlines())
                                      if line.lstrip().startswith("server "))].split()
        column = speed.index("tok/s")        # "bound by" and "engine memory": two words each
        self.assertEqual(table["l40s-8x"][column - 2:column + 1], ["engine", "memory", "-"])
        self.assertEqual(table["dgx-b300"][column - 2:column + 1],
                         ["engine", "memory",
                          f"{point['output_tokens_per_second_per_session']:.1f}"])

    def test_solve_and_diff_rows_are_the_json_numbers(self):
        # --solve: one row per scenario, the values worked out by hand in SolveTest (629
        # sessions per node, 584 in IDEAL: 1,887 / 1,048 / 449 on 3 nodes), the other columns
        # the JSON's, blank wherever it has null
        args = ["--model", "gpt-oss-120b", "--server", "dgx-b300", "--effective-context",
                "128k", "--solve", "max-concurrency", "--nodes", "3"]
        status, out, err = run_main(args + ["--format", "csv"])
        self.assertEqual(status, 0, err)
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([(r["scenario"], r["target"], r["nodes"], r["value"]) for r in rows],
                         [("minimum", "max-concurrency", "3", "1887"),
                          ("recommended", "max-concurrency", "3", "1048"),
                          ("ideal", "max-concurrency", "3", "449")])
        found = json.loads(run_main(args + ["--format", "json"])[1])["solve"]["scenarios"]
        for row in rows:
            expected = found[row["scenario"]]
            self.assertEqual(
                [row[k] for k in ("nodes_final_at_value", "nodes_final_at_next", "limited_by",
                                  "requests_per_second")],
                ["" if expected[k] is None else str(expected[k]) for k in (
                    "nodes_final_at_value", "nodes_final_at_next", "limited_by",
                    "requests_per_second")])
        # --diff: the fp8 worked example against bf16 KV (DiffTest: nodes 2 / 3 / 5 become
        # 4 / 5 / 7), an input row with its dotted path and a result row per changed field
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for name, extra in (("old.json", []), ("new.json", ["--kv-precision", "bf16"])):
                paths.append(f"{folder}/{name}")
                status, _, err = run_main(WORKED + ["--server", "dgx-b300", "--format", "text",
                                                    "--output-json-file", paths[-1], *extra])
                self.assertEqual(status, 0, err)
            status, out, err = run_main(["--diff", *paths, "--format", "csv"])
            self.assertEqual(status, 0, err)
            diff = json.loads(run_main(["--diff", *paths, "--format", "json"])[1])["diff"]
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["kind", "where", "field", "old", "new", "delta"])
        self.assertIn(["input", "nfr.kv_precision", "", "fp8", "bf16", ""], rows)
        for key, (old, new) in {"minimum": (2, 4), "recommended": (3, 5),
                                "ideal": (5, 7)}.items():
            self.assertIn(["result", key, "nodes_final", str(old), str(new), str(new - old)],
                          rows)
        self.assertEqual(len(rows) - 1, len(diff["inputs"]) + len(diff["results"]))

    def test_the_worked_example_still_prints_text_and_json_by_default(self):
        status, out, _ = run_main(WORKED + ["--server", "dgx-b300"])
        self.assertEqual([s["results"]["nodes_final"]
                          for s in last_json(out)["scenarios"].values()], [2, 3, 5])


if __name__ == "__main__":
    unittest.main()
