/* memory.h: `ovs-appctl memory/show`, a census of what the daemon holds.
 *
 * Modules register a reporter once; memory/show calls every reporter, which
 * adds "key:value" counts (bridges, ports, replica cells...).  The output is
 * the counts sorted by key and separated by spaces, the format Open
 * vSwitch's memory/show uses ("handlers:1 ports:3 ...").  Main thread only. */
#ifndef OVSNFV_MEMORY_H
#define OVSNFV_MEMORY_H 1

struct memory_report;

/* Called by memory/show: adds this module's counts to 'report' with
 * memory_report_add().  'aux' is the pointer given at registration. */
typedef void memory_reporter_cb(struct memory_report *report, void *aux);

/* Registers 'cb' to be called with 'aux' on every memory/show.  Registering
 * the same (cb, aux) pair again has no effect. */
void memory_register_reporter(memory_reporter_cb *cb, void *aux);
/* Removes a reporter registered with the same (cb, aux) pair, if any. */
void memory_unregister_reporter(memory_reporter_cb *cb, void *aux);

/* Adds 'value' under 'key' (copied).  Reports of the same key from several
 * reporters are summed. */
void memory_report_add(struct memory_report *report, const char *key,
                       unsigned long long value);

/* Runs all reporters and returns the memory/show text (no trailing
 * newline; empty if nothing was reported).  The caller frees it. */
char *memory_show(void);

/* Registers the memory/show command. */
void memory_register_commands(void);

#endif
