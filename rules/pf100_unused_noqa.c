/*
 * pf100_unused_noqa.c: PF100, a `noqa` directive that suppresses nothing.
 *
 * Not a tree visitor: the suppression step (src/noqa.c) runs after every other rule, marks
 * which directives and codes matched a finding, and calls pf_unused_noqa_report, which
 * decides what is worth reporting:
 *   - a PF code that names a rule which is enabled for the file but had no finding on the
 *     directive's line (for `# pitfall: noqa: CODES`, none in the file);
 *   - a PF code that is not a rule (`PF999`; each time it is listed), and a rule's code listed twice;
 *   - `# noqa:` followed by no code, and `# pitfall: noqa` after code on its line, neither
 *     of which suppresses anything.
 * Left alone: a bare `# noqa`, codes of other tools (`E501`, `B006`), codes of rules that are
 * not enabled for the file (the directive may matter under another configuration), line
 * directives for codes the file-level `# pitfall: noqa: CODES` already exempts, and every
 * code of a directive that lists PF100 itself (`# noqa: PF001, PF100` keeps it as it is).
 * A file-level `# pitfall: noqa` or `# pitfall: noqa: PF100` turns PF100 off for the file.
 * Each finding points at the unused code (or at the whole directive when there is none).
 */
#include "noqa.h"
#include "registry.h"
#include "rule.h"

static const char explanation[] =
    "## What it does\n"
    "Reports `noqa` directives that suppress nothing: a code in `# noqa: PF001` when no PF001\n"
    "finding belongs to that line, a code in `# pitfall: noqa: PF001` when the file has no\n"
    "PF001 finding, a PF code that is not a rule (`PF999`), a rule's code listed twice, a `# noqa:`\n"
    "with no code after the colon, and a `# pitfall: noqa` that follows code on its line\n"
    "(the file-level form only works on a line of its own).\n"
    "\n"
    "## Why is this bad?\n"
    "A suppression outlives the finding it was written for. Once the code is fixed or moved,\n"
    "the stale `noqa` silently hides the next real finding on that line, and a mistyped code\n"
    "never suppressed anything in the first place: `# noqa: PF01` or `# noqa: reason` leave\n"
    "the finding in place while looking as if they handled it.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "def load(path, cache=None):  # noqa: PF001\n"
    "    ...\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Remove the unused code (or the whole comment):\n"
    "```python\n"
    "def load(path, cache=None):\n"
    "    ...\n"
    "```\n"
    "\n"
    "## Not flagged\n"
    "A bare `# noqa`; codes of other tools such as `E501` or `B006`, which pitfall cannot\n"
    "judge; codes of rules that are not enabled for the file; line directives for codes that\n"
    "a file-level `# pitfall: noqa: CODES` already exempts; and any directive that lists\n"
    "`PF100` itself, which is how to keep one on purpose: `# noqa: PF001, PF100`.\n"
    "A file-level `# pitfall: noqa` or `# pitfall: noqa: PF100` turns the rule off for the\n"
    "file.\n"
    "\n"
    "## References\n"
    "- ruff's RUF100 (unused-noqa), whose directive syntax pitfall follows\n"
    "- flake8's `# noqa` and `# flake8: noqa`\n";

static void report_code(pf_context *ctx, const pf_noqa_directive *directive, const pf_noqa_code *code) {
  const char *text = ctx->source->text + code->start;
  int length = (int)(code->end - code->start);
  int file_scope = directive->scope == PF_NOQA_FILE;
  if (code->duplicate) {
    pf_emit_range(ctx, code->start, code->end, 0, "`%.*s` is listed twice in this `%snoqa`", length, text,
                  file_scope ? "pitfall: " : "");
  } else if (code->rule_index < 0) {
    pf_emit_range(ctx, code->start, code->end, 0,
                  "Unknown rule code `%.*s` in `%snoqa` (`pitfall rules` lists the rules)", length, text,
                  file_scope ? "pitfall: " : "");
  } else if (file_scope) {
    pf_emit_range(ctx, code->start, code->end, 0,
                  "Unused `pitfall: noqa` code: no `%.*s` finding in this file", length, text);
  } else {
    pf_emit_range(ctx, code->start, code->end, 0, "Unused `noqa` code: no `%.*s` finding on this line",
                  length, text);
  }
}

