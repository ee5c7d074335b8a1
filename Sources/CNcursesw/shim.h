// Shim for ncursesw. The module takes no flags from pkg-config (SwiftPM drops -D flags, with a
// "prohibited flag(s)" warning): the wide-character API is switched on here, before curses.h is read,
// and module.modulemap links ncursesw and tinfo. Macros and C globals that Swift cannot import get accessors.
#ifndef DISPO_CNCURSESW_SHIM_H
#define DISPO_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

extern char **environ;

static inline WINDOW *dispo_stdscr(void) { return stdscr; }
static inline WINDOW *dispo_curscr(void) { return curscr; }
static inline int dispo_lines(void) { return LINES; }
static inline int dispo_cols(void) { return COLS; }
static inline int dispo_colors(void) { return COLORS; }
static inline int dispo_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t dispo_a_normal(void) { return A_NORMAL; }
static inline attr_t dispo_a_bold(void) { return A_BOLD; }
static inline attr_t dispo_a_reverse(void) { return A_REVERSE; }
static inline attr_t dispo_a_underline(void) { return A_UNDERLINE; }
static inline attr_t dispo_a_dim(void) { return A_DIM; }
static inline attr_t dispo_color_pair(int n) { return COLOR_PAIR(n); }

static inline int dispo_key_resize(void) { return KEY_RESIZE; }
static inline int dispo_key_code_yes(void) { return KEY_CODE_YES; }
static inline int dispo_err(void) { return ERR; }
static inline int dispo_ok(void) { return OK; }

/// Display width of one wide character, as ncurses measures it (-1 for non-printable).
static inline int dispo_wcwidth(wchar_t c) { return wcwidth(c); }

/// Fills `out` with one cell: a base character plus up to 4 combining marks (0-terminated `chars`), with
/// attributes and colour pair. Returns -2 when `setcchar` refuses the characters (`out` untouched),
/// otherwise OK. Touches no window.
static inline int dispo_make_cell(cchar_t *out, const wchar_t *chars, attr_t attrs, short pair) {
    return setcchar(out, chars, attrs, pair, NULL) == OK ? OK : -2;
}

/// Copies `n` cells into row `y` of `win` from column `x` (`mvwadd_wchnstr`: no wrapping, the cursor
/// stays; a cell whose character is two columns wide takes two).
static inline int dispo_put_cells(WINDOW *win, int y, int x, const cchar_t *cells, int n) {
    return mvwadd_wchnstr(win, y, x, cells, n);
}

/// An anonymous in-memory file, close-on-exec (memfd_create), for gathering a frame's output; -1 when the
/// kernel has none.
static inline int dispo_memfd(void) {
#ifdef SYS_memfd_create
    return (int)syscall(SYS_memfd_create, "dispo-frame", 1u /* MFD_CLOEXEC */);
#else
    return -1;
#endif
}

/// Points descriptor `to` at what `from` is open on (dup2), keeping `to` close-on-exec. Returns `to`, or
/// -1 (errno set).
static inline int dispo_dup_onto(int from, int to) {
#ifdef SYS_dup3
    // One system call where the kernel has dup3 (Linux): the frame path makes two of these per frame.
    if (syscall(SYS_dup3, from, to, O_CLOEXEC) >= 0) return to;
#endif
    if (dup2(from, to) < 0) return -1;
    (void)fcntl(to, F_SETFD, FD_CLOEXEC);
    return to;
}

// ---------------------------------------------------------------------------------------------
// Keys and mouse: function-like macros and computed masks do not import into Swift.

static inline int dispo_key_f(int n) { return KEY_F(n); }
static inline int dispo_key_mouse(void) { return KEY_MOUSE; }
static inline mmask_t dispo_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t dispo_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t dispo_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t dispo_button5_pressed(void) { return BUTTON5_PRESSED; }

