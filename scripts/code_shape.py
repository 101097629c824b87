"""The shape of the code: the largest modules and the longest functions of `ketnoi/`, leaving out
migrations, tests and the demo. Prints JSON; used for the before/after figures of a refactoring.

    .venv/bin/python scripts/code_shape.py [--top 15] [root]
"""

import argparse
import ast
import json
import pathlib


def source_files(root: pathlib.Path):
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts)
        if parts & {"migrations", "tests", "demo"}:
            continue
        yield path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="ketnoi")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    modules, functions = [], []
    for path in source_files(root):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root.parent))
        modules.append((len(text.splitlines()), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.lineno} {node.name}"))
    modules.sort(reverse=True)
    functions.sort(reverse=True)
    print(
        json.dumps(
            {
                "modules": len(modules),
                "lines": sum(n for n, _ in modules),
                "largest_modules": [{"lines": n, "module": m} for n, m in modules[: args.top]],
                "longest_functions": [{"lines": n, "function": f} for n, f in functions[: args.top]],
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
