import NIOCore
import NIOEmbedded
import Testing
@testable import TreueServer

/// The PROXY protocol decoder as a table: what HAProxy sends, and what a hostile or broken
/// peer might send instead.
struct ProxyHeaderTests {
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    static func v2(command: UInt8 = 0x21, family: UInt8 = 0x11, body: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        let length = declaredLength ?? body.count
        return v2Signature + [command, family, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    /// 203.0.113.7:51000 → 10.0.0.1:4242, as `send-proxy-v2` writes it (plus a TLV).
    static let v2IPv4 = v2(body: [203, 0, 113, 7, 10, 0, 0, 1, 0xC7, 0x38, 0x10, 0x92] + [0x04, 0x00, 0x01, 0x00])
    static let v2IPv6 = v2(family: 0x21, body: [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [5]
                                            + Array(repeating: 0, count: 15) + [1] + [0x30, 0x39, 0x10, 0x92])

    enum Expect: Equatable {
        case client(String, Int)   // address, header length
        case local(Int)            // no client address, header length
        case needMore
        case invalid(String)       // part of the reason
    }

    static let cases: [(String, [UInt8], Expect)] = [
        ("v1 TCP4", Array("PROXY TCP4 198.51.100.22 10.0.0.1 35646 4242\r\nhallo\n".utf8), .client("198.51.100.22", 46)),
        ("v1 TCP6", Array("PROXY TCP6 2001:db8::5 ::1 35646 4242\r\n".utf8), .client("2001:db8::5", 39)),
        ("v1 UNKNOWN", Array("PROXY UNKNOWN\r\n".utf8), .local(15)),
        ("v1 half", Array("PROXY TCP4 198.51".utf8), .needMore),
        ("v1 only P", Array("P".utf8), .needMore),
        ("v2 IPv4 with TLV", v2IPv4, .client("203.0.113.7", 32)),
        ("v2 IPv6", v2IPv6, .client("2001:db8::5", 52)),
        ("v2 LOCAL (health check)", v2(command: 0x20, family: 0x00, body: []), .local(16)),
        ("v2 UNSPEC", v2(family: 0x00, body: []), .local(16)),
        ("v2 signature only", v2Signature, .needMore),
        ("v2 body still coming", Array(v2IPv4.prefix(20)), .needMore),
        // Hostile or broken.
        ("plain chat line", Array("hallo\n".utf8), .invalid("did not start")),
        ("v1 without CRLF", Array("PROXY TCP4 198.51.100.22 10.0.0.1 35646 4242\n".utf8), .invalid("CRLF")),
        ("v1 too long", Array(("PROXY TCP4 " + String(repeating: "1", count: 120)).utf8), .invalid("longer than 107")),
        ("v1 port out of range", Array("PROXY TCP4 198.51.100.22 10.0.0.1 99999 4242\r\n".utf8), .invalid("port")),
        ("v1 negative port", Array("PROXY TCP4 198.51.100.22 10.0.0.1 -1 4242\r\n".utf8), .invalid("port")),
        ("v1 IPv6 in TCP4", Array("PROXY TCP4 ::1 ::1 1 2\r\n".utf8), .invalid("IPv4")),
        ("v1 name for address", Array("PROXY TCP4 localhost 10.0.0.1 1 2\r\n".utf8), .invalid("IPv4")),
        ("v1 too few fields", Array("PROXY TCP4 198.51.100.22\r\n".utf8), .invalid("6 fields")),
        ("v1 double space", Array("PROXY TCP4  198.51.100.22 10.0.0.1 1 2\r\n".utf8), .invalid("6 fields")),
        ("v1 unknown protocol", Array("PROXY UDP4 1.2.3.4 1.2.3.4 1 2\r\n".utf8), .invalid("unknown protocol")),
        ("v1 NUL inside", Array("PROXY TCP4 1.2.3.4\u{0} 1.2.3.4 1 2\r\n".utf8), .invalid("printable")),
        ("v2 version 1", v2(command: 0x11, body: Array(repeating: 0, count: 12)), .invalid("version")),
        ("v2 unknown command", v2(command: 0x2F, body: Array(repeating: 0, count: 12)), .invalid("command")),
        ("v2 IPv4 body too short", v2(body: [1, 2, 3]), .invalid("12 bytes")),
        ("v2 IPv6 body too short", v2(family: 0x21, body: Array(repeating: 0, count: 20)), .invalid("36 bytes")),
        ("v2 unix socket family", v2(family: 0x31, body: Array(repeating: 0, count: 216)), .invalid("family")),
        ("v2 huge declared length", v2(body: Array(repeating: 0, count: 12), declaredLength: 65535), .invalid("too long")),
        ("v2 bad signature", [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B, 0x21, 0x11, 0, 12], .invalid("not a PROXY v2")),
    ]

    @Test(arguments: cases.indices)
    func parses(_ index: Int) {
        let (name, bytes, expected) = Self.cases[index]
        let result = ProxyHeader.parse(ByteBuffer(bytes: bytes).readableBytesView)
        switch (result, expected) {
        case let (.header(header), .client(address, length)):
            #expect(header.source?.ipAddress == address, "\(name)")
            #expect(header.length == length, "\(name)")
        case let (.header(header), .local(length)):
            #expect(header.source == nil, "\(name)")
            #expect(header.length == length, "\(name)")
        case (.needMoreData, .needMore):
            break
        case let (.invalid(reason), .invalid(part)):
            #expect(reason.contains(part), "\(name): \(reason)")
        default:
            Issue.record("\(name): got \(result), expected \(expected)")
        }
    }

    @Test func recognisesTheStartOfAHeaderFromAnyPeer() {
        #expect(ProxyHeader.looksLikeHeader(ByteBuffer(string: "PROXY TCP4 1.2.3.4").readableBytesView))
        #expect(ProxyHeader.looksLikeHeader(ByteBuffer(bytes: Self.v2Signature.prefix(5)).readableBytesView))
        #expect(!ProxyHeader.looksLikeHeader(ByteBuffer(string: "hallo").readableBytesView))
        #expect(!ProxyHeader.looksLikeHeader(ByteBuffer(string: "PROXIMA centauri").readableBytesView))
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", true), ("127.0.0.0/8", "127.9.9.9", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("::1", "::1", true), ("fd00::/8", "fd12::1", true), ("fd00::/8", "fe80::1", false),
        ("0.0.0.0/0", "192.0.2.1", true), ("192.0.2.0/25", "192.0.2.200", false),
    ])
    func addressBlocks(block: String, address: String, inside: Bool) throws {
        let parsed = try #require(AddressBlock(block))
        #expect(parsed.contains(try SocketAddress(ipAddress: address, port: 1)) == inside)
    }

    @Test(arguments: ["", "10.0.0.0/33", "::1/129", "example.com", "10.0.0.0/", "10.0.0.0/-1", "1.2.3"])
    func refusesBadBlocks(_ text: String) {
        #expect(AddressBlock(text) == nil)
    }
}
