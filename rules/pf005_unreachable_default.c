/*
 * pf005_unreachable_default.c: PF005, a parameter default that `*args` makes unreachable.
 *
 * Visits every def, async def and lambda. When the parameter list has `*args` (not a bare
 * `*`), each parameter with a default that comes before it (positional-only ones included)
 * is reported: a caller who passes anything into *args has to fill that parameter
 * positionally first, so its default is never used exactly when *args is. The message shows
 * such a call (through the class for `__init__`, through the assigned name for a lambda) and
 * the signature with the parameter made keyword-only. Functions decorated
 * with typing.overload (any spelling the imports allow) and .pyi stubs are skipped: their
 * signatures describe an API rather than choose one.
 */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static const char explanation[] =
    "## What it does\n"
    "Flags each parameter with a default value that comes before `*args` in a `def`,\n"
    "`async def` or `lambda` (positional-only parameters and annotated defaults included).\n"
    "A bare `*` does not count: parameters before it are fine.\n"
    "\n"
    "## Why is this bad?\n"
    "Python binds positional arguments left to right and only the surplus goes into `*args`.\n"
    "So a caller who passes anything into `*args` must first fill every parameter before it,\n"
    "and the default is never used exactly when `*args` is:\n"
    "\n"
    "```python\n"
    ">>> def log(message, level=\"info\", *details):\n"
    "...     print(level, message, details)\n"
    ">>> log(\"disk full\", \"/dev/sda1\", \"95%\")\n"
    "/dev/sda1 disk full ('95%',)\n"
    "```\n"
    "\n"
    "The caller meant two details and the default level; they got `level=\"/dev/sda1\"`. The\n"
    "only way to reach `*details` is to spell out `level` every time, so its default is\n"
    "unreachable in exactly the calls that use `*details`.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "def log(message, level=\"info\", *details):\n"
    "    ...\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Move the parameter after `*args`, which makes it keyword-only:\n"
    "```python\n"
    "def log(message, *details, level=\"info\"):\n"
    "    ...\n"
    "```\n"
    "This changes the function's interface: a caller who passed `level` positionally\n"
    "(`log(\"disk full\", \"error\", \"95%\")`) now sends `\"error\"` into `*details` and gets the\n"
    "default level. Update positional callers to `level=\"error\"` when you move it. If the\n"
    "parameter must stay positional, drop its default instead.\n"
    "\n"
    "## Not flagged\n"
    "Parameters before a bare `*` (`def f(a, b=1, *, c)`), functions with `**kwargs` but no\n"
    "`*args`, functions decorated with `@overload` or `@typing.overload` (their signatures\n"
    "mirror an API), and `.pyi` stub files.\n"
    "\n"
    "## References\n"
    "- Python language reference, \"Calls\" (how arguments are assigned to parameters)\n"
    "- PEP 3102, \"Keyword-Only Arguments\"\n";

enum { MAX_SIGNATURE = 100, MAX_PARAMETER_TEXT = 32 };

/* The parameter's kind as far as binding goes. */
typedef enum parameter_role {
  ROLE_POSITIONAL,          /* a, a: int */
  ROLE_DEFAULTED,           /* a=1, a: int = 1 */
  ROLE_POSITIONAL_ONLY_END, /* / */
  ROLE_STAR,                /* bare * */
  ROLE_ARGS,                /* *args, *args: int */
  ROLE_KWARGS,              /* **kwargs */
  ROLE_OTHER,
} parameter_role;

static parameter_role role_of(TSNode parameter) {
  switch (pf_node_kind(parameter)) {
  case PF_KIND_IDENTIFIER:
    return ROLE_POSITIONAL;
  case PF_KIND_TYPED_PARAMETER: {
    TSNode inner = ts_node_named_child_count(parameter) ? ts_node_named_child(parameter, 0) : parameter;
    pf_kind inner_kind = pf_node_kind(inner);
    if (inner_kind == PF_KIND_LIST_SPLAT_PATTERN)
      return ROLE_ARGS;
    if (inner_kind == PF_KIND_DICTIONARY_SPLAT_PATTERN)
      return ROLE_KWARGS;
    return ROLE_POSITIONAL;
  }
  case PF_KIND_DEFAULT_PARAMETER:
  case PF_KIND_TYPED_DEFAULT_PARAMETER:
    return ROLE_DEFAULTED;
  case PF_KIND_POSITIONAL_SEPARATOR:
    return ROLE_POSITIONAL_ONLY_END;
  case PF_KIND_KEYWORD_SEPARATOR:
    return ROLE_STAR;
  case PF_KIND_LIST_SPLAT_PATTERN:
    return ROLE_ARGS;
  case PF_KIND_DICTIONARY_SPLAT_PATTERN:
    return ROLE_KWARGS;
  default:
    return ROLE_OTHER;
  }
}

/* A bounded text builder: what does not fit is dropped and `overflow` set. */
typedef struct text_buffer {
  char text[512];
  size_t used;
  int overflow;
} text_buffer;

static void put(text_buffer *buffer, const char *text, size_t length) {
  if (buffer->used + length + 1 > sizeof(buffer->text)) {
    buffer->overflow = 1;
    return;
  }
  memcpy(buffer->text + buffer->used, text, length);
  buffer->used += length;
  buffer->text[buffer->used] = '\0';
}

static void puts_text(text_buffer *buffer, const char *text) { put(buffer, text, strlen(text)); }

/* Appends a node's source text with every run of whitespace outside string literals
 * (newlines, line continuations and comments included) collapsed to one space; when `shorten`
 * is set and the text is long, a defaulted parameter becomes `name=...`. */
static void put_parameter(text_buffer *buffer, const pf_context *ctx, TSNode parameter, int shorten) {
  uint32_t length;
  const char *text = pf_node_text(ctx, parameter, &length);
  if (shorten && length > MAX_PARAMETER_TEXT && role_of(parameter) == ROLE_DEFAULTED) {
    TSNode name = pf_child(parameter, pf_field.NAME);
    if (!ts_node_is_null(name)) {
      uint32_t name_length;
      const char *name_text = pf_node_text(ctx, name, &name_length);
      put(buffer, name_text, name_length);
      puts_text(buffer, "=...");
      return;
    }
  }
  int in_space = 0;
  uint32_t i = 0;
  while (i < length) {
    char c = text[i];
    int continuation = c == '\\' && i + 1 < length && (text[i + 1] == '\n' || text[i + 1] == '\r');
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || continuation) {
      in_space = 1;
      i++;
      continue;
    }
    if (c == '#') {
      while (i < length && text[i] != '\n' && text[i] != '\r')
        i++;
      in_space = 1;
      continue;
    }
    if (in_space && buffer->used && buffer->text[buffer->used - 1] != '(' &&
        buffer->text[buffer->used - 1] != '[')
      put(buffer, " ", 1);
    in_space = 0;
    uint32_t end = i + 1;
    if (c == '"' || c == '\'') {
      /* A string literal is copied as it is, up to its closing quote. */
      int triple = i + 2 < length && text[i + 1] == c && text[i + 2] == c;
      end = i + (triple ? 3 : 1);
      while (end < length) {
        if (text[end] == '\\') {
          end += 2;
          continue;
        }
        if (text[end] == c && (!triple || (end + 2 < length && text[end + 1] == c && text[end + 2] == c))) {
          end += triple ? 3 : 1;
          break;
        }
        end++;
      }
      if (end > length)
        end = length;
    }
    put(buffer, text + i, end - i);
    i = end;
  }
}

