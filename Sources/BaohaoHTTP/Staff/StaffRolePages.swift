import BaohaoDomain
import Hummingbird

/// Lets only some roles through to a group of console pages; others get a readable 403 page.
/// Placed after ``BrowserSessionMiddleware`` with `required`, so a member of staff is signed in.
struct StaffRolePages<Context: BrowserSessionContext>: RouterMiddleware {
    let allowed: Set<StaffRole>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let staff = context.staff, allowed.contains(staff.role) { return try await next(request, context) }
        let zh = request.language == .zh
        let message =
            allowed == [.admin]
            ? (zh ? "此页面仅管理员可见。" : "Only administrators may see this page.")
            : allowed == [.clerk]
                ? (zh ? "柜台收银仅营业员可用；管理员和操作员可查看班次报表。" : "Only clerks sell at the counter; administrators and operators read shift reports.")
                : (zh ? "此页面仅管理员和操作员可见。" : "Only administrators and operators may see this page.")
        return try HTMLResponse(
            html: MessagePage.render(title: zh ? "无权访问" : "Not allowed", message: message, language: request.language),
            status: .forbidden
        ).response(from: request, context: context)
    }
}