/// Makes a pipe whose ends are close-on-exec and non-blocking. Returns 0 or -1 (errno set).
static inline int dispo_pipe_nonblocking(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    return 0;
}

/// Reads the terminal's size in cells from the kernel (TIOCGWINSZ). Returns 0 on success, -1 otherwise.
static inline int dispo_tty_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Signals. Handlers only do async-signal-safe things: write(2) one byte to the wake pipe (orderly
// signals), or write(2) the saved "leave the screen sane" bytes and tcsetattr(2) the termios saved at
// startup (crashes), then hand the signal back to the previous handler (the Swift runtime's backtracer
// or the default action).
//
// The state below is `static`: every function touching it must be called from ONE Swift source file
// (DispoTerminal/SignalBridge.swift), since each object file gets its own copy of header statics.

#define DISPO_RESTORE_MAX 512
#define DISPO_SIGNAL_MAX 65

typedef struct {
    int tty_in_fd;            // the terminal's input fd (termios), -1 when disarmed
    int tty_out_fd;           // the terminal's output fd, -1 when disarmed
    int wake_fd;              // write end of the wake pipe, -1 when none
    int termios_valid;
    struct termios termios;   // as found at startup
    char restore[DISPO_RESTORE_MAX];
    size_t restore_len;
    volatile sig_atomic_t exit_signals;  // orderly exit signals received and not yet acted upon
    int stdout_saved;         // the real stdout while it is captured, else -1
    int stderr_saved;         // the real stderr while it is captured, else -1
    int stderr_capture;       // the (unlinked) file stderr goes to while the UI owns the terminal, else -1
    char crash_note[DISPO_RESTORE_MAX];  // printed after dispo's own crash report (NUL-terminated)
    int installed[DISPO_SIGNAL_MAX];
    struct sigaction previous[DISPO_SIGNAL_MAX];
} dispo_signal_state_t;

static dispo_signal_state_t dispo_signal_state = { .tty_in_fd = -1, .tty_out_fd = -1, .wake_fd = -1,
    .stdout_saved = -1, .stderr_saved = -1, .stderr_capture = -1 };

/// Writes the restore bytes and puts the startup termios back. Async-signal-safe.
static inline void dispo_signal_restore_now(void) {
    if (dispo_signal_state.tty_out_fd >= 0 && dispo_signal_state.restore_len > 0) {
        const char *p = dispo_signal_state.restore;
        size_t left = dispo_signal_state.restore_len;
        while (left > 0) {
            ssize_t n = write(dispo_signal_state.tty_out_fd, p, left);
            if (n < 0) { if (errno == EINTR) continue; break; }
            p += n; left -= (size_t)n;
        }
    }
    if (dispo_signal_state.tty_in_fd >= 0 && dispo_signal_state.termios_valid) {
        (void)tcsetattr(dispo_signal_state.tty_in_fd, TCSANOW, &dispo_signal_state.termios);
    }
}

/// Points stderr back at the terminal and replays the last 64 KiB written to it while captured (e.g. the
/// Swift runtime's "Fatal error: …" line), so it is read on a sane terminal. Async-signal-safe.
static inline void dispo_stderr_replay(void) {
    int saved = dispo_signal_state.stderr_saved;
    int saved_out = dispo_signal_state.stdout_saved;
    int capture = dispo_signal_state.stderr_capture;
    if (saved < 0) return;
    dispo_signal_state.stderr_saved = -1;
    dispo_signal_state.stdout_saved = -1;
    dispo_signal_state.stderr_capture = -1;
    (void)dup2(saved, 2);
    (void)close(saved);
    if (saved_out >= 0) { (void)dup2(saved_out, 1); (void)close(saved_out); }
    if (capture < 0) return;
    struct stat st;
    if (fstat(capture, &st) == 0 && st.st_size > 0) {
        off_t start = st.st_size > 65536 ? st.st_size - 65536 : 0;
        char buf[4096];
        for (;;) {
            ssize_t n = pread(capture, buf, sizeof buf, start);
            if (n <= 0) break;
            start += n;
            const char *p = buf;
            while (n > 0) {
                ssize_t w = write(2, p, (size_t)n);
                if (w < 0) { if (errno == EINTR) continue; break; }
                p += w; n -= w;
            }
        }
    }
    (void)close(capture);
}

/// Sends stderr (and stdout when `also_stdout`) to `capture_fd` (an unlinked file) while the UI owns the
/// terminal, so stray writes do not garble the screen (ncurses writes through its own descriptor).
/// Returns 0, or -1 when stderr could not be redirected (nothing changed).
static inline int dispo_stderr_capture_begin(int capture_fd, int also_stdout) {
    int saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (saved < 0) return -1;
    if (dup2(capture_fd, 2) < 0) { close(saved); return -1; }
    dispo_signal_state.stderr_saved = saved;
    dispo_signal_state.stderr_capture = capture_fd;
    if (also_stdout) {
        int saved_out = fcntl(1, F_DUPFD_CLOEXEC, 3);
        if (saved_out >= 0) {
            if (dup2(capture_fd, 1) < 0) close(saved_out);
            else dispo_signal_state.stdout_saved = saved_out;
        }
    }
    return 0;
}

static void dispo_signal_orderly_handler(int sig) {
    int saved_errno = errno;
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
        dispo_signal_state.exit_signals += 1;
        if (dispo_signal_state.exit_signals >= 3) {
            // The UI thread did not act on two earlier exit signals: leave now, terminal first.
            dispo_signal_restore_now();
            dispo_stderr_replay();
            _exit(128 + sig);
        }
    }
    if (dispo_signal_state.wake_fd >= 0) {
        unsigned char byte = (unsigned char)sig;
        (void)write(dispo_signal_state.wake_fd, &byte, 1);
    }
    errno = saved_errno;
}

