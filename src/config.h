/*
 * config.h: configuration files, and the settings and excludes each file gets from them.
 *
 * Owns: finding the configuration that applies to a file, reading and checking it, and
 * combining it with the command line:
 *   - in each directory, `.pitfall.toml` beats `pitfall.toml`, which beats a `pyproject.toml`
 *     with a [tool.pitfall] table (a pyproject.toml without one is skipped);
 *   - a file uses the closest configuration, found from its own directory upwards (cached
 *     per directory); configurations are never merged; `--config PATH` imposes one file on
 *     every file, `--isolated` none;
 *   - paths in a configuration are relative to its directory; command-line patterns are
 *     relative to the working directory;
 *   - rule selection is layered as in ruff: the configuration's select, extend-select and
 *     ignore, then the command line's (whose --select starts over); within a layer the more
 *     specific code wins (PF001 over PF0 over PF over ALL) and ignore wins a tie;
 *     per-file-ignores apply last;
 *   - exclude (the default excludes unless set) plus extend-exclude decide what a directory
 *     walk skips, as does .gitignore (through libgit2) when respect-gitignore is on; with
 *     --force-exclude the excludes also apply to paths named on the command line.
 *
 * Every problem in a configuration file becomes one line "path:row:col: message": an
 * unknown key (with the closest known key when one is near), a value of the wrong type, an
 * unknown rule code, a TOML syntax error. Nothing is ignored silently; the caller prints the
 * lines and exits with status 2 before linting anything.
 *
 * A resolver is used on one thread, while files are discovered and before linting starts.
 * The settings it returns stay valid, unchanged, until pf_config_resolver_free, so worker
 * threads may share them.
 */
#ifndef PITFALL_CONFIG_H
#define PITFALL_CONFIG_H

#include <stddef.h>

#include "cli.h"
#include "settings.h"

typedef struct pf_config_resolver pf_config_resolver;

/* Builds the resolver for one `pitfall check` run from its command line; `cwd` is the
 * absolute working directory. Reads --config now. Returns NULL on a command-line error (an
 * unknown code in --select, an unreadable --config file, ...) with one message in `error`. */
pf_config_resolver *pf_config_resolver_new(const pf_cli *cli, const char *cwd, char *error,
                                           size_t error_size);
void pf_config_resolver_free(pf_config_resolver *resolver);

/* The exclusion callback for pf_discover_with (discover.h); `user` is the resolver. */
int pf_config_is_excluded(void *user, const char *path, const char *root, int named_explicitly);

/* The settings to lint `path` (as discovered: relative to the working directory or
 * absolute; "-" is standard input, placed by --stdin-filename) with. Never NULL. */
const pf_settings *pf_config_settings_for(pf_config_resolver *resolver, const char *path);

/* The directory of the configuration file found for `path` (as for pf_config_settings_for)
 * by looking up from its directory, where its results are cached (cache.h); NULL when none
 * was found, or with --isolated, or with --config (a file imposed on every file is not
 * "beside" them). Owned by the resolver. */
const char *pf_config_directory_for(pf_config_resolver *resolver, const char *path);

/* Problems found in configuration files so far, in the order found, one line each. */
size_t pf_config_error_count(const pf_config_resolver *resolver);
const char *pf_config_error(const pf_config_resolver *resolver, size_t index);

#endif
