#!/usr/bin/env python3
"""SARIF 2.1.0: real output validated against the SARIF schema (JSON Schema draft-04), what
GitHub code scanning requires or recommends beyond the schema, URIs for awkward file names,
notifications for files that cannot be read or decoded, fingerprints that survive moved
lines, and a round trip: the JSON and SARIF reports of whole directories agree on every
finding.

The schema is chosen by sarif_schema.py: PITFALL_SARIF_SCHEMA when set, else the official
one at ../shared/sarif/sarif-schema-2.1.0.json beside the project, else a pinned and
sha512-checked copy from the npm registry fetched into the build tree. The test prints
which one it validated against. No schema, or no jsonschema module, is a failure, not a
skip: install python3-jsonschema (.ci/packages).
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.parse

from clitest import BINARY, SOURCE_DIR, check, finish, remove_tree, run, temporary_tree
import sarif_schema

SCHEMA_CACHE = os.path.join(os.path.dirname(BINARY), "_sarif_schema")
try:
    import jsonschema
except ImportError:
    print("FAIL jsonschema is not installed: apt-get install python3-jsonschema (see .ci/packages)")
    sys.exit(1)
try:
    SCHEMA_PATH, SCHEMA_DESCRIPTION = sarif_schema.locate(SOURCE_DIR, SCHEMA_CACHE)
except sarif_schema.SchemaUnavailable as error:
    print(f"FAIL no SARIF schema to validate against: {error}")
    sys.exit(1)
print(f"validating SARIF against {SCHEMA_DESCRIPTION}")
with open(SCHEMA_PATH, encoding="utf-8") as handle:
    SCHEMA = json.load(handle)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)

# RFC 3986: a path of unreserved characters, sub-delims, ":", "@", "/" and %XX escapes.
URI_PATH = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*"
RELATIVE_URI = re.compile(r"^(?![^/]*:)" + URI_PATH + r"$")
FILE_URI = re.compile(r"^file://" + URI_PATH + r"$")

BAD = "def f(x=[]):\n    return x\n"
# SARIF 2.1.0 section 3.11.6: "[text](id)" in a plain text message links to the result's
# related location with that id; literal brackets are escaped with a backslash.
EMBEDDED_LINK = re.compile(r"(?<!\\)\[(?:[^\[\]\\]|\\.)*\]\((\d+)\)")
UNESCAPED_BRACKET = re.compile(r"(?<!\\)[\[\]]")


def plain_text(text):
    """A SARIF message's text as the JSON report has it: embedded link and escapes removed."""
    text = re.sub(r" \(\[(?:[^\[\]\\]|\\.)*\]\(1\)\)$", "", text)
    return text.replace("\\[", "[").replace("\\]", "]")


def sarif(*arguments, cwd, expect=(1,), prefix=(), env=None):
    result = run("check", "--output-format", "sarif", *arguments, cwd=cwd, prefix=prefix, env=env)
    check(f"sarif {arguments}: exit status {expect}", result.returncode in expect, (result.returncode, result.stderr))
    log = json.loads(result.stdout)
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda error: list(error.path))
    check(f"sarif {arguments}: validates against the schema", not errors,
          [f"{list(error.path)}: {error.message}" for error in errors[:5]])
    return log


def rule_codes():
    return [line.split()[0] for line in run("rules").stdout.decode().splitlines()]


def resolve(run_object, artifact):
    """An artifactLocation as an absolute file system path."""
    uri = artifact["uri"]
    if "uriBaseId" in artifact:
        base = run_object["originalUriBaseIds"][artifact["uriBaseId"]]["uri"]
        uri = urllib.parse.urljoin(base, uri)
    parsed = urllib.parse.urlparse(uri)
    check(f"uri {uri}: a file URI", parsed.scheme == "file", uri)
    return urllib.parse.unquote(parsed.path)


