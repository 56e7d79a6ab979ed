import NIOCore

/// A PROXY protocol header (HAProxy's spec, versions 1 and 2): the address of the client
/// the proxy accepted, in front of the connection's first byte.
public struct ProxyHeader: Sendable, Equatable {
    /// The client's address; nil for a LOCAL (v2) or UNKNOWN (v1) header, which the proxy
    /// sends for its own connections such as health checks.
    public var source: SocketAddress?
    /// Bytes the header took, to be dropped from the stream.
    public var length: Int

    public enum ParseResult: Sendable, Equatable {
        case header(ProxyHeader)
        /// Not enough bytes yet to tell.
        case needMoreData
        case invalid(String)
    }

    /// The v2 signature; v1 starts with "PROXY ".
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    static let v1Prefix = Array("PROXY ".utf8)
    /// v1 lines are at most 107 bytes with CRLF (the spec's figure).
    static let v1MaximumLength = 107
    /// v2 headers carry TLVs after the addresses; HAProxy's stay far below this.
    static let v2MaximumLength = 16 + 1024

    /// Whether `bytes` begin like a PROXY header of either version (or could, given more
    /// bytes): used to refuse headers from peers that are not trusted.
    public static func looksLikeHeader(_ bytes: ByteBufferView) -> Bool {
        let count = min(bytes.count, 12)
        let first = Array(bytes.prefix(count))
        return first == Array(v2Signature.prefix(count)) || Array(first.prefix(6)) == Array(v1Prefix.prefix(min(count, 6)))
    }

    /// Parses a header at the start of `bytes`.
    public static func parse(_ bytes: ByteBufferView) -> ParseResult {
        guard let first = bytes.first else { return .needMoreData }
        if first == v2Signature[0] { return parseV2(Array(bytes.prefix(v2MaximumLength + 1))) }
        if first == v1Prefix[0] { return parseV1(Array(bytes.prefix(v1MaximumLength + 1))) }
        return .invalid("no PROXY header (the connection did not start with one)")
    }

    static func parseV1(_ bytes: [UInt8]) -> ParseResult {
        let prefix = min(bytes.count, v1Prefix.count)
        guard Array(bytes.prefix(prefix)) == Array(v1Prefix.prefix(prefix)) else { return .invalid("not a PROXY v1 header") }
        guard let end = bytes.firstIndex(of: 0x0A) else {
            return bytes.count > v1MaximumLength ? .invalid("PROXY v1 header longer than \(v1MaximumLength) bytes") : .needMoreData
        }
        guard end > 0, bytes[end - 1] == 0x0D, end < v1MaximumLength else { return .invalid("PROXY v1 header must end in CRLF within \(v1MaximumLength) bytes") }
        guard bytes[..<(end - 1)].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return .invalid("PROXY v1 header holds bytes that are not printable ASCII") }
        let fields = String(decoding: bytes[..<(end - 1)], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let length = end + 1
        guard fields.count >= 2 else { return .invalid("PROXY v1 header without a protocol") }
        switch fields[1] {
        case "UNKNOWN":
            return .header(ProxyHeader(source: nil, length: length))
        case "TCP4", "TCP6":
            guard fields.count == 6 else { return .invalid("PROXY v1 header needs 6 fields, found \(fields.count)") }
            guard let sourcePort = port(fields[4]), port(fields[5]) != nil else { return .invalid("PROXY v1 header with an invalid port") }
            let isV4 = fields[1] == "TCP4"
            guard let sourceBytes = AddressBlock.parse(fields[2]), sourceBytes.count == (isV4 ? 4 : 16),
                  let destinationBytes = AddressBlock.parse(fields[3]), destinationBytes.count == sourceBytes.count,
                  let source = try? SocketAddress(ipAddress: fields[2], port: sourcePort) else {
                return .invalid("PROXY v1 header with an address that is not \(isV4 ? "IPv4" : "IPv6")")
            }
            return .header(ProxyHeader(source: source, length: length))
        default:
            return .invalid("PROXY v1 header with unknown protocol '\(fields[1].prefix(10))'")
        }
    }

    /// A decimal port without sign or leading zeros, 0 to 65535.
    private static func port(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), text == "0" || text.first != "0",
              let value = Int(text), value <= 65535 else { return nil }
        return value
    }

    static func parseV2(_ bytes: [UInt8]) -> ParseResult {
        let prefix = min(bytes.count, v2Signature.count)
        guard Array(bytes.prefix(prefix)) == Array(v2Signature.prefix(prefix)) else { return .invalid("not a PROXY v2 header") }
        guard bytes.count >= 16 else { return .needMoreData }
        let versionCommand = bytes[12]
        guard versionCommand >> 4 == 2 else { return .invalid("PROXY v2 header with version \(versionCommand >> 4)") }
        let command = versionCommand & 0x0F
        guard command <= 1 else { return .invalid("PROXY v2 header with unknown command \(command)") }
        let family = bytes[13]
        let addressLength = Int(bytes[14]) << 8 | Int(bytes[15])
        guard addressLength <= v2MaximumLength - 16 else { return .invalid("PROXY v2 header of \(addressLength) bytes is too long") }
        guard bytes.count >= 16 + addressLength else { return .needMoreData }
        let length = 16 + addressLength
        let body = Array(bytes[16..<length])
        // LOCAL: the proxy's own connection (a health check); the socket address stands.
        if command == 0 { return .header(ProxyHeader(source: nil, length: length)) }
        switch family {
        case 0x11, 0x12:  // TCP or UDP over IPv4
            guard body.count >= 12 else { return .invalid("PROXY v2 IPv4 addresses need 12 bytes, found \(body.count)") }
            let text = body[0..<4].map(String.init).joined(separator: ".")
            let port = Int(body[8]) << 8 | Int(body[9])
            guard let source = try? SocketAddress(ipAddress: text, port: port) else { return .invalid("PROXY v2 header with a bad IPv4 address") }
            return .header(ProxyHeader(source: source, length: length))
        case 0x21, 0x22:  // TCP or UDP over IPv6
            guard body.count >= 36 else { return .invalid("PROXY v2 IPv6 addresses need 36 bytes, found \(body.count)") }
            let text = stride(from: 0, to: 16, by: 2).map { String(Int(body[$0]) << 8 | Int(body[$0 + 1]), radix: 16) }.joined(separator: ":")
            let port = Int(body[32]) << 8 | Int(body[33])
            guard let source = try? SocketAddress(ipAddress: text, port: port) else { return .invalid("PROXY v2 header with a bad IPv6 address") }
            return .header(ProxyHeader(source: source, length: length))
        case 0x00:  // UNSPEC: no address to take
            return .header(ProxyHeader(source: nil, length: length))
        default:
            return .invalid("PROXY v2 header with an unsupported address family 0x\(String(family, radix: 16))")
        }
    }
}
