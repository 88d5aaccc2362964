/* memory.c: the memory/show registry.  See memory.h. */
#include <config.h>
#include "util/memory.h"

#include <stdlib.h>
#include <string.h>

#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/util.h"

struct memory_reporter {
    memory_reporter_cb *cb;
    void *aux;
};

struct memory_count {
    char *key;
    unsigned long long value;
};

struct memory_report {
    struct memory_count *counts;
    size_t n, allocated;
};

static struct memory_reporter *reporters;
static size_t n_reporters;

void
memory_register_reporter(memory_reporter_cb *cb, void *aux)
{
    for (size_t i = 0; i < n_reporters; i++) {
        if (reporters[i].cb == cb && reporters[i].aux == aux) {
            return;
        }
    }
    reporters = xrealloc(reporters, (n_reporters + 1) * sizeof *reporters);
    reporters[n_reporters++] = (struct memory_reporter) { cb, aux };
}

void
memory_unregister_reporter(memory_reporter_cb *cb, void *aux)
{
    for (size_t i = 0; i < n_reporters; i++) {
        if (reporters[i].cb == cb && reporters[i].aux == aux) {
            memmove(&reporters[i], &reporters[i + 1],
                    (n_reporters - i - 1) * sizeof *reporters);
            n_reporters--;
            return;
        }
    }
}

void
memory_report_add(struct memory_report *report, const char *key,
                  unsigned long long value)
{
    for (size_t i = 0; i < report->n; i++) {
        if (!strcmp(report->counts[i].key, key)) {
            report->counts[i].value += value;
            return;
        }
    }
    if (report->n == report->allocated) {
        report->allocated = report->allocated ? 2 * report->allocated : 16;
        report->counts = xrealloc(report->counts,
                                  report->allocated * sizeof *report->counts);
    }
    report->counts[report->n++] = (struct memory_count) { xstrdup(key),
                                                          value };
}

static int
compare_counts(const void *a_, const void *b_)
{
    const struct memory_count *a = a_, *b = b_;
    return strcmp(a->key, b->key);
}

char *
memory_show(void)
{
    struct memory_report report = { NULL, 0, 0 };
    for (size_t i = 0; i < n_reporters; i++) {
        reporters[i].cb(&report, reporters[i].aux);
    }
    if (report.n) {
        qsort(report.counts, report.n, sizeof *report.counts,
              compare_counts);
    }

    struct dstr ds = DSTR_INITIALIZER;
    dstr_init(&ds);
    for (size_t i = 0; i < report.n; i++) {
        dstr_printf(&ds, "%s%s:%llu", i ? " " : "", report.counts[i].key,
                    report.counts[i].value);
        free(report.counts[i].key);
    }
    free(report.counts);
    return dstr_steal(&ds);
}

static void
cmd_memory_show(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    char *counts = memory_show();
    char *text = xasprintf("%s\n", counts);
    unixctl_reply(conn, text);
    free(text);
    free(counts);
}

void
memory_register_commands(void)
{
    unixctl_command_register("memory/show", "", 0, 0, cmd_memory_show, NULL);
}