/// Appends `text` to `buf` (at `*len`, at most `cap` bytes in all). Async-signal-safe.
static inline void dispo_append(char *buf, size_t *len, size_t cap, const char *text) {
    while (*text && *len < cap) buf[(*len)++] = *text++;
}

/// Appends `value` in hexadecimal (`0x…`). Async-signal-safe.
static inline void dispo_append_hex(char *buf, size_t *len, size_t cap, uintptr_t value) {
    char digits[2 + 2 * sizeof(uintptr_t) + 1];
    int n = (int)sizeof digits - 1;
    digits[n] = 0;
    do { digits[--n] = "0123456789abcdef"[value & 0xf]; value >>= 4; } while (value && n > 2);
    digits[--n] = 'x'; digits[--n] = '0';
    dispo_append(buf, len, cap, digits + n);
}

/// Writes dispo's own short crash report to stderr: the signal, the faulting address of a fault, who
/// sent a signal sent from outside (or that dispo raised it: abort), and `dispo_signal_state.crash_note`. For when no runtime
/// backtracer follows. Async-signal-safe.
static inline void dispo_crash_report(int sig, siginfo_t *info) {
    char buf[1024];
    size_t len = 0;
    const char *name = sig == SIGSEGV ? "SIGSEGV (invalid memory access)" : sig == SIGABRT ? "SIGABRT (abort)"
        : sig == SIGBUS ? "SIGBUS (bus error)" : sig == SIGILL ? "SIGILL (illegal instruction: a Swift runtime trap)"
        : sig == SIGTRAP ? "SIGTRAP (a Swift runtime trap)" : sig == SIGFPE ? "SIGFPE (arithmetic error)" : "a signal";
    dispo_append(buf, &len, sizeof buf, "\r\ndispo crashed: ");
    dispo_append(buf, &len, sizeof buf, name);
    if (info != NULL && info->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS)) {
        dispo_append(buf, &len, sizeof buf, " at address ");
        dispo_append_hex(buf, &len, sizeof buf, (uintptr_t)info->si_addr);
    } else if (info != NULL && info->si_code <= 0 && info->si_pid == getpid()) {
        dispo_append(buf, &len, sizeof buf, ", raised by dispo itself");
    } else if (info != NULL && info->si_code <= 0) {
        dispo_append(buf, &len, sizeof buf, ", sent by process ");
        char digits[24]; int n = 23; digits[n] = 0;
        unsigned long pid = (unsigned long)(info->si_pid > 0 ? info->si_pid : 0);
        do { digits[--n] = (char)('0' + pid % 10); pid /= 10; } while (pid && n > 0);
        dispo_append(buf, &len, sizeof buf, digits + n);
    }
    dispo_append(buf, &len, sizeof buf, ".\n");
    dispo_append(buf, &len, sizeof buf, dispo_signal_state.crash_note);
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(2, p, len);
        if (w < 0) { if (errno == EINTR) continue; break; }
        p += w; len -= (size_t)w;
    }
}

