// Shim for ncursesw. SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on
// here, before curses.h is read. Macros and C globals that Swift cannot import get accessors.
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

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *dispo_stdscr(void) { return stdscr; }
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

/// Writes one cell: a base character plus up to 4 combining marks, with attributes and colour pair.
static inline int dispo_put_cell(WINDOW *win, int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

#endif
