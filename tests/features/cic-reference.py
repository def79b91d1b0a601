#!/usr/bin/python3
"""cic-reference.py - an independent reference for `flowprep pcap --features cic`.

It reads a capture with dpkt (Debian python3-dpkt), groups packets into
flows by the rules docs/features.md gives for cic (bidirectional 5-tuple;
forward = first packet's sender, or its receiver for a SYN+ACK; a new flow
after 60 s idle or 3600 s age; a TCP flow closed by FIN both ways or RST
takes packets 1 s more, and a new SYN after the close starts a new flow),
keeps every packet of a flow in a list, and computes each cic column
straight from its definition: two-pass means and sample standard
deviations (statistics module), bulk runs found by scanning the packets,
active periods by splitting at gaps > 5 s. Nothing is shared with the C
code but the definitions.

Then it runs flowprep and checks that every flow both have (same 5-tuple
and start time) agrees in every column to 1e-9 relative (1e-12 absolute
near 0), and that every flow of ours it could compute is there. Flows it
cannot compute (ICMP, IP fragments, link types dpkt does not read here)
are counted, not compared.

usage: cic-reference.py FLOWPREP CAPTURE... [-v] [--allow-missing]
Exit status 0 when every compared value agrees, 1 otherwise.
"""
import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile

import dpkt

S = 1000000000  # times are integer ns, made seconds only in the output
IDLE, ACTIVE, LINGER = 60 * S, 3600 * S, 1 * S
ACTIVITY_GAP, SUBFLOW_GAP, BULK_GAP, BULK_MIN = 5 * S, 1 * S, 1 * S, 4
REL, ABS = 1e-9, 1e-12
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


class Unsupported(Exception):
    pass


def link_payload(linktype, buf):
    """The IP packet of a frame (dpkt object), or None."""
    if linktype == 1:
        frame = dpkt.ethernet.Ethernet(buf)
    elif linktype == 113:
        frame = dpkt.sll.SLL(buf)
    elif linktype == 276:
        frame = dpkt.sll2.SLL2(buf)
    elif linktype in (0, 108):
        frame = dpkt.loopback.Loopback(buf)
    elif linktype in (101, 228, 229, 12, 14):
        version = buf[0] >> 4 if buf else 0
        return dpkt.ip.IP(buf) if version == 4 else dpkt.ip6.IP6(buf) if version == 6 else None
    else:
        raise Unsupported(f"link type {linktype}")
    ip = frame.data
    return ip if isinstance(ip, (dpkt.ip.IP, dpkt.ip6.IP6)) else None


def ip6_header_len(raw):
    """40 + the extension headers of an IPv6 packet given as bytes, and the final protocol."""
    nxt, off, n = raw[6], 40, 0
    while nxt in (0, 43, 60, 51, 44):
        n += 1
        if n > 16 or (nxt == 0 and n > 1):  # at most 16 headers; hop-by-hop only first (RFC 8200)
            raise IndexError("bad extension header chain")
        if nxt == 44:
            raise Unsupported((raw[off], frozenset((raw[8:24], raw[24:40]))))
        length = (raw[off + 1] + 2) * 4 if nxt == 51 else (raw[off + 1] + 1) * 8
        nxt, off = raw[off], off + length
    return off, nxt


