/*
 * path_like.c: the path-like test for string literals (see path_like.h).
 */
#include "path_like.h"

#include <stdio.h>
#include <string.h>

/* Shape text longer than this is judged by its start only (tests 1 and 2). */
enum { SHAPE_CAPACITY = 1024 };

/* Stand for an f-string interpolation, and for the backslash of a deliberate escape, in the
 * shape text: ordinary name characters, but never a drive letter. */
#define INTERPOLATION_MARK '\x01'
#define CHARACTER_MARK '\x02'

/* What each backslash of the shape text was written as (test 3 weighs separators). */
typedef enum separator_kind {
  SEPARATOR_NONE = 0,
  SEPARATOR_STRONG,  /* `\\`, an unrecognised or malformed escape, `\a \b \f \v`, octal, `\x64` */
  SEPARATOR_NEWLINE, /* `\n` */
  SEPARATOR_TAB,     /* `\t` */
  SEPARATOR_RETURN,  /* `\r` */
} separator_kind;

typedef struct shape_text {
  char text[SHAPE_CAPACITY];
  unsigned char separator[SHAPE_CAPACITY]; /* separator_kind of each backslash */
  uint32_t length;
  int truncated;
} shape_text;

static int is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_mark(char c) { return c == INTERPOLATION_MARK || c == CHARACTER_MARK; }

/* A character of a UNC host name (an interpolation may stand for one; an escaped byte not). */
static int is_host_char(char c) {
  return is_letter(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '$' ||
         c == INTERPOLATION_MARK;
}

/* A character of a name in a drive or UNC path (spaces allowed). */
static int is_name_char(char c) {
  unsigned char u = (unsigned char)c;
  if (is_mark(c))
    return 1;
  if (u < 0x20 || u == 0x7f || c == '\\')
    return 0;
  return strchr("<>:\"|?*", c) == NULL;
}

/* A character of a name in a relative path (test 3: also none of `@+^$[]`, which mark
 * addresses and regular expressions rather than file names). */
static int is_segment_char(char c) { return is_name_char(c) && strchr("@+^$[]", c) == NULL; }

uint32_t pf_path_trailing_start(const char *text, const pf_string_literal *literal) {
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, literal);
  pf_string_piece piece;
  uint32_t trailing = literal->content_end;
  while (pf_string_scanner_next(&scanner, &piece)) {
    int terminator = piece.kind == PF_PIECE_ESCAPE && piece.depth == 0 &&
                     piece.escape.kind == PF_ESCAPE_CONTROL &&
                     (piece.escape.value == '\n' || piece.escape.value == '\r' || piece.escape.value == '\t');
    if (!terminator)
      trailing = literal->content_end;
    else if (trailing == literal->content_end)
      trailing = piece.offset;
  }
  /* Even right after a drive: "Q:\n" is far more often a label that ends a line (a matrix
   * printed under its name) than the root of drive Q. */
  return trailing;
}

/* Whether a valid hex or unicode escape spells a character that a path would simply contain:
 * printable ASCII other than the separators (`\x64` is "d": the "x64" folder after a
 * separator). Not a C1 control: `\x86` may be the "x86" folder, but `'b:\x85'` is a test
 * of NEL in a mail header. */
static int spells_plain_character(int32_t value) {
  return value > 0x20 && value < 0x7f && value != '\\' && value != '/';
}

pf_path_escape_role pf_path_escape_role_of(const char *text, const pf_escape *escape,
                                           uint32_t trailing_start) {
  if (!pf_escape_changes_value(escape) || escape->offset >= trailing_start)
    return PF_PATH_ESCAPE_IGNORED;
  if (escape->validity != PF_ESCAPE_VALID)
    return PF_PATH_ESCAPE_ACCIDENTAL;
  switch (escape->kind) {
  case PF_ESCAPE_HEX:
  case PF_ESCAPE_UNICODE:
    return spells_plain_character(escape->value) ? PF_PATH_ESCAPE_ACCIDENTAL : PF_PATH_ESCAPE_DELIBERATE;
  case PF_ESCAPE_NAMED:
    return PF_PATH_ESCAPE_DELIBERATE;
  case PF_ESCAPE_OCTAL: {
    /* A lone `\0` is a NUL on purpose ("data\0"), unless it starts a name right after a
     * drive or a `\\` separator ("C:\\build\0ld"). */
    if (escape->length != 2 || escape->value != 0)
      return PF_PATH_ESCAPE_ACCIDENTAL;
    uint32_t at = escape->offset;
    char next = text[at + escape->length];
    int name_follows = is_letter(next) || is_digit(next) || next == '_';
    int after_separator = at >= 2 && (text[at - 1] == ':' || (text[at - 1] == '\\' && text[at - 2] == '\\'));
    return name_follows && after_separator ? PF_PATH_ESCAPE_ACCIDENTAL : PF_PATH_ESCAPE_DELIBERATE;
  }
  default:
    return PF_PATH_ESCAPE_ACCIDENTAL;
  }
}

