<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Front Desk</source>
        <translation>综治中心前台</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong and was written to the log: %1</source>
        <translation>程序出现错误，已记入日志：%1</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Front Desk: first start</source>
        <translation>综治中心前台：首次设置</translation>
    </message>
    <message>
        <source>Set up this desk once. The desk code is given by the center&apos;s administrator; it is part of every case number printed here.</source>
        <translation>本窗口只需设置一次。窗口编号由中心管理员分配，会出现在本窗口打印的每一个案件编号中。</translation>
    </message>
    <message>
        <source>e.g. 景洪市综治中心</source>
        <translation>例如：景洪市综治中心</translation>
    </message>
    <message>
        <source>e.g. 景综 (left empty: derived from the name)</source>
        <translation>例如：景综（留空则由全称生成）</translation>
    </message>
    <message>
        <source>e.g. D03</source>
        <translation>例如：D03</translation>
    </message>
    <message>
        <source>e.g. admin</source>
        <translation>例如：admin</translation>
    </message>
    <message>
        <source>Center &amp;name</source>
        <translation>中心全称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Short name</source>
        <translation>中心简称(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Desk code</source>
        <translation>窗口编号(&amp;D)</translation>
    </message>
    <message>
        <source>Administrator &amp;user name</source>
        <translation>管理员用户名(&amp;U)</translation>
    </message>
    <message>
        <source>Administrator&apos;s &amp;full name</source>
        <translation>管理员姓名(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Confirm password</source>
        <translation>确认密码(&amp;C)</translation>
    </message>
    <message>
        <source>Finish setup</source>
        <translation>完成设置</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The two passwords differ: type the same one twice</source>
        <translation>两次输入的密码不一致，请重新输入相同的密码</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <source>In use by %1. Enter the password to go on.</source>
        <translation>%1 正在使用。请输入密码继续。</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Front Desk: log in</source>
        <translation>综治中心前台：登录</translation>
    </message>
    <message>
        <source>Front Desk</source>
        <translation>综治中心前台</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>%1 · desk %2</source>
        <translation>%1 · 窗口 %2</translation>
    </message>
    <message>
        <source>Enter your user name and password</source>
        <translation>请输入用户名和密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证……</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Intake</source>
        <translation>登记受理</translation>
    </message>
    <message>
        <source>The reception form: parties with ID checks, channel, dispute type, place, facts and attachments; repeat-visitor hints; the receipt with the case code.</source>
        <translation>来访登记表：当事人及证件核验、来源渠道、纠纷类型、发生地、主要事实和附件；重复来访提示；打印带案件编码的受理回执。</translation>
    </message>
    <message>
        <source>Routing board</source>
        <translation>分流看板</translation>
    </message>
    <message>
        <source>Every open matter by stage, unit or level, with deadlines, overdue warnings, urging and supervision.</source>
        <translation>按环节、责任单位或层级查看全部在办事项，含办理时限、超期预警、催办和督办。</translation>
    </message>
    <message>
        <source>Case lookup</source>
        <translation>案件查询</translation>
    </message>
    <message>
        <source>Find a case by number, ID number, phone or name; its parties, facts, attachments and history.</source>
        <translation>按案件编号、证件号码、电话或姓名查找案件，查看当事人、事实、附件和办理经过。</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书打印</translation>
    </message>
    <message>
        <source>Mediation agreements and the other official forms, with preview, printing and PDF export.</source>
        <translation>人民调解协议书等规范文书，可预览、打印和导出 PDF。</translation>
    </message>
    <message>
        <source>Video consultation</source>
        <translation>视频连线</translation>
    </message>
    <message>
        <source>Video links to expert advisers (lawyers, psychologists …) from a case, with a log of each consultation.</source>
        <translation>从案件发起与专家顾问（律师、心理咨询师等）的视频连线，并记录每次连线。</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计研判</translation>
    </message>
    <message>
        <source>Figures by period, dispute type, place and unit, for monthly analysis and year-end assessment.</source>
        <translation>按时段、纠纷类型、地区和单位统计，用于每月研判和年终考评。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Front Desk — %1 · desk %2</source>
        <translation>综治中心前台 — %1 · 窗口 %2</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>窗口(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Front Desk</source>
        <translation>关于综治中心前台(&amp;A)</translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation>用户：%1（%2）</translation>
    </message>
    <message>
        <source>Desk: %1</source>
        <translation>窗口：%1</translation>
    </message>
    <message numerus="yes">
        <source>Waiting to sync: %n change(s)</source>
        <translation>
            <numerusform>待同步：%n 项更改</numerusform>
        </translation>
    </message>
    <message>
        <source>Your password was reset by an administrator: choose your own now.</source>
        <translation>您的密码已由管理员重置，请现在设置自己的新密码。</translation>
    </message>
    <message>
        <source>About Front Desk</source>
        <translation>关于综治中心前台</translation>
    </message>
    <message>
        <source>Front Desk %1: the walk-in reception desk of a comprehensive governance center.</source>
        <translation>综治中心前台 %1：综治中心群众来访受理窗口程序。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong and was written to the log: %1</source>
        <translation>程序出现错误，已记入日志：%1</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>&amp;Current password</source>
        <translation>原密码(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Confirm</source>
        <translation>确认新密码(&amp;C)</translation>
    </message>
    <message>
        <source>The two passwords differ: type the same one twice</source>
        <translation>两次输入的密码不一致，请重新输入相同的密码</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>Not built yet. This area will offer:</source>
        <translation>此功能尚在建设中，建成后将提供：</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>界面语言(&amp;L)</translation>
    </message>
    <message>
        <source>Takes effect at the next start.</source>
        <translation>下次启动时生效。</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Desk code</source>
        <translation>窗口编号</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Back up the database every day</source>
        <translation>每天自动备份数据库</translation>
    </message>
    <message>
        <source>Copies to &amp;keep</source>
        <translation>保留份数(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>立即备份(&amp;B)</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份……</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Only an administrator can manage user accounts.</source>
        <translation>只有管理员可以管理用户账号。</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Disable or enable</source>
        <translation>停用或启用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>Select a user first.</source>
        <translation>请先选择一个用户。</translation>
    </message>
    <message>
        <source>Reset password of %1</source>
        <translation>重置 %1 的密码</translation>
    </message>
    <message>
        <source>Password reset. The user must change it at the next login.</source>
        <translation>密码已重置。该用户下次登录时须修改密码。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Roles</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <source>First &amp;password</source>
        <translation>初始密码(&amp;P)</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>停用</translation>
    </message>
</context>
</TS>
