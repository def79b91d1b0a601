/*
 * log.c - diagnostics on stderr, one line per call, written with a single
 * write so lines from several threads do not interleave.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/log.h"

static const char *log_program = "flowprep";
static enum fp_log_style log_style = FP_LOG_STYLE_CLI;
static enum fp_log_level log_max = FP_LOG_INFO;

void fp_log_setup(const char *program, enum fp_log_style style, enum fp_log_level max_level)
{
	log_program = program;
	log_style = style;
	log_max = max_level;
}

static const char *level_word(enum fp_log_level level)
{
	switch (level) {
	case FP_LOG_ERR: return "error: ";
	case FP_LOG_WARNING: return "warning: ";
	default: return "";
	}
}

void fp_log(enum fp_log_level level, const char *fmt, ...)
{
	char line[2048];
	int n;
	va_list ap;

	if (level > log_max)
		return;
	if (log_style == FP_LOG_STYLE_JOURNAL)
		n = snprintf(line, sizeof(line), "<%d>", (int)level);
	else
		n = snprintf(line, sizeof(line), "%s: %s", log_program, level_word(level));
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}
