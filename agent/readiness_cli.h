/*
 * readiness_cli: tslcdctl's readiness-template and readiness-verify, which
 * run locally (no agent needed); see readiness_cli.c for the syntax.
 *
 * Contract: readiness_cli() returns -1 when argv[0] is not one of its
 * commands, else the exit status (0 ok, 1 refused, 2 usage or I/O error).
 * config: the -c path, or NULL.
 */
#ifndef TSLCD_READINESS_CLI_H
#define TSLCD_READINESS_CLI_H

int readiness_cli(const char *config, int argc, char **argv);

#endif