int pf_path_has_accidental_escape(const char *text, const pf_string_literal *literal) {
  uint32_t trailing = pf_path_trailing_start(text, literal);
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, literal);
  pf_string_piece piece;
  while (pf_string_scanner_next(&scanner, &piece))
    if (piece.kind == PF_PIECE_ESCAPE && piece.depth == 0 &&
        pf_path_escape_role_of(text, &piece.escape, trailing) == PF_PATH_ESCAPE_ACCIDENTAL)
      return 1;
  return 0;
}

static separator_kind separator_of(const pf_escape *escape) {
  if (escape->kind == PF_ESCAPE_CONTROL && escape->value == '\n')
    return SEPARATOR_NEWLINE;
  if (escape->kind == PF_ESCAPE_CONTROL && escape->value == '\t')
    return SEPARATOR_TAB;
  if (escape->kind == PF_ESCAPE_CONTROL && escape->value == '\r')
    return SEPARATOR_RETURN;
  return SEPARATOR_STRONG;
}

static void shape_append(shape_text *shape, const char *from, uint32_t count, separator_kind first) {
  if (shape->truncated || shape->length + count > SHAPE_CAPACITY) {
    shape->truncated = 1;
    return;
  }
  memcpy(shape->text + shape->length, from, count);
  for (uint32_t i = 0; i < count; i++)
    shape->separator[shape->length + i] = from[i] == '\\' ? (unsigned char)first : SEPARATOR_NONE;
  shape->length += count;
}

/* Builds the literal as written (see path_like.h): escapes as their source text (a deliberate
 * one with a mark for its backslash), without line continuations and the trailing run. */
static void build_shape(const char *text, uint32_t length, shape_text *shape) {
  pf_string_literal literal;
  shape->length = 0;
  shape->truncated = 0;
  if (pf_string_literal_parse(text, length, &literal) != 0)
    return;
  uint32_t trailing = pf_path_trailing_start(text, &literal);
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, &literal);
  pf_string_piece piece;
  while (pf_string_scanner_next(&scanner, &piece) && !shape->truncated) {
    if (piece.depth > 0)
      continue;
    if (piece.kind == PF_PIECE_INTERPOLATION) {
      shape_append(shape, "\x01", 1, SEPARATOR_NONE);
      continue;
    }
    if (piece.kind == PF_PIECE_TEXT) {
      shape_append(shape, text + piece.offset, piece.length, SEPARATOR_NONE);
      continue;
    }
    const pf_escape *escape = &piece.escape;
    if (escape->kind == PF_ESCAPE_LINE_CONTINUATION || escape->offset >= trailing)
      continue;
    const char *source = text + escape->offset;
    uint32_t count = escape->length;
    if (source[1] == '{' || source[1] == '}') /* `\{` in an f-string: the brace is the next piece */
      count = pf_escape_changes_value(escape) && (literal.flags & PF_STRING_FORMAT) ? 1 : count;
    if (pf_path_escape_role_of(text, escape, trailing) == PF_PATH_ESCAPE_DELIBERATE) {
      shape_append(shape, "\x02", 1, SEPARATOR_NONE);
      shape_append(shape, source + 1, count - 1, SEPARATOR_NONE);
    } else {
      shape_append(shape, source, count, separator_of(escape));
    }
  }
}

/* Splits shape[from, length) into names at runs of one or two backslashes. Returns the number
 * of names, or -1 when a name has a character `accept` refuses, a separator is longer than
 * two backslashes, or a name is empty (a trailing separator is allowed when `trailing_ok`).
 * Reports the first name's length and the last name's place. */
typedef struct name_split {
  int count;
  uint32_t first_length, last_start, last_length;
} name_split;

