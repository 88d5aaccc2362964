#include <config.h>
#include "util/coverage.h"

#include <stdlib.h>
#include <string.h>

#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/hash.h"
#include "util/util.h"

/* One sample every 5 s for an hour. */
#define N_SAMPLES 720

struct coverage_history {
    unsigned long long samples[N_SAMPLES];
    unsigned int n;             /* Samples taken, saturating at N_SAMPLES. */
    unsigned int next;
};

static struct coverage_counter *counters;
static struct coverage_history *histories;  /* Parallel to 'counters'. */
static size_t n_counters;

void
coverage_counter_register(struct coverage_counter *c)
{
    c->next = counters;
    counters = c;
    n_counters++;
}

static struct coverage_history *
history_for(size_t idx)
{
    if (!histories) {
        histories = xcalloc(n_counters, sizeof *histories);
    }
    return &histories[idx];
}

void
coverage_sample(void)
{
    size_t i = 0;
    for (struct coverage_counter *c = counters; c; c = c->next, i++) {
        struct coverage_history *h = history_for(i);
        h->samples[h->next] = atomic_load(&c->total);
        h->next = (h->next + 1) % N_SAMPLES;
        if (h->n < N_SAMPLES) {
            h->n++;
        }
    }
}

/* Average rate per second over the last 'n' samples (5 s each). */
static double
rate_over(const struct coverage_history *h, unsigned long long total,
          unsigned int n)
{
    if (!h->n) {
        return 0.0;
    }
    unsigned int back = MIN(n, h->n);
    unsigned long long then
        = h->samples[(h->next + N_SAMPLES - back) % N_SAMPLES];
    if (back < n) {
        then = 0;
    }
    return (double) (total - then) / (n * 5.0);
}

char *
coverage_show(void)
{
    struct dstr ds = DSTR_INITIALIZER;
    size_t never = 0, i = 0;
    uint32_t hash = 0;

    for (struct coverage_counter *c = counters; c; c = c->next) {
        hash = hash_string(c->name, hash);
    }
    dstr_printf(&ds, "Event coverage, avg rate over last: 5 seconds, "
                "last minute, last hour,  hash=%08x:\n", hash);
    for (struct coverage_counter *c = counters; c; c = c->next, i++) {
        unsigned long long total = atomic_load(&c->total);
        if (!total) {
            never++;
            continue;
        }
        const struct coverage_history *h = history_for(i);
        dstr_printf(&ds, "%-24s %5.1f/sec %9.3f/sec %13.4f/sec   "
                    "total: %llu\n", c->name, rate_over(h, total, 1),
                    rate_over(h, total, 12), rate_over(h, total, 720), total);
    }
    dstr_printf(&ds, "%zu events never hit\n", never);
    return dstr_steal(&ds);
}

static void
cmd_coverage_show(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    char *text = coverage_show();
    unixctl_reply(conn, text);
    free(text);
}

static void
cmd_coverage_read_counter(struct unixctl_conn *conn, int argc,
                          const char *argv[], void *aux)
{
    for (struct coverage_counter *c = counters; c; c = c->next) {
        if (!strcmp(c->name, argv[1])) {
            char *text = xasprintf("%llu", atomic_load(&c->total));
            unixctl_reply(conn, text);
            free(text);
            return;
        }
    }
    unixctl_reply_error(conn, "No such counter");
}

void
coverage_register_commands(void)
{
    unixctl_command_register("coverage/show", "", 0, 0, cmd_coverage_show,
                             NULL);
    unixctl_command_register("coverage/read-counter", "COUNTER", 1, 1,
                             cmd_coverage_read_counter, NULL);
}
