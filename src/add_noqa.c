/*
 * add_noqa.c: `--add-noqa` (see add_noqa.h): plan the edits, verify them, write atomically.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "add_noqa.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "arena.h"
#include "lang.h"
#include "noqa.h"
#include "parse_budget.h"
#include "rule.h"

/* One insertion of ASCII text at a byte offset of the decoded text. */
typedef struct insertion {
  uint32_t at;
  char *text;  /* owned */
  int extends; /* goes into an existing directive */
} insertion;

typedef struct plan {
  insertion *items;
  size_t count, capacity;
  size_t targeted; /* findings the plan suppresses */
} plan;

static void plan_free(plan *p) {
  for (size_t i = 0; i < p->count; i++)
    free(p->items[i].text);
  free(p->items);
  memset(p, 0, sizeof(*p));
}

/* A growing string. */
typedef struct text_buffer {
  char *data;
  size_t length, capacity;
} text_buffer;

static void append(text_buffer *buffer, const char *bytes, size_t length) {
  pf_grow((void **)&buffer->data, &buffer->capacity, buffer->length + length + 1, 1);
  memcpy(buffer->data + buffer->length, bytes, length);
  buffer->length += length;
  buffer->data[buffer->length] = '\0';
}

static void append_string(text_buffer *buffer, const char *text) { append(buffer, text, strlen(text)); }

static void refuse(const char *path, pf_add_noqa_summary *summary, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse(const char *path, pf_add_noqa_summary *summary, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "pitfall: warning: %s: not edited: ", path);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  summary->files_refused++;
}

static int is_unused_noqa(const pf_diagnostic *diagnostic) {
  return strcmp(diagnostic->rule->code, "PF100") == 0;
}

/* ---- planning ---- */

static int compare_codes(const void *left, const void *right) {
  return strcmp(*(const char *const *)left, *(const char *const *)right);
}

/* The text to insert for `codes` on a line, and where. */
static void plan_line(plan *p, const pf_source *source, const pf_noqa_index *index, uint32_t row,
                      const char **codes, size_t code_count) {
  qsort(codes, code_count, sizeof(char *), compare_codes);
  long at = pf_noqa_find_row(index, row);
  const pf_noqa_directive *directive = at >= 0 ? &index->items[at] : NULL;
  int extend = directive && directive->scope == PF_NOQA_LINE && directive->has_colon;
  const char *separator = extend && directive->space_separated ? " " : ", ";
  text_buffer text = {0};
  uint32_t offset;
  if (extend) {
    offset = directive->codes_end;
    append_string(&text, directive->code_count ? separator : " ");
  } else {
    uint32_t length;
    const char *line = pf_source_line_text(source, row - 1, &length);
    while (length && (line[length - 1] == ' ' || line[length - 1] == '\t' || line[length - 1] == '\f'))
      length--;
    offset = (uint32_t)(line - source->text) + length;
    append_string(&text, length ? "  # noqa: " : "# noqa: ");
  }
  size_t written = 0;
  for (size_t i = 0; i < code_count; i++) {
    if (i && strcmp(codes[i], codes[i - 1]) == 0)
      continue;
    if (written++)
      append_string(&text, separator);
    append_string(&text, codes[i]);
  }
  /* `# noqa:reason` becomes `# noqa: PF001 reason`, not `# noqa: PF001reason`. */
  if (extend && offset < source->length && source->text[offset] != ' ' && source->text[offset] != '\t' &&
      source->text[offset] != '\r' && source->text[offset] != '\n')
    append_string(&text, " ");
  pf_grow((void **)&p->items, &p->capacity, p->count + 1, sizeof(insertion));
  p->items[p->count++] = (insertion){offset, text.data, extend};
}

static int compare_by_row(const void *left, const void *right) {
  const pf_diagnostic *const *l = left, *const *r = right;
  if ((*l)->noqa_row != (*r)->noqa_row)
    return (*l)->noqa_row < (*r)->noqa_row ? -1 : 1;
  return 0;
}