static name_split split_names(const char *shape, uint32_t from, uint32_t length, int (*accept)(char),
                              int trailing_ok) {
  name_split split = {0, 0, 0, 0};
  uint32_t i = from;
  while (i < length) {
    uint32_t start = i;
    while (i < length && shape[i] != '\\') {
      if (!accept(shape[i])) {
        split.count = -1;
        return split;
      }
      i++;
    }
    if (i == start) {
      split.count = -1;
      return split;
    }
    if (!split.count)
      split.first_length = i - start;
    split.count++;
    split.last_start = start;
    split.last_length = i - start;
    uint32_t run = 0;
    while (i < length && shape[i] == '\\') {
      run++;
      i++;
    }
    if (run > 2 || (run && i == length && !trailing_ok)) {
      split.count = -1;
      return split;
    }
  }
  return split;
}

/* Test 1: an upper-case drive letter, a colon and a backslash (or a slash: "C:/Users/me\new")
 * is a path whatever follows; a lower-case one needs a body of names ("c:\temp", not "a:\rb"). */
static int has_drive(const char *shape, uint32_t length) {
  if (length < 3 || !is_letter(shape[0]) || shape[1] != ':' ||
      (shape[2] != '\\' && shape[2] != '/' && shape[2] != CHARACTER_MARK))
    return 0;
  if (is_upper(shape[0]))
    return 1;
  uint32_t body = shape[3] == '\\' && length > 3 ? 4 : 3;
  if (body == length)
    return 1;
  name_split split = split_names(shape, body, length, is_name_char, 1);
  return split.count >= 2 || (split.count == 1 && split.first_length >= 3);
}

static int has_unc_prefix(const char *shape, uint32_t length) {
  uint32_t i = 0;
  while (i < length && shape[i] == '\\')
    i++;
  uint32_t leading = i;
  if (leading != 2 && leading != 4)
    return 0;
  /* "\\\\?\\C:\\..." and "\\\\.\\pipe\\...": Win32 file and device namespaces. */
  if (leading == 4 && i + 1 < length && (shape[i] == '?' || shape[i] == '.') && shape[i + 1] == '\\')
    return 1;
  uint32_t host_start = i;
  while (i < length && is_host_char(shape[i]))
    i++;
  /* A host is two or more characters, or an interpolation. */
  int host_ok = i - host_start >= 2 || (i - host_start == 1 && shape[host_start] == INTERPOLATION_MARK);
  if (!host_ok || i >= length || shape[i] != '\\')
    return 0;
  /* "\\server\share" is typed like a raw string: every later separator is one backslash.
   * "\\x9c\\x9d" (escaped backslashes between byte codes) and "\\endfoot\n\\endlastfoot"
   * (LaTeX) are not UNC paths. "\\\\server\\share" may use one or two. */
  uint32_t widest = leading == 2 ? 1 : 2;
  for (uint32_t j = i; j < length;) {
    uint32_t run = 0;
    while (j < length && shape[j] == '\\') {
      run++;
      j++;
    }
    if (run > widest)
      return 0;
    j += run ? 0 : 1;
  }
  while (i < length && shape[i] == '\\')
    i++;
  /* The share: a name (two or more characters when typed raw-style), or an interpolation. */
  uint32_t share_start = i;
  while (i < length && shape[i] != '\\' && is_name_char(shape[i]))
    i++;
  uint32_t share_minimum = leading == 4 ? 1 : 2;
  return i - share_start >= share_minimum ||
         (i - share_start == 1 && shape[share_start] == INTERPOLATION_MARK);
}

/* Whether `name` is stem.ext with an extension of 1-8 ASCII letters and digits, at least one
 * letter, in lower case, upper case or capitalised (`txt`, `JPG`, `Txt`, `parquet`; not
 * `tXt`). */
static int ends_in_extension(const char *name, uint32_t length) {
  uint32_t dot = length;
  while (dot > 0 && name[dot - 1] != '.')
    dot--;
  if (dot < 2) /* no dot, or no stem before it */
    return 0;
  uint32_t extension_length = length - dot;
  if (extension_length < 1 || extension_length > 8)
    return 0;
  int letters = 0, lower = 0, upper_after_first = 0;
  for (uint32_t i = dot; i < length; i++) {
    char c = name[i];
    if (!is_letter(c) && !is_digit(c))
      return 0;
    letters += is_letter(c);
    lower += is_lower(c);
    upper_after_first += i > dot && is_upper(c);
  }
  return letters > 0 && !(lower && upper_after_first);
}

