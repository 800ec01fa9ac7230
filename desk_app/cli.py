"""The `desk-app` command line: the desk administrator's front end over the services.

`desk-app [--data-dir DIR] COMMAND [OPTIONS]`; no command starts the GUI. Exit
status 0 on success, 1 on failure (one-line reason on stderr), 2 on wrong
usage. Secrets come from standard input or an environment variable, never
from arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desk_app.paths import DataDir, resolve_data_dir

PASSWORD_ENV = "DESK_APP_PASSWORD"


class CommandError(Exception):
    """A failure to report as one line on stderr with exit status 1."""


def read_secret(prompt: str, env: str | None = None, *, confirm: bool = False) -> str:
    """A secret from `env`, else from standard input (asked twice on a terminal if `confirm`)."""
    if env and os.environ.get(env):
        return os.environ[env]
    if sys.stdin is None:
        raise CommandError(f"{prompt}：没有标准输入")
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt}（再输一次）: ") != first:
            raise CommandError("两次输入的密码不一致")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CommandError(f"{prompt}：标准输入为空")
    return line.rstrip("\r\n")


def _desk(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desk_app.services.desk import open_desk

    return open_desk(args.data_dir)


def _actor(args: argparse.Namespace, desk):  # type: ignore[no-untyped-def]
    """`--user NAME` (password from DESK_APP_PASSWORD or stdin), else cli:<os user>."""
    from desk_app.services.roles import Actor
    from desk_app.services.users import login

    if not getattr(args, "user", None):
        return Actor.command_line()
    return login(desk.db, args.user, read_secret(f"{args.user} 的密码", PASSWORD_ENV))


def cmd_init(args: argparse.Namespace) -> int:
    from desk_app.services.desk import InitInput, initialise

    desk = _desk(args)
    try:
        if desk.info is not None:
            raise CommandError(f"{desk.dirs.root} 已经初始化（窗口 {desk.info.desk_code}）")
        password = read_secret(f"管理员 {args.admin} 的密码", confirm=True)
        initialise(
            desk,
            InitInput(
                center_name=args.center,
                short_name=args.short_name or "",
                desk_code=args.desk_code,
                admin_username=args.admin,
                admin_full_name=args.admin_name or args.admin,
                admin_password=password,
            ),
        )
        info = desk.identity
        print(
            f"已初始化：{info.center_name}（{info.short_name}），窗口 {info.desk_code}，"
            f"管理员 {args.admin}，数据文件夹 {desk.dirs.root}"
        )
    finally:
        desk.close()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from desk_app.services.backup import backup_now

    dirs = DataDir(args.data_dir)
    target = backup_now(dirs, keep=args.keep)
    print(target)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from desk_app.services.backup import restore

    result = restore(DataDir(args.data_dir), Path(args.file))
    print(f"已从 {result.restored_from} 恢复")
    if result.previous_copy:
        print(f"被替换的数据库已另存为 {result.previous_copy}")
    if result.counters_kept:
        print(f"{result.counters_kept} 个编号计数器保留了较大的值，已打印过的编号不会重复")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from desk_app.services import users
    from desk_app.services.errors import ValidationError
    from desk_app.services.roles import ROLE_LABELS, parse_roles

    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        if args.user_command == "list":
            for u in users.list_users(desk.db):
                roles = "、".join(ROLE_LABELS[r] for r in sorted(u.roles))
                print(f"{u.username}\t{u.full_name}\t{roles}\t{'启用' if u.active else '停用'}")
            return 0
        actor = _actor(args, desk)
        if args.user_command == "add":
            password = read_secret(
                f"{args.username} 的初始密码", "DESK_APP_NEW_PASSWORD", confirm=True
            )
            with desk.uow(actor) as uow:
                users.add_user(
                    uow,
                    users.UserInput(
                        args.username, args.name, password, parse_roles(args.roles.split(","))
                    ),
                )
            print(f"已添加用户 {args.username}")
            return 0
        found = {u.username: u for u in users.list_users(desk.db)}
        if args.username not in found:
            raise ValidationError({"username": f"没有用户 {args.username}"})
        target = found[args.username].id
        with desk.uow(actor) as uow:
            if args.user_command == "disable":
                users.set_active(uow, target, False)
            elif args.user_command == "enable":
                users.set_active(uow, target, True)
            else:
                password = read_secret(
                    f"{args.username} 的新密码", "DESK_APP_NEW_PASSWORD", confirm=True
                )
                users.reset_password(uow, target, password)
        print(f"已更新用户 {args.username}")
        return 0
    finally:
        desk.close()


# --- holidays: the working-day calendar's yearly holiday notices ----------------


def cmd_holidays(args: argparse.Namespace) -> int:
    from desk_app.services import workcalendar

    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        if args.holidays_command == "list":
            with desk.db.read() as s:
                years = workcalendar.list_years(s)
            for y in years:
                origin = "管理员载入" if y.origin == workcalendar.LOADED else "程序内置"
                if y.overrides_package:
                    origin += "（替代内置）"
                counts = f"放假 {y.holidays} 天\t调休上班 {y.workdays} 天"
                print(f"{y.year}\t{origin}\t{counts}\t{y.source}")
            return 0
        notices = workcalendar.parse_holiday_file(Path(args.file))
        actor = _actor(args, desk)
        with desk.uow(actor) as uow:
            results = [(n, workcalendar.load_year(uow, n)) for n in notices]
        labels = {"created": "已载入", "updated": "已更新", "unchanged": "未变化"}
        for notice, result in results:
            print(
                f"{labels[result]} {notice.year} 年节假日安排："
                f"放假 {len(set(notice.holidays))} 天，调休上班 {len(set(notice.workdays))} 天"
            )
        return 0
    finally:
        desk.close()


# --- end holidays ------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace) -> int:
    """Deadline rules: list them, or add / change one (as an administrator)."""
    from dataclasses import replace

    from desk_app.services import deadlines

    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        if args.rules_command == "list":
            with desk.db.read() as s:
                rules = deadlines.load_rules(s)
            for r in sorted(rules, key=lambda r: (list(deadlines.STAGES).index(r.stage), r.code)):
                unit = "个工作日" if r.working_days else "日"
                scope = "/".join(v for v in (r.track, r.dispute_type_code, r.complexity) if v)
                extra = f"\t可延长 {r.max_extension_days} 日" if r.max_extension_days else ""
                print(f"{r.code}\t{deadlines.STAGES[r.stage]}\t{scope or '通用'}\t"
                      f"{r.days} {unit}{extra}\t{r.basis}")  # fmt: skip
            return 0
        with desk.db.read() as s:
            current = {r.code: r for r in deadlines.load_rules(s)}
        old = current.get(args.code)
        base = (
            deadlines.RuleInput(
                **{k: getattr(old, k) for k in deadlines.RuleInput.__dataclass_fields__}
            )
            if old is not None
            else deadlines.RuleInput(code=args.code, stage=args.stage or "", days=args.days or 0)
        )
        changes = {
            "stage": args.stage, "days": args.days, "track": args.track,
            "dispute_type_code": args.dispute_type, "complexity": args.complexity,
            "max_extension_days": args.max_extension, "basis": args.basis,
            "working_days": args.working, "extension_needs_consent": args.consent,
            "active": args.active,
        }  # fmt: skip
        data = replace(base, **{k: v for k, v in changes.items() if v is not None})
        with desk.uow(_actor(args, desk)) as uow:
            result = deadlines.set_rule(uow, data)
        print({"created": "已添加", "updated": "已修改", "unchanged": "未变化"}[result]
              + f"期限规则 {data.code}（此后开始的环节按新规则计算期限）")  # fmt: skip
        return 0
    finally:
        desk.close()


def cmd_demo(args: argparse.Namespace) -> int:
    from desk_app.services import demo

    if args.cases < 0:
        raise CommandError("--cases 不能为负数")
    desk = demo.ensure_demo_desk(args.data_dir)
    try:
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            line = f"生成演示数据：{done}/{total} 件"
            if interactive:
                print(f"\r{line}", end="", file=sys.stderr, flush=True)
            elif done == total or done % max(total // 10, 1) < 1000:
                print(line, file=sys.stderr, flush=True)

        summary = demo.generate(
            desk, args.cases, args.seed, progress=progress, lifecycle=args.lifecycle
        )
        if interactive:
            print(file=sys.stderr)
        print(
            f"已生成 {summary.cases} 件案件（当事人 {summary.parties}，其中单位 "
            f"{summary.organisations}、外籍 {summary.foreigners}；附件 {summary.attachments}；"
            f"更正 {summary.corrected}、作废 {summary.voided}；重复来访 {summary.repeat_visitors}，"
            f"其中标记 {summary.repeat_marked}；督办记录 {summary.supervisions} 条，"
            f"已答复 {summary.supervisions_answered}），咨询登记 {summary.enquiries} 件，"
            f"用时 {summary.seconds:.1f} 秒，数据文件夹 {desk.dirs.root}"
        )
    finally:
        desk.close()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from desk_app import bench

    if getattr(sys, "frozen", False):
        raise CommandError(
            "bench 是开发工具：请在源码环境中运行（./dev setup 后 .venv/bin/desk-app bench）"
        )

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    demo_dir = Path(args.demo_dir).resolve() if args.demo_dir else None
    lookup_dir = Path(args.lookup_demo_dir).resolve() if args.lookup_demo_dir else None
    figures = bench.run_bench(
        args.cases,
        args.seed,
        args.runs,
        demo_dir,
        progress,
        args.lookup_cases,
        lookup_dir,
        sync_runs=args.sync_runs,
    )
    bench.print_table(figures, sys.stdout)
    if args.json:
        import json

        Path(args.json).write_text(
            json.dumps(bench.as_json(figures), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


def _central_url(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """--url with its password: from the URL, $DESK_APP_CENTRAL_PASSWORD or standard input."""
    from desk_app.services.sync import central, runner

    url = central.central_url(args.url)
    if url.password:
        return url
    password = os.environ.get(runner.PASSWORD_ENV)
    if password is None and sys.stdin is not None:
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"{url.username or ''}@{url.host} 的密码: ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    return central.central_url(args.url, password or None)


def cmd_central(args: argparse.Namespace) -> int:
    from desk_app import __version__
    from desk_app.services.sync import central, enroll

    url = _central_url(args)
    if args.central_command == "upgrade":
        engine = central.connect(url)
        try:
            before, now = central.upgrade(engine)
        finally:
            engine.dispose()
        if before == now:
            print(f"中心数据库已是最新（{now}）")
        else:
            print(f"中心数据库已从 {before or '空库'} 升级到 {now}")
        return 0
    desk = _desk(args)
    try:
        result = enroll.enroll(
            desk,
            url,
            args.desk_code,
            enroll.parse_scope(args.scope),
            __version__,
            replace=args.replace,
        )
    finally:
        desk.close()
    print(f"窗口 {result.desk_code} 已登记，同步范围：{'，'.join(result.scope)}")
    if result.replaced:
        print("已接替原先登记此编号的电脑")
    if result.counters_raised:
        print(f"{result.counters_raised} 个编号计数器已按中心记录调高，已用过的编号不会重复")
    if result.password_warning:
        print(f"注意：{result.password_warning}", file=sys.stderr)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from desk_app import __version__
    from desk_app.services.sync import runner

    desk = _desk(args)
    interactive = sys.stderr.isatty()

    def progress(message: str) -> None:
        if interactive:
            print(f"\r{message}\033[K", end="", file=sys.stderr, flush=True)

    try:
        engine = runner.open_engine(desk, __version__, progress)
        if args.once:
            summary = engine.sync_once()
            if interactive:
                print(file=sys.stderr)
            for warning in summary.warnings:
                print(f"注意：{warning}", file=sys.stderr)
            print(summary.line())
            return 0

        def report(line: str) -> None:
            if interactive:
                print(file=sys.stderr)
            print(line, flush=True)

        runner.run_forever(engine, interval=args.interval, report=report)
        return 0
    finally:
        desk.close()


def cmd_print(args: argparse.Namespace) -> int:
    from desk_app.services.printing import receipt

    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        case_id = receipt.find_case(desk.db, args.case)
        actor = _actor(args, desk)
        target = Path(args.output)
        data = receipt.write_receipt(desk, actor, case_id, target)
    finally:
        desk.close()
    print(f"已生成 {data.case_no} 的受理回执：{target}（验证码 {data.verify_code}）")
    return 0


# --- print dispatch: the routing slip (交办单) ----------------------------------


def cmd_print_dispatch(args: argparse.Namespace) -> int:
    """`print dispatch CASE -o FILE.pdf`: the routing slip (交办单) of the latest dispatch."""
    from desk_app.services.printing import dispatch

    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        actor = _actor(args, desk)
        target = Path(args.output)
        data = dispatch.print_slip(desk, actor, args.case, target)
    finally:
        desk.close()
    print(f"已生成 {data.case_no} 的交办单（{data.lead_unit}）：{target}")
    return 0


# --- end print dispatch -------------------------------------------------------------


# --- print accountability: the unit assessment table (责任单位考评情况统计表) ------------


def _day(text: str):  # type: ignore[no-untyped-def]
    """A YYYY-MM-DD date argument."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写作 YYYY-MM-DD，如 2026-01-01") from None


