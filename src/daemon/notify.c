/*
 * notify.c - sd_notify messages (see notify.h). RELOADING carries
 * MONOTONIC_USEC, as systemd 253's Type=notify-reload asks for; older
 * systemd ignores the extra field.
 */
#include "config.h"

#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "daemon/notify.h"

uint64_t fpd_notify_watchdog_usec(void)
{
	uint64_t usec = 0;

	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

void fpd_notify_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void fpd_notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

void fpd_notify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

void fpd_notify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void fpd_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