/* Whether a name starts with "./" or "../" and goes on. */
static int starts_relative(const char *name, uint32_t length) {
  return (length > 2 && memcmp(name, "./", 2) == 0) || (length > 3 && memcmp(name, "../", 3) == 0);
}

/* Test 3 (see path_like.h). */
static int is_segmented_file_path(const shape_text *shape) {
  const char *text = shape->text;
  uint32_t length = shape->length;
  uint32_t from = 0;
  while (from < length && from < 2 && text[from] == '\\')
    from++;
  name_split split = split_names(text, from, length, is_segment_char, 0);
  if (split.count < 2 || !ends_in_extension(text + split.last_start, split.last_length))
    return 0;
  int strong = 0, newline = 0, tab = 0, carriage_return = 0, spaces = 0;
  for (uint32_t i = 0; i < length; i++) {
    switch ((separator_kind)shape->separator[i]) {
    case SEPARATOR_STRONG:
      strong = 1;
      break;
    case SEPARATOR_NEWLINE:
      newline = 1;
      break;
    case SEPARATOR_TAB:
      tab = 1;
      break;
    case SEPARATOR_RETURN:
      carriage_return = 1;
      break;
    default:
      break;
    }
  }
  /* Every name is ".", "..", or a name without ".." that does not start or end with a space. */
  uint32_t i = from;
  while (i < length) {
    uint32_t start = i;
    while (i < length && text[i] != '\\')
      i++;
    uint32_t name_length = i - start;
    int dots = name_length <= 2 && memcmp(text + start, "..", name_length) == 0;
    /* ".\new.txt", "./data\new.txt", "../data\new.txt": a relative path */
    strong |= dots || (start == from && starts_relative(text + start, name_length));
    if (!dots && (text[start] == ' ' || text[i - 1] == ' '))
      return 0;
    uint32_t checked_from = start == from && starts_relative(text + start, name_length) ? start + 2 : start;
    for (uint32_t j = checked_from; !dots && j < i; j++) {
      if (text[j] == '.' && j + 1 < i && text[j + 1] == '.')
        return 0;
      spaces += text[j] == ' ';
    }
    while (i < length && text[i] == '\\')
      i++;
  }
  /* Text breaks lines and columns with `\n`, `\t` and `\r`: "Saved\nresults.csv",
   * "id\tname\tfile.csv". A path shows a separator no text uses (`\\`, `\d`, `\f`, octal),
   * a "." or ".." name or a "./" or "../" start,
   * or mixes `\n` and `\t` between names without spaces ("data\new\table.txt"). */
  return strong || (newline && tab && !carriage_return && !spaces);
}

pf_path_reason pf_path_shape(const char *text, uint32_t length) {
  shape_text shape;
  build_shape(text, length, &shape);
  if (has_drive(shape.text, shape.length))
    return PF_PATH_DRIVE;
  if (has_unc_prefix(shape.text, shape.length))
    return PF_PATH_UNC;
  if (!shape.truncated && is_segmented_file_path(&shape))
    return PF_PATH_SEGMENTS;
  return PF_PATH_NONE;
}

/* Path-taking callables whose path is the first argument (or one of open_like_keywords). */
static const char *const open_like_calls[] = {
    "open",
    "builtins.open",
    "io.open",
    "codecs.open",
    "gzip.open",
    "bz2.open",
    "lzma.open",
    "tarfile.open",
    "zipfile.ZipFile",
    "os.open",
    /* the program to run; the arguments that follow are not paths */
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execlpe",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.execvpe",
    "os.posix_spawn",
    "os.posix_spawnp",
    NULL,
};

/* Callables whose second positional argument is a program's path (the first is a mode). */
static const char *const spawn_calls[] = {
    "os.spawnl",  "os.spawnle", "os.spawnlp",  "os.spawnlpe", "os.spawnv",
    "os.spawnve", "os.spawnvp", "os.spawnvpe", NULL,
};
static const char *const open_like_keywords[] = {"file", "filename", "name", "path", NULL};

/* Path-taking callables every positional argument of which is a path (or one of
 * path_keywords). */