def packet_fields(ts, ip, raw, wire_left):
    """(ts, src, dst, sport, dport, proto, ip_len, l4_hdr_len, payload, flags, win) or None for a
    packet flowprep's decoder rejects (bad lengths)."""
    if isinstance(ip, dpkt.ip.IP):
        hdr, proto, src, dst = ip.hl * 4, ip.p, ip.src, ip.dst
        if ip.offset != 0 or ip.mf:
            raise Unsupported((proto, frozenset((src, dst))))
        ip_len = ip.len or wire_left
        if ip_len < hdr:
            return None
    else:
        hdr, proto = ip6_header_len(raw)
        ip_len, src, dst = 40 + ip.plen, ip.src, ip.dst
    cut = ip_len > wire_left  # a datagram cut and rewritten to the frame: its own lengths are not checked
    ip_len = min(ip_len, wire_left)
    l4 = raw[hdr:]
    left = ip_len - hdr
    if proto == 6:
        # a cut datagram needs only the ports; what it holds of the rest is read
        have = 20 if left >= 20 or not cut else max(4, left)
        if len(l4) < have or left < min(have, 20) and not cut:
            return None
        sport, dport = int.from_bytes(l4[0:2], "big"), int.from_bytes(l4[2:4], "big")
        l4_len = have
        if have >= 13:
            l4_len = (l4[12] >> 4) * 4
            if l4_len < 20 or (l4_len > left and not cut):
                return None
            l4_len = min(l4_len, left)
        flags = l4[13] if have >= 14 else 0
        win = int.from_bytes(l4[14:16], "big") if have >= 16 else 0
    elif proto == 17:
        have = 8 if left >= 8 or not cut else max(4, left)
        if len(l4) < have or (left < 8 and not cut):
            return None
        sport, dport = int.from_bytes(l4[0:2], "big"), int.from_bytes(l4[2:4], "big")
        l4_len, flags, win = have, 0, None
        ulen = int.from_bytes(l4[4:6], "big") if have >= 8 else 8
        if ulen != 0 and ulen < 8:
            return None
    else:
        raise Unsupported(f"protocol {proto}")
    payload = max(0, ip_len - hdr - l4_len)
    return (ts, src, dst, sport, dport, proto, ip_len, l4_len, payload, flags, win)


class Flow:
    def __init__(self, pkt):
        ts, src, dst, sport, dport, proto, *_ = pkt
        synack = proto == 6 and (pkt[9] & (SYN | ACK)) == (SYN | ACK)
        self.src = (dst, dport) if synack else (src, sport)
        self.dst = (src, sport) if synack else (dst, dport)
        self.proto = proto
        self.pkts = []  # (ts, dir, ip_len, l4_len, payload, flags, win)
        self.fin = [False, False]
        self.closed = False
        self.unsupported = False

    def due(self, t):
        first, last = self.pkts[0][0], self.pkts[-1][0]
        return (self.closed and t - last > LINGER) or t - last > IDLE or t - first > ACTIVE

    def add(self, pkt):
        ts, src, dst, sport, dport, proto, ip_len, l4_len, payload, flags, win = pkt
        d = 0 if (src, sport) == self.src else 1
        self.pkts.append((ts, d, ip_len, l4_len, payload, flags, win))
        if proto == 6:
            if flags & FIN:
                self.fin[d] = True
            if flags & RST or all(self.fin):
                self.closed = True