def check_github_requirements(log):
    """What GitHub code scanning requires or recommends beyond the schema."""
    check("$schema present", log.get("$schema", "").startswith("https://"), log.get("$schema"))
    check("version 2.1.0", log["version"] == "2.1.0")
    run_object = log["runs"][0]
    driver = run_object["tool"]["driver"]
    check("driver name/version/informationUri",
          driver["name"] == "pitfall" and driver["version"] and driver["informationUri"].startswith("https://"),
          driver)
    codes = [rule["id"] for rule in driver["rules"]]
    check("driver.rules lists every rule that can run", codes == rule_codes(), (codes, rule_codes()))
    for rule in driver["rules"]:
        name = rule["id"]
        for key in ("name", "helpUri"):
            check(f"{name}: {key}", isinstance(rule.get(key), str) and rule[key], rule.get(key))
        for key in ("shortDescription", "fullDescription"):
            check(f"{name}: {key}.text", rule[key]["text"].strip(), rule[key])
        # Paragraphs are unwrapped: a line break is a paragraph break or starts a list item.
        hard_breaks = re.findall(r"[^\n]\n(?!\n|- |\* |\d+\. |```)(.{0,20})", rule["fullDescription"]["text"])
        check(f"{name}: fullDescription has no line break inside a paragraph", not hard_breaks, hard_breaks)
        check(f"{name}: help.text and help.markdown", rule["help"]["text"] and rule["help"]["markdown"], rule["help"])
        explanation = run("rule", name).stdout.decode()
        check(f"{name}: help is the rule's explanation", rule["help"]["markdown"].rstrip() == explanation.rstrip(),
              rule["help"]["markdown"][:200])
        check(f"{name}: defaultConfiguration.level", rule["defaultConfiguration"]["level"] in ("error", "warning"))
        properties = rule["properties"]
        check(f"{name}: properties.tags", isinstance(properties["tags"], list) and properties["tags"], properties)
        check(f"{name}: properties.precision", properties["precision"] in ("very-high", "high", "medium", "low"),
              properties)
        check(f"{name}: properties.problem.severity",
              properties["problem.severity"] in ("error", "warning", "recommendation"), properties)
    base = run_object["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    check("%SRCROOT% is an absolute file URI ending in /", FILE_URI.match(base) and base.endswith("/"), base)
    check("columnKind", run_object["columnKind"] == "unicodeCodePoints")
    check("invocations[0].executionSuccessful", isinstance(run_object["invocations"][0]["executionSuccessful"], bool))
    for result in run_object["results"]:
        where = f"result {result.get('ruleId')} {result.get('message', {}).get('text', '')[:40]}"
        check(f"{where}: ruleIndex points at its rule", driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"])
        check(f"{where}: level", result["level"] in ("error", "warning"))
        check(f"{where}: message.text", result["message"]["text"])
        check(f"{where}: exactly one location", len(result["locations"]) == 1)
        physical = result["locations"][0]["physicalLocation"]
        artifact = physical["artifactLocation"]
        uri_ok = (RELATIVE_URI.match(artifact["uri"]) and artifact.get("uriBaseId") == "%SRCROOT%") or (
            FILE_URI.match(artifact["uri"]) and "uriBaseId" not in artifact)
        check(f"{where}: uri relative to %SRCROOT% or absolute, RFC 3986", uri_ok, artifact)
        region = physical["region"]
        check(f"{where}: region has all four positions",
              all(isinstance(region.get(key), int) and region[key] >= 1
                  for key in ("startLine", "startColumn", "endLine", "endColumn")), region)
        check(f"{where}: region end not before start",
              (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"]), region)
        related_ids = {related.get("id") for related in result.get("relatedLocations", [])}
        links = [int(target) for target in EMBEDDED_LINK.findall(result["message"]["text"])]
        bare = EMBEDDED_LINK.sub("", result["message"]["text"])
        check(f"{where}: every unescaped bracket is an embedded link to a related location",
              not UNESCAPED_BRACKET.search(bare) and set(links) <= related_ids and
              (not related_ids or links), (result["message"]["text"], related_ids))
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        check(f"{where}: primaryLocationLineHash", re.fullmatch(r"[0-9a-f]{16}:[1-9][0-9]*", fingerprint), fingerprint)
    return run_object


# The validator is not vacuous: it rejects a result without a message and a bad level.
broken_log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "pitfall"}},
                                           "results": [{"ruleId": "PF001", "level": "fatal"}]}]}
check("the schema validator rejects an invalid log", len(list(VALIDATOR.iter_errors(broken_log))) == 2,
      [error.message for error in VALIDATOR.iter_errors(broken_log)])