typedef struct signature_parts {
  TSNode parameters[256];
  parameter_role roles[256];
  uint32_t count;
  uint32_t args_index; /* index of *args */
} signature_parts;

/* The keyword-only signature: defaulted parameters before *args moved right after it. With
 * `abbreviate`, the parameters that stay where they are become `...`. */
static void build_signature(text_buffer *out, const pf_context *ctx, const signature_parts *parts,
                            const char *opening, const char *closing, int abbreviate) {
  puts_text(out, opening);
  int first = 1;
#define SEPARATE()                                                                                           \
  do {                                                                                                       \
    if (!first)                                                                                              \
      puts_text(out, ", ");                                                                                  \
    first = 0;                                                                                               \
  } while (0)
  int kept_before = 0, kept_positional_only = 0;
  for (uint32_t i = 0; i < parts->args_index; i++) {
    parameter_role role = parts->roles[i];
    if (role == ROLE_DEFAULTED)
      continue;
    if (role == ROLE_POSITIONAL_ONLY_END) {
      if (kept_positional_only && !abbreviate) {
        SEPARATE();
        puts_text(out, "/");
      }
      continue;
    }
    kept_before++;
    kept_positional_only++;
    if (abbreviate) {
      if (kept_before == 1) {
        SEPARATE();
        puts_text(out, "...");
      }
      continue;
    }
    SEPARATE();
    put_parameter(out, ctx, parts->parameters[i], 0);
  }
  SEPARATE();
  put_parameter(out, ctx, parts->parameters[parts->args_index], abbreviate);
  for (uint32_t i = 0; i < parts->args_index; i++) {
    if (parts->roles[i] != ROLE_DEFAULTED)
      continue;
    SEPARATE();
    put_parameter(out, ctx, parts->parameters[i], abbreviate);
  }
  if (parts->args_index + 1 < parts->count) {
    if (abbreviate) {
      SEPARATE();
      puts_text(out, "...");
    } else {
      for (uint32_t i = parts->args_index + 1; i < parts->count; i++) {
        SEPARATE();
        put_parameter(out, ctx, parts->parameters[i], 0);
      }
    }
  }
#undef SEPARATE
  puts_text(out, closing);
}

