/*
 * grow: room in a heap array that doubles as it fills (loop's watches and
 * timers, the alarm set, shelves, the ICMP send queue, ...).
 *
 * Contract: grow_array(v, &cap, need, size, first) returns an array of at
 * least `need` elements of `size` bytes holding v's first *cap elements:
 * v itself when *cap >= need, else v moved by realloc() to a capacity that
 * doubles from `first` until it fits, stored in *cap.  On overflow of
 * size_t or out of memory it returns NULL and leaves v and *cap untouched,
 * so the caller keeps a valid array and decides what the failure costs.
 * No I/O, no globals.
 */
#ifndef TSLCD_GROW_H
#define TSLCD_GROW_H

#include <stddef.h>

void *grow_array(void *v, size_t *cap, size_t need, size_t size, size_t first);

#endif
