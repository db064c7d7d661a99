#include "CLineEdit.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <wchar.h>
#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static EditLine *editor;
static History *history_list;
static HistEvent history_event;
static cle_completer completion_source;
static const char *current_prompt = "";
static volatile sig_atomic_t interrupt_pending;
/* The SIGINT handler writes a byte here so that a key read waiting in poll() wakes up: a Ctrl-C that arrives
   while libedit is between reads (redrawing the line) still cancels the line instead of being lost. */
static int wakeup_pipe[2] = {-1, -1};

static void drain_wakeups(void) {
    char sink[64];
    if (wakeup_pipe[0] >= 0) while (read(wakeup_pipe[0], sink, sizeof sink) > 0) {}
}

/* libedit's key reader: one character from the terminal, or -1 with errno EINTR once SIGINT arrived. */
static int read_key(EditLine *el, wchar_t *out) {
    (void)el;
    static mbstate_t state;
    for (;;) {
        if (interrupt_pending) { errno = EINTR; return -1; }
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wakeup_pipe[0], POLLIN, 0}};
        int ready = poll(fds, wakeup_pipe[0] >= 0 ? 2 : 1, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (fds[1].revents & POLLIN) {
            drain_wakeups();
            continue;
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char byte;
        ssize_t n = read(STDIN_FILENO, &byte, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return (int)n;
        wchar_t wide;
        size_t used = mbrtowc(&wide, &byte, 1, &state);
        if (used == (size_t)-2) continue;
        if (used == (size_t)-1) {
            memset(&state, 0, sizeof state);
            continue;
        }
        *out = wide;
        return 1;
    }
}

int cle_version(void) { return LIBEDIT_MAJOR * 100 + LIBEDIT_MINOR; }

static char *prompt_text(EditLine *el) {
    (void)el;
    return (char *)current_prompt;
}

static unsigned char complete_word(EditLine *el, int ch) {
    (void)ch;
    const LineInfo *info = el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *left = malloc(length + 1);
    if (!left) return CC_ERROR;
    memcpy(left, info->buffer, length);
    left[length] = '\0';
    char *answer = completion_source ? completion_source(left) : NULL;
    free(left);
    if (!answer) return CC_ERROR;
    char *listing = strchr(answer, '\n');
    if (listing) *listing++ = '\0';
    unsigned char status = CC_REFRESH;
    if (answer[0]) el_insertstr(el, answer);
    else if (!listing || !listing[0]) status = CC_ERROR;
    if (listing && listing[0]) {
        fprintf(stdout, "\n%s\n", listing);
        fflush(stdout);
        status = CC_REDISPLAY;
    }
    free(answer);
    return status;
}

int cle_open(const char *program, cle_completer completer) {
    setlocale(LC_CTYPE, "");
    editor = el_init(program, stdin, stdout, stderr);
    if (!editor) return -1;
    history_list = history_init();
    history(history_list, &history_event, H_SETSIZE, 1000);
    history(history_list, &history_event, H_SETUNIQUE, 1);
    completion_source = completer;
    el_set(editor, EL_GETCFN, read_key);
    el_set(editor, EL_EDITOR, "emacs");
    el_set(editor, EL_PROMPT, prompt_text);
    el_set(editor, EL_HIST, history, history_list);
    el_set(editor, EL_ADDFN, "har-complete", "complete a har word", complete_word);
    el_set(editor, EL_BIND, "^I", "har-complete", NULL);
    return 0;
}

void cle_close(void) {
    if (editor) el_end(editor);
    if (history_list) history_end(history_list);
    editor = NULL;
    history_list = NULL;
}

char *cle_read_line(const char *prompt, int *interrupted) {
    *interrupted = 0;
    if (!editor) return NULL;
    current_prompt = prompt;
    int count = 0;
    errno = 0;
    const char *line = el_gets(editor, &count);
    current_prompt = "";
    if (!line) {
        if (errno == EINTR || interrupt_pending) {
            *interrupted = 1;
            cle_clear_interrupt();
            fputs("\n", stdout);
            fflush(stdout);
        }
        return NULL;
    }
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
    char *copy = malloc(length + 1);
    if (!copy) return NULL;
    memcpy(copy, line, length);
    copy[length] = '\0';
    return copy;
}

void cle_history_add(const char *line) {
    if (history_list) history(history_list, &history_event, H_ENTER, line);
}

/* The first Ctrl-C asks the running command to stop; a second one before it has been handled ends the
   program with status 130 (a command that does not poll the flag can still be left). */
static void on_interrupt(int signal_number) {
    (void)signal_number;
    if (interrupt_pending) _exit(130);
    interrupt_pending = 1;
    if (wakeup_pipe[1] >= 0) {
        int saved = errno;
        (void)!write(wakeup_pipe[1], "!", 1);
        errno = saved;
    }
}

void cle_install_interrupt_handler(void) {
    if (wakeup_pipe[0] < 0 && pipe(wakeup_pipe) == 0) {
        for (int i = 0; i < 2; i++) fcntl(wakeup_pipe[i], F_SETFL, fcntl(wakeup_pipe[i], F_GETFL) | O_NONBLOCK);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
}

int cle_interrupt_pending(void) { return interrupt_pending; }

void cle_clear_interrupt(void) {
    interrupt_pending = 0;
    drain_wakeups();
}
