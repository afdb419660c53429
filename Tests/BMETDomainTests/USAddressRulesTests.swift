import Testing

@testable import BMETDomain

@Suite struct USAddressRulesTests {
    @Test func listsStatesDCAndTerritories() {
        #expect(USAddressRules.states.count == 56)
        #expect(Set(USAddressRules.states.map(\.code)).count == 56)
        #expect(USAddressRules.isValidState("TX"))
        #expect(USAddressRules.isValidState("DC"))
        #expect(USAddressRules.isValidState("PR"))
        #expect(!USAddressRules.isValidState("tx"))
        #expect(!USAddressRules.isValidState("XX"))
        #expect(!USAddressRules.isValidState("AE"))
        #expect(USAddressRules.stateName("OH") == "Ohio")
    }

    @Test(arguments: ["77030", "00901", "20001-1234"])
    func acceptsZIPFormats(zip: String) { #expect(USAddressRules.isValidZIP(zip)) }

    @Test(arguments: ["7703", "770301", "77030-123", "77030 1234", "7703O", "", "77030-"])
    func refusesMalformedZIPs(zip: String) { #expect(!USAddressRules.isValidZIP(zip)) }

    @Test(arguments: [
        ("77030", "TX"),  // Houston, Texas Medical Center
        ("43210", "OH"),  // Columbus
        ("10001", "NY"),  // Manhattan
        ("90210", "CA"),  // Beverly Hills
        ("20001", "DC"),  // Washington
        ("99501", "AK"),  // Anchorage
        ("00901", "PR"),  // San Juan
        ("00802", "VI"),  // St. Thomas
        ("96813", "HI"),  // Honolulu
        ("96799", "AS"),  // Pago Pago, inside Hawaii's prefix
        ("96910", "GU"),  // Hagåtña
        ("96950", "MP"),  // Saipan
        ("83414", "WY"),  // Alta, inside Idaho's prefixes
        ("02115", "MA"),  // Boston
        ("05501", "MA"),  // Andover, inside Vermont's prefixes
        ("05401", "VT"),  // Burlington
        ("88901", "NV"),  // Las Vegas
        ("88510", "TX"),  // El Paso
        ("73301", "TX"),  // Austin IRS, inside Oklahoma's prefixes
        ("73104", "OK"),  // Oklahoma City
        ("22201", "VA"),  // Arlington
        ("20147", "VA"),  // Ashburn, prefix 201
        ("21201", "MD"),  // Baltimore
        ("39501", "MS"),  // Gulfport
        ("39901", "GA"),  // Atlanta
        ("55455", "MN"),  // Minneapolis
        ("98101", "WA"),  // Seattle
        ("97201", "OR"),  // Portland
        ("83702", "ID"),  // Boise
        ("82001", "WY"),  // Cheyenne
        ("84101", "UT"),  // Salt Lake City
        ("87102", "NM"),  // Albuquerque
        ("85004", "AZ"),  // Phoenix
        ("80202", "CO"),  // Denver
        ("46202", "IN"),  // Indianapolis
        ("48201", "MI"),  // Detroit
        ("60611", "IL"),  // Chicago
        ("19104", "PA"),  // Philadelphia
        ("19801", "DE"),  // Wilmington
        ("07102", "NJ"),  // Newark
        ("06510", "CT"),  // New Haven
        ("02903", "RI"),  // Providence
        ("03301", "NH"),  // Concord
        ("04101", "ME"),  // Portland
        ("27710", "NC"),  // Durham
        ("29425", "SC"),  // Charleston
        ("32610", "FL"),  // Gainesville
        ("35233", "AL"),  // Birmingham
        ("37232", "TN"),  // Nashville
        ("40536", "KY"),  // Lexington
        ("52242", "IA"),  // Iowa City
        ("53792", "WI"),  // Madison
        ("57105", "SD"),  // Sioux Falls
        ("58102", "ND"),  // Fargo
        ("59101", "MT"),  // Billings
        ("63110", "MO"),  // St. Louis
        ("66160", "KS"),  // Kansas City, Kansas
        ("68198", "NE"),  // Omaha
        ("70112", "LA"),  // New Orleans
        ("72205", "AR"),  // Little Rock
        ("25304", "WV"),  // Charleston
    ])
    func matchesRealZIPsToTheirState(zip: String, state: String) {
        #expect(USAddressRules.zip(zip, matchesState: state))
    }

    @Test(arguments: [
        ("77030", "OK"), ("10001", "NJ"), ("90210", "NV"), ("20001", "MD"), ("99501", "WA"),
        ("00901", "VI"), ("96799", "HI"), ("05501", "VT"), ("73301", "OK"), ("83414", "ID"), ("00000", "NY"),
        ("77030", "ZZ"),
    ])
    func refusesZIPsFromAnotherState(zip: String, state: String) {
        #expect(!USAddressRules.zip(zip, matchesState: state))
    }

    @Test func matchesZIPPlusFour() {
        #expect(USAddressRules.zip("77030-3411", matchesState: "TX"))
        #expect(!USAddressRules.zip("77030-341", matchesState: "TX"))
    }

    @Test func acceptsAGoodAddress() {
        #expect(USAddressRules.validate(line1: "6565 Fannin St", city: "Houston", state: "TX", zip: " 77030 ") == [:])
        #expect(USAddressRules.validate(line1: "1 Main St.", city: "Coeur d'Alene", state: "ID", zip: "83814") == [:])
    }

    @Test func reportsEveryEmptyField() {
        #expect(
            USAddressRules.validate(line1: " ", city: "", state: "", zip: "")
                == [
                    "line1": "Enter the street address.", "city": "Enter the city.", "state": "Choose a state.",
                    "zip": "Enter the ZIP code.",
                ])
    }

    @Test func reportsAZIPOutsideTheState() {
        #expect(
            USAddressRules.validate(line1: "1 Main St", city: "Columbus", state: "TX", zip: "43210")
                == ["zip": "ZIP code 43210 is not in Texas."])
    }

    @Test func reportsBadValues() {
        let errors = USAddressRules.validate(line1: "1 Main St", city: "Houston 77030", state: "Texas", zip: "7703")
        #expect(errors.keys.sorted() == ["city", "state", "zip"])
        #expect(errors["zip"] == "Enter a ZIP code like 12345 or 12345-6789.")
    }

    @Test func limitsLength() {
        let errors = USAddressRules.validate(
            line1: String(repeating: "a", count: USAddressRules.maximumLineLength + 1),
            city: String(repeating: "b", count: USAddressRules.maximumCityLength + 1), state: "TX", zip: "77030")
        #expect(errors.keys.sorted() == ["city", "line1"])
        // The caller's limits (the app's field limits) are the ones applied.
        let atLimit = USAddressRules.validate(line1: String(repeating: "a", count: 150), city: String(repeating: "b", count: 80),
                                              state: "TX", zip: "77030", lineLimit: 150, cityLimit: 80)
        #expect(atLimit.isEmpty)
        let over = USAddressRules.validate(line1: String(repeating: "a", count: 151), city: "Houston", state: "TX", zip: "77030", lineLimit: 150, cityLimit: 80)
        #expect(over["line1"] == "Keep the street address to 150 characters.")
    }
}
