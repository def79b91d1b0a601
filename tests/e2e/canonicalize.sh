# canonicalize.sh - `flowprep canonicalize` on a small hand-made file in
# each vendor's dialect, with every output value checked: aliases (leading
# spaces, any case and separators), units (µs, ms, s, ns, by name, alias or
# magnitude), timestamps (CIC's slashed dates, ISO 8601 with zones, epoch
# numbers), protocol names, derived durations, coalesced columns, labels
# passed through, bad cells rejected and reported with their rows.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

H='timestamp,src_ip,dest_ip,src_port,dest_port,fwd_bytes,bwd_bytes,fwd_pkts,bwd_pkts,flow_dur,protocol'

# canon NAME ARGS...: canonicalizes $T/NAME.in to $T/NAME.csv, status in $st,
# report in $T/NAME.err
canon() {
	n=$1
	shift
	"$FLOWPREP" canonicalize "$@" "$T/$n.in" "$T/$n.csv" 2>"$T/$n.err"
	st=$?
	crashed "$st" && fail "$n: crashed ($st): $(cat "$T/$n.err")"
}

# expect_file WHAT FILE: FILE's content equals stdin
expect_file() {
	if printf '%s\n' "$(cat)" | cmp -s - "$2"; then ok "$1"; else
		fail "$1: got"
		cat "$2"
	fi
}

# expect_grep WHAT FILE PATTERN
expect_grep() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in: $(cat "$2")"; fi
}

# ---------------------------------------------------------------- CIC-IDS-2017
# Leading spaces in names, Flow Duration in µs, day-first slashed dates with
# and without seconds and AM/PM, Infinity/NaN in dropped columns, a CP1252
# byte in a label, a negative duration and an empty address (rejected).
printf '%s\r\n' \
	'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets,Flow Bytes/s, Label' \
	'a,104.16.207.165,443,192.168.10.5,54865,6,7/7/2017 8:59,3,2,0,12,0,4000000,BENIGN' \
	'b,192.168.10.50,32768,192.168.10.3,53,17,07/07/2017 08:59:50 AM,1500000,1,1,45,61,Infinity,BENIGN' \
	'c,172.16.0.1,45022,192.168.10.50,80,6,7/7/2017 3:30,-1,3,1,0,0,NaN,DDoS' \
	'd,,45023,192.168.10.50,80,6,7/7/2017 3:31,100,3,1,0,0,NaN,DDoS' \
	"e,172.16.0.1,45024,192.168.10.50,80,6,7/7/2017 3:32,5000000,3,1,20,0,4,Web Attack $(printf '\226') Brute Force" \
	> "$T/cic.in"
canon cic
expect_eq "cic: status" "$st" 0
expect_file "cic: values" "$T/cic.csv" <<OUT
$H, Label
1499417940000000,104.16.207.165,192.168.10.5,443,54865,12,0,2,0,3e-06,6,BENIGN
1499417990000000,192.168.10.50,192.168.10.3,32768,53,45,61,1,1,1.5,17,BENIGN
1499398320000000,172.16.0.1,192.168.10.50,45024,80,20,0,3,1,5.0,6,Web Attack � Brute Force
OUT
expect_grep "cic: report counts" "$T/cic.err" "5 rows read, 3 written, 2 rejected"
expect_grep "cic: negative duration named with its row" "$T/cic.err" \
	"rejected 1 row: flow_dur from column ' Flow Duration': '-1' is negative (row 3)"
expect_grep "cic: empty address named with its row" "$T/cic.err" \
	"rejected 1 row: src_ip from column ' Source IP': has no value (row 4)"

canon cic --timezone -03:00
expect_eq "cic --timezone: first timestamp" "$(sed -n 2p "$T/cic.csv" | cut -d, -f1)" 1499428740000000
canon cic --month-first
expect_eq "cic --month-first: 7/7 is the same day" "$(sed -n 2p "$T/cic.csv" | cut -d, -f1)" 1499417940000000

