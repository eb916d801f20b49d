/*
 * histreport_cli: `tslcdctl report`, the history report an officer runs at
 * the end of a month or quarter.  It reads history.db directly, so it works
 * with the agent stopped.
 *
 *   tslcdctl [-c CONFIG] report --period 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30
 *                   [--province CODE] [--office ID[,ID...]]
 *                   [--format csv|json|html] [--lang vi|en] [-o FILE|DIR]
 *                   [--db PATH]
 *
 * Contract: histreport_cli() returns -1 when argv[0] is not "report", else
 * the exit status: 0 written, 1 bad input or no data (one line on stderr
 * saying why), 2 for an unknown option (with the usage).  The database is --db, else history.db in
 * the state directory of the config (the -c path, or NULL), else the default one. CSV needs -o DIR
 * (one file per table); JSON and HTML go to -o FILE or stdout.
 */
#ifndef TSLCD_HISTREPORT_CLI_H
#define TSLCD_HISTREPORT_CLI_H

#define HISTREPORT_CLI_DEFAULT_DB "/var/lib/tslcd/history.db"

int histreport_cli(const char *config, int argc, char **argv);

#endif
