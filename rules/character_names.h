/*
 * character_names.h: Unicode character names as Python's `\N{name}` escape accepts them.
 *
 * Owns the name lookup for PF004 and PF006: a `\N{...}` whose name Python does not know is a
 * SyntaxError. Names come from ICU (its character names and correction aliases) plus the other
 * aliases of Unicode's NameAliases.txt (control, abbreviation, figment, alternate: `LF`,
 * `NBSP`, `VS17`), which ICU's name data does not hold. Python's quirks are followed: names are
 * looked up case-insensitively, except that the algorithmic names `HANGUL SYLLABLE ...` and
 * `CJK UNIFIED IDEOGRAPH-XXXX` must be written in capitals; Tangut ideographs have no names in
 * Python; named sequences (`KEYCAP NUMBER SIGN`) are not characters. ICU may know a newer
 * Unicode version than the running Python, so a character added since is accepted.
 */
#ifndef PITFALL_CHARACTER_NAMES_H
#define PITFALL_CHARACTER_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The code point named `name` (length bytes, not NUL-terminated), or -1 when Python's
 * `\N{...}` would not accept it. */
int32_t pf_character_from_name(const char *name, size_t length);

#endif
