#!/usr/bin/python3
"""Builds the protocol oracle corpus: packets made with scapy, dissected by tshark.

Writes test/fixtures/protocols/corpus/:
  corpus.pcap        the packets, LINKTYPE_RAW (101), one case per packet
  cases.json         the case names, in packet order
  tshark.json.gz     tshark's PDML reduced to the fields we compare: per packet, a list of
                     [name, show, pos, size] (ip.*, udp.*, tcp.*, icmp.*, dns.*, data.*, expert info)
  protocol-column.json  tshark's Protocol column per packet (what its packet list names it by)
  ethernet.pcap      a few packets with Ethernet framing (LINKTYPE_ETHERNET): ARP, VLAN tags
  nanosecond.pcap    the first packets of corpus.pcap with the nanosecond magic, by editcap
  big-endian.pcap    the same packets, big-endian; linktype-ipv4.pcap: LINKTYPE_IPV4 (228)
  corpus.pcapng      corpus.pcap as pcapng, by editcap (our reader must refuse it clearly)

Run (needs python3-scapy and tshark):  /usr/bin/python3 scripts/make-protocol-corpus.py
"""
import gzip
import json
import os
import struct
import subprocess
import xml.etree.ElementTree as ET

from scapy.all import (ARP, DNS, DNSQR, DNSRR, ICMP, IP, UDP, Dot1Q, Ether, IPOption_NOP,
                       IPOption_Router_Alert, IPOption_RR, Raw, fragment, wrpcap)
from scapy.layers.dns import dns_compress

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "protocols", "corpus")
LEARNER, NS, ALICE, ROUTER = "10.0.0.2", "10.0.0.53", "10.0.1.7", "10.0.0.1"


def ip(**kw):
    kw.setdefault("src", LEARNER)
    kw.setdefault("dst", NS)
    kw.setdefault("id", 0x1c46)
    return IP(**kw)


def raw_ip(packet, **patch):
    """Bytes of a built packet with some bytes overwritten: {offset: bytes}."""
    data = bytearray(bytes(packet))
    for offset, value in patch.items():
        data[int(offset):int(offset) + len(value)] = value
    return bytes(data)


def cases():
    query = DNS(id=0xbeef, rd=1, qd=DNSQR(qname="alice.example", qtype="A"))
    answer = DNS(id=0xbeef, qr=1, aa=1, rd=1, ra=1, qd=DNSQR(qname="alice.example"),
                 an=DNSRR(rrname="alice.example", type="A", ttl=300, rdata=ALICE))
    yield "udp-text", ip(dst=ALICE)/UDP(sport=49152, dport=1000)/b"Hello, Alice!"
    yield "udp-binary", ip(dst=ALICE, tos=0xb8)/UDP(sport=49152, dport=1000)/bytes(range(0, 40, 3))
    yield "udp-empty", ip(dst=ALICE, flags="DF")/UDP(sport=5000, dport=1000)
    yield "udp-no-checksum", ip(dst=ALICE)/UDP(sport=5000, dport=1000, chksum=0)/b"no sum"
    yield "udp-bad-checksum", ip(dst=ALICE)/UDP(sport=5000, dport=1000, chksum=0x1234)/b"bad sum"
    yield "ip-bad-checksum", ip(dst=ALICE, chksum=0xbeef)/UDP(sport=5000, dport=1000)/b"x"
    yield "ip-ttl1-ecn-reserved", ip(dst=ALICE, ttl=1, tos=0x03, flags="evil")/UDP(sport=1, dport=2)/b"ttl"
    yield "ip-option-rr", ip(options=[IPOption_RR(routers=[ROUTER])])/UDP(sport=40000, dport=1000)/b"rr"
    yield "ip-option-nop-ra", ip(options=[IPOption_NOP(), IPOption_Router_Alert()])/UDP(sport=40000, dport=1000)/b"ra"
    yield "dns-query", ip(flags="DF")/UDP(sport=40000, dport=53)/query
    yield "dns-answer", IP(src=NS, dst=LEARNER, id=7)/UDP(sport=53, dport=40000)/answer
    compressed = dns_compress(DNS(id=0x0102, qr=1, rd=1, ra=1, qd=DNSQR(qname="www.alice.example"),
                                  an=DNSRR(rrname="www.alice.example", type="CNAME", ttl=60, rdata="alice.example")
                                  / DNSRR(rrname="alice.example", type="A", ttl=60, rdata=ALICE)
                                  / DNSRR(rrname="alice.example", type="A", ttl=60, rdata="10.0.1.8")))
    yield "dns-compressed-cname", IP(src=NS, dst=LEARNER)/UDP(sport=53, dport=40001)/compressed
    yield "dns-nxdomain", IP(src=NS, dst=LEARNER)/UDP(sport=53, dport=40002)/DNS(
        id=3, qr=1, rd=1, ra=1, rcode=3, qd=DNSQR(qname="bob.example"),
        ns=DNSRR(rrname="example", type="NS", ttl=3600, rdata="ns.example"))
    yield "dns-aaaa-txt", IP(src=NS, dst=LEARNER)/UDP(sport=53, dport=40003)/DNS(
        id=4, qr=1, qd=DNSQR(qname="alice.example", qtype="AAAA"),
        an=DNSRR(rrname="alice.example", type="AAAA", ttl=5, rdata="2001:db8::7"),
        ar=DNSRR(rrname="alice.example", type="TXT", ttl=5, rdata=[b"hello", b"world"]))
    # A name whose pointer points at itself: a decoder without loop protection never returns.
    loop = bytes.fromhex("0005010000010000000000000c00c000010001".replace("0c00c0", "c00c"))
    yield "dns-pointer-loop", ip()/UDP(sport=40000, dport=53)/Raw(loop)
    yield "dns-truncated-record", IP(src=NS, dst=LEARNER)/UDP(sport=53, dport=40000)/Raw(bytes(answer)[:-3])
    yield "name-lookup-request", ip()/UDP(sport=49152, dport=53)/b"alice.example"
    yield "name-lookup-answer", IP(src=NS, dst=LEARNER)/UDP(sport=53, dport=49152)/bytes([10, 0, 1, 7])
    big = ip(dst=ALICE, id=0x2222)/UDP(sport=49152, dport=1000)/(b"photo-bytes " * 100)
    for i, frag in enumerate(fragment(big, fragsize=512)):
        yield f"fragment-{i + 1}", frag
    yield "icmp-echo-request", ip(dst=ALICE)/ICMP(type=8, id=0x4242, seq=1)/b"ping"
    yield "icmp-echo-reply", IP(src=ALICE, dst=LEARNER)/ICMP(type=0, id=0x4242, seq=1)/b"ping"
    original = ip(dst=ALICE)/UDP(sport=49152, dport=999)/b"anyone there?"
    yield "icmp-port-unreachable", IP(src=ALICE, dst=LEARNER)/ICMP(type=3, code=3)/bytes(original)[:28]
    big_df = ip(dst=ALICE, flags="DF")/UDP(sport=49152, dport=1000)/(b"x" * 1400)
    yield "icmp-frag-needed", IP(src=ROUTER, dst=LEARNER)/ICMP(type=3, code=4, nexthopmtu=576)/bytes(big_df)[:28]
    yield "icmp-time-exceeded", IP(src=ROUTER, dst=LEARNER)/ICMP(type=11, code=0)/bytes(ip(dst=ALICE, ttl=1)/UDP(sport=3, dport=4)/b"hop")[:28]
    yield "icmp-bad-checksum", ip(dst=ALICE)/ICMP(type=8, id=1, seq=2, chksum=0x0bad)/b"ping"
    # Malformed headers: the bytes say more than is there, or less than is possible.
    ok = bytes(ip(dst=ALICE)/UDP(sport=5000, dport=1000)/b"abcd")
    yield "ip-total-length-too-big", raw_ip(ok, **{"2": b"\x00\x3c"})
    yield "ip-ihl-below-5", raw_ip(ok, **{"0": b"\x44"})
    yield "ip-ihl-beyond-data", raw_ip(ok[:20], **{"0": b"\x4f"})
    yield "udp-length-too-big", ip(dst=ALICE)/UDP(sport=5000, dport=1000, len=30)/b"abcd"
    yield "udp-length-below-8", ip(dst=ALICE)/UDP(sport=5000, dport=1000, len=5)/b"abcd"
    yield "ip-truncated-12", ok[:12]
    yield "udp-truncated-header", raw_ip(ok[:24], **{"2": b"\x00\x18"})
    yield "ip-trailing-bytes", ok + b"\x00\x00\x00\x00"
    yield from more_cases()