/* Whether a decorator's expression is typing.overload (or another spelling of it), and
 * whether it is staticmethod. */
static void classify_decorators(const pf_context *ctx, int *is_overload, int *is_static) {
  *is_overload = *is_static = 0;
  TSNode parent = pf_parent(ctx);
  if (ts_node_is_null(parent) || pf_node_kind(parent) != PF_KIND_DECORATED_DEFINITION)
    return;
  uint32_t count = ts_node_named_child_count(parent);
  for (uint32_t i = 0; i < count; i++) {
    TSNode decorator = ts_node_named_child(parent, i);
    if (pf_node_kind(decorator) != PF_KIND_DECORATOR || !ts_node_named_child_count(decorator))
      continue;
    TSNode expression = ts_node_named_child(decorator, 0);
    if (pf_node_kind(expression) == PF_KIND_CALL)
      expression = pf_child(expression, pf_field.FUNCTION);
    char qualified[256];
    if (ts_node_is_null(expression) ||
        pf_qualified_name(ctx->imports, ctx->source, expression, qualified, sizeof(qualified)) != 0)
      continue;
    if (strcmp(qualified, "typing.overload") == 0 || strcmp(qualified, "typing_extensions.overload") == 0)
      *is_overload = 1;
    else if (strcmp(qualified, "overload") == 0 && pf_node_kind(expression) == PF_KIND_IDENTIFIER &&
             !pf_imports_lookup(ctx->imports, "overload", 8))
      *is_overload = 1;
    else if (strcmp(qualified, "staticmethod") == 0)
      *is_static = 1;
  }
}

