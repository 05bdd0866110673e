/// A plan's name for the English interface (`plans.name_en`); plans made before it have none and
/// are named by code and fee in English.
enum Migration_0020_PlanEnglishName {
    static let migration = Migration(version: 20, name: "plan english name") { _ in
        ["ALTER TABLE plans ADD COLUMN name_en TEXT"]
    }
}
