/*
 * loop: the one event loop of the daemon.
 *
 * Contract: everything that touches Net-SNMP, sockets or timers runs on the
 * thread that calls loop_run().  Net-SNMP's own fds and alarms are serviced
 * inside loop_run(); modules add their fds and one-shot timers here.
 * Callbacks must not block.  Times are milliseconds on CLOCK_MONOTONIC.
 */
#ifndef TSLCD_LOOP_H
#define TSLCD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

/* revents carries POLLIN/POLLOUT/POLLERR/POLLHUP as poll(2) reports them. */
typedef void (*loop_fd_cb)(int fd, short revents, void *arg);
typedef void (*loop_timer_cb)(void *arg);

struct loop_timer;

int loop_init(void);
void loop_shutdown(void);

/* Watch fd for events (POLLIN and/or POLLOUT).  One watch per fd. */
int loop_fd_add(int fd, short events, loop_fd_cb cb, void *arg);
/* Change the events of a watched fd. */
int loop_fd_events(int fd, short events);
/* Stop watching fd (does not close it).  Safe inside its own callback. */
void loop_fd_del(int fd);

/* One-shot timer after delay_ms.  Returns NULL only on out of memory. */
struct loop_timer *loop_timer_add(uint64_t delay_ms, loop_timer_cb cb, void *arg);
/* Cancel a pending timer.  NULL is ignored.  Must not be called on a timer
 * whose callback has already started (the handle is freed before the call). */
void loop_timer_cancel(struct loop_timer *t);

/* Run cb(arg) once, before the loop next sleeps in poll (after the timers
 * due in this pass): for work gathered across callbacks, such as a batch of
 * packets.  The caller keeps it to one call per batch.  -1 on out of
 * memory. */
int loop_defer(loop_timer_cb cb, void *arg);

/* Monotonic milliseconds, read as the running callback began (loop_now_ms_fresh
 * reads the clock again).  Fresh for each callback, so a callback that pairs it
 * with the wall clock (the per-second tick) never sees the time a slow callback
 * before it took: that would read as a forward wall-clock step. */
uint64_t loop_now_ms(void);
uint64_t loop_now_ms_fresh(void);
/* Monotonic microseconds, read now; for durations.  Safe from any thread. */
uint64_t loop_clock_us(void);

/* Run until loop_stop() is called (from a callback or a signal handler). */
int loop_run(void);
void loop_stop(void);
bool loop_stopping(void);

/* Number of fds currently watched (for fd-budget decisions). */
unsigned loop_fd_count(void);

#endif
