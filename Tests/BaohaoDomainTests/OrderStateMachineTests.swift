import BaohaoDomain
import Testing

@Suite("Recharge order state machine")
struct OrderStateMachineTests {
    /// Every (status, event) pair and what it must give: a status, or `nil` for forbidden.
    static let expected: [OrderStatus: [OrderEvent: OrderStatus]] = [
        .pendingPayment: [.paymentSucceeded: .paid, .paymentFailed: .failed, .expire: .expired, .cancel: .cancelled],
        .paid: [.credit: .credited],
        .credited: [.void: .voided, .refundPartially: .partiallyRefunded, .refundFully: .refunded],
        .partiallyRefunded: [.refundPartially: .partiallyRefunded, .refundFully: .refunded],
        .refunded: [:],
        .voided: [:],
        .failed: [.paymentSucceeded: .paid],
        .expired: [.paymentSucceeded: .paid],
        .cancelled: [.paymentSucceeded: .paid],
    ]

    @Test("every allowed and forbidden transition", arguments: OrderStatus.allCases)
    func transitions(from status: OrderStatus) {
        for event in OrderEvent.allCases {
            let allowed = Self.expected[status]![event]
            do {
                let next = try OrderStateMachine.next(status, on: event)
                #expect(next == allowed, "\(status) --\(event)--> \(next)")
            } catch {
                #expect(allowed == nil, "\(status) --\(event)--> should be \(String(describing: allowed))")
                #expect(error.from == status && error.event == event)
            }
        }
    }

    /// A credited order only leaves by a void (the counter, same shift) or a confirmed refund; a
    /// voided or fully refunded one never leaves.
    @Test func creditedOnlyVoidsOrRefunds() {
        for event in OrderEvent.allCases where ![.void, .refundPartially, .refundFully].contains(event) {
            #expect(throws: OrderTransitionError.self) { try OrderStateMachine.next(.credited, on: event) }
        }
        for event in OrderEvent.allCases {
            #expect(throws: OrderTransitionError.self) { try OrderStateMachine.next(.voided, on: event) }
            #expect(throws: OrderTransitionError.self) { try OrderStateMachine.next(.refunded, on: event) }
        }
    }

    @Test func latePaymentFlags() {
        #expect(OrderStateMachine.isLatePayment(.expired))
        #expect(OrderStateMachine.isLatePayment(.failed))
        #expect(OrderStateMachine.isLatePayment(.cancelled))
        #expect(!OrderStateMachine.isLatePayment(.pendingPayment))
    }

    @Test func finalStatesForThePayer() {
        #expect(
            OrderStatus.allCases.filter(\.isFinalForPayer) == [
                .credited, .failed, .expired, .cancelled, .voided, .partiallyRefunded, .refunded,
            ])
    }
}
