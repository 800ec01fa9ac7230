<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountabilityPage</name>
    <message>
        <source>This year</source>
        <extracomment>A record was opened (double-click or Enter): its case&apos;s id. The units&apos; figures of a period arrived and are shown: how many units. The selected unit&apos;s records arrived and are shown: how many. The PDF preview was opened (the dialog). The period choices: a service preset, or &quot;custom&quot;.</extracomment>
        <translation>今年</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Dates of my own</source>
        <translation>自定义日期</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>导出 PDF(&amp;E)…</translation>
    </message>
    <message>
        <source>The assessment table of the period (A4 landscape), to print or save</source>
        <translation>本期间的考评统计表（A4 横向），可打印或保存</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>统计期间(&amp;P)：</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Counted %1</source>
        <translation>统计于 %1</translation>
    </message>
    <message>
        <source>No unit had a dispatch, supervision or joint mediation in the period, and none holds open cases.</source>
        <translation>统计期间内没有单位被交办、督办或通知参加联合调解，也没有单位有在办案件。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n unit(s), %2 of them with listed supervision, public notices or interviews (shaded); %3 overdue case(s) now. Select a unit to see its records.</source>
        <translation>
            <numerusform>%1：共 %n 个单位，其中 %2 个有挂牌督办、通报或约谈（底色标出）；目前超期案件 %3 件。选中单位可查看其记录。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a unit to see its supervision records, returns and missed joint mediations in the period.</source>
        <translation>选中上表中的单位，查看其在统计期间内的督办记录、退单和联合调解缺席情况。</translation>
    </message>
    <message>
        <source>Supervision records, returns and missed joint mediations of %1 in the period</source>
        <translation>%1在统计期间内的督办记录、退单和联合调解缺席情况</translation>
    </message>
    <message>
        <source>Unit assessment %1</source>
        <translation>单位考评 %1</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>%1: case %2</source>
        <translation>%1：案件 %2</translation>
    </message>
    <message>
        <source>Ctrl+Enter: %1 · Esc: cancel</source>
        <translation>Ctrl+Enter：%1 · Esc：取消</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>How the unit will handle it (optional)</source>
        <translation>单位拟如何办理（选填）</translation>
    </message>
    <message>
        <source>&amp;Reason for returning</source>
        <translation>退单理由(&amp;R)</translation>
    </message>
    <message>
        <source>Why the matter is outside the unit&apos;s remit</source>
        <translation>为何不属于本单位职责</translation>
    </message>
    <message>
        <source>&amp;Result</source>
        <translation>办理结果(&amp;R)</translation>
    </message>
    <message>
        <source>What the unit did and the result</source>
        <translation>单位做了哪些工作、结果如何</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>Why the matter is beyond this level&apos;s authority</source>
        <translation>为何超出本级权限</translation>
    </message>
    <message>
        <source>Upper center&apos;s &amp;opinion</source>
        <translation>上级中心意见(&amp;O)</translation>
    </message>
    <message>
        <source>What the upper center decided</source>
        <translation>上级中心的处理意见</translation>
    </message>
    <message>
        <source>What is missing from the unit&apos;s feedback</source>
        <translation>单位反馈中还缺什么、需重办哪些内容</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Optional: what arrived or was done</source>
        <translation>选填：已补交的材料或已完成的事项</translation>
    </message>
</context>
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
    <name>AttachmentListModel</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>attached</source>
        <translation>已附</translation>
    </message>
</context>
<context>
    <name>AttachmentsModel</name>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source> (removed)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source> (file not on this desk yet)</source>
        <translation>（文件尚未同步到本窗口）</translation>
    </message>
    <message>
        <source>Double-click to open</source>
        <translation>双击打开</translation>
    </message>
</context>
<context>
    <name>BoardModel</name>
    <message>
        <source>%1: %2 case(s), %3 overdue</source>
        <extracomment>The case&apos;s UUID (None for a card not read yet). The `board.Card` (None for one not read yet). A column&apos;s key (a status, a unit code or a level). A column&apos;s number of cards, or a card&apos;s case row id. Rows read around one a view asks for (views show about ten at a time), and how far ahead of the rows shown the next ones are read. Rows a column shows at first, and more each time its view scrolls to the end. A view lays out every row it is shown (asking the model for each one&apos;s index), so a column of 25,000 cases is handed to it a screenful at a time, as Qt&apos;s fetchMore example does. Cards kept at most; beyond it the cache starts again (the views ask for what they show). A card was dropped on another column: the card and the column&apos;s key. Cards arrived from the runner (how many).</extracomment>
        <translation>%1：%2 件，其中超期 %3 件</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Applicant: %1</source>
        <translation>申请人：%1</translation>
    </message>
    <message>
        <source>Responsible unit: %1</source>
        <translation>责任单位：%1</translation>
    </message>
    <message>
        <source>Deadline: %1</source>
        <translation>期限：%1</translation>
    </message>
    <message>
        <source>Supervision: %1</source>
        <translation>督办：%1</translation>
    </message>
    <message>
        <source>repeat visit</source>
        <translation>重复来访</translation>
    </message>
    <message>
        <source>may turn into a police matter</source>
        <translation>可能激化为治安、刑事案件</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>group matter</source>
        <translation>群体性事件</translation>
    </message>
    <message>
        <source>Marks: %1</source>
        <translation>标记：%1</translation>
    </message>
