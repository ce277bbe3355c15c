/*
 * path_like.h: the one test of "this string literal is a filesystem path", and which of its
 * escapes are mistakes, shared by PF004 (which reports the escapes in such a literal) and
 * PF006 (which leaves such a literal to PF004, so a literal gets one finding, not two).
 *
 * The escapes of a literal's literal part (not those inside f-string interpolations) play one
 * of three roles:
 *   - accidental: a control escape (`\n`, `\t`, ...), an octal escape other than `\0`, an
 *     unrecognised escape (`\d`) or a malformed one (`\Users`): what a backslash typed as a
 *     path separator turns into;
 *   - deliberate: a valid `\xHH`, `\uHHHH`, `\UHHHHHHHH`, `\N{name}` or a lone `\0`: nobody
 *     types these by accident, they spell a character on purpose (`os.fsencode("caf\xe9")`);
 *   - ignored: `\\`, `\'`, `\"`, a line continuation, and a run of `\n`, `\r` and `\t` at the
 *     very end of the literal, which ends a line of text rather than names a directory
 *     ("C:\\data\\out.txt\n").
 * PF004 reports a path-like literal with at least one accidental escape.
 *
 * A literal is path-like when any of these holds (tests 1 to 3 read the literal as written:
 * accidental escapes as their source characters, deliberate ones as one ordinary character,
 * ignored ones dropped, each f-string interpolation as one ordinary character):
 *   1. drive: a letter, a colon and one or two backslashes, then a body of characters other
 *      than control characters and `<>:"|?*` whose first name has three or more characters or
 *      that has two or more names: "C:\temp", "D:\\db\\new", not "a:\rb" (a header line);
 *   2. UNC: two backslashes as written, a host name (two or more letters, digits and `.-_$`,
 *      or an interpolation), and a share (two or more name characters, or an interpolation),
 *      every later separator a single backslash ("\\server\share", typed like a raw string;
 *      not LaTeX's "\\endfoot\n\\endlastfoot"); or four backslashes, a host and a share with
 *      separators of one or two backslashes ("\\\\server\\share");
 *   3. segments: backslash-separated names whose last one ends in a file extension:
 *      "data\new\table.txt". A separator is `\` or `\\` as written, and the text may start
 *      with one. A name is ".", "..", an interpolation, or two or more characters other than
 *      whitespace, control characters and `<>:"|?*@`, without "..". The last name is a stem, a dot and an
 *      extension of one to five ASCII letters and digits, with at least one letter and not
 *      mixed case (`txt`, `JPG`, `mp3`; not `Done`). There are at least two names;
 *   4. call: a direct argument of a path-taking call, in a position that takes a path: the
 *      first positional argument (or `file=`, `filename=`, `name=`, `path=`) of `open`,
 *      `io.open`, `builtins.open`, `codecs.open`, `gzip.open`, `bz2.open`, `lzma.open`,
 *      `tarfile.open`, `zipfile.ZipFile` and `os.open`; any positional argument (or a keyword
 *      among `path`, `file`, `filename`, `pathname`, `src`, `dst`, `top`, `dir`, `root_dir`,
 *      `base_dir`, `base_name`, `extract_dir`, `name`) of `glob.glob`, `glob.iglob`, the file
 *      functions of `os` (`os.stat`, `os.listdir`, `os.remove`, `os.rename`, `os.walk`, ...),
 *      every function of `os.path`, `ntpath` and `shutil`, `pathlib.Path`, `PurePath`,
 *      `PureWindowsPath`, `WindowsPath`, `PosixPath`, `PurePosixPath`, any `.joinpath(...)`
 *      call, and the settings' path-calls names (an entry ending in `.*`, which the
 *      configuration file does not accept today, would match every function of a module).
 *      Names are qualified through the file's imports (`from os import path;
 *      path.join(...)`, `import os.path as p`); a bare `Path` that no import binds counts as
 *      pathlib's;
 *   5. concatenation: a later part of an implicit concatenation whose first part is
 *      path-like by tests 1 to 3 ("C:\\dir" "\name.txt"). Otherwise each part of a
 *      concatenation is judged on its own, except that test 4 applies to every part of a
 *      concatenation passed to a path-taking call.
 * Ordinary text with `\n` or `\t` fails tests 1 to 3: it has spaces or colons, or does not end
 * in a file extension.
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