def read_pcap(f):
    """Classic pcap records as (ts_ns, frame, wire length); dpkt's reader does not give the wire
    length, which bounds an IP length (a datagram cut and rewritten to the frame)."""
    import struct
    head = f.read(24)
    magic = head[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(order + "I", head[20:24])[0] & 0x0FFFFFFF
    records = []
    while True:
        rec = f.read(16)
        if len(rec) < 16:
            break
        sec, frac, caplen, wirelen = struct.unpack(order + "IIII", rec)
        buf = f.read(caplen)
        if len(buf) < caplen:
            break
        records.append((sec * 1000000000 + frac * (1 if nano else 1000), buf, wirelen))
    return linktype, records


def read_capture(path):
    with open(path, "rb") as f:
        if f.read(4) != b"\x0a\x0d\x0d\x0a":
            f.seek(0)
            return read_pcap(f)
        f.seek(0)
        return read_pcapng(f)


def read_pcapng(f):
    """pcapng enhanced packet blocks as (ts_ns, frame, wire length), one section, the interfaces'
    own time resolutions (what dpkt's reader does not give: original lengths)."""
    import struct
    data, off, order, ifaces, records = f.read(), 0, "<", [], []
    while off + 12 <= len(data):
        btype = struct.unpack_from(order + "I", data, off)[0]
        if btype == 0x0A0D0D0A:
            order = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack_from(order + "I", data, off + 4)[0]
        body = data[off + 8:off + blen - 4]
        if btype == 1:  # interface description: link type, if_tsresol
            resol, o = 1000, 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from(order + "HH", body, o)
                if code == 0:
                    break
                if code == 9:
                    v = body[o + 4]
                    resol = 10 ** 9 // (10 ** v) if not v & 0x80 else None
                o += 4 + (olen + 3) // 4 * 4
            ifaces.append((struct.unpack_from(order + "H", body, 0)[0], resol))
        elif btype == 6:
            iface, hi, lo, caplen, wirelen = struct.unpack_from(order + "IIIII", body, 0)
            ticks = (hi << 32) | lo
            resol = ifaces[iface][1]
            records.append((ticks * resol, body[20:20 + caplen], wirelen))
        off += blen
    return (ifaces[0][0] if ifaces else 1), records


def flows_of(path):
    """Every flow of the capture, in the reference's grouping, and the packets not computed."""
    table, done, skipped, fragmented = {}, [], 0, set()
    linktype, records = read_capture(path)
    for ts, buf, wirelen in records:
        try:
            ip = link_payload(linktype, buf)
            if ip is None:
                continue
            off = ip_offset(buf, ip)
            pkt = packet_fields(ts, ip, bytes(buf[off:]), wirelen - off)
        except Unsupported as e:
            skipped += 1
            if e.args and isinstance(e.args[0], tuple):
                fragmented.add(e.args[0])
            continue
        except (dpkt.UnpackError, IndexError, ValueError):
            continue
        if pkt is None:
            continue
        key = (pkt[5],) + tuple(sorted([(pkt[1], pkt[3]), (pkt[2], pkt[4])]))
        flow = table.get(key)
        opening = pkt[5] == 6 and (pkt[9] & (SYN | ACK)) == SYN
        if flow is not None and (flow.due(ts) or (flow.closed and opening)):
            done.append(table.pop(key))
            flow = None
        if flow is None:
            flow = table[key] = Flow(pkt)
        flow.add(pkt)
    flows = [f for f in done + list(table.values())
             if (f.proto, frozenset((f.src[0], f.dst[0]))) not in fragmented]
    return flows, skipped


def to_ns(ts):
    """Integer ns: dpkt gives Decimal for ns files, floats (of whole µs) otherwise."""
    if isinstance(ts, float):
        return round(ts * 1e6) * 1000
    return int(ts * 1000000000)


def ip_offset(buf, ip):
    """Where the IP header starts in the frame: the first place with its version and addresses."""
    buf = bytes(buf)
    v4 = isinstance(ip, dpkt.ip.IP)
    addrs, at = (ip.src + ip.dst, 12) if v4 else (ip.src + ip.dst, 8)
    for i in range(0, min(len(buf), 128)):
        if buf[i] >> 4 == (4 if v4 else 6) and buf[i + at:i + at + len(addrs)] == addrs:
            return i
    raise Unsupported("IP header not found in frame")


def stats(values, unit=1):
    """max, min, mean, sample std (exact: the statistics module works in fractions on integers), each
    divided by unit, with 0 for none and std 0 below two."""
    if not values:
        return 0.0, 0.0, 0.0, 0.0
    std = statistics.stdev(values) / unit if len(values) > 1 else 0.0
    return max(values) / unit, min(values) / unit, statistics.mean(values) / unit, std


def bulks(pkts, d):
    """CICFlowMeter's bulks of direction d: runs of >= 4 payload packets of d, each within 1 s of the
    previous, with no payload packet of the other direction later than the run's start."""
    out, run, other_last = [], [], None
    for ts, dd, _, _, payload, _, _ in pkts:
        if dd != d:
            if payload > 0:
                other_last = ts
            continue
        if run and other_last is not None and other_last > run[0][0]:
            out.append(run)
            run = []
        if payload == 0:
            continue
        if run and ts - run[-1][0] > BULK_GAP:
            out.append(run)
            run = []
        run.append((ts, payload))
    out.append(run)
    return [r for r in out if len(r) >= BULK_MIN]


def row_of(flow):
    p = flow.pkts
    times = [x[0] for x in p]
    fwd = [x for x in p if x[1] == 0]
    bwd = [x for x in p if x[1] == 1]
    dur = max(times) - min(times)  # first to last in time; IATs are in capture order
    nf, nb = len(fwd), len(bwd)
    bf, bb = sum(x[2] for x in fwd), sum(x[2] for x in bwd)
    gaps = [b - a for a, b in zip(times, times[1:])]
    fgaps = [b[0] - a[0] for a, b in zip(fwd, fwd[1:])]
    bgaps = [b[0] - a[0] for a, b in zip(bwd, bwd[1:])]
    r = {"src_ip": flow.src[0], "dst_ip": flow.dst[0], "src_port": flow.src[1], "dst_port": flow.dst[1],
         "protocol": flow.proto, "timestamp": times[0] // 1000, "flow_duration": dur / S}
    for name, amount in (("flow_byts_s", bf + bb), ("flow_pkts_s", nf + nb), ("fwd_pkts_s", nf),
                         ("bwd_pkts_s", nb)):
        r[name] = amount / (dur / S) if dur > 0 else None
    r.update(tot_fwd_pkts=nf, tot_bwd_pkts=nb, totlen_fwd_pkts=bf, totlen_bwd_pkts=bb)
    for prefix, pk in (("fwd_pkt_len", fwd), ("bwd_pkt_len", bwd), ("pkt_len", p)):
        mx, mn, mean, std = stats([x[2] for x in pk])
        r.update({prefix + "_max": mx, prefix + "_min": mn, prefix + "_mean": mean, prefix + "_std": std})
    r["pkt_len_var"] = statistics.variance([x[2] for x in p]) if len(p) > 1 else 0.0
    r["fwd_header_len"] = sum(x[3] for x in fwd)
    r["bwd_header_len"] = sum(x[3] for x in bwd)
    r["fwd_seg_size_min"] = min(x[3] for x in fwd) if fwd else 0
    r["fwd_act_data_pkts"] = sum(1 for x in fwd if x[4] > 0)
    mx, mn, mean, std = stats(gaps, S)
    r.update(flow_iat_mean=mean, flow_iat_max=mx, flow_iat_min=mn, flow_iat_std=std)
    for prefix, g, pk in (("fwd", fgaps, fwd), ("bwd", bgaps, bwd)):
        mx, mn, mean, std = stats(g, S)
        r.update({prefix + "_iat_tot": (pk[-1][0] - pk[0][0]) / S if len(pk) > 1 else 0.0, prefix + "_iat_max": mx,
                  prefix + "_iat_min": mn, prefix + "_iat_mean": mean, prefix + "_iat_std": std})
    count = lambda pk, bit: sum(1 for x in pk if x[5] & bit)
    r.update(fwd_psh_flags=count(fwd, PSH), bwd_psh_flags=count(bwd, PSH), fwd_urg_flags=count(fwd, URG),
             bwd_urg_flags=count(bwd, URG), fin_flag_cnt=count(p, FIN), syn_flag_cnt=count(p, SYN),
             rst_flag_cnt=count(p, RST), psh_flag_cnt=count(p, PSH), ack_flag_cnt=count(p, ACK),
             urg_flag_cnt=count(p, URG), ece_flag_cnt=count(p, ECE), cwr_flag_count=count(p, CWR))
    r["down_up_ratio"] = nb / nf if nf else 0.0
    r["pkt_size_avg"] = (bf + bb) / (nf + nb)
    r["fwd_seg_size_avg"] = sum(x[4] for x in fwd) / nf if nf else 0.0
    r["bwd_seg_size_avg"] = sum(x[4] for x in bwd) / nb if nb else 0.0
    for prefix, d in (("fwd", 0), ("bwd", 1)):
        bl = bulks(p, d)
        size = sum(sum(x[1] for x in run) for run in bl)
        dur_b = sum(run[-1][0] - run[0][0] for run in bl)
        r[prefix + "_byts_b_avg"] = size / len(bl) if bl else 0.0
        r[prefix + "_pkts_b_avg"] = sum(len(run) for run in bl) / len(bl) if bl else 0.0
        r[prefix + "_blk_rate_avg"] = size / (dur_b / S) if dur_b > 0 else 0.0
    subflows = 1 + sum(1 for g in gaps if g > SUBFLOW_GAP)
    r.update(subflow_fwd_pkts=nf / subflows, subflow_fwd_byts=bf / subflows, subflow_bwd_pkts=nb / subflows,
             subflow_bwd_byts=bb / subflows)
    first_win = lambda pk: next((x[6] for x in pk if x[6] is not None), -1)
    r.update(init_fwd_win_byts=first_win(fwd), init_bwd_win_byts=first_win(bwd))
    periods, start = [], times[0]
    idle = [g for g in gaps if g > ACTIVITY_GAP]
    for a, b in zip(times, times[1:]):
        if b - a > ACTIVITY_GAP:
            periods.append(a - start)
            start = b
    periods.append(times[-1] - start)
    active = [x for x in periods if x > 0]
    for prefix, vals in (("active", active), ("idle", idle)):
        mx, mn, mean, std = stats(vals, S)
        r.update({prefix + "_max": mx, prefix + "_min": mn, prefix + "_mean": mean, prefix + "_std": std})
    return r


def agree(ref, ours):
    if ref is None:
        return ours == ""
    if isinstance(ref, str):
        return ref == ours
    if ours == "":
        return False
    x = float(ours)
    return abs(x - ref) <= max(REL * max(abs(x), abs(ref)), ABS)


def ip_text(raw):
    import ipaddress
    return str(ipaddress.ip_address(raw))


def check(flowprep, capture, tmp, verbose, allow_missing, totals):
    out = os.path.join(tmp, "cic.csv")
    p = subprocess.run([flowprep, "pcap", "-q", "--features", "cic", capture, out], capture_output=True, text=True)
    if p.returncode not in (0, 3):
        print(f"skip {os.path.basename(capture)}: flowprep cannot read it: {p.stderr.strip()[:160]}")
        return 0
    try:
        flows, skipped = flows_of(capture)
    except Unsupported as e:
        print(f"skip {os.path.basename(capture)}: {e}")
        return 0
    except (ValueError, dpkt.NeedData, dpkt.UnpackError) as e:
        print(f"skip {os.path.basename(capture)}: dpkt cannot read it ({e})")
        return 0
    with open(out, newline="") as f:
        ours = list(csv.DictReader(f)) if os.path.getsize(out) else []
    by_key = {}
    for row in ours:
        by_key.setdefault((row["src_ip"], row["dst_ip"], row["src_port"], row["dst_port"], row["protocol"],
                           row["timestamp"]), []).append(row)
    bad = missing = compared = 0
    for flow in flows:
        ref = row_of(flow)
        ref["src_ip"], ref["dst_ip"] = ip_text(ref["src_ip"]), ip_text(ref["dst_ip"])
        k = tuple(str(ref[n]) for n in ("src_ip", "dst_ip", "src_port", "dst_port", "protocol", "timestamp"))
        rows = by_key.get(k)
        if not rows:
            missing += 1
            if verbose:
                print(f"  {os.path.basename(capture)}: no row of ours for {k}")
            continue
        compared += 1
        diffs = [n for n in ref if n != "timestamp" and not agree(ref[n], rows[0][n])]
        totals["cells"] += len(ref)
        totals["cells_ok"] += len(ref) - len(diffs)
        if diffs:
            bad += 1
            if verbose or bad <= 3:
                print(f"  {os.path.basename(capture)} {k}: " +
                      ", ".join(f"{n} ref {ref[n]!r} ours {rows[0][n]!r}" for n in diffs[:6]))
    totals["flows"] += compared
    totals["missing"] += missing
    failed = bad > 0 or (missing > 0 and not allow_missing)
    print(f"{'FAIL' if failed else 'ok':4} {os.path.basename(capture)}: {compared - bad}/{compared} flows agree"
          + (f", {missing} of the reference's flows not found" if missing else "")
          + (f", {skipped} packets not computed (ICMP, fragments...)" if skipped else ""))
    return 1 if failed else 0


def main(argv):
    verbose = "-v" in argv
    allow_missing = "--allow-missing" in argv
    args = [a for a in argv[1:] if not a.startswith("-")]
    if len(args) < 2:
        print(__doc__)
        return 2
    totals = {"flows": 0, "missing": 0, "cells": 0, "cells_ok": 0}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for capture in args[1:]:
            failed += check(args[0], capture, tmp, verbose, allow_missing, totals)
    print(f"cic reference: {totals['flows']} flows compared, cells agreeing {totals['cells_ok']}/{totals['cells']}, "
          f"{totals['missing']} reference flows not found")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