# The golden inputs: every finding and the undecodable file's notification.
golden = os.path.realpath(os.path.join(SOURCE_DIR, "tests", "golden", "input"))
log = sarif(".", cwd=golden)
run_object = check_github_requirements(log)
notifications = run_object["invocations"][0].get("toolExecutionNotifications", [])
check("undecodable file: a warning notification naming it",
      [(n["level"], n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
       for n in notifications] == [("warning", "decode-error", "undecodable.py")], notifications)
check("undecodable file alone: execution still successful", run_object["invocations"][0]["executionSuccessful"])

# A clean run: a valid log with no results.
clean = temporary_tree({"ok.py": "x = 1\n"})
log = sarif(".", cwd=clean, expect=(0,))
check("clean run: no results, every rule listed",
      log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == len(rule_codes()))
remove_tree(clean)

# Awkward names become valid URIs that decode back to the path.
names = ["dir with space/it's \"quoted\".py", "100% sure/a%20b.py", "ünïcödé/中文 😀.py", "semi;colon,comma:colon.py",
         "hash#question?.py"]
root = os.path.realpath(temporary_tree({name: BAD for name in names}))
log = sarif(".", cwd=root)
run_object = check_github_requirements(log)
found = sorted(resolve(run_object, result["locations"][0]["physicalLocation"]["artifactLocation"])
               for result in run_object["results"])
check("awkward names round-trip through their URIs", found == sorted(os.path.join(root, name) for name in names),
      found)
uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_object["results"])
check("percent-encoding of space, quotes, %, non-ASCII, ':' '#' '?'",
      "dir%20with%20space/it%27s%20%22quoted%22.py" in uris and "100%25%20sure/a%2520b.py" in uris and
      "%C3%BCn%C3%AFc%C3%B6d%C3%A9/%E4%B8%AD%E6%96%87%20%F0%9F%98%80.py" in uris and
      "semi%3Bcolon%2Ccomma%3Acolon.py" in uris and "hash%23question%3F.py" in uris, uris)

# A file outside the working directory: an absolute file URI without a base.
inner = os.path.join(root, "dir with space")
log = sarif(os.path.join(root, "100% sure", "a%20b.py"), "./it's \"quoted\".py", cwd=inner)
run_object = log["runs"][0]
artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run_object["results"]]
check("outside %SRCROOT%: absolute file URI",
      any("uriBaseId" not in a and a["uri"] == "file://" + urllib.parse.quote(os.path.join(root, "100% sure", "a%20b.py"))
          for a in artifacts), artifacts)
check("./path under %SRCROOT%: relative, normalised",
      {"uri": "it%27s%20%22quoted%22.py", "uriBaseId": "%SRCROOT%"} in artifacts, artifacts)

# A cwd with awkward characters: %SRCROOT% itself is encoded.
log = sarif(".", cwd=inner)
base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
check("%SRCROOT% percent-encoded", base == "file://" + urllib.parse.quote(inner) + "/", base)

# stdin with --stdin-filename.
result = run("check", "--output-format", "sarif", "--stdin-filename", "pkg/from stdin.py", "-", stdin=BAD.encode(),
             cwd=root)
log = json.loads(result.stdout)
check("stdin: uri from --stdin-filename",
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
      "pkg/from%20stdin.py", log["runs"][0]["results"])
remove_tree(root)

# PF002: the shadowed method is a related location (id 1) that the message links to; literal
# brackets in messages (PF003 quotes `[1]`) and in file names are escaped.
SHADOW = 'class Greeter:\n    def greet(self):\n        return "hi"\n\n    def __init__(self):\n        self.greet = "x"\n'
root = temporary_tree({"shadow.py": SHADOW, "pairs[1].py": "PAIRS = (1, [2])\n",
                       "odd[1].py": b"s = '\xe9'\n"})
log = sarif(".", cwd=root)
results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
shadow = results["PF002"]
check("PF002: message links to the related location", shadow["message"]["text"] ==
      "Instance attribute `greet` shadows method `Greeter.greet` (line 2); `obj.greet()` will call the attribute "
      "([method `Greeter.greet` is defined here](1))", shadow["message"])