def cmd_print_accountability(args: argparse.Namespace) -> int:
    """`print accountability --from D --to D -o FILE.pdf`: the units' figures of a period."""
    from desk_app.services import accountability as figures
    from desk_app.services.printing import accountability

    since, until = figures.bounds(args.date_from, args.date_to)
    desk = _desk(args)
    try:
        desk.identity  # noqa: B018 - refuses an uninitialised folder
        actor = _actor(args, desk)
        target = Path(args.output)
        report = accountability.print_accountability(desk, actor, since, until, target)
    finally:
        desk.close()
    print(f"已生成{report.period}的考评统计表（{len(report.figures)} 个单位）：{target}")
    return 0


# --- end print accountability ---------------------------------------------------------


def _gui(args: argparse.Namespace) -> int:
    from desk_app.app import run_gui

    return run_gui(args.data_dir, smoke=args.smoke)


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (it costs start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from desk_app import __version__

        print(f"desk-app {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk-app",
        description="综治中心前台受理程序。不带命令时启动图形界面。",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="显示版本号并退出")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="数据文件夹（默认：环境变量 DESK_APP_DATA，否则用户数据目录）",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="启动图形界面，用 DESK_APP_USER/DESK_APP_PASSWORD 登录，主窗口首次绘制后退出",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="首次设置：中心、窗口编号和第一个管理员（密码从标准输入读取）")
    p.add_argument("--center", required=True, help="中心全称，如 景洪市综治中心")
    p.add_argument("--short-name", help="中心简称，用于编号，如 景综（默认取首字加“综”）")
    p.add_argument("--desk-code", required=True, help="本窗口编号，由中心管理员分配，如 D03")
    p.add_argument("--admin", required=True, help="第一个管理员的用户名")
    p.add_argument("--admin-name", help="管理员姓名")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("backup", help="立即备份数据库到 backups/")
    p.add_argument("--keep", type=int, help="保留的备份份数（默认取设置）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复（程序运行时拒绝；被替换的数据库另存一份）")
    p.add_argument("file", help="备份文件")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "demo", help="生成演示数据（空文件夹先初始化为演示中心和演示账号，见 README）"
    )
    p.add_argument("--cases", type=int, default=1000, help="案件数（默认 1000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成相同数据")
    p.add_argument(
        "--no-lifecycle", dest="lifecycle", action="store_false",
        help="只登记（全部待研判）：大批量数据快约 40 倍；默认按真实流程推进到各状态",
    )  # fmt: skip
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("bench", help="性能测试：打印各项指标，可另存 JSON")
    p.add_argument("--cases", type=int, default=100_000, help="演示数据的案件数（默认 100000）")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=5, help="每项指标运行次数（取中位数）")
    p.add_argument("--json", metavar="FILE", help="把结果写成 JSON")
    p.add_argument("--demo-dir", metavar="DIR", help="演示数据文件夹（默认在用户缓存目录，可复用）")
    p.add_argument(
        "--lookup-cases", type=int, default=200_000, help="查询测试用的案件数（默认 200000）"
    )
    p.add_argument("--lookup-demo-dir", metavar="DIR", help="查询测试的演示数据文件夹")
    p.add_argument(
        "--sync-runs",
        type=int,
        default=1,
        help="同步指标（推送 5 万项、首次拉取 10 万件，需本机装有 PostgreSQL）的运行次数（默认 1）",
    )
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("central", help="中心数据库：建库升级、登记本窗口")
    csub = p.add_subparsers(dest="central_command", metavar="ACTION", required=True)
    for action, text in (
        ("upgrade", "创建或升级中心数据库（密码从 DESK_APP_CENTRAL_PASSWORD 或标准输入读取）"),
        ("enroll", "在中心登记本窗口及其同步范围"),
    ):
        c = csub.add_parser(action, help=text)
        c.add_argument("--url", required=True, help="postgresql+psycopg://用户@主机:端口/库名")
        if action == "enroll":
            c.add_argument("--desk-code", required=True, help="本窗口编号")
            c.add_argument(
                "--scope", required=True, help="区划代码（6、9 或 12 位）或单位代码，逗号分隔"
            )
            c.add_argument(
                "--replace", action="store_true", help="本机接替已停用的、登记过此编号的电脑"
            )
    p.set_defaults(func=cmd_central)

    p = sub.add_parser("sync", help="与中心数据库同步（默认循环运行，失败后自动重试）")
    p.add_argument("--once", action="store_true", help="推送全部待同步更改并拉取到最新后退出")
    p.add_argument("--interval", type=float, default=30.0, help="循环同步的间隔秒数")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("print", help="打印文书：生成 PDF")
    p.add_argument("--user", help="以此用户身份执行（密码从 DESK_APP_PASSWORD 或标准输入读取）")
    psub = p.add_subparsers(dest="print_command", metavar="DOCUMENT", required=True)
    r = psub.add_parser("receipt", help="受理回执（旧案没有验证码的，先补发一个并记入历史）")
    r.add_argument("case", metavar="CASE", help="受理编号（完整或简写，如 D03-00042）或验证码")
    r.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    r = psub.add_parser("dispatch", help="交办单（案件最近一次交办的承办、协办单位和期限）")
    r.add_argument("case", metavar="CASE", help="受理编号（完整或简写）、验证码或案件 ID")
    r.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    r.set_defaults(func=cmd_print_dispatch)
    r = psub.add_parser("accountability", help="责任单位考评情况统计表（各单位办理和督办情况）")
    r.add_argument(
        "--from", dest="date_from", required=True, type=_day, metavar="YYYY-MM-DD",
        help="统计期间的第一天（北京时间）",
    )  # fmt: skip
    r.add_argument(
        "--to", dest="date_to", required=True, type=_day, metavar="YYYY-MM-DD",
        help="统计期间的最后一天（含当天）",
    )  # fmt: skip
    r.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    r.set_defaults(func=cmd_print_accountability)
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("user", help="用户管理")
    p.add_argument("--user", help="以此用户身份执行（密码从 DESK_APP_PASSWORD 或标准输入读取）")
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    usub.add_parser("list", help="列出用户")
    a = usub.add_parser("add", help="添加用户（初始密码从 DESK_APP_NEW_PASSWORD 或标准输入读取）")
    a.add_argument("username")
    a.add_argument("--name", required=True, help="姓名")
    a.add_argument("--roles", required=True, help="角色，逗号分隔：clerk,officer,mediator,admin")
    for action, text in (
        ("disable", "停用用户"),
        ("enable", "启用用户"),
        ("reset-password", "重置密码（新密码从 DESK_APP_NEW_PASSWORD 或标准输入读取）"),
    ):
        usub.add_parser(action, help=text).add_argument("username")
    p.set_defaults(func=cmd_user)

    # deadline rules
    p = sub.add_parser("rules", help="期限规则：查看，或添加、修改（管理员）")
    rsub = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    rsub.add_parser("list", help="列出生效的期限规则")
    r = rsub.add_parser("set", help="添加或修改一条规则（未给出的项保持原值）")
    r.add_argument("code", help="规则代码，如 handle:mediation")
    r.add_argument("--stage", help="阶段：triage dispatch sign handle feedback review …")
    r.add_argument("--days", type=int, help="期限天数")
    r.add_argument("--working", action=argparse.BooleanOptionalAction, default=None,
                   help="按工作日（--no-working：按自然日）")  # fmt: skip
    r.add_argument("--track", help="办理类别（空：任意）")
    r.add_argument("--dispute-type", help="纠纷类型代码（空：任意）")
    r.add_argument("--complexity", help="复杂程度 simple/ordinary/complex（空：任意）")
    r.add_argument("--max-extension", type=int, help="最多可延长天数")
    r.add_argument("--consent", action=argparse.BooleanOptionalAction, default=None,
                   help="延长须双方当事人同意")  # fmt: skip
    r.add_argument("--active", action=argparse.BooleanOptionalAction, default=None,
                   help="启用（--no-active：停用）")  # fmt: skip
    r.add_argument("--basis", help="依据（法规条文或本地规定）")
    p.set_defaults(func=cmd_rules)

    # holidays (working-day calendar)
    p = sub.add_parser("holidays", help="节假日安排：查看已知年份，载入国务院办公厅的年度通知")
    p.add_argument("--user", help="以此用户身份执行（密码从 DESK_APP_PASSWORD 或标准输入读取）")
    hsub = p.add_subparsers(dest="holidays_command", metavar="ACTION", required=True)
    hsub.add_parser("list", help="列出已知节假日安排的年份及来源")
    h = hsub.add_parser("load", help="从文件载入一年或多年的节假日安排（需管理员）")
    h.add_argument(
        "file", metavar="FILE", help="UTF-8 的 JSON 或文本文件：year、holidays、workdays、source"
    )
    p.set_defaults(func=cmd_holidays)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data_dir = resolve_data_dir(args.data_dir)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", _gui)
    if args.smoke and args.command:
        parser.error("--smoke 只用于启动图形界面")
    from desk_app.services.errors import DeskError, ValidationError
    from desk_app.services.logs import configure_logging

    if func is not _gui:  # the GUI sets up logging once its first window is on screen
        configure_logging(DataDir(args.data_dir).logs)

    try:
        return func(args)
    except ValidationError as exc:
        print(f"desk-app: {'；'.join(exc.fields.values())}", file=sys.stderr)
    except (DeskError, CommandError) as exc:
        print(f"desk-app: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("desk-app: 已中断", file=sys.stderr)
    return 1
