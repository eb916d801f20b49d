/*
 * histreport_html: a history report as one self-contained HTML file: no
 * external assets, inline SVG charts (availability per office, sorted; the
 * distribution of p95 utilisation against the contract; outage timelines
 * of the worst offices), and print CSS for A4.  Labels in Vietnamese by
 * default, English with HISTREPORT_EN.
 *
 * Stable hooks for tests and scrapers: office rows are
 * <tr class="office" data-office="ID">, each chart is
 * <figure class="chart" id="chart-avail|chart-p95|chart-timeline"> holding
 * one <svg>, and a partial period has <p class="partial">.
 *
 * Contract: histreport_html_write() returns 0, or -1 on a write error.
 */
#ifndef TSLCD_HISTREPORT_HTML_H
#define TSLCD_HISTREPORT_HTML_H

#include <stdio.h>

#include "histreport_data.h"
#include "histreport_i18n.h"

int histreport_html_write(const struct histreport *r, enum histreport_lang lang, FILE *f);

#endif
