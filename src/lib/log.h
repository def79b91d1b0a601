/*
 * log.h - diagnostics on stderr.
 *
 * The CLI prints "flowprep: error: ..." lines; the daemon (later) switches
 * to syslog priority prefixes ("<3>...") that journald understands. The
 * choice is one process-wide setting made once at start-up, before threads.
 */
#ifndef FP_LIB_LOG_H
#define FP_LIB_LOG_H

#include "lib/error.h"

enum fp_log_level { FP_LOG_ERR = 3, FP_LOG_WARNING = 4, FP_LOG_NOTICE = 5, FP_LOG_INFO = 6, FP_LOG_DEBUG = 7 };

enum fp_log_style { FP_LOG_STYLE_CLI, FP_LOG_STYLE_JOURNAL };

void fp_log_setup(const char *program, enum fp_log_style style, enum fp_log_level max_level);
void fp_log(enum fp_log_level level, const char *fmt, ...) FP_PRINTF(2, 3);

#define fp_log_err(...) fp_log(FP_LOG_ERR, __VA_ARGS__)
#define fp_log_warn(...) fp_log(FP_LOG_WARNING, __VA_ARGS__)
#define fp_log_info(...) fp_log(FP_LOG_INFO, __VA_ARGS__)

#endif