# ---------------------------------------------------------------- CSE-CIC-IDS2018
# Its main CSVs have no addresses: the error names the field and lists the
# columns that matched nothing.
printf '%s\n' 'Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts,Fwd Pkt Len Max,Label' \
	'443,6,14/02/2018 08:31:01,20553406,10,7,1063,1297,744,Benign' > "$T/cic2018.in"
canon cic2018
expect_eq "cic2018: status" "$st" 1
expect_grep "cic2018: missing fields named" "$T/cic2018.err" "no column for canonical field src_ip, dest_ip, src_port"
expect_grep "cic2018: unmatched columns listed" "$T/cic2018.err" "columns not matched: 'Fwd Pkt Len Max'"
[ -e "$T/cic2018.csv" ] && fail "cic2018: an output was written" || ok "cic2018: nothing written"
canon cic2018 --allow-missing src_ip,dest_ip,src_port
expect_file "cic2018 --allow-missing: nulls, 14/02/2018 day first" "$T/cic2018.csv" <<OUT
$H,Label
1518597061000000,,,,443,1063,1297,10,7,20.553406,6,Benign
OUT

# ---------------------------------------------------------------- UNSW-NB15
# proto names, hex ports, stime in epoch seconds, attack_cat and label
# passed through, an empty attack_cat stays null, "arp" is no IP protocol.
printf '%s\n' 'srcip,sport,dstip,dsport,proto,state,dur,sbytes,dbytes,sttl,Spkts,Dpkts,Stime,Ltime,attack_cat,Label' \
	'59.166.0.0,1390,149.171.126.6,53,udp,CON,0.001055,132,164,31,2,2,1421927414,1421927414,,0' \
	'175.45.176.3,21223,149.171.126.18,0x000b,tcp,FIN,1.5,1000,2000,254,10,8,1421927415,1421927416,Exploits,1' \
	'175.45.176.3,21224,149.171.126.18,80,arp,INT,0,10,0,0,1,0,1421927417,1421927417,Reconnaissance,1' \
	> "$T/unsw.in"
canon unsw
expect_eq "unsw: status" "$st" 0
expect_file "unsw: values" "$T/unsw.csv" <<OUT
$H,attack_cat,Label
1421927414000000,59.166.0.0,149.171.126.6,1390,53,132,164,2,2,0.001055,17,,0
1421927415000000,175.45.176.3,149.171.126.18,21223,11,1000,2000,10,8,1.5,6,Exploits,1
OUT
expect_grep "unsw: arp rejected" "$T/unsw.err" "protocol from column 'proto': 'arp' is not an IP protocol number or name (row 3)"

# ---------------------------------------------------------------- NetFlow-v9-named datasets (v3)
printf '%s\n' 'FLOW_START_MILLISECONDS,FLOW_END_MILLISECONDS,IPV4_SRC_ADDR,L4_SRC_PORT,IPV4_DST_ADDR,L4_DST_PORT,PROTOCOL,L7_PROTO,IN_BYTES,IN_PKTS,OUT_BYTES,OUT_PKTS,TCP_FLAGS,FLOW_DURATION_MILLISECONDS,Label,Attack' \
	'1424242193040,1424242193290,59.166.0.2,4894,149.171.126.3,53,17,5.212,146,2,178,2,0,250,0,Benign' > "$T/nf.in"
canon nf
expect_file "netflow-v9 names: values (duration from its ms column, not end - start)" "$T/nf.csv" <<OUT
$H,Label,Attack
1424242193040000,59.166.0.2,149.171.126.3,4894,53,146,178,2,2,0.25,17,0,Benign
OUT

# ---------------------------------------------------------------- nfdump CSV
# "TCP" as a name, seconds with a fraction, and the Summary block that
# `nfdump -o csv` appends: records of another width, skipped and counted.
printf '%s\n' 'ts,te,td,sa,da,sp,dp,pr,flg,ipkt,ibyt,opkt,obyt' \
	'2017-07-07 08:59:50.123,2017-07-07 08:59:52.623,2.500,10.0.0.1,10.0.0.2,51000,443,TCP,.AP.SF,10,1500,8,9000' \
	'Summary' 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp' '1,10500,18,33600,7,583' > "$T/nfdump.in"
