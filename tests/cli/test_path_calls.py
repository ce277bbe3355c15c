#!/usr/bin/env python3
"""PF004 and the configuration's `path-calls`: a string passed to a listed callable is a path,
through import aliases, in positional and path-keyword slots only; without the setting (or
with --isolated) the same string is plain text. With PF004 ignored, PF006 reports the
invalid escapes of path-like strings itself."""
import json

from clitest import check, finish, remove_tree, run, temporary_tree

SOURCE = ("import mylib\n"
          "from mylib import io as mio\n"
          "mylib.load('temp\\new')\n"           # 3: listed, positional
          "mio.save('temp\\new')\n"             # 4: not listed
          "mylib.load(mode='temp\\new')\n"      # 5: listed, but not a path keyword
          "mylib.load(path='temp\\new')\n"      # 6: listed, path keyword
          "mylib.load('data\\dump')\n")         # 7: listed, with an invalid escape


def findings(result):
    return sorted(f"{x['location']['row']}:{x['location']['column']} {x['code']}"
                  for x in json.loads(result.stdout))


tree = temporary_tree({"pitfall.toml": 'path-calls = ["mylib.load"]\n', "m.py": SOURCE})
result = run("check", "--output-format", "json", "m.py", cwd=tree)
check("path-calls makes listed calls' arguments paths",
      findings(result) == ["3:12 PF004", "6:17 PF004", "7:12 PF004"], findings(result))
result = run("check", "--output-format", "json", "--isolated", "m.py", cwd=tree)
check("without path-calls only the invalid escape is reported", findings(result) == ["7:17 PF006"],
      findings(result))
result = run("check", "--output-format", "json", "--ignore", "PF004", "m.py", cwd=tree)
check("with PF004 ignored, PF006 reports inside path-like strings", findings(result) == ["7:17 PF006"],
      findings(result))
remove_tree(tree)

tree = temporary_tree({"pitfall.toml": 'path-calls = ["mylib.io.save"]\n', "m.py": SOURCE})
result = run("check", "--output-format", "json", "m.py", cwd=tree)
check("path-calls names resolve through `from ... import ... as`",
      findings(result) == ["4:10 PF004", "7:17 PF006"], findings(result))
remove_tree(tree)
finish()
