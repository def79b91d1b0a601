/*
 * notify.h - telling systemd how the daemon is (sd_notify): READY once set
 * up, STATUS with the counters every tick, WATCHDOG when the unit asks for
 * it (WatchdogSec=) from the loop's own timer (so a stuck loop is killed),
 * RELOADING while a SIGHUP is handled, STOPPING at shutdown. Without
 * NOTIFY_SOCKET (not started by systemd) every call does nothing.
 */
#ifndef FP_DAEMON_NOTIFY_H
#define FP_DAEMON_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

/* The watchdog interval systemd asked for, in µs; 0 when none. */
uint64_t fpd_notify_watchdog_usec(void);

void fpd_notify_ready(const char *status);
void fpd_notify_status(const char *status);
void fpd_notify_watchdog(void);
void fpd_notify_reloading(void);
void fpd_notify_stopping(void);

#endif