static void dispo_signal_crash_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    dispo_signal_restore_now();
    dispo_signal_state.tty_out_fd = -1;
    dispo_signal_state.tty_in_fd = -1;
    dispo_stderr_replay();
    int chained = 0;
    if (sig > 0 && sig < DISPO_SIGNAL_MAX && dispo_signal_state.installed[sig]) {
        struct sigaction prev = dispo_signal_state.previous[sig];
        if (!(prev.sa_flags & SA_SIGINFO) && prev.sa_handler == SIG_IGN) prev.sa_handler = SIG_DFL;
        chained = (prev.sa_flags & SA_SIGINFO) || prev.sa_handler != SIG_DFL;
        (void)sigaction(sig, &prev, NULL);
    } else {
        (void)signal(sig, SIG_DFL);
    }
    // With the runtime's backtracer off (dispo's default) the default action follows: say what happened.
    if (!chained) dispo_crash_report(sig, info);
    // A fault (si_code > 0) happens again when we return, now reaching the previous handler with the
    // real siginfo; a sent signal (abort, kill) is raised again and delivered once we return.
    if (info == NULL || info->si_code <= 0) (void)raise(sig);
}

/// Saves the terminal state and arms the handlers: orderly ones (INT, TERM, HUP, QUIT, TSTP, WINCH,
/// CONT) write the signal number to `wake_fd`; crash ones (SEGV, ABRT, BUS, ILL, TRAP, FPE) restore the
/// terminal then chain. Returns 0, or -1 when tcgetattr fails (handlers are armed anyway).
static inline int dispo_signal_install(int tty_in_fd, int tty_out_fd, int wake_fd) {
    dispo_signal_state.tty_in_fd = tty_in_fd;
    dispo_signal_state.tty_out_fd = tty_out_fd;
    dispo_signal_state.wake_fd = wake_fd;
    dispo_signal_state.exit_signals = 0;
    int rc = 0;
    if (tcgetattr(tty_in_fd, &dispo_signal_state.termios) == 0) dispo_signal_state.termios_valid = 1;
    else rc = -1;

    const int orderly[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGWINCH, SIGCONT };
    for (size_t i = 0; i < sizeof orderly / sizeof orderly[0]; i++) {
        int sig = orderly[i];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = dispo_signal_orderly_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        struct sigaction prev;
        if (sigaction(sig, &sa, &prev) == 0 && !dispo_signal_state.installed[sig]) {
            dispo_signal_state.previous[sig] = prev;
            dispo_signal_state.installed[sig] = 1;
        }
    }
    const int crashes[] = { SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP, SIGFPE };
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++) {
        int sig = crashes[i];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = dispo_signal_crash_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        struct sigaction prev;
        if (dispo_signal_state.installed[sig]) continue;  // keep the first previous handler
        if (sigaction(sig, &sa, &prev) == 0) {
            dispo_signal_state.previous[sig] = prev;
            dispo_signal_state.installed[sig] = 1;
        }
    }
    return rc;
}

