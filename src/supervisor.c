/*
 * supervisor.c: running a check in a child process and surviving its crashes (see
 * supervisor.h). The only state shared between processes is the slot array, a
 * MAP_SHARED|MAP_ANONYMOUS mapping the child's workers write and the parent reads after the
 * child is gone.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "arena.h"
#include "lint.h"

struct pf_supervisor {
  size_t file_count;
  unsigned slot_count;
  _Atomic size_t *slots;  /* shared: per worker, 1 + the index of the file it is on, or 0 */
  unsigned char *crashed; /* per file: the signal it crashed a child with, or 0 */
};

pf_supervisor *pf_supervisor_new(size_t file_count, unsigned threads) {
  const char *off = getenv("PITFALL_NO_SUPERVISOR");
  if (off && *off && strcmp(off, "0") != 0)
    return NULL;
  if (threads == 0)
    threads = 1;
  void *slots =
      mmap(NULL, threads * sizeof(_Atomic size_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (slots == MAP_FAILED)
    return NULL;
  pf_supervisor *supervisor = pf_xcalloc(1, sizeof(pf_supervisor));
  supervisor->file_count = file_count;
  supervisor->slot_count = threads;
  supervisor->slots = slots;
  for (unsigned i = 0; i < threads; i++)
    atomic_init(&supervisor->slots[i], 0);
  supervisor->crashed = pf_xcalloc(file_count ? file_count : 1, 1);
  return supervisor;
}

void pf_supervisor_die_like_child(int status) {
  int signal_number = status - 128;
  signal(signal_number, SIG_DFL);
  raise(signal_number);
  _exit(status); /* a signal that cannot be raised here */
}

void pf_supervisor_free(pf_supervisor *supervisor) {
  if (!supervisor)
    return;
  munmap((void *)supervisor->slots, supervisor->slot_count * sizeof(_Atomic size_t));
  free(supervisor->crashed);
  free(supervisor);
}

_Atomic size_t *pf_supervisor_slots(pf_supervisor *supervisor) { return supervisor->slots; }

const unsigned char *pf_supervisor_crashed(const pf_supervisor *supervisor) { return supervisor->crashed; }

static int is_crash_signal(int signal_number) {
  return signal_number == SIGSEGV || signal_number == SIGABRT || signal_number == SIGBUS ||
         signal_number == SIGFPE || signal_number == SIGILL || signal_number == SIGTRAP ||
         signal_number == SIGSYS;
}

/* Waits for `pid`; returns its wait status, or -1. */
static int wait_for(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return status;
}

/* In a fresh child: dies with the parent, so that killing pitfall never leaves a child
 * linting on. */
static void follow_parent(pid_t parent) {
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (getppid() != parent)
    _exit(2);
}

/* Forks a probe that lints task `index` alone, single-threaded, without cache or output. */
static pid_t start_probe(const pf_lint_task *task) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  follow_parent(parent);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
  }
  pf_linter *linter = pf_linter_new();
  pf_file_result result;
  pf_lint_path(linter, task->path, task->display_path, task->settings, &result);
  _exit(0); /* no cleanup: nothing of this process matters once it is known not to crash */
}

/* The child died of `signal_number` with the files in the slots in progress: marks the
 * culprits. Returns how many files were newly marked. */
static size_t find_culprits(pf_supervisor *supervisor, const pf_lint_task *tasks, int signal_number) {
  size_t *suspects = pf_xcalloc(supervisor->slot_count, sizeof(size_t));
  size_t suspect_count = 0;
  for (unsigned i = 0; i < supervisor->slot_count; i++) {
    size_t slot = atomic_load(&supervisor->slots[i]);
    atomic_store(&supervisor->slots[i], 0);
    if (slot == 0 || slot > supervisor->file_count || supervisor->crashed[slot - 1])
      continue;
    suspects[suspect_count++] = slot - 1;
  }
  size_t marked = 0;
  if (suspect_count > 1) {
    /* Several files were in progress: the crash may have shown up in another thread than
     * the one whose file caused it. Lint each alone, all at once; standard input cannot be
     * read again, so it stays a suspect without a probe. */
    pid_t *probes = pf_xcalloc(suspect_count, sizeof(pid_t));
    for (size_t i = 0; i < suspect_count; i++)
      probes[i] = strcmp(tasks[suspects[i]].path, "-") == 0 ? 0 : start_probe(&tasks[suspects[i]]);
    for (size_t i = 0; i < suspect_count; i++) {
      if (probes[i] <= 0)
        continue;
      int status = wait_for(probes[i]);
      if (status != -1 && WIFSIGNALED(status) && is_crash_signal(WTERMSIG(status))) {
        supervisor->crashed[suspects[i]] = (unsigned char)WTERMSIG(status);
        marked++;
      }
    }
    free(probes);
  }
  if (marked == 0) /* one suspect, or no probe crashed (the crash needs company): all of them */
    for (size_t i = 0; i < suspect_count; i++, marked++)
      supervisor->crashed[suspects[i]] = (unsigned char)signal_number;
  free(suspects);
  return marked;
}

pf_supervisor_role pf_supervisor_run(pf_supervisor *supervisor, const pf_lint_task *tasks, int *status) {
  for (unsigned i = 0; i < supervisor->slot_count; i++)
    atomic_store(&supervisor->slots[i], 0);
  fflush(NULL); /* nothing buffered may be written twice */
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) {
    fprintf(stderr,
            "pitfall: warning: cannot start the checking process (%s); checking without a supervisor\n",
            strerror(errno));
    return PF_SUPERVISOR_CHILD; /* this process does the work itself */
  }
  if (child == 0) {
    follow_parent(parent);
    return PF_SUPERVISOR_CHILD;
  }
  int wait_status = wait_for(child);
  if (wait_status == -1) {
    fprintf(stderr, "pitfall: error: lost the checking process: %s\n", strerror(errno));
    *status = 2;
    return PF_SUPERVISOR_FAILED;
  }
  if (WIFEXITED(wait_status)) {
    *status = WEXITSTATUS(wait_status);
    return PF_SUPERVISOR_EXITED;
  }
  int signal_number = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : SIGKILL;
  if (!is_crash_signal(signal_number)) {
    /* Interrupted or killed from outside: the caller dies the same way once it has removed
     * what it must not leave behind. */
    *status = 128 + signal_number;
    return PF_SUPERVISOR_KILLED;
  }
  if (find_culprits(supervisor, tasks, signal_number) == 0) {
    fprintf(stderr,
            "pitfall: error: the check crashed (%s) while no file was being checked; nothing was reported\n",
            strsignal(signal_number));
    *status = 2;
    return PF_SUPERVISOR_FAILED;
  }
  return PF_SUPERVISOR_CRASHED;
}