static const char *const path_calls[] = {
    "glob.glob",
    "glob.iglob",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PureWindowsPath",
    "pathlib.WindowsPath",
    "pathlib.PosixPath",
    "pathlib.PurePosixPath",
    "os.stat",
    "os.lstat",
    "os.listdir",
    "os.scandir",
    "os.mkdir",
    "os.makedirs",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "os.rename",
    "os.renames",
    "os.replace",
    "os.chdir",
    "os.chmod",
    "os.chflags",
    "os.lchflags",
    "os.lchmod",
    "os.chown",
    "os.lchown",
    "os.chroot",
    "os.access",
    "os.link",
    "os.symlink",
    "os.readlink",
    "os.walk",
    "os.fwalk",
    "os.startfile",
    "os.truncate",
    "os.utime",
    "os.mkfifo",
    "os.mknod",
    "os.statvfs",
    "os.pathconf",
    "os.fspath",
    "os.fsencode",
    "os.fsdecode",
    "os.add_dll_directory",
    "os.listxattr",
    "os.getxattr",
    "os.setxattr",
    "os.removexattr",
    NULL,
};
static const char *const path_keywords[] = {
    "path", "file",     "filename", "pathname",  "src",         "dst",  "top",
    "dir",  "root_dir", "base_dir", "base_name", "extract_dir", "name", NULL,
};

/* Modules every function of which takes paths (as path_calls). */
static const char *const path_modules[] = {"os.path.", "ntpath.", "shutil.", NULL};

/* pathlib classes, also accepted as bare names that no import binds. */
static const char *const bare_path_classes[] = {"Path", "PurePath", "PureWindowsPath", "WindowsPath", NULL};

static int in_list(const char *const *list, const char *text, size_t length) {
  for (size_t i = 0; list[i]; i++)
    if (strlen(list[i]) == length && memcmp(list[i], text, length) == 0)
      return 1;
  return 0;
}

static int matches_name_list(const pf_name_list *list, const char *qualified) {
  size_t length = strlen(qualified);
  for (size_t i = 0; i < list->count; i++) {
    const char *name = list->names[i];
    size_t name_length = strlen(name);
    if (name_length >= 2 && name[name_length - 2] == '.' && name[name_length - 1] == '*') {
      /* "module.*": every function of the module (the dot included in the comparison). */
      if (length > name_length - 1 && memcmp(qualified, name, name_length - 1) == 0)
        return 1;
    } else if (name_length == length && memcmp(qualified, name, length) == 0) {
      return 1;
    }
  }
  return 0;
}

/* Where an argument sits in its call: the 0-based position of a positional argument, or the
 * keyword's name. */
typedef struct argument_slot {
  int positional; /* -1 for a keyword argument */
  const char *keyword;
  uint32_t keyword_length;
} argument_slot;

/* Whether `call` takes a path in `slot`; writes the call's name into `out`. */
static int is_path_call(const pf_context *ctx, TSNode call, const argument_slot *slot, char *out,
                        size_t out_size) {
  TSNode function = pf_child(call, pf_field.FUNCTION);
  if (ts_node_is_null(function))
    return 0;
  int any_position = slot->positional >= 0 || in_list(path_keywords, slot->keyword, slot->keyword_length);
  if (pf_node_kind(function) == PF_KIND_ATTRIBUTE) {
    TSNode attribute = pf_child(function, pf_field.ATTRIBUTE);
    if (!ts_node_is_null(attribute) && pf_node_text_is(ctx, attribute, "joinpath") && any_position) {
      snprintf(out, out_size, "joinpath");
      return 1;
    }
  }
  char qualified[256];
  if (pf_qualified_name(ctx->imports, ctx->source, function, qualified, sizeof(qualified)) != 0)
    return 0;
  size_t length = strlen(qualified);
  int found = 0;
  if (in_list(spawn_calls, qualified, length)) {
    found = slot->positional == 1;
  } else if (in_list(open_like_calls, qualified, length)) {
    found = slot->positional == 0 || in_list(open_like_keywords, slot->keyword, slot->keyword_length);
  } else if (any_position) {
    found = in_list(path_calls, qualified, length);
    for (size_t i = 0; path_modules[i] && !found; i++) {
      size_t prefix = strlen(path_modules[i]);
      found = strncmp(qualified, path_modules[i], prefix) == 0 && qualified[prefix] != '\0';
    }
    if (!found && pf_node_kind(function) == PF_KIND_IDENTIFIER &&
        !pf_imports_lookup(ctx->imports, qualified, length))
      found = in_list(bare_path_classes, qualified, length);
    if (!found && ctx->settings)
      found = matches_name_list(&ctx->settings->path_calls, qualified);
  }
  if (found)
    snprintf(out, out_size, "%s", qualified);
  return found;
}