/* One insertion per noqa_row of the findings (PF100's excepted), in offset order. */
static void make_plan(plan *p, const pf_source *source, const pf_noqa_index *index,
                      const pf_diagnostic_list *findings) {
  const pf_diagnostic **sorted = pf_xcalloc(findings->count + 1, sizeof(pf_diagnostic *));
  size_t count = 0;
  for (size_t i = 0; i < findings->count; i++)
    if (!is_unused_noqa(&findings->items[i]))
      sorted[count++] = &findings->items[i];
  qsort(sorted, count, sizeof(pf_diagnostic *), compare_by_row);
  const char **codes = pf_xcalloc(count + 1, sizeof(char *));
  for (size_t start = 0; start < count;) {
    size_t end = start, code_count = 0;
    while (end < count && sorted[end]->noqa_row == sorted[start]->noqa_row)
      codes[code_count++] = sorted[end++]->rule->code;
    plan_line(p, source, index, sorted[start]->noqa_row, codes, code_count);
    start = end;
  }
  p->targeted = count;
  free(codes);
  free(sorted);
}

static char *apply_plan(const plan *p, const char *text, uint32_t length, uint32_t *new_length) {
  text_buffer out = {0};
  uint32_t copied = 0;
  for (size_t i = 0; i < p->count; i++) {
    append(&out, text + copied, p->items[i].at - copied);
    append_string(&out, p->items[i].text);
    copied = p->items[i].at;
  }
  append(&out, text + copied, length - copied);
  *new_length = (uint32_t)out.length;
  return out.data;
}

/* ---- verification ---- */

/* A preorder walk over a tree that skips comments, with the depth of each node. */
typedef struct tree_walk {
  TSTreeCursor cursor;
  uint32_t depth;
  int done;
} tree_walk;

static void walk_step(tree_walk *walk) {
  if (ts_tree_cursor_goto_first_child(&walk->cursor)) {
    walk->depth++;
    return;
  }
  for (;;) {
    if (ts_tree_cursor_goto_next_sibling(&walk->cursor))
      return;
    if (!ts_tree_cursor_goto_parent(&walk->cursor)) {
      walk->done = 1;
      return;
    }
    walk->depth--;
  }
}

static void skip_comments(tree_walk *walk) {
  while (!walk->done && pf_node_kind(ts_tree_cursor_current_node(&walk->cursor)) == PF_KIND_COMMENT)
    walk_step(walk);
}

/* Whether two trees have the same nodes in the same nesting with the same token text,
 * comments aside. Iterative: trees can be deep. */
static int same_tree_apart_from_comments(TSNode left_root, const char *left_text, TSNode right_root,
                                         const char *right_text) {
  tree_walk left = {ts_tree_cursor_new(left_root), 0, 0}, right = {ts_tree_cursor_new(right_root), 0, 0};
  int same = 1;
  skip_comments(&left);
  skip_comments(&right);
  while (same && !left.done && !right.done) {
    TSNode l = ts_tree_cursor_current_node(&left.cursor), r = ts_tree_cursor_current_node(&right.cursor);
    if (left.depth != right.depth || ts_node_symbol(l) != ts_node_symbol(r) ||
        ts_node_is_missing(l) != ts_node_is_missing(r)) {
      same = 0;
      break;
    }
    if (ts_node_child_count(l) == 0 && ts_node_child_count(r) == 0) {
      uint32_t l_length = ts_node_end_byte(l) - ts_node_start_byte(l);
      uint32_t r_length = ts_node_end_byte(r) - ts_node_start_byte(r);
      if (l_length != r_length ||
          memcmp(left_text + ts_node_start_byte(l), right_text + ts_node_start_byte(r), l_length) != 0)
        same = 0;
    }
    walk_step(&left);
    walk_step(&right);
    skip_comments(&left);
    skip_comments(&right);
  }
  same = same && left.done && right.done;
  ts_tree_cursor_delete(&left.cursor);
  ts_tree_cursor_delete(&right.cursor);
  return same;
}

/* Whether every finding in `after` is a PF100 finding of `before` at the same position: the
 * targeted findings are gone and nothing new appeared. (A PF100 may disappear: extending
 * `# noqa:reason` into `# noqa: PF001 reason` gives it a code.) Both lists are sorted. */
