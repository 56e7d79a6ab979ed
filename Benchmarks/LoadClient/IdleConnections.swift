import Foundation
import NIOCore
import NIOPosix
import TreueServer

/// Opens many connections that read their greeting and then stay silent, to measure
/// what an idle connection costs the server.
enum IdleConnections {
    static func run(group: MultiThreadedEventLoopGroup, options: Options) async throws {
        var channels: [any Channel] = []
        var failed = 0
        for index in 0..<options.connections {
            do {
                let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: options.port).get()
                channels.append(channel)
            } catch {
                failed += 1
            }
            if index % 500 == 499 { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        FileHandle.standardOutput.write(Data("open \(channels.count) failed \(failed)\n".utf8))
        // Hold them until the caller closes our stdin.
        while readLine() != nil {}
        for channel in channels { try? await channel.close() }
    }
}