/* The call that the expression `up` levels above the visited node is a direct argument of,
 * and its slot there; a null node when there is none. */
static TSNode enclosing_call(const pf_context *ctx, uint32_t up, argument_slot *slot) {
  TSNode null_node = {0};
  /* open(("logs\today")): the parentheses do not make the argument less direct. */
  while (!ts_node_is_null(pf_ancestor(ctx, up + 1)) &&
         pf_node_kind(pf_ancestor(ctx, up + 1)) == PF_KIND_PARENTHESIZED_EXPRESSION)
    up++;
  TSNode argument = pf_ancestor(ctx, up);
  TSNode parent = pf_ancestor(ctx, up + 1);
  if (ts_node_is_null(parent))
    return null_node;
  slot->positional = -1;
  slot->keyword = "";
  slot->keyword_length = 0;
  if (pf_node_kind(parent) == PF_KIND_KEYWORD_ARGUMENT) {
    if (ctx->depth < up || ctx->fields[ctx->depth - up] != pf_field.VALUE)
      return null_node;
    TSNode name = pf_child(parent, pf_field.NAME);
    if (ts_node_is_null(name))
      return null_node;
    slot->keyword = pf_node_text(ctx, name, &slot->keyword_length);
    up++;
    parent = pf_ancestor(ctx, up + 1);
  } else if (pf_node_kind(parent) == PF_KIND_ARGUMENT_LIST) {
    /* The position among the positional arguments before it (a *splat makes it unknown). */
    int position = 0;
    uint32_t count = ts_node_named_child_count(parent);
    for (uint32_t i = 0; i < count; i++) {
      TSNode sibling = ts_node_named_child(parent, i);
      if (ts_node_eq(sibling, argument))
        break;
      pf_kind kind = pf_node_kind(sibling);
      if (kind == PF_KIND_LIST_SPLAT)
        position = 1000;
      else if (kind != PF_KIND_KEYWORD_ARGUMENT && kind != PF_KIND_DICTIONARY_SPLAT &&
               kind != PF_KIND_COMMENT)
        position++;
    }
    slot->positional = position;
  }
  if (pf_node_kind(parent) != PF_KIND_ARGUMENT_LIST)
    return null_node;
  TSNode call = pf_ancestor(ctx, up + 2);
  return pf_node_kind(call) == PF_KIND_CALL ? call : null_node;
}

pf_path_reason pf_string_is_path_like(const pf_context *ctx, TSNode string, char *call, size_t call_size) {
  if (call_size)
    call[0] = '\0';
  uint32_t length;
  const char *text = pf_node_text(ctx, string, &length);
  pf_path_reason reason = pf_path_shape(text, length);
  if (reason)
    return reason;
  TSNode parent = pf_parent(ctx);
  int in_concatenation = !ts_node_is_null(parent) && pf_node_kind(parent) == PF_KIND_CONCATENATED_STRING;
  argument_slot slot;
  TSNode call_node = enclosing_call(ctx, in_concatenation ? 1 : 0, &slot);
  char name[256];
  if (!ts_node_is_null(call_node) && is_path_call(ctx, call_node, &slot, name, sizeof(name))) {
    if (call_size)
      snprintf(call, call_size, "%s", name);
    return PF_PATH_CALL_ARGUMENT;
  }
  if (in_concatenation) {
    TSNode first = ts_node_named_child(parent, 0);
    if (!ts_node_eq(first, string) && pf_node_kind(first) == PF_KIND_STRING) {
      const char *first_text = pf_node_text(ctx, first, &length);
      if (pf_path_shape(first_text, length))
        return PF_PATH_CONCATENATION;
    }
  }
  return PF_PATH_NONE;
}

const char *pf_path_reason_phrase(pf_path_reason reason) {
  switch (reason) {
  case PF_PATH_DRIVE:
    return "starts with a drive letter";
  case PF_PATH_UNC:
    return "starts with a UNC prefix";
  case PF_PATH_SEGMENTS:
    return "is backslash-separated names ending in a file extension";
  case PF_PATH_CALL_ARGUMENT:
    return "is passed to a path-taking call";
  case PF_PATH_CONCATENATION:
    return "continues a path-like string";
  default:
    return "is not path-like";
  }
}
