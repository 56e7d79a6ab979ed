import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import TreueCore

/// The shop's live order service (SPEC 5a): `GET URL + number` with a bearer token; 200
/// with a JSON object is the order, 404 is no such order, anything else (or no answer in
/// time) is unavailable. Built on AsyncHTTPClient. It protects the service and the chat
/// alike: a bounded number of lookups in flight, a short cache, and after a failure a
/// growing pause (1 s, 2 s, 4 s … 30 s) in which lookups answer "unavailable" at once
/// instead of piling onto a source that is down.
public final class HTTPOrderSource: OrderSource {
    public struct Configuration: Sendable {
        public var url: String
        public var token: String
        public var timeout: TimeAmount = .seconds(2)
        public var maxInFlight = 64
        /// How long an answer (found or not found) is reused for the same number.
        public var cacheTTL: TimeAmount = .seconds(30)
        public var maxCacheEntries = 10_000
        /// A larger answer is refused unread: an order is a few hundred bytes.
        public var maxBodyBytes = 64 * 1024
        public var maxBackoff: TimeAmount = .seconds(30)

        public init(url: String, token: String) {
            self.url = url
            self.token = token
        }
    }

    private struct State {
        var inFlight = 0
        var cache: [String: (result: OrderLookupResult, expires: NIODeadline)] = [:]
        var failuresInARow = 0
        var pausedUntil: NIODeadline?
    }

    public let configuration: Configuration
    private let client: HTTPClient
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: configuration.timeout, read: configuration.timeout)
        // A redirect would carry the token elsewhere; the contract has none.
        http.redirectConfiguration = .disallow
        http.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    public func order(number: String) async -> OrderLookupResult {
        let now = NIODeadline.now()
        enum Admission { case cached(OrderLookupResult), refused(String), go }
        let admission: Admission = state.withLockedValue { state in
            if let hit = state.cache[number], hit.expires > now { return .cached(hit.result) }
            if let paused = state.pausedUntil, paused > now { return .refused("backing off after \(state.failuresInARow) failure(s)") }
            guard state.inFlight < configuration.maxInFlight else { return .refused("\(state.inFlight) lookups in flight") }
            state.inFlight += 1
            return .go
        }
        switch admission {
        case let .cached(result): return result
        case let .refused(reason): return .unavailable(reason: reason)
        case .go: break
        }
        let result = await fetch(number)
        state.withLockedValue { state in
            state.inFlight -= 1
            switch result {
            case .found, .notFound:
                state.failuresInARow = 0
                state.pausedUntil = nil
                guard configuration.cacheTTL > .zero else { break }
                if state.cache.count >= configuration.maxCacheEntries {
                    let now = NIODeadline.now()
                    state.cache = state.cache.filter { $0.value.expires > now }
                    if state.cache.count >= configuration.maxCacheEntries { state.cache.removeAll() }
                }
                state.cache[number] = (result, NIODeadline.now() + configuration.cacheTTL)
            case .unavailable:
                state.failuresInARow += 1
                let exponent = min(state.failuresInARow - 1, 5)
                let pause = min(TimeAmount.seconds(1 << exponent), configuration.maxBackoff)
                state.pausedUntil = NIODeadline.now() + pause
            }
        }
        if case let .unavailable(reason) = result {
            logger.warning("order service unavailable", metadata: ["reason": "\(reason)"])
        }
        return result
    }

    private func fetch(_ number: String) async -> OrderLookupResult {
        var request = HTTPClientRequest(url: configuration.url + number)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let response = try await client.execute(request, timeout: configuration.timeout)
            switch response.status.code {
            case 200:
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maxBodyBytes {
                    return .unavailable(reason: "answer of \(length) bytes is over the limit of \(configuration.maxBodyBytes)")
                }
                let body = try await response.body.collect(upTo: configuration.maxBodyBytes)
                return Self.parse(body: Data(body.readableBytesView), number: number)
            case 404:
                return .notFound
            case 401, 403:
                return .unavailable(reason: "the order service refused the token (HTTP \(response.status.code))")
            default:
                return .unavailable(reason: "HTTP \(response.status.code)")
            }
        } catch let error as NIOTooManyBytesError {
            return .unavailable(reason: "answer over the limit of \(configuration.maxBodyBytes) bytes (\(error))")
        } catch {
            return .unavailable(reason: "\(error)")
        }
    }

    /// A JSON object of the order fields; numbers and booleans become text, `null` is
    /// absent, nested values are refused. The order must be the one asked for.
    static func parse(body: Data, number: String) -> OrderLookupResult {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return .unavailable(reason: "the answer is not a JSON object")
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: fields[key] = text
            case is NSNull: continue
            case let number as NSNumber: fields[key] = number.stringValue
            default: return .unavailable(reason: "field '\(key.prefix(40))' is not text or a number")
            }
        }
        do {
            let order = try Order(fields: fields)
            guard order.number == number else { return .unavailable(reason: "asked for \(number), the answer is another order") }
            return .found(order)
        } catch {
            return .unavailable(reason: "malformed order: \(error.message)")
        }
    }
}
