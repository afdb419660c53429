import Vapor

extension Request {
    /// The client's IP address for throttles and signatures. `X-Forwarded-For` is believed only when the
    /// platform is configured to sit behind a proxy; otherwise anyone could pick their own address.
    var clientIP: String? {
        if application.settings.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For")?
            .split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return forwarded
        }
        return remoteAddress?.ipAddress
    }
}
