/// Checks for U.S. postal addresses: state codes, ZIP code format, and whether a ZIP code belongs to a state.
public enum USAddressRules {
    /// The 50 states, the District of Columbia and the five inhabited territories, by USPS code.
    public static let states: [(code: String, name: String)] = [
        ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
        ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
        ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
        ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
        ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
        ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
        ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
        ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
        ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
        ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
        ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
        ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
        ("VI", "U.S. Virgin Islands"),
    ]

    /// Whether `code` is one of ``states`` (upper case, as USPS writes it).
    public static func isValidState(_ code: String) -> Bool {
        stateName(code) != nil
    }

    /// The name for a state code, e.g. `Texas` for `TX`.
    public static func stateName(_ code: String) -> String? {
        states.first { $0.code == code }?.name
    }

    /// `12345` or `12345-6789`.
    public static func isValidZIP(_ zip: String) -> Bool {
        let scalars = Array(zip.unicodeScalars)
        let isDigit = { (scalar: Unicode.Scalar) in ("0"..."9").contains(scalar) }
        switch scalars.count {
        case 5: return scalars.allSatisfy(isDigit)
        case 10: return scalars[..<5].allSatisfy(isDigit) && scalars[5] == "-" && scalars[6...].allSatisfy(isDigit)
        default: return false
        }
    }

    /// Whether the ZIP code lies in the state's USPS ZIP ranges (by three-digit prefix, plus the few
    /// places that share a prefix with another state). False for a malformed ZIP or unknown state.
    public static func zip(_ zip: String, matchesState code: String) -> Bool {
        guard isValidZIP(zip), let zip5 = Int(zip.prefix(5)) else { return false }
        return USZIPRanges.state(forZIP5: zip5) == code
    }

    /// Field name (`line1`, `city`, `state`, `zip`) to a message for the person filling in the form;
    /// empty when the address is acceptable. Leading and trailing spaces are ignored. The app passes its own field
    /// limits (`FieldLimits`), so a form, the API and the OpenAPI document agree on one length per field.
    public static func validate(line1: String, city: String, state: String, zip: String,
                                lineLimit: Int = maximumLineLength, cityLimit: Int = maximumCityLength) -> [String: String] {
        let line1 = line1.trimmingWhitespace
        let city = city.trimmingWhitespace
        let state = state.trimmingWhitespace
        let zip = zip.trimmingWhitespace
        var errors: [String: String] = [:]

        if line1.isEmpty {
            errors["line1"] = "Enter the street address."
        } else if line1.count > lineLimit {
            errors["line1"] = "Keep the street address to \(lineLimit) characters."
        }

        if city.isEmpty {
            errors["city"] = "Enter the city."
        } else if city.count > cityLimit {
            errors["city"] = "Keep the city to \(cityLimit) characters."
        } else if !city.allSatisfy(isCityCharacter) {
            errors["city"] = "Use only letters, spaces, hyphens, apostrophes and periods in the city."
        }

        if state.isEmpty {
            errors["state"] = "Choose a state."
        } else if !isValidState(state) {
            errors["state"] = "Choose a U.S. state, the District of Columbia or a territory."
        }

        if zip.isEmpty {
            errors["zip"] = "Enter the ZIP code."
        } else if !isValidZIP(zip) {
            errors["zip"] = "Enter a ZIP code like 12345 or 12345-6789."
        } else if let stateName = stateName(state), !self.zip(zip, matchesState: state) {
            errors["zip"] = "ZIP code \(zip) is not in \(stateName)."
        }
        return errors
    }

    // Generous: meant to catch a pasted paragraph, not to reject a real address.
    public static let maximumLineLength = 200
    public static let maximumCityLength = 100

    private static func isCityCharacter(_ character: Character) -> Bool {
        character.isLetter || character == " " || character == "-" || character == "'" || character == "’"
            || character == "."
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
