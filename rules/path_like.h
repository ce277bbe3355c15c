/*
 * path_like.h: the one test of "this string literal is a filesystem path", and which of its
 * escapes are mistakes, shared by PF004 (which reports the escapes in such a literal) and
 * PF006 (which leaves such a literal to PF004, so a literal gets one finding, not two).
 *
 * The escapes of a literal's literal part (not those inside f-string interpolations) play one
 * of three roles:
 *   - accidental: a control escape (`\n`, `\t`, ...), an octal escape other than a lone `\0`,
 *     an unrecognised escape (`\d`), a malformed one (`\Users`, `\N{BAD NAME}`), and a valid
 *     `\x`, `\u` or `\U` that spells printable ASCII other than `\` and `/` (`\x64` is "d":
 *     "C:\\build\x64\\cl.exe" meant the x64 folder): what a backslash typed as a path
 *     separator turns into;
 *   - deliberate: `\N{name}`, any other valid `\x`, `\u`, `\U` (`os.fsencode("caf\xe9")`),
 *     and a lone `\0`, unless a name follows it right after a drive colon or a `\\`
 *     ("C:\0ld"): nobody types these by accident;
 *   - ignored: `\\`, `\'`, `\"`, a line continuation, and a run of `\n`, `\r` and `\t` at the
 *     very end of the literal, which ends a line of text rather than names a directory
 *     ("C:\\data\\out.txt\n", and "Q:\n", a label printed above a matrix).
 * PF004 reports a path-like literal with at least one accidental escape; PF006 then leaves
 * the whole literal to it.
 *
 * A literal is path-like when any of these holds (tests 1 to 3 read the literal as written:
 * every escape as its source text, except that the backslash of a deliberate escape becomes
 * an ordinary character, without continuations and the ignored trailing run; each f-string
 * interpolation as one ordinary character):
 *   1. drive: an upper-case letter, a colon and `\` or `/` ("D:\bk", "C:/Users/me\new.txt");
 *      a lower-case letter needs a body of characters other than control characters and
 *      `<>:"|?*` whose first name has three or more characters or that has two or more names
 *      ("c:\temp", not "a:\rb", a header line);
 *   2. UNC: two backslashes as written, a host name (two or more letters, digits and `.-_$`,
 *      or an interpolation), and a share (two or more name characters, or an interpolation),
 *      every later separator a single backslash ("\\server\share", typed like a raw string;
 *      not LaTeX's "\\endfoot\n\\endlastfoot"); or four backslashes, a host and a share of
 *      any length with separators of one or two backslashes ("\\\\server\d\data"); or the
 *      Win32 namespaces "\\\\?\\" and "\\\\.\\";
 *   3. segments: backslash-separated names whose last one ends in a file extension, with
 *      separators text does not use. A separator is `\` or `\\` as written, and the text may
 *      start with one. A name is ".", "..", or characters other than control characters and
 *      `<>:"|?*@+^$[]`, not starting or ending with a space, without "..". The last name is
 *      a stem, a dot and an extension of one to eight ASCII letters and digits, with a
 *      letter, lower case, upper case or capitalised (`txt`, `JPG`, `Txt`, `parquet`; not
 *      `tXt`). There are at least two names, and: a separator other than `\n`, `\t`, `\r`
 *      (`\\`, `\d`, `\f`, octal, ...), or a "." or ".." name, or a first name starting
 *      "./" or "../", or both `\n` and `\t` but no `\r` between names without spaces
 *      ("data\new\table.parquet"). Text uses `\n`, `\t` and `\r` between words:
 *      "Saved\nresults.csv", "id\tname\tfile.csv" and "self.x\nself.y" are not paths.
 *      Two names and one `\n` or `\t` ("a\new.txt", "x\test.py") cannot be told from
 *      such text and are not paths by shape (test 4 still applies);
 *   4. call: a direct argument (parentheses allowed) of a path-taking call, in a position
 *      that takes a path: the first positional argument (or `file=`, `filename=`, `name=`,
 *      `path=`) of `open`, `io.open`, `builtins.open`, `codecs.open`, `gzip.open`,
 *      `bz2.open`, `lzma.open`, `tarfile.open`, `zipfile.ZipFile`, `os.open`, `os.exec*`
 *      and `os.posix_spawn*`; the second of `os.spawn*` (the program, after the mode); any
 *      positional argument (or a keyword among `path`, `file`, `filename`, `pathname`,
 *      `src`, `dst`, `top`, `dir`, `root_dir`, `base_dir`, `base_name`, `extract_dir`,
 *      `name`) of `glob.glob`, `glob.iglob`, the file functions of `os` (`os.stat`,
 *      `os.listdir`, `os.remove`, `os.chflags`, `os.startfile`, ...), every function of
 *      `os.path`, `ntpath` and `shutil`, `pathlib.Path`, `PurePath`, `PureWindowsPath`,
 *      `WindowsPath`, `PosixPath`, `PurePosixPath`, any `.joinpath(...)` call, and the
 *      settings' path-calls names (an entry ending in `.*`, which the configuration file does
 *      not accept today, would match every function of a module). Names are qualified
 *      through the file's imports (`from os import path; path.join(...)`,
 *      `import os.path as p`); a bare `Path` that no import binds counts as pathlib's;
 *   5. concatenation: a later part of an implicit concatenation whose first part is
 *      path-like by tests 1 to 3 ("C:\\dir" "\name.txt"). Otherwise each part of a
 *      concatenation is judged on its own, except that test 4 applies to every part of a
 *      concatenation passed to a path-taking call.
 */
#ifndef PITFALL_PATH_LIKE_H
#define PITFALL_PATH_LIKE_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"
#include "string_literal.h"

typedef enum pf_path_reason {
  PF_PATH_NONE = 0,
  PF_PATH_DRIVE,         /* test 1 */
  PF_PATH_UNC,           /* test 2 */
  PF_PATH_SEGMENTS,      /* test 3 */
  PF_PATH_CALL_ARGUMENT, /* test 4 */
  PF_PATH_CONCATENATION, /* test 5 */
} pf_path_reason;

typedef enum pf_path_escape_role {
  PF_PATH_ESCAPE_IGNORED,
  PF_PATH_ESCAPE_DELIBERATE,
  PF_PATH_ESCAPE_ACCIDENTAL,
} pf_path_escape_role;

/* The offset where the literal's final run of `\n`, `\r` and `\t` escapes starts
 * (content_end when there is none). */
uint32_t pf_path_trailing_start(const char *text, const pf_string_literal *literal);

/* The role of an escape of the literal part (depth 0) of `text`; see above. */
pf_path_escape_role pf_path_escape_role_of(const char *text, const pf_escape *escape,
                                           uint32_t trailing_start);

/* Whether the literal part holds an accidental escape: what PF004 reports in a path-like
 * literal, and what makes PF006 leave the whole literal (format specs included) to PF004. */
int pf_path_has_accidental_escape(const char *text, const pf_string_literal *literal);

/* Tests 1 to 3 on one literal's text (prefix to closing quote). */
pf_path_reason pf_path_shape(const char *text, uint32_t length);

/* Whether the `string` node being visited (it must be ctx's current node) is path-like, by all
 * five tests. When the reason is a call, writes the call's qualified name into `call`. */
pf_path_reason pf_string_is_path_like(const pf_context *ctx, TSNode string, char *call, size_t call_size);

/* A short phrase for the message: "starts with a drive letter", "is an argument of `open`". */
const char *pf_path_reason_phrase(pf_path_reason reason);

#endif
