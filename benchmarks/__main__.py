"""python -m benchmarks [SECTION...]: run the benchmark sections (all by default)."""

import importlib
import pkgutil
import sys

import benchmarks

ORDER = ["report", "extraction", "ner", "compare", "batch", "hostile"]  # issue #19 goals first


def main(argv: list[str]) -> int:
    found = [m.name for m in pkgutil.iter_modules(benchmarks.__path__)]
    sections = argv or sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n))
    for name in sections:
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "run"):
            module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
