import BaohaoHTTP
import Foundation

/// Who runs this server, from the environment: `BAOHAO_MERCHANT_NAME` (the brand on receipts),
/// `BAOHAO_OPERATOR_LEGAL_NAME` (运营主体), `BAOHAO_ICP_NUMBER` (ICP 备案号), `BAOHAO_SUPPORT_LINE`
/// (客服电话), and `BAOHAO_LEGAL_DIR`, a folder whose `privacy.zh.txt`, `privacy.en.txt`,
/// `terms.zh.txt` and `terms.en.txt` replace the shipped privacy policy and user agreement.
/// A demo server without them shows values plainly marked as examples.
enum OperatorIdentity {
    static func merchant(_ environment: [String: String], demo: Bool) throws -> MerchantInfo {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        }
        let fallback = demo ? MerchantInfo.demo : MerchantInfo(name: "保号 Baohao", supportLine: "—")
        var privacy: LegalText? = nil
        var terms: LegalText? = nil
        if let folder = value("BAOHAO_LEGAL_DIR") {
            func read(_ name: String) throws -> String {
                let path = (folder as NSString).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: path), data.count <= 256 * 1024,
                    let text = String(data: data, encoding: .utf8)
                else { throw OperatorIdentityError(message: "BAOHAO_LEGAL_DIR: cannot read \(path) (UTF-8, at most 256 KiB)") }
                return text
            }
            privacy = LegalText(zh: try read("privacy.zh.txt"), en: try read("privacy.en.txt"))
            terms = LegalText(zh: try read("terms.zh.txt"), en: try read("terms.en.txt"))
        }
        return MerchantInfo(
            name: value("BAOHAO_MERCHANT_NAME") ?? fallback.name, supportLine: value("BAOHAO_SUPPORT_LINE") ?? fallback.supportLine,
            legalName: value("BAOHAO_OPERATOR_LEGAL_NAME") ?? fallback.legalName,
            icpNumber: value("BAOHAO_ICP_NUMBER") ?? fallback.icpNumber,
            privacyPolicy: privacy, userAgreement: terms)
    }
}

struct OperatorIdentityError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
