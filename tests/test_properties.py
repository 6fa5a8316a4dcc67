"""Invariants over generated models, servers and workloads (stdlib random, fixed seeds).

For every valid input: nodes never decrease when concurrency, context or headroom grows or KV
precision widens; never increase when HBM or the budget ratio grows; MINIMUM <= RECOMMENDED
<= IDEAL; the JSON holds no NaN or infinity; the text report, JSON and Markdown show the same
numbers. Unsized scenarios (no session fits) count as infinitely many nodes.
"""

import bisect
import itertools
import json
import math
import random
import re
import unittest

import sizing

INF = math.inf


def random_model(rng, i):
    layers = rng.randint(1, 128)
    raw = {"name": f"m{i}", "description": "generated", "hf_repo": "gen/m", "source": "gen",
           "num_layers": layers, "max_position_embeddings": rng.choice([4096, 131072, 2**20]),
           "default_kv_precision": "bf16", "total_params_billion": rng.uniform(0.1, 800),
           "active_params_billion": 0.1, "weight_precision": rng.choice(["bf16", "fp8"]),
           "params_source": "gen", "vocab_size": rng.randint(1000, 300000)}
    heads, kv = rng.choice([(8, 1), (32, 8), (64, 8), (16, 2), (128, 128)])
    form = rng.choice(["full", "sliding", "hybrid", "layers"])
    window = rng.randint(1, 4095)
    if form == "layers":
        kinds = rng.sample(["full", "sliding", "chunked", "mla", "linear_attention", "mamba"],
                           rng.randint(1, 4))
        counts = [1] * len(kinds)
        for _ in range(max(0, layers - len(kinds))):
            counts[rng.randrange(len(kinds))] += 1
        raw["num_layers"] = sum(counts)
        groups = []
        for kind, count in zip(kinds, counts):
            g = {"kind": kind, "layers": count}
            if kind in ("full", "sliding", "chunked"):
                g.update(kv_heads=kv, head_dim=rng.choice([64, 128, 256]))
            if kind == "sliding":
                g["window"] = window
            if kind == "chunked":
                g["chunk"] = window
            if kind == "mla":
                g.update(kv_lora_rank=512, qk_rope_head_dim=64)
            if kind == "linear_attention":
                g.update(num_key_heads=16, key_head_dim=128, num_value_heads=32,
                         value_head_dim=128, conv_kernel=4, state_precision="bf16")
            if kind == "mamba":
                g.update(d_inner=8192, d_state=16, conv_kernel=4, state_precision="fp32")
            groups.append(g)
        raw.update(attention_pattern="layers", layer_groups=groups)
    else:
        raw.update(attention_pattern=form, num_key_value_heads=kv, num_attention_heads=heads,
                   head_dim=rng.choice([64, 128, 256]))
        if form != "full":
            raw["sliding_window"] = window
        if form == "hybrid":
            full = rng.randint(0, layers)
            if full in (0, layers):
                raw["attention_pattern"] = "sliding" if full == 0 else "full"
                if full == layers:
                    del raw["sliding_window"]
            else:
                raw.update(full_attention_layers=full, sliding_attention_layers=layers - full)
    return sizing.parse_model(sizing._Entry("gen", "model", i, raw))


def random_server(rng, performance=False):
    gpus = rng.choice([1, 2, 4, 8])
    per = rng.choice([16, 24, 48, 80, 141, 180, 192, 288])
    server = sizing.Server("s", (), "", "", "", gpus, per, gpus * per, "")
    if performance:     # figures of the order of H100 to B300
        server = server._replace(
            hbm_bandwidth_tb_per_s=rng.choice([3.35, 4.8, 8.0]),
            bf16_tflops=rng.choice([989, 2250]), fp8_tflops=rng.choice([None, 1979, 4500]),
            scaleup_gb_per_s=rng.choice([None, 450, 900]), perf_source="gen")
    return server


def random_workload(rng):
    return sizing.Workload(
        concurrency=rng.randint(1, 200000), effective_context_tokens=rng.randint(1, 2**20),
        kv_precision=rng.choice(["fp8", "bf16"]), kv_budget_ratio=rng.choice(
            [0.05, 0.3, 0.5, 0.65, 0.7, 0.75, 0.9, 1.0]),
        runtime_overhead_gib=rng.choice([0.0, 20.0, 120.0]),
        peak_headroom_ratio=rng.choice([0.0, 0.1, 0.2, 0.5, 2.0]),
        ha_mode=rng.choice(["none", "n+1", "n+2"]))


STORAGE = sizing.Storage("p", (), "", "nvme", 28, 1, 0.1, "")


