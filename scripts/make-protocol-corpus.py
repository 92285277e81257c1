#!/usr/bin/python3
"""Builds the protocol oracle corpus: packets made with scapy, dissected by tshark.

Writes test/fixtures/protocols/corpus/:
  corpus.pcap        the packets, LINKTYPE_RAW (101), one case per packet
  cases.json         the case names, in packet order
  tshark.json        tshark's PDML reduced to the fields we compare: per packet, a list of
                     [name, show, pos, size] (ip.*, udp.*, icmp.*, dns.*, data.*, expert info)
  ethernet.pcap      a few packets with Ethernet framing (LINKTYPE_ETHERNET), including ARP
  nanosecond.pcap    corpus.pcap rewritten with the nanosecond magic, by editcap
  corpus.pcapng      corpus.pcap as pcapng, by editcap (our reader must refuse it clearly)

Run (needs python3-scapy and tshark):  /usr/bin/python3 scripts/make-protocol-corpus.py
"""
import json
import os
import subprocess
import xml.etree.ElementTree as ET

from scapy.all import (ARP, DNS, DNSQR, DNSRR, ICMP, IP, UDP, Ether, IPOption_NOP,
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
         "-o", "ip.defragment:FALSE"],
        check=True, capture_output=True).stdout
    with open(os.path.join(OUT, "tshark.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(p, separators=(",", ":")) for p in reduce_pdml(pdml)) + "\n]\n")
    ether = [Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:35")/IP(packets[i]) for i in (0, 9, 10)]
    ether.insert(1, Ether()/ARP(psrc=LEARNER, pdst=NS))
    wrpcap(os.path.join(OUT, "ethernet.pcap"), ether)
    subprocess.run(["editcap", "-F", "nsecpcap", corpus, os.path.join(OUT, "nanosecond.pcap")], check=True)
    subprocess.run(["editcap", "-F", "pcapng", "-r", corpus, os.path.join(OUT, "corpus.pcapng"), "1-3"], check=True)


KEEP = ("ip.", "udp.", "icmp.", "dns.", "data.", "_ws.expert", "_ws.malformed")
# Aliases and bookkeeping that repeat another field; dropped to keep the fixture small.
DROP = {"ip.addr", "ip.host", "ip.src_host", "ip.dst_host", "udp.port", "udp.stream",
        "udp.time_relative", "udp.time_delta", "udp.payload", "dns.qry.name.len",
        "dns.count.labels", "icmp.data_time", "icmp.data_time_relative", "icmp.resp_in",
        "icmp.resp_to", "icmp.resptime", "icmp.ident_le", "icmp.seq_le", "dns.response_in",
        "dns.response_to", "dns.time", "_ws.expert.group", "_ws.expert.severity"}


def reduce_pdml(pdml):
    root = ET.fromstring(pdml)
    for packet in root.iter("packet"):
        fields = []

        def walk(node):
            for child in node:
                name = child.get("name", "")
                if child.tag == "field" and name.startswith(KEEP) and name not in DROP:
                    show = child.get("show")
                    if name == "_ws.expert":
                        show = child.get("showname")
                    fields.append([name, show, int(child.get("pos", "0")), int(child.get("size", "0"))])
                walk(child)

        walk(packet)
        yield fields


if __name__ == "__main__":
    main()
