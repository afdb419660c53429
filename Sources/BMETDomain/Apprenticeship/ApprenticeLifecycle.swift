/// The rules of moving an apprentice between statuses: which move is allowed from which status and by whom.
/// Every allowed move is recorded by the app as an event; a refused one changes nothing.
public enum ApprenticeLifecycle {
    public enum Actor: Sendable, Equatable {
        case programAdmin
        case employerAdmin
        case mentor
        case apprentice
        /// The platform itself, e.g. when the last agreement signature arrives.
        case system
    }

    public enum Transition: Sendable, Equatable {
        /// All three parties have signed: probation starts.
        case agreementSigned
        /// The probationary period ended successfully.
        case endProbation
        case suspend
        case reinstate
        case cancel(CancellationReason)
        /// Moves the apprentice to another partner employer; the status does not change.
        case transfer
        case complete

        public var name: String {
            switch self {
            case .agreementSigned: "agreement signed"
            case .endProbation: "end probation"
            case .suspend: "suspend"
            case .reinstate: "reinstate"
            case .cancel: "cancel"
            case .transfer: "transfer"
            case .complete: "complete"
            }
        }
    }

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The status after `transition`, or the reason it is not allowed.
    /// - Parameter statusBeforeSuspension: where a suspended apprentice returns on reinstatement.
    public static func apply(
        _ transition: Transition, to status: ApprenticeStatus, by actor: Actor,
        statusBeforeSuspension: ApprenticeStatus? = nil
    ) -> Result<ApprenticeStatus, Refusal> {
        if status == .completed {
            return .failure(Refusal(description: "The apprenticeship is completed; a completed record is final and cannot change."))
        }
        if status == .cancelled {
            return .failure(Refusal(description: "The apprenticeship was cancelled; it cannot \(transition.name)."))
        }
        let staff: Set<Actor> = [.programAdmin, .employerAdmin]
        switch transition {
        case .agreementSigned:
            guard actor == .system else { return refuse("Probation starts by itself when every party has signed the agreement.") }
            guard status == .pendingAgreement else { return refuse("The agreement was already signed.") }
            return .success(.probation)
        case .endProbation:
            // The platform ends it on its date; staff may end it earlier.
            guard staff.contains(actor) || actor == .system else { return refuse("Only the employer or the sponsor can end probation.") }
            guard status == .probation else { return refuse("Only an apprentice on probation can end probation (now: \(status.label.lowercased())).") }
            return .success(.active)
        case .suspend:
            guard staff.contains(actor) else { return refuse("Only the employer or the sponsor can suspend an apprenticeship.") }
            guard status == .probation || status == .active else { return refuse("Only an apprentice on probation or active can be suspended (now: \(status.label.lowercased())).") }
            return .success(.suspended)
        case .reinstate:
            guard staff.contains(actor) else { return refuse("Only the employer or the sponsor can reinstate an apprenticeship.") }
            guard status == .suspended else { return refuse("Only a suspended apprentice can be reinstated (now: \(status.label.lowercased())).") }
            return .success(statusBeforeSuspension == .probation ? .probation : .active)
        case .cancel:
            guard staff.contains(actor) else { return refuse("Only the employer or the sponsor can cancel an apprenticeship.") }
            return .success(.cancelled)
        case .transfer:
            guard actor == .programAdmin else { return refuse("Only the sponsor can transfer an apprentice to another employer.") }
            guard status != .pendingAgreement else { return refuse("Finish the agreement before transferring, or cancel this registration and register the apprentice at the new employer.") }
            return .success(status)
        case .complete:
            guard actor == .programAdmin else { return refuse("Only the sponsor can record completion.") }
            guard status == .active else { return refuse("Only an active apprentice can complete (now: \(status.label.lowercased())).") }
            return .success(.completed)
        }
    }

    private static func refuse(_ message: String) -> Result<ApprenticeStatus, Refusal> {
        .failure(Refusal(description: message))
    }
}