/* The word after the colon of a `noqa:` that lists no code, when it starts like a code
 * (letters, then digits) and goes on with something else, as in `# noqa: PF001: reason`
 * or `# noqa: PF001;PF004`; its length in *length, else NULL. */
static const char *code_like_word(const pf_context *ctx, const pf_noqa_directive *directive, int *length) {
  const char *text = ctx->source->text;
  uint32_t end = ctx->source->length, at = directive->codes_end;
  while (at < end && (text[at] == ' ' || text[at] == '\t'))
    at++;
  uint32_t word_end = at, letters = 0, digits = 0;
  while (word_end < end && ((text[word_end] >= 'A' && text[word_end] <= 'Z') ||
                            (text[word_end] >= 'a' && text[word_end] <= 'z'))) {
    word_end++;
    letters++;
  }
  while (letters && word_end < end && text[word_end] >= '0' && text[word_end] <= '9') {
    word_end++;
    digits++;
  }
  if (!digits)
    return NULL;
  while (word_end < end && text[word_end] != ' ' && text[word_end] != '\t' && text[word_end] != ',' &&
         text[word_end] != '#' && text[word_end] != '\n' && text[word_end] != '\r' && word_end - at < 40)
    word_end++;
  *length = (int)(word_end - at);
  return text + at;
}

static int lists_rule(const pf_noqa_directive *directive, int rule_index) {
  for (uint32_t i = 0; i < directive->code_count; i++)
    if (directive->codes[i].rule_index == rule_index)
      return 1;
  return 0;
}

void pf_unused_noqa_report(pf_context *ctx, const pf_noqa_index *index) {
  int self = (int)ctx->rule_index;
  if (index->file_all || index->file_rules[self])
    return;
  for (size_t i = 0; i < index->count; i++) {
    const pf_noqa_directive *directive = &index->items[i];
    if (directive->scope == PF_NOQA_FILE_MISPLACED) {
      pf_emit_range(ctx, directive->start, directive->end, 0,
                    "`# pitfall: noqa` after code suppresses nothing: put it on a line of its own to exempt "
                    "the file, or use `# noqa` for this line");
      continue;
    }
    int word_length = 0;
    const char *word = directive->has_colon && directive->code_count == 0
                           ? code_like_word(ctx, directive, &word_length)
                           : NULL;
    if (word) {
      pf_emit_range(ctx, directive->start, directive->end, 0,
                    "`%snoqa:` lists no rule code: `%.*s` is not one (a code is letters then digits, "
                    "separated from the next by a comma or a space)",
                    directive->scope == PF_NOQA_FILE ? "# pitfall: " : "# ", word_length, word);
      continue;
    }
    if (directive->has_colon && directive->code_count == 0) {
      pf_emit_range(ctx, directive->start, directive->end, 0,
                    "`%snoqa:` lists no rule code, so it suppresses nothing (list codes such as `PF001`, or "
                    "drop the colon to suppress every finding)",
                    directive->scope == PF_NOQA_FILE ? "# pitfall: " : "# ");
      continue;
    }
    if (!directive->has_colon || lists_rule(directive, self))
      continue;
    for (uint32_t c = 0; c < directive->code_count; c++) {
      const pf_noqa_code *code = &directive->codes[c];
      if (!code->is_pf)
        continue; /* another tool's code */
      if (code->duplicate || code->rule_index < 0) {
        report_code(ctx, directive, code);
        continue;
      }
      if (code->used || !ctx->settings->enabled[code->rule_index])
        continue;
      if (directive->scope == PF_NOQA_LINE && index->file_rules[code->rule_index])
        continue;
      report_code(ctx, directive, code);
    }
  }
}

static const pf_kind kinds[] = {PF_KIND_OTHER};

const pf_rule pf_rule_unused_noqa = {
    .code = "PF100",
    .name = "unused-noqa",
    .summary = "A `noqa` directive that suppresses nothing",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
};
