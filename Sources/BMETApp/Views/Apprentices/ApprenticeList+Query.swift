import BMETDomain
import Fluent
import Vapor

/// One page of the apprentices an actor may see, by name, with the total: the sponsor's list covers the whole national
/// program, so it is read a page at a time with a keyset (the last name and id of the page before), never whole.
struct ApprenticeListQuery {
    var actor: User
    var status: ApprenticeStatus?
    var after: UUID?
    var limit = 50

    struct Result { var apprentices: [Apprentice]; var total: Int; var next: UUID? }

    func run(on db: any Database) async throws -> Result {
        let base = ApprenticeRecords.visible(to: actor, on: db)
        if let status { base.filter(\.$status == status) }
        let total = try await base.copy().count()
        let page = base.copy().with(\.$employer).with(\.$mentor).sort(\.$fullName).sort(\.$id).limit(limit + 1)
        if let after, let cursor = try await ApprenticeRecords.visible(to: actor, on: db).filter(\.$id == after).first() {
            page.after(cursor)
        }
        let fetched = try await page.all()
        let rows = Array(fetched.prefix(limit))
        return Result(apprentices: rows, total: total, next: fetched.count > limit ? rows.last?.id : nil)
    }
}

extension QueryBuilder where Model == Apprentice {
    /// Keyset pagination by (name, id): the apprentices that sort after `cursor`.
    @discardableResult
    func after(_ cursor: Apprentice) -> Self {
        let name = cursor.fullName, id = cursor.id ?? UUID()
        return group(.or) { $0.filter(\.$fullName > name).group(.and) { $0.filter(\.$fullName == name).filter(\.$id > id) } }
    }
}