def nodes(model, server, work):
    """The methodology's view alone: size_all's scenarios in pooled mode, without the engine
    layout search and the performance model it also runs for the reports."""
    kv = sizing.kv_breakdown(model.layer_groups, work.effective_context_tokens,
                             work.kv_precision)
    hbm = sizing.hbm_total_bytes(server)
    sized = [sizing.size_scenario(p, work, kv, hbm, server.gpus) for p in sizing.SCENARIOS]
    return [INF if s.nodes_final is None else s.nodes_final for s in sized]


def replace(work, **changes):
    return work._replace(**changes)


def row(text, label, markdown=False):
    """Return the cells after `label` in a text or Markdown table row."""
    for line in text.splitlines():
        cells = [c.strip() for c in (line.strip("|").split("|") if markdown
                                     else re.split(r"\s{2,}", line.strip()))]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r}")


class InvariantTest(unittest.TestCase):
    SAMPLES = 400

    def test_monotonic_and_ordered(self):
        rng = random.Random(20261127)
        for i in range(self.SAMPLES):
            model, server, work = random_model(rng, i), random_server(rng), random_workload(rng)
            base = nodes(model, server, work)
            with self.subTest(i=i, model=model.attention_pattern, work=work):
                self.assertTrue(base[0] <= base[1] <= base[2], base)
                grown = [
                    replace(work, concurrency=work.concurrency * 2),
                    replace(work, effective_context_tokens=min(2**31,
                                                               work.effective_context_tokens * 2)),
                    replace(work, peak_headroom_ratio=work.peak_headroom_ratio + 0.3),
                    replace(work, kv_precision="bf16"),
                    replace(work, runtime_overhead_gib=work.runtime_overhead_gib + 10),
                ]
                for more in grown:
                    after = nodes(model, server, more)
                    self.assertTrue(all(a >= b for a, b in zip(after, base)),
                                    (more, base, after))
                bigger = sizing.Server("s", (), "", "", "", server.gpus,
                                       server.hbm_per_gpu_gb * 2, server.total_hbm_gb * 2, "")
                less = [nodes(model, bigger, work),
                        nodes(model, server, replace(work, kv_budget_ratio=min(
                            1.0, work.kv_budget_ratio + 0.1)))]
                for after in less:
                    self.assertTrue(all(a <= b for a, b in zip(after, base)), (base, after))

    def test_engine_mode_monotonic_in_demand(self):
        # The layout search keeps the layout needing the fewest RECOMMENDED nodes, the least of
        # quantities that each grow with demand, so RECOMMENDED never falls when demand grows;
        # MINIMUM and IDEAL follow that layout, so they never fall while it stays the same
        # (when more demand makes another layout the best for RECOMMENDED, say replicas over
        # more nodes, that layout can hold MINIMUM's load on fewer nodes).
        def plan(work):
            # the plan size_all reports, without the alerts and the performance section
            planned = sizing.plan_scenarios(model, server, work,
                                            sizing.EngineSettings(memory_model="engine"))
            sized = [INF if s.nodes_final is None else s.nodes_final for s in planned.scenarios]
            chosen = planned.plans[0]
            return sized, (chosen.engine.tensor_parallel, chosen.expert_parallel,
                           chosen.settings.data_parallel)

        rng = random.Random(7)
        for i in range(180):
            model, server, work = random_model(rng, i), random_server(rng), random_workload(rng)
            base, layout = plan(work)
            with self.subTest(i=i):
                self.assertTrue(base[0] <= base[1] <= base[2], base)
                for more in (replace(work, concurrency=work.concurrency * 3),
                             replace(work, peak_headroom_ratio=work.peak_headroom_ratio + 0.5)):
                    after, moved = plan(more)
                    self.assertGreaterEqual(after[1], base[1], (base, after))
                    if moved == layout:
                        self.assertTrue(all(a >= b for a, b in zip(after, base)),
                                        (base, after))

    def test_views_agree_and_json_is_finite(self):
        rng = random.Random(99)

        def no_constant(name):
            raise ValueError(f"{name} in JSON output")

        for i in range(45):
            model, server, work = random_model(rng, i), random_server(rng), random_workload(rng)
            mode = rng.choice(["pooled", "engine"])
            report = sizing.size_all(model, server, STORAGE, work,
                                     sizing.EngineSettings(memory_model=mode))
            lang = rng.choice(["en", "pt-BR"])
            document = json.loads(sizing.render_json(report, lang), parse_constant=no_constant)
            document_view = sizing.technical_document(report, lang)   # what both render
            text, markdown = sizing.emit_text(document_view), sizing.emit_markdown(document_view)
            table = sizing.STRINGS[lang]["table"]
            with self.subTest(i=i, mode=mode, lang=lang):
                # a value that could not be computed prints as "-", never as None
                self.assertNotIn("None", text + markdown)
                for key in ("nodes_final", "sessions_per_node", "gpus_final"):
                    expected = [sizing.fmt_int(s["results"][key], lang)
                                for s in document["scenarios"].values()]
                    self.assertEqual(row(text, table[key]), expected)
                    self.assertEqual(row(markdown, table[key], markdown=True), expected)


NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def number_tokens(cell, lang):
    """Yield (token, value, decimals, percent) for each number written in a report cell: a run
    of digits and separators not glued to a word (bf16, full#1, n+1 and 128k are not numbers
    here; 26.31x is)."""
    for match in NUMBER.finditer(cell):
        token = match.group().rstrip(".,")
        start, end = match.start(), match.start() + len(token)
        before = cell[start - 1] if start else " "
        after = cell[end] if end < len(cell) else " "
        if before.isalnum() or before in "#_+-" or (after.isalpha() and after != "x") \
                or after in "_^":
            continue
        text = token.lstrip("+-")
        plain = text.translate(str.maketrans({".": ",", ",": "."})) if lang == "pt-BR" else text
        plain = plain.replace(",", "")
        if plain.count(".") > 1:
            continue
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        yield token, float(plain), decimals, after == "%"


def json_leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from json_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_leaves(item)
    else:
        yield value


SCALES = (1, 2**-30, 2**-40, 1e-9, 1e-3, 1e6)   # as is, GiB, TiB, GB, ms as s, s as us


def json_index(numbers, strings):
    """The JSON's numbers in each unit a report may show them in, sorted, and its strings
    joined (NUL never occurs in a shown number, so no match spans two strings)."""
    return ({percent: sorted(abs(x) * k for x in numbers for k in ((100,) if percent
                                                                   else SCALES))
             for percent in (False, True)}, "\0".join(strings))


def in_json(token, value, decimals, percent, index):
    """A number shown is in the JSON as a number (in its unit: as is, GiB, TiB, GB or a
    percentage, rounded as shown) or inside one of its strings (in either separator style:
    the JSON's strings keep catalog text such as "99.9%" as written)."""
    scaled, joined = index
    tolerance = 0.5 * 10**-decimals + 5e-5 + 1e-9 * value
    values = scaled[percent]
    start = bisect.bisect_left(values, value - 2 * tolerance)
    if any(abs(x - value) <= tolerance
           for x in itertools.takewhile(lambda x: x <= value + 2 * tolerance,
                                        itertools.islice(values, start, None))):
        return True
    swapped = token.translate(str.maketrans({".": ",", ",": "."}))
    return token in joined or swapped in joined


def cells(document):
    """Every cell that holds a result: label/value pairs, table cells, explained values and
    their inputs."""
    for block in document.blocks:
        if isinstance(block, sizing.Pairs):
            yield from (value for _, value in block.rows)
        elif isinstance(block, sizing.Table):
            yield from (c for row in block.rows for c in row)
        elif isinstance(block, sizing.Explained):
            for _, value, fields in block.items:
                yield value
                yield fields[1][1]       # the inputs


class NumberParityTest(unittest.TestCase):
    def test_every_number_in_a_block_is_in_text_markdown_and_json(self):
        rng = random.Random(4)
        for i in range(20):
            model, server, work = random_model(rng, i), random_server(rng, i % 2 == 0), \
                random_workload(rng)
            if i % 4 == 0:
                work = work._replace(tpot_ms=rng.choice([10.0, 50.0]),
                                     ttft_ms=rng.choice([None, 2000.0]))
            mode, lang = rng.choice(["pooled", "engine", "both"]), rng.choice(["en", "pt-BR"])
            report = sizing.size_all(model, server, STORAGE, work,
                                     sizing.EngineSettings(memory_model=mode))
            document = sizing.technical_document(report, lang)
            text, markdown = sizing.emit_text(document), sizing.emit_markdown(document)
            flat_text = " ".join(text.split())
            # the JSON document's values (render_json is json_text of this dict, which the
            # views test above parses back; finite numbers and strings round-trip exactly)
            leaves = list(json_leaves(sizing.report_to_dict(report, lang)))
            index = json_index([x for x in leaves if isinstance(x, (int, float))
                                and not isinstance(x, bool)],
                               [x for x in leaves if isinstance(x, str)])
            missing = [(cell, token, view) for cell in cells(document)
                       for token, value, decimals, percent in number_tokens(cell, lang)
                       for view, found in (("text", token in flat_text),
                                           ("markdown", token in markdown),
                                           ("json", in_json(token, value, decimals, percent,
                                                            index)))
                       if not found]
            self.assertEqual(missing, [], f"case {i}: (cell, number, view missing it)")


if __name__ == "__main__":
    unittest.main()