check("PF002: relatedLocations with the method's exact region", shadow["relatedLocations"] == [{
    "physicalLocation": {"artifactLocation": {"uri": "shadow.py", "uriBaseId": "%SRCROOT%"},
                         "region": {"startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 14}},
    "id": 1, "message": {"text": "method `Greeter.greet` is defined here"}}], shadow["relatedLocations"])
check("PF002: the finding's own region", shadow["locations"][0]["physicalLocation"]["region"] ==
      {"startLine": 6, "startColumn": 14, "endLine": 6, "endColumn": 19}, shadow["locations"])
check("PF003: literal brackets escaped", results["PF003"]["message"]["text"].startswith(
    "Tuple assigned to `PAIRS` at module level contains `\\[2\\]`, a mutable list"), results["PF003"]["message"])
check("no related location: no relatedLocations", "relatedLocations" not in results["PF003"], results["PF003"])
notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
check("notification naming odd[1].py: brackets escaped",
      [n["message"]["text"].split(":")[0] for n in notifications] == ["odd\\[1\\].py"], notifications)
remove_tree(root)

# Paths through symlinks: the relative URI names the file the file system opens. "sub/../a.py"
# through a symlinked sub is real/a.py, not a.py; an absolute path through a symlink to the
# working directory is still under %SRCROOT%; JSON's filename names the same file.
holder = os.path.realpath(temporary_tree({"real/a.py": BAD, "real/inner/b.py": "x = 1\n", "project/c.py": BAD,
                                          "a.py": "x = 1\n"}))
os.symlink("real/inner", os.path.join(holder, "sub"))
os.symlink(os.path.join(holder, "project"), os.path.join(holder, "project_link"))


def uris_and_filenames(arguments, cwd):
    log = sarif(*arguments, cwd=cwd)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    filenames = [f["filename"] for f in json.loads(run("check", "--output-format", "json", *arguments, cwd=cwd).stdout)]
    github = run("check", "--output-format", "github", *arguments, cwd=cwd).stdout.decode()
    return uris, filenames, github


uris, filenames, github = uris_and_filenames(["sub/../a.py"], holder)
check("sub/../a.py through a symlinked sub: the real file's URI",
      uris == [{"uri": "real/a.py", "uriBaseId": "%SRCROOT%"}], uris)
check("sub/../a.py through a symlinked sub: JSON names the real file",
      filenames == [os.path.join(holder, "real", "a.py")], filenames)
check("sub/../a.py through a symlinked sub: github names the real file", ",file=real/a.py," in github, github)
result = run("check", "sub/../a.py", cwd=holder)
check("sub/../a.py: concise keeps what was typed", result.stdout.startswith(b"sub/../a.py:1:9: PF001"), result.stdout)
uris, filenames, github = uris_and_filenames([os.path.join(holder, "project_link", "c.py")],
                                             os.path.join(holder, "project"))
check("absolute path through a symlink to the working directory: relative to %SRCROOT%",
      uris == [{"uri": "c.py", "uriBaseId": "%SRCROOT%"}], uris)
check("absolute path through a symlink: github file relative", ",file=c.py," in github, github)
check("absolute path through a symlink: JSON keeps the path as given",
      filenames == [os.path.join(holder, "project_link", "c.py")], filenames)
uris, _, _ = uris_and_filenames(["project_link/c.py"], holder)
check("a path through a symlinked directory under %SRCROOT%: the real one, relative",
      uris == [{"uri": "project/c.py", "uriBaseId": "%SRCROOT%"}], uris)
remove_tree(holder)

# Standard input without --stdin-filename: no made-up file. SARIF describes the location
# instead of giving a uri, github leaves the file out, JSON says "-" as ruff does.
result = run("check", "--output-format", "sarif", "-", stdin=BAD.encode(), cwd=SOURCE_DIR)
log = json.loads(result.stdout)
errors = list(VALIDATOR.iter_errors(log))
check("stdin without a name: the log validates", not errors, [e.message for e in errors[:3]])
check("stdin without a name: described, no uri",
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] ==
      {"description": {"text": "standard input"}}, log["runs"][0]["results"][0]["locations"])
result = run("check", "--output-format", "github", "-", stdin=BAD.encode(), cwd=SOURCE_DIR)
check("stdin without a name: github has no file property", result.stdout.startswith(
    b"::warning title=pitfall (PF001),line=1,col=9,endLine=1,endColumn=11::Mutable default"), result.stdout)
result = run("check", "--output-format", "json", "-", stdin=BAD.encode(), cwd=SOURCE_DIR)
check("stdin without a name: JSON filename -", [f["filename"] for f in json.loads(result.stdout)] == ["-"],
      result.stdout)

# A file that crashes the parser: reported as PF000, and the run did not do its job on it.
root = temporary_tree({"a.py": BAD, "b.py": BAD})
log = sarif("--no-cache", ".", cwd=root, env={"PITFALL_DEBUG_CRASH_ON": "b.py"})
invocation = log["runs"][0]["invocations"][0]
check("parser crash: executionSuccessful false", invocation["executionSuccessful"] is False, invocation)
check("parser crash: an error notification naming the file",
      [(n["level"], n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        n["message"]["text"]) for n in invocation.get("toolExecutionNotifications", [])] ==
      [("error", "parser-crash", "b.py", "b.py: not checked: the parser crashed on this file")], invocation)
remove_tree(root)

# Unreadable files and missing paths: error notifications, executionSuccessful false, exit 2.
root = temporary_tree({"bad.py": BAD, "secret.py": BAD})
os.chmod(os.path.join(root, "secret.py"), 0)
os.chmod(root, 0o755)
os.chmod(os.path.join(root, "bad.py"), 0o644)
prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") if os.geteuid() == 0 else ()
log = sarif("bad.py", "secret.py", "missing.py", cwd=root, expect=(2,), prefix=prefix)
invocation = log["runs"][0]["invocations"][0]
check("unreadable: executionSuccessful false", invocation["executionSuccessful"] is False, invocation)
listed = sorted((n["level"], n["descriptor"]["id"],
                 n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                for n in invocation.get("toolExecutionNotifications", []))
check("unreadable and missing files: error notifications",
      listed == [("error", "io-error", "missing.py"), ("error", "io-error", "secret.py")], listed)
check("unreadable: the reason is in the message",
      any("ermission" in n["message"]["text"] for n in invocation["toolExecutionNotifications"]), invocation)
check("unreadable: other findings still reported", len(log["runs"][0]["results"]) == 1, log["runs"][0]["results"])
remove_tree(root)

# Fingerprints survive inserted lines above, re-indentation of other code, and moved files'
# neighbours; a changed finding line changes its fingerprint.
before = "import os\n\n\ndef f(x=[]):\n    return x\n\n\ndef g(y={}):\n    return y\n\n\ndef h(z=[]):\n    return z\n"
after = ("'''A new docstring.'''\nimport os\nimport sys\n\n\nclass Padding:\n    pass\n\n\n" +
         before.replace("import os\n", "").replace("    return x", "        return x"))
changed = before.replace("def g(y={})", "def g(y={}, w=1)")
root = temporary_tree({"before.py": before, "after.py": after, "changed.py": changed, "twice.py": BAD + BAD,
                       "twice_moved.py": "\n\n" + BAD + "# comment\n" + BAD})


def fingerprints(name):
    results = sarif(name, cwd=root)["runs"][0]["results"]
    return [(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]


old, new = fingerprints("before.py"), fingerprints("after.py")
check("moved findings: lines changed", [line for _, _, line in old] != [line for _, _, line in new], (old, new))
check("moved findings: fingerprints unchanged", [f[:2] for f in old] == [f[:2] for f in new], (old, new))
edited = fingerprints("changed.py")
check("edited finding line: its fingerprint changes, the others stay",
      edited[0][1] == old[0][1] and edited[1][1] != old[1][1] and edited[2][1] == old[2][1], (old, edited))
check("distinct findings have distinct fingerprints", len({f[1] for f in old}) == len(old), old)
twice, twice_moved = fingerprints("twice.py"), fingerprints("twice_moved.py")
check("identical lines: told apart by occurrence", twice[0][1] != twice[1][1] and
      twice[0][1].endswith(":1") and twice[1][1].endswith(":2"), twice)
check("identical lines: stable when moved", [f[1] for f in twice] == [f[1] for f in twice_moved],
      (twice, twice_moved))
remove_tree(root)

# An undecodable file's finding has no source line to hash: its fingerprint must not carry
# the line and column of its message, which move when lines are inserted above.
root = temporary_tree({"latin.py": b"# one\ntitle = 'caf\xe9'\n",
                       "latin_moved.py": b"# one\n\n\n# two\n\ntitle = 'caf\xe9'\n",
                       "latin_other.py": b"# one\ntitle = 'caf\xe8'\n"})
undecodable = {name: fingerprints(name) for name in ("latin.py", "latin_moved.py", "latin_other.py")}
check("undecodable file: one PF000 each, on the moved line",
      [(f[0][0], f[0][2]) for f in undecodable.values()] == [("PF000", 2), ("PF000", 6), ("PF000", 2)], undecodable)
check("undecodable file: fingerprint stable when lines are inserted above",
      undecodable["latin.py"][0][1] == undecodable["latin_moved.py"][0][1], undecodable)
check("undecodable file: another bad byte, another fingerprint",
      undecodable["latin.py"][0][1] != undecodable["latin_other.py"][0][1], undecodable)
remove_tree(root)


# Round trip: JSON and SARIF over whole directories agree on every finding.
def json_findings(directory):
    result = run("check", "--output-format", "json", ".", cwd=directory)
    return sorted((f["filename"], f["location"]["row"], f["location"]["column"], f["end_location"]["row"],
                   f["end_location"]["column"], f["code"], f["severity"], f["message"],
                   tuple((r["filename"], r["location"]["row"], r["location"]["column"], r["end_location"]["row"],
                          r["end_location"]["column"], r["message"]) for r in f["related"]))
                  for f in json.loads(result.stdout))


def sarif_findings(directory):
    log = sarif(".", cwd=directory)
    run_object = log["runs"][0]
    findings = []
    for r in run_object["results"]:
        physical = r["locations"][0]["physicalLocation"]
        region = physical["region"]
        related = []
        for place in r.get("relatedLocations", []):
            where, span = place["physicalLocation"], place["physicalLocation"]["region"]
            related.append((resolve(run_object, where["artifactLocation"]), span["startLine"], span["startColumn"],
                            span["endLine"], span["endColumn"], plain_text(place["message"]["text"])))
        findings.append((resolve(run_object, physical["artifactLocation"]), region["startLine"], region["startColumn"],
                         region["endLine"], region["endColumn"], r["ruleId"], r["level"],
                         plain_text(r["message"]["text"]), tuple(related)))
    return sorted(findings)


for directory in (golden, os.path.realpath(os.path.join(SOURCE_DIR, "fixtures"))):
    from_json, from_sarif = json_findings(directory), sarif_findings(directory)
    check(f"round trip {directory}: findings exist", len(from_json) > 0)
    check(f"round trip {directory}: some with a related location", any(f[-1] for f in from_json))
    check(f"round trip {directory}: JSON and SARIF agree on every finding", from_json == from_sarif,
          set(from_json) ^ set(from_sarif))


# The schema choice, both ways. The nested runs set PITFALL_SARIF_SCHEMA_NESTED so that they
# do not start runs of their own.
if not os.environ.get("PITFALL_SARIF_SCHEMA_NESTED"):
    script = os.path.abspath(__file__)

    def nested(source_dir, **environment):
        env = {key: value for key, value in os.environ.items() if key != "PITFALL_SARIF_SCHEMA"}
        env.update(PITFALL_SOURCE_DIR=source_dir, PITFALL_SARIF_SCHEMA_NESTED="1", **environment)
        return subprocess.run([sys.executable, script, BINARY], capture_output=True, env=env, timeout=600)

    # A named schema that is missing is an error, not a silent fallback.
    missing = os.path.join(tempfile.gettempdir(), f"pitfall-no-such-schema-{os.getpid()}.json")
    result = nested(SOURCE_DIR, PITFALL_SARIF_SCHEMA=missing)
    check("PITFALL_SARIF_SCHEMA naming a missing file: the test fails and says why",
          result.returncode == 1 and b"PITFALL_SARIF_SCHEMA names " + missing.encode() in result.stdout,
          result.stdout[-500:])
    # A copy of the project without ../shared beside it: the pinned fallback is fetched,
    # verified and used, and the whole test passes against it.
    holder = tempfile.mkdtemp(prefix="pitfall-schema-")
    copy = os.path.join(holder, "project")
    os.makedirs(copy)
    for part in ("tests", "fixtures"):
        shutil.copytree(os.path.join(SOURCE_DIR, part), os.path.join(copy, part), symlinks=True)
    check("the copy has no official schema", not os.path.exists(sarif_schema.official_path(copy)))
    result = nested(copy)
    check("without ../shared: validated against the pinned fallback and passed",
          result.returncode == 0 and b"validating SARIF against the pinned fallback " +
          sarif_schema.FALLBACK_PACKAGE.encode() in result.stdout, result.stdout[-1500:])
    fallback = os.path.join(SCHEMA_CACHE, "sarif-2.1.0-rtm.5.json")
    # PITFALL_SARIF_SCHEMA pointing at the fallback wins over the official schema.
    result = nested(SOURCE_DIR, PITFALL_SARIF_SCHEMA=fallback)
    check("PITFALL_SARIF_SCHEMA at the fallback: used, and the test passes",
          result.returncode == 0 and f"validating SARIF against PITFALL_SARIF_SCHEMA ({fallback})".encode()
          in result.stdout, result.stdout[-1500:])
    # The fallback rejects what the official schema rejects.
    with open(fallback, encoding="utf-8") as handle:
        fallback_validator = jsonschema.Draft4Validator(json.load(handle))
    check("the fallback schema rejects an invalid log", len(list(fallback_validator.iter_errors(broken_log))) == 2)
    remove_tree(holder)

finish()
