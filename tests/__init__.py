"""The test suite. Its imports cache bytecode in the ignored __pycache__ even where
PYTHONDONTWRITEBYTECODE is set, as cli_env lets the `sizing` processes it starts do: so the
first of those loads sizing.py's bytecode instead of compiling the script again (0.1 s)."""

import sys

sys.dont_write_bytecode = False
