import Foundation
import Hummingbird
import NIOCore

/// Per-request state of the sandbox: the connection's channel (faults close it without answering), the
/// request as it was sent (the router sees a percent-decoded path), and what the middleware found on the
/// way in (the fault decision, the body).
struct SandboxRequestContext: RequestContext {
    typealias Source = ApplicationRequestContextSource
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// When the request arrived.
    let receivedAt: Date
    /// The path as sent, still percent-encoded (for recorded requests and error details).
    var receivedPath = "/"
    /// The query as sent, still percent-encoded; nil when the target had none.
    var receivedQuery: String?
    /// The query's items, decoded, in order.
    var query: [QueryItem] = []
    /// The request body, once `BodyLimitMiddleware` has read it.
    var body: [UInt8] = []
    /// What the faults make of this request, once `FaultGateMiddleware` has decided.
    var faultDecision = SandboxServerState.Decision()

    init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
        receivedAt = Date()
    }

    /// Request bodies up to 1 MiB.
    var maxUploadSize: Int { 1 << 20 }

    /// The route parameter `name` (e.g. the `id` of `/calls/{id}/recording`), percent-decoded; empty when
    /// the route has none of that name.
    func pathParameter(_ name: String) -> String {
        Query.percentDecode(parameters.get(name)?[...] ?? "")
    }
}