# ---- Hand-built packets, for what scapy would "fix" (lengths, checksums, option layouts) ----

def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def addr(text):
    return bytes(int(x) for x in text.split("."))


def ipv4(payload=b"", proto=17, src=LEARNER, dst=ALICE, ttl=64, tos=0, ident=0x1c46, flags=0,
         frag=0, options=b"", ihl=None, total=None, chksum=None, version=4):
    """An IPv4 packet byte by byte; flags: 4 reserved, 2 DF, 1 MF; frag in 8-byte units."""
    options += b"\x00" * (-len(options) % 4)
    ihl = (20 + len(options)) // 4 if ihl is None else ihl
    total = 20 + len(options) + len(payload) if total is None else total
    header = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl, tos, total, ident,
                         (flags << 13) | frag, ttl, proto, 0, addr(src), addr(dst)) + options
    value = checksum(header) if chksum is None else chksum
    return header[:10] + struct.pack("!H", value) + header[12:] + payload


def udp(sport, dport, data=b"", src=LEARNER, dst=ALICE, length=None, chksum=None):
    length = 8 + len(data) if length is None else length
    datagram = struct.pack("!HHHH", sport, dport, length, 0) + data
    if chksum is None:
        pseudo = addr(src) + addr(dst) + struct.pack("!BBH", 0, 17, length)
        chksum = checksum(pseudo + datagram) or 0xffff
    return datagram[:6] + struct.pack("!H", chksum) + datagram[8:]


def ip_udp(sport, dport, data=b"", src=LEARNER, dst=ALICE, ulen=None, uchk=None, **kw):
    return ipv4(udp(sport, dport, data, src, dst, ulen, uchk), src=src, dst=dst, **kw)


def icmp(type_, code, rest=b"\x00\x00\x00\x00", data=b"", chksum=None):
    message = struct.pack("!BBH", type_, code, 0) + rest + data
    value = checksum(message) if chksum is None else chksum
    return message[:2] + struct.pack("!H", value) + message[4:]


def ip_icmp(message, src=ROUTER, dst=LEARNER, **kw):
    return ipv4(message, proto=1, src=src, dst=dst, **kw)


