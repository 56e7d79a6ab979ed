import NIOCore
import NIOEmbedded
import Testing
import TreueCore
@testable import TreueServer

struct LineFrameDecoderTests {
    func channel(limit: Int = 16) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLineBytes: limit)))
        return channel
    }

    func feed(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(channel.allocator.buffer(string: text))
    }

    func frames(_ channel: EmbeddedChannel) throws -> [String] {
        var result: [String] = []
        while let frame = try channel.readInbound(as: LineFrame.self) {
            switch frame {
            case let .line(buffer): result.append(String(buffer: buffer))
            case .tooLong: result.append("<too long>")
            }
        }
        return result
    }

    @Test func splitsLinesAndAcceptsCRLF() throws {
        let channel = try channel()
        try feed(channel, "hallo\r\nwie geht's\n\n")
        #expect(try frames(channel) == ["hallo", "wie geht's", ""])
    }

    @Test func reassemblesFragmentedAndPipelinedInput() throws {
        let channel = try channel(limit: 64)
        try feed(channel, "wo ist")
        #expect(try frames(channel).isEmpty)
        try feed(channel, " mein paket\nund")
        try feed(channel, " danke\n")
        #expect(try frames(channel) == ["wo ist mein paket", "und danke"])
    }

    @Test func anOverLongLineIsReportedOnceAndTheConnectionStaysUsable() throws {
        let channel = try channel(limit: 8)
        try feed(channel, "0123456789")
        try feed(channel, "abcdefghij")
        try feed(channel, "klm\nhallo\n")
        #expect(try frames(channel) == ["<too long>", "hallo"])
    }

    @Test func anOverLongCompleteLineIsRefused() throws {
        let channel = try channel(limit: 4)
        try feed(channel, "123456\nok\n")
        #expect(try frames(channel) == ["<too long>", "ok"])
    }

    @Test func aLastLineWithoutNewlineCountsAtEndOfInput() throws {
        let channel = try channel()
        try feed(channel, "tschuess")
        #expect(try frames(channel).isEmpty)
        _ = try channel.finish()
        #expect(try frames(channel) == ["tschuess"])
    }
}

struct LineValidationTests {
    @Test(arguments: [
        ([0x68, 0x69] as [UInt8], ChatInput.line("hi")),
        ([0x61, 0x09, 0x62], .line("a b")),
        ([0x61, 0x00, 0x62], .rejected(.controlCharacters, detail: "control byte 0x0")),
        ([0x1B, 0x5B, 0x32, 0x4A], .rejected(.controlCharacters, detail: "control byte 0x1b")),
        ([0xC3, 0x28], .rejected(.invalidUTF8, detail: "invalid UTF-8")),
        ([0xFF, 0xFE], .rejected(.invalidUTF8, detail: "invalid UTF-8")),
        ([0x67, 0x72, 0xC3, 0xBC, 0xC3, 0x9F, 0x65], .line("grüße")),
    ])
    func validatesLines(_ bytes: [UInt8], _ expected: ChatInput) {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        #expect(LineValidationHandler.validate(buffer) == expected)
    }
}
