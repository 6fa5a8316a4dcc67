"""The test suite. Its imports cache bytecode in the ignored __pycache__ even where
PYTHONDONTWRITEBYTECODE is set, as cli_env lets the `sizing` processes it starts do: so the
first of those loads sizing.py's bytecode instead of compiling the script again (0.1 s).

`python3 -m unittest` runs the test classes on every CPU the machine has (SharedSuite): the
suite is many small end-to-end runs, and on two cores it takes about half the time."""

import os
import pickle
import struct
import sys
import unittest

sys.dont_write_bytecode = False


class _Reported:
    """A test another process ran, as the result lists name it when they are printed."""

    def __init__(self, description: str):
        self.description = description

    def __str__(self) -> str:
        return self.description

    def shortDescription(self) -> None:
        return None


def _units(suite):
    """The suite's test classes (each with its own class fixtures), in discovery order; a
    module that failed to import is one unit too."""
    for item in suite:
        if isinstance(item, unittest.TestSuite) and any(
                isinstance(t, unittest.TestSuite) for t in item):
            yield from _units(item)
        elif isinstance(item, unittest.TestSuite):
            yield item
        else:
            yield unittest.TestSuite([item])


class SharedSuite(unittest.TestSuite):
    """Runs its test classes in this process and in forked workers, one per other CPU, each
    taking the next class off a shared queue (a pipe of 4-byte indices: reads that small are
    atomic) until it is empty. A worker sends back what its classes gave (runs, failures,
    errors, skips, as the result lists hold them: descriptions and tracebacks), which joins
    this process's result, so a failure anywhere fails the run. Without fork or with one CPU
    it is a plain suite."""

    def run(self, result, debug=False):
        # the classes of most tests first, so that no long one is left to run alone at the end
        units = sorted(_units(self), key=lambda unit: -unit.countTestCases())
        workers = min(len(units), (os.cpu_count() or 1)) - 1
        if workers < 1 or not hasattr(os, "fork"):
            return super().run(result, debug)
        queue_read, queue_write = os.pipe()
        os.write(queue_write, b"".join(struct.pack("<I", i) for i in range(len(units))))
        os.close(queue_write)
        children = []
        for _ in range(workers):
            back_read, back_write = os.pipe()
            pid = os.fork()
            if pid == 0:              # a worker: whatever happens, it never returns
                try:
                    os.close(back_read)
                    mine = unittest.TestResult()
                    for unit in self._taken(units, queue_read):
                        unit.run(mine)
                    self._send(mine, back_write)
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(0)
            os.close(back_write)
            children.append((pid, back_read))
        for unit in self._taken(units, queue_read):
            unit.run(result)
            if result.shouldStop:
                break
        for pid, back_read in children:
            self._join(result, back_read)
            os.waitpid(pid, 0)
        os.close(queue_read)
        return result

    @staticmethod
    def _taken(units, queue_read):
        while (data := os.read(queue_read, 4)):
            yield units[struct.unpack("<I", data)[0]]

    @staticmethod
    def _send(mine, back_write):
        def described(pairs):
            return [(str(test), text) for test, text in pairs]
        report = {"run": mine.testsRun, "failures": described(mine.failures),
                  "errors": described(mine.errors), "skipped": described(mine.skipped),
                  "expected": described(mine.expectedFailures),
                  "unexpected": [str(test) for test in mine.unexpectedSuccesses]}
        with os.fdopen(back_write, "wb") as out:
            pickle.dump(report, out)

    @staticmethod
    def _join(result, back_read):
        with os.fdopen(back_read, "rb") as back:
            data = back.read()
        if not data:                       # the worker died before it could report
            result.errors.append((_Reported("a test worker process"),
                                  "the worker ended without reporting its tests\n"))
            return
        report = pickle.loads(data)
        result.testsRun += report["run"]
        for key, name in (("failures", "failures"), ("errors", "errors"),
                          ("skipped", "skipped"), ("expected", "expectedFailures")):
            getattr(result, name).extend((_Reported(d), text) for d, text in report[key])
        result.unexpectedSuccesses.extend(_Reported(d) for d in report["unexpected"])


def load_tests(loader, standard_tests, pattern):
    """Discovery of this package: its test modules, run as a SharedSuite."""
    here = os.path.dirname(__file__)
    found = loader.discover(start_dir=here, pattern=pattern or "test*.py",
                            top_level_dir=os.path.dirname(here))
    return SharedSuite([standard_tests, found])
