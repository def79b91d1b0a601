/*
 * protocol.c - the table of protocol names (protocol.h). A linear scan of
 * a short table whose first entries are the names nearly every row has
 * (tcp, udp, icmp), so a column of names costs a few compares a row.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "canon/protocol.h"

static const struct {
	const char *name;
	int number;
} protocols[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "hopopt", 0 }, { "igmp", 2 }, { "ggp", 3 }, { "ipv4", 4 }, { "ipip", 4 },
	{ "ip-in-ip", 4 }, { "st", 5 }, { "cbt", 7 }, { "egp", 8 }, { "igp", 9 },
	{ "pup", 12 }, { "hmp", 20 }, { "xns-idp", 22 }, { "rdp", 27 }, { "irtp", 28 },
	{ "iso-tp4", 29 }, { "dccp", 33 }, { "xtp", 36 }, { "ddp", 37 }, { "idpr-cmtp", 38 },
	{ "ipv6", 41 }, { "ipv6-route", 43 }, { "ipv6-frag", 44 }, { "idrp", 45 }, { "rsvp", 46 },
	{ "gre", 47 }, { "dsr", 48 }, { "esp", 50 }, { "ipsec-esp", 50 }, { "ah", 51 }, { "ipsec-ah", 51 },
	{ "narp", 54 }, { "mobile", 55 }, { "skip", 57 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 },
	{ "icmp6", 58 }, { "ipv6icmp", 58 }, { "ipv6-nonxt", 59 }, { "ipv6-opts", 60 }, { "cftp", 62 },
	{ "sat-expak", 64 }, { "kryptolan", 65 }, { "rvd", 66 }, { "ippc", 67 }, { "visa", 70 },
	{ "ipcv", 71 }, { "cpnx", 72 }, { "cphb", 73 }, { "wsn", 74 }, { "pvp", 75 }, { "iso-ip", 80 },
	{ "vmtp", 81 }, { "secure-vmtp", 82 }, { "vines", 83 }, { "ttp", 84 }, { "nsfnet-igp", 85 },
	{ "dgp", 86 }, { "tcf", 87 }, { "eigrp", 88 }, { "ospf", 89 }, { "ospfigp", 89 },
	{ "sprite-rpc", 90 }, { "larp", 91 }, { "mtp", 92 }, { "ax.25", 93 }, { "ipip-nos", 94 },
	{ "micp", 95 }, { "scc-sp", 96 }, { "etherip", 97 }, { "encap", 98 }, { "gmtp", 100 },
	{ "ifmp", 101 }, { "pnni", 102 }, { "pim", 103 }, { "aris", 104 }, { "scps", 105 }, { "qnx", 106 },
	{ "a/n", 107 }, { "ipcomp", 108 }, { "snp", 109 }, { "compaq-peer", 110 }, { "ipx-in-ip", 111 },
	{ "vrrp", 112 }, { "pgm", 113 }, { "l2tp", 115 }, { "ddx", 116 }, { "iatp", 117 }, { "stp", 118 },
	{ "srp", 119 }, { "uti", 120 }, { "smp", 121 }, { "sm", 122 }, { "ptp", 123 }, { "isis", 124 },
	{ "fire", 125 }, { "crtp", 126 }, { "crudp", 127 }, { "sscopmce", 128 }, { "iplt", 129 },
	{ "sps", 130 }, { "pipe", 131 }, { "sctp", 132 }, { "fc", 133 }, { "rsvp-e2e-ignore", 134 },
	{ "mobility-header", 135 }, { "udplite", 136 }, { "udp-lite", 136 }, { "mpls-in-ip", 137 },
	{ "manet", 138 }, { "hip", 139 }, { "shim6", 140 }, { "wesp", 141 }, { "rohc", 142 },
	{ "ethernet", 143 },
};

int fp_canon_protocol_number(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (strlen(protocols[i].name) == len && strncasecmp(protocols[i].name, name, len) == 0)
			return protocols[i].number;
	return -1;
}
