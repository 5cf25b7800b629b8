"""Benchmarks: `make bench` (python -m benchmarks) runs every section's ``run()``.

Each section measures its figures side by side in one run (ours next to a baseline on the same
input) and prints PASS/FAIL against the project's targets; no test asserts on time.
"""
