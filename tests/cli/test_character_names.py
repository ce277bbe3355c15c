#!/usr/bin/env python3
"""`\\N{name}` escapes against CPython: for a few thousand names (a sample of every named
character, lowercase spellings, the aliases of NameAliases.txt, named sequences, and
misspellings), pitfall reports a malformed escape (PF006, error) exactly when compile()
refuses the literal. Inside a path-like literal the same bad name is a PF004 error.

Names come from the running Python's unicodedata, so every valid name here is in the Unicode
version of both Python and ICU; the aliases and named sequences come from Perl's copy of the
Unicode database when the machine has it (Debian's perl-modules), and from a fixed list.
"""
import json
import os
import sys
import unicodedata

from clitest import check, finish, remove_tree, run, temporary_tree

FIXED_ALIASES = ["LF", "NBSP", "NULL", "NUL", "LINE FEED", "BYTE ORDER MARK", "BOM", "ZWSP", "VS1", "VS16",
                 "VS17", "VS256", "vs1", "LATIN CAPITAL LETTER GHA", "ESC", "DEL", "PADDING CHARACTER",
                 "SINGLE SHIFT TWO", "WJ", "ZWNBSP", "KEYCAP NUMBER SIGN"]
JUNK = ["BAD NAME", " BULLET", "BULLET ", "BULLET  ", "BUL LET", "VS0", "VS257", "VS01", "VS", "LATIN_SMALL_LETTER_A",
        "cjk unified ideograph-4E00", "CJK UNIFIED IDEOGRAPH-4e00", "CJK UNIFIED IDEOGRAPH-04E00",
        "CJK UNIFIED IDEOGRAPH-4E0", "CJK UNIFIED IDEOGRAPH-0041", "CJK UNIFIED IDEOGRAPH-FFFFF",
        "HANGUL SYLLABLE ga", "hangul syllable GA", "HANGUL SYLLABLE", "HANGUL SYLLABLE X",
        "hangul syllable ga", "TANGUT IDEOGRAPH-17000", "LATIN SMALL LETTER", "LATIN-SMALL-LETTER-A",
        "-", "0", "A" * 120, "LINE FEED (LF)", "<control-0000>", "U+0041", "SPACE\tBAR"]
PERL_NAMES = ["/usr/share/perl/5.36/unicore/Name.pl"]
PERL_SEQUENCES = ["/usr/share/perl/5.36/unicore/NamedSequences.txt"]


def sample_names():
    names = []
    named = [unicodedata.name(chr(c), "") for c in range(0x110000)]
    named = [n for n in named if n]
    names += named[::37]
    names += [n.lower() for n in named[5::211]]
    names += [n.title() for n in named[11::401]]
    names += FIXED_ALIASES + JUNK
    for path in PERL_NAMES:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                body = handle.read().split("<<'END';\n", 1)[-1]
            for block in body.split("\n\n"):
                lines = block.strip().split("\n")
                if len(lines) == 2 and lines[1] != unicodedata.name(chr(int(lines[0].split()[0], 16)), None):
                    names.append(lines[1])  # an alias or a named sequence
                    names.append(lines[1].lower())
    for path in PERL_SEQUENCES:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                names += [line.split(";")[0] for line in handle if ";" in line and not line.startswith("#")]
    return sorted(set(n for n in names if "\n" not in n and "}" not in n and '"' not in n and "\\" not in n))


def python_accepts(name):
    try:
        compile('"\\N{' + name + '}"', "name", "eval")
        return True
    except SyntaxError:
        return False


names = sample_names()
lines = ['x = "\\N{%s}"\n' % name for name in names]
tree = temporary_tree({"names.py": "".join(lines),
                       "path.py": 'open("C:\\\\data\\N{BAD NAME}.txt")\nopen("C:\\\\data\\N{BULLET}.txt")\n'})
result = run("check", "--isolated", "--exit-zero", "--output-format", "json", "names.py", cwd=tree)
findings = json.loads(result.stdout)
rejected = {f["location"]["row"] for f in findings if f["code"] == "PF006" and f["severity"] == "error"}
disagreements = []
accepted = 0
for row, name in enumerate(names, 1):
    python = python_accepts(name)
    accepted += python
    if python == (row in rejected):
        disagreements.append((name, python))
check("pitfall and compile() agree on every name", not disagreements, disagreements[:20])
check("names compared", len(names) >= 3000, len(names))
check("both valid and invalid names compared", accepted >= 2000 and len(names) - accepted >= 30,
      (accepted, len(names) - accepted))
print(f"{len(names)} names, {accepted} accepted by Python {sys.version.split()[0]} "
      f"(Unicode {unicodedata.unidata_version}), {len(disagreements)} disagreements")

result = run("check", "--isolated", "--output-format", "json", "path.py", cwd=tree)
findings = json.loads(result.stdout)
summary = [(f["location"]["row"], f["code"], f["severity"]) for f in findings]
check("a bad name in a path is a PF004 error, a good one alone is no finding",
      summary == [(1, "PF004", "error")], summary)
check("the PF004 message names the bad name",
      findings and "`\\N{BAD NAME}` is a SyntaxError (`BAD NAME` is not a valid character name)"
      in findings[0]["message"], findings and findings[0]["message"])
remove_tree(tree)
finish()
