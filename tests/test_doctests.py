"""Run the doctests of sizing.py and of the fit script's helpers as part of
`python3 -m unittest`."""

import doctest

import sizing
from tests import perf_fit


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(sizing))
    tests.addTests(doctest.DocTestSuite(perf_fit))
    return tests
