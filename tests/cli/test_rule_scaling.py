#!/usr/bin/env python3
"""Rules take time linear in the file on shapes that once made them quadratic; the findings are
exact. No timing assertions: tests/CMakeLists.txt gives this test a timeout that the quadratic
versions exceed by far at these sizes (each file took minutes; now each takes under a second).
  - PF001/PF003 looked up local imports by walking the enclosing function or class body again
    for every call in a default or a tuple (20,000 class-level `X = (1, foo())`, or 20,000
    `def f(a=foo())` in one function).
  - PF002 walked up through every enclosing list or tuple for each name, to see whether it is an
    unpacking target (100,000 nested lists around 100,000 names).
  - The noqa parser compared each code of a directive with every earlier one, to find codes
    listed twice (one comment listing 300,000 codes), and marked the codes of every
    `# pitfall: noqa: CODES` again for each finding those codes suppressed, going through every
    directive in the file each time (250,000 findings, each on a line with its own `# noqa`)."""
import json

from clitest import check, finish, remove_tree, run, temporary_tree

COUNT = 20_000
DEPTH = 100_000
CODES = 300_000
LINES = 250_000
tree = temporary_tree({
    "class_tuples.py": "class A:\n    import collections as c\n" +
    "".join(f"    X{i} = (1, foo())\n" for i in range(COUNT)) + "    LAST = (1, c.deque())\n",
    "function_defaults.py": "def g():\n    import collections as c\n" +
    "".join(f"    def f{i}(a=foo()): pass\n" for i in range(COUNT)) + "    def last(a=c.deque()): pass\n",
    "deep_lists.py": "x = " + "[" * DEPTH + "a," * DEPTH + "]" * DEPTH + "\ndef g(b={}): pass\n",
    "long_noqa.py": "x = 1  # noqa: " + "E501, " * CODES + "PF001, pf001\n",
    "file_noqa.py": "# pitfall: noqa: PF001, PF003\n" +
    "".join(f"def f{i}(x=[]): pass  # noqa: E501\n" for i in range(LINES)),
})


def findings(name):
    result = run("check", "--no-cache", "--output-format", "json", name, cwd=tree)
    return result.returncode, sorted((f["location"]["row"], f["location"]["column"], f["code"])
                                     for f in json.loads(result.stdout or b"[]"))


# The one mutable call is found through the import in the class or function body.
check("20,000 class-level tuples: the last one's deque, through the class's import",
      findings("class_tuples.py") == (1, [(COUNT + 3, 16, "PF003")]), findings("class_tuples.py"))
check("20,000 defs in a function: the last one's deque default, through the function's import",
      findings("function_defaults.py") == (1, [(COUNT + 3, 16, "PF001")]), findings("function_defaults.py"))
check("100,000 nested lists of names: too deep for Python, still checked",
      findings("deep_lists.py") == (1, [(1, 205, "PF000"), (2, 9, "PF001")]), findings("deep_lists.py"))
column = len("x = 1  # noqa: " + "E501, " * CODES) + 1
check("a noqa listing 300,000 codes: PF001 unused, then listed twice",
      findings("long_noqa.py") == (1, [(1, column, "PF100"), (1, column + 7, "PF100")]), findings("long_noqa.py"))
check("250,000 findings exempted by `# pitfall: noqa: PF001, PF003`: none left, PF003 unused",
      findings("file_noqa.py") == (1, [(1, 25, "PF100")]), findings("file_noqa.py"))
remove_tree(tree)
finish()