</context>
<context>
    <name>BoardPage</name>
    <message>
        <source>By sta&amp;ge</source>
        <extracomment>Commits and syncs come in bursts: read once they settle. The model&apos;s column this widget shows (-1: none yet), and its key. A card was opened (double-click or Enter): the case&apos;s UUID. A snapshot arrived and is shown: how many cards it shows. A workflow action from the board was done: its `workflow.Outcome`.</extracomment>
        <translation>按阶段(&amp;G)</translation>
    </message>
    <message>
        <source>By &amp;unit</source>
        <translation>按单位(&amp;U)</translation>
    </message>
    <message>
        <source>By le&amp;vel</source>
        <translation>按层级(&amp;V)</translation>
    </message>
    <message>
        <source>Case number, matter or applicant</source>
        <translation>案件编号、事项或申请人</translation>
    </message>
    <message>
        <source>Any warning state</source>
        <translation>预警：全部</translation>
    </message>
    <message>
        <source>With a warning</source>
        <translation>有预警</translation>
    </message>
    <message>
        <source>No warning</source>
        <translation>无预警</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>&amp;Clear filters</source>
        <translation>清除筛选(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>U&amp;nit</source>
        <translation>单位(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation>层级(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>类型(&amp;T)</translation>
    </message>
    <message>
        <source>Town&amp;ship</source>
        <translation>乡镇(&amp;S)</translation>
    </message>
    <message>
        <source>Chann&amp;el</source>
        <translation>渠道(&amp;E)</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部层级</translation>
    </message>
    <message>
        <source>Not triaged</source>
        <translation>未研判</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All townships</source>
        <translation>全部乡镇（街道）</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Not routed</source>
        <translation>未交办</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <source>%1 of %2 open cases match the filters.</source>
        <translation>在办案件 %2 件，符合筛选条件的 %1 件。</translation>
    </message>
    <message>
        <source>%1 open cases.</source>
        <translation>在办案件 %1 件。</translation>
    </message>
    <message>
        <source>Drag a card to another stage or right-click it to move it on.</source>
        <translation>把卡片拖到其他阶段，或右键单击卡片，办理下一步。</translation>
    </message>
    <message>
        <source>Right-click a card to move it on.</source>
        <translation>右键单击卡片可办理下一步。</translation>
    </message>
    <message>
        <source>Double-click to open a case.</source>
        <translation>双击卡片查看案件详情。</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>&amp;Open case</source>
        <translation>打开案件(&amp;O)</translation>
    </message>
    <message>
        <source>%1 (triage first)</source>
        <translation>%1（先研判）</translation>
    </message>
    <message>
        <source>No steps open to your role at this stage</source>
        <translation>您的角色在此阶段没有可办理的步骤</translation>
    </message>
    <message>
        <source>Case %1 moved to %2.</source>
        <translation>案件 %1 已移至“%2”。</translation>
    </message>
    <message>
        <source>%1 done for case %2.</source>
        <translation>案件 %2 已%1。</translation>
    </message>
    <message>
        <source>The case is no longer open.</source>
        <translation>该案件已不在办理中。</translation>
    </message>
</context>
<context>
    <name>CancelMeetingDialog</name>
    <message>
        <source>Cancel the joint mediation</source>
        <translation>取消联合调解</translation>
    </message>
    <message>
        <source>Cancel the meeting of %1 at %2? The units summoned should be told.</source>
        <translation>取消 %1 在%2的联合调解？请同时告知已通知的单位。</translation>
    </message>
    <message>
        <source>&amp;Reason for cancelling</source>
        <translation>取消原因(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel the &amp;meeting</source>
        <translation>取消调解(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Keep it</source>
        <translation>不取消(&amp;K)</translation>
    </message>
</context>
<context>
    <name>CardDelegate</name>
    <message>
        <source>Repeat</source>
        <extracomment>Space around a card, inside it, and the width of its warning bar. The warning colours. The marks&apos; colours.</extracomment>
        <translation>重访</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群体</translation>
    </message>
    <message>
        <source>Clock paused</source>
        <translation>暂停计时</translation>
    </message>
    <message numerus="yes">
        <source>Feedback %n day(s) late</source>
        <translation>
            <numerusform>反馈逾期 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Feedback late</source>
        <translation>反馈逾期</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>超期 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) overdue</source>
        <translation>
            <numerusform>超期 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>Just overdue</source>
        <translation>刚超期</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>剩 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) left</source>
        <translation>
            <numerusform>剩 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>Under an hour left</source>
        <translation>剩不足 1 小时</translation>
    </message>
    <message>
        <source>Upper center</source>
        <translation>上级中心</translation>
    </message>
    <message>
        <source>Not routed yet</source>
        <translation>尚未交办</translation>
    </message>
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <source>Open a case from the list to see it here.</source>
        <translation>在上方列表中打开一件案件，在此查看详情。</translation>
    </message>
    <message>
        <source>&amp;Correct…</source>
        <translation>更正(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Void…</source>
        <translation>作废(&amp;V)…</translation>
    </message>
    <message>
        <source>Print &amp;receipt…</source>
        <translation>打印回执(&amp;R)…</translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation>办理：</translation>
    </message>
    <message>
        <source>none open to you</source>
        <translation>您当前没有可办理的操作</translation>
    </message>
    <message>
        <source>Print routing &amp;slip…</source>
        <translation>打印交办单(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Joint mediation…</source>
        <translation>联合调解(&amp;J)…</translation>
    </message>
    <message>
        <source>Summon several units to an on-site mediation and record who came</source>
        <translation>通知多个单位到场联合调解，并记录到场情况</translation>
    </message>
    <message>
        <source>S&amp;upervision…</source>
        <translation>督办(&amp;U)…</translation>
    </message>
    <message>
        <source>Urge or supervise the units handling the case and record their answers</source>
        <translation>对承办单位催办、督办，并记录单位的答复</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>当前环节</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <source>Registered by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation>来访人数</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>发生地</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>研判结论</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Triage reason</source>
        <translation>研判意见</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>主要事实</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>申请人诉求</translation>
    </message>
    <message>
        <source>&amp;Parties (%1)</source>
        <translation>当事人(&amp;P)（%1）</translation>
    </message>
    <message>
        <source>&amp;Attachments (%1)</source>
        <translation>附件(&amp;A)（%1）</translation>
    </message>
    <message>
        <source>His&amp;tory (%1)</source>
        <translation>办理经过(&amp;T)（%1）</translation>
    </message>
    <message>
        <source>&amp;Dispatches (%1)</source>
        <translation>交办记录(&amp;D)（%1）</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取……</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Voided at %1: %2</source>
        <translation>已于 %1 作废：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n 人</numerusform>
        </translation>
    </message>
    <message>
        <source>, group visit</source>
        <translation>，集体访</translation>
    </message>
    <message>
        <source>This case has been voided: it cannot be changed.</source>
        <translation>该案件已作废，不能再更正或作废。</translation>
    </message>
    <message>
        <source>Only its clerk, an officer or an administrator can change this case.</source>
        <translation>只有登记该案件的受理员、研判督办人员或管理员可以更正或作废该案件。</translation>
    </message>
    <message>
        <source>A voided case has no receipt.</source>
        <translation>已作废的案件不能打印受理回执。</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>临期</translation>
    </message>
    <message>
        <source>; co-handling: %1</source>
        <translation>；协办：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n time(s) (latest: %1, %2)</source>
        <translation>
            <numerusform>%n 次（最近：%1，%2）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n awaiting an answer</source>
        <translation>
            <numerusform>；%n 条待答复</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · due %2 · clock paused since %3</source>
        <translation>%1 · 期限 %2 · 自 %3 起暂停计时</translation>
    </message>
    <message>
        <source>%1 · due %2</source>
        <translation>%1 · 期限 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s) left</source>
        <translation>
            <numerusform>剩 %n 个工作日</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>剩 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s) overdue</source>
        <translation>
            <numerusform>已超期 %n 个工作日</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>已超期 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · due %2 (%3)</source>
        <translation>%1 · 期限 %2（%3）</translation>
    </message>
    <message>
        <source>%1 done: the case is now “%2”.</source>
        <translation>%1完成，案件状态：%2。</translation>
    </message>
    <message>
        <source>Routing slip %1</source>
        <translation>交办单 %1</translation>
    </message>
    <message>
        <source>an earlier case not on this desk</source>
        <translation>前案不在本窗口（可能尚未同步）</translation>
    </message>
    <message>
        <source> (voided)</source>
        <translation>（已作废）</translation>
    </message>
    <message>
        <source>Repeat visit, earlier case %1</source>
        <translation>重复来访，前案 %1</translation>
    </message>
    <message>
        <source>Later repeat visits: %1</source>
        <translation>后续重复来访：%1</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Risk of a police matter</source>
        <translation>可能激化为治安、刑事案件</translation>
    </message>
    <message>
        <source>: reported to %1 at %2</source>
        <translation>：已于 %2 报告%1</translation>
    </message>
    <message>
        <source>Group matter</source>
        <translation>群体性事件</translation>
    </message>
    <message>
        <source>Foreign-related</source>
        <translation>涉外</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
</context>
<context>
    <name>CaseResultsModel</name>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>发生地</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Matched</source>
        <translation>匹配项</translation>
    </message>
    <message>
        <source> (voided)</source>
        <translation>（已作废）</translation>
    </message>
</context>
<context>
    <name>CentralConnectionDialog</name>
    <message>
        <source>Central connection</source>
        <translation>中心连接</translation>
    </message>
    <message>
        <source>The center&apos;s PostgreSQL database, as its administrator gave it to you. The password is kept in the system&apos;s keyring, never in the settings file.</source>
        <translation>中心的 PostgreSQL 数据库，按中心管理员提供的信息填写。密码保存在系统密钥环中，不写入设置文件。</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>e.g. 10.53.1.20 or db.example.gov.cn</source>
        <translation>例如：10.53.1.20 或 db.example.gov.cn</translation>
    </message>
    <message>
        <source>e.g. central</source>
        <translation>例如：central</translation>
    </message>
    <message>
        <source>Encrypt when the server offers it (default)</source>
        <translation>服务器支持时加密（默认）</translation>
    </message>
    <message>
        <source>No encryption</source>
        <translation>不加密</translation>
    </message>
    <message>
        <source>Encrypt</source>
        <translation>加密</translation>
    </message>
    <message>
        <source>Encrypt and verify the certificate</source>
        <translation>加密并验证证书</translation>
    </message>
    <message>
        <source>The center&apos;s CA certificate (root.crt)</source>
        <translation>中心的 CA 证书（root.crt）</translation>
    </message>
    <message>
        <source>Save and en&amp;roll</source>
        <translation>保存并登记(&amp;R)</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>浏览(&amp;W)…</translation>
    </message>
    <message>
        <source>P&amp;ort</source>
        <translation>端口(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Host</source>
        <translation>主机(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>库名(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Encryption</source>
        <translation>加密(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;CA certificate</source>
        <translation>CA 证书(&amp;C)</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Division or unit codes, separated by commas, e.g. 532801103</source>
        <translation>区划代码或单位代码，用逗号分隔，例如：532801103</translation>
    </message>
    <message>
        <source>This PC takes over from the retired PC enrolled under this desk code</source>
        <translation>接替：本机接替原先以此窗口编号登记、现已停用的电脑</translation>
    </message>
    <message>
        <source>Desk code</source>
        <translation>窗口编号</translation>
    </message>
    <message>
        <source>&amp;Scope</source>
        <translation>同步范围(&amp;S)</translation>
    </message>
    <message>
        <source>Saved; leave empty to keep it</source>
        <translation>已保存；留空则沿用</translation>
    </message>
    <message>
        <source>The center&apos;s CA certificate</source>
        <translation>中心的 CA 证书</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>证书 (*.crt *.pem *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接……</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>正在登记……</translation>
    </message>
    <message>
        <source>Desk %1 is enrolled; its scope: %2. Sync starts now.</source>
        <translation>窗口 %1 已登记，同步范围：%2。现在开始同步。</translation>
    </message>
    <message>
        <source>It took over from the PC enrolled under this code before.</source>
        <translation>已接替原先以此编号登记的电脑。</translation>
    </message>
    <message numerus="yes">
        <source>%n number counter(s) raised to the center&apos;s record: no number is issued twice.</source>
        <translation>
            <numerusform>%n 个编号计数器已按中心记录调高，已用过的编号不会重复。</numerusform>
        </translation>
    </message>
    <message>
        <source>Please correct the fields marked.</source>
        <translation>请改正标出的各项。</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Not referred</source>
        <translation>不转出</translation>
    </message>
    <message>
        <source>Required when the mediation failed or was terminated</source>
        <translation>调解不成或终止的，须说明原因</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>办理结果(&amp;O)</translation>
    </message>
    <message>
        <source>Re&amp;ferred to</source>
        <translation>转出方式(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>说明(&amp;N)</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <source>Case number</source>
        <translation>受理编号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>冲突内容</translation>
    </message>
    <message>
        <source>Value at the desk</source>
        <translation>窗口的值</translation>
    </message>
    <message>
        <source>Central value</source>
        <translation>中心的值</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>发现时间</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Settle the selected conflict</source>
        <extracomment>Emitted after a conflict was settled here (the status bar&apos;s count changes).</extracomment>
        <translation>处理选中的冲突</translation>
    </message>
    <message>
        <source>Type a merged value:</source>
        <translation>填写合并后的值：</translation>
    </message>
    <message>
        <source>e.g. confirmed with both parties by phone</source>
        <translation>例如：已电话向双方当事人核实</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>采用</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>&amp;Settle</source>
        <translation>处理(&amp;S)</translation>
    </message>
    <message numerus="yes">
        <source>%n open conflict(s).</source>
        <translation>
            <numerusform>共 %n 个待处理的同步冲突。</numerusform>
        </translation>
    </message>
    <message>
        <source>No open conflicts: every change reached the center.</source>
        <translation>没有待处理的同步冲突：所有更改均已送达中心。</translation>
    </message>
    <message>
        <source>The desk&apos;s value</source>
        <translation>窗口的值</translation>
    </message>
    <message>
        <source>The central value</source>
        <translation>中心的值</translation>
    </message>
    <message>
        <source>Desk %1&apos;s value: %2 (%3, %4)</source>
        <translation>窗口 %1 的值：%2（%3，%4）</translation>
    </message>
    <message>
        <source>Central value: %1 (%2)</source>
        <translation>中心的值：%1（%2）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>Acknowledge: the center keeps its record (%1)</source>
        <translation>确认知悉：以中心记录为准（%1）</translation>
    </message>
</context>
<context>
    <name>ConveneDialog</name>
    <message>
        <source>Convene a joint mediation — %1</source>
        <extracomment>A unit item&apos;s code, and the text type-to-filter looks in (name, short name, code).</extracomment>
        <translation>组织联合调解 — %1</translation>
    </message>
    <message>
        <source>Convene a joint mediation</source>
        <translation>组织联合调解</translation>
    </message>
    <message>
        <source>The center summons the units concerned to mediate together (中心吹哨、部门报到). Each unit&apos;s confirmation and attendance are recorded.</source>
        <translation>由中心通知有关单位共同调解（中心吹哨、部门报到），各单位的确认和到场情况都将记录在案。</translation>
    </message>
    <message>
        <source>e.g. mediation room 2 of the center</source>
        <translation>例如：中心第二调解室</translation>
    </message>
    <message>
        <source>Type to filter units by name or code</source>
        <translation>输入单位名称或代码筛选</translation>
    </message>
    <message>
        <source>&amp;Time (Beijing time)</source>
        <translation>调解时间（北京时间）(&amp;T)</translation>
    </message>
    <message>
        <source>Meeting &amp;place</source>
        <translation>调解地点(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;What is to be mediated</source>
        <translation>调解事项(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Units summoned</source>
        <translation>通知单位(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Expert video link (optional)</source>
        <translation>专家视频链接（可选）(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Convene</source>
        <translation>组织调解(&amp;C)</translation>
    </message>
    <message>
        <source>No unit chosen yet: tick at least two.</source>
        <translation>尚未选择单位：请至少勾选两个。</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) chosen: %1</source>
        <translation>
            <numerusform>已选 %n 个单位：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Correct case %1</source>
        <translation>更正案件 %1</translation>
    </message>
    <message>
        <source>Correct a registered case</source>
        <translation>更正已登记案件</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Discard the correction</source>
        <translation>放弃更正</translation>
    </message>
    <message>
        <source>Close without saving your changes to this case?</source>
        <translation>关闭而不保存对本案的修改？</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>To: %1</source>
        <translation>承办单位：%1</translation>
    </message>
    <message>
        <source>; co-handling: %1</source>
        <translation>；协办：%1</translation>
    </message>
    <message>
        <source>What the unit is asked to do, and what to report</source>
        <translation>请单位办理的事项，以及需反馈的内容</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Why the longer limit applies</source>
        <translation>为何适用较长期限</translation>
    </message>
    <message>
        <source>&amp;What is asked</source>
        <translation>交办事项(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Handling time</source>
        <translation>办理期限(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Reason for the longer time</source>
        <translation>较长期限理由(&amp;R)</translation>
    </message>
    <message>
        <source>No handling rule applies: the service decides.</source>
        <translation>没有适用的办理期限规则：提交时由系统判定。</translation>
    </message>
    <message>
        <source>Default %1 (%2).</source>
        <translation>默认 %1（%2）。</translation>
    </message>
    <message>
        <source>Up to %1 with a reason (%2).</source>
        <translation>说明理由可至 %1（%2）。</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s)</source>
        <translation>
            <numerusform>%n 个工作日</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 日</numerusform>
        </translation>
    </message>
    <message>
        <source>working days</source>
        <translation>按工作日计</translation>
    </message>
    <message>
        <source>calendar days</source>
        <translation>按自然日计</translation>
    </message>
    <message>
        <source>%1, due %2</source>
        <translation>%1，期限至 %2</translation>
    </message>
</context>
<context>
    <name>DispatchesModel</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>交办时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>交办事项</translation>
    </message>
    <message>
        <source>
Slip %1</source>
        <translation>
交办单编号 %1</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>承办</translation>
    </message>
    <message>
        <source>co-handling</source>
        <translation>协办</translation>
    </message>
    <message>
        <source> (by the center)</source>
        <translation>（中心代签）</translation>
    </message>
</context>
<context>
    <name>DraftOffer</name>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
</context>
<context>
    <name>EarlierCaseDelegate</name>
    <message>
        <source>✓ Repeat visit</source>
        <translation>✓ 重复来访</translation>
    </message>
    <message>
        <source>Mark as repeat visit</source>
        <translation>标为重复来访</translation>
    </message>
</context>
<context>
    <name>EarlierCasesModel</name>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>昨天</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>%n 个月前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>%n 年前</numerusform>
        </translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>name in the village</source>
        <translation>同村同名</translation>
    </message>
    <message>
        <source>Same %1: %2</source>
        <translation>相同%1：%2</translation>
    </message>
</context>
<context>
    <name>EnquiriesModel</name>
    <message>
        <source>Received</source>
        <translation>来访时间</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>来访人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>咨询类别</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>咨询内容</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>Referred to</source>
        <translation>引导去向</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>转案</translation>
    </message>
    <message>
        <source>Question: %1</source>
        <translation>咨询：%1</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>答复：%1</translation>
    </message>
    <message>
        <source>Turned into a case</source>
        <translation>已转为案件</translation>
    </message>
</context>
<context>
    <name>EnquiriesPage</name>
    <message>
        <source>Legal advice</source>
        <translation>法律咨询</translation>
    </message>
    <message>
        <source>Policy advice</source>
        <translation>政策咨询</translation>
    </message>
    <message>
        <source>Other advice</source>
        <translation>其他咨询</translation>
    </message>
    <message>
        <source>Register an enquiry</source>
        <translation>咨询登记</translation>
    </message>
    <message>
        <source>Mobile or landline, may be left empty</source>
        <translation>手机或座机，可不填</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>What the visitor asked</source>
        <translation>来访人咨询的问题</translation>
    </message>
    <message>
        <source>The advice given, and the law or policy cited</source>
        <translation>给出的答复，以及所依据的法律或政策</translation>
    </message>
    <message>
        <source>e.g. a township justice office</source>
        <translation>例如：乡镇（街道）司法所</translation>
    </message>
    <message>
        <source>&amp;Visitor</source>
        <translation>来访人(&amp;V)</translation>
    </message>
    <message>
        <source>P&amp;hone</source>
        <translation>联系电话(&amp;H)</translation>
    </message>
    <message>
        <source>To&amp;pic</source>
        <translation>咨询类别(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Dispute type</source>
        <translation>纠纷类型(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Question</source>
        <translation>咨询内容(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Answer given</source>
        <translation>答复内容(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Referred to</source>
        <translation>引导去向(&amp;R)</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the enquiry (%1)</source>
        <translation>保存咨询登记（%1）</translation>
    </message>
    <message>
        <source>no name yet</source>
        <translation>尚未填写姓名</translation>
    </message>
    <message>
        <source>Unsaved enquiry</source>
        <translation>未保存的咨询登记</translation>
    </message>
    <message>
        <source>An enquiry you typed at %1 was not saved (%2). Restore it to the form?</source>
        <translation>您在 %1 填写的咨询登记尚未保存（%2）。要恢复到表中吗？</translation>
    </message>
    <message>
        <source>Saved the enquiry of %1.</source>
        <translation>已保存 %1 的咨询登记。</translation>
    </message>
    <message>
        <source>Enquiries</source>
        <translation>咨询记录</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <source>T&amp;o</source>
        <translation>至(&amp;O)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <source>&amp;Turn into a case…</source>
        <translation>转为案件(&amp;T)…</translation>
    </message>
    <message>
        <source>The matter is a dispute: open the intake form filled from this enquiry</source>
        <translation>该事项属于矛盾纠纷：按本条咨询登记预填受理表单，转为案件</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Turned into cases</source>
        <translation>转为案件</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>EscalateDialog</name>
    <message>
        <source>Report &amp;to</source>
        <translation>上报至(&amp;T)</translation>
    </message>
</context>
<context>
    <name>EventsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Time taken</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>under a minute</source>
        <translation>不到 1 分钟</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>Time in “%1”: %2</source>
        <translation>在“%1”状态停留 %2</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <source>Handling deadline now: %1</source>
        <translation>当前办理期限：%1</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Why more time is needed</source>
        <translation>为何需要延长</translation>
    </message>
    <message>
        <source>Both parties agreed to the extension</source>
        <translation>双方当事人同意延长期限</translation>
    </message>
    <message>
        <source>&amp;Extend by</source>
        <translation>延长天数(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>延期理由(&amp;R)</translation>
    </message>
</context>
<context>
    <name>FiguresModel</name>
    <message>
        <source>No.</source>
        <extracomment>The sort key of a cell (numbers as numbers; &quot;no average&quot; before every average). The background of a unit with 挂牌督办, 通报 or 约谈 in the period.</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>交办</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>Signed late</source>
        <translation>超时签收</translation>
    </message>
    <message>
        <source>Fed back</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Avg. days</source>
        <translation>平均办理天数</translation>
    </message>
    <message>
        <source>Urged</source>
        <translation>催办</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>挂牌督办</translation>
    </message>
    <message>
        <source>Notified</source>
        <translation>通报</translation>
    </message>
    <message>
        <source>Interviewed</source>
        <translation>约谈</translation>
    </message>
    <message>
        <source>Missed meetings</source>
        <translation>联合调解缺席</translation>
    </message>
    <message>
        <source>Listed supervision, public notice or interview in the period</source>
        <extracomment>The supervision rung of each ladder column.</extracomment>
        <translation>统计期间内被挂牌督办、通报或约谈</translation>
    </message>
    <message>
        <source>Counted now, not over the period</source>
        <translation>按当前时间统计，不按统计期间</translation>
    </message>
    <message>
        <source>Calendar days from dispatch to feedback, of the feedback in the period</source>
        <translation>统计期间内反馈的案件自交办至反馈的平均自然日数</translation>
    </message>
    <message>
        <source>Summoned to %1 joint mediation(s), missed %2</source>
        <translation>通知参加联合调解 %1 次，缺席 %2 次</translation>
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
    <name>IntakeForm</name>
    <message>
        <source>Registering a case from an advice-only visit: saving links the two.</source>
        <translation>正在把咨询登记转为案件：保存后两者关联。</translation>
    </message>
    <message>
        <source>&amp;Visit</source>
        <translation>来访信息(&amp;V)</translation>
    </message>
    <message>
        <source>Beijing time</source>
        <translation>北京时间</translation>
    </message>
    <message>
        <source>Gro&amp;up visit</source>
        <translation>集体访(&amp;U)</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>&amp;Channel</source>
        <translation>来源渠道(&amp;C)</translation>
    </message>
    <message>
        <source>Channel n&amp;ote</source>
        <translation>来源说明(&amp;O)</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>受理人</translation>
    </message>
    <message>
        <source>V&amp;isitors</source>
        <translation>来访人数(&amp;I)</translation>
    </message>
    <message>
        <source>Parti&amp;es</source>
        <translation>当事人(&amp;E)</translation>
    </message>
    <message>
        <source>Add &amp;applicant</source>
        <translation>添加申请人(&amp;A)</translation>
    </message>
    <message>
        <source>Add &amp;respondent</source>
        <translation>添加被申请人(&amp;R)</translation>
    </message>
    <message>
        <source>Add third &amp;party</source>
        <translation>添加第三人(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Matter</source>
        <translation>纠纷事项(&amp;M)</translation>
    </message>
    <message>
        <source>A short title, e.g. who disputes what with whom</source>
        <translation>简要标题，例如：谁与谁因何事发生纠纷</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取……</translation>
    </message>
    <message>
        <source>Group, street, house number, landmark…</source>
        <translation>村民小组、街道、门牌号、标志性地点……</translation>
    </message>
    <message>
        <source>Ris&amp;k of a police or criminal matter</source>
        <translation>可能激化为治安、刑事案件(&amp;K)</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>派出所</translation>
    </message>
    <message>
        <source>Group matter</source>
        <translation>群体性事件</translation>
    </message>
    <message>
        <source>Foreign or border-related</source>
        <translation>涉外/涉边</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Tit&amp;le</source>
        <translation>事项标题(&amp;L)</translation>
    </message>
    <message>
        <source>Dispute t&amp;ype</source>
        <translation>纠纷类型(&amp;Y)</translation>
    </message>
    <message>
        <source>Su&amp;b-type</source>
        <translation>纠纷子类(&amp;B)</translation>
    </message>
    <message>
        <source>To&amp;wnship</source>
        <translation>乡镇（街道）(&amp;W)</translation>
    </message>
    <message>
        <source>Villa&amp;ge</source>
        <translation>村（社区）(&amp;G)</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>详细地点</translation>
    </message>
    <message>
        <source>&amp;Facts</source>
        <translation>主要事实(&amp;F)</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>申请人诉求</translation>
    </message>
    <message>
        <source>Reported to</source>
        <translation>报告给</translation>
    </message>
    <message>
        <source>at</source>
        <translation>报告时间</translation>
    </message>
    <message>
        <source>A&amp;ttachments</source>
        <translation>附件(&amp;T)</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件……</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>移除文件</translation>
    </message>
    <message>
        <source>Photos or scans (%1), up to %2 MB each; drop files anywhere on the form.</source>
        <translation>照片或扫描件（%1），每个不超过 %2 MB；可把文件拖到表单任意位置。</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>What was wrong, and who asked for the change</source>
        <translation>哪里登记错了，由谁提出更正</translation>
    </message>
    <message>
        <source>Reaso&amp;n for correction</source>
        <translation>更正原因(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new form (Ctrl+N)</source>
        <translation>新建一张登记表（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Earlier visits</source>
        <translation>以往来访</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Photos and scans (%1)</source>
        <translation>照片和扫描件（%1）</translation>
    </message>
    <message>
        <source>“%1” is not a file that can be attached</source>
        <translation>“%1”不是可以附上的文件</translation>
    </message>
    <message>
        <source>“%1” cannot be attached: only photos or scans (%2)</source>
        <translation>不能附上“%1”：只能附照片或扫描件（%2）</translation>
    </message>
    <message>
        <source>“%1” is empty: scan or photograph it again</source>
        <translation>“%1”是空文件，请重新扫描或拍照</translation>
    </message>
    <message>
        <source>“%1” is %2 MB, more than %3 MB: compress it or scan at a lower resolution</source>
        <translation>“%1”有 %2 MB，超过 %3 MB：请压缩或降低扫描分辨率后再附</translation>
    </message>
    <message>
        <source>At most %1 attachments per case</source>
        <translation>每个案件最多 %1 个附件</translation>
    </message>
    <message>
        <source>From whom (required)</source>
        <translation>移交或交办单位（必填）</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存……</translation>
    </message>
    <message>
        <source>Registered %1</source>
        <translation>已登记 %1</translation>
    </message>
    <message>
        <source>Corrected %1</source>
        <translation>已更正 %1</translation>
    </message>
    <message>
        <source>New form</source>
        <translation>新建登记表</translation>
    </message>
    <message>
        <source>Discard what you typed and start a new form?</source>
        <translation>放弃已填写的内容，新建一张登记表？</translation>
    </message>
    <message>
        <source>Clear the form</source>
        <translation>清空表单</translation>
    </message>
    <message>
        <source>Clear everything typed for this visitor?</source>
        <translation>清空为这位来访人填写的全部内容？</translation>
    </message>
    <message>
        <source>Earlier visits (%1)</source>
        <translation>以往来访（%1）</translation>
    </message>
    <message>
        <source>no name or title yet</source>
        <translation>尚未填写姓名和标题</translation>
    </message>
    <message>
        <source>Unsaved registration</source>
        <translation>未保存的案件登记</translation>
    </message>
    <message>
        <source>A case registration you typed at %1 was not saved (%2). Restore it to the form?</source>
        <translation>您在 %1 填写的案件登记尚未保存（%2）。要恢复到登记表中吗？</translation>
    </message>
    <message>
        <source>&amp;Save correction</source>
        <translation>保存更正(&amp;S)</translation>
    </message>
</context>
<context>
    <name>JointMediationDialog</name>
    <message>
        <source>Joint mediation</source>
        <extracomment>Something was written (convened, confirmed, recorded, cancelled). The case&apos;s meetings were (re)read: how many.</extracomment>
        <translation>联合调解</translation>
    </message>
    <message>
        <source>&amp;Convene a joint mediation…</source>
        <translation>组织联合调解(&amp;C)…</translation>
    </message>
    <message>
        <source>Unit con&amp;firms</source>
        <translation>确认参加(&amp;F)</translation>
    </message>
    <message>
        <source>Record that the selected unit will come</source>
        <translation>记录所选单位确认参加</translation>
    </message>
    <message>
        <source>&amp;Record attendance…</source>
        <translation>记录到场情况(&amp;R)…</translation>
    </message>
    <message>
        <source>C&amp;ancel the meeting…</source>
        <translation>取消(&amp;A)…</translation>
    </message>
    <message>
        <source>Only triage officers and administrators may do this</source>
        <translation>仅研判督办人员和管理员可以操作</translation>
    </message>
    <message>
        <source>Joint mediation — %1</source>
        <translation>联合调解 — %1</translation>
    </message>
    <message>
        <source>Joint mediations of case %1</source>
        <translation>案件 %1 的联合调解</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>No joint mediation on this case yet.</source>
        <translation>本案尚未组织联合调解。</translation>
    </message>
    <message>
        <source>No joint mediation on this case yet: “Convene a joint mediation…” summons the units concerned.</source>
        <translation>本案尚未组织联合调解：点击“组织联合调解…”通知有关单位。</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>调解事项</translation>
    </message>
    <message>
        <source>Expert video link</source>
        <translation>专家视频链接</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>调解情况</translation>
    </message>
    <message>
        <source>Reason for cancelling</source>
        <translation>取消原因</translation>
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
        <source>Warnings</source>
        <translation>预警</translation>
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
        <source>Unit assessment</source>
        <translation>单位考评</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
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
        <source>&amp;Case registration</source>
        <translation>案件登记(&amp;C)</translation>
    </message>
    <message>
        <source>Advice-only &amp;visits</source>
        <translation>咨询登记(&amp;V)</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>受理回执 %1</translation>
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
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Send this desk&apos;s changes and fetch the center&apos;s now</source>
        <translation>现在就把本窗口的更改发往中心，并取回中心的更改</translation>
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
    <name>MeetingsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Meeting place</source>
        <translation>调解地点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>通知单位</translation>
    </message>
    <message>
        <source>Convened by</source>
        <translation>组织人</translation>
    </message>
    <message numerus="yes">
        <source>%n summoned, %1 came</source>
        <translation>
            <numerusform>通知 %n 个，到场 %1 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n summoned, %1 confirmed</source>
        <translation>
            <numerusform>通知 %n 个，已确认 %1 个</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PartiesModel</name>
    <message>
        <source>Role</source>
        <extracomment>The deadline line&apos;s colour when the step is overdue, and when it is 临期.</extracomment>
        <translation>身份</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Ethnicity / nationality</source>
        <translation>民族/国籍</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Removed from the case: %1</source>
        <translation>已从本案删除：%1</translation>
    </message>
    <message>
        <source> (removed)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>代表</translation>
    </message>
    <message>
        <source>Interpreter: %1</source>
        <translation>需翻译：%1</translation>
    </message>
    <message>
        <source>Legal representative: %1</source>
        <translation>法定代表人：%1</translation>
    </message>
    <message>
        <source>Contact: %1</source>
        <translation>联系人：%1</translation>
    </message>
</context>
<context>
    <name>PartyEditor</name>
    <message>
        <source>Representative of the group</source>
        <translation>集体访代表</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this party from the form</source>
        <translation>从表单中删除这名当事人</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日，如 1990-03-15</translation>
    </message>
    <message>
        <source>e.g. Laos</source>
        <translation>例如：老挝</translation>
    </message>
    <message>
        <source>needed</source>
        <translation>需要</translation>
    </message>
    <message>
        <source>e.g. Dai</source>
        <translation>例如：傣语</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Credit code</source>
        <translation>信用代码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Legal rep.</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语种</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位名称</translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n 岁</numerusform>
        </translation>
    </message>
    <message>
        <source>Write the birth date as 1990-03-15</source>
        <translation>出生日期请按 1990-03-15 的格式填写</translation>
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
    <name>PauseDialog</name>
    <message>
        <source>What is awaited, from whom</source>
        <translation>等待什么、由谁提供</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>暂停原因(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>具体情况(&amp;D)</translation>
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
    <name>PrintPreviewDialog</name>
    <message>
        <source>Preparing the document…</source>
        <translation>正在生成文书…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>The document could not be shown.</source>
        <translation>文书无法显示。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
</context>
<context>
    <name>RaiseDialog</name>
    <message>
        <source>Urge or supervise a unit — %1</source>
        <extracomment>Voided rungs: greyed (and struck through but for the 已撤销 note). Days from today the answer-by date starts at. The units the case is dispatched to now, with the rungs open against each. The case&apos;s rungs, oldest first. Whether each unit named above has a desk of its own (it then answers itself).</extracomment>
        <translation>催办、督办 — %1</translation>
    </message>
    <message>
        <source>Urge or supervise a unit</source>
        <translation>催办、督办</translation>
    </message>
    <message>
        <source>The ladder: urge (催办) first; supervise (督办) only after urging the same unit; list (挂牌督办), circulate (通报) or summon (约谈) only after supervising. Each step counts in the unit&apos;s assessment.</source>
        <translation>逐级进行：先催办；对同一单位催办后方可督办；督办后方可挂牌督办、通报或约谈。每一次都计入该单位的考评。</translation>
    </message>
    <message>
        <source>lead unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>co-handling unit</source>
        <translation>协办单位</translation>
    </message>
    <message>
        <source>What the unit is asked to do, and by when it is to answer</source>
        <translation>要求该单位做什么、何时答复</translation>
    </message>
    <message>
        <source>Answer &amp;by</source>
        <translation>限期答复(&amp;B)</translation>
    </message>
    <message>
        <source>(Beijing time, end of the day)</source>
        <translation>（北京时间，当日24时前）</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>督办单位(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>督办方式(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>督办内容(&amp;M)</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>&amp;Issue</source>
        <translation>发出(&amp;I)</translation>
    </message>
    <message>
        <source>%1 (after a %2)</source>
        <translation>%1（须先%2）</translation>
    </message>
    <message>
        <source>Not open yet: %1</source>
        <translation>暂不可选：%1</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Record the joint mediation</source>
        <translation>记录联合调解情况</translation>
    </message>
    <message>
        <source>Meeting of %1 at %2. Tick each unit that came or not; for a unit that did not come, double-click its reason cell and say why.</source>
        <translation>%1 在%2召开的联合调解。请逐一勾选各单位是否到场；未到场的单位，双击其“未到场原因”单元格填写原因。</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Reason for absence</source>
        <translation>未到场原因</translation>
    </message>
    <message>
        <source>&amp;Attendance</source>
        <translation>到场情况(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Result of the mediation</source>
        <translation>调解情况(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save record</source>
        <translation>保存记录(&amp;S)</translation>
    </message>
    <message>
        <source>came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>did not come</source>
        <translation>未到场</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Double-click to say why the unit did not come</source>
        <translation>双击填写该单位未到场的原因</translation>
    </message>
</context>
<context>
    <name>RecordsModel</name>
    <message>
        <source>Date</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Content or reason</source>
        <translation>内容或理由</translation>
    </message>
    <message>
        <source>Unit&apos;s response</source>
        <translation>单位回复</translation>
    </message>
    <message>
        <source>(no response yet)</source>
        <translation>（未回复）</translation>
    </message>
</context>
<context>
    <name>RepeatPanel</name>
    <message>
        <source>Earlier visits</source>
        <translation>以往来访</translation>
    </message>
    <message>
        <source>Unmark</source>
        <translation>取消标记</translation>
    </message>
    <message>
        <source>Type a party&apos;s ID number or phone, or pick the village and type a name: earlier cases of the same person show here.</source>
        <translation>输入当事人的证件号码或电话，或选好村（社区）后输入姓名，这里会列出同一人以往的案件。</translation>
    </message>
    <message>
        <source>Looking for earlier cases…</source>
        <translation>正在查找以往案件……</translation>
    </message>
    <message numerus="yes">
        <source>%n earlier case(s) of these people. Click one to open it; its button marks this visit as a repeat of it.</source>
        <translation>
            <numerusform>这些当事人以往有 %n 件案件。点击可查看该案；点其中的按钮，可将本次来访标为该案的重复来访。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n earlier case(s) of these people. Its button marks this case as a repeat visit of it.</source>
        <translation>
            <numerusform>这些当事人以往有 %n 件案件。点其中的按钮，可将本案标为该案的重复来访。</numerusform>
        </translation>
    </message>
    <message>
        <source>No earlier case of these people.</source>
        <translation>没有找到这些当事人以往的案件。</translation>
    </message>
    <message>
        <source>an earlier case</source>
        <translation>前案</translation>
    </message>
    <message>
        <source>This visit is a repeat visit of the earlier case:</source>
        <translation>本次为重复来访，前案：</translation>
    </message>
</context>
<context>
    <name>RespondDialog</name>
    <message>
        <source>Record the unit&apos;s answer — %1</source>
        <translation>记录单位答复 — %1</translation>
    </message>
    <message>
        <source>%1 to %2 on %3 by %4:</source>
        <translation>%3 %4对%2%1：</translation>
    </message>
    <message>
        <source>Answer due by %1</source>
        <translation>限 %1 前答复</translation>
    </message>
    <message>
        <source>What the unit did about it, and the result</source>
        <translation>单位采取了什么措施、结果如何</translation>
    </message>
    <message>
        <source>Record on the unit&apos;s &amp;behalf (the center records the unit&apos;s answer)</source>
        <translation>代为登记(&amp;B)（由中心工作人员代单位登记答复）</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>单位答复(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>登记(&amp;R)</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Clock paused since %1: %2</source>
        <translation>自 %1 起暂停计时：%2</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Case number, ID number, phone or name</source>
        <translation>案件编号、身份证号、电话或姓名</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <source>Searching by %1…</source>
        <translation>正在按%1查询……</translation>
    </message>
    <message>
        <source>No case found by %1.</source>
        <translation>按%1没有查到案件。</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n cases found by %1: narrow the search to see older ones.</source>
        <translation>
            <numerusform>按%1查到的最近 %n 件案件：更早的案件请缩小查询范围。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) found by %1.</source>
        <translation>
            <numerusform>按%1查到 %n 件案件。</numerusform>
        </translation>
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
        <source>Central connection</source>
        <translation>中心连接</translation>
    </message>
    <message>
        <source>Central database</source>
        <translation>中心数据库</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>同步范围</translation>
    </message>
    <message>
        <source>Connection &amp;settings…</source>
        <translation>连接设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Only an administrator can change the central connection.</source>
        <translation>只有管理员可以更改中心连接。</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>encrypted when offered</source>
        <translation>服务器支持时加密</translation>
    </message>
    <message>
        <source>not encrypted</source>
        <translation>不加密</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>加密</translation>
    </message>
    <message>
        <source>encrypted, certificate verified</source>
        <translation>加密并验证证书</translation>
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
    <name>SupervisionDialog</name>
    <message>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Supervision — %1</source>
        <translation>督办 — %1</translation>
    </message>
</context>
<context>
    <name>SupervisionModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>By</source>
        <translation>发起人</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>督办内容</translation>
    </message>
    <message>
        <source>Answer due</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Voided %1: %2</source>
        <translation>已撤销（%1）：%2</translation>
    </message>
    <message>
        <source>overdue, no answer</source>
        <translation>已逾期，未答复</translation>
    </message>
    <message>
        <source>awaiting</source>
        <translation>待答复</translation>
    </message>
    <message>
        <source> (recorded by the center)</source>
        <translation>（中心代为登记）</translation>
    </message>
</context>
<context>
    <name>SupervisionPanel</name>
    <message>
        <source>Urge or &amp;supervise…</source>
        <extracomment>Something was written (a rung raised, an answer recorded, a rung voided). The case&apos;s rungs were (re)read: how many. The rung to select once the list is read again.</extracomment>
        <translation>催办/督办(&amp;S)…</translation>
    </message>
    <message>
        <source>Record the &amp;answer…</source>
        <translation>记录回复(&amp;A)…</translation>
    </message>
    <message>
        <source>Record the selected unit&apos;s answer</source>
        <translation>记录所选督办的单位答复</translation>
    </message>
    <message>
        <source>&amp;Void…</source>
        <translation>撤销(&amp;V)…</translation>
    </message>
    <message>
        <source>Supervision of case %1</source>
        <translation>案件 %1 的催办督办</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>No unit has been urged on this case yet: “Urge or supervise…” starts with an urging (催办).</source>
        <translation>本案尚未催办任何单位：点击“催办/督办…”从催办开始。</translation>
    </message>
    <message>
        <source>No unit has been urged on this case.</source>
        <translation>本案尚未催办任何单位。</translation>
    </message>
    <message>
        <source>%1 to %2 on %3 by %4</source>
        <translation>%3 %4对%2%1</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>督办内容</translation>
    </message>
    <message>
        <source>Voided (%1, %2)</source>
        <translation>已撤销（%1，%2）</translation>
    </message>
    <message>
        <source>%1, for the unit</source>
        <translation>%1 代为登记</translation>
    </message>
    <message>
        <source>Answer (%1, %2)</source>
        <translation>答复（%1，%2）</translation>
    </message>
    <message>
        <source>Only triage officers and administrators may urge or supervise</source>
        <translation>仅研判督办人员和管理员可以催办、督办</translation>
    </message>
    <message>
        <source>Only an open case dispatched to a unit can be urged or supervised</source>
        <translation>只能对已交办给单位、尚未办结的案件催办、督办</translation>
    </message>
    <message>
        <source>This step is already voided</source>
        <translation>该记录已撤销</translation>
    </message>
    <message>
        <source>Only who raised the step, triage officers and administrators may void it</source>
        <translation>仅发起人、研判督办人员和管理员可以撤销</translation>
    </message>
    <message>
        <source>Void the selected step, raised in error</source>
        <translation>撤销所选的误发督办记录</translation>
    </message>
</context>
<context>
    <name>SyncStatusPanel</name>
    <message numerus="yes">
        <source>Conflicts: %n</source>
        <extracomment>The open-conflicts badge was clicked (the main window opens the review screen).</extracomment>
        <translation>
            <numerusform>冲突：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>Changes that clashed with another desk&apos;s, waiting for an officer.</source>
        <translation>与其他窗口的更改相冲突、等待工作人员处理的项。</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Online · synced</source>
        <translation>在线 · 已同步</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Sync error</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <source>Online · sync paused</source>
        <translation>在线 · 同步暂停</translation>
    </message>
    <message>
        <source>Not connected to the center</source>
        <translation>未连接中心</translation>
    </message>
    <message>
        <source>Sync stopped</source>
        <translation>同步已停止</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接……</translation>
    </message>
    <message>
        <source>This desk is not connected to the center&apos;s database yet. An administrator can connect it under Settings → Central connection. Everything keeps working here; changes wait on this desk until then.</source>
        <translation>本窗口尚未连接到中心数据库，管理员可在“设置 → 中心连接”中连接并登记。本机照常工作，更改先保存在本机。</translation>
    </message>
    <message>
        <source>The center cannot be reached: %1</source>
        <translation>连不上中心：%1</translation>
    </message>
    <message>
        <source>Everything keeps working here; changes are sent once it is back.</source>
        <translation>本机照常工作，恢复连接后更改会自动发出。</translation>
    </message>
    <message>
        <source>The center answered but sync did not go through: %1</source>
        <translation>中心有应答，但同步未能进行：%1</translation>
    </message>
    <message>
        <source>Sending this desk&apos;s changes and fetching the center&apos;s.</source>
        <translation>正在发送本窗口的更改并取回中心的更改。</translation>
    </message>
    <message>
        <source>Connected to the center; this desk is up to date.</source>
        <translation>已连接中心，本窗口数据已是最新。</translation>
    </message>
    <message>
        <source>Last round: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message numerus="yes">
        <source>Waiting to sync: %n change(s)</source>
        <translation>
            <numerusform>待同步：%n 项更改</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retrying by itself in about %n second(s).</source>
        <translation>
            <numerusform>约 %n 秒后自动重试。</numerusform>
        </translation>
    </message>
    <message>
        <source>First sync: %1%</source>
        <translation>首次同步：%1%</translation>
    </message>
    <message>
        <source>This desk&apos;s first sync fetches every matter of its scope from the center. It may take a while; if it is interrupted it goes on from where it stopped.</source>
        <translation>首次同步会从中心取回本窗口同步范围内的全部事项，可能需要一段时间；中途中断后会从中断处继续。</translation>
    </message>
    <message>
        <source>Sync in progress</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>No sync with the center has finished on this desk yet.</source>
        <translation>本窗口还没有完成过与中心的同步。</translation>
    </message>
    <message>
        <source>%1-%2 %3</source>
        <translation>%1月%2日 %3</translation>
    </message>
    <message>
        <source>Last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
    <message>
        <source>Sync error: %1 (details in the log)</source>
        <translation>同步出错：%1（详情见日志）</translation>
    </message>
</context>
<context>
    <name>TriageDialog</name>
    <message>
        <source>Reading the routing suggestion…</source>
        <translation>正在读取分流建议…</translation>
    </message>
    <message>
        <source>Type part of a unit&apos;s name</source>
        <translation>输入单位名称的一部分筛选</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Why this level and these units</source>
        <translation>为何由此层级、这些单位办理</translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation>处置层级(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Track</source>
        <translation>办理类别(&amp;T)</translation>
    </message>
    <message>
        <source>C&amp;omplexity</source>
        <translation>复杂程度(&amp;O)</translation>
    </message>
    <message>
        <source>Responsible &amp;unit</source>
        <translation>责任单位(&amp;U)</translation>
    </message>
    <message>
        <source>Co-&amp;handling units</source>
        <translation>协办单位(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Reasoning</source>
        <translation>研判意见(&amp;R)</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform>，另有 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Suggested: %1 · %2 · %3; units: %4. %5</source>
        <translation>建议：%1 · %2 · %3；单位：%4。%5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Choose a unit from the list.</source>
        <translation>请从列表中选择单位。</translation>
    </message>
</context>
<context>
    <name>UnitStepDialog</name>
    <message>
        <source>Unit: %1</source>
        <extracomment>The text&apos;s caption, placeholder and whether the service requires it (None: no text).</extracomment>
        <translation>责任单位：%1</translation>
    </message>
    <message>
        <source>Record on the unit&apos;s behalf (the unit has no desk; the center handles it)</source>
        <translation>代为登记（该单位无窗口，由中心代为办理）</translation>
    </message>
</context>
<context>
    <name>UnitsModel</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>确认参加</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Reason for absence</source>
        <translation>未到场原因</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>did not come</source>
        <translation>未到场</translation>
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
<context>
    <name>VisitDialog</name>
    <message>
        <source>Whom you reached, how the agreement is kept, any risk</source>
        <translation>回访对象、协议履行情况、有无风险</translation>
    </message>
    <message>
        <source>&amp;Satisfaction</source>
        <translation>回访结果(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>回访记录(&amp;N)</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Void case %1</source>
        <translation>作废案件 %1</translation>
    </message>
    <message>
        <source>Void case</source>
        <translation>作废案件</translation>
    </message>
    <message>
        <source>A voided case is never deleted: it stays on record with the reason, and can no longer be changed.</source>
        <translation>作废的案件不会被删除：它连同作废原因一并留存，此后不能再修改。</translation>
    </message>
    <message>
        <source>&amp;Reason for voiding</source>
        <translation>作废原因(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Void case</source>
        <translation>作废(&amp;V)</translation>
    </message>
    <message>
        <source>Void a supervision step — %1</source>
        <translation>撤销督办记录 — %1</translation>
    </message>
    <message>
        <source>%1 to %2 on %3 by %4:</source>
        <translation>%3 %4对%2%1：</translation>
    </message>
    <message>
        <source>A voided step stays in the case&apos;s list, marked as voided with the reason, but no longer counts in the ladder, on the board or in the unit&apos;s assessment. Void the higher steps against the unit first.</source>
        <translation>撤销后，该记录仍保留在本案的督办列表中，标明“已撤销”及原因，但不再计入督办层级、分流看板和单位考评。同一单位有较高层级的督办时，须先撤销较高层级的。</translation>
    </message>
    <message>
        <source>Why the step was raised in error (the wrong unit, say)</source>
        <translation>说明误发的原因（如选错了单位）</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>撤销原因(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Void</source>
        <translation>撤销(&amp;V)</translation>
    </message>
    <message>
        <source>Give the reason for voiding</source>
        <translation>请填写撤销原因</translation>
    </message>
</context>
<context>
    <name>WarningsBadge</name>
    <message>
        <source>Warnings could not be counted: %1</source>
        <extracomment>The kinds that turn the badge red (the others only amber). New counts arrived and are shown.</extracomment>
        <translation>无法统计预警：%1</translation>
    </message>
    <message>
        <source>Warnings %1</source>
        <translation>预警 %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n case(s)</source>
        <translation>
            <numerusform>%1：%n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Click to open the warnings list.</source>
        <translation>点击打开预警列表。</translation>
    </message>
</context>
<context>
    <name>WarningsModel</name>
    <message>
        <source>Warning</source>
        <extracomment>The colour of each kind: red when a deadline has passed, amber when it is near.</extracomment>
        <translation>预警</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>当前环节</translation>
    </message>
    <message>
        <source>Responsible unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Overdue / left</source>
        <translation>超期/剩余</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>超期 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) overdue</source>
        <translation>
            <numerusform>超期 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>just overdue</source>
        <translation>刚刚超期</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>剩余 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) left</source>
        <translation>
            <numerusform>剩余 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>less than an hour left</source>
        <translation>剩余不足 1 小时</translation>
    </message>
    <message>
        <source>Step deadline: %1</source>
        <translation>本环节期限：%1</translation>
    </message>
    <message>
        <source>Feedback deadline: %1</source>
        <translation>反馈期限：%1</translation>
    </message>
</context>
<context>
    <name>WarningsPage</name>
    <message>
        <source>&amp;Refresh</source>
        <extracomment>A row was opened (double-click or Enter): the case&apos;s id. A listing arrived and is shown: how many rows.</extracomment>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>All (%1)</source>
        <translation>全部（%1）</translation>
    </message>
    <message>
        <source>No warnings: every open matter is within its deadline.</source>
        <translation>没有预警：所有在办事项都在期限内。</translation>
    </message>
    <message>
        <source>No cases with this warning.</source>
        <translation>没有此类预警的案件。</translation>
    </message>
    <message>
        <source>The %1 most urgent of %2 cases are shown.</source>
        <translation>共 %2 件，显示最紧急的 %1 件。</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s). Double-click a row or press Enter to open the case.</source>
        <translation>
            <numerusform>共 %n 件。双击一行或按回车键打开案件。</numerusform>
        </translation>
    </message>
</context>
</TS>
