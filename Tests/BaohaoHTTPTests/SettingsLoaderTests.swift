import BaohaoApp
import Foundation
import Testing

/// One configuration source: flags over environment over file, every problem named at once.
@Suite struct SettingsLoaderTests {
    func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func everySettingIsFoundUnderItsVariableNameByTheLibrarysOwnEncoding() async throws {
        // The variable names are a contract (README, deployments); each must be what
        // swift-configuration's environment provider looks up for the key.
        for setting in SettingsCatalog.all {
            let value: String
            switch setting.kind {
            case .number: value = "7"
            case .onOff: value = "on"
            case .choice(let words): value = words[0]
            case .text, .secret, .path: value = "some value of sixteen characters"
            }
            let environment = [setting.variable: value]
            let resolved = try? await SettingsLoader.resolve(flags: [:], environment: environment, file: nil)
            #expect(resolved?.origins[setting.variable] == "environment", "\(setting.key) is not read from \(setting.variable)")
        }
        #expect(SettingsCatalog.named("BAOHAO_SMTP_CA_FILE")?.key == "smtp.ca_file")
        #expect(SettingsCatalog.named("--staff-2fa-key-file")?.variable == "BAOHAO_STAFF_2FA_KEY_FILE")
        #expect(SettingsCatalog.named("log.format")?.variable == "LOG_FORMAT")
    }

    @Test func flagsWinOverTheEnvironmentWhichWinsOverTheFile() async throws {
        let path = try file(
            "baohao.yaml",
            """
            smtp:
              host: file.example
              port: 2525
              from: noreply@file.example
            wechatpay.h5: off
            """)
        let resolved = try await SettingsLoader.resolve(
            flags: ["smtp.host": "flag.example"], environment: ["BAOHAO_SMTP_PORT": "465", "HOME": "/root"], file: path)
        #expect(resolved.environment["BAOHAO_SMTP_HOST"] == "flag.example")
        #expect(resolved.environment["BAOHAO_SMTP_PORT"] == "465")
        #expect(resolved.environment["BAOHAO_SMTP_FROM"] == "noreply@file.example")
        #expect(resolved.environment["BAOHAO_WECHATPAY_H5"] == "0")
        #expect(resolved.environment["HOME"] == "/root")
        #expect(resolved.origins["BAOHAO_SMTP_HOST"] == "flag")
        #expect(resolved.origins["BAOHAO_SMTP_PORT"] == "environment")
        #expect(resolved.origins["BAOHAO_SMTP_FROM"] == "file \(path)")
    }

    @Test func jsonFilesTypeTheirValuesAndEveryProblemIsNamedAtOnce() async throws {
        let path = try file(
            "baohao.json",
            #"{"smtp": {"hots": "x", "port": 25.5, "security": "tls"}, "sandbox": {"enabled": true}, "log": {"format": "xml"}}"#)
        do {
            _ = try await SettingsLoader.resolve(flags: [:], environment: ["BAOHAO_SSE_PER_ORDER": "four"], file: path)
            Issue.record("bad settings were accepted")
        } catch {
            #expect(
                error.problems.sorted() == [
                    "BAOHAO_SSE_PER_ORDER: must be a whole number",
                    "log.format in \(path): must be one of text, json",
                    "smtp.hots in \(path): no such setting",
                    "smtp.port in \(path): must be a whole number",
                    "smtp.security in \(path): must be one of starttls, starttls-optional, none",
                ])
        }
        let good = try file("good.json", #"{"sandbox": {"enabled": true, "secret": "0123456789abcdef"}, "sse": {"per_order": 3}}"#)
        let resolved = try await SettingsLoader.resolve(flags: [:], environment: [:], file: good)
        #expect(resolved.environment["BAOHAO_SANDBOX_ENABLED"] == "1")
        #expect(resolved.environment["BAOHAO_SSE_PER_ORDER"] == "3")
        #expect(resolved.environment["BAOHAO_SANDBOX_SECRET"] == "0123456789abcdef")
    }

    @Test func aSecretComesFromItsFileInAnySourceButNeverFromTwoForms() async throws {
        let secretPath = try file("admin-token", "file-admin-token-0123456789\n")
        let resolved = try await SettingsLoader.resolve(
            flags: [:], environment: ["BAOHAO_ADMIN_TOKEN_FILE": secretPath, "BAOHAO_KANNEL_PASSWORD": "direct"], file: nil)
        #expect(resolved.environment["BAOHAO_ADMIN_TOKEN"] == "file-admin-token-0123456789")
        #expect(resolved.environment["BAOHAO_ADMIN_TOKEN_FILE"] == nil)
        #expect(resolved.environment["BAOHAO_KANNEL_PASSWORD"] == "direct")

        let configPath = try file("c.yaml", "smtp:\n  password_file: \(secretPath)\n")
        let fromFile = try await SettingsLoader.resolve(flags: [:], environment: [:], file: configPath)
        #expect(fromFile.environment["BAOHAO_SMTP_PASSWORD"] == "file-admin-token-0123456789")

        let empty = try file("empty", "\n")
        for (environment, expected) in [
            (
                ["BAOHAO_ADMIN_TOKEN": "direct-secret-value", "BAOHAO_ADMIN_TOKEN_FILE": secretPath],
                "set BAOHAO_ADMIN_TOKEN or BAOHAO_ADMIN_TOKEN_FILE, not both"
            ),
            (["BAOHAO_WEBHOOK_SECRET_FILE": "/nonexistent/secret"], "BAOHAO_WEBHOOK_SECRET_FILE: cannot read /nonexistent/secret"),
            (["BAOHAO_METRICS_TOKEN_FILE": empty], "BAOHAO_METRICS_TOKEN_FILE: \(empty) is empty"),
        ] {
            do {
                _ = try await SettingsLoader.resolve(flags: [:], environment: environment, file: nil)
                Issue.record("accepted \(environment.keys.sorted())")
            } catch {
                #expect(error.problems == [expected])
                #expect(!error.description.contains("direct-secret-value"))
            }
        }
    }

    @Test func settingFlagsAreTakenOffTheCommandLineAndTheRestIsLeftInOrder() throws {
        let split = try SettingsArguments([
            "serve", "--port", "8081", "--smtp-port=2525", "--config", "/etc/baohao.yaml", "--admin-token-file", "/run/t",
            "--database-url", "postgres://x", "--", "--smtp-host", "literal",
        ])
        #expect(split.remaining == ["serve", "--port", "8081", "--database-url", "postgres://x", "--", "--smtp-host", "literal"])
        #expect(split.flags == ["smtp.port": "2525", "admin.token_file": "/run/t"])
        #expect(split.configFile == "/etc/baohao.yaml")
        #expect(throws: SettingsError.self) { try SettingsArguments(["serve", "--smtp-port"]) }
        #expect(throws: SettingsError.self) { try SettingsArguments(["--smtp-port", "1", "--smtp-port=2"]) }
    }

    @Test func aConfigurationFileThatCannotBeUsedIsRefusedByName() async throws {
        let broken = try file("broken.yaml", "smtp: [\n")
        let wrongKind = try file("baohao.toml", "a = 1\n")
        for path in ["/nonexistent/baohao.yaml", broken, wrongKind] {
            do {
                _ = try await SettingsLoader.resolve(flags: [:], environment: [:], file: path)
                Issue.record("accepted \(path)")
            } catch {
                #expect(error.problems.count == 1)
                #expect(error.problems.first?.hasPrefix("BAOHAO_CONFIG / --config: \(path): ") == true)
            }
        }
    }
}
