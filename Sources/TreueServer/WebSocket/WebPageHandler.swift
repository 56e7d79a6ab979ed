import Foundation
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// Answers the plain HTTP requests on the WebSocket port: the widget's files from
/// `--web-root` (a flat folder: names of letters, digits, `.`, `-`, `_` only, regular
/// files only, no symlinks, so no request reaches outside it), 403 for an upgrade from an
/// origin that is not allowed, 404 otherwise. Every response closes the connection, and a
/// connection that neither upgrades nor completes a request within 10 s is closed.
final class WebPageHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let webRoot: String?
    private var head: HTTPRequestHead?
    private var deadline: Scheduled<Void>?

    init(webRoot: String?) {
        self.webRoot = webRoot
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Removed on upgrade: the chat's own idle timeout takes over.
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            head = request
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        if request.headers.contains(name: "upgrade") {
            send(.forbidden, "text/plain; charset=utf-8", Data("WebSocket origin not allowed\n".utf8), head: false, context: context)
            return
        }
        guard request.method == .GET || request.method == .HEAD else {
            send(.methodNotAllowed, "text/plain; charset=utf-8", Data("only GET\n".utf8), head: false, context: context)
            return
        }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let name = path == "/" ? "index.html" : String(path.dropFirst())
        guard let webRoot, let (body, type) = Self.file(named: name, in: webRoot) else {
            send(.notFound, "text/plain; charset=utf-8", Data("not found\n".utf8), head: request.method == .HEAD, context: context)
            return
        }
        send(.ok, type, body, head: request.method == .HEAD, context: context)
    }

    static func file(named name: String, in root: String) -> (Data, String)? {
        guard !name.isEmpty, name.count <= 100, !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) })
        else { return nil }
        let path = (root as NSString).appendingPathComponent(name)
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < 4 << 20,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let type: String
        switch (name as NSString).pathExtension.lowercased() {
        case "html": type = "text/html; charset=utf-8"
        case "js": type = "text/javascript; charset=utf-8"
        case "css": type = "text/css; charset=utf-8"
        case "svg": type = "image/svg+xml"
        case "png": type = "image/png"
        case "ico": type = "image/x-icon"
        default: type = "application/octet-stream"
        }
        return (data, type)
    }

    private func send(_ status: HTTPResponseStatus, _ type: String, _ body: Data, head onlyHead: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(name: "Cache-Control", value: "no-cache")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !onlyHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
