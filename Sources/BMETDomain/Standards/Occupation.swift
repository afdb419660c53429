/// The registered occupation the program trains for.
public struct Occupation: Codable, Sendable, Equatable {
    public var title: String
    /// RAPIDS occupation code, e.g. `0888HY` (the suffix says the approach: HY hybrid, CB competency-based).
    public var rapidsCode: String
    /// O*NET-SOC code, e.g. `49-9062.00`.
    public var onetSocCode: String

    public init(title: String, rapidsCode: String, onetSocCode: String) {
        self.title = title
        self.rapidsCode = rapidsCode
        self.onetSocCode = onetSocCode
    }
}