canon nfdump --keep-extra
expect_file "nfdump: values, flg kept by --keep-extra" "$T/nfdump.csv" <<OUT
$H,flg
1499417990123000,10.0.0.1,10.0.0.2,51000,443,1500,9000,10,8,2.5,6,.AP.SF
OUT
expect_grep "nfdump: the summary block is counted" "$T/nfdump.err" "skipped 3 records that were no table row (first at line 3)"

# ---------------------------------------------------------------- Zeek conn.log (TSV)
# "-" is unset: a connection without a duration cannot be a row; IPv6 text
# is normalized; orig_ip_bytes (IP bytes, like flowprep's) wins over
# orig_bytes (payload).
tab=$(printf '\t')
{
	printf '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n'
	printf '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n'
	printf '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n'
	printf '1300475167.096535\tCXWv6p3arKYeMETxOg\t141.142.220.202\t5353\t224.0.0.251\t5353\tudp\tdns\t-\t-\t-\tS0\t1\t73\t0\t0\t(empty)\n'
	printf '1300475168.853899\tCjhGID4nQcgTWjvg4c\t141.142.220.118\t43927\t141.142.2.2\t53\tudp\tdns\t0.000435\t38\t89\tSF\t1\t66\t1\t117\t(empty)\n'
	printf '1300475169.780331\tCtPZjS20MLrsMUOJi2\tFE80:0:0:0:217:F2FF:FED7:CF65\t5353\tff02::fb\t5353\tudp\tdns\t0.5\t100\t0\tS0\t2\t199\t0\t0\t(empty)\n'
	printf '#close\t2011-03-18-19-06-13\n'
} > "$T/zeek.in"
canon zeek
expect_file "zeek conn.log: values" "$T/zeek.csv" <<OUT
$H
1300475168853899,141.142.220.118,141.142.2.2,43927,53,66,117,1,1,0.000435,17
1300475169780331,fe80::217:f2ff:fed7:cf65,ff02::fb,5353,5353,199,0,2,0,0.5,17
OUT
expect_grep "zeek: unset duration rejected" "$T/zeek.err" "rejected 1 row: flow_dur from column 'duration': has no value (row 1)"

# ---------------------------------------------------------------- Zeek JSON
printf '%s\n' '{"ts":1300475168.853899,"uid":"Cj","id.orig_h":"141.142.220.118","id.orig_p":43927,"id.resp_h":"141.142.2.2","id.resp_p":53,"proto":"udp","duration":0.000435,"orig_bytes":38,"resp_bytes":89,"orig_pkts":1,"orig_ip_bytes":66,"resp_pkts":1,"resp_ip_bytes":117}' \
	'{"ts":"2011-03-18T19:06:09.780331Z","uid":"Ct","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"tcp","duration":1,"orig_pkts":3,"orig_ip_bytes":150,"resp_pkts":2,"resp_ip_bytes":100}' \
	> "$T/zeekjson.in"
canon zeekjson
expect_file "zeek json: values (epoch number and ISO string)" "$T/zeekjson.csv" <<OUT
$H
1300475168853899,141.142.220.118,141.142.2.2,43927,53,66,117,1,1,0.000435,17
1300475169780331,10.0.0.1,10.0.0.2,1,2,150,100,3,2,1.0,6
OUT

# ---------------------------------------------------------------- AWS VPC flow logs
# Space-separated, start/end in epoch seconds give the duration, one
# direction only (bwd is 0 by the schema's when_missing), NODATA rows have
# no addresses.
printf '%s\n' 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status' \
	'2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK' \
	'2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA' > "$T/vpc.in"
