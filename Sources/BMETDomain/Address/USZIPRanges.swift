/// Which state each ZIP code belongs to, from the USPS's allocation of three-digit ZIP prefixes.
///
/// Most states own whole prefix ranges; a few prefixes are split (American Samoa sits inside Hawaii's 967,
/// Guam and the Northern Marianas share 969, Alta WY has an Idaho ZIP). Military (AA/AE/AP) and freely associated states' prefixes
/// are left out because they are not in ``USAddressRules/states``. Unassigned prefixes inside a state's
/// range are accepted for that state: the check catches a wrong state, it is not a ZIP directory.
enum USZIPRanges {
    struct Allocation {
        let zip5: ClosedRange<Int>
        let state: String
    }

    static func state(forZIP5 zip5: Int) -> String? {
        // Exceptions come first so they win over the prefix ranges that contain them.
        (exceptions + ranges).first { $0.zip5.contains(zip5) }?.state
    }

    /// Five-digit ranges that differ from their prefix's state.
    private static let exceptions: [Allocation] = [
        Allocation(zip5: 96799...96799, state: "AS"),
        Allocation(zip5: 96910...96932, state: "GU"),
        Allocation(zip5: 96950...96952, state: "MP"),
        Allocation(zip5: 83414...83414, state: "WY"),  // Alta, Wyoming, served from Idaho
    ]

    private static let ranges: [Allocation] = [
        prefixes(5...5, "NY"),  // Holtsville IRS
        prefixes(6...7, "PR"), prefixes(8...8, "VI"), prefixes(9...9, "PR"),
        prefixes(10...27, "MA"), prefixes(28...29, "RI"), prefixes(30...38, "NH"), prefixes(39...49, "ME"),
        prefixes(50...54, "VT"), prefixes(55...55, "MA"), prefixes(56...59, "VT"),
        prefixes(60...69, "CT"), prefixes(70...89, "NJ"),
        prefixes(100...149, "NY"), prefixes(150...196, "PA"), prefixes(197...199, "DE"),
        prefixes(200...200, "DC"), prefixes(201...201, "VA"), prefixes(202...205, "DC"),
        prefixes(206...219, "MD"), prefixes(220...246, "VA"), prefixes(247...268, "WV"),
        prefixes(270...289, "NC"), prefixes(290...299, "SC"), prefixes(300...319, "GA"),
        prefixes(320...339, "FL"), prefixes(341...349, "FL"),
        prefixes(350...369, "AL"), prefixes(370...385, "TN"), prefixes(386...397, "MS"), prefixes(398...399, "GA"),
        prefixes(400...427, "KY"), prefixes(430...459, "OH"), prefixes(460...479, "IN"), prefixes(480...499, "MI"),
        prefixes(500...528, "IA"), prefixes(530...549, "WI"), prefixes(550...567, "MN"), prefixes(569...569, "DC"),
        prefixes(570...577, "SD"), prefixes(580...588, "ND"), prefixes(590...599, "MT"),
        prefixes(600...629, "IL"), prefixes(630...658, "MO"), prefixes(660...679, "KS"), prefixes(680...693, "NE"),
        prefixes(700...714, "LA"), prefixes(716...729, "AR"),
        prefixes(730...732, "OK"), prefixes(733...733, "TX"), prefixes(734...749, "OK"),  // 733: Austin IRS
        prefixes(750...799, "TX"),
        prefixes(800...816, "CO"), prefixes(820...831, "WY"), prefixes(832...838, "ID"), prefixes(840...847, "UT"),
        prefixes(850...865, "AZ"), prefixes(870...884, "NM"), prefixes(885...885, "TX"), prefixes(889...898, "NV"),
        prefixes(900...961, "CA"), prefixes(967...968, "HI"), prefixes(970...979, "OR"), prefixes(980...994, "WA"),
        prefixes(995...999, "AK"),
    ]

    /// All ZIP codes whose first three digits fall in `zip3`.
    private static func prefixes(_ zip3: ClosedRange<Int>, _ state: String) -> Allocation {
        Allocation(zip5: zip3.lowerBound * 100...zip3.upperBound * 100 + 99, state: state)
    }
}
