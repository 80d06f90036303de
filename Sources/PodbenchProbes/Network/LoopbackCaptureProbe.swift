import PodbenchProbeInterface
import CPcap

/// Captures the pod's loopback with libpcap while other probes exchange messages on a port:
/// counts their packets and times each request-to-reply gap from the packets' nanosecond
/// timestamps, a second opinion on the probes' own round trips. Needs CAP_NET_RAW; without
/// it the check is skipped with that reason.
public struct LoopbackCaptureProbe: Probe {
    public static let spec = LoopbackCaptureRole.spec

    let port: UInt16
    let ready: String
    let file: String?
    let until: String?
    let idle: UInt64
    let duration: UInt64

    public init(_ arguments: ProbeArguments) {
        port = UInt16(arguments[LoopbackCaptureRole.port])
        ready = arguments[LoopbackCaptureRole.ready]
        file = arguments[LoopbackCaptureRole.file]
        until = arguments[LoopbackCaptureRole.until]
        idle = arguments[LoopbackCaptureRole.idle]
        duration = arguments[LoopbackCaptureRole.duration]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        // Whatever happens here, the peers waiting for `ready` must go on (touching twice is
        // harmless): a capture that cannot run is a skipped check, not a failed exchange.
        defer { touch(ready) }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create("lo", &errorBuffer) else {
            return output.skip(.captureExchange, "libpcap cannot open lo: \(string(fromCString: errorBuffer))")
        }
        defer { pcap_close(handle) }
        pcap_set_snaplen(handle, 256)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 50)
        pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let activated = pcap_activate(handle)
        if activated == PCAP_ERROR_PERM_DENIED {
            return output.skip(.captureExchange, "capture not permitted (needs CAP_NET_RAW): \(String(cString: pcap_geterr(handle)))")
        }
        guard activated >= 0 else {
            return output.skip(.captureExchange, "libpcap cannot capture lo: \(String(cString: pcap_geterr(handle)))")
        }
        // Gaps are read in nanoseconds: a libpcap that cannot give them would make them 1000x small.
        guard pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO) else {
            return output.skip(.captureExchange, "libpcap gives no nanosecond timestamps here")
        }
        var program = bpf_program()
        let filter = "tcp port \(port) or udp port \(port)"
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .usage("pcap filter '\(filter)': \(String(cString: pcap_geterr(handle)))")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else { return output.skip(.captureExchange, "pcap_setfilter: \(String(cString: pcap_geterr(handle)))") }
        let dumper = file.flatMap { pcap_dump_open(handle, $0) }
        if let file, dumper == nil { throw .system("write \(file): \(String(cString: pcap_geterr(handle)))", errno: EIO) }
        defer { if let dumper { pcap_dump_close(dumper) } }
        // Non-blocking, waiting in poll: a blocking read may never return on a quiet lo.
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else { throw .system("pcap_setnonblock: \(string(fromCString: errorBuffer))", errno: EIO) }
        var readable = pollfd(fd: pcap_get_selectable_fd(handle), events: Int16(POLLIN), revents: 0)
        touch(ready)

        var gaps = LatencyRecorder(capacity: 1 << 20)
        var requests = 0, replies = 0
        var pendingRequest: UInt64?
        let start = monotonicNanoseconds()
        var lastPacket: UInt64?
        var stopAt: UInt64?
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let now = monotonicNanoseconds()
            if now - start > duration { break }
            if let until {
                if let stopAt {
                    if now > stopAt { break }
                } else if access(until, F_OK) == 0 {
                    stopAt = now + 100_000_000 // the last packets may still be on their way
                }
            } else if let lastPacket, now - lastPacket > idle {
                break
            }
            let result = pcap_next_ex(handle, &header, &data)
            if result < 0 { break }
            guard result == 1, let header, let data else {
                _ = poll(&readable, 1, 20)
                continue
            }
            lastPacket = monotonicNanoseconds()
            if let dumper { pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, data) }
            guard let packet = Self.parse(data, length: Int(header.pointee.caplen)), packet.payload > 0 else { continue }
            // With nanosecond precision, tv_usec holds nanoseconds.
            let stamp = UInt64(header.pointee.ts.tv_sec) * 1_000_000_000 + UInt64(header.pointee.ts.tv_usec)
            if packet.destinationPort == port {
                requests += 1
                pendingRequest = stamp
            } else if packet.sourcePort == port {
                replies += 1
                if let request = pendingRequest {
                    gaps.record(stamp &- request)
                    pendingRequest = nil
                }
            }
        }
        let seen = requests > 0 && replies > 0
        output.check(.captureExchange, ok: seen, "captured \(requests) requests to port \(port) and \(replies) replies on lo" + (file.map { ", written to \($0)" } ?? ""))
        if gaps.count > 0 { output.metric(.captureRequestToReply, gaps) }
    }

    /// Ports and payload size of an Ethernet-framed (as loopback is) IPv4 or IPv6 TCP or UDP
    /// packet; nil for anything else, or a packet cut too short to tell.
    static func parse(_ data: UnsafePointer<UInt8>, length: Int) -> (sourcePort: UInt16, destinationPort: UInt16, payload: Int)? {
        guard length >= 14 else { return nil }
        let ip = data + 14
        let protocolNumber: UInt8, headerLength: Int, payloadAfterIP: Int
        switch (data[12], data[13]) {
        case (0x08, 0x00): // IPv4
            guard length >= 14 + 20, ip[0] >> 4 == 4 else { return nil }
            headerLength = Int(ip[0] & 0x0f) * 4
            guard headerLength >= 20 else { return nil }
            protocolNumber = ip[9]
            payloadAfterIP = (Int(ip[2]) << 8 | Int(ip[3])) - headerLength
        case (0x86, 0xdd): // IPv6, without extension headers
            guard length >= 14 + 40, ip[0] >> 4 == 6 else { return nil }
            headerLength = 40
            protocolNumber = ip[6]
            payloadAfterIP = Int(ip[4]) << 8 | Int(ip[5])
        default:
            return nil
        }
        let transport = ip + headerLength
        guard length >= 14 + headerLength + 8 else { return nil }
        let source = UInt16(transport[0]) << 8 | UInt16(transport[1])
        let destination = UInt16(transport[2]) << 8 | UInt16(transport[3])
        switch protocolNumber {
        case 6: // TCP
            guard length >= 14 + headerLength + 13 else { return nil }
            return (source, destination, payloadAfterIP - Int(transport[12] >> 4) * 4)
        case 17: // UDP
            return (source, destination, payloadAfterIP - 8)
        default:
            return nil
        }
    }
}

import Glibc
