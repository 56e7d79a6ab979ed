// libFuzzer target: the line protocol as the server drives it. The input is a byte
// stream; it is cut into lines like the server's line decoder does, each line is decoded
// as UTF-8 (invalid sequences repaired, control characters kept: the conversation must
// survive what the server's validation would refuse, too) and fed to one `Conversation`
// against the shipped knowledge base. The first byte picks demo mode or verified logins.
//
// Beyond "no crash, no leak, no hang" it checks what the server relies on:
// - every transcript record and JSON-mode output the server writes (`JSONLineWriter`) is
//   one line that decodes, with `JSONDecoder`, to what `JSONEncoder` writes for it;
// - a step that closes leaves the conversation closed, a closed one answers nothing;
// - a logged-in customer id is always a valid id (no `..`, no NUL, at most 64 bytes);
// - with a login secret, `/phase NAME` and `/why` never work and a login token never
//   reaches a transcript record;
// - an unknown command's name is cut to 40 characters.
import Foundation
import FuzzSupport
import TreueCore

let knowledgeBase = Fixtures.knowledgeBase
nonisolated(unsafe) let scratch = knowledgeBase.matcher.makeScratch()
nonisolated(unsafe) let redactScratch = Fixtures.redactor.makeScratch()
func redact(_ text: String) -> String { Fixtures.redactor.redact(text, scratch: redactScratch) }

/// Writes a step's events as the server does (`JSONLineWriter`), each line checked
/// against Foundation's encoding of the same record; returns the JSON lines.
func encode(_ events: [TranscriptEvent], session: String, sequence: inout Int, input: String) -> [String] {
    var lines: [String] = []
    for event in events {
        sequence += 1
        let record = TranscriptRecord(event: event, ts: "2026-01-01T00:00:00.000Z", session: session, seq: sequence,
                                      instance: nil, redact: redact)
        var writer = JSONLineWriter()
        record.write(to: &writer)
        Fixtures.expectSameJSON(writer.bytes, as: record, input: input)
        lines.append(String(decoding: writer.bytes.dropLast(), as: UTF8.self))
    }
    return lines
}

/// The step's outputs as JSON mode sends them, each checked against Foundation.
func checkWire(_ outputs: [ConversationOutput], input: String) {
    var writer = JSONLineWriter()
    for output in outputs {
        writer.removeAll()
        output.writeJSON(to: &writer)
        Fixtures.expectSameJSON(writer.bytes, as: output, input: input)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    Fixtures.prepare {
        _ = knowledgeBase
        _ = scratch
        _ = redactScratch
        _ = Fixtures.foundationEncoder
        _ = redact("warm up 0170 1234567 a@b.de")
        runWarmUp()
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineProtocol(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let verified = bytes[0] & 1 == 1
    let identity = verified ? Fixtures.verifiedIdentity : Fixtures.demoIdentity
    let kb = knowledgeBase
    var conversation = Conversation(sessionID: "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz", knowledgeBase: kb)
    var sequence = 0
    _ = encode(conversation.open(kb).events, session: conversation.sessionID, sequence: &sequence, input: "<open>")

    for raw in Fixtures.lines(bytes) {
        let line = String(decoding: raw, as: UTF8.self)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        var command: ChatCommand?
        if trimmed.hasPrefix("/") {
            let parsed = ChatCommand(line: trimmed)
            if case let .unknown(name) = parsed, name.count > 40 {
                Fixtures.violated("unknown command name longer than 40 characters", input: line)
            }
            command = parsed
        }
        let wasClosed = conversation.isClosed
        let step = conversation.receive(line, kb: kb, identity: identity, scratch: scratch)
        if wasClosed, step != ConversationStep() { Fixtures.violated("a closed conversation answered", input: line) }
        if step.closes, !conversation.isClosed { Fixtures.violated("step closes but the conversation is open", input: line) }
        let records = encode(step.events, session: conversation.sessionID, sequence: &sequence, input: line)
        checkWire(step.outputs, input: line)

        for event in step.events {
            switch event {
            case let .login(customer, isVerified, _, _, _):
                if !CustomerID.isValid(customer) || customer.utf8.count > CustomerID.maxLength || customer.contains("..")
                    || customer.unicodeScalars.contains(where: { $0.value < 32 }) {
                    Fixtures.violated("login accepted an invalid customer id", input: line)
                }
                if verified, !isVerified { Fixtures.violated("unverified login with a secret configured", input: line) }
            case let .phaseChanged(_, _, reason) where verified && reason == "demo":
                Fixtures.violated("/phase worked with a login secret", input: line)
            case let .command(name) where verified && name == "why":
                Fixtures.violated("/why worked with a login secret", input: line)
            default:
                break
            }
        }
        if case let .login(_, token?) = command, token.utf8.count >= 16 {
            for record in records where record.contains(token) {
                Fixtures.violated("a login token reached a transcript record", input: line)
            }
        }
    }
    if !conversation.isClosed {
        let step = conversation.close(reason: "disconnect")
        _ = encode(step.events, session: conversation.sessionID, sequence: &sequence, input: "<close>")
    }
    return 0
}

/// One ordinary session, so lazily built statics exist before leak checking starts.
func runWarmUp() {
    for mode in [0, 1] as [UInt8] {
        let script = [mode] + Array("/json\n/help\n/lang en\nwhere is my order 12345678\n/why\n/rate up\n/phase loyalty\n/login C1001\n/feedback 5 gut\n/agent\n/reset\nwetter?\n/quit\n5\n".utf8)
        script.withUnsafeBufferPointer { _ = fuzzLineProtocol($0.baseAddress, $0.count) }
    }
}
