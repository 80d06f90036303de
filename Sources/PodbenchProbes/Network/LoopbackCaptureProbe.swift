import CPcap

/// Captures the pod's loopback with libpcap while other probes exchange messages on a port:
/// counts their packets and times each request-to-reply gap from the packets' nanosecond
/// timestamps, a second opinion on the probes' own round trips. Needs CAP_NET_RAW; without
/// it the check is skipped with that reason.
public struct LoopbackCaptureProbe: Probe {
    public static let spec = ProbeSpec(
        role: "loopback-capture",
        summary: "Captures lo with libpcap: packets of a port's exchange and request-to-reply gaps from nanosecond timestamps.",
        parameters: [ParameterSpec("port", .integer(1...65535), default: "5201", "the server's port (TCP or UDP)"),
                     ParameterSpec("ready", .path, default: nil, "a file to create once capturing, inside a volume mount (the client waits for it)"),
                     ParameterSpec("file", .path, default: "", "where to write the capture (pcap, nanosecond timestamps), inside a volume mount"),
                     ParameterSpec("idle", .duration, default: "500ms", "stop after this long without a packet, once packets came"),
                     ParameterSpec("duration", .duration, default: "20s", "stop after this long in any case")],
        checks: ["capture.exchange"],
        metrics: ["capture.request-to-reply"]
    )

    let port: UInt16
    let ready: String
    let file: String
    let idle: UInt64
    let duration: UInt64

    public init(_ arguments: ProbeArguments) {
        port = UInt16(arguments.integer("port"))
        ready = arguments.string("ready")
        file = arguments.string("file")
        idle = arguments.nanoseconds("idle")
        duration = arguments.nanoseconds("duration")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create("lo", &errorBuffer) else {
            return output.skip("capture.exchange", "libpcap cannot open lo: \(Self.text(errorBuffer))")
        }
        defer { pcap_close(handle) }
        pcap_set_snaplen(handle, 256)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 50)
        pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let activated = pcap_activate(handle)
        if activated == PCAP_ERROR_PERM_DENIED || activated == PCAP_ERROR {
            let reason = String(cString: pcap_geterr(handle))
            Self.touch(ready) // let the peers go on: there is nothing to wait for
            return output.skip("capture.exchange", "capture not permitted (needs CAP_NET_RAW): \(reason)")
        }
        guard activated >= 0 else { throw .usage("pcap_activate on lo: \(String(cString: pcap_geterr(handle)))") }
        var program = bpf_program()
        let filter = "tcp port \(port) or udp port \(port)"
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0, pcap_setfilter(handle, &program) == 0 else {
            throw .usage("pcap filter '\(filter)': \(String(cString: pcap_geterr(handle)))")
        }
        pcap_freecode(&program)
        let dumper = file.isEmpty ? nil : pcap_dump_open(handle, file)
        if !file.isEmpty && dumper == nil { throw .usage("cannot write \(file): \(String(cString: pcap_geterr(handle)))") }
        defer { if let dumper { pcap_dump_close(dumper) } }
        // Non-blocking, waiting in poll: a blocking read may never return on a quiet lo.
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else { throw .usage("pcap_setnonblock: \(Self.text(errorBuffer))") }
        var readable = pollfd(fd: pcap_get_selectable_fd(handle), events: Int16(POLLIN), revents: 0)
        Self.touch(ready)

        var gaps = LatencyRecorder(capacity: 1 << 20)
        var requests = 0, replies = 0
        var pendingRequest: UInt64?
        let start = monotonicNanoseconds()
        var lastPacket: UInt64?
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let now = monotonicNanoseconds()
            if now - start > duration { break }
            if let lastPacket, now - lastPacket > idle { break }
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
        output.check("capture.exchange", ok: seen, "captured \(requests) requests to port \(port) and \(replies) replies on lo" + (file.isEmpty ? "" : ", written to \(file)"))
        if gaps.count > 0 { output.metric("capture.request-to-reply", gaps) }
    }

    /// Ports and payload size of an Ethernet/IPv4/TCP-or-UDP packet (loopback is Ethernet-framed).
    static func parse(_ data: UnsafePointer<UInt8>, length: Int) -> (sourcePort: UInt16, destinationPort: UInt16, payload: Int)? {
        guard length >= 14 + 20, data[12] == 0x08, data[13] == 0x00 else { return nil }
        let ip = data + 14
        let headerLength = Int(ip[0] & 0x0f) * 4
        let total = Int(ip[2]) << 8 | Int(ip[3])
        let transport = ip + headerLength
        guard length >= 14 + headerLength + 8 else { return nil }
        let source = UInt16(transport[0]) << 8 | UInt16(transport[1])
        let destination = UInt16(transport[2]) << 8 | UInt16(transport[3])
        switch ip[9] {
        case 6: // TCP
            guard length >= 14 + headerLength + 13 else { return nil }
            let tcpHeader = Int(transport[12] >> 4) * 4
            return (source, destination, total - headerLength - tcpHeader)
        case 17: // UDP
            return (source, destination, total - headerLength - 8)
        default:
            return nil
        }
    }

    private static func touch(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd >= 0 { close(fd) }
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import Glibc