/// Sets the bytes the crash handler writes (leave alternate screen, show cursor, reset attributes,
/// bracketed paste and mouse off). Truncated to DISPO_RESTORE_MAX bytes.
static inline void dispo_signal_set_restore(const char *bytes, size_t len) {
    if (len > DISPO_RESTORE_MAX) len = DISPO_RESTORE_MAX;
    dispo_signal_state.restore_len = 0;
    memcpy(dispo_signal_state.restore, bytes, len);
    dispo_signal_state.restore_len = len;
}

/// Sets the text printed after dispo's own crash report (e.g. where the log is). Truncated to
/// DISPO_RESTORE_MAX - 1 bytes.
static inline void dispo_signal_set_crash_note(const char *note) {
    size_t len = strlen(note);
    if (len > DISPO_RESTORE_MAX - 1) len = DISPO_RESTORE_MAX - 1;
    memcpy(dispo_signal_state.crash_note, note, len);
    dispo_signal_state.crash_note[len] = 0;
}

/// Stops the crash handler from touching the terminal (after an orderly restore). Handlers stay.
static inline void dispo_signal_disarm(void) {
    dispo_signal_state.tty_out_fd = -1;
    dispo_signal_state.tty_in_fd = -1;
    dispo_signal_state.wake_fd = -1;
}

/// Re-enables the crash handler's terminal restore (after a suspend or editor hand-off).
static inline void dispo_signal_rearm(int tty_in_fd, int tty_out_fd, int wake_fd) {
    dispo_signal_state.tty_in_fd = tty_in_fd;
    dispo_signal_state.tty_out_fd = tty_out_fd;
    dispo_signal_state.wake_fd = wake_fd;
}

/// Puts back the previous disposition of one signal (e.g. SIGTSTP before stopping, SIG_DFL).
static inline void dispo_signal_set_default(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(sig, &sa, NULL);
}

/// Routes one signal to the orderly handler again.
static inline void dispo_signal_set_orderly(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = dispo_signal_orderly_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    (void)sigaction(sig, &sa, NULL);
}

/// Unblocks one signal in the calling thread (so a raise() of SIGTSTP stops us right away).
static inline void dispo_signal_unblock(int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    (void)pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/// Marks the pending orderly exit signals as handled.
static inline void dispo_signal_exit_handled(void) { dispo_signal_state.exit_signals = 0; }

/// Spawns `/bin/sh -c <command> sh <arg>` with the interactive signals at their defaults in the child
/// and waits for it. Returns the wait status, or -1 (errno set) when the spawn failed.
static inline int dispo_spawn_shell_and_wait(const char *command, const char *arg) {
    posix_spawnattr_t attr;
    if (posix_spawnattr_init(&attr) != 0) return -1;
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGQUIT); sigaddset(&defaults, SIGTSTP);
    sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGHUP); sigaddset(&defaults, SIGWINCH);
    sigaddset(&defaults, SIGCONT); sigaddset(&defaults, SIGPIPE);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (dispo_signal_state.stderr_saved >= 0) {
        // The child writes to the terminal, not to our capture file.
        posix_spawn_file_actions_adddup2(&actions, dispo_signal_state.stderr_saved, 2);
    }
    if (dispo_signal_state.stdout_saved >= 0) {
        posix_spawn_file_actions_adddup2(&actions, dispo_signal_state.stdout_saved, 1);
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // The editor gets the terminal and nothing else of ours: not the store, not the sender lock (a held
    // copy would outlive a killed dispo), not the built-in sandbox's sockets (a closed connection would
    // stay open while the editor runs).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
    char *const argv[] = { (char *)"sh", (char *)"-c", (char *)command, (char *)"sh", (char *)arg, NULL };
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) { errno = rc; return -1; }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return status;
}

#endif
