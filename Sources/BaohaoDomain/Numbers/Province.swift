/// A mainland provincial-level division (省、自治区、直辖市), by its GB/T 2260 code: where a
/// mobile number was issued (归属地).
public enum Province: Int, Sendable, CaseIterable {
    case beijing = 11, tianjin = 12, hebei = 13, shanxi = 14, innerMongolia = 15
    case liaoning = 21, jilin = 22, heilongjiang = 23
    case shanghai = 31, jiangsu = 32, zhejiang = 33, anhui = 34, fujian = 35, jiangxi = 36, shandong = 37
    case henan = 41, hubei = 42, hunan = 43, guangdong = 44, guangxi = 45, hainan = 46
    case chongqing = 50, sichuan = 51, guizhou = 52, yunnan = 53, xizang = 54
    case shaanxi = 61, gansu = 62, qinghai = 63, ningxia = 64, xinjiang = 65

    /// The short name people use (广东, 内蒙古; Guangdong, Inner Mongolia).
    public func displayName(_ language: Language) -> String {
        let (zh, en): (String, String) =
            switch self {
            case .beijing: ("北京", "Beijing")
            case .tianjin: ("天津", "Tianjin")
            case .hebei: ("河北", "Hebei")
            case .shanxi: ("山西", "Shanxi")
            case .innerMongolia: ("内蒙古", "Inner Mongolia")
            case .liaoning: ("辽宁", "Liaoning")
            case .jilin: ("吉林", "Jilin")
            case .heilongjiang: ("黑龙江", "Heilongjiang")
            case .shanghai: ("上海", "Shanghai")
            case .jiangsu: ("江苏", "Jiangsu")
            case .zhejiang: ("浙江", "Zhejiang")
            case .anhui: ("安徽", "Anhui")
            case .fujian: ("福建", "Fujian")
            case .jiangxi: ("江西", "Jiangxi")
            case .shandong: ("山东", "Shandong")
            case .henan: ("河南", "Henan")
            case .hubei: ("湖北", "Hubei")
            case .hunan: ("湖南", "Hunan")
            case .guangdong: ("广东", "Guangdong")
            case .guangxi: ("广西", "Guangxi")
            case .hainan: ("海南", "Hainan")
            case .chongqing: ("重庆", "Chongqing")
            case .sichuan: ("四川", "Sichuan")
            case .guizhou: ("贵州", "Guizhou")
            case .yunnan: ("云南", "Yunnan")
            case .xizang: ("西藏", "Xizang")
            case .shaanxi: ("陕西", "Shaanxi")
            case .gansu: ("甘肃", "Gansu")
            case .qinghai: ("青海", "Qinghai")
            case .ningxia: ("宁夏", "Ningxia")
            case .xinjiang: ("新疆", "Xinjiang")
            }
        return language == .zh ? zh : en
    }

    /// `province` by name, or 未知 / Unknown when it is not known.
    public static func name(_ province: Province?, _ language: Language) -> String {
        province?.displayName(language) ?? (language == .zh ? "未知" : "Unknown")
    }
}