def name(text):
    if text in ("", "."):
        return b"\x00"
    return b"".join(bytes([len(label)]) + label for label in
                    (l.encode("latin-1") if isinstance(l, str) else l for l in text.split("."))) + b"\x00"


def question(qname, qtype=1, qclass=1):
    return (qname if isinstance(qname, bytes) else name(qname)) + struct.pack("!HH", qtype, qclass)


def rr(owner, rtype, rdata, ttl=300, rclass=1):
    owner = owner if isinstance(owner, bytes) else name(owner)
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


DNS_IDS = iter(range(0x4200, 0x4300))


def dns(ident=None, flags=0x0100, qd=(), an=(), ns=(), ar=(), counts=None):
    # A fresh id per message: tshark would take repeats for retransmissions and warn.
    ident = next(DNS_IDS) if ident is None else ident
    counts = counts or (len(qd), len(an), len(ns), len(ar))
    return struct.pack("!HHHHHH", ident, flags, *counts) + b"".join([*qd, *an, *ns, *ar])


def dns_query(message, sport=40000, dport=53):
    return ip_udp(sport, dport, message, dst=NS)


def dns_answer(message, sport=53, dport=40000):
    return ip_udp(sport, dport, message, src=NS, dst=LEARNER)


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


def more_cases():
    data = b"opt"
    # IPv4 options (RFC 791 §3.1, RFC 2113 Router Alert, RFC 1108 Security, RFC 1393 Traceroute).
    def opt(o, **kw):
        return ip_udp(40000, 1000, data, options=o, **kw)
    yield "opt-eol-only", opt(b"\x00\x00\x00\x00")
    yield "opt-nop-nop-nop-eol", opt(b"\x01\x01\x01\x00")
    yield "opt-eol-then-bytes", opt(b"\x00\x07\x03\x04")
    yield "opt-rr-empty", opt(b"\x07\x0b\x04" + b"\x00" * 8)
    yield "opt-rr-full", opt(b"\x07\x0b\x0c" + addr(ROUTER) + addr("10.0.0.9"))
    yield "opt-rr-pointer-3", opt(b"\x07\x07\x03" + addr(ROUTER))
    yield "opt-rr-pointer-odd", opt(b"\x07\x0b\x06" + addr(ROUTER) + b"\x00" * 4)
    yield "opt-rr-ihl15", opt(b"\x07\x27\x04" + b"\x00" * 36)
    yield "opt-ts-flag0", opt(b"\x44\x0c\x09\x00" + struct.pack("!II", 123456, 0))
    yield "opt-ts-flag1", opt(b"\x44\x0c\x0d\x01" + addr(ROUTER) + struct.pack("!I", 654321))
    yield "opt-ts-flag3", opt(b"\x44\x0c\x05\x03" + addr(ROUTER) + struct.pack("!I", 0))
    yield "opt-ts-overflow", opt(b"\x44\x08\x09\xf0" + struct.pack("!I", 1))
    yield "opt-lsrr", opt(b"\x83\x0b\x04" + addr(ROUTER) + addr("10.0.0.9") + b"\x00")
    yield "opt-ssrr", opt(b"\x89\x07\x08" + addr(ROUTER) + b"\x00")
    yield "opt-router-alert", opt(b"\x94\x04\x00\x00")
    yield "opt-router-alert-nonzero", opt(b"\x94\x04\x00\x01")
    yield "opt-security", opt(b"\x82\x0b" + b"\x00" * 9 + b"\x00")
    yield "opt-cipso", opt(b"\x86\x0a\x00\x00\x00\x03\x01\x04\x00\x05\x00\x00")
    yield "opt-stream-id", opt(b"\x88\x04\x12\x34")
    yield "opt-unknown-158", opt(b"\x9e\x04\xab\xcd")
    yield "opt-length-0", opt(b"\x07\x00\x00\x00")
    yield "opt-length-1", opt(b"\x44\x01\x00\x00")
    yield "opt-too-long", opt(b"\x07\x28\x04\x00")
    yield "opt-past-ihl", opt(b"\x01\x07\x0b\x04" + b"\x00" * 4)
    # The rest of the IPv4 header.
    for tos in (0x01, 0x02, 0x03, 0x2e << 2, 0xfd):
        yield f"ip-tos-{tos:02x}", ip_udp(5000, 1000, b"tos", tos=tos)
    yield "ip-df-mf", ip_udp(5000, 1000, b"both", flags=3)
    yield "ip-ttl-0", ip_udp(5000, 1000, b"ttl", ttl=0)
    yield "ip-ttl-255", ip_udp(5000, 1000, b"ttl", ttl=255)
    tcp = struct.pack("!HHIIBBHHH", 49152, 80, 1, 0, 0x50, 0x02, 8192, 0, 0)
    yield "ip-tcp-syn", ipv4(tcp, proto=6)
    yield "ip-proto-253", ipv4(b"experiment", proto=253)
    yield "ip-proto-gre-empty", ipv4(b"", proto=47)
    yield "ip-total-length-below-ihl", ipv4(udp(5000, 1000, b"x"), total=10)
    yield "ip-checksum-0000", ip_udp(5000, 1000, b"zero", chksum=0)
    yield "ip-checksum-ffff", ip_udp(5000, 1000, b"ones", chksum=0xffff)
    yield "ip-exactly-20-bytes-udp", ipv4(b"")
    yield "ip-exactly-20-bytes-253", ipv4(b"", proto=253)
    yield "ip-version-5", ip_udp(5000, 1000, b"v5", version=5)
    yield "ip-truncated-19", ip_udp(5000, 1000, b"x")[:19]
    yield "ip-truncated-1", b"\x45"
    # Fragments, each dissected on its own (no reassembly).
    first = udp(49152, 1000, b"A" * 24, length=8 + 48)
    yield "frag-first-udp", ipv4(first, flags=1, ident=0x3333)
    yield "frag-middle", ipv4(b"B" * 16, flags=1, frag=4, ident=0x3333)
    yield "frag-last", ipv4(b"C" * 8, frag=6, ident=0x3333)
    yield "frag-offset-only", ipv4(b"D" * 5, frag=100, ident=0x3334)
    for n in (1, 4, 7):
        yield f"frag-first-tiny-{n}", ipv4(udp(49152, 1000, b"E" * 16)[:n], flags=1, ident=0x3335)
    yield "frag-overlapping", ipv4(b"F" * 16, flags=1, frag=1, ident=0x3333)
    yield "frag-df-mf-offset", ipv4(b"G" * 8, flags=3, frag=2)
    yield "frag-max-offset", ipv4(b"H" * 8, frag=0x1fff)
    yield "frag-icmp-first", ipv4(icmp(8, 0, b"\x00\x01\x00\x01", b"I" * 8), proto=1, flags=1)
    yield "frag-dns-last", ipv4(b"J" * 8, frag=3, src=NS, dst=LEARNER)
    # UDP.
    for length in (0, 1, 7):
        yield f"udp-length-{length}", ip_udp(5000, 1000, b"abcd", ulen=length)
    yield "udp-length-smaller", ip_udp(5000, 1000, b"0123456789", ulen=12)
    yield "udp-checksum-ffff-valid", ip_udp(5000, 1000, zero_sum_payload(5000, 1000))
    yield "udp-checksum-ffff-wrong", ip_udp(5000, 1000, b"not zero", uchk=0xffff)
    yield "udp-port-0", ip_udp(0, 0, b"zero ports")
    yield "udp-port-65535", ip_udp(65535, 65535, b"\xff\xff")
    yield "udp-53-three-bytes", dns_query(b"\x01\x02\x03")
    yield "udp-53-binary-20", dns_query(bytes(range(200, 220)))
    yield "udp-53-text", dns_query(b"hello, this is not dns at all")
    yield "udp-53-zero-header", dns_query(b"\x00" * 12)
    yield "udp-53-empty", dns_query(b"")
    yield "udp-53-both-ports", ip_udp(53, 53, b"\x00\x07\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    yield "dns-on-port-5300", ip_udp(40000, 5300, dns(qd=[question("alice.example")]), dst=NS)
    yield "udp-in-icmp-with-dns", ip_icmp(icmp(3, 3, data=dns_query(dns(qd=[question("alice.example")]))), src=NS)
    # DNS.
    yield "dns-two-questions", dns_query(dns(qd=[question("alice.example"), question("bob.example", 28)]))
    yield "dns-class-ch", dns_query(dns(qd=[question("version.bind", 16, 3)]))
    yield "dns-class-any", dns_query(dns(qd=[question("alice.example", 255, 255)]))
    yield "dns-root-query", dns_query(dns(qd=[question("", 2)]))
    a_rr = rr(b"\xc0\x0c", 1, addr(ALICE))
    q = [question("alice.example")]
    yield "dns-mx", dns_answer(dns(flags=0x8180, qd=[question("example", 15)],
                                   an=[rr(b"\xc0\x0c", 15, struct.pack("!H", 10) + name("mail.example")),
                                       rr(b"\xc0\x0c", 15, struct.pack("!H", 20) + b"\x04mail\x00" )]))
    yield "dns-ns-soa", dns_answer(dns(flags=0x8583, qd=[question("nope.example")],
                                       ns=[rr(name("example"), 6, name("ns.example") + name("admin.example")
                                              + struct.pack("!IIIII", 2024010101, 3600, 600, 86400, 60), ttl=60)]))
    yield "dns-ptr", dns_answer(dns(flags=0x8180, qd=[question("7.1.0.10.in-addr.arpa", 12)],
                                    an=[rr(b"\xc0\x0c", 12, name("alice.example"))]))
    yield "dns-srv", dns_answer(dns(flags=0x8180, qd=[question("_chat._udp.example", 33)],
                                    an=[rr(b"\xc0\x0c", 33, struct.pack("!HHH", 10, 5, 1000) + name("alice.example"))]))
    yield "dns-txt-empty-and-many", dns_answer(dns(flags=0x8180, qd=[question("alice.example", 16)],
                                                   an=[rr(b"\xc0\x0c", 16, txt(b"", b"a", b"b c")),
                                                       rr(b"\xc0\x0c", 16, txt(b""))]))
    yield "dns-opt-query", dns_query(dns(qd=q, ar=[rr(b"\x00", 41, b"", ttl=0x00008000, rclass=1232)]))
    yield "dns-opt-with-option", dns_answer(dns(flags=0x8180, qd=q, an=[a_rr],
                                                ar=[rr(b"\x00", 41, struct.pack("!HH", 10, 8) + b"\x01" * 8, ttl=0, rclass=4096)]))
    yield "dns-unknown-type", dns_answer(dns(flags=0x8180, qd=[question("alice.example", 999)],
                                             an=[rr(b"\xc0\x0c", 999, b"\xde\xad\xbe\xef")]))
    yield "dns-a-wrong-length", dns_answer(dns(flags=0x8180, qd=q, an=[rr(b"\xc0\x0c", 1, b"\x0a\x00\x01")]))
    yield "dns-cname-chain-pointer-to-pointer", dns_answer(dns(
        flags=0x8180, qd=[question("www.alice.example")],
        an=[rr(b"\xc0\x0c", 5, b"\x03web\xc0\x10"), rr(b"\xc0\x2f", 1, addr(ALICE))]))
    yield "dns-pointer-mid-label", dns_answer(dns(flags=0x8180, qd=q, an=[rr(b"\xc0\x0e", 1, addr(ALICE))]))
    yield "dns-pointer-forward", dns_answer(dns(flags=0x8180, qd=[b"\xc0\x12\x00\x01\x00\x01" + name("alice.example")],
                                                counts=(1, 0, 0, 0)))
    yield "dns-pointer-beyond-end", dns_query(dns(qd=[b"\xc0\xff\x00\x01\x00\x01"]))
    yield "dns-pointer-two-loop", dns_query(dns(qd=[b"\x01a\xc0\x0e\x00\x01\x00\x01"], counts=(1, 0, 0, 0)))
    yield "dns-label-63", dns_query(dns(qd=[question("a" * 63 + ".example")]))
    long_name = ".".join(["b" * 63] * 3 + ["c" * 61])  # 255 bytes on the wire
    yield "dns-name-255", dns_query(dns(qd=[question(long_name)]))
    yield "dns-name-256", dns_query(dns(qd=[question(".".join(["b" * 63] * 3 + ["c" * 62]))]))
    yield "dns-label-64-type", dns_query(dns(qd=[b"\x40" + b"x" * 64 + b"\x00\x00\x01\x00\x01"]))
    yield "dns-label-escapes", dns_query(dns(qd=[b"\x03a.b\x03c d\x02\xe9\xff\x02\\\"\x00\x00\x01\x00\x01"]))
    for rcode in range(1, 6):
        yield f"dns-rcode-{rcode}", dns_answer(dns(flags=0x8180 | rcode, qd=q))
    yield "dns-flags-tc-aa-ra-ad-cd", dns_answer(dns(flags=0x8000 | 0x0400 | 0x0200 | 0x0080 | 0x0020 | 0x0010, qd=q))
    yield "dns-flags-z-opcode-2", dns_query(dns(flags=0x1040, qd=q))
    full = dns(flags=0x8180, qd=q, an=[a_rr], ns=[rr(name("example"), 2, name("ns.example"))],
               ar=[rr(name("ns.example"), 1, addr(NS))])
    qend = 12 + len(q[0])
    aend = qend + len(a_rr)
    nsend = aend + len(rr(name("example"), 2, name("ns.example")))
    for label, cut in (("header", 12), ("question", qend), ("answer", aend), ("authority", nsend),
                       ("mid-header", 7), ("mid-question", qend - 3), ("mid-answer", aend - 2)):
        yield f"dns-cut-{label}", dns_answer(full[:cut])
    yield "dns-qdcount-lies", dns_query(dns(qd=q, counts=(3, 0, 0, 0)))
    yield "dns-trailing-bytes", dns_query(dns(qd=q) + b"\x00\x00")
    # ICMP.
    original = bytes(ip_udp(49152, 999, b"anyone there?"))
    for code in range(16):
        yield f"icmp-unreachable-{code}", ip_icmp(icmp(3, code, data=original[:28]))
    yield "icmp-time-exceeded-reassembly", ip_icmp(icmp(11, 1, data=original[:28]))
    yield "icmp-parameter-problem", ip_icmp(icmp(12, 0, b"\x14\x00\x00\x00", original[:28]))
    yield "icmp-redirect", ip_icmp(icmp(5, 1, addr("10.0.0.254"), original[:28]))
    yield "icmp-source-quench", ip_icmp(icmp(4, 0, data=original[:28]))
    yield "icmp-timestamp", ip_icmp(icmp(13, 0, b"\x00\x07\x00\x01", struct.pack("!III", 1000, 0, 0)), src=LEARNER, dst=ALICE)
    yield "icmp-timestamp-reply", ip_icmp(icmp(14, 0, b"\x00\x07\x00\x01", struct.pack("!III", 1000, 1001, 1002)), src=ALICE)
    yield "icmp-echo-empty", ip_icmp(icmp(8, 0, b"\x12\x34\x00\x09"), src=LEARNER, dst=ALICE)
    yield "icmp-echo-odd-data", ip_icmp(icmp(0, 0, b"\x12\x34\x00\x09", b"abc"), src=ALICE)
    yield "icmp-unknown-type", ip_icmp(icmp(99, 7, b"\x01\x02\x03\x04", b"xx"))
    yield "icmp-quote-truncated-12", ip_icmp(icmp(3, 3, data=original[:12]))
    yield "icmp-quote-header-only", ip_icmp(icmp(3, 1, data=original[:20]))
    yield "icmp-quote-with-options", ip_icmp(icmp(11, 0, data=opt(b"\x94\x04\x00\x00")[:32]))
    yield "icmp-truncated-header", ip_icmp(icmp(8, 0)[:5])
    yield "icmp-frag-needed-mtu-0", ip_icmp(icmp(3, 4, data=original[:28]))
    yield from tcp_cases()


def tcp(sport, dport, seq=0, ack=0, flags=0x010, win=65535, opts=b"", data=b"", src=LEARNER,
        dst=ALICE, chksum=None, offset=None, urg=0):
    """A TCP segment byte by byte (RFC 9293 §3.1); flags is the 12-bit field after the offset."""
    opts += b"\x00" * (-len(opts) % 4)
    offset = (20 + len(opts)) // 4 if offset is None else offset
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (offset << 4) | (flags >> 8),
                          flags & 0xff, win, 0, urg) + opts + data
    if chksum is None:
        pseudo = addr(src) + addr(dst) + struct.pack("!BBH", 0, 6, len(segment))
        chksum = checksum(pseudo + segment)
    return segment[:16] + struct.pack("!H", chksum) + segment[18:]


