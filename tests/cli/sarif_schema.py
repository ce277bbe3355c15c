"""Which SARIF 2.1.0 schema the tests validate against, and fetching the fallback.

In order of preference:
  1. PITFALL_SARIF_SCHEMA, when set: that file and no other (a missing file is an error);
  2. the official OASIS schema at ../shared/sarif/sarif-schema-2.1.0.json beside the project;
  3. a pinned copy from the npm registry: `npm pack @microsoft/jest-sarif@1.0.0-beta.0`, whose
     tarball's sha512 must equal the registry's dist.integrity pinned below, holds
     package/lib/schemas/sarif-2.1.0-rtm.5.json, the SchemaStore rtm.5 draft-04 schema (the
     official one but for a few "type" keywords and the region's anyOf). It is fetched once
     into the build tree, as grammar/fetch_grammar.cmake fetches the grammar.
"""
import hashlib
import os
import subprocess
import tarfile

FALLBACK_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
FALLBACK_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"
# `npm view @microsoft/jest-sarif@1.0.0-beta.0 dist.integrity`, as hex.
FALLBACK_SHA512 = ("0357ce84f77a21ce620e4e05f583f0d6a341e1717eefe22f891ef197caf617a4"
                   "33424c7972963d2ec1a4dab1318852047016e3a559d29b058606e9004a4890f4")


class SchemaUnavailable(Exception):
    pass


def official_path(source_dir):
    return os.path.join(source_dir, "..", "shared", "sarif", "sarif-schema-2.1.0.json")


def fetch_fallback(cache_dir):
    """The fallback schema's path in cache_dir, fetched and verified when not there yet."""
    target = os.path.join(cache_dir, "sarif-2.1.0-rtm.5.json")
    if os.path.isfile(target):
        return target
    os.makedirs(cache_dir, exist_ok=True)
    tarballs = [name for name in os.listdir(cache_dir) if name.endswith(".tgz")]
    tarball = None
    for name in tarballs:
        with open(os.path.join(cache_dir, name), "rb") as handle:
            if hashlib.sha512(handle.read()).hexdigest() == FALLBACK_SHA512:
                tarball = os.path.join(cache_dir, name)
    if tarball is None:
        try:
            result = subprocess.run(["npm", "pack", FALLBACK_PACKAGE, "--loglevel=error"], cwd=cache_dir,
                                    capture_output=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SchemaUnavailable(f"`npm pack {FALLBACK_PACKAGE}` failed: {error}")
        packed = [name for name in os.listdir(cache_dir) if name.endswith(".tgz") and name not in tarballs]
        if result.returncode != 0 or len(packed) != 1:
            raise SchemaUnavailable(f"`npm pack {FALLBACK_PACKAGE}` failed ({result.returncode}): "
                                    f"{result.stderr.decode(errors='replace').strip()}")
        tarball = os.path.join(cache_dir, packed[0])
        with open(tarball, "rb") as handle:
            have = hashlib.sha512(handle.read()).hexdigest()
        if have != FALLBACK_SHA512:
            os.unlink(tarball)
            raise SchemaUnavailable(f"{FALLBACK_PACKAGE} tarball sha512 is {have}, expected {FALLBACK_SHA512}: "
                                    "corrupt or tampered with")
    with tarfile.open(tarball) as archive:
        data = archive.extractfile(FALLBACK_MEMBER).read()
    with open(target + ".tmp", "wb") as handle:
        handle.write(data)
    os.replace(target + ".tmp", target)
    return target


def locate(source_dir, cache_dir, environment=os.environ):
    """(path, description) of the schema to validate against; SchemaUnavailable otherwise."""
    chosen = environment.get("PITFALL_SARIF_SCHEMA")
    if chosen:
        if not os.path.isfile(chosen):
            raise SchemaUnavailable(f"PITFALL_SARIF_SCHEMA names {chosen}, which is not a file")
        return chosen, f"PITFALL_SARIF_SCHEMA ({chosen})"
    official = official_path(source_dir)
    if os.path.isfile(official):
        return official, f"the official OASIS schema ({os.path.abspath(official)})"
    try:
        fallback = fetch_fallback(cache_dir)
    except SchemaUnavailable as error:
        raise SchemaUnavailable(f"{os.path.abspath(official)} is missing and the fallback could not be fetched: "
                                f"{error}; set PITFALL_SARIF_SCHEMA to a SARIF 2.1.0 schema")
    return fallback, f"the pinned fallback {FALLBACK_PACKAGE}:{FALLBACK_MEMBER} ({fallback})"
