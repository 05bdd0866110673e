/// Housekeeping of anonymous orders: the purge of never-paid orders checks each one for
/// notifications that name it, which needs an index.
enum Migration_0018_OrderHousekeeping {
    static let migration = Migration(version: 18, name: "order housekeeping") { _ in
        ["CREATE INDEX payment_notifications_order ON payment_notifications (order_id)"]
    }
}
