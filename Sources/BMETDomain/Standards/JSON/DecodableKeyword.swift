/// A string enum that ``TreeDecoder`` decodes by name, so a wrong value is reported with the allowed ones
/// instead of Swift's generic "cannot initialize" message.
protocol DecodableKeyword: CaseIterable, RawRepresentable where RawValue == String {}

extension TrainingApproach: DecodableKeyword {}
extension WageTrigger.Kind: DecodableKeyword {}