static void visit(pf_context *ctx, TSNode node, void *state) {
  (void)state;
  if (ctx->is_stub)
    return;
  pf_kind kind = pf_node_kind(node);
  TSNode parameters = pf_child(node, pf_field.PARAMETERS);
  if (ts_node_is_null(parameters))
    return;
  /* Without both an `=` and a `*` in its text, a parameter list has no default before a
   * *args; most have neither, and reading the parameters one by one costs a walk of the
   * list in libtree-sitter for each. */
  if (!pf_node_text_contains(ctx, parameters, '=') || !pf_node_text_contains(ctx, parameters, '*'))
    return;
  signature_parts parts;
  parts.count = 0;
  parts.args_index = UINT32_MAX;
  uint32_t named = ts_node_named_child_count(parameters);
  for (uint32_t i = 0; i < named; i++) {
    TSNode parameter = ts_node_named_child(parameters, i);
    parameter_role role = role_of(parameter);
    if (role == ROLE_OTHER) /* a comment, or something broken: leave the function alone */
      continue;
    if (parts.count == sizeof(parts.parameters) / sizeof(parts.parameters[0]))
      return;
    if (role == ROLE_ARGS && parts.args_index == UINT32_MAX)
      parts.args_index = parts.count;
    parts.parameters[parts.count] = parameter;
    parts.roles[parts.count++] = role;
  }
  if (parts.args_index == UINT32_MAX)
    return;
  int any_default = 0;
  for (uint32_t i = 0; i < parts.args_index; i++)
    any_default |= parts.roles[i] == ROLE_DEFAULTED;
  if (!any_default)
    return;

  /* How to call it, and how to spell the signature. */
  char callee[300], opening[320];
  const char *closing = ")";
  int is_overload = 0, is_static = 0, is_method = 0;
  if (kind == PF_KIND_FUNCTION_DEFINITION) {
    classify_decorators(ctx, &is_overload, &is_static);
    if (is_overload)
      return;
    TSNode name = pf_child(node, pf_field.NAME);
    uint32_t name_length = 0;
    const char *name_text = ts_node_is_null(name) ? "f" : pf_node_text(ctx, name, &name_length);
    if (ts_node_is_null(name))
      name_length = 1;
    const pf_frame *frame = pf_enclosing_frame(ctx);
    is_method = frame && frame->kind == PF_KIND_CLASS_DEFINITION && !is_static && parts.args_index > 0 &&
                parts.roles[0] == ROLE_POSITIONAL;
    TSNode class_name = frame ? pf_child(frame->node, pf_field.NAME) : (TSNode){0};
    if (is_method && ts_node_is_null(class_name) == 0 && name_length == 8 &&
        memcmp(name_text, "__init__", 8) == 0) {
      /* The constructor is called through its class: `Point(1, 2, 3)`. */
      uint32_t class_length;
      const char *class_text = pf_node_text(ctx, class_name, &class_length);
      snprintf(callee, sizeof(callee), "%.*s", (int)class_length, class_text);
    } else {
      snprintf(callee, sizeof(callee), "%s%.*s", is_method ? "obj." : "", (int)name_length, name_text);
    }
    uint32_t text_length;
    const char *text = pf_node_text(ctx, node, &text_length);
    int is_async = text_length > 6 && memcmp(text, "async", 5) == 0;
    snprintf(opening, sizeof(opening), "%sdef %.*s(", is_async ? "async " : "", (int)name_length, name_text);
  } else {
    /* `f = lambda a, b=1, *c: 0` is called as `f(...)`. */
    TSNode parent = pf_parent(ctx);
    TSNode target = ts_node_is_null(parent) ? parent : pf_child(parent, pf_field.LEFT);
    pf_kind target_kind = ts_node_is_null(target) ? PF_KIND_OTHER : pf_node_kind(target);
    if (pf_node_kind(parent) == PF_KIND_ASSIGNMENT && pf_parent_field(ctx) == pf_field.RIGHT &&
        (target_kind == PF_KIND_IDENTIFIER || target_kind == PF_KIND_ATTRIBUTE)) {
      uint32_t target_length;
      const char *target_text = pf_node_text(ctx, target, &target_length);
      snprintf(callee, sizeof(callee), "%.*s", (int)target_length, target_text);
    } else {
      snprintf(callee, sizeof(callee), "(lambda ...)");
    }
    snprintf(opening, sizeof(opening), "lambda ");
    closing = ": ...";
  }

  text_buffer signature = {0};
  build_signature(&signature, ctx, &parts, opening, closing, 0);
  if (signature.overflow || signature.used > MAX_SIGNATURE) {
    memset(&signature, 0, sizeof(signature));
    build_signature(&signature, ctx, &parts, opening, closing, 1);
  }

  /* The call that fills every positional parameter and one extra argument for *args. */
  uint32_t positional = 0;
  for (uint32_t i = 0; i < parts.args_index; i++)
    if (parts.roles[i] == ROLE_POSITIONAL || parts.roles[i] == ROLE_DEFAULTED)
      positional++;
  uint32_t skipped = is_method ? 1 : 0;
  text_buffer call = {0};
  puts_text(&call, callee);
  puts_text(&call, "(");
  for (uint32_t n = 1; n + skipped <= positional + 1; n++) {
    char number[16];
    snprintf(number, sizeof(number), "%s%u", n > 1 ? ", " : "", n);
    puts_text(&call, number);
  }
  puts_text(&call, ")");

  TSNode args_name = parts.parameters[parts.args_index];
  if (pf_node_kind(args_name) == PF_KIND_TYPED_PARAMETER)
    args_name = ts_node_named_child(args_name, 0);
  uint32_t args_length;
  const char *args_text = pf_node_text(ctx, args_name, &args_length);

  uint32_t index = 0; /* 1-based argument position of each positional parameter */
  for (uint32_t i = 0; i < parts.args_index; i++) {
    if (parts.roles[i] != ROLE_POSITIONAL && parts.roles[i] != ROLE_DEFAULTED)
      continue;
    index++;
    if (parts.roles[i] != ROLE_DEFAULTED)
      continue;
    TSNode name = pf_child(parts.parameters[i], pf_field.NAME);
    uint32_t name_length = 0;
    const char *name_text = ts_node_is_null(name) ? "?" : pf_node_text(ctx, name, &name_length);
    if (ts_node_is_null(name))
      name_length = 1;
    pf_emit(
        ctx, parts.parameters[i], 0,
        "Default of `%.*s` is unreachable when `%.*s` is used: `%s` binds `%.*s=%u`; make it keyword-only: "
        "`%s`",
        (int)name_length, name_text, (int)args_length, args_text, call.text, (int)name_length, name_text,
        index - skipped, signature.text);
  }
}

static const pf_kind kinds[] = {PF_KIND_FUNCTION_DEFINITION, PF_KIND_LAMBDA, PF_KIND_OTHER};

static const char *const tags[] = {"correctness", "api-design", NULL};

const pf_rule pf_rule_unreachable_default = {
    .code = "PF005",
    .name = "unreachable-default",
    .summary = "Parameter default before *args, unreachable whenever *args is used",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .visit = visit,
    .tags = tags,
    .precision = "high",
};
