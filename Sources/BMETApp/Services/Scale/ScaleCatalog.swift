import Foundation

/// The fixed word lists the national data set is drawn from: one teaching-hospital city per state (with a ZIP code
/// of that state, so addresses pass `USAddressRules`), names, and what a BMET writes in a day's log.
enum ScaleCatalog {
    static let places: [(state: String, city: String, zip: String)] = [
        ("AL", "Birmingham", "35233"), ("AK", "Anchorage", "99508"), ("AZ", "Phoenix", "85006"), ("AR", "Little Rock", "72205"),
        ("CA", "Los Angeles", "90033"), ("CO", "Aurora", "80045"), ("CT", "New Haven", "06510"), ("DE", "Wilmington", "19801"),
        ("FL", "Gainesville", "32610"), ("GA", "Atlanta", "30322"), ("HI", "Honolulu", "96813"), ("ID", "Boise", "83712"),
        ("IL", "Chicago", "60612"), ("IN", "Indianapolis", "46202"), ("IA", "Iowa City", "52242"), ("KS", "Kansas City", "66160"),
        ("KY", "Lexington", "40536"), ("LA", "New Orleans", "70112"), ("ME", "Portland", "04102"), ("MD", "Baltimore", "21287"),
        ("MA", "Boston", "02114"), ("MI", "Ann Arbor", "48109"), ("MN", "Rochester", "55905"), ("MS", "Jackson", "39216"),
        ("MO", "St. Louis", "63110"), ("MT", "Billings", "59101"), ("NE", "Omaha", "68198"), ("NV", "Las Vegas", "89102"),
        ("NH", "Lebanon", "03756"), ("NJ", "Newark", "07103"), ("NM", "Albuquerque", "87106"), ("NY", "Rochester", "14642"),
        ("NC", "Durham", "27710"), ("ND", "Fargo", "58122"), ("OH", "Cleveland", "44195"), ("OK", "Oklahoma City", "73104"),
        ("OR", "Portland", "97239"), ("PA", "Pittsburgh", "15213"), ("RI", "Providence", "02903"), ("SC", "Charleston", "29425"),
        ("SD", "Sioux Falls", "57105"), ("TN", "Nashville", "37232"), ("TX", "Houston", "77030"), ("UT", "Salt Lake City", "84132"),
        ("VT", "Burlington", "05401"), ("VA", "Richmond", "23298"), ("WA", "Seattle", "98195"), ("WV", "Morgantown", "26506"),
        ("WI", "Madison", "53792"), ("WY", "Cheyenne", "82001"),
    ]

    static let employerKinds = ["Regional Medical Center", "Community Hospital", "Clinical Engineering Services", "Health System",
                                "Children's Hospital", "HTM Services", "University Hospital", "Veterans Medical Center"]

    static let firstNames = ["James", "Maria", "Robert", "Aaliyah", "Michael", "Priya", "David", "Sofia", "Daniel", "Grace", "Jose", "Emily",
                             "Kevin", "Fatima", "Brian", "Hannah", "Luis", "Olivia", "Andre", "Mei", "Tyler", "Keisha", "Ethan", "Rosa",
                             "Marcus", "Leah", "Omar", "Chloe", "Nathan", "Imani", "Carlos", "Megan"]
    static let lastNames = ["Smith", "Johnson", "Garcia", "Nguyen", "Williams", "Brown", "Martinez", "Patel", "Davis", "Lopez", "Wilson",
                            "Anderson", "Thomas", "Okafor", "Moore", "Jackson", "Kim", "Harris", "Clark", "Ramirez", "Lewis", "Walker",
                            "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Adams", "Baker", "Rivera"]
    /// The related instruction provider generated registrations name (the RAPIDS upload layout requires one).
    static let instructionProvider = "Scale Data Technical College, Biomedical Equipment Technology"
    static let streets = ["Medical Center Dr", "Hospital Ave", "Main St", "Oak St", "Maple Ave", "Washington Blvd", "Lincoln Way", "Park Rd"]

    /// What a day's log says, by skill set code; anything else falls back to the general list.
    static let tasks: [String: [String]] = [
        "OS": ["Electrical safety checks on patient-care equipment", "Lockout/tagout walk-through with mentor", "Hazmat and SDS review for the shop",
               "Safety rounds in the ICU", "Bloodborne pathogen refresher and PPE practice"],
        "MF": ["Traced signals on pulse oximeters", "Bench review of infusion pump fundamentals", "Studied ECG monitor block diagrams"],
        "II": ["Incoming inspection of new infusion pumps", "Installed and tagged patient monitors", "Inventory of new ventilators into the CMMS"],
        "PM": ["Scheduled PM on infusion pumps", "PM on defibrillators with analyzer", "PM on patient monitors, 3W work list", "PM on suction regulators"],
        "TR": ["Diagnosed a failed power supply on a monitor", "Repaired an infusion pump keypad", "Calibrated NIBP module after repair",
               "Troubleshot a ventilator alarm fault"],
        "CV": ["Coordinated vendor repair of an imaging table", "Checked third-party service report for completeness"],
        "DC": ["Closed work orders and updated the CMMS", "Processed a recall notice for infusion sets"],
        "IT": ["Networked patient monitors onto the clinical VLAN", "Patched a medical device workstation with IT"],
        "TP": ["In-service on the new smart pumps for nursing", "Answered a nurse's questions on the bed alarms"],
        "CS": ["Customer rounds with the OR manager", "Followed up a service complaint with the unit"],
    ]
    static let generalTasks = ["Shop work under mentor supervision", "Work orders on the general list"]

    static let observations = [
        "Performed the task safely and correctly; documented it in the CMMS.",
        "Needed a reminder on the service manual's limits, otherwise sound.",
        "Worked through the procedure with guidance; will observe again.",
        "Did it alone from start to finish, including the paperwork.",
    ]
}
