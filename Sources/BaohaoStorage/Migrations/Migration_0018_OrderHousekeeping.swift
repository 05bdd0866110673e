import Foundation
import SQLKit

/// Housekeeping: the purge of never-paid orders checks each one for notifications that name it,
/// which needs an index; and the one-row table `/readyz` writes to, to learn that writes work.
enum Migration_0018_OrderHousekeeping {
    static let migration = Migration(version: 18, name: "order housekeeping") { _ in
        [
            "CREATE INDEX payment_notifications_order ON payment_notifications (order_id)",
            "CREATE TABLE health_probe (id BIGINT PRIMARY KEY, probed_at BIGINT NOT NULL)",
        ]
    }
}

/// The write `/readyz` makes: one row, replaced each time.
enum HealthProbe {
    static func statement(_ now: Date) -> SQLQueryString {
        """
        INSERT INTO health_probe (id, probed_at) VALUES (1, \(bind: now.millis))
        ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at
        """
    }
}