canon vpc
expect_file "vpc: values, duration from end - start" "$T/vpc.csv" <<OUT
$H
1418530010000000,172.31.16.139,172.31.16.21,20641,22,4249,0,20,0,60.0,6
OUT
expect_grep "vpc: NODATA rejected" "$T/vpc.err" "rejected 1 row: src_ip from column 'srcaddr': has no value (row 2)"

# ---------------------------------------------------------------- goflow2 (v1 and v2 JSON in one file)
# Keys of both spellings become columns; a field's later alias fills the
# earlier one's nulls. v2 gives nanoseconds (by name) and protocol names.
printf '%s\n' '{"Type":"NETFLOW_V9","TimeReceived":1618327530,"SequenceNum":1,"SamplingRate":0,"SamplerAddress":"10.0.0.254","TimeFlowStart":1618327520,"TimeFlowEnd":1618327525,"Bytes":1500,"Packets":3,"SrcAddr":"10.0.0.1","DstAddr":"10.0.0.2","Etype":2048,"Proto":6,"SrcPort":51000,"DstPort":443}' \
	'{"type":"IPFIX","time_received_ns":1681583295157626000,"sequence_num":2999,"sampling_rate":100,"sampler_address":"192.168.0.1","time_flow_start_ns":1681583295157626000,"time_flow_end_ns":1681583295657626000,"bytes":1500,"packets":1,"src_addr":"fd01::1","dst_addr":"fd01::2","etype":"IPv6","proto":"TCP","src_port":8080,"dst_port":443}' \
	> "$T/goflow2.in"
canon goflow2
expect_file "goflow2: values" "$T/goflow2.csv" <<OUT
$H
1618327520000000,10.0.0.1,10.0.0.2,51000,443,1500,0,3,0,5.0,6
1681583295157626,fd01::1,fd01::2,8080,443,1500,0,1,0,0.5,6
OUT

# ---------------------------------------------------------------- Suricata eve
# flow.start (ISO with +0000) before the event's timestamp, the duration
# from flow.end - flow.start, nested counters; an alert event has no flow
# counters and is rejected.
printf '%s\n' '{"timestamp":"2017-07-07T09:00:01.000000+0000","flow_id":1,"event_type":"flow","src_ip":"192.168.10.5","src_port":54865,"dest_ip":"104.16.207.165","dest_port":443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":5,"pkts_toclient":4,"bytes_toserver":700,"bytes_toclient":3000,"start":"2017-07-07T08:59:50.123456+0000","end":"2017-07-07T08:59:51.623456+0000","age":1,"state":"closed","reason":"timeout","alerted":false}}' \
	'{"timestamp":"2017-07-07T09:00:02.000000+0000","event_type":"alert","src_ip":"1.2.3.4","src_port":1,"dest_ip":"5.6.7.8","dest_port":2,"proto":"TCP","alert":{"signature":"x"}}' \
	'not json' > "$T/eve.in"
canon eve
expect_file "suricata eve: values" "$T/eve.csv" <<OUT
$H
1499417990123456,192.168.10.5,104.16.207.165,54865,443,700,3000,5,4,1.5,6
OUT
expect_grep "eve: alert rejected" "$T/eve.err" "rejected 1 row: fwd_bytes from column 'flow.bytes_toserver': has no value (row 2)"
expect_grep "eve: a line that is no JSON is counted" "$T/eve.err" "skipped 1 record that was no table row (first at line 3)"

# ---------------------------------------------------------------- NFStream
printf '%s\n' 'id,expiration_id,src_ip,src_mac,src_port,dst_ip,dst_mac,dst_port,protocol,ip_version,vlan_id,bidirectional_first_seen_ms,bidirectional_last_seen_ms,bidirectional_duration_ms,bidirectional_packets,bidirectional_bytes,src2dst_first_seen_ms,src2dst_last_seen_ms,src2dst_duration_ms,src2dst_packets,src2dst_bytes,dst2src_first_seen_ms,dst2src_last_seen_ms,dst2src_duration_ms,dst2src_packets,dst2src_bytes,application_name' \
	'0,0,192.168.43.18,30:52:cb:6c:9c:1b,52066,66.220.156.68,98:0c:82:d3:3c:7c,443,6,4,0,1472393122365,1472393123665,1300,19,5745,1472393122365,1472393123408,1043,9,1345,1472393122668,1472393123665,997,10,4400,TLS.Facebook' \
	> "$T/nfstream.in"