def ip_tcp(sport, dport, src=LEARNER, dst=ALICE, ip_kw=None, **kw):
    return ipv4(tcp(sport, dport, src=src, dst=dst, **kw), proto=6, src=src, dst=dst, **(ip_kw or {}))


FIN, SYN, RST, PSH, ACK, URG = 0x001, 0x002, 0x004, 0x008, 0x010, 0x020
MSS = b"\x02\x04\x05\xb4"
SACK_PERM = b"\x04\x02"
NOP = b"\x01"


def ts(value, echo):
    return b"\x08\x0a" + struct.pack("!II", value, echo)


def wscale(shift):
    return b"\x03\x03" + bytes([shift])


def sack(*blocks):
    return bytes([5, 2 + 8 * len(blocks)]) + b"".join(struct.pack("!II", l, r) for l, r in blocks)


def tcp_cases():
    # A whole conversation: handshake with options, an HTTP request, a response whose second
    # segment is lost (three duplicate ACKs with SACK, a fast retransmission), then FIN both ways.
    c, s = dict(src=LEARNER, dst=ALICE), dict(src=ALICE, dst=LEARNER)
    cp, sp = 49200, 80
    ci, si = 1000, 4000
    yield "tcp-syn-options", ip_tcp(cp, sp, seq=ci, flags=SYN, win=64240,
                                    opts=MSS + SACK_PERM + ts(100, 0) + NOP + wscale(7), **c)
    yield "tcp-syn-ack-options", ip_tcp(sp, cp, seq=si, ack=ci + 1, flags=SYN | ACK, win=65160,
                                        opts=MSS + SACK_PERM + ts(500, 100) + NOP + wscale(2), **s)
    yield "tcp-handshake-ack", ip_tcp(cp, sp, seq=ci + 1, ack=si + 1, win=502,
                                      opts=NOP + NOP + ts(101, 500), **c)
    request = b"GET / HTTP/1.1\r\nHost: www\r\n\r\n"
    yield "tcp-http-request", ip_tcp(cp, sp, seq=ci + 1, ack=si + 1, flags=PSH | ACK, win=502,
                                     opts=NOP + NOP + ts(102, 500), data=request, **c)
    after = ci + 1 + len(request)
    yield "tcp-ack-request", ip_tcp(sp, cp, seq=si + 1, ack=after, win=509,
                                    opts=NOP + NOP + ts(501, 102), **s)
    body = [bytes([65 + i]) * 100 for i in range(5)]
    seq = si + 1
    starts = []
    for i, part in enumerate(body):
        starts.append(seq)
        if i != 1:  # segment 2 is lost on the way
            yield f"tcp-data-{i + 1}", ip_tcp(sp, cp, seq=seq, ack=after, flags=PSH | ACK, win=509,
                                              opts=NOP + NOP + ts(502 + i, 102), data=part, **s)
        if i == 0:
            yield "tcp-ack-data-1", ip_tcp(cp, sp, seq=after, ack=seq + 100, win=502,
                                           opts=NOP + NOP + ts(103, 502), **c)
        if i >= 2:
            yield f"tcp-dup-ack-{i - 1}", ip_tcp(cp, sp, seq=after, ack=starts[1], win=502,
                                                 opts=NOP + NOP + ts(103 + i, 502 + i)
                                                 + NOP + NOP + sack((starts[2], seq + 100)), **c)
        seq += 100
    yield "tcp-fast-retransmission", ip_tcp(sp, cp, seq=starts[1], ack=after, flags=PSH | ACK,
                                            win=509, opts=NOP + NOP + ts(510, 107), data=body[1], **s)
    end = seq
    yield "tcp-ack-all", ip_tcp(cp, sp, seq=after, ack=end, win=502, opts=NOP + NOP + ts(108, 510), **c)
    yield "tcp-fin-server", ip_tcp(sp, cp, seq=end, ack=after, flags=FIN | ACK, win=509, **s)
    yield "tcp-fin-client", ip_tcp(cp, sp, seq=after, ack=end + 1, flags=FIN | ACK, win=502, **c)
    yield "tcp-last-ack", ip_tcp(sp, cp, seq=end + 1, ack=after + 1, win=509, **s)
    # Joined mid-conversation (no SYN seen): relative numbers start at 1, the scale is unknown.
    m = dict(src=LEARNER, dst=ALICE)
    yield "tcp-mid-stream-data", ip_tcp(50000, 1000, seq=123456789, ack=987654321, flags=PSH | ACK,
                                        data=b"Hello, Alice!", **m)
    yield "tcp-mid-stream-reply", ip_tcp(1000, 50000, seq=987654321, ack=123456802, src=ALICE, dst=LEARNER)
    # A refused connection: RST+ACK from a closed port (RFC 9293 §3.10.7.1).
    yield "tcp-syn-closed-port", ip_tcp(50001, 8081, seq=77, flags=SYN, opts=MSS, **m)
    yield "tcp-rst-ack-closed-port", ip_tcp(8081, 50001, seq=0, ack=78, flags=RST | ACK, win=0,
                                            src=ALICE, dst=LEARNER)
    # Window scale offered by one side only: RFC 7323 §1.3 says nobody scales.
    yield "tcp-syn-wscale-only-client", ip_tcp(50002, 8082, seq=10, flags=SYN, opts=MSS + NOP + wscale(5), **m)
    yield "tcp-syn-ack-no-wscale", ip_tcp(8082, 50002, seq=20, ack=11, flags=SYN | ACK, opts=MSS,
                                          src=ALICE, dst=LEARNER)
    yield "tcp-ack-unscaled", ip_tcp(50002, 8082, seq=11, ack=21, win=1000, **m)
    # Checksums.
    yield "tcp-bad-checksum", ip_tcp(50003, 8083, seq=1, flags=SYN, chksum=0x1234, **m)
    yield "tcp-checksum-0000", ip_tcp(50003, 8084, seq=1, flags=SYN, chksum=0, **m)
    yield "tcp-checksum-ffff", ip_tcp(50003, 8085, seq=1, flags=SYN, chksum=0xffff, **m)
    yield "tcp-odd-payload", ip_tcp(50004, 8086, seq=5, ack=6, flags=PSH | ACK, data=b"odd", **m)
    # Flags.
    yield "tcp-all-flags", ip_tcp(50005, 8087, seq=9, ack=10, flags=0x1ff, urg=3, **m)
    yield "tcp-reserved-bits", ip_tcp(50006, 8088, seq=9, ack=10, flags=0xe10, **m)
    yield "tcp-no-flags", ip_tcp(50007, 8089, seq=9, ack=10, flags=0, **m)
    yield "tcp-rst-only", ip_tcp(50008, 8090, seq=9, flags=RST, **m)
    yield "tcp-ack-clear-ack-number", ip_tcp(50009, 8091, seq=9, ack=12345, flags=PSH, data=b"x", **m)
    # Options, one at a time and malformed.
    def opt(name, o, **kw):
        return f"tcp-opt-{name}", ip_tcp(50010, 8092, seq=100, ack=200, opts=o, **m, **kw)
    yield opt("nop-eol", NOP + b"\x00\x00\x00")
    yield opt("eol-then-bytes", b"\x00\x02\x04\x05")
    yield opt("mss-on-data", MSS)
    yield opt("mss-length-5", b"\x02\x05\x05\xb4\x00\x00\x00\x00")
    yield opt("sack-two-blocks", NOP + NOP + sack((300, 400), (500, 600)))
    yield opt("sack-length-6", NOP + NOP + b"\x05\x06\x00\x00\x01\x00")
    yield opt("timestamps", NOP + NOP + ts(0xfffffff0, 7))
    yield opt("unknown-99", b"\x63\x04\xab\xcd")
    yield opt("experimental-253", b"\xfd\x04\xab\xcd")
    yield opt("length-0", b"\x02\x00\x00\x00")
    yield opt("length-1", b"\x08\x01\x00\x00")
    yield opt("past-header", b"\x08\x0a\x00\x00")
    yield opt("wscale-15", NOP + wscale(15))
    yield opt("40-bytes", NOP * 36 + MSS, flags=SYN)
    # Truncations and impossible header lengths.
    whole = ip_tcp(50011, 8093, seq=1, ack=2, data=b"cut", **m)
    yield "tcp-truncated-10", ipv4(tcp(50011, 8093, seq=1, **m)[:10], proto=6)
    yield "tcp-truncated-19", ipv4(tcp(50011, 8093, seq=1, **m)[:19], proto=6)
    yield "tcp-captured-short", whole[:30]
    yield "tcp-offset-4", ip_tcp(50012, 8094, seq=1, ack=2, offset=4, **m)
    yield "tcp-offset-15-short", ip_tcp(50013, 8095, seq=1, ack=2, offset=15, **m)
    yield "tcp-offset-6-no-options", ip_tcp(50014, 8096, seq=1, ack=2, offset=6, data=b"abcd", **m)
    # Inside other packets.
    yield "tcp-first-fragment", ipv4(tcp(50015, 8097, seq=1, ack=2, data=b"F" * 40, **m)[:32],
                                     proto=6, flags=1, ident=0x4444)
    quoted = ip_tcp(50016, 8098, seq=0x01020304, flags=SYN, **m)
    yield "tcp-in-icmp-unreachable", ip_icmp(icmp(3, 3, data=quoted[:28]), src=ALICE)
    # The simulated network's own TCP over a lossy link (scripts/make-tcp-engine-trace.ts):
    # its handshake, data, retransmissions, duplicate ACKs and FINs, in trace order.
    with open(os.path.join(OUT, "engine-conversation.hex")) as f:
        for i, line in enumerate(l for l in f.read().split() if l):
            yield f"engine-{i + 1:02d}", bytes.fromhex(line)