static int only_unused_noqa_left(const pf_diagnostic_list *before, const pf_diagnostic_list *after) {
  size_t i = 0;
  for (size_t j = 0; j < after->count; j++) {
    const pf_diagnostic *now = &after->items[j];
    if (!is_unused_noqa(now))
      return 0;
    while (i < before->count &&
           (before->items[i].rule != now->rule || before->items[i].start.row != now->start.row ||
            before->items[i].start.column != now->start.column))
      i++;
    if (i == before->count)
      return 0;
    i++;
  }
  return 1;
}

/* ---- bytes on disk ---- */

static int read_file(const char *path, char **bytes, size_t *length, struct stat *status) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  if (fstat(fd, status) != 0 || !S_ISREG(status->st_mode)) {
    int saved = errno ? errno : EINVAL;
    close(fd);
    errno = saved;
    return -1;
  }
  size_t capacity = (size_t)status->st_size + 1, used = 0;
  char *data = pf_xmalloc(capacity);
  for (;;) {
    if (used == capacity)
      pf_grow((void **)&data, &capacity, capacity + 4096, 1);
    ssize_t got = read(fd, data + used, capacity - used);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int saved = errno;
      free(data);
      close(fd);
      errno = saved;
      return -1;
    }
    if (got == 0)
      break;
    used += (size_t)got;
  }
  close(fd);
  *bytes = data;
  *length = used;
  return 0;
}

/* Where each line of the raw bytes ends (before its line break), counting line breaks the
 * way pf_source does; `start` skips a BOM. Returns the number of lines. */
static size_t raw_line_ends(const char *raw, size_t length, size_t start, size_t **ends) {
  size_t count = 0, capacity = 0;
  *ends = NULL;
  for (size_t i = start;; i++) {
    if (i == length || raw[i] == '\n' || raw[i] == '\r') {
      pf_grow((void **)ends, &capacity, count + 1, sizeof(size_t));
      (*ends)[count++] = i;
      if (i == length)
        break;
      if (raw[i] == '\r' && i + 1 < length && raw[i + 1] == '\n')
        i++;
    }
  }
  return count;
}

/* The new file bytes: the insertions placed in the original bytes. In UTF-8 files a text
 * offset is a byte offset (after a BOM); in a file decoded from another encoding an insertion
 * is placed by counting back from its line's end, which needs the rest of the line to be
 * ASCII. Returns NULL (with a reason) when an insertion cannot be placed. */
static char *place_in_raw(const plan *p, const pf_source *source, const char *raw, size_t raw_length,
                          size_t *new_length, const char **reason) {
  size_t bom = source->had_bom ? 3 : 0;
  int identity = raw_length == source->length + bom && memcmp(raw + bom, source->text, source->length) == 0;
  size_t *ends = NULL;
  size_t line_count = identity ? 0 : raw_line_ends(raw, raw_length, bom, &ends);
  text_buffer out = {0};
  size_t copied = 0;
  for (size_t i = 0; i < p->count; i++) {
    size_t at = p->items[i].at + bom;
    if (!identity) {
      uint32_t line = pf_source_line_of(source, p->items[i].at), length;
      const char *text = pf_source_line_text(source, line, &length);
      uint32_t line_end = (uint32_t)(text - source->text) + length;
      for (uint32_t k = p->items[i].at; k < line_end; k++) {
        if ((unsigned char)source->text[k] >= 0x80) {
          *reason = "its encoding is not UTF-8 and the line holds non-ASCII text after the insertion point";
          free(ends);
          free(out.data);
          return NULL;
        }
      }
      if (line >= line_count || ends[line] < line_end - p->items[i].at) {
        *reason = "its lines do not match the decoded text";
        free(ends);
        free(out.data);
        return NULL;
      }
      at = ends[line] - (line_end - p->items[i].at);
    }
    append(&out, raw + copied, at - copied);
    append_string(&out, p->items[i].text);
    copied = at;
  }
  append(&out, raw + copied, raw_length - copied);
  free(ends);
  *new_length = out.length;
  return out.data;
}

static int same_file_state(const struct stat *left, const struct stat *right) {
  return left->st_dev == right->st_dev && left->st_ino == right->st_ino && left->st_size == right->st_size &&
         left->st_mtim.tv_sec == right->st_mtim.tv_sec && left->st_mtim.tv_nsec == right->st_mtim.tv_nsec;
}

