/*
 * gitignore.h: whether git would ignore a path, answered by libgit2.
 *
 * Owns: finding the repository that holds a directory (cached per directory), opening each
 * repository once, and asking libgit2's git_ignore_path_is_ignored, which applies the
 * repository's .gitignore files from its root down, .git/info/exclude and the user's
 * core.excludesFile, with git's precedence, negation and directory rules, just as
 * `git check-ignore --no-index` does. A path outside every repository is never ignored.
 *
 * libgit2 is started only when a directory turns out to be inside a git working tree (a
 * `.git` in it or above it): starting it loads the system's TLS certificates, about 50
 * million instructions, which a run outside any repository (or a warm cached run) should not
 * pay. A pf_gitignore is used only while files are being discovered, on one thread, before
 * any worker starts.
 */
#ifndef PITFALL_GITIGNORE_H
#define PITFALL_GITIGNORE_H

typedef struct pf_gitignore pf_gitignore;

pf_gitignore *pf_gitignore_new(void);
void pf_gitignore_free(pf_gitignore *gitignore);

/* Whether the existing file or directory at normalized absolute `path` is ignored by git. */
int pf_gitignore_is_ignored(pf_gitignore *gitignore, const char *path);

#endif
