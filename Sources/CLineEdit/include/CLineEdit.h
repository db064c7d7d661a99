#ifndef CLINEEDIT_H
#define CLINEEDIT_H
/* A small C layer over libedit for the `har` executable: libedit's variadic calls (el_set, history)
   cannot be made from Swift, and Swift 6 cannot name the stdin/stdout globals el_init needs. */

/* The libedit version, major * 100 + minor. */
int cle_version(void);

/* Computes completions: given the line left of the cursor, returns a malloc'd string whose first line is
   the text to insert and whose further lines (if any) are shown under the prompt; NULL for none. */
typedef char *(*cle_completer)(const char *line);

/* Starts line editing on the terminal (locale from the environment, emacs keys, TAB completion via
   `completer`). Returns 0, or -1 when libedit cannot start. */
int cle_open(const char *program, cle_completer completer);

/* Ends line editing and restores the terminal. */
void cle_close(void);

/* Reads one line after `prompt`. Returns a malloc'd line without its newline, or NULL at end of input
   (*interrupted 0) or after Ctrl-C (*interrupted 1). */
char *cle_read_line(const char *prompt, int *interrupted);

/* Adds a line to the in-memory history that the arrow keys recall. */
void cle_history_add(const char *line);

/* Installs the SIGINT handler (without SA_RESTART, so a blocked read returns EINTR). */
void cle_install_interrupt_handler(void);

/* Whether SIGINT arrived since the last cle_clear_interrupt. */
int cle_interrupt_pending(void);

/* Forgets a handled SIGINT. */
void cle_clear_interrupt(void);

#endif