/* Writes `bytes` to a temporary file beside the file `path` points to and renames it over
 * that file. Returns 0, or -1 with a reason. */
static int write_atomically(const char *path, const char *bytes, size_t length, const struct stat *original,
                            char *reason, size_t reason_size) {
  char *target = realpath(path, NULL);
  if (!target) {
    snprintf(reason, reason_size, "cannot resolve its path: %s", strerror(errno));
    return -1;
  }
  /* Renaming over a file needs only its directory to be writable; a file that could not be
   * written in place (read-only, or someone else's) is not ours to replace. */
  if (faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0) {
    snprintf(reason, reason_size, "it is not writable: %s", strerror(errno));
    free(target);
    return -1;
  }
  const char *slash = strrchr(target, '/');
  size_t directory_length = slash ? (size_t)(slash - target) : 0;
  const char *base = slash ? slash + 1 : target;
  size_t template_size = directory_length + strlen(base) + 32;
  char *temporary = pf_xmalloc(template_size);
  snprintf(temporary, template_size, "%.*s/.%s.pitfall-XXXXXX", (int)directory_length, target, base);
  int fd = mkstemp(temporary);
  if (fd < 0) {
    snprintf(reason, reason_size, "cannot create a temporary file beside it: %s", strerror(errno));
    free(temporary);
    free(target);
    return -1;
  }
  int failed = 0;
  for (size_t written = 0; written < length && !failed;) {
    ssize_t result = write(fd, bytes + written, length - written);
    if (result < 0 && errno == EINTR)
      continue;
    if (result < 0) {
      snprintf(reason, reason_size, "cannot write the new content: %s", strerror(errno));
      failed = 1;
    } else {
      written += (size_t)result;
    }
  }
  if (!failed && fchmod(fd, original->st_mode & 07777) != 0) {
    snprintf(reason, reason_size, "cannot set permissions: %s", strerror(errno));
    failed = 1;
  }
  if (!failed && fchown(fd, original->st_uid, original->st_gid) != 0) {
    /* Only root may give the file away; keeping the editor's ownership is what editors do. */
  }
  if (!failed && fsync(fd) != 0) {
    snprintf(reason, reason_size, "cannot flush the new content: %s", strerror(errno));
    failed = 1;
  }
  if (close(fd) != 0 && !failed) {
    snprintf(reason, reason_size, "cannot write the new content: %s", strerror(errno));
    failed = 1;
  }
  struct stat now;
  if (!failed && (stat(target, &now) != 0 || !same_file_state(original, &now))) {
    snprintf(reason, reason_size, "it changed while it was being edited");
    failed = 1;
  }
  if (!failed && rename(temporary, target) != 0) {
    snprintf(reason, reason_size, "cannot replace it: %s", strerror(errno));
    failed = 1;
  }
  if (failed)
    unlink(temporary);
  free(temporary);
  free(target);
  return failed ? -1 : 0;
}

/* ---- the whole step ---- */

