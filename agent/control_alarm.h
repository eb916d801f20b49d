/*
 * control_alarm: the `alarm' requests of the control socket, by which a
 * NOC works its alarms (tslcdctl alarm ...):
 *
 *   alarm list
 *   alarm ack ID [--by NAME] [--note TEXT]
 *   alarm unack ID [--by NAME]
 *   alarm shelve ID|--line OFFICE.LINE|--office OFFICE --until TIME [--by NAME] [--note TEXT]
 *   alarm unshelve ID|--line OFFICE.LINE|--office OFFICE [--by NAME]
 *
 * Contract: --note comes last and takes the rest of the line (it may hold
 * spaces); every other word is one token.  TIME is +N[smhd] or a local
 * YYYY-MM-DDTHH:MM (alarm_shelf_parse_until).  Everything is checked
 * before anything changes: an unknown id, office or line, a time in the
 * past, an overlong or non-printable text, a repeated or unknown option
 * is an "error: ..." reply and nothing changes.  Every change is logged
 * with the peer's uid and pid (SO_PEERCRED) and the --by name, which also
 * goes into the alarm table as "NAME (uid N)".  `list' answers several
 * lines: "ok N alarm(s), M shelf(s)" then one line per alarm and shelf.
 */
#ifndef TSLCD_CONTROL_ALARM_H
#define TSLCD_CONTROL_ALARM_H

#include <stddef.h>
#include <sys/socket.h>

#include "model.h"

/* args: what follows "alarm" on the request line (modified in place). */
void control_alarm(const struct model *m, const struct ucred *peer, char *args, char *out,
                   size_t outlen);

#endif
