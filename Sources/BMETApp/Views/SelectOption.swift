import BMETDomain

/// One `<option>` of a `<select>` (or one checkbox of a group), for every form on the site.
struct SelectOption: Encodable {
    let value: String
    let label: String
    let selected: Bool

    init(value: String, label: String, selected: Bool = false) {
        self.value = value
        self.label = label
        self.selected = selected
    }

    /// The U.S. states and territories, by USPS code.
    static func states(selected: String?) -> [SelectOption] {
        USAddressRules.states.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == selected?.uppercased()) }
    }

    /// Every case of a closed list, labelled for people.
    static func all<T: CaseIterable & RawRepresentable>(_ type: T.Type, selected: String?, label: (T) -> String) -> [SelectOption] where T.RawValue == String {
        of(Array(T.allCases), selected: selected, label: label)
    }

    /// The given cases of a closed list (those a form still offers), labelled for people.
    static func of<T: RawRepresentable>(_ cases: [T], selected: String?, label: (T) -> String) -> [SelectOption] where T.RawValue == String {
        cases.map { SelectOption(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }
}