void pf_add_noqa_file(pf_linter *linter, const char *path, const pf_settings *settings,
                      pf_file_result *result, pf_add_noqa_summary *summary) {
  if (result->error || result->decode_error)
    return; /* already reported as an error or as PF000 */
  size_t wanted = 0;
  for (size_t i = 0; i < result->diagnostics.count; i++)
    if (!is_unused_noqa(&result->diagnostics.items[i]))
      wanted++;
  if (!wanted)
    return;

  char *raw = NULL;
  size_t raw_length = 0;
  struct stat status;
  if (read_file(path, &raw, &raw_length, &status) != 0) {
    refuse(result->path, summary, "cannot read it again: %s", strerror(errno));
    return;
  }
  pf_source source = {0}, edited_source = {0};
  pf_diagnostic_list before = {0}, after = {0};
  plan edits = {0};
  pf_arena arena = {0};
  TSParser *parser = pf_python_parser_new();
  TSTree *tree = NULL, *edited_tree = NULL;
  char *edited = NULL, *edited_raw = NULL;
  char reason[512];

  if (pf_source_load_bytes(&source, raw, raw_length, reason, sizeof(reason)) != PF_LOAD_OK) {
    refuse(result->path, summary, "%s", reason);
    goto done;
  }
  /* Plan from the bytes just read, not from the earlier lint: the file may have changed. */
  pf_lint_source(linter, result->path, &source, settings, &before);
  pf_parse_budget_apply(parser, source.length);
  tree = ts_parser_parse_string(parser, NULL, source.text, source.length);
  if (!tree) {
    refuse(result->path, summary, "it could not be parsed");
    goto done;
  }
  if (ts_node_has_error(ts_tree_root_node(tree))) {
    /* Where the parser had to recover, its tree cannot tell where a comment may safely go
     * (a string it misread could swallow one), so no comparison of trees would prove much. */
    refuse(result->path, summary,
           "it has a syntax error (PF000), so where a comment can go cannot be verified; fix it, or "
           "exempt the file with `# pitfall: noqa: PF000` on a line of its own");
    goto done;
  }
  pf_noqa_index index;
  pf_noqa_collect(&index, &source, ts_tree_root_node(tree), &arena);
  make_plan(&edits, &source, &index, &before);
  if (!edits.count) {
    pf_diagnostic_list_free(&result->diagnostics);
    result->diagnostics = before;
    before = (pf_diagnostic_list){0};
    goto done;
  }

  uint32_t edited_length = 0;
  edited = apply_plan(&edits, source.text, source.length, &edited_length);
  pf_parse_budget_apply(parser, edited_length);
  edited_tree = ts_parser_parse_string(parser, NULL, edited, edited_length);
  if (!edited_tree || !same_tree_apart_from_comments(ts_tree_root_node(tree), source.text,
                                                     ts_tree_root_node(edited_tree), edited)) {
    refuse(result->path, summary, "adding noqa comments would change its syntax tree");
    goto done;
  }
  const char *placement_problem = NULL;
  size_t edited_raw_length = 0;
  edited_raw = place_in_raw(&edits, &source, raw, raw_length, &edited_raw_length, &placement_problem);
  if (!edited_raw) {
    refuse(result->path, summary, "%s", placement_problem);
    goto done;
  }
  if (pf_source_load_bytes(&edited_source, edited_raw, edited_raw_length, reason, sizeof(reason)) !=
          PF_LOAD_OK ||
      edited_source.length != edited_length || memcmp(edited_source.text, edited, edited_length) != 0) {
    refuse(result->path, summary, "the new content would not decode to the edited text in its encoding (%s)",
           source.encoding);
    goto done;
  }
  pf_lint_source(linter, result->path, &edited_source, settings, &after);
  if (!only_unused_noqa_left(&before, &after)) {
    refuse(result->path, summary, "linting the edited text still reports findings on the edited lines");
    goto done;
  }
  if (write_atomically(path, edited_raw, edited_raw_length, &status, reason, sizeof(reason)) != 0) {
    refuse(result->path, summary, "%s", reason);
    goto done;
  }
  for (size_t i = 0; i < edits.count; i++) {
    if (edits.items[i].extends)
      summary->comments_extended++;
    else
      summary->comments_added++;
  }
  summary->files_changed++;
  pf_diagnostic_list_free(&result->diagnostics);
  result->diagnostics = after;
  after = (pf_diagnostic_list){0};

done:
  if (tree)
    ts_tree_delete(tree);
  if (edited_tree)
    ts_tree_delete(edited_tree);
  ts_parser_delete(parser);
  pf_arena_free(&arena);
  plan_free(&edits);
  pf_diagnostic_list_free(&before);
  pf_diagnostic_list_free(&after);
  pf_source_free(&source);
  pf_source_free(&edited_source);
  free(edited);
  free(edited_raw);
  free(raw);
}

void pf_add_noqa_print_summary(FILE *out, const pf_add_noqa_summary *summary) {
  size_t total = summary->comments_added + summary->comments_extended;
  fprintf(out, "Added %zu noqa comment%s", total, total == 1 ? "" : "s");
  if (summary->comments_extended)
    fprintf(out, " (%zu by extending an existing `# noqa:`)", summary->comments_extended);
  fprintf(out, " to %zu file%s.", summary->files_changed, summary->files_changed == 1 ? "" : "s");
  if (summary->files_refused)
    fprintf(out, " %zu file%s left untouched: see the warnings above.", summary->files_refused,
            summary->files_refused == 1 ? " was" : "s were");
  fputc('\n', out);
}
