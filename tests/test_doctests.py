"""Run the doctests of sizing.py and of the fit script's helpers as part of
`python3 -m unittest`."""

import doctest

import sizing
from tests import perf_fit


class ExamplesOnly(doctest.DocTestFinder):
    """doctest's finder, passing over docstrings without an example before it looks for their
    line number: for a class that is a regex over all of sizing.py's lines, 80 ms of the
    suite for docstrings that would give empty tests, which DocTestSuite drops anyway."""

    def _get_test(self, obj, name, module, globs, source_lines):
        doc = obj if isinstance(obj, str) else getattr(obj, "__doc__", None)
        if not isinstance(doc, str) or ">>>" not in doc:
            return None
        return super()._get_test(obj, name, module, globs, source_lines)


def load_tests(loader, tests, ignore):
    for module in (sizing, perf_fit):
        tests.addTests(doctest.DocTestSuite(module, test_finder=ExamplesOnly()))
    return tests
