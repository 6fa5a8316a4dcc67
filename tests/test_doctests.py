"""Run the doctests of sizing.py as part of `python3 -m unittest`."""

import doctest

import sizing


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(sizing))
    return tests