def zero_sum_payload(sport, dport):
    """A payload whose UDP checksum computes to zero, which RFC 768 sends as 0xffff."""
    head = b"sum!"
    datagram = struct.pack("!HHHH", sport, dport, 8 + len(head) + 2, 0) + head
    pseudo = addr(LEARNER) + addr(ALICE) + struct.pack("!BBH", 0, 17, 8 + len(head) + 2)
    partial = ~checksum(pseudo + datagram) & 0xffff  # the folded sum so far
    return head + struct.pack("!H", 0xffff - partial if partial != 0xffff else 0xffff)


def main():
    os.makedirs(OUT, exist_ok=True)
    names, packets = [], []
    for name, packet in cases():
        names.append(name)
        packets.append(bytes(packet))
    records = [Raw(p) for p in packets]
    for i, record in enumerate(records):
        record.time = 1700000000 + i / 1000
    corpus = os.path.join(OUT, "corpus.pcap")
    wrpcap(corpus, records, linktype=101)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(names, f, indent=0)
        f.write("\n")
    pdml = subprocess.run(
        ["tshark", "-r", corpus, "-T", "pdml",
         "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
         "-o", "tcp.check_checksum:TRUE", "-o", "ip.defragment:FALSE"],
        check=True, capture_output=True).stdout
    text = "[\n" + ",\n".join(json.dumps(p, separators=(",", ":")) for p in reduce_pdml(pdml)) + "\n]\n"
    # Gzipped (mtime 0, so the same input gives the same bytes): ~190 KB of JSON becomes ~11 KB.
    with open(os.path.join(OUT, "tshark.json.gz"), "wb") as f:
        f.write(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    write_protocol_column(corpus)
    mac = dict(src="02:00:00:00:00:02", dst="02:00:00:00:00:35")
    ether = [Ether(**mac)/IP(packets[i]) for i in (0, 9, 10)]
    ether.insert(1, Ether()/ARP(psrc=LEARNER, pdst=NS))
    # 802.1Q tagged, and double tagged (802.1ad outer tag, then 802.1Q).
    ether.append(Ether(**mac)/Dot1Q(vlan=5)/IP(packets[0]))
    ether.append(Ether(type=0x88a8, **mac)/Dot1Q(vlan=100, type=0x8100)/Dot1Q(vlan=5)/IP(packets[9]))
    ether.append(Ether(**mac)/Dot1Q(vlan=6)/ARP(psrc=LEARNER, pdst=NS))
    wrpcap(os.path.join(OUT, "ethernet.pcap"), ether)
    # The same first packets in the other pcap flavours: nanosecond times, big-endian, LINKTYPE_IPV4.
    head = os.path.join(OUT, "nanosecond.pcap")
    subprocess.run(["editcap", "-F", "nsecpcap", "-r", corpus, head, "1-5"], check=True)
    write_pcap(os.path.join(OUT, "big-endian.pcap"), packets[:5], 101, ">")
    write_pcap(os.path.join(OUT, "linktype-ipv4.pcap"), packets[:5], 228, "<")
    subprocess.run(["editcap", "-F", "pcapng", "-r", corpus, os.path.join(OUT, "corpus.pcapng"), "1-3"], check=True)


def write_protocol_column(corpus):
    """What Wireshark's packet list names each packet by (Dissection.topProtocol's oracle)."""
    column = subprocess.run(
        ["tshark", "-r", corpus, "-T", "fields", "-e", "_ws.col.Protocol",
         "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
         "-o", "tcp.check_checksum:TRUE", "-o", "ip.defragment:FALSE"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    with open(os.path.join(OUT, "protocol-column.json"), "w") as f:
        json.dump(column, f, indent=0)
        f.write("\n")


def write_pcap(path, packets, linktype, endian):
    """A classic pcap (microseconds) with the given byte order, times as in corpus.pcap."""
    with open(path, "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, packet in enumerate(packets):
            f.write(struct.pack(endian + "IIII", 1700000000, i * 1000, len(packet), len(packet)) + packet)

KEEP = ("ip.", "udp.", "tcp.", "icmp.", "dns.", "data.", "_ws.expert", "_ws.malformed")
# Aliases and bookkeeping that repeat another field; dropped to keep the fixture small.
DROP = {"ip.addr", "ip.host", "ip.src_host", "ip.dst_host", "udp.port", "udp.stream",
        "udp.time_relative", "udp.time_delta", "udp.payload", "dns.qry.name.len",
        "dns.count.labels", "icmp.data_time", "icmp.data_time_relative", "icmp.resp_in",
        "icmp.resp_to", "icmp.resptime", "icmp.ident_le", "icmp.seq_le", "dns.response_in",
        "dns.response_to", "dns.time", "_ws.expert.group", "_ws.expert.severity",
        "tcp.port", "tcp.stream", "tcp.completeness", "tcp.time_relative", "tcp.time_delta",
        "tcp.checksum_calculated", "tcp.segment_data", "tcp.flags.str"}

LONGEST_SHOW = 48


def reduce_pdml(pdml):
    root = ET.fromstring(pdml)
    for packet in root.iter("packet"):
        fields = []

        def walk(node):
            for child in node:
                name = child.get("name", "")
                # Wireshark's TCP analysis (retransmission, duplicate ACK, RTT…) is not ours.
                if name.startswith(("tcp.analysis", "tcp.connection")):
                    walk(child)
                    continue
                if child.tag == "field" and name.startswith(KEEP) and name not in DROP:
                    show = child.get("show")
                    if name == "_ws.expert":
                        show = child.get("showname")
                    elif show and len(show) > LONGEST_SHOW:
                        # Long byte strings repeat the packet; their start, position and size suffice.
                        show = show[:LONGEST_SHOW] + "…"
                    fields.append([name, show, int(child.get("pos", "0")), int(child.get("size", "0"))])
                walk(child)

        walk(packet)
        yield fields


if __name__ == "__main__":
    main()
