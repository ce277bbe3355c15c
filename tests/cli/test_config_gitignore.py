#!/usr/bin/env python3
"""respect-gitignore: a directory walk skips what git ignores (libgit2 answers, with git's
rules: nested .gitignore files, negation, directory patterns, .git/info/exclude, nested
repositories), unless turned off by the configuration or --no-respect-gitignore. Paths named
on the command line are linted, and files outside any repository are not affected."""
import os
import subprocess

from clitest import check, finish, remove_tree, run, temporary_tree

SRC = "def f(x=[]):\n    return x\n"
HOME = temporary_tree({".gitconfig": "[core]\n\texcludesFile = ~/global-ignore\n", "global-ignore": "*_global.py\n"})
ENV = {"HOME": HOME, "XDG_CONFIG_HOME": os.path.join(HOME, ".config"), "GIT_CONFIG_NOSYSTEM": "1"}


def git(*arguments, cwd):
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True, env={**os.environ, **ENV})


def linted(*arguments, cwd):
    result = run("check", *arguments, cwd=cwd, env=ENV)
    check(f"exit status of {arguments}", result.returncode in (0, 1), result.stderr)
    return sorted({line.split(":")[0] for line in result.stdout.decode().splitlines()})


tree = temporary_tree({
    ".gitignore": "generated/\n/top_only.py\n*.tmp.py\n!keep.tmp.py\nout\n",
    "a.py": SRC, "top_only.py": SRC, "sub/top_only.py": SRC, "x.tmp.py": SRC, "keep.tmp.py": SRC,
    "generated/g.py": SRC, "pkg/generated/g.py": SRC, "out/o.py": SRC,
    # libgit2 1.5 lets the first .gitignore with a matching rule decide, top-down (libgit2
    # issue #6461), so a negation here of a rule of the root's would not re-include a file as
    # git does; the README says so. Rules that add to the root's, as these, agree with git.
    "sub/.gitignore": "local.py\n", "sub/local.py": SRC, "sub/x.tmp.py": SRC, "local.py": SRC,
    "info_excluded.py": SRC, "mine_global.py": SRC,
    "inner/.gitignore": "inner_only.py\n", "inner/inner_only.py": SRC, "inner/x.tmp.py": SRC, "inner/local.py": SRC,
})
git("init", "-q", cwd=tree)
with open(os.path.join(tree, ".git", "info", "exclude"), "a") as handle:
    handle.write("info_excluded.py\n")
git("init", "-q", cwd=os.path.join(tree, "inner"))  # a repository of its own: the outer rules stop there

everything = ["a.py", "generated/g.py", "info_excluded.py", "inner/inner_only.py", "inner/local.py",
              "inner/x.tmp.py", "keep.tmp.py", "local.py", "mine_global.py", "out/o.py", "pkg/generated/g.py",
              "sub/local.py", "sub/top_only.py", "sub/x.tmp.py", "top_only.py", "x.tmp.py"]
respected = ["a.py", "inner/local.py", "inner/x.tmp.py", "keep.tmp.py", "local.py", "sub/top_only.py"]
check("gitignore honoured, as git sees it", linted(cwd=tree) == respected, linted(cwd=tree))
check("--no-respect-gitignore", linted("--no-respect-gitignore", cwd=tree) == everything,
      linted("--no-respect-gitignore", cwd=tree))
check("a walk from a subdirectory", linted("sub", cwd=tree) == ["sub/top_only.py"],
      linted("sub", cwd=tree))
check("a file named explicitly is linted", linted("top_only.py", "generated/g.py", cwd=tree) ==
      ["generated/g.py", "top_only.py"], linted("top_only.py", "generated/g.py", cwd=tree))
check("an ignored directory named explicitly is linted", linted("generated", "out", cwd=tree) ==
      ["generated/g.py", "out/o.py"], linted("generated", "out", cwd=tree))
check("from inside an ignored directory", linted(cwd=os.path.join(tree, "generated")) == ["g.py"],
      linted(cwd=os.path.join(tree, "generated")))

with open(os.path.join(tree, "pitfall.toml"), "w") as handle:
    handle.write("respect-gitignore = false\n")
check("respect-gitignore = false", linted(cwd=tree) == everything, linted(cwd=tree))
with open(os.path.join(tree, "sub", "pitfall.toml"), "w") as handle:
    handle.write("respect-gitignore = true\n")
check("respect-gitignore per configuration",
      linted(cwd=tree) == [p for p in everything if p not in ("sub/local.py", "sub/x.tmp.py")], linted(cwd=tree))
os.remove(os.path.join(tree, "pitfall.toml"))
os.remove(os.path.join(tree, "sub", "pitfall.toml"))

# With --force-exclude, paths named explicitly meet the excludes but not .gitignore, as the
# files pre-commit passes are tracked ones.
check("--force-exclude does not apply .gitignore to named files",
      linted("--force-exclude", "top_only.py", cwd=tree) == ["top_only.py"],
      linted("--force-exclude", "top_only.py", cwd=tree))
remove_tree(tree)

# Outside any repository a .gitignore file means nothing.
tree = temporary_tree({".gitignore": "*.py\n", "a.py": SRC})
check("no repository: .gitignore not applied", linted(cwd=tree) == ["a.py"], linted(cwd=tree))
remove_tree(tree)

# A symlink into the repository from outside: the ignore rules follow the real location.
tree = temporary_tree({"repo/.gitignore": "skip/\n", "repo/skip/s.py": SRC, "repo/ok/o.py": SRC})
git("init", "-q", cwd=os.path.join(tree, "repo"))
os.symlink(os.path.join(tree, "repo"), os.path.join(tree, "link"))
check("through a symlink", linted("link", cwd=tree) == ["link/ok/o.py"], linted("link", cwd=tree))
remove_tree(tree)

remove_tree(HOME)
finish()