canon nfstream
expect_file "nfstream: values" "$T/nfstream.csv" <<OUT
$H
1472393122365000,192.168.43.18,66.220.156.68,52066,443,1345,4400,9,10,1.3,6
OUT

# ---------------------------------------------------------------- IPFIX information elements
printf '%s\n' 'flowStartMilliseconds,flowEndMilliseconds,sourceIPv4Address,destinationIPv4Address,sourceTransportPort,destinationTransportPort,protocolIdentifier,octetDeltaCount,packetDeltaCount' \
	'1499417990123,1499417990623,10.1.1.1,10.2.2.2,1234,80,6,4000,5' > "$T/ipfix.in"
canon ipfix
expect_file "ipfix: values" "$T/ipfix.csv" <<OUT
$H
1499417990123000,10.1.1.1,10.2.2.2,1234,80,4000,0,5,0,0.5,6
OUT

# ---------------------------------------------------------------- several inputs, --explain, --schema
"$FLOWPREP" canonicalize -q "$T/ipfix.in" "$T/goflow2.in" "$T/both.csv"
expect_eq "two inputs of the same columns: status" $? 0
expect_eq "two inputs: rows" "$(rows "$T/both.csv")" 3
"$FLOWPREP" canonicalize -q "$T/ipfix.in" "$T/cic.in" "$T/mixed.csv" 2>"$T/mixed.err"
expect_eq "inputs with other columns: status 2" $? 2
expect_grep "inputs with other columns: said" "$T/mixed.err" "canonicalize it into another file"
expect_eq "inputs with other columns: the first is written" "$(rows "$T/mixed.csv")" 1

"$FLOWPREP" canonicalize --explain "$T/cic.in" > "$T/explain.txt"
expect_grep "--explain: unit and its origin" "$T/explain.txt" "flow_dur float64 <- ' Flow Duration' (string in us (unit from alias) -> seconds)"
expect_grep "--explain: dropped columns" "$T/explain.txt" "dropped: 'Flow ID', 'Flow Bytes/s'"

printf '%s\n' 'MyStart,MySrc,MyDst,sport,dport,proto,bytes_a,bytes_b,pk_a,pk_b,dur' \
	'1499417990,10.0.0.1,10.0.0.2,1,2,udp,10,20,1,2,0.25' > "$T/vendor.in"
canon vendor
expect_eq "unknown vendor: refused" "$st" 1
sed -e 's/{"name": "flow.start",/{"name": "MyStart"}, &/' -e 's/{"name": "src_ip",/{"name": "MySrc"}, &/' \
	-e 's/{"name": "dest_ip",/{"name": "MyDst"}, &/' -e 's/{"name": "fwd_bytes",/{"name": "bytes_a"}, &/' \
	-e 's/{"name": "bwd_bytes",/{"name": "bytes_b"}, &/' -e 's/{"name": "fwd_pkts",/{"name": "pk_a"}, &/' \
	-e 's/{"name": "bwd_pkts",/{"name": "pk_b"}, &/' "$TOP_SRCDIR/schemas/netflow/v1/schema.json" > "$T/schema.json"
canon vendor --schema "$T/schema.json"
expect_file "a vendor added by a JSON edit (--schema)" "$T/vendor.csv" <<OUT
$H
1499417990000000,10.0.0.1,10.0.0.2,1,2,10,20,1,2,0.25,17
OUT

"$FLOWPREP" canonicalize --timezone Mars/Olympus "$T/cic.in" "$T/x.csv" 2>"$T/tz.err"
expect_eq "--timezone with a named zone: refused" $? 1
expect_grep "--timezone: says what works" "$T/tz.err" "+02:00"

finish
