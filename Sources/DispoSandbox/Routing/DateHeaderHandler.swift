import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Writes the `Date` header of every response head on the server's clock (`ServerTime`, skewed by
/// `SandboxFaults.clockSkewSeconds`), as IMF-fixdate. Hummingbird's `Application` sets `Date` from the
/// real clock after the responder has answered, so the header cannot be set in middleware; this handler
/// sits in each connection's pipeline (added through `HTTP1Channel.Configuration`'s additional channel
/// handlers, after the HTTP/1 codec) and replaces the field as the head goes out. Admin answers and
/// answers Hummingbird writes on its own (e.g. to an unreadable request) get it too.
final class DateHeaderHandler: ChannelOutboundHandler, RemovableChannelHandler {
    /// The parts written by the application (`HTTPResponsePart` of NIOHTTPTypes, named through
    /// Hummingbird's channel type so that the sandbox needs no direct dependency on swift-nio-extras).
    typealias OutboundIn = HTTP1Channel.Value.OutboundPart
    typealias OutboundOut = HTTP1Channel.Value.OutboundPart

    private let time: ServerTime

    init(time: ServerTime) { self.time = time }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var part = unwrapOutboundIn(data)
        if case .head(var head) = part {
            head.headerFields[.date] = HTTPDate.format(time.now())
            part = .head(head)
        }
        context.write(wrapOutboundOut(part), promise: promise)
    }
}

extension NIOAsyncChannel {
    /// The type of the parts this channel writes (its generic `Outbound`, named for use elsewhere).
    typealias OutboundPart = Outbound
}
